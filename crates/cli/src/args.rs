//! Raw command-line arguments (clap). They are resolved into
//! [`nianbao_model::settings::Settings`] in `main.rs`; nothing else reads them.

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};
use nianbao_model::settings::Lang;

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
    /// Score reports against an evaluator's sheet, one row per report / 按评分表为年报打分
    Score(crate::commands::score::ScoreArgs),
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

/// How `parse`, `table` and `merge` read their reports (`check` has the same
/// flags, resolved with its configuration file).
#[derive(Debug, clap::Args)]
pub struct ReadArgs {
    /// The name standard input (`-`) is shown by / 标准输入在输出中的名称
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,
    /// Largest report to read, such as 64M [default: 64M]; standard input and
    /// pipes are read up to it, no further / 读取的文件大小上限
    #[arg(long, value_name = "SIZE")]
    pub max_file_size: Option<String>,
}

impl ReadArgs {
    /// The size limit; `Err` after a message on stderr (a usage error).
    pub fn limit(&self, lang: Lang) -> Result<u64, ()> {
        match &self.max_file_size {
            None => Ok(nianbao_model::settings::DEFAULT_MAX_FILE_SIZE),
            Some(text) => nianbao_model::settings::parse_size(text).ok_or_else(|| {
                crate::io::error(
                    lang,
                    format!("--max-file-size：无效的大小“{text}”；应为字节数或带 K、M、G 的大小，如 64M"),
                    format!("--max-file-size: invalid size `{text}`; give bytes or a size with K, M or G, such as 64M"),
                )
            }),
        }
    }

    /// `--stdin-filename`.
    pub fn stdin_filename(&self) -> Option<&Path> {
        self.stdin_filename.as_deref()
    }

    /// Checks the operands' use of standard input ([`crate::io::check_stdin_use`])
    /// and returns the size limit; `Err` after a message on stderr (exit 2).
    pub fn resolve<'a>(
        &self,
        operands: impl IntoIterator<Item = &'a PathBuf>,
        lang: Lang,
    ) -> Result<u64, ()> {
        let limit = self.limit(lang)?;
        if crate::io::check_stdin_use(operands, self.stdin_filename(), lang) {
            Ok(limit)
        } else {
            Err(())
        }
    }

    /// Reads one report operand (`-`: standard input); `None` after a message on
    /// stderr naming it.
    pub fn read(&self, operand: &Path, limit: u64, lang: Lang) -> Option<(String, Vec<u8>)> {
        let shown = crate::io::shown_name(operand, self.stdin_filename());
        let bytes = crate::io::read_report(operand, &shown, limit, lang)?;
        Some((shown, bytes))
    }
}
