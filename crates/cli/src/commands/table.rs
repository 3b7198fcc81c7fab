//! `nianbao table`: the statistics of reports, one row per indicator cell, as
//! CSV, the `nianbao.table/2` JSON document or an xlsx workbook (same columns:
//! [`nianbao_model::export::TableRow`]).

use std::path::PathBuf;

use clap::ValueEnum;
use nianbao_model::settings::Lang;

use crate::args::ReadArgs;
use crate::io::error;

/// Output formats of `table`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    /// CSV (RFC 4180) with a header line. A cell that a spreadsheet would run as
    /// a formula (starting with = + - @, a tab or a carriage return) gets a
    /// leading `'` (OWASP's advice against CSV injection); a plain number such
    /// as -3 stays a number.
    Csv,
    /// The `nianbao.table/2` JSON document.
    Json,
    /// An xlsx workbook (binary: give -o FILE, or pipe stdout).
    Xlsx,
}

/// `nianbao table`.
#[derive(Debug, clap::Args)]
pub struct TableArgs {
    /// Report files or directories to export; `-` reads standard input, a named pipe
    /// is read as a stream / 要导出的年报文件或目录（- 为标准输入）
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format / 输出格式
    #[arg(long, value_enum, default_value_t = TableFormat::Csv)]
    pub format: TableFormat,
    /// Write to this file instead of stdout / 写入此文件而非标准输出
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Start CSV output with a UTF-8 byte-order mark, as Excel on Chinese Windows needs
    /// (default: when writing to a file ending in .csv) / CSV 输出加 UTF-8 BOM
    #[arg(long, conflicts_with = "no_bom")]
    pub bom: bool,
    /// No byte-order mark, even in a .csv file / 不加 BOM
    #[arg(long)]
    pub no_bom: bool,
    /// Reading the reports.
    #[command(flatten)]
    pub read: ReadArgs,
}

/// The UTF-8 byte-order mark.
const BOM: char = '\u{feff}';

/// The `nianbao.table/2` document.
#[derive(serde::Serialize)]
struct TableDocument<'a> {
    schema: &'static str,
    rows: &'a [nianbao_model::export::TableRow],
}

/// Runs `nianbao table`.
pub fn run(a: TableArgs) -> u8 {
    let lang = Lang::from_env();
    let Ok(limit) = a.read.resolve(&a.paths, lang) else {
        return 2;
    };
    let mut unreadable = false;
    let mut rows = Vec::new();
    // A directory's reports as `check` walks them: one table, its header once.
    for path in &crate::walk::operands(&a.paths, lang, &mut unreadable) {
        let Some((shown, bytes)) = a.read.read(path, limit, lang) else {
            unreadable = true;
            continue;
        };
        let report = nianbao_model::check(&bytes);
        if !crate::io::checked_to_the_end(&report, &shown, lang) {
            unreadable = true;
            continue;
        }
        let before = rows.len();
        rows.extend(nianbao_model::export::table_rows(&shown, &report));
        // A report without a readable statistics table gives no rows: say so, or an
        // empty export would read as a report of zeros.
        if rows.len() == before {
            let text = match lang {
                Lang::Zh => format!("nianbao：警告：{shown} 中没有读出统计表（未找到表格，或表格单元格连在一起无法读取），没有导出任何数据\n"),
                Lang::En => format!("nianbao: warning: no statistics table could be read from {shown} (none found, or its cells run together); nothing was exported for it\n"),
            };
            let _ = std::io::Write::write_all(&mut std::io::stderr(), text.as_bytes());
        }
    }
    let text = match a.format {
        TableFormat::Csv if crate::io::wants_bom(a.bom, a.no_bom, a.output.as_deref()) => {
            format!("{}{}", BOM, nianbao_model::export::to_csv(&rows))
        }
        TableFormat::Csv => nianbao_model::export::to_csv(&rows),
        TableFormat::Xlsx => {
            let bytes = match nianbao_xlsx::to_xlsx(&rows) {
                Ok(bytes) => bytes,
                Err(e) => {
                    error(
                        lang,
                        format!("无法生成 xlsx：{e}"),
                        format!("cannot write xlsx: {e}"),
                    );
                    return 2;
                }
            };
            let written = crate::io::write_output(a.output.as_deref(), &bytes, true, lang);
            return if unreadable || !written { 2 } else { 0 };
        }
        TableFormat::Json => {
            let doc = TableDocument {
                schema: nianbao_model::export::TABLE_SCHEMA,
                rows: &rows,
            };
            match serde_json::to_string(&doc) {
                Ok(json) => format!("{json}\n"),
                Err(e) => {
                    error(
                        lang,
                        format!("无法输出 JSON：{e}"),
                        format!("cannot write JSON: {e}"),
                    );
                    return 2;
                }
            }
        }
    };
    let written = crate::io::write_output(a.output.as_deref(), text.as_bytes(), false, lang);
    if unreadable || !written {
        2
    } else {
        0
    }
}
