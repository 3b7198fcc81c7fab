//! What the collection-wide work needs of a checked report, small enough to keep:
//! the format and its variant, issuer and year, and every mapped table cell with its line. A
//! server stores one per report when it checks it, and sums
//! ([`crate::cross::merge_from`]) and exports ([`crate::export::snapshot_rows`]) from
//! it later without checking the report again.
//!
//! ```
//! use nianbao_model::snapshot::TablesSnapshot;
//! let checked = nianbao_model::check(include_bytes!("../../../tests/fixtures/pingtan-2024.md"));
//! let snapshot = TablesSnapshot::of(&checked);
//! let json = serde_json::to_string(&snapshot).expect("a snapshot serializes");
//! let back: TablesSnapshot = serde_json::from_str(&json).expect("and reads back");
//! assert_eq!(back, snapshot);
//! assert_eq!(
//!     nianbao_model::export::snapshot_rows("a.md", &back),
//!     nianbao_model::export::table_rows("a.md", &checked),
//! );
//! assert_eq!(
//!     nianbao_model::cross::merge_from(&[("a.md", &back)], Some(&back)),
//!     nianbao_model::cross::merge(&[("a.md", &checked)], Some(&checked)),
//! );
//! ```

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use nianbao_grammar::{Message, Span};

use crate::copies::TextPrint;
use crate::cross::{CurrentYear, MergeInput, PreviousYear};
use crate::tables::IndicatorCell;
use crate::CheckedReport;

/// A report's mapped tables, as kept: see the module documentation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "Kept")]
pub struct TablesSnapshot {
    format: String,
    variant: Option<String>,
    issuer: Option<String>,
    year: Option<i32>,
    cells: Vec<IndicatorCell>,
    /// 1-based line of each cell, in the order of `cells`.
    lines: Vec<usize>,
    /// For a Word document, where each cell is in it (Chinese, English: `表一
    /// 第 4 行 第 4 列`), in the order of `cells`; empty for a text report.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    places: Vec<(String, String)>,
    /// Cell index by id (`row@col`), rebuilt when read back.
    #[serde(skip)]
    index: HashMap<String, usize>,
}

/// The stored fields (the index is rebuilt from them).
#[derive(Deserialize)]
struct Kept {
    format: String,
    #[serde(default)]
    variant: Option<String>,
    issuer: Option<String>,
    year: Option<i32>,
    cells: Vec<IndicatorCell>,
    lines: Vec<usize>,
    #[serde(default)]
    places: Vec<(String, String)>,
}

impl From<Kept> for TablesSnapshot {
    fn from(k: Kept) -> Self {
        let mut index = HashMap::with_capacity(k.cells.len());
        for (i, cell) in k.cells.iter().enumerate() {
            index.entry(cell.id()).or_insert(i);
        }
        // A line for every cell, whatever was stored.
        let mut lines = k.lines;
        lines.resize(k.cells.len(), 0);
        // A place for every cell, or none.
        let mut places = k.places;
        if places.len() != k.cells.len() {
            places.clear();
        }
        TablesSnapshot {
            format: k.format,
            variant: k.variant,
            issuer: k.issuer,
            year: k.year,
            cells: k.cells,
            lines,
            places,
            index,
        }
    }
}

impl TablesSnapshot {
    /// The snapshot of a checked report.
    pub fn of(checked: &CheckedReport) -> TablesSnapshot {
        let report = &checked.report;
        let cells = report.tables.cells.clone();
        let lines = cells
            .iter()
            .map(|c| checked.parsed.line_col(c.span.start).line)
            .collect();
        let places = places_of(checked, &cells);
        TablesSnapshot::from(Kept {
            format: report.format.clone(),
            variant: report.variant.clone(),
            issuer: report.issuer().map(str::to_string),
            year: report.year(),
            cells,
            lines,
            places,
        })
    }

    /// The report's national format id.
    pub fn format(&self) -> &str {
        &self.format
    }

    /// The local variant of its tables, if any.
    pub fn variant(&self) -> Option<&str> {
        self.variant.as_deref()
    }

    /// The issuing body as the title names it.
    pub fn issuer(&self) -> Option<&str> {
        self.issuer.as_deref()
    }

    /// The report year.
    pub fn year(&self) -> Option<i32> {
        self.year
    }

    /// Every mapped cell with its 1-based line, in table order.
    pub fn cells(&self) -> impl Iterator<Item = (&IndicatorCell, usize)> {
        self.cells.iter().zip(self.lines.iter().copied())
    }
}

/// Where each cell is in a Word document, in words (see [`TablesSnapshot`]'s
/// `places`); empty for a text report.
fn places_of(checked: &CheckedReport, cells: &[IndicatorCell]) -> Vec<(String, String)> {
    if checked.docx.is_none() {
        return Vec::new();
    }
    cells
        .iter()
        .map(|c| {
            let m = MergeInput::place(checked, c);
            (m.zh, m.en)
        })
        .collect()
}

impl MergeInput for TablesSnapshot {
    fn format(&self) -> &str {
        &self.format
    }

    fn variant(&self) -> Option<&str> {
        self.variant.as_deref()
    }

    fn cells(&self) -> &[IndicatorCell] {
        &self.cells
    }

    fn cell(&self, id: &str) -> Option<&IndicatorCell> {
        self.index.get(id).and_then(|&i| self.cells.get(i))
    }

    fn line(&self, cell: &IndicatorCell) -> usize {
        self.index
            .get(&cell.id())
            .and_then(|&i| self.lines.get(i))
            .copied()
            .unwrap_or(0)
    }

    fn place(&self, cell: &IndicatorCell) -> Message {
        let kept = self.index.get(&cell.id()).and_then(|&i| self.places.get(i));
        match kept {
            Some((zh, en)) => Message::new(zh.clone(), en.clone()),
            None => crate::cross::at_line(self.line(cell)),
        }
    }
}

/// What the year-over-year check ([`crate::cross::year_over_year_from`]) reads of a
/// report, on either side: its [`TablesSnapshot`] and the span of its title; and
/// what the copied-text comparisons ([`crate::copies`]) read: its own text as a
/// [`TextPrint`]. A batch keeps one of each report it has checked, for the reports
/// that come after it, instead of the report.
#[derive(Clone, Debug, PartialEq)]
pub struct YearSnapshot {
    tables: TablesSnapshot,
    title: Option<Span>,
    text: TextPrint,
}

impl YearSnapshot {
    /// The snapshot of a checked report.
    ///
    /// Only the cells a comparison can read are kept (the operands of the
    /// cross-year relations): the comparisons of a batch read the same.
    pub fn of(checked: &CheckedReport) -> YearSnapshot {
        let report = &checked.report;
        let read = crate::cross::cross_year_cells();
        let cells: Vec<IndicatorCell> = report
            .tables
            .cells
            .iter()
            .filter(|c| read.reads(c))
            .cloned()
            .collect();
        let lines = cells
            .iter()
            .map(|c| checked.parsed.line_col(c.span.start).line)
            .collect();
        let places = places_of(checked, &cells);
        YearSnapshot {
            tables: TablesSnapshot::from(Kept {
                format: report.format.clone(),
                variant: report.variant.clone(),
                issuer: report.issuer().map(str::to_string),
                year: report.year(),
                cells,
                lines,
                places,
            }),
            title: report.front.title.as_ref().map(|f| f.span),
            text: TextPrint::of(checked),
        }
    }

    /// The report's own text, for the copied-text comparisons.
    pub fn text(&self) -> &TextPrint {
        &self.text
    }
}

impl MergeInput for YearSnapshot {
    fn format(&self) -> &str {
        MergeInput::format(&self.tables)
    }

    fn variant(&self) -> Option<&str> {
        MergeInput::variant(&self.tables)
    }

    fn cells(&self) -> &[IndicatorCell] {
        MergeInput::cells(&self.tables)
    }

    fn cell(&self, id: &str) -> Option<&IndicatorCell> {
        self.tables.cell(id)
    }

    fn line(&self, cell: &IndicatorCell) -> usize {
        self.tables.line(cell)
    }

    fn place(&self, cell: &IndicatorCell) -> Message {
        self.tables.place(cell)
    }
}

impl PreviousYear for YearSnapshot {
    fn issuer(&self) -> Option<&str> {
        self.tables.issuer.as_deref()
    }

    fn year(&self) -> Option<i32> {
        self.tables.year
    }
}

impl CurrentYear for YearSnapshot {
    fn title_span(&self) -> Option<Span> {
        self.title
    }
}

impl PreviousYear for TablesSnapshot {
    fn issuer(&self) -> Option<&str> {
        self.issuer.as_deref()
    }

    fn year(&self) -> Option<i32> {
        self.year
    }
}
