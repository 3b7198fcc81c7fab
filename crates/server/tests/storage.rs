//! Storage under load and damage: the collection-wide routes read what each
//! report's check stored at upload (they do not check every report again; a
//! result of another checker version is computed again once), a database of the
//! first schema is brought along, several servers start on one new database at
//! once, and a full database answers 507 while reads go on.

mod common;

use std::path::Path;

use common::{client, fixture_bytes, log_events, sha256_hex, Client, Collection, Server};
use rusqlite::{params, Connection};
use serde_json::Value;

fn upload(
    c: &Client,
    s: &Server,
    col: &Collection,
    name: &str,
    body: Vec<u8>,
) -> reqwest::blocking::Response {
    c.post(s.url(&col.path("/reports")))
        .query(&[("name", name)])
        .bearer_auth(&col.upload)
        .header("Content-Type", "text/markdown")
        .body(body)
        .send()
        .expect("POST")
}

fn get_text(c: &Client, s: &Server, col: &Collection, rest: &str) -> String {
    let res = c
        .get(s.url(&col.path(rest)))
        .bearer_auth(&col.admin)
        .send()
        .expect("GET");
    assert_eq!(res.status(), 200, "{rest}");
    res.text().expect("body")
}

/// How many reports the server has checked again, from its log.
fn rechecked(s: &Server) -> u64 {
    log_events(
        s,
        "checked stored reports again: their results were of another checker version",
    )
    .iter()
    .filter_map(|e| e["fields"]["rechecked"].as_u64())
    .sum()
}

fn sql(db: &Path, statement: &str) {
    let conn = Connection::open(db).expect("open the database");
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .expect("busy timeout");
    conn.execute_batch(statement).expect("SQL");
}

#[test]
fn exports_and_aggregate_read_the_stored_results_and_recompute_only_another_versions() {
    let s = Server::start();
    let c = client();
    let col = s.create_collection(&c, "stored", 2024);
    for name in ["a.md", "b.md"] {
        assert_eq!(
            upload(&c, &s, &col, name, fixture_bytes("pingtan-2024.md")).status(),
            201
        );
    }
    let csv = get_text(&c, &s, &col, "/table.csv");
    let aggregate = get_text(&c, &s, &col, "/aggregate");
    assert!(csv.lines().count() > 10 && csv.contains("a.md") && csv.contains("b.md"));

    // The stored bytes are not what the routes read: replace them, and nothing changes.
    sql(
        &s.db,
        "UPDATE reports SET bytes = CAST('not a report' AS BLOB)",
    );
    assert_eq!(get_text(&c, &s, &col, "/table.csv"), csv);
    assert_eq!(get_text(&c, &s, &col, "/aggregate"), aggregate);
    let xlsx = c
        .get(s.url(&col.path("/table.xlsx")))
        .bearer_auth(&col.admin)
        .send()
        .expect("GET");
    assert_eq!(xlsx.status(), 200);
    assert_eq!(rechecked(&s), 0, "nothing was checked again");

    // A result of another checker version is computed again, once, and stored.
    sql(
        &s.db,
        "UPDATE reports SET rule_version = 'nianbao 0.0.1' WHERE name = 'b.md'",
    );
    let again = get_text(&c, &s, &col, "/table.csv");
    assert_eq!(rechecked(&s), 1);
    assert!(
        again.contains("a.md") && !again.contains("b.md"),
        "b.md was checked again: its bytes are not a report now"
    );
    assert_eq!(get_text(&c, &s, &col, "/table.csv"), again);
    assert_eq!(rechecked(&s), 1, "and only once");
    let list: Value = serde_json::from_str(&get_text(&c, &s, &col, "/reports")).expect("JSON");
    assert_eq!(
        list["reports"][1]["format"], "unknown",
        "its stored summary is the new check's: {list}"
    );
}

/// The first schema, as a server before snapshots were stored made it.
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
fn a_database_of_the_first_schema_is_migrated_and_its_reports_exported() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let old = dir.path().join("old.db");
    let admin = "a".repeat(64);
    let hash = |t: &str| hex::decode(sha256_hex(t.as_bytes())).expect("hex");
    let bytes = fixture_bytes("pingtan-2024.md");
    {
        let conn = Connection::open(&old).expect("create");
        conn.execute_batch(SCHEMA_1).expect("schema 1");
        conn.execute(
            "INSERT INTO collections (id, name, year, admin_token_hash, upload_token_hash) VALUES (1, 'old', 2024, ?1, ?2)",
            params![hash(&admin), hash(&"b".repeat(64))],
        )
        .expect("collection");
        for name in ["a.md", "b.md"] {
            conn.execute(
                "INSERT INTO reports (collection_id, name, bytes, sha256, format, errors, warnings, infos, findings, rule_version)
                 VALUES (1, ?1, ?2, ?3, 'national-2021', 0, 0, 0, '{}', '0.1.0')",
                params![name, bytes, sha256_hex(&bytes)],
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
    let migrated_csv = get_text(&c, &s, &col, "/table.csv");
    let migrated_aggregate = get_text(&c, &s, &col, "/aggregate");
    assert_eq!(rechecked(&s), 2, "the old reports were checked once");
    let version: i64 = Connection::open(&old)
        .expect("open")
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("user_version");
    assert_eq!(version, 3);

    // The same uploads on a new database give the same exports.
    let fresh = Server::start();
    let fresh_col = fresh.create_collection(&c, "new", 2024);
    for name in ["a.md", "b.md"] {
        assert_eq!(
            upload(&c, &fresh, &fresh_col, name, bytes.clone()).status(),
            201
        );
    }
    assert_eq!(get_text(&c, &fresh, &fresh_col, "/table.csv"), migrated_csv);
    assert_eq!(
        get_text(&c, &fresh, &fresh_col, "/aggregate"),
        migrated_aggregate
    );
    // The bytes came along unchanged.
    let raw = c
        .get(s.url(&col.path("/reports/1?raw=1")))
        .bearer_auth(&col.admin)
        .send()
        .expect("GET");
    assert_eq!(raw.bytes().expect("body").as_ref(), bytes.as_slice());
}

#[test]
fn servers_starting_together_on_a_new_database_all_come_up() {
    let dir = tempfile::tempdir().expect("temporary directory");
    for round in 0..3 {
        let db = dir.path().join(format!("shared-{round}.db"));
        let servers: Vec<Server> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..6)
                .map(|_| scope.spawn(|| Server::start_on(&db, &[], &[])))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("every server printed `listening on`"))
                .collect()
        });
        assert_eq!(servers.len(), 6);
        let c = client();
        // Each serves the same database.
        let col = servers[0].create_collection(&c, "shared", 2024);
        for s in &servers {
            let res = c
                .get(s.url(&col.path("/reports")))
                .bearer_auth(&col.admin)
                .send()
                .expect("GET");
            assert_eq!(res.status(), 200);
        }
    }
}

#[test]
fn a_full_database_is_507_and_reads_go_on() {
    let s = Server::start_with(&["--max-db-pages", "48", "--upload-burst", "0"]);
    let c = client();
    let col = s.create_collection(&c, "full", 2024);
    let mut stored = Vec::new();
    let mut full = None;
    for i in 0..40 {
        let mut body = fixture_bytes("pingtan-2024.md");
        body.extend_from_slice(format!("\n<!-- copy {i} -->\n").as_bytes());
        let res = upload(&c, &s, &col, &format!("r{i}.md"), body.clone());
        match res.status().as_u16() {
            201 => stored.push((
                res.json::<Value>().expect("JSON")["id"]
                    .as_i64()
                    .expect("id"),
                body,
            )),
            507 => {
                full = Some(res.json::<Value>().expect("JSON"));
                break;
            }
            other => panic!("unexpected status {other}"),
        }
    }
    let full = full.expect("the database filled up within 40 uploads");
    assert!(!stored.is_empty(), "some uploads fit first");
    assert_eq!(full["error"]["code"], "storage-full");
    assert!(full["error"]["message"]["zh"]
        .as_str()
        .is_some_and(|m| m.contains("存储空间已满")));
    assert!(full["error"]["message"]["en"]
        .as_str()
        .is_some_and(|m| m.contains("storage is full")));
    // Creating a collection needs room too.
    let res = c
        .post(s.url("/api/v1/collections"))
        .json(&serde_json::json!({"name": "x".repeat(200), "year": 2024}))
        .send()
        .expect("POST");
    assert!(matches!(res.status().as_u16(), 201 | 507));
    // Reads go on: the list, every stored report byte for byte, the exports, a check.
    let list: Value = serde_json::from_str(&get_text(&c, &s, &col, "/reports")).expect("JSON");
    assert_eq!(list["reports"].as_array().map(Vec::len), Some(stored.len()));
    for (rid, body) in &stored {
        let raw = c
            .get(s.url(&col.path(&format!("/reports/{rid}?raw=1"))))
            .bearer_auth(&col.admin)
            .send()
            .expect("GET");
        assert_eq!(raw.bytes().expect("body").as_ref(), body.as_slice());
    }
    assert!(get_text(&c, &s, &col, "/table.csv").contains("r0.md"));
    let res = c
        .post(s.url("/api/v1/check"))
        .body(fixture_bytes("pingtan-2024.md"))
        .send()
        .expect("POST");
    assert_eq!(res.status(), 200);
    // Deleting makes room again.
    let (first, _) = &stored[0];
    let res = c
        .delete(s.url(&col.path(&format!("/reports/{first}"))))
        .bearer_auth(&col.admin)
        .send()
        .expect("DELETE");
    assert_eq!(res.status(), 204);
}
