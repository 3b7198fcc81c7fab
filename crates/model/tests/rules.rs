//! Every rule code of the model (NB101–NB112, NB201–NB216): one input that
//! triggers it — code, severity and the line its span points at — and a close
//! input where it must stay silent. Inputs are the real fixtures with one edit
//! made in code, so each test shows exactly what changed.
//!
//! Also: no unmodified fixture gives an error, and a made-up format added from
//! data alone (a TOML string) is checked without touching any rule code.

mod common;

use common::{
    check, findings, line, line_of, related_lines, replace_once, run, set_value, whole_line,
    Finding, REAL_FIXTURES,
};
use nianbao_model::grammar::{Diagnostic, Severity};
use nianbao_model::quantity::CellValue;
use nianbao_model::template::Template;
use nianbao_model::CheckedReport;

const ZHONGWEI: &str = include_str!("../../../tests/fixtures/zhongwei-2017.md");
const HUAIAN: &str = include_str!("../../../tests/fixtures/huaian-2024.md");
const CZJ_2020: &str = include_str!("../../../tests/fixtures/pingtan-caizhengjinrongju-2020.md");
const PINGTAN_2023: &str = include_str!("../../../tests/fixtures/pingtan-2023.md");
const PINGTAN_2024: &str = include_str!("../../../tests/fixtures/pingtan-2024.md");
const CZJ_2025: &str = include_str!("../../../tests/fixtures/pingtan-caizhengjinrongju-2025.md");
const PAGE_2023: &str = include_str!("../../../tests/fixtures/pingtan-2023.page.html");

/// Sets the unit (second) cell of the only pipe-table row whose line contains `label`.
fn set_unit(text: &str, label: &str, unit: &str) -> String {
    let mut hits = 0;
    let lines: Vec<String> = text
        .split('\n')
        .map(|l| {
            if l.starts_with('|') && l.contains(label) {
                hits += 1;
                let mut cells: Vec<String> = l.split('|').map(str::to_string).collect();
                cells[2] = format!(" {unit} ");
                cells.join("|")
            } else {
                l.to_string()
            }
        })
        .collect();
    assert_eq!(hits, 1, "{label:?} must name exactly one table row");
    lines.join("\n")
}

fn has(f: &[Finding], code: &str, severity: Severity, line: usize) -> bool {
    f.iter()
        .any(|&(c, s, l)| c == code && s == severity && l == line)
}

#[track_caller]
fn assert_has(f: &[Finding], code: &str, severity: Severity, line: usize) {
    assert!(
        has(f, code, severity, line),
        "expected {code} {severity:?} on line {line}; got {:?}",
        f.iter()
            .filter(|x| x.0.starts_with("NB1") || x.0.starts_with("NB2"))
            .collect::<Vec<_>>()
    );
}

#[track_caller]
fn assert_silent(f: &[Finding], code: &str) {
    let hits: Vec<_> = f.iter().filter(|x| x.0 == code).collect();
    assert!(hits.is_empty(), "{code} must stay silent; got {hits:?}");
}

fn the<'a>(r: &'a CheckedReport, code: &str, at_line: usize) -> &'a Diagnostic {
    r.diagnostics
        .iter()
        .find(|d| d.code == code && line(r, d.span) == at_line)
        .unwrap_or_else(|| panic!("no {code} on line {at_line}: {:?}", findings(r)))
}

// ---------------------------------------------------------------------------
// Unmodified fixtures: no error.

#[test]
fn fixtures_give_no_error() {
    for (name, bytes) in REAL_FIXTURES {
        let r = nianbao_model::check(bytes);
        let errors: Vec<_> = findings(&r)
            .into_iter()
            .filter(|f| f.1 == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
        assert_ne!(r.report.format, "unknown", "{name}: format not recognised");
    }
}

// ---------------------------------------------------------------------------
// NB101 required-section-missing

#[test]
fn nb101_fires_on_the_title_when_a_national_section_is_missing() {
    let input = replace_once(HUAIAN, "五、存在的主要问题及改进情况", "五、下一步工作打算");
    let r = run(&input);
    let f = findings(&r);
    // national-2021 `problems`: severity error; the finding sits on the title.
    assert_has(
        &f,
        "NB101",
        Severity::Error,
        line_of(&input, "淮安市人民政府\n"),
    );
    let d = the(&r, "NB101", line_of(&input, "淮安市人民政府\n"));
    assert!(d.message.zh.contains("存在的主要问题"), "{}", d.message.zh);
}

#[test]
fn nb101_silent_when_the_heading_is_present_or_the_body_says_it() {
    // Every national heading present.
    assert_silent(&check(HUAIAN), "NB101");
    // zhongwei has no fee heading: `全部实行免费` in the body satisfies 第三十二条 (3).
    assert_silent(&check(ZHONGWEI), "NB101");
}

#[test]
fn nb101_accepts_a_short_heading_only_as_a_whole_heading() {
    // A 2008 report headed only `政府信息公开情况` for what it published proactively.
    let short = replace_once(ZHONGWEI, "三、政府信息主动公开情况", "三、政府信息公开情况");
    assert_silent(&check(&short), "NB101");
    // The words inside a longer heading are not the section.
    let other = replace_once(
        ZHONGWEI,
        "三、政府信息主动公开情况",
        "三、政府信息公开情况统计说明",
    );
    // (At the title, line 5 of this fixture.)
    assert_has(&check(&other), "NB101", Severity::Warning, 5);
}

#[test]
fn nb101_evaluation_is_required_of_a_government() {
    // The finance bureau's 2020 report says nothing of 工作考核/社会评议/责任追究;
    // published under the zone's own name it must.
    let input = replace_once(
        CZJ_2020,
        "\n平潭综合实验区财政金融局2020年度\n",
        "\n平潭综合实验区2020年度\n",
    );
    let r = run(&input);
    assert_eq!(r.report.issuer(), Some("平潭综合实验区"));
    let f = findings(&r);
    let title = line_of(&input, "\n平潭综合实验区2020年度") + 1;
    assert_has(&f, "NB101", Severity::Warning, title);
    assert!(the(&r, "NB101", title).message.zh.contains("工作考核"));

    // 淮安 without its 监督保障 paragraph: the same finding.
    let huaian = replace_once(HUAIAN, "政府信息公开监督保障情况", "政府信息公开督查情况");
    assert_has(
        &check(&huaian),
        "NB101",
        Severity::Warning,
        line_of(&huaian, "淮安市人民政府\n"),
    );
}

/// The paragraph of `text` that starts with `start` (through its line break).
fn paragraph_starting(text: &str, start: &str) -> String {
    let at = text.find(start).expect("the paragraph");
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    text[at..end].to_string()
}

#[test]
fn nb101_the_overview_must_cover_its_five_parts_in_the_2021_format() {
    // pingtan-2024's 一、总体情况 has all five (（一）…（五）): silent.
    assert_silent(&check(PINGTAN_2024), "NB101");
    // Without its （五）监督保障 paragraph nothing in the overview speaks of oversight:
    // one warning at the overview's heading, naming the part.
    let para = paragraph_starting(PINGTAN_2024, "（五）监督保障方面");
    let input = replace_once(PINGTAN_2024, &para, "");
    let r = run(&input);
    let heading = line_of(&input, "一、总体情况");
    assert_has(&findings(&r), "NB101", Severity::Warning, heading);
    let d = the(&r, "NB101", heading);
    assert!(
        d.message.zh.contains("“一、总体情况”未写明“监督保障”"),
        "{}",
        d.message.zh
    );
    // 主动公开 written in section 二's heading does not stand in for the overview's:
    // the overview without its （一） paragraph lacks it.
    let para = paragraph_starting(PINGTAN_2024, "（一）主动公开方面");
    let input = replace_once(PINGTAN_2024, &para, "");
    let r = run(&input);
    let d = the(&r, "NB101", line_of(&input, "一、总体情况"));
    assert!(d.message.zh.contains("“主动公开”"), "{}", d.message.zh);
}

#[test]
fn nb101_an_overview_part_stated_without_its_heading_counts() {
    // （四） heading renamed to something else: the overview's text still speaks of the
    // portal (门户网站) and new media, which is the platform part.
    let input = replace_once(
        PINGTAN_2024,
        "（四）信息公开平台建设方面。",
        "（四）其他方面。",
    );
    assert_silent(&check(&input), "NB101");
    // A department's report is held to the same five parts (applies to all issuers).
    let input = replace_once(
        PINGTAN_2024,
        &paragraph_starting(PINGTAN_2024, "（二）依申请公开方面"),
        "",
    );
    assert!(the(&run(&input), "NB101", line_of(&input, "一、总体情况"))
        .message
        .zh
        .contains("依申请公开"));
}

#[test]
fn nb101_evaluation_is_not_required_of_a_department() {
    // A 局 of the zone: 第五十条's 工作考核… content applies to 各级人民政府 only.
    assert_silent(&check(CZJ_2020), "NB101");
    // 淮安 without 监督保障, published by a department instead of the government.
    let huaian = replace_once(HUAIAN, "政府信息公开监督保障情况", "政府信息公开督查情况");
    let huaian = replace_once(
        &huaian,
        "淮安市人民政府\n\n2024 年",
        "淮安市财政局\n\n2024 年",
    );
    let r = run(&huaian);
    assert_eq!(r.report.issuer(), Some("淮安市财政局"));
    assert_silent(&findings(&r), "NB101");
}

// ---------------------------------------------------------------------------
// NB102 numbering-gap

#[test]
fn nb102_fires_on_the_marker_that_skips() {
    let input = replace_once(
        CZJ_2020,
        "（三）主动公开政府信息的主要形式",
        "（四）主动公开政府信息的主要形式",
    );
    let r = run(&input);
    let at = line_of(&input, "（四）主动公开政府信息的主要形式");
    assert_has(&findings(&r), "NB102", Severity::Warning, at);
    let d = the(&r, "NB102", at);
    assert_eq!(d.expected.as_deref(), Some("（三）"));
    assert_eq!(d.found.as_deref(), Some("（四）"));
}

#[test]
fn nb102_silent_when_points_restart_in_a_new_paragraph() {
    // Two paragraphs under 五、, each with its own 一是…二是 list.
    let input = replace_once(
        HUAIAN,
        "下一步，我市将着力加强政策解读质效",
        "下一步，一是着力加强政策解读质效",
    );
    let input = replace_once(
        &input,
        "积极回应企业和群众的实际需求；建立健全",
        "积极回应企业和群众的实际需求；二是建立健全",
    );
    let f = check(&input);
    assert_silent(&f, "NB102");
    assert_silent(&f, "NB103");
}

// ---------------------------------------------------------------------------
// NB103 numbering-duplicate

#[test]
fn nb103_fires_on_a_repeated_point() {
    // 一是…二是…二是 in the finance bureau's list of problems.
    let input = replace_once(
        CZJ_2020,
        "三是政策解读形式不够丰富",
        "二是政策解读形式不够丰富",
    );
    let r = run(&input);
    let at = line_of(&input, "二是政策解读形式不够丰富");
    assert_has(&findings(&r), "NB103", Severity::Warning, at);
    let d = the(&r, "NB103", at);
    assert_eq!(d.expected.as_deref(), Some("三是"));
    assert_eq!(d.found.as_deref(), Some("二是"));
}

#[test]
fn nb103_fires_when_points_go_back_to_one_in_the_same_paragraph() {
    // 一是…二是…一是 inside ONE paragraph is a go-back, not a new list.
    let input = replace_once(
        CZJ_2020,
        "三是政策解读形式不够丰富",
        "一是政策解读形式不够丰富",
    );
    let at = line_of(&input, "一是政策解读形式不够丰富");
    assert_has(&check(&input), "NB103", Severity::Warning, at);
}

#[test]
fn nb103_silent_for_lists_that_really_start_again() {
    // A dump runs paragraphs together: a list of measures after the list of
    // problems, a sentence between them; points inside a point that heads them.
    let input = replace_once(
        CZJ_2020,
        "三是政策解读形式不够丰富",
        "下一步，我局将采取以下措施。一是推进权力清单公开。一是公开权力清单。二是公开责任清单。二是推进财政资金公开。三是政策解读形式不够丰富",
    );
    assert_silent(&check(&input), "NB103");
    assert_silent(&check(&input), "NB102");
}

#[test]
fn nb103_silent_for_one_misnumbered_point() {
    // pingtan-2023 `一是…三是…三是`: one finding on the middle item (NB102), not a duplicate too.
    let f = check(PINGTAN_2023);
    assert_silent(&f, "NB103");
    let gaps: Vec<_> = f.iter().filter(|x| x.0 == "NB102").collect();
    assert_eq!(gaps.len(), 1, "{gaps:?}");
}

#[test]
fn nb107_fires_when_the_text_names_another_year() {
    let input = "<p>结合我局实际，编制完成2023年度政府信息公开工作年度报告。本报告中所列数据的统计期限为2022年1月1日至2022年12月31日。</p>\
                 <p>一、总体情况</p><p>正文。</p>";
    let r = run(input);
    let d = the(&r, "NB107", 1);
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(
        (d.expected.as_deref(), d.found.as_deref()),
        (Some("2022"), Some("2023"))
    );
    // A title-less HTML body is not flagged for its title: the page carries it.
    assert_silent(&findings(&r), "NB104");
    // The same text as Markdown has no title line: that is flagged.
    let md = "结合我局实际，编制完成2023年度政府信息公开工作年度报告。统计期限为2022年1月1日至2022年12月31日。\n\n一、总体情况\n";
    assert_has(&check(md), "NB104", Severity::Warning, 1);
}

#[test]
fn nb105_is_a_warning_for_part_of_the_report_year_and_an_error_for_another_year() {
    let part = "平潭综合实验区国有资产管理局2019年政府信息公开工作年度报告\n\n统计期限为2019年9月1日至2019年12月31日。\n";
    assert_has(&check(part), "NB105", Severity::Warning, 3);
    let other = "平潭综合实验区国有资产管理局2019年政府信息公开工作年度报告\n\n统计期限为2018年1月1日至2018年12月31日。\n";
    assert_has(&check(other), "NB105", Severity::Error, 3);
}

#[test]
fn nb108_warns_on_a_period_without_readable_dates_and_notes_a_missing_one() {
    let period = "统计期限自2020年1月1日起至2020年12月31日止";
    let with = |p: &str| replace_once(CZJ_2020, period, p);
    // The start date lacks its month (`2020月1日`): a warning at the period's words.
    let slip = with("统计期限自2020月1日起至2020年12月31日止");
    assert_has(&check(&slip), "NB108", Severity::Warning, 7);
    // Written in full, with the end in the start's year, or joined by a dash: silent.
    for ok in [
        period,
        "统计期限为2020年1月1日至12月31日",
        "统计期限自2020年1月1日——2020年12月31日止",
    ] {
        assert_silent(&check(&with(ok)), "NB108");
    }
    // A report of a known format stating no period: one info at its title.
    let none = CZJ_2020.replace("统计期限", "统计口径");
    let f = check(&none);
    let hits: Vec<_> = f.iter().filter(|x| x.0 == "NB108").collect();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].1, Severity::Info);
}

/// The archive's metadata header of a report (`发布时间` filled in).
fn archived(published: &str, publisher: &str, body: &str) -> String {
    format!(
        "标题: 平潭县海洋与渔业局2011年工作公开年度报告\n发布时间: {published}\n文号: \n\
         发布机构: {publisher}\n栏目: 政府信息公开年报\n==================== 正文 ====================\n{body}"
    )
}

#[test]
fn nb109_fires_on_a_publication_date_before_the_year_ended_or_years_after() {
    let body =
        "一、概述 统计时限从2011年1月1日起至2011年12月31日止。二、主动公开政府信息情况 正文。\n";
    let early = check(&archived("2011-12-21 00:00", "平潭县海洋与渔业局", body));
    assert_has(&early, "NB109", Severity::Warning, 2);
    let late = check(&archived("2013-01-10 00:00", "平潭县海洋与渔业局", body));
    assert_has(&late, "NB109", Severity::Warning, 2);
    for in_time in ["2012-01-20 09:00", "2012-12-31 00:00"] {
        assert_silent(
            &check(&archived(in_time, "平潭县海洋与渔业局", body)),
            "NB109",
        );
    }
    // The header is front matter: its half-width `(` mixes with no report text.
    let with_note = archived("2012-01-20 09:00", "", body).replace(
        "==================== 正文",
        "页面链接与图片详见 links.tsv(同目录)\n==================== 正文",
    );
    assert_silent(&check(&with_note.replace("概述", "概述（一）")), "NB021");
}

#[test]
fn nb109_fires_on_a_closing_date_before_the_year_ended() {
    let report = |closing: &str| {
        let text = format!(
            "平潭综合实验区经济发展局2020年政府信息公开工作年度报告\n\n\
             本报告中所列数据的统计期限自2020年1月1日起至2020年12月31日止。\n\n\
             一、总体情况\n\n正文。\n\n平潭综合实验区经济发展局\n\n{closing}\n"
        );
        check(&text)
    };
    // The 版记 a year early: flagged at its line.
    assert_has(
        &report("2021年1月26日\n\n平潭综合实验区经济发展局办公室 2020年1月26日印发"),
        "NB109",
        Severity::Warning,
        13,
    );
    // Signed after the year, or on its last day: silent; a date inside a sentence is not a closing date.
    for ok in [
        "2021年1月26日",
        "2020年12月31日",
        "经研究，2020年3月1日起施行新制度。",
    ] {
        assert_silent(&report(ok), "NB109");
    }
}

#[test]
fn the_metadata_header_names_the_issuer_only_when_the_report_does_not() {
    let report = |publisher: &str, body: &str| {
        let text = format!(
            "发布时间: 2025-01-20 17:39\n发布机构: {publisher}\n栏目: 政府信息公开年报\n\
             ==================== 正文 ====================\n{body}"
        );
        nianbao_model::check(text.as_bytes()).report
    };
    let body =
        "本报告中所列数据的统计期限自2024年1月1日起至2024年12月31日止。一、总体情况 正文。\n";
    let r = report("平潭综合实验区公安局", body);
    assert_eq!(r.issuer(), Some("平潭综合实验区公安局"));
    assert_eq!(r.year(), Some(2024));
    // A site section is not a body.
    assert_eq!(report("桌面", body).issuer(), None);
    // The report's own signature outranks the header.
    let signed = format!("{body}\n\n平潭综合实验区海坛片区管理局\n2025年1月20日\n");
    assert_eq!(
        report("海坛片区", &signed).issuer(),
        Some("平潭综合实验区海坛片区管理局")
    );
}

// ---------------------------------------------------------------------------
// NB104 title-incomplete

#[test]
fn nb104_fires_on_a_title_without_issuer() {
    let input = replace_once(
        ZHONGWEI,
        "## 中卫市 2017 年政府信息公开工作年度报告",
        "## 2017 年政府信息公开工作年度报告",
    );
    assert_has(
        &check(&input),
        "NB104",
        Severity::Warning,
        line_of(&input, "## 2017 年"),
    );
}

#[test]
fn nb104_silent_when_the_issuer_follows_the_year() {
    let input = replace_once(
        ZHONGWEI,
        "## 中卫市 2017 年政府信息公开工作年度报告",
        "## 2017年中卫市政府信息公开工作年度报告",
    );
    let r = run(&input);
    assert_eq!(r.report.issuer(), Some("中卫市"));
    assert_silent(&findings(&r), "NB104");
    assert_silent(&check(ZHONGWEI), "NB104");
}

// ---------------------------------------------------------------------------
// NB105 period-not-report-year

#[test]
fn nb105_fires_on_last_years_period() {
    let input = replace_once(
        ZHONGWEI,
        "2017 年 1 月 1 日至 2017 年 12 月 31 日",
        "2016 年 1 月 1 日至 2016 年 12 月 31 日",
    );
    let r = run(&input);
    let at = line_of(&input, "统计期限为");
    assert_has(&findings(&r), "NB105", Severity::Error, at);
    let d = the(&r, "NB105", at);
    assert_eq!(d.expected.as_deref(), Some("2017-01-01..2017-12-31"));
    assert_eq!(d.found.as_deref(), Some("2016-01-01..2016-12-31"));
}

#[test]
fn nb105_silent_for_the_report_year_in_any_wording() {
    assert_silent(&check(ZHONGWEI), "NB105");
    // `自2020年1月1日起至2020年12月31日止`
    assert_silent(&check(CZJ_2020), "NB105");
}

// ---------------------------------------------------------------------------
// NB112 names-another-body

const CZJ_SIGNATURE: &str = "平潭综合实验区财政金融局\n\n2021年1月27日";

#[test]
fn nb112_fires_on_a_signature_of_another_department() {
    let input = replace_once(
        CZJ_2020,
        CZJ_SIGNATURE,
        "平潭综合实验区交通与建设局\n\n2021年1月27日",
    );
    let r = run(&input);
    let at = line_of(&input, "平潭综合实验区交通与建设局");
    assert_has(&findings(&r), "NB112", Severity::Warning, at);
    let d = the(&r, "NB112", at);
    assert_eq!(
        d.message.zh,
        "标题所称发布机关是“平潭综合实验区财政金融局”，落款却是“平潭综合实验区交通与建设局”，疑为套用其他机关的报告"
    );
    assert_eq!(r.parsed.text_of(d.span), "平潭综合实验区交通与建设局");
    assert_eq!(
        related_lines(&r, d),
        vec![line_of(&input, "平潭综合实验区财政金融局2020年度\n")]
    );
}

#[test]
fn nb112_silent_for_the_same_body_written_otherwise() {
    assert_silent(&check(CZJ_2020), "NB112");
    for signed in [
        "财政金融局",
        "区财政金融局",
        "平潭综合实验区财政金融局办公室",
        // The zone's government is not a department of the same kind.
        "平潭综合实验区管委会",
    ] {
        let input = replace_once(
            CZJ_2020,
            CZJ_SIGNATURE,
            &format!("{signed}\n\n2021年1月27日"),
        );
        assert_silent(&check(&input), "NB112");
    }
}

/// pingtan-caizhengjinrongju-2020 citing the guide `guide` in its last section.
fn citing(guide: &str) -> String {
    replace_once(
        CZJ_2020,
        "无其他需要报告事项。",
        &format!("无其他需要报告事项。本年修订了{guide}。"),
    )
}

#[test]
fn nb112_fires_on_the_guide_of_another_department() {
    let input = citing("《平潭综合实验区社会事业局政府信息公开指南（试行）》");
    let r = run(&input);
    let at = line_of(&input, "《平潭综合实验区社会事业局");
    assert_has(&findings(&r), "NB112", Severity::Warning, at);
    let d = the(&r, "NB112", at);
    assert!(d
        .message
        .zh
        .contains("正文引用的却是“平潭综合实验区社会事业局”的政府信息公开指南"));
    assert_eq!(
        r.parsed.text_of(d.span),
        "《平潭综合实验区社会事业局政府信息公开指南（试行）》"
    );
}

#[test]
fn nb112_silent_for_its_own_guide_and_a_guide_that_names_no_department() {
    for guide in [
        "《平潭综合实验区财政金融局政府信息公开指南》",
        "《区财政金融局政府信息公开指南（试行）》",
        "《政府信息公开指南》",
        // The government's guide: not a department of the same kind.
        "《平潭综合实验区管委会政府信息公开指南》",
        // Keeps the first words: perhaps the body before a renaming.
        "《平潭综合实验区财政局政府信息公开指南》",
    ] {
        assert_silent(&check(&citing(guide)), "NB112");
    }
}

// ---------------------------------------------------------------------------
// NB106 format-year-mismatch

#[test]
fn nb106_fires_on_the_table_when_a_2021_report_uses_the_2019_tables() {
    let input = replace_once(
        CZJ_2020,
        "\n平潭综合实验区财政金融局2020年度\n",
        "\n平潭综合实验区财政金融局2021年度\n",
    );
    let r = run(&input);
    assert_eq!(r.report.format, "national-2019", "the table decides");
    let at = line_of(&input, "<table>");
    assert_has(&findings(&r), "NB106", Severity::Warning, at);
    let d = the(&r, "NB106", at);
    assert_eq!(d.expected.as_deref(), Some("national-2021"));
    assert_eq!(d.found.as_deref(), Some("national-2019"));
}

#[test]
fn nb106_silent_for_the_right_year_and_for_a_local_variant() {
    assert_silent(&check(CZJ_2020), "NB106");
    // A local variant (pingtan) of the format its year calls for.
    let pingtan_2018 = include_str!("../../../tests/fixtures/pingtan-2018.md");
    let r = run(pingtan_2018);
    assert_eq!(r.report.format, "stat-table-2008");
    assert_eq!(r.report.variant.as_deref(), Some("pingtan"));
    assert_eq!(r.report.detection.year_calls_for, None);
    assert_silent(&findings(&r), "NB106");
}

// ---------------------------------------------------------------------------
// NB201 sum-mismatch

#[test]
fn nb201_fires_on_the_total_with_the_parts_related() {
    // The brief's example and the rule's own doc example: 43 ≠ 33 + 0 + 6 + 5.
    let input = set_value(ZHONGWEI, "4. 信函申请数", "5");
    let r = run(&input);
    let total = line_of(&input, "（一）收到申请数");
    assert_has(&findings(&r), "NB201", Severity::Error, total);
    let d = the(&r, "NB201", total);
    assert_eq!(
        related_lines(&r, d),
        [
            "1. 当面申请数",
            "2. 传真申请数",
            "3. 网络申请数",
            "4. 信函申请数"
        ]
        .map(|l| line_of(&input, l))
    );
    assert_eq!(d.expected.as_deref(), Some("44"));
    assert_eq!(d.found.as_deref(), Some("43"));
}

#[test]
fn nb201_fires_when_the_parts_are_far_off() {
    let input = set_value(ZHONGWEI, "4. 信函申请数", "9");
    let r = run(&input);
    let total = line_of(&input, "（一）收到申请数");
    assert_has(&findings(&r), "NB201", Severity::Error, total);
    let d = the(&r, "NB201", total);
    assert_eq!(
        related_lines(&r, d),
        [
            "1. 当面申请数",
            "2. 传真申请数",
            "3. 网络申请数",
            "4. 信函申请数"
        ]
        .map(|l| line_of(&input, l))
    );
    assert_eq!(d.expected.as_deref(), Some("48"));
    assert_eq!(d.found.as_deref(), Some("43"));
    // Only 8.1 is broken.
    assert_eq!(findings(&r).iter().filter(|x| x.0 == "NB201").count(), 1);
}

#[test]
fn nb201_fires_on_a_national_row_total() {
    // N3.2: 总计 of 一、本年新收 = 自然人 + the five organisations; 3119 → 3129.
    let input = replace_once(HUAIAN, "<td>4</td><td>3119</td>", "<td>4</td><td>3129</td>");
    let r = run(&input);
    let at = line_of(&input, "一、本年新收政府信息公开申请数量");
    assert_has(&findings(&r), "NB201", Severity::Error, at);
    let d = the(&r, "NB201", at);
    assert_eq!(d.related.len(), 6);
    assert_eq!(d.expected.as_deref(), Some("3119"));
    assert_eq!(d.found.as_deref(), Some("3129"));
}

#[test]
fn nb201_totals_left_at_zero_are_one_finding() {
    // The 总计 column left at 0 in three rows whose parts are not: one finding for
    // the row relation naming the three rows, not three.
    let mut input = PINGTAN_2024.to_string();
    for row in [
        "4.保护第三方合法权益",
        "5.属于三类内部事务信息",
        "2.重复申请",
    ] {
        let start = input.find(row).expect("row in the fixture");
        let end = start + input[start..].find("</tr>").expect("row end");
        let total = input[..end].rfind("<td>").expect("total cell") + "<td>".len();
        input.replace_range(total..end - "</td>".len(), "0");
    }
    let r = run(&input);
    let zero: Vec<&Diagnostic> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == "NB201" && d.message.zh.contains("处总计为 0"))
        .collect();
    assert_eq!(zero.len(), 1, "{:?}", findings(&r));
    let d = zero[0];
    assert_eq!(d.severity, Severity::Error);
    assert!(d.message.zh.contains("3 处总计为 0"), "{}", d.message.zh);
    assert!(d.message.zh.contains("2.重复申请"), "{}", d.message.zh);
    assert_eq!(d.related.len(), 2);
    // No finding of that relation per row.
    assert!(!r
        .diagnostics
        .iter()
        .any(|d| d.code == "NB201" && d.message.zh.contains("4.保护第三方合法权益 0 应")));
}

#[test]
fn nb201_silent_for_rounded_figures_whose_intervals_meet() {
    // 13.74 = 12.83 + 0.9 (+ 0.00 + 0.00) holds with interval semantics …
    let set = |fax: &str| {
        let t = set_value(ZHONGWEI, "（一）收到申请数", "13.74");
        let t = set_value(&t, "1. 当面申请数", "12.83");
        let t = set_value(&t, "2. 传真申请数", fax);
        let t = set_value(&t, "3. 网络申请数", "0.00");
        set_value(&t, "4. 信函申请数", "0.00")
    };
    let holds = set("0.9");
    assert_silent(&check(&holds), "NB201");
    // … and 13.74 = 12.83 + 0.8 does not.
    let fails = set("0.8");
    assert_has(
        &check(&fails),
        "NB201",
        Severity::Error,
        line_of(&fails, "（一）收到申请数"),
    );
}

#[test]
fn nb201_silent_when_a_part_is_blank() {
    // 43 = 33 + (blank) + 6 + 4: the blank may be 0.
    let input = set_value(ZHONGWEI, "2. 传真申请数", "");
    assert_silent(&check(&input), "NB201");
}

#[test]
fn nb201_a_blank_part_cannot_make_an_excess_hold() {
    // 33 + (blank ≥ 0) + 6 + 9 ≥ 48 > 43 fails whatever the blank is.
    let input = set_value(ZHONGWEI, "2. 传真申请数", "");
    let input = set_value(&input, "4. 信函申请数", "9");
    let r = run(&input);
    let total = line_of(&input, "（一）收到申请数");
    assert_has(&findings(&r), "NB201", Severity::Error, total);
    let d = the(&r, "NB201", total);
    assert_eq!(d.expected.as_deref(), Some("≥48"));
    assert_eq!(d.found.as_deref(), Some("43"));
}

// ---------------------------------------------------------------------------
// NB202 part-exceeds-whole

#[test]
fn nb202_fires_on_the_part() {
    // The rule's doc example: 其中 40 under 37.
    let input = set_value(ZHONGWEI, "其中：主要负责同志参加新闻发布会次数", "40");
    let r = run(&input);
    let part = line_of(&input, "其中：主要负责同志参加新闻发布会次数");
    assert_has(&findings(&r), "NB202", Severity::Error, part);
    let d = the(&r, "NB202", part);
    assert_eq!(
        related_lines(&r, d),
        [line_of(&input, "1. 参加或举办新闻发布会总次数")]
    );
    assert_eq!(d.expected.as_deref(), Some("37"));
    assert_eq!(d.found.as_deref(), Some("40"));
}

#[test]
fn nb202_fires_when_the_part_exceeds_by_one() {
    let input = set_value(ZHONGWEI, "其中：主要负责同志参加新闻发布会次数", "38");
    let part = line_of(&input, "其中：主要负责同志参加新闻发布会次数");
    assert_has(&check(&input), "NB202", Severity::Error, part);
}

#[test]
fn nb202_silent_when_the_part_equals_the_whole() {
    let input = set_value(ZHONGWEI, "其中：主要负责同志参加新闻发布会次数", "37");
    assert_silent(&check(&input), "NB202");
}

#[test]
fn nb202_inferred_relation_is_a_warning_never_an_error() {
    // 8.9 (I): 主动公开规范性文件数 700 > 制发规范性文件总数 693 — units 条 vs 件, can legitimately fail.
    let input = set_value(ZHONGWEI, "其中：主动公开规范性文件数", "700");
    let f = check(&input);
    let at = line_of(&input, "其中：主动公开规范性文件数");
    assert_has(&f, "NB202", Severity::Warning, at);
    assert!(!has(&f, "NB202", Severity::Error, at), "{f:?}");
    assert!(
        f.iter()
            .all(|x| !(x.0.starts_with("NB2") && x.1 == Severity::Error)),
        "{f:?}"
    );
}

// ---------------------------------------------------------------------------
// NB203 balance-mismatch

fn huaian_carry_out(value: &str) -> String {
    replace_once(
        HUAIAN,
        "<td colspan=\"3\">四、结转下年度继续办理</td><td>103</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>103</td>",
        &format!("<td colspan=\"3\">四、结转下年度继续办理</td><td>{value}</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>{value}</td>"),
    )
}

#[test]
fn nb203_fires_per_column_on_new_requests() {
    // 3001 + 34 ≠ 2932 + 110 (自然人) and 3119 + 34 ≠ 3050 + 110 (总计).
    let input = huaian_carry_out("110");
    let r = run(&input);
    let at = line_of(&input, "一、本年新收政府信息公开申请数量");
    let hits: Vec<&Diagnostic> = r.diagnostics.iter().filter(|d| d.code == "NB203").collect();
    assert_eq!(hits.len(), 2, "{:?}", findings(&r));
    for d in &hits {
        assert_eq!(d.severity, Severity::Error);
        assert_eq!(line(&r, d.span), at);
        assert_eq!(
            related_lines(&r, d),
            [
                line_of(&input, "二、上年结转政府信息公开申请数量"),
                line_of(&input, "（七）总计"),
                line_of(&input, "四、结转下年度继续办理"),
            ]
        );
    }
    let natural = hits
        .iter()
        .find(|d| d.found.as_deref() == Some("3035"))
        .expect("the 自然人 column");
    assert_eq!(natural.expected.as_deref(), Some("3042"));
    assert_silent(&findings(&r), "NB201");
}

#[test]
fn nb203_fires_when_off_by_one() {
    let input = huaian_carry_out("104");
    let f = check(&input);
    let at = line_of(&input, "一、本年新收政府信息公开申请数量");
    assert_eq!(
        f.iter().filter(|x| x.0 == "NB203" && x.2 == at).count(),
        2,
        "{f:?}"
    );
}

#[test]
fn nb203_silent_when_the_table_balances() {
    // 3119 + 34 = 3050 + 103.
    assert_silent(&check(HUAIAN), "NB203");
    // A blank carried-in cell may be anything ≥ 0.
    let input = replace_once(
        HUAIAN,
        "<td colspan=\"3\">二、上年结转政府信息公开申请数量</td><td>34</td>",
        "<td colspan=\"3\">二、上年结转政府信息公开申请数量</td><td></td>",
    );
    assert_silent(&check(&input), "NB203");
}

// ---------------------------------------------------------------------------
// NB204 channels-below-total

#[test]
fn nb204_fires_on_the_total_with_the_channels_related() {
    // 0 + 46367 + 2935 + 8848 + 1550 = 59700 < 73659.
    let input = set_value(ZHONGWEI, "5. 其他方式公开政府信息数", "1550");
    let r = run(&input);
    let total = line_of(&input, "73659 |");
    assert_has(&findings(&r), "NB204", Severity::Error, total);
    let d = the(&r, "NB204", total);
    assert_eq!(
        related_lines(&r, d),
        [
            "1. 政府公报公开政府信息数",
            "2. 政府网站公开政府信息数",
            "3. 政务微博公开政府信息数",
            "4. 政务微信公开政府信息数",
            "5. 其他方式公开政府信息数",
        ]
        .map(|l| line_of(&input, l))
    );
    assert_eq!(d.expected.as_deref(), Some("73659"));
    assert_eq!(d.found.as_deref(), Some("59700"));
}

#[test]
fn nb204_fires_when_one_short() {
    let input = set_value(ZHONGWEI, "5. 其他方式公开政府信息数", "15508");
    let f = check(&input);
    assert!(
        f.iter().any(|x| x.0 == "NB204" && x.1 == Severity::Error),
        "{f:?}"
    );
}

#[test]
fn nb204_silent_when_the_channels_equal_the_total() {
    // 中卫 2017: 0 + 46367 + 2935 + 8848 + 15509 = 73659.
    assert_silent(&check(ZHONGWEI), "NB204");
}

#[test]
fn nb204_inferred_relation_is_info_never_an_error() {
    // 8.10 (I, info): responses by channel 553 < 600 concerns responded to.
    let input = set_value(ZHONGWEI, "（一）回应公众关注热点或重大舆情数", "600");
    let f = check(&input);
    let hits: Vec<_> = f.iter().filter(|x| x.0 == "NB204").collect();
    assert!(!hits.is_empty(), "{f:?}");
    assert!(hits.iter().all(|x| x.1 == Severity::Info), "{hits:?}");
    assert!(
        f.iter()
            .all(|x| !(x.0.starts_with("NB2") && x.1 == Severity::Error)),
        "{f:?}"
    );
}

// ---------------------------------------------------------------------------
// NB205 non-integer-count

#[test]
fn nb205_fires_on_a_fractional_count() {
    let input = set_value(ZHONGWEI, "六、举报投诉数量", "0.5");
    assert_has(
        &check(&input),
        "NB205",
        Severity::Error,
        line_of(&input, "六、举报投诉数量"),
    );
}

#[test]
fn nb205_silent_for_money_rows() {
    // 七、依申请公开信息收取的费用 is in 万元 and may have decimals.
    let input = set_value(ZHONGWEI, "七、依申请公开信息收取的费用", "0.35");
    assert_silent(&check(&input), "NB205");
}

// ---------------------------------------------------------------------------
// NB206 unit-mismatch

#[test]
fn nb206_fires_on_a_unit_other_than_the_templates() {
    // The rule's doc example: 接受培训人员数 in 人 where the template says 人次.
    let input = set_unit(ZHONGWEI, "接受培训人员数", "人");
    let r = run(&input);
    let at = line_of(&input, "接受培训人员数");
    assert_has(&findings(&r), "NB206", Severity::Warning, at);
    let d = the(&r, "NB206", at);
    assert_eq!(d.expected.as_deref(), Some("人次"));
    assert_eq!(d.found.as_deref(), Some("人"));
}

#[test]
fn nb206_silent_for_the_templates_units_and_group_dashes() {
    // `——` and `—` on group rows, 人次 on 接受培训人员数.
    assert_silent(&check(ZHONGWEI), "NB206");
}

// ---------------------------------------------------------------------------
// NB207 blank-cell

#[test]
fn nb207_fires_on_a_blank_value_cell() {
    let input = set_value(ZHONGWEI, "2. 传真申请数", "");
    assert_has(
        &check(&input),
        "NB207",
        Severity::Info,
        line_of(&input, "2. 传真申请数"),
    );
}

#[test]
fn nb207_silent_on_group_rows() {
    // `一、主动公开情况 | —— |` has no value cell to fill.
    let f = check(ZHONGWEI);
    assert_silent(&f, "NB207");
}

// ---------------------------------------------------------------------------
// NB208 row-missing

#[test]
fn nb208_fires_for_a_template_row_the_table_lacks() {
    let input = replace_once(ZHONGWEI, &whole_line(ZHONGWEI, "2. 传真申请数"), "");
    let r = run(&input);
    let first_cell = line_of(&input, "73659 |");
    assert_has(&findings(&r), "NB208", Severity::Warning, first_cell);
    let d = the(&r, "NB208", first_cell);
    assert!(d.message.zh.contains("2.传真申请数"), "{}", d.message.zh);
    assert_eq!(findings(&r).iter().filter(|x| x.0 == "NB208").count(), 1);
    // 8.1 has an operand the report lacks: skipped, not failed.
    assert_silent(&findings(&r), "NB201");
}

#[test]
fn nb208_silent_when_every_row_is_there() {
    assert_silent(&check(ZHONGWEI), "NB208");
    assert_silent(&check(HUAIAN), "NB208");
}

// ---------------------------------------------------------------------------
// NB209 row-unknown

#[test]
fn nb209_fires_on_the_label_of_an_unknown_row() {
    let letter = whole_line(ZHONGWEI, "4. 信函申请数");
    let input = replace_once(
        ZHONGWEI,
        &letter,
        &format!("{letter}| 5. 电子邮件申请数          | 件 | 0   |\n"),
    );
    assert_has(
        &check(&input),
        "NB209",
        Severity::Info,
        line_of(&input, "5. 电子邮件申请数"),
    );
}

#[test]
fn nb209_silent_for_a_known_row_with_a_prefix() {
    // `其中：1. 当面申请数` is still the template's `1.当面申请数`.
    let input = replace_once(ZHONGWEI, "| 1. 当面申请数", "| 其中：1. 当面申请数");
    let r = run(&input);
    assert_silent(&findings(&r), "NB209");
    assert!(r
        .report
        .tables
        .get("apply.received.in_person@value")
        .is_some());
}

// ---------------------------------------------------------------------------
// NB210 table-unmatched

#[test]
fn nb210_fires_on_a_statistical_table_of_no_template() {
    let table =
        "\n| 项目 | 数量 |\n|---|---|\n| 甲类事项 | 12 |\n| 乙类事项 | 7 |\n| 丙类事项 | 3 |\n\n";
    let input = replace_once(
        ZHONGWEI,
        "附件：中卫市 2017 年度政府信息公开情况统计表\n",
        &format!("附件：中卫市 2017 年度政府信息公开情况统计表\n{table}"),
    );
    assert_has(
        &check(&input),
        "NB210",
        Severity::Info,
        line_of(&input, "| 项目 | 数量 |"),
    );
}

#[test]
fn nb210_silent_for_lists_that_are_not_statistics() {
    // zhongwei's 索引号 | 标题 | 发布单位 | 发布日期 lists carry no figures.
    assert_silent(&check(ZHONGWEI), "NB210");
}

// ---------------------------------------------------------------------------
// NB211 unreadable-value

#[test]
fn nb211_fires_on_the_cell_that_is_not_a_number() {
    let input = set_value(ZHONGWEI, "六、举报投诉数量", "12.3.4");
    let r = run(&input);
    let at = line_of(&input, "六、举报投诉数量");
    assert_has(&findings(&r), "NB211", Severity::Warning, at);
    assert!(the(&r, "NB211", at).message.zh.contains("12.3.4"));
    // Badly grouped thousands.
    let input = set_value(ZHONGWEI, "六、举报投诉数量", "1,23");
    assert_has(
        &check(&input),
        "NB211",
        Severity::Warning,
        line_of(&input, "六、举报投诉数量"),
    );
}

#[test]
fn nb211_silent_for_numbers_written_otherwise() {
    for written in ["1,234", "１２３４", "—", "/"] {
        let input = set_value(ZHONGWEI, "六、举报投诉数量", written);
        assert_silent(&check(&input), "NB211");
    }
}

// ---------------------------------------------------------------------------
// NB212 duplicate-row

#[test]
fn nb212_fires_on_the_second_occurrence() {
    let letter = whole_line(ZHONGWEI, "4. 信函申请数");
    let input = replace_once(
        ZHONGWEI,
        &letter,
        &format!(
            "{letter}{}",
            letter.replace("4. 信函申请数", "4. 信函申请数 ")
        ),
    );
    let r = run(&input);
    let first = line_of(&input, "4. 信函申请数");
    let second = first + 1;
    assert_has(&findings(&r), "NB212", Severity::Warning, second);
    let d = the(&r, "NB212", second);
    assert_eq!(related_lines(&r, d), [first]);
}

#[test]
fn nb212_silent_for_the_same_label_under_two_parents() {
    // `（二）被依法纠错数` under 四、行政复议 and under 五、行政诉讼 are two template rows.
    let r = run(ZHONGWEI);
    assert_silent(&findings(&r), "NB212");
    assert!(r.report.tables.get("review.corrected@value").is_some());
    assert!(r.report.tables.get("suit.corrected@value").is_some());
}

// ---------------------------------------------------------------------------
// NB213 table-missing

/// `text` with the `<table>…</table>` that follows `heading` replaced by `with`.
fn replace_table_after(text: &str, heading: &str, with: &str) -> String {
    let start = text.find(heading).expect("heading");
    let table_start = start + text[start..].find("<table").expect("a table after it");
    let table_end =
        table_start + text[table_start..].find("</table>").expect("end") + "</table>".len();
    format!("{}{with}{}", &text[..table_start], &text[table_end..])
}

#[test]
fn nb213_fires_on_the_section_heading_when_table_four_is_missing() {
    let input = replace_table_after(HUAIAN, "四、政府信息公开行政复议、行政诉讼情况", "");
    let r = run(&input);
    let heading = line_of(&input, "四、政府信息公开行政复议、行政诉讼情况");
    assert_has(&findings(&r), "NB213", Severity::Warning, heading);
    assert_eq!(findings(&r).iter().filter(|x| x.0 == "NB213").count(), 1);
    let d = the(&r, "NB213", heading);
    assert_eq!(
        d.message.zh,
        "未找到表四“政府信息公开行政复议、行政诉讼情况”（national-2021 格式要求的表格）"
    );
    assert_silent(&findings(&r), "NB216");
}

#[test]
fn nb213_is_one_finding_for_the_blocks_of_table_two() {
    // Table 二 is printed as two HTML tables in huaian-2024: without both, the
    // four blocks of the template are one missing table, not four findings.
    let input = replace_table_after(HUAIAN, "二、主动公开政府信息情况", "");
    let input = replace_table_after(&input, "二、主动公开政府信息情况", "");
    let r = run(&input);
    let heading = line_of(&input, "二、主动公开政府信息情况");
    let nb213: Vec<_> = findings(&r)
        .into_iter()
        .filter(|x| x.0 == "NB213")
        .collect();
    assert_eq!(nb213, vec![("NB213", Severity::Warning, heading)]);
    assert!(the(&r, "NB213", heading)
        .message
        .zh
        .starts_with("未找到表二"));
    // Without the second table only, the finding names the blocks it lacks.
    let input = replace_table_after(HUAIAN, "- 3 -", "");
    let r = run(&input);
    let nb213: Vec<_> = r.diagnostics.iter().filter(|d| d.code == "NB213").collect();
    assert_eq!(nb213.len(), 1, "{:?}", findings(&r));
    assert!(
        nb213[0].message.zh.starts_with("表二缺少“"),
        "{}",
        nb213[0].message.zh
    );
}

#[test]
fn nb213_silent_when_every_table_is_there() {
    assert_silent(&check(HUAIAN), "NB213");
    assert_silent(&check(ZHONGWEI), "NB213");
    assert_silent(&check(CZJ_2020), "NB213");
}

// ---------------------------------------------------------------------------
// NB216 table-as-image

#[test]
fn nb216_fires_on_the_heading_when_table_three_is_an_html_image() {
    let heading = "<strong>三、收到和处理政府信息公开申请情况</strong>";
    let input = replace_table_after(
        PAGE_2023,
        heading,
        r#"<p style="text-align:center"><img src="/pic/W020240118.png" width="600"/></p>"#,
    );
    let r = run(&input);
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == "NB216")
        .unwrap_or_else(|| panic!("no NB216: {:?}", findings(&r)));
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.message.zh, "表三以图片形式发布，无法核对");
    assert_eq!(
        d.message.en,
        "table 三 is published as an image and cannot be checked"
    );
    // On the heading, with the image related.
    let at = input.find(heading).expect("heading");
    assert!(d.span.start >= at && d.span.end <= at + heading.len());
    assert!(r.parsed.text_of(d.related[0].span).starts_with("<img"));
    // One finding for the table, and no second one saying it is missing.
    assert_eq!(
        r.diagnostics.iter().filter(|d| d.code == "NB216").count(),
        1
    );
    assert_silent(&findings(&r), "NB213");
}

#[test]
fn nb216_fires_for_a_markdown_image() {
    let input = replace_table_after(
        HUAIAN,
        "四、政府信息公开行政复议、行政诉讼情况",
        "![表四](media/image4.png)",
    );
    let heading = line_of(&input, "四、政府信息公开行政复议、行政诉讼情况");
    let f = check(&input);
    assert_has(&f, "NB216", Severity::Warning, heading);
    assert_silent(&f, "NB213");
}

#[test]
fn nb216_silent_for_an_image_beside_a_table_or_in_another_section() {
    // A picture in section 三 while table 三 is there as text.
    let input = replace_once(
        HUAIAN,
        "三、收到和处理政府信息公开申请情况\n",
        "三、收到和处理政府信息公开申请情况\n\n![流程图](media/image1.png)\n",
    );
    assert_silent(&check(&input), "NB216");
    // Table 四 missing, the picture in section 三: table 四 is missing, not an image.
    let input = replace_table_after(&input, "四、政府信息公开行政复议、行政诉讼情况", "");
    let f = check(&input);
    assert_silent(&f, "NB216");
    assert_has(
        &f,
        "NB213",
        Severity::Warning,
        line_of(&input, "四、政府信息公开行政复议、行政诉讼情况"),
    );
}

// ---------------------------------------------------------------------------
// Blank cells (NB207): one finding per table; blanks stand for 0 where the table
// writes no 0 anywhere, and stay unknown elsewhere.

/// pingtan-2024's table 四 with its one data row replaced by `cells` (15 cells).
fn table_four(cells: [&str; 15]) -> String {
    let row: String = cells.iter().map(|c| format!("<td>{c}</td>")).collect();
    replace_once(
        PINGTAN_2024,
        "<tr><td>2</td><td>1</td><td>3</td><td>1</td><td>7</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>13</td><td>2</td><td>4</td><td>0</td><td>19</td></tr>",
        &format!("<tr>{row}</tr>"),
    )
}

fn nb207s(r: &CheckedReport) -> Vec<&Diagnostic> {
    r.diagnostics.iter().filter(|d| d.code == "NB207").collect()
}

#[test]
fn nb207_is_one_finding_per_table_listing_its_blanks() {
    let input = set_value(ZHONGWEI, "2. 传真申请数", "");
    let input = set_value(&input, "4. 信函申请数", "");
    let r = run(&input);
    let blanks = nb207s(&r);
    assert_eq!(blanks.len(), 1, "{:?}", findings(&r));
    let d = blanks[0];
    assert_eq!(line(&r, d.span), line_of(&input, "2. 传真申请数"));
    assert_eq!(related_lines(&r, d), [line_of(&input, "4. 信函申请数")]);
    assert!(d.message.zh.contains("2 个空白单元格"), "{}", d.message.zh);
    assert!(d.message.zh.contains("2.传真申请数") || d.message.zh.contains("2. 传真申请数"));
    assert!(d.message.zh.contains("信函申请数"), "{}", d.message.zh);
    // The table writes 0 elsewhere: the blanks are unknown, and 8.1
    // (43 = 33 + blank + 6 + blank) cannot fail on them.
    assert!(d.message.zh.contains("按未知数校验"), "{}", d.message.zh);
    assert!(
        d.message.en.contains("checked as unknown"),
        "{}",
        d.message.en
    );
    assert_silent(&findings(&r), "NB201");
}

#[test]
fn blanks_are_zero_where_the_table_writes_no_zero_and_a_mismatch_on_them_is_a_warning() {
    // 复议: total 7, parts 2 + 1 + blank + 1; no cell of table 四 says 0.
    let input = table_four([
        "2", "1", "", "1", "7", "", "", "", "", "", "13", "2", "4", "", "19",
    ]);
    let r = run(&input);
    let at = line_of(&input, "<td>13</td>");
    let blanks = nb207s(&r);
    assert_eq!(blanks.len(), 1, "{:?}", findings(&r));
    assert!(
        blanks[0].message.zh.contains("未写出任何 0")
            && blanks[0].message.zh.contains("7 个空白单元格"),
        "{}",
        blanks[0].message.zh
    );
    // With the blank read as 0, 7 ≠ 4: a warning (it holds if the blank were 3).
    assert_has(&findings(&r), "NB201", Severity::Warning, at);
    let d = the(&r, "NB201", at);
    assert!(
        d.message.zh.contains("空白单元格按 0 计"),
        "{}",
        d.message.zh
    );
    assert!(d.message.zh.contains("（空，按 0 计）"), "{}", d.message.zh);
    assert!(
        !findings(&r)
            .iter()
            .any(|f| f.0 == "NB201" && f.1 == Severity::Error),
        "{:?}",
        findings(&r)
    );
    // 复议后起诉: 19 = 13 + 2 + 4 + blank(0) holds; 直接起诉 is all blank: nothing known.
    assert_eq!(
        findings(&r).iter().filter(|f| f.0 == "NB201").count(),
        1,
        "{:?}",
        findings(&r)
    );
}

#[test]
fn blanks_stay_unknown_where_the_table_writes_a_zero() {
    // The same row with one explicit 0: the blank under 其他结果 may be 3.
    let input = table_four([
        "2", "1", "", "1", "7", "", "", "", "", "0", "13", "2", "4", "", "19",
    ]);
    let r = run(&input);
    assert_silent(&findings(&r), "NB201");
    let blanks = nb207s(&r);
    assert_eq!(blanks.len(), 1);
    assert!(
        blanks[0].message.zh.contains("按未知数校验"),
        "{}",
        blanks[0].message.zh
    );
}

#[test]
fn a_total_column_left_blank_in_a_table_without_zeros_is_one_warning() {
    // pingtan-2024's table 三 with every 0 left blank and its 总计 column blank too.
    let start = PINGTAN_2024
        .find("三、收到和处理政府信息公开申请情况")
        .expect("table 三 heading");
    let end = start + PINGTAN_2024[start..].find("</table>").expect("table end");
    let table: String = PINGTAN_2024[start..end]
        .split_inclusive('\n')
        .map(|line| {
            let line = line.replace("<td>0</td>", "<td></td>");
            // The last cell of a data row (a number), not of a header row.
            let last = line
                .rfind("<td>")
                .filter(|&i| line[i + 4..].starts_with(|c: char| c.is_ascii_digit()));
            match last {
                Some(i) => format!("{}<td></td></tr>\n", &line[..i]),
                None => line,
            }
        })
        .collect();
    let input = format!("{}{table}{}", &PINGTAN_2024[..start], &PINGTAN_2024[end..]);
    let r = run(&input);
    let sums: Vec<&Diagnostic> = r.diagnostics.iter().filter(|d| d.code == "NB201").collect();
    assert_eq!(
        sums.len(),
        1,
        "one finding for the column: {:?}",
        findings(&r)
    );
    assert_eq!(sums[0].severity, Severity::Warning);
    let zh = &sums[0].message.zh;
    assert!(zh.contains("11 处总计为 0"), "{zh}");
    assert!(zh.contains("空白的总计按 0 计"), "{zh}");
    let blanks = nb207s(&r);
    assert!(
        blanks.iter().any(|d| d
            .message
            .zh
            .starts_with("“收到和处理政府信息公开申请情况”未写出任何 0")),
        "{:?}",
        blanks.iter().map(|d| &d.message.zh).collect::<Vec<_>>()
    );
}

#[test]
fn a_mismatch_that_does_not_depend_on_a_blank_stays_an_error() {
    // 复议: total 3 below the known parts 2 + 1 + 1, whatever the blank is.
    let input = table_four([
        "2", "1", "", "1", "3", "", "", "", "", "", "13", "2", "4", "", "19",
    ]);
    let r = run(&input);
    let at = line_of(&input, "<td>13</td>");
    assert_has(&findings(&r), "NB201", Severity::Error, at);
    assert!(!the(&r, "NB201", at)
        .message
        .zh
        .contains("空白单元格按 0 计"));
}

// ---------------------------------------------------------------------------
// NB208: one finding per table, and a group row given without its sub-rows.

#[test]
fn nb208_lists_every_missing_row_of_a_table_in_one_finding() {
    let mut input = ZHONGWEI.to_string();
    for label in ["2. 传真申请数", "4. 信函申请数", "2. 兼职人员数"] {
        input = replace_once(&input, &whole_line(&input, label), "");
    }
    let r = run(&input);
    let rows: Vec<&Diagnostic> = r.diagnostics.iter().filter(|d| d.code == "NB208").collect();
    assert_eq!(rows.len(), 1, "{:?}", findings(&r));
    let zh = &rows[0].message.zh;
    assert!(zh.contains("缺少模板中的 3 行"), "{zh}");
    for label in ["2.传真申请数", "4.信函申请数", "2.兼职人员数"] {
        assert!(zh.contains(label), "{label} in {zh}");
    }
    assert!(rows[0].message.en.contains("lacks 3 template rows"));
}

/// pingtan-2024's table 三 with （六）其他处理 as one row (the 2019 layout) giving `natural`.
fn other_handling_as_one_row(natural: &str) -> String {
    let first = whole_line(PINGTAN_2024, "（六）其他处理");
    let second = whole_line(PINGTAN_2024, "2.申请人逾期未按收费通知要求缴纳费用");
    let third = whole_line(PINGTAN_2024, "<tr><td>3.其他</td>");
    let input = replace_once(PINGTAN_2024, &format!("{first}{second}{third}"), &format!(
        "<tr><td colspan=\"2\">（六）其他处理</td><td>{natural}</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>3</td></tr>\n"
    ));
    replace_once(&input, "rowspan=\"22\"", "rowspan=\"20\"")
}

#[test]
fn a_group_row_given_without_its_sub_rows_is_one_finding_and_stands_for_their_sum() {
    let input = other_handling_as_one_row("2");
    let r = run(&input);
    let at = line_of(&input, "（六）其他处理");
    let rows: Vec<&Diagnostic> = r.diagnostics.iter().filter(|d| d.code == "NB208").collect();
    assert_eq!(rows.len(), 1, "{:?}", findings(&r));
    assert_eq!(line(&r, rows[0].span), at);
    let zh = &rows[0].message.zh;
    assert!(zh.contains("“（六）其他处理”作为一行给出"), "{zh}");
    assert!(zh.contains("3.其他"), "{zh}");
    // Its figures stand for the three sub-rows: N3.3 holds (217 = … + 2).
    assert_silent(&findings(&r), "NB201");
    // And a wrong figure there is caught by N3.3, with the row among the parts.
    let input = other_handling_as_one_row("5");
    let r = run(&input);
    let total = line_of(&input, "（七）总计");
    assert_has(&findings(&r), "NB201", Severity::Error, total);
    assert!(related_lines(&r, the(&r, "NB201", total)).contains(&at));
}

// ---------------------------------------------------------------------------
// NB215 nonstandard-label

#[test]
fn nb215_names_the_nonstandard_and_abridged_labels_of_a_table_once() {
    let input = replace_once(PINGTAN_2024, "<td>本年废止件数</td>", "<td>本年废止件</td>");
    let input = replace_once(&input, "<td>现行有效件数</td>", "<td>先行有效件数</td>");
    let input = replace_once(&input, "<td>行政规范性文件</td>", "<td>规范性文件</td>");
    let r = run(&input);
    let at = line_of(&input, "<td>信息内容</td>");
    let renamed: Vec<&Diagnostic> = r.diagnostics.iter().filter(|d| d.code == "NB215").collect();
    assert_eq!(renamed.len(), 1, "{:?}", findings(&r));
    let d = renamed[0];
    assert_eq!(d.severity, Severity::Info);
    assert_eq!(line(&r, d.span), at);
    for pair in [
        "“本年废止件”读作“本年废止件数”",
        "“先行有效件数”读作“现行有效件数”",
        "“规范性文件”读作“行政规范性文件”",
    ] {
        assert!(d.message.zh.contains(pair), "{pair} in {}", d.message.zh);
    }
    // Every value is read where the template has it; none is left outside.
    assert_silent(&findings(&r), "NB214");
    let value = |id: &str| match &r.report.tables.get(id).expect(id).value {
        CellValue::Number(q) => q.value.to_string(),
        other => panic!("{id}: {other:?}"),
    };
    assert_eq!(value("active.a20_1.normative@repealed"), "33");
    assert_eq!(value("active.a20_1.normative@in_force"), "440");
}

#[test]
fn nb215_a_label_with_characters_left_out_is_read_only_when_one_row_fits() {
    // `微信公开政府信息数` leaves out 政务 of one row only: read, with NB215.
    let input = replace_once(
        ZHONGWEI,
        "4. 政务微信公开政府信息数",
        "4. 微信公开政府信息数",
    );
    let r = run(&input);
    assert_has(
        &findings(&r),
        "NB215",
        Severity::Info,
        line_of(&input, "4. 微信公开"),
    );
    assert!(r.report.tables.get("active.channel.wechat@value").is_some());
    assert_silent(&findings(&r), "NB209");
    // `政府公开政府信息数` fits both 政府公报… and 政府网站…: not read, named as unknown.
    let input = replace_once(
        ZHONGWEI,
        "1. 政府公报公开政府信息数",
        "1. 政府公开政府信息数",
    );
    let r = run(&input);
    let at = line_of(&input, "1. 政府公开政府信息数");
    assert_has(&findings(&r), "NB209", Severity::Info, at);
    assert_silent(&findings(&r), "NB215");
    assert!(r
        .report
        .tables
        .get("active.channel.gazette@value")
        .is_none());
    // One character changed is another row, never a misspelling: 专职/兼职.
    let input = replace_once(ZHONGWEI, "2. 兼职人员数", "2. 兼职人员总数");
    let r = run(&input);
    assert_has(
        &findings(&r),
        "NB209",
        Severity::Info,
        line_of(&input, "2. 兼职人员总数"),
    );
}

#[test]
fn nb215_silent_for_the_templates_own_wordings() {
    // The fixtures print the templates' wordings, with line breaks, spaces, both
    // widths and 其中 prefixes: none of that is a nonstandard label.
    for (name, bytes) in REAL_FIXTURES {
        let f = findings(&nianbao_model::check(bytes));
        assert!(!f.iter().any(|x| x.0 == "NB215"), "{name}: {f:?}");
    }
}

// ---------------------------------------------------------------------------
// A change written in words in a signed column (本年增/减).

fn fee_change(written: &str) -> String {
    replace_once(
        CZJ_2020,
        "<tr><td>行政事业性收费</td><td colspan=\"2\">0</td><td colspan=\"2\">0</td></tr>",
        &format!("<tr><td>行政事业性收费</td><td colspan=\"2\">0</td><td colspan=\"2\">{written}</td></tr>"),
    )
}

#[test]
fn a_change_written_in_words_is_read_as_a_signed_number() {
    for (written, value) in [
        ("减12", "-12"),
        ("减少3", "-3"),
        ("增5", "5"),
        ("增加 7", "7"),
    ] {
        let r = run(&fee_change(written));
        assert_silent(&findings(&r), "NB211");
        match &r
            .report
            .tables
            .get("active.a20_8.fee@delta")
            .expect("delta")
            .value
        {
            CellValue::Number(q) => assert_eq!(q.value.to_string(), value, "{written}"),
            other => panic!("{written}: {other:?}"),
        }
    }
    // Not in a signed column: 上一年项目数量 cannot be 减3.
    let input = replace_once(
        CZJ_2020,
        "<tr><td>行政事业性收费</td><td colspan=\"2\">0</td>",
        "<tr><td>行政事业性收费</td><td colspan=\"2\">减3</td>",
    );
    assert_has(
        &check(&input),
        "NB211",
        Severity::Warning,
        line_of(&input, "减3"),
    );
}

// ---------------------------------------------------------------------------
// A made-up format from data alone.

fn toy_toml(inferred_lhs: &str, inferred_rhs: &str, inferred_severity: &str) -> String {
    format!(
        r#"
[format]
id = "toy-2030"
name_zh = "玩具格式"
name_en = "Toy format"
source = "测试用"
regulation = "测试用"
years = {{ first = 2030 }}

[format.recognition]
table_markers = ["玩具统计数"]

[[tables]]
id = "toy"
name_zh = "玩具统计表"
name_en = "Toy table"
layout = "grid"
label_header = "指标"
default_column = "value"
required = true
missing_severity = "warning"

[[tables.columns]]
id = "value"
label = "玩具统计数"
label_en = "Count"
header = ["玩具统计数"]

[[tables.rows]]
id = "widgets"
label = "一、部件总数"
label_en = "Widgets"
kind = "value"

[[tables.rows]]
id = "widgets.red"
label = "1.红色部件数"
label_en = "Red widgets"
kind = "value"
parent = "widgets"

[[tables.rows]]
id = "widgets.blue"
label = "2.蓝色部件数"
label_en = "Blue widgets"
kind = "value"
parent = "widgets"

[[relations]]
id = "T.1"
kind = "sum"
op = "eq"
lhs = ["widgets"]
rhs = ["widgets.red", "widgets.blue"]
confidence = "S"
severity = "error"
enforce = true
note_zh = "部件总数等于红色与蓝色部件数之和"
note_en = "Widgets = red + blue"

[[relations]]
id = "T.2"
kind = "at_least"
op = "ge"
lhs = ["{inferred_lhs}"]
rhs = ["{inferred_rhs}"]
confidence = "I"
severity = "{inferred_severity}"
enforce = true
note_zh = "一种颜色的部件通常不少于另一种"
note_en = "One colour usually has at least as many widgets as the other"
"#
    )
}

fn toy_template(inferred_lhs: &str, inferred_rhs: &str, inferred_severity: &str) -> Template {
    Template::from_toml(&toy_toml(inferred_lhs, inferred_rhs, inferred_severity))
        .expect("the toy template follows the schema")
}

const TOY_REPORT: &str = "# 玩具市2030年政府信息公开工作年度报告

统计期限为2030年1月1日至2030年12月31日。

| 指标 | 玩具统计数 |
|---|---|
| 一、部件总数 | 20 |
| 1.红色部件数 | 7 |
| 2.蓝色部件数 | 2 |
";

fn check_toy(toy: &Template) -> Vec<Finding> {
    findings(&nianbao_model::check_with(
        std::slice::from_ref(toy),
        TOY_REPORT.as_bytes(),
    ))
}

#[test]
fn a_format_added_as_data_is_checked_by_the_same_rules() {
    // T.1 fails (20 ≠ 7 + 2); T.2 `red ≥ blue` holds.
    let toy = toy_template("widgets.red", "widgets.blue", "warning");
    let r = nianbao_model::check_with(std::slice::from_ref(&toy), TOY_REPORT.as_bytes());
    assert_eq!(r.report.format, "toy-2030");
    let f = findings(&r);
    let total = line_of(TOY_REPORT, "一、部件总数");
    assert_has(&f, "NB201", Severity::Error, total);
    let d = the(&r, "NB201", total);
    assert_eq!(d.expected.as_deref(), Some("9"));
    assert_eq!(d.found.as_deref(), Some("20"));
    assert_eq!(
        related_lines(&r, d),
        [
            line_of(TOY_REPORT, "1.红色部件数"),
            line_of(TOY_REPORT, "2.蓝色部件数")
        ]
    );
    assert_silent(&f, "NB204");
    assert_silent(&f, "NB208");
    assert_silent(&f, "NB209");

    // Changing the I relation's data (not any rule code) changes the finding:
    // `blue ≥ red` fails, as a warning …
    let swapped = toy_template("widgets.blue", "widgets.red", "warning");
    let f = check_toy(&swapped);
    assert_has(
        &f,
        "NB204",
        Severity::Warning,
        line_of(TOY_REPORT, "2.蓝色部件数"),
    );
    assert_has(&f, "NB201", Severity::Error, total);
    // … or as info when the data says info.
    let as_info = toy_template("widgets.blue", "widgets.red", "info");
    let f = check_toy(&as_info);
    assert_has(
        &f,
        "NB204",
        Severity::Info,
        line_of(TOY_REPORT, "2.蓝色部件数"),
    );
    assert!(
        !f.iter().any(|x| x.0 == "NB204" && x.1 != Severity::Info),
        "{f:?}"
    );
}

#[test]
fn a_made_up_inferred_relation_cannot_be_an_error() {
    let refused = Template::from_toml(&toy_toml("widgets.blue", "widgets.red", "error"));
    assert!(
        matches!(
            refused,
            Err(nianbao_model::template::TemplateError::InferredError { .. })
        ),
        "an I relation with severity error must be refused: {refused:?}"
    );
}

// ---------------------------------------------------------------------------
// NB110 published-late, NB111 timeliness-unchecked

fn date(text: &str) -> nianbao_model::frontmatter::Date {
    nianbao_model::parse_date(text).expect("a date")
}

#[test]
fn nb110_reads_a_page_publication_date_and_flags_a_late_one() {
    // The zone's 2023 report, published 2024-03-08: a government's deadline under
    // the 2019 regulation is 31 March. On time.
    let r = run(PAGE_2023);
    let published = r.report.front.published.expect("the PubDate meta");
    assert_eq!(published.date, date("2024-03-08"));
    assert_silent(&findings(&r), "NB110");
    assert_silent(&findings(&r), "NB111");
    // The same page published on 8 April: late, at the meta's value.
    let late = PAGE_2023.replace(
        "content=\"2024-03-08 15:34\"",
        "content=\"2024-04-08 15:34\"",
    );
    let r = run(&late);
    let meta = line_of(&late, "name=\"PubDate\"");
    assert_has(&findings(&r), "NB110", Severity::Warning, meta);
    let d = the(&r, "NB110", meta);
    assert!(
        d.message.zh.contains("2024-04-08 晚于法定期限 2024-03-31"),
        "{}",
        d.message.zh
    );
    assert_eq!(r.parsed.text_of(d.span), "2024-04-08");
}

#[test]
fn nb110_without_a_meta_the_line_under_the_title_gives_the_date() {
    // No PubDate meta: the page's `时间：2024-04-08 15:34` line under the title is read.
    let page = PAGE_2023
        .replace("<meta name=\"PubDate\" content=\"2024-03-08 15:34\"/>", "")
        .replace("时间：2024-03-08 15:34", "时间：2024-04-08 15:34");
    let r = run(&page);
    let line = line_of(&page, "时间：2024-04-08");
    assert_has(&findings(&r), "NB110", Severity::Warning, line);
}

#[test]
fn nb110_a_department_is_due_by_31_january_since_2019() {
    // The finance bureau's 2025 report, Markdown: no date, so one NB111 at the title.
    let mut r = run(CZJ_2025);
    assert_has(&findings(&r), "NB111", Severity::Info, 3);
    // Published 2026-02-15 (--published): a department's deadline is 31 January.
    nianbao_model::with_published(&mut r, date("2026-02-15"));
    let f = findings(&r);
    assert_silent(&f, "NB111");
    assert_has(&f, "NB110", Severity::Warning, 3);
    // On 31 January: on time.
    let mut r = run(CZJ_2025);
    nianbao_model::with_published(&mut r, date("2026年1月31日"));
    assert_silent(&findings(&r), "NB110");
    assert_silent(&findings(&r), "NB111");
}

#[test]
fn nb110_before_2019_every_body_had_until_31_march() {
    // 中卫市 2017 (a government, 2008 regulation): 31 March 2018 for every body.
    let mut r = run(ZHONGWEI);
    nianbao_model::with_published(&mut r, date("2018-03-30"));
    assert_silent(&findings(&r), "NB110");
    let mut r = run(ZHONGWEI);
    nianbao_model::with_published(&mut r, date("2018-04-02"));
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == "NB110")
        .expect("late");
    assert!(
        d.message.zh.contains("2008 年条例第三十一条"),
        "{}",
        d.message.zh
    );
    // Published before the year ended is NB109's, not a lateness.
    let mut r = run(ZHONGWEI);
    nianbao_model::with_published(&mut r, date("2017-12-01"));
    assert_silent(&findings(&r), "NB110");
}

#[test]
fn nb111_unknown_kind_between_the_two_deadlines() {
    use nianbao_model::frontmatter::IssuerKind;
    use nianbao_model::rules::structure::deadline;
    // 2019 regulation: 31 January for departments, 31 March for governments; the
    // kind unknown leaves no single deadline.
    assert_eq!(
        deadline(2024, Some(IssuerKind::Department)).map(|d| d.0),
        Some(date("2025-01-31"))
    );
    assert_eq!(
        deadline(2024, Some(IssuerKind::Government)).map(|d| d.0),
        Some(date("2025-03-31"))
    );
    assert_eq!(deadline(2024, None), None);
    assert_eq!(deadline(2018, None).map(|d| d.0), Some(date("2019-03-31")));
    assert_eq!(deadline(2007, Some(IssuerKind::Government)), None);
}
