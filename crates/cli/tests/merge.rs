//! `nianbao merge`: subordinate reports summed and compared with the compiled
//! report, run as a user runs it — from the workspace root, with the paths a user
//! types. The subordinates are `tests/fixtures/merge/` (a split of 平潭 2024 and a
//! variant with one cell off by one, see `tests/fixtures/README.md`); the compiled
//! report is the published `tests/fixtures/pingtan-2024.md`.

mod common;

use common::{nianbao_in_root as nianbao, workspace_root};
use std::process::Output;

use serde_json::Value;

const A: &str = "tests/fixtures/merge/pingtan-2024-a.md";
const B: &str = "tests/fixtures/merge/pingtan-2024-b.md";
const B_OFF: &str = "tests/fixtures/merge/pingtan-2024-b-off-by-one.md";
const COMPILED: &str = "tests/fixtures/pingtan-2024.md";

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8")
}

fn json(out: &Output) -> Value {
    let doc: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(doc["schema"], "nianbao.merge/2");
    doc
}

/// 1-based line of the only line of `path` containing `needle`.
fn line_in(path: &str, needle: &str) -> u64 {
    let text = std::fs::read_to_string(workspace_root().join(path)).expect("fixture readable");
    let lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(lines.len(), 1, "{needle:?} in {path}");
    lines[0] as u64
}

#[test]
fn the_split_agrees_with_the_published_report() {
    let out = nianbao(&["merge", A, B, "--against", COMPILED]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("对照汇总年报 tests/fixtures/pingtan-2024.md"),
        "{text}"
    );
    assert!(text.contains("全部一致"), "{text}");
    assert!(!text.contains('✗'), "{text}");
    assert!(stderr(&out).is_empty());

    let out = nianbao(&["merge", A, B, "--against", COMPILED, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let doc = json(&out);
    assert_eq!(doc["format"], "national-2021");
    assert_eq!(doc["against"], COMPILED);
    assert_eq!(doc["subordinates"], serde_json::json!([A, B]));
    assert_eq!(doc["summary"]["differing"], 0);
    assert!(doc["summary"]["compared"].as_u64().unwrap_or(0) > 100);
    assert_eq!(doc["indicators"], serde_json::json!([]));
}

#[test]
fn one_cell_off_by_one_is_the_one_differing_indicator_human() {
    let out = nianbao(&["merge", A, B_OFF, "--against", COMPILED, "--lang", "en"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    let line = line_in(COMPILED, "<tr><td>行政许可</td>");
    assert_eq!(text.matches('✗').count(), 1, "{text}");
    assert!(
        text.contains("✗ active.a20_5.licensing@decisions  Administrative licensing"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "sum of the subordinates 4530 ≠ compiled 4529 (line {line})"
        )),
        "{text}"
    );
    assert!(text.contains(&format!("3000  {A}:{line}")), "{text}");
    assert!(text.contains(&format!("1530  {B_OFF}:{line}")), "{text}");
    assert!(text.contains("1 differ"), "{text}");

    // The same in Chinese (the default without a locale).
    let out = nianbao(&["merge", A, B_OFF, "--against", COMPILED]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("✗ active.a20_5.licensing@decisions  行政许可"),
        "{text}"
    );
    assert!(
        text.contains(&format!("下级合计 4530 ≠ 汇总年报 4529（第 {line} 行）")),
        "{text}"
    );
    assert!(text.contains("1 个不一致"), "{text}");
}

#[test]
fn one_cell_off_by_one_is_the_one_differing_indicator_json() {
    let out = nianbao(&["merge", A, B_OFF, "--against", COMPILED, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    assert_eq!(doc["summary"]["differing"], 1);
    let indicators = doc["indicators"].as_array().expect("indicators");
    assert_eq!(indicators.len(), 1);
    let ind = &indicators[0];
    let line = line_in(COMPILED, "<tr><td>行政许可</td>");
    assert_eq!(ind["id"], "active.a20_5.licensing@decisions");
    assert_eq!(ind["label"], "行政许可");
    assert_eq!(ind["sum"], "4530");
    assert_eq!(ind["compiled"], "4529");
    assert_eq!(ind["compiled_line"], line);
    assert_eq!(ind["blank"], 0);
    assert_eq!(
        ind["contributors"],
        serde_json::json!([
            {"path": A, "value": "3000", "line": line},
            {"path": B_OFF, "value": "1530", "line": line},
        ])
    );
}

#[test]
fn without_a_compiled_report_the_sums_are_printed() {
    let out = nianbao(&["merge", A, B, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(doc["against"], Value::Null);
    let indicators = doc["indicators"].as_array().expect("indicators");
    assert_eq!(
        indicators.len(),
        doc["summary"]["indicators"].as_u64().unwrap_or(0) as usize
    );
    let find = |id: &str| {
        indicators
            .iter()
            .find(|i| i["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    assert_eq!(find("apply.new@total")["sum"], "218");
    assert_eq!(find("active.a20_8.fee@fee_wan")["sum"], "18651.06");
    assert_eq!(find("apply.new@total")["compiled"], Value::Null);
    assert_eq!(
        find("apply.new@total")["contributors"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );

    let out = nianbao(&["merge", A, B, "--lang", "en"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let row = text
        .lines()
        .find(|l| l.starts_with("apply.new@total "))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(row.contains(" 218 "), "{row}");
    assert!(
        row.ends_with("New requests received this year (Total)"),
        "{row}"
    );
}

#[test]
fn unreadable_paths_exit_2_and_are_named() {
    let out = nianbao(&[
        "merge",
        A,
        "tests/fixtures/merge/no-such-report.md",
        "--against",
        "tests/fixtures/no-such-compiled.md",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty());
    let err = stderr(&out);
    assert!(
        err.contains("无法读取 tests/fixtures/merge/no-such-report.md"),
        "{err}"
    );
    assert!(err.contains("tests/fixtures/no-such-compiled.md"), "{err}");

    let out = nianbao(&["merge", "no-such.md", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read no-such.md"));
}

#[test]
fn reports_of_different_formats_exit_2_with_an_explanation() {
    let old = "tests/fixtures/pingtan-caizhengjinrongju-2020.md";
    let out = nianbao(&["merge", A, old, "--lang", "en"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty());
    let err = stderr(&out);
    assert!(err.contains("different formats"), "{err}");
    assert!(err.contains(&format!("{old}: national-2019")), "{err}");
    assert!(err.contains(&format!("{A}: national-2021")), "{err}");

    let out = nianbao(&["merge", A, "--against", old]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("汇总年报的格式（national-2019）"),
        "{}",
        stderr(&out)
    );

    // One national format in two layouts: their indicators differ all the same.
    let national = "tests/fixtures/zhongwei-2017.md";
    let variant = "tests/fixtures/pingtan-2018.md";
    let out = nianbao(&["merge", national, variant, "--lang", "en"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{national}: stat-table-2008;")),
        "{err}"
    );
    assert!(
        err.contains(&format!("{variant}: stat-table-2008/pingtan")),
        "{err}"
    );
}

#[test]
fn the_document_names_the_variant_the_reports_share() {
    let variant = "tests/fixtures/pingtan-2018.md";
    let out = nianbao(&["merge", variant, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(doc["format"], "stat-table-2008");
    assert_eq!(doc["variant"], "pingtan");
    let out = nianbao(&["merge", variant]);
    assert!(
        stdout(&out).contains("汇总 1 份下级年报（stat-table-2008/pingtan）"),
        "{}",
        stdout(&out)
    );
    let out = nianbao(&["merge", A, "--format", "json"]);
    assert_eq!(json(&out)["variant"], Value::Null);
}

#[test]
fn a_subordinate_with_no_readable_table_is_named_on_stderr() {
    // The plain-text dump runs every table's cells together: nothing is read from it.
    let out = nianbao(&[
        "merge",
        "tests/fixtures/pingtan-2023.page.txt",
        "--lang",
        "en",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains(
            "warning: no table cell could be read from tests/fixtures/pingtan-2023.page.txt"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_comparison_that_compared_nothing_is_an_error() {
    // The compiled report's tables are run together (a text dump): nothing of it
    // can be compared, which must not read as agreement.
    let out = nianbao(&[
        "merge",
        "--against",
        "tests/fixtures/pingtan-2023.page.txt",
        "tests/fixtures/pingtan-2023.md",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stdout(&out).contains("没有可与汇总年报比较的指标"),
        "{}",
        stdout(&out)
    );
    assert!(!stdout(&out).contains("全部一致"));
    assert!(stderr(&out).contains("汇总年报中没有一个指标能与下级年报的合计比较"));
}
