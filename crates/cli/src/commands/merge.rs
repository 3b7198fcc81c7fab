//! `nianbao merge`: sum subordinate reports' tables and compare with the compiled report
//! (NOT BUILT YET).

use std::path::PathBuf;

/// `nianbao merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Subordinate reports / 下级单位的年报
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The compiled report to compare the sum with / 与合计比较的汇总年报
    #[arg(long, value_name = "COMPILED")]
    pub against: Option<PathBuf>,
}

/// Runs `nianbao merge`.
pub fn run(_a: MergeArgs) -> u8 {
    crate::io::error(
        nianbao_model::settings::Lang::from_env(),
        "merge 尚未实现".to_string(),
        "merge is not implemented yet".to_string(),
    );
    2
}
