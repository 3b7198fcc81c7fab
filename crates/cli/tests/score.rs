//! `nianbao score`: the example sheet on the fixtures, run as a user runs it.

mod common;

use common::{fixture, json, nianbao};

fn path(name: &str) -> String {
    fixture(name).to_string_lossy().into_owned()
}

fn item<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["id"] == id)
        .expect("the item")
}

#[test]
fn the_example_sheet_scores_each_report_and_leaves_what_it_cannot_check_pending() {
    let doc = json(&nianbao(&[
        "score",
        &path("zhongwei-2017.md"),
        &path("pingtan-2024.md"),
        "--sheet",
        "example",
        "--format",
        "json",
    ]));
    assert_eq!(doc["schema"], "nianbao.score/1");
    let reports = doc["reports"].as_array().expect("reports");
    assert_eq!(reports.len(), 2);
    let zhongwei = &reports[0];
    // Markdown has no publication date: timeliness is 待核 (null), never deducted.
    assert_eq!(
        item(zhongwei, "timeliness")["score"],
        serde_json::Value::Null
    );
    assert_eq!(item(zhongwei, "timeliness")["codes"][0], "NB111");
    // Its NB401 (959 vs 948) costs 0.5 of the consistency item's 1.5.
    assert_eq!(item(zhongwei, "consistency")["score"], "1.0");
    assert_eq!(item(zhongwei, "consistency")["codes"][0], "NB401");
    assert_eq!(zhongwei["pending"], 1);
    // pingtan-2024: nothing found, every checked item whole.
    let pingtan = &reports[1];
    assert_eq!(item(pingtan, "tables")["score"], "3");
    assert_eq!(pingtan["total"], pingtan["scored_of"]);
}

#[test]
fn published_late_loses_the_timeliness_points_and_csv_says_pending_in_chinese() {
    let doc = json(&nianbao(&[
        "score",
        &path("pingtan-caizhengjinrongju-2025.md"),
        "--sheet",
        "example",
        "--format",
        "json",
        "--published",
        "2026-02-15",
    ]));
    let report = &doc["reports"][0];
    assert_eq!(item(report, "timeliness")["score"], "0");
    assert_eq!(item(report, "timeliness")["codes"][0], "NB110");

    let out = nianbao(&[
        "score",
        &path("zhongwei-2017.md"),
        "--sheet",
        "example",
        "--lang",
        "zh",
    ]);
    let csv = String::from_utf8(out.stdout).expect("UTF-8");
    let mut lines = csv.lines();
    let header = lines.next().expect("header");
    assert!(
        header.starts_with("文件,发布机关,年度,格式,按时发布（2）,"),
        "{header}"
    );
    let row = lines.next().expect("a row");
    assert!(row.contains(",待核,"), "{row}");
    assert!(row.contains(",中卫市,2017,"), "{row}");
}

#[test]
fn a_sheet_that_is_wrong_is_named_and_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sheet = dir.path().join("bad.toml");
    std::fs::write(
        &sheet,
        "[sheet]\nname = \"x\"\n[[items]]\nid = \"late\"\nname_zh = \"按时\"\nname_en = \"on time\"\n\
         points = 1\ndeduct = [{ rules = [\"published-later\"], points = 1 }]\n",
    )
    .expect("written");
    let out = nianbao(&[
        "score",
        &path("zhongwei-2017.md"),
        "--sheet",
        &sheet.to_string_lossy(),
        "--lang",
        "zh",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("items.late") && err.contains("published-later"),
        "{err}"
    );
}

#[test]
fn the_workbook_has_a_row_per_report() {
    use calamine::{Reader, Xlsx};
    let dir = tempfile::tempdir().expect("temp dir");
    let book = dir.path().join("score.xlsx");
    let out = nianbao(&[
        "score",
        &path("zhongwei-2017.md"),
        &path("pingtan-2024.md"),
        "--sheet",
        "example",
        "--format",
        "xlsx",
        "-o",
        &book.to_string_lossy(),
        "--lang",
        "zh",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut xlsx: Xlsx<_> = calamine::open_workbook(&book).expect("opens");
    let range = xlsx.worksheet_range("score").expect("the sheet");
    assert_eq!(range.height(), 3, "header and two reports");
    assert_eq!(
        range.get((0, 4)).map(|c| c.to_string()),
        Some("按时发布（2）".to_string())
    );
    assert_eq!(
        range.get((1, 4)).map(|c| c.to_string()),
        Some("待核".to_string())
    );
}

/// The JSON document follows its published schema (`docs/schema/score-1.schema.json`,
/// itself checked against the draft 2020-12 meta-schema): on reports of each format,
/// a report scored 待核, one that is not a report, and a report published late.
#[test]
fn the_json_document_follows_its_schema() {
    let root = common::workspace_root();
    let text =
        std::fs::read_to_string(root.join("docs/schema/score-1.schema.json")).expect("the schema");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    if let Err(e) = jsonschema::meta::validate(&schema) {
        panic!("score-1.schema.json is not a valid schema: {e}");
    }
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(&schema)
        .expect("the schema compiles");
    let dir = tempfile::tempdir().expect("temp dir");
    let not_a_report = dir.path().join("notes.txt");
    std::fs::write(&not_a_report, "会议纪要\n").expect("write");
    for extra in [&[][..], &["--published", "2030-01-01"][..]] {
        let mut args = vec![
            "score".to_string(),
            path("zhongwei-2017.md"),
            path("pingtan-2024.md"),
            path("drafts/huaian-2024.docx"),
            not_a_report.to_string_lossy().into_owned(),
            "--sheet".into(),
            "example".into(),
            "--format".into(),
            "json".into(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let doc = json(&nianbao(&args));
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .take(20)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{extra:?}:\n{}", errors.join("\n"));
        assert_eq!(doc["reports"].as_array().expect("reports").len(), 4);
    }
    // The schema is not empty of meaning: a score that is a number is refused.
    let mut wrong = json(&nianbao(&[
        "score",
        &path("pingtan-2024.md"),
        "--sheet",
        "example",
        "--format",
        "json",
    ]));
    wrong["reports"][0]["total"] = serde_json::json!(9.0);
    assert!(!validator.is_valid(&wrong));
}
