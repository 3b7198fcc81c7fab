//! Parses a file N times (for profiling): `cargo run --release -p nianbao-grammar --example parse_many FILE N`.
//!
//! With `--pulldown-cmark` after N, the same file is read N times by pulldown-cmark
//! instead (every extension, its events consumed, as the bench does): the two
//! counted by the same profiler (`valgrind --tool=callgrind`) give instructions per
//! byte side by side.

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(path), n) = (
        args.next(),
        args.next()
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or(100),
    ) else {
        eprintln!("usage: parse_many FILE [N] [--pulldown-cmark]");
        std::process::exit(2);
    };
    let pulldown = args.next().as_deref() == Some("--pulldown-cmark");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    });
    let mut count = 0;
    if pulldown {
        let text = String::from_utf8_lossy(&bytes);
        for _ in 0..n {
            count += pulldown_cmark::Parser::new_ext(&text, pulldown_cmark::Options::all()).count();
        }
    } else {
        for _ in 0..n {
            count += nianbao_grammar::parse(&bytes).tree.leaves().count();
        }
    }
    println!("{count}");
}
