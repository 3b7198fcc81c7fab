//! Tables: a `<table>` read as rows and cells.
//!
//! `parse_html_table` (and every table of a page) builds `HtmlTable > Row >
//! Cell > leaves`, rows and cells implied where the markup leaves them out, and
//! hands the cells to `grid` to lay them out. Tables inside a cell are part of
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
use super::Ctx;

/// The cell being read.
struct CellAcc {
    children: Vec<Node>,
    tb: TextBuilder,
    content_start: usize,
    col_span: u32,
    row_span: u32,
}

/// The table being read.
struct TableAcc {
    children: Vec<Node>,
    row: Option<Vec<Node>>,
    cell: Option<CellAcc>,
    rows: usize,
    /// The cells read, row by row.
    cells: TableBuilder,
    /// Per cell, its row and its `colspan` and `rowspan` as written — kept only
    /// from the first cell that spans more than one place on (a table without
    /// spans lays its cells out side by side).
    spans: Option<Vec<(usize, u32, u32)>>,
}

impl TableAcc {
    /// Adds a node to the innermost open cell, row or the table.
    fn push(&mut self, node: Node) {
        if let Some(cell) = &mut self.cell {
            cell.children.push(node);
        } else if let Some(row) = &mut self.row {
            row.push(node);
        } else {
            self.children.push(node);
        }
    }

    /// Adds a node to the table itself, closing any open row.
    fn push_table_level(&mut self, node: Node) {
        self.close_row();
        self.children.push(node);
    }

    fn brk(&mut self, hard: bool, span: Span) {
        if let Some(cell) = &mut self.cell {
            cell.tb.brk(hard, span);
        }
    }

    /// A new grid row begins.
    fn next_row(&mut self) {
        if self.rows > 0 {
            self.cells.end_row();
        }
        self.rows += 1;
    }

    fn open_row(&mut self) {
        self.close_row();
        self.row = Some(Vec::new());
        self.next_row();
    }

    fn open_cell(&mut self, tag: &Tok) {
        self.close_cell(None);
        if self.row.is_none() {
            self.row = Some(Vec::new());
            self.next_row();
        }
        self.cell = Some(CellAcc {
            children: vec![tag.leaf()],
            tb: TextBuilder::new(false),
            content_start: tag.end(),
            col_span: u32::from(tag.col_span()),
            row_span: u32::from(tag.row_span()),
        });
    }

    /// Closes the open cell; its content ends at `content_end` (its end tag) or
    /// with its last leaf.
    fn close_cell(&mut self, content_end: Option<usize>) {
        let Some(cell) = self.cell.take() else {
            return;
        };
        let node = Node::container(NodeKind::Cell, cell.children);
        let end = content_end.unwrap_or(node.span.end);
        let span = if end > cell.content_start {
            Span::new(cell.content_start, end)
        } else {
            node.span
        };
        let text = cell.tb.finish().map(|b| b.text).unwrap_or_default();
        let spans_one = cell.col_span <= 1 && cell.row_span == 1;
        if self.spans.is_none() && !spans_one {
            // The first cell with spans: the cells before it span one place each.
            self.spans = Some(self.cells.cell_rows().map(|r| (r, 1, 1)).collect());
        }
        if let Some(spans) = &mut self.spans {
            spans.push((self.rows.saturating_sub(1), cell.col_span, cell.row_span));
        }
        self.cells.push(&text, span.start..span.end);
        match &mut self.row {
            Some(row) => row.push(node),
            None => self.children.push(node),
        }
    }

    fn close_row(&mut self) {
        self.close_cell(None);
        if let Some(row) = self.row.take() {
            if !row.is_empty() {
                self.children.push(Node::container(NodeKind::Row, row));
            }
        }
    }
}

/// Builds the table of tokens `lo..hi` (`toks[lo]` is normally its `<table>`).
pub(super) fn build_table(ctx: &Ctx, lo: usize, hi: usize) -> (Node, Table) {
    let hi = hi.min(ctx.toks.len());
    let mut acc = TableAcc {
        children: Vec::new(),
        row: None,
        cell: None,
        rows: 0,
        cells: TableBuilder::new(ctx.tables.cloned()),
        spans: None,
    };
    let mut depth = 0usize;
    let mut i = lo;
    while i < hi {
        let Some(t) = ctx.toks.get(i) else { break };
        let nested = depth >= 2;
        match t.kind {
            Kind::Text => {
                if let Some(cell) = &mut acc.cell {
                    text_into(
                        ctx.text,
                        t.start(),
                        t.end(),
                        &mut cell.children,
                        Some(&mut cell.tb),
                        false,
                    );
                } else {
                    let mut leaves = Vec::new();
                    text_into(ctx.text, t.start(), t.end(), &mut leaves, None, false);
                    for leaf in leaves {
                        acc.push(leaf);
                    }
                }
            }
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
                            acc.open_row();
                            acc.push(t.leaf());
                        }
                        Tag::Td | Tag::Th => acc.open_cell(t),
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
                            if acc.row.is_some() {
                                acc.push(t.leaf());
                                acc.close_row();
                            } else {
                                acc.children.push(t.leaf());
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
    let span = ctx.span_of(lo, hi).unwrap_or_default();
    let node = if acc.children.is_empty() {
        Node {
            kind: NodeKind::HtmlTable,
            span,
            children: Vec::new(),
        }
    } else {
        Node::container(NodeKind::HtmlTable, acc.children)
    };
    if acc.rows > 0 {
        acc.cells.end_row();
    }
    let table = match &acc.spans {
        Some(raw) => {
            let spans = layout(acc.rows, raw);
            let mut table = acc.cells.finish_with_spans(TableKind::Html, spans);
            table.parts = crate::logical::Parts::One(node.span);
            table
        }
        None => {
            let (rows, width) = clamped(acc.rows, acc.cells.width());
            acc.cells
                .finish_rows(TableKind::Html, node.span, rows, width)
        }
    };
    (node, table)
}
