//! The tree with line and column on every span: the `nianbao parse --format json` shape.

use serde::Serialize;

use crate::tree::{Node, NodeKind};
use crate::Parsed;

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

/// A node of the tree with located spans.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LocatedNode {
    /// What the node is.
    pub kind: NodeKind,
    /// Where it is.
    pub span: LocatedSpan,
    /// Children, empty for leaves.
    pub children: Vec<LocatedNode>,
}

impl Parsed {
    /// Locates a span of the original input.
    pub fn locate(&self, span: crate::Span) -> LocatedSpan {
        let lc = self.line_col(span.start);
        LocatedSpan {
            start: span.start,
            end: span.end,
            line: lc.line,
            column: lc.column,
        }
    }

    /// The whole tree with line and column on every node.
    pub fn located_tree(&self) -> LocatedNode {
        locate_node(self, &self.tree)
    }
}

fn locate_node(parsed: &Parsed, node: &Node) -> LocatedNode {
    LocatedNode {
        kind: node.kind,
        span: parsed.locate(node.span),
        children: node
            .children
            .iter()
            .map(|c| locate_node(parsed, c))
            .collect(),
    }
}
