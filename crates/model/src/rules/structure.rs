//! Structure rules (NB1xx): required sections, numbering, title, period, format.

use nianbao_grammar::findings::Findings;
use nianbao_grammar::logical::normalize_char;
use nianbao_grammar::outline::Section;
use nianbao_grammar::{Block, Diagnostic, InputKind, Message, Parsed, Severity, Span};

use super::codes;
pub use crate::frontmatter::is_government;
use crate::frontmatter::{clearly_different_bodies, is_body_name, Date, IssuerKind, Source};
use crate::report::Report;
use crate::template::{AppliesTo, RequiredSection, TableDef, Template};

const CN: [&str; 21] = [
    "〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三",
    "十四", "十五", "十六", "十七", "十八", "十九", "二十",
];

fn numeral(level: u8, n: u32) -> String {
    let cn = CN.get(n as usize).copied().unwrap_or("?");
    match level {
        1 => format!("{cn}、"),
        2 => format!("（{cn}）"),
        3 => format!("{n}."),
        4 => format!("（{n}）"),
        _ => format!("{cn}是"),
    }
}

/// NB102/NB103: numbering gaps and duplicates among the sections of one parent.
///
/// A single misnumbered item (`一是 … 三是 … 三是`: the middle one should be `二是`)
/// is one finding on that item, not a gap plus a duplicate.
pub fn numbering(parsed: &Parsed, out: &mut Findings) {
    check_siblings(parsed, &parsed.outline, out);
}

fn check_siblings(parsed: &Parsed, sections: &[Section], out: &mut Findings) {
    // Siblings by level (points and numbered sections can share a parent).
    for level in 1..=5u8 {
        let group: Vec<&Section> = sections.iter().filter(|s| s.level == level).collect();
        let mut expected = 1;
        // Lists this one interrupted, by the number each expects next: a list of
        // points inside a point (`一是推进权力清单公开。一是…二是…二是推进财政资金
        // 公开。`) returns to the outer list when the outer numbering goes on.
        let mut outer: Vec<u32> = Vec::new();
        for (i, s) in group.iter().enumerate() {
            if s.number == expected {
                expected += 1;
                continue;
            }
            // Below level 2 a new list may start again at 1: in another paragraph, after
            // a colon that introduces it (`…改进：一是…`), after a sentence between the
            // lists or a point that heads the new one (a plain-text dump runs paragraphs
            // together); not in the middle of a list (`一是…。二是…。一是…`).
            let new_list =
                i > 0 && (group[i - 1].block != s.block || s.after_colon || s.opens_list);
            if level >= 3 && s.number == 1 && new_list {
                outer.push(expected);
                expected = 2;
                continue;
            }
            if let Some(at) = outer.iter().rposition(|&e| e == s.number) {
                outer.truncate(at);
                expected = s.number + 1;
                continue;
            }
            let next = group.get(i + 1).map(|n| n.number);
            if next == Some(expected + 1) || (next == Some(s.number) && s.number > expected) {
                // One misnumbered item: the next one goes on as if it had the expected number.
                out.push(numbering_diag(
                    parsed,
                    &codes::NUMBERING_GAP,
                    s,
                    expected,
                    "编号应为",
                    "should be numbered",
                ));
                expected += 1;
            } else if s.number < expected {
                out.push(numbering_diag(
                    parsed,
                    &codes::NUMBERING_DUPLICATE,
                    s,
                    expected,
                    "编号重复或倒退，此处应为",
                    "repeats or goes back; expected",
                ));
                expected = s.number + 1;
            } else {
                out.push(numbering_diag(
                    parsed,
                    &codes::NUMBERING_GAP,
                    s,
                    expected,
                    "编号跳号，此处应为",
                    "skips a number; expected",
                ));
                expected = s.number + 1;
            }
        }
    }
    for s in sections {
        check_siblings(parsed, &s.children, out);
    }
}

fn numbering_diag(
    parsed: &Parsed,
    code: &'static nianbao_grammar::diagnostic::DiagnosticCode,
    s: &Section,
    expected: u32,
    zh: &str,
    en: &str,
) -> Diagnostic {
    let want = numeral(s.level, expected);
    // The marker's length is counted in the decoded text; its end in the input's
    // own bytes (two per character in GB18030) comes from the offset map.
    let start = s.title_span.start;
    let end = parsed
        .to_original(parsed.to_decoded(start) + s.marker().len())
        .clamp(start, s.title_span.end);
    Diagnostic::new(
        code,
        Span::new(start, end),
        Message::new(
            format!("“{}”{zh}“{want}”", s.marker()),
            format!("\"{}\" {en} \"{want}\"", s.marker()),
        ),
    )
    .with_values(want.clone(), s.marker().to_string())
}

/// NB104: the title lacks the issuing body or the year. An HTML body without a
/// title line is not flagged: a site's article body carries its title outside it.
pub fn title_incomplete(report: &Report, input_kind: InputKind, out: &mut Findings) {
    let front = &report.front;
    let span = front.title.as_ref().map_or(Span::new(0, 0), |t| t.span);
    let (issuer, year) = match &front.title {
        Some(_) => (
            front.issuer_source == Some(Source::Title),
            front.year_source == Some(Source::Title),
        ),
        // A site's article body: its title is the page's, outside the body.
        None if input_kind == InputKind::Html => return,
        None => (front.issuer.is_some(), front.year.is_some()),
    };
    let missing = match (issuer, year) {
        (true, true) if front.title.is_some() => return,
        (true, true) => ("", ""),
        (false, true) => ("发布机关", "issuing body"),
        (true, false) => ("年度", "year"),
        (false, false) => ("发布机关和年度", "issuing body and year"),
    };
    let (zh, en) = match &front.title {
        Some(t) => (
            format!("标题“{}”缺少{}", t.value, missing.0),
            format!("the title \"{}\" lacks the {}", t.value, missing.1),
        ),
        None if missing.0.is_empty() => (
            "未找到报告标题".to_string(),
            "no report title found".to_string(),
        ),
        None => (
            format!("未找到报告标题（正文中也未找到{}）", missing.0),
            format!("no report title found (nor the {} in the text)", missing.1),
        ),
    };
    out.push(Diagnostic::new(
        &codes::TITLE_INCOMPLETE,
        span,
        Message::new(zh, en),
    ));
}

/// NB107: the report names itself with another year than its own
/// (`编制完成2023年度政府信息公开工作年度报告` in the 2022 report).
pub fn named_with_another_year(report: &Report, out: &mut Findings) {
    let front = &report.front;
    // The year must come from elsewhere than the mentions themselves.
    let Some(year) = front
        .year
        .filter(|_| matches!(front.year_source, Some(Source::Title | Source::Period)))
    else {
        return;
    };
    for m in front.mentions.iter().filter(|m| m.year != year) {
        out.push(
            Diagnostic::new(
                &codes::NAMED_WITH_ANOTHER_YEAR,
                m.span,
                Message::new(
                    format!("正文称本报告为 {} 年度报告，但报告年度为 {year} 年", m.year),
                    format!(
                        "the text names this the {} report, but the report year is {year}",
                        m.year
                    ),
                ),
            )
            .with_values(year.to_string(), m.year.to_string()),
        );
    }
}

/// NB108: the statistical period is named without readable dates (a `warning`), or not
/// stated at all in a report of a known format (an `info`, at the title: a reviewer
/// asks for it, not every format requires it).
pub fn period_missing(report: &Report, known_format: bool, out: &mut Findings) {
    let front = &report.front;
    if front.period.is_some() {
        return;
    }
    match front.period_unread {
        Some(span) => out.push(Diagnostic::new(
            &codes::PERIOD_MISSING,
            span,
            Message::new(
                "写了统计期限，但读不出起止日期（应为“自××××年1月1日起至××××年12月31日止”）",
                "a statistical period is named but its two dates cannot be read (expected from 1 January to 31 December)",
            ),
        )),
        None if !known_format => {}
        None => out.push(
            Diagnostic::new(
                &codes::PERIOD_MISSING,
                front.title.as_ref().map_or(Span::new(0, 0), |t| t.span),
                Message::new("报告未写明统计期限", "the report states no statistical period"),
            )
            .with_severity(Severity::Info),
        ),
    }
}

/// NB109: the report's own closing dates (its signature, a `印发` line) and the
/// metadata header's publication date: one before the report year ended, or in the
/// second year after it or later. A report signed on 31 December is not flagged.
pub fn published_out_of_time(report: &Report, out: &mut Findings) {
    let front = &report.front;
    let Some(year) = front.year else {
        return;
    };
    let closing = front.dated.iter().map(|d| (d, false));
    for (when, header) in closing.chain(front.published.iter().map(|d| (d, true))) {
        let d = when.date;
        let date = format!("{}-{:02}-{:02}", d.year, d.month, d.day);
        let (what_zh, what_en) = if header {
            ("发布时间", "published on")
        } else {
            ("文末所署日期", "dated at its end")
        };
        let (zh, en) = if d.year < year || (d.year == year && (d.month, d.day) < (12, 31)) {
            (
                format!("{what_zh} {date} 早于 {year} 年度结束，年度报告应在年度结束后发布"),
                format!("{what_en} {date}, before the report year {year} ended"),
            )
        } else if d.year >= year + 2 {
            (
                format!("{what_zh} {date} 晚于报告年度 {year} 两年以上"),
                format!(
                    "{what_en} {date}, in the second year after the report year {year} or later"
                ),
            )
        } else {
            continue;
        };
        out.push(
            Diagnostic::new(
                &codes::PUBLISHED_OUT_OF_TIME,
                when.span,
                Message::new(zh, en),
            )
            .with_values((year + 1).to_string(), date),
        );
    }
}

/// The legal deadline for publishing a report of `year` by a body of `kind`, and the
/// article that sets it: `None` before the 2008 regulation, or when it depends on
/// the kind and the kind is unknown.
pub fn deadline(year: i32, kind: Option<IssuerKind>) -> Option<(Date, &'static str, &'static str)> {
    let march = Date {
        year: year + 1,
        month: 3,
        day: 31,
    };
    let january = Date {
        year: year + 1,
        month: 1,
        day: 31,
    };
    match year {
        ..=2007 => None,
        // 2008 条例 第三十一条 (in force until 14 May 2019): every body by 31 March.
        2008..=2018 => Some((
            march,
            "2008 年条例第三十一条",
            "art. 31 of the 2008 regulation",
        )),
        _ => match kind? {
            IssuerKind::Government => Some((
                march,
                "2019 年条例第四十九条",
                "art. 49 of the 2019 regulation",
            )),
            IssuerKind::Department => Some((
                january,
                "2019 年条例第四十九条",
                "art. 49 of the 2019 regulation",
            )),
        },
    }
}

/// NB110 and NB111: published after the legal deadline, or timeliness not
/// checkable. Dates before the year ended or two years later are NB109's.
pub fn timeliness(report: &Report, out: &mut Findings) {
    let front = &report.front;
    let Some(year) = front.year else {
        return;
    };
    if year < 2008 {
        return;
    }
    let at = front.title.as_ref().map_or(Span::new(0, 0), |t| t.span);
    let unchecked = |zh: String, en: String, span: Span, out: &mut Findings| {
        out.push(Diagnostic::new(
            &codes::TIMELINESS_UNCHECKED,
            span,
            Message::new(zh, en),
        ));
    };
    let Some(published) = &front.published else {
        unchecked(
            "未找到发布日期，无法核对是否按时发布（可用 --published 给出）".to_string(),
            "no publication date found: timeliness not checked (give one with --published)"
                .to_string(),
            at,
            out,
        );
        return;
    };
    let d = published.date;
    let date = format!("{}-{:02}-{:02}", d.year, d.month, d.day);
    // A date before the year is over, or after the year that follows it, is not
    // when this report was first published (a page updated or moved to an
    // archive: NB109 names a date read from the report; one date given for the
    // reports of many years): not judged.
    let early = (d.year, d.month, d.day) < (year, 12, 31);
    if early || d.year >= year + 2 {
        if !published.given {
            return;
        }
        unchecked(
            format!("给出的发布日期 {date} {}，不像 {year} 年度报告首次发布的日期，未核对是否按时发布", if early { "早于该年度结束" } else { "晚于次年年底" }),
            format!("the publication date given, {date}, is {}, so it is unlikely to be when the {year} report was first published: timeliness not checked", if early { "before that year ended" } else { "after the end of the following year" }),
            published.span,
            out,
        );
        return;
    }
    let kind = report.issuer_kind();
    let Some((due, law_zh, law_en)) = deadline(year, kind).or_else(|| {
        // The kind unknown: late under either deadline, or on time under both.
        let march = deadline(year, Some(IssuerKind::Government))?;
        let january = deadline(year, Some(IssuerKind::Department))?;
        if d > march.0 {
            Some(march)
        } else if d <= january.0 {
            None
        } else {
            unchecked(
                format!("发布日期 {date}：无法判断发布机关是政府还是部门，无法核对是否按时发布"),
                format!("published {date}: whether the issuer is a government or a department is unknown, so timeliness was not checked"),
                published.span,
                out,
            );
            None
        }
    }) else {
        return;
    };
    if d <= due {
        return;
    }
    let due_s = format!("{}-{:02}-{:02}", due.year, due.month, due.day);
    let who = match kind {
        _ if year < 2019 => ("各级行政机关", "every body"),
        Some(IssuerKind::Department) => ("政府部门", "a department"),
        _ => ("县级以上地方人民政府", "a people's government"),
    };
    // The date the report is signed, when it has one: evidence for the reader
    // (signed in time but put online late is still late).
    let (signed_zh, signed_en) = front
        .dated
        .last()
        .map_or((String::new(), String::new()), |s| {
            let d = s.date;
            let at = format!("{}-{:02}-{:02}", d.year, d.month, d.day);
            (
                format!("；文末所署日期 {at}"),
                format!("; the report is dated {at}"),
            )
        });
    let span = if published.span.is_empty() {
        at
    } else {
        published.span
    };
    out.push(
        Diagnostic::new(
            &codes::PUBLISHED_LATE,
            span,
            Message::new(
                format!(
                    "发布日期 {date} 晚于法定期限 {due_s}（{law_zh}：{}应在该日前公布 {year} 年度报告{signed_zh}）",
                    who.0
                ),
                format!(
                    "published {date}, after the deadline {due_s} ({law_en}: {} publishes its {year} report by then{signed_en})",
                    who.1
                ),
            ),
        )
        .with_values(due_s, date),
    );
}

/// NB105: the statistical period is not 1 January to 31 December of the report year.
pub fn period_not_report_year(report: &Report, out: &mut Findings) {
    let (Some(p), Some(year)) = (&report.front.period, report.front.year) else {
        return;
    };
    let full_year = p.start.year == year
        && p.start.month == 1
        && p.start.day == 1
        && p.end.year == year
        && p.end.month == 12
        && p.end.day == 31;
    if full_year {
        return;
    }
    let found = format!(
        "{}-{:02}-{:02}..{}-{:02}-{:02}",
        p.start.year, p.start.month, p.start.day, p.end.year, p.end.month, p.end.day
    );
    let expected = format!("{year}-01-01..{year}-12-31");
    // Part of the report year (a body set up during the year) may be right: a warning.
    // Another year is certainly wrong: an error.
    let within = p.start.year == year && p.end.year == year;
    let mut d = Diagnostic::new(
        &codes::PERIOD_NOT_REPORT_YEAR,
        p.span,
        Message::new(
            format!("统计期限 {found} 不是报告年度 {year} 年全年"),
            format!("the statistical period {found} is not the whole report year {year}"),
        ),
    )
    .with_values(expected, found);
    if within {
        d = d.with_severity(Severity::Warning);
    }
    out.push(d);
}

/// NB106: the report year calls for another format than the tables follow.
pub fn format_year_mismatch(report: &Report, out: &mut Findings) {
    let Some(wanted) = &report.detection.year_calls_for else {
        return;
    };
    let span = report
        .detection
        .evidence
        .first()
        .map_or(Span::default(), |e| e.span);
    out.push(
        Diagnostic::new(
            &codes::FORMAT_YEAR_MISMATCH,
            Span::new(span.start, span.start + 1.min(span.len())),
            Message::new(
                format!("报告年度 {} 应使用 {wanted} 格式，但表格采用 {} 格式；按表格格式校验", report.front.year.unwrap_or_default(), report.detection.format),
                format!("the report year {} calls for the {wanted} format but the tables follow {}; checked as the tables are", report.front.year.unwrap_or_default(), report.detection.format),
            ),
        )
        .with_values(wanted.clone(), report.detection.format.clone()),
    );
}

/// The section whose heading names each required section (its keywords, or one of
/// its whole headings), as (heading, heading to the end of its body); `None` where
/// no heading does. The sections are found in one pass over the outline, each title
/// normalized once and dropped (a million headings hold no list of titles).
fn headed_sections(required: &[&RequiredSection], parsed: &Parsed) -> Vec<Option<(Span, Span)>> {
    let heading_words: Vec<&[String]> = required
        .iter()
        .map(|req| req.normalized().keywords.as_slice())
        .collect();
    // Whole headings a template names (`公开情况` of a 2008-era report).
    let whole_headings: Vec<&[String]> = required
        .iter()
        .map(|req| req.normalized().headings.as_slice())
        .collect();
    let mut found_at: Vec<Option<(Span, Span)>> = vec![None; required.len()];
    let mut normalized = String::new();
    each_section(&parsed.outline, &mut |s| {
        if found_at.iter().all(Option::is_some) {
            return;
        }
        normalized.clear();
        normalized.extend(s.title().chars().filter_map(normalize_char));
        let title = &normalized;
        let whole = title.trim_end_matches(['：', ':', '。']);
        for (((req, words), wholes), at) in required
            .iter()
            .zip(&heading_words)
            .zip(&whole_headings)
            .zip(found_at.iter_mut())
        {
            if at.is_none()
                && req.level.is_none_or(|l| l == s.level)
                && (words.iter().any(|k| title.contains(k.as_str()))
                    || wholes.iter().any(|h| whole == h))
            {
                *at = Some((s.title_span, Span::new(s.title_span.start, s.body_span.end)));
            }
        }
    });
    found_at
}

/// The body whose 政府信息公开指南 a cited title names (`平潭县经贸局政府信息公开指南（试行）`
/// → `平潭县经贸局`); `None` for another document or a guide that names no body.
fn guide_of(title: &str) -> Option<String> {
    // Most titles have no whitespace: borrowed, not copied.
    let title: std::borrow::Cow<'_, str> = if title.chars().any(char::is_whitespace) {
        title.chars().filter(|c| !c.is_whitespace()).collect()
    } else {
        title.into()
    };
    let title = title
        .strip_suffix("（试行）")
        .or_else(|| title.strip_suffix("(试行)"))
        .unwrap_or(&title);
    let body = title
        .strip_suffix("政府信息公开指南")
        .or_else(|| title.strip_suffix("信息公开指南"))?;
    (is_body_name(body) && body.chars().count() <= 30).then(|| body.to_string())
}

/// NB112: the report names another body where its own belongs — signed by (落款), or
/// citing the 政府信息公开指南 of, a body clearly different from the one its title
/// names ([`clearly_different_bodies`]): a sign of a report copied from another body's.
/// Only an issuer read from the title is compared (one read from the signature is
/// the signature).
pub fn names_another_body(report: &Report, out: &mut Findings) {
    if report.front.issuer_source != Some(Source::Title) {
        return;
    }
    let (Some(issuer), Some(title)) = (report.issuer(), report.front.title.as_ref()) else {
        return;
    };
    let title_label = Message::new("标题所称发布机关", "the issuer the title names");
    if let Some(signed) = report
        .front
        .signed
        .as_ref()
        .filter(|s| clearly_different_bodies(issuer, &s.value))
    {
        out.push(
            Diagnostic::new(
                &codes::NAMES_ANOTHER_BODY,
                signed.span,
                Message::new(
                    format!(
                        "标题所称发布机关是“{issuer}”，落款却是“{}”，疑为套用其他机关的报告",
                        signed.value
                    ),
                    format!(
                        "the title names {issuer} as the issuer, but the report is signed by {}: perhaps copied from another body's report",
                        signed.value
                    ),
                ),
            )
            .with_related(title.span, title_label.clone())
            .with_values(issuer, signed.value.clone()),
        );
    }
    let mut named: Vec<String> = Vec::new();
    for cited in &report.facts.titles {
        let Some(body) = guide_of(&cited.title) else {
            continue;
        };
        if named.contains(&body) || !clearly_different_bodies(issuer, &body) {
            continue;
        }
        out.push(
            Diagnostic::new(
                &codes::NAMES_ANOTHER_BODY,
                cited.place.span,
                Message::new(
                    format!(
                        "标题所称发布机关是“{issuer}”，正文引用的却是“{body}”的政府信息公开指南，疑为套用其他机关的报告"
                    ),
                    format!(
                        "the title names {issuer} as the issuer, but the text cites the 政府信息公开指南 of {body}: perhaps copied from another body's report"
                    ),
                ),
            )
            .with_related(title.span, title_label.clone())
            .with_values(issuer, body.clone()),
        );
        named.push(body);
    }
}

/// NB213/NB216: a table the format requires is absent, or published as an image.
/// One finding per physical table (table 二's blocks are one table), on the
/// heading of the section it belongs in (the title when that section is missing
/// too). A table of a national format is named by its section's number (表三 sits
/// under 三、). When the section holds an image where the table belongs, the
/// finding says so (NB216): the silence of the table checks is then no clean table.
/// A text rendering whose tables are run together (NB004) is not looked at: its
/// tables are there, only unreadable.
pub fn tables_missing(report: &Report, template: &Template, parsed: &Parsed, out: &mut Findings) {
    if parsed.diagnostics.iter().any(|d| d.code == "NB004") {
        return;
    }
    let title = report
        .front
        .title
        .as_ref()
        .map_or(Span::new(0, 0), |t| t.span);
    // Physical tables in template order, each with its blocks.
    let mut physical: Vec<(&str, Vec<&TableDef>)> = Vec::new();
    for def in template.tables.iter().filter(|d| d.required) {
        let id = def.part_of.as_deref().unwrap_or(&def.id);
        match physical.iter_mut().find(|(p, _)| *p == id) {
            Some((_, blocks)) => blocks.push(def),
            None => physical.push((id, vec![def])),
        }
    }
    for (_, blocks) in physical {
        let absent: Vec<&TableDef> = blocks
            .iter()
            .copied()
            .filter(|d| !report.tables.found.contains(&d.id))
            .collect();
        let Some(first) = absent.first() else {
            continue;
        };
        let section = first.section.as_deref().and_then(|id| {
            template
                .format
                .required_sections
                .iter()
                .find(|r| r.id == id)
        });
        let at = section.and_then(|req| headed_sections(&[req], parsed)[0]);
        // 表三 is named by its section's number (`三、收到和处理…`).
        let number = section.and_then(|req| {
            let (number, rest) = req.title_zh.split_once('、')?;
            (!number.is_empty() && !rest.is_empty()).then_some((number, rest))
        });
        let whole = absent.len() == blocks.len();
        let image = at.and_then(|(_, range)| parsed.image_in(range));
        if let (Some((n, _)), Some(image), true) = (number, image, whole) {
            out.push(
                Diagnostic::new(
                    &codes::TABLE_AS_IMAGE,
                    at.map_or(title, |(heading, _)| heading),
                    Message::new(
                        format!("表{n}以图片形式发布，无法核对"),
                        format!("table {n} is published as an image and cannot be checked"),
                    ),
                )
                .with_related(image, Message::new("图片", "the image")),
            );
            continue;
        }
        let names = |name: fn(&TableDef) -> &str, sep: &str| {
            absent
                .iter()
                .map(|d| format!("“{}”", name(d)))
                .collect::<Vec<_>>()
                .join(sep)
        };
        let message = match number {
            Some((n, name)) if whole => Message::new(
                format!(
                    "未找到表{n}“{name}”（{} 格式要求的表格）",
                    template.format.id
                ),
                format!(
                    "table {n} \"{}\" required by the {} format was not found",
                    section.map_or("", |s| s.title_en.as_str()),
                    template.format.id
                ),
            ),
            Some((n, _)) => Message::new(
                format!(
                    "表{n}缺少{}（{} 格式要求）",
                    names(|d| &d.name_zh, "、"),
                    template.format.id
                ),
                format!(
                    "table {n} lacks {} (required by the {} format)",
                    names(|d| &d.name_en, ", "),
                    template.format.id
                ),
            ),
            None => Message::new(
                format!(
                    "未找到“{}”（{} 格式要求的表格）",
                    first.name_zh, template.format.id
                ),
                format!(
                    "the table \"{}\" required by the {} format was not found",
                    first.name_en, template.format.id
                ),
            ),
        };
        out.push(
            Diagnostic::new(
                &codes::TABLE_MISSING,
                at.map_or(title, |(heading, _)| heading),
                message,
            )
            .with_severity(first.missing_severity.severity()),
        );
    }
}

/// NB101: a section the format requires is missing (keywords in headings, then in the body).
pub fn required_sections(
    report: &Report,
    template: &Template,
    parsed: &Parsed,
    out: &mut Findings,
) {
    // Content required of governments only is not demanded where the issuer is unknown.
    let government = report.front.issuer.as_deref().is_some_and(is_government);
    let at = report
        .front
        .title
        .as_ref()
        .map_or(Span::new(0, 0), |t| t.span);
    // Content required inside one section (`scope`) is looked for there, after the
    // sections are found.
    let (scoped, required): (Vec<&RequiredSection>, Vec<&RequiredSection>) = template
        .format
        .required_sections
        .iter()
        .filter(|req| req.applies_to != AppliesTo::Government || government)
        .partition(|req| req.scope.is_some());
    // The section that satisfied each requirement by its heading: its heading and body.
    let found_at = headed_sections(&required, parsed);
    let named: Vec<bool> = found_at.iter().map(Option::is_some).collect();
    // One buffer for every normalized paragraph.
    let mut normalized = String::new();
    let sections: Vec<(&str, (Span, Span))> = required
        .iter()
        .zip(&found_at)
        .filter_map(|(req, at)| Some((req.id.as_str(), (*at)?)))
        .collect();
    scoped_content(&scoped, &sections, template, parsed, out);
    let missing_heading: Vec<&RequiredSection> = required
        .into_iter()
        .zip(named)
        .filter(|(_, named)| !named)
        .map(|(req, _)| req)
        .collect();
    // Body keywords are the fallback for content stated without its own heading
    // (`全部实行免费`): looked for in one pass over the paragraphs, each normalized
    // once and dropped (no normalized copy of the whole report is kept).
    let keywords: Vec<&[String]> = missing_heading
        .iter()
        .map(|req| req.normalized().body_keywords.as_slice())
        .collect();
    // A numbered heading the outline could not take is looked for in the same pass.
    let markers: Vec<Option<&[String]>> = missing_heading
        .iter()
        .map(|req| {
            req.title_zh
                .contains('、')
                .then(|| req.normalized().keywords.as_slice())
        })
        .collect();
    let mut in_body = vec![false; missing_heading.len()];
    for block in &parsed.blocks {
        if in_body.iter().all(|&found| found) {
            break;
        }
        let Block::Para(p) = block else { continue };
        normalized.clear();
        normalized.extend(p.text.chars().filter_map(normalize_char));
        let text = &normalized;
        for ((found, words), marker) in in_body.iter_mut().zip(&keywords).zip(&markers) {
            if !*found
                && (words.iter().any(|k| text.contains(k.as_str()))
                    || marker.as_ref().is_some_and(|m| marker_in(text, m)))
            {
                *found = true;
            }
        }
    }
    for (req, found) in missing_heading.into_iter().zip(in_body) {
        // Without a heading requirement (keywords empty), body content suffices.
        if found {
            continue;
        }
        out.push(
            Diagnostic::new(
                &codes::REQUIRED_SECTION_MISSING,
                at,
                Message::new(
                    format!("缺少“{}”（{} 格式要求）", req.title_zh, template.format.id),
                    format!(
                        "the section \"{}\" required by the {} format is missing",
                        req.title_en, template.format.id
                    ),
                ),
            )
            .with_severity(req.severity.severity()),
        );
    }
}

/// NB101 for content a section must hold (`scope`): the five parts of 总体情况 in
/// the 2021 format. Each is found by a sub-heading of that section containing one
/// of its `keywords` or by its text containing one of its `body_keywords`; a
/// section the report lacks is not looked into (its own finding says so).
fn scoped_content(
    scoped: &[&RequiredSection],
    sections: &[(&str, (Span, Span))],
    template: &Template,
    parsed: &Parsed,
    out: &mut Findings,
) {
    let within = |outer: Span, inner: Span| outer.start <= inner.start && inner.end <= outer.end;
    /// A requirement looked for: its section's heading and extent, its words
    /// normalized once, and whether it was found.
    struct Sought<'t> {
        req: &'t RequiredSection,
        title: Span,
        range: Span,
        words: &'t [String],
        body: &'t [String],
        found: bool,
    }
    let mut sought: Vec<Sought> = scoped
        .iter()
        .filter_map(|req| {
            let &(_, (title, range)) = sections
                .iter()
                .find(|(id, _)| Some(*id) == req.scope.as_deref())?;
            Some(Sought {
                req,
                title,
                range,
                words: &req.normalized().keywords,
                body: &req.normalized().body_keywords,
                found: false,
            })
        })
        .collect();
    if sought.is_empty() {
        return;
    }
    // One pass over the sub-headings and one over the paragraphs, each normalized
    // once for every requirement whose section holds it.
    let mut normalized = String::new();
    each_section(&parsed.outline, &mut |s| {
        let inside = |x: &Sought| {
            !x.found && s.title_span.start > x.range.start && within(x.range, s.title_span)
        };
        if !sought.iter().any(inside) {
            return;
        }
        normalized.clear();
        normalized.extend(s.title().chars().filter_map(normalize_char));
        for x in sought.iter_mut() {
            if inside(x) && x.words.iter().any(|k| normalized.contains(k.as_str())) {
                x.found = true;
            }
        }
    });
    for block in &parsed.blocks {
        let Block::Para(p) = block else { continue };
        let inside = |x: &Sought| !x.found && within(x.range, p.span);
        if !sought.iter().any(inside) {
            continue;
        }
        normalized.clear();
        normalized.extend(p.text.chars().filter_map(normalize_char));
        for x in sought.iter_mut() {
            if inside(x) && x.body.iter().any(|k| normalized.contains(k.as_str())) {
                x.found = true;
            }
        }
    }
    for x in sought.iter().filter(|x| !x.found) {
        let req = x.req;
        let parent = template
            .format
            .required_sections
            .iter()
            .find(|r| Some(r.id.as_str()) == req.scope.as_deref());
        let (parent_zh, parent_en) =
            parent.map_or(("", ""), |p| (p.title_zh.as_str(), p.title_en.as_str()));
        out.push(
            Diagnostic::new(
                &codes::REQUIRED_SECTION_MISSING,
                x.title,
                Message::new(
                    format!(
                        "“{parent_zh}”未写明“{}”（{} 格式要求）",
                        req.title_zh, template.format.id
                    ),
                    format!(
                        "\"{parent_en}\" says nothing of \"{}\" (required by the {} format)",
                        req.title_en, template.format.id
                    ),
                ),
            )
            .with_severity(req.severity.severity()),
        );
    }
}

/// Visits every section of the outline, depth first, each before its children.
fn each_section(outline: &[Section], visit: &mut dyn FnMut(&Section)) {
    fn walk(s: &Section, visit: &mut dyn FnMut(&Section)) {
        visit(s);
        s.children.iter().for_each(|c| walk(c, visit));
    }
    outline.iter().for_each(|s| walk(s, visit));
}

/// The section's numbered heading written inside a paragraph, where the outline
/// cannot take it for a heading: a text rendering that runs a table's last row
/// and the next heading together (`四、结转下年度继续办理 0000000
/// 四、政府信息公开行政复议…`). A top-level marker (`四、`; reports that add a
/// section number the rest one further, `六、存在的主要问题及改进措施`) followed
/// closely by one of the section's (normalized) keywords is the section.
fn marker_in(p: &str, keywords: &[String]) -> bool {
    p.match_indices('、').any(|(at, _)| {
        // One or two numerals, not the end of a word (`统一、`).
        const NUMERALS: &str = "一二三四五六七八九十";
        let mut before = p[..at].chars().rev();
        let numerals = before
            .by_ref()
            .take_while(|c| NUMERALS.contains(*c))
            .count();
        let word = p[..at]
            .chars()
            .rev()
            .nth(numerals)
            .is_some_and(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        if !(1..=2).contains(&numerals) || word {
            return false;
        }
        // A keyword within the first few characters of what follows.
        let after: String = p[at + '、'.len_utf8()..].chars().take(16).collect();
        keywords.iter().any(|k| after.contains(k.as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use nianbao_grammar::logical::normalize;

    #[test]
    fn a_numbered_heading_inside_a_paragraph_is_its_section() {
        let keywords = vec!["行政复议".to_string(), "复议".to_string()];
        let p =
            normalize("四、结转下年度继续办理 0000000 四、政府信息公开行政法复议、行政诉讼情况");
        assert!(marker_in(&p, &keywords));
        // The marker alone, or the keyword far from it, is not the section.
        let p = normalize("四、结转下年度继续办理；本机关未收到行政复议申请");
        assert!(!marker_in(&p, &keywords));
        let problems = vec!["存在的主要问题".to_string()];
        let p = normalize("实际收取金额（元）000六、存在的主要问题及改进措施2025年");
        assert!(marker_in(&p, &problems));
        // Not after a word: `统一、`.
        let p = normalize("统一、存在的主要问题");
        assert!(!marker_in(&p, &problems));
    }

    #[test]
    fn required_sections_words_are_normalized_once_per_template_not_per_report() {
        let report = include_bytes!("../../../../tests/fixtures/pingtan-2024.md");
        let first = crate::check(report);
        let report_format = &first.report;
        let template =
            crate::template::find(&report_format.format, report_format.variant.as_deref())
                .expect("the fixture's format is recognised");
        assert!(template
            .format
            .required_sections
            .iter()
            .any(|r| !r.keywords.is_empty()));
        let count = || crate::template::REQUIRED_NORMALIZED.with(std::cell::Cell::get);
        let before = count();
        let second = crate::check(report);
        assert_eq!(first.diagnostics.len(), second.diagnostics.len());
        // The second report of the template normalizes none of its words again.
        assert_eq!(count(), before);
    }
}
