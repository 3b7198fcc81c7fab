//! Human output: rustc-style snippets with the offending text underlined.
//!
//! Rendered with annotate-snippets, the renderer rustc itself uses: it measures
//! CJK characters as double width and expands tabs, so the underline sits under
//! the right characters of a Chinese report.

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use nianbao_model::grammar::{Diagnostic, Parsed, Severity, Span};
use nianbao_model::output::{Location, Summary};
use nianbao_model::settings::Lang;
use nianbao_model::CheckedReport;

use super::{Prepared, Preparer, RenderOptions};

/// Streams each report's snippets and summary line; a total line at the end when
/// more than one file was checked.
pub struct HumanRenderer {
    options: RenderOptions,
    files: usize,
    total: Summary,
    /// One line per finding ([`super::concise`]) instead of snippets; the total
    /// line then ends every run.
    concise: bool,
}

impl HumanRenderer {
    /// A renderer for these options.
    pub fn new(options: RenderOptions) -> Self {
        HumanRenderer {
            options,
            files: 0,
            total: Summary::default(),
            concise: false,
        }
    }

    /// The concise renderer: `path:line:column: code message`, then the total.
    pub fn concise(options: RenderOptions) -> Self {
        HumanRenderer {
            concise: true,
            ..HumanRenderer::new(options)
        }
    }
}

impl super::Renderer for HumanRenderer {
    fn preparer(&self) -> Preparer {
        Preparer {
            options: self.options,
            prepare: if self.concise {
                super::concise::prepare
            } else {
                prepare
            },
        }
    }

    fn emit(&mut self, prepared: Prepared) -> String {
        match prepared {
            Prepared::Text { text, summary } => {
                self.files += 1;
                self.total.add(summary);
                text
            }
            _ => String::new(),
        }
    }

    fn finish(&mut self) -> String {
        if (self.files > 1 || self.concise) && !self.options.quiet {
            format!(
                "{}\n",
                total_line(self.files, self.total, self.options.lang)
            )
        } else {
            String::new()
        }
    }
}

/// The report's snippets and summary line, and its counts.
fn prepare(options: RenderOptions, path: &str, report: &CheckedReport) -> Prepared {
    Prepared::Text {
        text: render_report(path, report, options),
        summary: Summary::of(&report.diagnostics),
    }
}

/// Longest piece of a line shown for one snippet, in bytes (long PDF lines and
/// one-line HTML bodies would otherwise flood the terminal).
const WINDOW: usize = 600;

/// Context kept before and after the marked text when a line is cut, in bytes.
const CONTEXT: usize = 120;

/// Renders the findings of one report from the lowest severity shown, a line per
/// rule for those below it, and its summary line (no summary lines when quiet).
pub fn render_report(path: &str, report: &CheckedReport, options: RenderOptions) -> String {
    let lang = options.lang;
    let renderer = if options.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii);
    let mut out = String::new();
    let mut hidden: Vec<(&'static str, usize)> = Vec::new();
    for d in &report.diagnostics {
        if d.severity >= options.shown {
            let one = render_one(&renderer, path, report, d, lang);
            out.push_str(&align_annotations(&one, options.wide_ambiguous));
            out.push_str("\n\n");
        } else {
            match hidden.iter_mut().find(|(code, _)| *code == d.code) {
                Some((_, n)) => *n += 1,
                None => hidden.push((d.code, 1)),
            }
        }
    }
    if options.quiet {
        return out;
    }
    out.push_str(&hidden_lines(&hidden, lang));
    out.push_str(&summary_line(path, Summary::of(&report.diagnostics), lang));
    out.push('\n');
    out
}

/// The findings not shown, one line per rule with its summary, and how to show them.
fn hidden_lines(hidden: &[(&'static str, usize)], lang: Lang) -> String {
    if hidden.is_empty() {
        return String::new();
    }
    let total: usize = hidden.iter().map(|(_, n)| n).sum();
    let mut out = match lang {
        Lang::Zh => format!("另有 {total} 条提示未显示（--show-info 显示）：\n"),
        Lang::En => format!(
            "{total} more info finding{} not shown (--show-info shows them):\n",
            plural(total)
        ),
    };
    let mut hidden = hidden.to_vec();
    hidden.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    for (code, n) in hidden {
        let summary = nianbao_model::docs::find(code).map_or("", |c| match lang {
            Lang::Zh => c.summary_zh,
            Lang::En => c.summary_en,
        });
        out.push_str(&format!("  {code} ×{n:<4} {summary}\n"));
    }
    out
}

/// `path: 0 errors, 1 warning, 7 infos` / `path：错误 0 个，警告 1 个，提示 7 个`.
pub fn summary_line(path: &str, s: Summary, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "{path}：错误 {} 个，警告 {} 个，提示 {} 个",
            s.error, s.warning, s.info
        ),
        Lang::En => format!(
            "{path}: {} error{}, {} warning{}, {} info{}",
            s.error,
            plural(s.error),
            s.warning,
            plural(s.warning),
            s.info,
            plural(s.info)
        ),
    }
}

/// The line after all files.
pub fn total_line(files: usize, s: Summary, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "共检查 {files} 个文件：错误 {} 个，警告 {} 个，提示 {} 个",
            s.error, s.warning, s.info
        ),
        Lang::En => format!(
            "checked {files} file{}: {} error{}, {} warning{}, {} info{}",
            plural(files),
            s.error,
            plural(s.error),
            s.warning,
            plural(s.warning),
            s.info,
            plural(s.info)
        ),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

/// A place to mark in a snippet: decoded byte range, its line, its label.
struct Mark {
    start: usize,
    end: usize,
    line: usize,
    /// The 1-based column of the start in the original line.
    column: usize,
    label: String,
    primary: bool,
}

impl Mark {
    fn new(parsed: &Parsed, span: Span, label: String, primary: bool) -> Mark {
        let text = parsed.text.as_str();
        // Spans from the core lie on character boundaries; a renderer must not panic if one does not.
        let span = parsed.on_chars(span);
        let start = floor_char(text, parsed.to_decoded(span.start).min(text.len()));
        let end = ceil_char(text, parsed.to_decoded(span.end).clamp(start, text.len()));
        let at = parsed.line_col(span.start);
        Mark {
            start,
            end,
            line: at.line,
            column: at.column,
            label,
            primary,
        }
    }
}

/// The marks of one finding in snippets: marks on one line that fit in a window
/// share a snippet (a sum's parts in one table row, a one-line HTML body), the
/// primary mark's snippet first.
fn clusters(mut marks: Vec<Mark>) -> Vec<Vec<Mark>> {
    marks.sort_by_key(|m| (m.line, m.start));
    let mut out: Vec<Vec<Mark>> = Vec::new();
    for m in marks {
        match out.last_mut() {
            Some(c)
                if c[0].line == m.line
                    && m.end.max(c.iter().map(|x| x.end).max().unwrap_or(0)) - c[0].start
                        <= WINDOW =>
            {
                c.push(m)
            }
            _ => out.push(vec![m]),
        }
    }
    if let Some(i) = out.iter().position(|c| c.iter().any(|m| m.primary)) {
        let primary = out.remove(i);
        out.insert(0, primary);
    }
    out
}

/// The decoded text of the lines a cluster's marks are on, cut to a window around
/// them on a long line, with each mark's range inside it.
fn excerpt(text: &str, marks: &[Mark]) -> (String, Vec<std::ops::Range<usize>>) {
    let start = marks.iter().map(|m| m.start).min().unwrap_or(0);
    let end = marks.iter().map(|m| m.end).max().unwrap_or(start);
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let mut line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    if line_end > end && text.as_bytes()[line_end - 1] == b'\r' {
        line_end -= 1;
    }
    let (mut from, mut to) = (line_start, line_end);
    if to - from > WINDOW {
        if start - line_start > CONTEXT {
            from = floor_char(text, start - CONTEXT);
        }
        let last_line_start = text[..end].rfind('\n').map_or(0, |i| i + 1).max(from);
        let cut = (end + CONTEXT).max(last_line_start + WINDOW.min(line_end - last_line_start));
        to = ceil_char(text, cut.min(line_end)).max(from);
        if to > from + WINDOW && end < from + WINDOW {
            to = ceil_char(text, from + WINDOW).min(line_end);
        }
    }
    let ranges = marks
        .iter()
        .map(|m| m.start.clamp(from, to) - from..m.end.clamp(from, to) - from)
        .collect();
    (text[from..to].to_string(), ranges)
}

/// The rendered snippets with each annotation line placed for the terminal. The
/// renderer lays an annotation line out one character per column: a label in
/// Chinese (two columns a character) pushes the markers after it out of place, and
/// East Asian ambiguous characters (`“ ” ‘ ’ … —`) of the source line, which it
/// counts one column wide, are two columns in many Chinese terminals (`wide`).
/// Each marker is put back under the text it marks.
fn align_annotations(rendered: &str, ambiguous_wide: bool) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut out = String::with_capacity(rendered.len());
    // For the last source line: its narrow column → wide column, one entry per
    // narrow column and one past the end.
    let mut map: Option<Vec<usize>> = None;
    for line in rendered.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let Some(bar) = body.find('|') else {
            map = None;
            out.push_str(line);
            continue;
        };
        let gutter = &body[..bar];
        if !gutter.chars().all(|c| c == ' ' || c.is_ascii_digit()) {
            map = None;
            out.push_str(line);
            continue;
        }
        let text = body[bar + 1..].strip_prefix(' ').unwrap_or("");
        let numbered = gutter.chars().any(|c| c.is_ascii_digit());
        if numbered {
            let mut m = Vec::new();
            let mut wide = 0;
            for c in text.chars() {
                let n = c.width().unwrap_or(0);
                let w = if ambiguous_wide {
                    c.width_cjk().unwrap_or(0)
                } else {
                    n
                };
                for k in 0..n {
                    // Inside a character: its start, then as far as it reaches.
                    m.push(wide + k.min(w.saturating_sub(1)));
                }
                wide += w;
            }
            m.push(wide);
            map = Some(m);
            out.push_str(line);
            continue;
        }
        let Some(m) = map.as_ref().filter(|_| !text.is_empty()) else {
            out.push_str(line);
            continue;
        };
        let at = |col: usize| match m.get(col) {
            Some(w) => *w,
            None => m[m.len() - 1] + (col + 1 - m.len()),
        };
        let chars: Vec<char> = text.chars().collect();
        let mut placed = String::new();
        let mut width = 0;
        let mut col = 0;
        let mut i = 0;
        let put = |placed: &mut String, width: &mut usize, start: usize, piece: &str| {
            while *width < start {
                placed.push(' ');
                *width += 1;
            }
            placed.push_str(piece);
            *width += piece.chars().map(|c| c.width().unwrap_or(0)).sum::<usize>();
        };
        while i < chars.len() {
            let c = chars[i];
            if c == ' ' {
                col += 1;
                i += 1;
            } else if c == '^' || c == '-' {
                // A run of markers covers what it covered, wide characters and all.
                let mut j = i;
                while j < chars.len() && chars[j] == c {
                    j += 1;
                }
                let (start, end) = (at(col), at(col + (j - i)));
                put(
                    &mut placed,
                    &mut width,
                    start,
                    &c.to_string().repeat(end.saturating_sub(start).max(1)),
                );
                col += j - i;
                i = j;
            } else if c == '|' {
                put(&mut placed, &mut width, at(col), "|");
                col += 1;
                i += 1;
            } else {
                // A label, moved as a whole: up to the next marker (a space, then
                // `^`, `-` or `|` standing alone or in a run), else the line's end.
                let marker = |k: usize| matches!(chars.get(k), Some('^' | '-' | '|'));
                let end = (i..chars.len())
                    .find(|&k| {
                        chars[k] == ' '
                            && marker(k + 1)
                            && matches!(chars.get(k + 2), None | Some(' ' | '^' | '-'))
                    })
                    .unwrap_or(chars.len());
                let label: String = chars[i..end].iter().collect();
                put(&mut placed, &mut width, at(col), label.trim_end());
                // The renderer gave each of its characters one column.
                col += label.chars().count();
                i = end;
            }
        }
        out.push_str(gutter);
        out.push_str("| ");
        out.push_str(&placed);
        if line.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

fn ceil_char(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn render_one(
    renderer: &Renderer,
    path: &str,
    report: &CheckedReport,
    d: &Diagnostic,
    lang: Lang,
) -> String {
    let parsed = &report.parsed;
    let title = lang.pick(&d.message).to_string();
    let values = match (&d.expected, &d.found) {
        (Some(e), Some(f)) => match lang {
            Lang::Zh => format!("应为 {e}，实为 {f}"),
            Lang::En => format!("expected {e}, found {f}"),
        },
        _ => String::new(),
    };
    let mut marks = vec![Mark::new(parsed, d.span, values, true)];
    // A place in another report is named under the snippets: its text is not at hand.
    let mut elsewhere = String::new();
    for r in &d.related {
        if let Some(e) = &r.elsewhere {
            elsewhere.push_str(&format!(
                "  = {}:{}:{}: {}\n",
                e.path,
                e.line,
                e.column,
                lang.pick(&r.label)
            ));
            continue;
        }
        marks.push(Mark::new(
            parsed,
            r.span,
            lang.pick(&r.label).to_string(),
            false,
        ));
    }
    let text = parsed.text.as_str();
    let clusters = clusters(marks);
    let excerpts: Vec<(String, Vec<std::ops::Range<usize>>)> =
        clusters.iter().map(|c| excerpt(text, c)).collect();
    let mut snippets = Vec::new();
    // Each snippet's place as the renderer counts it (in its window) and as the
    // JSON gives it (in the original line), its first mark's — the primary's in the first.
    let mut places: Vec<(String, String)> = Vec::new();
    for (cluster, (source, ranges)) in clusters.iter().zip(&excerpts) {
        let mut snippet = Snippet::source(source.as_str())
            .line_start(cluster[0].line)
            .path(path)
            .fold(true);
        for (m, range) in cluster.iter().zip(ranges) {
            let kind = if m.primary {
                AnnotationKind::Primary
            } else {
                AnnotationKind::Context
            };
            snippet = snippet.annotation(kind.span(range.clone()).label(m.label.as_str()));
        }
        snippets.push(snippet);
        let first = cluster
            .iter()
            .zip(ranges)
            .min_by_key(|(m, r)| (!m.primary, r.start))
            .map(|(m, r)| (m, source[..r.start].chars().count() + 1));
        if let Some((m, window_column)) = first {
            // A Word document is named by its paragraph or table cell: the line of
            // the text read out of it means nothing in Word.
            let original = match Location::of(report, Span::new(m.start, m.end)) {
                Some(location) => match lang {
                    Lang::Zh => format!("{path} {}", location.describe().zh),
                    Lang::En => format!("{path}, {}", location.describe().en),
                },
                None => format!("{path}:{}:{}", m.line, m.column),
            };
            places.push((format!("{path}:{}:{window_column}", m.line), original));
        }
    }
    let group = level(d.severity)
        .primary_title(title.as_str())
        .id(d.code)
        .elements(snippets);
    let groups: Vec<Group<'_>> = vec![group];
    let mut out = renderer.render(&groups);
    // The renderer counts columns in the window it is given: name the original's.
    let mut from = 0;
    for (window, original) in &places {
        if let Some(i) = out[from..].find(window.as_str()) {
            out.replace_range(from + i..from + i + window.len(), original);
            from += i + original.len();
        }
    }
    if !elsewhere.is_empty() {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&elsewhere);
    }
    out
}
