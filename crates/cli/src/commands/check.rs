//! `nianbao check`: check reports — files, or directories walked — and print their findings.
//!
//! Settings come from three places, later ones winning: the environment's locale,
//! the `nianbao.toml` file (found upward from the first path, or `--config`), and
//! the flags. They are resolved into one [`Settings`] (the model's type, which the
//! server builds from a request) before anything is read.
//!
//! Files are checked in parallel (rayon) while the output keeps the order of the
//! walk, each file read and checked once: no more than a small window of checks is
//! in progress at a time. The thread that checks a report also prepares it for
//! the output ([`render::Preparer`]) and drops it; the output takes the prepared
//! reports in the walk's order, each as soon as every earlier one has been taken
//! and its pairing with last year's report is known.
//!
//! Pairing: a report of the run is compared with the same body's report of the
//! year before (its issuer and year as its front matter names them) when the run
//! has one — the first of that issuer and year in the run's order. The pairing is
//! decided as the results come in order, from a [`YearSnapshot`] kept of each
//! report that has a key (what the comparison reads: format, issuer, year, title,
//! mapped cells and their lines), never by reading a report twice:
//! - last year's report came earlier: the report is compared at once, and
//!   prepared again only when the comparison finds something;
//! - it may still come: the report waits with its output prepared as if it had no
//!   last-year report, and its snapshot. When last year's report comes and the
//!   comparison finds nothing, the prepared output stands; when it finds something
//!   (last year's report later in the run than this year's, and a difference), the
//!   report is checked again and prepared with the findings. At the end of the
//!   run the reports still waiting have no last-year report.
//!
//! Copied text: the comparison with last year's report also gives the share of the
//! report's own text repeated from it (NB605, NB606), from the same snapshots. Unless
//! `--no-copy-across`, each report of a run of several is also looked up among all the
//! other reports of the run ([`copies::closest_all`]: a few candidates, never every
//! pair); above the threshold the closest one is named (NB607). The lookup is made at
//! the end of the run, so that both reports of a copied pair name each other whatever
//! their order: the reports are then handed on at the end (a report that copies is
//! read and checked again, as a report whose last-year report came later is). Another
//! file of the same body and year, and the adjacent years, are left to NB605.
//!
//! What is held for a waiting report is its prepared output (the text of its
//! findings or document entry; the SARIF log holds every report's results until
//! the end anyway) and its snapshot, never its parse.
//!
//! Standard input (`-`) and streams named on the command line (a named pipe, the
//! `/dev/fd/N` of a shell's `<(…)`) can be read once only: they are read before
//! the run, each up to `--max-file-size` (and one byte more, to know that there is
//! more), and kept for the run.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::{mpsc, Arc};

use clap::ValueEnum;
use nianbao_model::copies::{self, Against, TextPrint};
use nianbao_model::grammar::{Diagnostic, Message, Severity, Span};
use nianbao_model::rules::codes::{FILE_TOO_LARGE, UNREADABLE_FILE};
use nianbao_model::settings::{
    parse_size, parse_threshold, threshold_error, FailOn, Lang, Layer, Selector, Settings,
    CONFIG_FILE_NAME,
};
use nianbao_model::snapshot::YearSnapshot;
use nianbao_model::CheckedReport;

use crate::args::{lang_of, ColorArg, FailOnArg, LangArg};
use crate::commands::annotate;
use crate::io::{
    error, read_capped, stdin_name, too_large_message, write_output, write_stdout, Contents, Source,
};
use crate::render;
use crate::walk::{self, Input, Target};

/// Output formats of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// rustc-style snippets for people.
    Human,
    /// One line per finding: `path:line:column: code message`.
    Concise,
    /// The `nianbao.check/2` JSON document.
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// One CSV row per finding. A cell that a spreadsheet would run as a formula
    /// (starting with = + - @, a tab or a carriage return) gets a leading `'`
    /// (OWASP's advice against CSV injection); a plain number such as -3 stays a number.
    Csv,
}

/// `nianbao check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Report files or directories to check; `-` reads standard input, and a
    /// named pipe (such as a shell's `<(…)`) is read as a stream / 要检查的年报文件或目录（- 为标准输入）
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The name standard input (`-`) is shown by, and where nianbao.toml is looked
    /// for / 标准输入在输出中的名称
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,
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
    /// Largest file to check, such as 64M (a larger one is an NB007 finding); standard
    /// input and pipes are read up to it, no further / 检查的文件大小上限
    #[arg(long, value_name = "SIZE")]
    pub max_file_size: Option<String>,
    /// Last year's report of the same body (`-`: standard input): check this year's
    /// carry-over and the template's cross-year relations against it / 上一年度的年报：核对跨年度关系
    #[arg(long, value_name = "FILE")]
    pub previous: Option<PathBuf>,
    /// When the report was published (2025-01-20 or 2025年1月20日), for the timeliness
    /// check (NB110); it replaces the date the input gives and applies to every file of
    /// the run / 发布日期，用于核对是否按时发布
    #[arg(long, value_name = "DATE")]
    pub published: Option<String>,
    /// The share of a report's own text, in percent, from which text repeated from last
    /// year's report (NB605) or another report of the run (NB607) is a warning [default: 50] /
    /// 重复文字占比达到此百分比时警告
    #[arg(long, value_name = "PERCENT")]
    pub copy_threshold: Option<String>,
    /// Do not compare the reports of the run with each other (NB607) / 不比较本次检查的各报告之间的重复
    #[arg(long)]
    pub no_copy_across: bool,
    /// Colour / 颜色
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// Lowest severity reported, in every format (default: human and concise output
    /// show warnings and errors and count the infos; the documents carry all) /
    /// 报告的最低严重程度
    #[arg(
        long,
        value_enum,
        value_name = "SEVERITY",
        conflicts_with = "show_info"
    )]
    pub min_severity: Option<SeverityArg>,
    /// Show the info findings too (the same as --min-severity info) / 同时显示提示
    #[arg(long)]
    pub show_info: bool,
    /// Counts per rule instead of the findings (human and concise output) / 只输出每条规则的计数
    #[arg(long)]
    pub statistics: bool,
    /// Only the findings: no summary lines / 只输出问题，不输出汇总行
    #[arg(short, long)]
    pub quiet: bool,
    /// How wide the terminal draws East Asian ambiguous characters (“ ” ‘ ’ … —): `wide`
    /// in many Chinese terminals, so that underlines stay under the text (human output) /
    /// 终端中“”等符号的显示宽度
    #[arg(long, value_enum, default_value_t = AmbiguousWidth::Narrow)]
    pub ambiguous_width: AmbiguousWidth,
    /// Start CSV output with a UTF-8 byte-order mark, as Excel on Chinese Windows needs
    /// to read it as UTF-8 (default: when writing to a file ending in .csv) / CSV 输出加 UTF-8 BOM
    #[arg(long, conflicts_with = "no_bom")]
    pub bom: bool,
    /// No byte-order mark, even in a .csv file / 不加 BOM
    #[arg(long)]
    pub no_bom: bool,
    /// Write a copy of the Word draft (.docx) with a comment (批注) on the text of each
    /// finding shown: FILE for one draft; for a directory or several drafts, a directory
    /// that gets a copy of each under its own name / 将检查结果作为批注写入 Word 文档副本
    #[arg(long, value_name = "FILE|DIR")]
    pub annotate: Option<PathBuf>,
    /// Reports checked at once (default: one per core) / 同时检查的报告数
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
}

/// How a terminal draws East Asian ambiguous characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AmbiguousWidth {
    /// One column (most Western-configured terminals).
    Narrow,
    /// Two columns (many Chinese terminals and fonts).
    Wide,
}

/// A severity on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    /// Everything.
    Info,
    /// Warnings and errors.
    Warning,
    /// Errors only.
    Error,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Severity {
        match s {
            SeverityArg::Info => Severity::Info,
            SeverityArg::Warning => Severity::Warning,
            SeverityArg::Error => Severity::Error,
        }
    }
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
        min_severity: match (a.show_info, a.min_severity) {
            (true, _) => Some(Severity::Info),
            (false, m) => m.map(Severity::from),
        },
        statistics: a.statistics.then_some(true),
        copy_threshold: match &a.copy_threshold {
            None => None,
            Some(text) => {
                Some(parse_threshold(text).ok_or_else(|| threshold_error("--copy-threshold"))?)
            }
        },
        copy_across: a.no_copy_across.then_some(false),
    })
}

/// The configuration file of a run: `--config`, else `nianbao.toml` in the first
/// path's directory (the path itself when it is a directory) or the nearest parent;
/// for standard input, `--stdin-filename`'s directory, else the current one.
fn config_path(a: &CheckArgs) -> Option<PathBuf> {
    if a.no_config {
        return None;
    }
    if let Some(path) = &a.config {
        return Some(path.clone());
    }
    let first = a.paths.first()?;
    let first = match &a.stdin_filename {
        Some(name) if crate::io::is_stdin(first) => name,
        _ => first,
    };
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
                format!(
                    "无法读取配置文件 {}：{}",
                    path.display(),
                    crate::io::os_zh(&e)
                ),
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

/// What became of one file, as the thread that checked it hands it on.
enum Outcome {
    /// Checked (or a finding that it could not be, NB005, NB007), ready for output.
    Shown(Shown),
    /// Checked, and to be paired with last year's report of the run ([`Pairing`]).
    InRun(Box<InRun>),
    /// A named file that cannot be read: an error on stderr, exit 2.
    Unreadable(Message),
    /// The check panicked (a bug): an error on stderr, exit 2.
    Panicked,
}

/// A checked report prepared for output, with the settings applied: what the
/// output and the exit code read of it.
struct Shown {
    prepared: render::Prepared,
    /// One of its findings fails the run (`--fail-on`).
    fails: bool,
    /// Its check ran to its end (else NB008, NB009: an error on stderr, exit 2).
    complete: bool,
    /// `--annotate`: the annotated copy of the draft, or why there is none
    /// (`None`: a file of a walk that is not a draft).
    annotated: Option<annotate::Annotation>,
}

/// A report whose comparison with last year's report waits for the pairing.
struct InRun {
    /// Its pairing key, when it has one (else it is compared across the run only).
    key: Option<YearKey>,
    /// What the comparison reads of it, on either side.
    kept: YearSnapshot,
    /// The report prepared for output as if it had no last-year report in the run.
    shown: Shown,
    /// The comparison findings already in it (against `--previous`), for a check again.
    found: Vec<Diagnostic>,
    /// The report, with the settings applied: kept while it is handed on, for
    /// the findings of a comparison.
    report: Box<CheckedReport>,
}

/// A target's bytes read before the run (standard input, a stream), or why they
/// could not be.
type Preread = Result<Contents, String>;

/// The targets of a run with what was read of them before it.
struct Run {
    targets: Vec<Target>,
    /// For each target: its bytes when it is a stream or standard input.
    preread: Vec<Option<Preread>>,
    settings: Settings,
    /// Where last year's reports come from.
    previous: Previous,
    /// Prepares each report for the output.
    preparer: render::Preparer,
    /// `--published`: the publication date of every report of the run.
    published: Option<nianbao_model::frontmatter::Date>,
    /// `--annotate`: the drafts are annotated.
    annotate: bool,
}

/// A target's contents: borrowed from the read before the run, or read now.
enum View<'a> {
    Bytes(&'a [u8]),
    /// Read now: the caller owns them (a check takes them without a copy).
    Read(Vec<u8>),
    TooLarge(Option<u64>),
}

impl Run {
    /// Reads the streams and standard input among the targets, in order: each
    /// can be read once only.
    fn new(
        targets: Vec<Target>,
        settings: Settings,
        previous: Previous,
        preparer: render::Preparer,
        published: Option<nianbao_model::frontmatter::Date>,
        annotate: bool,
    ) -> Self {
        let limit = settings.max_file_size;
        let preread = targets
            .iter()
            .map(|t| {
                let source = match t.input {
                    Input::File => return None,
                    Input::Stream => Source::Path(&t.path),
                    Input::Stdin => Source::Stdin,
                };
                Some(read_capped(source, limit).map_err(|e| e.to_string()))
            })
            .collect();
        Run {
            targets,
            preread,
            settings,
            previous,
            preparer,
            published,
            annotate,
        }
    }

    /// Target `i`'s contents: read before the run, or now.
    fn load<'a>(&'a self, i: usize) -> Result<View<'a>, String> {
        let view = |contents: &'a Contents| match contents {
            Contents::Bytes(bytes) => View::Bytes(bytes),
            Contents::TooLarge(size) => View::TooLarge(*size),
        };
        match self.preread.get(i) {
            Some(Some(pre)) => pre.as_ref().map(view).map_err(Clone::clone),
            _ => {
                let Some(target) = self.targets.get(i) else {
                    return Err("no such target".to_string());
                };
                match read_capped(Source::Path(&target.path), self.settings.max_file_size) {
                    Ok(Contents::Bytes(bytes)) => Ok(View::Read(bytes)),
                    Ok(Contents::TooLarge(size)) => Ok(View::TooLarge(size)),
                    Err(e) => Err(e.to_string()),
                }
            }
        }
    }
}

/// What reading and checking a target gives.
enum Processed {
    /// The checked report, before the settings.
    Report(Box<CheckedReport>),
    /// A finding that it could not be checked, with the settings applied.
    Finding(Box<CheckedReport>),
    /// A named file that cannot be read.
    Unreadable(Message),
}

/// Reads and checks target `i` of the run; prepares it for output unless its
/// pairing with last year's report is still to be known.
fn work(run: &Run, i: usize) -> Outcome {
    let Some(target) = run.targets.get(i) else {
        // Never: `i` is an index of the run's targets.
        return Outcome::Panicked;
    };
    let path = target.path.display().to_string();
    let report = match process(run, target, i) {
        Processed::Report(report) => report,
        Processed::Finding(report) => return Outcome::Shown(run.show(i, &path, &report)),
        Processed::Unreadable(m) => return Outcome::Unreadable(m),
    };
    let across = run.across();
    let (found, key) = match &run.previous {
        Previous::Given {
            path,
            report: p,
            text,
        } => {
            let mut found = nianbao_model::cross::year_over_year_with_path(path, p, &report);
            // A report given as last year's that is not (NB604) is not compared.
            if found.iter().all(|d| d.code != "NB604") {
                let this = TextPrint::of(&report);
                found.extend(copies::finding(
                    Against::PreviousYear,
                    path,
                    text,
                    &this,
                    run.settings.copy_threshold,
                ));
            }
            (found, None)
        }
        Previous::None => (Vec::new(), None),
        Previous::InRun => (Vec::new(), year_key(&report)),
    };
    if key.is_none() && !across {
        // Never paired, on either side.
        let report = settle(&run.settings, report, found);
        return Outcome::Shown(run.show(i, &path, &report));
    }
    let kept = YearSnapshot::of(&report);
    let report = settle(&run.settings, report, found.clone());
    let shown = run.show(i, &path, &report);
    Outcome::InRun(Box::new(InRun {
        key,
        kept,
        shown,
        found,
        report,
    }))
}

/// Reads and checks target `i` of the run.
fn process(run: &Run, target: &Target, i: usize) -> Processed {
    let settings = &run.settings;
    let path = target.path.display();
    if let Some(problem) = &target.problem {
        let (message, severity) = problem.message();
        let mut d = Diagnostic::new(&UNREADABLE_FILE, Span::new(0, 0), message);
        if let Some(severity) = severity {
            d = d.with_severity(severity);
        }
        return Processed::Finding(finding(d, settings));
    }
    let view = match run.load(i) {
        Ok(view) => view,
        Err(e) if target.named => {
            return Processed::Unreadable(Message::new(
                format!("无法读取 {path}：{e}"),
                format!("cannot read {path}: {e}"),
            ))
        }
        Err(e) => {
            return Processed::Finding(finding(
                Diagnostic::new(
                    &UNREADABLE_FILE,
                    Span::new(0, 0),
                    Message::new(
                        format!("无法读取文件：{e}"),
                        format!("cannot read the file: {e}"),
                    ),
                ),
                settings,
            ))
        }
    };
    let mut report = match view {
        // Read now: the check takes the bytes (one copy of the input fewer).
        View::Read(bytes) => nianbao_model::check_owned(bytes),
        View::Bytes(bytes) => nianbao_model::check(bytes),
        View::TooLarge(size) => {
            let (zh, en) = too_large_message(size, settings.max_file_size);
            let d = Diagnostic::new(&FILE_TOO_LARGE, Span::new(0, 0), Message::new(zh, en));
            return Processed::Finding(finding(d, settings));
        }
    };
    if let Some(date) = run.published {
        nianbao_model::with_published(&mut report, date);
    }
    Processed::Report(Box::new(report))
}

impl Run {
    /// True when the reports of the run are compared with each other (NB607).
    fn across(&self) -> bool {
        self.settings.copy_across && self.targets.len() > 1
    }

    /// `report` (target `index`, with the settings applied) prepared for output
    /// as `path`, and annotated when the run annotates.
    fn show(&self, index: usize, path: &str, report: &CheckedReport) -> Shown {
        Shown {
            prepared: self.preparer.prepare(path, report),
            fails: self.settings.fails(&report.diagnostics),
            complete: report.incomplete.is_none(),
            annotated: self.annotated(index, path, report),
        }
    }

    /// `--annotate`: the annotated copy of target `index`, read again (the check
    /// took its bytes) or as read before the run. A file of a walk that was not
    /// read as a draft is left alone; a named one is told.
    fn annotated(
        &self,
        index: usize,
        path: &str,
        report: &CheckedReport,
    ) -> Option<annotate::Annotation> {
        if !self.annotate {
            return None;
        }
        let named = self.targets.get(index).is_some_and(|t| t.named);
        if report.docx.is_none() {
            return named.then(|| Err(annotate::not_a_draft(path)));
        }
        let unreadable = |e: String| {
            Message::new(
                format!("无法为 {path} 写入批注：{e}"),
                format!("cannot annotate {path}: {e}"),
            )
        };
        Some(match self.load(index) {
            Ok(View::Bytes(bytes)) => annotate::annotate(bytes, report, &self.settings, path),
            Ok(View::Read(bytes)) => annotate::annotate(&bytes, report, &self.settings, path),
            Ok(View::TooLarge(_)) => Err(unreadable("too large".to_string())),
            Err(e) => Err(unreadable(e)),
        })
    }
}

/// Where last year's reports come from.
enum Previous {
    /// `--previous FILE`, checked once.
    Given {
        path: String,
        report: Arc<CheckedReport>,
        /// Its own text, for the copied-text comparison.
        text: Box<TextPrint>,
    },
    /// The same body's report of the year before, when the run has it.
    InRun,
    /// No comparison (one file, and no `--previous`).
    None,
}

/// A report's pairing key: its issuer ([`nianbao_model::cross::issuer_key`]) and year.
type YearKey = (String, i32);

/// The key of a report: the issuer and year its front matter names, as its
/// findings (NB604) read them.
fn year_key(report: &CheckedReport) -> Option<YearKey> {
    let front = &report.report.front;
    let issuer = nianbao_model::cross::issuer_key(front.issuer.as_deref()?);
    Some((issuer, front.year?))
}

/// A result of the run held until its pairing is known.
struct Pending {
    index: usize,
    outcome: Outcome,
    /// While it waits: the key of last year's report, and what the comparison
    /// reads of this one.
    waits: Option<(YearKey, Rc<YearSnapshot>)>,
    /// The comparison findings already in its output (last year's, NB605, NB606),
    /// for a check again.
    added: Vec<Diagnostic>,
}

/// A report of the run as the copied-text comparison keeps it: its index, its
/// path, its key, and what the comparison reads of it.
type Kept = (usize, String, Option<YearKey>, Rc<YearSnapshot>);

/// Pairs the reports of the run with last year's (see the module documentation)
/// as the results come in the run's order, and hands them on in that order.
struct Pairing {
    /// The first report of each key: its path and what the comparison reads of it.
    first: HashMap<YearKey, (String, Rc<YearSnapshot>)>,
    queue: VecDeque<Pending>,
    /// Every report of the run, for the copied-text comparison across it (NB607),
    /// made at its end.
    texts: Vec<Kept>,
}

impl Pairing {
    fn new() -> Self {
        Pairing {
            first: HashMap::new(),
            queue: VecDeque::new(),
            texts: Vec::new(),
        }
    }

    /// NB607 of every report of the run, once all are in: each report's closest
    /// other report of the whole run ([`copies::closest_all`], by path: the same
    /// whatever the order of the run, and both reports of a copied pair name each
    /// other), when it shares at least the threshold. Another file of the same
    /// body and year (the same report in another form) and the adjacent years
    /// (NB605's) are left out. By target index.
    fn across(&self, run: &Run) -> HashMap<usize, Diagnostic> {
        if !run.across() {
            return HashMap::new();
        }
        let prints: Vec<&TextPrint> = self.texts.iter().map(|k| k.3.text()).collect();
        let paths: Vec<&str> = self.texts.iter().map(|k| k.1.as_str()).collect();
        let adjacent = |i: usize, j: usize| matches!((&self.texts[i].2, &self.texts[j].2), (Some((a, y)), Some((b, z))) if a == b && (y - z).abs() <= 1);
        let (closest, _) = copies::closest_all(&prints, &paths, adjacent);
        let threshold = run.settings.copy_threshold;
        let mut out = HashMap::new();
        for (i, found) in closest.into_iter().enumerate() {
            let Some((j, c)) = found else { continue };
            if !c.at_least(threshold) {
                continue;
            }
            let d = copies::finding_of(
                Against::AnotherReport,
                paths[j],
                paths[j],
                prints[j],
                prints[i],
                &c,
                threshold,
            );
            if let Some(d) = d {
                out.insert(self.texts[i].0, d);
            }
        }
        out
    }

    /// Takes target `index`'s result (`path`: its name); returns the results
    /// ready to be shown, in the run's order.
    fn take(
        &mut self,
        run: &Run,
        index: usize,
        path: &str,
        outcome: Outcome,
    ) -> Vec<(usize, Outcome)> {
        let Outcome::InRun(in_run) = outcome else {
            self.queue.push_back(Pending {
                index,
                outcome,
                waits: None,
                added: Vec::new(),
            });
            return self.ready(run);
        };
        let InRun {
            key,
            kept,
            shown,
            found: given,
            mut report,
        } = *in_run;
        let kept = Rc::new(kept);
        if run.across() {
            self.texts
                .push((index, path.to_string(), key.clone(), Rc::clone(&kept)));
        }
        // The report with these findings added, prepared again (or as it was, without).
        let mut with = |found: Vec<Diagnostic>, shown: Shown| -> Shown {
            if found.is_empty() {
                return shown;
            }
            report.diagnostics.extend(run.settings.apply(found));
            report.diagnostics.sort_by_key(|d| (d.span.start, d.code));
            run.show(index, path, &report)
        };
        let Some(key) = key else {
            self.queue.push_back(Pending {
                index,
                outcome: Outcome::Shown(shown),
                waits: None,
                added: given,
            });
            return self.ready(run);
        };
        if !self.first.contains_key(&key) {
            // The first of its key: the reports that wait for it are compared now.
            for pending in self.queue.iter_mut() {
                if pending.waits.as_ref().is_none_or(|(k, _)| *k != key) {
                    continue;
                }
                if let Some((_, waiting)) = pending.waits.take() {
                    let found = year_over_year(run, path, &kept, &waiting);
                    if !found.is_empty() {
                        pending.added.extend(found);
                        pending.outcome = recheck(run, pending.index, pending.added.clone());
                    }
                }
            }
        }
        let wanted = (key.0.clone(), key.1 - 1);
        let pending = match self.first.get(&wanted) {
            Some((prev_path, prev)) => {
                let found = year_over_year(run, prev_path, prev, &kept);
                let mut added = given;
                added.extend(found.iter().cloned());
                Pending {
                    index,
                    outcome: Outcome::Shown(with(found, shown)),
                    waits: None,
                    added,
                }
            }
            // Last year's report may still come: this one waits with its output ready.
            None => Pending {
                index,
                outcome: Outcome::Shown(shown),
                waits: Some((wanted, Rc::clone(&kept))),
                added: given,
            },
        };
        drop(report);
        self.first
            .entry(key)
            .or_insert_with(|| (path.to_string(), kept));
        self.queue.push_back(pending);
        self.ready(run)
    }

    /// The results at the head of the queue whose pairing is known. When the
    /// reports are compared across the run, none is known before its end.
    fn ready(&mut self, run: &Run) -> Vec<(usize, Outcome)> {
        let mut out = Vec::new();
        if run.across() {
            return out;
        }
        while self.queue.front().is_some_and(|p| p.waits.is_none()) {
            if let Some(p) = self.queue.pop_front() {
                out.push((p.index, p.outcome));
            }
        }
        out
    }

    /// The end of the run: the reports still waiting have no last-year report in
    /// it, and their output is the one prepared; a report that copies another of
    /// the run (NB607) is read and checked again, and prepared with the finding
    /// added to those it had.
    fn finish(&mut self, run: &Run) -> Vec<(usize, Outcome)> {
        let mut across = self.across(run);
        std::mem::take(&mut self.queue)
            .into_iter()
            .map(|mut p| {
                if let Some(d) = across.remove(&p.index) {
                    p.added.push(d);
                    p.outcome = recheck(run, p.index, p.added);
                }
                (p.index, p.outcome)
            })
            .collect()
    }
}

/// The findings of a report against last year's report of the run (`previous`,
/// at `previous_path`): the cross-year relations (NB601, NB602) and the copied
/// text (NB605, NB606).
fn year_over_year(
    run: &Run,
    previous_path: &str,
    previous: &YearSnapshot,
    current: &YearSnapshot,
) -> Vec<Diagnostic> {
    let mut found = nianbao_model::cross::year_over_year_from(previous_path, previous, current);
    found.extend(copies::finding(
        Against::PreviousYear,
        previous_path,
        previous.text(),
        current.text(),
        run.settings.copy_threshold,
    ));
    found
}

/// A report that waited, compared with last year's report at last: its
/// comparison found something, so it is read and checked again (its output was
/// prepared without, and the report was not kept), and prepared with the findings.
/// Rare: last year's report comes later in the run than this one's.
fn recheck(run: &Run, index: usize, found: Vec<Diagnostic>) -> Outcome {
    let Some(target) = run.targets.get(index) else {
        return Outcome::Panicked;
    };
    let again = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        match process(run, target, index) {
            Processed::Report(report) => {
                let report = settle(&run.settings, report, found);
                Outcome::Shown(run.show(index, &target.path.display().to_string(), &report))
            }
            Processed::Finding(report) => {
                Outcome::Shown(run.show(index, &target.path.display().to_string(), &report))
            }
            Processed::Unreadable(m) => Outcome::Unreadable(m),
        }
    }));
    again.unwrap_or(Outcome::Panicked)
}

/// The report with its year-over-year findings (NB601, NB602, NB604) and the settings applied.
fn settle(
    settings: &Settings,
    mut report: Box<CheckedReport>,
    found: Vec<Diagnostic>,
) -> Box<CheckedReport> {
    report.diagnostics.extend(found);
    report.diagnostics.sort_by_key(|d| (d.span.start, d.code));
    report.diagnostics = settings.apply(std::mem::take(&mut report.diagnostics));
    report
}

/// A report of a file that could not be checked: an empty parse and one finding.
fn finding(d: Diagnostic, settings: &Settings) -> Box<CheckedReport> {
    // The renderers take a checked report; the empty input's parse is the one of no text.
    let mut report = nianbao_model::check(b"");
    report.diagnostics = settings.apply(vec![d]);
    Box::new(report)
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
fn check_in_order(run: Arc<Run>, mut emit: impl FnMut(usize, &Target, Outcome) -> bool) {
    let n = run.targets.len();
    let window = rayon::current_num_threads().max(1) * 2;
    let (tx, rx) = mpsc::channel::<(usize, Outcome)>();
    let mut spawned = 0;
    let mut waiting: BTreeMap<usize, Outcome> = BTreeMap::new();
    for next in 0..n {
        while spawned < n && spawned < next + window {
            let (tx, run) = (tx.clone(), Arc::clone(&run));
            let i = spawned;
            rayon::spawn(move || {
                let outcome =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(&run, i)))
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
        let Some(target) = run.targets.get(next) else {
            return;
        };
        if !emit(next, target, outcome) {
            return;
        }
    }
}

/// Runs `nianbao check`.
pub fn run(a: CheckArgs) -> u8 {
    run_with(a, None)
}

/// Makes the renderer of a command built on `check` (`nianbao score`).
pub type MakeRenderer = Box<dyn FnOnce(render::RenderOptions) -> Box<dyn render::Renderer>>;

/// [`run`] with the renderer `custom` makes in place of the one `--format` names:
/// the same reading, pairing, settings and exit codes.
pub fn run_with(a: CheckArgs, custom: Option<MakeRenderer>) -> u8 {
    let Ok(settings) = settings_of(&a) else {
        return 2;
    };
    let lang = settings.lang;
    let published = match a.published.as_deref() {
        None => None,
        Some(given) => {
            match nianbao_model::parse_date(given) {
                Some(date) => Some(date),
                None => {
                    error(
                    lang,
                    format!("--published 的日期无法识别：{given}（应写作 2025-01-20 或 2025年1月20日）"),
                    format!("--published: not a date: {given} (write 2025-01-20 or 2025年1月20日)"),
                );
                    return 2;
                }
            }
        }
    };
    let operands = a.paths.iter().chain(a.previous.as_ref());
    if !crate::io::check_stdin_use(operands, a.stdin_filename.as_deref(), lang) {
        return 2;
    }
    let mut unreadable = false;
    let shown_stdin = stdin_name(a.stdin_filename.as_deref());
    let mut annotations = match &a.annotate {
        Some(dest) => match annotate::destination(dest, &a.paths, lang) {
            Ok(destination) => Some(annotate::Writer::new(destination)),
            Err(()) => return 2,
        },
        None => None,
    };
    let Ok(targets) = walk::targets(&a.paths, &shown_stdin, &settings, &mut unreadable) else {
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
    let for_people = matches!(a.format, CheckFormat::Human | CheckFormat::Concise);
    if settings.statistics && !for_people {
        error(
            lang,
            "--statistics 只用于 human 和 concise 输出；JSON、SARIF 和 CSV 输出本身带有每份报告的计数".into(),
            "--statistics is for human and concise output; the JSON, SARIF and CSV outputs carry each report's counts".into(),
        );
        return 2;
    }
    if let Some(jobs) = a.jobs {
        // The first and only pool of the process: this cannot already be set.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(jobs))
            .build_global();
    }
    let options = render::RenderOptions {
        lang,
        color,
        // People see warnings and errors unless they ask; the infos are counted.
        shown: match (settings.min_severity, for_people) {
            (Some(min), _) => min,
            (None, true) => Severity::Warning,
            (None, false) => Severity::Info,
        },
        quiet: a.quiet,
        wide_ambiguous: a.ambiguous_width == AmbiguousWidth::Wide,
    };
    let mut renderer: Box<dyn render::Renderer> = match (custom, a.format, settings.statistics) {
        (Some(make), _, _) => make(options),
        (None, _, true) => Box::new(render::statistics::StatisticsRenderer::new(options)),
        (None, CheckFormat::Human, _) => Box::new(render::human::HumanRenderer::new(options)),
        (None, CheckFormat::Concise, _) => Box::new(render::human::HumanRenderer::concise(options)),
        (None, CheckFormat::Json, _) => Box::new(render::json::JsonRenderer::new(options)),
        (None, CheckFormat::Sarif, _) => Box::new(render::sarif::SarifRenderer::new(options)),
        (None, CheckFormat::Csv, _) => Box::new(render::csv::CsvRenderer::new(
            options,
            a.lang == Some(LangArg::Zh),
        )),
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
    if a.format == CheckFormat::Csv && crate::io::wants_bom(a.bom, a.no_bom, a.output.as_deref()) {
        sink.write("\u{feff}");
    }
    // Last year's report: the one given, checked once; else pairs found in the run.
    let previous_given = match &a.previous {
        Some(path) => {
            let shown = crate::io::shown_name(path, a.stdin_filename.as_deref());
            let Some(bytes) = crate::io::read_report(path, &shown, settings.max_file_size, lang)
            else {
                return 2;
            };
            let report = nianbao_model::check(&bytes);
            if !crate::io::checked_to_the_end(&report, &shown, lang) {
                return 2;
            }
            let text = Box::new(TextPrint::of(&report));
            Some((shown, Arc::new(report), text))
        }
        None => None,
    };
    let previous = match previous_given {
        Some((path, report, text)) => Previous::Given { path, report, text },
        None if targets.len() > 1 => Previous::InRun,
        None => Previous::None,
    };
    let run = Arc::new(Run::new(
        targets,
        settings.clone(),
        previous,
        renderer.preparer(),
        published,
        annotations.is_some(),
    ));
    let mut pairing = Pairing::new();
    let mut failed = false;
    let mut broken = false;
    let mut show = |sink: &mut Sink, target: &Target, outcome: Outcome| -> bool {
        let path = target.path.display().to_string();
        match outcome {
            Outcome::Shown(shown) => {
                failed |= shown.fails;
                let chunk = renderer.emit(shown.prepared);
                if !sink.write(&chunk) {
                    broken = true;
                    return false;
                }
                match (shown.annotated, annotations.as_mut()) {
                    (Some(Ok(annotated)), Some(writer)) => {
                        match writer.write(&target.path, &annotated) {
                            Ok((to, n)) if !a.quiet => sink.progress.suspend(|| {
                                crate::io::note(
                                    lang,
                                    format!("已写入带 {n} 条批注的副本：{}", to.display()),
                                    format!(
                                        "wrote the copy with {n} comment{}: {}",
                                        if n == 1 { "" } else { "s" },
                                        to.display()
                                    ),
                                )
                            }),
                            Ok(_) => {}
                            Err(m) => {
                                sink.progress.suspend(|| error(lang, m.zh, m.en));
                                unreadable = true;
                            }
                        }
                    }
                    (Some(Err(m)), _) => {
                        sink.progress.suspend(|| error(lang, m.zh, m.en));
                        unreadable = true;
                    }
                    _ => {}
                }
                // A check the core stopped (NB009) is an error whatever the rule
                // selection: a report that was not checked must not pass for clean.
                if !shown.complete {
                    sink.progress
                        .suspend(|| crate::io::not_checked_to_the_end(&path, lang));
                    unreadable = true;
                }
            }
            // Never: the pairing hands on every report prepared.
            Outcome::InRun(_) => {}
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
    };
    let mut stopped = false;
    check_in_order(Arc::clone(&run), |i, target, outcome| {
        let path = target.path.display().to_string();
        sink.progress.set_message(path.clone());
        sink.progress.inc(1);
        for (j, outcome) in pairing.take(&run, i, &path, outcome) {
            let Some(target) = run.targets.get(j) else {
                continue;
            };
            if !show(&mut sink, target, outcome) {
                stopped = true;
                return false;
            }
        }
        true
    });
    if !stopped {
        for (j, outcome) in pairing.finish(&run) {
            let Some(target) = run.targets.get(j) else {
                continue;
            };
            if !show(&mut sink, target, outcome) {
                break;
            }
        }
    }
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
