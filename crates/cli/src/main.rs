//! The `nianbao` command line: reads input, calls the shared core, renders.
//!
//! Exit codes (SPEC 5): 0 no finding at or above `--fail-on`; 1 findings at or
//! above it; 2 a usage or configuration error, or a named path that cannot be read.

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
    let code = match args.command {
        Command::Check(a) => commands::check::run(a),
        Command::Parse(a) => commands::parse::run(a),
        Command::Rules(a) => commands::rules::run(a),
        Command::Table(a) => commands::table::run(a),
        Command::Merge(a) => commands::merge::run(a),
    };
    ExitCode::from(code)
}
