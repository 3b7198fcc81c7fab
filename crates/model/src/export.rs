//! The statistics of checked reports as flat rows: one [`TableRow`] per mapped
//! cell of an indicator. The CLI's `nianbao table` (CSV and the
//! `nianbao.table/2` JSON document), the xlsx export and the server all use
//! these same columns: [`TableRow`] is their single definition.
//!
//! ```
//! let checked = nianbao_model::check(b"");
//! let rows = nianbao_model::export::table_rows("empty.md", &checked);
//! assert!(rows.is_empty());
//! let csv = nianbao_model::export::to_csv(&rows);
//! assert_eq!(csv, "path,issuer,year,format,variant,indicator,column,label,unit,value,line\n");
//! ```

use serde::Serialize;

use crate::quantity::CellValue;
use crate::snapshot::TablesSnapshot;
use crate::tables::IndicatorCell;
use crate::template::{self, Layout, Template};
use crate::CheckedReport;

/// Schema id of the JSON table document (`{"schema": …, "rows": […]}`).
pub const TABLE_SCHEMA: &str = "nianbao.table/2";

/// The column names of [`TableRow`], in order (the CSV header).
pub const COLUMNS: [&str; 11] = [
    "path",
    "issuer",
    "year",
    "format",
    "variant",
    "indicator",
    "column",
    "label",
    "unit",
    "value",
    "line",
];

/// One mapped cell of a report's statistics, flattened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TableRow {
    /// The path as the user gave it (or the upload's name).
    pub path: String,
    /// The issuing body as the title names it.
    pub issuer: Option<String>,
    /// The report year.
    pub year: Option<i32>,
    /// The report's national format id (`stat-table-2008`, `national-2021`, …).
    pub format: String,
    /// The local variant of its tables (`pingtan`), whose row and column ids
    /// the `indicator` and `column` are; `None` for the national layout.
    pub variant: Option<String>,
    /// The template row id (`apply.received`, `result.public`), or in a
    /// single-row table (表四) the column id (`review.total`).
    pub indicator: String,
    /// The template column id (`natural`, `total`, `year`, `issued`); `None` in a single-row table.
    pub column: Option<String>,
    /// The row label as printed.
    pub label: String,
    /// The unit as printed (unit column or in the cell), else the template's
    /// unit for the row or column, else `None`.
    pub unit: Option<String>,
    /// The number as written (exact decimal, `0.00` keeps its places); empty for
    /// a blank cell; `—` for a dash; the text of a cell that is not a number.
    pub value: String,
    /// 1-based line of the value cell in the original input.
    pub line: usize,
}

/// The rows of one checked report, in table order (`checked.report.tables.cells`).
pub fn table_rows(path: &str, checked: &CheckedReport) -> Vec<TableRow> {
    let report = &checked.report;
    rows(
        path,
        (&report.format, report.variant.as_deref()),
        report.issuer(),
        report.year(),
        report
            .tables
            .cells
            .iter()
            .map(|cell| (cell, checked.parsed.line_col(cell.span.start).line)),
    )
}

/// The rows of a report kept as a [`TablesSnapshot`]: the same as
/// [`table_rows`] of the checked report it was taken from.
pub fn snapshot_rows(path: &str, snapshot: &TablesSnapshot) -> Vec<TableRow> {
    rows(
        path,
        (snapshot.format(), snapshot.variant()),
        snapshot.issuer(),
        snapshot.year(),
        snapshot.cells(),
    )
}

fn rows<'a>(
    path: &str,
    (format, variant): (&str, Option<&str>),
    issuer: Option<&str>,
    year: Option<i32>,
    cells: impl Iterator<Item = (&'a IndicatorCell, usize)>,
) -> Vec<TableRow> {
    let template = template::find(format, variant);
    cells
        .map(|(cell, line)| {
            let value = match &cell.value {
                CellValue::Blank => String::new(),
                CellValue::Dash => "—".to_string(),
                CellValue::Number(q) => q.value.to_string(),
                CellValue::Text { text } => text.clone(),
            };
            let unit = cell.unit.as_deref().map(str::to_string).or_else(|| {
                template_unit(template, &cell.table, &cell.row, cell.column.as_deref())
            });
            TableRow {
                path: path.to_string(),
                issuer: issuer.map(str::to_string),
                year,
                format: format.to_string(),
                variant: variant.map(str::to_string),
                indicator: cell.row.to_string(),
                column: cell.column.as_deref().map(str::to_string),
                label: cell.label.to_string(),
                unit,
                value,
                line,
            }
        })
        .collect()
}

/// The template's unit of a cell: the row's (not `group`), else the column's.
fn template_unit(
    template: Option<&Template>,
    table: &str,
    row: &str,
    column: Option<&str>,
) -> Option<String> {
    let def = template?.tables.iter().find(|t| t.id == table)?;
    if def.layout == Layout::SingleRow {
        return def
            .columns
            .iter()
            .find(|c| c.id == row)
            .and_then(|c| c.unit.clone());
    }
    let row_unit = def
        .rows
        .iter()
        .find(|r| r.id == row)
        .and_then(|r| r.unit.clone())
        .filter(|u| u != "group" && !u.is_empty());
    row_unit.or_else(|| {
        let column = column?;
        def.columns
            .iter()
            .find(|c| c.id == column)
            .and_then(|c| c.unit.clone())
    })
}

/// The rows as CSV (`nianbao table`, the server's `table.csv`), every cell safe to
/// open in a spreadsheet (see [`neutralise`]).
pub fn to_csv(rows: &[TableRow]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // Writing into a Vec cannot fail, and every field is a string or a number.
    let _ = writer.write_record(COLUMNS);
    for row in rows {
        let _ = writer.serialize(neutralised(row));
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// A row with every text cell passed through [`neutralise`].
fn neutralised(r: &TableRow) -> TableRow {
    let text = |v: &str| neutralise(v).into_owned();
    let opt = |v: &Option<String>| v.as_deref().map(text);
    TableRow {
        path: text(&r.path),
        issuer: opt(&r.issuer),
        year: r.year,
        format: text(&r.format),
        variant: opt(&r.variant),
        indicator: text(&r.indicator),
        column: opt(&r.column),
        label: text(&r.label),
        unit: opt(&r.unit),
        value: text(&r.value),
        line: r.line,
    }
}

/// A CSV cell as written: with a leading `'` when a spreadsheet would run it as a
/// formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return), as
/// OWASP advises against CSV injection (a report named `=HYPERLINK(…)`); a plain
/// decimal number (`-3`, `+1.5`) stays a number.
///
/// ```
/// use nianbao_model::export::neutralise;
/// assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(neutralise("-3"), "-3");
/// assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
/// ```
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// `[+-]digits[.digits]`: a number every spreadsheet reads as a number.
fn is_plain_number(cell: &str) -> bool {
    let unsigned = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && fraction.is_none_or(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_neutralised_and_keep_their_quoting() {
        let mut r = row("say \"x\"\nnext");
        r.path = "=A1,B".into();
        r.value = "-3".into();
        r.unit = Some("@x".into());
        let csv = to_csv(&[r]);
        let body = csv.lines().skip(1).collect::<Vec<_>>().join("\n");
        assert!(body.starts_with("\"'=A1,B\","), "{body}");
        assert!(body.contains("\"say \"\"x\"\"\nnext\""), "{body}");
        assert!(body.contains(",'@x,") && body.contains(",-3,"), "{body}");
    }

    fn row(label: &str) -> TableRow {
        TableRow {
            path: "a.md".into(),
            issuer: None,
            year: Some(2024),
            format: "national-2021".into(),
            variant: None,
            indicator: "result.public".into(),
            column: Some("total".into()),
            label: label.into(),
            unit: None,
            value: "0.00".into(),
            line: 7,
        }
    }

    #[test]
    fn csv_quotes_commas_quotes_and_line_breaks() {
        let csv = to_csv(&[row("a,b"), row("say \"x\"\nnext")]);
        assert_eq!(
            csv,
            "path,issuer,year,format,variant,indicator,column,label,unit,value,line\n\
             a.md,,2024,national-2021,,result.public,total,\"a,b\",,0.00,7\n\
             a.md,,2024,national-2021,,result.public,total,\"say \"\"x\"\"\nnext\",,0.00,7\n"
        );
    }

    #[test]
    fn header_matches_the_struct() {
        // The CSV serializer's own header is the struct's field names, in order.
        let mut w = csv::Writer::from_writer(Vec::new());
        w.serialize(row("x")).expect("serialize");
        let text = String::from_utf8(w.into_inner().expect("flush")).expect("utf-8");
        assert_eq!(text.lines().next(), Some(COLUMNS.join(",").as_str()));
    }
}
