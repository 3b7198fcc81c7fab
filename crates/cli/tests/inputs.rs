//! Where reports come from, run as a user runs `nianbao`: standard input (`-`,
//! `--stdin-filename`), named pipes and a shell's `<(…)`, the size limit on
//! streams, files in a directory that are not regular or cannot be listed, UTF-16
//! without a byte-order mark, and CSV cells a spreadsheet would run as formulas.
//!
//! Nothing here can hang: every run is bounded (assert_cmd's timeout, or
//! [`run_bounded`] for a child with its own standard input), and a pipe's writer
//! that nobody opened is killed after the run.

use std::path::{Path, PathBuf};
use std::process::{Child, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// Longer than any run here takes (a few seconds in a debug build), so reaching
/// it means a run hung.
const LIMIT: Duration = Duration::from_secs(120);

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

fn fixture_bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).expect("fixture readable")
}

fn s(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

fn command() -> Command {
    let mut cmd = Command::cargo_bin("nianbao").expect("the nianbao binary is built");
    cmd.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .timeout(LIMIT);
    cmd
}

fn nianbao(args: &[&str]) -> Output {
    command().args(args).output().expect("nianbao runs")
}

fn nianbao_with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    command()
        .args(args)
        .write_stdin(stdin.to_vec())
        .output()
        .expect("nianbao runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is JSON ({e}): {}\nstderr: {}",
            stdout(out),
            stderr(out)
        )
    })
}

/// (code, line, column) of every finding of a report of the check document.
fn findings(report: &Value) -> Vec<(String, u64, u64)> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["span"]["line"].as_u64().unwrap_or(0),
                d["span"]["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// The check document of one file, checked as a file.
fn check_file(path: &Path) -> Value {
    let out = nianbao(&["check", "--format", "json", "--no-config", s(path)]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    json(&out)
}

/// Runs a command (the binary with a standard input of its own) with stdout and
/// stderr captured, killing it once [`LIMIT`] has passed.
fn run_bounded(cmd: &mut std::process::Command) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let drain = |r: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut r) = r {
                let _ = r.read_to_end(&mut buf);
            }
            buf
        })
    };
    let out = drain(child.stdout.take().map(|o| Box::new(o) as _));
    let err = drain(child.stderr.take().map(|e| Box::new(e) as _));
    let deadline = Instant::now() + LIMIT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("waits") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            break child.wait().expect("waits");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().expect("stdout read"),
        stderr: err.join().expect("stderr read"),
    }
}

/// A process writing to a named pipe or a pipe (`sh -c SCRIPT sh ARGS…`).
fn writer(script: &str, args: &[&str], stdout: Stdio) -> Child {
    std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg("sh")
        .args(args)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::null())
        .spawn()
        .expect("sh runs")
}

/// The writer's end: its status when it ended by itself, `None` when it was
/// still waiting (nobody opened or read its pipe) and had to be killed.
fn finish(mut child: Child) -> Option<ExitStatus> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(status) = child.try_wait().expect("waits") {
            return Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Killed by SIGPIPE or ended with an error: the reader closed the pipe early.
#[cfg(unix)]
fn cut_short(status: ExitStatus) -> bool {
    use std::os::unix::process::ExitStatusExt;
    status.signal() == Some(13) || !status.success()
}

/// A named pipe made with mkfifo(1).
#[cfg(unix)]
fn fifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

// ---------------------------------------------------------------------------
// Standard input
// ---------------------------------------------------------------------------

#[test]
fn check_reads_standard_input_shown_by_its_stdin_filename() {
    let file = fixture("huaian-2024.md");
    let bytes = fixture_bytes("huaian-2024.md");
    let expected = findings(&check_file(&file)["reports"][0]);
    assert!(!expected.is_empty());
    let out = nianbao_with_stdin(
        &[
            "check",
            "--format",
            "json",
            "--no-config",
            "--stdin-filename",
            "reports/huaian-2024.md",
            "-",
        ],
        &bytes,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(doc["reports"].as_array().map(Vec::len), Some(1));
    assert_eq!(doc["reports"][0]["path"], "reports/huaian-2024.md");
    assert_eq!(findings(&doc["reports"][0]), expected);
    // Without a name, standard input is `-`, in every format.
    let out = nianbao_with_stdin(&["check", "--format", "json", "--no-config", "-"], &bytes);
    assert_eq!(json(&out)["reports"][0]["path"], "-");
    let out = nianbao_with_stdin(
        &[
            "check",
            "--lang",
            "en",
            "--no-config",
            "--stdin-filename",
            "r.md",
            "-",
        ],
        &bytes,
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("r.md: 0 errors"), "{}", stdout(&out));
    // Standard input among files: in the operands' order.
    let out = nianbao_with_stdin(
        &["check", "--format", "json", "--no-config", s(&file), "-"],
        &bytes,
    );
    let doc = json(&out);
    let paths: Vec<&str> = doc["reports"]
        .as_array()
        .expect("reports")
        .iter()
        .map(|r| r["path"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(paths, [s(&file), "-"]);
}

#[test]
fn the_stdin_filename_says_where_the_configuration_is() {
    let dir = TempDir::new().expect("temp dir");
    std::fs::write(dir.path().join("nianbao.toml"), "ignore = [\"NB019\"]\n").expect("written");
    let bytes = fixture_bytes("huaian-2024.md");
    let codes = |args: &[&str]| -> Vec<String> {
        let out = nianbao_with_stdin(args, &bytes);
        findings(&json(&out)["reports"][0])
            .into_iter()
            .map(|(code, _, _)| code)
            .collect()
    };
    let named = dir.path().join("huaian-2024.md");
    let with = codes(&[
        "check",
        "--format",
        "json",
        "--stdin-filename",
        s(&named),
        "-",
    ]);
    assert!(!with.iter().any(|c| c == "NB019"), "{with:?}");
    let without = codes(&["check", "--format", "json", "--no-config", "-"]);
    assert!(without.iter().any(|c| c == "NB019"), "{without:?}");
}

#[test]
fn parse_table_and_merge_read_standard_input() {
    let file = fixture("huaian-2024.md");
    let bytes = fixture_bytes("huaian-2024.md");
    // parse: the same document as for the file.
    let from_file = nianbao(&["parse", s(&file)]);
    assert_eq!(from_file.status.code(), Some(0));
    let from_stdin = nianbao_with_stdin(&["parse", "-"], &bytes);
    assert_eq!(from_stdin.status.code(), Some(0), "{}", stderr(&from_stdin));
    assert_eq!(json(&from_stdin), json(&from_file));
    // table: the same rows, under the name given.
    let rows = |out: &Output| -> Vec<Value> {
        assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
        json(out)["rows"].as_array().expect("rows").clone()
    };
    let file_rows = rows(&nianbao(&["table", "--format", "json", s(&file)]));
    assert!(!file_rows.is_empty());
    let stdin_rows = rows(&nianbao_with_stdin(
        &["table", "--format", "json", "--stdin-filename", "s.md", "-"],
        &bytes,
    ));
    assert_eq!(stdin_rows.len(), file_rows.len());
    for (mut from_stdin, from_file) in stdin_rows.into_iter().zip(file_rows) {
        assert_eq!(from_stdin["path"], "s.md");
        from_stdin["path"] = from_file["path"].clone();
        assert_eq!(from_stdin, from_file);
    }
    // merge: a subordinate report, or the compiled one, from standard input.
    let a = root().join("tests/fixtures/merge/pingtan-2024-a.md");
    let b = root().join("tests/fixtures/merge/pingtan-2024-b.md");
    let compiled = fixture("pingtan-2024.md");
    let merged = |out: Output| -> (Option<i32>, Value) { (out.status.code(), json(&out)) };
    let expected = merged(nianbao(&[
        "merge",
        "--format",
        "json",
        s(&a),
        s(&b),
        "--against",
        s(&compiled),
    ]));
    assert!(matches!(expected.0, Some(0 | 1)));
    let sub = merged(nianbao_with_stdin(
        &[
            "merge",
            "--format",
            "json",
            "--stdin-filename",
            s(&a),
            "-",
            s(&b),
            "--against",
            s(&compiled),
        ],
        &std::fs::read(&a).expect("readable"),
    ));
    assert_eq!(sub, expected);
    let against = merged(nianbao_with_stdin(
        &[
            "merge",
            "--format",
            "json",
            "--stdin-filename",
            s(&compiled),
            s(&a),
            s(&b),
            "--against",
            "-",
        ],
        &std::fs::read(&compiled).expect("readable"),
    ));
    assert_eq!(against, expected);
}

#[test]
fn last_years_report_can_come_from_standard_input() {
    let last = fixture("pingtan-2023.md");
    let this = fixture("pingtan-2024.md");
    let nb6 = |doc: &Value| -> Vec<(String, u64, u64)> {
        findings(&doc["reports"][0])
            .into_iter()
            .filter(|(code, _, _)| code.starts_with("NB6"))
            .collect()
    };
    let from_file = nianbao(&[
        "check",
        "--format",
        "json",
        "--no-config",
        "--previous",
        s(&last),
        s(&this),
    ]);
    let expected = nb6(&json(&from_file));
    assert!(!expected.is_empty(), "the pair has a cross-year finding");
    let from_stdin = nianbao_with_stdin(
        &[
            "check",
            "--format",
            "json",
            "--no-config",
            "--previous",
            "-",
            s(&this),
        ],
        &fixture_bytes("pingtan-2023.md"),
    );
    assert_eq!(from_stdin.status.code(), from_file.status.code());
    assert_eq!(nb6(&json(&from_stdin)), expected);
}

#[test]
fn standard_input_is_named_once_and_stdin_filename_only_with_it() {
    let file = fixture("huaian-2024.md");
    for args in [
        vec!["check", "-", "-"],
        vec!["check", "--previous", "-", "-"],
        vec!["table", "-", "-"],
        vec!["merge", "-", "--against", "-"],
    ] {
        let out = nianbao_with_stdin(&args, b"x");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).contains("标准输入（-）只能读取一次"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    for args in [
        vec![
            "check",
            "--lang",
            "en",
            "--stdin-filename",
            "x.md",
            s(&file),
        ],
        vec!["parse", "--stdin-filename", "x.md", s(&file)],
        vec!["table", "--stdin-filename", "x.md", s(&file)],
    ] {
        let out = nianbao(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).contains("--stdin-filename"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(stdout(&out).is_empty(), "nothing checked: {args:?}");
    }
}

#[cfg(unix)]
#[test]
fn standard_input_over_the_limit_is_nb007_and_is_not_read_to_its_end() {
    // 16 MiB into a pipe that holds far less: the writer can only finish if
    // nianbao reads everything.
    let mut source = writer("head -c 16777216 /dev/zero", &[], Stdio::piped());
    let pipe = source.stdout.take().expect("piped");
    let out = run_bounded(
        std::process::Command::new(assert_cmd::cargo::cargo_bin("nianbao"))
            .args([
                "check",
                "--format",
                "json",
                "--lang",
                "en",
                "--no-config",
                "--max-file-size",
                "1K",
                "-",
            ])
            .stdin(Stdio::from(pipe)),
    );
    let status = finish(source).expect("the writer ends once its reader is gone");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let d = &json(&out)["reports"][0]["diagnostics"];
    assert_eq!(d.as_array().map(Vec::len), Some(1), "{d}");
    assert_eq!(d[0]["code"], "NB007");
    let message = d[0]["message"].as_str().unwrap_or("");
    assert!(message.contains("more than the limit of 1024"), "{message}");
    assert!(
        cut_short(status),
        "reading stopped at the limit: {status:?}"
    );
    // parse and table: an error naming the input, exit 2.
    for command in ["parse", "table"] {
        let out = nianbao_with_stdin(
            &[
                command,
                "--max-file-size",
                "1K",
                "--stdin-filename",
                "big.md",
                "-",
            ],
            &[b'x'; 4096],
        );
        assert_eq!(out.status.code(), Some(2), "{command}");
        assert!(stderr(&out).contains("big.md"), "{}", stderr(&out));
        assert!(stderr(&out).contains("1024"), "{}", stderr(&out));
    }
}

// ---------------------------------------------------------------------------
// Named pipes
// ---------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn named_pipes_are_read_once_as_streams_and_paired_by_year() {
    let dir = TempDir::new().expect("temp dir");
    // Last year's report and this year's, each through a pipe (as two `<(…)` are):
    // the pairing by issuer and year must not read a pipe a second time.
    let last = dir.path().join("last");
    let this = dir.path().join("this");
    fifo(&last);
    fifo(&this);
    let cat = "cat \"$1\" > \"$2\"";
    let w_last = writer(
        cat,
        &[s(&fixture("pingtan-2023.md")), s(&last)],
        Stdio::null(),
    );
    let w_this = writer(
        cat,
        &[s(&fixture("pingtan-2024.md")), s(&this)],
        Stdio::null(),
    );
    let out = nianbao(&[
        "check",
        "--format",
        "json",
        "--no-config",
        s(&this),
        s(&last),
    ]);
    let (w_last, w_this) = (finish(w_last), finish(w_this));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(w_last.is_some_and(|s| s.success()), "{w_last:?}");
    assert!(w_this.is_some_and(|s| s.success()), "{w_this:?}");
    let doc = json(&out);
    let from_files = nianbao(&[
        "check",
        "--format",
        "json",
        "--no-config",
        s(&fixture("pingtan-2024.md")),
        s(&fixture("pingtan-2023.md")),
    ]);
    let expected = json(&from_files);
    for i in 0..2 {
        assert_eq!(
            findings(&doc["reports"][i]),
            findings(&expected["reports"][i]),
            "report {i}"
        );
    }
    assert!(
        findings(&doc["reports"][0])
            .iter()
            .any(|(code, line, _)| code == "NB602" && *line == 27),
        "paired with last year's: {:?}",
        findings(&doc["reports"][0])
    );
    // table and parse read a pipe too.
    let pipe = dir.path().join("table");
    fifo(&pipe);
    let w = writer(
        cat,
        &[s(&fixture("huaian-2024.md")), s(&pipe)],
        Stdio::null(),
    );
    let out = nianbao(&["table", s(&pipe)]);
    assert!(finish(w).is_some_and(|s| s.success()));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).lines().count() > 10);
    assert!(stdout(&out).contains(&format!("{},淮安市人民政府", s(&pipe))));
}

#[cfg(unix)]
#[test]
fn a_named_pipe_over_the_limit_is_nb007_and_is_not_read_to_its_end() {
    let dir = TempDir::new().expect("temp dir");
    let pipe = dir.path().join("big.md");
    fifo(&pipe);
    let w = writer(
        "head -c 16777216 /dev/zero > \"$1\"",
        &[s(&pipe)],
        Stdio::null(),
    );
    let out = nianbao(&[
        "check",
        "--format",
        "json",
        "--lang",
        "en",
        "--no-config",
        "--max-file-size",
        "64K",
        s(&pipe),
    ]);
    let status = finish(w).expect("the writer ends once its reader is gone");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let d = &json(&out)["reports"][0]["diagnostics"][0];
    assert_eq!(d["code"], "NB007");
    assert!(
        d["message"]
            .as_str()
            .unwrap_or("")
            .contains("more than the limit of 65536"),
        "{d}"
    );
    assert!(
        cut_short(status),
        "reading stopped at the limit: {status:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_process_substitution_is_checked() {
    // The shell's own `<(…)`, exactly as a user types it (a converted GBK file
    // would come through `<(iconv -f gbk -t utf-8 r.txt)` the same way).
    let file = fixture("huaian-2024.md");
    let out = run_bounded(
        std::process::Command::new("bash")
            .arg("-c")
            .arg("exec \"$0\" check --format json --no-config <(cat \"$1\")")
            .arg(assert_cmd::cargo::cargo_bin("nianbao"))
            .arg(&file)
            .env_remove("LC_ALL")
            .env_remove("LANG"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    let report = &doc["reports"][0];
    assert!(
        report["path"]
            .as_str()
            .is_some_and(|p| p.starts_with("/dev/fd/") || p.starts_with("/proc/")),
        "{}",
        report["path"]
    );
    assert_eq!(findings(report), findings(&check_file(&file)["reports"][0]));
}

// ---------------------------------------------------------------------------
// Directory walks
// ---------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn pipes_sockets_and_devices_in_a_directory_are_nb005_and_never_opened() {
    let dir = TempDir::new().expect("temp dir");
    let root = dir.path();
    std::fs::write(root.join("a.md"), fixture_bytes("huaian-2024.md")).expect("written");
    // No writer: opening this pipe would wait for ever (the run would hit LIMIT).
    fifo(&root.join("pipe.md"));
    let _socket =
        std::os::unix::net::UnixListener::bind(root.join("socket.md")).expect("socket bound");
    std::os::unix::fs::symlink("/dev/null", root.join("null.md")).expect("symlink");
    let out = nianbao(&["check", "--format", "json", "--lang", "en", s(root)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    let reports = doc["reports"].as_array().expect("reports");
    let names: Vec<String> = reports
        .iter()
        .map(|r| {
            r["path"]
                .as_str()
                .and_then(|p| p.rsplit('/').next())
                .unwrap_or("")
                .to_string()
        })
        .collect();
    assert_eq!(names, ["a.md", "null.md", "pipe.md", "socket.md"]);
    assert_eq!(reports[0]["summary"]["error"], 0, "a.md is checked");
    for report in &reports[1..] {
        let d = report["diagnostics"].as_array().expect("diagnostics");
        assert_eq!(d.len(), 1, "{report}");
        assert_eq!(d[0]["code"], "NB005");
        assert_eq!(d[0]["severity"], "error");
        assert!(
            d[0]["messages"]["en"]
                .as_str()
                .unwrap_or("")
                .contains("not a regular file"),
            "{report}"
        );
        assert!(d[0]["messages"]["zh"]
            .as_str()
            .unwrap_or("")
            .contains("不是普通文件"));
    }
}

/// Whether this process reads files whatever their permissions (root).
#[cfg(unix)]
fn permissions_do_not_apply(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join("probe");
    std::fs::write(&probe, b"x").expect("written");
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let readable = std::fs::read(&probe).is_ok();
    std::fs::remove_file(&probe).expect("removed");
    readable
}

#[cfg(unix)]
#[test]
fn an_unreadable_subdirectory_is_nb005_whatever_its_name() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let dir = TempDir::new().expect("temp dir");
    let root = dir.path();
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let report = fixture_bytes("huaian-2024.md");
    std::fs::write(root.join("a.md"), &report).expect("written");
    // `sub` matches none of the globs (*.md …): it was dropped silently.
    let sub = root.join("sub");
    std::fs::create_dir(&sub).expect("dir");
    std::fs::write(sub.join("b.md"), &report).expect("written");
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("nianbao"));
    if permissions_do_not_apply(root) {
        // Root reads any directory: run nianbao as `nobody` (from a copy it can
        // execute), for whom the permissions apply.
        let copy = root.join("nianbao");
        std::fs::copy(assert_cmd::cargo::cargo_bin("nianbao"), &copy).expect("copied");
        std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        cmd = std::process::Command::new(copy);
        cmd.uid(65534).gid(65534);
    }
    let out = run_bounded(
        cmd.args(["check", "--format", "json", "--lang", "en", "--no-config"])
            .arg(root)
            .env_remove("LC_ALL")
            .env_remove("LANG"),
    );
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o755)).expect("chmod back");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    let reports = doc["reports"].as_array().expect("reports");
    let names: Vec<&str> = reports
        .iter()
        .map(|r| r["path"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(names, [s(&root.join("a.md")), s(&sub)]);
    let d = reports[1]["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0]["code"], "NB005");
    assert_eq!(d[0]["severity"], "error");
    let en = d[0]["messages"]["en"].as_str().unwrap_or("");
    let zh = d[0]["messages"]["zh"].as_str().unwrap_or("");
    assert!(en.contains("cannot read the directory"), "{en}");
    assert!(en.contains("os error 13"), "{en}");
    assert!(zh.contains("无法读取目录"), "{zh}");
}

// ---------------------------------------------------------------------------
// UTF-16 without a byte-order mark
// ---------------------------------------------------------------------------

#[test]
fn utf16_without_a_byte_order_mark_is_read_with_a_note() {
    let text = String::from_utf8(fixture_bytes("huaian-2024.md")).expect("UTF-8 fixture");
    let utf8 = check_file(&fixture("huaian-2024.md"));
    let utf8_report = &utf8["reports"][0];
    let dir = TempDir::new().expect("temp dir");
    for (name, label, big_endian) in [("le.md", "UTF-16LE", false), ("be.md", "UTF-16BE", true)] {
        let bytes: Vec<u8> = text
            .encode_utf16()
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect();
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).expect("written");
        let doc = check_file(&path);
        let report = &doc["reports"][0];
        let diagnostics = report["diagnostics"].as_array().expect("diagnostics");
        let note = diagnostics
            .iter()
            .find(|d| d["code"] == "NB023")
            .unwrap_or_else(|| panic!("NB023 in {report}"));
        assert_eq!(note["severity"], "info");
        assert_eq!(note["name"], "utf16-without-bom");
        assert!(note["messages"]["en"]
            .as_str()
            .unwrap_or("")
            .contains(label));
        assert!(note["messages"]["zh"]
            .as_str()
            .unwrap_or("")
            .contains(label));
        // The same findings at the same lines and columns as the UTF-8 file,
        // their byte spans in the UTF-16 file's bytes.
        let mut rest: Vec<&Value> = diagnostics
            .iter()
            .filter(|d| d["code"] != "NB023")
            .collect();
        let expected: Vec<&Value> = utf8_report["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .collect();
        assert_eq!(rest.len(), expected.len());
        assert_eq!(report["format"], utf8_report["format"]);
        for (got, want) in rest.drain(..).zip(expected) {
            assert_eq!(got["code"], want["code"]);
            assert_eq!(got["span"]["line"], want["span"]["line"]);
            assert_eq!(got["span"]["column"], want["span"]["column"]);
            let at = |v: &Value| v.as_u64().expect("offset") as usize;
            let utf16_offset = |utf8: usize| 2 * text[..utf8].encode_utf16().count();
            assert_eq!(
                at(&got["span"]["start"]),
                utf16_offset(at(&want["span"]["start"]))
            );
            assert_eq!(
                at(&got["span"]["end"]),
                utf16_offset(at(&want["span"]["end"]))
            );
        }
        // parse names the encoding; the human output shows the note.
        let out = nianbao(&["parse", s(&path)]);
        let encoding = if big_endian { "utf16-be" } else { "utf16-le" };
        assert_eq!(json(&out)["encoding"], encoding);
        let out = nianbao(&[
            "check",
            "--lang",
            "en",
            "--no-config",
            "--show-info",
            s(&path),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(stdout(&out).contains("info[NB023]"), "{}", stdout(&out));
    }
}

// ---------------------------------------------------------------------------
// CSV injection
// ---------------------------------------------------------------------------

fn csv_records(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("CSV").iter().map(str::to_string).collect())
        .collect()
}

/// No cell a spreadsheet would run as a formula: every cell starting with
/// = + - @, a tab or a carriage return is a plain number.
fn assert_no_formula(records: &[Vec<String>]) {
    for cell in records.iter().flatten() {
        if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            let number = cell[1..].parse::<f64>().is_ok()
                && cell[1..].bytes().all(|b| b.is_ascii_digit() || b == b'.');
            assert!(number, "a formula cell: {cell:?}");
        }
    }
}

#[test]
fn csv_cells_that_a_spreadsheet_would_run_get_a_quote() {
    let dir = TempDir::new().expect("temp dir");
    let name = "=HYPERLINK(\"evil.example?q\",\"x\").md";
    // A table value that is text starting with `=`, and a negative number.
    let text = String::from_utf8(fixture_bytes("huaian-2024.md")).expect("UTF-8 fixture");
    let row = "<tr><td>规章</td><td>1</td><td>0</td><td>11</td></tr>";
    assert!(text.contains(row));
    let edited = text.replacen(
        row,
        "<tr><td>规章</td><td>=1+1</td><td>-3</td><td>11</td></tr>",
        1,
    );
    std::fs::write(dir.path().join(name), edited).expect("written");
    let run = |args: &[&str]| -> Vec<Vec<String>> {
        let out = command()
            .current_dir(dir.path())
            .args(args)
            .output()
            .expect("runs");
        assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
        csv_records(&stdout(&out))
    };
    // check --format csv: the path column of every finding.
    let check = run(&["check", "--format", "csv", "--no-config", name]);
    assert!(check.len() > 1);
    assert_eq!(check[0][0], "path");
    for record in &check[1..] {
        assert_eq!(record[0], format!("'{name}"));
    }
    assert_no_formula(&check);
    // table: the path column, and a text value starting with `=`; -3 stays a number.
    let table = run(&["table", name]);
    assert_eq!(table[0][0], "path");
    let column = |name: &str| table[0].iter().position(|h| h == name).expect(name);
    let (indicator, value) = (column("indicator"), column("value"));
    for record in &table[1..] {
        assert_eq!(record[0], format!("'{name}"));
    }
    let values: Vec<&str> = table[1..]
        .iter()
        .filter(|r| r[indicator] == "active.a20_1.regulation")
        .map(|r| r[value].as_str())
        .collect();
    assert_eq!(values, ["'=1+1", "-3", "11"]);
    assert_no_formula(&table);
    // A name given to standard input.
    let out = nianbao_with_stdin(
        &["table", "--stdin-filename", "@SUM(A1:A9)", "-"],
        &fixture_bytes("huaian-2024.md"),
    );
    let records = csv_records(&stdout(&out));
    assert!(records.len() > 1);
    assert!(records[1..].iter().all(|r| r[0] == "'@SUM(A1:A9)"));
    // JSON keeps the name as it is: only CSV is opened by spreadsheets.
    let out = nianbao_with_stdin(
        &[
            "table",
            "--format",
            "json",
            "--stdin-filename",
            "@SUM(A1:A9)",
            "-",
        ],
        &fixture_bytes("huaian-2024.md"),
    );
    assert_eq!(json(&out)["rows"][0]["path"], "@SUM(A1:A9)");
}
