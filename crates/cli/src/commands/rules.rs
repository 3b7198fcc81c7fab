//! `nianbao rules`: the rule catalog, or one rule's full documentation.

use nianbao_model::settings::Lang;

use crate::args::{lang_of, LangArg};
use crate::io::{error, write_stdout};

/// `nianbao rules`.
#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// A rule's code or name (NB010, page-break-join): print its full documentation / 规则代码或名称：显示该规则的完整说明
    pub code: Option<String>,
    /// Message language / 消息语言
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
}

/// Runs `nianbao rules`.
pub fn run(a: RulesArgs) -> u8 {
    let lang = lang_of(a.lang);
    if let Some(wanted) = a.code {
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
    for code in nianbao_model::catalog() {
        let summary = match lang {
            Lang::Zh => code.summary_zh,
            Lang::En => code.summary_en,
        };
        out.push_str(&format!(
            "{}  {:<28} {:<8} {}\n",
            code.code,
            code.name,
            code.severity.as_str(),
            summary
        ));
    }
    if write_stdout(&out) {
        0
    } else {
        2
    }
}
