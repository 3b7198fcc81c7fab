//! Raw command-line arguments (clap). They are resolved into
//! [`nianbao_model::settings::Settings`] in `main.rs`; nothing else reads them.

use std::path::PathBuf;

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
    Check(CheckArgs),
    /// Print the syntax tree, outline and input diagnostics of one report / 输出一份年报的语法树与提纲
    Parse(ParseArgs),
    /// List the rule catalog / 列出规则目录
    Rules(RulesArgs),
    /// Export every mapped statistics cell as CSV or JSON / 导出统计表的每个指标单元格
    Table(TableArgs),
}

/// Output formats of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// rustc-style snippets for people.
    Human,
    /// The `nianbao.check/1` JSON document.
    Json,
}

/// Output formats of `parse`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ParseFormat {
    /// The `nianbao.parse/1` JSON document.
    Json,
}

/// Output formats of `table`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    /// CSV (RFC 4180) with a header line.
    Csv,
    /// The `nianbao.table/1` JSON document.
    Json,
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

/// `nianbao check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Report files to check / 要检查的年报文件
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format / 输出格式
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Message language (default: from LC_ALL/LANG, else zh) / 消息语言
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Lowest severity that makes the exit code 1 / 导致退出码为 1 的最低严重程度
    #[arg(long, value_enum, default_value_t = FailOnArg::Error)]
    pub fail_on: FailOnArg,
    /// Colour / 颜色
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
}

/// `nianbao parse`.
#[derive(Debug, clap::Args)]
pub struct ParseArgs {
    /// The report file / 年报文件
    pub path: PathBuf,
    /// Output format / 输出格式
    #[arg(long, value_enum, default_value_t = ParseFormat::Json)]
    pub format: ParseFormat,
}

/// `nianbao rules`.
#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// A rule's code or name (NB010, page-break-join): print its full documentation / 规则代码或名称：显示该规则的完整说明
    pub code: Option<String>,
    /// Message language / 消息语言
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
}

/// `nianbao table`.
#[derive(Debug, clap::Args)]
pub struct TableArgs {
    /// Report files to export / 要导出的年报文件
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format / 输出格式
    #[arg(long, value_enum, default_value_t = TableFormat::Csv)]
    pub format: TableFormat,
    /// Write to this file instead of stdout / 写入此文件而非标准输出
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}
