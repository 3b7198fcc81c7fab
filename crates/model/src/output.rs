//! The `nianbao.check/1` document (SPEC 5): the one JSON shape the CLI and the server return.

use serde::Serialize;

use nianbao_grammar::located::LocatedSpan;
use nianbao_grammar::{Diagnostic, Message, Severity};

use crate::settings::Lang;
use crate::CheckedReport;

/// Schema id of the check document.
pub const CHECK_SCHEMA: &str = "nianbao.check/1";

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
    /// `stat-table-2008`, `national-2019`, `national-2021` or `unknown`.
    pub format: String,
    /// The issuing body as the title names it.
    pub issuer: Option<String>,
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
}

impl ReportEntry {
    /// The entry of one checked report.
    pub fn new(path: impl Into<String>, report: &CheckedReport, lang: Lang) -> Self {
        let parsed = &report.parsed;
        ReportEntry {
            path: path.into(),
            format: report.report.format.clone(),
            issuer: report.report.front.issuer.clone(),
            year: report.report.front.year,
            summary: Summary::of(&report.diagnostics),
            diagnostics: report
                .diagnostics
                .iter()
                .map(|d| DiagnosticEntry {
                    code: d.code,
                    name: d.name,
                    severity: d.severity,
                    message: lang.pick(&d.message).to_string(),
                    messages: d.message.clone(),
                    span: parsed.locate(d.span),
                    related: d
                        .related
                        .iter()
                        .map(|r| RelatedEntry {
                            label: lang.pick(&r.label).to_string(),
                            labels: r.label.clone(),
                            span: parsed.locate(r.span),
                        })
                        .collect(),
                    expected: d.expected.clone(),
                    found: d.found.clone(),
                })
                .collect(),
        }
    }
}
