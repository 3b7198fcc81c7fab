//! Checks across reports (NB6xx): the real chain 平潭 2023 → 2024 → 2025, a
//! made-up carry-over mismatch, pairing by issuer and year, and merging the
//! subordinate fixtures of `tests/fixtures/merge/` against the published report.

use nianbao_model::cross::{self, Comparison};
use nianbao_model::grammar::{Diagnostic, Severity};
use nianbao_model::CheckedReport;

const P2023: &str = include_str!("../../../tests/fixtures/pingtan-2023.md");
const P2024: &str = include_str!("../../../tests/fixtures/pingtan-2024.md");
const P2025: &str = include_str!("../../../tests/fixtures/pingtan-2025.md");
const CZJ_2020: &str = include_str!("../../../tests/fixtures/pingtan-caizhengjinrongju-2020.md");
const CZJ_2025: &str = include_str!("../../../tests/fixtures/pingtan-caizhengjinrongju-2025.md");
const MERGE_A: &str = include_str!("../../../tests/fixtures/merge/pingtan-2024-a.md");
const MERGE_B: &str = include_str!("../../../tests/fixtures/merge/pingtan-2024-b.md");
const MERGE_B_OFF: &str =
    include_str!("../../../tests/fixtures/merge/pingtan-2024-b-off-by-one.md");

fn check(text: &str) -> CheckedReport {
    nianbao_model::check(text.as_bytes())
}

fn line(r: &CheckedReport, d: &Diagnostic) -> usize {
    r.parsed.line_col(d.span.start).line
}

/// 1-based line of the only occurrence of `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    assert_eq!(text.matches(needle).count(), 1, "{needle:?} once");
    let at = text.find(needle).unwrap_or_default();
    text[..at].matches('\n').count() + 1
}

/// (code, severity, line, expected, found) of every finding.
fn summary(
    r: &CheckedReport,
    found: &[Diagnostic],
) -> Vec<(String, Severity, usize, String, String)> {
    found
        .iter()
        .map(|d| {
            (
                d.code.to_string(),
                d.severity,
                line(r, d),
                d.expected.clone().unwrap_or_default(),
                d.found.clone().unwrap_or_default(),
            )
        })
        .collect()
}

const NORMATIVE_ROW: &str = "<tr><td>行政规范性文件</td>";

#[test]
fn chain_2023_to_2024_carry_over_holds_and_in_force_does_not() {
    let (prev, cur) = (check(P2023), check(P2024));
    let found = cross::year_over_year_with_path("tests/fixtures/pingtan-2023.md", &prev, &cur);
    let row = line_of(P2024, NORMATIVE_ROW);
    // 470 + 62 − 33 = 499 ≠ 440: one warning, at 2024's 现行有效件数 cell. Nothing for
    // 规章 (0 → 0) and no NB601: 结转下年度 0 → 上年结转 0 in every column.
    assert_eq!(
        summary(&cur, &found),
        vec![(
            "NB602".to_string(),
            Severity::Warning,
            row,
            "499".to_string(),
            "440".to_string()
        )]
    );
    let d = &found[0];
    assert_eq!(
        cur.parsed.text_of(d.span),
        "440",
        "primary span is the in_force cell"
    );
    assert!(
        d.message.zh.contains("470") && d.message.zh.contains("62") && d.message.zh.contains("33")
    );
    // The relation is named in its own field, not in the message.
    assert_eq!(d.relation.as_deref(), Some("N2.4"));
    assert!(!d.message.en.contains("N2.4"), "{}", d.message.en);
    // Last year's cell is named with its file and line, in both languages; its
    // span stays in this file (the current cell).
    let prev_line = line_of(P2023, NORMATIVE_ROW);
    let last_year: Vec<_> = d
        .related
        .iter()
        .filter(|r| r.label.en.starts_with("previous year's report"))
        .collect();
    assert_eq!(last_year.len(), 1);
    assert!(last_year[0]
        .label
        .zh
        .contains(&format!("tests/fixtures/pingtan-2023.md 第 {prev_line} 行")));
    assert!(last_year[0]
        .label
        .en
        .contains(&format!("tests/fixtures/pingtan-2023.md, line {prev_line}")));
    assert!(last_year[0].label.en.contains("470"));
    assert_eq!(last_year[0].span, d.span);
    // This year's other operands (issued 62, repealed 33) point at their own cells.
    let here: Vec<&str> = d
        .related
        .iter()
        .filter(|r| r.label.en.starts_with("this year's"))
        .map(|r| cur.parsed.text_of(r.span))
        .collect();
    assert_eq!(here, vec!["33", "62"]);
}

#[test]
fn chain_2024_to_2025_carry_over_holds_and_in_force_does_not() {
    let (prev, cur) = (check(P2024), check(P2025));
    let found = cross::year_over_year(&prev, &cur);
    // 440 + 58 − 45 = 453 ≠ 546.
    assert_eq!(
        summary(&cur, &found),
        vec![(
            "NB602".to_string(),
            Severity::Warning,
            line_of(P2025, NORMATIVE_ROW),
            "453".to_string(),
            "546".to_string()
        )]
    );
    // Without a path, last year's report is named by its issuer and year.
    assert!(found[0].message.zh.contains("平潭综合实验区2024年度报告"));
    assert!(found[0].message.en.contains("平潭综合实验区 2024 report"));
}

#[test]
fn a_carry_over_mismatch_is_an_error_at_this_years_cell() {
    // 2024's 上年结转 written as 1 for natural persons (and in the total, so the
    // table itself stays balanced except for N3.1, which is not this module's).
    let edited = P2024.replacen(
        "<tr><td colspan=\"3\">二、上年结转政府信息公开申请数量</td><td>0</td>",
        "<tr><td colspan=\"3\">二、上年结转政府信息公开申请数量</td><td>1</td>",
        1,
    );
    assert_ne!(edited, P2024);
    let (prev, cur) = (check(P2023), check(&edited));
    let found = cross::year_over_year_with_path("pingtan-2023.md", &prev, &cur);
    let carry: Vec<&Diagnostic> = found.iter().filter(|d| d.code == "NB601").collect();
    assert_eq!(carry.len(), 1, "{found:#?}");
    let d = carry[0];
    assert_eq!(d.name, "carry-over-mismatch");
    assert_eq!(d.severity, Severity::Error, "a stated continuity: error");
    assert_eq!(
        line(&cur, d),
        line_of(&edited, "二、上年结转政府信息公开申请数量")
    );
    assert_eq!(cur.parsed.text_of(d.span), "1");
    assert_eq!(d.expected.as_deref(), Some("0"), "last year's 结转下年度");
    assert_eq!(d.found.as_deref(), Some("1"));
    let carried_out_line = line_of(P2023, "四、结转下年度继续办理");
    assert!(d
        .message
        .zh
        .contains(&format!("pingtan-2023.md 第 {carried_out_line} 行")));
    assert_eq!(d.related.len(), 1);
    assert!(d.related[0].label.zh.contains("pingtan-2023.md"));
    assert!(d.related[0].label.en.contains("pingtan-2023.md"));
    // The in_force warning is still there, nothing else.
    let codes: Vec<&str> = found.iter().map(|d| d.code).collect();
    assert_eq!(codes.iter().filter(|c| **c == "NB602").count(), 1);
    assert_eq!(codes.len(), 2);
}

#[test]
fn a_blank_carry_over_is_unknown_not_a_mismatch() {
    let edited = P2024.replacen(
        "<tr><td colspan=\"3\">二、上年结转政府信息公开申请数量</td><td>0</td>",
        "<tr><td colspan=\"3\">二、上年结转政府信息公开申请数量</td><td></td>",
        1,
    );
    let found = cross::year_over_year(&check(P2023), &check(&edited));
    assert!(found.iter().all(|d| d.code != "NB601"), "{found:#?}");
}

#[test]
fn a_report_that_is_not_the_year_before_is_named_and_nothing_is_compared() {
    // 2023 is not the year before 2025.
    let cur = check(P2025);
    let found = cross::year_over_year_with_path("pingtan-2023.md", &check(P2023), &cur);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].code, "NB604");
    assert_eq!(found[0].severity, Severity::Warning);
    // At the title (the line after the blank line under the source comment).
    assert_eq!(
        line(&cur, &found[0]),
        line_of(P2025, "\n平潭综合实验区2025年度政府信息公开工作年度报告") + 1
    );
    // Another body's report is not this body's either.
    let other = cross::year_over_year(&check(CZJ_2025), &check(P2025));
    assert_eq!(
        other.iter().map(|d| d.code).collect::<Vec<_>>(),
        vec!["NB604"],
        "another body, and the same year"
    );
    let other = cross::year_over_year(&check(P2024), &check(CZJ_2025));
    assert_eq!(
        other.iter().map(|d| d.code).collect::<Vec<_>>(),
        vec!["NB604"],
        "平潭综合实验区 2024 is not 财政金融局's previous report"
    );
}

#[test]
fn the_year_before_with_the_same_year_is_refused() {
    let found = cross::year_over_year(&check(P2024), &check(P2024));
    assert_eq!(
        found.iter().map(|d| d.code).collect::<Vec<_>>(),
        vec!["NB604"]
    );
}

#[test]
fn from_national_2019_to_2021_only_table_three_compares() {
    // 财政金融局 2020 (national-2019) is not the year before 2025, so use it as a
    // made-up 2024 report: rename the year in its title.
    let prev_text = CZJ_2020.replace("2020年", "2024年");
    let prev = check(&prev_text);
    assert_eq!(prev.report.format, "national-2019");
    assert_eq!(prev.report.year(), Some(2024));
    let found = cross::year_over_year(&prev, &check(CZJ_2025));
    // a20_1's 现行有效件数 does not exist in a national-2019 report: N2.4/N2.5 skip;
    // table 三 ids are shared, so N3.5 runs (both carry-overs are 0 there).
    assert!(found.iter().all(|d| d.code != "NB602"), "{found:#?}");
    assert!(found.iter().all(|d| d.code != "NB601"), "{found:#?}");
}

#[test]
fn pairing_by_issuer_and_consecutive_years() {
    let (a, b, c) = (check(P2023), check(P2024), check(P2025));
    let (d, e) = (check(CZJ_2020), check(CZJ_2025));
    let reports = [
        ("pingtan-2025.md", &c),
        ("czj-2025.md", &e),
        ("pingtan-2023.md", &a),
        ("czj-2020.md", &d),
        ("pingtan-2024.md", &b),
    ];
    assert_eq!(
        cross::pair_by_issuer_and_year(&reports),
        vec![(4, 0), (2, 4)],
        "2024 → 2025 and 2023 → 2024; 财政金融局 2020 and 2025 are not consecutive"
    );
    assert_eq!(cross::pair_by_issuer_and_year(&[]), vec![]);
    // Issuers are compared after normalisation.
    assert_eq!(
        cross::issuer_key("平潭综合实验区管委会"),
        cross::issuer_key("平潭综合实验区")
    );
    assert_eq!(cross::issuer_key("淮安市人民政府"), "淮安市");
    assert_ne!(
        cross::issuer_key("平潭综合实验区财政金融局"),
        cross::issuer_key("平潭综合实验区")
    );
    // A renamed issuer with full-width spacing still pairs.
    let renamed = check(&P2023.replacen(
        "平潭综合实验区2023年度政府信息公开工作年度报告",
        "平潭综合实验区管委会 2023年度政府信息公开工作年度报告",
        1,
    ));
    assert_eq!(
        cross::pair_by_issuer_and_year(&[("a", &renamed), ("b", &b)]),
        vec![(0, 1)]
    );
}

#[test]
fn merge_of_the_split_agrees_with_the_published_report() {
    let (a, b, compiled) = (check(MERGE_A), check(MERGE_B), check(P2024));
    let merged = cross::merge(&[("a.md", &a), ("b.md", &b)], Some(&compiled)).expect("one format");
    assert_eq!(merged.format, "national-2021");
    assert_eq!(merged.differing().count(), 0);
    assert!(merged.diagnostics().is_empty());
    assert!(merged.unread.is_empty());
    assert_eq!(merged.indicators.len(), compiled.report.tables.cells.len());
    assert!(merged
        .indicators
        .iter()
        .all(|i| i.comparison == Comparison::Agrees && i.blank == 0 && i.missing == 0));
    let get = |id: &str| {
        merged
            .indicators
            .iter()
            .find(|i| i.id == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    assert_eq!(get("apply.new@total").sum.as_deref(), Some("218"));
    assert_eq!(
        get("active.a20_8.fee@fee_wan").sum.as_deref(),
        Some("18651.06")
    );
    assert_eq!(get("suit_after_review.total").sum.as_deref(), Some("19"));
}

#[test]
fn merge_finds_exactly_the_cell_that_is_off_by_one() {
    let (a, b, compiled) = (check(MERGE_A), check(MERGE_B_OFF), check(P2024));
    let merged = cross::merge(&[("a.md", &a), ("b.md", &b)], Some(&compiled)).expect("one format");
    let differing: Vec<_> = merged.differing().collect();
    assert_eq!(differing.len(), 1);
    let ind = differing[0];
    assert_eq!(ind.id, "active.a20_5.licensing@decisions");
    assert_eq!(ind.sum.as_deref(), Some("4530"));
    let compiled_cell = ind.compiled.as_ref().expect("compiled cell");
    assert_eq!(compiled_cell.value, "4529");
    assert_eq!(compiled_cell.line, line_of(P2024, "<tr><td>行政许可</td>"));
    let contributors: Vec<(&str, &str, usize)> = ind
        .contributors
        .iter()
        .map(|c| (c.path.as_str(), c.value.as_str(), c.line))
        .collect();
    assert_eq!(
        contributors,
        vec![
            ("a.md", "3000", line_of(MERGE_A, "<tr><td>行政许可</td>")),
            (
                "b.md",
                "1530",
                line_of(MERGE_B_OFF, "<tr><td>行政许可</td>")
            ),
        ]
    );
    // The same finding as a diagnostic on the compiled report.
    let ds = merged.diagnostics();
    assert_eq!(ds.len(), 1);
    assert_eq!(ds[0].code, "NB603");
    assert_eq!(ds[0].severity, Severity::Error);
    assert_eq!(compiled.parsed.text_of(ds[0].span), "4529");
    assert_eq!(ds[0].expected.as_deref(), Some("4530"));
    assert_eq!(ds[0].found.as_deref(), Some("4529"));
    assert_eq!(ds[0].related.len(), 2);
    assert!(ds[0].related[1].label.en.contains("b.md, line"));
}

#[test]
fn merge_without_a_compiled_report_only_sums() {
    let (a, b) = (check(MERGE_A), check(MERGE_B_OFF));
    let merged = cross::merge(&[("a.md", &a), ("b.md", &b)], None).expect("one format");
    assert!(merged
        .indicators
        .iter()
        .all(|i| i.comparison == Comparison::NotCompared && i.compiled.is_none()));
    assert_eq!(merged.differing().count(), 0);
}

#[test]
fn merge_counts_blank_contributors_as_unknown() {
    // 乙局's 行政强制 left blank: the sum is 甲局's 40 alone, one blank; 65 ≥ 40 may hold.
    let blank_b = MERGE_B.replacen(
        "<tr><td>行政强制</td><td colspan=\"3\">25</td></tr>",
        "<tr><td>行政强制</td><td colspan=\"3\"></td></tr>",
        1,
    );
    assert_ne!(blank_b, MERGE_B);
    let (a, b, compiled) = (check(MERGE_A), check(&blank_b), check(P2024));
    let merged = cross::merge(&[("a.md", &a), ("b.md", &b)], Some(&compiled)).expect("one format");
    let ind = merged
        .indicators
        .iter()
        .find(|i| i.id == "active.a20_6.coercion@decisions")
        .expect("coercion");
    assert_eq!((ind.sum.as_deref(), ind.blank), (Some("40"), 1));
    assert_eq!(ind.comparison, Comparison::Agrees);
    assert_eq!(ind.contributors[1].value, "");
    // A known sum above the compiled value differs even with a blank beside it.
    let big_a = MERGE_A.replacen(
        "<tr><td>行政强制</td><td colspan=\"3\">40</td></tr>",
        "<tr><td>行政强制</td><td colspan=\"3\">66</td></tr>",
        1,
    );
    let a = check(&big_a);
    let merged = cross::merge(&[("a.md", &a), ("b.md", &b)], Some(&compiled)).expect("one format");
    let ids: Vec<&str> = merged.differing().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, vec!["active.a20_6.coercion@decisions"]);
}

#[test]
fn merge_refuses_reports_of_different_formats() {
    let (a, old) = (check(MERGE_A), check(CZJ_2020));
    let err = cross::merge(&[("a.md", &a), ("old.md", &old)], None).expect_err("mixed");
    assert!(matches!(err, cross::MergeError::MixedFormats { .. }));
    let m = err.message();
    assert!(m.zh.contains("old.md: national-2019") && m.en.contains("different formats"));
    let err = cross::merge(&[("a.md", &a)], Some(&old)).expect_err("compiled of another format");
    assert!(matches!(err, cross::MergeError::CompiledFormat { .. }));
    assert_eq!(
        cross::merge(&[], None).expect_err("nothing to merge"),
        cross::MergeError::NoSubordinates
    );
    let unknown = check("随便一段文字，不是年报。\n");
    let err = cross::merge(&[("x.md", &unknown)], None).expect_err("unknown format");
    assert_eq!(
        err,
        cross::MergeError::UnknownFormat {
            path: "x.md".to_string()
        }
    );
}

#[test]
fn the_new_codes_are_documented_in_the_catalog() {
    for code in ["NB601", "NB602", "NB603", "NB604"] {
        let doc = nianbao_model::docs::rule_doc(code).unwrap_or_else(|| panic!("{code}"));
        assert!(doc.contains("## How to fix"), "{code}");
    }
}
