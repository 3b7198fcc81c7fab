//! A rule's documentation for the page's detail panel: what it checks, why it
//! matters and how to fix, each in Chinese and in English.
//!
//! The doc comments of the codes write both languages side by side, sentence
//! after sentence (`总分不符是……之一。A total that its own parts contradict…`);
//! here each sentence goes to the language its words are in. Tables and code
//! blocks (the fixtures' decisions) are left to the rule catalog.

use nianbao_grammar::diagnostic::DiagnosticCode;
use nianbao_model::grammar as nianbao_grammar;

/// The sections the panel shows, with their headings in both languages.
pub const PANEL_SECTIONS: [(&str, &str, &str); 3] = [
    ("## What it checks", "检查什么", "What it checks"),
    ("## Why it matters", "为什么重要", "Why it matters"),
    ("## How to fix", "如何修正", "How to fix"),
];

/// One section of a rule's documentation in both languages (either may be
/// empty when the doc wrote only the other).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Bilingual {
    /// The Chinese sentences, in order.
    pub zh: String,
    /// The English sentences, in order.
    pub en: String,
}

/// The [`PANEL_SECTIONS`] of a code's documentation, in that order.
pub fn panel(code: &DiagnosticCode) -> [Bilingual; 3] {
    let mut out: [Bilingual; 3] = Default::default();
    let mut current: Option<usize> = None;
    let mut fence = false;
    for line in code.doc.lines() {
        let line = line.trim();
        if line.starts_with("```") {
            fence = !fence;
            continue;
        }
        if fence {
            continue;
        }
        if line.starts_with('#') {
            current = PANEL_SECTIONS.iter().position(|(h, _, _)| *h == line);
            continue;
        }
        let Some(i) = current else { continue };
        if line.is_empty() || line.starts_with('|') {
            continue;
        }
        for sentence in sentences(line) {
            let target = if is_chinese(sentence) {
                &mut out[i].zh
            } else {
                if !out[i].en.is_empty() {
                    out[i].en.push(' ');
                }
                &mut out[i].en
            };
            target.push_str(sentence.trim());
        }
    }
    out
}

/// A line cut after each sentence end: `。` `；` `！` `？`, or `.` `;` `:` before a space.
fn sentences(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let end = matches!(c, '。' | '；' | '！' | '？')
            || (matches!(c, '.' | ';' | ':') && next.is_some_and(char::is_whitespace));
        if end {
            let cut = i + c.len_utf8();
            if !line[start..cut].trim().is_empty() {
                out.push(&line[start..cut]);
            }
            start = cut;
        }
    }
    if !line[start..].trim().is_empty() {
        out.push(&line[start..]);
    }
    out
}

/// Chinese when its Han characters outside `code` are not outnumbered three to one by Latin letters.
fn is_chinese(sentence: &str) -> bool {
    let (mut han, mut latin, mut in_code) = (0usize, 0usize, false);
    for c in sentence.chars() {
        if c == '`' {
            in_code = !in_code;
        } else if in_code {
        } else if ('\u{4e00}'..='\u{9fff}').contains(&c) {
            han += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    han > 0 && han * 3 >= latin
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nb401_splits_into_its_chinese_and_english_sentences() {
        let nb401 = nianbao_model::docs::find("NB401").expect("NB401");
        let [checks, why, fix] = panel(nb401);
        assert!(checks.zh.starts_with("正文“共 X，其中"), "{}", checks.zh);
        assert!(
            checks.en.starts_with("The parts of a stated breakdown"),
            "{}",
            checks.en
        );
        assert!(!checks.zh.contains("The parts"), "{}", checks.zh);
        // The fixtures' table stays in the catalog.
        assert!(!checks.en.contains("中卫 2017, 156"), "{}", checks.en);
        assert_eq!(why.zh, "总分不符是审阅者最常发现的错误之一。");
        assert_eq!(
            why.en,
            "A total that its own parts contradict is an obvious slip."
        );
        assert_eq!(fix.zh, "核对总数与各分项。");
        assert_eq!(fix.en, "Check the total and each part.");
    }

    #[test]
    fn every_rule_has_what_it_checks_in_some_language() {
        for code in nianbao_model::catalog() {
            let [checks, _, _] = panel(code);
            assert!(
                !checks.zh.is_empty() || !checks.en.is_empty(),
                "{} has no `What it checks`",
                code.code
            );
        }
    }
}
