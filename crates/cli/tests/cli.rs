//! The `nianbao` binary, run as a user runs it.

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

mod common;
use common::{fixture, json, nianbao};

fn tmp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nianbao-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("temp file written");
    path
}

#[test]
fn check_json_is_the_check_document() {
    let path = fixture("zhongwei-2017.md");
    let out = nianbao(&[
        "check",
        "--format",
        "json",
        path.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = json(&out);
    assert_eq!(doc["schema"], "nianbao.check/2");
    let report = &doc["reports"][0];
    let diags = report["diagnostics"].as_array().expect("diagnostics array");
    assert!(!diags.is_empty());
    let infos = diags.iter().filter(|d| d["severity"] == "info").count();
    assert_eq!(report["summary"]["info"].as_u64(), Some(infos as u64));
    let source = std::fs::read_to_string(&path).expect("fixture readable");
    for d in diags {
        assert!(d["code"]
            .as_str()
            .is_some_and(|c| c.starts_with("NB") && c.len() == 5));
        assert!(!d["messages"]["zh"].as_str().unwrap_or("").is_empty());
        assert!(!d["messages"]["en"].as_str().unwrap_or("").is_empty());
        assert_eq!(
            d["message"], d["messages"]["zh"],
            "default language is Chinese"
        );
        // Line and column name the span's start in the original file.
        let start = d["span"]["start"].as_u64().expect("start") as usize;
        let line = source[..start].matches('\n').count() + 1;
        let column = source[..start]
            .rsplit('\n')
            .next()
            .unwrap_or("")
            .chars()
            .count()
            + 1;
        assert_eq!(d["span"]["line"].as_u64(), Some(line as u64));
        assert_eq!(d["span"]["column"].as_u64(), Some(column as u64));
    }
}

#[test]
fn lang_flag_and_locale_choose_the_message_language() {
    let path = fixture("huaian-2024.md");
    let p = path.to_str().expect("utf-8 path");
    let en = json(&nianbao(&["check", "--format", "json", "--lang", "en", p]));
    let d = &en["reports"][0]["diagnostics"][0];
    assert_eq!(d["message"], d["messages"]["en"]);
    let out = Command::cargo_bin("nianbao")
        .expect("built")
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .args(["check", p])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(" errors, "),
        "English summary from LANG: {text}"
    );
}

#[test]
fn human_output_underlines_and_summarises() {
    let path = fixture("zhongwei-2017.md");
    let out = nianbao(&[
        "check",
        "--color",
        "never",
        "--show-info",
        path.to_str().expect("utf-8 path"),
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("info[NB010]"), "{text}");
    assert!(
        text.contains("zhongwei-2017.md:18:1"),
        "location of the first page-break join"
    );
    assert!(text.contains('^'));
    assert!(!text.contains('\u{1b}'), "no colour when --color never");
    assert!(
        text.trim_end().ends_with("个"),
        "Chinese summary line last: {text}"
    );
    let coloured = nianbao(&[
        "check",
        "--color",
        "always",
        path.to_str().expect("utf-8 path"),
    ]);
    assert!(String::from_utf8_lossy(&coloured.stdout).contains('\u{1b}'));
}

#[test]
fn exit_codes_follow_the_spec() {
    let clean = fixture("huaian-2024.md");
    let p = clean.to_str().expect("utf-8 path");
    assert_eq!(nianbao(&["check", p]).status.code(), Some(0), "infos only");
    assert_eq!(
        nianbao(&["check", "--fail-on", "info", p]).status.code(),
        Some(1)
    );
    assert_eq!(
        nianbao(&["check", "--fail-on", "never", p]).status.code(),
        Some(0)
    );
    assert_eq!(
        nianbao(&["check", "--bogus", p]).status.code(),
        Some(2),
        "bad flag"
    );
    assert_eq!(
        nianbao(&["check", "--format", "yaml", p]).status.code(),
        Some(2),
        "bad value"
    );
    let missing = nianbao(&["check", "/nonexistent/report.md"]);
    assert_eq!(missing.status.code(), Some(2), "unreadable named path");
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/report.md"));
    let empty = tmp_file("empty.md", b"");
    let out = nianbao(&[
        "check",
        "--format",
        "json",
        empty.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "an empty file is an NB002 error"
    );
    assert_eq!(json(&out)["reports"][0]["diagnostics"][0]["code"], "NB002");
}

#[test]
fn bad_inputs_never_crash_the_binary() {
    let mut random = Vec::with_capacity(8192);
    let mut x: u32 = 0x9e37_79b9;
    for _ in 0..8192 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        random.push((x >> 24) as u8);
    }
    let truncated = "中卫市政府信息公开工作年度报告".as_bytes();
    let inputs: Vec<(&str, Vec<u8>)> = vec![
        ("random.bin", random),
        ("truncated.md", truncated[..truncated.len() - 1].to_vec()),
        ("bom.md", vec![0xEF, 0xBB, 0xBF]),
        ("html.md", b"<table><tr><td rowspan=\"99999\">".to_vec()),
        (
            "wide.md",
            format!("|{}\n|{}\n", "a|".repeat(10_000), "-|".repeat(10_000)).into_bytes(),
        ),
    ];
    for (name, bytes) in inputs {
        let path = tmp_file(name, &bytes);
        let out = nianbao(&[
            "check",
            "--format",
            "json",
            path.to_str().expect("utf-8 path"),
        ]);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{name}: {:?} {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(json(&out)["schema"], "nianbao.check/2");
    }
}

#[test]
fn parse_json_tree_tiles_the_input() {
    let path = fixture("zhongwei-2017.md");
    let out = nianbao(&[
        "parse",
        path.to_str().expect("utf-8 path"),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let doc = json(&out);
    assert_eq!(doc["schema"], "nianbao.parse/2");
    assert_eq!(doc["encoding"], "utf8");
    assert_eq!(doc["report"]["format"], "stat-table-2008");
    assert_eq!(doc["report"]["variant"], Value::Null);
    let source = std::fs::read(&path).expect("fixture readable");
    let mut leaves = Vec::new();
    fn walk<'a>(node: &'a Value, leaves: &mut Vec<&'a Value>) {
        let children = node["children"].as_array().expect("children array");
        if children.is_empty() {
            leaves.push(node);
        }
        for c in children {
            walk(c, leaves);
        }
    }
    walk(&doc["tree"], &mut leaves);
    let mut at = 0;
    let mut rebuilt = Vec::new();
    for leaf in leaves {
        let start = leaf["span"]["start"].as_u64().expect("start") as usize;
        let end = leaf["span"]["end"].as_u64().expect("end") as usize;
        assert_eq!(start, at, "leaves are contiguous");
        rebuilt.extend_from_slice(&source[start..end]);
        at = end;
    }
    assert_eq!(rebuilt, source);
    let outline = doc["outline"].as_array().expect("outline");
    let titles: Vec<&str> = outline.iter().filter_map(|s| s["title"].as_str()).collect();
    assert_eq!(titles[0], "概述");
    assert_eq!(titles.len(), 7, "seven level-1 sections: {titles:?}");
}

#[test]
fn rules_lists_the_catalog() {
    let out = nianbao(&["rules"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("NB001") && text.contains("undecodable-bytes"));
    assert!(text.contains("NB010") && text.contains("page-break-join"));
}

#[test]
fn rules_code_prints_the_full_doc() {
    let out = nianbao(&["rules", "NB010"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("NB010 page-break-join"), "{text}");
    assert!(text.contains("## What it checks"), "{text}");
    assert!(text.contains("## How to fix"), "{text}");
    for alias in ["nb010", "page-break-join"] {
        let again = nianbao(&["rules", alias]);
        assert_eq!(again.status.code(), Some(0), "{alias}");
        assert_eq!(again.stdout, out.stdout, "{alias}");
    }
}

#[test]
fn rules_unknown_code_exits_2_naming_it() {
    let out = nianbao(&["rules", "nb-unknown"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("nb-unknown"), "{err}");
    let en = nianbao(&["rules", "nb-unknown", "--lang", "en"]);
    assert_eq!(en.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&en.stderr).contains("unknown rule `nb-unknown`"));
}
