//! Per-address rate limits (uploads, checks, collection creation): token buckets
//! keyed by the client's address — the connection's peer, or with
//! `--trust-forwarded-for` the address that the proxy in front appended last to
//! `X-Forwarded-For`.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use axum::response::Response;
use axum::Router;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::KeyExtractor;
use tower_governor::{GovernorError, GovernorLayer};

use crate::config::RateLimit;

/// The client's address as the rate limits key it.
#[derive(Clone, Copy, Debug)]
pub struct ClientAddress {
    /// Use the last address of `X-Forwarded-For` when the header is there.
    pub trust_forwarded_for: bool,
}

impl KeyExtractor for ClientAddress {
    type Key = IpAddr;

    fn extract<T>(&self, req: &Request<T>) -> Result<Self::Key, GovernorError> {
        if self.trust_forwarded_for {
            // The proxy appends the address it saw: the last one is the one it vouches for.
            let forwarded = req
                .headers()
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .filter_map(|a| a.trim().parse::<IpAddr>().ok())
                .next_back();
            if let Some(ip) = forwarded {
                return Ok(ip);
            }
        }
        req.extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .ok_or(GovernorError::UnableToExtractKey)
    }
}

/// `api` and `pages` under one per-address limit (one bucket for both): past it,
/// `429` with `Retry-After`, saying `what` (Chinese, English) as the API's JSON
/// error (`too-many-requests`) for `api` and as a page for `pages`. Without a
/// limit, both as they are.
pub fn limited<S: Clone + Send + Sync + 'static>(
    api: Router<S>,
    pages: Router<S>,
    limit: Option<RateLimit>,
    key: ClientAddress,
    what: (&'static str, &'static str),
) -> Router<S> {
    let Some(limit) = limit else {
        return api.merge(pages);
    };
    let period = Duration::from_secs_f64(60.0 / f64::from(limit.per_minute.max(1)));
    let config = Arc::new(
        GovernorConfigBuilder::default()
            .period(period.max(Duration::from_nanos(1)))
            .burst_size(limit.burst.max(1))
            .key_extractor(key)
            .finish()
            .expect("burst and period are positive"),
    );
    // Forget the addresses whose buckets are full again, so that the map stays small.
    let limiter = config.limiter().clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(60));
        loop {
            every.tick().await;
            limiter.retain_recent();
        }
    });
    api.layer(GovernorLayer::new(config.clone()).error_handler(move |e| refused(e, what, false)))
        .merge(
            pages.layer(GovernorLayer::new(config).error_handler(move |e| refused(e, what, true))),
        )
}

/// The answer past the limit: the API's JSON error or a page, with the
/// limiter's headers (`Retry-After`, `x-ratelimit-after`).
fn refused(e: GovernorError, what: (&str, &str), page: bool) -> Response {
    match e {
        GovernorError::TooManyRequests { wait_time, headers } => {
            let zh = format!("{}（约 {wait_time} 秒后）", what.0);
            let en = format!("{} (in about {wait_time} s)", what.1);
            let mut res = if page {
                crate::web::message_page(
                    StatusCode::TOO_MANY_REQUESTS,
                    ("请求过于频繁", "Too many requests"),
                    (&zh, &en),
                )
            } else {
                crate::app::error(StatusCode::TOO_MANY_REQUESTS, "too-many-requests", &zh, &en)
            };
            if let Some(headers) = headers {
                res.headers_mut().extend(headers);
            }
            res
        }
        other => Response::from(other),
    }
}
