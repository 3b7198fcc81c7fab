//! `nianbao check --annotate`: a copy of each Word draft with one comment (批注)
//! per finding the run shows, on the finding's text (the writer is
//! [`nianbao_model::annotate`], on the writer of [`nianbao_docx::annotate`]).
//!
//! `--annotate FILE` for one draft; for a directory or several inputs,
//! `--annotate DIR` gets one copy per draft, under the draft's file name. The
//! comments are the findings of the run's severity (warnings and errors unless
//! `--min-severity`/`--show-info` says otherwise) and selection, each with its
//! message in the run's language, its code and the rule's how-to-fix.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use nianbao_model::grammar::Message;
use nianbao_model::settings::Lang;

use crate::io::error;

/// Where the annotated copies go.
#[derive(Debug)]
pub enum Destination {
    /// The copy of the run's one draft.
    File(PathBuf),
    /// A directory for a copy of each draft, under its own file name.
    Dir(PathBuf),
}

/// A draft annotated, or why it was not.
pub type Annotation = Result<Annotated, Message>;

/// An annotated copy, ready to be written (the comments are made by
/// [`nianbao_model::annotate`], which the server's download uses too).
pub use nianbao_model::annotate::{annotate, not_a_draft, Annotated};

/// Whether a path names a Word document by its extension.
fn is_docx(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("docx"))
}

/// The destination of `--annotate DEST` for the operands `paths`; `Err` after a
/// usage message on stderr: an operand that is not a `.docx` (a directory is
/// walked, its drafts annotated; standard input is taken when it is one), a
/// directory destination that cannot be made, a copy that would replace its draft.
pub fn destination(dest: &Path, paths: &[PathBuf], lang: Lang) -> Result<Destination, ()> {
    if let Some(other) = paths
        .iter()
        .find(|p| !crate::io::is_stdin(p) && !p.is_dir() && !is_docx(p))
    {
        error(
            lang,
            format!(
                "--annotate 只用于 Word 文档（.docx）：{} 不是 .docx 文件；要检查它，请去掉 --annotate",
                other.display()
            ),
            format!(
                "--annotate is for Word documents (.docx) only: {} is not a .docx file; check it without --annotate",
                other.display()
            ),
        );
        return Err(());
    }
    let one_file = paths.len() == 1 && !paths.iter().any(|p| p.is_dir());
    if one_file && !dest.is_dir() {
        if paths.iter().any(|p| same_file(p, dest)) {
            error(
                lang,
                format!(
                    "--annotate {} 会覆盖所检查的文档；请另选文件名",
                    dest.display()
                ),
                format!(
                    "--annotate {} would replace the draft checked; give another file name",
                    dest.display()
                ),
            );
            return Err(());
        }
        return Ok(Destination::File(dest.to_path_buf()));
    }
    if let Err(e) = std::fs::create_dir_all(dest) {
        error(
            lang,
            format!(
                "--annotate：无法创建目录 {}：{}（检查多个文件时 --annotate 应为目录）",
                dest.display(),
                crate::io::os_zh(&e)
            ),
            format!(
                "--annotate: cannot make the directory {}: {e} (with several files, --annotate names a directory)",
                dest.display()
            ),
        );
        return Err(());
    }
    Ok(Destination::Dir(dest.to_path_buf()))
}

/// Whether two paths are the same existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Writes the annotated copies as the run hands them on, in its order.
pub struct Writer {
    destination: Destination,
    written: HashSet<PathBuf>,
}

impl Writer {
    /// A writer to `destination`.
    pub fn new(destination: Destination) -> Self {
        Writer {
            destination,
            written: HashSet::new(),
        }
    }

    /// Writes the copy of the draft at `draft`; `Err` with what to tell.
    pub fn write(
        &mut self,
        draft: &Path,
        annotated: &Annotated,
    ) -> Result<(PathBuf, usize), Message> {
        let to = match &self.destination {
            Destination::File(file) => file.clone(),
            Destination::Dir(dir) => {
                let name = draft
                    .file_name()
                    .map_or_else(|| PathBuf::from("stdin.docx"), PathBuf::from);
                dir.join(name)
            }
        };
        if same_file(draft, &to) {
            return Err(Message::new(
                format!("批注副本 {} 会覆盖所检查的文档，未写入", to.display()),
                format!(
                    "the annotated copy {} would replace the draft checked; not written",
                    to.display()
                ),
            ));
        }
        if !self.written.insert(to.clone()) {
            return Err(Message::new(
                format!(
                    "{} 的批注副本未写入：{} 已写入同名文档的批注",
                    draft.display(),
                    to.display()
                ),
                format!(
                    "{} was not annotated: {} already holds the copy of a draft of the same name",
                    draft.display(),
                    to.display()
                ),
            ));
        }
        std::fs::write(&to, &annotated.bytes).map_err(|e| {
            Message::new(
                format!("无法写入 {}：{}", to.display(), crate::io::os_zh(&e)),
                format!("cannot write {}: {e}", to.display()),
            )
        })?;
        Ok((to, annotated.comments))
    }
}
