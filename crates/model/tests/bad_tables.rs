//! Badly formed statistics tables: ragged rows, a header with no body, numbers
//! written in odd ways, a template row printed twice, and two formats mixed in
//! one report. Each gets a clear finding at the cell it concerns, nothing
//! panics, and nothing the report prints is dropped: every number in a table is
//! either a mapped cell or named by a finding (its row in NB209, its cell in
//! NB211/NB212, or its whole table in NB210).

mod common;

use common::{
    check, findings, line, line_of, replace_once, run, set_value, whole_line, Finding,
    REAL_FIXTURES,
};
use nianbao_model::grammar::{Block, Diagnostic, Severity, Span};
use nianbao_model::quantity::{read_cell, CellValue};
use nianbao_model::CheckedReport;

const ZHONGWEI: &str = include_str!("../../../tests/fixtures/zhongwei-2017.md");
const HUAIAN: &str = include_str!("../../../tests/fixtures/huaian-2024.md");

fn nb2(f: &[Finding]) -> Vec<&Finding> {
    f.iter().filter(|x| x.0.starts_with("NB2")).collect()
}

/// Every number printed in a table that is neither a mapped cell nor named by a
/// finding, as (line, text). Empty when nothing is dropped.
fn dropped(r: &CheckedReport) -> Vec<(usize, String)> {
    let spans_of = |d: &Diagnostic| -> Vec<Span> {
        std::iter::once(d.span)
            .chain(d.related.iter().map(|x| x.span))
            .collect()
    };
    let named: Vec<Span> = r
        .diagnostics
        .iter()
        .filter(|d| d.code.starts_with("NB2"))
        .flat_map(spans_of)
        .collect();
    let mut out = Vec::new();
    for block in &r.parsed.blocks {
        let Block::Table(table) = block else { continue };
        let whole = table.span();
        let unmatched = r
            .diagnostics
            .iter()
            .any(|d| d.code == "NB210" && d.span.start >= whole.start && d.span.start < whole.end);
        if unmatched {
            continue;
        }
        for cell in table.cells() {
            if !matches!(read_cell(cell.text, cell.span), CellValue::Number(_)) {
                continue;
            }
            let mapped = r.report.tables.cells.iter().any(|c| c.span == cell.span);
            // A finding on the cell itself, or on any cell of its row (NB209 names the label).
            let row_spans: Vec<Span> = table
                .row(cell.row)
                .flatten()
                .filter_map(|i| table.cell(i))
                .map(|c| c.span)
                .collect();
            let in_finding = named.iter().any(|s| row_spans.contains(s));
            if !mapped && !in_finding {
                out.push((line(r, cell.span), cell.text.to_string()));
            }
        }
    }
    out
}

#[track_caller]
fn assert_nothing_dropped(r: &CheckedReport) {
    let lost = dropped(r);
    assert!(
        lost.is_empty(),
        "printed numbers neither mapped nor named by a finding: {lost:?}"
    );
}

// ---------------------------------------------------------------------------

#[test]
fn real_fixtures_drop_nothing() {
    for (name, bytes) in REAL_FIXTURES {
        let r = nianbao_model::check(bytes);
        let lost = dropped(&r);
        assert!(lost.is_empty(), "{name}: {lost:?}");
    }
}

const FAX_WITHOUT_VALUE: &str = "| 2. 传真申请数              | 件 |";
const ONLINE_WITH_EXTRA: &str = "| 3. 网络申请数              | 件 | 6   | 9 |";

#[test]
fn ragged_pipe_row_short_of_its_value_cell_is_named_at_the_row() {
    // `2. 传真申请数` lost its value cell.
    let input = replace_once(
        ZHONGWEI,
        whole_line(ZHONGWEI, "2. 传真申请数").trim_end(),
        FAX_WITHOUT_VALUE,
    );
    let r = run(&input);
    let f = findings(&r);
    // The row is printed: a finding on ITS line (a blank cell), not "row missing".
    let fax = line_of(&input, "2. 传真申请数");
    assert!(
        f.iter().any(|x| x.0.starts_with("NB2") && x.2 == fax),
        "no finding on the row without a value cell: {:?}",
        nb2(&f)
    );
    assert!(
        !r.diagnostics
            .iter()
            .any(|d| d.code == "NB208" && d.message.zh.contains("传真申请数")),
        "the row is printed, it is not missing: {:?}",
        nb2(&f)
    );
    assert_nothing_dropped(&r);
}

#[test]
fn ragged_pipe_row_with_an_extra_cell_drops_nothing() {
    // `3. 网络申请数` has one cell too many: the stray `9` must be named.
    let input = replace_once(
        ZHONGWEI,
        whole_line(ZHONGWEI, "3. 网络申请数").trim_end(),
        ONLINE_WITH_EXTRA,
    );
    let r = run(&input);
    // The row's own value is still read …
    let online = r
        .report
        .tables
        .get("apply.received.online@value")
        .expect("online");
    assert_eq!(r.parsed.text_of(online.span), "6");
    // … and the stray cell is not lost.
    assert_nothing_dropped(&r);
}

const REPEAT_ROW: &str =
    "<td>2.重复申请</td><td>25</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>25</td>";
const PUBLICATION_ROW: &str = "<td>3.要求提供公开出版物</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td>";

#[test]
fn ragged_html_row_short_of_a_cell_is_named_at_the_row() {
    // Table 三: `2.重复申请` lost its 总计 cell.
    let input = replace_once(
        HUAIAN,
        REPEAT_ROW,
        REPEAT_ROW.trim_end_matches("<td>25</td>"),
    );
    let r = run(&input);
    assert!(r
        .report
        .tables
        .get("result.not_processed.repeat@natural")
        .is_some());
    let f = findings(&r);
    let repeat = line_of(&input, "<td>2.重复申请</td>");
    assert!(
        f.iter().any(|x| x.0.starts_with("NB2") && x.2 == repeat),
        "no finding on the row that lost its 总计: {:?}",
        nb2(&f)
    );
    assert_nothing_dropped(&r);
}

#[test]
fn ragged_html_row_with_an_extra_cell_drops_nothing() {
    // Table 三: `3.要求提供公开出版物` has an eighth value cell.
    let input = replace_once(
        HUAIAN,
        PUBLICATION_ROW,
        &format!("{PUBLICATION_ROW}<td>7</td>"),
    );
    let r = run(&input);
    assert!(r
        .report
        .tables
        .get("result.not_processed.publication@total")
        .is_some());
    assert_nothing_dropped(&r);
}

#[test]
fn a_header_with_no_body_is_one_finding_at_the_table() {
    let start = ZHONGWEI.find("| 统计指标").expect("the 统计表");
    let input = format!(
        "{}| 统计指标 | 单位 | 统计数 |\n|---|---|---|\n",
        &ZHONGWEI[..start]
    );
    let r = run(&input);
    let f = findings(&r);
    let header = line_of(&input, "| 统计指标 | 单位 | 统计数 |");
    assert!(
        f.iter().any(|x| x.0.starts_with("NB2") && x.2 == header),
        "no finding at the empty table: {:?}",
        nb2(&f)
    );
    // Findings about the table point at the table, not at the title.
    let title = line_of(&input, "## 中卫市");
    let at_title: Vec<_> = f
        .iter()
        .filter(|x| x.0 == "NB208" && x.2 == title)
        .collect();
    assert!(
        at_title.is_empty(),
        "{} NB208 on the title line",
        at_title.len()
    );
}

#[test]
fn numbers_in_every_spelling() {
    let input = set_value(ZHONGWEI, "1. 当面申请数", "1,234");
    let input = set_value(&input, "2. 传真申请数", "1 234");
    let input = set_value(&input, "3. 网络申请数", "１２３４");
    let input = set_value(&input, "4. 信函申请数", "12.3.4");
    let input = set_value(&input, "六、举报投诉数量", "—");
    let input = set_value(&input, "2. 延期办结数", "/");
    let r = run(&input);
    let f = findings(&r);
    for id in [
        "apply.received.in_person@value",
        "apply.received.fax@value",
        "apply.received.online@value",
    ] {
        let cell = r.report.tables.get(id).expect(id);
        let CellValue::Number(q) = &cell.value else {
            panic!("{id}: {:?}", cell.value)
        };
        assert_eq!(q.value, 1234.into(), "{id}");
    }
    for id in ["complaints.total@value", "apply.closed.extended@value"] {
        let cell = r.report.tables.get(id).expect(id);
        assert_eq!(cell.value, CellValue::Dash, "{id}");
    }
    // `12.3.4`: one NB211 on its cell, naming the row and the text.
    let letter = line_of(&input, "4. 信函申请数");
    let unreadable: Vec<&Diagnostic> = r.diagnostics.iter().filter(|d| d.code == "NB211").collect();
    assert_eq!(unreadable.len(), 1, "{:?}", nb2(&f));
    let d = unreadable[0];
    assert_eq!(line(&r, d.span), letter);
    assert_eq!(r.parsed.text_of(d.span), "12.3.4");
    assert!(d.message.zh.contains("12.3.4") && d.message.zh.contains("信函申请数"));
    // No other finding on the readable cells.
    for label in [
        "1. 当面申请数",
        "2. 传真申请数",
        "3. 网络申请数",
        "六、举报投诉数量",
        "2. 延期办结数",
    ] {
        let at = line_of(&input, label);
        let here: Vec<_> = f
            .iter()
            .filter(|x| x.2 == at && matches!(x.0, "NB207" | "NB211"))
            .collect();
        assert!(here.is_empty(), "{label}: {here:?}");
    }
    // 8.1 has an unreadable operand: skipped, not failed.
    assert!(!f
        .iter()
        .any(|x| x.0 == "NB201" && x.2 == line_of(&input, "（一）收到申请数")));
    assert_nothing_dropped(&r);
}

#[test]
fn a_template_row_printed_twice_is_named_at_its_second_cell() {
    // The second copy says 5, not 4: the first counts, the second is named, not lost.
    let letter = whole_line(ZHONGWEI, "4. 信函申请数");
    let copy = letter.replace("| 4   |", "| 5   |");
    assert_ne!(copy, letter);
    let input = replace_once(ZHONGWEI, &letter, &format!("{letter}{copy}"));
    let r = run(&input);
    let first = line_of(&input, "4. 信函申请数");
    let dups: Vec<&Diagnostic> = r.diagnostics.iter().filter(|d| d.code == "NB212").collect();
    assert_eq!(dups.len(), 1, "{:?}", nb2(&findings(&r)));
    let d = dups[0];
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(line(&r, d.span), first + 1);
    assert_eq!(r.parsed.text_of(d.span), "5");
    assert_eq!(d.related.len(), 1);
    assert_eq!(line(&r, d.related[0].span), first);
    assert!(d.message.zh.contains("信函申请数"));
    // The first one counts.
    let cell = r
        .report
        .tables
        .get("apply.received.letter@value")
        .expect("letter");
    assert_eq!(r.parsed.text_of(cell.span), "4");
    assert_nothing_dropped(&r);
}

#[test]
fn two_formats_in_one_report() {
    // zhongwei's 2008 统计表, then 淮安's national table 三 appended as a second attachment.
    let start = HUAIAN
        .find("<table>\n<tr><td rowspan=\"3\" colspan=\"3\">")
        .expect("table 三");
    let end = HUAIAN.find("四、政府信息公开行政复议").expect("heading 四");
    let input = format!("{ZHONGWEI}\n\n附件2\n\n{}", &HUAIAN[start..end]);
    let r = run(&input);
    assert_eq!(r.report.format, "stat-table-2008");
    let f = findings(&r);
    // The foreign table is one finding at its first line.
    let t3 = line_of(&input, "<table>\n<tr><td rowspan=\"3\"");
    assert!(
        f.iter().any(|x| x.0 == "NB210" && x.2 == t3),
        "{:?}",
        nb2(&f)
    );
    // The 统计表 is still read in full.
    assert!(!f.iter().any(|x| x.0 == "NB208"), "{:?}", nb2(&f));
    assert!(
        !nb2(&f).iter().any(|x| x.1 == Severity::Error),
        "{:?}",
        nb2(&f)
    );
    assert_nothing_dropped(&r);
}

#[test]
fn broken_tables_never_panic() {
    let stat_start = ZHONGWEI.find("| 统计指标").expect("the 统计表");
    let head = &ZHONGWEI[..stat_start];
    let t3_start = HUAIAN
        .find("<table>\n<tr><td rowspan=\"3\" colspan=\"3\">")
        .expect("table 三");
    let t3_end = HUAIAN.find("四、政府信息公开行政复议").expect("heading 四");
    let t3 = &HUAIAN[t3_start..t3_end];
    let inputs: Vec<String> = vec![
        // Separator only; a lone pipe; a header row only, no separator.
        format!("{head}|---|---|---|\n"),
        format!("{head}|\n|\n"),
        format!("{head}| 统计指标 | 单位 | 统计数 |\n"),
        // Rows of one cell, rows of ten.
        format!("{head}| 统计指标 | 单位 | 统计数 |\n|---|---|---|\n| （一）收到申请数 |\n| 1. 当面申请数 | 件 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 |\n"),
        // A table never closed; a rowspan past the end; colspan 0; an empty row.
        format!("{head}{}", &t3[..t3.len() / 2]),
        format!("{head}{}", t3.replace("rowspan=\"11\"", "rowspan=\"999\"")),
        format!("{head}{}", t3.replace("colspan=\"3\"", "colspan=\"0\"")),
        format!(
            "{head}{}",
            t3.replace("<tr><td colspan=\"2\">（七）总计", "<tr></tr><tr><td colspan=\"2\">（七）总计")
        ),
        // A label with no value.
        format!("{head}| 统计指标 | 单位 | 统计数 |\n|---|---|---|\n| （一）收到申请数 | 件 | |\n"),
        // Huge and negative numbers, units, percentages.
        format!("{head}| 统计指标 | 单位 | 统计数 |\n|---|---|---|\n| （一）收到申请数 | 件 | 99999999999999999999999999999999 |\n| 1. 当面申请数 | 件 | -3 |\n| 2. 传真申请数 | 件 | 12% |\n| 3. 网络申请数 | 件 | 5件 |\n"),
    ];
    for input in &inputs {
        let r = run(input);
        assert_eq!(r.report.format, "stat-table-2008");
        assert_nothing_dropped(&r);
    }
}

#[test]
fn a_row_of_values_without_a_label_is_named() {
    // The label of `43` was lost (a converter put it in the row above).
    let stat_start = ZHONGWEI.find("| 统计指标").expect("the 统计表");
    let input = format!(
        "{}| 统计指标 | 单位 | 统计数 |\n|---|---|---|\n| （一）收到申请数 | 件 | |\n| | | 43 |\n",
        &ZHONGWEI[..stat_start]
    );
    let r = run(&input);
    let f = findings(&r);
    let at = line_of(&input, "| | | 43 |");
    assert!(
        f.iter().any(|x| x.0.starts_with("NB2") && x.2 == at),
        "no finding on the unlabelled row: {:?}",
        nb2(&f)
    );
    assert_nothing_dropped(&r);
}

#[test]
fn a_table_in_a_report_of_unknown_format_is_not_dropped_silently() {
    // Table 三 alone: no title, no year, no marker of table 二. No template can map
    // it, but its figures must not vanish without a word.
    let start = HUAIAN
        .find("<table>\n<tr><td rowspan=\"3\" colspan=\"3\">")
        .expect("table 三");
    let end = HUAIAN.find("四、政府信息公开行政复议").expect("heading 四");
    // A line of Markdown first: a file that opens with `<table>` is an HTML body.
    let input = &format!("附表\n\n{}", &HUAIAN[start..end]);
    let r = run(input);
    assert_eq!(r.report.format, "unknown");
    let f = check(input);
    assert!(
        f.iter().any(|x| x.0 == "NB210" && x.2 == 3),
        "no finding for the unread table: {f:?}"
    );
    assert_nothing_dropped(&r);
}
