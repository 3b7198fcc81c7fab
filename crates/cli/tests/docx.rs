//! Word drafts (`.docx`) wherever a report goes: `check` (human, JSON with
//! locations, SARIF with logical locations), `table`, `merge`, `--previous`,
//! `parse`, a directory run. The draft is `tests/fixtures/drafts/pingtan-2024.docx`
//! (`cargo xtask drafts`: the 2021 template filled with `pingtan-2024.md`).

mod common;

use common::{nianbao_in_root as nianbao, workspace_root};
use std::io::{Cursor, Read, Write};

use serde_json::Value;

const DRAFT: &str = "tests/fixtures/drafts/pingtan-2024.docx";
const MARKDOWN: &str = "tests/fixtures/pingtan-2024.md";

fn json(args: &[&str]) -> Value {
    let out = nianbao(args);
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// The draft with `document.xml` edited by `edit`, written to a temporary file.
fn edited(edit: impl Fn(&str) -> String) -> tempfile::NamedTempFile {
    let bytes = std::fs::read(workspace_root().join(DRAFT)).expect("the draft");
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("a part");
        let name = file.name().to_string();
        let mut content = Vec::new();
        file.read_to_end(&mut content).expect("readable part");
        if name == "word/document.xml" {
            let xml = String::from_utf8(content).expect("UTF-8 XML");
            let changed = edit(&xml);
            assert_ne!(changed, xml, "the edit applies");
            content = changed.into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("in memory");
        out.write_all(&content).expect("in memory");
    }
    let bytes = out.finish().expect("in memory").into_inner();
    let mut file = tempfile::Builder::new()
        .suffix(".docx")
        .tempfile()
        .expect("temp file");
    file.write_all(&bytes).expect("written");
    file
}

/// A report's findings, each as (code, message), sorted, without what only
/// one of the two inputs can have: the repairs of conversion artefacts
/// (NB010–NB019), the tracked changes (NB027) and the publication date (NB111).
fn findings(report: &Value) -> Vec<(String, String)> {
    let mut f: Vec<_> = report["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .filter(|d| {
            let code = d["code"].as_str().unwrap_or_default();
            !code.starts_with("NB01") && code != "NB027" && code != "NB111"
        })
        .map(|d| (d["code"].to_string(), d["message"].to_string()))
        .collect();
    f.sort();
    f
}

/// Every table cell (indicator, column, value) of `nianbao table`.
fn cells(path: &str) -> Vec<(Value, Value, Value)> {
    json(&["table", "--format", "json", path])["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["indicator"].clone(),
                r["column"].clone(),
                r["value"].clone(),
            )
        })
        .collect()
}

/// The draft and its text version: the same format, issuer, year and table
/// cells; the draft's report entry and the text's.
fn same_report(draft: &str, text: &str) -> (Value, Value) {
    let docx = json(&["check", "--format", "json", "--show-info", draft]);
    let md = json(&["check", "--format", "json", "--show-info", text]);
    let (d, m) = (docx["reports"][0].clone(), md["reports"][0].clone());
    for field in ["format", "variant", "issuer", "issuer_kind", "year"] {
        assert_eq!(d[field], m[field], "{draft}: {field}");
    }
    assert_eq!(d["format"], "national-2021", "{draft}");
    assert!(
        d["issuer"].as_str().is_some_and(|i| !i.is_empty()),
        "{draft}"
    );
    // Every table cell the same, read from the template's merged cells.
    let (dc, mc) = (cells(draft), cells(text));
    assert!(dc.len() > 100, "{draft}: {}", dc.len());
    assert_eq!(dc, mc, "{draft}");
    // Locations only for the draft.
    let located = d["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .all(|x| x["location"].is_object());
    assert!(located, "{draft}: every finding located");
    (d, m)
}

#[test]
fn the_draft_reads_as_the_markdown_of_the_same_report() {
    let (d, m) = same_report(DRAFT, MARKDOWN);
    assert_eq!(d["year"], 2024);
    assert_eq!(d["summary"], m["summary"]);
    assert_eq!(findings(&d), findings(&m));
}

#[test]
fn the_drafts_read_as_their_text_versions() {
    for (draft, text) in [
        // Filled with the text of a PDF conversion: its wraps joined and its
        // tables, split across pages, merged.
        (
            "tests/fixtures/drafts/huaian-2024.docx",
            "tests/fixtures/huaian-2024.md",
        ),
        // The application table cut at a page break, its header repeated.
        (
            "tests/fixtures/drafts/pingtan-2024-split-table.docx",
            MARKDOWN,
        ),
        // Saved by LibreOffice from an HTML page of the report.
        (
            "tests/fixtures/drafts/pingtan-2023-libreoffice.docx",
            "tests/fixtures/pingtan-2023.md",
        ),
    ] {
        let (d, m) = same_report(draft, text);
        assert_eq!(findings(&d), findings(&m), "{draft}");
    }
    // The Markdown of huaian-2024 needed its tables merged (NB014); the draft
    // is the template's three tables, and reads with no repair at all.
    let huaian = json(&[
        "check",
        "--format",
        "json",
        "--show-info",
        "tests/fixtures/drafts/huaian-2024.docx",
    ]);
    let codes: Vec<&str> = huaian["reports"][0]["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(codes, ["NB111"]);
    // The split table is one table: its last row is row 28 of table 2, as in
    // the template before the split (3 header rows repeated on the second part
    // are not counted again).
    let bytes =
        std::fs::read(workspace_root().join("tests/fixtures/drafts/pingtan-2024-split-table.docx"))
            .expect("the draft");
    let document = nianbao_docx::read(&bytes).expect("a Word document");
    let text = document.text();
    assert_eq!(
        text.matches("<table>").count(),
        3,
        "three tables, as in the template"
    );
    assert_eq!(
        text.matches("勾稽关系").count(),
        1,
        "the repeated header once"
    );
    let last = text.find("四、结转下年度继续办理").expect("the last row");
    assert_eq!(
        document.place_at(last),
        Some(nianbao_docx::Place::Cell {
            table: 2,
            row: 28,
            column: 1
        })
    );
}

#[test]
fn a_revised_figure_is_read_as_accepted_with_its_finding() {
    let draft = "tests/fixtures/drafts/pingtan-2024-revised.docx";
    let (d, m) = same_report(draft, MARKDOWN);
    // The accepted text differs from the original in one figure: one finding more.
    let (df, mf) = (findings(&d), findings(&m));
    let extra: Vec<_> = df.iter().filter(|f| !mf.contains(f)).collect();
    assert_eq!(extra.len(), 1, "{df:?}");
    assert_eq!(extra[0].0, "\"NB301\"");
    assert!(
        extra[0].1.contains("219") && extra[0].1.contains("218"),
        "{extra:?}"
    );
    assert!(mf.iter().all(|f| df.contains(f)));
    let diagnostics = d["diagnostics"].as_array().expect("a list");
    let change = diagnostics
        .iter()
        .find(|x| x["code"] == "NB027")
        .expect("NB027: the tracked changes");
    assert!(change["message"]
        .as_str()
        .expect("text")
        .contains("2 处修订"));
    let mismatch = diagnostics
        .iter()
        .find(|x| x["code"] == "NB301")
        .expect("NB301");
    assert_eq!(mismatch["location"]["text"], "219件");
    assert_eq!(
        mismatch["location"]["paragraph"],
        change["location"]["paragraph"]
    );
}

#[test]
fn findings_name_the_paragraph_or_cell_in_every_output() {
    // A figure changed with Track Changes on, in the narrative: 218 → 219.
    let draft = edited(|xml| {
        xml.replacen(
            "全年办理政府信息公开申请218件",
            "全年办理政府信息公开申请</w:t></w:r><w:del w:id=\"90\" w:author=\"t\"><w:r><w:delText>218</w:delText></w:r></w:del><w:ins w:id=\"91\" w:author=\"t\"><w:r><w:t>219</w:t></w:r></w:ins><w:r><w:t>件",
            1,
        )
    });
    let path = draft.path().to_string_lossy().to_string();
    let report = json(&["check", "--format", "json", "--show-info", &path]);
    let diagnostics = report["reports"][0]["diagnostics"]
        .as_array()
        .expect("a list")
        .clone();
    let changes: Vec<_> = diagnostics
        .iter()
        .filter(|d| d["code"] == "NB027")
        .collect();
    assert_eq!(changes.len(), 1, "{diagnostics:#?}");
    assert!(changes[0]["message"]
        .as_str()
        .expect("text")
        .contains("2 处修订"));
    // The figure read is the inserted one, and it disagrees with the table.
    let mismatch = diagnostics
        .iter()
        .find(|d| d["code"].as_str().is_some_and(|c| c.starts_with("NB3")))
        .unwrap_or_else(|| panic!("a narrative finding: {diagnostics:#?}"));
    let location = &mismatch["location"];
    assert!(location["paragraph"].as_u64().is_some(), "{mismatch:#}");
    assert!(
        location["text"].as_str().expect("text").contains("219"),
        "{mismatch:#}"
    );
    let cell = mismatch["related"]
        .as_array()
        .expect("related")
        .iter()
        .find_map(|r| r["location"]["table"].as_u64().map(|t| (t, &r["location"])))
        .unwrap_or_else(|| panic!("a related cell: {mismatch:#}"));
    assert_eq!(cell.1["text"], "218");
    assert!(cell.1["row"].as_u64().is_some() && cell.1["column"].as_u64().is_some());
    // Its span counts bytes of the text read out of the document.
    let start = mismatch["span"]["start"].as_u64().expect("start") as usize;
    assert!(start > 0);

    // Human: the place in words, the paragraph shown as the source line.
    let human = String::from_utf8(nianbao(&["check", &path]).stdout).expect("UTF-8");
    let paragraph = location["paragraph"].as_u64().expect("a paragraph");
    assert!(
        human.contains(&format!("{path} 第 {paragraph} 段")),
        "{human}"
    );
    assert!(human.contains("全年办理政府信息公开申请219件"), "{human}");
    // SARIF: logical locations, no byte region into the ZIP package.
    let sarif = json(&["check", "--format", "sarif", &path]);
    let result = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["ruleId"] == mismatch["code"])
        .expect("the finding")
        .clone();
    let place = &result["locations"][0];
    assert_eq!(
        place["logicalLocations"][0]["fullyQualifiedName"],
        format!("paragraph/{paragraph}")
    );
    assert!(
        place["physicalLocation"].get("region").is_none(),
        "{place:#}"
    );
}

/// A JSON `location` in words, as the human output names it.
fn place_words(location: &Value, lang: &str) -> String {
    let n = |k: &str| location[k].as_u64();
    let chinese = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match (n("paragraph"), n("table"), n("row"), n("column"), lang) {
        (Some(p), _, _, _, "zh") => format!("第 {p} 段"),
        (Some(p), ..) => format!("paragraph {p}"),
        (None, Some(t), Some(r), Some(c), "zh") if t < 10 => {
            format!("表{} 第 {r} 行 第 {c} 列", chinese[t as usize])
        }
        (None, Some(t), Some(r), Some(c), _) => format!("table {t}, row {r}, column {c}"),
        other => panic!("a place of a paragraph or a cell: {other:?} {location}"),
    }
}

#[test]
fn concise_and_csv_name_a_drafts_paragraph_or_cell_not_a_line() {
    // The revised fixture: its narrative finding in paragraph 6, as the human output says.
    let revised = "tests/fixtures/drafts/pingtan-2024-revised.docx";
    let concise = String::from_utf8(
        nianbao(&["check", "--format", "concise", "--show-info", revised]).stdout,
    )
    .expect("UTF-8");
    assert!(
        concise.contains(&format!(
            "{revised} 第 6 段: NB301 正文“办理政府信息公开申请”219件"
        )),
        "{concise}"
    );
    assert!(
        !concise.contains(&format!("{revised}:")),
        "no line:column of the text read out: {concise}"
    );
    let english = String::from_utf8(
        nianbao(&["check", "--format", "concise", "--lang", "en", revised]).stdout,
    )
    .expect("UTF-8");
    assert!(
        english.contains(&format!("{revised}, paragraph 6: NB301 the text says")),
        "{english}"
    );

    // A draft with findings in table cells: every finding of every output at
    // the place the JSON gives, in both languages.
    let draft = draft_with_findings();
    let path = draft.path().to_string_lossy().to_string();
    for lang in ["zh", "en"] {
        let report = json(&[
            "check",
            "--format",
            "json",
            "--show-info",
            "--lang",
            lang,
            &path,
        ]);
        let diagnostics = report["reports"][0]["diagnostics"]
            .as_array()
            .expect("a list")
            .clone();
        let places: Vec<String> = diagnostics
            .iter()
            .map(|d| place_words(&d["location"], lang))
            .collect();
        assert!(
            places
                .iter()
                .any(|p| p.starts_with("表") || p.starts_with("table")),
            "a finding in a cell: {places:?}"
        );
        let concise = String::from_utf8(
            nianbao(&[
                "check",
                "--format",
                "concise",
                "--show-info",
                "--lang",
                lang,
                &path,
            ])
            .stdout,
        )
        .expect("UTF-8");
        let lines: Vec<&str> = concise.lines().take(diagnostics.len()).collect();
        for ((line, d), place) in lines.iter().zip(&diagnostics).zip(&places) {
            let at = if lang == "zh" {
                format!("{path} {place}: {} ", d["code"].as_str().expect("code"))
            } else {
                format!("{path}, {place}: {} ", d["code"].as_str().expect("code"))
            };
            assert!(line.starts_with(&at), "{line} / {at}");
        }
        let csv =
            String::from_utf8(nianbao(&["check", "--format", "csv", "--lang", lang, &path]).stdout)
                .expect("UTF-8");
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(csv.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .expect("a header")
            .iter()
            .map(str::to_string)
            .collect();
        assert_eq!(
            header.last().map(String::as_str),
            Some(if lang == "zh" { "位置" } else { "location" })
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
        assert_eq!(rows.len(), diagnostics.len());
        for ((row, d), place) in rows.iter().zip(&diagnostics).zip(&places) {
            assert_eq!(&row[3], d["code"].as_str().expect("code"));
            assert_eq!((&row[1], &row[2]), ("", ""), "no line, no column: {row:?}");
            assert_eq!(&row[12], place.as_str());
        }
    }
}

#[test]
fn table_merge_previous_parse_and_a_walk_take_drafts() {
    // merge: the draft against the published Markdown of the same report.
    let merge = nianbao(&["merge", DRAFT, "--against", MARKDOWN]);
    assert_eq!(
        merge.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&merge.stderr)
    );
    // --previous: last year's report as a draft of this one changed to 2023.
    let previous = edited(|xml| xml.replacen("2024年度", "2023年度", 1));
    let prev = previous.path().to_string_lossy().to_string();
    let out = nianbao(&["check", "--format", "json", MARKDOWN, "--previous", &prev]);
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(doc["reports"][0]["year"], 2024);
    // parse: the tree of the text read out.
    let parse = json(&["parse", DRAFT]);
    assert_eq!(parse["input_kind"], "markdown");
    // A directory run takes the .docx.
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(workspace_root().join(DRAFT), dir.path().join("草稿.docx")).expect("copy");
    let out = nianbao(&[
        "check",
        &dir.path().to_string_lossy(),
        "--format",
        "concise",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("共检查 1 个文件"), "{text}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("非文本文件"));
}

/// What an independent reader (docx-rs) reads of a Word document: the body's
/// text, and per comment id the text inside its range; and the comments, by id,
/// their text.
struct ReadBack {
    text: String,
    ranges: std::collections::BTreeMap<u64, String>,
    comments: std::collections::BTreeMap<u64, (String, String)>,
}

fn read_back(bytes: &[u8]) -> ReadBack {
    let docx = docx_rs::read_docx(bytes).expect("docx-rs reads the annotated draft");
    let mut back = ReadBack {
        text: String::new(),
        ranges: Default::default(),
        comments: Default::default(),
    };
    let mut open: Vec<u64> = Vec::new();
    let body = serde_json::to_value(&docx.document.children).expect("serialisable");
    walk(&body, &mut |kind, data| match kind {
        "commentRangeStart" => {
            let id = data["id"].as_u64().expect("an id");
            back.ranges.entry(id).or_default();
            open.push(id);
            false
        }
        "commentRangeEnd" => {
            let id = data["id"].as_u64().expect("an id");
            open.retain(|o| *o != id);
            false
        }
        "text" => {
            let t = data["text"].as_str().expect("text");
            back.text.push_str(t);
            for id in &open {
                back.ranges.entry(*id).or_default().push_str(t);
            }
            false
        }
        // Deleted text is not the document's.
        "delete" => false,
        _ => true,
    });
    for comment in docx.comments.inner() {
        let value = serde_json::to_value(comment).expect("serialisable");
        let mut text = String::new();
        walk(&value, &mut |kind, data| {
            if kind == "text" {
                text.push_str(data["text"].as_str().unwrap_or_default());
                text.push('\n');
            }
            true
        });
        back.comments
            .insert(comment.id as u64, (comment.author.clone(), text));
    }
    back
}

/// Calls `each` on every `{"type", "data"}` node in document order; descends
/// into its data when `each` says so.
fn walk(value: &Value, each: &mut dyn FnMut(&str, &Value) -> bool) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| walk(v, each)),
        Value::Object(map) => match (map.get("type").and_then(Value::as_str), map.get("data")) {
            (Some(kind), Some(data)) => {
                if each(kind, data) {
                    walk(data, each);
                }
            }
            _ => map.values().for_each(|v| walk(v, each)),
        },
        _ => {}
    }
}

/// The entries of a package: name and compressed bytes, in order.
fn raw_entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index_raw(i).expect("an entry");
            let mut raw = Vec::new();
            file.read_to_end(&mut raw).expect("readable");
            (file.name().to_string(), raw)
        })
        .collect()
}

/// The draft with findings: a narrative figure that disagrees with the table
/// (NB301), a table cell that breaks its row's sum (NB201) and its balance (NB203).
fn draft_with_findings() -> tempfile::NamedTempFile {
    edited(|xml| {
        xml.replacen(
            "全年办理政府信息公开申请218件",
            "全年办理政府信息公开申请219件",
            1,
        )
        .replacen(
            "<w:t xml:space=\"preserve\">217</w:t>",
            "<w:t xml:space=\"preserve\">216</w:t>",
            1,
        )
    })
}

#[test]
fn annotate_puts_a_comment_on_the_text_of_each_finding_shown() {
    let draft = draft_with_findings();
    let path = draft.path().to_string_lossy().to_string();
    let dir = tempfile::tempdir().expect("temp dir");
    let reviewed = dir.path().join("reviewed.docx");
    let reviewed_arg = reviewed.to_string_lossy().to_string();

    // The output is the one the check prints without --annotate.
    let plain = nianbao(&["check", &path]);
    let out = nianbao(&["check", &path, "--annotate", &reviewed_arg]);
    assert_eq!(out.stdout, plain.stdout);
    assert_eq!(out.status.code(), plain.status.code());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("已写入带 3 条批注的副本"), "{stderr}");

    let report = json(&["check", "--format", "json", &path]);
    let shown: Vec<Value> = report["reports"][0]["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .filter(|d| d["severity"] == "warning" || d["severity"] == "error")
        .cloned()
        .collect();
    let codes: Vec<&str> = shown.iter().filter_map(|d| d["code"].as_str()).collect();
    assert_eq!(codes, ["NB301", "NB203", "NB201"]);

    let original = std::fs::read(draft.path()).expect("the draft");
    let annotated = std::fs::read(&reviewed).expect("the annotated copy");
    let back = read_back(&annotated);
    assert_eq!(back.comments.len(), shown.len());
    assert_eq!(back.ranges.len(), shown.len());
    // Comments in the order of the findings, each on the finding's own text.
    for ((id, (author, text)), finding) in back.comments.iter().zip(&shown) {
        assert_eq!(author, "nianbao");
        let code = finding["code"].as_str().expect("a code");
        let message = finding["message"].as_str().expect("a message");
        assert!(text.contains(code) && text.contains(message), "{text}");
        assert!(text.contains("修改建议："), "{text}");
        let quoted = finding["location"]["text"].as_str().expect("quoted text");
        assert_eq!(back.ranges[id], quoted, "{code}");
    }
    assert_eq!(
        back.ranges.values().collect::<Vec<_>>(),
        ["219件", "216", "218"]
    );
    // The text is the same as the draft's, for both readers.
    assert_eq!(back.text, read_back(&original).text);
    assert_eq!(
        nianbao_docx::read(&annotated).expect("readable").text(),
        nianbao_docx::read(&original).expect("readable").text()
    );
    // Every other entry byte for byte, in the same order; the comments part added.
    let (before, after) = (raw_entries(&original), raw_entries(&annotated));
    let names = |e: &[(String, Vec<u8>)]| e.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    let mut expected_names = names(&before);
    expected_names.push("word/comments.xml".to_string());
    assert_eq!(names(&after), expected_names);
    let changed = [
        "word/document.xml",
        "[Content_Types].xml",
        "word/_rels/document.xml.rels",
    ];
    for ((name, a), (_, b)) in before.iter().zip(&after) {
        if !changed.contains(&name.as_str()) {
            assert!(a == b, "{name} changed");
        }
    }
    let part = |name: &str| -> String {
        let mut archive = zip::ZipArchive::new(Cursor::new(&annotated)).expect("a zip");
        let mut text = String::new();
        archive
            .by_name(name)
            .expect(name)
            .read_to_string(&mut text)
            .expect("UTF-8");
        text
    };
    assert!(part("[Content_Types].xml").contains(r#"<Override PartName="/word/comments.xml""#));
    assert!(part("word/_rels/document.xml.rels").contains("relationships/comments"));
}

#[test]
fn annotate_a_directory_in_english_with_the_infos_and_refuse_what_is_not_a_draft() {
    let draft = draft_with_findings();
    let inputs = tempfile::tempdir().expect("temp dir");
    std::fs::copy(draft.path(), inputs.path().join("草稿.docx")).expect("copy");
    std::fs::copy(
        workspace_root().join(MARKDOWN),
        inputs.path().join("published.md"),
    )
    .expect("copy");
    let outputs = tempfile::tempdir().expect("temp dir");
    let out_dir = outputs.path().join("reviewed");
    let out = nianbao(&[
        "check",
        &inputs.path().to_string_lossy(),
        "--annotate",
        &out_dir.to_string_lossy(),
        "--lang",
        "en",
        "--show-info",
        "--ignore",
        "NB203",
    ]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("NB301"),
        "the output is printed"
    );
    // One copy, of the draft: the Markdown report is checked, not annotated.
    let written: Vec<_> = std::fs::read_dir(&out_dir)
        .expect("the directory is made")
        .map(|e| e.expect("an entry").file_name())
        .collect();
    assert_eq!(written, ["草稿.docx"]);
    let back = read_back(&std::fs::read(out_dir.join("草稿.docx")).expect("the copy"));
    let texts: Vec<&String> = back.comments.values().map(|(_, t)| t).collect();
    // The infos are shown, so annotated; the rule ignored is not.
    assert_eq!(texts.len(), 3, "{texts:#?}");
    assert!(
        texts.iter().any(|t| t.starts_with("info NB111")),
        "{texts:#?}"
    );
    assert!(texts.iter().all(|t| !t.contains("NB203")));
    assert!(
        texts.iter().all(|t| t.contains("How to fix: ")),
        "{texts:#?}"
    );

    // A report that is not a .docx: a usage error, no copy.
    let target = outputs.path().join("x.docx");
    let out = nianbao(&["check", MARKDOWN, "--annotate", &target.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--annotate 只用于 Word 文档（.docx）"),
        "{stderr}"
    );
    assert!(!target.exists());
    // Nor is a copy written over its draft.
    let out = nianbao(&["check", DRAFT, "--annotate", DRAFT]);
    assert_eq!(out.status.code(), Some(2));
}

/// Last year's report as a Word draft: a finding against it names the table
/// cell where the draft's reader finds last year's figure, not a line of the
/// text read out of it; last year's Markdown is still named by its line.
#[test]
fn a_finding_against_last_years_draft_names_its_table_cell() {
    let this = "tests/fixtures/drafts/pingtan-2024.docx";
    let last = "tests/fixtures/drafts/pingtan-2023-libreoffice.docx";
    let doc = json(&["check", this, "--previous", last, "--format", "json"]);
    let nb602: Vec<&Value> = doc["reports"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "NB602")
        .collect();
    assert_eq!(nb602.len(), 1, "{:#}", doc["reports"][0]["diagnostics"]);
    let d = nb602[0];
    let zh = d["messages"]["zh"].as_str().expect("zh");
    assert!(
        zh.ends_with(&format!("（上一年度报告：{last} 表一 第 4 行 第 4 列）")),
        "{zh}"
    );
    let en = d["messages"]["en"].as_str().expect("en");
    assert!(
        en.ends_with(&format!(
            "(previous year's report: {last}, table 1, row 4, column 4)"
        )),
        "{en}"
    );
    let labels: Vec<&str> = d["related"]
        .as_array()
        .expect("related")
        .iter()
        .filter_map(|r| r["labels"]["zh"].as_str())
        .filter(|l| l.starts_with("上一年度报告"))
        .collect();
    assert_eq!(
        labels,
        [format!(
            "上一年度报告 {last} 表一 第 4 行 第 4 列：“行政规范性文件（现行有效件数）”470"
        )]
    );
    // The same report as Markdown: its line.
    let doc = json(&[
        "check",
        this,
        "--previous",
        "tests/fixtures/pingtan-2023.md",
        "--format",
        "json",
    ]);
    let text = doc.to_string();
    assert!(
        text.contains("（上一年度报告：tests/fixtures/pingtan-2023.md 第 "),
        "{text}"
    );
}
