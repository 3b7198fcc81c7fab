//! Human output: rustc-style snippets with the offending text underlined.
//!
//! Rendered with annotate-snippets, the renderer rustc itself uses: it measures
//! CJK characters as double width and expands tabs, so the underline sits under
//! the right characters of a Chinese report.

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use nianbao_model::grammar::{Diagnostic, Parsed, Severity, Span};
use nianbao_model::output::Summary;
use nianbao_model::settings::Lang;
use nianbao_model::CheckedReport;

use super::{Prepared, Preparer, RenderOptions};

/// Streams each report's snippets and summary line; a total line at the end when
/// more than one file was checked.
pub struct HumanRenderer {
    options: RenderOptions,
    files: usize,
    total: Summary,
}

impl HumanRenderer {
    /// A renderer for these options.
    pub fn new(options: RenderOptions) -> Self {
        HumanRenderer {
            options,
            files: 0,
            total: Summary::default(),
        }
    }
}

impl super::Renderer for HumanRenderer {
    fn preparer(&self) -> Preparer {
        Preparer {
            options: self.options,
            prepare,
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
        if self.files > 1 {
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
        text: render_report(path, report, options.lang, options.color),
        summary: Summary::of(&report.diagnostics),
    }
}

/// Longest piece of a line shown around a span, in bytes (long PDF lines and
/// one-line dumps would otherwise flood the terminal).
const WINDOW: usize = 600;

/// Renders every finding of one report and its summary line.
pub fn render_report(path: &str, report: &CheckedReport, lang: Lang, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii);
    let mut out = String::new();
    for d in &report.diagnostics {
        out.push_str(&render_one(&renderer, path, &report.parsed, d, lang));
        out.push_str("\n\n");
    }
    out.push_str(&summary_line(path, Summary::of(&report.diagnostics), lang));
    out.push('\n');
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

/// The decoded text of the lines around `span`, cut to a window; the line number
/// of its first line and the span's range inside it.
fn excerpt(parsed: &Parsed, span: Span) -> (String, usize, std::ops::Range<usize>) {
    let text = parsed.text.as_str();
    // Spans from the core lie on character boundaries; a renderer must not panic if one does not.
    let span = parsed.on_chars(span);
    let start = floor_char(text, parsed.to_decoded(span.start).min(text.len()));
    let end = ceil_char(text, parsed.to_decoded(span.end).clamp(start, text.len()));
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let mut line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    if line_end > end && text.as_bytes()[line_end - 1] == b'\r' {
        line_end -= 1;
    }
    // Cut long lines to a window around the span start.
    let mut from = line_start;
    if start - line_start > WINDOW / 2 {
        from = floor_char(text, start - WINDOW / 2);
    }
    let mut to = line_end.max(from);
    if to - from > WINDOW {
        to = floor_char(text, (from + WINDOW).max(start + 1).min(line_end));
    }
    let to = to.max(from);
    let clipped = start.clamp(from, to)..end.clamp(from, to);
    let line = parsed.line_col(span.start).line;
    (
        text[from..to].to_string(),
        line,
        clipped.start - from..clipped.end - from,
    )
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
    parsed: &Parsed,
    d: &Diagnostic,
    lang: Lang,
) -> String {
    let title = lang.pick(&d.message).to_string();
    let (source, line, range) = excerpt(parsed, d.span);
    let values = match (&d.expected, &d.found) {
        (Some(e), Some(f)) => match lang {
            Lang::Zh => format!("应为 {e}，实为 {f}"),
            Lang::En => format!("expected {e}, found {f}"),
        },
        _ => String::new(),
    };
    let mut snippet = Snippet::source(source.as_str())
        .line_start(line)
        .path(path)
        .fold(true);
    snippet = snippet.annotation(AnnotationKind::Primary.span(range).label(values.as_str()));
    let mut group = level(d.severity)
        .primary_title(title.as_str())
        .id(d.code)
        .element(snippet);
    let related: Vec<(String, usize, std::ops::Range<usize>, String)> = d
        .related
        .iter()
        .map(|r| {
            let (src, line, range) = excerpt(parsed, r.span);
            (src, line, range, lang.pick(&r.label).to_string())
        })
        .collect();
    for (src, line, range, label) in &related {
        group = group.element(
            Snippet::source(src.as_str())
                .line_start(*line)
                .path(path)
                .fold(true)
                .annotation(
                    AnnotationKind::Context
                        .span(range.clone())
                        .label(label.as_str()),
                ),
        );
    }
    let groups: Vec<Group<'_>> = vec![group];
    renderer.render(&groups)
}
