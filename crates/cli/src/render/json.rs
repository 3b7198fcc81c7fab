//! `--format json`: the `nianbao.check/2` document.

use nianbao_model::output::{CheckDocument, ReportEntry, CHECK_SCHEMA};
use nianbao_model::CheckedReport;

use super::{Prepared, Preparer, RenderOptions, Renderer};

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
    fn preparer(&self) -> Preparer {
        Preparer {
            options: self.options,
            prepare,
        }
    }

    fn emit(&mut self, prepared: Prepared) -> String {
        if let Prepared::Entry(entry) = prepared {
            self.entries.push(*entry);
        }
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

/// The report's entry of the document.
fn prepare(options: RenderOptions, path: &str, report: &CheckedReport) -> Prepared {
    Prepared::Entry(Box::new(ReportEntry::new(path, report, options.lang)))
}
