//! The metadata header a site's archive or CMS export writes before a report's text:
//!
//! ```text
//! 标题: 平潭县海洋与渔业局2011年工作公开年度报告
//! 发布时间: 2011-12-21 00:00
//! 文号:
//! 发布机构: 平潭县海洋与渔业局
//! 栏目: 政府信息公开年报
//! 页面链接与图片详见 links.tsv(同目录)
//! ==================== 正文 ====================
//! ```
//!
//! It is front matter, not report text: its lines are read as `key: value` fields
//! (the title, publication date and publisher as the site gives them) and kept out
//! of the paragraphs the rules read.

use crate::span::Span;
use crate::tree::{Node, NodeKind};

/// Keys a metadata header is recognised by (two of them, each on its own line at the
/// start of the file, make a header).
const KNOWN_KEYS: [&str; 22] = [
    "标题",
    "题目",
    "名称",
    "发布时间",
    "发布日期",
    "成文日期",
    "发文日期",
    "生成日期",
    "文号",
    "发文字号",
    "发布机构",
    "发文机关",
    "发布单位",
    "来源",
    "信息来源",
    "栏目",
    "索引号",
    "主题分类",
    "原文链接",
    "链接",
    "网址",
    "本地目录",
];

/// How many lines at the start of a file are looked at for a header.
const MAX_LINES: usize = 40;

/// Lines after the last field that may precede the separator (`页面链接与图片详见…`).
const MAX_TRAILING: usize = 3;

/// One `key: value` line of the header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetaField {
    /// The key as written (`发布时间`).
    pub key: String,
    /// The value, trimmed (may be empty).
    pub value: String,
    /// Where the value is (the key's end when the value is empty).
    pub span: Span,
}

/// The header: its fields and where it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Metadata {
    /// From the first byte of the file to the end of the header's last line.
    pub span: Span,
    /// The fields in order.
    pub fields: Vec<MetaField>,
}

impl Metadata {
    /// The first field of one of `keys` with a value.
    pub fn get(&self, keys: &[&str]) -> Option<&MetaField> {
        self.fields
            .iter()
            .find(|f| !f.value.is_empty() && keys.contains(&f.key.as_str()))
    }
}

/// A field's key end, value start and value end, within its line.
type Parts = (usize, usize, usize);

/// A line of the text: `start..content_end` without its line break, `end` after it.
#[derive(Clone, Copy)]
struct Line {
    start: usize,
    content_end: usize,
    end: usize,
}

fn lines(text: &str) -> impl Iterator<Item = Line> + '_ {
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        let body = text[pos..end].trim_end_matches(['\n', '\r']);
        let line = Line {
            start: pos,
            content_end: pos + body.len(),
            end,
        };
        pos = end;
        Some(line)
    })
}

/// `key: value` (or `key：value`): a key of one to twelve letters, without spaces.
/// Returns the key's end, the value's start and the value's end.
fn field(line: &str) -> Option<Parts> {
    let colon = line.find([':', '：'])?;
    let key = &line[..colon];
    let count = key.chars().count();
    if count == 0 || count > 12 || !key.chars().all(|c| c.is_alphabetic()) {
        return None;
    }
    let after = colon + line[colon..].chars().next().map_or(1, char::len_utf8);
    let value = line[after..].trim_matches(|c: char| c.is_whitespace());
    let start = if value.is_empty() {
        after
    } else {
        after + line[after..].find(value).unwrap_or(0)
    };
    Some((colon, start, start + value.len()))
}

/// A separator line: runs of `=` `-` `*` `_` (at least three), with perhaps a word
/// between them (`==== 正文 ====`).
fn separator(line: &str) -> bool {
    let line = line.trim();
    let marks = line.chars().filter(|c| "=-*_".contains(*c)).count();
    let first = line.chars().next();
    let last = line.chars().last();
    marks >= 3
        && first.is_some_and(|c| "=-*_".contains(c))
        && last.is_some_and(|c| "=-*_".contains(c))
        && line.chars().count() <= 80
}

/// The header at the start of `text` (decoded, without a byte-order mark), with its
/// node for the tree; `None` when the text does not start with one.
pub(crate) fn header(text: &str) -> Option<(Metadata, Node)> {
    let mut fields = Vec::new();
    // Lines of the header, each either a field or not.
    let mut taken: Vec<(Line, Option<Parts>)> = Vec::new();
    let mut trailing = 0;
    let mut end = None;
    for line in lines(text).take(MAX_LINES) {
        let body = &text[line.start..line.content_end];
        if !fields.is_empty() && separator(body) {
            taken.push((line, None));
            end = Some(taken.len());
            break;
        }
        match field(body) {
            Some(parts) if trailing == 0 => {
                fields.push((line, parts));
                taken.push((line, Some(parts)));
            }
            _ if fields.is_empty() || body.trim().is_empty() => break,
            _ => {
                trailing += 1;
                if trailing > MAX_TRAILING {
                    break;
                }
                taken.push((line, None));
            }
        }
    }
    let known = fields
        .iter()
        .filter(|(line, (key, _, _))| KNOWN_KEYS.contains(&&text[line.start..line.start + key]))
        .count();
    if known < 2 {
        return None;
    }
    // Without a separator the header ends with its last field.
    let taken = &taken[..end.unwrap_or(fields.len())];
    let last = taken.last()?.0;
    let mut children = Vec::new();
    let mut metadata = Metadata {
        span: Span::new(0, last.end),
        fields: Vec::new(),
    };
    for &(line, parts) in taken {
        match parts {
            Some((key_end, value_start, value_end)) => {
                let key = Span::new(line.start, line.start + key_end);
                let value = Span::new(line.start + value_start, line.start + value_end);
                let mut leaves = vec![
                    Node::leaf(NodeKind::Text, key),
                    Node::leaf(NodeKind::Marker, Span::new(key.end, line.content_end)),
                ];
                // Marker over the colon and the spaces, then the value.
                if !value.is_empty() {
                    leaves[1] = Node::leaf(NodeKind::Marker, Span::new(key.end, value.start));
                    leaves.push(Node::leaf(NodeKind::Text, value));
                    if value.end < line.content_end {
                        leaves.push(Node::leaf(
                            NodeKind::Whitespace,
                            Span::new(value.end, line.content_end),
                        ));
                    }
                }
                children.push(Node::container(NodeKind::MetadataField, leaves));
                metadata.fields.push(MetaField {
                    key: text[key.start..key.end].to_string(),
                    value: text[value.start..value.end].to_string(),
                    span: if value.is_empty() {
                        Span::new(key.end, key.end)
                    } else {
                        value
                    },
                });
            }
            None if separator(&text[line.start..line.content_end]) => children.push(Node::leaf(
                NodeKind::Marker,
                Span::new(line.start, line.content_end),
            )),
            None if line.content_end > line.start => children.push(Node::leaf(
                NodeKind::Text,
                Span::new(line.start, line.content_end),
            )),
            None => {}
        }
        if line.end > line.content_end {
            children.push(Node::leaf(
                NodeKind::Newline,
                Span::new(line.content_end, line.end),
            ));
        }
    }
    Some((metadata, Node::container(NodeKind::Metadata, children)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARCHIVE: &str = "标题: 某局2011年度政府信息公开年度报告\n发布时间: 2012-05-11 00:00\n\
        文号: \n发布机构: 某局\n栏目: 政府信息公开年报\n页面链接与图片详见 links.tsv(同目录)\n\
        ==================== 正文 ====================\n一、概述 正文。\n";

    #[test]
    fn an_archive_header_is_read_to_its_separator() {
        let (m, node) = header(ARCHIVE).expect("a header");
        let body = ARCHIVE.find("一、概述").expect("the body");
        assert_eq!(m.span, Span::new(0, body));
        let got: Vec<(&str, &str)> = m
            .fields
            .iter()
            .map(|f| (f.key.as_str(), f.value.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("标题", "某局2011年度政府信息公开年度报告"),
                ("发布时间", "2012-05-11 00:00"),
                ("文号", ""),
                ("发布机构", "某局"),
                ("栏目", "政府信息公开年报"),
            ]
        );
        assert_eq!(m.get(&["文号"]), None);
        let date = m.get(&["发布时间"]).expect("a date");
        assert_eq!(&ARCHIVE[date.span.start..date.span.end], "2012-05-11 00:00");
        // Lossless: the node's leaves cover the header byte for byte.
        let mut covered = String::new();
        fn walk(n: &Node, text: &str, out: &mut String) {
            if n.children.is_empty() {
                out.push_str(&text[n.span.start..n.span.end]);
            }
            n.children.iter().for_each(|c| walk(c, text, out));
        }
        walk(&node, ARCHIVE, &mut covered);
        assert_eq!(covered, &ARCHIVE[..body]);
    }

    #[test]
    fn without_a_separator_it_ends_with_its_last_field() {
        let text =
            "标题：某市2024年政府信息公开工作年度报告\n发布日期：2025-01-20\n\n一、总体情况\n";
        let (m, _) = header(text).expect("a header");
        assert_eq!(m.span.end, text.find("\n\n").expect("a blank line") + 1);
        assert_eq!(m.fields.len(), 2);
    }

    #[test]
    fn report_text_is_not_a_header() {
        for text in [
            "某市2024年政府信息公开工作年度报告\n\n一、总体情况\n",
            "标题: 只有一个字段\n正文第一段。\n",
            "说明：本报告由某局编制。\n联系电话：0591-1234567\n",
            "一、总体情况：今年…\n二、主动公开：…\n",
            "",
        ] {
            assert!(header(text).is_none(), "{text}");
        }
    }
}
