//! Narrative rules: the text against the table (NB3xx) and against itself (NB4xx).

use rust_decimal::Decimal;

use nianbao_grammar::findings::Findings;
use nianbao_grammar::{Diagnostic, Message};

use super::codes;
use crate::facts::{Facts, QuantityFact};
use crate::links::Link;
use crate::quantity::{Approx, CellValue, Quantity};
use crate::tables::{IndicatorCell, MappedTables};
use crate::template::Template;

/// `[lo, hi]` with `hi = None` unbounded.
type Range = (Decimal, Option<Decimal>);

fn money_factor(unit: &str) -> Option<Decimal> {
    match unit {
        "元" => Some(Decimal::ONE),
        "万元" => Some(Decimal::from(10_000)),
        "亿元" => Some(Decimal::from(100_000_000)),
        _ => None,
    }
}

/// The figure's interval, in the unit of the table when both are money.
fn figure_range(q: &Quantity, table_unit: Option<&str>) -> Range {
    let (lo, hi) = q.interval();
    let factor = match (
        q.unit.as_deref().and_then(money_factor),
        table_unit.and_then(money_factor),
    ) {
        (Some(from), Some(to)) if from != to => Some(from / to),
        _ => None,
    };
    match factor {
        Some(f) => (lo.saturating_mul(f), hi.map(|h| h.saturating_mul(f))),
        None => (lo, hi),
    }
}

fn show(r: Range) -> String {
    match r {
        (lo, Some(hi)) => {
            let mid = (lo.saturating_add(hi) / Decimal::TWO).normalize();
            mid.to_string()
        }
        (lo, None) => format!("≥{}", lo.normalize()),
    }
}

/// The names of linked cells for a message: each row's label once, with the
/// columns it sums when they are not the table's own (`一、本年新收…（商业企业+科研机构）`).
fn cell_names(cells: &[&IndicatorCell], template: Option<&Template>) -> Vec<String> {
    let column_label = |c: &IndicatorCell| -> Option<String> {
        let col = c.column.as_deref()?;
        let table = template?.tables.iter().find(|t| *t.id == *c.table)?;
        if table.default_column.as_deref().unwrap_or("value") == col {
            return None;
        }
        let def = table.columns.iter().find(|d| d.id == col)?;
        Some(def.label.clone())
    };
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for c in cells {
        let column = column_label(c);
        match out.last_mut() {
            Some((label, columns)) if **label == *c.label => columns.extend(column),
            _ => out.push((c.label.to_string(), column.into_iter().collect())),
        }
    }
    out.into_iter()
        .map(|(label, columns)| {
            if columns.is_empty() {
                label
            } else {
                format!("{label}（{}）", columns.join("+"))
            }
        })
        .collect()
}

/// NB301: a linked narrative figure that the table contradicts.
pub fn narrative_vs_table(
    links: &[Link],
    facts: &Facts,
    tables: &MappedTables,
    template: Option<&Template>,
    out: &mut Findings,
) {
    for link in links {
        let cells: Option<Vec<_>> = link.cells.iter().map(|id| tables.get(id)).collect();
        let Some(cells) = cells else { continue };
        let mut lo = Decimal::ZERO;
        let mut hi = Some(Decimal::ZERO);
        let mut any_number = false;
        for c in &cells {
            match &c.value {
                CellValue::Number(q) => {
                    let (l, h) = q.interval();
                    lo = lo.saturating_add(l);
                    hi = hi.zip(h).map(|(a, b)| a.saturating_add(b));
                    any_number = true;
                }
                CellValue::Blank | CellValue::Dash => hi = None,
                CellValue::Text { .. } => return,
            }
        }
        if !any_number {
            continue;
        }
        let table_unit = cells.first().and_then(|c| c.unit.as_deref());
        let (flo, fhi, found) = match link.quantity {
            Some(qi) => {
                let q = &facts.quantities[qi].quantity;
                let (a, b) = figure_range(q, table_unit);
                (
                    a,
                    b,
                    format!("{}{}", q.value, q.unit.as_deref().unwrap_or("")),
                )
            }
            None => (
                Decimal::ZERO,
                Some(Decimal::ZERO),
                format!("0（{}）", link.zero.as_deref().unwrap_or("")),
            ),
        };
        let disjoint = fhi.is_some_and(|h| h < lo) || hi.is_some_and(|h| h < flo);
        if !disjoint {
            continue;
        }
        let expected = show((lo, hi));
        let labels = cell_names(&cells, template);
        let mut d = Diagnostic::new(
            &codes::NARRATIVE_TABLE_MISMATCH,
            link.span,
            Message::new(
                format!(
                    "正文“{}”{found}，表格“{}”为 {expected}",
                    link.phrase,
                    labels.join("”+“")
                ),
                format!(
                    "the text says \"{}\" {found}; the table's \"{}\" is {expected}",
                    link.phrase,
                    labels.join("\" + \"")
                ),
            ),
        )
        .with_values(expected, found);
        for c in &cells {
            d = d.with_related(
                c.span,
                Message::new(format!("表格：{}", c.label), format!("table: {}", c.label)),
            );
        }
        out.push(d);
    }
}

/// NB401: a breakdown whose parts do not add up to its total, when the list is a partition.
///
/// Decision (see the code's documentation for every breakdown of the fixtures):
/// parts above the total are always wrong; parts from 80% up to just below the
/// total, in the total's unit, in a list not ending in `等`, are a likely error;
/// anything smaller is a list of notable subsets, not a partition, and stays silent.
pub fn breakdowns(facts: &Facts, out: &mut Findings) {
    for b in &facts.breakdowns {
        let total = &facts.quantities[b.total];
        let parts: Vec<&QuantityFact> = b.parts.iter().map(|&i| &facts.quantities[i]).collect();
        if total.quantity.approx != Approx::Exact
            || parts.iter().any(|p| p.quantity.approx != Approx::Exact)
        {
            continue;
        }
        let refs: Vec<&Quantity> = parts.iter().map(|p| &p.quantity).collect();
        if crate::quantity::sum_consistent(&total.quantity, &refs) {
            continue;
        }
        // Parts whose own shares add up to more than the whole overlap (`89项，其中…
        // 45项，占比78.9%；…41项，占比71.9%`): they describe the total, not divide it.
        let shares = facts
            .rates
            .iter()
            .filter(|r| b.parts.contains(&r.part))
            .fold(Decimal::ZERO, |acc, r| {
                acc.saturating_add(facts.quantities[r.rate].quantity.value)
            });
        if shares > Decimal::from(101) {
            continue;
        }
        // A list read further than it goes is not a slip: a part broken down in turn
        // (`主动公开117条（涵盖10条、…81条）、依申请公开274条`), or two lists of the
        // total, each adding up (`8件，涉及…1件、1件、6件…其中同意公开3件、…4件、…1件`).
        let flat = without_nested(&refs);
        // Every part is exact here: prefix sums, one pass.
        let all: Decimal = flat
            .iter()
            .fold(Decimal::ZERO, |acc, p| acc.saturating_add(p.value));
        let mut prefix = Decimal::ZERO;
        let two_lists = flat.len() >= 4
            && flat[..flat.len() - 2].iter().enumerate().any(|(i, p)| {
                prefix = prefix.saturating_add(p.value);
                i >= 1 && prefix == total.quantity.value && all - prefix == total.quantity.value
            });
        if two_lists || crate::quantity::sum_consistent(&total.quantity, &flat) {
            continue;
        }
        let sum = parts
            .iter()
            .fold(Decimal::ZERO, |acc, p| acc.saturating_add(p.quantity.value));
        let above = sum > total.quantity.value;
        let just_short = !b.open_ended
            && sum.saturating_mul(Decimal::from(5))
                >= total.quantity.value.saturating_mul(Decimal::from(4));
        if !(above || just_short) {
            continue;
        }
        let list: Vec<String> = parts.iter().map(|p| p.quantity.value.to_string()).collect();
        let unit = total.quantity.unit.clone().unwrap_or_default();
        let mut d = Diagnostic::new(
            &codes::BREAKDOWN_SUM_MISMATCH,
            total.place.span,
            Message::new(
                format!(
                    "总数 {}{unit} 与各分项之和 {} = {sum}{unit} 不符",
                    total.quantity.value,
                    list.join(" + ")
                ),
                format!(
                    "the total {}{unit} differs from the sum of its parts {} = {sum}{unit}",
                    total.quantity.value,
                    list.join(" + ")
                ),
            ),
        )
        .with_values(total.quantity.value.to_string(), sum.to_string());
        for p in &parts {
            d = d.with_related(
                p.place.span,
                Message::new(
                    format!("分项 {}", p.quantity.value),
                    format!("part {}", p.quantity.value),
                ),
            );
        }
        out.push(d);
    }
}

/// The parts without the runs that break down the part before them exactly
/// (`117, 10, 1, 7, 4, 12, 2, 81, 274, 96` → `117, 274, 96`).
fn without_nested<'q>(parts: &[&'q Quantity]) -> Vec<&'q Quantity> {
    let mut out = Vec::with_capacity(parts.len());
    let mut i = 0;
    while i < parts.len() {
        out.push(parts[i]);
        let mut sum = Decimal::ZERO;
        let mut next = i + 1;
        // A nested list is short: the search is bounded, the pass stays linear.
        for (j, p) in parts.iter().enumerate().skip(i + 1).take(64) {
            sum = sum.saturating_add(p.value);
            if sum > parts[i].value {
                break;
            }
            // At least two parts make a breakdown of their own.
            if sum == parts[i].value && j >= i + 2 {
                next = j + 1;
                break;
            }
        }
        i = next;
    }
    out
}

/// NB402: a rate that its own counts contradict (rounding or truncation to the written decimals allowed).
pub fn rates(facts: &Facts, out: &mut Findings) {
    for r in &facts.rates {
        let rate = &facts.quantities[r.rate].quantity;
        let part = &facts.quantities[r.part].quantity;
        let whole = &facts.quantities[r.whole].quantity;
        if whole.value.is_zero() || rate.approx != Approx::Exact {
            continue;
        }
        // Within the checked digits (quantity::MAX_INTEGER_DIGITS) a rate can still
        // be out of a Decimal's range (a huge count over a tiny one): no check then.
        let Some(actual) = part
            .value
            .checked_mul(Decimal::from(100))
            .and_then(|p| p.checked_div(whole.value))
        else {
            continue;
        };
        let Ok(step) = Decimal::try_new(1, rate.scale) else {
            continue;
        };
        if (actual - rate.value).abs() < step {
            continue;
        }
        // The share may be of a nearer total than the one found for it (`共有89项，其中
        // 行政许可57项，…45项，占比78.9%` is 45 of 57): flagged only when no earlier
        // count of the same unit in its paragraph, larger than the part, gives it.
        let part_fact = &facts.quantities[r.part];
        let of_another = facts.quantities[..r.part]
            .iter()
            .rev()
            .take_while(|q| q.place.block == part_fact.place.block)
            .filter(|q| q.quantity.unit == part.unit && q.quantity.value > part.value)
            .any(|q| {
                part.value
                    .checked_mul(Decimal::from(100))
                    .and_then(|p| p.checked_div(q.quantity.value))
                    .is_some_and(|a| (a - rate.value).abs() < step)
            });
        if of_another {
            continue;
        }
        let shown = actual.round_dp(rate.scale + 1).normalize();
        out.push(
            Diagnostic::new(
                &codes::RATE_MISMATCH,
                facts.quantities[r.rate].place.span,
                Message::new(
                    format!(
                        "比率 {}% 与 {} / {} = {shown}% 不符",
                        rate.value, part.value, whole.value
                    ),
                    format!(
                        "the rate {}% does not match {} / {} = {shown}%",
                        rate.value, part.value, whole.value
                    ),
                ),
            )
            .with_values(format!("{shown}%"), format!("{}%", rate.value))
            .with_related(
                facts.quantities[r.part].place.span,
                Message::new("分子", "numerator"),
            )
            .with_related(
                facts.quantities[r.whole].place.span,
                Message::new("分母", "denominator"),
            ),
        );
    }
}

/// NB403: the report's account of its parts names another number than it lists.
pub fn parts_count(facts: &Facts, out: &mut Findings) {
    for c in &facts.parts_claims {
        let stated = c.stated as usize;
        let listed = if c.items.len() > stated {
            c.items.len()
        } else if c.most < stated && c.certain {
            c.most
        } else {
            continue;
        };
        let names = c.items.join("｜");
        out.push(
            Diagnostic::new(
                &codes::PARTS_COUNT_MISMATCH,
                c.place.span,
                Message::new(
                    format!("正文称共 {stated} 个部分，但列出了 {listed} 个：{names}"),
                    format!("the text says {stated} parts but lists {listed}: {names}"),
                ),
            )
            .with_values(listed.to_string(), stated.to_string()),
        );
    }
}
