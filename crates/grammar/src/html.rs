//! HTML: `<table>` blocks inside Markdown and whole HTML pages.
//!
//! STUB: to be replaced by the full implementation.

use std::ops::Range;

use crate::logical::{Block, Table, TableKind};
use crate::span::Span;
use crate::tree::{Node, NodeKind};

/// Parses the HTML `<table>` block `text[range]`.
pub(crate) fn parse_html_table(_text: &str, range: Range<usize>) -> (Node, Table) {
    let span = Span::new(range.start, range.end);
    let node = Node::container(NodeKind::HtmlTable, vec![Node::leaf(NodeKind::Raw, span)]);
    let table = Table {
        kind: TableKind::Html,
        parts: vec![span],
        cells: Vec::new(),
        grid: Vec::new(),
    };
    (node, table)
}

/// Parses a whole HTML page.
pub(crate) fn parse_html_page(text: &str) -> (Vec<Node>, Vec<Block>) {
    (
        vec![Node::leaf(NodeKind::Raw, Span::new(0, text.len()))],
        Vec::new(),
    )
}
