//! Per-address rate limits (uploads, checks, collection creation): token buckets
//! keyed by the client's address — the connection's peer, or with
//! `--trust-forwarded-for` the address that the proxy in front appended last to
//! `X-Forwarded-For`.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::http::Request;
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

/// `router` with the rate limit applied to its routes (unchanged when `limit` is `None`).
pub fn limited<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    limit: Option<RateLimit>,
    key: ClientAddress,
) -> Router<S> {
    let Some(limit) = limit else {
        return router;
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
    router.layer(GovernorLayer::new(config))
}
