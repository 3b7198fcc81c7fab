//! `parse` never fails and never panics: for arbitrary bytes, mutated fixtures,
//! strings built from report tokens and a set of hostile inputs, the leaves tile
//! the input exactly, containers cover their children, the tree gives back every
//! byte and every diagnostic points inside the input.
//!
//! The number of generated cases per property is modest so the file runs quickly
//! in debug mode; set `PROPTEST_CASES` to run more.

use std::path::PathBuf;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Instant;

use nianbao_grammar::{parse, Node, Parsed};
use proptest::prelude::*;

// ---------------------------------------------------------------------------
// Shared checks.
// ---------------------------------------------------------------------------

/// Tests take this lock for reading; the memory measurement takes it for writing
/// so no other test allocates while it reads the peak RSS.
static MEMORY: RwLock<()> = RwLock::new(());

fn shared() -> RwLockReadGuard<'static, ()> {
    MEMORY.read().unwrap_or_else(|e| e.into_inner())
}

fn exclusive() -> RwLockWriteGuard<'static, ()> {
    MEMORY.write().unwrap_or_else(|e| e.into_inner())
}

/// Leaves contiguous from 0 to `len`; leaf kinds have no children; a container
/// covers exactly its children (an empty container covers nothing).
fn assert_tiles(tree: &Node, len: usize) {
    let mut at = 0;
    for leaf in tree.leaves() {
        assert_eq!(
            leaf.span.start, at,
            "gap or overlap before {:?} {:?}",
            leaf.kind, leaf.span
        );
        assert!(
            leaf.span.end >= leaf.span.start,
            "leaf ends before it starts: {:?} {:?}",
            leaf.kind,
            leaf.span
        );
        at = leaf.span.end;
    }
    assert_eq!(at, len, "leaves end at {at}, the input at {len}");
    assert_eq!(tree.span.start, 0, "the document does not start at 0");
    assert_eq!(
        tree.span.end, len,
        "the document does not end at the input's end"
    );
    let mut stack = vec![tree];
    while let Some(node) = stack.pop() {
        if node.kind.is_leaf() {
            assert!(
                node.children.is_empty(),
                "leaf kind {:?} has children",
                node.kind
            );
        }
        match (node.children.first(), node.children.last()) {
            (Some(first), Some(last)) => {
                assert_eq!(
                    node.span.start, first.span.start,
                    "{:?} {:?} does not start at its first child {:?}",
                    node.kind, node.span, first.span
                );
                assert_eq!(
                    node.span.end, last.span.end,
                    "{:?} {:?} does not end at its last child {:?}",
                    node.kind, node.span, last.span
                );
                for pair in node.children.windows(2) {
                    assert_eq!(
                        pair[0].span.end, pair[1].span.start,
                        "children of {:?} are not contiguous: {:?} then {:?}",
                        node.kind, pair[0].span, pair[1].span
                    );
                }
            }
            _ if !node.kind.is_leaf() => assert!(
                node.span.is_empty(),
                "container {:?} {:?} has no children but covers bytes",
                node.kind,
                node.span
            ),
            _ => {}
        }
        stack.extend(node.children.iter());
    }
}

/// All the never-fails assertions; `line_col_limit` bounds how many diagnostics
/// get a line/column look-up (each is linear in its line's length).
fn check_with(input: &[u8], line_col_limit: usize) -> Parsed {
    let parsed = parse(input);
    let len = input.len();
    assert_tiles(&parsed.tree, len);
    assert!(
        parsed.tree_text() == input,
        "tree_text() differs from the input"
    );
    assert!(parsed.source() == input, "source differs from the input");
    for (i, d) in parsed.diagnostics.iter().enumerate() {
        assert!(
            d.span.start <= d.span.end && d.span.end <= len,
            "{} span {:?} outside the input (len {len})",
            d.code,
            d.span
        );
        for r in &d.related {
            assert!(
                r.span.start <= r.span.end && r.span.end <= len,
                "{} related span {:?} outside the input (len {len})",
                d.code,
                r.span
            );
        }
        if i < line_col_limit || i + line_col_limit >= parsed.diagnostics.len() {
            let lc = parsed.line_col(d.span.start);
            assert!(lc.line >= 1 && lc.column >= 1, "{} at {:?}", d.code, lc);
            let lc = parsed.line_col(d.span.end);
            assert!(lc.line >= 1 && lc.column >= 1, "{} at {:?}", d.code, lc);
        }
    }
    parsed
}

fn check(input: &[u8]) -> Parsed {
    check_with(input, usize::MAX)
}

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/fixtures exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name != "README.md" && !name.ends_with(".json") && p.is_file()
        })
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_string();
            (name, std::fs::read(&p).expect("fixture is readable"))
        })
        .collect()
}

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn config(default_cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: cases(default_cases),
        // Failures are reported with their shrunk input; no regression files are written.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------
// (a) arbitrary bytes.
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn arbitrary_bytes_tile(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        let _g = shared();
        check(&bytes);
    }
}

proptest! {
    #![proptest_config(config(128))]

    /// Mostly valid UTF-8 with some ASCII structure, so the decoder does not
    /// reject every input as binary.
    #[test]
    fn arbitrary_strings_tile(s in "(\\PC|\n|\r|\t| |\\||<|>|#|\\*){0,600}") {
        let _g = shared();
        check(s.as_bytes());
    }
}

// ---------------------------------------------------------------------------
// (b) mutated fixtures.
// ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Edit {
    /// Insert bytes at a position (a fraction of the length, in 1/65536ths).
    Insert(u16, Vec<u8>),
    /// Delete up to n bytes at a position.
    Delete(u16, u8),
    /// Replace one byte.
    Replace(u16, u8),
    /// Truncate at a position.
    Truncate(u16),
    /// An edit near the k-th `<` of the input (inside an HTML tag, often a `<table>`).
    InTag(u16, u8, Box<Edit>),
}

fn at(frac: u16, len: usize) -> usize {
    (frac as usize * (len + 1)) >> 16
}

fn apply(bytes: &mut Vec<u8>, edit: &Edit) {
    let len = bytes.len();
    match edit {
        Edit::Insert(p, ins) => {
            let i = at(*p, len);
            bytes.splice(i..i, ins.iter().copied());
        }
        Edit::Delete(p, n) => {
            let i = at(*p, len);
            let end = (i + *n as usize).min(len);
            bytes.drain(i..end);
        }
        Edit::Replace(p, b) => {
            if len > 0 {
                let i = at(*p, len - 1);
                bytes[i] = *b;
            }
        }
        Edit::Truncate(p) => bytes.truncate(at(*p, len)),
        Edit::InTag(k, offset, inner) => {
            let tags: Vec<usize> = bytes
                .iter()
                .enumerate()
                .filter(|&(_, &b)| b == b'<')
                .map(|(i, _)| i)
                .collect();
            if tags.is_empty() {
                return apply(bytes, inner);
            }
            let i = (tags[*k as usize % tags.len()] + *offset as usize % 10).min(len);
            // Re-express the inner edit at exactly position i.
            match inner.as_ref() {
                Edit::Insert(_, ins) => {
                    bytes.splice(i..i, ins.iter().copied());
                }
                Edit::Delete(_, n) => {
                    let end = (i + *n as usize).min(len);
                    bytes.drain(i..end);
                }
                Edit::Replace(_, b) => {
                    if i < len {
                        bytes[i] = *b;
                    }
                }
                Edit::Truncate(_) | Edit::InTag(..) => bytes.truncate(i),
            }
        }
    }
}

fn insert_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 1..8),
        prop::sample::select(TOKENS).prop_map(|t| t.as_bytes().to_vec()),
        // Parts of multi-byte characters: lead bytes, continuation bytes.
        prop::sample::select(vec![
            vec![0xE4u8],
            vec![0xE4, 0xB8],
            vec![0x80],
            vec![0xBF, 0xBF],
            vec![0xF0, 0x9F],
            vec![0xEF, 0xBB, 0xBF],
            vec![0xFF, 0xFE],
            vec![0x81, 0x30],
        ]),
    ]
}

fn basic_edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (any::<u16>(), insert_bytes()).prop_map(|(p, b)| Edit::Insert(p, b)),
        3 => (any::<u16>(), 1..16u8).prop_map(|(p, n)| Edit::Delete(p, n)),
        3 => (any::<u16>(), any::<u8>()).prop_map(|(p, b)| Edit::Replace(p, b)),
        1 => any::<u16>().prop_map(Edit::Truncate),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => basic_edit(),
        1 => (any::<u16>(), any::<u8>(), basic_edit())
            .prop_map(|(k, o, e)| Edit::InTag(k, o, Box::new(e))),
    ]
}

proptest! {
    #![proptest_config(config(96))]

    #[test]
    fn mutated_fixtures_tile(
        which in any::<prop::sample::Index>(),
        gb18030 in prop::bool::weighted(0.2),
        edits in prop::collection::vec(edit(), 1..12),
    ) {
        let _g = shared();
        let all = fixtures();
        let (_, original) = &all[which.index(all.len())];
        let mut bytes = if gb18030 {
            let text = String::from_utf8_lossy(original);
            encoding_rs::GB18030.encode(&text).0.into_owned()
        } else {
            original.clone()
        };
        for e in &edits {
            apply(&mut bytes, e);
        }
        check(&bytes);
    }
}

// ---------------------------------------------------------------------------
// (c) strings built from report tokens.
// ---------------------------------------------------------------------------

const TOKENS: &[&str] = &[
    "\n",
    "\n",
    "\n",
    "\n\n\n\n",
    "|",
    "|",
    "|---|",
    "| --- | :---: |",
    "<table>",
    "<tr>",
    "<td>",
    "<td rowspan=\"3\">",
    "<td colspan=\"2\">",
    "</td>",
    "</tr>",
    "</table>",
    "<br>",
    "<!--",
    "-->",
    "《",
    "》",
    "〈",
    "〉",
    "**",
    "- 1 -",
    "\n- 2 -\n",
    "一、",
    "二、",
    "（一）",
    "（二）",
    "1.",
    "2．",
    "一是",
    "二是",
    "&nbsp;",
    "&amp;",
    "&#12288;",
    "\\_",
    "\\*",
    "\r\n",
    "\r",
    "#",
    "## ",
    "\t",
    "  ",
    "\u{3000}",
    " ",
    "＠",
    "\u{feff}",
    "政府信息公开",
    "年度报告",
    "本机关",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "申请",
    "件",
    "概述",
    "合计",
    "第二十条",
    "%",
    "，",
    "。",
    "；",
    "：",
];

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(TOKENS).prop_map(str::to_string),
        2 => "[\u{4e00}-\u{9fa5}]{1,8}",
        2 => "[0-9]{1,6}(\\.[0-9]{1,2})?",
        1 => "[０-９]{1,3}",
        1 => "[a-z@.]{1,6}",
    ]
}

fn report_like() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "",
            "",
            "",
            "\u{feff}",
            "<!DOCTYPE html><html><body>\n",
        ]),
        prop::collection::vec(token(), 0..300),
    )
        .prop_map(|(prefix, tokens)| {
            let mut s = prefix.to_string();
            for t in tokens {
                s.push_str(&t);
            }
            s
        })
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn report_tokens_tile(s in report_like()) {
        let _g = shared();
        check(s.as_bytes());
    }

    #[test]
    fn report_tokens_in_gb18030_tile(s in report_like(), cut in any::<u16>()) {
        let _g = shared();
        let bytes = encoding_rs::GB18030.encode(&s).0.into_owned();
        check(&bytes);
        // The same, truncated anywhere (often inside a two- or four-byte character).
        let cut = at(cut, bytes.len());
        check(&bytes[..cut]);
    }
}

// ---------------------------------------------------------------------------
// Deterministic hostile inputs.
// ---------------------------------------------------------------------------

/// SplitMix64: a fixed-seed generator, so the "random" bytes are the same every run.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

#[test]
fn random_bytes_fixed_seed() {
    let _g = shared();
    let mut rng = SplitMix(0x6e69_616e_6261_6f21);
    for n in [0, 1, 2, 3, 4, 7, 64, 1000, 4096, 65_536] {
        for _ in 0..4 {
            check(&rng.bytes(n));
        }
    }
    // One larger input, checked once.
    check_with(&rng.bytes(1 << 20), 1000);
    // Random bytes drawn from the structural alphabet.
    let alphabet = b"\n\r\t |-<>/#*\\&;:";
    for _ in 0..32 {
        let bytes: Vec<u8> = (0..2048)
            .map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize])
            .collect();
        check(&bytes);
    }
}

#[test]
fn truncated_utf8() {
    let _g = shared();
    let text = "一、总体情况\n\n本机关2017年共收到政府信息公开申请43件。《中华人民共和国政府信息公开条例》\n";
    let bytes = text.as_bytes();
    // Every prefix: many end inside a three-byte character.
    for cut in 0..=bytes.len() {
        check(&bytes[..cut]);
    }
    // Every suffix: many start with continuation bytes.
    for cut in 0..=bytes.len() {
        check(&bytes[cut..]);
    }
    // A character cut in the middle of the text, and other malformed sequences.
    let middles: &[&[u8]] = &[
        &[0xE4],
        &[0xE4, 0xB8],
        &[0x80],
        &[0x80, 0x80, 0x80],
        &[0xC0, 0xAF],             // overlong '/'
        &[0xED, 0xA0, 0x80],       // an encoded surrogate
        &[0xF4, 0x90, 0x80, 0x80], // above U+10FFFF
        &[0xF0, 0x9F, 0x98],       // a four-byte character cut short
        &[0xFE, 0xFF],
        &[0xEF, 0xBB, 0xBF], // a BOM in the middle
    ];
    for m in middles {
        for split in [0, 6, 30, bytes.len()] {
            let mut input = bytes[..split].to_vec();
            input.extend_from_slice(m);
            input.extend_from_slice(&bytes[split..]);
            check(&input);
        }
    }
}

#[test]
fn invalid_gb18030_inside_gb18030_text() {
    let _g = shared();
    let text = "一、总体情况\n\n本机关2017年共收到政府信息公开申请43件，同比增长13.74%。\n\n| 项目 | 数量 |\n|---|---|\n| 主动公开 | 1,234 |\n";
    let (encoded, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable);
    let encoded = encoded.into_owned();
    assert!(
        std::str::from_utf8(&encoded).is_err(),
        "the GB18030 bytes are not UTF-8"
    );
    check(&encoded);
    let bad: &[&[u8]] = &[
        &[0x81],                   // a lead byte alone
        &[0x81, 0x20],             // a lead byte with an invalid trail byte
        &[0x81, 0x7F],             // 0x7F is never a trail byte
        &[0xFF],                   // never valid
        &[0x80],                   // never valid as a lead byte
        &[0x81, 0x30],             // a four-byte sequence cut after two bytes
        &[0x81, 0x30, 0x81],       // … after three bytes
        &[0x84, 0x31, 0xA5, 0x30], // beyond the four-byte BMP range
        &[0xFE, 0x39, 0xFE, 0x39], // beyond U+10FFFF
        &[0xEF, 0xBB, 0xBF],       // a UTF-8 BOM in the middle
    ];
    // At every character boundary of the encoded text and inside two-byte characters.
    for b in bad {
        for split in (0..=encoded.len()).step_by(3) {
            let mut input = encoded[..split].to_vec();
            input.extend_from_slice(b);
            input.extend_from_slice(&encoded[split..]);
            check(&input);
        }
        // At the very end.
        let mut input = encoded.clone();
        input.extend_from_slice(b);
        check(&input);
    }
    // Every prefix of the encoded text.
    for cut in 0..=encoded.len() {
        check(&encoded[..cut]);
    }
    // A GB18030 fixture with one bad byte every 97 bytes.
    let fixture = fixtures()
        .into_iter()
        .find(|(name, _)| name == "zhongwei-2017.md")
        .expect("zhongwei-2017.md fixture");
    let gb = encoding_rs::GB18030
        .encode(&String::from_utf8_lossy(&fixture.1))
        .0
        .into_owned();
    let mut input = Vec::with_capacity(gb.len() + gb.len() / 97 + 1);
    for (i, &b) in gb.iter().enumerate() {
        if i % 97 == 50 {
            input.push(0xFF);
        }
        input.push(b);
    }
    check(&input);
}

#[test]
fn bom_alone_and_other_boms() {
    let _g = shared();
    let inputs: &[&[u8]] = &[
        &[0xEF, 0xBB, 0xBF],
        &[0xEF, 0xBB, 0xBF, b'\n'],
        &[0xEF, 0xBB, 0xBF, b'\r', b'\n'],
        &[0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF],
        &[0xEF, 0xBB],
        &[0xEF],
        &[0x84, 0x31, 0x95, 0x33], // the GB18030 BOM
        &[0xFF, 0xFE],             // UTF-16 LE BOM
        &[0xFE, 0xFF],             // UTF-16 BE BOM
        &[0xFF, 0xFE, b'a', 0, b'\n', 0],
        &[],
        b"\n",
        b"\r",
        b"\r\n",
        b" ",
        b"\t",
    ];
    for input in inputs {
        check(input);
    }
}

fn read_status_kb(field: &str) -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

#[test]
fn fifty_megabyte_single_line() {
    let _g = exclusive();
    let unit = "本机关全年共受理政府信息公开申请43件，同比增长13.74%，办结率100%；";
    let target = 50 * 1024 * 1024;
    let mut text = String::with_capacity(target + unit.len());
    while text.len() < target {
        text.push_str(unit);
    }
    let bytes = text.into_bytes();
    let len = bytes.len();

    // Reset the peak RSS to the current RSS (Linux ≥ 4.0), so the peak measured
    // is this parse's; without that, fall back to the difference of the peaks.
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let rss_before = read_status_kb("VmRSS:").unwrap_or(0);
    let hwm_before = read_status_kb("VmHWM:").unwrap_or(0);
    let started = Instant::now();
    let parsed = parse(&bytes);
    let parse_time = started.elapsed();
    let hwm_after = read_status_kb("VmHWM:").unwrap_or(0);
    let base = if reset { rss_before } else { hwm_before };
    let growth = hwm_after.saturating_sub(base) * 1024;
    let ratio = growth as f64 / len as f64;
    eprintln!(
        "50 MB line: {len} bytes, parse {:.2?}, peak RSS growth {:.1} MiB = {ratio:.2}× the input \
         (VmRSS before {rss_before} kB, VmHWM before {hwm_before} kB, after {hwm_after} kB, reset {reset})",
        parse_time,
        growth as f64 / (1024.0 * 1024.0),
    );
    let started = Instant::now();
    assert_tiles(&parsed.tree, len);
    assert!(
        parsed.tree_text() == bytes,
        "tree_text() differs from the input"
    );
    for d in &parsed.diagnostics {
        assert!(d.span.start <= d.span.end && d.span.end <= len);
    }
    eprintln!(
        "50 MB line: checks {:.2?}, {} diagnostics",
        started.elapsed(),
        parsed.diagnostics.len()
    );
    if hwm_after > 0 {
        assert!(
            ratio < 12.0,
            "peak RSS grew by {ratio:.2}× the input size ({growth} bytes for {len})"
        );
    }
}

#[test]
fn unbalanced_html() {
    let _g = shared();
    let inputs = [
        "<table><tr><td>",
        "<table><tr><td>\n",
        "<table><tr><td>申请43件",
        "一、概述\n\n<table><tr><td>合计<td>43\n\n二、情况\n",
        "</td></tr>",
        "</td></tr>\n",
        "一、概述\n\n</td></tr>\n</table>\n\n二、情况\n",
        "<table>\n<tr>\n<td rowspan=\"3\">项目\n</table>",
        "<table><tr><td rowspan=\"3\" colspan=\"99999999999999999999\">x</td></tr></table>",
        "<table><tr><td rowspan=\"-1\">x</td></tr></table>",
        "<table><tr><td rowspan=\"0\">x</td></tr></table>",
        "<table><tr><td rowspan=\"65535\" colspan=\"65535\">x</td></tr></table>",
        "<table",
        "<table ",
        "<table><",
        "<table></",
        "<table><tr><td>a</td></tr></table",
        "<table><!--",
        "<!--\n<table>",
        "<!DOCTYPE html><html><body><table><tr><td>",
        "<!DOCTYPE html><html><body></td></tr></table></body></html>",
        "<!DOCTYPE html><html><head><script>",
        "<!DOCTYPE html><html><head><style>",
        "<html>",
        "<table><table><table><tr><td></table>",
        "| a |\n<table>\n| b |\n</table>\n",
    ];
    for input in inputs {
        check(input.as_bytes());
        check(encoding_rs::GB18030.encode(input).0.as_ref());
    }
}

#[test]
fn table_with_ten_thousand_columns() {
    let _g = shared();
    let n = 10_000;
    let mut pipe = String::new();
    for row in 0..3 {
        pipe.push('|');
        for c in 0..n {
            if row == 1 {
                pipe.push_str("---|");
            } else {
                pipe.push_str(&format!(" 第{c}列{row} |"));
            }
        }
        pipe.push('\n');
    }
    let started = Instant::now();
    check_with(pipe.as_bytes(), 100);
    eprintln!(
        "pipe table, {n} columns, {} bytes: {:.2?}",
        pipe.len(),
        started.elapsed()
    );

    let mut html = String::from("<table>\n");
    for row in 0..3 {
        html.push_str("<tr>");
        for c in 0..n {
            html.push_str(&format!("<td>第{c}列{row}</td>"));
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</table>\n");
    let started = Instant::now();
    check_with(html.as_bytes(), 100);
    eprintln!(
        "HTML table, {n} columns, {} bytes: {:.2?}",
        html.len(),
        started.elapsed()
    );
    // The same with a huge colspan on every cell.
    let wide = html.replace("<td>", "<td colspan=\"10000\">");
    check_with(wide.as_bytes(), 100);
}

#[test]
fn fifty_thousand_unclosed_book_title_openers() {
    let _g = shared();
    let started = Instant::now();
    let one_line = "《".repeat(50_000);
    check_with(one_line.as_bytes(), 100);
    let with_text = "《政府信息公开条例".repeat(50_000);
    check_with(with_text.as_bytes(), 100);
    let lines = "《标题\n".repeat(50_000);
    check_with(lines.as_bytes(), 100);
    // Closers first, then openers: nothing pairs.
    let reversed = format!("{}{}", "》".repeat(50_000), "《".repeat(50_000));
    check_with(reversed.as_bytes(), 100);
    eprintln!("50,000 unclosed 《: {:.2?}", started.elapsed());
}

#[test]
fn fifty_thousand_unclosed_table_openers() {
    let _g = shared();
    let started = Instant::now();
    let lines = "<table>\n".repeat(50_000);
    check_with(lines.as_bytes(), 100);
    let with_rows = "<table><tr><td>43\n".repeat(50_000);
    check_with(with_rows.as_bytes(), 100);
    let blank_separated = "<table>\n\n".repeat(50_000);
    check_with(blank_separated.as_bytes(), 100);
    let comments = "<!--\n".repeat(50_000);
    check_with(comments.as_bytes(), 100);
    eprintln!("50,000 unclosed <table>: {:.2?}", started.elapsed());
}

#[test]
fn every_fixture_round_trips_in_both_encodings() {
    let _g = shared();
    for (name, bytes) in fixtures() {
        let parsed = check(&bytes);
        assert!(!parsed.tree.children.is_empty(), "{name} has no blocks");
        let gb = encoding_rs::GB18030
            .encode(&String::from_utf8_lossy(&bytes))
            .0
            .into_owned();
        check(&gb);
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice(&bytes);
        check(&with_bom);
        let crlf = String::from_utf8_lossy(&bytes).replace('\n', "\r\n");
        check(crlf.as_bytes());
    }
}

/// Minimal inputs found by the fuzzer and the properties above.
#[test]
fn fuzz_findings() {
    let _g = shared();
    let inputs: &[&[u8]] = &[
        // Empty tab-separated cells of a plain-text table (leading, trailing, doubled tab).
        b"\ta\n\tb",
        b"a\t\nb\t",
        b"a\t\tb\nc\t\td\n",
        b"\t>\n\t\xe7",
        b"<\r\t\n<\t",
    ];
    for input in inputs {
        check(input);
    }
}
