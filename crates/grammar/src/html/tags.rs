//! Tags: the tag names the reader treats specially, and the classes of tags
//! the HTML parsing algorithm and the page reader go by (void elements, blocks,
//! the tags that close a `<p>`, chrome, table structure, scope boundaries).

/// The tag names this module treats specially. Fieldless, so that a tag is one
/// byte in the token stream (see [`Tag::code`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub(super) enum Tag {
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
    H1,
    H2,
    H3,
    H4,
    H5,
    H6,
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

/// Every tag, in the order of its code.
const ALL: [Tag; 89] = [
    Tag::Other,
    Tag::A,
    Tag::Address,
    Tag::Applet,
    Tag::Area,
    Tag::Article,
    Tag::Aside,
    Tag::Audio,
    Tag::B,
    Tag::Base,
    Tag::Blockquote,
    Tag::Body,
    Tag::Br,
    Tag::Button,
    Tag::Canvas,
    Tag::Caption,
    Tag::Center,
    Tag::Col,
    Tag::Colgroup,
    Tag::Dd,
    Tag::Details,
    Tag::Dialog,
    Tag::Dir,
    Tag::Div,
    Tag::Dl,
    Tag::Dt,
    Tag::Embed,
    Tag::Fieldset,
    Tag::Figcaption,
    Tag::Figure,
    Tag::Footer,
    Tag::Form,
    Tag::Frame,
    Tag::Frameset,
    Tag::H1,
    Tag::H2,
    Tag::H3,
    Tag::H4,
    Tag::H5,
    Tag::H6,
    Tag::Head,
    Tag::Header,
    Tag::Hgroup,
    Tag::Hr,
    Tag::Html,
    Tag::Iframe,
    Tag::Img,
    Tag::Input,
    Tag::Keygen,
    Tag::Li,
    Tag::Link,
    Tag::Main,
    Tag::Marquee,
    Tag::Menu,
    Tag::Meta,
    Tag::Nav,
    Tag::Noembed,
    Tag::Noframes,
    Tag::Noscript,
    Tag::Object,
    Tag::Ol,
    Tag::Option,
    Tag::P,
    Tag::Param,
    Tag::Plaintext,
    Tag::Pre,
    Tag::Script,
    Tag::Section,
    Tag::Select,
    Tag::Source,
    Tag::Strong,
    Tag::Style,
    Tag::Summary,
    Tag::Svg,
    Tag::Table,
    Tag::Tbody,
    Tag::Td,
    Tag::Template,
    Tag::Textarea,
    Tag::Tfoot,
    Tag::Th,
    Tag::Thead,
    Tag::Title,
    Tag::Tr,
    Tag::Track,
    Tag::Ul,
    Tag::Video,
    Tag::Wbr,
    Tag::Xmp,
];

impl Tag {
    /// The tag as one byte.
    pub(super) fn code(self) -> u8 {
        self as u8
    }

    /// The tag of a [`Tag::code`] (`Other` for a byte that is none).
    pub(super) fn from_code(code: u8) -> Tag {
        ALL.get(usize::from(code)).copied().unwrap_or(Tag::Other)
    }

    /// The level of a heading tag (`<h1>` … `<h6>`).
    pub(super) fn heading_level(self) -> Option<u8> {
        match self {
            Tag::H1 => Some(1),
            Tag::H2 => Some(2),
            Tag::H3 => Some(3),
            Tag::H4 => Some(4),
            Tag::H5 => Some(5),
            Tag::H6 => Some(6),
            _ => None,
        }
    }
}

/// The tag of a (lower-case) tag name.
pub(super) fn tag_of(name: &[u8]) -> Tag {
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
        b"h1" => Tag::H1,
        b"h2" => Tag::H2,
        b"h3" => Tag::H3,
        b"h4" => Tag::H4,
        b"h5" => Tag::H5,
        b"h6" => Tag::H6,
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
pub(super) fn is_void(tag: Tag) -> bool {
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
pub(super) fn is_block(tag: Tag) -> bool {
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
            | Tag::H1
            | Tag::H2
            | Tag::H3
            | Tag::H4
            | Tag::H5
            | Tag::H6
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
pub(super) fn closes_p(tag: Tag) -> bool {
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
            | Tag::H1
            | Tag::H2
            | Tag::H3
            | Tag::H4
            | Tag::H5
            | Tag::H6
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
pub(super) fn is_chrome_tag(tag: Tag) -> bool {
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
pub(super) fn is_table_structure(tag: Tag) -> bool {
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
pub(super) fn is_scope_boundary(tag: Tag) -> bool {
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
pub(super) fn is_text_child(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::P
            | Tag::Table
            | Tag::H1
            | Tag::H2
            | Tag::H3
            | Tag::H4
            | Tag::H5
            | Tag::H6
            | Tag::Blockquote
            | Tag::Pre
    )
}
