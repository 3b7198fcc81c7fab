//! Prints the logical blocks, outline and diagnostics of a file: `cargo run -p nianbao-grammar --example dump FILE`.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump FILE");
        std::process::exit(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let parsed = nianbao_grammar::parse(&bytes);
    for block in &parsed.blocks {
        match block {
            nianbao_grammar::Block::Para(p) => {
                let lc = parsed.line_col(p.span.start);
                let short: String = p.text.chars().take(60).collect();
                println!("P {:>4} {:?} {short}", lc.line, p.kind);
            }
            nianbao_grammar::Block::Table(t) => {
                let lc = parsed.line_col(t.span().start);
                println!(
                    "T {:>4} {:?} {} rows x {} cols, {} parts",
                    lc.line,
                    t.kind,
                    t.row_count(),
                    t.width(),
                    t.parts.len()
                );
            }
        }
    }
    fn show(parsed: &nianbao_grammar::Parsed, s: &nianbao_grammar::outline::Section, depth: usize) {
        let lc = parsed.line_col(s.title_span.start);
        let title: String = s.title().chars().take(40).collect();
        println!(
            "{:indent$}L{} {} [{}] {title} (line {})",
            "",
            s.level,
            s.marker(),
            s.number,
            lc.line,
            indent = depth * 2
        );
        for c in &s.children {
            show(parsed, c, depth + 1);
        }
    }
    for s in &parsed.outline {
        show(&parsed, s, 0);
    }
    for d in &parsed.diagnostics {
        let lc = parsed.line_col(d.span.start);
        println!(
            "D {} {} line {} col {}: {}",
            d.code,
            d.severity.as_str(),
            lc.line,
            lc.column,
            d.message.zh
        );
    }
}
