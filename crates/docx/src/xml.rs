//! Small helpers over quick-xml: attributes as text or numbers, and an XML error
//! with the byte where it was found.

use quick_xml::events::BytesStart;
use quick_xml::Reader;

/// Malformed XML in a part: the byte offset into the part and quick-xml's words.
#[derive(Debug)]
pub struct XmlError {
    /// The byte of the part where reading stopped.
    pub position: u64,
    /// What was wrong.
    pub message: String,
}

impl XmlError {
    pub(crate) fn new<R>(reader: &Reader<R>, error: quick_xml::Error) -> Self {
        XmlError {
            position: reader.error_position(),
            message: error.to_string(),
        }
    }
}

/// The value of an attribute, unescaped; `None` when absent or malformed.
pub(crate) fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    let a = e.try_get_attribute(name).ok()??;
    // Not `unescape_value`: it is gone when another crate of the build turns on
    // quick-xml's `encoding` feature.
    a.decode_and_unescape_value(e.decoder())
        .ok()
        .map(|v| v.into_owned())
}

/// An integer attribute (`w:val="3"`); `None` when absent or not a number.
pub(crate) fn attr_int(e: &BytesStart<'_>, name: &[u8]) -> Option<i64> {
    attr(e, name)?.trim().parse().ok()
}
