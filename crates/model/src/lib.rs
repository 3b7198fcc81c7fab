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

pub mod frontmatter;
pub mod output;
pub mod quantity;
pub mod settings;
pub mod template;

pub use nianbao_grammar as grammar;
use nianbao_grammar::{Diagnostic, Parsed};

/// A checked report: the parse, what the model read from it, and every diagnostic.
#[derive(Debug)]
pub struct CheckedReport {
    /// The parse.
    pub parsed: Parsed,
    /// The format detected (`unknown` until formats are recognised).
    pub format: String,
    /// The issuing body as the title names it.
    pub issuer: Option<String>,
    /// The report year.
    pub year: Option<i32>,
    /// All diagnostics, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses and checks one report. Never fails: problems are diagnostics.
pub fn check(bytes: &[u8]) -> CheckedReport {
    let parsed = nianbao_grammar::parse(bytes);
    let front = frontmatter::read(&parsed.blocks);
    let mut diagnostics = parsed.diagnostics.clone();
    diagnostics.sort_by_key(|d| (d.span.start, d.code));
    CheckedReport {
        format: "unknown".to_string(),
        issuer: front.issuer.clone(),
        year: front.year,
        parsed,
        diagnostics,
    }
}

/// Every diagnostic code the checks can emit, in code order.
pub fn catalog() -> Vec<&'static nianbao_grammar::diagnostic::DiagnosticCode> {
    nianbao_grammar::codes::ALL.to_vec()
}
