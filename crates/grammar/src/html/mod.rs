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
use lex::{lex, Toks};
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
#[cfg(test)]
pub(crate) fn parse_html_table(
    text: &str,
    range: Range<usize>,
    tables: &Arc<TableSource>,
) -> (Node, Table) {
    let mut whole = Whole::default();
    let table = parse_html_table_into(text, range.clone(), tables, &mut |part| whole.take(part));
    let node = whole.done.pop().unwrap_or_else(|| Node {
        kind: NodeKind::HtmlTable,
        span: Span::new(range.start, range.end.max(range.start)),
        children: Vec::new(),
    });
    (node, table)
}

/// [`parse_html_table`] that hands the table's node to `emit` as it is made: an
/// `Open` of the `HtmlTable` node, its rows and cells (opened and closed around
/// their leaves), and its `Close`.
pub(crate) fn parse_html_table_into(
    text: &str,
    range: Range<usize>,
    tables: &Arc<TableSource>,
    emit: &mut dyn FnMut(Streamed),
) -> Table {
    let span = Span::new(range.start, range.end.max(range.start));
    let empty_table = || Table::empty(TableKind::Html, span);
    if span.is_empty() {
        emit(Streamed::Open(NodeKind::HtmlTable, span));
        emit(Streamed::Close);
        return empty_table();
    }
    if text.get(span.start..span.end).is_none() {
        emit(Streamed::Open(NodeKind::HtmlTable, span));
        emit(Streamed::Node(Node::leaf(NodeKind::Raw, span)));
        emit(Streamed::Close);
        return empty_table();
    }
    let lexed = lex(text, span.start..span.end);
    let toks = lexed.toks;
    let elems = build_tree(text, &toks);
    let ctx = Ctx {
        text,
        source: None,
        tables: Some(tables),
        toks: &toks,
        elems: &elems,
    };
    build_table(&ctx, 0, toks.len(), emit)
}

/// A node made by the HTML reader, handed out as it is made: a whole node, or a
/// node whose children follow until its `Close` (see [`crate::TreeSink`]).
pub(crate) enum Streamed {
    /// A whole node.
    Node(Node),
    /// A node with its span: its children come next.
    Open(NodeKind, Span),
    /// The node last opened is complete.
    Close,
}

/// Puts streamed nodes back together.
#[cfg(test)]
#[derive(Default)]
struct Whole {
    /// Nodes whose children are coming.
    open: Vec<Node>,
    /// The nodes completed at the top, in order.
    done: Vec<Node>,
}

#[cfg(test)]
impl Whole {
    fn take(&mut self, part: Streamed) {
        let node = match part {
            Streamed::Open(kind, span) => {
                self.open.push(Node {
                    kind,
                    span,
                    children: Vec::new(),
                });
                return;
            }
            Streamed::Node(node) => node,
            Streamed::Close => match self.open.pop() {
                Some(mut node) => {
                    node.children.shrink_to_fit();
                    node
                }
                None => return,
            },
        };
        match self.open.last_mut() {
            Some(parent) => parent.children.push(node),
            None => self.done.push(node),
        }
    }
}

/// Parses a whole HTML page: hands the children of the document node (their
/// leaves tile `0..text.len()`) to `emit` in order, as each is made (a table's
/// rows and cells as they are read), and returns
/// the logical blocks of the report body (whose paragraphs share `source` where
/// they read as written).
pub(crate) fn parse_html_page(
    source: &Arc<String>,
    tables: &Arc<TableSource>,
    emit: &mut dyn FnMut(Streamed),
) -> Page {
    let text = source.as_str();
    if text.is_empty() {
        return Page::default();
    }
    let lexed = lex(text, 0..text.len());
    let article_title = lexed.article_title;
    let mut published = lexed.pub_date;
    let toks = lexed.toks;
    let elems = build_tree(text, &toks);
    let ctx = Ctx {
        text,
        source: Some(source),
        tables: Some(tables),
        toks: &toks,
        elems: &elems,
    };
    let n = toks.len();
    let mut out = Out::new(emit);

    let chosen = choose_container(&elems).and_then(|i| elems.get(i).map(|c| (i, c)));
    let Some((container, c)) = chosen else {
        flow(&ctx, 0, n, &mut out);
        return Page {
            blocks: out.blocks,
            published,
        };
    };
    let inner_lo = (c.open() + 1).min(n);
    let inner_hi = if c.explicit_end() {
        c.close().saturating_sub(1)
    } else {
        c.close()
    }
    .clamp(inner_lo, n);

    let title = find_title(&ctx, container, article_title.as_deref()).filter(|&t| {
        // Not when the article itself starts with the same title: its first
        // paragraph is read ahead (the article's nodes go out after the title's).
        let first = first_paragraph(&ctx, inner_lo, inner_hi).map(|p| normalize(&p.text));
        let own = elems
            .get(t)
            .map(|e| norm_text(&ctx, e.open(), e.close()))
            .unwrap_or_default();
        first.as_deref() != Some(own.as_str())
    });

    let mut pos = 0;
    if let Some(e) = title.and_then(|t| elems.get(t)) {
        chrome_region(&ctx, pos, e.open(), &mut out);
        flow(&ctx, e.open(), e.close(), &mut out);
        pos = e.close();
    }
    if published.is_none() {
        // The line under the title (`发布时间：2024-03-08`, `时间：…`); without a
        // title, only a line that says 发布 (a bare 时间 may be the site's clock).
        published = dated_line(&ctx, pos, inner_lo, pos > 0);
    }
    chrome_region(&ctx, pos, inner_lo, &mut out);
    flow(&ctx, inner_lo, inner_hi, &mut out);
    chrome_region(&ctx, inner_hi, n, &mut out);
    Page {
        blocks: out.blocks,
        published,
    }
}

/// What a page gives: the logical blocks of its article and where it says when it
/// was published.
#[derive(Default)]
pub(crate) struct Page {
    pub(crate) blocks: Vec<Block>,
    /// The date and time of publication as written: the `PubDate` meta's value, else
    /// the `发布时间：`/`发布日期：`/`时间：` line between the title and the article.
    pub(crate) published: Option<Range<usize>>,
}

/// The publication date a line of page chrome gives in the text tokens `lo..hi`:
/// `发布时间：`, `发布日期：` (and `时间：` when `bare` is allowed) followed by a
/// date; the range of the date and time as written.
fn dated_line(ctx: &Ctx, lo: usize, hi: usize, bare: bool) -> Option<Range<usize>> {
    const KEYS: [&str; 3] = ["发布时间", "发布日期", "时间"];
    let hi = hi.min(ctx.toks.len());
    for i in lo..hi {
        let tok = ctx.toks.get(i)?;
        if tok.kind != lex::Kind::Text {
            continue;
        }
        let Some(piece) = ctx.text.get(tok.start()..tok.end()) else {
            continue;
        };
        for key in KEYS.iter().filter(|k| bare || **k != "时间") {
            for (at, _) in piece.match_indices(key) {
                let rest = &piece[at + key.len()..];
                let after = rest.trim_start();
                let Some(value) = after.strip_prefix(['：', ':']) else {
                    continue;
                };
                let value = value.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{a0}');
                let value = value.strip_prefix("&nbsp;").unwrap_or(value).trim_start();
                let len = value
                    .find(|c: char| !(c.is_ascii_digit() || "-/.: 年月日".contains(c)))
                    .unwrap_or(value.len());
                let date = value[..len].trim_end();
                if date.chars().take_while(char::is_ascii_digit).count() == 4 {
                    let start = tok.start() + (piece.len() - value.len());
                    return Some(start..start + date.len());
                }
            }
        }
    }
    None
}

/// The first paragraph of tokens `lo..hi` as [`flow`] reads it (read no further,
/// tables skipped, no node kept).
fn first_paragraph(ctx: &Ctx, lo: usize, hi: usize) -> Option<crate::logical::Para> {
    let mut ignore = |_: Streamed| {};
    let mut probe = Out::new(&mut ignore);
    probe.probe = true;
    flow(ctx, lo, hi, &mut probe);
    probe.blocks.into_iter().find_map(|b| match b {
        Block::Para(p) => Some(p),
        Block::Table(_) => None,
    })
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
    toks: &'a Toks,
    elems: &'a [Elem],
}

impl Ctx<'_> {
    /// The element the start tag at token `i` opened: every start tag opens one,
    /// in token order, so the elements are sorted by their start tag (a binary
    /// search, and no element index kept in every token).
    fn elem_at(&self, i: usize) -> Option<&Elem> {
        let k = self.elems.partition_point(|e| e.open() < i);
        self.elems.get(k).filter(|e| e.open() == i)
    }

    /// One past the last token of the element opened at token `i`, within `hi`.
    fn subtree_end(&self, i: usize, hi: usize) -> usize {
        let close = self.elem_at(i).map_or(i + 1, Elem::close);
        close.clamp(i + 1, hi.max(i + 1))
    }

    /// True when the start tag at token `i` opens chrome.
    fn is_chrome(&self, i: usize) -> bool {
        self.elem_at(i).is_some_and(Elem::chrome)
    }

    /// The span from the start of token `lo` to the end of token `hi - 1`.
    fn span_of(&self, lo: usize, hi: usize) -> Option<Span> {
        let first = self.toks.get(lo)?;
        let last = self.toks.get(hi.checked_sub(1)?)?;
        (hi > lo).then(|| Span::new(first.start(), last.end().max(first.start())))
    }
}

/// Where the builders put what they make: nodes go out as they are made,
/// blocks are kept.
struct Out<'e> {
    emit: &'e mut dyn FnMut(Streamed),
    blocks: Vec<Block>,
    /// Reading ahead for the first paragraph: nodes dropped, tables skipped, the
    /// reading stops at the first block.
    probe: bool,
}

impl<'e> Out<'e> {
    fn new(emit: &'e mut dyn FnMut(Streamed)) -> Self {
        Out {
            emit,
            blocks: Vec::new(),
            probe: false,
        }
    }

    fn node(&mut self, node: Node) {
        if !self.probe {
            (self.emit)(Streamed::Node(node));
        }
    }

    /// Reads the table of tokens `lo..hi`: its node goes out as it is made, its
    /// block is kept.
    fn table(&mut self, ctx: &Ctx, lo: usize, hi: usize) {
        let table = build_table(ctx, lo, hi, &mut *self.emit);
        self.blocks.push(Block::Table(table));
    }

    /// True when a read-ahead has what it reads for.
    fn done(&self) -> bool {
        self.probe && !self.blocks.is_empty()
    }
}
