//! Panics caught per report, and logged without the report's text.
//!
//! A panic is a defect of nianbao; it must cost one report (an NB009 finding),
//! never the run, the server or a reviewer's other findings. A panic's message
//! can quote the report (`byte index 1 is not a char boundary; it is inside '站'
//! of `站1/2018-12``), so neither the finding nor the log carries it: only the
//! place in nianbao's source where it happened.

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};

use nianbao_grammar::{Diagnostic, Message, Parsed, Span};

use crate::rules::codes;
use crate::{CheckedReport, Incomplete, Limits};

thread_local! {
    /// Where the last panic on this thread happened, recorded by the hook.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Replaces the process's panic hook with one that writes the place of a panic
/// in nianbao's source to stderr, never its message (which may quote a report),
/// and records the place for the NB009 finding. The CLI and the server call it
/// first thing; a library user who wants Rust's default output does not.
pub fn install_panic_hook() {
    panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map_or_else(|| "?".to_string(), |l| format!("{}:{}", l.file(), l.line()));
        LAST_PANIC.with(|c| *c.borrow_mut() = Some(place.clone()));
        eprintln!("nianbao：内部错误，位置 {place}（消息已略去，以免记录报告文字）/ internal error at {place} (message withheld: it may quote the report)");
    }));
}

/// Runs `work`, turning a panic into the place it happened (when the hook of
/// [`install_panic_hook`] recorded it).
pub(crate) fn catching<T>(work: impl FnOnce() -> T) -> Result<T, Option<String>> {
    LAST_PANIC.with(|c| c.borrow_mut().take());
    panic::catch_unwind(AssertUnwindSafe(work)).map_err(|payload| {
        // The payload is the panic's message: it may quote the report, so it goes unread.
        drop(payload);
        LAST_PANIC.with(|c| c.borrow_mut().take())
    })
}

/// A report whose check did not run to its end: the parse (when there is one),
/// an empty model and the one finding that says why.
pub(crate) fn incomplete(
    parsed: Parsed,
    why: Incomplete,
    at: Option<String>,
    limits: &Limits,
) -> CheckedReport {
    let finding = match why {
        Incomplete::TimeLimit => {
            let (zh, en) = match limits.time_limit {
                Some(limit) => {
                    let secs = limit.as_secs_f64();
                    (
                        format!("检查未在 {secs} 秒的时间上限内完成，已停止；报告没有被完整检查"),
                        format!("the check did not finish within its time limit of {secs} s and was stopped; the report was not fully checked"),
                    )
                }
                None => (
                    "检查未在时间上限内完成，已停止；报告没有被完整检查".to_string(),
                    "the check did not finish within its time limit and was stopped; the report was not fully checked".to_string(),
                ),
            };
            Diagnostic::new(
                &codes::CHECK_TIME_LIMIT,
                Span::new(0, 0),
                Message::new(zh, en),
            )
        }
        Incomplete::InternalError => {
            let place = at
                .as_ref()
                .map_or_else(String::new, |l| format!("，位置 {l}"));
            let place_en = at.as_ref().map_or_else(String::new, |l| format!(" at {l}"));
            Diagnostic::new(
                &codes::INTERNAL_ERROR,
                Span::new(0, 0),
                Message::new(
                    format!("nianbao 检查这份报告时出错（程序缺陷{place}），报告没有被检查；请报告此问题"),
                    format!("nianbao failed while checking this report (a defect{place_en}); the report was not checked: please report it"),
                ),
            )
        }
    };
    let empty = nianbao_grammar::parse(b"");
    let mut none = nianbao_grammar::findings::Findings::resume(Vec::new(), &[]);
    let (report, _) = crate::report::build_with(&[], &empty, &mut none);
    CheckedReport {
        parsed,
        report,
        diagnostics: vec![finding],
        incomplete: Some(why),
        docx: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_caught_with_its_place_and_without_its_message() {
        let before = panic::take_hook();
        install_panic_hook();
        let caught = catching(|| -> usize { panic!("报告文字 1/2018-12") });
        panic::set_hook(before);
        let place = caught
            .expect_err("the panic is caught")
            .expect("the hook recorded its place");
        assert!(place.contains("guard.rs"), "{place}");
        assert!(!place.contains("报告文字"));
        // The next run starts clean.
        assert_eq!(catching(|| 7), Ok(7));
    }

    #[test]
    fn an_incomplete_check_says_why_in_both_languages() {
        let r = incomplete(
            nianbao_grammar::parse(b"x"),
            Incomplete::InternalError,
            Some("crates/model/src/facts.rs:1".into()),
            &Limits::default(),
        );
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].code, "NB009");
        assert!(r.diagnostics[0].message.zh.contains("facts.rs:1"));
        assert!(r.diagnostics[0].message.en.contains("defect"));
    }
}
