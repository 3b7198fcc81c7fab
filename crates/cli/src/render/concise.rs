//! Concise output: one line per finding, `path:line:column: code message`, as
//! compilers and ruff's `--output-format concise` print them, then the total
//! ([`super::human::HumanRenderer::concise`] streams them and writes the total).

use nianbao_model::output::Summary;
use nianbao_model::CheckedReport;

use super::{Prepared, RenderOptions};

/// The report's lines, from the lowest severity shown.
pub(super) fn prepare(options: RenderOptions, path: &str, report: &CheckedReport) -> Prepared {
    let mut text = String::new();
    for d in report
        .diagnostics
        .iter()
        .filter(|d| d.severity >= options.shown)
    {
        let at = report.parsed.locate(d.span);
        let message = options.lang.pick(&d.message);
        // One line per finding, whatever the message holds.
        let message = message.replace(['\n', '\r'], " ");
        text.push_str(&format!(
            "{path}:{}:{}: {} {message}\n",
            at.line, at.column, d.code
        ));
    }
    Prepared::Text {
        text,
        summary: Summary::of(&report.diagnostics),
    }
}
