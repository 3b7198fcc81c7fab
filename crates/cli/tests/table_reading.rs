//! How `nianbao` reads the statistics tables of real reports, seen as a user sees
//! it: `check --format json` for the findings, `table --format json` for the figures.
//! The inputs are reports of the corpus (`tests/corpus`), unchanged, and one
//! fixture with one edit.

use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;
use common::nianbao;

fn corpus(name: &str) -> PathBuf {
    common::corpus_file(&format!("html/{name}"))
}

fn json_of(args: &[&str]) -> Value {
    let out = nianbao(args);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The diagnostics of `check --format json` with code `code`.
fn findings(path: &Path, code: &str) -> Vec<Value> {
    let doc = json_of(&["check", "--format", "json", path.to_str().expect("utf-8")]);
    doc["reports"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == code)
        .cloned()
        .collect()
}

/// The value `table --format json` gives for `indicator` in `column`.
fn value(path: &Path, indicator: &str, column: &str) -> Option<String> {
    let doc = json_of(&["table", "--format", "json", path.to_str().expect("utf-8")]);
    doc["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["indicator"] == indicator && r["column"] == column)
        .and_then(|r| r["value"].as_str().map(str::to_string))
}

fn temp(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nianbao-tables-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("temp file written");
    path
}

#[test]
fn a_misspelt_header_and_an_older_row_label_are_read_with_one_info() {
    // The published table prints 先行有效件数 (for 现行有效件数) and 规范性文件 (the
    // 2019 wording of 行政规范性文件) in its 2024 table.
    let path = corpus("pingtan-haitanpianqu-2024.body.html");
    let renamed = findings(&path, "NB215");
    assert_eq!(renamed.len(), 1, "{renamed:?}");
    assert_eq!(renamed[0]["severity"], "info");
    let zh = renamed[0]["messages"]["zh"].as_str().expect("zh");
    assert!(zh.contains("“先行有效件数”读作“现行有效件数”"), "{zh}");
    assert!(zh.contains("“规范性文件”读作“行政规范性文件”"), "{zh}");
    let en = renamed[0]["messages"]["en"].as_str().expect("en");
    assert!(en.contains("\"先行有效件数\" as \"现行有效件数\""), "{en}");
    assert!(findings(&path, "NB214").is_empty());
    assert_eq!(
        value(&path, "active.a20_1.normative", "in_force").as_deref(),
        Some("0")
    );
}

#[test]
fn a_truncated_header_is_read_as_its_column() {
    // 本年公开数量 for 本年新公开数量 (2020), 本年废止件 for 本年废止件数 (2024).
    let path = corpus("pingtan-ziranziyuan-2020.body.html");
    assert!(findings(&path, "NB214").is_empty());
    assert_eq!(
        value(&path, "active.a20_1.normative", "new_published").as_deref(),
        Some("9")
    );
    let path = corpus("pingtan-nongyenongcun-2024.body.html");
    assert!(findings(&path, "NB214").is_empty());
    let zh = findings(&path, "NB215")[0]["messages"]["zh"]
        .as_str()
        .expect("zh")
        .to_string();
    assert!(zh.contains("“本年废止件”读作“本年废止件数”"), "{zh}");
}

#[test]
fn a_decrease_written_in_words_is_a_negative_change() {
    let path = corpus("pingtan-nongyenongcun-2019.body.html");
    assert!(findings(&path, "NB211").is_empty());
    assert_eq!(
        value(&path, "active.a20_8.fee", "delta").as_deref(),
        Some("-12")
    );
}

#[test]
fn the_rows_of_an_abridged_local_2008_table_are_read() {
    // 指标名称｜计量单位｜年末统计 with seven rows of the local 2008-era table.
    let path = corpus("pingtan-caizhengjinrongju-2018.body.html");
    assert_eq!(value(&path, "active.total", "year").as_deref(), Some("138"));
    assert_eq!(
        value(&path, "active.channel.website", "year").as_deref(),
        Some("138")
    );
    let missing = findings(&path, "NB208");
    assert_eq!(missing.len(), 1, "one finding for the table: {missing:?}");
    assert!(missing[0]["messages"]["zh"]
        .as_str()
        .is_some_and(|m| m.contains("缺少模板中的 8 行")));
    let renamed = findings(&path, "NB215");
    assert_eq!(renamed.len(), 1);
    assert!(renamed[0]["messages"]["zh"]
        .as_str()
        .is_some_and(|m| m.contains("“年末统计”读作“2018年度”")));
}

#[test]
fn blanks_of_a_table_that_writes_no_zero_are_zeros_in_one_finding() {
    // pingtan-2024's table 四 with its zeros left blank, and 其他结果 blank too: the
    // 复议 total 7 is then 2 + 1 + 0 + 1 = 4 — a warning, since it rests on a blank.
    let fixture = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/pingtan-2024.md"),
    )
    .expect("fixture");
    let row = "<tr><td>2</td><td>1</td><td>3</td><td>1</td><td>7</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>13</td><td>2</td><td>4</td><td>0</td><td>19</td></tr>";
    assert_eq!(fixture.matches(row).count(), 1);
    let blanked = "<tr><td>2</td><td>1</td><td></td><td>1</td><td>7</td><td></td><td></td><td></td><td></td><td></td><td>13</td><td>2</td><td>4</td><td></td><td>19</td></tr>";
    let path = temp("blank-zeros.md", &fixture.replace(row, blanked));
    let blanks = findings(&path, "NB207");
    assert_eq!(blanks.len(), 1, "one finding for the table: {blanks:?}");
    assert_eq!(blanks[0]["severity"], "info");
    assert!(blanks[0]["messages"]["zh"]
        .as_str()
        .is_some_and(|m| m.contains("未写出任何 0") && m.contains("7 个空白单元格")));
    let sums = findings(&path, "NB201");
    assert_eq!(sums.len(), 1, "{sums:?}");
    assert_eq!(sums[0]["severity"], "warning");
    assert_eq!(sums[0]["expected"], "4");
    assert_eq!(sums[0]["found"], "7");
}
