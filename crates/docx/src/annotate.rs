//! A copy of a Word document with comments (批注) anchored on stretches of its
//! extracted text: how nianbao answers a draft in the draft itself.
//!
//! Each comment's range of the extracted text is turned into two places of the
//! document's XML through the map of [`Document::sources_in`]: before a character
//! of a `w:t` and after another. `word/document.xml` is then rewritten in one
//! pass of XML events (`quick-xml`), every byte copied from the input except
//! where a comment begins or ends: there the run is closed, the comment's mark
//! written (`w:commentRangeStart`; `w:commentRangeEnd` and a run with its
//! `w:commentReference`), and the run opened again with a copy of its `w:rPr`,
//! so that the range covers exactly the text and the text keeps its formatting.
//! A run is only ever split, never rewritten, and no half left empty is written.
//!
//! The comments go to the comments part (`word/comments.xml`, or the one the
//! document's relationships name), added or extended with new ids; the content
//! types and the relationships gain an entry for it when they lack one. Every
//! other entry of the ZIP package is copied as it is, compressed bytes and all,
//! in the same order ([`zip::ZipWriter::raw_copy_file`]).
//!
//! A range that has no text of the document — a table's own markup, a number
//! Word writes itself — is anchored on the paragraph or cell it is in, else on
//! the nearest one with text; a document with no text at all gets the comment
//! at the end of its first paragraph.

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Write};
use std::ops::Range;

use quick_xml::events::Event;
use quick_xml::Reader;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::package::{Package, PartError};
use crate::xml::attr;
use crate::{Document, SourceRun, DOCUMENT, MAX_PART};

/// The author of the comments.
pub const AUTHOR: &str = "nianbao";
/// The author's initials, shown by Word beside each comment.
pub const INITIALS: &str = "NB";

const CONTENT_TYPES: &str = "[Content_Types].xml";
const DOCUMENT_RELS: &str = "word/_rels/document.xml.rels";
const COMMENTS: &str = "word/comments.xml";
const COMMENTS_TYPE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments";
const COMMENTS_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml";
const MAIN_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const RELS_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

/// A comment to write: the range of the extracted text it is about, and its
/// text, one string per paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// Bytes of [`Document::text`].
    pub range: Range<usize>,
    /// The paragraphs of the comment.
    pub paragraphs: Vec<String>,
}

/// Where a comment was anchored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// On the text of its range.
    Text,
    /// Its range has no text of the document: on the whole paragraph or table
    /// cell it is in.
    Enclosing,
    /// Neither: on the nearest paragraph or cell with text (after it, else before).
    Nearest,
    /// The document has no text: at the end of its first paragraph.
    Document,
}

/// The annotated package.
#[derive(Debug)]
pub struct Annotated {
    /// The bytes of the `.docx`.
    pub bytes: Vec<u8>,
    /// How each comment was anchored, in the order given.
    pub anchors: Vec<Anchor>,
}

/// Why a document could not be annotated.
#[derive(Debug, thiserror::Error)]
pub enum AnnotateError {
    /// The package or one of its parts cannot be read or written.
    #[error("the package cannot be read or written: {0}")]
    Package(String),
    /// A part's XML is malformed.
    #[error("the XML of {part} is malformed at byte {position}: {message}")]
    Xml {
        /// The part.
        part: String,
        /// Where.
        position: u64,
        /// What.
        message: String,
    },
}

/// Writes a copy of the `.docx` in `bytes` with `comments`, anchored through
/// `document` (what [`crate::read`] read of the same bytes).
pub fn annotate(
    bytes: &[u8],
    document: &Document,
    comments: &[Comment],
) -> Result<Annotated, AnnotateError> {
    let mut package = Package::open(bytes).map_err(|e| part_error(&e, ""))?;
    if comments.is_empty() {
        return Ok(Annotated {
            bytes: bytes.to_vec(),
            anchors: Vec::new(),
        });
    }
    let xml = package
        .part(DOCUMENT)
        .map_err(|e| part_error(&e, DOCUMENT))?;
    let scan = Scan::of(&xml).map_err(|e| e.of(DOCUMENT))?;

    // The comments part: the one the relationships name, else word/comments.xml.
    let rels = optional(&mut package, DOCUMENT_RELS)?;
    let rels_info = match &rels {
        Some(xml) => Rels::of(xml).map_err(|e| e.of(DOCUMENT_RELS))?,
        None => Rels::default(),
    };
    let comments_part = rels_info
        .comments_target
        .clone()
        .unwrap_or_else(|| COMMENTS.to_string());
    let existing = optional(&mut package, &comments_part)?;
    let mut next_id = scan.max_id;
    if let Some(xml) = &existing {
        next_id = next_id.max(max_id(xml).map_err(|e| e.of(&comments_part))?);
    }

    let mut plan = Plan::default();
    let mut anchors = Vec::with_capacity(comments.len());
    let mut ids = Vec::with_capacity(comments.len());
    let mut finder = Finder::new(document, &scan);
    for comment in comments {
        next_id = next_id.saturating_add(1);
        let id = next_id;
        ids.push(id);
        match finder.place(comment.range.clone()) {
            Some((start, end, anchor)) => {
                plan.mark(start, Mark::Start(id));
                plan.mark(end, Mark::End(id));
                anchors.push(anchor);
            }
            None => {
                plan.loose.push(id);
                anchors.push(Anchor::Document);
            }
        }
    }
    let new_document = rewrite(&xml, &plan, &scan).map_err(|e| e.of(DOCUMENT))?;
    drop(xml);

    let mut entries = String::new();
    for (comment, id) in comments.iter().zip(&ids) {
        entries.push_str(&comment_xml(*id, &comment.paragraphs));
    }
    let new_comments = match &existing {
        Some(xml) => insert_before_root_end(xml, entries.as_bytes())
            .map_err(|e| e.of(&comments_part))?,
        None => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<w:comments xmlns:w=\"{MAIN_NS}\">{entries}</w:comments>"
        )
        .into_bytes(),
    };

    let mut changed: HashMap<String, Vec<u8>> = HashMap::new();
    changed.insert(DOCUMENT.to_string(), new_document);
    changed.insert(comments_part.clone(), new_comments);
    if rels_info.comments_target.is_none() {
        let relative = comments_part
            .strip_prefix("word/")
            .map_or_else(|| format!("/{comments_part}"), str::to_string);
        let relationship = format!(
            "<Relationship Id=\"{}\" Type=\"{COMMENTS_TYPE}\" Target=\"{relative}\"/>",
            rels_info.free_id()
        );
        let new_rels = match &rels {
            Some(xml) => insert_before_root_end(xml, relationship.as_bytes())
                .map_err(|e| e.of(DOCUMENT_RELS))?,
            None => format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<Relationships xmlns=\"{RELS_NS}\">{relationship}</Relationships>"
            )
            .into_bytes(),
        };
        changed.insert(DOCUMENT_RELS.to_string(), new_rels);
    }
    let types = optional(&mut package, CONTENT_TYPES)?;
    if let Some(xml) = types {
        let part_name = format!("/{comments_part}");
        if !has_override(&xml, &part_name).map_err(|e| e.of(CONTENT_TYPES))? {
            let entry = format!(
                "<Override PartName=\"{part_name}\" ContentType=\"{COMMENTS_CONTENT_TYPE}\"/>"
            );
            let new_types =
                insert_before_root_end(&xml, entry.as_bytes()).map_err(|e| e.of(CONTENT_TYPES))?;
            changed.insert(CONTENT_TYPES.to_string(), new_types);
        }
    }
    drop(package);
    let bytes = repack(bytes, changed)?;
    Ok(Annotated { bytes, anchors })
}

/// The package with the `changed` parts replaced (or added at the end), every
/// other entry copied raw, in order.
fn repack(bytes: &[u8], mut changed: HashMap<String, Vec<u8>>) -> Result<Vec<u8>, AnnotateError> {
    let zip_error = |e: zip::result::ZipError| AnnotateError::Package(e.to_string());
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(zip_error)?;
    let mut out = ZipWriter::new(Cursor::new(Vec::with_capacity(bytes.len() + 4096)));
    let mut time = None;
    for i in 0..archive.len() {
        let file = archive.by_index_raw(i).map_err(zip_error)?;
        let name = file.name().to_string();
        match changed.remove(&name) {
            Some(content) => {
                let modified = file.last_modified().unwrap_or_default();
                time.get_or_insert(modified);
                let options = SimpleFileOptions::default()
                    .compression_method(CompressionMethod::Deflated)
                    .last_modified_time(modified);
                drop(file);
                out.start_file(name, options).map_err(zip_error)?;
                out.write_all(&content)
                    .map_err(|e| AnnotateError::Package(e.to_string()))?;
            }
            None => out.raw_copy_file(file).map_err(zip_error)?,
        }
    }
    // The parts the package did not have, in a stable order.
    let mut added: Vec<_> = changed.into_iter().collect();
    added.sort();
    for (name, content) in added {
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .last_modified_time(time.unwrap_or_default());
        out.start_file(name, options).map_err(zip_error)?;
        out.write_all(&content)
            .map_err(|e| AnnotateError::Package(e.to_string()))?;
    }
    out.set_raw_comment(archive.comment().into());
    Ok(out.finish().map_err(zip_error)?.into_inner())
}

fn optional(package: &mut Package<'_>, name: &str) -> Result<Option<Vec<u8>>, AnnotateError> {
    match package.part(name) {
        Ok(xml) => Ok(Some(xml)),
        Err(PartError::Missing) => Ok(None),
        Err(e) => Err(part_error(&e, name)),
    }
}

fn part_error(e: &PartError, part: &str) -> AnnotateError {
    AnnotateError::Package(match e {
        PartError::Missing => format!("no part {part}"),
        PartError::TooLarge => format!("{part} unpacks to more than {} MB", MAX_PART >> 20),
        PartError::Damaged(what) => format!("{part}: {what}"),
    })
}

/// Malformed XML, before the part is named.
struct Malformed {
    position: u64,
    message: String,
}

impl Malformed {
    fn at<R>(reader: &Reader<R>, e: impl ToString) -> Self {
        Malformed {
            position: reader.error_position(),
            message: e.to_string(),
        }
    }

    fn of(self, part: &str) -> AnnotateError {
        AnnotateError::Xml {
            part: part.to_string(),
            position: self.position,
            message: self.message,
        }
    }
}

/// Each XML event of `xml` with its bytes in the input.
fn events<'x>(
    xml: &'x [u8],
    mut each: impl FnMut(&Reader<&'x [u8]>, Event<'x>, &'x [u8]) -> Result<(), Malformed>,
) -> Result<(), Malformed> {
    let mut reader = Reader::from_reader(xml);
    loop {
        let before = reader.buffer_position();
        let event = reader.read_event().map_err(|e| Malformed::at(&reader, e))?;
        let after = reader.buffer_position();
        if matches!(event, Event::Eof) {
            return Ok(());
        }
        let raw = usize::try_from(before)
            .ok()
            .zip(usize::try_from(after).ok())
            .and_then(|(b, a)| xml.get(b..a))
            .unwrap_or_default();
        each(&reader, event, raw)?;
    }
}

/// What one pass over `document.xml` tells before it is rewritten.
#[derive(Debug, Default)]
struct Scan {
    /// Per `w:t` (by index): its run, whether it is the run's own child, and
    /// its length in characters as the reading counts them.
    texts: Vec<TextInfo>,
    /// The largest `w:id` of the part.
    max_id: u32,
    /// Whether the body has a paragraph of its own (a child of `w:body`).
    body_paragraph: bool,
}

#[derive(Clone, Copy, Debug, Default)]
struct TextInfo {
    run: Option<u32>,
    len: u32,
}

impl Scan {
    fn of(xml: &[u8]) -> Result<Scan, Malformed> {
        let mut scan = Scan::default();
        let mut runs: u32 = 0;
        // Open elements: the run index of each open `w:r`, `None` for others.
        let mut open: Vec<Option<u32>> = Vec::new();
        let mut body_depth = None;
        let mut in_text: Option<usize> = None;
        events(xml, |reader, event, _| {
            match &event {
                Event::Start(e) | Event::Empty(e) => {
                    let empty = matches!(event, Event::Empty(_));
                    if let Some(id) = attr(e, b"w:id").and_then(|v| v.trim().parse::<u32>().ok()) {
                        scan.max_id = scan.max_id.max(id);
                    }
                    let mut run = None;
                    match e.name().as_ref() {
                        b"w:r" => {
                            run = Some(runs);
                            runs = runs.saturating_add(1);
                        }
                        b"w:t" => {
                            let parent = open.last().copied().flatten();
                            scan.texts.push(TextInfo {
                                run: parent,
                                len: 0,
                            });
                            if !empty {
                                in_text = Some(scan.texts.len() - 1);
                            }
                        }
                        b"w:body" if !empty => body_depth = Some(open.len() + 1),
                        b"w:p" if body_depth == Some(open.len()) => scan.body_paragraph = true,
                        _ => {}
                    }
                    if !empty {
                        open.push(run);
                    }
                }
                Event::End(e) => {
                    open.pop();
                    if e.name().as_ref() == b"w:t" {
                        in_text = None;
                    }
                }
                Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {
                    if let Some(i) = in_text {
                        let n = chars_of(&event).map_err(|e| Malformed::at(reader, e))?;
                        if let Some(t) = scan.texts.get_mut(i) {
                            t.len = t.len.saturating_add(n);
                        }
                    }
                }
                _ => {}
            }
            Ok(())
        })?;
        Ok(scan)
    }
}

/// The characters of a piece of a `w:t`'s content, counted as the reading
/// counts them (an entity it does not know counts none).
fn chars_of(event: &Event<'_>) -> Result<u32, quick_xml::encoding::EncodingError> {
    Ok(match event {
        Event::Text(t) => t.decode()?.chars().count() as u32,
        Event::CData(t) => t.decode()?.chars().count() as u32,
        Event::GeneralRef(r) => u32::from(resolve(r).is_some()),
        _ => 0,
    })
}

fn resolve(r: &quick_xml::events::BytesRef<'_>) -> Option<char> {
    match r.resolve_char_ref() {
        Ok(Some(c)) => Some(c),
        _ => r
            .decode()
            .ok()
            .and_then(|name| quick_xml::escape::resolve_predefined_entity(&name))
            .and_then(|s| s.chars().next()),
    }
}

/// A place in `document.xml`: before character `char` of the `w:t` of index
/// `text` (`char` may be its length: after its last character).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Pos {
    text: u32,
    char: u32,
}

/// Per region, the nearest region with text at or after it, and at or before it.
type Nearest = (Vec<Option<usize>>, Vec<Option<usize>>);

/// Finds where a range of the extracted text is in the XML.
struct Finder<'a> {
    document: &'a Document,
    scan: &'a Scan,
    /// Per region: the nearest region at or after it, and at or before it,
    /// whose text can be anchored on (made when first needed).
    nearest: Option<Nearest>,
}

impl<'a> Finder<'a> {
    fn new(document: &'a Document, scan: &'a Scan) -> Self {
        Finder {
            document,
            scan,
            nearest: None,
        }
    }

    fn place(&mut self, range: Range<usize>) -> Option<(Pos, Pos, Anchor)> {
        if let Some((s, e)) = self.exact(range.clone()) {
            return Some((s, e, Anchor::Text));
        }
        let regions = self.document.regions();
        let i = regions
            .partition_point(|r| r.start <= range.start)
            .checked_sub(1)?;
        if let Some((s, e)) = regions.get(i).and_then(|r| self.exact(r.quote.clone())) {
            return Some((s, e, Anchor::Enclosing));
        }
        let (document, scan) = (self.document, self.scan);
        let (after, before) = self.nearest.get_or_insert_with(|| {
            let n = regions.len();
            let ok: Vec<bool> = regions
                .iter()
                .map(|r| exact_in(document, scan, r.quote.clone()).is_some())
                .collect();
            let mut after = vec![None; n];
            let mut next = None;
            for j in (0..n).rev() {
                if ok[j] {
                    next = Some(j);
                }
                after[j] = next;
            }
            let mut before = vec![None; n];
            let mut last = None;
            for j in 0..n {
                if ok[j] {
                    last = Some(j);
                }
                before[j] = last;
            }
            (after, before)
        });
        let j = after
            .get(i)
            .copied()
            .flatten()
            .or(before.get(i).copied().flatten())?;
        let (s, e) = self.exact(regions.get(j)?.quote.clone())?;
        Some((s, e, Anchor::Nearest))
    }

    fn exact(&self, range: Range<usize>) -> Option<(Pos, Pos)> {
        exact_in(self.document, self.scan, range)
    }
}

/// The places of the first and one past the last character of the document
/// that a range of the extracted text holds; `None` when it holds none.
fn exact_in(document: &Document, scan: &Scan, range: Range<usize>) -> Option<(Pos, Pos)> {
    if range.start >= range.end {
        return None;
    }
    let stretches = document.sources_in(range.clone());
    let first = stretches.first()?;
    let last = stretches.last()?;
    let start = place_of(document, first, range.start.max(first.start))?;
    let mut end = if last.literal && range.end < last.end {
        place_of(document, last, range.end)?
    } else {
        end_of(document, last)?
    };
    let mut end_stretch = last;
    if end <= start {
        // A text box is read after its paragraph, but sits inside it: a range
        // from one into the other runs backwards in the XML. The first stretch alone.
        end = if first.literal && range.end < first.end {
            place_of(document, first, range.end)?
        } else {
            end_of(document, first)?
        };
        end_stretch = first;
    }
    let valid = |pos: Pos, of: &SourceRun| {
        scan.texts
            .get(pos.text as usize)
            .is_some_and(|t| t.run == Some(of.source.run) && pos.char <= t.len)
    };
    (start < end && valid(start, first) && valid(end, end_stretch)).then_some((start, end))
}

/// The place of byte `at` of a stretch (at or after its start).
fn place_of(document: &Document, stretch: &SourceRun, at: usize) -> Option<Pos> {
    let within = if stretch.literal && at > stretch.start {
        document.text().get(stretch.start..at)?.chars().count() as u32
    } else {
        0
    };
    Some(Pos {
        text: stretch.source.text,
        char: stretch.source.char.checked_add(within)?,
    })
}

/// The place after a stretch's last character.
fn end_of(document: &Document, stretch: &SourceRun) -> Option<Pos> {
    if stretch.literal {
        place_of(document, stretch, stretch.end)
    } else {
        Some(Pos {
            text: stretch.source.text,
            char: stretch.source.char.checked_add(1)?,
        })
    }
}

/// A comment's mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Mark {
    // Ends sort before starts at one place: ranges that meet do not overlap.
    End(u32),
    Start(u32),
}

/// The marks to write, per `w:t`.
#[derive(Debug, Default)]
struct Plan {
    /// Per `w:t` index: its marks, by character.
    at: HashMap<u32, Vec<(u32, Mark)>>,
    /// Comments with no place in the text.
    loose: Vec<u32>,
}

impl Plan {
    fn mark(&mut self, pos: Pos, mark: Mark) {
        let marks = self.at.entry(pos.text).or_default();
        marks.push((pos.char, mark));
        marks.sort();
    }
}

/// The marks of a comment written where it starts and where it ends.
fn write_mark(out: &mut Vec<u8>, mark: Mark) {
    match mark {
        Mark::Start(id) => {
            out.extend_from_slice(format!("<w:commentRangeStart w:id=\"{id}\"/>").as_bytes())
        }
        Mark::End(id) => out.extend_from_slice(
            format!(
                "<w:commentRangeEnd w:id=\"{id}\"/><w:r><w:commentReference w:id=\"{id}\"/></w:r>"
            )
            .as_bytes(),
        ),
    }
}

/// A run being split: written only once it has content, so that no half is empty.
struct RunFrame {
    depth: usize,
    open: Vec<u8>,
    rpr: Vec<u8>,
    /// The depth of the `w:rPr` being copied.
    in_rpr: Option<usize>,
    written: bool,
    /// Whether it was split (then a half left empty is not written).
    split: bool,
}

/// A `w:t` with marks.
struct TextFrame {
    depth: usize,
    open: Vec<u8>,
    written: bool,
    chars: u32,
    marks: Vec<(u32, Mark)>,
    next: usize,
}

struct Rewriter {
    out: Vec<u8>,
    /// Marks written, to know that every one found its place.
    marks: usize,
    runs: Vec<RunFrame>,
    text: Option<TextFrame>,
}

impl Rewriter {
    /// Writes the open tags of the run and the `w:t` being split, when not yet written.
    fn open(&mut self, with_text: bool) {
        if let Some(run) = self.runs.last_mut() {
            if !run.written {
                self.out.extend_from_slice(&run.open);
                self.out.extend_from_slice(&run.rpr);
                run.written = true;
            }
        }
        if with_text {
            if let Some(t) = self.text.as_mut() {
                if !t.written {
                    self.out.extend_from_slice(&t.open);
                    t.written = true;
                }
            }
        }
    }

    /// Closes the `w:t` and the run, writes a mark, and leaves both to be opened again.
    fn split(&mut self, mark: Mark) {
        if let Some(t) = self.text.as_mut() {
            if t.written {
                self.out.extend_from_slice(b"</w:t>");
                t.written = false;
            }
        }
        if let Some(run) = self.runs.last_mut() {
            if run.written {
                self.out.extend_from_slice(b"</w:r>");
                run.written = false;
            }
            run.split = true;
        }
        write_mark(&mut self.out, mark);
        self.marks += 1;
    }

    /// Writes `text` of the `w:t`, splitting it at the marks that fall in it
    /// (from character `chars` on) and at its start.
    fn text(&mut self, text: &str, raw: &[u8]) {
        let Some(t) = self.text.as_ref() else {
            return;
        };
        let from = t.chars;
        let n = text.chars().count() as u32;
        let inside: Vec<(u32, Mark)> = t.marks[t.next..]
            .iter()
            .take_while(|(c, _)| *c < from.saturating_add(n))
            .copied()
            .collect();
        if inside.is_empty() {
            if n > 0 {
                self.open(true);
                self.out.extend_from_slice(raw);
            }
        } else {
            let mut rest = text;
            let mut at = from;
            for (c, mark) in &inside {
                let k = (c.saturating_sub(at)) as usize;
                let cut = rest.char_indices().nth(k).map_or(rest.len(), |(i, _)| i);
                let (piece, tail) = rest.split_at(cut);
                if !piece.is_empty() {
                    self.open(true);
                    self.out
                        .extend_from_slice(quick_xml::escape::escape(piece).as_bytes());
                }
                self.split(*mark);
                rest = tail;
                at = *c;
            }
            if !rest.is_empty() {
                self.open(true);
                self.out
                    .extend_from_slice(quick_xml::escape::escape(rest).as_bytes());
            }
        }
        if let Some(t) = self.text.as_mut() {
            t.next += inside.len();
            t.chars = from.saturating_add(n);
        }
    }
}

/// `document.xml` with the plan's marks.
fn rewrite(xml: &[u8], plan: &Plan, scan: &Scan) -> Result<Vec<u8>, Malformed> {
    let runs_split: HashSet<u32> = plan
        .at
        .keys()
        .filter_map(|t| scan.texts.get(*t as usize).and_then(|i| i.run))
        .collect();
    let mut w = Rewriter {
        out: Vec::with_capacity(xml.len() + plan.at.len() * 160 + 1024),
        marks: 0,
        runs: Vec::new(),
        text: None,
    };
    let mut depth = 0usize;
    let mut run_index: u32 = 0;
    let mut text_index: u32 = 0;
    let mut body_depth = None;
    let mut loose_done = plan.loose.is_empty();
    let loose = |out: &mut Vec<u8>| {
        for id in &plan.loose {
            write_mark(out, Mark::Start(*id));
            write_mark(out, Mark::End(*id));
        }
    };
    events(xml, |reader, event, raw| {
        // Inside the `w:rPr` of a run being split: copied aside.
        if let Some(run) = w.runs.last_mut() {
            if let Some(at) = run.in_rpr {
                run.rpr.extend_from_slice(raw);
                match &event {
                    Event::Start(_) => depth += 1,
                    Event::End(_) => {
                        if depth == at {
                            run.in_rpr = None;
                        }
                        depth -= 1;
                    }
                    _ => {}
                }
                return Ok(());
            }
        }
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                let d = depth + 1;
                let name = e.name();
                let name = name.as_ref();
                let direct_child_of_run = w.runs.last().is_some_and(|r| r.depth + 1 == d);
                let mut handled = false;
                match name {
                    b"w:r" => {
                        let index = run_index;
                        run_index = run_index.saturating_add(1);
                        if direct_child_of_run {
                            w.open(false);
                        }
                        if !empty && runs_split.contains(&index) {
                            w.runs.push(RunFrame {
                                depth: d,
                                open: raw.to_vec(),
                                rpr: Vec::new(),
                                in_rpr: None,
                                written: false,
                                split: false,
                            });
                            handled = true;
                        }
                    }
                    b"w:t" => {
                        let index = text_index;
                        text_index = text_index.saturating_add(1);
                        if let Some(marks) = plan.at.get(&index).filter(|_| direct_child_of_run) {
                            if empty {
                                // Never: a `w:t` with marks has text. Its marks at its start.
                                w.open(false);
                                for (_, mark) in marks {
                                    w.split(*mark);
                                }
                            } else {
                                w.text = Some(TextFrame {
                                    depth: d,
                                    open: preserved(raw),
                                    written: false,
                                    chars: 0,
                                    marks: marks.clone(),
                                    next: 0,
                                });
                                handled = true;
                            }
                        }
                    }
                    b"w:rPr" if direct_child_of_run => {
                        if let Some(run) = w.runs.last_mut().filter(|r| !r.written && !r.split) {
                            run.rpr.extend_from_slice(raw);
                            if !empty {
                                run.in_rpr = Some(d);
                            }
                            handled = true;
                        }
                    }
                    b"w:body" if !empty => {
                        body_depth = Some(d);
                        if !scan.body_paragraph && !loose_done {
                            w.out.extend_from_slice(raw);
                            w.out.extend_from_slice(b"<w:p>");
                            loose(&mut w.out);
                            w.marks += 2 * plan.loose.len();
                            w.out.extend_from_slice(b"</w:p>");
                            loose_done = true;
                            handled = true;
                        }
                    }
                    b"w:p" if empty && !loose_done && body_depth == Some(depth) => {
                        // `<w:p/>` opened to hold the comments.
                        w.out
                            .extend_from_slice(raw.strip_suffix(b"/>").unwrap_or(b"<w:p"));
                        w.out.extend_from_slice(b">");
                        loose(&mut w.out);
                        w.marks += 2 * plan.loose.len();
                        w.out.extend_from_slice(b"</w:p>");
                        loose_done = true;
                        handled = true;
                    }
                    _ => {}
                }
                if !handled {
                    if direct_child_of_run {
                        w.open(false);
                    }
                    w.out.extend_from_slice(raw);
                }
                if !empty {
                    depth = d;
                }
            }
            Event::End(e) => {
                let name = e.name();
                let name = name.as_ref();
                if w.text.as_ref().is_some_and(|t| t.depth == depth) && name == b"w:t" {
                    let rest: Vec<Mark> = w
                        .text
                        .as_mut()
                        .map(|t| {
                            let rest = t.marks[t.next..].iter().map(|(_, m)| *m).collect();
                            t.next = t.marks.len();
                            rest
                        })
                        .unwrap_or_default();
                    for mark in rest {
                        w.split(mark);
                    }
                    if w.text.as_ref().is_some_and(|t| t.written) {
                        w.out.extend_from_slice(raw);
                    }
                    w.text = None;
                } else if w.runs.last().is_some_and(|r| r.depth == depth) && name == b"w:r" {
                    if let Some(run) = w.runs.pop() {
                        if run.written {
                            w.out.extend_from_slice(raw);
                        } else if !run.split {
                            // Nothing but its properties: as it was.
                            w.out.extend_from_slice(&run.open);
                            w.out.extend_from_slice(&run.rpr);
                            w.out.extend_from_slice(raw);
                        }
                    }
                } else {
                    if name == b"w:p" && !loose_done && body_depth.is_some_and(|b| b + 1 == depth) {
                        loose(&mut w.out);
                        w.marks += 2 * plan.loose.len();
                        loose_done = true;
                    }
                    if w.runs.last().is_some_and(|r| r.depth + 1 == depth) {
                        w.open(false);
                    }
                    w.out.extend_from_slice(raw);
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) if w.text.as_ref().is_some_and(|f| f.depth == depth) => {
                let text = t.decode().map_err(|e| Malformed::at(reader, e))?;
                w.text(&text, raw);
            }
            Event::CData(t) if w.text.as_ref().is_some_and(|f| f.depth == depth) => {
                let text = t.decode().map_err(|e| Malformed::at(reader, e))?;
                let escaped = quick_xml::escape::escape(text.as_ref()).into_owned();
                w.text(&text, escaped.as_bytes());
            }
            Event::GeneralRef(r) if w.text.as_ref().is_some_and(|f| f.depth == depth) => {
                let counts = resolve(r).is_some();
                // The marks before it, then the reference as written.
                if let Some(t) = w.text.as_ref() {
                    let at = t.chars;
                    let before: Vec<Mark> = t.marks[t.next..]
                        .iter()
                        .take_while(|(c, _)| *c <= at)
                        .map(|(_, m)| *m)
                        .collect();
                    if let Some(t) = w.text.as_mut() {
                        t.next += before.len();
                        t.chars += u32::from(counts);
                    }
                    for mark in before {
                        w.split(mark);
                    }
                }
                w.open(true);
                w.out.extend_from_slice(raw);
            }
            _ => w.out.extend_from_slice(raw),
        }
        Ok(())
    })?;
    let planned = plan.at.values().map(Vec::len).sum::<usize>() + 2 * plan.loose.len();
    if w.marks != planned {
        return Err(Malformed {
            position: xml.len() as u64,
            message: format!(
                "{} of {planned} comment marks found no place",
                planned - w.marks.min(planned)
            ),
        });
    }
    Ok(w.out)
}

/// A `w:t` open tag that keeps its spaces (a half may end or start with one).
fn preserved(raw: &[u8]) -> Vec<u8> {
    if raw.windows(9).any(|w| w == b"xml:space") {
        return raw.to_vec();
    }
    match raw.strip_suffix(b">") {
        Some(head) => [head, b" xml:space=\"preserve\">"].concat(),
        None => raw.to_vec(),
    }
}

/// One `w:comment`: its paragraphs, the first with the annotation mark Word puts there.
fn comment_xml(id: u32, paragraphs: &[String]) -> String {
    let mut out =
        format!("<w:comment w:id=\"{id}\" w:author=\"{AUTHOR}\" w:initials=\"{INITIALS}\">");
    for (i, p) in paragraphs.iter().enumerate() {
        out.push_str("<w:p>");
        if i == 0 {
            out.push_str("<w:r><w:annotationRef/></w:r>");
        }
        out.push_str("<w:r><w:t xml:space=\"preserve\">");
        out.push_str(&quick_xml::escape::escape(xml_chars(p).as_str()));
        out.push_str("</w:t></w:r></w:p>");
    }
    if paragraphs.is_empty() {
        out.push_str("<w:p><w:r><w:annotationRef/></w:r></w:p>");
    }
    out.push_str("</w:comment>");
    out
}

/// The characters XML 1.0 allows, others replaced; a line break as a space.
fn xml_chars(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\n' | '\r' => ' ',
            '\t' => c,
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// The largest `w:id` of a part.
fn max_id(xml: &[u8]) -> Result<u32, Malformed> {
    let mut max = 0;
    events(xml, |_, event, _| {
        if let Event::Start(e) | Event::Empty(e) = &event {
            if let Some(id) = attr(e, b"w:id").and_then(|v| v.trim().parse::<u32>().ok()) {
                max = max.max(id);
            }
        }
        Ok(())
    })?;
    Ok(max)
}

/// `xml` with `insert` before the end tag of its root element.
fn insert_before_root_end(xml: &[u8], insert: &[u8]) -> Result<Vec<u8>, Malformed> {
    let mut out = Vec::with_capacity(xml.len() + insert.len());
    let mut depth = 0usize;
    let mut done = false;
    events(xml, |_, event, raw| {
        match &event {
            Event::Start(_) => depth += 1,
            Event::Empty(e) if depth == 0 && !done => {
                // `<Relationships …/>`: opened to hold the entry.
                out.extend_from_slice(raw.strip_suffix(b"/>").unwrap_or(raw));
                out.extend_from_slice(b">");
                out.extend_from_slice(insert);
                out.extend_from_slice(b"</");
                out.extend_from_slice(e.name().as_ref());
                out.extend_from_slice(b">");
                done = true;
                return Ok(());
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 && !done {
                    out.extend_from_slice(insert);
                    done = true;
                }
            }
            _ => {}
        }
        out.extend_from_slice(raw);
        Ok(())
    })?;
    if !done {
        return Err(Malformed {
            position: xml.len() as u64,
            message: "no root element".to_string(),
        });
    }
    Ok(out)
}

/// The document's relationships, as far as comments need them.
#[derive(Debug, Default)]
struct Rels {
    ids: HashSet<String>,
    /// The comments part the relationships name, as a part name (`word/comments.xml`).
    comments_target: Option<String>,
}

impl Rels {
    fn of(xml: &[u8]) -> Result<Rels, Malformed> {
        let mut rels = Rels::default();
        events(xml, |_, event, _| {
            if let Event::Start(e) | Event::Empty(e) = &event {
                if e.local_name().as_ref() == b"Relationship" {
                    if let Some(id) = attr(e, b"Id") {
                        rels.ids.insert(id);
                    }
                    let external = attr(e, b"TargetMode").is_some_and(|m| m == "External");
                    if attr(e, b"Type").as_deref() == Some(COMMENTS_TYPE) && !external {
                        if let Some(target) = attr(e, b"Target") {
                            rels.comments_target.get_or_insert(part_name(&target));
                        }
                    }
                }
            }
            Ok(())
        })?;
        Ok(rels)
    }

    /// An `Id` no relationship has.
    fn free_id(&self) -> String {
        let mut n = self.ids.len() + 1;
        loop {
            let id = format!("rId{n}");
            if !self.ids.contains(&id) {
                return id;
            }
            n += 1;
        }
    }
}

/// A relationship's target (relative to `word/`, or absolute) as a part name.
fn part_name(target: &str) -> String {
    match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => {
            let mut parts: Vec<&str> = vec!["word"];
            for piece in target.split('/') {
                match piece {
                    ".." => {
                        parts.pop();
                    }
                    "." | "" => {}
                    p => parts.push(p),
                }
            }
            parts.join("/")
        }
    }
}

/// Whether the content types name the part (case-insensitively, as part names compare).
fn has_override(xml: &[u8], part_name: &str) -> Result<bool, Malformed> {
    let mut found = false;
    events(xml, |_, event, _| {
        if let Event::Start(e) | Event::Empty(e) = &event {
            if e.local_name().as_ref() == b"Override"
                && attr(e, b"PartName").is_some_and(|p| p.eq_ignore_ascii_case(part_name))
            {
                found = true;
            }
        }
        Ok(())
    })?;
    Ok(found)
}
