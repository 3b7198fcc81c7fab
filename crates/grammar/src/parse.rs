//! The entry point: bytes → decoded text → blocks → repairs → outline.

use crate::decode::decode;
use crate::span::{LineIndex, Span};
use crate::tree::{Node, NodeKind};
use crate::{InputKind, Parsed};

/// Parses any bytes into a [`Parsed`]; never fails, never panics.
pub fn parse(bytes: &[u8]) -> Parsed {
    let decoded = decode(bytes);
    let text = decoded.text;
    let tree = Node::container(
        NodeKind::Document,
        vec![Node::leaf(NodeKind::Text, Span::new(0, text.len()))],
    );
    let lines = LineIndex::new(&text);
    Parsed {
        source: bytes.to_vec(),
        encoding: decoded.encoding,
        input_kind: InputKind::Markdown,
        tree,
        blocks: Vec::new(),
        outline: Vec::new(),
        diagnostics: decoded.diagnostics,
        lines,
        map: decoded.map,
        bom_len: decoded.bom_len,
        text,
    }
}
