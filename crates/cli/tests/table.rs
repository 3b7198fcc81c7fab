//! `nianbao table`: every mapped statistics cell as CSV or JSON, run as a user runs it.
//!
//! The binary runs from the workspace root with fixture paths as a user types
//! them (`tests/fixtures/huaian-2024.md`), so the path column is stable in the
//! snapshots (`tests/snapshots/<fixture>__table.snap`).

mod common;

use common::{nianbao_in_root as nianbao, workspace_root};
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

const FIXTURES: [&str; 9] = [
    "zhongwei-2017.md",
    "huaian-2024.md",
    "pingtan-2018.md",
    "pingtan-2023.md",
    "pingtan-2024.md",
    "pingtan-2025.md",
    "pingtan-caizhengjinrongju-2020.md",
    "pingtan-caizhengjinrongju-2025.md",
    "pingtan-2023.page.html",
];

const HEADER: &str = "path,issuer,year,format,variant,indicator,column,label,unit,value,line";

fn fixture(name: &str) -> String {
    format!("tests/fixtures/{name}")
}

fn ok_stdout(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn json_rows(args: &[&str]) -> Vec<Value> {
    let out = nianbao(args);
    let doc: Value = serde_json::from_str(&ok_stdout(&out)).expect("stdout is JSON");
    assert_eq!(doc["schema"], "nianbao.table/2");
    doc["rows"].as_array().expect("rows array").clone()
}

fn tmp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nianbao-table-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn snapshot_name(fixture: &str) -> String {
    let stem = fixture.trim_end_matches(".md").replace(['-', '.'], "_");
    format!("{stem}__table")
}

/// Parses the CSV output into records (quoted fields may hold commas and line breaks).
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(
        field.is_empty() && record.is_empty(),
        "CSV ends with a newline"
    );
    records
}

fn find<'a>(rows: &'a [Vec<String>], indicator: &str, column: &str) -> &'a Vec<String> {
    rows.iter()
        .find(|r| r[5] == indicator && r[6] == column)
        .unwrap_or_else(|| panic!("no row {indicator}@{column}"))
}

#[test]
fn csv_has_the_header_and_the_known_values_of_zhongwei_2017() {
    let text = ok_stdout(&nianbao(&["table", &fixture("zhongwei-2017.md")]));
    assert_eq!(text.lines().next(), Some(HEADER));
    let records = csv_records(&text);
    assert!(
        records.iter().all(|r| r.len() == 11),
        "eleven fields per row"
    );
    let rows = &records[1..];
    let received = find(rows, "apply.received", "value");
    assert_eq!(received[0], "tests/fixtures/zhongwei-2017.md");
    assert_eq!(received[1], "中卫市");
    assert_eq!(received[2], "2017");
    assert_eq!(received[3], "stat-table-2008");
    assert_eq!(received[4], "", "the national layout: no variant");
    assert_eq!(received[7], "（一）收到申请数");
    assert_eq!(received[9], "43");
    assert_eq!(received[10], "364");
    assert_eq!(find(rows, "org.staff", "value")[9], "198");
    let trainees = find(rows, "training.trainees", "value");
    assert_eq!(
        (trainees[8].as_str(), trainees[9].as_str()),
        ("人次", "414")
    );
    // A label printed over two lines is one quoted field.
    let active = find(rows, "active.total", "value");
    assert!(active[7].contains('\n'), "{active:?}");
}

#[test]
fn a_local_variant_is_named_beside_its_national_format() {
    let rows = json_rows(&["table", "--format", "json", &fixture("pingtan-2018.md")]);
    assert!(!rows.is_empty());
    for row in &rows {
        assert_eq!(row["format"], "stat-table-2008");
        assert_eq!(row["variant"], "pingtan");
        assert!(
            row["column"] == "year" || row["column"] == "cumulative",
            "the variant's columns: {row}"
        );
    }
    let received = rows
        .iter()
        .find(|r| r["indicator"] == "apply.received" && r["column"] == "cumulative")
        .expect("apply.received@cumulative");
    assert_eq!(received["unit"], "条");
}

#[test]
fn json_is_the_table_document() {
    let rows = json_rows(&[
        "table",
        "--format",
        "json",
        &fixture("pingtan-caizhengjinrongju-2025.md"),
    ]);
    assert!(!rows.is_empty());
    for row in &rows {
        let keys: Vec<&str> = row
            .as_object()
            .expect("row object")
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected: Vec<&str> = HEADER.split(',').collect();
        expected.sort_unstable();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(keys, expected);
        assert!(row["line"].as_u64().is_some_and(|l| l > 0));
        assert!(row["value"].is_string());
        assert_eq!(
            row["path"],
            "tests/fixtures/pingtan-caizhengjinrongju-2025.md"
        );
    }
    let fee = rows
        .iter()
        .find(|r| r["indicator"] == "active.a20_8.fee")
        .expect("fee row");
    assert_eq!(fee["column"], "fee_wan");
    assert_eq!(fee["unit"], "万元", "the template's unit");
    assert_eq!(fee["value"], "4166.214619", "exact decimal as written");
    let review = rows
        .iter()
        .find(|r| r["indicator"] == "review.total")
        .expect("table 四 row");
    assert_eq!(review["column"], Value::Null, "single-row table");
}

#[test]
fn several_files_give_their_rows_in_order() {
    let a = fixture("huaian-2024.md");
    let b = fixture("pingtan-2024.md");
    let both = json_rows(&["table", "--format", "json", &a, &b]);
    let only_a = json_rows(&["table", "--format", "json", &a]);
    let only_b = json_rows(&["table", "--format", "json", &b]);
    assert_eq!(both.len(), only_a.len() + only_b.len());
    assert_eq!(both[..only_a.len()], only_a[..]);
    assert_eq!(both[only_a.len()..], only_b[..]);
    let csv = ok_stdout(&nianbao(&["table", &a, &b]));
    assert_eq!(csv.matches(HEADER).count(), 1, "one header line");
}

#[test]
fn output_flag_writes_the_file() {
    let path = tmp_dir().join("zhongwei.csv");
    let p = path.to_str().expect("utf-8 path");
    let f = fixture("zhongwei-2017.md");
    let out = nianbao(&["table", &f, "-o", p]);
    assert!(ok_stdout(&out).is_empty(), "nothing on stdout");
    let written = std::fs::read_to_string(&path).expect("output written");
    // A .csv file starts with the byte-order mark Excel on Chinese Windows needs.
    let written = written
        .strip_prefix('\u{feff}')
        .expect("a BOM in a .csv file");
    assert_eq!(written, ok_stdout(&nianbao(&["table", &f])));
    // --no-bom leaves it out; --bom puts it on stdout too.
    ok_stdout(&nianbao(&["table", &f, "-o", p, "--no-bom"]));
    let plain = std::fs::read_to_string(&path).expect("output written");
    assert!(plain.starts_with("path,"), "{plain}");
    assert!(ok_stdout(&nianbao(&["table", &f, "--bom"])).starts_with('\u{feff}'));
    // A report without a readable table says so.
    let out = nianbao(&["table", &fixture("pingtan-2023.page.txt")]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("没有读出统计表"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json_path = tmp_dir().join("zhongwei.json");
    let jp = json_path.to_str().expect("utf-8 path");
    ok_stdout(&nianbao(&["table", "--format", "json", "--output", jp, &f]));
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).expect("written")).expect("JSON");
    assert_eq!(doc["schema"], "nianbao.table/2");
    let bad = nianbao(&["table", &f, "-o", "/nonexistent/dir/out.csv"]);
    assert_eq!(bad.status.code(), Some(2), "cannot write the output");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("/nonexistent/dir/out.csv"));
}

#[test]
fn unreadable_path_exits_2_naming_it() {
    let f = fixture("huaian-2024.md");
    let out = nianbao(&["table", "/nonexistent/report.md", &f]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nonexistent/report.md"), "{err}");
    assert!(err.contains("无法读取"), "Chinese by default: {err}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with(HEADER) && text.contains("huaian-2024.md"),
        "the readable file is still exported"
    );
    let en = Command::cargo_bin("nianbao")
        .expect("built")
        .current_dir(workspace_root())
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .args(["table", "/nonexistent/report.md"])
        .output()
        .expect("runs");
    assert_eq!(en.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&en.stderr).contains("cannot read /nonexistent/report.md"));
    assert_eq!(nianbao(&["table"]).status.code(), Some(2), "paths required");
    assert_eq!(
        nianbao(&["table", "--format", "xml", &f]).status.code(),
        Some(2),
        "bad format"
    );
}

#[test]
fn the_published_page_gives_the_same_rows_as_the_markdown() {
    let strip = |rows: Vec<Value>| -> Vec<Value> {
        rows.into_iter()
            .map(|mut r| {
                let o = r.as_object_mut().expect("row object");
                o.remove("path");
                o.remove("line");
                r
            })
            .collect()
    };
    let md = strip(json_rows(&[
        "table",
        "--format",
        "json",
        &fixture("pingtan-2023.md"),
    ]));
    let html = strip(json_rows(&[
        "table",
        "--format",
        "json",
        &fixture("pingtan-2023.page.html"),
    ]));
    assert!(!md.is_empty());
    assert_eq!(md, html);
}

#[test]
fn csv_of_every_fixture() {
    assert!(Path::new(&workspace_root().join(fixture(FIXTURES[0]))).exists());
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../../../tests/snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for name in FIXTURES {
            let text = ok_stdout(&nianbao(&["table", &fixture(name)]));
            insta::assert_snapshot!(snapshot_name(name), text);
        }
    });
}
