//! Prints the narrative links of a report: `cargo run -p nianbao-model --example links FILE`.

use std::io::Write;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: links FILE");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    });
    let checked = nianbao_model::check(&bytes);
    let mut out = std::io::stdout().lock();
    for l in &checked.report.links {
        let figure = match l.quantity {
            Some(q) => {
                let q = &checked.report.facts.quantities[q].quantity;
                format!("{}{}", q.value, q.unit.as_deref().unwrap_or(""))
            }
            None => format!("0 ({})", l.zero.as_deref().unwrap_or("")),
        };
        let table: Vec<String> = l
            .cells
            .iter()
            .map(|c| {
                checked.report.tables.get(c).map_or("-".to_string(), |x| {
                    format!("{:?}", x.value).chars().take(40).collect()
                })
            })
            .collect();
        let line = checked.parsed.line_col(l.span.start).line;
        let _ = writeln!(
            out,
            "line {line:>4} {:<28} {:<16} {figure:<10} {:?}",
            l.indicator, l.phrase, l.cells
        );
        let _ = table;
    }
}
