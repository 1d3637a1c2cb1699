//! The staff desk (`/api/v1/staff/…`, API.md "Staff"): thin handlers over
//! `app::server::service::desk`. The bearer token must be a staff member's
//! (401 without one, 403 for a citizen); the use case checks the role for
//! the booking's center or the window.
use app::api::types::BookingView;
use app::server::service::desk;
use app::server::state::AppState;
use axum::{
    Json, Router,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::post,
};
use serde::{Deserialize, Serialize};

use super::error::{ApiError, ApiResult, OrApi};
use super::extract::{ApiJson, ApiPath, StaffAuth};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/checkin", post(check_in))
        .route("/staff/windows/{window_id}/call-next", post(call_next))
        .route("/staff/bookings/{id}/start", post(start))
        .route("/staff/bookings/{id}/served", post(served))
        .route("/staff/bookings/{id}/no-show", post(no_show))
}

#[derive(Deserialize, Debug)]
pub struct CheckinBody {
    code: String,
}

/// `{"booking_id","ticket"}` (the id as a string, like every id in API.md).
#[derive(Serialize, Debug)]
pub struct CheckinResult {
    booking_id: String,
    ticket: String,
}

fn id_of(raw: &str, lang: app::i18n::Lang) -> ApiResult<i64> {
    raw.trim().parse().map_err(|_| ApiError::not_found(lang))
}

async fn check_in(
    State(state): State<AppState>,
    auth: StaffAuth,
    ApiJson(body): ApiJson<CheckinBody>,
) -> ApiResult<Json<CheckinResult>> {
    let done = desk::check_in(&state, &auth.actor, &body.code)
        .await
        .or_api(auth.lang)?;
    Ok(Json(CheckinResult {
        booking_id: done.booking_id.to_string(),
        ticket: done.ticket,
    }))
}

async fn call_next(
    State(state): State<AppState>,
    auth: StaffAuth,
    ApiPath(window_id): ApiPath<String>,
) -> ApiResult<Response> {
    let window_id = id_of(&window_id, auth.lang)?;
    let called = desk::call_next(&state, &auth.actor, window_id, auth.lang)
        .await
        .or_api(auth.lang)?;
    Ok(match called {
        Some(view) => Json(view).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    })
}

async fn start(
    State(state): State<AppState>,
    auth: StaffAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<BookingView>> {
    let id = id_of(&id, auth.lang)?;
    desk::start(&state, &auth.actor, id, auth.lang)
        .await
        .or_api(auth.lang)
        .map(Json)
}

async fn served(
    State(state): State<AppState>,
    auth: StaffAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<BookingView>> {
    let id = id_of(&id, auth.lang)?;
    desk::served(&state, &auth.actor, id, auth.lang)
        .await
        .or_api(auth.lang)
        .map(Json)
}

async fn no_show(
    State(state): State<AppState>,
    auth: StaffAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<BookingView>> {
    let id = id_of(&id, auth.lang)?;
    desk::no_show(&state, &auth.actor, id, auth.lang)
        .await
        .or_api(auth.lang)
        .map(Json)
}
