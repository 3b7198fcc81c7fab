//! Text between tags: its leaves, and the text a reader sees.
//!
//! A text token becomes `Whitespace` and `Newline` leaves, the leaves of its
//! runs of text, and one `Entity` leaf per character reference (decoded by
//! `entities`). Its text is fed to a `TextBuilder`, which builds the text of a
//! paragraph or cell as a browser shows it: tags removed, references decoded,
//! runs of source white space collapsed to one space (dropped altogether when a
//! line break in the source sits between two wide CJK characters, as CSS Text 3
//! does), ASCII white space and no-break spaces trimmed at both ends; full-width
//! spaces (U+3000) are kept. In a cell, `<br>` is a line break (`\n`) and a
//! block edge one line break. A paragraph's text keeps its pieces (where each
//! part of it comes from) and its bold runs.

use std::mem;
use std::ops::Range;

use crate::logical::{Piece, Pieces, PiecesBuilder};
use crate::span::Span;
use crate::tree::{Node, NodeKind};

use super::entities::entity_at;

fn is_html_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}')
}

/// Whitespace and Newline leaves for the ASCII white space `text[s..e]`.
fn ws_leaves(text: &str, s: usize, e: usize, out: &mut Vec<Node>) {
    let bytes = text.as_bytes();
    let mut i = s;
    while i < e {
        match bytes.get(i) {
            Some(b'\n') => {
                out.push(Node::leaf(NodeKind::Newline, Span::new(i, i + 1)));
                i += 1;
            }
            Some(b'\r') => {
                let len = if i + 1 < e && bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                out.push(Node::leaf(NodeKind::Newline, Span::new(i, i + len)));
                i += len;
            }
            _ => {
                let start = i;
                while i < e && !matches!(bytes.get(i), Some(b'\n' | b'\r') | None) {
                    i += 1;
                }
                out.push(Node::leaf(NodeKind::Whitespace, Span::new(start, i)));
            }
        }
    }
}

/// Leaves for the text token `text[s..e]` (white space, text runs, entities),
/// feeding its text to `tb`.
pub(super) fn text_into(
    text: &str,
    s: usize,
    e: usize,
    out: &mut Vec<Node>,
    mut tb: Option<&mut TextBuilder>,
    bold: bool,
) {
    let Some(seg) = text.get(s..e) else {
        out.push(Node::leaf(NodeKind::Raw, Span::new(s, e.max(s))));
        return;
    };
    let lead = seg.len() - seg.trim_start_matches(is_html_ws).len();
    if lead == seg.len() {
        ws_leaves(text, s, e, out);
        if let Some(tb) = tb {
            tb.ws(s, seg, bold);
        }
        return;
    }
    let mid_end = s + seg.trim_end_matches(is_html_ws).len();
    if lead > 0 {
        ws_leaves(text, s, s + lead, out);
        if let Some(tb) = tb.as_deref_mut() {
            tb.ws(s, &seg[..lead], bold);
        }
    }
    let mut run = s + lead;
    let mut pos = run;
    while let Some(off) = text.get(pos..mid_end).and_then(|m| m.find('&')) {
        let amp = pos + off;
        match entity_at(text, amp, mid_end) {
            Some((len, decoded)) => {
                run_into(text, run, amp, out, tb.as_deref_mut(), bold);
                let span = Span::new(amp, amp + len);
                out.push(Node::leaf(NodeKind::Entity, span));
                if let Some(tb) = tb.as_deref_mut() {
                    tb.content(&decoded, span, false, bold);
                }
                run = amp + len;
                pos = run;
            }
            None => pos = amp + 1,
        }
    }
    run_into(text, run, mid_end, out, tb.as_deref_mut(), bold);
    if mid_end < e {
        ws_leaves(text, mid_end, e, out);
        if let Some(tb) = tb {
            tb.ws(mid_end, &text[mid_end..e], bold);
        }
    }
}

/// Leaves for the text run `text[s..e]` (no references), fed to `tb`.
fn run_into(
    text: &str,
    s: usize,
    e: usize,
    out: &mut Vec<Node>,
    tb: Option<&mut TextBuilder>,
    bold: bool,
) {
    if s >= e {
        return;
    }
    crate::inline::text_leaves_into(text, s..e, &mut |n| out.push(n));
    let (Some(tb), Some(run)) = (tb, text.get(s..e)) else {
        return;
    };
    let mut start = 0;
    let mut in_ws = None;
    for (i, c) in run.char_indices() {
        let ws = is_html_ws(c);
        if in_ws != Some(ws) {
            if let Some(was_ws) = in_ws {
                feed(tb, run, s, start..i, was_ws, bold);
            }
            start = i;
            in_ws = Some(ws);
        }
    }
    if let Some(was_ws) = in_ws {
        feed(tb, run, s, start..run.len(), was_ws, bold);
    }
}

fn feed(tb: &mut TextBuilder, run: &str, base: usize, r: Range<usize>, ws: bool, bold: bool) {
    let part = &run[r.clone()];
    if ws {
        tb.ws(base + r.start, part, bold);
    } else {
        tb.content(part, Span::new(base + r.start, base + r.end), true, bold);
    }
}

/// White space waiting to become one space (or nothing).
struct PendingWs {
    span: Span,
    newline: bool,
    single: bool,
    bold: bool,
}

/// The built text of a paragraph or cell.
pub(super) struct Built {
    pub(super) text: String,
    /// Its pieces and bold runs (none for a cell).
    pub(super) pieces: Pieces,
}

/// Accumulates the text a browser would show, with its pieces and bold runs.
pub(super) struct TextBuilder {
    text: String,
    pieces: PiecesBuilder,
    keep_pieces: bool,
    pending_ws: Option<PendingWs>,
    pending_breaks: usize,
    break_span: Option<Span>,
}

impl TextBuilder {
    pub(super) fn new(keep_pieces: bool) -> Self {
        TextBuilder {
            text: String::new(),
            pieces: PiecesBuilder::default(),
            keep_pieces,
            pending_ws: None,
            pending_breaks: 0,
            break_span: None,
        }
    }

    /// A builder writing its text into `buffer` (cleared): a cell's builder takes
    /// the room the cell before it left.
    pub(super) fn with_buffer(keep_pieces: bool, mut buffer: String) -> Self {
        buffer.clear();
        TextBuilder {
            text: buffer,
            ..TextBuilder::new(keep_pieces)
        }
    }

    /// The text as [`TextBuilder::finish`] makes it (empty for `None`), without
    /// making it: a stretch of the builder's own text.
    pub(super) fn trimmed(&self) -> &str {
        self.text
            .trim_matches(|c: char| c.is_ascii_whitespace() || c == '\u{a0}')
    }

    /// The builder's text buffer, for the next builder.
    pub(super) fn into_buffer(self) -> String {
        self.text
    }

    pub(super) fn has_text(&self) -> bool {
        !self.text.is_empty()
    }

    /// Collapsible white space `src` starting at byte `start`.
    fn ws(&mut self, start: usize, src: &str, bold: bool) {
        if src.is_empty() || self.pending_breaks > 0 {
            return;
        }
        let newline = src.contains(['\n', '\r']);
        match &mut self.pending_ws {
            Some(p) => {
                p.newline |= newline;
            }
            None => {
                self.pending_ws = Some(PendingWs {
                    span: Span::new(start, start + src.len()),
                    newline,
                    single: src == " ",
                    bold,
                });
            }
        }
    }

    /// A line break (`<br>` is hard and counts; a block edge is soft).
    pub(super) fn brk(&mut self, hard: bool, span: Span) {
        self.pending_ws = None;
        if hard {
            self.pending_breaks += 1;
        } else if self.pending_breaks == 0 {
            self.pending_breaks = 1;
        }
        if self.break_span.is_none() {
            self.break_span = Some(span);
        }
    }

    /// Text shown as `s`, from `span` (verbatim when `s` is the source text).
    fn content(&mut self, s: &str, span: Span, verbatim: bool, bold: bool) {
        let Some(first) = s.chars().next() else {
            return;
        };
        self.flush_pending(first);
        let start = self.text.len();
        self.text.push_str(s);
        self.record(start, span, verbatim, bold);
    }

    fn flush_pending(&mut self, next: char) {
        let breaks = mem::take(&mut self.pending_breaks);
        let break_span = self.break_span.take();
        let ws = self.pending_ws.take();
        if self.text.is_empty() {
            return;
        }
        if breaks > 0 {
            let start = self.text.len();
            for _ in 0..breaks {
                self.text.push('\n');
            }
            let span = break_span.unwrap_or_default();
            self.record(start, span, false, false);
        } else if let Some(p) = ws {
            let last = self.text.chars().next_back().unwrap_or(' ');
            if p.newline && is_wide(last) && is_wide(next) {
                return;
            }
            let start = self.text.len();
            self.text.push(' ');
            self.record(start, p.span, p.single, p.bold);
        }
    }

    fn record(&mut self, start: usize, span: Span, verbatim: bool, bold: bool) {
        if !self.keep_pieces {
            return;
        }
        let end = self.text.len();
        match self.pieces.last_mut() {
            Some(last)
                if verbatim
                    && last.verbatim
                    && last.text.end == start
                    && last.span.end == span.start
                    && last.span.len() == last.text.len()
                    && span.len() == end - start =>
            {
                last.text.end = end;
                last.span.end = span.end;
                last.decoded.end = span.end;
            }
            _ => self
                .pieces
                .push(Piece::new(start..end, span.start..span.end, verbatim)),
        }
        if bold {
            match self.pieces.last_bold_mut() {
                Some(last) if last.end == start => last.end = end,
                _ => self.pieces.push_bold(start..end),
            }
        }
    }

    /// The text trimmed of white space and no-break spaces at both ends; `None` when empty.
    pub(super) fn finish(self) -> Option<Built> {
        let trim = |c: char| c.is_ascii_whitespace() || c == '\u{a0}';
        let a = self.text.len() - self.text.trim_start_matches(trim).len();
        let b = self.text.trim_end_matches(trim).len();
        if a >= b {
            return None;
        }
        let built = self.pieces.finish();
        if a == 0 && b == self.text.len() {
            let mut text = self.text;
            text.shrink_to_fit();
            return Some(Built {
                text,
                pieces: built,
            });
        }
        let mut pieces = Pieces::default();
        for p in built.iter() {
            let s = p.text.start.max(a);
            let e = p.text.end.min(b);
            if s >= e {
                continue;
            }
            let span = if p.verbatim && p.span.len() == p.text.len() {
                Span::new(
                    p.span.start + (s - p.text.start),
                    p.span.end - (p.text.end - e),
                )
            } else {
                p.span
            };
            pieces.push(&Piece::new(s - a..e - a, span.start..span.end, p.verbatim));
        }
        for r in built.bold() {
            let s = r.start.max(a);
            let e = r.end.min(b);
            if s < e {
                pieces.push_bold(s - a..e - a);
            }
        }
        Some(Built {
            text: self.text[a..b].to_string(),
            pieces,
        })
    }
}

/// Chinese characters (ideographs, CJK and full-width punctuation) in `s`.
pub(super) fn cjk_count(s: &str) -> u64 {
    s.chars().filter(|&c| is_cjk(c)).count() as u64
}

pub(super) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3001}'..='\u{303F}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF01}'..='\u{FF60}'
        | '\u{20000}'..='\u{2FFFF}')
}

/// East Asian wide characters, between which a source line break is dropped.
fn is_wide(c: char) -> bool {
    is_cjk(c) || matches!(c, '\u{3000}' | '\u{3040}'..='\u{30FF}' | '\u{FFE0}'..='\u{FFE6}')
}
