//! `--statistics`: how many findings of each rule the run has, instead of the
//! findings (ruff's `--statistics`), most frequent first.

use nianbao_model::grammar::Severity;
use nianbao_model::output::Summary;
use nianbao_model::settings::Lang;
use nianbao_model::CheckedReport;

use super::human::total_line;
use super::{Prepared, Preparer, RenderOptions};

/// Counts per rule over the run; the table at the end.
pub struct StatisticsRenderer {
    options: RenderOptions,
    files: usize,
    total: Summary,
    /// Code, severity as reported, count; in order of first sight.
    counts: Vec<(&'static str, Severity, usize)>,
}

impl StatisticsRenderer {
    /// A renderer for these options.
    pub fn new(options: RenderOptions) -> Self {
        StatisticsRenderer {
            options,
            files: 0,
            total: Summary::default(),
            counts: Vec::new(),
        }
    }
}

impl super::Renderer for StatisticsRenderer {
    fn preparer(&self) -> Preparer {
        Preparer {
            options: self.options,
            prepare,
        }
    }

    fn emit(&mut self, prepared: Prepared) -> String {
        if let Prepared::Counts { counts, summary } = prepared {
            self.files += 1;
            self.total.add(summary);
            for (code, severity) in counts {
                match self
                    .counts
                    .iter_mut()
                    .find(|(c, s, _)| *c == code && *s == severity)
                {
                    Some((_, _, n)) => *n += 1,
                    None => self.counts.push((code, severity, 1)),
                }
            }
        }
        String::new()
    }

    fn finish(&mut self) -> String {
        let lang = self.options.lang;
        let mut rows = self.counts.clone();
        rows.sort_by(|a, b| b.2.cmp(&a.2).then(b.1.cmp(&a.1)).then(a.0.cmp(b.0)));
        let mut out = String::new();
        for (code, severity, n) in rows {
            let (name, summary) = nianbao_model::docs::find(code).map_or(("", ""), |c| {
                (
                    c.name,
                    match lang {
                        Lang::Zh => c.summary_zh,
                        Lang::En => c.summary_en,
                    },
                )
            });
            let severity = match (lang, severity) {
                (Lang::Zh, Severity::Error) => "错误",
                (Lang::Zh, Severity::Warning) => "警告",
                (Lang::Zh, Severity::Info) => "提示",
                (Lang::En, s) => s.as_str(),
            };
            out.push_str(&format!(
                "{n:>6}  {code}  {severity:<7}  {name:<28}  {summary}\n"
            ));
        }
        if !self.options.quiet {
            out.push_str(&total_line(self.files, self.total, lang));
            out.push('\n');
        }
        out
    }
}

/// The report's findings from the lowest severity shown, as codes and severities.
fn prepare(options: RenderOptions, _path: &str, report: &CheckedReport) -> Prepared {
    Prepared::Counts {
        counts: report
            .diagnostics
            .iter()
            .filter(|d| d.severity >= options.shown)
            .map(|d| (d.code, d.severity))
            .collect(),
        summary: Summary::of(&report.diagnostics),
    }
}
