//! HTML: `<table>` blocks inside Markdown and whole HTML pages.
//!
//! Both entry points read their input in the same steps, one file each:
//!
//! - `lex`: the bytes as tokens that tile the input (`html5gum`, its spans
//!   checked), with what the reader needs from each start tag's attributes;
//! - `elements`: the tokens paired into elements with the implied ends of HTML,
//!   each knowing whether it is chrome and how much Chinese text it holds;
//! - `article`: on a page, the element holding the article, its title, and the
//!   page chrome around them;
//! - `flow`: the article read as paragraphs and tables, a layout table (a Word
//!   document saved as HTML inside one table cell) unwrapped into its paragraphs
//!   and tables;
//! - `table`: a `<table>` read as rows and cells, and `grid`: the cells laid out
//!   with their `rowspan` and `colspan`;
//! - `text`: the leaves of the text between tags, and the text a reader sees;
//! - `entities`: character references;
//! - `tags`: the tag names read specially and the classes they fall in.
//!
//! Whatever the bytes, the leaves of the nodes built here tile the input exactly.

mod article;
mod elements;
mod entities;
mod flow;
mod grid;
mod lex;
mod table;
mod tags;
#[cfg(test)]
mod tests;
mod text;

use std::ops::Range;
use std::sync::Arc;

use crate::logical::{Block, Table, TableKind};
use crate::span::Span;
use crate::table::TableSource;
use crate::tree::{Node, NodeKind};

use article::{choose_container, chrome_region, find_title, norm_text, normalize};
use elements::{build_tree, Elem};
use flow::flow;
use lex::{lex, Tok};
use table::build_table;

/// No element / no token.
const NONE: usize = usize::MAX;

/// The longest text the HTML reader takes: its tokens and elements keep 32-bit
/// offsets and indexes. A longer input is read as Markdown or plain text.
pub(crate) const MAX_LEN: usize = u32::MAX as usize - 1;

// ---------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------

/// Parses the HTML `<table>` block `text[range]` into an `HtmlTable` node whose
/// leaves tile `range` and the logical [`Table`] with its expanded grid.
pub(crate) fn parse_html_table(
    text: &str,
    range: Range<usize>,
    tables: &Arc<TableSource>,
) -> (Node, Table) {
    let span = Span::new(range.start, range.end.max(range.start));
    let empty_table = || Table::empty(TableKind::Html, span);
    if span.is_empty() {
        let node = Node {
            kind: NodeKind::HtmlTable,
            span,
            children: Vec::new(),
        };
        return (node, empty_table());
    }
    if text.get(span.start..span.end).is_none() {
        let node = Node::container(NodeKind::HtmlTable, vec![Node::leaf(NodeKind::Raw, span)]);
        return (node, empty_table());
    }
    let lexed = lex(text, span.start..span.end);
    let mut toks = lexed.toks;
    let elems = build_tree(text, &mut toks);
    let ctx = Ctx {
        text,
        source: None,
        tables: Some(tables),
        toks: &toks,
        elems: &elems,
    };
    build_table(&ctx, 0, toks.len())
}

/// Parses a whole HTML page: the children of the document node (their leaves
/// tile `0..text.len()`) and the logical blocks of the report body (whose
/// paragraphs share `source` where they read as written).
pub(crate) fn parse_html_page(
    source: &Arc<String>,
    tables: &Arc<TableSource>,
) -> (Vec<Node>, Vec<Block>) {
    let text = source.as_str();
    if text.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let lexed = lex(text, 0..text.len());
    let article_title = lexed.article_title;
    let mut toks = lexed.toks;
    let elems = build_tree(text, &mut toks);
    let ctx = Ctx {
        text,
        source: Some(source),
        tables: Some(tables),
        toks: &toks,
        elems: &elems,
    };
    let n = toks.len();
    let mut out = Out::default();

    let Some(container) = choose_container(&elems) else {
        flow(&ctx, 0, n, &mut out);
        return (out.nodes, out.blocks);
    };
    let Some(c) = elems.get(container) else {
        flow(&ctx, 0, n, &mut out);
        return (out.nodes, out.blocks);
    };
    let inner_lo = (c.open() + 1).min(n);
    let inner_hi = if c.explicit_end {
        c.close().saturating_sub(1)
    } else {
        c.close()
    }
    .clamp(inner_lo, n);

    let mut body = Out::default();
    flow(&ctx, inner_lo, inner_hi, &mut body);

    let title = find_title(&ctx, container, article_title.as_deref()).filter(|&t| {
        // Not when the article itself starts with the same title.
        let first = body.blocks.iter().find_map(|b| match b {
            Block::Para(p) => Some(normalize(&p.text)),
            Block::Table(_) => None,
        });
        let own = elems
            .get(t)
            .map(|e| norm_text(&ctx, e.open(), e.close()))
            .unwrap_or_default();
        first.as_deref() != Some(own.as_str())
    });

    let mut pos = 0;
    if let Some(e) = title.and_then(|t| elems.get(t)) {
        chrome_region(&ctx, pos, e.open(), &mut out.nodes);
        flow(&ctx, e.open(), e.close(), &mut out);
        pos = e.close();
    }
    chrome_region(&ctx, pos, inner_lo, &mut out.nodes);
    out.nodes.append(&mut body.nodes);
    out.blocks.append(&mut body.blocks);
    chrome_region(&ctx, inner_hi, n, &mut out.nodes);
    (out.nodes, out.blocks)
}

// ---------------------------------------------------------------------------
// What the builders share
// ---------------------------------------------------------------------------

/// What the builders read.
struct Ctx<'a> {
    text: &'a str,
    /// The same text, for the paragraphs that share it.
    source: Option<&'a Arc<String>>,
    /// The same text, for the table cells that share it.
    tables: Option<&'a Arc<TableSource>>,
    toks: &'a [Tok],
    elems: &'a [Elem],
}

impl Ctx<'_> {
    /// One past the last token of the element opened at token `i`, within `hi`.
    fn subtree_end(&self, i: usize, hi: usize) -> usize {
        let close = self
            .toks
            .get(i)
            .and_then(|t| self.elems.get(t.elem()))
            .map_or(i + 1, |e| e.close());
        close.clamp(i + 1, hi.max(i + 1))
    }

    /// True when the start tag at token `i` opens chrome.
    fn is_chrome(&self, i: usize) -> bool {
        self.toks
            .get(i)
            .and_then(|t| self.elems.get(t.elem()))
            .is_some_and(|e| e.chrome)
    }

    /// The span from the start of token `lo` to the end of token `hi - 1`.
    fn span_of(&self, lo: usize, hi: usize) -> Option<Span> {
        let first = self.toks.get(lo)?;
        let last = self.toks.get(hi.checked_sub(1)?)?;
        (hi > lo).then(|| Span::new(first.start(), last.end().max(first.start())))
    }
}

/// Nodes and blocks produced so far.
#[derive(Default)]
struct Out {
    nodes: Vec<Node>,
    blocks: Vec<Block>,
}
