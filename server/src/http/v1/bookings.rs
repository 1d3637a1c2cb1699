//! Citizen bookings and availability (`/api/v1`, API.md): thin handlers over
//! `app::server::service::booking`.
use app::api::types::{BookingView, FreeSlot};
use app::domain::iin::Iin;
use app::server::service::booking::{
    availability::availability,
    cancel::{Canceller, cancel},
    create::{BookInput, book},
    query::{get_one, list_mine},
    reschedule::{RescheduleInput, reschedule},
};
use app::server::state::AppState;
use axum::{
    Json, Router,
    extract::State,
    http::{HeaderMap, StatusCode},
    routing::{get, post},
};
use chrono::NaiveDate;
use serde::Deserialize;

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

/// An id given as a JSON string (API.md) or, leniently, a number.
#[derive(Deserialize, Debug, Clone)]
#[serde(untagged)]
pub enum IdIn {
    Text(String),
    Num(i64),
}

impl IdIn {
    fn get(&self) -> Option<i64> {
        match self {
            IdIn::Text(s) => s.trim().parse().ok(),
            IdIn::Num(n) => Some(*n),
        }
    }
}

#[derive(Deserialize, Debug)]
pub struct AvailabilityQuery {
    center_id: String,
    service: String,
    from: String,
    to: String,
}

fn parse_date(s: &str, name: &str) -> ApiResult<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| ApiError::bad_request(format!("`{name}` must be a date YYYY-MM-DD")))
}

async fn get_availability(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ApiQuery(q): ApiQuery<AvailabilityQuery>,
) -> ApiResult<Json<Vec<FreeSlot>>> {
    let center = q
        .center_id
        .trim()
        .parse::<i64>()
        .map_err(|_| ApiError::not_found(lang))?;
    let from = parse_date(&q.from, "from")?;
    let to = parse_date(&q.to, "to")?;
    availability(&state, center, &q.service, from, to)
        .await
        .or_api(lang)
        .map(Json)
}

#[derive(Deserialize, Debug)]
pub struct NewBooking {
    center_id: IdIn,
    service: String,
    start: String,
    #[serde(default)]
    vehicle: Option<String>,
}

async fn create(
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
            v.to_str()
                .map(|s| s.trim().to_owned())
                .map_err(|_| ApiError::bad_request("Idempotency-Key must be ASCII"))
        })
        .transpose()?;
    let booked = book(
        &state,
        BookInput {
            citizen_id: auth.citizen_id,
            iin,
            center_id,
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

async fn list(
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

async fn show(
    State(state): State<AppState>,
    auth: CitizenAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<BookingView>> {
    let id = booking_id(&id, auth.lang)?;
    get_one(&state.db, id, Some(auth.citizen_id), auth.lang)
        .await
        .or_api(auth.lang)
        .map(Json)
}

#[derive(Deserialize, Debug)]
pub struct MoveBody {
    start: String,
    #[serde(default)]
    center_id: Option<IdIn>,
}

async fn move_booking(
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
            booking_id,
            start: body.start,
            center_id,
        },
        lang,
    )
    .await
    .or_api(lang)
    .map(Json)
}

async fn cancel_booking(
    State(state): State<AppState>,
    auth: CitizenAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<BookingView>> {
    let id = booking_id(&id, auth.lang)?;
    cancel(&state, id, Canceller::Citizen(auth.citizen_id), auth.lang)
        .await
        .or_api(auth.lang)
        .map(Json)
}
