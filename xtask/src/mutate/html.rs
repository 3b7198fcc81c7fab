//! Single edits of an HTML report chosen from its text alone, never from what the
//! checker understood of it (the held-out style of measuring): one number of a table
//! cell, one narrative figure, one date, one 文号.
//!
//! The page is tokenized by `html5gum` (byte spans of tags; the text is what lies
//! between them) into *blocks*: the text between two block-level tags (`<p>`,
//! `<div>`, `<br>`, `<td>`, `<tr>`, `<table>`, headings, list items, …), so inline
//! tags (`<span>`) split a block's text into pieces but not the block. The bodies of
//! `<script>`, `<style>`, `<title>`, `<textarea>` and `<noscript>` are not text. A
//! *leaf table* is a `<table>` with no table inside it (a table that holds another
//! is page layout, and its cells are running text); the text of a leaf table's cell
//! is a cell block, any other text is running text.
//!
//! An edit replaces one stretch of the original bytes that lies inside one piece of
//! text, by text: the markup is never touched, so the page stays as well-formed as it
//! was.

use std::collections::HashSet;

use html5gum::{DefaultEmitter, Token, Tokenizer};
use nianbao_model::grammar::Span;

use super::Rng;

/// The kinds of edit of an HTML report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum HtmlKind {
    Cell,
    Figure,
    Date,
    DocNumber,
}

impl HtmlKind {
    pub(super) const ALL: [HtmlKind; 4] = [
        HtmlKind::Cell,
        HtmlKind::Figure,
        HtmlKind::Date,
        HtmlKind::DocNumber,
    ];

    pub(super) fn name(self) -> &'static str {
        match self {
            HtmlKind::Cell => "table cell",
            HtmlKind::Figure => "narrative figure",
            HtmlKind::Date => "date",
            HtmlKind::DocNumber => "文号",
        }
    }

    /// What the kind's edits do, for the table's legend.
    pub(super) fn legend(self) -> &'static str {
        match self {
            HtmlKind::Cell => "the number of a data cell +1…+9, or ×10",
            HtmlKind::Figure => "a count of running text (20件, 3人次) +1…+9",
            HtmlKind::Date => {
                "a statistical period's start year −1 or end year +1; another date's month → 13 or day → 32"
            }
            HtmlKind::DocNumber => "〔YYYY〕 → [YYYY], 【YYYY】, （YYYY） or (YYYY)",
        }
    }

    /// Salt of the generator, so each kind draws its own places.
    pub(super) fn salt(self) -> u64 {
        100 + self as u64
    }
}

/// One byte replacement of an HTML report.
#[derive(Clone, Debug)]
pub(super) struct HtmlEdit {
    pub(super) kind: HtmlKind,
    /// The original bytes replaced (inside one piece of text).
    pub(super) span: Span,
    pub(super) replacement: String,
    /// The places a finding about the edit may point at: the edited bytes, their
    /// block, and for a table's text the whole table.
    pub(super) zones: Vec<Span>,
    /// What was done, with a little of the text around it (for a cell, its row's label).
    pub(super) what: String,
    /// A narrative figure whose value (not 0) is also the number of a data cell of the
    /// report: a reviewer has something to compare it with.
    pub(super) in_a_table: bool,
}

/// A stretch of the original bytes between two tags, and where it sits in its block's text.
#[derive(Clone, Copy, Debug)]
struct Piece {
    /// Offset in the block's text.
    at: usize,
    /// Bytes of the original.
    span: Span,
}

/// Where a block of text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// Running text (including the cells of a layout table).
    Running,
    /// A cell of a leaf table: the table's index, the cell's row and its position in the row.
    Cell {
        table: usize,
        row: usize,
        col: usize,
    },
}

/// The text between two block-level tags.
#[derive(Debug)]
struct Block {
    /// From the end of the tag before to the start of the tag after.
    span: Span,
    place: Place,
    /// The pieces' bytes, concatenated (inline tags removed, references left as written).
    text: String,
    pieces: Vec<Piece>,
}

impl Block {
    /// The original bytes of `text[a..b]`, when they are contiguous (inside one piece).
    fn original(&self, a: usize, b: usize) -> Option<Span> {
        let p = self
            .pieces
            .iter()
            .find(|p| p.at <= a && a < p.at + p.span.len())?;
        (b <= p.at + p.span.len())
            .then(|| Span::new(p.span.start + a - p.at, p.span.start + b - p.at))
    }

    /// Up to `n` characters of the text before `a` and after `b`, on one line.
    fn context(&self, a: usize, b: usize, n: usize) -> (String, String) {
        let before: Vec<char> = self.text[..a].chars().collect();
        let before: String = before[before.len().saturating_sub(n)..].iter().collect();
        let after: String = self.text[b..].chars().take(n).collect();
        let clean = |s: String| s.split_whitespace().collect::<Vec<_>>().join("");
        (clean(before), clean(after))
    }
}

/// An HTML report read as blocks of text (see the module doc).
#[derive(Debug)]
pub(super) struct HtmlView {
    blocks: Vec<Block>,
    /// Every `<table>`, from its start tag to the end of its end tag.
    tables: Vec<Span>,
}

const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "caption",
    "center",
    "dd",
    "div",
    "dl",
    "dt",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Elements whose content is not text a reader sees.
const RAW_TAGS: &[&str] = &["script", "style", "title", "textarea", "noscript"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TokKind {
    Start,
    End,
    Text,
    Other,
}

#[derive(Debug)]
struct Tok {
    kind: TokKind,
    name: String,
    span: Span,
}

/// Tokens tiling `text`: tags as html5gum spans them, text in the gaps.
fn lex(text: &str) -> Vec<Tok> {
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    emitter.naively_switch_states(true);
    let mut toks = Vec::new();
    let mut last = 0usize;
    for item in Tokenizer::new_with_emitter(text, emitter) {
        let token = match item {
            Ok(token) => token,
            Err(never) => match never {},
        };
        let (kind, name, s, e) = match &token {
            Token::StartTag(t) => (TokKind::Start, t.name.0.clone(), t.span.start, t.span.end),
            Token::EndTag(t) => (TokKind::End, t.name.0.clone(), t.span.start, t.span.end),
            Token::Comment(c) => (TokKind::Other, Vec::new(), c.span.start, c.span.end),
            Token::Doctype(d) => (TokKind::Other, Vec::new(), d.span.start, d.span.end),
            Token::String(_) | Token::Error(_) => continue,
        };
        // The spans are checked, as the grammar does: a span that goes backwards or
        // is not on a tag is dropped, and its bytes stay in the gap.
        let sane = s >= last
            && e > s
            && e <= text.len()
            && text.is_char_boundary(s)
            && text.is_char_boundary(e)
            && text.as_bytes().get(s) == Some(&b'<');
        if !sane {
            continue;
        }
        if s > last {
            toks.push(Tok {
                kind: TokKind::Text,
                name: String::new(),
                span: Span::new(last, s),
            });
        }
        toks.push(Tok {
            kind,
            name: String::from_utf8_lossy(&name).into_owned(),
            span: Span::new(s, e),
        });
        last = e;
    }
    if last < text.len() {
        // A tag cut off at the end of input is dropped by the tokenizer: its bytes are
        // not text to edit.
        let tail = &text[last..];
        let end = tail.find('<').map_or(text.len(), |i| last + i);
        if end > last {
            toks.push(Tok {
                kind: TokKind::Text,
                name: String::new(),
                span: Span::new(last, end),
            });
        }
    }
    toks
}

impl HtmlView {
    /// Reads `text` (the whole report) as blocks.
    pub(super) fn new(text: &str) -> HtmlView {
        // The tokens a reader sees: none inside `<script>` and its kind.
        let mut raw: Option<String> = None;
        let toks: Vec<Tok> = lex(text)
            .into_iter()
            .filter(|t| {
                if let Some(r) = &raw {
                    if t.kind == TokKind::End && &t.name == r {
                        raw = None;
                    }
                    return false;
                }
                if t.kind == TokKind::Start && RAW_TAGS.contains(&t.name.as_str()) {
                    raw = Some(t.name.clone());
                    return false;
                }
                true
            })
            .collect();

        // First pass: every table's extent, and whether another table is inside it.
        let mut tables: Vec<Span> = Vec::new();
        let mut nested: Vec<bool> = Vec::new();
        let mut stack: Vec<usize> = Vec::new();
        for t in &toks {
            match (t.kind, t.name.as_str()) {
                (TokKind::Start, "table") => {
                    if let Some(&outer) = stack.last() {
                        nested[outer] = true;
                    }
                    stack.push(tables.len());
                    tables.push(Span::new(t.span.start, text.len()));
                    nested.push(false);
                }
                (TokKind::End, "table") => {
                    if let Some(i) = stack.pop() {
                        tables[i] = Span::new(tables[i].start, t.span.end);
                    }
                }
                _ => {}
            }
        }

        // Second pass: the blocks.
        struct Open {
            table: usize,
            row: Option<usize>,
            col: Option<usize>,
            in_cell: bool,
        }
        let mut blocks = Vec::new();
        let mut open: Vec<Open> = Vec::new();
        let mut next_table = 0;
        let mut current = Block {
            span: Span::new(0, 0),
            place: Place::Running,
            text: String::new(),
            pieces: Vec::new(),
        };
        let place = |open: &[Open]| match open.last() {
            Some(o) if o.in_cell && !nested[o.table] => Place::Cell {
                table: o.table,
                row: o.row.unwrap_or(0),
                col: o.col.unwrap_or(0),
            },
            _ => Place::Running,
        };
        for t in &toks {
            match t.kind {
                TokKind::Text => {
                    current.pieces.push(Piece {
                        at: current.text.len(),
                        span: t.span,
                    });
                    current.text.push_str(&text[t.span.start..t.span.end]);
                    continue;
                }
                TokKind::Other => continue,
                TokKind::Start | TokKind::End => {}
            }
            if !BLOCK_TAGS.contains(&t.name.as_str()) {
                continue;
            }
            // A block boundary: the block so far ends here.
            current.span = Span::new(current.span.start, t.span.start);
            let next_start = t.span.end;
            let done = std::mem::replace(
                &mut current,
                Block {
                    span: Span::new(next_start, next_start),
                    place: Place::Running,
                    text: String::new(),
                    pieces: Vec::new(),
                },
            );
            if !is_blank(&done.text) {
                blocks.push(done);
            }
            match (t.kind, t.name.as_str()) {
                (TokKind::Start, "table") => {
                    open.push(Open {
                        table: next_table,
                        row: None,
                        col: None,
                        in_cell: false,
                    });
                    next_table += 1;
                }
                (TokKind::End, "table") => {
                    open.pop();
                }
                (TokKind::Start, "tr") => {
                    if let Some(o) = open.last_mut() {
                        o.row = Some(o.row.map_or(0, |r| r + 1));
                        o.col = None;
                        o.in_cell = false;
                    }
                }
                (TokKind::End, "tr") => {
                    if let Some(o) = open.last_mut() {
                        o.in_cell = false;
                    }
                }
                (TokKind::Start, "td" | "th") => {
                    if let Some(o) = open.last_mut() {
                        o.row = Some(o.row.unwrap_or(0));
                        o.col = Some(o.col.map_or(0, |c| c + 1));
                        o.in_cell = true;
                    }
                }
                (TokKind::End, "td" | "th") => {
                    if let Some(o) = open.last_mut() {
                        o.in_cell = false;
                    }
                }
                _ => {}
            }
            current.place = place(&open);
        }
        current.span = Span::new(current.span.start, text.len());
        if !is_blank(&current.text) {
            blocks.push(current);
        }
        HtmlView { blocks, tables }
    }

    /// The zones of an edit in block `b`: the edit, the block, and its table.
    fn zones(&self, b: &Block, at: Span) -> Vec<Span> {
        let mut z = vec![at, b.span];
        let table = match b.place {
            Place::Cell { table, .. } => self.tables.get(table).copied(),
            Place::Running => None,
        };
        z.extend(table);
        z
    }

    /// Every place where an edit of `kind` can be made, with its new text.
    pub(super) fn candidates(&self, kind: HtmlKind, rng: &mut Rng) -> Vec<HtmlEdit> {
        match kind {
            HtmlKind::Cell => self.cells(rng),
            HtmlKind::Figure => self.figures(rng),
            HtmlKind::Date => self.dates(rng),
            HtmlKind::DocNumber => self.doc_numbers(rng),
        }
    }

    fn edit(
        &self,
        kind: HtmlKind,
        b: &Block,
        (a, e): (usize, usize),
        replacement: String,
    ) -> Option<HtmlEdit> {
        let at = b.original(a, e)?;
        let old = &b.text[a..e];
        let (before, after) = b.context(a, e, 12);
        Some(HtmlEdit {
            kind,
            span: at,
            zones: self.zones(b, at),
            what: format!("…{before}[{old} → {replacement}]{after}…"),
            replacement,
            in_a_table: false,
        })
    }

    /// The number of a data cell (not in the first row, not the first cell of its
    /// row, of a leaf table) whose text is one number.
    fn data_cell(b: &Block) -> Option<(usize, usize)> {
        let Place::Cell { row, col, .. } = b.place else {
            return None;
        };
        if row == 0 || col == 0 {
            return None;
        }
        let runs = numbers(&b.text);
        let [(a, e)] = runs[..] else { return None };
        is_blank(&format!("{}{}", &b.text[..a], &b.text[e..])).then_some((a, e))
    }

    /// The text of the first cell of a cell's row (its label, as a reviewer reads it).
    fn row_label(&self, b: &Block) -> String {
        let Place::Cell { table, row, .. } = b.place else {
            return String::new();
        };
        let first = self.blocks.iter().find(|o| {
            matches!(o.place, Place::Cell { table: t, row: r, col: 0 } if t == table && r == row)
        });
        let label = first
            .map(|f| one_line(&f.text.replace("&nbsp;", "")))
            .unwrap_or_default();
        label.chars().take(20).collect()
    }

    /// Data cells of leaf tables whose text is one number.
    fn cells(&self, rng: &mut Rng) -> Vec<HtmlEdit> {
        let mut out = Vec::new();
        for b in &self.blocks {
            let Some((a, e)) = Self::data_cell(b) else {
                continue;
            };
            let old = &b.text[a..e];
            let times_ten =
                !old.contains('.') && !old.trim_start_matches('0').is_empty() && rng.below(4) == 0;
            let new = if times_ten {
                Some(format!("{old}0"))
            } else {
                add(old, 1 + rng.below(9) as u32)
            };
            let Some(mut edit) = new.and_then(|new| self.edit(HtmlKind::Cell, b, (a, e), new))
            else {
                continue;
            };
            edit.what = format!("“{}” {old} → {}", self.row_label(b), edit.replacement);
            out.push(edit);
        }
        out
    }

    /// Integers of running text followed by a unit of counted things.
    fn figures(&self, rng: &mut Rng) -> Vec<HtmlEdit> {
        let in_cells: HashSet<u64> = self
            .blocks
            .iter()
            .filter_map(|b| Self::data_cell(b).and_then(|(a, e)| b.text[a..e].parse().ok()))
            .collect();
        let mut out = Vec::new();
        for b in self.blocks.iter().filter(|b| b.place == Place::Running) {
            for (a, e) in numbers(&b.text) {
                let old = &b.text[a..e];
                if old.contains('.') || !counts_something(&b.text, a, e) {
                    continue;
                }
                let new = add(old, 1 + rng.below(9) as u32);
                if let Some(mut edit) =
                    new.and_then(|new| self.edit(HtmlKind::Figure, b, (a, e), new))
                {
                    edit.in_a_table = old
                        .parse::<u64>()
                        .is_ok_and(|v| v != 0 && in_cells.contains(&v));
                    out.push(edit);
                }
            }
        }
        out
    }

    /// Dates `YYYY年M月[D日]`, a period `<date>至<date>` counting as one.
    fn dates(&self, rng: &mut Rng) -> Vec<HtmlEdit> {
        let mut out = Vec::new();
        for b in &self.blocks {
            let mut from = 0;
            while let Some(d) = find_date(&b.text, from, true) {
                from = d.end;
                let period_end = period_end(&b.text, d.end);
                let mut variants: Vec<((usize, usize), String)> = Vec::new();
                if let Some(end) = &period_end {
                    from = end.end;
                    if let Some(y) = d.year {
                        variants.push((y, (d.year_value - 1).to_string()));
                    }
                    if let Some(y) = end.year {
                        variants.push((y, (end.year_value + 1).to_string()));
                    }
                } else {
                    variants.push((d.month, "13".to_string()));
                    if let Some(day) = d.day {
                        variants.push((day, "32".to_string()));
                    }
                }
                // Only the variants whose bytes are contiguous can be made.
                variants.retain(|(r, _)| b.original(r.0, r.1).is_some());
                if variants.is_empty() {
                    continue;
                }
                let (r, new) = variants.swap_remove(rng.below(variants.len()));
                let whole = (d.start, period_end.as_ref().map_or(d.end, |p| p.end));
                if let Some(mut edit) = self.edit(HtmlKind::Date, b, r, new) {
                    let shown = &b.text[whole.0..whole.1];
                    edit.what = format!("{} in “{}”", edit.what, one_line(shown));
                    out.push(edit);
                }
            }
        }
        out
    }

    /// `〔YYYY〕N号` after an issuer's code (a CJK character).
    fn doc_numbers(&self, rng: &mut Rng) -> Vec<HtmlEdit> {
        const OPEN: char = '〔';
        const CLOSE: char = '〕';
        let brackets = [("[", "]"), ("【", "】"), ("（", "）"), ("(", ")")];
        let mut out = Vec::new();
        for b in &self.blocks {
            let t = &b.text;
            for (a, _) in t.match_indices(OPEN) {
                let y0 = a + OPEN.len_utf8();
                let year = t[y0..].bytes().take_while(u8::is_ascii_digit).count();
                if year != 4 || !t[y0 + 4..].starts_with(CLOSE) {
                    continue;
                }
                let close = y0 + 4 + CLOSE.len_utf8();
                let rest = t[close..].trim_start();
                let n = rest.bytes().take_while(u8::is_ascii_digit).count();
                if n == 0 || !rest[n..].trim_start().starts_with('号') {
                    continue;
                }
                if !t[..a].chars().next_back().is_some_and(is_cjk) {
                    continue;
                }
                let (l, r) = brackets[rng.below(brackets.len())];
                let new = format!("{l}{}{r}", &t[y0..y0 + 4]);
                out.extend(self.edit(HtmlKind::DocNumber, b, (a, close), new));
            }
        }
        out
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join("")
}

fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// White space as the page shows it: ASCII, U+3000, no-break spaces and `&nbsp;`.
fn is_blank(s: &str) -> bool {
    s.replace("&nbsp;", "")
        .chars()
        .all(|c| c.is_whitespace() || c == '\u{a0}')
}

/// Runs of ASCII digits with an optional decimal part, not touching a letter, a
/// `,` or `.` between digits (thousands, versions, phone numbers are not figures).
fn numbers(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        }
        let glued = |c: Option<&u8>| {
            c.is_some_and(|c| {
                c.is_ascii_alphanumeric()
                    || matches!(
                        c,
                        b',' | b'.' | b'-' | b'_' | b'/' | b':' | b'#' | b'@' | b'%'
                    )
            })
        };
        let before = start.checked_sub(1).and_then(|k| b.get(k));
        let after_next = b.get(i + 1).is_some_and(u8::is_ascii_digit);
        // A `.` or `,` with no digit after it ends a clause: it does not glue.
        let after = b
            .get(i)
            .filter(|&&c| after_next || !matches!(c, b'.' | b','));
        if !glued(before) && !glued(after) {
            out.push((start, i));
        }
    }
    out
}

/// Units of counted things a report states in its narrative, longest first.
const UNITS: &[&str] = &[
    "人次", "件", "条", "个", "次", "份", "项", "起", "家", "篇", "场", "期", "名", "人", "例",
    "批",
];

/// Words that start with a unit but are not one (`3个月`, `5个工作日`).
const NOT_UNITS: &[&str] = &[
    "个月",
    "个工作日",
    "个小时",
    "个百分点",
    "次日",
    "人民",
    "期间",
    "条例",
];

/// True when the number `text[a..e]` is followed by a unit of counted things and is
/// not an ordinal (`第3次`).
fn counts_something(text: &str, a: usize, e: usize) -> bool {
    if text[..a].ends_with('第') {
        return false;
    }
    let rest = text[e..].trim_start();
    UNITS.iter().any(|u| rest.starts_with(u)) && !NOT_UNITS.iter().any(|w| rest.starts_with(w))
}

/// `text` + d on its integer part (`4166.24` + 3 → `4169.24`).
fn add(text: &str, d: u32) -> Option<String> {
    super::add_to_integer(text, d)
}

/// A date found in a block's text: byte ranges of its parts.
#[derive(Debug)]
struct FoundDate {
    start: usize,
    end: usize,
    year: Option<(usize, usize)>,
    year_value: i32,
    month: (usize, usize),
    day: Option<(usize, usize)>,
}

/// The next date at or after `from`: `YYYY年M月[D日]`, or without the year when
/// `need_year` is false (the end of a period, `至12月31日`). White space may sit
/// between the parts.
fn find_date(text: &str, from: usize, need_year: bool) -> Option<FoundDate> {
    let mut i = from;
    while i < text.len() {
        if !text.is_char_boundary(i) {
            i += 1;
            continue;
        }
        if let Some(d) = date_at(text, i, need_year) {
            return Some(d);
        }
        if !need_year {
            return None;
        }
        i += 1;
    }
    None
}

/// A date starting exactly at `i`.
fn date_at(text: &str, i: usize, need_year: bool) -> Option<FoundDate> {
    let b = text.as_bytes();
    if i > 0 && b[i - 1].is_ascii_digit() {
        return None;
    }
    let digits = |k: usize| b[k..].iter().take_while(|c| c.is_ascii_digit()).count();
    let skip_ws = |k: usize| k + (text[k..].len() - text[k..].trim_start().len());
    let mut k = i;
    let mut year = None;
    let mut year_value = 0;
    let n = digits(k);
    if n == 4 && text[skip_ws(k + 4)..].starts_with('年') {
        year_value = text[k..k + 4].parse().ok()?;
        if !(1990..=2099).contains(&year_value) {
            return None;
        }
        year = Some((k, k + 4));
        k = skip_ws(skip_ws(k + 4) + '年'.len_utf8());
    } else if need_year {
        return None;
    }
    let m = digits(k);
    if !(1..=2).contains(&m) {
        return None;
    }
    let month = (k, k + m);
    let mv: u32 = text[k..k + m].parse().ok()?;
    k = skip_ws(k + m);
    if !(1..=12).contains(&mv) || !text[k..].starts_with('月') {
        return None;
    }
    let mut end = k + '月'.len_utf8();
    let mut day = None;
    let d0 = skip_ws(end);
    let dn = digits(d0);
    if (1..=2).contains(&dn) {
        let after = skip_ws(d0 + dn);
        let dv: u32 = text[d0..d0 + dn].parse().ok()?;
        if (1..=31).contains(&dv)
            && (text[after..].starts_with('日') || text[after..].starts_with('号'))
        {
            day = Some((d0, d0 + dn));
            end = after + '日'.len_utf8();
        }
    }
    Some(FoundDate {
        start: i,
        end,
        year,
        year_value,
        month,
        day,
    })
}

/// The second date of a period whose first date ends at `end` (`至`, `到`, a dash).
fn period_end(text: &str, end: usize) -> Option<FoundDate> {
    let rest = text[end..].trim_start();
    let k = end + (text[end..].len() - rest.len());
    let joiner = ["——", "至", "到", "—", "－", "-", "~", "～"]
        .iter()
        .find(|j| rest.starts_with(*j))?;
    let k = k + joiner.len();
    let k = k + (text[k..].len() - text[k..].trim_start().len());
    let d = date_at(text, k, false)?;
    // A period's end without a year is still a period (`2023年1月1日至12月31日`).
    (d.day.is_some() || d.year.is_some()).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<html><head><title>2023年报 12件</title><style>p{margin:12件}</style></head>
<body><div class="TRS_Editor"><p><span>本报告统计期限为2023年1月1日至2023年12月31日。</span></p>
<p>本年共收到申请<span>25</span>件，办结<span>24件</span>，依据《通知》（国办公开办函〔2021〕30号）。</p>
<p>2023年5月10日召开会议3次；第2次会议研究了15个事项，用时3个月。电话0591-23157117。</p>
<table><tr><td>指标</td><td>数量</td></tr>
<tr><td>1</td><td><p><span>12</span></p></td></tr>
<tr><td>
  <p>收到申请</p>
  </td><td>&nbsp;25&nbsp;</td></tr>
<tr><td>合计</td><td>3.5</td></tr></table>
<script>var x = "2023年1月1日 20件";</script></div></body></html>"#;

    fn all(view: &HtmlView, kind: HtmlKind) -> Vec<HtmlEdit> {
        seeded(view, kind, 1)
    }

    fn seeded(view: &HtmlView, kind: HtmlKind, seed: u64) -> Vec<HtmlEdit> {
        view.candidates(kind, &mut Rng::with_salt(seed, "page", kind.salt()))
    }

    fn apply(text: &str, e: &HtmlEdit) -> String {
        format!(
            "{}{}{}",
            &text[..e.span.start],
            e.replacement,
            &text[e.span.end..]
        )
    }

    /// The tags of a page: name, kind and bytes, in order.
    fn tags(text: &str) -> Vec<String> {
        lex(text)
            .into_iter()
            .filter(|t| t.kind != TokKind::Text)
            .map(|t| text[t.span.start..t.span.end].to_string())
            .collect()
    }

    fn old(e: &HtmlEdit) -> &str {
        &PAGE[e.span.start..e.span.end]
    }

    #[test]
    fn every_edit_changes_one_stretch_of_text_and_keeps_the_markup() {
        let view = HtmlView::new(PAGE);
        let mut seen = 0;
        // Several seeds, so every variant of an edit (brackets, date parts) is made.
        for (kind, seed) in HtmlKind::ALL
            .into_iter()
            .flat_map(|k| (1..=8).map(move |s| (k, s)))
        {
            for e in seeded(&view, kind, seed) {
                seen += 1;
                let edited = apply(PAGE, &e);
                assert_ne!(edited, PAGE, "{e:?}");
                // One spot: what differs lies inside the edited range.
                let prefix = PAGE
                    .bytes()
                    .zip(edited.bytes())
                    .take_while(|(a, b)| a == b)
                    .count();
                let suffix = PAGE
                    .bytes()
                    .rev()
                    .zip(edited.bytes().rev())
                    .take_while(|(a, b)| a == b)
                    .count();
                assert!(prefix >= e.span.start, "{e:?}");
                assert!(suffix >= PAGE.len() - e.span.end, "{e:?}");
                // Text only: no markup in what is replaced nor in what replaces it.
                assert!(!old(&e).contains(['<', '>', '&']), "{e:?}");
                assert!(!e.replacement.contains(['<', '>', '&']), "{e:?}");
                assert_eq!(tags(&edited), tags(PAGE), "{e:?}");
                assert!(e
                    .zones
                    .iter()
                    .any(|z| z.start <= e.span.start && e.span.end <= z.end));
            }
        }
        assert_eq!(seen, 8 * 10);
    }

    #[test]
    fn cells_are_data_cells_of_one_number() {
        let edits = all(&HtmlView::new(PAGE), HtmlKind::Cell);
        let olds: Vec<&str> = edits.iter().map(old).collect();
        // Not the header row, not the first cell of a row ("1"), not a cell of words.
        assert_eq!(olds, ["12", "25", "3.5"]);
        assert!(
            edits[1].what.starts_with("“收到申请” 25 → "),
            "{:?}",
            edits[1]
        );
        let table = PAGE.find("<table>").expect("the page has a table");
        for e in &edits {
            assert!(
                e.zones.iter().any(|z| z.start == table),
                "the table is a zone: {e:?}"
            );
        }
    }

    #[test]
    fn figures_are_counts_of_running_text() {
        let edits = all(&HtmlView::new(PAGE), HtmlKind::Figure);
        let olds: Vec<&str> = edits.iter().map(old).collect();
        // Not an ordinal (第2次), a duration (3个月), a phone number, a cell, a script or the title.
        assert_eq!(olds, ["25", "24", "3", "15"]);
        // 25 is also a cell's number: a reviewer can compare them.
        let in_a_table: Vec<bool> = edits.iter().map(|e| e.in_a_table).collect();
        assert_eq!(in_a_table, [true, false, false, false]);
        for e in &edits {
            let (n, new): (u32, u32) = (
                old(e).parse().expect("an integer"),
                e.replacement.parse().expect("an integer"),
            );
            assert!((n + 1..=n + 9).contains(&new), "{e:?}");
        }
    }

    #[test]
    fn dates_and_periods() {
        let edits = all(&HtmlView::new(PAGE), HtmlKind::Date);
        assert_eq!(edits.len(), 2, "{edits:?}");
        // The period is one date: its start year goes back or its end year forward.
        let period = &edits[0];
        assert!(
            [("2023", "2022"), ("2023", "2024")]
                .contains(&(old(period), period.replacement.as_str())),
            "{period:?}"
        );
        assert!(
            period.what.contains("2023年1月1日至2023年12月31日"),
            "{period:?}"
        );
        // Another date gets an impossible month or day.
        let date = &edits[1];
        assert!(
            [("5", "13"), ("10", "32")].contains(&(old(date), date.replacement.as_str())),
            "{date:?}"
        );
    }

    #[test]
    fn doc_numbers_get_other_brackets() {
        let edits = all(&HtmlView::new(PAGE), HtmlKind::DocNumber);
        assert_eq!(edits.len(), 1);
        assert_eq!(old(&edits[0]), "〔2021〕");
        assert!(
            ["[2021]", "【2021】", "（2021）", "(2021)"].contains(&edits[0].replacement.as_str())
        );
    }

    #[test]
    fn the_same_seed_draws_the_same_edits() {
        let view = HtmlView::new(PAGE);
        for kind in HtmlKind::ALL {
            let a: Vec<(Span, String)> = all(&view, kind)
                .into_iter()
                .map(|e| (e.span, e.replacement))
                .collect();
            let b: Vec<(Span, String)> = all(&view, kind)
                .into_iter()
                .map(|e| (e.span, e.replacement))
                .collect();
            assert_eq!(a, b);
        }
    }

    #[test]
    fn a_layout_table_is_running_text() {
        let page =
            "<noscript><table><tr><td>x</td></tr><tr><td>a</td><td>5</td></tr></table></noscript>\
            <table><tr><td><p>收到申请3件</p>\
            <table><tr><td>h</td><td>h</td></tr><tr><td>a</td><td>4</td></tr></table>\
            </td></tr></table>";
        let view = HtmlView::new(page);
        let text = |e: &HtmlEdit| &page[e.span.start..e.span.end];
        let figures = all(&view, HtmlKind::Figure);
        assert_eq!(figures.iter().map(text).collect::<Vec<_>>(), ["3"]);
        let cells = all(&view, HtmlKind::Cell);
        assert_eq!(cells.iter().map(text).collect::<Vec<_>>(), ["4"]);
        // The cell's table is the inner one (the table in <noscript> is not counted).
        let inner = page.rfind("<table>").expect("two tables");
        let end = page
            .find(
                "</table>\
            </td>",
            )
            .expect("the inner table ends")
            + "</table>".len();
        assert!(
            cells[0].zones.contains(&Span::new(inner, end)),
            "{:?}",
            cells[0]
        );
    }

    #[test]
    fn every_edit_of_the_corpus_is_inside_one_stretch_of_text() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus/html");
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .expect("the corpus is in the repository")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        names.sort();
        let mut edits = [0usize; HtmlKind::ALL.len()];
        for path in names {
            let text = std::fs::read_to_string(&path).expect("the corpus's pages are UTF-8");
            let texts: Vec<Span> = lex(&text)
                .into_iter()
                .filter(|t| t.kind == TokKind::Text)
                .map(|t| t.span)
                .collect();
            let view = HtmlView::new(&text);
            for kind in HtmlKind::ALL {
                for e in all(&view, kind) {
                    edits[kind as usize] += 1;
                    let i = texts.partition_point(|t| t.end < e.span.end);
                    let inside = texts
                        .get(i)
                        .is_some_and(|t| t.start <= e.span.start && e.span.end <= t.end);
                    assert!(inside, "{}: {e:?}", path.display());
                    assert!(!text[e.span.start..e.span.end].contains(['<', '>', '&']));
                    assert!(!e.replacement.contains(['<', '>', '&']), "{e:?}");
                }
            }
        }
        // Every kind is found on the corpus.
        assert!(edits.iter().all(|&n| n > 0), "{edits:?}");
    }

    #[test]
    fn a_split_number_is_not_edited() {
        // `2</span><span>5件`: the figure is 25, written in two pieces.
        let view = HtmlView::new("<p>收到<span>2</span><span>5件</span>申请</p>");
        let edits = all(&view, HtmlKind::Figure);
        assert!(edits.is_empty(), "{edits:?}");
    }
}
