//! Storage: SQLite (bundled) in WAL mode, schema migrations versioned in code.
//!
//! Report bytes are stored exactly as uploaded (BLOB) with their SHA-256. What
//! the report's check produced is stored beside them with the checker's version:
//! the `nianbao.check/2` entry (findings) and the tables snapshot that the
//! collection-wide routes read ([`nianbao_model::snapshot::TablesSnapshot`], JSON).
//!
//! Several servers may open one new database at once: the busy timeout is set
//! before anything else, an open that SQLite refuses at once to avoid a
//! deadlock starts over, and the migrations run in one immediate transaction
//! that reads the schema version again once it holds the write lock.

use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rusqlite::{params, Connection, ErrorCode, OptionalExtension, TransactionBehavior};

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
    // 2: the tables snapshot of each report's check, read by aggregate and the
    // exports. Reports stored before it have none (NULL): they are checked again,
    // once, when a collection-wide route first needs them.
    "ALTER TABLE reports ADD COLUMN tables TEXT;",
    // 3: copied text across the reports of a collection. Each report's text
    // print (`nianbao_model::copies::TextPrint`, stored form) with the version
    // that made it and what the comparison reads beside it (a table of its own,
    // so that nothing reads through the report's bytes), and an index of a
    // sample of its shingles, so that a report finds its candidates without
    // reading every other report. Reports stored before it have none: their
    // print is made from the stored bytes when a comparison first needs it
    // (`prints_version`: the version all of a collection's prints are known to
    // be of). The collection's settings: comparison on or off, and the share at
    // which it is a warning.
    "ALTER TABLE collections ADD COLUMN copy_across INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE collections ADD COLUMN copy_threshold INTEGER NOT NULL DEFAULT 50;
    ALTER TABLE collections ADD COLUMN prints_version TEXT;
    CREATE TABLE copy_prints (
        report_id INTEGER PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
        collection_id INTEGER NOT NULL,
        version TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        issuer TEXT,
        year INTEGER,
        print BLOB NOT NULL
    );
    CREATE TABLE copy_shingles (
        collection_id INTEGER NOT NULL,
        hash INTEGER NOT NULL,
        report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        PRIMARY KEY (collection_id, hash, report_id)
    ) WITHOUT ROWID;
    CREATE INDEX copy_shingles_by_report ON copy_shingles(report_id);",
];

/// A database error, with a full disk told apart (answered 507).
#[derive(Debug)]
pub enum DbError {
    /// The disk, or the database's size limit (`--max-db-pages`), is full.
    Full,
    /// Anything else.
    Other(rusqlite::Error),
}

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> Self {
        if e.sqlite_error_code() == Some(ErrorCode::DiskFull) {
            DbError::Full
        } else {
            DbError::Other(e)
        }
    }
}

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbError::Full => f.write_str("database or disk is full"),
            DbError::Other(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for DbError {}

/// Database results.
pub type DbResult<T> = Result<T, DbError>;

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

/// What a collection-wide route reads of one stored report.
pub struct StoredTables {
    /// Id.
    pub id: i64,
    /// Name given at upload.
    pub name: String,
    /// The checker version that made `tables`.
    pub version: String,
    /// The tables snapshot (JSON), when one is stored.
    pub tables: Option<String>,
}

/// A collection's copied-text settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CopySettings {
    /// Whether its reports are compared with each other.
    pub copy_across: bool,
    /// The share, in percent, at or above which a copy is a warning.
    pub copy_threshold: u8,
}

/// What a comparison reads of a stored report besides its print.
pub struct PrintRow {
    /// Id.
    pub id: i64,
    /// Name given at upload.
    pub name: String,
    /// Issuer.
    pub issuer: Option<String>,
    /// Year.
    pub year: Option<i64>,
    /// SHA-256 of the bytes.
    pub sha256: String,
    /// The stored print.
    pub print: Vec<u8>,
}

/// What a report's check produced, as stored.
pub struct CheckRecord<'a> {
    /// Issuer.
    pub issuer: Option<&'a str>,
    /// Year.
    pub year: Option<i64>,
    /// Format.
    pub format: &'a str,
    /// Counts (errors, warnings, infos).
    pub counts: (i64, i64, i64),
    /// The findings entry (JSON).
    pub findings: &'a str,
    /// The tables snapshot (JSON).
    pub tables: &'a str,
    /// Version of the checker that made them.
    pub version: &'a str,
}

/// A new report to store.
pub struct NewReport<'a> {
    /// Name given at upload.
    pub name: &'a str,
    /// The bytes as uploaded.
    pub bytes: &'a [u8],
    /// Their SHA-256, hex.
    pub sha256: &'a str,
    /// What its check produced.
    pub check: CheckRecord<'a>,
}

/// How long a statement waits for another connection's lock (another server on the same file).
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

impl Db {
    /// Opens (or creates) the database and runs pending migrations. `max_pages`
    /// caps the database's size in pages (`PRAGMA max_page_count`); 0 leaves
    /// SQLite's own limit.
    pub fn open(path: &Path, max_pages: u64) -> DbResult<Db> {
        // SQLite answers "database is locked" at once, without waiting, when
        // two connections would deadlock: both reading a new file and both
        // wanting to turn it to WAL, or to start the migration. The one that
        // is refused starts over with a new connection until the timeout.
        let deadline = Instant::now() + BUSY_TIMEOUT;
        let mut pause = Duration::from_millis(2);
        loop {
            match Db::open_once(path, max_pages) {
                Err(DbError::Other(e)) if is_busy(&e) && Instant::now() < deadline => {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(100));
                }
                result => return result,
            }
        }
    }

    fn open_once(path: &Path, max_pages: u64) -> DbResult<Db> {
        let mut conn = Connection::open(path)?;
        // First: every later statement may meet another server's lock.
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        if max_pages > 0 {
            // The pragma answers with the new limit; a value below the current size keeps that size.
            let _: i64 =
                conn.query_row(&format!("PRAGMA max_page_count = {max_pages}"), [], |r| {
                    r.get(0)
                })?;
        }
        migrate(&mut conn)?;
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
    ) -> DbResult<i64> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO collections (name, year, admin_token_hash, upload_token_hash) VALUES (?1, ?2, ?3, ?4)",
            params![name, year, admin_hash, upload_hash],
        )?;
        Ok(conn.last_insert_rowid())
    }

    /// A collection by id.
    pub fn collection(&self, id: i64) -> DbResult<Option<CollectionRow>> {
        Ok(self
            .conn()
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
            .optional()?)
    }

    /// Stores a report with its text print (made by `print.0`; its sampled
    /// shingles `print.2` go into the index), in one transaction; returns its id.
    pub fn insert_report(
        &self,
        collection: i64,
        r: &NewReport<'_>,
        print: (&str, &[u8], &[u32]),
    ) -> DbResult<i64> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let c = &r.check;
        tx.execute(
            "INSERT INTO reports (collection_id, name, bytes, sha256, issuer, year, format, errors, warnings, infos, findings, rule_version, tables)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![collection, r.name, r.bytes, r.sha256, c.issuer, c.year, c.format, c.counts.0, c.counts.1, c.counts.2, c.findings, c.version, c.tables],
        )?;
        let id = tx.last_insert_rowid();
        put_print(&tx, collection, id, print)?;
        tx.commit()?;
        Ok(id)
    }

    /// Replaces what a stored report's check produced (after checking it again with a newer checker).
    pub fn update_check(&self, collection: i64, id: i64, c: &CheckRecord<'_>) -> DbResult<()> {
        self.conn().execute(
            "UPDATE reports SET issuer = ?3, year = ?4, format = ?5, errors = ?6, warnings = ?7, infos = ?8, findings = ?9, rule_version = ?10, tables = ?11
             WHERE collection_id = ?1 AND id = ?2",
            params![collection, id, c.issuer, c.year, c.format, c.counts.0, c.counts.1, c.counts.2, c.findings, c.version, c.tables],
        )?;
        Ok(())
    }

    /// The reports of a collection.
    pub fn reports(&self, collection: i64) -> DbResult<Vec<ReportSummary>> {
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
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A stored report's bytes and findings.
    pub fn report(&self, collection: i64, id: i64) -> DbResult<Option<StoredReport>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT name, bytes, findings, sha256 FROM reports WHERE collection_id = ?1 AND id = ?2",
                params![collection, id],
                |r| Ok(StoredReport { name: r.get(0)?, bytes: r.get(1)?, findings: r.get(2)?, sha256: r.get(3)? }),
            )
            .optional()?)
    }

    /// The stored tables snapshots of a collection's reports (not their bytes).
    pub fn report_tables(&self, collection: i64) -> DbResult<Vec<StoredTables>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, name, rule_version, tables FROM reports WHERE collection_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![collection], |r| {
            Ok(StoredTables {
                id: r.get(0)?,
                name: r.get(1)?,
                version: r.get(2)?,
                tables: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The name and stored findings (`nianbao.check/2` entry, JSON) of each report of a collection.
    pub fn report_findings(&self, collection: i64) -> DbResult<Vec<(i64, String, String)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, name, findings FROM reports WHERE collection_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![collection], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The bytes of one stored report (to check it again).
    pub fn report_bytes(&self, collection: i64, id: i64) -> DbResult<Option<Vec<u8>>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT bytes FROM reports WHERE collection_id = ?1 AND id = ?2",
                params![collection, id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Deletes a report; true when it existed.
    pub fn delete_report(&self, collection: i64, id: i64) -> DbResult<bool> {
        Ok(self.conn().execute(
            "DELETE FROM reports WHERE collection_id = ?1 AND id = ?2",
            params![collection, id],
        )? > 0)
    }

    /// Replaces the admin token's hash (`admin` true) or the upload token's; true when the collection exists.
    pub fn set_token(&self, collection: i64, admin: bool, hash: &[u8]) -> DbResult<bool> {
        let sql = if admin {
            "UPDATE collections SET admin_token_hash = ?2 WHERE id = ?1"
        } else {
            "UPDATE collections SET upload_token_hash = ?2 WHERE id = ?1"
        };
        Ok(self.conn().execute(sql, params![collection, hash])? > 0)
    }

    /// Deletes a collection and its reports; true when it existed.
    pub fn delete_collection(&self, collection: i64) -> DbResult<bool> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "DELETE FROM reports WHERE collection_id = ?1",
            params![collection],
        )?;
        let n = tx.execute("DELETE FROM collections WHERE id = ?1", params![collection])?;
        tx.commit()?;
        Ok(n > 0)
    }

    /// A collection's name and year.
    pub fn collection_name(&self, id: i64) -> DbResult<Option<(String, i64)>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT name, year FROM collections WHERE id = ?1",
                params![id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// A collection's copied-text settings.
    pub fn copy_settings(&self, id: i64) -> DbResult<Option<CopySettings>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT copy_across, copy_threshold FROM collections WHERE id = ?1",
                params![id],
                |r| {
                    Ok(CopySettings {
                        copy_across: r.get::<_, i64>(0)? != 0,
                        copy_threshold: u8::try_from(r.get::<_, i64>(1)?.clamp(0, 100))
                            .unwrap_or(50),
                    })
                },
            )
            .optional()?)
    }

    /// Changes a collection's copied-text settings (those given); true when it exists.
    pub fn set_copy_settings(
        &self,
        id: i64,
        across: Option<bool>,
        threshold: Option<u8>,
    ) -> DbResult<bool> {
        Ok(self.conn().execute(
            "UPDATE collections SET copy_across = COALESCE(?2, copy_across), copy_threshold = COALESCE(?3, copy_threshold) WHERE id = ?1",
            params![id, across.map(i64::from), threshold.map(i64::from)],
        )? > 0)
    }

    /// The reports of a collection whose print is missing or of another
    /// `version`; `None` at once when the collection's prints are known to be of it.
    pub fn stale_prints(&self, collection: i64, version: &str) -> DbResult<Option<Vec<i64>>> {
        let conn = self.conn();
        let known: Option<String> = conn
            .query_row(
                "SELECT prints_version FROM collections WHERE id = ?1",
                params![collection],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        if known.as_deref() == Some(version) {
            return Ok(None);
        }
        let mut stmt = conn.prepare(
            "SELECT r.id FROM reports r LEFT JOIN copy_prints p ON p.report_id = r.id AND p.version = ?2
             WHERE r.collection_id = ?1 AND p.report_id IS NULL ORDER BY r.id",
        )?;
        let rows = stmt.query_map(params![collection, version], |r| r.get(0))?;
        Ok(Some(rows.collect::<Result<_, _>>()?))
    }

    /// Records that every print of a collection is of `version` (its stale ones were made).
    pub fn prints_made(&self, collection: i64, version: &str) -> DbResult<()> {
        self.conn().execute(
            "UPDATE collections SET prints_version = ?2 WHERE id = ?1",
            params![collection, version],
        )?;
        Ok(())
    }

    /// Stores a stored report's print (made by `version`) and puts its sampled
    /// shingles in the index, at once.
    pub fn store_print(
        &self,
        collection: i64,
        id: i64,
        version: &str,
        print: &[u8],
        sample: &[u32],
    ) -> DbResult<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let exists: Option<i64> = tx
            .query_row(
                "SELECT id FROM reports WHERE collection_id = ?1 AND id = ?2",
                params![collection, id],
                |r| r.get(0),
            )
            .optional()?;
        if exists.is_some() {
            put_print(&tx, collection, id, (version, print, sample))?;
        }
        tx.commit()?;
        Ok(())
    }

    /// A stored report as a comparison reads it, when its print is of `version`.
    pub fn print_row(&self, collection: i64, id: i64, version: &str) -> DbResult<Option<PrintRow>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT p.report_id, r.name, p.issuer, p.year, p.sha256, p.print
                 FROM copy_prints p JOIN reports r ON r.id = p.report_id
                 WHERE p.collection_id = ?1 AND p.report_id = ?2 AND p.version = ?3",
                params![collection, id, version],
                |r| {
                    Ok(PrintRow {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        issuer: r.get(2)?,
                        year: r.get(3)?,
                        sha256: r.get(4)?,
                        print: r.get(5)?,
                    })
                },
            )
            .optional()?)
    }

    /// For each shingle of `sample`, the first `limit` reports of the collection
    /// with it (by id): the reports found, each with the number of its shingles
    /// found, and the index entries read. Each shingle costs at most `limit`
    /// entries, however many reports share it.
    pub fn copy_candidates(
        &self,
        collection: i64,
        sample: &[u32],
        limit: usize,
    ) -> DbResult<(Vec<(i64, usize)>, usize)> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT report_id FROM copy_shingles WHERE collection_id = ?1 AND hash = ?2 ORDER BY report_id LIMIT ?3",
        )?;
        let mut votes: std::collections::BTreeMap<i64, usize> = std::collections::BTreeMap::new();
        let mut read = 0;
        for h in sample {
            let rows = stmt.query_map(params![collection, i64::from(*h), limit as i64], |r| {
                r.get::<_, i64>(0)
            })?;
            for id in rows {
                read += 1;
                *votes.entry(id?).or_insert(0) += 1;
            }
        }
        Ok((votes.into_iter().collect(), read))
    }

    /// `PRAGMA integrity_check` result.
    pub fn integrity_check(&self) -> DbResult<String> {
        Ok(self
            .conn()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}

/// Puts report `id`'s print (`print.0` its version, `print.1` its stored form,
/// `print.2` its sampled shingles) in place of any it had, with what the
/// comparison reads beside it (copied from the report's row).
fn put_print(
    tx: &rusqlite::Transaction<'_>,
    collection: i64,
    id: i64,
    print: (&str, &[u8], &[u32]),
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO copy_prints (report_id, collection_id, version, sha256, issuer, year, print)
         SELECT id, collection_id, ?2, sha256, issuer, year, ?3 FROM reports WHERE id = ?1",
        params![id, print.0, print.1],
    )?;
    tx.execute(
        "DELETE FROM copy_shingles WHERE report_id = ?1",
        params![id],
    )?;
    let mut insert = tx.prepare_cached(
        "INSERT OR IGNORE INTO copy_shingles (collection_id, hash, report_id) VALUES (?1, ?2, ?3)",
    )?;
    for h in print.2 {
        insert.execute(params![collection, i64::from(*h), id])?;
    }
    Ok(())
}

/// Whether `e` is SQLite's "database is locked" (another connection holds the lock).
fn is_busy(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy)
}

/// Runs the pending migrations in one immediate transaction: the version is read
/// again under the write lock, so of several servers starting on one new
/// database, one migrates and the others find it done.
fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let quick: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if quick.max(0) as usize >= MIGRATIONS.len() {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (i, m) in MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
        tx.execute_batch(m)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
    }
    tx.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Many connections opening one new file at once: each comes up with the
    /// schema in place, none fails with "database is locked".
    #[test]
    fn many_opens_of_one_new_database_all_succeed() {
        let dir = tempfile::tempdir().expect("temporary directory");
        for round in 0..40 {
            let path = dir.path().join(format!("new-{round}.db"));
            let results: Vec<DbResult<Db>> = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..8).map(|_| scope.spawn(|| Db::open(&path, 0))).collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("open does not panic"))
                    .collect()
            });
            for r in results {
                let db = r.unwrap_or_else(|e| panic!("round {round}: {e}"));
                let version: i64 = db
                    .conn()
                    .pragma_query_value(None, "user_version", |r| r.get(0))
                    .expect("user_version");
                assert_eq!(version as usize, MIGRATIONS.len());
            }
        }
    }
}
