//! The xlsx export of indicator rows (placeholder until it is shared with the CLI).

use nianbao_model::export::TableRow;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// One sheet of rows: a bold frozen header, numbers as numbers.
pub fn workbook(rows: &[TableRow]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = Format::new().set_bold();
    let header = [
        "path",
        "issuer",
        "year",
        "format",
        "indicator",
        "column",
        "label",
        "unit",
        "value",
        "line",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        let json = serde_json::to_value(row).unwrap_or_default();
        for (c, key) in header.iter().enumerate() {
            let c = c as u16;
            match &json[*key] {
                serde_json::Value::Number(n) => {
                    sheet.write_number(r, c, n.as_f64().unwrap_or_default())?;
                }
                serde_json::Value::String(s) => match (key, s.parse::<f64>()) {
                    (&"value", Ok(v)) => {
                        sheet.write_number(r, c, v)?;
                    }
                    _ => {
                        sheet.write_string(r, c, s)?;
                    }
                },
                _ => {}
            }
        }
    }
    book.save_to_buffer()
}
