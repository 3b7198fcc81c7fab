//! `cargo xtask copies [DIR]`: the copied share of every year-over-year pair of a
//! corpus (the same issuer, consecutive years, every form of each report), and
//! for each report the closest other report of the corpus, as the NB605–NB607
//! comparisons compute them (`nianbao_model::copies`), in Markdown tables.

use std::path::Path;

use nianbao_model::copies::{compare, Comparison, TextPrint, DEFAULT_THRESHOLD};
use nianbao_model::cross::issuer_key;

/// One checked report of the corpus.
struct Entry {
    file: String,
    issuer: Option<String>,
    key: Option<(String, i32)>,
    print: TextPrint,
}

fn section(c: &Comparison) -> String {
    match c.most_copied() {
        Some(s) if s.own > 0 => {
            let name = if s.heading.is_empty() {
                "（正文开头）"
            } else {
                s.heading.as_str()
            };
            format!("{name} {}%", s.shared * 100 / s.own)
        }
        _ => "—".to_string(),
    }
}

/// The tables of the corpus in `dir` (its `MANIFEST.tsv` lists the files).
pub fn run(dir: &Path) -> anyhow::Result<()> {
    let manifest = xtask::corpus::manifest(dir);
    let mut entries = Vec::new();
    for file in manifest.keys() {
        let bytes = std::fs::read(dir.join(file))?;
        let checked = nianbao_model::check(&bytes);
        let issuer = checked.report.issuer().map(str::to_string);
        let key = issuer.as_deref().map(issuer_key).zip(checked.report.year());
        entries.push(Entry {
            file: file.clone(),
            issuer,
            key,
            print: TextPrint::of(&checked),
        });
    }
    println!("## Year over year (threshold {DEFAULT_THRESHOLD}%)\n");
    println!("| issuer | year | previous | report | previous report | own chars | share | most-copied section |");
    println!("|---|---|---|---|---|---|---|---|");
    for cur in &entries {
        let Some((issuer, year)) = &cur.key else {
            continue;
        };
        for prev in &entries {
            if prev.key.as_ref() != Some(&(issuer.clone(), year - 1)) {
                continue;
            }
            let c = compare(&cur.print, &prev.print);
            let mark = if c.at_least(DEFAULT_THRESHOLD) {
                " ⚠"
            } else {
                ""
            };
            println!(
                "| {} | {year} | {} | {} | {} | {} | {}%{mark} | {} |",
                cur.issuer.as_deref().unwrap_or("?"),
                year - 1,
                cur.file,
                prev.file,
                c.own,
                c.percent(),
                section(&c)
            );
        }
    }
    println!(
        "\n## Closest other report (not the same issuer's adjacent year or the same report)\n"
    );
    println!("| report | closest | share | most-copied section |");
    println!("|---|---|---|---|");
    for cur in &entries {
        let mut best: Option<(&Entry, Comparison)> = None;
        for other in &entries {
            if std::ptr::eq(other, cur) {
                continue;
            }
            if let (Some((a, ya)), Some((b, yb))) = (&cur.key, &other.key) {
                if a == b && (ya - yb).abs() <= 1 {
                    continue;
                }
            }
            let c = compare(&cur.print, &other.print);
            if best.as_ref().is_none_or(|(_, b)| c.shared > b.shared) {
                best = Some((other, c));
            }
        }
        if let Some((other, c)) = best {
            let mark = if c.at_least(DEFAULT_THRESHOLD) {
                " ⚠"
            } else {
                ""
            };
            println!(
                "| {} | {} | {}%{mark} | {} |",
                cur.file,
                other.file,
                c.percent(),
                section(&c)
            );
        }
    }
    Ok(())
}
