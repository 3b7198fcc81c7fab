//! `--format csv`: one row per finding, RFC 4180 (fields with commas, quotes or
//! line breaks are quoted), the header once. Rows stream report by report.
//!
//! Columns: [`HEADER`]; `line` and `column` are the 1-based start of the primary
//! span (the column counts Unicode characters), `message` is in the chosen
//! language, `expected` and `found` are empty when the check has no values.
//! A Word draft's finding has instead its paragraph or table cell in `location`
//! (`第 6 段`, `表二 第 27 行 第 10 列`; in English `paragraph 6`…), `line` and
//! `column` empty: the line of the text read out of it means nothing in Word.
//! `location` is empty for every other report.
//!
//! # CSV injection
//!
//! A spreadsheet opening the file runs a cell that starts with `=`, `+`, `-` or
//! `@` (or a tab or carriage return before one) as a formula, and report text —
//! a path, a quoted value — can start that way (a report named
//! `=HYPERLINK(…)`). As OWASP advises, such a cell is written with a leading `'`,
//! which spreadsheets show as text. A cell that is a plain decimal number (`-3`,
//! `+2.5`) is left as it is: a spreadsheet reads it as that number, never as a
//! formula, and quoting it would turn the statistics of `nianbao table` into
//! text. [`neutralise`] is used by both CSV outputs (`check --format csv` and
//! `nianbao table`).

use std::borrow::Cow;

use nianbao_model::output::{Location, Summary};
use nianbao_model::CheckedReport;

use super::{Prepared, Preparer, RenderOptions, Renderer};

/// The header record.
pub const HEADER: [&str; 13] = [
    "path", "line", "column", "code", "name", "severity", "message", "expected", "found", "issuer",
    "year", "format", "location",
];

/// The header record in Chinese (`--lang zh` given on the command line), for a
/// spreadsheet read by an office.
pub const HEADER_ZH: [&str; 13] = [
    "文件",
    "行",
    "列",
    "代码",
    "名称",
    "严重程度",
    "说明",
    "应为",
    "实为",
    "发布机关",
    "年度",
    "格式",
    "位置",
];

/// Writes one CSV row per finding, the header first.
pub struct CsvRenderer {
    options: RenderOptions,
    header_written: bool,
    chinese_header: bool,
}

impl CsvRenderer {
    /// A renderer for these options; `chinese_header`: [`HEADER_ZH`] instead of [`HEADER`].
    pub fn new(options: RenderOptions, chinese_header: bool) -> Self {
        CsvRenderer {
            options,
            header_written: false,
            chinese_header,
        }
    }

    /// The header, the first time only.
    fn header(&mut self) -> Vec<Vec<String>> {
        if std::mem::replace(&mut self.header_written, true) {
            Vec::new()
        } else if self.chinese_header {
            vec![HEADER_ZH.iter().map(|h| h.to_string()).collect()]
        } else {
            vec![HEADER.iter().map(|h| h.to_string()).collect()]
        }
    }
}

impl Renderer for CsvRenderer {
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
        let mut out = to_csv(&self.header());
        out.push_str(&text);
        out
    }

    fn finish(&mut self) -> String {
        // No report could be read: the header alone.
        let header = self.header();
        to_csv(&header)
    }
}

/// The report's rows (the header is the renderer's, written once).
fn prepare(options: RenderOptions, path: &str, report: &CheckedReport) -> Prepared {
    let lang = options.lang;
    let mut records = Vec::with_capacity(report.diagnostics.len());
    for d in &report.diagnostics {
        let (line, column, location) = match &report.docx {
            Some(_) => (
                String::new(),
                String::new(),
                Location::of(report, d.span)
                    .map(|l| lang.pick(&l.describe()).to_string())
                    .unwrap_or_default(),
            ),
            None => {
                let at = report.parsed.locate(d.span);
                (at.line.to_string(), at.column.to_string(), String::new())
            }
        };
        let mut record = vec![
            path.to_string(),
            line,
            column,
            d.code.to_string(),
            d.name.to_string(),
            d.severity.as_str().to_string(),
            lang.pick(&d.message).to_string(),
            d.expected.clone().unwrap_or_default(),
            d.found.clone().unwrap_or_default(),
            report.report.front.issuer.clone().unwrap_or_default(),
            report
                .report
                .front
                .year
                .map(|y| y.to_string())
                .unwrap_or_default(),
            report.report.format.clone(),
            location,
        ];
        for cell in record.iter_mut() {
            if let Cow::Owned(safe) = neutralise(cell) {
                *cell = safe;
            }
        }
        records.push(record);
    }
    Prepared::Text {
        text: to_csv(&records),
        summary: Summary::of(&report.diagnostics),
    }
}

pub use nianbao_model::export::neutralise;

/// Records as RFC 4180 text, each ended by `\n` (as `nianbao table` writes CSV).
fn to_csv(records: &[Vec<String>]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // Writing into a Vec cannot fail.
    for record in records {
        let _ = writer.write_record(record);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use nianbao_model::settings::Lang;

    fn options(lang: Lang) -> RenderOptions {
        RenderOptions::all(lang)
    }

    #[test]
    fn header_once_then_one_row_per_finding() {
        let mut r = CsvRenderer::new(options(Lang::En), false);
        let empty = nianbao_model::check(b"");
        let first = r.report("a.md", &empty);
        let second = r.report("b,c.md", &empty);
        assert_eq!(r.finish(), "");
        let header = HEADER.join(",");
        assert!(first.starts_with(&format!("{header}\n")), "{first}");
        assert_eq!(first.lines().count(), 1 + empty.diagnostics.len());
        assert!(!second.contains(&header));
        assert!(second.starts_with("\"b,c.md\",1,1,NB002,"), "{second}");
    }

    #[test]
    fn formula_cells_get_a_quote_and_plain_numbers_stay_numbers() {
        for (cell, written) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-", "'-"),
            ("-1e3", "'-1e3"),
            ("-.5", "'-.5"),
            ("-3.", "'-3."),
            ("-3", "-3"),
            ("+2.50", "+2.50"),
            ("12", "12"),
            ("a.md", "a.md"),
            ("—", "—"),
            ("'=x", "'=x"),
            ("", ""),
        ] {
            assert_eq!(neutralise(cell), written, "{cell:?}");
        }
    }

    #[test]
    fn header_alone_when_nothing_was_read() {
        let mut r = CsvRenderer::new(options(Lang::Zh), false);
        assert_eq!(r.finish(), format!("{}\n", HEADER.join(",")));
        assert_eq!(r.finish(), "");
        let mut r = CsvRenderer::new(options(Lang::Zh), true);
        assert_eq!(r.finish(), format!("{}\n", HEADER_ZH.join(",")));
    }
}
