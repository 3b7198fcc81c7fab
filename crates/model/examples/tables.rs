//! Prints the mapped statistics of a report: `cargo run -p nianbao-model --example tables FILE`.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: tables FILE");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    });
    let checked = nianbao_model::check(&bytes);
    println!(
        "format {} found {:?}",
        checked.report.format, checked.report.tables.found
    );
    for c in &checked.report.tables.cells {
        println!("{:<10} {:<45} {:?} {:?}", c.table, c.id(), c.unit, c.value);
    }
}
