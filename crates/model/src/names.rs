//! Cells named as a reader names them in a message: the template's Chinese (or
//! English) label of a row or column, shortened, on one line — never an internal id
//! (`natural`, `t3.new`).

use nianbao_grammar::Message;

use crate::tables::IndicatorCell;
use crate::template::{Layout, TableDef, Template};

/// A label on one line, without the notes in brackets that a template label
/// carries for the person filling the table in (`（二）部分公开（区分处理的，只计这一
/// 情形，不计其他情形）` → `（二）部分公开`). A leading number in brackets
/// (`（一）`, `(二)`) is part of the label and stays.
///
/// ```
/// use nianbao_model::names::short;
/// assert_eq!(short("（二）部分公开（区分处理的，只计这一情形，不计其他情形）"), "（二）部分公开");
/// assert_eq!(short("（七）总计"), "（七）总计");
/// assert_eq!(short("四、结转下年度\n继续办理"), "四、结转下年度继续办理");
/// ```
pub fn short(label: &str) -> String {
    let one_line = one_line(label);
    let mut out = one_line.as_str();
    // A trailing bracketed note of some length, not the label's own number.
    while let Some(open) = out.rfind(['（', '(']) {
        let inner = &out[open..];
        let closed = inner.ends_with(['）', ')']);
        let note = inner.chars().count() > 6 && open > 0;
        if !(closed && note) {
            break;
        }
        out = out[..open].trim_end();
    }
    out.to_string()
}

/// A label as printed, on one line: the line breaks and spaces of a table cell
/// left out (between Chinese characters) or made one space (in Latin text).
///
/// ```
/// use nianbao_model::names::one_line;
/// assert_eq!(one_line("四、结转下年度\n  继续办理"), "四、结转下年度继续办理");
/// ```
pub fn one_line(label: &str) -> String {
    label
        .split(|c: char| c.is_whitespace() || c == '\u{3000}')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(if label.is_ascii() { " " } else { "" })
}

fn table_def<'t>(template: Option<&'t Template>, table: &str) -> Option<&'t TableDef> {
    template?.tables.iter().find(|d| d.id == table)
}

/// A row as a reader names it: the template's label, shortened (else the label
/// the report prints, else the id). In a single-row table (表四), the column's header.
fn row_of(template: Option<&Template>, table: &str, row: &str, printed: Option<&str>) -> Message {
    let def = table_def(template, table);
    if let Some(def) = def.filter(|d| d.layout == Layout::SingleRow) {
        if let Some(c) = def.columns.iter().find(|c| c.id == row) {
            let zh = short(&c.header.join("/"));
            return Message::new(zh.clone(), format!("{} ({zh})", c.label_en));
        }
    }
    match def.and_then(|d| d.rows.iter().find(|r| r.id == row)) {
        Some(r) => Message::new(short(&r.label), short(&r.label_en)),
        None => {
            let name = printed.map_or_else(|| row.to_string(), short);
            Message::new(name.clone(), name)
        }
    }
}

/// A column as a reader names it, when its table has several and the header is fixed.
fn column_of(template: Option<&Template>, table: &str, column: Option<&str>) -> Option<Message> {
    let def = table_def(template, table)?;
    if def.layout == Layout::SingleRow || def.columns.len() < 2 {
        return None;
    }
    let c = def.columns.iter().find(|c| Some(c.id.as_str()) == column)?;
    // A header the report fills in (`{year}年度`) has no fixed name.
    if c.label.contains('{') {
        return None;
    }
    Some(Message::new(short(&c.label), short(&c.label_en)))
}

/// The row of a cell as a reader names it ([`indicator`] without the column).
pub fn row(template: Option<&Template>, cell: &IndicatorCell) -> Message {
    row_of(template, &cell.table, &cell.row, Some(&cell.label))
}

/// The column of a cell as a reader names it, when its table has several.
pub fn column(template: Option<&Template>, cell: &IndicatorCell) -> Option<Message> {
    column_of(template, &cell.table, cell.column.as_deref())
}

/// An indicator in full: its row, and its column when the table has several
/// (`一、本年新收政府信息公开申请数量（自然人）` / `New requests received this year
/// (Natural persons)`).
pub fn indicator(
    template: Option<&Template>,
    table: &str,
    row: &str,
    column: Option<&str>,
) -> Message {
    full(
        row_of(template, table, row, None),
        column_of(template, table, column),
    )
}

/// A cell in full, as [`indicator`] names it (the printed label when the template
/// has no such row).
pub fn cell(template: Option<&Template>, cell: &IndicatorCell) -> Message {
    full(row(template, cell), column(template, cell))
}

fn full(row: Message, column: Option<Message>) -> Message {
    match column {
        Some(c) => Message::new(
            format!("{}（{}）", row.zh, c.zh),
            format!("{} ({})", row.en, c.en),
        ),
        None => row,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_notes_go_numbers_stay() {
        assert_eq!(short("（一）予以公开"), "（一）予以公开");
        assert_eq!(short("(二) 部分公开"), "(二)部分公开");
        assert_eq!(
            short("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
        );
        assert_eq!(short("总计（件）"), "总计（件）");
        assert_eq!(short("partly open (only this case counted)"), "partly open");
    }
}
