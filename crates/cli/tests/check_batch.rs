//! `nianbao check` over many files: directory walks, globs, files that cannot be
//! read, rule selection, inline suppressions and `-o FILE`, run as a user runs it.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name)
}

fn fixture_bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).expect("fixture readable")
}

fn command() -> Command {
    let mut cmd = Command::cargo_bin("nianbao").expect("the nianbao binary is built");
    cmd.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .timeout(Duration::from_secs(120));
    cmd
}

fn nianbao(args: &[&str]) -> Output {
    command().args(args).output().expect("nianbao runs")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
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

fn write(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("dir created");
    }
    std::fs::write(path, bytes).expect("file written");
}

/// The reports' paths relative to `root`, in output order.
fn paths(doc: &Value, root: &Path) -> Vec<String> {
    doc["reports"]
        .as_array()
        .expect("reports")
        .iter()
        .map(|r| {
            let p = r["path"].as_str().expect("path");
            p.strip_prefix(s(root))
                .unwrap_or(p)
                .trim_start_matches('/')
                .to_string()
        })
        .collect()
}

/// The codes of one report (found by relative path).
fn codes_of(doc: &Value, root: &Path, rel: &str) -> Vec<String> {
    let i = paths(doc, root)
        .iter()
        .position(|p| p == rel)
        .unwrap_or_else(|| panic!("{rel} reported: {:?}", paths(doc, root)));
    doc["reports"][i]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().expect("code").to_string())
        .collect()
}

/// A tree of reports: nested directories, a hidden directory, a gitignored file,
/// files of other extensions, an upper-case extension.
fn report_tree() -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write(&root.join("a.md"), &fixture_bytes("huaian-2024.md"));
    write(&root.join("sub/b.md"), &fixture_bytes("pingtan-2023.md"));
    write(
        &root.join("sub/deeper/c.txt"),
        &fixture_bytes("pingtan-2023.page.txt"),
    );
    write(
        &root.join("page.html"),
        &fixture_bytes("pingtan-2023.page.html"),
    );
    write(&root.join("UPPER.MD"), &fixture_bytes("pingtan-2024.md"));
    write(&root.join(".hidden/h.md"), &fixture_bytes("huaian-2024.md"));
    write(&root.join(".dot.md"), &fixture_bytes("huaian-2024.md"));
    write(&root.join("ignored.md"), &fixture_bytes("huaian-2024.md"));
    write(
        &root.join("sub/deeper/skip/x.md"),
        &fixture_bytes("huaian-2024.md"),
    );
    write(&root.join(".gitignore"), b"ignored.md\n");
    write(&root.join("sub/.ignore"), b"deeper/skip/\n");
    write(&root.join("notes.csv"), b"a,b\n1,2\n");
    write(&root.join("data.json"), b"{}\n");
    dir
}

const TREE_FILES: [&str; 5] = [
    "UPPER.MD",
    "a.md",
    "page.html",
    "sub/b.md",
    "sub/deeper/c.txt",
];

#[test]
fn directory_walk_takes_the_right_files_in_a_stable_order() {
    let dir = report_tree();
    let root = dir.path();
    let mut outputs = Vec::new();
    for threads in ["1", "2", "4"] {
        for format in ["json", "human", "csv", "sarif"] {
            let out = command()
                .env("RAYON_NUM_THREADS", threads)
                .args(["check", "--fail-on", "never", "--color", "never"])
                .args(["--format", format, s(root)])
                .output()
                .expect("runs");
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            if format == "json" {
                assert_eq!(paths(&json(&out), root), TREE_FILES, "{threads} threads");
            }
            outputs.push((threads, format, out.stdout));
        }
    }
    for (threads, format, stdout) in &outputs {
        let (_, _, first) = outputs
            .iter()
            .find(|(_, f, _)| f == format)
            .expect("same format");
        assert!(
            stdout == first,
            "{format} output with {threads} threads differs from 1 thread"
        );
    }
    let human = String::from_utf8_lossy(&outputs[1].2);
    assert!(
        human
            .trim_end()
            .lines()
            .last()
            .unwrap_or("")
            .contains("共检查 5 个文件"),
        "{human}"
    );
}

#[test]
fn named_files_are_checked_whatever_their_extension_and_in_order() {
    let dir = report_tree();
    let root = dir.path();
    let csv = root.join("notes.csv");
    let hidden = root.join(".hidden/h.md");
    let out = nianbao(&[
        "check",
        "--format",
        "json",
        "--fail-on",
        "never",
        s(&csv),
        s(&hidden),
        s(&root.join("sub")),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        paths(&json(&out), root),
        ["notes.csv", ".hidden/h.md", "sub/b.md", "sub/deeper/c.txt"]
    );
}

#[test]
fn globs_choose_the_files_of_a_directory() {
    let dir = report_tree();
    let root = dir.path();
    let run = |globs: &[&str]| {
        let mut args = vec!["check", "--format", "json", "--fail-on", "never"];
        for g in globs {
            args.extend(["--glob", g]);
        }
        args.push(s(root));
        let out = nianbao(&args);
        assert_eq!(out.status.code(), Some(0), "{globs:?}: {}", stderr(&out));
        paths(&json(&out), root)
    };
    assert_eq!(run(&["*.txt"]), ["sub/deeper/c.txt"]);
    assert_eq!(run(&["*.csv", "*.json"]), ["data.json", "notes.csv"]);
    assert_eq!(
        run(&["!sub/"]),
        ["UPPER.MD", "a.md", "page.html"],
        "a negation alone keeps the default extensions"
    );
    assert_eq!(
        run(&["*.md", "!a.md"]),
        ["sub/b.md"],
        "user globs are exact-case"
    );
    assert_eq!(
        run(&["*.md", "ignored.md"]),
        ["a.md", "sub/b.md"],
        "a glob does not override .gitignore"
    );
    let out = nianbao(&["check", "--glob", "[", s(root)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains('['), "{}", stderr(&out));
}

#[test]
fn an_empty_directory_warns_and_passes() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(&dir.path().join("notes.csv"), b"x\n");
    let out = nianbao(&["check", "--lang", "en", s(dir.path())]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("no file to check"),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn unreadable_files_in_a_directory_are_findings_and_the_run_goes_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write(&root.join("a.md"), &fixture_bytes("huaian-2024.md"));
    write(&root.join("z.md"), &fixture_bytes("huaian-2024.md"));
    std::os::unix::fs::symlink("nowhere.md", root.join("dangling.md")).expect("symlink");
    std::os::unix::fs::symlink("nowhere.csv", root.join("dangling.csv")).expect("symlink");
    // A file that reads with an error even for root: the kernel refuses reads of
    // offset 0 of a process's memory.
    let linux = cfg!(target_os = "linux") && Path::new("/proc/self/mem").exists();
    if linux {
        std::os::unix::fs::symlink("/proc/self/mem", root.join("mem.md")).expect("symlink");
    }
    // Permissions stop a normal user (not root: detected by trying).
    let locked = root.join("locked.md");
    write(&locked, b"x");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let permissions_apply = std::fs::read(&locked).is_err();
    if !permissions_apply {
        std::fs::remove_file(&locked).expect("removed");
    }
    let out = nianbao(&["check", "--format", "json", "--lang", "en", s(root)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    let mut expected = vec!["a.md", "dangling.md"];
    if permissions_apply {
        expected.push("locked.md");
    }
    if linux {
        expected.push("mem.md");
    }
    expected.push("z.md");
    assert_eq!(paths(&doc, root), expected);
    for (i, rel) in expected.iter().enumerate() {
        let report = &doc["reports"][i];
        if matches!(*rel, "a.md" | "z.md") {
            assert_eq!(report["summary"]["error"], 0, "{rel} still checked");
            assert!(report["summary"]["info"].as_u64().unwrap_or(0) > 0);
            continue;
        }
        let d = &report["diagnostics"];
        assert_eq!(d.as_array().map(Vec::len), Some(1), "{rel}: {d}");
        assert_eq!(d[0]["code"], "NB005", "{rel}");
        assert_eq!(d[0]["name"], "unreadable-file");
        assert_eq!(d[0]["severity"], "error");
        let en = d[0]["messages"]["en"].as_str().unwrap_or("");
        let zh = d[0]["messages"]["zh"].as_str().unwrap_or("");
        assert!(
            en.contains("os error") && zh.contains("os error"),
            "{en} / {zh}"
        );
        if *rel == "dangling.md" {
            assert!(en.contains("nowhere.md"), "{en}");
        }
    }
    // The same file named on the command line is a usage error, exit 2, and
    // the other files are still reported.
    let out = nianbao(&[
        "check",
        "--format",
        "json",
        s(&root.join("dangling.md")),
        s(&root.join("a.md")),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("dangling.md"), "{}", stderr(&out));
    assert_eq!(paths(&json(&out), root), ["a.md"]);
    if permissions_apply {
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644))
            .expect("chmod back");
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_terminates_with_a_finding() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write(&root.join("a.md"), &fixture_bytes("huaian-2024.md"));
    write(&root.join("sub/b.md"), &fixture_bytes("huaian-2024.md"));
    std::os::unix::fs::symlink(".", root.join("loop")).expect("symlink");
    std::os::unix::fs::symlink("..", root.join("sub/up")).expect("symlink");
    let out = nianbao(&["check", "--format", "json", "--lang", "en", s(root)]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "loops are warnings: {}",
        stderr(&out)
    );
    let doc = json(&out);
    assert_eq!(paths(&doc, root), ["a.md", "loop", "sub/b.md", "sub/up"]);
    for rel in ["loop", "sub/up"] {
        let i = paths(&doc, root)
            .iter()
            .position(|p| p == rel)
            .expect("listed");
        let d = &doc["reports"][i]["diagnostics"][0];
        assert_eq!(d["code"], "NB005");
        assert_eq!(d["severity"], "warning");
        assert!(d["message"].as_str().unwrap_or("").contains("loop"), "{d}");
    }
}

#[test]
fn binary_files_get_input_findings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let mut bytes = Vec::with_capacity(64 * 1024);
    let mut x: u32 = 0x1234_5678;
    for _ in 0..64 * 1024 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        bytes.push((x >> 24) as u8);
    }
    bytes[100..200].fill(0);
    write(&root.join("image.md"), &bytes);
    write(&root.join("image.png"), &bytes);
    write(&root.join("ok.md"), &fixture_bytes("huaian-2024.md"));
    let out = nianbao(&["check", "--format", "json", s(root)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(paths(&doc, root), ["image.md", "ok.md"]);
    let codes = codes_of(&doc, root, "image.md");
    assert!(
        codes.iter().any(|c| c == "NB001" || c == "NB003"),
        "{codes:?}"
    );
    let named = nianbao(&["check", "--format", "json", s(&root.join("image.png"))]);
    assert_eq!(named.status.code(), Some(1));
}

#[test]
fn a_200_mb_file_is_a_finding_not_a_crash() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let big = root.join("big.md");
    // Sparse: 200 MB without writing them.
    let file = std::fs::File::create(&big).expect("created");
    file.set_len(200 * 1024 * 1024).expect("sized");
    drop(file);
    write(&root.join("ok.md"), &fixture_bytes("huaian-2024.md"));
    let out = nianbao(&["check", "--format", "json", "--lang", "en", s(root)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(paths(&doc, root), ["big.md", "ok.md"]);
    assert_eq!(codes_of(&doc, root, "big.md"), ["NB007"]);
    let msg = doc["reports"][0]["diagnostics"][0]["message"]
        .as_str()
        .unwrap_or("");
    assert!(
        msg.contains("209715200") && msg.contains("67108864"),
        "{msg}"
    );
    // Named: the same finding (the file is readable), not a usage error.
    let out = nianbao(&["check", "--format", "json", s(&big)]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["reports"][0]["diagnostics"][0]["code"], "NB007");
    // The limit is a setting: a small one stops a small file, a large one lets a
    // large file through. (A parse of 200 MB takes minutes in a debug build, so
    // the file parsed here is 2 MB of text.)
    let ok = root.join("ok.md");
    let out = nianbao(&["check", "--format", "json", "--max-file-size", "1K", s(&ok)]);
    assert_eq!(json(&out)["reports"][0]["diagnostics"][0]["code"], "NB007");
    let text =
        "本机关全年主动公开政府信息，内容涵盖财政预决算、重大建设项目和公共资源配置等领域。\n\n";
    let big_text = text.repeat(2 * 1024 * 1024 / text.len());
    let large = root.join("large.md");
    write(&large, big_text.as_bytes());
    let out = nianbao(&[
        "check",
        "--format",
        "json",
        "--max-file-size",
        "1k",
        s(&large),
    ]);
    assert_eq!(json(&out)["reports"][0]["diagnostics"][0]["code"], "NB007");
    let out = nianbao(&[
        "check",
        "--format",
        "json",
        "--max-file-size",
        "4M",
        s(&large),
    ]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    assert!(!codes_of(&json(&out), root, "large.md").contains(&"NB007".to_string()));
    let out = nianbao(&["check", "--max-file-size", "lots", s(&ok)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("lots"));
}

#[test]
fn select_and_ignore_by_code_family_or_name() {
    let path = fixture("zhongwei-2017.md");
    let p = s(&path);
    let all = json(&nianbao(&[
        "check",
        "--format",
        "json",
        "--fail-on",
        "never",
        p,
    ]));
    let codes = |doc: &Value| -> Vec<String> {
        doc["reports"][0]["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .map(|d| d["code"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let every = codes(&all);
    assert!(every.iter().any(|c| c == "NB010"));
    assert!(
        every.iter().any(|c| c.starts_with("NB0")) && every.iter().any(|c| !c.starts_with("NB0"))
    );

    let run = |args: &[&str]| -> Vec<String> {
        let mut full = vec!["check", "--format", "json", "--fail-on", "never"];
        full.extend_from_slice(args);
        full.push(p);
        let out = nianbao(&full);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        codes(&json(&out))
    };
    let nb0 = run(&["--select", "NB0"]);
    assert!(
        !nb0.is_empty() && nb0.iter().all(|c| c.starts_with("NB0")),
        "{nb0:?}"
    );
    assert_eq!(run(&["--select", "NB0xx"]), nb0);
    let no_join = run(&["--ignore", "page-break-join"]);
    assert!(!no_join.contains(&"NB010".to_string()));
    assert_eq!(
        no_join.len(),
        every.iter().filter(|c| *c != "NB010").count(),
        "only NB010 removed"
    );
    let some = run(&["--select", "NB0,NB4", "--ignore", "NB010"]);
    assert!(some
        .iter()
        .all(|c| (c.starts_with("NB0") || c.starts_with("NB4")) && c != "NB010"));
    assert!(some.iter().any(|c| c == "NB401"), "{some:?}");
    let precise = run(&["--ignore", "NB0", "--select", "NB010"]);
    assert!(
        !precise.is_empty() && precise.iter().all(|c| c == "NB010"),
        "the more precise selector wins: {precise:?}"
    );
    let s2 = run(&["--select", "NB2"]);
    assert!(s2.iter().all(|c| c.starts_with("NB2")), "{s2:?}");

    // `--fail-on` sees the selected findings only.
    let out = nianbao(&["check", "--fail-on", "info", "--select", "NB2", p]);
    assert_eq!(out.status.code(), Some(if s2.is_empty() { 0 } else { 1 }));

    for bad in ["NB999", "NB9", "no-such-rule"] {
        for flag in ["--select", "--ignore"] {
            let out = nianbao(&["check", flag, bad, "--lang", "en", p]);
            assert_eq!(out.status.code(), Some(2), "{flag} {bad}");
            assert!(out.stdout.is_empty());
            let err = stderr(&out);
            assert!(err.contains(bad) && err.contains(flag), "{err}");
        }
    }
}

#[test]
fn inline_suppression_removes_the_finding_and_reports_unused_ones() {
    let source = std::fs::read_to_string(fixture("zhongwei-2017.md")).expect("fixture");
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let original = root.join("original.md");
    write(&original, source.as_bytes());
    let find = |doc: &Value, code: &str| -> Vec<u64> {
        doc["reports"][0]["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter(|d| d["code"] == code)
            .map(|d| d["span"]["line"].as_u64().expect("line"))
            .collect()
    };
    let before = json(&nianbao(&["check", "--format", "json", s(&original)]));
    let nb401 = find(&before, "NB401");
    assert_eq!(nb401.len(), 1, "the fixture's reviewed NB401");
    let line = nb401[0] as usize;
    assert!(find(&before, "NB006").is_empty());

    // A reviewer marks it on the line above, and leaves a stale mark elsewhere.
    let mut lines: Vec<String> = source.lines().map(str::to_string).collect();
    lines.insert(line - 1, "<!-- nianbao: ignore NB401 -->".to_string());
    lines.insert(2, "<!-- nianbao: ignore sum-mismatch -->".to_string());
    let marked = root.join("marked.md");
    write(&marked, (lines.join("\n") + "\n").as_bytes());
    let out = nianbao(&["check", "--format", "json", "--lang", "en", s(&marked)]);
    let after = json(&out);
    assert!(find(&after, "NB401").is_empty(), "suppressed");
    assert_eq!(find(&after, "NB006"), vec![3], "the stale mark");
    let d = after["reports"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["code"] == "NB006")
        .expect("NB006")
        .clone();
    assert_eq!(d["severity"], "info");
    assert!(
        d["message"].as_str().unwrap_or("").contains("sum-mismatch"),
        "{d}"
    );
    // Everything else is as before (shifted by the two inserted lines).
    let others = |doc: &Value| {
        doc["reports"][0]["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter(|d| d["code"] != "NB401" && d["code"] != "NB006")
            .count()
    };
    assert_eq!(others(&after), others(&before));

    // At the end of the finding's own line.
    let mut lines: Vec<String> = source.lines().map(str::to_string).collect();
    lines[line - 1].push_str(" <!-- nianbao: ignore breakdown-sum-mismatch -->");
    let inline = root.join("inline.md");
    write(&inline, (lines.join("\n") + "\n").as_bytes());
    let doc = json(&nianbao(&["check", "--format", "json", s(&inline)]));
    assert!(find(&doc, "NB401").is_empty() && find(&doc, "NB006").is_empty());

    // Above a table: the whole (logical) table. The total `43` of the requests
    // made wrong: `（一）收到申请数 43` against the parts 34 + 0 + 6 + 4.
    let lines: Vec<String> = source
        .lines()
        .map(|l| {
            if l.starts_with("| 1. 当面申请数") {
                l.replace("| 33  |", "| 34  |")
            } else {
                l.to_string()
            }
        })
        .collect();
    let table_start = lines
        .iter()
        .position(|l| l.starts_with("| 统计指标"))
        .expect("the statistics table");
    let wrong = root.join("wrong.md");
    write(&wrong, (lines.join("\n") + "\n").as_bytes());
    let doc = json(&nianbao(&["check", "--format", "json", s(&wrong)]));
    let nb201 = find(&doc, "NB201");
    assert_eq!(nb201.len(), 1, "the made-up error is found");
    assert!(
        nb201[0] as usize > table_start + 20,
        "far below the table's first line"
    );
    let mut lines = lines;
    lines.insert(table_start, "<!-- nianbao: ignore NB201 -->".to_string());
    let reviewed = root.join("reviewed.md");
    write(&reviewed, (lines.join("\n") + "\n").as_bytes());
    let doc = json(&nianbao(&["check", "--format", "json", s(&reviewed)]));
    assert!(find(&doc, "NB201").is_empty() && find(&doc, "NB006").is_empty());

    // `--ignore unused-suppression` silences the stale mark.
    let out = nianbao(&[
        "check",
        "--format",
        "json",
        "--ignore",
        "unused-suppression",
        s(&marked),
    ]);
    assert!(find(&json(&out), "NB006").is_empty());
}

#[test]
fn output_file_for_every_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let path = fixture("huaian-2024.md");
    for format in ["human", "json", "sarif", "csv"] {
        let target = root.join(format!("out.{format}"));
        let out = nianbao(&[
            "check",
            "--format",
            format,
            "-o",
            s(&target),
            "--color",
            "always",
            s(&path),
        ]);
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{format}: nothing on stdout");
        let written = std::fs::read_to_string(&target).expect("written");
        assert!(!written.is_empty(), "{format}");
        let stdout = nianbao(&["check", "--format", format, "--color", "always", s(&path)]);
        // A file named .csv starts with the byte-order mark Excel needs; the rest is the same.
        let written = match format {
            "csv" => written.strip_prefix('\u{feff}').expect("a BOM").to_string(),
            _ => written,
        };
        assert_eq!(
            written.as_bytes(),
            stdout.stdout,
            "{format}: same as stdout"
        );
        if format == "json" {
            let doc: Value = serde_json::from_str(&written).expect("JSON");
            assert_eq!(doc["schema"], "nianbao.check/2");
        }
    }
    let long = root.join("out-long.json");
    let out = nianbao(&["check", "--format", "json", "--output", s(&long), s(&path)]);
    assert_eq!(out.status.code(), Some(0));
    assert!(long.exists());
    let out = nianbao(&[
        "check",
        "-o",
        s(&root.join("no/such/dir/out.txt")),
        s(&path),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("out.txt"));
}

#[test]
fn human_output_without_color_on_o_file_auto() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("out.txt");
    let out = nianbao(&[
        "check",
        "--show-info",
        "-o",
        s(&target),
        s(&fixture("zhongwei-2017.md")),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = std::fs::read_to_string(&target).expect("written");
    assert!(text.contains("info[NB010]") && !text.contains('\u{1b}'));
}
