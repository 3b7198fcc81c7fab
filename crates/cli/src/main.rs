//! The `nianbao` command line: reads input, calls the shared core, renders.
//!
//! Exit codes (SPEC 5): 0 no finding at or above `--fail-on`; 1 findings at or
//! above it; 2 a usage or configuration error, or a named path that cannot be read.

mod args;
mod render;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;
use nianbao_model::output::{DiagnosticEntry, ReportEntry, Summary};
use nianbao_model::settings::{FailOn, Lang, Settings};

use args::{
    Args, CheckArgs, CheckFormat, ColorArg, Command, FailOnArg, LangArg, ParseArgs, RulesArgs,
    TableArgs, TableFormat,
};

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(e) => {
            // clap prints help/version with exit 0 and usage errors with exit 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let code = match args.command {
        Command::Check(a) => run_check(a),
        Command::Parse(a) => run_parse(a),
        Command::Rules(a) => run_rules(a),
        Command::Table(a) => run_table(a),
    };
    ExitCode::from(code)
}

fn lang_of(arg: Option<LangArg>) -> Lang {
    match arg {
        Some(LangArg::Zh) => Lang::Zh,
        Some(LangArg::En) => Lang::En,
        None => Lang::from_env(),
    }
}

/// Resolves raw arguments into the settings the core understands.
fn settings_of(a: &CheckArgs) -> Settings {
    Settings {
        lang: lang_of(a.lang),
        fail_on: match a.fail_on {
            FailOnArg::Error => FailOn::Error,
            FailOnArg::Warning => FailOn::Warning,
            FailOnArg::Info => FailOn::Info,
            FailOnArg::Never => FailOn::Never,
        },
    }
}

/// A bilingual error on stderr.
fn error(lang: Lang, zh: String, en: String) {
    let msg = match lang {
        Lang::Zh => format!("nianbao：错误：{zh}"),
        Lang::En => format!("nianbao: error: {en}"),
    };
    let _ = writeln!(std::io::stderr(), "{msg}");
}

fn read(path: &Path, lang: Lang) -> Option<Vec<u8>> {
    match std::fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            error(
                lang,
                format!("无法读取 {}：{e}", path.display()),
                format!("cannot read {}: {e}", path.display()),
            );
            None
        }
    }
}

fn write_stdout(s: &str) -> bool {
    let mut out = std::io::stdout().lock();
    out.write_all(s.as_bytes())
        .and_then(|_| out.flush())
        .is_ok()
}

fn run_check(a: CheckArgs) -> u8 {
    let settings = settings_of(&a);
    let lang = settings.lang;
    let color = match a.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let mut unreadable = false;
    let mut failed = false;
    let mut entries = Vec::new();
    let mut total = Summary::default();
    let mut files = 0;
    for path in &a.paths {
        let Some(bytes) = read(path, lang) else {
            unreadable = true;
            continue;
        };
        let report = nianbao_model::check(&bytes);
        let shown = path.display().to_string();
        files += 1;
        failed |= report
            .diagnostics
            .iter()
            .any(|d| settings.fail_on.fails(d.severity));
        total.add(Summary::of(&report.diagnostics));
        match a.format {
            CheckFormat::Human => {
                let text = render::human::render_report(&shown, &report, lang, color);
                if !write_stdout(&text) {
                    return 2;
                }
            }
            CheckFormat::Json => entries.push(ReportEntry::new(shown, &report, lang)),
        }
    }
    match a.format {
        CheckFormat::Human => {
            if files > 1 {
                write_stdout(&format!(
                    "{}\n",
                    render::human::total_line(files, total, lang)
                ));
            }
        }
        CheckFormat::Json => {
            write_stdout(&render::json::render(entries));
        }
    }
    if unreadable {
        2
    } else if failed {
        1
    } else {
        0
    }
}

/// The `nianbao.parse/1` document.
#[derive(serde::Serialize)]
struct ParseDocument<'a> {
    schema: &'static str,
    encoding: nianbao_model::grammar::Encoding,
    input_kind: nianbao_model::grammar::InputKind,
    tree: nianbao_model::grammar::located::LocatedNode,
    outline: &'a [nianbao_model::grammar::outline::Section],
    /// The model: format, front matter, mapped tables, facts and links.
    report: &'a nianbao_model::report::Report,
    diagnostics: Vec<DiagnosticEntry>,
}

fn run_parse(a: ParseArgs) -> u8 {
    let lang = Lang::from_env();
    let Some(bytes) = read(&a.path, lang) else {
        return 2;
    };
    let report = nianbao_model::check(&bytes);
    let entry = ReportEntry::new(a.path.display().to_string(), &report, lang);
    let doc = ParseDocument {
        schema: "nianbao.parse/1",
        encoding: report.parsed.encoding,
        input_kind: report.parsed.input_kind,
        tree: report.parsed.located_tree(),
        outline: &report.parsed.outline,
        report: &report.report,
        diagnostics: entry.diagnostics,
    };
    match serde_json::to_string(&doc) {
        Ok(json) => {
            if write_stdout(&format!("{json}\n")) {
                0
            } else {
                2
            }
        }
        Err(e) => {
            error(
                lang,
                format!("无法输出 JSON：{e}"),
                format!("cannot write JSON: {e}"),
            );
            2
        }
    }
}

fn run_rules(a: RulesArgs) -> u8 {
    let lang = lang_of(a.lang);
    if let Some(wanted) = a.code {
        let Some(doc) = nianbao_model::docs::rule_doc(&wanted) else {
            error(
                lang,
                format!("未知的规则“{wanted}”；用 `nianbao rules` 列出全部规则"),
                format!("unknown rule `{wanted}`; `nianbao rules` lists them all"),
            );
            return 2;
        };
        return if write_stdout(&doc) { 0 } else { 2 };
    }
    let mut out = String::new();
    for code in nianbao_model::catalog() {
        let summary = match lang {
            Lang::Zh => code.summary_zh,
            Lang::En => code.summary_en,
        };
        out.push_str(&format!(
            "{}  {:<28} {:<8} {}\n",
            code.code,
            code.name,
            code.severity.as_str(),
            summary
        ));
    }
    if write_stdout(&out) {
        0
    } else {
        2
    }
}

/// The `nianbao.table/1` document.
#[derive(serde::Serialize)]
struct TableDocument<'a> {
    schema: &'static str,
    rows: &'a [nianbao_model::export::TableRow],
}

fn run_table(a: TableArgs) -> u8 {
    let lang = Lang::from_env();
    let mut unreadable = false;
    let mut rows = Vec::new();
    for path in &a.paths {
        let Some(bytes) = read(path, lang) else {
            unreadable = true;
            continue;
        };
        let report = nianbao_model::check(&bytes);
        rows.extend(nianbao_model::export::table_rows(
            &path.display().to_string(),
            &report,
        ));
    }
    let text = match a.format {
        TableFormat::Csv => nianbao_model::export::to_csv(&rows),
        TableFormat::Json => {
            let doc = TableDocument {
                schema: nianbao_model::export::TABLE_SCHEMA,
                rows: &rows,
            };
            match serde_json::to_string(&doc) {
                Ok(json) => format!("{json}\n"),
                Err(e) => {
                    error(
                        lang,
                        format!("无法输出 JSON：{e}"),
                        format!("cannot write JSON: {e}"),
                    );
                    return 2;
                }
            }
        }
    };
    let written = match &a.output {
        Some(out) => match std::fs::write(out, text.as_bytes()) {
            Ok(()) => true,
            Err(e) => {
                error(
                    lang,
                    format!("无法写入 {}：{e}", out.display()),
                    format!("cannot write {}: {e}", out.display()),
                );
                false
            }
        },
        None => write_stdout(&text),
    };
    if unreadable || !written {
        2
    } else {
        0
    }
}
