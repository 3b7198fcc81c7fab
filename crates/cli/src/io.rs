//! Input and output shared by the commands: reading named files, writing results,
//! bilingual errors on stderr.

use std::io::{IsTerminal, Write};
use std::path::Path;

use nianbao_model::settings::Lang;

/// A bilingual error on stderr, in the chosen language.
pub fn error(lang: Lang, zh: String, en: String) {
    let msg = match lang {
        Lang::Zh => format!("nianbao：错误：{zh}"),
        Lang::En => format!("nianbao: error: {en}"),
    };
    let _ = writeln!(std::io::stderr(), "{msg}");
}

/// Reads a named file; an error is reported on stderr (the caller exits 2).
pub fn read(path: &Path, lang: Lang) -> Option<Vec<u8>> {
    match std::fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            error(
                lang,
                format!("无法读取 {}：{e}", path.display()),
                format!("cannot read {}: {e}", path.display()),
            );
            None
        }
    }
}

/// Writes to stdout; false when stdout is gone.
pub fn write_stdout(s: &str) -> bool {
    let mut out = std::io::stdout().lock();
    out.write_all(s.as_bytes())
        .and_then(|_| out.flush())
        .is_ok()
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
                    format!("无法写入 {}：{e}", path.display()),
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
