//! The rule documentation, generated from each code's doc comment
//! ([`DiagnosticCode::doc`]): the whole of `docs/rules.md` ([`rules_markdown`],
//! written by `cargo xtask codegen`) and one rule for the terminal ([`rule_doc`],
//! printed by `nianbao rules CODE`).
//!
//! ```
//! let text = nianbao_model::docs::rule_doc("nb010").expect("NB010 is documented");
//! assert!(text.starts_with("NB010 page-break-join"));
//! assert!(text.contains("## What it checks"));
//! ```

use nianbao_grammar::diagnostic::DiagnosticCode;

use crate::catalog;

/// The sections every rule's documentation has, in this order.
pub const SECTIONS: [&str; 4] = [
    "## What it checks",
    "## Why it matters",
    "## Example",
    "## How to fix",
];

/// The code families: range, Chinese, English.
const FAMILIES: [(&str, &str, &str); 7] = [
    (
        "NB0xx",
        "输入与转换修复：解码、空输入、非年报，以及对转换痕迹的具名修复",
        "input and repairs: decoding, empty input, not a report, and the named repairs of conversion artefacts",
    ),
    (
        "NB1xx",
        "结构：标题、必备章节、提纲编号、报告格式",
        "structure: title, required sections, outline numbering, report format",
    ),
    (
        "NB2xx",
        "表格算术：统计表中合计与分项、行与列的关系",
        "table arithmetic: totals and their parts, rows and columns of the tables",
    ),
    (
        "NB3xx",
        "正文与表格：正文中的数字与表格数值是否一致",
        "narrative ↔ table: figures in the text against the table values",
    ),
    (
        "NB4xx",
        "正文算术：正文内的合计、分项与比例",
        "narrative arithmetic: totals, parts and ratios within the text",
    ),
    (
        "NB5xx",
        "引用与格式：文件名称、文号、日期、用语",
        "references and style: document titles, document numbers, dates, wording",
    ),
    (
        "NB6xx",
        "跨报告：与同一机关上一年度报告的衔接（如上年结转），与上年或其他报告重复的文字",
        "across reports: continuity with the same body's report of the year before (carried-over cases), text repeated from last year's or another report",
    ),
];

/// Finds a code by its code (`NB010`, any case) or its name (`page-break-join`).
///
/// ```
/// let code = nianbao_model::docs::find("page-break-join").expect("known");
/// assert_eq!(code.code, "NB010");
/// assert!(nianbao_model::docs::find("NB999").is_none());
/// ```
pub fn find(code_or_name: &str) -> Option<&'static DiagnosticCode> {
    let q = code_or_name.trim();
    catalog()
        .into_iter()
        .find(|c| c.code.eq_ignore_ascii_case(q) || c.name.eq_ignore_ascii_case(q))
}

/// The severities a finding of `code` can have with the built-in templates and no
/// configuration, strongest first: the code's own, those the templates give its
/// relations, sections and tables, and those the rule itself lowers to where its
/// evidence is weaker (a sum that fails only with blanks read as 0 is a `warning`).
/// Empty for an unknown code.
///
/// ```
/// use nianbao_model::docs::severities;
/// use nianbao_model::grammar::Severity;
/// assert_eq!(severities("NB201"), [Severity::Error, Severity::Warning]);
/// assert_eq!(severities("NB010"), [Severity::Info]);
/// ```
pub fn severities(code: &str) -> Vec<nianbao_grammar::Severity> {
    use crate::template::RelationKind;
    use nianbao_grammar::Severity;
    /// Lowered by the rule itself: a sum, part or balance that fails only with blank
    /// cells read as 0; a period inside the report year; a period not stated at all;
    /// UTF-16 whose byte order is a guess.
    const LOWERED: [(&str, Severity); 7] = [
        ("NB201", Severity::Warning),
        ("NB202", Severity::Warning),
        ("NB203", Severity::Warning),
        ("NB204", Severity::Warning),
        ("NB105", Severity::Warning),
        ("NB108", Severity::Info),
        ("NB023", Severity::Warning),
    ];
    let Some(found) = find(code) else {
        return Vec::new();
    };
    let mut out = vec![found.severity];
    let code = found.code;
    for template in crate::template::builtin() {
        for r in template.relations.iter().filter(|r| r.enforce) {
            let of = match r.kind {
                RelationKind::Sum => "NB201",
                RelationKind::Subset => "NB202",
                RelationKind::Balance => "NB203",
                RelationKind::AtLeast => "NB204",
                RelationKind::CrossYear if crate::cross::is_continuity(r) => "NB601",
                RelationKind::CrossYear => "NB602",
                RelationKind::Unit => "NB205",
            };
            let unit = r.kind == RelationKind::Unit && code == "NB206";
            // The carry-over keeps its code's severity; the others take the template's.
            if (of == code && of != "NB601") || unit {
                out.push(r.severity.severity());
            }
        }
        if code == "NB101" {
            out.extend(
                template
                    .format
                    .required_sections
                    .iter()
                    .map(|r| r.severity.severity()),
            );
        }
        if code == "NB213" {
            out.extend(
                template
                    .tables
                    .iter()
                    .map(|t| t.missing_severity.severity()),
            );
        }
    }
    out.extend(LOWERED.iter().filter(|(c, _)| *c == code).map(|(_, s)| *s));
    out.sort_by(|a, b| b.cmp(a));
    out.dedup();
    out
}

/// The whole of `docs/rules.md`: title, introduction, catalog table, then one
/// section per code of [`catalog`] with its severity, summaries and documentation.
pub fn rules_markdown() -> String {
    let codes = catalog();
    let mut out = String::new();
    out.push_str("<!-- Generated by `cargo xtask codegen` from the doc comments of the diagnostic codes. Do not edit. -->\n\n");
    out.push_str("# 规则目录 / Rule catalog\n\n");
    out.push_str(&format!(
        "nianbao 的每条检查结果都有一个稳定的代码（`NB` 加三位数字）、一个短横线连接的英文名称和一个严重程度：\
         `error`（确定的不一致）、`warning`（可能的问题）、`info`（观察结果或已修复的转换痕迹）。\
         代码按类别分段，本目录共 {n} 条规则；终端中可用 `nianbao rules NB010` 查看单条规则。\n\n\
         Every finding of nianbao has a stable code (`NB` and three digits), a kebab-case name and a severity: \
         `error` (a definite inconsistency), `warning` (a likely problem) or `info` (an observation or a repaired \
         conversion artefact). Codes are grouped in families; this catalog has {n} rules. In a terminal, \
         `nianbao rules NB010` prints one of them.\n\n",
        n = codes.len()
    ));
    for (range, zh, en) in FAMILIES {
        out.push_str(&format!("- **{range}** {zh} / {en}\n"));
    }
    out.push_str("\n| 代码 Code | 名称 Name | 严重程度 Severity | 摘要 | Summary |\n");
    out.push_str("|---|---|---|---|---|\n");
    for code in &codes {
        out.push_str(&format!(
            "| [{}](#{}) | `{}` | {} | {} | {} |\n",
            code.code,
            anchor(code),
            code.name,
            code.severity.as_str(),
            escape(code.summary_zh),
            escape(code.summary_en),
        ));
    }
    for code in &codes {
        out.push_str(&format!("\n## {} {}\n\n", code.code, code.name));
        out.push_str(&format!(
            "- 严重程度 / Severity: `{}`\n- 摘要：{}\n- Summary: {}\n\n",
            code.severity.as_str(),
            escape(code.summary_zh),
            escape(code.summary_en),
        ));
        out.push_str(&demote_headings(&doc_body(code)));
    }
    out
}

/// One rule's full text for the terminal: code, name, severity, both summaries
/// and its documentation. `None` when no code has this code or name.
pub fn rule_doc(code_or_name: &str) -> Option<String> {
    let code = find(code_or_name)?;
    Some(format!(
        "{} {} ({})\n{}\n{}\n\n{}",
        code.code,
        code.name,
        code.severity.as_str(),
        code.summary_zh,
        code.summary_en,
        doc_body(code),
    ))
}

/// A rule's "How to fix" section, in each language: the rule docs write it as
/// the Chinese sentences, then the English ones (`改正编号。Renumber.`); the
/// text is split where a Chinese sentence ends and an English one begins, and
/// stands whole for both when it has no such place. Lines are joined (with a
/// space between two that are not both Chinese). `None` for an unknown code.
///
/// ```
/// let fix = nianbao_model::docs::how_to_fix("NB102").expect("documented");
/// assert_eq!(fix.zh, "补上缺失的部分或改正编号。");
/// assert_eq!(fix.en, "Restore the missing part or renumber.");
/// ```
pub fn how_to_fix(code_or_name: &str) -> Option<nianbao_grammar::Message> {
    let code = find(code_or_name)?;
    let body = doc_body(code);
    let section = body
        .split("## How to fix")
        .nth(1)?
        .split("\n## ")
        .next()
        .unwrap_or_default();
    let mut text = String::new();
    for line in section.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let cjk = |c: Option<char>| c.is_some_and(|c| c > '\u{2E7F}');
        let both_chinese = cjk(text.chars().last()) && cjk(line.chars().next());
        if !text.is_empty() && !both_chinese {
            text.push(' ');
        }
        text.push_str(line);
    }
    // The first `。` after which a Latin letter or a backtick starts a sentence.
    let split = text
        .match_indices('。')
        .map(|(i, s)| i + s.len())
        .find(|&i| {
            text[i..]
                .trim_start()
                .starts_with(|c: char| c.is_ascii_alphabetic() || c == '`')
        });
    Some(match split {
        Some(i) => nianbao_grammar::Message::new(text[..i].trim(), text[i..].trim()),
        None => nianbao_grammar::Message::new(text.clone(), text),
    })
}

/// The documentation as written: the common indentation of the doc comment
/// (the space after `///`) removed, leading and trailing blank lines dropped.
fn doc_body(code: &DiagnosticCode) -> String {
    let lines: Vec<&str> = code.doc.lines().collect();
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    let lines: Vec<&str> = lines
        .iter()
        .map(|l| l.get(indent..).unwrap_or("").trim_end())
        .collect();
    let first = lines
        .iter()
        .position(|l| !l.is_empty())
        .unwrap_or(lines.len());
    let last = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(first, |i| i + 1);
    let mut out = lines[first..last].join("\n");
    out.push('\n');
    out
}

/// One heading level down (`##` → `###`), outside fenced code, so the
/// sections of a rule sit under its `## NB010 …` heading.
fn demote_headings(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_fence = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        } else if !in_fence && line.starts_with('#') {
            out.push('#');
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The heading anchor GitHub gives `## NB010 page-break-join`.
fn anchor(code: &DiagnosticCode) -> String {
    format!("{}-{}", code.code, code.name).to_ascii_lowercase()
}

/// Escapes Markdown inline syntax so a summary reads literally (`&nbsp;`, `\_`, `|`).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_rules_md_is_fresh() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/rules.md");
        let on_disk = std::fs::read_to_string(path)
            .unwrap_or_default()
            .replace("\r\n", "\n");
        assert!(
            on_disk == rules_markdown(),
            "docs/rules.md is stale: run `cargo xtask codegen`"
        );
    }

    #[test]
    fn docs_every_code_has_all_sections_and_summaries() {
        for code in catalog() {
            let body = doc_body(code);
            assert!(!body.trim().is_empty(), "{}: empty doc", code.code);
            let headings: Vec<&str> = body.lines().filter(|l| l.starts_with("## ")).collect();
            assert_eq!(headings, SECTIONS, "{}: sections", code.code);
            for part in body.split("## ").skip(1) {
                let text = part.lines().skip(1).collect::<String>();
                assert!(
                    !text.trim().is_empty(),
                    "{}: empty section {part:?}",
                    code.code
                );
            }
            assert!(
                !code.summary_zh.trim().is_empty(),
                "{}: summary_zh",
                code.code
            );
            assert!(
                !code.summary_en.trim().is_empty(),
                "{}: summary_en",
                code.code
            );
        }
    }

    #[test]
    fn docs_how_to_fix_of_every_code_in_both_languages() {
        for code in catalog() {
            let fix = how_to_fix(code.code).expect("every code has the section");
            assert!(!fix.zh.is_empty() && !fix.en.is_empty(), "{}", code.code);
            assert!(!fix.en.contains("##"), "{}: {}", code.code, fix.en);
        }
        let fix = how_to_fix("NB110").expect("documented");
        assert_eq!(fix.zh, "按期发布；若发布日期记录有误，更正网页的发布时间。");
        assert_eq!(
            fix.en,
            "Publish by the deadline; if the recorded date is wrong, correct it."
        );
        assert_eq!(how_to_fix("NB999"), None);
    }

    #[test]
    fn docs_rule_doc_accepts_code_or_name() {
        let by_code = rule_doc("NB010");
        assert!(by_code
            .as_deref()
            .is_some_and(|t| t.contains("## What it checks")));
        assert_eq!(rule_doc("nb010"), by_code);
        assert_eq!(rule_doc("page-break-join"), by_code);
        assert_eq!(rule_doc("nb-unknown"), None);
    }

    #[test]
    fn docs_markdown_has_a_section_per_code() {
        let md = rules_markdown();
        for code in catalog() {
            let heading = format!("\n## {} {}\n", code.code, code.name);
            assert!(md.contains(&heading), "{heading}");
            assert!(md.contains(&format!("](#{})", anchor(code))));
        }
        assert!(md.contains("### What it checks"));
        assert!(md.contains("(such as \\&nbsp;)"), "summaries are escaped");
    }
}
