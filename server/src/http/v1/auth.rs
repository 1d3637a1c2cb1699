//! Citizen sign-in over the JSON API: `/auth/otp`, `/auth/verify`,
//! `/auth/logout`; and staff sign-in, `/staff/login`. All are counted
//! against the per-address sign-in limit.
use app::api::ctx::session_cookie;
use app::server::service::{auth, staff};
use app::server::state::AppState;
use axum::{
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};

use app::server::error::ServiceError;

use super::error::{ApiError, ApiResult, OrApi};
use super::extract::{ApiJson, Auth, ReqLang};
use super::ratelimit::AuthRateLimit;

#[derive(Deserialize)]
pub struct OtpRequest {
    pub iin: String,
    pub phone: String,
}

#[derive(Serialize)]
pub struct OtpSent {
    pub challenge_id: String,
}

/// `POST /auth/otp` → 202 `{"challenge_id"}`.
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

#[derive(Deserialize)]
pub struct VerifyRequest {
    pub challenge_id: String,
    pub code: String,
}

#[derive(Serialize)]
pub struct CitizenToken {
    pub token: String,
    pub iin: String,
}

/// `POST /auth/verify` → 200 `{"token","iin"}` and the session cookie.
pub async fn verify(
    _: AuthRateLimit,
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ApiJson(req): ApiJson<VerifyRequest>,
) -> ApiResult<Response> {
    // PostgreSQL refuses NUL in text: such an id names no challenge.
    if req.challenge_id.chars().any(char::is_control) {
        return Err(ApiError::from_service(
            ServiceError::Invalid("code_expired"),
            lang,
        ));
    }
    let signed = auth::verify_otp::verify_otp(&state, &req.challenge_id, &req.code)
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

#[derive(Deserialize)]
pub struct StaffLoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Serialize)]
pub struct StaffToken {
    pub token: String,
    /// `operator`, `center_admin` or `administrator`.
    pub role: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub center_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_id: Option<String>,
}

/// `POST /staff/login` → 200 `{"token","role","center_id"?,"window_id"?}`;
/// 401 `unauthorized` for any wrong username, password or inactive account.
pub async fn staff_login(
    _: AuthRateLimit,
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ApiJson(req): ApiJson<StaffLoginRequest>,
) -> ApiResult<(HeaderMap, ApiJson<StaffToken>)> {
    let s = staff::staff_login(&state, &req.username, &req.password)
        .await
        .or_api(lang)?;
    let mut headers = HeaderMap::new();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok((
        headers,
        ApiJson(StaffToken {
            token: s.token,
            role: s.role.as_str(),
            center_id: s.center_id.map(|c| c.to_string()),
            window_id: s.window_id.map(|w| w.to_string()),
        }),
    ))
}
