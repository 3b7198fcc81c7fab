//! Input decoding: UTF-8 (with or without BOM), GB18030/GBK and UTF-16 (with a
//! BOM, or recognised by its content), with an offset map from the decoded text
//! back to the original bytes.
//!
//! # Which encoding
//!
//! Annual reports reach us as UTF-8 (converters, modern sites) or as GBK/GB18030
//! (older government sites, Windows tools). The decision, in order:
//!
//! 1. **A byte-order mark decides.** `EF BB BF` is UTF-8, `FF FE` UTF-16LE,
//!    `FE FF` UTF-16BE, `84 31 95 33` GB18030. As in the WHATWG Encoding Standard
//!    the BOM wins over anything the content suggests; bytes after it that do
//!    not decode are reported as undecodable, not used to second-guess the BOM.
//! 2. **UTF-16 without a byte-order mark is recognised by its content.** Text in
//!    UTF-8 or GB18030 has no NUL bytes, while UTF-16 has one in every ASCII
//!    character (`\n` is `0A 00` in UTF-16LE, `00 0A` in UTF-16BE). When the first
//!    64 KiB hold NUL bytes, they are read as UTF-16 in both byte orders (see
//!    [`sniff_utf16`]); a byte order whose reading is text — it has a line break,
//!    at least 90% of its characters are ones reports are written in (ASCII,
//!    Chinese, CJK and full-width punctuation, common symbols) and at most 2% are
//!    control characters or unpaired surrogates — wins, and an NB023 note says that
//!    the input was read as UTF-16 without a byte-order mark. The other byte order
//!    of the same text reads as neither (its line breaks become U+0A00). Input whose
//!    beginning is valid UTF-8 is read as UTF-16 only when at least a sixteenth
//!    of those bytes are NUL (ASCII text in UTF-16 is half NUL bytes), since ASCII
//!    read as UTF-16 looks like Chinese: a stray NUL byte in a UTF-8 file does not
//!    make it UTF-16. (NUL padding, as a crashed editor leaves, does not either:
//!    two NUL bytes read as the control character U+0000.) If both byte orders read as text, the one with more line breaks
//!    is used and NB023 is a warning saying the byte order was guessed; if neither
//!    does but at least a tenth of the 16-bit units have one NUL byte (as ASCII in
//!    UTF-16 has), the input is read by the next rules and NB023 warns that it may
//!    be damaged UTF-16 or not text at all.
//! 3. **Valid UTF-8 is UTF-8.** Legacy CJK text is practically never valid UTF-8
//!    by accident (every non-ASCII GBK character would have to happen to form a
//!    well-formed UTF-8 sequence with its neighbours).
//! 4. **UTF-8 cut short is UTF-8.** If the only defect is an incomplete character
//!    at the very end (a truncated download, a converter that stopped
//!    mid-character), everything before it was valid UTF-8, which by point 3 is
//!    decisive. Without this rule a short truncated text such as `中卫市` minus
//!    its last byte would strictly decode as GB18030 mojibake (`涓...`).
//! 5. **Otherwise GB18030 is weighed against UTF-8.** The input is read as
//!    GB18030 iff
//!    - the GB18030 reading contains CJK characters and has fewer runs of
//!      undecodable bytes than the UTF-8 reading — in particular when a strict
//!      GB18030 decode succeeds (zero runs, while the UTF-8 reading has at least
//!      one); comparing the two error counts also keeps a GBK file with one
//!      damaged byte GB18030 (its UTF-8 reading fails at nearly every Chinese
//!      character) and a UTF-8 file with one damaged byte UTF-8; or
//!    - `chardetng` guesses GBK or GB18030 for the whole input (no top-level
//!      domain, UTF-8 allowed). It is consulted only when the first test does not
//!      already decide, because it is the expensive one (about 0.1 µs per byte);
//!      the outcome is the same as evaluating it first.
//!
//!    Anything else (random bytes, UTF-8 with heavy damage, other legacy
//!    encodings) is read as UTF-8 with replacement, so that every bad byte is
//!    reported where it is.
//!
//! **Why `chardetng`:** it is the detector Firefox uses for unlabelled legacy
//! pages, written and maintained by the author of `encoding_rs` (whose decoders
//! we use, so detector and decoder agree on what GBK is), and designed for
//! exactly this problem — telling legacy CJK encodings apart from each other and
//! from UTF-8 and windows-1252. It is small, has no dictionaries or training
//! data to ship, and is deterministic. The alternatives (ports of `uchardet`
//! or Python's `chardet`, ICU's detector) are larger, statistical over byte
//! frequencies, and not kept in step with the decoders we use.
//!
//! # Offsets
//!
//! The grammar works on the decoded text; spans and diagnostics point into the
//! original bytes. [`OffsetMap`] maps between the two:
//!
//! - input read as valid UTF-8: the identity shifted past the BOM (two words);
//! - everything else: a run-length map. Consecutive characters with the same
//!   (decoded length, original length) pair form one run (`中文` in GB18030 is one
//!   run of (3, 2) characters, an ASCII stretch one run of (1, 1)); valid UTF-8
//!   stretches inside damaged UTF-8 are (1, 1) runs of bytes. A lookup is a binary
//!   search. Run starts are stored as `u32` whenever the input is small enough
//!   (below about 1.4 GB), so a run costs 10 bytes. A report needs a run per
//!   switch between ASCII and Chinese: about half the input size for a 50 MB
//!   GB18030 report (text, map and input together about 3× the input). The
//!   worst case, a run for every character (garbage alternating one- and
//!   two-byte characters or bad and good bytes), costs 10 bytes per character.
//!
//! A U+FFFD that replaces undecodable bytes maps to the first of those bytes and
//! the next character to the byte after them.
//!
//! # Diagnostics
//!
//! Every maximal run of undecodable bytes (adjacent replaced sequences merge)
//! gives one NB001 naming its offset and its bytes in hex (at most 8 shown), up
//! to 20; a 21st NB001 says how many further runs there are. Input that is empty
//! or only whitespace after the BOM gives NB002. UTF-16 read without a byte-order
//! mark, or NUL bytes that may be UTF-16, give NB023 (rule 2 above).
//!
//! Everything is linear in the input: the decoders run over bounded output
//! chunks, so even an input full of malformed sequences costs O(1) per sequence.

use encoding_rs::DecoderResult;

use crate::codes;
use crate::diagnostic::{Diagnostic, Message};
use crate::span::Span;

/// The encoding the input was read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark.
    Utf8Bom,
    /// GB18030 (a superset of GBK and GB2312), with or without its byte-order mark.
    Gb18030,
    /// UTF-16 little-endian, recognised by its byte-order mark `FF FE` or by its
    /// content (then [`crate::Parsed::bom_len`] is 0 and an NB023 note says so).
    Utf16Le,
    /// UTF-16 big-endian, recognised by its byte-order mark `FE FF` or by its content.
    Utf16Be,
}

impl Encoding {
    /// The name used in messages.
    fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 | Encoding::Utf8Bom => "UTF-8",
            Encoding::Gb18030 => "GB18030",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
        }
    }

    /// The `encoding_rs` decoder for this encoding.
    fn decoder_encoding(self) -> &'static encoding_rs::Encoding {
        match self {
            Encoding::Utf8 | Encoding::Utf8Bom => encoding_rs::UTF_8,
            Encoding::Gb18030 => encoding_rs::GB18030,
            Encoding::Utf16Le => encoding_rs::UTF_16LE,
            Encoding::Utf16Be => encoding_rs::UTF_16BE,
        }
    }
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const UTF16LE_BOM: &[u8] = b"\xFF\xFE";
const UTF16BE_BOM: &[u8] = b"\xFE\xFF";
const GB18030_BOM: &[u8] = b"\x84\x31\x95\x33";

/// NB001 diagnostics listed one by one; further runs are summarised in one more.
const MAX_LISTED_RUNS: usize = 20;
/// Bytes shown in hex in an NB001 message.
const MAX_SHOWN_BYTES: usize = 8;
/// Output buffer of one decoder call (bounds the per-call cost).
const OUT_CHUNK: usize = 16 * 1024;

const REPLACEMENT: char = '\u{FFFD}';

// ---------------------------------------------------------------------------
// Offset map
// ---------------------------------------------------------------------------

/// Maps byte offsets of the decoded text to byte offsets of the original input, and back.
///
/// Both directions are monotone, and offsets beyond the end clamp to the end.
/// [`OffsetMap::default`] is the identity.
///
/// For input read as valid UTF-8 the decoded bytes *are* the original bytes,
/// so the map is the identity shifted past the byte-order mark and an offset
/// inside a multi-byte character stays inside it, exactly as in the text.
/// For input read in any other way (GB18030, UTF-16, damaged UTF-8) an offset
/// inside a character, or inside a run of undecodable bytes, maps to the start
/// of that character or of its U+FFFD.
#[derive(Clone, Debug)]
pub struct OffsetMap {
    repr: Repr,
}

#[derive(Clone, Debug)]
enum Repr {
    /// `original = decoded + shift`, with `decoded` clamped to `len`.
    Shift { shift: usize, len: usize },
    /// Run-length map with 32-bit run starts.
    Narrow(Runs<u32>),
    /// Run-length map with 64-bit run starts (inputs above about 1.4 GB).
    Wide(Runs<u64>),
}

impl Default for OffsetMap {
    fn default() -> Self {
        OffsetMap::shifted(0, usize::MAX)
    }
}

impl OffsetMap {
    /// The identity shifted by `shift` bytes, for a decoded text of `len` bytes.
    fn shifted(shift: usize, len: usize) -> Self {
        OffsetMap {
            repr: Repr::Shift { shift, len },
        }
    }

    /// The original byte offset of decoded byte offset `decoded` (a char boundary).
    ///
    /// Offset 0 maps to the end of the byte-order mark and the end of the text
    /// to the end of the input.
    pub fn to_original(&self, decoded: usize) -> usize {
        match &self.repr {
            Repr::Shift { shift, len } => decoded.min(*len).saturating_add(*shift),
            Repr::Narrow(runs) => runs.to_original(decoded),
            Repr::Wide(runs) => runs.to_original(decoded),
        }
    }

    /// The decoded byte offset of original byte offset `original` (an offset
    /// inside a character maps to that character's start, see [`OffsetMap`];
    /// an offset inside the byte-order mark maps to 0).
    pub fn to_decoded(&self, original: usize) -> usize {
        match &self.repr {
            Repr::Shift { shift, len } => original.saturating_sub(*shift).min(*len),
            Repr::Narrow(runs) => runs.to_decoded(original),
            Repr::Wide(runs) => runs.to_decoded(original),
        }
    }
}

/// A run start stored in 32 or 64 bits.
trait Offset: Copy {
    fn from_usize(n: usize) -> Self;
    fn to_usize(self) -> usize;
}

impl Offset for u32 {
    fn from_usize(n: usize) -> Self {
        u32::try_from(n).unwrap_or(u32::MAX)
    }
    fn to_usize(self) -> usize {
        usize::try_from(self).unwrap_or(usize::MAX)
    }
}

impl Offset for u64 {
    fn from_usize(n: usize) -> Self {
        u64::try_from(n).unwrap_or(u64::MAX)
    }
    fn to_usize(self) -> usize {
        usize::try_from(self).unwrap_or(usize::MAX)
    }
}

/// Runs of characters with equal (decoded length, original length).
///
/// Run `i` starts at decoded offset `dec[i]` and original offset `orig[i]`; its
/// characters are `lens[i][0]` decoded and `lens[i][1]` original bytes long; it
/// ends where run `i + 1` (or the text) starts. Struct of arrays: 10 bytes per
/// run with `u32` offsets.
#[derive(Clone, Debug)]
struct Runs<T> {
    dec: Vec<T>,
    orig: Vec<T>,
    lens: Vec<[u8; 2]>,
    dec_end: usize,
    orig_end: usize,
}

impl<T: Offset> Runs<T> {
    fn to_original(&self, decoded: usize) -> usize {
        lookup(
            &self.dec,
            &self.orig,
            &self.lens,
            Direction::ToOriginal,
            decoded,
            (self.dec_end, self.orig_end),
        )
    }

    fn to_decoded(&self, original: usize) -> usize {
        lookup(
            &self.orig,
            &self.dec,
            &self.lens,
            Direction::ToDecoded,
            original,
            (self.orig_end, self.dec_end),
        )
    }
}

#[derive(Clone, Copy)]
enum Direction {
    ToOriginal,
    ToDecoded,
}

/// Maps `x` from the `from` side of the runs to the `to` side: binary search for
/// the run, then whole characters into it. `ends` are (from end, to end).
fn lookup<T: Offset>(
    from: &[T],
    to: &[T],
    lens: &[[u8; 2]],
    direction: Direction,
    x: usize,
    ends: (usize, usize),
) -> usize {
    let (from_end, to_end) = ends;
    if x >= from_end {
        return to_end;
    }
    let after = from.partition_point(|start| start.to_usize() <= x);
    let Some(run) = after.checked_sub(1) else {
        // Before the first run: inside the byte-order mark.
        return to.first().map_or(to_end, |t| t.to_usize().min(to_end));
    };
    let (Some(from_start), Some(to_start), Some(&[dlen, olen])) =
        (from.get(run), to.get(run), lens.get(run))
    else {
        return to_end;
    };
    let (from_step, to_step) = match direction {
        Direction::ToOriginal => (dlen, olen),
        Direction::ToDecoded => (olen, dlen),
    };
    let chars = (x - from_start.to_usize()) / usize::from(from_step).max(1);
    let next = to.get(run + 1).map_or(to_end, |t| t.to_usize());
    to_start
        .to_usize()
        .saturating_add(chars.saturating_mul(usize::from(to_step)))
        .min(next)
}

/// Builds [`Runs`] character by character (or stretch by stretch).
struct RunsBuilder<T> {
    runs: Runs<T>,
    dec: usize,
    orig: usize,
    last: Option<[u8; 2]>,
}

impl<T: Offset> RunsBuilder<T> {
    fn new(orig_start: usize) -> Self {
        RunsBuilder {
            runs: Runs {
                dec: Vec::new(),
                orig: Vec::new(),
                lens: Vec::new(),
                dec_end: 0,
                orig_end: 0,
            },
            dec: 0,
            orig: orig_start,
            last: None,
        }
    }

    /// Appends `count` characters of `dlen` decoded and `olen` original bytes
    /// each, the first starting at original offset `orig_start`.
    fn push(&mut self, orig_start: usize, dlen: usize, olen: usize, count: usize) {
        if count == 0 {
            return;
        }
        debug_assert_eq!(orig_start, self.orig, "characters must tile the input");
        // Never go backwards, whatever a decoder reports.
        let orig_start = orig_start.max(self.orig);
        let lens = [small(dlen), small(olen)];
        if self.last != Some(lens) || orig_start != self.orig {
            self.runs.dec.push(T::from_usize(self.dec));
            self.runs.orig.push(T::from_usize(orig_start));
            self.runs.lens.push(lens);
            self.last = Some(lens);
        }
        self.dec = self.dec.saturating_add(dlen.saturating_mul(count));
        self.orig = orig_start.saturating_add(olen.saturating_mul(count));
    }

    fn finish(mut self, dec_end: usize, orig_end: usize) -> Runs<T> {
        self.runs.dec.shrink_to_fit();
        self.runs.orig.shrink_to_fit();
        self.runs.lens.shrink_to_fit();
        self.runs.dec_end = dec_end;
        self.runs.orig_end = orig_end;
        self.runs
    }
}

/// A character or replaced sequence length as a byte (they are at most 6).
fn small(len: usize) -> u8 {
    debug_assert!(len <= usize::from(u8::MAX));
    u8::try_from(len).unwrap_or(u8::MAX)
}

/// A [`RunsBuilder`] with run starts as narrow as the input allows.
enum MapBuilder {
    Narrow(RunsBuilder<u32>),
    Wide(RunsBuilder<u64>),
}

impl MapBuilder {
    /// A builder for an input of `input_len` bytes whose text starts at `bom_len`.
    fn new(input_len: usize, bom_len: usize) -> Self {
        // Every decoder here writes at most 3 text bytes per input byte
        // (GB18030 0x80 → U+20AC; one bad byte → U+FFFD).
        let fits = input_len
            .checked_mul(3)
            .is_some_and(|n| u32::try_from(n).is_ok());
        if fits {
            MapBuilder::Narrow(RunsBuilder::new(bom_len))
        } else {
            MapBuilder::Wide(RunsBuilder::new(bom_len))
        }
    }

    fn push(&mut self, orig_start: usize, dlen: usize, olen: usize, count: usize) {
        match self {
            MapBuilder::Narrow(b) => b.push(orig_start, dlen, olen, count),
            MapBuilder::Wide(b) => b.push(orig_start, dlen, olen, count),
        }
    }

    fn finish(self, dec_end: usize, orig_end: usize) -> OffsetMap {
        let repr = match self {
            MapBuilder::Narrow(b) => Repr::Narrow(b.finish(dec_end, orig_end)),
            MapBuilder::Wide(b) => Repr::Wide(b.finish(dec_end, orig_end)),
        };
        OffsetMap { repr }
    }
}

// ---------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------

/// The decoded input.
pub(crate) struct Decoded {
    /// The text, without the byte-order mark.
    pub text: String,
    /// The encoding detected.
    pub encoding: Encoding,
    /// Length in original bytes of the byte-order mark (0 when none).
    pub bom_len: usize,
    /// Decoded offsets to original offsets.
    pub map: OffsetMap,
    /// NB001 (undecodable bytes), NB002 (empty input) and NB023 (UTF-16 without
    /// a byte-order mark).
    pub diagnostics: Vec<Diagnostic>,
}

/// Decodes `bytes`, never failing.
pub(crate) fn decode(bytes: &[u8]) -> Decoded {
    let (encoding, bom_len, reading) = read(bytes);
    finish(encoding, bom_len, reading, bytes.len())
}

/// The decoded input of a reading of `input_len` bytes, with NB002 when it is empty.
fn finish(encoding: Encoding, bom_len: usize, reading: Reading, input_len: usize) -> Decoded {
    let Reading {
        text,
        map,
        mut diagnostics,
    } = reading;
    if text.chars().all(char::is_whitespace) {
        diagnostics.push(Diagnostic::new(
            &codes::EMPTY_INPUT,
            Span::new(0, input_len),
            Message::new(
                "输入为空或只有空白",
                "the input is empty or whitespace only",
            ),
        ));
    }
    Decoded {
        text,
        encoding,
        bom_len,
        map,
        diagnostics,
    }
}

/// [`decode`] of bytes the caller no longer needs, with the original bytes when
/// they are not the text. Valid UTF-8 without a byte-order mark — the usual
/// case — becomes the text as it is, without a copy (a large input is never
/// twice in memory).
pub(crate) fn decode_owned(bytes: Vec<u8>) -> (Decoded, Option<Vec<u8>>) {
    // The conditions under which `read` takes `read_without_bom`'s UTF-8 path.
    let plain =
        !bytes.starts_with(UTF8_BOM) && matches!(sniff_utf16(&bytes), (Utf16Guess::No, None));
    let bytes = if plain {
        match String::from_utf8(bytes) {
            Ok(text) => {
                let len = text.len();
                let decoded = finish(
                    Encoding::Utf8,
                    0,
                    Reading {
                        text,
                        map: OffsetMap::shifted(0, len),
                        diagnostics: Vec::new(),
                    },
                    len,
                );
                return (decoded, None);
            }
            Err(e) => e.into_bytes(),
        }
    } else {
        bytes
    };
    let decoded = decode(&bytes);
    let source = (decoded.text.as_bytes() != bytes.as_slice()).then_some(bytes);
    (decoded, source)
}

/// Text, map and NB001 diagnostics of one way of reading the input.
struct Reading {
    text: String,
    map: OffsetMap,
    diagnostics: Vec<Diagnostic>,
}

/// Detects the encoding (see the module documentation) and decodes.
fn read(bytes: &[u8]) -> (Encoding, usize, Reading) {
    if bytes.starts_with(UTF8_BOM) {
        let bom_len = UTF8_BOM.len();
        return (
            Encoding::Utf8Bom,
            bom_len,
            read_utf8(bytes, bom_len, Encoding::Utf8Bom),
        );
    }
    for (bom, encoding) in [
        (UTF16LE_BOM, Encoding::Utf16Le),
        (UTF16BE_BOM, Encoding::Utf16Be),
        (GB18030_BOM, Encoding::Gb18030),
    ] {
        if bytes.starts_with(bom) {
            return (
                encoding,
                bom.len(),
                read_with_decoder(bytes, bom.len(), encoding),
            );
        }
    }
    let (guess, note) = sniff_utf16(bytes);
    match guess {
        Utf16Guess::Read(encoding) => {
            let mut reading = read_with_decoder(bytes, 0, encoding);
            if let Some(note) = note {
                reading.diagnostics.insert(0, note);
            }
            return (encoding, 0, reading);
        }
        Utf16Guess::No => {}
    }
    let (encoding, bom_len, mut reading) = read_without_bom(bytes);
    if let Some(note) = note {
        reading.diagnostics.insert(0, note);
    }
    (encoding, bom_len, reading)
}

/// Rules 3 to 5 of the module documentation: UTF-8, or GB18030 weighed against it.
fn read_without_bom(bytes: &[u8]) -> (Encoding, usize, Reading) {
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            return (
                Encoding::Utf8,
                0,
                Reading {
                    text: text.to_owned(),
                    map: OffsetMap::shifted(0, text.len()),
                    diagnostics: Vec::new(),
                },
            )
        }
        // Valid UTF-8 up to an incomplete last character: cut short.
        Err(error) if error.error_len().is_none() => {
            return (Encoding::Utf8, 0, read_utf8_lossy(bytes, 0, Encoding::Utf8));
        }
        Err(_) => {}
    }
    if prefers_gb18030(bytes) {
        (
            Encoding::Gb18030,
            0,
            read_with_decoder(bytes, 0, Encoding::Gb18030),
        )
    } else {
        (Encoding::Utf8, 0, read_utf8_lossy(bytes, 0, Encoding::Utf8))
    }
}

/// How much of the input [`sniff_utf16`] looks at.
const UTF16_SNIFF_LEN: usize = 64 * 1024;

/// What the beginning of an input without a byte-order mark says about UTF-16.
#[derive(Debug, PartialEq, Eq)]
enum Utf16Guess {
    /// Read it as UTF-16 in this byte order.
    Read(Encoding),
    /// Not UTF-16: the other rules decide.
    No,
}

/// What one byte order's reading of the sniffed bytes looks like.
#[derive(Debug, Default)]
struct Utf16Reading {
    /// Characters (a surrogate pair is one; an unpaired surrogate one).
    chars: usize,
    /// `\n` and `\r`.
    line_breaks: usize,
    /// NUL and other control characters (not tab, form feed or line breaks),
    /// unpaired surrogates and the non-characters U+FFFE and U+FFFF.
    bad: usize,
    /// Characters reports are written in ([`is_report_char`]).
    plausible: usize,
}

impl Utf16Reading {
    /// Reads `bytes` (an even number of them) as UTF-16 in `encoding`'s byte order.
    fn of(bytes: &[u8], encoding: Encoding) -> Self {
        let units = bytes.chunks_exact(2).map(|pair| match (encoding, pair) {
            (Encoding::Utf16Be, [hi, lo]) => u16::from_be_bytes([*hi, *lo]),
            (_, [lo, hi]) => u16::from_le_bytes([*lo, *hi]),
            _ => 0,
        });
        let mut reading = Utf16Reading::default();
        for c in char::decode_utf16(units) {
            reading.chars += 1;
            match c {
                Ok('\n' | '\r') => {
                    reading.line_breaks += 1;
                    reading.plausible += 1;
                }
                Ok(c) if c.is_control() && !matches!(c, '\t' | '\x0C') => reading.bad += 1,
                Ok('\u{FFFE}' | '\u{FFFF}') | Err(_) => reading.bad += 1,
                Ok(c) if is_report_char(c) => reading.plausible += 1,
                Ok(_) => {}
            }
        }
        reading
    }

    /// Reads as text: a line break, at least 90% report characters, at most 2% bad ones.
    fn is_text(&self) -> bool {
        self.line_breaks > 0
            && self.plausible.saturating_mul(10) >= self.chars.saturating_mul(9)
            && self.bad.saturating_mul(50) <= self.chars
    }
}

/// Characters that reports are written in: ASCII, Latin-1 symbols, general
/// punctuation and common symbols (number forms, arrows, box drawing, circled
/// numbers), CJK ideographs and punctuation, full-width forms.
fn is_report_char(c: char) -> bool {
    matches!(c,
        '\t' | '\n' | '\r' | '\x0C' | ' '..='~'
        | '\u{A0}'..='\u{FF}'       // Latin-1 symbols (×, °, ·)
        | '\u{2000}'..='\u{27BF}'   // punctuation, number forms, arrows, box drawing, symbols
        | '\u{2E80}'..='\u{2FDF}'   // CJK radicals
        | '\u{3200}'..='\u{33FF}'   // enclosed CJK (㈠), CJK compatibility (㎡)
        | '\u{FE30}'..='\u{FE4F}'   // CJK compatibility forms
        | '\u{FFFD}'
    ) || is_cjk(c)
}

/// Rule 2 of the module documentation: whether the input (without a byte-order
/// mark) is UTF-16, and the NB023 diagnostic to add (a note when UTF-16 was
/// recognised, a warning when the byte order was guessed or the NUL bytes may be
/// UTF-16 that reads as text in neither byte order).
fn sniff_utf16(bytes: &[u8]) -> (Utf16Guess, Option<Diagnostic>) {
    let head = &bytes[..bytes.len().min(UTF16_SNIFF_LEN) & !1];
    // Most inputs have no NUL byte: found (or not) by a fast search before counting.
    if memchr::memchr(0, head).is_none() {
        return (Utf16Guess::No, None);
    }
    let nuls = head.iter().filter(|&&b| b == 0).count();
    // ASCII read as UTF-16 looks like Chinese: valid UTF-8 is UTF-16 only when
    // NUL bytes are a good part of it (ASCII text in UTF-16 is half NUL bytes).
    let utf8 = match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    };
    if utf8 && nuls.saturating_mul(16) < head.len() {
        return (Utf16Guess::No, None);
    }
    let le = Utf16Reading::of(head, Encoding::Utf16Le);
    let be = Utf16Reading::of(head, Encoding::Utf16Be);
    let span = Span::new(0, 0);
    match (le.is_text(), be.is_text()) {
        (true, false) | (false, true) => {
            let encoding = if le.is_text() {
                Encoding::Utf16Le
            } else {
                Encoding::Utf16Be
            };
            let label = encoding.label();
            let note = Diagnostic::new(
                &codes::UTF16_WITHOUT_BOM,
                span,
                Message::new(
                    format!("输入没有字节顺序标记（BOM），按内容识别为 {label} 并按其读取"),
                    format!(
                        "the input has no byte-order mark (BOM); it was recognised as {label} by its content and read as such"
                    ),
                ),
            );
            (Utf16Guess::Read(encoding), Some(note))
        }
        (true, true) => {
            let encoding = if be.line_breaks > le.line_breaks {
                Encoding::Utf16Be
            } else {
                Encoding::Utf16Le
            };
            let label = encoding.label();
            let warning = Diagnostic::new(
                &codes::UTF16_WITHOUT_BOM,
                span,
                Message::new(
                    format!("输入没有字节顺序标记（BOM），看来是 UTF-16，但两种字节顺序读来都像文字；已按 {label} 读取，如有乱码请另存为带 BOM 的 UTF-16 或 UTF-8"),
                    format!("the input has no byte-order mark (BOM) and looks like UTF-16, but reads as text in both byte orders; it was read as {label}: if the text is garbled, save it as UTF-16 with a BOM or as UTF-8"),
                ),
            )
            .with_severity(crate::diagnostic::Severity::Warning);
            (Utf16Guess::Read(encoding), Some(warning))
        }
        // Half-NUL units, as ASCII in UTF-16 (not NUL padding, `00 00`).
        (false, false) if half_nul_units(head).saturating_mul(10) >= head.len() / 2 => {
            let share = nuls.saturating_mul(100) / head.len().max(1);
            let warning = Diagnostic::new(
                &codes::UTF16_WITHOUT_BOM,
                span,
                Message::new(
                    format!("输入开头的字节中有 {share}% 是 NUL（0 值字节），像没有字节顺序标记（BOM）的 UTF-16，但按 UTF-16LE 和 UTF-16BE 读来都不像文字，未按 UTF-16 读取；可能不是文本文件，或是另存时损坏的 UTF-16"),
                    format!("{share}% of the bytes at the start of the input are NUL (zero bytes), as in UTF-16 without a byte-order mark (BOM), but it reads as text neither as UTF-16LE nor as UTF-16BE, so it was not read as UTF-16: it may not be a text file, or be damaged UTF-16"),
                ),
            )
            .with_severity(crate::diagnostic::Severity::Warning);
            (Utf16Guess::No, Some(warning))
        }
        (false, false) => (Utf16Guess::No, None),
    }
}

/// 16-bit units of `bytes` with exactly one NUL byte.
fn half_nul_units(bytes: &[u8]) -> usize {
    bytes
        .chunks_exact(2)
        .filter(|pair| (pair[0] == 0) != (pair[1] == 0))
        .count()
}

/// Rule 5 of the module documentation, for input that is not valid UTF-8.
fn prefers_gb18030(bytes: &[u8]) -> bool {
    let gb = scan_gb18030(bytes);
    if gb.has_cjk && gb.bad_runs < utf8_bad_runs(bytes) {
        return true;
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let guess = detector.guess(None, true);
    guess == encoding_rs::GBK || guess == encoding_rs::GB18030
}

/// Ideographs, CJK punctuation and full-width forms.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}'     // CJK symbols and punctuation
        | '\u{3400}'..='\u{4DBF}'   // extension A
        | '\u{4E00}'..='\u{9FFF}'   // unified ideographs
        | '\u{F900}'..='\u{FAFF}'   // compatibility ideographs
        | '\u{FF00}'..='\u{FFEF}'   // full-width forms
        | '\u{20000}'..='\u{3FFFF}' // extensions B and later
    )
}

/// Counts maximal runs of adjacent undecodable byte ranges.
#[derive(Default)]
struct RunCounter {
    runs: usize,
    last_end: Option<usize>,
}

impl RunCounter {
    fn add(&mut self, start: usize, end: usize) {
        if self.last_end != Some(start) {
            self.runs += 1;
        }
        self.last_end = Some(end);
    }
}

/// Number of runs of undecodable bytes when `bytes` is read as UTF-8.
fn utf8_bad_runs(bytes: &[u8]) -> usize {
    let mut counter = RunCounter::default();
    let mut pos = 0;
    for chunk in bytes.utf8_chunks() {
        pos += chunk.valid().len();
        let bad = chunk.invalid().len();
        if bad > 0 {
            counter.add(pos, pos + bad);
            pos += bad;
        }
    }
    counter.runs
}

/// What reading the input as GB18030 would give, without keeping the text.
struct Scan {
    bad_runs: usize,
    has_cjk: bool,
}

fn scan_gb18030(bytes: &[u8]) -> Scan {
    let mut counter = RunCounter::default();
    let mut has_cjk = false;
    run_decoder(bytes, 0, encoding_rs::GB18030, |piece| match piece {
        Piece::Text(text) => has_cjk = has_cjk || text.chars().any(is_cjk),
        Piece::Malformed { start, end } => counter.add(start, end),
    });
    Scan {
        bad_runs: counter.runs,
        has_cjk,
    }
}

/// What an `encoding_rs` decoder hands back, in input order.
enum Piece<'s> {
    /// Decoded text.
    Text(&'s str),
    /// A malformed sequence at original bytes `start..end`.
    Malformed { start: usize, end: usize },
}

/// Runs `encoding`'s decoder (without BOM handling) over `bytes[start..]`.
///
/// The output goes through one bounded buffer: `decode_to_string_without_replacement`
/// touches the whole spare capacity of its `String` on every call, so decoding
/// into the growing text would cost O(text) per malformed sequence.
fn run_decoder(
    bytes: &[u8],
    start: usize,
    encoding: &'static encoding_rs::Encoding,
    mut sink: impl FnMut(Piece<'_>),
) {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(OUT_CHUNK);
    let mut pos = start;
    loop {
        out.clear();
        let src = bytes.get(pos..).unwrap_or(&[]);
        let (result, read) = decoder.decode_to_string_without_replacement(src, &mut out, true);
        pos += read;
        if !out.is_empty() {
            sink(Piece::Text(&out));
        }
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => {
                if read == 0 && out.is_empty() {
                    // Cannot happen with an empty 16 KiB buffer; never loop forever.
                    break;
                }
            }
            DecoderResult::Malformed(bad, after) => {
                // `read` counted `after` bytes past the malformed sequence.
                let end = pos.saturating_sub(usize::from(after));
                let start = end.saturating_sub(usize::from(bad));
                sink(Piece::Malformed { start, end });
            }
        }
    }
}

/// Original length of the GB18030 character that decoded to the text at `rest`.
///
/// Only called for bytes the decoder accepted, so the structure is known:
/// one byte below 0x81 (ASCII, and 0x80 for U+20AC), four bytes when the second
/// byte is a digit, two bytes otherwise.
fn gb18030_char_len(rest: &[u8], _: char) -> usize {
    let len = match rest {
        [0x81..=0xFE, 0x30..=0x39, ..] => 4,
        [0x81..=0xFE, ..] => 2,
        _ => 1,
    };
    len.min(rest.len())
}

/// Original length of a UTF-16 character: one or two 16-bit units.
fn utf16_char_len(rest: &[u8], c: char) -> usize {
    (2 * c.len_utf16()).min(rest.len())
}

/// Reads `bytes[bom_len..]` with `encoding`'s `encoding_rs` decoder, building the
/// text and the run-length map in one pass.
fn read_with_decoder(bytes: &[u8], bom_len: usize, encoding: Encoding) -> Reading {
    let char_len: fn(&[u8], char) -> usize = match encoding {
        Encoding::Gb18030 => gb18030_char_len,
        Encoding::Utf16Le | Encoding::Utf16Be => utf16_char_len,
        Encoding::Utf8 | Encoding::Utf8Bom => |_, c| c.len_utf8(),
    };
    let input = bytes.len().saturating_sub(bom_len);
    let mut text = String::with_capacity(input.saturating_add(input / 2));
    let mut map = MapBuilder::new(bytes.len(), bom_len);
    let mut bad = BadRuns::new(bytes, encoding);
    let mut cursor = bom_len;
    run_decoder(
        bytes,
        bom_len,
        encoding.decoder_encoding(),
        |piece| match piece {
            Piece::Text(chunk) => {
                for c in chunk.chars() {
                    let len = char_len(bytes.get(cursor..).unwrap_or(&[]), c);
                    map.push(cursor, c.len_utf8(), len, 1);
                    cursor += len;
                }
                text.push_str(chunk);
            }
            Piece::Malformed { start, end } => {
                debug_assert_eq!(start, cursor, "malformed sequence where the text is");
                let start = start.max(cursor);
                let end = end.max(start + 1);
                text.push(REPLACEMENT);
                map.push(start, REPLACEMENT.len_utf8(), end - start, 1);
                bad.add(start, end);
                cursor = end;
            }
        },
    );
    debug_assert_eq!(cursor, bytes.len(), "characters must tile the input");
    Reading {
        map: map.finish(text.len(), bytes.len()),
        text,
        diagnostics: bad.finish(),
    }
}

/// Reads `bytes[bom_len..]` as UTF-8: the identity map when valid.
fn read_utf8(bytes: &[u8], bom_len: usize, encoding: Encoding) -> Reading {
    let rest = bytes.get(bom_len..).unwrap_or(&[]);
    match std::str::from_utf8(rest) {
        Ok(text) => Reading {
            text: text.to_owned(),
            map: OffsetMap::shifted(bom_len, text.len()),
            diagnostics: Vec::new(),
        },
        Err(_) => read_utf8_lossy(bytes, bom_len, encoding),
    }
}

/// Reads `bytes[bom_len..]` as UTF-8 with replacement (as `String::from_utf8_lossy`):
/// valid stretches map byte for byte, each replaced sequence to its U+FFFD.
fn read_utf8_lossy(bytes: &[u8], bom_len: usize, encoding: Encoding) -> Reading {
    let rest = bytes.get(bom_len..).unwrap_or(&[]);
    let mut text = String::with_capacity(rest.len().saturating_add(16));
    let mut map = MapBuilder::new(bytes.len(), bom_len);
    let mut bad = BadRuns::new(bytes, encoding);
    let mut pos = bom_len;
    for chunk in rest.utf8_chunks() {
        let valid = chunk.valid();
        text.push_str(valid);
        map.push(pos, 1, 1, valid.len());
        pos += valid.len();
        let invalid = chunk.invalid();
        if !invalid.is_empty() {
            text.push(REPLACEMENT);
            map.push(pos, REPLACEMENT.len_utf8(), invalid.len(), 1);
            bad.add(pos, pos + invalid.len());
            pos += invalid.len();
        }
    }
    Reading {
        map: map.finish(text.len(), bytes.len()),
        text,
        diagnostics: bad.finish(),
    }
}

// ---------------------------------------------------------------------------
// NB001
// ---------------------------------------------------------------------------

/// Collects NB001 diagnostics, merging adjacent undecodable ranges into runs.
struct BadRuns<'a> {
    bytes: &'a [u8],
    label: &'static str,
    open: Option<(usize, usize)>,
    runs: usize,
    first_unlisted: Option<Span>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> BadRuns<'a> {
    fn new(bytes: &'a [u8], encoding: Encoding) -> Self {
        BadRuns {
            bytes,
            label: encoding.label(),
            open: None,
            runs: 0,
            first_unlisted: None,
            diagnostics: Vec::new(),
        }
    }

    /// Original bytes `start..end` were replaced by U+FFFD.
    fn add(&mut self, start: usize, end: usize) {
        match self.open {
            Some((open_start, open_end)) if open_end == start => {
                self.open = Some((open_start, end));
            }
            _ => {
                self.close();
                self.open = Some((start, end));
            }
        }
    }

    fn close(&mut self) {
        let Some((start, end)) = self.open.take() else {
            return;
        };
        self.runs += 1;
        let span = Span::new(start, end);
        if self.runs <= MAX_LISTED_RUNS {
            let message = undecodable_message(self.bytes, span, self.label);
            self.diagnostics
                .push(Diagnostic::new(&codes::UNDECODABLE_BYTES, span, message));
        } else if self.first_unlisted.is_none() {
            self.first_unlisted = Some(span);
        }
    }

    fn finish(mut self) -> Vec<Diagnostic> {
        self.close();
        if let Some(span) = self.first_unlisted {
            let more = self.runs - MAX_LISTED_RUNS;
            let (start, label) = (span.start, self.label);
            self.diagnostics.push(Diagnostic::new(
                &codes::UNDECODABLE_BYTES,
                span,
                Message::new(
                    format!(
                        "另有 {more} 处无法解码的字节不再逐一列出，第一处在第 {start} 字节（按 {label} 读取）"
                    ),
                    format!(
                        "{more} more runs of undecodable bytes are not listed; the first is at byte offset {start} (read as {label})"
                    ),
                ),
            ));
        }
        self.diagnostics
    }
}

/// The NB001 message for one run: offset and (up to 8) bytes in hex.
fn undecodable_message(bytes: &[u8], span: Span, label: &str) -> Message {
    let run = bytes.get(span.start..span.end).unwrap_or(&[]);
    let shown = run
        .iter()
        .take(MAX_SHOWN_BYTES)
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(" ");
    let start = span.start;
    if run.len() <= MAX_SHOWN_BYTES {
        Message::new(
            format!("第 {start} 字节处有无法解码的字节 {shown}（按 {label} 读取）"),
            format!("undecodable bytes {shown} at byte offset {start} (read as {label})"),
        )
    } else {
        let n = run.len();
        Message::new(
            format!("第 {start} 字节处有 {n} 个无法解码的字节 {shown} …（按 {label} 读取）"),
            format!("{n} undecodable bytes {shown} … at byte offset {start} (read as {label})"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn gb(text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
        assert!(!unmappable, "GB18030 encodes all of Unicode");
        bytes.into_owned()
    }

    fn nb001(decoded: &Decoded) -> Vec<&Diagnostic> {
        decoded
            .diagnostics
            .iter()
            .filter(|d| d.code == "NB001")
            .collect()
    }

    /// Every char boundary maps to the GB18030 length of the prefix, and back.
    fn assert_gb_map(decoded: &Decoded, source: &str, bom_len: usize) {
        for (i, c) in source
            .char_indices()
            .chain(std::iter::once((source.len(), ' ')))
        {
            let original = bom_len + gb(&source[..i]).len();
            assert_eq!(decoded.map.to_original(i), original, "boundary {i}");
            assert_eq!(decoded.map.to_decoded(original), i, "offset {original}");
            if i < source.len() {
                // Every byte inside the character maps to its start.
                for inside in original..original + gb(&c.to_string()).len() {
                    assert_eq!(decoded.map.to_decoded(inside), i, "inside {c}");
                }
            }
        }
    }

    /// Every character's original bytes decode (strictly) to that character,
    /// or are undecodable bytes behind a U+FFFD. Characters tile the input.
    fn assert_chars_map_back(bytes: &[u8], decoded: &Decoded) {
        let encoding = decoded.encoding.decoder_encoding();
        let mut prev_end = decoded.bom_len;
        for (i, c) in decoded.text.char_indices() {
            let start = decoded.map.to_original(i);
            let end = decoded.map.to_original(i + c.len_utf8());
            assert_eq!(start, prev_end, "characters tile the input");
            assert!(start < end, "every character has bytes");
            let slice = &bytes[start..end];
            let strict = encoding.decode_without_bom_handling_and_without_replacement(slice);
            if c == REPLACEMENT {
                assert!(strict.is_none() || strict.as_deref() == Some("\u{FFFD}"));
            } else {
                assert_eq!(
                    strict.as_deref(),
                    Some(c.to_string().as_str()),
                    "{slice:X?}"
                );
            }
            prev_end = end;
        }
        assert_eq!(prev_end, bytes.len());
    }

    #[test]
    fn utf8_plain() {
        let source = "一、概述\n本报告由某市人民政府办公室编制。\n";
        let decoded = decode(source.as_bytes());
        assert_eq!(decoded.encoding, Encoding::Utf8);
        assert_eq!(decoded.text, source);
        assert_eq!(decoded.bom_len, 0);
        assert!(decoded.diagnostics.is_empty());
        for i in 0..=source.len() {
            assert_eq!(decoded.map.to_original(i), i);
            assert_eq!(decoded.map.to_decoded(i), i);
        }
        assert_eq!(decoded.map.to_original(source.len() + 10), source.len());
        assert_eq!(decoded.map.to_decoded(source.len() + 10), source.len());
    }

    #[test]
    fn utf8_with_bom() {
        let source = "一、概述\r\n";
        let bytes = [UTF8_BOM, source.as_bytes()].concat();
        let decoded = decode(&bytes);
        assert_eq!(decoded.encoding, Encoding::Utf8Bom);
        assert_eq!(decoded.bom_len, 3);
        assert_eq!(decoded.text, source);
        assert!(decoded.diagnostics.is_empty());
        assert_eq!(decoded.map.to_original(0), 3);
        assert_eq!(decoded.map.to_original(3), 6);
        assert_eq!(decoded.map.to_original(source.len()), bytes.len());
        assert_eq!(decoded.map.to_decoded(0), 0);
        assert_eq!(decoded.map.to_decoded(2), 0);
        assert_eq!(decoded.map.to_decoded(6), 3);
        assert_eq!(decoded.map.to_decoded(bytes.len() + 1), source.len());
    }

    #[test]
    fn gb18030_sentence_with_crlf() {
        let source = "中卫市 2017 年政府信息公开工作年度报告\r\n一、概述\r\n（一）主动公开情况：共 12 条。\r\n";
        let bytes = gb(source);
        let decoded = decode(&bytes);
        assert_eq!(decoded.encoding, Encoding::Gb18030);
        assert_eq!(decoded.bom_len, 0);
        assert_eq!(decoded.text, source);
        assert!(decoded.diagnostics.is_empty(), "{:?}", decoded.diagnostics);
        assert_gb_map(&decoded, source, 0);
        // The CR LF after the title: "中卫市" is 6 bytes, " 2017 " 6, then 13
        // characters of two bytes each.
        let cr = source.find('\r').expect("the title ends with CR LF");
        assert_eq!(decoded.map.to_original(cr), 6 + 6 + 26);
        assert_eq!(bytes[38..40], *b"\r\n");
        assert_eq!(decoded.map.to_original(cr + 1), 39);
        assert_eq!(decoded.map.to_original(cr + 2), 40);
        assert_eq!(decoded.map.to_decoded(39), cr + 1);
        assert_eq!(decoded.map.to_original(decoded.text.len()), bytes.len());
        assert_chars_map_back(&bytes, &decoded);
    }

    #[test]
    fn gb18030_four_byte_and_single_byte_characters() {
        // ¥ and 𠀀 are four-byte sequences in GB18030.
        let source = "金额¥12，𠀀字\n";
        let bytes = gb(source);
        assert!(bytes.len() > 2 * source.chars().count() - 4);
        let decoded = decode(&bytes);
        assert_eq!(decoded.encoding, Encoding::Gb18030);
        assert_eq!(decoded.text, source);
        assert_gb_map(&decoded, source, 0);
        // 0x80 alone is U+20AC, one byte.
        let mut with_euro = gb("中文");
        with_euro.push(0x80);
        let decoded = decode(&with_euro);
        assert_eq!(decoded.encoding, Encoding::Gb18030);
        assert_eq!(decoded.text, "中文€");
        assert_eq!(decoded.map.to_original(6), 4);
        assert_eq!(decoded.map.to_original(9), 5);
        assert_chars_map_back(&with_euro, &decoded);
    }

    #[test]
    fn gb18030_byte_order_mark() {
        let source = "年度报告\r\n";
        let bytes = [GB18030_BOM, &gb(source)].concat();
        let decoded = decode(&bytes);
        assert_eq!(decoded.encoding, Encoding::Gb18030);
        assert_eq!(decoded.bom_len, 4);
        assert_eq!(decoded.text, source);
        assert_gb_map(&decoded, source, 4);
    }

    #[test]
    fn gbk_bytes() {
        // "中文" in GBK, written out by hand.
        let decoded = decode(b"\xD6\xD0\xCE\xC4");
        assert_eq!(decoded.encoding, Encoding::Gb18030);
        assert_eq!(decoded.text, "中文");
        assert_eq!(decoded.map.to_original(3), 2);
        assert_eq!(decoded.map.to_decoded(3), 3);
        let source = "政府信息公开工作年度报告\n二、主动公开政府信息情况";
        let (bytes, _, unmappable) = encoding_rs::GBK.encode(source);
        assert!(!unmappable);
        let decoded = decode(&bytes);
        assert_eq!(decoded.encoding, Encoding::Gb18030);
        assert_eq!(decoded.text, source);
        assert!(decoded.diagnostics.is_empty());
        assert_gb_map(&decoded, source, 0);
    }

    #[test]
    fn truncated_utf8() {
        for source in ["中卫市 2017 年政府信息公开工作年度报告", "中卫市"] {
            let bytes = &source.as_bytes()[..source.len() - 1];
            let decoded = decode(bytes);
            assert_eq!(decoded.encoding, Encoding::Utf8, "{source}");
            let cut = source.len() - 3;
            assert_eq!(decoded.text, format!("{}\u{FFFD}", &source[..cut]));
            let diagnostics = nb001(&decoded);
            assert_eq!(diagnostics.len(), 1);
            let diagnostic = diagnostics[0];
            assert_eq!(diagnostic.span, Span::new(cut, cut + 2));
            assert_eq!(diagnostic.severity, crate::diagnostic::Severity::Error);
            let hex = format!("{:02X} {:02X}", bytes[cut], bytes[cut + 1]);
            assert_eq!(
                diagnostic.message.en,
                format!("undecodable bytes {hex} at byte offset {cut} (read as UTF-8)")
            );
            assert_eq!(
                diagnostic.message.zh,
                format!("第 {cut} 字节处有无法解码的字节 {hex}（按 UTF-8 读取）")
            );
            assert_eq!(decoded.map.to_original(cut), cut);
            assert_eq!(decoded.map.to_original(decoded.text.len()), bytes.len());
            assert_eq!(decoded.map.to_decoded(cut + 1), cut);
        }
    }

    #[test]
    fn damaged_utf8_stays_utf8() {
        let source = "根据《中华人民共和国政府信息公开条例》规定，现公布 2017 年度报告。\n";
        let mut bytes = source.as_bytes().to_vec();
        bytes.insert(12, 0xFF);
        let decoded = decode(&bytes);
        assert_eq!(decoded.encoding, Encoding::Utf8);
        let diagnostics = nb001(&decoded);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].span, Span::new(12, 13));
        assert_eq!(decoded.map.to_original(12), 12);
        assert_eq!(decoded.map.to_original(15), 13);
        assert_eq!(decoded.map.to_decoded(13), 15);
    }

    #[test]
    fn invalid_sequence_inside_gb18030_text() {
        let head = "中卫市政府信息公开工作年度报告\r\n";
        let tail = "一、概述\r\n本报告由中卫市人民政府办公室编制。\r\n";
        let at = gb(head).len();
        let bytes = [gb(head), vec![0xFF], gb(tail)].concat();
        let decoded = decode(&bytes);
        assert_eq!(decoded.encoding, Encoding::Gb18030);
        assert_eq!(decoded.text, format!("{head}\u{FFFD}{tail}"));
        let diagnostics = nb001(&decoded);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].span, Span::new(at, at + 1));
        assert_eq!(
            diagnostics[0].message.en,
            format!("undecodable bytes FF at byte offset {at} (read as GB18030)")
        );
        assert_eq!(
            diagnostics[0].message.zh,
            format!("第 {at} 字节处有无法解码的字节 FF（按 GB18030 读取）")
        );
        let fffd = head.len();
        assert_eq!(decoded.map.to_original(fffd), at);
        assert_eq!(decoded.map.to_original(fffd + 3), at + 1);
        assert_eq!(decoded.map.to_decoded(at), fffd);
        assert_eq!(decoded.map.to_decoded(at + 1), fffd + 3);
        assert_chars_map_back(&bytes, &decoded);

        // A lead byte followed by ASCII: only the lead byte is bad.
        let bytes = [gb(head), vec![0xD6], b"2017".to_vec(), gb(tail)].concat();
        let decoded = decode(&bytes);
        assert_eq!(decoded.encoding, Encoding::Gb18030);
        assert_eq!(decoded.text, format!("{head}\u{FFFD}2017{tail}"));
        assert_eq!(nb001(&decoded)[0].span, Span::new(at, at + 1));
        assert_eq!(decoded.map.to_original(fffd + 3), at + 1);
        assert_chars_map_back(&bytes, &decoded);
    }

    #[test]
    fn adjacent_bad_bytes_are_one_run() {
        let decoded = decode(b"abc\xFF\xFEdef");
        assert_eq!(decoded.encoding, Encoding::Utf8);
        assert_eq!(decoded.text, "abc\u{FFFD}\u{FFFD}def");
        let diagnostics = nb001(&decoded);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].span, Span::new(3, 5));
        assert_eq!(
            diagnostics[0].message.en,
            "undecodable bytes FF FE at byte offset 3 (read as UTF-8)"
        );
        assert_eq!(decoded.map.to_original(3), 3);
        assert_eq!(decoded.map.to_original(6), 4);
        assert_eq!(decoded.map.to_original(9), 5);
        assert_eq!(decoded.map.to_decoded(4), 6);
    }

    #[test]
    fn long_run_shows_eight_bytes() {
        let decoded = decode(b"ab\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFFcd");
        let diagnostics = nb001(&decoded);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].span, Span::new(2, 13));
        assert_eq!(
            diagnostics[0].message.en,
            "11 undecodable bytes FF FF FF FF FF FF FF FF … at byte offset 2 (read as UTF-8)"
        );
        assert_eq!(
            diagnostics[0].message.zh,
            "第 2 字节处有 11 个无法解码的字节 FF FF FF FF FF FF FF FF …（按 UTF-8 读取）"
        );
    }

    #[test]
    fn more_than_twenty_runs_are_capped() {
        let bytes: Vec<u8> = (0..25).flat_map(|_| *b"ab\xFF").collect();
        let decoded = decode(&bytes);
        assert_eq!(decoded.encoding, Encoding::Utf8);
        let diagnostics = nb001(&decoded);
        assert_eq!(diagnostics.len(), 21);
        for (i, diagnostic) in diagnostics.iter().take(20).enumerate() {
            assert_eq!(diagnostic.span, Span::new(3 * i + 2, 3 * i + 3));
        }
        assert_eq!(diagnostics[20].span, Span::new(62, 63));
        assert_eq!(
            diagnostics[20].message.en,
            "5 more runs of undecodable bytes are not listed; the first is at byte offset 62 (read as UTF-8)"
        );
        assert!(diagnostics[20].message.zh.starts_with("另有 5 处"));
        assert_eq!(decoded.text.matches('\u{FFFD}').count(), 25);
    }

    #[test]
    fn empty_and_bom_only() {
        let decoded = decode(b"");
        assert_eq!(decoded.text, "");
        assert_eq!(decoded.encoding, Encoding::Utf8);
        assert_eq!(decoded.diagnostics.len(), 1);
        assert_eq!(decoded.diagnostics[0].code, "NB002");
        assert_eq!(decoded.diagnostics[0].span, Span::new(0, 0));
        assert_eq!(
            decoded.diagnostics[0].message,
            Message::new(
                "输入为空或只有空白",
                "the input is empty or whitespace only"
            )
        );

        let decoded = decode(UTF8_BOM);
        assert_eq!(decoded.text, "");
        assert_eq!(decoded.encoding, Encoding::Utf8Bom);
        assert_eq!(decoded.bom_len, 3);
        assert_eq!(decoded.map.to_original(0), 3);
        assert_eq!(decoded.diagnostics.len(), 1);
        assert_eq!(decoded.diagnostics[0].code, "NB002");
        assert_eq!(decoded.diagnostics[0].span, Span::new(0, 3));
    }

    #[test]
    fn whitespace_only() {
        let source = " \t\r\n\u{3000}\u{A0}\n";
        let decoded = decode(source.as_bytes());
        assert_eq!(decoded.diagnostics.len(), 1);
        assert_eq!(decoded.diagnostics[0].code, "NB002");
        assert_eq!(decoded.diagnostics[0].span, Span::new(0, source.len()));

        // Ideographic spaces in GB18030.
        let bytes = gb("\u{3000}\u{3000}\r\n");
        let decoded = decode(&bytes);
        assert_eq!(decoded.encoding, Encoding::Gb18030);
        assert_eq!(decoded.diagnostics.len(), 1);
        assert_eq!(decoded.diagnostics[0].code, "NB002");
        assert_eq!(decoded.diagnostics[0].span, Span::new(0, bytes.len()));

        assert!(decode("　一、概述".as_bytes()).diagnostics.is_empty());
    }

    #[test]
    fn utf16_with_byte_order_mark() {
        let source = "中卫市𠀀 2017\r\n";
        let le: Vec<u8> = source.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = source.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for (bytes, encoding) in [
            ([UTF16LE_BOM, &le].concat(), Encoding::Utf16Le),
            ([UTF16BE_BOM, &be].concat(), Encoding::Utf16Be),
        ] {
            let decoded = decode(&bytes);
            assert_eq!(decoded.encoding, encoding);
            assert_eq!(decoded.bom_len, 2);
            assert_eq!(decoded.text, source);
            assert!(decoded.diagnostics.is_empty());
            for (i, _) in source.char_indices() {
                let units = source[..i].encode_utf16().count();
                assert_eq!(decoded.map.to_original(i), 2 + 2 * units);
            }
            assert_chars_map_back(&bytes, &decoded);
        }
        // A lone trailing byte is undecodable.
        let bytes = [UTF16LE_BOM, &le, &[0x41]].concat();
        let decoded = decode(&bytes);
        assert_eq!(
            nb001(&decoded)[0].span,
            Span::new(bytes.len() - 1, bytes.len())
        );
        assert!(nb001(&decoded)[0]
            .message
            .en
            .ends_with("(read as UTF-16LE)"));
    }

    fn utf16(text: &str, encoding: Encoding) -> Vec<u8> {
        let units = text.encode_utf16();
        match encoding {
            Encoding::Utf16Be => units.flat_map(u16::to_be_bytes).collect(),
            _ => units.flat_map(u16::to_le_bytes).collect(),
        }
    }

    fn nb023(decoded: &Decoded) -> Vec<&Diagnostic> {
        decoded
            .diagnostics
            .iter()
            .filter(|d| d.code == "NB023")
            .collect()
    }

    #[test]
    fn utf16_without_byte_order_mark_is_recognised() {
        // Chinese with full-width indentation (U+3000 is `00 30` in UTF-16LE: NUL
        // bytes in both parities), 一 (U+4E00), a supplementary character, ASCII.
        let sources = [
            "　　一、总体情况\n　　2024年，中卫市𠀀主动公开政府信息1234条。\r\n",
            "Annual report 2024\n",
            "中\n",
        ];
        for source in sources {
            for encoding in [Encoding::Utf16Le, Encoding::Utf16Be] {
                let bytes = utf16(source, encoding);
                let decoded = decode(&bytes);
                assert_eq!(decoded.encoding, encoding, "{source:?}");
                assert_eq!(decoded.bom_len, 0);
                assert_eq!(decoded.text, source);
                assert!(nb001(&decoded).is_empty());
                let notes = nb023(&decoded);
                assert_eq!(notes.len(), 1, "{:?}", decoded.diagnostics);
                assert_eq!(notes[0].severity, crate::diagnostic::Severity::Info);
                assert_eq!(notes[0].span, Span::new(0, 0));
                let label = encoding.label();
                assert!(
                    notes[0].message.en.contains(label),
                    "{}",
                    notes[0].message.en
                );
                assert!(notes[0].message.zh.contains(label));
                for (i, _) in source.char_indices() {
                    let units = source[..i].encode_utf16().count();
                    assert_eq!(decoded.map.to_original(i), 2 * units);
                    assert_eq!(decoded.map.to_decoded(2 * units), i);
                }
                assert_chars_map_back(&bytes, &decoded);
            }
        }
    }

    #[test]
    fn utf16_without_byte_order_mark_keeps_undecodable_bytes_in_place() {
        let mut bytes = utf16(&"年度报告\n".repeat(12), Encoding::Utf16Le);
        // An unpaired high surrogate, then a lone last byte.
        bytes.extend([0x00, 0xD8, 0x41, 0x00, 0x41]);
        let decoded = decode(&bytes);
        assert_eq!(decoded.encoding, Encoding::Utf16Le);
        assert_eq!(
            decoded.text,
            format!("{}\u{FFFD}A\u{FFFD}", "年度报告\n".repeat(12))
        );
        let spans: Vec<Span> = nb001(&decoded).iter().map(|d| d.span).collect();
        assert_eq!(spans, [Span::new(120, 122), Span::new(124, 125)]);
        assert_chars_map_back(&bytes, &decoded);
    }

    #[test]
    fn stray_nul_bytes_do_not_make_utf16() {
        // UTF-8 (even ASCII, which read as UTF-16 looks like Chinese) with a NUL
        // after a line break; NUL padding after UTF-8 text; GB18030 with a NUL.
        let mut ascii = b"Annual report 2024\n\0".to_vec();
        ascii.extend(b"x".repeat(40));
        let mut padded = "中卫市2017年政府信息公开年报\n".as_bytes().to_vec();
        padded.extend([0; 64]);
        let mut gbk = gb("中卫市2017年政府信息公开年报\n");
        gbk.push(0);
        gbk.extend(gb("主动公开信息。\n"));
        for (bytes, encoding) in [
            (ascii, Encoding::Utf8),
            (padded, Encoding::Utf8),
            (gbk, Encoding::Gb18030),
        ] {
            let decoded = decode(&bytes);
            assert_eq!(decoded.encoding, encoding);
            assert!(nb023(&decoded).is_empty(), "{:?}", decoded.diagnostics);
        }
    }

    #[test]
    fn nul_bytes_that_read_as_text_in_neither_byte_order_are_a_warning() {
        // Binary-looking: zeros and bytes that form control characters and
        // unpaired surrogates in both byte orders.
        let bytes: Vec<u8> = [0x00, 0x01, 0xD8, 0x00, 0x00, 0xDC, 0x02, 0x00]
            .repeat(16)
            .to_vec();
        let decoded = decode(&bytes);
        assert!(!matches!(
            decoded.encoding,
            Encoding::Utf16Le | Encoding::Utf16Be
        ));
        let warnings = nb023(&decoded);
        assert_eq!(warnings.len(), 1, "{:?}", decoded.diagnostics);
        assert_eq!(warnings[0].severity, crate::diagnostic::Severity::Warning);
        assert!(
            warnings[0].message.en.contains("NUL"),
            "{}",
            warnings[0].message.en
        );
        assert!(warnings[0].message.en.contains("neither"));
    }

    #[test]
    fn utf16_that_reads_as_text_in_both_byte_orders_is_a_warning() {
        // `0A 00` is a line break in UTF-16LE, `00 0A` in UTF-16BE; `4E 8C` is
        // a Chinese character either way (U+8C4E, U+4E8C).
        let mut bytes = vec![0x0A, 0x00, 0x00, 0x0A];
        bytes.extend([0x4E, 0x8C].repeat(20));
        let decoded = decode(&bytes);
        assert_eq!(decoded.encoding, Encoding::Utf16Le);
        let warnings = nb023(&decoded);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].severity, crate::diagnostic::Severity::Warning);
        assert!(warnings[0].message.en.contains("both byte orders"));
        assert_chars_map_back(&bytes, &decoded);
    }

    #[test]
    fn default_map_is_identity() {
        let map = OffsetMap::default();
        assert_eq!(map.to_original(17), 17);
        assert_eq!(map.to_decoded(17), 17);
        assert_eq!(map.to_original(usize::MAX), usize::MAX);
    }

    #[test]
    fn encoding_names() {
        let names: Vec<String> = [
            Encoding::Utf8,
            Encoding::Utf8Bom,
            Encoding::Gb18030,
            Encoding::Utf16Le,
            Encoding::Utf16Be,
        ]
        .iter()
        .map(|e| serde_json::to_string(e).expect("an enum serialises"))
        .collect();
        assert_eq!(
            names,
            [
                "\"utf8\"",
                "\"utf8-bom\"",
                "\"gb18030\"",
                "\"utf16-le\"",
                "\"utf16-be\""
            ]
        );
    }

    /// Checks the invariants of any decoding of any bytes.
    fn check_invariants(bytes: &[u8]) -> Result<Decoded, TestCaseError> {
        let decoded = decode(bytes);
        let map = &decoded.map;
        let end = decoded.text.len();
        prop_assert_eq!(map.to_original(0), decoded.bom_len);
        prop_assert_eq!(map.to_original(end), bytes.len());
        prop_assert_eq!(map.to_original(end + 5), bytes.len());
        let mut prev = None;
        for i in decoded
            .text
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(end))
        {
            let original = map.to_original(i);
            if let Some(prev) = prev {
                prop_assert!(original > prev, "strictly monotone at {}", i);
            }
            prop_assert_eq!(map.to_decoded(original), i);
            prev = Some(original);
        }
        let mut prev = 0;
        for original in 0..=bytes.len() + 2 {
            let d = map.to_decoded(original);
            prop_assert!(d >= prev && d <= end);
            prev = d;
        }
        let nb001 = nb001(&decoded);
        prop_assert!(nb001.len() <= MAX_LISTED_RUNS + 1);
        for d in &nb001 {
            prop_assert!(d.span.start < d.span.end && d.span.end <= bytes.len());
        }
        if !nb001.is_empty() {
            prop_assert!(decoded.text.contains(REPLACEMENT));
        }
        Ok(decoded)
    }

    /// Bytes that look like GB18030: encoded characters mixed with junk.
    fn gb_like() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop_oneof![
            4 => prop::sample::select(vec!["中", "年", "报", "告", "，", "。", "\r\n", "a", "7", "¥", "𠀀", "€", "\u{FFFD}"])
                .prop_map(gb),
            1 => any::<u8>().prop_map(|b| vec![b]),
            1 => prop::sample::select(vec![
                vec![0x81, 0x30], vec![0x81, 0x30, 0x81], vec![0x81, 0x30, 0x81, 0x41],
                vec![0xD6], vec![0x80], vec![0xFF], vec![0x84, 0x31, 0xA4, 0x37],
            ]),
        ];
        prop::collection::vec(piece, 0..200).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn any_bytes_keep_the_map_consistent(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
            check_invariants(&bytes)?;
        }

        #[test]
        fn gb18030_like_bytes_map_back_character_by_character(bytes in gb_like()) {
            let reading = read_with_decoder(&bytes, 0, Encoding::Gb18030);
            let decoded = Decoded {
                text: reading.text,
                encoding: Encoding::Gb18030,
                bom_len: 0,
                map: reading.map,
                diagnostics: reading.diagnostics,
            };
            assert_chars_map_back(&bytes, &decoded);
            check_invariants(&bytes)?;
        }

        #[test]
        fn utf16_without_byte_order_mark_maps_back_character_by_character(
            encoding in prop::sample::select(vec![Encoding::Utf16Le, Encoding::Utf16Be]),
            pieces in prop::collection::vec(
                prop::sample::select(vec!["中", "年", "报", "告", "一", "　", "，", "、", "1", "a", "\n", "\r\n", "𠀀", "㎡"]),
                0..200,
            ),
        ) {
            // 报 (U+62A5) makes the bytes invalid UTF-8 in either byte order,
            // so the NUL share does not matter.
            let source = format!("{}报告\n", pieces.concat());
            let bytes = utf16(&source, encoding);
            let decoded = check_invariants(&bytes)?;
            prop_assert_eq!(decoded.encoding, encoding);
            prop_assert_eq!(&decoded.text, &source);
            assert_chars_map_back(&bytes, &decoded);
        }

        #[test]
        fn utf16_bytes_map_back_character_by_character(
            bom in prop::sample::select(vec![UTF16LE_BOM, UTF16BE_BOM]),
            body in prop::collection::vec(any::<u8>(), 0..500),
        ) {
            let bytes = [bom, &body].concat();
            let decoded = check_invariants(&bytes)?;
            assert_chars_map_back(&bytes, &decoded);
        }
    }
}
