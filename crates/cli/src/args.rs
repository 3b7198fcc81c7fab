//! Raw command-line arguments (clap). They are resolved into
//! [`nianbao_model::settings::Settings`] in `main.rs`; nothing else reads them.

use clap::{Parser, Subcommand, ValueEnum};

/// nianbao (年报): checks Chinese government information-disclosure annual reports.
/// 检查政府信息公开工作年度报告：统计表算术、正文与表格、必备章节、文号与日期。
#[derive(Debug, Parser)]
#[command(name = "nianbao", version, about, long_about = None)]
pub struct Args {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check reports and print findings / 检查年报并列出问题
    Check(crate::commands::check::CheckArgs),
    /// Print the syntax tree, outline and input diagnostics of one report / 输出一份年报的语法树与提纲
    Parse(crate::commands::parse::ParseArgs),
    /// List the rule catalog / 列出规则目录
    Rules(crate::commands::rules::RulesArgs),
    /// Export every mapped statistics cell as CSV or JSON / 导出统计表的每个指标单元格
    Table(crate::commands::table::TableArgs),
    /// Sum subordinate reports' tables and compare with the compiled report / 汇总下级年报并与汇总年报比较
    Merge(crate::commands::merge::MergeArgs),
}

/// Message language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// 中文
    Zh,
    /// English
    En,
}

/// When to colour human output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Only on a terminal (and not when NO_COLOR is set).
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The severity from which a run fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOnArg {
    /// Errors only.
    Error,
    /// Warnings and errors.
    Warning,
    /// Any finding.
    Info,
    /// Never fail on findings.
    Never,
}

/// The language a `--lang` flag asks for, else the locale's.
pub fn lang_of(arg: Option<LangArg>) -> nianbao_model::settings::Lang {
    match arg {
        Some(LangArg::Zh) => nianbao_model::settings::Lang::Zh,
        Some(LangArg::En) => nianbao_model::settings::Lang::En,
        None => nianbao_model::settings::Lang::from_env(),
    }
}
