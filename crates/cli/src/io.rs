//! Input and output shared by the commands: reading reports (files, standard
//! input as `-`, pipes), writing results, bilingual errors on stderr.
//!
//! Every report is read through [`read_capped`], which stops one byte past the
//! size limit (`--max-file-size`): a pipe or standard input is never buffered
//! beyond it, and a regular file larger than the limit is not read at all.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use nianbao_model::settings::Lang;

/// The operand that names standard input.
pub const STDIN: &str = "-";

/// Where a report's bytes come from.
#[derive(Clone, Copy, Debug)]
pub enum Source<'a> {
    /// Standard input (`-`).
    Stdin,
    /// A named path: a regular file, or a stream such as a named pipe or the
    /// `/dev/fd/N` of a shell's process substitution.
    Path(&'a Path),
}

impl<'a> Source<'a> {
    /// `-` is standard input; anything else a path.
    pub fn of(operand: &'a Path) -> Self {
        if is_stdin(operand) {
            Source::Stdin
        } else {
            Source::Path(operand)
        }
    }
}

/// Whether an operand is `-` (standard input).
pub fn is_stdin(operand: &Path) -> bool {
    operand.as_os_str() == STDIN
}

/// A report's bytes, or that it is larger than the limit.
#[derive(Debug)]
pub enum Contents {
    /// At most the limit.
    Bytes(Vec<u8>),
    /// More than the limit: the size of a regular file, `None` for a stream
    /// (only the limit and one byte more were read).
    TooLarge(Option<u64>),
}

/// Reads at most `limit` bytes (one more to know there are more): a regular file
/// larger than the limit is not read; a stream is read up to one byte past it.
pub fn read_capped(source: Source<'_>, limit: u64) -> std::io::Result<Contents> {
    let cap = limit.saturating_add(1);
    let mut bytes = Vec::new();
    match source {
        Source::Stdin => {
            std::io::stdin().lock().take(cap).read_to_end(&mut bytes)?;
        }
        Source::Path(path) => {
            let file = std::fs::File::open(path)?;
            let meta = file.metadata()?;
            if meta.is_dir() {
                return Err(std::io::Error::other("is a directory"));
            }
            if meta.is_file() {
                if meta.len() > limit {
                    return Ok(Contents::TooLarge(Some(meta.len())));
                }
                bytes.reserve_exact(usize::try_from(meta.len()).unwrap_or(0));
            }
            file.take(cap).read_to_end(&mut bytes)?;
        }
    }
    if bytes.len() as u64 > limit {
        // A stream, or a regular file that grew while it was read.
        return Ok(Contents::TooLarge(None));
    }
    Ok(Contents::Bytes(bytes))
}

/// The bilingual "larger than the limit" text, for a finding (NB007) or an error.
pub fn too_large_message(size: Option<u64>, limit: u64) -> (String, String) {
    match size {
        Some(size) => (
            format!("文件大小 {size} 字节，超过检查上限 {limit} 字节，未检查（--max-file-size 可调整上限）"),
            format!("the file has {size} bytes, more than the limit of {limit}; not checked (--max-file-size sets the limit)"),
        ),
        None => (
            format!("输入超过检查上限 {limit} 字节，只读到上限为止，未检查（--max-file-size 可调整上限）"),
            format!("the input has more than the limit of {limit} bytes; reading stopped there and it was not checked (--max-file-size sets the limit)"),
        ),
    }
}

/// Reads one report named on the command line for `parse`, `table` and `merge`:
/// `-` is standard input. A read error or a report larger than `limit` is an
/// error on stderr naming it (the caller exits 2).
pub fn read_report(operand: &Path, shown: &str, limit: u64, lang: Lang) -> Option<Vec<u8>> {
    match read_capped(Source::of(operand), limit) {
        Ok(Contents::Bytes(bytes)) => Some(bytes),
        Ok(Contents::TooLarge(size)) => {
            let (zh, en) = too_large_message(size, limit);
            error(lang, format!("{shown}：{zh}"), format!("{shown}: {en}"));
            None
        }
        Err(e) => {
            error(
                lang,
                format!("无法读取 {shown}：{}", os_zh(&e)),
                format!("cannot read {shown}: {e}"),
            );
            None
        }
    }
}

/// An error on stderr when the check of a report did not run to its end (NB009:
/// a defect of nianbao, caught for this report): its model is empty, so `table`
/// and `merge` would silently miss its figures. False then (the caller exits 2).
pub fn checked_to_the_end(report: &nianbao_model::CheckedReport, shown: &str, lang: Lang) -> bool {
    if report.incomplete.is_none() {
        return true;
    }
    not_checked_to_the_end(shown, lang);
    false
}

/// The error of [`checked_to_the_end`] on stderr.
pub fn not_checked_to_the_end(shown: &str, lang: Lang) {
    error(
        lang,
        format!("检查 {shown} 时发生内部错误，报告没有被检查（请报告此问题）"),
        format!(
            "internal error while checking {shown}: the report was not checked (please report it)"
        ),
    );
}

/// How standard input is named in the output: `--stdin-filename`, else `-`.
pub fn stdin_name(stdin_filename: Option<&Path>) -> String {
    stdin_filename.map_or_else(|| STDIN.to_string(), |p| p.display().to_string())
}

/// The name an operand is shown by: a path as given, `-` as [`stdin_name`].
pub fn shown_name(operand: &Path, stdin_filename: Option<&Path>) -> String {
    if is_stdin(operand) {
        stdin_name(stdin_filename)
    } else {
        operand.display().to_string()
    }
}

/// Checks the use of standard input in a command's operands: `-` at most once
/// (it can be read once), and `--stdin-filename` only with `-`. False after a
/// message on stderr (a usage error, exit 2).
pub fn check_stdin_use<'a>(
    operands: impl IntoIterator<Item = &'a PathBuf>,
    stdin_filename: Option<&Path>,
    lang: Lang,
) -> bool {
    let uses = operands.into_iter().filter(|p| is_stdin(p)).count();
    if uses > 1 {
        error(
            lang,
            "标准输入（-）只能读取一次，不能指定多次".to_string(),
            "standard input (-) can be read once only; it is named more than once".to_string(),
        );
        return false;
    }
    if uses == 0 && stdin_filename.is_some() {
        error(
            lang,
            "--stdin-filename 用于为标准输入命名，需与 - 一起使用".to_string(),
            "--stdin-filename names standard input; give it with -".to_string(),
        );
        return false;
    }
    true
}

/// A bilingual error on stderr, in the chosen language.
pub fn error(lang: Lang, zh: String, en: String) {
    let msg = match lang {
        Lang::Zh => format!("nianbao：错误：{zh}"),
        Lang::En => format!("nianbao: error: {en}"),
    };
    let _ = writeln!(std::io::stderr(), "{msg}");
}

/// A note on stderr, in the user's language: what was done beside the output.
pub fn note(lang: Lang, zh: String, en: String) {
    let msg = match lang {
        Lang::Zh => format!("nianbao：{zh}"),
        Lang::En => format!("nianbao: {en}"),
    };
    let _ = writeln!(std::io::stderr(), "{msg}");
}

/// Writes to stdout; false when stdout is gone.
pub fn write_stdout(s: &str) -> bool {
    let mut out = std::io::stdout().lock();
    out.write_all(s.as_bytes())
        .and_then(|_| out.flush())
        .is_ok()
}

/// Whether CSV output starts with a UTF-8 byte-order mark: `--bom`, else not with
/// `--no-bom`, else when it goes to a file named `*.csv` (Excel on Chinese Windows
/// reads a CSV without one as GBK).
pub fn wants_bom(bom: bool, no_bom: bool, output: Option<&Path>) -> bool {
    bom || (!no_bom
        && output
            .and_then(|p| p.extension())
            .is_some_and(|e| e.eq_ignore_ascii_case("csv")))
}

/// An operating system error in Chinese: what happened in words, the system's own
/// message kept in brackets for the one who has to look it up.
///
/// The kinds a user meets (a missing file, no permission, a directory named as a
/// file, a full disk) are said in Chinese; any other keeps the system's text.
pub fn os_zh(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let words = match e.kind() {
        K::NotFound => "文件或目录不存在",
        K::PermissionDenied => "没有访问权限",
        K::IsADirectory => "这是一个目录，不是文件",
        K::NotADirectory => "路径中有一段不是目录",
        K::StorageFull => "磁盘空间已满",
        K::AlreadyExists => "文件已存在",
        K::InvalidData => "内容无效",
        K::ReadOnlyFilesystem => "文件系统只读",
        K::Interrupted | K::TimedOut => "读写被中断",
        _ => return format!("系统错误：{e}"),
    };
    format!("{words}（{e}）")
}

/// Writes a command's output to `-o FILE` or stdout. Binary output (`binary`)
/// is never written to a terminal. False (after a message) when it could not be written.
pub fn write_output(output: Option<&Path>, bytes: &[u8], binary: bool, lang: Lang) -> bool {
    match output {
        Some(path) => match std::fs::write(path, bytes) {
            Ok(()) => true,
            Err(e) => {
                error(
                    lang,
                    format!("无法写入 {}：{}", path.display(), os_zh(&e)),
                    format!("cannot write {}: {e}", path.display()),
                );
                false
            }
        },
        None if binary && std::io::stdout().is_terminal() => {
            error(
                lang,
                "二进制输出不能写到终端；请用 -o FILE 指定输出文件".to_string(),
                "binary output is not written to a terminal; give -o FILE".to_string(),
            );
            false
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes).and_then(|_| out.flush()).is_ok()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_incomplete_check_is_an_error() {
        let mut report = nianbao_model::check(b"x");
        assert!(checked_to_the_end(&report, "x.md", Lang::En));
        report.incomplete = Some(nianbao_model::Incomplete::InternalError);
        assert!(!checked_to_the_end(&report, "x.md", Lang::En));
    }

    #[test]
    fn a_stream_is_read_to_one_byte_past_the_limit() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("r.md");
        std::fs::write(&path, b"12345").expect("written");
        let read = |limit| read_capped(Source::Path(&path), limit).expect("readable");
        assert!(matches!(read(5), Contents::Bytes(b) if b == b"12345"));
        assert!(matches!(read(4), Contents::TooLarge(Some(5))));
        assert!(
            read_capped(Source::Path(dir.path()), 10).is_err(),
            "a directory"
        );
    }
}
