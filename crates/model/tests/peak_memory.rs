//! The heap a check holds at its peak, counted by an allocator that keeps the
//! live total and its maximum (deterministic, unlike the process's peak RSS that
//! `cargo xtask pathological` reads): a long table stays within a few times its
//! input. One test in this binary: the allocator counts every thread's heap.

use peak_alloc::PeakAlloc;

/// The system allocator, keeping the live bytes and their peak.
#[global_allocator]
static ALLOCATOR: PeakAlloc = PeakAlloc;

/// The peak of live heap bytes while `f` runs, above what was live before it.
fn peak_of(f: impl FnOnce()) -> usize {
    let before = ALLOCATOR.current_usage();
    ALLOCATOR.reset_peak_usage();
    f();
    ALLOCATOR.peak_usage() - before
}

#[test]
fn a_long_table_is_checked_within_a_few_times_its_input() {
    // A tab-separated table of 100,000 rows under the 2021 headers, pasted from
    // Word: the table's labels are scored against the template's tables. One key
    // per cell for that (32 bytes, twice a row of 11 bytes) held it at 10× its input.
    let mut input = String::from("某市2024年政府信息公开工作年度报告\n\n信息内容\t本年制发件数\n");
    for _ in 0..100_000 {
        input.push_str("规章\t0\n");
    }
    let input = input.into_bytes();
    let len = input.len();
    let peak = peak_of(|| {
        let checked = nianbao_model::check_owned(input);
        assert_eq!(checked.report.format, "national-2021");
    });
    let times = peak as f64 / len as f64;
    assert!(
        times <= 5.0,
        "peak heap {peak} bytes, {times:.1}× the input of {len}"
    );
}
