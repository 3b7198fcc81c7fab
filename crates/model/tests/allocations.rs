//! Allocations of mapping a report's tables, counted by a counting allocator: a
//! mapped cell shares the template's ids and its row's label and unit, so mapping
//! makes far fewer allocations than it maps cells. One test in this binary: the
//! allocator counts every thread's allocations.

use nianbao_grammar::findings::Findings;
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

/// The system allocator, counting.
#[global_allocator]
static ALLOCATOR: &StatsAlloc<std::alloc::System> = &INSTRUMENTED_SYSTEM;

#[test]
fn mapping_a_table_makes_fewer_allocations_than_it_maps_cells() {
    for (fixture, year) in [
        (
            &include_bytes!("../../../tests/fixtures/pingtan-2024.md")[..],
            2024,
        ),
        (
            &include_bytes!("../../../tests/fixtures/zhongwei-2017.md")[..],
            2017,
        ),
    ] {
        let checked = nianbao_model::check(fixture);
        let report = &checked.report;
        let template = nianbao_model::template::find(&report.format, report.variant.as_deref())
            .expect("the fixture's format is recognised");
        let parsed = nianbao_grammar::parse(fixture);
        // Once per template, made by the check above: not counted.
        let mut findings = Findings::default();
        let region = Region::new(ALLOCATOR);
        let mapped = nianbao_model::tables::map(template, &parsed.blocks, Some(year), &mut findings);
        let allocations = region.change().allocations;
        let cells = mapped.cells.len();
        assert!(cells >= 50, "{cells} cells mapped");
        println!("{year}: {allocations} allocations for {cells} mapped cells");
        // Before the cells shared their texts, five strings were made per cell.
        assert!(
            allocations * 2 <= cells * 3,
            "{allocations} allocations for {cells} mapped cells"
        );
    }
}
