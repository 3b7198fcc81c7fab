//! `--format sarif`: SARIF 2.1.0 (NOT BUILT YET: a placeholder that writes an empty log).

use nianbao_model::CheckedReport;

use super::{RenderOptions, Renderer};

/// Collects results per report and writes the SARIF log at the end.
pub struct SarifRenderer {
    #[allow(dead_code)]
    options: RenderOptions,
}

impl SarifRenderer {
    /// A renderer for these options.
    pub fn new(options: RenderOptions) -> Self {
        SarifRenderer { options }
    }
}

impl Renderer for SarifRenderer {
    fn report(&mut self, _path: &str, _report: &CheckedReport) -> String {
        String::new()
    }

    fn finish(&mut self) -> String {
        "{\"version\":\"2.1.0\",\"runs\":[]}\n".to_string()
    }
}
