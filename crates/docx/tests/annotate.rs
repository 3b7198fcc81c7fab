//! Comments written into small Word documents made here: where each range
//! begins and ends in the XML, the runs split with their properties, the text
//! unchanged, and the parts of the package that change and those that do not.

use std::io::{Cursor, Read, Write};

use nianbao_docx::{annotate, read, Anchor, Comment};

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
const TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

fn package(parts: &[(&str, String)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, xml) in parts {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("in memory");
        zip.write_all(xml.as_bytes()).expect("in memory");
    }
    zip.finish().expect("in memory").into_inner()
}

fn docx(body: &str) -> Vec<u8> {
    package(&[
        ("[Content_Types].xml", TYPES.to_string()),
        ("word/_rels/document.xml.rels", RELS.to_string()),
        (
            "word/document.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}<w:sectPr/></w:body></w:document>"#
            ),
        ),
        ("word/styles.xml", format!("<w:styles {W}/>")),
    ])
}

/// The parts of a package, in order.
fn parts(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).expect("a part");
            let mut content = Vec::new();
            file.read_to_end(&mut content).expect("readable");
            (file.name().to_string(), content)
        })
        .collect()
}

fn part(bytes: &[u8], name: &str) -> String {
    let found = parts(bytes).into_iter().find(|(n, _)| n == name);
    String::from_utf8(found.expect(name).1).expect("UTF-8")
}

/// The body of the annotated document, between `<w:body>` and `<w:sectPr/>`.
fn body_of(bytes: &[u8]) -> String {
    let xml = part(bytes, "word/document.xml");
    let start = xml.find("<w:body>").expect("a body") + "<w:body>".len();
    let end = xml.find("<w:sectPr/>").expect("section properties");
    xml[start..end].to_string()
}

fn comment(range: std::ops::Range<usize>, text: &str) -> Comment {
    Comment {
        range,
        paragraphs: vec![text.to_string(), "how to fix".to_string()],
    }
}

/// The byte range of `needle` in the extracted text.
fn find(text: &str, needle: &str) -> std::ops::Range<usize> {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} in {text:?}"));
    at..at + needle.len()
}

fn annotated(body: &str, needles: &[&str]) -> (Vec<u8>, Vec<u8>, Vec<Anchor>) {
    let original = docx(body);
    let document = read(&original).expect("readable");
    let comments: Vec<Comment> = needles
        .iter()
        .map(|n| comment(find(document.text(), n), n))
        .collect();
    let out = annotate(&original, &document, &comments).expect("annotated");
    // The text read is the same, whatever was split (but for the escapes of
    // what reads as markup: `&b` is escaped, a `&` at the end of a `w:t` is not).
    let plain = |t: &str| t.replace("&amp;", "&").replace("&lt;", "<");
    assert_eq!(
        plain(read(&out.bytes).expect("readable").text()),
        plain(document.text()),
        "{}",
        body_of(&out.bytes)
    );
    (original, out.bytes, out.anchors)
}

const BOLD: &str = "<w:rPr><w:b/></w:rPr>";

#[test]
fn a_range_inside_one_run_splits_it_with_its_properties() {
    let body = format!("<w:p><w:r>{BOLD}<w:t>申请218件，办结</w:t></w:r></w:p>");
    let (_, out, anchors) = annotated(&body, &["218件"]);
    assert_eq!(anchors, [Anchor::Text]);
    assert_eq!(
        body_of(&out),
        format!(
            "<w:p><w:r>{BOLD}<w:t xml:space=\"preserve\">申请</w:t></w:r>\
             <w:commentRangeStart w:id=\"1\"/>\
             <w:r>{BOLD}<w:t xml:space=\"preserve\">218件</w:t></w:r>\
             <w:commentRangeEnd w:id=\"1\"/><w:r><w:commentReference w:id=\"1\"/></w:r>\
             <w:r>{BOLD}<w:t xml:space=\"preserve\">，办结</w:t></w:r></w:p>"
        )
    );
    let comments = part(&out, "word/comments.xml");
    assert!(
        comments.contains(r#"<w:comment w:id="1" w:author="nianbao" w:initials="NB">"#),
        "{comments}"
    );
    assert!(comments.contains("<w:t xml:space=\"preserve\">218件</w:t>"));
    assert!(comments.contains("how to fix"));
}

#[test]
fn a_range_of_whole_runs_leaves_them_whole() {
    let body =
        "<w:p><w:r><w:t>申请</w:t></w:r><w:r><w:t>218</w:t></w:r><w:r><w:t>件</w:t></w:r></w:p>";
    let (_, out, _) = annotated(body, &["218"]);
    assert_eq!(
        body_of(&out),
        "<w:p><w:r><w:t>申请</w:t></w:r><w:commentRangeStart w:id=\"1\"/>\
         <w:r><w:t xml:space=\"preserve\">218</w:t></w:r>\
         <w:commentRangeEnd w:id=\"1\"/><w:r><w:commentReference w:id=\"1\"/></w:r>\
         <w:r><w:t>件</w:t></w:r></w:p>"
    );
}

#[test]
fn a_range_across_runs_and_paragraphs_starts_in_one_and_ends_in_the_other() {
    let body = "<w:p><w:r><w:t>第一段</w:t></w:r></w:p><w:p><w:r><w:t>第二</w:t></w:r><w:r><w:t>段落</w:t></w:r></w:p>";
    let original = docx(body);
    let document = read(&original).expect("readable");
    let text = document.text();
    let range = find(text, "一段").start..find(text, "段落").start + "段".len();
    let out = annotate(&original, &document, &[comment(range, "x")]).expect("annotated");
    assert_eq!(out.anchors, [Anchor::Text]);
    let body = body_of(&out.bytes);
    assert_eq!(
        body,
        "<w:p><w:r><w:t xml:space=\"preserve\">第</w:t></w:r><w:commentRangeStart w:id=\"1\"/>\
         <w:r><w:t xml:space=\"preserve\">一段</w:t></w:r></w:p>\
         <w:p><w:r><w:t>第二</w:t></w:r><w:r><w:t xml:space=\"preserve\">段</w:t></w:r>\
         <w:commentRangeEnd w:id=\"1\"/><w:r><w:commentReference w:id=\"1\"/></w:r>\
         <w:r><w:t xml:space=\"preserve\">落</w:t></w:r></w:p>"
    );
    assert_eq!(read(&out.bytes).expect("readable").text(), text);
}

#[test]
fn a_table_cell_and_a_range_without_text_take_the_cell_or_paragraph() {
    let body = "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>合计</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>12</w:t></w:r></w:p></w:tc></w:tr></w:tbl>";
    let original = docx(body);
    let document = read(&original).expect("readable");
    let text = document.text();
    // The figure of a cell; the `<table>` markup alone (no text of the document).
    let cell = find(text, "12");
    let markup = find(text, "<table>");
    let out = annotate(
        &original,
        &document,
        &[comment(cell, "cell"), comment(markup, "table")],
    )
    .expect("annotated");
    assert_eq!(out.anchors, [Anchor::Text, Anchor::Nearest]);
    let body = body_of(&out.bytes);
    assert!(
        body.contains("<w:tc><w:p><w:commentRangeStart w:id=\"2\"/><w:r><w:t xml:space=\"preserve\">合计</w:t></w:r><w:commentRangeEnd w:id=\"2\"/>"),
        "{body}"
    );
    assert!(
        body.contains("<w:tc><w:p><w:commentRangeStart w:id=\"1\"/><w:r><w:t xml:space=\"preserve\">12</w:t></w:r><w:commentRangeEnd w:id=\"1\"/>"),
        "{body}"
    );
    assert_eq!(read(&out.bytes).expect("readable").text(), text);
}

#[test]
fn an_empty_range_takes_its_paragraph_and_escapes_stay_escaped() {
    let body = "<w:p><w:r><w:t>a&amp;b &lt;c&gt;</w:t></w:r></w:p>";
    let original = docx(body);
    let document = read(&original).expect("readable");
    let out = annotate(&original, &document, &[comment(1..1, "point")]).expect("annotated");
    assert_eq!(out.anchors, [Anchor::Enclosing]);
    assert_eq!(
        body_of(&out.bytes),
        "<w:p><w:commentRangeStart w:id=\"1\"/><w:r><w:t xml:space=\"preserve\">a&amp;b &lt;c&gt;</w:t></w:r>\
         <w:commentRangeEnd w:id=\"1\"/><w:r><w:commentReference w:id=\"1\"/></w:r></w:p>"
    );
    // A range that ends inside the escapes: the reference `&amp;` whole.
    let (_, out, _) = annotated(body, &["a&amp;"]);
    assert!(
        body_of(&out).starts_with("<w:p><w:commentRangeStart w:id=\"1\"/><w:r><w:t xml:space=\"preserve\">a&amp;</w:t></w:r><w:commentRangeEnd"),
        "{}",
        body_of(&out)
    );
}

#[test]
fn a_document_without_text_gets_the_comment_in_its_first_paragraph() {
    let original = docx("<w:p/>");
    let document = read(&original).expect("readable");
    let out = annotate(&original, &document, &[comment(0..0, "empty")]).expect("annotated");
    assert_eq!(out.anchors, [Anchor::Document]);
    assert_eq!(
        body_of(&out.bytes),
        "<w:p><w:commentRangeStart w:id=\"1\"/><w:commentRangeEnd w:id=\"1\"/><w:r><w:commentReference w:id=\"1\"/></w:r></w:p>"
    );
}

#[test]
fn the_package_gains_the_comments_part_and_keeps_every_other_byte() {
    let body = "<w:p><w:r><w:t>申请218件</w:t></w:r></w:p>";
    let (original, out, _) = annotated(body, &["218"]);
    let before = parts(&original);
    let after = parts(&out);
    let names: Vec<&str> = after.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "[Content_Types].xml",
            "word/_rels/document.xml.rels",
            "word/document.xml",
            "word/styles.xml",
            "word/comments.xml"
        ]
    );
    assert_eq!(before[3], after[3], "styles copied as they were");
    assert!(after[0].1.ends_with(br#"<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/></Types>"#));
    assert!(after[1].1.ends_with(br#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/></Relationships>"#));
    // No comments: the very same bytes.
    let document = read(&original).expect("readable");
    let same = annotate(&original, &document, &[]).expect("annotated");
    assert_eq!(same.bytes, original);
}

#[test]
fn existing_comments_are_extended_with_new_ids() {
    let comments = format!(
        r#"<?xml version="1.0"?><w:comments {W}><w:comment w:id="7" w:author="审核人"><w:p><w:r><w:t>原有批注</w:t></w:r></w:p></w:comment></w:comments>"#
    );
    let types = TYPES.replace(
        "</Types>",
        r#"<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/></Types>"#,
    );
    let rels = RELS.replace(
        "</Relationships>",
        r#"<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/></Relationships>"#,
    );
    let original = package(&[
        ("[Content_Types].xml", types),
        ("word/_rels/document.xml.rels", rels),
        (
            "word/document.xml",
            format!(
                r#"<w:document {W}><w:body><w:p><w:commentRangeStart w:id="7"/><w:r><w:t>旧</w:t></w:r><w:commentRangeEnd w:id="7"/><w:r><w:t>新的文字</w:t></w:r></w:p><w:sectPr/></w:body></w:document>"#
            ),
        ),
        ("word/comments.xml", comments),
    ]);
    let document = read(&original).expect("readable");
    let range = find(document.text(), "新的");
    let out = annotate(&original, &document, &[comment(range, "new")]).expect("annotated");
    let before = parts(&original);
    let after = parts(&out.bytes);
    assert_eq!(before.len(), after.len());
    assert_eq!(before[0], after[0], "content types already name the part");
    assert_eq!(before[1], after[1], "relationships already name the part");
    let comments = String::from_utf8(after[3].1.clone()).expect("UTF-8");
    assert!(comments.contains("原有批注"));
    assert!(
        comments.contains(r#"<w:comment w:id="8" w:author="nianbao""#),
        "{comments}"
    );
    assert!(String::from_utf8_lossy(&after[2].1).contains(r#"<w:commentRangeStart w:id="8"/>"#));
}
