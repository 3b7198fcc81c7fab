//! Byte spans into the ORIGINAL input and their line/column positions.

use serde::{Deserialize, Serialize};

use crate::packed::Offsets;

/// A half-open byte range `[start, end)` into the original input bytes.
///
/// Offsets are always into the bytes the user gave, also when the input was
/// GB18030 and the grammar worked on a decoded copy.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Span {
    /// First byte of the range.
    pub start: usize,
    /// One past the last byte of the range.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "span start after end");
        Span { start, end }
    }

    /// Number of bytes covered.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers no byte.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A 1-based line and column; the column counts Unicode characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LineCol {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in Unicode characters from the start of the line.
    pub column: usize,
}

/// Maps byte offsets of a text to lines and character columns.
///
/// Built once per input (linear). A lookup is a binary search for the line plus
/// two counts of at most [`CHECKPOINT`] bytes: the number of characters before
/// every `CHECKPOINT`-th byte is stored, so a lookup on a line of megabytes costs
/// the same as on a short one, and many findings on one long line stay linear.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: LineStarts,
    /// `chars_before[k]`: characters (non-continuation bytes) in `text[..k * CHECKPOINT]`.
    chars_before: Vec<usize>,
}

/// Bytes between two stored character counts of a [`LineIndex`].
pub const CHECKPOINT: usize = 256;

/// True for the first byte of a UTF-8 character.
fn starts_char(b: u8) -> bool {
    (b & 0xC0) != 0x80
}

/// The offsets where lines start: 4 bytes a line while they fit in 32 bits (a
/// text of short lines holds one per few bytes).
#[derive(Clone, Debug)]
struct LineStarts(Offsets);

impl LineStarts {
    fn new(text: &str) -> Self {
        let mut starts = Offsets::default();
        starts.push(0);
        for i in memchr::memchr_iter(b'\n', text.as_bytes()) {
            starts.push(i + 1);
        }
        starts.shrink_to_fit();
        LineStarts(starts)
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn get(&self, line: usize) -> Option<usize> {
        self.0.get(line)
    }

    /// Number of line starts at or before `offset`.
    fn starts_up_to(&self, offset: usize) -> usize {
        self.0.count_up_to(offset)
    }
}

/// Where [`LineIndex::line_col_from`] last stood: a byte offset, its line and
/// column, and where its line ends.
#[derive(Clone, Copy, Debug, Default)]
pub struct LineCursor {
    offset: usize,
    line_end: usize,
    at: Option<LineCol>,
}

impl LineIndex {
    /// Index the line starts of `text` (`\n` ends a line; `\r\n` too).
    pub fn new(text: &str) -> Self {
        let line_starts = LineStarts::new(text);
        let mut chars_before = Vec::with_capacity(text.len() / CHECKPOINT + 1);
        let mut count = 0;
        chars_before.push(0);
        for chunk in text.as_bytes().chunks(CHECKPOINT) {
            count += chunk.iter().filter(|&&b| starts_char(b)).count();
            chars_before.push(count);
        }
        LineIndex {
            line_starts,
            chars_before,
        }
    }

    /// Characters in `text[..offset]` (an offset inside a character counts that character).
    fn chars_to(&self, text: &str, offset: usize) -> usize {
        let k = offset / CHECKPOINT;
        let base = self.chars_before.get(k).copied().unwrap_or(0);
        let counted = &text.as_bytes()[k * CHECKPOINT..offset];
        #[cfg(test)]
        tests::COUNTED.with(|c| c.set(c.get() + counted.len()));
        base + counted.iter().filter(|&&b| starts_char(b)).count()
    }

    /// Line and column of byte `offset` in `text` (the text this index was built from).
    ///
    /// An offset inside a multi-byte character counts as that character.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        // The first line starts at 0: at least one start is at or before `offset`.
        let line = self.line_starts.starts_up_to(offset).saturating_sub(1);
        let start = self.line_starts.get(line).unwrap_or(0);
        let column = self.chars_to(text, offset) - self.chars_to(text, start);
        LineCol {
            line: line + 1,
            column: column + 1,
        }
    }

    /// [`LineIndex::line_col`] of `offset`, counting from where `cursor` last
    /// stood when `offset` is on the same line at or after it: a caller that
    /// locates many increasing offsets of one line (every character of a
    /// paragraph) counts each character once instead of from a checkpoint.
    pub fn line_col_from(&self, cursor: &mut LineCursor, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        if let Some(at) = cursor.at {
            if offset >= cursor.offset && offset < cursor.line_end {
                let step = text.as_bytes()[cursor.offset..offset]
                    .iter()
                    .filter(|&&b| starts_char(b))
                    .count();
                let at = LineCol {
                    line: at.line,
                    column: at.column + step,
                };
                *cursor = LineCursor {
                    offset,
                    at: Some(at),
                    ..*cursor
                };
                return at;
            }
        }
        let at = self.line_col(text, offset);
        *cursor = LineCursor {
            offset,
            line_end: self.line_start(at.line + 1).unwrap_or(usize::MAX),
            at: Some(at),
        };
        at
    }

    /// The 1-based line of byte `offset` in a text of `len` bytes (the text this
    /// index was built from): [`LineIndex::line_col`]'s line.
    pub fn line_of(&self, len: usize, offset: usize) -> usize {
        let offset = offset.min(len);
        self.line_starts.starts_up_to(offset).max(1)
    }

    /// Byte offset where 1-based `line` starts, if the text has that line.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line.checked_sub(1)?)
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cursor gives what `line_col` gives, whatever the order of the offsets
    /// (forwards on a line, across lines, backwards, inside a character).
    #[test]
    fn line_col_from_a_cursor_is_line_col() {
        let text =
            "一、总体情况\r\n本年度，主动公开政府信息 1,234 条。\n\n（一）主动公开\nabc 第二行";
        let index = LineIndex::new(text);
        let mut offsets: Vec<usize> = (0..=text.len()).collect();
        offsets.extend((0..=text.len()).rev());
        offsets.extend((0..=text.len()).step_by(7));
        offsets.extend([3, 60, 2, 61, 90, 0, text.len() + 5]);
        let mut cursor = LineCursor::default();
        for offset in offsets {
            assert_eq!(
                index.line_col_from(&mut cursor, text, offset),
                index.line_col(text, offset),
                "offset {offset}"
            );
        }
    }

    thread_local! {
        /// Bytes counted by lookups on this thread.
        pub(super) static COUNTED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// Bytes counted to locate every character of one line of `n` characters.
    fn counted_for_every_offset_of_a_line(n: usize) -> usize {
        let text = "《".repeat(n);
        let index = LineIndex::new(&text);
        COUNTED.with(|c| c.set(0));
        for (offset, _) in text.char_indices() {
            index.line_col(&text, offset);
        }
        COUNTED.with(std::cell::Cell::get)
    }

    #[test]
    fn locating_every_finding_of_one_long_line_grows_linearly() {
        // A lookup counts at most two checkpoints' worth of bytes, wherever it is on
        // the line: four times the findings, four times the work (a count from the
        // line start would be sixteen times).
        let small = counted_for_every_offset_of_a_line(10_000);
        let large = counted_for_every_offset_of_a_line(40_000);
        assert!(small <= 10_000 * 2 * CHECKPOINT, "{small}");
        assert!(large * 10 <= small * 45, "{small} -> {large}");
    }

    /// The column as a plain count from the line start: what the checkpoints must give.
    fn slow_line_col(text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let start = text.as_bytes()[..offset]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let line = text.as_bytes()[..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        let column = text.as_bytes()[start..offset]
            .iter()
            .filter(|&&b| starts_char(b))
            .count();
        LineCol {
            line: line + 1,
            column: column + 1,
        }
    }

    #[test]
    fn checkpoints_give_the_counted_column_at_every_offset() {
        // Lines longer and shorter than a checkpoint, three- and one-byte characters,
        // offsets inside characters and past the end.
        let text = format!(
            "{}\n{}\r\nab\n\n{}",
            "《".repeat(300),
            "a一".repeat(200),
            "一、".repeat(90)
        );
        let index = LineIndex::new(&text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                index.line_col(&text, offset),
                slow_line_col(&text, offset),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "一、概述\n(一)加强";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), LineCol { line: 1, column: 1 });
        // "一、" is two characters, six bytes.
        assert_eq!(index.line_col(text, 6), LineCol { line: 1, column: 3 });
        let second = text.find('(').expect("test text has a parenthesis");
        assert_eq!(
            index.line_col(text, second + 1),
            LineCol { line: 2, column: 2 }
        );
    }
}
