//! Citizen bookings and availability (`/api/v1`, API.md): thin handlers over
//! `app::server::service::booking`.
use crate::AppState;
use app::api::types::{BookingView, FreeSlot};
use app::domain::ids::{BookingId, CenterId};
use app::domain::iin::Iin;
use app::domain::input::BadInput;
use app::i18n::Lang;
use app::server::service::booking::{
    availability::availability,
    cancel::{Canceller, cancel},
    create::{BookInput, book},
    query::{get_one, list_mine},
    reschedule::{RescheduleInput, reschedule},
};
use axum::{
    Json, Router,
    extract::State,
    http::{HeaderMap, StatusCode},
    routing::{get, post},
};
use chrono::NaiveDate;
use kezek_wire::api::{AvailabilityQuery, MoveBody, NewBooking};

use super::error::{ApiError, ApiResult, OrApi};
use super::extract::{ApiJson, ApiPath, ApiQuery, CitizenAuth, ReqLang};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/availability", get(get_availability))
        .route("/bookings", post(create).get(list))
        .route("/bookings/{id}", get(show))
        .route("/bookings/{id}/reschedule", post(move_booking))
        .route("/bookings/{id}/cancel", post(cancel_booking))
}

fn parse_date(s: &str, field: &'static str, lang: Lang) -> ApiResult<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| ApiError::bad_request(BadInput::DateFormat { field }, lang))
}

#[utoipa::path(
    get,
    path = "/availability",
    tag = "catalog",
    summary = "Free starts for a service at a center",
    description = "`from` after `to`, or a range longer than the horizon, is 422 `bad_request`; a center id that names no center is 404.",
    params(
        AvailabilityQuery,
    ),
    responses(
        (status = 200, description = "Free starts (free > 0), in time order", body = [FreeSlot]),
        (status = 404, response = super::openapi::r::NotFound),
        (status = 422, response = super::openapi::r::Unprocessable),
    )
)]
pub async fn get_availability(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ApiQuery(q): ApiQuery<AvailabilityQuery>,
) -> ApiResult<Json<Vec<FreeSlot>>> {
    let center = q
        .center_id
        .trim()
        .parse::<i64>()
        .map_err(|_| ApiError::not_found(lang))?;
    let from = parse_date(&q.from, "from", lang)?;
    let to = parse_date(&q.to, "to", lang)?;
    availability(&state, CenterId::new(center), &q.service, from, to)
        .await
        .or_api(lang)
        .map(Json)
}

#[utoipa::path(
    post,
    path = "/bookings",
    tag = "bookings",
    operation_id = "create_booking",
    summary = "Book a visit",
    params(
        ("Idempotency-Key" = Option<String>, Header, max_length = 128, description = "A retried request with the same key returns the first answer and never books twice"),
    ),
    request_body = NewBooking,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 201, description = "Booked", body = BookingView),
        (status = 400, response = super::openapi::r::MalformedRequest),
        (status = 404, response = super::openapi::r::NotFound),
        (status = 409, response = super::openapi::r::Conflict),
        (status = 413, response = super::openapi::r::PayloadTooLarge),
        (status = 415, response = super::openapi::r::UnsupportedMediaType),
        (status = 422, response = super::openapi::r::Unprocessable),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    auth: CitizenAuth,
    headers: HeaderMap,
    ApiJson(body): ApiJson<NewBooking>,
) -> ApiResult<(StatusCode, Json<BookingView>)> {
    let lang = auth.lang;
    let center_id = body
        .center_id
        .get()
        .ok_or_else(|| ApiError::not_found(lang))?;
    let iin = Iin::parse(&auth.iin).map_err(|_| ApiError::unauthorized(lang))?;
    let key = headers
        .get("idempotency-key")
        .map(|v| {
            v.to_str().map(|s| s.trim().to_owned()).map_err(|_| {
                ApiError::bad_request(
                    BadInput::HeaderValue {
                        header: "Idempotency-Key",
                        max: 200,
                    },
                    lang,
                )
            })
        })
        .transpose()?;
    let booked = book(
        &state,
        BookInput {
            citizen_id: auth.citizen_id,
            iin,
            center_id: CenterId::new(center_id),
            service: body.service,
            start: body.start,
            vehicle: body.vehicle,
            idempotency_key: key,
        },
        lang,
    )
    .await
    .or_api(lang)?;
    let mut view = booked.booking;
    view.history = None;
    Ok((StatusCode::CREATED, Json(view)))
}

#[utoipa::path(
    get,
    path = "/bookings",
    tag = "bookings",
    operation_id = "list_bookings",
    summary = "The signed-in citizen's bookings, newest first",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "Bookings", body = [BookingView]),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    auth: CitizenAuth,
) -> ApiResult<Json<Vec<BookingView>>> {
    list_mine(&state.db, auth.citizen_id, auth.lang)
        .await
        .or_api(auth.lang)
        .map(Json)
}

fn booking_id(raw: &str, lang: app::i18n::Lang) -> ApiResult<i64> {
    raw.trim().parse().map_err(|_| ApiError::not_found(lang))
}

#[utoipa::path(
    get,
    path = "/bookings/{id}",
    tag = "bookings",
    operation_id = "get_booking",
    summary = "One booking with its history",
    description = "Another citizen's booking is 404.",
    params(
        ("id" = String, Path, description = "Booking id"),
    ),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The booking", body = BookingView),
        (status = 404, response = super::openapi::r::NotFound),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    auth: CitizenAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<BookingView>> {
    let id = booking_id(&id, auth.lang)?;
    get_one(
        &state.db,
        BookingId::new(id),
        Some(auth.citizen_id),
        auth.lang,
    )
    .await
    .or_api(auth.lang)
    .map(Json)
}

#[utoipa::path(
    post,
    path = "/bookings/{id}/reschedule",
    tag = "bookings",
    operation_id = "reschedule_booking",
    summary = "Move a booking to another start (R1)",
    params(
        ("id" = String, Path, description = "Booking id"),
    ),
    request_body = MoveBody,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The booking: same id and code, new start", body = BookingView),
        (status = 400, response = super::openapi::r::MalformedRequest),
        (status = 404, response = super::openapi::r::NotFound),
        (status = 409, response = super::openapi::r::Conflict),
        (status = 413, response = super::openapi::r::PayloadTooLarge),
        (status = 415, response = super::openapi::r::UnsupportedMediaType),
        (status = 422, response = super::openapi::r::Unprocessable),
    )
)]
pub async fn move_booking(
    State(state): State<AppState>,
    auth: CitizenAuth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<MoveBody>,
) -> ApiResult<Json<BookingView>> {
    let lang = auth.lang;
    let booking_id = booking_id(&id, lang)?;
    let center_id = match &body.center_id {
        Some(c) => Some(c.get().ok_or_else(|| ApiError::not_found(lang))?),
        None => None,
    };
    reschedule(
        &state,
        RescheduleInput {
            citizen_id: auth.citizen_id,
            booking_id: BookingId::new(booking_id),
            start: body.start,
            center_id: center_id.map(CenterId::new),
        },
        lang,
    )
    .await
    .or_api(lang)
    .map(Json)
}

#[utoipa::path(
    post,
    path = "/bookings/{id}/cancel",
    tag = "bookings",
    summary = "Cancel a booking (R2)",
    params(
        ("id" = String, Path, description = "Booking id"),
    ),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The booking, status `Cancelled`", body = BookingView),
        (status = 404, response = super::openapi::r::NotFound),
        (status = 422, response = super::openapi::r::Unprocessable),
    )
)]
pub async fn cancel_booking(
    State(state): State<AppState>,
    auth: CitizenAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<BookingView>> {
    let id = booking_id(&id, auth.lang)?;
    cancel(
        &state,
        BookingId::new(id),
        Canceller::Citizen(auth.citizen_id),
        auth.lang,
    )
    .await
    .or_api(auth.lang)
    .map(Json)
}
