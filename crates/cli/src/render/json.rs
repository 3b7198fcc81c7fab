//! `--format json`: the `nianbao.check/2` document, streamed report by report.
//!
//! The document is written as `serde_json::to_string_pretty` writes the whole
//! [`CheckDocument`], byte for byte, without holding it: the thread that checked
//! a report writes its entry (pretty, each line indented to its depth in the
//! document: JSON strings hold no line break, so indenting lines is exact), and
//! the renderer joins the entries between the document's head and its end.

use nianbao_model::output::{CheckDocument, ReportEntry, Summary, CHECK_SCHEMA};
use nianbao_model::CheckedReport;

use super::{Prepared, Preparer, RenderOptions, Renderer};

/// Writes the document's head before the first entry, the entries as they come,
/// and its end.
pub struct JsonRenderer {
    options: RenderOptions,
    /// Entries written so far.
    reports: usize,
}

impl JsonRenderer {
    /// A renderer for these options.
    pub fn new(options: RenderOptions) -> Self {
        JsonRenderer {
            options,
            reports: 0,
        }
    }
}

/// How deep an entry sits in the document (in `reports`, in the document).
const ENTRY_INDENT: &str = "    ";

impl Renderer for JsonRenderer {
    fn preparer(&self) -> Preparer {
        Preparer {
            options: self.options,
            prepare,
        }
    }

    fn emit(&mut self, prepared: Prepared) -> String {
        let Prepared::Text { text, .. } = prepared else {
            return String::new();
        };
        let mut out = if self.reports == 0 {
            let schema = serde_json::to_string(CHECK_SCHEMA).unwrap_or_default();
            format!("{{\n  \"schema\": {schema},\n  \"reports\": [\n")
        } else {
            ",\n".to_string()
        };
        self.reports += 1;
        out.push_str(&text);
        out
    }

    fn finish(&mut self) -> String {
        if self.reports > 0 {
            return "\n  ]\n}\n".to_string();
        }
        let doc = CheckDocument {
            schema: CHECK_SCHEMA,
            reports: Vec::new(),
        };
        let mut out =
            serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
        out.push('\n');
        out
    }
}

/// The report's entry of the document, as the document writes it.
fn prepare(options: RenderOptions, path: &str, report: &CheckedReport) -> Prepared {
    let entry = ReportEntry::new(path, report, options.lang);
    // Never fails: an entry is strings, numbers and lists.
    let json =
        serde_json::to_string_pretty(&entry).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    let mut text = String::with_capacity(json.len() + json.len() / 4);
    for (i, line) in json.split('\n').enumerate() {
        if i > 0 {
            text.push('\n');
        }
        text.push_str(ENTRY_INDENT);
        text.push_str(line);
    }
    Prepared::Text {
        text,
        summary: Summary::of(&report.diagnostics),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nianbao_model::settings::Lang;

    fn options() -> RenderOptions {
        RenderOptions::all(Lang::En)
    }

    #[test]
    fn the_streamed_document_is_the_whole_document_pretty_printed() {
        let reports = [
            (
                "a.md",
                nianbao_model::check(include_bytes!("../../../../tests/fixtures/pingtan-2024.md")),
            ),
            ("empty.md", nianbao_model::check(b"")),
            (
                "b \"quoted\".md",
                nianbao_model::check(include_bytes!(
                    "../../../../tests/fixtures/zhongwei-2017.md"
                )),
            ),
        ];
        for n in 0..=reports.len() {
            let mut r = JsonRenderer::new(options());
            let mut streamed = String::new();
            for (path, report) in &reports[..n] {
                streamed.push_str(&r.report(path, report));
            }
            streamed.push_str(&r.finish());
            let doc = CheckDocument {
                schema: CHECK_SCHEMA,
                reports: reports[..n]
                    .iter()
                    .map(|(path, report)| ReportEntry::new(*path, report, Lang::En))
                    .collect(),
            };
            let whole = serde_json::to_string_pretty(&doc).expect("serializes") + "\n";
            assert_eq!(streamed, whole, "{n} reports");
        }
    }
}
