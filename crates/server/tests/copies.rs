//! Copied text across the reports of one collection (NB607), over a real socket:
//! a report and its copy under another body's name each name the other by its
//! address, the collection's setting turns the comparison off, the report page
//! names the closest report, reports stored before the prints were kept get
//! theirs from their stored bytes, the collection's findings export carries
//! NB607, and a collection of identical uploads costs
//! each upload the same bounded work (counted, not timed).

mod common;

use common::{client, fixture_bytes, sha256_hex, Client, Collection, Server};
use rusqlite::{params, Connection};
use serde_json::Value;

/// Pingtan's 2024 report as another body's: the issuer's name replaced everywhere.
fn under_another_name(name: &str) -> Vec<u8> {
    String::from_utf8(fixture_bytes("pingtan-2024.md"))
        .expect("UTF-8")
        .replace("平潭综合实验区", name)
        .into_bytes()
}

fn upload(c: &Client, s: &Server, col: &Collection, name: &str, body: Vec<u8>) -> Value {
    let res = c
        .post(s.url(&col.path("/reports")))
        .query(&[("name", name)])
        .bearer_auth(&col.upload)
        .header("Content-Type", "text/markdown")
        .body(body)
        .send()
        .expect("POST");
    assert_eq!(res.status(), 201);
    res.json().expect("JSON")
}

fn get_report(c: &Client, s: &Server, col: &Collection, rid: i64) -> Value {
    let res = c
        .get(s.url(&col.path(&format!("/reports/{rid}"))))
        .bearer_auth(&col.admin)
        .send()
        .expect("GET");
    assert_eq!(res.status(), 200);
    res.json().expect("JSON")
}

/// The NB607 findings of a findings entry.
fn nb607(entry: &Value) -> Vec<&Value> {
    entry["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "NB607")
        .collect()
}

/// The other reports a finding's related spans point into.
fn related_paths(d: &Value) -> Vec<&str> {
    d["related"]
        .as_array()
        .expect("related")
        .iter()
        .filter_map(|r| r["path"].as_str())
        .collect()
}

#[test]
fn a_copy_and_its_original_name_each_other_and_the_setting_turns_it_off() {
    let s = Server::start();
    let c = client();
    let col = s.create_collection(&c, "copies", 2024);
    let a = upload(&c, &s, &col, "pingtan.md", fixture_bytes("pingtan-2024.md"));
    let a_id = a["id"].as_i64().expect("id");
    // Alone in the collection: nothing to compare with.
    assert!(nb607(&a["report"]).is_empty());
    assert!(a["copies"]["closest"].is_null());
    // Another collection's report is never a candidate.
    let elsewhere = s.create_collection(&c, "elsewhere", 2024);
    upload(
        &c,
        &s,
        &elsewhere,
        "x.md",
        under_another_name("宁德市蕉城区"),
    );

    let b = upload(
        &c,
        &s,
        &col,
        "jiaocheng.md",
        under_another_name("宁德市蕉城区"),
    );
    let b_id = b["id"].as_i64().expect("id");
    assert_eq!(b["report"]["issuer"], "宁德市蕉城区");
    let a_url = format!("/api/v1/collections/{}/reports/{a_id}", col.id);
    let found = nb607(&b["report"]);
    assert_eq!(found.len(), 1, "{:#}", b["report"]);
    let d = found[0];
    assert_eq!(d["severity"], "warning");
    assert!(
        d["messages"]["zh"]
            .as_str()
            .expect("zh")
            .starts_with("与另一份报告重复 "),
        "{}",
        d["messages"]["zh"]
    );
    assert!(d["messages"]["zh"]
        .as_str()
        .expect("zh")
        .contains("（pingtan.md）"));
    let paths = related_paths(d);
    assert!(
        !paths.is_empty() && paths.iter().all(|p| *p == a_url),
        "{paths:?}"
    );
    // The passages: each in this report and in the other, located in both.
    assert!(d["related"]
        .as_array()
        .expect("related")
        .iter()
        .all(|r| r["span"]["line"].as_u64() > Some(0)));
    let closest = &b["copies"]["closest"];
    assert_eq!(closest["id"], a_id);
    assert_eq!(closest["url"], a_url.as_str());
    assert!(
        closest["percent"].as_u64().expect("percent") >= 90,
        "{closest}"
    );
    assert!(!closest["sections"].as_array().expect("sections").is_empty());
    // The summary counts it.
    let warnings = b["report"]["summary"]["warning"].as_i64().expect("count");
    let listed = b["report"]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "warning")
        .count();
    assert_eq!(warnings as usize, listed);

    // The original, read now, names the copy stored after it.
    let read = get_report(&c, &s, &col, a_id);
    let found = nb607(&read["findings"]);
    assert_eq!(found.len(), 1);
    let b_url = format!("/api/v1/collections/{}/reports/{b_id}", col.id);
    assert!(related_paths(found[0]).iter().all(|p| *p == b_url));
    assert!(found[0]["messages"]["en"]
        .as_str()
        .expect("en")
        .contains("(jiaocheng.md)"));

    // The report page names the closest report.
    let page = c
        .post(s.url(&format!("/collections/{}/reports/{a_id}", col.id)))
        .form(&[("token", col.admin.as_str())])
        .send()
        .expect("POST page")
        .text()
        .expect("page");
    assert!(
        page.contains("class=\"copies warning\""),
        "the note is shown"
    );
    assert!(page.contains("jiaocheng.md"));
    assert!(page.contains("NB607"));
    // Its passages in the other report are named there, not marked in this one.
    assert!(
        page.contains(&format!("{b_url} 第 ")),
        "the other report's lines"
    );

    // The collection's findings export carries both reports' NB607, made as they
    // are read (never stored), behind a byte-order mark for Excel.
    let csv = c
        .post(s.url(&format!("/collections/{}/download/findings.csv", col.id)))
        .form(&[("token", col.admin.as_str())])
        .send()
        .expect("POST download")
        .bytes()
        .expect("CSV");
    assert!(csv.starts_with("\u{feff}report,code,".as_bytes()));
    let csv = String::from_utf8(csv.to_vec()).expect("UTF-8");
    let copied: Vec<&str> = csv.lines().filter(|l| l.contains(",NB607,")).collect();
    assert_eq!(copied.len(), 2, "{csv}");
    assert!(copied[0].starts_with("pingtan.md,") && copied[0].contains("（jiaocheng.md）"));
    assert!(copied[1].starts_with("jiaocheng.md,") && copied[1].contains("（pingtan.md）"));

    // A threshold above the share: the closest report is still named, without a warning.
    let patch = |body: Value| {
        let res = c
            .patch(s.url(&col.path("")))
            .bearer_auth(&col.admin)
            .json(&body)
            .send()
            .expect("PATCH");
        let status = res.status();
        (status, res.json::<Value>().expect("JSON"))
    };
    let (status, _) = patch(serde_json::json!({"copy_threshold": 101}));
    assert_eq!(status, 422);
    let (status, set) = patch(serde_json::json!({"copy_threshold": 100}));
    assert_eq!(status, 200);
    assert_eq!(set["copy_threshold"], 100);
    let read = get_report(&c, &s, &col, b_id);
    let share = read["copies"]["closest"]["percent"]
        .as_u64()
        .expect("percent");
    assert_eq!(nb607(&read["findings"]).len(), usize::from(share == 100));
    assert_eq!(read["copies"]["closest"]["id"], a_id);
    // Off: no finding, no closest report, on reading and on upload.
    let (status, set) = patch(serde_json::json!({"copy_across": false}));
    assert_eq!(status, 200);
    assert_eq!(set["copy_across"], false);
    let read = get_report(&c, &s, &col, b_id);
    assert!(nb607(&read["findings"]).is_empty());
    assert_eq!(read["copies"]["copy_across"], false);
    assert!(read["copies"]["closest"].is_null());
    let again = upload(&c, &s, &col, "c.md", under_another_name("福州市"));
    assert!(nb607(&again["report"]).is_empty());
    // Only the admin token changes the settings.
    let res = c
        .patch(s.url(&col.path("")))
        .bearer_auth(&col.upload)
        .json(&serde_json::json!({"copy_across": true}))
        .send()
        .expect("PATCH");
    assert_eq!(res.status(), 404);
}

#[test]
fn a_collection_created_with_comparison_off_compares_nothing() {
    let s = Server::start();
    let c = client();
    let res = c
        .post(s.url("/api/v1/collections"))
        .json(&serde_json::json!({"name": "off", "year": 2024, "copy_across": false}))
        .send()
        .expect("POST");
    assert_eq!(res.status(), 201);
    let body: Value = res.json().expect("JSON");
    assert_eq!(body["copy_across"], false);
    let col = Collection {
        id: body["id"].as_i64().expect("id"),
        admin: body["admin_token"].as_str().expect("admin").to_string(),
        upload: body["upload_token"].as_str().expect("upload").to_string(),
    };
    upload(&c, &s, &col, "a.md", fixture_bytes("pingtan-2024.md"));
    let b = upload(&c, &s, &col, "b.md", under_another_name("宁德市蕉城区"));
    assert!(nb607(&b["report"]).is_empty());
    assert_eq!(b["copies"]["work"]["compared"], 0);
}

#[test]
fn identical_uploads_cost_each_the_same_bounded_work() {
    let s = Server::start();
    let c = client();
    let col = s.create_collection(&c, "many", 2024);
    let names = [
        "甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸", "子", "丑", "寅", "卯",
    ];
    let mut work = Vec::new();
    let mut first = 0;
    for (k, n) in names.iter().enumerate() {
        let body = under_another_name(&format!("{n}县"));
        let res = upload(&c, &s, &col, &format!("{k}.md"), body);
        if k == 0 {
            first = res["id"].as_i64().expect("id");
            continue;
        }
        // Each copy names the first (the most shared, then the lowest id).
        assert_eq!(res["copies"]["closest"]["id"], first, "upload {k}");
        assert_eq!(nb607(&res["report"]).len(), 1);
        let w = &res["copies"]["work"];
        work.push((
            w["postings"].as_u64().expect("postings"),
            w["compared"].as_u64().expect("compared"),
        ));
    }
    // At most two full comparisons each, and once the index's lists are full
    // (five reports) every upload reads the same number of entries: the work
    // of the 14th is that of the 5th, not three times it.
    assert!(work.iter().all(|&(_, compared)| compared <= 2), "{work:?}");
    let settled = work[4];
    assert!(settled.0 > 0);
    assert!(work[4..].iter().all(|&w| w == settled), "{work:?}");
    // Reading the first report costs the same, whatever the collection's size.
    let read = get_report(&c, &s, &col, first);
    assert_eq!(read["copies"]["work"]["postings"].as_u64(), Some(settled.0));
    assert!(read["copies"]["closest"]["id"].as_i64() > Some(first));
}

/// The first schema, as a server of the first release made it.
const SCHEMA_1: &str = "CREATE TABLE collections (
        id INTEGER PRIMARY KEY, name TEXT NOT NULL, year INTEGER NOT NULL,
        admin_token_hash BLOB NOT NULL, upload_token_hash BLOB NOT NULL,
        created_at TEXT NOT NULL DEFAULT (datetime('now')));
    CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
        name TEXT NOT NULL, bytes BLOB NOT NULL, sha256 TEXT NOT NULL, issuer TEXT, year INTEGER,
        format TEXT NOT NULL, errors INTEGER NOT NULL, warnings INTEGER NOT NULL, infos INTEGER NOT NULL,
        findings TEXT NOT NULL, rule_version TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (datetime('now')));
    CREATE INDEX reports_by_collection ON reports(collection_id);
    PRAGMA user_version = 1;";

#[test]
fn reports_stored_before_the_prints_get_theirs_from_their_bytes() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let old = dir.path().join("old.db");
    let admin = "a".repeat(64);
    let hash = |t: &str| hex::decode(sha256_hex(t.as_bytes())).expect("hex");
    {
        let conn = Connection::open(&old).expect("create");
        conn.execute_batch(SCHEMA_1).expect("schema 1");
        conn.execute(
            "INSERT INTO collections (id, name, year, admin_token_hash, upload_token_hash) VALUES (1, 'old', 2024, ?1, ?2)",
            params![hash(&admin), hash(&"b".repeat(64))],
        )
        .expect("collection");
        let findings =
            r#"{"path":"x","diagnostics":[],"summary":{"error":0,"warning":0,"info":0}}"#;
        for (name, bytes) in [
            ("pingtan.md", fixture_bytes("pingtan-2024.md")),
            ("jiaocheng.md", under_another_name("宁德市蕉城区")),
        ] {
            conn.execute(
                "INSERT INTO reports (collection_id, name, bytes, sha256, format, errors, warnings, infos, findings, rule_version)
                 VALUES (1, ?1, ?2, ?3, 'national-2021', 0, 0, 0, ?4, '0.1.0')",
                params![name, bytes, sha256_hex(&bytes), findings],
            )
            .expect("report");
        }
    }
    let s = Server::start_on(&old, &[], &[]);
    let col = Collection {
        id: 1,
        admin,
        upload: String::new(),
    };
    let c = client();
    let read = get_report(&c, &s, &col, 1);
    let found = nb607(&read["findings"]);
    assert_eq!(found.len(), 1, "{:#}", read["findings"]);
    assert!(related_paths(found[0])
        .iter()
        .all(|p| *p == "/api/v1/collections/1/reports/2"));
    let conn = Connection::open(&old).expect("open");
    let stored: i64 = conn
        .query_row(
            "SELECT count(*) FROM copy_prints WHERE length(print) > 0",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(stored, 2, "both prints were made and stored");
    let indexed: i64 = conn
        .query_row(
            "SELECT count(DISTINCT report_id) FROM copy_shingles",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(indexed, 2);
    let known: Option<String> = conn
        .query_row(
            "SELECT prints_version FROM collections WHERE id = 1",
            [],
            |r| r.get(0),
        )
        .expect("version");
    assert!(
        known.is_some(),
        "the collection's prints are known to be current"
    );
}

#[test]
fn a_deleted_report_is_no_longer_named() {
    let s = Server::start();
    let c = client();
    let col = s.create_collection(&c, "deleted", 2024);
    let a = upload(&c, &s, &col, "a.md", fixture_bytes("pingtan-2024.md"));
    let b = upload(&c, &s, &col, "b.md", under_another_name("宁德市蕉城区"));
    let (a_id, b_id) = (a["id"].as_i64().expect("id"), b["id"].as_i64().expect("id"));
    assert_eq!(b["copies"]["closest"]["id"], a_id);
    let res = c
        .delete(s.url(&col.path(&format!("/reports/{a_id}"))))
        .bearer_auth(&col.admin)
        .send()
        .expect("DELETE");
    assert_eq!(res.status(), 204);
    let read = get_report(&c, &s, &col, b_id);
    assert!(read["copies"]["closest"].is_null(), "{}", read["copies"]);
    assert!(nb607(&read["findings"]).is_empty());
    let conn = Connection::open(&s.db).expect("open");
    let left: i64 = conn
        .query_row(
            "SELECT count(*) FROM copy_shingles WHERE report_id = ?1",
            params![a_id],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(left, 0, "its index entries went with it");
}
