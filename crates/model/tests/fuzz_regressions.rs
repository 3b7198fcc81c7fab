//! Inputs the fuzzer (`fuzz/`, target `check`) found crashing, replayed on every
//! `cargo test`: each must check without a panic, with every span inside the input
//! on character boundaries, and give the finding a reader expects. The same bytes
//! are committed as `fuzz/corpus/check/regress-*`, so a fuzzing run replays them
//! first; [`every_committed_regression_input_checks_cleanly`] replays that directory
//! too, so an input added there is tested without a line of code.

use nianbao_model::grammar::{Parsed, Span};
use nianbao_model::output::ReportEntry;
use nianbao_model::settings::Lang;
use nianbao_model::CheckedReport;

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
    // Outside valid UTF-8 an offset inside a character maps to that character's
    // start, as the byte before it does.
    x <= parsed.bom_len() || x == len || parsed.to_decoded(x - 1) < d
}

#[track_caller]
fn assert_span(parsed: &Parsed, what: &str, span: Span) {
    assert!(
        span.start <= span.end && span.end <= parsed.source().len(),
        "{what}: span {span:?} outside the input (len {})",
        parsed.source().len()
    );
    assert!(
        on_boundary(parsed, span.start) && on_boundary(parsed, span.end),
        "{what}: span {span:?} not on character boundaries"
    );
}

/// Checks `bytes` as the fuzz target does: no panic, every finding's span (and
/// related span) on character boundaries, the check document serialises.
#[track_caller]
fn check_cleanly(name: &str, bytes: &[u8]) -> CheckedReport {
    let checked = nianbao_model::check(bytes);
    for d in &checked.diagnostics {
        assert_span(&checked.parsed, &format!("{name}: {}", d.code), d.span);
        for r in &d.related {
            assert_span(
                &checked.parsed,
                &format!("{name}: {} related", d.code),
                r.span,
            );
        }
    }
    let entry = ReportEntry::new(name, &checked, Lang::default());
    assert_eq!(entry.diagnostics.len(), checked.diagnostics.len());
    serde_json::to_string(&entry).unwrap_or_else(|e| panic!("{name}: {e}"));
    checked
}

/// The codes and spans of the findings with `code`.
fn spans_of(checked: &CheckedReport, code: &str) -> Vec<Span> {
    checked
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| d.span)
        .collect()
}

/// The fuzzer's scale-29 figure in a table cell (the reproductions of the issue
/// have it in the narrative): a cell of `……部分公开` in a national-2021 report
/// holding `00.00000000000000000000000000001`. It is NB211 naming the cell, not
/// a panic.
#[test]
fn a_table_cell_with_29_decimals_is_a_finding() {
    let bytes = include_bytes!("../../../fuzz/corpus/check/regress-decimal-scale-table-cell");
    let checked = check_cleanly("regress-decimal-scale-table-cell", bytes);
    let cells: Vec<&str> = spans_of(&checked, "NB211")
        .into_iter()
        .map(|span| checked.parsed.text_of(span))
        .collect();
    assert!(
        cells
            .iter()
            .any(|t| t.contains("00.00000000000000000000000000001")),
        "an NB211 at the cell, got {cells:?}"
    );
}

/// An index number after an undecodable byte (`\x9f2/2011-01`, found by the
/// fuzzer beside the issue's `站1/2018-12`): the byte is NB001, the rest is read.
#[test]
fn an_index_number_after_an_undecodable_byte_is_read() {
    let bytes = b"\x9f2/2011-01";
    let checked = check_cleanly("regress-facts-index-number-undecodable", bytes);
    assert_eq!(spans_of(&checked, "NB001"), [Span::new(0, 1)]);
}

/// Every file committed as `fuzz/corpus/check/regress-*` checks cleanly.
#[test]
fn every_committed_regression_input_checks_cleanly() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/check");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("regress-"))
        })
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no regress-* input in {}", dir.display());
    for path in &names {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        check_cleanly(name, &bytes);
    }
}

#[test]
fn a_numbering_finding_of_a_gb18030_report_underlines_its_marker() {
    // `（一）概述\n\n（三）其他` in GB18030: the marker `（三）` is bytes 12..18.
    let gap =
        b"\xa3\xa8\xd2\xbb\xa3\xa9\xb8\xc5\xca\xf6\n\n\xa3\xa8\xc8\xfd\xa3\xa9\xc6\xe4\xcb\xfb";
    let checked = check_cleanly("regress-nb102-gb18030", gap);
    assert_eq!(spans_of(&checked, "NB102"), [Span::new(12, 18)]);
    // `（一）概述\n\n（一）其他`: the repeated marker.
    let repeat =
        b"\xa3\xa8\xd2\xbb\xa3\xa9\xb8\xc5\xca\xf6\n\n\xa3\xa8\xd2\xbb\xa3\xa9\xc6\xe4\xcb\xfb";
    let checked = check_cleanly("regress-nb103-gb18030", repeat);
    assert_eq!(spans_of(&checked, "NB103"), [Span::new(12, 18)]);
    // The same text as UTF-8 underlines the same characters (9 bytes there).
    let checked = check_cleanly("utf-8", "（一）概述\n\n（三）其他".as_bytes());
    assert_eq!(spans_of(&checked, "NB102"), [Span::new(17, 26)]);
}
