//! Hostile and careless input: every reproduction of a crash is a test here.
//! Numbers that do not fit are findings naming them (NB506, NB211), never an
//! overflow; every span lies on character boundaries; a deadline stops a check
//! with NB008.

mod common;

use std::time::{Duration, Instant};

use nianbao_model::grammar::Severity;
use nianbao_model::{check, CheckedReport, Incomplete, Limits};

/// The check ran to its end and every span it made lies on character boundaries.
fn sound(input: &[u8]) -> CheckedReport {
    let r = check(input);
    assert_eq!(
        r.incomplete,
        None,
        "the check of {:?} did not finish",
        String::from_utf8_lossy(input)
    );
    for d in &r.diagnostics {
        assert!(
            r.parsed.is_on_chars(d.span),
            "{} span {:?} cuts a character",
            d.code,
            d.span
        );
        for rel in &d.related {
            assert!(
                r.parsed.is_on_chars(rel.span),
                "{} related span {:?} cuts a character",
                d.code,
                rel.span
            );
        }
    }
    r
}

fn codes(r: &CheckedReport) -> Vec<&'static str> {
    r.diagnostics.iter().map(|d| d.code).collect()
}

fn message_of<'r>(r: &'r CheckedReport, code: &str) -> &'r str {
    &r.diagnostics
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code} in {:?}", codes(r)))
        .message
        .zh
}

#[test]
fn an_index_number_after_a_multibyte_character() {
    let r = sound("站1/2018-12\n".as_bytes());
    assert!(r
        .report
        .facts
        .index_numbers
        .iter()
        .all(|n| n.value.is_ascii()));
    // The identifier starts after `站`, not inside it.
    let r = sound("索引号：站640501001/2017-49811\n".as_bytes());
    assert_eq!(
        r.report.facts.index_numbers[0].value,
        "640501001/2017-49811"
    );
}

#[test]
fn too_many_decimals_is_named_not_a_panic() {
    let r = sound("共3件，其中1件、0.0000000000000000000000000001件。\n".as_bytes());
    let m = message_of(&r, "NB506");
    assert!(
        m.contains("0.0000000000000000000000000001") && m.contains("小数 28 位"),
        "{m}"
    );
    assert!(
        !codes(&r).contains(&"NB401"),
        "no breakdown is checked with an unreadable part"
    );
}

#[test]
fn numbers_at_the_decimal_maximum_are_named_not_an_addition_overflow() {
    let r = sound(
        "共79228162514264337593543950335件，其中79228162514264337593543950335件、1件。\n"
            .as_bytes(),
    );
    let named: Vec<_> = r.diagnostics.iter().filter(|d| d.code == "NB506").collect();
    assert_eq!(named.len(), 2, "{:?}", codes(&r));
    assert!(named[0].message.zh.contains("整数部分 29 位，上限 18 位"));
    assert_eq!(named[0].severity, Severity::Warning);
    assert!(named[0]
        .message
        .en
        .contains("29 digits before the decimal point"));
}

#[test]
fn a_huge_part_is_named_not_a_multiplication_overflow() {
    let r = sound("共1件，其中20000000000000000000000000000件、1件。\n".as_bytes());
    assert_eq!(
        codes(&r),
        ["NB003", "NB104", "NB506"],
        "{:?}",
        r.diagnostics
    );
}

#[test]
fn the_largest_checked_figures_still_add_up_and_compare() {
    // 18 digits is within range: the breakdown is checked and its sum shown exactly.
    let r = sound(
        "共999999999999999999件，其中999999999999999999件、999999999999999999件。\n".as_bytes(),
    );
    assert!(!codes(&r).contains(&"NB506"));
    let m = message_of(&r, "NB401");
    assert!(m.contains("1999999999999999998"), "{m}");
    // A rate of a huge count over a tiny one is out of a Decimal's range: silently unchecked.
    sound("主动公开999999999999999999条，办结0.0000000001条，办结率5%。\n".as_bytes());
    sound("共办理999999999999999999件，已办结0.0000000001件，办结率99.9999999999%。\n".as_bytes());
    // Money converted from 亿元 to 元 near the limit.
    sound("收取信息处理费999999999999999999亿元。\n".as_bytes());
}

#[test]
fn an_oversized_cell_is_named_as_such() {
    let real = include_str!("../../../tests/fixtures/pingtan-2024.md");
    let edited = real.replacen(
        "申请数量</td><td>217</td>",
        "申请数量</td><td>20000000000000000000000000000</td>",
        1,
    );
    assert_ne!(edited, real);
    let r = sound(edited.as_bytes());
    let m = message_of(&r, "NB211");
    assert!(m.contains("位数过多（整数部分 29 位，上限 18 位）"), "{m}");
    // Full-width digits fold to the same figure.
    assert!(
        nianbao_model::quantity::oversized_cell("２００００００００００００００００００００")
            .is_some()
    );
    assert!(nianbao_model::quantity::oversized_cell("见附件").is_none());
}

#[test]
fn a_tab_separated_table_pasted_from_word_has_spans_on_characters() {
    let input = "某市2024年政府信息公开工作年度报告\n\n信息内容\t本年制发件数\n规章\t0\n";
    let r = sound(input.as_bytes());
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == "NB210")
        .expect("NB210");
    assert_eq!(r.parsed.text_of(d.span), "信");
    // The same text as GB18030 and with a byte-order mark and CRLF.
    let (gb, _, _) = encoding_rs::GB18030.encode(input);
    let r = sound(&gb);
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == "NB210")
        .expect("NB210");
    assert_eq!(r.parsed.text_of(d.span), "信");
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(input.replace('\n', "\r\n").as_bytes());
    sound(&bom);
}

#[test]
fn every_span_of_the_real_reports_lies_on_characters() {
    for (name, bytes) in common::REAL_FIXTURES {
        let r = sound(bytes);
        assert!(
            !r.diagnostics.is_empty() || name.starts_with("pingtan-202"),
            "{name}"
        );
    }
}

#[test]
fn hostile_fragments_never_stop_a_check() {
    let fragments = [
        "《",
        "》",
        "〔",
        "2017年1月1日、",
        "共",
        "其中",
        "件",
        "%",
        "占",
        "0.",
        ".5",
        "-",
        "１２",
        "\t",
        "|",
        "<!-- nianbao: ignore NB401 -->",
        "站",
        "1/2018-1",
        "99999999999999999999",
        "0.00000000000001",
        "十",
        "两",
        "余",
        "约",
        "\r\n",
        "\u{FEFF}",
        "<td rowspan=0>",
        "[](",
        "一、",
        "（一）",
    ];
    // Every pair and triple of fragments, as one line: small, deterministic, many shapes.
    for a in fragments {
        for b in fragments {
            sound(format!("{a}{b}3件{a}\n").as_bytes());
            for c in ["共", "1", "，其中", "\t"] {
                sound(format!("{c}{a}{b}{c}{a}件。\n").as_bytes());
            }
        }
    }
}

#[test]
fn a_passed_deadline_stops_the_check_with_one_finding() {
    let input = include_bytes!("../../../tests/fixtures/zhongwei-2017.md");
    let limits = Limits {
        deadline: Some(Instant::now()),
        time_limit: Some(Duration::from_secs(30)),
    };
    let r = nianbao_model::check_within(nianbao_model::template::builtin(), input, &limits);
    assert_eq!(r.incomplete, Some(Incomplete::TimeLimit));
    assert_eq!(codes(&r), ["NB008"]);
    assert!(
        r.diagnostics[0].message.zh.contains("30 秒"),
        "{}",
        r.diagnostics[0].message.zh
    );
    assert!(r.diagnostics[0].message.en.contains("30 s"));
    // The input was still read: its text is there for the renderers.
    assert_eq!(r.parsed.source().len(), input.len());
    // A deadline far away changes nothing.
    let far = Limits::time_limit(Duration::from_secs(3600));
    let r = nianbao_model::check_within(nianbao_model::template::builtin(), input, &far);
    assert_eq!(r.incomplete, None);
    assert_eq!(r.diagnostics, check(input).diagnostics);
}

#[test]
fn facts_past_the_limit_are_one_finding_not_memory() {
    use nianbao_model::facts::MAX_FACTS;
    // More titles and percentages than are read, on one line; the dates stay few.
    let unit = "《》占1%";
    let text = format!(
        "某市2017年政府信息公开工作年度报告\n\n2017年1月1日，{}",
        unit.repeat(MAX_FACTS + 7)
    );
    let r = sound(text.as_bytes());
    let f = &r.report.facts;
    assert_eq!(f.titles.len(), MAX_FACTS);
    assert_eq!(f.quantities.len(), MAX_FACTS);
    assert_eq!(f.dates.len(), 1);
    let nb024: Vec<_> = r.diagnostics.iter().filter(|d| d.code == "NB024").collect();
    assert_eq!(nb024.len(), 2, "one per kind cut: {:?}", codes(&r));
    // Each names the first fact of its kind left unread.
    let texts: Vec<&str> = nb024.iter().map(|d| r.parsed.text_of(d.span)).collect();
    assert!(
        texts.contains(&"《》") && texts.contains(&"1%"),
        "{texts:?}"
    );
    let last_title = f.titles[MAX_FACTS - 1].place.span;
    assert!(nb024.iter().any(|d| d.span.start > last_title.start));
    assert!(nb024[0].message.zh.contains(&MAX_FACTS.to_string()));
}
