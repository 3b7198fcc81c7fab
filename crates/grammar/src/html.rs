//! HTML: `<table>` blocks inside Markdown and whole HTML pages.
//!
//! # Tokens
//!
//! The bytes are tokenized by `html5gum` (0.8, a maintained WHATWG-conformant
//! tokenizer). Version 0.8 reports the byte span of every start tag, end tag,
//! comment and doctype (`DefaultEmitter::<usize>::new_with_span`); 0.7 had no
//! positions at all, which is why the workspace dependency is 0.8 (the spans of
//! 0.8.4 were checked against 200,000 generated tag soups; 0.9 needs Rust 1.82
//! and was not tried). With naive state switching on,
//! `<script>`, `<style>`, `<title>`, `<textarea>` bodies are read as text the way
//! a browser reads them. This module does not trust the spans blindly: a span
//! that goes backwards, overlaps the previous token, is empty, is not on a
//! character boundary or does not start with `<` is dropped, and every gap
//! between kept tokens becomes a text token, so the token list always tiles the
//! input. A tag left open at the end of input (`<td colspan="`), which the
//! tokenizer drops, becomes a `Raw` leaf. Text between tags is read here, not
//! from the tokenizer's decoded strings, so that every character reference is
//! its own `Entity` leaf with its own span; numeric references and the common
//! named ones are decoded by a built-in table, and any other `&name;` by asking
//! html5gum (which has the full WHATWG table) to decode just that reference.
//!
//! # Elements
//!
//! A light tree builder pairs start and end tags with the implied ends of the
//! HTML parsing algorithm that matter for documents (`<p>` closed by a block,
//! `<li>` by `<li>`, `<td>`/`<tr>` by the next cell or row, an end tag ignored
//! when its element is not in scope). It is linear: a scope search looks at no
//! more than `SCOPE_LIMIT` (256) open elements. Each element knows the tokens it
//! spans, whether it is chrome (`<script>`, `<style>`, `<nav>`, `<iframe>`, form
//! controls, hidden by
//! `style="display:none"` or `hidden`, or a class/id word such as `share`,
//! `breadcrumb`, `footer`) and how much Chinese text its visible descendants
//! hold.
//!
//! # Tables
//!
//! `parse_html_table` (and every table of a page) builds `HtmlTable > Row >
//! Cell > leaves`, rows and cells implied where the markup leaves them out, and
//! lays the cells out on a grid with the HTML table algorithm: a cell starts at
//! the first column of its row not covered by a `rowspan` from above. Spans are
//! clamped to 1000, a `rowspan` (or `rowspan="0"`) to the rows that follow,
//! the grid to `MAX_GRID` (4 Mi) positions and the layout work to `WORK_LIMIT`
//! (32 Mi) steps, so absurd spans neither allocate nor loop. Tables inside a
//! cell are part of that cell's content. Cell text: tags removed, references
//! decoded, `<br>` a line break (`\n`), a block edge (`<p>…</p><p>…</p>`) one line
//! break, source white space collapsed, trimmed.
//!
//! # Pages
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
//!
//! Inside the article, each block element (`<p>`, `<div>`, `<h1>`–`<h6>`,
//! `<li>`, …) or `<br>` ends a paragraph. Paragraph text is what a browser shows:
//! tags removed, references decoded, runs of source white space collapsed to one
//! space (dropped altogether when a line break in the source sits between two
//! wide CJK characters, as CSS Text 3 does), ASCII white space and no-break
//! spaces trimmed at both ends; full-width spaces (U+3000) are kept. Markup with
//! no text between paragraphs stays as leaves directly under the document.

use std::collections::HashMap;
use std::mem;
use std::ops::Range;

use html5gum::{DefaultEmitter, Token, Tokenizer};

use crate::logical::{Block, Cell, Para, ParaKind, Piece, Table, TableKind};
use crate::span::Span;
use crate::tree::{Node, NodeKind};

/// Largest `rowspan`/`colspan` honoured.
const MAX_SPAN: usize = 1000;
/// Widest grid kept (columns further right are listed as cells but not in the grid).
const MAX_COLS: usize = 1 << 15;
/// Most grid positions allocated for one table.
const MAX_GRID: usize = 1 << 22;
/// Most grid rows allocated for one table.
const MAX_GRID_ROWS: usize = 1 << 20;
/// Steps the grid layout may take before it stops honouring row spans.
const WORK_LIMIT: usize = 1 << 25;
/// Open elements a scope search looks at.
const SCOPE_LIMIT: usize = 256;
/// No element / no token.
const NONE: usize = usize::MAX;

// ---------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------

/// Parses the HTML `<table>` block `text[range]` into an `HtmlTable` node whose
/// leaves tile `range` and the logical [`Table`] with its expanded grid.
pub(crate) fn parse_html_table(text: &str, range: Range<usize>) -> (Node, Table) {
    let span = Span::new(range.start, range.end.max(range.start));
    let empty_table = || Table {
        kind: TableKind::Html,
        parts: vec![span],
        cells: Vec::new(),
        grid: Vec::new(),
    };
    if span.is_empty() {
        let node = Node {
            kind: NodeKind::HtmlTable,
            span,
            children: Vec::new(),
        };
        return (node, empty_table());
    }
    if text.get(span.start..span.end).is_none() {
        let node = Node::container(NodeKind::HtmlTable, vec![Node::leaf(NodeKind::Raw, span)]);
        return (node, empty_table());
    }
    let lexed = lex(text, span.start..span.end);
    let mut toks = lexed.toks;
    let elems = build_tree(text, &mut toks);
    let ctx = Ctx {
        text,
        toks: &toks,
        elems: &elems,
    };
    build_table(&ctx, 0, toks.len())
}

/// Parses a whole HTML page: the children of the document node (their leaves
/// tile `0..text.len()`) and the logical blocks of the report body.
pub(crate) fn parse_html_page(text: &str) -> (Vec<Node>, Vec<Block>) {
    if text.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let lexed = lex(text, 0..text.len());
    let article_title = lexed.article_title;
    let mut toks = lexed.toks;
    let elems = build_tree(text, &mut toks);
    let ctx = Ctx {
        text,
        toks: &toks,
        elems: &elems,
    };
    let n = toks.len();
    let mut out = Out::default();

    let Some(container) = choose_container(&elems) else {
        flow(&ctx, 0, n, &mut out);
        return (out.nodes, out.blocks);
    };
    let Some(c) = elems.get(container) else {
        flow(&ctx, 0, n, &mut out);
        return (out.nodes, out.blocks);
    };
    let inner_lo = (c.open + 1).min(n);
    let inner_hi = if c.explicit_end {
        c.close.saturating_sub(1)
    } else {
        c.close
    }
    .clamp(inner_lo, n);

    let mut body = Out::default();
    flow(&ctx, inner_lo, inner_hi, &mut body);

    let title = find_title(&ctx, container, article_title.as_deref()).filter(|&t| {
        // Not when the article itself starts with the same title.
        let first = body.blocks.iter().find_map(|b| match b {
            Block::Para(p) => Some(normalize(&p.text)),
            Block::Table(_) => None,
        });
        let own = elems
            .get(t)
            .map(|e| norm_text(&ctx, e.open, e.close))
            .unwrap_or_default();
        first.as_deref() != Some(own.as_str())
    });

    let mut pos = 0;
    if let Some(e) = title.and_then(|t| elems.get(t)) {
        chrome_region(&ctx, pos, e.open, &mut out.nodes);
        flow(&ctx, e.open, e.close, &mut out);
        pos = e.close;
    }
    chrome_region(&ctx, pos, inner_lo, &mut out.nodes);
    out.nodes.append(&mut body.nodes);
    out.blocks.append(&mut body.blocks);
    chrome_region(&ctx, inner_hi, n, &mut out.nodes);
    (out.nodes, out.blocks)
}

// ---------------------------------------------------------------------------
// Tags
// ---------------------------------------------------------------------------

/// The tag names this module treats specially.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Tag {
    Other,
    A,
    Address,
    Applet,
    Area,
    Article,
    Aside,
    Audio,
    B,
    Base,
    Blockquote,
    Body,
    Br,
    Button,
    Canvas,
    Caption,
    Center,
    Col,
    Colgroup,
    Dd,
    Details,
    Dialog,
    Dir,
    Div,
    Dl,
    Dt,
    Embed,
    Fieldset,
    Figcaption,
    Figure,
    Footer,
    Form,
    Frame,
    Frameset,
    H(u8),
    Head,
    Header,
    Hgroup,
    Hr,
    Html,
    Iframe,
    Img,
    Input,
    Keygen,
    Li,
    Link,
    Main,
    Marquee,
    Menu,
    Meta,
    Nav,
    Noembed,
    Noframes,
    Noscript,
    Object,
    Ol,
    Option,
    P,
    Param,
    Plaintext,
    Pre,
    Script,
    Section,
    Select,
    Source,
    Strong,
    Style,
    Summary,
    Svg,
    Table,
    Tbody,
    Td,
    Template,
    Textarea,
    Tfoot,
    Th,
    Thead,
    Title,
    Tr,
    Track,
    Ul,
    Video,
    Wbr,
    Xmp,
}

/// The tag of a (lower-case) tag name.
fn tag_of(name: &[u8]) -> Tag {
    match name {
        b"a" => Tag::A,
        b"address" => Tag::Address,
        b"applet" => Tag::Applet,
        b"area" => Tag::Area,
        b"article" => Tag::Article,
        b"aside" => Tag::Aside,
        b"audio" => Tag::Audio,
        b"b" => Tag::B,
        b"base" => Tag::Base,
        b"blockquote" => Tag::Blockquote,
        b"body" => Tag::Body,
        b"br" => Tag::Br,
        b"button" => Tag::Button,
        b"canvas" => Tag::Canvas,
        b"caption" => Tag::Caption,
        b"center" => Tag::Center,
        b"col" => Tag::Col,
        b"colgroup" => Tag::Colgroup,
        b"dd" => Tag::Dd,
        b"details" => Tag::Details,
        b"dialog" => Tag::Dialog,
        b"dir" => Tag::Dir,
        b"div" => Tag::Div,
        b"dl" => Tag::Dl,
        b"dt" => Tag::Dt,
        b"embed" => Tag::Embed,
        b"fieldset" => Tag::Fieldset,
        b"figcaption" => Tag::Figcaption,
        b"figure" => Tag::Figure,
        b"footer" => Tag::Footer,
        b"form" => Tag::Form,
        b"frame" => Tag::Frame,
        b"frameset" => Tag::Frameset,
        b"h1" => Tag::H(1),
        b"h2" => Tag::H(2),
        b"h3" => Tag::H(3),
        b"h4" => Tag::H(4),
        b"h5" => Tag::H(5),
        b"h6" => Tag::H(6),
        b"head" => Tag::Head,
        b"header" => Tag::Header,
        b"hgroup" => Tag::Hgroup,
        b"hr" => Tag::Hr,
        b"html" => Tag::Html,
        b"iframe" => Tag::Iframe,
        b"img" | b"image" => Tag::Img,
        b"input" => Tag::Input,
        b"keygen" => Tag::Keygen,
        b"li" => Tag::Li,
        b"link" => Tag::Link,
        b"main" => Tag::Main,
        b"marquee" => Tag::Marquee,
        b"menu" => Tag::Menu,
        b"meta" => Tag::Meta,
        b"nav" => Tag::Nav,
        b"noembed" => Tag::Noembed,
        b"noframes" => Tag::Noframes,
        b"noscript" => Tag::Noscript,
        b"object" => Tag::Object,
        b"ol" => Tag::Ol,
        b"option" => Tag::Option,
        b"p" => Tag::P,
        b"param" => Tag::Param,
        b"plaintext" => Tag::Plaintext,
        b"pre" | b"listing" => Tag::Pre,
        b"script" => Tag::Script,
        b"section" => Tag::Section,
        b"select" => Tag::Select,
        b"source" => Tag::Source,
        b"strong" => Tag::Strong,
        b"style" => Tag::Style,
        b"summary" => Tag::Summary,
        b"svg" => Tag::Svg,
        b"table" => Tag::Table,
        b"tbody" => Tag::Tbody,
        b"td" => Tag::Td,
        b"template" => Tag::Template,
        b"textarea" => Tag::Textarea,
        b"tfoot" => Tag::Tfoot,
        b"th" => Tag::Th,
        b"thead" => Tag::Thead,
        b"title" => Tag::Title,
        b"tr" => Tag::Tr,
        b"track" => Tag::Track,
        b"ul" => Tag::Ul,
        b"video" => Tag::Video,
        b"wbr" => Tag::Wbr,
        b"xmp" => Tag::Xmp,
        _ => Tag::Other,
    }
}

/// Elements that never have content.
fn is_void(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::Area
            | Tag::Base
            | Tag::Br
            | Tag::Col
            | Tag::Embed
            | Tag::Frame
            | Tag::Hr
            | Tag::Img
            | Tag::Input
            | Tag::Keygen
            | Tag::Link
            | Tag::Meta
            | Tag::Param
            | Tag::Source
            | Tag::Track
            | Tag::Wbr
    )
}

/// Elements that start and end a paragraph of text.
fn is_block(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::Address
            | Tag::Article
            | Tag::Aside
            | Tag::Blockquote
            | Tag::Body
            | Tag::Caption
            | Tag::Center
            | Tag::Dd
            | Tag::Details
            | Tag::Dialog
            | Tag::Dir
            | Tag::Div
            | Tag::Dl
            | Tag::Dt
            | Tag::Fieldset
            | Tag::Figcaption
            | Tag::Figure
            | Tag::Footer
            | Tag::Form
            | Tag::Frameset
            | Tag::H(_)
            | Tag::Head
            | Tag::Header
            | Tag::Hgroup
            | Tag::Hr
            | Tag::Html
            | Tag::Li
            | Tag::Main
            | Tag::Menu
            | Tag::Nav
            | Tag::Ol
            | Tag::Option
            | Tag::P
            | Tag::Plaintext
            | Tag::Pre
            | Tag::Section
            | Tag::Summary
            | Tag::Table
            | Tag::Tbody
            | Tag::Td
            | Tag::Tfoot
            | Tag::Th
            | Tag::Thead
            | Tag::Tr
            | Tag::Ul
            | Tag::Xmp
    )
}

/// Start tags that close an open `<p>`.
fn closes_p(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::Address
            | Tag::Article
            | Tag::Aside
            | Tag::Blockquote
            | Tag::Center
            | Tag::Dd
            | Tag::Details
            | Tag::Dialog
            | Tag::Dir
            | Tag::Div
            | Tag::Dl
            | Tag::Dt
            | Tag::Fieldset
            | Tag::Figcaption
            | Tag::Figure
            | Tag::Footer
            | Tag::Form
            | Tag::H(_)
            | Tag::Header
            | Tag::Hgroup
            | Tag::Hr
            | Tag::Li
            | Tag::Main
            | Tag::Menu
            | Tag::Nav
            | Tag::Ol
            | Tag::P
            | Tag::Plaintext
            | Tag::Pre
            | Tag::Section
            | Tag::Summary
            | Tag::Table
            | Tag::Ul
            | Tag::Xmp
    )
}

/// Elements that are never report text, wherever they are.
fn is_chrome_tag(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::Script
            | Tag::Style
            | Tag::Noscript
            | Tag::Template
            | Tag::Head
            | Tag::Title
            | Tag::Meta
            | Tag::Link
            | Tag::Base
            | Tag::Iframe
            | Tag::Object
            | Tag::Embed
            | Tag::Applet
            | Tag::Select
            | Tag::Button
            | Tag::Input
            | Tag::Textarea
            | Tag::Canvas
            | Tag::Audio
            | Tag::Video
            | Tag::Svg
            | Tag::Noembed
            | Tag::Noframes
            | Tag::Frameset
            | Tag::Nav
    )
}

/// The tags that make up a table's structure.
fn is_table_structure(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::Table
            | Tag::Tbody
            | Tag::Thead
            | Tag::Tfoot
            | Tag::Tr
            | Tag::Td
            | Tag::Th
            | Tag::Caption
            | Tag::Colgroup
            | Tag::Col
    )
}

/// The HTML "default scope" boundaries: an end tag does not reach past them.
fn is_scope_boundary(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::Html
            | Tag::Table
            | Tag::Td
            | Tag::Th
            | Tag::Caption
            | Tag::Template
            | Tag::Applet
            | Tag::Marquee
            | Tag::Object
    )
}

/// Block children whose whole text counts for their parent's score.
fn is_text_child(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::P | Tag::Table | Tag::H(_) | Tag::Blockquote | Tag::Pre
    )
}

/// Class names and ids of the article containers of government CMSs.
const SPECIFIC_CONTAINERS: &[&str] = &[
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
const GENERIC_CONTAINERS: &[&str] = &[
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
const CHROME_WORDS: &[&str] = &[
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

// ---------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Bytes between tags.
    Text,
    /// A start tag.
    Start,
    /// An end tag.
    End,
    /// A comment (also `<!x>`, `<?x>`, bogus comments).
    Comment,
    /// A doctype.
    Doctype,
    /// Bytes the tokenizer dropped (a tag cut off by the end of input).
    Raw,
}

const F_SELF_CLOSING: u8 = 1;
const F_HIDDEN: u8 = 2;
const F_CHROME_WORD: u8 = 4;
const F_TITLE_WORD: u8 = 8;

/// One token; the tokens of an input tile it.
#[derive(Clone, Debug)]
struct Tok {
    start: usize,
    end: usize,
    kind: Kind,
    tag: Tag,
    /// Hash of the name, to tell unknown tags apart (0 for known tags).
    key: u32,
    col_span: u32,
    /// `rowspan` as written (0 means "to the end").
    row_span: u32,
    flags: u8,
    /// 2 for a specific content container name, 1 for a generic one.
    tier: u8,
    /// The element a start tag opened.
    elem: usize,
}

impl Tok {
    fn new(kind: Kind, start: usize, end: usize) -> Self {
        Tok {
            start,
            end,
            kind,
            tag: Tag::Other,
            key: 0,
            col_span: 1,
            row_span: 1,
            flags: 0,
            tier: 0,
            elem: NONE,
        }
    }

    fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }

    fn leaf(&self) -> Node {
        let kind = match self.kind {
            Kind::Start | Kind::End => NodeKind::Tag,
            Kind::Text | Kind::Comment | Kind::Doctype | Kind::Raw => NodeKind::Raw,
        };
        Node::leaf(kind, self.span())
    }
}

/// The tokens of an input, and the page's `ArticleTitle` meta if any.
struct Lexed {
    toks: Vec<Tok>,
    article_title: Option<String>,
}

/// FNV-1a of a tag name, for unknown tags.
fn name_key(tag: Tag, name: &[u8]) -> u32 {
    if tag != Tag::Other {
        return 0;
    }
    name.iter().fold(0x811c_9dc5_u32, |h, &b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// Tokenizes `text[range]` into tokens tiling the range.
fn lex(text: &str, range: Range<usize>) -> Lexed {
    let base = range.start;
    let Some(src) = text.get(range) else {
        return Lexed {
            toks: Vec::new(),
            article_title: None,
        };
    };
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    emitter.naively_switch_states(true);
    let mut toks = Vec::new();
    let mut article_title = None;
    let mut last = 0usize;
    for item in Tokenizer::new_with_emitter(src, emitter) {
        let token = match item {
            Ok(token) => token,
            Err(never) => match never {},
        };
        let (kind, s, e) = match &token {
            Token::StartTag(t) => (Kind::Start, t.span.start, t.span.end),
            Token::EndTag(t) => (Kind::End, t.span.start, t.span.end),
            Token::Comment(c) => (Kind::Comment, c.span.start, c.span.end),
            Token::Doctype(d) => (Kind::Doctype, d.span.start, d.span.end),
            Token::String(_) | Token::Error(_) => continue,
        };
        let sane = s >= last
            && e > s
            && e <= src.len()
            && src.is_char_boundary(s)
            && src.is_char_boundary(e)
            && src.as_bytes().get(s) == Some(&b'<');
        if !sane {
            continue;
        }
        if s > last {
            toks.push(Tok::new(Kind::Text, base + last, base + s));
        }
        let mut tok = Tok::new(kind, base + s, base + e);
        match &token {
            Token::StartTag(t) => {
                tok.tag = tag_of(&t.name);
                tok.key = name_key(tok.tag, &t.name);
                read_attributes(&mut tok, t, &mut article_title);
            }
            Token::EndTag(t) => {
                tok.tag = tag_of(&t.name);
                tok.key = name_key(tok.tag, &t.name);
            }
            _ => {}
        }
        toks.push(tok);
        last = e;
    }
    if last < src.len() {
        // The tokenizer drops a tag cut off by the end of input; keep its bytes as Raw.
        let tail = &src[last..];
        let bytes = tail.as_bytes();
        let cut = (0..bytes.len()).find(|&i| {
            bytes[i] == b'<'
                && match bytes.get(i + 1) {
                    Some(b'/') => bytes.get(i + 2).is_some_and(u8::is_ascii_alphabetic),
                    Some(b) => b.is_ascii_alphabetic(),
                    None => false,
                }
        });
        let cut = cut.map_or(src.len(), |i| last + i);
        if cut > last {
            toks.push(Tok::new(Kind::Text, base + last, base + cut));
        }
        if cut < src.len() {
            toks.push(Tok::new(Kind::Raw, base + cut, base + src.len()));
        }
    }
    Lexed {
        toks,
        article_title,
    }
}

/// Reads what this module needs from a start tag's attributes.
fn read_attributes(
    tok: &mut Tok,
    tag: &html5gum::StartTag<usize>,
    article_title: &mut Option<String>,
) {
    if tag.self_closing {
        tok.flags |= F_SELF_CLOSING;
    }
    let attr = |name: &str| {
        tag.attributes
            .get(name.as_bytes())
            .map(|v| v.value.as_slice())
    };
    if let Some(v) = attr("colspan") {
        tok.col_span = parse_number(v).unwrap_or(1);
    }
    if let Some(v) = attr("rowspan") {
        tok.row_span = parse_number(v).unwrap_or(1);
    }
    if attr("hidden").is_some() {
        tok.flags |= F_HIDDEN;
    }
    if let Some(style) = attr("style") {
        let style: Vec<u8> = style
            .iter()
            .filter(|b| !b.is_ascii_whitespace())
            .map(u8::to_ascii_lowercase)
            .collect();
        if contains(&style, b"display:none") || contains(&style, b"visibility:hidden") {
            tok.flags |= F_HIDDEN;
        }
    }
    let mut names: Vec<String> = Vec::new();
    if let Some(class) = attr("class") {
        names.extend(
            String::from_utf8_lossy(class)
                .split_ascii_whitespace()
                .map(str::to_ascii_lowercase),
        );
    }
    if let Some(id) = attr("id") {
        names.push(String::from_utf8_lossy(id).trim().to_ascii_lowercase());
    }
    for name in &names {
        if SPECIFIC_CONTAINERS.contains(&name.as_str()) {
            tok.tier = 2;
        } else if GENERIC_CONTAINERS.contains(&name.as_str()) {
            tok.tier = tok.tier.max(1);
        }
        if name
            .split(['-', '_'])
            .any(|part| CHROME_WORDS.contains(&part))
        {
            tok.flags |= F_CHROME_WORD;
        }
        if name.contains("title") {
            tok.flags |= F_TITLE_WORD;
        }
    }
    if tok.tag == Tag::Meta && attr("name").is_some_and(|n| n.eq_ignore_ascii_case(b"articletitle"))
    {
        if let Some(content) = attr("content") {
            let content = String::from_utf8_lossy(content).trim().to_string();
            if !content.is_empty() && article_title.is_none() {
                *article_title = Some(content);
            }
        }
    }
}

/// The HTML rules for parsing non-negative integers (leading digits; saturating).
fn parse_number(v: &[u8]) -> Option<u32> {
    let mut rest = v;
    while let Some((first, tail)) = rest.split_first() {
        if first.is_ascii_whitespace() {
            rest = tail;
        } else {
            break;
        }
    }
    if let Some((b'+', tail)) = rest.split_first() {
        rest = tail;
    }
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    Some(rest[..digits].iter().fold(0u32, |n, &d| {
        n.saturating_mul(10).saturating_add(u32::from(d - b'0'))
    }))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

// ---------------------------------------------------------------------------
// Elements
// ---------------------------------------------------------------------------

/// An element: the tokens from its start tag up to (not including) `close`.
#[derive(Clone, Debug)]
struct Elem {
    tag: Tag,
    key: u32,
    open: usize,
    close: usize,
    parent: usize,
    depth: usize,
    /// Not shown: chrome or inside chrome, hidden or inside hidden.
    suppressed: bool,
    /// Not report text by itself (tag, hidden, or a furniture class).
    chrome: bool,
    tier: u8,
    title_word: bool,
    /// Closed by its own end tag (the last token of the element).
    explicit_end: bool,
    /// Chinese characters of the visible text directly inside.
    own_cjk: u64,
    /// Chinese characters of the visible text inside.
    total_cjk: u64,
    /// Chinese characters in `<p>`, `<table>`, heading and inline children, in
    /// the own text of other block children, and in its own text.
    score: u64,
}

/// Pairs the tags of `toks` into elements (setting each start tag's `elem`).
fn build_tree(text: &str, toks: &mut [Tok]) -> Vec<Elem> {
    let mut b = TreeBuilder {
        elems: Vec::new(),
        stack: Vec::new(),
        open_count: HashMap::new(),
    };
    let n = toks.len();
    for i in 0..n {
        let Some(tok) = toks.get(i) else { break };
        match tok.kind {
            Kind::Text => {
                if let Some(&top) = b.stack.last() {
                    if let Some(el) = b.elems.get_mut(top) {
                        if !el.suppressed {
                            let cjk = text.get(tok.start..tok.end).map_or(0, cjk_count);
                            el.own_cjk = el.own_cjk.saturating_add(cjk);
                        }
                    }
                }
            }
            Kind::Start => {
                let tok = tok.clone();
                let e = b.start(i, &tok);
                if let Some(t) = toks.get_mut(i) {
                    t.elem = e;
                }
            }
            Kind::End => b.end(i, toks[i].tag, toks[i].key),
            Kind::Comment | Kind::Doctype | Kind::Raw => {}
        }
    }
    b.pop_from(0, n, n, false);
    let mut elems = b.elems;
    for e in (0..elems.len()).rev() {
        let el = &mut elems[e];
        el.total_cjk = el.total_cjk.saturating_add(el.own_cjk);
        el.score = el.score.saturating_add(el.own_cjk);
        let (parent, total, own, tag) = (el.parent, el.total_cjk, el.own_cjk, el.tag);
        if let Some(p) = elems.get_mut(parent) {
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
    elems
}

struct TreeBuilder {
    elems: Vec<Elem>,
    stack: Vec<usize>,
    open_count: HashMap<(Tag, u32), usize>,
}

impl TreeBuilder {
    /// Handles the start tag at token `i`; returns its element.
    fn start(&mut self, i: usize, tok: &Tok) -> usize {
        let tag = tok.tag;
        match tag {
            Tag::Li => self.close_nearest(i, &[Tag::Li], |t| {
                matches!(t, Tag::Ul | Tag::Ol) || is_scope_boundary(t)
            }),
            Tag::Dt | Tag::Dd => self.close_nearest(i, &[Tag::Dt, Tag::Dd], |t| {
                t == Tag::Dl || is_scope_boundary(t)
            }),
            Tag::Tr => self.close_nearest(i, &[Tag::Tr], |t| {
                matches!(
                    t,
                    Tag::Table | Tag::Tbody | Tag::Thead | Tag::Tfoot | Tag::Html
                )
            }),
            Tag::Td | Tag::Th => self.close_nearest(i, &[Tag::Td, Tag::Th], |t| {
                matches!(t, Tag::Tr | Tag::Table | Tag::Html)
            }),
            Tag::Tbody | Tag::Thead | Tag::Tfoot => {
                self.close_nearest(i, &[Tag::Tbody, Tag::Thead, Tag::Tfoot], |t| {
                    matches!(t, Tag::Table | Tag::Html)
                })
            }
            Tag::H(_) => {
                if let Some(&top) = self.stack.last() {
                    if matches!(self.elems.get(top).map(|e| e.tag), Some(Tag::H(_))) {
                        let len = self.stack.len();
                        self.pop_from(len - 1, i, i, false);
                    }
                }
            }
            Tag::Option => {
                if let Some(&top) = self.stack.last() {
                    if self.elems.get(top).map(|e| e.tag) == Some(Tag::Option) {
                        let len = self.stack.len();
                        self.pop_from(len - 1, i, i, false);
                    }
                }
            }
            _ => {}
        }
        if closes_p(tag) {
            self.close_nearest(i, &[Tag::P], |t| t == Tag::Button || is_scope_boundary(t));
        }
        let parent = self.stack.last().copied().unwrap_or(NONE);
        let parent_suppressed = self.elems.get(parent).is_some_and(|p| p.suppressed);
        let hidden = tok.flags & F_HIDDEN != 0;
        let chrome_tag = is_chrome_tag(tag);
        let idx = self.elems.len();
        self.elems.push(Elem {
            tag,
            key: tok.key,
            open: i,
            close: i + 1,
            parent,
            depth: self.stack.len(),
            suppressed: parent_suppressed || chrome_tag || hidden,
            chrome: chrome_tag || hidden || tok.flags & F_CHROME_WORD != 0,
            tier: tok.tier,
            title_word: tok.flags & F_TITLE_WORD != 0,
            explicit_end: false,
            own_cjk: 0,
            total_cjk: 0,
            score: 0,
        });
        let self_closed = tok.flags & F_SELF_CLOSING != 0 && tag == Tag::Other;
        if !is_void(tag) && !self_closed {
            self.stack.push(idx);
            *self.open_count.entry((tag, tok.key)).or_insert(0) += 1;
        }
        idx
    }

    /// Handles the end tag at token `i`.
    fn end(&mut self, i: usize, tag: Tag, key: u32) {
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
        if let Some(pos) = self.find(|t, k| t == tag && k == key, boundary) {
            self.pop_from(pos, i, i + 1, true);
        }
    }

    /// True when an element with one of these (known) tags is open.
    fn any_open(&self, tags: &[Tag]) -> bool {
        tags.iter()
            .any(|&t| self.open_count.get(&(t, 0)).is_some_and(|&n| n > 0))
    }

    /// Closes the nearest open element matching `target` (before token `i`),
    /// unless a `boundary` element comes first.
    fn close_nearest(&mut self, i: usize, targets: &[Tag], boundary: impl Fn(Tag) -> bool) {
        if !self.any_open(targets) {
            return;
        }
        if let Some(pos) = self.find(|t, _| targets.contains(&t), boundary) {
            self.pop_from(pos, i, i, false);
        }
    }

    /// The stack position of the nearest open element matching `target`.
    fn find(
        &self,
        target: impl Fn(Tag, u32) -> bool,
        boundary: impl Fn(Tag) -> bool,
    ) -> Option<usize> {
        for (pos, &e) in self.stack.iter().enumerate().rev().take(SCOPE_LIMIT) {
            let el = self.elems.get(e)?;
            if target(el.tag, el.key) {
                return Some(pos);
            }
            if boundary(el.tag) {
                return None;
            }
        }
        None
    }

    /// Pops the stack down to `pos`: the element at `pos` closes at
    /// `target_close`, those above it at `others_close`.
    fn pop_from(&mut self, pos: usize, others_close: usize, target_close: usize, explicit: bool) {
        while self.stack.len() > pos {
            let Some(e) = self.stack.pop() else { break };
            let is_target = self.stack.len() == pos;
            if let Some(el) = self.elems.get_mut(e) {
                el.close = if is_target {
                    target_close
                } else {
                    others_close
                }
                .max(el.open + 1);
                el.explicit_end = is_target && explicit;
                if let Some(count) = self.open_count.get_mut(&(el.tag, el.key)) {
                    *count = count.saturating_sub(1);
                }
            }
        }
    }
}

/// Chinese characters (ideographs, CJK and full-width punctuation) in `s`.
fn cjk_count(s: &str) -> u64 {
    s.chars().filter(|&c| is_cjk(c)).count() as u64
}

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3001}'..='\u{303F}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF01}'..='\u{FF60}'
        | '\u{20000}'..='\u{2FFFF}')
}

/// East Asian wide characters, between which a source line break is dropped.
fn is_wide(c: char) -> bool {
    is_cjk(c) || matches!(c, '\u{3000}' | '\u{3040}'..='\u{30FF}' | '\u{FFE0}'..='\u{FFE6}')
}

// ---------------------------------------------------------------------------
// Choosing the article
// ---------------------------------------------------------------------------

/// The element holding the article, if any.
fn choose_container(elems: &[Elem]) -> Option<usize> {
    for tier in [2u8, 1] {
        let candidates = || {
            elems
                .iter()
                .enumerate()
                .filter(move |(_, e)| e.tier == tier && !e.suppressed && e.total_cjk >= 20)
        };
        let Some(best) = candidates().map(|(_, e)| e.total_cjk).max() else {
            continue;
        };
        // The innermost container that still holds most of the text.
        return candidates()
            .filter(|(_, e)| e.total_cjk.saturating_mul(5) >= best.saturating_mul(4))
            .max_by_key(|(i, e)| (e.depth, e.total_cjk, usize::MAX - i))
            .map(|(i, _)| i);
    }
    let best = elems
        .iter()
        .filter(|e| !e.suppressed)
        .map(|e| e.score)
        .max()?;
    if best == 0 {
        return elems.iter().position(|e| e.tag == Tag::Body);
    }
    elems
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.suppressed && e.score.saturating_mul(10) >= best.saturating_mul(9))
        .max_by_key(|(i, e)| (e.depth, e.score, usize::MAX - i))
        .map(|(i, _)| i)
}

/// The element above the article holding its title, if any.
fn find_title(ctx: &Ctx, container: usize, article_title: Option<&str>) -> Option<usize> {
    let open = ctx.elems.get(container)?.open;
    let mut refs: Vec<String> = Vec::new();
    if let Some(t) = article_title {
        refs.push(normalize(t));
    }
    if let Some(title) = ctx.elems.iter().find(|e| e.tag == Tag::Title) {
        // `<title>` is usually "article_column_site": the whole, the first part
        // and the longest part may be the article's title, the others are not.
        let raw = raw_text(ctx, title.open + 1, title.close);
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
                e.close <= open
                    && !e.suppressed
                    && !matches!(e.tag, Tag::Html | Tag::Body | Tag::Head)
                    && e.close - e.open <= 64
                    && ctx
                        .span_of(e.open, e.close)
                        .is_some_and(|s| s.len() <= 4096)
            })
    };
    if !refs.is_empty() {
        for (i, e) in before() {
            let own = norm_text(ctx, e.open, e.close);
            if !own.is_empty() && refs.contains(&own) {
                return Some(i);
            }
        }
    }
    let titled = |want: &dyn Fn(&Elem) -> bool, min_cjk: usize| {
        before()
            .filter(|(_, e)| want(e))
            .find(|(_, e)| {
                norm_text(ctx, e.open, e.close)
                    .chars()
                    .filter(|&c| is_cjk(c))
                    .count()
                    >= min_cjk
            })
            .map(|(i, _)| i)
    };
    titled(&|e| e.tag == Tag::H(1), 4).or_else(|| {
        // An element whose class says `title`, close to the article.
        let near: Vec<usize> = before().take(40).map(|(i, _)| i).collect();
        titled(&|e| e.title_word, 8).filter(|i| near.contains(i))
    })
}

/// The text of tokens `lo..hi` as written (no entity decoding), for `<title>`.
fn raw_text(ctx: &Ctx, lo: usize, hi: usize) -> String {
    let mut s = String::new();
    for t in ctx.toks.get(lo..hi.min(ctx.toks.len())).unwrap_or(&[]) {
        if t.kind == Kind::Text {
            if let Some(part) = ctx.text.get(t.start..t.end) {
                s.push_str(&decode_all(part));
            }
        }
    }
    s
}

/// The text of tokens `lo..hi`, references decoded, all white space removed.
fn norm_text(ctx: &Ctx, lo: usize, hi: usize) -> String {
    normalize(&raw_text(ctx, lo, hi))
}

/// `s` without white space (ASCII, no-break and ideographic spaces).
fn normalize(s: &str) -> String {
    s.chars().filter(|&c| !c.is_whitespace()).collect()
}

/// `s` with its character references decoded.
fn decode_all(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pos = 0;
    while let Some(off) = s[pos..].find('&') {
        let amp = pos + off;
        out.push_str(&s[pos..amp]);
        match entity_at(s, amp, s.len()) {
            Some((len, decoded)) => {
                out.push_str(&decoded);
                pos = amp + len;
            }
            None => {
                out.push('&');
                pos = amp + 1;
            }
        }
    }
    out.push_str(&s[pos..]);
    out
}

// ---------------------------------------------------------------------------
// Building nodes
// ---------------------------------------------------------------------------

/// What the builders read.
struct Ctx<'a> {
    text: &'a str,
    toks: &'a [Tok],
    elems: &'a [Elem],
}

impl Ctx<'_> {
    /// One past the last token of the element opened at token `i`, within `hi`.
    fn subtree_end(&self, i: usize, hi: usize) -> usize {
        let close = self
            .toks
            .get(i)
            .and_then(|t| self.elems.get(t.elem))
            .map_or(i + 1, |e| e.close);
        close.clamp(i + 1, hi.max(i + 1))
    }

    /// True when the table of tokens `lo..hi` lays out a page rather than holding
    /// data: a Word document saved as HTML inside one table cell, its paragraphs
    /// and its real tables nested in that cell. One cell of its own, and in it
    /// nested tables or several paragraphs.
    fn is_layout_table(&self, lo: usize, hi: usize) -> bool {
        let (mut depth, mut cells, mut paragraphs, mut nested) = (0usize, 0usize, 0usize, false);
        for t in self
            .toks
            .get(lo + 1..hi.min(self.toks.len()))
            .unwrap_or_default()
        {
            match (t.kind, t.tag) {
                (Kind::Start, Tag::Table) => {
                    depth += 1;
                    nested = true;
                }
                (Kind::End, Tag::Table) => depth = depth.saturating_sub(1),
                (Kind::Start, Tag::Td | Tag::Th) if depth == 0 => {
                    cells += 1;
                    if cells > 1 {
                        return false;
                    }
                }
                (Kind::Start, Tag::P) if depth == 0 => paragraphs += 1,
                _ => {}
            }
        }
        cells == 1 && (nested || paragraphs >= 3)
    }

    /// True when the start tag at token `i` opens chrome.
    fn is_chrome(&self, i: usize) -> bool {
        self.toks
            .get(i)
            .and_then(|t| self.elems.get(t.elem))
            .is_some_and(|e| e.chrome)
    }

    /// The span from the start of token `lo` to the end of token `hi - 1`.
    fn span_of(&self, lo: usize, hi: usize) -> Option<Span> {
        let first = self.toks.get(lo)?;
        let last = self.toks.get(hi.checked_sub(1)?)?;
        (hi > lo).then(|| Span::new(first.start, last.end.max(first.start)))
    }
}

/// Nodes and blocks produced so far.
#[derive(Default)]
struct Out {
    nodes: Vec<Node>,
    blocks: Vec<Block>,
}

/// A `PageChrome` node for tokens `lo..hi` (nothing when empty).
fn chrome_region(ctx: &Ctx, lo: usize, hi: usize, nodes: &mut Vec<Node>) {
    if let Some(span) = ctx.span_of(lo, hi) {
        nodes.push(Node::container(
            NodeKind::PageChrome,
            vec![Node::leaf(NodeKind::Raw, span)],
        ));
    }
}

fn is_html_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}')
}

/// Whitespace and Newline leaves for the ASCII white space `text[s..e]`.
fn ws_leaves(text: &str, s: usize, e: usize, out: &mut Vec<Node>) {
    let bytes = text.as_bytes();
    let mut i = s;
    while i < e {
        match bytes.get(i) {
            Some(b'\n') => {
                out.push(Node::leaf(NodeKind::Newline, Span::new(i, i + 1)));
                i += 1;
            }
            Some(b'\r') => {
                let len = if i + 1 < e && bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                out.push(Node::leaf(NodeKind::Newline, Span::new(i, i + len)));
                i += len;
            }
            _ => {
                let start = i;
                while i < e && !matches!(bytes.get(i), Some(b'\n' | b'\r') | None) {
                    i += 1;
                }
                out.push(Node::leaf(NodeKind::Whitespace, Span::new(start, i)));
            }
        }
    }
}

/// Leaves for the text token `text[s..e]` (white space, text runs, entities),
/// feeding its text to `tb`.
fn text_into(
    text: &str,
    s: usize,
    e: usize,
    out: &mut Vec<Node>,
    mut tb: Option<&mut TextBuilder>,
    bold: bool,
) {
    let Some(seg) = text.get(s..e) else {
        out.push(Node::leaf(NodeKind::Raw, Span::new(s, e.max(s))));
        return;
    };
    let lead = seg.len() - seg.trim_start_matches(is_html_ws).len();
    if lead == seg.len() {
        ws_leaves(text, s, e, out);
        if let Some(tb) = tb {
            tb.ws(s, seg, bold);
        }
        return;
    }
    let mid_end = s + seg.trim_end_matches(is_html_ws).len();
    if lead > 0 {
        ws_leaves(text, s, s + lead, out);
        if let Some(tb) = tb.as_deref_mut() {
            tb.ws(s, &seg[..lead], bold);
        }
    }
    let mut run = s + lead;
    let mut pos = run;
    while let Some(off) = text.get(pos..mid_end).and_then(|m| m.find('&')) {
        let amp = pos + off;
        match entity_at(text, amp, mid_end) {
            Some((len, decoded)) => {
                run_into(text, run, amp, out, tb.as_deref_mut(), bold);
                let span = Span::new(amp, amp + len);
                out.push(Node::leaf(NodeKind::Entity, span));
                if let Some(tb) = tb.as_deref_mut() {
                    tb.content(&decoded, span, false, bold);
                }
                run = amp + len;
                pos = run;
            }
            None => pos = amp + 1,
        }
    }
    run_into(text, run, mid_end, out, tb.as_deref_mut(), bold);
    if mid_end < e {
        ws_leaves(text, mid_end, e, out);
        if let Some(tb) = tb {
            tb.ws(mid_end, &text[mid_end..e], bold);
        }
    }
}

/// Leaves for the text run `text[s..e]` (no references), fed to `tb`.
fn run_into(
    text: &str,
    s: usize,
    e: usize,
    out: &mut Vec<Node>,
    tb: Option<&mut TextBuilder>,
    bold: bool,
) {
    if s >= e {
        return;
    }
    out.extend(crate::inline::text_leaves(text, s..e));
    let (Some(tb), Some(run)) = (tb, text.get(s..e)) else {
        return;
    };
    let mut start = 0;
    let mut in_ws = None;
    for (i, c) in run.char_indices() {
        let ws = is_html_ws(c);
        if in_ws != Some(ws) {
            if let Some(was_ws) = in_ws {
                feed(tb, run, s, start..i, was_ws, bold);
            }
            start = i;
            in_ws = Some(ws);
        }
    }
    if let Some(was_ws) = in_ws {
        feed(tb, run, s, start..run.len(), was_ws, bold);
    }
}

fn feed(tb: &mut TextBuilder, run: &str, base: usize, r: Range<usize>, ws: bool, bold: bool) {
    let part = &run[r.clone()];
    if ws {
        tb.ws(base + r.start, part, bold);
    } else {
        tb.content(part, Span::new(base + r.start, base + r.end), true, bold);
    }
}

// ---------------------------------------------------------------------------
// Text as a reader sees it
// ---------------------------------------------------------------------------

/// White space waiting to become one space (or nothing).
struct PendingWs {
    span: Span,
    newline: bool,
    single: bool,
    bold: bool,
}

/// The built text of a paragraph or cell.
struct Built {
    text: String,
    pieces: Vec<Piece>,
    bold: Vec<Range<usize>>,
}

/// Accumulates the text a browser would show, with its pieces and bold runs.
struct TextBuilder {
    text: String,
    pieces: Vec<Piece>,
    bold: Vec<Range<usize>>,
    keep_pieces: bool,
    pending_ws: Option<PendingWs>,
    pending_breaks: usize,
    break_span: Option<Span>,
}

impl TextBuilder {
    fn new(keep_pieces: bool) -> Self {
        TextBuilder {
            text: String::new(),
            pieces: Vec::new(),
            bold: Vec::new(),
            keep_pieces,
            pending_ws: None,
            pending_breaks: 0,
            break_span: None,
        }
    }

    fn has_text(&self) -> bool {
        !self.text.is_empty()
    }

    /// Collapsible white space `src` starting at byte `start`.
    fn ws(&mut self, start: usize, src: &str, bold: bool) {
        if src.is_empty() || self.pending_breaks > 0 {
            return;
        }
        let newline = src.contains(['\n', '\r']);
        match &mut self.pending_ws {
            Some(p) => {
                p.newline |= newline;
            }
            None => {
                self.pending_ws = Some(PendingWs {
                    span: Span::new(start, start + src.len()),
                    newline,
                    single: src == " ",
                    bold,
                });
            }
        }
    }

    /// A line break (`<br>` is hard and counts; a block edge is soft).
    fn brk(&mut self, hard: bool, span: Span) {
        self.pending_ws = None;
        if hard {
            self.pending_breaks += 1;
        } else if self.pending_breaks == 0 {
            self.pending_breaks = 1;
        }
        if self.break_span.is_none() {
            self.break_span = Some(span);
        }
    }

    /// Text shown as `s`, from `span` (verbatim when `s` is the source text).
    fn content(&mut self, s: &str, span: Span, verbatim: bool, bold: bool) {
        let Some(first) = s.chars().next() else {
            return;
        };
        self.flush_pending(first);
        let start = self.text.len();
        self.text.push_str(s);
        self.record(start, span, verbatim, bold);
    }

    fn flush_pending(&mut self, next: char) {
        let breaks = mem::take(&mut self.pending_breaks);
        let break_span = self.break_span.take();
        let ws = self.pending_ws.take();
        if self.text.is_empty() {
            return;
        }
        if breaks > 0 {
            let start = self.text.len();
            for _ in 0..breaks {
                self.text.push('\n');
            }
            let span = break_span.unwrap_or_default();
            self.record(start, span, false, false);
        } else if let Some(p) = ws {
            let last = self.text.chars().next_back().unwrap_or(' ');
            if p.newline && is_wide(last) && is_wide(next) {
                return;
            }
            let start = self.text.len();
            self.text.push(' ');
            self.record(start, p.span, p.single, p.bold);
        }
    }

    fn record(&mut self, start: usize, span: Span, verbatim: bool, bold: bool) {
        if !self.keep_pieces {
            return;
        }
        let end = self.text.len();
        match self.pieces.last_mut() {
            Some(last)
                if verbatim
                    && last.verbatim
                    && last.text.end == start
                    && last.span.end == span.start
                    && last.span.len() == last.text.len()
                    && span.len() == end - start =>
            {
                last.text.end = end;
                last.span.end = span.end;
                last.decoded.end = span.end;
            }
            _ => self.pieces.push(Piece {
                text: start..end,
                span,
                verbatim,
                decoded: span.start..span.end,
            }),
        }
        if bold {
            match self.bold.last_mut() {
                Some(last) if last.end == start => last.end = end,
                _ => self.bold.push(start..end),
            }
        }
    }

    /// The text trimmed of white space and no-break spaces at both ends; `None` when empty.
    fn finish(self) -> Option<Built> {
        let trim = |c: char| c.is_ascii_whitespace() || c == '\u{a0}';
        let a = self.text.len() - self.text.trim_start_matches(trim).len();
        let b = self.text.trim_end_matches(trim).len();
        if a >= b {
            return None;
        }
        let pieces = self
            .pieces
            .into_iter()
            .filter_map(|p| {
                let s = p.text.start.max(a);
                let e = p.text.end.min(b);
                if s >= e {
                    return None;
                }
                let span = if p.verbatim && p.span.len() == p.text.len() {
                    Span::new(
                        p.span.start + (s - p.text.start),
                        p.span.end - (p.text.end - e),
                    )
                } else {
                    p.span
                };
                Some(Piece {
                    text: s - a..e - a,
                    span,
                    verbatim: p.verbatim,
                    decoded: span.start..span.end,
                })
            })
            .collect();
        let bold = self
            .bold
            .into_iter()
            .filter_map(|r| {
                let s = r.start.max(a);
                let e = r.end.min(b);
                (s < e).then(|| s - a..e - a)
            })
            .collect();
        Some(Built {
            text: self.text[a..b].to_string(),
            pieces,
            bold,
        })
    }
}

// ---------------------------------------------------------------------------
// Paragraphs
// ---------------------------------------------------------------------------

/// The paragraph being read.
struct ParaAcc {
    leaves: Vec<Node>,
    tb: TextBuilder,
    kind: ParaKind,
}

impl ParaAcc {
    fn new() -> Self {
        ParaAcc {
            leaves: Vec::new(),
            tb: TextBuilder::new(true),
            kind: ParaKind::Text,
        }
    }

    /// Ends the paragraph: a `Paragraph` node and block when it has text, else loose leaves.
    fn flush(&mut self, out: &mut Out) {
        let leaves = mem::take(&mut self.leaves);
        let tb = mem::replace(&mut self.tb, TextBuilder::new(true));
        let kind = mem::replace(&mut self.kind, ParaKind::Text);
        if leaves.is_empty() {
            return;
        }
        match tb.finish() {
            Some(built) => {
                let start = built.pieces.first().map_or(0, |p| p.span.start);
                let end = built.pieces.last().map_or(start, |p| p.span.end).max(start);
                out.nodes.push(Node::container(NodeKind::Paragraph, leaves));
                out.blocks.push(Block::Para(Box::new(Para::new(
                    kind,
                    built.text,
                    built.pieces,
                    built.bold,
                    Span::new(start, end),
                ))));
            }
            None => out.nodes.extend(leaves),
        }
    }
}

/// Reads tokens `lo..hi` of the article as paragraphs and tables.
fn flow(ctx: &Ctx, lo: usize, hi: usize, out: &mut Out) {
    let hi = hi.min(ctx.toks.len());
    let mut para = ParaAcc::new();
    let mut bold = 0usize;
    // The end of the layout table being read as flow (see `Ctx::is_layout_table`):
    // tables inside it are tables, never layout again, so each token is looked at
    // a bounded number of times however deep the nesting.
    let mut layout_until = lo;
    let mut i = lo;
    while i < hi {
        let Some(t) = ctx.toks.get(i) else { break };
        let in_layout = i < layout_until;
        let opens_table = t.kind == Kind::Start && t.tag == Tag::Table;
        if in_layout
            && !opens_table
            && is_table_structure(t.tag)
            && matches!(t.kind, Kind::Start | Kind::End)
        {
            // The layout table's own rows and cells only separate paragraphs.
            para.flush(out);
            para.leaves.push(t.leaf());
            para.flush(out);
            i += 1;
            continue;
        }
        match t.kind {
            Kind::Text => text_into(
                ctx.text,
                t.start,
                t.end,
                &mut para.leaves,
                Some(&mut para.tb),
                bold > 0,
            ),
            Kind::Comment | Kind::Doctype | Kind::Raw => para.leaves.push(t.leaf()),
            Kind::Start => {
                if t.tag == Tag::Table {
                    let end = ctx.subtree_end(i, hi);
                    para.flush(out);
                    if !in_layout && ctx.is_layout_table(i, end) {
                        layout_until = end;
                        para.leaves.push(t.leaf());
                        para.flush(out);
                        i += 1;
                        continue;
                    }
                    let (node, table) = build_table(ctx, i, end);
                    out.nodes.push(node);
                    out.blocks.push(Block::Table(Box::new(table)));
                    i = end;
                    continue;
                }
                if ctx.is_chrome(i) {
                    let end = ctx.subtree_end(i, hi);
                    if let Some(span) = ctx.span_of(i, end) {
                        if para.tb.has_text() {
                            para.leaves.push(Node::leaf(NodeKind::Raw, span));
                        } else {
                            para.flush(out);
                            out.nodes.push(Node::container(
                                NodeKind::PageChrome,
                                vec![Node::leaf(NodeKind::Raw, span)],
                            ));
                        }
                    }
                    i = end;
                    continue;
                }
                if t.tag == Tag::Br {
                    para.leaves.push(t.leaf());
                    para.flush(out);
                } else if is_block(t.tag) {
                    para.flush(out);
                    para.leaves.push(t.leaf());
                    if let Tag::H(level) = t.tag {
                        para.kind = ParaKind::Heading(level);
                    }
                } else {
                    if matches!(t.tag, Tag::B | Tag::Strong) && t.flags & F_SELF_CLOSING == 0 {
                        bold += 1;
                    }
                    para.leaves.push(t.leaf());
                }
            }
            Kind::End => {
                para.leaves.push(t.leaf());
                if t.tag == Tag::Br || is_block(t.tag) {
                    para.flush(out);
                } else if matches!(t.tag, Tag::B | Tag::Strong) {
                    bold = bold.saturating_sub(1);
                }
            }
        }
        i += 1;
    }
    para.flush(out);
}

// ---------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------

/// The cell being read.
struct CellAcc {
    children: Vec<Node>,
    tb: TextBuilder,
    content_start: usize,
    col_span: u32,
    row_span: u32,
}

/// A cell before layout.
struct RawCell {
    row: usize,
    col_span: u32,
    row_span: u32,
    text: String,
    span: Span,
}

/// The table being read.
struct TableAcc {
    children: Vec<Node>,
    row: Option<Vec<Node>>,
    cell: Option<CellAcc>,
    rows: usize,
    cells: Vec<RawCell>,
}

impl TableAcc {
    /// Adds a node to the innermost open cell, row or the table.
    fn push(&mut self, node: Node) {
        if let Some(cell) = &mut self.cell {
            cell.children.push(node);
        } else if let Some(row) = &mut self.row {
            row.push(node);
        } else {
            self.children.push(node);
        }
    }

    /// Adds a node to the table itself, closing any open row.
    fn push_table_level(&mut self, node: Node) {
        self.close_row();
        self.children.push(node);
    }

    fn brk(&mut self, hard: bool, span: Span) {
        if let Some(cell) = &mut self.cell {
            cell.tb.brk(hard, span);
        }
    }

    fn open_row(&mut self) {
        self.close_row();
        self.row = Some(Vec::new());
        self.rows += 1;
    }

    fn open_cell(&mut self, tag: &Tok) {
        self.close_cell(None);
        if self.row.is_none() {
            self.row = Some(Vec::new());
            self.rows += 1;
        }
        self.cell = Some(CellAcc {
            children: vec![tag.leaf()],
            tb: TextBuilder::new(false),
            content_start: tag.end,
            col_span: tag.col_span,
            row_span: tag.row_span,
        });
    }

    /// Closes the open cell; its content ends at `content_end` (its end tag) or
    /// with its last leaf.
    fn close_cell(&mut self, content_end: Option<usize>) {
        let Some(cell) = self.cell.take() else {
            return;
        };
        let node = Node::container(NodeKind::Cell, cell.children);
        let end = content_end.unwrap_or(node.span.end);
        let span = if end > cell.content_start {
            Span::new(cell.content_start, end)
        } else {
            node.span
        };
        let text = cell.tb.finish().map(|b| b.text).unwrap_or_default();
        self.cells.push(RawCell {
            row: self.rows.saturating_sub(1),
            col_span: cell.col_span,
            row_span: cell.row_span,
            text,
            span,
        });
        match &mut self.row {
            Some(row) => row.push(node),
            None => self.children.push(node),
        }
    }

    fn close_row(&mut self) {
        self.close_cell(None);
        if let Some(row) = self.row.take() {
            if !row.is_empty() {
                self.children.push(Node::container(NodeKind::Row, row));
            }
        }
    }
}

/// Builds the table of tokens `lo..hi` (`toks[lo]` is normally its `<table>`).
fn build_table(ctx: &Ctx, lo: usize, hi: usize) -> (Node, Table) {
    let hi = hi.min(ctx.toks.len());
    let mut acc = TableAcc {
        children: Vec::new(),
        row: None,
        cell: None,
        rows: 0,
        cells: Vec::new(),
    };
    let mut depth = 0usize;
    let mut i = lo;
    while i < hi {
        let Some(t) = ctx.toks.get(i) else { break };
        let nested = depth >= 2;
        match t.kind {
            Kind::Text => {
                if let Some(cell) = &mut acc.cell {
                    text_into(
                        ctx.text,
                        t.start,
                        t.end,
                        &mut cell.children,
                        Some(&mut cell.tb),
                        false,
                    );
                } else {
                    let mut leaves = Vec::new();
                    text_into(ctx.text, t.start, t.end, &mut leaves, None, false);
                    for leaf in leaves {
                        acc.push(leaf);
                    }
                }
            }
            Kind::Comment | Kind::Doctype | Kind::Raw => acc.push(t.leaf()),
            Kind::Start => {
                if t.tag == Tag::Table {
                    if depth == 0 {
                        acc.push_table_level(t.leaf());
                    } else {
                        acc.brk(false, t.span());
                        acc.push(t.leaf());
                    }
                    depth += 1;
                } else if !is_table_structure(t.tag) && ctx.is_chrome(i) {
                    let end = ctx.subtree_end(i, hi);
                    if let Some(span) = ctx.span_of(i, end) {
                        acc.push(Node::leaf(NodeKind::Raw, span));
                    }
                    i = end;
                    continue;
                } else if nested {
                    acc.push(t.leaf());
                    if t.tag == Tag::Br {
                        acc.brk(true, t.span());
                    } else if is_block(t.tag) {
                        acc.brk(false, t.span());
                    }
                } else {
                    match t.tag {
                        Tag::Tr => {
                            acc.open_row();
                            acc.push(t.leaf());
                        }
                        Tag::Td | Tag::Th => acc.open_cell(t),
                        Tag::Tbody | Tag::Thead | Tag::Tfoot | Tag::Caption | Tag::Colgroup => {
                            acc.push_table_level(t.leaf());
                        }
                        Tag::Br => {
                            acc.push(t.leaf());
                            acc.brk(true, t.span());
                        }
                        tag => {
                            acc.push(t.leaf());
                            if is_block(tag) {
                                acc.brk(false, t.span());
                            }
                        }
                    }
                }
            }
            Kind::End => {
                if t.tag == Tag::Table {
                    if depth >= 2 {
                        acc.push(t.leaf());
                        acc.brk(false, t.span());
                    } else {
                        acc.push_table_level(t.leaf());
                    }
                    depth = depth.saturating_sub(1);
                } else if nested {
                    acc.push(t.leaf());
                    if t.tag == Tag::Br {
                        acc.brk(true, t.span());
                    } else if is_block(t.tag) {
                        acc.brk(false, t.span());
                    }
                } else {
                    match t.tag {
                        Tag::Td | Tag::Th if acc.cell.is_some() => {
                            acc.push(t.leaf());
                            acc.close_cell(Some(t.start));
                        }
                        Tag::Tr => {
                            acc.close_cell(None);
                            if acc.row.is_some() {
                                acc.push(t.leaf());
                                acc.close_row();
                            } else {
                                acc.children.push(t.leaf());
                            }
                        }
                        Tag::Tbody | Tag::Thead | Tag::Tfoot | Tag::Caption | Tag::Colgroup => {
                            acc.push_table_level(t.leaf());
                        }
                        Tag::Br => {
                            acc.push(t.leaf());
                            acc.brk(true, t.span());
                        }
                        tag => {
                            acc.push(t.leaf());
                            if is_block(tag) {
                                acc.brk(false, t.span());
                            }
                        }
                    }
                }
            }
        }
        i += 1;
    }
    acc.close_row();
    let span = ctx.span_of(lo, hi).unwrap_or_default();
    let node = if acc.children.is_empty() {
        Node {
            kind: NodeKind::HtmlTable,
            span,
            children: Vec::new(),
        }
    } else {
        Node::container(NodeKind::HtmlTable, acc.children)
    };
    let (cells, grid) = layout(acc.rows, acc.cells);
    let table = Table {
        kind: TableKind::Html,
        parts: vec![node.span],
        cells,
        grid,
    };
    (node, table)
}

/// Places the cells on the grid (the HTML table algorithm, with clamps).
fn layout(rows: usize, raw: Vec<RawCell>) -> (Vec<Cell>, Vec<Vec<Option<usize>>>) {
    // pending[c]: the first row at which column c is no longer covered from above.
    let mut pending: Vec<usize> = Vec::new();
    let mut cells = Vec::with_capacity(raw.len());
    let mut width = 0usize;
    let mut work = 0usize;
    let mut current_row = NONE;
    let mut x = 0usize;
    for rc in raw {
        let y = rc.row;
        if y != current_row {
            current_row = y;
            x = 0;
        }
        while work < WORK_LIMIT && pending.get(x).is_some_and(|&until| until > y) {
            x += 1;
            work += 1;
        }
        let remaining = rows.saturating_sub(y).max(1);
        let row_span = match rc.row_span {
            0 => remaining,
            n => (n as usize).min(MAX_SPAN).min(remaining),
        };
        let row_span = if work >= WORK_LIMIT {
            1
        } else {
            row_span.max(1)
        };
        let col_span = (rc.col_span as usize).clamp(1, MAX_SPAN);
        if row_span > 1 {
            let upto = x.saturating_add(col_span).min(MAX_COLS);
            if pending.len() < upto {
                pending.resize(upto, 0);
            }
            for until in pending.iter_mut().take(upto).skip(x) {
                *until = (*until).max(y + row_span);
            }
            work += col_span;
        }
        cells.push(Cell {
            row: y,
            col: x,
            row_span,
            col_span,
            text: rc.text,
            span: rc.span,
        });
        x = x.saturating_add(col_span);
        width = width.max(x);
    }
    let grid_width = width.min(MAX_COLS);
    let grid_rows = rows.min(MAX_GRID / grid_width.max(1)).min(MAX_GRID_ROWS);
    let mut grid = vec![vec![None; grid_width]; grid_rows];
    let mut fill = 0usize;
    'cells: for (idx, cell) in cells.iter().enumerate() {
        let row_end = cell.row.saturating_add(cell.row_span).min(grid_rows);
        let col_end = cell.col.saturating_add(cell.col_span).min(grid_width);
        for line in grid.iter_mut().take(row_end).skip(cell.row) {
            for slot in line.iter_mut().take(col_end).skip(cell.col) {
                fill += 1;
                if fill > WORK_LIMIT {
                    break 'cells;
                }
                if slot.is_none() {
                    *slot = Some(idx);
                }
            }
        }
    }
    (cells, grid)
}

// ---------------------------------------------------------------------------
// Character references
// ---------------------------------------------------------------------------

/// Named references decoded without asking the tokenizer: (name, text, legacy),
/// legacy names being those also recognized without the `;`.
const ENTITIES: &[(&str, &str, bool)] = &[
    ("nbsp", "\u{a0}", true),
    ("amp", "&", true),
    ("lt", "<", true),
    ("gt", ">", true),
    ("quot", "\"", true),
    ("AMP", "&", true),
    ("LT", "<", true),
    ("GT", ">", true),
    ("QUOT", "\"", true),
    ("apos", "'", false),
    ("copy", "©", true),
    ("COPY", "©", true),
    ("reg", "®", true),
    ("REG", "®", true),
    ("deg", "°", true),
    ("middot", "·", true),
    ("times", "×", true),
    ("divide", "÷", true),
    ("plusmn", "±", true),
    ("yen", "¥", true),
    ("sect", "§", true),
    ("para", "¶", true),
    ("laquo", "«", true),
    ("raquo", "»", true),
    ("frac12", "½", true),
    ("frac14", "¼", true),
    ("frac34", "¾", true),
    ("sup1", "¹", true),
    ("sup2", "²", true),
    ("sup3", "³", true),
    ("micro", "µ", true),
    ("cent", "¢", true),
    ("pound", "£", true),
    ("curren", "¤", true),
    ("brvbar", "¦", true),
    ("uml", "¨", true),
    ("ordf", "ª", true),
    ("ordm", "º", true),
    ("not", "¬", true),
    ("shy", "\u{ad}", true),
    ("macr", "¯", true),
    ("acute", "´", true),
    ("cedil", "¸", true),
    ("iexcl", "¡", true),
    ("iquest", "¿", true),
    ("ensp", "\u{2002}", false),
    ("emsp", "\u{2003}", false),
    ("thinsp", "\u{2009}", false),
    ("zwnj", "\u{200c}", false),
    ("zwj", "\u{200d}", false),
    ("lrm", "\u{200e}", false),
    ("rlm", "\u{200f}", false),
    ("ndash", "–", false),
    ("mdash", "—", false),
    ("lsquo", "‘", false),
    ("rsquo", "’", false),
    ("sbquo", "‚", false),
    ("ldquo", "“", false),
    ("rdquo", "”", false),
    ("bdquo", "„", false),
    ("hellip", "…", false),
    ("bull", "•", false),
    ("permil", "‰", false),
    ("prime", "′", false),
    ("Prime", "″", false),
    ("euro", "€", false),
    ("trade", "™", false),
    ("larr", "←", false),
    ("uarr", "↑", false),
    ("rarr", "→", false),
    ("darr", "↓", false),
    ("harr", "↔", false),
    ("le", "≤", false),
    ("ge", "≥", false),
    ("ne", "≠", false),
    ("asymp", "≈", false),
    ("minus", "−", false),
    ("radic", "√", false),
    ("infin", "∞", false),
    ("sum", "∑", false),
    ("alpha", "α", false),
    ("beta", "β", false),
    ("gamma", "γ", false),
    ("delta", "δ", false),
    ("mu", "μ", false),
    ("pi", "π", false),
    ("sigma", "σ", false),
    ("omega", "ω", false),
];

/// Windows-1252 meanings of the C1 code points in numeric references.
const C1: [u32; 32] = [
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
];

/// The character reference starting at `text[amp]` (an `&`) and ending by
/// `limit`: its length in bytes and its text.
fn entity_at(text: &str, amp: usize, limit: usize) -> Option<(usize, String)> {
    let bytes = text.as_bytes().get(amp..limit)?;
    if bytes.first() != Some(&b'&') {
        return None;
    }
    if bytes.get(1) == Some(&b'#') {
        return numeric_reference(bytes);
    }
    let name_len = bytes[1..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if name_len == 0 || !bytes[1].is_ascii_alphabetic() {
        return None;
    }
    let name = text.get(amp + 1..amp + 1 + name_len)?;
    if bytes.get(1 + name_len) == Some(&b';') {
        if let Some(&(_, value, _)) = ENTITIES.iter().find(|(n, _, _)| *n == name) {
            return Some((name_len + 2, value.to_string()));
        }
        if name_len <= 32 {
            if let Some(value) = tokenizer_decode(&text[amp..amp + name_len + 2]) {
                return Some((name_len + 2, value));
            }
        }
    }
    // Legacy references recognized without `;` (the longest one that matches).
    ENTITIES
        .iter()
        .filter(|(n, _, legacy)| *legacy && name.starts_with(n))
        .max_by_key(|(n, _, _)| n.len())
        .map(|&(n, value, _)| (n.len() + 1, value.to_string()))
}

/// A numeric reference (`&#160;`, `&#xA0;`) at the start of `bytes`.
fn numeric_reference(bytes: &[u8]) -> Option<(usize, String)> {
    let hex = matches!(bytes.get(2), Some(b'x' | b'X'));
    let digits_start = if hex { 3 } else { 2 };
    let digits = bytes
        .get(digits_start..)?
        .iter()
        .take_while(|b| {
            if hex {
                b.is_ascii_hexdigit()
            } else {
                b.is_ascii_digit()
            }
        })
        .count();
    if digits == 0 {
        return None;
    }
    let value = bytes[digits_start..digits_start + digits]
        .iter()
        .fold(0u32, |v, &b| {
            let d = (b as char).to_digit(16).unwrap_or(0);
            v.saturating_mul(if hex { 16 } else { 10 })
                .saturating_add(d)
                .min(0x11_0000)
        });
    let mut len = digits_start + digits;
    if bytes.get(len) == Some(&b';') {
        len += 1;
    }
    let code = match value {
        0 => 0xFFFD,
        0x80..=0x9F => C1[(value - 0x80) as usize],
        v => v,
    };
    let c = char::from_u32(code).unwrap_or('\u{FFFD}');
    Some((len, c.to_string()))
}

/// Asks html5gum to decode one named reference `&name;`; `None` when it is not
/// one (the tokenizer gives it back unchanged or only partly decoded).
fn tokenizer_decode(reference: &str) -> Option<String> {
    let mut out = Vec::new();
    for item in Tokenizer::new(reference) {
        match item {
            Ok(Token::String(s)) => out.extend_from_slice(&s.value),
            Ok(_) => {}
            Err(never) => match never {},
        }
    }
    let decoded = String::from_utf8(out).ok()?;
    let chars = decoded.chars().count();
    let whole = decoded != reference && (1..=2).contains(&chars) && !decoded.contains('&');
    whole.then_some(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fixture(name: &str) -> String {
        let path = format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).expect("fixture is readable")
    }

    /// Containers cover exactly their children, which are contiguous.
    fn check_node(node: &Node) {
        if node.children.is_empty() {
            return;
        }
        assert!(!node.kind.is_leaf(), "leaf kind with children: {node:?}");
        let first = node.children.first().map_or(0, |c| c.span.start);
        let last = node.children.last().map_or(0, |c| c.span.end);
        assert_eq!(
            (node.span.start, node.span.end),
            (first, last),
            "{:?} does not cover its children",
            node.kind
        );
        let mut pos = first;
        for child in &node.children {
            assert_eq!(
                child.span.start, pos,
                "gap or overlap under {:?}",
                node.kind
            );
            pos = child.span.end;
            check_node(child);
        }
    }

    /// The leaves of `nodes` tile `range` exactly.
    fn assert_tiles(nodes: &[Node], range: Range<usize>) {
        let mut pos = range.start;
        for node in nodes {
            check_node(node);
            for leaf in node.leaves() {
                assert_eq!(leaf.span.start, pos, "gap or overlap at {pos}: {leaf:?}");
                assert!(leaf.span.end >= leaf.span.start);
                pos = leaf.span.end;
            }
        }
        assert_eq!(pos, range.end, "leaves stop before the end");
    }

    /// The ranges of the `<table>…</table>` blocks of a Markdown file.
    fn md_tables(md: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut pos = 0;
        while let Some(off) = md[pos..].find("<table") {
            let start = pos + off;
            let end = md[start..]
                .find("</table>")
                .map_or(md.len(), |e| start + e + "</table>".len());
            out.push(start..end);
            pos = end;
        }
        out
    }

    fn table(html: &str) -> (Node, Table) {
        let (node, table) = parse_html_table(html, 0..html.len());
        assert_tiles(std::slice::from_ref(&node), 0..html.len());
        assert_eq!(node.kind, NodeKind::HtmlTable);
        (node, table)
    }

    fn grid_texts(t: &Table) -> Vec<Vec<String>> {
        t.grid
            .iter()
            .map(|row| {
                row.iter()
                    .map(|c| {
                        c.and_then(|i| t.cells.get(i))
                            .map_or("∅".to_string(), |c| c.text.clone())
                    })
                    .collect()
            })
            .collect()
    }

    fn text_at(t: &Table, row: usize, col: usize) -> &str {
        t.cell_at(row, col).map_or("∅", |c| c.text.as_str())
    }

    fn paras(blocks: &[Block]) -> Vec<&Para> {
        blocks
            .iter()
            .filter_map(|b| match b {
                Block::Para(p) => Some(&**p),
                Block::Table(_) => None,
            })
            .collect()
    }

    fn tables(blocks: &[Block]) -> Vec<&Table> {
        blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(&**t),
                Block::Para(_) => None,
            })
            .collect()
    }

    #[test]
    fn html_fixture_tables_tile_and_have_rows_and_cells() {
        for name in [
            "huaian-2024.md",
            "pingtan-caizhengjinrongju-2020.md",
            "pingtan-2023.md",
            "pingtan-2018.md",
            "pingtan-2024.md",
            "pingtan-2025.md",
            "pingtan-caizhengjinrongju-2025.md",
            "zhongwei-2017.md",
        ] {
            let md = fixture(name);
            for range in md_tables(&md) {
                let (node, t) = parse_html_table(&md, range.clone());
                assert_tiles(std::slice::from_ref(&node), range.clone());
                let html = &md[range.clone()];
                let tds = html.matches("<td").count() + html.matches("<th").count();
                let trs = html.matches("<tr").count();
                assert_eq!(t.cells.len(), tds, "{name}: cells");
                assert_eq!(t.row_count(), trs, "{name}: rows");
                let rows = node
                    .children
                    .iter()
                    .filter(|c| c.kind == NodeKind::Row)
                    .count();
                assert_eq!(rows, trs, "{name}: Row nodes");
                let width = t.grid.first().map_or(0, Vec::len);
                assert!(
                    t.grid.iter().all(|r| r.len() == width),
                    "{name}: padded rows"
                );
                assert_eq!(t.parts, vec![Span::new(range.start, range.end)]);
                for c in &t.cells {
                    assert!(c.span.start >= range.start && c.span.end <= range.end);
                    assert!(!c.text.contains('<'), "{name}: tag left in {:?}", c.text);
                }
            }
        }
    }

    #[test]
    fn html_huaian_table_three_rowspan_colspan_grid() {
        let md = fixture("huaian-2024.md");
        let ranges = md_tables(&md);
        let (_, t) = parse_html_table(&md, ranges[2].clone());
        assert!(t.grid.iter().all(|r| r.len() == 10));
        assert_eq!(t.row_count(), 16);
        let corner = t.cell_at(0, 0).expect("corner cell");
        assert_eq!(
            (corner.row, corner.col, corner.row_span, corner.col_span),
            (0, 0, 3, 3)
        );
        assert!(corner.text.starts_with("（本列数据的勾稽关系为"));
        for r in 0..3 {
            for c in 0..3 {
                assert_eq!(t.grid[r][c], Some(0));
            }
        }
        assert_eq!(text_at(&t, 0, 3), "申请人情况");
        assert_eq!(text_at(&t, 0, 9), "申请人情况");
        assert_eq!(text_at(&t, 1, 3), "自然人");
        assert_eq!(text_at(&t, 2, 3), "自然人");
        assert_eq!(text_at(&t, 1, 4), "法人或其他组织");
        assert_eq!(text_at(&t, 1, 8), "法人或其他组织");
        assert_eq!(text_at(&t, 2, 9), "总计");
        let heads: Vec<&str> = (4..=8).map(|c| text_at(&t, 2, c)).collect();
        assert_eq!(
            heads,
            [
                "商业企业",
                "科研机构",
                "社会公益组织",
                "法律服务机构",
                "其他"
            ]
        );
        for c in 0..3 {
            assert_eq!(text_at(&t, 3, c), "一、本年新收政府信息公开申请数量");
        }
        let values: Vec<&str> = (3..=9).map(|c| text_at(&t, 3, c)).collect();
        assert_eq!(values, ["3001", "53", "0", "0", "61", "4", "3119"]);
        // 三、本年度办理结果 spans rows 5..=15 of column 0; （三）不予公开 rows 7..=14 of column 1.
        for r in 5..=15 {
            assert_eq!(text_at(&t, r, 0), "三、本年度办理结果");
        }
        for r in 7..=14 {
            assert_eq!(text_at(&t, r, 1), "（三）不予公开");
        }
        let row8: Vec<&str> = (2..=9).map(|c| text_at(&t, 8, c)).collect();
        assert_eq!(
            row8,
            [
                "2.其他法律行政法规禁止公开",
                "30",
                "1",
                "0",
                "0",
                "0",
                "0",
                "31"
            ]
        );
        assert_eq!(text_at(&t, 15, 1), "（四）无");
        assert_eq!(text_at(&t, 15, 9), "769");
        // The cell's span is its content.
        let cell = t.cell_at(3, 9).expect("cell");
        assert_eq!(&md[cell.span.start..cell.span.end], "3119");
    }

    #[test]
    fn html_caizheng_2020_table_two_irregular_merges() {
        let md = fixture("pingtan-caizhengjinrongju-2020.md");
        let ranges = md_tables(&md);
        let (_, t) = parse_html_table(&md, ranges[0].clone());
        let g = grid_texts(&t);
        assert_eq!(g.len(), 18);
        assert!(g.iter().all(|r| r.len() == 5));
        assert_eq!(g[0], vec!["第二十条第（一）项"; 5]);
        assert_eq!(
            g[1],
            [
                "信息内容",
                "本年新制作数量",
                "本年新公开数量",
                "本年新公开数量",
                "对外公开总数量"
            ]
        );
        assert_eq!(g[3], ["规范性文件", "6", "4", "4", "11"]);
        // As published: the 第（五）项 header puts 本年增/减 over columns 2–3, the row under it
        // puts its colspan on the first value.
        assert_eq!(
            g[5],
            [
                "信息内容",
                "上一年项目数量",
                "本年增/减",
                "本年增/减",
                "处理决定数量"
            ]
        );
        assert_eq!(g[6], ["行政许可", "0", "0", "1", "0"]);
        assert_eq!(
            g[13],
            [
                "信息内容",
                "上一年项目数量",
                "上一年项目数量",
                "本年增/减",
                "本年增/减"
            ]
        );
        assert_eq!(
            g[16],
            [
                "信息内容",
                "采购项目数量",
                "采购项目数量",
                "采购总金额",
                "采购总金额"
            ]
        );
        assert_eq!(
            g[17],
            ["政府集中采购", "2笔", "2笔", "984361元", "984361元"]
        );

        let (_, t3) = parse_html_table(&md, ranges[1].clone());
        assert_eq!(t3.row_count(), 26);
        assert!(t3.grid.iter().all(|r| r.len() == 10));
        for r in 5..=24 {
            assert_eq!(text_at(&t3, r, 0), "三、本年度办理结果", "row {r}");
        }
        assert_eq!(text_at(&t3, 15, 1), "（四）无法提供");
        assert_eq!(text_at(&t3, 17, 2), "3.补正后申请内容仍不明确");
        assert_eq!(text_at(&t3, 23, 1), "（六）其他处理");
        assert_eq!(text_at(&t3, 23, 2), "（六）其他处理");
        assert_eq!(text_at(&t3, 25, 0), "四、结转下年度继续办理");
    }

    #[test]
    fn html_br_and_blocks_in_cells_become_newlines() {
        let (_, t) = table("<table><tr><td>商业<br>企业</td><td> a <BR/> b </td><td><p>结果</p><p>纠正</p></td><td>x<br><br>y</td></tr></table>");
        let texts: Vec<&str> = t.cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["商业\n企业", "a\nb", "结果\n纠正", "x\n\ny"]);
    }

    #[test]
    fn html_entities_in_cells_are_decoded_and_leaves() {
        let html = "<table><tr><td>&nbsp;a&amp;b&nbsp;</td><td>&#x41;&#66;&lt;&copy2024&semi;&c</td><td>邮&nbsp;&nbsp;编</td></tr></table>";
        let (node, t) = table(html);
        let texts: Vec<&str> = t.cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["a&b", "AB<©2024;&c", "邮\u{a0}\u{a0}编"]);
        let entities: Vec<&str> = node
            .leaves()
            .filter(|l| l.kind == NodeKind::Entity)
            .map(|l| &html[l.span.start..l.span.end])
            .collect();
        assert_eq!(
            entities,
            [
                "&nbsp;", "&amp;", "&nbsp;", "&#x41;", "&#66;", "&lt;", "&copy", "&semi;",
                "&nbsp;", "&nbsp;"
            ]
        );
        let tags = node.leaves().filter(|l| l.kind == NodeKind::Tag).count();
        assert_eq!(tags, 10);
    }

    #[test]
    fn html_tree_shape_rows_cells_and_loose_leaves() {
        let html = "<table>\n<tr><td colspan=\"3\">第二十条</td></tr>\n</table>\n";
        let (node, t) = table(html);
        let kinds: Vec<NodeKind> = node.children.iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds,
            [
                NodeKind::Tag,
                NodeKind::Newline,
                NodeKind::Row,
                NodeKind::Newline,
                NodeKind::Tag,
                NodeKind::Newline
            ]
        );
        let row = &node.children[2];
        let row_kinds: Vec<NodeKind> = row.children.iter().map(|c| c.kind).collect();
        assert_eq!(row_kinds, [NodeKind::Tag, NodeKind::Cell, NodeKind::Tag]);
        let cell = &row.children[1];
        assert_eq!(
            &html[cell.children[0].span.start..cell.children[0].span.end],
            "<td colspan=\"3\">"
        );
        assert_eq!(t.cells[0].col_span, 3);
        assert_eq!(t.grid, vec![vec![Some(0); 3]]);
        assert_eq!(
            &html[t.cells[0].span.start..t.cells[0].span.end],
            "第二十条"
        );
    }

    #[test]
    fn html_unquoted_upper_case_and_implied_ends() {
        let (_, t) = table("<TABLE BORDER=1><TR><TD COLSPAN=2>x</TD></TR><TR><TD ROWSPAN='2'>y<TD>z<TR><TD>w</TABLE>");
        assert_eq!(
            grid_texts(&t),
            [vec!["x", "x"], vec!["y", "z"], vec!["y", "w"]]
        );
    }

    #[test]
    fn html_unclosed_and_truncated_tables() {
        let (_, t) = table("<table><tr><td>a<td>b<tr><td>c");
        assert_eq!(grid_texts(&t), [vec!["a", "b"], vec!["c", "∅"]]);
        for html in [
            "<table><tr><td colspan=\"",
            "<table><tr><td colspan=\"3\">x",
            "<table><tr><td>x</td><",
            "<table",
            "<table><tr><td>a</td></tr></table>trailing <b>text",
            "</td></tr><td>",
            "<table><tbody><tr><th>h</th></tr></tbody><caption>c</caption></table>",
            "<table><tr><td><script>if (a<b) document.write('<td>')</script>v</td></tr></table>",
        ] {
            let (_, t) = table(html);
            for c in &t.cells {
                assert!(!c.text.contains("script"), "{html}: {:?}", c.text);
            }
        }
        let (node, t) = table("<table><tr><td colspan=\"");
        assert!(t.cells.is_empty() || t.cells.iter().all(|c| c.text.is_empty()));
        assert!(node.leaves().any(|l| l.kind == NodeKind::Raw));
    }

    #[test]
    fn html_nested_table_is_cell_content() {
        let (_, t) = table("<table><tr><td>a<table><tr><td>b</td><td>c</td></tr></table></td><td>d</td></tr></table>");
        assert_eq!(grid_texts(&t), [vec!["a\nb\nc", "d"]]);
    }

    #[test]
    fn html_ten_thousand_columns() {
        let mut html = String::from("<table><tr>");
        for i in 0..10_000 {
            html.push_str(&format!("<td>{i}</td>"));
        }
        html.push_str("</tr><tr><td colspan=\"10000\">all</td></tr></table>");
        let (_, t) = table(&html);
        assert_eq!(t.cells.len(), 10_001);
        assert_eq!(t.grid.len(), 2);
        assert_eq!(t.grid[0].len(), 10_000);
        assert_eq!(text_at(&t, 0, 9_999), "9999");
        // colspan is clamped to 1000.
        assert_eq!(t.cells[10_000].col_span, 1000);
        assert_eq!(text_at(&t, 1, 999), "all");
        assert_eq!(t.grid[1][1000], None);
    }

    #[test]
    fn html_absurd_rowspan_is_clamped_to_remaining_rows() {
        let (_, t) = table(
            "<table><tr><td rowspan=\"999999\">a</td><td>b</td></tr><tr><td>c</td></tr></table>",
        );
        assert_eq!(t.cells[0].row_span, 2);
        assert_eq!(t.grid, vec![vec![Some(0), Some(1)], vec![Some(0), Some(2)]]);
        let (_, t) = table("<table><tr><td rowspan=0>a</td><td>b</td></tr><tr><td>c</td></tr><tr><td>d</td></tr></table>");
        assert_eq!(t.cells[0].row_span, 3);
        assert_eq!(
            grid_texts(&t),
            [vec!["a", "b"], vec!["a", "c"], vec!["a", "d"]]
        );
        // Many huge spans stay small.
        let mut html = String::from("<table>");
        for _ in 0..2000 {
            html.push_str("<tr><td rowspan=\"999999\" colspan=\"999999\">x</td></tr>");
        }
        html.push_str("</table>");
        let (_, t) = table(&html);
        let positions: usize = t.grid.iter().map(Vec::len).sum();
        assert!(positions <= MAX_GRID);
    }

    #[test]
    fn html_table_in_a_larger_text() {
        let text = "前言\n<table><tr><td>一</td></tr></table>\n后记";
        let start = text.find("<table").expect("table");
        let end = text.find("</table>").expect("end") + "</table>".len();
        let (node, t) = parse_html_table(text, start..end);
        assert_tiles(std::slice::from_ref(&node), start..end);
        assert_eq!(t.cells[0].text, "一");
        assert_eq!(&text[t.cells[0].span.start..t.cells[0].span.end], "一");
        let (node, _) = parse_html_table(text, 3..3);
        assert_eq!(node.span, Span::new(3, 3));
    }

    #[test]
    fn html_page_tiles_and_has_chrome() {
        let page = fixture("pingtan-2023.page.html");
        let (nodes, blocks) = parse_html_page(&page);
        assert_tiles(&nodes, 0..page.len());
        assert_eq!(nodes.first().map(|n| n.kind), Some(NodeKind::PageChrome));
        assert_eq!(nodes.last().map(|n| n.kind), Some(NodeKind::PageChrome));
        let chrome: usize = nodes
            .iter()
            .filter(|n| n.kind == NodeKind::PageChrome)
            .map(|n| n.span.len())
            .sum();
        // Head, header, navigation, breadcrumb, side lists and footer: about 40 KB of the page.
        assert!(chrome > 35_000, "chrome {chrome}");
        let paragraphs = nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Paragraph)
            .count();
        let tables = nodes
            .iter()
            .filter(|n| n.kind == NodeKind::HtmlTable)
            .count();
        assert_eq!(paragraphs, paras(&blocks).len());
        assert_eq!(tables, 3);
        for node in &nodes {
            if node.kind == NodeKind::PageChrome {
                assert!(node
                    .children
                    .iter()
                    .all(|c| matches!(c.kind, NodeKind::Raw | NodeKind::Tag)));
            }
        }
        // Nothing of the navigation, scripts or footer is report text.
        for p in paras(&blocks) {
            for chrome_text in [
                "首页",
                "无障碍",
                "闽政通",
                "扫一扫",
                "微信",
                "版权",
                "function",
                "政府信息公开年报",
            ] {
                assert!(!p.text.contains(chrome_text), "chrome in {:?}", p.text);
            }
        }
    }

    #[test]
    fn html_page_paragraphs_pieces_and_bold() {
        let page = fixture("pingtan-2023.page.html");
        let (_, blocks) = parse_html_page(&page);
        let ps = paras(&blocks);
        assert_eq!(ps[0].text, "平潭综合实验区2023年度政府信息公开工作年度报告");
        assert_eq!(ps[0].kind, ParaKind::Text);
        for p in &ps {
            // Pieces cover the text exactly and verbatim pieces are the source.
            let mut pos = 0;
            for piece in &p.pieces {
                assert_eq!(piece.text.start, pos);
                pos = piece.text.end;
                if piece.verbatim {
                    assert_eq!(
                        &page[piece.span.start..piece.span.end],
                        &p.text[piece.text.clone()]
                    );
                }
            }
            assert_eq!(pos, p.text.len());
            assert_eq!(p.span.start, p.pieces[0].span.start);
            assert_eq!(p.text, p.text.trim());
        }
        let heading = ps
            .iter()
            .find(|p| p.text == "一、总体情况")
            .expect("heading paragraph");
        assert_eq!(heading.bold, vec![0..heading.text.len()]);
        assert_eq!(&page[heading.span.start..heading.span.end], "一、总体情况");
        let body = ps
            .iter()
            .find(|p| p.text.starts_with("本报告根据"))
            .expect("first body paragraph");
        assert!(body.bold.is_empty());
    }

    /// The page gives the same paragraphs and tables as the Markdown conversion of the same report.
    #[test]
    fn html_page_matches_markdown_of_same_report() {
        let md = fixture("pingtan-2023.md");
        let page = fixture("pingtan-2023.page.html");
        let (_, blocks) = parse_html_page(&page);

        // Markdown side: paragraphs (lines) and tables in order.
        let mut md_seq: Vec<(bool, String)> = Vec::new();
        let mut md_grids = Vec::new();
        let table_ranges = md_tables(&md);
        let mut pos = 0;
        for range in &table_ranges {
            for line in md[pos..range.start].lines() {
                let line = line.trim();
                if line.is_empty() || line.starts_with("<!--") {
                    continue;
                }
                md_seq.push((false, line.trim_start_matches('#').trim().replace("**", "")));
            }
            md_seq.push((true, String::new()));
            md_grids.push(grid_texts(&parse_html_table(&md, range.clone()).1));
            pos = range.end;
        }
        for line in md[pos..].lines() {
            let line = line.trim();
            if !line.is_empty() && !line.starts_with("<!--") {
                md_seq.push((false, line.trim_start_matches('#').trim().replace("**", "")));
            }
        }

        let page_seq: Vec<(bool, String)> = blocks
            .iter()
            .map(|b| match b {
                Block::Para(p) => (false, p.text.clone()),
                Block::Table(_) => (true, String::new()),
            })
            .collect();
        assert_eq!(page_seq, md_seq);
        let page_grids: Vec<_> = tables(&blocks).into_iter().map(grid_texts).collect();
        assert_eq!(page_grids.len(), md_grids.len());
        for (i, (p, m)) in page_grids.iter().zip(&md_grids).enumerate() {
            assert_eq!(p, m, "table {i}");
        }
    }

    #[test]
    fn html_page_selection_fallbacks() {
        // No known container: the element with the most Chinese text in its paragraphs.
        let page = "<html><head><title>某县2023年政府信息公开工作年度报告_某县人民政府</title></head><body>\
            <div class=\"top\"><a href=\"/\">首页</a><a>政务公开</a></div>\
            <h1>某县2023年政府信息公开工作年度报告</h1>\
            <div class=\"wrap\"><div class=\"a\"><p>一、总体情况</p><p>本县认真贯彻落实政府信息公开条例，主动公开政府信息。</p>\
            <table><tr><td>信息内容</td><td>数量</td></tr></table></div></div>\
            <div class=\"foot\">版权所有：某县人民政府</div></body></html>";
        let (nodes, blocks) = parse_html_page(page);
        assert_tiles(&nodes, 0..page.len());
        let ps: Vec<&str> = paras(&blocks).iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            ps,
            [
                "某县2023年政府信息公开工作年度报告",
                "一、总体情况",
                "本县认真贯彻落实政府信息公开条例，主动公开政府信息。"
            ]
        );
        assert_eq!(paras(&blocks)[0].kind, ParaKind::Heading(1));
        assert_eq!(tables(&blocks).len(), 1);

        // <br> splits paragraphs; hidden and script content is chrome; source line breaks
        // between Chinese characters vanish, other white space collapses.
        let page = "<div id=\"zoom\">第一段文字，\n    接着写。<br>第二段 has  many   spaces<span style=\"display: none\">隐藏</span>\
            <script>var x = '<p>脚本</p>';</script><br/><b>加粗</b>与常规</div>";
        let (nodes, blocks) = parse_html_page(page);
        assert_tiles(&nodes, 0..page.len());
        let ps = paras(&blocks);
        let texts: Vec<&str> = ps.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "第一段文字，接着写。",
                "第二段 has many spaces",
                "加粗与常规"
            ]
        );
        assert_eq!(ps[2].bold, vec![0.."加粗".len()]);

        // No tags at all, or no Chinese: still tiles.
        for page in [
            "plain text only",
            "",
            "<p>English only</p><p>second</p>",
            "<<<>>>&&&;;",
        ] {
            let (nodes, _) = parse_html_page(page);
            assert_tiles(&nodes, 0..page.len());
        }
    }

    #[test]
    fn html_entity_decoding() {
        let cases = [
            ("&nbsp;", Some((6, "\u{a0}"))),
            ("&nbsp", Some((5, "\u{a0}"))),
            ("&amp;x", Some((5, "&"))),
            ("&#160;", Some((6, "\u{a0}"))),
            ("&#xa0", Some((5, "\u{a0}"))),
            ("&#150;", Some((6, "–"))),
            ("&#0;", Some((4, "\u{fffd}"))),
            ("&#99999999999;", Some((14, "\u{fffd}"))),
            ("&hearts;", Some((8, "♥"))),
            ("&notit;", Some((4, "¬"))),
            ("&zzz;", None),
            ("& ", None),
            ("&#;", None),
        ];
        for (src, want) in cases {
            let got = entity_at(src, 0, src.len());
            assert_eq!(got.as_ref().map(|(l, s)| (*l, s.as_str())), want, "{src}");
        }
    }

    const FRAGMENTS: &[&str] = &[
        "<table>",
        "</table>",
        "<tr>",
        "</tr>",
        "<td>",
        "</td>",
        "<th rowspan=\"2\">",
        "<td colspan=3>",
        "<TD ROWSPAN='999999'>",
        "<br>",
        "<br/>",
        "<p>",
        "</p>",
        "<div class=\"TRS_Editor\">",
        "</div>",
        "<script>",
        "</script>",
        "<style>",
        "<!--",
        "-->",
        "<!DOCTYPE html>",
        "&nbsp;",
        "&amp",
        "&#x",
        "&#12345;",
        "<",
        ">",
        "\"",
        "'",
        "=",
        " ",
        "\n",
        "\r\n",
        "中文",
        "一、总体情况",
        "123",
        "<h1>",
        "</h1>",
        "<strong>",
        "</strong>",
        "<td colspan=\"",
        "<title>",
        "</title>",
        "<meta name=\"ArticleTitle\" content=\"一、总体情况\">",
        "<span style=\"display:none\">",
        "</span>",
        "<tbody>",
        "<caption>",
        "<li>",
        "<textarea>",
        "<plaintext>",
        "\u{3000}",
        "\u{a0}",
        "é",
    ];

    fn html_soup() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(FRAGMENTS), 0..80).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn html_prop_arbitrary_strings_tile(s in ".{0,200}") {
            let (node, _) = parse_html_table(&s, 0..s.len());
            assert_tiles(std::slice::from_ref(&node), 0..s.len());
            let (nodes, _) = parse_html_page(&s);
            assert_tiles(&nodes, 0..s.len());
        }

        #[test]
        fn html_prop_tag_soup_tiles(prefix in html_soup(), body in html_soup(), suffix in html_soup()) {
            let s = format!("{prefix}{body}{suffix}");
            let range = prefix.len()..prefix.len() + body.len();
            let (node, t) = parse_html_table(&s, range.clone());
            assert_tiles(std::slice::from_ref(&node), range);
            let width = t.grid.first().map_or(0, Vec::len);
            prop_assert!(t.grid.iter().all(|r| r.len() == width));
            for row in &t.grid {
                for idx in row.iter().flatten() {
                    prop_assert!(*idx < t.cells.len());
                }
            }
            let (nodes, blocks) = parse_html_page(&s);
            assert_tiles(&nodes, 0..s.len());
            for b in &blocks {
                if let Block::Para(p) = b {
                    prop_assert!(!p.text.is_empty());
                    let mut pos = 0;
                    for piece in &p.pieces {
                        prop_assert_eq!(piece.text.start, pos);
                        pos = piece.text.end;
                    }
                    prop_assert_eq!(pos, p.text.len());
                }
            }
        }
    }

    proptest! {
        // Each case parses the 118 KB page twice: fewer cases.
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn html_prop_mutated_page_tiles(a in 0usize..120_000, b in 0usize..120_000, junk in html_soup()) {
            let page = fixture("pingtan-2023.page.html");
            let floor = |mut i: usize| {
                i = i.min(page.len());
                while !page.is_char_boundary(i) {
                    i -= 1;
                }
                i
            };
            let (a, b) = (floor(a.min(b)), floor(a.max(b)));
            // Cut a stretch out and put tag soup in its place; also the page cut short at `a`.
            let mutated = format!("{}{}{}", &page[..a], junk, &page[b..]);
            let (nodes, _) = parse_html_page(&mutated);
            assert_tiles(&nodes, 0..mutated.len());
            let (nodes, _) = parse_html_page(&page[..a]);
            assert_tiles(&nodes, 0..a);
        }
    }
}
