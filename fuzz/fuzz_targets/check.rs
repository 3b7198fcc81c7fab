//! The whole check on arbitrary bytes, as the CLI and the server run it:
//! `nianbao_model::check`, then the `nianbao.check/2` JSON document and the
//! statistics rows (`nianbao.table/2` JSON and CSV). It must not panic or
//! overflow (the fuzz profile keeps overflow checks on), and
//!
//! - every span anywhere in the report model (a fact's `range` is into its
//!   paragraph's text, not the input) and in the findings (primary and
//!   related) lies within the input, starts before it ends, and both of its
//!   ends fall on character boundaries: of the decoded text, and (for input
//!   that was not valid UTF-8) on the first byte of an original character;
//! - the summary counts every finding once;
//! - the report model, the check document and the table rows serialise to
//!   JSON that reads back, and the rows' CSV has one header line;
//! - every table row's line lies within the input's lines.

#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao_model::export::{self, TableRow, TABLE_SCHEMA};
use nianbao_model::grammar::{Parsed, Span};
use nianbao_model::output::{CheckDocument, ReportEntry, CHECK_SCHEMA};
use nianbao_model::settings::Lang;
use serde::Serialize;
use serde_json::Value;

#[derive(Serialize)]
struct TableDocument<'a> {
    schema: &'static str,
    rows: &'a [TableRow],
}

/// True when original offset `x` starts a character (or is the input's end).
fn on_boundary(parsed: &Parsed, x: usize) -> bool {
    let len = parsed.source().len();
    if x > len {
        return false;
    }
    let d = parsed.to_decoded(x);
    if !parsed.text.is_char_boundary(d) {
        return false;
    }
    // Outside valid UTF-8 the map sends an offset inside a character to that
    // character's start: then the byte before maps to the same place.
    x <= parsed.bom_len() || x == len || parsed.to_decoded(x - 1) < d
}

fn assert_span(parsed: &Parsed, what: &str, span: Span) {
    let len = parsed.source().len();
    assert!(
        span.start <= span.end && span.end <= len,
        "{what}: span {span:?} outside the input (len {len})"
    );
    assert!(
        on_boundary(parsed, span.start) && on_boundary(parsed, span.end),
        "{what}: span {span:?} not on character boundaries"
    );
}

/// Every `{"start": n, "end": m, …}` object of a serialised value is a byte span
/// of the input, except a fact's `range` (a range of its paragraph's logical text).
fn assert_spans_in(parsed: &Parsed, path: &mut String, value: &Value) {
    match value {
        Value::Object(map) => {
            if let (Some(start), Some(end)) = (
                map.get("start").and_then(Value::as_u64),
                map.get("end").and_then(Value::as_u64),
            ) {
                let span = Span {
                    start: usize::try_from(start).unwrap_or(usize::MAX),
                    end: usize::try_from(end).unwrap_or(usize::MAX),
                };
                assert_span(parsed, path, span);
            }
            for (key, v) in map {
                if key == "range" {
                    continue;
                }
                let at = path.len();
                path.push('.');
                path.push_str(key);
                assert_spans_in(parsed, path, v);
                path.truncate(at);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let at = path.len();
                path.push_str(&format!("[{i}]"));
                assert_spans_in(parsed, path, v);
                path.truncate(at);
            }
        }
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let checked = nianbao_model::check(data);
    let parsed = &checked.parsed;

    for d in &checked.diagnostics {
        assert_span(parsed, d.code, d.span);
        for r in &d.related {
            assert_span(parsed, d.code, r.span);
        }
    }

    // The report model: every span in it.
    let model = serde_json::to_value(&checked.report).expect("the report model serialises");
    assert_spans_in(parsed, &mut String::from("report"), &model);

    // The check document, as `nianbao check --format json` writes it.
    let entry = ReportEntry::new("fuzz.md", &checked, Lang::default());
    let s = entry.summary;
    assert_eq!(
        s.error + s.warning + s.info,
        checked.diagnostics.len(),
        "the summary does not count every finding once"
    );
    let doc = CheckDocument {
        schema: CHECK_SCHEMA,
        reports: vec![entry],
    };
    let json = serde_json::to_string_pretty(&doc).expect("the check document serialises");
    let back: Value = serde_json::from_str(&json).expect("the check document reads back");
    assert_spans_in(parsed, &mut String::from("check"), &back);

    // The statistics rows, as `nianbao table` writes them (JSON and CSV).
    let rows = export::table_rows("fuzz.md", &checked);
    let lines = parsed.line_col(data.len()).line;
    for row in &rows {
        assert!(
            row.line >= 1 && row.line <= lines,
            "row {} {:?} on line {} of {lines}",
            row.indicator,
            row.column,
            row.line
        );
    }
    let table = TableDocument {
        schema: TABLE_SCHEMA,
        rows: &rows,
    };
    let json = serde_json::to_string(&table).expect("the table document serialises");
    let _: Value = serde_json::from_str(&json).expect("the table document reads back");
    let csv = export::to_csv(&rows);
    assert!(
        csv.starts_with(&export::COLUMNS.join(",")),
        "the CSV does not start with its header"
    );
});
