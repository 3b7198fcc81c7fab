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
//! assert_eq!(parsed.outline[0].title, "概述");
//! // The leaves tile the input: the tree gives back every byte.
//! assert_eq!(parsed.tree_text(), "一、概述\n\n本报告由某市人民政府办公室编制。\n".as_bytes());
//! ```

#![warn(missing_docs)]

pub mod codes;
mod decode;
pub mod diagnostic;
mod html;
mod inline;
pub mod located;
pub mod logical;
pub mod span;
pub mod tree;

pub use decode::{Encoding, OffsetMap};
pub use diagnostic::{Diagnostic, Message, Related, Severity};
pub use logical::{Block, Cell, Para, ParaKind, Piece, Table, TableKind};
pub use span::{LineCol, LineIndex, Span};
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
    /// The original bytes.
    pub source: Vec<u8>,
    /// The decoded text the grammar read (without a byte-order mark).
    pub text: String,
    /// The encoding detected.
    pub encoding: Encoding,
    /// Markdown/plain text or HTML page.
    pub input_kind: InputKind,
    /// The lossless syntax tree (spans into `source`).
    pub tree: Node,
    /// The logical document after repairs (spans into `source`).
    pub blocks: Vec<Block>,
    /// Sections recovered from the numbering.
    pub outline: Vec<outline::Section>,
    /// Input diagnostics (NB0xx), in input order.
    pub diagnostics: Vec<Diagnostic>,
    lines: LineIndex,
    map: OffsetMap,
    bom_len: usize,
}

impl Parsed {
    /// The bytes of the tree's leaves, concatenated: always equal to [`Parsed::source`].
    pub fn tree_text(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.source.len());
        for leaf in self.tree.leaves() {
            out.extend_from_slice(&self.source[leaf.span.start..leaf.span.end]);
        }
        out
    }

    /// 1-based line and character column of an original byte offset.
    pub fn line_col(&self, offset: usize) -> LineCol {
        self.lines.line_col(&self.text, self.to_decoded(offset))
    }

    /// The decoded text of an original span (lossy at a span edge inside a character).
    pub fn text_of(&self, span: Span) -> &str {
        let start = self.to_decoded(span.start);
        let end = self.to_decoded(span.end).max(start);
        self.text.get(start..end).unwrap_or("")
    }

    /// The decoded-text offset of an original byte offset (equal for UTF-8 without BOM).
    pub fn to_decoded(&self, offset: usize) -> usize {
        self.map.to_decoded(offset)
    }

    /// Offset of the byte-order mark's end (0 when there is none).
    pub fn bom_len(&self) -> usize {
        self.bom_len
    }
}

pub mod outline;
mod repair;
mod syntax;

mod parse;
pub use parse::parse;
