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
//! Every template label is normalized once per template ([`LabelIndex`], kept in
//! the loaded [`Template`]), each printed label once per report: scoring a
//! segment against a template table looks each printed label up in the table's
//! sets of row and column keys instead of comparing it with every label.
//!
//! A label or header that fits none of a row's or column's accepted wordings is
//! still read as that row or column when it is a `nonstandard` wording of the
//! template data (`先行有效件数`), or the template's label with a few characters
//! left out (one run, at most a third, no negation) that no other label of the
//! table also gives (`本年废止件` for `本年废止件数`). One NB215 per table names
//! each such label. In a column that may be negative (`本年增/减`), a change
//! written in words is read as the signed number (`减12` is −12).
//!
//! Nothing is dropped: a row the template does not know is a finding (NB209),
//! the template rows a table lacks are one finding for the table (NB208; a group
//! row given as one row without its sub-rows is one finding too), a table that
//! looks statistical but fits no template is one finding for the table (NB210).
//! Where a table writes no explicit 0, its blanks stand for 0
//! ([`MappedTables::blanks_are_zero`]); the numbers each table prints are counted
//! ([`MappedTables::printed`]) so that what was not read can be measured.

use std::collections::BTreeSet;
use std::sync::Arc;

use foldhash::{HashMap, HashMapExt, HashSet};

use serde::{Deserialize, Serialize};

use nianbao_grammar::findings::Findings;
use nianbao_grammar::logical::{normalize, normalize_char};
use nianbao_grammar::{Block, Diagnostic, Message, Span, Table};

use crate::quantity::{read_cell, read_signed_cell, CellValue};
use crate::rules::codes;
use crate::template::{Layout, RowDef, RowKind, TableDef, Template};

/// One value of the report's statistics, mapped to a template indicator.
///
/// Its texts are shared, not copied per cell: the ids are the template's (made
/// once per template, [`LabelIndex`]), the label and unit once per printed row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorCell {
    /// Template table id (`stat`, `t2.a20_1`, `t3`, `t4`).
    pub table: Arc<str>,
    /// Row id (FORMATS), or the column id in a single-row table (表四).
    pub row: Arc<str>,
    /// Column id; `None` in a single-row table.
    pub column: Option<Arc<str>>,
    /// The row label as printed.
    pub label: Arc<str>,
    /// The unit as printed in the unit column or in the cell.
    pub unit: Option<Arc<str>>,
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
            None => self.row.to_string(),
        }
    }

    /// The bytes of [`IndicatorCell::id`], without making the string.
    fn id_bytes(&self) -> impl Iterator<Item = u8> + '_ {
        let column = self.column.as_deref();
        self.row
            .bytes()
            .chain(column.map(|_| b'@'))
            .chain(column.unwrap_or("").bytes())
    }
}

/// FNV-1a of a cell id's bytes: the cells are indexed by it, so that a cell's id
/// is hashed from its parts without being made ([`IndicatorCell::id_bytes`]) and a
/// looked-up id from its text.
fn id_hash(bytes: impl Iterator<Item = u8>) -> u64 {
    bytes.fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
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
    /// The first cell of each id hash ([`id_hash`]); `same_hash` chains the others.
    #[serde(skip)]
    index: HashMap<u64, usize>,
    /// Per cell, the next cell of the same id hash (`usize::MAX`: none).
    #[serde(skip)]
    same_hash: Vec<usize>,
    /// Numbers printed in the report's statistics tables (every table matched to
    /// the template or looking statistical), read or not.
    #[serde(skip)]
    printed: usize,
    /// Template tables that write no explicit 0 anywhere: their blanks stand for 0.
    #[serde(skip)]
    blank_zero: BTreeSet<String>,
}

impl MappedTables {
    /// The cell with id `row@col` (or a single-row column id).
    pub fn get(&self, id: &str) -> Option<&IndicatorCell> {
        self.find(id_hash(id.bytes()), |c| c.id_bytes().eq(id.bytes()))
            .and_then(|i| self.cells.get(i))
    }

    /// The cell of row `row` and column `column` (the cell with id `row@column`,
    /// or `row` without a column), found without making its id.
    pub fn get_parts(&self, row: &str, column: Option<&str>) -> Option<&IndicatorCell> {
        let id = || {
            row.bytes()
                .chain(column.map(|_| b'@'))
                .chain(column.unwrap_or("").bytes())
        };
        self.find(id_hash(id()), |c| c.id_bytes().eq(id()))
            .and_then(|i| self.cells.get(i))
    }

    /// The cell whose id hashes to `hash` and is `is`.
    fn find(&self, hash: u64, is: impl Fn(&IndicatorCell) -> bool) -> Option<usize> {
        let mut at = *self.index.get(&hash)?;
        while let Some(cell) = self.cells.get(at) {
            if is(cell) {
                return Some(at);
            }
            at = self.same_hash[at];
        }
        None
    }

    /// How many numbers the report prints in its statistics tables: every number
    /// in a table matched to the template or looking statistical, whether it was
    /// read or not (a row the template does not know, a value outside every column).
    pub fn printed(&self) -> usize {
        self.printed
    }

    /// How many of the printed numbers were read into template cells.
    pub fn extracted(&self) -> usize {
        self.cells
            .iter()
            .filter(|c| matches!(c.value, CellValue::Number(_)))
            .count()
    }

    /// True when template table `table` writes no explicit 0 anywhere but leaves
    /// cells blank: there a blank stands for 0 (elsewhere a blank is unknown).
    pub fn blanks_are_zero(&self, table: &str) -> bool {
        self.blank_zero.contains(table)
    }

    /// Records which tables use blanks for zero, once every table is mapped.
    fn settle_blanks(&mut self) {
        for id in &self.found {
            let of_table = || self.cells.iter().filter(|c| *c.table == **id);
            let explicit_zero =
                of_table().any(|c| matches!(&c.value, CellValue::Number(q) if q.value.is_zero()));
            let blank = of_table().any(|c| c.value == CellValue::Blank);
            if blank && !explicit_zero {
                self.blank_zero.insert(id.clone());
            }
        }
    }

    fn push(&mut self, cell: IndicatorCell, diagnostics: &mut Findings) {
        let hash = id_hash(cell.id_bytes());
        if let Some(first) = self.find(hash, |c| c.id_bytes().eq(cell.id_bytes())) {
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
        let next = self
            .index
            .insert(hash, self.cells.len())
            .unwrap_or(usize::MAX);
        self.same_hash.push(next);
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
    expand_year_cow(label, year).into_owned()
}

/// [`expand_year`], borrowing a label that names no year.
fn expand_year_cow(label: &str, year: Option<i32>) -> std::borrow::Cow<'_, str> {
    match year {
        Some(y) if label.contains("{year}") => label.replace("{year}", &y.to_string()).into(),
        _ => label.into(),
    }
}

/// A label normalized three ways: whole, without its number, before its `（`
/// (the last two are parts of the first: one string), as a template keeps it.
#[derive(Clone, Debug)]
struct LabelKey {
    full: String,
    /// Where [`Key::stripped`] starts in `full`.
    stripped_at: usize,
    /// Where [`Key::before`] ends in `full`.
    before_end: usize,
}

#[cfg(test)]
thread_local! {
    /// Labels normalized on this thread (tests count them).
    static NORMALIZED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Where the unnumbered part of a normalized label starts, and where its part
/// before `（` ends.
fn cuts(full: &str) -> (usize, usize) {
    #[cfg(test)]
    NORMALIZED.with(|n| n.set(n.get() + 1));
    let stripped = strip_marker(full);
    let stripped_at = full.len() - stripped.len();
    (stripped_at, stripped_at + before_paren(stripped).len())
}

impl LabelKey {
    fn new(label: &str, year: Option<i32>) -> Self {
        let full = normalize(&expand_year_cow(label, year));
        let (stripped_at, before_end) = cuts(&full);
        LabelKey {
            full,
            stripped_at,
            before_end,
        }
    }

    /// The key, borrowed.
    fn key(&self) -> Key<'_> {
        Key {
            full: &self.full,
            stripped_at: self.stripped_at,
            before_end: self.before_end,
        }
    }
}

/// A normalized label ([`LabelKey`]) borrowed: a template's, or a printed label's
/// from the arena of one mapping ([`Keys`]).
#[derive(Clone, Copy, Debug)]
struct Key<'a> {
    full: &'a str,
    stripped_at: usize,
    before_end: usize,
}

impl<'a> Key<'a> {
    /// The label without its leading number or `其中：` ([`strip_marker`]).
    fn stripped(&self) -> &'a str {
        &self.full[self.stripped_at..]
    }

    /// The stripped label before its `（` ([`before_paren`]).
    fn before(&self) -> &'a str {
        &self.full[self.stripped_at..self.before_end]
    }

    /// How well a printed label (`self`) fits a template label: 3 exact, 2 without
    /// number, 1 before `（`, 0 not at all.
    fn fit(&self, template: Key<'_>) -> u8 {
        if self.full.is_empty() || template.full.is_empty() {
            0
        } else if self.full == template.full {
            3
        } else if !self.stripped().is_empty() && self.stripped() == template.stripped() {
            2
        } else if !self.before().is_empty() && self.before() == template.before() {
            1
        } else {
            0
        }
    }

    /// The template label's key (without its number) when this printed label is
    /// that label with one run of characters left out (see [`Keys::abridged`]).
    fn abridges<'t>(&self, template: Key<'t>) -> Option<&'t str> {
        let fits = leaves_out_few(self.stripped(), template.stripped())
            || leaves_out_few(self.before(), template.before());
        fits.then_some(template.stripped())
    }
}

/// A template label, normalized once per template: ready, or (a label with
/// `{year}`) normalized with each report's year.
#[derive(Clone, Debug)]
enum TemplateKey {
    Ready(LabelKey),
    Yearly(String),
}

impl TemplateKey {
    fn new(label: &str) -> Self {
        if label.contains("{year}") {
            TemplateKey::Yearly(label.to_string())
        } else {
            TemplateKey::Ready(LabelKey::new(label, None))
        }
    }

    fn all<'a>(labels: impl IntoIterator<Item = &'a String>) -> Vec<TemplateKey> {
        labels.into_iter().map(|l| TemplateKey::new(l)).collect()
    }
}

/// Template labels that many labels are looked up in at once: the whole and
/// the unnumbered keys of labels without `{year}`, and the labels with it.
#[derive(Clone, Debug, Default)]
struct KeySet {
    full: HashSet<String>,
    stripped: HashSet<String>,
    yearly: Vec<TemplateKey>,
}

impl KeySet {
    fn new<'a>(keys: impl IntoIterator<Item = &'a TemplateKey>) -> Self {
        let mut set = KeySet::default();
        for k in keys {
            match k {
                TemplateKey::Ready(k) if !k.full.is_empty() => {
                    set.full.insert(k.full.clone());
                    if !k.key().stripped().is_empty() {
                        set.stripped.insert(k.key().stripped().to_string());
                    }
                }
                TemplateKey::Ready(_) => {}
                yearly => set.yearly.push(yearly.clone()),
            }
        }
        set
    }

    /// True when some label fits the printed one at least `at_least` (2 or 3).
    fn fits(&self, printed: Key<'_>, at_least: u8, keys: &Keys) -> bool {
        if printed.full.is_empty() {
            return false;
        }
        self.full.contains(printed.full)
            || (at_least <= 2
                && !printed.stripped().is_empty()
                && self.stripped.contains(printed.stripped()))
            || self
                .yearly
                .iter()
                .any(|t| keys.with(t, |t| printed.fit(t)) >= at_least)
    }
}

/// One row's labels: the accepted ones (label, variants), then its nonstandard ones.
#[derive(Clone, Debug)]
struct RowKeys {
    accepted: Vec<TemplateKey>,
    nonstandard: Vec<TemplateKey>,
}

/// One column's labels, and its header path normalized.
#[derive(Clone, Debug)]
struct ColumnKeys {
    accepted: Vec<TemplateKey>,
    nonstandard: Vec<TemplateKey>,
    /// `normalize` of each header of the path but the leaf.
    above: Vec<String>,
}

/// The normalized labels of one template table, computed once per template.
#[derive(Clone, Debug)]
struct TableKeys {
    captions: Vec<TemplateKey>,
    title_markers: Vec<(bool, TemplateKey)>,
    label_headers: Vec<TemplateKey>,
    unit_headers: Vec<TemplateKey>,
    rows: Vec<RowKeys>,
    /// Every wording of every row (accepted and nonstandard).
    any_row: KeySet,
    columns: Vec<ColumnKeys>,
    /// Every wording of every column (accepted and nonstandard).
    any_column: KeySet,
    /// `normalize` of every header of every column's path.
    headers: HashSet<String>,
    /// The ids a mapped cell shares ([`IndicatorCell`]): made once per template.
    ids: TableIds,
}

/// A template table's ids as its mapped cells hold them, each made once.
#[derive(Clone, Debug)]
struct TableIds {
    table: Arc<str>,
    rows: Vec<Arc<str>>,
    columns: Vec<Arc<str>>,
    /// Each column's header path joined by `/`: a single-row table's cell label.
    column_labels: Vec<Arc<str>>,
}

impl TableIds {
    fn new(def: &TableDef) -> Self {
        TableIds {
            table: def.id.as_str().into(),
            rows: def.rows.iter().map(|r| r.id.as_str().into()).collect(),
            columns: def.columns.iter().map(|c| c.id.as_str().into()).collect(),
            column_labels: def
                .columns
                .iter()
                .map(|c| c.header.join("/").into())
                .collect(),
        }
    }
}

impl TableKeys {
    fn new(def: &TableDef) -> Self {
        let rows: Vec<RowKeys> = def
            .rows
            .iter()
            .map(|r| RowKeys {
                accepted: TemplateKey::all(std::iter::once(&r.label).chain(&r.variants)),
                nonstandard: TemplateKey::all(&r.nonstandard),
            })
            .collect();
        let columns: Vec<ColumnKeys> = def
            .columns
            .iter()
            .map(|c| ColumnKeys {
                accepted: TemplateKey::all(std::iter::once(&c.label).chain(&c.variants)),
                nonstandard: TemplateKey::all(&c.nonstandard),
                above: c.header[..c.header.len().saturating_sub(1)]
                    .iter()
                    .map(|h| normalize(h))
                    .collect(),
            })
            .collect();
        TableKeys {
            captions: TemplateKey::all(def.caption.iter().chain(&def.caption_variants)),
            title_markers: def
                .title_markers
                .iter()
                .map(|m| (!m.is_empty(), TemplateKey::new(m)))
                .collect(),
            label_headers: TemplateKey::all(
                def.label_header.iter().chain(&def.label_header_variants),
            ),
            unit_headers: TemplateKey::all(def.unit_header.iter().chain(&def.unit_header_variants)),
            any_row: KeySet::new(
                rows.iter()
                    .flat_map(|r| r.accepted.iter().chain(&r.nonstandard)),
            ),
            any_column: KeySet::new(
                columns
                    .iter()
                    .flat_map(|c| c.accepted.iter().chain(&c.nonstandard)),
            ),
            headers: def
                .columns
                .iter()
                .flat_map(|c| &c.header)
                .map(|h| normalize(h))
                .collect(),
            rows,
            columns,
            ids: TableIds::new(def),
        }
    }
}

/// The normalized labels of a template's tables (in the order of
/// [`Template::tables`]), made once per template when its first table is mapped:
/// a report's labels are normalized once each and compared with these, never a
/// template label normalized again.
#[derive(Clone, Debug, Default)]
pub struct LabelIndex {
    tables: Vec<TableKeys>,
}

impl LabelIndex {
    /// The index of `template`'s tables.
    pub fn new(template: &Template) -> Self {
        LabelIndex {
            tables: template.tables.iter().map(TableKeys::new).collect(),
        }
    }
}

/// The keys of template table `def` (one of `template`'s tables).
fn keys_of<'t>(template: &'t Template, def: &TableDef) -> &'t TableKeys {
    let index = template.label_index();
    let at = template
        .tables
        .iter()
        .position(|d| std::ptr::eq(d, def))
        .expect("a table definition of this template");
    &index.tables[at]
}

/// Normalized printed labels, computed once per distinct string during one
/// mapping and kept in its arena, and the report's year for the template labels
/// that name it.
struct Keys<'b> {
    year: Option<i32>,
    arena: &'b bumpalo::Bump,
    cache: std::cell::RefCell<HashMap<&'b str, Key<'b>>>,
    /// A label normalized, before it is copied into the arena.
    buffer: std::cell::RefCell<String>,
}

impl<'b> Keys<'b> {
    fn new(year: Option<i32>, arena: &'b bumpalo::Bump) -> Self {
        Keys {
            year,
            arena,
            cache: std::cell::RefCell::new(HashMap::new()),
            buffer: std::cell::RefCell::new(String::new()),
        }
    }

    /// The key of printed label `s` (normalized the first time it is asked).
    fn key(&self, s: &str) -> Key<'b> {
        if let Some(&k) = self.cache.borrow().get(s) {
            return k;
        }
        let text: &'b str = self.arena.alloc_str(s);
        let full: &'b str = {
            let mut buffer = self.buffer.borrow_mut();
            buffer.clear();
            buffer.extend(
                expand_year_cow(s, self.year)
                    .chars()
                    .filter_map(normalize_char),
            );
            self.arena.alloc_str(&buffer)
        };
        let (stripped_at, before_end) = cuts(full);
        let k = Key {
            full,
            stripped_at,
            before_end,
        };
        self.cache.borrow_mut().insert(text, k);
        k
    }

    /// `s` normalized ([`normalize`]), into the arena.
    fn normalized(&self, s: &str) -> &'b str {
        let mut buffer = self.buffer.borrow_mut();
        buffer.clear();
        buffer.extend(s.chars().filter_map(normalize_char));
        self.arena.alloc_str(&buffer)
    }

    /// A template label's key (a label with `{year}` normalized with this report's year).
    fn template_key<'s>(&'s self, t: &'s TemplateKey) -> Key<'s> {
        match t {
            TemplateKey::Ready(k) => k.key(),
            TemplateKey::Yearly(label) => self.key(label),
        }
    }

    /// `f` of a template label's key ([`Keys::template_key`]).
    fn with<R>(&self, t: &TemplateKey, f: impl FnOnce(Key<'_>) -> R) -> R {
        f(self.template_key(t))
    }

    /// The best fit of the printed label among template labels (0: none fits).
    fn best_fit(&self, printed: Key<'_>, labels: &[TemplateKey]) -> u8 {
        labels
            .iter()
            .map(|t| self.with(t, |t| printed.fit(t)))
            .max()
            .unwrap_or(0)
    }

    /// True when one of the template labels fits the printed one without its number at least.
    fn header_fits(&self, printed: Key<'_>, labels: &[TemplateKey]) -> bool {
        labels.iter().any(|t| self.with(t, |t| printed.fit(t)) >= 2)
    }

    /// How well a printed label fits a template label: 3 exact, 2 without number, 1 before `（`.
    #[cfg(test)]
    fn fit(&self, printed: &str, template_label: &str) -> u8 {
        self.key(printed).fit(self.key(template_label))
    }

    /// The template label's key (without its number) when the printed label is
    /// that label with one run of characters left out — a shortened or truncated label
    /// (`本年废止件` for `本年废止件数`, `规范性文件` for `行政规范性文件`,
    /// `其他法律行政止公开` for `2.其他法律行政法规禁止公开`). Only characters
    /// left out count, never characters changed or added: one changed character can
    /// name another row (`专职人员数`/`兼职人员数`), an added word another item
    /// (`行政许可变更`). The caller keeps the match only when it is unique.
    fn abridged<'s>(&'s self, printed: Key<'_>, template: &'s TemplateKey) -> Option<&'s str> {
        printed.abridges(self.template_key(template))
    }
}

/// True when `short` is `long` with one run of characters left out — at least
/// one and at most a third of them, keeping at least four, and no negation
/// (`不` `未` `非` `无` `没`: leaving one out turns a label into its opposite).
/// One run only: `依申请公开信息数` is not `受理依申请公开信息总数` (two runs left out,
/// another indicator).
fn leaves_out_few(short: &str, long: &str) -> bool {
    let (short, long): (Vec<char>, Vec<char>) = (short.chars().collect(), long.chars().collect());
    let (n, m) = (short.len(), long.len());
    if n < 4 || n >= m || m - n > m / 3 {
        return false;
    }
    let prefix = short.iter().zip(&long).take_while(|(a, b)| a == b).count();
    let gap = prefix..prefix + (m - n);
    short[prefix..] == long[gap.end..] && !long[gap].iter().any(|c| "不未非无没".contains(*c))
}

/// A printed label or header read as a template row or column whose wording it
/// does not have (a `nonstandard` wording of the template data, or an abridged one).
struct Renamed {
    printed: String,
    template: String,
    span: Span,
}

/// A cell of the grid at a position, with its column range.
#[derive(Clone, Copy)]
struct GridCell<'a> {
    index: usize,
    col: usize,
    end: usize,
    starts_here: bool,
    cell: nianbao_grammar::Cell<'a>,
}

/// Rows above the last one read whose cells [`Rows`] keeps: a segment's header
/// (four rows at most) is read again from them.
const KEPT_ROWS: usize = 5;

/// The rows of one table as [`GridCell`]s, read down the table. A table's cells
/// are packed, and reading cell `i` alone decodes the cells before it up to a
/// mark: walking the rows in order, each cell is decoded once, from one pass over
/// the cells. The cells read that still cover a row further down (a `rowspan`)
/// are kept until they end; a row read again (a segment's header) reads its cells
/// by index.
pub(crate) struct Rows<'t> {
    table: &'t Table,
    cells: Box<dyn Iterator<Item = nianbao_grammar::Cell<'t>> + 't>,
    /// The index of the cell `cells` yields next.
    next: usize,
    /// Cells read that may cover a row below the last one read: (index, cell), in index order.
    window: Vec<(usize, nianbao_grammar::Cell<'t>)>,
    /// The row's cell indexes, each column's (a buffer).
    slots: Vec<(usize, usize)>,
}

impl<'t> Rows<'t> {
    /// The rows of `table`, none read yet.
    pub(crate) fn new(table: &'t Table) -> Self {
        Rows {
            table,
            cells: Box::new(table.cells()),
            next: 0,
            window: Vec::new(),
            slots: Vec::new(),
        }
    }

    /// Cell `index` of the table.
    fn cell(&mut self, index: usize) -> Option<nianbao_grammar::Cell<'t>> {
        if index >= self.next {
            while self.next <= index {
                let cell = self.cells.next()?;
                self.window.push((self.next, cell));
                self.next += 1;
            }
            return self.window.last().map(|&(_, c)| c);
        }
        match self.window.binary_search_by_key(&index, |&(i, _)| i) {
            Ok(k) => Some(self.window[k].1),
            Err(_) => self.table.cell(index),
        }
    }

    /// The cells covering grid row `r`, each once, left to right, into `out`.
    fn row_into(&mut self, r: usize, out: &mut Vec<GridCell<'t>>) {
        self.slots_into(r, out);
        out.sort_by_key(|c| c.col);
    }

    /// The texts of the cells covering grid row `r`, each once, in the order of
    /// the row's slots (`Table::row`), appended to `out`.
    pub(crate) fn texts_into(&mut self, r: usize, out: &mut Vec<&'t str>) {
        let mut cells = Vec::new();
        self.slots_into(r, &mut cells);
        out.extend(cells.iter().map(|c| c.cell.text));
    }

    /// The cells covering grid row `r`, each once, in the order of the row's
    /// slots, into `out`.
    fn slots_into(&mut self, r: usize, out: &mut Vec<GridCell<'t>>) {
        out.clear();
        // Cells that end a few rows above this one are dropped (a row further up,
        // read again, reads its cells by index): a segment's header rows are read
        // again once its first rows are read.
        self.window
            .retain(|(_, c)| c.row + c.row_span + KEPT_ROWS > r);
        let mut slots = std::mem::take(&mut self.slots);
        slots.clear();
        slots.extend(
            self.table
                .row(r)
                .enumerate()
                .filter_map(|(k, idx)| Some((idx?, k))),
        );
        // A cell spanning columns fills several slots: keep its first (in slot order).
        if !slots.windows(2).all(|w| w[0].0 < w[1].0) {
            slots.sort_unstable();
            slots.dedup_by_key(|&mut (idx, _)| idx);
            slots.sort_unstable_by_key(|&(_, k)| k);
        }
        for &(index, _) in &slots {
            if let Some(cell) = self.cell(index) {
                out.push(GridCell {
                    index,
                    col: cell.col,
                    end: cell.col + cell.col_span,
                    starts_here: cell.row == r,
                    cell,
                });
            }
        }
        self.slots = slots;
    }

    /// The cells covering grid row `r`, each once, left to right.
    fn row(&mut self, r: usize) -> Vec<GridCell<'t>> {
        let mut out = Vec::new();
        self.row_into(r, &mut out);
        out
    }

    /// Whether a number starts in row `r`.
    fn has_number(&mut self, r: usize, buffer: &mut Vec<GridCell<'t>>) -> bool {
        self.row_into(r, buffer);
        buffer
            .iter()
            .any(|c| c.starts_here && is_number(c.cell.text))
    }
}

/// The cells covering grid row `r` of `table`, each once, left to right, each read
/// by index (what [`Rows`] reads in one pass).
#[cfg(test)]
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
    crate::quantity::is_number_cell(text)
}

/// A table is statistical when most of its body rows carry a number.
fn looks_statistical(table: &Table) -> bool {
    let rows = table.row_count();
    let mut reader = Rows::new(table);
    let mut buffer = Vec::new();
    let numeric = (0..rows)
        .filter(|&r| reader.has_number(r, &mut buffer))
        .count();
    rows >= 2 && numeric * 2 >= rows
}

fn caption_of<'t>(
    template: &'t Template,
    cells: &[GridCell<'_>],
    keys: &Keys,
) -> Option<&'t TableDef> {
    let mut texts = cells
        .iter()
        .map(|c| c.cell.text)
        .filter(|t| !t.trim().is_empty());
    let (Some(text), None) = (texts.next(), texts.next()) else {
        return None;
    };
    let text = keys.key(text);
    let text = &text.full;
    let index = template.label_index();
    template
        .tables
        .iter()
        .zip(&index.tables)
        .find_map(|(t, tk)| {
            let fits = tk.captions.iter().any(|c| {
                keys.with(c, |c| {
                    let c = &c.full;
                    !c.is_empty() && (text == c || (t.part_of.is_some() && text.contains(c)))
                })
            });
            fits.then_some(t)
        })
}

/// Scores how well a segment fits template table `def` (`tk`: its keys;
/// `cells`: the keys of the cells that start in the segment's rows, in order, made
/// once for all the template's tables).
fn score(tk: &TableKeys, cells: &[(Key<'_>, usize)], keys: &Keys) -> usize {
    let mut total = 0;
    for &(n, times) in cells {
        let mut score = 0;
        if keys.header_fits(n, &tk.label_headers) {
            score += 3;
        }
        if tk.any_row.fits(n, 2, keys) {
            score += 2;
        }
        if tk.any_column.fits(n, 3, keys) {
            score += 1;
        }
        if tk
            .title_markers
            .iter()
            .any(|(named, m)| *named && keys.with(m, |m| n.full.contains(m.full)))
        {
            score += 2;
        }
        total += score * times;
    }
    total
}

/// Maps every table of the report to `template`; diagnostics for what does not fit.
pub fn map(
    template: &Template,
    blocks: &[Block],
    year: Option<i32>,
    diagnostics: &mut Findings,
) -> MappedTables {
    let mut mapped = MappedTables::default();
    let arena = bumpalo::Bump::new();
    let keys = Keys::new(year, &arena);
    for block in blocks {
        let Block::Table(table) = block else { continue };
        map_table(template, table, &keys, &mut mapped, diagnostics);
    }
    mapped.settle_blanks();
    mapped
}

/// The numbers a table prints (cells that read as a number, a change written in
/// words included), each merged cell once.
fn printed_numbers(table: &Table) -> usize {
    table
        .cells()
        .filter(|c| crate::quantity::is_signed_number_cell(c.text))
        .count()
}

fn map_table(
    template: &Template,
    table: &Table,
    keys: &Keys,
    mapped: &mut MappedTables,
    diagnostics: &mut Findings,
) {
    // Segments at caption rows, in one pass over the rows that also counts the rows
    // with a number and keys the cells of the rows before the first caption (the
    // one segment whose template table is found by its labels).
    let mut segments: Vec<(Option<&TableDef>, std::ops::Range<usize>)> = Vec::new();
    let mut start = 0;
    let mut current: Option<&TableDef> = None;
    let mut cells = Vec::new();
    let mut reader = Rows::new(table);
    let row_count = table.row_count();
    let mut numeric = 0;
    // Each distinct label key once, with how many cells print it: the score is a
    // sum over cells, and a table of many rows keeps no key per cell.
    let mut uncaptioned: Vec<(Key<'_>, usize)> = Vec::new();
    let mut uncaptioned_at: HashMap<&str, usize> = HashMap::new();
    for r in 0..row_count {
        reader.row_into(r, &mut cells);
        if cells
            .iter()
            .any(|c| c.starts_here && is_number(c.cell.text))
        {
            numeric += 1;
        }
        if let Some(def) = caption_of(template, &cells, keys) {
            if r > start || current.is_some() {
                segments.push((current, start..r));
            }
            current = Some(def);
            start = r + 1;
        } else if current.is_none() {
            for c in cells.iter().filter(|c| c.starts_here) {
                let key = keys.key(c.cell.text);
                match uncaptioned_at.get(key.full) {
                    Some(&i) => uncaptioned[i].1 += 1,
                    None => {
                        uncaptioned_at.insert(key.full, uncaptioned.len());
                        uncaptioned.push((key, 1));
                    }
                }
            }
        }
    }
    if start < row_count || current.is_some() {
        segments.push((current, start..row_count));
    }
    let mut any = false;
    let mut reader = Rows::new(table);
    for (def, rows) in segments {
        let def = def.or_else(|| {
            // Only the segment before the first caption has no caption: `uncaptioned` is its keys.
            let cells = &uncaptioned;
            template
                .tables
                .iter()
                .zip(&template.label_index().tables)
                .filter(|(d, _)| d.part_of.is_none() || d.caption.is_none())
                .map(|(d, tk)| (score(tk, cells, keys), d))
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
        map_segment(
            def,
            keys_of(template, def),
            &mut reader,
            rows,
            keys,
            mapped,
            diagnostics,
        );
    }
    let statistical = row_count >= 2 && numeric * 2 >= row_count;
    if any || statistical {
        mapped.printed += printed_numbers(table);
    }
    if !any && statistical {
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

/// Column ranges of the template's columns, from the header rows, and the
/// headers read as a column whose wording they do not have.
fn column_ranges<'t>(
    def: &TableDef,
    tk: &TableKeys,
    table: &mut Rows<'t>,
    header: std::ops::Range<usize>,
    keys: &Keys,
) -> (Vec<(usize, usize, usize)>, Vec<Renamed>) {
    let grid: &'t Table = table.table;
    let width = grid.width();
    // The header rows' cells, each column's (as `Table::cell_at` reads them): row
    // after row, `width` slots each.
    let mut header_cells: Vec<Option<nianbao_grammar::Cell<'t>>> =
        Vec::with_capacity(header.len() * width);
    for r in header.clone() {
        let start = header_cells.len();
        for idx in grid.row(r).take(width) {
            header_cells.push(idx.and_then(|idx| table.cell(idx)));
        }
        header_cells.resize(start + width, None);
    }
    // Header path per grid column (the texts as printed, one list for all
    // columns: column `c`'s path ends at `path_ends[c]`), and the span of its leaf.
    let mut leaf_spans: Vec<Option<Span>> = vec![None; width];
    let mut path_texts: Vec<&'t str> = Vec::new();
    let mut path_ends: Vec<usize> = Vec::with_capacity(width);
    for (c, leaf_span) in leaf_spans.iter_mut().enumerate() {
        let start = path_texts.len();
        for cell in header_cells.iter().skip(c).step_by(width.max(1)).flatten() {
            let t = cell.text.trim();
            if !t.is_empty() && path_texts[start..].last() != Some(&t) {
                path_texts.push(t);
                *leaf_span = Some(cell.span);
            }
        }
        path_ends.push(path_texts.len());
    }
    let path_range = |c: usize| (if c == 0 { 0 } else { path_ends[c - 1] })..path_ends[c];
    let paths: Vec<&[&'t str]> = (0..width).map(|c| &path_texts[path_range(c)]).collect();
    // Each grid column's leaf key, and the rest of its path normalized (a path
    // deeper than its leaf is rare: most columns normalize nothing here).
    let leaves: Vec<Option<Key<'_>>> = paths
        .iter()
        .map(|path| path.last().map(|leaf| keys.key(leaf)))
        .collect();
    let above_texts: Vec<&str> = path_texts
        .iter()
        .enumerate()
        .map(|(i, p)| match path_ends.binary_search(&(i + 1)) {
            // A leaf: not compared as a header above.
            Ok(_) => "",
            Err(_) => keys.normalized(p),
        })
        .collect();
    let above: Vec<&[&str]> = (0..width)
        .map(|c| {
            let range = path_range(c);
            &above_texts[range.start..range.end.max(range.start + 1) - 1]
        })
        .collect();
    // Whether a grid column's path prints a header of one of the table's columns above its leaf.
    let prints_a_header: Vec<bool> = above
        .iter()
        .map(|above| above.iter().any(|a| tk.headers.contains(*a)))
        .collect();
    let mut out = Vec::new();
    let mut renamed = Vec::new();
    let mut claimed = vec![false; width];
    for (k, col) in def.columns.iter().enumerate() {
        let ck = &tk.columns[k];
        let fits = |c: usize| -> bool {
            let Some(leaf) = &leaves[c] else {
                return false;
            };
            if !keys.header_fits(*leaf, &ck.accepted) && !keys.header_fits(*leaf, &ck.nonstandard) {
                return false;
            }
            // The rest of the template's path must appear above the leaf, when the report prints it.
            let above = &above[c];
            ck.above
                .iter()
                .all(|h| above.is_empty() || above.iter().any(|a| a == h) || !prints_a_header[c])
        };
        let cols: Vec<usize> = (0..width).filter(|&c| fits(c)).collect();
        if let (Some(&first), Some(&last)) = (cols.first(), cols.last()) {
            // Contiguous run only: repeated leaf labels under other parents were filtered above.
            out.push((k, first, last + 1));
            for &c in &cols {
                claimed[c] = true;
            }
            // A header matched only through a nonstandard wording is named.
            if let (Some(leaf), Some(key), Some(span)) =
                (paths[first].last(), &leaves[first], leaf_spans[first])
            {
                if !keys.header_fits(*key, &ck.accepted) {
                    renamed.push(Renamed {
                        printed: leaf.to_string(),
                        template: expand_year(&col.label, keys.year),
                        span,
                    });
                }
            }
        }
    }
    // A header no column claims, that is one column's header with a few characters
    // left out (and no other column's), is that column (each header looked at once).
    let unmatched = def.columns.len() > out.len();
    let abridged: Vec<Option<usize>> = (0..width)
        .map(|c| {
            let leaf = leaves[c].as_ref().filter(|_| unmatched && !claimed[c])?;
            abridged_column(tk, *leaf, keys)
        })
        .collect();
    for (k, col) in def.columns.iter().enumerate() {
        if out.iter().any(|&(j, _, _)| j == k) {
            continue;
        }
        let cols: Vec<usize> = (0..width).filter(|&c| abridged[c] == Some(k)).collect();
        let (Some(&first), Some(&last)) = (cols.first(), cols.last()) else {
            continue;
        };
        if cols.len() != last + 1 - first {
            continue;
        }
        out.push((k, first, last + 1));
        for &c in &cols {
            claimed[c] = true;
        }
        if let (Some(leaf), Some(span)) = (paths[first].last(), leaf_spans[first]) {
            renamed.push(Renamed {
                printed: leaf.to_string(),
                template: expand_year(&col.label, keys.year),
                span,
            });
        }
    }
    out.sort_by_key(|&(k, _, _)| k);
    (out, renamed)
}

/// The one column whose header the printed header abridges (see [`Keys::abridged`]).
fn abridged_column(tk: &TableKeys, printed: Key<'_>, keys: &Keys) -> Option<usize> {
    let mut found = None;
    for (k, col) in tk.columns.iter().enumerate() {
        let fits = col
            .accepted
            .iter()
            .chain(&col.nonstandard)
            .any(|l| keys.abridged(printed, l).is_some());
        match (fits, found) {
            (false, _) => {}
            (true, None) => found = Some(k),
            // Two columns fit (table 三's `其他` under two parents are told apart by
            // their paths, not here): no abridged match.
            (true, Some(_)) => return None,
        }
    }
    found
}

fn map_segment(
    def: &TableDef,
    tk: &TableKeys,
    table: &mut Rows<'_>,
    rows: std::ops::Range<usize>,
    keys: &Keys,
    mapped: &mut MappedTables,
    diagnostics: &mut Findings,
) {
    let mut cells = Vec::new();
    // Header rows: leading rows with no number that starts in them.
    let mut body_start = rows.start;
    while body_start < rows.end
        && body_start - rows.start < 4
        && !table.has_number(body_start, &mut cells)
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
            table.row_into(r, &mut cells);
            cells
                .iter()
                .any(|c| c.col == 0 && tk.any_row.fits(keys.key(c.cell.text), 2, keys))
        });
        if let Some(r) = first_label_row {
            body_start = r;
        }
        if depth == 1 && body_start > rows.start + 1 {
            body_start = body_start.min(rows.start + 1).max(rows.start + 1);
        }
    }
    let header = rows.start..body_start;
    let (ranges, mut renamed) = column_ranges(def, tk, table, header.clone(), keys);
    let first_value_col = ranges.iter().map(|r| r.1).min().unwrap_or(usize::MAX);
    let unit_col = header.clone().find_map(|r| {
        let units = &tk.unit_headers;
        table
            .row(r)
            .into_iter()
            .find(|c| !units.is_empty() && keys.header_fits(keys.key(c.cell.text), units))
            .map(|c| c.col)
    });
    match def.layout {
        Layout::SingleRow => {
            for r in body_start..rows.end {
                table.row_into(r, &mut cells);
                if !cells
                    .iter()
                    .any(|c| c.starts_here && is_number(c.cell.text))
                {
                    continue;
                }
                let mut used = Vec::new();
                for &(k, from, to) in &ranges {
                    let col = &def.columns[k];
                    if let Some(c) = pick_cell(&cells, from, to, &mut used) {
                        let value = read_value(c.cell.text, c.cell.span, col.signed);
                        mapped.push(
                            IndicatorCell {
                                table: tk.ids.table.clone(),
                                row: tk.ids.columns[k].clone(),
                                column: None,
                                label: tk.ids.column_labels[k].clone(),
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
            // The cells of the row taken by a column or as its label (a few: a list).
            let mut used: Vec<usize> = Vec::new();
            for r in body_start..rows.end {
                table.row_into(r, &mut cells);
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
                let label = label_cell.cell.text.trim();
                let matched = best_row(tk, label, last_row_index, keys);
                let has_value = cells.iter().any(|c| {
                    c.starts_here && c.col >= first_value_col && !c.cell.text.trim().is_empty()
                });
                let Some((row_index, nonstandard)) = matched else {
                    if has_value {
                        unknown_row(def, label, label_cell.cell.span, diagnostics);
                    }
                    continue;
                };
                last_row_index = Some(row_index);
                let row_def = &def.rows[row_index];
                if nonstandard {
                    renamed.push(Renamed {
                        printed: label.to_string(),
                        template: row_def.label.clone(),
                        span: label_cell.cell.span,
                    });
                }
                // The row's label and unit, shared by its cells (made when a cell is).
                let unit: Option<Arc<str>> = unit_col
                    .and_then(|uc| cells.iter().find(|c| c.col == uc))
                    .map(|c| c.cell.text.trim())
                    .filter(|u| !u.is_empty())
                    .map(Arc::from);
                let mut shared_label: Option<Arc<str>> = None;
                let mut row_label = || shared_label.get_or_insert_with(|| label.into()).clone();
                used.clear();
                used.push(label_cell.index);
                for &(k, from, to) in &ranges {
                    let col = &def.columns[k];
                    let Some(c) = pick_cell(&cells, from, to, &mut used) else {
                        // A row short of a cell: the value is blank, named at the row's label.
                        if row_def.kind == RowKind::Value {
                            let blank = IndicatorCell {
                                table: tk.ids.table.clone(),
                                row: tk.ids.rows[row_index].clone(),
                                column: Some(tk.ids.columns[k].clone()),
                                label: row_label(),
                                unit: unit.clone(),
                                value: CellValue::Blank,
                                span: label_cell.cell.span,
                            };
                            mapped.push(blank, diagnostics);
                        }
                        continue;
                    };
                    let value = read_value(c.cell.text, c.cell.span, col.signed || row_def.signed);
                    if row_def.kind == RowKind::Group
                        && matches!(value, CellValue::Blank | CellValue::Dash)
                    {
                        continue;
                    }
                    let unit = unit.clone().or_else(|| match &value {
                        CellValue::Number(q) => q.unit.as_deref().map(Arc::from),
                        _ => None,
                    });
                    mapped.push(
                        IndicatorCell {
                            table: tk.ids.table.clone(),
                            row: tk.ids.rows[row_index].clone(),
                            column: Some(tk.ids.columns[k].clone()),
                            label: row_label(),
                            unit,
                            value,
                            span: c.cell.span,
                        },
                        diagnostics,
                    );
                }
                extra_cells(&cells, first_value_col, unit_col, &used, label, diagnostics);
            }
        }
    }
    renamed_labels(def, &renamed, diagnostics);
}

/// A cell's value; in a column that may be negative, a change written in words too.
fn read_value(text: &str, span: Span, signed: bool) -> CellValue {
    if signed {
        read_signed_cell(text, span)
    } else {
        read_cell(text, span)
    }
}

/// NB215: one finding for the labels and headers of a table read as template
/// rows and columns whose wording they do not have.
fn renamed_labels(def: &TableDef, renamed: &[Renamed], diagnostics: &mut Findings) {
    let Some(first) = renamed.first() else {
        return;
    };
    let zh: Vec<String> = renamed
        .iter()
        .map(|r| format!("“{}”读作“{}”", one_line(&r.printed), r.template))
        .collect();
    let en: Vec<String> = renamed
        .iter()
        .map(|r| format!("\"{}\" as \"{}\"", one_line(&r.printed), r.template))
        .collect();
    let mut d = Diagnostic::new(
        &codes::NONSTANDARD_LABEL,
        first.span,
        Message::new(
            format!(
                "“{}”中有 {} 处标签与模板的写法不同，已按模板的行或列读取：{}",
                def.name_zh,
                renamed.len(),
                zh.join("；")
            ),
            format!(
                "{} label(s) of \"{}\" differ from the template's wording and were read as its rows or columns: {}",
                renamed.len(),
                def.name_en,
                en.join("; ")
            ),
        ),
    );
    for r in &renamed[1..] {
        let label = one_line(&r.printed);
        d = d.with_related(r.span, Message::new(label.clone(), label));
    }
    diagnostics.push(d);
}

/// A cell's text on one line (a header broken by `<br>`).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect()
}

/// Values in a row that no template column took (a row longer than its header).
fn extra_cells(
    cells: &[GridCell<'_>],
    first_value_col: usize,
    unit_col: Option<usize>,
    used: &[usize],
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
    used: &mut Vec<usize>,
) -> Option<&'a GridCell<'a>> {
    let pick = cells
        .iter()
        .find(|c| c.col >= from && c.col < to && !used.contains(&c.index))
        .or_else(|| {
            cells
                .iter()
                .find(|c| c.col <= from && c.end > from && !used.contains(&c.index))
        })?;
    used.push(pick.index);
    Some(pick)
}

/// The template row a printed label names: the best fit, ties broken by template
/// order after the previously matched row; `true` with it when the label is not one
/// of the row's accepted wordings (a `nonstandard` wording of the data, or the
/// row's label with one run of characters left out, when no other row's label is).
fn best_row(
    tk: &TableKeys,
    label: &str,
    after: Option<usize>,
    keys: &Keys,
) -> Option<(usize, bool)> {
    let label = keys.key(label);
    let after = after.unwrap_or(0);
    // One pass over the rows: the best fit, and among the rows that give it the
    // first one (with whether it is nonstandard) and the first one from `after` on.
    let mut best = 0;
    let mut first: Option<(usize, bool)> = None;
    let mut first_after: Option<(usize, bool)> = None;
    for (i, r) in tk.rows.iter().enumerate() {
        let accepted = keys.best_fit(label, &r.accepted);
        let other = keys.best_fit(label, &r.nonstandard);
        let (fit, nonstandard) = (accepted.max(other), other > accepted);
        if fit == 0 || fit < best {
            continue;
        }
        if fit > best {
            best = fit;
            first = Some((i, nonstandard));
            first_after = None;
        }
        if first_after.is_none() && i >= after {
            first_after = Some((i, nonstandard));
        }
    }
    if best > 0 {
        return first_after.or(first);
    }
    let in_order = |candidates: Vec<usize>| {
        candidates
            .iter()
            .copied()
            .find(|&i| i >= after)
            .or_else(|| candidates.first().copied())
    };
    // No wording fits: the label may be one row's label with characters left out.
    let mut keys_found: Vec<&str> = Vec::new();
    let mut candidates = Vec::new();
    for (i, r) in tk.rows.iter().enumerate() {
        let key = r
            .accepted
            .iter()
            .chain(&r.nonstandard)
            .find_map(|l| keys.abridged(label, l));
        if let Some(key) = key {
            if !keys_found.contains(&key) {
                keys_found.push(key);
            }
            candidates.push(i);
        }
    }
    // Rows that share one label (`（二）被依法纠错数` under 复议 and 诉讼) are one
    // candidate, told apart by order; two different labels are no match at all.
    if keys_found.len() != 1 {
        return None;
    }
    in_order(candidates).map(|i| (i, true))
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

/// Template rows the report lacks, in the tables it has (a table it lacks is a
/// rule's: [`crate::rules::structure::tables_missing`]).
pub fn missing(template: &Template, mapped: &MappedTables, at: Span, diagnostics: &mut Findings) {
    for def in &template.tables {
        if !mapped.found.contains(&def.id) {
            continue;
        }
        let table_at = mapped
            .found
            .iter()
            .position(|f| *f == def.id)
            .and_then(|i| mapped.found_at.get(i).copied())
            .unwrap_or(at);
        if !mapped.cells.iter().any(|c| *c.table == *def.id) {
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
            .find(|c| *c.table == *def.id)
            .map_or(table_at, |c| c.span);
        if def.layout == Layout::SingleRow {
            continue;
        }
        let present = |row: &str| {
            mapped
                .cells
                .iter()
                .any(|c| *c.table == *def.id && &*c.row == row)
        };
        // A group row printed with figures of its own and none of its sub-rows (the
        // 2019 wording `（六）其他处理` as one row in a 2021 table): one finding, and its
        // figures stand for the sub-rows' sum in the checks.
        let mut stood_in: Vec<&str> = Vec::new();
        for parent in def.rows.iter().filter(|r| r.kind == RowKind::Group) {
            if !present(&parent.id) {
                continue;
            }
            let children: Vec<&RowDef> = def
                .rows
                .iter()
                .filter(|r| r.parent.as_deref() == Some(parent.id.as_str()))
                .filter(|r| r.kind == RowKind::Value)
                .collect();
            if children.is_empty() || children.iter().any(|c| present(&c.id)) {
                continue;
            }
            stood_in.extend(children.iter().map(|c| c.id.as_str()));
            let span = mapped
                .cells
                .iter()
                .find(|c| *c.table == *def.id && *c.row == *parent.id)
                .map_or(first_cell, |c| c.span);
            let labels = quoted(children.iter().map(|c| c.label.as_str()), "、");
            let labels_en = quoted(children.iter().map(|c| c.label.as_str()), ", ");
            diagnostics.push(Diagnostic::new(
                &codes::ROW_MISSING,
                span,
                Message::new(
                    format!(
                        "“{}”的“{}”作为一行给出，没有模板中的子行{labels}；勾稽校验以该行的数值代表各子行之和",
                        def.name_zh, parent.label
                    ),
                    format!(
                        "in \"{}\", \"{}\" is given as one row, without its template sub-rows {labels_en}; the checks take its figures for their sum",
                        def.name_en, parent.label
                    ),
                ),
            ));
        }
        let absent: Vec<&str> = def
            .rows
            .iter()
            .filter(|r| r.kind == RowKind::Value)
            .filter(|r| !present(&r.id) && !stood_in.contains(&r.id.as_str()))
            .map(|r| r.label.as_str())
            .collect();
        let message = match absent.as_slice() {
            [] => continue,
            [label] => Message::new(
                format!("“{}”缺少模板中的行“{label}”", def.name_zh),
                format!(
                    "the table \"{}\" lacks the template row \"{label}\"",
                    def.name_en
                ),
            ),
            // One finding for the table, however many rows it lacks.
            many => {
                const SHOWN: usize = 8;
                let more = many.len().saturating_sub(SHOWN);
                let shown = || many.iter().take(SHOWN).copied();
                let (more_zh, more_en) = if more > 0 {
                    (format!("等 {} 行", many.len()), format!(" and {more} more"))
                } else {
                    (String::new(), String::new())
                };
                Message::new(
                    format!(
                        "“{}”缺少模板中的 {} 行：{}{more_zh}",
                        def.name_zh,
                        many.len(),
                        quoted(shown(), "、")
                    ),
                    format!(
                        "the table \"{}\" lacks {} template rows: {}{more_en}",
                        def.name_en,
                        many.len(),
                        quoted(shown(), ", ")
                    ),
                )
            }
        };
        diagnostics.push(Diagnostic::new(&codes::ROW_MISSING, first_cell, message));
    }
}

/// Labels in quotes, joined: `“1.…”、“2.…”`.
fn quoted<'a>(labels: impl Iterator<Item = &'a str>, sep: &str) -> String {
    labels
        .map(|l| format!("“{l}”"))
        .collect::<Vec<_>>()
        .join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label_fit(printed: &str, template_label: &str, year: Option<i32>) -> u8 {
        Keys::new(year, &bumpalo::Bump::new()).fit(printed, template_label)
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

    #[test]
    fn each_printed_label_is_normalized_once_and_template_labels_once_per_template() {
        let parsed =
            nianbao_grammar::parse(include_bytes!("../../../tests/fixtures/pingtan-2024.md"));
        let template = crate::template::find("national-2021", None).expect("a built-in template");
        template.label_index();
        let mut texts = HashSet::default();
        for block in &parsed.blocks {
            if let Block::Table(table) = block {
                texts.extend(table.cells().map(|c| c.text));
            }
        }
        for _ in 0..2 {
            let before = NORMALIZED.with(std::cell::Cell::get);
            let mut findings = Findings::default();
            let mapped = map(template, &parsed.blocks, Some(2024), &mut findings);
            assert!(mapped.cells.len() > 100);
            let normalized = NORMALIZED.with(std::cell::Cell::get) - before;
            // Printed labels only (no template label of national-2021 names the year).
            assert!(normalized <= texts.len(), "{normalized} > {}", texts.len());
        }
    }

    #[test]
    fn cells_are_found_by_their_id_and_an_id_is_mapped_once() {
        let cell = |row: &str, column: Option<&str>, n: u32| IndicatorCell {
            table: "t".into(),
            row: row.into(),
            column: column.map(Into::into),
            label: format!("第{n}行").into(),
            unit: None,
            value: CellValue::Blank,
            span: Span::new(n as usize, n as usize + 1),
        };
        let mut mapped = MappedTables::default();
        let mut findings = Findings::default();
        for n in 0..200 {
            mapped.push(cell(&format!("r{n}"), Some("c"), n), &mut findings);
        }
        // The same id again, and a single-row column whose id reads the same.
        mapped.push(cell("r7", Some("c"), 1000), &mut findings);
        mapped.push(cell("r8@c", None, 1001), &mut findings);
        mapped.push(cell("r8", None, 1002), &mut findings);
        assert_eq!(mapped.cells.len(), 201);
        assert_eq!(findings.iter().count(), 2);
        for n in 0..200 {
            let found = mapped.get(&format!("r{n}@c")).expect("mapped");
            assert_eq!(*found.label, format!("第{n}行"));
        }
        assert_eq!(mapped.get("r8").map(|c| c.span.start), Some(1002));
        assert!(mapped.get("r8@").is_none() && mapped.get("r200@c").is_none());
        assert!(mapped.get("r1").is_none() && mapped.get("").is_none());
    }

    #[test]
    fn rows_read_down_the_table_are_the_rows_read_by_index() {
        let spans = "<table><tr><td rowspan=\"3\">甲</td><td colspan=\"2\">乙</td><td>1</td></tr>\
                     <tr><td>丙</td><td rowspan=\"2\" colspan=\"2\">2</td></tr>\
                     <tr><td>丁</td></tr><tr><td colspan=\"4\">戊</td></tr></table>";
        let inputs: [&[u8]; 4] = [
            include_bytes!("../../../tests/fixtures/zhongwei-2017.md"),
            include_bytes!("../../../tests/fixtures/pingtan-2023.page.html"),
            include_bytes!("../../../tests/corpus/html/pingtan-gongan-2019.body.html"),
            spans.as_bytes(),
        ];
        fn as_tuples<'a>(
            cells: &[GridCell<'a>],
        ) -> Vec<(usize, usize, usize, bool, nianbao_grammar::Cell<'a>)> {
            cells
                .iter()
                .map(|c| (c.index, c.col, c.end, c.starts_here, c.cell))
                .collect()
        }
        let mut tables = 0;
        for input in inputs {
            let parsed = nianbao_grammar::parse(input);
            for block in &parsed.blocks {
                let Block::Table(table) = block else { continue };
                tables += 1;
                let n = table.row_count();
                // Down the table, back up a few rows now and then, and from the bottom up.
                let order = (0..n)
                    .flat_map(|r| [r, r.saturating_sub(3)])
                    .chain((0..n).rev());
                let mut rows = Rows::new(table);
                for r in order {
                    assert_eq!(
                        as_tuples(&rows.row(r)),
                        as_tuples(&row_cells(table, r)),
                        "row {r}"
                    );
                }
            }
        }
        assert!(tables >= 5, "{tables}");
    }

    #[test]
    fn a_label_fits_with_characters_left_out_only_within_bounds() {
        assert!(leaves_out_few("本年废止件", "本年废止件数"));
        assert!(leaves_out_few("规范性文件", "行政规范性文件"));
        assert!(leaves_out_few(
            "其他法律行政止公开",
            "其他法律行政法规禁止公开"
        ));
        // A character changed or added is not a character left out.
        assert!(!leaves_out_few("先行有效件数", "现行有效件数"));
        assert!(!leaves_out_few("专职人员数", "兼职人员数"));
        assert!(!leaves_out_few("行政许可变更", "行政许可"));
        // Two runs left out (another indicator), a negation left out.
        assert!(!leaves_out_few(
            "依申请公开信息数",
            "受理依申请公开信息总数"
        ));
        assert!(!leaves_out_few(
            "同意部分公开答复数",
            "不同意部分公开答复数"
        ));
        // More than a third left out, fewer than four kept, nothing left out.
        assert!(!leaves_out_few("公开数量", "本年新公开数量"));
        assert!(!leaves_out_few("申请数", "收到申请数"));
        assert!(!leaves_out_few("本年废止件数", "本年废止件数"));
        // Compared without the number and 其中.
        let arena = bumpalo::Bump::new();
        let keys = Keys::new(None, &arena);
        assert_eq!(
            keys.abridged(
                keys.key("2、其他法律行政止公开"),
                &TemplateKey::new("2.其他法律行政法规禁止公开")
            ),
            Some("其他法律行政法规禁止公开")
        );
    }
}
