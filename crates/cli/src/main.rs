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

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::Parser;
use nianbao_model::settings::Lang;

use args::{Args, Command};

fn main() -> ExitCode {
    // A panic's message may quote a report: print only where it happened.
    nianbao_model::install_panic_hook();
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(e) => {
            // clap prints help/version with exit 0; a usage error is said in the
            // chosen language (`--lang`, else the locale), exit 2.
            if !e.use_stderr() {
                let _ = e.print();
                return ExitCode::from(0);
            }
            usage_error(&e);
            return ExitCode::from(2);
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
        Command::Score(a) => commands::score::run(a),
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

/// The language of a usage error: `--lang` as given (even when the rest of the
/// command line is wrong), else the locale.
fn usage_lang() -> Lang {
    let args: Vec<String> = std::env::args().collect();
    let given = args.iter().enumerate().find_map(|(i, a)| match a.as_str() {
        "--lang" => args.get(i + 1).map(String::as_str),
        _ => a.strip_prefix("--lang="),
    });
    match given {
        Some("zh") => Lang::Zh,
        Some("en") => Lang::En,
        _ => Lang::from_env(),
    }
}

/// A clap usage error in the chosen language: in Chinese, what is wrong with the
/// argument or value named; in English, clap's own message.
fn usage_error(e: &clap::Error) {
    let lang = usage_lang();
    if lang == Lang::En || e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        let _ = e.print();
        return;
    }
    let text = |kind: ContextKind| -> String {
        match e.get(kind) {
            Some(ContextValue::String(s)) => s.clone(),
            Some(ContextValue::Strings(v)) => v.join("、"),
            Some(ContextValue::StyledStr(s)) => s.to_string(),
            Some(ContextValue::StyledStrs(v)) => v
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("、"),
            Some(ContextValue::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    };
    let arg = text(ContextKind::InvalidArg);
    let value = text(ContextKind::InvalidValue);
    let suggested = text(ContextKind::SuggestedArg);
    let hint = if suggested.is_empty() {
        String::new()
    } else {
        format!("；是否要用“{suggested}”？")
    };
    let message = match e.kind() {
        ErrorKind::UnknownArgument => format!("不认识的参数“{arg}”{hint}"),
        ErrorKind::InvalidSubcommand => {
            let sub = text(ContextKind::InvalidSubcommand);
            let suggested = text(ContextKind::SuggestedSubcommand);
            let hint = if suggested.is_empty() {
                String::new()
            } else {
                format!("；是否要用“{suggested}”？")
            };
            format!("不认识的子命令“{sub}”{hint}（可用：check、parse、rules、table、merge）")
        }
        ErrorKind::InvalidValue => {
            let valid = text(ContextKind::ValidValue);
            if value.is_empty() {
                format!("参数 {arg} 缺少取值")
            } else if valid.is_empty() {
                format!("参数 {arg} 的取值“{value}”无效")
            } else {
                format!("参数 {arg} 的取值“{value}”无效；可选：{valid}")
            }
        }
        ErrorKind::ValueValidation => format!("参数 {arg} 的取值“{value}”无效"),
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand => {
            "缺少子命令（check、parse、rules、table、merge）".to_string()
        }
        ErrorKind::ArgumentConflict => {
            let prior = text(ContextKind::PriorArg);
            format!("参数 {arg} 不能与 {prior} 同时使用")
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("参数 {arg} 的取值个数不对")
        }
        ErrorKind::NoEquals => format!("参数 {arg} 的取值要用“=”给出"),
        _ => format!("命令行有误：{}", e.render()),
    };
    io::error(
        lang,
        format!("{message}\n用 `nianbao --help` 或 `nianbao <子命令> --help` 查看用法"),
        String::new(),
    );
}
