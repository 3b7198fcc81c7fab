//! Format detection (FORMATS §4): table markers, then headings, then the year.

use serde::Serialize;

use nianbao_grammar::logical::{normalize, normalize_char};
use nianbao_grammar::outline::Section;
use nianbao_grammar::{Block, Span};

use crate::template::Template;

/// What decided the format.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceKind {
    /// A table header row or marker.
    Table,
    /// The level-1 headings.
    Headings,
    /// The report year alone.
    Year,
}

/// One piece of evidence for the format.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Kind.
    pub kind: EvidenceKind,
    /// The national format it points to.
    pub format: String,
    /// The local variant it points to, if any.
    pub variant: Option<String>,
    /// What was seen.
    pub text: String,
    /// Where (empty for the year).
    pub span: Span,
}

/// The detected format.
#[derive(Clone, Debug, Serialize)]
pub struct Detection {
    /// National format id, or `unknown`.
    pub format: String,
    /// The local variant of the format whose tables the report follows, if any.
    pub variant: Option<String>,
    /// Evidence, strongest first.
    pub evidence: Vec<Evidence>,
    /// The format the report year calls for, when it differs from `format`.
    pub year_calls_for: Option<String>,
}

/// One row's cells normalized, in one string (cell `i` ends at `ends[i]`),
/// reused from row to row.
#[derive(Default)]
struct NormalizedRow {
    text: String,
    ends: Vec<usize>,
}

impl NormalizedRow {
    fn fill(&mut self, cells: &[&str]) {
        self.text.clear();
        self.ends.clear();
        for c in cells {
            self.text.extend(c.chars().filter_map(normalize_char));
            self.ends.push(self.text.len());
        }
    }

    fn cells(&self) -> impl Iterator<Item = &str> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(&self.ends).map(|(a, &b)| &self.text[a..b])
    }
}

/// `normalized` is `text` normalized ([`normalize`]), compared without making it.
fn is_normalized(normalized: &str, text: &str) -> bool {
    normalized
        .chars()
        .eq(text.chars().filter_map(normalize_char))
}

/// Whether a row's cells, normalized, begin with a header row of a template.
fn header_matches(cells: &NormalizedRow, header: &[String], year: Option<i32>) -> bool {
    cells.ends.len() >= header.len()
        && header.iter().zip(cells.cells()).all(|(h, c)| {
            if let Some(suffix) = h.strip_prefix("{year}") {
                let digits = c.len() - c.trim_start_matches(|d: char| d.is_ascii_digit()).len();
                // Four digits that are the year written out (`y.to_string()`).
                digits == 4
                    && year.is_none_or(|y| {
                        (1000..=9999).contains(&y) && c[..digits].parse::<i32>() == Ok(y)
                    })
                    && is_normalized(&c[digits..], suffix)
            } else {
                is_normalized(c, h)
            }
        })
}

/// Detects the format of a report from its tables, headings and year.
pub fn detect<'t>(
    templates: &'t [Template],
    blocks: &[Block],
    outline: &[Section],
    year: Option<i32>,
) -> (Option<&'t Template>, Detection) {
    let mut evidence = Vec::new();
    // 1. Table header rows and markers; variants first (their tables are more specific).
    let variants_first: Vec<&Template> = templates
        .iter()
        .filter(|t| t.format.variant.is_some())
        .chain(templates.iter().filter(|t| t.format.variant.is_none()))
        .collect();
    let mut by_table: Option<&Template> = None;
    // Each template's table markers, normalized once.
    let markers: Vec<Vec<String>> = variants_first
        .iter()
        .map(|t| {
            let rec = &t.format.recognition;
            rec.table_markers.iter().map(|m| normalize(m)).collect()
        })
        .collect();
    let mut normalized = NormalizedRow::default();
    'tables: for block in blocks {
        let Block::Table(table) = block else { continue };
        let mut rows = crate::tables::Rows::new(table);
        let mut cells: Vec<&str> = Vec::new();
        for r in 0..table.row_count() {
            cells.clear();
            rows.texts_into(r, &mut cells);
            normalized.fill(&cells);
            for (&t, markers) in variants_first.iter().zip(&markers) {
                let rec = &t.format.recognition;
                let header_hit = r < 3
                    && rec
                        .header_rows
                        .iter()
                        .any(|h| header_matches(&normalized, h, year));
                let marker = cells
                    .iter()
                    .zip(normalized.cells())
                    .find(|(_, n)| markers.iter().any(|m| n.contains(m.as_str())))
                    .map(|(c, _)| c.to_string());
                if header_hit || marker.is_some() {
                    let span = table.parts.first().copied().unwrap_or_default();
                    let text = marker.unwrap_or_else(|| cells.join("|"));
                    evidence.push(Evidence {
                        kind: EvidenceKind::Table,
                        format: t.format.id.clone(),
                        variant: t.format.variant.clone(),
                        text,
                        span,
                    });
                    by_table = Some(t);
                    break 'tables;
                }
            }
        }
    }
    // 2. Headings: the six national headings, or 概述 with free headings.
    let titles: Vec<String> = outline
        .iter()
        .map(|s| {
            s.marker()
                .chars()
                .chain(s.title().chars())
                .filter_map(normalize_char)
                .collect()
        })
        .collect();
    let national = [
        "总体情况",
        "主动公开政府信息情况",
        "收到和处理政府信息公开申请情况",
        "其他需要报告的事项",
    ];
    let national_hits = national
        .iter()
        .filter(|h| titles.iter().any(|t| t.contains(*h)))
        .count();
    let by_headings: Option<&Template> = if national_hits >= 3 {
        let id = if year.is_some_and(|y| y <= 2020) {
            "national-2019"
        } else {
            "national-2021"
        };
        templates.iter().find(|t| t.is(id, None))
    } else if titles.iter().any(|t| t.contains("概述")) {
        templates.iter().find(|t| t.is("stat-table-2008", None))
    } else {
        None
    };
    if let Some(t) = by_headings {
        let span = outline.first().map(|s| s.title_span).unwrap_or_default();
        evidence.push(Evidence {
            kind: EvidenceKind::Headings,
            format: t.format.id.clone(),
            variant: None,
            text: titles.first().cloned().unwrap_or_default(),
            span,
        });
    }
    // 3. The year alone.
    let by_year = year.and_then(|y| {
        templates
            .iter()
            .find(|t| t.format.variant.is_none() && t.format.years.contains(y))
    });
    if let (Some(t), Some(y)) = (by_year, year) {
        evidence.push(Evidence {
            kind: EvidenceKind::Year,
            format: t.format.id.clone(),
            variant: None,
            text: y.to_string(),
            span: Span::default(),
        });
    }
    let chosen = by_table.or(by_headings).or(by_year);
    // A variant is of its national format: only another national format differs.
    let year_calls_for = match (by_table, by_year) {
        (Some(t), Some(y)) if t.format.id != y.format.id => Some(y.format.id.clone()),
        _ => None,
    };
    let detection = Detection {
        format: chosen.map_or_else(|| "unknown".to_string(), |t| t.format.id.clone()),
        variant: chosen.and_then(|t| t.format.variant.clone()),
        evidence,
        year_calls_for,
    };
    (chosen, detection)
}
