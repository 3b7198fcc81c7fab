//! Collection-wide work: the merge of subordinate reports against the compiled one,
//! and the indicator rows of all reports. Everything is computed by `nianbao_model`.

use nianbao_model::export::{table_rows, to_csv, TableRow};

/// Checks every stored report (id, name, bytes) and returns the indicator rows of all of them.
fn rows(reports: &[(i64, String, Vec<u8>)]) -> Vec<TableRow> {
    reports
        .iter()
        .flat_map(|(_, name, bytes)| table_rows(name, &nianbao_model::check(bytes)))
        .collect()
}

/// The indicator rows of all reports as CSV.
pub fn table_csv(reports: &[(i64, String, Vec<u8>)]) -> String {
    to_csv(&rows(reports))
}

/// The indicator rows of all reports as an xlsx workbook.
pub fn table_xlsx(reports: &[(i64, String, Vec<u8>)]) -> Result<Vec<u8>, String> {
    nianbao_xlsx::to_xlsx(&rows(reports)).map_err(|e| e.to_string())
}

/// The sum of the subordinate reports against the compiled one (`against`, a report id).
pub fn aggregate(
    reports: &[(i64, String, Vec<u8>)],
    against: Option<i64>,
) -> Result<serde_json::Value, (String, String)> {
    let checked: Vec<(i64, String, nianbao_model::CheckedReport)> = reports
        .iter()
        .map(|(id, name, bytes)| (*id, name.clone(), nianbao_model::check(bytes)))
        .collect();
    if let Some(a) = against {
        if !checked.iter().any(|(id, _, _)| *id == a) {
            return Err((
                format!("集合中没有编号为 {a} 的年报"),
                format!("the collection has no report {a}"),
            ));
        }
    }
    let subordinates: Vec<(&str, &nianbao_model::CheckedReport)> = checked
        .iter()
        .filter(|(id, _, _)| Some(*id) != against)
        .map(|(_, n, c)| (n.as_str(), c))
        .collect();
    let compiled = against
        .and_then(|a| checked.iter().find(|(id, _, _)| *id == a))
        .map(|(_, _, c)| c);
    let result = nianbao_model::cross::merge(&subordinates, compiled).map_err(|e| {
        let m = e.message();
        (m.zh, m.en)
    })?;
    serde_json::to_value(&result)
        .map_err(|e| (format!("无法输出：{e}"), format!("cannot serialize: {e}")))
}
