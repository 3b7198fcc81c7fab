//! `--format csv`: one row per finding (NOT BUILT YET: a placeholder that writes nothing).

use nianbao_model::CheckedReport;

use super::{RenderOptions, Renderer};

/// Writes one CSV row per finding, the header first.
pub struct CsvRenderer {
    #[allow(dead_code)]
    options: RenderOptions,
}

impl CsvRenderer {
    /// A renderer for these options.
    pub fn new(options: RenderOptions) -> Self {
        CsvRenderer { options }
    }
}

impl Renderer for CsvRenderer {
    fn report(&mut self, _path: &str, _report: &CheckedReport) -> String {
        String::new()
    }

    fn finish(&mut self) -> String {
        String::new()
    }
}
