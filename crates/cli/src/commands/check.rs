//! `nianbao check`: check reports — files, or directories walked — and print their findings.
//!
//! Settings come from three places, later ones winning: the environment's locale,
//! the `nianbao.toml` file (found upward from the first path, or `--config`), and
//! the flags. They are resolved into one [`Settings`] (the model's type, which the
//! server builds from a request) before anything is read.
//!
//! Files are checked in parallel (rayon) while the output keeps the order of the
//! walk: results are rendered as soon as every earlier file has been, and no more
//! than a small window of parses is held at a time.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};

use clap::ValueEnum;
use nianbao_model::grammar::{Diagnostic, Message, Span};
use nianbao_model::rules::codes::{FILE_TOO_LARGE, UNREADABLE_FILE};
use nianbao_model::settings::{
    parse_size, FailOn, Lang, Layer, Selector, Settings, CONFIG_FILE_NAME,
};
use nianbao_model::CheckedReport;

use crate::args::{lang_of, ColorArg, FailOnArg, LangArg};
use crate::io::{error, write_output, write_stdout};
use crate::render;
use crate::walk::{self, Problem, Target};

/// Output formats of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// rustc-style snippets for people.
    Human,
    /// The `nianbao.check/1` JSON document.
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// One CSV row per finding.
    Csv,
}

/// `nianbao check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Report files or directories to check / 要检查的年报文件或目录
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format / 输出格式
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Write to this file instead of stdout / 写入此文件而非标准输出
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Message language (default: nianbao.toml, else LC_ALL/LANG, else zh) / 消息语言
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Lowest severity that makes the exit code 1 [default: error] / 导致退出码为 1 的最低严重程度
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOnArg>,
    /// Only these rules: codes (NB201), families (NB2, NB2xx) or names (sum-mismatch), comma-separated / 只检查这些规则
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Not these rules: codes, families or names, comma-separated / 不检查这些规则
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Files of a directory to check, gitignore-style; `!` excludes. Repeatable.
    /// Default: *.md *.txt *.html *.htm / 目录中要检查的文件（glob，`!` 排除）
    #[arg(long, value_name = "PATTERN")]
    pub glob: Vec<String>,
    /// The configuration file (default: nianbao.toml in the first path's directory or above) / 配置文件
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Read no configuration file / 不读取配置文件
    #[arg(long)]
    pub no_config: bool,
    /// Largest file to check, such as 64M (a larger one is an NB007 finding) / 检查的文件大小上限
    #[arg(long, value_name = "SIZE")]
    pub max_file_size: Option<String>,
    /// Last year's report of the same body: check this year's carry-over and the
    /// template's cross-year relations against it / 上一年度的年报：核对跨年度关系
    #[arg(long, value_name = "FILE")]
    pub previous: Option<PathBuf>,
    /// Colour / 颜色
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
}

/// The layer of settings the flags give. `Err` is a usage error, in both languages.
fn flags_layer(a: &CheckArgs) -> Result<Layer, Message> {
    let selectors = |list: &[String], flag: &str| -> Result<Vec<Selector>, Message> {
        list.iter()
            .map(|s| {
                Selector::parse(s).map_err(|e| {
                    let m = e.message();
                    Message::new(format!("{flag}：{}", m.zh), format!("{flag}: {}", m.en))
                })
            })
            .collect()
    };
    let max_file_size = match &a.max_file_size {
        None => None,
        Some(text) => Some(parse_size(text).ok_or_else(|| {
            Message::new(
                format!("--max-file-size：无效的大小“{text}”；应为字节数或带 K、M、G 的大小，如 64M"),
                format!("--max-file-size: invalid size `{text}`; give bytes or a size with K, M or G, such as 64M"),
            )
        })?),
    };
    Ok(Layer {
        lang: a.lang.map(|l| lang_of(Some(l))),
        fail_on: a.fail_on.map(|f| match f {
            FailOnArg::Error => FailOn::Error,
            FailOnArg::Warning => FailOn::Warning,
            FailOnArg::Info => FailOn::Info,
            FailOnArg::Never => FailOn::Never,
        }),
        select: if a.select.is_empty() {
            None
        } else {
            Some(selectors(&a.select, "--select")?)
        },
        ignore: selectors(&a.ignore, "--ignore")?,
        severity: Vec::new(),
        globs: (!a.glob.is_empty()).then(|| a.glob.clone()),
        max_file_size,
    })
}

/// The configuration file of a run: `--config`, else `nianbao.toml` in the first
/// path's directory (the path itself when it is a directory) or the nearest parent.
fn config_path(a: &CheckArgs) -> Option<PathBuf> {
    if a.no_config {
        return None;
    }
    if let Some(path) = &a.config {
        return Some(path.clone());
    }
    let first = a.paths.first()?;
    let start = if first.is_dir() {
        first.clone()
    } else {
        match first.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    };
    let start = std::fs::canonicalize(&start)
        .or_else(|_| std::path::absolute(&start))
        .unwrap_or(start);
    start
        .ancestors()
        .map(|dir| dir.join(CONFIG_FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// Reads and checks a configuration file; an error names the file and the line.
fn config_layer(path: &Path, lang: Lang) -> Result<Layer, ()> {
    let text = match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                error(
                    lang,
                    format!("配置文件 {} 不是 UTF-8 文本", path.display()),
                    format!(
                        "the configuration file {} is not UTF-8 text",
                        path.display()
                    ),
                );
                return Err(());
            }
        },
        Err(e) => {
            error(
                lang,
                format!("无法读取配置文件 {}：{e}", path.display()),
                format!("cannot read the configuration file {}: {e}", path.display()),
            );
            return Err(());
        }
    };
    Layer::from_toml(&text).map_err(|e| {
        let (zh, en) = match e.line {
            Some(line) => (
                format!("配置文件 {} 第 {line} 行：{}", path.display(), e.message.zh),
                format!("{}:{line}: {}", path.display(), e.message.en),
            ),
            None => (
                format!("配置文件 {}：{}", path.display(), e.message.zh),
                format!("{}: {}", path.display(), e.message.en),
            ),
        };
        error(lang, zh, en);
    })
}

/// Resolves the environment, the configuration file and the flags into the settings
/// of the run. `Err` (after a message on stderr) is a usage or configuration error.
pub fn settings_of(a: &CheckArgs) -> Result<Settings, ()> {
    let early = lang_of(a.lang);
    let flags = flags_layer(a).map_err(|m| error(early, m.zh, m.en))?;
    let file = match config_path(a) {
        Some(path) => config_layer(&path, early)?,
        None => Layer::default(),
    };
    let base = Settings {
        lang: Lang::from_env(),
        ..Settings::default()
    };
    Ok(base.with_layer(&file).with_layer(&flags))
}

/// What became of one file.
enum Outcome {
    /// Checked, or a finding that it could not be (NB005, NB007).
    Checked(Box<CheckedReport>),
    /// A named file that cannot be read: an error on stderr, exit 2.
    Unreadable(Message),
    /// The check panicked (a bug): an error on stderr, exit 2.
    Panicked,
}

/// Reads and checks one file, with the settings applied to its findings.
fn process(target: &Target, settings: &Settings, previous: Option<&Previous>) -> Outcome {
    let path = target.path.display();
    if let Some(problem) = &target.problem {
        let (message, severity) = match problem {
            Problem::Io(e) => (
                Message::new(
                    format!("无法读取文件：{e}"),
                    format!("cannot read the file: {e}"),
                ),
                None,
            ),
            Problem::DanglingLink { target, error } => (
                Message::new(
                    format!("符号链接指向不存在的 {}：{error}", target.display()),
                    format!(
                        "a symbolic link to {}, which does not exist: {error}",
                        target.display()
                    ),
                ),
                None,
            ),
            Problem::NotRegular => (
                Message::new(
                    "不是普通文件（管道、套接字或设备），未读取",
                    "not a regular file (a pipe, a socket or a device); not read",
                ),
                None,
            ),
            Problem::Loop { ancestor } => (
                Message::new(
                    format!(
                        "符号链接指向包含它的目录 {}，形成循环，未跟随",
                        ancestor.display()
                    ),
                    format!(
                        "a symbolic link to {}, a directory that contains it: a loop, not followed",
                        ancestor.display()
                    ),
                ),
                Some(nianbao_model::grammar::Severity::Warning),
            ),
        };
        let mut d = Diagnostic::new(&UNREADABLE_FILE, Span::new(0, 0), message);
        if let Some(severity) = severity {
            d = d.with_severity(severity);
        }
        return Outcome::Checked(finding(d, settings));
    }
    match read_capped(&target.path, settings.max_file_size) {
        Ok(Contents::Bytes(bytes)) => {
            let mut report = nianbao_model::check(&bytes);
            if let Some(prev) = previous {
                year_over_year(prev, &mut report, settings);
            }
            report.diagnostics = settings.apply(std::mem::take(&mut report.diagnostics));
            Outcome::Checked(Box::new(report))
        }
        Ok(Contents::TooLarge(size)) => {
            let limit = settings.max_file_size;
            let d = Diagnostic::new(
                &FILE_TOO_LARGE,
                Span::new(0, 0),
                Message::new(
                    format!("文件大小 {size} 字节，超过检查上限 {limit} 字节，未检查（--max-file-size 可调整上限）"),
                    format!("the file has {size} bytes, more than the limit of {limit}; not checked (--max-file-size sets the limit)"),
                ),
            );
            Outcome::Checked(finding(d, settings))
        }
        Err(e) if target.named => Outcome::Unreadable(Message::new(
            format!("无法读取 {path}：{e}"),
            format!("cannot read {path}: {e}"),
        )),
        Err(e) => Outcome::Checked(finding(
            Diagnostic::new(
                &UNREADABLE_FILE,
                Span::new(0, 0),
                Message::new(
                    format!("无法读取文件：{e}"),
                    format!("cannot read the file: {e}"),
                ),
            ),
            settings,
        )),
    }
}

/// Last year's report for a file: the one of `--previous`, checked once, or the
/// same body's report of the year before found in the same run (checked when needed).
enum Previous {
    /// `--previous FILE`.
    Given {
        path: String,
        report: Arc<CheckedReport>,
    },
    /// A file of the run.
    InRun(PathBuf),
}

/// Adds the year-over-year findings (NB601, NB602, NB604) of `report` against last year's.
fn year_over_year(prev: &Previous, report: &mut CheckedReport, settings: &Settings) {
    let found = match prev {
        Previous::Given { path, report: p } => {
            nianbao_model::cross::year_over_year_with_path(path, p, report)
        }
        Previous::InRun(path) => match read_capped(path, settings.max_file_size) {
            Ok(Contents::Bytes(bytes)) => {
                let p = nianbao_model::check(&bytes);
                nianbao_model::cross::year_over_year_with_path(
                    &path.display().to_string(),
                    &p,
                    report,
                )
            }
            // Unreadable or too large: it has its own finding in the run.
            _ => Vec::new(),
        },
    };
    report.diagnostics.extend(found);
    report.diagnostics.sort_by_key(|d| (d.span.start, d.code));
}

/// How much of a file is read to find its title (issuer and year) for pairing:
/// titles open the report; an HTML page's comes after its navigation.
const TITLE_PREFIX: u64 = 64 * 1024;

/// The issuer and year a file's title names, read from its beginning.
fn identity(target: &Target, settings: &Settings) -> Option<(String, i32)> {
    if target.problem.is_some() {
        return None;
    }
    let Ok(Contents::Bytes(bytes)) = read_capped(&target.path, settings.max_file_size) else {
        return None;
    };
    let cut = bytes.len().min(TITLE_PREFIX as usize);
    let parsed = nianbao_model::grammar::parse(&bytes[..cut]);
    let front = nianbao_model::frontmatter::read(&parsed.blocks);
    Some((
        nianbao_model::cross::issuer_key(front.issuer.as_deref()?),
        front.year?,
    ))
}

/// For each target, the file of the run that is the same body's report of the year before.
fn pair_in_run(targets: &[Target], settings: &Settings) -> Vec<Option<PathBuf>> {
    use rayon::prelude::*;
    let ids: Vec<Option<(String, i32)>> =
        targets.par_iter().map(|t| identity(t, settings)).collect();
    let mut by_id: std::collections::HashMap<(String, i32), usize> =
        std::collections::HashMap::new();
    for (i, id) in ids.iter().enumerate() {
        if let Some(id) = id {
            by_id.entry(id.clone()).or_insert(i);
        }
    }
    ids.iter()
        .map(|id| {
            let (key, year) = id.as_ref()?;
            by_id
                .get(&(key.clone(), year - 1))
                .map(|&j| targets[j].path.clone())
        })
        .collect()
}

/// A report of a file that could not be checked: an empty parse and one finding.
fn finding(d: Diagnostic, settings: &Settings) -> Box<CheckedReport> {
    // The renderers take a checked report; the empty input's parse is the one of no text.
    let mut report = nianbao_model::check(b"");
    report.diagnostics = settings.apply(vec![d]);
    Box::new(report)
}

/// The bytes of a file, unless it has more than `limit`.
enum Contents {
    Bytes(Vec<u8>),
    TooLarge(u64),
}

/// Reads a file, stopping past `limit` bytes (a file may grow, or be a pipe).
fn read_capped(path: &Path, limit: u64) -> std::io::Result<Contents> {
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(std::io::Error::other("is a directory"));
    }
    if meta.len() > limit {
        return Ok(Contents::TooLarge(meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Ok(Contents::TooLarge(bytes.len() as u64));
    }
    Ok(Contents::Bytes(bytes))
}

/// Where the output goes: stdout as it comes, or `-o FILE` at the end.
struct Sink {
    file: Option<PathBuf>,
    buffer: String,
    progress: indicatif::ProgressBar,
}

impl Sink {
    /// False when stdout is gone.
    fn write(&mut self, text: &str) -> bool {
        if text.is_empty() {
            return true;
        }
        if self.file.is_some() {
            self.buffer.push_str(text);
            true
        } else {
            self.progress.suspend(|| write_stdout(text))
        }
    }
}

/// Checks the targets in parallel (rayon's pool) and hands each outcome to `emit`
/// in the targets' order, as soon as every earlier one has been handed over; stops
/// when `emit` returns false. At most a window of twice the pool's threads is in
/// progress or waiting, so a long run never holds more than a few parses.
fn check_in_order(
    targets: Vec<Target>,
    previous: Vec<Option<Previous>>,
    settings: Arc<Settings>,
    mut emit: impl FnMut(&Target, Outcome) -> bool,
) {
    let targets = Arc::new(targets);
    let previous = Arc::new(previous);
    let n = targets.len();
    let window = rayon::current_num_threads().max(1) * 2;
    let (tx, rx) = mpsc::channel::<(usize, Outcome)>();
    let mut spawned = 0;
    let mut waiting: BTreeMap<usize, Outcome> = BTreeMap::new();
    for next in 0..n {
        while spawned < n && spawned < next + window {
            let (tx, targets, settings) = (tx.clone(), Arc::clone(&targets), Arc::clone(&settings));
            let previous = Arc::clone(&previous);
            let i = spawned;
            rayon::spawn(move || {
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    process(
                        &targets[i],
                        &settings,
                        previous.get(i).and_then(Option::as_ref),
                    )
                }))
                .unwrap_or(Outcome::Panicked);
                // The receiver is gone only when the run stopped early.
                let _ = tx.send((i, outcome));
            });
            spawned += 1;
        }
        let outcome = loop {
            if let Some(o) = waiting.remove(&next) {
                break o;
            }
            match rx.recv() {
                Ok((i, o)) => {
                    waiting.insert(i, o);
                }
                // Never: this thread holds a sender.
                Err(_) => return,
            }
        };
        if !emit(&targets[next], outcome) {
            return;
        }
    }
}

/// Runs `nianbao check`.
pub fn run(a: CheckArgs) -> u8 {
    let Ok(settings) = settings_of(&a) else {
        return 2;
    };
    let lang = settings.lang;
    let mut unreadable = false;
    let Ok(targets) = walk::targets(&a.paths, &settings, &mut unreadable) else {
        return 2;
    };
    let color = match a.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            a.output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let options = render::RenderOptions { lang, color };
    let mut renderer: Box<dyn render::Renderer> = match a.format {
        CheckFormat::Human => Box::new(render::human::HumanRenderer::new(options)),
        CheckFormat::Json => Box::new(render::json::JsonRenderer::new(options)),
        CheckFormat::Sarif => Box::new(render::sarif::SarifRenderer::new(options)),
        CheckFormat::Csv => Box::new(render::csv::CsvRenderer::new(options)),
    };
    let progress = if targets.len() > 1 && std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(targets.len() as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {wide_msg}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut sink = Sink {
        file: a.output.clone(),
        buffer: String::new(),
        progress,
    };
    // Last year's report: the one given, checked once; else pairs found in the run.
    let previous: Vec<Option<Previous>> = match &a.previous {
        Some(path) => {
            let Some(bytes) = crate::io::read(path, lang) else {
                return 2;
            };
            let shared = Arc::new(nianbao_model::check(&bytes));
            let shown = path.display().to_string();
            targets
                .iter()
                .map(|_| {
                    Some(Previous::Given {
                        path: shown.clone(),
                        report: Arc::clone(&shared),
                    })
                })
                .collect()
        }
        None if targets.len() > 1 => pair_in_run(&targets, &settings)
            .into_iter()
            .map(|p| p.map(Previous::InRun))
            .collect(),
        None => targets.iter().map(|_| None).collect(),
    };
    let mut failed = false;
    let mut broken = false;
    check_in_order(
        targets,
        previous,
        Arc::new(settings.clone()),
        |target, outcome| {
            let path = target.path.display().to_string();
            sink.progress.set_message(path.clone());
            sink.progress.inc(1);
            match outcome {
                Outcome::Checked(report) => {
                    failed |= settings.fails(&report.diagnostics);
                    let chunk = renderer.report(&path, &report);
                    if !sink.write(&chunk) {
                        broken = true;
                        return false;
                    }
                }
                Outcome::Unreadable(m) => {
                    sink.progress.suspend(|| error(lang, m.zh, m.en));
                    unreadable = true;
                }
                // The panic's message may quote the report: the hook printed only its place.
                Outcome::Panicked => {
                    sink.progress.suspend(|| {
                        error(
                            lang,
                            format!("检查 {path} 时发生内部错误（请报告此问题）"),
                            format!("internal error while checking {path} (please report it)"),
                        )
                    });
                    unreadable = true;
                }
            }
            true
        },
    );
    sink.progress.finish_and_clear();
    if broken {
        return 2;
    }
    let end = renderer.finish();
    if !sink.write(&end) {
        return 2;
    }
    if let Some(path) = &sink.file {
        if !write_output(Some(path), sink.buffer.as_bytes(), false, lang) {
            return 2;
        }
    }
    if unreadable {
        2
    } else if failed {
        1
    } else {
        0
    }
}
