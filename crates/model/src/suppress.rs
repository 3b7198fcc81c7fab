//! Inline suppressions: a reviewer who has looked at a finding marks it in the report
//! with an HTML comment, `<!-- nianbao: ignore NB401 -->` (one or more codes, families
//! or rule names, separated by commas or spaces), on the finding's line or on the
//! line(s) directly above it — where it covers the whole logical block (paragraph
//! or table, also across pages) that starts on the line below. A suppression that
//! suppresses nothing is itself a finding, NB006 `unused-suppression`.
//!
//! The comments are found in the grammar's tree: the `Comment` blocks of Markdown
//! (a line that starts with `<!--`), the `Raw` leaves of an HTML page, and — for a
//! comment at the end of a line of text, which the Markdown grammar keeps as text —
//! the run of leaves of that line from `<!--` to `-->`.
//!
//! ```
//! let text = "一、概述\n\n<!-- nianbao: ignore NB504 -->\n以下简称《条例》)规定。\n<!-- nianbao: ignore NB401 -->\n";
//! let report = nianbao_model::check(text.as_bytes());
//! let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code).collect();
//! assert!(!codes.contains(&"NB504"), "suppressed: {codes:?}");
//! assert!(codes.contains(&"NB006"), "the NB401 comment is unused: {codes:?}");
//! ```

use nianbao_grammar::findings::{Findings, LeftOut};
use nianbao_grammar::{
    Block, Diagnostic, Message, Node, NodeKind, Parsed, Span, TextView, TreeSink,
};

use crate::rules::codes::UNUSED_SUPPRESSION;
use crate::settings::Selector;

/// Longest comment at the end of a text line read as a suppression (a longer one is not one).
const MAX_INLINE: usize = 2000;

/// An HTML comment found in the tree. Its text is read as it is found and not
/// kept: a report of a million comments holds a few words per comment.
#[derive(Debug)]
struct Comment {
    /// Where it is (for a comment inside a text line, the leaves that hold it).
    span: Span,
    /// Nothing but whitespace before it on its first line.
    alone_before: bool,
    /// Nothing but whitespace (or other comments) after it on its last line.
    alone_after: bool,
    /// For a `nianbao:` comment, what it says: an index into [`Said::list`].
    said: Option<u32>,
    /// For a `nianbao:` comment, where its entries' `used` flags start in the
    /// flags of all of them (set when they are matched); [`NO_FLAGS`] past four
    /// billion entries, whose entries then count as used.
    used: u32,
}

/// [`Comment::used`] of a suppression without flags.
const NO_FLAGS: u32 = u32::MAX;

// A report of a million comments holds this much per comment, and nothing more
// per suppression: its lines are found when they are asked for.
const _: () = assert!(std::mem::size_of::<Comment>() <= 32);

/// What the `nianbao:` comments say, each wording read once: a suppression
/// repeated a million times is one entry here.
#[derive(Debug, Default)]
struct Said {
    /// Comment text → index in `list`.
    by_text: std::collections::HashMap<String, u32>,
    list: Vec<Wording>,
}

/// A selector of a suppression, or the text of an unknown one.
type Entry = Result<Selector, String>;

/// One wording of a `nianbao:` comment, read.
#[derive(Debug)]
struct Wording {
    /// The selectors it lists.
    entries: Vec<Entry>,
    /// A comment that cannot be read as a suppression.
    problem: Option<Message>,
}

impl Said {
    /// What the comment `text` says, when it is a `nianbao:` comment.
    fn read(&mut self, text: &str) -> Option<u32> {
        if let Some(&k) = self.by_text.get(text) {
            return Some(k);
        }
        let (entries, problem) = read_directive(text)?;
        let k = u32::try_from(self.list.len()).ok()?;
        self.list.push(Wording { entries, problem });
        self.by_text.insert(text.to_string(), k);
        Some(k)
    }
}

/// Removes the findings that a suppression comment covers, and adds an NB006 for
/// every suppression (or part of one) that covered nothing. Findings left out past
/// the cap of their rule (`left_out`) are not listed, so not removed; a suppression
/// that meets their extent counts as used.
pub fn apply(
    parsed: &Parsed,
    comments: Comments,
    diagnostics: &mut Vec<Diagnostic>,
    left_out: &[LeftOut],
) {
    let (mut comments, said) = comments.finish();
    let wording = |k: u32| said.list.get(k as usize);
    // The `nianbao:` comments, each with where its entries' flags start.
    let mut flags: usize = 0;
    for c in &mut comments {
        if let Some(w) = c.said.and_then(wording) {
            match u32::try_from(flags) {
                Ok(at) if at != NO_FLAGS => {
                    c.used = at;
                    flags = flags.saturating_add(w.entries.len());
                }
                _ => c.used = NO_FLAGS,
            }
        } else {
            c.said = None;
        }
    }
    if comments.iter().all(|c| c.said.is_none()) {
        return;
    }
    let line = |offset: usize| parsed.line_of(offset);
    let alone = |c: &Comment| c.alone_before && c.alone_after;
    // Lines that hold nothing but comments, as runs of consecutive lines: a
    // suppression looks through a run in one step (a stack of thousands of
    // comment lines stays linear).
    let mut comment_runs: Vec<(usize, usize)> = comments
        .iter()
        .filter(|c| alone(c))
        .map(|c| (line(c.span.start), line(last_byte(c.span))))
        .collect();
    comment_runs.sort_unstable();
    merge_runs(&mut comment_runs);
    // The logical blocks' (first line, last line), by first line — the first block
    // of a line for each — when a suppression stands alone on its lines: a comment
    // above a block covers it whole (a comment between the rows of a table would
    // cut the table in two).
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    if comments.iter().any(|c| c.said.is_some() && alone(c)) {
        blocks = parsed
            .blocks
            .iter()
            .map(|block| {
                // Logical blocks: a table split across pages is one table.
                let span = match block {
                    Block::Para(p) => p.span,
                    Block::Table(t) => t.span(),
                };
                (line(span.start), line(last_byte(span)))
            })
            .collect();
        // Stable: of the blocks that start on one line, the first stays.
        blocks.sort_by_key(|b| b.0);
        blocks.dedup_by_key(|b| b.0);
    }
    // The first and last lines whose findings a suppression covers.
    let lines = |c: &Comment| {
        let first = line(c.span.start);
        let mut last = line(last_byte(c.span));
        if alone(c) {
            // The line directly below, through a stack of comment lines…
            last += 1;
            let k = comment_runs.partition_point(|&(first, _)| first <= last);
            if let Some(&(_, run_last)) = k.checked_sub(1).and_then(|k| comment_runs.get(k)) {
                if run_last >= last {
                    last = run_last + 1;
                }
            }
            // …and the rest of the block that starts there.
            let k = blocks.partition_point(|b| b.0 < last);
            if let Some(&(_, end)) = blocks.get(k).filter(|b| b.0 == last) {
                last = last.max(end);
            }
        }
        (first, last)
    };
    let mut used = vec![false; flags];
    let suppressed = match_lines(
        &comments,
        &lines,
        &said.list,
        &mut used,
        diagnostics,
        left_out,
        line,
    );
    let mut k = 0;
    diagnostics.retain(|_| {
        k += 1;
        !suppressed[k - 1]
    });
    // NB006 findings are capped like any rule's.
    let mut unused = Findings::default();
    for directive in &comments {
        let Some(said) = directive.said.and_then(wording) else {
            continue;
        };
        if let Some(problem) = &said.problem {
            unused.push(Diagnostic::new(
                &UNUSED_SUPPRESSION,
                directive.span,
                problem.clone(),
            ));
            continue;
        }
        for (ei, selector) in said.entries.iter().enumerate() {
            let flag = flag_of(directive, ei);
            if flag.and_then(|f| used.get(f)).copied().unwrap_or(true) {
                continue;
            }
            let message = match selector {
                Ok(s) => Message::new(
                    format!("抑制注释未被使用：此处及其下的段落或表格中没有“{s}”的检查结果"),
                    format!("unused suppression: no `{s}` finding here or in the paragraph or table below"),
                ),
                Err(text) => Message::new(
                    format!("抑制注释中有未知的规则“{text}”；用 `nianbao rules` 列出全部规则"),
                    format!(
                        "unknown rule `{text}` in a suppression comment; `nianbao rules` lists them all"
                    ),
                ),
            };
            unused.push(Diagnostic::new(
                &UNUSED_SUPPRESSION,
                directive.span,
                message,
            ));
        }
    }
    diagnostics.extend(unused.finish().0);
}

/// Merges overlapping and adjacent runs of sorted runs of lines, in place.
fn merge_runs(runs: &mut Vec<(usize, usize)>) {
    let mut kept: usize = 0;
    for i in 0..runs.len() {
        let (first, last) = runs[i];
        match kept.checked_sub(1).map(|k| &mut runs[k]) {
            Some(run) if first <= run.1 + 1 => run.1 = run.1.max(last),
            _ => {
                runs[kept] = (first, last);
                kept += 1;
            }
        }
    }
    runs.truncate(kept);
    runs.shrink_to_fit();
}

/// Which diagnostics a directive covers (a directive's lines meet the finding's
/// lines and one of its entries selects the finding's code), marking every entry
/// that covers one as used.
///
/// Answered per code with sorted intervals and running maxima, never by pairing
/// every finding with every directive: thousands of comments over thousands of
/// findings stay linear (up to a logarithm).
fn match_lines(
    directives: &[Comment],
    lines: &dyn Fn(&Comment) -> (usize, usize),
    said: &[Wording],
    used: &mut [bool],
    diagnostics: &[Diagnostic],
    left_out: &[LeftOut],
    line: impl Fn(usize) -> usize,
) -> Vec<bool> {
    use std::collections::HashMap;
    // The findings of each code, with their lines; the extent of those left out
    // stands for them (an index past the list: nothing to remove).
    let mut by_code: HashMap<&str, Vec<(usize, usize, usize)>> = HashMap::new();
    let spans = diagnostics
        .iter()
        .map(|d| (d.code, d.span))
        .chain(left_out.iter().map(|l| (l.code, l.extent)));
    for (i, (code, span)) in spans.enumerate() {
        let lines = (line(span.start), line(last_byte(span)));
        by_code.entry(code).or_default().push((lines.0, lines.1, i));
    }
    let mut suppressed = vec![false; diagnostics.len()];
    // The suppressions in the order of their first lines: input order, in which
    // the tree hands out the comments (sorted here should it ever not be).
    let mut order: Vec<usize> = (0..directives.len())
        .filter(|&i| directives[i].said.is_some())
        .collect();
    if !order.is_sorted_by_key(|&i| line(directives[i].span.start)) {
        order.sort_by_key(|&i| line(directives[i].span.start));
    } else if order.len() == directives.len() {
        // Every comment a suppression, in order: no list of them is needed.
        order = Vec::new();
    }
    let in_order = || -> Box<dyn Iterator<Item = &Comment> + '_> {
        if order.is_empty() {
            Box::new(directives.iter().filter(|c| c.said.is_some()))
        } else {
            Box::new(order.iter().filter_map(|&i| directives.get(i)))
        }
    };
    for (code, findings) in &mut by_code {
        // Per wording, its entries that select this code (asked once per wording).
        let selecting: Vec<Vec<usize>> = said
            .iter()
            .map(|w| {
                (0..w.entries.len())
                    .filter(|&ei| w.entries[ei].as_ref().is_ok_and(|s| s.matches(code)))
                    .collect()
            })
            .collect();
        // Two ranges meet when each starts no later than the other ends. One sweep
        // over the suppressions by first line, none of them kept: a finding is
        // settled when the next suppression starts after its last line, by the
        // farthest reach of those before; an entry is used when a finding that
        // starts by its last line reaches its first.
        findings.sort_unstable();
        let finding_reach = running_max(findings.iter().map(|f| f.1));
        let mut by_last: Vec<(usize, usize, usize)> = findings.clone();
        by_last.sort_unstable_by_key(|f| f.1);
        let mut next = 0;
        let mut reach: Option<usize> = None;
        let mut settle = |upto: Option<usize>, reach: Option<usize>, next: &mut usize| {
            while let Some(&(first, last, i)) = by_last.get(*next) {
                if upto.is_some_and(|u| last >= u) {
                    break;
                }
                if reach.is_some_and(|r| r >= first) {
                    if let Some(s) = suppressed.get_mut(i) {
                        *s = true;
                    }
                }
                *next += 1;
            }
        };
        for directive in in_order() {
            let Some(k) = directive.said else {
                continue;
            };
            let selected = selecting.get(k as usize).map_or(&[][..], Vec::as_slice);
            if selected.is_empty() {
                continue;
            }
            let (first, last) = lines(directive);
            settle(Some(first), reach, &mut next);
            reach = Some(reach.map_or(last, |r| r.max(last)));
            let k = findings.partition_point(|f| f.0 <= last);
            if k > 0 && finding_reach[k - 1] >= first {
                for &ei in selected {
                    if let Some(u) = flag_of(directive, ei).and_then(|f| used.get_mut(f)) {
                        *u = true;
                    }
                }
            }
        }
        settle(None, reach, &mut next);
    }
    suppressed
}

/// The index of the `used` flag of entry `ei` of a suppression, if it has flags.
fn flag_of(c: &Comment, ei: usize) -> Option<usize> {
    (c.used != NO_FLAGS)
        .then_some(c.used as usize)
        .and_then(|at| at.checked_add(ei))
}

/// The running maximum of a sequence.
fn running_max(values: impl Iterator<Item = usize>) -> Vec<usize> {
    values
        .scan(0, |max, v| {
            *max = (*max).max(v);
            Some(*max)
        })
        .collect()
}

/// The offset of a span's last byte (its start when empty).
fn last_byte(span: Span) -> usize {
    span.end.saturating_sub(1).max(span.start)
}

/// Reads a comment's text as a directive: `None` when it is not a `nianbao:` comment;
/// else its entries, and a problem when it cannot be read as a suppression.
fn read_directive(text: &str) -> Option<(Vec<Entry>, Option<Message>)> {
    let inner = text.strip_prefix("<!--")?;
    let inner = inner.strip_suffix("-->").unwrap_or(inner).trim();
    let head = inner.get(..8)?;
    if !head.eq_ignore_ascii_case("nianbao:") {
        return None;
    }
    let rest = inner[8..].trim_start();
    let verb_end = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    if !rest[..verb_end].eq_ignore_ascii_case("ignore") {
        return Some((
            Vec::new(),
            Some(Message::new(
                "无法理解的 nianbao 注释；抑制注释的写法是 `<!-- nianbao: ignore NB401 -->`",
                "a nianbao comment that cannot be read; a suppression reads `<!-- nianbao: ignore NB401 -->`",
            )),
        ));
    }
    let entries: Vec<Entry> = rest[verb_end..]
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；'))
        .filter(|t| !t.is_empty())
        .map(|t| Selector::parse(t).map_err(|e| e.0))
        .collect();
    if entries.is_empty() {
        return Some((
            Vec::new(),
            Some(Message::new(
                "抑制注释没有列出规则，不抑制任何结果；写作 `<!-- nianbao: ignore NB401 -->`",
                "the suppression names no rule and suppresses nothing; write `<!-- nianbao: ignore NB401 -->`",
            )),
        ));
    }
    Some((entries, None))
}

/// The HTML comments of a report, found as its syntax tree goes by: a
/// [`TreeSink`] for [`nianbao_grammar::parse_streamed`], so a check finds them
/// without keeping the tree.
#[derive(Default)]
pub struct Comments {
    scan: Scan,
}

impl Comments {
    /// Reads the comments of one top-level node of the tree (nodes come in input order).
    pub fn visit(&mut self, node: &Node, text: &TextView<'_>) {
        let scan = &mut self.scan;
        // Most nodes are a leaf or a line of leaves: read without a stack.
        if node.kind != NodeKind::Comment && node.children.iter().all(|c| c.children.is_empty()) {
            if node.children.is_empty() {
                scan.leaf(node, text);
            }
            for child in &node.children {
                scan.node(child, text);
            }
            return;
        }
        let mut stack: Vec<&Node> = vec![node];
        while let Some(node) = stack.pop() {
            if node.kind == NodeKind::Comment || node.children.is_empty() {
                scan.node(node, text);
            } else {
                stack.extend(node.children.iter().rev());
            }
        }
    }

    /// Every comment, in input order, and what the `nianbao:` ones say.
    fn finish(mut self) -> (Vec<Comment>, Said) {
        self.scan.end_line();
        (self.scan.comments, self.scan.said)
    }
}

impl TreeSink for Comments {
    // A container's own span holds nothing to read: its leaves come as nodes.
    fn open(&mut self, _kind: NodeKind, _span: Span, _text: &TextView<'_>) {}

    fn node(&mut self, node: Node, text: &TextView<'_>) {
        self.visit(&node, text);
    }

    fn close(&mut self) {}
}

/// The state of the walk over the leaves.
#[derive(Default)]
struct Scan {
    comments: Vec<Comment>,
    /// What the `nianbao:` comments say.
    said: Said,
    /// Something other than whitespace and comments since the last line break.
    content_on_line: bool,
    /// Comments on the current line, waiting to learn whether text follows them.
    awaiting: Vec<usize>,
    /// A comment opened inside a text line: where, and its text so far.
    pending: Option<(usize, String)>,
}

impl Scan {
    /// A comment node (its leaves), or a leaf.
    fn node(&mut self, node: &Node, text: &TextView<'_>) {
        if node.kind == NodeKind::Comment {
            for child in &node.children {
                if child.kind == NodeKind::Raw {
                    self.comment(child.span, text.text_of(child.span));
                } else {
                    self.leaf(child, text);
                }
            }
        } else {
            self.leaf(node, text);
        }
    }

    fn comment(&mut self, span: Span, text: &str) {
        let multi_line = text.contains('\n');
        let said = self.said.read(text);
        self.comments.push(Comment {
            span,
            alone_before: !self.content_on_line,
            alone_after: true,
            said,
            used: 0,
        });
        if multi_line {
            // Its first line ended inside it: earlier comments are resolved.
            self.awaiting.clear();
        }
        self.awaiting.push(self.comments.len() - 1);
    }

    /// Text that is not a comment. Only its first and last lines count: once a line
    /// has ended, no comment awaits, and each further line ends in turn.
    fn content(&mut self, text: &str) {
        let Some(first_end) = text.find('\n') else {
            if !text.trim().is_empty() {
                self.mark_content();
            }
            return;
        };
        if !text[..first_end].trim().is_empty() {
            self.mark_content();
        }
        self.end_line();
        let last = text.rfind('\n').map_or("", |at| &text[at + 1..]);
        if !last.trim().is_empty() {
            self.mark_content();
        }
    }

    fn mark_content(&mut self) {
        self.content_on_line = true;
        for i in self.awaiting.drain(..) {
            self.comments[i].alone_after = false;
        }
    }

    fn end_line(&mut self) {
        self.content_on_line = false;
        self.awaiting.clear();
        self.pending = None;
    }

    fn leaf(&mut self, leaf: &Node, source: &TextView<'_>) {
        let text = source.text_of(leaf.span);
        if let Some((start, mut acc)) = self.pending.take() {
            if leaf.kind == NodeKind::Newline || text.contains('\n') {
                // Not closed on its line: not a suppression; the rest is text.
                self.content(text);
                return;
            }
            let before = acc.len();
            acc.push_str(text);
            // `-->` may straddle two leaves: look from two bytes back.
            let mut from = before.saturating_sub(2).max(4);
            while !acc.is_char_boundary(from) {
                from -= 1;
            }
            if let Some(close) = acc[from..].find("-->") {
                let close = from + close + 3;
                let after = acc[close..].to_string();
                acc.truncate(close);
                let end = self
                    .offset_in(leaf, text, close.saturating_sub(before))
                    .unwrap_or(leaf.span.end);
                self.comment(Span::new(start, end), &acc);
                self.content(&after);
            } else if acc.len() <= MAX_INLINE {
                self.pending = Some((start, acc));
            }
            return;
        }
        match leaf.kind {
            NodeKind::Raw if text.trim_start().starts_with("<!--") => {
                self.comment(leaf.span, text.trim());
            }
            // A byte search first: most leaves hold no `<`.
            NodeKind::Text if text.contains('<') && text.contains("<!--") => {
                let open = text.find("<!--").unwrap_or(0);
                self.content(&text[..open]);
                let start = self.offset_in(leaf, text, open).unwrap_or(leaf.span.start);
                let rest = &text[open..];
                if let Some(close) = rest[4..].find("-->") {
                    let close = 4 + close + 3;
                    let end = self
                        .offset_in(leaf, text, open + close)
                        .unwrap_or(leaf.span.end);
                    self.comment(Span::new(start, end), &rest[..close]);
                    self.content(&rest[close..]);
                } else {
                    self.pending = Some((start, rest.to_string()));
                }
            }
            _ => self.content(text),
        }
    }

    /// The original offset of byte `at` of a leaf's decoded text, when the leaf's
    /// decoded text has the same bytes as the original (UTF-8 input); else `None`.
    fn offset_in(&self, leaf: &Node, text: &str, at: usize) -> Option<usize> {
        (text.len() == leaf.span.len()).then_some(leaf.span.start + at)
    }
}

#[cfg(test)]
mod tests {
    fn codes(text: &str) -> Vec<&'static str> {
        crate::check(text.as_bytes())
            .diagnostics
            .iter()
            .map(|d| d.code)
            .collect()
    }

    /// A paragraph with an NB504 (a parenthesis closed, never opened).
    const BAD: &str = "以下简称《条例》)规定。";

    #[test]
    fn baseline_has_the_finding() {
        let text = format!("一、概述\n\n{BAD}\n");
        assert!(codes(&text).contains(&"NB504"));
        assert!(!codes(&text).contains(&"NB006"));
    }

    #[test]
    fn comment_above_suppresses() {
        for comment in [
            "<!-- nianbao: ignore NB504 -->",
            "<!--nianbao:ignore unbalanced-brackets-->",
            "<!-- NIANBAO: IGNORE nb504 -->",
            "<!-- nianbao: ignore NB5 -->",
            "  <!-- nianbao: ignore NB401, NB504 NB301 -->",
        ] {
            let text = format!("一、概述\n\n{comment}\n{BAD}\n");
            let found = codes(&text);
            assert!(!found.contains(&"NB504"), "{comment}: {found:?}");
            let unused = found.iter().filter(|c| **c == "NB006").count();
            let expected = if comment.contains("NB401") { 2 } else { 0 };
            assert_eq!(unused, expected, "{comment}: {found:?}");
        }
    }

    #[test]
    fn stacked_comments_above_all_apply() {
        let text = format!(
            "一、概述\n\n<!-- nianbao: ignore NB504 -->\n<!-- source: x -->\n<!-- nianbao: ignore NB401 -->\n{BAD}\n"
        );
        let found = codes(&text);
        assert!(!found.contains(&"NB504"), "{found:?}");
        assert_eq!(found.iter().filter(|c| **c == "NB006").count(), 1);
    }

    #[test]
    fn comment_at_line_end_suppresses() {
        let text = format!("一、概述\n\n{BAD}<!-- nianbao: ignore NB504 -->\n");
        let found = codes(&text);
        assert!(!found.contains(&"NB504"), "{found:?}");
        assert!(!found.contains(&"NB006"), "{found:?}");
        let text = format!("一、概述\n\n{BAD} <!-- nianbao: ignore NB401 -->\n");
        let report = crate::check(text.as_bytes());
        let unused: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.code == "NB006")
            .collect();
        assert_eq!(unused.len(), 1);
        assert_eq!(
            report.parsed.text_of(unused[0].span),
            "<!-- nianbao: ignore NB401 -->",
            "the span is the comment"
        );
        assert!(report.diagnostics.iter().any(|d| d.code == "NB504"));
    }

    #[test]
    fn comment_above_a_block_covers_the_whole_block() {
        // Hard-wrapped: the finding is on the paragraph's second line.
        let text =
            format!("一、概述\n\n<!-- nianbao: ignore NB504 -->\n第一行文字，\n{BAD}\n\n{BAD}\n");
        let report = crate::check(text.as_bytes());
        let lines: Vec<usize> = report
            .diagnostics
            .iter()
            .filter(|d| d.code == "NB504")
            .map(|d| report.parsed.line_col(d.span.start).line)
            .collect();
        assert_eq!(lines, vec![7], "{:?}", report.diagnostics);
    }

    #[test]
    fn comment_two_lines_above_or_after_a_blank_does_not_apply() {
        for text in [
            format!("一、概述\n\n<!-- nianbao: ignore NB504 -->\n\n{BAD}\n"),
            format!("一、概述\n\n{BAD}\n<!-- nianbao: ignore NB504 -->\n"),
        ] {
            let found = codes(&text);
            assert!(found.contains(&"NB504"), "{text}: {found:?}");
            assert!(found.contains(&"NB006"), "{text}: {found:?}");
        }
    }

    #[test]
    fn unknown_rule_and_unreadable_comments_are_nb006() {
        for comment in [
            "<!-- nianbao: ignore NB999 -->",
            "<!-- nianbao: ignore -->",
            "<!-- nianbao: ignroe NB504 -->",
        ] {
            let text = format!("一、概述\n\n{comment}\n{BAD}\n");
            let report = crate::check(text.as_bytes());
            let nb006: Vec<_> = report
                .diagnostics
                .iter()
                .filter(|d| d.code == "NB006")
                .collect();
            assert_eq!(nb006.len(), 1, "{comment}");
            assert_eq!(nb006[0].severity, nianbao_grammar::Severity::Info);
            assert!(report.diagnostics.iter().any(|d| d.code == "NB504"));
        }
    }

    #[test]
    fn other_comments_are_not_suppressions() {
        let text =
            format!("<!-- source: http://example.invalid -->\n一、概述\n\n{BAD} <!-- 备注 -->\n");
        let found = codes(&text);
        assert!(
            found.contains(&"NB504") && !found.contains(&"NB006"),
            "{found:?}"
        );
    }

    #[test]
    fn html_page_comments_suppress() {
        let page = format!(
            "<!DOCTYPE html>\n<html><head><title>x</title></head><body>\n<h1>某市2023年政府信息公开工作年度报告</h1>\n<p>一、概述</p>\n<!-- nianbao: ignore NB504 -->\n<p>{BAD}</p>\n<p>{BAD}<!-- nianbao: ignore NB504 --></p>\n<p>{BAD}</p>\n</body></html>\n"
        );
        let report = crate::check(page.as_bytes());
        let nb504: Vec<usize> = report
            .diagnostics
            .iter()
            .filter(|d| d.code == "NB504")
            .map(|d| report.parsed.line_col(d.span.start).line)
            .collect();
        assert_eq!(nb504, vec![8], "{:?}", report.diagnostics);
        assert!(!report.diagnostics.iter().any(|d| d.code == "NB006"));
    }

    #[test]
    fn gb18030_input_works() {
        let text = format!("一、概述\n\n{BAD}<!-- nianbao: ignore NB504 -->\n<!-- nianbao: ignore NB401 -->\n{BAD}\n");
        let bytes = gb18030(&text);
        let report = crate::check(&bytes);
        let found: Vec<&str> = report.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(
            found.iter().filter(|c| **c == "NB504").count(),
            1,
            "{found:?}"
        );
        assert_eq!(
            found.iter().filter(|c| **c == "NB006").count(),
            1,
            "{found:?}"
        );
    }

    /// GB18030 bytes of a text (only the characters the tests use).
    fn gb18030(text: &str) -> Vec<u8> {
        let table: &[(char, &[u8])] = &[
            ('一', b"\xd2\xbb"),
            ('、', b"\xa1\xa2"),
            ('概', b"\xb8\xc5"),
            ('述', b"\xca\xf6"),
            ('以', b"\xd2\xd4"),
            ('下', b"\xcf\xc2"),
            ('简', b"\xbc\xf2"),
            ('称', b"\xb3\xc6"),
            ('《', b"\xa1\xb6"),
            ('条', b"\xcc\xf5"),
            ('例', b"\xc0\xfd"),
            ('》', b"\xa1\xb7"),
            ('规', b"\xb9\xe6"),
            ('定', b"\xb6\xa8"),
            ('。', b"\xa1\xa3"),
        ];
        let mut out = Vec::new();
        for c in text.chars() {
            match table.iter().find(|(k, _)| *k == c) {
                Some((_, bytes)) => out.extend_from_slice(bytes),
                None => {
                    let mut buf = [0; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
            }
        }
        out
    }
}
