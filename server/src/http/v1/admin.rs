//! Administrator endpoints: `POST /admin/vehicles` (vehicle registry CSV
//! import).
use app::i18n::Lang;
use app::server::service::staff::{Need, require_role};
use app::server::service::vehicles;
use app::server::state::AppState;
use axum::{
    body::Body,
    extract::State,
    http::{HeaderMap, StatusCode, header},
};
use sea_orm::DbBackend;
use serde::Serialize;

use super::error::{ApiError, ApiResult, OrApi};
use super::extract::{ApiJson, Auth};

/// Largest CSV accepted (bytes): ~300,000 vehicles.
pub const MAX_CSV_BYTES: usize = 32 * 1024 * 1024;

#[derive(Serialize)]
pub struct Imported {
    pub imported: u32,
}

/// `POST /admin/vehicles` (`Content-Type: text/csv`) → 200 `{"imported": n}`.
/// Administrator only (401 without a session, 403 for anyone else). A bad
/// line rejects the whole file: 422 `bad_request` naming the line, and
/// nothing is written.
pub async fn import_vehicles(
    State(state): State<AppState>,
    who: Auth,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<ApiJson<Imported>> {
    let lang = who.lang;
    require_role(&who.principal, Need::Administrator).or_api(lang)?;
    let is_csv = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("text/csv"));
    if !is_csv {
        return Err(ApiError::bad_request(match lang {
            Lang::Kk => "Content-Type: text/csv болуы керек.",
            Lang::Ru => "Нужен Content-Type: text/csv.",
            Lang::En => "Content-Type must be text/csv.",
        })
        .with_status(StatusCode::UNSUPPORTED_MEDIA_TYPE));
    }
    let bytes = axum::body::to_bytes(body, MAX_CSV_BYTES)
        .await
        .map_err(|_| {
            ApiError::bad_request(match lang {
                Lang::Kk => "Файл тым үлкен (32 МБ-тан аспауы керек).",
                Lang::Ru => "Файл слишком большой (не более 32 МБ).",
                Lang::En => "The file is too large (32 MB at most).",
            })
            .with_status(StatusCode::PAYLOAD_TOO_LARGE)
        })?;
    let text = std::str::from_utf8(&bytes).map_err(|_| {
        ApiError::bad_request(match lang {
            Lang::Kk => "Файл UTF-8 кодтауында болуы керек.",
            Lang::Ru => "Файл должен быть в кодировке UTF-8.",
            Lang::En => "The file must be UTF-8.",
        })
    })?;
    // On SQLite, one writer at a time inside this process (see AppState).
    let _gate = match state.db.get_database_backend() {
        DbBackend::Sqlite => Some(state.write_gate.lock().await),
        _ => None,
    };
    let report = vehicles::import_csv(&state.db, text, state.now().timestamp(), lang)
        .await
        .or_api(lang)?;
    Ok(ApiJson(Imported {
        imported: report.imported,
    }))
}
