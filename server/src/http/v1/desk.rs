//! The staff desk (`/api/v1/staff/…`, API.md "Staff"): thin handlers over
//! `app::server::service::desk`. The bearer token must be a staff member's
//! (401 without one, 403 for a citizen); the use case checks the role for
//! the booking's center or the window.
use crate::AppState;
use app::api::types::BookingView;
use app::domain::ids::{BookingId, WindowId};
use app::server::service::desk;
use axum::{
    Json, Router,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::post,
};
use kezek_wire::api::{CheckinBody, CheckinResult};

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

fn id_of(raw: &str, lang: app::i18n::Lang) -> ApiResult<i64> {
    raw.trim().parse().map_err(|_| ApiError::not_found(lang))
}

#[utoipa::path(
    post,
    path = "/staff/checkin",
    tag = "staff",
    summary = "Check a visitor in by booking code; issues a ticket",
    request_body = CheckinBody,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "Checked in", body = CheckinResult),
        (status = 400, response = super::openapi::r::MalformedRequest),
        (status = 404, response = super::openapi::r::NotFound),
        (status = 413, response = super::openapi::r::PayloadTooLarge),
        (status = 415, response = super::openapi::r::UnsupportedMediaType),
        (status = 422, response = super::openapi::r::Unprocessable),
    )
)]
pub async fn check_in(
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
        iin_masked: done.iin_masked,
    }))
}

#[utoipa::path(
    post,
    path = "/staff/windows/{window_id}/call-next",
    tag = "staff",
    summary = "Call the next visitor to a window",
    params(
        ("window_id" = String, Path, description = "Window id"),
    ),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The called booking", body = BookingView),
        (status = 204, description = "Nobody is waiting"),
        (status = 404, response = super::openapi::r::NotFound),
        (status = 422, response = super::openapi::r::Unprocessable),
    )
)]
pub async fn call_next(
    State(state): State<AppState>,
    auth: StaffAuth,
    ApiPath(window_id): ApiPath<String>,
) -> ApiResult<Response> {
    let window_id = id_of(&window_id, auth.lang)?;
    let called = desk::call_next(&state, &auth.actor, WindowId::new(window_id), auth.lang)
        .await
        .or_api(auth.lang)?;
    Ok(match called {
        Some(view) => Json(view).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    })
}

#[utoipa::path(
    post,
    path = "/staff/bookings/{id}/start",
    tag = "staff",
    operation_id = "staff_start",
    summary = "Start serving a called visitor",
    params(
        ("id" = String, Path, description = "Booking id"),
    ),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The booking after the step", body = BookingView),
        (status = 404, response = super::openapi::r::NotFound),
        (status = 422, response = super::openapi::r::Unprocessable),
    )
)]
pub async fn start(
    State(state): State<AppState>,
    auth: StaffAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<BookingView>> {
    let id = id_of(&id, auth.lang)?;
    desk::start(&state, &auth.actor, BookingId::new(id), auth.lang)
        .await
        .or_api(auth.lang)
        .map(Json)
}

#[utoipa::path(
    post,
    path = "/staff/bookings/{id}/served",
    tag = "staff",
    operation_id = "staff_served",
    summary = "Mark a visit served",
    params(
        ("id" = String, Path, description = "Booking id"),
    ),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The booking after the step", body = BookingView),
        (status = 404, response = super::openapi::r::NotFound),
        (status = 422, response = super::openapi::r::Unprocessable),
    )
)]
pub async fn served(
    State(state): State<AppState>,
    auth: StaffAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<BookingView>> {
    let id = id_of(&id, auth.lang)?;
    desk::served(&state, &auth.actor, BookingId::new(id), auth.lang)
        .await
        .or_api(auth.lang)
        .map(Json)
}

#[utoipa::path(
    post,
    path = "/staff/bookings/{id}/no-show",
    tag = "staff",
    operation_id = "staff_no_show",
    summary = "Mark a booking no-show",
    params(
        ("id" = String, Path, description = "Booking id"),
    ),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The booking after the step", body = BookingView),
        (status = 404, response = super::openapi::r::NotFound),
        (status = 422, response = super::openapi::r::Unprocessable),
    )
)]
pub async fn no_show(
    State(state): State<AppState>,
    auth: StaffAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<BookingView>> {
    let id = id_of(&id, auth.lang)?;
    desk::no_show(&state, &auth.actor, BookingId::new(id), auth.lang)
        .await
        .or_api(auth.lang)
        .map(Json)
}
