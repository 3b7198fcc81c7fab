//! Score sheets: what an evaluator's sheet deducts for, as data.
//!
//! A sheet is a TOML file (like the templates) of items. Each item has its
//! points, the findings that deduct from them (rules named as in `--select`: a
//! code `NB110`, a family `NB2`, a name `published-late`), how much each deducts,
//! and the findings that mean the item cannot be checked (`待核`): a report with
//! one of those is not scored on that item, never deducted. An item's score is
//! its points less its deductions, not below zero.
//!
//! ```toml
//! [sheet]
//! name = "示例评分表"
//!
//! [[items]]
//! id = "timeliness"
//! name_zh = "按时发布"
//! name_en = "Published on time"
//! points = 2
//! deduct = [{ rules = ["published-late"], points = 2 }]
//! unknown = ["timeliness-unchecked"]
//! ```

use std::str::FromStr;

use nianbao_grammar::{Diagnostic, Severity};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::settings::Selector;

/// A sheet as read.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SheetFile {
    sheet: SheetHead,
    items: Vec<ItemFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SheetHead {
    name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemFile {
    id: String,
    name_zh: String,
    name_en: String,
    points: f64,
    #[serde(default)]
    deduct: Vec<DeductFile>,
    #[serde(default)]
    unknown: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DeductFile {
    rules: Vec<String>,
    points: f64,
    /// `finding` (default): each matching finding deducts; `item`: one or more
    /// deduct once.
    #[serde(default)]
    per: Per,
    /// Only findings of at least this severity deduct (`info`, `warning`,
    /// `error`; default: any).
    min_severity: Option<String>,
}

/// How often a deduction applies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Per {
    /// Once per matching finding.
    #[default]
    Finding,
    /// Once, however many findings match.
    Item,
}

/// A score sheet, ready to score reports.
#[derive(Debug)]
pub struct Sheet {
    /// Its name.
    pub name: String,
    /// Its items in order.
    pub items: Vec<Item>,
}

/// One item of a sheet.
#[derive(Debug)]
pub struct Item {
    /// Stable id (a column name).
    pub id: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Points the item is worth.
    pub points: Decimal,
    /// What deducts.
    pub deduct: Vec<Deduction>,
    /// Findings that leave the item unchecked (`待核`).
    pub unknown: Vec<Selector>,
}

/// A deduction rule of an item.
#[derive(Debug)]
pub struct Deduction {
    /// The rules whose findings deduct.
    pub rules: Vec<Selector>,
    /// Points per finding (or once, see `per`).
    pub points: Decimal,
    /// Per finding or once.
    pub per: Per,
    /// The lowest severity that deducts.
    pub min_severity: Severity,
}

/// Points as written (`0.5`), exactly: a decimal, not a binary fraction.
fn points(v: f64, at: &str) -> Result<Decimal, String> {
    if !v.is_finite() || v < 0.0 {
        return Err(format!("{at}: points must be a number of zero or more"));
    }
    Decimal::from_str(&v.to_string()).map_err(|_| format!("{at}: points {v} out of range"))
}

fn selectors(rules: &[String], at: &str) -> Result<Vec<Selector>, String> {
    rules
        .iter()
        .map(|r| Selector::parse(r).map_err(|e| format!("{at}: unknown rule {}", e.0)))
        .collect()
}

impl Sheet {
    /// Reads a sheet; an error names the item and what is wrong.
    pub fn from_toml(text: &str) -> Result<Sheet, String> {
        let file: SheetFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut items = Vec::with_capacity(file.items.len());
        for item in file.items {
            let at = format!("items.{}", item.id);
            if items.iter().any(|i: &Item| i.id == item.id) {
                return Err(format!("{at}: the id is used twice"));
            }
            let mut deduct = Vec::with_capacity(item.deduct.len());
            for d in &item.deduct {
                let min_severity = match d.min_severity.as_deref() {
                    None | Some("info") => Severity::Info,
                    Some("warning") => Severity::Warning,
                    Some("error") => Severity::Error,
                    Some(other) => {
                        return Err(format!(
                            "{at}: min_severity is info, warning or error, not {other}"
                        ))
                    }
                };
                deduct.push(Deduction {
                    rules: selectors(&d.rules, &at)?,
                    points: points(d.points, &at)?,
                    per: d.per,
                    min_severity,
                });
            }
            items.push(Item {
                unknown: selectors(&item.unknown, &at)?,
                points: points(item.points, &at)?,
                deduct,
                id: item.id,
                name_zh: item.name_zh,
                name_en: item.name_en,
            });
        }
        if items.is_empty() {
            return Err("the sheet has no [[items]]".to_string());
        }
        Ok(Sheet {
            name: file.sheet.name,
            items,
        })
    }

    /// The points of the whole sheet.
    pub fn total(&self) -> Decimal {
        self.items.iter().map(|i| i.points).sum()
    }

    /// Scores one report's findings (after the run's settings).
    pub fn score(&self, findings: &[Diagnostic]) -> Vec<ItemScore> {
        self.items
            .iter()
            .map(|item| {
                let unknown: Vec<&'static str> = findings
                    .iter()
                    .filter(|d| item.unknown.iter().any(|s| s.matches(d.code)))
                    .map(|d| d.code)
                    .collect();
                if !unknown.is_empty() {
                    return ItemScore {
                        id: item.id.clone(),
                        score: None,
                        deducted: Decimal::ZERO,
                        codes: dedup(unknown),
                    };
                }
                let mut deducted = Decimal::ZERO;
                let mut codes = Vec::new();
                for d in &item.deduct {
                    let hits: Vec<&'static str> = findings
                        .iter()
                        .filter(|f| f.severity >= d.min_severity)
                        .filter(|f| d.rules.iter().any(|s| s.matches(f.code)))
                        .map(|f| f.code)
                        .collect();
                    if hits.is_empty() {
                        continue;
                    }
                    let times = match d.per {
                        Per::Finding => Decimal::from(hits.len()),
                        Per::Item => Decimal::ONE,
                    };
                    deducted += d.points * times;
                    codes.extend(hits);
                }
                let deducted = deducted.min(item.points);
                ItemScore {
                    id: item.id.clone(),
                    score: Some(item.points - deducted),
                    deducted,
                    codes: dedup(codes),
                }
            })
            .collect()
    }
}

fn dedup(mut codes: Vec<&'static str>) -> Vec<&'static str> {
    codes.sort_unstable();
    codes.dedup();
    codes
}

/// One item's result for one report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ItemScore {
    /// The item's id.
    pub id: String,
    /// The points kept; `None` when the item could not be checked (`待核`).
    #[serde(with = "rust_decimal::serde::str_option")]
    pub score: Option<Decimal>,
    /// The points deducted.
    #[serde(with = "rust_decimal::serde::str")]
    pub deducted: Decimal,
    /// The codes that deducted, or that left it unchecked.
    pub codes: Vec<&'static str>,
}

/// The example sheet shipped with nianbao (`crates/model/sheets/example.toml`; `--sheet example`).
pub const EXAMPLE: &str = include_str!("../sheets/example.toml");

#[cfg(test)]
mod tests {
    use super::*;
    use nianbao_grammar::{Message, Span};

    fn finding(code: &'static crate::grammar::diagnostic::DiagnosticCode) -> Diagnostic {
        Diagnostic::new(code, Span::new(0, 0), Message::new("x", "x"))
    }

    #[test]
    fn the_example_sheet_reads_and_deducts_as_it_says() {
        let sheet = Sheet::from_toml(EXAMPLE).expect("the example sheet reads");
        let timely = sheet
            .items
            .iter()
            .find(|i| i.id == "timeliness")
            .expect("item");
        // Nothing found: full points everywhere.
        let clean = sheet.score(&[]);
        assert!(clean
            .iter()
            .zip(&sheet.items)
            .all(|(s, i)| s.score == Some(i.points)));
        // Late: the timeliness item loses its points.
        let late = sheet.score(&[finding(&crate::rules::codes::PUBLISHED_LATE)]);
        let s = late.iter().find(|s| s.id == "timeliness").expect("scored");
        assert_eq!(s.score, Some(Decimal::ZERO));
        assert_eq!(s.deducted, timely.points);
        // No date: 待核, not a deduction.
        let unknown = sheet.score(&[finding(&crate::rules::codes::TIMELINESS_UNCHECKED)]);
        let s = unknown
            .iter()
            .find(|s| s.id == "timeliness")
            .expect("scored");
        assert_eq!((s.score, s.codes.clone()), (None, vec!["NB111"]));
    }

    #[test]
    fn deductions_add_up_per_finding_and_stop_at_zero() {
        let sheet = Sheet::from_toml(
            "[sheet]\nname = \"t\"\n[[items]]\nid = \"tables\"\nname_zh = \"表\"\nname_en = \"t\"\npoints = 1\n\
             deduct = [{ rules = [\"NB2\"], points = 0.4 }]\n",
        )
        .expect("reads");
        let one = finding(&crate::rules::codes::SUM_MISMATCH);
        let s = &sheet.score(std::slice::from_ref(&one))[0];
        assert_eq!(s.score, Some(Decimal::from_str("0.6").expect("decimal")));
        let s = &sheet.score(&[one.clone(), one.clone(), one])[0];
        assert_eq!(s.score, Some(Decimal::ZERO), "1 - 3 × 0.4 stops at 0");
    }

    #[test]
    fn a_bad_sheet_names_what_is_wrong() {
        let err = Sheet::from_toml(
            "[sheet]\nname = \"t\"\n[[items]]\nid = \"x\"\nname_zh = \"x\"\nname_en = \"x\"\npoints = 1\n\
             deduct = [{ rules = [\"NB999\"], points = 1 }]\n",
        );
        let Err(err) = err else {
            panic!("an unknown rule is an error");
        };
        assert!(err.contains("items.x") && err.contains("NB999"), "{err}");
        assert!(Sheet::from_toml("[sheet]\nname = \"t\"\nitems = []\n").is_err());
    }
}
