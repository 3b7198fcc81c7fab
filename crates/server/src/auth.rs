//! Tokens: 256 random bits from the OS, shown once, stored as SHA-256, compared in constant time.

use axum::http::HeaderMap;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A new random token (64 hex characters = 256 bits).
pub fn new_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(hex::encode(bytes))
}

/// SHA-256 of a token, as stored.
pub fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// True when `token` hashes to `stored` (constant time).
pub fn matches(token: &str, stored: &[u8]) -> bool {
    let h = hash(token);
    h.len() == stored.len() && bool::from(h.ct_eq(stored))
}

/// The bearer token of a request, if any. The scheme is case-insensitive
/// (RFC 9110: `Bearer`, `bearer`, `BEARER`); spaces around the token are dropped.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .trim_start();
    let (scheme, token) = value.split_once([' ', '\t'])?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let token = token.trim();
    (!token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_verify() {
        let a = new_token().expect("OS randomness");
        let b = new_token().expect("OS randomness");
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert!(matches(&a, &hash(&a)));
        assert!(!matches(&b, &hash(&a)));
    }

    #[test]
    fn the_bearer_scheme_is_case_insensitive() {
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(
                axum::http::header::AUTHORIZATION,
                v.parse().expect("header"),
            );
            bearer(&h).map(str::to_string)
        };
        for v in [
            "Bearer abc",
            "bearer abc",
            "BEARER abc",
            "bEaReR   abc ",
            "Bearer\tabc",
        ] {
            assert_eq!(with(v).as_deref(), Some("abc"), "{v:?}");
        }
        for v in ["Basic abc", "Bearer", "Bearer   ", "Bearerabc", "abc"] {
            assert_eq!(with(v), None, "{v:?}");
        }
    }
}
