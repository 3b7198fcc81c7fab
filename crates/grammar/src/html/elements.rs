//! Elements: the tokens paired into elements.
//!
//! A light tree builder pairs start and end tags with the implied ends of the
//! HTML parsing algorithm that matter for documents (`<p>` closed by a block,
//! `<li>` by `<li>`, `<td>`/`<tr>` by the next cell or row, an end tag ignored
//! when its element is not in scope). It is linear: a scope search looks at no
//! more than `SCOPE_LIMIT` (256) open elements. Each element knows the tokens it
//! spans, whether it is chrome (`<script>`, `<style>`, `<nav>`, `<iframe>`, form
//! controls, hidden by `style="display:none"` or `hidden`, or a class/id word
//! such as `share`, `breadcrumb`, `footer`) and how much Chinese text its
//! visible descendants hold, which is what `article` chooses the article by.

use std::collections::HashMap;

use super::lex::{Kind, Tok, Toks, F_CHROME_WORD, F_HIDDEN, F_SELF_CLOSING, F_TITLE_WORD};
use super::tags::{
    closes_p, is_block, is_chrome_tag, is_scope_boundary, is_text_child, is_void, Tag,
};
use super::text::cjk_count;
use super::NONE;

/// Open elements a scope search looks at.
const SCOPE_LIMIT: usize = 256;

/// An element: the tokens from its start tag up to (not including) `close`.
/// Indexes and counts are 32-bit and the flags one byte (24 bytes an element):
/// the HTML reader takes texts of at most [`super::MAX_LEN`] bytes, so none can
/// reach `u32::MAX`.
#[derive(Clone, Debug)]
pub(super) struct Elem {
    pub(super) tag: Tag,
    /// `E_*` bits, and the container tier (see [`Elem::tier`]).
    flags: u8,
    open: u32,
    /// The token after its last; while the builder has it open, the Chinese
    /// characters of the visible text directly inside so far (which only the
    /// building reads, and which is complete when the element closes).
    close: u32,
    depth: u32,
    /// Chinese characters of the visible text inside.
    total_cjk: u32,
    /// Chinese characters in `<p>`, `<table>`, heading and inline children, in
    /// the own text of other block children, and in its own text.
    score: u32,
}

/// Not shown: chrome or inside chrome, hidden or inside hidden.
const E_SUPPRESSED: u8 = 1;
/// Not report text by itself (tag, hidden, or a furniture class).
const E_CHROME: u8 = 2;
/// A class or id says `title`.
const E_TITLE_WORD: u8 = 4;
/// Closed by its own end tag (the last token of the element).
const E_EXPLICIT_END: u8 = 8;
/// Where the container tier sits in `flags`.
const E_TIER_SHIFT: u8 = 4;

impl Elem {
    /// Not shown: chrome or inside chrome, hidden or inside hidden.
    pub(super) fn suppressed(&self) -> bool {
        self.flags & E_SUPPRESSED != 0
    }

    /// Not report text by itself (tag, hidden, or a furniture class).
    pub(super) fn chrome(&self) -> bool {
        self.flags & E_CHROME != 0
    }

    /// A class or id says `title`.
    pub(super) fn title_word(&self) -> bool {
        self.flags & E_TITLE_WORD != 0
    }

    /// Closed by its own end tag (the last token of the element).
    pub(super) fn explicit_end(&self) -> bool {
        self.flags & E_EXPLICIT_END != 0
    }

    /// 2 for a specific content container name, 1 for a generic one.
    pub(super) fn tier(&self) -> u8 {
        self.flags >> E_TIER_SHIFT
    }

    /// The token of its start tag.
    pub(super) fn open(&self) -> usize {
        self.open as usize
    }

    /// The token after its last.
    pub(super) fn close(&self) -> usize {
        self.close as usize
    }

    /// Open elements around it.
    pub(super) fn depth(&self) -> usize {
        self.depth as usize
    }

    /// Chinese characters of the visible text inside.
    pub(super) fn total_cjk(&self) -> u64 {
        u64::from(self.total_cjk)
    }

    /// Chinese characters in `<p>`, `<table>`, heading and inline children, in
    /// the own text of other block children, and in its own text.
    pub(super) fn score(&self) -> u64 {
        u64::from(self.score)
    }
}

/// An index or count that fits in 32 bits (see [`Elem`]).
fn small(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// Pairs the tags of `toks` into elements: one per start tag, in their order.
pub(super) fn build_tree(text: &str, toks: &Toks) -> Vec<Elem> {
    let mut b = TreeBuilder {
        elems: Vec::new(),
        stack: Vec::new(),
        open_count: HashMap::new(),
    };
    let n = toks.len();
    let mut cursor = toks.cursor();
    for i in 0..n {
        let Some(tok) = cursor.get(i) else { break };
        match tok.kind {
            Kind::Text => {
                let top = b.stack.last().map_or(NONE, |&e| e as usize);
                if let Some(el) = b.elems.get_mut(top) {
                    if !el.suppressed() {
                        let cjk = text.get(tok.start()..tok.end()).map_or(0, cjk_count);
                        // An open element's `close` is its own count so far.
                        el.close = el
                            .close
                            .saturating_add(u32::try_from(cjk).unwrap_or(u32::MAX));
                    }
                }
            }
            Kind::Start => {
                b.start(i, &tok, toks);
            }
            Kind::End => b.end(i, &tok, toks),
            Kind::Comment | Kind::Doctype | Kind::Raw => {}
        }
    }
    b.pop_from(0, n, n, false, toks);
    b.elems
}

struct TreeBuilder {
    elems: Vec<Elem>,
    /// The open elements, outermost first: the element below one is its parent.
    /// Four bytes an element (what the building alone reads of an open element
    /// is in the element, see [`Elem::close`]): a page of unclosed tables holds
    /// them all open.
    stack: Vec<u32>,
    open_count: HashMap<(Tag, u32), usize>,
}

impl TreeBuilder {
    /// Handles the start tag `tok` at token `i`: opens its element.
    fn start(&mut self, i: usize, tok: &Tok, toks: &Toks) {
        let tag = tok.tag;
        match tag {
            Tag::Li => self.close_nearest(i, toks, &[Tag::Li], |t| {
                matches!(t, Tag::Ul | Tag::Ol) || is_scope_boundary(t)
            }),
            Tag::Dt | Tag::Dd => self.close_nearest(i, toks, &[Tag::Dt, Tag::Dd], |t| {
                t == Tag::Dl || is_scope_boundary(t)
            }),
            Tag::Tr => self.close_nearest(i, toks, &[Tag::Tr], |t| {
                matches!(
                    t,
                    Tag::Table | Tag::Tbody | Tag::Thead | Tag::Tfoot | Tag::Html
                )
            }),
            Tag::Td | Tag::Th => self.close_nearest(i, toks, &[Tag::Td, Tag::Th], |t| {
                matches!(t, Tag::Tr | Tag::Table | Tag::Html)
            }),
            Tag::Tbody | Tag::Thead | Tag::Tfoot => {
                self.close_nearest(i, toks, &[Tag::Tbody, Tag::Thead, Tag::Tfoot], |t| {
                    matches!(t, Tag::Table | Tag::Html)
                })
            }
            Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6 => {
                if let Some(top) = self.stack.last().map(|&e| e as usize) {
                    if self
                        .elems
                        .get(top)
                        .is_some_and(|e| e.tag.heading_level().is_some())
                    {
                        let len = self.stack.len();
                        self.pop_from(len - 1, i, i, false, toks);
                    }
                }
            }
            Tag::Option => {
                if let Some(top) = self.stack.last().map(|&e| e as usize) {
                    if self.elems.get(top).map(|e| e.tag) == Some(Tag::Option) {
                        let len = self.stack.len();
                        self.pop_from(len - 1, i, i, false, toks);
                    }
                }
            }
            _ => {}
        }
        if closes_p(tag) {
            self.close_nearest(i, toks, &[Tag::P], |t| {
                t == Tag::Button || is_scope_boundary(t)
            });
        }
        let parent = self.stack.last().map_or(NONE, |&e| e as usize);
        let parent_suppressed = self.elems.get(parent).is_some_and(Elem::suppressed);
        let hidden = tok.flags & F_HIDDEN != 0;
        let chrome_tag = is_chrome_tag(tag);
        let mut flags = tok.tier() << E_TIER_SHIFT;
        if parent_suppressed || chrome_tag || hidden {
            flags |= E_SUPPRESSED;
        }
        if chrome_tag || hidden || tok.flags & F_CHROME_WORD != 0 {
            flags |= E_CHROME;
        }
        if tok.flags & F_TITLE_WORD != 0 {
            flags |= E_TITLE_WORD;
        }
        let idx = self.elems.len();
        let self_closed = tok.flags & F_SELF_CLOSING != 0 && tag == Tag::Other;
        let stays_open = !is_void(tag) && !self_closed;
        self.elems.push(Elem {
            tag,
            flags,
            open: small(i),
            // Open: no text inside yet (see `Elem::close`).
            close: if stays_open { 0 } else { small(i + 1) },
            depth: small(self.stack.len()),
            total_cjk: 0,
            score: 0,
        });
        if stays_open {
            self.stack.push(small(idx));
            *self.open_count.entry((tag, tok.key())).or_insert(0) += 1;
        }
    }

    /// Handles the end tag `tok` at token `i`.
    fn end(&mut self, i: usize, tok: &Tok, toks: &Toks) {
        let (tag, key) = (tok.tag, tok.key());
        if tag == Tag::Br || self.open_count.get(&(tag, key)).copied().unwrap_or(0) == 0 {
            return;
        }
        let boundary: fn(Tag) -> bool = match tag {
            Tag::Td | Tag::Th | Tag::Tr | Tag::Tbody | Tag::Thead | Tag::Tfoot | Tag::Caption => {
                |t| matches!(t, Tag::Table | Tag::Html | Tag::Template)
            }
            Tag::Table => |t| matches!(t, Tag::Html | Tag::Template),
            _ => is_scope_boundary,
        };
        if let Some(pos) = self.find(toks, |t, k| t == tag && k == key, boundary) {
            self.pop_from(pos, i, i + 1, true, toks);
        }
    }

    /// True when an element with one of these (known) tags is open.
    fn any_open(&self, tags: &[Tag]) -> bool {
        tags.iter()
            .any(|&t| self.open_count.get(&(t, 0)).is_some_and(|&n| n > 0))
    }

    /// Closes the nearest open element matching `target` (before token `i`),
    /// unless a `boundary` element comes first.
    fn close_nearest(
        &mut self,
        i: usize,
        toks: &Toks,
        targets: &[Tag],
        boundary: impl Fn(Tag) -> bool,
    ) {
        if !self.any_open(targets) {
            return;
        }
        if let Some(pos) = self.find(toks, |t, _| targets.contains(&t), boundary) {
            self.pop_from(pos, i, i, false, toks);
        }
    }

    /// The name key of element `el`'s start tag (see `Tok::key`: 0 for a known
    /// tag, whose token is not read).
    fn key(el: &Elem, toks: &Toks) -> u32 {
        if el.tag == Tag::Other {
            toks.get(el.open()).map_or(0, |t| t.key())
        } else {
            0
        }
    }

    /// The stack position of the nearest open element matching `target`.
    fn find(
        &self,
        toks: &Toks,
        target: impl Fn(Tag, u32) -> bool,
        boundary: impl Fn(Tag) -> bool,
    ) -> Option<usize> {
        for (pos, &open) in self.stack.iter().enumerate().rev().take(SCOPE_LIMIT) {
            let el = self.elems.get(open as usize)?;
            if target(el.tag, Self::key(el, toks)) {
                return Some(pos);
            }
            if boundary(el.tag) {
                return None;
            }
        }
        None
    }

    /// Pops the stack down to `pos`: the element at `pos` closes at
    /// `target_close`, those above it at `others_close`. A closed element's
    /// elements are all closed: its counts of Chinese characters are complete
    /// and go to its parent, still open.
    fn pop_from(
        &mut self,
        pos: usize,
        others_close: usize,
        target_close: usize,
        explicit: bool,
        toks: &Toks,
    ) {
        while self.stack.len() > pos {
            let Some(open) = self.stack.pop() else { break };
            let is_target = self.stack.len() == pos;
            // Its parent is the element under it on the stack.
            let parent = self.stack.last().map_or(NONE, |&e| e as usize);
            if let Some(el) = self.elems.get_mut(open as usize) {
                // Open, its `close` counted its own text (see `Elem::close`).
                let own = el.close;
                el.close = small(
                    if is_target {
                        target_close
                    } else {
                        others_close
                    }
                    .max(el.open() + 1),
                );
                if is_target && explicit {
                    el.flags |= E_EXPLICIT_END;
                }
                let key = Self::key(el, toks);
                if let Some(count) = self.open_count.get_mut(&(el.tag, key)) {
                    *count = count.saturating_sub(1);
                }
                el.total_cjk = el.total_cjk.saturating_add(own);
                el.score = el.score.saturating_add(own);
                let (total, tag) = (el.total_cjk, el.tag);
                if let Some(p) = self.elems.get_mut(parent) {
                    p.total_cjk = p.total_cjk.saturating_add(total);
                    // Paragraphs, tables and inline runs count whole; another block (a
                    // `<div>` used as a paragraph) counts with the text directly inside it.
                    let counted = if is_text_child(tag) || !is_block(tag) {
                        total
                    } else {
                        own
                    };
                    p.score = p.score.saturating_add(counted);
                }
            }
        }
    }
}
