//! The report model and the checks of nianbao.
//!
//! ```
//! let report = nianbao_model::check(b"");
//! assert_eq!(report.diagnostics[0].code, "NB002");
//! ```

#![warn(missing_docs)]

pub use nianbao_grammar as grammar;
use nianbao_grammar::{Diagnostic, Parsed};

/// A checked report: the parse and every diagnostic.
#[derive(Debug)]
pub struct CheckedReport {
    /// The parse.
    pub parsed: Parsed,
    /// All diagnostics, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses and checks one report.
pub fn check(bytes: &[u8]) -> CheckedReport {
    let parsed = nianbao_grammar::parse(bytes);
    let mut diagnostics = parsed.diagnostics.clone();
    diagnostics.sort_by_key(|d| (d.span.start, d.code));
    CheckedReport {
        parsed,
        diagnostics,
    }
}
