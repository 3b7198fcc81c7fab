//! Tables: a `<table>` read as rows and cells.
//!
//! `parse_html_table` (and every table of a page) builds `HtmlTable > Row >
//! Cell > leaves`, rows and cells implied where the markup leaves them out,
//! each node handed out as it is made, and hands the cells to `grid` to lay
//! them out. Tables inside a cell are part of
//! that cell's content. Cell text: tags removed, references decoded, `<br>` a
//! line break (`\n`), a block edge (`<p>…</p><p>…</p>`) one line break, source
//! white space collapsed, trimmed.

use crate::logical::{Table, TableKind};
use crate::span::Span;
use crate::table::TableBuilder;
use crate::tree::{Node, NodeKind};

use super::grid::{clamped, layout};
use super::lex::{Kind, Tok};
use super::tags::{is_block, is_table_structure, Tag};
use super::text::{text_into, TextBuilder};
use super::{Ctx, Streamed};

/// The cell being read.
struct CellAcc {
    /// Where its start tag starts.
    start: usize,
    tb: TextBuilder,
    content_start: usize,
    col_span: u32,
    row_span: u32,
    /// Its place in [`TableAcc::ends`] (planning).
    slot: usize,
}

/// The table being read. Its nodes go out as they are made (`HtmlTable`, each
/// `Row` and `Cell` opened, their leaves one by one): a table nested in a cell,
/// a million deep, is never a list of leaves. A node's span is told when it
/// opens, so the table is read twice: first to plan (where each row and cell
/// ends, nothing made), then to make its nodes and cells.
struct TableAcc<'e> {
    /// Reading to plan: nothing goes out, the ends are written.
    planning: bool,
    /// Where each row and cell ends, in the order they open: written when
    /// planning, read when making.
    ends: Vec<u32>,
    /// The next of `ends` to read.
    next_end: usize,
    /// Where the last leaf ends: the end of a row or cell when it closes.
    last_end: usize,
    /// The open row, with its place in `ends`.
    row: Option<usize>,
    cell: Option<CellAcc>,
    rows: usize,
    /// The cells read, row by row.
    cells: TableBuilder,
    /// Per cell, its row and its `colspan` and `rowspan` as written — kept only
    /// from the first cell that spans more than one place on (a table without
    /// spans lays its cells out side by side).
    spans: Option<Vec<(usize, u32, u32)>>,
    emit: &'e mut dyn FnMut(Streamed),
    /// The leaves of one text token, on their way out.
    leaves: Vec<Node>,
    /// The text buffer of the last cell, for the next one.
    spare: String,
}

impl TableAcc<'_> {
    /// A leaf of the innermost open cell, row or the table.
    fn push(&mut self, node: Node) {
        self.last_end = node.span.end;
        if !self.planning {
            (self.emit)(Streamed::Node(node));
        }
    }

    /// The leaves of the text token `t`, with its text for the open cell.
    fn text(&mut self, ctx: &Ctx, t: &Tok) {
        if self.planning {
            // Its leaves tile it.
            self.last_end = t.end();
            return;
        }
        let mut leaves = std::mem::take(&mut self.leaves);
        let tb = self.cell.as_mut().map(|c| &mut c.tb);
        text_into(ctx.text, t.start(), t.end(), &mut leaves, tb, false);
        for leaf in leaves.drain(..) {
            self.push(leaf);
        }
        self.leaves = leaves;
    }

    /// Adds a node to the table itself, closing any open row.
    fn push_table_level(&mut self, node: Node) {
        self.close_row();
        self.push(node);
    }

    fn brk(&mut self, hard: bool, span: Span) {
        if let Some(cell) = &mut self.cell {
            cell.tb.brk(hard, span);
        }
    }

    /// Opens a row or cell starting at `start`; returns its place in `ends`.
    fn open(&mut self, kind: NodeKind, start: usize) -> usize {
        let slot = if self.planning {
            self.ends.push(0);
            self.ends.len() - 1
        } else {
            self.next_end += 1;
            self.next_end - 1
        };
        if !self.planning {
            let end = self.ends.get(slot).map_or(start, |&e| e as usize);
            (self.emit)(Streamed::Open(kind, Span::new(start, end.max(start))));
        }
        slot
    }

    /// Closes the row or cell at `slot` of `ends`, after its last leaf.
    fn close(&mut self, slot: usize) {
        if self.planning {
            if let Some(end) = self.ends.get_mut(slot) {
                // The HTML reader takes texts of at most `MAX_LEN` bytes.
                *end = u32::try_from(self.last_end).unwrap_or(u32::MAX);
            }
        } else {
            (self.emit)(Streamed::Close);
        }
    }

    /// A new grid row begins.
    fn next_row(&mut self) {
        if self.rows > 0 && !self.planning {
            self.cells.end_row();
        }
        self.rows += 1;
    }

    fn open_row(&mut self, start: usize) {
        self.close_row();
        self.row = Some(self.open(NodeKind::Row, start));
        self.next_row();
    }

    fn open_cell(&mut self, tag: &Tok) {
        self.close_cell(None);
        if self.row.is_none() {
            self.row = Some(self.open(NodeKind::Row, tag.start()));
            self.next_row();
        }
        let slot = self.open(NodeKind::Cell, tag.start());
        self.cell = Some(CellAcc {
            start: tag.start(),
            tb: TextBuilder::with_buffer(false, std::mem::take(&mut self.spare)),
            content_start: tag.end(),
            col_span: u32::from(tag.col_span()),
            row_span: u32::from(tag.row_span()),
            slot,
        });
        self.push(tag.leaf());
    }

    /// Closes the open cell; its content ends at `content_end` (its end tag) or
    /// with its last leaf.
    fn close_cell(&mut self, content_end: Option<usize>) {
        let Some(cell) = self.cell.take() else {
            return;
        };
        self.close(cell.slot);
        if self.planning {
            self.spare = cell.tb.into_buffer();
            return;
        }
        let node_span = Span::new(cell.start, self.last_end.max(cell.start));
        let end = content_end.unwrap_or(node_span.end);
        let span = if end > cell.content_start {
            Span::new(cell.content_start, end)
        } else {
            node_span
        };
        let text = cell.tb.trimmed();
        let spans_one = cell.col_span <= 1 && cell.row_span == 1;
        if self.spans.is_none() && !spans_one {
            // The first cell with spans: the cells before it span one place each.
            self.spans = Some(self.cells.cell_rows().map(|r| (r, 1, 1)).collect());
        }
        if let Some(spans) = &mut self.spans {
            spans.push((self.rows.saturating_sub(1), cell.col_span, cell.row_span));
        }
        self.cells.push(text, span.start..span.end);
        self.spare = cell.tb.into_buffer();
    }

    fn close_row(&mut self) {
        self.close_cell(None);
        if let Some(slot) = self.row.take() {
            self.close(slot);
        }
    }
}

impl<'e> TableAcc<'e> {
    fn new(ctx: &Ctx, planning: bool, ends: Vec<u32>, emit: &'e mut dyn FnMut(Streamed)) -> Self {
        TableAcc {
            planning,
            ends,
            next_end: 0,
            last_end: 0,
            row: None,
            cell: None,
            rows: 0,
            cells: TableBuilder::new(ctx.tables.cloned()),
            spans: None,
            emit,
            leaves: Vec::new(),
            spare: String::new(),
        }
    }
}

/// Builds the table of tokens `lo..hi` (`toks[lo]` is normally its `<table>`):
/// its `HtmlTable` node goes to `emit` as it is made (see [`TableAcc`]).
pub(super) fn build_table(
    ctx: &Ctx,
    lo: usize,
    hi: usize,
    emit: &mut dyn FnMut(Streamed),
) -> Table {
    let hi = hi.min(ctx.toks.len());
    // The leaves tile the tokens: the table's span is theirs.
    let span = ctx.span_of(lo, hi).unwrap_or_default();
    let mut ignore = |_: Streamed| {};
    let mut plan = TableAcc::new(ctx, true, Vec::new(), &mut ignore);
    read(ctx, lo, hi, &mut plan);
    let ends = plan.ends;
    emit(Streamed::Open(NodeKind::HtmlTable, span));
    let mut acc = TableAcc::new(ctx, false, ends, emit);
    read(ctx, lo, hi, &mut acc);
    (acc.emit)(Streamed::Close);
    if acc.rows > 0 {
        acc.cells.end_row();
    }
    match &acc.spans {
        Some(raw) => {
            let spans = layout(acc.rows, raw);
            let mut table = acc.cells.finish_with_spans(TableKind::Html, spans);
            table.parts = crate::logical::Parts::One(span);
            table
        }
        None => {
            let (rows, width) = clamped(acc.rows, acc.cells.width());
            acc.cells.finish_rows(TableKind::Html, span, rows, width)
        }
    }
}

/// Reads tokens `lo..hi` of a table into `acc`.
fn read(ctx: &Ctx, lo: usize, hi: usize, acc: &mut TableAcc) {
    let mut depth = 0usize;
    let mut cursor = ctx.toks.cursor();
    let mut i = lo;
    while i < hi {
        let Some(t) = cursor.get(i) else { break };
        let nested = depth >= 2;
        match t.kind {
            Kind::Text => acc.text(ctx, &t),
            Kind::Comment | Kind::Doctype | Kind::Raw => acc.push(t.leaf()),
            Kind::Start => {
                if t.tag == Tag::Table {
                    if depth == 0 {
                        acc.push_table_level(t.leaf());
                    } else {
                        acc.brk(false, t.span());
                        acc.push(t.leaf());
                    }
                    depth += 1;
                } else if !is_table_structure(t.tag) && ctx.is_chrome(i) {
                    let end = ctx.subtree_end(i, hi);
                    if let Some(span) = ctx.span_of(i, end) {
                        acc.push(Node::leaf(NodeKind::Raw, span));
                    }
                    i = end;
                    continue;
                } else if nested {
                    acc.push(t.leaf());
                    if t.tag == Tag::Br {
                        acc.brk(true, t.span());
                    } else if is_block(t.tag) {
                        acc.brk(false, t.span());
                    }
                } else {
                    match t.tag {
                        Tag::Tr => {
                            acc.open_row(t.start());
                            acc.push(t.leaf());
                        }
                        Tag::Td | Tag::Th => acc.open_cell(&t),
                        Tag::Tbody | Tag::Thead | Tag::Tfoot | Tag::Caption | Tag::Colgroup => {
                            acc.push_table_level(t.leaf());
                        }
                        Tag::Br => {
                            acc.push(t.leaf());
                            acc.brk(true, t.span());
                        }
                        tag => {
                            acc.push(t.leaf());
                            if is_block(tag) {
                                acc.brk(false, t.span());
                            }
                        }
                    }
                }
            }
            Kind::End => {
                if t.tag == Tag::Table {
                    if depth >= 2 {
                        acc.push(t.leaf());
                        acc.brk(false, t.span());
                    } else {
                        acc.push_table_level(t.leaf());
                    }
                    depth = depth.saturating_sub(1);
                } else if nested {
                    acc.push(t.leaf());
                    if t.tag == Tag::Br {
                        acc.brk(true, t.span());
                    } else if is_block(t.tag) {
                        acc.brk(false, t.span());
                    }
                } else {
                    match t.tag {
                        Tag::Td | Tag::Th if acc.cell.is_some() => {
                            acc.push(t.leaf());
                            acc.close_cell(Some(t.start()));
                        }
                        Tag::Tr => {
                            acc.close_cell(None);
                            // A `</tr>` without its row is a leaf of the table.
                            let in_row = acc.row.is_some();
                            acc.push(t.leaf());
                            if in_row {
                                acc.close_row();
                            }
                        }
                        Tag::Tbody | Tag::Thead | Tag::Tfoot | Tag::Caption | Tag::Colgroup => {
                            acc.push_table_level(t.leaf());
                        }
                        Tag::Br => {
                            acc.push(t.leaf());
                            acc.brk(true, t.span());
                        }
                        tag => {
                            acc.push(t.leaf());
                            if is_block(tag) {
                                acc.brk(false, t.span());
                            }
                        }
                    }
                }
            }
        }
        i += 1;
    }
    acc.close_row();
}
