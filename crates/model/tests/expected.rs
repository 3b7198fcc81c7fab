//! Every finding on a real report is reviewed: `tests/fixtures/NAME.expected.json`
//! lists each one (code, severity, line, and why a reviewer agrees). A new
//! finding, a lost one, or an entry without a `why` fails this test.

use std::path::PathBuf;

#[derive(serde::Deserialize, Debug)]
struct Expected {
    code: String,
    severity: String,
    line: usize,
    why: Option<String>,
}

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

/// The fixture an expected file belongs to: `NAME.expected.json` → `NAME.md`,
/// `NAME.page.html.expected.json` → `NAME.page.html`.
fn fixture_of(expected: &str) -> String {
    let stem = expected.trim_end_matches(".expected.json");
    if stem.ends_with(".html") || stem.ends_with(".txt") || stem.ends_with(".docx") {
        stem.to_string()
    } else {
        format!("{stem}.md")
    }
}

#[test]
fn findings_on_real_reports_are_the_reviewed_ones() {
    // The published reports, and the Word drafts made of them (`cargo xtask drafts`).
    let mut files: Vec<String> = ["", "drafts/"]
        .iter()
        .flat_map(|dir| {
            std::fs::read_dir(fixtures_dir().join(dir))
                .expect("fixtures dir")
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| n.ends_with(".expected.json"))
                .map(move |n| format!("{dir}{n}"))
        })
        .collect();
    files.sort();
    assert!(files.len() >= 10, "every fixture has its expected findings");
    let mut failures = Vec::new();
    for file in files {
        let text =
            std::fs::read_to_string(fixtures_dir().join(&file)).expect("expected file readable");
        let expected: Vec<Expected> = serde_json::from_str(&text).expect("expected file is JSON");
        for e in &expected {
            assert!(
                e.why.as_deref().is_some_and(|w| w.trim().len() > 10),
                "{file}: {} line {} has no why",
                e.code,
                e.line
            );
        }
        let fixture = fixture_of(&file);
        let bytes = std::fs::read(fixtures_dir().join(&fixture)).expect("fixture readable");
        let checked = nianbao_model::check(&bytes);
        let mut found: Vec<(String, String, usize)> = checked
            .diagnostics
            .iter()
            .map(|d| {
                (
                    d.code.to_string(),
                    d.severity.as_str().to_string(),
                    checked.parsed.line_col(d.span.start).line,
                )
            })
            .collect();
        let mut want: Vec<(String, String, usize)> = expected
            .into_iter()
            .map(|e| (e.code, e.severity, e.line))
            .collect();
        found.sort();
        want.sort();
        if found != want {
            let new: Vec<_> = found.iter().filter(|f| !want.contains(f)).collect();
            let lost: Vec<_> = want.iter().filter(|w| !found.contains(w)).collect();
            failures.push(format!(
                "{fixture}: new findings {new:?}, lost findings {lost:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "findings differ from the reviewed ones:\n{}",
        failures.join("\n")
    );
}
