//! The logical view of a report: paragraphs and tables after the named repairs.
//!
//! The syntax tree keeps every byte as written; this view is what the model reads.
//! A paragraph split by a page break is one [`Para`] here, a table split across
//! pages is one [`Table`], markup is gone and entities are decoded. Every piece
//! of logical text still knows the original bytes it came from.

use std::ops::Range;

use std::sync::Arc;

use serde::Serialize;

use crate::decode::OffsetMap;

use crate::span::Span;

/// Where a run of logical text came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Piece {
    /// Byte range in [`Para::text`].
    pub text: Range<usize>,
    /// The original bytes it came from.
    pub span: Span,
    /// True when the logical text is the source text unchanged (so an offset
    /// inside the piece maps to the same character of the source).
    pub verbatim: bool,
    /// The same bytes in the decoded text (differs from `span` for GB18030 input).
    #[serde(skip)]
    pub(crate) decoded: Range<usize>,
}

impl Piece {
    /// True when the span is the decoded range (the usual case, before offsets are
    /// mapped to the original bytes).
    fn span_is_decoded(&self) -> bool {
        self.span.start == self.decoded.start && self.span.end == self.decoded.end
    }

    /// A piece of `text` from `decoded` of the decoded text (its span is the decoded
    /// range until the paragraph is given its offset map).
    pub(crate) fn new(text: Range<usize>, decoded: Range<usize>, verbatim: bool) -> Self {
        Piece {
            text,
            span: Span::new(decoded.start, decoded.end.max(decoded.start)),
            verbatim,
            decoded,
        }
    }
}

/// The decoded-to-original offset map shared by the paragraphs of one parse.
#[derive(Clone, Default)]
pub(crate) struct SharedMap(Option<Arc<OffsetMap>>);

impl SharedMap {
    fn to_original(&self, decoded: usize) -> usize {
        match &self.0 {
            Some(map) => map.to_original(decoded),
            None => decoded,
        }
    }
}

impl PartialEq for SharedMap {
    fn eq(&self, _: &Self) -> bool {
        // The map is a property of the input, not of the paragraph's content.
        true
    }
}

impl Eq for SharedMap {}

impl std::fmt::Debug for SharedMap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedMap")
    }
}

/// Where the runs of a paragraph's text came from (its [`Piece`]s, in order, covering
/// the text exactly), and which byte ranges of the text are bold, packed.
///
/// A report of millions of short paragraphs, or a paragraph of millions of runs
/// (`\_` escapes, entities, bold runs one after the other), keeps this per run:
/// a paragraph of one piece and no bold run (most of them) holds it inline in a
/// few bytes; otherwise each piece is a few varint bytes — its text length, the
/// distance from the previous piece's decoded end, its own decoded length when it
/// differs — with the running position stored every [`MARK`] pieces, so finding
/// the piece of an offset decodes at most [`MARK`] pieces after a binary search.
/// Spans are kept in decoded offsets; [`Para`] maps them to the original bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Pieces(Repr);

#[derive(Clone, Debug, Default, PartialEq, Eq)]
enum Repr {
    #[default]
    Empty,
    /// One piece, text `0..text_end` from `start..end` of the decoded text; no bold run.
    One {
        start: u32,
        end: u32,
        text_end: u32,
        verbatim: bool,
    },
    Many(Box<Packed>),
}

/// Pieces between two stored positions of [`Pieces`].
const MARK: usize = 32;

/// Where the decoding of the pieces stands: before a piece, or after the last.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Cursor {
    /// Offset in [`Packed::bytes`].
    byte: usize,
    /// Text offset (end of the previous piece's text).
    text: usize,
    /// End of the previous piece's decoded range.
    decoded: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Packed {
    /// Per piece: `text length << 3 | own span << 2 | verbatim << 1 | own decoded
    /// length`, the gap from the previous decoded end (zigzag), the decoded length
    /// when it is its own, and the span's distance from the decoded range when it is
    /// its own (a piece cut by [`Para::slice`]).
    bytes: Vec<u8>,
    /// The cursor before pieces `MARK`, `2 * MARK`, ….
    marks: Vec<Cursor>,
    count: usize,
    /// The cursor after the last piece.
    end: Cursor,
    /// Per bold run: the gap from the previous run's end and its length.
    bold: Vec<u8>,
    /// The end of the last bold run.
    bold_end: usize,
}

use crate::packed::{get as get_varint, put as put_varint, unzigzag, zigzag};

impl Packed {
    fn push(&mut self, piece: &Piece) {
        if self.count > 0 && self.count % MARK == 0 {
            self.marks.push(self.end);
        }
        debug_assert_eq!(
            piece.text.start, self.end.text,
            "pieces cover the text in order"
        );
        let text_len = piece.text.len();
        let decoded_len = piece.decoded.len();
        let own_len = decoded_len != text_len;
        let own_span = !piece.span_is_decoded();
        let header = ((text_len as u64) << 3)
            | (u64::from(own_span) << 2)
            | (u64::from(piece.verbatim) << 1)
            | u64::from(own_len);
        put_varint(&mut self.bytes, header);
        let gap = (piece.decoded.start as i64).wrapping_sub(self.end.decoded as i64);
        put_varint(&mut self.bytes, zigzag(gap));
        if own_len {
            put_varint(&mut self.bytes, decoded_len as u64);
        }
        if own_span {
            let delta = |a: usize, b: usize| zigzag((a as i64).wrapping_sub(b as i64));
            put_varint(
                &mut self.bytes,
                delta(piece.span.start, piece.decoded.start),
            );
            put_varint(&mut self.bytes, delta(piece.span.end, piece.decoded.end));
        }
        self.count += 1;
        self.end = Cursor {
            byte: self.bytes.len(),
            text: self.end.text + text_len,
            decoded: piece.decoded.start + decoded_len,
        };
    }

    /// The piece at `at`, and the cursor after it.
    fn decode(&self, at: Cursor) -> Option<(Piece, Cursor)> {
        if at.byte >= self.bytes.len() {
            return None;
        }
        let mut pos = at.byte;
        let header = get_varint(&self.bytes, &mut pos);
        let gap = unzigzag(get_varint(&self.bytes, &mut pos));
        let text_len = (header >> 3) as usize;
        let verbatim = header & 2 != 0;
        let decoded_len = if header & 1 != 0 {
            get_varint(&self.bytes, &mut pos) as usize
        } else {
            text_len
        };
        let start = (at.decoded as i64).wrapping_add(gap) as usize;
        let mut piece = Piece::new(
            at.text..at.text + text_len,
            start..start + decoded_len,
            verbatim,
        );
        if header & 4 != 0 {
            let mut from = |base: usize| {
                (base as i64).wrapping_add(unzigzag(get_varint(&self.bytes, &mut pos))) as usize
            };
            let span_start = from(piece.decoded.start);
            let span_end = from(piece.decoded.end);
            piece.span = Span {
                start: span_start,
                end: span_end,
            };
        }
        let next = Cursor {
            byte: pos,
            text: at.text + text_len,
            decoded: start + decoded_len,
        };
        Some((piece, next))
    }
}

/// The pieces of [`Pieces`] in order (spans in decoded offsets).
pub(crate) struct PieceIter<'a> {
    pieces: &'a Pieces,
    at: Cursor,
    /// For the one-piece form: whether it was given.
    done: bool,
}

impl Iterator for PieceIter<'_> {
    type Item = Piece;

    fn next(&mut self) -> Option<Piece> {
        match &self.pieces.0 {
            Repr::Empty => None,
            Repr::One { .. } => {
                if self.done {
                    return None;
                }
                self.done = true;
                self.pieces.first()
            }
            Repr::Many(packed) => {
                let (piece, next) = packed.decode(self.at)?;
                self.at = next;
                Some(piece)
            }
        }
    }
}

impl Pieces {
    /// Appends a piece; it starts where the text of the pieces so far ends.
    pub(crate) fn push(&mut self, piece: &Piece) {
        if self.0 == Repr::Empty
            && piece.text.start == 0
            && piece.decoded.start <= piece.decoded.end
            && piece.span_is_decoded()
        {
            let fits = |v: usize| u32::try_from(v).ok();
            if let (Some(start), Some(end), Some(text_end)) = (
                fits(piece.decoded.start),
                fits(piece.decoded.end),
                fits(piece.text.end),
            ) {
                self.0 = Repr::One {
                    start,
                    end,
                    text_end,
                    verbatim: piece.verbatim,
                };
                return;
            }
        }
        self.with_packed(|packed| packed.push(piece));
    }

    /// Appends a bold run of the text (after the runs so far).
    pub(crate) fn push_bold(&mut self, run: Range<usize>) {
        self.with_packed(|packed| {
            let gap = (run.start as i64).wrapping_sub(packed.bold_end as i64);
            put_varint(&mut packed.bold, zigzag(gap));
            put_varint(&mut packed.bold, run.len() as u64);
            packed.bold_end = run.end;
        });
    }

    /// Applies `f` to the packed form (the inline form converted first).
    fn with_packed(&mut self, f: impl FnOnce(&mut Packed)) {
        let mut packed = match std::mem::take(&mut self.0) {
            Repr::Many(packed) => packed,
            inline => {
                let mut packed = Box::<Packed>::default();
                if let Some(one) = Pieces(inline).first() {
                    packed.push(&one);
                }
                packed
            }
        };
        f(&mut packed);
        self.0 = Repr::Many(packed);
    }

    /// The pieces in order.
    pub(crate) fn iter(&self) -> PieceIter<'_> {
        PieceIter {
            pieces: self,
            at: Cursor::default(),
            done: false,
        }
    }

    /// The bold runs in order.
    pub(crate) fn bold(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        let bytes: &[u8] = match &self.0 {
            Repr::Many(packed) => &packed.bold,
            _ => &[],
        };
        let mut pos = 0;
        let mut end = 0usize;
        std::iter::from_fn(move || {
            if pos >= bytes.len() {
                return None;
            }
            let gap = unzigzag(get_varint(bytes, &mut pos));
            let len = get_varint(bytes, &mut pos) as usize;
            let start = (end as i64).wrapping_add(gap) as usize;
            end = start + len;
            Some(start..end)
        })
    }

    /// The piece, when there is exactly one.
    pub(crate) fn single(&self) -> Option<Piece> {
        match &self.0 {
            Repr::Many(packed) if packed.count != 1 => None,
            _ => self.first(),
        }
    }

    pub(crate) fn first(&self) -> Option<Piece> {
        match &self.0 {
            Repr::Empty => None,
            &Repr::One {
                start,
                end,
                text_end,
                verbatim,
            } => Some(Piece::new(
                0..text_end as usize,
                start as usize..end as usize,
                verbatim,
            )),
            Repr::Many(packed) => packed.decode(Cursor::default()).map(|(p, _)| p),
        }
    }

    pub(crate) fn last(&self) -> Option<Piece> {
        match &self.0 {
            Repr::Many(packed) => {
                let from = packed.marks.last().copied().unwrap_or_default();
                self.iter_from(from).last()
            }
            _ => self.first(),
        }
    }

    fn iter_from(&self, at: Cursor) -> PieceIter<'_> {
        PieceIter {
            pieces: self,
            at,
            done: false,
        }
    }

    /// The first piece whose text ends at or after (`is_end`) or after `offset`;
    /// `None` when there is none.
    pub(crate) fn find(&self, offset: usize, is_end: bool) -> Option<Piece> {
        let before = |text_end: usize| {
            if is_end {
                text_end < offset
            } else {
                text_end <= offset
            }
        };
        let from = match &self.0 {
            Repr::Many(packed) => {
                // Every piece before a mark ends at or before the mark's text offset.
                let k = packed.marks.partition_point(|m| before(m.text));
                k.checked_sub(1)
                    .and_then(|k| packed.marks.get(k))
                    .copied()
                    .unwrap_or_default()
            }
            _ => Cursor::default(),
        };
        self.iter_from(from).find(|p| !before(p.text.end))
    }

    /// These pieces cut to the first `len` bytes of the text (trailing white space
    /// trimmed): later pieces dropped, the last one cut (its decoded range too when
    /// it is verbatim); the bold runs stay.
    pub(crate) fn truncated(&self, len: usize) -> Pieces {
        let mut out = Pieces::default();
        for mut p in self.iter().take_while(|p| p.text.start < len) {
            if p.text.end > len {
                let cut = p.text.end - len;
                p.text.end = len;
                if p.verbatim {
                    p.span.end -= cut;
                    p.decoded.end -= cut;
                }
            }
            out.push(&p);
        }
        for run in self.bold() {
            out.push_bold(run);
        }
        out
    }

    /// Gives back spare room.
    pub(crate) fn shrink_to_fit(&mut self) {
        if let Repr::Many(packed) = &mut self.0 {
            packed.bytes.shrink_to_fit();
            packed.marks.shrink_to_fit();
            packed.bold.shrink_to_fit();
        }
    }
}

/// Builds the [`Pieces`] of a paragraph: the last piece and the last bold run stay
/// open, so a run that goes on can still grow them.
#[derive(Default)]
pub(crate) struct PiecesBuilder {
    done: Pieces,
    last: Option<Piece>,
    last_bold: Option<Range<usize>>,
}

impl From<Pieces> for PiecesBuilder {
    fn from(done: Pieces) -> Self {
        PiecesBuilder {
            done,
            last: None,
            last_bold: None,
        }
    }
}

impl PiecesBuilder {
    /// The last piece, to grow it.
    pub(crate) fn last_mut(&mut self) -> Option<&mut Piece> {
        self.last.as_mut()
    }

    pub(crate) fn push(&mut self, piece: Piece) {
        if let Some(last) = self.last.replace(piece) {
            self.done.push(&last);
        }
    }

    /// The last bold run, to grow it.
    pub(crate) fn last_bold_mut(&mut self) -> Option<&mut Range<usize>> {
        self.last_bold.as_mut()
    }

    pub(crate) fn push_bold(&mut self, run: Range<usize>) {
        if let Some(last) = self.last_bold.replace(run) {
            self.done.push_bold(last);
        }
    }

    /// The pieces and bold runs built.
    pub(crate) fn finish(mut self) -> Pieces {
        if let Some(last) = self.last.take() {
            self.done.push(&last);
        }
        if let Some(last) = self.last_bold.take() {
            self.done.push_bold(last);
        }
        self.done
    }
}

/// The text of a paragraph as a reader reads it. A paragraph that reads exactly
/// as written — one run of the input without markup, the usual paragraph of a
/// report converted from Word — shares the decoded input instead of holding a
/// copy of it; any other has its own. It reads as a `str` either way.
#[derive(Clone)]
pub struct ParaText(TextRepr);

#[derive(Clone)]
enum TextRepr {
    /// `source[start..end]`.
    Shared(Arc<String>, u32, u32),
    Owned(String),
}

impl ParaText {
    /// The text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            TextRepr::Shared(source, start, end) => {
                source.get(*start as usize..*end as usize).unwrap_or("")
            }
            TextRepr::Owned(s) => s,
        }
    }

    /// `text`, shared with `source` when `pieces` say it is one verbatim run of it.
    pub(crate) fn of(text: String, pieces: &Pieces, source: Option<&Arc<String>>) -> Self {
        let shared = source.and_then(|source| {
            let piece = pieces.single()?;
            let range = piece.decoded;
            let same = piece.verbatim
                && range.len() == text.len()
                && source.get(range.clone()) == Some(text.as_str());
            let (start, end) = (
                u32::try_from(range.start).ok()?,
                u32::try_from(range.end).ok()?,
            );
            same.then(|| TextRepr::Shared(source.clone(), start, end))
        });
        ParaText(shared.unwrap_or_else(|| {
            let mut text = text;
            // Millions of short paragraphs: no spare capacity kept in each.
            text.shrink_to_fit();
            TextRepr::Owned(text)
        }))
    }

    /// The input this text is a stretch of, and where the stretch starts.
    pub(crate) fn shared(&self) -> Option<(&Arc<String>, usize)> {
        match &self.0 {
            TextRepr::Shared(source, start, _) => Some((source, *start as usize)),
            TextRepr::Owned(_) => None,
        }
    }

    /// The text as a `String` of its own (free when it is one already).
    pub fn into_string(self) -> String {
        match self.0 {
            TextRepr::Owned(s) => s,
            shared => ParaText(shared).as_str().to_string(),
        }
    }

    /// The part `range` of this text (shared when this one is).
    pub(crate) fn slice(&self, range: Range<usize>) -> ParaText {
        match &self.0 {
            TextRepr::Shared(source, start, end) => {
                let from = *start as usize + range.start;
                let to = *start as usize + range.end;
                match (u32::try_from(from), u32::try_from(to)) {
                    (Ok(a), Ok(b)) if b <= *end && a <= b => {
                        ParaText(TextRepr::Shared(source.clone(), a, b))
                    }
                    _ => ParaText(TextRepr::Owned(String::new())),
                }
            }
            TextRepr::Owned(s) => ParaText(TextRepr::Owned(
                s.get(range).unwrap_or_default().to_string(),
            )),
        }
    }

    fn shrink_to_fit(&mut self) {
        if let TextRepr::Owned(s) = &mut self.0 {
            s.shrink_to_fit();
        }
    }
}

impl Default for ParaText {
    fn default() -> Self {
        ParaText(TextRepr::Owned(String::new()))
    }
}

impl From<String> for ParaText {
    fn from(text: String) -> Self {
        ParaText(TextRepr::Owned(text))
    }
}

impl std::ops::Deref for ParaText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for ParaText {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for ParaText {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for ParaText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for ParaText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for ParaText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for ParaText {}

impl PartialEq<str> for ParaText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for ParaText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for ParaText {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<ParaText> for &str {
    fn eq(&self, other: &ParaText) -> bool {
        *self == other.as_str()
    }
}

impl Serialize for ParaText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// What kind of paragraph this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParaKind {
    /// Running text.
    Text,
    /// An ATX heading; the level is the count of `#` (it says nothing of the outline).
    Heading(u8),
}

/// A logical paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Para {
    /// Text or heading.
    pub kind: ParaKind,
    /// The text as a reader reads it: markup removed, page breaks and wraps joined.
    pub text: ParaText,
    /// Where each run of `text` came from, and its bold runs (see [`Para::pieces`]).
    pieces: Pieces,
    /// The original bytes from the first piece to the last.
    pub span: Span,
    map: SharedMap,
}

impl Serialize for Para {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Para", 5)?;
        s.serialize_field("kind", &self.kind)?;
        s.serialize_field("text", &self.text)?;
        s.serialize_field("pieces", &self.pieces().collect::<Vec<_>>())?;
        s.serialize_field("bold", &self.bold().collect::<Vec<_>>())?;
        s.serialize_field("span", &self.span)?;
        s.end()
    }
}

impl Para {
    pub(crate) fn new(kind: ParaKind, text: ParaText, mut pieces: Pieces, span: Span) -> Self {
        // Millions of short paragraphs: no spare capacity kept in each.
        pieces.shrink_to_fit();
        Para {
            kind,
            text,
            pieces,
            span,
            map: SharedMap::default(),
        }
    }

    /// Where each run of [`Para::text`] came from, in order; they cover the text exactly.
    pub fn pieces(&self) -> impl Iterator<Item = Piece> + '_ {
        self.pieces.iter().map(|p| self.mapped(p))
    }

    /// Byte ranges of `**bold**` runs (`<b>`, `<strong>`) in [`Para::text`], in order.
    pub fn bold(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        self.pieces.bold()
    }

    /// A piece with its span in the original bytes.
    fn mapped(&self, mut piece: Piece) -> Piece {
        let start = self.map.to_original(piece.span.start);
        let end = self.map.to_original(piece.span.end).max(start);
        piece.span = Span::new(start, end);
        piece
    }

    /// Gives back the spare room of a paragraph that grew (joined halves).
    pub(crate) fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.pieces.shrink_to_fit();
    }

    pub(crate) fn set_map(&mut self, map: Arc<OffsetMap>) {
        self.map = SharedMap(Some(map));
    }

    /// The part of this paragraph covering `range` of its text (a repair splitting
    /// a paragraph), with pieces and bold runs cut to the range.
    pub(crate) fn slice(&self, range: Range<usize>) -> Para {
        let text = self.text.slice(range.clone());
        let mut pieces = Pieces::default();
        for p in self.pieces() {
            let start = p.text.start.max(range.start);
            let end = p.text.end.min(range.end);
            if start >= end {
                continue;
            }
            let (span, decoded) = if p.verbatim && p.decoded.len() == p.text.len() {
                let d = p.decoded.start + (start - p.text.start)
                    ..p.decoded.start + (end - p.text.start);
                let s = Span::new(self.span_of(start..start).start, self.span_of(end..end).end);
                (s, d)
            } else {
                (p.span, p.decoded.clone())
            };
            pieces.push(&Piece {
                text: start - range.start..end - range.start,
                span,
                verbatim: p.verbatim,
                decoded,
            });
        }
        for b in self.bold() {
            if b.start < range.end && b.end > range.start {
                pieces.push_bold(
                    b.start.max(range.start) - range.start..b.end.min(range.end) - range.start,
                );
            }
        }
        let mut para = Para {
            kind: self.kind,
            text,
            pieces,
            span: Span::default(),
            map: self.map.clone(),
        };
        para.span = match (para.pieces.first(), para.pieces.last()) {
            (Some(f), Some(l)) => Span::new(para.mapped(f).span.start, para.mapped(l).span.end),
            _ => Span::new(self.span.start, self.span.start),
        };
        para
    }

    /// Appends `other` to this paragraph (a repair joining two halves), with
    /// `separator` between them when it is not empty.
    pub(crate) fn append(&mut self, separator: &str, other: Para) {
        // Made its own, with room to grow: a chain of joins stays linear.
        let mut text = std::mem::take(&mut self.text).into_string();
        let base = text.len() + separator.len();
        if !separator.is_empty() {
            let at = self.span.end;
            let start = text.len();
            text.push_str(separator);
            self.pieces
                .push(&Piece::new(start..text.len(), at..at, false));
        }
        text.push_str(&other.text);
        self.text = ParaText::from(text);
        for mut p in other.pieces.iter() {
            p.text = p.text.start + base..p.text.end + base;
            self.pieces.push(&p);
        }
        for r in other.bold() {
            self.pieces.push_bold(r.start + base..r.end + base);
        }
        if other.span != Span::default() {
            self.span = if self.span == Span::default() {
                other.span
            } else {
                self.span.cover(other.span)
            };
        }
    }
    /// The original span of a byte range of [`Para::text`].
    ///
    /// Exact for verbatim pieces; a range inside a replaced piece (an entity)
    /// maps to the whole piece.
    pub fn span_of(&self, range: Range<usize>) -> Span {
        let start = self.locate(range.start, false);
        let end = self.locate(range.end, true);
        Span::new(start, end.max(start))
    }

    fn locate(&self, offset: usize, is_end: bool) -> usize {
        let Some(piece) = self
            .pieces
            .find(offset, is_end)
            .or_else(|| self.pieces.last())
        else {
            return self.span.start;
        };
        let piece = self.mapped(piece);
        if offset <= piece.text.start {
            return piece.span.start;
        }
        if offset >= piece.text.end {
            return piece.span.end;
        }
        if piece.verbatim && piece.decoded.len() == piece.text.len() {
            let decoded = piece.decoded.start + (offset - piece.text.start);
            self.map.to_original(decoded)
        } else if is_end {
            piece.span.end
        } else {
            piece.span.start
        }
    }
}

pub use crate::table::{Cell, Parts, Table, TableKind};

/// A block of the logical document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Block {
    /// A paragraph or heading, in place: 72 bytes in the block list and no
    /// allocation of its own (a report of a million short paragraphs; the text of
    /// one that reads as written is a stretch of the input, see [`ParaText`]).
    Para(Para),
    /// A table, in place (64 bytes; a small table's cells are in them too).
    Table(Table),
}

/// The normalized view used for matching labels and phrases: full-width ASCII
/// forms folded to half width (`（一）` → `(一)`, `４３` → `43`, `：` → `:`),
/// curly quotes to straight ones, and all whitespace removed
/// (`2017 年` → `2017年`). The source text is never changed; this is a view.
///
/// ```
/// assert_eq!(nianbao_grammar::logical::normalize("（一） 收到申请数：４３"), "(一)收到申请数:43");
/// ```
pub fn normalize(text: &str) -> String {
    text.chars().filter_map(normalize_char).collect()
}

/// One character of the [`normalize`]d view: `None` for whitespace.
pub fn normalize_char(c: char) -> Option<char> {
    if c.is_whitespace() {
        return None;
    }
    Some(match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '“' | '”' => '"',
        '‘' | '’' => '\'',
        _ => c,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A list of pieces covering a text: (text length, gap before, decoded length, verbatim, own span).
    fn pieces_of(parts: &[(usize, usize, usize, bool, bool)]) -> Vec<Piece> {
        let (mut text, mut decoded) = (0, 0);
        parts
            .iter()
            .map(|&(len, gap, dlen, verbatim, own_span)| {
                let start = decoded + gap;
                let mut p = Piece::new(text..text + len, start..start + dlen, verbatim);
                if own_span {
                    p.span = Span::new(start.saturating_sub(1), start + dlen + 1);
                }
                text += len;
                decoded = start + dlen;
                p
            })
            .collect()
    }

    proptest! {
        #[test]
        fn packed_pieces_give_back_what_was_pushed_and_find_like_a_search(
            parts in prop::collection::vec((0usize..40, 0usize..5, 0usize..40, any::<bool>(), any::<bool>()), 0..200),
            bold in prop::collection::vec((0usize..30, 1usize..30), 0..50),
            probes in prop::collection::vec(0usize..9000, 0..40),
        ) {
            let list = pieces_of(&parts);
            let mut packed = Pieces::default();
            for p in &list {
                packed.push(p);
            }
            let mut runs = Vec::new();
            let mut end = 0;
            for (gap, len) in bold {
                runs.push(end + gap..end + gap + len);
                end += gap + len;
            }
            for r in &runs {
                packed.push_bold(r.clone());
            }
            prop_assert_eq!(packed.iter().collect::<Vec<_>>(), list.clone());
            prop_assert_eq!(packed.bold().collect::<Vec<_>>(), runs);
            prop_assert_eq!(packed.first(), list.first().cloned());
            prop_assert_eq!(packed.last(), list.last().cloned());
            for offset in probes {
                for is_end in [false, true] {
                    let idx = list.partition_point(|p| {
                        if is_end { p.text.end < offset } else { p.text.end <= offset }
                    });
                    prop_assert_eq!(packed.find(offset, is_end), list.get(idx).cloned());
                }
            }
        }
    }

    #[test]
    fn a_paragraph_that_reads_as_written_shares_the_input() {
        let input = "一、概述\n\n本年度共收到申请12件。\n\n**加粗**文字\n\n两行\n文字\n";
        let parsed = crate::parse(input.as_bytes());
        let shared: Vec<(&str, bool)> = parsed
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Para(p) => Some((p.text.as_str(), p.text.shared().is_some())),
                Block::Table(_) => None,
            })
            .collect();
        assert_eq!(
            shared,
            vec![
                ("一、概述", true),
                ("本年度共收到申请12件。", true),
                ("加粗文字", false),
                ("两行文字", false),
            ]
        );
        // A part of a shared text is shared, and reads the same.
        let Some(Block::Para(p)) = parsed.blocks.get(1) else {
            panic!("second block is a paragraph");
        };
        let part = p.text.slice(3..9);
        assert_eq!(part, "年度");
        assert!(part.shared().is_some());
    }

    #[test]
    fn a_block_is_as_small_as_a_paragraph() {
        // Millions of short paragraphs sit in the block list: each is its size there.
        assert_eq!(std::mem::size_of::<ParaText>(), 24);
        assert_eq!(std::mem::size_of::<Pieces>(), 16);
        assert!(
            std::mem::size_of::<Block>() <= 72,
            "{}",
            std::mem::size_of::<Block>()
        );
    }

    #[test]
    fn a_paragraph_of_one_piece_keeps_it_inline() {
        let mut pieces = Pieces::default();
        pieces.push(&Piece::new(0..12, 40..52, true));
        assert!(matches!(pieces.0, Repr::One { .. }));
        pieces.push(&Piece::new(12..13, 60..66, false));
        assert!(matches!(pieces.0, Repr::Many(_)));
        assert_eq!(pieces.iter().count(), 2);
    }
}
