//! The logical view of a report: paragraphs and tables after the named repairs.
//!
//! The syntax tree keeps every byte as written; this view is what the model reads.
//! A paragraph split by a page break is one [`Para`] here, a table split across
//! pages is one [`Table`], markup is gone and entities are decoded. Every piece
//! of logical text still knows the original bytes it came from.

use std::ops::Range;

use serde::Serialize;

use crate::span::Span;

/// Where a run of logical text came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Piece {
    /// Byte range in [`Para::text`].
    pub text: Range<usize>,
    /// The original bytes it came from.
    pub span: Span,
    /// True when the logical text is the source text unchanged (so an offset
    /// inside the piece maps to the same character of the source).
    pub verbatim: bool,
}

/// What kind of paragraph this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParaKind {
    /// Running text.
    Text,
    /// An ATX heading; the level is the count of `#` (it says nothing of the outline).
    Heading(u8),
}

/// A logical paragraph.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Para {
    /// Text or heading.
    pub kind: ParaKind,
    /// The text as a reader reads it: markup removed, page breaks and wraps joined.
    pub text: String,
    /// Where each run of `text` came from, in order; they cover `text` exactly.
    pub pieces: Vec<Piece>,
    /// Byte ranges of `**bold**` runs in `text`.
    pub bold: Vec<Range<usize>>,
    /// The original bytes from the first piece to the last.
    pub span: Span,
}

impl Para {
    /// The original span of a byte range of [`Para::text`].
    ///
    /// Exact for verbatim pieces; a range inside a replaced piece (an entity)
    /// maps to the whole piece.
    pub fn span_of(&self, range: Range<usize>) -> Span {
        let start = self.locate(range.start, false);
        let end = self.locate(range.end, true);
        Span::new(start, end.max(start))
    }

    fn locate(&self, offset: usize, is_end: bool) -> usize {
        let idx = self
            .pieces
            .partition_point(|p| if is_end { p.text.end < offset } else { p.text.end <= offset });
        let Some(piece) = self.pieces.get(idx).or(self.pieces.last()) else {
            return self.span.start;
        };
        if offset <= piece.text.start {
            return piece.span.start;
        }
        if offset >= piece.text.end {
            return piece.span.end;
        }
        if piece.verbatim && piece.span.len() == piece.text.len() {
            piece.span.start + (offset - piece.text.start)
        } else if is_end {
            piece.span.end
        } else {
            piece.span.start
        }
    }
}

/// How a table was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TableKind {
    /// A GFM pipe table.
    Pipe,
    /// An HTML `<table>`.
    Html,
    /// Columns of a plain-text rendering.
    Text,
}

/// One cell as written, with the grid area it covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// Top row of the cell in the grid.
    pub row: usize,
    /// Left column of the cell in the grid.
    pub col: usize,
    /// Rows covered (`rowspan`).
    pub row_span: usize,
    /// Columns covered (`colspan`).
    pub col_span: usize,
    /// The cell's text, markup removed; `<br>` becomes `\n`.
    pub text: String,
    /// The original bytes of the cell's content (or of the whole cell when empty).
    pub span: Span,
}

/// A logical table: one grid, possibly from several pieces split across pages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Table {
    /// How it was written.
    pub kind: TableKind,
    /// The original bytes of each part (one per page for a split table).
    pub parts: Vec<Span>,
    /// Cells as written.
    pub cells: Vec<Cell>,
    /// The expanded grid: `grid[row][col]` is the index in `cells` of the cell covering it.
    pub grid: Vec<Vec<Option<usize>>>,
}

impl Table {
    /// The span from the first part to the last.
    pub fn span(&self) -> Span {
        let start = self.parts.first().map_or(0, |s| s.start);
        let end = self.parts.last().map_or(start, |s| s.end);
        Span::new(start, end)
    }

    /// The cell covering grid position (`row`, `col`).
    pub fn cell_at(&self, row: usize, col: usize) -> Option<&Cell> {
        let idx = (*self.grid.get(row)?.get(col)?)?;
        self.cells.get(idx)
    }

    /// Number of grid rows.
    pub fn row_count(&self) -> usize {
        self.grid.len()
    }
}

/// A block of the logical document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Block {
    /// A paragraph or heading.
    Para(Para),
    /// A table.
    Table(Table),
}
