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

/// (path, code, severity, line) of the NB6xx findings on figures (NB601–NB604; the
/// copied-text findings, NB605–NB607, have tests of their own below).
fn cross(doc: &Value) -> Vec<(String, String, String, u64)> {
    let mut out = Vec::new();
    for r in doc["reports"].as_array().expect("reports") {
        for d in r["diagnostics"].as_array().expect("diagnostics") {
            if d["code"]
                .as_str()
                .is_some_and(|c| ["NB601", "NB602", "NB603", "NB604"].contains(&c))
            {
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

/// The copied-text findings (code, severity, found) of each report of a document.
fn copied(doc: &Value) -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    for r in doc["reports"].as_array().expect("reports") {
        for d in r["diagnostics"].as_array().expect("diagnostics") {
            let code = d["code"].as_str().unwrap_or("");
            if ["NB605", "NB606", "NB607"].contains(&code) {
                out.push((
                    r["path"].as_str().unwrap_or("").to_string(),
                    code.to_string(),
                    d["severity"].as_str().unwrap_or("").to_string(),
                    d["found"].as_str().unwrap_or("").to_string(),
                ));
            }
        }
    }
    out
}

#[test]
fn previous_flag_gives_the_share_of_repeated_text() {
    let (_, doc) = check(&[
        "--previous",
        "tests/fixtures/pingtan-2023.md",
        "tests/fixtures/pingtan-2024.md",
    ]);
    let found = copied(&doc);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, "NB606", "below 50%: the share as an info");
    // A threshold below the share makes it the warning, naming last year's file in
    // its related spans (the `path` of nianbao.check/2).
    let share: u32 = found[0].3.trim_end_matches('%').parse().expect("a percent");
    let threshold = (share.max(1)).to_string();
    let (_, doc) = check(&[
        "--copy-threshold",
        &threshold,
        "--previous",
        "tests/fixtures/pingtan-2023.md",
        "tests/fixtures/pingtan-2024.md",
    ]);
    let found = copied(&doc);
    assert_eq!(
        (found[0].1.as_str(), found[0].2.as_str()),
        ("NB605", "warning")
    );
    let d = doc["reports"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["code"] == "NB605")
        .expect("NB605");
    let elsewhere: Vec<&Value> = d["related"]
        .as_array()
        .expect("related")
        .iter()
        .filter(|r| r["path"] == "tests/fixtures/pingtan-2023.md")
        .collect();
    assert!(!elsewhere.is_empty(), "{d:#}");
    assert!(elsewhere
        .iter()
        .all(|r| r["span"]["line"].as_u64() > Some(0)));
    let bad = Command::cargo_bin("nianbao")
        .expect("built")
        .args(["check", "--copy-threshold", "0", "x.md"])
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn both_reports_of_a_copied_pair_name_each_other_in_any_order_unless_told_not_to() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let original =
        std::fs::read_to_string(root().join("tests/fixtures/pingtan-2024.md")).expect("fixture");
    // Another body's report of the same year, the same text with the name changed.
    let copy = original.replace("平潭综合实验区", "某某县");
    std::fs::write(dir.path().join("a.md"), &original).expect("write");
    std::fs::write(dir.path().join("b.md"), &copy).expect("write");
    // A third report of the run, copied from neither.
    std::fs::copy(
        root().join("tests/fixtures/huaian-2024.md"),
        dir.path().join("c.md"),
    )
    .expect("copy");
    let run = |extra: &[&str], files: &[&str]| {
        let out = Command::cargo_bin("nianbao")
            .expect("built")
            .current_dir(dir.path())
            .args(["check", "--format", "json", "--no-config"])
            .args(extra)
            .args(files)
            .output()
            .expect("runs");
        serde_json::from_slice::<Value>(&out.stdout).expect("JSON")
    };
    // Each report's NB607: the report it names (its related spans' path).
    let named = |doc: &Value| {
        let mut out: Vec<(String, String)> = Vec::new();
        for r in doc["reports"].as_array().expect("reports") {
            for d in r["diagnostics"].as_array().expect("diagnostics") {
                if d["code"] != "NB607" {
                    continue;
                }
                let other = d["related"]
                    .as_array()
                    .expect("related")
                    .iter()
                    .find_map(|x| x["path"].as_str())
                    .unwrap_or("")
                    .to_string();
                out.push((r["path"].as_str().unwrap_or("").to_string(), other));
            }
        }
        out.sort();
        out
    };
    let forward = run(&[], &["a.md", "c.md", "b.md"]);
    let pair = vec![
        ("a.md".to_string(), "b.md".to_string()),
        ("b.md".to_string(), "a.md".to_string()),
    ];
    assert_eq!(named(&forward), pair, "each names the other");
    let backward = run(&[], &["b.md", "c.md", "a.md"]);
    assert_eq!(named(&backward), pair, "whatever the order");
    // The same findings, word for word, in either order; the reports in the run's order.
    let by_path = |doc: &Value, path: &str| {
        doc["reports"]
            .as_array()
            .expect("reports")
            .iter()
            .find(|r| r["path"] == path)
            .map(|r| r["diagnostics"].clone())
    };
    for path in ["a.md", "b.md", "c.md"] {
        assert_eq!(by_path(&forward, path), by_path(&backward, path), "{path}");
    }
    let order: Vec<&str> = backward["reports"]
        .as_array()
        .expect("reports")
        .iter()
        .filter_map(|r| r["path"].as_str())
        .collect();
    assert_eq!(order, ["b.md", "c.md", "a.md"]);
    assert!(copied(&run(&["--no-copy-across"], &["a.md", "b.md"])).is_empty());
}
