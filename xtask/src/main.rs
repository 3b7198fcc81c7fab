//! `cargo xtask`: codegen, corpus runs, benchmarks.
//!
//! `cargo xtask codegen` writes the generated files (`docs/rules.md`);
//! `cargo xtask codegen --check` only compares them and exits 1 when one is stale.
//! `cargo xtask mutate [--seed N] [--per-kind K]` applies single edits to the
//! fixtures and reports how many the checker detects (see [`mutate`]); with
//! `--corpus [DIR] [--nianbao BIN]` it edits the corpus's HTML reports and checks
//! each copy with the release binary.
//! `cargo xtask drafts` writes the Word drafts of `tests/fixtures/drafts/` (see [`drafts`]).
//! `cargo xtask copies [DIR]` prints the copied share of every year-over-year
//! pair of the corpus (see [`copies`]).
//! `cargo xtask corpus [DIR] [--diff] [--bless]` checks the corpus and compares its
//! findings with the reviewed baseline (see [`xtask::corpus`]).

mod batch;
mod copies;
mod drafts;
mod mutate;
mod pathological;

use xtask::corpus;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  codegen [--check]   write docs/rules.md from the diagnostic codes' docs
                      (--check: write nothing, exit 1 when a file is stale)
  mutate [--seed N] [--per-kind K] [--corpus [DIR]] [--nianbao BIN]
                      apply single edits to tests/fixtures/*.md, check each copy and
                      report the share of edits detected and the new findings away
                      from the edit (K: edits per kind and fixture, default 12);
                      --corpus: edit the HTML reports of DIR/html (default
                      tests/corpus; never DIR/txt) instead: a table cell's number, a
                      narrative figure, a date or period, a 文号's brackets, chosen
                      from the text alone, each copy checked by the release binary (or
                      BIN); detected = a new warning or error in the edit's paragraph
                      or table (K: per kind and report, default 12)
  corpus [DIR] [--diff] [--bless] [--nianbao BIN]
                      check every report of DIR (default tests/corpus) with the release
                      binary (or BIN): one line per report, the totals, and the warnings
                      and errors against DIR/baseline.json (exit 1 when they differ or a
                      finding has no verdict); --diff prints only what changed; --bless
                      rewrites the baseline, keeping the verdicts it had and marking new
                      findings unreviewed
  drafts              write the Word drafts tests/fixtures/drafts/*.docx: a copy of the
                      2021 template filled with a fixture's text and figures, one with
                      a tracked change, one with a table split at a page break; with
                      LibreOffice (soffice) also one saved from HTML, and a PDF of
                      pingtan-2024.docx as a check (skipped with a message without it)
  copies [DIR]        the copied share (NB605–NB607) of every year-over-year pair of
                      DIR (default tests/corpus; files from its MANIFEST.tsv): issuer,
                      years, files, own characters, share, the most-copied section;
                      then each report's closest other report, in Markdown tables
  bench-batch [N]     check N copies of the fixtures (default 2000; each copy's issuer
                      made its own) with the release binary on every core under
                      /usr/bin/time -v, beside pulldown-cmark on the same bytes: the
                      throughput ratio (all cores and per core), peak memory, and the
                      allocations per KiB of input of the check (counted in process)
  pathological [--copies N] [--full-mb M] [--timeout S] [--only NAME,...] [--no-build]
               [--nianbao PATH]
                      time `check` and `parse` of the release binary on each family of
                      hostile inputs at N copies (default 10000) and 4N (ratio: linear 4,
                      bar 6), and the peak memory at M MB (default 32; bar 8x the input);
                      --nianbao runs another build of the binary
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => match args[1..].iter().map(String::as_str).collect::<Vec<_>>()[..] {
            [] => codegen(false),
            ["--check"] => codegen(true),
            _ => return usage(),
        },
        Some("mutate") => {
            let rest: Vec<&str> = args[1..].iter().map(String::as_str).collect();
            match mutate::parse_args(&rest, &root().join("tests/corpus")) {
                Some(options) => mutate::run(&root(), options).map(|()| ExitCode::SUCCESS),
                None => return usage(),
            }
        }
        Some("corpus") => {
            let rest: Vec<&str> = args[1..].iter().map(String::as_str).collect();
            match corpus_options(&rest) {
                Some(options) => corpus::run(&options).map(|ok| {
                    if ok {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::FAILURE
                    }
                }),
                None => return usage(),
            }
        }
        Some("drafts") if args.len() == 1 => drafts::run(&root()).map(|()| ExitCode::SUCCESS),
        Some("copies") => match args.get(1) {
            None => copies::run(&root().join("tests/corpus")).map(|()| ExitCode::SUCCESS),
            Some(dir) if !dir.starts_with('-') => {
                copies::run(Path::new(dir)).map(|()| ExitCode::SUCCESS)
            }
            Some(_) => return usage(),
        },
        Some("bench-batch") => match args.get(1).map(|n| n.parse::<usize>()) {
            None => batch::run(&root(), 2000).map(|()| ExitCode::SUCCESS),
            Some(Ok(n)) if n > 0 => batch::run(&root(), n).map(|()| ExitCode::SUCCESS),
            _ => return usage(),
        },
        Some("pathological") => {
            let rest: Vec<&str> = args[1..].iter().map(String::as_str).collect();
            match pathological::parse_args(&rest) {
                Some(options) => pathological::run_all(&root(), options).map(|ok| {
                    if ok {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::FAILURE
                    }
                }),
                None => return usage(),
            }
        }
        _ => return usage(),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("xtask: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn corpus_options(args: &[&str]) -> Option<corpus::Options> {
    let root = root();
    let mut o = corpus::Options {
        dir: root.join("tests/corpus"),
        diff_only: false,
        bless: false,
        nianbao: root.join("target/release/nianbao"),
    };
    let mut given = false;
    let mut it = args.iter();
    while let Some(&a) = it.next() {
        match a {
            "--diff" => o.diff_only = true,
            "--bless" => o.bless = true,
            "--nianbao" => {
                o.nianbao = PathBuf::from(it.next()?);
                given = true;
            }
            dir if !dir.starts_with('-') => o.dir = PathBuf::from(dir),
            _ => return None,
        }
    }
    if !given {
        // The release binary of this checkout, never a stale one.
        let status = std::process::Command::new(env!("CARGO"))
            .args(["build", "--release", "-p", "nianbao-cli"])
            .current_dir(&root)
            .status()
            .ok()?;
        if !status.success() {
            return None;
        }
    }
    Some(o)
}

fn usage() -> ExitCode {
    eprint!("{USAGE}");
    ExitCode::from(2)
}

/// The workspace root: the parent of this crate's directory.
fn root() -> PathBuf {
    let xtask = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask.parent().unwrap_or(xtask).to_path_buf()
}

/// Every generated file: path relative to the root, and its content.
fn generated() -> Vec<(&'static str, String)> {
    vec![("docs/rules.md", nianbao_model::docs::rules_markdown())]
}

fn codegen(check: bool) -> anyhow::Result<ExitCode> {
    let root = root();
    let mut stale = 0;
    for (rel, content) in generated() {
        let path = root.join(rel);
        let current = std::fs::read_to_string(&path).ok();
        if current.as_deref() == Some(content.as_str()) {
            continue;
        }
        if check {
            eprintln!("{rel} is stale: run `cargo xtask codegen`");
            stale += 1;
        } else {
            std::fs::write(&path, content)
                .with_context(|| format!("writing {}", path.display()))?;
            eprintln!("wrote {rel}");
        }
    }
    Ok(if stale > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
