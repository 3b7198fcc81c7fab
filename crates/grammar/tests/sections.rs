//! Snapshots of the parse output, one per level-1 section of each fixture
//! (`tests/snapshots/zhongwei_2017__section_03.snap`): the outline under the
//! section, every logical paragraph in full and every table cell by cell.

use std::fmt::Write;
use std::path::PathBuf;

use nianbao_grammar::outline::Section;
use nianbao_grammar::{parse, Block, Parsed};

const FIXTURES: [&str; 9] = [
    "zhongwei-2017.md",
    "huaian-2024.md",
    "pingtan-2018.md",
    "pingtan-2023.md",
    "pingtan-2024.md",
    "pingtan-2025.md",
    "pingtan-caizhengjinrongju-2020.md",
    "pingtan-caizhengjinrongju-2025.md",
    "pingtan-2023.page.txt",
];

fn render_outline(parsed: &Parsed, s: &Section, depth: usize, out: &mut String) {
    let line = parsed.line_col(s.title_span.start).line;
    let _ = writeln!(
        out,
        "{:indent$}- L{} {} {} (line {line})",
        "",
        s.level,
        s.marker(),
        s.title(),
        indent = depth * 2
    );
    for c in &s.children {
        render_outline(parsed, c, depth + 1, out);
    }
}

fn render_blocks(parsed: &Parsed, from: usize, to: usize, out: &mut String) {
    for block in &parsed.blocks {
        match block {
            Block::Para(p) if p.span.start >= from && p.span.start < to => {
                let line = parsed.line_col(p.span.start).line;
                let _ = writeln!(
                    out,
                    "para (line {line}, {:?}):\n  {}",
                    p.kind,
                    p.text.replace('\n', "\n  ")
                );
            }
            Block::Table(t) if t.span().start >= from && t.span().start < to => {
                let lines: Vec<String> = t
                    .parts
                    .iter()
                    .map(|p| parsed.line_col(p.start).line.to_string())
                    .collect();
                let width = t.width();
                let _ = writeln!(
                    out,
                    "table ({:?}, {} rows x {width} cols, parts at lines {}):",
                    t.kind,
                    t.row_count(),
                    lines.join(", ")
                );
                for r in 0..t.row_count() {
                    let cells: Vec<String> = t
                        .row(r)
                        .enumerate()
                        .map(|(c, idx)| match idx.and_then(|i| t.cell(i)) {
                            None => "∅".to_string(),
                            // A merged cell is shown where it starts and as ^ where it continues.
                            Some(cell) if cell.row != r || cell.col != c => "^".to_string(),
                            Some(cell) => cell.text.replace('\n', "⏎"),
                        })
                        .collect();
                    let _ = writeln!(out, "  {}", cells.join(" | "));
                }
            }
            _ => {}
        }
    }
}

fn snapshot_name(fixture: &str, index: usize) -> String {
    let stem = fixture.trim_end_matches(".md").replace(['-', '.'], "_");
    format!("{stem}__section_{index:02}")
}

#[test]
fn sections_of_every_fixture() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../../../tests/snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for fixture in FIXTURES {
            let bytes = std::fs::read(dir.join(fixture)).expect("fixture readable");
            let parsed = parse(&bytes);
            let first = parsed
                .outline
                .first()
                .map_or(bytes.len(), |s| s.title_span.start);
            let mut front = String::new();
            render_blocks(&parsed, 0, first, &mut front);
            insta::assert_snapshot!(snapshot_name(fixture, 0), front);
            for (i, section) in parsed.outline.iter().enumerate() {
                let mut out = String::new();
                render_outline(&parsed, section, 0, &mut out);
                out.push('\n');
                render_blocks(
                    &parsed,
                    section.title_span.start,
                    section.body_span.end,
                    &mut out,
                );
                insta::assert_snapshot!(snapshot_name(fixture, i + 1), out);
            }
        }
    });
}
