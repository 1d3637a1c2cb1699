//! Draws (DOMAIN.md R12, API.md "Draws"): the public record, a citizen's
//! requests, and the administrator's ad hoc draws and release modes — thin
//! handlers over `kezek_core::service::draws`.
use crate::AppState;
use app::domain::iin::Iin;
use app::domain::input::BadInput;
use app::i18n::Lang;
use app::server::service::draws::{admin, requests, views};
use app::server::service::staff::{Need, require_role};
use axum::{
    Json, Router,
    extract::State,
    http::StatusCode,
    routing::{get, post},
};
use chrono::NaiveDate;
use kezek_wire::api::IdIn;
use kezek_wire::draws::{
    DrawRequestView, DrawView, DrawsQuery, NewDraw, NewDrawRequest, ReleaseBody, ReleaseView,
};

use super::error::{ApiError, ApiResult, OrApi};
use super::extract::{ApiJson, ApiPath, ApiQuery, Auth, CitizenAuth, ReqLang};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/draws", get(list))
        .route("/draws/{id}", get(show))
        .route("/draw-requests", post(submit).get(mine))
        .route("/draw-requests/{id}/withdraw", post(withdraw))
        .route("/admin/draws", post(create))
        .route("/admin/centers/{id}/release", get(release).put(set_release))
}

fn id_of(raw: &str, lang: Lang) -> ApiResult<i64> {
    raw.trim().parse().map_err(|_| ApiError::not_found(lang))
}

fn date_of(s: &str, field: &'static str, lang: Lang) -> ApiResult<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| ApiError::bad_request(BadInput::DateFormat { field }, lang))
}

#[utoipa::path(
    get,
    path = "/draws",
    tag = "draws",
    operation_id = "list_draws",
    summary = "Draws covering a center and/or date (no sign-in)",
    description = "The newest 100, without their request lists (see `GET /draws/{id}`). A center id that is not a number is 404.",
    params(DrawsQuery),
    responses(
        (status = 200, description = "Draws, newest first", body = [DrawView]),
        (status = 404, response = super::openapi::r::NotFound),
        (status = 422, response = super::openapi::r::Unprocessable),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ApiQuery(q): ApiQuery<DrawsQuery>,
) -> ApiResult<Json<Vec<DrawView>>> {
    let center = match q.center_id.as_deref().map(str::trim) {
        Some(c) if !c.is_empty() => Some(id_of(c, lang)?),
        _ => None,
    };
    let date = match q.date.as_deref().map(str::trim) {
        Some(d) if !d.is_empty() => Some(date_of(d, "date", lang)?),
        _ => None,
    };
    views::list(&state, center, date)
        .await
        .or_api(lang)
        .map(Json)
}

#[utoipa::path(
    get,
    path = "/draws/{id}",
    tag = "draws",
    operation_id = "get_draw",
    summary = "A draw's public record (no sign-in, no personal data)",
    description = "The commitment from the opening; the seed and every request's position once the draw has run. `kezek verify-draw` recomputes the order from this document.",
    params(("id" = String, Path, description = "Draw id")),
    responses(
        (status = 200, description = "The draw", body = DrawView),
        (status = 404, response = super::openapi::r::NotFound),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<DrawView>> {
    let id = id_of(&id, lang)?;
    views::get(&state, id).await.or_api(lang).map(Json)
}

fn center_of(c: &IdIn) -> Option<i64> {
    c.get()
}

#[utoipa::path(
    post,
    path = "/draw-requests",
    tag = "draws",
    operation_id = "create_draw_request",
    summary = "Request a time in an open draw (1–5 ranked choices)",
    description = "Every rule is checked for every choice now and again when the draw is served. One open request per center kind and service group (`already_requested`); a closed draw is `draw_closed`; malformed choices are `bad_request`.",
    request_body = NewDrawRequest,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 201, description = "Requested", body = DrawRequestView),
        (status = 400, response = super::openapi::r::MalformedRequest),
        (status = 404, response = super::openapi::r::NotFound),
        (status = 413, response = super::openapi::r::PayloadTooLarge),
        (status = 415, response = super::openapi::r::UnsupportedMediaType),
        (status = 422, response = super::openapi::r::Unprocessable),
        (status = 429, response = super::openapi::r::TooManyRequests),
    )
)]
pub async fn submit(
    State(state): State<AppState>,
    auth: CitizenAuth,
    ApiJson(body): ApiJson<NewDrawRequest>,
) -> ApiResult<(StatusCode, Json<DrawRequestView>)> {
    let lang = auth.lang;
    let draw_id = body
        .draw_id
        .get()
        .ok_or_else(|| ApiError::not_found(lang))?;
    let iin = Iin::parse(&auth.iin).map_err(|_| ApiError::unauthorized(lang))?;
    let input = requests::RequestInput {
        citizen_id: auth.citizen_id,
        iin,
        draw_id,
        service: body.service,
        choices: body
            .choices
            .iter()
            .map(|c| requests::ChoiceInput {
                center_id: center_of(&c.center_id),
                date: c.date.clone(),
                time_from: c.time_from.clone(),
                time_to: c.time_to.clone(),
            })
            .collect(),
        vehicle: body.vehicle,
    };
    let view = requests::submit(&state, input, lang).await.or_api(lang)?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[utoipa::path(
    get,
    path = "/draw-requests",
    tag = "draws",
    operation_id = "list_draw_requests",
    summary = "The signed-in citizen's draw requests, newest first",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "Requests", body = [DrawRequestView]),
    )
)]
pub async fn mine(
    State(state): State<AppState>,
    auth: CitizenAuth,
) -> ApiResult<Json<Vec<DrawRequestView>>> {
    requests::list_mine(&state, auth.citizen_id, auth.lang)
        .await
        .or_api(auth.lang)
        .map(Json)
}

#[utoipa::path(
    post,
    path = "/draw-requests/{id}/withdraw",
    tag = "draws",
    operation_id = "withdraw_draw_request",
    summary = "Withdraw a request while its draw is open",
    description = "After the close: 422 `draw_closed`. Withdrawing twice answers the same. Another citizen's request is 404.",
    params(("id" = String, Path, description = "Request id")),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The request, status `withdrawn`", body = DrawRequestView),
        (status = 404, response = super::openapi::r::NotFound),
        (status = 422, response = super::openapi::r::Unprocessable),
    )
)]
pub async fn withdraw(
    State(state): State<AppState>,
    auth: CitizenAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<DrawRequestView>> {
    let id = id_of(&id, auth.lang)?;
    requests::withdraw(&state, auth.citizen_id, id, auth.lang)
        .await
        .or_api(auth.lang)
        .map(Json)
}

#[utoipa::path(
    post,
    path = "/admin/draws",
    tag = "admin",
    operation_id = "create_draw",
    summary = "Open an ad hoc draw over centers × dates (administrator)",
    description = "Opens now for `window_minutes` (default 30). Centers active and of one kind; dates inside the horizon and not under another draw. While open, booking those dates is `draw_pending`.",
    request_body = NewDraw,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 201, description = "The draw", body = DrawView),
        (status = 400, response = super::openapi::r::MalformedRequest),
        (status = 413, response = super::openapi::r::PayloadTooLarge),
        (status = 415, response = super::openapi::r::UnsupportedMediaType),
        (status = 422, response = super::openapi::r::Unprocessable),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    who: Auth,
    ApiJson(body): ApiJson<NewDraw>,
) -> ApiResult<(StatusCode, Json<DrawView>)> {
    let lang = who.lang;
    require_role(&who.principal, Need::Administrator).or_api(lang)?;
    let mut centers = Vec::new();
    for c in &body.center_ids {
        let id = c.get().ok_or_else(|| {
            ApiError::bad_request(
                BadInput::InvalidField {
                    field: "center_ids".into(),
                },
                lang,
            )
        })?;
        centers.push(id);
    }
    let mut dates = Vec::new();
    for d in &body.dates {
        dates.push(date_of(d, "dates", lang)?);
    }
    let view = admin::create(&state, &centers, &dates, body.window_minutes)
        .await
        .or_api(lang)?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[utoipa::path(
    get,
    path = "/admin/centers/{id}/release",
    tag = "admin",
    operation_id = "get_release",
    summary = "A center's release mode (administrator)",
    params(("id" = String, Path, description = "Center id")),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The release mode", body = ReleaseView),
        (status = 404, response = super::openapi::r::NotFound),
    )
)]
pub async fn release(
    State(state): State<AppState>,
    who: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<ReleaseView>> {
    let lang = who.lang;
    require_role(&who.principal, Need::Administrator).or_api(lang)?;
    let id = id_of(&id, lang)?;
    admin::release(&state, id).await.or_api(lang).map(Json)
}

#[utoipa::path(
    put,
    path = "/admin/centers/{id}/release",
    tag = "admin",
    operation_id = "set_release",
    summary = "Set a center's release mode (administrator)",
    description = "`draw`: each day entering the horizon opens by a draw at `release_time` (center-local, default 09:00) for `window_minutes` (default 30); the days already in the horizon stay first-come. `first_come`: days open as they enter the horizon.",
    params(("id" = String, Path, description = "Center id")),
    request_body = ReleaseBody,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The release mode", body = ReleaseView),
        (status = 400, response = super::openapi::r::MalformedRequest),
        (status = 404, response = super::openapi::r::NotFound),
        (status = 413, response = super::openapi::r::PayloadTooLarge),
        (status = 415, response = super::openapi::r::UnsupportedMediaType),
        (status = 422, response = super::openapi::r::Unprocessable),
    )
)]
pub async fn set_release(
    State(state): State<AppState>,
    who: Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<ReleaseBody>,
) -> ApiResult<Json<ReleaseView>> {
    let lang = who.lang;
    require_role(&who.principal, Need::Administrator).or_api(lang)?;
    let id = id_of(&id, lang)?;
    admin::set_release(
        &state,
        id,
        &body.mode,
        body.release_time.as_deref(),
        body.window_minutes,
    )
    .await
    .or_api(lang)
    .map(Json)
}
