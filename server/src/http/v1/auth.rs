//! Citizen sign-in over the JSON API: `/auth/otp`, `/auth/verify`,
//! `/auth/logout`; and staff sign-in, `/staff/login`. All are counted
//! against the per-address sign-in limit.
use crate::AppState;
use app::api::ctx::session_cookie;
use app::api::error::ErrorCode;
use app::server::service::{auth, staff};
use axum::{
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use kezek_wire::api::{
    CitizenToken, OtpRequest, OtpSent, StaffLoginRequest, StaffToken, VerifyRequest,
};

use app::server::error::ServiceError;

use super::error::{ApiError, ApiResult, OrApi};
use super::extract::{ApiJson, Auth, ReqLang};
use super::ratelimit::{AuthRateLimit, ClientMeta};

/// `POST /auth/otp` → 202 `{"challenge_id"}`.
#[utoipa::path(
    post,
    path = "/auth/otp",
    tag = "auth",
    summary = "Send a 6-digit sign-in code to a phone",
    description = "Sends the code by SMS to a Kazakh mobile number. Sign-in requests are limited per client address, and codes per phone and per IIN: 429 with `Retry-After`.",
    request_body = OtpRequest,
    responses(
        (status = 202, description = "Code sent", body = OtpSent),
        (status = 400, response = super::openapi::r::MalformedRequest),
        (status = 413, response = super::openapi::r::PayloadTooLarge),
        (status = 415, response = super::openapi::r::UnsupportedMediaType),
        (status = 422, response = super::openapi::r::Unprocessable),
        (status = 429, response = super::openapi::r::TooManyRequests),
    )
)]
pub async fn request_otp(
    _: AuthRateLimit,
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ApiJson(req): ApiJson<OtpRequest>,
) -> ApiResult<(StatusCode, ApiJson<OtpSent>)> {
    let sent = auth::request_otp::request_otp(&state, &req.iin, &req.phone, lang)
        .await
        .or_api(lang)?;
    Ok((
        StatusCode::ACCEPTED,
        ApiJson(OtpSent {
            challenge_id: sent.challenge_id,
        }),
    ))
}

/// `POST /auth/verify` → 200 `{"token","iin"}` and the session cookie.
#[utoipa::path(
    post,
    path = "/auth/verify",
    tag = "auth",
    operation_id = "verify_otp",
    summary = "Exchange the code for a session token",
    description = "5 wrong codes burn the challenge (`code_expired`).",
    request_body = VerifyRequest,
    responses(
        (status = 200, description = "Signed in; the same token is set as the HttpOnly `kezek_session` cookie", body = CitizenToken, headers(("Set-Cookie" = String, description = "The session cookie `kezek_session`"))),
        (status = 400, response = super::openapi::r::MalformedRequest),
        (status = 413, response = super::openapi::r::PayloadTooLarge),
        (status = 415, response = super::openapi::r::UnsupportedMediaType),
        (status = 422, response = super::openapi::r::Unprocessable),
        (status = 429, response = super::openapi::r::TooManyRequests),
    )
)]
pub async fn verify(
    _: AuthRateLimit,
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    ReqLang(lang): ReqLang,
    ApiJson(req): ApiJson<VerifyRequest>,
) -> ApiResult<Response> {
    // PostgreSQL refuses NUL in text: such an id names no challenge.
    if req.challenge_id.chars().any(char::is_control) {
        return Err(ApiError::from_service(
            ServiceError::Invalid(ErrorCode::CodeExpired),
            lang,
        ));
    }
    let signed = auth::verify_otp::verify_otp(&state, &req.challenge_id, &req.code, &meta)
        .await
        .or_api(lang)?;
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&session_cookie(
        &signed.token,
        state.config.session_ttl_secs,
        state.config.secure_cookies,
    )) {
        headers.insert(header::SET_COOKIE, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok((
        headers,
        ApiJson(CitizenToken {
            token: signed.token,
            iin: signed.iin,
        }),
    )
        .into_response())
}

/// `POST /auth/logout` → 204; ends the session of the token (citizen or
/// staff) and clears the cookie. 401 without a valid session.
#[utoipa::path(
    post,
    path = "/auth/logout",
    tag = "auth",
    summary = "End the session of the token",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 204, description = "Signed out; the cookie is cleared", headers(("Set-Cookie" = String, description = "Clears `kezek_session`"))),
        (status = 401, response = super::openapi::r::Unauthorized),
        (status = 429, response = super::openapi::r::TooManyRequests),
    )
)]
pub async fn logout(
    _: AuthRateLimit,
    State(state): State<AppState>,
    who: Auth,
) -> ApiResult<Response> {
    auth::session::end_session(&state.db, &who.token)
        .await
        .or_api(who.lang)?;
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&session_cookie("", 0, state.config.secure_cookies)) {
        headers.insert(header::SET_COOKIE, v);
    }
    Ok((StatusCode::NO_CONTENT, headers).into_response())
}

/// `POST /staff/login` → 200 `{"token","role","center_id"?,"window_id"?}`;
/// 401 `unauthorized` for any wrong username, password or inactive account.
#[utoipa::path(
    post,
    path = "/staff/login",
    tag = "staff",
    summary = "Staff sign-in",
    description = "Any wrong username, password or inactive account is 401 with the same message.",
    request_body = StaffLoginRequest,
    responses(
        (status = 200, description = "Signed in", body = StaffToken),
        (status = 400, response = super::openapi::r::MalformedRequest),
        (status = 401, response = super::openapi::r::Unauthorized),
        (status = 413, response = super::openapi::r::PayloadTooLarge),
        (status = 415, response = super::openapi::r::UnsupportedMediaType),
        (status = 422, response = super::openapi::r::Unprocessable),
        (status = 429, response = super::openapi::r::TooManyRequests),
    )
)]
pub async fn staff_login(
    _: AuthRateLimit,
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    ReqLang(lang): ReqLang,
    ApiJson(req): ApiJson<StaffLoginRequest>,
) -> ApiResult<(HeaderMap, ApiJson<StaffToken>)> {
    let s = staff::staff_login(&state, &req.username, &req.password, &meta)
        .await
        .or_api(lang)?;
    let mut headers = HeaderMap::new();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok((
        headers,
        ApiJson(StaffToken {
            token: s.token,
            role: s.role.as_str().to_owned(),
            center_id: s.center_id.map(|c| c.to_string()),
            window_id: s.window_id.map(|w| w.to_string()),
        }),
    ))
}
