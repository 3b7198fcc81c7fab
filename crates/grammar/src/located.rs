//! The tree with line and column on every span: the `nianbao parse --format json` shape.

use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

use crate::tree::Node;
use crate::{Parsed, TextView};

/// A span with its 1-based line and character column (of the start).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LocatedSpan {
    /// First byte, in the original input.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// 1-based line of `start`.
    pub line: usize,
    /// 1-based column of `start`, in Unicode characters.
    pub column: usize,
}

/// A node of the tree with located spans, as it serializes: `kind`, `span` (a
/// [`LocatedSpan`]) and `children`, recursively.
///
/// A view, not a copy: each span is located while it is written, so the tree of a
/// large input is streamed out without a second tree (or a string of it) in memory.
#[derive(Clone, Copy)]
pub struct LocatedTree<'a> {
    text: TextView<'a>,
    node: &'a Node,
}

impl<'a> LocatedTree<'a> {
    /// A node of the tree located in `text` (a streamed node, or a finished parse's).
    pub fn new(text: TextView<'a>, node: &'a Node) -> Self {
        LocatedTree { text, node }
    }
}

impl Serialize for LocatedTree<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut node = serializer.serialize_struct("LocatedNode", 3)?;
        node.serialize_field("kind", &self.node.kind)?;
        node.serialize_field("span", &self.text.locate(self.node.span))?;
        node.serialize_field(
            "children",
            &Children {
                text: self.text,
                nodes: &self.node.children,
            },
        )?;
        node.end()
    }
}

struct Children<'a> {
    text: TextView<'a>,
    nodes: &'a [Node],
}

impl Serialize for Children<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.nodes.len()))?;
        for node in self.nodes {
            seq.serialize_element(&LocatedTree {
                text: self.text,
                node,
            })?;
        }
        seq.end()
    }
}

impl Parsed {
    /// Locates a span of the original input.
    pub fn locate(&self, span: crate::Span) -> LocatedSpan {
        self.view().locate(span)
    }

    /// The whole tree with line and column on every node, to serialize.
    pub fn located_tree(&self) -> LocatedTree<'_> {
        LocatedTree::new(self.view(), &self.tree)
    }
}
