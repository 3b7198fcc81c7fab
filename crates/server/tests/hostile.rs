//! The server under hostile clients, over real sockets on 127.0.0.1, with every
//! limit scaled down through its flag so that each test takes seconds: slow and
//! idle connections are closed, the connection cap answers 503, bodies too large
//! or unauthorized are refused before they are read, the worker limit holds when
//! clients hang up, checks stop at their time limit, a bug in a check is a 500
//! and the server serves on, per-address limits, and the security headers.
//! Every assertion is about what happened (statuses, counts), never how long it took.

mod common;

use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

use common::{
    client, closed_by_server, fixture_bytes, log_events, raw_request_head, read_one_response,
    sha256_hex, wait_until, Client, Server,
};
use serde_json::Value;

/// Long enough for anything the server should do; a test that waits this long has failed.
const PATIENCE: Duration = Duration::from_secs(30);

fn connect(s: &Server) -> TcpStream {
    let stream = TcpStream::connect(s.addr).expect("connect");
    stream
        .set_read_timeout(Some(PATIENCE))
        .expect("read timeout");
    stream
}

fn error_code(body: &[u8]) -> String {
    let v: Value = serde_json::from_slice(body)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(body)));
    for lang in ["zh", "en"] {
        assert!(
            !v["error"]["message"][lang]
                .as_str()
                .unwrap_or_default()
                .is_empty(),
            "a message in {lang}: {v}"
        );
    }
    v["error"]["code"]
        .as_str()
        .expect("an error code")
        .to_string()
}

#[test]
fn slowloris_heads_idle_sockets_and_kept_alive_connections_are_closed() {
    let s = Server::start_with(&[
        "--header-timeout",
        "0.5",
        "--idle-timeout",
        "0.5",
        "--max-connections",
        "0",
    ]);
    // 50 clients sending a request head one header line at a time, never finishing it.
    let mut slow: Vec<Option<TcpStream>> = (0..50)
        .map(|_| {
            let mut c = connect(&s);
            c.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                .expect("start a head");
            Some(c)
        })
        .collect();
    // 50 sockets that never send a byte.
    let mut idle: Vec<TcpStream> = (0..50).map(|_| connect(&s)).collect();
    // One kept-alive connection after a request.
    let mut kept = connect(&s);
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("send");
    let res = read_one_response(&mut kept);
    assert_eq!((res.status, res.body.as_slice()), (200, b"ok".as_slice()));

    // A header line every 100 ms to each slow client (at most 300 rounds) until the server cut them all.
    let mut cut = 0;
    for _ in 0..300 {
        for c in slow.iter_mut() {
            if let Some(stream) = c {
                if stream.write_all(b"X-Slow: 1\r\n").is_err() {
                    *c = None;
                    cut += 1;
                }
            }
        }
        if cut == slow.len() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        cut, 50,
        "every slowloris connection is closed by the server"
    );
    let closed_idle = idle
        .iter_mut()
        .map(|c| closed_by_server(c, PATIENCE))
        .filter(|closed| *closed)
        .count();
    assert_eq!(closed_idle, 50, "every idle socket is closed");
    assert!(
        closed_by_server(&mut kept, PATIENCE),
        "an idle kept-alive connection is closed"
    );
    // And the server serves on.
    let res = client().get(s.url("/healthz")).send().expect("GET");
    assert_eq!(res.status(), 200);
}

#[test]
fn a_body_not_sent_in_time_is_408() {
    let s = Server::start_with(&["--body-timeout", "0.5"]);
    for (path, ct) in [
        ("/api/v1/check", "text/plain"),
        ("/api/v1/collections", "application/json"),
    ] {
        let mut c = raw_request_head(s.addr, "POST", path, &[("Content-Type", ct)], 1000);
        c.write_all(b"{\"name\": ").expect("a few bytes");
        let res = read_one_response(&mut c);
        assert_eq!(res.status, 408, "{path}");
        assert_eq!(error_code(&res.body), "body-timeout");
        assert!(
            closed_by_server(&mut c, PATIENCE),
            "{path}: closed after the 408"
        );
    }
}

#[test]
fn past_the_connection_cap_new_connections_get_503_and_the_server_recovers() {
    let s = Server::start_with(&[
        "--max-connections",
        "4",
        "--idle-timeout",
        "0",
        "--header-timeout",
        "0",
    ]);
    let healthz = |c: &mut TcpStream| {
        c.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .expect("send");
        read_one_response(c).status
    };
    let mut held: Vec<TcpStream> = (0..4).map(|_| connect(&s)).collect();
    for c in held.iter_mut() {
        assert_eq!(healthz(c), 200);
    }
    // Over the cap: answered 503 at once and closed, however many come.
    for _ in 0..20 {
        let mut c = connect(&s);
        let res = read_one_response(&mut c);
        assert_eq!(res.status, 503);
        assert_eq!(error_code(&res.body), "too-many-connections");
        assert_eq!(res.header("retry-after"), Some("1"));
        assert!(closed_by_server(&mut c, PATIENCE));
    }
    // The held connections still work; once two are closed, new clients are served again.
    for c in held.iter_mut() {
        assert_eq!(healthz(c), 200);
    }
    held.truncate(2);
    let mut served = false;
    for _ in 0..200 {
        let mut c = connect(&s);
        c.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .expect("send");
        if read_one_response(&mut c).status == 200 {
            served = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(served, "a freed slot serves a new connection");
    assert!(
        !log_events(&s, "connection refused: too many connections").is_empty(),
        "refusals are logged"
    );
}

#[test]
fn too_large_and_unauthorized_bodies_are_refused_before_they_are_sent() {
    let s = Server::start();
    let c = client();
    let col = s.create_collection(&c, "early", 2024);
    let big = 19 * 1024 * 1024;
    // Only the heads are sent: the answers come without a byte of body.
    let mut stream = raw_request_head(
        s.addr,
        "POST",
        "/api/v1/check",
        &[("Content-Type", "text/plain")],
        21 * 1024 * 1024,
    );
    let res = read_one_response(&mut stream);
    assert_eq!(res.status, 413);
    assert_eq!(error_code(&res.body), "body-too-large");
    let mut stream = raw_request_head(
        s.addr,
        "POST",
        &col.path("/reports"),
        &[("Content-Type", "text/plain")],
        big,
    );
    let res = read_one_response(&mut stream);
    assert_eq!(res.status, 401);
    assert_eq!(error_code(&res.body), "unauthorized");
    let wrong = format!("Bearer {}", "0".repeat(64));
    let mut stream = raw_request_head(
        s.addr,
        "POST",
        &col.path("/reports"),
        &[("Content-Type", "text/plain"), ("Authorization", &wrong)],
        big,
    );
    let res = read_one_response(&mut stream);
    assert_eq!(res.status, 404);
    // A client that sends its whole body all the same reads the answer, not a reset.
    for _ in 0..3 {
        let res = c
            .post(s.url(&col.path("/reports")))
            .header("Content-Type", "text/plain")
            .body(vec![b'x'; 4 * 1024 * 1024])
            .send()
            .expect("the 401 arrives");
        assert_eq!(res.status(), 401);
    }
    let list: Value = c
        .get(s.url(&col.path("/reports")))
        .bearer_auth(&col.admin)
        .send()
        .expect("GET")
        .json()
        .expect("JSON");
    assert_eq!(list["reports"].as_array().map(Vec::len), Some(0));
}

/// The `running` gauge of every `check started` debug line.
fn running(s: &Server) -> Vec<u64> {
    log_events(s, "check started")
        .iter()
        .filter_map(|e| e["fields"]["running"].as_u64())
        .collect()
}

#[test]
fn check_workers_bound_the_checks_even_when_clients_hang_up() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let s = Server::start_on(
        &dir.path().join("x.db"),
        &[
            "--check-workers",
            "2",
            "--check-time-limit",
            "0",
            "--check-burst",
            "0",
        ],
        &[("RUST_LOG", "info,nianbao_server=debug")],
    );
    // A report whose check takes a while (about a second in a debug build).
    let body = fixture_bytes("zhongwei-2017.md").repeat(8);
    // Each client sends its report, waits until its check has started, and hangs up.
    for i in 0..6 {
        let mut stream = raw_request_head(
            s.addr,
            "POST",
            "/api/v1/check",
            &[("Content-Type", "text/markdown")],
            body.len(),
        );
        stream.write_all(&body).expect("send the report");
        wait_until("the check starts", Duration::from_secs(120), || {
            running(&s).len() > i
        });
        drop(stream);
    }
    wait_until("every check ends", Duration::from_secs(120), || {
        log_events(&s, "check finished").len() == 6
    });
    let gauge = running(&s);
    assert_eq!(gauge.len(), 6, "every check ran: {gauge:?}");
    assert!(
        gauge.iter().all(|&n| n <= 2),
        "never more than 2 checks at once: {gauge:?}"
    );
}

#[test]
fn a_check_over_its_time_limit_is_422_and_an_upload_is_stored_with_one_finding() {
    // A microsecond: no check of a real report finishes within it, however fast the machine.
    let s = Server::start_with(&["--check-time-limit", "0.000001", "--check-burst", "0"]);
    let c = client();
    let body = fixture_bytes("zhongwei-2017.md");
    let res = c
        .post(s.url("/api/v1/check"))
        .header("Content-Type", "text/markdown")
        .body(body.clone())
        .send()
        .expect("POST");
    assert_eq!(res.status(), 422);
    let err: Value = res.json().expect("JSON");
    assert_eq!(err["error"]["code"], "check-time-limit");
    for lang in ["zh", "en"] {
        let msg = err["error"]["message"][lang].as_str().expect("message");
        assert!(msg.contains("0.000001"), "the limit is named: {msg}");
        assert!(msg.contains("--check-time-limit"), "{msg}");
    }
    // An upload over the limit is stored byte for byte, with the finding that says so.
    let col = s.create_collection(&c, "time limit", 2024);
    let stored = upload_exact(&s, &c, &col, "/reports?name=long.md", &body);
    let codes: Vec<&str> = stored["report"]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(
        codes.iter().filter(|c| **c == "NB008").count(),
        1,
        "one NB008 finding among {} findings",
        codes.len()
    );
    let rid = stored["id"].as_i64().expect("id");
    let raw = c
        .get(s.url(&col.path(&format!("/reports/{rid}?raw=1"))))
        .bearer_auth(&col.admin)
        .send()
        .expect("GET");
    assert_eq!(raw.bytes().expect("body").as_ref(), body.as_slice());
}

#[test]
fn a_panic_in_a_check_is_a_500_without_report_text_and_the_server_serves_on() {
    let marker = format!("NBPANIC{}", std::process::id());
    let dir = tempfile::tempdir().expect("temporary directory");
    let s = Server::start_on(
        &dir.path().join("x.db"),
        &[],
        &[("NIANBAO_SERVER_TEST_PANIC", &marker)],
    );
    let c = client();
    let mut body = fixture_bytes("pingtan-2024.md");
    body.extend_from_slice(format!("\n{marker} 机密文字\n").as_bytes());
    let res = c
        .post(s.url("/api/v1/check"))
        .header("Content-Type", "text/markdown")
        .body(body.clone())
        .send()
        .expect("POST");
    assert_eq!(res.status(), 500);
    let text = res.text().expect("body");
    assert_eq!(error_code(text.as_bytes()), "internal-error");
    assert!(!text.contains(&marker), "no report text in the answer");
    // The server serves on, checks included.
    let res = c
        .post(s.url("/api/v1/check"))
        .header("Content-Type", "text/markdown")
        .body(fixture_bytes("pingtan-2024.md"))
        .send()
        .expect("POST");
    assert_eq!(res.status(), 200);
    // An upload that meets the bug is stored byte for byte with a finding saying so.
    let col = s.create_collection(&c, "panic", 2024);
    let stored = upload_exact(&s, &c, &col, "/reports", &body);
    let diags = stored["report"]["diagnostics"]
        .as_array()
        .expect("diagnostics");
    assert!(diags.iter().any(|d| d["code"] == "NB009"), "{diags:?}");
    assert!(!stored.to_string().contains(&marker));
    let log = s.log_text();
    assert!(
        log.contains("internal error at"),
        "the panic's place is logged"
    );
    assert!(!log.contains(&marker), "no report text in the log");
}

#[test]
fn names_are_bounded_and_creation_and_checks_are_rate_limited_per_address() {
    let s = Server::start_with(&[
        "--max-name",
        "10",
        "--collection-burst",
        "3",
        "--collection-per-minute",
        "1",
        "--check-burst",
        "2",
        "--check-per-minute",
        "1",
    ]);
    let c = client();
    let create = |name: &str| {
        c.post(s.url("/api/v1/collections"))
            .json(&serde_json::json!({"name": name, "year": 2024}))
            .send()
            .expect("POST")
    };
    let res = create(&"名".repeat(11));
    assert_eq!(res.status(), 422);
    assert_eq!(error_code(&res.bytes().expect("body")), "name-too-long");
    let statuses: Vec<u16> = (0..6)
        .map(|_| create(&"名".repeat(10)).status().as_u16())
        .collect();
    // The refused name took a token from the bucket too: 2 more are created, then 429.
    assert_eq!(statuses, [201, 201, 429, 429, 429, 429]);
    let res = create("x");
    assert!(res.headers().contains_key("retry-after"));
    assert_eq!(error_code(&res.bytes().expect("body")), "too-many-requests");
    // The web page's form shares the bucket, and is answered with a page in both
    // languages (not the API's JSON), with the same Retry-After.
    let res = c
        .post(s.url("/collections/new"))
        .form(&[("name", "x"), ("year", "2024")])
        .send()
        .expect("POST page");
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
    let kind = res.headers()["content-type"]
        .to_str()
        .expect("ASCII")
        .to_string();
    assert!(kind.starts_with("text/html"), "{kind}");
    let page = res.text().expect("page");
    assert!(page.contains("来自此地址的汇总集合创建过于频繁"), "{page}");
    assert!(
        page.contains("too many collections created from this address"),
        "{page}"
    );

    let check = |forwarded: Option<&str>| {
        let mut req = c
            .post(s.url("/api/v1/check"))
            .header("Content-Type", "text/plain")
            .body("年度报告");
        if let Some(f) = forwarded {
            req = req.header("X-Forwarded-For", f);
        }
        req.send().expect("POST").status().as_u16()
    };
    assert_eq!(
        (0..4).map(|_| check(None)).collect::<Vec<_>>(),
        [200, 200, 429, 429]
    );
    // Without --trust-forwarded-for the header changes nothing.
    assert_eq!(check(Some("203.0.113.7")), 429);
}

#[test]
fn behind_a_trusted_proxy_each_forwarded_address_has_its_own_bucket() {
    let s = Server::start_with(&[
        "--trust-forwarded-for",
        "--check-burst",
        "2",
        "--check-per-minute",
        "1",
    ]);
    let c = client();
    let check = |forwarded: &str| {
        c.post(s.url("/api/v1/check"))
            .header("Content-Type", "text/plain")
            .header("X-Forwarded-For", forwarded)
            .body("年度报告")
            .send()
            .expect("POST")
            .status()
            .as_u16()
    };
    // The proxy appends the address it saw: the last one counts, not what the client wrote first.
    let a = "198.51.100.1, 203.0.113.1";
    let b = "198.51.100.1, 203.0.113.2";
    assert_eq!([check(a), check(a), check(a)], [200, 200, 429]);
    assert_eq!([check(b), check(b), check(b)], [200, 200, 429]);
}

fn assert_secured(res: &reqwest::blocking::Response, what: &str) {
    let h = res.headers();
    let csp = h
        .get("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no CSP"))
        .to_str()
        .expect("ascii");
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert!(csp.contains("script-src 'self'"), "{what}: {csp}");
    assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
    assert_eq!(h["referrer-policy"], "no-referrer", "{what}");
}

#[test]
fn security_headers_on_every_answer_and_no_store_where_tokens_are() {
    let s = Server::start();
    let c = client();
    let col = s.create_collection(&c, "headers", 2024);
    let get = |path: &str| c.get(s.url(path)).send().expect("GET");
    for path in [
        "/",
        "/rules",
        "/collections/1",
        "/static/nianbao.css",
        "/static/nianbao.js",
        "/healthz",
        "/api/v1/rules",
        "/api/v1/openapi.json",
        "/no/such/page",
        "/static/nope.js",
    ] {
        assert_secured(&get(path), path);
    }
    assert_secured(
        &c.delete(s.url("/api/v1/rules")).send().expect("DELETE"),
        "405",
    );
    // The pages have no inline script or style: everything is in the files.
    for path in ["/", "/rules", "/collections/1"] {
        let page = get(path).text().expect("page");
        assert_eq!(
            page.matches("<script").count(),
            page.matches("<script src=\"/static/").count(),
            "{path}: every script is a file"
        );
        assert!(
            !page.contains("<style") && !page.contains("style="),
            "{path}"
        );
    }
    assert!(get("/static/nianbao.js").headers()["content-type"]
        .to_str()
        .expect("ascii")
        .starts_with("text/javascript"));
    // Answers with tokens or reports are never cached.
    let res = c
        .post(s.url("/api/v1/collections"))
        .json(&serde_json::json!({"name": "n", "year": 2024}))
        .send()
        .expect("POST");
    assert_eq!(res.status(), 201);
    assert_secured(&res, "201");
    assert_eq!(res.headers()["cache-control"], "no-store");
    let res = c
        .get(s.url(&col.path("/reports")))
        .bearer_auth(&col.admin)
        .send()
        .expect("GET");
    assert_eq!(res.headers()["cache-control"], "no-store");
    let res = c
        .post(s.url("/api/v1/check"))
        .body("x")
        .send()
        .expect("POST");
    assert_eq!(res.headers()["cache-control"], "no-store");
    // The Bearer scheme in any case.
    for scheme in ["bearer", "BEARER", "Bearer"] {
        let res = c
            .get(s.url(&col.path("/reports")))
            .header("Authorization", format!("{scheme} {}", col.admin))
            .send()
            .expect("GET");
        assert_eq!(res.status(), 200, "{scheme}");
    }
}

#[test]
fn only_allowed_hosts_are_answered() {
    let s = Server::start_with(&[
        "--allowed-host",
        "nianbao.example",
        "--allowed-host",
        "localhost",
    ]);
    let ask = |host: &str| {
        let mut c = connect(&s);
        c.write_all(format!("GET /healthz HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes())
            .expect("send");
        read_one_response(&mut c)
    };
    assert_eq!(ask("nianbao.example").status, 200);
    assert_eq!(ask("NIANBAO.example:8080").status, 200);
    assert_eq!(ask(&format!("localhost:{}", s.addr.port())).status, 200);
    let res = ask("evil.example");
    assert_eq!(res.status, 400);
    assert_eq!(error_code(&res.body), "host-not-allowed");
    assert_eq!(ask(&s.addr.to_string()).status, 400);
}

#[test]
fn one_log_line_per_request_with_the_route_and_never_a_token() {
    let s = Server::start();
    let c: Client = client();
    let col = s.create_collection(&c, "log", 2024);
    let res = c
        .post(s.url(&col.path("/reports?name=secret-name.md")))
        .bearer_auth(&col.upload)
        .header("Content-Type", "text/markdown")
        .body(fixture_bytes("pingtan-2024.md"))
        .send()
        .expect("POST");
    assert_eq!(res.status(), 201);
    let res = c.get(s.url("/no/such/page")).send().expect("GET");
    assert_eq!(res.status(), 404);
    let lines = log_events(&s, "request");
    let seen: Vec<(String, String, u64)> = lines
        .iter()
        .map(|l| {
            (
                l["fields"]["method"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                l["fields"]["route"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                l["fields"]["status"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("POST".into(), "/api/v1/collections".into(), 201),
            (
                "POST".into(),
                "/api/v1/collections/{id}/reports".into(),
                201
            ),
            ("GET".into(), "-".into(), 404),
        ]
    );
    assert!(lines.iter().all(|l| l["fields"]["latency_ms"].is_number()));
    let log = s.log_text();
    for secret in [&col.admin, &col.upload, &"secret-name".to_string()] {
        assert!(!log.contains(secret.as_str()), "{secret} is in the log");
    }
}

/// Uploads `body` to the collection (`route` under it) and returns the stored
/// report, asserting that it was stored (201) byte for byte.
fn upload_exact(
    s: &Server,
    c: &Client,
    col: &common::Collection,
    route: &str,
    body: &[u8],
) -> Value {
    let res = c
        .post(s.url(&col.path(route)))
        .bearer_auth(&col.upload)
        .header("Content-Type", "text/markdown")
        .body(body.to_vec())
        .send()
        .expect("POST");
    assert_eq!(res.status(), 201);
    let stored: Value = res.json().expect("JSON");
    assert_eq!(stored["sha256"], sha256_hex(body));
    stored
}
