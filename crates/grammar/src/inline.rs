//! Inline structure of a line of text: bold runs, 《》 titles, numbers, escapes, entities.
//!
//! Every function here returns leaves (or small containers) that tile the range
//! it was given, in one left-to-right pass.

use std::ops::Range;

use crate::span::Span;
use crate::syntax::{self, is_digit, is_space};
use crate::tree::{Node, NodeKind};

/// Nodes for one line of a paragraph or heading (`text[range]`, without the line end):
/// `**bold**` runs become [`NodeKind::Bold`] containers, the rest as [`text_leaves`].
pub(crate) fn line_nodes(text: &str, range: Range<usize>) -> Vec<Node> {
    let mut out = Vec::new();
    line_nodes_into(text, range, &mut |n| out.push(n));
    out
}

/// [`line_nodes`], each node handed to `emit` as it is made (a line of a megabyte
/// is never a list of nodes in memory).
pub(crate) fn line_nodes_into(text: &str, range: Range<usize>, emit: &mut dyn FnMut(Node)) {
    let line = &text[range.clone()];
    // Pair `**` markers left to right, skipping overlaps (`***`) and empty runs; each
    // pair goes out as it is found (a line of a million markers holds no list of them).
    let mut open: Option<usize> = None;
    let mut last_end = range.start;
    let mut at = range.start;
    for i in double_stars(line) {
        let pos = range.start + i;
        if pos < last_end {
            continue;
        }
        match open {
            None => {
                open = Some(pos);
                last_end = pos + 2;
            }
            Some(o) if pos > o + 2 => {
                text_leaves_into(text, at..o, emit);
                let mut children = vec![Node::leaf(NodeKind::Marker, Span::new(o, o + 2))];
                children.extend(text_leaves(text, o + 2..pos));
                children.push(Node::leaf(NodeKind::Marker, Span::new(pos, pos + 2)));
                emit(Node::container(NodeKind::Bold, children));
                at = pos + 2;
                open = None;
                last_end = pos + 2;
            }
            Some(_) => {}
        }
    }
    text_leaves_into(text, at..range.end, emit);
}

/// Where `**` is in `line`, left to right without overlaps (as
/// `line.match_indices("**")` finds it), from a byte search for `*`.
fn double_stars(line: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = line.as_bytes();
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(k) = memchr::memchr(b'*', bytes.get(from..)?) {
            let i = from + k;
            if bytes.get(i + 1) == Some(&b'*') {
                from = i + 2;
                return Some(i);
            }
            from = i + 1;
        }
        None
    })
}

/// Leaves for plain text `text[range]`, with titles in `《》` (nested `〈〉` and `《》`
/// stay inside the outermost title) as [`NodeKind::BookTitle`] containers.
/// An unclosed `《` is text.
pub(crate) fn text_leaves(text: &str, range: Range<usize>) -> Vec<Node> {
    let mut out = Vec::new();
    text_leaves_into(text, range, &mut |n| out.push(n));
    out
}

/// [`text_leaves`], each node handed to `emit` as it is made.
pub(crate) fn text_leaves_into(text: &str, range: Range<usize>, emit: &mut dyn FnMut(Node)) {
    let segment = &text[range.clone()];
    if memchr::memmem::find(segment.as_bytes(), "《".as_bytes()).is_none() {
        return atoms_into(text, range, emit);
    }
    // Outermost matched pairs, found with a stack in one pass.
    let mut stack: Vec<usize> = Vec::new();
    let mut titles: Vec<(usize, usize)> = Vec::new();
    for (i, c) in segment.char_indices() {
        match c {
            '《' => stack.push(range.start + i),
            '》' => {
                if let Some(open) = stack.pop() {
                    if stack.is_empty() {
                        titles.push((open, range.start + i));
                    }
                }
            }
            _ => {}
        }
    }
    // A closer that matched an opener left unclosed further out still closes a
    // title: keep only non-overlapping pairs, in order.
    titles.sort_unstable();
    let mut at = range.start;
    for (open, close) in titles {
        if open < at {
            continue;
        }
        let close_end = close + '》'.len_utf8();
        atoms_into(text, at..open, emit);
        let mut children = vec![Node::leaf(
            NodeKind::Text,
            Span::new(open, open + '《'.len_utf8()),
        )];
        children.extend(atoms(text, open + '《'.len_utf8()..close));
        children.push(Node::leaf(NodeKind::Text, Span::new(close, close_end)));
        emit(Node::container(NodeKind::BookTitle, children));
        at = close_end;
    }
    atoms_into(text, at..range.end, emit);
}

/// The smallest leaves: numbers, whitespace, escapes, entities, tags, link syntax and text.
fn atoms(text: &str, range: Range<usize>) -> Vec<Node> {
    let mut out = Vec::new();
    atoms_into(text, range, &mut |n| out.push(n));
    out
}

/// [`atoms`], each leaf handed to `emit` as it is made.
fn atoms_into(text: &str, range: Range<usize>, emit: &mut dyn FnMut(Node)) {
    let mut text_start: Option<usize> = None;
    let mut pos = range.start;
    let end = range.end;
    // Whether the range has link syntax, and where its last `-->` is: each read
    // when an atom first asks (most ranges have neither `[`, `]` nor `<!--`).
    let mut has_link: Option<bool> = None;
    let mut last_close: Option<Option<usize>> = None;
    let segment = &text[range.clone()];
    let flush = |emit: &mut dyn FnMut(Node), text_start: &mut Option<usize>, upto: usize| {
        if let Some(s) = text_start.take() {
            if s < upto {
                emit(Node::leaf(NodeKind::Text, Span::new(s, upto)));
            }
        }
    };
    let bytes = text.as_bytes();
    while pos < end {
        // A run of characters that start no atom is text: skipped byte-wise,
        // without decoding them.
        if plain_at(bytes, pos) {
            text_start.get_or_insert(pos);
            pos += 1;
            while pos < end && plain_at(bytes, pos) {
                pos += 1;
            }
            continue;
        }
        let rest = &text[pos..end];
        let Some(c) = rest.chars().next() else { break };
        let matched: Option<(NodeKind, usize)> = if is_digit(c) {
            syntax::number(rest)
                .ok()
                .map(|(r, _)| (NodeKind::Number, rest.len() - r.len()))
        } else if is_space(c) {
            let n = rest.find(|ch: char| !is_space(ch)).unwrap_or(rest.len());
            Some((NodeKind::Whitespace, n))
        } else if c == '&' {
            syntax::entity(rest)
                .ok()
                .map(|(r, _)| (NodeKind::Entity, rest.len() - r.len()))
        } else if c == '\\' {
            syntax::escape(rest)
                .ok()
                .map(|(r, _)| (NodeKind::Escape, rest.len() - r.len()))
        } else if c == '<'
            && rest.starts_with("<!--")
            && last_close
                .get_or_insert_with(|| segment.rfind("-->").map(|i| range.start + i))
                .is_some_and(|lc| lc > pos)
        {
            // A comment is markup, not report text (a reviewer's suppression, a converter's note).
            // Only tried when a `-->` follows somewhere: openers never closed stay linear.
            syntax::inline_comment(rest)
                .ok()
                .map(|(r, _)| (NodeKind::Raw, rest.len() - r.len()))
        } else if c == '<' {
            if let Ok((r, link)) = syntax::autolink(rest) {
                // `<` and `>` are markup; the address between them is text.
                flush(emit, &mut text_start, pos);
                let inner_end = pos + link.len() - 1;
                emit(Node::leaf(NodeKind::Marker, Span::new(pos, pos + 1)));
                emit(Node::leaf(NodeKind::Text, Span::new(pos + 1, inner_end)));
                emit(Node::leaf(
                    NodeKind::Marker,
                    Span::new(inner_end, inner_end + 1),
                ));
                pos = end - r.len();
                continue;
            }
            syntax::inline_tag(rest)
                .ok()
                .map(|(r, _)| (NodeKind::Tag, rest.len() - r.len()))
        } else if c == ']' && *has_link.get_or_insert_with(|| segment.contains("](")) {
            syntax::link_destination(rest)
                .ok()
                .map(|(r, _)| (NodeKind::Marker, rest.len() - r.len()))
        } else if c == '[' && *has_link.get_or_insert_with(|| segment.contains("](")) {
            Some((NodeKind::Marker, 1))
        } else {
            None
        };
        match matched {
            Some((kind, len)) if len > 0 => {
                flush(emit, &mut text_start, pos);
                emit(Node::leaf(kind, Span::new(pos, pos + len)));
                pos += len;
            }
            _ => {
                text_start.get_or_insert(pos);
                pos += c.len_utf8();
            }
        }
    }
    flush(emit, &mut text_start, end);
}

/// True when the byte at `i` starts no atom: any byte but an ASCII digit, space,
/// tab, `&`, `\`, `<`, `[` or `]`, or the first byte of a full-width digit
/// `０`…`９` (`EF BC 90`…`EF BC 99`), of U+00A0 (`C2 A0`) or of U+3000
/// (`E3 80 80`). UTF-8 continuation bytes are plain: a run of plain bytes ends on
/// a character boundary.
fn plain_at(bytes: &[u8], i: usize) -> bool {
    let at = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
    match at(0) {
        b'0'..=b'9' | b' ' | b'\t' | b'&' | b'\\' | b'<' | b'[' | b']' => false,
        0xC2 => at(1) != 0xA0,
        0xE3 => !(at(1) == 0x80 && at(2) == 0x80),
        0xEF => !(at(1) == 0xBC && (0x90..=0x99).contains(&at(2))),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(nodes: &[Node]) -> Vec<NodeKind> {
        nodes.iter().map(|n| n.kind).collect()
    }

    #[test]
    fn bold_title_and_numbers() {
        let t = "**2.推进减税。**共计减免13.74亿元";
        let nodes = line_nodes(t, 0..t.len());
        assert_eq!(
            kinds(&nodes),
            vec![
                NodeKind::Bold,
                NodeKind::Text,
                NodeKind::Number,
                NodeKind::Text
            ]
        );
        assert_eq!(&t[nodes[2].span.start..nodes[2].span.end], "13.74");
    }

    #[test]
    fn nested_titles_stay_inside_the_outermost() {
        let t = "《宁夏回族自治区实施〈中华人民共和国政府信息公开条例〉办法》以下";
        let nodes = text_leaves(t, 0..t.len());
        assert_eq!(kinds(&nodes), vec![NodeKind::BookTitle, NodeKind::Text]);
    }

    #[test]
    fn unclosed_title_opener_is_text_and_linear() {
        let t = "《".repeat(50_000);
        let nodes = text_leaves(&t, 0..t.len());
        assert_eq!(kinds(&nodes), vec![NodeKind::Text]);
    }

    #[test]
    fn escapes_links_and_autolinks() {
        let t = "[nx\\\\_zws@163.com](mailto:nx_zws@163.com) (<http://www.nxzw.gov.cn/>)";
        let nodes = text_leaves(t, 0..t.len());
        let escapes: Vec<&str> = nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Escape)
            .map(|n| &t[n.span.start..n.span.end])
            .collect();
        assert_eq!(escapes, vec!["\\\\"]);
        let markers: Vec<&str> = nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Marker)
            .map(|n| &t[n.span.start..n.span.end])
            .collect();
        assert_eq!(markers, vec!["[", "](mailto:nx_zws@163.com)", "<", ">"]);
    }
}
