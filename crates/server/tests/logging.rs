//! No report text is ever logged: requests on every route whose bodies carry a
//! unique marker, successful and failing, and the marker is nowhere in the
//! server's stderr log, at the default level and at the most verbose one; neither is
//! a collection's token.

mod common;

use common::{client, fixture_bytes, Server};
use reqwest::blocking::multipart;

/// Every route, once or more; returns the collection's tokens.
fn exercise(s: &Server, marker: &str) -> [String; 2] {
    let c = client();
    let mut report = fixture_bytes("zhongwei-2017.md");
    report.extend_from_slice(format!("\n\n本机关 {marker} 未收到申请。\n").as_bytes());
    let text = format!("{marker}\n").into_bytes();

    let check = |ct: &str, body: Vec<u8>| {
        c.post(s.url("/api/v1/check"))
            .header("Content-Type", ct)
            .body(body)
            .send()
            .expect("POST")
            .status()
            .as_u16()
    };
    assert_eq!(check("text/markdown", report.clone()), 200);
    assert_eq!(check("text/plain", text.clone()), 200);
    assert_eq!(check("application/json", text.clone()), 415);
    assert_eq!(check("multipart/form-data; boundary=b", text.clone()), 422);
    // The file name is not report text either, but no reason to log it.
    let res = c
        .post(s.url("/api/v1/check"))
        .query(&[("name", format!("{marker}.md"))])
        .header("Content-Type", "text/markdown")
        .body(report.clone())
        .send()
        .expect("POST");
    assert_eq!(res.status(), 200);
    let form = multipart::Form::new().part(
        "file",
        multipart::Part::bytes(report.clone()).file_name(format!("{marker}.md")),
    );
    let res = c
        .post(s.url("/api/v1/check"))
        .multipart(form)
        .send()
        .expect("POST");
    assert_eq!(res.status(), 200);

    // A collection name is not report text, but a malformed body is the client's bytes.
    let res = c
        .post(s.url("/api/v1/collections"))
        .header("Content-Type", "application/json")
        .body(format!("{{\"name\": \"{marker}\", \"year\": \"nope\"}}"))
        .send()
        .expect("POST");
    assert_eq!(res.status(), 422);

    let col = s.create_collection(&c, marker, 2024);
    let uploads = s.url(&col.path("/reports"));
    let res = c
        .post(&uploads)
        .bearer_auth(&col.upload)
        .header("Content-Type", "text/markdown")
        .body(report.clone())
        .send()
        .expect("POST");
    assert_eq!(res.status(), 201);
    let rid = res.json::<serde_json::Value>().expect("JSON")["id"]
        .as_i64()
        .expect("id");
    // Refused uploads: no token, another's token.
    let res = c
        .post(&uploads)
        .header("Content-Type", "text/markdown")
        .body(report.clone())
        .send()
        .expect("POST");
    assert_eq!(res.status(), 401);
    let res = c
        .post(&uploads)
        .bearer_auth("0".repeat(64))
        .header("Content-Type", "text/markdown")
        .body(report.clone())
        .send()
        .expect("POST");
    assert_eq!(res.status(), 404);
    // Reading it back, exporting it, merging it.
    for path in [
        col.path(&format!("/reports/{rid}")),
        col.path(&format!("/reports/{rid}?raw=1")),
        col.path("/reports"),
        col.path("/table.csv"),
        col.path("/table.xlsx"),
        col.path("/aggregate"),
    ] {
        let res = c
            .get(s.url(&path))
            .bearer_auth(&col.admin)
            .send()
            .expect("GET");
        assert!(res.status() == 200 || res.status() == 422, "{path}");
    }
    let res = c
        .delete(s.url(&col.path(&format!("/reports/{rid}"))))
        .bearer_auth(&col.admin)
        .send()
        .expect("DELETE");
    assert_eq!(res.status(), 204);
    [col.admin, col.upload]
}

fn run(env: &[(&str, &str)]) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut s = Server::start_on(&dir.path().join("x.db"), &["--max-body", "2048"], env);
    let marker = format!(
        "NBMARK{}x{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    );
    // Every route on a server with the default limit; the 413 on one with a tiny limit.
    let s2 = Server::start_on(&dir.path().join("y.db"), &[], env);
    let tokens = exercise(&s2, &marker);
    let c = client();
    let res = c
        .post(s.url("/api/v1/check"))
        .header("Content-Type", "text/plain")
        .body(format!("{marker}\n").repeat(1000))
        .send()
        .expect("POST");
    assert_eq!(res.status(), 413);
    s.sigterm();
    s.wait_exit(std::time::Duration::from_secs(30));
    for server in [&s, &s2] {
        let log = server.log_text();
        assert!(log.contains("listening"), "the log was captured: {log}");
        for token in &tokens {
            assert!(
                !log.contains(token.as_str()),
                "a token in the log ({env:?})"
            );
        }
        assert!(
            !log.contains(&marker),
            "report text in the log ({env:?}):\n{}",
            log.lines()
                .filter(|l| l.contains(&marker))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

#[test]
fn report_text_is_never_logged() {
    run(&[]);
}

#[test]
fn report_text_is_never_logged_even_at_trace_level() {
    run(&[("RUST_LOG", "trace")]);
}
