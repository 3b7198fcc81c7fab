//! Running checks: at most `--check-workers` at once, at most `--check-queue`
//! waiting, each within `--check-time-limit`.
//!
//! A worker slot is held by the check itself, not by the request: it is given
//! back when the check ends, even when the client has hung up and its request
//! was dropped. A check that reaches its time limit stops (the model checks the
//! deadline as it goes) and its report carries a finding saying so; a panic in a
//! check is caught and becomes a finding too, its message never carrying report
//! text.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use tokio::sync::Semaphore;

use nianbao_model::grammar::{Diagnostic, Message, Span};
use nianbao_model::{CheckedReport, Incomplete, Limits};

/// The version of the checker whose results the server stores beside each report:
/// a stored result of another version is computed again before it is used.
pub const CHECKER_VERSION: &str = concat!("nianbao ", env!("CARGO_PKG_VERSION"));

/// A finished (or stopped) check: the report as far as it was checked;
/// `checked.incomplete` says why it stopped early, and its diagnostics then hold
/// the one finding that says so (NB008 `check-time-limit`, NB009 `internal-error`).
pub struct Outcome {
    /// The checked report.
    pub checked: CheckedReport,
}

impl Outcome {
    /// Why the check stopped early, if it did.
    pub fn stopped(&self) -> Option<Incomplete> {
        self.checked.incomplete
    }
}

/// Why no check ran.
#[derive(Debug)]
pub enum Refused {
    /// The queue is full.
    Busy,
    /// The server is shutting down.
    ShuttingDown,
}

/// The worker pool.
pub struct Checker {
    workers: Arc<Semaphore>,
    waiting: AtomicUsize,
    running: Arc<AtomicUsize>,
    queue: usize,
    time_limit: Option<Duration>,
}

/// Decrements a counter when dropped (a request that gave up waiting still leaves the queue).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Checker {
    /// A pool of `workers` (at least 1) with `queue` places (0: no bound), each check within `time_limit`.
    pub fn new(workers: usize, queue: usize, time_limit: Option<Duration>) -> Checker {
        Checker {
            workers: Arc::new(Semaphore::new(workers.max(1))),
            waiting: AtomicUsize::new(0),
            running: Arc::new(AtomicUsize::new(0)),
            queue,
            time_limit,
        }
    }

    /// The time limit of one check.
    pub fn time_limit(&self) -> Option<Duration> {
        self.time_limit
    }

    /// Checks `bytes` on a worker. The slot is released when the check ends, even
    /// if the returned future is dropped first (the client hung up).
    pub async fn check(&self, bytes: Bytes) -> Result<Outcome, Refused> {
        let permit = {
            let before = self.waiting.fetch_add(1, Ordering::SeqCst);
            let _waiting = Waiting(&self.waiting);
            if self.queue > 0 && before >= self.queue {
                return Err(Refused::Busy);
            }
            self.workers
                .clone()
                .acquire_owned()
                .await
                .map_err(|_| Refused::ShuttingDown)?
        };
        let time_limit = self.time_limit;
        let running = self.running.clone();
        let task = tokio::task::spawn_blocking(move || {
            // Held by the check: dropped when it returns, whoever waits for it.
            let _permit = permit;
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            tracing::debug!(running = now, "check started");
            let outcome = check_bounded(&bytes, time_limit);
            let now = running.fetch_sub(1, Ordering::SeqCst) - 1;
            tracing::debug!(running = now, "check finished");
            outcome
        });
        match task.await {
            Ok(outcome) => Ok(outcome),
            // `check_bounded` catches panics; a failed join is the runtime shutting down.
            Err(_) => Err(Refused::ShuttingDown),
        }
    }

    /// Runs blocking collection-wide work (re-checks, merges, exports) on a worker slot.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(Option<Duration>) -> T + Send + 'static,
    ) -> Result<T, Refused> {
        let permit = self
            .workers
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| Refused::ShuttingDown)?;
        let time_limit = self.time_limit;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work(time_limit)
        })
        .await
        .map_err(|_| Refused::ShuttingDown)
    }
}

/// One check within the time limit. The model stops at the deadline and catches
/// its own panics (NB008, NB009); a panic around it, in the server's own code, is
/// caught here and becomes the same NB009 finding.
pub fn check_bounded(bytes: &[u8], time_limit: Option<Duration>) -> Outcome {
    let limits = time_limit.map_or_else(Limits::default, Limits::time_limit);
    let run = || {
        #[cfg(debug_assertions)]
        test_hooks::maybe_panic(bytes);
        nianbao_model::check_within(nianbao_model::template::builtin(), bytes, &limits)
    };
    let checked = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(checked) => checked,
        // The payload may quote the report: it is dropped unread (the hook logged the place).
        Err(_) => internal_error(),
    };
    Outcome { checked }
}

/// The report of a check that a panic outside the model stopped: nothing of it, and
/// NB009 saying so.
fn internal_error() -> CheckedReport {
    let mut checked = nianbao_model::check(b"");
    checked.diagnostics = vec![Diagnostic::new(
        &nianbao_model::rules::codes::INTERNAL_ERROR,
        Span::new(0, 0),
        Message::new(
            "nianbao 检查这份报告时出错（程序缺陷），报告没有被检查；请报告此问题",
            "nianbao failed while checking this report (a defect); the report was not checked: please report it",
        ),
    )];
    checked.incomplete = Some(Incomplete::InternalError);
    checked
}

/// Debug builds only: a check of bytes containing the marker named by
/// `NIANBAO_SERVER_TEST_PANIC` panics, so that the tests can show what a bug
/// in a check does to the server (nothing: the report is stored and the server serves on).
#[cfg(debug_assertions)]
mod test_hooks {
    use std::sync::OnceLock;

    pub fn maybe_panic(bytes: &[u8]) {
        static MARKER: OnceLock<Option<Vec<u8>>> = OnceLock::new();
        let marker = MARKER.get_or_init(|| {
            std::env::var_os("NIANBAO_SERVER_TEST_PANIC")
                .map(|m| m.to_string_lossy().into_owned().into_bytes())
                .filter(|m| !m.is_empty())
        });
        if let Some(m) = marker {
            if bytes.windows(m.len()).any(|w| w == m.as_slice()) {
                panic!(
                    "test panic with report text: {}",
                    String::from_utf8_lossy(bytes)
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_queue_of_0_has_no_bound_and_a_time_limit_stops_the_check() {
        let open = Checker::new(1, 0, None);
        let outcome = open
            .check(Bytes::from_static("年度报告".as_bytes()))
            .await
            .expect("no bound on the queue");
        assert_eq!(outcome.stopped(), None);
        let hurried = Checker::new(1, 0, Some(Duration::from_nanos(1)));
        let outcome = hurried
            .check(Bytes::from_static(include_bytes!(
                "../../../tests/fixtures/zhongwei-2017.md"
            )))
            .await
            .expect("checked");
        assert_eq!(outcome.stopped(), Some(Incomplete::TimeLimit));
        assert_eq!(outcome.checked.diagnostics.len(), 1);
        assert_eq!(outcome.checked.diagnostics[0].code, "NB008");
    }
}
