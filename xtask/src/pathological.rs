//! `cargo xtask pathological`: inputs built to make a checker slow or big, timed at
//! two sizes in one run, with the peak memory of a full-size input.
//!
//! The model is the pathological-input runs of cmark and comrak: every *family* is
//! one piece of a report (an open `《`, a date, a suppression comment, a breakdown, a
//! table row…) repeated. Each family is written at a base number of copies
//! (`--copies`, default 10,000) and at four times that, and the release `nianbao` runs
//! `check --format json` and `parse` on both, one process per run. A linear path
//! takes four times as long on the larger input (ratio 4); the bar is 6 — a quadratic
//! path shows 16. A third input of every family is written at full size (`--full-mb`,
//! default 32 MB), where the process's own base memory no longer counts, and its peak
//! resident memory, read from the operating system (`/usr/bin/time -v`), is divided by
//! the input's size; the bar is 8.
//!
//! Seconds are wall time, the least of up to three runs when a run takes under a
//! second (the machine may be shared). Every run is bounded by `--timeout` (default
//! 120 s; a run that reaches it is shown as `>120`). The output size of each run is
//! counted too: findings are capped per rule, so `check`'s output stays bounded.
//! Nothing is asserted in CI: this is a command; the exit code is 1 when a family is
//! above a bar.
//!
//! Linux only: it needs GNU `time` at `/usr/bin/time` and coreutils `timeout`.

use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context};

/// Linear growth at four times the input gives four times the time; above this is a failure.
const TIME_BAR: f64 = 6.0;
/// Peak resident memory over input size at full size; above this is a failure.
const MEMORY_BAR: f64 = 8.0;

/// Options of the run.
#[derive(Debug)]
pub struct Options {
    /// Copies of the smaller input (the larger has four times as many).
    copies: usize,
    /// Size of the full-size input, in MB (0: no full-size runs).
    full_mb: usize,
    /// Seconds before a run is stopped.
    timeout: u64,
    /// Only the families whose name contains one of these.
    only: Vec<String>,
    /// Do not build the release binary first.
    no_build: bool,
    /// Run this binary instead of the workspace's release build (implies `no_build`).
    binary: Option<PathBuf>,
}

/// Reads `[--copies N] [--full-mb M] [--timeout S] [--only NAME,…] [--no-build] [--nianbao PATH]`.
pub fn parse_args(args: &[&str]) -> Option<Options> {
    let mut options = Options {
        copies: 10_000,
        full_mb: 32,
        timeout: 120,
        only: Vec::new(),
        no_build: false,
        binary: None,
    };
    let mut args = args.iter();
    while let Some(&arg) = args.next() {
        match arg {
            "--copies" => options.copies = args.next()?.parse().ok().filter(|&n| n > 0)?,
            "--full-mb" => options.full_mb = args.next()?.parse().ok()?,
            "--timeout" => options.timeout = args.next()?.parse().ok().filter(|&n| n > 0)?,
            "--only" => options
                .only
                .extend(args.next()?.split(',').map(str::to_string)),
            "--no-build" => options.no_build = true,
            "--nianbao" => options.binary = Some(PathBuf::from(args.next()?)),
            _ => return None,
        }
    }
    Some(options)
}

/// One family: a name, what it is, and how to write `n` copies.
struct Family {
    name: &'static str,
    what: &'static str,
    /// The copies of the smaller input are the base copies divided by this (whole reports are big).
    divisor: usize,
    make: Box<dyn Fn(usize) -> Vec<u8>>,
}

fn repeat(unit: &'static str) -> Box<dyn Fn(usize) -> Vec<u8>> {
    Box::new(move |n| unit.repeat(n).into_bytes())
}

fn wrapped(
    head: &'static str,
    unit: &'static str,
    tail: &'static str,
) -> Box<dyn Fn(usize) -> Vec<u8>> {
    Box::new(move |n| format!("{head}{}{tail}", unit.repeat(n)).into_bytes())
}

/// Every family.
fn families(root: &Path) -> anyhow::Result<Vec<Family>> {
    let report = std::fs::read_to_string(root.join("tests/fixtures/zhongwei-2017.md"))
        .context("reading tests/fixtures/zhongwei-2017.md")?;
    let report_gb: Vec<u8> = encoding_rs::GB18030.encode(&report).0.into_owned();
    let report = report.into_bytes();
    let f = |name, what, make| Family {
        name,
        what,
        divisor: 1,
        make,
    };
    Ok(vec![
        f("book-title-open", "《 on one line", repeat("《")),
        f(
            "book-title-nested",
            "《〈 nested, never closed",
            repeat("《〈"),
        ),
        f("book-titles", "《条例》 on one line", repeat("《条例》")),
        f(
            "dates",
            "2017年1月1日、 on one line",
            repeat("2017年1月1日、"),
        ),
        f(
            "suppressions-one-line",
            "<!-- nianbao: ignore NB401 --> on one line",
            repeat("<!-- nianbao: ignore NB401 -->"),
        ),
        f(
            "suppressions",
            "<!-- nianbao: ignore NB401 --> one per line",
            repeat("<!-- nianbao: ignore NB401 -->\n"),
        ),
        f(
            "suppressed-findings",
            "a suppression above a wrong breakdown, one pair per paragraph",
            repeat("<!-- nianbao: ignore NB401 -->\n共3件，其中2件、2件。\n\n"),
        ),
        f(
            "comments",
            "<!-- 注释 --> one per line",
            repeat("<!-- 注释 -->\n"),
        ),
        f(
            "comment-unclosed",
            "<!-- never closed, one per line",
            repeat("<!-- 注释\n"),
        ),
        f(
            "breakdowns-run-on",
            "主动公开政府信息123条，其中规范性文件4件、 on one line",
            repeat("主动公开政府信息123条，其中规范性文件4件、"),
        ),
        f(
            "breakdowns-lines",
            "主动公开政府信息123条，其中规范性文件4件、 one per line",
            repeat("主动公开政府信息123条，其中规范性文件4件、\n"),
        ),
        f(
            "breakdowns-wrong",
            "共3件，其中2件、2件。 (a finding each) on one line",
            repeat("共3件，其中2件、2件。"),
        ),
        f(
            "rates",
            "收到申请20件，同比增长25%。 on one line",
            repeat("收到申请20件，同比增长25%。"),
        ),
        f(
            "shares",
            "a breakdown with shares, on one line",
            repeat("共100件，其中甲50件，占50%，乙50件，占50%；"),
        ),
        f("percentages", "占1% on one line", repeat("占1%")),
        Family {
            name: "rates-named",
            what: "breakdowns and rates naming their parts, on one line",
            divisor: 1,
            make: Box::new(|n| {
                (0..n)
                    .map(|i| format!("共3件，其中第{i}组甲1件、乙2件，第{i}组甲占33.3%，"))
                    .collect::<String>()
                    .into_bytes()
            }),
        },
        f(
            "statement-years",
            "2016年收到申请12件， in a 2017 report, on one line",
            wrapped(
                "某市2017年政府信息公开工作年度报告\n\n",
                "2016年收到申请12件，",
                "",
            ),
        ),
        f(
            "phrases",
            "a linked phrase repeated, one figure at the end",
            wrapped(
                "某市2017年政府信息公开工作年度报告\n\n",
                "主动公开政府信息",
                "12条。\n",
            ),
        ),
        f(
            "doc-numbers",
            "宁政办发〔2017〕74号、宁政办发[2017]74号 on one line",
            repeat("宁政办发〔2017〕74号、宁政办发[2017]74号"),
        ),
        f(
            "index-numbers",
            "WS01012/2018-01812 on one line",
            repeat("WS01012/2018-01812"),
        ),
        f("close-parens", "） on one line", repeat("）")),
        f("quotes", "“ on one line", repeat("“")),
        f("words-numbers", "两次 on one line", repeat("两次")),
        Family {
            name: "link-brackets",
            what: "'[' * n + '](' * n",
            divisor: 1,
            make: Box::new(|n| format!("{}{}", "[".repeat(n), "](".repeat(n)).into_bytes()),
        },
        f(
            "long-line",
            "本年度共收到申请12件，办结12件。 on one line",
            repeat("本年度共收到申请12件，办结12件。"),
        ),
        f("long-number", "one number of n digits", repeat("1")),
        f("bold", "** on one line", repeat("**")),
        f(
            "many-lines",
            "short lines (16 bytes), one paragraph",
            repeat("政府信息公开。\n"),
        ),
        f(
            "crlf-lines",
            "CRLF lines, one paragraph",
            repeat("本年度共收到申请12件。\r\n"),
        ),
        f(
            "paragraphs",
            "one-line paragraphs",
            repeat("本年度共收到申请12件。\n\n"),
        ),
        f(
            "headings",
            "numbered headings with a line each",
            repeat("一、概述\n\n本年度共收到申请12件。\n\n"),
        ),
        f(
            "page-numbers",
            "page-number lines between lines of text",
            repeat("本年度共收到申请\n\n- 1 -\n\n12件。\n"),
        ),
        f(
            "pipe-tables",
            "small pipe tables",
            repeat("| 项目 | 数量 |\n|---|---|\n| 收到申请 | 12 |\n\n"),
        ),
        f(
            "pipe-table-rows",
            "one pipe table, n rows",
            wrapped("| 项目 | 数量 |\n|---|---|\n", "| 收到申请 | 12 |\n", ""),
        ),
        f(
            "html-table-rows",
            "one <table>, n rows",
            wrapped(
                "<table>\n",
                "<tr><td>收到申请</td><td>12</td></tr>\n",
                "</table>\n",
            ),
        ),
        f(
            "html-tables-nested",
            "<table><tr><td> nested, never closed",
            repeat("<table><tr><td>"),
        ),
        f(
            "text-table-rows",
            "one tab-separated table, n rows",
            wrapped("信息内容\t本年制发件数\n", "规章\t0\n", ""),
        ),
        f(
            "text-tables-alternating",
            "tab-separated rows and text lines alternating, one paragraph",
            repeat("规章\t0\n规章\t0\n正文文字。\n"),
        ),
        f(
            "spaced-columns",
            "columns separated by spaces on one line",
            repeat("规章  0  "),
        ),
        f(
            "html-tables-unclosed",
            "<table><tr><td>1 never closed, one per line",
            repeat("<table><tr><td>1\n"),
        ),
        f(
            "html-tables-inline",
            "a closed <table> and text after it, one per line",
            repeat("<table><tr><td>1</td></tr></table>正文\n"),
        ),
        f("bold-runs", "**粗体** on one line", repeat("**粗体**")),
        f("entities", "&nbsp;&amp; on one line", repeat("&nbsp;&amp;")),
        f("escapes", "\\_ on one line", repeat("\\_")),
        f(
            "html-page-nested",
            "an HTML page of n nested <div>",
            Box::new(|n| {
                format!(
                    "<!DOCTYPE html><html><body>{}本年度共收到申请12件。{}</body></html>",
                    "<div>".repeat(n),
                    "</div>".repeat(n)
                )
                .into_bytes()
            }),
        ),
        f(
            "html-page",
            "an HTML page of n paragraphs",
            wrapped(
                "<!DOCTYPE html><html><head><title>年报</title></head><body>\n",
                "<p>本年度共收到申请12件。</p>\n",
                "</body></html>\n",
            ),
        ),
        Family {
            name: "report",
            what: "tests/fixtures/zhongwei-2017.md repeated",
            divisor: 100,
            make: Box::new(move |n| report.repeat(n)),
        },
        Family {
            name: "report-gb18030",
            what: "the same, in GB18030",
            divisor: 100,
            make: Box::new(move |n| report_gb.repeat(n)),
        },
    ])
}

/// What one run of the binary gave.
#[derive(Clone, Copy, Debug, Default)]
struct Run {
    seconds: f64,
    peak_bytes: u64,
    output_bytes: u64,
    timed_out: bool,
    /// Exit code other than 0 or 1 (2: usage/IO, 101: panic), or killed.
    failed: bool,
}

/// Runs `nianbao ARGS FILE` under `/usr/bin/time -v` and `timeout`.
fn run_once(nianbao: &Path, command: &str, file: &Path, timeout: u64) -> anyhow::Result<Run> {
    let mut cmd = Command::new("/usr/bin/time");
    cmd.arg("-v")
        .arg("timeout")
        .arg("-s")
        .arg("KILL")
        .arg(timeout.to_string())
        .arg(nianbao)
        .arg(command);
    if command == "check" {
        cmd.args(["--format", "json", "--fail-on", "never"]);
    }
    cmd.arg(file)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .context("running /usr/bin/time -v timeout nianbao")?;
    let mut stdout = child.stdout.take().context("child stdout")?;
    let mut stderr = child.stderr.take().context("child stderr")?;
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stderr.read_to_end(&mut s);
        s
    });
    // Count the output without keeping it (a parse tree of a big input is big).
    let mut buf = vec![0u8; 1 << 16];
    let mut output_bytes = 0u64;
    loop {
        match stdout.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => output_bytes += n as u64,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e).context("reading nianbao's output"),
        }
    }
    let status = child.wait()?;
    let seconds = started.elapsed().as_secs_f64();
    let stderr = err_reader.join().unwrap_or_default();
    let stderr = String::from_utf8_lossy(&stderr);
    let field = |name: &str| {
        stderr
            .lines()
            .find_map(|l| l.trim().strip_prefix(name))
            .map(str::trim)
    };
    let peak_kb: u64 = field("Maximum resident set size (kbytes):")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let exit = field("Exit status:").and_then(|v| v.parse::<i32>().ok());
    let killed = stderr.contains("Command terminated by signal");
    // `timeout -s KILL` exits 137 when it stopped the command.
    let timed_out = exit == Some(137) || seconds >= timeout as f64;
    let failed = !timed_out && (killed || !matches!(exit, Some(0 | 1)) || !status.success());
    if failed {
        let tail: Vec<&str> = stderr.lines().take(5).collect();
        eprintln!(
            "  {command} {} failed: {}",
            file.display(),
            tail.join(" | ")
        );
    }
    Ok(Run {
        seconds,
        peak_bytes: peak_kb * 1024,
        output_bytes,
        timed_out,
        failed,
    })
}

/// The least time of up to three runs while runs are short; the largest peak.
fn run(nianbao: &Path, command: &str, file: &Path, timeout: u64) -> anyhow::Result<Run> {
    let mut best = run_once(nianbao, command, file, timeout)?;
    for _ in 0..2 {
        if best.seconds >= 1.0 || best.timed_out || best.failed {
            break;
        }
        let again = run_once(nianbao, command, file, timeout)?;
        best.seconds = best.seconds.min(again.seconds);
        best.peak_bytes = best.peak_bytes.max(again.peak_bytes);
    }
    Ok(best)
}

fn seconds(run: &Run, timeout: u64) -> String {
    if run.timed_out {
        format!(">{timeout}")
    } else if run.failed {
        "FAIL".to_string()
    } else {
        format!("{:.3}", run.seconds)
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1e6)
}

/// Runs every family and prints the table.
pub fn run_all(root: &Path, options: Options) -> anyhow::Result<bool> {
    if !Path::new("/usr/bin/time").exists() {
        bail!("`cargo xtask pathological` needs GNU time at /usr/bin/time");
    }
    if !options.no_build && options.binary.is_none() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "--release", "-p", "nianbao-cli"])
            .current_dir(root)
            .status()?;
        if !status.success() {
            bail!("cargo build --release -p nianbao-cli failed");
        }
    }
    let nianbao = options
        .binary
        .clone()
        .unwrap_or_else(|| root.join("target/release/nianbao"));
    let dir = TempDir::new()?;
    let families: Vec<Family> = families(root)?
        .into_iter()
        .filter(|f| options.only.is_empty() || options.only.iter().any(|o| f.name.contains(o)))
        .collect();
    if families.is_empty() {
        bail!("no family matches --only {}", options.only.join(","));
    }

    let small = options.copies;
    println!(
        "copies: {small} and {} (÷ a family's divisor); full size {} MB; seconds are wall time; \
         ratio = larger / smaller (linear 4, bar {TIME_BAR}); memory = peak RSS / input at full size (bar {MEMORY_BAR})",
        small * 4,
        options.full_mb
    );
    let header = format!(
        "{:<22} {:>9} | {:>8} {:>8} {:>5} {:>8} | {:>8} {:>8} {:>5} | {:>7} {:>7} {:>8} {:>5} {:>8} {:>5}",
        "family",
        "bytes(4x)",
        "check",
        "check4x",
        "ratio",
        "out4x MB",
        "parse",
        "parse4x",
        "ratio",
        "full MB",
        "check s",
        "peak MB",
        "×in",
        "peak MB",
        "×in",
    );
    println!("{header}");
    println!("{}", "-".repeat(header.chars().count()));

    let mut failures = Vec::new();
    for family in &families {
        let copies = (small / family.divisor).max(1);
        let small_file = dir.write(&format!("{}-small.md", family.name), &(family.make)(copies))?;
        let large_bytes = (family.make)(copies * 4);
        let large_len = large_bytes.len();
        let large_file = dir.write(&format!("{}-large.md", family.name), &large_bytes)?;
        drop(large_bytes);

        let mut line = format!("{:<22} {:>9} |", family.name, large_len);
        for command in ["check", "parse"] {
            let a = run(&nianbao, command, &small_file, options.timeout)?;
            let b = if a.timed_out {
                Run {
                    timed_out: true,
                    ..Run::default()
                }
            } else {
                run(&nianbao, command, &large_file, options.timeout)?
            };
            let ratio = if a.timed_out || b.timed_out || a.failed || b.failed {
                failures.push(format!("{} {command}: did not finish", family.name));
                "-".to_string()
            } else {
                let r = b.seconds / a.seconds.max(1e-6);
                if r > TIME_BAR {
                    failures.push(format!("{} {command}: time ratio {r:.1}", family.name));
                }
                format!("{r:.1}")
            };
            write!(
                line,
                " {:>8} {:>8} {:>5}",
                seconds(&a, options.timeout),
                seconds(&b, options.timeout),
                ratio
            )?;
            if command == "check" {
                write!(line, " {:>8} |", megabytes(b.output_bytes))?;
            } else {
                line.push_str(" |");
            }
        }
        std::fs::remove_file(&small_file)?;
        std::fs::remove_file(&large_file)?;

        if options.full_mb > 0 {
            let unit = (large_len as f64 / (copies * 4) as f64).max(1.0);
            let target = (options.full_mb * 1_000_000) as f64;
            let full_copies = ((target / unit).ceil() as usize).max(1);
            let bytes = (family.make)(full_copies);
            let full_len = bytes.len() as u64;
            let full_file = dir.write(&format!("{}-full.md", family.name), &bytes)?;
            drop(bytes);
            write!(line, " {:>7}", megabytes(full_len))?;
            for command in ["check", "parse"] {
                let r = run_once(&nianbao, command, &full_file, options.timeout)?;
                let times = r.peak_bytes as f64 / full_len as f64;
                if command == "check" {
                    write!(line, " {:>7}", seconds(&r, options.timeout))?;
                }
                if r.timed_out || r.failed {
                    failures.push(format!(
                        "{} {command} at full size: did not finish",
                        family.name
                    ));
                    write!(line, " {:>8} {:>5}", "-", "-")?;
                } else {
                    if times > MEMORY_BAR {
                        failures.push(format!(
                            "{} {command}: peak memory {times:.1}× the input",
                            family.name
                        ));
                    }
                    write!(line, " {:>8} {:>5.1}", megabytes(r.peak_bytes), times)?;
                }
            }
            std::fs::remove_file(&full_file)?;
        }
        println!("{line}");
    }
    println!();
    for family in &families {
        println!("{:<22} {}", family.name, family.what);
    }
    println!();
    if failures.is_empty() {
        println!("every family is within the bars (time ratio ≤ {TIME_BAR}, memory ≤ {MEMORY_BAR}× the input)");
    } else {
        println!("above a bar:");
        for f in &failures {
            println!("  {f}");
        }
    }
    Ok(failures.is_empty())
}

/// A directory for the inputs, removed at the end.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> anyhow::Result<Self> {
        let dir = std::env::temp_dir().join(format!("nianbao-pathological-{}", std::process::id()));
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(TempDir(dir))
    }

    fn write(&self, name: &str, bytes: &[u8]) -> anyhow::Result<PathBuf> {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
        Ok(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
