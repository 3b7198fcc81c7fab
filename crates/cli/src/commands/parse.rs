//! `nianbao parse`: the syntax tree, outline, model and input diagnostics of one report.

use std::io::Write;
use std::path::PathBuf;

use clap::ValueEnum;
use nianbao_model::grammar::located::LocatedTree;
use nianbao_model::grammar::{Node, NodeKind, Span, TextView, TreeInfo, TreeSink};
use nianbao_model::output::{DiagnosticEntry, ReportEntry};
use nianbao_model::settings::Lang;

use crate::args::ReadArgs;
use crate::io::error;

/// Output formats of `parse`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ParseFormat {
    /// The `nianbao.parse/2` JSON document.
    Json,
}

/// `nianbao parse`.
#[derive(Debug, clap::Args)]
pub struct ParseArgs {
    /// The report files or directories; `-` reads standard input, a named pipe is
    /// read as a stream. Several reports give JSON Lines: one document per line /
    /// 年报文件或目录（- 为标准输入）；多份年报时每行一个文档
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Reading the report.
    #[command(flatten)]
    pub read: ReadArgs,
    /// Output format / 输出格式
    #[arg(long, value_enum, default_value_t = ParseFormat::Json)]
    pub format: ParseFormat,
}

/// The `nianbao.parse/2` document: `schema`, `encoding`, `input_kind`, `tree` (every
/// node located), `outline`, `report` (the model: format, front matter, mapped
/// tables, facts and links) and `diagnostics`, in this order.
///
/// Streamed as the parse goes: the head and each node of the tree are written as
/// the parse makes them ([`JsonTree`]), then the rest once the check is done. The
/// tree of a large input is never whole in memory, nor is the document.
pub fn run(a: ParseArgs) -> u8 {
    let lang = Lang::from_env();
    let Ok(limit) = a.read.resolve(&a.paths, lang) else {
        return 2;
    };
    let mut failed = false;
    let paths = crate::walk::operands(&a.paths, lang, &mut failed);
    for path in &paths {
        match one(&a, path, limit, lang) {
            Outcome::Written => {}
            Outcome::Failed => failed = true,
            // stdout is gone: nothing more can be written.
            Outcome::Stop => return 2,
        }
    }
    if failed {
        2
    } else {
        0
    }
}

/// How one report's document went.
enum Outcome {
    /// Written whole.
    Written,
    /// Not read, or not checked to the end (said on stderr); the run goes on.
    Failed,
    /// Output cannot be written any more.
    Stop,
}

/// Reads, parses and writes one report's document (one line).
fn one(a: &ParseArgs, path: &std::path::Path, limit: u64, lang: Lang) -> Outcome {
    let Some((shown, bytes)) = a.read.read(path, limit, lang) else {
        return Outcome::Failed;
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut tree = JsonTree {
        out: &mut out,
        started: false,
        written: vec![0],
        failed: None,
    };
    let report = nianbao_model::check_streamed(bytes, &mut tree);
    if !tree.started {
        // The parse stopped before it began (a defect caught as NB009): the head
        // comes from what the check returned, so the document is still whole.
        let parsed = &report.parsed;
        tree.start(&TreeInfo {
            encoding: parsed.encoding,
            input_kind: parsed.input_kind,
            document: nianbao_model::grammar::Span::new(0, 0),
            text: parsed.view(),
        });
    }
    // A node the parse was writing when it stopped is closed.
    while tree.written.len() > 1 {
        tree.close();
    }
    // The document is written either way: it holds the NB009 finding.
    let complete = crate::io::checked_to_the_end(&report, &shown, lang);
    let written = match tree.failed.take() {
        Some(e) => Err(e),
        None => {
            let entry = ReportEntry::new(shown, &report, lang);
            tail(&mut out, &report, &entry.diagnostics)
        }
    };
    match written {
        Ok(()) if complete => Outcome::Written,
        Ok(()) => Outcome::Failed,
        // stdout is gone (a closed pipe): nothing more to say.
        Err(e) if e.is_io() => Outcome::Stop,
        Err(e) => {
            error(
                lang,
                format!("无法输出 JSON：{e}"),
                format!("cannot write JSON: {e}"),
            );
            Outcome::Stop
        }
    }
}

/// Writes the head of the document and the tree's nodes as the parse makes them.
struct JsonTree<'a, W: Write> {
    out: &'a mut W,
    /// Whether the head has been written.
    started: bool,
    /// Per node being written (the document first): children written so far.
    written: Vec<usize>,
    /// The first error; nothing more is written after it.
    failed: Option<serde_json::Error>,
}

impl<W: Write> JsonTree<'_, W> {
    fn write(&mut self, f: impl FnOnce(&mut W) -> serde_json::Result<()>) {
        if self.failed.is_none() {
            if let Err(e) = f(self.out) {
                self.failed = Some(e);
            }
        }
    }
}

fn raw(out: &mut impl Write, s: &str) -> serde_json::Result<()> {
    out.write_all(s.as_bytes()).map_err(serde_json::Error::io)
}

impl<W: Write> TreeSink for JsonTree<'_, W> {
    fn start(&mut self, info: &TreeInfo<'_>) {
        self.started = true;
        self.write(|out| {
            raw(out, "{\"schema\":\"nianbao.parse/2\",\"encoding\":")?;
            serde_json::to_writer(&mut *out, &info.encoding)?;
            raw(out, ",\"input_kind\":")?;
            serde_json::to_writer(&mut *out, &info.input_kind)?;
            raw(out, ",\"tree\":{\"kind\":")?;
            serde_json::to_writer(&mut *out, &NodeKind::Document)?;
            raw(out, ",\"span\":")?;
            serde_json::to_writer(&mut *out, &info.text.locate(info.document))?;
            raw(out, ",\"children\":[")
        });
    }

    fn open(&mut self, kind: NodeKind, span: Span, text: &TextView<'_>) {
        let first = self.next_child();
        self.written.push(0);
        self.write(|out| {
            raw(out, if first { "{\"kind\":" } else { ",{\"kind\":" })?;
            serde_json::to_writer(&mut *out, &kind)?;
            raw(out, ",\"span\":")?;
            serde_json::to_writer(&mut *out, &text.locate(span))?;
            raw(out, ",\"children\":[")
        });
    }

    fn node(&mut self, node: Node, text: &TextView<'_>) {
        let first = self.next_child();
        self.write(|out| {
            if !first {
                raw(out, ",")?;
            }
            serde_json::to_writer(&mut *out, &LocatedTree::new(*text, &node))
        });
    }

    fn close(&mut self) {
        self.written.pop();
        self.write(|out| raw(out, "]}"));
    }
}

impl<W: Write> JsonTree<'_, W> {
    /// Counts a child of the node being written; true when it is its first.
    fn next_child(&mut self) -> bool {
        match self.written.last_mut() {
            Some(n) => {
                *n += 1;
                *n == 1
            }
            None => true,
        }
    }
}

/// The rest of the document, after the tree.
fn tail(
    out: &mut impl Write,
    report: &nianbao_model::CheckedReport,
    diagnostics: &[DiagnosticEntry],
) -> serde_json::Result<()> {
    raw(out, "]},\"outline\":")?;
    serde_json::to_writer(&mut *out, &report.parsed.outline)?;
    raw(out, ",\"report\":")?;
    serde_json::to_writer(&mut *out, &report.report)?;
    raw(out, ",\"diagnostics\":")?;
    serde_json::to_writer(&mut *out, diagnostics)?;
    raw(out, "}\n")?;
    out.flush().map_err(serde_json::Error::io)
}
