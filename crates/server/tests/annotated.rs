//! The annotated copy of a stored Word draft: `GET …/reports/{rid}?annotated=1`
//! and the report page's button give the draft with one comment per warning and
//! error, the same comments as `nianbao check --annotate`, read back here by an
//! independent reader (docx-rs).

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use common::{cli_binary, client, fixture, fixture_bytes, Client, Collection, Server};
use reqwest::blocking::{multipart, Response};
use serde_json::Value;

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const REVISED: &str = "drafts/pingtan-2024-revised.docx";

fn upload(c: &Client, s: &Server, col: &Collection, name: &str, body: Vec<u8>) -> i64 {
    let res = c
        .post(s.url(&col.path(&format!("/reports?name={name}"))))
        .bearer_auth(&col.upload)
        .body(body)
        .send()
        .expect("POST");
    assert_eq!(res.status(), 201);
    let v: Value = res.json().expect("JSON");
    v["id"].as_i64().expect("id")
}

fn get(c: &Client, s: &Server, path: &str, token: &str) -> Response {
    c.get(s.url(path)).bearer_auth(token).send().expect("GET")
}

/// What docx-rs reads of the comments of a Word document: per comment id, in
/// order, the text inside its range and the comment's author and text.
#[derive(Debug, PartialEq)]
struct Comments {
    ranges: BTreeMap<u64, String>,
    comments: BTreeMap<u64, (String, String)>,
}

fn read_comments(bytes: &[u8]) -> Comments {
    let docx = docx_rs::read_docx(bytes).expect("docx-rs reads the annotated draft");
    let mut back = Comments {
        ranges: BTreeMap::new(),
        comments: BTreeMap::new(),
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
            for id in &open {
                back.ranges
                    .entry(*id)
                    .or_default()
                    .push_str(data["text"].as_str().expect("text"));
            }
            false
        }
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

/// The annotated copy the CLI writes of the fixture `name`, in `lang`.
fn cli_annotated(name: &str, lang: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("temp dir");
    let to = dir.path().join("reviewed.docx");
    let out = Command::new(cli_binary())
        .arg("check")
        .arg(fixture(name))
        .args(["--lang", lang, "--annotate"])
        .arg(&to)
        .output()
        .expect("nianbao runs");
    assert!(to.exists(), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::read(&to).expect("the CLI's copy")
}

#[test]
fn a_stored_draft_is_downloaded_with_a_comment_on_each_finding_like_the_clis() {
    let s = Server::start();
    let c = client();
    let col = s.create_collection(&c, "annotated", 2024);
    let draft = fixture_bytes(REVISED);
    let rid = upload(&c, &s, &col, "pingtan-2024-revised.docx", draft.clone());
    let md = upload(
        &c,
        &s,
        &col,
        "pingtan-2024.md",
        fixture_bytes("pingtan-2024.md"),
    );

    // The stored findings: the warnings and errors are what get comments.
    let stored: Value = get(&c, &s, &col.path(&format!("/reports/{rid}")), &col.admin)
        .json()
        .expect("JSON");
    let shown: Vec<&Value> = stored["findings"]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "warning" || d["severity"] == "error")
        .collect();
    assert_eq!(
        shown.iter().map(|d| d["code"].as_str()).collect::<Vec<_>>(),
        [Some("NB301")]
    );

    let res = get(
        &c,
        &s,
        &col.path(&format!("/reports/{rid}?annotated=1")),
        &col.admin,
    );
    assert_eq!(res.status(), 200);
    let header = |res: &Response, name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(header(&res, "content-type"), DOCX);
    let disposition = header(&res, "content-disposition");
    assert!(
        disposition.starts_with("attachment; filename=\"pingtan-2024-revised-annotated.docx\""),
        "{disposition}"
    );
    let annotated = res.bytes().expect("body").to_vec();
    assert_ne!(annotated, draft, "a copy with comments");
    let back = read_comments(&annotated);
    assert_eq!(back.comments.len(), shown.len());
    for ((id, (author, text)), finding) in back.comments.iter().zip(&shown) {
        assert_eq!(author, "nianbao");
        assert!(text.contains("警告 NB301"), "{text}");
        assert!(
            text.contains(finding["message"].as_str().expect("message")),
            "{text}"
        );
        assert!(text.contains("修改建议："), "{text}");
        // On the finding's own text: the revised figure.
        assert_eq!(
            back.ranges[id],
            finding["location"]["text"].as_str().expect("quoted")
        );
        assert_eq!(back.ranges[id], "219件");
    }
    // The same comments, anchored alike, as the CLI's --annotate writes.
    assert_eq!(back, read_comments(&cli_annotated(REVISED, "zh")));

    // In English when asked (the query, else Accept-Language).
    let english = get(
        &c,
        &s,
        &col.path(&format!("/reports/{rid}?annotated=1&lang=en")),
        &col.admin,
    )
    .bytes()
    .expect("body")
    .to_vec();
    let back_en = read_comments(&english);
    assert!(
        back_en
            .comments
            .values()
            .all(|(_, t)| t.contains("warning NB301") && t.contains("How to fix:")),
        "{back_en:?}"
    );
    assert_eq!(back_en, read_comments(&cli_annotated(REVISED, "en")));
    let by_header = c
        .get(s.url(&col.path(&format!("/reports/{rid}?annotated=1"))))
        .bearer_auth(&col.admin)
        .header("Accept-Language", "en-GB,en;q=0.9")
        .send()
        .expect("GET")
        .bytes()
        .expect("body")
        .to_vec();
    assert_eq!(read_comments(&by_header), back_en);

    // A report that is not a Word draft has no annotated copy: 422, in both languages.
    let res = get(
        &c,
        &s,
        &col.path(&format!("/reports/{md}?annotated=1")),
        &col.admin,
    );
    assert_eq!(res.status(), 422);
    let err: Value = res.json().expect("JSON");
    assert_eq!(err["error"]["code"], "not-docx");
    let zh = err["error"]["message"]["zh"].as_str().expect("zh");
    let en = err["error"]["message"]["en"].as_str().expect("en");
    assert!(
        zh.contains("pingtan-2024.md 不是 Word 文档（.docx）"),
        "{zh}"
    );
    assert!(
        en.contains("pingtan-2024.md is not a Word document (.docx)"),
        "{en}"
    );
    // The admin token is needed, as for the raw download.
    let res = get(
        &c,
        &s,
        &col.path(&format!("/reports/{rid}?annotated=1")),
        &col.upload,
    );
    assert!(res.status().is_client_error(), "{}", res.status());
}

#[test]
fn the_report_page_of_a_draft_offers_its_annotated_copy() {
    let s = Server::start();
    let c = client();
    let col = s.create_collection(&c, "page", 2024);
    let rid = upload(&c, &s, &col, "草稿.docx", fixture_bytes(REVISED));
    let md = upload(
        &c,
        &s,
        &col,
        "pingtan-2024.md",
        fixture_bytes("pingtan-2024.md"),
    );
    let page = |rid: i64, annotated: bool| {
        let mut form = multipart::Form::new().text("token", col.admin.clone());
        if annotated {
            form = form.text("annotated", "1");
        }
        c.post(s.url(&format!("/collections/{}/reports/{rid}", col.id)))
            .multipart(form)
            .send()
            .expect("POST")
    };
    let view = page(rid, false).text().expect("page");
    let button = "id=\"download-annotated\"";
    assert!(view.contains(button), "the draft's page has the button");
    assert!(
        view.contains(&format!("action=\"/collections/{}/reports/{rid}\"", col.id))
            && view.contains("name=\"annotated\" value=\"1\""),
        "it posts back to the report with annotated=1"
    );
    let plain = page(md, false).text().expect("page");
    assert!(
        !plain.contains(button),
        "a Markdown report has no annotated copy"
    );

    let res = page(rid, true);
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"].to_str().expect("ascii"), DOCX);
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .to_string();
    // A non-ASCII name: an ASCII fallback and the name itself, RFC 5987.
    assert!(
        disposition.contains("filename=\"__-annotated.docx\"")
            && disposition.contains("filename*=UTF-8''%E8%8D%89%E7%A8%BF-annotated.docx"),
        "{disposition}"
    );
    let back = read_comments(&res.bytes().expect("body"));
    assert_eq!(back.ranges.values().collect::<Vec<_>>(), ["219件"]);
    assert_eq!(back, read_comments(&cli_annotated(REVISED, "zh")));

    let res = page(md, true);
    assert_eq!(res.status(), 422);
    let text = res.text().expect("page");
    assert!(
        text.contains("不是 Word 文档") && text.contains("is not a Word document"),
        "{text}"
    );
}

/// A draft that another report of the collection copies has the copied-text
/// finding (NB607, made when the report is read) among its comments, as its
/// findings and its page show it.
#[test]
fn the_annotated_copy_has_the_comment_of_copied_text_across_the_collection() {
    let s = Server::start();
    let c = client();
    let col = s.create_collection(&c, "copied drafts", 2024);
    let draft = upload(
        &c,
        &s,
        &col,
        "pingtan.docx",
        fixture_bytes("drafts/pingtan-2024.docx"),
    );
    // Alone, the draft has no warning: no comment.
    let alone = get(
        &c,
        &s,
        &col.path(&format!("/reports/{draft}?annotated=1")),
        &col.admin,
    );
    assert_eq!(alone.status(), 200);
    assert!(read_comments(&alone.bytes().expect("body"))
        .comments
        .is_empty());
    // The same report under another body's name.
    let copy = String::from_utf8(fixture_bytes("pingtan-2024.md"))
        .expect("UTF-8")
        .replace("平潭综合实验区", "宁德市蕉城区");
    upload(&c, &s, &col, "jiaocheng.md", copy.into_bytes());
    let read: Value = get(&c, &s, &col.path(&format!("/reports/{draft}")), &col.admin)
        .json()
        .expect("JSON");
    let copied: Vec<&Value> = read["findings"]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "NB607")
        .collect();
    assert_eq!(copied.len(), 1, "{:#}", read["findings"]);
    let res = get(
        &c,
        &s,
        &col.path(&format!("/reports/{draft}?annotated=1")),
        &col.admin,
    );
    assert_eq!(res.status(), 200);
    let back = read_comments(&res.bytes().expect("body"));
    assert_eq!(back.comments.len(), 1, "{back:?}");
    let (author, text) = back.comments.values().next().expect("a comment");
    assert_eq!(author, "nianbao");
    assert!(
        text.contains("NB607") && text.contains("jiaocheng.md"),
        "{text}"
    );
    // Anchored on text of the draft that the copy shares.
    let range = back.ranges.values().next().expect("a range");
    assert!(
        !range.trim().is_empty() && copy_contains(range),
        "{range:?}"
    );
}

/// Whether the text of a comment's range is in the copied report (its first 20 characters).
fn copy_contains(range: &str) -> bool {
    let copy = String::from_utf8(fixture_bytes("pingtan-2024.md")).expect("UTF-8");
    let head: String = range.trim().chars().take(20).collect();
    copy.contains(&head)
}
