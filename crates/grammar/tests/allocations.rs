//! What a check's parse allocates, counted by a counting global allocator: the
//! streamed parse (no tree kept, as `nianbao check` parses) of the fixtures stays
//! under a bound per KiB of input, and the rows and cells of a table cost no
//! allocation of their own. Allocation counts do not depend on the machine: they
//! fail only when the code allocates more.
//!
//! One test in this file: the allocator counts for the whole process, so no other
//! test may run beside it.

use std::alloc::System;
use std::path::PathBuf;

use nianbao_grammar::{parse_streamed, Node, NodeKind, Span, TextView, TreeSink};
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Counts the nodes it is handed, keeps none (and allocates nothing).
#[derive(Default)]
struct CountNodes {
    nodes: usize,
}

impl TreeSink for CountNodes {
    fn open(&mut self, _kind: NodeKind, _span: Span, _text: &TextView<'_>) {
        self.nodes += 1;
    }
    fn node(&mut self, _node: Node, _text: &TextView<'_>) {
        self.nodes += 1;
    }
    fn close(&mut self) {}
}

/// Allocations (new blocks and blocks grown) of a streamed parse of `bytes`, and
/// the nodes it handed out. The same input is parsed once before, uncounted: what
/// a process makes once, when a parse first needs it (tables of names, automata),
/// is not counted.
fn streamed(bytes: Vec<u8>) -> (usize, usize) {
    drop(parse_streamed(bytes.clone(), &mut CountNodes::default()));
    let mut sink = CountNodes::default();
    let region = Region::new(GLOBAL);
    let parsed = parse_streamed(bytes, &mut sink);
    let stats = region.change();
    drop(parsed);
    (stats.allocations + stats.reallocations, sink.nodes)
}

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_streamed_parse_allocates_a_bounded_number_per_kib_and_none_per_table_row() {
    // The fixtures: each under 90 allocations per KiB (they took 60 to 213 when a
    // table's rows and cells and each line of text had lists of their own), all
    // together under 35 (were 79).
    let names = [
        "huaian-2024.md",
        "pingtan-2018.md",
        "pingtan-2023.md",
        "pingtan-2024.md",
        "pingtan-2025.md",
        "pingtan-caizhengjinrongju-2020.md",
        "pingtan-caizhengjinrongju-2025.md",
        "zhongwei-2017.md",
        "pingtan-2023.page.html",
        "pingtan-2023.page.txt",
    ];
    let (mut total_bytes, mut total_allocs) = (0, 0);
    for name in names {
        let bytes = fixture(name);
        let len = bytes.len();
        let (allocs, _) = streamed(bytes);
        let per_kib = allocs as f64 * 1024.0 / len as f64;
        eprintln!("{name}: {per_kib:.1} allocations per KiB");
        assert!(per_kib < 90.0, "{name}: {per_kib:.1} allocations per KiB");
        total_bytes += len;
        total_allocs += allocs;
    }
    let per_kib = total_allocs as f64 * 1024.0 / total_bytes as f64;
    assert!(per_kib < 35.0, "fixtures: {per_kib:.1} allocations per KiB");

    // A table of 10,000 rows, as a pipe table, a plain-text table and an HTML
    // table in Markdown: its nodes go out leaf by leaf and its cells into packed
    // records, so what it allocates grows with the storage's doublings, not with
    // its rows (fewer than one allocation per fifty rows; there were several a row).
    let rows = 10_000;
    let tables = [
        (
            "pipe",
            format!(
                "| 项目 | 数量 |\n|---|---|\n{}",
                "| 收到申请 | 43 |\n".repeat(rows)
            ),
        ),
        ("text", "收到申请\t43\t件\n".repeat(rows)),
        (
            "html",
            format!(
                "表一\n\n<table>\n{}</table>\n",
                "<tr><td>收到申请</td><td>43</td></tr>\n".repeat(rows)
            ),
        ),
    ];
    for (kind, text) in tables {
        let (allocs, nodes) = streamed(text.into_bytes());
        eprintln!("{kind} table of {rows} rows: {nodes} nodes, {allocs} allocations");
        assert!(nodes > rows * 5, "{kind}: {nodes} nodes");
        assert!(
            allocs < rows / 50,
            "{kind} table of {rows} rows ({nodes} nodes): {allocs} allocations"
        );
    }
}
