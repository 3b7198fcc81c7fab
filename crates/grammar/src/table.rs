//! Logical tables, packed: a table of a million rows, or a report of a million
//! small tables, costs a few bytes per cell.
//!
//! A [`Table`] keeps its cells as one run of varint records (see [`crate::packed`]):
//! per cell the distance from the previous cell's bytes and their length in the
//! decoded text, and the cell's own text only when it is not those bytes as
//! written (a cell read as written — most of them — is a stretch of the input,
//! shared); a record of its own ends each row. A small table keeps the records
//! inline (no allocation beyond the block list); a large one on the heap, with
//! the position of every 16th cell and the first cell of each row, so a cell is
//! found with at most 16 records decoded. A table whose rows just put their
//! cells side by side (every pipe or plain-text table, and HTML tables without
//! `rowspan` or `colspan`) has no grid stored: the grid is the rows. Only an HTML
//! table with spans keeps each cell's place and the expanded grid.
//!
//! Readers see [`Cell`] values (`table.cells()`, `table.cell(i)`,
//! `table.cell_at(row, col)`) and the grid through [`Table::row`].

use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

use crate::decode::OffsetMap;
use crate::packed::{self, Offsets};
use crate::span::Span;

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

/// One cell as written, with the grid area it covers (read from its [`Table`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Cell<'a> {
    /// Top row of the cell in the grid.
    pub row: usize,
    /// Left column of the cell in the grid.
    pub col: usize,
    /// Rows covered (`rowspan`).
    pub row_span: usize,
    /// Columns covered (`colspan`).
    pub col_span: usize,
    /// The cell's text, markup removed; `<br>` becomes `\n`.
    pub text: &'a str,
    /// The original bytes of the cell's content (or of the whole cell when empty).
    pub span: Span,
}

/// The original bytes of each part of a table: one part inline (most tables),
/// more on the heap (a table continued across pages). Reads as a `[Span]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parts {
    /// One part.
    One(Span),
    /// Several parts, in order.
    Many(Vec<Span>),
}

impl std::ops::Deref for Parts {
    type Target = [Span];

    fn deref(&self) -> &[Span] {
        match self {
            Parts::One(span) => std::slice::from_ref(span),
            Parts::Many(spans) => spans,
        }
    }
}

impl Parts {
    /// Every span mapped by `f`.
    pub(crate) fn map(&mut self, f: impl Fn(Span) -> Span) {
        match self {
            Parts::One(span) => *span = f(*span),
            Parts::Many(spans) => spans.iter_mut().for_each(|s| *s = f(*s)),
        }
    }

    fn extend(&mut self, more: &[Span]) {
        let mut all = self.to_vec();
        all.extend_from_slice(more);
        *self = Parts::Many(all);
    }
}

impl Serialize for Parts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

/// What the cells of the tables of one input are read from: the decoded text
/// (the texts read as written are stretches of it) and, once the parse has
/// mapped its offsets, the map to the original bytes.
#[derive(Debug)]
pub(crate) struct TableSource {
    text: Arc<String>,
    map: Option<Arc<OffsetMap>>,
}

impl TableSource {
    /// Cells read from `text`, their spans in its offsets.
    pub(crate) fn new(text: Arc<String>) -> Arc<Self> {
        Arc::new(TableSource { text, map: None })
    }

    /// The same text, spans mapped to the original bytes by `map`.
    pub(crate) fn mapped(&self, map: Arc<OffsetMap>) -> Arc<Self> {
        Arc::new(TableSource {
            text: self.text.clone(),
            map: Some(map),
        })
    }

    fn to_original(&self, decoded: usize) -> usize {
        self.map
            .as_ref()
            .map_or(decoded, |m| m.to_original(decoded))
    }
}

/// A logical table: one grid, possibly from several pieces split across pages.
#[derive(Clone, Debug)]
pub struct Table {
    /// How it was written.
    pub kind: TableKind,
    /// The original bytes of each part (one per page for a split table).
    pub parts: Parts,
    source: Option<Arc<TableSource>>,
    body: Body,
}

/// The records of a small table, in place.
const INLINE: usize = 22;

/// Cells between two stored positions of a large table.
const MARK: usize = 16;

#[derive(Clone, Debug)]
enum Body {
    /// A small table whose rows put their cells side by side: its records.
    Inline {
        len: u8,
        bytes: [u8; INLINE],
    },
    Heap(Box<Large>),
}

#[derive(Clone, Debug)]
struct Large {
    bytes: Vec<u8>,
    /// Before every `MARK`-th cell: where its record starts, and the decoded end
    /// of the cell before it.
    marks: Vec<(usize, usize)>,
    /// The index of each row's first cell, then the number of cells.
    row_starts: Offsets,
    cells: usize,
    grid: Grid,
}

#[derive(Clone, Debug)]
enum Grid {
    /// Each row's cells side by side from the first column: `rows` grid rows
    /// (HTML clamps them) of `width` columns.
    Rows { rows: usize, width: usize },
    /// Each cell's place and the expanded grid (HTML row and column spans).
    Spans(Box<Spans>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Spans {
    /// Per cell: row, column, rows covered, columns covered.
    pub(crate) places: Vec<[usize; 4]>,
    /// `grid[row][col]`: the cell covering it.
    pub(crate) grid: Vec<Vec<Option<usize>>>,
}

/// One decoded cell record.
struct Record<'a> {
    decoded: Range<usize>,
    /// Its own text; `None` when it is `decoded` of the source as written.
    own: Option<&'a str>,
}

/// Reads the records of a table in order.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    decoded_end: usize,
}

enum Item<'a> {
    Cell(Record<'a>),
    RowEnd,
}

impl<'a> Reader<'a> {
    fn next(&mut self) -> Option<Item<'a>> {
        if self.pos >= self.bytes.len() {
            return None;
        }
        let header = packed::get(self.bytes, &mut self.pos);
        if header == 0 {
            return Some(Item::RowEnd);
        }
        let len = (header >> 2) as usize;
        let start = packed::apply(self.decoded_end, packed::get(self.bytes, &mut self.pos));
        self.decoded_end = start + len;
        let own = if header & 2 != 0 {
            let n = packed::get(self.bytes, &mut self.pos) as usize;
            let from = self.pos.min(self.bytes.len());
            let to = from.saturating_add(n).min(self.bytes.len());
            self.pos = to;
            Some(std::str::from_utf8(&self.bytes[from..to]).unwrap_or(""))
        } else {
            None
        };
        Some(Item::Cell(Record {
            decoded: start..start + len,
            own,
        }))
    }

    /// The next cell record, skipping row ends.
    fn next_cell(&mut self) -> Option<Record<'a>> {
        loop {
            match self.next()? {
                Item::Cell(record) => return Some(record),
                Item::RowEnd => {}
            }
        }
    }
}

impl Table {
    /// An empty table of one part.
    pub(crate) fn empty(kind: TableKind, span: Span) -> Self {
        TableBuilder::new(None).finish(kind, span)
    }

    /// The span from the first part to the last.
    pub fn span(&self) -> Span {
        let start = self.parts.first().map_or(0, |s| s.start);
        let end = self.parts.last().map_or(start, |s| s.end);
        Span::new(start, end)
    }

    fn bytes(&self) -> &[u8] {
        match &self.body {
            Body::Inline { len, bytes } => &bytes[..usize::from(*len).min(INLINE)],
            Body::Heap(large) => &large.bytes,
        }
    }

    fn reader(&self) -> Reader<'_> {
        Reader {
            bytes: self.bytes(),
            pos: 0,
            decoded_end: 0,
        }
    }

    /// Number of cells.
    pub fn cell_count(&self) -> usize {
        match &self.body {
            Body::Inline { .. } => {
                let mut reader = self.reader();
                std::iter::from_fn(|| reader.next_cell()).count()
            }
            Body::Heap(large) => large.cells,
        }
    }

    /// Number of grid rows.
    pub fn row_count(&self) -> usize {
        match &self.body {
            Body::Inline { .. } => {
                let mut reader = self.reader();
                std::iter::from_fn(|| reader.next())
                    .filter(|item| matches!(item, Item::RowEnd))
                    .count()
            }
            Body::Heap(large) => match &large.grid {
                Grid::Rows { rows, .. } => *rows,
                Grid::Spans(spans) => spans.grid.len(),
            },
        }
    }

    /// Number of grid columns (0 when the grid has no row).
    pub fn width(&self) -> usize {
        match &self.body {
            Body::Inline { .. } => {
                let (mut width, mut in_row) = (0, 0);
                let mut reader = self.reader();
                while let Some(item) = reader.next() {
                    match item {
                        Item::Cell(_) => in_row += 1,
                        Item::RowEnd => {
                            width = width.max(in_row);
                            in_row = 0;
                        }
                    }
                }
                width
            }
            Body::Heap(large) => match &large.grid {
                Grid::Rows { rows: 0, .. } => 0,
                Grid::Rows { width, .. } => *width,
                Grid::Spans(spans) => spans.grid.first().map_or(0, Vec::len),
            },
        }
    }

    /// The cells in order.
    pub fn cells(&self) -> impl Iterator<Item = Cell<'_>> + '_ {
        let mut reader = self.reader();
        let (mut index, mut row, mut col) = (0usize, 0usize, 0usize);
        std::iter::from_fn(move || loop {
            match reader.next()? {
                Item::RowEnd => {
                    row += 1;
                    col = 0;
                }
                Item::Cell(record) => {
                    let cell = self.cell_of(index, record, row, col);
                    index += 1;
                    col += 1;
                    return Some(cell);
                }
            }
        })
    }

    /// Cell `index` (in the order of [`Table::cells`]).
    pub fn cell(&self, index: usize) -> Option<Cell<'_>> {
        match &self.body {
            Body::Inline { .. } => self.cells().nth(index),
            Body::Heap(large) => {
                if index >= large.cells {
                    return None;
                }
                let (byte, decoded_end) = (index / MARK)
                    .checked_sub(1)
                    .and_then(|k| large.marks.get(k))
                    .copied()
                    .unwrap_or((0, 0));
                let mut reader = Reader {
                    bytes: &large.bytes,
                    pos: byte,
                    decoded_end,
                };
                let mut record = reader.next_cell()?;
                for _ in (index / MARK) * MARK..index {
                    record = reader.next_cell()?;
                }
                let row = large.row_starts.count_up_to(index).saturating_sub(1);
                let col = index - large.row_starts.get(row).unwrap_or(0);
                Some(self.cell_of(index, record, row, col))
            }
        }
    }

    /// The cell covering grid position (`row`, `col`).
    pub fn cell_at(&self, row: usize, col: usize) -> Option<Cell<'_>> {
        self.cell(self.slot(row, col)?)
    }

    /// The grid row `row`: for each column, the index of the cell covering it.
    /// Empty past the last row.
    pub fn row(&self, row: usize) -> impl Iterator<Item = Option<usize>> + '_ {
        let width = if row < self.row_count() {
            self.width()
        } else {
            0
        };
        let span_row = match &self.body {
            Body::Heap(large) => match &large.grid {
                Grid::Spans(spans) => spans.grid.get(row),
                Grid::Rows { .. } => None,
            },
            Body::Inline { .. } => None,
        };
        let simple = self.simple_row(row);
        (0..width).map(move |col| match span_row {
            Some(cells) => cells.get(col).copied().flatten(),
            None => simple
                .clone()
                .and_then(|cells| (col < cells.len()).then(|| cells.start + col)),
        })
    }

    /// The index of the cell at (`row`, `col`).
    fn slot(&self, row: usize, col: usize) -> Option<usize> {
        if let Body::Heap(large) = &self.body {
            if let Grid::Spans(spans) = &large.grid {
                return *spans.grid.get(row)?.get(col)?;
            }
        }
        if row >= self.row_count() || col >= self.width() {
            return None;
        }
        let cells = self.simple_row(row)?;
        (col < cells.len()).then(|| cells.start + col)
    }

    /// The cells of `row` of a table without spans.
    fn simple_row(&self, row: usize) -> Option<Range<usize>> {
        match &self.body {
            Body::Inline { .. } => {
                let (mut r, mut index, mut start) = (0, 0, 0);
                let mut reader = self.reader();
                while let Some(item) = reader.next() {
                    match item {
                        Item::Cell(_) => index += 1,
                        Item::RowEnd => {
                            if r == row {
                                return Some(start..index);
                            }
                            r += 1;
                            start = index;
                        }
                    }
                }
                None
            }
            Body::Heap(large) => {
                let start = large.row_starts.get(row)?;
                let end = large.row_starts.get(row + 1)?;
                Some(start..end)
            }
        }
    }

    fn cell_of<'a>(&'a self, index: usize, record: Record<'a>, row: usize, col: usize) -> Cell<'a> {
        let text = match record.own {
            Some(own) => own,
            None => self
                .source
                .as_ref()
                .and_then(|s| s.text.get(record.decoded.clone()))
                .unwrap_or(""),
        };
        let span = match &self.source {
            Some(source) => {
                let start = source.to_original(record.decoded.start);
                Span::new(start, source.to_original(record.decoded.end).max(start))
            }
            None => Span::new(record.decoded.start, record.decoded.end),
        };
        let [row, col, row_span, col_span] = match &self.body {
            Body::Heap(large) => match &large.grid {
                Grid::Spans(spans) => spans.places.get(index).copied().unwrap_or([row, col, 1, 1]),
                Grid::Rows { .. } => [row, col, 1, 1],
            },
            Body::Inline { .. } => [row, col, 1, 1],
        };
        Cell {
            row,
            col,
            row_span,
            col_span,
            text,
            span,
        }
    }

    /// Reads spans through `source` from now on (the parse mapped its offsets).
    pub(crate) fn set_source(&mut self, source: &Arc<TableSource>) {
        self.source = Some(source.clone());
    }

    /// The cells' places and the expanded grid, as an HTML table with spans keeps them.
    pub(crate) fn spans(&self) -> Spans {
        if let Body::Heap(large) = &self.body {
            if let Grid::Spans(spans) = &large.grid {
                return (**spans).clone();
            }
        }
        let places = self
            .cells()
            .map(|c| [c.row, c.col, c.row_span, c.col_span])
            .collect();
        let grid = (0..self.row_count())
            .map(|r| self.row(r).collect())
            .collect();
        Spans { places, grid }
    }

    /// True when the table keeps no grid of its own: every row puts its cells
    /// side by side and every row of cells is a grid row.
    fn is_rows(&self) -> bool {
        match &self.body {
            Body::Inline { .. } => true,
            Body::Heap(large) => match &large.grid {
                Grid::Rows { rows, .. } => *rows + 1 == large.row_starts.len(),
                Grid::Spans(_) => false,
            },
        }
    }

    /// Appends the rows of `next` from `first_row` on (a table continued on the next
    /// page): their cells after this table's, the grid's rows after its rows, as wide
    /// as the wider of the two.
    pub(crate) fn append_rows(&mut self, next: &Table, first_row: usize) {
        let mut builder = TableBuilder::new(self.source.clone());
        if self.is_rows() && next.is_rows() {
            // As wide as the wider grid, the rows left out counted too.
            let width = self.width().max(next.width());
            builder.copy_rows(self, 0);
            builder.copy_rows(next, first_row);
            let rows = builder.row_starts.len() - 1;
            let parts = std::mem::replace(&mut self.parts, Parts::One(Span::default()));
            *self = builder.finish_rows(self.kind, Span::default(), rows, width);
            self.parts = parts;
            self.parts.extend(&next.parts);
            return;
        }
        // Spans: the grid's rows are copied as they are, the cells of `next` placed
        // after this table's grid rows.
        let mut spans = self.spans();
        let theirs = next.spans();
        let row_offset = spans.grid.len();
        let width = spans
            .grid
            .first()
            .map_or(0, Vec::len)
            .max(theirs.grid.first().map_or(0, Vec::len));
        for row in &mut spans.grid {
            row.resize(width, None);
        }
        for cell in self.cells() {
            builder.push_text(cell_text_source(self, &cell), cell.text);
        }
        let mut index_map = vec![None; theirs.places.len()];
        for (i, cell) in next.cells().enumerate() {
            let Some(&[row, col, row_span, col_span]) = theirs.places.get(i) else {
                continue;
            };
            if row < first_row {
                continue;
            }
            index_map[i] = Some(spans.places.len());
            spans
                .places
                .push([row - first_row + row_offset, col, row_span, col_span]);
            builder.push_text(cell_text_source(next, &cell), cell.text);
        }
        for row in theirs.grid.iter().skip(first_row) {
            let mut new_row: Vec<Option<usize>> = row
                .iter()
                .map(|c| c.and_then(|i| index_map.get(i).copied().flatten()))
                .collect();
            new_row.resize(width, None);
            spans.grid.push(new_row);
        }
        let parts = std::mem::replace(&mut self.parts, Parts::One(Span::default()));
        *self = builder.finish_with_spans(self.kind, spans);
        self.parts = parts;
        self.parts.extend(&next.parts);
    }

    /// Gives back spare room.
    pub(crate) fn shrink_to_fit(&mut self) {
        if let Body::Heap(large) = &mut self.body {
            large.bytes.shrink_to_fit();
            large.marks.shrink_to_fit();
            large.row_starts.shrink_to_fit();
        }
    }
}

/// The decoded bytes a cell was read from (its span in the decoded text).
fn cell_text_source(table: &Table, cell: &Cell<'_>) -> Range<usize> {
    // Cells are copied only before offsets are mapped: spans are still decoded.
    debug_assert!(table.source.as_ref().is_none_or(|s| s.map.is_none()));
    cell.span.start..cell.span.end
}

impl PartialEq for Table {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
            && self.parts == other.parts
            && self.cells().eq(other.cells())
            && self.row_count() == other.row_count()
            && (0..self.row_count()).all(|r| self.row(r).eq(other.row(r)))
    }
}

impl Eq for Table {}

impl Serialize for Table {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Table", 4)?;
        s.serialize_field("kind", &self.kind)?;
        s.serialize_field("parts", &self.parts)?;
        s.serialize_field("cells", &self.cells().collect::<Vec<_>>())?;
        let grid: Vec<Vec<Option<usize>>> = (0..self.row_count())
            .map(|r| self.row(r).collect())
            .collect();
        s.serialize_field("grid", &grid)?;
        s.end()
    }
}

/// Builds a [`Table`] row by row.
pub(crate) struct TableBuilder {
    source: Option<Arc<TableSource>>,
    bytes: Vec<u8>,
    marks: Vec<(usize, usize)>,
    row_starts: Offsets,
    cells: usize,
    in_row: usize,
    width: usize,
    decoded_end: usize,
}

impl TableBuilder {
    /// Cells whose text is read as written share `source`.
    pub(crate) fn new(source: Option<Arc<TableSource>>) -> Self {
        let mut row_starts = Offsets::default();
        row_starts.push(0);
        TableBuilder {
            source,
            bytes: Vec::new(),
            marks: Vec::new(),
            row_starts,
            cells: 0,
            in_row: 0,
            width: 0,
            decoded_end: 0,
        }
    }

    /// A cell of the current row: its text, read from `decoded` of the decoded text.
    pub(crate) fn push(&mut self, text: &str, decoded: Range<usize>) {
        self.push_text(decoded, text);
        self.in_row += 1;
        self.width = self.width.max(self.in_row);
    }

    /// A cell's record (no row bookkeeping).
    fn push_text(&mut self, decoded: Range<usize>, text: &str) {
        if self.cells > 0 && self.cells % MARK == 0 {
            self.marks.push((self.bytes.len(), self.decoded_end));
        }
        let decoded = decoded.start..decoded.end.max(decoded.start);
        let as_written = self
            .source
            .as_ref()
            .is_some_and(|s| s.text.get(decoded.clone()) == Some(text));
        let header = ((decoded.len() as u64) << 2) | if as_written { 1 } else { 3 };
        packed::put(&mut self.bytes, header);
        packed::put(
            &mut self.bytes,
            packed::delta(decoded.start, self.decoded_end),
        );
        if !as_written {
            packed::put(&mut self.bytes, text.len() as u64);
            self.bytes.extend_from_slice(text.as_bytes());
        }
        self.decoded_end = decoded.end;
        self.cells += 1;
    }

    /// The widest row so far.
    pub(crate) fn width(&self) -> usize {
        self.width
    }

    /// The row of each cell pushed so far.
    pub(crate) fn cell_rows(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.cells).map(|i| self.row_starts.count_up_to(i).saturating_sub(1))
    }

    /// Ends the current row.
    pub(crate) fn end_row(&mut self) {
        packed::put(&mut self.bytes, 0);
        self.row_starts.push(self.cells);
        self.in_row = 0;
    }

    /// Rows `first_row..` of `table`, cells and row ends, as they are.
    fn copy_rows(&mut self, table: &Table, first_row: usize) {
        let mut row = 0;
        let mut reader = table.reader();
        while let Some(item) = reader.next() {
            match item {
                Item::RowEnd => {
                    if row >= first_row {
                        self.end_row();
                    }
                    row += 1;
                }
                Item::Cell(record) if row >= first_row => {
                    let text = match record.own {
                        Some(own) => own,
                        None => table
                            .source
                            .as_ref()
                            .and_then(|s| s.text.get(record.decoded.clone()))
                            .unwrap_or(""),
                    };
                    self.push(text, record.decoded);
                }
                Item::Cell(_) => {}
            }
        }
    }

    /// The table of the rows pushed, one part `span`: every row a grid row, as wide
    /// as the widest.
    pub(crate) fn finish(self, kind: TableKind, span: Span) -> Table {
        let rows = self.row_starts.len() - 1;
        let width = self.width;
        self.finish_rows(kind, span, rows, width)
    }

    /// [`TableBuilder::finish`] with the grid clamped to `rows` rows of `width`
    /// columns (an HTML table's limits).
    pub(crate) fn finish_rows(
        self,
        kind: TableKind,
        span: Span,
        rows: usize,
        width: usize,
    ) -> Table {
        // A grid of every row, as wide as the widest (the inline form knows no other).
        let unclamped = rows + 1 == self.row_starts.len() && width == self.width;
        if unclamped && self.bytes.len() <= INLINE {
            let mut bytes = [0u8; INLINE];
            bytes[..self.bytes.len()].copy_from_slice(&self.bytes);
            return Table {
                kind,
                parts: Parts::One(span),
                source: self.source,
                body: Body::Inline {
                    len: self.bytes.len() as u8,
                    bytes,
                },
            };
        }
        self.heap(kind, span, Grid::Rows { rows, width })
    }

    /// The table of the cells pushed, placed as `spans` says.
    pub(crate) fn finish_with_spans(self, kind: TableKind, spans: Spans) -> Table {
        self.heap(kind, Span::default(), Grid::Spans(Box::new(spans)))
    }

    fn heap(mut self, kind: TableKind, span: Span, grid: Grid) -> Table {
        self.bytes.shrink_to_fit();
        self.marks.shrink_to_fit();
        self.row_starts.shrink_to_fit();
        Table {
            kind,
            parts: Parts::One(span),
            source: self.source,
            body: Body::Heap(Box::new(Large {
                bytes: self.bytes,
                marks: self.marks,
                row_starts: self.row_starts,
                cells: self.cells,
                grid,
            })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Option<Arc<TableSource>> {
        Some(TableSource::new(Arc::new(text.to_string())))
    }

    #[test]
    fn a_small_table_is_inline_and_reads_back() {
        let text = "规章\t0\n规章\t\n";
        let mut b = TableBuilder::new(source(text));
        b.push("规章", 0..6);
        b.push("0", 7..8);
        b.end_row();
        b.push("规章", 9..15);
        b.push("", 16..16);
        b.end_row();
        let t = b.finish(TableKind::Text, Span::new(0, text.len()));
        assert!(matches!(t.body, Body::Inline { .. }));
        let cells: Vec<(usize, usize, &str, Span)> =
            t.cells().map(|c| (c.row, c.col, c.text, c.span)).collect();
        assert_eq!(
            cells,
            vec![
                (0, 0, "规章", Span::new(0, 6)),
                (0, 1, "0", Span::new(7, 8)),
                (1, 0, "规章", Span::new(9, 15)),
                (1, 1, "", Span::new(16, 16)),
            ]
        );
        assert_eq!((t.row_count(), t.width(), t.cell_count()), (2, 2, 4));
        assert_eq!(t.cell_at(1, 0).map(|c| c.text), Some("规章"));
        assert_eq!(t.row(1).collect::<Vec<_>>(), vec![Some(2), Some(3)]);
    }

    #[test]
    fn a_large_table_finds_every_cell_like_a_list() {
        let mut text = String::new();
        let mut b = TableBuilder::new(source(""));
        let mut expected = Vec::new();
        for r in 0..200usize {
            for c in 0..(r % 4) {
                let own = format!("格{r}-{c}");
                let at = text.len();
                text.push_str("x ");
                // Every third cell's text is not what the bytes say: its own.
                let shown = if c % 3 == 0 {
                    own.clone()
                } else {
                    String::new()
                };
                b.push(&shown, at..at + 1);
                expected.push((r, c, shown, Span::new(at, at + 1)));
            }
            b.end_row();
        }
        let t = b.finish(TableKind::Text, Span::new(0, text.len()));
        assert!(matches!(t.body, Body::Heap(_)));
        let all: Vec<(usize, usize, String, Span)> = t
            .cells()
            .map(|c| (c.row, c.col, c.text.to_string(), c.span))
            .collect();
        assert_eq!(all, expected);
        for (i, e) in expected.iter().enumerate() {
            let c = t.cell(i).expect("cell");
            assert_eq!((c.row, c.col, c.text.to_string(), c.span), e.clone());
        }
        assert_eq!(t.cell(expected.len()), None);
        assert_eq!((t.row_count(), t.width()), (200, 3));
        assert_eq!(t.row(5).collect::<Vec<_>>().len(), 3);
        assert_eq!(t.row(0).flatten().count(), 0);
    }

    #[test]
    fn appended_rows_follow_and_widen_the_grid() {
        let text = "a b c d e";
        let mut b = TableBuilder::new(source(text));
        b.push("a", 0..1);
        b.end_row();
        let mut t = b.finish(TableKind::Pipe, Span::new(0, 1));
        let mut b = TableBuilder::new(source(text));
        b.push("", 2..3);
        b.end_row();
        b.push("c", 4..5);
        b.push("d", 6..7);
        b.end_row();
        let next = b.finish(TableKind::Pipe, Span::new(2, 7));
        t.append_rows(&next, 1);
        let texts: Vec<&str> = t.cells().map(|c| c.text).collect();
        assert_eq!(texts, vec!["a", "c", "d"]);
        assert_eq!((t.row_count(), t.width()), (2, 2));
        assert_eq!(t.row(0).collect::<Vec<_>>(), vec![Some(0), None]);
        assert_eq!(&*t.parts, &[Span::new(0, 1), Span::new(2, 7)]);
    }
}
