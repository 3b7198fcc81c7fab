//! The article as paragraphs and tables.
//!
//! Inside the article, each block element (`<p>`, `<div>`, `<h1>`–`<h6>`,
//! `<li>`, …) or `<br>` ends a paragraph; a heading element gives a heading
//! paragraph, `<b>`/`<strong>` bold runs. Markup with no text between
//! paragraphs stays as leaves directly under the document. A chrome element
//! inside the article is `PageChrome` between paragraphs and a `Raw` leaf inside
//! one. Each `<table>` is read by `table`, except a table that lays out the page
//! rather than holding data (a Word document saved as HTML inside one table
//! cell): its own rows and cells only separate paragraphs, and the tables nested
//! in it are read as tables.

use crate::logical::{Block, Para, ParaKind, ParaText};
use crate::span::Span;
use crate::tree::{Node, NodeKind};
use std::mem;
use std::sync::Arc;

use super::lex::{Kind, F_SELF_CLOSING};
use super::tags::{is_block, is_table_structure, Tag};
use super::text::{text_into, TextBuilder};
use super::{Ctx, Out};

/// The paragraph being read.
struct ParaAcc {
    leaves: Vec<Node>,
    tb: TextBuilder,
    kind: ParaKind,
}

impl ParaAcc {
    fn new() -> Self {
        ParaAcc {
            leaves: Vec::new(),
            tb: TextBuilder::new(true),
            kind: ParaKind::Text,
        }
    }

    /// Ends the paragraph: a `Paragraph` node and block when it has text, else loose leaves.
    fn flush(&mut self, out: &mut Out, source: Option<&Arc<String>>) {
        let leaves = mem::take(&mut self.leaves);
        let tb = mem::replace(&mut self.tb, TextBuilder::new(true));
        let kind = mem::replace(&mut self.kind, ParaKind::Text);
        if leaves.is_empty() {
            return;
        }
        match tb.finish() {
            Some(built) => {
                let start = built.pieces.first().map_or(0, |p| p.span.start);
                let end = built.pieces.last().map_or(start, |p| p.span.end).max(start);
                out.node(Node::container(NodeKind::Paragraph, leaves));
                let text = ParaText::of(built.text, &built.pieces, source);
                out.blocks.push(Block::Para(Para::new(
                    kind,
                    text,
                    built.pieces,
                    Span::new(start, end),
                )));
            }
            None => leaves.into_iter().for_each(|leaf| out.node(leaf)),
        }
    }
}

/// Reads tokens `lo..hi` of the article as paragraphs and tables.
pub(super) fn flow(ctx: &Ctx, lo: usize, hi: usize, out: &mut Out) {
    let hi = hi.min(ctx.toks.len());
    let mut para = ParaAcc::new();
    let mut bold = 0usize;
    // The end of the layout table being read as flow (see `Ctx::is_layout_table`):
    // tables inside it are tables, never layout again, so each token is looked at
    // a bounded number of times however deep the nesting.
    let mut layout_until = lo;
    let mut cursor = ctx.toks.cursor();
    let mut i = lo;
    while i < hi && !out.done() {
        let Some(t) = cursor.get(i) else { break };
        let in_layout = i < layout_until;
        let opens_table = t.kind == Kind::Start && t.tag == Tag::Table;
        if in_layout
            && !opens_table
            && is_table_structure(t.tag)
            && matches!(t.kind, Kind::Start | Kind::End)
        {
            // The layout table's own rows and cells only separate paragraphs.
            para.flush(out, ctx.source);
            para.leaves.push(t.leaf());
            para.flush(out, ctx.source);
            i += 1;
            continue;
        }
        match t.kind {
            Kind::Text => text_into(
                ctx.text,
                t.start(),
                t.end(),
                &mut para.leaves,
                Some(&mut para.tb),
                bold > 0,
            ),
            Kind::Comment | Kind::Doctype | Kind::Raw => para.leaves.push(t.leaf()),
            Kind::Start => {
                if t.tag == Tag::Table {
                    let end = ctx.subtree_end(i, hi);
                    para.flush(out, ctx.source);
                    if !in_layout && ctx.is_layout_table(i, end) {
                        layout_until = end;
                        para.leaves.push(t.leaf());
                        para.flush(out, ctx.source);
                        i += 1;
                        continue;
                    }
                    if out.probe {
                        i = end;
                        continue;
                    }
                    out.table(ctx, i, end);
                    i = end;
                    continue;
                }
                if ctx.is_chrome(i) {
                    let end = ctx.subtree_end(i, hi);
                    if let Some(span) = ctx.span_of(i, end) {
                        if para.tb.has_text() {
                            para.leaves.push(Node::leaf(NodeKind::Raw, span));
                        } else {
                            para.flush(out, ctx.source);
                            out.node(Node::container(
                                NodeKind::PageChrome,
                                vec![Node::leaf(NodeKind::Raw, span)],
                            ));
                        }
                    }
                    i = end;
                    continue;
                }
                if t.tag == Tag::Br {
                    para.leaves.push(t.leaf());
                    para.flush(out, ctx.source);
                } else if is_block(t.tag) {
                    para.flush(out, ctx.source);
                    para.leaves.push(t.leaf());
                    if let Some(level) = t.tag.heading_level() {
                        para.kind = ParaKind::Heading(level);
                    }
                } else {
                    if matches!(t.tag, Tag::B | Tag::Strong) && t.flags & F_SELF_CLOSING == 0 {
                        bold += 1;
                    }
                    para.leaves.push(t.leaf());
                }
            }
            Kind::End => {
                para.leaves.push(t.leaf());
                if t.tag == Tag::Br || is_block(t.tag) {
                    para.flush(out, ctx.source);
                } else if matches!(t.tag, Tag::B | Tag::Strong) {
                    bold = bold.saturating_sub(1);
                }
            }
        }
        i += 1;
    }
    if !out.done() {
        para.flush(out, ctx.source);
    }
}

impl Ctx<'_> {
    /// True when the table of tokens `lo..hi` lays out a page rather than holding
    /// data: a Word document saved as HTML inside one table cell, its paragraphs
    /// and its real tables nested in that cell. One cell of its own, and in it
    /// nested tables or several paragraphs.
    fn is_layout_table(&self, lo: usize, hi: usize) -> bool {
        let (mut depth, mut cells, mut paragraphs, mut nested) = (0usize, 0usize, 0usize, false);
        for t in self.toks.range(lo + 1, hi) {
            match (t.kind, t.tag) {
                (Kind::Start, Tag::Table) => {
                    depth += 1;
                    nested = true;
                }
                (Kind::End, Tag::Table) => depth = depth.saturating_sub(1),
                (Kind::Start, Tag::Td | Tag::Th) if depth == 0 => {
                    cells += 1;
                    if cells > 1 {
                        return false;
                    }
                }
                (Kind::Start, Tag::P) if depth == 0 => paragraphs += 1,
                _ => {}
            }
        }
        cells == 1 && (nested || paragraphs >= 3)
    }
}
