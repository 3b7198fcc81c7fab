//! Checks a file N times (for profiling): `cargo run --release -p nianbao-model --example check_many FILE N`.

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(path), n) = (
        args.next(),
        args.next()
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or(10),
    ) else {
        eprintln!("usage: check_many FILE [N]");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    });
    let mut findings = 0;
    for _ in 0..n {
        findings += nianbao_model::check(&bytes).diagnostics.len();
    }
    println!("{findings}");
}
