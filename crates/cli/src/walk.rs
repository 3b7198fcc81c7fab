//! The files of a `nianbao check` run: files named on the command line as given
//! (whatever their extension; `-` is standard input, a named pipe is read as a
//! stream), directories walked with ripgrep's walker — hidden
//! files and directories skipped, `.gitignore`, `.ignore` and `.git/info/exclude`
//! respected (also outside a git repository), symbolic links followed — keeping the
//! files that the globs choose ([`Settings::effective_globs`]). Each directory's
//! files come in path order, so the output does not depend on the file system.
//!
//! Nothing found is dropped silently: a path the walk cannot follow (a subdirectory
//! that cannot be listed, a symbolic link to nothing or back to a directory above,
//! a pipe, a socket or a device — never opened, as opening a pipe would wait for a
//! writer) is a [`Target`] with a [`Problem`] that becomes a finding (NB005); a
//! problem in an ignore file is a warning on stderr.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use ignore::overrides::OverrideBuilder;
use ignore::WalkBuilder;
use nianbao_model::grammar::{Message, Severity};
use nianbao_model::settings::{Lang, Settings};

use crate::io::error;

/// One file to check.
#[derive(Debug)]
pub struct Target {
    /// The path as named or as found under a named directory; for standard
    /// input, `--stdin-filename` or `-`.
    pub path: PathBuf,
    /// Named on the command line (a read error is then a usage error, exit 2).
    pub named: bool,
    /// How it is read.
    pub input: Input,
    /// Known before reading: the file cannot be checked.
    pub problem: Option<Problem>,
}

/// How a target is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// A regular file: read when it is checked (and again when it is last year's
    /// report of another file of the run).
    File,
    /// A stream named on the command line (a named pipe, a shell's `<(…)`, a
    /// character device): it can be read once only, so it is read before the run.
    Stream,
    /// Standard input (`-`): read once, before the run.
    Stdin,
}

/// Why a file found in a walk cannot be read.
#[derive(Debug)]
pub enum Problem {
    /// A symbolic link back to a directory above it; not followed.
    Loop {
        /// The directory it points back to.
        ancestor: PathBuf,
    },
    /// The operating system's error.
    Io(String),
    /// A subdirectory that cannot be listed (the operating system's error): the
    /// files in it are not checked.
    Directory(String),
    /// Not a regular file (a pipe, a socket, a device).
    NotRegular,
    /// A symbolic link to nothing.
    DanglingLink {
        /// Where it points.
        target: PathBuf,
        /// The operating system's error.
        error: String,
    },
}

/// The files of the named paths, in order: operands as given (`-` as standard
/// input, shown as `stdin_name`), each directory's files sorted by path, a path
/// met twice kept once. `Err(())` after a message on stderr when a glob is
/// invalid. Named paths that cannot be read are reported on stderr and counted
/// in `unreadable`.
pub fn targets(
    paths: &[PathBuf],
    stdin_name: &str,
    settings: &Settings,
    unreadable: &mut bool,
) -> Result<Vec<Target>, ()> {
    let lang = settings.lang;
    let mut out: Vec<Target> = Vec::new();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    for path in paths {
        if crate::io::is_stdin(path) {
            out.push(Target {
                path: PathBuf::from(stdin_name),
                named: true,
                input: Input::Stdin,
                problem: None,
            });
            continue;
        }
        match std::fs::metadata(path) {
            Err(e) => {
                error(
                    lang,
                    format!("无法读取 {}：{}", path.display(), crate::io::os_zh(&e)),
                    format!("cannot read {}: {e}", path.display()),
                );
                *unreadable = true;
            }
            Ok(meta) if meta.is_dir() => {
                let mut found = walk(path, settings, unreadable)?;
                if found.is_empty() {
                    warning(
                        lang,
                        format!(
                            "目录 {} 中没有要检查的文件（默认检查 .md .txt .html .htm；用 --glob 选择文件）",
                            path.display()
                        ),
                        format!(
                            "no file to check in {} (.md .txt .html .htm by default; --glob chooses files)",
                            path.display()
                        ),
                    );
                }
                found.sort_by(|a, b| a.path.cmp(&b.path));
                for target in found {
                    if seen.insert(target.path.clone()) {
                        out.push(target);
                    }
                }
            }
            Ok(meta) => {
                if seen.insert(path.clone()) {
                    out.push(Target {
                        path: path.clone(),
                        named: true,
                        input: if meta.is_file() {
                            Input::File
                        } else {
                            Input::Stream
                        },
                        problem: None,
                    });
                }
            }
        }
    }
    Ok(out)
}

impl Problem {
    /// What to say of it (an NB005 finding), and the severity when not the code's own.
    pub fn message(&self) -> (Message, Option<Severity>) {
        match self {
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
            Problem::Directory(e) => (
                Message::new(
                    format!("无法读取目录，其中的文件未检查：{e}"),
                    format!("cannot read the directory; the files in it were not checked: {e}"),
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
                Some(Severity::Warning),
            ),
        }
    }
}

/// The reports `table`, `merge` and `parse` read for their operands: each named
/// path as it is (`-` too), a directory's files as `check` walks them (default
/// globs, ignore files, sorted). A file of a walk that cannot be read is named on
/// stderr and counted in `unreadable`, as `check` counts its NB005.
pub fn operands(paths: &[PathBuf], lang: Lang, unreadable: &mut bool) -> Vec<PathBuf> {
    let settings = Settings {
        lang,
        ..Settings::default()
    };
    let mut out = Vec::new();
    for path in paths {
        if crate::io::is_stdin(path) || !path.is_dir() {
            out.push(path.clone());
            continue;
        }
        let Ok(found) = targets(std::slice::from_ref(path), "-", &settings, unreadable) else {
            *unreadable = true;
            continue;
        };
        for target in found {
            match &target.problem {
                None => out.push(target.path),
                Some(problem) => {
                    let (m, _) = problem.message();
                    error(
                        lang,
                        format!("{}：{}", target.path.display(), m.zh),
                        format!("{}: {}", target.path.display(), m.en),
                    );
                    *unreadable = true;
                }
            }
        }
    }
    out
}

/// The files under one directory, unsorted.
fn walk(dir: &Path, settings: &Settings, unreadable: &mut bool) -> Result<Vec<Target>, ()> {
    let lang = settings.lang;
    let mut overrides = OverrideBuilder::new(dir);
    for (glob, default) in settings.effective_globs() {
        // The default extensions match any case (`REPORT.MD`); the user's globs are exact.
        let added = overrides
            .case_insensitive(default)
            .and_then(|o| o.add(&glob).map(|_| ()));
        if let Err(e) = added {
            error(
                lang,
                format!("无效的 glob“{glob}”：{}", glob_error(&e)),
                format!("invalid glob `{glob}`: {}", glob_error(&e)),
            );
            return Err(());
        }
    }
    let selection = match overrides.build() {
        Ok(o) => o,
        Err(e) => {
            error(
                lang,
                format!("无效的 glob：{e}"),
                format!("invalid glob: {e}"),
            );
            return Err(());
        }
    };
    // The globs are a filter applied after the ignore files (not the walker's
    // overrides, which would win over a `.gitignore`): a directory they exclude is
    // not entered, a file is kept when they select it.
    let prune = selection.clone();
    let walker = WalkBuilder::new(dir)
        .follow_links(true)
        .require_git(false)
        .skip_stdout(true)
        .filter_entry(move |entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            !(is_dir && prune.matched(entry.path(), true).is_ignore())
        })
        .build();
    let selected = |path: &Path| !selection.matched(path, false).is_ignore();
    let mut out = Vec::new();
    // Documents the walk does not take that are reports in another form (a PDF, a
    // Word draft): counted and named, never skipped in silence.
    let mut skipped: Vec<(String, usize)> = Vec::new();
    for result in walker {
        match result {
            Ok(entry) => {
                if let Some(e) = entry.error() {
                    ignore_file_warning(lang, e);
                }
                if entry.depth() == 0 {
                    continue;
                }
                match entry.file_type() {
                    Some(t) if t.is_dir() => {}
                    _ if !selected(entry.path()) => {
                        if let Some(ext) = not_text_extension(entry.path()) {
                            match skipped.iter_mut().find(|(e, _)| *e == ext) {
                                Some((_, n)) => *n += 1,
                                None => skipped.push((ext, 1)),
                            }
                        }
                    }
                    Some(t) if t.is_file() => out.push(Target {
                        path: entry.into_path(),
                        named: false,
                        input: Input::File,
                        problem: None,
                    }),
                    _ => out.push(Target {
                        path: entry.into_path(),
                        named: false,
                        input: Input::File,
                        problem: Some(Problem::NotRegular),
                    }),
                }
            }
            Err(e) => {
                let before = out.len();
                walk_error(dir, e, lang, &mut out, unreadable);
                // A path the walk could not follow counts when the globs would
                // have chosen it; a directory (a loop, one that cannot be listed)
                // always does: the files in it would have been checked.
                if out.len() > before {
                    let last = &out[before];
                    let directory = matches!(
                        last.problem,
                        Some(Problem::Loop { .. } | Problem::Directory(_))
                    );
                    if !directory && !selected(&last.path) {
                        out.truncate(before);
                    }
                }
            }
        }
    }
    if !skipped.is_empty() {
        let total: usize = skipped.iter().map(|(_, n)| n).sum();
        let list = |sep: &str| {
            skipped
                .iter()
                .map(|(e, n)| format!(".{e} {n}"))
                .collect::<Vec<_>>()
                .join(sep)
        };
        warning(
            lang,
            format!(
                "目录 {} 中另有 {total} 个非文本文件未检查（{}）：PDF、Word、WPS 等文件请另存为网页（.html）或纯文本（.txt）后再检查",
                dir.display(),
                list("、")
            ),
            format!(
                "{total} more files in {} are not text and were not checked ({}): save PDF, Word and WPS files as a web page (.html) or plain text (.txt) and check those",
                dir.display(),
                list(", ")
            ),
        );
    }
    Ok(out)
}

/// The extension of a document a report may come as that nianbao does not read
/// (`pdf`, `doc`, `wps`, `ofd`, spreadsheets, images, archives; a `.docx` is
/// read), lowercase.
fn not_text_extension(path: &Path) -> Option<String> {
    const NOT_TEXT: [&str; 15] = [
        "pdf", "doc", "wps", "wpt", "ofd", "xls", "xlsx", "et", "png", "jpg", "jpeg", "tif", "zip",
        "rar", "7z",
    ];
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    NOT_TEXT.contains(&ext.as_str()).then_some(ext)
}

/// Sorts a walk error: a path that cannot be followed becomes a target with its
/// problem; a problem in an ignore file a warning; the named directory itself an error.
fn walk_error(
    root: &Path,
    e: ignore::Error,
    lang: Lang,
    out: &mut Vec<Target>,
    unreadable: &mut bool,
) {
    let mut path: Option<PathBuf> = None;
    let mut inner = &e;
    loop {
        match inner {
            ignore::Error::WithPath { path: p, err } => {
                path.get_or_insert_with(|| p.clone());
                inner = err;
            }
            ignore::Error::WithDepth { err, .. } => inner = err,
            ignore::Error::Partial(errors) => {
                for err in errors {
                    ignore_file_warning(lang, err);
                }
                return;
            }
            ignore::Error::WithLineNumber { .. } | ignore::Error::Glob { .. } => {
                ignore_file_warning(lang, &e);
                return;
            }
            ignore::Error::Loop { ancestor, child } => {
                out.push(Target {
                    path: child.clone(),
                    named: false,
                    input: Input::File,
                    problem: Some(Problem::Loop {
                        ancestor: ancestor.clone(),
                    }),
                });
                return;
            }
            ignore::Error::Io(io) => {
                match path {
                    Some(p) if p != root => {
                        let problem = io_problem(&p, io);
                        out.push(Target {
                            path: p,
                            named: false,
                            input: Input::File,
                            problem: Some(problem),
                        })
                    }
                    _ => {
                        error(
                            lang,
                            format!("无法读取 {}：{io}", root.display()),
                            format!("cannot read {}: {io}", root.display()),
                        );
                        *unreadable = true;
                    }
                }
                return;
            }
            other => {
                error(
                    lang,
                    format!("遍历 {} 时出错：{other}", root.display()),
                    format!("error walking {}: {other}", root.display()),
                );
                *unreadable = true;
                return;
            }
        }
    }
}

/// The operating system's error without the path repeated; a symbolic link to
/// nothing says so.
fn io_problem(path: &Path, io: &std::io::Error) -> Problem {
    let os = os_error(io);
    if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
        return Problem::Directory(os);
    }
    if io.kind() == std::io::ErrorKind::NotFound {
        if let Ok(target) = std::fs::read_link(path) {
            return Problem::DanglingLink { target, error: os };
        }
    }
    Problem::Io(os)
}

/// The operating system's error inside a walk error (which repeats the path).
fn os_error(io: &std::io::Error) -> String {
    if let Some(code) = io.raw_os_error() {
        return std::io::Error::from_raw_os_error(code).to_string();
    }
    let mut current: Option<&(dyn std::error::Error + 'static)> = io
        .get_ref()
        .map(|e| e as &(dyn std::error::Error + 'static));
    while let Some(e) = current {
        if let Some(code) = e
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::raw_os_error)
        {
            return std::io::Error::from_raw_os_error(code).to_string();
        }
        current = e.source();
    }
    io.to_string()
}

/// The glob error without the glob repeated.
fn glob_error(e: &ignore::Error) -> String {
    match e {
        ignore::Error::Glob { err, .. } => err.clone(),
        other => other.to_string(),
    }
}

/// A problem in a `.gitignore` or `.ignore` file: the walk goes on without that line.
fn ignore_file_warning(lang: Lang, e: &ignore::Error) {
    warning(
        lang,
        format!("忽略规则文件有误，已跳过该规则：{e}"),
        format!("a problem in an ignore file, the rule is skipped: {e}"),
    );
}

/// A bilingual warning on stderr.
pub fn warning(lang: Lang, zh: String, en: String) {
    let msg = match lang {
        Lang::Zh => format!("nianbao：警告：{zh}"),
        Lang::En => format!("nianbao: warning: {en}"),
    };
    let _ = writeln!(std::io::stderr(), "{msg}");
}
