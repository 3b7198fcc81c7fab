//! Findings as they are made, with bounded memory: at most [`MAX_PER_RULE`] of a
//! rule are listed per report, then one finding says how many more there are.
//!
//! A report of a hundred thousand unclosed `《` or converter escapes would make a
//! hundred thousand findings, each with its message: more memory than the report
//! and an unreadable list. Every producer (the grammar's repairs, the model's
//! rules) pushes into one [`Findings`], which keeps, per code, only the findings
//! first in input order — one more than listed, to stand for the rest — and for
//! the others their count, the place they cover and their highest severity.
//! [`Findings::finish`] gives them in input order, the first one left out of each
//! capped code turned into the summary.
//!
//! ```
//! use nianbao_grammar::findings::{Findings, MAX_PER_RULE};
//! use nianbao_grammar::{codes, Diagnostic, Message, Span};
//!
//! let mut findings = Findings::default();
//! for i in (0..MAX_PER_RULE + 5).rev() {
//!     let m = Message::new("页码行", "page number line");
//!     findings.push(Diagnostic::new(&codes::PAGE_NUMBER_LINE, Span::new(i, i + 1), m));
//! }
//! let (listed, left_out) = findings.finish();
//! assert_eq!(listed.len(), MAX_PER_RULE + 1);
//! assert_eq!(listed[0].span.start, 0, "the first in input order are kept");
//! assert_eq!(listed[MAX_PER_RULE].found.as_deref(), Some("5"));
//! assert_eq!(left_out[0].extent, Span::new(MAX_PER_RULE + 1, MAX_PER_RULE + 5));
//! ```

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use crate::diagnostic::{Diagnostic, Message, Severity};
use crate::span::Span;

/// The most findings of one rule listed for one report.
pub const MAX_PER_RULE: usize = 1000;

/// Findings kept per code: those listed and the one that stands for the rest.
const KEEP: usize = MAX_PER_RULE + 1;

/// The findings of one report, as they are made (see the module documentation).
#[derive(Clone, Debug, Default)]
pub struct Findings {
    /// Per code, the findings first in input order: a max-heap on (start, order made).
    kept: HashMap<&'static str, BinaryHeap<Kept>>,
    /// Per code, the findings beyond those kept.
    left_out: HashMap<&'static str, LeftOut>,
    /// How many findings were pushed: the order they were made in.
    made: u64,
}

/// The findings of a code beyond the [`MAX_PER_RULE`] + 1 kept: not listed, counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LeftOut {
    /// The code.
    pub code: &'static str,
    /// How many.
    pub count: usize,
    /// From the start of the first to the end of the last (their primary spans).
    pub extent: Span,
    /// The highest severity among them.
    pub severity: Severity,
}

#[derive(Clone, Debug)]
struct Kept {
    start: usize,
    made: u64,
    diagnostic: Diagnostic,
}

impl Kept {
    fn key(&self) -> (usize, u64) {
        (self.start, self.made)
    }
}

impl PartialEq for Kept {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Kept {}

impl PartialOrd for Kept {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Kept {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

impl Findings {
    /// Findings that go on from earlier ones: `kept` in the order they were made
    /// (such as [`Findings::kept_in_order`] gave them) and what was left out.
    pub fn resume(kept: Vec<Diagnostic>, left_out: &[LeftOut]) -> Self {
        let mut findings = Findings::default();
        findings.extend(kept);
        for l in left_out {
            findings.left_out.insert(l.code, *l);
        }
        findings
    }

    /// Adds a finding; only the first [`MAX_PER_RULE`] + 1 of its code in input
    /// order (earlier made first among equal places) are kept.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        let item = Kept {
            start: diagnostic.span.start,
            made: self.made,
            diagnostic,
        };
        self.made += 1;
        let heap = self.kept.entry(item.diagnostic.code).or_default();
        if heap.len() < KEEP {
            heap.push(item);
            return;
        }
        // Full: of the new one and the last kept, the later in input order is left out.
        let out = match heap.peek_mut() {
            Some(mut last) if item < *last => std::mem::replace(&mut *last, item),
            _ => item,
        };
        let d = out.diagnostic;
        self.left_out
            .entry(d.code)
            .and_modify(|l| {
                l.count += 1;
                l.extent = l.extent.cover(d.span);
                l.severity = l.severity.max(d.severity);
            })
            .or_insert(LeftOut {
                code: d.code,
                count: 1,
                extent: d.span,
                severity: d.severity,
            });
    }

    /// Every kept finding, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.kept.values().flatten().map(|k| &k.diagnostic)
    }

    /// True when nothing was pushed.
    pub fn is_empty(&self) -> bool {
        self.made == 0
    }

    /// Applies `f` to every span (the grammar maps decoded offsets to the original
    /// bytes). `f` must keep the order of offsets.
    pub fn map_spans(&mut self, f: impl Fn(Span) -> Span) {
        for heap in self.kept.values_mut() {
            let mut items = std::mem::take(heap).into_vec();
            for k in &mut items {
                let d = &mut k.diagnostic;
                d.span = f(d.span);
                for r in &mut d.related {
                    r.span = f(r.span);
                }
                k.start = d.span.start;
            }
            *heap = BinaryHeap::from(items);
        }
        for l in self.left_out.values_mut() {
            l.extent = f(l.extent);
        }
    }

    /// The kept findings in input order (by start, then code, then the order they
    /// were made), each as made, and what was left out, by code.
    pub fn kept_in_order(self) -> (Vec<Diagnostic>, Vec<LeftOut>) {
        let mut kept: Vec<Kept> = self.kept.into_values().flatten().collect();
        kept.sort_by(|a, b| {
            (a.start, a.diagnostic.code, a.made).cmp(&(b.start, b.diagnostic.code, b.made))
        });
        let mut left_out: Vec<LeftOut> = self.left_out.into_values().collect();
        left_out.sort_by_key(|l| l.code);
        (kept.into_iter().map(|k| k.diagnostic).collect(), left_out)
    }

    /// The findings to list, in input order: of a code with findings left out, the
    /// first one left out stands for all of them — its message says how many are not
    /// listed, `found` is that count, its severity the highest among them.
    pub fn finish(self) -> (Vec<Diagnostic>, Vec<LeftOut>) {
        let (mut listed, left_out) = self.kept_in_order();
        if left_out.is_empty() {
            return (listed, left_out);
        }
        let mut seen: HashMap<&'static str, usize> = HashMap::new();
        for d in &mut listed {
            let n = seen.entry(d.code).or_default();
            *n += 1;
            if *n != KEEP {
                continue;
            }
            let Some(l) = left_out.iter().find(|l| l.code == d.code) else {
                continue;
            };
            let more = l.count + 1;
            let code = d.code;
            d.message = Message::new(
                format!(
                    "{code} 在本报告中另有 {more} 条检查结果未列出：每条规则每份报告最多列出 {MAX_PER_RULE} 条，此处是未列出的第一条"
                ),
                format!(
                    "{more} more {code} findings in this report are not listed: at most {MAX_PER_RULE} per rule and report; this is where the first one is"
                ),
            );
            d.severity = d.severity.max(l.severity);
            d.related.clear();
            d.expected = None;
            d.found = Some(more.to_string());
        }
        (listed, left_out)
    }
}

impl Extend<Diagnostic> for Findings {
    fn extend<I: IntoIterator<Item = Diagnostic>>(&mut self, iter: I) {
        for d in iter {
            self.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes;

    fn finding(start: usize, severity: Severity) -> Diagnostic {
        Diagnostic::new(
            &codes::PAGE_NUMBER_LINE,
            Span::new(start, start + 1),
            Message::new("页码行", "page number line"),
        )
        .with_severity(severity)
    }

    #[test]
    fn under_the_cap_everything_is_listed_in_input_order() {
        let mut findings = Findings::default();
        for start in [5, 1, 3] {
            findings.push(finding(start, Severity::Info));
        }
        let (listed, left_out) = findings.finish();
        let starts: Vec<usize> = listed.iter().map(|d| d.span.start).collect();
        assert_eq!(starts, vec![1, 3, 5]);
        assert!(left_out.is_empty());
        assert!(listed.iter().all(|d| d.found.is_none()));
    }

    #[test]
    fn over_the_cap_the_first_in_input_order_are_kept_whatever_the_order_made() {
        // Made from the end backwards: every later push evicts a kept one.
        let n = MAX_PER_RULE + 300;
        let mut findings = Findings::default();
        for start in (0..n).rev() {
            let severity = if start == n - 1 {
                Severity::Error
            } else {
                Severity::Info
            };
            findings.push(finding(start, severity));
        }
        let (listed, left_out) = findings.finish();
        assert_eq!(listed.len(), MAX_PER_RULE + 1);
        assert!(listed.iter().enumerate().all(|(i, d)| d.span.start == i));
        let summary = &listed[MAX_PER_RULE];
        assert_eq!(summary.found.as_deref(), Some("300"));
        assert!(summary.message.zh.contains("另有 300 条"));
        assert!(summary.message.en.contains("300 more NB"));
        assert_eq!(summary.severity, Severity::Error, "the highest left out");
        assert_eq!(left_out.len(), 1);
        assert_eq!(left_out[0].count, 299);
        assert_eq!(left_out[0].extent, Span::new(MAX_PER_RULE + 1, n));
    }

    #[test]
    fn resuming_keeps_the_count() {
        let mut findings = Findings::default();
        for start in 0..MAX_PER_RULE + 10 {
            findings.push(finding(start, Severity::Info));
        }
        let (kept, left_out) = findings.kept_in_order();
        let mut resumed = Findings::resume(kept, &left_out);
        resumed.push(finding(0, Severity::Info));
        let (listed, _) = resumed.finish();
        assert_eq!(listed.len(), MAX_PER_RULE + 1);
        assert_eq!(listed[MAX_PER_RULE].found.as_deref(), Some("11"));
    }
}
