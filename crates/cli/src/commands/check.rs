//! `nianbao check`: check reports and print their findings.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::ValueEnum;
use nianbao_model::settings::{FailOn, Settings};

use crate::args::{lang_of, ColorArg, FailOnArg, LangArg};
use crate::io::{read, write_stdout};
use crate::render;

/// Output formats of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// rustc-style snippets for people.
    Human,
    /// The `nianbao.check/1` JSON document.
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// One CSV row per finding.
    Csv,
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

/// Resolves raw arguments into the settings the core understands.
pub fn settings_of(a: &CheckArgs) -> Settings {
    Settings {
        lang: lang_of(a.lang),
        fail_on: match a.fail_on {
            FailOnArg::Error => FailOn::Error,
            FailOnArg::Warning => FailOn::Warning,
            FailOnArg::Info => FailOn::Info,
            FailOnArg::Never => FailOn::Never,
        },
    }
}

/// Runs `nianbao check`.
pub fn run(a: CheckArgs) -> u8 {
    let settings = settings_of(&a);
    let lang = settings.lang;
    let color = match a.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let options = render::RenderOptions { lang, color };
    let mut renderer: Box<dyn render::Renderer> = match a.format {
        CheckFormat::Human => Box::new(render::human::HumanRenderer::new(options)),
        CheckFormat::Json => Box::new(render::json::JsonRenderer::new(options)),
        CheckFormat::Sarif => Box::new(render::sarif::SarifRenderer::new(options)),
        CheckFormat::Csv => Box::new(render::csv::CsvRenderer::new(options)),
    };
    let mut unreadable = false;
    let mut failed = false;
    for path in &a.paths {
        let Some(bytes) = read(path, lang) else {
            unreadable = true;
            continue;
        };
        let report = nianbao_model::check(&bytes);
        failed |= report
            .diagnostics
            .iter()
            .any(|d| settings.fail_on.fails(d.severity));
        let chunk = renderer.report(&path.display().to_string(), &report);
        if !chunk.is_empty() && !write_stdout(&chunk) {
            return 2;
        }
    }
    if !write_stdout(&renderer.finish()) {
        return 2;
    }
    if unreadable {
        2
    } else if failed {
        1
    } else {
        0
    }
}
