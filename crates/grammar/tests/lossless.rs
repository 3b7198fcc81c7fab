//! The leaves of the tree tile the original input exactly, for every fixture.

use std::path::PathBuf;

use nianbao_grammar::{parse, Node};

fn fixtures() -> Vec<PathBuf> {
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
}

/// Asserts the leaves are contiguous from 0 to the input length and containers cover their children.
pub fn assert_tiles(tree: &Node, len: usize) {
    let mut at = 0;
    for leaf in tree.leaves() {
        assert_eq!(leaf.span.start, at, "gap or overlap before {:?}", leaf);
        assert!(leaf.span.end >= leaf.span.start);
        at = leaf.span.end;
    }
    assert_eq!(at, len, "leaves end before the input does");
    check_cover(tree);
}

fn check_cover(node: &Node) {
    if let (Some(first), Some(last)) = (node.children.first(), node.children.last()) {
        assert_eq!(
            node.span.start, first.span.start,
            "{:?} does not start at its first child",
            node.kind
        );
        assert_eq!(
            node.span.end, last.span.end,
            "{:?} does not end at its last child",
            node.kind
        );
    }
    node.children.iter().for_each(check_cover);
}

#[test]
fn every_fixture_tiles_and_round_trips() {
    let files = fixtures();
    assert!(files.len() >= 10, "fixtures are copied into tests/fixtures");
    for path in files {
        let bytes = std::fs::read(&path).expect("fixture is readable");
        let parsed = parse(&bytes);
        assert_tiles(&parsed.tree, bytes.len());
        assert_eq!(
            parsed.tree_text(),
            bytes,
            "{} does not round-trip",
            path.display()
        );
    }
}

/// Collects what a streamed parse hands out, rebuilding the nodes handed out in
/// parts (`open`, children, `close`).
#[derive(Default)]
struct Collect {
    started: Option<(nianbao_grammar::Span, nianbao_grammar::InputKind)>,
    nodes: Vec<Node>,
    open: Vec<Node>,
    /// Containers handed out in parts.
    opened: usize,
}

impl Collect {
    fn push(&mut self, node: Node) {
        match self.open.last_mut() {
            Some(parent) => parent.children.push(node),
            None => self.nodes.push(node),
        }
    }
}

impl nianbao_grammar::TreeSink for Collect {
    fn start(&mut self, info: &nianbao_grammar::TreeInfo<'_>) {
        assert!(self.nodes.is_empty(), "start comes before any node");
        self.started = Some((info.document, info.input_kind));
    }

    fn open(
        &mut self,
        kind: nianbao_grammar::NodeKind,
        span: nianbao_grammar::Span,
        _text: &nianbao_grammar::TextView<'_>,
    ) {
        self.opened += 1;
        self.open.push(Node {
            kind,
            span,
            children: Vec::new(),
        });
    }

    fn node(&mut self, node: Node, _text: &nianbao_grammar::TextView<'_>) {
        self.push(node);
    }

    fn close(&mut self) {
        let done = self.open.pop().expect("close matches an open");
        self.push(done);
    }
}

#[test]
fn a_streamed_parse_hands_out_the_tree_a_kept_parse_keeps() {
    // Every fixture (Markdown, text, an HTML page), a copy with a byte-order mark,
    // and a GB18030 copy: the nodes handed out are the kept tree's children, with
    // spans in the original bytes, and the rest of the parse is the same.
    for path in fixtures() {
        let bytes = std::fs::read(&path).expect("fixture is readable");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let mut with_bom = "\u{feff}".as_bytes().to_vec();
        with_bom.extend_from_slice(&bytes);
        let gb18030: Vec<u8> = text
            .chars()
            .flat_map(|c| {
                // Only the characters GB18030 shares with ASCII are kept as they are;
                // a GB18030 encoder is not a dependency of this crate, so the test
                // makes the other characters two-byte sequences of the GBK range.
                if c.is_ascii() {
                    vec![c as u8]
                } else {
                    vec![
                        0xB0 + (c as u32 % 0x30) as u8,
                        0xA1 + (c as u32 % 0x5E) as u8,
                    ]
                }
            })
            .collect();
        for (k, input) in [bytes, with_bom, gb18030].into_iter().enumerate() {
            let kept = nianbao_grammar::parse(&input);
            if k == 2 && !text.is_ascii() {
                assert_ne!(
                    kept.encoding,
                    nianbao_grammar::Encoding::Utf8,
                    "{}",
                    path.display()
                );
            }
            let mut sink = Collect::default();
            let streamed = nianbao_grammar::parse_streamed(input.clone(), &mut sink);
            let name = path.display();
            assert!(sink.open.is_empty(), "{name}: every open is closed");
            assert_eq!(sink.nodes, kept.tree.children, "{name}: nodes");
            // Paragraphs and tables go out in parts (an HTML page's nodes go out whole).
            if kept.input_kind == nianbao_grammar::InputKind::Markdown {
                assert!(sink.opened > 0, "{name}: blocks handed out in parts");
            }
            assert_eq!(
                sink.started,
                Some((kept.tree.span, kept.input_kind)),
                "{name}"
            );
            assert!(streamed.tree.children.is_empty(), "{name}: no tree kept");
            assert_eq!(streamed.blocks, kept.blocks, "{name}: blocks");
            assert_eq!(
                streamed.diagnostics, kept.diagnostics,
                "{name}: diagnostics"
            );
            assert_eq!(streamed.source(), input.as_slice(), "{name}: source");
        }
    }
}
