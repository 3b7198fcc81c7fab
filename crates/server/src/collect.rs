//! Collection-wide work: the merge of subordinate reports against the compiled
//! one, and the indicator rows of all reports. Both read the tables snapshot
//! stored with each report at upload; a report whose snapshot was made by
//! another checker version (or before snapshots were stored) is checked again
//! on a worker slot, once, and its stored results are replaced. Cross-report
//! findings are computed here, when read: they are never stored.

use nianbao_model::export::{snapshot_rows, to_csv, TableRow};
use nianbao_model::output::{ReportEntry, Summary};
use nianbao_model::settings::Lang;
use nianbao_model::snapshot::TablesSnapshot;

use crate::checker::{Outcome, CHECKER_VERSION};
use crate::db::CheckRecord;

/// A stored report's name and snapshot.
pub type Named = (i64, String, TablesSnapshot);

/// What a check produced, in the form it is stored.
pub struct Record {
    /// The `nianbao.check/1` entry (findings), Chinese first.
    pub entry: ReportEntry,
    /// The entry as JSON.
    pub findings: String,
    /// The tables snapshot as JSON.
    pub tables: String,
    /// Counts by severity.
    pub summary: Summary,
}

impl Record {
    /// The record of a check of the report named `name`.
    pub fn of(name: &str, outcome: &Outcome) -> Record {
        let entry = ReportEntry::new(name, &outcome.checked, Lang::Zh);
        let findings = serde_json::to_string(&entry).unwrap_or_default();
        let tables =
            serde_json::to_string(&TablesSnapshot::of(&outcome.checked)).unwrap_or_default();
        let summary = Summary::of(&outcome.checked.diagnostics);
        Record {
            entry,
            findings,
            tables,
            summary,
        }
    }

    /// The columns to store.
    pub fn columns(&self) -> CheckRecord<'_> {
        CheckRecord {
            issuer: self.entry.issuer.as_deref(),
            year: self.entry.year.map(i64::from),
            format: &self.entry.format,
            counts: (
                self.summary.error as i64,
                self.summary.warning as i64,
                self.summary.info as i64,
            ),
            findings: &self.findings,
            tables: &self.tables,
            version: CHECKER_VERSION,
        }
    }
}

/// The stored snapshot, when it was made by this checker and reads back.
pub fn current(version: &str, tables: Option<&str>) -> Option<TablesSnapshot> {
    if version != CHECKER_VERSION {
        return None;
    }
    serde_json::from_str(tables?).ok()
}

fn rows(reports: &[Named]) -> Vec<TableRow> {
    reports
        .iter()
        .flat_map(|(_, name, snapshot)| snapshot_rows(name, snapshot))
        .collect()
}

/// A cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, a tab or a
/// carriage return first) gets a `'` in front, as OWASP advises against CSV
/// injection; a plain number (`-3`, `+1.5`) is left as it is.
pub fn neutralise(cell: &str) -> String {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(cell) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !(digits.contains('.') && frac.is_empty())
}

fn neutralise_row(mut r: TableRow) -> TableRow {
    let opt = |v: Option<String>| v.map(|s| neutralise(&s));
    r.path = neutralise(&r.path);
    r.issuer = opt(r.issuer);
    r.format = neutralise(&r.format);
    r.indicator = neutralise(&r.indicator);
    r.column = opt(r.column);
    r.label = neutralise(&r.label);
    r.unit = opt(r.unit);
    r.value = neutralise(&r.value);
    r
}

/// The indicator rows of all reports as CSV, every cell safe to open in a spreadsheet.
pub fn table_csv(reports: &[Named]) -> String {
    let rows: Vec<TableRow> = rows(reports).into_iter().map(neutralise_row).collect();
    to_csv(&rows)
}

/// The indicator rows of all reports as an xlsx workbook (cells are typed: never formulas).
pub fn table_xlsx(reports: &[Named]) -> Result<Vec<u8>, String> {
    nianbao_xlsx::to_xlsx(&rows(reports)).map_err(|e| e.to_string())
}

/// The sum of the subordinate reports against the compiled one (`against`, a report id).
pub fn aggregate(
    reports: &[Named],
    against: Option<i64>,
) -> Result<serde_json::Value, (String, String)> {
    if let Some(a) = against {
        if !reports.iter().any(|(id, _, _)| *id == a) {
            return Err((
                format!("集合中没有编号为 {a} 的年报"),
                format!("the collection has no report {a}"),
            ));
        }
    }
    let subordinates: Vec<(&str, &TablesSnapshot)> = reports
        .iter()
        .filter(|(id, _, _)| Some(*id) != against)
        .map(|(_, n, s)| (n.as_str(), s))
        .collect();
    let compiled = against
        .and_then(|a| reports.iter().find(|(id, _, _)| *id == a))
        .map(|(_, _, s)| s);
    let result = nianbao_model::cross::merge_from(&subordinates, compiled).map_err(|e| {
        let m = e.message();
        (m.zh, m.en)
    })?;
    serde_json::to_value(&result)
        .map_err(|e| (format!("无法输出：{e}"), format!("cannot serialize: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        assert_eq!(
            neutralise("=HYPERLINK(\"http://x\",\"y\")"),
            "'=HYPERLINK(\"http://x\",\"y\")"
        );
        for risky in [
            "+1+1", "-1+1", "@SUM(A1)", "\tx", "\rx", "-", "+", "-1.", "-.5",
        ] {
            assert!(neutralise(risky).starts_with('\''), "{risky:?}");
        }
        for plain in ["-3", "+1.5", "0.00", "12", "某市", "", "—"] {
            assert_eq!(neutralise(plain), plain);
        }
    }
}
