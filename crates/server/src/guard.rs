//! What every request goes through before and after its handler: the allowed
//! `Host` list, a body announced larger than `--max-body` (413 before a byte of
//! it is read), the body deadline, the security headers of every answer, and
//! one log line per request (method, route template, status, latency: never a
//! body, a query or a token).

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;

use crate::app::{error, AppState};

/// The Content Security Policy of every answer: scripts and styles from the
/// server's own files only (nothing inline), forms sent to the server
/// itself only, no frames, no plugins.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// When a request's body must have arrived (`--body-timeout`), put into its extensions.
#[derive(Clone, Copy, Debug)]
pub struct BodyDeadline(pub Option<Instant>);

impl BodyDeadline {
    /// What is left of it.
    pub fn remaining(self) -> Option<Duration> {
        self.0.map(|d| d.saturating_duration_since(Instant::now()))
    }
}

/// The outermost layer: logs the request and sets the security headers.
pub async fn log_and_secure(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "-".to_string(), |p| p.as_str().to_string());
    let public = matches!(req.uri().path(), "/api/v1/rules" | "/api/v1/openapi.json")
        || req.uri().path().starts_with("/static/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    // Answers with tokens, reports or findings are never kept by a cache: all but
    // the page's files and the public API documents.
    if !public {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    tracing::info!(
        method = %method,
        route = %route,
        status = res.status().as_u16(),
        latency_ms = started.elapsed().as_secs_f64() * 1000.0,
        "request"
    );
    res
}

/// Refuses hosts not on `--allowed-host`, bodies announced over `--max-body`,
/// and sets the body deadline.
pub async fn admit(State(state): State<Arc<AppState>>, mut req: Request, next: Next) -> Response {
    let config = state.config();
    if !config.allowed_hosts.is_empty() && !host_allowed(&req, &config.allowed_hosts) {
        return error(
            StatusCode::BAD_REQUEST,
            "host-not-allowed",
            "此服务器不接受这个 Host（见 --allowed-host）",
            "this server does not answer to that Host (see --allowed-host)",
        );
    }
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if announced.is_some_and(|n| n > config.max_body as u64) {
        // Answered before a byte of the body is read; the rest is discarded as it comes.
        let deadline = config.body_timeout.map(|d| Instant::now() + d);
        linger(req.into_body(), config.max_body, BodyDeadline(deadline));
        return body_too_large();
    }
    let deadline = config.body_timeout.map(|d| Instant::now() + d);
    req.extensions_mut().insert(BodyDeadline(deadline));
    next.run(req).await
}

fn host_allowed(req: &Request, allowed: &[String]) -> bool {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| req.uri().host())
        .unwrap_or("");
    // Without the port; an IPv6 literal keeps its brackets.
    let name = match host.rfind(':') {
        Some(i) if !host[i..].contains(']') => &host[..i],
        _ => host,
    };
    allowed.iter().any(|a| a.eq_ignore_ascii_case(name))
}

/// The 413 of a body over `--max-body`.
pub fn body_too_large() -> Response {
    error(
        StatusCode::PAYLOAD_TOO_LARGE,
        "body-too-large",
        "请求体超过服务器允许的大小（默认 20 MB，见 --max-body）",
        "the request body is larger than the server allows (20 MB by default, see --max-body)",
    )
}

/// The 408 of a body not sent within `--body-timeout`.
pub fn body_timeout() -> Response {
    let mut res = error(
        StatusCode::REQUEST_TIMEOUT,
        "body-timeout",
        "请求体发送过慢，未在时限内收到（见 --body-timeout）",
        "the request body did not arrive in time (see --body-timeout)",
    );
    res.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    res
}

/// Reads and discards what is left of a body the server has already answered,
/// up to `limit` bytes and the deadline, so that the client, still sending,
/// reads the answer instead of a reset connection; then lets the connection go.
pub fn linger(body: Body, limit: usize, deadline: BodyDeadline) {
    use http_body_util::BodyExt;
    let budget = deadline.remaining().unwrap_or(Duration::from_secs(5));
    tokio::spawn(async move {
        let mut body = body;
        let mut seen = 0usize;
        let drain = async {
            while let Some(Ok(frame)) = body.frame().await {
                if let Some(data) = frame.data_ref() {
                    seen += data.len();
                    if seen > limit {
                        break;
                    }
                }
            }
        };
        let _ = tokio::time::timeout(budget.min(Duration::from_secs(30)), drain).await;
    });
}

/// Turns the body limit's bare 413 into a clear, bilingual JSON error (the rate
/// limiters answer in the API's shape or as a page themselves: see
/// [`crate::limits::limited`]).
pub async fn limit_errors_as_json(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() == StatusCode::PAYLOAD_TOO_LARGE
        && !res
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"application/json"))
    {
        return body_too_large();
    }
    res
}
