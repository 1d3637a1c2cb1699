//! The signed-in citizen's account: where notices go, and the WhatsApp
//! choice (docs/NOTIFICATIONS.md) — thin handlers over
//! `kezek_core::service::auth::account`.
use crate::AppState;
use app::server::service::auth::account;
use axum::{
    Json, Router,
    extract::State,
    routing::{get, post},
};
use kezek_wire::api::{NoticeChannels, WhatsAppChoice};

use super::error::{ApiResult, OrApi};
use super::extract::{ApiJson, CitizenAuth};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account", get(show))
        .route("/account/whatsapp", post(choose_whatsapp))
}

#[utoipa::path(
    get,
    path = "/account",
    tag = "auth",
    operation_id = "account",
    summary = "Where the signed-in citizen's notices go",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The channels", body = NoticeChannels),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    auth: CitizenAuth,
) -> ApiResult<Json<NoticeChannels>> {
    account::channels(&state, auth.citizen_id)
        .await
        .or_api(auth.lang)
        .map(Json)
}

#[utoipa::path(
    post,
    path = "/account/whatsapp",
    tag = "auth",
    operation_id = "choose_whatsapp",
    summary = "Notices to WhatsApp, or back to SMS",
    description = "With `enabled: true` booking notices, reminders, calls to a window and draw outcomes go to WhatsApp on the phone on file instead of SMS (an SMS follows when WhatsApp cannot deliver); sign-in codes stay SMS. No phone on file is 422 `invalid_phone`; a deployment without WhatsApp is 404.",
    request_body = WhatsAppChoice,
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The channels now", body = NoticeChannels),
        (status = 400, response = super::openapi::r::MalformedRequest),
        (status = 404, response = super::openapi::r::NotFound),
        (status = 413, response = super::openapi::r::PayloadTooLarge),
        (status = 415, response = super::openapi::r::UnsupportedMediaType),
        (status = 422, response = super::openapi::r::Unprocessable),
        (status = 429, response = super::openapi::r::TooManyRequests),
    )
)]
pub async fn choose_whatsapp(
    State(state): State<AppState>,
    auth: CitizenAuth,
    ApiJson(body): ApiJson<WhatsAppChoice>,
) -> ApiResult<Json<NoticeChannels>> {
    account::set_whatsapp(&state, auth.citizen_id, body.enabled)
        .await
        .or_api(auth.lang)
        .map(Json)
}
