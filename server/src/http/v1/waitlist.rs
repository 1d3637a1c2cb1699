//! The waiting list (DOMAIN.md R13, API.md "Waiting list"): join, list,
//! leave — thin handlers over `kezek_core::service::waitlist`.
use crate::AppState;
use app::domain::ids::CenterId;
use app::domain::iin::Iin;
use app::server::service::waitlist;
use axum::{Json, Router, extract::State, http::StatusCode, routing::post};
use kezek_wire::draws::{NewWaitEntry, WaitEntryView};

use super::error::{ApiError, ApiResult, OrApi};
use super::extract::{ApiJson, ApiPath, CitizenAuth};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/waitlist", post(join).get(mine))
        .route("/waitlist/{id}/leave", post(leave))
}

#[utoipa::path(
    post,
    path = "/waitlist",
    tag = "waitlist",
    operation_id = "join_waitlist",
    summary = "Wait for a service at a center, or at any center of its kind in a city",
    description = "`center_id` or `city` (not both); `from`–`to` inside the horizon; an optional `time_from`–`time_to` (HH:MM, inclusive). With `booking_id` the entry moves that booking (same id and code, not counted by R1) instead of making a new one. A matching start free now is 422 `slots_available`; a second entry of the same center kind and service group is `already_waiting`.",
    request_body = NewWaitEntry,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 201, description = "Waiting", body = WaitEntryView),
        (status = 400, response = super::openapi::r::MalformedRequest),
        (status = 404, response = super::openapi::r::NotFound),
        (status = 413, response = super::openapi::r::PayloadTooLarge),
        (status = 415, response = super::openapi::r::UnsupportedMediaType),
        (status = 422, response = super::openapi::r::Unprocessable),
        (status = 429, response = super::openapi::r::TooManyRequests),
    )
)]
pub async fn join(
    State(state): State<AppState>,
    auth: CitizenAuth,
    ApiJson(body): ApiJson<NewWaitEntry>,
) -> ApiResult<(StatusCode, Json<WaitEntryView>)> {
    let lang = auth.lang;
    let iin = Iin::parse(&auth.iin).map_err(|_| ApiError::unauthorized(lang))?;
    let center_id = match &body.center_id {
        Some(c) => Some(c.get().ok_or_else(|| ApiError::not_found(lang))?),
        None => None,
    };
    let booking_id = match &body.booking_id {
        Some(b) => Some(b.get().ok_or_else(|| ApiError::not_found(lang))?),
        None => None,
    };
    let view = waitlist::join(
        &state,
        waitlist::JoinInput {
            citizen_id: auth.citizen_id,
            iin,
            service: body.service,
            center_id: center_id.map(CenterId::new),
            city: body.city,
            from: body.from,
            to: body.to,
            time_from: body.time_from,
            time_to: body.time_to,
            booking_id,
            vehicle: body.vehicle,
        },
        lang,
    )
    .await
    .or_api(lang)?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[utoipa::path(
    get,
    path = "/waitlist",
    tag = "waitlist",
    operation_id = "list_waitlist",
    summary = "The signed-in citizen's waiting-list entries, newest first",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "Entries", body = [WaitEntryView]),
    )
)]
pub async fn mine(
    State(state): State<AppState>,
    auth: CitizenAuth,
) -> ApiResult<Json<Vec<WaitEntryView>>> {
    waitlist::list_mine(&state, auth.citizen_id, auth.lang)
        .await
        .or_api(auth.lang)
        .map(Json)
}

#[utoipa::path(
    post,
    path = "/waitlist/{id}/leave",
    tag = "waitlist",
    operation_id = "leave_waitlist",
    summary = "Leave the waiting list",
    description = "An entry already served, left or expired answers as it is. Another citizen's entry is 404.",
    params(("id" = String, Path, description = "Entry id")),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The entry", body = WaitEntryView),
        (status = 404, response = super::openapi::r::NotFound),
    )
)]
pub async fn leave(
    State(state): State<AppState>,
    auth: CitizenAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<WaitEntryView>> {
    let id: i64 = id
        .trim()
        .parse()
        .map_err(|_| ApiError::not_found(auth.lang))?;
    waitlist::leave(&state, auth.citizen_id, id, auth.lang)
        .await
        .or_api(auth.lang)
        .map(Json)
}
