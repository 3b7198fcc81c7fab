//! References and style (NB5xx): 文号 brackets, dates, brackets in paragraphs, years of statements.

use nianbao_grammar::findings::Findings;
use nianbao_grammar::{Block, Diagnostic, Message, Span};

use super::codes;
use crate::facts::Facts;
use crate::frontmatter::{find_dates, Date, Period};

/// NB501: a 文号 with other brackets than `〔〕`.
pub fn doc_number_brackets(facts: &Facts, out: &mut Findings) {
    for d in &facts.doc_numbers {
        if d.has_standard_brackets() {
            continue;
        }
        let fixed = format!("{}〔{}〕{}号", d.issuer, d.year, d.serial);
        out.push(
            Diagnostic::new(
                &codes::DOC_NUMBER_BRACKETS,
                d.place.span,
                Message::new(
                    format!(
                        "文号年份应使用六角括号〔〕，而不是 {}：应为“{fixed}”",
                        d.brackets
                    ),
                    format!(
                        "the year of a document number takes 〔〕, not {}: \"{fixed}\"",
                        d.brackets
                    ),
                ),
            )
            .with_values(fixed, d.brackets.clone()),
        );
    }
}

/// NB506: a figure with a unit and too many digits to be checked.
pub fn oversized_numbers(facts: &Facts, out: &mut Findings) {
    for n in &facts.oversized {
        let (zh, en) = n.why.reason();
        out.push(Diagnostic::new(
            &codes::NUMBER_OUT_OF_RANGE,
            n.place.span,
            Message::new(
                format!("数字“{}”位数过多（{zh}），未参与核对", n.digits),
                format!(
                    "the figure \"{}\" has too many digits ({en}) and takes part in no check",
                    n.digits
                ),
            ),
        ));
    }
}

/// NB024: a kind of fact past [`crate::facts::MAX_FACTS`], not read further.
pub fn facts_cut(facts: &Facts, out: &mut Findings) {
    let max = crate::facts::MAX_FACTS;
    for cut in &facts.cut {
        let (zh, en) = cut.kind.names();
        out.push(Diagnostic::new(
            &codes::TOO_MANY_FACTS,
            cut.span,
            Message::new(
                format!("叙述中的{zh}超过 {max} 个，自此处起的{zh}未读取，未参与核对"),
                format!(
                    "the narrative holds more than {max} {en}; those from here on are not read and take part in no check"
                ),
            ),
        ));
    }
}

/// NB502: a date that does not exist.
pub fn impossible_dates(facts: &Facts, out: &mut Findings) {
    for d in &facts.dates {
        if d.date.is_valid() {
            continue;
        }
        let shown = if d.date.day == 0 {
            format!("{}年{}月", d.date.year, d.date.month)
        } else {
            format!("{}年{}月{}日", d.date.year, d.date.month, d.date.day)
        };
        out.push(Diagnostic::new(
            &codes::IMPOSSIBLE_DATE,
            d.place.span,
            Message::new(
                format!("日期“{shown}”不存在"),
                format!("the date {shown} does not exist"),
            ),
        ));
    }
}

fn within(period: &Period, date: &Date) -> bool {
    let d = (date.year, date.month, date.day.max(1));
    let s = (
        period.start.year,
        period.start.month,
        period.start.day.max(1),
    );
    let e = (period.end.year, period.end.month, period.end.day.max(1));
    s <= d && d <= e
}

/// NB503: entries of a list (a table that is not a statistics table) dated outside the reporting period; one finding per list.
pub fn dated_outside_period(
    blocks: &[Block],
    period: Option<&Period>,
    year: Option<i32>,
    out: &mut Findings,
) {
    let period = match (period, year) {
        (Some(p), _) => p.clone(),
        (None, Some(y)) => Period {
            start: Date {
                year: y,
                month: 1,
                day: 1,
            },
            end: Date {
                year: y,
                month: 12,
                day: 31,
            },
            span: Span::default(),
        },
        _ => return,
    };
    for block in blocks {
        let Block::Table(table) = block else { continue };
        let mut outside: Vec<(Span, Date)> = Vec::new();
        for cell in table.cells() {
            for d in find_dates(cell.text) {
                // A bare year-month is a period, not an entry's date.
                if d.date.day > 0
                    && d.date.is_valid()
                    && !within(&period, &d.date)
                    && d.range.len() + 2 >= cell.text.trim().len()
                {
                    outside.push((cell.span, d.date));
                }
            }
        }
        let Some(&(first, _)) = outside.first() else {
            continue;
        };
        let dates: Vec<String> = outside
            .iter()
            .map(|(_, d)| format!("{}-{:02}-{:02}", d.year, d.month, d.day))
            .collect();
        let mut diag = Diagnostic::new(
            &codes::DATED_OUTSIDE_PERIOD,
            first,
            Message::new(
                format!(
                    "列表中有 {} 个条目的日期在统计期限之外：{}",
                    outside.len(),
                    dates.join("、")
                ),
                format!(
                    "{} entries of this list are dated outside the reporting period: {}",
                    outside.len(),
                    dates.join(", ")
                ),
            ),
        );
        for (span, d) in outside.iter().skip(1) {
            diag = diag.with_related(
                *span,
                Message::new(
                    format!("{}-{:02}-{:02}", d.year, d.month, d.day),
                    format!("{}-{:02}-{:02}", d.year, d.month, d.day),
                ),
            );
        }
        out.push(diag);
    }
}

/// NB504: unbalanced `《》`, `“”`, `（）` (either width) within a repaired paragraph.
///
/// A closing bracket right after a list number at a clause start (`1）`) is a
/// list marker, not a closer.
pub fn unbalanced_brackets(blocks: &[Block], out: &mut Findings) {
    const PAIRS: [&str; 3] = ["《》", "“”", "（）"];
    /// The pair a character opens or closes (an index into `PAIRS`), and whether it opens.
    fn bracket(c: char) -> Option<(usize, bool)> {
        Some(match c {
            '《' => (0, true),
            '》' => (0, false),
            '“' => (1, true),
            '”' => (1, false),
            '（' | '(' => (2, true),
            '）' | ')' => (2, false),
            _ => return None,
        })
    }
    // Per pair: the openers not yet closed, and the closers that close nothing
    // (buffers reused from one paragraph to the next; offsets only, the
    // character is read again: a line of ten million `）` holds them all).
    let mut open_at: [Vec<usize>; 3] = Default::default();
    let mut stray: [Vec<usize>; 3] = Default::default();
    for block in blocks {
        let Block::Para(para) = block else { continue };
        let text = &para.text;
        // One pass for the three pairs; the findings come pair by pair, as before.
        for (i, c) in text.char_indices() {
            let Some((k, opens)) = bracket(c) else {
                continue;
            };
            if opens {
                open_at[k].push(i);
            } else if open_at[k].pop().is_none() && !is_list_marker(text, i) {
                stray[k].push(i);
            }
        }
        for (k, name) in PAIRS.iter().enumerate() {
            for i in stray[k].drain(..) {
                let c = text[i..].chars().next().unwrap_or(' ');
                report(para, i, c, name, false, out);
            }
            for i in open_at[k].drain(..) {
                let c = text[i..].chars().next().unwrap_or(' ');
                report(para, i, c, name, true, out);
            }
        }
    }
}

/// `1）` or `2)` at a clause start: a list number, not a closing bracket.
fn is_list_marker(text: &str, close: usize) -> bool {
    let before = &text[..close];
    // Three digits are enough to know it is not a list number (a long number stays cheap).
    let digits = before
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
        .take(3)
        .count();
    if digits == 0 || digits > 2 {
        return false;
    }
    let rest: String = before.chars().rev().skip(digits).take(1).collect();
    rest.is_empty() || "。；：，\n ".contains(rest.as_str())
}

fn report(
    para: &nianbao_grammar::Para,
    at: usize,
    c: char,
    pair: &str,
    opener: bool,
    out: &mut Findings,
) {
    let context: String = para.text[at..].chars().take(12).collect();
    // The last ten characters before it (never the whole paragraph: many findings on one line).
    let before: String = {
        let mut chars: Vec<char> = para.text[..at].chars().rev().take(10).collect();
        chars.reverse();
        chars.into_iter().collect()
    };
    let (zh, en) = if opener {
        (
            format!("“{c}”没有对应的闭合符号（{pair}）：“{context}…”"),
            format!("\"{c}\" is never closed ({pair}): \"{context}…\""),
        )
    } else {
        (
            format!("“{c}”前面没有对应的开符号（{pair}）：“…{before}{c}”"),
            format!("\"{c}\" closes a {pair} that was never opened: \"…{before}{c}\""),
        )
    };
    out.push(Diagnostic::new(
        &codes::UNBALANCED_BRACKETS,
        para.span_of(at..at + c.len_utf8()),
        Message::new(zh, en),
    ));
}

/// Words that make a year a reference rather than the date of a statement.
const REFERENCE_WORDS: [&str; 24] = [
    "较",
    "比",
    "同比",
    "上年",
    "去年",
    "上一年",
    "相比",
    "增长",
    "下降",
    "减少",
    "增加",
    "结转",
    "截至",
    "以来",
    "至今",
    "期间",
    "计划",
    "规划",
    "目标",
    "思路",
    "将",
    "预计",
    "延续",
    "分别",
];

/// Statement verbs that open a sentence of the year's figures.
const STATEMENT_VERBS: [&str; 10] = [
    "制作",
    "获取",
    "主动公开",
    "共",
    "收到",
    "受理",
    "办理",
    "全年",
    "公开",
    "发布",
];

/// Where the words NB505 looks for last occur in `text[from..end]`: a suffix of it
/// (a later mention in the same sentence) holds one exactly when its start is at or
/// before that place.
#[derive(Clone, Copy)]
struct SentenceWords {
    end: usize,
    /// Start of the last reference word that ends by `end`.
    last_reference: Option<usize>,
    /// Offset of the last ASCII digit.
    last_digit: Option<usize>,
    /// Offset of the last count unit (`条` `件` `次` `篇` `项`).
    last_unit: Option<usize>,
}

impl SentenceWords {
    fn of(text: &str, from: usize, end: usize) -> Self {
        let sentence = &text[from..end];
        SentenceWords {
            end,
            last_reference: REFERENCE_WORDS
                .iter()
                .filter_map(|w| sentence.rfind(w))
                .max()
                .map(|p| from + p),
            last_digit: sentence
                .rfind(|c: char| c.is_ascii_digit())
                .map(|p| from + p),
            last_unit: sentence
                .rfind(['条', '件', '次', '篇', '项'])
                .map(|p| from + p),
        }
    }
}

/// NB505: a sentence stating the year's figures dated to the year before the report's.
pub fn statement_year(blocks: &[Block], year: Option<i32>, out: &mut Findings) {
    let Some(year) = year else { return };
    let wrong = (year - 1).to_string();
    for block in blocks {
        let Block::Para(para) = block else { continue };
        let text = &para.text;
        // What is known of the sentence of the previous mention: every mention in one
        // sentence shares its end and its words, found once (a paragraph of thousands
        // of mentions and no full stop stays linear).
        let mut known: Option<SentenceWords> = None;
        for (at, _) in text.match_indices(&wrong) {
            let after = at + wrong.len();
            let rest = &text[after..];
            let Some(rest) = rest.trim_start().strip_prefix('年') else {
                continue;
            };
            let sentence_start = text[..at]
                .trim_end()
                .chars()
                .last()
                .is_none_or(|c| "。；！？，\n".contains(c));
            let verb = STATEMENT_VERBS
                .iter()
                .any(|v| rest.trim_start_matches(['，', ' ']).starts_with(v));
            if !sentence_start || !verb {
                continue;
            }
            let words = match known {
                Some(k) if at < k.end => k,
                _ => {
                    let end = rest
                        .find(['。', '；'])
                        .map_or(text.len(), |e| text.len() - rest.len() + e);
                    SentenceWords::of(text, at, end)
                }
            };
            known = Some(words);
            let end = words.end;
            // `text[at..end]` holds a reference word, or lacks a digit or a count unit.
            if words.last_reference.is_some_and(|p| p >= at)
                || !(words.last_digit.is_some_and(|p| p >= at)
                    && words.last_unit.is_some_and(|p| p >= at))
            {
                continue;
            }
            let sentence = &text[at..end];
            let shown: String = sentence.chars().take(24).collect();
            out.push(
                Diagnostic::new(
                    &codes::STATEMENT_YEAR_MISMATCH,
                    para.span_of(at..after + '年'.len_utf8()),
                    Message::new(
                        format!("{year} 年度报告中陈述本年情况的句子写作 {wrong} 年：“{shown}…”"),
                        format!("a statement of the year's figures in the {year} report is dated {wrong}: \"{shown}…\""),
                    ),
                )
                .with_values(year.to_string(), wrong.clone()),
            );
        }
    }
}
