//! Load, bounded and on 127.0.0.1 only: 2,000 `POST /api/v1/check` requests of
//! the zhongwei-2017 fixture from 32 concurrent clients, with zero errors (no
//! 503 from the check queue either: the default queue holds 512). Prints the
//! requests per second and the p50/p99 latency, and the CLI's figures on the
//! same machine (`nianbao check --format json` over the same file) as ratios.
//! No timing is asserted.
//!
//! It runs the binaries of the test's own profile, so CI (a debug `cargo test`)
//! builds nothing more; the figures that mean something come from the release
//! builds: `NIANBAO_LOAD_RELEASE=1 cargo test -p nianbao-server --test load -- --nocapture`
//! first runs `cargo build --release -p nianbao-server -p nianbao-cli` (a no-op
//! when up to date) and measures those.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::{client, fixture, fixture_bytes, release_binaries, Server};
use serde_json::Value;

const REQUESTS: usize = 2_000;
const CONCURRENCY: usize = 32;
/// Sequential CLI runs timed for the comparison.
const CLI_RUNS: usize = 40;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[test]
fn two_thousand_checks_at_32_concurrent_without_an_error() {
    let release = std::env::var_os("NIANBAO_LOAD_RELEASE").is_some();
    let profile = if release { "release" } else { "test-profile" };
    let (server, cli) = if release {
        release_binaries()
    } else {
        (
            std::path::PathBuf::from(env!("CARGO_BIN_EXE_nianbao-server")),
            common::cli_binary(),
        )
    };
    let dir = tempfile::tempdir().expect("temporary directory");
    // 2,000 checks from one address: the per-address check limit is off, and so is the
    // connection cap's concern (32 kept-alive connections are far below it).
    let mut s = Server::start_binary(
        &server,
        &dir.path().join("x.db"),
        &["--check-burst", "0"],
        &[],
    );
    let body = fixture_bytes("zhongwei-2017.md");
    let expected: Value = client()
        .post(s.url("/api/v1/check?name=zhongwei-2017.md"))
        .header("Content-Type", "text/markdown")
        .body(body.clone())
        .send()
        .expect("warm-up")
        .json()
        .expect("JSON");
    let expected_summary = expected["reports"][0]["summary"].clone();

    let next = AtomicUsize::new(0);
    let latencies = Mutex::new(Vec::with_capacity(REQUESTS));
    let errors = Mutex::new(Vec::new());
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..CONCURRENCY {
            scope.spawn(|| {
                // One client (one keep-alive connection) per concurrent user.
                let c = client();
                let mut mine = Vec::new();
                while next.fetch_add(1, Ordering::SeqCst) < REQUESTS {
                    let t = Instant::now();
                    let res = c
                        .post(s.url("/api/v1/check?name=zhongwei-2017.md"))
                        .header("Content-Type", "text/markdown")
                        .body(body.clone())
                        .send();
                    let outcome = match res {
                        Err(e) => Err(format!("request failed: {e}")),
                        Ok(res) if res.status() != 200 => Err(format!("status {}", res.status())),
                        Ok(res) => match res.json::<Value>() {
                            Err(e) => Err(format!("body: {e}")),
                            Ok(doc) if doc["reports"][0]["summary"] != expected_summary => {
                                Err(format!(
                                    "a different result: {} instead of {expected_summary}",
                                    doc["reports"][0]["summary"]
                                ))
                            }
                            Ok(_) => Ok(()),
                        },
                    };
                    mine.push(t.elapsed());
                    if let Err(e) = outcome {
                        errors.lock().unwrap_or_else(|e| e.into_inner()).push(e);
                    }
                }
                latencies
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .extend(mine);
            });
        }
    });
    let elapsed = started.elapsed();
    let errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut latencies = latencies.into_inner().unwrap_or_else(|e| e.into_inner());
    latencies.sort();
    assert_eq!(latencies.len(), REQUESTS);
    let rps = REQUESTS as f64 / elapsed.as_secs_f64();
    let p50 = percentile(&latencies, 50.0);
    let p99 = percentile(&latencies, 99.0);

    // One request at a time: the latency of a check without queueing, for comparison with a CLI run.
    let c = client();
    let mut alone: Vec<Duration> = (0..CLI_RUNS)
        .map(|_| {
            let t = Instant::now();
            let res = c
                .post(s.url("/api/v1/check?name=zhongwei-2017.md"))
                .header("Content-Type", "text/markdown")
                .body(body.clone())
                .send()
                .expect("POST");
            assert_eq!(res.status(), 200);
            let _ = res.bytes();
            t.elapsed()
        })
        .collect();
    alone.sort();
    let alone_p50 = percentile(&alone, 50.0);

    // The CLI on the same machine: one process per check, one after another.
    let path = fixture("zhongwei-2017.md");
    let run = || {
        let out = std::process::Command::new(&cli)
            .args(["check", "--format", "json", "--no-config"])
            .arg(&path)
            .output()
            .expect("run nianbao");
        assert!(matches!(out.status.code(), Some(0 | 1)));
    };
    run();
    let t = Instant::now();
    for _ in 0..CLI_RUNS {
        run();
    }
    let cli_each = t.elapsed() / CLI_RUNS as u32;
    let cli_per_second = 1.0 / cli_each.as_secs_f64();

    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "load ({} build, {cpus} CPUs): {REQUESTS} checks of zhongwei-2017.md ({} bytes) at {CONCURRENCY} concurrent in {:.2} s: \
         {rps:.1} requests/s, p50 {:.1} ms, p99 {:.1} ms, errors {}",
        profile,
        body.len(),
        elapsed.as_secs_f64(),
        ms(p50),
        ms(p99),
        errors.len()
    );
    println!(
        "CLI ({} build): nianbao check --format json zhongwei-2017.md, {CLI_RUNS} runs one after another: \
         {:.1} ms each ({cli_per_second:.1} runs/s); server/CLI throughput {:.1}x; \
         server p50 one request at a time {:.1} ms = {:.2}x a CLI run; server p50 at {CONCURRENCY} concurrent = {:.1}x a CLI run",
        profile,
        ms(cli_each),
        rps / cli_per_second,
        ms(alone_p50),
        alone_p50.as_secs_f64() / cli_each.as_secs_f64(),
        p50.as_secs_f64() / cli_each.as_secs_f64()
    );
    let mut kinds = std::collections::BTreeMap::new();
    for e in &errors {
        *kinds.entry(e.as_str()).or_insert(0) += 1;
    }
    assert!(
        errors.is_empty(),
        "{} errors: {kinds:#?}\nserver exit status: {:?}\nserver log (end): {}",
        errors.len(),
        s.try_exit(),
        s.log_text()
            .lines()
            .rev()
            .take(20)
            .collect::<Vec<_>>()
            .join("\n")
    );
}
