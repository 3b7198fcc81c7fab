//! Allocations of a parse, per KiB of input: `cargo run --release -p nianbao-grammar --example allocs FILE…`.
//!
//! For each file: the full parse (`parse`, the whole tree kept) and the streamed
//! parse a check makes (`parse_streamed`, no tree kept), counted by a global
//! allocator (`stats_alloc`).

use nianbao_grammar::{Node, NodeKind, Span, TextView, TreeSink};
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<std::alloc::System> = &INSTRUMENTED_SYSTEM;

struct NoTree;

impl TreeSink for NoTree {
    fn open(&mut self, _kind: NodeKind, _span: Span, _text: &TextView<'_>) {}
    fn node(&mut self, _node: Node, _text: &TextView<'_>) {}
    fn close(&mut self) {}
}

/// Allocations (new and grown) and bytes allocated by `f`.
fn count(f: impl FnOnce()) -> (usize, usize) {
    let region = Region::new(GLOBAL);
    f();
    let stats = region.change();
    (
        stats.allocations + stats.reallocations,
        stats.bytes_allocated,
    )
}

fn main() {
    let (mut total, mut full, mut streamed) = (0usize, 0usize, 0usize);
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let copy = bytes.clone();
        let (f, _) = count(|| drop(nianbao_grammar::parse(&bytes)));
        let (s, _) = count(|| drop(nianbao_grammar::parse_streamed(copy, &mut NoTree)));
        let kib = bytes.len() as f64 / 1024.0;
        println!(
            "{path}\t{:.0} KiB\tparse {:.1}/KiB\tstreamed {:.1}/KiB",
            kib,
            f as f64 / kib,
            s as f64 / kib
        );
        total += bytes.len();
        full += f;
        streamed += s;
    }
    let kib = total as f64 / 1024.0;
    println!(
        "all\t{:.0} KiB\tparse {:.1}/KiB\tstreamed {:.1}/KiB",
        kib,
        full as f64 / kib,
        streamed as f64 / kib
    );
}
