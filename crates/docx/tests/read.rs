//! Small Word documents made here (their XML written by hand, zipped with the
//! `zip` crate), read back: numbering, merged cells, tracked changes, fields,
//! text boxes, and packages that cannot be read.

use std::io::{Cursor, Write};

use nianbao_docx::{read, Place, ReadError};

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml""#;

/// A package of the given parts (name, XML).
fn package(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, xml) in parts {
        zip.start_file(*name, options).expect("in memory");
        zip.write_all(xml.as_bytes()).expect("in memory");
    }
    zip.finish().expect("in memory").into_inner()
}

/// A document whose body is `body`, with optional numbering and styles.
fn docx(body: &str, numbering: Option<&str>, styles: Option<&str>) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}<w:sectPr><w:pgSz w:w="11906"/></w:sectPr></w:body></w:document>"#
    );
    let mut parts = vec![("word/document.xml", document)];
    if let Some(n) = numbering {
        parts.push((
            "word/numbering.xml",
            format!("<w:numbering {W}>{n}</w:numbering>"),
        ));
    }
    if let Some(s) = styles {
        parts.push(("word/styles.xml", format!("<w:styles {W}>{s}</w:styles>")));
    }
    let parts: Vec<(&str, &str)> = parts.iter().map(|(n, x)| (*n, x.as_str())).collect();
    package(&parts)
}

fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
}

fn text_of(bytes: &[u8]) -> String {
    read(bytes).expect("readable").text().to_string()
}

#[test]
fn paragraphs_runs_breaks_and_tabs_in_order() {
    let body = format!(
        r#"{}<w:p/><w:p><w:r><w:t xml:space="preserve">本报告 </w:t></w:r><w:r><w:t>第二段</w:t><w:br/><w:t>换行</w:t><w:tab/><w:t>a&amp;b &lt;br&gt;</w:t></w:r></w:p>"#,
        p("标题")
    );
    assert_eq!(
        text_of(&docx(&body, None, None)),
        "标题\n\n本报告 第二段<br>换行\ta&amp;b &lt;br>\n\n"
    );
}

#[test]
fn numbering_gives_the_markers_word_shows() {
    let numbering = r#"
      <w:abstractNum w:abstractNumId="7">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>"#;
    let styles = r#"<w:style w:type="paragraph" w:styleId="2"><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr></w:style>"#;
    let num = |level: u32, text: &str| {
        format!(
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
        )
    };
    let styled = |text: &str| {
        format!(r#"<w:p><w:pPr><w:pStyle w:val="2"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#)
    };
    let body = [
        styled("总体情况"),
        num(1, "主动公开"),
        num(1, "依申请公开"),
        num(2, "2024年新收申请"),
        styled("主动公开政府信息情况"),
        num(1, "制度建设"),
    ]
    .concat();
    assert_eq!(
        text_of(&docx(&body, Some(numbering), Some(styles))),
        "一、总体情况\n\n（一）主动公开\n\n（二）依申请公开\n\n1. 2024年新收申请\n\n二、主动公开政府信息情况\n\n（一）制度建设\n\n"
    );
    // Without numbering.xml the text is read without markers.
    assert!(text_of(&docx(&body, None, Some(styles))).starts_with("总体情况\n\n主动公开"));
}

#[test]
fn numbering_linked_to_a_numbering_style_gives_its_markers() {
    // A list made from a list style: its definition (3) has no levels, only a
    // `w:numStyleLink` to the numbering style; the style's numId (2) is an
    // instance of the definition (1) that `w:styleLink`s back and has the levels.
    let numbering = r#"
      <w:abstractNum w:abstractNumId="1"><w:styleLink w:val="GWList"/>
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
      </w:abstractNum>
      <w:abstractNum w:abstractNumId="3"><w:multiLevelType w:val="multilevel"/><w:numStyleLink w:val="GWList"/></w:abstractNum>
      <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
      <w:num w:numId="9"><w:abstractNumId w:val="3"/></w:num>"#;
    let styles = r#"<w:style w:type="numbering" w:customStyle="1" w:styleId="GWList"><w:name w:val="公文编号"/><w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style>"#;
    let num = |level: u32, text: &str| {
        format!(
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="9"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
        )
    };
    let body = [
        num(0, "总体情况"),
        num(1, "主动公开"),
        num(1, "依申请公开"),
        num(0, "主动公开政府信息情况"),
    ]
    .concat();
    assert_eq!(
        text_of(&docx(&body, Some(numbering), Some(styles))),
        "一、总体情况\n\n（一）主动公开\n\n（二）依申请公开\n\n二、主动公开政府信息情况\n\n"
    );
    // Without styles.xml the link leads nowhere: the text without markers.
    assert!(text_of(&docx(&body, Some(numbering), None)).starts_with("总体情况\n\n主动公开"));
}

fn cell(text: &str, props: &str) -> String {
    format!("<w:tc><w:tcPr>{props}</w:tcPr>{}</w:tc>", p(text))
}

#[test]
fn merged_cells_become_rowspan_and_colspan() {
    let row = |cells: &[String]| format!("<w:tr>{}</w:tr>", cells.concat());
    let table = format!(
        "<w:tbl><w:tblPr/>{}{}{}</w:tbl>",
        row(&[
            cell("项目", r#"<w:vMerge w:val="restart"/>"#),
            cell("申请人情况", r#"<w:gridSpan w:val="2"/>"#)
        ]),
        row(&[
            cell("", "<w:vMerge/>"),
            cell("自然人", ""),
            cell("总计", "")
        ]),
        row(&[
            cell("新收", ""),
            cell("217", ""),
            "<w:tc><w:p/></w:tc>".to_string()
        ]),
    );
    let bytes = docx(&format!("{}{table}{}", p("前"), p("后")), None, None);
    let doc = read(&bytes).expect("readable");
    assert_eq!(
        doc.text(),
        "前\n\n<table>\n<tr><td rowspan=\"2\">项目</td><td colspan=\"2\">申请人情况</td></tr>\n<tr><td>自然人</td><td>总计</td></tr>\n<tr><td>新收</td><td>217</td><td></td></tr>\n</table>\n\n后\n\n"
    );
    let at = |s: &str| doc.text().find(s).expect("in the text");
    assert_eq!(
        doc.place_at(at("217")),
        Some(Place::Cell {
            table: 1,
            row: 3,
            column: 2
        })
    );
    assert_eq!(
        doc.place_at(at("总计")),
        Some(Place::Cell {
            table: 1,
            row: 2,
            column: 3
        })
    );
    assert_eq!(doc.place_at(at("<tr>")), Some(Place::Table(1)));
    assert_eq!(doc.place_at(at("后")), Some(Place::Paragraph(2)));
    let located = doc.locate(at("217")..at("217") + 3).expect("a place");
    assert_eq!(located.text, "217");
}

#[test]
fn nested_tables_and_empty_cells_are_kept() {
    let inner = format!(
        "<w:tbl><w:tr>{}{}</w:tr></w:tbl>",
        cell("内1", ""),
        cell("", "")
    );
    let outer = format!(
        "<w:tbl><w:tr>{}<w:tc>{}{inner}</w:tc></w:tr></w:tbl>",
        cell("外", ""),
        p("说明")
    );
    let doc = read(&docx(&outer, None, None)).expect("readable");
    assert_eq!(
        doc.text(),
        "<table>\n<tr><td>外</td><td>说明<table><tr><td>内1</td><td></td></tr></table></td></tr>\n</table>\n\n"
    );
    let at = doc.text().find("内1").expect("in the text");
    assert_eq!(
        doc.place_at(at),
        Some(Place::Cell {
            table: 2,
            row: 1,
            column: 1
        })
    );
    let after = doc.text().find("</table></td>").expect("in the text") + "</table>".len();
    assert_eq!(
        doc.place_at(after),
        Some(Place::Cell {
            table: 1,
            row: 1,
            column: 2
        })
    );
}

#[test]
fn tracked_changes_read_as_accepted_with_one_note() {
    let body = r#"<w:p><w:r><w:t>全年办理申请</w:t></w:r><w:del w:id="1" w:author="a"><w:r><w:delText>218</w:delText></w:r></w:del><w:ins w:id="2" w:author="a"><w:r><w:t>219</w:t></w:r></w:ins><w:r><w:t>件。</w:t></w:r></w:p>"#;
    let doc = read(&docx(body, None, None)).expect("readable");
    assert_eq!(doc.text(), "全年办理申请219件。\n\n");
    assert_eq!(doc.changes(), 2);
    let notes = doc.notes();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].code, "NB027");
    assert_eq!(notes[0].span.start, "全年办理申请".len());
    // The inserted text maps to its own run (the deleted run counts) and `w:t`.
    let at = doc.text().find("219").expect("in the text");
    let source = doc.source_at(at + 1).expect("from a w:t");
    assert_eq!((source.run, source.text, source.char), (2, 1, 1));
    assert_eq!(source.part, "word/document.xml");
    // No change, no note.
    assert!(read(&docx(&p("定稿"), None, None))
        .expect("readable")
        .notes()
        .is_empty());
}

#[test]
fn a_deleted_paragraph_mark_joins_the_paragraph_to_the_next() {
    let deleted_mark = r#"<w:pPr><w:rPr><w:del w:id="9" w:author="a" w:date="2025-01-01T00:00:00Z"/></w:rPr></w:pPr>"#;
    // The mark between two sentences deleted: one paragraph, as Word shows it accepted.
    let body = format!(
        r#"<w:p>{deleted_mark}<w:r><w:t>全年办理申请218件，</w:t></w:r></w:p>{}{}"#,
        p("均已按时答复。"),
        p("二、其他")
    );
    let doc = read(&docx(&body, None, None)).expect("readable");
    assert_eq!(
        doc.text(),
        "全年办理申请218件，均已按时答复。\n\n二、其他\n\n"
    );
    assert_eq!(
        doc.changes(),
        1,
        "the deleted mark is a change not yet accepted"
    );
    assert_eq!(doc.notes()[0].code, "NB027");
    // Both halves still map to their own w:t; the joined text is one paragraph.
    let at = doc.text().find("均已").expect("in the text");
    assert_eq!(doc.source_at(at).expect("from a w:t").text, 1);
    let place = |offset: usize| format!("{:?}", doc.place_at(offset));
    assert_eq!(place(0), place(at), "one paragraph");
    assert_ne!(
        place(at),
        place(doc.text().find("二、").expect("in the text"))
    );

    // A numbered paragraph deleted whole, with its mark: no empty paragraph
    // left, and its number neither shown nor counted; the next keeps its own.
    let numbering = r#"
      <w:abstractNum w:abstractNumId="1">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%1）"/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>"#;
    let numbered = |props: &str, runs: &str| {
        format!(
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>{props}</w:pPr>{runs}</w:p>"#
        )
    };
    let body = [
        numbered("", "<w:r><w:t>主动公开</w:t></w:r>"),
        numbered(
            r#"<w:rPr><w:del w:id="3" w:author="a"/></w:rPr>"#,
            r#"<w:del w:id="4" w:author="a"><w:r><w:delText>删去的一段</w:delText></w:r></w:del>"#,
        ),
        numbered("", "<w:r><w:t>依申请公开</w:t></w:r>"),
        // A deleted mark before a table has nothing to join: the paragraph stays.
        format!(r#"<w:p>{deleted_mark}<w:r><w:t>表前</w:t></w:r></w:p>"#),
        format!("<w:tbl><w:tr>{}</w:tr></w:tbl>", cell("单元格", "")),
    ]
    .concat();
    let doc = read(&docx(&body, Some(numbering), None)).expect("readable");
    assert!(
        doc.text()
            .starts_with("（一）主动公开\n\n（二）依申请公开\n\n表前\n\n"),
        "{}",
        doc.text()
    );
    assert!(doc.text().contains("单元格"), "{}", doc.text());
    assert_eq!(doc.changes(), 3);
    // The same paragraphs with the marks kept: two more paragraphs.
    let kept = body.replace(r#"<w:rPr><w:del w:id="3" w:author="a"/></w:rPr>"#, "");
    assert!(text_of(&docx(&kept, Some(numbering), None))
        .starts_with("（一）主动公开\n\n（二）\n\n（三）依申请公开"),);
}

#[test]
fn field_codes_out_results_in_table_of_contents_out() {
    let field = |instr: &str, result: &str| {
        format!(
            r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">{instr}</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{result}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#
        )
    };
    let body = format!(
        "<w:p><w:r><w:t>共</w:t></w:r>{}<w:r><w:t>页</w:t></w:r></w:p><w:p>{}</w:p><w:p><w:fldSimple w:instr=\"DATE\"><w:r><w:t>2025年1月</w:t></w:r></w:fldSimple></w:p>",
        field(" NUMPAGES ", "3"),
        field(" TOC \\o \"1-3\" ", "一、总体情况 1"),
    );
    assert_eq!(text_of(&docx(&body, None, None)), "共3页\n\n2025年1月\n\n");
}

#[test]
fn text_boxes_once_after_their_paragraph_and_hidden_text_left_out() {
    let body = format!(
        r#"<w:p><w:r><w:t>正文</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>{}</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>{}</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:r><w:t>续</w:t></w:r></w:p>{}"#,
        p("文本框"),
        p("文本框"),
        p("下一段")
    );
    let doc = read(&docx(&body, None, None)).expect("readable");
    assert_eq!(doc.text(), "正文续\n\n文本框\n\n下一段\n\n");
    assert_eq!(
        doc.place_at(doc.text().find("文本框").expect("read")),
        Some(Place::Paragraph(2))
    );
}

#[test]
fn broken_packages_are_findings_that_name_the_place() {
    let message = |bytes: &[u8]| match read(bytes) {
        Err(ReadError::Unreadable(d)) => {
            assert_eq!(d.code, "NB026");
            d.message.en
        }
        other => panic!("not unreadable: {other:?}"),
    };
    let good = docx(&p("正文"), None, None);
    assert!(message(&good[..good.len() / 2]).contains("damaged"));
    let bad_xml = package(&[("word/document.xml", "<w:document><w:body><w:p></w:body>")]);
    let m = message(&bad_xml);
    assert!(
        m.contains("word/document.xml") && m.contains("at byte"),
        "{m}"
    );
    assert!(matches!(
        read(&package(&[("xl/workbook.xml", "<x/>")])),
        Err(ReadError::NotWord)
    ));
    // Malformed numbering: a warning, the body still read.
    let doc = read(&docx(&p("正文"), Some("<w:abstractNum>"), None)).expect("body read");
    assert_eq!(doc.text(), "正文\n\n");
    assert_eq!(doc.notes()[0].code, "NB026");
}

#[test]
fn a_part_that_unpacks_past_the_limit_is_not_read() {
    // 65 MiB of spaces deflate to about 65 KiB.
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", options)
        .expect("in memory");
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..65 {
        zip.write_all(&chunk).expect("in memory");
    }
    let bytes = zip.finish().expect("in memory").into_inner();
    assert!(bytes.len() < 1 << 20);
    match read(&bytes) {
        Err(ReadError::Unreadable(d)) => {
            assert!(d.message.en.contains("64 MB"), "{}", d.message.en)
        }
        other => panic!("read: {other:?}"),
    }
}

#[test]
fn any_bytes_after_the_zip_magic_never_panic() {
    let good = docx(&p("正文"), None, None);
    for cut in (0..good.len()).step_by(13) {
        let _ = read(&good[..cut]);
        let mut flipped = good.clone();
        flipped[cut] ^= 0x55;
        let _ = read(&flipped);
    }
}

#[test]
fn a_table_split_at_a_page_break_reads_as_one_table() {
    let row = |cells: &[String]| format!("<w:tr>{}</w:tr>", cells.concat());
    let header = |marked: bool| {
        format!(
            "<w:tr>{}{}{}</w:tr>",
            if marked {
                "<w:trPr><w:tblHeader/></w:trPr>"
            } else {
                ""
            },
            cell("项目", ""),
            cell("件数", "")
        )
    };
    let first = format!(
        "<w:tbl><w:tblPr/>{}{}{}</w:tbl>",
        header(true),
        row(&[
            cell("（四）无法提供", r#"<w:vMerge w:val="restart"/>"#),
            cell("1", "")
        ]),
        row(&[cell("", "<w:vMerge/>"), cell("2", "")]),
    );
    // The second part repeats the header, and its first cell continues the
    // merge of the first part.
    let second = format!(
        "<w:tbl><w:tblPr/>{}{}{}</w:tbl>",
        header(true),
        row(&[cell("", "<w:vMerge/>"), cell("3", "")]),
        row(&[cell("总计", ""), cell("6", "")]),
    );
    let page_break = r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#;
    let one = "<table>\n<tr><td>项目</td><td>件数</td></tr>\n<tr><td rowspan=\"3\">（四）无法提供</td><td>1</td></tr>\n<tr><td>2</td></tr>\n<tr><td>3</td></tr>\n<tr><td>总计</td><td>6</td></tr>\n</table>\n\n";
    // Marked header rows repeated: one table, also without a page break.
    for between in [page_break, "<w:p/>", ""] {
        let doc = read(&docx(&format!("{first}{between}{second}"), None, None)).expect("read");
        assert_eq!(doc.text(), one, "between: {between:?}");
        let at = doc.text().find("总计").expect("in the text");
        assert_eq!(
            doc.place_at(at),
            Some(Place::Cell {
                table: 1,
                row: 5,
                column: 1
            })
        );
    }
    // A page break between parts of the same width, no header marks: one table.
    let unmarked = |t: &str| t.replace("<w:trPr><w:tblHeader/></w:trPr>", "");
    let doc = read(&docx(
        &format!("{}{page_break}{}", unmarked(&first), unmarked(&second)),
        None,
        None,
    ))
    .expect("read");
    assert_eq!(doc.text(), one);
    // Text between them, or neither a page break nor a repeated header: two tables.
    for body in [
        format!("{first}{}{second}", p("续表")),
        format!("{}<w:p/>{}", unmarked(&first), unmarked(&second)),
    ] {
        let doc = read(&docx(&body, None, None)).expect("read");
        assert_eq!(doc.text().matches("<table>").count(), 2, "{}", doc.text());
    }
    // A page break before a table of another width: two tables.
    let narrow = format!("<w:tbl><w:tblPr/>{}</w:tbl>", row(&[cell("其他", "")]));
    let doc = read(&docx(&format!("{first}{page_break}{narrow}"), None, None)).expect("read");
    assert_eq!(doc.text().matches("<table>").count(), 2, "{}", doc.text());
}

#[test]
fn tables_nested_beyond_the_limit_are_read_flat_and_said_so() {
    // 100,000 tables each in the cell of the one around it, the deepest holding a
    // word: read without overflowing the stack (building, writing and dropping the
    // blocks), the word kept, one warning saying what was done.
    let depth = 100_000;
    let mut body = String::with_capacity(depth * 40);
    for _ in 0..depth {
        body.push_str("<w:tbl><w:tr><w:tc>");
    }
    body.push_str(&p("最深处"));
    for _ in 0..depth {
        body.push_str("</w:tc></w:tr></w:tbl>");
    }
    let doc = read(&docx(&body, None, None)).expect("readable");
    assert!(doc.text().contains("最深处"));
    // Only the first levels are tables.
    assert_eq!(doc.text().matches("<table>").count(), 16);
    let notes: Vec<_> = doc.notes().iter().filter(|d| d.code == "NB026").collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].message.zh.contains("嵌套超过 16 层"));
    // Text boxes inside text boxes: the same limit.
    let mut body = String::new();
    for _ in 0..1_000 {
        body.push_str("<w:p><w:r><w:t>框</w:t><w:drawing><w:txbxContent>");
    }
    body.push_str(&p("框内"));
    for _ in 0..1_000 {
        body.push_str("</w:txbxContent></w:drawing></w:r></w:p>");
    }
    let doc = read(&docx(&body, None, None)).expect("readable");
    assert!(doc.text().contains("框内"));
}
