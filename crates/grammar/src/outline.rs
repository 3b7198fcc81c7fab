//! The outline, recovered from the numbering (`一、` `（一）` `1.` `（1）` `一是`), not from `#` levels.

use serde::Serialize;

use crate::span::Span;

/// A section of the outline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// Level 1–4, or 5 for `一是/二是` points.
    pub level: u8,
    /// The number as a value (`（三）` → 3).
    pub number: u32,
    /// Index of the logical paragraph the marker is in (points of one list share it).
    pub block: usize,
    /// The marker follows a colon: it opens a list (`…改进措施如下：一是…`).
    pub after_colon: bool,
    /// The marker follows the end of a sentence (`。` `！` `？`) that is not part of
    /// the point before it (`…二是…。下一步，我局将…。一是…`), or a short point that
    /// heads a list of its own (`一是推进权力清单公开。一是…`): a new list may start here.
    pub opens_list: bool,
    /// The marker as written and the title: see [`Section::marker`] and [`Section::title`].
    text: SectionText,
    /// The title's original span.
    pub title_span: Span,
    /// The body's original span (to the next section of the same or a higher level).
    pub body_span: Span,
    /// Sub-sections.
    pub children: Vec<Section>,
}

/// The marker and the title of a section. Both are parts of its paragraph's text:
/// when that text is a stretch of the input (see [`ParaText`]), they are too (a
/// report of a million headings holds no copy of them); otherwise they share one
/// allocation.
#[derive(Clone, Debug, PartialEq, Eq)]
enum SectionText {
    /// The marker is `source[m.0..m.1]`, the title `source[t.0..t.1]`.
    Shared(Arc<String>, [u32; 4]),
    /// The marker, then the title; the marker's length.
    Owned(Box<str>, u32),
}

impl SectionText {
    /// `marker` and `title`, parts of `text`.
    fn new(text: &ParaText, marker: &str, title: &str) -> Self {
        // Where a part lies in the input, when it is a part of a shared text.
        let place = |part: &str| -> Option<(u32, u32)> {
            let (_, start) = text.shared()?;
            let offset = (part.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
            let end = offset
                .checked_add(part.len())
                .filter(|&e| e <= text.len())?;
            Some((
                u32::try_from(start + offset).ok()?,
                u32::try_from(start + end).ok()?,
            ))
        };
        if let (Some((source, _)), Some((a, b)), Some((c, d))) =
            (text.shared(), place(marker), place(title))
        {
            return SectionText::Shared(source.clone(), [a, b, c, d]);
        }
        let mut own = String::with_capacity(marker.len() + title.len());
        own.push_str(marker);
        own.push_str(title);
        SectionText::Owned(
            own.into_boxed_str(),
            u32::try_from(marker.len()).unwrap_or(u32::MAX),
        )
    }

    fn marker(&self) -> &str {
        match self {
            SectionText::Shared(source, [a, b, ..]) => {
                source.get(*a as usize..*b as usize).unwrap_or("")
            }
            SectionText::Owned(text, len) => text.get(..*len as usize).unwrap_or(""),
        }
    }

    fn title(&self) -> &str {
        match self {
            SectionText::Shared(source, [.., c, d]) => {
                source.get(*c as usize..*d as usize).unwrap_or("")
            }
            SectionText::Owned(text, len) => text.get(*len as usize..).unwrap_or(""),
        }
    }
}

impl Section {
    /// The marker as written (`（三）`).
    pub fn marker(&self) -> &str {
        self.text.marker()
    }

    /// The title text.
    pub fn title(&self) -> &str {
        self.text.title()
    }
}

impl Serialize for Section {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Section", 10)?;
        s.serialize_field("level", &self.level)?;
        s.serialize_field("number", &self.number)?;
        s.serialize_field("block", &self.block)?;
        s.serialize_field("after_colon", &self.after_colon)?;
        s.serialize_field("opens_list", &self.opens_list)?;
        s.serialize_field("marker", self.marker())?;
        s.serialize_field("title", self.title())?;
        s.serialize_field("title_span", &self.title_span)?;
        s.serialize_field("body_span", &self.body_span)?;
        s.serialize_field("children", &self.children)?;
        s.end()
    }
}

/// The outline of a report: its top-level sections. Cloning it shares the sections
/// (the report model refers to the same outline as the parse).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outline(Arc<Vec<Section>>);

impl From<Vec<Section>> for Outline {
    fn from(sections: Vec<Section>) -> Self {
        Outline(Arc::new(sections))
    }
}

impl std::ops::Deref for Outline {
    type Target = [Section];

    fn deref(&self) -> &[Section] {
        &self.0
    }
}

impl<'a> IntoIterator for &'a Outline {
    type Item = &'a Section;
    type IntoIter = std::slice::Iter<'a, Section>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Serialize for Outline {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

use std::sync::Arc;

use nom::Parser;

use crate::logical::{Block, Para, ParaText};
use crate::syntax;

/// Recognises a section marker at the start of `text`: (level, number, marker length).
pub(crate) fn section_marker(text: &str) -> Option<(u8, u32, usize)> {
    let try_marker = |level: u8, r: nom::IResult<&str, &str>, cn: bool| {
        r.ok().and_then(|(_, m)| {
            let inner: String = m
                .chars()
                .filter(|c| {
                    syntax::is_cn_numeral(*c) || syntax::is_digit(*c) || ('①'..='⑳').contains(c)
                })
                .collect();
            let value = if cn {
                syntax::cn_numeral_value(&inner)
            } else {
                syntax::digits_value(&inner)
            };
            value.map(|v| (level, v, m.len()))
        })
    };
    try_marker(1, syntax::level1_marker.parse(text), true)
        .or_else(|| try_marker(2, syntax::level2_marker.parse(text), true))
        .or_else(|| try_marker(3, syntax::level3_marker.parse(text), false))
        .or_else(|| try_marker(4, syntax::level4_marker.parse(text), false))
}

/// Builds the outline of the logical document. `text_len` is the end of the document.
///
/// A paragraph opening with a marker (`一、` `（一）` `1.` `（1）`, both widths) is a
/// section; its title is the first sentence (up to `。`) or the bold run it opens
/// with; the rest of the paragraph is body. `一是`/`二是` points are found at the
/// start of a paragraph or after `。` `；` `：`. Sections nest by marker level.
pub(crate) fn build(blocks: &[Block], text_len: usize) -> Vec<Section> {
    let mut nest = Nest::default();
    for (index, block) in blocks.iter().enumerate() {
        if let Block::Para(para) = block {
            collect_entries(para, index, &mut nest);
        }
    }
    nest.finish(text_len)
}

/// Nests the sections as they are found, in one pass: the open sections (each
/// of a higher level than the one below it) wait on a stack; a section closes —
/// its body ends — where the next section of the same or a higher level starts,
/// and goes into its parent or the top level. No flat list of every section is
/// kept beside the tree.
#[derive(Default)]
struct Nest {
    roots: Vec<Section>,
    stack: Vec<Section>,
}

impl Nest {
    /// The next section; its body span holds where its body starts.
    fn push(&mut self, section: Section) {
        while self
            .stack
            .last()
            .is_some_and(|top| top.level >= section.level)
        {
            self.close(section.title_span.start);
        }
        self.stack.push(section);
    }

    /// Closes the top open section, its body ending at `end`.
    fn close(&mut self, end: usize) {
        let Some(mut done) = self.stack.pop() else {
            return;
        };
        let body_start = done.body_span.start.min(end);
        done.body_span = Span::new(body_start, end.max(body_start));
        done.children.shrink_to_fit();
        match self.stack.last_mut() {
            Some(parent) => parent.children.push(done),
            None => self.roots.push(done),
        }
    }

    fn finish(mut self, text_len: usize) -> Vec<Section> {
        while !self.stack.is_empty() {
            self.close(text_len);
        }
        self.roots.shrink_to_fit();
        self.roots
    }
}

/// A section found in a paragraph, not yet nested: its body span is empty at
/// where its body starts. `marker` and `title` are parts of the paragraph's text.
#[allow(clippy::too_many_arguments)]
fn entry(
    para: &Para,
    level: u8,
    number: u32,
    block: usize,
    after_colon: bool,
    opens_list: bool,
    marker: &str,
    title: &str,
    title_span: Span,
    body_start: usize,
) -> Section {
    Section {
        level,
        number,
        block,
        after_colon,
        opens_list,
        text: SectionText::new(&para.text, marker, title),
        title_span,
        body_span: Span::new(body_start, body_start),
        children: Vec::new(),
    }
}

fn collect_entries(para: &Para, block: usize, nest: &mut Nest) {
    let text = para.text.as_str();
    let lead = text.len() - text.trim_start_matches(syntax::is_space).len();
    let mut points_from = 0;
    if let Some((level, number, marker_len)) = section_marker(&text[lead..]) {
        let marker_end = lead + marker_len;
        let title_end = title_end(para, marker_end);
        let title = text[marker_end..title_end].trim_matches(syntax::is_space);
        nest.push(entry(
            para,
            level,
            number,
            block,
            false,
            false,
            &text[lead..marker_end],
            title.trim_end_matches('。'),
            para.span_of(lead..title_end),
            para.span_of(title_end..title_end).start,
        ));
        points_from = title_end;
    }
    // Points: `一是` at the paragraph start or after a sentence or clause end. Found
    // from each `是` (a fast search), looking back at its numeral and the boundary.
    // The end of the last point in this paragraph, and whether it heads a list.
    let mut last_point: Option<(usize, bool)> = None;
    for shi in memchr::memmem::find_iter(text.as_bytes(), "是".as_bytes()) {
        let numerals = text[..shi]
            .chars()
            .rev()
            .take_while(|c| syntax::is_cn_numeral(*c))
            .take(4)
            .count();
        if numerals == 0 || numerals > 3 {
            continue;
        }
        let i = shi - numerals * '一'.len_utf8();
        if i < points_from || i < lead {
            continue;
        }
        // The character before the numeral, spaces being transparent (`…改进： 一是` in a dump).
        let prev = text[..i].chars().rev().find(|c| !syntax::is_space(*c));
        // Right after the section's title, spaces between (`（一）存在的问题 一是…` in a dump).
        let after_title = points_from > lead
            && text
                .get(points_from..i)
                .is_some_and(|gap| gap.chars().all(syntax::is_space));
        let at_boundary = i == lead
            || after_title
            || matches!(prev, Some('。' | '；' | '：' | '，' | ';' | ':' | ','));
        if !at_boundary {
            continue;
        }
        let after_colon = matches!(prev, Some('：' | ':'));
        let marker = &text[i..shi + '是'.len_utf8()];
        let Some(number) = syntax::cn_numeral_value(marker.trim_end_matches('是')) else {
            continue;
        };
        let marker_end = i + marker.len();
        let end = point_title_end(para, marker_end);
        let after_sentence = matches!(prev, Some('。' | '！' | '？'));
        let opens_list = after_sentence
            && last_point.is_none_or(|(point_end, heading)| {
                heading
                    || text[point_end.min(i)..i]
                        .chars()
                        .any(|c| !syntax::is_space(c))
            });
        let title = &text[marker_end..end];
        // A point that heads a list: a short phrase, no clause inside.
        let heading = title.chars().count() <= 25 && !title.contains(['，', ',', '；']);
        last_point = Some((end, heading));
        nest.push(entry(
            para,
            5,
            number,
            block,
            after_colon,
            opens_list,
            marker,
            text[marker_end..end].trim_end_matches(['。', '；']),
            para.span_of(i..end),
            para.span_of(end..end).start,
        ));
    }
}

/// End of an inline title: the end of a bold run covering the marker, else the first `。`
/// (included), else the whole paragraph.
fn title_end(para: &Para, marker_end: usize) -> usize {
    if let Some(b) = para
        .bold()
        .find(|b| b.start <= marker_end.saturating_sub(1) && b.end > marker_end)
    {
        // Bold runs written next to each other read as one (`**（三）…管理。****一是**`):
        // the title ends at its first sentence end.
        return match para.text[marker_end..b.end].find('。') {
            Some(i) => marker_end + i + '。'.len_utf8(),
            None => b.end,
        };
    }
    let text = &para.text;
    // A national heading run into its body (a plain-text dump) ends where the heading does.
    let lead = text[marker_end..].len()
        - text[marker_end..]
            .trim_start_matches(syntax::is_space)
            .len();
    let marker_end = marker_end + lead;
    let rest = &text[marker_end..];
    if let Some(h) = crate::repair::NATIONAL_HEADINGS
        .iter()
        .filter(|h| rest.starts_with(**h))
        .max_by_key(|h| h.len())
    {
        return marker_end + h.len();
    }
    // A short title followed by a space (`一、总体情况 2023年，…`) ends at the space.
    if let Some(space) = rest.find(syntax::is_space) {
        if space > 0 && rest[..space].chars().count() <= 30 && !rest[..space].contains(['。', '，'])
        {
            return marker_end + space;
        }
    }
    // A title ends at its first `。`, or where a list of points begins (`方面一是…` in a dump).
    let sentence_end = text[marker_end..]
        .find('。')
        .map_or(text.len(), |i| marker_end + i + '。'.len_utf8());
    match text[marker_end..sentence_end].find("一是") {
        Some(i) if i > 0 => marker_end + i,
        _ => sentence_end,
    }
}

fn point_title_end(para: &Para, marker_end: usize) -> usize {
    if let Some(b) = para
        .bold()
        .find(|b| b.start < marker_end && b.end > marker_end)
    {
        return match para.text[marker_end..b.end].find(['。', '；']) {
            Some(i) => marker_end + i + '。'.len_utf8(),
            None => b.end,
        };
    }
    let text = &para.text;
    match text[marker_end..].find(['。', '；']) {
        Some(i) => marker_end + i + 3,
        None => text.len(),
    }
}

/// Maps the spans of a section tree with `f`.
pub(crate) fn remap(section: &mut Section, f: &impl Fn(usize) -> usize) {
    section.title_span = Span::new(f(section.title_span.start), f(section.title_span.end));
    section.body_span = Span::new(f(section.body_span.start), f(section.body_span.end));
    for child in &mut section.children {
        remap(child, f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_heading_that_reads_as_written_shares_its_marker_and_title() {
        let parsed = crate::parse("一、概述\n\n（一）**加粗**标题。正文\n".as_bytes());
        let top = &parsed.outline[0];
        assert_eq!((top.marker(), top.title()), ("一、", "概述"));
        assert!(matches!(top.text, SectionText::Shared(..)));
        let sub = &top.children[0];
        assert_eq!((sub.marker(), sub.title()), ("（一）", "加粗标题"));
        assert!(matches!(sub.text, SectionText::Owned(..)));
    }
}
