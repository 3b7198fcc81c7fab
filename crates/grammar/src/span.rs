//! Byte spans into the ORIGINAL input and their line/column positions.

use serde::{Deserialize, Serialize};

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
/// Built once per input (linear); a lookup is a binary search plus a count
/// of the characters between the line start and the offset.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    /// Index the line starts of `text` (`\n` ends a line; `\r\n` too).
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { line_starts }
    }

    /// Line and column of byte `offset` in `text` (the text this index was built from).
    ///
    /// An offset inside a multi-byte character counts as that character.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let column = text.as_bytes()[start..offset]
            .iter()
            .filter(|&&b| (b & 0xC0) != 0x80)
            .count();
        LineCol {
            line: line + 1,
            column: column + 1,
        }
    }

    /// A cursor for many lookups in increasing offset order: each lookup counts
    /// only the characters since the previous one, so locating every node of a
    /// tree over a 4 MiB line stays linear.
    pub fn cursor<'a>(&'a self, text: &'a str) -> LineCursor<'a> {
        LineCursor {
            index: self,
            text,
            offset: 0,
            line: 0,
            column: 0,
        }
    }

    /// Byte offset where 1-based `line` starts, if the text has that line.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line.checked_sub(1)?).copied()
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// Line/column lookups for offsets that mostly increase (see [`LineIndex::cursor`]).
pub struct LineCursor<'a> {
    index: &'a LineIndex,
    text: &'a str,
    offset: usize,
    line: usize,
    column: usize,
}

impl LineCursor<'_> {
    /// Line and column of `offset`; cheap when `offset` is at or after the previous one.
    pub fn line_col(&mut self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line = match self.index.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.index.line_starts[line];
        let from = if line == self.line && offset >= self.offset && self.offset >= start {
            self.offset
        } else {
            self.column = 0;
            start
        };
        self.column += self.text.as_bytes()[from..offset]
            .iter()
            .filter(|&&b| (b & 0xC0) != 0x80)
            .count();
        self.offset = offset;
        self.line = line;
        LineCol {
            line: line + 1,
            column: self.column + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
