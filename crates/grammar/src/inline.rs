//! Inline structure of a paragraph's text: bold runs, 《》 titles, numbers.

use std::ops::Range;

use crate::span::Span;
use crate::tree::{Node, NodeKind};

/// Leaves for plain text `text[range]`: numbers, whitespace, newlines and text, tiling the range.
pub(crate) fn text_leaves(_text: &str, range: Range<usize>) -> Vec<Node> {
    vec![Node::leaf(NodeKind::Text, Span::new(range.start, range.end))]
}
