//! Bounds on what one report can produce: at most [`MAX_PER_RULE`] findings of a
//! rule per report (the first in input order), then one finding saying how many
//! more there are. A report of a hundred thousand unclosed `《` gives a readable
//! list, an output of bounded size and a bounded memory, not a hundred thousand
//! findings.
//!
//! Findings are capped as they are made ([`nianbao_grammar::findings`]):
//! suppression comments then apply to the findings listed, and a suppression over
//! findings past the cap counts as used.

pub use nianbao_grammar::findings::MAX_PER_RULE;

#[cfg(test)]
mod tests {
    use super::*;
    use nianbao_grammar::Diagnostic;

    #[test]
    fn a_rule_with_more_findings_lists_the_cap_and_one_summary() {
        // Every unclosed `《` is an NB504; a wrong breakdown (NB401) stays whole.
        let text = format!(
            "一、概述\n\n共3件，其中2件、2件。\n\n{}\n",
            "《".repeat(MAX_PER_RULE + 234)
        );
        let report = crate::check(text.as_bytes());
        let nb504: Vec<&Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| d.code == "NB504")
            .collect();
        assert_eq!(nb504.len(), MAX_PER_RULE + 1);
        let summary = nb504[MAX_PER_RULE];
        assert_eq!(summary.found.as_deref(), Some("234"));
        assert!(
            summary.message.zh.contains("另有 234 条"),
            "{:?}",
            summary.message
        );
        assert!(
            summary.message.en.contains("234 more NB504"),
            "{:?}",
            summary.message
        );
        // The summary stands where the first finding left out was: after the kept ones.
        assert!(nb504[MAX_PER_RULE - 1].span.start < summary.span.start);
        assert_eq!(
            report
                .diagnostics
                .iter()
                .filter(|d| d.code == "NB401")
                .count(),
            1
        );
    }

    #[test]
    fn at_the_cap_nothing_changes() {
        let text = format!("一、概述\n\n{}\n", "《".repeat(MAX_PER_RULE));
        let report = crate::check(text.as_bytes());
        let nb504: Vec<&Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| d.code == "NB504")
            .collect();
        assert_eq!(nb504.len(), MAX_PER_RULE);
        assert!(nb504.iter().all(|d| d.found.is_none()));
    }

    #[test]
    fn a_suppression_over_findings_past_the_cap_is_used() {
        // The paragraph under the comment has one more NB504, past the cap: it is not
        // listed, and the comment did suppress something (no NB006).
        let text = format!(
            "一、概述\n\n{}\n\n<!-- nianbao: ignore NB504 -->\n以下简称《条例》)规定。\n",
            "《".repeat(MAX_PER_RULE + 200)
        );
        let report = crate::check(text.as_bytes());
        let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(
            codes.iter().filter(|c| **c == "NB504").count(),
            MAX_PER_RULE + 1
        );
        assert!(!codes.contains(&"NB006"), "{codes:?}");
    }

    #[test]
    fn unused_suppressions_are_capped_too() {
        let text = format!(
            "一、概述\n\n{}",
            "<!-- nianbao: ignore NB401 -->\n".repeat(MAX_PER_RULE + 50)
        );
        let report = crate::check(text.as_bytes());
        let nb006: Vec<&Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| d.code == "NB006")
            .collect();
        assert_eq!(nb006.len(), MAX_PER_RULE + 1);
        assert_eq!(nb006[MAX_PER_RULE].found.as_deref(), Some("50"));
    }
}
