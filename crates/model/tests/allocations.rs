//! Allocations of mapping a report's tables, counted by a counting allocator: a
//! mapped cell shares the template's ids and its row's label and unit, and the
//! printed labels are normalized into one arena, so mapping makes about one
//! allocation per mapped cell. One test in this binary: the allocator counts every
//! thread's allocations.

use nianbao_grammar::findings::Findings;
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

/// The system allocator, counting.
#[global_allocator]
static ALLOCATOR: &StatsAlloc<std::alloc::System> = &INSTRUMENTED_SYSTEM;

#[test]
fn mapping_a_table_makes_fewer_allocations_than_it_maps_cells() {
    let fixture = include_bytes!("../../../tests/fixtures/pingtan-2024.md");
    let checked = nianbao_model::check(fixture);
    let report = &checked.report;
    let template = nianbao_model::template::find(&report.format, report.variant.as_deref())
        .expect("the fixture's format is recognised");
    let parsed = nianbao_grammar::parse(fixture);
    // What is made once per template was made by the check above: not counted.
    let mut findings = Findings::default();
    let region = Region::new(ALLOCATOR);
    let mapped = nianbao_model::tables::map(template, &parsed.blocks, report.year(), &mut findings);
    let allocations = region.change().allocations;
    let cells = mapped.cells.len();
    assert!(cells >= 150, "{cells} cells mapped");
    // Five strings a cell (its ids, label and unit copied) would be five times
    // the cells; the labels normalized one by one, three allocations each, more
    // than twice. Shared, they are about one allocation a cell, all included.
    assert!(
        allocations * 2 <= cells * 3,
        "{allocations} allocations for {cells} mapped cells"
    );
}
