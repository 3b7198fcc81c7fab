//! The narrative checks as a user meets them: `nianbao check` run on a report
//! given on standard input, its `nianbao.check/2` document read back. Each input
//! is a real fixture with one paragraph added, or a paragraph as reports write it.

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(workspace_root().join("tests/fixtures").join(name))
        .expect("the fixture reads")
}

/// `text` with `paragraph` as a paragraph of its own before the line holding `before`.
fn with_paragraph(text: &str, before: &str, paragraph: &str) -> String {
    let at = text.find(before).expect("the anchor is in the fixture");
    let line_start = text[..at].rfind('\n').map_or(0, |p| p + 1);
    format!(
        "{}{paragraph}\n\n{}",
        &text[..line_start],
        &text[line_start..]
    )
}

/// The findings of `nianbao check --format json` on `input`, as (code, message).
fn check(input: &str, lang: &str) -> Vec<(String, String)> {
    let out = Command::cargo_bin("nianbao")
        .expect("the nianbao binary is built")
        .current_dir(workspace_root())
        .args([
            "check",
            "--format",
            "json",
            "--lang",
            lang,
            "--stdin-filename",
            "report.md",
            "-",
        ])
        .write_stdin(input.as_bytes().to_vec())
        .output()
        .expect("nianbao runs");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("a JSON document");
    assert_eq!(doc["schema"], "nianbao.check/2");
    doc["reports"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn of_code<'a>(found: &'a [(String, String)], code: &str) -> Vec<&'a str> {
    found
        .iter()
        .filter(|(c, _)| c == code)
        .map(|(_, m)| m.as_str())
        .collect()
}

#[test]
fn documents_not_made_public_are_not_refused_applications() {
    let report = fixture("pingtan-2023.md");
    let sentence = "2023年，我区共制发政府信息349条，其中，主动公开政府信息124条、依申请公开173条、不予公开52条。";
    let found = check(
        &with_paragraph(&report, "二、主动公开政府信息情况", sentence),
        "zh",
    );
    assert_eq!(of_code(&found, "NB301"), Vec::<&str>::new());
    // As a part of the applications answered, the same count is checked.
    let sentence = "2023年全区办结政府信息公开申请81件，其中不予公开52件。";
    let found = check(
        &with_paragraph(&report, "二、主动公开政府信息情况", sentence),
        "zh",
    );
    assert_eq!(
        of_code(&found, "NB301"),
        vec!["正文“不予公开”52件，表格“1.属于国家秘密”+“2.其他法律行政法规禁止公开”+“3.危及“三安全一稳定””+“4.保护第三方合法权益”+“5.属于三类内部事务信息”+“6.属于四类过程性信息”+“7.属于行政执法案卷”+“8.属于行政查询事项”为 5"]
    );
}

#[test]
fn a_list_of_parts_ends_where_it_ends() {
    for text in [
        // In brackets.
        "在主动公开的20条政府信息中，为民办实事类信息14条（其中奖补项目2条；进度通报12条）；规划计划类信息4条。",
        // Complete at a `；`.
        "2025年累计主动公开政府信息20条，其中监督检查情况8条，其他信息12条；公开财政预决算信息2条，发布公示公告50条。",
        // A part written without its unit.
        "全年印发公文类政府信息共510条，其中主动公开信息数169，依申请公开信息数317条，不予公开24条；全年通过政府门户网站公开规范性文件类信息5条，民政类信息77条，科教类信息83条。",
    ] {
        assert_eq!(of_code(&check(text, "zh"), "NB401"), Vec::<&str>::new(), "{text}");
    }
    // A list that does not add up, its `等方面` inside an item's name.
    let found = check(
        "门户网站公开政府信息79条，其中应急预案7条；重大建设项目1条；规划1条；监督检查情况6条；扶贫、教育等方面的政策1条；其他应主动公开的政府信息62条。",
        "en",
    );
    assert_eq!(
        of_code(&found, "NB401"),
        vec!["the total 79条 differs from the sum of its parts 7 + 1 + 1 + 6 + 1 + 62 = 78条"]
    );
}

#[test]
fn a_share_outside_a_list_is_of_the_total_before_it() {
    let text = "2024年，我局共收到政府信息公开申请8件，申请事项涉及政策法规信息1件、机构设置信息1件、小区备案信息6件。其中，同意公开3件，占比37.5%；无法提供4件，占比50%；区分处理后公开1件，占比12.5%。";
    assert_eq!(of_code(&check(text, "zh"), "NB402"), Vec::<&str>::new());
    assert_eq!(of_code(&check(text, "zh"), "NB401"), Vec::<&str>::new());
    let found = check(&text.replace("占比50%", "占比40%"), "zh");
    assert_eq!(
        of_code(&found, "NB402"),
        vec!["比率 40% 与 4 / 8 = 50% 不符"]
    );
}

#[test]
fn the_parts_a_report_lists_against_the_number_it_states() {
    let text = "本报告由概述、主动公开政府信息情况、依申请公开政府信息办理情况、政府信息公开的收费及减免情况、因政府信息公开申请行政复议、提起行政诉讼的情况、工作存在的主要问题及改进情况、其他需要说明的事项、附表等共六个部分组成。";
    let found = check(text, "zh");
    assert_eq!(
        of_code(&found, "NB403"),
        vec!["正文称共 6 个部分，但列出了 8 个：概述｜主动公开政府信息情况｜依申请公开政府信息办理情况｜政府信息公开的收费及减免情况｜因政府信息公开申请行政复议、提起行政诉讼的情况｜工作存在的主要问题及改进情况｜其他需要说明的事项｜附表"]
    );
    let found = check(text, "en");
    assert!(
        of_code(&found, "NB403")
            .first()
            .is_some_and(|m| m.starts_with("the text says 6 parts but lists 8: 概述｜")),
        "{found:?}"
    );
    assert_eq!(
        of_code(
            &check(&text.replace("共六个部分", "共八个部分"), "zh"),
            "NB403"
        ),
        Vec::<&str>::new()
    );
}

#[test]
fn the_counts_of_a_2008_table_with_a_cumulative_column() {
    // pingtan-2018's table: 主动公开文件数 2069 this year, 12106 over all years.
    let report = fixture("pingtan-2018.md");
    let anchor = "四、因政府信息公开申请行政复议";
    let found = check(
        &with_paragraph(
            &report,
            anchor,
            "截至目前，全区历年累计主动公开政府信息12106条。",
        ),
        "zh",
    );
    assert_eq!(of_code(&found, "NB301"), Vec::<&str>::new());
    let found = check(
        &with_paragraph(
            &report,
            anchor,
            "截至目前，全区历年累计主动公开政府信息12160条。",
        ),
        "zh",
    );
    assert_eq!(
        of_code(&found, "NB301"),
        vec!["正文“主动公开政府信息”12160条，表格“主动公开文件数（历年累计）”为 12106"]
    );
    // Applications stated against a table of zeros.
    let found = check(
        &report.replace(
            "2018年未收到有关政府信息公开申请。",
            "2018年共收到有关政府信息公开的申请3条，对申请的答复总数3条。",
        ),
        "zh",
    );
    assert_eq!(
        of_code(&found, "NB301"),
        vec![
            "正文“政府信息公开的申请”3条，表格“受理依申请公开信息总数”为 0",
            "正文“对申请的答复”3条，表格“对申请的答复总数”为 0",
        ]
    );
}
