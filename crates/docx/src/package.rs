//! The parts of a `.docx` package: a ZIP archive read with the `zip` crate, each
//! part unpacked up to [`MAX_PART`] bytes and no further (a small archive may
//! claim, or unpack to, gigabytes).

use std::io::{Cursor, Read};

use zip::result::ZipError;
use zip::ZipArchive;

/// The body of the document.
pub const DOCUMENT: &str = "word/document.xml";
/// The numbering definitions (automatic numbers of paragraphs).
pub const NUMBERING: &str = "word/numbering.xml";
/// The styles (a paragraph style may carry numbering).
pub const STYLES: &str = "word/styles.xml";

/// The most bytes a part may unpack to: 64 MiB.
pub const MAX_PART: u64 = 64 << 20;

/// Why a part could not be had.
#[derive(Debug)]
pub enum PartError {
    /// The archive has no part of that name.
    Missing,
    /// The part unpacks to more than [`MAX_PART`].
    TooLarge,
    /// The archive or the part is damaged, encrypted or uses a method not read.
    Damaged(String),
}

/// An open package.
pub struct Package<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
}

impl<'a> Package<'a> {
    /// Opens the archive (reads its central directory).
    pub fn open(bytes: &'a [u8]) -> Result<Self, PartError> {
        ZipArchive::new(Cursor::new(bytes))
            .map(|archive| Package { archive })
            .map_err(|e| PartError::Damaged(describe(&e)))
    }

    /// Whether the archive has a part of that name.
    pub fn has(&self, name: &str) -> bool {
        self.archive.index_for_name(name).is_some()
    }

    /// The bytes of a part, at most [`MAX_PART`] of them.
    pub fn part(&mut self, name: &str) -> Result<Vec<u8>, PartError> {
        let file = match self.archive.by_name(name) {
            Ok(file) => file,
            Err(ZipError::FileNotFound) => return Err(PartError::Missing),
            Err(e) => return Err(PartError::Damaged(describe(&e))),
        };
        if file.size() > MAX_PART {
            return Err(PartError::TooLarge);
        }
        let mut bytes = Vec::new();
        // The size the archive states may lie: read one byte past the limit at most.
        file.take(MAX_PART + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| PartError::Damaged(e.to_string()))?;
        if bytes.len() as u64 > MAX_PART {
            return Err(PartError::TooLarge);
        }
        Ok(bytes)
    }
}

/// The zip crate's error in a few words (its own text, which names the problem).
fn describe(e: &ZipError) -> String {
    match e {
        ZipError::UnsupportedArchive(what) => format!("unsupported archive: {what}"),
        other => other.to_string(),
    }
}
