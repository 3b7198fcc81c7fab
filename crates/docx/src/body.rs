//! `word/document.xml` read in one pass of XML events into blocks: paragraphs
//! (their pieces of text, each with the `w:r`/`w:t` it came from) and tables
//! (rows of cells with their `w:gridSpan` and `w:vMerge`, a cell holding
//! paragraphs and nested tables).
//!
//! What is read as Word shows the document with every change accepted: the text
//! of runs, tabs and line breaks; field results (not field codes, nor the
//! results of a table of contents, which repeat the headings); text boxes, after
//! the paragraph that anchors them; inserted text; not deleted or moved-away
//! text, hidden text (`w:vanish`), the fallback copy of a text box
//! (`mc:Fallback`), property changes or section properties. Headers, footers,
//! comments and notes are other parts and are not read.
//!
//! A table split in two at a page break is joined again ([`join_split_tables`]).

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::numbering::{Numbering, ParaNumbering};
use crate::xml::{attr, attr_int, XmlError};

/// Largest `w:gridSpan` honoured (as the HTML reader's largest `colspan`).
const MAX_SPAN: u32 = 1000;

/// Where a piece of text came from in the part: the `n`-th `w:r` and `w:t`
/// elements of the part in document order (counting every one, also those in
/// deleted text, field codes and fallbacks), and the character in that `w:t`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextSource {
    /// Index of the `w:r` element.
    pub run: u32,
    /// Index of the `w:t` element.
    pub text: u32,
    /// Character offset in the `w:t`'s text.
    pub char: u32,
}

/// A piece of a paragraph.
#[derive(Debug)]
pub(crate) enum Piece {
    /// Text of a `w:t`.
    Text(String, TextSource),
    /// The automatic number, before the text.
    Marker(String),
    /// `w:tab`.
    Tab,
    /// `w:br` (a line break inside the paragraph), `w:cr`.
    Break,
    /// Where a tracked change is (no text).
    Change,
}

/// A paragraph.
#[derive(Debug, Default)]
pub(crate) struct Para {
    pub pieces: Vec<Piece>,
    /// Whether it holds a page or column break (`w:br w:type="page"`).
    pub page_break: bool,
    /// Whether its paragraph mark is deleted in a tracked change
    /// (`w:pPr/w:rPr/w:del`, or moved away, `w:moveFrom`): accepted, its text
    /// runs on into the next paragraph ([`join_deleted_marks`]).
    pub mark_deleted: bool,
}

impl Para {
    /// Whether the paragraph has any text (a marker counts).
    pub fn has_text(&self) -> bool {
        self.pieces.iter().any(|p| match p {
            Piece::Text(t, _) | Piece::Marker(t) => !t.is_empty(),
            Piece::Tab | Piece::Break => true,
            Piece::Change => false,
        })
    }
}

/// How a cell takes part in a vertical merge.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum VMerge {
    #[default]
    None,
    Restart,
    Continue,
}

/// A cell.
#[derive(Debug, Default)]
pub(crate) struct Cell {
    pub blocks: Vec<Block>,
    pub span: u32,
    pub vmerge: VMerge,
}

/// A row.
#[derive(Debug, Default)]
pub(crate) struct Row {
    pub cells: Vec<Cell>,
    pub grid_before: u32,
    /// A header row, repeated at the top of each page (`w:tblHeader`).
    pub header: bool,
    deleted: bool,
}

/// A table.
#[derive(Debug, Default)]
pub(crate) struct Table {
    pub rows: Vec<Row>,
}

/// A block of the body, a cell or a text box.
#[derive(Debug)]
pub(crate) enum Block {
    Para(Para),
    Table(Table),
}

/// The body read.
#[derive(Debug, Default)]
pub(crate) struct Body {
    pub blocks: Vec<Block>,
    /// Tracked changes (insertions, deletions, moves).
    pub changes: usize,
    /// Tables or text boxes nested deeper than [`MAX_NESTING`] were read as
    /// paragraphs of the cell or box around them.
    pub flattened: bool,
}

/// How deep tables and text boxes nest as such; deeper ones are read as the
/// paragraphs of the cell or box around them (their text kept), so that no
/// document nests the blocks, the writer and their drop deeper than this.
pub(crate) const MAX_NESTING: u32 = 16;

enum Frame {
    Container(Vec<Block>),
    Para {
        para: Para,
        numbering: ParaNumbering,
        /// Text boxes anchored in it, read after it.
        after: Vec<Block>,
    },
    Table(Table),
    Row(Row),
    Cell(Cell),
    TextBox(Vec<Block>),
}

/// A field (`w:fldChar` begin … separate … end).
struct Field {
    /// Between begin and separate: the field code.
    code: bool,
    /// The start of its code, to know a table of contents.
    instr: String,
    /// Whether it hides what it holds (its code; a table of contents' result).
    hides: bool,
}

/// Elements whose content is not part of the text as accepted and shown.
fn skipped(name: &[u8]) -> bool {
    matches!(
        name,
        b"w:del"
            | b"w:moveFrom"
            | b"mc:Fallback"
            | b"w:delText"
            | b"w:delInstrText"
            | b"w:pPrChange"
            | b"w:rPrChange"
            | b"w:tcPrChange"
            | b"w:trPrChange"
            | b"w:tblPrChange"
            | b"w:tblGridChange"
            | b"w:sectPrChange"
            | b"w:numberingChange"
            | b"w:sectPr"
            | b"w:fldData"
    )
}

struct Walker<'n> {
    numbering: &'n mut Numbering,
    frames: Vec<Frame>,
    /// Depth inside a skipped element (0: not skipping).
    skip: u32,
    runs: u32,
    texts: u32,
    /// The `w:r` being read and whether its text is hidden.
    run: Option<(u32, bool)>,
    /// The `w:t` being read: its source so far.
    text: Option<TextSource>,
    in_ppr: u32,
    in_instr: bool,
    fields: Vec<Field>,
    hiding: usize,
    changes: usize,
    /// A change met outside any paragraph, marked in the next one.
    pending_change: bool,
    /// Per open `w:tbl`, `w:tr`, `w:tc`, `w:txbxContent`: whether it has a frame
    /// (false: read flat, beyond [`MAX_NESTING`]).
    structure: Vec<bool>,
    /// Open tables and text boxes with a frame.
    nesting: u32,
    /// Open tables and text boxes read flat.
    flat: u32,
    flattened: bool,
}

/// Reads the body; `Err` for malformed XML, with where.
pub(crate) fn read(xml: &[u8], numbering: &mut Numbering) -> Result<Body, XmlError> {
    let mut reader = Reader::from_reader(xml);
    let mut w = Walker {
        numbering,
        frames: vec![Frame::Container(Vec::new())],
        skip: 0,
        runs: 0,
        texts: 0,
        run: None,
        text: None,
        in_ppr: 0,
        in_instr: false,
        fields: Vec::new(),
        hiding: 0,
        changes: 0,
        pending_change: false,
        structure: Vec::new(),
        nesting: 0,
        flat: 0,
        flattened: false,
    };
    loop {
        let event = reader.read_event().map_err(|e| XmlError::new(&reader, e))?;
        match event {
            Event::Start(ref e) => w.start(e, false),
            Event::Empty(ref e) => w.start(e, true),
            Event::End(ref e) => w.end(e.name().as_ref()),
            Event::Text(ref t) => {
                let text = t.decode().map_err(|e| XmlError {
                    position: reader.buffer_position(),
                    message: e.to_string(),
                })?;
                w.text(&text);
            }
            Event::CData(ref t) => {
                let text = t.decode().map_err(|e| XmlError {
                    position: reader.buffer_position(),
                    message: e.to_string(),
                })?;
                w.text(&text);
            }
            Event::GeneralRef(ref r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => r
                        .decode()
                        .ok()
                        .and_then(|name| quick_xml::escape::resolve_predefined_entity(&name))
                        .map(str::to_string),
                };
                if let Some(s) = resolved {
                    w.text(&s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Whatever is still open (a body cut short is an XML error above; this is
    // defence against odd nesting) is closed in order.
    while w.frames.len() > 1 {
        w.close_top();
    }
    let mut blocks = match w.frames.pop() {
        Some(Frame::Container(blocks)) => blocks,
        _ => Vec::new(),
    };
    join_deleted_marks(&mut blocks);
    join_split_tables(&mut blocks);
    Ok(Body {
        blocks,
        changes: w.changes,
        flattened: w.flattened,
    })
}

impl Walker<'_> {
    fn start(&mut self, e: &BytesStart<'_>, empty: bool) {
        let name = e.name();
        let name = name.as_ref();
        // Every run and text element counts, wherever it is.
        match name {
            b"w:r" => {
                self.runs += 1;
                if !empty && self.skip == 0 {
                    self.run = Some((self.runs - 1, false));
                }
            }
            b"w:t" => {
                self.texts += 1;
                if !empty && self.skip == 0 {
                    if let Some((run, hidden)) = self.run {
                        if !hidden && self.hiding == 0 {
                            self.text = Some(TextSource {
                                run,
                                text: self.texts - 1,
                                char: 0,
                            });
                        }
                    }
                }
            }
            _ => {}
        }
        if self.skip > 0 {
            if !empty {
                self.skip += 1;
            }
            return;
        }
        if matches!(name, b"w:ins" | b"w:del" | b"w:moveFrom" | b"w:moveTo") {
            self.change();
            if matches!(name, b"w:del" | b"w:moveFrom") && self.in_ppr > 0 {
                // A deleted paragraph mark: `w:pPr/w:rPr/w:del`.
                if let Some(Frame::Para { para, .. }) = self.frames.last_mut() {
                    para.mark_deleted = true;
                }
            }
            if name == b"w:del" {
                // A deleted row: `w:trPr/w:del`.
                if let Some(Frame::Row(row)) = self.frames.last_mut() {
                    row.deleted = true;
                }
            }
        }
        if skipped(name) {
            if !empty {
                self.skip = 1;
            }
            return;
        }
        match name {
            b"w:p" if !empty => {
                let mut para = Para::default();
                if std::mem::take(&mut self.pending_change) {
                    para.pieces.push(Piece::Change);
                }
                self.frames.push(Frame::Para {
                    para,
                    numbering: ParaNumbering::default(),
                    after: Vec::new(),
                });
            }
            // An empty paragraph still stands between two tables.
            b"w:p" => self.attach(Block::Para(Para::default())),
            b"w:tbl" | b"w:txbxContent" if !empty => {
                if self.flat > 0 || self.nesting >= MAX_NESTING {
                    self.flat += 1;
                    self.flattened = true;
                    self.structure.push(false);
                } else {
                    self.nesting += 1;
                    self.structure.push(true);
                    self.frames.push(if name == b"w:tbl" {
                        Frame::Table(Table::default())
                    } else {
                        Frame::TextBox(Vec::new())
                    });
                }
            }
            b"w:tr" | b"w:tc" if !empty => {
                self.structure.push(self.flat == 0);
                if self.flat == 0 {
                    self.frames.push(if name == b"w:tr" {
                        Frame::Row(Row::default())
                    } else {
                        Frame::Cell(Cell {
                            span: 1,
                            ..Cell::default()
                        })
                    });
                }
            }
            b"w:pPr" if !empty => self.in_ppr += 1,
            b"w:pageBreakBefore" if self.in_ppr > 0 => {
                if let Some(Frame::Para { para, .. }) = self.frames.last_mut() {
                    para.page_break = attr(e, b"w:val").is_none_or(|v| v != "0" && v != "false");
                }
            }
            b"w:pStyle" | b"w:numId" | b"w:ilvl" if self.in_ppr > 0 => {
                if let Some(Frame::Para { numbering, .. }) = self.frames.last_mut() {
                    match name {
                        b"w:pStyle" => numbering.style = attr(e, b"w:val"),
                        b"w:numId" => numbering.num_id = attr_int(e, b"w:val"),
                        _ => numbering.level = attr_int(e, b"w:val"),
                    }
                }
            }
            b"w:gridSpan" => {
                if let Some(Frame::Cell(cell)) = self.frames.last_mut() {
                    cell.span = attr_int(e, b"w:val")
                        .and_then(|v| u32::try_from(v).ok())
                        .unwrap_or(1)
                        .clamp(1, MAX_SPAN);
                }
            }
            b"w:vMerge" => {
                if let Some(Frame::Cell(cell)) = self.frames.last_mut() {
                    cell.vmerge = match attr(e, b"w:val").as_deref() {
                        Some("restart") => VMerge::Restart,
                        _ => VMerge::Continue,
                    };
                }
            }
            b"w:tblHeader" => {
                if let Some(Frame::Row(row)) = self.frames.last_mut() {
                    row.header = attr(e, b"w:val").is_none_or(|v| v != "0" && v != "false");
                }
            }
            b"w:gridBefore" => {
                if let Some(Frame::Row(row)) = self.frames.last_mut() {
                    row.grid_before = attr_int(e, b"w:val")
                        .and_then(|v| u32::try_from(v).ok())
                        .unwrap_or(0)
                        .min(MAX_SPAN);
                }
            }
            b"w:vanish" if self.in_ppr == 0 => {
                let on = attr(e, b"w:val").is_none_or(|v| v != "0" && v != "false");
                if let Some((_, hidden)) = self.run.as_mut() {
                    *hidden = on;
                }
            }
            b"w:tab" | b"w:ptab" if self.in_ppr == 0 => self.piece(Piece::Tab),
            b"w:br" | b"w:cr" => {
                let kind = attr(e, b"w:type");
                if !matches!(kind.as_deref(), Some("page" | "column")) {
                    self.piece(Piece::Break);
                } else if let Some(Frame::Para { para, .. }) = self.frames.last_mut() {
                    para.page_break = true;
                }
            }
            b"w:fldChar" => match attr(e, b"w:fldCharType").as_deref() {
                Some("begin") => {
                    self.fields.push(Field {
                        code: true,
                        instr: String::new(),
                        hides: true,
                    });
                    self.hiding += 1;
                }
                Some("separate") => {
                    if let Some(f) = self.fields.last_mut() {
                        if f.code {
                            f.code = false;
                            let toc = f.instr.trim_start().starts_with("TOC");
                            if !toc && f.hides {
                                f.hides = false;
                                self.hiding -= 1;
                            }
                        }
                    }
                }
                Some("end") => {
                    if let Some(f) = self.fields.pop() {
                        if f.hides {
                            self.hiding -= 1;
                        }
                    }
                }
                _ => {}
            },
            b"w:instrText" if !empty => self.in_instr = true,
            _ => {}
        }
    }

    fn end(&mut self, name: &[u8]) {
        if self.skip > 0 {
            self.skip -= 1;
            return;
        }
        match name {
            b"w:r" => self.run = None,
            b"w:t" => self.text = None,
            b"w:instrText" => self.in_instr = false,
            b"w:pPr" => self.in_ppr = self.in_ppr.saturating_sub(1),
            b"w:p" => self.close(|f| matches!(f, Frame::Para { .. })),
            b"w:tbl" | b"w:tr" | b"w:tc" | b"w:txbxContent" => {
                let framed = self.structure.pop().unwrap_or(false);
                let container = matches!(name, b"w:tbl" | b"w:txbxContent");
                if !framed {
                    if container {
                        self.flat = self.flat.saturating_sub(1);
                    }
                    return;
                }
                if container {
                    self.nesting = self.nesting.saturating_sub(1);
                }
                match name {
                    b"w:tbl" => self.close(|f| matches!(f, Frame::Table(_))),
                    b"w:tr" => self.close(|f| matches!(f, Frame::Row(_))),
                    b"w:tc" => self.close(|f| matches!(f, Frame::Cell(_))),
                    _ => self.close(|f| matches!(f, Frame::TextBox(_))),
                }
            }
            _ => {}
        }
    }

    /// Closes the frames down to the topmost one that `is` the element ending
    /// (XML nests, so it is normally the top one).
    fn close(&mut self, is: impl Fn(&Frame) -> bool) {
        if self.frames.len() > 1 && self.frames.last().is_some_and(&is) {
            self.close_top();
            return;
        }
        if !self.frames.iter().skip(1).any(&is) {
            return;
        }
        while let Some(top) = self.frames.last() {
            let done = is(top);
            self.close_top();
            if done {
                break;
            }
        }
    }

    fn close_top(&mut self) {
        if self.frames.len() <= 1 {
            return;
        }
        let Some(frame) = self.frames.pop() else {
            return;
        };
        match frame {
            Frame::Para {
                mut para,
                numbering,
                after,
            } => {
                // A paragraph whose mark is deleted takes the properties of the
                // one it runs into: its own numbering neither shows nor counts.
                if !para.mark_deleted {
                    if let Some(marker) = self.numbering.marker(&numbering) {
                        para.pieces.insert(0, Piece::Marker(marker));
                    }
                }
                self.attach(Block::Para(para));
                for block in after {
                    self.attach(block);
                }
            }
            Frame::Table(table) => self.attach(Block::Table(table)),
            Frame::Row(row) => {
                if let Some(Frame::Table(table)) = self.frames.last_mut() {
                    if !row.deleted {
                        table.rows.push(row);
                    }
                }
            }
            Frame::Cell(cell) => {
                if let Some(Frame::Row(row)) = self.frames.last_mut() {
                    row.cells.push(cell);
                }
            }
            Frame::TextBox(blocks) => {
                let anchor = self.frames.iter_mut().rev().find_map(|f| match f {
                    Frame::Para { after, .. } => Some(after),
                    _ => None,
                });
                match anchor {
                    Some(after) => after.extend(blocks),
                    None => {
                        for block in blocks {
                            self.attach(block);
                        }
                    }
                }
            }
            Frame::Container(blocks) => {
                for block in blocks {
                    self.attach(block);
                }
            }
        }
    }

    /// Puts a block into the nearest container: a cell, a text box, the body.
    fn attach(&mut self, block: Block) {
        for frame in self.frames.iter_mut().rev() {
            match frame {
                Frame::Container(blocks) | Frame::TextBox(blocks) => {
                    blocks.push(block);
                    return;
                }
                Frame::Cell(cell) => {
                    cell.blocks.push(block);
                    return;
                }
                _ => {}
            }
        }
    }

    fn piece(&mut self, piece: Piece) {
        if self.hiding > 0 || self.run.is_some_and(|(_, hidden)| hidden) {
            return;
        }
        if let Some(Frame::Para { para, .. }) = self.frames.last_mut() {
            para.pieces.push(piece);
        }
    }

    fn change(&mut self) {
        self.changes += 1;
        if self.changes > 1 {
            return;
        }
        match self.frames.last_mut() {
            Some(Frame::Para { para, .. }) => para.pieces.push(Piece::Change),
            _ => self.pending_change = true,
        }
    }

    fn text(&mut self, text: &str) {
        if self.in_instr {
            if let Some(f) = self.fields.last_mut() {
                if f.instr.len() < 16 {
                    f.instr.push_str(text);
                }
            }
            return;
        }
        let Some(source) = self.text.as_mut() else {
            return;
        };
        let start = *source;
        source.char += text.chars().count() as u32;
        if let Some(Frame::Para { para, .. }) = self.frames.last_mut() {
            // A `w:t` read in several events (text, then an entity) is one piece.
            if let Some(Piece::Text(t, s)) = para.pieces.last_mut() {
                if s.text == start.text {
                    t.push_str(text);
                    return;
                }
            }
            para.pieces.push(Piece::Text(text.to_string(), start));
        }
    }
}

/// Joins each paragraph whose mark is deleted to the paragraph after it, as
/// Word shows them with the change accepted (ECMA-376 §17.13.5.15: the contents
/// are "no longer delimited by this paragraph mark, and are combined with the
/// following paragraph"); a whole paragraph deleted with its mark so leaves no
/// empty paragraph behind. The paragraph joined keeps its marker in front (its
/// mark, and so its properties, are the ones left). A deleted mark before a
/// table or at the end of a cell has no paragraph to join, and stays. Tables
/// inside cells likewise; one pass over the blocks.
pub(crate) fn join_deleted_marks(blocks: &mut Vec<Block>) {
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    let mut pending: Option<Para> = None;
    for block in std::mem::take(blocks) {
        match block {
            Block::Para(mut para) => {
                if let Some(mut joined) = pending.take() {
                    let marker = match para.pieces.first() {
                        Some(Piece::Marker(_)) => Some(para.pieces.remove(0)),
                        _ => None,
                    };
                    joined.pieces.splice(0..0, marker);
                    joined.pieces.append(&mut para.pieces);
                    joined.page_break |= para.page_break;
                    joined.mark_deleted = para.mark_deleted;
                    para = joined;
                }
                if para.mark_deleted {
                    pending = Some(para);
                } else {
                    out.push(Block::Para(para));
                }
            }
            Block::Table(mut table) => {
                out.extend(pending.take().map(Block::Para));
                for row in &mut table.rows {
                    for cell in &mut row.cells {
                        join_deleted_marks(&mut cell.blocks);
                    }
                }
                out.push(Block::Table(table));
            }
        }
    }
    out.extend(pending.map(Block::Para));
    *blocks = out;
}

/// Joins the parts of a table split at a page break: a table followed, with
/// nothing but paragraphs without text between them, by another table
///
/// - with nothing at all between them (Word shows the two as one table),
/// - or with a page break between them (`w:br w:type="page"`, or
///   `w:pageBreakBefore`) and as many grid columns,
/// - or whose first rows repeat the first's header rows (`w:tblHeader`)
///
/// is the same table: its rows are appended to the first's, less those at its
/// top that repeat the first's top rows (the header written again on the new
/// page). A vertical merge continued at the top of the second part then
/// continues the first part's merge, as in the table before it was split.
/// Tables inside cells are joined likewise. One pass over the blocks.
pub(crate) fn join_split_tables(blocks: &mut Vec<Block>) {
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    // The last table in `out`, and what lies between it and the next block.
    let mut last_table: Option<usize> = None;
    let mut page_break = false;
    for mut block in std::mem::take(blocks) {
        match &mut block {
            Block::Para(p) if !p.has_text() => {
                page_break |= p.page_break;
                out.push(block);
                continue;
            }
            Block::Para(_) => {
                last_table = None;
                page_break = false;
                out.push(block);
                continue;
            }
            Block::Table(table) => {
                for row in &mut table.rows {
                    for cell in &mut row.cells {
                        join_split_tables(&mut cell.blocks);
                    }
                }
            }
        }
        let Block::Table(next) = block else {
            continue;
        };
        let adjacent = last_table.is_some_and(|i| i + 1 == out.len());
        let first = match last_table.and_then(|i| out.get_mut(i)) {
            Some(Block::Table(first)) => Some(first),
            _ => None,
        };
        match first {
            Some(first)
                if adjacent
                    || (page_break && width(first) == width(&next))
                    || repeats_header(first, &next) =>
            {
                let repeated = repeated_rows(first, &next);
                first.rows.extend(next.rows.into_iter().skip(repeated));
            }
            _ => {
                last_table = Some(out.len());
                out.push(Block::Table(next));
            }
        }
        page_break = false;
    }
    *blocks = out;
}

/// The grid columns of a table's widest row.
fn width(t: &Table) -> u32 {
    t.rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .fold(r.grid_before, |w, c| w.saturating_add(c.span))
        })
        .max()
        .unwrap_or(0)
}

/// Whether `next` opens with `first`'s header rows (`w:tblHeader`), repeated.
fn repeats_header(first: &Table, next: &Table) -> bool {
    let headers = first.rows.iter().take_while(|r| r.header).count();
    headers > 0
        && next.rows.len() > headers
        && next.rows.iter().take(headers).all(|r| r.header)
        && repeated_rows(first, next) >= headers
}

/// How many rows at the top of `next` repeat, text for text, the rows at the
/// top of `first` (never all of `next`'s rows).
fn repeated_rows(first: &Table, next: &Table) -> usize {
    first
        .rows
        .iter()
        .zip(&next.rows)
        .take(next.rows.len().saturating_sub(1))
        .take_while(|(a, b)| same_row(a, b))
        .count()
}

fn same_row(a: &Row, b: &Row) -> bool {
    a.grid_before == b.grid_before
        && a.cells.len() == b.cells.len()
        && a.cells
            .iter()
            .zip(&b.cells)
            .all(|(x, y)| x.span == y.span && x.vmerge == y.vmerge && cell_text(x) == cell_text(y))
}

/// The text of a cell's paragraphs, for comparing rows.
fn cell_text(cell: &Cell) -> String {
    let mut out = String::new();
    for block in &cell.blocks {
        match block {
            Block::Para(p) => {
                for piece in &p.pieces {
                    if let Piece::Text(t, _) | Piece::Marker(t) = piece {
                        out.push_str(t);
                    }
                }
                out.push('\n');
            }
            Block::Table(_) => out.push_str("<table>"),
        }
    }
    out
}
