//! The connection loop: accepts connections up to `--max-connections`, closes a
//! connection whose client is slow to send a request head (`--header-timeout`)
//! or that sits idle between requests (`--idle-timeout`), and on SIGTERM stops
//! accepting, lets the requests in flight finish within `--shutdown-timeout`, and
//! returns.
//!
//! Each connection has a small watchdog. The connection's reads tell it when a
//! client starts sending a request head; the service tells it when a request is
//! being handled and when its answer has been sent. A request being handled is
//! bounded elsewhere (`--body-timeout`, `--check-time-limit`).

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::{Body, HttpBody};
use axum::extract::connect_info::ConnectInfo;
use axum::http::{Request, Response};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower::ServiceExt;

use crate::config::ConnLimits;

/// No time recorded.
const NEVER: u64 = u64::MAX;

/// What the watchdog of one connection knows.
struct Activity {
    opened: Instant,
    /// Requests being handled (their answer not yet sent).
    in_flight: AtomicUsize,
    /// When the connection last became idle (ms since `opened`).
    idle_since: AtomicU64,
    /// When the client started sending a request head while idle (ms), or [`NEVER`].
    head_started: AtomicU64,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            opened: Instant::now(),
            in_flight: AtomicUsize::new(0),
            idle_since: AtomicU64::new(0),
            head_started: AtomicU64::new(NEVER),
        }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(NEVER - 1)
    }

    /// Bytes arrived: when no request is being handled, a request head has begun.
    fn on_read(&self) {
        if self.in_flight.load(Ordering::SeqCst) == 0 {
            let _ = self.head_started.compare_exchange(
                NEVER,
                self.now(),
                Ordering::SeqCst,
                Ordering::SeqCst,
            );
        }
    }

    fn request_started(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        self.head_started.store(NEVER, Ordering::SeqCst);
        InFlight(self.clone())
    }

    /// Why the connection should be closed now, if it should.
    fn expired(&self, limits: &ConnLimits) -> Option<&'static str> {
        if self.in_flight.load(Ordering::SeqCst) > 0 {
            return None;
        }
        let now = self.now();
        let head = self.head_started.load(Ordering::SeqCst);
        if head != NEVER {
            let limit = limits.header_timeout?;
            return (now.saturating_sub(head) >= millis(limit)).then_some("header-timeout");
        }
        let limit = limits.idle_timeout?;
        let idle = self.idle_since.load(Ordering::SeqCst);
        (now.saturating_sub(idle) >= millis(limit)).then_some("idle-timeout")
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(NEVER - 1)
}

/// A request being handled; dropped when its answer has been sent (or abandoned).
struct InFlight(Arc<Activity>);

impl Drop for InFlight {
    fn drop(&mut self) {
        let a = &self.0;
        a.idle_since.store(a.now(), Ordering::SeqCst);
        a.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A response body that keeps its request counted as in flight until it is sent.
struct Tracked {
    inner: Body,
    _in_flight: InFlight,
}

impl HttpBody for Tracked {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.inner.size_hint()
    }
}

/// The socket, telling the watchdog when bytes arrive.
struct Watched {
    stream: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let res = Pin::new(&mut self.stream).poll_read(cx, buf);
        if matches!(res, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.on_read();
        }
        res
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

/// Resolves when the connection should be closed for a timeout; never when none applies.
async fn watchdog(activity: Arc<Activity>, limits: ConnLimits) -> &'static str {
    let shortest = [limits.header_timeout, limits.idle_timeout]
        .into_iter()
        .flatten()
        .min();
    let Some(shortest) = shortest else {
        return std::future::pending().await;
    };
    // Checked a few times per timeout: a connection is closed at most a quarter late.
    let tick = (shortest / 4).clamp(Duration::from_millis(10), Duration::from_secs(1));
    loop {
        tokio::time::sleep(tick).await;
        if let Some(why) = activity.expired(&limits) {
            return why;
        }
    }
}

/// The answer to a connection over `--max-connections`: written if the socket
/// takes it at once, then the connection is closed.
fn over_capacity() -> Vec<u8> {
    let body = r#"{"error":{"code":"too-many-connections","message":{"zh":"服务器连接数已满，请稍后重试","en":"the server has too many connections; retry shortly"}}}"#;
    format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Serves `app` on `listener` until `shutdown` resolves, then drains within the deadline.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnLimits,
    shutdown: impl std::future::Future<Output = ()>,
) -> io::Result<()> {
    let slots =
        (limits.max_connections > 0).then(|| Arc::new(Semaphore::new(limits.max_connections)));
    let graceful = GracefulShutdown::new();
    let refused = Arc::new(AtomicU64::new(0));
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(e) => {
                    // Out of file descriptors or a connection reset before it was
                    // accepted: wait a little rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let permit = match &slots {
            None => None,
            Some(s) => match s.clone().try_acquire_owned() {
                Ok(p) => Some(p),
                Err(_) => {
                    let _ = stream.try_write(&over_capacity());
                    drop(stream);
                    let n = refused.fetch_add(1, Ordering::Relaxed) + 1;
                    // One line per power of two: a flood does not flood the log.
                    if n.is_power_of_two() {
                        tracing::warn!(
                            refused = n,
                            max_connections = limits.max_connections,
                            "connection refused: too many connections"
                        );
                    }
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let activity = Arc::new(Activity::new());
        let io = TokioIo::new(Watched {
            stream,
            activity: activity.clone(),
        });
        let app = app.clone();
        let service_activity = activity.clone();
        let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            let in_flight = service_activity.request_started();
            let app = app.clone();
            async move {
                let res = app.oneshot(req.map(Body::new)).await;
                res.map(|res: Response<Body>| {
                    res.map(|inner| {
                        Body::new(Tracked {
                            inner,
                            _in_flight: in_flight,
                        })
                    })
                })
            }
        });
        let watcher = graceful.watcher();
        let limits = limits.clone();
        tokio::spawn(async move {
            let _permit = permit;
            let builder = Builder::new(TokioExecutor::new());
            let conn = watcher.watch(builder.serve_connection(io, service).into_owned());
            tokio::select! {
                res = conn => {
                    if let Err(e) = res {
                        tracing::debug!(error = %e, %peer, "connection ended with an error");
                    }
                }
                why = watchdog(activity, limits) => {
                    tracing::debug!(reason = why, %peer, "connection closed");
                }
            }
        });
    }
    drop(listener);
    tracing::info!(
        connections = graceful.count(),
        "shutting down: finishing in-flight requests"
    );
    let drained = graceful.shutdown();
    match limits.shutdown_timeout {
        None => drained.await,
        Some(limit) => {
            if tokio::time::timeout(limit, drained).await.is_err() {
                tracing::warn!(
                    shutdown_timeout_secs = limit.as_secs_f64(),
                    "shutdown deadline reached: closing the connections still open"
                );
            }
        }
    }
    Ok(())
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
