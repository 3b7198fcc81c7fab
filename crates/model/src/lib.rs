//! The report model and the checks of nianbao.
//!
//! [`check`] parses a report with [`nianbao_grammar`] and runs every check on it;
//! [`output`] shapes the result as the `nianbao.check/1` document that the CLI
//! and the server both return.
//!
//! ```
//! let report = nianbao_model::check(b"");
//! assert_eq!(report.diagnostics[0].code, "NB002");
//! let entry = nianbao_model::output::ReportEntry::new("empty.md", &report, Default::default());
//! assert_eq!(entry.summary.error, 1);
//! ```

#![warn(missing_docs)]

pub mod cross;
pub mod docs;
pub mod export;
pub mod facts;
pub mod format;
pub mod frontmatter;
mod interval;
pub mod limit;
pub mod links;
pub mod output;
pub mod quantity;
pub mod report;
pub mod rules;
pub mod settings;
pub mod suppress;
pub mod tables;
pub mod template;

pub use nianbao_grammar as grammar;
use nianbao_grammar::{Diagnostic, Parsed};

/// A checked report: the parse, the report model, and every diagnostic.
#[derive(Debug)]
pub struct CheckedReport {
    /// The parse.
    pub parsed: Parsed,
    /// The report model.
    pub report: report::Report,
    /// All diagnostics (input, structure, tables…), sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses and checks one report with the built-in templates. Never fails: problems are diagnostics.
pub fn check(bytes: &[u8]) -> CheckedReport {
    check_with(template::builtin(), bytes)
}

/// Parses and checks one report with the given templates.
pub fn check_with(templates: &[template::Template], bytes: &[u8]) -> CheckedReport {
    let parsed = nianbao_grammar::parse(bytes);
    let mut diagnostics = parsed.diagnostics.clone();
    let (report, template) = report::build_with(templates, &parsed, &mut diagnostics);
    diagnostics.extend(rules::run(&report, template, &parsed));
    suppress::apply(&parsed, &mut diagnostics);
    diagnostics.sort_by_key(|d| (d.span.start, d.code));
    limit::cap_per_rule(&mut diagnostics);
    CheckedReport {
        parsed,
        report,
        diagnostics,
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
