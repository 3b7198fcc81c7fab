//! Durability: reports the server has acknowledged survive `kill -9`, byte for
//! byte, and the database passes `PRAGMA integrity_check` afterwards.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use base64::Engine;
use common::{
    client, fixture_bytes, raw_request_head, sha256_hex, Client, Collection, Server, SERVER,
};
use serde_json::Value;

const FIXTURES: &[&str] = &[
    "zhongwei-2017.md",
    "huaian-2024.md",
    "pingtan-2018.md",
    "pingtan-2023.md",
    "pingtan-2023.page.html",
    "pingtan-2023.page.txt",
    "pingtan-2024.md",
    "pingtan-2025.md",
];

/// The `i`th report: a fixture with a line of its own, so that every report differs.
fn report(i: usize) -> Vec<u8> {
    let mut bytes = fixture_bytes(FIXTURES[i % FIXTURES.len()]);
    bytes.extend_from_slice(format!("\n\n<!-- copy {i} -->\n").as_bytes());
    bytes
}

fn upload(c: &Client, s: &Server, col: &Collection, name: &str, bytes: &[u8]) -> i64 {
    let res = c
        .post(s.url(&col.path("/reports")))
        .query(&[("name", name)])
        .bearer_auth(&col.upload)
        .header("Content-Type", "application/octet-stream")
        .body(bytes.to_vec())
        .send()
        .expect("upload");
    assert_eq!(res.status(), 201);
    let body: Value = res.json().expect("JSON");
    assert_eq!(body["sha256"], sha256_hex(bytes));
    body["id"].as_i64().expect("id")
}

/// Checks that every `(rid, bytes)` is stored unchanged, both ways of reading it back,
/// and that the collection holds nothing else.
fn assert_intact(
    c: &Client,
    s: &Server,
    col: &Collection,
    expected: &[(i64, Vec<u8>)],
    exact: bool,
) {
    let list: Value = c
        .get(s.url(&col.path("/reports")))
        .bearer_auth(&col.admin)
        .send()
        .expect("GET")
        .json()
        .expect("JSON");
    let listed: Vec<i64> = list["reports"]
        .as_array()
        .expect("reports")
        .iter()
        .map(|r| r["id"].as_i64().expect("id"))
        .collect();
    if exact {
        let ids: Vec<i64> = expected.iter().map(|(id, _)| *id).collect();
        assert_eq!(listed, ids);
    }
    for (rid, bytes) in expected {
        assert!(listed.contains(rid), "report {rid} is gone");
        let url = s.url(&col.path(&format!("/reports/{rid}")));
        let raw = c
            .get(&url)
            .query(&[("raw", "1")])
            .bearer_auth(&col.admin)
            .send()
            .expect("GET raw");
        assert_eq!(raw.status(), 200);
        let raw = raw.bytes().expect("body");
        assert_eq!(sha256_hex(&raw), sha256_hex(bytes), "report {rid} (raw)");
        assert_eq!(raw.as_ref(), bytes.as_slice());
        let one: Value = c
            .get(&url)
            .bearer_auth(&col.admin)
            .send()
            .expect("GET")
            .json()
            .expect("JSON");
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(one["bytes_base64"].as_str().expect("base64"))
            .expect("base64");
        assert_eq!(
            sha256_hex(&decoded),
            sha256_hex(bytes),
            "report {rid} (base64)"
        );
        assert_eq!(one["sha256"], sha256_hex(bytes));
    }
}

/// `nianbao-server --db DB --integrity-check` prints `ok` and exits 0.
fn assert_integrity(db: &Path) {
    let out = Command::new(SERVER)
        .arg("--db")
        .arg(db)
        .arg("--integrity-check")
        .output()
        .expect("run --integrity-check");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "ok");
    assert!(out.status.success());
}

#[test]
fn fifty_reports_survive_kill_9_mid_upload_of_the_51st() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = dir.path().join("x.db");
    let mut s = Server::start_on(&db, &[], &[]);
    let c = client();
    let col = s.create_collection(&c, "durability", 2024);
    let mut stored = Vec::new();
    for i in 0..50 {
        let bytes = report(i);
        let rid = upload(&c, &s, &col, &format!("report-{i}.md"), &bytes);
        stored.push((rid, bytes));
    }

    // The 51st: a large body sent slowly; the server is killed while it is in flight.
    let big: Vec<u8> = report(50).repeat(100);
    let auth = format!("Bearer {}", col.upload);
    let mut stream = raw_request_head(
        s.addr,
        "POST",
        &col.path("/reports?name=report-50.md"),
        &[("Content-Type", "text/markdown"), ("Authorization", &auth)],
        big.len(),
    );
    stream
        .write_all(&big[..big.len() / 3])
        .expect("send a third");
    std::thread::sleep(Duration::from_millis(300));
    s.kill9();
    // The rest finds a dead peer (or the kernel's buffer): either way it is not stored.
    let _ = stream.write_all(&big[big.len() / 3..]);
    drop(stream);

    let s = Server::start_on(&db, &[], &[]);
    assert_intact(&c, &s, &col, &stored, true);
    drop(s);
    assert_integrity(&db);
}

#[test]
fn acknowledged_uploads_survive_kill_9_under_concurrent_uploads() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = dir.path().join("x.db");
    let mut s = Server::start_on(&db, &["--upload-burst", "100000"], &[]);
    let c = client();
    let col = s.create_collection(&c, "concurrent", 2024);
    let acknowledged: Mutex<Vec<(i64, Vec<u8>)>> = Mutex::new(Vec::new());
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        for t in 0..4 {
            let (c, s, col, acknowledged, stop) = (&c, &s, &col, &acknowledged, &stop);
            scope.spawn(move || {
                let mut i = t;
                while !stop.load(Ordering::SeqCst) {
                    let bytes = report(i);
                    let res = c
                        .post(s.url(&col.path("/reports")))
                        .bearer_auth(&col.upload)
                        .header("Content-Type", "text/plain")
                        .body(bytes.clone())
                        .send();
                    // Only a 201 that arrived counts; the kill cuts the others off.
                    if let Ok(res) = res {
                        if res.status() == 201 {
                            if let Ok(body) = res.json::<Value>() {
                                if let Some(rid) = body["id"].as_i64() {
                                    acknowledged
                                        .lock()
                                        .unwrap_or_else(|e| e.into_inner())
                                        .push((rid, bytes));
                                }
                            }
                        }
                    }
                    i += 4;
                }
            });
        }
        // Kill while uploads are being checked and written, once some have been acknowledged.
        while acknowledged.lock().unwrap_or_else(|e| e.into_inner()).len() < 12 {
            std::thread::sleep(Duration::from_millis(10));
        }
        s.signal("KILL");
        stop.store(true, Ordering::SeqCst);
    });
    s.wait_exit(Duration::from_secs(30));
    let acknowledged = acknowledged.into_inner().unwrap_or_else(|e| e.into_inner());
    assert!(acknowledged.len() >= 12);

    let s = Server::start_on(&db, &[], &[]);
    // Uploads whose 201 never arrived may or may not be stored; every acknowledged one is.
    assert_intact(&c, &s, &col, &acknowledged, false);
    drop(s);
    assert_integrity(&db);
}
