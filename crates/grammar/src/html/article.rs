//! The article of a page: which element holds it, its title, and the page
//! chrome around them.
//!
//! `parse_html_page` picks the element that holds the article: first the
//! government-CMS content containers it knows by class or id (`TRS_Editor`,
//! `#zoom`, `article_content`, …; generic names such as `content` only when no
//! specific one is present), taking the innermost one that holds at least 80 %
//! of the Chinese text of the richest; otherwise the innermost element holding
//! at least 90 % of the best score, where an element scores the Chinese text of
//! its `<p>`, `<table>`, heading and inline children, the text directly inside
//! its other block children (a `<div>` used as a paragraph) and its own text. The
//! article's title is found above the container: the nearest element whose text
//! equals the page's `ArticleTitle` meta or a part of its `<title>` (else the
//! nearest `<h1>`, else a nearby element whose class says `title`); it becomes
//! the first paragraph unless the article starts with the same text. Everything
//! else is `PageChrome`: one `Raw` leaf per stretch of page outside the title
//! and the article, and the chrome elements inside the article.

use crate::tree::{Node, NodeKind};

use super::elements::Elem;
use super::entities::decode_all;
use super::lex::Kind;
use super::tags::Tag;
use super::text::is_cjk;
use super::{Ctx, Out};

/// Class names and ids of the article containers of government CMSs.
pub(super) const SPECIFIC_CONTAINERS: &[&str] = &[
    "trs_editor",
    "trs_ueditor",
    "trs_paper_default",
    "custom_unionstyle",
    "zoom",
    "fontzoom",
    "zoomcon",
    "zoom_content",
    "ucap-content",
    "ucapcontent",
    "article_content",
    "article-content",
    "articlecontent",
    "article_con",
    "article-con",
    "articlecon",
    "art_con",
    "news_content",
    "news-content",
    "newscontent",
    "news_con",
    "detail_content",
    "detail-content",
    "detailcontent",
    "details_content",
    "details-content",
    "content_detail",
    "xxgk_content",
    "xxgk-content",
    "xxgk_detail",
    "info_content",
    "info-content",
    "infocontent",
    "zwgk_content",
    "zw_content",
    "wz_content",
    "view_content",
    "pages_content",
    "pages-content",
    "nr_content",
];

/// Generic container names, used only when no specific one is on the page.
pub(super) const GENERIC_CONTAINERS: &[&str] = &[
    "content",
    "article",
    "main_content",
    "main-content",
    "maincontent",
    "detail",
    "details",
    "text",
    "txt",
    "con",
    "cont",
    "nr",
    "zw",
    "wz",
];

/// Words of class names and ids of page furniture (matched against the parts
/// of a name split at `-` and `_`).
pub(super) const CHROME_WORDS: &[&str] = &[
    "share",
    "bdshare",
    "jiathis",
    "fenxiang",
    "print",
    "dayin",
    "qrcode",
    "ewm",
    "erweima",
    "breadcrumb",
    "crumb",
    "crumbs",
    "nav",
    "navbar",
    "menu",
    "footer",
    "header",
    "sidebar",
    "toolbar",
    "pager",
    "pagination",
    "position",
    "location",
    "dqwz",
];

/// The element holding the article, if any.
pub(super) fn choose_container(elems: &[Elem]) -> Option<usize> {
    for tier in [2u8, 1] {
        let candidates = || {
            elems
                .iter()
                .enumerate()
                .filter(move |(_, e)| e.tier() == tier && !e.suppressed() && e.total_cjk() >= 20)
        };
        let Some(best) = candidates().map(|(_, e)| e.total_cjk()).max() else {
            continue;
        };
        // The innermost container that still holds most of the text.
        return candidates()
            .filter(|(_, e)| e.total_cjk().saturating_mul(5) >= best.saturating_mul(4))
            .max_by_key(|(i, e)| (e.depth(), e.total_cjk(), usize::MAX - i))
            .map(|(i, _)| i);
    }
    let best = elems
        .iter()
        .filter(|e| !e.suppressed())
        .map(|e| e.score())
        .max()?;
    if best == 0 {
        return elems.iter().position(|e| e.tag == Tag::Body);
    }
    elems
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.suppressed() && e.score().saturating_mul(10) >= best.saturating_mul(9))
        .max_by_key(|(i, e)| (e.depth(), e.score(), usize::MAX - i))
        .map(|(i, _)| i)
}

/// The element above the article holding its title, if any.
pub(super) fn find_title(
    ctx: &Ctx,
    container: usize,
    article_title: Option<&str>,
) -> Option<usize> {
    let open = ctx.elems.get(container)?.open();
    let mut refs: Vec<String> = Vec::new();
    if let Some(t) = article_title {
        refs.push(normalize(t));
    }
    if let Some(title) = ctx.elems.iter().find(|e| e.tag == Tag::Title) {
        // `<title>` is usually "article_column_site": the whole, the first part
        // and the longest part may be the article's title, the others are not.
        let raw = raw_text(ctx, title.open() + 1, title.close());
        refs.push(normalize(&raw));
        let parts: Vec<String> = raw
            .split(['_', '|', '-', '–', '—'])
            .map(normalize)
            .collect();
        if let Some(first) = parts.first() {
            refs.push(first.clone());
        }
        if let Some(longest) = parts.iter().max_by_key(|p| p.chars().count()) {
            refs.push(longest.clone());
        }
    }
    refs.retain(|r| r.chars().count() >= 4);

    let before = || {
        ctx.elems[..container.min(ctx.elems.len())]
            .iter()
            .enumerate()
            .rev()
            .take(5000)
            .filter(move |(_, e)| {
                e.close() <= open
                    && !e.suppressed()
                    && !matches!(e.tag, Tag::Html | Tag::Body | Tag::Head)
                    && e.close() - e.open() <= 64
                    && ctx
                        .span_of(e.open(), e.close())
                        .is_some_and(|s| s.len() <= 4096)
            })
    };
    if !refs.is_empty() {
        for (i, e) in before() {
            let own = norm_text(ctx, e.open(), e.close());
            if !own.is_empty() && refs.contains(&own) {
                return Some(i);
            }
        }
    }
    let titled = |want: &dyn Fn(&Elem) -> bool, min_cjk: usize| {
        before()
            .filter(|(_, e)| want(e))
            .find(|(_, e)| {
                norm_text(ctx, e.open(), e.close())
                    .chars()
                    .filter(|&c| is_cjk(c))
                    .count()
                    >= min_cjk
            })
            .map(|(i, _)| i)
    };
    titled(&|e| e.tag == Tag::H1, 4).or_else(|| {
        // An element whose class says `title`, close to the article.
        let near: Vec<usize> = before().take(40).map(|(i, _)| i).collect();
        titled(&|e| e.title_word(), 8).filter(|i| near.contains(i))
    })
}

/// The text of tokens `lo..hi` as written (no entity decoding), for `<title>`.
fn raw_text(ctx: &Ctx, lo: usize, hi: usize) -> String {
    let mut s = String::new();
    for t in ctx.toks.range(lo, hi) {
        if t.kind == Kind::Text {
            if let Some(part) = ctx.text.get(t.start()..t.end()) {
                s.push_str(&decode_all(part));
            }
        }
    }
    s
}

/// The text of tokens `lo..hi`, references decoded, all white space removed.
pub(super) fn norm_text(ctx: &Ctx, lo: usize, hi: usize) -> String {
    normalize(&raw_text(ctx, lo, hi))
}

/// `s` without white space (ASCII, no-break and ideographic spaces).
pub(super) fn normalize(s: &str) -> String {
    s.chars().filter(|&c| !c.is_whitespace()).collect()
}

/// A `PageChrome` node for tokens `lo..hi` (nothing when empty).
pub(super) fn chrome_region(ctx: &Ctx, lo: usize, hi: usize, out: &mut Out) {
    if let Some(span) = ctx.span_of(lo, hi) {
        out.node(Node::container(
            NodeKind::PageChrome,
            vec![Node::leaf(NodeKind::Raw, span)],
        ));
    }
}
