//! The machine-readable formats, run as a user runs them from the workspace root:
//! SARIF 2.1.0 (validated against the official OASIS schema vendored in
//! `tests/schemas/`), the findings CSV, the `nianbao.check/2` and
//! `nianbao.table/2` JSON documents (validated against `docs/schema/`), and the
//! xlsx table export (read back with calamine).

mod common;

use common::{nianbao_in_root as nianbao, workspace_root};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Output;

use calamine::{open_workbook, Data, Reader, Xlsx};
use serde_json::Value;

/// The schema of `nianbao check --format json`.
const CHECK_SCHEMA: &str = "docs/schema/check-2.schema.json";
/// The schema of `nianbao table --format json`.
const TABLE_SCHEMA: &str = "docs/schema/table-2.schema.json";

/// Every fixture report (`tests/fixtures/*.{md,html,txt}` but the README), as a
/// user names it from the workspace root.
fn fixtures() -> Vec<String> {
    let dir = workspace_root().join("tests/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/fixtures")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n != "README.md" && (n.ends_with(".md") || n.ends_with(".html") || n.ends_with(".txt"))
        })
        .map(|n| format!("tests/fixtures/{n}"))
        .collect();
    names.sort();
    assert!(names.len() >= 10, "fixtures: {names:?}");
    names
}

fn ok_stdout(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

/// `nianbao check --fail-on never --format FORMAT ARGS…`, stdout.
fn check(format: &str, args: &[&str]) -> String {
    let mut all = vec!["check", "--fail-on", "never", "--format", format];
    all.extend_from_slice(args);
    ok_stdout(&nianbao(&all))
}

fn check_json(args: &[&str]) -> Value {
    serde_json::from_str(&check("json", args)).expect("stdout is JSON")
}

fn sarif(args: &[&str]) -> Value {
    serde_json::from_str(&check("sarif", args)).expect("stdout is JSON")
}

fn tmp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nianbao-formats-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn read_json(path: &str) -> Value {
    let text = std::fs::read_to_string(workspace_root().join(path)).expect(path);
    serde_json::from_str(&text).expect(path)
}

/// Validates `instance`, panicking with every error found.
fn assert_valid(validator: &jsonschema::Validator, instance: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .take(20)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}:\n{}", errors.join("\n"));
}

/// The `language` pattern of the official schema (of `run` and `toolComponent`).
/// Its lone `]` is a literal in ECMA-262 (Annex B) but not a valid regex for
/// the `jsonschema` crate, which checks every `pattern` against the draft-07
/// meta-schema's `format: regex` before compiling the schema.
const LANGUAGE_PATTERN: &str = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
/// The same pattern with that `]` escaped: the same language, a valid regex.
const LANGUAGE_PATTERN_ESCAPED: &str = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#;

/// The official SARIF 2.1.0 schema (draft-07), formats checked too. The file is
/// the official one byte for byte; in memory only, the `]` of its two `language`
/// patterns is escaped (same meaning) so that the `jsonschema` crate accepts it.
fn sarif_validator() -> jsonschema::Validator {
    let path = workspace_root().join("tests/schemas/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(path).expect("the vendored SARIF schema");
    assert_eq!(
        text.matches(LANGUAGE_PATTERN).count(),
        2,
        "the official schema as vendored"
    );
    let text = text.replace(LANGUAGE_PATTERN, LANGUAGE_PATTERN_ESCAPED);
    let schema: Value = serde_json::from_str(&text).expect("the SARIF schema is JSON");
    assert_eq!(
        schema["$id"],
        "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
    );
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

/// One of our own schemas (draft 2020-12), itself checked against its meta-schema.
fn doc_validator(path: &str) -> jsonschema::Validator {
    let schema = read_json(path);
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    if let Err(e) = jsonschema::meta::validate(&schema) {
        panic!("{path} is not a valid schema: {e}");
    }
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles")
}

fn run0(log: &Value) -> &Value {
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1, "one run");
    &runs[0]
}

fn results(log: &Value) -> &Vec<Value> {
    run0(log)["results"].as_array().expect("results")
}

fn region(result: &Value) -> &Value {
    &result["locations"][0]["physicalLocation"]["region"]
}

fn int(v: &Value) -> usize {
    usize::try_from(v.as_u64().unwrap_or_else(|| panic!("not an integer: {v}"))).expect("usize")
}

fn fingerprint(result: &Value) -> String {
    result["partialFingerprints"]["nianbao/v1"]
        .as_str()
        .expect("nianbao/v1 fingerprint")
        .to_string()
}

fn sarif_level(severity: &str) -> &'static str {
    match severity {
        "error" => "error",
        "warning" => "warning",
        "info" => "note",
        other => panic!("severity {other}"),
    }
}

#[test]
fn sarif_of_every_fixture_is_valid_against_the_official_schema() {
    let validator = sarif_validator();
    let catalog = nianbao_model::catalog();
    for fixture in fixtures() {
        for lang in ["zh", "en"] {
            let log = sarif(&[&fixture, "--lang", lang]);
            assert_valid(&validator, &log, &format!("{fixture} --lang {lang}"));
            assert_eq!(log["version"], "2.1.0");
            let run = run0(&log);
            assert_eq!(run["columnKind"], "unicodeCodePoints");
            let driver = &run["tool"]["driver"];
            assert_eq!(driver["name"], "nianbao");
            assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
            let rules = driver["rules"].as_array().expect("rules");
            assert_eq!(rules.len(), catalog.len(), "every code is a rule");
            for (rule, code) in rules.iter().zip(&catalog) {
                assert_eq!(rule["id"], code.code);
                assert_eq!(rule["name"], code.name);
                let summary = if lang == "zh" {
                    code.summary_zh
                } else {
                    code.summary_en
                };
                assert_eq!(rule["shortDescription"]["text"], summary);
                assert_eq!(rule["properties"]["summary"]["zh"], code.summary_zh);
                assert_eq!(rule["properties"]["summary"]["en"], code.summary_en);
                assert_eq!(
                    rule["defaultConfiguration"]["level"],
                    sarif_level(code.severity.as_str())
                );
                assert_eq!(
                    rule["help"]["markdown"].as_str(),
                    nianbao_model::docs::rule_doc(code.code).as_deref()
                );
                assert!(rule["help"]["text"]
                    .as_str()
                    .is_some_and(|t| t.contains("What it checks") && !t.contains("## ")));
            }
            // The results are the findings of the JSON document, in order.
            let doc = check_json(&[&fixture, "--lang", lang]);
            let diagnostics = doc["reports"][0]["diagnostics"]
                .as_array()
                .expect("diagnostics");
            let results = results(&log);
            assert_eq!(results.len(), diagnostics.len(), "{fixture}");
            for (r, d) in results.iter().zip(diagnostics) {
                assert_eq!(r["ruleId"], d["code"]);
                let index = int(&r["ruleIndex"]);
                assert_eq!(
                    rules[index]["id"], d["code"],
                    "ruleIndex points at the rule"
                );
                assert_eq!(r["message"]["text"], d["message"]);
                let reg = region(r);
                assert_eq!(reg["startLine"], d["span"]["line"]);
                assert_eq!(reg["startColumn"], d["span"]["column"]);
                assert_eq!(reg["byteOffset"], d["span"]["start"]);
                assert_eq!(
                    int(&reg["byteOffset"]) + int(&reg["byteLength"]),
                    int(&d["span"]["end"])
                );
                let location = &r["locations"][0]["physicalLocation"]["artifactLocation"];
                assert_eq!(location["uri"], fixture.as_str());
                assert_eq!(location["uriBaseId"], "%SRCROOT%");
                let related = r["relatedLocations"].as_array().map_or(0, Vec::len);
                assert_eq!(related, d["related"].as_array().map_or(0, Vec::len));
                for (i, rel) in d["related"].as_array().into_iter().flatten().enumerate() {
                    let loc = &r["relatedLocations"][i];
                    assert_eq!(loc["message"]["text"], rel["label"]);
                    assert_eq!(
                        loc["physicalLocation"]["region"]["byteOffset"],
                        rel["span"]["start"]
                    );
                }
                for key in ["expected", "found"] {
                    if d[key].is_null() {
                        assert!(r["properties"].get(key).is_none());
                    } else {
                        assert_eq!(r["properties"][key], d[key]);
                    }
                }
            }
        }
    }
}

#[test]
fn sarif_of_many_files_is_one_valid_run_with_one_artifact_each() {
    let fixtures = fixtures();
    let mut args: Vec<&str> = fixtures.iter().map(String::as_str).collect();
    // A path named twice is still one artifact (artifacts are unique items).
    args.push(&fixtures[0]);
    let log = sarif(&args);
    assert_valid(&sarif_validator(), &log, "all fixtures");
    let run = run0(&log);
    let artifacts = run["artifacts"].as_array().expect("artifacts");
    assert_eq!(artifacts.len(), fixtures.len());
    for r in results(&log) {
        let location = &r["locations"][0]["physicalLocation"]["artifactLocation"];
        let index = int(&location["index"]);
        assert_eq!(artifacts[index]["location"]["uri"], location["uri"]);
    }
    // An empty run (no readable file) is still a valid log.
    let out = nianbao(&["check", "--format", "sarif", "no/such/file.md"]);
    assert_eq!(out.status.code(), Some(2));
    let log: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_valid(&sarif_validator(), &log, "no file");
    assert!(results(&log).is_empty());
}

#[test]
fn sarif_validator_rejects_a_broken_log() {
    let mut log = sarif(&["tests/fixtures/zhongwei-2017.md"]);
    log["runs"][0]["results"][0]["level"] = Value::from("info");
    assert!(
        !sarif_validator().is_valid(&log),
        "info is not a SARIF level"
    );
    let mut log = sarif(&["tests/fixtures/zhongwei-2017.md"]);
    log["runs"][0]["columnKind"] = Value::from("characters");
    assert!(!sarif_validator().is_valid(&log));
    // Formats are checked: a path with a space is not a URI reference until encoded.
    let mut log = sarif(&["tests/fixtures/zhongwei-2017.md"]);
    log["runs"][0]["artifacts"][0]["location"]["uri"] = Value::from("a b.md");
    assert!(!sarif_validator().is_valid(&log));
}

/// The byte offset of a 1-based line and character column in `text`.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start = if line == 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(line - 2)
            .map(|(i, _)| i + 1)
            .unwrap_or_else(|| panic!("line {line}"))
    };
    let prefix: usize = text[line_start..]
        .chars()
        .take(column - 1)
        .map(char::len_utf8)
        .sum();
    line_start + prefix
}

#[test]
fn sarif_columns_count_characters_and_bytes_are_original_offsets() {
    let mut chinese_prefixes = 0;
    for fixture in fixtures() {
        let text = std::fs::read_to_string(workspace_root().join(&fixture)).expect("UTF-8 fixture");
        assert!(!text.starts_with('\u{feff}'), "no fixture has a BOM");
        let log = sarif(&[&fixture]);
        for r in results(&log) {
            let reg = region(r);
            let (line, column) = (int(&reg["startLine"]), int(&reg["startColumn"]));
            let start = int(&reg["byteOffset"]);
            assert_eq!(offset_of(&text, line, column), start, "{fixture}: {r}");
            let end = start + int(&reg["byteLength"]);
            assert_eq!(
                offset_of(&text, int(&reg["endLine"]), int(&reg["endColumn"])),
                end,
                "{fixture}: end of {r}"
            );
            // A start after Chinese text on its line: the column counts characters, not bytes.
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            let prefix = &text[line_start..start];
            if prefix.len() > prefix.chars().count() {
                assert_eq!(column, prefix.chars().count() + 1);
                chinese_prefixes += 1;
            }
        }
    }
    assert!(
        chinese_prefixes > 10,
        "findings after Chinese text: {chinese_prefixes}"
    );
}

#[test]
fn sarif_known_finding_is_at_its_character_column() {
    // zhongwei-2017 line 7: the stray half-width ")" after 《办法》 (NB504).
    let log = sarif(&["tests/fixtures/zhongwei-2017.md"]);
    let r = results(&log)
        .iter()
        .find(|r| r["ruleId"] == "NB504")
        .expect("NB504");
    let reg = region(r);
    let text = std::fs::read_to_string(workspace_root().join("tests/fixtures/zhongwei-2017.md"))
        .expect("fixture");
    let line = text.lines().nth(int(&reg["startLine"]) - 1).expect("line");
    let column = int(&reg["startColumn"]);
    assert_eq!(line.chars().nth(column - 1), Some(')'));
    assert!(line.chars().take(column - 1).any(|c| !c.is_ascii()));
    assert!(line.char_indices().nth(column - 1).expect("char").0 > column - 1);
    assert_eq!(int(&reg["endColumn"]), column + 1);
}

#[test]
fn sarif_regions_of_a_gb18030_copy_are_its_own_bytes_and_the_same_characters() {
    let text = std::fs::read_to_string(workspace_root().join("tests/fixtures/zhongwei-2017.md"))
        .expect("fixture");
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    let dir = tmp_dir("gb18030");
    let path = dir.join("zhongwei-2017.gb18030.md");
    std::fs::write(&path, &bytes).expect("GB18030 copy");
    let path = path.to_string_lossy().into_owned();
    let gb = sarif(&[&path]);
    let utf8 = sarif(&["tests/fixtures/zhongwei-2017.md"]);
    assert_valid(&sarif_validator(), &gb, "GB18030 copy");
    assert_eq!(run0(&gb)["artifacts"][0]["encoding"], "GB18030");
    assert!(run0(&gb)["artifacts"][0]["location"]["uri"]
        .as_str()
        .is_some_and(|u| u.starts_with("file:///")));
    let (gb, utf8) = (results(&gb), results(&utf8));
    assert_eq!(gb.len(), utf8.len());
    let mut shifted = 0;
    for (g, u) in gb.iter().zip(utf8) {
        assert_eq!(g["ruleId"], u["ruleId"]);
        let (rg, ru) = (region(g), region(u));
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert_eq!(rg[key], ru[key], "{key} of {g}");
        }
        let (gs, us) = (int(&rg["byteOffset"]), int(&ru["byteOffset"]));
        let g_text = encoding_rs::GB18030
            .decode_without_bom_handling(&bytes[gs..gs + int(&rg["byteLength"])])
            .0;
        assert_eq!(g_text, &text[us..us + int(&ru["byteLength"])]);
        shifted += usize::from(gs != us);
        assert_eq!(
            fingerprint(g),
            fingerprint(u),
            "same text, same fingerprint"
        );
    }
    assert!(shifted > 0, "GB18030 offsets are the copy's own");
}

#[test]
fn sarif_levels_map_error_warning_note() {
    // No fixture has an error; empty input is one (NB002).
    let dir = tmp_dir("levels");
    let empty = dir.join("empty.md");
    std::fs::write(&empty, b"").expect("empty file");
    let mut inputs = fixtures();
    inputs.push(empty.to_string_lossy().into_owned());
    let mut seen = HashSet::new();
    for fixture in inputs {
        let doc = check_json(&[&fixture]);
        let log = sarif(&[&fixture]);
        let diagnostics = doc["reports"][0]["diagnostics"]
            .as_array()
            .expect("diagnostics");
        for (r, d) in results(&log).iter().zip(diagnostics) {
            let severity = d["severity"].as_str().expect("severity");
            assert_eq!(r["level"], sarif_level(severity));
            seen.insert(severity.to_string());
        }
    }
    for severity in ["error", "warning", "info"] {
        assert!(seen.contains(severity), "some fixture has a {severity}");
    }
}

#[test]
fn sarif_fingerprints_are_stable_and_unique() {
    for fixture in fixtures() {
        let a = sarif(&[&fixture]);
        let b = sarif(&[&fixture]);
        let fa: Vec<String> = results(&a).iter().map(fingerprint).collect();
        let fb: Vec<String> = results(&b).iter().map(fingerprint).collect();
        assert_eq!(fa, fb, "{fixture}: two runs");
        let unique: HashSet<&String> = fa.iter().collect();
        assert_eq!(unique.len(), fa.len(), "{fixture}: fingerprints are unique");
        assert!(fa
            .iter()
            .all(|f| f.len() == 64 && f.bytes().all(|b| b.is_ascii_hexdigit())));
    }
}

/// Findings as (code, byte offset, fingerprint).
type Findings = Vec<(String, usize, String)>;
/// Fingerprints by (code, byte offset in the original).
type Moved = HashMap<(String, usize), String>;

/// The fingerprints of the findings of `fixture`, and of a copy with `line`
/// inserted at the top, keyed by code and original byte offset.
fn fingerprints_with_a_line_inserted(fixture: &str, line: &str) -> (Findings, Moved) {
    let original = std::fs::read(workspace_root().join(fixture)).expect("fixture");
    let dir = tmp_dir("insert");
    let name = Path::new(fixture).file_name().expect("name");
    let copy = dir.join(name);
    let mut bytes = line.as_bytes().to_vec();
    bytes.extend_from_slice(&original);
    std::fs::write(&copy, bytes).expect("copy");
    let key = |r: &Value| {
        (
            r["ruleId"].as_str().expect("ruleId").to_string(),
            int(&region(r)["byteOffset"]),
        )
    };
    let before: Findings = results(&sarif(&[fixture]))
        .iter()
        .map(|r| {
            let (code, at) = key(r);
            (code, at, fingerprint(r))
        })
        .collect();
    let after = results(&sarif(&[&copy.to_string_lossy()]))
        .iter()
        .map(|r| {
            let (code, at) = key(r);
            ((code, at - line.len().min(at)), fingerprint(r))
        })
        .collect();
    (before, after)
}

#[test]
fn sarif_fingerprints_survive_a_line_inserted_above() {
    let mut compared = 0;
    for fixture in fixtures() {
        let (before, after) = fingerprints_with_a_line_inserted(&fixture, "\n");
        for (code, at, fp) in &before {
            let moved = after.get(&(code.clone(), *at));
            assert_eq!(moved, Some(fp), "{fixture}: {code} at byte {at}");
            compared += 1;
        }
    }
    assert!(compared > 50, "{compared} findings compared");
    // A line of text: the same findings keep their fingerprints.
    let (before, after) = fingerprints_with_a_line_inserted(
        "tests/fixtures/zhongwei-2017.md",
        "说明：本文件由 PDF 转换而来。\n",
    );
    let mut same = 0;
    for (code, at, fp) in &before {
        if let Some(moved) = after.get(&(code.clone(), *at)) {
            assert_eq!(moved, fp, "{code} at byte {at}");
            same += 1;
        }
    }
    assert!(same * 10 >= before.len() * 9, "{same} of {}", before.len());
}

/// Parses CSV text into records.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("CSV record").iter().map(str::to_string).collect())
        .collect()
}

const FINDINGS_HEADER: [&str; 13] = [
    "path", "line", "column", "code", "name", "severity", "message", "expected", "found", "issuer",
    "year", "format", "location",
];
const FINDINGS_HEADER_ZH: [&str; 13] = [
    "文件",
    "行",
    "列",
    "代码",
    "名称",
    "严重程度",
    "说明",
    "应为",
    "实为",
    "发布机关",
    "年度",
    "格式",
    "位置",
];

#[test]
fn csv_findings_are_one_row_per_diagnostic() {
    for fixture in fixtures() {
        for lang in ["zh", "en"] {
            let text = check("csv", &[&fixture, "--lang", lang]);
            let records = csv_records(&text);
            // Chinese column names when Chinese is asked for on the command line.
            if lang == "zh" {
                assert_eq!(records[0], FINDINGS_HEADER_ZH);
            } else {
                assert_eq!(records[0], FINDINGS_HEADER);
            }
            let doc = check_json(&[&fixture, "--lang", lang]);
            let diagnostics = doc["reports"][0]["diagnostics"]
                .as_array()
                .expect("diagnostics");
            assert_eq!(records.len() - 1, diagnostics.len(), "{fixture}");
            for (row, d) in records[1..].iter().zip(diagnostics) {
                assert_eq!(row[0], fixture);
                assert_eq!(row[1], d["span"]["line"].to_string());
                assert_eq!(row[2], d["span"]["column"].to_string());
                assert_eq!(row[3], d["code"].as_str().expect("code"));
                assert_eq!(row[4], d["name"].as_str().expect("name"));
                assert_eq!(row[5], d["severity"].as_str().expect("severity"));
                assert_eq!(row[6], d["message"].as_str().expect("message"));
                assert_eq!(row[7], d["expected"].as_str().unwrap_or(""));
                assert_eq!(row[8], d["found"].as_str().unwrap_or(""));
                let report = &doc["reports"][0];
                assert_eq!(row[9], report["issuer"].as_str().unwrap_or(""));
                assert_eq!(
                    row[10],
                    report["year"]
                        .as_i64()
                        .map_or(String::new(), |y| y.to_string())
                );
                assert_eq!(row[11], report["format"].as_str().unwrap_or(""));
                // A place in a Word draft only.
                assert_eq!(row[12], "");
            }
        }
    }
}

#[test]
fn csv_of_many_files_has_one_header() {
    let fixtures = fixtures();
    let args: Vec<&str> = fixtures.iter().map(String::as_str).collect();
    let text = check("csv", &args);
    assert_eq!(text.matches("path,line,column,code,").count(), 1);
    let doc = check_json(&args);
    let total: usize = doc["reports"]
        .as_array()
        .expect("reports")
        .iter()
        .map(|r| r["diagnostics"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(csv_records(&text).len(), 1 + total);
}

#[test]
fn check_json_of_every_fixture_matches_its_schema() {
    let validator = doc_validator(CHECK_SCHEMA);
    for fixture in fixtures() {
        for lang in ["zh", "en"] {
            let doc = check_json(&[&fixture, "--lang", lang]);
            assert_valid(&validator, &doc, &format!("{fixture} --lang {lang}"));
        }
    }
    let fixtures = fixtures();
    let args: Vec<&str> = fixtures.iter().map(String::as_str).collect();
    assert_valid(&validator, &check_json(&args), "all fixtures");
    // Real reports the checker was not built with: article bodies, pages and text
    // renderings, some without a title (no issuer, so no issuer kind).
    let corpus = check_json(&["tests/corpus/html", "tests/corpus/txt"]);
    assert!(corpus["reports"].as_array().is_some_and(|r| r.len() > 50));
    assert_valid(&validator, &corpus, "the corpus");
    // Empty input and a page that is not a report are valid documents too.
    let dir = tmp_dir("json");
    let empty = dir.join("empty.md");
    std::fs::write(&empty, b"").expect("empty file");
    let empty = empty.to_string_lossy().into_owned();
    assert_valid(&validator, &check_json(&[&empty]), "empty input");
    // The validator rejects what the schema excludes.
    let mut bad = check_json(&["tests/fixtures/zhongwei-2017.md"]);
    bad["reports"][0]["diagnostics"][0]["severity"] = Value::from("note");
    assert!(!validator.is_valid(&bad));
    let mut bad = check_json(&["tests/fixtures/zhongwei-2017.md"]);
    bad["reports"][0]["extra"] = Value::from(1);
    assert!(!validator.is_valid(&bad));
}

#[test]
fn schema_format_and_variant_enums_are_the_builtin_templates() {
    let templates = nianbao_model::template::builtin();
    let mut formats: Vec<Value> = templates
        .iter()
        .map(|t| Value::from(t.format.id.as_str()))
        .chain([Value::from("unknown")])
        .collect();
    let mut variants: Vec<Value> = templates
        .iter()
        .filter_map(|t| t.format.variant.as_deref().map(Value::from))
        .chain([Value::Null])
        .collect();
    for list in [&mut formats, &mut variants] {
        list.sort_by_key(Value::to_string);
        list.dedup();
    }
    assert!(
        !formats.contains(&Value::from("stat-table-2008-pingtan")),
        "a variant is never a format"
    );
    let check = read_json(CHECK_SCHEMA);
    let table = read_json(TABLE_SCHEMA);
    let sorted = |e: &Value| {
        let mut listed = e.as_array().expect("enum").clone();
        listed.sort_by_key(Value::to_string);
        listed
    };
    for row in [
        &check["$defs"]["report"]["properties"],
        &table["$defs"]["row"]["properties"],
    ] {
        assert_eq!(sorted(&row["format"]["enum"]), formats);
        assert_eq!(sorted(&row["variant"]["enum"]), variants);
    }
}

#[test]
fn check_json_names_the_national_format_its_variant_and_the_issuer_kind() {
    let doc = check_json(&[
        "tests/fixtures/pingtan-2018.md",
        "tests/fixtures/pingtan-2024.md",
        "tests/fixtures/pingtan-caizhengjinrongju-2020.md",
    ]);
    let got: Vec<(&str, &Value, &Value, &Value)> = doc["reports"]
        .as_array()
        .expect("reports")
        .iter()
        .map(|r| {
            (
                r["path"].as_str().expect("path"),
                &r["format"],
                &r["variant"],
                &r["issuer_kind"],
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "tests/fixtures/pingtan-2018.md",
                &Value::from("stat-table-2008"),
                &Value::from("pingtan"),
                &Value::from("government"),
            ),
            (
                "tests/fixtures/pingtan-2024.md",
                &Value::from("national-2021"),
                &Value::Null,
                &Value::from("government"),
            ),
            (
                "tests/fixtures/pingtan-caizhengjinrongju-2020.md",
                &Value::from("national-2019"),
                &Value::Null,
                &Value::from("department"),
            ),
        ]
    );
    // Without a title there is no issuer, so no kind: null, not a guess.
    let dir = tmp_dir("no-issuer");
    let untitled = dir.join("untitled.md");
    std::fs::write(&untitled, "一、总体情况\n\n本年度收到申请 3 件。\n").expect("write");
    let doc = check_json(&[&untitled.to_string_lossy()]);
    let report = &doc["reports"][0];
    assert_eq!(report["issuer"], Value::Null);
    assert_eq!(report["issuer_kind"], Value::Null);
    assert!(report
        .as_object()
        .is_some_and(|r| r.contains_key("variant")));
}

#[test]
fn optional_fields_are_written_only_when_set() {
    let fixtures = fixtures();
    let args: Vec<&str> = fixtures.iter().map(String::as_str).collect();
    let doc = check_json(&args);
    let (mut related, mut relations) = (0, 0);
    for report in doc["reports"].as_array().expect("reports") {
        for d in report["diagnostics"].as_array().expect("diagnostics") {
            let d = d.as_object().expect("object");
            assert!(!d.contains_key("location"));
            // A finding about a template relation names it; no other has the field.
            let about_a_relation = ["NB201", "NB202", "NB203", "NB204", "NB601", "NB602"]
                .contains(&d["code"].as_str().unwrap_or_default());
            match d.get("relation") {
                Some(id) => {
                    assert!(about_a_relation, "{d:?}");
                    assert!(id.as_str().is_some_and(|id| !id.is_empty()));
                    relations += 1;
                }
                None => assert!(
                    !about_a_relation,
                    "a relation finding without its id: {d:?}"
                ),
            }
            // Only a copied-text finding names a place in another report: one of the run's.
            let copied =
                ["NB605", "NB606", "NB607"].contains(&d["code"].as_str().unwrap_or_default());
            for r in d["related"].as_array().expect("related") {
                related += 1;
                let r = r.as_object().expect("object");
                assert!(!r.contains_key("location"));
                if let Some(path) = r.get("path") {
                    assert!(copied, "{d:?}");
                    assert!(fixtures.iter().any(|f| path == f.as_str()), "{path}");
                }
            }
        }
    }
    assert!(related > 0, "the fixtures have related spans");
    assert!(relations > 0, "the fixtures have findings about a relation");
    // The schema has room for them: set, they are valid; null or malformed, not.
    let validator = doc_validator(CHECK_SCHEMA);
    let base = check_json(&["tests/fixtures/zhongwei-2017.md"]);
    let at = base["reports"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .position(|d| d["related"].as_array().is_some_and(|r| !r.is_empty()))
        .expect("a finding with a related span");
    let mut with = base.clone();
    let d = &mut with["reports"][0]["diagnostics"][at];
    d["relation"] = Value::from("8.1");
    d["location"] = serde_json::json!({"paragraph": 12, "text": "收到申请 43 件"});
    d["related"][0]["path"] = Value::from("tests/fixtures/other-2016.md");
    d["related"][0]["location"] =
        serde_json::json!({"table": 3, "row": 5, "column": 2, "text": "43"});
    assert_valid(&validator, &with, "optional fields set");
    for (field, bad) in [
        ("relation", Value::Null),
        ("relation", Value::from("")),
        ("location", serde_json::json!({"paragraph": 0, "text": "x"})),
        ("location", serde_json::json!({"paragraph": 1})),
    ] {
        let mut doc = base.clone();
        doc["reports"][0]["diagnostics"][at][field] = bad.clone();
        assert!(!validator.is_valid(&doc), "{field}: {bad}");
    }
    let mut doc = base.clone();
    doc["reports"][0]["diagnostics"][at]["related"][0]["path"] = Value::Null;
    assert!(!validator.is_valid(&doc), "a null path");
    // The format name of a variant is no format; a variant needs a known format.
    let mut doc = base.clone();
    doc["reports"][0]["format"] = Value::from("stat-table-2008-pingtan");
    assert!(!validator.is_valid(&doc));
    let mut doc = base.clone();
    doc["reports"][0]["format"] = Value::from("unknown");
    doc["reports"][0]["variant"] = Value::from("pingtan");
    assert!(!validator.is_valid(&doc));
    let mut doc = base;
    doc["reports"][0]["issuer_kind"] = Value::Null;
    assert!(!validator.is_valid(&doc), "an issuer without its kind");
}

#[test]
fn table_json_matches_its_schema() {
    let validator = doc_validator(TABLE_SCHEMA);
    let fixtures = fixtures();
    let args: Vec<&str> = ["table", "--format", "json"]
        .into_iter()
        .chain(fixtures.iter().map(String::as_str))
        .collect();
    let doc: Value = serde_json::from_str(&ok_stdout(&nianbao(&args))).expect("JSON");
    assert!(doc["rows"].as_array().is_some_and(|r| r.len() > 100));
    assert_valid(&validator, &doc, "table of all fixtures");
}

#[test]
fn table_xlsx_reads_back_as_the_csv_rows() {
    let fixture = "tests/fixtures/zhongwei-2017.md";
    let dir = tmp_dir("xlsx");
    let path = dir.join("zhongwei.xlsx");
    let out = nianbao(&[
        "table",
        fixture,
        "--format",
        "xlsx",
        "-o",
        &path.to_string_lossy(),
    ]);
    assert_eq!(ok_stdout(&out), "", "nothing on stdout with -o");
    let csv = csv_records(&ok_stdout(&nianbao(&["table", fixture])));

    let mut workbook: Xlsx<_> = open_workbook(&path).expect("an xlsx workbook");
    assert_eq!(workbook.sheet_names(), vec!["table".to_string()]);
    let range = workbook.worksheet_range("table").expect("sheet");
    let rows: Vec<&[Data]> = range.rows().collect();
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    // Chinese headers for the office: the CSV's columns in order, with the
    // column's label (列名) beside its id.
    assert_eq!(header, nianbao_xlsx::HEADER);
    assert_eq!(header.len(), csv[0].len() + 1);
    assert_eq!(rows.len(), csv.len(), "same row count as the CSV");
    let label_col = header.iter().position(|h| h == "列名").expect("列名");
    // The row without the label column reads as the CSV record.
    let without_label = |r: &[Data]| -> Vec<Data> {
        r.iter()
            .enumerate()
            .filter(|(i, _)| *i != label_col)
            .map(|(_, c)| c.clone())
            .collect()
    };
    let column = |name: &str| csv[0].iter().position(|h| h == name).expect("column");
    let (indicator, value, year, line) = (
        column("indicator"),
        column("value"),
        column("year"),
        column("line"),
    );
    let rows: Vec<Vec<Data>> = rows.iter().map(|r| without_label(r)).collect();
    let received = rows
        .iter()
        .find(|r| r[indicator] == Data::String("apply.received".to_string()))
        .expect("apply.received");
    assert_eq!(received[value], Data::Float(43.0));
    assert_eq!(received[year], Data::Float(2017.0));
    assert!(matches!(received[line], Data::Float(n) if n >= 1.0));
    // Every cell says what the CSV says: numbers as numbers, the rest as text.
    for (row, record) in rows[1..].iter().zip(&csv[1..]) {
        let row: &[Data] = row;
        for (cell, field) in row.iter().zip(record) {
            match cell {
                Data::Float(n) => assert_eq!(field.parse::<f64>().ok(), Some(*n), "{field}"),
                Data::String(s) => {
                    assert_eq!(s, field);
                    let decimal = !field.is_empty()
                        && field
                            .bytes()
                            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
                        && field.parse::<f64>().is_ok();
                    assert!(!decimal, "a decimal written as text: {field}");
                }
                Data::Empty => assert_eq!(field, ""),
                other => panic!("unexpected cell {other:?}"),
            }
        }
    }
}

#[test]
fn table_xlsx_names_each_column_in_chinese() {
    let dir = tmp_dir("xlsx-labels");
    let path = dir.join("pingtan.xlsx");
    let out = nianbao(&[
        "table",
        "tests/fixtures/pingtan-2024.md",
        "--format",
        "xlsx",
        "-o",
        &path.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let mut workbook: Xlsx<_> = open_workbook(&path).expect("an xlsx workbook");
    let range = workbook.worksheet_range("table").expect("sheet");
    let rows: Vec<&[Data]> = range.rows().collect();
    let at = |name: &str| {
        rows[0]
            .iter()
            .position(|h| *h == Data::String(name.to_string()))
            .expect(name)
    };
    let (column, label) = (at("列"), at("列名"));
    let natural = rows
        .iter()
        .find(|r| r[column] == Data::String("natural".into()))
        .expect("a row of the 自然人 column");
    assert_eq!(natural[label], Data::String("自然人".into()));
}

#[test]
fn table_xlsx_goes_to_a_pipe() {
    let out = nianbao(&[
        "table",
        "tests/fixtures/zhongwei-2017.md",
        "--format",
        "xlsx",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stdout.starts_with(b"PK\x03\x04"),
        "a zip archive on the pipe"
    );
}
