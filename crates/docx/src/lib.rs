//! Word drafts (`.docx`, also as WPS saves them) read into the text nianbao checks.
//!
//! [`read`] opens the ZIP package (`zip`), reads `word/numbering.xml` and
//! `word/styles.xml` for the automatic numbers, and `word/document.xml` as a
//! stream of XML events (`quick-xml`) into an extracted text: each paragraph one
//! line with a blank line after it, each table an HTML `<table>` whose
//! `rowspan`/`colspan` are the document's `w:vMerge`/`w:gridSpan`; a table split
//! in two at a page break (its header rows repeated on the second part) is one
//! table, as it was before the split. The grammar
//! reads that text as it reads a converted report, so every rule works unchanged.
//!
//! Beside the text, a [`Document`] keeps two maps from byte offsets of the text:
//! to the [`Place`] there (paragraph, table cell or table), for the locations of
//! findings; and to the [`SourcePos`] there (part, `w:r` and `w:t` element,
//! character), so that a comment can be anchored on a finding's text in the
//! document itself.
//!
//! ```
//! let err = nianbao_docx::read(b"PK\x03\x04 not really a zip").unwrap_err();
//! assert!(matches!(err, nianbao_docx::ReadError::Unreadable(_)));
//! ```
//!
//! Reading never panics and takes time linear in the parts' sizes; each part is
//! unpacked up to [`MAX_PART`] bytes only.

#![warn(missing_docs)]

mod annotate;
mod body;
mod numbering;
mod package;
mod write;
mod xml;

use std::ops::Range;
use std::sync::Arc;

use nianbao_grammar::codes;
use nianbao_grammar::{Diagnostic, Message, Severity, Span};

pub use annotate::{annotate, Anchor, AnnotateError, Annotated, Comment, AUTHOR, INITIALS};
pub use body::TextSource;
pub use package::{DOCUMENT, MAX_PART, NUMBERING, STYLES};

use package::{Package, PartError};

/// A place in the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// A paragraph of the body (a text box's too), counting the paragraphs that
    /// have text, from 1, in the order of the extracted text.
    Paragraph(u32),
    /// A cell of a table: the table (from 1, in document order, nested tables
    /// counted where they start, the parts of a table split at a page break
    /// counted once), the row (from 1, the rows of the parts one after the
    /// other, a repeated header once) and the column of the logical
    /// grid (from 1, a merged cell at its first column and row).
    Cell {
        /// The table.
        table: u32,
        /// The row.
        row: u32,
        /// The grid column.
        column: u32,
    },
    /// A table's own markup (between its cells).
    Table(u32),
}

/// A stretch of the extracted text in one place: from `start` to the next
/// region's start (the regions tile the text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
    /// First byte.
    pub start: usize,
    /// The place.
    pub place: Place,
    /// The text of the paragraph or cell (without its tags).
    pub quote: Range<usize>,
}

/// A stretch of the extracted text that came from one `w:t` element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SourceRun {
    /// First byte in the extracted text.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Where its first character came from.
    pub source: TextSource,
    /// Whether it is the source's characters as written (then the n-th
    /// character here is the source's `char + n`-th); `false` for an escape
    /// (`&lt;` for one `<`).
    pub literal: bool,
}

/// A character of the document's XML: the part, the `w:r` and `w:t` elements
/// (their index among all such elements of the part, in document order) and the
/// character in the `w:t`'s text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SourcePos {
    /// The part's name in the package (`word/document.xml`).
    pub part: &'static str,
    /// Index of the `w:r` element in the part.
    pub run: u32,
    /// Index of the `w:t` element in the part.
    pub text: u32,
    /// Character offset in that `w:t`'s text.
    pub char: u32,
}

/// A finding's place told to a reader: where, and the text there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    /// The paragraph, cell or table.
    pub place: Place,
    /// The text quoted: the finding's own text when it has one, else the
    /// beginning of the paragraph or cell.
    pub text: String,
}

/// A Word document read: the extracted text and its maps.
#[derive(Clone, Debug, Default)]
pub struct Document {
    text: Arc<String>,
    regions: Vec<Region>,
    sources: Vec<SourceRun>,
    changes: usize,
    first_change: Option<usize>,
    notes: Vec<Diagnostic>,
}

/// Why a package was not read.
#[derive(Debug)]
pub enum ReadError {
    /// A ZIP archive without `word/document.xml`: not a Word document.
    NotWord,
    /// A Word document that cannot be read: the NB026 finding naming the place.
    Unreadable(Box<Diagnostic>),
}

/// Reads a `.docx` package. `Err(NotWord)` for a ZIP archive that is not a Word
/// document; `Err(Unreadable)` with the finding (NB026) for one that cannot be
/// read — a damaged or encrypted archive, a part too large, malformed XML.
pub fn read(bytes: &[u8]) -> Result<Document, ReadError> {
    let mut package = Package::open(bytes).map_err(|e| unreadable(package_message(&e, "")))?;
    if !package.has(DOCUMENT) {
        return Err(ReadError::NotWord);
    }
    let mut notes = Vec::new();
    let mut numbering = numbering::Numbering::default();
    for (part, is_numbering) in [(NUMBERING, true), (STYLES, false)] {
        let read = match package.part(part) {
            Ok(xml) => {
                let result = if is_numbering {
                    numbering.read_numbering(&xml)
                } else {
                    numbering.read_styles(&xml)
                };
                result.map_err(|e| xml_message(part, &e))
            }
            Err(PartError::Missing) => Ok(()),
            Err(e) => Err(package_message(&e, part)),
        };
        if let Err(message) = read {
            let message = Message::new(
                format!("{}；自动编号未能读出，正文照常检查", message.zh),
                format!(
                    "{}; the automatic numbers were not read, the body is checked without them",
                    message.en
                ),
            );
            notes.push(
                Diagnostic::new(&codes::DOCX_UNREADABLE, Span::new(0, 0), message)
                    .with_severity(Severity::Warning),
            );
        }
    }
    let xml = package
        .part(DOCUMENT)
        .map_err(|e| unreadable(package_message(&e, DOCUMENT)))?;
    let body =
        body::read(&xml, &mut numbering).map_err(|e| unreadable(xml_message(DOCUMENT, &e)))?;
    drop(xml);
    let flattened = body.flattened;
    let mut writer = write::Writer::default();
    writer.body(&body.blocks);
    let mut document = Document {
        text: Arc::new(writer.text),
        regions: writer.regions,
        sources: writer.sources,
        changes: body.changes,
        first_change: writer.first_change,
        notes,
    };
    if flattened {
        document.notes.push(Diagnostic::new(
            &codes::DOCX_UNREADABLE,
            Span::new(0, 0),
            Message::new(
                format!("word/document.xml 中的表格或文本框嵌套超过 {} 层；更深的部分按段落读取，文字未丢失", body::MAX_NESTING),
                format!("word/document.xml nests tables or text boxes more than {} deep: the deeper ones were read as paragraphs, their text kept", body::MAX_NESTING),
            ),
        ).with_severity(Severity::Warning));
    }
    if document.changes > 0 {
        let at = document.first_change.unwrap_or(0);
        let n = document.changes;
        document.notes.push(Diagnostic::new(
            &codes::DOCX_TRACKED_CHANGES,
            Span::new(at, at),
            Message::new(
                format!("文档中有 {n} 处修订尚未接受；已按接受全部修订后的文字检查"),
                format!(
                    "the document has {n} tracked change{} not yet accepted; it was checked as if all were accepted",
                    if n == 1 { "" } else { "s" }
                ),
            ),
        ));
    }
    Ok(document)
}

impl Document {
    /// The extracted text the check reads.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The extracted text, taken out (to be checked without a copy).
    pub fn take_text(&mut self) -> String {
        let text = std::mem::take(&mut self.text);
        Arc::try_unwrap(text).unwrap_or_else(|shared| shared.as_str().to_string())
    }

    /// Shares the extracted text back, after a caller took it: the text the
    /// check read, which the maps describe.
    pub fn share_text(&mut self, text: Arc<String>) {
        self.text = text;
    }

    /// Findings of the reading itself, their spans in the extracted text: the
    /// tracked changes (NB027), a numbering or styles part not read (NB026).
    pub fn notes(&self) -> &[Diagnostic] {
        &self.notes
    }

    /// How many tracked changes the document has.
    pub fn changes(&self) -> usize {
        self.changes
    }

    /// The regions of places, tiling the extracted text in order.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// The stretches of text that came from `w:t` elements, in order.
    pub fn sources(&self) -> &[SourceRun] {
        &self.sources
    }

    /// The region a byte of the extracted text is in.
    pub fn region_at(&self, offset: usize) -> Option<&Region> {
        let i = self.regions.partition_point(|r| r.start <= offset);
        i.checked_sub(1).map(|i| &self.regions[i])
    }

    /// The place a byte of the extracted text is in.
    pub fn place_at(&self, offset: usize) -> Option<Place> {
        self.region_at(offset).map(|r| r.place)
    }

    /// Where in the document's XML a byte of the extracted text came from;
    /// `None` for what the reading wrote itself (markup, a number marker, a tab).
    pub fn source_at(&self, offset: usize) -> Option<SourcePos> {
        let i = self.sources.partition_point(|s| s.start <= offset);
        let run = self.sources.get(i.checked_sub(1)?)?;
        if offset >= run.end {
            return None;
        }
        let char = if run.literal {
            let within = self.text.get(run.start..offset)?;
            run.source.char + within.chars().count() as u32
        } else {
            run.source.char
        };
        Some(SourcePos {
            part: DOCUMENT,
            run: run.source.run,
            text: run.source.text,
            char,
        })
    }

    /// The source stretches that overlap a range of the extracted text: where
    /// a comment on that text begins and ends in the document.
    pub fn sources_in(&self, range: Range<usize>) -> &[SourceRun] {
        let from = self.sources.partition_point(|s| s.end <= range.start);
        let to = self.sources.partition_point(|s| s.start < range.end);
        &self.sources[from..to.max(from)]
    }

    /// The place of a finding's span and the text quoted for it.
    pub fn locate(&self, span: Range<usize>) -> Option<Located> {
        let region = self.region_at(span.start)?;
        let quote = region.quote.clone();
        let own = span.start < span.end && span.start >= quote.start && span.end <= quote.end;
        let range = if own { span } else { quote };
        let text = self.text.get(range).unwrap_or_default();
        Some(Located {
            place: region.place,
            text: write::clip(&write::quote_text(text), 60),
        })
    }
}

fn unreadable(message: Message) -> ReadError {
    ReadError::Unreadable(Box::new(Diagnostic::new(
        &codes::DOCX_UNREADABLE,
        Span::new(0, 0),
        message,
    )))
}

/// What is wrong with the package or one of its parts.
fn package_message(e: &PartError, part: &str) -> Message {
    let mb = MAX_PART >> 20;
    match e {
        PartError::Missing => Message::new(
            format!("无法读取 Word 文档：ZIP 包中没有部件 {part}"),
            format!("the Word document cannot be read: its ZIP package has no part {part}"),
        ),
        PartError::TooLarge => Message::new(
            format!("无法读取 Word 文档：部件 {part} 解压后超过 {mb} MB 的上限，未读取"),
            format!("the Word document cannot be read: its part {part} unpacks to more than the limit of {mb} MB and was not read"),
        ),
        PartError::Damaged(what) if part.is_empty() => Message::new(
            format!("无法读取 Word 文档：ZIP 包已损坏或加密（{what}）"),
            format!("the Word document cannot be read: its ZIP package is damaged or encrypted ({what})"),
        ),
        PartError::Damaged(what) => Message::new(
            format!("无法读取 Word 文档：部件 {part} 已损坏或加密（{what}）"),
            format!("the Word document cannot be read: its part {part} is damaged or encrypted ({what})"),
        ),
    }
}

fn xml_message(part: &str, e: &xml::XmlError) -> Message {
    Message::new(
        format!(
            "无法读取 Word 文档：部件 {part} 第 {} 字节处的 XML 有误（{}）",
            e.position, e.message
        ),
        format!(
            "the Word document cannot be read: the XML of its part {part} is malformed at byte {} ({})",
            e.position, e.message
        ),
    )
}
