//! Mapping the report's tables to the template's indicators.
//!
//! # The mapping rule
//!
//! A logical table (one grid, already merged across page breaks by the grammar)
//! is cut into *segments* at caption rows — a row that is one merged cell whose
//! text is a block caption of the template (`第二十条第（五）项`). Each segment is
//! matched to one template table: by its caption, else by the best score of
//! label header, column headers and row labels.
//!
//! Inside a segment, the leading rows without any number are the header. Each
//! grid column gets a header *path* (the distinct texts of the header cells
//! covering it, top to bottom); a template column matches when its own header
//! path (or its leaf label) matches, after normalisation. Irregular `colspan`s
//! (a published page where a value cell spans two header columns) are resolved
//! by position: a template column takes the first value cell that *starts*
//! inside its header's column range, else the cell covering the range's first
//! column if no other column took it.
//!
//! A data row's label is its right-most non-numeric cell left of the first value
//! column (so `（三）不予公开 | 1.属于国家秘密` is read as `1.属于国家秘密`, and a
//! group label split across a page break such as `（四）无` / `法提供` does not
//! matter). Labels are compared after [`normalize`]: both widths, whitespace and
//! line breaks removed, then without the leading number (`一、` `（一）` `1.`
//! `1、`) and `其中：`, then by the part before the first `（` (annotated
//! labels). When a label fits several template rows (`（二）被依法纠错数` under
//! both 行政复议 and 行政诉讼), the first one after the previously matched row
//! in template order wins.
//!
//! Nothing is dropped: a row the template does not know is a finding (NB209), a
//! template row the report lacks is a finding (NB208), a table that looks
//! statistical but fits no template is one finding for the table (NB210).

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use nianbao_grammar::findings::Findings;
use nianbao_grammar::logical::normalize;
use nianbao_grammar::{Block, Diagnostic, Message, Span, Table};

use crate::quantity::{read_cell, CellValue};
use crate::rules::codes;
use crate::template::{Layout, RowKind, TableDef, Template};

/// One value of the report's statistics, mapped to a template indicator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorCell {
    /// Template table id (`stat`, `t2.a20_1`, `t3`, `t4`).
    pub table: String,
    /// Row id (FORMATS), or the column id in a single-row table (表四).
    pub row: String,
    /// Column id; `None` in a single-row table.
    pub column: Option<String>,
    /// The row label as printed.
    pub label: String,
    /// The unit as printed in the unit column or in the cell.
    pub unit: Option<String>,
    /// The value as read.
    pub value: CellValue,
    /// The value cell's span (or the row label's, when the cell is missing).
    pub span: Span,
}

impl IndicatorCell {
    /// `row@column`, or the column id of a single-row table.
    pub fn id(&self) -> String {
        match &self.column {
            Some(c) => format!("{}@{c}", self.row),
            None => self.row.clone(),
        }
    }
}

/// The report's statistics, mapped.
#[derive(Clone, Debug, Default, Serialize)]
pub struct MappedTables {
    /// Every mapped cell, in table order.
    pub cells: Vec<IndicatorCell>,
    /// Template tables found in the report.
    pub found: Vec<String>,
    /// Where each found table starts (same order as `found`).
    #[serde(skip)]
    found_at: Vec<Span>,
    #[serde(skip)]
    index: HashMap<String, usize>,
}

impl MappedTables {
    /// The cell with id `row@col` (or a single-row column id).
    pub fn get(&self, id: &str) -> Option<&IndicatorCell> {
        self.index.get(id).and_then(|&i| self.cells.get(i))
    }

    fn push(&mut self, cell: IndicatorCell, diagnostics: &mut Findings) {
        let id = cell.id();
        if let Some(&first) = self.index.get(&id) {
            let prev = &self.cells[first];
            diagnostics.push(
                Diagnostic::new(
                    &codes::DUPLICATE_ROW,
                    cell.span,
                    Message::new(
                        format!("模板指标“{}”在表中出现了两次；以第一次为准", cell.label),
                        format!("the template row \"{}\" appears twice in the table; the first one counts", cell.label),
                    ),
                )
                .with_related(prev.span, Message::new("第一次出现", "first occurrence")),
            );
            return;
        }
        self.index.insert(id, self.cells.len());
        self.cells.push(cell);
    }
}

/// Normalised label without its leading number or `其中：`.
fn strip_marker(n: &str) -> &str {
    let mut s = n.trim_start_matches("其中:");
    // (一) (1) 一、 1. 1、 ①
    if let Some(rest) = s.strip_prefix('(') {
        if let Some(end) = rest.find(')') {
            let inner = &rest[..end];
            if !inner.is_empty()
                && inner
                    .chars()
                    .all(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
            {
                s = &rest[end + 1..];
            }
        }
    }
    let numeral_end = s
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || "一二三四五六七八九十".contains(c)))
        .map_or(s.len(), |(i, _)| i);
    if numeral_end > 0 {
        let rest = &s[numeral_end..];
        if let Some(r) = rest.strip_prefix('、').or_else(|| rest.strip_prefix('.')) {
            s = r;
        }
    }
    if let Some(c) = s.chars().next().filter(|c| ('①'..='⑳').contains(c)) {
        s = &s[c.len_utf8()..];
    }
    s.trim_start_matches("其中:")
}

/// The part before the first `(` (annotated labels: `规章(设区的市…)`).
fn before_paren(s: &str) -> &str {
    match s.find('(') {
        Some(i) if i > 0 => &s[..i],
        _ => s,
    }
}

/// `{year}年度` with the report year (or any 4-digit year when unknown: checked by the caller).
fn expand_year(label: &str, year: Option<i32>) -> String {
    match year {
        Some(y) => label.replace("{year}", &y.to_string()),
        None => label.to_string(),
    }
}

/// A label normalized three ways: whole, without its number, before its `（`.
struct LabelKey {
    full: String,
    stripped: String,
    before: String,
}

impl LabelKey {
    fn new(label: &str, year: Option<i32>) -> Self {
        let full = normalize(&expand_year(label, year));
        let stripped = strip_marker(&full).to_string();
        let before = before_paren(&stripped).to_string();
        LabelKey {
            full,
            stripped,
            before,
        }
    }
}

/// Normalized labels, computed once per distinct string during one mapping.
struct Keys {
    year: Option<i32>,
    cache: std::cell::RefCell<HashMap<Box<str>, std::rc::Rc<LabelKey>>>,
}

impl Keys {
    fn new(year: Option<i32>) -> Self {
        Keys {
            year,
            cache: std::cell::RefCell::new(HashMap::new()),
        }
    }

    fn key(&self, s: &str) -> std::rc::Rc<LabelKey> {
        if let Some(k) = self.cache.borrow().get(s) {
            return k.clone();
        }
        let k = std::rc::Rc::new(LabelKey::new(s, self.year));
        self.cache.borrow_mut().insert(s.into(), k.clone());
        k
    }

    /// How well a printed label fits a template label: 3 exact, 2 without number, 1 before `（`.
    fn fit(&self, printed: &str, template_label: &str) -> u8 {
        let (p, t) = (self.key(printed), self.key(template_label));
        if p.full.is_empty() || t.full.is_empty() {
            0
        } else if p.full == t.full {
            3
        } else if !p.stripped.is_empty() && p.stripped == t.stripped {
            2
        } else if !p.before.is_empty() && p.before == t.before {
            1
        } else {
            0
        }
    }

    fn header_fit(&self, printed: &str, candidates: &[&str]) -> bool {
        candidates.iter().any(|c| self.fit(printed, c) >= 2)
    }

    /// The normalized text of a string.
    fn norm(&self, s: &str) -> std::rc::Rc<LabelKey> {
        self.key(s)
    }
}

/// A cell of the grid at a position, with its column range.
struct GridCell<'a> {
    index: usize,
    col: usize,
    end: usize,
    starts_here: bool,
    cell: nianbao_grammar::Cell<'a>,
}

fn row_cells(table: &Table, r: usize) -> Vec<GridCell<'_>> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for idx in table.row(r).flatten() {
        if !seen.insert(idx) {
            continue;
        }
        if let Some(cell) = table.cell(idx) {
            out.push(GridCell {
                index: idx,
                col: cell.col,
                end: cell.col + cell.col_span,
                starts_here: cell.row == r,
                cell,
            });
        }
    }
    out.sort_by_key(|c| c.col);
    out
}

fn is_number(text: &str) -> bool {
    matches!(read_cell(text, Span::default()), CellValue::Number(_))
}

/// A table is statistical when most of its body rows carry a number.
fn looks_statistical(table: &Table) -> bool {
    let rows = table.row_count();
    let numeric = (0..rows)
        .filter(|&r| {
            row_cells(table, r)
                .iter()
                .any(|c| c.starts_here && is_number(c.cell.text))
        })
        .count();
    rows >= 2 && numeric * 2 >= rows
}

fn caption_of<'t>(
    template: &'t Template,
    table: &Table,
    r: usize,
    keys: &Keys,
) -> Option<&'t TableDef> {
    let cells = row_cells(table, r);
    let texts: Vec<&str> = cells
        .iter()
        .map(|c| c.cell.text)
        .filter(|t| !t.trim().is_empty())
        .collect();
    if texts.len() != 1 {
        return None;
    }
    let text = keys.norm(texts[0]);
    let text = &text.full;
    template.tables.iter().find(|t| {
        t.caption.iter().chain(&t.caption_variants).any(|c| {
            let c = &keys.norm(c).full;
            !c.is_empty() && (text == c || (t.part_of.is_some() && text.contains(c.as_str())))
        })
    })
}

/// Scores how well rows `rows` of `table` fit template table `def`.
fn score(def: &TableDef, table: &Table, rows: std::ops::Range<usize>, keys: &Keys) -> usize {
    let mut score = 0;
    // Cell by cell, as the rows are read (a table of a million rows holds no list
    // of its texts).
    let texts = rows.flat_map(|r| row_cells(table, r).into_iter().filter(|c| c.starts_here));
    for c in texts {
        let text = &c.cell.text;
        let label_headers: Vec<&str> = def
            .label_header
            .iter()
            .chain(&def.label_header_variants)
            .map(String::as_str)
            .collect();
        if keys.header_fit(text, &label_headers) {
            score += 3;
        }
        if def.rows.iter().any(|r| {
            std::iter::once(&r.label)
                .chain(&r.variants)
                .any(|l| keys.fit(text, l) >= 2)
        }) {
            score += 2;
        }
        if def.columns.iter().any(|c| {
            std::iter::once(&c.label)
                .chain(&c.variants)
                .any(|l| keys.fit(text, l) >= 3)
        }) {
            score += 1;
        }
        let n = keys.norm(text);
        if def
            .title_markers
            .iter()
            .any(|m| !m.is_empty() && n.full.contains(keys.norm(m).full.as_str()))
        {
            score += 2;
        }
    }
    score
}

/// Maps every table of the report to `template`; diagnostics for what does not fit.
pub fn map(
    template: &Template,
    blocks: &[Block],
    year: Option<i32>,
    diagnostics: &mut Findings,
) -> MappedTables {
    let mut mapped = MappedTables::default();
    let keys = Keys::new(year);
    for block in blocks {
        let Block::Table(table) = block else { continue };
        map_table(template, table, &keys, &mut mapped, diagnostics);
    }
    mapped
}

fn map_table(
    template: &Template,
    table: &Table,
    keys: &Keys,
    mapped: &mut MappedTables,
    diagnostics: &mut Findings,
) {
    // Segments at caption rows.
    let mut segments: Vec<(Option<&TableDef>, std::ops::Range<usize>)> = Vec::new();
    let mut start = 0;
    let mut current: Option<&TableDef> = None;
    for r in 0..table.row_count() {
        if let Some(def) = caption_of(template, table, r, keys) {
            if r > start || current.is_some() {
                segments.push((current, start..r));
            }
            current = Some(def);
            start = r + 1;
        }
    }
    if start < table.row_count() || current.is_some() {
        segments.push((current, start..table.row_count()));
    }
    let mut any = false;
    for (def, rows) in segments {
        let def = def.or_else(|| {
            template
                .tables
                .iter()
                .filter(|d| d.part_of.is_none() || d.caption.is_none())
                .map(|d| (score(d, table, rows.clone(), keys), d))
                .filter(|(s, _)| *s >= 4)
                .max_by_key(|(s, _)| *s)
                .map(|(_, d)| d)
        });
        let Some(def) = def else { continue };
        any = true;
        if !mapped.found.contains(&def.id) {
            mapped.found.push(def.id.clone());
            let first = table.parts.first().copied().unwrap_or_default();
            mapped
                .found_at
                .push(Span::new(first.start, first.start + 1));
        }
        map_segment(def, table, rows, keys, mapped, diagnostics);
    }
    if !any && looks_statistical(table) {
        let first = table.parts.first().copied().unwrap_or_default();
        diagnostics.push(Diagnostic::new(
            &codes::TABLE_UNMATCHED,
            Span::new(first.start, first.start + 1),
            Message::new(
                format!(
                    "此表像统计表，但与“{}”格式的任何表格都对不上",
                    template.format.name_zh
                ),
                format!(
                    "this table looks statistical but matches no table of the {} format",
                    template.format.id
                ),
            ),
        ));
    }
}

/// Column ranges of the template's columns, from the header rows.
fn column_ranges(
    def: &TableDef,
    table: &Table,
    header: std::ops::Range<usize>,
    keys: &Keys,
) -> Vec<(usize, usize, usize)> {
    let width = table.width();
    // Header path per grid column.
    let paths: Vec<Vec<String>> = (0..width)
        .map(|c| {
            let mut path: Vec<String> = Vec::new();
            for r in header.clone() {
                if let Some(cell) = table.cell_at(r, c) {
                    let t = cell.text.trim().to_string();
                    if !t.is_empty() && path.last() != Some(&t) {
                        path.push(t);
                    }
                }
            }
            path
        })
        .collect();
    let mut out = Vec::new();
    for (k, col) in def.columns.iter().enumerate() {
        let labels: Vec<&str> = std::iter::once(col.label.as_str())
            .chain(col.variants.iter().map(String::as_str))
            .collect();
        let fits = |path: &Vec<String>| -> bool {
            let Some(leaf) = path.last() else {
                return false;
            };
            if !keys.header_fit(leaf, &labels) {
                return false;
            }
            // The rest of the template's path must appear above the leaf, when the report prints it.
            let above: Vec<String> = path[..path.len() - 1]
                .iter()
                .map(|p| normalize(p))
                .collect();
            col.header[..col.header.len().saturating_sub(1)]
                .iter()
                .all(|h| {
                    let h = normalize(h);
                    above.is_empty()
                        || above.iter().any(|a| a == &h)
                        || !above.iter().any(|a| {
                            def.columns
                                .iter()
                                .any(|c| c.header.iter().any(|x| normalize(x) == *a))
                        })
                })
        };
        let cols: Vec<usize> = (0..width).filter(|&c| fits(&paths[c])).collect();
        if let (Some(&first), Some(&last)) = (cols.first(), cols.last()) {
            // Contiguous run only: repeated leaf labels under other parents were filtered above.
            out.push((k, first, last + 1));
        }
    }
    out
}

fn map_segment(
    def: &TableDef,
    table: &Table,
    rows: std::ops::Range<usize>,
    keys: &Keys,
    mapped: &mut MappedTables,
    diagnostics: &mut Findings,
) {
    // Header rows: leading rows with no number that starts in them.
    let mut body_start = rows.start;
    while body_start < rows.end
        && body_start - rows.start < 4
        && !row_cells(table, body_start)
            .iter()
            .any(|c| c.starts_here && is_number(c.cell.text))
    {
        body_start += 1;
    }
    if def.layout == Layout::Grid {
        // A grid's header is one row unless the template's columns have deeper paths (table 三).
        let depth = def
            .columns
            .iter()
            .map(|c| c.header.len())
            .max()
            .unwrap_or(1);
        let first_label_row = (rows.start..body_start).find(|&r| {
            // A group row without numbers (`一、主动公开情况 | —— |`) ends the header; a
            // header cell that happens to read like a row (`其他`) does not: labels sit in column 0.
            row_cells(table, r).iter().any(|c| {
                c.col == 0
                    && def.rows.iter().any(|d| {
                        std::iter::once(&d.label)
                            .chain(&d.variants)
                            .any(|l| keys.fit(c.cell.text, l) >= 2)
                    })
            })
        });
        if let Some(r) = first_label_row {
            body_start = r;
        }
        if depth == 1 && body_start > rows.start + 1 {
            body_start = body_start.min(rows.start + 1).max(rows.start + 1);
        }
    }
    let header = rows.start..body_start;
    let ranges = column_ranges(def, table, header.clone(), keys);
    let first_value_col = ranges.iter().map(|r| r.1).min().unwrap_or(usize::MAX);
    let unit_col = header.clone().find_map(|r| {
        let units: Vec<&str> = def
            .unit_header
            .iter()
            .chain(&def.unit_header_variants)
            .map(String::as_str)
            .collect();
        row_cells(table, r)
            .into_iter()
            .find(|c| !units.is_empty() && keys.header_fit(c.cell.text, &units))
            .map(|c| c.col)
    });
    match def.layout {
        Layout::SingleRow => {
            for r in body_start..rows.end {
                let cells = row_cells(table, r);
                if !cells
                    .iter()
                    .any(|c| c.starts_here && is_number(c.cell.text))
                {
                    continue;
                }
                let mut used = BTreeSet::new();
                for &(k, from, to) in &ranges {
                    let col = &def.columns[k];
                    if let Some(c) = pick_cell(&cells, from, to, &mut used) {
                        let value = read_cell(c.cell.text, c.cell.span);
                        mapped.push(
                            IndicatorCell {
                                table: def.id.clone(),
                                row: col.id.clone(),
                                column: None,
                                label: col.header.join("/"),
                                unit: None,
                                value,
                                span: c.cell.span,
                            },
                            diagnostics,
                        );
                    }
                }
                break;
            }
        }
        Layout::Grid => {
            let mut last_row_index: Option<usize> = None;
            for r in body_start..rows.end {
                let cells = row_cells(table, r);
                // The label: right-most non-numeric text left of the first value column.
                let label_cell = cells
                    .iter()
                    .filter(|c| {
                        c.col < first_value_col
                            && Some(c.col) != unit_col
                            && !c.cell.text.trim().is_empty()
                    })
                    .filter(|c| !is_number(c.cell.text))
                    .max_by_key(|c| c.col);
                let Some(label_cell) = label_cell else {
                    // Values with no label are named, not dropped.
                    let first = cells.iter().find(|c| {
                        c.starts_here && c.col >= first_value_col && !c.cell.text.trim().is_empty()
                    });
                    if let Some(first) = first {
                        unknown_row(def, "（无标签）", first.cell.span, diagnostics);
                    }
                    continue;
                };
                let label = label_cell.cell.text.trim().to_string();
                let matched = best_row(def, &label, last_row_index, keys);
                let has_value = cells.iter().any(|c| {
                    c.starts_here && c.col >= first_value_col && !c.cell.text.trim().is_empty()
                });
                let Some(row_index) = matched else {
                    if has_value {
                        unknown_row(def, &label, label_cell.cell.span, diagnostics);
                    }
                    continue;
                };
                last_row_index = Some(row_index);
                let row_def = &def.rows[row_index];
                let unit = unit_col
                    .and_then(|uc| cells.iter().find(|c| c.col == uc))
                    .map(|c| c.cell.text.trim().to_string())
                    .filter(|u| !u.is_empty());
                let mut used = BTreeSet::new();
                used.insert(label_cell.index);
                for &(k, from, to) in &ranges {
                    let col = &def.columns[k];
                    let Some(c) = pick_cell(&cells, from, to, &mut used) else {
                        // A row short of a cell: the value is blank, named at the row's label.
                        if row_def.kind == RowKind::Value {
                            let blank = IndicatorCell {
                                table: def.id.clone(),
                                row: row_def.id.clone(),
                                column: Some(col.id.clone()),
                                label: label.clone(),
                                unit: unit.clone(),
                                value: CellValue::Blank,
                                span: label_cell.cell.span,
                            };
                            mapped.push(blank, diagnostics);
                        }
                        continue;
                    };
                    let value = read_cell(c.cell.text, c.cell.span);
                    if row_def.kind == RowKind::Group
                        && matches!(value, CellValue::Blank | CellValue::Dash)
                    {
                        continue;
                    }
                    let cell_unit = match &value {
                        CellValue::Number(q) => q.unit.as_deref().map(str::to_string),
                        _ => None,
                    };
                    mapped.push(
                        IndicatorCell {
                            table: def.id.clone(),
                            row: row_def.id.clone(),
                            column: Some(col.id.clone()),
                            label: label.clone(),
                            unit: unit.clone().or(cell_unit),
                            value,
                            span: c.cell.span,
                        },
                        diagnostics,
                    );
                }
                extra_cells(
                    &cells,
                    first_value_col,
                    unit_col,
                    &used,
                    &label,
                    diagnostics,
                );
            }
        }
    }
}

/// Values in a row that no template column took (a row longer than its header).
fn extra_cells(
    cells: &[GridCell<'_>],
    first_value_col: usize,
    unit_col: Option<usize>,
    used: &BTreeSet<usize>,
    label: &str,
    diagnostics: &mut Findings,
) {
    for c in cells {
        let extra = c.starts_here
            && c.col >= first_value_col
            && Some(c.col) != unit_col
            && !used.contains(&c.index)
            && !c.cell.text.trim().is_empty();
        if !extra {
            continue;
        }
        let text = c.cell.text.trim();
        diagnostics.push(Diagnostic::new(
            &codes::VALUE_OUTSIDE_TEMPLATE,
            c.cell.span,
            Message::new(
                format!("“{label}”一行的数值“{text}”不在模板的任何一列下，未读取"),
                format!("the value \"{text}\" in the row \"{label}\" is outside every column of the template and was not read"),
            ),
        ));
    }
}

/// The value cell of a column range: the first cell starting inside it, else the
/// cell covering its first column when no other column took it.
fn pick_cell<'a>(
    cells: &'a [GridCell<'a>],
    from: usize,
    to: usize,
    used: &mut BTreeSet<usize>,
) -> Option<&'a GridCell<'a>> {
    let pick = cells
        .iter()
        .find(|c| c.col >= from && c.col < to && !used.contains(&c.index))
        .or_else(|| {
            cells
                .iter()
                .find(|c| c.col <= from && c.end > from && !used.contains(&c.index))
        })?;
    used.insert(pick.index);
    Some(pick)
}

/// The template row a printed label names: the best fit, ties broken by template
/// order after the previously matched row.
fn best_row(def: &TableDef, label: &str, after: Option<usize>, keys: &Keys) -> Option<usize> {
    let fits: Vec<(u8, usize)> = def
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            (
                std::iter::once(&r.label)
                    .chain(&r.variants)
                    .map(|l| keys.fit(label, l))
                    .max()
                    .unwrap_or(0),
                i,
            )
        })
        .filter(|(f, _)| *f > 0)
        .collect();
    let best = fits.iter().map(|(f, _)| *f).max()?;
    let candidates: Vec<usize> = fits
        .iter()
        .filter(|(f, _)| *f == best)
        .map(|(_, i)| *i)
        .collect();
    let after = after.unwrap_or(0);
    candidates
        .iter()
        .copied()
        .find(|&i| i >= after)
        .or_else(|| candidates.first().copied())
}

fn unknown_row(def: &TableDef, label: &str, span: Span, diagnostics: &mut Findings) {
    let known_extra = def
        .known_extra_rows
        .iter()
        .any(|k| normalize(k) == normalize(label));
    let (zh, en) = if known_extra {
        (
            format!("“{label}”是一些地方报告增加的行，不在“{}”模板中；不参与勾稽校验", def.name_zh),
            format!("\"{label}\" is a row some local reports add; it is not in the template of {} and takes part in no relation", def.name_en),
        )
    } else {
        (
            format!("“{label}”不是“{}”模板中的行；不参与勾稽校验", def.name_zh),
            format!(
                "\"{label}\" is not a row of the template of {}; it takes part in no relation",
                def.name_en
            ),
        )
    };
    diagnostics.push(Diagnostic::new(
        &codes::ROW_UNKNOWN,
        span,
        Message::new(zh, en),
    ));
}

/// With no format recognised, every statistical-looking table is named (NB210): nothing is read from it.
pub fn unmatched(blocks: &[Block], diagnostics: &mut Findings) {
    for block in blocks {
        let Block::Table(table) = block else { continue };
        if looks_statistical(table) {
            let first = table.parts.first().copied().unwrap_or_default();
            diagnostics.push(Diagnostic::new(
                &codes::TABLE_UNMATCHED,
                Span::new(first.start, first.start + 1),
                Message::new(
                    "此表像统计表，但报告的格式无法识别，表中数据未读取",
                    "this table looks statistical, but the report's format is not recognised: its figures were not read",
                ),
            ));
        }
    }
}

/// Template rows the report lacks (in the tables it has) and required tables it lacks.
pub fn missing(template: &Template, mapped: &MappedTables, at: Span, diagnostics: &mut Findings) {
    for def in &template.tables {
        if !mapped.found.contains(&def.id) {
            if def.required {
                diagnostics.push(
                    Diagnostic::new(
                        &codes::TABLE_MISSING,
                        at,
                        Message::new(
                            format!(
                                "未找到“{}”（{} 格式要求的表格）",
                                def.name_zh, template.format.id
                            ),
                            format!(
                                "the table \"{}\" required by the {} format was not found",
                                def.name_en, template.format.id
                            ),
                        ),
                    )
                    .with_severity(def.missing_severity.severity()),
                );
            }
            continue;
        }
        let table_at = mapped
            .found
            .iter()
            .position(|f| *f == def.id)
            .and_then(|i| mapped.found_at.get(i).copied())
            .unwrap_or(at);
        if !mapped.cells.iter().any(|c| c.table == def.id) {
            // A header with no body: one finding for the table, not one per row.
            diagnostics.push(Diagnostic::new(
                &codes::ROW_MISSING,
                table_at,
                Message::new(
                    format!("“{}”只有表头，没有任何数据行", def.name_zh),
                    format!(
                        "the table \"{}\" has a header but no data rows",
                        def.name_en
                    ),
                ),
            ));
            continue;
        }
        let first_cell = mapped
            .cells
            .iter()
            .find(|c| c.table == def.id)
            .map_or(table_at, |c| c.span);
        if def.layout == Layout::SingleRow {
            continue;
        }
        let absent: Vec<&str> = def
            .rows
            .iter()
            .filter(|r| r.kind == RowKind::Value)
            .filter(|r| {
                !mapped
                    .cells
                    .iter()
                    .any(|c| c.table == def.id && c.row == r.id)
            })
            .map(|r| r.label.as_str())
            .collect();
        for label in absent {
            diagnostics.push(Diagnostic::new(
                &codes::ROW_MISSING,
                first_cell,
                Message::new(
                    format!("“{}”缺少模板中的行“{label}”", def.name_zh),
                    format!(
                        "the table \"{}\" lacks the template row \"{label}\"",
                        def.name_en
                    ),
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label_fit(printed: &str, template_label: &str, year: Option<i32>) -> u8 {
        Keys::new(year).fit(printed, template_label)
    }

    #[test]
    fn labels_fit_after_normalisation() {
        assert_eq!(label_fit("（一）收到申请数", "（一）收到申请数", None), 3);
        assert_eq!(label_fit("(一) 收到申请数", "（一）收到申请数", None), 3);
        assert_eq!(label_fit("1. 当面申请数", "1.当面申请数", None), 3);
        assert_eq!(label_fit("其中：1.当面申请数", "1.当面申请数", None), 2);
        assert_eq!(
            label_fit(
                "（一）主动公开政府信息数\n（不同渠道和方式公开相同信息计 1 条）",
                "（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）",
                None
            ),
            3
        );
        assert_eq!(
            label_fit(
                "规章（设区的市、自治州人民政府应提供相关数据）",
                "规章",
                None
            ),
            1
        );
        assert_eq!(label_fit("2018年度", "{year}年度", Some(2018)), 3);
        assert_eq!(label_fit("申请信息不存在数", "（三）申请答复数", None), 0);
    }
}
