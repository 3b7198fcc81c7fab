//! The reviewed list of every repair in a fixture: a wrong join or a missed one fails.
//!
//! `tests/fixtures/NAME.repairs.json` lists each repair (line of its primary span,
//! code, and what was repaired), reviewed by reading the fixture at that line.

use std::path::PathBuf;

use nianbao_grammar::parse;

#[derive(serde::Deserialize, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Repair {
    line: usize,
    code: String,
    what: String,
}

fn check(fixture: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let bytes = std::fs::read(dir.join(fixture)).expect("fixture readable");
    let list = std::fs::read_to_string(dir.join(fixture.replace(".md", ".repairs.json")))
        .expect("repairs list");
    let mut expected: Vec<Repair> = serde_json::from_str(&list).expect("repairs list is JSON");
    assert!(
        expected.iter().all(|r| !r.what.trim().is_empty()),
        "every entry says what was repaired"
    );
    let parsed = parse(&bytes);
    let mut found: Vec<(usize, String)> = parsed
        .diagnostics
        .iter()
        .filter(|d| {
            d.code
                .as_bytes()
                .get(3)
                .is_some_and(|&b| b == b'1' || b == b'2')
        })
        .map(|d| (parsed.line_col(d.span.start).line, d.code.to_string()))
        .collect();
    found.sort();
    expected.sort();
    let expected: Vec<(usize, String)> = expected.into_iter().map(|r| (r.line, r.code)).collect();
    assert_eq!(
        found, expected,
        "{fixture}: repairs differ from the reviewed list"
    );
}

#[test]
fn zhongwei_2017_repairs_are_the_reviewed_ones() {
    check("zhongwei-2017.md");
}

#[test]
fn huaian_2024_repairs_are_the_reviewed_ones() {
    check("huaian-2024.md");
}
