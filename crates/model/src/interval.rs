//! Interval arithmetic over table cells, shared by the table rules (NB2xx) and
//! the checks across reports (NB6xx).
//!
//! A value with d decimals stands for `[v − ½·10⁻ᵈ, v + ½·10⁻ᵈ]`, and a blank or
//! dashed cell for an unknown value `[0, ∞)` (`(−∞, ∞)` where the template lets
//! the cell be negative): reports leave zeros blank (FORMATS §0), so a blank
//! operand never makes a relation fail by itself.

use rust_decimal::Decimal;

use crate::quantity::CellValue;
use crate::tables::IndicatorCell;
use crate::template::Template;

/// `[lo, hi]`; `None` is unbounded on that side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Interval {
    pub(crate) lo: Option<Decimal>,
    pub(crate) hi: Option<Decimal>,
}

impl Interval {
    /// Exactly zero.
    pub(crate) const ZERO: Interval = Interval {
        lo: Some(Decimal::ZERO),
        hi: Some(Decimal::ZERO),
    };

    /// Every sum of a value of `self` and a value of `o`.
    pub(crate) fn add(self, o: Interval) -> Interval {
        Interval {
            lo: self.lo.zip(o.lo).map(|(a, b)| a.saturating_add(b)),
            hi: self.hi.zip(o.hi).map(|(a, b)| a.saturating_add(b)),
        }
    }

    /// Every difference of a value of `self` and a value of `o`.
    pub(crate) fn sub(self, o: Interval) -> Interval {
        Interval {
            lo: self.lo.zip(o.hi).map(|(a, b)| a.saturating_sub(b)),
            hi: self.hi.zip(o.lo).map(|(a, b)| a.saturating_sub(b)),
        }
    }

    /// True when every value of `self` is below every value of `o`.
    pub(crate) fn below(self, o: Interval) -> bool {
        matches!((self.hi, o.lo), (Some(a), Some(b)) if a < b)
    }

    /// True when no value of `self` can be equal to a value of `o`.
    pub(crate) fn disjoint(self, o: Interval) -> bool {
        self.below(o) || o.below(self)
    }
}

/// True when the template lets the cell be negative (`本年增/减`).
pub(crate) fn signed(template: Option<&Template>, cell: &IndicatorCell) -> bool {
    let Some(t) = template else { return false };
    let row = t.row(&cell.row).is_some_and(|r| r.signed);
    let col = t
        .tables
        .iter()
        .find(|d| *d.id == *cell.table)
        .and_then(|d| {
            d.columns
                .iter()
                .find(|c| Some(c.id.as_str()) == cell.column.as_deref() || *c.id == *cell.row)
        })
        .is_some_and(|c| c.signed);
    row || col
}

/// The interval of a cell; `None` for text that is not a number.
pub(crate) fn of_cell(template: Option<&Template>, cell: &IndicatorCell) -> Option<Interval> {
    match &cell.value {
        CellValue::Number(q) => {
            let (lo, hi) = q.interval();
            Some(Interval { lo: Some(lo), hi })
        }
        CellValue::Blank | CellValue::Dash => Some(Interval {
            lo: (!signed(template, cell)).then_some(Decimal::ZERO),
            hi: None,
        }),
        CellValue::Text { .. } => None,
    }
}

/// An interval as a compact text: `499`, `4166.24` (the middle of a rounded
/// figure's interval), `≥3`.
pub(crate) fn show(i: Interval) -> String {
    match (i.lo, i.hi) {
        (Some(lo), Some(hi)) if lo == hi => lo.normalize().to_string(),
        (Some(lo), Some(hi)) => (lo.saturating_add(hi) / Decimal::TWO)
            .normalize()
            .to_string(),
        (Some(lo), None) => format!("≥{}", lo.normalize()),
        (None, Some(hi)) => format!("≤{}", hi.normalize()),
        (None, None) => "?".to_string(),
    }
}
