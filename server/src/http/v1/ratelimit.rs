//! Sign-in limits per client address, at every door.
//!
//! `Config::auth_requests_per_minute` requests per client address per
//! minute for the JSON API's sign-in endpoints (`/api/v1/auth/*`,
//! `/api/v1/staff/login`, through the [`AuthRateLimit`] extractor) and the
//! web app's sign-in server functions (`/sfn/request_code`,
//! `/sfn/verify_code`, `/sfn/staff_sign_in`, through the
//! [`sfn_sign_in_limit`] middleware) — one bucket per address for all of
//! them, answered with 429 `rate_limited` and `Retry-After`. Bookings are
//! never capped per address (a mobile carrier's NAT puts many citizens
//! behind one); they are limited per citizen in the use case.
//!
//! The counts live in `Core::limiter` (one process; with several server
//! processes the effective limit is the sum). The per-phone and per-pair
//! limits of sign-in codes and the staff failure counter live in the
//! database and hold across processes.
//!
//! The client address is the TCP peer (axum's `ConnectInfo`, set by
//! `server::run`); behind a reverse proxy listed in `--trusted-proxy`, the
//! rightmost `X-Forwarded-For` address that is not itself a trusted proxy.
//! IPv6 clients are keyed by their /64 (one subscriber's prefix). With no
//! `ConnectInfo` (an in-process router) all callers share one key.
use std::net::{IpAddr, SocketAddr};

use crate::AppState;
use app::api::ctx::{client_ip_of, lang_of, session_meta_of};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::{HeaderMap, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::ApiError;
use app::server::limiter;
use app::server::service::auth::session::SessionMeta;

/// Length of a window, seconds.
const WINDOW: i64 = 60;

/// The server functions counted like the JSON API's sign-in endpoints.
pub const SFN_SIGN_IN: [&str; 3] = [
    "/sfn/request_code",
    "/sfn/verify_code",
    "/sfn/staff_sign_in",
];

/// The key a client is counted under (see the module doc and
/// `kezek_core::limiter::client_ip`).
pub fn client_key(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpAddr]) -> String {
    limiter::client_key(client_ip_of(headers, peer, trusted))
}

/// The TCP peer's address, when the server was started with connect info.
fn peer_of(ext: &axum::http::Extensions) -> Option<IpAddr> {
    ext.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())
}

/// Counts one sign-in request of `key`; `Err` is the 429 to answer.
fn count(state: &AppState, peer: Option<IpAddr>, headers: &HeaderMap) -> Result<(), ApiError> {
    let key = client_key(peer, headers, &state.config.trusted_proxies);
    state
        .limiter
        .check(
            &format!("auth:{key}"),
            state.config.auth_requests_per_minute,
            WINDOW,
            state.now().timestamp(),
        )
        .map_err(|secs| {
            tracing::info!("sign-in rate limit hit");
            ApiError::rate_limited(secs, lang_of(headers))
        })
}

/// Extractor: counts the request against the sign-in limit of its client
/// address; rejects with 429 + `Retry-After` when over.
pub struct AuthRateLimit;

impl FromRequestParts<AppState> for AuthRateLimit {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        count(state, peer_of(&parts.extensions), &parts.headers).map(|()| Self)
    }
}

/// Extractor: where a new session comes from (user agent, client address
/// as counted above), for the citizen's list of sessions.
pub struct ClientMeta(pub SessionMeta);

impl FromRequestParts<AppState> for ClientMeta {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(Self(session_meta_of(
            &parts.headers,
            peer_of(&parts.extensions),
            &state.config.trusted_proxies,
        )))
    }
}

/// Extractor: the client's key as counted above (the address, IPv6 as
/// its /64), for per-client caps.
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(Self(client_key(
            peer_of(&parts.extensions),
            &parts.headers,
            &state.config.trusted_proxies,
        )))
    }
}

/// Middleware: the same limit for the sign-in server functions.
pub async fn sfn_sign_in_limit(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    if SFN_SIGN_IN.contains(&req.uri().path())
        && let Err(e) = count(&state, peer_of(req.extensions()), req.headers())
    {
        return e.into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::client_key;
    use axum::http::{HeaderMap, HeaderValue};
    use std::net::IpAddr;

    #[test]
    fn reads_every_forwarded_for_header() {
        let mut h = HeaderMap::new();
        h.append("x-forwarded-for", HeaderValue::from_static("203.0.113.9"));
        h.append(
            "x-forwarded-for",
            HeaderValue::from_static("198.51.100.1, 10.0.0.2"),
        );
        let proxy: IpAddr = [10, 0, 0, 2].into();
        assert_eq!(client_key(Some(proxy), &h, &[proxy]), "198.51.100.1");
        assert_eq!(client_key(Some(proxy), &h, &[]), "10.0.0.2");
    }
}
