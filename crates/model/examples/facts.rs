//! Prints the breakdowns and rates of a report: `cargo run -p nianbao-model --example facts FILE`.

use std::io::Write;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: facts FILE");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    });
    let checked = nianbao_model::check(&bytes);
    let f = &checked.report.facts;
    let mut out = std::io::stdout().lock();
    let show = |i: usize| {
        let q = &f.quantities[i].quantity;
        format!("{}{}", q.value, q.unit.as_deref().unwrap_or(""))
    };
    for b in &f.breakdowns {
        let line = checked
            .parsed
            .line_col(f.quantities[b.total].place.span.start)
            .line;
        let parts: Vec<String> = b.parts.iter().map(|&i| show(i)).collect();
        let _ = writeln!(
            out,
            "breakdown line {line}: {} = {}{}",
            show(b.total),
            parts.join(" + "),
            if b.open_ended { " 等" } else { "" }
        );
    }
    for r in &f.rates {
        let line = checked
            .parsed
            .line_col(f.quantities[r.rate].place.span.start)
            .line;
        let _ = writeln!(
            out,
            "rate line {line}: {} = {} / {}",
            show(r.rate),
            show(r.part),
            show(r.whole)
        );
    }
}
