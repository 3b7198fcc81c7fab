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
