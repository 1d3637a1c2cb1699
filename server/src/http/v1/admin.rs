//! Administrator endpoints: `POST /admin/vehicles` (vehicle registry CSV
//! import) and `POST /admin/phones` (mobile-citizens registry CSV import).
use crate::AppState;
use app::api::error::ErrorCode;
use app::domain::input::BadInput;
use app::server::service::staff::{Need, require_role};
use app::server::service::{phones, vehicles};
use axum::{
    body::Body,
    extract::State,
    http::{HeaderMap, header},
};
use kezek_wire::api::{Imported, PhonesImportQuery, PhonesImported};

use super::error::{ApiError, ApiResult, OrApi};
use super::extract::{ApiJson, ApiQuery, Auth};

/// Largest CSV accepted (bytes): ~300,000 vehicles.
pub const MAX_CSV_BYTES: usize = 32 * 1024 * 1024;

/// `POST /admin/vehicles` (`Content-Type: text/csv`) → 200 `{"imported": n}`.
/// Administrator only (401 without a session, 403 for anyone else). A bad
/// line rejects the whole file: 422 `bad_request` naming the line, and
/// nothing is written.
#[utoipa::path(
    post,
    path = "/admin/vehicles",
    tag = "admin",
    summary = "Import the vehicle registry (administrator)",
    description = "Header line `plate,vin,owner_iin`; rows upsert by VIN (a sale changes the owner). A bad line rejects the whole file (422, the line number in the message) and nothing changes. At most 32 MB.",
    request_body(content = String, content_type = "text/csv", example = json!("plate,vin,owner_iin\n123ABC01,XTA21700080123456,710313311868\n")),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "Imported", body = Imported),
        (status = 413, response = super::openapi::r::PayloadTooLarge),
        (status = 415, response = super::openapi::r::UnsupportedMediaType),
        (status = 422, response = super::openapi::r::Unprocessable),
    )
)]
pub async fn import_vehicles(
    State(state): State<AppState>,
    who: Auth,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<ApiJson<Imported>> {
    let lang = who.lang;
    let text = admin_csv(&who, &headers, body).await?;
    let report = vehicles::import_csv(&state, &text).await.or_api(lang)?;
    Ok(ApiJson(Imported {
        imported: report.imported,
    }))
}

/// `POST /admin/phones[?replace=true]` (`Content-Type: text/csv`) → 200
/// `{"imported": n, "replaced": bool}`. The mobile-citizens registry
/// (DOMAIN.md R11). Administrator only; a bad line rejects the whole file.
#[utoipa::path(
    post,
    path = "/admin/phones",
    tag = "admin",
    summary = "Import the mobile-citizens registry (administrator)",
    description = "Header line `iin,phone`; an IIN may have several phones. Rows add pairs; `?replace=true` replaces the whole table. A bad line rejects the whole file (422, the line number in the message) and nothing changes. At most 32 MB.",
    params(PhonesImportQuery),
    request_body(content = String, content_type = "text/csv", example = json!("iin,phone\n710313311868,+77011234567\n")),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "Imported", body = PhonesImported),
        (status = 400, response = super::openapi::r::MalformedRequest),
        (status = 413, response = super::openapi::r::PayloadTooLarge),
        (status = 415, response = super::openapi::r::UnsupportedMediaType),
        (status = 422, response = super::openapi::r::Unprocessable),
    )
)]
pub async fn import_phones(
    State(state): State<AppState>,
    who: Auth,
    ApiQuery(q): ApiQuery<PhonesImportQuery>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<ApiJson<PhonesImported>> {
    let lang = who.lang;
    let text = admin_csv(&who, &headers, body).await?;
    let report = phones::import_csv(&state, &text, q.replace)
        .await
        .or_api(lang)?;
    Ok(ApiJson(PhonesImported {
        imported: report.pairs,
        replaced: report.replaced,
    }))
}

/// The administrator's CSV body: role checked first, then `text/csv`, the
/// size cap and UTF-8.
async fn admin_csv(who: &Auth, headers: &HeaderMap, body: Body) -> ApiResult<String> {
    let lang = who.lang;
    require_role(&who.principal, Need::Administrator).or_api(lang)?;
    let is_csv = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("text/csv"));
    if !is_csv {
        return Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            app::i18n::bad_input_message(
                &BadInput::ContentType {
                    expected: "text/csv",
                },
                lang,
            ),
        ));
    }
    let bytes = axum::body::to_bytes(body, MAX_CSV_BYTES)
        .await
        .map_err(|_| {
            ApiError::new(
                ErrorCode::PayloadTooLarge,
                app::i18n::bad_input_message(
                    &BadInput::TooLarge {
                        max_mb: u32::try_from(MAX_CSV_BYTES >> 20).unwrap_or(u32::MAX),
                    },
                    lang,
                ),
            )
        })?;
    String::from_utf8(bytes.to_vec()).map_err(|_| ApiError::bad_request(BadInput::NotUtf8, lang))
}
