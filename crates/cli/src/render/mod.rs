//! Renderers of check results: one small file per output format.
//!
//! A report is rendered in two steps. [`Preparer::prepare`] does the work that
//! reads the checked report — locating spans, cutting snippets, building the
//! entry of a document — with no state of the run, so the thread that checked the
//! report does it and the report is dropped there. The renderer then takes the
//! [`Prepared`] reports one at a time, in the run's stable order, and returns
//! text to write at once (human, CSV and the JSON document stream: each report's
//! entry is written as it comes) or keeps what it needs for the end (the SARIF
//! log, whose artifacts come before the results). Only small per-report entries are kept, never
//! the parses, so a run over thousands of files stays within a small memory budget.

pub mod concise;
pub mod csv;
pub mod human;
pub mod json;
pub mod sarif;
pub mod score;
pub mod statistics;

use nianbao_model::output::Summary;
use nianbao_model::settings::Lang;
use nianbao_model::CheckedReport;

/// One output format.
pub trait Renderer {
    /// What prepares the reports for this renderer, on any thread.
    fn preparer(&self) -> Preparer;
    /// Takes one prepared report, in the run's order; returns text to write now.
    fn emit(&mut self, prepared: Prepared) -> String;
    /// Returns the text that ends the output (a summary, or the whole document).
    fn finish(&mut self) -> String;
    /// Takes one checked report (`path` as the user named it); returns text to write now.
    #[cfg(test)]
    fn report(&mut self, path: &str, report: &CheckedReport) -> String {
        let prepared = self.preparer().prepare(path, report);
        self.emit(prepared)
    }
}

/// A report made ready for its renderer: see the module documentation.
pub enum Prepared {
    /// Text to write as it is, and the counts of the findings in it (human, CSV,
    /// the entry of the JSON document).
    Text { text: String, summary: Summary },
    /// The report's artifact and results of the SARIF log.
    Sarif(Box<sarif::Prepared>),
    /// The code and severity of each finding shown, and the counts of all (`--statistics`).
    /// What `nianbao score` reads of a report.
    Scored(Box<score::Scored>),
    Counts {
        counts: Vec<(&'static str, nianbao_model::grammar::Severity)>,
        summary: Summary,
    },
}

/// Prepares reports for one output format: a copy for each thread that checks.
#[derive(Clone, Copy)]
pub struct Preparer {
    options: RenderOptions,
    prepare: fn(RenderOptions, &str, &CheckedReport) -> Prepared,
}

impl Preparer {
    /// Report `report` (`path` as the user named it), made ready for its renderer.
    pub fn prepare(&self, path: &str, report: &CheckedReport) -> Prepared {
        (self.prepare)(self.options, path, report)
    }
}

/// Options every renderer may use.
#[derive(Clone, Copy, Debug)]
pub struct RenderOptions {
    /// Message language.
    pub lang: Lang,
    /// Colour escapes (human output on a terminal only).
    pub color: bool,
    /// The lowest severity shown; the human output counts the findings below it
    /// in a line per rule.
    pub shown: nianbao_model::grammar::Severity,
    /// Only the findings: no summary lines.
    pub quiet: bool,
    /// Underlines placed for a terminal that draws East Asian ambiguous characters
    /// (`“ ” …`) two columns wide (human output).
    pub wide_ambiguous: bool,
}

#[cfg(test)]
impl RenderOptions {
    /// Options that show every finding with its summary lines.
    pub fn all(lang: Lang) -> RenderOptions {
        RenderOptions {
            lang,
            color: false,
            shown: nianbao_model::grammar::Severity::Info,
            quiet: false,
            wide_ambiguous: false,
        }
    }
}
