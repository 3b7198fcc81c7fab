//! `nianbao.toml`: found upward from the checked path or given with `--config`,
//! overridden by the flags, and every mistake in it an exit 2 naming it.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;
use tempfile::TempDir;

mod common;
use common::{fixture, nianbao};

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn s(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("dir created");
    }
    std::fs::write(path, text).expect("file written");
}

/// `project/nianbao.toml` (with `config`) above `project/reports/2017/zhongwei.md`.
fn project(config: &str) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    write(&dir.path().join("project/nianbao.toml"), config);
    let report = dir.path().join("project/reports/2017/zhongwei.md");
    std::fs::create_dir_all(report.parent().expect("parent")).expect("dirs");
    std::fs::copy(fixture("zhongwei-2017.md"), &report).expect("copied");
    (dir, report)
}

fn codes(doc: &Value) -> Vec<String> {
    doc["reports"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn config_is_found_upward_from_the_first_path() {
    let (dir, report) = project("ignore = [\"NB0\"]\n");
    let doc = json(&nianbao(&["check", "--format", "json", s(&report)]));
    let found = codes(&doc);
    assert!(
        !found.is_empty() && found.iter().all(|c| !c.starts_with("NB0")),
        "{found:?}"
    );
    // From a directory operand too.
    let reports = dir.path().join("project/reports");
    let doc = json(&nianbao(&["check", "--format", "json", s(&reports)]));
    assert!(codes(&doc).iter().all(|c| !c.starts_with("NB0")));
    // `--no-config` reads none.
    let doc = json(&nianbao(&[
        "check",
        "--format",
        "json",
        "--no-config",
        s(&report),
    ]));
    assert!(codes(&doc).iter().any(|c| c.starts_with("NB0")));
    // A file elsewhere finds none.
    let other = dir.path().join("elsewhere/zhongwei.md");
    std::fs::create_dir_all(other.parent().expect("parent")).expect("dir");
    std::fs::copy(&report, &other).expect("copied");
    let doc = json(&nianbao(&["check", "--format", "json", s(&other)]));
    assert!(codes(&doc).iter().any(|c| c.starts_with("NB0")));
}

#[test]
fn config_flag_names_the_file() {
    let (dir, report) = project("");
    let custom = dir.path().join("custom.toml");
    write(&custom, "select = [\"NB4\"]\n");
    let doc = json(&nianbao(&[
        "check",
        "--format",
        "json",
        "--config",
        s(&custom),
        s(&report),
    ]));
    assert_eq!(codes(&doc), ["NB401"]);
    let missing = dir.path().join("missing.toml");
    let out = nianbao(&["check", "--config", s(&missing), s(&report)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.toml"), "{}", stderr(&out));
    let out = nianbao(&["check", "--config", s(&custom), "--no-config", s(&report)]);
    assert_eq!(out.status.code(), Some(2), "conflicting flags");
}

#[test]
fn every_key_applies_and_flags_override_the_file() {
    let (dir, report) = project(
        r#"# A reviewer's settings for the 2017 reports.
select = ["NB0", "NB4", "NB5"]
ignore = ["page-break-join"]
fail-on = "warning"
lang = "en"
glob = ["*.md", "!draft*"]
max-file-size = "10M"

[severity]
NB401 = "error"
NB5 = "info"
"#,
    );
    let out = nianbao(&["check", "--format", "json", s(&report)]);
    assert_eq!(out.status.code(), Some(1), "NB401 is an error now");
    let doc = json(&out);
    let diags = doc["reports"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics");
    assert!(diags.iter().all(|d| {
        let c = d["code"].as_str().unwrap_or("");
        (c.starts_with("NB0") || c.starts_with("NB4") || c.starts_with("NB5")) && c != "NB010"
    }));
    let severity = |code: &str| {
        diags
            .iter()
            .find(|d| d["code"] == code)
            .map(|d| d["severity"].as_str().unwrap_or("").to_string())
    };
    assert_eq!(severity("NB401").as_deref(), Some("error"));
    assert_eq!(severity("NB504").as_deref(), Some("info"));
    assert_eq!(diags[0]["message"], diags[0]["messages"]["en"], "lang = en");

    // Flags win.
    let out = nianbao(&[
        "check",
        "--format",
        "json",
        "--lang",
        "zh",
        "--fail-on",
        "never",
        "--select",
        "NB010",
        s(&report),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let doc = json(&out);
    let found = codes(&doc);
    assert!(
        !found.is_empty() && found.iter().all(|c| c == "NB010"),
        "{found:?}"
    );
    let d = &doc["reports"][0]["diagnostics"][0];
    assert_eq!(d["message"], d["messages"]["zh"]);

    // The file's globs choose the files of a directory; `--glob` replaces them.
    let reports = dir.path().join("project/reports");
    std::fs::copy(&report, reports.join("draft-2017.md")).expect("copied");
    std::fs::copy(&report, reports.join("2017.txt")).expect("copied");
    let listed = |args: &[&str]| -> Vec<String> {
        let mut full = vec!["check", "--format", "json", "--fail-on", "never"];
        full.extend_from_slice(args);
        full.push(s(&reports));
        let out = nianbao(&full);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        json(&out)["reports"]
            .as_array()
            .expect("reports")
            .iter()
            .map(|r| {
                let p = r["path"].as_str().unwrap_or("");
                p.rsplit('/').next().unwrap_or(p).to_string()
            })
            .collect()
    };
    assert_eq!(listed(&[]), ["zhongwei.md"]);
    assert_eq!(listed(&["--glob", "*.txt"]), ["2017.txt"]);

    // max-file-size from the file.
    write(
        &dir.path().join("project/nianbao.toml"),
        "max-file-size = 1024\n",
    );
    let doc = json(&nianbao(&["check", "--format", "json", s(&report)]));
    assert_eq!(codes(&doc), ["NB007"]);
    let doc = json(&nianbao(&[
        "check",
        "--format",
        "json",
        "--max-file-size",
        "1M",
        s(&report),
    ]));
    assert!(!codes(&doc).contains(&"NB007".to_string()));
}

/// Runs with a configuration file of `text`: exit 2 and the (English) error.
fn config_error(text: &str) -> String {
    let (_dir, report) = project(text);
    let out = nianbao(&["check", "--lang", "en", s(&report)]);
    assert_eq!(out.status.code(), Some(2), "{text}: {}", stderr(&out));
    assert!(out.stdout.is_empty(), "{text}: nothing checked");
    let err = stderr(&out);
    assert!(err.contains("nianbao.toml"), "names the file: {err}");
    // And in Chinese.
    let zh = nianbao(&["check", "--lang", "zh", s(&report)]);
    assert_eq!(zh.status.code(), Some(2));
    assert!(stderr(&zh).contains("配置文件"), "{}", stderr(&zh));
    err
}

#[test]
fn unknown_key_is_an_error_naming_it() {
    let err = config_error("select = [\"NB2\"]\nfial-on = \"warning\"\n");
    assert!(err.contains("nianbao.toml:2:"), "{err}");
    assert!(err.contains("unknown key `fial-on`"), "{err}");
    let err = config_error("[rules]\nselect = [\"NB2\"]\n");
    assert!(err.contains("unknown key `rules`"), "{err}");
}

#[test]
fn unknown_rule_is_an_error_naming_it() {
    let err = config_error("select = [\n  \"NB2\",\n  \"NB299\",\n]\n");
    assert!(
        err.contains(":3:") && err.contains("`NB299`") && err.contains("`select`"),
        "{err}"
    );
    let err = config_error("ignore = [\"sum-mismatch\", \"no-such-rule\"]\n");
    assert!(
        err.contains("`no-such-rule`") && err.contains("`ignore`"),
        "{err}"
    );
    let err = config_error("[severity]\nNB201 = \"error\"\nNB2O2 = \"error\"\n");
    assert!(
        err.contains(":3:") && err.contains("`NB2O2`") && err.contains("[severity]"),
        "{err}"
    );
}

#[test]
fn bad_values_are_errors() {
    let err = config_error("fail-on = \"sometimes\"\n");
    assert!(err.contains(":1:") && err.contains("sometimes"), "{err}");
    let err = config_error("lang = \"fr\"\n");
    assert!(err.contains("fr"), "{err}");
    let err = config_error("\n[severity]\nNB201 = \"fatal\"\n");
    assert!(err.contains(":3:") && err.contains("fatal"), "{err}");
    let err = config_error("select = \"NB2\"\n");
    assert!(err.contains(":1:"), "{err}");
    let err = config_error("max-file-size = \"huge\"\n");
    assert!(err.contains("max-file-size"), "{err}");
}

#[test]
fn malformed_toml_names_the_file_and_line() {
    let err = config_error("select = [\"NB2\"]\n\nignore = [\"NB201\"\nlang = \"en\"\n");
    assert!(
        err.contains("nianbao.toml:4:") || err.contains("nianbao.toml:3:"),
        "{err}"
    );
    let err = config_error("select = [\"NB2\"]\nselect = [\"NB3\"]\n");
    assert!(err.contains("nianbao.toml:2:"), "duplicate key: {err}");
    let err = config_error("this is not toml\n");
    assert!(err.contains("nianbao.toml:1:"), "{err}");
}

#[test]
fn a_bad_glob_in_the_config_is_an_error() {
    let (dir, _report) = project("glob = [\"[\"]\n");
    let out = nianbao(&["check", s(&dir.path().join("project/reports"))]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains('['));
}
