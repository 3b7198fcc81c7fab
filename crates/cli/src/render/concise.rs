//! Concise output: one line per finding, `path:line:column: code message`, as
//! compilers and ruff's `--output-format concise` print them, then the total.

use nianbao_model::output::Summary;
use nianbao_model::CheckedReport;

use super::human::total_line;
use super::{Prepared, Preparer, RenderOptions};

/// Streams each report's lines; the total at the end.
pub struct ConciseRenderer {
    options: RenderOptions,
    files: usize,
    total: Summary,
}

impl ConciseRenderer {
    /// A renderer for these options.
    pub fn new(options: RenderOptions) -> Self {
        ConciseRenderer {
            options,
            files: 0,
            total: Summary::default(),
        }
    }
}

impl super::Renderer for ConciseRenderer {
    fn preparer(&self) -> Preparer {
        Preparer {
            options: self.options,
            prepare,
        }
    }

    fn emit(&mut self, prepared: Prepared) -> String {
        match prepared {
            Prepared::Text { text, summary } => {
                self.files += 1;
                self.total.add(summary);
                text
            }
            _ => String::new(),
        }
    }

    fn finish(&mut self) -> String {
        if self.options.quiet {
            return String::new();
        }
        format!(
            "{}\n",
            total_line(self.files, self.total, self.options.lang)
        )
    }
}

/// The report's lines, from the lowest severity shown.
fn prepare(options: RenderOptions, path: &str, report: &CheckedReport) -> Prepared {
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
