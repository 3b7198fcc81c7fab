//! Values that cannot hold bad states: a [`Quantity`] knows its decimal places,
//! whether it is approximate, its unit and its span; a [`CellValue`] tells a
//! blank cell from a zero.

use std::borrow::Cow;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use nianbao_grammar::Span;

/// The most digits before the decimal point a figure may have and still be
/// checked: counts and amounts in a report are far below 10¹⁸, and with this
/// bound no sum, scaling or rate of figures can overflow [`Decimal`] (about 7.9·10²⁸).
pub const MAX_INTEGER_DIGITS: usize = 18;

/// The most decimals a figure may have and still be checked.
pub const MAX_DECIMALS: usize = 10;

/// A written number with too many digits to be checked (see [`MAX_INTEGER_DIGITS`], [`MAX_DECIMALS`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Oversized {
    /// Digits before the decimal point, leading zeros not counted.
    pub integer_digits: usize,
    /// Digits after the decimal point.
    pub decimals: usize,
}

impl Oversized {
    /// Why, in both languages: `整数部分 29 位，上限 18 位`.
    pub fn reason(&self) -> (String, String) {
        if self.integer_digits > MAX_INTEGER_DIGITS {
            (
                format!(
                    "整数部分 {} 位，上限 {MAX_INTEGER_DIGITS} 位",
                    self.integer_digits
                ),
                format!(
                    "{} digits before the decimal point, at most {MAX_INTEGER_DIGITS}",
                    self.integer_digits
                ),
            )
        } else {
            (
                format!("小数 {} 位，上限 {MAX_DECIMALS} 位", self.decimals),
                format!("{} decimals, at most {MAX_DECIMALS}", self.decimals),
            )
        }
    }
}

/// Reads plain ASCII digits with an optional sign and decimal point (`-12.5`)
/// into a [`Decimal`], refusing figures beyond the checked range; `Ok(None)`
/// when `plain` is not such a number.
///
/// ```
/// use nianbao_model::quantity::read_decimal;
/// assert_eq!(read_decimal("0012.50").unwrap().unwrap().to_string(), "12.50");
/// assert!(read_decimal("79228162514264337593543950335").is_err());
/// assert!(read_decimal("0.0000000000000000000000000001").is_err());
/// assert_eq!(read_decimal("1.2.3"), Ok(None));
/// ```
pub fn read_decimal(plain: &str) -> Result<Option<Decimal>, Oversized> {
    let unsigned = plain.strip_prefix(['-', '+']).unwrap_or(plain);
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty())
        || !digits(int)
        || !digits(frac)
        || (unsigned.contains('.') && frac.is_empty())
    {
        return Ok(None);
    }
    let integer_digits = int.trim_start_matches('0').len();
    if integer_digits > MAX_INTEGER_DIGITS || frac.len() > MAX_DECIMALS {
        return Err(Oversized {
            integer_digits,
            decimals: frac.len(),
        });
    }
    Ok(Decimal::from_str(plain).ok())
}

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
    /// The unit written with it, if any (`件`, `万元`, `%`): one of the units the
    /// checker knows is borrowed, not copied (a report has thousands of figures).
    pub unit: Option<Cow<'static, str>>,
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
        // A scale beyond what a Decimal holds (never read from a report, see
        // [`MAX_DECIMALS`]) counts as exact rather than failing.
        let half = if self.scale == 0 {
            Decimal::ZERO
        } else {
            Decimal::try_new(5, self.scale.saturating_add(1)).unwrap_or(Decimal::ZERO)
        };
        match self.approx {
            Approx::Exact => (
                self.value.saturating_sub(half),
                Some(self.value.saturating_add(half)),
            ),
            Approx::AtLeast => (self.value.saturating_sub(half), None),
            // "约/近 N" may be some way off N: a tenth either side.
            Approx::About => {
                let slack = (self.value.abs() / Decimal::from(10)).max(half);
                (
                    self.value.saturating_sub(slack),
                    Some(self.value.saturating_add(slack)),
                )
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
    with_folded(text, |folded| read_folded(text, folded, span))
}

/// [`read_cell`] of `text`, folded ([`fold_cell`]) by the caller.
fn read_folded(text: &str, folded: &str, span: Span) -> CellValue {
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
    match parse_number(folded) {
        Ok((value, unit)) => {
            let mut q = Quantity::exact(value, span);
            q.unit = unit.map(Cow::Borrowed);
            CellValue::Number(q)
        }
        Err(_) => CellValue::Text {
            text: text.trim().to_string(),
        },
    }
}

/// A folded cell read as a number by [`read_cell`]: not blank, not dashes, a number.
fn number_folded(folded: &str) -> bool {
    !folded.is_empty()
        && !folded
            .chars()
            .all(|c| matches!(c, '—' | '-' | '–' | '/' | '／' | '一'))
        && parse_number(folded).is_ok()
}

/// True when [`read_cell`] reads `text` as a number, without making the value
/// (tables ask it of every cell to tell a statistical table).
///
/// ```
/// use nianbao_model::quantity::is_number_cell;
/// assert!(is_number_cell("１,２３４"));
/// assert!(!is_number_cell("—") && !is_number_cell("") && !is_number_cell("12.3.4"));
/// ```
pub fn is_number_cell(text: &str) -> bool {
    with_folded(text, number_folded)
}

/// True when [`read_signed_cell`] reads `text` as a number, without making the value.
///
/// ```
/// use nianbao_model::quantity::is_signed_number_cell;
/// assert!(is_signed_number_cell("减12") && is_signed_number_cell("7"));
/// assert!(!is_signed_number_cell("减") && !is_signed_number_cell("减-3"));
/// ```
pub fn is_signed_number_cell(text: &str) -> bool {
    with_folded(text, |folded| match worded_change(folded) {
        Some((rest, _)) if !rest.starts_with(['-', '+']) && parse_number(rest).is_ok() => true,
        _ => number_folded(folded),
    })
}

/// A change written in words (`减12`, `增加5`): the rest after the word, and
/// whether the word says a decrease.
fn worded_change(folded: &str) -> Option<(&str, bool)> {
    [("减少", true), ("减", true), ("增加", false), ("增", false)]
        .iter()
        .find_map(|&(word, negative)| folded.strip_prefix(word).map(|rest| (rest, negative)))
}

/// Reads a cell of a column whose values may be negative (`本年增/减`): a change
/// written in words is read as the signed number it states — `减12` or `减少12` is
/// −12, `增5` or `增加5` is +5 (quirk: reports write the direction in words
/// instead of a sign). Anything else is read as [`read_cell`] reads it.
///
/// ```
/// use nianbao_model::quantity::{read_signed_cell, CellValue};
/// use rust_decimal::Decimal;
/// let CellValue::Number(q) = read_signed_cell("减12", Default::default()) else { panic!() };
/// assert_eq!(q.value, Decimal::from(-12));
/// let CellValue::Number(q) = read_signed_cell("增 5", Default::default()) else { panic!() };
/// assert_eq!(q.value, Decimal::from(5));
/// assert!(matches!(read_signed_cell("减", Default::default()), CellValue::Text { .. }));
/// ```
pub fn read_signed_cell(text: &str, span: Span) -> CellValue {
    with_folded(text, |folded| read_signed_folded(text, folded, span))
}

/// [`read_signed_cell`] of `text`, folded by the caller.
fn read_signed_folded(text: &str, folded: &str, span: Span) -> CellValue {
    let Some((rest, negative)) = worded_change(folded) else {
        return read_folded(text, folded, span);
    };
    // Only a plain magnitude follows the word: `减-3` or `增+3` says the sign twice.
    if rest.starts_with(['-', '+']) {
        return read_folded(text, folded, span);
    }
    match parse_number(rest) {
        Ok((value, unit)) => {
            // `减0` is 0, never a negative zero.
            let signed = if negative && !value.is_zero() {
                -value
            } else {
                value
            };
            let mut q = Quantity::exact(signed, span);
            q.scale = value.scale();
            q.unit = unit.map(Cow::Borrowed);
            CellValue::Number(q)
        }
        Err(_) => read_folded(text, folded, span),
    }
}

/// Units a report writes inside a number cell (`984361元`, `2笔`, `100%`).
const UNITS: [&str; 22] = [
    "元", "万元", "亿元", "件", "条", "笔", "个", "人", "人次", "次", "篇", "项", "家", "户", "期",
    "份", "起", "批次", "%", "％", "场", "天",
];

/// Why a cell's text is not read as a number.
enum NotNumber {
    /// Not a number at all (`见附件`, `12.3.4`, `1,23`).
    Text,
    /// A number with too many digits to check.
    Oversized(Oversized),
}

/// `-8`, `1,234`, `4166.241619`, `251000元` → (value, unit). Thousands separators
/// must group by three; a second decimal point makes it not a number.
fn parse_number(s: &str) -> Result<(Decimal, Option<&'static str>), NotNumber> {
    let num_end = s
        .char_indices()
        .find(|&(i, c)| {
            !(c.is_ascii_digit() || c == '.' || c == ',' || (i == 0 && (c == '-' || c == '+')))
        })
        .map_or(s.len(), |(i, _)| i);
    let (num, unit) = s.split_at(num_end);
    if num.contains(',') {
        let int_part = num
            .trim_start_matches(['-', '+'])
            .split('.')
            .next()
            .unwrap_or("");
        let mut groups = int_part.split(',');
        let well_grouped = groups.next().is_some_and(|g| (1..=3).contains(&g.len()))
            && groups.all(|g| g.len() == 3);
        if !well_grouped {
            return Err(NotNumber::Text);
        }
    }
    let unit = match unit {
        "" => None,
        u => match UNITS.iter().find(|k| **k == u) {
            Some(known) => Some(*known),
            None => return Err(NotNumber::Text),
        },
    };
    let plain: Cow<'_, str> = if num.contains(',') {
        num.chars().filter(|&c| c != ',').collect::<String>().into()
    } else {
        num.into()
    };
    match read_decimal(&plain) {
        Ok(Some(value)) => Ok((value, unit)),
        Ok(None) => Err(NotNumber::Text),
        Err(o) => Err(NotNumber::Oversized(o)),
    }
}

/// Whether `c` is folded away or changed by [`fold_cell`].
fn folds(c: char) -> bool {
    c.is_whitespace() || matches!(c, '０'..='９' | '．' | '，' | '－')
}

/// The folded form of `c`, `None` when it is dropped (whitespace).
fn folded_char(c: char) -> Option<char> {
    match c {
        c if c.is_whitespace() => None,
        '０'..='９' => Some(char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c)),
        '．' => Some('.'),
        '，' => Some(','),
        '－' => Some('-'),
        c => Some(c),
    }
}

/// The digits fold of a cell's text: full-width digits and punctuation to ASCII, whitespace removed.
fn fold_cell(text: &str) -> Cow<'_, str> {
    // Most cells are plain numbers or words: nothing to fold, nothing allocated.
    if !text.chars().any(folds) {
        return Cow::Borrowed(text);
    }
    text.chars().filter_map(folded_char).collect()
}

/// `f` of [`fold_cell`]`(text)`, folded into a buffer kept by the thread: asking
/// whether a cell is a number allocates nothing (tables ask it of every cell).
fn with_folded<R>(text: &str, f: impl FnOnce(&str) -> R) -> R {
    thread_local! {
        static FOLDED: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    if !text.chars().any(folds) {
        return f(text);
    }
    FOLDED.with(|buffer| match buffer.try_borrow_mut() {
        Ok(mut buffer) => {
            buffer.clear();
            buffer.extend(text.chars().filter_map(folded_char));
            f(&buffer)
        }
        // Asked again from inside `f`: a string of its own.
        Err(_) => f(&fold_cell(text)),
    })
}

/// When a cell's text is a number with too many digits to be checked, why.
///
/// ```
/// use nianbao_model::quantity::oversized_cell;
/// assert_eq!(oversized_cell("20000000000000000000000000000件").unwrap().integer_digits, 29);
/// assert!(oversized_cell("1,234").is_none());
/// ```
pub fn oversized_cell(text: &str) -> Option<Oversized> {
    match parse_number(&fold_cell(text)) {
        Err(NotNumber::Oversized(o)) => Some(o),
        _ => None,
    }
}

/// True when the intervals of `total` and of the sum of `parts` overlap (SPEC 4):
/// `13.74 = 12.83 + 0.9` holds, `959 ≠ 948` does not.
pub fn sum_consistent(total: &Quantity, parts: &[&Quantity]) -> bool {
    let (t_lo, t_hi) = total.interval();
    let mut lo = Decimal::ZERO;
    let mut hi = Some(Decimal::ZERO);
    for p in parts {
        let (p_lo, p_hi) = p.interval();
        lo = lo.saturating_add(p_lo);
        hi = match (hi, p_hi) {
            (Some(h), Some(ph)) => Some(h.saturating_add(ph)),
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

    #[test]
    fn number_tests_agree_with_the_readers() {
        let texts = [
            "",
            " ",
            "—",
            "--",
            "／",
            "一",
            "0",
            "12",
            "１,２３４",
            "1 234",
            "0.00",
            "251000元",
            "100%",
            "12.3.4",
            "见附件",
            "减12",
            "减少 12",
            "增5",
            "增加5件",
            "减",
            "减-3",
            "增+3",
            "减0",
            "增加",
            "-3",
            "+2.5",
            "－7",
            "12万元",
            "二〇二三",
            "20000000000000000000000000000",
        ];
        for t in texts {
            let number = matches!(read_cell(t, Span::default()), CellValue::Number(_));
            let signed = matches!(read_signed_cell(t, Span::default()), CellValue::Number(_));
            assert_eq!(is_number_cell(t), number, "{t:?}");
            assert_eq!(is_signed_number_cell(t), signed, "{t:?}");
        }
        assert!(is_signed_number_cell("减12") && !is_number_cell("减12"));
    }

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
