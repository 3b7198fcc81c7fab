//! The grammar's productions, one nom parser each.
//!
//! Each parser recognises one small piece of a report at the start of its
//! input and says so in one line with a real example. They are `pub(crate)`:
//! the only public entry point of the crate is [`crate::parse`]. Drivers in
//! `parse.rs` and `inline.rs` call them position by position, so the whole
//! parse stays linear in the input size.

use nom::branch::alt;
use nom::bytes::complete::{tag, tag_no_case, take_while, take_while1, take_while_m_n};
use nom::character::complete::{char, satisfy};
use nom::combinator::{eof, opt, recognize, verify};
use nom::sequence::{delimited, preceded, terminated};
use nom::{IResult, Parser};

/// Spaces, tabs, no-break and ideographic spaces (not line breaks).
pub(crate) fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{a0}' | '\u{3000}')
}

/// ASCII or full-width decimal digit (`4`, `４`).
pub(crate) fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// A Chinese numeral of the kind outline numbers use (`一` … `十`, `百`, `〇`, `两`).
pub(crate) fn is_cn_numeral(c: char) -> bool {
    matches!(
        c,
        '〇' | '零'
            | '一'
            | '二'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '两'
    )
}

/// Line end: `\n` or `\r\n` (or a lone `\r`).
///
/// Example: the `\r\n` ending each line of a CRLF file.
pub(crate) fn line_end(i: &str) -> IResult<&str, &str> {
    alt((tag("\r\n"), tag("\n"), tag("\r"))).parse(i)
}

/// A blank line: only spaces (ASCII, no-break, ideographic) before the line end or the input end.
///
/// Example: ` \n` (line 16 of the 中卫 report holds a single space).
pub(crate) fn blank_line(i: &str) -> IResult<&str, &str> {
    recognize(terminated(take_while(is_space), alt((line_end, eof)))).parse(i)
}

/// The marker of an ATX heading: one to six `#` and a space (or the line end).
///
/// Example: `### ` in `### 一、概述`.
pub(crate) fn atx_marker(i: &str) -> IResult<&str, &str> {
    recognize(terminated(
        take_while_m_n(1, 6, |c| c == '#'),
        alt((
            take_while1(|c| c == ' ' || c == '\t'),
            nom::combinator::peek(alt((line_end, eof))),
        )),
    ))
    .parse(i)
}

/// A page-number line's content: `- 1 -`, `— 12 —`, `-3-`, `第 2 页`.
///
/// Example: `- 1 -` between two pages of the 淮安 report.
pub(crate) fn page_number(i: &str) -> IResult<&str, &str> {
    let dash = |i| alt((tag("-"), tag("—"), tag("–"), tag("－"))).parse(i);
    let spaces = |i| take_while(is_space).parse(i);
    let digits = |i| take_while_m_n(1, 4, is_digit).parse(i);
    recognize(delimited(
        spaces,
        alt((
            recognize((dash, spaces, digits, spaces, dash)),
            recognize((tag("第"), spaces, digits, spaces, tag("页"))),
        )),
        spaces,
    ))
    .parse(i)
}

/// The delimiter row of a pipe table: `|---|:--:|` (colons and spaces allowed).
///
/// Example: `|---|----|-------|` under `| 统计指标 | 单位 | 统计数 |`.
pub(crate) fn delimiter_row(i: &str) -> IResult<&str, &str> {
    verify(
        take_while1(|c: char| matches!(c, '|' | '-' | ':' | ' ' | '\t')),
        |s: &str| s.starts_with('|') && s.contains('-'),
    )
    .parse(i)
}

/// The opening of an HTML table block: `<table` followed by `>`, a space or an attribute.
///
/// Example: `<table>` before table 二 of the 淮安 report.
pub(crate) fn table_open(i: &str) -> IResult<&str, &str> {
    terminated(
        tag_no_case("<table"),
        nom::combinator::peek(satisfy(|c| c == '>' || c.is_whitespace() || c == '/')),
    )
    .parse(i)
}

/// The opening of an HTML comment: `<!--`.
///
/// Example: `<!-- source: https://… -->` on the first line of a converted fixture.
pub(crate) fn comment_open(i: &str) -> IResult<&str, &str> {
    tag("<!--").parse(i)
}

/// A number as written: ASCII or full-width digits with an optional decimal part.
///
/// Example: `103.51` in `估算总投资 103.51 亿元`; `４３`.
pub(crate) fn number(i: &str) -> IResult<&str, &str> {
    recognize((
        take_while1(is_digit),
        opt(preceded(
            alt((char('.'), char('．'))),
            take_while1(is_digit),
        )),
    ))
    .parse(i)
}

/// An HTML character reference: `&nbsp;`, `&#12288;`, `&#x3000;`.
///
/// Example: `&nbsp;` in `&nbsp;四、存在的主要问题`.
pub(crate) fn entity(i: &str) -> IResult<&str, &str> {
    recognize(delimited(
        char('&'),
        alt((
            recognize(preceded(
                alt((tag("#x"), tag("#X"))),
                take_while_m_n(1, 6, |c: char| c.is_ascii_hexdigit()),
            )),
            recognize(preceded(
                char('#'),
                take_while_m_n(1, 7, |c: char| c.is_ascii_digit()),
            )),
            take_while_m_n(2, 10, |c: char| c.is_ascii_alphanumeric()),
        )),
        char(';'),
    ))
    .parse(i)
}

/// A converter's backslash escape: backslashes before ASCII punctuation.
///
/// Example: `\\` in `nx\\_zws@163.com`.
pub(crate) fn escape(i: &str) -> IResult<&str, &str> {
    terminated(
        take_while1(|c| c == '\\'),
        nom::combinator::peek(satisfy(|c| c.is_ascii_punctuation() && c != '\\')),
    )
    .parse(i)
}

/// An inline HTML tag the converters leave in text: `<br>`, `<br/>`, `</span>`.
///
/// Example: `<br>` in `商业<br>企业`.
pub(crate) fn inline_tag(i: &str) -> IResult<&str, &str> {
    recognize((
        char('<'),
        opt(char('/')),
        take_while1(|c: char| c.is_ascii_alphabetic()),
        take_while(|c: char| c != '<' && c != '>' && c != '\n'),
        char('>'),
    ))
    .parse(i)
}

/// An HTML comment closed on the same line: `<!-- nianbao: ignore NB401 -->` after a sentence.
///
/// Example: `<!-- nianbao: ignore NB504 -->` at the end of a paragraph line.
pub(crate) fn inline_comment(i: &str) -> IResult<&str, &str> {
    recognize((
        tag("<!--"),
        nom::bytes::complete::take_until("-->"),
        tag("-->"),
    ))
    .parse(i)
    .and_then(|(rest, c): (&str, &str)| {
        if c.contains('\n') {
            Err(nom::Err::Error(nom::error::Error::new(
                i,
                nom::error::ErrorKind::Verify,
            )))
        } else {
            Ok((rest, c))
        }
    })
}

/// A Markdown autolink: `<http://…>` or `<mailto:…>`.
///
/// Example: `<http://www.nxzw.gov.cn/>`.
pub(crate) fn autolink(i: &str) -> IResult<&str, &str> {
    recognize(delimited(
        char('<'),
        preceded(
            alt((
                tag_no_case("http://"),
                tag_no_case("https://"),
                tag_no_case("mailto:"),
            )),
            take_while(|c: char| !c.is_whitespace() && c != '<' && c != '>'),
        ),
        char('>'),
    ))
    .parse(i)
}

/// The destination part of a Markdown link, right after its text: `(mailto:…)`.
///
/// Example: `(mailto:nx_zws@163.com)` in `[nx\\_zws@163.com](mailto:nx_zws@163.com)`.
pub(crate) fn link_destination(i: &str) -> IResult<&str, &str> {
    recognize(delimited(
        tag("]("),
        take_while(|c: char| !c.is_whitespace() && c != ')' && c != '('),
        char(')'),
    ))
    .parse(i)
}

/// The marker of a level-1 section: Chinese numeral and `、`.
///
/// Example: `一、` in `一、概述`; `十一、`.
pub(crate) fn level1_marker(i: &str) -> IResult<&str, &str> {
    recognize(terminated(
        take_while_m_n(1, 3, is_cn_numeral),
        alt((char('、'), char('，'))),
    ))
    .parse(i)
}

/// The marker of a level-2 section: a Chinese numeral in brackets of either width.
///
/// Example: `（一）` in `（一）加强组织领导和机构队伍建设。`; `(二)`.
pub(crate) fn level2_marker(i: &str) -> IResult<&str, &str> {
    recognize((
        alt((char('（'), char('('))),
        take_while(is_space),
        take_while_m_n(1, 3, is_cn_numeral),
        take_while(is_space),
        alt((char('）'), char(')'))),
    ))
    .parse(i)
}

/// The marker of a level-3 section: digits and `.` `．` or `、`, not a decimal number.
///
/// Example: `1.` in `1.加强预期引导公开。`; `2、`; `３．`.
pub(crate) fn level3_marker(i: &str) -> IResult<&str, &str> {
    recognize(terminated(
        take_while_m_n(1, 2, is_digit),
        terminated(
            alt((char('.'), char('．'), char('、'))),
            nom::combinator::not(satisfy(is_digit)),
        ),
    ))
    .parse(i)
}

/// The marker of a level-4 section: digits in brackets of either width, or a circled number.
///
/// Example: `（1）` in `（1）政府工作公开透明。`; `①`.
pub(crate) fn level4_marker(i: &str) -> IResult<&str, &str> {
    alt((
        recognize((
            alt((char('（'), char('('))),
            take_while(is_space),
            take_while_m_n(1, 2, is_digit),
            take_while(is_space),
            alt((char('）'), char(')'))),
        )),
        recognize(satisfy(|c| ('①'..='⑳').contains(&c))),
    ))
    .parse(i)
}

/// The marker of a point: a Chinese numeral and `是`.
///
/// Example: `一是` in `一是继续深入宣传国家、自治区各项减税降费政策`.
pub(crate) fn point_marker(i: &str) -> IResult<&str, &str> {
    recognize(terminated(take_while_m_n(1, 3, is_cn_numeral), char('是'))).parse(i)
}

/// The value of a Chinese numeral up to 99 (`三` → 3, `十一` → 11, `二十` → 20).
pub(crate) fn cn_numeral_value(s: &str) -> Option<u32> {
    let digit = |c: char| -> Option<u32> {
        Some(match c {
            '〇' | '零' => 0,
            '一' => 1,
            '二' | '两' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        })
    };
    // At most three characters, read into place (no list per numeral).
    let mut buf = ['\0'; 3];
    let mut len = 0;
    for c in s.chars() {
        *buf.get_mut(len)? = c;
        len += 1;
    }
    match &buf[..len] {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', d] => Some(10 + digit(*d)?),
        [d, '十'] => Some(digit(*d)? * 10),
        [d, '十', e] => Some(digit(*d)? * 10 + digit(*e)?),
        _ => None,
    }
}

/// The value of ASCII or full-width digits.
pub(crate) fn digits_value(s: &str) -> Option<u32> {
    let mut v: u32 = 0;
    for c in s.chars() {
        let d = if c.is_ascii_digit() {
            c as u32 - '0' as u32
        } else if ('０'..='９').contains(&c) {
            c as u32 - '０' as u32
        } else if ('①'..='⑳').contains(&c) {
            return Some(c as u32 - '①' as u32 + 1);
        } else {
            continue;
        };
        v = v.checked_mul(10)?.checked_add(d)?;
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn productions_recognise_their_examples() {
        assert_eq!(page_number("- 1 -").map(|r| r.1), Ok("- 1 -"));
        assert!(page_number("- 1 -x").is_ok_and(|(rest, _)| rest == "x"));
        assert!(page_number("-1 个").is_err());
        assert_eq!(atx_marker("### 一、概述").map(|r| r.1), Ok("### "));
        assert!(atx_marker("#hashtag").is_err());
        assert_eq!(number("103.51 亿元").map(|r| r.1), Ok("103.51"));
        assert_eq!(number("４３件").map(|r| r.1), Ok("４３"));
        assert_eq!(entity("&nbsp;四、").map(|r| r.1), Ok("&nbsp;"));
        assert_eq!(escape("\\\\_zws").map(|r| r.1), Ok("\\\\"));
        assert_eq!(level1_marker("十一、其他").map(|r| r.1), Ok("十一、"));
        assert_eq!(level2_marker("(一)加强").map(|r| r.1), Ok("(一)"));
        assert_eq!(level2_marker("（ 三 ）").map(|r| r.1), Ok("（ 三 ）"));
        assert_eq!(level3_marker("1．加强").map(|r| r.1), Ok("1．"));
        assert!(level3_marker("1.5亿元").is_err());
        assert_eq!(level4_marker("（1）政府").map(|r| r.1), Ok("（1）"));
        assert_eq!(point_marker("一是继续").map(|r| r.1), Ok("一是"));
        assert_eq!(delimiter_row("|---|:--:|").map(|r| r.1), Ok("|---|:--:|"));
        assert_eq!(
            autolink("<http://www.nxzw.gov.cn/>").map(|r| r.1),
            Ok("<http://www.nxzw.gov.cn/>")
        );
        assert_eq!(cn_numeral_value("十一"), Some(11));
        assert_eq!(cn_numeral_value("二十"), Some(20));
        assert_eq!(digits_value("１２"), Some(12));
    }
}
