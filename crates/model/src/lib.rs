//! The report model and the checks of nianbao.
//!
//! [`check`] parses a report with [`nianbao_grammar`] and runs every check on it;
//! [`output`] shapes the result as the `nianbao.check/2` document that the CLI
//! and the server both return.
//!
//! ```
//! let report = nianbao_model::check(b"");
//! assert_eq!(report.diagnostics[0].code, "NB002");
//! let entry = nianbao_model::output::ReportEntry::new("empty.md", &report, Default::default());
//! assert_eq!(entry.summary.error, 1);
//! ```

#![warn(missing_docs)]

pub mod annotate;
pub mod copies;
pub mod cross;
pub mod docs;
pub mod export;
pub mod facts;
pub mod format;
pub mod frontmatter;
mod guard;
mod interval;
pub mod limit;
pub mod links;
pub mod names;
pub mod output;
pub mod quantity;
pub mod report;
pub mod rules;
pub mod score;
pub mod settings;
pub mod snapshot;
pub mod suppress;
pub mod tables;
pub mod template;

use std::time::{Duration, Instant};

pub use nianbao_grammar as grammar;
use nianbao_grammar::findings::Findings;
use nianbao_grammar::sniff::Binary;
use nianbao_grammar::{Diagnostic, InputKind, Node, NodeKind, Parsed, Span, TextView, TreeSink};

/// A checked report: the parse, the report model, and every diagnostic.
#[derive(Debug)]
pub struct CheckedReport {
    /// The parse. Its syntax tree is not kept (a check reads it as it is made):
    /// the document node has no children; [`check_streamed`] hands the tree out.
    pub parsed: Parsed,
    /// The report model.
    pub report: report::Report,
    /// All diagnostics (input, structure, tables…), sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// Why the check did not run to its end, if it did not: the diagnostics then
    /// hold only the finding that says so (NB008, NB009).
    pub incomplete: Option<Incomplete>,
    /// For a Word document, what was read out of it: the text checked (which the
    /// spans count) and the maps from that text to paragraphs, table cells and
    /// the document's own XML. `None` for any other input.
    pub docx: Option<nianbao_docx::Document>,
}

impl CheckedReport {
    /// The report of a check that did not run to its end, with the one finding
    /// that says why (NB008, NB009): for a caller that stops or catches a check
    /// around [`check_within`] itself.
    pub fn unfinished(parsed: Parsed, why: Incomplete, limits: &Limits) -> Self {
        guard::incomplete(parsed, why, None, limits)
    }
}

/// Why a check did not run to its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Incomplete {
    /// The time limit of [`Limits::deadline`] was reached (NB008).
    TimeLimit,
    /// The check panicked: a defect of nianbao, caught for this report alone (NB009).
    InternalError,
}

/// Bounds on one check, for callers that check reports from strangers (the server).
#[derive(Clone, Copy, Debug, Default)]
pub struct Limits {
    /// When the check must stop. The check looks at it between its stages (parse,
    /// model, each family of rules, suppressions), so it stops within one stage
    /// of the deadline; every stage is linear in the input.
    pub deadline: Option<Instant>,
    /// The time limit as the user set it, named in the NB008 message.
    pub time_limit: Option<Duration>,
}

impl Limits {
    /// Limits that stop the check `limit` from now.
    pub fn time_limit(limit: Duration) -> Self {
        Limits {
            deadline: Instant::now().checked_add(limit),
            time_limit: Some(limit),
        }
    }

    fn passed(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }
}

/// Parses and checks one report with the built-in templates. Never fails: problems are diagnostics.
pub fn check(bytes: &[u8]) -> CheckedReport {
    check_with(template::builtin(), bytes)
}

/// [`check`] of bytes the caller no longer needs (one copy of the input fewer).
pub fn check_owned(bytes: Vec<u8>) -> CheckedReport {
    check_streamed(bytes, &mut NoTree)
}

/// Parses and checks one report with the given templates.
///
/// A panic inside the check (a defect of nianbao) is caught: the report then
/// has one NB009 finding and [`CheckedReport::incomplete`] says so.
pub fn check_with(templates: &[template::Template], bytes: &[u8]) -> CheckedReport {
    check_within(templates, bytes, &Limits::default())
}

/// Parses and checks one report within `limits`: when the deadline passes, the
/// check stops and the report has one NB008 finding instead of its findings; a
/// panic is caught as in [`check_with`].
pub fn check_within(
    templates: &[template::Template],
    bytes: &[u8],
    limits: &Limits,
) -> CheckedReport {
    check_streamed_within(templates, bytes.to_vec(), &mut NoTree, limits)
}

/// [`check_owned`] that hands the syntax tree to `tree` one top-level node at a
/// time, as the parse makes it (`nianbao parse` writes each node out as it comes):
/// the tree is never whole in memory.
pub fn check_streamed(bytes: Vec<u8>, tree: &mut dyn TreeSink) -> CheckedReport {
    check_streamed_within(template::builtin(), bytes, tree, &Limits::default())
}

/// The one path every check takes: parse (streamed), model, rules, suppressions,
/// each stage guarded against a panic and the deadline.
fn check_streamed_within(
    templates: &[template::Template],
    bytes: Vec<u8>,
    tree: &mut dyn TreeSink,
    limits: &Limits,
) -> CheckedReport {
    let mut sink = ReadComments {
        comments: suppress::Comments::default(),
        tree,
    };
    // A PDF, a Word file, an image…: one error naming it, never garbage decoded as text.
    let mut docx = None;
    let mut bytes = bytes;
    if let Some(kind) = nianbao_grammar::sniff::binary_kind(&bytes) {
        // A ZIP archive with `word/document.xml` is a Word document: its text is read.
        let read = match kind {
            Binary::Docx | Binary::Zip => Some(guard::catching(|| nianbao_docx::read(&bytes))),
            _ => None,
        };
        let finding = match read {
            Some(Ok(Ok(mut document))) => {
                bytes = document.take_text().into_bytes();
                docx = Some(document);
                None
            }
            Some(Ok(Err(nianbao_docx::ReadError::Unreadable(finding)))) => Some(*finding),
            Some(Ok(Err(nianbao_docx::ReadError::NotWord))) if kind == Binary::Docx => {
                Some(Diagnostic::new(
                    &nianbao_grammar::codes::DOCX_UNREADABLE,
                    Span::new(0, 0),
                    nianbao_grammar::Message::new(
                        "无法读取 Word 文档：ZIP 包中没有正文部件 word/document.xml",
                        "the Word document cannot be read: its ZIP package has no body part word/document.xml",
                    ),
                ))
            }
            Some(Err(at)) => {
                return guard::incomplete(
                    nianbao_grammar::parse(b""),
                    Incomplete::InternalError,
                    at,
                    limits,
                )
            }
            _ => Some(Diagnostic::new(
                &nianbao_grammar::codes::NOT_TEXT,
                Span::new(0, 0),
                kind.message(),
            )),
        };
        if let Some(finding) = finding {
            let parsed = nianbao_grammar::parse_streamed(Vec::new(), &mut sink);
            let mut none = Findings::resume(Vec::new(), &[]);
            let (report, _) = report::build_with(&[], &parsed, &mut none);
            return CheckedReport {
                parsed,
                report,
                diagnostics: vec![finding],
                incomplete: None,
                docx: None,
            };
        }
    }
    // The text read out of a Word document is Markdown with HTML tables, also
    // when it opens with a table.
    let kind = docx.is_some().then_some(InputKind::Markdown);
    let parsed =
        match guard::catching(|| nianbao_grammar::parse_streamed_as(bytes, kind, &mut sink)) {
            Ok(parsed) => parsed,
            Err(at) => {
                return guard::incomplete(
                    nianbao_grammar::parse(b""),
                    Incomplete::InternalError,
                    at,
                    limits,
                )
            }
        };
    if limits.passed() {
        return guard::incomplete(parsed, Incomplete::TimeLimit, None, limits);
    }
    let comments = sink.comments;
    match guard::catching(|| analyse(templates, &parsed, comments, limits)) {
        Ok(Some((report, mut diagnostics))) => {
            if let Some(document) = docx.as_mut() {
                document.share_text(parsed.text.clone());
                // What the reading found (tracked changes, numbering not read).
                diagnostics.extend(document.notes().iter().cloned());
                diagnostics.sort_by_key(|d| (d.span.start, d.code));
            }
            CheckedReport {
                parsed,
                report,
                diagnostics,
                incomplete: None,
                docx,
            }
        }
        Ok(None) => guard::incomplete(parsed, Incomplete::TimeLimit, None, limits),
        Err(at) => guard::incomplete(parsed, Incomplete::InternalError, at, limits),
    }
}

/// The model and the findings of a parsed report; `None` when the deadline passed.
fn analyse(
    templates: &[template::Template],
    parsed: &Parsed,
    comments: suppress::Comments,
    limits: &Limits,
) -> Option<(report::Report, Vec<Diagnostic>)> {
    // At most `limit::MAX_PER_RULE` findings of a rule are kept as they are made.
    let mut findings = Findings::resume(parsed.diagnostics.clone(), &parsed.left_out);
    let (report, template) = report::build_with(templates, parsed, &mut findings);
    if limits.passed() {
        return None;
    }
    rules::run(&report, template, parsed, &mut findings);
    if limits.passed() {
        return None;
    }
    let (mut diagnostics, left_out) = findings.finish();
    suppress::apply(parsed, comments, &mut diagnostics, &left_out);
    // Every span on character boundaries, whichever rule made it (a rule that
    // points at "the first byte" of a table would otherwise cut a character).
    for d in &mut diagnostics {
        d.span = parsed.on_chars(d.span);
        for r in d.related.iter_mut().filter(|r| r.elsewhere.is_none()) {
            r.span = parsed.on_chars(r.span);
        }
    }
    diagnostics.sort_by_key(|d| (d.span.start, d.code));
    Some((report, diagnostics))
}

pub use guard::install_panic_hook;

/// Keeps no tree.
struct NoTree;

impl TreeSink for NoTree {
    fn open(&mut self, _kind: NodeKind, _span: Span, _text: &TextView<'_>) {}
    fn node(&mut self, _node: Node, _text: &TextView<'_>) {}
    fn close(&mut self) {}
}

/// Reads the suppression comments of each node, then hands it on.
struct ReadComments<'a> {
    comments: suppress::Comments,
    tree: &'a mut dyn TreeSink,
}

impl TreeSink for ReadComments<'_> {
    fn start(&mut self, info: &nianbao_grammar::TreeInfo<'_>) {
        self.tree.start(info);
    }

    fn open(&mut self, kind: NodeKind, span: Span, text: &TextView<'_>) {
        self.tree.open(kind, span, text);
    }

    fn node(&mut self, node: Node, text: &TextView<'_>) {
        self.comments.visit(&node, text);
        self.tree.node(node, text);
    }

    fn close(&mut self) {
        self.tree.close();
    }
}

/// Every diagnostic code the checks can emit, in code order.
pub fn catalog() -> Vec<&'static nianbao_grammar::diagnostic::DiagnosticCode> {
    let mut all: Vec<_> = nianbao_grammar::codes::ALL
        .iter()
        .chain(rules::codes::ALL)
        .copied()
        .collect();
    all.sort_by_key(|c| c.code);
    all
}

/// `checked` as published on `date` (`nianbao check --published`): the date
/// replaces whatever the input says, and the timeliness findings (NB110, NB111)
/// are made again. A check that did not run to its end is left as it is.
pub fn with_published(checked: &mut CheckedReport, date: frontmatter::Date) {
    if checked.incomplete.is_some() {
        return;
    }
    checked.report.front.published = Some(frontmatter::Published {
        date,
        span: nianbao_grammar::Span::new(0, 0),
        given: true,
    });
    let timeliness = [
        rules::codes::PUBLISHED_LATE.code,
        rules::codes::TIMELINESS_UNCHECKED.code,
    ];
    checked
        .diagnostics
        .retain(|d| !timeliness.contains(&d.code));
    let mut found = nianbao_grammar::findings::Findings::default();
    rules::structure::timeliness(&checked.report, &mut found);
    checked.diagnostics.extend(found.kept_in_order().0);
    checked.diagnostics.sort_by_key(|d| (d.span.start, d.code));
}

/// A publication date as a user gives it (`2025-01-20`, `2025/1/20`,
/// `2025年1月20日`): `None` unless it is one whole valid date.
pub fn parse_date(text: &str) -> Option<frontmatter::Date> {
    let text = text.trim();
    let found = frontmatter::find_dates(text).into_iter().next()?;
    (found.range == (0..text.len()) && found.date.day > 0 && found.date.is_valid())
        .then_some(found.date)
}
