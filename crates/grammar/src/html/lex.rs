//! Tokens: the bytes of an input as a list of tokens that tiles it.
//!
//! The bytes are tokenized by `html5gum` (0.8, a maintained WHATWG-conformant
//! tokenizer). Version 0.8 reports the byte span of every start tag, end tag,
//! comment and doctype (with `usize` spans); 0.7 had no
//! positions at all, which is why the workspace dependency is 0.8 (the spans of
//! 0.8.4 were checked against 200,000 generated tag soups; 0.9 needs Rust 1.82
//! and was not tried). Its events are read through its `CallbackEmitter` with
//! the rules of its `DefaultEmitter` (a test holds the two to the same tokens),
//! without the name, attribute map and strings that one allocates per tag. With
//! naive state switching on,
//! `<script>`, `<style>`, `<title>`, `<textarea>` bodies are read as text the way
//! a browser reads them. This module does not trust the spans blindly: a span
//! that goes backwards, overlaps the previous token, is empty, is not on a
//! character boundary or does not start with `<` is dropped, and every gap
//! between kept tokens becomes a text token, so the token list always tiles the
//! input. A tag left open at the end of input (`<td colspan="`), which the
//! tokenizer drops, becomes a `Raw` leaf. Text between tags is read from the
//! source (see `text`), not from the tokenizer's decoded strings, so that every
//! character reference is its own `Entity` leaf with its own span.
//!
//! Of a start tag's attributes the reader keeps `colspan` and `rowspan` (the
//! HTML rules for non-negative integers), whether it is hidden (`hidden`,
//! `display:none`, `visibility:hidden`), whether a class or id names an article
//! container or page furniture (the lists are in `article`) or says `title`, and
//! the page's `ArticleTitle` meta.

use std::ops::Range;

use html5gum::emitters::callback::{Callback, CallbackEmitter, CallbackEvent};
use html5gum::{Span as TokSpan, Tokenizer};

use crate::packed;
use crate::span::Span;
use crate::tree::{Node, NodeKind};

use super::article::{CHROME_WORDS, GENERIC_CONTAINERS, SPECIFIC_CONTAINERS};
use super::tags::{tag_of, Tag};

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(super) enum Kind {
    /// Bytes between tags.
    Text,
    /// A start tag.
    Start,
    /// An end tag.
    End,
    /// A comment (also `<!x>`, `<?x>`, bogus comments).
    Comment,
    /// A doctype.
    Doctype,
    /// Bytes the tokenizer dropped (a tag cut off by the end of input).
    Raw,
}

pub(super) const F_SELF_CLOSING: u8 = 1;
pub(super) const F_HIDDEN: u8 = 2;
pub(super) const F_CHROME_WORD: u8 = 4;
pub(super) const F_TITLE_WORD: u8 = 8;

/// One token, as [`Toks`] hands it out. Offsets are 32-bit and what only some
/// tokens need shares one field: the HTML reader takes texts of at most
/// [`super::MAX_LEN`] bytes. The element a start tag opens is not kept here:
/// the elements are in the order of their start tags (see `Ctx::elem_at`).
#[derive(Clone, Copy, Debug)]
pub(super) struct Tok {
    start: u32,
    end: u32,
    /// For an unknown tag, the hash of its name (to tell unknown tags apart);
    /// for a known one, `colspan` (low 16 bits) and `rowspan` (high 16 bits) as
    /// written, each at most `u16::MAX` (the layout keeps at most 1,000 either
    /// way; a `rowspan` of 0 means "to the end").
    extra: u32,
    pub(super) kind: Kind,
    pub(super) tag: Tag,
    /// `F_*` bits; bits 4 and 5: 2 for a specific content container name, 1 for
    /// a generic one.
    pub(super) flags: u8,
}

/// `colspan` and `rowspan` of 1.
const SPANS_ONE: u32 = 1 | 1 << 16;

/// Where the container tier sits in `flags`.
const TIER_SHIFT: u8 = 4;

impl Tok {
    pub(super) fn new(kind: Kind, start: usize, end: usize) -> Self {
        // `lex` reads at most `MAX_LEN` bytes: offsets fit.
        Tok {
            start: start as u32,
            end: end as u32,
            extra: 0,
            kind,
            tag: Tag::Other,
            flags: 0,
        }
    }

    /// Names the tag (`name` as written, for an unknown tag).
    pub(super) fn set_tag(&mut self, tag: Tag, name: &[u8]) {
        self.tag = tag;
        self.extra = if tag == Tag::Other {
            name_key(tag, name)
        } else {
            SPANS_ONE
        };
    }

    /// Hash of the name, to tell unknown tags apart (0 for known tags).
    pub(super) fn key(&self) -> u32 {
        if self.tag == Tag::Other {
            self.extra
        } else {
            0
        }
    }

    /// `colspan` as written (1 for an unknown tag).
    pub(super) fn col_span(&self) -> u16 {
        if self.tag == Tag::Other {
            1
        } else {
            (self.extra & 0xffff) as u16
        }
    }

    /// `rowspan` as written (0 means "to the end"; 1 for an unknown tag).
    pub(super) fn row_span(&self) -> u16 {
        if self.tag == Tag::Other {
            1
        } else {
            (self.extra >> 16) as u16
        }
    }

    fn set_spans(&mut self, col_span: u16, row_span: u16) {
        if self.tag != Tag::Other {
            self.extra = u32::from(col_span) | u32::from(row_span) << 16;
        }
    }

    /// 2 for a specific content container name, 1 for a generic one.
    pub(super) fn tier(&self) -> u8 {
        (self.flags >> TIER_SHIFT) & 3
    }

    fn set_tier(&mut self, tier: u8) {
        self.flags = (self.flags & !(3 << TIER_SHIFT)) | (tier & 3) << TIER_SHIFT;
    }

    /// Where the token starts.
    pub(super) fn start(&self) -> usize {
        self.start as usize
    }

    /// Where the token ends.
    pub(super) fn end(&self) -> usize {
        self.end as usize
    }

    pub(super) fn span(&self) -> Span {
        Span::new(self.start(), self.end())
    }

    pub(super) fn leaf(&self) -> Node {
        let kind = match self.kind {
            Kind::Start | Kind::End => NodeKind::Tag,
            Kind::Text | Kind::Comment | Kind::Doctype | Kind::Raw => NodeKind::Raw,
        };
        Node::leaf(kind, self.span())
    }
}

/// Tokens between two [`Mark`]s.
const MARK_EVERY: usize = 32;

/// Where a run of [`MARK_EVERY`] tokens starts.
#[derive(Clone, Copy, Debug)]
struct Mark {
    /// Its first token's header in [`Toks::bytes`].
    pos: usize,
    /// Where its first token starts in the input.
    start: u32,
}

/// Header bits: which parts of a token follow its header byte (its kind is in
/// the low three bits).
const H_TAG: u8 = 8;
const H_FLAGS: u8 = 16;
const H_EXTRA: u8 = 32;
const H_KIND: u8 = 7;

/// The tokens of an input, which tile it, packed into a stream of bytes. Per
/// token: a header byte (its kind, and which parts follow), its tag when not
/// `Other` (one byte), its flags when not 0 (one byte), its `extra` when not the
/// default (4 bytes; the default is spans of 1 for a known tag, 0 otherwise),
/// and its length as a varint; it starts where the one before it ends. A short
/// tag costs three bytes and a short text two, where a record of its fields
/// would cost twelve: a page of short tags holds a token every few bytes. A
/// [`Mark`] every [`MARK_EVERY`] tokens finds a token by its index; a
/// [`Cursor`] reads on from where it is.
#[derive(Debug, Default)]
pub(super) struct Toks {
    bytes: Vec<u8>,
    marks: Vec<Mark>,
    len: usize,
    /// Where the last token ends.
    end: u32,
}

impl Kind {
    fn from_code(code: u8) -> Kind {
        match code {
            0 => Kind::Text,
            1 => Kind::Start,
            2 => Kind::End,
            3 => Kind::Comment,
            4 => Kind::Doctype,
            _ => Kind::Raw,
        }
    }
}

/// The `extra` of a token with this tag that the stream leaves out.
fn default_extra(tag: Tag) -> u32 {
    if tag == Tag::Other {
        0
    } else {
        SPANS_ONE
    }
}

/// The token whose header is at `*pos` in `bytes` and which starts at `start`;
/// moves `*pos` past it. The bytes are those [`Toks::push`] wrote.
fn decode(bytes: &[u8], pos: &mut usize, start: u32) -> Tok {
    let byte = |pos: &mut usize| {
        let b = bytes.get(*pos).copied().unwrap_or(0);
        *pos += 1;
        b
    };
    let header = byte(pos);
    let tag = if header & H_TAG != 0 {
        Tag::from_code(byte(pos))
    } else {
        Tag::Other
    };
    let flags = if header & H_FLAGS != 0 { byte(pos) } else { 0 };
    let extra = if header & H_EXTRA != 0 {
        let mut le = [0u8; 4];
        for b in &mut le {
            *b = byte(pos);
        }
        u32::from_le_bytes(le)
    } else {
        default_extra(tag)
    };
    // Lengths fit: the tokens tile a text of at most `MAX_LEN` bytes.
    let len = packed::get(bytes, pos) as u32;
    Tok {
        start,
        end: start.saturating_add(len),
        extra,
        kind: Kind::from_code(header & H_KIND),
        tag,
        flags,
    }
}

impl Toks {
    /// Adds the token after the last (it starts where the last ends).
    fn push(&mut self, tok: Tok) {
        debug_assert!(
            self.len == 0 || tok.start == self.end,
            "the tokens tile the input"
        );
        if self.len % MARK_EVERY == 0 {
            self.marks.push(Mark {
                pos: self.bytes.len(),
                start: tok.start,
            });
        }
        let mut header = tok.kind as u8;
        if tok.tag != Tag::Other {
            header |= H_TAG;
        }
        if tok.flags != 0 {
            header |= H_FLAGS;
        }
        if tok.extra != default_extra(tok.tag) {
            header |= H_EXTRA;
        }
        self.bytes.push(header);
        if tok.tag != Tag::Other {
            self.bytes.push(tok.tag.code());
        }
        if tok.flags != 0 {
            self.bytes.push(tok.flags);
        }
        if header & H_EXTRA != 0 {
            self.bytes.extend_from_slice(&tok.extra.to_le_bytes());
        }
        packed::put(
            &mut self.bytes,
            u64::from(tok.end.saturating_sub(tok.start)),
        );
        self.len += 1;
        self.end = tok.end;
    }

    /// Gives back the room the stream did not use.
    fn shrink_to_fit(&mut self) {
        self.bytes.shrink_to_fit();
        self.marks.shrink_to_fit();
    }

    /// How many tokens.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// The bytes the tokens take in memory.
    #[cfg(test)]
    pub(super) fn heap_bytes(&self) -> usize {
        self.bytes.capacity() + self.marks.capacity() * std::mem::size_of::<Mark>()
    }

    /// A cursor at the first token.
    pub(super) fn cursor(&self) -> Cursor<'_> {
        Cursor {
            toks: self,
            next: 0,
            pos: 0,
            start: self.marks.first().map_or(0, |m| m.start),
        }
    }

    /// Token `i` (read from its mark: for tokens in order, see [`Cursor`]).
    pub(super) fn get(&self, i: usize) -> Option<Tok> {
        self.cursor().get(i)
    }

    /// Tokens `lo..hi` (as far as there are).
    pub(super) fn range(&self, lo: usize, hi: usize) -> impl Iterator<Item = Tok> + '_ {
        let mut cursor = self.cursor();
        (lo..hi.min(self.len)).filter_map(move |i| cursor.get(i))
    }
}

/// Reads [`Toks`] by index: the token after the one read last is one step on,
/// any other at most [`MARK_EVERY`] steps from its mark.
pub(super) struct Cursor<'a> {
    toks: &'a Toks,
    /// The index of the token at `pos`.
    next: usize,
    /// Where the header of token `next` is.
    pos: usize,
    /// Where token `next` starts in the input.
    start: u32,
}

impl Cursor<'_> {
    /// Token `i`.
    pub(super) fn get(&mut self, i: usize) -> Option<Tok> {
        if i >= self.toks.len {
            return None;
        }
        if i < self.next || i / MARK_EVERY > self.next / MARK_EVERY {
            let mark = self.toks.marks.get(i / MARK_EVERY)?;
            self.next = i - i % MARK_EVERY;
            self.pos = mark.pos;
            self.start = mark.start;
        }
        loop {
            let tok = decode(&self.toks.bytes, &mut self.pos, self.start);
            self.start = tok.end;
            self.next += 1;
            if self.next > i {
                return Some(tok);
            }
        }
    }
}

/// The tokens of an input, and the page's `ArticleTitle` meta if any.
pub(super) struct Lexed {
    pub(super) toks: Toks,
    pub(super) article_title: Option<String>,
    /// Where the value of the page's `PubDate` meta is (`2024-03-08 15:34`).
    pub(super) pub_date: Option<Range<usize>>,
}

/// A span as kept in a token (the layout clamps far lower).
fn capped(v: u32) -> u16 {
    u16::try_from(v).unwrap_or(u16::MAX)
}

/// FNV-1a of a tag name, for unknown tags.
fn name_key(tag: Tag, name: &[u8]) -> u32 {
    if tag != Tag::Other {
        return 0;
    }
    name.iter().fold(0x811c_9dc5_u32, |h, &b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// The attributes of a start tag that the reader looks at.
const WANTED: [&[u8]; 8] = [
    b"colspan", b"rowspan", b"hidden", b"style", b"class", b"id", b"name", b"content",
];

/// Reads the tokenizer's events into tokens as they come, with no allocation
/// per token: the tag name and the attributes in [`WANTED`] go into buffers
/// kept from one tag to the next. It keeps the rules of `html5gum`'s
/// `DefaultEmitter` (which allocated a name, a map and its strings for every
/// tag): a start tag spans from its name's `<` to its `>`, the first of two
/// attributes of the same name counts, and what a tag's attributes were is
/// forgotten after its start tag or an end tag.
struct Events<'t> {
    tag_name: Vec<u8>,
    tag_start: usize,
    /// Per attribute of [`WANTED`]: whether the tag has it, and its value.
    attrs: [(bool, Vec<u8>); 8],
    /// The attribute of [`WANTED`] whose value is being read.
    current: Option<usize>,
    article_title: &'t mut Option<String>,
    /// The text being read, and where its `PubDate` meta's value is.
    src: &'t str,
    pub_date: &'t mut Option<Range<usize>>,
}

impl Events<'_> {
    fn forget_attributes(&mut self) {
        for (present, value) in &mut self.attrs {
            *present = false;
            value.clear();
        }
        self.current = None;
    }

    /// The value of a `<meta name="PubDate" content="…">` (the publication time
    /// CMS pages give) in the tag at `tag`, as a range of the text; only when it is
    /// written as is (no character reference), so the range is exactly its text.
    fn published_meta(&self, tag: Range<usize>) -> Option<Range<usize>> {
        if !self.attr(b"name")?.eq_ignore_ascii_case(b"pubdate") {
            return None;
        }
        let value = std::str::from_utf8(self.attr(b"content")?).ok()?.trim();
        let written = self.src.get(tag.start..tag.end.min(self.src.len()))?;
        if value.is_empty() {
            return None;
        }
        let at = tag.start + written.find(value)?;
        Some(at..at + value.len())
    }

    fn attr(&self, name: &[u8]) -> Option<&[u8]> {
        let k = WANTED.iter().position(|&w| w == name)?;
        self.attrs
            .get(k)
            .filter(|(present, _)| *present)
            .map(|(_, value)| value.as_slice())
    }
}

impl Callback<Tok, usize> for Events<'_> {
    fn handle_event(&mut self, event: CallbackEvent<'_>, span: TokSpan<usize>) -> Option<Tok> {
        // Offsets are into the text `lex` reads (at most `MAX_LEN` bytes): they fit.
        let tok = |kind, start: usize, end: usize| Tok::new(kind, start, end);
        match event {
            CallbackEvent::OpenStartTag { name } => {
                self.tag_name.clear();
                self.tag_name.extend_from_slice(name);
                self.tag_start = span.start;
                None
            }
            CallbackEvent::AttributeName { name } => {
                self.current = WANTED.iter().position(|&w| w == name);
                if let Some((present, value)) = self.current.and_then(|k| self.attrs.get_mut(k)) {
                    if *present {
                        // A second attribute of the same name does not count.
                        self.current = None;
                    } else {
                        *present = true;
                        value.clear();
                    }
                }
                None
            }
            CallbackEvent::AttributeValue { value } => {
                if let Some((_, v)) = self.current.and_then(|k| self.attrs.get_mut(k)) {
                    v.extend_from_slice(value);
                }
                None
            }
            CallbackEvent::CloseStartTag { self_closing } => {
                let mut t = tok(Kind::Start, self.tag_start, span.end);
                t.set_tag(tag_of(&self.tag_name), &self.tag_name);
                let mut article_title = self.article_title.take();
                read_attributes(&mut t, self_closing, |n| self.attr(n), &mut article_title);
                *self.article_title = article_title;
                if self.pub_date.is_none() && t.tag == Tag::Meta {
                    *self.pub_date = self.published_meta(self.tag_start..span.end);
                }
                self.tag_name.clear();
                self.forget_attributes();
                Some(t)
            }
            CallbackEvent::EndTag { name } => {
                self.forget_attributes();
                let mut t = tok(Kind::End, span.start, span.end);
                t.set_tag(tag_of(name), name);
                Some(t)
            }
            CallbackEvent::Comment { .. } => Some(tok(Kind::Comment, span.start, span.end)),
            CallbackEvent::Doctype { .. } => Some(tok(Kind::Doctype, span.start, span.end)),
            CallbackEvent::String { .. } | CallbackEvent::Error(_) => None,
        }
    }
}

/// Tokenizes `text[range]` into tokens tiling the range.
pub(super) fn lex(text: &str, range: Range<usize>) -> Lexed {
    debug_assert!(range.end <= super::MAX_LEN, "the callers keep to MAX_LEN");
    let base = range.start;
    let Some(src) = text.get(range) else {
        return Lexed {
            toks: Toks::default(),
            article_title: None,
            pub_date: None,
        };
    };
    let mut article_title = None;
    let mut pub_date = None;
    let mut emitter = CallbackEmitter::<_, Tok, usize>::new(Events {
        tag_name: Vec::new(),
        tag_start: 0,
        attrs: Default::default(),
        current: None,
        article_title: &mut article_title,
        src,
        pub_date: &mut pub_date,
    });
    emitter.naively_switch_states(true);
    let mut toks = Toks::default();
    let mut last = 0usize;
    for item in Tokenizer::new_with_emitter(src, emitter) {
        let mut tok = match item {
            Ok(tok) => tok,
            Err(never) => match never {},
        };
        let (s, e) = (tok.start(), tok.end());
        let sane = s >= last
            && e > s
            && e <= src.len()
            && src.is_char_boundary(s)
            && src.is_char_boundary(e)
            && src.as_bytes().get(s) == Some(&b'<');
        if !sane {
            continue;
        }
        if s > last {
            toks.push(Tok::new(Kind::Text, base + last, base + s));
        }
        tok.start = (base + s) as u32;
        tok.end = (base + e) as u32;
        toks.push(tok);
        last = e;
    }
    if last < src.len() {
        // The tokenizer drops a tag cut off by the end of input; keep its bytes as Raw.
        let tail = &src[last..];
        let bytes = tail.as_bytes();
        let cut = (0..bytes.len()).find(|&i| {
            bytes[i] == b'<'
                && match bytes.get(i + 1) {
                    Some(b'/') => bytes.get(i + 2).is_some_and(u8::is_ascii_alphabetic),
                    Some(b) => b.is_ascii_alphabetic(),
                    None => false,
                }
        });
        let cut = cut.map_or(src.len(), |i| last + i);
        if cut > last {
            toks.push(Tok::new(Kind::Text, base + last, base + cut));
        }
        if cut < src.len() {
            toks.push(Tok::new(Kind::Raw, base + cut, base + src.len()));
        }
    }
    toks.shrink_to_fit();
    Lexed {
        toks,
        article_title,
        pub_date: pub_date.map(|r| base + r.start..base + r.end),
    }
}

/// Reads what this module needs from a start tag's attributes (`attr`: the
/// value of an attribute the tag has, by name).
pub(super) fn read_attributes<'a>(
    tok: &mut Tok,
    self_closing: bool,
    attr: impl Fn(&[u8]) -> Option<&'a [u8]>,
    article_title: &mut Option<String>,
) {
    if self_closing {
        tok.flags |= F_SELF_CLOSING;
    }
    let col_span = attr(b"colspan").map_or(1, |v| capped(parse_number(v).unwrap_or(1)));
    let row_span = attr(b"rowspan").map_or(1, |v| capped(parse_number(v).unwrap_or(1)));
    tok.set_spans(col_span, row_span);
    if attr(b"hidden").is_some() {
        tok.flags |= F_HIDDEN;
    }
    if let Some(style) = attr(b"style") {
        // Without white space, in lower case, compared as it goes.
        let squeezed = || {
            style
                .iter()
                .filter(|b| !b.is_ascii_whitespace())
                .map(u8::to_ascii_lowercase)
        };
        if contains_in(squeezed(), b"display:none") || contains_in(squeezed(), b"visibility:hidden")
        {
            tok.flags |= F_HIDDEN;
        }
    }
    // Class names and the id, compared in ASCII lower case (the lists are).
    let class = attr(b"class").map(String::from_utf8_lossy);
    let id = attr(b"id").map(String::from_utf8_lossy);
    let names = class
        .as_deref()
        .into_iter()
        .flat_map(str::split_ascii_whitespace)
        .chain(id.as_deref().map(str::trim));
    let listed = |list: &[&str], name: &str| list.iter().any(|w| w.eq_ignore_ascii_case(name));
    for name in names {
        if listed(SPECIFIC_CONTAINERS, name) {
            tok.set_tier(2);
        } else if listed(GENERIC_CONTAINERS, name) {
            tok.set_tier(tok.tier().max(1));
        }
        if name
            .split(['-', '_'])
            .any(|part| listed(CHROME_WORDS, part))
        {
            tok.flags |= F_CHROME_WORD;
        }
        if name
            .as_bytes()
            .windows(5)
            .any(|w| w.eq_ignore_ascii_case(b"title"))
        {
            tok.flags |= F_TITLE_WORD;
        }
    }
    if tok.tag == Tag::Meta
        && attr(b"name").is_some_and(|n| n.eq_ignore_ascii_case(b"articletitle"))
    {
        if let Some(content) = attr(b"content") {
            let content = String::from_utf8_lossy(content).trim().to_string();
            if !content.is_empty() && article_title.is_none() {
                *article_title = Some(content);
            }
        }
    }
}

/// The HTML rules for parsing non-negative integers (leading digits; saturating).
fn parse_number(v: &[u8]) -> Option<u32> {
    let mut rest = v;
    while let Some((first, tail)) = rest.split_first() {
        if first.is_ascii_whitespace() {
            rest = tail;
        } else {
            break;
        }
    }
    if let Some((b'+', tail)) = rest.split_first() {
        rest = tail;
    }
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    Some(rest[..digits].iter().fold(0u32, |n, &d| {
        n.saturating_mul(10).saturating_add(u32::from(d - b'0'))
    }))
}

/// True when `bytes` contain `needle`.
fn contains_in(bytes: impl Iterator<Item = u8> + Clone, needle: &[u8]) -> bool {
    let mut at = bytes;
    loop {
        if at.clone().take(needle.len()).eq(needle.iter().copied()) {
            return true;
        }
        if at.next().is_none() {
            return false;
        }
    }
}
