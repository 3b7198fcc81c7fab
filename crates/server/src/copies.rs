//! Copied text across the reports of one collection (NB607): when a report is
//! uploaded, read or shown, its own text is compared with the collection's
//! other stored reports, and the closest one is named with the share, per
//! section and overall, and the longest shared passages in both.
//!
//! Nothing is parsed again for a comparison. Each report's text print
//! ([`TextPrint`], stored form) is stored with it at upload, and a sample of its
//! shingles in an index table; a report stored before them (or by another
//! checker version) gets its print from its stored bytes, once, when a
//! comparison first needs it. Candidates come from the index: for each sampled
//! shingle the first few reports by id that have it (at most
//! [`copies::POSTINGS`] + 1 entries, however many reports share it), ranked by the
//! shingles found, then by id; at most [`copies::CANDIDATES`] are compared in full.
//! A collection of thousands of identical reports costs each report the same
//! bounded work: linear in all. Each report is looked up among all the others,
//! those stored after it too, so both reports of a copied pair name each other.
//!
//! Like the CLI, another copy of the same report (the same bytes) and the same
//! body's report of the same or an adjacent year (NB605's comparison) are left
//! out. The finding is computed when read, never stored: it follows the
//! collection as reports come and go. A collection's `copy_across` setting turns
//! it off, and its `copy_threshold` is the share at which it is a warning.

use std::sync::Arc;

use axum::response::Response;
use serde::Serialize;

use nianbao_model::copies::{self, Against, Comparison, TextPrint, Work};
use nianbao_model::cross::issuer_key;
use nianbao_model::grammar::Diagnostic;
use nianbao_model::output::{DiagnosticEntry, ReportEntry};
use nianbao_model::settings::Lang;
use nianbao_model::CheckedReport;

use crate::app::{self, AppState};
use crate::checker::CHECKER_VERSION;
use crate::db::{CopySettings, PrintRow};

/// The version a stored print is made by: the print's format and the checker
/// (a newer parser may read other own text).
pub fn print_version() -> String {
    format!("{} {CHECKER_VERSION}", copies::PRINT_VERSION)
}

/// The address of a stored report in the API.
pub fn report_url(collection: i64, rid: i64) -> String {
    format!("/api/v1/collections/{collection}/reports/{rid}")
}

/// The stored form of a checked report's print and its sampled shingles.
pub fn stored_print(checked: &CheckedReport) -> (Vec<u8>, Vec<u32>) {
    let print = TextPrint::of(checked);
    (print.to_bytes(), print.sample())
}

/// The closest other report of the collection, as the API gives it.
#[derive(Serialize)]
pub struct Closest {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its address in the API.
    pub url: String,
    /// The share of this report's own text found in it, whole percent.
    pub percent: u32,
    /// This report's own characters.
    pub own: usize,
    /// Of them, found in the other report.
    pub shared: usize,
    /// Per top-level section: heading, own, shared, percent.
    pub sections: Vec<serde_json::Value>,
    /// The most-copied section's heading (see `Comparison::most_copied`).
    pub most_copied: Option<String>,
}

/// The work of one lookup, counted (index entries read, reports compared in
/// full), so that its growth can be tested without timing anything.
#[derive(Clone, Copy, Default, Serialize)]
pub struct Counted {
    /// Index entries read.
    pub postings: usize,
    /// Reports compared in full.
    pub compared: usize,
}

impl From<Work> for Counted {
    fn from(w: Work) -> Self {
        Counted {
            postings: w.postings,
            compared: w.compared,
        }
    }
}

/// What the comparison of one report with its collection found.
pub struct Found {
    /// The collection's settings.
    pub settings: CopySettings,
    /// The closest other report, when any shares text with it.
    pub closest: Option<Closest>,
    /// The finding (NB607), when the share is at least the threshold.
    pub diagnostic: Option<Diagnostic>,
    /// This report's print, to locate the finding.
    pub print: TextPrint,
    /// The work done.
    pub work: Counted,
}

impl Found {
    /// The `copies` member of an answer: the settings, the closest report and the work.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "copy_across": self.settings.copy_across,
            "copy_threshold": self.settings.copy_threshold,
            "closest": self.closest,
            "work": self.work,
        })
    }

    /// Adds the finding, if any, to a report's findings entry (its counts too).
    pub fn add_to(&self, entry: &mut serde_json::Value, lang: Lang) {
        let Some(d) = &self.diagnostic else { return };
        let Ok(value) = serde_json::to_value(self.entry(d, lang)) else {
            return;
        };
        if let Some(list) = entry["diagnostics"].as_array_mut() {
            list.push(value);
            if let Some(n) = entry["summary"]["warning"].as_i64() {
                entry["summary"]["warning"] = (n + 1).into();
            }
        }
    }

    /// Adds the finding, if any, to a report's findings entry.
    pub fn add_to_entry(&self, entry: &mut ReportEntry, lang: Lang) {
        if let Some(d) = &self.diagnostic {
            entry.diagnostics.push(self.entry(d, lang));
            entry.summary.warning += 1;
        }
    }

    /// The finding as `nianbao.check/2` writes it, located from the print.
    fn entry(&self, d: &Diagnostic, lang: Lang) -> DiagnosticEntry {
        DiagnosticEntry::located(d, lang, &|span| self.print.locate(span), &|_| None)
    }
}

/// Makes the missing or outdated prints of a collection's reports from their
/// stored bytes (on worker slots), once; a print that cannot be stored (a full
/// disk) is made again next time.
async fn refresh(state: &Arc<AppState>, collection: i64) -> Result<(), Response> {
    let version = print_version();
    let stale = {
        let version = version.clone();
        app::db(state, move |db| db.stale_prints(collection, &version)).await?
    };
    let Some(stale) = stale else {
        return Ok(()); // all of this version already
    };
    for rid in stale {
        let Some(bytes) = app::db(state, move |db| db.report_bytes(collection, rid)).await? else {
            continue; // deleted meanwhile
        };
        let (print, sample) = state
            .checker()
            .run(move |time_limit| {
                stored_print(&crate::checker::check_bounded(&bytes, time_limit).checked)
            })
            .await
            .map_err(app::refused)?;
        let version = version.clone();
        app::db(state, move |db| {
            db.store_print(collection, rid, &version, &print, &sample)
        })
        .await?;
    }
    // Every report of the collection has a print of this version now; a report
    // stored from here on gets its print with it.
    app::db(state, move |db| db.prints_made(collection, &version)).await?;
    Ok(())
}

/// Whether `b` is left out of `a`'s comparison: the same bytes, or the same
/// body's report of the same or an adjacent year.
fn left_out(a: &PrintRow, b: &PrintRow) -> bool {
    if a.sha256 == b.sha256 {
        return true;
    }
    match (&a.issuer, a.year, &b.issuer, b.year) {
        (Some(x), Some(y), Some(u), Some(v)) => {
            issuer_key(x) == issuer_key(u) && (y - v).abs() <= 1
        }
        _ => false,
    }
}

/// The comparison of stored report `rid` with the other reports of its
/// collection; `None` when the collection or the report does not exist.
pub async fn compare(
    state: &Arc<AppState>,
    collection: i64,
    rid: i64,
) -> Result<Option<Found>, Response> {
    let Some(settings) = app::db(state, move |db| db.copy_settings(collection)).await? else {
        return Ok(None);
    };
    if !settings.copy_across {
        return Ok(Some(Found {
            settings,
            closest: None,
            diagnostic: None,
            print: TextPrint::default(),
            work: Counted::default(),
        }));
    }
    refresh(state, collection).await?;
    let version = print_version();
    // This report, its candidates from the index, and the first few not left out.
    let read = app::db(state, move |db| {
        let Some(this) = db.print_row(collection, rid, &version)? else {
            return Ok(None);
        };
        let print = TextPrint::from_bytes(&this.print).unwrap_or_default();
        let (votes, postings) =
            db.copy_candidates(collection, &print.sample(), copies::POSTINGS + 1)?;
        let mut ranked: Vec<(usize, i64)> = votes
            .into_iter()
            .filter(|&(id, _)| id != rid)
            .map(|(id, v)| (v, id))
            .collect();
        ranked.sort_by_key(|&(v, id)| (std::cmp::Reverse(v), id));
        let mut others = Vec::new();
        for (_, id) in ranked {
            if others.len() == copies::CANDIDATES {
                break;
            }
            let Some(row) = db.print_row(collection, id, &version)? else {
                continue;
            };
            if left_out(&this, &row) {
                continue;
            }
            let Some(other) = TextPrint::from_bytes(&row.print) else {
                continue;
            };
            others.push((row, other));
        }
        Ok(Some((print, others, postings)))
    })
    .await?;
    let Some((print, others, postings)) = read else {
        return Ok(None);
    };
    let found = state
        .checker()
        .run(move |_| {
            let compared = others.len();
            let mut best: Option<(PrintRow, TextPrint, Comparison)> = None;
            for (row, other) in others {
                let c = copies::compare(&print, &other);
                // The most shared characters; on a tie, the lower id (the order is by id).
                if c.shared > 0 && best.as_ref().is_none_or(|b| c.shared > b.2.shared) {
                    best = Some((row, other, c));
                }
            }
            let work = Counted { postings, compared };
            let Some((row, other, c)) = best else {
                return Found {
                    settings,
                    closest: None,
                    diagnostic: None,
                    print,
                    work,
                };
            };
            let url = report_url(collection, row.id);
            let diagnostic = copies::finding_of(
                Against::AnotherReport,
                &row.name,
                &url,
                &other,
                &print,
                &c,
                settings.copy_threshold,
            );
            let closest = Closest {
                id: row.id,
                name: row.name,
                url,
                percent: c.percent(),
                own: c.own,
                shared: c.shared,
                sections: c
                    .sections
                    .iter()
                    .map(|s| {
                        serde_json::json!({
                            "heading": s.heading, "own": s.own, "shared": s.shared,
                            "percent": (s.shared * 100).checked_div(s.own).unwrap_or(0),
                        })
                    })
                    .collect(),
                most_copied: c.most_copied().map(|s| s.heading.clone()),
            };
            Found {
                settings,
                closest: Some(closest),
                diagnostic,
                print,
                work,
            }
        })
        .await
        .map_err(app::refused)?;
    Ok(Some(found))
}
