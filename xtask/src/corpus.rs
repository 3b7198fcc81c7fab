//! The corpus run (ruff's ecosystem check is the model): every real report of
//! `tests/corpus/` checked as a user checks it, one line per report, the totals,
//! and every `warning` and `error` compared with the reviewed baseline
//! (`tests/corpus/baseline.json`), where each carries a verdict and its reason.
//!
//! The findings, each report's format, variant and issuer kind come from the
//! `nianbao` binary (`nianbao check --format json DIR…`, cross-report pairing
//! included); what the document does not say (input kind, sections and cells
//! found) from the model, in process.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};
use nianbao_model::template::AppliesTo;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The subdirectories of a corpus that hold reports.
pub const REPORT_DIRS: [&str; 2] = ["html", "txt"];

/// A finding of the run that a reviewer must have seen: a `warning` or an `error`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Finding {
    /// The report, relative to the corpus directory (`html/x.body.html`).
    pub file: String,
    /// 1-based line of the finding.
    pub line: u64,
    /// Its code (`NB201`).
    pub code: String,
    /// `warning` or `error`.
    pub severity: String,
    /// The flagged text (at most 60 characters of the span).
    pub text: String,
    /// The message, in Chinese (for the reviewer; not compared).
    #[serde(default)]
    pub message: String,
}

impl Finding {
    /// What identifies a finding across runs: the message may be reworded.
    fn key(&self) -> (&str, u64, &str, &str, &str) {
        (
            &self.file,
            self.line,
            &self.code,
            &self.severity,
            &self.text,
        )
    }
}

/// A reviewed finding of the baseline.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Reviewed {
    /// The finding.
    #[serde(flatten)]
    pub finding: Finding,
    /// `agree` (the report is wrong there), `false-alarm` (the rule is), or
    /// `unreviewed` (written by `--bless`, never accepted by the test).
    pub verdict: String,
    /// Why, in a sentence a reviewer would accept.
    #[serde(default)]
    pub why: String,
}

/// The reviewed baseline of a corpus.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Baseline {
    /// `nianbao.corpus-baseline/1`.
    pub schema: String,
    /// Every warning and error of the run, in file and line order.
    pub findings: Vec<Reviewed>,
}

/// Schema name of the baseline file.
pub const BASELINE_SCHEMA: &str = "nianbao.corpus-baseline/1";

impl Baseline {
    /// Reads `DIR/baseline.json`; an absent file is an empty baseline.
    pub fn read(dir: &Path) -> anyhow::Result<Baseline> {
        let path = dir.join("baseline.json");
        if !path.exists() {
            return Ok(Baseline {
                schema: BASELINE_SCHEMA.to_string(),
                findings: Vec::new(),
            });
        }
        let text = std::fs::read_to_string(&path).with_context(|| path.display().to_string())?;
        serde_json::from_str(&text).with_context(|| format!("{} is not a baseline", path.display()))
    }
}

/// What a run adds to and removes from a baseline.
#[derive(Debug, Default)]
pub struct Diff {
    /// Findings of the run not in the baseline.
    pub added: Vec<Finding>,
    /// Findings of the baseline the run no longer has.
    pub removed: Vec<Reviewed>,
}

impl Diff {
    /// True when the run is the baseline.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }
}

/// Compares the findings of a run with a baseline (as multisets: the same
/// finding twice on one line counts twice).
pub fn diff(run: &[Finding], baseline: &Baseline) -> Diff {
    let mut left: BTreeMap<_, Vec<&Reviewed>> = BTreeMap::new();
    for r in &baseline.findings {
        left.entry(r.finding.key()).or_default().push(r);
    }
    let mut out = Diff::default();
    for f in run {
        match left.get_mut(&f.key()).and_then(Vec::pop) {
            Some(_) => {}
            None => out.added.push(f.clone()),
        }
    }
    out.removed = left.into_values().flatten().cloned().collect();
    out.removed.sort_by(|a, b| a.finding.cmp(&b.finding));
    out
}

/// The reviewed finding among those of one key that `f` is: the one with its message,
/// else the first, so two findings of one place keep their own verdicts.
fn take_like<'a>(same: &mut Vec<&'a Reviewed>, f: &Finding) -> Option<&'a Reviewed> {
    if same.is_empty() {
        return None;
    }
    let at = same
        .iter()
        .position(|r| r.finding.message == f.message)
        .unwrap_or(0);
    Some(same.remove(at))
}

/// The warnings and errors of a `nianbao.check` document, with paths made relative to `dir`.
pub fn findings_of(document: &Value, dir: &Path) -> anyhow::Result<Vec<Finding>> {
    let mut out = Vec::new();
    let Some(reports) = document["reports"].as_array() else {
        bail!("not a check document");
    };
    for report in reports {
        let path = report["path"].as_str().unwrap_or_default();
        let file = relative(Path::new(path), dir);
        let bytes = std::fs::read(dir.join(&file)).unwrap_or_default();
        for d in report["diagnostics"].as_array().into_iter().flatten() {
            let severity = d["severity"].as_str().unwrap_or_default();
            if severity == "info" {
                continue;
            }
            let start = d["span"]["start"].as_u64().unwrap_or(0) as usize;
            let end = d["span"]["end"].as_u64().unwrap_or(0) as usize;
            out.push(Finding {
                file: file.clone(),
                line: d["span"]["line"].as_u64().unwrap_or(0),
                code: d["code"].as_str().unwrap_or_default().to_string(),
                severity: severity.to_string(),
                text: flagged(&bytes, start, end),
                message: d["message"].as_str().unwrap_or_default().to_string(),
            });
        }
    }
    out.sort();
    Ok(out)
}

/// At most 60 characters of the flagged bytes, on one line.
fn flagged(bytes: &[u8], start: usize, end: usize) -> String {
    let end = end.min(bytes.len());
    let start = start.min(end);
    let text = String::from_utf8_lossy(&bytes[start..end]);
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut cut: String = one_line.trim().chars().take(60).collect();
    if one_line.trim().chars().count() > 60 {
        cut.push('…');
    }
    cut
}

fn relative(path: &Path, dir: &Path) -> String {
    let rel = path.strip_prefix(dir).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Runs `nianbao check --format json` on the report directories of `dir`, from
/// `dir`: the paths of the document, and the other reports a finding names in its
/// message (NB605, NB607), are relative to it, as the baseline keeps them.
pub fn check_document(nianbao: &Path, dir: &Path) -> anyhow::Result<Value> {
    let nianbao =
        std::path::absolute(nianbao).with_context(|| format!("locating {}", nianbao.display()))?;
    let out = Command::new(&nianbao)
        .current_dir(dir)
        .args(["check", "--format", "json"])
        .args(REPORT_DIRS)
        .output()
        .with_context(|| format!("running {}", nianbao.display()))?;
    if !matches!(out.status.code(), Some(0 | 1)) {
        bail!(
            "{} exited with {:?}: {}",
            nianbao.display(),
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    serde_json::from_slice(&out.stdout).context("nianbao's output is not JSON")
}

/// One line of the manifest.
#[derive(Clone, Debug, Default)]
pub struct Manifest {
    /// Issuer as the title names it.
    pub issuer: String,
    /// Report year.
    pub year: Option<i32>,
    /// National format.
    pub format: String,
}

/// `MANIFEST.tsv` by file.
pub fn manifest(dir: &Path) -> BTreeMap<String, Manifest> {
    let text = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap_or_default();
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            Some((
                cols.first()?.to_string(),
                Manifest {
                    issuer: cols.get(1)?.to_string(),
                    year: cols.get(2)?.parse().ok(),
                    format: cols.get(3)?.to_string(),
                },
            ))
        })
        .collect()
}

/// What the run says of one report.
#[derive(Debug)]
pub struct Row {
    /// Relative path.
    pub file: String,
    /// `markdown` or `html`.
    pub input_kind: String,
    /// The national format detected (the document's `format`).
    pub format: String,
    /// The local variant of its tables, if any (the document's `variant`).
    pub variant: Option<String>,
    /// Report year.
    pub year: Option<i32>,
    /// Issuer.
    pub issuer: Option<String>,
    /// `government` or `department` (the document's `issuer_kind`), `?` without an issuer.
    pub kind: String,
    /// Required sections present / required.
    pub sections: (usize, usize),
    /// Numbers read into template cells / numbers the report prints in its
    /// statistics tables (the tables matched to the template or looking statistical).
    pub cells: (usize, usize),
    /// Findings by severity: error, warning, info.
    pub counts: [usize; 3],
}

/// One row per report of the document, with the model's view of it.
pub fn rows(document: &Value, dir: &Path) -> Vec<Row> {
    let mut out = Vec::new();
    for report in document["reports"].as_array().into_iter().flatten() {
        let path = report["path"].as_str().unwrap_or_default();
        let file = relative(Path::new(path), dir);
        let bytes = std::fs::read(dir.join(&file)).unwrap_or_default();
        let checked = nianbao_model::check(&bytes);
        let r = &checked.report;
        let format = report["format"].as_str().unwrap_or("unknown").to_string();
        let variant = report["variant"].as_str().map(str::to_string);
        let template = nianbao_model::template::find(&format, variant.as_deref());
        let kind = report["issuer_kind"].as_str().unwrap_or("?").to_string();
        // Without an issuer, every required section counts (as the rule has it).
        let government = kind != "department";
        let required = template.map_or(0, |t| {
            t.format
                .required_sections
                .iter()
                .filter(|s| s.applies_to != AppliesTo::Government || government)
                .count()
        });
        let missing = report["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|d| d["code"] == "NB101")
            .count();
        let count = |s: &str| report["summary"][s].as_u64().unwrap_or(0) as usize;
        out.push(Row {
            file,
            input_kind: format!("{:?}", checked.parsed.input_kind).to_lowercase(),
            format,
            variant,
            year: r.year(),
            issuer: r.issuer().map(str::to_string),
            kind,
            sections: (required.saturating_sub(missing), required),
            cells: (r.tables.extracted(), r.tables.printed()),
            counts: [count("error"), count("warning"), count("info")],
        });
    }
    out
}

/// The table of the run and its totals, against the manifest.
pub fn table(rows: &[Row], manifest: &BTreeMap<String, Manifest>) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<48} {:<9} {:<16} {:<8} {:>5} {:<10} {:>5} {:>9} {:>3} {:>3} {:>4}  issuer",
        "report", "input", "format", "variant", "year", "kind", "sect", "cells", "E", "W", "I"
    );
    let (mut formats, mut years, mut issuers, mut known) = (0, 0, 0, 0);
    let mut totals = [0usize; 3];
    let (mut cells, mut cells_expected, mut below) = (0, 0, 0);
    for r in rows {
        let m = manifest.get(&r.file);
        let mark = |ok: bool| if m.is_some() && !ok { "✗" } else { "" };
        let format_ok = m.is_some_and(|m| m.format == r.format);
        let year_ok = m.is_some_and(|m| m.year == r.year);
        let issuer_ok = m.is_some_and(|m| Some(&m.issuer) == r.issuer.as_ref());
        if m.is_some() {
            known += 1;
            formats += usize::from(format_ok);
            years += usize::from(year_ok);
            issuers += usize::from(issuer_ok);
        }
        for (t, c) in totals.iter_mut().zip(r.counts) {
            *t += c;
        }
        cells += r.cells.0;
        cells_expected += r.cells.1;
        // The bar: at least 98% of the numbers a report prints are read.
        let short = r.cells.0 * 100 < r.cells.1 * 98;
        below += usize::from(short);
        let _ = writeln!(
            s,
            "{:<48} {:<9} {:<16} {:<8} {:>5} {:<10} {:>5} {:>9} {:>3} {:>3} {:>4}  {}{}",
            r.file,
            r.input_kind,
            format!("{}{}", r.format, mark(format_ok)),
            r.variant.as_deref().unwrap_or("-"),
            format!(
                "{}{}",
                r.year.map_or("?".to_string(), |y| y.to_string()),
                mark(year_ok)
            ),
            r.kind,
            format!("{}/{}", r.sections.0, r.sections.1),
            format!(
                "{}/{}{}",
                r.cells.0,
                r.cells.1,
                if short { "✗" } else { "" }
            ),
            r.counts[0],
            r.counts[1],
            r.counts[2],
            r.issuer.as_deref().unwrap_or("?"),
            mark(issuer_ok),
        );
    }
    let _ = writeln!(
        s,
        "\n{} reports ({known} in the manifest): format right {formats}, year right {years}, issuer right {issuers}; \
         cells {cells}/{cells_expected} ({below} reports below 98%); {} errors, {} warnings, {} infos ({:.1} per report)",
        rows.len(),
        totals[0],
        totals[1],
        totals[2],
        totals[2] as f64 / rows.len().max(1) as f64,
    );
    s
}

/// `cargo xtask corpus [DIR] [--diff] [--bless] [--nianbao BIN]`.
pub struct Options {
    /// The corpus directory.
    pub dir: PathBuf,
    /// Show only what the run adds to and removes from the baseline.
    pub diff_only: bool,
    /// Rewrite the baseline with the run, keeping the verdicts of findings it already had.
    pub bless: bool,
    /// The binary to run.
    pub nianbao: PathBuf,
}

/// Runs the corpus; `Ok(false)` when the run differs from the baseline or the
/// baseline has findings without a verdict.
pub fn run(o: &Options) -> anyhow::Result<bool> {
    let document = check_document(&o.nianbao, &o.dir)?;
    let found = findings_of(&document, &o.dir)?;
    let baseline = Baseline::read(&o.dir)?;
    let d = diff(&found, &baseline);
    if !o.diff_only {
        print!("{}", table(&rows(&document, &o.dir), &manifest(&o.dir)));
        let mut by_verdict: BTreeMap<&str, usize> = BTreeMap::new();
        for r in &baseline.findings {
            *by_verdict.entry(r.verdict.as_str()).or_default() += 1;
        }
        println!("baseline: {by_verdict:?}");
    }
    for f in &d.added {
        println!(
            "+ {}:{} {} {} “{}” {}",
            f.file, f.line, f.severity, f.code, f.text, f.message
        );
    }
    for r in &d.removed {
        let f = &r.finding;
        println!(
            "- {}:{} {} {} “{}” ({}: {})",
            f.file, f.line, f.severity, f.code, f.text, r.verdict, r.why
        );
    }
    if o.bless {
        let mut kept: BTreeMap<_, Vec<&Reviewed>> = BTreeMap::new();
        for r in &baseline.findings {
            kept.entry(r.finding.key()).or_default().push(r);
        }
        let findings = found
            .iter()
            .map(
                |f| match kept.get_mut(&f.key()).and_then(|same| take_like(same, f)) {
                    Some(r) => Reviewed {
                        finding: f.clone(),
                        verdict: r.verdict.clone(),
                        why: r.why.clone(),
                    },
                    None => Reviewed {
                        finding: f.clone(),
                        verdict: "unreviewed".to_string(),
                        why: String::new(),
                    },
                },
            )
            .collect();
        let new = Baseline {
            schema: BASELINE_SCHEMA.to_string(),
            findings,
        };
        let path = o.dir.join("baseline.json");
        std::fs::write(&path, serde_json::to_string_pretty(&new)? + "\n")
            .with_context(|| path.display().to_string())?;
        println!("wrote {}", path.display());
        return Ok(true);
    }
    let unreviewed = baseline
        .findings
        .iter()
        .filter(|r| !matches!(r.verdict.as_str(), "agree" | "false-alarm"))
        .count();
    if d.is_empty() {
        println!("the run matches the baseline ({} findings)", found.len());
    } else {
        println!(
            "the run differs from the baseline: {} added, {} removed",
            d.added.len(),
            d.removed.len()
        );
    }
    if unreviewed > 0 {
        println!("{unreviewed} findings of the baseline have no verdict");
    }
    Ok(d.is_empty() && unreviewed == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(message: &str) -> Finding {
        Finding {
            file: "a.html".to_string(),
            line: 3,
            code: "NB101".to_string(),
            severity: "warning".to_string(),
            text: "标题".to_string(),
            message: message.to_string(),
        }
    }

    #[test]
    fn findings_of_one_key_keep_their_own_verdicts() {
        let reviewed = |message: &str, why: &str| Reviewed {
            finding: finding(message),
            verdict: "agree".to_string(),
            why: why.to_string(),
        };
        let (a, b) = (reviewed("缺少甲", "why a"), reviewed("缺少乙", "why b"));
        for order in [[&a, &b], [&b, &a]] {
            let mut same: Vec<&Reviewed> = order.to_vec();
            let first = take_like(&mut same, &finding("缺少乙")).map(|r| r.why.as_str());
            let second = take_like(&mut same, &finding("缺少甲")).map(|r| r.why.as_str());
            assert_eq!((first, second), (Some("why b"), Some("why a")));
            assert!(take_like(&mut same, &finding("缺少甲")).is_none());
        }
        // A reworded message keeps the first line's verdict.
        let mut same: Vec<&Reviewed> = vec![&a, &b];
        let r = take_like(&mut same, &finding("缺少丙")).map(|r| r.why.as_str());
        assert_eq!(r, Some("why a"));
    }
}
