//! `nianbao parse`: the syntax tree, outline, model and input diagnostics of one report.

use std::io::Write as _;
use std::path::PathBuf;

use clap::ValueEnum;
use nianbao_model::output::{DiagnosticEntry, ReportEntry};
use nianbao_model::settings::Lang;

use crate::args::ReadArgs;
use crate::io::error;

/// Output formats of `parse`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ParseFormat {
    /// The `nianbao.parse/1` JSON document.
    Json,
}

/// `nianbao parse`.
#[derive(Debug, clap::Args)]
pub struct ParseArgs {
    /// The report file; `-` reads standard input, a named pipe is read as a stream /
    /// 年报文件（- 为标准输入）
    pub path: PathBuf,
    /// Reading the report.
    #[command(flatten)]
    pub read: ReadArgs,
    /// Output format / 输出格式
    #[arg(long, value_enum, default_value_t = ParseFormat::Json)]
    pub format: ParseFormat,
}

/// The `nianbao.parse/1` document.
#[derive(serde::Serialize)]
struct ParseDocument<'a> {
    schema: &'static str,
    encoding: nianbao_model::grammar::Encoding,
    input_kind: nianbao_model::grammar::InputKind,
    tree: nianbao_model::grammar::located::LocatedTree<'a>,
    outline: &'a [nianbao_model::grammar::outline::Section],
    /// The model: format, front matter, mapped tables, facts and links.
    report: &'a nianbao_model::report::Report,
    diagnostics: Vec<DiagnosticEntry>,
}

/// Runs `nianbao parse`.
pub fn run(a: ParseArgs) -> u8 {
    let lang = Lang::from_env();
    let Ok(limit) = a.read.resolve([&a.path], lang) else {
        return 2;
    };
    let Some((shown, bytes)) = a.read.read(&a.path, limit, lang) else {
        return 2;
    };
    let report = nianbao_model::check_owned(bytes);
    // The document is written either way: it holds the NB009 finding.
    let complete = crate::io::checked_to_the_end(&report, &shown, lang);
    let entry = ReportEntry::new(shown, &report, lang);
    let doc = ParseDocument {
        schema: "nianbao.parse/1",
        encoding: report.parsed.encoding,
        input_kind: report.parsed.input_kind,
        tree: report.parsed.located_tree(),
        outline: &report.parsed.outline,
        report: &report.report,
        diagnostics: entry.diagnostics,
    };
    // Streamed: the document of a large input is never held whole in memory.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = serde_json::to_writer(&mut out, &doc).and_then(|()| {
        out.write_all(b"\n")
            .and_then(|()| out.flush())
            .map_err(serde_json::Error::io)
    });
    match written {
        Ok(()) if complete => 0,
        Ok(()) => 2,
        // stdout is gone (a closed pipe): nothing more to say.
        Err(e) if e.is_io() => 2,
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
