//! The `nianbao` command line: reads input, calls the shared core, renders.
//!
//! Exit codes (SPEC 5): 0 no finding at or above `--fail-on`; 1 findings at or
//! above it; 2 a usage or configuration error, a named path that cannot be read,
//! or an internal error (a defect of nianbao; never Rust's 101).

mod args;
mod commands;
mod io;
mod render;
mod walk;

use std::process::ExitCode;

use clap::Parser;

use args::{Args, Command};

fn main() -> ExitCode {
    // A panic's message may quote a report: print only where it happened.
    nianbao_model::install_panic_hook();
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(e) => {
            // clap prints help/version with exit 0 and usage errors with exit 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    // Every check is guarded in the core (NB009); this catches a defect anywhere
    // else (a renderer, an export) so that no command ends with Rust's exit 101.
    let run = std::panic::catch_unwind(|| match args.command {
        Command::Check(a) => commands::check::run(a),
        Command::Parse(a) => commands::parse::run(a),
        Command::Rules(a) => commands::rules::run(a),
        Command::Table(a) => commands::table::run(a),
        Command::Merge(a) => commands::merge::run(a),
    });
    let code = run.unwrap_or_else(|payload| {
        // The message may quote a report: the hook printed only its place.
        drop(payload);
        io::error(
            nianbao_model::settings::Lang::from_env(),
            "内部错误，命令未完成（请报告此问题）".to_string(),
            "internal error; the command did not finish (please report it)".to_string(),
        );
        2
    });
    ExitCode::from(code)
}
