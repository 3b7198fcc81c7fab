//! Every input kind gives the same answers: GB18030 and CRLF copies and a
//! plain-text rendering of a Markdown report, and the HTML page as published.

use std::path::PathBuf;

use nianbao_grammar::outline::Section;
use nianbao_grammar::{parse, Block, Parsed, Span};

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name);
    std::fs::read(path).expect("fixture readable")
}

/// (level, number, title) of every section, depth first.
fn outline(parsed: &Parsed) -> Vec<(u8, u32, String)> {
    fn walk(s: &Section, out: &mut Vec<(u8, u32, String)>) {
        out.push((s.level, s.number, s.title().to_string()));
        s.children.iter().for_each(|c| walk(c, out));
    }
    let mut out = Vec::new();
    parsed.outline.iter().for_each(|s| walk(s, &mut out));
    out
}

/// Every table as a grid of cell texts (line breaks inside cells ignored).
fn tables(parsed: &Parsed) -> Vec<Vec<Vec<String>>> {
    parsed
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(
                (0..t.row_count())
                    .map(|r| {
                        t.row(r)
                            .map(|c| {
                                c.and_then(|i| t.cell(i))
                                    .map_or(String::new(), |c| c.text.replace(['\n', ' '], ""))
                            })
                            .collect()
                    })
                    .collect(),
            ),
            Block::Para(_) => None,
        })
        .collect()
}

/// (code, line, column) of every diagnostic.
fn findings(parsed: &Parsed) -> Vec<(&'static str, usize, usize)> {
    parsed
        .diagnostics
        .iter()
        .map(|d| {
            let lc = parsed.line_col(d.span.start);
            (d.code, lc.line, lc.column)
        })
        .collect()
}

fn gb18030(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

fn gb_text(bytes: &[u8], span: Span) -> String {
    encoding_rs::GB18030
        .decode_without_bom_handling(&bytes[span.start..span.end])
        .0
        .into_owned()
}

#[test]
fn gb18030_copy_gives_the_same_answers_at_its_own_offsets() {
    let utf8 = fixture("zhongwei-2017.md");
    let text = String::from_utf8(utf8.clone()).expect("fixture is UTF-8");
    let gb = gb18030(&text);
    let a = parse(&utf8);
    let b = parse(&gb);
    assert_eq!(b.encoding, nianbao_grammar::Encoding::Gb18030);
    assert_eq!(b.tree_text(), gb, "lossless over the GB18030 bytes");
    assert_eq!(outline(&a), outline(&b));
    assert_eq!(tables(&a), tables(&b));
    assert_eq!(findings(&a), findings(&b));
    // Spans point at the same text in each file's own bytes.
    for (da, db) in a.diagnostics.iter().zip(&b.diagnostics) {
        assert_eq!(
            &text[da.span.start..da.span.end],
            gb_text(&gb, db.span),
            "{}",
            da.code
        );
    }
    for (sa, sb) in a.outline.iter().zip(&b.outline) {
        assert_eq!(
            &text[sa.title_span.start..sa.title_span.end],
            gb_text(&gb, sb.title_span)
        );
    }
    // A position inside a paragraph maps to the same character.
    let (Some(Block::Para(pa)), Some(Block::Para(pb))) = (a.blocks.get(2), b.blocks.get(2)) else {
        panic!("third block is a paragraph")
    };
    let at = pa.text.find("统计期限").expect("the period sentence");
    let range = at..at + "统计期限".len();
    assert_eq!(
        &text[pa.span_of(range.clone()).start..pa.span_of(range.clone()).end],
        "统计期限"
    );
    assert_eq!(gb_text(&gb, pb.span_of(range)), "统计期限");
}

#[test]
fn crlf_copy_gives_the_same_answers() {
    let utf8 = fixture("zhongwei-2017.md");
    let text = String::from_utf8(utf8.clone()).expect("fixture is UTF-8");
    let crlf = text.replace('\n', "\r\n");
    let a = parse(&utf8);
    let b = parse(crlf.as_bytes());
    assert_eq!(b.tree_text(), crlf.as_bytes());
    assert_eq!(outline(&a), outline(&b));
    assert_eq!(tables(&a), tables(&b));
    assert_eq!(findings(&a), findings(&b));
    let paras = |p: &Parsed| -> Vec<String> {
        p.blocks
            .iter()
            .filter_map(|b| {
                if let Block::Para(p) = b {
                    Some(p.text.to_string())
                } else {
                    None
                }
            })
            .collect()
    };
    assert_eq!(paras(&a), paras(&b), "no stray \\r in the logical text");
}

/// A plain-text rendering of a Markdown report: no markup, table cells separated by tabs.
fn plain_text(markdown: &str) -> String {
    let mut out = String::new();
    for line in markdown.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('|') {
            let is_delimiter = trimmed.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '));
            if is_delimiter {
                continue;
            }
            let inner = trimmed.trim_start_matches('|');
            let inner = inner.strip_suffix('|').unwrap_or(inner);
            let cells: Vec<String> = inner
                .split('|')
                .map(|c| c.trim().replace("<br>", ""))
                .collect();
            out.push_str(&cells.join("\t"));
            out.push('\n');
            continue;
        }
        let mut l = line.trim_start_matches('#').trim_start().replace("**", "");
        l = l.replace(
            "[nx\\\\_zws@163.com](mailto:nx_zws@163.com)",
            "nx_zws@163.com",
        );
        l = l.replace("<http://www.nxzw.gov.cn/>", "http://www.nxzw.gov.cn/");
        out.push_str(&l);
        out.push('\n');
    }
    out
}

#[test]
fn plain_text_rendering_gives_the_same_outline_and_tables() {
    let text = String::from_utf8(fixture("zhongwei-2017.md")).expect("fixture is UTF-8");
    let txt = plain_text(&text);
    let a = parse(text.as_bytes());
    let b = parse(txt.as_bytes());
    assert_eq!(b.tree_text(), txt.as_bytes());
    assert_eq!(outline(&a), outline(&b));
    assert_eq!(tables(&a), tables(&b));
    // Apart from repairs (NB0xx), the findings are the same.
    let non_repair = |p: &Parsed| -> Vec<&'static str> {
        p.diagnostics
            .iter()
            .map(|d| d.code)
            .filter(|c| !c.starts_with("NB0"))
            .collect()
    };
    assert_eq!(non_repair(&a), non_repair(&b));
}

#[test]
fn one_line_dump_gets_its_outline_and_no_guessed_tables() {
    let parsed = parse(&fixture("pingtan-2023.page.txt"));
    let md = parse(&fixture("pingtan-2023.md"));
    let level1 =
        |p: &Parsed| -> Vec<String> { p.outline.iter().map(|s| s.title().to_string()).collect() };
    assert_eq!(level1(&parsed), level1(&md), "the six national sections");
    assert!(
        tables(&parsed).is_empty(),
        "no table values guessed from run-together digits"
    );
    let unreadable = parsed
        .diagnostics
        .iter()
        .filter(|d| d.code == "NB004")
        .count();
    assert_eq!(
        unreadable, 3,
        "one finding for each of tables 二, 三 and 四"
    );
}

#[test]
fn the_html_page_gives_the_markdown_copy_s_outline_and_tables() {
    let page = parse(&fixture("pingtan-2023.page.html"));
    let md = parse(&fixture("pingtan-2023.md"));
    assert_eq!(page.input_kind, nianbao_grammar::InputKind::Html);
    assert_eq!(
        page.tree_text(),
        fixture("pingtan-2023.page.html"),
        "lossless over the whole page"
    );
    assert_eq!(outline(&page), outline(&md));
    assert_eq!(tables(&page), tables(&md));
}

#[test]
fn an_article_body_from_a_cms_is_html() {
    use nianbao_grammar::InputKind;
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/html");
    let mut bodies = 0;
    for entry in std::fs::read_dir(&corpus).expect("corpus readable") {
        let path = entry.expect("entry").path();
        if !path.to_string_lossy().ends_with(".body.html") {
            continue;
        }
        let parsed = parse(&std::fs::read(&path).expect("readable"));
        assert_eq!(parsed.input_kind, InputKind::Html, "{}", path.display());
        assert!(
            parsed.blocks.iter().any(|b| matches!(b, Block::Table(_))),
            "{}: its tables are read",
            path.display()
        );
        bodies += 1;
    }
    assert!(bodies >= 18, "{bodies} bodies");
    for (text, kind) in [
        (
            "<p style=\"text-align:center\">某局2024年政府信息公开工作年度报告</p>",
            InputKind::Html,
        ),
        (
            "\u{FEFF}  <!-- saved -->\n<div class=TRS_Editor><p>正文</p></div>",
            InputKind::Html,
        ),
        (
            "<table>\n<tr><td>规章</td><td>1</td></tr></table>",
            InputKind::Html,
        ),
        // Markdown that opens with a comment or an element but has headings or pipe tables.
        (
            "<!-- source: x -->\n# 某局2024年政府信息公开工作年度报告\n",
            InputKind::Markdown,
        ),
        (
            "<div align=center>标题</div>\n\n# 一、总体情况\n",
            InputKind::Markdown,
        ),
        (
            "<p>标题</p>\n\n| 项目 | 数量 |\n|---|---|\n",
            InputKind::Markdown,
        ),
        // A tag name that only starts like one of them.
        ("<pre>1</pre>", InputKind::Markdown),
        ("一、总体情况\n<div>x</div>", InputKind::Markdown),
    ] {
        assert_eq!(parse(text.as_bytes()).input_kind, kind, "{text}");
    }
}

#[test]
fn a_page_laid_out_in_one_table_cell_is_read_as_its_paragraphs_and_tables() {
    // A Word document saved as HTML inside one cell: the corpus has one such body.
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/corpus/html/pingtan-jingjifazhan-2020.body.html");
    let parsed = parse(&std::fs::read(path).expect("readable"));
    let top: Vec<String> = parsed
        .outline
        .iter()
        .map(|s| s.title().to_string())
        .collect();
    assert!(top.len() >= 6, "{top:?}");
    assert!(top[0].contains("总体情况"), "{top:?}");
    assert_eq!(
        tables(&parsed).len(),
        4,
        "the four nested tables are tables"
    );
    assert_eq!(parsed.tree_text(), parsed.source(), "nothing lost");

    // Small: the layout cell's paragraphs become paragraphs; its nested table stays one.
    let html = "<table><tr><td><p>一、总体情况</p><p>正文。</p><table><tr><td>规章</td><td>1</td></tr></table><p>二、主动公开政府信息情况</p></td></tr></table>";
    let parsed = parse(html.as_bytes());
    assert_eq!(outline(&parsed).len(), 2, "{:?}", outline(&parsed));
    assert_eq!(
        tables(&parsed),
        vec![vec![vec!["规章".to_string(), "1".to_string()]]]
    );
    // A table of several cells stays a table, whatever its cells hold.
    let html = "<table><tr><td><p>a</p><p>b</p><p>c</p></td><td>1</td></tr></table>";
    assert_eq!(tables(&parse(html.as_bytes())).len(), 1);
}
