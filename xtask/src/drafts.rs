//! `cargo xtask drafts`: Word drafts of real reports, made by filling a copy of
//! the official 2021 template (`tests/fixtures/national-2021-template.docx`)
//! with a report's text and figures — what a body does when it writes its
//! report in the template. The template's package is kept (styles, settings,
//! merged cells, its paragraphs' formatting); only `word/document.xml` changes:
//!
//! - the template's title becomes the report's, and the report's paragraphs
//!   before its first section follow it;
//! - each section heading (`一、总体情况` …) takes the report's heading, and the
//!   paragraphs of that section replace the template's instruction
//!   (`（文字描述）`), in its formatting; a section without one (its table is
//!   the section) gets its paragraphs after its table;
//! - each table's empty cells take the report's figures, cell for cell (the
//!   template's cells, less those a vertical merge continues, in the order of
//!   the report's HTML table's cells; the labels stay the template's).
//!
//! The drafts are written to `tests/fixtures/drafts/NAME.docx`.

use std::io::{Cursor, Read, Write};
use std::path::Path;

use anyhow::{bail, Context};
use quick_xml::events::{BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};

/// The reports made into drafts.
const REPORTS: [&str; 1] = ["pingtan-2024"];

/// Writes every draft.
pub fn run(root: &Path) -> anyhow::Result<()> {
    let template = std::fs::read(root.join("tests/fixtures/national-2021-template.docx"))
        .context("reading the template")?;
    let dir = root.join("tests/fixtures/drafts");
    std::fs::create_dir_all(&dir)?;
    for name in REPORTS {
        let md = std::fs::read_to_string(root.join(format!("tests/fixtures/{name}.md")))
            .with_context(|| format!("reading {name}.md"))?;
        let draft = fill(&template, &Report::of(&md))?;
        let path = dir.join(format!("{name}.docx"));
        std::fs::write(&path, draft)?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

/// What a report gives the template.
#[derive(Debug, Default)]
struct Report {
    title: String,
    /// Paragraphs before the first section.
    intro: Vec<String>,
    /// Per section, its heading and paragraphs.
    sections: Vec<(String, Vec<String>)>,
    /// Per table, its rows of cell texts.
    tables: Vec<Vec<Vec<String>>>,
}

impl Report {
    /// Reads the Markdown of a fixture: one paragraph a line, HTML tables, a
    /// comment line.
    fn of(md: &str) -> Report {
        let mut report = Report::default();
        let mut table: Option<Vec<Vec<String>>> = None;
        for line in md.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with("<!--") {
                continue;
            }
            if line.starts_with("<table") {
                table = Some(Vec::new());
                continue;
            }
            if line.starts_with("</table") {
                report.tables.extend(table.take());
                continue;
            }
            if let Some(rows) = table.as_mut() {
                if line.starts_with("<tr") {
                    rows.push(cells(line));
                }
                continue;
            }
            if report.title.is_empty() {
                report.title = line.to_string();
            } else if is_heading(line) {
                report.sections.push((line.to_string(), Vec::new()));
            } else if let Some((_, paragraphs)) = report.sections.last_mut() {
                paragraphs.push(line.to_string());
            } else {
                report.intro.push(line.to_string());
            }
        }
        report
    }
}

/// `一、总体情况`: a section heading.
fn is_heading(line: &str) -> bool {
    let numeral = line
        .chars()
        .take_while(|c| "一二三四五六七八九十".contains(*c))
        .count();
    numeral > 0 && line.chars().nth(numeral) == Some('、')
}

/// The texts of a row's `<td>` cells (`<br>` dropped: in Word a cell wraps itself).
fn cells(row: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = row;
    while let Some(i) = rest.find("<td") {
        let Some(open_end) = rest[i..].find('>') else {
            break;
        };
        let content = &rest[i + open_end + 1..];
        let Some(close) = content.find("</td>") else {
            break;
        };
        out.push(content[..close].replace("<br>", ""));
        rest = &content[close + 5..];
    }
    out
}

/// A small tree of the XML: elements with their children, anything else as its event.
#[derive(Clone, Debug)]
enum Xml {
    Element {
        start: BytesStart<'static>,
        children: Vec<Xml>,
        empty: bool,
    },
    Other(Event<'static>),
}

impl Xml {
    fn is(&self, name: &[u8]) -> bool {
        matches!(self, Xml::Element { start, .. } if start.name().as_ref() == name)
    }

    fn children(&self) -> &[Xml] {
        match self {
            Xml::Element { children, .. } => children,
            Xml::Other(_) => &[],
        }
    }

    fn children_mut(&mut self) -> Option<&mut Vec<Xml>> {
        match self {
            Xml::Element { children, .. } => Some(children),
            Xml::Other(_) => None,
        }
    }

    fn element(name: &str, children: Vec<Xml>) -> Xml {
        Xml::Element {
            start: BytesStart::new(name.to_string()),
            children,
            empty: false,
        }
    }

    /// The text of the `w:t` elements inside.
    fn text(&self) -> String {
        let mut out = String::new();
        self.collect_text(false, &mut out);
        out
    }

    fn collect_text(&self, in_t: bool, out: &mut String) {
        match self {
            Xml::Element { children, .. } => {
                let in_t = in_t || self.is(b"w:t");
                for c in children {
                    c.collect_text(in_t, out);
                }
            }
            Xml::Other(Event::Text(t)) if in_t => {
                out.push_str(&t.decode().unwrap_or_default());
            }
            Xml::Other(_) => {}
        }
    }
}

fn parse(xml: &[u8]) -> anyhow::Result<Vec<Xml>> {
    let mut reader = Reader::from_reader(xml);
    let mut stack: Vec<(BytesStart<'static>, Vec<Xml>)> = Vec::new();
    let mut top = Vec::new();
    loop {
        let event = reader.read_event()?;
        let node = match event {
            Event::Start(s) => {
                stack.push((s.into_owned(), Vec::new()));
                continue;
            }
            Event::End(_) => {
                let Some((start, children)) = stack.pop() else {
                    bail!("an end tag without its start");
                };
                Xml::Element {
                    start,
                    children,
                    empty: false,
                }
            }
            Event::Empty(s) => Xml::Element {
                start: s.into_owned(),
                children: Vec::new(),
                empty: true,
            },
            Event::Eof => break,
            other => Xml::Other(other.into_owned()),
        };
        match stack.last_mut() {
            Some((_, children)) => children.push(node),
            None => top.push(node),
        }
    }
    Ok(top)
}

fn write(nodes: &[Xml], w: &mut Writer<Vec<u8>>) -> anyhow::Result<()> {
    for node in nodes {
        match node {
            Xml::Element {
                start,
                children,
                empty,
            } => {
                if *empty && children.is_empty() {
                    w.write_event(Event::Empty(start.borrow()))?;
                } else {
                    w.write_event(Event::Start(start.borrow()))?;
                    write(children, w)?;
                    w.write_event(Event::End(start.to_end()))?;
                }
            }
            Xml::Other(event) => w.write_event(event.borrow())?,
        }
    }
    Ok(())
}

/// The template's package with its `word/document.xml` filled with the report.
fn fill(template: &[u8], report: &Report) -> anyhow::Result<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(template))?;
    let mut document = Vec::new();
    archive
        .by_name("word/document.xml")?
        .read_to_end(&mut document)?;
    let mut nodes = parse(&document)?;
    let body = nodes
        .iter_mut()
        .find(|n| n.is(b"w:document"))
        .and_then(|d| d.children_mut()?.iter_mut().find(|n| n.is(b"w:body")))
        .and_then(Xml::children_mut)
        .context("the template has no w:body")?;
    *body = fill_body(std::mem::take(body), report)?;
    let mut w = Writer::new(Vec::new());
    write(&nodes, &mut w)?;
    let document = w.into_inner();

    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let file = archive.by_index_raw(i)?;
        if file.name() == "word/document.xml" {
            continue;
        }
        out.raw_copy_file(file)?;
    }
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        // A fixed time: the same draft, byte for byte, at every run.
        .last_modified_time(zip::DateTime::default());
    out.start_file("word/document.xml", options)?;
    out.write_all(&document)?;
    Ok(out.finish()?.into_inner())
}

fn fill_body(body: Vec<Xml>, report: &Report) -> anyhow::Result<Vec<Xml>> {
    let mut out = Vec::new();
    let mut section: Option<usize> = None;
    let mut tables = 0;
    // A section's paragraphs wait for its instruction paragraph, or its table.
    let mut placed = vec![false; report.sections.len()];
    let mut headings = 0;
    for node in body {
        if node.is(b"w:p") {
            let text = node.text();
            let trimmed = text.trim();
            if trimmed.contains("年度报告格式模板") {
                out.push(with_text(&node, &report.title));
                for p in &report.intro {
                    out.push(with_text(&node, p));
                }
                continue;
            }
            if is_heading(trimmed) {
                if let Some((heading, _)) = report.sections.get(headings) {
                    section = Some(headings);
                    headings += 1;
                    out.push(with_text(&node, heading));
                    continue;
                }
            }
            if trimmed.starts_with("（文字描述") {
                if let Some(s) = section.filter(|s| !placed[*s]) {
                    placed[s] = true;
                    for p in &report.sections[s].1 {
                        out.push(with_text(&node, p));
                    }
                }
                continue;
            }
            out.push(node);
        } else if node.is(b"w:tbl") {
            let Some(figures) = report.tables.get(tables) else {
                bail!("the report has fewer tables than the template");
            };
            tables += 1;
            let filled = fill_table(node, figures)?;
            // The paragraphs that go with the table come from the paragraph after it.
            let model = paragraph_model(&out);
            out.push(filled);
            if let (Some(s), Some(model)) = (section, model) {
                if !placed[s] && !report.sections[s].1.is_empty() {
                    placed[s] = true;
                    for p in &report.sections[s].1 {
                        out.push(with_text(&model, p));
                    }
                }
            }
        } else {
            out.push(node);
        }
    }
    if headings != report.sections.len() {
        bail!(
            "the report has {} sections, the template {headings}",
            report.sections.len()
        );
    }
    Ok(out)
}

/// The last paragraph with text before a place, to copy its formatting.
fn paragraph_model(out: &[Xml]) -> Option<Xml> {
    out.iter()
        .rev()
        .find(|n| n.is(b"w:p") && !n.text().trim().is_empty())
        .cloned()
}

/// A copy of a paragraph with its properties and its first run's properties,
/// holding `text`.
fn with_text(p: &Xml, text: &str) -> Xml {
    let mut children: Vec<Xml> = p
        .children()
        .iter()
        .filter(|c| c.is(b"w:pPr"))
        .cloned()
        .collect();
    let run_props = p
        .children()
        .iter()
        .find(|c| c.is(b"w:r"))
        .and_then(|r| r.children().iter().find(|c| c.is(b"w:rPr")).cloned());
    let mut t = BytesStart::new("w:t");
    t.push_attribute(("xml:space", "preserve"));
    let t = Xml::Element {
        start: t,
        children: vec![Xml::Other(Event::Text(BytesText::new(text).into_owned()))],
        empty: false,
    };
    let mut run = Vec::new();
    run.extend(run_props);
    run.push(t);
    children.push(Xml::element("w:r", run));
    match p {
        Xml::Element { start, .. } => Xml::Element {
            start: start.clone(),
            children,
            empty: false,
        },
        Xml::Other(_) => Xml::element("w:p", children),
    }
}

/// A table whose empty cells take the report's figures.
fn fill_table(mut table: Xml, figures: &[Vec<String>]) -> anyhow::Result<Xml> {
    let rows = table
        .children_mut()
        .context("a table element")?
        .iter_mut()
        .filter(|n| n.is(b"w:tr"));
    for (r, row) in rows.enumerate() {
        let Some(values) = figures.get(r) else {
            bail!("the report's table has fewer rows than the template's");
        };
        let cells = row
            .children_mut()
            .context("a row element")?
            .iter_mut()
            .filter(|n| n.is(b"w:tc") && !continues_merge(n));
        for (c, cell) in cells.enumerate() {
            let Some(value) = values.get(c) else {
                bail!(
                    "row {} of the report's table has fewer cells than the template's",
                    r + 1
                );
            };
            let empty = cell
                .text()
                .chars()
                .all(|ch| ch.is_whitespace() || ch == '\u{3000}');
            if !empty {
                continue;
            }
            let children = cell.children_mut().context("a cell element")?;
            if let Some(i) = children.iter().position(|n| n.is(b"w:p")) {
                children[i] = with_text(&children[i], value);
            }
        }
    }
    Ok(table)
}

/// A `w:tc` whose `w:vMerge` continues the cell above.
fn continues_merge(tc: &Xml) -> bool {
    tc.children()
        .iter()
        .filter(|c| c.is(b"w:tcPr"))
        .flat_map(|p| p.children())
        .any(|c| match c {
            Xml::Element { start, .. } if start.name().as_ref() == b"w:vMerge" => start
                .try_get_attribute("w:val")
                .ok()
                .flatten()
                .is_none_or(|v| v.value.as_ref() != b"restart"),
            _ => false,
        })
}
