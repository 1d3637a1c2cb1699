//! A small in-process rate limiter keyed by client address.
//!
//! Fixed one-minute windows per key, counted against the app clock (so
//! tests can move time). Used for sign-in (`/api/v1/auth/*`, staff login):
//! `Config::auth_requests_per_minute` per client IP, answered with 429
//! `rate_limited` and `Retry-After` when exceeded. Bookings are never capped
//! per address (a mobile carrier's NAT puts many citizens behind one).
//!
//! One process keeps its own counts: with several server processes the
//! effective limit is the sum. The per-phone and per-IIN limits of sign-in
//! codes live in the database (`request_otp`) and hold across processes.
//!
//! The client address comes from axum's `ConnectInfo` (set by
//! `server::run`); when it is absent (an in-process router), all callers
//! share one key.
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use crate::AppState;
use app::api::ctx::lang_of;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use super::error::ApiError;

/// Length of a window, seconds.
const WINDOW: i64 = 60;
/// Keys kept before expired windows are swept.
const SWEEP_AT: usize = 50_000;

/// Counts per key in the current window.
#[derive(Default)]
pub struct KeyedLimiter {
    windows: Mutex<HashMap<String, (i64, u32)>>,
}

impl KeyedLimiter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one request for `key`; `Err(seconds to wait)` when `limit`
    /// requests were already made in the current window.
    pub fn check(&self, key: &str, limit: u32, now: i64) -> Result<(), u64> {
        let mut map = match self.windows.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        if map.len() >= SWEEP_AT {
            map.retain(|_, (start, _)| now - *start < WINDOW);
        }
        let entry = map.entry(key.to_owned()).or_insert((now, 0));
        if now - entry.0 >= WINDOW || now < entry.0 {
            *entry = (now, 0);
        }
        if entry.1 >= limit {
            let wait = (entry.0 + WINDOW - now).max(1);
            return Err(u64::try_from(wait).unwrap_or(1));
        }
        entry.1 += 1;
        Ok(())
    }
}

/// Extractor: counts the request against the sign-in limit of its client
/// address; rejects with 429 + `Retry-After` when over.
pub struct AuthRateLimit;

impl FromRequestParts<AppState> for AuthRateLimit {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(limiter) = parts.extensions.get::<Arc<KeyedLimiter>>().cloned() else {
            return Ok(Self);
        };
        let key = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string());
        limiter
            .check(
                &format!("auth:{key}"),
                state.config.auth_requests_per_minute,
                state.now().timestamp(),
            )
            .map(|()| Self)
            .map_err(|secs| {
                tracing::info!("sign-in rate limit hit");
                ApiError::rate_limited(secs, lang_of(&parts.headers))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::KeyedLimiter;

    #[test]
    fn limits_per_key_and_window() {
        let l = KeyedLimiter::new();
        assert_eq!(l.check("a", 2, 100), Ok(()));
        assert_eq!(l.check("a", 2, 110), Ok(()));
        assert_eq!(l.check("a", 2, 130), Err(30));
        assert_eq!(l.check("b", 2, 130), Ok(()));
        assert_eq!(l.check("a", 2, 160), Ok(()));
        assert_eq!(l.check("z", 0, 160), Err(60));
    }
}
