//! The outline, recovered from the numbering (`一、` `（一）` `1.` `（1）` `一是`), not from `#` levels.

use serde::Serialize;

use crate::span::Span;

/// A section of the outline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Section {
    /// Level 1–4, or 5 for `一是/二是` points.
    pub level: u8,
    /// The number as a value (`（三）` → 3).
    pub number: u32,
    /// The marker as written (`（三）`).
    pub marker: String,
    /// The title text.
    pub title: String,
    /// The title's original span.
    pub title_span: Span,
    /// The body's original span (to the next section of the same or a higher level).
    pub body_span: Span,
    /// Sub-sections.
    pub children: Vec<Section>,
}
