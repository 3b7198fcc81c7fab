//! Renderers of check results: one small file per output format.
//!
//! A renderer sees the checked reports one at a time, in the run's stable order,
//! and returns text to write at once (human output streams) or keeps what it
//! needs for the end (the JSON and SARIF documents). Only small per-report
//! entries are kept, never the parses, so a run over thousands of files stays
//! within a small memory budget.

pub mod csv;
pub mod human;
pub mod json;
pub mod sarif;

use nianbao_model::settings::Lang;
use nianbao_model::CheckedReport;

/// One output format.
pub trait Renderer {
    /// Takes one checked report (`path` as the user named it); returns text to write now.
    fn report(&mut self, path: &str, report: &CheckedReport) -> String;
    /// Returns the text that ends the output (a summary, or the whole document).
    fn finish(&mut self) -> String;
}

/// Options every renderer may use.
#[derive(Clone, Copy, Debug)]
pub struct RenderOptions {
    /// Message language.
    pub lang: Lang,
    /// Colour escapes (human output on a terminal only).
    pub color: bool,
}
