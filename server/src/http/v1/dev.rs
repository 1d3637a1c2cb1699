//! Dev mode only: `GET /dev/outbox?to=…` — the messages "sent" to an
//! address, newest first. 404 `not_found` unless the server runs in dev
//! mode (production never does).
use crate::AppState;
use app::domain::phone::normalize_phone;
use app::server::service::outbox::sent;
use axum::extract::State;
use chrono::{DateTime, FixedOffset};
use kezek_wire::api::{OutboxMessage, OutboxQuery};

use super::error::{ApiError, ApiResult, OrApi};
use super::extract::{ApiJson, ApiQuery, ReqLang};

/// Messages returned at most.
const LIMIT: u64 = 100;

#[utoipa::path(
    get,
    path = "/dev/outbox",
    tag = "dev",
    summary = "Messages sent to an address (dev mode only; else 404)",
    params(
        OutboxQuery,
    ),
    responses(
        (status = 200, description = "Newest first (at most 100)", body = [OutboxMessage]),
        (status = 404, response = super::openapi::r::NotFound),
        (status = 422, response = super::openapi::r::Unprocessable),
    )
)]
pub async fn outbox(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ApiQuery(q): ApiQuery<OutboxQuery>,
) -> ApiResult<ApiJson<Vec<OutboxMessage>>> {
    if !state.config.dev_mode {
        return Err(ApiError::not_found(lang));
    }
    let raw =
        q.to.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty() && s.len() <= 128 && !s.chars().any(char::is_control))
            .ok_or_else(|| {
                ApiError::bad_request(
                    app::domain::input::BadInput::InvalidField { field: "to".into() },
                    lang,
                )
            })?;
    // `+` in a query string arrives as a space; phones are stored canonical.
    let to = normalize_phone(raw).unwrap_or_else(|| raw.to_owned());
    let rows = sent::messages_to(&state.db, &to, LIMIT)
        .await
        .or_api(lang)?;
    let kz = FixedOffset::east_opt(5 * 3600);
    Ok(ApiJson(
        rows.into_iter()
            .map(|m| OutboxMessage {
                created_at: DateTime::from_timestamp(m.created_at, 0)
                    .zip(kz)
                    .map(|(t, z)| t.with_timezone(&z).to_rfc3339())
                    .unwrap_or_default(),
                to: m.recipient,
                channel: m.channel,
                body: m.body,
            })
            .collect(),
    ))
}
