//! The narrative against the table (NB301), against itself (NB401, NB402), and
//! references and style (NB501–NB505): links of zhongwei-2017 to their rows,
//! each rule firing on a one-edit change of a real fixture and staying silent on
//! the close cases, and bad input that must neither panic nor mislead.
//!
//! Inputs are the real fixtures with one edit made in code, so each test shows
//! exactly what changed.

mod common;

use common::{findings, line, line_of, related_lines, replace_once, run, set_value, whole_line};
use nianbao_model::grammar::{Diagnostic, Severity, Span};
use nianbao_model::links::Link;
use nianbao_model::quantity::CellValue;
use nianbao_model::CheckedReport;

const ZHONGWEI: &str = include_str!("../../../tests/fixtures/zhongwei-2017.md");
const HUAIAN: &str = include_str!("../../../tests/fixtures/huaian-2024.md");
const PINGTAN_2018: &str = include_str!("../../../tests/fixtures/pingtan-2018.md");
const PINGTAN_2023: &str = include_str!("../../../tests/fixtures/pingtan-2023.md");
const CZJ_2020: &str = include_str!("../../../tests/fixtures/pingtan-caizhengjinrongju-2020.md");
const CZJ_2025: &str = include_str!("../../../tests/fixtures/pingtan-caizhengjinrongju-2025.md");

/// Inserts `paragraph` as a paragraph of its own right before the line containing `before`.
#[track_caller]
fn insert_paragraph(text: &str, before: &str, paragraph: &str) -> String {
    let at = text
        .find(before)
        .unwrap_or_else(|| panic!("{before:?} is not in the input"));
    let line_start = text[..at].rfind('\n').map_or(0, |p| p + 1);
    format!(
        "{}{paragraph}\n\n{}",
        &text[..line_start],
        &text[line_start..]
    )
}

/// Replaces the bytes of `span` with `with`.
fn splice(text: &str, span: Span, with: &str) -> String {
    format!("{}{with}{}", &text[..span.start], &text[span.end..])
}

fn of_code<'a>(r: &'a CheckedReport, code: &str) -> Vec<&'a Diagnostic> {
    r.diagnostics.iter().filter(|d| d.code == code).collect()
}

#[track_caller]
fn the<'a>(r: &'a CheckedReport, code: &str, at_line: usize) -> &'a Diagnostic {
    r.diagnostics
        .iter()
        .find(|d| d.code == code && line(r, d.span) == at_line)
        .unwrap_or_else(|| {
            panic!(
                "no {code} on line {at_line}: {:?}",
                findings(r)
                    .into_iter()
                    .filter(|f| !f.0.starts_with("NB0"))
                    .collect::<Vec<_>>()
            )
        })
}

#[track_caller]
fn assert_silent(r: &CheckedReport, code: &str) {
    let hits: Vec<String> = of_code(r, code)
        .iter()
        .map(|d| format!("line {}: {}", line(r, d.span), d.message.zh))
        .collect();
    assert!(hits.is_empty(), "{code} must stay silent; got {hits:#?}");
}

/// The figure a link points at, as written (`43 件`, `全部实行免费`).
fn figure<'a>(r: &'a CheckedReport, l: &Link) -> &'a str {
    r.parsed.text_of(l.span)
}

fn links_on<'a>(r: &'a CheckedReport, indicator: &str, at_line: usize) -> Vec<&'a Link> {
    r.report
        .links
        .iter()
        .filter(|l| l.indicator == indicator && line(r, l.span) == at_line)
        .collect()
}

fn show_links(r: &CheckedReport) -> Vec<String> {
    r.report
        .links
        .iter()
        .map(|l| {
            format!(
                "{} line {} {:?} → {:?}",
                l.indicator,
                line(r, l.span),
                l.phrase,
                figure(r, l)
            )
        })
        .collect()
}

fn number(c: &CellValue) -> String {
    match c {
        CellValue::Number(q) => q.value.normalize().to_string(),
        other => panic!("not a number: {other:?}"),
    }
}

/// The quantities read from the paragraph(s) on `at_line`, as `value+unit`.
fn quantities_on(r: &CheckedReport, at_line: usize) -> Vec<String> {
    r.report
        .facts
        .quantities
        .iter()
        .filter(|q| line(r, q.place.span) == at_line)
        .map(|q| {
            format!(
                "{}{}",
                q.quantity.value,
                q.quantity.unit.as_deref().unwrap_or("")
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------
// NB301: links of zhongwei-2017 (SPEC 4: "linked to their rows in the model").

/// (indicator, the figure as written, text on the figure's line, table row of the cell).
const AGREEING: [(&str, &str, &str, &str); 19] = [
    (
        "apply.received",
        "43 件",
        "收到政府信息依申请公开 43 件",
        "| （一）收到申请数",
    ),
    (
        "apply.received.in_person",
        "33 件",
        "当面申请 33 件",
        "| 1. 当面申请数",
    ),
    (
        "apply.received.online",
        "6 件",
        "网上申请 6 件",
        "| 3. 网络申请数",
    ),
    (
        "apply.received.letter",
        "4 件",
        "信函申请 4 件",
        "| 4. 信函申请数",
    ),
    (
        "response.interpretation",
        "201 篇",
        "政策解读信息 201 篇",
        "| 3. 政策解读稿件发布数",
    ),
    (
        "training.trainees",
        "414 人次",
        "接受培训人数 414 人次",
        "| (三) 接受培训人员数",
    ),
    (
        "training.classes",
        "5 次",
        "政务公开培训 5 次",
        "| (二) 举办各类培训班数",
    ),
    (
        "active.channel.website",
        "46367 条",
        "政府网站公开政府信息数 46367 条",
        "| 2. 政府网站公开政府信息数",
    ),
    // 2935 and 8848 are stated twice: in 一（四） and in 三（二）.
    (
        "active.channel.weibo",
        "2935 条",
        "通过微博发布信息 2935 条",
        "| 3. 政务微博公开政府信息数",
    ),
    (
        "active.channel.weibo",
        "2935 条",
        "通过政务微博发布信息 2935 条",
        "| 3. 政务微博公开政府信息数",
    ),
    (
        "active.channel.wechat",
        "8848 条",
        "布信息 8848 条，通过微博",
        "| 4. 政务微信公开政府信息数",
    ),
    (
        "active.channel.wechat",
        "8848 条",
        "通过政务微信发布信息 8848 条",
        "| 4. 政务微信公开政府信息数",
    ),
    (
        "active.channel.other",
        "15509 条",
        "宣传栏等形式公开政府信息 15509 条",
        "| 5. 其他方式公开政府信息数",
    ),
    (
        "review.total",
        "1件",
        "行政复议案件1件",
        "| 四、行政复议数量",
    ),
    ("suit.total", "1件", "行政诉讼案件1件", "| 五、行政诉讼数量"),
    // Zeros said in words: the figure is the phrase.
    (
        "complaints.total",
        "投诉举报",
        "全市未发生因公民",
        "| 六、举报投诉数量",
    ),
    (
        "fees.total",
        "全部实行免费",
        "全部实行免费",
        "| 七、依申请公开信息收取的费用",
    ),
    // Also linked (not in SPEC's list, but they agree with the table too).
    (
        "active.normative_published",
        "394 条",
        "主动公开规范性文件数 394 条",
        "| 其中：主动公开规范性文件数",
    ),
    (
        "active.normative_issued",
        "693 条",
        "制发规范性文件总数 693 条",
        "| 制发规范性文件总数",
    ),
];

#[test]
fn zhongwei_figures_that_agree_with_the_table_are_linked_to_their_rows() {
    let r = run(ZHONGWEI);
    for (indicator, written, on_line, row) in AGREEING {
        let at = line_of(ZHONGWEI, on_line);
        let found: Vec<&Link> = links_on(&r, indicator, at)
            .into_iter()
            .filter(|l| figure(&r, l) == written)
            .collect();
        assert_eq!(
            found.len(),
            1,
            "{indicator}: one link to {written:?} on line {at}; links: {:#?}",
            show_links(&r)
        );
        let l = found[0];
        assert_eq!(l.cells, vec![format!("{indicator}@value")], "{indicator}");
        let cell = r
            .report
            .tables
            .get(&l.cells[0])
            .unwrap_or_else(|| panic!("{indicator}: no table cell {:?}", l.cells[0]));
        assert_eq!(line(&r, cell.span), line_of(ZHONGWEI, row), "{indicator}");
        match l.quantity {
            Some(qi) => {
                let q = &r.report.facts.quantities[qi];
                assert_eq!(q.place.span, l.span, "{indicator}: the figure's span");
                assert_eq!(
                    q.quantity.value.normalize().to_string(),
                    number(&cell.value),
                    "{indicator}: agrees with the table"
                );
                assert!(l.zero.is_none());
            }
            None => {
                assert_eq!(l.zero.as_deref(), Some(written), "{indicator}");
                assert_eq!(number(&cell.value), "0", "{indicator}");
            }
        }
    }
    assert_silent(&r, "NB301");
}

#[test]
fn zhongwei_complaints_zero_is_the_negated_sentence() {
    let r = run(ZHONGWEI);
    let at = line_of(ZHONGWEI, "全市未发生因公民");
    let l = links_on(&r, "complaints.total", at);
    assert_eq!(l.len(), 1, "{:#?}", show_links(&r));
    assert_eq!(l[0].quantity, None);
    assert_eq!(l[0].phrase, "投诉举报");
    assert_eq!(l[0].phrase_span, l[0].span);
}

/// The digits at the start of a figure (`1,234 件` → `1,234`).
fn digits_of(written: &str) -> &str {
    let end = written
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .map_or(written.len(), |(i, _)| i);
    &written[..end]
}

#[test]
fn every_linked_figure_keeps_its_link_when_changed_and_the_change_is_caught() {
    let r = run(ZHONGWEI);
    let with_figure: Vec<&Link> = r
        .report
        .links
        .iter()
        .filter(|l| l.quantity.is_some())
        .collect();
    assert!(with_figure.len() >= 17, "{:#?}", show_links(&r));
    for l in with_figure {
        let qi = l.quantity.unwrap_or_default();
        let q = &r.report.facts.quantities[qi].quantity;
        let written = figure(&r, l);
        let digits = digits_of(written);
        assert!(!digits.is_empty(), "{written:?}");
        let changed = (q.value + rust_decimal::Decimal::from(7)).to_string();
        let at = Span::new(l.span.start, l.span.start + digits.len());
        let input = splice(ZHONGWEI, at, &changed);
        let m = run(&input);
        let what = format!("{} {written:?} → {changed}", l.indicator);

        // The link is still there: same indicator, same phrase, the new figure.
        let kept: Vec<&Link> = m
            .report
            .links
            .iter()
            .filter(|k| {
                k.indicator == l.indicator && k.phrase == l.phrase && k.span.start == l.span.start
            })
            .collect();
        assert_eq!(kept.len(), 1, "{what}: link lost; {:#?}", show_links(&m));
        let unit = q.unit.clone().unwrap_or_default();
        assert!(
            figure(&m, kept[0]).starts_with(&changed),
            "{what}: {:?}",
            figure(&m, kept[0])
        );

        // One NB301, on the figure, pointing at the table cell.
        let d = of_code(&m, "NB301");
        assert_eq!(d.len(), 1, "{what}: {:?}", findings(&m));
        let d = d[0];
        assert_eq!(d.severity, Severity::Warning, "{what}");
        assert_eq!(line(&m, d.span), line(&r, l.span), "{what}");
        assert_eq!(d.span, kept[0].span, "{what}");
        let cell = r.report.tables.get(&l.cells[0]).expect("cell");
        // The edit adds no line: the cell is on the same line as before.
        assert_eq!(related_lines(&m, d), vec![line(&r, cell.span)], "{what}");
        assert_eq!(
            d.expected.as_deref(),
            Some(number(&cell.value).as_str()),
            "{what}"
        );
        assert_eq!(
            d.found.as_deref(),
            Some(format!("{changed}{unit}").as_str()),
            "{what}"
        );
    }
}

#[test]
fn every_linked_figure_is_caught_when_the_table_side_changes() {
    let r = run(ZHONGWEI);
    for l in &r.report.links {
        let cell = r.report.tables.get(&l.cells[0]).expect("cell");
        let old = number(&cell.value);
        assert_eq!(r.parsed.text_of(cell.span).trim(), old, "{}", l.indicator);
        let changed = (old.parse::<i64>().expect("integer") + 7).to_string();
        let input = splice(ZHONGWEI, cell.span, &changed);
        let m = run(&input);
        let at = line(&r, l.span);
        let d = of_code(&m, "NB301")
            .into_iter()
            .find(|d| d.span == l.span)
            .unwrap_or_else(|| {
                panic!(
                    "{} (line {at}): table {old} → {changed} not caught: {:?}",
                    l.indicator,
                    findings(&m)
                )
            });
        assert_eq!(
            d.expected.as_deref(),
            Some(changed.as_str()),
            "{}",
            l.indicator
        );
        assert_eq!(
            related_lines(&m, d),
            vec![line(&r, cell.span)],
            "{}",
            l.indicator
        );
    }
}

#[test]
fn nb301_zero_in_words_against_a_nonzero_table() {
    // Complaints: the table says 2, the text says none happened.
    let input = set_value(ZHONGWEI, "六、举报投诉数量", "2");
    let r = run(&input);
    let at = line_of(&input, "全市未发生因公民");
    let d = the(&r, "NB301", at);
    assert_eq!(r.parsed.text_of(d.span), "投诉举报");
    assert_eq!(
        related_lines(&r, d),
        vec![line_of(&input, "| 六、举报投诉数量")]
    );
    assert_eq!(d.expected.as_deref(), Some("2"));
    assert_eq!(d.found.as_deref(), Some("0（投诉举报）"));
    assert_eq!(of_code(&r, "NB301").len(), 1);

    // Fees: the table charges 1 万元, the text says all free.
    let input = set_value(ZHONGWEI, "七、依申请公开信息收取的费用", "1");
    let r = run(&input);
    let at = line_of(&input, "全部实行免费");
    let d = the(&r, "NB301", at);
    assert_eq!(r.parsed.text_of(d.span), "全部实行免费");
    assert_eq!(
        related_lines(&r, d),
        vec![line_of(&input, "| 七、依申请公开信息收取的费用")]
    );
    assert_eq!(d.expected.as_deref(), Some("1"));
    assert_eq!(d.found.as_deref(), Some("0（全部实行免费）"));
}

#[test]
fn nb301_a_fee_stated_as_a_figure_is_linked_and_compared() {
    let input = replace_once(ZHONGWEI, "全部实行免费", "收取费用 3 万元");
    let r = run(&input);
    let at = line_of(&input, "收取费用 3 万元");
    let l = links_on(&r, "fees.total", at);
    assert_eq!(l.len(), 1, "{:#?}", show_links(&r));
    assert_eq!(figure(&r, l[0]), "3 万元");
    let d = the(&r, "NB301", at);
    assert_eq!(d.expected.as_deref(), Some("0"));
    assert_eq!(d.found.as_deref(), Some("3万元"));
}

// ---------------------------------------------------------------------------
// Scope: a sentence about one office is not the report's figure.

#[test]
fn a_sentence_about_one_office_is_not_linked() {
    let sentence = "区政府办代表区政府受理政府信息依申请公开申请 17 件。";
    let input = insert_paragraph(ZHONGWEI, "## 五、因信息公开申请行政复议", sentence);
    let r = run(&input);
    let at = line_of(&input, sentence);
    let on_line: Vec<String> = r
        .report
        .links
        .iter()
        .filter(|l| line(&r, l.span) == at || line(&r, l.phrase_span) == at)
        .map(|l| l.indicator.clone())
        .collect();
    assert!(on_line.is_empty(), "{on_line:?}");
    assert_silent(&r, "NB301");

    // The same sentence about the whole city is linked and caught: the scope
    // words, not the phrasing, keep the office's sentence out.
    let whole = "全市受理政府信息依申请公开申请 17 件。";
    let input = insert_paragraph(ZHONGWEI, "## 五、因信息公开申请行政复议", whole);
    let r = run(&input);
    let at = line_of(&input, whole);
    let d = the(&r, "NB301", at);
    assert_eq!(d.expected.as_deref(), Some("43"));
    assert_eq!(d.found.as_deref(), Some("17件"));
}

// ---------------------------------------------------------------------------
// NB401 breakdown-sum-mismatch

const NINE_FIFTY_NINE: &str = "其中新增 215 项、取消 97 项、下放 21 项，合并 14 项、变更 601 项。";

#[test]
fn nb401_nb402_silent_where_a_list_is_read_further_than_it_goes() {
    for text in [
        // A part broken down in turn.
        "全年共制发政府信息487条，其中，主动公开政府信息117条（涵盖政策类10条、规划类1条、项目类7条、民政类4条、科教类12条、应急类2条、其他81条）、依申请公开274条、不予公开96条。",
        // Two lists of one total.
        "共收到政府信息公开申请8件，申请事项涉及政策法规信息1件、机构设置信息1件、小区备案信息6件，均严格按照《条例》要求，做好申请公开登记、审核、办理、答复、归档等各项工作。其中，同意公开3件，占比37.5%；无法提供4件，占比50%；区分处理后公开1件，占比12.5%。",
        // Overlapping parts that describe the total, each a share of a nearer total.
        "在省网发布的事项共有89项，其中行政许可57项，实现一趟不用跑的有45项，占比78.9%；实现全程网办的有41项，占比71.9%；即办件有36项，占比63.2%。",
        // A share of the nearer total.
        "2011年制作政府信息总数1873条，其中主动公开政府信息425条，作为依申请公开信息数46条。区直各单位主动公开政府信息303条，占71.3%。",
        // A share whose count was lost.
        "2015年制作政府信息总数65条，其中主动公开政府信息65条，作为依申请公开信息数0条。主动公开的政府信条，占100%。",
    ] {
        let r = run(text);
        assert_silent(&r, "NB401");
        assert_silent(&r, "NB402");
    }
    // A list that really does not add up still does.
    let r = run("门户网站公开政府信息44条，其中安全生产类信息1条；重大建设项目信息2条；科教类信息1条；其他信息38条。");
    assert_eq!(of_code(&r, "NB401").len(), 1, "{:?}", findings(&r));
}

#[test]
fn nb401_fires_on_zhongwei_959() {
    let r = run(ZHONGWEI);
    let at = line_of(ZHONGWEI, "959 项权力事项");
    assert_eq!(at, 156);
    let d = the(&r, "NB401", at);
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(r.parsed.text_of(d.span), "959 项");
    assert_eq!(d.expected.as_deref(), Some("959"));
    assert_eq!(d.found.as_deref(), Some("948"));
    let parts: Vec<&str> = d.related.iter().map(|x| r.parsed.text_of(x.span)).collect();
    assert_eq!(parts, vec!["215 项", "97 项", "21 项", "14 项", "601 项"]);
    assert_eq!(related_lines(&r, d), vec![at; 5]);
    // The only one in the fixture: 73659 (a few subsets), 43 (holds) and 13.74
    // (holds as intervals) stay silent.
    assert_eq!(of_code(&r, "NB401").len(), 1, "{:?}", findings(&r));
}

#[test]
fn nb401_silent_when_the_list_is_not_a_partition_or_holds() {
    let r = run(ZHONGWEI);
    for needle in [
        "政府信息总数 73659 条，其中，制发规范性文件总数 693 条",
        "43 件，其中，当面申请 33 件，网上申请 6 件、信函申请 4 件",
        "13.74亿元。其中，征前减免12.83亿元，退库减免0.9亿元",
    ] {
        let at = line_of(ZHONGWEI, needle);
        assert!(
            !of_code(&r, "NB401").iter().any(|d| line(&r, d.span) == at),
            "{needle}"
        );
    }
    // The two that hold are read as breakdowns: silence is arithmetic, not a miss.
    let f = &r.report.facts;
    let show = |i: usize| {
        format!(
            "{}{}",
            f.quantities[i].quantity.value,
            f.quantities[i].quantity.unit.as_deref().unwrap_or("")
        )
    };
    let read: Vec<(String, Vec<String>)> = f
        .breakdowns
        .iter()
        .map(|b| (show(b.total), b.parts.iter().map(|&p| show(p)).collect()))
        .collect();
    for (total, parts) in [
        ("43件", vec!["33件", "6件", "4件"]),
        ("13.74亿元", vec!["12.83亿元", "0.9亿元"]),
    ] {
        assert!(
            read.iter().any(|(t, p)| t == total && *p == parts),
            "{total} = {parts:?} not read; breakdowns: {read:?}"
        );
    }

    for (name, text, total, parts) in [
        (
            "pingtan-2018",
            PINGTAN_2018,
            "2069条",
            vec!["1592条", "477条"],
        ),
        (
            "pingtan-caizhengjinrongju-2020",
            CZJ_2020,
            "425条",
            vec!["148条", "182条", "95条"],
        ),
        (
            "pingtan-caizhengjinrongju-2025",
            CZJ_2025,
            "467条",
            vec!["53条", "246条", "168条"],
        ),
    ] {
        let r = run(text);
        assert_silent(&r, "NB401");
        let f = &r.report.facts;
        let show = |i: usize| {
            format!(
                "{}{}",
                f.quantities[i].quantity.value,
                f.quantities[i].quantity.unit.as_deref().unwrap_or("")
            )
        };
        assert!(
            f.breakdowns.iter().any(|b| show(b.total) == total
                && b.parts.iter().map(|&p| show(p)).collect::<Vec<_>>() == parts),
            "{name}: {total} = {parts:?} not read"
        );
    }
}

#[test]
fn nb401_silent_for_an_open_list_just_short_of_its_total() {
    let input = replace_once(
        ZHONGWEI,
        NINE_FIFTY_NINE,
        "其中新增 215 项、取消 97 项、下放 21 项，合并 14 项、变更 601 项等。",
    );
    assert_silent(&run(&input), "NB401");
}

#[test]
fn nb401_parts_above_the_total_always_fire() {
    let input = replace_once(ZHONGWEI, "变更 601 项", "变更 650 项");
    let r = run(&input);
    let d = the(&r, "NB401", 156);
    assert_eq!(d.expected.as_deref(), Some("959"));
    assert_eq!(d.found.as_deref(), Some("997"));

    // Even in a list ending in 等: parts cannot add up to more than their total.
    let input = replace_once(
        ZHONGWEI,
        NINE_FIFTY_NINE,
        "其中新增 215 项、取消 97 项、下放 21 项，合并 14 项、变更 650 项等。",
    );
    let r = run(&input);
    assert_eq!(the(&r, "NB401", 156).found.as_deref(), Some("997"));

    // And a list that holds becomes wrong when a part grows past the total.
    let input = replace_once(ZHONGWEI, "当面申请 33 件", "当面申请 35 件");
    let r = run(&input);
    let at = line_of(&input, "当面申请 35 件");
    let d = the(&r, "NB401", at);
    assert_eq!(d.expected.as_deref(), Some("43"));
    assert_eq!(d.found.as_deref(), Some("45"));
}

#[test]
fn nb401_a_list_in_brackets_ends_at_its_closing_bracket() {
    // The list of 14 closes with `）`; 规划计划类 is the next item of the outer sentence.
    let text = "在主动公开的20条政府信息中，为民办实事类信息14条（其中一事一议奖补项目2条；家电下乡进度通报12条）；规划计划类信息4条。";
    let r = run(text);
    assert_silent(&r, "NB401");
    let f = &r.report.facts;
    let read: Vec<(String, Vec<String>)> = f
        .breakdowns
        .iter()
        .map(|b| {
            let show = |i: usize| f.quantities[i].quantity.value.to_string();
            (show(b.total), b.parts.iter().map(|&p| show(p)).collect())
        })
        .collect();
    assert_eq!(
        read,
        vec![("14".to_string(), vec!["2".to_string(), "12".to_string()])]
    );
    // A slip inside the brackets is still caught.
    let r = run(&text.replace("通报12条", "通报11条"));
    let d = of_code(&r, "NB401");
    assert_eq!(d.len(), 1, "{:?}", findings(&r));
    assert_eq!(d[0].found.as_deref(), Some("13"));
}

#[test]
fn nb401_a_list_complete_at_a_semicolon_ends_there() {
    // 8 + 12 = 20 at the `；`: what follows is the paragraph's next statement.
    let text = "2025年累计主动公开政府信息20条，其中监督检查情况8条，其他应主动公开的政府信息12条；公开财政预决算信息2条、三公经费信息1条，发布公示公告50条。";
    let r = run(text);
    assert_silent(&r, "NB401");
    assert_eq!(r.report.facts.breakdowns.len(), 1);
    assert_eq!(r.report.facts.breakdowns[0].parts.len(), 2);
    // A list that does not add up at the `；` goes on, as a list of `；` items does.
    let r = run("门户网站公开政府信息45条，其中安全生产类信息1条；重大建设项目信息2条；科教类信息1条；其他信息38条。");
    let d = of_code(&r, "NB401");
    assert_eq!(d.len(), 1, "{:?}", findings(&r));
    assert_eq!(d[0].found.as_deref(), Some("42"));
}

#[test]
fn a_count_without_its_unit_in_a_list_takes_the_lists_unit() {
    // `信息数169` is a part in 条: 169 + 317 + 24 = 510, complete at the `；`.
    let text = "全年印发公文类政府信息共510条，其中主动公开信息数169，依申请公开信息数317条，不予公开24条；全年通过政府门户网站主动公开规范性文件类信息5条，民政类信息77条，科教卫健类信息83条。";
    let r = run(text);
    assert_silent(&r, "NB401");
    let q = &r.report.facts.quantities;
    let elided: Vec<String> = q
        .iter()
        .filter(|x| x.unit_elided)
        .map(|x| {
            format!(
                "{}{}",
                x.quantity.value,
                x.quantity.unit.as_deref().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(elided, vec!["169条"]);
    let b = &r.report.facts.breakdowns;
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].parts.len(), 3);
    // A slip among such parts is caught, the elided one counted.
    let r = run(&text
        .replace("信息数169", "信息数179")
        .replace("24条；", "24条。"));
    let d = of_code(&r, "NB401");
    assert_eq!(d.len(), 1, "{:?}", findings(&r));
    assert_eq!(d[0].found.as_deref(), Some("520"));
    // Outside a list, a bare number after `数` is no count: a year, a phone, a code.
    for text in [
        "政府信息公开专栏访问人数12345，较上年增长。",
        "共收到申请3件。回复数3，办结。",
        "共10条，其中主动公开信息数1.5，其他8条。",
        "增长率10%，其中访问数12，其他3条。",
    ] {
        let r = run(text);
        assert!(
            !r.report.facts.quantities.iter().any(|x| x.unit_elided),
            "{text}"
        );
    }
}

#[test]
fn nb401_etc_inside_an_items_name_leaves_the_list_exhaustive() {
    // 等方面 names one category; the list ends with the catch-all 其他….
    let text = "门户网站公开政府信息79条，其中应急预案7条；重大建设项目1条；规划1条；监督检查情况6条；扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况1条；其他应主动公开的政府信息62条。";
    let r = run(text);
    let d = of_code(&r, "NB401");
    assert_eq!(d.len(), 1, "{:?}", findings(&r));
    assert_eq!(d[0].found.as_deref(), Some("78"));
    // `等` after the last part still leaves it open.
    for open in [
        text.replace("信息62条。", "信息62条等。"),
        text.replace("信息62条。", "信息62条等方面。"),
    ] {
        assert_silent(&run(&open), "NB401");
    }
}

// ---------------------------------------------------------------------------
// A part counts what its total counts.

#[test]
fn a_documents_not_made_public_count_is_not_linked_to_refused_applications() {
    for sentence in [
        // A part of a total of documents issued (the table has no such cell).
        "2024年，我局共制发政府信息349条，其中，主动公开政府信息124条、依申请公开173条、不予公开52条。",
        // A list whose total is no figure: `其中` speaks of the sentence before.
        "向社会及时公开执法应急领域相关工作动态和政务信息。其中主动公开253份、依申请公开及不予公开409份。",
        // A part in another unit than its total: still a part of it.
        "全年共制作政府信息总数110份，其中主动公开信息20条，依申请公开政府信息86条，不予公开政府信息4条。",
    ] {
        let input = insert_paragraph(PINGTAN_2023, "二、主动公开政府信息情况", sentence);
        let r = run(&input);
        let at = line_of(&input, sentence);
        let on_line: Vec<String> = r
            .report
            .links
            .iter()
            .filter(|l| line(&r, l.span) == at)
            .map(|l| l.indicator.clone())
            .collect();
        assert!(on_line.is_empty(), "{sentence}: {on_line:?}");
        assert_silent(&r, "NB301");
    }
    // The same count as a part of applications answered is linked and caught.
    let sentence = "全年办结政府信息公开申请81件，其中不予公开52件。";
    let input = insert_paragraph(PINGTAN_2023, "二、主动公开政府信息情况", sentence);
    let r = run(&input);
    let at = line_of(&input, sentence);
    assert_eq!(
        links_on(&r, "sum.result.denied", at).len(),
        1,
        "{:#?}",
        show_links(&r)
    );
    let d = the(&r, "NB301", at);
    assert_eq!(d.expected.as_deref(), Some("5"));
    assert_eq!(d.found.as_deref(), Some("52件"));
}

#[test]
fn a_part_that_is_a_whole_of_the_table_keeps_its_link_under_a_total_the_table_lacks() {
    // 2008 era: 主动公开政府信息 is no cell's part, so a part of 制作政府信息总数
    // is still the table's 主动公开文件数 (2069 in the fixture's table).
    let sentence = "2018年制作、获取政府信息总数3000条，其中主动公开政府信息2069条，作为依申请公开信息数0条，不予公开信息数931。";
    let input = insert_paragraph(PINGTAN_2018, "（一）主动公开政府信息的数量", sentence);
    let r = run(&input);
    let at = line_of(&input, sentence);
    let l = links_on(&r, "active.total", at);
    assert_eq!(l.len(), 1, "{:#?}", show_links(&r));
    assert_eq!(figure(&r, l[0]), "2069条");
    assert_silent(&r, "NB301");
    assert_silent(&r, "NB401");
    let r = run(&input.replace("公开政府信息2069条，作为", "公开政府信息2096条，作为"));
    let d = the(&r, "NB301", at);
    assert_eq!(d.expected.as_deref(), Some("2069"));
    // …while a part of another cell needs a total the table knows.
    let sentence = "2018年全区共收到有关来信来访50件，其中当面申请3件。";
    let input = insert_paragraph(PINGTAN_2018, "（一）主动公开政府信息的数量", sentence);
    let r = run(&input);
    let at = line_of(&input, sentence);
    assert!(
        links_on(&r, "apply.received.in_person", at).is_empty(),
        "{:#?}",
        show_links(&r)
    );
    assert_silent(&r, "NB301");
}

#[test]
fn nb301_applications_received_in_other_words() {
    // pingtan-2023's table: 81 new applications.
    for sentence in [
        "2023年共收到依申请公开80件。",
        "全年受理依申请公开80件。",
        "全年受理信息公开申请80件。",
    ] {
        let input = insert_paragraph(PINGTAN_2023, "二、主动公开政府信息情况", sentence);
        let r = run(&input);
        let at = line_of(&input, sentence);
        assert_eq!(links_on(&r, "apply.new", at).len(), 1, "{sentence}");
        let d = the(&r, "NB301", at);
        assert_eq!(d.expected.as_deref(), Some("81"), "{sentence}");
    }
}

#[test]
fn nb301_applications_of_legal_persons_are_the_five_organisation_columns() {
    // pingtan-2023's table: 80 new applications from 自然人, 1 from 商业企业.
    let sentence = "2023年共收到政府信息公开申请81件，其中法人申请1件、自然人申请80件。";
    let input = insert_paragraph(PINGTAN_2023, "二、主动公开政府信息情况", sentence);
    let r = run(&input);
    let at = line_of(&input, sentence);
    let l = links_on(&r, "sum.apply.new.organisations", at);
    assert_eq!(l.len(), 1, "{:#?}", show_links(&r));
    assert_eq!(
        l[0].cells,
        [
            "apply.new@commercial",
            "apply.new@research",
            "apply.new@nonprofit",
            "apply.new@legal",
            "apply.new@other_org"
        ]
    );
    assert_silent(&r, "NB301");
    // Two from legal persons: the table says 1, and the message names the columns.
    let r = run(&input.replace("法人申请1件", "法人申请2件"));
    let d = the(&r, "NB301", at);
    assert_eq!(d.expected.as_deref(), Some("1"));
    assert_eq!(d.found.as_deref(), Some("2件"));
    assert!(
        d.message
            .zh
            .contains("（商业企业+科研机构+社会公益组织+法律服务机构+其他）"),
        "{}",
        d.message.zh
    );
    assert_eq!(d.related.len(), 5);
}

// ---------------------------------------------------------------------------
// 2008-era tables with 本年度 | 历年累计 columns (the pingtan variant).

/// pingtan-2018 with `sentence` for its statements that no application and no
/// case was received, and its table's rows set to `(year, cumulative)` values.
fn pingtan_2018_with(sentence: &str, rows: &[(&str, &str, &str)]) -> String {
    let text = replace_once(PINGTAN_2018, "2018年未收到有关政府信息公开申请。", sentence);
    let mut text = replace_once(
        &text,
        "2018年未收到有关政府信息公开行政复议、提起行政诉讼的申请。",
        "复议、诉讼情况见上文。",
    );
    for (label, year, cumulative) in rows {
        let line = whole_line(&text, &format!("| {label} |"));
        let unit = line
            .split('|')
            .nth(2)
            .unwrap_or_default()
            .trim()
            .to_string();
        let row = format!("| {label} | {unit} | {year} | {cumulative} |\n");
        text = replace_once(&text, &line, &row);
    }
    text
}

const APPLICATIONS_2008: &str = "2018年共收到有关政府信息公开的申请3条，其中当面申请1条、网上申请2条；对申请的答复总数3条，其中同意公开答复数2条，不予公开答复数1条。因政府信息公开申请引发的行政复议案件1件、行政诉讼案件0件。";

#[test]
fn nb301_applications_answers_and_cases_of_a_2008_variant_table() {
    // The table (all 0) contradicts every count the paragraph states but 行政诉讼 0件.
    let input = pingtan_2018_with(APPLICATIONS_2008, &[]);
    let r = run(&input);
    assert_eq!(r.report.format, "stat-table-2008");
    let at = line_of(&input, APPLICATIONS_2008);
    let mut flagged: Vec<(String, String)> = of_code(&r, "NB301")
        .iter()
        .filter(|d| line(&r, d.span) == at)
        .map(|d| {
            (
                r.parsed.text_of(d.span).to_string(),
                d.expected.clone().unwrap_or_default(),
            )
        })
        .collect();
    flagged.sort();
    let mut expected: Vec<(String, String)> = ["3条", "1条", "2条", "3条", "2条", "1条", "1件"]
        .iter()
        .map(|f| (f.to_string(), "0".to_string()))
        .collect();
    expected.sort();
    assert_eq!(flagged, expected, "{:#?}", show_links(&r));
    for indicator in [
        "apply.received",
        "apply.received.in_person",
        "apply.received.online",
        "apply.answered",
        "apply.answered.granted",
        "apply.answered.denied",
        "review.total",
        "suit.total",
    ] {
        let l = links_on(&r, indicator, at);
        assert_eq!(l.len(), 1, "{indicator}: {:#?}", show_links(&r));
        assert_eq!(l[0].cells, vec![format!("{indicator}@year")], "{indicator}");
    }

    // With the table's year column filled in as the text says, nothing is flagged.
    let input = pingtan_2018_with(
        APPLICATIONS_2008,
        &[
            ("受理依申请公开信息总数", "3", "3"),
            ("其中：1.当面申请数", "1", "1"),
            ("2.网上申请数", "2", "2"),
            ("对申请的答复总数", "3", "3"),
            ("其中：1.同意公开答复数", "2", "2"),
            ("3.不予公开答复数", "1", "1"),
            ("行政复议数", "1", "1"),
        ],
    );
    let r = run(&input);
    assert_silent(&r, "NB301");
    assert_silent(&r, "NB201");
}

#[test]
fn nb301_a_figure_of_all_years_is_the_cumulative_column() {
    // The table: 2069 this year, 12106 over all years.
    let sentence = "截至目前，全区历年累计主动公开政府信息12106条。";
    let input = insert_paragraph(PINGTAN_2018, "四、因政府信息公开申请行政复议", sentence);
    let r = run(&input);
    let at = line_of(&input, sentence);
    let l = links_on(&r, "active.total@cumulative", at);
    assert_eq!(l.len(), 1, "{:#?}", show_links(&r));
    assert_eq!(l[0].cells, vec!["active.total@cumulative".to_string()]);
    assert!(links_on(&r, "active.total", at).is_empty());
    assert_silent(&r, "NB301");
    let r = run(&input.replace("12106条", "12160条"));
    let d = the(&r, "NB301", at);
    assert_eq!(d.expected.as_deref(), Some("12106"));
    assert!(d.message.zh.contains("（历年累计）"), "{}", d.message.zh);

    // A year named after the words of all years brings the figure back to the year.
    let sentence = "截至目前，全区历年累计公开信息1万余条，其中2018年度主动公开政府信息2096条。";
    let input = insert_paragraph(PINGTAN_2018, "四、因政府信息公开申请行政复议", sentence);
    let r = run(&input);
    let at = line_of(&input, sentence);
    let d = the(&r, "NB301", at);
    assert_eq!(d.expected.as_deref(), Some("2069"));

    // A table without such a column takes no figure of all years…
    let sentence = "全市历年累计主动公开政府信息100000条，累计至今收到政府信息依申请公开 500 件。";
    let input = insert_paragraph(ZHONGWEI, "## 五、因信息公开申请行政复议", sentence);
    let r = run(&input);
    let at = line_of(&input, sentence);
    let on_line: Vec<String> = show_links(&r)
        .into_iter()
        .filter(|l| l.contains(&format!("line {at} ")))
        .collect();
    assert!(on_line.is_empty(), "{on_line:?}");
    assert_silent(&r, "NB301");
    // …but a zero of all years is the year's zero too.
    let input = set_value(ZHONGWEI, "七、依申请公开信息收取的费用", "1");
    let sentence = "历年来，全市未发生政府信息公开收费。";
    let input = insert_paragraph(&input, "## 五、因信息公开申请行政复议", sentence);
    let r = run(&input);
    let at = line_of(&input, sentence);
    let d = the(&r, "NB301", at);
    assert_eq!(d.found.as_deref(), Some("0（收费）"));
}

// ---------------------------------------------------------------------------
// NB403 parts-count-mismatch

#[test]
fn nb403_the_parts_a_report_lists_against_the_number_it_states() {
    // Eight listed, six stated; 因…复议、提起…的情况 is one part.
    let text = "本报告由概述、主动公开政府信息情况、依申请公开政府信息办理情况、政府信息公开的收费及减免情况、因政府信息公开申请行政复议、提起行政诉讼的情况、工作存在的主要问题及改进情况、其他需要说明的事项、附表等共六个部分组成。";
    let r = run(text);
    let d = of_code(&r, "NB403");
    assert_eq!(d.len(), 1, "{:?}", findings(&r));
    assert_eq!(r.parsed.text_of(d[0].span), "六个部分");
    assert_eq!(d[0].expected.as_deref(), Some("8"));
    assert_eq!(d[0].found.as_deref(), Some("6"));
    assert_eq!(d[0].severity, Severity::Warning);
    // Stated right, it is silent.
    assert_silent(&run(&text.replace("共六个部分", "共八个部分")), "NB403");
    // Fewer listed than stated, every part read without joining: certain too.
    let r = run("本报告由概述、主动公开情况、依申请公开情况、附表共五个部分组成。");
    let d = of_code(&r, "NB403");
    assert_eq!(d.len(), 1, "{:?}", findings(&r));
    assert_eq!(d[0].expected.as_deref(), Some("4"));

    for text in [
        // The fixtures' and the corpus' wordings that hold.
        "本报告由概述、主动公开政府信息情况、政府信息依申请公开办理情况、因政府信息公开申请行政复议、提起行政诉讼的情况、政府信息公开工作存在的主要问题及改进措施和政府信息公开情况统计表共六个部分组成。",
        "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议与行政诉讼情况、信息处理费收取情况和存在的主要问题及改进措施等六个部分组成。",
        "本报告由概述，主动公开政府信息情况，依申请公开政府信息和不予公开政府信息情况，政府信息公开的收费及减免情况，因政府信息公开申请行政复议、提起行政诉讼的情况，工作存在的主要问题及改进措施，共六个部分组成。",
        // 与 may join two names into one part: not counted against the report.
        "本报告由概述、主动公开政府信息情况、政府信息依申请公开办理情况、因政府信息公开申请行政复议、提起行政诉讼的情况，政府信息公开工作存在的问题及改进措施，需要说明的其他事项与附表等六部分组成。",
        // Fewer listed when a piece was joined: not certain.
        "本报告由概述、存在的主要问题、改进措施共四个部分组成。",
        // Not the report's account of itself.
        "按照决策、执行、管理、服务、结果等五个部分推进公开。",
        "该项目由甲情况、乙情况共三个部分组成。",
    ] {
        assert_silent(&run(text), "NB403");
    }
}

// ---------------------------------------------------------------------------
// NB402 rate-mismatch

fn rates_read(r: &CheckedReport) -> Vec<(String, String, String)> {
    let f = &r.report.facts;
    let v = |i: usize| f.quantities[i].quantity.value.to_string();
    f.rates
        .iter()
        .map(|x| (v(x.rate), v(x.part), v(x.whole)))
        .collect()
}

fn has_rate(r: &CheckedReport, rate: &str, part: &str, whole: &str) -> bool {
    rates_read(r)
        .iter()
        .any(|(a, b, c)| a == rate && b == part && c == whole)
}

#[test]
fn nb402_zhongwei_completion_rate_holds_and_a_changed_rate_fires() {
    let r = run(ZHONGWEI);
    assert!(has_rate(&r, "94.7", "18", "19"), "{:?}", rates_read(&r));
    assert_silent(&r, "NB402");

    let input = replace_once(ZHONGWEI, "办结率94.7%", "办结率95.7%");
    let r = run(&input);
    let at = line_of(&input, "办结率95.7%");
    let d = the(&r, "NB402", at);
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(r.parsed.text_of(d.span), "95.7%");
    assert_eq!(d.found.as_deref(), Some("95.7%"));
    assert_eq!(d.expected.as_deref(), Some("94.74%"));
    assert_eq!(related_lines(&r, d), vec![at, at]);
}

#[test]
fn nb402_pingtan_2023_shares_hold_and_a_changed_share_fires() {
    let r = run(PINGTAN_2023);
    for (rate, part) in [
        ("51.85", "42"),
        ("6.17", "5"),
        ("38.27", "31"),
        ("1.23", "1"),
        ("2.47", "2"),
    ] {
        assert!(
            has_rate(&r, rate, part, "81"),
            "{rate}% = {part}/81 not read: {:?}",
            rates_read(&r)
        );
    }
    assert_silent(&r, "NB402");

    let input = replace_once(PINGTAN_2023, "占51.85%", "占52.85%");
    let r = run(&input);
    let at = line_of(&input, "占52.85%");
    let d = the(&r, "NB402", at);
    assert_eq!(d.found.as_deref(), Some("52.85%"));
    assert_eq!(d.expected.as_deref(), Some("51.852%"));
    assert_eq!(of_code(&r, "NB402").len(), 1, "{:?}", findings(&r));
}

#[test]
fn nb402_a_share_outside_a_breakdown_is_of_the_nearest_total_before_it() {
    // The shares follow a second list of the total 8, not its breakdown.
    let text = "2024年，我局共收到政府信息公开申请8件，申请事项涉及政策法规信息1件、机构设置信息1件、小区备案信息6件。其中，同意公开3件，占比37.5%；无法提供4件，占比50%；区分处理后公开1件，占比12.5%。";
    let r = run(text);
    for (rate, part) in [("37.5", "3"), ("50", "4"), ("12.5", "1")] {
        assert!(has_rate(&r, rate, part, "8"), "{:?}", rates_read(&r));
    }
    assert_silent(&r, "NB402");
    // `6件。其中` does not make the last item of the enumeration a total of its own.
    assert_silent(&r, "NB401");
    let r = run(&text.replace("占比37.5%", "占比47.5%"));
    let d = of_code(&r, "NB402");
    assert_eq!(d.len(), 1, "{:?}", findings(&r));
    assert_eq!(d[0].found.as_deref(), Some("47.5%"));
    assert_eq!(d[0].expected.as_deref(), Some("37.5%"));

    // A whole named as `在…的425条政府信息中`.
    let text = "在管委会网站主动公开的425条政府信息中，机构职能信息148条，占34.8%；政策、规范性文件类信息21条，占4.9%；行政许可类信息8条，占1.9%。";
    let r = run(text);
    for (rate, part) in [("34.8", "148"), ("4.9", "21"), ("1.9", "8")] {
        assert!(has_rate(&r, rate, part, "425"), "{:?}", rates_read(&r));
    }
    assert_silent(&r, "NB402");
    let r = run(&text.replace("占4.9%", "占5.9%"));
    assert_eq!(of_code(&r, "NB402").len(), 1, "{:?}", findings(&r));

    // No total before the share, or only a smaller one, or one in another unit or
    // paragraph: no whole is guessed.
    for text in [
        "发布信息5条，占10%。",
        "共收到申请2件。发布信息5条，占10%。",
        "共收到申请20件。发布信息5条，占10%。",
        "共发布信息20条。\n\n其中政策信息5条，占10%。",
    ] {
        let r = run(text);
        assert!(rates_read(&r).is_empty(), "{text}: {:?}", rates_read(&r));
    }
}

#[test]
fn nb402_pingtan_2018_share_holds() {
    let r = run(PINGTAN_2018);
    assert!(has_rate(&r, "76.9", "1592", "2069"), "{:?}", rates_read(&r));
    assert_silent(&r, "NB402");
    // 1592 / 2069 = 76.94…%: 77.9 is off by a whole point.
    let input = replace_once(PINGTAN_2018, "占76.9%", "占77.9%");
    let r = run(&input);
    the(&r, "NB402", line_of(&input, "占77.9%"));
}

// ---------------------------------------------------------------------------
// NB501 doc-number-brackets

#[test]
fn nb501_fires_with_the_fixed_form() {
    let at = line_of(ZHONGWEI, "（卫政办发〔2017〕97号）");
    for (written, brackets) in [
        ("卫政办发[2017]97号", "[]"),
        ("卫政办发【2017】97号", "【】"),
        ("卫政办发(2017)97号", "()"),
    ] {
        let input = replace_once(ZHONGWEI, "卫政办发〔2017〕97号", written);
        let r = run(&input);
        let d = the(&r, "NB501", at);
        assert_eq!(d.severity, Severity::Warning);
        assert_eq!(r.parsed.text_of(d.span), written);
        assert_eq!(
            d.expected.as_deref(),
            Some("卫政办发〔2017〕97号"),
            "{written}"
        );
        assert_eq!(d.found.as_deref(), Some(brackets), "{written}");
        assert_eq!(of_code(&r, "NB501").len(), 1, "{written}");
    }
}

#[test]
fn nb501_silent_for_standard_brackets_and_bracketed_words() {
    // Every 文号 of zhongwei uses 〔〕.
    assert_silent(&run(ZHONGWEI), "NB501");
    let input = insert_paragraph(
        ZHONGWEI,
        "(四)规范政务公开平台运行建设",
        "在政府网站开设【读图】【2017年度】栏目，发布【读图】一图读懂 12 篇。",
    );
    assert_silent(&run(&input), "NB501");
}

// ---------------------------------------------------------------------------
// NB502 impossible-date

fn with_sentence(sentence: &str) -> String {
    insert_paragraph(ZHONGWEI, "(四)规范政务公开平台运行建设", sentence)
}

#[test]
fn nb502_fires_on_impossible_dates() {
    for bad in [
        "2017年13月",
        "2017年2月30日",
        "2017年2月29日",
        "2017 年 4 月 31 日",
    ] {
        let sentence = format!("{bad}，召开政务公开工作会议。");
        let input = with_sentence(&sentence);
        let r = run(&input);
        let d = the(&r, "NB502", line_of(&input, &sentence));
        assert_eq!(d.severity, Severity::Error, "{bad}");
        assert_eq!(r.parsed.text_of(d.span), bad);
        assert_eq!(of_code(&r, "NB502").len(), 1, "{bad}");
    }
}

#[test]
fn nb502_silent_on_real_dates() {
    assert_silent(&run(ZHONGWEI), "NB502");
    for good in [
        "2016年2月29日",
        "2000年2月29日",
        "2017年12月31日",
        "2017-12-31",
    ] {
        let input = with_sentence(&format!("{good}，召开政务公开工作会议。"));
        assert_silent(&run(&input), "NB502");
    }
    // 2100 is divisible by 100 and not by 400: no 29 February.
    let input = with_sentence("2100年2月29日，召开政务公开工作会议。");
    the(&run(&input), "NB502", line_of(&input, "2100年2月29日"));
}

// ---------------------------------------------------------------------------
// NB503 dated-outside-period

#[test]
fn nb503_one_finding_for_the_list_with_2018_entries() {
    let r = run(ZHONGWEI);
    let d = of_code(&r, "NB503");
    assert_eq!(d.len(), 1, "{:?}", findings(&r));
    let d = d[0];
    assert_eq!(d.severity, Severity::Info);
    assert_eq!(line(&r, d.span), 51);
    assert_eq!(related_lines(&r, d), vec![52, 53, 54, 55]);
    for date in ["2018-01-19", "2018-01-15"] {
        assert!(d.message.zh.contains(date), "{}", d.message.zh);
    }
    assert!(d.message.zh.contains("5 个条目"), "{}", d.message.zh);
}

#[test]
fn nb503_silent_when_every_entry_is_in_the_year() {
    let input = ZHONGWEI
        .replace("| 2018-01-19 |", "| 2017-12-19 |")
        .replace("| 2018-01-15 |", "| 2017-12-15 |");
    assert_ne!(input, ZHONGWEI);
    assert_silent(&run(&input), "NB503");
}

// ---------------------------------------------------------------------------
// NB504 unbalanced-brackets

#[test]
fn nb504_zhongwei_line_7_fires_once_at_the_closing_parenthesis() {
    let r = run(ZHONGWEI);
    let d = of_code(&r, "NB504");
    assert_eq!(d.len(), 1, "{:?}", findings(&r));
    let d = d[0];
    assert_eq!(line(&r, d.span), 7);
    assert_eq!(r.parsed.text_of(d.span), ")");
    let at = ZHONGWEI.find("《办法》)规定").expect("line 7") + "《办法》".len();
    assert_eq!(d.span, Span::new(at, at + 1));
}

#[test]
fn nb504_pingtan_2018_line_7_unclosed_parenthesis_and_doubled_title_bracket() {
    let r = run(PINGTAN_2018);
    let d = of_code(&r, "NB504");
    let mut at: Vec<(usize, &str)> = d
        .iter()
        .map(|d| (d.span.start, r.parsed.text_of(d.span)))
        .collect();
    at.sort_unstable();
    let doubled = PINGTAN_2018.find("《《").expect("doubled 《");
    let address = PINGTAN_2018.find("（联系地址").expect("address");
    assert_eq!(
        at,
        vec![(doubled, "《"), (address, "（")],
        "{:?}",
        findings(&r)
    );
    assert!(d.iter().all(|d| line(&r, d.span) == 7));
}

#[test]
fn nb504_silent_across_page_breaks_and_page_numbers() {
    // zhongwei: a page break inside 《2017 年中卫 / 市淘汰落后…实施方案》 (lines 194–198).
    assert!(
        line_of(ZHONGWEI, "公开《2017 年中卫")
            < line_of(ZHONGWEI, "市淘汰落后和过剩产能工作实施方案》")
    );
    let r = run(ZHONGWEI);
    assert!(of_code(&r, "NB504").iter().all(|d| line(&r, d.span) == 7));

    // huaian: the page-number line `- 1 -` falls inside “建设‘四最’一流 / 营商环境…发展”.
    assert!(line_of(HUAIAN, "“建设‘四最’一流") < line_of(HUAIAN, "- 1 -"));
    assert!(line_of(HUAIAN, "- 1 -") < line_of(HUAIAN, "营商环境高质量推进产业发展”"));
    assert_silent(&run(HUAIAN), "NB504");

    // Move that page break into a 《》 title and into a （） note.
    let without = replace_once(HUAIAN, "一流\n\n- 1 -\n\n营商环境", "一流\n营商环境");
    for (from, to) in [
        (
            "制作《淮安市人民政府公报》",
            "制作《淮安市人民\n\n- 1 -\n\n政府公报》",
        ),
        (
            "“春节前后服务企\n业用工",
            "“春节前后服务企\n\n- 1 -\n\n业用工",
        ),
    ] {
        let input = replace_once(&without, from, to);
        let r = run(&input);
        let page = line_of(&input, "- 1 -");
        assert!(
            r.diagnostics
                .iter()
                .any(|d| d.code == "NB015" && line(&r, d.span) == page),
            "{to:?}: the page-number line is not recognised: {:?}",
            findings(&r)
        );
        assert_silent(&r, "NB504");
    }
}

#[test]
fn nb504_silent_for_list_markers() {
    for list in [
        "主要措施：1）加强组织领导；2）完善制度建设；3）强化监督检查。",
        "主要措施：1)加强组织领导；2)完善制度建设；3)强化监督检查。",
        "主要措施：１）加强组织领导，２）完善制度建设。",
    ] {
        let input = with_sentence(list);
        let r = run(&input);
        let at = line_of(&input, list);
        assert!(
            !of_code(&r, "NB504").iter().any(|d| line(&r, d.span) == at),
            "{list}: {:?}",
            findings(&r)
        );
    }
}

// ---------------------------------------------------------------------------
// NB505 statement-year-mismatch

#[test]
fn nb505_fires_on_last_years_statement() {
    let r = run(CZJ_2025);
    let at = line_of(CZJ_2025, "2024年制作、获取政府信息总数467条");
    let d = of_code(&r, "NB505");
    assert_eq!(d.len(), 1, "{:?}", findings(&r));
    assert_eq!(line(&r, d[0].span), at);
    assert_eq!(r.parsed.text_of(d[0].span), "2024年");
    assert_eq!(d[0].severity, Severity::Warning);
    assert_eq!(d[0].expected.as_deref(), Some("2025"));
    assert_eq!(d[0].found.as_deref(), Some("2024"));
}

#[test]
fn nb505_silent_on_forward_and_backward_references() {
    let fixed = replace_once(
        CZJ_2025,
        "2024年制作、获取政府信息总数467条",
        "2025年制作、获取政府信息总数467条",
    );
    assert_silent(&run(&fixed), "NB505");
    for sentence in [
        "2025年，依申请公开结转至2026年继续办理的申请2件。",
        "2025年主动公开政府信息53条，较2024年增长12条。",
        "2024年主动公开政府信息41条，2025年较上年增长12条。",
        "2024年结转的申请2件已于2025年全部办结。",
    ] {
        let input = insert_paragraph(&fixed, "2025年制作、获取政府信息总数467条", sentence);
        let r = run(&input);
        assert_silent(&r, "NB505");
    }
    // A 2017 report looking ahead: `七、存在问题及2018年工作思路`, `2018年，将着力…`.
    assert_silent(&run(ZHONGWEI), "NB505");
    let input = with_sentence("2016年工作思路中提出的12项任务已全部完成。");
    assert_silent(&run(&input), "NB505");
    // The control: last year's figures stated as this year's.
    let sentence = "2016年共收到政府信息公开申请30件。";
    let input = with_sentence(sentence);
    let r = run(&input);
    the(&r, "NB505", line_of(&input, sentence));
}

// ---------------------------------------------------------------------------
// Bad input: no panic, linear, clear findings or silence.

#[test]
fn thousands_separators_are_read_as_one_number() {
    let sentence = "全年共发布各类信息 1,234 条，转载 12,345,678 条。";
    let input = with_sentence(sentence);
    let r = run(&input);
    assert_eq!(
        quantities_on(&r, line_of(&input, sentence)),
        vec!["1234条", "12345678条"]
    );
    // A linked figure written with a separator compares as the same number.
    let input = replace_once(
        ZHONGWEI,
        "政府网站公开政府信息数 46367 条",
        "政府网站公开政府信息数 46,367 条",
    );
    let r = run(&input);
    let at = line_of(&input, "46,367 条");
    let l = links_on(&r, "active.channel.website", at);
    assert_eq!(l.len(), 1, "{:#?}", show_links(&r));
    assert_eq!(figure(&r, l[0]), "46,367 条");
    assert_silent(&r, "NB301");
    // …and a different one is still caught.
    let input = replace_once(
        ZHONGWEI,
        "政府网站公开政府信息数 46367 条",
        "政府网站公开政府信息数 46,368 条",
    );
    let d = the(&run(&input), "NB301", line_of(&input, "46,368 条")).clone();
    assert_eq!(d.found.as_deref(), Some("46368条"));
}

#[test]
fn numbers_glued_to_letters_or_hotlines_are_not_counts() {
    let sentence =
        "建成5G基站120个，开通12345热线，12345 政务服务热线受理来电 300 件，H5页面、4K 视频 3 条。";
    let input = with_sentence(sentence);
    let r = run(&input);
    assert_eq!(
        quantities_on(&r, line_of(&input, sentence)),
        vec!["120个", "300件", "3条"]
    );
    // A hotline number right after a linked phrase is not its figure.
    let sentence = "通过政务微博发布信息 12345 政务服务热线的通知。";
    let input = with_sentence(sentence);
    let r = run(&input);
    let at = line_of(&input, sentence);
    assert!(
        links_on(&r, "active.channel.weibo", at).is_empty(),
        "{:#?}",
        show_links(&r)
    );
    assert_silent(&r, "NB301");
}

#[test]
fn dates_with_missing_parts_are_not_impossible() {
    for sentence in [
        "2017年，全市政务公开工作有序推进。",
        "2017年5月，成立政务公开办公室。",
        "2017 年 5 月底前完成。",
        "截至2017年",
        "截至2017年5",
        "截至2017年5月",
        "截至2017年5月3",
        "截至2017-",
        "截至2017-12",
        "截至2017-12-",
        "2017年0月",
    ] {
        let input = with_sentence(sentence);
        let r = run(&input);
        let nb502: Vec<_> = of_code(&r, "NB502")
            .iter()
            .map(|d| r.parsed.text_of(d.span).to_string())
            .collect();
        if sentence == "2017年0月" {
            assert_eq!(nb502, vec!["2017年0月"], "{sentence}");
        } else {
            assert!(nb502.is_empty(), "{sentence}: {nb502:?}");
        }
        // At the very end of the input, with no newline after it.
        let r = run(&format!("{ZHONGWEI}\n\n{sentence}"));
        if sentence != "2017年0月" {
            assert_silent(&r, "NB502");
        }
    }
}

#[test]
fn a_title_bracket_never_closed_gives_one_finding() {
    let sentence = "印发《关于做好2017年政务公开工作的通知，要求各单位抓好落实。";
    let input = with_sentence(sentence);
    let r = run(&input);
    let at = line_of(&input, sentence);
    let here: Vec<&str> = of_code(&r, "NB504")
        .iter()
        .filter(|d| line(&r, d.span) == at)
        .map(|d| r.parsed.text_of(d.span))
        .collect();
    assert_eq!(here, vec!["《"]);
    // The rest of the report is read as before: the 《 swallows no later finding.
    assert_eq!(of_code(&r, "NB504").len(), 2);
    assert_eq!(of_code(&r, "NB401").len(), 1);
    // At the end of the input.
    let r = run(&format!("{ZHONGWEI}\n\n印发《关于"));
    assert_eq!(of_code(&r, "NB504").len(), 2);
}

#[test]
fn ten_thousand_numbers_in_one_paragraph() {
    const N: usize = 10_000;
    // A total of 9999 with 10 000 parts of 1: parts above the total.
    let mut paragraph = String::from("全年共梳理事项 9999 件，其中");
    for _ in 0..N - 1 {
        paragraph.push_str("1件、");
    }
    paragraph.push_str("1件。");
    let input = with_sentence(&paragraph);
    let started = std::time::Instant::now();
    let r = run(&input);
    let took = started.elapsed();
    eprintln!("{N} numbers in one paragraph: checked in {took:?}");
    let at = line_of(&input, "全年共梳理事项 9999 件");
    assert_eq!(quantities_on(&r, at).len(), N + 1);
    let d = the(&r, "NB401", at);
    assert_eq!(d.expected.as_deref(), Some("9999"));
    assert_eq!(d.found.as_deref(), Some("10000"));
    assert_eq!(d.related.len(), N);

    // A linked phrase before every number, in one long sentence.
    const LINKED: usize = 10_000;
    let mut paragraph = String::new();
    for _ in 0..LINKED {
        paragraph.push_str("当面申请1件，");
    }
    paragraph.push('。');
    let input = with_sentence(&paragraph);
    let started = std::time::Instant::now();
    let r = run(&input);
    let took = started.elapsed();
    eprintln!("{LINKED} linked phrases in one sentence: checked in {took:?}");
    let at = line_of(&input, "当面申请1件，");
    assert_eq!(links_on(&r, "apply.received.in_person", at).len(), LINKED);
    // Every figure contradicts its table: the first 1,000 findings are listed, then
    // one says how many more there are.
    let nb301: Vec<_> = of_code(&r, "NB301")
        .into_iter()
        .filter(|d| line(&r, d.span) == at)
        .collect();
    let cap = nianbao_model::limit::MAX_PER_RULE;
    assert_eq!(nb301.len(), cap + 1);
    let more = (LINKED - cap).to_string();
    assert_eq!(nb301[cap].found.as_deref(), Some(more.as_str()));
}
