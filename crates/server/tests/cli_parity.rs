//! `POST /api/v1/check` gives the same `nianbao.check/2` document as the `nianbao`
//! CLI (`nianbao check --format json`) for the same bytes and settings: every
//! fixture, a body that is not a report, an empty body, undecodable bytes and a
//! GB18030 report, in both languages, sent raw and as a multipart upload.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{cli_binary, client, fixture, Client, Server};
use reqwest::blocking::multipart;
use serde_json::Value;

/// The document the CLI prints for one file, with no configuration file and the language given.
fn cli_document(path: &Path, lang: &str) -> Value {
    let out = Command::new(cli_binary())
        .args(["check", "--format", "json", "--no-config", "--lang", lang])
        .arg(path)
        .env_remove("NO_COLOR")
        .output()
        .expect("run nianbao");
    // 0: no error finding, 1: some; 2 would be a usage error or an unreadable file.
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "nianbao check {} exited with {:?}: {}",
        path.display(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the CLI prints JSON")
}

/// The document the server returns for the bytes of `path`, named as the CLI names it.
fn server_document(c: &Client, s: &Server, path: &Path, lang: &str, multipart: bool) -> Value {
    let bytes = std::fs::read(path).expect("read");
    let name = path.display().to_string();
    let req = c
        .post(s.url("/api/v1/check"))
        .query(&[("lang", lang), ("name", &name)]);
    let req = if multipart {
        let form = multipart::Form::new().part(
            "file",
            multipart::Part::bytes(bytes).file_name("ignored-because-name-is-given.md"),
        );
        req.multipart(form)
    } else {
        req.header("Content-Type", "application/octet-stream")
            .body(bytes)
    };
    let res = req.send().expect("POST /api/v1/check");
    assert_eq!(res.status(), 200, "{name}");
    res.json().expect("JSON")
}

/// Every report-like file of `tests/fixtures` (Markdown, text, HTML; also its README,
/// which is not a report), plus made-up inputs written to `dir`.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixture(""))
        .expect("tests/fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .is_some_and(|e| e == "md" || e == "txt" || e == "html")
        })
        .collect();
    files.sort();
    assert!(files.len() >= 10, "the fixtures are there: {files:?}");

    let zhongwei = std::fs::read(fixture("zhongwei-2017.md")).expect("fixture");
    let text = String::from_utf8(zhongwei.clone()).expect("UTF-8");
    let (gb, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    let made_up: Vec<(&str, Vec<u8>)> = vec![
        (
            "not-a-report.txt",
            b"Shopping list: apples, pears, 3 loaves.\n".to_vec(),
        ),
        ("empty.md", Vec::new()),
        ("undecodable.md", vec![0xff, 0xfe, 0xfd, b'a', 0x80, 0x00]),
        ("zhongwei-2017.gb18030.md", gb.into_owned()),
        (
            "zhongwei-2017.bom.md",
            [b"\xef\xbb\xbf".as_slice(), &zhongwei].concat(),
        ),
    ];
    for (name, bytes) in made_up {
        let path = dir.join(name);
        std::fs::write(&path, bytes).expect("write");
        files.push(path);
    }
    files
}

#[test]
fn check_gives_the_cli_document() {
    let dir = tempfile::tempdir().expect("temporary directory");
    // Some 70 checks in a row from one address: no per-address check limit.
    let s = Server::start_with(&["--check-burst", "0"]);
    let c = client();
    let mut compared = 0;
    for path in inputs(dir.path()) {
        for lang in ["zh", "en"] {
            let cli = cli_document(&path, lang);
            assert_eq!(cli["schema"], "nianbao.check/2");
            assert_eq!(cli["reports"].as_array().map(Vec::len), Some(1));
            for multipart in [false, true] {
                let server = server_document(&c, &s, &path, lang, multipart);
                if server != cli {
                    panic!(
                        "the server and the CLI differ for {} (lang {lang}, multipart {multipart}):\nCLI:    {}\nserver: {}",
                        path.display(),
                        serde_json::to_string(&cli).unwrap_or_default(),
                        serde_json::to_string(&server).unwrap_or_default(),
                    );
                }
                compared += 1;
            }
        }
    }
    assert!(compared >= 40);
}

#[test]
fn a_non_report_is_nb003_from_both() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("letter.txt");
    std::fs::write(&path, "尊敬的领导：\n\n来信收悉，现答复如下。\n").expect("write");
    let s = Server::start();
    let c = client();
    let cli = cli_document(&path, "zh");
    let server = server_document(&c, &s, &path, "zh", false);
    assert_eq!(server, cli);
    let codes: Vec<&str> = server["reports"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(codes.contains(&"NB003"), "{codes:?}");
}
