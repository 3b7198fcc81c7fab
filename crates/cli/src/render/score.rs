//! `nianbao score`: one row per report of what a score sheet gives it, as CSV,
//! the `nianbao.score/1` JSON document or an xlsx workbook.

use std::path::PathBuf;

use nianbao_model::grammar::Diagnostic;
use nianbao_model::score::{ItemScore, Sheet};
use nianbao_model::settings::Lang;
use nianbao_model::CheckedReport;
use rust_decimal::Decimal;
use serde::Serialize;

use super::{Prepared, Preparer, RenderOptions};

/// What a report brings to the score: who, which year, and its findings after
/// the run's settings.
pub struct Scored {
    path: String,
    issuer: Option<String>,
    year: Option<i32>,
    format: String,
    diagnostics: Vec<Diagnostic>,
}

fn prepare(_options: RenderOptions, path: &str, report: &CheckedReport) -> Prepared {
    Prepared::Scored(Box::new(Scored {
        path: path.to_string(),
        issuer: report.report.issuer().map(str::to_string),
        year: report.report.year(),
        format: report.report.format.clone(),
        diagnostics: report.diagnostics.clone(),
    }))
}

/// Output format of `score`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ScoreFormat {
    /// CSV with a header line (item names in the chosen language).
    Csv,
    /// The `nianbao.score/1` JSON document.
    Json,
    /// An xlsx workbook (give -o FILE, or pipe stdout).
    Xlsx,
}

/// One report's row.
#[derive(Serialize)]
struct Row {
    path: String,
    issuer: Option<String>,
    year: Option<i32>,
    format: String,
    items: Vec<ItemScore>,
    /// Points kept over the items that were scored.
    #[serde(with = "rust_decimal::serde::str")]
    total: Decimal,
    /// Points of the items that were scored (the sheet's total less the 待核 items).
    #[serde(with = "rust_decimal::serde::str")]
    scored_of: Decimal,
    /// Items left 待核.
    pending: usize,
}

/// The `nianbao.score/1` document.
#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    sheet: SheetHead<'a>,
    reports: &'a [Row],
}

#[derive(Serialize)]
struct SheetHead<'a> {
    name: &'a str,
    #[serde(with = "rust_decimal::serde::str")]
    points: Decimal,
    items: Vec<ItemHead<'a>>,
}

#[derive(Serialize)]
struct ItemHead<'a> {
    id: &'a str,
    name_zh: &'a str,
    name_en: &'a str,
    #[serde(with = "rust_decimal::serde::str")]
    points: Decimal,
}

/// Scores each report as it comes; writes the table at the end.
pub struct ScoreRenderer {
    options: RenderOptions,
    sheet: Sheet,
    format: ScoreFormat,
    /// Where an xlsx workbook goes (stdout when `None`).
    xlsx_to: Option<PathBuf>,
    rows: Vec<Row>,
    /// Set when the output could not be made or written.
    failed: std::rc::Rc<std::cell::Cell<bool>>,
}

impl ScoreRenderer {
    /// A renderer for `sheet`.
    pub fn new(
        options: RenderOptions,
        sheet: Sheet,
        format: ScoreFormat,
        xlsx_to: Option<PathBuf>,
        failed: std::rc::Rc<std::cell::Cell<bool>>,
    ) -> Self {
        ScoreRenderer {
            options,
            sheet,
            format,
            xlsx_to,
            rows: Vec::new(),
            failed,
        }
    }

    fn header(&self) -> Vec<String> {
        let zh = self.options.lang == Lang::Zh;
        let mut h: Vec<String> = if zh {
            ["文件", "发布机关", "年度", "格式"]
                .map(String::from)
                .to_vec()
        } else {
            ["file", "issuer", "year", "format"]
                .map(String::from)
                .to_vec()
        };
        for item in &self.sheet.items {
            let name = if zh { &item.name_zh } else { &item.name_en };
            h.push(format!("{name}（{}）", item.points));
        }
        h.extend(if zh {
            ["得分", "可评分值", "待核项"].map(String::from)
        } else {
            ["score", "scored of", "pending"].map(String::from)
        });
        h
    }

    /// A row's cells as text: 待核 (or `pending`) for an item not checked.
    fn cells(&self, row: &Row) -> Vec<String> {
        let pending = match self.options.lang {
            Lang::Zh => "待核",
            Lang::En => "pending",
        };
        let mut cells = vec![
            row.path.clone(),
            row.issuer.clone().unwrap_or_default(),
            row.year.map_or_else(String::new, |y| y.to_string()),
            row.format.clone(),
        ];
        cells.extend(row.items.iter().map(|i| {
            i.score
                .map_or_else(|| pending.to_string(), |s| s.normalize().to_string())
        }));
        cells.push(row.total.normalize().to_string());
        cells.push(row.scored_of.normalize().to_string());
        cells.push(row.pending.to_string());
        cells
    }
}

impl super::Renderer for ScoreRenderer {
    fn preparer(&self) -> Preparer {
        Preparer {
            options: self.options,
            prepare,
        }
    }

    fn emit(&mut self, prepared: Prepared) -> String {
        let Prepared::Scored(r) = prepared else {
            return String::new();
        };
        let items = self.sheet.score(&r.diagnostics);
        let total = items.iter().filter_map(|i| i.score).sum();
        let scored_of = self
            .sheet
            .items
            .iter()
            .zip(&items)
            .filter(|(_, s)| s.score.is_some())
            .map(|(i, _)| i.points)
            .sum();
        let pending = items.iter().filter(|i| i.score.is_none()).count();
        self.rows.push(Row {
            path: r.path,
            issuer: r.issuer,
            year: r.year,
            format: r.format,
            items,
            total,
            scored_of,
            pending,
        });
        String::new()
    }

    fn finish(&mut self) -> String {
        match self.format {
            ScoreFormat::Json => {
                let doc = Document {
                    schema: "nianbao.score/1",
                    sheet: SheetHead {
                        name: &self.sheet.name,
                        points: self.sheet.total(),
                        items: self
                            .sheet
                            .items
                            .iter()
                            .map(|i| ItemHead {
                                id: &i.id,
                                name_zh: &i.name_zh,
                                name_en: &i.name_en,
                                points: i.points,
                            })
                            .collect(),
                    },
                    reports: &self.rows,
                };
                let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
                text.push('\n');
                text
            }
            ScoreFormat::Csv => {
                let mut w = csv::Writer::from_writer(Vec::new());
                let mut write = |cells: Vec<String>| {
                    let cells: Vec<String> = cells
                        .iter()
                        .map(|c| nianbao_model::export::neutralise(c).into_owned())
                        .collect();
                    w.write_record(&cells).is_ok()
                };
                let mut ok = write(self.header());
                for row in &self.rows {
                    ok &= write(self.cells(row));
                }
                if !ok {
                    self.failed.set(true);
                }
                String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
            }
            ScoreFormat::Xlsx => {
                use nianbao_xlsx::GridCell;
                let rows: Vec<Vec<GridCell>> = self
                    .rows
                    .iter()
                    .map(|row| {
                        self.cells(row)
                            .into_iter()
                            .enumerate()
                            .map(|(i, c)| match c.parse::<f64>() {
                                // The year, the scores and the counts are numbers; the
                                // path, issuer and format stay text.
                                Ok(n) if i >= 2 && i != 3 => GridCell::Number(n),
                                _ => GridCell::Text(c),
                            })
                            .collect()
                    })
                    .collect();
                let written = nianbao_xlsx::grid_to_xlsx("score", &self.header(), &rows)
                    .map_err(|e| e.to_string())
                    .and_then(|bytes| match &self.xlsx_to {
                        Some(path) => std::fs::write(path, bytes).map_err(|e| e.to_string()),
                        None => {
                            use std::io::Write;
                            std::io::stdout()
                                .write_all(&bytes)
                                .map_err(|e| e.to_string())
                        }
                    });
                if let Err(e) = written {
                    crate::io::error(
                        self.options.lang,
                        format!("无法写出 xlsx：{e}"),
                        format!("cannot write the xlsx workbook: {e}"),
                    );
                    self.failed.set(true);
                }
                String::new()
            }
        }
    }
}
