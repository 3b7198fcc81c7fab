//! The corpus of real reports (`tests/corpus`) against its reviewed baseline.
//!
//! Every `warning` and `error` the checker raises on the corpus is listed in
//! `tests/corpus/baseline.json` with a reviewer's verdict (`agree` or
//! `false-alarm`) and why. A change that adds or removes a finding on a real
//! report fails here until the baseline is reviewed again
//! (`cargo xtask corpus --diff`, then `--bless` and a verdict for each new line).

use std::path::Path;

use xtask::corpus::{check_document, diff, findings_of, manifest, rows, Baseline};

fn corpus() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/corpus"))
}

#[test]
fn the_corpus_run_matches_its_reviewed_baseline() {
    let document = check_document(Path::new(env!("CARGO_BIN_EXE_nianbao")), corpus())
        .expect("nianbao checks the corpus");
    let found = findings_of(&document, corpus()).expect("a check document");
    let baseline = Baseline::read(corpus()).expect("the baseline reads");
    let d = diff(&found, &baseline);
    let show = |f: &xtask::corpus::Finding| {
        format!(
            "{}:{} {} {} “{}” {}",
            f.file, f.line, f.severity, f.code, f.text, f.message
        )
    };
    assert!(
        d.is_empty(),
        "the corpus run differs from tests/corpus/baseline.json (run `cargo xtask corpus --diff`):\nadded:\n{}\nremoved:\n{}",
        d.added.iter().map(show).collect::<Vec<_>>().join("\n"),
        d.removed.iter().map(|r| show(&r.finding)).collect::<Vec<_>>().join("\n"),
    );
    // Every line was reviewed, with a reason a reviewer would accept.
    for r in &baseline.findings {
        assert!(
            matches!(r.verdict.as_str(), "agree" | "false-alarm") && r.why.chars().count() >= 20,
            "unreviewed baseline line: {}",
            show(&r.finding)
        );
    }
    // The precision bar of the corpus: no false alarm, error or warning.
    let false_alarms: Vec<_> = baseline
        .findings
        .iter()
        .filter(|r| r.verdict == "false-alarm")
        .collect();
    assert!(
        false_alarms.is_empty(),
        "false alarms on real reports: {}",
        false_alarms
            .iter()
            .map(|r| show(&r.finding))
            .collect::<Vec<_>>()
            .join("; ")
    );
    // The whole corpus is there.
    let reports = document["reports"].as_array().map_or(0, Vec::len);
    assert_eq!(reports, 71);
    // The tables bar: on every report whose tables can be read, at least 98% of
    // the numbers its statistics tables print are read into template cells.
    let rows = rows(&document, corpus());
    let short: Vec<String> = rows
        .iter()
        .filter(|r| r.cells.0 * 100 < r.cells.1 * 98)
        .map(|r| format!("{} {}/{}", r.file, r.cells.0, r.cells.1))
        .collect();
    assert!(
        short.is_empty(),
        "reports below 98% of printed cells: {short:?}"
    );
    // The reports with readable tables are all there (each HTML report prints its tables).
    let readable = rows.iter().filter(|r| r.cells.1 > 0).count();
    assert_eq!(readable, 19);
    // Format, year and issuer as the manifest has them, on every report, also
    // without a title line. One report names itself only without its zone
    // (`苏平片区管理局`, never `平潭综合实验区苏平片区管理局`): that is the name read.
    let manifest = manifest(corpus());
    let mut wrong = Vec::new();
    for r in &rows {
        let m = &manifest[&r.file];
        if r.format != m.format || r.year != m.year {
            wrong.push(format!("{}: {} {:?}", r.file, r.format, r.year));
        }
        if r.issuer.as_deref() != Some(m.issuer.as_str()) {
            wrong.push(format!("{}: {:?}", r.file, r.issuer));
        }
    }
    assert_eq!(
        wrong,
        ["html/pingtan-supingpianqu-2023.body.html: Some(\"苏平片区管理局\")"],
        "format, year or issuer read wrong"
    );
}
