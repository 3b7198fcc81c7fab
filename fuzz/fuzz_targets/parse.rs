//! `nianbao_grammar::parse` on arbitrary bytes: it must not panic, the leaves must
//! tile the input (contiguous from 0 to its length), every container must cover
//! exactly its children, the tree must give back the input byte for byte, and
//! every diagnostic span must lie within the input.

#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao_grammar::{parse, Node};

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
            "leaf {:?} {:?} ends before it starts",
            leaf.kind,
            leaf.span
        );
        at = leaf.span.end;
    }
    assert_eq!(at, len, "leaves end at {at}, the input at {len}");
    let mut stack = vec![tree];
    while let Some(node) = stack.pop() {
        if let (Some(first), Some(last)) = (node.children.first(), node.children.last()) {
            assert_eq!(
                node.span.start, first.span.start,
                "{:?} {:?} does not start at its first child",
                node.kind, node.span
            );
            assert_eq!(
                node.span.end, last.span.end,
                "{:?} {:?} does not end at its last child",
                node.kind, node.span
            );
        }
        stack.extend(node.children.iter());
    }
}

fuzz_target!(|data: &[u8]| {
    let parsed = parse(data);
    assert_tiles(&parsed.tree, data.len());
    assert!(
        parsed.tree_text() == data,
        "tree_text() differs from the input"
    );
    for d in &parsed.diagnostics {
        assert!(
            d.span.start <= d.span.end && d.span.end <= data.len(),
            "{} span {:?} outside the input (len {})",
            d.code,
            d.span,
            data.len()
        );
    }
});
