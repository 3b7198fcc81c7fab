//! The xlsx workbook of indicator rows ([`nianbao_model::export::TableRow`]),
//! shared by the `nianbao table --format xlsx` command and the server's
//! `table.xlsx` export. A crate of its own so that `nianbao-model` stays free of
//! an xlsx writer.
//!
//! ```
//! let bytes = nianbao_xlsx::to_xlsx(&[]).expect("an empty workbook");
//! assert_eq!(&bytes[..2], b"PK");
//! ```

#![warn(missing_docs)]

use nianbao_model::export::TableRow;
use rust_xlsxwriter::{Format, RowNum, Workbook, XlsxError};

/// The header row, in Chinese for the office that opens the workbook: the columns
/// of `nianbao table`'s CSV ([`nianbao_model::export::COLUMNS`]) in their order, with
/// the column's label (`列名`: `自然人`, from the template) beside its id.
pub const HEADER: [&str; 12] = [
    "文件",
    "发布机关",
    "年度",
    "格式",
    "变体",
    "指标",
    "列",
    "列名",
    "标签",
    "单位",
    "数值",
    "行号",
];

/// The template's Chinese label of a row's column (`natural` → `自然人`), when its
/// table has several columns with fixed headers.
fn column_label(row: &TableRow) -> String {
    let Some(column) = row.column.as_deref() else {
        return String::new();
    };
    nianbao_model::template::find(&row.format, row.variant.as_deref())
        .and_then(|t| t.table_of(&row.indicator))
        .filter(|table| table.columns.len() > 1)
        .and_then(|table| table.columns.iter().find(|c| c.id == column))
        .filter(|c| !c.label.contains('{'))
        .map_or_else(String::new, |c| nianbao_model::names::short(&c.label))
}

/// The rows as an xlsx workbook: one sheet `table`, the header row ([`HEADER`])
/// bold and frozen with an autofilter, then one row per [`TableRow`]. `year`,
/// `line` and a `value` written as a decimal are number cells (a decimal keeps
/// its places as its number format: `0.00` shows as `0.00`); every other value
/// is a text cell, and a blank value an empty cell.
pub fn to_xlsx(rows: &[TableRow]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("table")?;
    let bold = Format::new().set_bold();
    let mut widths: Vec<usize> = HEADER.iter().map(|c| display_width(c)).collect();
    for (col, name) in (0u16..).zip(HEADER) {
        sheet.write_string_with_format(0, col, name, &bold)?;
    }
    // Number formats by decimal places (`0`, `0.0`, `0.00`, …), made once each.
    let mut decimals: Vec<Format> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let r = RowNum::try_from(i + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        let label = column_label(row);
        let cells: [Cell<'_>; 12] = [
            Cell::Text(&row.path),
            Cell::Text(row.issuer.as_deref().unwrap_or("")),
            row.year
                .map_or(Cell::Text(""), |y| Cell::Number(f64::from(y), 0)),
            Cell::Text(&row.format),
            Cell::Text(row.variant.as_deref().unwrap_or("")),
            Cell::Text(&row.indicator),
            Cell::Text(row.column.as_deref().unwrap_or("")),
            Cell::Text(&label),
            Cell::Text(&row.label),
            Cell::Text(row.unit.as_deref().unwrap_or("")),
            decimal(&row.value).map_or(Cell::Text(&row.value), |(n, places)| {
                Cell::Number(n, places)
            }),
            Cell::Number(row.line as f64, 0),
        ];
        for (col, cell) in (0u16..).zip(cells) {
            let c = usize::from(col);
            match cell {
                Cell::Text("") => {}
                Cell::Text(text) => {
                    widths[c] = widths[c].max(display_width(text));
                    sheet.write_string(r, col, text)?;
                }
                Cell::Number(n, 0) => {
                    widths[c] = widths[c].max(display_width(&n.to_string()));
                    sheet.write_number(r, col, n)?;
                }
                Cell::Number(n, places) => {
                    widths[c] = widths[c].max(display_width(&row.value));
                    while decimals.len() <= places {
                        let pattern = match decimals.len() {
                            0 => "0".to_string(),
                            n => format!("0.{}", "0".repeat(n)),
                        };
                        decimals.push(Format::new().set_num_format(pattern));
                    }
                    sheet.write_number_with_format(r, col, n, &decimals[places])?;
                }
            }
        }
    }
    for (col, width) in (0u16..).zip(&widths) {
        // Excel's width unit is about one narrow character; keep long labels in bounds.
        sheet.set_column_width(col, (*width + 2).clamp(6, 60) as f64)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let last_row = RowNum::try_from(rows.len()).map_err(|_| XlsxError::RowColumnLimitError)?;
    let last_col = u16::try_from(HEADER.len() - 1).unwrap_or(0);
    sheet.autofilter(0, 0, last_row, last_col)?;
    workbook.save_to_buffer()
}

/// A cell to write: text, or a number with its decimal places.
enum Cell<'a> {
    Text(&'a str),
    Number(f64, usize),
}

/// A value written as a plain decimal (`43`, `-2`, `0.00`, `12.5`) as a number
/// and its decimal places; `None` for anything else (blank, `—`, text) and for
/// more significant digits than a float holds exactly.
fn decimal(value: &str) -> Option<(f64, usize)> {
    let digits = value.strip_prefix('-').unwrap_or(value);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let plain = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !plain(int) || !plain(frac) || (digits.contains('.') && frac.is_empty()) {
        return None;
    }
    let significant = format!("{int}{frac}").trim_start_matches('0').len();
    if significant > 15 {
        return None;
    }
    value.parse::<f64>().ok().map(|n| (n, frac.len()))
}

/// The width of the longest line of a text in narrow-character units (CJK and
/// full-width characters count two).
fn display_width(text: &str) -> usize {
    text.split('\n')
        .map(|line| {
            line.chars()
                .map(|c| {
                    let wide = matches!(u32::from(c),
                        0x1100..=0x115F
                            | 0x2E80..=0xA4CF
                            | 0xAC00..=0xD7A3
                            | 0xF900..=0xFAFF
                            | 0xFE30..=0xFE4F
                            | 0xFF00..=0xFF60
                            | 0xFFE0..=0xFFE6);
                    if wide {
                        2
                    } else {
                        1
                    }
                })
                .sum::<usize>()
        })
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_numbers_and_keep_their_places() {
        assert_eq!(decimal("43"), Some((43.0, 0)));
        assert_eq!(decimal("-2"), Some((-2.0, 0)));
        assert_eq!(decimal("0.00"), Some((0.0, 2)));
        assert_eq!(decimal("12.5"), Some((12.5, 1)));
        for text in [
            "",
            "—",
            "-",
            "1.",
            ".5",
            "1e3",
            "１２",
            "12 件",
            "1234567890123456",
        ] {
            assert_eq!(decimal(text), None, "{text:?}");
        }
    }

    #[test]
    fn widths_count_cjk_double_and_the_longest_line() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("收到申请数"), 10);
        assert_eq!(display_width("（一）\nab"), 6);
    }
}

/// A cell of [`grid_to_xlsx`].
#[derive(Clone, Debug, PartialEq)]
pub enum GridCell {
    /// Text (an empty string is an empty cell).
    Text(String),
    /// A number.
    Number(f64),
}

/// A plain table as an xlsx workbook: one sheet `name`, the header row bold and
/// frozen with an autofilter, then the rows (the score sheet of `nianbao score`).
pub fn grid_to_xlsx(
    name: &str,
    header: &[String],
    rows: &[Vec<GridCell>],
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    let bold = Format::new().set_bold();
    let mut widths: Vec<usize> = header.iter().map(|c| display_width(c)).collect();
    for (col, title) in (0u16..).zip(header) {
        sheet.write_string_with_format(0, col, title, &bold)?;
    }
    for (r, row) in (1 as RowNum..).zip(rows) {
        for (col, cell) in (0u16..).zip(row) {
            match cell {
                GridCell::Text(t) if t.is_empty() => {}
                GridCell::Text(t) => {
                    sheet.write_string(r, col, t)?;
                    if let Some(w) = widths.get_mut(usize::from(col)) {
                        *w = (*w).max(display_width(t));
                    }
                }
                GridCell::Number(n) => {
                    sheet.write_number(r, col, *n)?;
                }
            }
        }
    }
    for (col, w) in (0u16..).zip(&widths) {
        sheet.set_column_width(col, (*w).clamp(6, 60) as f64 + 1.0)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let last_col = u16::try_from(header.len().saturating_sub(1)).unwrap_or(u16::MAX);
    let last_row = RowNum::try_from(rows.len()).unwrap_or(RowNum::MAX);
    sheet.autofilter(0, 0, last_row, last_col)?;
    workbook.save_to_buffer()
}
