//! `--format json`: the `nianbao.check/2` document.

use nianbao_model::output::{CheckDocument, ReportEntry, CHECK_SCHEMA};
use nianbao_model::CheckedReport;

use super::{RenderOptions, Renderer};

/// Collects one entry per report and writes the document at the end.
pub struct JsonRenderer {
    options: RenderOptions,
    entries: Vec<ReportEntry>,
}

impl JsonRenderer {
    /// A renderer for these options.
    pub fn new(options: RenderOptions) -> Self {
        JsonRenderer {
            options,
            entries: Vec::new(),
        }
    }
}

impl Renderer for JsonRenderer {
    fn report(&mut self, path: &str, report: &CheckedReport) -> String {
        self.entries
            .push(ReportEntry::new(path, report, self.options.lang));
        String::new()
    }

    fn finish(&mut self) -> String {
        let doc = CheckDocument {
            schema: CHECK_SCHEMA,
            reports: std::mem::take(&mut self.entries),
        };
        let mut out =
            serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
        out.push('\n');
        out
    }
}
