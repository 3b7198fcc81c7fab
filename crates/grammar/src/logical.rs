//! The logical view of a report: paragraphs and tables after the named repairs.
//!
//! The syntax tree keeps every byte as written; this view is what the model reads.
//! A paragraph split by a page break is one [`Para`] here, a table split across
//! pages is one [`Table`], markup is gone and entities are decoded. Every piece
//! of logical text still knows the original bytes it came from.

use std::ops::Range;

use std::sync::Arc;

use serde::Serialize;

use crate::decode::OffsetMap;

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
    /// The same bytes in the decoded text (differs from `span` for GB18030 input).
    #[serde(skip)]
    pub(crate) decoded: Range<usize>,
}

/// The decoded-to-original offset map shared by the paragraphs of one parse.
#[derive(Clone, Default)]
pub(crate) struct SharedMap(Option<Arc<OffsetMap>>);

impl PartialEq for SharedMap {
    fn eq(&self, _: &Self) -> bool {
        // The map is a property of the input, not of the paragraph's content.
        true
    }
}

impl Eq for SharedMap {}

impl std::fmt::Debug for SharedMap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedMap")
    }
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
    #[serde(skip)]
    map: SharedMap,
}

impl Para {
    pub(crate) fn new(
        kind: ParaKind,
        mut text: String,
        mut pieces: Vec<Piece>,
        mut bold: Vec<Range<usize>>,
        span: Span,
    ) -> Self {
        // Millions of short paragraphs: no spare capacity kept in each.
        text.shrink_to_fit();
        pieces.shrink_to_fit();
        bold.shrink_to_fit();
        Para {
            kind,
            text,
            pieces,
            bold,
            span,
            map: SharedMap::default(),
        }
    }

    /// Gives back the spare room of a paragraph that grew (joined halves).
    pub(crate) fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.pieces.shrink_to_fit();
        self.bold.shrink_to_fit();
    }

    pub(crate) fn set_map(&mut self, map: Arc<OffsetMap>) {
        self.map = SharedMap(Some(map));
    }

    /// The part of this paragraph covering `range` of its text (a repair splitting
    /// a paragraph), with pieces and bold runs cut to the range.
    pub(crate) fn slice(&self, range: Range<usize>) -> Para {
        let text = self.text[range.clone()].to_string();
        let mut pieces = Vec::new();
        for p in &self.pieces {
            let start = p.text.start.max(range.start);
            let end = p.text.end.min(range.end);
            if start >= end {
                continue;
            }
            let (span, decoded) = if p.verbatim && p.decoded.len() == p.text.len() {
                let d = p.decoded.start + (start - p.text.start)
                    ..p.decoded.start + (end - p.text.start);
                let s = Span::new(self.span_of(start..start).start, self.span_of(end..end).end);
                (s, d)
            } else {
                (p.span, p.decoded.clone())
            };
            pieces.push(Piece {
                text: start - range.start..end - range.start,
                span,
                verbatim: p.verbatim,
                decoded,
            });
        }
        let bold = self
            .bold
            .iter()
            .filter(|b| b.start < range.end && b.end > range.start)
            .map(|b| b.start.max(range.start) - range.start..b.end.min(range.end) - range.start)
            .collect();
        let span = match (pieces.first(), pieces.last()) {
            (Some(f), Some(l)) => Span::new(f.span.start, l.span.end),
            _ => Span::new(self.span.start, self.span.start),
        };
        Para {
            kind: self.kind,
            text,
            pieces,
            bold,
            span,
            map: self.map.clone(),
        }
    }

    /// Appends `other` to this paragraph (a repair joining two halves), with
    /// `separator` between them when it is not empty.
    pub(crate) fn append(&mut self, separator: &str, other: Para) {
        let base = self.text.len() + separator.len();
        if !separator.is_empty() {
            let at = self.span.end;
            let start = self.text.len();
            self.text.push_str(separator);
            self.pieces.push(Piece {
                text: start..self.text.len(),
                span: Span::new(at, at),
                verbatim: false,
                decoded: at..at,
            });
        }
        self.text.push_str(&other.text);
        self.pieces.extend(other.pieces.into_iter().map(|mut p| {
            p.text = p.text.start + base..p.text.end + base;
            p
        }));
        self.bold
            .extend(other.bold.into_iter().map(|r| r.start + base..r.end + base));
        if other.span != Span::default() {
            self.span = if self.span == Span::default() {
                other.span
            } else {
                self.span.cover(other.span)
            };
        }
    }
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
        let idx = self.pieces.partition_point(|p| {
            if is_end {
                p.text.end < offset
            } else {
                p.text.end <= offset
            }
        });
        let Some(piece) = self.pieces.get(idx).or(self.pieces.last()) else {
            return self.span.start;
        };
        if offset <= piece.text.start {
            return piece.span.start;
        }
        if offset >= piece.text.end {
            return piece.span.end;
        }
        if piece.verbatim && piece.decoded.len() == piece.text.len() {
            let decoded = piece.decoded.start + (offset - piece.text.start);
            match &self.map.0 {
                Some(map) => map.to_original(decoded),
                None => decoded,
            }
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
    /// A paragraph or heading (boxed: a report of a million short paragraphs holds
    /// one allocation per paragraph, moved from the scanner, not copied).
    Para(Box<Para>),
    /// A table.
    Table(Box<Table>),
}

/// The normalized view used for matching labels and phrases: full-width ASCII
/// forms folded to half width (`（一）` → `(一)`, `４３` → `43`, `：` → `:`),
/// curly quotes to straight ones, and all whitespace removed
/// (`2017 年` → `2017年`). The source text is never changed; this is a view.
///
/// ```
/// assert_eq!(nianbao_grammar::logical::normalize("（一） 收到申请数：４３"), "(一)收到申请数:43");
/// ```
pub fn normalize(text: &str) -> String {
    text.chars().filter_map(normalize_char).collect()
}

/// One character of the [`normalize`]d view: `None` for whitespace.
pub fn normalize_char(c: char) -> Option<char> {
    if c.is_whitespace() {
        return None;
    }
    Some(match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '“' | '”' => '"',
        '‘' | '’' => '\'',
        _ => c,
    })
}
