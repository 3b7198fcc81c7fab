//! A checked report as a reader sees it, rendered on the server: paragraphs as
//! text, tables as tables (merged cells included), each finding highlighted
//! where it is (the offending text or cell filled, its related places outlined);
//! beside it the summary, the severity filter, the findings grouped by section
//! of the report and the rule documentation the detail panel shows. A "source"
//! toggle shows the decoded input with the same highlights.
//!
//! A Word draft is shown as the text read out of it: its paragraphs and tables
//! (the check reads that text), each finding placed by paragraph or cell
//! (`第 6 段`, `表三 第 5 行 第 2 列`) instead of a line of a file; the source
//! toggle shows that text as the check read it.
//!
//! The server decodes the bytes (GB18030, UTF-16…), so the browser never
//! guesses an encoding. Every piece of report text goes through [`escape`]:
//! the page builds no element from the report's markup.
//!
//! Every word of the page is written in both languages (`<span class="zh">` and
//! `<span class="en">`); the stylesheet shows the chosen one.

use std::collections::BTreeSet;
use std::fmt::Write;
use std::ops::Range;

use nianbao_model::grammar::outline::Section;
use nianbao_model::grammar::{Block, Diagnostic, Para, ParaKind, Parsed, Severity, Table};
use nianbao_model::output::{Location, Summary};
use nianbao_model::CheckedReport;

use crate::ruledoc;
use crate::web::{escape, t};

/// A highlight that spans more blocks than this is not drawn (a finding about
/// the whole document): the list still has it.
const MAX_BLOCKS_PER_MARK: usize = 30;

/// One place to highlight: a finding's primary span or one of its related spans,
/// in the original bytes.
struct Mark {
    span: Range<usize>,
    finding: usize,
    related: bool,
}

fn severity_rank(s: Severity) -> u8 {
    match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

/// The severity in words, both languages.
pub fn severity_words(s: Severity) -> String {
    match s {
        Severity::Error => t("错误", "error"),
        Severity::Warning => t("警告", "warning"),
        Severity::Info => t("提示", "info"),
    }
}

/// `错误 0 · 警告 2 · 提示 53`, both languages.
pub fn summary_words(s: &Summary) -> String {
    t(
        &format!("错误 {} · 警告 {} · 提示 {}", s.error, s.warning, s.info),
        &format!(
            "errors {} · warnings {} · info {}",
            s.error, s.warning, s.info
        ),
    )
}

/// The report view: `title` is the report's name, as HTML (escaped by the caller).
pub fn report(checked: &CheckedReport, title: &str) -> String {
    let parsed = &checked.parsed;
    let diags = &checked.diagnostics;
    let blocks = &parsed.blocks;
    let marks = marks(checked);
    let per_block = marks_per_block(blocks, &marks);
    let summary = Summary::of(diags);

    let mut out = String::with_capacity(parsed.text.len() * 2 + 4096);
    out.push_str("<div id=\"view\" class=\"hide-info\">");
    let _ = write!(
        out,
        "<div class=\"bar\"><h1 id=\"name\">{}</h1><p id=\"summary\">{}</p>\
         <p id=\"filter\">{} <label><input type=\"checkbox\" value=\"error\" checked> {}</label>\
         <label><input type=\"checkbox\" value=\"warning\" checked> {}</label>\
         <label><input type=\"checkbox\" value=\"info\"> {}</label>\
         <button type=\"button\" id=\"toggle-source\">{}</button></p></div>",
        title,
        summary_words(&summary),
        t("显示：", "Show:"),
        t("错误", "errors"),
        t("警告", "warnings"),
        t("提示", "info"),
        t("原文 / 阅读视图", "source / reading view"),
    );
    if checked.docx.is_some() {
        let _ = write!(
            out,
            "<p id=\"word-draft\" class=\"note\">{}</p>",
            t(
                "Word 文档：以下是从文档中读出的段落和表格（修订按全部接受），问题按段落或表格单元格标出位置。",
                "A Word document: below are the paragraphs and tables read out of it (tracked changes as accepted); each finding names its paragraph or table cell."
            )
        );
    }
    out.push_str("<div class=\"panes\"><div class=\"doc\"><article id=\"article\">");
    for (i, block) in blocks.iter().enumerate() {
        match block {
            Block::Para(p) => para(&mut out, parsed, p, &per_block[i], &marks, diags),
            Block::Table(tb) => table(&mut out, tb, &per_block[i], &marks, diags),
        }
    }
    if blocks.is_empty() {
        let _ = write!(
            out,
            "<p class=\"empty\">{}</p>",
            t("（没有可显示的正文）", "(no text to show)")
        );
    }
    // A newline right after `<pre>` is dropped by the HTML parser: this one stands for none.
    out.push_str("</article><pre id=\"source\" hidden>\n");
    source(&mut out, parsed, &marks, diags);
    out.push_str("</pre></div><aside>");
    let _ = write!(
        out,
        "<div id=\"detail\">{}</div>",
        t(
            "点击高亮处或列表中的问题查看说明。",
            "Click a highlight or a finding in the list to read about it."
        )
    );
    findings_list(&mut out, checked);
    out.push_str("</aside></div>");
    rule_docs(&mut out, diags);
    out.push_str("</div>");
    out
}

/// The marks of every finding, on character boundaries, each at least one character long.
fn marks(checked: &CheckedReport) -> Vec<Mark> {
    let parsed = &checked.parsed;
    let len = parsed.source().len();
    let mut out = Vec::new();
    let mut add = |start: usize, end: usize, finding: usize, related: bool| {
        let start = start.min(len);
        let end = if end > start {
            end
        } else {
            (start + 1).min(len)
        };
        let span = parsed.on_chars(nianbao_model::grammar::Span::new(start, end));
        if span.end > span.start {
            out.push(Mark {
                span: span.start..span.end,
                finding,
                related,
            });
        }
    };
    for (i, d) in checked.diagnostics.iter().enumerate() {
        add(d.span.start, d.span.end, i, false);
        // A place in another report (NB607's passages there) is not marked in this one.
        for r in d.related.iter().filter(|r| r.elsewhere.is_none()) {
            add(r.span.start, r.span.end, i, true);
        }
    }
    out
}

fn block_span(b: &Block) -> Range<usize> {
    match b {
        Block::Para(p) => p.span.start..p.span.end,
        Block::Table(t) => {
            let s = t.span();
            s.start..s.end
        }
    }
}

/// For each block, the marks that fall in it. Blocks come in input order; a
/// mark belongs to the block it starts in and to those that start inside it.
fn marks_per_block(blocks: &[Block], marks: &[Mark]) -> Vec<Vec<usize>> {
    let starts: Vec<usize> = blocks.iter().map(|b| block_span(b).start).collect();
    let ordered = starts.windows(2).all(|w| w[0] <= w[1]);
    let mut out = vec![Vec::new(); blocks.len()];
    for (m, mark) in marks.iter().enumerate() {
        let (s, e) = (mark.span.start, mark.span.end);
        if !ordered {
            // Not expected of the grammar; linear but still right.
            for (i, b) in blocks.iter().enumerate() {
                let bs = block_span(b);
                if bs.start < e && s < bs.end.max(bs.start + 1) {
                    out[i].push(m);
                }
            }
            continue;
        }
        let first_inside = starts.partition_point(|&b| b < s);
        let past = starts.partition_point(|&b| b < e);
        if past - first_inside > MAX_BLOCKS_PER_MARK {
            continue;
        }
        // The block it starts in: the last that starts at or before `s` and reaches past it.
        if first_inside > 0 {
            let before = first_inside - 1;
            if block_span(&blocks[before]).end > s {
                out[before].push(m);
            }
        }
        for list in &mut out[first_inside..past] {
            list.push(m);
        }
    }
    out
}

/// The finding a place shows when several cover it: a primary span before a
/// related one, then the most severe, then the first.
fn primary(covering: &[usize], marks: &[Mark], diags: &[Diagnostic]) -> usize {
    *covering
        .iter()
        .min_by_key(|&&m| {
            let mark = &marks[m];
            (
                mark.related,
                severity_rank(diags[mark.finding].severity),
                mark.finding,
            )
        })
        .expect("a place has a covering mark")
}

/// Opens a highlight: the attributes the script and the stylesheet read.
fn open_mark(
    out: &mut String,
    tag: &str,
    covering: &[usize],
    marks: &[Mark],
    diags: &[Diagnostic],
) {
    let p = primary(covering, marks, diags);
    let finding = marks[p].finding;
    let sev = diags[finding].severity.as_str();
    let all: BTreeSet<usize> = covering.iter().map(|&m| marks[m].finding).collect();
    let all: Vec<String> = all.iter().map(usize::to_string).collect();
    let kind = if marks[p].related { "rel" } else { "hit" };
    let _ = write!(
        out,
        "<{tag} class=\"{kind} sev-{sev}\" data-f=\"{finding}\" data-sev=\"{sev}\" data-all=\"{}\" data-code=\"{}\">",
        all.join(" "),
        diags[finding].code
    );
}

/// Writes `text` with the marks `ranges` (byte ranges of `text`, each with its
/// mark) as `<mark>` elements, cut wherever one starts or ends.
fn marked_text(
    out: &mut String,
    text: &str,
    ranges: &[(Range<usize>, usize)],
    marks: &[Mark],
    diags: &[Diagnostic],
) {
    let mut cuts: Vec<usize> = Vec::with_capacity(ranges.len() * 2 + 2);
    cuts.push(0);
    cuts.push(text.len());
    for (r, _) in ranges {
        cuts.push(r.start);
        cuts.push(r.end);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut by_start: Vec<usize> = (0..ranges.len()).collect();
    by_start.sort_by_key(|&i| ranges[i].0.start);
    let mut next = 0;
    let mut active: Vec<usize> = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        active.retain(|&i| ranges[i].0.end > a);
        while next < by_start.len() && ranges[by_start[next]].0.start <= a {
            if ranges[by_start[next]].0.end > a {
                active.push(by_start[next]);
            }
            next += 1;
        }
        let piece = text.get(a..b).unwrap_or("");
        if active.is_empty() {
            out.push_str(&escape(piece));
            continue;
        }
        let covering: Vec<usize> = active.iter().map(|&i| ranges[i].1).collect();
        open_mark(out, "mark", &covering, marks, diags);
        out.push_str(&escape(piece));
        out.push_str("</mark>");
    }
}

/// The byte range of `para.text` that an original span covers, on character boundaries.
fn para_range(parsed: &Parsed, para: &Para, span: &Range<usize>) -> Option<Range<usize>> {
    let (s, e) = (span.start, span.end);
    let (mut lo, mut hi) = (usize::MAX, 0);
    for p in para.pieces() {
        let (ps, pe) = (p.span.start, p.span.end);
        let overlaps = if ps == pe {
            s <= ps && ps < e
        } else {
            ps < e && s < pe
        };
        if !overlaps || p.text.is_empty() {
            continue;
        }
        let d0 = parsed.to_decoded(ps);
        let exact = p.verbatim && parsed.to_decoded(pe).saturating_sub(d0) == p.text.len();
        let (a, b) = if exact {
            let a = p.text.start + parsed.to_decoded(s.max(ps)).saturating_sub(d0);
            let b = p.text.start + parsed.to_decoded(e.min(pe)).saturating_sub(d0);
            (a.min(p.text.end), b.min(p.text.end))
        } else {
            (p.text.start, p.text.end)
        };
        lo = lo.min(a);
        hi = hi.max(b);
    }
    let text = &para.text;
    if lo >= hi || lo >= text.len() {
        return None;
    }
    let mut hi = hi.min(text.len());
    while !text.is_char_boundary(lo) {
        lo -= 1;
    }
    while !text.is_char_boundary(hi) {
        hi += 1;
    }
    Some(lo..hi)
}

fn para(
    out: &mut String,
    parsed: &Parsed,
    p: &Para,
    in_block: &[usize],
    marks: &[Mark],
    diags: &[Diagnostic],
) {
    let ranges: Vec<(Range<usize>, usize)> = in_block
        .iter()
        .filter_map(|&m| para_range(parsed, p, &marks[m].span).map(|r| (r, m)))
        .collect();
    let tag = match p.kind {
        ParaKind::Heading(level) => ["h2", "h3", "h4", "h5"][usize::from(level.clamp(1, 4)) - 1],
        ParaKind::Text => "p",
    };
    let _ = write!(out, "<{tag} data-at=\"{}\">", p.span.start);
    marked_text(out, &p.text, &ranges, marks, diags);
    let _ = write!(out, "</{tag}>");
}

fn table(out: &mut String, tb: &Table, in_block: &[usize], marks: &[Mark], diags: &[Diagnostic]) {
    out.push_str("<div class=\"table\"><table>");
    for r in 0..tb.row_count() {
        out.push_str("<tr>");
        for (c, idx) in tb.row(r).enumerate() {
            let Some(cell) = idx.and_then(|i| tb.cell(i)) else {
                // A hole in the grid (a short row): an empty cell keeps the columns.
                out.push_str("<td class=\"none\"></td>");
                continue;
            };
            if cell.row != r || cell.col != c {
                continue; // covered by a merged cell drawn before
            }
            let (cs, ce) = (cell.span.start, cell.span.end);
            let covering: Vec<usize> = in_block
                .iter()
                .copied()
                .filter(|&m| {
                    let s = &marks[m].span;
                    if cs == ce {
                        s.start <= cs && cs < s.end
                    } else {
                        s.start < ce && cs < s.end
                    }
                })
                .collect();
            let tag = if r == 0 { "th" } else { "td" };
            let mut spans = String::new();
            if cell.row_span > 1 {
                let _ = write!(spans, " rowspan=\"{}\"", cell.row_span);
            }
            if cell.col_span > 1 {
                let _ = write!(spans, " colspan=\"{}\"", cell.col_span);
            }
            if covering.is_empty() {
                let _ = write!(out, "<{tag}{spans}>");
            } else {
                let mut open = String::new();
                open_mark(&mut open, tag, &covering, marks, diags);
                // `<td class=…` + the spans before the closing `>`.
                open.pop();
                let _ = write!(out, "{open}{spans}>");
            }
            let text = escape(cell.text).replace('\n', "<br>");
            out.push_str(&text);
            let _ = write!(out, "</{tag}>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</table></div>");
}

/// The decoded input with the same marks.
fn source(out: &mut String, parsed: &Parsed, marks: &[Mark], diags: &[Diagnostic]) {
    let text = &parsed.text;
    let ranges: Vec<(Range<usize>, usize)> = marks
        .iter()
        .enumerate()
        .filter_map(|(m, mark)| {
            let mut a = parsed.to_decoded(mark.span.start).min(text.len());
            let mut b = parsed.to_decoded(mark.span.end).min(text.len());
            while !text.is_char_boundary(a) {
                a -= 1;
            }
            while !text.is_char_boundary(b) {
                b += 1;
            }
            (a < b).then_some((a..b, m))
        })
        .collect();
    marked_text(out, text, &ranges, marks, diags);
}

/// The top-level section a place is in (`None`: before the first).
fn section_of(outline: &[Section], at: usize) -> Option<usize> {
    let i = outline.partition_point(|s| s.title_span.start <= at);
    i.checked_sub(1)
}

fn findings_list(out: &mut String, checked: &CheckedReport) {
    let parsed = &checked.parsed;
    let outline = &parsed.outline;
    let diags = &checked.diagnostics;
    // Groups in the report's order: the opening (title, preamble), then each section.
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); outline.len() + 1];
    for (i, d) in diags.iter().enumerate() {
        let g = section_of(outline, d.span.start).map_or(0, |s| s + 1);
        groups[g].push(i);
    }
    out.push_str("<div id=\"findings\">");
    if diags.is_empty() {
        let _ = write!(out, "<p>{}</p>", t("没有发现问题。", "No findings."));
    }
    for (g, items) in groups.iter().enumerate() {
        if items.is_empty() {
            continue;
        }
        let title = match g {
            0 => t("标题与开头", "Title and opening"),
            _ => {
                let s = &outline[g - 1];
                escape(&format!("{}{}", s.marker(), s.title()))
            }
        };
        let _ = write!(out, "<section class=\"group\"><h3>{title}</h3><ol>");
        for &i in items {
            finding_item(out, checked, i, &diags[i]);
        }
        out.push_str("</ol></section>");
    }
    out.push_str("</div>");
}

/// Where a finding is, in words (Chinese, English): the paragraph or cell of a
/// Word draft (`第 6 段`), else the line of the file.
fn place_words(checked: &CheckedReport, span: nianbao_model::grammar::Span) -> (String, String) {
    if let Some(location) = Location::of(checked, span) {
        let place = location.describe();
        return (place.zh, place.en);
    }
    let line = checked.parsed.line_of(span.start);
    (format!("第{line}行"), format!("line {line}"))
}

fn finding_item(out: &mut String, checked: &CheckedReport, i: usize, d: &Diagnostic) {
    let sev = d.severity.as_str();
    let _ = write!(
        out,
        "<li id=\"f-{i}\" data-f=\"{i}\" data-sev=\"{sev}\" data-code=\"{code}\" class=\"sev-{sev}\">\
         <span class=\"code\">{code}</span> <span class=\"sev\">{}</span> \
         <span class=\"line\">{}</span> <span class=\"msg\">{}</span>",
        severity_words(d.severity),
        {
            let (zh, en) = place_words(checked, d.span);
            t(&zh, &en)
        },
        t(&d.message.zh, &d.message.en),
        code = d.code,
    );
    // What the detail panel adds: the related places, the values compared.
    out.push_str("<div class=\"more\">");
    if !d.related.is_empty() {
        out.push_str("<ul class=\"related\">");
        for r in &d.related {
            let (zh, en) = match &r.elsewhere {
                Some(e) => (
                    format!("{} 第 {} 行", e.path, e.line),
                    format!("{}, line {}", e.path, e.line),
                ),
                None => place_words(checked, r.span),
            };
            let _ = write!(
                out,
                "<li>↳ {} <span class=\"line\">{}</span></li>",
                t(&r.label.zh, &r.label.en),
                t(&format!("（{zh}）"), &format!("({en})"))
            );
        }
        out.push_str("</ul>");
    }
    if let (Some(exp), Some(found)) = (&d.expected, &d.found) {
        let _ = write!(
            out,
            "<p class=\"values\">{} <code>{}</code> · {} <code>{}</code></p>",
            t("应为", "expected"),
            escape(exp),
            t("实为", "found"),
            escape(found)
        );
    }
    out.push_str("</div></li>");
}

/// The documentation of each rule found, hidden: the detail panel shows a copy.
fn rule_docs(out: &mut String, diags: &[Diagnostic]) {
    let codes: BTreeSet<&str> = diags.iter().map(|d| d.code).collect();
    out.push_str("<div id=\"rule-docs\" hidden>");
    for code in codes {
        let Some(rule) = nianbao_model::docs::find(code) else {
            continue;
        };
        let _ = write!(
            out,
            "<section class=\"rule\" data-code=\"{code}\"><p class=\"summary\">{}</p>",
            t(rule.summary_zh, rule.summary_en)
        );
        for ((_, zh, en), text) in ruledoc::PANEL_SECTIONS.iter().zip(ruledoc::panel(rule)) {
            if text.zh.is_empty() && text.en.is_empty() {
                continue;
            }
            // A section written in one language only shows that text in both.
            let zh_text = if text.zh.is_empty() {
                &text.en
            } else {
                &text.zh
            };
            let en_text = if text.en.is_empty() {
                &text.zh
            } else {
                &text.en
            };
            let _ = write!(
                out,
                "<h4>{}</h4><p>{}</p>",
                t(zh, en),
                t_code(zh_text, en_text)
            );
        }
        let _ = write!(
            out,
            "<p><a href=\"/rules#{code}\">{}</a></p></section>",
            t(
                &format!("规则页：{code} {}", rule.name),
                &format!("Rule page: {code} {}", rule.name)
            )
        );
    }
    out.push_str("</div>");
}

/// [`t`] of documentation text whose `code` spans become `<code>`.
fn t_code(zh: &str, en: &str) -> String {
    fn code(text: &str) -> String {
        let mut out = String::new();
        for (i, part) in text.split('`').enumerate() {
            if i % 2 == 1 {
                let _ = write!(out, "<code>{}</code>", escape(part));
            } else {
                out.push_str(&escape(&part.replace("**", "")));
            }
        }
        out
    }
    format!(
        "<span class=\"zh\" lang=\"zh-CN\">{}</span><span class=\"en\" lang=\"en\">{}</span>",
        code(zh),
        code(en)
    )
}
