//! Graceful shutdown: on SIGTERM the server stops taking connections, finishes the
//! requests in flight (they complete with 200/201) and exits 0.
#![cfg(unix)]

mod common;

use std::io::Write;
use std::time::Duration;

use common::{client, fixture_bytes, raw_request_head, read_raw_response, Server};
use serde_json::Value;

#[test]
fn sigterm_finishes_in_flight_requests_and_exits_0() {
    let dir = tempfile::tempdir().expect("temporary directory");
    // tower-http's debug line `started processing request` tells when a request is in flight.
    let mut s = Server::start_on(
        &dir.path().join("x.db"),
        &[],
        &[("RUST_LOG", "info,tower_http=debug")],
    );
    let c = client();
    let col = s.create_collection(&c, "shutdown", 2024);
    // An idle keep-alive connection (the client's pool) must not hold the exit up.
    assert_eq!(c.get(s.url("/healthz")).send().expect("GET").status(), 200);

    let body = fixture_bytes("zhongwei-2017.md");
    let half = body.len() / 2;
    // Slow requests: the head and half the body now, the rest after SIGTERM.
    let mut check = raw_request_head(
        s.addr,
        "POST",
        "/api/v1/check?name=slow.md",
        &[("Content-Type", "text/markdown")],
        body.len(),
    );
    check.write_all(&body[..half]).expect("send");
    let auth = format!("Bearer {}", col.upload);
    let mut upload = raw_request_head(
        s.addr,
        "POST",
        &col.path("/reports?name=slow-upload.md"),
        &[("Content-Type", "text/markdown"), ("Authorization", &auth)],
        body.len(),
    );
    upload.write_all(&body[..half]).expect("send");
    // Both requests are in the handlers (waiting for the rest of their bodies).
    let in_flight = |path: &str| {
        s.log_text()
            .lines()
            .any(|l| l.contains("started processing request") && l.contains(path))
    };
    let start = std::time::Instant::now();
    while !(in_flight("/api/v1/check") && in_flight(&col.path("/reports"))) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the requests never started: {}",
            s.log_text()
        );
        std::thread::sleep(Duration::from_millis(20));
    }

    s.sigterm();
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        s.try_exit().is_none(),
        "the server exited with requests in flight"
    );

    check.write_all(&body[half..]).expect("send the rest");
    upload.write_all(&body[half..]).expect("send the rest");
    let res = read_raw_response(&mut check);
    assert_eq!(res.status, 200, "{}", String::from_utf8_lossy(&res.body));
    let doc: Value = serde_json::from_slice(&res.body).expect("JSON");
    assert_eq!(doc["schema"], "nianbao.check/2");
    assert_eq!(doc["reports"][0]["path"], "slow.md");
    assert_eq!(doc["reports"][0]["issuer"], "中卫市");
    let res = read_raw_response(&mut upload);
    assert_eq!(res.status, 201, "{}", String::from_utf8_lossy(&res.body));

    let status = s.wait_exit(Duration::from_secs(60));
    assert_eq!(status.code(), Some(0), "exit status {status:?}");
    assert!(s.log_text().contains("shutting down"));

    // The upload that finished during the shutdown is stored.
    let again = Server::start_on(&s.db, &[], &[]);
    let list: Value = c
        .get(again.url(&col.path("/reports")))
        .bearer_auth(&col.admin)
        .send()
        .expect("GET")
        .json()
        .expect("JSON");
    assert_eq!(list["reports"][0]["name"], "slow-upload.md");
    assert_eq!(
        list["reports"][0]["sha256"],
        common::sha256_hex(&body),
        "stored byte for byte"
    );
}

#[test]
fn sigterm_when_idle_exits_0_at_once() {
    let mut s = Server::start();
    let c = client();
    assert_eq!(c.get(s.url("/healthz")).send().expect("GET").status(), 200);
    s.sigterm();
    let status = s.wait_exit(Duration::from_secs(30));
    assert_eq!(status.code(), Some(0), "exit status {status:?}");
}

#[test]
fn sigterm_with_a_request_that_never_finishes_exits_at_the_shutdown_deadline() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut s = Server::start_on(
        &dir.path().join("x.db"),
        &["--shutdown-timeout", "1", "--body-timeout", "0"],
        &[("RUST_LOG", "info,tower_http=debug")],
    );
    // A request whose body never arrives.
    let mut stalled = raw_request_head(
        s.addr,
        "POST",
        "/api/v1/check",
        &[("Content-Type", "text/markdown")],
        1000,
    );
    stalled.write_all(b"half").expect("send");
    common::wait_until("the request is in flight", Duration::from_secs(60), || {
        s.log_text()
            .lines()
            .any(|l| l.contains("started processing request"))
    });
    s.sigterm();
    let status = s.wait_exit(Duration::from_secs(60));
    assert_eq!(status.code(), Some(0), "exit status {status:?}");
    assert!(s.log_text().contains("shutdown deadline reached"));
}
