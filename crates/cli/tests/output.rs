//! What a person sees by default and the flags that change it: warnings and
//! errors shown, infos counted; `--show-info`, `--min-severity`, `--format
//! concise`, `--statistics`, `-q`, `-j`; input errors never hidden.

mod common;

use common::{fixture, json, nianbao};

fn stdout(args: &[&str]) -> (String, Option<i32>) {
    let out = nianbao(args);
    (
        String::from_utf8(out.stdout).expect("UTF-8"),
        out.status.code(),
    )
}

#[test]
fn people_see_warnings_and_errors_and_the_infos_counted() {
    let path = fixture("zhongwei-2017.md");
    let path = path.to_string_lossy();
    let (out, _) = stdout(&["check", &path, "--color", "never"]);
    assert_eq!(out.matches("warning[").count(), 2, "{out}");
    assert!(!out.contains("info["), "{out}");
    assert!(
        out.contains("另有 54 条提示未显示（--show-info 显示）："),
        "{out}"
    );
    assert!(out.contains("  NB010 ×40 "), "{out}");
    assert!(out.ends_with("错误 0 个，警告 2 个，提示 54 个\n"), "{out}");
    // Shown on request, then nothing is counted apart.
    let (all, _) = stdout(&["check", &path, "--color", "never", "--show-info"]);
    assert_eq!(all.matches("info[").count(), 54);
    assert!(!all.contains("未显示"));
    // English.
    let (en, _) = stdout(&["check", &path, "--color", "never", "--lang", "en"]);
    assert!(en.contains("54 more info findings not shown (--show-info shows them):"));
    // Quiet: the findings only.
    let (quiet, _) = stdout(&["check", &path, "--color", "never", "-q"]);
    assert!(
        quiet.contains("warning[NB401]") && !quiet.contains("提示") && !quiet.contains("未显示")
    );
}

#[test]
fn min_severity_holds_in_every_format() {
    let path = fixture("zhongwei-2017.md");
    let path = path.to_string_lossy();
    // The documents carry every finding unless a minimum is set.
    let all = json(&nianbao(&["check", &path, "--format", "json"]));
    let count = |doc: &serde_json::Value, sev: &str| {
        doc["reports"][0]["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter(|d| d["severity"] == sev)
            .count()
    };
    assert_eq!((count(&all, "warning"), count(&all, "info")), (2, 54));
    let warnings = json(&nianbao(&[
        "check",
        &path,
        "--format",
        "json",
        "--min-severity",
        "warning",
    ]));
    assert_eq!(
        (count(&warnings, "warning"), count(&warnings, "info")),
        (2, 0)
    );
    let errors = json(&nianbao(&[
        "check",
        &path,
        "--format",
        "json",
        "--min-severity",
        "error",
    ]));
    assert_eq!(count(&errors, "warning"), 0);
    // The same from nianbao.toml.
    let dir = std::env::temp_dir().join(format!("nianbao-min-severity-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::copy(fixture("zhongwei-2017.md"), dir.join("r.md")).expect("copy");
    std::fs::write(dir.join("nianbao.toml"), "min-severity = \"error\"\n").expect("toml");
    let from_file = json(&nianbao(&[
        "check",
        &dir.join("r.md").to_string_lossy(),
        "--format",
        "json",
    ]));
    assert_eq!(count(&from_file, "warning") + count(&from_file, "info"), 0);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn input_errors_are_never_hidden_by_a_family_or_a_minimum() {
    let dir = std::env::temp_dir().join(format!("nianbao-input-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let empty = dir.join("empty.md");
    std::fs::write(&empty, "").expect("write");
    let empty = empty.to_string_lossy();
    for flags in [
        &["--ignore", "NB0"][..],
        &["--select", "NB2"],
        &["--min-severity", "error", "--ignore", "NB00"],
    ] {
        let mut args = vec!["check", &*empty, "--format", "concise", "--no-config"];
        args.extend(flags);
        let (out, code) = stdout(&args);
        assert!(out.contains(":1:1: NB002 "), "{flags:?}: {out}");
        assert_eq!(code, Some(1), "{flags:?}");
    }
    // Named, it can be silenced.
    let (out, _) = stdout(&["check", &empty, "--format", "concise", "--ignore", "NB002"]);
    assert!(!out.contains("NB002"), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn concise_statistics_and_jobs() {
    let dir = fixture("");
    let dir = dir.to_string_lossy();
    let (concise, _) = stdout(&["check", &dir, "--format", "concise"]);
    let lines: Vec<&str> = concise.lines().collect();
    let last = lines.last().expect("a total line");
    assert!(last.starts_with("共检查 "), "{last}");
    for line in &lines[..lines.len() - 1] {
        // A Word draft's finding by its paragraph or cell: `path 第 6 段: NBnnn message`.
        let head = line.split_once(": NB").map_or(*line, |(head, _)| head);
        if let Some((path, place)) = head.split_once(".docx ") {
            assert!(path.contains("tests/fixtures/"), "{line}");
            assert!(place.starts_with('第') || place.starts_with('表'), "{line}");
            continue;
        }
        // path:line:column: NBnnn message
        let mut parts = line.splitn(4, ':');
        let (path, l, c, rest) = (parts.next(), parts.next(), parts.next(), parts.next());
        assert!(path.is_some_and(|p| p.contains("tests/fixtures")), "{line}");
        assert!(l.and_then(|l| l.parse::<u32>().ok()).is_some(), "{line}");
        assert!(c.and_then(|c| c.parse::<u32>().ok()).is_some(), "{line}");
        assert!(rest.is_some_and(|r| r.starts_with(" NB")), "{line}");
    }
    assert!(
        concise.contains("zhongwei-2017.md:156:138: NB401 总数 959项"),
        "{concise}"
    );
    // Counts per rule, most frequent first, then the total.
    let (stats, _) = stdout(&["check", &dir, "--statistics"]);
    let first = stats.lines().next().expect("a row");
    let count: usize = first
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a count");
    let warnings = concise.lines().filter(|l| l.contains(": NB504 ")).count();
    assert!(stats.contains("  NB504  警告 "), "{stats}");
    assert!(count >= warnings && warnings > 0, "{stats}");
    let (_, code) = stdout(&["check", &dir, "--statistics", "--format", "json"]);
    assert_eq!(code, Some(2), "statistics is for people's output");
    // One job gives the same document as all cores.
    let one = json(&nianbao(&["check", &dir, "--format", "json", "-j", "1"]));
    let many = json(&nianbao(&["check", &dir, "--format", "json"]));
    assert_eq!(one, many);
}

#[test]
fn rules_lists_a_family() {
    let (out, code) = stdout(&["rules", "NB4"]);
    assert_eq!(code, Some(0));
    let codes: Vec<&str> = out
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(
        codes.len() >= 3 && codes.iter().all(|c| c.starts_with("NB4")),
        "{out}"
    );
    let (out, _) = stdout(&["rules", "nb20x"]);
    assert!(
        out.lines().all(|l| l.starts_with("NB20")) && out.contains("NB201"),
        "{out}"
    );
    // The severities a finding can really have: a sum that fails only on blanks read
    // as 0 is a warning; a repair is only ever an info.
    let (all, _) = stdout(&["rules"]);
    let line = |code: &str| {
        all.lines()
            .find(|l| l.starts_with(code))
            .unwrap_or("")
            .to_string()
    };
    assert!(
        line("NB201").contains(" error/warning "),
        "{}",
        line("NB201")
    );
    assert!(line("NB010").contains(" info "), "{}", line("NB010"));
    // One rule still prints its documentation.
    let (doc, _) = stdout(&["rules", "NB401"]);
    assert!(doc.lines().count() > 5 && doc.contains("NB401"), "{doc}");
}

#[test]
fn table_merge_and_parse_take_directories() {
    let dir = std::env::temp_dir().join(format!("nianbao-dirs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    for name in ["pingtan-2024-a.md", "pingtan-2024-b.md"] {
        std::fs::copy(fixture(&format!("merge/{name}")), dir.join(name)).expect("copy");
    }
    let d = dir.to_string_lossy().to_string();
    let a = dir.join("pingtan-2024-a.md").to_string_lossy().to_string();
    let b = dir.join("pingtan-2024-b.md").to_string_lossy().to_string();
    // table: one table, its header once, the same rows as the files named.
    let (of_dir, code) = stdout(&["table", &d]);
    assert_eq!(code, Some(0));
    let (of_files, _) = stdout(&["table", &a, &b]);
    assert_eq!(of_dir, of_files);
    assert_eq!(of_dir.matches("path,issuer,").count(), 1);
    // merge: the directory's reports are the subordinates.
    let against = fixture("pingtan-2024.md");
    let against = against.to_string_lossy();
    let (merged_dir, code) = stdout(&["merge", "--against", &against, &d]);
    let (merged_files, _) = stdout(&["merge", "--against", &against, &a, &b]);
    assert_eq!(code, Some(0), "{merged_dir}");
    assert_eq!(merged_dir, merged_files);
    // parse: JSON Lines, one document per report.
    let (lines, code) = stdout(&["parse", &d]);
    assert_eq!(code, Some(0));
    let docs: Vec<serde_json::Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON document per line"))
        .collect();
    assert_eq!(docs.len(), 2);
    assert!(docs.iter().all(|d| d["schema"] == "nianbao.parse/2"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn usage_and_system_errors_in_the_chosen_language() {
    let stderr = |args: &[&str]| {
        let out = nianbao(args);
        (
            String::from_utf8_lossy(&out.stderr).to_string(),
            out.status.code(),
        )
    };
    let (zh, code) = stderr(&["check", "--frmat", "json", "x.md"]);
    assert_eq!(code, Some(2));
    assert!(
        zh.contains("不认识的参数“--frmat”；是否要用“--format”？"),
        "{zh}"
    );
    assert!(!zh.contains("unexpected argument"), "{zh}");
    let (zh, _) = stderr(&["check", "--format", "jsn", "x.md"]);
    assert!(
        zh.contains("的取值“jsn”无效；可选：human、concise、json"),
        "{zh}"
    );
    let (zh, _) = stderr(&["chek"]);
    assert!(
        zh.contains("不认识的子命令“chek”；是否要用“check”？"),
        "{zh}"
    );
    // English when asked for, even on a command line that is otherwise wrong.
    let (en, code) = stderr(&["check", "--lang", "en", "--frmat", "x.md"]);
    assert_eq!(code, Some(2));
    assert!(en.contains("unexpected argument '--frmat'"), "{en}");
    // The operating system's error is said in Chinese, its own text kept.
    let (zh, code) = stderr(&["check", "no-such-report.md"]);
    assert_eq!(code, Some(2));
    assert!(
        zh.contains("无法读取 no-such-report.md：文件或目录不存在（"),
        "{zh}"
    );
    // Help is still help, exit 0.
    assert_eq!(stderr(&["check", "--help"]).1, Some(0));
}

#[test]
fn underlines_stay_under_the_text_in_a_terminal_that_draws_quotes_wide() {
    use unicode_width::UnicodeWidthStr;
    let dir = std::env::temp_dir().join(format!("nianbao-ambiguous-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("r.md");
    std::fs::write(
        &path,
        "某市2024年政府信息公开工作年度报告\n\n一、总体情况\n\n\
         “政务公开”“放管服”工作中，本年度共受理申请10件，其中“当面”申请5件、“网络”申请4件。\n",
    )
    .expect("write");
    let p = path.to_string_lossy();
    for (flag, width) in [
        ("narrow", UnicodeWidthStr::width as fn(&str) -> usize),
        ("wide", UnicodeWidthStr::width_cjk),
    ] {
        let (out, _) = stdout(&[
            "check",
            &p,
            "--color",
            "never",
            "--select",
            "NB401",
            "--ambiguous-width",
            flag,
        ]);
        let lines: Vec<&str> = out.lines().collect();
        let source = lines
            .iter()
            .position(|l| l.starts_with("5 | "))
            .expect("the source line");
        let text = &lines[source][4..];
        let under = &lines[source + 1][4..];
        // Where each marked figure starts on screen, as this terminal draws the line.
        for (figure, marker) in [("10件", '^'), ("5件", '-'), ("4件", '-')] {
            let at = width(&text[..text.find(figure).expect("figure")]);
            // The character drawn at that column of the underline (labels hold CJK).
            let mut column = 0;
            let drawn = under.chars().find(|c| {
                let here = column;
                column += UnicodeWidthStr::width(c.to_string().as_str());
                here == at
            });
            assert_eq!(
                drawn,
                Some(marker),
                "{flag}: {figure} at column {at}:\n{text}\n{under}"
            );
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_file_that_is_not_text_is_named_for_what_it_is() {
    let dir = std::env::temp_dir().join(format!("nianbao-not-text-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let docx = [
        b"PK\x03\x04\x14\0\0\0\0\0".as_slice(),
        b"word/document.xml",
        &[0u8; 64],
    ]
    .concat();
    for (name, bytes, nb, says) in [
        (
            "r.pdf",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec(),
            "NB025",
            "这是 PDF 文件，不是文本",
        ),
        // A Word document is read; a damaged one is one error saying so.
        ("r.docx", docx, "NB026", "无法读取 Word 文档：ZIP 包已损坏"),
        (
            "r.png",
            b"\x89PNG\r\n\x1A\n\0\0\0\rIHDR".to_vec(),
            "NB025",
            "这是图片，不是文本",
        ),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, bytes).expect("write");
        // One error, whatever family is ignored: never garbage decoded as text.
        let (out, code) = stdout(&[
            "check",
            &path.to_string_lossy(),
            "--format",
            "concise",
            "--ignore",
            "NB0",
        ]);
        let findings: Vec<&str> = out.lines().filter(|l| l.contains(": NB")).collect();
        assert_eq!(findings.len(), 1, "{name}: {out}");
        assert!(
            findings[0].contains(&format!(":1:1: {nb} ")) && findings[0].contains(says),
            "{name}: {out}"
        );
        assert_eq!(code, Some(1), "{name}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_walk_names_the_documents_it_does_not_take() {
    let dir = std::env::temp_dir().join(format!("nianbao-walk-not-text-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::copy(fixture("pingtan-2024.md"), dir.join("r.md")).expect("copy");
    for name in ["a.pdf", "b.PDF", "c.docx", "d.doc"] {
        std::fs::write(dir.join(name), b"%PDF-1.7\n").expect("write");
    }
    let out = nianbao(&["check", &dir.to_string_lossy(), "--format", "concise"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("另有 3 个非文本文件未检查（.pdf 2、.doc 1）"),
        "{stderr}"
    );
    // The report and the .docx were checked (the .docx is read by its content:
    // this one is a PDF and says so).
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("共检查 2 个文件"), "{stdout}");
    assert!(
        stdout.contains("c.docx:1:1: NB025 这是 PDF 文件"),
        "{stdout}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn published_gives_the_date_for_the_timeliness_check() {
    // A department's 2025 report published on 15 February 2026: after 31 January.
    let czj = fixture("pingtan-caizhengjinrongju-2025.md");
    let czj = czj.to_str().expect("UTF-8 path");
    let (out, code) = stdout(&[
        "check",
        czj,
        "--published",
        "2026-02-15",
        "--format",
        "concise",
        "--color",
        "never",
    ]);
    // A warning: the run still passes (it fails on errors by default).
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("NB110 发布日期 2026-02-15 晚于法定期限 2026-01-31"),
        "{out}"
    );
    // Without it, one counted info says timeliness was not checked.
    let (out, _) = stdout(&["check", czj, "--format", "concise", "--show-info"]);
    assert!(out.contains("NB111 未找到发布日期"), "{out}");
    // A date given that cannot be this report's first publication (before the
    // year ended, or after the following year): said, neither late nor on time.
    for (given, why) in [
        ("2025-06-30", "早于该年度结束"),
        ("2028-01-10", "晚于次年年底"),
    ] {
        let (out, _) = stdout(&[
            "check",
            czj,
            "--published",
            given,
            "--format",
            "concise",
            "--show-info",
        ]);
        assert!(!out.contains("NB110"), "{out}");
        assert!(
            out.contains(&format!("NB111 给出的发布日期 {given} {why}")),
            "{out}"
        );
    }
    // A date that is not one: a usage error naming it, exit 2.
    let output = nianbao(&["check", czj, "--published", "2026-02-30"]);
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("--published 的日期无法识别：2026-02-30"),
        "{err}"
    );
}
