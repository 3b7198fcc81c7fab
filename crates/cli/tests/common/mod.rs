//! What the binary's tests share: running `nianbao` as a user does (no locale from
//! the environment, so the messages are the default language's) and finding the
//! project's fixtures.

// Each test binary uses its own share of these.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

/// The built `nianbao`, without the caller's locale.
fn command() -> Command {
    let mut command = Command::cargo_bin("nianbao").expect("the nianbao binary is built");
    command
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    command
}

/// Runs the built `nianbao` with `args`, without the caller's locale.
pub fn nianbao(args: &[&str]) -> Output {
    command().args(args).output().expect("nianbao runs")
}

/// The workspace's root directory.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// [`nianbao`] run from the workspace root, so that paths given as
/// `tests/fixtures/…` are found and shown as written.
pub fn nianbao_in_root(args: &[&str]) -> Output {
    command()
        .current_dir(workspace_root())
        .args(args)
        .output()
        .expect("nianbao runs")
}

/// A file of `tests/fixtures`.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name)
}

/// A file of `tests/corpus` (`html/…`, `txt/…`).
pub fn corpus_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/corpus")
        .join(name)
}

/// The run's standard output as JSON.
pub fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}
