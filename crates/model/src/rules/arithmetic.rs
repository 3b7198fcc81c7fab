//! Table rules (NB2xx). Every relation comes from the template data: the rules
//! only know how to expand and evaluate `Σ lhs op Σ rhs`.
//!
//! Arithmetic is exact (rust_decimal) with interval semantics: a value with d
//! decimals stands for `[v − ½·10⁻ᵈ, v + ½·10⁻ᵈ]`, and a blank or dashed cell for
//! an unknown value `[0, ∞)` (reports leave zeros blank, FORMATS §0). A relation
//! fails only when no values inside those intervals can satisfy it, so a blank
//! operand never makes a relation fail by itself. An operand whose row the
//! report lacks, or whose cell is not a number, skips the relation (the row or
//! the cell has its own finding).

use nianbao_grammar::findings::Findings;
use nianbao_grammar::{Diagnostic, Message, Severity};
use rust_decimal::Decimal;

use super::codes;
use crate::interval::{self, show, Interval};
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

fn describe(cell: &IndicatorCell) -> String {
    let value = match &cell.value {
        CellValue::Number(q) => q.value.to_string(),
        CellValue::Blank => "（空）".to_string(),
        CellValue::Dash => "—".to_string(),
        CellValue::Text { text } => text.clone(),
    };
    match &cell.column {
        Some(c) if c != "value" && c != "total" && c != "year" => {
            format!("{}[{c}] {value}", cell.label)
        }
        _ => format!("{} {value}", cell.label),
    }
}

/// NB201–NB204: every enforced arithmetic relation of the template.
pub fn relations(template: &Template, tables: &MappedTables, out: &mut Findings) {
    for r in &template.relations {
        if !r.enforce || matches!(r.kind, RelationKind::CrossYear | RelationKind::Unit) {
            continue;
        }
        let Some(op) = r.op else { continue };
        let fails: Vec<Failure> = expand(template, r)
            .iter()
            .filter_map(|(lhs, rhs)| check_instance(template, tables, r, op, lhs, rhs))
            .collect();
        // A total left at 0 while its parts are not (a 总计 column or row never filled
        // in) is one finding for the relation, not one per row or column.
        let zeros: Vec<&IndicatorCell> = fails.iter().filter_map(|f| f.zero_total).collect();
        if zeros.len() < 2 {
            fails.into_iter().for_each(|f| out.push(f.diagnostic));
            continue;
        }
        out.push(totals_left_at_zero(r, &zeros));
        for f in fails.into_iter().filter(|f| f.zero_total.is_none()) {
            out.push(f.diagnostic);
        }
    }
}

/// A failed instance of a relation.
struct Failure<'a> {
    diagnostic: Diagnostic,
    /// The total, when it is a single cell that says 0 while its parts add up to more.
    zero_total: Option<&'a IndicatorCell>,
}

/// The one finding for the totals of a relation left at 0.
fn totals_left_at_zero(r: &Relation, zeros: &[&IndicatorCell]) -> Diagnostic {
    const SHOWN: usize = 5;
    // Each total as the table names it: its row, and its column when the row has several.
    let names: Vec<String> = zeros
        .iter()
        .take(SHOWN)
        .map(|c| describe(c).trim_end_matches(" 0").to_string())
        .collect();
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
    let mut d = Diagnostic::new(
        &codes::SUM_MISMATCH,
        zeros[0].span,
        Message::new(
            format!(
                "{}：{} 处总计为 0，而其分项之和不为 0（{}{more_zh}）；总计可能未填写（模板关系 {relation}）",
                r.note_zh,
                zeros.len(),
                names.join("、")
            ),
            format!(
                "{}: {} totals are 0 while their parts are not ({}{more_en}); the totals may not have been filled in (template relation {relation})",
                r.note_en,
                zeros.len(),
                names.join(", ")
            ),
        ),
    )
    .with_severity(r.severity.severity())
    .with_values("≠ 0".to_string(), "0".to_string());
    for c in &zeros[1..] {
        d = d.with_related(c.span, Message::new(describe(c), describe(c)));
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
) -> Option<Failure<'t>> {
    let mut cells = Vec::new();
    let mut sides = [Interval::ZERO, Interval::ZERO];
    for (k, ids) in [lhs, rhs].iter().enumerate() {
        for id in ids.iter() {
            let cell = tables.get(id)?;
            let i = interval::of_cell(Some(template), cell)?;
            sides[k] = sides[k].add(i);
            cells.push((k, cell));
        }
    }
    // Nothing is known when every operand is blank.
    if cells
        .iter()
        .all(|(_, c)| !matches!(c.value, CellValue::Number(_)))
    {
        return None;
    }
    let [l, rr] = sides;
    let fails = match op {
        Op::Eq => l.disjoint(rr),
        Op::Le => rr.below(l),
        Op::Ge => l.below(rr),
    };
    if !fails {
        return None;
    }
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
    let left: Vec<String> = cells
        .iter()
        .filter(|(k, _)| *k == 0)
        .map(|(_, c)| describe(c))
        .collect();
    let right: Vec<String> = cells
        .iter()
        .filter(|(k, _)| *k == 1)
        .map(|(_, c)| describe(c))
        .collect();
    let (found, expected) = (show(l), show(rr));
    let relation = r.reference.as_deref().unwrap_or(&r.id);
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
    let mut d = Diagnostic::new(
        code,
        primary.span,
        Message::new(
            format!("{}：{} 应 {sym} {}，实为 {found} 与 {expected}（模板关系 {relation}）", r.note_zh, left.join(" + "), right.join(" + ")),
            format!("{}: {} should be {sym} {}, found {found} and {expected} (template relation {relation})", r.note_en, left.join(" + "), right.join(" + ")),
        ),
    )
    .with_severity(r.severity.severity())
    .with_values(expected, found);
    for (_, c) in cells.iter().filter(|(_, c)| !std::ptr::eq(*c, primary)) {
        d = d.with_related(c.span, Message::new(describe(c), describe(c)));
    }
    // The total alone on its side says 0 and its parts add up to more than 0.
    let parts = if primary_side == 0 { rr } else { l };
    let alone = [lhs, rhs][primary_side].len() == 1 && [lhs, rhs][1 - primary_side].len() > 1;
    let zero = matches!(&primary.value, CellValue::Number(q) if q.value.is_zero());
    let parts_positive = parts.lo.is_some_and(|lo| lo > Decimal::ZERO);
    Some(Failure {
        diagnostic: d,
        zero_total: (alone && zero && parts_positive).then_some(primary),
    })
}

/// NB205, NB206, NB207, NB211: each cell against its row and column definitions.
pub fn cells(template: &Template, tables: &MappedTables, out: &mut Findings) {
    let unit_severity = template
        .relations
        .iter()
        .find(|r| r.kind == RelationKind::Unit)
        .map_or(Severity::Warning, |r| r.severity.severity());
    for cell in &tables.cells {
        let row = template.row(&cell.row);
        let table = template.table_of(&cell.row);
        let col = table.and_then(|t| {
            t.columns
                .iter()
                .find(|c| Some(&c.id) == cell.column.as_ref() || c.id == cell.row)
        });
        let decimal = row.is_some_and(|r| r.decimal) || col.is_some_and(|c| c.decimal);
        match &cell.value {
            CellValue::Number(q) => {
                if !decimal && !q.value.fract().is_zero() {
                    out.push(
                        Diagnostic::new(
                            &codes::NON_INTEGER_COUNT,
                            cell.span,
                            Message::new(
                                format!("“{}”是计数指标，不应有小数：{}", cell.label, q.value),
                                format!(
                                    "\"{}\" is a count and cannot have decimals: {}",
                                    cell.label, q.value
                                ),
                            ),
                        )
                        .with_severity(unit_severity),
                    );
                }
            }
            CellValue::Blank => out.push(Diagnostic::new(
                &codes::BLANK_CELL,
                cell.span,
                Message::new(
                    format!("“{}”的数据单元格为空（空白不等于 0）", cell.label),
                    format!(
                        "the data cell of \"{}\" is blank (blank is not zero)",
                        cell.label
                    ),
                ),
            )),
            CellValue::Dash => {}
            CellValue::Text { text } => {
                let message = match crate::quantity::oversized_cell(text) {
                    Some(why) => {
                        let (zh, en) = why.reason();
                        Message::new(
                            format!("“{}”的数据“{text}”位数过多（{zh}），无法核对", cell.label),
                            format!(
                                "the value \"{text}\" of \"{}\" has too many digits ({en}) to be checked",
                                cell.label
                            ),
                        )
                    }
                    None => Message::new(
                        format!("“{}”的数据“{text}”不是数字", cell.label),
                        format!("the value \"{text}\" of \"{}\" is not a number", cell.label),
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
        let allowed = col.is_some_and(|c| c.cell_units.iter().any(|u| u == printed));
        let dash = |s: &str| s.chars().all(|c| matches!(c, '—' | '-' | '–'));
        let same = printed == expected || (expected == "group" && dash(printed)) || allowed;
        if !same {
            out.push(
                Diagnostic::new(
                    &codes::UNIT_MISMATCH,
                    cell.span,
                    Message::new(
                        format!("“{}”的单位是“{printed}”，模板为“{expected}”", cell.label),
                        format!(
                            "the unit of \"{}\" is \"{printed}\"; the template says \"{expected}\"",
                            cell.label
                        ),
                    ),
                )
                .with_values(expected.clone(), printed.clone()),
            );
        }
    }
}
