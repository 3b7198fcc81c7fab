//! Every finding speaks both languages: a Chinese message (the users' language) and an English one.

use std::path::PathBuf;

fn inputs() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file() && !p.to_string_lossy().ends_with(".json") && !p.ends_with("README.md")
        })
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read(&p).expect("readable"),
            )
        })
        .collect();
    // Inputs that make the input findings speak too.
    out.push(("empty".into(), Vec::new()));
    out.push(("bad bytes".into(), vec![0xff, 0xfe, b'a', 0x80]));
    out.push(("not a report".into(), b"hello world".to_vec()));
    out.push((
        "bad date".into(),
        "一、概述\n\n2017年13月，印发《通知》（卫政办发[2017]97号）。\n"
            .as_bytes()
            .to_vec(),
    ));
    out
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn every_message_has_both_languages() {
    let mut seen = std::collections::BTreeSet::new();
    for (name, bytes) in inputs() {
        let checked = nianbao_model::check(&bytes);
        for d in &checked.diagnostics {
            seen.insert(d.code);
            assert!(
                has_cjk(&d.message.zh),
                "{name}: {} has no Chinese message: {:?}",
                d.code,
                d.message
            );
            assert!(
                d.message.en.chars().any(|c| c.is_ascii_alphabetic()),
                "{name}: {} has no English message",
                d.code
            );
            assert_ne!(d.message.zh, d.message.en, "{name}: {}", d.code);
            for r in &d.related {
                assert!(
                    !r.label.zh.is_empty() && !r.label.en.is_empty(),
                    "{name}: {} has a related span without a label",
                    d.code
                );
            }
        }
    }
    assert!(seen.len() >= 15, "the inputs exercise many rules: {seen:?}");
}

#[test]
fn every_rule_of_the_catalog_has_both_summaries() {
    for c in nianbao_model::catalog() {
        assert!(has_cjk(c.summary_zh), "{}", c.code);
        assert!(
            c.summary_en.chars().any(|ch| ch.is_ascii_alphabetic()),
            "{}",
            c.code
        );
    }
}
