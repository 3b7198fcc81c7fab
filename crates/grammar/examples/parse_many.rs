//! Parses a file N times (for profiling): `cargo run --release -p nianbao-grammar --example parse_many FILE N`.

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(path), n) = (
        args.next(),
        args.next()
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or(100),
    ) else {
        eprintln!("usage: parse_many FILE [N]");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    });
    let mut leaves = 0;
    for _ in 0..n {
        leaves += nianbao_grammar::parse(&bytes).tree.leaves().count();
    }
    println!("{leaves}");
}
