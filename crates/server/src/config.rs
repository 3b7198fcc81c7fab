//! The server's settings, resolved from the flags (`main.rs`) or built directly
//! (tests, embedding). Every limit can be turned off: a zero in a flag is `None`
//! or `0` here.

use std::time::Duration;

/// A per-address rate limit: a bucket of `burst` requests refilled at `per_minute`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed at once.
    pub burst: u32,
    /// Requests added back per minute.
    pub per_minute: u32,
}

impl RateLimit {
    /// `None` (no limit) when either number is 0.
    pub fn new(burst: u32, per_minute: u32) -> Option<RateLimit> {
        (burst > 0 && per_minute > 0).then_some(RateLimit { burst, per_minute })
    }
}

/// What the HTTP routes enforce.
#[derive(Clone, Debug)]
pub struct Config {
    /// Largest request body, in bytes.
    pub max_body: usize,
    /// Checks running at once.
    pub check_workers: usize,
    /// Checks waiting for a worker before 503.
    pub check_queue: usize,
    /// The time one check may take.
    pub check_time_limit: Option<Duration>,
    /// The time a client has to send a request's body.
    pub body_timeout: Option<Duration>,
    /// Uploads per address.
    pub upload_rate: Option<RateLimit>,
    /// `POST /api/v1/check` per address.
    pub check_rate: Option<RateLimit>,
    /// Collections created per address.
    pub collection_rate: Option<RateLimit>,
    /// Take the client's address from `X-Forwarded-For` (behind a proxy that sets it).
    pub trust_forwarded_for: bool,
    /// Longest collection or report name, in characters (0: no limit).
    pub max_name_chars: usize,
    /// Host names the server answers to (empty: any).
    pub allowed_hosts: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
        Config {
            max_body: 20 * 1024 * 1024,
            check_workers: cpus,
            check_queue: 512,
            check_time_limit: Some(Duration::from_secs(30)),
            body_timeout: Some(Duration::from_secs(60)),
            upload_rate: RateLimit::new(120, 1200),
            check_rate: RateLimit::new(120, 1200),
            collection_rate: RateLimit::new(10, 10),
            trust_forwarded_for: false,
            max_name_chars: 255,
            allowed_hosts: Vec::new(),
        }
    }
}

/// What the connection loop enforces.
#[derive(Clone, Debug)]
pub struct ConnLimits {
    /// The time a client has to send a request's head once it started it.
    pub header_timeout: Option<Duration>,
    /// The time a connection may sit idle between requests.
    pub idle_timeout: Option<Duration>,
    /// Connections open at once (0: no limit).
    pub max_connections: usize,
    /// The time in-flight requests get to finish after SIGTERM.
    pub shutdown_timeout: Option<Duration>,
}

impl Default for ConnLimits {
    fn default() -> Self {
        ConnLimits {
            header_timeout: Some(Duration::from_secs(10)),
            idle_timeout: Some(Duration::from_secs(60)),
            max_connections: 512,
            shutdown_timeout: Some(Duration::from_secs(30)),
        }
    }
}

/// A number of seconds given in a flag; `0` is `None` (off).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seconds(pub Option<Duration>);

/// Reads seconds (`30`, `0.5`); `0` is off.
pub fn seconds(text: &str) -> Result<Seconds, String> {
    parse_seconds(text).map(Seconds)
}

fn parse_seconds(text: &str) -> Result<Option<Duration>, String> {
    let secs: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("not a number of seconds: {text:?}"))?;
    if secs == 0.0 {
        return Ok(None);
    }
    Duration::try_from_secs_f64(secs)
        .map(Some)
        .map_err(|_| format!("not a number of seconds: {text:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_zero_is_off_and_fractions_are_read() {
        assert_eq!(seconds("0"), Ok(Seconds(None)));
        assert_eq!(
            seconds("1.5"),
            Ok(Seconds(Some(Duration::from_millis(1500))))
        );
        assert!(seconds("-1").is_err());
        assert!(seconds("soon").is_err());
        assert_eq!(RateLimit::new(0, 10), None);
        assert_eq!(RateLimit::new(10, 0), None);
    }
}
