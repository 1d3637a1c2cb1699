//! Cross-site request forgery guard.
//!
//! The session cookie is `SameSite=Lax`, so modern browsers do not send it
//! on a cross-site POST; this middleware is the second line for browsers
//! that do (old ones, misconfigured proxies, a same-site sibling host).
//!
//! An unsafe request (anything but GET, HEAD, OPTIONS, TRACE) is refused
//! with 403 `forbidden` when it comes from another site — by the browser's
//! `Sec-Fetch-Site: cross-site`, or else by an `Origin` whose host is not
//! this server's `Host` (`Origin: null` counts as another site) — and
//! either
//! - targets a server function (`/sfn/…`, used only by Kezek's own pages;
//!   this also stops login CSRF through `verify_code`), or
//! - carries the session cookie without an `Authorization` header.
//!
//! Bearer-token API calls are never cookie-authenticated and stay allowed
//! from anywhere, as do requests without `Origin` and `Sec-Fetch-Site`
//! (non-browser clients).
use app::api::ctx::{SECURE_SESSION_COOKIE, SESSION_COOKIE, cookie, lang_of};
use axum::{
    extract::Request,
    http::{HeaderMap, Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

use super::v1::error::ApiError;

/// The middleware (`axum::middleware::from_fn(csrf::guard)`).
pub async fn guard(req: Request, next: Next) -> Response {
    if is_forged(req.method(), req.uri().path(), req.headers()) {
        tracing::info!(path = %req.uri().path(), "cross-site request refused");
        return ApiError::forbidden(lang_of(req.headers())).into_response();
    }
    next.run(req).await
}

fn is_safe(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// Does the request come from another site than this server?
fn is_cross_site(headers: &HeaderMap) -> bool {
    match headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
    {
        Some("cross-site") => return true,
        Some("same-origin" | "none") => return false,
        // `same-site` (a sibling host) or unknown: decide by Origin.
        _ => {}
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return false;
    };
    let Ok(origin) = origin.to_str() else {
        return true;
    };
    let origin = origin.trim();
    let Some(origin_host) = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
    else {
        // `null` (sandboxed frames, file: pages) or a strange scheme.
        return true;
    };
    let origin_host = origin_host.trim_end_matches('/');
    let hosts = [header::HOST.as_str(), "x-forwarded-host"];
    !hosts.iter().any(|h| {
        headers
            .get(*h)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case(origin_host))
    })
}

/// The decision, apart from the request plumbing.
pub fn is_forged(method: &Method, path: &str, headers: &HeaderMap) -> bool {
    if is_safe(method) || !is_cross_site(headers) {
        return false;
    }
    if path.starts_with("/sfn/") {
        return true;
    }
    // Only a bearer token marks an API client; a browser may attach cached
    // Basic credentials by itself (review L5).
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer "));
    !bearer
        && (cookie(headers, SESSION_COOKIE).is_some()
            || cookie(headers, SECURE_SESSION_COOKIE).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn h(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut m = HeaderMap::new();
        for (k, v) in pairs {
            m.insert(*k, HeaderValue::from_static(v));
        }
        m
    }

    #[test]
    fn decisions() {
        let post = Method::POST;
        let cookie = ("cookie", "kezek_session=abc");
        let host = ("host", "kezek.kz");
        let evil = ("origin", "https://evil.example");
        let cross = ("sec-fetch-site", "cross-site");
        // Cross-site with the cookie: refused, on the API and server fns.
        assert!(is_forged(
            &post,
            "/api/v1/bookings",
            &h(&[cookie, host, evil, cross])
        ));
        assert!(is_forged(
            &post,
            "/api/v1/bookings",
            &h(&[cookie, host, evil])
        ));
        assert!(is_forged(&post, "/sfn/book_visit", &h(&[host, cross])));
        assert!(is_forged(
            &post,
            "/api/v1/x",
            &h(&[cookie, host, ("origin", "null")])
        ));
        // Same origin, bearer tokens, safe methods, no browser headers: allowed.
        let same = ("origin", "https://kezek.kz");
        assert!(!is_forged(
            &post,
            "/sfn/book_visit",
            &h(&[cookie, host, same])
        ));
        assert!(!is_forged(
            &post,
            "/sfn/book_visit",
            &h(&[cookie, host, ("sec-fetch-site", "same-origin")])
        ));
        let bearer = ("authorization", "Bearer t");
        assert!(!is_forged(
            &post,
            "/api/v1/bookings",
            &h(&[bearer, cookie, host, evil, cross])
        ));
        assert!(!is_forged(
            &post,
            "/api/v1/auth/otp",
            &h(&[host, evil, cross])
        ));
        assert!(!is_forged(
            &Method::GET,
            "/sfn/my_booking",
            &h(&[cookie, host, evil, cross])
        ));
        assert!(!is_forged(&post, "/api/v1/bookings", &h(&[cookie, host])));
        // Cached Basic credentials are not a bearer client (review L5).
        let basic = ("authorization", "Basic dXNlcjpwdw==");
        assert!(is_forged(
            &post,
            "/api/v1/bookings/1/cancel",
            &h(&[basic, cookie, host, evil, cross])
        ));
    }
}
