//! Request context for server functions: state, language, session.
use axum::http::{HeaderMap, header};
use leptos::prelude::*;

use crate::api::error::AppError;
use crate::i18n::Lang;
use crate::server::Core;
use crate::server::service::auth::session::{Principal, authenticate};

pub const SESSION_COOKIE: &str = "kezek_session";
/// The session cookie's name when served over TLS: the `__Host-` prefix
/// makes browsers refuse it from any other host, a sibling subdomain
/// included (it requires `Secure`, `Path=/` and no `Domain`).
pub const SECURE_SESSION_COOKIE: &str = "__Host-kezek_session";

/// The session cookie's name in this mode.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        SECURE_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}
pub const LANG_COOKIE: &str = "kezek_lang";

pub fn state() -> Result<Core, AppError> {
    use_context::<Core>()
        .ok_or_else(|| AppError::new(crate::api::error::ErrorCode::Internal, "state missing"))
}

pub async fn headers() -> HeaderMap {
    leptos_axum::extract::<HeaderMap>()
        .await
        .unwrap_or_default()
}

/// A cookie's value from the request headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The caller's language: the `kezek_lang` cookie, else `Accept-Language`
/// (highest q), else Russian.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    if let Some(l) = cookie(headers, LANG_COOKIE).and_then(Lang::parse) {
        return l;
    }
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_accept_language)
        .unwrap_or_default()
}

/// The bearer token or session cookie of the request, if any. Over TLS
/// (`secure`) only the `__Host-` cookie counts.
pub fn token_of(headers: &HeaderMap, secure: bool) -> Option<String> {
    if let Some(t) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        return Some(t.trim().to_owned());
    }
    cookie(headers, cookie_name(secure)).map(str::to_owned)
}

/// The signed-in principal, or `unauthorized`.
pub async fn principal(state: &Core, headers: &HeaderMap) -> Result<Principal, AppError> {
    let lang = lang_of(headers);
    let token = token_of(headers, state.config.secure_cookies).ok_or_else(|| {
        AppError::from_service(crate::server::error::ServiceError::Unauthorized, lang)
    })?;
    authenticate(&state.db, &token, state.now().timestamp())
        .await
        .map_err(|e| AppError::from_service(e, lang))
}

/// Where the current request comes from, for a new session's record
/// (user agent; client address as the limits count it).
pub async fn session_meta(state: &Core) -> crate::server::service::auth::session::SessionMeta {
    use axum::extract::ConnectInfo;
    let headers = headers().await;
    let peer = leptos_axum::extract::<ConnectInfo<std::net::SocketAddr>>()
        .await
        .ok()
        .map(|c| c.0.ip());
    session_meta_of(&headers, peer, &state.config.trusted_proxies)
}

/// The client's address from the TCP `peer` and, behind one of the
/// `trusted` proxies, `X-Forwarded-For` (see `kezek_core::limiter`).
pub fn client_ip_of(
    headers: &HeaderMap,
    peer: Option<std::net::IpAddr>,
    trusted: &[std::net::IpAddr],
) -> Option<std::net::IpAddr> {
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    crate::server::limiter::client_ip(peer, &forwarded, trusted)
}

/// A new session's record of where it comes from: the user agent and the
/// client address as the limits count it.
pub fn session_meta_of(
    headers: &HeaderMap,
    peer: Option<std::net::IpAddr>,
    trusted: &[std::net::IpAddr],
) -> crate::server::service::auth::session::SessionMeta {
    let ip = client_ip_of(headers, peer, trusted);
    crate::server::service::auth::session::SessionMeta::new(
        headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok()),
        ip.map(|ip| crate::server::limiter::client_key(Some(ip))),
    )
}

/// Ends the request's session, if any, and clears the cookie; then
/// redirects to `to` (sign-out for citizens and staff alike).
pub async fn end_session_and_redirect(to: &str) -> Result<(), AppError> {
    let state = state()?;
    let headers = headers().await;
    let lang = lang_of(&headers);
    if let Some(token) = token_of(&headers, state.config.secure_cookies) {
        crate::server::service::auth::session::end_session(&state.db, &token)
            .await
            .map_err(|e| fail(e, lang))?;
    }
    set_response_header(
        header::SET_COOKIE,
        &session_cookie("", 0, state.config.secure_cookies),
    );
    leptos_axum::redirect(to);
    Ok(())
}

/// `Set-Cookie` value for a session token.
pub fn session_cookie(token: &str, max_age: i64, secure: bool) -> String {
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}",
        cookie_name(secure),
        if secure { "; Secure" } else { "" }
    )
}

/// Sets a response header from inside a server function.
pub fn set_response_header(name: header::HeaderName, value: &str) {
    if let (Some(resp), Ok(v)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        header::HeaderValue::from_str(value),
    ) {
        resp.append_header(name, v);
    }
}

/// Turns a use-case error into the server function's error, setting the
/// HTTP status from its code (4xx for the caller's mistakes, never 500 for
/// bad input).
pub fn fail(e: crate::server::error::ServiceError, lang: Lang) -> AppError {
    // 429 and 503 say when to come back, as on the JSON API.
    if let Some(secs) = e.retry_after() {
        set_response_header(header::RETRY_AFTER, &secs.to_string());
    }
    let err = AppError::from_service(e, lang);
    if let (Some(resp), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        axum::http::StatusCode::from_u16(err.status()),
    ) {
        resp.set_status(status);
    }
    err
}
