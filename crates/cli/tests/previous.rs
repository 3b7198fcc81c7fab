//! Year over year: `check --previous LAST_YEAR FILE`, and pairing by issuer and year inside a run.

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn check(args: &[&str]) -> (Option<i32>, Value) {
    let out = Command::cargo_bin("nianbao")
        .expect("built")
        .current_dir(root())
        .args(["check", "--format", "json", "--no-config"])
        .args(args)
        .output()
        .expect("runs");
    let doc = serde_json::from_slice(&out.stdout).expect("JSON");
    (out.status.code(), doc)
}

/// (path, code, severity, line) of the NB6xx findings.
fn cross(doc: &Value) -> Vec<(String, String, String, u64)> {
    let mut out = Vec::new();
    for r in doc["reports"].as_array().expect("reports") {
        for d in r["diagnostics"].as_array().expect("diagnostics") {
            if d["code"].as_str().is_some_and(|c| c.starts_with("NB6")) {
                out.push((
                    r["path"].as_str().unwrap_or("").to_string(),
                    d["code"].as_str().unwrap_or("").to_string(),
                    d["severity"].as_str().unwrap_or("").to_string(),
                    d["span"]["line"].as_u64().unwrap_or(0),
                ));
            }
        }
    }
    out
}

#[test]
fn previous_flag_checks_the_real_chain() {
    let (code, doc) = check(&[
        "--previous",
        "tests/fixtures/pingtan-2023.md",
        "tests/fixtures/pingtan-2024.md",
    ]);
    assert_eq!(code, Some(0), "the chain's only break is a warning");
    // 470 + 62 − 33 = 499 ≠ 440: the in-force count of 行政规范性文件 does not chain (at most a warning).
    assert_eq!(
        cross(&doc),
        vec![(
            "tests/fixtures/pingtan-2024.md".into(),
            "NB602".into(),
            "warning".into(),
            27
        )]
    );
    let d = doc["reports"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["code"] == "NB602")
        .cloned()
        .expect("NB602");
    assert_eq!(d["expected"], "499");
    assert_eq!(d["found"], "440");
}

#[test]
fn reports_of_one_body_in_a_run_are_paired_by_year() {
    let dir = std::env::temp_dir().join(format!("nianbao-pairing-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    // Names that do not sort by year: pairing goes by the titles' issuer and year.
    for (name, year) in [("c.md", 2023), ("a.md", 2024), ("b.md", 2025)] {
        std::fs::copy(
            root().join(format!("tests/fixtures/pingtan-{year}.md")),
            dir.join(name),
        )
        .expect("copy");
    }
    let (code, doc) = check(&[dir.to_str().expect("utf-8 path")]);
    assert_eq!(code, Some(0));
    let found: Vec<(String, String, u64)> = cross(&doc)
        .into_iter()
        .map(|(p, c, _, l)| (p.rsplit('/').next().unwrap_or("").to_string(), c, l))
        .collect();
    assert_eq!(
        found,
        vec![
            ("a.md".into(), "NB602".into(), 27),
            ("b.md".into(), "NB602".into(), 27)
        ]
    );
}

#[test]
fn a_carry_over_that_does_not_match_is_an_error() {
    let dir = std::env::temp_dir().join(format!("nianbao-carry-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/pingtan-2024.md")).expect("fixture");
    // This year's 上年结转 (自然人) says 1 where last year carried 0 over.
    let row = text.find("二、上年结转政府信息公开申请数量").expect("row");
    let cell = row + text[row..].find("<td>0</td>").expect("first cell");
    let edited = format!(
        "{}<td>1</td>{}",
        &text[..cell],
        &text[cell + "<td>0</td>".len()..]
    );
    let current = dir.join("pingtan-2024.md");
    std::fs::write(&current, edited).expect("write");
    let (code, doc) = check(&[
        "--previous",
        "tests/fixtures/pingtan-2023.md",
        current.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(code, Some(1), "NB601 is an error");
    assert!(cross(&doc)
        .iter()
        .any(|(_, c, s, _)| c == "NB601" && s == "error"));
}

#[test]
fn an_unreadable_previous_report_is_a_usage_error() {
    let out = Command::cargo_bin("nianbao")
        .expect("built")
        .current_dir(root())
        .args([
            "check",
            "--previous",
            "/nonexistent/2023.md",
            "tests/fixtures/pingtan-2024.md",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/2023.md"));
}
