//! Shared helpers of the model's integration tests: run the checker on a text,
//! read its findings as (code, severity, line), and make one edit to a real
//! fixture so that each test shows exactly what changed.
#![allow(dead_code)] // every test file uses a part of it

use nianbao_model::grammar::{Diagnostic, Severity, Span};
use nianbao_model::CheckedReport;

/// (code, severity, 1-based line of the primary span).
pub type Finding = (&'static str, Severity, usize);

/// Every real report of `tests/fixtures`, as (file name, bytes).
pub const REAL_FIXTURES: [(&str, &[u8]); 9] = [
    (
        "zhongwei-2017.md",
        include_bytes!("../../../../tests/fixtures/zhongwei-2017.md"),
    ),
    (
        "huaian-2024.md",
        include_bytes!("../../../../tests/fixtures/huaian-2024.md"),
    ),
    (
        "pingtan-2018.md",
        include_bytes!("../../../../tests/fixtures/pingtan-2018.md"),
    ),
    (
        "pingtan-2023.md",
        include_bytes!("../../../../tests/fixtures/pingtan-2023.md"),
    ),
    (
        "pingtan-2024.md",
        include_bytes!("../../../../tests/fixtures/pingtan-2024.md"),
    ),
    (
        "pingtan-2025.md",
        include_bytes!("../../../../tests/fixtures/pingtan-2025.md"),
    ),
    (
        "pingtan-caizhengjinrongju-2020.md",
        include_bytes!("../../../../tests/fixtures/pingtan-caizhengjinrongju-2020.md"),
    ),
    (
        "pingtan-caizhengjinrongju-2025.md",
        include_bytes!("../../../../tests/fixtures/pingtan-caizhengjinrongju-2025.md"),
    ),
    (
        "pingtan-2023.page.html",
        include_bytes!("../../../../tests/fixtures/pingtan-2023.page.html"),
    ),
];

/// Parses and checks one input.
pub fn run(input: &str) -> CheckedReport {
    nianbao_model::check(input.as_bytes())
}

/// Every finding of `r` as (code, severity, line).
pub fn findings(r: &CheckedReport) -> Vec<Finding> {
    r.diagnostics
        .iter()
        .map(|d| (d.code, d.severity, line(r, d.span)))
        .collect()
}

/// Every finding on `input` as (code, severity, line).
pub fn check(input: &str) -> Vec<Finding> {
    findings(&run(input))
}

/// 1-based line of the start of `span`.
pub fn line(r: &CheckedReport, span: Span) -> usize {
    r.parsed.line_col(span.start).line
}

/// 1-based lines of the related spans of `d`.
pub fn related_lines(r: &CheckedReport, d: &Diagnostic) -> Vec<usize> {
    d.related.iter().map(|x| line(r, x.span)).collect()
}

/// 1-based line of the first occurrence of `needle`.
#[track_caller]
pub fn line_of(text: &str, needle: &str) -> usize {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} is not in the input"));
    text[..at].matches('\n').count() + 1
}

/// Replaces the only occurrence of `from`.
#[track_caller]
pub fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "{from:?} must occur exactly once"
    );
    text.replacen(from, to, 1)
}

/// The whole line of `text` containing `needle` (with its newline).
#[track_caller]
pub fn whole_line(text: &str, needle: &str) -> String {
    text.split_inclusive('\n')
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} is not in the input"))
        .to_string()
}

/// Sets the value (last) cell of the only pipe-table row whose line contains `label`.
#[track_caller]
pub fn set_value(text: &str, label: &str, value: &str) -> String {
    let mut hits = 0;
    let lines: Vec<String> = text
        .split('\n')
        .map(|l| {
            if l.starts_with('|') && l.contains(label) {
                hits += 1;
                let mut cells: Vec<&str> = l.split('|').collect();
                let n = cells.len();
                let padded = format!(" {value} ");
                cells[n - 2] = &padded;
                cells.join("|")
            } else {
                l.to_string()
            }
        })
        .collect();
    assert_eq!(hits, 1, "{label:?} must name exactly one table row");
    lines.join("\n")
}
