//! Lossless grammar for Chinese government information-disclosure annual reports
//! (政府信息公开工作年度报告).
//!
//! One entry point, [`parse`], turns any bytes — Markdown from a PDF/Word
//! converter, plain text, or an HTML page, in UTF-8 or GB18030 — into a
//! [`Parsed`]: a lossless syntax tree whose leaves tile the original bytes,
//! the logical document after named repairs of conversion artefacts, the
//! outline recovered from the numbering, and diagnostics. Parsing never fails.
//!
//! ```
//! let parsed = nianbao_grammar::parse("一、概述\n\n本报告由某市人民政府办公室编制。\n".as_bytes());
//! assert_eq!(parsed.outline[0].title(), "概述");
//! // The leaves tile the input: the tree gives back every byte.
//! assert_eq!(parsed.tree_text(), "一、概述\n\n本报告由某市人民政府办公室编制。\n".as_bytes());
//! ```

#![warn(missing_docs)]

pub mod codes;
mod decode;
pub mod diagnostic;
pub mod findings;
mod html;
mod inline;
pub mod located;
pub mod logical;
pub mod metadata;
pub mod sniff;
pub mod span;
pub mod tree;

pub use decode::{Encoding, OffsetMap};
pub use diagnostic::{Diagnostic, Elsewhere, Message, Related, Severity};
pub use logical::{Block, Cell, Para, ParaKind, Piece, Table, TableKind};
pub use span::{LineCol, LineCursor, LineIndex, Span};
pub use tree::{Node, NodeKind};

/// What kind of input the bytes were.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputKind {
    /// Markdown (or plain text; one grammar reads both).
    Markdown,
    /// An HTML page.
    Html,
}

/// The result of parsing: tree, logical document, outline and diagnostics.
#[derive(Debug)]
pub struct Parsed {
    /// The original bytes, when they differ from the text's (see [`Parsed::source`]).
    source: Option<Vec<u8>>,
    /// The decoded text the grammar read (without a byte-order mark); shared with
    /// the paragraphs that read as written.
    pub text: std::sync::Arc<String>,
    /// The encoding detected.
    pub encoding: Encoding,
    /// Markdown/plain text or HTML page.
    pub input_kind: InputKind,
    /// The lossless syntax tree (spans into `source`).
    pub tree: Node,
    /// The logical document after repairs (spans into `source`).
    pub blocks: Vec<Block>,
    /// Sections recovered from the numbering (shared: cloning it is cheap).
    pub outline: outline::Outline,
    /// The metadata header before the report text (a site archive's `标题:`
    /// `发布时间:` … lines), when the input starts with one; for an HTML page, its
    /// publication time (the `PubDate` meta, else the `发布时间：` line under the
    /// title) as a `发布时间` field.
    pub metadata: Option<metadata::Metadata>,
    /// Input diagnostics (NB0xx), in input order: at most
    /// [`findings::MAX_PER_RULE`] + 1 of a code (the rest are counted in `left_out`).
    pub diagnostics: Vec<Diagnostic>,
    /// Input diagnostics beyond those kept, by code (see [`findings`]).
    pub left_out: Vec<findings::LeftOut>,
    lines: LineIndex,
    map: OffsetMap,
    bom_len: usize,
}

impl Parsed {
    /// The original bytes (for UTF-8 input without a byte-order mark, the text's own bytes).
    pub fn source(&self) -> &[u8] {
        self.source.as_deref().unwrap_or(self.text.as_bytes())
    }

    /// The bytes of the tree's leaves, concatenated: always equal to [`Parsed::source`].
    pub fn tree_text(&self) -> Vec<u8> {
        let source = self.source();
        let mut out = Vec::with_capacity(source.len());
        for leaf in self.tree.leaves() {
            out.extend_from_slice(&source[leaf.span.start..leaf.span.end]);
        }
        out
    }

    /// The decoded text with what locates original offsets in it.
    pub fn view(&self) -> TextView<'_> {
        TextView::new(&self.text, &self.lines, &self.map)
    }

    /// 1-based line and character column of an original byte offset.
    pub fn line_col(&self, offset: usize) -> LineCol {
        self.view().line_col(offset)
    }

    /// [`Parsed::line_col`] for offsets located in increasing order: from
    /// `cursor`, each character of a line is counted once (see
    /// [`LineIndex::line_col_from`]).
    pub fn line_col_from(&self, cursor: &mut LineCursor, offset: usize) -> LineCol {
        self.lines
            .line_col_from(cursor, &self.text, self.map.to_decoded(offset))
    }

    /// 1-based line of an original byte offset: [`Parsed::line_col`]'s line,
    /// without counting the column.
    pub fn line_of(&self, offset: usize) -> usize {
        self.lines
            .line_of(self.text.len(), self.map.to_decoded(offset))
    }

    /// The decoded text of an original span (lossy at a span edge inside a character).
    pub fn text_of(&self, span: Span) -> &str {
        self.view().text_of(span)
    }

    /// The decoded-text offset of an original byte offset (equal for UTF-8 without BOM).
    pub fn to_decoded(&self, offset: usize) -> usize {
        self.map.to_decoded(offset)
    }

    /// The smallest span on character boundaries of the input that covers `span`:
    /// a start inside a character moves to that character's start, an end inside
    /// one to its end; ends past the input are clamped to it. A span that already
    /// lies on boundaries is returned unchanged.
    ///
    /// ```
    /// use nianbao_grammar::{parse, Span};
    /// let parsed = parse("信息".as_bytes());
    /// assert_eq!(parsed.on_chars(Span::new(1, 2)), Span::new(0, 3));
    /// assert_eq!(parsed.on_chars(Span::new(3, 6)), Span::new(3, 6));
    /// ```
    pub fn on_chars(&self, span: Span) -> Span {
        let start = self.snap(span.start, false);
        let end = self.snap(span.end, true).max(start);
        Span::new(start, end)
    }

    /// True when both ends of `span` are character boundaries within the input.
    pub fn is_on_chars(&self, span: Span) -> bool {
        self.on_chars(span) == span
    }

    /// The original offset of the character boundary at or before (`up` false) or
    /// at or after (`up` true) `offset`.
    fn snap(&self, offset: usize, up: bool) -> usize {
        let offset = offset.min(self.source().len());
        if offset <= self.bom_len {
            // Inside the byte-order mark: out to the start of the input or to the mark's end.
            return match (offset, up) {
                (0, _) => 0,
                (o, _) if o == self.bom_len => o,
                (_, true) => self.bom_len,
                (_, false) => 0,
            };
        }
        let mut d = self.to_decoded(offset).min(self.text.len());
        while d > 0 && !self.text.is_char_boundary(d) {
            d -= 1;
        }
        let floor = self.map.to_original(d);
        if floor >= offset {
            return offset;
        }
        if !up {
            return floor;
        }
        // `offset` lies inside the character starting at `floor`: out to its end.
        let next = self.text[d..]
            .chars()
            .next()
            .map_or(self.text.len(), |c| d + c.len_utf8());
        self.map
            .to_original(next)
            .clamp(offset, self.source().len())
    }

    /// The original byte offset of a decoded-text offset (a character boundary of
    /// [`Parsed::text`]; equal for UTF-8 without BOM).
    pub fn to_original(&self, decoded: usize) -> usize {
        self.map.to_original(decoded)
    }

    /// Offset of the byte-order mark's end (0 when there is none).
    pub fn bom_len(&self) -> usize {
        self.bom_len
    }

    /// The first image the input shows within `span`: an HTML `<img …>` tag (in a
    /// page, or in Markdown a converter wrote), or a Markdown image `![alt](src)`.
    /// The logical view drops images (they hold no text), so a table published as
    /// a picture leaves only this behind. Linear in the span's length.
    ///
    /// ```
    /// use nianbao_grammar::{parse, Span};
    /// let text = "三、收到和处理政府信息公开申请情况\n\n<p><IMG src=\"t3.png\"></p>\n";
    /// let parsed = parse(text.as_bytes());
    /// let at = parsed.image_in(Span::new(0, text.len())).expect("an image");
    /// assert!(parsed.text_of(at).starts_with("<IMG"));
    /// let md = "![表三](t3.png)";
    /// assert_eq!(parse(md.as_bytes()).image_in(Span::new(0, md.len())), Some(Span::new(0, md.len())));
    /// // Brackets that are not an image, and an `<imgx>` tag, are not images.
    /// let plain = "[1]见附件！[2](略) <imgx>";
    /// assert_eq!(parse(plain.as_bytes()).image_in(Span::new(0, plain.len())), None);
    /// ```
    pub fn image_in(&self, span: Span) -> Option<Span> {
        let span = self.on_chars(span);
        let from = self.to_decoded(span.start).min(self.text.len());
        let to = self.to_decoded(span.end).clamp(from, self.text.len());
        let text = self.text.get(from..to)?;
        let found = image_at(text)?;
        Some(Span::new(
            self.to_original(from + found.start),
            self.to_original(from + found.end),
        ))
    }
}

/// The byte range of the first image in `text` ([`Parsed::image_in`]).
fn image_at(text: &str) -> Option<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' if bytes.len() >= i + 5
                && bytes[i + 1..i + 4].eq_ignore_ascii_case(b"img")
                && matches!(bytes[i + 4], b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'>') =>
            {
                let end = text[i..].find('>').map_or(text.len(), |e| i + e + 1);
                return Some(i..end);
            }
            b'!' if bytes.get(i + 1) == Some(&b'[') => {
                // `![alt](src)` on one line.
                let line_end = text[i..].find('\n').map_or(text.len(), |e| i + e);
                let line = &text[i..line_end];
                if let Some(close) = line.find("](") {
                    if let Some(end) = line[close..].find(')') {
                        return Some(i..i + close + end + 1);
                    }
                }
                // No image on the rest of this line: never scan it again.
                i = line_end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The decoded text of a parse with its line index and offset map: locates an
/// original span (line, column, text). Available while the parse streams its tree
/// (see [`TreeSink`]) and from a finished [`Parsed`].
#[derive(Clone, Copy)]
pub struct TextView<'a> {
    text: &'a str,
    lines: &'a LineIndex,
    map: &'a OffsetMap,
}

impl<'a> TextView<'a> {
    pub(crate) fn new(text: &'a str, lines: &'a LineIndex, map: &'a OffsetMap) -> Self {
        TextView { text, lines, map }
    }

    /// 1-based line and character column of an original byte offset.
    pub fn line_col(&self, offset: usize) -> LineCol {
        self.lines.line_col(self.text, self.map.to_decoded(offset))
    }

    /// The decoded text of an original span (lossy at a span edge inside a character).
    pub fn text_of(&self, span: Span) -> &'a str {
        let start = self.map.to_decoded(span.start);
        let end = self.map.to_decoded(span.end).max(start);
        self.text.get(start..end).unwrap_or("")
    }

    /// An original span with the line and column of its start.
    pub fn locate(&self, span: Span) -> located::LocatedSpan {
        let lc = self.line_col(span.start);
        located::LocatedSpan {
            start: span.start,
            end: span.end,
            line: lc.line,
            column: lc.column,
        }
    }
}

/// What a streamed parse is, told to its [`TreeSink`] before any node.
pub struct TreeInfo<'a> {
    /// The encoding detected.
    pub encoding: Encoding,
    /// Markdown/plain text or HTML page.
    pub input_kind: InputKind,
    /// The span of the document node (the whole input).
    pub document: Span,
    /// The decoded text, to locate spans.
    pub text: TextView<'a>,
}

/// Receives the syntax tree one top-level node at a time, as the parse makes it
/// (see [`parse_streamed`]).
pub trait TreeSink {
    /// Before any node: what the input is.
    fn start(&mut self, _info: &TreeInfo<'_>) {}
    /// A node whose children come next, each by [`TreeSink::node`] (or nested
    /// `open`…`close`), until the matching [`TreeSink::close`]: a block too large to
    /// hand out whole (a paragraph goes out line by line, a table row by row).
    fn open(&mut self, kind: NodeKind, span: Span, text: &TextView<'_>);
    /// A whole node: a child of the document node (a block, or the byte-order
    /// mark) or of the node last opened, in input order, with its spans in the
    /// original bytes.
    fn node(&mut self, node: Node, text: &TextView<'_>);
    /// The node last opened is complete.
    fn close(&mut self);
}

pub mod outline;
mod packed;
mod repair;
mod syntax;
mod table;

mod parse;
pub use parse::{parse, parse_owned, parse_streamed, parse_streamed_as};
