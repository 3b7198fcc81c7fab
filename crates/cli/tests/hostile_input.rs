//! The reproductions of crashes on tiny inputs, run through the binary as a user
//! runs it: every command answers (never exit 101), and no output cuts a character.

use std::path::PathBuf;
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

fn run_on(name: &str, bytes: &[u8], args: &[&str]) -> Output {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("input written");
    let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    all.push(path.display().to_string());
    Command::cargo_bin("nianbao")
        .expect("the nianbao binary is built")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .args(&all)
        .output()
        .expect("nianbao runs")
}

const INPUTS: [(&str, &str); 5] = [
    ("p.md", "站1/2018-12\n"),
    (
        "a.md",
        "共3件，其中1件、0.0000000000000000000000000001件。\n",
    ),
    (
        "b.md",
        "共79228162514264337593543950335件，其中79228162514264337593543950335件、1件。\n",
    ),
    (
        "c.md",
        "共1件，其中20000000000000000000000000000件、1件。\n",
    ),
    (
        "t.txt",
        "某市2024年政府信息公开工作年度报告\n\n信息内容\t本年制发件数\n规章\t0\n",
    ),
];

#[test]
fn every_command_answers_on_the_crash_reproductions() {
    for (name, text) in INPUTS {
        for args in [
            &["check"][..],
            &["check", "--format", "json"],
            &["check", "--format", "sarif"],
            &["check", "--format", "csv"],
            &["parse"],
            &["table"],
        ] {
            let out = run_on(name, text.as_bytes(), args);
            let code = out.status.code();
            assert!(
                matches!(code, Some(0 | 1)),
                "{args:?} on {name} exited {code:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                String::from_utf8(out.stdout).is_ok(),
                "{args:?} on {name}: output is not UTF-8 (a cut character)"
            );
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!stderr.contains("panicked"), "{args:?} on {name}: {stderr}");
        }
    }
}

#[test]
fn a_finding_at_a_tab_separated_table_underlines_whole_characters() {
    let (name, text) = INPUTS[4];
    let out = run_on(
        name,
        text.as_bytes(),
        &["check", "--color", "never", "--show-info"],
    );
    let human = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(human.contains("[NB210]"), "{human}");
    assert!(human.contains("3 | 信息内容"), "{human}");
    let out = run_on(name, text.as_bytes(), &["check", "--format", "json"]);
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let d = doc["reports"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["code"] == "NB210")
        .expect("NB210");
    // `信` is bytes 51..54 of the input.
    assert_eq!(d["span"]["start"], 51);
    assert_eq!(d["span"]["end"], 54);
}

#[test]
fn an_oversized_figure_is_a_finding_naming_it() {
    let (name, text) = INPUTS[2];
    let out = run_on(name, text.as_bytes(), &["check", "--format", "json"]);
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let named: Vec<&Value> = doc["reports"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "NB506")
        .collect();
    assert_eq!(named.len(), 2);
    assert!(named[0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("79228162514264337593543950335")));
}

#[test]
fn merge_answers_on_the_crash_reproductions() {
    let dir = tempfile::tempdir().expect("temp dir");
    let compiled =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/pingtan-2024.md");
    for (name, text) in INPUTS {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("input written");
        for against in [false, true] {
            let mut cmd = Command::cargo_bin("nianbao").expect("the nianbao binary is built");
            cmd.env_remove("LC_ALL")
                .env_remove("LANG")
                .args(["merge", "--format", "json"])
                .arg(&path);
            if against {
                cmd.arg("--against").arg(&compiled);
            }
            let out = cmd.output().expect("nianbao runs");
            let code = out.status.code();
            // Reports of no known format cannot be merged: exit 2 with a message.
            assert!(matches!(code, Some(0..=2)), "merge {name} exited {code:?}");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!stderr.contains("panicked"), "merge {name}: {stderr}");
            assert!(code != Some(2) || !stderr.is_empty(), "exit 2 says why");
        }
    }
}
