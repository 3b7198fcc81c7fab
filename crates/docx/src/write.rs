//! The blocks written as the text nianbao checks: each paragraph one line, a
//! blank line after it; each table an HTML `<table>` with `rowspan`/`colspan`
//! (the logical grid of `w:gridSpan` and `w:vMerge`), a cell's paragraphs joined
//! by `<br>`, a nested table inside its cell. Written beside it: the places (what
//! paragraph or table cell each byte is in) and the sources (which `w:t` each
//! stretch of text came from).

use std::collections::HashMap;

use crate::body::{Block, Cell, Para, Piece, Table, TextSource, VMerge};
use crate::{Place, Region, SourceRun};

#[derive(Default)]
pub(crate) struct Writer {
    pub text: String,
    pub regions: Vec<Region>,
    pub sources: Vec<SourceRun>,
    pub paragraphs: u32,
    pub tables: u32,
    pub first_change: Option<usize>,
}

impl Writer {
    pub fn body(&mut self, blocks: &[Block]) {
        for block in blocks {
            match block {
                Block::Para(p) if p.has_text() => {
                    self.paragraphs += 1;
                    let region = self.enter(Place::Paragraph(self.paragraphs));
                    let start = self.text.len();
                    self.pieces(p);
                    self.regions[region].quote = start..self.text.len();
                    self.text.push_str("\n\n");
                }
                Block::Para(p) => self.changes_of(p),
                Block::Table(t) => {
                    self.table(t, true);
                    self.text.push('\n');
                }
            }
        }
    }

    /// Opens a region of `place` at the end of the text; its index.
    fn enter(&mut self, place: Place) -> usize {
        let start = self.text.len();
        if let Some(last) = self.regions.last_mut() {
            if last.start == start {
                // Nothing was written in the last one: it is replaced.
                last.place = place;
                last.quote = start..start;
                return self.regions.len() - 1;
            }
        }
        self.regions.push(Region {
            start,
            place,
            quote: start..start,
        });
        self.regions.len() - 1
    }

    fn changes_of(&mut self, p: &Para) {
        if p.pieces.iter().any(|x| matches!(x, Piece::Change)) {
            self.first_change.get_or_insert(self.text.len());
        }
    }

    fn pieces(&mut self, p: &Para) {
        let mut after_marker = false;
        for piece in &p.pieces {
            match piece {
                Piece::Marker(m) => {
                    self.text.push_str(&clean(m));
                    after_marker = m.chars().last().is_some_and(|c| c.is_ascii());
                    continue;
                }
                Piece::Text(t, source) => {
                    // `1.` before a figure would read as `1.5`: a space after an ASCII marker.
                    if after_marker && !t.starts_with([' ', '\t']) {
                        self.text.push(' ');
                    }
                    self.source_text(t, *source);
                }
                Piece::Tab => self.text.push('\t'),
                Piece::Break => self.text.push_str("<br>"),
                Piece::Change => {
                    self.first_change.get_or_insert(self.text.len());
                }
            }
            after_marker = false;
        }
    }

    /// The text of a `w:t`, with what would read as markup escaped: a stretch
    /// written as it is maps character for character to its source.
    fn source_text(&mut self, t: &str, source: TextSource) {
        let mut literal_start: Option<(usize, u32)> = None;
        let mut chars = t.chars().peekable();
        let mut i: u32 = 0;
        while let Some(c) = chars.next() {
            let next = chars.peek().copied();
            let escape = match c {
                '<' if next.is_some_and(|n| n.is_ascii_alphabetic() || n == '/' || n == '!') => {
                    Some("&lt;")
                }
                '&' if next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#') => Some("&amp;"),
                _ => None,
            };
            match escape {
                Some(e) => {
                    self.flush_literal(&mut literal_start, source);
                    let start = self.text.len();
                    self.text.push_str(e);
                    self.sources.push(SourceRun {
                        start,
                        end: self.text.len(),
                        source: TextSource {
                            char: source.char + i,
                            ..source
                        },
                        literal: false,
                    });
                }
                None => {
                    literal_start.get_or_insert((self.text.len(), i));
                    // A line break inside a `w:t` would end the paragraph's line.
                    self.text
                        .push(if matches!(c, '\n' | '\r') { ' ' } else { c });
                }
            }
            i += 1;
        }
        self.flush_literal(&mut literal_start, source);
    }

    fn flush_literal(&mut self, literal_start: &mut Option<(usize, u32)>, source: TextSource) {
        if let Some((start, char)) = literal_start.take() {
            self.sources.push(SourceRun {
                start,
                end: self.text.len(),
                source: TextSource {
                    char: source.char + char,
                    ..source
                },
                literal: true,
            });
        }
    }

    fn table(&mut self, t: &Table, top: bool) {
        self.tables += 1;
        let n = self.tables;
        let nl = if top { "\n" } else { "" };
        self.enter(Place::Table(n));
        self.text.push_str("<table>");
        self.text.push_str(nl);
        let (rowspans, hidden) = layout(t);
        for (ri, row) in t.rows.iter().enumerate() {
            self.enter(Place::Table(n));
            self.text.push_str("<tr>");
            if row.grid_before > 1 {
                self.text
                    .push_str(&format!("<td colspan=\"{}\"></td>", row.grid_before));
            } else if row.grid_before == 1 {
                self.text.push_str("<td></td>");
            }
            let mut column = row.grid_before;
            for (ci, cell) in row.cells.iter().enumerate() {
                if !hidden[ri][ci] {
                    let place = Place::Cell {
                        table: n,
                        row: ri as u32 + 1,
                        column: column + 1,
                    };
                    self.cell(cell, place, rowspans[ri][ci]);
                }
                column = column.saturating_add(cell.span);
            }
            self.enter(Place::Table(n));
            self.text.push_str("</tr>");
            self.text.push_str(nl);
        }
        self.text.push_str("</table>");
        self.text.push_str(nl);
    }

    fn cell(&mut self, cell: &Cell, place: Place, rowspan: u32) {
        let mut regions = vec![self.enter(place)];
        self.text.push_str("<td");
        if rowspan > 1 {
            self.text.push_str(&format!(" rowspan=\"{rowspan}\""));
        }
        if cell.span > 1 {
            self.text.push_str(&format!(" colspan=\"{}\"", cell.span));
        }
        self.text.push('>');
        let start = self.text.len();
        let mut first = true;
        for block in &cell.blocks {
            match block {
                Block::Para(p) if p.has_text() => {
                    if !first {
                        self.text.push_str("<br>");
                    }
                    first = false;
                    self.pieces(p);
                }
                Block::Para(p) => self.changes_of(p),
                Block::Table(t) => {
                    self.table(t, false);
                    regions.push(self.enter(place));
                    first = false;
                }
            }
        }
        let quote = start..self.text.len();
        self.text.push_str("</td>");
        for r in regions {
            self.regions[r].quote = quote.clone();
        }
    }
}

/// Per cell its `rowspan` and whether it is hidden (a `w:vMerge` continue merged
/// into the cell above): a continue joins the open merge at its grid column; one
/// with none above starts its own.
fn layout(t: &Table) -> (Vec<Vec<u32>>, Vec<Vec<bool>>) {
    let mut rowspans: Vec<Vec<u32>> = t.rows.iter().map(|r| vec![1; r.cells.len()]).collect();
    let mut hidden: Vec<Vec<bool>> = t.rows.iter().map(|r| vec![false; r.cells.len()]).collect();
    let mut open: HashMap<u32, (usize, usize)> = HashMap::new();
    for (ri, row) in t.rows.iter().enumerate() {
        let mut next = HashMap::new();
        let mut column = row.grid_before;
        for (ci, cell) in row.cells.iter().enumerate() {
            match cell.vmerge {
                VMerge::Continue => match open.get(&column) {
                    Some(&(r0, c0)) => {
                        rowspans[r0][c0] += 1;
                        hidden[ri][ci] = true;
                        next.insert(column, (r0, c0));
                    }
                    None => {
                        next.insert(column, (ri, ci));
                    }
                },
                VMerge::Restart => {
                    next.insert(column, (ri, ci));
                }
                VMerge::None => {}
            }
            column = column.saturating_add(cell.span);
        }
        open = next;
    }
    (rowspans, hidden)
}

/// A marker's text on one line.
fn clean(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

/// A stretch of the text quoted for a reader: tags of line breaks as spaces,
/// the escapes undone.
pub(crate) fn quote_text(s: &str) -> String {
    s.replace("<br>", " ")
        .replace("&lt;", "<")
        .replace("&amp;", "&")
}

/// At most `max` characters of `s`, with `…` when cut.
pub(crate) fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}
