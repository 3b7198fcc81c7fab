//! Checks across reports (NB6xx): the same body's report of the year before
//! ([`year_over_year`]), pairing reports into consecutive years
//! ([`pair_by_issuer_and_year`]), and subordinate reports summed against the
//! report that compiles them ([`merge`]).
//!
//! # Year over year
//!
//! Every enforced `cross_year` relation of the current report's template is
//! expanded like any other relation ([`crate::rules::arithmetic::expand`]);
//! operands listed under `lhs_previous`/`rhs_previous` are looked up by id in the
//! previous report's mapped tables (table 三 ids are the same in both national
//! formats, so a 2020 report can precede a 2021 one). An operand that either
//! report lacks, or whose cell is not a number, skips the instance; a blank cell
//! is an unknown value ≥ 0 (FORMATS §0), so a blank never makes a relation fail
//! by itself. Arithmetic is exact with interval semantics, as for the table rules.
//!
//! A relation that equates exactly one cell of this year with exactly one cell
//! of last year (`carried_in@c = carry_out@c (previous)`, FORMATS N3.5) is a
//! stated continuity — the same applications counted at the end of one year and
//! at the start of the next — and is reported as NB601 with NB601's own severity
//! (error). Every other cross-year relation (N2.2, N2.4, N2.5) is NB602 with the
//! severity the template gives it (inferred relations are warnings).
//!
//! Spans: a diagnostic's spans are byte offsets into the CURRENT report only. The
//! primary span is this year's cell; last year's cells are named in related
//! entries whose label carries the other file's path and line (both languages)
//! and whose span is this year's cell, so every renderer shows a place that
//! exists in the file it renders.
//!
//! ```
//! let prev = nianbao_model::check(include_bytes!("../../../tests/fixtures/pingtan-2023.md"));
//! let cur = nianbao_model::check(include_bytes!("../../../tests/fixtures/pingtan-2024.md"));
//! let found = nianbao_model::cross::year_over_year_with_path("pingtan-2023.md", &prev, &cur);
//! assert!(found.iter().all(|d| d.code != "NB601")); // 结转下年度 0 → 上年结转 0
//! assert!(found.iter().any(|d| d.code == "NB602" && d.expected.as_deref() == Some("499")));
//! ```

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde::Serialize;

use nianbao_grammar::logical::normalize;
use nianbao_grammar::{Diagnostic, Message, Span};

use crate::interval::{self, show, Interval};
use crate::quantity::CellValue;
use crate::rules::arithmetic::expand;
use crate::rules::codes;
use crate::tables::IndicatorCell;
use crate::template::{self, Op, Relation, RelationKind, Template};
use crate::CheckedReport;

/// A cell's value as written: the number, `（空）`/`(blank)`, `—`, or the text.
fn written(value: &CellValue) -> Message {
    match value {
        CellValue::Number(q) => Message::new(q.value.to_string(), q.value.to_string()),
        CellValue::Blank => Message::new("（空）", "(blank)"),
        CellValue::Dash => Message::new("—", "—"),
        CellValue::Text { text } => Message::new(text.clone(), text.clone()),
    }
}

/// The cell's value as the table export writes it: the number, `""` for a blank, `—` for a dash.
fn export_value(value: &CellValue) -> String {
    match value {
        CellValue::Number(q) => q.value.to_string(),
        CellValue::Blank => String::new(),
        CellValue::Dash => "—".to_string(),
        CellValue::Text { text } => text.clone(),
    }
}

fn cell_name(template: Option<&Template>, cell: &IndicatorCell) -> Message {
    crate::names::cell(template, cell)
}

fn line_of(report: &CheckedReport, span: Span) -> usize {
    report.parsed.line_col(span.start).line
}

// ---------------------------------------------------------------------------
// Pairing
// ---------------------------------------------------------------------------

/// The issuer as a pairing key: normalised (both widths, no whitespace, straight
/// quotes), and without a trailing `人民政府`, `管理委员会` or `管委会`, so that
/// `淮安市人民政府` and `淮安市`, or `平潭综合实验区管委会` and `平潭综合实验区`, pair.
/// Subordinate offices (`…人民政府办公室`, `…财政金融局`) stay distinct.
///
/// ```
/// use nianbao_model::cross::issuer_key;
/// assert_eq!(issuer_key("淮安市人民政府"), issuer_key("淮安市 "));
/// assert_ne!(issuer_key("平潭综合实验区财政金融局"), issuer_key("平潭综合实验区"));
/// ```
pub fn issuer_key(issuer: &str) -> String {
    let mut key = normalize(issuer);
    for suffix in ["人民政府", "管理委员会", "管委会"] {
        if let Some(rest) = key.strip_suffix(suffix) {
            if !rest.is_empty() {
                key = rest.to_string();
                break;
            }
        }
    }
    key
}

/// Pairs reports of the same issuer ([`issuer_key`]) in consecutive years:
/// `(previous index, current index)`, ordered by the current index. Reports
/// without an issuer or a year are never paired. When several reports share an
/// issuer and year, the first one in `reports` is the previous year's partner.
///
/// ```
/// let a = nianbao_model::check(include_bytes!("../../../tests/fixtures/pingtan-2024.md"));
/// let b = nianbao_model::check(include_bytes!("../../../tests/fixtures/pingtan-2023.md"));
/// let pairs = nianbao_model::cross::pair_by_issuer_and_year(&[("2024.md", &a), ("2023.md", &b)]);
/// assert_eq!(pairs, vec![(1, 0)]);
/// ```
pub fn pair_by_issuer_and_year(reports: &[(&str, &CheckedReport)]) -> Vec<(usize, usize)> {
    let key = |r: &CheckedReport| -> Option<(String, i32)> {
        let issuer = issuer_key(r.report.issuer()?);
        (!issuer.is_empty()).then_some((issuer, r.report.year()?))
    };
    let mut first: HashMap<(String, i32), usize> = HashMap::new();
    for (i, (_, r)) in reports.iter().enumerate() {
        if let Some(k) = key(r) {
            first.entry(k).or_insert(i);
        }
    }
    let mut pairs = Vec::new();
    for (i, (_, r)) in reports.iter().enumerate() {
        let Some((issuer, year)) = key(r) else {
            continue;
        };
        if let Some(&p) = first.get(&(issuer, year - 1)) {
            pairs.push((p, i));
        }
    }
    pairs
}

// ---------------------------------------------------------------------------
// Year over year
// ---------------------------------------------------------------------------

/// Cross-year findings of `current` against the same body's report of the year
/// before (NB601, NB602, NB604). Last year's report is named by its issuer and
/// year in the messages; use [`year_over_year_with_path`] to name its file.
pub fn year_over_year(previous: &CheckedReport, current: &CheckedReport) -> Vec<Diagnostic> {
    let name = match (previous.report.issuer(), previous.report.year()) {
        (Some(i), Some(y)) => Message::new(format!("{i}{y}年度报告"), format!("{i} {y} report")),
        _ => Message::new("上一年度报告", "the previous year's report"),
    };
    run(&name, previous, current)
}

/// [`year_over_year`], with the previous report's file named as `previous_path`
/// in every message and related label (its line numbers come with it).
pub fn year_over_year_with_path(
    previous_path: &str,
    previous: &CheckedReport,
    current: &CheckedReport,
) -> Vec<Diagnostic> {
    year_over_year_from(previous_path, previous, current)
}

/// [`year_over_year_with_path`] of any [`PreviousYear`] and [`CurrentYear`]: a
/// checked report, or a [`crate::snapshot::YearSnapshot`] kept of one (a batch
/// keeps one per report instead of checking last year's report again), on either
/// side, with the same findings.
///
/// ```
/// use nianbao_model::snapshot::YearSnapshot;
/// let prev = nianbao_model::check(include_bytes!("../../../tests/fixtures/pingtan-2023.md"));
/// let cur = nianbao_model::check(include_bytes!("../../../tests/fixtures/pingtan-2024.md"));
/// let found = nianbao_model::cross::year_over_year_with_path("2023.md", &prev, &cur);
/// assert!(!found.is_empty());
/// let (kept_prev, kept_cur) = (YearSnapshot::of(&prev), YearSnapshot::of(&cur));
/// assert_eq!(nianbao_model::cross::year_over_year_from("2023.md", &kept_prev, &cur), found);
/// assert_eq!(nianbao_model::cross::year_over_year_from("2023.md", &kept_prev, &kept_cur), found);
/// ```
pub fn year_over_year_from<P: PreviousYear + ?Sized, C: CurrentYear + ?Sized>(
    previous_path: &str,
    previous: &P,
    current: &C,
) -> Vec<Diagnostic> {
    run(
        &Message::new(previous_path, previous_path),
        previous,
        current,
    )
}

/// What the year-over-year check reads of last year's report: its format, issuer
/// and year, and its mapped cells with their lines ([`MergeInput`]).
pub trait PreviousYear: MergeInput {
    /// The issuing body as the title names it.
    fn issuer(&self) -> Option<&str>;
    /// The report year.
    fn year(&self) -> Option<i32>;
}

impl PreviousYear for CheckedReport {
    fn issuer(&self) -> Option<&str> {
        self.report.issuer()
    }

    fn year(&self) -> Option<i32> {
        self.report.year()
    }
}

/// What the year-over-year check reads of this year's report: what it reads of
/// last year's, and the span of the title (where a mismatch, NB604, points).
pub trait CurrentYear: PreviousYear {
    /// The span of the report's title, if it has one.
    fn title_span(&self) -> Option<Span>;
}

impl CurrentYear for CheckedReport {
    fn title_span(&self) -> Option<Span> {
        self.report.front.title.as_ref().map(|f| f.span)
    }
}

/// The cells a year-over-year comparison can read, on either side: the operands
/// of every enforced cross-year relation of the built-in templates (the
/// comparison expands the relations of one of them). What a
/// [`crate::snapshot::YearSnapshot`] keeps of a report's cells.
pub(crate) struct CrossYearCells {
    /// The operands' cell ids by their row part (an id up to its `@`): each row's
    /// columns (`None`: the id is the row alone), so that a cell is looked up by
    /// its row and column without making its id.
    rows: std::collections::HashMap<String, Vec<Option<String>>>,
}

impl CrossYearCells {
    /// True when a comparison can read `cell`.
    pub(crate) fn reads(&self, cell: &IndicatorCell) -> bool {
        self.rows.get(&*cell.row).is_some_and(|columns| {
            columns
                .iter()
                .any(|c| c.as_deref() == cell.column.as_deref())
        })
    }
}

/// The [`CrossYearCells`] of the built-in templates, made once.
pub(crate) fn cross_year_cells() -> &'static CrossYearCells {
    static CELLS: std::sync::OnceLock<CrossYearCells> = std::sync::OnceLock::new();
    CELLS.get_or_init(|| {
        let mut ids = std::collections::HashSet::new();
        for template in template::builtin() {
            for r in &template.relations {
                if !r.enforce || r.kind != RelationKind::CrossYear || r.op.is_none() {
                    continue;
                }
                let mut joined = r.clone();
                joined.lhs.extend(r.lhs_previous.iter().cloned());
                joined.rhs.extend(r.rhs_previous.iter().cloned());
                for (lhs, rhs) in expand(template, &joined) {
                    ids.extend(lhs.into_iter().chain(rhs));
                }
            }
        }
        let mut rows: std::collections::HashMap<String, Vec<Option<String>>> =
            std::collections::HashMap::new();
        for id in ids {
            let (row, column) = match id.split_once('@') {
                Some((row, column)) => (row.to_string(), Some(column.to_string())),
                None => (id, None),
            };
            rows.entry(row).or_default().push(column);
        }
        CrossYearCells { rows }
    })
}

/// One operand of an instance: the cell, and whether it is last year's.
struct Operand<'a> {
    cell: &'a IndicatorCell,
    previous: bool,
    interval: Interval,
}

fn run<P: PreviousYear + ?Sized, C: CurrentYear + ?Sized>(
    prev_name: &Message,
    previous: &P,
    current: &C,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(d) = not_the_year_before(prev_name, previous, current) {
        out.push(d);
        return out;
    }
    let Some(template) = template::find(current.format(), current.variant()) else {
        return out;
    };
    for r in &template.relations {
        if !r.enforce || r.kind != RelationKind::CrossYear {
            continue;
        }
        let Some(op) = r.op else { continue };
        let (n_lhs, n_rhs) = (r.lhs.len(), r.rhs.len());
        let mut joined = r.clone();
        joined.lhs.extend(r.lhs_previous.iter().cloned());
        joined.rhs.extend(r.rhs_previous.iter().cloned());
        for (lhs, rhs) in expand(template, &joined) {
            if let Some(d) = check_instance(
                template,
                prev_name,
                previous,
                current,
                r,
                op,
                [&lhs, &rhs],
                [n_lhs, n_rhs],
            ) {
                out.push(d);
            }
        }
    }
    out
}

/// NB604 when the two reports are known to be of different issuers or not of consecutive years.
fn not_the_year_before<P: PreviousYear + ?Sized, C: CurrentYear + ?Sized>(
    prev_name: &Message,
    p: &P,
    c: &C,
) -> Option<Diagnostic> {
    let years_off = matches!((p.year(), c.year()), (Some(py), Some(cy)) if py + 1 != cy);
    let issuers_off = matches!(
        (p.issuer(), c.issuer()),
        (Some(pi), Some(ci)) if issuer_key(pi) != issuer_key(ci)
    );
    if !years_off && !issuers_off {
        return None;
    }
    let describe = |issuer: Option<&str>, year: Option<i32>| {
        let issuer = issuer.unwrap_or("?");
        let year = year.map_or("?".to_string(), |y| y.to_string());
        (format!("{issuer}{year}年度"), format!("{issuer} {year}"))
    };
    let (pz, pe) = describe(p.issuer(), p.year());
    let (cz, ce) = describe(c.issuer(), c.year());
    let at = c.title_span().unwrap_or(Span::new(0, 0));
    Some(
        Diagnostic::new(
            &codes::PREVIOUS_REPORT_MISMATCH,
            at,
            Message::new(
                format!(
                    "作为上一年度报告给出的 {}（{pz}）不是本报告（{cz}）同一机关上一年度的报告，未作跨年度比较",
                    prev_name.zh
                ),
                format!(
                    "{} ({pe}), given as the previous year's report, is not the same body's report of the year before this one ({ce}); nothing was compared across years",
                    prev_name.en
                ),
            ),
        )
        .with_values(
            format!("{cz}的上一年度"),
            pz,
        ),
    )
}

#[allow(clippy::too_many_arguments)]
fn check_instance<P: PreviousYear + ?Sized, C: CurrentYear + ?Sized>(
    template: &Template,
    prev_name: &Message,
    previous: &P,
    current: &C,
    r: &Relation,
    op: Op,
    sides: [&Vec<String>; 2],
    n_current: [usize; 2],
) -> Option<Diagnostic> {
    let prev_template = template::find(previous.format(), previous.variant());
    let mut ops: [Vec<Operand<'_>>; 2] = [Vec::new(), Vec::new()];
    for k in 0..2 {
        for (i, id) in sides[k].iter().enumerate() {
            let is_prev = i >= n_current[k];
            let (cell, t) = if is_prev {
                (previous.cell(id)?, prev_template)
            } else {
                (current.cell(id)?, Some(template))
            };
            let interval = interval::of_cell(t, cell)?;
            ops[k].push(Operand {
                cell,
                previous: is_prev,
                interval,
            });
        }
    }
    let all = || ops.iter().flatten();
    if !all().any(|o| matches!(o.cell.value, CellValue::Number(_))) {
        return None;
    }
    // The primary operand: this year's first cell, on the left if there is one.
    let (side, idx) = [0usize, 1]
        .iter()
        .find_map(|&k| ops[k].iter().position(|o| !o.previous).map(|i| (k, i)))?;
    let op = if side == 0 { op } else { flip(op) };
    let sum = |k: usize, skip: Option<usize>| {
        ops[k]
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != skip)
            .fold(Interval::ZERO, |acc, (_, o)| acc.add(o.interval))
    };
    let other = 1 - side;
    let primary = &ops[side][idx];
    // What the primary cell may be: the other side minus the rest of its own side.
    let target = sum(other, None).sub(sum(side, Some(idx)));
    let fails = match op {
        Op::Eq => primary.interval.disjoint(target),
        Op::Le => target.below(primary.interval),
        Op::Ge => primary.interval.below(target),
    };
    if !fails {
        return None;
    }
    let continuity = is_continuity(r);
    let previous_ops: Vec<&Operand<'_>> = all().filter(|o| o.previous).collect();
    let term = |o: &Operand<'_>| -> Message {
        let name = cell_name(Some(template), o.cell);
        let value = written(&o.cell.value);
        if o.previous {
            Message::new(
                format!("上年“{}”{}", name.zh, value.zh),
                format!("last year's {} {}", name.en, value.en),
            )
        } else {
            Message::new(
                format!("本年“{}”{}", name.zh, value.zh),
                format!("this year's {} {}", name.en, value.en),
            )
        }
    };
    let mut formula_zh = String::new();
    let mut formula_en = String::new();
    // Last year's terms first: `上年 470 + 本年制发 62 − 本年废止 33`.
    let mut other_terms: Vec<&Operand<'_>> = ops[other].iter().collect();
    other_terms.sort_by_key(|o| !o.previous);
    for o in other_terms {
        let t = term(o);
        if !formula_zh.is_empty() {
            formula_zh.push_str(" + ");
            formula_en.push_str(" + ");
        }
        formula_zh.push_str(&t.zh);
        formula_en.push_str(&t.en);
    }
    if ops[other].is_empty() {
        formula_zh.push('0');
        formula_en.push('0');
    }
    for (i, o) in ops[side].iter().enumerate() {
        if i == idx {
            continue;
        }
        let t = term(o);
        formula_zh.push_str(&format!(" − {}", t.zh));
        formula_en.push_str(&format!(" − {}", t.en));
    }
    let found = export_or_blank(&primary.cell.value);
    let expected = match op {
        Op::Eq => show(target),
        Op::Le => target
            .hi
            .map_or_else(|| show(target), |h| format!("≤{}", h.normalize())),
        Op::Ge => target
            .lo
            .map_or_else(|| show(target), |l| format!("≥{}", l.normalize())),
    };
    let (rel_zh, rel_en) = match op {
        Op::Eq => ("应为", "should be"),
        Op::Le => ("应不超过", "should be at most"),
        Op::Ge => ("应不少于", "should be at least"),
    };
    let bare = expected.trim_start_matches(['≤', '≥']);
    let name = cell_name(Some(template), primary.cell);
    let relation = r.reference.as_deref().unwrap_or(&r.id);
    let prev_place = previous_ops.first().map(|o| previous.place(o.cell));
    let where_zh = match &prev_place {
        Some(p) => format!("{} {}", prev_name.zh, p.zh),
        None => prev_name.zh.clone(),
    };
    let where_en = match &prev_place {
        Some(p) => format!("{}, {}", prev_name.en, p.en),
        None => prev_name.en.clone(),
    };
    let mut d = if continuity {
        let last = previous_ops
            .first()
            .map(|o| (cell_name(Some(template), o.cell), written(&o.cell.value)));
        let (last_name, last_value) =
            last.unwrap_or_else(|| (Message::new("", ""), Message::new("", "")));
        Diagnostic::new(
            &codes::CARRY_OVER_MISMATCH,
            primary.cell.span,
            Message::new(
                format!(
                    "本年“{}”为 {found}，上一年度报告（{where_zh}）“{}”为 {}：上年末结转的就是本年初接续办理的同一批申请，两数应相等",
                    name.zh, last_name.zh, last_value.zh
                ),
                format!(
                    "this year's {} is {found}, but the previous year's report ({where_en}) has {} {}: what is carried out at the end of one year is carried in at the start of the next, so the two must be equal",
                    name.en, last_name.en, last_value.en
                ),
            ),
        )
    } else {
        Diagnostic::new(
            &codes::CROSS_YEAR_MISMATCH,
            primary.cell.span,
            Message::new(
                format!(
                    "{}：本年“{}”为 {found}，按 {formula_zh} {rel_zh} {bare}（上一年度报告：{where_zh}）",
                    r.note_zh, name.zh
                ),
                format!(
                    "{}: this year's {} is {found}; from {formula_en} it {rel_en} {bare} (previous year's report: {where_en})",
                    r.note_en, name.en
                ),
            ),
        )
        .with_severity(r.severity.severity())
    };
    d = d.with_values(expected, found).with_relation(relation);
    for o in all() {
        if std::ptr::eq(o.cell, primary.cell) {
            continue;
        }
        let name = cell_name(Some(template), o.cell);
        let value = written(&o.cell.value);
        if o.previous {
            let place = previous.place(o.cell);
            // The span stays in this file (spans are offsets into the current
            // report); the label names the other file and the place there.
            d = d.with_related(
                primary.cell.span,
                Message::new(
                    format!(
                        "上一年度报告 {} {}：“{}”{}",
                        prev_name.zh, place.zh, name.zh, value.zh
                    ),
                    format!(
                        "previous year's report {}, {}: {} {}",
                        prev_name.en, place.en, name.en, value.en
                    ),
                ),
            );
        } else {
            d = d.with_related(
                o.cell.span,
                Message::new(
                    format!("本年“{}”{}", name.zh, value.zh),
                    format!("this year's {} {}", name.en, value.en),
                ),
            );
        }
    }
    Some(d)
}

fn export_or_blank(value: &CellValue) -> String {
    match value {
        CellValue::Blank => "（空）".to_string(),
        v => export_value(v),
    }
}

fn flip(op: Op) -> Op {
    match op {
        Op::Eq => Op::Eq,
        Op::Le => Op::Ge,
        Op::Ge => Op::Le,
    }
}

/// A stated continuity: one cell of this year equals one cell of last year
/// (`carried_in = carry_out (previous)`): the same thing counted twice.
pub(crate) fn is_continuity(r: &Relation) -> bool {
    r.op == Some(Op::Eq)
        && r.lhs.len() + r.rhs.len() == 1
        && r.lhs_previous.len() + r.rhs_previous.len() == 1
}

// ---------------------------------------------------------------------------
// Merge
// ---------------------------------------------------------------------------

/// One subordinate report's value of an indicator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Contributor {
    /// The subordinate report's path (or upload name).
    pub path: String,
    /// The value as written (`""` blank, `—` dash, the text of a non-number).
    pub value: String,
    /// 1-based line of the cell in that report.
    pub line: usize,
}

/// The compiled report's cell of an indicator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CompiledCell {
    /// The value as written (as for [`Contributor::value`]).
    pub value: String,
    /// 1-based line in the compiled report.
    pub line: usize,
    /// The cell's span in the compiled report.
    #[serde(skip)]
    pub span: Span,
}

/// How the sum compares with the compiled report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Comparison {
    /// No compiled report was given.
    NotCompared,
    /// The compiled report lacks this indicator (its own NB208 says so).
    NotInCompiled,
    /// The compiled cell is not a number (its own NB211 says so).
    CompiledUnreadable,
    /// The sum and the compiled value may be equal (intervals overlap; a blank is any value ≥ 0).
    Agrees,
    /// They cannot be equal.
    Differs,
}

/// One indicator (`row@col`) summed over the subordinate reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MergedIndicator {
    /// `row@col`, or the column id of a single-row table (表四).
    pub id: String,
    /// Template table id.
    pub table: String,
    /// The template's name of the indicator, in both languages.
    pub label: Message,
    /// The sum of the numeric contributions as written (exact); `None` when none is a number.
    pub sum: Option<String>,
    /// Contributors whose cell is blank, a dash or not a number (unknown values).
    pub blank: usize,
    /// Subordinate reports that lack the indicator altogether.
    pub missing: usize,
    /// Every subordinate that has the indicator, in the order given.
    pub contributors: Vec<Contributor>,
    /// The compiled report's cell, when a compiled report was given and has it.
    pub compiled: Option<CompiledCell>,
    /// The comparison.
    pub comparison: Comparison,
}

/// The subordinate reports summed, and compared when a compiled report was given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Merged {
    /// The national format every report shares.
    pub format: String,
    /// The local variant every report shares, if any.
    pub variant: Option<String>,
    /// Every indicator of the subordinates, in template order.
    pub indicators: Vec<MergedIndicator>,
    /// Subordinate reports from which no table cell was read (each counts as
    /// missing for every indicator): worth a look before trusting the sums.
    pub unread: Vec<String>,
}

impl Merged {
    /// The indicators whose sum cannot equal the compiled value.
    pub fn differing(&self) -> impl Iterator<Item = &MergedIndicator> {
        self.indicators
            .iter()
            .filter(|i| i.comparison == Comparison::Differs)
    }

    /// NB603 findings on the compiled report, one per differing indicator: the
    /// primary span is the compiled cell; each contributor is a related entry
    /// (span = the compiled cell, the label names the subordinate file and line).
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for ind in self.differing() {
            let Some(compiled) = &ind.compiled else {
                continue;
            };
            let sum = ind.sum.clone().unwrap_or_else(|| "?".to_string());
            let blank_zh = if ind.blank + ind.missing > 0 {
                format!("（另有 {} 份为空或缺少该项）", ind.blank + ind.missing)
            } else {
                String::new()
            };
            let blank_en = if ind.blank + ind.missing > 0 {
                format!(" ({} more blank or lacking it)", ind.blank + ind.missing)
            } else {
                String::new()
            };
            let mut d = Diagnostic::new(
                &codes::MERGE_MISMATCH,
                compiled.span,
                Message::new(
                    format!(
                        "汇总年报的“{}”为 {}，{} 份下级年报合计为 {sum}{blank_zh}",
                        ind.label.zh,
                        compiled.value,
                        ind.contributors.len()
                    ),
                    format!(
                        "the compiled report's {} is {}, the {} subordinate reports add up to {sum}{blank_en}",
                        ind.label.en,
                        compiled.value,
                        ind.contributors.len()
                    ),
                ),
            )
            .with_values(sum, compiled.value.clone());
            for c in &ind.contributors {
                let value = if c.value.is_empty() {
                    Message::new("（空）", "(blank)")
                } else {
                    Message::new(c.value.clone(), c.value.clone())
                };
                d = d.with_related(
                    compiled.span,
                    Message::new(
                        format!("{} 第 {} 行：{}", c.path, c.line, value.zh),
                        format!("{}, line {}: {}", c.path, c.line, value.en),
                    ),
                );
            }
            out.push(d);
        }
        out
    }
}

/// Why reports could not be merged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum MergeError {
    /// No subordinate report was given.
    NoSubordinates,
    /// A report's format was not recognised: nothing was read from its tables.
    UnknownFormat {
        /// The report's path.
        path: String,
    },
    /// The subordinate reports are of different formats (their indicators differ).
    MixedFormats {
        /// `(path, format)` of every subordinate (with its variant: `stat-table-2008/pingtan`).
        formats: Vec<(String, String)>,
    },
    /// The compiled report is of another format than the subordinates.
    CompiledFormat {
        /// The subordinates' format (with its variant, as in `MixedFormats`).
        subordinates: String,
        /// The compiled report's format (with its variant).
        compiled: String,
    },
}

impl MergeError {
    /// The explanation, in both languages.
    pub fn message(&self) -> Message {
        match self {
            MergeError::NoSubordinates => Message::new("没有给出下级年报", "no subordinate report was given"),
            MergeError::UnknownFormat { path } => Message::new(
                format!("无法识别 {path} 的报告格式，读不出其统计表，不能汇总"),
                format!("the format of {path} is not recognised: its tables cannot be read, so it cannot be summed"),
            ),
            MergeError::MixedFormats { formats } => {
                let list = formats
                    .iter()
                    .map(|(p, f)| format!("{p}: {f}"))
                    .collect::<Vec<_>>()
                    .join("; ");
                Message::new(
                    format!("下级年报的格式不同，指标不能逐项相加（{list}）；请只汇总同一格式（同一报告年度）的年报"),
                    format!("the subordinate reports are of different formats, whose indicators cannot be added one by one ({list}); merge reports of one format (one report year)"),
                )
            }
            MergeError::CompiledFormat {
                subordinates,
                compiled,
            } => Message::new(
                format!("汇总年报的格式（{compiled}）与下级年报（{subordinates}）不同，指标无法对应"),
                format!("the compiled report's format ({compiled}) differs from the subordinates' ({subordinates}): their indicators do not correspond"),
            ),
        }
    }
}

/// The result of [`merge`].
pub type MergeResult = Result<Merged, MergeError>;

/// Sums the subordinate reports' mapped cells indicator by indicator (`row@col`)
/// and, with a compiled report, compares each sum with its cell.
///
/// Only numbers are added; a blank, dashed or unreadable contribution is an
/// unknown value (≥ 0, or any value in a signed column) and is counted in
/// [`MergedIndicator::blank`]. The comparison uses interval semantics: whole
/// numbers are exact, a figure with d decimals stands for ±½·10⁻ᵈ, and an
/// indicator differs only when no values inside those intervals can be equal.
///
/// ```
/// let a = nianbao_model::check(include_bytes!("../../../tests/fixtures/pingtan-2024.md"));
/// let m = nianbao_model::cross::merge(&[("a.md", &a)], Some(&a)).expect("one format");
/// assert_eq!(m.differing().count(), 0);
/// ```
pub fn merge(
    subordinates: &[(&str, &CheckedReport)],
    compiled: Option<&CheckedReport>,
) -> MergeResult {
    merge_from(subordinates, compiled)
}

/// [`merge`] of any [`MergeInput`]: checked reports, or tables snapshots kept
/// from earlier checks ([`crate::snapshot::TablesSnapshot`]), with the same result.
pub fn merge_from<R: MergeInput + ?Sized>(
    subordinates: &[(&str, &R)],
    compiled: Option<&R>,
) -> MergeResult {
    let Some((_, first)) = subordinates.first() else {
        return Err(MergeError::NoSubordinates);
    };
    for (path, r) in subordinates {
        if template_of(*r).is_none() {
            return Err(MergeError::UnknownFormat {
                path: (*path).to_string(),
            });
        }
    }
    // A variant has its own indicators: reports merge only within one variant.
    let name = |r: &R| template::format_name(r.format(), r.variant());
    let format = name(first);
    if subordinates.iter().any(|(_, r)| name(r) != format) {
        return Err(MergeError::MixedFormats {
            formats: subordinates
                .iter()
                .map(|(p, r)| ((*p).to_string(), name(r)))
                .collect(),
        });
    }
    if let Some(c) = compiled {
        if name(c) != format {
            return Err(MergeError::CompiledFormat {
                subordinates: format,
                compiled: name(c),
            });
        }
    }
    let template = template_of(*first);
    // Indicator ids in the order of the first report that has them.
    let mut order: Vec<&IndicatorCell> = Vec::new();
    let mut seen: HashMap<String, ()> = HashMap::new();
    for (_, r) in subordinates {
        for cell in r.cells() {
            if seen.insert(cell.id(), ()).is_none() {
                order.push(cell);
            }
        }
    }
    let mut indicators = Vec::with_capacity(order.len());
    for proto in order {
        let id = proto.id();
        let mut sum: Option<Decimal> = None;
        let mut range = Interval::ZERO;
        let (mut blank, mut missing) = (0, 0);
        let mut contributors = Vec::new();
        for (path, r) in subordinates {
            let Some(cell) = r.cell(&id) else {
                missing += 1;
                // Unknown: anything the indicator may be.
                range = range.add(Interval {
                    lo: (!interval::signed(template, proto)).then_some(Decimal::ZERO),
                    hi: None,
                });
                continue;
            };
            contributors.push(Contributor {
                path: (*path).to_string(),
                value: export_value(&cell.value),
                line: r.line(cell),
            });
            match &cell.value {
                CellValue::Number(q) => {
                    sum = Some(sum.unwrap_or(Decimal::ZERO).saturating_add(q.value));
                    let (lo, hi) = q.interval();
                    range = range.add(Interval { lo: Some(lo), hi });
                }
                _ => {
                    blank += 1;
                    range = range.add(Interval {
                        lo: (!interval::signed(template, cell)).then_some(Decimal::ZERO),
                        hi: None,
                    });
                }
            }
        }
        let (compiled_cell, comparison) = match compiled {
            None => (None, Comparison::NotCompared),
            Some(c) => match c.cell(&id) {
                None => (None, Comparison::NotInCompiled),
                Some(cell) => {
                    let shown = CompiledCell {
                        value: export_value(&cell.value),
                        line: c.line(cell),
                        span: cell.span,
                    };
                    let comparison = match interval::of_cell(template, cell) {
                        None => Comparison::CompiledUnreadable,
                        Some(i) if sum.is_some() && i.disjoint(range) => Comparison::Differs,
                        Some(_) => Comparison::Agrees,
                    };
                    (Some(shown), comparison)
                }
            },
        };
        indicators.push(MergedIndicator {
            label: crate::names::indicator(
                template,
                &proto.table,
                &proto.row,
                proto.column.as_deref(),
            ),
            id,
            table: proto.table.to_string(),
            sum: sum.map(|s| s.to_string()),
            blank,
            missing,
            contributors,
            compiled: compiled_cell,
            comparison,
        });
    }
    let unread = subordinates
        .iter()
        .filter(|(_, r)| r.cells().is_empty())
        .map(|(p, _)| (*p).to_string())
        .collect();
    Ok(Merged {
        format: first.format().to_string(),
        variant: first.variant().map(str::to_string),
        indicators,
        unread,
    })
}

fn template_of<R: MergeInput + ?Sized>(r: &R) -> Option<&'static Template> {
    template::find(r.format(), r.variant())
}

/// What [`merge`] reads of a report: its format and its mapped cells with their
/// lines. A checked report is one; so is a [`crate::snapshot::TablesSnapshot`]
/// kept from an earlier check.
pub trait MergeInput {
    /// The report's national format id.
    fn format(&self) -> &str;
    /// The local variant of its tables, if any.
    fn variant(&self) -> Option<&str>;
    /// Every mapped cell, in table order.
    fn cells(&self) -> &[IndicatorCell];
    /// The cell with id `row@col` (or a single-row column id).
    fn cell(&self, id: &str) -> Option<&IndicatorCell>;
    /// The 1-based line of one of its cells.
    fn line(&self, cell: &IndicatorCell) -> usize;
    /// Where one of its cells is, in words a reader finds it by: the table
    /// cell of a Word document (`表一 第 4 行 第 4 列`), else its line (`第 35 行`).
    fn place(&self, cell: &IndicatorCell) -> Message {
        at_line(self.line(cell))
    }
}

/// A place by its line: `第 35 行` / `line 35`.
pub(crate) fn at_line(line: usize) -> Message {
    Message::new(format!("第 {line} 行"), format!("line {line}"))
}

impl MergeInput for CheckedReport {
    fn format(&self) -> &str {
        &self.report.format
    }

    fn variant(&self) -> Option<&str> {
        self.report.variant.as_deref()
    }

    fn cells(&self) -> &[IndicatorCell] {
        &self.report.tables.cells
    }

    fn cell(&self, id: &str) -> Option<&IndicatorCell> {
        self.report.tables.get(id)
    }

    fn line(&self, cell: &IndicatorCell) -> usize {
        line_of(self, cell.span)
    }

    fn place(&self, cell: &IndicatorCell) -> Message {
        match crate::output::Location::of(self, cell.span) {
            Some(location) => location.describe(),
            None => at_line(self.line(cell)),
        }
    }
}
