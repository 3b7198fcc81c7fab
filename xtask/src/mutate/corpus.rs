//! `cargo xtask mutate --corpus [DIR]`: the held-out measure. Single edits of the
//! corpus's HTML reports, chosen from their text alone (see [`super::html`]), checked by
//! the release binary as a user checks a report.
//!
//! # What is done
//!
//! Every HTML report of `DIR/html` (the article bodies and the full page; never the
//! plain-text renderings of `DIR/txt`, whose tables are unreadable by design) is
//! checked once as published with `nianbao check --format json`, alone and from
//! standard input under its own file name, so that nothing but the edit differs from
//! the run of a copy. Per report and edit kind, every place is listed, shuffled by a
//! generator seeded by `--seed`, the file name and the kind, and the first
//! `--per-kind` places (default [`PER_KIND`]) are kept. Each edited copy is checked
//! the same way, on as many threads as there are cores.
//!
//! # What counts
//!
//! As on the fixtures, findings are compared in the original's coordinates, and a
//! finding of the copy is **new** when no finding of the original has the same code,
//! span and related spans. A new finding is **near the edit** when its span or one of
//! its related spans overlaps a zone of the edit: the edited bytes, their block of text
//! (the paragraph or the cell: the source lines of these pages hold whole paragraphs
//! or whole pages, so a line says nothing), and for a table's text the whole table.
//!
//! - **Detected**: a new `warning` or `error` near the edit.
//! - **Flagged before**: not detected, but a `warning` or `error` of the original
//!   already points at the edited bytes (a row already wrong, a figure already
//!   contradicted): the edit adds nothing a reviewer would see as new.
//! - **False alarm away from the edit**: a new `warning` or `error` that is not near
//!   it; new `info` findings away from the edit are counted apart.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context};
use nianbao_model::grammar::Span;
use serde_json::Value;

use super::html::{HtmlEdit, HtmlKind, HtmlView};
use super::{overlaps, pad, parallel, percent, Options, Rng};

/// Edits per kind and report when `--per-kind` is not given.
pub(super) const PER_KIND: usize = 12;

/// Undetected edits listed per kind.
const SHOWN: usize = 10;

/// A finding of the binary, in the coordinates of the file it checked.
#[derive(Clone, Debug)]
struct Found {
    code: String,
    severity: String,
    span: Span,
    related: Vec<Span>,
    message: String,
}

impl Found {
    fn reviewed(&self) -> bool {
        matches!(self.severity.as_str(), "warning" | "error")
    }

    fn spans(&self) -> impl Iterator<Item = Span> + '_ {
        std::iter::once(self.span).chain(self.related.iter().copied())
    }
}

/// A report as published and its findings.
struct Report {
    /// Relative to the corpus (`html/x.body.html`).
    name: String,
    bytes: Vec<u8>,
    findings: Vec<Found>,
}

/// What one edit gave.
struct Outcome {
    report: usize,
    edit: HtmlEdit,
    /// Codes of the new warnings and errors near the edit.
    detected_by: Vec<String>,
    /// Not detected, but a warning or error of the original points at the edited bytes.
    flagged_before: bool,
    /// New warnings and errors away from the edit.
    away: Vec<Found>,
    /// New infos away from the edit.
    away_info: usize,
    /// The binary failed on the copy.
    failure: Option<String>,
}

/// Runs `nianbao check --format json` on `bytes`, given on standard input under `name`.
fn check(nianbao: &Path, name: &str, bytes: &[u8]) -> anyhow::Result<Vec<Found>> {
    let mut child = Command::new(nianbao)
        .args(["check", "--no-config", "--format", "json", "--lang", "en"])
        .args([
            "--fail-on",
            "never",
            "--color",
            "never",
            "--stdin-filename",
            name,
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("running {}", nianbao.display()))?;
    let mut stdin = child.stdin.take().context("the binary's standard input")?;
    let output = std::thread::scope(|s| {
        // Written from another thread, so a full output pipe cannot block the input.
        let writer = s.spawn(move || stdin.write_all(bytes));
        let output = child.wait_with_output();
        let written = writer.join();
        (output, written)
    });
    let out = output
        .0
        .with_context(|| format!("running {}", nianbao.display()))?;
    if !out.status.success() {
        bail!(
            "exit {:?}: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    match output.1 {
        Ok(Ok(())) => {}
        _ => bail!("the report could not be written to the binary's standard input"),
    }
    let document: Value =
        serde_json::from_slice(&out.stdout).context("the binary's output is not JSON")?;
    let span = |v: &Value| {
        let at = |k: &str| v[k].as_u64().unwrap_or(0) as usize;
        Span::new(at("start"), at("end").max(at("start")))
    };
    let Some(diagnostics) = document["reports"][0]["diagnostics"].as_array() else {
        bail!("the binary's output is not a check document");
    };
    Ok(diagnostics
        .iter()
        .map(|d| Found {
            code: d["code"].as_str().unwrap_or_default().to_string(),
            severity: d["severity"].as_str().unwrap_or_default().to_string(),
            span: span(&d["span"]),
            related: d["related"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|r| span(&r["span"]))
                .collect(),
            message: d["messages"]["en"]
                .as_str()
                .or_else(|| d["message"].as_str())
                .unwrap_or_default()
                .to_string(),
        })
        .collect())
}

/// The HTML reports of a corpus, by relative name.
fn reports_of(dir: &Path) -> anyhow::Result<Vec<String>> {
    let html = dir.join("html");
    let mut names: Vec<String> = std::fs::read_dir(&html)
        .with_context(|| format!("reading {}", html.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".html") || n.ends_with(".htm"))
        .map(|n| format!("html/{n}"))
        .collect();
    names.sort();
    Ok(names)
}

/// The release binary of this checkout, built first.
fn release_binary(root: &Path) -> anyhow::Result<PathBuf> {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "-p", "nianbao-cli"])
        .current_dir(root)
        .status()
        .context("running cargo build")?;
    if !status.success() {
        bail!("cargo build --release -p nianbao-cli failed");
    }
    Ok(root.join("target/release/nianbao"))
}

/// Runs the corpus mode and prints the tables.
pub(super) fn run(root: &Path, options: &Options) -> anyhow::Result<()> {
    let dir = options
        .corpus
        .clone()
        .unwrap_or_else(|| root.join("tests/corpus"));
    let names = reports_of(&dir)?;
    if names.is_empty() {
        bail!("no HTML report in {}", dir.join("html").display());
    }
    let nianbao = match &options.nianbao {
        Some(path) => path.clone(),
        None => release_binary(root)?,
    };
    let per_kind = options.per_kind.unwrap_or(PER_KIND);
    let started = Instant::now();

    let mut reports = Vec::new();
    for name in names {
        let path = dir.join(&name);
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let findings = check(&nianbao, file_name(&name), &bytes)
            .with_context(|| format!("checking {}", path.display()))?;
        reports.push(Report {
            name,
            bytes,
            findings,
        });
    }

    let mut jobs: Vec<(usize, HtmlEdit)> = Vec::new();
    for (ri, r) in reports.iter().enumerate() {
        let view = HtmlView::new(&String::from_utf8_lossy(&r.bytes));
        for kind in HtmlKind::ALL {
            let mut rng = Rng::with_salt(options.seed, &r.name, kind.salt());
            let mut edits = view.candidates(kind, &mut rng);
            // Only edits of the bytes as they are (a page that is not UTF-8 is read lossily).
            edits.retain(|e| {
                r.bytes
                    .get(e.span.start..e.span.end)
                    .is_some_and(|b| std::str::from_utf8(b).is_ok())
            });
            rng.shuffle(&mut edits);
            edits.truncate(per_kind);
            edits.sort_by_key(|e| e.span.start);
            jobs.extend(edits.into_iter().map(|e| (ri, e)));
        }
    }
    let outcomes = parallel(&jobs, |(ri, edit)| {
        evaluate(&reports[*ri], *ri, edit.clone(), &nianbao)
    });
    print!(
        "{}",
        render(&reports, &outcomes, &dir, &nianbao, options.seed, per_kind)
    );
    println!(
        "({} edited copies checked in {:.1} s)",
        outcomes.len(),
        started.elapsed().as_secs_f64()
    );
    let failed = outcomes.iter().filter(|o| o.failure.is_some()).count();
    if failed > 0 {
        bail!("the binary failed on {failed} edited copies (listed above)");
    }
    Ok(())
}

fn file_name(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

/// A finding's identity: code, span and related spans.
type Key = (String, (usize, usize), Vec<(usize, usize)>);

fn key(f: &Found, map: impl Fn(Span) -> Span) -> Key {
    let p = map(f.span);
    let mut related: Vec<(usize, usize)> = f
        .related
        .iter()
        .map(|r| {
            let s = map(*r);
            (s.start, s.end)
        })
        .collect();
    related.sort_unstable();
    (f.code.clone(), (p.start, p.end), related)
}

fn evaluate(report: &Report, ri: usize, edit: HtmlEdit, nianbao: &Path) -> Outcome {
    let (s, e) = (edit.span.start, edit.span.end);
    let new_end = s + edit.replacement.len();
    let mut bytes = Vec::with_capacity(report.bytes.len() + edit.replacement.len());
    bytes.extend_from_slice(&report.bytes[..s]);
    bytes.extend_from_slice(edit.replacement.as_bytes());
    bytes.extend_from_slice(&report.bytes[e..]);
    let mut outcome = Outcome {
        report: ri,
        detected_by: Vec::new(),
        flagged_before: false,
        away: Vec::new(),
        away_info: 0,
        failure: None,
        edit,
    };
    let found = match check(nianbao, file_name(&report.name), &bytes) {
        Ok(found) => found,
        Err(err) => {
            outcome.failure = Some(format!("{err:#}"));
            return outcome;
        }
    };
    // An offset of the copy, back in the original's coordinates.
    let back = |o: usize, is_end: bool| -> usize {
        if o <= s {
            o
        } else if o >= new_end {
            o - new_end + e
        } else if is_end {
            e
        } else {
            s
        }
    };
    let map = |sp: Span| {
        let start = back(sp.start, false);
        Span::new(start, back(sp.end, true).max(start))
    };
    let mut before: HashMap<Key, usize> = HashMap::new();
    for f in &report.findings {
        *before.entry(key(f, |x| x)).or_default() += 1;
    }
    let edit = &outcome.edit;
    for f in &found {
        if let Some(n) = before.get_mut(&key(f, map)).filter(|n| **n > 0) {
            *n -= 1;
            continue;
        }
        let near = f
            .spans()
            .any(|sp| edit.zones.iter().any(|z| overlaps(map(sp), *z)));
        match (near, f.reviewed()) {
            (true, true) => {
                if !outcome.detected_by.contains(&f.code) {
                    outcome.detected_by.push(f.code.clone());
                }
            }
            (true, false) => {}
            (false, true) => {
                let mut f = f.clone();
                f.span = map(f.span);
                outcome.away.push(f);
            }
            (false, false) => outcome.away_info += 1,
        }
    }
    outcome.flagged_before = outcome.detected_by.is_empty()
        && report
            .findings
            .iter()
            .filter(|f| f.reviewed())
            .any(|f| f.spans().any(|sp| overlaps(sp, edit.span)));
    outcome
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line, column)
}

fn render(
    reports: &[Report],
    outcomes: &[Outcome],
    dir: &Path,
    nianbao: &Path,
    seed: u64,
    per_kind: usize,
) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "mutation run on the HTML reports of {}: seed {seed}, at most {per_kind} edits per kind and report, \
         {} reports, checked by {}\n",
        dir.display(),
        reports.len(),
        nianbao.display()
    );
    let row = |s: &mut String, name: &str, of: &[&Outcome], by: bool| {
        let n = of.len();
        let det = of.iter().filter(|o| !o.detected_by.is_empty()).count();
        let before = of.iter().filter(|o| o.flagged_before).count();
        let away: usize = of.iter().map(|o| o.away.len()).sum();
        let with_away = of.iter().filter(|o| !o.away.is_empty()).count();
        let info: usize = of.iter().map(|o| o.away_info).sum();
        let _ = write!(
            s,
            "| {} | {n:>7} | {det:>8} | {:>6} | {before:>14} | {away:>17} | {with_away:>16} | {info:>10} |",
            pad(name, 44),
            percent(det, n)
        );
        if by {
            let _ = write!(s, " {}", detected_by(of));
        }
        s.push('\n');
    };
    let header = |s: &mut String, first: &str, by: bool| {
        let _ = writeln!(
            s,
            "| {} | mutants | detected |   rate | flagged before | false alarms away | mutants with one | infos away |{}",
            pad(first, 44),
            if by { " detected by (mutants)" } else { "" }
        );
        let _ = writeln!(
            s,
            "|{}|---------|----------|--------|----------------|-------------------|------------------|------------|{}",
            "-".repeat(46),
            if by { "-----------------------" } else { "" }
        );
    };
    header(&mut s, "edit kind", true);
    for kind in HtmlKind::ALL {
        let of: Vec<&Outcome> = outcomes.iter().filter(|o| o.edit.kind == kind).collect();
        row(&mut s, kind.name(), &of, true);
        if kind == HtmlKind::Figure {
            let of: Vec<&Outcome> = of.into_iter().filter(|o| o.edit.in_a_table).collect();
            row(&mut s, "  of which the value is in a table", &of, true);
        }
    }
    let all: Vec<&Outcome> = outcomes.iter().collect();
    row(&mut s, "all", &all, true);
    s.push('\n');
    for kind in HtmlKind::ALL {
        let _ = writeln!(s, "  {}: {}", pad(kind.name(), 16), kind.legend());
    }
    s.push('\n');
    header(&mut s, "report", false);
    for (ri, r) in reports.iter().enumerate() {
        let of: Vec<&Outcome> = outcomes.iter().filter(|o| o.report == ri).collect();
        row(&mut s, &r.name, &of, false);
    }

    let n = outcomes.len();
    let detected = outcomes
        .iter()
        .filter(|o| !o.detected_by.is_empty())
        .count();
    let before = outcomes.iter().filter(|o| o.flagged_before).count();
    let away: usize = outcomes.iter().map(|o| o.away.len()).sum();
    let with_away = outcomes.iter().filter(|o| !o.away.is_empty()).count();
    let info: usize = outcomes.iter().map(|o| o.away_info).sum();
    let _ = writeln!(
        s,
        "\ndetected: {detected}/{n} ({}); undetected but flagged before: {before}",
        percent(detected, n)
    );
    let _ = writeln!(
        s,
        "false alarms away from the edit (warnings and errors): {away} in {with_away} of {n} mutants; \
         new infos away from the edit: {info}"
    );

    let place = |o: &Outcome, at: usize| {
        let r = &reports[o.report];
        let (line, col) = line_col(&r.bytes, at);
        format!("{}:{line}:{col}", r.name)
    };
    let failures: Vec<&Outcome> = outcomes.iter().filter(|o| o.failure.is_some()).collect();
    if !failures.is_empty() {
        let _ = writeln!(s, "\nthe binary failed on {} copies:", failures.len());
        for o in failures {
            let _ = writeln!(
                s,
                "  {} [{}] {}: {}",
                place(o, o.edit.span.start),
                o.edit.kind.name(),
                o.edit.what,
                o.failure.as_deref().unwrap_or_default()
            );
        }
    }
    let missed: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| o.detected_by.is_empty() && o.failure.is_none())
        .collect();
    if missed.is_empty() {
        let _ = writeln!(s, "\nundetected edits: none");
    } else {
        let _ = writeln!(
            s,
            "\nundetected edits ({} in all; at most {SHOWN} of each kind):",
            missed.len()
        );
        for kind in HtmlKind::ALL {
            // Round robin over the reports, so the list is not all of the first ones.
            let mut by_report: Vec<Vec<&Outcome>> = vec![Vec::new(); reports.len()];
            for o in missed.iter().filter(|o| o.edit.kind == kind) {
                by_report[o.report].push(o);
            }
            let longest = by_report.iter().map(Vec::len).max().unwrap_or(0);
            let shown = (0..longest)
                .flat_map(|i| by_report.iter().filter_map(move |r| r.get(i).copied()))
                .take(SHOWN);
            for o in shown {
                let _ = writeln!(
                    s,
                    "  {} [{}]{} {}",
                    place(o, o.edit.span.start),
                    o.edit.kind.name(),
                    if o.flagged_before {
                        " (flagged before)"
                    } else {
                        ""
                    },
                    o.edit.what
                );
            }
        }
    }
    let alarms: Vec<(&Outcome, &Found)> = outcomes
        .iter()
        .flat_map(|o| o.away.iter().map(move |f| (o, f)))
        .collect();
    if !alarms.is_empty() {
        let _ = writeln!(
            s,
            "\nfalse alarms away from the edit ({} in all; the first {}):",
            alarms.len(),
            4 * SHOWN
        );
        for (o, f) in alarms.iter().take(4 * SHOWN) {
            let _ = writeln!(
                s,
                "  {} {} {} {}\n      after [{}] at {}: {}",
                place(o, f.span.start),
                f.severity,
                f.code,
                f.message,
                o.edit.kind.name(),
                place(o, o.edit.span.start),
                o.edit.what
            );
        }
    }
    s
}

/// The codes that detected the edits, most frequent first (`NB201 40, NB301 12`).
fn detected_by(of: &[&Outcome]) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for code in of.iter().flat_map(|o| &o.detected_by) {
        match counts.iter_mut().find(|(c, _)| c == code) {
            Some((_, n)) => *n += 1,
            None => counts.push((code, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    counts
        .iter()
        .map(|(c, n)| format!("{c} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}
