//! `cargo xtask mutate [--seed N] [--per-kind K]`: how many single, reviewer-catchable
//! edits of the fixtures the checker finds, and how many findings an edit raises
//! elsewhere.
//!
//! With `--corpus [DIR] [--nianbao BIN]`, the held-out measure: the HTML reports of a
//! corpus are edited at places chosen from their text alone, not from the model, and
//! each copy is checked by the release binary (see [`corpus`] and [`html`]). The rest of
//! this page is the fixtures' mode.
//!
//! # What is done
//!
//! Every Markdown fixture of `tests/fixtures` is checked once as published (the
//! *baseline*). Then, per fixture and per edit kind, every place where that kind of
//! edit can be made is listed from the model of the baseline, the list is shuffled
//! with a generator seeded by `--seed`, the fixture name and the kind, and the first
//! `--per-kind` places (default 12) are kept. Each edit replaces one byte range of
//! the original file (spans from the model are byte offsets into the original), the
//! copy is checked with [`nianbao_model::check`], and its findings are compared with
//! the baseline.
//!
//! # Edit kinds (only edits a reviewer could catch from the report alone)
//!
//! - `table cell`: a number cell that is an operand of an instance of a relation of
//!   the template that is stated (`S`), enforced, of kind sum/balance/subset/at-least,
//!   and that holds on the original; the value gets +1…+9, or ×10 (integers ≠ 0, one
//!   time in four). Kept only when the new value breaks one such instance, evaluated
//!   as the rules do (a value with d decimals stands for ±½·10⁻ᵈ, a blank or dashed
//!   operand for `[0, ∞)`): a `≤` whose larger side grows cannot be caught.
//! - `narrative figure`: a figure (ASCII digits, written exactly, not `余`/`约`) linked
//!   to table cells that are all numbers and that the table does not contradict on the
//!   original; +1…+9.
//! - `breakdown part`: a part of a breakdown of the narrative whose total equals the
//!   sum of its parts on the original (all exact); +1…+9 (the parts then exceed the
//!   total — an edited total could be a list of notable subsets and is not generated).
//! - `rate`: the percentage of a rate whose counts agree with it on the original; +d
//!   to its integer part, the first d from 1…9 (starting at a seeded one) that takes it
//!   out of the rounding/truncation tolerance (one unit of its last written digit).
//! - `文号 brackets`: `〔YYYY〕` of a 文号 written with standard brackets becomes `[YYYY]`.
//! - `impossible date`: the month of a date of the narrative becomes `13`, or (dates
//!   with a day, one time in two) the day becomes `32`.
//! - `period start`: the year of the first date of the statistical period becomes
//!   year−1 (only when the period is the whole report year on the original).
//! - `required section`: in a national-format report, the line of a level-1 heading
//!   whose title is the only level-1 heading naming a required section (level 1, no
//!   body-keyword fallback, applying to the issuer) is deleted. Only a heading alone on
//!   its line (markup aside) is deleted.
//! - `heading number`: the numeral of a level-2 marker `（n）`, n ≥ 2, in a list of
//!   level-2 siblings numbered 1…k without fault, becomes n+1 (`（二）` → `（三）`).
//!
//! # What counts
//!
//! Findings are compared in the original's coordinates: an offset of the copy after
//! the edit is shifted back by the length change, an offset inside the replacement
//! maps to the edited range. A finding of the copy is **new** when no finding of the
//! baseline has the same code, primary span and related spans (as a multiset: each
//! baseline finding excuses one finding of the copy). A changed message with the same
//! places is not new.
//!
//! A new finding **points at the edit** when its primary or one of its related spans
//! overlaps the edited bytes, or starts or ends on an edited line, or overlaps or
//! shares a line with a place *tied* to the edit:
//!
//! - for a cell: the other operands of every relation instance it takes part in, and
//!   the narrative figures linked to it;
//! - for a narrative figure, a breakdown part or a rate: the cells it is linked to,
//!   the total and parts of every breakdown it belongs to, and the rate, part and whole
//!   of every rate it belongs to;
//! - for a deleted section: the report's title (a missing section has no place of its
//!   own and is reported there), the next level-1 heading (its number now skips) and
//!   the deleted section's own level-2 headings (they now continue the list of the
//!   section before);
//! - for a heading number: the next level-2 sibling.
//!
//! An edit is **detected** when at least one new finding of NB0xx–NB5xx points at it.
//! Every new finding that does not point at its edit is a **new finding away from the
//! edit**: a false alarm (the edit changed nothing there).

mod corpus;
mod html;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use rust_decimal::Decimal;

use nianbao_model::facts::Facts;
use nianbao_model::grammar::logical::normalize;
use nianbao_model::grammar::outline::Section;
use nianbao_model::grammar::{Diagnostic, Span};
use nianbao_model::quantity::{Approx, CellValue};
use nianbao_model::rules::arithmetic::expand;
use nianbao_model::rules::structure::is_government;
use nianbao_model::tables::{IndicatorCell, MappedTables};
use nianbao_model::template::{Confidence, Op, RelationKind, Template};
use nianbao_model::CheckedReport;

/// Options of the task.
#[derive(Debug, Clone)]
pub struct Options {
    /// Seed of the choice of places and values.
    pub seed: u64,
    /// Edits per kind and fixture (or report), at most; `None`: the mode's default
    /// (12 on the fixtures, [`corpus::PER_KIND`] on the corpus).
    pub per_kind: Option<usize>,
    /// `--corpus [DIR]`: edit the HTML reports of this corpus instead of the fixtures.
    pub corpus: Option<PathBuf>,
    /// `--nianbao PATH`: the binary that checks the corpus's edited reports (default:
    /// the release binary of this checkout, built first).
    pub nianbao: Option<PathBuf>,
}

/// Parses `[--seed N] [--per-kind K] [--corpus [DIR]] [--nianbao PATH]`; `None` for a
/// usage error. `--corpus` alone means `default_corpus`; `--nianbao` needs `--corpus`.
pub fn parse_args(args: &[&str], default_corpus: &Path) -> Option<Options> {
    let mut o = Options {
        seed: 1,
        per_kind: None,
        corpus: None,
        nianbao: None,
    };
    let mut it = args.iter().peekable();
    while let Some(a) = it.next() {
        match *a {
            "--seed" => o.seed = it.next()?.parse().ok()?,
            "--per-kind" => o.per_kind = Some(it.next()?.parse().ok()?),
            "--nianbao" => o.nianbao = Some(PathBuf::from(it.next()?)),
            "--corpus" => {
                let dir = it.next_if(|d| !d.starts_with('-'));
                o.corpus = Some(dir.map_or_else(|| default_corpus.to_path_buf(), PathBuf::from));
            }
            _ => return None,
        }
    }
    if o.nianbao.is_some() && o.corpus.is_none() {
        return None;
    }
    Some(o)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Kind {
    Cell,
    Figure,
    Breakdown,
    Rate,
    DocNumber,
    Date,
    Period,
    Section,
    Heading,
}

impl Kind {
    const ALL: [Kind; 9] = [
        Kind::Cell,
        Kind::Figure,
        Kind::Breakdown,
        Kind::Rate,
        Kind::DocNumber,
        Kind::Date,
        Kind::Period,
        Kind::Section,
        Kind::Heading,
    ];

    fn name(self) -> &'static str {
        match self {
            Kind::Cell => "table cell",
            Kind::Figure => "narrative figure",
            Kind::Breakdown => "breakdown part",
            Kind::Rate => "rate",
            Kind::DocNumber => "文号 brackets",
            Kind::Date => "impossible date",
            Kind::Period => "period start",
            Kind::Section => "required section",
            Kind::Heading => "heading number",
        }
    }
}

/// One byte replacement of a fixture.
#[derive(Clone, Debug)]
struct Edit {
    kind: Kind,
    /// The original bytes replaced.
    span: Span,
    replacement: String,
    /// Places the edit is tied to (see the module doc).
    tied: Vec<Span>,
    /// What was done, for a developer.
    what: String,
}

/// A fixture as published, with its baseline check.
struct Fixture {
    name: String,
    bytes: Vec<u8>,
    checked: CheckedReport,
    line_starts: Vec<usize>,
}

impl Fixture {
    /// 1-based line of a byte offset.
    fn line(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset)
    }

    fn lines(&self, span: Span) -> (usize, usize) {
        (
            self.line(span.start),
            self.line(span.end.saturating_sub(1).max(span.start)),
        )
    }

    fn text(&self, span: Span) -> &str {
        std::str::from_utf8(&self.bytes[span.start..span.end]).unwrap_or("")
    }

    fn template(&self) -> Option<&'static Template> {
        let report = &self.checked.report;
        nianbao_model::template::find(&report.format, report.variant.as_deref())
    }
}

/// What one edit gave.
struct Outcome {
    edit: Edit,
    fixture: usize,
    /// Codes of the new findings that point at the edit.
    detected_by: Vec<&'static str>,
    /// New findings away from the edit: (code, line, message).
    away: Vec<(&'static str, usize, String)>,
}

/// splitmix64: small, deterministic, good enough to shuffle.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, name: &str, kind: Kind) -> Self {
        Rng::with_salt(seed, name, kind as u64)
    }

    /// A generator for one file and one kind of edit (`salt`).
    fn with_salt(seed: u64, name: &str, salt: u64) -> Self {
        // FNV-1a of the name, so the choice per file does not depend on the others.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in name.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        Rng(seed ^ h ^ (salt + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

/// Runs the task from the workspace root and prints the tables.
pub fn run(root: &Path, options: Options) -> anyhow::Result<()> {
    if options.corpus.is_some() {
        return corpus::run(root, &options);
    }
    let per_kind = options.per_kind.unwrap_or(12);
    let started = Instant::now();
    let dir = root.join("tests/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") && n != "README.md")
        .collect();
    names.sort();
    let mut fixtures = Vec::new();
    for name in names {
        let path = dir.join(&name);
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let checked = nianbao_model::check(&bytes);
        let mut line_starts = vec![0];
        line_starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        );
        fixtures.push(Fixture {
            name,
            bytes,
            checked,
            line_starts,
        });
    }
    let mut jobs: Vec<(usize, Edit)> = Vec::new();
    for (fi, fx) in fixtures.iter().enumerate() {
        for kind in Kind::ALL {
            let mut rng = Rng::new(options.seed, &fx.name, kind);
            let mut edits = candidates(fx, kind, &mut rng);
            rng.shuffle(&mut edits);
            edits.truncate(per_kind);
            edits.sort_by_key(|e| e.span.start);
            jobs.extend(edits.into_iter().map(|e| (fi, e)));
        }
    }
    let outcomes = run_all(&fixtures, jobs);
    print!("{}", render(&fixtures, &outcomes, options.seed, per_kind));
    let elapsed = started.elapsed();
    println!(
        "({} edits in {:.1} s)",
        outcomes.len(),
        elapsed.as_secs_f64()
    );
    if cfg!(debug_assertions) && elapsed.as_secs() >= 10 {
        println!("hint: a release build is much faster: cargo run --release -p xtask -- mutate");
    }
    Ok(())
}

/// Checks every edit, on as many threads as there are cores.
fn run_all(fixtures: &[Fixture], jobs: Vec<(usize, Edit)>) -> Vec<Outcome> {
    parallel(&jobs, |(fi, edit)| {
        evaluate(&fixtures[*fi], *fi, edit.clone())
    })
}

/// `f` of every job, on as many threads as there are cores (at most 16), in the jobs' order.
fn parallel<J: Sync, R: Send>(jobs: &[J], f: impl Fn(&J) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .clamp(1, 16);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<(usize, R)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else { break };
                        out.push((i, f(job)));
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// A finding's identity: code, primary span and related spans, in original coordinates.
type Key = (&'static str, (usize, usize), Vec<(usize, usize)>);

fn key(d: &Diagnostic, map: impl Fn(Span) -> Span) -> Key {
    let p = map(d.span);
    let mut related: Vec<(usize, usize)> = d
        .related
        .iter()
        .map(|r| {
            let s = map(r.span);
            (s.start, s.end)
        })
        .collect();
    related.sort_unstable();
    (d.code, (p.start, p.end), related)
}

fn overlaps(a: Span, b: Span) -> bool {
    if a.is_empty() {
        return b.start <= a.start && a.start <= b.end;
    }
    if b.is_empty() {
        return a.start <= b.start && b.start <= a.end;
    }
    a.start < b.end && b.start < a.end
}

fn evaluate(fx: &Fixture, fixture: usize, edit: Edit) -> Outcome {
    let (s, e) = (edit.span.start, edit.span.end);
    let new_end = s + edit.replacement.len();
    let mut bytes = Vec::with_capacity(fx.bytes.len() + edit.replacement.len());
    bytes.extend_from_slice(&fx.bytes[..s]);
    bytes.extend_from_slice(edit.replacement.as_bytes());
    bytes.extend_from_slice(&fx.bytes[e..]);
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
        Span::new(
            back(sp.start, false),
            back(sp.end, true).max(back(sp.start, false)),
        )
    };
    let mut baseline: HashMap<Key, usize> = HashMap::new();
    for d in &fx.checked.diagnostics {
        *baseline.entry(key(d, |x| x)).or_default() += 1;
    }
    let edited_lines = fx.lines(edit.span);
    let tied_lines: Vec<(usize, usize)> = edit.tied.iter().map(|t| fx.lines(*t)).collect();
    let touches = |lines: (usize, usize), sp: (usize, usize)| {
        (lines.0 <= sp.0 && sp.0 <= lines.1) || (lines.0 <= sp.1 && sp.1 <= lines.1)
    };
    let points_at = |sp: Span| -> bool {
        let l = fx.lines(sp);
        overlaps(sp, edit.span)
            || touches(edited_lines, l)
            || edit.tied.iter().any(|t| overlaps(sp, *t))
            || tied_lines.iter().any(|t| touches(*t, l))
    };
    let mutated = nianbao_model::check(&bytes);
    let mut detected_by = Vec::new();
    let mut away = Vec::new();
    for d in &mutated.diagnostics {
        let k = key(d, map);
        if let Some(n) = baseline.get_mut(&k).filter(|n| **n > 0) {
            *n -= 1;
            continue;
        }
        let spans: Vec<Span> = std::iter::once(d.span)
            .chain(d.related.iter().map(|r| r.span))
            .map(map)
            .collect();
        if spans.iter().any(|sp| points_at(*sp)) {
            let family = d.code.get(2..3).unwrap_or("9");
            if ("0"..="5").contains(&family) && !detected_by.contains(&d.code) {
                detected_by.push(d.code);
            }
        } else {
            away.push((d.code, fx.line(map(d.span).start), d.message.en.clone()));
        }
    }
    Outcome {
        edit,
        fixture,
        detected_by,
        away,
    }
}

// ---------------------------------------------------------------------------
// Candidates

fn candidates(fx: &Fixture, kind: Kind, rng: &mut Rng) -> Vec<Edit> {
    match kind {
        Kind::Cell => cells(fx, rng),
        Kind::Figure => figures(fx, rng),
        Kind::Breakdown => breakdown_parts(fx, rng),
        Kind::Rate => rates(fx, rng),
        Kind::DocNumber => doc_numbers(fx),
        Kind::Date => dates(fx, rng),
        Kind::Period => period(fx),
        Kind::Section => sections(fx),
        Kind::Heading => headings(fx),
    }
}

/// The one number written in `span` (ASCII digits with an optional decimal part):
/// its range and text. `None` when there are several, full-width digits or a
/// thousands separator.
fn sole_number(fx: &Fixture, span: Span) -> Option<(Span, String)> {
    let text = fx.text(span);
    if text.chars().any(|c| ('０'..='９').contains(&c)) {
        return None;
    }
    let runs = number_runs(text);
    let [(a, b)] = runs[..] else { return None };
    Some((
        Span::new(span.start + a, span.start + b),
        text[a..b].to_string(),
    ))
}

/// The number a quantity's span starts with.
fn leading_number(fx: &Fixture, span: Span) -> Option<(Span, String)> {
    let text = fx.text(span);
    let runs = number_runs(text);
    let &(a, b) = runs.first()?;
    if a != 0 {
        return None;
    }
    Some((Span::new(span.start, span.start + b), text[..b].to_string()))
}

/// Runs of `\d+(\.\d+)?`; a run next to a `,` between digits (thousands) makes the list empty.
fn number_runs(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        }
        if i + 1 < b.len() && b[i] == b',' && b[i + 1].is_ascii_digit() {
            return Vec::new();
        }
        out.push((start, i));
    }
    out
}

/// `text` + d on its integer part (`4166.24` + 3 → `4169.24`).
fn add_to_integer(text: &str, d: u32) -> Option<String> {
    let (int, frac) = text
        .split_once('.')
        .map_or((text, None), |(i, f)| (i, Some(f)));
    let v: u128 = int.parse().ok()?;
    Some(match frac {
        Some(f) => format!("{}.{f}", v + u128::from(d)),
        None => (v + u128::from(d)).to_string(),
    })
}

fn decimal(text: &str) -> Option<Decimal> {
    text.parse().ok()
}

/// A number's interval, as the rules read it (`d` decimals: ±½·10⁻ᵈ).
fn interval_of(text: &str) -> Option<(Decimal, Option<Decimal>)> {
    let v = decimal(text)?;
    let scale = text.split_once('.').map_or(0, |(_, f)| f.len() as u32);
    let half = if scale == 0 {
        Decimal::ZERO
    } else {
        Decimal::new(5, scale + 1)
    };
    Some((v - half, Some(v + half)))
}

type Interval = (Decimal, Option<Decimal>);

fn signed(t: &Template, cell: &IndicatorCell) -> bool {
    let row = t.row(&cell.row).is_some_and(|r| r.signed);
    let col = t
        .table_of(&cell.row)
        .and_then(|d| {
            d.columns
                .iter()
                .find(|c| Some(c.id.as_str()) == cell.column.as_deref() || *c.id == *cell.row)
        })
        .is_some_and(|c| c.signed);
    row || col
}

/// True when the instance holds, false when it fails, `None` when it cannot be evaluated.
fn holds(
    t: &Template,
    tables: &MappedTables,
    op: Op,
    lhs: &[String],
    rhs: &[String],
    edited: Option<(&str, Interval)>,
) -> Option<bool> {
    let mut sides = [(Decimal::ZERO, Some(Decimal::ZERO)); 2];
    let mut numbers = 0;
    for (k, ids) in [lhs, rhs].iter().enumerate() {
        for id in ids.iter() {
            let cell = tables.get(id)?;
            let i: Interval = match (edited, &cell.value) {
                (Some((e, i)), _) if e == id => {
                    numbers += 1;
                    i
                }
                (_, CellValue::Number(q)) => {
                    numbers += 1;
                    q.interval()
                }
                (_, CellValue::Blank | CellValue::Dash) if !signed(t, cell) => {
                    (Decimal::ZERO, None)
                }
                _ => return None,
            };
            sides[k] = (sides[k].0 + i.0, sides[k].1.zip(i.1).map(|(a, b)| a + b));
        }
    }
    if numbers == 0 {
        return None;
    }
    let [(llo, lhi), (rlo, rhi)] = sides;
    let lt = |a: Option<Decimal>, b: Decimal| a.is_some_and(|a| a < b);
    let fails = match op {
        Op::Eq => lt(lhi, rlo) || lt(rhi, llo),
        Op::Le => lt(rhi, llo),
        Op::Ge => lt(lhi, rlo),
    };
    Some(!fails)
}

fn cells(fx: &Fixture, rng: &mut Rng) -> Vec<Edit> {
    let Some(t) = fx.template() else {
        return Vec::new();
    };
    let tables = &fx.checked.report.tables;
    let mut instances: Vec<(Op, Vec<String>, Vec<String>)> = Vec::new();
    for r in &t.relations {
        let Some(op) = r.op else { continue };
        if r.confidence != Confidence::S
            || !r.enforce
            || matches!(r.kind, RelationKind::CrossYear | RelationKind::Unit)
        {
            continue;
        }
        for (l, rr) in expand(t, r) {
            if holds(t, tables, op, &l, &rr, None) == Some(true) {
                instances.push((op, l, rr));
            }
        }
    }
    let mut out = Vec::new();
    for cell in &tables.cells {
        let CellValue::Number(q) = &cell.value else {
            continue;
        };
        let id = cell.id();
        let mine: Vec<&(Op, Vec<String>, Vec<String>)> = instances
            .iter()
            .filter(|(_, l, r)| l.contains(&id) || r.contains(&id))
            .collect();
        if mine.is_empty() {
            continue;
        }
        let Some((at, old)) = sole_number(fx, cell.span) else {
            continue;
        };
        if decimal(&old) != Some(q.value) {
            continue;
        }
        let times_ten = !old.contains('.') && !q.value.is_zero() && rng.below(4) == 0;
        let d = 1 + rng.below(9) as u32;
        let Some(new) = (if times_ten {
            Some(format!("{old}0"))
        } else {
            add_to_integer(&old, d)
        }) else {
            continue;
        };
        let Some(i) = interval_of(&new) else { continue };
        let caught = mine
            .iter()
            .any(|(op, l, r)| holds(t, tables, *op, l, r, Some((&id, i))) == Some(false));
        if !caught {
            continue;
        }
        let mut tied: Vec<Span> = mine
            .iter()
            .flat_map(|(_, l, r)| l.iter().chain(r))
            .filter(|o| **o != id)
            .filter_map(|o| tables.get(o).map(|c| c.span))
            .collect();
        tied.extend(
            fx.checked
                .report
                .links
                .iter()
                .filter(|l| l.cells.contains(&id))
                .map(|l| l.span),
        );
        out.push(Edit {
            kind: Kind::Cell,
            span: at,
            replacement: new.clone(),
            tied,
            what: format!("cell {id} “{}” {old} → {new}", one_line(&cell.label)),
        });
    }
    out
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join("")
}

/// Places tied to a quantity of the narrative (see the module doc).
fn quantity_ties(fx: &Fixture, qi: usize) -> Vec<Span> {
    let report = &fx.checked.report;
    let facts: &Facts = &report.facts;
    let span = |i: usize| facts.quantities[i].place.span;
    let mut out = Vec::new();
    for l in report.links.iter().filter(|l| l.quantity == Some(qi)) {
        out.extend(
            l.cells
                .iter()
                .filter_map(|c| report.tables.get(c).map(|c| c.span)),
        );
    }
    for b in &facts.breakdowns {
        if b.total == qi || b.parts.contains(&qi) {
            out.push(span(b.total));
            out.extend(b.parts.iter().map(|&p| span(p)));
        }
    }
    for r in &facts.rates {
        if [r.rate, r.part, r.whole].contains(&qi) {
            out.extend([span(r.rate), span(r.part), span(r.whole)]);
        }
    }
    out
}

fn figures(fx: &Fixture, rng: &mut Rng) -> Vec<Edit> {
    let report = &fx.checked.report;
    let mut out = Vec::new();
    for link in &report.links {
        let Some(qi) = link.quantity else { continue };
        let q = &report.facts.quantities[qi];
        if q.in_words || q.quantity.approx != Approx::Exact {
            continue;
        }
        let all_numbers = link.cells.iter().all(|c| {
            report
                .tables
                .get(c)
                .is_some_and(|c| matches!(c.value, CellValue::Number(_)))
        });
        let contradicted = fx
            .checked
            .diagnostics
            .iter()
            .any(|d| d.code == "NB301" && d.span == link.span);
        if !all_numbers || contradicted {
            continue;
        }
        let Some((at, old)) = leading_number(fx, q.place.span) else {
            continue;
        };
        if decimal(&old) != Some(q.quantity.value) {
            continue;
        }
        let Some(new) = add_to_integer(&old, 1 + rng.below(9) as u32) else {
            continue;
        };
        out.push(Edit {
            kind: Kind::Figure,
            span: at,
            replacement: new.clone(),
            tied: quantity_ties(fx, qi),
            what: format!(
                "figure “{}” {old} → {new} (cells {})",
                one_line(&link.phrase),
                link.cells.join(" + ")
            ),
        });
    }
    out
}

fn breakdown_parts(fx: &Fixture, rng: &mut Rng) -> Vec<Edit> {
    let facts = &fx.checked.report.facts;
    let q = &facts.quantities;
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for b in &facts.breakdowns {
        let exact = std::iter::once(&b.total)
            .chain(&b.parts)
            .all(|&i| q[i].quantity.approx == Approx::Exact && !q[i].in_words);
        let sum: Decimal = b.parts.iter().map(|&i| q[i].quantity.value).sum();
        if !exact || sum != q[b.total].quantity.value {
            continue;
        }
        for &p in &b.parts {
            if seen.contains(&p) {
                continue;
            }
            seen.push(p);
            let Some((at, old)) = leading_number(fx, q[p].place.span) else {
                continue;
            };
            if decimal(&old) != Some(q[p].quantity.value) {
                continue;
            }
            let Some(new) = add_to_integer(&old, 1 + rng.below(9) as u32) else {
                continue;
            };
            let unit = q[p].quantity.unit.as_deref().unwrap_or("");
            out.push(Edit {
                kind: Kind::Breakdown,
                span: at,
                replacement: new.clone(),
                tied: quantity_ties(fx, p),
                what: format!(
                    "part {old}{unit} → {new}{unit} of the total {}{unit}",
                    q[b.total].quantity.value
                ),
            });
        }
    }
    out
}

fn rates(fx: &Fixture, rng: &mut Rng) -> Vec<Edit> {
    let facts = &fx.checked.report.facts;
    let q = &facts.quantities;
    let mut out = Vec::new();
    for r in &facts.rates {
        let (rate, part, whole) = (&q[r.rate], &q[r.part], &q[r.whole]);
        if rate.quantity.approx != Approx::Exact || whole.quantity.value.is_zero() {
            continue;
        }
        let actual = part.quantity.value * Decimal::from(100) / whole.quantity.value;
        let step = Decimal::new(1, rate.quantity.scale);
        if (actual - rate.quantity.value).abs() >= step {
            continue;
        }
        let Some((at, old)) = leading_number(fx, rate.place.span) else {
            continue;
        };
        if decimal(&old) != Some(rate.quantity.value) {
            continue;
        }
        let first = 1 + rng.below(9) as u32;
        let new = (first..=9).chain(1..first).find_map(|d| {
            let new = add_to_integer(&old, d)?;
            ((actual - decimal(&new)?).abs() >= step).then_some(new)
        });
        let Some(new) = new else { continue };
        out.push(Edit {
            kind: Kind::Rate,
            span: at,
            replacement: new.clone(),
            tied: quantity_ties(fx, r.rate),
            what: format!(
                "rate {old}% → {new}% ({} / {})",
                part.quantity.value, whole.quantity.value
            ),
        });
    }
    out
}

fn doc_numbers(fx: &Fixture) -> Vec<Edit> {
    let mut out = Vec::new();
    for d in &fx.checked.report.facts.doc_numbers {
        if !d.has_standard_brackets() {
            continue;
        }
        let text = fx.text(d.place.span);
        let (Some(open), Some(close)) = (text.find('〔'), text.find('〕')) else {
            continue;
        };
        if close < open {
            continue;
        }
        let year = &text[open + '〔'.len_utf8()..close];
        let at = Span::new(
            d.place.span.start + open,
            d.place.span.start + close + '〕'.len_utf8(),
        );
        out.push(Edit {
            kind: Kind::DocNumber,
            span: at,
            replacement: format!("[{year}]"),
            tied: Vec::new(),
            what: format!("文号 {text} → brackets []"),
        });
    }
    out
}

fn dates(fx: &Fixture, rng: &mut Rng) -> Vec<Edit> {
    let mut out = Vec::new();
    for d in &fx.checked.report.facts.dates {
        let text = fx.text(d.place.span);
        let runs = number_runs(text);
        let want = if d.date.day > 0 { 3 } else { 2 };
        if runs.len() != want {
            continue;
        }
        let value = |k: usize| text[runs[k].0..runs[k].1].parse::<u32>().ok();
        if value(1) != Some(d.date.month) || (want == 3 && value(2) != Some(d.date.day)) {
            continue;
        }
        let (k, new) = if want == 3 && rng.below(2) == 0 {
            (2, "32")
        } else {
            (1, "13")
        };
        let at = Span::new(
            d.place.span.start + runs[k].0,
            d.place.span.start + runs[k].1,
        );
        out.push(Edit {
            kind: Kind::Date,
            span: at,
            replacement: new.to_string(),
            tied: Vec::new(),
            what: format!(
                "date {} → {}{new}{}",
                one_line(text),
                one_line(&text[..runs[k].0]),
                one_line(&text[runs[k].1..])
            ),
        });
    }
    out
}

fn period(fx: &Fixture) -> Vec<Edit> {
    let report = &fx.checked.report;
    let (Some(p), Some(year)) = (report.period(), report.year()) else {
        return Vec::new();
    };
    if fx.checked.diagnostics.iter().any(|d| d.code == "NB105") {
        return Vec::new();
    }
    let at = Span::new(p.span.start, p.span.start + 4);
    if fx.bytes.len() < at.end || fx.text(at).parse::<i32>().ok() != Some(p.start.year) {
        return Vec::new();
    }
    vec![Edit {
        kind: Kind::Period,
        span: at,
        replacement: (p.start.year - 1).to_string(),
        tied: Vec::new(),
        what: format!(
            "period start {} → {} (report year {year})",
            p.start.year,
            p.start.year - 1
        ),
    }]
}

/// Every section of the outline, depth first.
fn all_sections(outline: &[Section]) -> Vec<&Section> {
    let mut out = Vec::new();
    fn walk<'a>(s: &'a Section, out: &mut Vec<&'a Section>) {
        out.push(s);
        s.children.iter().for_each(|c| walk(c, out));
    }
    outline.iter().for_each(|s| walk(s, &mut out));
    out
}

/// The whole line(s) of a heading, newline included, when the heading is alone on them.
fn heading_line(fx: &Fixture, s: &Section) -> Option<Span> {
    let start = fx.line_starts[fx.line(s.title_span.start) - 1];
    let last = fx.line(s.title_span.end.saturating_sub(1).max(s.title_span.start));
    let end = fx.line_starts.get(last).copied().unwrap_or(fx.bytes.len());
    let line = Span::new(start, end);
    let strip = |t: &str| -> String {
        t.chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '#' | '*' | '_' | '>'))
            .collect()
    };
    (strip(fx.text(line)) == strip(&format!("{}{}", s.marker(), s.title()))).then_some(line)
}

fn sections(fx: &Fixture) -> Vec<Edit> {
    let report = &fx.checked.report;
    let Some(t) = fx.template() else {
        return Vec::new();
    };
    if !report.format.starts_with("national") {
        return Vec::new();
    }
    let government = report.issuer().is_none_or(is_government);
    let level1: Vec<&Section> = all_sections(&fx.checked.parsed.outline)
        .into_iter()
        .filter(|s| s.level == 1)
        .collect();
    let names = |s: &Section, keywords: &[String]| {
        let title = normalize(s.title());
        keywords.iter().any(|k| title.contains(&normalize(k)))
    };
    let title_span = report.front.title.as_ref().map(|f| f.span);
    let mut out = Vec::new();
    for (i, s) in level1.iter().enumerate() {
        let req = t.format.required_sections.iter().find(|r| {
            r.level == Some(1)
                && r.body_keywords.is_empty()
                && (r.applies_to == nianbao_model::template::AppliesTo::All || government)
                && names(s, &r.keywords)
                && level1
                    .iter()
                    .enumerate()
                    .all(|(j, o)| j == i || !names(o, &r.keywords))
        });
        let Some(req) = req else { continue };
        let Some(line) = heading_line(fx, s) else {
            continue;
        };
        let mut tied: Vec<Span> = title_span.into_iter().collect();
        tied.extend(level1.get(i + 1).map(|n| n.title_span));
        // Its level-2 sections now continue the list of the section before.
        tied.extend(
            s.children
                .iter()
                .filter(|c| c.level == 2)
                .map(|c| c.title_span),
        );
        out.push(Edit {
            kind: Kind::Section,
            span: line,
            replacement: String::new(),
            tied,
            what: format!(
                "deleted heading “{}{}” (required: {})",
                s.marker(),
                one_line(s.title()),
                req.id
            ),
        });
    }
    out
}

const CN: [&str; 21] = [
    "〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三",
    "十四", "十五", "十六", "十七", "十八", "十九", "二十",
];

fn headings(fx: &Fixture) -> Vec<Edit> {
    let mut out = Vec::new();
    let mut lists: Vec<&[Section]> = vec![&fx.checked.parsed.outline];
    lists.extend(
        all_sections(&fx.checked.parsed.outline)
            .into_iter()
            .map(|s| s.children.as_slice()),
    );
    for list in lists {
        let group: Vec<&Section> = list.iter().filter(|s| s.level == 2).collect();
        let clean = group
            .iter()
            .enumerate()
            .all(|(k, s)| s.number as usize == k + 1);
        if !clean {
            continue;
        }
        for (k, s) in group.iter().enumerate() {
            let n = s.number as usize;
            if n < 2 || n + 1 >= CN.len() {
                continue;
            }
            let at = s.title_span.start;
            if !fx.bytes[at..].starts_with(s.marker().as_bytes()) {
                continue;
            }
            let Some(p) = s.marker().find(CN[n]) else {
                continue;
            };
            let span = Span::new(at + p, at + p + CN[n].len());
            let new = s.marker().replacen(CN[n], CN[n + 1], 1);
            out.push(Edit {
                kind: Kind::Heading,
                span,
                replacement: CN[n + 1].to_string(),
                tied: group.get(k + 1).map(|x| x.title_span).into_iter().collect(),
                what: format!(
                    "heading {}{} → {new}",
                    s.marker(),
                    one_line(s.title()).chars().take(16).collect::<String>()
                ),
            });
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Report

fn percent(a: usize, b: usize) -> String {
    if b == 0 {
        "—".to_string()
    } else {
        format!("{:.1}%", a as f64 * 100.0 / b as f64)
    }
}

/// `s` padded to `width` columns (CJK characters take two).
fn pad(s: &str, width: usize) -> String {
    let w: usize = s
        .chars()
        .map(|c| if u32::from(c) >= 0x2E80 { 2 } else { 1 })
        .sum();
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// The codes that detected the edits, most frequent first (`NB201 40, NB203 12`).
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

fn render(fixtures: &[Fixture], outcomes: &[Outcome], seed: u64, per_kind: usize) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "mutation run: seed {seed}, at most {per_kind} edits per kind and fixture, {} fixtures\n",
        fixtures.len()
    );
    let row = |s: &mut String, name: &str, of: &[&Outcome], by: bool| {
        let n = of.len();
        let det = of.iter().filter(|o| !o.detected_by.is_empty()).count();
        let away: usize = of.iter().map(|o| o.away.len()).sum();
        let with_away = of.iter().filter(|o| !o.away.is_empty()).count();
        let _ = write!(
            s,
            "| {} | {n:>5} | {det:>8} | {:>6} | {away:>8} | {with_away:>15} |",
            pad(name, 33),
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
            "| {} | edits | detected |  share | new away | edits with away |{}",
            pad(first, 33),
            if by { " detected by (edits)" } else { "" }
        );
        let _ = writeln!(
            s,
            "|{}|-------|----------|--------|----------|-----------------|{}",
            "-".repeat(35),
            if by { "---------------------" } else { "" }
        );
    };
    header(&mut s, "edit kind", true);
    for kind in Kind::ALL {
        let of: Vec<&Outcome> = outcomes.iter().filter(|o| o.edit.kind == kind).collect();
        row(&mut s, kind.name(), &of, true);
    }
    let all: Vec<&Outcome> = outcomes.iter().collect();
    row(&mut s, "all", &all, true);
    s.push('\n');
    header(&mut s, "fixture", false);
    for (fi, fx) in fixtures.iter().enumerate() {
        let of: Vec<&Outcome> = outcomes.iter().filter(|o| o.fixture == fi).collect();
        row(&mut s, &fx.name, &of, false);
    }
    let detected = outcomes
        .iter()
        .filter(|o| !o.detected_by.is_empty())
        .count();
    let away: usize = outcomes.iter().map(|o| o.away.len()).sum();
    let _ = writeln!(
        s,
        "\ndetected: {detected}/{} ({})",
        outcomes.len(),
        percent(detected, outcomes.len())
    );
    let _ = writeln!(s, "new findings away from the edit: {away}");

    let missed: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| o.detected_by.is_empty())
        .collect();
    if missed.is_empty() {
        let _ = writeln!(s, "\nundetected edits: none");
    } else {
        let _ = writeln!(
            s,
            "\nundetected edits ({} in all; the first 20):",
            missed.len()
        );
        for o in missed.iter().take(20) {
            let fx = &fixtures[o.fixture];
            let _ = writeln!(
                s,
                "  {}:{} [{}] {}",
                fx.name,
                fx.line(o.edit.span.start),
                o.edit.kind.name(),
                o.edit.what
            );
        }
    }
    let alarms: Vec<(&Outcome, &(&'static str, usize, String))> = outcomes
        .iter()
        .flat_map(|o| o.away.iter().map(move |a| (o, a)))
        .collect();
    if !alarms.is_empty() {
        let _ = writeln!(
            s,
            "\nnew findings away from the edit ({} in all; the first 20):",
            alarms.len()
        );
        for (o, (code, line, msg)) in alarms.iter().take(20) {
            let fx = &fixtures[o.fixture];
            let _ = writeln!(
                s,
                "  {}:{line} {code} {msg}\n      after [{}] at line {}: {}",
                fx.name,
                o.edit.kind.name(),
                fx.line(o.edit.span.start),
                o.edit.what
            );
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_text() {
        assert_eq!(number_runs("81"), vec![(0, 2)]);
        assert_eq!(number_runs("4166.241619万元"), vec![(0, 11)]);
        assert!(number_runs("1,234").is_empty());
        assert_eq!(add_to_integer("4166.24", 3).as_deref(), Some("4169.24"));
        assert_eq!(add_to_integer("9", 1).as_deref(), Some("10"));
    }

    #[test]
    fn args() {
        let default = Path::new("tests/corpus");
        let o = parse_args(&["--seed", "7", "--per-kind", "3"], default).expect("valid");
        assert_eq!((o.seed, o.per_kind, o.corpus), (7, Some(3), None));
        assert!(parse_args(&["--seed"], default).is_none());
        assert!(parse_args(&["--bogus"], default).is_none());
        let o = parse_args(&["--corpus", "--seed", "2"], default).expect("valid");
        assert_eq!((o.seed, o.corpus.as_deref()), (2, Some(default)));
        let o =
            parse_args(&["--corpus", "other", "--nianbao", "bin/nianbao"], default).expect("valid");
        assert_eq!(o.corpus.as_deref(), Some(Path::new("other")));
        assert_eq!(o.nianbao.as_deref(), Some(Path::new("bin/nianbao")));
        // The binary checks the corpus's edits only: alone, it would be ignored.
        assert!(parse_args(&["--nianbao", "bin/nianbao"], default).is_none());
    }
}
