//! Messages as a reader reads them: cells by their Chinese (or English) labels,
//! never by internal ids; a relation's parts listed once; the relation's id a field.

mod common;

use common::{corpus_file, json, nianbao};
use serde_json::Value;

fn diagnostics(doc: &Value) -> Vec<&Value> {
    doc["reports"]
        .as_array()
        .expect("reports")
        .iter()
        .flat_map(|r| r["diagnostics"].as_array().expect("diagnostics"))
        .collect()
}

#[test]
fn a_sum_names_its_parts_by_label_and_its_relation_in_a_field() {
    let path = corpus_file("html/pingtan-haitanpianqu-2024.body.html");
    let doc = json(&nianbao(&[
        "check",
        &path.to_string_lossy(),
        "--format",
        "json",
    ]));
    let d = diagnostics(&doc)
        .into_iter()
        .find(|d| d["code"] == "NB201" && d["relation"] == "N3.3")
        .expect("the outcome rows do not add up to （七）总计");
    let zh = d["messages"]["zh"].as_str().expect("zh");
    let en = d["messages"]["en"].as_str().expect("en");
    // The parts that are not 0, once each, their sum, then the total.
    assert!(zh.contains("（自然人）："), "{zh}");
    assert!(
        zh.contains("1.本机关不掌握相关政府信息 4 + 3.补正后申请内容仍不明确 1 + "),
        "{zh}"
    );
    assert!(
        zh.contains(" = 6（另有 18 项为 0），但（七）总计为 5"),
        "{zh}"
    );
    assert!(
        en.contains("= 6 (and 18 more, all 0), but Total handled is 5"),
        "{en}"
    );
    // Each part is a related place labelled with its name and value.
    let labels: Vec<&str> = d["related"]
        .as_array()
        .expect("related")
        .iter()
        .filter_map(|r| r["labels"]["zh"].as_str())
        .collect();
    assert!(
        labels.contains(&"1.本机关不掌握相关政府信息 4"),
        "{labels:?}"
    );
    // SARIF carries the relation as a property.
    let sarif = json(&nianbao(&[
        "check",
        &path.to_string_lossy(),
        "--format",
        "sarif",
    ]));
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert!(results
        .iter()
        .any(|r| r["ruleId"] == "NB201" && r["properties"]["relation"] == "N3.3"));
}

#[test]
fn no_message_on_the_corpus_carries_an_internal_id() {
    let dir = corpus_file("html");
    let doc = json(&nianbao(&[
        "check",
        &dir.to_string_lossy(),
        "--format",
        "json",
    ]));
    let internal = |text: &str| {
        // `label[natural]`, a template relation's id, a cell label broken over lines.
        let id = text.split('[').skip(1).any(|rest| {
            rest.split_once(']').is_some_and(|(inside, _)| {
                !inside.is_empty() && inside.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            })
        });
        id || text.contains("模板关系") || text.contains("template relation") || text.contains('\n')
    };
    let mut seen = 0;
    for d in diagnostics(&doc) {
        let mut texts = vec![&d["messages"]["zh"], &d["messages"]["en"]];
        for r in d["related"].as_array().expect("related") {
            texts.extend([&r["labels"]["zh"], &r["labels"]["en"]]);
        }
        for t in texts {
            let t = t.as_str().expect("a text");
            assert!(!internal(t), "{}: {t}", d["code"]);
            seen += 1;
        }
    }
    assert!(seen > 100, "the corpus has findings: {seen}");
}

#[test]
fn human_output_places_each_finding_where_json_does() {
    // A one-line HTML body: every snippet is cut from a line of 80,000 bytes.
    let path = corpus_file("html/pingtan-haitanpianqu-2024.body.html");
    let path = path.to_string_lossy();
    let doc = json(&nianbao(&["check", &path, "--format", "json"]));
    let human = nianbao(&["check", &path, "--color", "never", "--show-info"]);
    let human = String::from_utf8(human.stdout).expect("UTF-8");
    let mut from = 0;
    for d in diagnostics(&doc) {
        let (line, column) = (&d["span"]["line"], &d["span"]["column"]);
        let place = format!("--> {path}:{line}:{column}\n");
        let at = human[from..]
            .find(&place)
            .unwrap_or_else(|| panic!("{} not at {place} in the human output", d["code"]));
        from += at + place.len();
    }
    // Related places near the primary one are marked in its snippet: a finding
    // whose two labels lie 300 bytes apart on that line has one snippet.
    let nb215 = human
        .split("\n\n")
        .find(|f| f.starts_with("info[NB215]"))
        .expect("the NB215 finding");
    assert_eq!(nb215.matches(":::").count(), 0, "{nb215}");
    assert_eq!(nb215.matches("\n3 |").count(), 1, "{nb215}");
}
