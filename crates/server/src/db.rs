//! Storage: SQLite (bundled) in WAL mode, schema migrations versioned in code.
//!
//! Report bytes are stored exactly as uploaded (BLOB) with their SHA-256;
//! findings are stored as the `nianbao.check/1` entry with the rule version.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension};

/// Migrations, in order; `PRAGMA user_version` records how many have run.
const MIGRATIONS: &[&str] = &[
    // 1: collections and their reports.
    "CREATE TABLE collections (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        year INTEGER NOT NULL,
        admin_token_hash BLOB NOT NULL,
        upload_token_hash BLOB NOT NULL,
        created_at TEXT NOT NULL DEFAULT (datetime('now'))
    );
    CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        bytes BLOB NOT NULL,
        sha256 TEXT NOT NULL,
        issuer TEXT,
        year INTEGER,
        format TEXT NOT NULL,
        errors INTEGER NOT NULL,
        warnings INTEGER NOT NULL,
        infos INTEGER NOT NULL,
        findings TEXT NOT NULL,
        rule_version TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (datetime('now'))
    );
    CREATE INDEX reports_by_collection ON reports(collection_id);",
];

/// The database.
pub struct Db {
    conn: Mutex<Connection>,
}

/// A collection's stored token hashes.
pub struct CollectionRow {
    /// SHA-256 of the admin token.
    pub admin_hash: Vec<u8>,
    /// SHA-256 of the upload token.
    pub upload_hash: Vec<u8>,
}

/// A stored report's summary.
#[derive(serde::Serialize)]
pub struct ReportSummary {
    /// Id.
    pub id: i64,
    /// Name given at upload.
    pub name: String,
    /// Issuer.
    pub issuer: Option<String>,
    /// Year.
    pub year: Option<i64>,
    /// Format.
    pub format: String,
    /// Counts by severity.
    pub summary: Counts,
    /// SHA-256 of the bytes.
    pub sha256: String,
}

/// Counts by severity.
#[derive(serde::Serialize)]
pub struct Counts {
    /// Errors.
    pub error: i64,
    /// Warnings.
    pub warning: i64,
    /// Infos.
    pub info: i64,
}

/// A stored report: name, bytes as uploaded, findings (JSON) and SHA-256.
pub struct StoredReport {
    /// Name given at upload.
    pub name: String,
    /// The bytes, unchanged.
    pub bytes: Vec<u8>,
    /// The findings entry (JSON).
    pub findings: String,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
}

/// A new report to store.
pub struct NewReport<'a> {
    /// Name given at upload.
    pub name: &'a str,
    /// The bytes as uploaded.
    pub bytes: &'a [u8],
    /// Their SHA-256, hex.
    pub sha256: &'a str,
    /// Issuer.
    pub issuer: Option<&'a str>,
    /// Year.
    pub year: Option<i64>,
    /// Format.
    pub format: &'a str,
    /// Counts.
    pub counts: (i64, i64, i64),
    /// The findings entry (JSON).
    pub findings: &'a str,
    /// Version of the rules that made them.
    pub rule_version: &'a str,
}

impl Db {
    /// Opens (or creates) the database and runs pending migrations.
    pub fn open(path: &Path) -> rusqlite::Result<Db> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (i, m) in MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
            let tx = conn.unchecked_transaction()?;
            tx.execute_batch(m)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        Ok(Db {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Creates a collection; returns its id.
    pub fn create_collection(
        &self,
        name: &str,
        year: i64,
        admin_hash: &[u8],
        upload_hash: &[u8],
    ) -> rusqlite::Result<i64> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO collections (name, year, admin_token_hash, upload_token_hash) VALUES (?1, ?2, ?3, ?4)",
            params![name, year, admin_hash, upload_hash],
        )?;
        Ok(conn.last_insert_rowid())
    }

    /// A collection by id.
    pub fn collection(&self, id: i64) -> rusqlite::Result<Option<CollectionRow>> {
        self.conn()
            .query_row(
                "SELECT admin_token_hash, upload_token_hash FROM collections WHERE id = ?1",
                params![id],
                |r| {
                    Ok(CollectionRow {
                        admin_hash: r.get(0)?,
                        upload_hash: r.get(1)?,
                    })
                },
            )
            .optional()
    }

    /// Stores a report; returns its id.
    pub fn insert_report(&self, collection: i64, r: &NewReport<'_>) -> rusqlite::Result<i64> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO reports (collection_id, name, bytes, sha256, issuer, year, format, errors, warnings, infos, findings, rule_version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![collection, r.name, r.bytes, r.sha256, r.issuer, r.year, r.format, r.counts.0, r.counts.1, r.counts.2, r.findings, r.rule_version],
        )?;
        Ok(conn.last_insert_rowid())
    }

    /// The reports of a collection.
    pub fn reports(&self, collection: i64) -> rusqlite::Result<Vec<ReportSummary>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, name, issuer, year, format, errors, warnings, infos, sha256 FROM reports WHERE collection_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![collection], |r| {
            Ok(ReportSummary {
                id: r.get(0)?,
                name: r.get(1)?,
                issuer: r.get(2)?,
                year: r.get(3)?,
                format: r.get(4)?,
                summary: Counts {
                    error: r.get(5)?,
                    warning: r.get(6)?,
                    info: r.get(7)?,
                },
                sha256: r.get(8)?,
            })
        })?;
        rows.collect()
    }

    /// A stored report's bytes and findings.
    pub fn report(&self, collection: i64, id: i64) -> rusqlite::Result<Option<StoredReport>> {
        self.conn()
            .query_row(
                "SELECT name, bytes, findings, sha256 FROM reports WHERE collection_id = ?1 AND id = ?2",
                params![collection, id],
                |r| Ok(StoredReport { name: r.get(0)?, bytes: r.get(1)?, findings: r.get(2)?, sha256: r.get(3)? }),
            )
            .optional()
    }

    /// The bytes of every report of a collection (for aggregation and export).
    pub fn report_bytes(&self, collection: i64) -> rusqlite::Result<Vec<(i64, String, Vec<u8>)>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT id, name, bytes FROM reports WHERE collection_id = ?1 ORDER BY id")?;
        let rows = stmt.query_map(params![collection], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
        rows.collect()
    }

    /// Deletes a report; true when it existed.
    pub fn delete_report(&self, collection: i64, id: i64) -> rusqlite::Result<bool> {
        Ok(self.conn().execute(
            "DELETE FROM reports WHERE collection_id = ?1 AND id = ?2",
            params![collection, id],
        )? > 0)
    }

    /// `PRAGMA integrity_check` result.
    pub fn integrity_check(&self) -> rusqlite::Result<String> {
        self.conn()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
    }
}
