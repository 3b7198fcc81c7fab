//! Bounds on what one report can produce: at most [`MAX_PER_RULE`] findings of a
//! rule per report, then one finding saying how many more there are. A report of
//! a hundred thousand unclosed `《` gives a readable list and an output of bounded
//! size, not a hundred thousand lines.

use nianbao_grammar::{Diagnostic, Message};

/// The most findings of one rule listed for one report.
pub const MAX_PER_RULE: usize = 1000;

/// Keeps the first [`MAX_PER_RULE`] findings of each code (in the order given:
/// input order) and puts, where the first one left out was, one finding of the
/// same code saying how many were left out. Its severity is the highest of those
/// left out, so a run that should fail still fails.
pub fn cap_per_rule(diagnostics: &mut Vec<Diagnostic>) {
    use std::collections::HashMap;
    let mut counts: HashMap<&'static str, usize> = HashMap::new();
    for d in diagnostics.iter() {
        *counts.entry(d.code).or_default() += 1;
    }
    if counts.values().all(|&n| n <= MAX_PER_RULE) {
        return;
    }
    let mut seen: HashMap<&'static str, usize> = HashMap::new();
    // For every capped code: the index (in the kept list) of its summary.
    let mut summaries: HashMap<&'static str, usize> = HashMap::new();
    let mut kept = Vec::with_capacity(diagnostics.len().min(counts.len() * (MAX_PER_RULE + 1)));
    for d in diagnostics.drain(..) {
        let n = seen.entry(d.code).or_default();
        *n += 1;
        if *n <= MAX_PER_RULE {
            kept.push(d);
        } else if *n == MAX_PER_RULE + 1 {
            summaries.insert(d.code, kept.len());
            kept.push(d);
        } else if let Some(&at) = summaries.get(d.code) {
            let summary: &mut Diagnostic = &mut kept[at];
            summary.severity = summary.severity.max(d.severity);
        }
    }
    for (code, at) in summaries {
        let more = counts[code] - MAX_PER_RULE;
        let first_left_out = &mut kept[at];
        first_left_out.message = Message::new(
            format!(
                "{code} 在本报告中另有 {more} 条检查结果未列出：每条规则每份报告最多列出 {MAX_PER_RULE} 条，此处是未列出的第一条"
            ),
            format!(
                "{more} more {code} findings in this report are not listed: at most {MAX_PER_RULE} per rule and report; this is where the first one is"
            ),
        );
        first_left_out.related.clear();
        first_left_out.expected = None;
        first_left_out.found = Some(more.to_string());
    }
    *diagnostics = kept;
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
