//! Tests of the HTML reader: the fixtures' tables and pages, hand-written
//! markup, character references, and property tests that any bytes tile.

use super::entities::entity_at;
use super::grid::MAX_GRID;
use super::*;
use crate::logical::{Para, ParaKind};
use proptest::prelude::*;

/// [`super::parse_html_page`] of a page held as a string.
fn parse_html_page(text: &str) -> (Vec<Node>, Vec<Block>) {
    let source = Arc::new(text.to_string());
    let mut whole = Whole::default();
    let blocks = super::parse_html_page(&source, &TableSource::new(source.clone()), &mut |n| {
        whole.take(n)
    })
    .blocks;
    assert!(whole.open.is_empty(), "every node opened is closed");
    (whole.done, blocks)
}

/// [`super::parse_html_table`] of a table in a string.
fn parse_html_table(text: &str, range: Range<usize>) -> (Node, Table) {
    super::parse_html_table(text, range, &TableSource::new(Arc::new(text.to_string())))
}

/// A table's grid, row by row.
fn grid(t: &Table) -> Vec<Vec<Option<usize>>> {
    (0..t.row_count()).map(|r| t.row(r).collect()).collect()
}

/// A table's cells.
fn cells(t: &Table) -> Vec<crate::logical::Cell<'_>> {
    t.cells().collect()
}

fn fixture(name: &str) -> String {
    let path = format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).expect("fixture is readable")
}

/// Containers cover exactly their children, which are contiguous.
fn check_node(node: &Node) {
    if node.children.is_empty() {
        return;
    }
    assert!(!node.kind.is_leaf(), "leaf kind with children: {node:?}");
    let first = node.children.first().map_or(0, |c| c.span.start);
    let last = node.children.last().map_or(0, |c| c.span.end);
    assert_eq!(
        (node.span.start, node.span.end),
        (first, last),
        "{:?} does not cover its children",
        node.kind
    );
    let mut pos = first;
    for child in &node.children {
        assert_eq!(
            child.span.start, pos,
            "gap or overlap under {:?}",
            node.kind
        );
        pos = child.span.end;
        check_node(child);
    }
}

/// The leaves of `nodes` tile `range` exactly.
fn assert_tiles(nodes: &[Node], range: Range<usize>) {
    let mut pos = range.start;
    for node in nodes {
        check_node(node);
        for leaf in node.leaves() {
            assert_eq!(leaf.span.start, pos, "gap or overlap at {pos}: {leaf:?}");
            assert!(leaf.span.end >= leaf.span.start);
            pos = leaf.span.end;
        }
    }
    assert_eq!(pos, range.end, "leaves stop before the end");
}

/// The ranges of the `<table>…</table>` blocks of a Markdown file.
fn md_tables(md: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(off) = md[pos..].find("<table") {
        let start = pos + off;
        let end = md[start..]
            .find("</table>")
            .map_or(md.len(), |e| start + e + "</table>".len());
        out.push(start..end);
        pos = end;
    }
    out
}

fn table(html: &str) -> (Node, Table) {
    let (node, table) = parse_html_table(html, 0..html.len());
    assert_tiles(std::slice::from_ref(&node), 0..html.len());
    assert_eq!(node.kind, NodeKind::HtmlTable);
    (node, table)
}

fn grid_texts(t: &Table) -> Vec<Vec<String>> {
    grid(t)
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| {
                    c.and_then(|i| t.cell(i))
                        .map_or("∅".to_string(), |c| c.text.to_string())
                })
                .collect()
        })
        .collect()
}

fn text_at(t: &Table, row: usize, col: usize) -> &str {
    t.cell_at(row, col).map_or("∅", |c| c.text)
}

fn paras(blocks: &[Block]) -> Vec<&Para> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Para(p) => Some(p),
            Block::Table(_) => None,
        })
        .collect()
}

fn tables(blocks: &[Block]) -> Vec<&Table> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            Block::Para(_) => None,
        })
        .collect()
}

#[test]
fn html_fixture_tables_tile_and_have_rows_and_cells() {
    for name in [
        "huaian-2024.md",
        "pingtan-caizhengjinrongju-2020.md",
        "pingtan-2023.md",
        "pingtan-2018.md",
        "pingtan-2024.md",
        "pingtan-2025.md",
        "pingtan-caizhengjinrongju-2025.md",
        "zhongwei-2017.md",
    ] {
        let md = fixture(name);
        for range in md_tables(&md) {
            let (node, t) = parse_html_table(&md, range.clone());
            assert_tiles(std::slice::from_ref(&node), range.clone());
            let html = &md[range.clone()];
            let tds = html.matches("<td").count() + html.matches("<th").count();
            let trs = html.matches("<tr").count();
            assert_eq!(cells(&t).len(), tds, "{name}: cells");
            assert_eq!(t.row_count(), trs, "{name}: rows");
            let rows = node
                .children
                .iter()
                .filter(|c| c.kind == NodeKind::Row)
                .count();
            assert_eq!(rows, trs, "{name}: Row nodes");
            let width = grid(&t).first().map_or(0, Vec::len);
            assert!(
                grid(&t).iter().all(|r| r.len() == width),
                "{name}: padded rows"
            );
            assert_eq!(&*t.parts, &[Span::new(range.start, range.end)]);
            for c in &cells(&t) {
                assert!(c.span.start >= range.start && c.span.end <= range.end);
                assert!(!c.text.contains('<'), "{name}: tag left in {:?}", c.text);
            }
        }
    }
}

#[test]
fn html_huaian_table_three_rowspan_colspan_grid() {
    let md = fixture("huaian-2024.md");
    let ranges = md_tables(&md);
    let (_, t) = parse_html_table(&md, ranges[2].clone());
    assert!(grid(&t).iter().all(|r| r.len() == 10));
    assert_eq!(t.row_count(), 16);
    let corner = t.cell_at(0, 0).expect("corner cell");
    assert_eq!(
        (corner.row, corner.col, corner.row_span, corner.col_span),
        (0, 0, 3, 3)
    );
    assert!(corner.text.starts_with("（本列数据的勾稽关系为"));
    for r in 0..3 {
        for c in 0..3 {
            assert_eq!(grid(&t)[r][c], Some(0));
        }
    }
    assert_eq!(text_at(&t, 0, 3), "申请人情况");
    assert_eq!(text_at(&t, 0, 9), "申请人情况");
    assert_eq!(text_at(&t, 1, 3), "自然人");
    assert_eq!(text_at(&t, 2, 3), "自然人");
    assert_eq!(text_at(&t, 1, 4), "法人或其他组织");
    assert_eq!(text_at(&t, 1, 8), "法人或其他组织");
    assert_eq!(text_at(&t, 2, 9), "总计");
    let heads: Vec<&str> = (4..=8).map(|c| text_at(&t, 2, c)).collect();
    assert_eq!(
        heads,
        [
            "商业企业",
            "科研机构",
            "社会公益组织",
            "法律服务机构",
            "其他"
        ]
    );
    for c in 0..3 {
        assert_eq!(text_at(&t, 3, c), "一、本年新收政府信息公开申请数量");
    }
    let values: Vec<&str> = (3..=9).map(|c| text_at(&t, 3, c)).collect();
    assert_eq!(values, ["3001", "53", "0", "0", "61", "4", "3119"]);
    // 三、本年度办理结果 spans rows 5..=15 of column 0; （三）不予公开 rows 7..=14 of column 1.
    for r in 5..=15 {
        assert_eq!(text_at(&t, r, 0), "三、本年度办理结果");
    }
    for r in 7..=14 {
        assert_eq!(text_at(&t, r, 1), "（三）不予公开");
    }
    let row8: Vec<&str> = (2..=9).map(|c| text_at(&t, 8, c)).collect();
    assert_eq!(
        row8,
        [
            "2.其他法律行政法规禁止公开",
            "30",
            "1",
            "0",
            "0",
            "0",
            "0",
            "31"
        ]
    );
    assert_eq!(text_at(&t, 15, 1), "（四）无");
    assert_eq!(text_at(&t, 15, 9), "769");
    // The cell's span is its content.
    let cell = t.cell_at(3, 9).expect("cell");
    assert_eq!(&md[cell.span.start..cell.span.end], "3119");
}

#[test]
fn html_caizheng_2020_table_two_irregular_merges() {
    let md = fixture("pingtan-caizhengjinrongju-2020.md");
    let ranges = md_tables(&md);
    let (_, t) = parse_html_table(&md, ranges[0].clone());
    let g = grid_texts(&t);
    assert_eq!(g.len(), 18);
    assert!(g.iter().all(|r| r.len() == 5));
    assert_eq!(g[0], vec!["第二十条第（一）项"; 5]);
    assert_eq!(
        g[1],
        [
            "信息内容",
            "本年新制作数量",
            "本年新公开数量",
            "本年新公开数量",
            "对外公开总数量"
        ]
    );
    assert_eq!(g[3], ["规范性文件", "6", "4", "4", "11"]);
    // As published: the 第（五）项 header puts 本年增/减 over columns 2–3, the row under it
    // puts its colspan on the first value.
    assert_eq!(
        g[5],
        [
            "信息内容",
            "上一年项目数量",
            "本年增/减",
            "本年增/减",
            "处理决定数量"
        ]
    );
    assert_eq!(g[6], ["行政许可", "0", "0", "1", "0"]);
    assert_eq!(
        g[13],
        [
            "信息内容",
            "上一年项目数量",
            "上一年项目数量",
            "本年增/减",
            "本年增/减"
        ]
    );
    assert_eq!(
        g[16],
        [
            "信息内容",
            "采购项目数量",
            "采购项目数量",
            "采购总金额",
            "采购总金额"
        ]
    );
    assert_eq!(
        g[17],
        ["政府集中采购", "2笔", "2笔", "984361元", "984361元"]
    );

    let (_, t3) = parse_html_table(&md, ranges[1].clone());
    assert_eq!(t3.row_count(), 26);
    assert!(grid(&t3).iter().all(|r| r.len() == 10));
    for r in 5..=24 {
        assert_eq!(text_at(&t3, r, 0), "三、本年度办理结果", "row {r}");
    }
    assert_eq!(text_at(&t3, 15, 1), "（四）无法提供");
    assert_eq!(text_at(&t3, 17, 2), "3.补正后申请内容仍不明确");
    assert_eq!(text_at(&t3, 23, 1), "（六）其他处理");
    assert_eq!(text_at(&t3, 23, 2), "（六）其他处理");
    assert_eq!(text_at(&t3, 25, 0), "四、结转下年度继续办理");
}

#[test]
fn html_br_and_blocks_in_cells_become_newlines() {
    let (_, t) = table("<table><tr><td>商业<br>企业</td><td> a <BR/> b </td><td><p>结果</p><p>纠正</p></td><td>x<br><br>y</td></tr></table>");
    let texts: Vec<&str> = cells(&t).iter().map(|c| c.text).collect();
    assert_eq!(texts, ["商业\n企业", "a\nb", "结果\n纠正", "x\n\ny"]);
}

#[test]
fn html_entities_in_cells_are_decoded_and_leaves() {
    let html = "<table><tr><td>&nbsp;a&amp;b&nbsp;</td><td>&#x41;&#66;&lt;&copy2024&semi;&c</td><td>邮&nbsp;&nbsp;编</td></tr></table>";
    let (node, t) = table(html);
    let texts: Vec<&str> = cells(&t).iter().map(|c| c.text).collect();
    assert_eq!(texts, ["a&b", "AB<©2024;&c", "邮\u{a0}\u{a0}编"]);
    let entities: Vec<&str> = node
        .leaves()
        .filter(|l| l.kind == NodeKind::Entity)
        .map(|l| &html[l.span.start..l.span.end])
        .collect();
    assert_eq!(
        entities,
        [
            "&nbsp;", "&amp;", "&nbsp;", "&#x41;", "&#66;", "&lt;", "&copy", "&semi;", "&nbsp;",
            "&nbsp;"
        ]
    );
    let tags = node.leaves().filter(|l| l.kind == NodeKind::Tag).count();
    assert_eq!(tags, 10);
}

#[test]
fn html_tree_shape_rows_cells_and_loose_leaves() {
    let html = "<table>\n<tr><td colspan=\"3\">第二十条</td></tr>\n</table>\n";
    let (node, t) = table(html);
    let kinds: Vec<NodeKind> = node.children.iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds,
        [
            NodeKind::Tag,
            NodeKind::Newline,
            NodeKind::Row,
            NodeKind::Newline,
            NodeKind::Tag,
            NodeKind::Newline
        ]
    );
    let row = &node.children[2];
    let row_kinds: Vec<NodeKind> = row.children.iter().map(|c| c.kind).collect();
    assert_eq!(row_kinds, [NodeKind::Tag, NodeKind::Cell, NodeKind::Tag]);
    let cell = &row.children[1];
    assert_eq!(
        &html[cell.children[0].span.start..cell.children[0].span.end],
        "<td colspan=\"3\">"
    );
    assert_eq!(cells(&t)[0].col_span, 3);
    assert_eq!(grid(&t), vec![vec![Some(0); 3]]);
    assert_eq!(
        &html[cells(&t)[0].span.start..cells(&t)[0].span.end],
        "第二十条"
    );
}

#[test]
fn html_unquoted_upper_case_and_implied_ends() {
    let (_, t) = table(
        "<TABLE BORDER=1><TR><TD COLSPAN=2>x</TD></TR><TR><TD ROWSPAN='2'>y<TD>z<TR><TD>w</TABLE>",
    );
    assert_eq!(
        grid_texts(&t),
        [vec!["x", "x"], vec!["y", "z"], vec!["y", "w"]]
    );
}

#[test]
fn html_unclosed_and_truncated_tables() {
    let (_, t) = table("<table><tr><td>a<td>b<tr><td>c");
    assert_eq!(grid_texts(&t), [vec!["a", "b"], vec!["c", "∅"]]);
    for html in [
        "<table><tr><td colspan=\"",
        "<table><tr><td colspan=\"3\">x",
        "<table><tr><td>x</td><",
        "<table",
        "<table><tr><td>a</td></tr></table>trailing <b>text",
        "</td></tr><td>",
        "<table><tbody><tr><th>h</th></tr></tbody><caption>c</caption></table>",
        "<table><tr><td><script>if (a<b) document.write('<td>')</script>v</td></tr></table>",
    ] {
        let (_, t) = table(html);
        for c in &cells(&t) {
            assert!(!c.text.contains("script"), "{html}: {:?}", c.text);
        }
    }
    let (node, t) = table("<table><tr><td colspan=\"");
    assert!(cells(&t).is_empty() || cells(&t).iter().all(|c| c.text.is_empty()));
    assert!(node.leaves().any(|l| l.kind == NodeKind::Raw));
}

#[test]
fn html_nested_table_is_cell_content() {
    let (_, t) = table(
        "<table><tr><td>a<table><tr><td>b</td><td>c</td></tr></table></td><td>d</td></tr></table>",
    );
    assert_eq!(grid_texts(&t), [vec!["a\nb\nc", "d"]]);
}

#[test]
fn html_ten_thousand_columns() {
    let mut html = String::from("<table><tr>");
    for i in 0..10_000 {
        html.push_str(&format!("<td>{i}</td>"));
    }
    html.push_str("</tr><tr><td colspan=\"10000\">all</td></tr></table>");
    let (_, t) = table(&html);
    assert_eq!(cells(&t).len(), 10_001);
    assert_eq!(grid(&t).len(), 2);
    assert_eq!(grid(&t)[0].len(), 10_000);
    assert_eq!(text_at(&t, 0, 9_999), "9999");
    // colspan is clamped to 1000.
    assert_eq!(cells(&t)[10_000].col_span, 1000);
    assert_eq!(text_at(&t, 1, 999), "all");
    assert_eq!(grid(&t)[1][1000], None);
}

#[test]
fn html_absurd_rowspan_is_clamped_to_remaining_rows() {
    let (_, t) =
        table("<table><tr><td rowspan=\"999999\">a</td><td>b</td></tr><tr><td>c</td></tr></table>");
    assert_eq!(cells(&t)[0].row_span, 2);
    assert_eq!(
        grid(&t),
        vec![vec![Some(0), Some(1)], vec![Some(0), Some(2)]]
    );
    let (_, t) = table("<table><tr><td rowspan=0>a</td><td>b</td></tr><tr><td>c</td></tr><tr><td>d</td></tr></table>");
    assert_eq!(cells(&t)[0].row_span, 3);
    assert_eq!(
        grid_texts(&t),
        [vec!["a", "b"], vec!["a", "c"], vec!["a", "d"]]
    );
    // Many huge spans stay small.
    let mut html = String::from("<table>");
    for _ in 0..2000 {
        html.push_str("<tr><td rowspan=\"999999\" colspan=\"999999\">x</td></tr>");
    }
    html.push_str("</table>");
    let (_, t) = table(&html);
    let positions: usize = grid(&t).iter().map(Vec::len).sum();
    assert!(positions <= MAX_GRID);
}

#[test]
fn html_table_in_a_larger_text() {
    let text = "前言\n<table><tr><td>一</td></tr></table>\n后记";
    let start = text.find("<table").expect("table");
    let end = text.find("</table>").expect("end") + "</table>".len();
    let (node, t) = parse_html_table(text, start..end);
    assert_tiles(std::slice::from_ref(&node), start..end);
    assert_eq!(cells(&t)[0].text, "一");
    assert_eq!(&text[cells(&t)[0].span.start..cells(&t)[0].span.end], "一");
    let (node, _) = parse_html_table(text, 3..3);
    assert_eq!(node.span, Span::new(3, 3));
}

#[test]
fn html_page_tiles_and_has_chrome() {
    let page = fixture("pingtan-2023.page.html");
    let (nodes, blocks) = parse_html_page(&page);
    assert_tiles(&nodes, 0..page.len());
    assert_eq!(nodes.first().map(|n| n.kind), Some(NodeKind::PageChrome));
    assert_eq!(nodes.last().map(|n| n.kind), Some(NodeKind::PageChrome));
    let chrome: usize = nodes
        .iter()
        .filter(|n| n.kind == NodeKind::PageChrome)
        .map(|n| n.span.len())
        .sum();
    // Head, header, navigation, breadcrumb, side lists and footer: about 40 KB of the page.
    assert!(chrome > 35_000, "chrome {chrome}");
    let paragraphs = nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Paragraph)
        .count();
    let tables = nodes
        .iter()
        .filter(|n| n.kind == NodeKind::HtmlTable)
        .count();
    assert_eq!(paragraphs, paras(&blocks).len());
    assert_eq!(tables, 3);
    for node in &nodes {
        if node.kind == NodeKind::PageChrome {
            assert!(node
                .children
                .iter()
                .all(|c| matches!(c.kind, NodeKind::Raw | NodeKind::Tag)));
        }
    }
    // Nothing of the navigation, scripts or footer is report text.
    for p in paras(&blocks) {
        for chrome_text in [
            "首页",
            "无障碍",
            "闽政通",
            "扫一扫",
            "微信",
            "版权",
            "function",
            "政府信息公开年报",
        ] {
            assert!(!p.text.contains(chrome_text), "chrome in {:?}", p.text);
        }
    }
}

#[test]
fn html_page_paragraphs_pieces_and_bold() {
    let page = fixture("pingtan-2023.page.html");
    let (_, blocks) = parse_html_page(&page);
    let ps = paras(&blocks);
    assert_eq!(ps[0].text, "平潭综合实验区2023年度政府信息公开工作年度报告");
    assert_eq!(ps[0].kind, ParaKind::Text);
    for p in &ps {
        // Pieces cover the text exactly and verbatim pieces are the source.
        let mut pos = 0;
        for piece in p.pieces() {
            assert_eq!(piece.text.start, pos);
            pos = piece.text.end;
            if piece.verbatim {
                assert_eq!(
                    &page[piece.span.start..piece.span.end],
                    &p.text[piece.text.clone()]
                );
            }
        }
        assert_eq!(pos, p.text.len());
        assert_eq!(Some(p.span.start), p.pieces().next().map(|q| q.span.start));
        assert_eq!(p.text, p.text.trim());
    }
    let heading = ps
        .iter()
        .find(|p| p.text == "一、总体情况")
        .expect("heading paragraph");
    assert_eq!(
        heading.bold().collect::<Vec<_>>(),
        vec![0..heading.text.len()]
    );
    assert_eq!(&page[heading.span.start..heading.span.end], "一、总体情况");
    let body = ps
        .iter()
        .find(|p| p.text.starts_with("本报告根据"))
        .expect("first body paragraph");
    assert!(body.bold().next().is_none());
}

/// The page gives the same paragraphs and tables as the Markdown conversion of the same report.
#[test]
fn html_page_matches_markdown_of_same_report() {
    let md = fixture("pingtan-2023.md");
    let page = fixture("pingtan-2023.page.html");
    let (_, blocks) = parse_html_page(&page);

    // Markdown side: paragraphs (lines) and tables in order.
    let mut md_seq: Vec<(bool, String)> = Vec::new();
    let mut md_grids = Vec::new();
    let table_ranges = md_tables(&md);
    let mut pos = 0;
    for range in &table_ranges {
        for line in md[pos..range.start].lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with("<!--") {
                continue;
            }
            md_seq.push((false, line.trim_start_matches('#').trim().replace("**", "")));
        }
        md_seq.push((true, String::new()));
        md_grids.push(grid_texts(&parse_html_table(&md, range.clone()).1));
        pos = range.end;
    }
    for line in md[pos..].lines() {
        let line = line.trim();
        if !line.is_empty() && !line.starts_with("<!--") {
            md_seq.push((false, line.trim_start_matches('#').trim().replace("**", "")));
        }
    }

    let page_seq: Vec<(bool, String)> = blocks
        .iter()
        .map(|b| match b {
            Block::Para(p) => (false, p.text.to_string()),
            Block::Table(_) => (true, String::new()),
        })
        .collect();
    assert_eq!(page_seq, md_seq);
    let page_grids: Vec<_> = tables(&blocks).into_iter().map(grid_texts).collect();
    assert_eq!(page_grids.len(), md_grids.len());
    for (i, (p, m)) in page_grids.iter().zip(&md_grids).enumerate() {
        assert_eq!(p, m, "table {i}");
    }
}

#[test]
fn html_page_selection_fallbacks() {
    // No known container: the element with the most Chinese text in its paragraphs.
    let page = "<html><head><title>某县2023年政府信息公开工作年度报告_某县人民政府</title></head><body>\
        <div class=\"top\"><a href=\"/\">首页</a><a>政务公开</a></div>\
        <h1>某县2023年政府信息公开工作年度报告</h1>\
        <div class=\"wrap\"><div class=\"a\"><p>一、总体情况</p><p>本县认真贯彻落实政府信息公开条例，主动公开政府信息。</p>\
        <table><tr><td>信息内容</td><td>数量</td></tr></table></div></div>\
        <div class=\"foot\">版权所有：某县人民政府</div></body></html>";
    let (nodes, blocks) = parse_html_page(page);
    assert_tiles(&nodes, 0..page.len());
    let ps: Vec<&str> = paras(&blocks).iter().map(|p| p.text.as_str()).collect();
    assert_eq!(
        ps,
        [
            "某县2023年政府信息公开工作年度报告",
            "一、总体情况",
            "本县认真贯彻落实政府信息公开条例，主动公开政府信息。"
        ]
    );
    assert_eq!(paras(&blocks)[0].kind, ParaKind::Heading(1));
    assert_eq!(tables(&blocks).len(), 1);

    // <br> splits paragraphs; hidden and script content is chrome; source line breaks
    // between Chinese characters vanish, other white space collapses.
    let page = "<div id=\"zoom\">第一段文字，\n    接着写。<br>第二段 has  many   spaces<span style=\"display: none\">隐藏</span>\
        <script>var x = '<p>脚本</p>';</script><br/><b>加粗</b>与常规</div>";
    let (nodes, blocks) = parse_html_page(page);
    assert_tiles(&nodes, 0..page.len());
    let ps = paras(&blocks);
    let texts: Vec<&str> = ps.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "第一段文字，接着写。",
            "第二段 has many spaces",
            "加粗与常规"
        ]
    );
    assert_eq!(ps[2].bold().collect::<Vec<_>>(), vec![0.."加粗".len()]);

    // No tags at all, or no Chinese: still tiles.
    for page in [
        "plain text only",
        "",
        "<p>English only</p><p>second</p>",
        "<<<>>>&&&;;",
    ] {
        let (nodes, _) = parse_html_page(page);
        assert_tiles(&nodes, 0..page.len());
    }
}

#[test]
fn html_entity_decoding() {
    let cases = [
        ("&nbsp;", Some((6, "\u{a0}"))),
        ("&nbsp", Some((5, "\u{a0}"))),
        ("&amp;x", Some((5, "&"))),
        ("&#160;", Some((6, "\u{a0}"))),
        ("&#xa0", Some((5, "\u{a0}"))),
        ("&#150;", Some((6, "–"))),
        ("&#0;", Some((4, "\u{fffd}"))),
        ("&#99999999999;", Some((14, "\u{fffd}"))),
        ("&hearts;", Some((8, "♥"))),
        ("&notit;", Some((4, "¬"))),
        ("&zzz;", None),
        ("& ", None),
        ("&#;", None),
    ];
    for (src, want) in cases {
        let got = entity_at(src, 0, src.len());
        assert_eq!(got.as_ref().map(|(l, s)| (*l, s.as_str())), want, "{src}");
    }
}

const FRAGMENTS: &[&str] = &[
    "<table>",
    "</table>",
    "<p style=\"Display: none\" hidden class=\"share-box Title\">",
    "<meta name=\"ArticleTitle\" content=\" 标题 \">",
    "<o:p>",
    "</o:p>",
    "<td colspan=2 colspan=5 id=zoom>",
    "<tr>",
    "</tr>",
    "<td>",
    "</td>",
    "<th rowspan=\"2\">",
    "<td colspan=3>",
    "<TD ROWSPAN='999999'>",
    "<br>",
    "<br/>",
    "<p>",
    "</p>",
    "<div class=\"TRS_Editor\">",
    "</div>",
    "<script>",
    "</script>",
    "<style>",
    "<!--",
    "-->",
    "<!DOCTYPE html>",
    "&nbsp;",
    "&amp",
    "&#x",
    "&#12345;",
    "<",
    ">",
    "\"",
    "'",
    "=",
    " ",
    "\n",
    "\r\n",
    "中文",
    "一、总体情况",
    "123",
    "<h1>",
    "</h1>",
    "<strong>",
    "</strong>",
    "<td colspan=\"",
    "<title>",
    "</title>",
    "<meta name=\"ArticleTitle\" content=\"一、总体情况\">",
    "<span style=\"display:none\">",
    "</span>",
    "<tbody>",
    "<caption>",
    "<li>",
    "<textarea>",
    "<plaintext>",
    "\u{3000}",
    "\u{a0}",
    "é",
];

fn html_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..80).prop_map(|v| v.concat())
}

/// The tokens of `src` as `html5gum`'s `DefaultEmitter` reports them (a name,
/// a map of attributes and their strings per tag), read the way `lex` reads its
/// own events: what `lex` must keep giving.
fn reference_tokens(src: &str) -> (Vec<String>, Option<String>) {
    use super::lex::{read_attributes, Kind, Tok};
    use super::tags::tag_of;
    use html5gum::{DefaultEmitter, Token, Tokenizer};
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    emitter.naively_switch_states(true);
    let (mut out, mut article_title, mut last) = (Vec::new(), None, 0);
    for item in Tokenizer::new_with_emitter(src, emitter) {
        let Ok(token) = item;
        let tok = match &token {
            Token::StartTag(t) => {
                let mut tok = Tok::new(Kind::Start, t.span.start, t.span.end);
                tok.set_tag(tag_of(&t.name), &t.name);
                let attr = |name: &[u8]| t.attributes.get(name).map(|v| v.value.as_slice());
                read_attributes(&mut tok, t.self_closing, attr, &mut article_title);
                tok
            }
            Token::EndTag(t) => {
                let mut tok = Tok::new(Kind::End, t.span.start, t.span.end);
                tok.set_tag(tag_of(&t.name), &t.name);
                tok
            }
            Token::Comment(c) => Tok::new(Kind::Comment, c.span.start, c.span.end),
            Token::Doctype(d) => Tok::new(Kind::Doctype, d.span.start, d.span.end),
            Token::String(_) | Token::Error(_) => continue,
        };
        // The spans `lex` keeps (see `lex`).
        let (s, e) = (tok.start(), tok.end());
        let sane = s >= last
            && e > s
            && e <= src.len()
            && src.is_char_boundary(s)
            && src.is_char_boundary(e)
            && src.as_bytes().get(s) == Some(&b'<');
        if sane {
            out.push(format!("{tok:?}"));
            last = e;
        }
    }
    (out, article_title)
}

/// The tokens `lex` keeps of `src` that the tokenizer reported (not the text
/// between them), and the page's title meta.
fn lexed_tokens(src: &str) -> (Vec<String>, Option<String>) {
    use super::lex::Kind;
    let lexed = super::lex::lex(src, 0..src.len());
    let toks = &lexed.toks;
    let kept = toks
        .range(0, toks.len())
        .filter(|t| !matches!(t.kind, Kind::Text | Kind::Raw))
        .map(|t| format!("{t:?}"))
        .collect();
    (kept, lexed.article_title)
}

#[test]
fn tokens_are_those_of_the_default_emitter() {
    let page = fixture("pingtan-2023.page.html");
    let odd = "<P CLASS=\"Zoom  Share\" class=x STYLE=\"Display : None\" id=\" TRS_Editor \"><td colspan=2 colspan=3 rowspan=\"+07x\"></p class=y><meta name=ArticleTitle content=\" 年报 \"><meta name=articletitle content=second><x-y/><div title hidden>";
    for src in [page.as_str(), odd] {
        let (ours, title) = lexed_tokens(src);
        let (theirs, their_title) = reference_tokens(src);
        assert_eq!(ours, theirs);
        assert_eq!(title, their_title);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn html_prop_tokens_are_those_of_the_default_emitter(s in html_soup(), t in ".{0,80}") {
        for src in [s.clone(), format!("{s}{t}"), format!("{t}{s}")] {
            prop_assert_eq!(lexed_tokens(&src), reference_tokens(&src));
        }
    }

    #[test]
    fn html_prop_arbitrary_strings_tile(s in ".{0,200}") {
        let (node, _) = parse_html_table(&s, 0..s.len());
        assert_tiles(std::slice::from_ref(&node), 0..s.len());
        let (nodes, _) = parse_html_page(&s);
        assert_tiles(&nodes, 0..s.len());
    }

    #[test]
    fn html_prop_tag_soup_tiles(prefix in html_soup(), body in html_soup(), suffix in html_soup()) {
        let s = format!("{prefix}{body}{suffix}");
        let range = prefix.len()..prefix.len() + body.len();
        let (node, t) = parse_html_table(&s, range.clone());
        assert_tiles(std::slice::from_ref(&node), range);
        let width = grid(&t).first().map_or(0, Vec::len);
        prop_assert!(grid(&t).iter().all(|r| r.len() == width));
        for row in &grid(&t) {
            for idx in row.iter().flatten() {
                prop_assert!(*idx < cells(&t).len());
            }
        }
        let (nodes, blocks) = parse_html_page(&s);
        assert_tiles(&nodes, 0..s.len());
        for b in &blocks {
            if let Block::Para(p) = b {
                prop_assert!(!p.text.is_empty());
                let mut pos = 0;
                for piece in p.pieces() {
                    prop_assert_eq!(piece.text.start, pos);
                    pos = piece.text.end;
                }
                prop_assert_eq!(pos, p.text.len());
            }
        }
    }
}

proptest! {
    // Each case parses the 118 KB page twice: fewer cases.
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn html_prop_mutated_page_tiles(a in 0usize..120_000, b in 0usize..120_000, junk in html_soup()) {
        let page = fixture("pingtan-2023.page.html");
        let floor = |mut i: usize| {
            i = i.min(page.len());
            while !page.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let (a, b) = (floor(a.min(b)), floor(a.max(b)));
        // Cut a stretch out and put tag soup in its place; also the page cut short at `a`.
        let mutated = format!("{}{}{}", &page[..a], junk, &page[b..]);
        let (nodes, _) = parse_html_page(&mutated);
        assert_tiles(&nodes, 0..mutated.len());
        let (nodes, _) = parse_html_page(&page[..a]);
        assert_tiles(&nodes, 0..a);
    }
}

#[test]
fn tokens_and_elements_stay_small() {
    // A page of short tags holds a token every few bytes and an element every
    // dozen: their size is what such a page costs per byte.
    assert!(std::mem::size_of::<super::elements::Elem>() <= 24);
    // The tokens are packed: a few bytes a token, whatever the input's size.
    for (piece, per_token) in [
        ("<table><tr><td>", 4),
        ("<table><tr><td>1\n", 4),
        ("<table><tr><td>1</td></tr></table>正文\n", 4),
        ("<o:p></o:p>", 9),
    ] {
        for copies in [1_000, 10_000] {
            let text = piece.repeat(copies);
            let toks = super::lex::lex(&text, 0..text.len()).toks;
            let per = toks.heap_bytes() as f64 / toks.len() as f64;
            assert!(
                per <= f64::from(per_token),
                "{piece}: {per:.1} bytes a token at {copies} copies"
            );
        }
    }
}

#[test]
fn every_tag_is_one_byte_and_back() {
    use super::tags::Tag;
    let known: Vec<u8> = (0..=u8::MAX)
        .filter(|&c| Tag::from_code(c) != Tag::Other)
        .collect();
    for &c in &known {
        assert_eq!(Tag::from_code(c).code(), c);
    }
    // `Other` is 0 and `Xmp` the last: every tag in between reads back.
    assert_eq!(known.len(), usize::from(Tag::Xmp.code()));
    assert_eq!(Tag::from_code(Tag::H3.code()).heading_level(), Some(3));
}

#[test]
fn packed_tokens_read_back_in_any_order() {
    // Every token read by index, in order, backwards and by a cursor, is the
    // same, and the tokens tile the input.
    let text = format!(
        "<!DOCTYPE html><p class=\"zoom share\" style=\"display:none\">一&amp;二<o:p></o:p>{}<td colspan=3 rowspan=70000>x</td><br/><!-- c --><td colspan",
        "<table><tr><td>1\n".repeat(100)
    );
    let toks = super::lex::lex(&text, 0..text.len()).toks;
    let forward: Vec<_> = toks
        .range(0, toks.len())
        .map(|t| format!("{t:?}"))
        .collect();
    assert_eq!(forward.len(), toks.len());
    let backward: Vec<_> = (0..toks.len())
        .rev()
        .map(|i| format!("{:?}", toks.get(i).expect("in range")))
        .collect();
    assert!(forward.iter().eq(backward.iter().rev()));
    let mut cursor = toks.cursor();
    for i in (0..toks.len())
        .step_by(7)
        .chain((0..toks.len()).step_by(33).rev())
    {
        assert_eq!(
            format!("{:?}", cursor.get(i).expect("in range")),
            forward[i]
        );
    }
    assert!(toks.get(toks.len()).is_none());
    let mut at = 0;
    for t in toks.range(0, toks.len()) {
        assert_eq!(t.start(), at);
        at = t.end();
    }
    assert_eq!(at, text.len());
    let cell = toks
        .range(0, toks.len())
        .find(|t| t.tag == super::tags::Tag::Td && t.col_span() == 3)
        .expect("the spanning cell");
    assert_eq!(cell.row_span(), u16::MAX);
}

#[test]
fn nested_tables_go_out_leaf_by_leaf() {
    // A table nested a thousand deep, never closed, and a thousand rows: the
    // rows and cells are opened and closed around their leaves, never handed out
    // as one node holding them all.
    for page in [
        "<table><tr><td>".repeat(1000),
        format!(
            "<table>{}</table>",
            "<tr><td>1</td><td>2</td></tr>\n".repeat(1000)
        ),
    ] {
        let source = Arc::new(page.clone());
        let (mut whole, mut largest, mut opened) = (Whole::default(), 0, 0);
        super::parse_html_page(&source, &TableSource::new(source.clone()), &mut |part| {
            match &part {
                Streamed::Node(node) => largest = largest.max(node.leaves().count()),
                Streamed::Open(..) => opened += 1,
                Streamed::Close => {}
            }
            whole.take(part);
        });
        assert!(largest <= 2, "a node of {largest} leaves went out whole");
        assert!(opened >= 3, "the table, a row and a cell are opened");
        assert_tiles(&whole.done, 0..page.len());
    }
}
