//! `nianbao rules`: the rule catalog, or one rule's full documentation.

use nianbao_model::settings::Lang;

use crate::args::{lang_of, LangArg};
use crate::io::{error, write_stdout};

/// `nianbao rules`.
#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// A rule's code or name (NB010, page-break-join): print its full documentation; a
    /// family (NB4, NB4xx): list its rules / 规则代码或名称：显示该规则的完整说明；类别（NB4）：列出该类规则
    pub code: Option<String>,
    /// Message language / 消息语言
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
}

/// Runs `nianbao rules`.
pub fn run(a: RulesArgs) -> u8 {
    let lang = lang_of(a.lang);
    // A family lists its rules, as `--select NB4` selects them.
    let family = a.code.as_deref().and_then(|w| {
        let selector = nianbao_model::settings::Selector::parse(w).ok()?;
        (nianbao_model::docs::find(w).is_none()).then_some(selector)
    });
    if let Some(wanted) = a.code.filter(|_| family.is_none()) {
        let Some(doc) = nianbao_model::docs::rule_doc(&wanted) else {
            error(
                lang,
                format!("未知的规则“{wanted}”；用 `nianbao rules` 列出全部规则"),
                format!("unknown rule `{wanted}`; `nianbao rules` lists them all"),
            );
            return 2;
        };
        return if write_stdout(&doc) { 0 } else { 2 };
    }
    let mut out = String::new();
    for code in nianbao_model::catalog()
        .into_iter()
        .filter(|c| family.as_ref().is_none_or(|f| f.matches(c.code)))
    {
        let summary = match lang {
            Lang::Zh => code.summary_zh,
            Lang::En => code.summary_en,
        };
        // Every severity a finding of it can have, strongest first (`error/warning`).
        let severities = nianbao_model::docs::severities(code.code)
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("/");
        out.push_str(&format!(
            "{}  {:<28} {:<15} {}\n",
            code.code, code.name, severities, summary
        ));
    }
    if write_stdout(&out) {
        0
    } else {
        2
    }
}
