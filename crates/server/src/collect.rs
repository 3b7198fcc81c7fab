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
    /// The `nianbao.check/2` entry (findings), Chinese first.
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

/// The indicator rows of all reports as CSV, every cell safe to open in a spreadsheet.
pub fn table_csv(reports: &[Named]) -> String {
    to_csv(&rows(reports))
}

/// The indicator rows of all reports as an xlsx workbook (cells are typed: never formulas).
pub fn table_xlsx(reports: &[Named]) -> Result<Vec<u8>, String> {
    nianbao_xlsx::to_xlsx(&rows(reports)).map_err(|e| e.to_string())
}

/// The sum of the subordinate reports against the compiled one (`against`, a report id), as JSON.
pub fn aggregate(
    reports: &[Named],
    against: Option<i64>,
) -> Result<serde_json::Value, (String, String)> {
    let result = merged(reports, against)?;
    serde_json::to_value(&result)
        .map_err(|e| (format!("无法输出：{e}"), format!("cannot serialize: {e}")))
}

/// The sum of the subordinate reports against the compiled one (`against`, a report id).
pub fn merged(
    reports: &[Named],
    against: Option<i64>,
) -> Result<nianbao_model::cross::Merged, (String, String)> {
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
    nianbao_model::cross::merge_from(&subordinates, compiled).map_err(|e| {
        let m = e.message();
        (m.zh, m.en)
    })
}

/// Every finding of every stored report as CSV: report, code, name, severity,
/// line, message (Chinese and English), each cell safe to open in a spreadsheet.
/// `reports`: each report's name and its `nianbao.check/2` entry.
pub fn findings_csv(reports: &[(String, serde_json::Value)]) -> String {
    let mut out = String::from("report,code,name,severity,line,message_zh,message_en\n");
    for (name, entry) in reports {
        for d in entry["diagnostics"].as_array().into_iter().flatten() {
            let cells = [
                name.as_str(),
                d["code"].as_str().unwrap_or(""),
                d["name"].as_str().unwrap_or(""),
                d["severity"].as_str().unwrap_or(""),
                &d["span"]["line"].to_string(),
                d["messages"]["zh"].as_str().unwrap_or(""),
                d["messages"]["en"].as_str().unwrap_or(""),
            ];
            let row: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
            out.push_str(&row.join(","));
            out.push('\n');
        }
    }
    out
}

/// One CSV cell: a leading `=` `+` `-` `@` (a formula to a spreadsheet) behind a `'`,
/// quoted by RFC 4180 when it holds a quote, a comma or a line break.
fn csv_cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains(['"', ',', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}
