//! Dev mode only: `GET /dev/outbox?to=…` — the messages "sent" to an
//! address, newest first. 404 `not_found` unless the server runs in dev
//! mode (production never does).
use app::domain::phone::normalize_phone;
use app::server::entity::outbox;
use app::server::error::ServiceError;
use app::server::state::AppState;
use axum::extract::State;
use chrono::{DateTime, FixedOffset};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};

use super::error::{ApiError, ApiResult, OrApi};
use super::extract::{ApiJson, ApiQuery, ReqLang};

/// Messages returned at most.
const LIMIT: u64 = 100;

#[derive(Deserialize)]
pub struct OutboxQuery {
    pub to: Option<String>,
}

#[derive(Serialize)]
pub struct OutboxMessage {
    pub to: String,
    pub channel: String,
    pub body: String,
    /// RFC 3339 in Kazakhstan time (+05:00).
    pub created_at: String,
}

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
            .ok_or_else(|| ApiError::bad_request_generic(lang))?;
    // `+` in a query string arrives as a space; phones are stored canonical.
    let to = normalize_phone(raw).unwrap_or_else(|| raw.to_owned());
    let rows = outbox::Entity::find()
        .filter(outbox::Column::Recipient.eq(&to))
        .order_by_desc(outbox::Column::Id)
        .limit(LIMIT)
        .all(&state.db)
        .await
        .map_err(ServiceError::from)
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
