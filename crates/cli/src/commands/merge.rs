//! `nianbao merge`: sum subordinate reports' tables indicator by indicator and
//! compare the sums with the compiled report (`nianbao_model::cross::merge`).
//!
//! Exit codes: 0 when every compared indicator agrees (without `--against`: the
//! sums are printed), 1 when one differs, 2 for an unreadable path, reports that
//! cannot be merged (different or unrecognised formats), or a compiled report
//! with which not one indicator could be compared.

use std::path::PathBuf;

use clap::ValueEnum;
use serde::Serialize;

use nianbao_model::cross::{self, Comparison, Contributor, Merged, MergedIndicator};
use nianbao_model::settings::Lang;
use nianbao_model::template::format_name;
use nianbao_model::CheckedReport;

use crate::args::{lang_of, LangArg, ReadArgs};
use crate::io::{error, write_stdout};

/// Schema id of the JSON merge document.
pub const MERGE_SCHEMA: &str = "nianbao.merge/2";

/// Output formats of `merge`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MergeFormat {
    /// A readable table in the chosen language.
    Human,
    /// The `nianbao.merge/2` JSON document.
    Json,
}

/// `nianbao merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Subordinate reports; `-` reads standard input, a named pipe is read as a
    /// stream / 下级单位的年报（- 为标准输入）
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The compiled report to compare the sums with (`-`: standard input) / 与合计比较的汇总年报
    #[arg(long, value_name = "COMPILED")]
    pub against: Option<PathBuf>,
    /// Output format / 输出格式
    #[arg(long, value_enum, default_value_t = MergeFormat::Human)]
    pub format: MergeFormat,
    /// Message language (default: from LC_ALL/LANG, else zh) / 消息语言
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Reading the reports.
    #[command(flatten)]
    pub read: ReadArgs,
}

/// The `nianbao.merge/2` document.
#[derive(Serialize)]
struct MergeDocument<'a> {
    schema: &'static str,
    /// The national format every report shares.
    format: &'a str,
    /// The local variant every report shares, or null.
    variant: Option<&'a str>,
    /// The subordinate reports, as given.
    subordinates: Vec<String>,
    /// The compiled report, when one was given.
    against: Option<String>,
    /// Subordinate reports from which no table cell was read.
    unread: &'a [String],
    summary: SummaryEntry,
    /// With `--against`: the differing indicators; without: every indicator's sum.
    indicators: Vec<IndicatorEntry<'a>>,
}

#[derive(Serialize)]
struct SummaryEntry {
    /// Indicators found in the subordinate reports.
    indicators: usize,
    /// Indicators compared with the compiled report.
    compared: usize,
    /// Indicators whose sum cannot equal the compiled value.
    differing: usize,
    /// Indicators the compiled report lacks.
    not_in_compiled: usize,
}

#[derive(Serialize)]
struct IndicatorEntry<'a> {
    id: &'a str,
    table: &'a str,
    label: &'a str,
    /// Sum of the numeric contributions; null when none is a number.
    sum: Option<&'a str>,
    /// The compiled report's value as written; null without `--against`.
    compiled: Option<&'a str>,
    /// Its line in the compiled report.
    compiled_line: Option<usize>,
    /// Contributors with a blank, dash or non-number (unknown values).
    blank: usize,
    /// Subordinate reports lacking the indicator.
    missing: usize,
    contributors: &'a [Contributor],
}

/// Runs `nianbao merge`.
pub fn run(a: MergeArgs) -> u8 {
    let lang = lang_of(a.lang);
    let Ok(limit) = a
        .read
        .resolve(a.paths.iter().chain(a.against.as_ref()), lang)
    else {
        return 2;
    };
    let mut unreadable = Vec::new();
    let mut subordinates: Vec<(String, CheckedReport)> = Vec::new();
    let mut walk_failed = false;
    let paths = crate::walk::operands(&a.paths, lang, &mut walk_failed);
    if walk_failed {
        return 2;
    }
    for path in &paths {
        match a.read.read(path, limit, lang) {
            Some((shown, bytes)) => subordinates.push((shown, nianbao_model::check(&bytes))),
            None => unreadable.push(crate::io::shown_name(path, a.read.stdin_filename())),
        }
    }
    let compiled = match &a.against {
        Some(path) => match a.read.read(path, limit, lang) {
            Some((shown, bytes)) => Some((shown, nianbao_model::check(&bytes))),
            None => {
                unreadable.push(crate::io::shown_name(path, a.read.stdin_filename()));
                None
            }
        },
        None => None,
    };
    // A report whose check did not run to its end has no figures: merging
    // without it would give wrong sums.
    let mut unchecked = false;
    for (shown, report) in subordinates.iter().chain(compiled.as_ref()) {
        unchecked |= !crate::io::checked_to_the_end(report, shown, lang);
    }
    if unchecked && unreadable.is_empty() {
        error(
            lang,
            "未作汇总".to_string(),
            "nothing was merged".to_string(),
        );
        return 2;
    }
    if !unreadable.is_empty() {
        let list = unreadable.join(", ");
        error(
            lang,
            format!("无法读取 {list}，未作汇总"),
            format!("cannot read {list}; nothing was merged"),
        );
        return 2;
    }
    let refs: Vec<(&str, &CheckedReport)> =
        subordinates.iter().map(|(p, r)| (p.as_str(), r)).collect();
    let merged = match cross::merge(&refs, compiled.as_ref().map(|(_, r)| r)) {
        Ok(m) => m,
        Err(e) => {
            let m = e.message();
            error(lang, m.zh, m.en);
            return 2;
        }
    };
    for path in &merged.unread {
        let text = match lang {
            Lang::Zh => format!(
                "nianbao：警告：未能从 {path} 读出任何统计表数据；它在每个指标中都按缺少计\n"
            ),
            Lang::En => format!(
                "nianbao: warning: no table cell could be read from {path}; it counts as missing for every indicator\n"
            ),
        };
        let _ = std::io::Write::write_all(&mut std::io::stderr(), text.as_bytes());
    }
    let against = compiled.as_ref().map(|(p, _)| p.as_str());
    let paths: Vec<String> = subordinates.iter().map(|(p, _)| p.clone()).collect();
    let text = match a.format {
        MergeFormat::Human => human(&merged, &paths, against, lang),
        MergeFormat::Json => match json(&merged, &paths, against, lang) {
            Ok(t) => t,
            Err(e) => {
                error(
                    lang,
                    format!("无法输出 JSON：{e}"),
                    format!("cannot write JSON: {e}"),
                );
                return 2;
            }
        },
    };
    if !write_stdout(&text) {
        return 2;
    }
    // A comparison that compared nothing must not pass for agreement.
    if against.is_some() && summary(&merged).compared == 0 {
        error(
            lang,
            "汇总年报中没有一个指标能与下级年报的合计比较（表格未能读出，或格式不同）".to_string(),
            "not one indicator of the compiled report could be compared with the subordinates' sums (its tables could not be read, or the formats differ)".to_string(),
        );
        return 2;
    }
    if merged.differing().next().is_some() {
        1
    } else {
        0
    }
}

fn summary(merged: &Merged) -> SummaryEntry {
    let count = |c: Comparison| {
        merged
            .indicators
            .iter()
            .filter(|i| i.comparison == c)
            .count()
    };
    SummaryEntry {
        indicators: merged.indicators.len(),
        compared: count(Comparison::Agrees) + count(Comparison::Differs),
        differing: count(Comparison::Differs),
        not_in_compiled: count(Comparison::NotInCompiled),
    }
}

fn json(
    merged: &Merged,
    paths: &[String],
    against: Option<&str>,
    lang: Lang,
) -> Result<String, serde_json::Error> {
    let shown: Vec<&MergedIndicator> = if against.is_some() {
        merged.differing().collect()
    } else {
        merged.indicators.iter().collect()
    };
    let doc = MergeDocument {
        schema: MERGE_SCHEMA,
        format: &merged.format,
        variant: merged.variant.as_deref(),
        subordinates: paths.to_vec(),
        against: against.map(str::to_string),
        unread: &merged.unread,
        summary: summary(merged),
        indicators: shown
            .into_iter()
            .map(|i| IndicatorEntry {
                id: &i.id,
                table: &i.table,
                label: lang.pick(&i.label),
                sum: i.sum.as_deref(),
                compiled: i.compiled.as_ref().map(|c| c.value.as_str()),
                compiled_line: i.compiled.as_ref().map(|c| c.line),
                blank: i.blank,
                missing: i.missing,
                contributors: &i.contributors,
            })
            .collect(),
    };
    Ok(format!("{}\n", serde_json::to_string(&doc)?))
}

/// Display width: CJK and other wide characters count two columns.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let u = c as u32;
            let wide = (0x1100..=0x115F).contains(&u)
                || (0x2E80..=0xA4CF).contains(&u)
                || (0xAC00..=0xD7A3).contains(&u)
                || (0xF900..=0xFAFF).contains(&u)
                || (0xFE30..=0xFE4F).contains(&u)
                || (0xFF00..=0xFF60).contains(&u)
                || (0xFFE0..=0xFFE6).contains(&u);
            if wide {
                2
            } else {
                1
            }
        })
        .sum()
}

fn pad_right(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

fn pad_left(s: &str, w: usize) -> String {
    format!("{}{s}", " ".repeat(w.saturating_sub(width(s))))
}

fn blank_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "（空）",
        Lang::En => "(blank)",
    }
}

fn human(merged: &Merged, paths: &[String], against: Option<&str>, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    let n = paths.len();
    let format = format_name(&merged.format, merged.variant.as_deref());
    match (against, zh) {
        (Some(c), true) => out.push_str(&format!(
            "汇总 {n} 份下级年报（{format}），对照汇总年报 {c}\n"
        )),
        (Some(c), false) => out.push_str(&format!(
            "{n} subordinate reports ({format}) summed and compared with the compiled report {c}\n"
        )),
        (None, true) => out.push_str(&format!("汇总 {n} 份下级年报（{format}）\n")),
        (None, false) => out.push_str(&format!("{n} subordinate reports ({format}) summed\n")),
    }
    for p in paths {
        out.push_str(&format!("  {p}\n"));
    }
    out.push('\n');
    if against.is_some() {
        compared(&mut out, merged, lang);
    } else {
        sums(&mut out, merged, lang);
    }
    out
}

/// The differing indicators, each with its contributors, then a summary line.
fn compared(out: &mut String, merged: &Merged, lang: Lang) {
    let zh = lang == Lang::Zh;
    let s = summary(merged);
    for ind in merged.differing() {
        let sum = ind.sum.as_deref().unwrap_or("?");
        let (compiled, line) = ind
            .compiled
            .as_ref()
            .map_or(("?", 0), |c| (c.value.as_str(), c.line));
        out.push_str(&format!("✗ {}  {}\n", ind.id, lang.pick(&ind.label)));
        if zh {
            out.push_str(&format!(
                "    下级合计 {sum} ≠ 汇总年报 {compiled}（第 {line} 行）\n"
            ));
        } else {
            out.push_str(&format!(
                "    sum of the subordinates {sum} ≠ compiled {compiled} (line {line})\n"
            ));
        }
        let values: Vec<&str> = ind
            .contributors
            .iter()
            .map(|c| {
                if c.value.is_empty() {
                    blank_word(lang)
                } else {
                    c.value.as_str()
                }
            })
            .collect();
        let w = values.iter().map(|v| width(v)).max().unwrap_or(0);
        for (c, v) in ind.contributors.iter().zip(&values) {
            out.push_str(&format!(
                "      {}  {}:{}\n",
                pad_left(v, w),
                c.path,
                c.line
            ));
        }
        if ind.blank + ind.missing > 0 {
            if zh {
                out.push_str(&format!(
                    "      （{} 份为空或不是数字，{} 份缺少该项：按不小于 0 的未知数计）\n",
                    ind.blank, ind.missing
                ));
            } else {
                out.push_str(&format!(
                    "      ({} blank or not a number, {} lacking it: counted as unknown values ≥ 0)\n",
                    ind.blank, ind.missing
                ));
            }
        }
        out.push('\n');
    }
    let tail_zh = if s.not_in_compiled > 0 {
        format!("；另有 {} 个指标汇总年报中没有", s.not_in_compiled)
    } else {
        String::new()
    };
    let tail_en = if s.not_in_compiled > 0 {
        format!(
            "; {} more are not in the compiled report",
            s.not_in_compiled
        )
    } else {
        String::new()
    };
    let line = match (s.differing, zh) {
        _ if s.compared == 0 && zh => format!("没有可与汇总年报比较的指标{tail_zh}\n"),
        _ if s.compared == 0 => {
            format!("no indicator could be compared with the compiled report{tail_en}\n")
        }
        (0, true) => format!("比较了 {} 个指标，全部一致{tail_zh}\n", s.compared),
        (0, false) => format!("{} indicators compared, all agree{tail_en}\n", s.compared),
        (d, true) => format!("比较了 {} 个指标，{d} 个不一致{tail_zh}\n", s.compared),
        (d, false) => format!("{} indicators compared, {d} differ{tail_en}\n", s.compared),
    };
    out.push_str(&line);
}

/// Every indicator's sum as a table: id, sum, unknown contributors, name.
fn sums(out: &mut String, merged: &Merged, lang: Lang) {
    let zh = lang == Lang::Zh;
    let (h_id, h_sum, h_unknown, h_label) = if zh {
        ("指标", "合计", "空/缺", "名称")
    } else {
        ("indicator", "sum", "unknown", "name")
    };
    let rows: Vec<(&str, String, String, &str)> = merged
        .indicators
        .iter()
        .map(|i| {
            let unknown = i.blank + i.missing;
            (
                i.id.as_str(),
                i.sum.clone().unwrap_or_else(|| "?".to_string()),
                if unknown > 0 {
                    unknown.to_string()
                } else {
                    String::new()
                },
                lang.pick(&i.label),
            )
        })
        .collect();
    let w_id = rows
        .iter()
        .map(|r| width(r.0))
        .chain([width(h_id)])
        .max()
        .unwrap_or(0);
    let w_sum = rows
        .iter()
        .map(|r| width(&r.1))
        .chain([width(h_sum)])
        .max()
        .unwrap_or(0);
    let w_unknown = rows
        .iter()
        .map(|r| width(&r.2))
        .chain([width(h_unknown)])
        .max()
        .unwrap_or(0);
    out.push_str(&format!(
        "{}  {}  {}  {h_label}\n",
        pad_right(h_id, w_id),
        pad_left(h_sum, w_sum),
        pad_left(h_unknown, w_unknown)
    ));
    for (id, sum, unknown, label) in &rows {
        out.push_str(&format!(
            "{}  {}  {}  {label}\n",
            pad_right(id, w_id),
            pad_left(sum, w_sum),
            pad_left(unknown, w_unknown)
        ));
    }
    let unknown_total = merged
        .indicators
        .iter()
        .filter(|i| i.blank + i.missing > 0)
        .count();
    if zh {
        out.push_str(&format!(
            "\n共 {} 个指标；{unknown_total} 个有空白或缺少的下级数值（“空/缺”列：按不小于 0 的未知数计，合计只加数字）\n",
            merged.indicators.len()
        ));
    } else {
        out.push_str(&format!(
            "\n{} indicators; {unknown_total} have blank or missing subordinate values (the \"unknown\" column: unknown values ≥ 0; the sum adds numbers only)\n",
            merged.indicators.len()
        ));
    }
}
