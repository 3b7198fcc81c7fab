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
//! - each table's empty cells take the report's figures, cell for cell: the
//!   template's cell at grid row R and column C (its `w:gridSpan`s counted, a
//!   cell that a vertical merge continues left as it is) takes the text of the
//!   report's cell that starts at R and C (the labels stay the template's).
//!
//! The report is read as the check reads it: its logical paragraphs and tables
//! after the grammar's repairs of conversion artefacts — a PDF's hard wraps
//! joined into paragraphs, page-number lines dropped, a title split over two
//! lines joined, and a table split across pages merged into one (NB014), so
//! that its parts fill the template's one table (the template has no
//! automatic numbering: its numbers are text, and stay so).
//!
//! Beside the plain fills, three drafts that a reader of Word documents meets:
//!
//! - `pingtan-2024-revised.docx`: one figure of the narrative changed with
//!   Track Changes on (`w:del`/`w:ins`, with author and date), so the text as
//!   accepted differs from the original;
//! - `pingtan-2024-split-table.docx`: the application table split in two at a
//!   page break, its three header rows repeated on the second part (marked
//!   `w:tblHeader`), as a writer does to force a page break inside a table;
//! - `pingtan-2023-libreoffice.docx`: `pingtan-2023.md` rendered as an HTML
//!   page and saved as `.docx` by LibreOffice (`soffice --headless
//!   --convert-to docx`), when `soffice` is installed; without it this one is
//!   skipped with a message (the committed file stays).
//!
//! With `soffice`, the annotated copy of `pingtan-2024-revised.docx` (the
//! comments `check --annotate` writes) is also converted to PDF and to
//! OpenDocument, as a check that an annotated draft opens in another reader
//! with every comment in place (neither file is kept).
//!
//! The drafts are written to `tests/fixtures/drafts/NAME.docx`.

use std::io::{Cursor, Read, Write};
use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context};
use nianbao_model::grammar::{self, Block};
use quick_xml::events::{BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};

/// The reports filled into the template as they are.
const REPORTS: [&str; 2] = ["pingtan-2024", "huaian-2024"];

/// The figure changed with Track Changes on in `pingtan-2024-revised.docx`: in
/// the paragraph holding `.0`, the figure `.1` becomes `.2`.
const REVISION: (&str, &str, &str) = ("全年办理政府信息公开申请218件", "218", "219");

/// The table split in `pingtan-2024-split-table.docx` (from 1), the rows of the
/// first part, and the header rows repeated on the second.
const SPLIT: (usize, usize, usize) = (2, 16, 3);

/// The report saved by LibreOffice from HTML.
const LIBREOFFICE: &str = "pingtan-2023";

/// Writes every draft.
pub fn run(root: &Path) -> anyhow::Result<()> {
    let template = std::fs::read(root.join("tests/fixtures/national-2021-template.docx"))
        .context("reading the template")?;
    let dir = root.join("tests/fixtures/drafts");
    std::fs::create_dir_all(&dir)?;
    let report = |name: &str| -> anyhow::Result<Report> {
        let md = std::fs::read(root.join(format!("tests/fixtures/{name}.md")))
            .with_context(|| format!("reading {name}.md"))?;
        Ok(Report::of(&md))
    };
    let write = |name: &str, bytes: Vec<u8>| -> anyhow::Result<()> {
        let path = dir.join(format!("{name}.docx"));
        std::fs::write(&path, bytes)?;
        println!("wrote {}", path.display());
        Ok(())
    };
    for name in REPORTS {
        write(name, fill(&template, &report(name)?, &Variant::Plain)?)?;
    }
    let pingtan = report("pingtan-2024")?;
    write(
        "pingtan-2024-revised",
        fill(&template, &pingtan, &Variant::Revised(REVISION))?,
    )?;
    write(
        "pingtan-2024-split-table",
        fill(&template, &pingtan, &Variant::Split(SPLIT))?,
    )?;
    libreoffice(root, &dir)
}

/// A draft beside the plain fill.
enum Variant {
    Plain,
    /// A figure changed with Track Changes on (see [`REVISION`]).
    Revised((&'static str, &'static str, &'static str)),
    /// A table split at a page break (see [`SPLIT`]).
    Split((usize, usize, usize)),
}

/// What a report gives the template.
#[derive(Debug, Default)]
struct Report {
    title: String,
    /// Paragraphs before the first section.
    intro: Vec<String>,
    /// Per section, its heading and paragraphs.
    sections: Vec<(String, Vec<String>)>,
    /// Per table, its grid: the text of the cell that starts at each row and column.
    tables: Vec<Vec<Vec<Option<String>>>>,
}

impl Report {
    /// Reads a fixture as the check does: its logical paragraphs and tables,
    /// after the repairs of conversion artefacts.
    fn of(bytes: &[u8]) -> Report {
        let parsed = grammar::parse(bytes);
        let mut report = Report::default();
        for block in &parsed.blocks {
            match block {
                Block::Table(t) => {
                    let mut grid = vec![vec![None; t.width()]; t.row_count()];
                    for cell in t.cells() {
                        if let Some(slot) = grid.get_mut(cell.row).and_then(|r| r.get_mut(cell.col))
                        {
                            // In Word a cell wraps itself: its line breaks go.
                            *slot = Some(cell.text.replace('\n', ""));
                        }
                    }
                    report.tables.push(grid);
                }
                Block::Para(p) => {
                    let line = p.text.as_str().trim();
                    if line.is_empty() {
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
fn fill(template: &[u8], report: &Report, variant: &Variant) -> anyhow::Result<Vec<u8>> {
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
    match variant {
        Variant::Plain => {}
        Variant::Revised(revision) => revise(body, *revision)?,
        Variant::Split(split) => split_table(body, *split)?,
    }
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
            let Some(grid) = report.tables.get(tables) else {
                bail!("the report has fewer tables than the template");
            };
            tables += 1;
            let filled =
                fill_table(node, grid).with_context(|| format!("filling table {tables}"))?;
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
    if tables != report.tables.len() {
        bail!(
            "the report has {} tables, the template {tables}",
            report.tables.len()
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

/// A `w:t` (or `w:delText`) element holding `text`, spaces kept.
fn text_element(name: &str, text: &str) -> Xml {
    let mut t = BytesStart::new(name.to_string());
    t.push_attribute(("xml:space", "preserve"));
    Xml::Element {
        start: t,
        children: vec![Xml::Other(Event::Text(BytesText::new(text).into_owned()))],
        empty: false,
    }
}

/// A run with the properties `props` holding `t`.
fn run_of(props: Option<&Xml>, t: Xml) -> Xml {
    let mut children: Vec<Xml> = props.into_iter().cloned().collect();
    children.push(t);
    Xml::element("w:r", children)
}

/// The properties of a paragraph's first run.
fn first_run_props(p: &Xml) -> Option<Xml> {
    p.children()
        .iter()
        .find(|c| c.is(b"w:r"))
        .and_then(|r| r.children().iter().find(|c| c.is(b"w:rPr")).cloned())
}

/// A copy of a paragraph, its properties kept, holding `runs` in place of its own.
fn with_runs(p: &Xml, runs: Vec<Xml>) -> Xml {
    let mut children: Vec<Xml> = p
        .children()
        .iter()
        .filter(|c| c.is(b"w:pPr"))
        .cloned()
        .collect();
    children.extend(runs);
    match p {
        Xml::Element { start, .. } => Xml::Element {
            start: start.clone(),
            children,
            empty: false,
        },
        Xml::Other(_) => Xml::element("w:p", children),
    }
}

/// A copy of a paragraph with its properties and its first run's properties,
/// holding `text`.
fn with_text(p: &Xml, text: &str) -> Xml {
    let props = first_run_props(p);
    with_runs(p, vec![run_of(props.as_ref(), text_element("w:t", text))])
}

/// A table whose empty cells take the report's figures: the template's cell at
/// grid row R, column C takes the text of the report's cell that starts there.
fn fill_table(mut table: Xml, grid: &[Vec<Option<String>>]) -> anyhow::Result<Xml> {
    let rows = table
        .children_mut()
        .context("a table element")?
        .iter_mut()
        .filter(|n| n.is(b"w:tr"));
    let mut template_rows = 0;
    for (r, row) in rows.enumerate() {
        template_rows += 1;
        let Some(values) = grid.get(r) else {
            bail!("the report's table has fewer rows than the template's");
        };
        let mut column = row_grid_before(row);
        for cell in row
            .children_mut()
            .context("a row element")?
            .iter_mut()
            .filter(|n| n.is(b"w:tc"))
        {
            let at = column;
            column += cell_span(cell);
            let empty = cell
                .text()
                .chars()
                .all(|ch| ch.is_whitespace() || ch == '\u{3000}');
            if !empty || continues_merge(cell) {
                continue;
            }
            let Some(value) = values.get(at).cloned().flatten() else {
                bail!(
                    "the report's table has no cell at row {}, column {} where the template's is empty",
                    r + 1,
                    at + 1
                );
            };
            let children = cell.children_mut().context("a cell element")?;
            if let Some(i) = children.iter().position(|n| n.is(b"w:p")) {
                children[i] = with_text(&children[i], &value);
            }
        }
    }
    if template_rows != grid.len() {
        bail!(
            "the report's table has {} rows, the template's {template_rows}",
            grid.len()
        );
    }
    Ok(table)
}

/// The `w:val` of the first `name` element among the children of `props` elements of `node`.
fn property(node: &Xml, props: &[u8], name: &[u8]) -> Option<String> {
    node.children()
        .iter()
        .filter(|c| c.is(props))
        .flat_map(|p| p.children())
        .find_map(|c| match c {
            Xml::Element { start, .. } if start.name().as_ref() == name => Some(
                start
                    .try_get_attribute("w:val")
                    .ok()
                    .flatten()
                    .map(|v| String::from_utf8_lossy(&v.value).into_owned())
                    .unwrap_or_default(),
            ),
            _ => None,
        })
}

/// The grid columns a cell covers (`w:gridSpan`).
fn cell_span(tc: &Xml) -> usize {
    property(tc, b"w:tcPr", b"w:gridSpan")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1usize)
        .max(1)
}

/// The grid columns left out before a row's first cell (`w:gridBefore`).
fn row_grid_before(tr: &Xml) -> usize {
    property(tr, b"w:trPr", b"w:gridBefore")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// A `w:tc` whose `w:vMerge` continues the cell above.
fn continues_merge(tc: &Xml) -> bool {
    property(tc, b"w:tcPr", b"w:vMerge").is_some_and(|v| v != "restart")
}

/// The paragraph holding `revision.0` rewritten as if edited with Track Changes
/// on: the figure `revision.1` in it deleted (`w:del`) and `revision.2`
/// inserted (`w:ins`), by one author at one time.
fn revise(body: &mut [Xml], revision: (&str, &str, &str)) -> anyhow::Result<()> {
    let (find, old, new) = revision;
    let at_figure = find.find(old).context("the figure is in the phrase")?;
    let p = body
        .iter_mut()
        .find(|n| n.is(b"w:p") && n.text().contains(find))
        .context("no paragraph holds the revised phrase")?;
    let text = p.text();
    let cut = text.find(find).context("the phrase")? + at_figure;
    let (before, after) = (&text[..cut], &text[cut + old.len()..]);
    let props = first_run_props(p);
    let change = |name: &str, id: &str, inner: Xml| {
        let mut start = BytesStart::new(name.to_string());
        start.push_attribute(("w:id", id));
        start.push_attribute(("w:author", "审核人"));
        start.push_attribute(("w:date", "2025-02-20T09:30:00Z"));
        Xml::Element {
            start,
            children: vec![run_of(props.as_ref(), inner)],
            empty: false,
        }
    };
    let runs = vec![
        run_of(props.as_ref(), text_element("w:t", before)),
        change("w:del", "9001", text_element("w:delText", old)),
        change("w:ins", "9002", text_element("w:t", new)),
        run_of(props.as_ref(), text_element("w:t", after)),
    ];
    *p = with_runs(p, runs);
    Ok(())
}

/// Table `split.0` (from 1) cut after its row `split.1` into two tables, a page
/// break between them, its first `split.2` rows repeated at the top of the
/// second part; those rows are marked as header rows (`w:tblHeader`) in both.
fn split_table(body: &mut Vec<Xml>, split: (usize, usize, usize)) -> anyhow::Result<()> {
    let (which, first_rows, headers) = split;
    let index = body
        .iter()
        .enumerate()
        .filter(|(_, n)| n.is(b"w:tbl"))
        .nth(which - 1)
        .map(|(i, _)| i)
        .context("no such table")?;
    let table = body[index].children_mut().context("a table element")?;
    for row in table.iter_mut().filter(|n| n.is(b"w:tr")).take(headers) {
        mark_header(row)?;
    }
    let mut first = Vec::new();
    let mut second = Vec::new();
    let mut header_rows = Vec::new();
    let mut rows = 0;
    for node in std::mem::take(table) {
        if node.is(b"w:tr") {
            rows += 1;
            if rows <= headers {
                header_rows.push(node.clone());
            }
            if rows <= first_rows {
                first.push(node);
            } else {
                second.push(node);
            }
        } else {
            // Properties and grid: in both parts.
            if rows == 0 {
                first.push(node.clone());
                second.push(node);
            } else {
                first.push(node);
            }
        }
    }
    if rows <= first_rows {
        bail!("the table has only {rows} rows");
    }
    *table = first;
    let at = second
        .iter()
        .position(|n| n.is(b"w:tr"))
        .context("a second part with rows")?;
    second.splice(at..at, header_rows);
    let mut page_break = BytesStart::new("w:br");
    page_break.push_attribute(("w:type", "page"));
    let break_para = Xml::element(
        "w:p",
        vec![Xml::element(
            "w:r",
            vec![Xml::Element {
                start: page_break,
                children: Vec::new(),
                empty: true,
            }],
        )],
    );
    body.splice(
        index + 1..index + 1,
        [break_para, Xml::element("w:tbl", second)],
    );
    Ok(())
}

/// Marks a row as a header row, repeated at the top of each page (`w:tblHeader`).
fn mark_header(row: &mut Xml) -> anyhow::Result<()> {
    let children = row.children_mut().context("a row element")?;
    let header = Xml::Element {
        start: BytesStart::new("w:tblHeader"),
        children: Vec::new(),
        empty: true,
    };
    match children.iter_mut().find(|n| n.is(b"w:trPr")) {
        Some(props) => {
            let props = props.children_mut().context("row properties")?;
            if !props.iter().any(|n| n.is(b"w:tblHeader")) {
                props.push(header);
            }
        }
        None => {
            let at = usize::from(children.first().is_some_and(|n| n.is(b"w:tblPrEx")));
            children.insert(at, Xml::element("w:trPr", vec![header]));
        }
    }
    Ok(())
}

/// The LibreOffice draft, and the PDF check of the plain one; both skipped
/// with a message when `soffice` is not installed.
fn libreoffice(root: &Path, dir: &Path) -> anyhow::Result<()> {
    let found = Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        println!(
            "skipped {LIBREOFFICE}-libreoffice.docx and the check of an annotated copy in LibreOffice: soffice is not installed; the committed draft stays"
        );
        return Ok(());
    }
    let work = std::env::temp_dir().join(format!("nianbao-drafts-{}", std::process::id()));
    std::fs::create_dir_all(&work)?;
    let result = libreoffice_in(root, dir, &work);
    let _ = std::fs::remove_dir_all(&work);
    result
}

fn libreoffice_in(root: &Path, dir: &Path, work: &Path) -> anyhow::Result<()> {
    // A profile of its own: another LibreOffice running does not take the conversion.
    let profile = format!(
        "-env:UserInstallation=file://{}",
        work.join("profile").display()
    );
    let soffice = |args: &[&str]| -> anyhow::Result<()> {
        let out = Command::new("soffice")
            .arg(&profile)
            .arg("--headless")
            .args(args)
            .arg("--outdir")
            .arg(work)
            .output()
            .context("running soffice")?;
        if !out.status.success() {
            bail!(
                "soffice {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(())
    };

    // The HTML report: the Markdown's paragraphs and tables as a page.
    let md = std::fs::read_to_string(root.join(format!("tests/fixtures/{LIBREOFFICE}.md")))?;
    let mut html =
        String::from("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>");
    let title = md
        .lines()
        .find(|l| !l.trim().is_empty() && !l.starts_with("<!--"))
        .unwrap_or_default();
    html.push_str(&title.trim().replace('&', "&amp;").replace('<', "&lt;"));
    html.push_str("</title></head><body>\n");
    // The fixture is one paragraph a line and HTML tables: each line a `<p>`,
    // the tables' lines as they are.
    for line in md.lines().map(str::trim) {
        if line.is_empty() || line.starts_with("<!--") {
            continue;
        }
        if line.starts_with('<') {
            html.push_str(line);
        } else {
            html.push_str("<p>");
            html.push_str(&line.replace('&', "&amp;").replace('<', "&lt;"));
            html.push_str("</p>");
        }
        html.push('\n');
    }
    html.push_str("</body></html>\n");
    let page = work.join(format!("{LIBREOFFICE}.html"));
    std::fs::write(&page, html)?;
    let page = page.to_string_lossy().to_string();
    // Read as a Writer document (not Writer/Web), saved as Word 2007–365.
    soffice(&[
        "--infilter=HTML (StarWriter)",
        "--convert-to",
        "docx:MS Word 2007 XML",
        &page,
    ])?;
    let made = std::fs::read(work.join(format!("{LIBREOFFICE}.docx")))
        .context("soffice wrote no .docx")?;
    let path = dir.join(format!("{LIBREOFFICE}-libreoffice.docx"));
    std::fs::write(&path, made)?;
    println!("wrote {} (LibreOffice, from HTML)", path.display());

    // The annotated copy of the revised draft (the CLI's `--annotate`, the
    // server's `?annotated=1`) opens in LibreOffice with its comments: made into
    // a PDF, and into OpenDocument, whose annotations are counted.
    let revised = std::fs::read(dir.join("pingtan-2024-revised.docx"))?;
    let checked = nianbao_model::check(&revised);
    let settings = nianbao_model::settings::Settings::default();
    let annotated = nianbao_model::annotate::annotate(
        &revised,
        &checked,
        &settings,
        "pingtan-2024-revised.docx",
    )
    .map_err(|m| anyhow::anyhow!("{}", m.en))?;
    if annotated.comments == 0 {
        bail!("pingtan-2024-revised.docx has no finding to comment on");
    }
    let copy = work.join("annotated.docx");
    std::fs::write(&copy, &annotated.bytes)?;
    let copy = copy.to_string_lossy().to_string();
    soffice(&["--convert-to", "pdf", &copy])?;
    let pdf = std::fs::read(work.join("annotated.pdf")).context("soffice wrote no PDF")?;
    // The page tree's `/Count`: the number of pages.
    let pages = pdf
        .windows(b"/Count ".len())
        .position(|w| w == b"/Count ")
        .map(|at| {
            pdf[at + b"/Count ".len()..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .fold(0usize, |n, b| n * 10 + usize::from(b - b'0'))
        })
        .unwrap_or(0);
    if !pdf.starts_with(b"%PDF-") || pages == 0 {
        bail!("LibreOffice made no valid PDF of the annotated pingtan-2024-revised.docx");
    }
    soffice(&["--convert-to", "odt", &copy])?;
    let odt = std::fs::read(work.join("annotated.odt")).context("soffice wrote no .odt")?;
    let mut content = String::new();
    zip::ZipArchive::new(Cursor::new(odt))?
        .by_name("content.xml")
        .context("the .odt has no content.xml")?
        .read_to_string(&mut content)?;
    let read = content.matches("<office:annotation ").count()
        + content.matches("<office:annotation>").count();
    if read != annotated.comments {
        bail!(
            "LibreOffice read {read} of the {} comments of the annotated pingtan-2024-revised.docx",
            annotated.comments
        );
    }
    println!(
        "checked the annotated pingtan-2024-revised.docx: {} comment(s), all read by LibreOffice; its PDF has {pages} pages ({} bytes)",
        annotated.comments,
        pdf.len()
    );
    Ok(())
}
