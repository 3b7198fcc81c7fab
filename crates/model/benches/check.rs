//! The whole check (parse, model, rules) on the fixture concatenated 1×, 16× and
//! 256×, beside pulldown-cmark parsing the same bytes in the same run: the time
//! ratio 256×/16× shows whether the check stays linear.

use std::path::PathBuf;
use std::time::Duration;

use criterion::{black_box, criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use pulldown_cmark::{Options, Parser};

fn fixture() -> Vec<u8> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/zhongwei-2017.md");
    std::fs::read(path).expect("fixture readable")
}

fn repeat(bytes: &[u8], n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() * n + n);
    for _ in 0..n {
        out.extend_from_slice(bytes);
        out.push(b'\n');
    }
    out
}

fn bench(c: &mut Criterion) {
    let fixture = fixture();
    for (name, bytes) in [
        ("check-x1", repeat(&fixture, 1)),
        ("check-x16", repeat(&fixture, 16)),
        ("check-x256", repeat(&fixture, 256)),
    ] {
        let text = std::str::from_utf8(&bytes).expect("UTF-8");
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        if bytes.len() > 1 << 20 {
            group.sampling_mode(SamplingMode::Flat);
            group.sample_size(10);
            group.measurement_time(Duration::from_secs(10));
        } else {
            group.sample_size(20);
            group.measurement_time(Duration::from_secs(4));
        }
        group.warm_up_time(Duration::from_secs(1));
        group.bench_function("nianbao-check", |b| {
            b.iter(|| nianbao_model::check(black_box(&bytes)).diagnostics.len())
        });
        group.bench_function("pulldown-cmark", |b| {
            b.iter(|| Parser::new_ext(black_box(text), Options::all()).count())
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
