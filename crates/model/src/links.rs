//! Links from narrative figures to the table indicators they speak of.
//!
//! Links come from phrasing and context only, never from equal values: the
//! template data lists, per indicator, the phrases that name it (`当面申请` →
//! `apply.received.in_person`), the context words that disambiguate a phrase
//! (`被依法纠错` after `行政复议` vs after `行政诉讼`), phrases that state a zero
//! (`全部实行免费`), and phrases that name a sum of cells (`予以公开及部分公开`).
//! The figure is the quantity right after the phrase in the same clause (or right
//! before it: `103 件顺延到下年度`). A figure changed to any other number keeps its
//! link, so the comparison with the table can catch it.
//!
//! Scope: a sentence about one office (`区政府办代表区政府受理…17件`) does not
//! speak of the whole report's table; such sentences are not linked. Time: a
//! figure of all years (`历年累计…12106条`) speaks of a cumulative column (a grid
//! column with context words, the 2008-era `历年累计`), never of the year's.
//! Subject: a part of a list counts what its total counts (see
//! `parts_take_their_totals_subject`).

use std::collections::{HashMap, HashSet};

use aho_corasick::AhoCorasick;
use serde::Serialize;

use nianbao_grammar::logical::normalize;
use nianbao_grammar::{Block, Para, Span};

use crate::facts::{Facts, QuantityFact};
use crate::template::{Layout, RelationKind, RowKind, Template};

/// What a phrase names: one cell or a sum of cells.
#[derive(Clone, Debug)]
struct Target {
    id: String,
    cells: Vec<String>,
    phrases: Vec<String>,
    /// Context words as the template writes them.
    context: Vec<String>,
    /// Each context word normalized, with the index in `context` of the first word
    /// of the same normalized form (the one a match is reported as).
    context_normalized: Vec<(String, usize)>,
    exclude: Vec<String>,
    zero: Vec<String>,
    money: bool,
}

impl Target {
    /// Whether the target is a cell of all years (its context words are cumulative).
    fn is_cumulative(&self) -> bool {
        self.context
            .iter()
            .any(|c| CUMULATIVE_WORDS.contains(&c.as_str()))
    }
}

/// A narrative figure linked to table cells.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Link {
    /// The indicator id (row id, single-row column id, `row@column` for a grid
    /// column other than the table's own, or `sum.…`).
    pub indicator: String,
    /// The cells whose sum the figure states (`row@col`).
    pub cells: Vec<String>,
    /// The phrase as it matched.
    pub phrase: String,
    /// Where the phrase is.
    pub phrase_span: Span,
    /// Index of the figure in [`Facts::quantities`]; `None` for a zero said in words.
    pub quantity: Option<usize>,
    /// The zero phrase (`全部实行免费`) when the figure is a zero in words.
    pub zero: Option<String>,
    /// The figure's span (the zero phrase's for a zero in words).
    pub span: Span,
}

fn targets(template: &Template) -> Vec<Target> {
    let mut out = Vec::new();
    for t in &template.tables {
        let default = t
            .default_column
            .clone()
            .unwrap_or_else(|| "value".to_string());
        for r in &t.rows {
            if r.kind != RowKind::Value || (r.phrases.is_empty() && r.zero_phrases.is_empty()) {
                continue;
            }
            let col = t.columns.iter().find(|c| c.id == default);
            out.push(Target {
                id: r.id.clone(),
                cells: vec![format!("{}@{default}", r.id)],
                phrases: r.phrases.clone(),
                context: r.context.clone(),
                context_normalized: Vec::new(),
                exclude: r.exclude_phrases.clone(),
                zero: r.zero_phrases.clone(),
                money: r.decimal || col.is_some_and(|c| c.decimal),
            });
            // A grid column with context words takes the row's phrases where those
            // words precede them (`历年累计主动公开政府信息…` → the 历年累计 column).
            if t.layout == Layout::Grid && r.context.is_empty() && !r.phrases.is_empty() {
                for c in t
                    .columns
                    .iter()
                    .filter(|c| c.id != default && !c.context.is_empty())
                {
                    out.push(Target {
                        id: format!("{}@{}", r.id, c.id),
                        cells: vec![format!("{}@{}", r.id, c.id)],
                        phrases: r.phrases.clone(),
                        context: c.context.clone(),
                        context_normalized: Vec::new(),
                        exclude: r.exclude_phrases.clone(),
                        zero: Vec::new(),
                        money: r.decimal || c.decimal,
                    });
                }
            }
        }
        if t.layout == Layout::SingleRow {
            for c in &t.columns {
                if c.phrases.is_empty() && c.zero_phrases.is_empty() {
                    continue;
                }
                out.push(Target {
                    id: c.id.clone(),
                    cells: vec![c.id.clone()],
                    phrases: c.phrases.clone(),
                    context: c.context.clone(),
                    context_normalized: Vec::new(),
                    exclude: c.exclude_phrases.clone(),
                    zero: c.zero_phrases.clone(),
                    money: c.decimal,
                });
            }
        }
    }
    for s in &template.narrative_sums {
        out.push(Target {
            id: s.id.clone(),
            cells: s.cells.clone(),
            phrases: s.phrases.clone(),
            context: s.context.clone(),
            context_normalized: Vec::new(),
            exclude: s.exclude_phrases.clone(),
            zero: Vec::new(),
            money: false,
        });
    }
    out
}

/// The normalized text of a paragraph and, for every normalized byte, the logical
/// byte (the start of the character) it came from — found from a mark every few
/// hundred bytes, not kept per byte: a paragraph of megabytes does not hold eight
/// bytes of map per byte of text (full-width punctuation and dropped spaces make
/// the offsets drift apart at every turn, so no closed form would do).
#[derive(Default)]
struct Norm {
    text: String,
    /// (normalized, logical) offsets of a character start, one at least every
    /// [`NORM_MARK`] bytes of either text, in order.
    marks: Vec<(usize, usize)>,
    /// The logical text's length: where the end of the normalized text maps to.
    len: usize,
}

/// Bytes between two marks of a [`Norm`]: what a lookup reads at most.
const NORM_MARK: usize = 256;

impl Norm {
    #[cfg(test)]
    fn new(text: &str) -> Self {
        let mut norm = Norm::default();
        norm.fill(text);
        norm
    }

    /// Makes this the normalized text of `text`, in the buffers it has.
    fn fill(&mut self, text: &str) {
        let Norm {
            text: out,
            marks,
            len,
        } = self;
        out.clear();
        marks.clear();
        *len = text.len();
        for (i, c) in text.char_indices() {
            let due = marks
                .last()
                .is_none_or(|&(n, l)| out.len() - n >= NORM_MARK || i - l >= NORM_MARK);
            if due {
                marks.push((out.len(), i));
            }
            if let Some(n) = nianbao_grammar::logical::normalize_char(c) {
                out.push(n);
            }
        }
    }

    /// The logical offset of normalized byte `at` (of the start of its character)
    /// in `logical`, the text this was made from; the end of the normalized text
    /// maps to the end of the logical text.
    fn at(&self, logical: &str, at: usize) -> usize {
        if at >= self.text.len() {
            return self.len;
        }
        let k = self.marks.partition_point(|&(n, _)| n <= at);
        let Some(&(mut n, mut l)) = k.checked_sub(1).and_then(|k| self.marks.get(k)) else {
            return 0;
        };
        for c in logical.get(l..).unwrap_or("").chars() {
            if let Some(x) = nianbao_grammar::logical::normalize_char(c) {
                if n + x.len_utf8() > at {
                    return l;
                }
                n += x.len_utf8();
            }
            l += c.len_utf8();
        }
        self.len
    }

    /// Logical range of a normalized range.
    fn logical(&self, text: &str, start: usize, end: usize) -> std::ops::Range<usize> {
        let s = self.at(text, start);
        let last = self.at(text, end.saturating_sub(1).max(start));
        let e = last + text[last..].chars().next().map_or(0, char::len_utf8);
        s..e.max(s)
    }
}

#[derive(Clone, Copy)]
struct Hit {
    target: usize,
    start: usize,
    end: usize,
    zero: bool,
}

const SENTENCE_END: [char; 4] = ['。', '！', '？', '；'];
const CLAUSE_END: [char; 9] = ['，', '。', '；', '：', '！', '？', ',', ';', ':'];
const SCOPE_WORDS: [&str; 9] = [
    "代表",
    "政府办",
    "办公室",
    "各部门",
    "区直",
    "县直",
    "市直",
    "乡镇",
    "街道",
];
const NEGATIONS: [&str; 5] = ["未发生", "未收到", "没有发生", "没有收到", "未出现"];
/// Words that make a figure one of all years, not of the report's year.
const CUMULATIVE_WORDS: [&str; 6] = [
    "历年累计",
    "历年",
    "累计至今",
    "截至目前",
    "截止目前",
    "至今",
];
/// Words that bring a sentence back to the report's year (`…累计…1770条，其中2019年度…202条`).
const YEAR_WORDS: [&str; 6] = ["年度", "全年", "本年", "今年", "年内", "当年"];

/// Whether the words before a phrase make its figure cumulative: the last of
/// [`CUMULATIVE_WORDS`] comes after the last of [`YEAR_WORDS`].
fn cumulative(prefix: &str) -> Option<&'static str> {
    let last = |words: &[&'static str]| {
        words
            .iter()
            .filter_map(|w| prefix.rfind(w).map(|p| (p + w.len(), *w)))
            .max()
    };
    let (at, word) = last(&CUMULATIVE_WORDS)?;
    last(&YEAR_WORDS)
        .is_none_or(|(year, _)| year < at)
        .then_some(word)
}

/// The template's link targets with their phrases and context words normalized,
/// and one automaton that finds every phrase, zero phrase and excluded phrase of
/// all of them in one pass over a paragraph. Made once per template
/// ([`Template::link_index`]): every report of the template reads the same.
#[derive(Clone, Debug)]
pub struct LinkIndex {
    targets: Vec<Target>,
    /// Every distinct non-empty normalized phrase of the targets; `None` when there is none.
    automaton: Option<AhoCorasick>,
    /// For each pattern of the automaton, the targets it is a phrase of, in the
    /// targets' order (a target whose list holds it twice has it twice).
    uses: Vec<Vec<PhraseUse>>,
    /// The cells of the template grouped by its `sum` and `balance` relations.
    families: Families,
}

/// A pattern of [`LinkIndex`]'s automaton as one target's phrase.
#[derive(Clone, Copy, Debug)]
struct PhraseUse {
    target: usize,
    role: Role,
}

/// What a phrase is to its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// It names the target; its figure follows or precedes it.
    Phrase,
    /// It states that the target is zero.
    Zero,
    /// A match inside it is no match of the target's phrases.
    Exclude,
}

impl LinkIndex {
    /// The index of `template`'s targets (see [`Template::link_index`]).
    pub fn new(template: &Template) -> Self {
        let mut targets = targets(template);
        let mut patterns: Vec<String> = Vec::new();
        let mut pattern_of: HashMap<String, usize> = HashMap::new();
        let mut uses: Vec<Vec<PhraseUse>> = Vec::new();
        for (ti, t) in targets.iter_mut().enumerate() {
            for (list, role) in [
                (&mut t.phrases, Role::Phrase),
                (&mut t.zero, Role::Zero),
                (&mut t.exclude, Role::Exclude),
            ] {
                for p in list.iter_mut() {
                    *p = normalize(p);
                    // An empty phrase names nothing (and an empty excluded phrase covers nothing).
                    if p.is_empty() {
                        continue;
                    }
                    let k = *pattern_of.entry(p.clone()).or_insert_with(|| {
                        patterns.push(p.clone());
                        uses.push(Vec::new());
                        patterns.len() - 1
                    });
                    uses[k].push(PhraseUse { target: ti, role });
                }
            }
            t.context_normalized = t
                .context
                .iter()
                .map(|c| {
                    let n = normalize(c);
                    let first = t
                        .context
                        .iter()
                        .position(|x| normalize(x) == n)
                        .unwrap_or(0);
                    (n, first)
                })
                .collect();
        }
        let automaton = (!patterns.is_empty()).then(|| {
            AhoCorasick::new(&patterns)
                .expect("a template's phrases are few and short: the automaton fits (tested)")
        });
        LinkIndex {
            targets,
            automaton,
            uses,
            families: Families::of(template),
        }
    }
}

impl LinkIndex {
    /// Calls `f` with every occurrence (use, start, end) of every phrase in `n`, in
    /// one pass. Occurrences of one phrase are counted left to right without
    /// overlapping each other, as a search for that phrase alone finds them; those
    /// of different phrases may overlap. `last_end` is a buffer.
    fn occurrences(
        &self,
        automaton: &AhoCorasick,
        n: &str,
        last_end: &mut Vec<usize>,
        mut f: impl FnMut(PhraseUse, usize, usize),
    ) {
        // Per pattern, where its last counted occurrence ends.
        last_end.clear();
        last_end.resize(self.uses.len(), 0);
        for m in automaton.find_overlapping_iter(n) {
            let k = m.pattern().as_usize();
            if m.start() < last_end[k] {
                continue;
            }
            last_end[k] = m.end();
            for &u in &self.uses[k] {
                f(u, m.start(), m.end());
            }
        }
    }
}

/// Buffers of one report's paragraphs, reused from one paragraph to the next.
#[derive(Default)]
struct Scratch {
    /// The paragraph's normalized text.
    norm: Norm,
    /// The paragraph's 《》 titles.
    titles: TitleDepth,
    /// See [`LinkIndex::occurrences`].
    last_end: Vec<usize>,
    hits: Vec<Hit>,
    kept: Vec<Hit>,
    /// (target, start, end) of every excluded-phrase occurrence.
    excluded: Vec<(usize, usize, usize)>,
    sentence_ends: Vec<usize>,
}

/// Links every narrative figure the template's phrases name.
pub fn link(template: &Template, blocks: &[Block], facts: &Facts) -> Vec<Link> {
    let index = template.link_index();
    let mut links = Vec::new();
    // Figures already linked, kept across paragraphs (not rebuilt for each one).
    let mut used = HashSet::new();
    let mut scratch = Scratch::default();
    for (block, b) in blocks.iter().enumerate() {
        let Block::Para(para) = b else { continue };
        link_para(
            index,
            para,
            block,
            facts,
            &mut used,
            &mut links,
            &mut scratch,
        );
    }
    parts_take_their_totals_subject(template, blocks, facts, links)
}

/// A figure that is a part of a breakdown counts what its total counts: its phrase
/// alone does not say whose part it is (`制发政府信息349条，其中…不予公开52条` are
/// documents, not refused applications). So a part keeps its link only when
///
/// - its total is linked to another indicator that the template ties to it — the
///   two cells are in one family of the template's `sum` and `balance` relations
///   (`收到申请81件，其中自然人80件`; `办结81件，其中予以公开…42件`), never the same
///   indicator (`全区主动公开2069条。其中，区直各部门…1592条` is a subset of it); or
/// - its total names nothing of the table, and the part is a whole of its own in
///   the template, not a part of another cell (`制作政府信息总数65条，其中主动公开
///   政府信息65条`: 主动公开 is no cell's part; 不予公开 is a part of 办理结果总计).
///
/// A figure after `其中` in its sentence is a part too, though no breakdown was
/// read (its total in another unit, `3份，其中…自然人申请2件`; or no figure at all,
/// `…政务信息。其中主动公开253份、依申请公开及不予公开409份`): its total is the
/// figure right before that `其中` in the sentence, if there is one.
fn parts_take_their_totals_subject(
    template: &Template,
    blocks: &[Block],
    facts: &Facts,
    links: Vec<Link>,
) -> Vec<Link> {
    // Looked up by index, not scanned per link: many links and many breakdowns stay linear.
    let mut totals_of_part: HashMap<usize, Vec<usize>> = HashMap::new();
    for b in &facts.breakdowns {
        for &p in &b.parts {
            totals_of_part.entry(p).or_default().push(b.total);
        }
    }
    for l in &links {
        let Some(q) = l.quantity else { continue };
        if totals_of_part.contains_key(&q) {
            continue;
        }
        if let Some(total) = list_total(blocks, facts, q) {
            totals_of_part.insert(q, total.into_iter().collect());
        }
    }
    if totals_of_part.is_empty() {
        return links;
    }
    let mut link_of: HashMap<usize, Vec<usize>> = HashMap::new();
    for (k, l) in links.iter().enumerate() {
        if let Some(q) = l.quantity {
            link_of.entry(q).or_default().push(k);
        }
    }
    let families = &template.link_index().families;
    let keep: Vec<bool> = links
        .iter()
        .map(|l| {
            let Some(totals) = l.quantity.and_then(|q| totals_of_part.get(&q)) else {
                return true;
            };
            let linked: Vec<&Link> = totals
                .iter()
                .filter_map(|t| link_of.get(t))
                .flatten()
                .map(|&k| &links[k])
                .collect();
            if linked.is_empty() {
                return !families.is_part(&l.cells);
            }
            linked
                .iter()
                .any(|t| t.indicator != l.indicator && families.related(&t.cells, &l.cells))
        })
        .collect();
    links
        .into_iter()
        .zip(keep)
        .filter_map(|(l, k)| k.then_some(l))
        .collect()
}

/// Whether quantity `q` sits in a list of parts opened by `其中` earlier in its
/// sentence: `Some(total)` then, with the figure right before that `其中` in the
/// sentence as the total (`None` when the list's total is no figure).
fn list_total(blocks: &[Block], facts: &Facts, q: usize) -> Option<Option<usize>> {
    let fact = facts.quantities.get(q)?;
    let Some(Block::Para(para)) = blocks.get(fact.place.block) else {
        return None;
    };
    let text = &para.text;
    let start = fact.place.range.start;
    let from = floor_boundary(text, start.saturating_sub(PREFIX_WINDOW));
    let before = &text[from..start];
    let sentence = from
        + before
            .rfind(SENTENCE_END)
            .map_or(0, |p| p + '。'.len_utf8());
    let opener = sentence + text[sentence..start].rfind("其中")?;
    // The paragraph's quantities, in text order: the last one ending before `其中`.
    let qs = &facts.quantities;
    let k = qs[..q].partition_point(|x| {
        x.place.block < fact.place.block
            || (x.place.block == fact.place.block && x.place.range.end <= opener)
    });
    let total = k
        .checked_sub(1)
        .filter(|&t| qs[t].place.block == fact.place.block && qs[t].place.range.start >= sentence);
    Some(total)
}

/// The template's cells grouped by its `sum` and `balance` relations (each expanded
/// over its rows or columns): cells of one family count the same things — the
/// applications of table 三, the reconsiderations of table 四 — and the cells on
/// the parts' side of a `sum` are parts of another cell.
#[derive(Clone, Debug)]
struct Families {
    /// Cell id → index into `parent` (a union-find forest).
    index: HashMap<String, usize>,
    parent: Vec<usize>,
    parts: HashSet<String>,
}

impl Families {
    fn of(template: &Template) -> Self {
        let mut f = Families {
            index: HashMap::new(),
            parent: Vec::new(),
            parts: HashSet::new(),
        };
        for (index, r) in template.relations.iter().enumerate() {
            if !matches!(r.kind, RelationKind::Sum | RelationKind::Balance) {
                continue;
            }
            for (lhs, rhs) in template.instances(index) {
                let mut cells = lhs.iter().chain(rhs);
                let Some(first) = cells.next() else { continue };
                let a = f.id(first);
                for c in cells {
                    let b = f.id(c);
                    f.union(a, b);
                }
                if r.kind == RelationKind::Sum {
                    f.parts.extend(rhs.iter().cloned());
                }
            }
        }
        f
    }

    fn id(&mut self, cell: &str) -> usize {
        if let Some(&i) = self.index.get(cell) {
            return i;
        }
        let i = self.parent.len();
        self.parent.push(i);
        self.index.insert(cell.to_string(), i);
        i
    }

    fn root(&self, mut i: usize) -> usize {
        while self.parent[i] != i {
            i = self.parent[i];
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra != rb {
            self.parent[rb] = ra;
        }
    }

    /// Whether a cell of `a` and a cell of `b` are of one family.
    fn related(&self, a: &[String], b: &[String]) -> bool {
        let roots = |cells: &[String]| -> Vec<usize> {
            cells
                .iter()
                .filter_map(|c| self.index.get(c))
                .map(|&i| self.root(i))
                .collect()
        };
        let ra = roots(a);
        roots(b).iter().any(|r| ra.contains(r))
    }

    /// Whether a cell of `cells` is a part of another cell.
    fn is_part(&self, cells: &[String]) -> bool {
        cells.iter().any(|c| self.parts.contains(c))
    }
}

fn link_para(
    index: &LinkIndex,
    para: &Para,
    block: usize,
    facts: &Facts,
    used: &mut std::collections::HashSet<usize>,
    links: &mut Vec<Link>,
    scratch: &mut Scratch,
) {
    let Some(automaton) = &index.automaton else {
        return;
    };
    let targets = &index.targets;
    scratch.norm.fill(&para.text);
    let norm = &scratch.norm;
    let n = &norm.text;
    scratch.titles.fill(n);
    let titles = &scratch.titles;
    // Every occurrence of every phrase, in one pass.
    scratch.hits.clear();
    scratch.excluded.clear();
    let (hits, excluded) = (&mut scratch.hits, &mut scratch.excluded);
    index.occurrences(
        automaton,
        n,
        &mut scratch.last_end,
        |u, start, end| match u.role {
            Role::Exclude => excluded.push((u.target, start, end)),
            Role::Phrase | Role::Zero => hits.push(Hit {
                target: u.target,
                start,
                end,
                zero: u.role == Role::Zero,
            }),
        },
    );
    // Not inside one of its target's excluded phrases or a 《》 title.
    let excluded = &mut scratch.excluded;
    excluded.sort_unstable();
    scratch.hits.retain(|h| {
        let from = excluded.partition_point(|&(t, _, _)| t < h.target);
        let to = excluded.partition_point(|&(t, _, _)| t <= h.target);
        let own = &excluded[from..to];
        // Excluded phrases are short: only those starting shortly before can cover this one.
        let from = own.partition_point(|&(_, s, _)| s + MAX_PHRASE < h.start);
        let covered = own[from..]
            .iter()
            .take_while(|&&(_, s, _)| s <= h.start)
            .any(|&(_, _, e)| h.end <= e);
        !covered && !titles.inside(h.start)
    });
    // Longest phrase wins where occurrences overlap. Phrases are short, so only the
    // last few kept hits can overlap a new one: linear in the number of hits.
    // Hits of one span keep the targets' order, a target's phrases before its zero phrases.
    let (hits, kept) = (&mut scratch.hits, &mut scratch.kept);
    hits.sort_unstable_by_key(|h| {
        (
            h.start,
            std::cmp::Reverse(h.end - h.start),
            h.target,
            h.zero,
        )
    });
    kept.clear();
    for h in hits.drain(..) {
        let len = h.end - h.start;
        let recent = kept.len()
            - kept
                .iter()
                .rev()
                .take_while(|k| k.start + MAX_PHRASE > h.start)
                .count();
        let overlaps_longer = kept[recent..]
            .iter()
            .any(|k| k.start < h.end && h.start < k.end && (k.end - k.start) > len);
        if !overlaps_longer {
            // Drop the recent hits this one overlaps and outlasts, the others in order.
            let mut to = recent;
            for from in recent..kept.len() {
                let k = kept[from];
                if !(k.start < h.end && h.start < k.end && len > (k.end - k.start)) {
                    kept[to] = k;
                    to += 1;
                }
            }
            kept.truncate(to);
            kept.push(h);
        }
    }
    kept.sort_by_key(|h| (h.start, h.end));
    // This paragraph's quantities, in text order (facts are extracted block by block).
    let first = facts.quantities.partition_point(|q| q.place.block < block);
    let last = facts.quantities.partition_point(|q| q.place.block <= block);
    let sentence_ends = &mut scratch.sentence_ends;
    sentence_ends.clear();
    sentence_ends.extend(n.match_indices(SENTENCE_END).map(|(p, m)| p + m.len()));
    // Among same-span hits (consecutive after sorting), context decides.
    let mut i = 0;
    while i < kept.len() {
        let h = kept[i];
        let group_end = i + kept[i..]
            .iter()
            .take_while(|k| k.start == h.start && k.end == h.end)
            .count();
        let same = &kept[i..group_end];
        i = group_end;
        let sentence_start = sentence_ends[..sentence_ends.partition_point(|&e| e <= h.start)]
            .last()
            .copied()
            .unwrap_or(0);
        // The words that qualify a phrase sit close before it: a bounded window keeps this linear.
        let window_start =
            floor_boundary(n, h.start.saturating_sub(PREFIX_WINDOW)).max(sentence_start);
        let prefix = &n[window_start..h.start];
        // A figure of all years is not the year's: only a cumulative column takes it,
        // and a cumulative column takes nothing else. Where the table has no such
        // column, a zero of all years still says the year's is zero (`历年来…未发生…收费`).
        let all_years = cumulative(prefix).is_some();
        let of_its_years = |h: &&Hit| targets[h.target].is_cumulative() == all_years;
        let zero_only = all_years && !same.iter().any(|h| of_its_years(&h));
        let chosen = if zero_only {
            choose_by_context(targets, same.iter(), prefix)
        } else {
            choose_by_context(targets, same.iter().filter(of_its_years), prefix)
        };
        let Some(chosen) = chosen else {
            continue;
        };
        let target = &targets[chosen.target];
        // Scope: a sentence about one office is not the report's figure.
        if SCOPE_WORDS.iter().any(|w| prefix.contains(w)) {
            continue;
        }
        let phrase_range = norm.logical(&para.text, h.start, h.end);
        let phrase_span = para.span_of(phrase_range.clone());
        // Made only for a link (most phrases found link nothing).
        let phrase = || para.text[phrase_range.clone()].to_string();
        // A zero said in words: the phrase is the statement (`全部实行免费`, `未发生…投诉举报`).
        let zero_link = |phrase: String| Link {
            indicator: target.id.clone(),
            cells: target.cells.clone(),
            phrase: phrase.clone(),
            phrase_span,
            quantity: None,
            zero: Some(phrase),
            span: phrase_span,
        };
        if chosen.zero {
            links.push(zero_link(phrase()));
            continue;
        }
        match figure_for(
            &para.text,
            facts,
            first..last,
            phrase_range.clone(),
            target.money,
            used,
        ) {
            Some(_) if zero_only => {}
            Some(qi) => {
                used.insert(qi);
                links.push(Link {
                    indicator: target.id.clone(),
                    cells: target.cells.clone(),
                    phrase: phrase(),
                    phrase_span,
                    quantity: Some(qi),
                    zero: None,
                    span: facts.quantities[qi].place.span,
                });
            }
            None => {
                // `未发生…投诉举报`: a negated statement with no figure is a zero.
                let negated = NEGATIONS.iter().any(|w| prefix.contains(w));
                let from = norm.at(&para.text, window_start);
                let k = first
                    + facts.quantities[first..last].partition_point(|q| q.place.range.start < from);
                let figure_in_between =
                    k < last && facts.quantities[k].place.range.end <= phrase_range.start;
                if negated && !figure_in_between {
                    links.push(zero_link(phrase()));
                }
            }
        }
    }
}

/// Longest phrase of the templates, in bytes of normalized text (phrases are a few words).
const MAX_PHRASE: usize = 120;

/// How far before a phrase its qualifying words (context, scope, negation) are looked for.
const PREFIX_WINDOW: usize = 240;

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Whether a position is inside a 《》 title, answered by binary search over the brackets.
#[derive(Default)]
struct TitleDepth {
    /// (position after the bracket, depth from there on).
    marks: Vec<(usize, i32)>,
}

impl TitleDepth {
    /// Makes this the brackets of `n`, in the buffer it has.
    fn fill(&mut self, n: &str) {
        let mut depth = 0;
        self.marks.clear();
        for (i, c) in n.char_indices() {
            match c {
                '《' => depth += 1,
                '》' if depth > 0 => depth -= 1,
                _ => continue,
            }
            self.marks.push((i + c.len_utf8(), depth));
        }
    }

    fn inside(&self, at: usize) -> bool {
        let k = self.marks.partition_point(|&(p, _)| p <= at);
        k > 0 && self.marks[k - 1].1 > 0
    }
}

/// Picks the target among hits of one span: an entry with context words needs the
/// nearest preceding context word (of all the candidates') in the sentence to be one of its own.
fn choose_by_context<'h>(
    targets: &[Target],
    same: impl Iterator<Item = &'h Hit> + Clone,
    prefix: &str,
) -> Option<&'h Hit> {
    let mut nearest: Option<(usize, &str)> = None;
    for h in same.clone() {
        let t = &targets[h.target];
        for (c, first) in &t.context_normalized {
            if let Some(p) = prefix.rfind(c.as_str()) {
                let end = p + c.len();
                if nearest.is_none_or(|(e, _)| end > e) {
                    nearest = Some((end, t.context[*first].as_str()));
                }
            }
        }
    }
    match nearest {
        Some((_, word)) => {
            let mut same = same;
            same.find(|h| targets[h.target].context.iter().any(|c| c == word))
        }
        None => {
            let mut same = same;
            same.find(|h| targets[h.target].context.is_empty())
        }
    }
}

/// The figure a phrase names: the first quantity after it in the same clause (a
/// few characters of filler at most), else one right before it. `range` is the
/// paragraph's slice of [`Facts::quantities`], in text order.
fn figure_for(
    text: &str,
    facts: &Facts,
    range: std::ops::Range<usize>,
    phrase: std::ops::Range<usize>,
    money: bool,
    used: &std::collections::HashSet<usize>,
) -> Option<usize> {
    let ok_unit = |q: &QuantityFact| {
        let u = q.quantity.unit.as_deref().unwrap_or("");
        let is_money = matches!(u, "元" | "万元" | "亿元");
        u != "%" && u != "％" && is_money == money
    };
    let qs = &facts.quantities[range.clone()];
    let k = qs.partition_point(|q| q.place.range.start < phrase.end);
    if let Some(q) = qs.get(k) {
        let i = range.start + k;
        let filler = &text[phrase.end..q.place.range.start];
        // Counting stops past the limit: a far figure costs nothing (many phrases, one figure).
        if !used.contains(&i)
            && filler.chars().take(9).count() <= 8
            && !filler.contains(CLAUSE_END)
            && !filler.contains('、')
        {
            return ok_unit(q).then_some(i);
        }
    }
    let b = qs.partition_point(|q| q.place.range.end <= phrase.start);
    let i = range.start + b.checked_sub(1)?;
    let q = &facts.quantities[i];
    let filler = &text[q.place.range.end..phrase.start];
    (!used.contains(&i)
        && filler.chars().take(2).count() <= 1
        && !filler.contains(CLAUSE_END)
        && ok_unit(q))
    .then_some(i)
}

#[cfg(test)]
mod tests {
    use super::{LinkIndex, Norm, Role};
    use nianbao_grammar::logical::normalize;

    /// Every occurrence (target, role, start, end) found one phrase at a time, as
    /// a plain substring search finds them.
    fn one_phrase_at_a_time(index: &LinkIndex, n: &str) -> Vec<(usize, u8, usize, usize)> {
        let mut out = Vec::new();
        for (ti, t) in index.targets.iter().enumerate() {
            for (list, role) in [(&t.phrases, 0), (&t.zero, 1), (&t.exclude, 2)] {
                for p in list.iter().filter(|p| !p.is_empty()) {
                    out.extend(
                        n.match_indices(p.as_str())
                            .map(|(s, _)| (ti, role, s, s + p.len())),
                    );
                }
            }
        }
        out.sort_unstable();
        out
    }

    #[test]
    fn one_pass_finds_each_phrase_as_a_search_for_it_alone() {
        let texts = [
            include_str!("../../../tests/fixtures/zhongwei-2017.md"),
            include_str!("../../../tests/fixtures/pingtan-2018.md"),
            include_str!("../../../tests/fixtures/huaian-2024.md"),
            include_str!("../../../tests/fixtures/pingtan-caizhengjinrongju-2025.md"),
        ];
        let mut found = 0;
        for template in crate::template::builtin() {
            let index = LinkIndex::new(template);
            let automaton = index
                .automaton
                .as_ref()
                .expect("the templates have phrases");
            // Every phrase twice in a row and overlapping itself (`申请申请申请` holds
            // `申请申请` once), beside the reports' own text.
            let repeated: String = index
                .targets
                .iter()
                .flat_map(|t| t.phrases.iter().chain(&t.zero).chain(&t.exclude))
                .map(|p| format!("{p}{p}{p}，"))
                .collect();
            for text in texts.iter().map(|t| normalize(t)).chain([repeated]) {
                let mut last_end = Vec::new();
                let mut one_pass = Vec::new();
                index.occurrences(automaton, &text, &mut last_end, |u, s, e| {
                    let role = match u.role {
                        Role::Phrase => 0,
                        Role::Zero => 1,
                        Role::Exclude => 2,
                    };
                    one_pass.push((u.target, role, s, e));
                });
                one_pass.sort_unstable();
                assert_eq!(
                    one_pass,
                    one_phrase_at_a_time(&index, &text),
                    "{}",
                    template.name()
                );
                found += one_pass.len();
            }
        }
        assert!(found > 1000, "{found}");
    }

    /// The map as one logical offset per normalized byte (what [`Norm`] keeps as runs).
    fn per_byte(text: &str) -> Vec<usize> {
        let mut map = Vec::new();
        for (i, c) in text.char_indices() {
            if let Some(n) = nianbao_grammar::logical::normalize_char(c) {
                map.extend(std::iter::repeat_n(i, n.len_utf8()));
            }
        }
        map.push(text.len());
        map
    }

    #[test]
    fn norm_maps_every_byte_as_a_map_per_byte_does() {
        for text in [
            "",
            "政府信息公开",
            "收到申请 １２ 件，“依申请”公开 ‘12’ 件。\u{3000}ａｂc d\n共３件",
            "１２３４５",
            "  前后空白  ",
            "a１b２c“d”e\u{a0}f",
            &format!("{}１２{}", " ".repeat(700), "，".repeat(300)),
            &"甲，乙 ".repeat(200),
        ] {
            let norm = Norm::new(text);
            let map = per_byte(text);
            assert_eq!(norm.text.len() + 1, map.len(), "{text:?}");
            for (at, &expected) in map.iter().enumerate() {
                assert_eq!(norm.at(text, at), expected, "{text:?} at {at}");
            }
        }
    }

    #[test]
    fn marks_are_few_and_lookups_short() {
        // Full-width commas and spaces make the offsets drift at every turn.
        let text = "收到申请12件， 办结１１件；".repeat(1000);
        let norm = Norm::new(&text);
        assert!(norm.marks.len() <= text.len() / super::NORM_MARK + 1);
        let map = per_byte(&text);
        for at in (0..map.len()).step_by(7) {
            assert_eq!(norm.at(&text, at), map[at], "at {at}");
        }
    }
}
