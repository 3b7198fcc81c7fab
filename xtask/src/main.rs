//! `cargo xtask`: codegen, corpus runs, benchmarks.

fn main() {
    eprintln!("usage: cargo xtask <task>");
}
