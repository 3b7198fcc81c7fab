//! Copied text (NB605, NB606, NB607): how much of a report's own text another
//! report also has — last year's report of the same body, or another report of
//! the run.
//!
//! # What is compared
//!
//! A report's **own text** is its narrative: the paragraphs and headings, never
//! a table (tables print the template's labels and this year's figures). Each
//! character is normalised: full-width forms folded to half width, letters to
//! lower case, whitespace and punctuation dropped, and every run of digits one
//! mark `#`. Masking the digits is deliberate: a report copied with only its
//! figures and year changed (`2023年收到申请12件` → `2024年收到申请15件`) is
//! what evaluators call 雷同, and it must read as the same text. Then the
//! **boilerplate** is taken out: every stretch that is a phrase of the shipped
//! list (`data/boilerplate.txt`: the template's own text, citations of the
//! regulation and the General Office's notices, sentences found in reports of
//! different regions) or a row or column label of a built-in template. What is
//! left are runs of own characters; a run shorter than a shingle is dropped.
//!
//! # How it is compared
//!
//! Every [`SHINGLE`] consecutive characters of a run are hashed (a shingle; no
//! word segmentation is needed). A character of this report is **shared** when a
//! shingle covering it is also a shingle of the other report; the share is the
//! shared characters over the own characters, overall and per top-level section.
//! Passages are found by walking this report's shingles: at a shared one, the
//! other report's first place with that shingle is extended forward while the two
//! agree. Everything is linear in the two texts.
//!
//! Across a run, candidates come from an inverted index of a sample of each
//! report's shingles, each posting list holding at most a few reports: a report
//! is compared in full with its best few candidates only, so a run of 2,000
//! copies of one report costs linear time, not two million comparisons.
//! [`closest_all`] looks each report up among all the others of a whole run
//! (the same answer whatever the run's order; both reports of a copied pair name
//! each other); [`CopyIndex`] among those seen so far. A server keeps the same
//! index in its database, and each report's print in its stored form
//! ([`TextPrint::to_bytes`]).
//!
//! ```
//! use nianbao_model::copies::{compare, TextPrint};
//! let a = nianbao_model::check(include_bytes!("../../../tests/fixtures/pingtan-2024.md"));
//! let print = TextPrint::of(&a);
//! let same = compare(&print, &print);
//! assert!(same.own > 0 && same.shared == same.own);
//! ```

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use nianbao_grammar::{Block, Diagnostic, Elsewhere, Message, Severity, Span};

use crate::rules::codes;
use crate::CheckedReport;

/// Characters in a shingle. Ten characters are about two short Chinese phrases:
/// long enough that two reports share one by chance only in standard wording
/// (which the boilerplate takes out), short enough that a copied sentence with
/// a word changed still shares most of its shingles.
pub const SHINGLE: usize = 10;

/// The share, in percent, above which copied text is a warning (by default).
pub const DEFAULT_THRESHOLD: u8 = 50;

/// No shingle at this position (the last characters of a run).
const NONE: u32 = u32::MAX;

/// The boilerplate phrases as shipped, one a line.
const BOILERPLATE: &str = include_str!("../data/boilerplate.txt");

/// A report's own text, as kept for comparisons: for each own character its
/// shingle hash and where it is in the original input. See the module
/// documentation. About 18 bytes per own character; the report's parse is not kept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextPrint {
    /// The shingle starting at each own character, [`NONE`] for the last
    /// `SHINGLE - 1` characters of a run.
    hashes: Vec<u32>,
    /// Original byte offset of each own character (a `#` is its run of digits).
    starts: Vec<u32>,
    /// Its length in bytes (at most 255: a longer run of digits is cut).
    lens: Vec<u8>,
    /// Its length in characters of the original.
    widths: Vec<u8>,
    /// 1-based line and column of its start.
    lines: Vec<u32>,
    columns: Vec<u32>,
    /// The top-level sections: the first own character of each, and its heading.
    sections: Vec<(u32, String)>,
    /// The report's title span, where a finding points when no passage is shared.
    title: Option<Span>,
}

/// One passage shared by two reports: where it starts in each, as own
/// character indexes, and its length in own characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Passage {
    /// First own character in this report.
    pub this: usize,
    /// First own character in the other report.
    pub other: usize,
    /// Length in own characters.
    pub len: usize,
}

/// The share of one section's own text found in the other report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionShare {
    /// The section's heading (marker and title), or `""` for the text before the first.
    pub heading: String,
    /// Own characters.
    pub own: usize,
    /// Of them, shared with the other report.
    pub shared: usize,
}

/// What [`compare`] finds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comparison {
    /// Own characters of this report.
    pub own: usize,
    /// Of them, found in the other report.
    pub shared: usize,
    /// Per top-level section, in order (sections without own text left out).
    pub sections: Vec<SectionShare>,
    /// The longest shared passages, longest first (at most [`PASSAGES`]).
    pub passages: Vec<Passage>,
}

/// Passages named in a finding.
pub const PASSAGES: usize = 3;

impl Comparison {
    /// The share in whole percent, rounded down (0 without own text).
    pub fn percent(&self) -> u32 {
        percent(self.shared, self.own)
    }

    /// True when the share is at least `threshold` percent (exactly, not rounded).
    pub fn at_least(&self, threshold: u8) -> bool {
        self.own > 0 && self.shared * 100 >= usize::from(threshold) * self.own
    }

    /// The most-copied section: the highest share among the sections of at
    /// least [`SECTION_MIN`] own characters (more shared characters, then the
    /// first, on a tie), so that a one-line section copied whole does not
    /// outrank a long one copied nearly whole. When no section is that long,
    /// the one with the most shared characters. `None` when nothing is shared.
    pub fn most_copied(&self) -> Option<&SectionShare> {
        let mut best: Option<&SectionShare> = None;
        for s in self
            .sections
            .iter()
            .filter(|s| s.own >= SECTION_MIN && s.shared > 0)
        {
            let better = best.is_none_or(|b| {
                let (x, y) = (s.shared * b.own, b.shared * s.own);
                x > y || (x == y && s.shared > b.shared)
            });
            if better {
                best = Some(s);
            }
        }
        if best.is_none() {
            for s in self.sections.iter().filter(|s| s.shared > 0) {
                if best.is_none_or(|b| s.shared > b.shared) {
                    best = Some(s);
                }
            }
        }
        best
    }
}

/// Own characters a section needs to be named the most-copied one by its share
/// (about three sentences): below it a share says little.
pub const SECTION_MIN: usize = 100;

fn percent(part: usize, whole: usize) -> u32 {
    if whole == 0 {
        return 0;
    }
    u32::try_from(part * 100 / whole).unwrap_or(100)
}

// ---------------------------------------------------------------------------
// Normalising
// ---------------------------------------------------------------------------

/// One character of the normalised text: `None` for what is dropped
/// (whitespace, punctuation, symbols), `Some('#')` for a digit.
fn normal(c: char) -> Option<char> {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    if c.is_numeric() && !is_chinese_numeral(c) {
        return Some('#');
    }
    if !c.is_alphanumeric() {
        return None;
    }
    Some(c.to_lowercase().next().unwrap_or(c))
}

/// Chinese numerals are words of the text (`一是`, `第三章`), not figures.
fn is_chinese_numeral(c: char) -> bool {
    matches!(
        c,
        '〇' | '一'
            | '二'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '千'
            | '万'
            | '亿'
            | '零'
            | '两'
    )
}

/// The normalised form of a phrase: [`normal`] of each character, a run of digits one `#`.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().filter_map(normal) {
        if c == '#' && out.ends_with('#') {
            continue;
        }
        out.push(c);
    }
    out
}

/// The boilerplate phrases normalised, in one automaton.
fn boilerplate() -> &'static AhoCorasick {
    static AUTOMATON: OnceLock<AhoCorasick> = OnceLock::new();
    AUTOMATON.get_or_init(|| {
        let mut phrases: Vec<String> = BOILERPLATE
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(normalise)
            .collect();
        for template in crate::template::builtin() {
            for table in &template.tables {
                let labels = table.rows.iter().flat_map(|r| {
                    std::iter::once(&r.label)
                        .chain(&r.variants)
                        .chain(&r.nonstandard)
                });
                let columns = table.columns.iter().map(|c| &c.label);
                let captions = table.caption.iter().chain(&table.caption_variants);
                phrases.extend(
                    labels
                        .chain(columns)
                        .chain(captions)
                        .chain(std::iter::once(&table.name_zh))
                        .map(|l| normalise(l)),
                );
            }
        }
        // Two characters or fewer would cut own text everywhere (`其他`, `总计`).
        phrases.retain(|p| p.chars().count() > 2);
        phrases.sort();
        phrases.dedup();
        AhoCorasick::new(&phrases).expect("the boilerplate phrases build an automaton")
    })
}

/// A section's heading as a finding names it: its marker and title, cut after
/// [`HEADING_CHARS`] characters (a plain-text report runs a heading into its text).
fn heading(marker: &str, title: &str) -> String {
    let mut out: String = marker
        .chars()
        .chain(title.chars())
        .take(HEADING_CHARS)
        .collect();
    if marker.chars().count() + title.chars().count() > HEADING_CHARS {
        out.push('…');
    }
    out
}

/// The characters of a section's heading kept.
const HEADING_CHARS: usize = 24;

/// A hash of a shingle's characters (FNV-1a over the code points, folded to 32 bits).
fn shingle_hash(chars: &[char]) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &c in chars {
        h ^= u64::from(u32::from(c));
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let folded = (h ^ (h >> 32)) as u32;
    // NONE is reserved for "no shingle here".
    if folded == NONE {
        NONE - 1
    } else {
        folded
    }
}

impl TextPrint {
    /// The own text of a checked report (see the module documentation).
    pub fn of(checked: &CheckedReport) -> TextPrint {
        let parsed = &checked.parsed;
        let mut print = TextPrint {
            title: checked.report.front.title.as_ref().map(|f| f.span),
            ..TextPrint::default()
        };
        let automaton = boilerplate();
        // The top-level sections, by the block their heading is in.
        let outline: Vec<(usize, String)> = parsed
            .outline
            .iter()
            .map(|s| (s.block, heading(s.marker(), s.title())))
            .collect();
        let mut next_section = 0;
        // Per paragraph, reused: its normalised characters with their byte ranges in its text.
        let mut chars: Vec<(char, usize, usize)> = Vec::new();
        let mut normal_text = String::new();
        let mut covered: Vec<bool> = Vec::new();
        // The characters' lines and columns, counted on from the last one located.
        let mut cursor = nianbao_grammar::LineCursor::default();
        for (index, block) in parsed.blocks.iter().enumerate() {
            while outline
                .get(next_section)
                .is_some_and(|(block, _)| *block <= index)
            {
                if let Some((_, heading)) = outline.get(next_section) {
                    let at = u32::try_from(print.starts.len()).unwrap_or(u32::MAX);
                    print.sections.push((at, heading.clone()));
                }
                next_section += 1;
            }
            let Block::Para(para) = block else { continue };
            let text = para.text.as_str();
            chars.clear();
            normal_text.clear();
            for (i, c) in text.char_indices() {
                let Some(n) = normal(c) else { continue };
                let end = i + c.len_utf8();
                if n == '#' {
                    if let Some(last) = chars.last_mut() {
                        // A run of digits (and what is dropped inside it: `1,234.5`) is one mark.
                        let inside = last.0 == '#'
                            && text[last.2..i].chars().all(|d| normal(d).is_none())
                            && end - last.1 <= usize::from(u8::MAX);
                        if inside {
                            last.2 = end;
                            continue;
                        }
                    }
                }
                chars.push((n, i, end));
                normal_text.push(n);
            }
            if chars.len() < SHINGLE {
                continue;
            }
            // Characters inside a boilerplate phrase (byte offsets of the normalised text → characters).
            covered.clear();
            covered.resize(chars.len(), false);
            let mut char_at: Vec<usize> = Vec::with_capacity(normal_text.len() + 1);
            for (k, c) in normal_text.chars().enumerate() {
                char_at.extend(std::iter::repeat_n(k, c.len_utf8()));
            }
            char_at.push(chars.len());
            for m in automaton.find_overlapping_iter(normal_text.as_str()) {
                let (from, to) = (char_at[m.start()], char_at[m.end()]);
                for c in covered.iter_mut().take(to).skip(from) {
                    *c = true;
                }
            }
            // Runs of own characters, each at least a shingle long.
            let mut k = 0;
            while k < chars.len() {
                if covered[k] {
                    k += 1;
                    continue;
                }
                let start = k;
                while k < chars.len() && !covered[k] {
                    k += 1;
                }
                if k - start >= SHINGLE {
                    print.push_run(parsed, para, &chars[start..k], &mut cursor);
                }
            }
        }
        print
    }

    fn push_run(
        &mut self,
        parsed: &nianbao_grammar::Parsed,
        para: &nianbao_grammar::Para,
        run: &[(char, usize, usize)],
        cursor: &mut nianbao_grammar::LineCursor,
    ) {
        let letters: Vec<char> = run.iter().map(|c| c.0).collect();
        for (k, &(_, from, to)) in run.iter().enumerate() {
            let hash = match letters.get(k..k + SHINGLE) {
                Some(window) => shingle_hash(window),
                None => NONE,
            };
            let span = para.span_of(from..to);
            let at = parsed.line_col_from(cursor, span.start);
            let text = para.text.as_str().get(from..to).unwrap_or("");
            self.hashes.push(hash);
            self.starts
                .push(u32::try_from(span.start).unwrap_or(u32::MAX));
            self.lens.push(u8::try_from(span.len()).unwrap_or(u8::MAX));
            self.widths
                .push(u8::try_from(text.chars().count()).unwrap_or(u8::MAX));
            self.lines.push(u32::try_from(at.line).unwrap_or(u32::MAX));
            self.columns
                .push(u32::try_from(at.column).unwrap_or(u32::MAX));
        }
    }

    /// Own characters.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// True when the report has no own text (only tables and boilerplate).
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// The original span of own characters `first..first + len`.
    pub fn span(&self, first: usize, len: usize) -> Span {
        let last = first + len.max(1) - 1;
        let start = self.starts.get(first).copied().unwrap_or(0) as usize;
        let end = self.starts.get(last).copied().unwrap_or(0) as usize
            + usize::from(self.lens.get(last).copied().unwrap_or(0));
        Span::new(start, end.max(start))
    }

    /// Where own characters `first..first + len` are in the original input,
    /// for a finding on another report: its path, lines and columns.
    pub fn elsewhere(&self, path: &str, first: usize, len: usize) -> Elsewhere {
        let last = first + len.max(1) - 1;
        let get = |v: &Vec<u32>, i: usize| v.get(i).copied().unwrap_or(1) as usize;
        Elsewhere {
            path: path.to_string(),
            line: get(&self.lines, first),
            column: get(&self.columns, first),
            end_line: get(&self.lines, last),
            end_column: get(&self.columns, last)
                + usize::from(self.widths.get(last).copied().unwrap_or(1)),
        }
    }

    /// A span of this report's own text, located (line and column of its
    /// start) from the print alone: where a finding of a stored report points
    /// without its parse. A span that starts at no own character is located at
    /// the nearest own character before it.
    pub fn locate(&self, span: Span) -> nianbao_grammar::located::LocatedSpan {
        let at = u32::try_from(span.start).unwrap_or(u32::MAX);
        let i = self.starts.partition_point(|&s| s <= at).saturating_sub(1);
        nianbao_grammar::located::LocatedSpan {
            start: span.start,
            end: span.end,
            line: self.lines.get(i).copied().unwrap_or(1) as usize,
            column: self.columns.get(i).copied().unwrap_or(1) as usize,
        }
    }

    /// The 1-based line of own character `i`.
    pub fn line(&self, i: usize) -> usize {
        self.lines.get(i).copied().unwrap_or(1) as usize
    }

    /// The shingles kept for an index of many reports: those whose hash is 0
    /// modulo [`SAMPLE`] (the same shingles in every report that has them), at
    /// most one of each, in increasing order.
    pub fn sample(&self) -> Vec<u32> {
        let mut out: Vec<u32> = self
            .hashes
            .iter()
            .copied()
            .filter(|&h| h != NONE && h % SAMPLE == 0)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

// ---------------------------------------------------------------------------
// The stored form
// ---------------------------------------------------------------------------

/// The version of [`TextPrint::to_bytes`]' format and of what it holds (the
/// normalising, the boilerplate, the shingle hash): a print of another version
/// is made again from the report.
pub const PRINT_VERSION: u32 = 1;

/// The first bytes of a stored print.
const PRINT_MAGIC: &[u8; 4] = b"NBTP";

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_delta(out: &mut Vec<u8>, from: u32, to: u32) {
    let d = i64::from(to) - i64::from(from);
    put_varint(out, ((d << 1) ^ (d >> 63)) as u64);
}

/// Reads a stored print, front to back; `None` at the first thing out of place.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let end = self.at.checked_add(n)?;
        let out = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(out)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = *self.take(1)?.first()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    fn small(&mut self) -> Option<u32> {
        u32::try_from(self.varint()?).ok()
    }

    fn delta(&mut self, from: u32) -> Option<u32> {
        let z = self.varint()?;
        let d = ((z >> 1) as i64) ^ -((z & 1) as i64);
        u32::try_from(i64::from(from) + d).ok()
    }
}

impl TextPrint {
    /// The compact stored form (see [`PRINT_VERSION`]): about 7 bytes per own
    /// character — the shingle hashes, and the places as small differences.
    pub fn to_bytes(&self) -> Vec<u8> {
        let n = self.len();
        let mut out = Vec::with_capacity(16 + n * 8);
        out.extend_from_slice(PRINT_MAGIC);
        put_varint(&mut out, u64::from(PRINT_VERSION));
        put_varint(&mut out, n as u64);
        for h in &self.hashes {
            out.extend_from_slice(&h.to_le_bytes());
        }
        let mut last = 0;
        for &s in &self.starts {
            put_delta(&mut out, last, s);
            last = s;
        }
        out.extend_from_slice(&self.lens);
        out.extend_from_slice(&self.widths);
        let mut last = 0;
        for &l in &self.lines {
            put_delta(&mut out, last, l);
            last = l;
        }
        for &c in &self.columns {
            put_varint(&mut out, u64::from(c));
        }
        put_varint(&mut out, self.sections.len() as u64);
        for (at, heading) in &self.sections {
            put_varint(&mut out, u64::from(*at));
            put_varint(&mut out, heading.len() as u64);
            out.extend_from_slice(heading.as_bytes());
        }
        match self.title {
            Some(t) => {
                out.push(1);
                put_varint(&mut out, t.start as u64);
                put_varint(&mut out, t.end as u64);
            }
            None => out.push(0),
        }
        out
    }

    /// A print read back from [`TextPrint::to_bytes`]: `None` when the bytes are
    /// of another version or not a print (then it is made again from the report).
    pub fn from_bytes(bytes: &[u8]) -> Option<TextPrint> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(4)? != PRINT_MAGIC || r.small()? != PRINT_VERSION {
            return None;
        }
        let n = usize::try_from(r.varint()?).ok()?;
        // Each own character takes at least 7 bytes: a count beyond them is not a print.
        if n > bytes.len() / 7 {
            return None;
        }
        let mut p = TextPrint::default();
        for chunk in r.take(n.checked_mul(4)?)?.chunks_exact(4) {
            p.hashes
                .push(u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]));
        }
        let mut last = 0;
        for _ in 0..n {
            last = r.delta(last)?;
            p.starts.push(last);
        }
        p.lens = r.take(n)?.to_vec();
        p.widths = r.take(n)?.to_vec();
        let mut last = 0;
        for _ in 0..n {
            last = r.delta(last)?;
            p.lines.push(last);
        }
        for _ in 0..n {
            p.columns.push(r.small()?);
        }
        let sections = usize::try_from(r.varint()?).ok()?;
        for _ in 0..sections.min(bytes.len()) {
            let at = r.small()?;
            let len = usize::try_from(r.varint()?).ok()?;
            let heading = std::str::from_utf8(r.take(len)?).ok()?.to_string();
            p.sections.push((at, heading));
        }
        p.title = match r.take(1)?.first()? {
            0 => None,
            _ => {
                let start = usize::try_from(r.varint()?).ok()?;
                let end = usize::try_from(r.varint()?).ok()?;
                Some(Span::new(start, end.max(start)))
            }
        };
        (r.at == bytes.len()).then_some(p)
    }
}

/// The share of `this` report's own text found in `other`, per section, and the
/// longest shared passages. Linear in both texts.
pub fn compare(this: &TextPrint, other: &TextPrint) -> Comparison {
    // The other report's first place of each shingle.
    let mut first: HashMap<u32, u32, foldhash::fast::RandomState> =
        HashMap::with_capacity_and_hasher(other.len(), Default::default());
    for (i, &h) in other.hashes.iter().enumerate().rev() {
        if h != NONE {
            first.insert(h, u32::try_from(i).unwrap_or(u32::MAX));
        }
    }
    let n = this.len();
    // Shared characters: those under a shingle that the other report has.
    let mut shared = vec![false; n];
    let mut passages: Vec<Passage> = Vec::new();
    let mut i = 0;
    while i < n {
        let h = this.hashes[i];
        let Some(&j) = first.get(&h).filter(|_| h != NONE) else {
            i += 1;
            continue;
        };
        let j = j as usize;
        // Extend while both go on with the same shingles.
        let mut t = 0;
        while i + t < n
            && this.hashes[i + t] != NONE
            && other.hashes.get(j + t) == Some(&this.hashes[i + t])
        {
            t += 1;
        }
        let len = t + SHINGLE - 1;
        for s in shared.iter_mut().skip(i).take(len) {
            *s = true;
        }
        passages.push(Passage {
            this: i,
            other: j,
            len,
        });
        i += t;
    }
    passages.sort_by_key(|p| (std::cmp::Reverse(p.len), p.this));
    passages.truncate(PASSAGES);
    let mut sections = Vec::new();
    let bounds: Vec<(usize, &str)> = std::iter::once((0usize, ""))
        .chain(
            this.sections
                .iter()
                .map(|(at, heading)| (*at as usize, heading.as_str())),
        )
        .collect();
    for (k, &(from, heading)) in bounds.iter().enumerate() {
        let to = bounds.get(k + 1).map_or(n, |b| b.0).min(n);
        if to <= from {
            continue;
        }
        sections.push(SectionShare {
            heading: heading.to_string(),
            own: to - from,
            shared: shared[from..to].iter().filter(|&&s| s).count(),
        });
    }
    Comparison {
        own: n,
        shared: shared.iter().filter(|&&s| s).count(),
        sections,
        passages,
    }
}

// ---------------------------------------------------------------------------
// Findings
// ---------------------------------------------------------------------------

/// Which comparison a finding reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Against {
    /// The same body's report of the year before (NB605 above the threshold, NB606 below).
    PreviousYear,
    /// Another report of the run (NB607, above the threshold only).
    AnotherReport,
}

/// The finding on `this` report of its comparison with `other` (at `other_path`),
/// or `None`: when `this` has no own text, or, against another report of the run,
/// when the share is below `threshold` percent.
pub fn finding(
    against: Against,
    other_path: &str,
    other: &TextPrint,
    this: &TextPrint,
    threshold: u8,
) -> Option<Diagnostic> {
    if this.is_empty() {
        return None;
    }
    finding_of(
        against,
        other_path,
        other_path,
        other,
        this,
        &compare(this, other),
        threshold,
    )
}

/// [`finding`] from a comparison already made (`c`, of `this` with `other`),
/// the other report named `other_name` in the messages and found at
/// `other_path` (a path, or the address of a stored report) in the related spans.
pub fn finding_of(
    against: Against,
    other_name: &str,
    other_path: &str,
    other: &TextPrint,
    this: &TextPrint,
    c: &Comparison,
    threshold: u8,
) -> Option<Diagnostic> {
    if this.is_empty() {
        return None;
    }
    let above = c.at_least(threshold);
    if !above && against == Against::AnotherReport {
        return None;
    }
    let p = c.percent();
    // Each section's share, the text before the first heading named `opening`.
    let shares = |opening: &str| -> Vec<String> {
        c.sections
            .iter()
            .map(|s| {
                let name = if s.heading.is_empty() {
                    opening
                } else {
                    &s.heading
                };
                format!("“{name}” {}%", percent(s.shared, s.own))
            })
            .collect()
    };
    let sections_zh = shares("正文开头");
    let sections_en = shares("opening text");
    let (code, other_zh, other_en) = match (against, above) {
        (Against::PreviousYear, true) => (
            &codes::REPEATS_PREVIOUS_YEAR,
            "上年报告",
            "last year's report",
        ),
        (Against::PreviousYear, false) => (
            &codes::SHARE_WITH_PREVIOUS_YEAR,
            "上年报告",
            "last year's report",
        ),
        (Against::AnotherReport, _) => (
            &codes::COPIED_FROM_ANOTHER_REPORT,
            "另一份报告",
            "another report",
        ),
    };
    let message = Message::new(
        format!(
            "与{other_zh}重复 {p}%（{other_name}）：自有文字 {} 字中 {} 字与之相同；各章节：{}",
            c.own,
            c.shared,
            sections_zh.join("，")
        ),
        format!(
            "{p}% of the report's own text repeats {other_en} ({other_name}): {} of {} characters; by section: {}",
            c.shared,
            c.own,
            sections_en.join(", ")
        ),
    );
    let at = c
        .passages
        .first()
        .map(|p| this.span(p.this, p.len))
        .or(this.title)
        .unwrap_or(Span::new(0, 0));
    let mut d =
        Diagnostic::new(code, at, message).with_values(format!("<{threshold}%"), format!("{p}%"));
    if against == Against::PreviousYear && !above {
        d = d.with_severity(Severity::Info);
    }
    for passage in &c.passages {
        let line = other.line(passage.other);
        d = d
            .with_related(
                this.span(passage.this, passage.len),
                Message::new(
                    format!(
                        "与{other_zh} {other_name} 第 {line} 行起相同的 {} 字",
                        passage.len
                    ),
                    format!(
                        "{} characters the same as {other_en} {other_name}, line {line}",
                        passage.len
                    ),
                ),
            )
            .with_related_elsewhere(
                other.span(passage.other, passage.len),
                other.elsewhere(other_path, passage.other, passage.len),
                Message::new(
                    format!("{other_zh}中相同的 {} 字", passage.len),
                    format!("the same {} characters in {other_en}", passage.len),
                ),
            );
    }
    Some(d)
}

// ---------------------------------------------------------------------------
// Across a run
// ---------------------------------------------------------------------------

/// One in this many shingles (by hash) is indexed: a report of a few thousand
/// own characters has a few hundred in the index.
pub const SAMPLE: u32 = 8;

/// The reports a posting list holds at most: the first ones of the run with
/// that shingle. A shingle many reports share (2,000 copies of one report)
/// costs no more than this per report.
pub const POSTINGS: usize = 4;

/// The candidates a report is compared with in full, at most: the reports that
/// share most of its indexed shingles.
pub const CANDIDATES: usize = 2;

/// What [`CopyIndex::closest`] did: postings read and full comparisons made,
/// counted for tests of its growth.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Work {
    /// Posting-list entries read.
    pub postings: usize,
    /// Reports compared in full.
    pub compared: usize,
}

/// The reports of a run seen so far, indexed by a sample of their shingles, to
/// find for a new report the earlier one it shares most with, without comparing
/// every pair. `T` is what a caller keeps of each report (its path, its print).
#[derive(Debug)]
pub struct CopyIndex<T> {
    reports: Vec<T>,
    postings: HashMap<u32, Vec<u32>, foldhash::fast::RandomState>,
    /// The work done so far.
    pub work: Work,
}

impl<T> Default for CopyIndex<T> {
    fn default() -> Self {
        CopyIndex {
            reports: Vec::new(),
            postings: HashMap::default(),
            work: Work::default(),
        }
    }
}

impl<T> CopyIndex<T> {
    /// An empty index.
    pub fn new() -> Self {
        CopyIndex::default()
    }

    /// The earlier report that shares most of `print`'s own text, among the
    /// best [`CANDIDATES`] by indexed shingles, skipping those `skip` refuses
    /// (the same report in another form, last year's report): the report and
    /// the comparison. Then `print` joins the index as `kept`.
    pub fn closest(
        &mut self,
        print: &TextPrint,
        kept: T,
        text: impl Fn(&T) -> &TextPrint,
        skip: impl Fn(&T) -> bool,
    ) -> Option<(&T, Comparison)> {
        let sample = print.sample();
        let mut votes: HashMap<u32, usize, foldhash::fast::RandomState> = HashMap::default();
        for h in &sample {
            if let Some(list) = self.postings.get(h) {
                self.work.postings += list.len();
                for &r in list {
                    *votes.entry(r).or_insert(0) += 1;
                }
            }
        }
        let mut ranked: Vec<(usize, u32)> = votes.into_iter().map(|(r, v)| (v, r)).collect();
        ranked.sort_by_key(|&(v, r)| (std::cmp::Reverse(v), r));
        let mut best: Option<(u32, Comparison)> = None;
        let mut compared = 0;
        for (_, r) in ranked {
            if compared == CANDIDATES {
                break;
            }
            let Some(other) = self.reports.get(r as usize) else {
                continue;
            };
            if skip(other) {
                continue;
            }
            compared += 1;
            let c = compare(print, text(other));
            if best.as_ref().is_none_or(|(_, b)| c.shared > b.shared) {
                best = Some((r, c));
            }
        }
        self.work.compared += compared;
        let id = u32::try_from(self.reports.len()).unwrap_or(u32::MAX);
        self.reports.push(kept);
        for h in sample {
            let list = self.postings.entry(h).or_default();
            if list.len() < POSTINGS {
                list.push(id);
            }
        }
        let (r, c) = best?;
        self.reports.get(r as usize).map(|t| (t, c))
    }
}

/// For each report of a whole run, the other report that shares most of its
/// own text, found the same way whatever the order the reports come in: each is
/// looked up among all the others, not only those before it, so both reports of
/// a copied pair name each other.
///
/// `keys` orders the reports (their paths): a posting list holds the first
/// [`POSTINGS`] reports by key with that shingle (and one more, for the report
/// itself), candidates are ranked by shared indexed shingles then by key, and
/// of two equally close reports the first by key is named. `skip(i, j)` leaves
/// report `j` out of report `i`'s candidates (another form of the same report,
/// the adjacent years). Each report reads at most `POSTINGS + 1` entries per
/// indexed shingle and is compared in full with at most [`CANDIDATES`] others:
/// 2,000 copies of one report cost linear work.
pub fn closest_all<K: Ord>(
    prints: &[&TextPrint],
    keys: &[K],
    skip: impl Fn(usize, usize) -> bool,
) -> (Vec<Option<(usize, Comparison)>>, Work) {
    let n = prints.len().min(keys.len());
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| keys[a].cmp(&keys[b]).then(a.cmp(&b)));
    // Each report's rank in the key order.
    let mut rank = vec![0u32; n];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = u32::try_from(r).unwrap_or(u32::MAX);
    }
    let samples: Vec<Vec<u32>> = prints.iter().take(n).map(|p| p.sample()).collect();
    let mut postings: HashMap<u32, Vec<u32>, foldhash::fast::RandomState> = HashMap::default();
    for &i in &order {
        for &h in &samples[i] {
            let list = postings.entry(h).or_default();
            if list.len() <= POSTINGS {
                list.push(rank[i]);
            }
        }
    }
    let mut work = Work::default();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let mut votes: HashMap<u32, usize, foldhash::fast::RandomState> = HashMap::default();
        for h in &samples[i] {
            if let Some(list) = postings.get(h) {
                work.postings += list.len();
                for &r in list.iter().filter(|&&r| r != rank[i]) {
                    *votes.entry(r).or_insert(0) += 1;
                }
            }
        }
        let mut ranked: Vec<(usize, u32)> = votes.into_iter().map(|(r, v)| (v, r)).collect();
        ranked.sort_by_key(|&(v, r)| (std::cmp::Reverse(v), r));
        let mut best: Option<(u32, Comparison)> = None;
        let mut compared = 0;
        for (_, r) in ranked {
            if compared == CANDIDATES {
                break;
            }
            let j = order[r as usize];
            if skip(i, j) {
                continue;
            }
            compared += 1;
            let c = compare(prints[i], prints[j]);
            let better = best
                .as_ref()
                .is_none_or(|(b, bc)| c.shared > bc.shared || (c.shared == bc.shared && r < *b));
            if better {
                best = Some((r, c));
            }
        }
        work.compared += compared;
        out.push(best.map(|(r, c)| (order[r as usize], c)));
    }
    (out, work)
}
