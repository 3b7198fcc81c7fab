//! Facts in the narrative: quantities, dates, 文号, 索引号, titles, breakdowns and
//! rates, each with its span and the sentence it came from. Read from the
//! grammar's logical paragraphs (page breaks already joined), never from raw text.

use std::borrow::Cow;
use std::collections::HashMap;
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

/// Characters that end a sentence (each three bytes in UTF-8).
const SENTENCE_ENDS: [char; 4] = ['。', '！', '？', '；'];

/// The sentence ends of one paragraph, found once: the sentence of a fact is then
/// two binary searches, not a scan of the paragraph (a paragraph of thousands of
/// facts and no full stop stays linear).
struct Sentences {
    /// Byte offsets where a sentence-ending character starts, in order.
    ends: Vec<usize>,
    len: usize,
}

impl Sentences {
    /// The sentence ends of `text`, in the list `ends` (a buffer, cleared).
    fn of(text: &str, mut ends: Vec<usize>) -> Self {
        ends.clear();
        ends.extend(text.match_indices(SENTENCE_ENDS).map(|(i, _)| i));
        Sentences {
            ends,
            len: text.len(),
        }
    }

    /// The byte range of the sentence around `range`: from after the last end
    /// before it to after the first end at or after its end.
    fn around(&self, range: &Range<usize>) -> Range<usize> {
        let before = self.ends.partition_point(|&e| e < range.start);
        let start = before
            .checked_sub(1)
            .map_or(0, |k| self.ends[k] + '。'.len_utf8());
        let after = self.ends.partition_point(|&e| e < range.end);
        let end = self
            .ends
            .get(after)
            .map_or(self.len, |&e| e + '。'.len_utf8());
        start..end
    }
}

/// One paragraph being read: where it is and its sentences.
struct ParaAt<'a> {
    para: &'a Para,
    block: usize,
    sentences: Sentences,
}

impl<'a> ParaAt<'a> {
    /// The paragraph, its sentence ends listed in `ends` (a buffer).
    fn new(para: &'a Para, block: usize, ends: Vec<usize>) -> Self {
        ParaAt {
            para,
            block,
            sentences: Sentences::of(&para.text, ends),
        }
    }

    fn place(&self, range: Range<usize>) -> Place {
        let sentence = self.para.span_of(self.sentences.around(&range));
        Place {
            block: self.block,
            span: self.para.span_of(range.clone()),
            range,
            sentence,
        }
    }
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
    /// Written without its unit, which is the unit of the list it is a part of
    /// (`共510条，其中主动公开信息数169，依申请公开信息数317条`: 169 is in 条).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unit_elided: bool,
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

/// The report's own account of its parts: `本报告由概述、…、附表等共六个部分组成`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PartsClaim {
    /// The number it states (`六`).
    pub stated: u32,
    /// The parts it lists, split at `、，；` (pieces that name no part on their own,
    /// such as `因…申请行政复议` before `、提起行政诉讼的情况`, are joined to the next).
    pub items: Vec<String>,
    /// How many parts it lists at most: split at the conjunctions too (`…改进情况和
    /// 其他需要报告的事项`; `…事项与附表` may be one part or two).
    pub most: usize,
    /// Split at the conjunctions too, every part was read without joining pieces:
    /// a list shorter than the number is then certain.
    pub certain: bool,
    /// Where the number is (`共六个部分`).
    pub place: Place,
}

/// At most this many accounts of the report's parts are read (a report has one).
const MAX_PARTS_CLAIMS: usize = 16;

/// Words before `由`/`分为`/`包括` that make a sentence the report's account of itself.
const PARTS_SUBJECTS: [&str; 3] = ["报告", "年报", "全文"];

/// How the name of a report's part ends (`…情况`, `概述`, `…事项`, `附表`): a piece of
/// the list that ends otherwise is the start of the next part's name.
const PART_NAME_ENDS: [&str; 11] = [
    "情况",
    "概述",
    "事项",
    "措施",
    "附表",
    "统计表",
    "附件",
    "说明",
    "计划",
    "打算",
    "总结",
];

/// The accounts of the report's parts in a paragraph: a sentence with
/// `报告由`/`报告分为`/`报告包括` (or 年报, 全文), a list of parts and `共N个部分` (`等N部分`).
fn parts_claims(here: &ParaAt<'_>, facts: &mut Facts) {
    let text = &here.para.text;
    let mut from = 0;
    while let Some(k) = text[from..].find("部分") {
        let at = from + k;
        from = at + "部分".len();
        if facts.parts_claims.len() >= MAX_PARTS_CLAIMS {
            return;
        }
        // The number right before: `共六个部分`, `等六部分`, `6个部分`.
        let before = text[..at].strip_suffix('个').unwrap_or(&text[..at]);
        let digits: String = before
            .chars()
            .rev()
            .take_while(|c| "一二两三四五六七八九十".contains(*c) || c.is_ascii_digit())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if digits.is_empty() || digits.chars().count() > 3 {
            continue;
        }
        let stated = if digits.chars().all(|c| c.is_ascii_digit()) {
            digits.parse().ok()
        } else {
            cn_value(&digits)
        };
        let Some(stated) = stated else { continue };
        let number_start = before.len() - digits.len();
        let list_end = text[..number_start]
            .trim_end_matches(['共', '等', ' ', '，', ','])
            .len();
        let sentence_start = here.sentences.around(&(at..at)).start;
        let window = look_back(text, list_end).max(sentence_start);
        let head = &text[window..list_end];
        let Some(list_start) = ["由", "分为", "包括"]
            .iter()
            .filter_map(|t| {
                head.match_indices(t)
                    .find(|(p, _)| PARTS_SUBJECTS.iter().any(|s| head[..*p].ends_with(s)))
                    .map(|(p, _)| window + p + t.len())
            })
            .min()
        else {
            continue;
        };
        let list = &text[list_start..list_end];
        let (Some((items, _)), Some((all, certain))) =
            (part_names(list, false), part_names(list, true))
        else {
            continue;
        };
        facts.parts_claims.push(PartsClaim {
            stated,
            items,
            most: all.len(),
            certain,
            place: here.place(number_start..at + "部分".len()),
        });
    }
}

/// The parts a list names, split at its punctuation (and at the conjunctions
/// between two names, with `conjunctions`), and whether no piece had to be joined
/// to the next; `None` when the list does not end with a part's name.
fn part_names(list: &str, conjunctions: bool) -> Option<(Vec<String>, bool)> {
    const PUNCTUATION: [&str; 5] = ["、", "，", ",", "；", ";"];
    const CONJUNCTIONS: [&str; 4] = ["以及", "和", "与", "及"];
    let separators: Vec<&str> = PUNCTUATION
        .iter()
        .chain(CONJUNCTIONS.iter().filter(|_| conjunctions))
        .copied()
        .collect();
    // (start, end) of every piece between separators.
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for (i, _) in list.char_indices() {
        if i < start {
            continue;
        }
        if let Some(sep) = separators.iter().find(|s| list[i..].starts_with(**s)) {
            pieces.push((start, i));
            start = i + sep.len();
        }
    }
    pieces.push((start, list.len()));
    let ends_a_name = |p: &str| PART_NAME_ENDS.iter().any(|e| p.ends_with(e));
    let mut items: Vec<String> = Vec::new();
    let mut pending: Option<usize> = None;
    let mut certain = true;
    for (s, e) in pieces {
        let piece = list[s..e].trim();
        if piece.is_empty() {
            continue;
        }
        if pending.is_some() {
            certain = false;
        }
        let from = *pending.get_or_insert(s);
        if ends_a_name(piece) {
            items.push(list[from..e].trim().to_string());
            pending = None;
        }
    }
    (pending.is_none() && items.len() >= 2).then_some((items, certain))
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
    /// The report's own account of its parts (`本报告由…共六个部分组成`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts_claims: Vec<PartsClaim>,
    /// Figures with a unit but too many digits to be checked (NB506); never quantities.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub oversized: Vec<OversizedNumber>,
    /// The kinds of fact that reached [`MAX_FACTS`], each with where the first one
    /// left unread is (NB024); in the order they were reached.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cut: Vec<Cut>,
}

/// At most this many facts of one kind are read from a report; the rest of the
/// narrative is not read for that kind, and one finding (NB024) says where it
/// stops. A real report has a few hundred figures; a report of millions of `《》`
/// or `占1%` is bounded in memory and time.
pub const MAX_FACTS: usize = 50_000;

/// A kind of fact that reached [`MAX_FACTS`], and where the first one left unread is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Cut {
    /// Which kind.
    pub kind: FactKind,
    /// The original span of the first fact of this kind not read.
    pub span: Span,
}

/// The kinds of fact, as [`MAX_FACTS`] counts them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FactKind {
    /// Quantities, and the figures too long to be quantities.
    Quantities,
    /// Dates.
    Dates,
    /// 文号.
    DocNumbers,
    /// 索引号.
    IndexNumbers,
    /// Titles in 《》.
    Titles,
}

impl FactKind {
    /// The kind's name in Chinese and English, for a message.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            FactKind::Quantities => ("数字", "figures"),
            FactKind::Dates => ("日期", "dates"),
            FactKind::DocNumbers => ("文号", "document numbers"),
            FactKind::IndexNumbers => ("索引号", "index numbers"),
            FactKind::Titles => ("书名号标题", "titles in 《》"),
        }
    }
}

impl Facts {
    /// How many facts of `kind` are read.
    fn count(&self, kind: FactKind) -> usize {
        match kind {
            FactKind::Quantities => self.quantities.len() + self.oversized.len(),
            FactKind::Dates => self.dates.len(),
            FactKind::DocNumbers => self.doc_numbers.len(),
            FactKind::IndexNumbers => self.index_numbers.len(),
            FactKind::Titles => self.titles.len(),
        }
    }

    /// Whether `kind` has reached [`MAX_FACTS`] (and is read no further).
    fn is_cut(&self, kind: FactKind) -> bool {
        self.cut.iter().any(|c| c.kind == kind)
    }

    /// Whether one more fact of `kind`, at `span`, may be kept: false when the
    /// kind is full, which is noted (once) with the span of this first fact left out.
    fn room(&mut self, kind: FactKind, span: impl FnOnce() -> Span) -> bool {
        if self.count(kind) < MAX_FACTS {
            return true;
        }
        if !self.is_cut(kind) {
            self.cut.push(Cut { kind, span: span() });
        }
        false
    }
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
    // One list of sentence ends for every paragraph.
    let mut ends = Vec::new();
    for (block, b) in blocks.iter().enumerate() {
        let Block::Para(para) = b else { continue };
        let here = ParaAt::new(para, block, std::mem::take(&mut ends));
        if !facts.is_cut(FactKind::Quantities) {
            quantities(&here, &mut facts);
        }
        if !facts.is_cut(FactKind::Dates) {
            for d in find_dates(&para.text) {
                if !facts.room(FactKind::Dates, || para.span_of(d.range.clone())) {
                    break;
                }
                facts.dates.push(DateFact {
                    date: d.date,
                    place: here.place(d.range),
                });
            }
        }
        if !facts.is_cut(FactKind::DocNumbers) {
            doc_numbers(&here, &mut facts);
        }
        if !facts.is_cut(FactKind::IndexNumbers) {
            index_numbers(&here, &mut facts);
        }
        if !facts.is_cut(FactKind::Titles) {
            titles(&here, &mut facts);
        }
        parts_claims(&here, &mut facts);
        ends = here.sentences.ends;
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

fn quantities(here: &ParaAt<'_>, facts: &mut Facts) {
    let para = here.para;
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
                        if !facts.room(FactKind::Quantities, || para.span_of(i..unit_end)) {
                            return;
                        }
                        facts.oversized.push(OversizedNumber {
                            digits: text[i..end].to_string(),
                            why,
                            place: here.place(i..unit_end),
                        });
                    }
                    i = end;
                    continue;
                }
            };
            if let Some(q) = quantity_after(para, text, i, end, value) {
                let range = i..q.1;
                if !facts.room(FactKind::Quantities, || para.span_of(range.clone())) {
                    return;
                }
                let mut quantity = q.0;
                quantity.span = para.span_of(range.clone());
                facts.quantities.push(QuantityFact {
                    quantity,
                    place: here.place(range),
                    in_words: false,
                    unit_elided: false,
                });
                i = q.1;
            } else {
                if let Some(quantity) = elided_unit(here, &facts.quantities, i, end, value) {
                    if !facts.room(FactKind::Quantities, || para.span_of(i..end)) {
                        return;
                    }
                    facts.quantities.push(QuantityFact {
                        quantity,
                        place: here.place(i..end),
                        in_words: false,
                        unit_elided: true,
                    });
                }
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
                if !facts.room(FactKind::Quantities, || para.span_of(range.clone())) {
                    return;
                }
                let quantity = Quantity {
                    value: Decimal::from(value),
                    scale: 0,
                    approx,
                    unit: Some(Cow::Borrowed(*unit)),
                    span: para.span_of(range.clone()),
                };
                facts.quantities.push(QuantityFact {
                    quantity,
                    place: here.place(range.clone()),
                    in_words: true,
                    unit_elided: false,
                });
                i = range.end;
                continue;
            }
        }
        i += c.len_utf8();
    }
}

/// A count written without its unit inside a list of parts (quirk
/// `elided_unit`): `共510条，其中主动公开信息数169，依申请公开信息数317条` — the
/// figure right after a label ending in `数` (`信息数169`, `信息数为169`), followed
/// by a separator or the paragraph's end, in a sentence where `其中` opens a list
/// after a count. The figure takes that count's unit (the list's unit); a
/// percentage or an amount of money never lends its unit. Only integers: `数1.5`
/// is no count.
fn elided_unit(
    here: &ParaAt<'_>,
    quantities: &[QuantityFact],
    start: usize,
    end: usize,
    value: Option<Decimal>,
) -> Option<Quantity> {
    let value = value.filter(|v| v.scale() == 0)?;
    let text = &here.para.text;
    let before = text[..start].trim_end_matches([' ', '\u{3000}', '\u{a0}']);
    let label_ends = before.ends_with('数') || before.ends_with("数为");
    let after = &text[skip_spaces(text, end)..];
    let separated = after.is_empty() || after.starts_with(['，', ',', '、', '；', ';', '。']);
    if !label_ends || !separated {
        return None;
    }
    let sentence_start = here.sentences.around(&(start..end)).start;
    let from = look_back(text, start).max(sentence_start);
    let list_open = from + text[from..start].rfind("其中")?;
    let candidates = within(quantities, here.block, sentence_start, list_open);
    if candidates.is_empty() {
        return None;
    }
    let total = quantities.get(candidates.end - 1)?;
    if total.place.range.end > list_open {
        return None;
    }
    let unit = total.quantity.unit.clone()?;
    if matches!(unit.as_ref(), "%" | "％") || is_money(&unit) {
        return None;
    }
    Some(Quantity {
        value,
        scale: 0,
        approx: Approx::Exact,
        unit: Some(unit),
        span: here.para.span_of(start..end),
    })
}

fn is_money(unit: &str) -> bool {
    matches!(unit, "元" | "万元" | "亿元")
}

/// Reads digits with thousands separators and a decimal part: (end, value);
/// a figure with too many digits to check is an error naming them.
fn read_number(
    text: &str,
    start: usize,
) -> (usize, Result<Option<Decimal>, crate::quantity::Oversized>) {
    let mut has_point = false;
    let mut end = start;
    for (k, c) in text[start..].char_indices() {
        let at = start + k;
        // A thousands separator: exactly three digits follow.
        let separator = c == ',' && thousands_group_follows(&text[at + 1..]);
        let point = (c == '.' || c == '．')
            && text[at + c.len_utf8()..]
                .chars()
                .next()
                .is_some_and(is_digit)
            && !has_point;
        if !(is_digit(c) || separator || point) {
            end = at;
            break;
        }
        has_point |= point;
        end = at + c.len_utf8();
    }
    // The figure as ASCII digits and a point: the text itself when it is written so
    // (most figures), else its digits folded and its separators dropped.
    let written = &text[start..end];
    let value = if written.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        crate::quantity::read_decimal(written)
    } else {
        let folded: String = written
            .chars()
            .filter(|&c| c != ',')
            .map(|c| if is_digit(c) { fold_digit(c) } else { '.' })
            .collect();
        crate::quantity::read_decimal(&folded)
    };
    (end, value)
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
        unit: Some(Cow::Borrowed(unit)),
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
    // At most three characters: a fixed array, not a heap list.
    let mut chars = ['\0'; 3];
    let mut n = 0;
    for c in s.chars() {
        if n == chars.len() {
            return None;
        }
        chars[n] = c;
        n += 1;
    }
    match &chars[..n] {
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
fn doc_numbers(here: &ParaAt<'_>, facts: &mut Facts) {
    let para = here.para;
    let text = &para.text;
    for (i, c) in text.char_indices() {
        let Some(&(open, close)) = OPENERS.iter().find(|(o, _)| *o == c) else {
            continue;
        };
        let after_open = i + open.len_utf8();
        // Four ASCII digits (four characters of four bytes).
        let year = text.get(after_open..after_open + 4).unwrap_or("");
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
        if !facts.room(FactKind::DocNumbers, || para.span_of(range.clone())) {
            return;
        }
        facts.doc_numbers.push(DocNumber {
            issuer: code,
            year: year.parse().unwrap_or_default(),
            serial: text[serial_start..serial_start + serial_len]
                .parse()
                .unwrap_or_default(),
            brackets: format!("{open}{close}"),
            place: here.place(range),
        });
    }
}

/// 索引号: `WS01012/2018-01812`, `640501001/2017-49811`.
fn index_numbers(here: &ParaAt<'_>, facts: &mut Facts) {
    let para = here.para;
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
                if !facts.room(FactKind::IndexNumbers, || para.span_of(range.clone())) {
                    return;
                }
                facts.index_numbers.push(IndexNumber {
                    value: text[range.clone()].to_string(),
                    place: here.place(range),
                });
                i = end;
                continue;
            }
        }
        i += 1;
    }
}

/// Titles in 《》, outermost pairs (nested 《》 and 〈〉 stay inside).
fn titles(here: &ParaAt<'_>, facts: &mut Facts) {
    let para = here.para;
    let text = &para.text;
    // Only outermost pairs are titles: the depth and where the outermost `《` is
    // (a run of a million `《` holds no stack).
    let mut depth = 0usize;
    let mut open = 0;
    for (i, c) in text.char_indices() {
        match c {
            '《' => {
                if depth == 0 {
                    open = i;
                }
                depth += 1;
            }
            '》' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    let range = open..i + '》'.len_utf8();
                    if !facts.room(FactKind::Titles, || para.span_of(range.clone())) {
                        return;
                    }
                    facts.titles.push(TitleFact {
                        title: text[open + 3..i].to_string(),
                        place: here.place(range),
                    });
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
    let mut lists = Lists::new(blocks, q);
    // Which quantities open a list (a total followed by `其中`…), and where the list starts.
    // A list needs two or more parts in the total's unit (`4 件，主要涉及气象、教育…` opens none).
    let opens: Vec<Option<usize>> = q
        .iter()
        .map(|total| {
            let Some(Block::Para(para)) = blocks.get(total.place.block) else {
                return None;
            };
            let start = list_start(&para.text, total.place.range.end)?;
            // The last item of an enumeration (`…1件、小区备案信息6件。其中，…`) opens
            // no list across a sentence end: that `其中` speaks of the enumeration's total.
            let across_stop = para.text[total.place.range.end..start].contains('。');
            if across_stop && enumeration_item(&para.text, total.place.range.start) {
                return None;
            }
            let unit = total.quantity.unit.as_deref();
            let end = lists.end(total.place.block, start, unit);
            let end = bracketed_end(&para.text, total.place.range.end, start, end);
            let same = lists.same_unit(total.place.block, unit, start, end);
            // Quantities do not overlap: only the last one can run past the end.
            let past_end = same.last().is_some_and(|&i| q[i].place.range.end > end);
            let count = same.len() - usize::from(past_end);
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
        let sentence_end = lists.end(total.place.block, list_start, unit);
        let list_end = bracketed_end(text, total.place.range.end, list_start, sentence_end);
        let mut parts: Vec<usize> = Vec::new();
        // Whether the first part has a share (asked once, not per part).
        let mut first_share = false;
        // The sum of the parts so far, while every one is exact.
        let mut sum = Some(Decimal::ZERO);
        // Only the quantities in the total's unit: the others are never parts.
        for &i in lists.same_unit(total.place.block, unit, list_start, list_end) {
            let x = &q[i];
            if x.place.range.end > list_end {
                continue;
            }
            // A part that opens its own list ends this one (`；行政诉讼 46 件，其中…`).
            if opens[i].is_some() {
                break;
            }
            // A list that is complete at a `；` or `。` ends there: what follows is
            // the next statement of the paragraph (`20条，其中…8条，…12条；公开…2条`).
            if let Some(&last) = parts.last() {
                let between = &text[q[last].place.range.end..x.place.range.start];
                let stop = between.contains(['；', ';', '。']);
                if stop
                    && total.quantity.approx == Approx::Exact
                    && sum == Some(total.quantity.value)
                {
                    break;
                }
            }
            // Parts are parallel: in a list of shares (`42件，占51.85%；…`) an item without
            // a share is the next sentence's business (`；…行政复议案件2件`).
            let share = has_share(text, x.place.range.end);
            if parts.is_empty() {
                first_share = share;
            } else if first_share && !share {
                break;
            }
            sum = sum
                .filter(|_| x.quantity.approx == Approx::Exact)
                .map(|s| s.saturating_add(x.quantity.value));
            parts.push(i);
        }
        if parts.len() < 2 {
            continue;
        }
        // `等` after the last part leaves the list open (`…39条等`, `…等方面`); inside
        // an item's name it does not (`扶贫、教育…等方面的政策…1条；其他…62条`).
        let after_last = parts
            .last()
            .map_or(list_end, |&p| q[p].place.range.end.min(list_end));
        let tail = &text[after_last..list_end];
        let open_ended = tail.trim_start_matches([' ', '\u{3000}']).starts_with('等')
            || lists.has_etc(total.place.block, after_last, list_end);
        out.push(Breakdown {
            total: ti,
            parts,
            open_ended,
        });
    }
    facts.breakdowns = out;
}

/// Whether the figure at `start` is an item of an enumeration: the nearest
/// separator before it, in its sentence, is `、` (`…1件、小区备案信息6件`).
fn enumeration_item(text: &str, start: usize) -> bool {
    let from = look_back(text, start);
    text[from..start]
        .rfind(['、', '，', ',', '。', '；', ';', '：', ':'])
        .is_some_and(|p| text[from + p..].starts_with('、'))
}

/// Where a list opened inside brackets ends: at the bracket that closes it
/// (`14条（其中…2条；…12条）；规划计划类信息4条` ends before `；规划`). `between`
/// (from the total to the list's start) holds the opening bracket; without one, or
/// without its closing bracket before `end`, the list ends at `end`. The search
/// reads a bounded stretch, so a paragraph of unclosed brackets stays linear.
fn bracketed_end(text: &str, total_end: usize, list_start: usize, end: usize) -> usize {
    let between = &text[total_end..list_start];
    if !between.contains(['（', '(']) {
        return end;
    }
    let limit = floor_boundary(text, end.min(list_start + MAX_BRACKETED_LIST));
    let mut depth = 0usize;
    for (k, c) in text[list_start..limit].char_indices() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' if depth == 0 => return list_start + k,
            '）' | ')' => depth -= 1,
            _ => {}
        }
    }
    end
}

/// The longest list in brackets read, in bytes (a list of a few dozen items).
const MAX_BRACKETED_LIST: usize = 4096;

/// Answers the breakdown search asks for every total, computed once per paragraph:
/// where a list ends, the quantities of one unit, where `等方面` is. A paragraph of
/// thousands of totals and no full stop stays linear.
struct Lists<'a> {
    blocks: &'a [Block],
    /// Per paragraph: offsets of `。`.
    stops: HashMap<usize, Vec<usize>>,
    /// Per paragraph: offsets of `等方面`.
    etc: HashMap<usize, Vec<usize>>,
    /// Per paragraph and unit: indices of its quantities in that unit, in text order.
    by_unit: HashMap<(usize, Option<&'a str>), Vec<usize>>,
    /// (paragraph, index of the first `。` of a list, unit) → where the list ends.
    ends: HashMap<(usize, usize, Option<&'a str>), usize>,
    quantities: &'a [QuantityFact],
}

impl<'a> Lists<'a> {
    fn new(blocks: &'a [Block], quantities: &'a [QuantityFact]) -> Self {
        let mut by_unit: HashMap<(usize, Option<&str>), Vec<usize>> = HashMap::new();
        for (i, x) in quantities.iter().enumerate() {
            by_unit
                .entry((x.place.block, x.quantity.unit.as_deref()))
                .or_default()
                .push(i);
        }
        Lists {
            blocks,
            stops: HashMap::new(),
            etc: HashMap::new(),
            by_unit,
            ends: HashMap::new(),
            quantities,
        }
    }

    fn text(&self, block: usize) -> &'a str {
        match self.blocks.get(block) {
            Some(Block::Para(p)) => &p.text,
            _ => "",
        }
    }

    /// [`list_end`] of `from` in paragraph `block`, remembered.
    fn end(&mut self, block: usize, from: usize, unit: Option<&'a str>) -> usize {
        let text = self.text(block);
        let stops = self
            .stops
            .entry(block)
            .or_insert_with(|| text.match_indices('。').map(|(i, _)| i).collect());
        let first = stops.partition_point(|&p| p < from);
        if let Some(&end) = self.ends.get(&(block, first, unit)) {
            return end;
        }
        // Follow the sentences that continue the list; every one visited gets the answer.
        let mut visited = vec![first];
        let mut k = first;
        let end = loop {
            let Some(&stop) = stops.get(k) else {
                break text.len();
            };
            let next_start = stop + '。'.len_utf8();
            let next_end = stops.get(k + 1).copied().unwrap_or(text.len());
            if !continues(&text[next_start..next_end], unit) {
                break stop;
            }
            k += 1;
            if let Some(&end) = self.ends.get(&(block, k, unit)) {
                break end;
            }
            visited.push(k);
        };
        for k in visited {
            self.ends.insert((block, k, unit), end);
        }
        end
    }

    /// Indices of the quantities of paragraph `block` in `unit` that start within `from..to`.
    fn same_unit(&self, block: usize, unit: Option<&'a str>, from: usize, to: usize) -> &[usize] {
        let Some(list) = self.by_unit.get(&(block, unit)) else {
            return &[];
        };
        let q = self.quantities;
        let s = list.partition_point(|&i| q[i].place.range.start < from);
        let e = list.partition_point(|&i| q[i].place.range.start < to);
        &list[s..e.max(s)]
    }

    /// Whether `等方面` is in `from..to` of paragraph `block`.
    fn has_etc(&mut self, block: usize, from: usize, to: usize) -> bool {
        let text = self.text(block);
        let etc = self
            .etc
            .entry(block)
            .or_insert_with(|| text.match_indices("等方面").map(|(i, _)| i).collect());
        let k = etc.partition_point(|&p| p < from);
        etc.get(k).is_some_and(|&p| p + "等方面".len() <= to)
    }
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
/// [`Lists::end`] answers it for a paragraph, remembering every answer.
#[cfg(test)]
fn list_end(text: &str, from: usize, unit: Option<&str>) -> usize {
    let mut end = text[from..].find('。').map_or(text.len(), |e| from + e);
    while end < text.len() {
        let next_start = end + '。'.len_utf8();
        let next_end = text[next_start..]
            .find('。')
            .map_or(text.len(), |e| next_start + e);
        if !continues(&text[next_start..next_end], unit) {
            break;
        }
        end = next_end;
    }
    end
}

/// The sentence `next` goes on with a list in `unit`: it has a count in that unit with its share.
fn continues(next: &str, unit: Option<&str>) -> bool {
    unit.is_some_and(|u| {
        next.match_indices(u).any(|(i, _)| {
            let before = next[..i].trim_end();
            let after = next[i + u.len()..].trim_start_matches(['，', ',', ' ']);
            before.chars().last().is_some_and(is_digit) && after.starts_with('占')
        })
    })
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
    let mut part_of: HashMap<usize, usize> = HashMap::new();
    let mut by_block: HashMap<usize, Vec<usize>> = HashMap::new();
    for (bi, b) in facts.breakdowns.iter().enumerate() {
        for &p in &b.parts {
            part_of.entry(p).or_insert(bi);
        }
        by_block.entry(q[b.total].place.block).or_default().push(bi);
    }
    // For every quantity, the last one at or before it that is not a percentage:
    // the count before a share is found in one step, however many shares precede it.
    let mut last_count = Vec::with_capacity(q.len());
    let mut last = None;
    for (i, x) in q.iter().enumerate() {
        if !is_percent(x) {
            last = Some(i);
        }
        last_count.push(last);
    }
    let totals = Totals::new(blocks, q, &facts.breakdowns);
    let mut stops = FullStops::default();
    let mut out = Vec::new();
    let mut named = Vec::new();
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
            let candidates = within(q, r.place.block, 0, clause_start);
            // The count is in the same sentence: `主动公开的政府信条，占100%` has lost its
            // count, and the one of the sentence before is not it.
            let sentence_start = stops.sentence_start(r.place.block, text, clause_start);
            let mut part = None;
            let mut upto = candidates.end;
            while let Some(i) = upto.checked_sub(1).and_then(|k| last_count[k]) {
                if i < candidates.start || q[i].place.range.start < sentence_start {
                    break;
                }
                if q[i].place.range.end <= clause_start {
                    part = Some(i);
                    break;
                }
                upto = i;
            }
            if let Some(pi) = part {
                let whole = match part_of.get(&pi) {
                    Some(&bi) => Some(facts.breakdowns[bi].total),
                    None => totals.whole_of(q, pi),
                };
                if let Some(whole) = whole {
                    out.push(Rate {
                        rate: ri,
                        part: pi,
                        whole,
                    });
                }
            }
            continue;
        }
        // `主动公开的政府信息占34.82%`: the subject names a part of an earlier breakdown.
        // Matched with the parts once every such rate is known (see [`named_rates`]).
        if let Some(at) = clause.find('占') {
            let subject: String = clause[..at]
                .chars()
                .filter(|c| *c != '的' && !c.is_whitespace())
                .collect();
            let chars = subject.chars().count();
            if chars >= 4 {
                named.push(NamedRate {
                    rate: ri,
                    block: r.place.block,
                    clause_start,
                    subject,
                    chars,
                });
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
    out.extend(named_rates(blocks, q, &facts.breakdowns, &by_block, named));
    // In the order of the rates, as found (each rate has at most one).
    out.sort_by_key(|r| r.rate);
    facts.rates = out;
}

/// The full stops (`。` `！` `？`) of the paragraph whose rates are being read, found
/// once per paragraph: the sentence of a share is then a binary search, not a scan
/// back to the paragraph's start (a paragraph of shares separated by `；` and no
/// full stop stays linear).
#[derive(Default)]
struct FullStops {
    /// The paragraph the stops are of.
    block: Option<usize>,
    /// Byte offsets where a full stop starts, in order.
    at: Vec<usize>,
}

impl FullStops {
    /// Where the sentence around `offset` of paragraph `block` (text `text`) starts:
    /// after the last full stop before it.
    fn sentence_start(&mut self, block: usize, text: &str, offset: usize) -> usize {
        if self.block != Some(block) {
            self.block = Some(block);
            self.at.clear();
            self.at
                .extend(text.match_indices(['。', '！', '？']).map(|(i, _)| i));
        }
        let before = self.at.partition_point(|&p| p < offset);
        before
            .checked_sub(1)
            .map_or(0, |k| self.at[k] + '。'.len_utf8())
    }
}

/// The counts that are totals — of a breakdown, or marked as one (`共…81件`,
/// `总数1873条`, `在…主动公开的425条政府信息中，`) — and, for every count, the
/// nearest total before it in its paragraph: the whole of a share `X件，占Y%`
/// that belongs to no breakdown.
struct Totals {
    /// For each quantity, the nearest total before it in the same paragraph.
    previous: Vec<Option<usize>>,
}

/// Words right before a figure that make it a total.
const TOTAL_BEFORE: [&str; 7] = ["共", "共计", "共有", "总数", "总数为", "合计", "总计"];

/// How many totals back the whole of a share is looked for (nearest first).
const MAX_TOTALS_BACK: usize = 16;

impl Totals {
    fn new(blocks: &[Block], q: &[QuantityFact], breakdowns: &[Breakdown]) -> Self {
        let of_breakdown: std::collections::HashSet<usize> =
            breakdowns.iter().map(|b| b.total).collect();
        let mut previous = Vec::with_capacity(q.len());
        let mut last: Option<usize> = None;
        for (i, x) in q.iter().enumerate() {
            if last.is_some_and(|l| q[l].place.block != x.place.block) {
                last = None;
            }
            previous.push(last);
            let text = match blocks.get(x.place.block) {
                Some(Block::Para(p)) => p.text.as_str(),
                _ => "",
            };
            if !is_percent(x) && (of_breakdown.contains(&i) || marked_total(text, x)) {
                last = Some(i);
            }
        }
        Totals { previous }
    }

    /// The whole of a share of count `part`: the nearest earlier total of its
    /// paragraph in its unit that is not smaller than it.
    fn whole_of(&self, q: &[QuantityFact], part: usize) -> Option<usize> {
        let p = &q[part];
        let mut at = self.previous.get(part).copied().flatten();
        for _ in 0..MAX_TOTALS_BACK {
            let t = at?;
            let x = &q[t];
            if x.quantity.unit == p.quantity.unit
                && x.quantity.value >= p.quantity.value
                && !x.quantity.value.is_zero()
            {
                return Some(t);
            }
            at = self.previous[t];
        }
        None
    }
}

/// A figure marked as a total by its words: `共81件`, `总数1873条`, or a whole
/// named in `在…的425条政府信息中，…`.
fn marked_total(text: &str, x: &QuantityFact) -> bool {
    let before = text[..x.place.range.start].trim_end_matches([' ', '\u{3000}']);
    if TOTAL_BEFORE.iter().any(|w| before.ends_with(w)) {
        return true;
    }
    let end = x.place.range.end;
    let after = &text[end..floor_boundary(text, (end + 36).min(text.len()))];
    after
        .find("中，")
        .or_else(|| after.find("中,"))
        .is_some_and(|k| {
            !after[..k]
                .chars()
                .any(|c| is_digit(c) || matches!(c, '，' | ',' | '。' | '；'))
        })
}

/// A rate whose subject names a part of an earlier breakdown (`主动公开的政府信息占34.82%`).
struct NamedRate {
    rate: usize,
    block: usize,
    /// Where the rate's clause starts: the part ends before it.
    clause_start: usize,
    /// The words before `占`, without `的` and spaces.
    subject: String,
    /// Its length in characters.
    chars: usize,
}

/// The part each named rate names: of the paragraph's breakdowns (in order), the
/// first with a part that ends before the rate's clause and whose label — the
/// `chars + 4` characters before it, without `的` and spaces — ends with the subject.
///
/// Answered in one sweep per paragraph and subject length, not by trying every part
/// for every rate: parts are taken in the order they end, and for each label only
/// the part the search would meet first is kept, so thousands of rates and
/// breakdowns in one paragraph stay linear.
fn named_rates(
    blocks: &[Block],
    q: &[QuantityFact],
    breakdowns: &[Breakdown],
    by_block: &HashMap<usize, Vec<usize>>,
    mut named: Vec<NamedRate>,
) -> Vec<Rate> {
    let mut out = Vec::new();
    named.sort_by_key(|n| (n.block, n.chars, n.clause_start));
    for group in named.chunk_by(|a, b| a.block == b.block && a.chars == b.chars) {
        let (block, chars) = (group[0].block, group[0].chars);
        let Some(Block::Para(para)) = blocks.get(block) else {
            continue;
        };
        let text = &para.text;
        // (end, order of the search, part, total), by end.
        let mut parts: Vec<(usize, (usize, usize), usize, usize)> = Vec::new();
        let here = by_block.get(&block).map_or(&[][..], Vec::as_slice);
        for (rank, &bi) in here.iter().enumerate() {
            let b = &breakdowns[bi];
            for (pos, &pi) in b.parts.iter().enumerate() {
                if q[pi].place.block == block {
                    parts.push((q[pi].place.range.end, (rank, pos), pi, b.total));
                }
            }
        }
        parts.sort_by_key(|p| p.0);
        // Label (its last `chars` characters) → the first part in the search's order.
        let mut first: HashMap<String, ((usize, usize), usize, usize)> = HashMap::new();
        let mut next = 0;
        for query in group {
            while let Some(&(end, order, pi, total)) = parts.get(next) {
                if end > query.clause_start {
                    break;
                }
                next += 1;
                let mut label: Vec<char> = text[..q[pi].place.range.start]
                    .chars()
                    .rev()
                    .take(chars + 4)
                    .filter(|c| *c != '的' && !c.is_whitespace())
                    .take(chars)
                    .collect();
                if label.len() < chars {
                    continue;
                }
                label.reverse();
                let key: String = label.into_iter().collect();
                let entry = first.entry(key).or_insert((order, pi, total));
                if order < entry.0 {
                    *entry = (order, pi, total);
                }
            }
            if let Some(&(_, part, whole)) = first.get(&query.subject) {
                out.push(Rate {
                    rate: query.rate,
                    part,
                    whole,
                });
            }
        }
    }
    out
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
    fn remembered_list_ends_are_the_searched_ones() {
        // Lists that end at a full stop, go on with a share in the next sentence, or
        // run to the end; asked from every character, in every unit.
        let text = "共100件，其中甲50件，占50%。乙30件，占30%。丙20件，占20%。另有5条。共3条，其中1条、2条；余下";
        let parsed = nianbao_grammar::parse(text.as_bytes());
        let f = extract(&parsed.blocks);
        let Some(Block::Para(para)) = parsed.blocks.first() else {
            panic!("one paragraph");
        };
        let mut lists = Lists::new(&parsed.blocks, &f.quantities);
        for (from, _) in para.text.char_indices() {
            for unit in [Some("件"), Some("条"), Some("%"), None] {
                assert_eq!(
                    lists.end(0, from, unit),
                    list_end(&para.text, from, unit),
                    "from {from}, unit {unit:?}"
                );
            }
        }
    }

    #[test]
    fn a_named_rate_takes_the_first_breakdown_naming_its_part() {
        // Two breakdowns name 甲类申请; the rate names the first one's part. A part
        // after the rate is never its part.
        let f = facts_of("共4件，其中甲类申请1件、乙类申请3件，共8件，其中甲类申请2件、乙类申请6件，甲类申请占25%，共5件，其中丁类申请2件、丙类申请3件。");
        assert_eq!(f.rates.len(), 1);
        let r = &f.rates[0];
        assert_eq!(f.quantities[r.part].quantity.value, 1.into());
        assert_eq!(f.quantities[r.whole].quantity.value, 4.into());
    }

    #[test]
    fn a_share_takes_its_count_from_its_own_sentence() {
        // A `；` does not end the sentence; a `。` does: the share whose count was lost
        // takes none from the sentence before. Each paragraph's stops are its own.
        let f = facts_of(
            "本年度概述如下。共10件，其中甲5件，占50%；乙5件。主动公开的政府信条，占100%。\n\n共4件，其中丙2件，占50%。",
        );
        let parts: Vec<String> = f
            .rates
            .iter()
            .map(|r| f.quantities[r.part].quantity.value.to_string())
            .collect();
        assert_eq!(parts, vec!["5", "2"]);
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
