//! The lossless syntax tree: every byte of the input belongs to exactly one leaf.

use serde::Serialize;

use crate::span::Span;

/// What a node of the syntax tree is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NodeKind {
    // ---- containers ----
    /// The whole input.
    Document,
    /// A run of blank lines (the page gaps of converted PDFs are these).
    Blank,
    /// A paragraph: consecutive non-blank lines of text.
    Paragraph,
    /// An ATX heading (`## 一、概述`).
    Heading,
    /// A GFM pipe table.
    PipeTable,
    /// An HTML `<table>` block.
    HtmlTable,
    /// A table of a plain-text rendering (cells separated by tabs or runs of spaces).
    TextTable,
    /// A table row.
    Row,
    /// A table cell.
    Cell,
    /// The `|---|---|` delimiter row of a pipe table.
    DelimiterRow,
    /// A `**bold**` run.
    Bold,
    /// A title in `《》` (nested `〈〉` inside).
    BookTitle,
    /// A page-number line between two pages (`- 1 -`).
    PageNumber,
    /// An HTML comment block (`<!-- source: … -->`).
    Comment,
    /// Parts of an HTML page that are not report text: head, scripts, styles, navigation.
    PageChrome,
    /// The metadata header a site's archive or CMS export writes before the report
    /// (`标题:` `发布时间:` `发布机构:` …): front matter, not report text.
    Metadata,
    /// One `key: value` line of the metadata header.
    MetadataField,
    // ---- leaves ----
    /// A byte-order mark.
    Bom,
    /// Plain text.
    Text,
    /// A number as written (`43`, `13.74`, `４３`, `2017`).
    Number,
    /// A line break.
    Newline,
    /// Spaces and tabs.
    Whitespace,
    /// Markup syntax: `#`, `**`, `|`, `《`, `》`.
    Marker,
    /// An HTML tag (`<td colspan="3">`, `<br>`).
    Tag,
    /// An HTML character reference (`&nbsp;`).
    Entity,
    /// A backslash escape of the converter (`\\_`).
    Escape,
    /// Bytes kept only so the tree stays lossless (script bodies, markup the report does not use).
    Raw,
}

impl NodeKind {
    /// True for kinds that never have children.
    pub fn is_leaf(self) -> bool {
        matches!(
            self,
            NodeKind::Bom
                | NodeKind::Text
                | NodeKind::Number
                | NodeKind::Newline
                | NodeKind::Whitespace
                | NodeKind::Marker
                | NodeKind::Tag
                | NodeKind::Entity
                | NodeKind::Escape
                | NodeKind::Raw
        )
    }
}

/// A node of the syntax tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// What it is.
    pub kind: NodeKind,
    /// The bytes it covers; a container covers exactly its children.
    pub span: Span,
    /// Children in input order; empty for leaves.
    pub children: Vec<Node>,
}

impl Node {
    /// A leaf.
    pub fn leaf(kind: NodeKind, span: Span) -> Self {
        Node {
            kind,
            span,
            children: Vec::new(),
        }
    }

    /// A container covering its children (which must be non-empty and contiguous).
    pub fn container(kind: NodeKind, mut children: Vec<Node>) -> Self {
        // A tree of millions of small nodes: no spare capacity kept in each list.
        children.shrink_to_fit();
        let start = children.first().map_or(0, |c| c.span.start);
        let end = children.last().map_or(start, |c| c.span.end);
        Node {
            kind,
            span: Span::new(start, end),
            children,
        }
    }

    /// The leaves under this node, in input order.
    pub fn leaves(&self) -> Leaves<'_> {
        Leaves { stack: vec![self] }
    }

    /// Applies `f` to every span of this subtree.
    pub(crate) fn map_spans(&mut self, f: &impl Fn(usize) -> usize) {
        self.span = Span::new(f(self.span.start), f(self.span.end));
        for child in &mut self.children {
            child.map_spans(f);
        }
    }
}

/// Iterator over the leaves of a subtree, in input order (depth first, no recursion).
pub struct Leaves<'a> {
    stack: Vec<&'a Node>,
}

impl<'a> Iterator for Leaves<'a> {
    type Item = &'a Node;

    fn next(&mut self) -> Option<&'a Node> {
        while let Some(node) = self.stack.pop() {
            if node.children.is_empty() {
                return Some(node);
            }
            self.stack.extend(node.children.iter().rev());
        }
        None
    }
}
