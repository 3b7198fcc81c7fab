//! Table rules (NB2xx). Every relation comes from the template data: the rules
//! only know how to expand and evaluate `Σ lhs op Σ rhs`.
//!
//! Arithmetic is exact (rust_decimal) with interval semantics: a value with d
//! decimals stands for `[v − ½·10⁻ᵈ, v + ½·10⁻ᵈ]`. A blank cell of a table that
//! writes no explicit 0 anywhere stands for 0 (that table uses blanks for zeros),
//! and a mismatch that holds only with such a blank read as 0 is a `warning` at
//! most; elsewhere a blank or dashed cell is an unknown value `[0, ∞)` (FORMATS
//! §0). A relation fails only when no values inside those intervals can satisfy
//! it, so an unknown blank never makes a relation fail by itself. An operand whose
//! row the report lacks, or whose cell is not a number, skips the relation (the
//! row or the cell has its own finding) — except sub-rows printed only as their
//! group row (`（六）其他处理` as one row), for which the group row's figure stands.

use nianbao_grammar::findings::Findings;
use nianbao_grammar::{Diagnostic, Message, Severity};
use rust_decimal::Decimal;

use super::codes;
use crate::interval::{self, show, Interval};
use crate::names;
use crate::quantity::CellValue;
use crate::tables::{IndicatorCell, MappedTables};
use crate::template::{Layout, Op, Relation, RelationKind, RowKind, Template};

/// Expands a relation into its instances: (lhs cell ids, rhs cell ids).
pub fn expand(template: &Template, r: &Relation) -> Vec<(Vec<String>, Vec<String>)> {
    let table = r
        .table
        .as_deref()
        .and_then(|t| template.tables.iter().find(|d| d.id == t));
    let resolve = |op: &str, row: Option<&str>, col: Option<&str>| -> String {
        if let Some(c) = op.strip_prefix('@') {
            return format!("{}@{c}", row.unwrap_or_default());
        }
        if op.contains('@') {
            return op.to_string();
        }
        if let Some(c) = col {
            return format!("{op}@{c}");
        }
        match template.table_of(op) {
            Some(t) if t.layout == Layout::SingleRow => op.to_string(),
            Some(t) => format!("{op}@{}", t.default_column.as_deref().unwrap_or("value")),
            None => op.to_string(),
        }
    };
    let side = |ops: &[String], row: Option<&str>, col: Option<&str>| -> Vec<String> {
        ops.iter().map(|o| resolve(o, row, col)).collect()
    };
    if r.per_column {
        let cols: Vec<String> = if r.columns.is_empty() {
            table
                .map(|t| t.columns.iter().map(|c| c.id.clone()).collect())
                .unwrap_or_default()
        } else {
            r.columns.clone()
        };
        cols.iter()
            .map(|c| (side(&r.lhs, None, Some(c)), side(&r.rhs, None, Some(c))))
            .collect()
    } else if r.per_row {
        let rows: Vec<String> = if r.rows.is_empty() {
            table
                .map(|t| {
                    t.rows
                        .iter()
                        .filter(|x| x.kind == RowKind::Value)
                        .map(|x| x.id.clone())
                        .collect()
                })
                .unwrap_or_default()
        } else {
            r.rows.clone()
        };
        rows.iter()
            .map(|row| (side(&r.lhs, Some(row), None), side(&r.rhs, Some(row), None)))
            .collect()
    } else {
        vec![(side(&r.lhs, None, None), side(&r.rhs, None, None))]
    }
}

/// A cell's value as a message shows it.
fn value_text(tables: &MappedTables, cell: &IndicatorCell) -> Message {
    match &cell.value {
        CellValue::Number(q) => Message::new(q.value.to_string(), q.value.to_string()),
        CellValue::Blank if reads_as_zero(tables, cell) => {
            Message::new("（空，按 0 计）", "(blank, read as 0)")
        }
        CellValue::Blank => Message::new("（空）", "(blank)"),
        CellValue::Dash => Message::new("—", "—"),
        CellValue::Text { text } => Message::new(text.clone(), text.clone()),
    }
}

/// How the cells of one relation instance are named: by column when they share a
/// row (`自然人 216 + 商业企业 1`), by row when they share a column, else in full;
/// what they share is named once.
struct Naming<'a> {
    template: &'a Template,
    tables: &'a MappedTables,
    by: By,
}

#[derive(Clone, Copy, PartialEq)]
enum By {
    Column,
    Row,
    Full,
}

impl<'a> Naming<'a> {
    fn new(template: &'a Template, tables: &'a MappedTables, cells: &[&IndicatorCell]) -> Self {
        let first = cells[0];
        let same_row = cells
            .iter()
            .all(|c| c.table == first.table && c.row == first.row);
        let same_column = cells
            .iter()
            .all(|c| c.table == first.table && c.column == first.column);
        let by = if same_row && cells.len() > 1 && names::column(Some(template), first).is_some() {
            By::Column
        } else if same_column {
            By::Row
        } else {
            By::Full
        };
        Naming {
            template,
            tables,
            by,
        }
    }

    /// What every cell shares, to name once (`（一、本年新收政府信息公开申请数量）`, `（自然人）`).
    fn shared(&self, cell: &IndicatorCell) -> Message {
        let t = Some(self.template);
        let named = match self.by {
            By::Column => Some(names::row(t, cell)),
            By::Row => names::column(t, cell),
            By::Full => None,
        };
        named.map_or(Message::new("", ""), |m| {
            Message::new(format!("（{}）", m.zh), format!(" ({})", m.en))
        })
    }

    fn name(&self, cell: &IndicatorCell) -> Message {
        let t = Some(self.template);
        match self.by {
            By::Column => names::column(t, cell).unwrap_or_else(|| names::row(t, cell)),
            By::Row => names::row(t, cell),
            By::Full => names::cell(t, cell),
        }
    }

    /// `name value`.
    fn term(&self, cell: &IndicatorCell) -> Message {
        let (n, v) = (self.name(cell), value_text(self.tables, cell));
        Message::new(format!("{} {}", n.zh, v.zh), format!("{} {}", n.en, v.en))
    }

    /// One side of a relation: its terms and, when it has several, their sum
    /// (`A 4 + B 1 = 5`); more than a few parts written as 0 are left out and
    /// counted (`（另有 18 项为 0）`).
    fn side(&self, cells: &[&IndicatorCell], sum: Interval) -> Message {
        const FEW_ZEROS: usize = 3;
        if cells.len() == 1 {
            return self.term(cells[0]);
        }
        let zero =
            |c: &&IndicatorCell| matches!(&c.value, CellValue::Number(q) if q.value.is_zero());
        let zeros = cells.iter().filter(|c| zero(c)).count();
        let hide = zeros > FEW_ZEROS;
        let shown: Vec<Message> = cells
            .iter()
            .filter(|c| !(hide && zero(c)))
            .map(|c| self.term(c))
            .collect();
        let sum = show(sum);
        let join = |f: fn(&Message) -> &str| shown.iter().map(f).collect::<Vec<_>>().join(" + ");
        let (mut zh, mut en) = match shown.is_empty() {
            true => (format!("{zeros} 项均为 0"), format!("{zeros} parts, all 0")),
            false => (
                format!("{} = {sum}", join(|m| m.zh.as_str())),
                format!("{} = {sum}", join(|m| m.en.as_str())),
            ),
        };
        if hide && !shown.is_empty() {
            zh = format!("{zh}（另有 {zeros} 项为 0）");
            en = format!("{en} (and {zeros} more, all 0)");
        }
        Message::new(zh, en)
    }
}

/// NB201–NB204: every enforced arithmetic relation of the template.
pub fn relations(template: &Template, tables: &MappedTables, out: &mut Findings) {
    // One buffer for the operands of every instance.
    let mut operands_buffer = Vec::new();
    for (index, r) in template.relations.iter().enumerate() {
        if !r.enforce || matches!(r.kind, RelationKind::CrossYear | RelationKind::Unit) {
            continue;
        }
        let Some(op) = r.op else { continue };
        let fails: Vec<Failure> = template
            .instances(index)
            .iter()
            .filter_map(|(lhs, rhs)| {
                check_instance(template, tables, r, op, lhs, rhs, &mut operands_buffer)
            })
            .collect();
        // A total left at 0 while its parts are not (a 总计 column or row never filled
        // in) is one finding for the relation, not one per row or column.
        let zeros: Vec<&IndicatorCell> = fails.iter().filter_map(|f| f.zero_total).collect();
        if zeros.len() < 2 {
            fails.into_iter().for_each(|f| out.push(f.diagnostic));
            continue;
        }
        out.push(totals_left_at_zero(template, r, tables, &zeros));
        for f in fails.into_iter().filter(|f| f.zero_total.is_none()) {
            out.push(f.diagnostic);
        }
    }
}

/// A failed instance of a relation.
struct Failure<'a> {
    diagnostic: Diagnostic,
    /// The total, when it is a single cell that says 0 (or is a blank read as 0)
    /// while its parts add up to more.
    zero_total: Option<&'a IndicatorCell>,
}

/// The one finding for the totals of a relation left at 0.
fn totals_left_at_zero(
    template: &Template,
    r: &Relation,
    tables: &MappedTables,
    zeros: &[&IndicatorCell],
) -> Diagnostic {
    const SHOWN: usize = 5;
    // Each total as the table names it: its row, and its column when the row has several.
    let names: Vec<Message> = zeros
        .iter()
        .take(SHOWN)
        .map(|c| names::cell(Some(template), c))
        .collect();
    // Totals left blank in a table that writes no 0 are read as 0: likely, not certain.
    let blank = zeros.iter().any(|c| reads_as_zero(tables, c));
    let severity = match r.severity.severity() {
        Severity::Error if blank => Severity::Warning,
        s => s,
    };
    let (blank_zh, blank_en) = if blank {
        (
            "（空白的总计按 0 计：表中未写出任何 0）",
            " (blank totals read as 0: the table writes no 0)",
        )
    } else {
        ("", "")
    };
    let more = zeros.len().saturating_sub(SHOWN);
    let (more_zh, more_en) = if more > 0 {
        (
            format!("等 {} 处", zeros.len()),
            format!(" and {more} more"),
        )
    } else {
        (String::new(), String::new())
    };
    let relation = r.reference.as_deref().unwrap_or(&r.id);
    let zh: Vec<&str> = names.iter().map(|m| m.zh.as_str()).collect();
    let en: Vec<&str> = names.iter().map(|m| m.en.as_str()).collect();
    let mut d = Diagnostic::new(
        &codes::SUM_MISMATCH,
        zeros[0].span,
        Message::new(
            format!(
                "{}：{} 处总计为 0，而其分项之和不为 0（{}{more_zh}）；总计可能未填写{blank_zh}",
                r.note_zh,
                zeros.len(),
                zh.join("、")
            ),
            format!(
                "{}: {} totals are 0 while their parts are not ({}{more_en}); the totals may not have been filled in{blank_en}",
                r.note_en,
                zeros.len(),
                en.join(", ")
            ),
        ),
    )
    .with_severity(severity)
    .with_values("≠ 0".to_string(), "0".to_string())
    .with_relation(relation);
    for c in &zeros[1..] {
        d = d.with_related(c.span, names::cell(Some(template), c));
    }
    d
}

fn check_instance<'t>(
    template: &Template,
    tables: &'t MappedTables,
    r: &Relation,
    op: Op,
    lhs: &[String],
    rhs: &[String],
    cells: &mut Vec<(usize, &'t IndicatorCell)>,
) -> Option<Failure<'t>> {
    cells.clear();
    for (k, ids) in [lhs, rhs].iter().enumerate() {
        operands(template, tables, ids, k, cells)?;
    }
    let cells = &*cells;
    // Nothing is known when every operand is blank.
    if cells
        .iter()
        .all(|(_, c)| !matches!(c.value, CellValue::Number(_)))
    {
        return None;
    }
    // The two sides, with the blanks of a table that writes no 0 read as 0 (or not).
    let sides = |blank_zero: bool| -> Option<[Interval; 2]> {
        let mut sides = [Interval::ZERO, Interval::ZERO];
        for (k, cell) in cells {
            let i = if blank_zero && reads_as_zero(tables, cell) {
                Interval::ZERO
            } else {
                interval::of_cell(Some(template), cell)?
            };
            sides[*k] = sides[*k].add(i);
        }
        Some(sides)
    };
    let fails = |[l, rr]: [Interval; 2]| match op {
        Op::Eq => l.disjoint(rr),
        Op::Le => rr.below(l),
        Op::Ge => l.below(rr),
    };
    let [l, rr] = sides(true)?;
    if !fails([l, rr]) {
        return None;
    }
    // A mismatch that holds only with the blanks read as 0 is likely, not certain.
    let on_blanks = !sides(false).is_some_and(fails);
    let severity = match r.severity.severity() {
        Severity::Error if on_blanks => Severity::Warning,
        s => s,
    };
    let code = match r.kind {
        RelationKind::Sum => &codes::SUM_MISMATCH,
        RelationKind::Subset => &codes::PART_EXCEEDS_WHOLE,
        RelationKind::Balance => &codes::BALANCE_MISMATCH,
        _ => &codes::CHANNELS_BELOW_TOTAL,
    };
    let sym = match op {
        Op::Eq => "=",
        Op::Le => "≤",
        Op::Ge => "≥",
    };
    let (found, expected) = (show(l), show(rr));
    let relation = r.reference.as_deref().unwrap_or(&r.id);
    let (blank_zh, blank_en) = if on_blanks {
        (
            "（空白单元格按 0 计：表中未写出任何 0）",
            " (blank cells read as 0: the table writes no 0)",
        )
    } else {
        ("", "")
    };
    // The primary place is the total: the side with one operand (`Σ channels ≥ total`).
    let primary_side = if rhs.len() == 1 && lhs.len() > 1 {
        1
    } else {
        0
    };
    let primary = cells
        .iter()
        .find(|(k, _)| *k == primary_side)
        .map_or(cells[0].1, |(_, c)| *c);
    let all: Vec<&IndicatorCell> = cells.iter().map(|(_, c)| *c).collect();
    let naming = Naming::new(template, tables, &all);
    let of_side = |k: usize| -> Vec<&IndicatorCell> {
        cells
            .iter()
            .filter(|(s, _)| *s == k)
            .map(|(_, c)| *c)
            .collect()
    };
    let (left, right) = (naming.side(&of_side(0), l), naming.side(&of_side(1), rr));
    let shared = naming.shared(primary);
    let (note_zh, note_en) = (
        format!("{}{}", r.note_zh, shared.zh),
        format!("{}{}", r.note_en, shared.en),
    );
    let parts_side = 1 - primary_side;
    let total_alone = [lhs, rhs][primary_side].len() == 1 && [lhs, rhs][parts_side].len() > 1;
    let message = if op == Op::Eq && total_alone {
        let (parts, total) = if parts_side == 0 {
            (&left, primary)
        } else {
            (&right, primary)
        };
        let (name, value) = (naming.name(total), value_text(tables, total));
        Message::new(
            format!(
                "{note_zh}：{}，但{}为 {}{blank_zh}",
                parts.zh, name.zh, value.zh
            ),
            format!(
                "{note_en}: {}, but {} is {}{blank_en}",
                parts.en, name.en, value.en
            ),
        )
    } else if op == Op::Eq {
        Message::new(
            format!("{note_zh}：{}，{}，两者应相等{blank_zh}", left.zh, right.zh),
            format!(
                "{note_en}: {}; {}; the two should be equal{blank_en}",
                left.en, right.en
            ),
        )
    } else {
        Message::new(
            format!(
                "{note_zh}：{} 应 {sym} {}，实为 {found} 与 {expected}{blank_zh}",
                left.zh, right.zh
            ),
            format!(
                "{note_en}: {} should be {sym} {}, found {found} and {expected}{blank_en}",
                left.en, right.en
            ),
        )
    };
    let mut d = Diagnostic::new(code, primary.span, message)
        .with_severity(severity)
        .with_values(expected, found)
        .with_relation(relation);
    for (_, c) in cells.iter().filter(|(_, c)| !std::ptr::eq(*c, primary)) {
        d = d.with_related(c.span, naming.term(c));
    }
    // The total alone on its side says 0 and its parts add up to more than 0.
    let parts = if primary_side == 0 { rr } else { l };
    let alone = [lhs, rhs][primary_side].len() == 1 && [lhs, rhs][1 - primary_side].len() > 1;
    let zero = matches!(&primary.value, CellValue::Number(q) if q.value.is_zero())
        || reads_as_zero(tables, primary);
    let parts_positive = parts.lo.is_some_and(|lo| lo > Decimal::ZERO);
    Some(Failure {
        diagnostic: d,
        zero_total: (alone && zero && parts_positive).then_some(primary),
    })
}

/// A blank cell of a table that writes no 0 anywhere: it stands for 0.
fn reads_as_zero(tables: &MappedTables, cell: &IndicatorCell) -> bool {
    cell.value == CellValue::Blank && tables.blanks_are_zero(&cell.table)
}

/// The cells of one side (`side`) of a relation instance, appended to `out` with
/// the side, or `None` when an operand is missing (the row has its own finding). A group row the report prints as one
/// row, without any of its sub-rows, stands for their sum when every one of them
/// is an operand of this side (`（六）其他处理` given as one row in a 2021 table).
fn operands<'t>(
    template: &Template,
    tables: &'t MappedTables,
    ids: &[String],
    side: usize,
    out: &mut Vec<(usize, &'t IndicatorCell)>,
) -> Option<()> {
    let start = out.len();
    for id in ids {
        if let Some(cell) = tables.get(id) {
            out.push((side, cell));
            continue;
        }
        let (row, column) = match id.split_once('@') {
            Some((row, column)) => (row, Some(column)),
            None => (id.as_str(), None),
        };
        let parent = template.row(row)?.parent.as_deref()?;
        if template.row(parent)?.kind != RowKind::Group {
            return None;
        }
        // `r@column` (or `r`), compared and looked up without being made.
        let is_with_column = |id: &str, r: &str| match column {
            Some(c) => id.strip_prefix(r).and_then(|rest| rest.strip_prefix('@')) == Some(c),
            None => id == r,
        };
        let stand_in = tables.get_parts(parent, column)?;
        if out[start..].iter().any(|&(_, c)| std::ptr::eq(c, stand_in)) {
            continue;
        }
        let all_here_none_printed = template
            .tables
            .iter()
            .flat_map(|t| &t.rows)
            .filter(|r| r.parent.as_deref() == Some(parent) && r.kind == RowKind::Value)
            .all(|r| {
                ids.iter().any(|id| is_with_column(id, &r.id))
                    && tables.get_parts(&r.id, column).is_none()
            });
        if !all_here_none_printed {
            return None;
        }
        out.push((side, stand_in));
    }
    Some(())
}

/// NB205, NB206, NB207, NB211: each cell against its row and column definitions.
pub fn cells(template: &Template, tables: &MappedTables, out: &mut Findings) {
    let unit_severity = template
        .relations
        .iter()
        .find(|r| r.kind == RelationKind::Unit)
        .map_or(Severity::Warning, |r| r.severity.severity());
    // Blank cells by table, in table order: one finding per table.
    let mut blanks: Vec<(&str, Vec<&IndicatorCell>)> = Vec::new();
    for cell in &tables.cells {
        let row = template.row(&cell.row);
        let table = template.table_of(&cell.row);
        let col = table.and_then(|t| {
            t.columns
                .iter()
                .find(|c| Some(c.id.as_str()) == cell.column.as_deref() || *c.id == *cell.row)
        });
        let decimal = row.is_some_and(|r| r.decimal) || col.is_some_and(|c| c.decimal);
        // Made only for a finding: most cells have none.
        let label = || names::one_line(&cell.label);
        match &cell.value {
            CellValue::Number(q) => {
                if !decimal && !q.value.fract().is_zero() {
                    out.push(
                        Diagnostic::new(
                            &codes::NON_INTEGER_COUNT,
                            cell.span,
                            Message::new(
                                format!("“{}”是计数指标，不应有小数：{}", label(), q.value),
                                format!(
                                    "\"{}\" is a count and cannot have decimals: {}",
                                    label(),
                                    q.value
                                ),
                            ),
                        )
                        .with_severity(unit_severity),
                    );
                }
            }
            CellValue::Blank => match blanks.iter_mut().find(|(t, _)| **t == *cell.table) {
                Some((_, cells)) => cells.push(cell),
                None => blanks.push((&*cell.table, vec![cell])),
            },
            CellValue::Dash => {}
            CellValue::Text { text } => {
                let message = match crate::quantity::oversized_cell(text) {
                    Some(why) => {
                        let (zh, en) = why.reason();
                        Message::new(
                            format!("“{}”的数据“{text}”位数过多（{zh}），无法核对", label()),
                            format!(
                                "the value \"{text}\" of \"{}\" has too many digits ({en}) to be checked",
                                label()
                            ),
                        )
                    }
                    None => Message::new(
                        format!("“{}”的数据“{text}”不是数字", label()),
                        format!("the value \"{text}\" of \"{}\" is not a number", label()),
                    ),
                };
                out.push(Diagnostic::new(
                    &codes::UNREADABLE_VALUE,
                    cell.span,
                    message,
                ));
            }
        }
        // Units printed in a unit column, against the row's unit.
        let (Some(printed), Some(expected)) = (&cell.unit, row.and_then(|r| r.unit.as_ref()))
        else {
            continue;
        };
        let printed: &str = printed;
        let allowed = col.is_some_and(|c| c.cell_units.iter().any(|u| u == printed));
        let dash = |s: &str| s.chars().all(|c| matches!(c, '—' | '-' | '–'));
        let same = printed == expected || (expected == "group" && dash(printed)) || allowed;
        if !same {
            out.push(
                Diagnostic::new(
                    &codes::UNIT_MISMATCH,
                    cell.span,
                    Message::new(
                        format!("“{}”的单位是“{printed}”，模板为“{expected}”", label()),
                        format!(
                            "the unit of \"{}\" is \"{printed}\"; the template says \"{expected}\"",
                            label()
                        ),
                    ),
                )
                .with_values(expected.clone(), printed),
            );
        }
    }
    for (table, cells) in blanks {
        out.push(blank_cells(template, tables, table, &cells));
    }
}

/// NB207: the blank cells of one table, in one finding.
fn blank_cells(
    template: &Template,
    tables: &MappedTables,
    table: &str,
    cells: &[&IndicatorCell],
) -> Diagnostic {
    const SHOWN: usize = 10;
    let name = template
        .tables
        .iter()
        .find(|t| t.id == table)
        .map_or((table, table), |t| (t.name_zh.as_str(), t.name_en.as_str()));
    let names: Vec<String> = cells
        .iter()
        .take(SHOWN)
        .map(|c| blank_name(template, c))
        .collect();
    let more = cells.len().saturating_sub(SHOWN);
    let (more_zh, more_en) = if more > 0 {
        (
            format!("等 {} 处", cells.len()),
            format!(" and {more} more"),
        )
    } else {
        (String::new(), String::new())
    };
    let n = cells.len();
    let message = if tables.blanks_are_zero(table) {
        Message::new(
            format!(
                "“{}”未写出任何 0，{n} 个空白单元格按 0 计入勾稽校验：{}{more_zh}",
                name.0,
                names.join("、")
            ),
            format!(
                "\"{}\" writes no 0 anywhere: its {n} blank cell(s) are read as 0 in the checks: {}{more_en}",
                name.1,
                names.join(", ")
            ),
        )
    } else {
        Message::new(
            format!(
                "“{}”有 {n} 个空白单元格（表中其他处写了 0，空白不等于 0，按未知数校验）：{}{more_zh}",
                name.0,
                names.join("、")
            ),
            format!(
                "\"{}\" has {n} blank cell(s) (the table writes 0 elsewhere, so a blank is not 0 and is checked as unknown): {}{more_en}",
                name.1,
                names.join(", ")
            ),
        )
    };
    let mut d = Diagnostic::new(&codes::BLANK_CELL, cells[0].span, message);
    for c in cells.iter().skip(1).take(SHOWN - 1) {
        let label = blank_name(template, c);
        d = d.with_related(c.span, Message::new(label.clone(), label));
    }
    d
}

/// A blank cell named by its row, and its column's label when the row has several.
fn blank_name(template: &Template, cell: &IndicatorCell) -> String {
    let column = cell.column.as_deref().and_then(|id| {
        template
            .tables
            .iter()
            .find(|t| *t.id == *cell.table)
            .filter(|t| t.columns.len() > 1)
            .and_then(|t| t.columns.iter().find(|c| c.id == id))
    });
    match column {
        Some(c) => format!(
            "{}/{}",
            names::one_line(&cell.label),
            names::short(&c.label)
        ),
        None => names::one_line(&cell.label),
    }
}
