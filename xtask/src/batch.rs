//! `cargo xtask bench-batch [N]`: the batch run an evaluator makes.
//!
//! Copies the fixtures round-robin into N files (default 2,000) in a temporary
//! directory. Each copy's issuer is made its own (a tag of heavenly stems, 甲乙丙…,
//! put before the issuer's name in the title, so its kind — government or
//! department — stays), so no two copies are the same body's reports of
//! consecutive years: the run measures the checking of each report, not the
//! comparison of one year with the next.
//!
//! Then, in one run, side by side:
//! - `nianbao check DIR --format json -o /dev/null --fail-on never --no-copy-across`
//!   with the release binary on every core (the copies share their text, so across
//!   the run each would name another as copied; that comparison is left out), under `/usr/bin/time -v` (wall and CPU time, peak memory);
//! - pulldown-cmark iterating its events over the same bytes (read from the same
//!   files, one thread);
//! - the same checks in this process on one thread, under a counting allocator:
//!   allocations and bytes allocated per KiB of input for the whole check (each file
//!   read, checked, and made into its `nianbao.check/2` entry; writing the document
//!   is left out), beside pulldown-cmark's own under the same allocator.
//!
//! Prints the throughputs, the ratio to pulldown-cmark (all cores, and per core from
//! the CPU time), and the allocation figures. Numbers only: nothing is asserted.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context};
use stats_alloc::{Region, StatsAlloc};

/// Counts every allocation of this process (the allocation figures of `bench-batch`).
#[global_allocator]
static ALLOCATOR: &StatsAlloc<std::alloc::System> = &stats_alloc::INSTRUMENTED_SYSTEM;

/// Heavenly stems for the copies' tags: CJK characters that are no numerals (a
/// tag must not read as a year) and end no issuer's kind.
const STEMS: [char; 10] = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'];

/// The tag of copy `i`: its digits as stems (`12` → `乙丙`).
fn tag(i: usize) -> String {
    i.to_string()
        .bytes()
        .map(|d| STEMS[usize::from(d - b'0')])
        .collect()
}

/// The fixture's bytes with `tag` put before the issuer's name in its title; the
/// bytes unchanged when the title names no issuer or the file is not UTF-8 (then
/// it has no pairing key, or keeps the fixture's).
fn with_issuer_tag(
    bytes: &[u8],
    title: Option<(usize, usize)>,
    issuer: &str,
    tag: &str,
) -> Vec<u8> {
    let Some((start, end)) = title else {
        return bytes.to_vec();
    };
    let at = bytes
        .get(start..end)
        .and_then(|t| std::str::from_utf8(t).ok())
        .and_then(|t| t.find(issuer));
    match at {
        Some(at) => {
            let mut out = Vec::with_capacity(bytes.len() + tag.len());
            out.extend_from_slice(&bytes[..start + at]);
            out.extend_from_slice(tag.as_bytes());
            out.extend_from_slice(&bytes[start + at..]);
            out
        }
        None => bytes.to_vec(),
    }
}

/// The fixtures the copies are made of: reports, not the README.
fn fixtures(root: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut fixtures: Vec<_> = std::fs::read_dir(root.join("tests/fixtures"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            p.is_file()
                && name != "README.md"
                && (name.ends_with(".md") || name.ends_with(".html") || name.ends_with(".txt"))
        })
        .collect();
    fixtures.sort();
    if fixtures.is_empty() {
        bail!("no fixtures under tests/fixtures");
    }
    Ok(fixtures)
}

/// What `/usr/bin/time -v` said of a run.
struct Timed {
    wall: f64,
    cpu: f64,
    peak_kb: u64,
}

fn time_v(stderr: &str, key: &str) -> Option<f64> {
    stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix(key))
        .and_then(|v| v.trim().parse().ok())
}

/// Runs `nianbao check DIR` under `/usr/bin/time -v`.
fn run_nianbao(nianbao: &Path, dir: &Path) -> anyhow::Result<Timed> {
    let started = Instant::now();
    let out = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(nianbao)
        .args([
            "check",
            "--format",
            "json",
            "-o",
            "/dev/null",
            "--fail-on",
            "never",
            // The copies share their text: across the run every one would be a
            // copy of the others (NB607), and each would be checked again with
            // that finding. The bench measures the checking of each report.
            "--no-copy-across",
        ])
        .arg(dir)
        .output()
        .context("run /usr/bin/time -v nianbao check")?;
    let wall = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        bail!("nianbao check failed: {stderr}");
    }
    let user = time_v(&stderr, "User time (seconds): ").unwrap_or(0.0);
    let system = time_v(&stderr, "System time (seconds): ").unwrap_or(0.0);
    let peak_kb = time_v(&stderr, "Maximum resident set size (kbytes): ").unwrap_or(0.0) as u64;
    Ok(Timed {
        wall,
        cpu: user + system,
        peak_kb,
    })
}

/// The copies' files, in order.
fn copies(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    files.sort();
    Ok(files)
}

/// pulldown-cmark over every file, one thread: seconds and events.
fn run_pulldown(files: &[PathBuf]) -> anyhow::Result<(f64, usize)> {
    let started = Instant::now();
    let mut events = 0usize;
    for path in files {
        let bytes = std::fs::read(path)?;
        let text = String::from_utf8_lossy(&bytes);
        events += pulldown_cmark::Parser::new_ext(&text, pulldown_cmark::Options::all()).count();
    }
    Ok((
        started.elapsed().as_secs_f64(),
        std::hint::black_box(events),
    ))
}

/// Allocations and bytes allocated by `work`, and its seconds.
fn counted<T>(
    work: impl FnOnce() -> anyhow::Result<T>,
) -> anyhow::Result<(T, stats_alloc::Stats, f64)> {
    let region = Region::new(ALLOCATOR);
    let started = Instant::now();
    let value = work()?;
    let seconds = started.elapsed().as_secs_f64();
    Ok((value, region.change(), seconds))
}

/// Checks every file in this process, one thread, as `nianbao check` does each
/// (read, check, its entry of the JSON document); returns how many copies would
/// pair with another as last year's report (0: the copies are distinct).
fn check_in_process(files: &[PathBuf]) -> anyhow::Result<usize> {
    let mut keys: Vec<(String, i32)> = Vec::new();
    for path in files {
        let bytes = std::fs::read(path)?;
        let checked = nianbao_model::check_owned(bytes);
        let entry = nianbao_model::output::ReportEntry::new(
            path.display().to_string(),
            &checked,
            nianbao_model::settings::Lang::Zh,
        );
        std::hint::black_box(&entry);
        if let (Some(issuer), Some(year)) = (checked.report.issuer(), checked.report.year()) {
            keys.push((nianbao_model::cross::issuer_key(issuer), year));
        }
    }
    let all: HashSet<&(String, i32)> = keys.iter().collect();
    Ok(keys
        .iter()
        .filter(|(k, y)| all.contains(&(k.clone(), y - 1)))
        .count())
}

/// Runs the benchmark: in an optimised build of this program (`cargo xtask` builds
/// a debug one, whose pulldown-cmark, in-process checks and allocation counts say
/// nothing of a release build).
pub fn run(root: &Path, n: usize) -> anyhow::Result<()> {
    if cfg!(debug_assertions) {
        let status = Command::new(env!("CARGO"))
            .args([
                "run",
                "--release",
                "--package",
                "xtask",
                "--",
                "bench-batch",
            ])
            .arg(n.to_string())
            .current_dir(root)
            .status()?;
        if !status.success() {
            bail!("the release build of xtask bench-batch failed");
        }
        return Ok(());
    }
    let fixtures = fixtures(root)?;
    // Each fixture's title and issuer, found once.
    let mut sources = Vec::with_capacity(fixtures.len());
    for path in &fixtures {
        let bytes = std::fs::read(path)?;
        let checked = nianbao_model::check(&bytes);
        let front = &checked.report.front;
        let title = front.title.as_ref().map(|t| (t.span.start, t.span.end));
        let issuer = front.issuer.clone().unwrap_or_default();
        sources.push((path, bytes, title, issuer));
    }
    let dir = std::env::temp_dir().join(format!("nianbao-bench-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let mut total_bytes = 0u64;
    for i in 0..n {
        let (src, bytes, title, issuer) = &sources[i % sources.len()];
        let ext = src.extension().and_then(|e| e.to_str()).unwrap_or("md");
        let copy = if issuer.is_empty() {
            bytes.clone()
        } else {
            with_issuer_tag(bytes, *title, issuer, &tag(i))
        };
        total_bytes += copy.len() as u64;
        std::fs::write(dir.join(format!("report-{i:05}.{ext}")), copy)?;
    }
    let mb = total_bytes as f64 / 1e6;
    let kib = total_bytes as f64 / 1024.0;
    println!("{n} reports, {mb:.1} MB in {}", dir.display());

    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "-p", "nianbao-cli"])
        .current_dir(root)
        .status()?;
    if !status.success() {
        bail!("cargo build --release -p nianbao-cli failed");
    }
    let nianbao = root.join("target/release/nianbao");
    let files = copies(&dir)?;

    let checked = run_nianbao(&nianbao, &dir)?;
    let (pulldown, _events) = run_pulldown(&files)?;
    let (paired, check_allocs, in_process) = counted(|| check_in_process(&files))?;
    let (_, pulldown_allocs, _) = counted(|| run_pulldown(&files))?;
    std::fs::remove_dir_all(&dir)?;

    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per_kib = |s: &stats_alloc::Stats| s.allocations as f64 / kib;
    let per_byte = |s: &stats_alloc::Stats| s.bytes_allocated as f64 / total_bytes as f64;
    println!("copies paired as consecutive years of one body: {paired}");
    println!(
        "nianbao check ({threads} cores):  {:.2} s wall, {:.2} s CPU, {:.1} MB/s, {:.1} MB/s per CPU second, peak memory {:.0} MB ({:.1}x the input)",
        checked.wall,
        checked.cpu,
        mb / checked.wall,
        mb / checked.cpu,
        checked.peak_kb as f64 / 1024.0,
        checked.peak_kb as f64 * 1024.0 / total_bytes as f64,
    );
    println!(
        "nianbao check, in process (1 thread): {in_process:.2} s, {:.1} MB/s",
        mb / in_process
    );
    println!(
        "pulldown-cmark (1 thread):  {pulldown:.2} s, {:.1} MB/s",
        mb / pulldown
    );
    println!(
        "ratio nianbao / pulldown-cmark throughput: {:.3} ({threads} cores), {:.3} per core (CPU time), {:.3} in process (1 thread)",
        pulldown / checked.wall,
        pulldown / checked.cpu,
        pulldown / in_process,
    );
    println!(
        "allocations per KiB of input: nianbao check {:.1} ({:.1} bytes allocated per input byte, {:.1} reallocations per KiB), pulldown-cmark {:.2}",
        per_kib(&check_allocs),
        per_byte(&check_allocs),
        check_allocs.reallocations as f64 / kib,
        per_kib(&pulldown_allocs),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_stems_and_distinct() {
        assert_eq!(tag(0), "甲");
        assert_eq!(tag(12), "乙丙");
        assert_ne!(tag(1), tag(10));
    }

    #[test]
    fn the_tag_goes_before_the_issuer_in_the_title() {
        let text = "# 平潭综合实验区2024年政府信息公开工作年度报告\n\n平潭综合实验区……";
        let bytes = text.as_bytes();
        let title = Some((2, text.find('\n').unwrap_or(text.len())));
        let out = with_issuer_tag(bytes, title, "平潭综合实验区", "乙丙");
        let out = String::from_utf8(out).unwrap_or_default();
        assert!(out.starts_with("# 乙丙平潭综合实验区2024年"));
        assert!(out.ends_with("\n\n平潭综合实验区……"));
        let checked = nianbao_model::check(out.as_bytes());
        assert_eq!(checked.report.issuer(), Some("乙丙平潭综合实验区"));
        assert_eq!(checked.report.year(), Some(2024));
    }
}
