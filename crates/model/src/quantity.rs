//! Values that cannot hold bad states: a [`Quantity`] knows its decimal places,
//! whether it is approximate, its unit and its span; a [`CellValue`] tells a
//! blank cell from a zero.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use nianbao_grammar::Span;

/// How exact a figure is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Approx {
    /// As written.
    Exact,
    /// A lower bound: `450 余条`, `40多次`.
    AtLeast,
    /// Fuzzy: `约`, `近`.
    About,
}

/// A number as a report writes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quantity {
    /// The value, exact.
    #[serde(with = "rust_decimal::serde::str")]
    pub value: Decimal,
    /// Decimal places written (`0.9` → 1, `12.83` → 2): the figure stands for
    /// `value ± ½·10^-scale`.
    pub scale: u32,
    /// Exact, a lower bound, or fuzzy.
    pub approx: Approx,
    /// The unit written with it, if any (`件`, `万元`, `%`).
    pub unit: Option<String>,
    /// Where it is in the original input.
    pub span: Span,
}

impl Quantity {
    /// An exact quantity.
    pub fn exact(value: Decimal, span: Span) -> Self {
        Quantity {
            scale: value.scale(),
            value,
            approx: Approx::Exact,
            unit: None,
            span,
        }
    }

    /// The interval the figure stands for: `[lo, hi]`, `hi = None` for a lower bound.
    ///
    /// ```
    /// use nianbao_model::quantity::Quantity;
    /// use rust_decimal::Decimal;
    /// let q = Quantity::exact(Decimal::new(9, 1), Default::default()); // 0.9
    /// assert_eq!(q.interval(), (Decimal::new(85, 2), Some(Decimal::new(95, 2))));
    /// let n = Quantity::exact(Decimal::from(43), Default::default()); // a count
    /// assert_eq!(n.interval(), (Decimal::from(43), Some(Decimal::from(43))));
    /// ```
    pub fn interval(&self) -> (Decimal, Option<Decimal>) {
        // A whole number is a count and exact; a figure written with d decimals
        // was rounded and stands for ±½·10⁻ᵈ.
        let half = if self.scale == 0 {
            Decimal::ZERO
        } else {
            Decimal::new(5, self.scale + 1)
        };
        match self.approx {
            Approx::Exact => (self.value - half, Some(self.value + half)),
            Approx::AtLeast => (self.value - half, None),
            // "约/近 N" may be some way off N: a tenth either side.
            Approx::About => {
                let slack = (self.value.abs() / Decimal::from(10)).max(half);
                (self.value - slack, Some(self.value + slack))
            }
        }
    }

    /// True for a whole number written without decimals.
    pub fn is_integer(&self) -> bool {
        self.value.fract().is_zero() && self.scale == 0
    }
}

/// The value of a table cell, read as what it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum CellValue {
    /// Nothing written: not a zero (FORMATS 0: reports leave zeros blank).
    Blank,
    /// A dash or slash (`—`, `-`, `/`): explicitly nothing.
    Dash,
    /// A number.
    Number(Quantity),
    /// Text that is not a number (`12.3.4`, `见附件`): kept as written.
    Text {
        /// What the cell says.
        text: String,
    },
}

/// Reads a cell's text: full-width digits, thousands separators (`1,234`, `1 234`),
/// decimals (`0.00` keeps two places), a trailing unit (`251000元`), dashes and blanks.
///
/// ```
/// use nianbao_model::quantity::{read_cell, CellValue};
/// assert!(matches!(read_cell("", Default::default()), CellValue::Blank));
/// assert!(matches!(read_cell("—", Default::default()), CellValue::Dash));
/// let CellValue::Number(q) = read_cell("１,２３４", Default::default()) else { panic!() };
/// assert_eq!(q.value, 1234.into());
/// assert!(matches!(read_cell("12.3.4", Default::default()), CellValue::Text { .. }));
/// ```
pub fn read_cell(text: &str, span: Span) -> CellValue {
    let folded: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '，' => ',',
            '－' => '-',
            _ => c,
        })
        .collect();
    if folded.is_empty() {
        return CellValue::Blank;
    }
    if folded
        .chars()
        .all(|c| matches!(c, '—' | '-' | '–' | '/' | '／' | '一'))
        && !folded.is_empty()
    {
        return CellValue::Dash;
    }
    match parse_number(&folded) {
        Some((value, unit)) => {
            let mut q = Quantity::exact(value, span);
            q.unit = unit;
            CellValue::Number(q)
        }
        None => CellValue::Text {
            text: text.trim().to_string(),
        },
    }
}

/// Units a report writes inside a number cell (`984361元`, `2笔`, `100%`).
const UNITS: [&str; 22] = [
    "元", "万元", "亿元", "件", "条", "笔", "个", "人", "人次", "次", "篇", "项", "家", "户", "期",
    "份", "起", "批次", "%", "％", "场", "天",
];

/// `-8`, `1,234`, `4166.241619`, `251000元` → (value, unit). Thousands separators
/// must group by three; a second decimal point makes it not a number.
fn parse_number(s: &str) -> Option<(Decimal, Option<String>)> {
    let num_end = s
        .char_indices()
        .find(|&(i, c)| {
            !(c.is_ascii_digit() || c == '.' || c == ',' || (i == 0 && (c == '-' || c == '+')))
        })
        .map_or(s.len(), |(i, _)| i);
    let (num, unit) = s.split_at(num_end);
    if num.is_empty()
        || num == "-"
        || num == "+"
        || num.matches('.').count() > 1
        || num.ends_with('.')
    {
        return None;
    }
    if num.contains(',') {
        let int_part = num
            .trim_start_matches(['-', '+'])
            .split('.')
            .next()
            .unwrap_or("");
        let groups: Vec<&str> = int_part.split(',').collect();
        let well_grouped = groups.first().is_some_and(|g| (1..=3).contains(&g.len()))
            && groups[1..].iter().all(|g| g.len() == 3);
        if !well_grouped {
            return None;
        }
    }
    let plain: String = num.chars().filter(|&c| c != ',').collect();
    let value = Decimal::from_str(&plain).ok()?;
    let unit = match unit {
        "" => None,
        u if UNITS.contains(&u) => Some(u.to_string()),
        _ => return None,
    };
    Some((value, unit))
}

/// True when the intervals of `total` and of the sum of `parts` overlap (SPEC 4):
/// `13.74 = 12.83 + 0.9` holds, `959 ≠ 948` does not.
pub fn sum_consistent(total: &Quantity, parts: &[&Quantity]) -> bool {
    let (t_lo, t_hi) = total.interval();
    let mut lo = Decimal::ZERO;
    let mut hi = Some(Decimal::ZERO);
    for p in parts {
        let (p_lo, p_hi) = p.interval();
        lo += p_lo;
        hi = match (hi, p_hi) {
            (Some(h), Some(ph)) => Some(h + ph),
            _ => None,
        };
    }
    let below = t_hi.is_some_and(|th| th < lo);
    let above = hi.is_some_and(|h| t_lo > h);
    !(below || above)
}

/// True when `a ≤ b` may hold given their intervals.
pub fn may_be_at_most(a: &Quantity, b: &Quantity) -> bool {
    let (a_lo, _) = a.interval();
    let (_, b_hi) = b.interval();
    b_hi.is_none_or(|h| a_lo <= h)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Quantity {
        match read_cell(s, Span::default()) {
            CellValue::Number(q) => q,
            other => panic!("{s} is not a number: {other:?}"),
        }
    }

    #[test]
    fn interval_semantics_for_rounded_figures() {
        assert!(sum_consistent(&q("13.74"), &[&q("12.83"), &q("0.9")]));
        assert!(!sum_consistent(
            &q("959"),
            &[&q("215"), &q("97"), &q("21"), &q("14"), &q("601")]
        ));
        assert!(sum_consistent(
            &q("43"),
            &[&q("33"), &q("0"), &q("6"), &q("4")]
        ));
    }

    #[test]
    fn cells_are_read_as_what_they_are() {
        assert_eq!(q("0.00").scale, 2);
        assert_eq!(q("1 234").value, Decimal::from(1234));
        assert_eq!(q("-8").value, Decimal::from(-8));
        assert_eq!(q("251000元").unit.as_deref(), Some("元"));
        assert!(matches!(
            read_cell("1,23", Span::default()),
            CellValue::Text { .. }
        ));
        assert!(matches!(read_cell("/", Span::default()), CellValue::Dash));
        assert!(matches!(read_cell("  ", Span::default()), CellValue::Blank));
        assert!(!q("4166.241619").is_integer());
    }
}
