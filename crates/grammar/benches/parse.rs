//! Throughput of `nianbao_grammar::parse` against pulldown-cmark on the same bytes.
//!
//! One group per input; in each, `nianbao` is the full parse (decode, tree,
//! logical view, repairs, outline) and `pulldown-cmark` a CommonMark parse with
//! every extension, its event iterator consumed to the end.
//!
//! Run: `cargo bench -p nianbao-grammar --bench parse`.

use std::path::PathBuf;
use std::time::Duration;

use criterion::{black_box, criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use pulldown_cmark::{Options, Parser};

fn fixture() -> Vec<u8> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/zhongwei-2017.md");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn repeat(bytes: &[u8], n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() * n + n);
    for _ in 0..n {
        out.extend_from_slice(bytes);
        if out.last() != Some(&b'\n') {
            out.push(b'\n');
        }
    }
    out
}

/// One line of about `size` bytes of Chinese text with numbers.
fn long_line(size: usize) -> Vec<u8> {
    let unit = "本机关全年共受理政府信息公开申请43件，同比增长13.74%，办结率100%；";
    let mut s = String::with_capacity(size + unit.len());
    while s.len() < size {
        s.push_str(unit);
    }
    s.push('\n');
    s.into_bytes()
}

fn small_pipe_tables(n: usize) -> Vec<u8> {
    "| 项目 | 数量 |\n|---|---|\n| 收到申请 | 43 |\n\n"
        .repeat(n)
        .into_bytes()
}

fn inputs() -> Vec<(&'static str, Vec<u8>)> {
    let fixture = fixture();
    vec![
        ("zhongwei-2017", fixture.clone()),
        ("zhongwei-2017x16", repeat(&fixture, 16)),
        ("zhongwei-2017x256", repeat(&fixture, 256)),
        ("line-4MiB", long_line(4 << 20)),
        ("pipe-tables-10000", small_pipe_tables(10_000)),
        (
            "unclosed-book-title-50000",
            "《".repeat(50_000).into_bytes(),
        ),
        (
            "unclosed-table-50000",
            "<table>\n".repeat(50_000).into_bytes(),
        ),
    ]
}

fn bench(c: &mut Criterion) {
    for (name, bytes) in inputs() {
        let text = std::str::from_utf8(&bytes).expect("bench inputs are UTF-8");
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        if bytes.len() > 1 << 20 {
            group.sampling_mode(SamplingMode::Flat);
            group.sample_size(10);
            group.warm_up_time(Duration::from_secs(1));
            group.measurement_time(Duration::from_secs(5));
        } else {
            group.sample_size(30);
            group.warm_up_time(Duration::from_secs(1));
            group.measurement_time(Duration::from_secs(3));
        }
        group.bench_function("nianbao", |b| {
            b.iter(|| nianbao_grammar::parse(black_box(&bytes)))
        });
        group.bench_function("pulldown-cmark", |b| {
            b.iter(|| Parser::new_ext(black_box(text), Options::all()).count())
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
