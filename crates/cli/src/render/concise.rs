//! Concise output: one line per finding, `path:line:column: code message`, as
//! compilers and ruff's `--output-format concise` print them, then the total
//! ([`super::human::HumanRenderer::concise`] streams them and writes the total).
//!
//! A Word draft's finding is placed as the human output places it, by its
//! paragraph or table cell (`draft.docx 第 6 段: NB301 …`, `draft.docx, table 2,
//! row 27, column 10: …`): the line of the text read out of it means nothing in Word.

use nianbao_model::output::{Location, Summary};
use nianbao_model::settings::Lang;
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
        let place = match (&report.docx, Location::of(report, d.span)) {
            (Some(_), Some(location)) => match options.lang {
                Lang::Zh => format!("{path} {}", location.describe().zh),
                Lang::En => format!("{path}, {}", location.describe().en),
            },
            // A finding of the draft as a whole (nothing to point at in it).
            (Some(_), None) => path.to_string(),
            (None, _) => {
                let at = report.parsed.locate(d.span);
                format!("{path}:{}:{}", at.line, at.column)
            }
        };
        let message = options.lang.pick(&d.message);
        // One line per finding, whatever the message holds.
        let message = message.replace(['\n', '\r'], " ");
        text.push_str(&format!("{place}: {} {message}\n", d.code));
    }
    Prepared::Text {
        text,
        summary: Summary::of(&report.diagnostics),
    }
}
