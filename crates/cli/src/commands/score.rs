//! `nianbao score`: reports scored against an evaluator's sheet
//! ([`nianbao_model::score`]), one row per report. The reports are checked as
//! `nianbao check` checks them (the same walk, pairing of years, settings and
//! exit codes); the sheet turns their findings into points.

use std::cell::Cell;
use std::path::PathBuf;
use std::rc::Rc;

use clap::{Args, FromArgMatches};
use nianbao_model::score::Sheet;
use nianbao_model::settings::Lang;

use crate::args::LangArg;
use crate::commands::check::CheckArgs;
use crate::io::error;
use crate::render::score::{ScoreFormat, ScoreRenderer};

/// `nianbao score`.
#[derive(Debug, clap::Args)]
pub struct ScoreArgs {
    /// Report files or directories / 年报文件或目录
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The score sheet (a TOML file), or `example` for the one nianbao ships /
    /// 评分表（TOML 文件；example 为内置示例）
    #[arg(long, value_name = "SHEET")]
    pub sheet: String,
    /// Output format / 输出格式
    #[arg(long, value_enum, default_value_t = ScoreFormat::Csv)]
    pub format: ScoreFormat,
    /// Write to this file instead of stdout / 写入此文件而非标准输出
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Last year's report (see `check --previous`) / 上一年度的年报
    #[arg(long, value_name = "FILE")]
    pub previous: Option<PathBuf>,
    /// Publication date of the reports (see `check --published`) / 发布日期
    #[arg(long, value_name = "DATE")]
    pub published: Option<String>,
    /// The configuration file (see `check --config`) / 配置文件
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Read no configuration file / 不读取配置文件
    #[arg(long)]
    pub no_config: bool,
    /// Language of the header and of 待核 / 语言
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
}

/// Runs `nianbao score`.
pub fn run(a: ScoreArgs) -> u8 {
    let lang = match a.lang {
        Some(LangArg::Zh) => Lang::Zh,
        Some(LangArg::En) => Lang::En,
        None => Lang::from_env(),
    };
    let text = if a.sheet == "example" {
        nianbao_model::score::EXAMPLE.to_string()
    } else {
        match std::fs::read_to_string(&a.sheet) {
            Ok(text) => text,
            Err(e) => {
                let e = crate::io::os_zh(&e);
                error(
                    lang,
                    format!("无法读取评分表 {}：{e}", a.sheet),
                    format!("cannot read the score sheet {}: {e}", a.sheet),
                );
                return 2;
            }
        }
    };
    let sheet = match Sheet::from_toml(&text) {
        Ok(sheet) => sheet,
        Err(e) => {
            error(
                lang,
                format!("评分表 {} 有误：{e}", a.sheet),
                format!("the score sheet {} is not valid: {e}", a.sheet),
            );
            return 2;
        }
    };
    if a.format == ScoreFormat::Xlsx
        && a.output.is_none()
        && std::io::IsTerminal::is_terminal(&std::io::stdout())
    {
        error(
            lang,
            "xlsx 是二进制文件：请用 -o FILE 写入文件，或重定向标准输出".into(),
            "xlsx is binary: give -o FILE, or redirect stdout".into(),
        );
        return 2;
    }
    // The check's own arguments, as `nianbao check` would read them.
    let mut argv: Vec<std::ffi::OsString> = vec!["check".into(), "--format".into(), "json".into()];
    argv.extend(a.paths.iter().map(|p| p.clone().into_os_string()));
    if let Some(p) = &a.previous {
        argv.extend(["--previous".into(), p.clone().into_os_string()]);
    }
    if let Some(d) = &a.published {
        argv.extend(["--published".into(), d.into()]);
    }
    if let Some(c) = &a.config {
        argv.extend(["--config".into(), c.clone().into_os_string()]);
    }
    if a.no_config {
        argv.push("--no-config".into());
    }
    argv.extend([
        "--lang".into(),
        match lang {
            Lang::Zh => "zh".into(),
            Lang::En => "en".into(),
        },
    ]);
    let xlsx_to = if a.format == ScoreFormat::Xlsx {
        a.output.clone()
    } else {
        if let Some(o) = &a.output {
            argv.extend(["-o".into(), o.clone().into_os_string()]);
        }
        None
    };
    let command = CheckArgs::augment_args(clap::Command::new("check").no_binary_name(false));
    let check = match command
        .try_get_matches_from(argv)
        .and_then(|m| CheckArgs::from_arg_matches(&m))
    {
        Ok(check) => check,
        Err(e) => {
            error(lang, e.to_string(), e.to_string());
            return 2;
        }
    };
    let format = a.format;
    // Set by the renderer when the workbook or the CSV could not be written.
    let failed = Rc::new(Cell::new(false));
    let flag = failed.clone();
    let code = crate::commands::check::run_with(
        check,
        Some(Box::new(move |options| {
            Box::new(ScoreRenderer::new(options, sheet, format, xlsx_to, flag))
        })),
    );
    if failed.get() {
        return 2;
    }
    code
}
