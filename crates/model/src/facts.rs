//! Facts in the narrative: quantities, dates, 文号, 索引号, titles, breakdowns and
//! rates, each with its span and the sentence it came from. Read from the
//! grammar's logical paragraphs (page breaks already joined), never from raw text.

use std::ops::Range;

use rust_decimal::Decimal;
use serde::Serialize;

use nianbao_grammar::{Block, Para, Span};

use crate::frontmatter::{find_dates, Date};
use crate::quantity::{Approx, Quantity};

/// Where a fact sits: the paragraph (index into the logical blocks) and its byte range in the text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Place {
    /// Index of the paragraph in the logical blocks.
    pub block: usize,
    /// Byte range in the paragraph's logical text.
    pub range: Range<usize>,
    /// The original span.
    pub span: Span,
    /// The sentence it came from (to the nearest `。` `！` `？` `；` on either side), as an original span.
    pub sentence: Span,
}

/// The byte range of the sentence around `range` in `text`.
fn sentence_of(text: &str, range: &Range<usize>) -> Range<usize> {
    const ENDS: [char; 4] = ['。', '！', '？', '；'];
    let start = text[..range.start]
        .rfind(ENDS)
        .map_or(0, |i| i + '。'.len_utf8());
    let end = text[range.end..]
        .find(ENDS)
        .map_or(text.len(), |i| range.end + i + '。'.len_utf8());
    start..end
}

/// A number with its unit in the narrative (`43 件`, `13.74亿元`, `450 余条`, `两次`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QuantityFact {
    /// The quantity (its unit is always set).
    pub quantity: Quantity,
    /// Where.
    pub place: Place,
    /// Written in Chinese numerals (`两次`).
    pub in_words: bool,
}

/// A date in the narrative.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DateFact {
    /// The date.
    pub date: Date,
    /// Where.
    pub place: Place,
}

/// A document number (文号): `宁政办发〔2017〕74号`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocNumber {
    /// Issuer code (`宁政办发`).
    pub issuer: String,
    /// Year in the brackets.
    pub year: i32,
    /// Serial number.
    pub serial: u32,
    /// The brackets as written (`〔〕`, `[]`, `【】`, `()`…).
    pub brackets: String,
    /// Where.
    pub place: Place,
}

impl DocNumber {
    /// True when the brackets are the `〔〕` GB/T 9704 requires.
    pub fn has_standard_brackets(&self) -> bool {
        self.brackets == "〔〕"
    }
}

/// A title in `《》` (nested `〈〉` kept).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TitleFact {
    /// The title without the outer brackets.
    pub title: String,
    /// Where (including the brackets).
    pub place: Place,
}

/// An index number (索引号): `WS01012/2018-01812`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IndexNumber {
    /// As written.
    pub value: String,
    /// Where.
    pub place: Place,
}

/// A total with its parts: `共…959 项权力事项，其中新增 215 项、取消 97 项…`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Breakdown {
    /// Index of the total in [`Facts::quantities`].
    pub total: usize,
    /// Indices of the parts.
    pub parts: Vec<usize>,
    /// The list ends with `等` (not exhaustive).
    pub open_ended: bool,
}

/// A rate with its counts: `19件建议已办结18件…办结率94.7%`, `1592条，占76.9%`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rate {
    /// Index of the percentage in [`Facts::quantities`].
    pub rate: usize,
    /// Index of the numerator.
    pub part: usize,
    /// Index of the denominator.
    pub whole: usize,
}

/// Every fact of the narrative.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Facts {
    /// Quantities with units.
    pub quantities: Vec<QuantityFact>,
    /// Dates.
    pub dates: Vec<DateFact>,
    /// 文号.
    pub doc_numbers: Vec<DocNumber>,
    /// 索引号.
    pub index_numbers: Vec<IndexNumber>,
    /// Titles in 《》.
    pub titles: Vec<TitleFact>,
    /// Breakdowns.
    pub breakdowns: Vec<Breakdown>,
    /// Rates.
    pub rates: Vec<Rate>,
    /// Figures with a unit but too many digits to be checked (NB506); never quantities.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub oversized: Vec<OversizedNumber>,
}

/// A figure with a unit and too many digits to be checked: `共79228162514264337593543950335件`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OversizedNumber {
    /// The digits as written.
    pub digits: String,
    /// How many digits it has.
    pub why: crate::quantity::Oversized,
    /// Where the figure and its unit are.
    pub place: Place,
}

/// Units of counts and amounts, longest first so `人次` wins over `人`.
pub const UNITS: [&str; 31] = [
    "人次", "批次", "万元", "亿元", "万条", "万件", "件", "条", "次", "篇", "人", "个", "家", "户",
    "项", "期", "份", "起", "元", "%", "％", "场", "笔", "名", "册", "所", "类", "部", "本", "批",
    "个次",
];

/// Count units a number in words may carry (`两次`, `十余家`).
const WORD_UNITS: [&str; 14] = [
    "次", "件", "家", "个", "项", "场", "期", "批", "份", "名", "条", "篇", "人", "户",
];

fn place(para: &Para, block: usize, range: Range<usize>) -> Place {
    let sentence = para.span_of(sentence_of(&para.text, &range));
    Place {
        block,
        span: para.span_of(range.clone()),
        range,
        sentence,
    }
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn fold_digit(c: char) -> char {
    if ('０'..='９').contains(&c) {
        char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c)
    } else {
        c
    }
}

/// Extracts every fact of the logical document.
pub fn extract(blocks: &[Block]) -> Facts {
    let mut facts = Facts::default();
    for (block, b) in blocks.iter().enumerate() {
        let Block::Para(para) = b else { continue };
        quantities(para, block, &mut facts);
        for d in find_dates(&para.text) {
            facts.dates.push(DateFact {
                date: d.date,
                place: place(para, block, d.range),
            });
        }
        doc_numbers(para, block, &mut facts);
        index_numbers(para, block, &mut facts);
        titles(para, block, &mut facts);
    }
    breakdowns(blocks, &mut facts);
    rates(blocks, &mut facts);
    facts
}

/// The text just after `at`, skipping spaces.
fn skip_spaces(text: &str, at: usize) -> usize {
    at + text[at..].len()
        - text[at..]
            .trim_start_matches([' ', '\u{3000}', '\u{a0}'])
            .len()
}

fn unit_at(text: &str, at: usize) -> Option<&'static str> {
    UNITS.iter().find(|u| text[at..].starts_with(**u)).copied()
}

fn quantities(para: &Para, block: usize, facts: &mut Facts) {
    let text = &para.text;
    let mut i = 0;
    while i < text.len() {
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        if is_digit(c) {
            let prev = text[..i].chars().last();
            let glued = prev.is_some_and(|p| {
                p.is_ascii_alphanumeric() || matches!(p, '.' | '/' | '-' | '_' | '〔' | '[')
            });
            let (end, value) = read_number(text, i);
            if glued {
                i = end;
                continue;
            }
            let value = match value {
                Ok(value) => value,
                Err(why) => {
                    // Too many digits: named when a unit makes it a figure (a long
                    // identifier or account number is no quantity and stays silent).
                    if let Some((_, unit_end)) =
                        quantity_after(para, text, i, end, Some(Decimal::ZERO))
                    {
                        facts.oversized.push(OversizedNumber {
                            digits: text[i..end].to_string(),
                            why,
                            place: place(para, block, i..unit_end),
                        });
                    }
                    i = end;
                    continue;
                }
            };
            if let Some(q) = quantity_after(para, text, i, end, value) {
                let range = i..q.1;
                let mut quantity = q.0;
                quantity.span = para.span_of(range.clone());
                facts.quantities.push(QuantityFact {
                    quantity,
                    place: place(para, block, range),
                    in_words: false,
                });
                i = q.1;
            } else {
                i = end;
            }
            continue;
        }
        if let Some((value, end)) = words_number(text, i) {
            let at = skip_spaces(text, end);
            let (approx, at) = match text[at..].chars().next() {
                Some('余' | '多') => (Approx::AtLeast, at + 3),
                _ => (Approx::Exact, at),
            };
            if let Some(unit) = WORD_UNITS.iter().find(|u| text[at..].starts_with(**u)) {
                let range = i..at + unit.len();
                let quantity = Quantity {
                    value: Decimal::from(value),
                    scale: 0,
                    approx,
                    unit: Some((*unit).to_string()),
                    span: para.span_of(range.clone()),
                };
                facts.quantities.push(QuantityFact {
                    quantity,
                    place: place(para, block, range.clone()),
                    in_words: true,
                });
                i = range.end;
                continue;
            }
        }
        i += c.len_utf8();
    }
}

/// Reads digits with thousands separators and a decimal part: (end, value);
/// a figure with too many digits to check is an error naming them.
fn read_number(
    text: &str,
    start: usize,
) -> (usize, Result<Option<Decimal>, crate::quantity::Oversized>) {
    let mut s = String::new();
    let mut end = start;
    for (k, c) in text[start..].char_indices() {
        let at = start + k;
        if is_digit(c) {
            s.push(fold_digit(c));
        } else if c == ',' && thousands_group_follows(&text[at + 1..]) {
            // a thousands separator: exactly three digits follow
        } else if (c == '.' || c == '．')
            && text[at + c.len_utf8()..]
                .chars()
                .next()
                .is_some_and(is_digit)
            && !s.contains('.')
        {
            s.push('.');
        } else {
            end = at;
            break;
        }
        end = at + c.len_utf8();
    }
    (end, crate::quantity::read_decimal(&s))
}

/// A thousands separator is followed by exactly three digits (`1,234`; `1,23` is not one).
fn thousands_group_follows(rest: &str) -> bool {
    let mut digits = rest.chars().take_while(|c| is_digit(*c));
    digits.by_ref().take(3).count() == 3 && digits.next().is_none()
}

/// The unit and approximation after a number; `None` when no unit follows (a
/// year, a hotline `12345`, `5G`, a date part, a 文号 serial).
fn quantity_after(
    para: &Para,
    text: &str,
    start: usize,
    end: usize,
    value: Option<Decimal>,
) -> Option<(Quantity, usize)> {
    let value = value?;
    let mut at = skip_spaces(text, end);
    let mut approx = Approx::Exact;
    if text[at..].starts_with('余') || text[at..].starts_with('多') {
        approx = Approx::AtLeast;
        at = skip_spaces(text, at + 3);
    }
    let unit = unit_at(text, at)?;
    // `2017年`, `5月`, `1号` are not quantities; neither is a unit that starts a word (`1类` ok, `12个月` is a duration but fine).
    let before = text[..start].trim_end_matches([' ', '\u{3000}']);
    if before.ends_with('约') || before.ends_with('近') {
        approx = Approx::About;
    } else if before.ends_with("超过") || before.ends_with('逾') {
        approx = Approx::AtLeast;
    }
    let unit_end = at + unit.len();
    let scale = value.scale();
    let q = Quantity {
        value,
        scale,
        approx,
        unit: Some(unit.to_string()),
        span: para.span_of(start..unit_end),
    };
    Some((q, unit_end))
}

/// A count written in Chinese numerals (`两`, `十余`): value and end. Not after
/// `第` (ordinal) or inside a word (`统一`, `进一步`).
fn words_number(text: &str, i: usize) -> Option<(u32, usize)> {
    let c = text[i..].chars().next()?;
    if !matches!(
        c,
        '一' | '二' | '两' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    ) {
        return None;
    }
    let prev = text[..i].chars().last();
    let boundary =
        prev.is_none_or(|p| !is_cjk(p) || "共了有开办织布计达为过约近发展行".contains(p));
    if !boundary || prev == Some('第') {
        return None;
    }
    let len = text[i..]
        .chars()
        .take_while(|c| "一二两三四五六七八九十".contains(*c))
        .map(char::len_utf8)
        .sum::<usize>();
    let digits = &text[i..i + len];
    let value = cn_value(digits)?;
    Some((value, i + len))
}

fn cn_value(s: &str) -> Option<u32> {
    let d = |c: char| {
        "〇一二三四五六七八九"
            .find(c)
            .map(|i| (i / 3) as u32)
            .or(if c == '两' { Some(2) } else { None })
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [a] => d(*a),
        ['十', b] => Some(10 + d(*b)?),
        [a, '十'] => Some(d(*a)? * 10),
        [a, '十', b] => Some(d(*a)? * 10 + d(*b)?),
        _ => None,
    }
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

const OPENERS: [(char, char); 6] = [
    ('〔', '〕'),
    ('[', ']'),
    ('【', '】'),
    ('(', ')'),
    ('（', '）'),
    ('﹝', '﹞'),
];

/// 文号: issuer code, a bracketed year, a serial and `号`, with whatever brackets were used.
fn doc_numbers(para: &Para, block: usize, facts: &mut Facts) {
    let text = &para.text;
    for (i, c) in text.char_indices() {
        let Some(&(open, close)) = OPENERS.iter().find(|(o, _)| *o == c) else {
            continue;
        };
        let after_open = i + open.len_utf8();
        let year: String = text[after_open..].chars().take(4).collect();
        if year.len() != 4 || !year.chars().all(|d| d.is_ascii_digit()) {
            continue;
        }
        let after_year = after_open + 4;
        if !text[after_year..].starts_with(close) {
            continue;
        }
        let serial_start = skip_spaces(text, after_year + close.len_utf8());
        let serial_len = text[serial_start..]
            .chars()
            .take_while(char::is_ascii_digit)
            .count();
        if serial_len == 0 {
            continue;
        }
        let hao = skip_spaces(text, serial_start + serial_len);
        if !text[hao..].starts_with('号') {
            continue;
        }
        // The issuer code: Chinese characters right before the bracket (`宁政办发`).
        let code: String = text[..i]
            .chars()
            .rev()
            .take_while(|c| is_cjk(*c))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let code: String = code
            .chars()
            .rev()
            .take(8)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if code.chars().count() < 2 {
            continue;
        }
        let start = i - code.len();
        let range = start..hao + '号'.len_utf8();
        facts.doc_numbers.push(DocNumber {
            issuer: code,
            year: year.parse().unwrap_or_default(),
            serial: text[serial_start..serial_start + serial_len]
                .parse()
                .unwrap_or_default(),
            brackets: format!("{open}{close}"),
            place: place(para, block, range),
        });
    }
}

/// 索引号: `WS01012/2018-01812`, `640501001/2017-49811`.
fn index_numbers(para: &Para, block: usize, facts: &mut Facts) {
    let text = &para.text;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'/' && i >= 3 {
            // The identifier starts after the last character that is not ASCII
            // alphanumeric (which may be several bytes long: `站1/2018-12`).
            let start = text[..i]
                .char_indices()
                .rev()
                .find(|&(_, c)| !c.is_ascii_alphanumeric())
                .map_or(0, |(p, c)| p + c.len_utf8());
            let tail = &text[i + 1..];
            let ok = tail.len() > 6
                && tail.as_bytes()[..4].iter().all(u8::is_ascii_digit)
                && tail.as_bytes()[4] == b'-';
            if ok && i - start >= 3 {
                let end = i + 6 + tail[5..].chars().take_while(char::is_ascii_digit).count();
                let range = start..end;
                facts.index_numbers.push(IndexNumber {
                    value: text[range.clone()].to_string(),
                    place: place(para, block, range),
                });
                i = end;
                continue;
            }
        }
        i += 1;
    }
}

/// Titles in 《》, outermost pairs (nested 《》 and 〈〉 stay inside).
fn titles(para: &Para, block: usize, facts: &mut Facts) {
    let text = &para.text;
    let mut stack = Vec::new();
    for (i, c) in text.char_indices() {
        match c {
            '《' => stack.push(i),
            '》' => {
                if let Some(open) = stack.pop() {
                    if stack.is_empty() {
                        let range = open..i + '》'.len_utf8();
                        facts.titles.push(TitleFact {
                            title: text[open + 3..i].to_string(),
                            place: place(para, block, range),
                        });
                    }
                }
            }
            _ => {}
        }
    }
}

/// Breakdowns: a total followed, in the same sentence or the next one opening with
/// `其中`, by `其中`/`包括`/`分别为` and a list of parts in the same unit.
/// Indices of the quantities of `block` that start within `from..to` (quantities are
/// in block order, then in text order: two binary searches, never a scan).
fn within(q: &[QuantityFact], block: usize, from: usize, to: usize) -> Range<usize> {
    let b0 = q.partition_point(|x| x.place.block < block);
    let b1 = q.partition_point(|x| x.place.block <= block);
    let s = b0 + q[b0..b1].partition_point(|x| x.place.range.start < from);
    let e = b0 + q[b0..b1].partition_point(|x| x.place.range.start < to);
    s..e.max(s)
}

/// A bounded look back: clause and sentence boundaries are searched in the last few
/// hundred bytes before a figure, so a huge paragraph without a stop stays linear.
fn look_back(text: &str, at: usize) -> usize {
    let mut from = at.saturating_sub(600);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    from
}

fn breakdowns(blocks: &[Block], facts: &mut Facts) {
    let q = &facts.quantities;
    // Which quantities open a list (a total followed by `其中`…), and where the list starts.
    // A list needs two or more parts in the total's unit (`4 件，主要涉及气象、教育…` opens none).
    let opens: Vec<Option<usize>> = q
        .iter()
        .map(|total| {
            let Some(Block::Para(para)) = blocks.get(total.place.block) else {
                return None;
            };
            let start = list_start(&para.text, total.place.range.end)?;
            let end = list_end(&para.text, start, total.quantity.unit.as_deref());
            let count = within(q, total.place.block, start, end)
                .filter(|&i| {
                    q[i].place.range.end <= end && q[i].quantity.unit == total.quantity.unit
                })
                .count();
            (count >= 2).then_some(start)
        })
        .collect();
    let mut out = Vec::new();
    for (ti, total) in q.iter().enumerate() {
        let (Some(list_start), Some(Block::Para(para))) =
            (opens[ti], blocks.get(total.place.block))
        else {
            continue;
        };
        let text = &para.text;
        let unit = total.quantity.unit.as_deref();
        if matches!(unit, Some("%" | "％")) {
            continue;
        }
        let sentence_end = list_end(text, list_start, unit);
        let mut parts: Vec<usize> = Vec::new();
        for i in within(q, total.place.block, list_start, sentence_end) {
            let x = &q[i];
            if x.place.range.end > sentence_end {
                continue;
            }
            if x.quantity.unit.as_deref() != unit {
                continue;
            }
            // A part that opens its own list ends this one (`；行政诉讼 46 件，其中…`).
            if opens[i].is_some() {
                break;
            }
            // Parts are parallel: in a list of shares (`42件，占51.85%；…`) an item without
            // a share is the next sentence's business (`；…行政复议案件2件`).
            let share = has_share(text, x.place.range.end);
            if let Some(&first) = parts.first() {
                if has_share(text, q[first].place.range.end) && !share {
                    break;
                }
            }
            parts.push(i);
        }
        if parts.len() < 2 {
            continue;
        }
        let list_text = &text[list_start..sentence_end];
        let open_ended = list_text.trim_end().ends_with('等') || list_text.contains("等方面");
        out.push(Breakdown {
            total: ti,
            parts,
            open_ended,
        });
    }
    facts.breakdowns = out;
}

/// The count is followed by its share (`42件，占51.85%`).
fn has_share(text: &str, after: usize) -> bool {
    text[after..]
        .trim_start_matches(['，', ',', ' '])
        .starts_with('占')
}

/// Where the list of parts after a total starts: after `其中` `包括` `分别为` `涉及`
/// close behind the total, with only the total's noun between (`959 项权力事项，其中`),
/// or a sentence end right before `其中` (`13.74亿元。其中，…`).
fn list_start(text: &str, after: usize) -> Option<usize> {
    let window_end = floor_boundary(text, (after + 24).min(text.len()));
    let window = &text[after..window_end];
    let (p, m) = ["其中", "包括", "分别为", "分别是", "涉及"]
        .iter()
        .filter_map(|m| window.find(m).map(|p| (p, *m)))
        .min()?;
    let between = &window[..p];
    if between
        .chars()
        .any(|c| is_digit(c) || matches!(c, '；' | ';'))
    {
        return None;
    }
    if let Some(stop) = between.find('。') {
        // Only `…。其中` with nothing but the total's noun before the stop.
        let rest = between[stop..].trim_start_matches(['。', '，', ',', ' ']);
        if m != "其中" || !rest.is_empty() {
            return None;
        }
    }
    Some(after + p + m.len())
}

/// Where a list of parts ends: at the sentence end; `；` separates items of the
/// list. The list goes on past a `。` when the next sentence is another item of
/// it — a count in the same unit with its share (`。各乡镇…477条，占23.1%`).
fn list_end(text: &str, from: usize, unit: Option<&str>) -> usize {
    let mut end = text[from..].find('。').map_or(text.len(), |e| from + e);
    while end < text.len() {
        let next_start = end + '。'.len_utf8();
        let next_end = text[next_start..]
            .find('。')
            .map_or(text.len(), |e| next_start + e);
        let next = &text[next_start..next_end];
        let continues = unit.is_some_and(|u| {
            next.match_indices(u).any(|(i, _)| {
                let before = next[..i].trim_end();
                let after = next[i + u.len()..].trim_start_matches(['，', ',', ' ']);
                before.chars().last().is_some_and(is_digit) && after.starts_with('占')
            })
        });
        if !continues {
            break;
        }
        end = next_end;
    }
    end
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Rates: `…占76.9%` after a part of a breakdown, and `X率R%` whose stem names a
/// count of the same sentence (`已办结18件…办结率94.7%`, over the sentence's first count).
fn rates(blocks: &[Block], facts: &mut Facts) {
    let q = &facts.quantities;
    // The breakdown each part belongs to, and the breakdowns of each paragraph.
    let mut part_of: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    let mut by_block: std::collections::HashMap<usize, Vec<usize>> =
        std::collections::HashMap::new();
    for (bi, b) in facts.breakdowns.iter().enumerate() {
        for &p in &b.parts {
            part_of.entry(p).or_insert(bi);
        }
        by_block.entry(q[b.total].place.block).or_default().push(bi);
    }
    let mut out = Vec::new();
    for (ri, r) in q.iter().enumerate() {
        if !matches!(r.quantity.unit.as_deref(), Some("%" | "％")) {
            continue;
        }
        let Some(Block::Para(para)) = blocks.get(r.place.block) else {
            continue;
        };
        let text = &para.text;
        let window = look_back(text, r.place.range.start);
        let before = &text[window..r.place.range.start];
        let clause_start = window
            + before.rfind(['，', '。', '；', ',', ';']).map_or(0, |p| {
                p + before[p..].chars().next().map_or(1, char::len_utf8)
            });
        let clause = &text[clause_start..r.place.range.start];
        if clause.trim_start().starts_with('占') {
            // The part is the count right before this clause; the whole is its breakdown's total.
            let part = within(q, r.place.block, 0, clause_start)
                .rev()
                .find(|&i| q[i].place.range.end <= clause_start && !is_percent(&q[i]));
            if let Some(pi) = part {
                if let Some(&bi) = part_of.get(&pi) {
                    out.push(Rate {
                        rate: ri,
                        part: pi,
                        whole: facts.breakdowns[bi].total,
                    });
                }
            }
            continue;
        }
        // `主动公开的政府信息占34.82%`: the subject names a part of an earlier breakdown.
        if let Some(at) = clause.find('占') {
            let subject: String = clause[..at]
                .chars()
                .filter(|c| *c != '的' && !c.is_whitespace())
                .collect();
            if subject.chars().count() >= 4 {
                let here = by_block.get(&r.place.block).map_or(&[][..], Vec::as_slice);
                let named = here.iter().map(|&bi| &facts.breakdowns[bi]).find_map(|b| {
                    b.parts
                        .iter()
                        .copied()
                        .find(|&pi| {
                            let p = &q[pi];
                            if p.place.block != r.place.block || p.place.range.end > clause_start {
                                return None::<()>.is_some();
                            }
                            let label: String = text[..p.place.range.start]
                                .chars()
                                .rev()
                                .take(subject.chars().count() + 4)
                                .collect::<Vec<_>>()
                                .into_iter()
                                .rev()
                                .filter(|c| *c != '的' && !c.is_whitespace())
                                .collect();
                            label.ends_with(subject.as_str())
                        })
                        .map(|pi| (pi, b.total))
                });
                if let Some((pi, whole)) = named {
                    out.push(Rate {
                        rate: ri,
                        part: pi,
                        whole,
                    });
                }
            }
            continue;
        }
        // `X率`: the stem before 率 (`办结`), a count right after that stem earlier in the sentence.
        let Some(lv) = clause.rfind('率') else {
            continue;
        };
        let stem: String = clause[..lv]
            .chars()
            .rev()
            .take(2)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if stem.chars().count() < 2 {
            continue;
        }
        let sentence_start = window + before.rfind(['。', '！', '？']).map_or(0, |p| p + 3);
        let counts: Vec<(usize, &QuantityFact)> =
            within(q, r.place.block, sentence_start, r.place.range.start)
                .map(|i| (i, &q[i]))
                .filter(|(_, x)| x.place.range.end <= r.place.range.start && !is_percent(x))
                .collect();
        let part = counts.iter().find(|(_, x)| {
            text[..x.place.range.start]
                .trim_end()
                .ends_with(stem.as_str())
        });
        let whole = counts.first();
        if let (Some((pi, p)), Some((wi, w))) = (part, whole) {
            if pi != wi && p.quantity.unit == w.quantity.unit {
                out.push(Rate {
                    rate: ri,
                    part: *pi,
                    whole: *wi,
                });
            }
        }
    }
    facts.rates = out;
}

fn is_percent(x: &QuantityFact) -> bool {
    matches!(x.quantity.unit.as_deref(), Some("%" | "％"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts_of(text: &str) -> Facts {
        let parsed = nianbao_grammar::parse(text.as_bytes());
        extract(&parsed.blocks)
    }

    fn values(f: &Facts) -> Vec<String> {
        f.quantities
            .iter()
            .map(|q| {
                format!(
                    "{}{}",
                    q.quantity.value,
                    q.quantity.unit.as_deref().unwrap_or("")
                )
            })
            .collect()
    }

    #[test]
    fn quantities_with_units_and_approximations() {
        let f = facts_of("共计减免各类税收13.74亿元，推送40余次，发布信息 450 余条，举办两次培训，12345 政务服务热线，5G 基站，2017年5月。");
        assert_eq!(values(&f), vec!["13.74亿元", "40次", "450条", "2次"]);
        assert_eq!(f.quantities[1].quantity.approx, Approx::AtLeast);
        assert_eq!(f.quantities[0].quantity.scale, 2);
        assert!(f.quantities[3].in_words);
    }

    #[test]
    fn doc_numbers_index_numbers_titles() {
        let f = facts_of("印发《关于印发〈宁夏回族自治区办法〉的通知》（宁政办发〔2017〕74号）和（卫政办发[2017]97号），见 WS01012/2018-01812。【读图】一图读懂。");
        let brackets: Vec<&str> = f.doc_numbers.iter().map(|d| d.brackets.as_str()).collect();
        assert_eq!(brackets, vec!["〔〕", "[]"]);
        assert_eq!(f.doc_numbers[0].issuer, "宁政办发");
        assert_eq!(f.doc_numbers[0].serial, 74);
        assert_eq!(f.index_numbers[0].value, "WS01012/2018-01812");
        assert_eq!(f.titles[0].title, "关于印发〈宁夏回族自治区办法〉的通知");
    }

    #[test]
    fn each_fact_knows_its_sentence() {
        let text = "一、概述\n\n第一句话。全年共受理申请 43 件，均已办结；另有一件。\n";
        let parsed = nianbao_grammar::parse(text.as_bytes());
        let f = extract(&parsed.blocks);
        let q = &f.quantities[0];
        assert_eq!(
            parsed.text_of(q.place.sentence),
            "全年共受理申请 43 件，均已办结；"
        );
    }

    #[test]
    fn breakdowns_and_rates() {
        let f = facts_of("共梳理 959 项权力事项，其中新增 215 项、取消 97 项、下放 21 项，合并 14 项、变更 601 项。19件建议已办结18件，需跨年办理的1件，办结率94.7%。");
        assert_eq!(f.breakdowns.len(), 1);
        assert_eq!(f.breakdowns[0].parts.len(), 5);
        assert_eq!(f.rates.len(), 1);
        let r = &f.rates[0];
        assert_eq!(
            (
                f.quantities[r.part].quantity.value,
                f.quantities[r.whole].quantity.value
            ),
            (18.into(), 19.into())
        );
    }
}
