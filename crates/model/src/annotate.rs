//! The reviewer's comments (批注) on a Word draft: one per finding, in the
//! chosen language, with the rule's code and how to fix it. The CLI's
//! `check --annotate` and the server's annotated download both write them from
//! here, so the two give the same comments; the writing itself is
//! [`nianbao_docx::annotate`].

use nianbao_grammar::{Diagnostic, Message, Severity};

use crate::settings::{Lang, Settings};
use crate::CheckedReport;

/// An annotated copy of a draft.
#[derive(Debug)]
pub struct Annotated {
    /// The `.docx` bytes.
    pub bytes: Vec<u8>,
    /// How many comments it has.
    pub comments: usize,
}

/// The comments of a report: its findings of at least `settings.min_severity`
/// (warnings and errors when unset; the settings' rule selection is already
/// applied to the report), in the settings' language.
pub fn comments(report: &CheckedReport, settings: &Settings) -> Vec<nianbao_docx::Comment> {
    let min = settings.min_severity.unwrap_or(Severity::Warning);
    report
        .diagnostics
        .iter()
        .filter(|d| d.severity >= min)
        .map(|d| nianbao_docx::Comment {
            range: d.span.start..d.span.end,
            paragraphs: paragraphs(d, settings.lang),
        })
        .collect()
}

/// A comment's text: severity, code, name and message; then how to fix it.
pub fn paragraphs(d: &Diagnostic, lang: Lang) -> Vec<String> {
    let severity = match (lang, d.severity) {
        (Lang::Zh, Severity::Error) => "错误",
        (Lang::Zh, Severity::Warning) => "警告",
        (Lang::Zh, Severity::Info) => "提示",
        (Lang::En, s) => s.as_str(),
    };
    let message = lang.pick(&d.message);
    let mut out = vec![match lang {
        Lang::Zh => format!("{severity} {} {}：{message}", d.code, d.name),
        Lang::En => format!("{severity} {} {}: {message}", d.code, d.name),
    }];
    if let Some(fix) = crate::docs::how_to_fix(d.code) {
        out.push(match lang {
            Lang::Zh => format!("修改建议：{}", fix.zh),
            Lang::En => format!("How to fix: {}", fix.en),
        });
    }
    out
}

/// The annotated copy of a checked draft whose bytes are `bytes`, named `name`
/// in the messages; `Err` with what to tell: the report was not read as a Word
/// document, or its package could not be written.
pub fn annotate(
    bytes: &[u8],
    report: &CheckedReport,
    settings: &Settings,
    name: &str,
) -> Result<Annotated, Message> {
    let Some(document) = report.docx.as_ref() else {
        return Err(not_a_draft(name));
    };
    let comments = comments(report, settings);
    match nianbao_docx::annotate(bytes, document, &comments) {
        Ok(done) => Ok(Annotated {
            bytes: done.bytes,
            comments: comments.len(),
        }),
        Err(e) => Err(Message::new(
            format!("无法为 {name} 写入批注：{e}"),
            format!("cannot annotate {name}: {e}"),
        )),
    }
}

/// Why a file was not annotated: it was not read as a Word document.
pub fn not_a_draft(name: &str) -> Message {
    Message::new(
        format!("{name} 未能作为 Word 文档读取，未写入批注"),
        format!("{name} was not read as a Word document; no annotated copy was written"),
    )
}
