//! The entry point: bytes → decoded text → blocks (tree + logical view) → repairs → outline.

use std::ops::Range;
use std::sync::Arc;

use crate::codes;
use crate::decode::{decode_owned, OffsetMap};
use crate::diagnostic::{Diagnostic, Message};
use crate::findings::Findings;
use crate::html;
use crate::inline;
use crate::logical::{
    Block, Para, ParaKind, ParaText, Piece, Pieces, PiecesBuilder, Table, TableKind,
};
use crate::outline;
use crate::repair::{self, ItemKind};
use crate::span::{LineIndex, Span};
use crate::syntax::{self, is_space};
use crate::table::{TableBuilder, TableSource};
use crate::tree::{Node, NodeKind};
use crate::{InputKind, Parsed, TextView, TreeInfo, TreeSink};

/// Parses any bytes into a [`Parsed`]; never fails, never panics.
///
/// Markdown from converters, plain text and HTML pages go through the same
/// pipeline; the input kind is detected from the text.
pub fn parse(bytes: &[u8]) -> Parsed {
    parse_owned(bytes.to_vec())
}

/// [`parse`] of bytes the caller no longer needs: when the decoded text is the
/// same bytes (UTF-8 without a byte-order mark, the usual case), only one copy of
/// the input is kept.
pub fn parse_owned(bytes: Vec<u8>) -> Parsed {
    let mut keep = KeepTree::default();
    let mut parsed = parse_streamed(bytes, &mut keep);
    parsed.tree.children = keep.nodes;
    parsed
}

/// Keeps every node: the whole tree. The children of the open containers wait in
/// one list, each container's after its parent's; a container that closes takes
/// its own in a list of exactly their number (one allocation, none to grow it).
#[derive(Default)]
struct KeepTree {
    nodes: Vec<Node>,
    /// Containers whose children are coming: kind, span, and where their
    /// children start in `waiting`.
    open: Vec<(NodeKind, Span, usize)>,
    /// The children of the open containers so far, innermost last.
    waiting: Vec<Node>,
}

impl KeepTree {
    fn push(&mut self, node: Node) {
        if self.open.is_empty() {
            self.nodes.push(node);
        } else {
            self.waiting.push(node);
        }
    }
}

impl TreeSink for KeepTree {
    fn open(&mut self, kind: NodeKind, span: Span, _text: &TextView<'_>) {
        self.open.push((kind, span, self.waiting.len()));
    }

    fn node(&mut self, node: Node, _text: &TextView<'_>) {
        self.push(node);
    }

    fn close(&mut self) {
        if let Some((kind, span, from)) = self.open.pop() {
            let children = self.waiting.drain(from..).collect();
            self.push(Node {
                kind,
                span,
                children,
            });
        }
    }
}

/// Hands the scanner's nodes to the sink in original offsets, and keeps what each
/// block is for the repairs.
struct Emitter<'s, 'v> {
    sink: &'s mut dyn TreeSink,
    view: TextView<'v>,
    /// The decoded-to-original map, when offsets differ.
    map: Option<&'v OffsetMap>,
    /// The decoded text.
    text: &'v str,
    /// The same, shared with the paragraphs that read as written.
    source: &'v Arc<String>,
    /// The same, shared with the table cells read as written.
    tables: &'v Arc<TableSource>,
    /// The repairs, fed each block as it is scanned.
    repairs: repair::Repairs,
}

impl Emitter<'_, '_> {
    /// A block as scanned, with its span in the decoded text: what it is (its node
    /// goes to [`Emitter::node`] or [`Emitter::open`]), handed to the repairs.
    fn block(&mut self, kind: ItemKind, span: Span, diagnostics: &mut Findings) {
        self.repairs.push(self.text, kind, span, diagnostics);
    }

    /// A whole node.
    fn node(&mut self, mut node: Node) {
        if let Some(map) = self.map {
            node.map_spans(&|o| map.to_original(o));
        }
        self.sink.node(node, &self.view);
    }

    /// A node whose children follow (each by [`Emitter::node`]) until [`Emitter::close`].
    fn open(&mut self, kind: NodeKind, span: Span) {
        let span = self.map.map_or(span, |map| remap_span(span, map));
        self.sink.open(kind, span, &self.view);
    }

    fn close(&mut self) {
        self.sink.close();
    }

    /// A block with its node, handed out whole.
    fn whole(&mut self, kind: ItemKind, node: Node, diagnostics: &mut Findings) {
        self.block(kind, node.span, diagnostics);
        self.node(node);
    }
}

/// [`parse_owned`] that hands the syntax tree to `sink` one top-level node at a
/// time, as it is made, instead of keeping it: the returned [`Parsed`] has a
/// document node without children. A check that needs no tree keeps none, and the
/// tree of a large input can be written out without ever being whole in memory.
pub fn parse_streamed(bytes: Vec<u8>, sink: &mut dyn TreeSink) -> Parsed {
    parse_streamed_as(bytes, None, sink)
}

/// [`parse_streamed`] of an input whose kind the caller knows: the text read out of
/// a Word document is Markdown with HTML tables, also when it opens with a table
/// (which [`parse_streamed`] would take for the body of an HTML page).
pub fn parse_streamed_as(
    bytes: Vec<u8>,
    kind: Option<InputKind>,
    sink: &mut dyn TreeSink,
) -> Parsed {
    let input_len = bytes.len();
    let (decoded, source) = decode_owned(bytes);
    // Shared: a paragraph that reads as written is a stretch of it, not a copy.
    let text = Arc::new(decoded.text);
    // NB001/NB002 spans from decode() are already original offsets; the rest are decoded.
    let input_diagnostics = decoded.diagnostics;
    let map = decoded.map;
    let bom_len = decoded.bom_len;
    let lines = LineIndex::new(&text);
    // Valid UTF-8 without a byte-order mark maps every offset to itself.
    let identity = bom_len == 0
        && text.len() == input_len
        && decoded.encoding == crate::Encoding::Utf8
        && input_diagnostics
            .iter()
            .all(|d| d.code != codes::UNDECODABLE_BYTES.code);
    let to_orig = |o: usize| map.to_original(o);
    let document = if identity {
        Span::new(0, text.len())
    } else if bom_len > 0 {
        Span::new(0, to_orig(text.len()))
    } else {
        Span::new(to_orig(0), to_orig(text.len()))
    };
    let view = TextView::new(&text, &lines, &map);
    let input_kind = kind.unwrap_or_else(|| detect_input_kind(&text));
    sink.start(&TreeInfo {
        encoding: decoded.encoding,
        input_kind,
        document,
        text: view,
    });
    if bom_len > 0 {
        sink.node(Node::leaf(NodeKind::Bom, Span::new(0, bom_len)), &view);
    }
    let tables = TableSource::new(text.clone());
    // Nodes leave in original offsets (the rest is mapped at the end).
    let mut out = Emitter {
        sink,
        view,
        map: (!identity).then_some(&map),
        text: &text,
        source: &text,
        tables: &tables,
        repairs: repair::Repairs::default(),
    };
    let mut diagnostics = Findings::default();
    let mut metadata: Option<crate::metadata::Metadata> = None;
    let mut blocks = match input_kind {
        InputKind::Html => {
            // The page's nodes go out as they are made.
            let page = html::parse_html_page(&text, &tables, &mut |part| match part {
                html::Streamed::Node(node) => out.node(node),
                html::Streamed::Open(kind, span) => out.open(kind, span),
                html::Streamed::Close => out.close(),
            });
            // The page's publication date is its metadata (no header node: the
            // date stays in the page's own nodes).
            metadata = page.published.map(|range| crate::metadata::Metadata {
                span: Span::new(range.start, range.end),
                fields: vec![crate::metadata::MetaField {
                    key: "发布时间".to_string(),
                    value: text[range.clone()].to_string(),
                    span: Span::new(range.start, range.end),
                }],
            });
            page.blocks
        }
        InputKind::Markdown => {
            // A metadata header is front matter: its node goes to the sink, its
            // fields to the model, and the blocks start after it.
            let start = match crate::metadata::header(&text) {
                Some((header, node)) => {
                    let end = header.span.end;
                    out.whole(ItemKind::Comment, node, &mut diagnostics);
                    metadata = Some(header);
                    end
                }
                None => 0,
            };
            // The nodes go to the sink, the blocks to the repairs, as they are scanned.
            scan_markdown(&text, start, &mut diagnostics, &mut out);
            let blocks = std::mem::take(&mut out.repairs).finish();
            repair::quirk_one_line_dump(blocks, &mut diagnostics)
        }
    };
    if input_kind == InputKind::Markdown {
        repair::mixed_widths(&blocks, &mut diagnostics);
    }
    repair::run_together_tables(&blocks, &mut diagnostics);
    let mut outline = outline::build(&blocks, text.len());
    not_a_report(&text, &blocks, &outline, &mut diagnostics);

    // Everything above is in decoded offsets; map it to the original bytes.
    let shared = std::sync::Arc::new(map.clone());
    let mapped_tables = tables.mapped(shared.clone());
    for block in &mut blocks {
        remap_block(block, &map, &shared, &mapped_tables);
    }
    for section in &mut outline {
        outline::remap(section, &to_orig);
    }
    if let Some(m) = &mut metadata {
        m.span = remap_span(m.span, &map);
        for f in &mut m.fields {
            f.span = remap_span(f.span, &map);
        }
    }
    diagnostics.map_spans(|s| remap_span(s, &map));
    diagnostics.extend(input_diagnostics);
    let (diagnostics, left_out) = diagnostics.kept_in_order();
    Parsed {
        source,
        encoding: decoded.encoding,
        input_kind,
        tree: Node {
            kind: NodeKind::Document,
            span: document,
            children: Vec::new(),
        },
        blocks,
        outline: outline.into(),
        metadata,
        diagnostics,
        left_out,
        lines,
        map,
        bom_len,
        text,
    }
}

fn remap_span(span: Span, map: &OffsetMap) -> Span {
    Span::new(map.to_original(span.start), map.to_original(span.end))
}

fn remap_block(
    block: &mut Block,
    map: &OffsetMap,
    shared: &std::sync::Arc<OffsetMap>,
    tables: &Arc<TableSource>,
) {
    match block {
        Block::Para(p) => remap_para(p, map, shared),
        Block::Table(t) => {
            t.parts.map(|part| remap_span(part, map));
            // The cells keep decoded offsets: the map gives their original spans.
            t.set_source(tables);
            // Tables joined across pages grew: the spare room goes back.
            t.shrink_to_fit();
        }
    }
}

pub(crate) fn remap_para(p: &mut Para, map: &OffsetMap, shared: &std::sync::Arc<OffsetMap>) {
    // The pieces keep decoded offsets: the map gives their original spans.
    p.span = remap_span(p.span, map);
    p.set_map(shared.clone());
    // Paragraphs joined by the repairs grew by doubling: the spare room goes back.
    p.shrink_to_fit();
}

/// HTML when the text opens like a page (`<!DOCTYPE html`, `<html`) or like the
/// body of an article as a site's CMS serves it (`<div class="article_area">`,
/// `<p style=…>`, `<table>`), after whitespace and comments; a Markdown file
/// that opens with an HTML element but has Markdown headings or pipe tables
/// stays Markdown, and so does a text longer than [`html::MAX_LEN`].
fn detect_input_kind(text: &str) -> InputKind {
    let mut rest = text.trim_start_matches(is_space_or_bom);
    while let Some(after) = rest.strip_prefix("<!--") {
        match after.find("-->") {
            Some(end) => rest = after[end + 3..].trim_start_matches(is_space_or_bom),
            None => break,
        }
    }
    let head: String = rest
        .chars()
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    if text.len() > html::MAX_LEN {
        // Past what the HTML reader takes.
        return InputKind::Markdown;
    }
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        return InputKind::Html;
    }
    const BODY_TAGS: [&str; 20] = [
        "div", "p", "table", "section", "article", "body", "head", "meta", "style", "span", "font",
        "center", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "title",
    ];
    let opens_element = head.strip_prefix('<').is_some_and(|t| {
        BODY_TAGS.iter().any(|tag| {
            t.strip_prefix(tag)
                .is_some_and(|after| after.starts_with([' ', '>', '/', '\t', '\n', '\r']))
        })
    });
    let markdown = || {
        rest.lines().any(|l| {
            let l = l.trim_start();
            l.starts_with("# ") || l.starts_with("## ") || l.starts_with("| ")
        })
    };
    if opens_element && !markdown() {
        InputKind::Html
    } else {
        InputKind::Markdown
    }
}

fn is_space_or_bom(c: char) -> bool {
    c.is_whitespace() || c == '\u{FEFF}'
}

/// NB003 when the input has no report title words, no outline and no table.
fn not_a_report(
    text: &str,
    blocks: &[Block],
    outline: &[outline::Section],
    diagnostics: &mut Findings,
) {
    // Empty input already has its NB002 from decoding.
    if text.chars().all(char::is_whitespace) {
        return;
    }
    let title_words = ["政府信息公开", "年度报告", "年报", "政务公开"];
    let has_words = title_words.iter().any(|w| text.contains(w));
    let has_table = blocks.iter().any(|b| matches!(b, Block::Table(_)));
    if !has_words && outline.is_empty() && !has_table {
        diagnostics.push(Diagnostic::new(
            &codes::NOT_A_REPORT,
            Span::new(0, text.len()),
            Message::new(
                "输入不像政府信息公开工作年度报告：没有报告标题用语（政府信息公开、年度报告）、没有编号提纲、没有表格",
                "the input does not look like an annual report: no report title words (政府信息公开, 年度报告), no numbered outline, no table",
            ),
        ));
    }
}

// ---------------------------------------------------------------------------
// Markdown / plain text: the block scanner.
// ---------------------------------------------------------------------------

/// One line: `start..content_end` is the content, `content_end..end` the line end.
#[derive(Clone, Copy, Debug)]
struct Line {
    start: usize,
    content_end: usize,
    end: usize,
}

fn line_at(text: &str, pos: usize) -> Line {
    line_ending_at(text, pos, text[pos..].find('\n').map(|i| pos + i))
}

/// The line from `pos` whose line break (if any) is at `newline`.
fn line_ending_at(text: &str, pos: usize, newline: Option<usize>) -> Line {
    match newline {
        Some(nl) => {
            let content_end = if nl > pos && text.as_bytes()[nl - 1] == b'\r' {
                nl - 1
            } else {
                nl
            };
            Line {
                start: pos,
                content_end,
                end: nl + 1,
            }
        }
        None => Line {
            start: pos,
            content_end: text.len(),
            end: text.len(),
        },
    }
}

/// [`line_at`] for the scanner's position, remembering where the next line break
/// is: blocks that end inside a line (`<!-- a --><!-- b -->` × 100,000 on one
/// line) do not search the rest of the line again for each block.
#[derive(Default)]
struct NextLine {
    /// Where the last search started and the line break it found.
    cached: Option<(usize, Option<usize>)>,
}

impl NextLine {
    fn at(&mut self, text: &str, pos: usize) -> Line {
        let newline = match self.cached {
            // No line break between the last search's start and its answer.
            Some((from, answer)) if from <= pos && answer.is_none_or(|nl| pos <= nl) => answer,
            _ => {
                let answer = text[pos..].find('\n').map(|i| pos + i);
                self.cached = Some((pos, answer));
                answer
            }
        };
        line_ending_at(text, pos, newline)
    }
}

/// Finds `needle` (ASCII, matched case-insensitively) at or after `from`,
/// remembering the last answer so repeated searches stay linear.
struct Finder {
    needle: &'static str,
    cached: Option<Option<usize>>,
    cached_from: usize,
}

impl Finder {
    fn new(needle: &'static str) -> Self {
        Finder {
            needle,
            cached: None,
            cached_from: 0,
        }
    }

    fn find(&mut self, text: &str, from: usize) -> Option<usize> {
        if let Some(answer) = self.cached {
            if from >= self.cached_from {
                match answer {
                    None => return None,
                    Some(at) if at >= from => return Some(at),
                    Some(_) => {}
                }
            }
        }
        let hay = &text.as_bytes()[from..];
        let needle = self.needle.as_bytes();
        let found = hay
            .windows(needle.len())
            .position(|w| w.eq_ignore_ascii_case(needle))
            .map(|i| from + i);
        self.cached = Some(found);
        self.cached_from = from;
        found
    }
}

fn is_blank(text: &str, line: Line) -> bool {
    matches!(syntax::blank_line(&text[line.start..line.end]), Ok((rest, _)) if rest.is_empty())
}

/// Page-number line: the whole content is a page number.
fn is_page_number(text: &str, line: Line) -> bool {
    let content = &text[line.start..line.content_end];
    matches!(syntax::page_number(content), Ok((rest, _)) if rest.is_empty())
}

fn starts_pipe_row(text: &str, line: Line) -> bool {
    text[line.start..line.content_end]
        .trim_start_matches(is_space)
        .starts_with('|')
}

/// A line that opens an HTML `<table>` (in a text the HTML reader takes: see
/// [`html::MAX_LEN`]).
fn starts_html_table(text: &str, line: Line) -> bool {
    text.len() <= html::MAX_LEN
        && syntax::table_open(text[line.start..line.content_end].trim_start_matches(is_space))
            .is_ok()
}

fn starts_comment(text: &str, line: Line) -> bool {
    syntax::comment_open(text[line.start..line.content_end].trim_start_matches(is_space)).is_ok()
}

fn is_heading_line(text: &str, line: Line) -> bool {
    syntax::atx_marker(&text[line.start..line.content_end]).is_ok()
}

/// True when the line is a row of a plain-text table: two or more cells (see
/// [`columnar_cells_into`]).
fn is_columnar(text: &str, line: Line) -> bool {
    columnar_cells_into(text, line, &mut |_| {}) >= 2
}

/// Cell boundaries of a plain-text table row, each handed to `cell`; returns their
/// number (a row has two or more). With tabs, every tab separates two cells (so
/// empty cells keep their columns); without, cells are separated by two or more
/// spaces or an ideographic space.
fn columnar_cells_into(text: &str, line: Line, cell: &mut dyn FnMut(Range<usize>)) -> usize {
    let content = &text[line.start..line.content_end];
    let mut count = 0;
    let mut push = |range: Range<usize>| {
        count += 1;
        cell(range);
    };
    if content.contains('\t') {
        let mut from = 0;
        for (i, _) in content.match_indices('\t') {
            push(trim_range(content, from..i, line.start));
            from = i + 1;
        }
        push(trim_range(content, from..content.len(), line.start));
        return count;
    }
    if !content.contains("  ") && !content.contains('\u{3000}') {
        return 0;
    }
    let mut cell_start: Option<usize> = None;
    let mut chars = content.char_indices().peekable();
    let mut gap_start: Option<usize> = None;
    let mut gap_is_separator = false;
    while let Some((i, c)) = chars.next() {
        if is_space(c) {
            if gap_start.is_none() {
                gap_start = Some(i);
                gap_is_separator = false;
            }
            let next_is_space = chars.peek().is_some_and(|&(_, n)| is_space(n));
            if c == '\u{3000}' || (c == ' ' && next_is_space) {
                gap_is_separator = true;
            }
            continue;
        }
        if let (Some(g), Some(s)) = (gap_start.take(), cell_start) {
            if gap_is_separator {
                push(line.start + s..line.start + g);
                cell_start = Some(i);
            }
        }
        cell_start.get_or_insert(i);
    }
    if let Some(s) = cell_start {
        let end = gap_start.unwrap_or(content.len());
        push(line.start + s..line.start + end);
    }
    count
}

/// `range` of `content` without surrounding spaces, shifted by `base`.
fn trim_range(content: &str, range: Range<usize>, base: usize) -> Range<usize> {
    let piece = &content[range.clone()];
    let lead = piece.len() - piece.trim_start_matches(is_space).len();
    let trimmed = piece.trim_matches(is_space).len();
    let start = base + range.start + lead;
    start..start + trimmed
}

/// Splits the text into blocks: each with its tree node and, for paragraphs,
/// headings and tables, its logical form. The nodes tile the text.
/// `out` receives each block as it is scanned: what it is, and its node.
/// Scans the blocks of `text` from `start` (after a metadata header, if any).
fn scan_markdown(text: &str, start: usize, diagnostics: &mut Findings, out: &mut Emitter<'_, '_>) {
    let mut pos = start;
    let mut table_close = Finder::new("</table>");
    let mut comment_close = Finder::new("-->");
    let mut next_line = NextLine::default();
    // A paragraph's lines and whether each is columnar: one pair of lists for all.
    let (mut lines, mut columnar) = (Vec::new(), Vec::new());
    while pos < text.len() {
        let line = next_line.at(text, pos);
        if is_blank(text, line) {
            let mut end = line.end;
            let mut count = 1;
            while end < text.len() {
                let next = line_at(text, end);
                if !is_blank(text, next) {
                    break;
                }
                end = next.end;
                count += 1;
            }
            blank_node(text, pos..end, out);
            out.block(
                ItemKind::Blank { lines: count },
                Span::new(pos, end),
                diagnostics,
            );
            pos = end;
        } else if starts_comment(text, line) {
            let open = pos + text[pos..].find("<!--").unwrap_or(0);
            let end = comment_close
                .find(text, open + 4)
                .map_or(text.len(), |i| i + 3);
            let mut children = Vec::new();
            if open > pos {
                children.push(Node::leaf(NodeKind::Whitespace, Span::new(pos, open)));
            }
            children.push(Node::leaf(NodeKind::Raw, Span::new(open, end)));
            out.whole(
                ItemKind::Comment,
                Node::container(NodeKind::Comment, children),
                diagnostics,
            );
            pos = end;
        } else if starts_html_table(text, line) {
            let open = pos + text[pos..line.content_end].find('<').unwrap_or(0);
            let end = match table_close.find(text, open) {
                Some(i) => i + "</table>".len(),
                None => unclosed_block_end(text, line),
            };
            // The table's node goes out as it is read (a row, a cell at a time); the
            // spaces before `<table>` open it.
            let mut lead =
                (open > pos).then(|| Node::leaf(NodeKind::Whitespace, Span::new(pos, open)));
            let mut depth = 0usize;
            let mut block = Span::new(pos, end);
            let tables = out.tables;
            let table =
                html::parse_html_table_into(text, open..end, tables, &mut |part| match part {
                    html::Streamed::Open(kind, span) => {
                        if depth == 0 {
                            let start = if lead.is_some() { pos } else { span.start };
                            block = Span::new(start, span.end);
                            out.open(kind, block);
                            if let Some(ws) = lead.take() {
                                out.node(ws);
                            }
                        } else {
                            out.open(kind, span);
                        }
                        depth += 1;
                    }
                    html::Streamed::Node(node) => out.node(node),
                    html::Streamed::Close => {
                        depth = depth.saturating_sub(1);
                        out.close();
                    }
                });
            out.block(ItemKind::Table(table), block, diagnostics);
            pos = end;
        } else if is_heading_line(text, line) {
            let (node, para) = heading(text, line, diagnostics, out.source);
            out.whole(ItemKind::Heading(para), node, diagnostics);
            pos = line.end;
        } else if is_page_number(text, line) {
            let mut children = inline::text_leaves(text, line.start..line.content_end);
            push_line_end(&mut children, line);
            out.whole(
                ItemKind::PageNumber,
                Node::container(NodeKind::PageNumber, children),
                diagnostics,
            );
            pos = line.end;
        } else if starts_pipe_row(text, line) {
            // Where the table ends (its lines are read again as its rows go out: a
            // table of a million rows holds no list of its lines).
            let mut end = line.end;
            while end < text.len() {
                let next = line_at(text, end);
                // A comment line between two rows (a reviewer's suppression) stays in the table.
                let comment_inside = starts_comment(text, next)
                    && text[next.start..next.content_end]
                        .trim_end_matches(is_space)
                        .ends_with("-->")
                    && next.end < text.len()
                    && starts_pipe_row(text, line_at(text, next.end));
                if !starts_pipe_row(text, next) && !comment_inside {
                    break;
                }
                end = next.end;
            }
            let table = pipe_table(text, pos..end, diagnostics, out);
            out.block(ItemKind::Table(table), Span::new(pos, end), diagnostics);
            pos = end;
        } else {
            // A paragraph, or a plain-text table when two or more columnar lines follow each other.
            // Lines are read only as far as the split needs: up to the first pair of
            // columnar lines, or to the end of a table that starts the paragraph. The rest
            // is read in the next round (a paragraph of a thousand small tables between
            // lines of text stays linear).
            lines.clear();
            columnar.clear();
            let mut previous_columnar = false;
            let mut first_pair: Option<usize> = None;
            let mut end = pos;
            while end < text.len() {
                let next = line_at(text, end);
                if !lines.is_empty() && ends_paragraph(text, next) {
                    break;
                }
                let is_table_row = is_columnar(text, next);
                match first_pair {
                    Some(0) if !is_table_row => break,
                    Some(k) if k > 0 => break,
                    _ => {}
                }
                if first_pair.is_none() && previous_columnar && is_table_row {
                    first_pair = Some(lines.len() - 1);
                }
                previous_columnar = is_table_row;
                // A table that starts the paragraph goes on while its lines are
                // columnar: only where it ends is kept, not its lines.
                if first_pair != Some(0) || lines.len() < 2 {
                    lines.push(next);
                    columnar.push(is_table_row);
                }
                end = next.end;
            }
            if first_pair == Some(0) {
                let table = text_table(text, pos..end, out);
                out.block(ItemKind::Table(table), Span::new(pos, end), diagnostics);
                pos = end;
                continue;
            }
            let split = text_table_split(&columnar);
            match split {
                Some((0, n)) => {
                    let table = text_table(text, pos..lines[n - 1].end, out);
                    out.block(
                        ItemKind::Table(table),
                        Span::new(pos, lines[n - 1].end),
                        diagnostics,
                    );
                    pos = lines[n - 1].end;
                }
                Some((k, _)) => {
                    let para = paragraph(text, &lines[..k], diagnostics, out);
                    out.block(
                        ItemKind::Para(para),
                        Span::new(pos, lines[k - 1].end),
                        diagnostics,
                    );
                    pos = lines[k - 1].end;
                }
                None => {
                    let para = paragraph(text, &lines, diagnostics, out);
                    out.block(ItemKind::Para(para), Span::new(pos, end), diagnostics);
                    pos = end;
                }
            }
        }
    }
}

/// Where a `<table>` never closed ends: at the next blank line (or the end).
fn unclosed_block_end(text: &str, first: Line) -> usize {
    let mut end = first.end;
    while end < text.len() {
        let next = line_at(text, end);
        if is_blank(text, next) {
            break;
        }
        end = next.end;
    }
    end
}

fn ends_paragraph(text: &str, line: Line) -> bool {
    is_blank(text, line)
        || starts_comment(text, line)
        || starts_html_table(text, line)
        || is_heading_line(text, line)
        || is_page_number(text, line)
        || starts_pipe_row(text, line)
}

/// The first run of two or more columnar lines (`columnar[i]`: line `i` is):
/// `(first line, line count)`.
fn text_table_split(columnar: &[bool]) -> Option<(usize, usize)> {
    if columnar.len() < 2 {
        return None;
    }
    let start = (0..columnar.len() - 1).find(|&i| columnar[i] && columnar[i + 1])?;
    let len = columnar[start..].iter().take_while(|c| **c).count();
    Some((start, len))
}

fn push_line_end(children: &mut Vec<Node>, line: Line) {
    children.extend(line_end(line));
}

/// The line break of `line` as a leaf, if it has one.
fn line_end(line: Line) -> Option<Node> {
    (line.end > line.content_end)
        .then(|| Node::leaf(NodeKind::Newline, Span::new(line.content_end, line.end)))
}

/// The node of the blank lines `text[range]`, opened and closed around its leaves.
fn blank_node(text: &str, range: Range<usize>, out: &mut Emitter<'_, '_>) {
    out.open(NodeKind::Blank, Span::new(range.start, range.end));
    let mut pos = range.start;
    while pos < range.end {
        let line = line_at(text, pos);
        if line.content_end > line.start {
            out.node(Node::leaf(
                NodeKind::Whitespace,
                Span::new(line.start, line.content_end),
            ));
        }
        if let Some(end) = line_end(line) {
            out.node(end);
        }
        pos = line.end;
    }
    out.close();
}

fn heading(
    text: &str,
    line: Line,
    diagnostics: &mut Findings,
    source: &Arc<String>,
) -> (Node, Para) {
    let content = &text[line.start..line.content_end];
    let marker_len = syntax::atx_marker(content).map_or(0, |(rest, _)| content.len() - rest.len());
    let level = content.bytes().take_while(|&b| b == b'#').count().min(6) as u8;
    let mut children = vec![Node::leaf(
        NodeKind::Marker,
        Span::new(line.start, line.start + marker_len),
    )];
    children.extend(inline::line_nodes(
        text,
        line.start + marker_len..line.content_end,
    ));
    push_line_end(&mut children, line);
    let node = Node::container(NodeKind::Heading, children);
    let para = logical_para(
        text,
        &node.children,
        ParaKind::Heading(level),
        diagnostics,
        Some(source),
    );
    (node, para)
}

/// A paragraph: its node goes out line by line (a paragraph of a million lines is
/// never whole in memory as a tree), its logical text is built as the lines go.
fn paragraph(
    text: &str,
    lines: &[Line],
    diagnostics: &mut Findings,
    out: &mut Emitter<'_, '_>,
) -> Para {
    let span = Span::new(lines[0].start, lines[lines.len() - 1].end);
    out.open(NodeKind::Paragraph, span);
    // The logical text is at most the paragraph's bytes, and a line break starts a
    // piece: room for both up front, so a large paragraph is not copied as it grows.
    let mut builder = ParaBuilder {
        text: String::with_capacity(span.len()),
        ..ParaBuilder::default()
    };
    // Node by node, each read into the logical text once the next one is known.
    let mut pending: Option<Node> = None;
    let mut take = |node: Node, diagnostics: &mut Findings| {
        if let Some(previous) = pending.replace(node) {
            builder.push_node(text, &previous, pending.as_ref(), diagnostics);
            out.node(previous);
        }
    };
    for line in lines {
        inline::line_nodes_into(text, line.start..line.content_end, &mut |n| {
            take(n, diagnostics)
        });
        if let Some(end) = line_end(*line) {
            take(end, diagnostics);
        }
    }
    if let Some(last) = pending.take() {
        builder.push_node(text, &last, None, diagnostics);
        out.node(last);
    }
    out.close();
    builder.fullwidth_at(diagnostics);
    let para = builder.finish(ParaKind::Text, Some(out.source));
    repair::hard_wrap(
        text,
        lines.iter().map(|l| l.start..l.content_end),
        &para,
        diagnostics,
    );
    para
}

/// Splits a pipe-table line into cell ranges (between unescaped `|`), into
/// `cells` and `bars` (cleared first: one pair of lists serves every row).
fn pipe_cells(text: &str, line: Line, cells: &mut Vec<Range<usize>>, bars: &mut Vec<usize>) {
    cells.clear();
    bars.clear();
    let content = &text[line.start..line.content_end];
    let bytes = content.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'|' && (i == 0 || bytes[i - 1] != b'\\') {
            bars.push(line.start + i);
        }
    }
    for w in bars.windows(2) {
        cells.push(w[0] + 1..w[1]);
    }
    // Text after the last bar is a cell too (GFM allows a missing closing bar).
    if let Some(&last) = bars.last() {
        let tail = &text[last + 1..line.content_end];
        let comment = tail.trim_matches(is_space).starts_with("<!--");
        if !tail.trim_matches(is_space).is_empty() && !comment {
            cells.push(last + 1..line.content_end);
        }
    }
}

/// The logical text of a cell whose leaves are only text, numbers and spaces (in
/// `《》` titles or not) and that has no `＠`: the cell as written without the
/// spaces around it, with its range — what [`logical_para`] reads from those
/// leaves, without building a paragraph. `None` for any other cell.
fn plain_cell(text: &str, cell: Range<usize>, nodes: &[Node]) -> Option<Range<usize>> {
    let plain = |n: &Node| {
        matches!(
            n.kind,
            NodeKind::Text | NodeKind::Number | NodeKind::Whitespace
        )
    };
    let all_plain = nodes
        .iter()
        .all(|n| plain(n) || (n.kind == NodeKind::BookTitle && n.children.iter().all(plain)));
    let content = &text[cell.clone()];
    if !all_plain || content.contains('＠') {
        return None;
    }
    let lead = content.len() - content.trim_start_matches(is_space).len();
    let trimmed = content.trim_matches(is_space).len();
    Some(cell.start + lead..cell.start + lead + trimmed)
}

/// A pipe table: its node goes out row by row, each row leaf by leaf.
fn pipe_table(
    text: &str,
    range: Range<usize>,
    diagnostics: &mut Findings,
    out: &mut Emitter<'_, '_>,
) -> Table {
    let span = Span::new(range.start, range.end);
    out.open(NodeKind::PipeTable, span);
    let mut grid = TableBuilder::new(Some(out.tables.clone()));
    let mut row_index = 0;
    // One set of lists for every row and cell.
    let (mut cells, mut bars, mut cell_nodes) = (Vec::new(), Vec::new(), Vec::new());
    for line in lines_of(text, range) {
        let line = &line;
        let content = &text[line.start..line.content_end];
        if !starts_pipe_row(text, *line) {
            // A comment line inside the table: markup, no row.
            let mut children = vec![Node::leaf(
                NodeKind::Raw,
                Span::new(line.start, line.content_end),
            )];
            push_line_end(&mut children, *line);
            out.node(Node::container(NodeKind::Comment, children));
            continue;
        }
        let i = row_index;
        row_index += 1;
        let is_delimiter = i == 1
            && matches!(syntax::delimiter_row(content.trim_matches(is_space)), Ok((rest, _)) if rest.is_empty());
        if is_delimiter {
            let mut children = vec![Node::leaf(
                NodeKind::Marker,
                Span::new(line.start, line.content_end),
            )];
            push_line_end(&mut children, *line);
            out.node(Node::container(NodeKind::DelimiterRow, children));
            continue;
        }
        pipe_cells(text, *line, &mut cells, &mut bars);
        // The row opens, its leaves go out one by one, each cell opened and closed
        // around its own: a row is never a node with lists of children.
        out.open(NodeKind::Row, Span::new(line.start, line.end));
        // Leaves in order: text before the first bar, then bar, cell, bar, cell, …
        let first_bar = bars.first().copied().unwrap_or(line.content_end);
        if first_bar > line.start {
            out.node(Node::leaf(
                NodeKind::Whitespace,
                Span::new(line.start, first_bar),
            ));
        }
        let mut pos = first_bar;
        for (k, &bar) in bars.iter().enumerate() {
            out.node(Node::leaf(NodeKind::Marker, Span::new(bar, bar + 1)));
            pos = bar + 1;
            let Some(cell) = cells.get(k) else { continue };
            cell_nodes.clear();
            inline::line_nodes_into(text, cell.clone(), &mut |n| cell_nodes.push(n));
            match plain_cell(text, cell.clone(), &cell_nodes) {
                // Empty (or only spaces): the cell's own range.
                Some(range) if range.is_empty() => grid.push("", cell.clone()),
                Some(range) => grid.push(&text[range.clone()], range),
                None => {
                    let para = logical_para(text, &cell_nodes, ParaKind::Text, diagnostics, None);
                    let span = if para.pieces().next().is_none() {
                        Span::new(cell.start, cell.end)
                    } else {
                        para.span
                    };
                    grid.push(&para.text, span.start..span.end);
                }
            }
            if !cell.is_empty() {
                out.open(NodeKind::Cell, Span::new(cell.start, cell.end));
                for node in cell_nodes.drain(..) {
                    out.node(node);
                }
                out.close();
            }
            pos = cell.end;
        }
        if pos < line.content_end {
            // Text after the last bar that is no cell: a comment (markup) or stray text.
            let tail = &text[pos..line.content_end];
            let kind = if tail.trim_matches(is_space).starts_with("<!--") {
                NodeKind::Raw
            } else {
                NodeKind::Text
            };
            out.node(Node::leaf(kind, Span::new(pos, line.content_end)));
        }
        if let Some(end) = line_end(*line) {
            out.node(end);
        }
        out.close();
        grid.end_row();
    }
    out.close();
    grid.finish(TableKind::Pipe, span)
}

/// A plain-text table: its node goes out row by row, each row leaf by leaf.
fn text_table(text: &str, range: Range<usize>, out: &mut Emitter<'_, '_>) -> Table {
    let span = Span::new(range.start, range.end);
    out.open(NodeKind::TextTable, span);
    let mut grid = TableBuilder::new(Some(out.tables.clone()));
    let mut cells = Vec::new();
    for line in lines_of(text, range) {
        let line = &line;
        cells.clear();
        if columnar_cells_into(text, *line, &mut |cell| cells.push(cell)) < 2 {
            cells.clear();
        }
        // The row opens, its leaves go out one by one, each cell opened and closed
        // around its own.
        out.open(NodeKind::Row, Span::new(line.start, line.end));
        let mut pos = line.start;
        for cell in cells.iter().cloned() {
            if cell.start > pos {
                out.node(Node::leaf(NodeKind::Whitespace, Span::new(pos, cell.start)));
            }
            // An empty cell (two tabs in a row) has no bytes of its own: no node.
            if !cell.is_empty() {
                out.open(NodeKind::Cell, Span::new(cell.start, cell.end));
                inline::text_leaves_into(text, cell.clone(), &mut |n| out.node(n));
                out.close();
            }
            grid.push(&text[cell.clone()], cell.clone());
            pos = cell.end;
        }
        if pos < line.content_end {
            out.node(Node::leaf(
                NodeKind::Whitespace,
                Span::new(pos, line.content_end),
            ));
        }
        if let Some(end) = line_end(*line) {
            out.node(end);
        }
        out.close();
        grid.end_row();
    }
    out.close();
    grid.finish(TableKind::Text, span)
}

/// The lines of `text[range]`, in order.
fn lines_of(text: &str, range: Range<usize>) -> impl Iterator<Item = Line> + '_ {
    let mut pos = range.start;
    std::iter::from_fn(move || {
        if pos >= range.end {
            return None;
        }
        let line = line_at(text, pos);
        pos = line.end.max(pos + 1);
        Some(line)
    })
}

/// The logical paragraph of a run of inline nodes.
pub(crate) fn logical_para(
    text: &str,
    nodes: &[Node],
    kind: ParaKind,
    diagnostics: &mut Findings,
    source: Option<&Arc<String>>,
) -> Para {
    let mut builder = ParaBuilder::default();
    builder.push_nodes(text, nodes, diagnostics);
    builder.fullwidth_at(diagnostics);
    builder.finish(kind, source)
}

/// Builds the logical text of a paragraph from its leaves.
#[derive(Default)]
struct ParaBuilder {
    text: String,
    pieces: PiecesBuilder,
    pending_newline: bool,
    pending_space: Option<Span>,
}

impl ParaBuilder {
    fn push_nodes(&mut self, src: &str, nodes: &[Node], diagnostics: &mut Findings) {
        for (i, node) in nodes.iter().enumerate() {
            self.push_node(src, node, nodes.get(i + 1), diagnostics);
        }
    }

    /// One node, knowing the node after it (`next`): spaces before a line break are
    /// not text.
    fn push_node(
        &mut self,
        src: &str,
        node: &Node,
        next: Option<&Node>,
        diagnostics: &mut Findings,
    ) {
        {
            let slice = &src[node.span.start..node.span.end];
            match node.kind {
                NodeKind::Bold => {
                    self.flush_space(src);
                    let start = self.text.len();
                    self.push_nodes(src, &node.children, diagnostics);
                    let end = self.text.len();
                    if end > start {
                        self.pieces.push_bold(start..end);
                    }
                }
                NodeKind::BookTitle | NodeKind::Cell => {
                    self.push_nodes(src, &node.children, diagnostics)
                }
                NodeKind::Text | NodeKind::Number => self.push_text(src, node.span),
                NodeKind::Whitespace => {
                    let before_newline = next.is_some_and(|n| n.kind == NodeKind::Newline);
                    if before_newline {
                        if slice.len() >= 2 && slice.bytes().all(|b| b == b' ') {
                            diagnostics.push(Diagnostic::new(
                                &codes::HARD_LINE_BREAK,
                                node.span.cover(next.map_or(node.span, |n| n.span)),
                                Message::new("段落内的硬换行（行尾两个空格）已接合", "a hard line break (two trailing spaces) inside a paragraph was joined"),
                            ));
                        }
                    } else if !self.text.is_empty() {
                        self.pending_space = Some(node.span);
                    }
                }
                NodeKind::Newline => {
                    self.pending_space = None;
                    self.pending_newline = true;
                }
                NodeKind::Escape => {
                    diagnostics.push(Diagnostic::new(
                        &codes::CONVERTER_ESCAPE,
                        node.span,
                        Message::new(
                            format!("转换工具留下的转义符 `{slice}` 已去除"),
                            format!("the converter's escape `{slice}` was undone"),
                        ),
                    ));
                }
                NodeKind::Entity => {
                    self.flush_space(src);
                    let decoded = decode_entity(slice);
                    if !self.text.is_empty() || !decoded.trim().is_empty() {
                        self.push_replaced(&decoded, node.span);
                    }
                    diagnostics.push(Diagnostic::new(
                        &codes::ENTITY_OR_FULLWIDTH,
                        node.span,
                        Message::new(
                            format!("HTML 实体 `{slice}` 已按其含义读取"),
                            format!("the HTML entity `{slice}` was read as what it means"),
                        ),
                    ));
                }
                NodeKind::Tag => {
                    let lower = slice.to_ascii_lowercase();
                    if lower.starts_with("<br") {
                        self.pending_space = None;
                        self.push_replaced("\n", node.span);
                    }
                }
                _ => {}
            }
        }
    }

    fn flush_space(&mut self, src: &str) {
        if let Some(span) = self.pending_space.take() {
            let s = &src[span.start..span.end];
            self.push_piece(s, span, true);
        }
    }

    fn push_text(&mut self, src: &str, span: Span) {
        let slice = &src[span.start..span.end];
        if self.pending_newline {
            self.pending_newline = false;
            // Soft line breaks join without a space in Chinese; keep one between Latin words.
            let prev_latin = self
                .text
                .chars()
                .last()
                .is_some_and(|c| c.is_ascii_alphanumeric());
            let next_latin = slice
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric());
            if prev_latin && next_latin {
                self.push_replaced(" ", Span::new(span.start, span.start));
            }
        }
        self.flush_space(src);
        self.push_piece(slice, span, true);
    }

    fn push_replaced(&mut self, s: &str, span: Span) {
        self.push_piece(s, span, false);
    }

    fn push_piece(&mut self, s: &str, span: Span, verbatim: bool) {
        if s.is_empty() {
            return;
        }
        let start = self.text.len();
        self.text.push_str(s);
        if verbatim {
            if let Some(last) = self.pieces.last_mut() {
                if last.verbatim && last.span.end == span.start && last.text.end == start {
                    last.text.end = self.text.len();
                    last.span.end = span.end;
                    last.decoded.end = span.end;
                    return;
                }
            }
        }
        self.pieces.push(Piece::new(
            start..self.text.len(),
            span.start..span.end,
            verbatim,
        ));
    }

    /// A full-width ＠ between Latin characters is an e-mail address's @: read it as @.
    fn fullwidth_at(&mut self, diagnostics: &mut Findings) {
        if !self.text.contains('＠') {
            return;
        }
        let old = std::mem::take(&mut self.pieces).finish();
        let mut text = String::with_capacity(self.text.len());
        let mut pieces = Pieces::default();
        let push = |text: &mut String,
                    pieces: &mut Pieces,
                    s: &str,
                    span: Span,
                    decoded: Range<usize>,
                    verbatim: bool| {
            if s.is_empty() {
                return;
            }
            let start = text.len();
            text.push_str(s);
            pieces.push(&Piece {
                text: start..text.len(),
                span,
                verbatim,
                decoded,
            });
        };
        for piece in old.iter() {
            let slice = &self.text[piece.text.clone()];
            let mut from = 0;
            if piece.verbatim {
                for (i, _) in slice.match_indices('＠') {
                    let whole = &self.text;
                    let abs = piece.text.start + i;
                    let before = whole[..abs]
                        .chars()
                        .last()
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
                    let after = whole[abs + 3..]
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphanumeric());
                    if !(before && after) {
                        continue;
                    }
                    let d0 = piece.decoded.start;
                    push(
                        &mut text,
                        &mut pieces,
                        &slice[from..i],
                        Span::new(d0 + from, d0 + i),
                        d0 + from..d0 + i,
                        true,
                    );
                    let sym = Span::new(d0 + i, d0 + i + 3);
                    push(&mut text, &mut pieces, "@", sym, sym.start..sym.end, false);
                    diagnostics.push(Diagnostic::new(
                        &codes::ENTITY_OR_FULLWIDTH,
                        sym,
                        Message::new(
                            "电子邮箱地址中的全角 ＠ 已按 @ 读取",
                            "a full-width ＠ in an e-mail address was read as @",
                        ),
                    ));
                    from = i + 3;
                }
            }
            let d0 = piece.decoded.start;
            let (rest_span, rest_decoded) = if piece.verbatim {
                (
                    Span::new(d0 + from, piece.decoded.end),
                    d0 + from..piece.decoded.end,
                )
            } else {
                (piece.span, piece.decoded.clone())
            };
            push(
                &mut text,
                &mut pieces,
                &slice[from..],
                rest_span,
                rest_decoded,
                piece.verbatim,
            );
        }
        // Bold ranges shift by two bytes per replaced ＠ before them.
        let replaced: Vec<usize> = pieces
            .iter()
            .filter(|p| !p.verbatim && p.text.len() == 1 && p.span.len() == 3)
            .map(|p| p.decoded.start)
            .collect();
        // (The offset a run's end is compared with is its text offset: the
        // replacements are counted as they always have been.)
        let to_new =
            |at: usize| at.saturating_sub(2 * replaced.iter().filter(|&&r| r < at).count());
        for run in old.bold() {
            pieces.push_bold(to_new(run.start)..to_new(run.end));
        }
        self.text = text;
        self.pieces = PiecesBuilder::from(pieces);
    }

    /// The paragraph; its text shares `source` when it reads as written.
    fn finish(self, kind: ParaKind, source: Option<&Arc<String>>) -> Para {
        let ParaBuilder {
            mut text, pieces, ..
        } = self;
        let mut pieces = pieces.finish();
        // Trailing whitespace is not part of the logical text.
        let trimmed = text.trim_end_matches(is_space).len();
        if trimmed < text.len() {
            text.truncate(trimmed);
            pieces = pieces.truncated(trimmed);
        }
        let span = match (pieces.first(), pieces.last()) {
            (Some(f), Some(l)) => Span::new(f.span.start, l.span.end),
            _ => Span::default(),
        };
        let text = ParaText::of(text, &pieces, source);
        Para::new(kind, text, pieces, span)
    }
}

/// The text an HTML character reference stands for (`&nbsp;` → a space).
pub(crate) fn decode_entity(entity: &str) -> String {
    let name = entity.trim_start_matches('&').trim_end_matches(';');
    let code = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
        u32::from_str_radix(hex, 16).ok()
    } else if let Some(dec) = name.strip_prefix('#') {
        dec.parse().ok()
    } else {
        None
    };
    if let Some(code) = code {
        return match char::from_u32(code) {
            Some('\u{a0}') => " ".to_string(),
            Some(c) => c.to_string(),
            None => "\u{fffd}".to_string(),
        };
    }
    match name {
        "nbsp" | "ensp" | "emsp" | "thinsp" => " ",
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        "ldquo" => "“",
        "rdquo" => "”",
        "lsquo" => "‘",
        "rsquo" => "’",
        "middot" => "·",
        "mdash" => "—",
        "hellip" => "…",
        _ => return entity.to_string(),
    }
    .to_string()
}
