//! The `nianbao.check/2` document (SPEC 5): the one JSON shape the CLI and the
//! server return, described by `docs/schema/check-2.schema.json`.
//!
//! Fields that only some findings have (a relation id, a place in a Word draft,
//! a span in another report) are written only when set, so a document does not
//! carry a `null` for each of them on every finding.

use serde::Serialize;

use nianbao_grammar::located::LocatedSpan;
use nianbao_grammar::{Diagnostic, Message, Severity};

use crate::frontmatter::IssuerKind;
use crate::settings::Lang;
use crate::CheckedReport;

/// Schema id of the check document.
pub const CHECK_SCHEMA: &str = "nianbao.check/2";

/// The whole document.
#[derive(Debug, Serialize)]
pub struct CheckDocument {
    /// Always [`CHECK_SCHEMA`].
    pub schema: &'static str,
    /// One entry per checked file, in a stable order.
    pub reports: Vec<ReportEntry>,
}

/// Counts of findings by severity.
#[derive(Debug, Default, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Summary {
    /// Errors.
    pub error: usize,
    /// Warnings.
    pub warning: usize,
    /// Infos.
    pub info: usize,
}

impl Summary {
    /// Counts the severities of `diagnostics`.
    pub fn of(diagnostics: &[Diagnostic]) -> Summary {
        let mut s = Summary::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => s.error += 1,
                Severity::Warning => s.warning += 1,
                Severity::Info => s.info += 1,
            }
        }
        s
    }

    /// Adds another summary.
    pub fn add(&mut self, other: Summary) {
        self.error += other.error;
        self.warning += other.warning;
        self.info += other.info;
    }
}

/// One checked report.
#[derive(Debug, Serialize)]
pub struct ReportEntry {
    /// The path as the user gave it (or the upload's name).
    pub path: String,
    /// The national format: `stat-table-2008`, `national-2019`, `national-2021` or `unknown`.
    pub format: String,
    /// The local variant of the format whose tables the report follows
    /// (`pingtan`); `None` for the national layout or an unknown format.
    pub variant: Option<String>,
    /// The issuing body as the title names it.
    pub issuer: Option<String>,
    /// Whether the issuer is a government or a department; `None` without an issuer.
    pub issuer_kind: Option<IssuerKind>,
    /// The report year.
    pub year: Option<i32>,
    /// Counts by severity.
    pub summary: Summary,
    /// The findings, in input order.
    pub diagnostics: Vec<DiagnosticEntry>,
}

/// One finding.
#[derive(Debug, Serialize)]
pub struct DiagnosticEntry {
    /// `NB` + three digits.
    pub code: &'static str,
    /// kebab-case rule name.
    pub name: &'static str,
    /// `error`, `warning` or `info`.
    pub severity: Severity,
    /// The message in the chosen language.
    pub message: String,
    /// The message in both languages.
    pub messages: Message,
    /// The primary span, located.
    pub span: LocatedSpan,
    /// Related places.
    pub related: Vec<RelatedEntry>,
    /// Expected value, when the check has one.
    pub expected: Option<String>,
    /// Found value, when the check has one.
    pub found: Option<String>,
    /// The id of the template relation the finding is about (`8.1`,
    /// `N3.4.denied`), when it is about one; not written when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relation: Option<String>,
    /// Where the finding is in a document whose bytes give no useful place (a
    /// Word draft); `span` then counts bytes of the text read from it. Not
    /// written when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// A related place of a finding.
#[derive(Debug, Serialize)]
pub struct RelatedEntry {
    /// The label in the chosen language.
    pub label: String,
    /// The label in both languages.
    pub labels: Message,
    /// Where.
    pub span: LocatedSpan,
    /// The report the span is in, when it is another than the entry's (the
    /// path as given); not written when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Where the place is in a Word draft, as for [`DiagnosticEntry::location`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// A place in a document without useful byte offsets (a Word draft): its
/// paragraph, or a cell of one of its tables, and the text there. Each number
/// is 1-based; a field that does not apply is not written.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The paragraph of the document body (`第 12 段`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<usize>,
    /// The table of the document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<usize>,
    /// The row in that table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    /// The column in that row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// The text there, quoted.
    pub text: String,
}

impl Location {
    /// The place of a span of a Word document's extracted text; `None` for a
    /// report that is not a Word document.
    pub fn of(report: &CheckedReport, span: nianbao_grammar::Span) -> Option<Location> {
        let located = report.docx.as_ref()?.locate(span.start..span.end)?;
        let mut location = Location {
            text: located.text,
            ..Location::default()
        };
        match located.place {
            nianbao_docx::Place::Paragraph(n) => location.paragraph = Some(n as usize),
            nianbao_docx::Place::Cell { table, row, column } => {
                location.table = Some(table as usize);
                location.row = Some(row as usize);
                location.column = Some(column as usize);
            }
            nianbao_docx::Place::Table(n) => location.table = Some(n as usize),
        }
        Some(location)
    }

    /// The place in words: `第 12 段`, `表三 第 5 行 第 2 列` / `paragraph 12`,
    /// `table 3, row 5, column 2`.
    pub fn describe(&self) -> Message {
        match (self.paragraph, self.table, self.row, self.column) {
            (Some(p), ..) => Message::new(format!("第 {p} 段"), format!("paragraph {p}")),
            (None, Some(t), Some(r), Some(c)) => Message::new(
                format!("表{} 第 {r} 行 第 {c} 列", chinese_number(t)),
                format!("table {t}, row {r}, column {c}"),
            ),
            (None, Some(t), ..) => {
                Message::new(format!("表{}", chinese_number(t)), format!("table {t}"))
            }
            _ => Message::new("", ""),
        }
    }
}

/// 1 → 一, 12 → 十二, 20 → 二十 (tables are few; past 99, digits).
fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { DIGITS[n - 10] }),
        20..=99 => format!(
            "{}十{}",
            DIGITS[n / 10],
            if n % 10 == 0 { "" } else { DIGITS[n % 10] }
        ),
        _ => n.to_string(),
    }
}

impl ReportEntry {
    /// The entry of one checked report.
    pub fn new(path: impl Into<String>, report: &CheckedReport, lang: Lang) -> Self {
        let parsed = &report.parsed;
        ReportEntry {
            path: path.into(),
            format: report.report.format.clone(),
            variant: report.report.variant.clone(),
            issuer: report.report.front.issuer.clone(),
            issuer_kind: report.report.issuer_kind(),
            year: report.report.front.year,
            summary: Summary::of(&report.diagnostics),
            diagnostics: report
                .diagnostics
                .iter()
                .map(|d| {
                    DiagnosticEntry::located(d, lang, &|span| parsed.locate(span), &|span| {
                        Location::of(report, span)
                    })
                })
                .collect(),
        }
    }
}

impl DiagnosticEntry {
    /// The entry of a finding in `lang`: its spans (and those of its related
    /// spans in this report) located by `locate`, its places in a Word document
    /// by `place`. A related span in another report was located there when the
    /// finding was made.
    pub fn located(
        d: &Diagnostic,
        lang: Lang,
        locate: &dyn Fn(nianbao_grammar::Span) -> nianbao_grammar::located::LocatedSpan,
        place: &dyn Fn(nianbao_grammar::Span) -> Option<Location>,
    ) -> DiagnosticEntry {
        DiagnosticEntry {
            code: d.code,
            name: d.name,
            severity: d.severity,
            message: lang.pick(&d.message).to_string(),
            messages: d.message.clone(),
            span: locate(d.span),
            related: d
                .related
                .iter()
                .map(|r| RelatedEntry {
                    label: lang.pick(&r.label).to_string(),
                    labels: r.label.clone(),
                    span: match &r.elsewhere {
                        Some(e) => nianbao_grammar::located::LocatedSpan {
                            start: r.span.start,
                            end: r.span.end,
                            line: e.line,
                            column: e.column,
                        },
                        None => locate(r.span),
                    },
                    path: r.elsewhere.as_ref().map(|e| e.path.clone()),
                    location: match &r.elsewhere {
                        Some(_) => None,
                        None => place(r.span),
                    },
                })
                .collect(),
            expected: d.expected.clone(),
            found: d.found.clone(),
            relation: d.relation.clone(),
            location: place(d.span),
        }
    }
}
