//! Named repairs of conversion artefacts (`quirk_*`), one function each.
//!
//! Converters from PDF and Word leave artefacts in the text: sentences broken by
//! page breaks, page-top lines repeated, page-number lines, tables split across
//! pages, hard wraps. Each repair here acts only on evidence of conversion (a
//! page gap, a page-number line, a wrap), never on the report's own text — a
//! doubled `《《` or `精神精神` inside a paragraph stays — and each one records
//! an `info` diagnostic with the span it touched. The syntax tree is never
//! changed: repairs shape only the logical view ([`crate::logical`]).

use std::ops::Range;

use crate::codes;
use crate::diagnostic::{Diagnostic, Message};
use crate::findings::Findings;
use crate::logical::{Block, Para, ParaKind, Table};
use crate::span::Span;
use crate::syntax;

/// What a scanned block is.
pub(crate) enum ItemKind {
    Blank { lines: usize },
    Comment,
    PageNumber,
    Heading(Para),
    Para(Para),
    Table(Table),
}

/// What lies between an open paragraph and the next one.
#[derive(Default)]
struct Gap {
    blank_lines: usize,
    page_numbers: usize,
    tables: Vec<usize>,
    span: Option<Span>,
}

impl Gap {
    fn extend(&mut self, span: Span) {
        self.span = Some(self.span.map_or(span, |s| s.cover(span)));
    }
}

/// The repairs, run over the scanned blocks as the scanner hands them out (see
/// [`Repairs::push`]): no list of scanned blocks is kept beside the logical
/// document, only the few places a later block may still join.
#[derive(Default)]
pub(crate) struct Repairs {
    out: Vec<Block>,
    /// The paragraph that may continue after a page gap, as an index into `out`.
    open: Option<usize>,
    gap: Gap,
    /// The last table, while only gaps follow it (a continuation may come).
    last_table: Option<usize>,
    table_gap: Gap,
    first_para_seen: usize,
}

impl Repairs {
    /// The next scanned block, in input order.
    pub(crate) fn push(
        &mut self,
        text: &str,
        kind: ItemKind,
        span: Span,
        diagnostics: &mut Findings,
    ) {
        let Repairs {
            out,
            open,
            gap,
            last_table,
            table_gap,
            first_para_seen,
        } = self;
        match kind {
            ItemKind::Blank { lines } => {
                gap.blank_lines += lines;
                table_gap.blank_lines += lines;
                gap.extend(span);
                table_gap.extend(span);
            }
            ItemKind::Comment => {
                *open = None;
                *last_table = None;
            }
            ItemKind::PageNumber => {
                quirk_page_number_line(text, span, diagnostics);
                gap.page_numbers += 1;
                table_gap.page_numbers += 1;
                gap.extend(span);
                table_gap.extend(span);
            }
            ItemKind::Heading(para) => {
                *open = None;
                *last_table = None;
                *gap = Gap::default();
                out.push(Block::Para(para));
                *first_para_seen += 1;
            }
            ItemKind::Table(table) => {
                if let Some(t) = *last_table {
                    if let Some(Block::Table(prev)) = out.get_mut(t) {
                        if quirk_table_continuation(prev, &table, table_gap, diagnostics) {
                            *table_gap = Gap::default();
                            gap.extend(span);
                            return;
                        }
                    }
                }
                gap.tables.push(out.len());
                gap.extend(span);
                *last_table = Some(out.len());
                *table_gap = Gap::default();
                out.push(Block::Table(table));
            }
            ItemKind::Para(para) => {
                *last_table = None;
                *table_gap = Gap::default();
                if let Some(o) = *open {
                    if let Some(Block::Para(prev)) = out.get_mut(o) {
                        match join_decision(prev, &para, gap) {
                            JoinDecision::SkipRepeatedLine => {
                                quirk_page_top_repeat(&para, diagnostics);
                                gap.extend(para.span);
                                return;
                            }
                            JoinDecision::SkipRepeatedChar => {
                                quirk_repeated_character(&para, diagnostics);
                                gap.extend(para.span);
                                return;
                            }
                            JoinDecision::Join => {
                                if gap.tables.is_empty() {
                                    quirk_page_break_join(prev, &para, gap, diagnostics);
                                } else {
                                    quirk_table_inside_sentence(&para, gap, out, diagnostics);
                                }
                                if let Some(Block::Para(prev)) = out.get_mut(o) {
                                    prev.append(separator(prev, &para), para);
                                }
                                *gap = Gap::default();
                                return;
                            }
                            JoinDecision::No => {}
                        }
                    }
                }
                if *first_para_seen == 1 && out.len() == 1 {
                    if let Some(Block::Para(prev)) = out.last_mut() {
                        if quirk_split_title(prev, &para, diagnostics) {
                            prev.append("", para);
                            *first_para_seen += 1;
                            *open = None;
                            *gap = Gap::default();
                            return;
                        }
                    }
                }
                *first_para_seen += 1;
                *gap = Gap::default();
                *open = Some(out.len());
                out.push(Block::Para(para));
            }
        }
    }

    /// The logical document.
    pub(crate) fn finish(self) -> Vec<Block> {
        self.out
    }
}

enum JoinDecision {
    No,
    Join,
    SkipRepeatedLine,
    SkipRepeatedChar,
}

/// Sentence-final punctuation, looked for after closing quotes and brackets.
fn ends_sentence(text: &str) -> bool {
    let trimmed = text.trim_end_matches(|c: char| {
        matches!(
            c,
            '”' | '’' | '）' | ')' | '」' | '』' | '"' | ' ' | '\u{3000}'
        )
    });
    trimmed.chars().last().is_none_or(|c| {
        matches!(
            c,
            '。' | '！' | '？' | '；' | '：' | '.' | '!' | '?' | ';' | ':' | '…'
        )
    })
}

/// True when the text starts with an outline marker of any level or a point marker.
pub(crate) fn starts_with_marker(text: &str) -> bool {
    let t = text.trim_start_matches(syntax::is_space);
    syntax::level1_marker(t).is_ok()
        || syntax::level2_marker(t).is_ok()
        || syntax::level3_marker(t).is_ok()
        || syntax::level4_marker(t).is_ok()
        || syntax::point_marker(t).is_ok()
}

/// Running prose, not a title: it has clause punctuation, or it is long.
fn is_prose(text: &str) -> bool {
    text.contains(['，', '。', '；', ',', ';']) || text.chars().count() >= 40
}

fn join_decision(prev: &Para, next: &Para, gap: &Gap) -> JoinDecision {
    // A page-number line between the halves is proof of a page break; otherwise
    // the first half must read as running prose (a title has no clause punctuation).
    let prose_or_page = gap.page_numbers > 0 || is_prose(&prev.text);
    if prev.kind != ParaKind::Text
        || next.kind != ParaKind::Text
        || ends_sentence(&prev.text)
        || !prose_or_page
    {
        return JoinDecision::No;
    }
    if gap.blank_lines == 0 && gap.page_numbers == 0 && gap.tables.is_empty() {
        return JoinDecision::No;
    }
    let next_text = next.text.trim();
    let next_chars = next_text.chars().count();
    if next_chars == 1 && prev.text.trim_end().ends_with(next_text) {
        return JoinDecision::SkipRepeatedChar;
    }
    if next_chars >= 6 && !next_text.contains('\n') && prev.text.trim_end().ends_with(next_text) {
        return JoinDecision::SkipRepeatedLine;
    }
    if starts_with_marker(next_text)
        || next.bold().next().is_some_and(|b| b.start == 0)
        || next_text.starts_with("附件")
    {
        return JoinDecision::No;
    }
    JoinDecision::Join
}

/// Between Latin words a join needs a space; Chinese joins without one.
fn separator(prev: &Para, next: &Para) -> &'static str {
    let a = prev
        .text
        .chars()
        .last()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    let b = next
        .text
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    if a && b {
        " "
    } else {
        ""
    }
}

/// A sentence broken by a page break: `…全面推进政` / blank lines / `务公开若干…`.
///
/// Evidence: the first half is running prose that does not end a sentence, the
/// second half opens with no outline marker, and only blank lines or a page-number
/// line lie between. A character lost at the break (`安全生` / `许可证`) is not
/// invented: the halves are joined as they are.
fn quirk_page_break_join(prev: &Para, next: &Para, _gap: &Gap, diagnostics: &mut Findings) {
    let tail: String = tail_chars(&prev.text, 6);
    let head: String = next.text.chars().take(6).collect();
    diagnostics.push(
        Diagnostic::new(
            &codes::PAGE_BREAK_JOIN,
            first_char(next),
            Message::new(
                format!("被分页断开的句子已接合：“…{tail}” + “{head}…”"),
                format!("a sentence split by a page break was joined: \"…{tail}\" + \"{head}…\""),
            ),
        )
        .with_related(
            last_char(prev),
            Message::new("上半句在此结束", "the first half ends here"),
        ),
    );
}

/// The span of the first character of a paragraph's text.
fn first_char(para: &Para) -> Span {
    let n = para.text.chars().next().map_or(0, char::len_utf8);
    para.span_of(0..n)
}

/// The span of the last character of a paragraph's text.
fn last_char(para: &Para) -> Span {
    let n = para.text.chars().last().map_or(0, char::len_utf8);
    para.span_of(para.text.len() - n..para.text.len())
}

/// The last `n` characters of `text` (read from the end: a long paragraph is not walked).
fn tail_chars(text: &str, n: usize) -> String {
    let start = text
        .char_indices()
        .rev()
        .take(n)
        .last()
        .map_or(text.len(), |(i, _)| i);
    text[start..].to_string()
}

/// A page's last line repeated at the top of the next page: the repeated line is
/// skipped and the sentence continues on the paragraph after it.
fn quirk_page_top_repeat(repeated: &Para, diagnostics: &mut Findings) {
    let head: String = repeated.text.chars().take(12).collect();
    diagnostics.push(Diagnostic::new(
        &codes::PAGE_TOP_REPEAT,
        repeated.span,
        Message::new(
            format!("页首重复上一页末行的文字已略去：“{head}…”"),
            format!(
                "a page-top line repeating the previous page's last line was skipped: \"{head}…\""
            ),
        ),
    ));
}

/// A single character repeated across a page break (`编` / `编` / `制并公布`).
fn quirk_repeated_character(repeated: &Para, diagnostics: &mut Findings) {
    diagnostics.push(Diagnostic::new(
        &codes::REPEATED_CHARACTER,
        repeated.span,
        Message::new(
            format!("跨页重复的单个字符“{}”已略去", repeated.text.trim()),
            format!(
                "the character \"{}\" repeated across a page break was skipped",
                repeated.text.trim()
            ),
        ),
    ));
}

/// A table inserted in the middle of a sentence: the paragraph continues after it.
fn quirk_table_inside_sentence(next: &Para, gap: &Gap, out: &[Block], diagnostics: &mut Findings) {
    if let Some(Block::Table(table)) = gap.tables.first().and_then(|&i| out.get(i)) {
        let first = table.parts.first().copied().unwrap_or_default();
        diagnostics.push(
            Diagnostic::new(
                &codes::TABLE_INSIDE_SENTENCE,
                first_char(next),
                Message::new(
                    "表格插在句子中间：表格前后的文字已接合为一个段落",
                    "a table sits in the middle of a sentence: the text before and after it was joined into one paragraph",
                ),
            )
            .with_related(Span::new(first.start, first.start + 1), Message::new("插入的表格", "the inserted table")),
        );
    }
}

/// A page-number line (`- 1 -`) between two pages: not report text.
fn quirk_page_number_line(text: &str, span: Span, diagnostics: &mut Findings) {
    let line = text.get(span.start..span.end).unwrap_or("").trim();
    diagnostics.push(Diagnostic::new(
        &codes::PAGE_NUMBER_LINE,
        span,
        Message::new(
            format!("页码行“{line}”已略去"),
            format!("the page-number line \"{line}\" was skipped"),
        ),
    ));
}

/// A table split across pages: the continuation is appended to the table before it.
///
/// Evidence, with only blank lines or page-number lines between the two parts:
/// a pipe continuation whose header row is empty (`|   |    |     |`); an HTML
/// continuation after a page-number line, or one opening with empty cells
/// (rowspans continued from the previous page), or following a part whose last
/// row is a caption cell with no data.
fn quirk_table_continuation(
    prev: &mut Table,
    next: &Table,
    gap: &Gap,
    diagnostics: &mut Findings,
) -> bool {
    if !gap.tables.is_empty() || prev.kind != next.kind {
        return false;
    }
    let empty_header = next.row_count() > 0
        && next.row(0).all(|c| {
            c.and_then(|i| next.cell(i))
                .is_none_or(|cell| cell.text.trim().is_empty())
        });
    let evidence = match next.kind {
        crate::logical::TableKind::Pipe => empty_header,
        crate::logical::TableKind::Html => {
            let opens_with_empty = next.cell_at(0, 0).is_some_and(|c| c.text.trim().is_empty());
            let prev_ends_with_caption = prev.row_count() > 0 && {
                let distinct: std::collections::BTreeSet<usize> =
                    prev.row(prev.row_count() - 1).flatten().collect();
                distinct.len() == 1
            };
            gap.page_numbers > 0 || opens_with_empty || prev_ends_with_caption
        }
        // Plain-text tables carry no header marks: a page gap (two or more blank
        // lines, or a page number) before a part of the same width is the evidence.
        crate::logical::TableKind::Text => {
            (gap.blank_lines >= 2 || gap.page_numbers > 0) && prev.width() == next.width()
        }
    };
    if !evidence {
        return false;
    }
    let skip_header = next.kind == crate::logical::TableKind::Pipe && empty_header;
    prev.append_rows(next, usize::from(skip_header));
    diagnostics.push(Diagnostic::new(
        &codes::TABLE_CONTINUATION,
        next.span(),
        Message::new(
            format!(
                "跨页的表格续表已并入上一部分（第 {} 部分）",
                prev.parts.len()
            ),
            format!(
                "a table continued on the next page was merged into the part before it (part {})",
                prev.parts.len()
            ),
        ),
    ));
    true
}

/// A title split over two paragraphs at the top of the report
/// (`平潭综合实验区2018年度` / `政府信息公开工作年度报告`).
fn quirk_split_title(first: &Para, second: &Para, diagnostics: &mut Findings) -> bool {
    let a = first.text.trim();
    let b = second.text.trim();
    let short = |s: &str| s.chars().count() <= 40;
    let joins = first.kind == ParaKind::Text
        && second.kind == ParaKind::Text
        && short(a)
        && short(b)
        && !a.contains("报告")
        && b.ends_with("报告")
        && !ends_sentence(a)
        && !a.contains(['，', '。']);
    if joins {
        diagnostics.push(Diagnostic::new(
            &codes::SPLIT_TITLE,
            first.span.cover(second.span),
            Message::new(
                format!("分成两段的标题已合并：“{a}{b}”"),
                format!("a title split over two paragraphs was joined: \"{a}{b}\""),
            ),
        ));
    }
    joins
}

/// Every line of a PDF page hard-wrapped at a fixed width (the 淮安 report):
/// recorded once per paragraph whose full lines have the same display width.
pub(crate) fn hard_wrap(
    text: &str,
    lines: impl Iterator<Item = Range<usize>>,
    para: &Para,
    diagnostics: &mut Findings,
) {
    // Fixed-width wraps fill every line but the last to (nearly) the same width:
    // the widths of the lines before the last, measured as the next line comes.
    let (mut count, mut max, mut min) = (0usize, 0usize, usize::MAX);
    let mut previous: Option<Range<usize>> = None;
    for line in lines {
        count += 1;
        if let Some(full) = previous.replace(line) {
            let width = display_width(&text[full]);
            max = max.max(width);
            min = min.min(width);
        }
    }
    if count < 2 {
        return;
    }
    if max >= 40 && min * 5 >= max * 4 {
        diagnostics.push(Diagnostic::new(
            &codes::HARD_WRAP,
            para.span,
            Message::new(
                format!("PDF 固定宽度换行（{count} 行）已接合为一段"),
                format!("fixed-width PDF wraps ({count} lines) were joined into one paragraph"),
            ),
        ));
    }
}

/// Display width: CJK and full-width characters count two columns.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if (c as u32) >= 0x1100 && !matches!(c as u32, 0x2000..=0x206F) {
                2
            } else {
                1
            }
        })
        .sum()
}

/// Full-width and half-width forms mixed (`(一)` and `（一）`): matching reads a
/// normalized view ([`crate::logical::normalize`]); the source stays as written.
/// Recorded once per input, at the first half-width bracket of the report text.
pub(crate) fn mixed_widths(blocks: &[Block], diagnostics: &mut Findings) {
    let mut full = 0;
    let mut half = 0;
    let mut first_half: Option<Span> = None;
    for block in blocks {
        let Block::Para(para) = block else { continue };
        full += para.text.matches('（').count();
        let count = para.text.matches('(').count();
        half += count;
        if count > 0 && first_half.is_none() {
            if let Some(at) = para.text.find('(') {
                first_half = Some(para.span_of(at..at + 1));
            }
        }
    }
    if let (true, Some(span)) = (full > 0, first_half) {
        diagnostics.push(Diagnostic::new(
            &codes::MIXED_WIDTHS,
            span,
            Message::new(
                format!("全角括号“（”{full} 处与半角括号“(”{half} 处混用；比对时统一宽度，原文不变"),
                format!("full-width （ ({full}) and half-width ( ({half}) are mixed; matching normalizes widths, the source stays as written"),
            ),
        ));
    }
}

/// A plain-text dump whose table cells run together (`规章000行政规范性文件77132470`):
/// the values cannot be told apart, so they are not guessed; the place is named.
pub(crate) fn run_together_tables(blocks: &[Block], diagnostics: &mut Findings) {
    // The header of each template's tables, as a dump writes it in a row: cells run
    // together (`本年制发件数本年废止件数`) or spaced, even inside a cell
    // (`指 标 名 称`, `计量 单位`). A table header inside a paragraph is a table
    // flattened into text, whatever the spacing.
    const HEADERS: [&str; 7] = [
        "本年制发件数本年废止件数",
        "本年新制作数量本年新公开数量",
        "自然人法人或其他组织",
        "结果维持结果纠正其他结果",
        "统计指标单位统计数",
        // The 2008-era tables (`指标名称 计量单位 2011年度 历年累计`, `指标名称 单位 数量`).
        "指标名称计量单位",
        "指标名称单位",
    ];
    // The headers' first characters.
    const FIRST_CHARS: [&str; 5] = ["本", "自", "结", "统", "指"];
    for block in blocks {
        let Block::Para(para) = block else { continue };
        let text = para.text.as_str();
        // One finding per table: the first place its header is. One pass over the
        // paragraph for all the headers.
        let mut found: [Option<(usize, usize)>; HEADERS.len()] = [None; HEADERS.len()];
        let mut left = HEADERS.len();
        let bytes = text.as_bytes();
        let mut at = 0;
        while left > 0 && at + 3 <= bytes.len() {
            // The first characters are three bytes long, led by `E6`…`E8` (which
            // only ever lead a character): other bytes are passed one by one.
            if !(0xE6..=0xE8).contains(&bytes[at]) {
                at += 1;
                continue;
            }
            let c = &text[at..at + 3];
            if !FIRST_CHARS.contains(&c) {
                at += 3;
                continue;
            }
            for (header, slot) in HEADERS.iter().zip(found.iter_mut()) {
                if slot.is_none() && header.starts_with(c) {
                    if let Some(end) = spaced_match(text, at, header) {
                        *slot = Some((at, end));
                        left -= 1;
                    }
                }
            }
            at += 3;
        }
        for (start, end) in found.into_iter().flatten() {
            let shown = &text[start..end];
            diagnostics.push(Diagnostic::new(
                &codes::TABLES_UNREADABLE,
                para.span_of(start..end),
                Message::new(
                    format!("表格单元格连在一起（“{shown}…”），无法可靠读出表格数值，未作猜测"),
                    format!("table cells run together (\"{shown}…\"): the values cannot be read reliably and are not guessed"),
                ),
            ));
        }
    }
}

/// Where `pattern` ends when it is written at `at` in `text` with spaces anywhere
/// between its characters (none before its first); `None` when it is not.
fn spaced_match(text: &str, at: usize, pattern: &str) -> Option<usize> {
    let mut chars = text[at..].char_indices();
    let mut end = at;
    for want in pattern.chars() {
        loop {
            let (i, c) = chars.next()?;
            if c == want {
                end = at + i + c.len_utf8();
                break;
            }
            if !syntax::is_space(c) || i == 0 {
                return None;
            }
        }
    }
    Some(end)
}

/// The six section headings of the national formats (国办公开办函〔2019〕60号 and
/// 〔2021〕30号) and their common variants. A plain-text dump runs them into the
/// text around them; knowing them is the only way to find where they end.
pub(crate) const NATIONAL_HEADINGS: [&str; 9] = [
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "政府信息公开行政复议、行政诉讼情况",
    "因政府信息公开工作被申请行政复议提起行政诉讼情况",
    "存在的主要问题及改进情况",
    "政府信息公开工作存在的主要问题及改进情况",
    "其他需要报告的事项",
    "概述",
];

/// A plain-text dump with the whole body on one line (`pingtan-2023.page.txt`):
/// `…问责。 二、主动公开政府信息情况第二十条…`. The paragraph is split where a
/// section number starts after a sentence end or a space, or where a level-1
/// number is followed by a national heading (even right after a table's
/// run-together digits). Only a paragraph of one line longer than 1,500 bytes
/// with at least three such places is touched.
pub(crate) fn quirk_one_line_dump(blocks: Vec<Block>, diagnostics: &mut Findings) -> Vec<Block> {
    // Almost always nothing to split: then the blocks are kept, not copied.
    let splits_any = blocks.iter().any(|b| match b {
        Block::Para(para) => {
            para.kind == ParaKind::Text
                && para.text.len() >= 1500
                && !para.text.contains('\n')
                && dump_splits(para).len() >= 3
        }
        Block::Table(_) => false,
    });
    if !splits_any {
        return blocks;
    }
    let mut out = Vec::with_capacity(blocks.len());
    for block in blocks {
        let Block::Para(para) = block else {
            out.push(block);
            continue;
        };
        // The cheap tests first: only a long one-line text paragraph can be a dump.
        if para.kind != ParaKind::Text || para.text.len() < 1500 || para.text.contains('\n') {
            out.push(Block::Para(para));
            continue;
        }
        let splits = dump_splits(&para);
        if splits.len() < 3 {
            out.push(Block::Para(para));
            continue;
        }
        diagnostics.push(Diagnostic::new(
            &codes::RUN_TOGETHER_PARAGRAPHS,
            para.span_of(splits[0]..splits[0] + para.text[splits[0]..].chars().next().map_or(0, char::len_utf8)),
            Message::new(
                format!("整篇挤在一行的纯文本已按章节编号拆分为 {} 段", splits.len() + 1),
                format!("a one-line plain-text dump was split into {} paragraphs at its section numbers", splits.len() + 1),
            ),
        ));
        let mut from = 0;
        for at in splits.into_iter().chain(std::iter::once(para.text.len())) {
            let piece = para.text[from..at].trim_matches(syntax::is_space);
            if !piece.is_empty() {
                let lead = para.text[from..at].len()
                    - para.text[from..at]
                        .trim_start_matches(syntax::is_space)
                        .len();
                let start = from + lead;
                out.push(Block::Para(para.slice(start..start + piece.len())));
            }
            from = at;
        }
    }
    out
}

/// How the section headings of the national formats begin, in the wordings real
/// reports use (`五、存在的主要问题及明年工作计划`, `四、政府信息公开行政复议与行政
/// 诉讼情况`), and the 2008-era provincial `需要说明的事项与附表`: a level-1 number
/// followed by one of them is a section even where a dump runs it into a table's
/// digits or a signature's date. No row of the statistics tables begins so.
const HEADING_STEMS: [&str; 10] = [
    "总体情况",
    "概述",
    "主动公开政府信息",
    "收到和处理政府信息公开申请",
    "政府信息公开行政复议",
    "因政府信息公开工作被申请行政复议",
    "存在的主要问题",
    "政府信息公开工作存在的主要问题",
    "其他需要报告的事项",
    "需要说明的事项",
];

/// How the rows of the national application table that carry a level-1 number begin.
const TABLE_ROW_STEMS: [&str; 4] = ["本年新收", "上年结转", "本年度办理结果", "结转下年度"];

fn dump_splits(para: &Para) -> Vec<usize> {
    let text = &para.text;
    let mut splits = Vec::new();
    let mut prev: Option<char> = None;
    let mut before_space: Option<char> = None;
    // Where the text after the last level-1 split starts, while it may still be
    // that section's heading (short, no punctuation): `二、政府信息主动公开情况（一）…`.
    let mut heading_from: Option<usize> = None;
    let mut last_level1: Option<u32> = None;
    for (i, c) in text.char_indices() {
        // A sentence end, or a colon that introduces the sections (`报告如下：一、…`).
        let boundary = |c: Option<char>| matches!(c, Some('。' | '！' | '？' | '；' | '：'));
        let after_sentence =
            boundary(prev) || (prev.is_some_and(syntax::is_space) && boundary(before_space));
        if prev.is_some_and(|p| !syntax::is_space(p)) {
            before_space = prev;
        }
        prev = Some(c);
        if let Some(from) = heading_from {
            if i >= from
                && (i - from > 150 || matches!(c, '。' | '，' | '；' | '：' | ',' | ';' | ':'))
            {
                heading_from = None;
            }
        }
        if i == 0 || !(syntax::is_cn_numeral(c) || c == '（' || c == '(') {
            continue;
        }
        let rest = &text[i..];
        if let Ok((after, marker)) = syntax::level1_marker(rest) {
            // After a flattened table's digits, the next section number in sequence
            // (`…继续办理0000000四、政府信息公开行政法复议…`, `…000五、信息处理费…`),
            // unless a row of the table goes on (`三、本年度办理结果…0000四、结转下年度`).
            let number = outline_number(marker);
            let in_sequence = before_space.is_some_and(|b| b.is_ascii_digit())
                && number.is_some()
                && number == last_level1.map(|l| l + 1)
                && !TABLE_ROW_STEMS.iter().any(|r| after.starts_with(r));
            if after_sentence || in_sequence || HEADING_STEMS.iter().any(|h| after.starts_with(h)) {
                splits.push(i);
                heading_from = Some(rest.len() - after.len() + i);
                last_level1 = number;
            }
        } else if let Ok((after, marker)) = syntax::level2_marker(rest) {
            // The first sub-section right after its section's heading starts a paragraph
            // too; a citation (`第二十条第（一）项`) does not.
            let citation = before_space == Some('第') || after.starts_with(['项', '款', '条']);
            let first = outline_number(marker) == Some(1) && !citation;
            if after_sentence || (first && heading_from.is_some_and(|from| from < i)) {
                splits.push(i);
                heading_from = None;
            }
        }
    }
    splits
}

/// The value of a Chinese-numeral marker (`（一）` → 1).
fn outline_number(marker: &str) -> Option<u32> {
    let inner: String = marker
        .chars()
        .filter(|c| syntax::is_cn_numeral(*c))
        .collect();
    syntax::cn_numeral_value(&inner)
}

#[cfg(test)]
mod tests {
    use crate::{parse, Block};

    fn paras(input: &str) -> Vec<String> {
        parse(input.as_bytes())
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Para(p) => Some(p.text.to_string()),
                Block::Table(_) => None,
            })
            .collect()
    }

    #[test]
    fn a_one_line_dump_is_split_at_the_sections_real_reports_write() {
        let filler =
            "本机关认真贯彻落实条例要求，持续推进政务公开工作，公开质量稳步提升。".repeat(12);
        let input = format!(
            "现将报告如下：一、总体情况{filler}二、政府信息主动公开情况（一） 公开形式 {filler}（二）公开内容{filler}\
             第二十条第（一）项信息内容 本年制发件数 本年废止件数 现行有效件数 规章000{filler}三、收到和处理政府信息公开申请情况\
             三、本年度办理结果000四、结转下年度继续办理0000000\
             四、政府信息公开行政法复议、行政诉讼情况行政复议000五、信息处理费收取情况000{filler}\
             二○一二年二月十七日 七、需要说明的事项与附表指 标 名 称单位数量"
        );
        let paras = paras(&input);
        let starts: Vec<String> = paras.iter().map(|p| p.chars().take(6).collect()).collect();
        // After a colon; the first sub-section after its heading; a section number
        // in sequence after a table's digits, also under a wording of its own.
        for want in [
            "一、总体情况",
            "（一） 公开",
            "（二）公开内",
            "四、政府信息",
            "五、信息处理",
            "七、需要说明",
        ] {
            assert!(
                starts.iter().any(|s| s == want),
                "{want} not split: {starts:?}"
            );
        }
        // Not a citation (`第（一）项`), nor a table row that goes on (`四、结转下年度`).
        assert!(
            !starts.iter().any(|s| s.starts_with("（一）项")),
            "{starts:?}"
        );
        assert!(
            !starts.iter().any(|s| s.starts_with("四、结转")),
            "{starts:?}"
        );
        assert!(
            codes(&input).contains(&"NB004"),
            "the flattened table is named"
        );
    }

    fn codes(input: &str) -> Vec<&'static str> {
        parse(input.as_bytes())
            .diagnostics
            .iter()
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn quirk_page_break_join_joins_halves_of_a_sentence() {
        let input = "全市各级行政机关紧紧围绕重大决策部署，深入贯彻落实《自治区人民政府办公厅关于印发全面推进政\n\n\n\n务公开若干重点工作实施方案的通知》。\n";
        assert_eq!(paras(input), vec!["全市各级行政机关紧紧围绕重大决策部署，深入贯彻落实《自治区人民政府办公厅关于印发全面推进政务公开若干重点工作实施方案的通知》。"]);
        assert!(codes(input).contains(&"NB010"));
    }

    #[test]
    fn quirk_page_break_join_does_not_invent_a_lost_character() {
        let input = "危险化学品企业，安全生\n\n\n\n许可证延期换证 4 件。\n";
        assert_eq!(
            paras(input),
            vec!["危险化学品企业，安全生许可证延期换证 4 件。"]
        );
    }

    #[test]
    fn quirk_page_break_join_leaves_headings_and_finished_sentences() {
        let input = "一、总体情况\n\n2024 年，我市坚持以习近平新时代中国特色社会主义思想为指导。\n\n（一）主动公开情况。\n";
        assert_eq!(paras(input).len(), 3);
        assert!(!codes(input).contains(&"NB010"));
    }

    #[test]
    fn quirk_page_top_repeat_skips_the_repeated_line() {
        let input = "对政务公开工作进行全面安排部署。坚持将政务公开工作纳入对各县（区）\n\n\n\n开工作纳入对各县（区）\n\n人民政府和中卫市政府各部门行政效能目标管理考核的重要内容，及时安排。\n";
        assert_eq!(paras(input), vec!["对政务公开工作进行全面安排部署。坚持将政务公开工作纳入对各县（区）人民政府和中卫市政府各部门行政效能目标管理考核的重要内容，及时安排。"]);
        assert!(codes(input).contains(&"NB011"));
    }

    #[test]
    fn quirk_repeated_character_skips_the_repeat() {
        let input = "二是在政府网站集中展示收费目录清单，编\n\n\n\n编\n\n\n\n制并公布涉企收费。\n";
        assert_eq!(
            paras(input),
            vec!["二是在政府网站集中展示收费目录清单，编制并公布涉企收费。"]
        );
        assert!(codes(input).contains(&"NB012"));
    }

    #[test]
    fn report_text_doubling_stays() {
        let input = "认真学习贯彻党的十九大精神精神，《《福建省办法》》规定。\n";
        assert_eq!(
            paras(input),
            vec!["认真学习贯彻党的十九大精神精神，《《福建省办法》》规定。"]
        );
    }

    #[test]
    fn quirk_table_inside_sentence_continues_the_paragraph() {
        let input = "制定印发《通知》，对涉及面广、社会关注度高或\n\n| 索引号 | 标题 |\n|---|---|\n| WS01012/2018-01812 | 解读 |\n\n专业性较强的重要政策性文件进行解读。\n";
        let parsed = parse(input.as_bytes());
        assert_eq!(
            paras(input),
            vec![
                "制定印发《通知》，对涉及面广、社会关注度高或专业性较强的重要政策性文件进行解读。"
            ]
        );
        assert!(parsed.blocks.iter().any(|b| matches!(b, Block::Table(_))));
        assert!(codes(input).contains(&"NB013"));
    }

    #[test]
    fn quirk_table_continuation_merges_pipe_parts() {
        let input = "| 统计指标 | 单位 | 统计数 |\n|---|---|---|\n| （一）收到申请数 | 件 | 43 |\n\n\n\n|   |   |   |\n|---|---|---|\n| 1. 当面申请数 | 件 | 33 |\n";
        let parsed = parse(input.as_bytes());
        let tables: Vec<_> = parsed
            .blocks
            .iter()
            .filter_map(|b| {
                if let Block::Table(t) = b {
                    Some(t)
                } else {
                    None
                }
            })
            .collect();
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].row_count(), 3);
        assert_eq!(tables[0].cell_at(2, 2).map(|c| c.text), Some("33"));
        assert!(codes(input).contains(&"NB014"));
    }

    #[test]
    fn quirk_page_number_line_is_skipped_and_joins() {
        let input = "组织召开了“建设‘四最’一流\n\n- 1 -\n\n营商环境高质量推进产业发展”等新闻发布会 12 场。\n";
        assert_eq!(
            paras(input),
            vec!["组织召开了“建设‘四最’一流营商环境高质量推进产业发展”等新闻发布会 12 场。"]
        );
        let c = codes(input);
        assert!(c.contains(&"NB015") && c.contains(&"NB010"));
    }

    #[test]
    fn quirk_hard_wrap_joins_fixed_width_lines() {
        let input = "本报告由淮安市人民政府办公室根据《中华人民共和国政府\n信息公开条例》（国令第 711 号）（以下简称《条例》）规定编\n制。报告所列统计期限自 2024 年 1 月 1 日至 2024 年 12 月 31 日。\n";
        let p = paras(input);
        assert_eq!(p.len(), 1);
        assert!(p[0].contains("中华人民共和国政府信息公开条例"));
        assert!(codes(input).contains(&"NB016"));
    }

    #[test]
    fn quirk_hard_line_break_joins() {
        let input = "对宁夏中乾农业科技有  \n限公司组织实施的项目进行村级公示。\n";
        assert_eq!(
            paras(input),
            vec!["对宁夏中乾农业科技有限公司组织实施的项目进行村级公示。"]
        );
        assert!(codes(input).contains(&"NB017"));
    }

    #[test]
    fn quirk_entity_and_fullwidth_at() {
        let input = "&nbsp;四、其他需要报告的事项\n\n电子邮箱：ptzwgk＠163.com。\n";
        assert_eq!(
            paras(input),
            vec!["四、其他需要报告的事项", "电子邮箱：ptzwgk@163.com。"]
        );
        assert_eq!(codes(input).iter().filter(|c| **c == "NB018").count(), 2);
    }

    #[test]
    fn quirk_split_title_joins() {
        let input = "平潭综合实验区2018年度\n\n政府信息公开工作年度报告\n\n根据《条例》规定，编制本报告。\n";
        assert_eq!(
            paras(input)[0],
            "平潭综合实验区2018年度政府信息公开工作年度报告"
        );
        assert!(codes(input).contains(&"NB019"));
    }

    #[test]
    fn quirk_converter_escape_is_undone() {
        let input = "电子邮箱: [nx\\\\_zws@163.com](mailto:nx_zws@163.com)。\n";
        assert_eq!(paras(input), vec!["电子邮箱: nx_zws@163.com。"]);
        assert!(codes(input).contains(&"NB020"));
    }

    #[test]
    fn quirk_mixed_widths_is_recorded_once() {
        let input = "(一)加强组织领导。\n\n（二）完善制度。\n\n（三）开展解读。\n";
        assert_eq!(codes(input).iter().filter(|c| **c == "NB021").count(), 1);
        assert_eq!(parse(input.as_bytes()).outline.len(), 3);
    }
}

#[cfg(test)]
mod comment_tests {
    use crate::{parse, Block};

    #[test]
    fn comments_are_markup_not_text_nor_cells_nor_table_breaks() {
        let input = "| 统计指标 | 单位 | 统计数 |\n|---|---|---|\n<!-- nianbao: ignore NB201 -->\n| （一）收到申请数 | 件 | 43 | <!-- a note -->\n| 1. 当面申请数 | 件 | 33 |\n\n收到申请 43 件。<!-- nianbao: ignore NB301 -->\n";
        let parsed = parse(input.as_bytes());
        let tables: Vec<_> = parsed
            .blocks
            .iter()
            .filter_map(|b| {
                if let Block::Table(t) = b {
                    Some(t)
                } else {
                    None
                }
            })
            .collect();
        assert_eq!(tables.len(), 1, "a comment line does not cut the table");
        assert_eq!(tables[0].row_count(), 3);
        assert_eq!(
            tables[0].row(1).count(),
            3,
            "a comment after the last bar is no cell"
        );
        let texts: Vec<&str> = parsed
            .blocks
            .iter()
            .filter_map(|b| {
                if let Block::Para(p) = b {
                    Some(p.text.as_str())
                } else {
                    None
                }
            })
            .collect();
        assert_eq!(texts, vec!["收到申请 43 件。"]);
        assert_eq!(parsed.tree_text(), input.as_bytes());
    }

    #[test]
    fn unclosed_comment_openers_on_one_line_are_text_and_linear() {
        let input = "<!--".repeat(20_000);
        let parsed = parse(format!("正文{input}").as_bytes());
        assert_eq!(parsed.tree_text().len(), input.len() + "正文".len());
    }
}

#[cfg(test)]
mod html_continuation_tests {
    use crate::{parse, Block};

    fn tables(input: &str) -> Vec<crate::Table> {
        parse(input.as_bytes())
            .blocks
            .into_iter()
            .filter_map(|b| {
                if let Block::Table(t) = b {
                    Some(t)
                } else {
                    None
                }
            })
            .collect()
    }

    #[test]
    fn quirk_table_continuation_merges_html_parts_after_a_page_number() {
        // The 淮安 shape: a caption on one page, its data on the next, and a row
        // label split across the break (`（四）无` / `法提供`) in empty rowspan cells.
        // (A Markdown file: one that opens with `<table>` would be an HTML body.)
        let input = "# 淮安市2024年政府信息公开工作年度报告\n\n<table>\n<tr><td>信息内容</td><td>本年制发件数</td></tr>\n<tr><td>规章</td><td>1</td></tr>\n<tr><td colspan=\"2\">第二十条 第（六）项</td></tr>\n</table>\n\n- 3 -\n\n<table>\n<tr><td rowspan=\"2\"></td><td>行政处罚</td></tr>\n<tr><td>3985758</td></tr>\n</table>\n";
        let t = tables(input);
        assert_eq!(t.len(), 1, "one logical table across the page break");
        assert_eq!(t[0].parts.len(), 2);
        assert_eq!(t[0].row_count(), 5);
        assert_eq!(
            t[0].cell_at(2, 0).map(|c| c.text),
            Some("第二十条 第（六）项")
        );
        assert_eq!(t[0].cell_at(3, 1).map(|c| c.text), Some("行政处罚"));
        assert_eq!(
            t[0].cell_at(4, 0).map(|c| c.text),
            Some(""),
            "the empty rowspan continues"
        );
        assert!(parse(input.as_bytes())
            .diagnostics
            .iter()
            .any(|d| d.code == "NB014"));
    }

    #[test]
    fn two_html_tables_under_different_headings_stay_apart() {
        let input = "<table>\n<tr><td>a</td><td>1</td></tr>\n</table>\n\n三、收到和处理政府信息公开申请情况\n\n<table>\n<tr><td>b</td><td>2</td></tr>\n</table>\n";
        assert_eq!(tables(input).len(), 2);
    }
}
