//! `--format json`: the `nianbao.check/1` document.

use nianbao_model::output::{CheckDocument, ReportEntry, CHECK_SCHEMA};

/// Renders the document for the checked reports, pretty-printed, with a final newline.
pub fn render(reports: Vec<ReportEntry>) -> String {
    let doc = CheckDocument {
        schema: CHECK_SCHEMA,
        reports,
    };
    let mut out =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    out.push('\n');
    out
}
