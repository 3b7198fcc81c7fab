//! `cargo xtask bench-batch [N]`: the batch run an evaluator makes.
//!
//! Copies the fixtures round-robin into N files (default 2,000) in a temporary
//! directory, builds the release `nianbao`, and runs
//! `nianbao check DIR --format json -o /dev/null --fail-on never` under
//! `/usr/bin/time -v` (wall time and peak memory). In the same run it parses the
//! same bytes with pulldown-cmark (read from the same files, one thread) and
//! prints both throughputs and their ratio. Numbers only: nothing is asserted.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context};

/// Runs the benchmark.
pub fn run(root: &Path, n: usize) -> anyhow::Result<()> {
    let fixtures: Vec<_> = std::fs::read_dir(root.join("tests/fixtures"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            p.is_file()
                && name != "README.md"
                && (name.ends_with(".md") || name.ends_with(".html") || name.ends_with(".txt"))
        })
        .collect();
    if fixtures.is_empty() {
        bail!("no fixtures under tests/fixtures");
    }
    let dir = std::env::temp_dir().join(format!("nianbao-bench-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let mut total_bytes = 0u64;
    for i in 0..n {
        let src = &fixtures[i % fixtures.len()];
        let ext = src.extension().and_then(|e| e.to_str()).unwrap_or("md");
        let dst = dir.join(format!("report-{i:05}.{ext}"));
        total_bytes += std::fs::copy(src, &dst)?;
    }
    println!(
        "{n} reports, {:.1} MB in {}",
        total_bytes as f64 / 1e6,
        dir.display()
    );

    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "-p", "nianbao-cli"])
        .current_dir(root)
        .status()?;
    if !status.success() {
        bail!("cargo build --release -p nianbao-cli failed");
    }
    let nianbao = root.join("target/release/nianbao");
    let started = Instant::now();
    let out = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(&nianbao)
        .args([
            "check",
            "--format",
            "json",
            "-o",
            "/dev/null",
            "--fail-on",
            "never",
        ])
        .arg(&dir)
        .output()
        .context("run /usr/bin/time -v nianbao check")?;
    let wall = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let peak_kb: u64 = stderr
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    if !out.status.success() {
        bail!("nianbao check failed: {stderr}");
    }

    let started = Instant::now();
    let mut events = 0usize;
    for entry in std::fs::read_dir(&dir)? {
        let bytes = std::fs::read(entry?.path())?;
        let text = String::from_utf8_lossy(&bytes);
        events += pulldown_cmark::Parser::new_ext(&text, pulldown_cmark::Options::all()).count();
    }
    let pulldown = started.elapsed().as_secs_f64();
    std::hint::black_box(events);

    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("nianbao check ({threads} threads): {wall:.2} s, {:.0} reports/s, {:.1} MB/s, peak memory {:.0} MB", n as f64 / wall, total_bytes as f64 / 1e6 / wall, peak_kb as f64 / 1024.0);
    println!(
        "pulldown-cmark (1 thread):  {pulldown:.2} s, {:.0} reports/s, {:.1} MB/s",
        n as f64 / pulldown,
        total_bytes as f64 / 1e6 / pulldown
    );
    println!(
        "ratio nianbao / pulldown-cmark throughput: {:.3}",
        pulldown / wall
    );
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
