//! Input decoding: UTF-8 (with or without BOM) and GB18030/GBK, with an offset map
//! from the decoded text back to the original bytes.
//!
//! STUB: to be replaced by the full implementation.

use crate::diagnostic::Diagnostic;

/// The encoding the input was read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark.
    Utf8Bom,
    /// GB18030 (a superset of GBK and GB2312).
    Gb18030,
}

/// Maps byte offsets of the decoded text to byte offsets of the original input.
#[derive(Clone, Debug, Default)]
pub struct OffsetMap {
    shift: usize,
}

impl OffsetMap {
    /// The original byte offset of decoded byte offset `decoded` (a char boundary).
    pub fn to_original(&self, decoded: usize) -> usize {
        decoded + self.shift
    }

    /// The decoded byte offset of original byte offset `original` (an offset
    /// inside a character maps to that character's start).
    pub fn to_decoded(&self, original: usize) -> usize {
        original.saturating_sub(self.shift)
    }
}

/// The decoded input.
pub(crate) struct Decoded {
    /// The text, without the byte-order mark.
    pub text: String,
    /// The encoding detected.
    pub encoding: Encoding,
    /// Length in original bytes of the byte-order mark (0 when none).
    pub bom_len: usize,
    /// Decoded offsets to original offsets.
    pub map: OffsetMap,
    /// NB001 (undecodable bytes) and NB002 (empty input).
    pub diagnostics: Vec<Diagnostic>,
}

/// Decodes `bytes`, never failing.
pub(crate) fn decode(bytes: &[u8]) -> Decoded {
    let text = String::from_utf8_lossy(bytes).into_owned();
    Decoded {
        text,
        encoding: Encoding::Utf8,
        bom_len: 0,
        map: OffsetMap::default(),
        diagnostics: Vec::new(),
    }
}
