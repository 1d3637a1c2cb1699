//! The catalog (no sign-in): `GET /centers`, `GET /services`.
use std::str::FromStr;

use app::domain::catalog::CenterKind;
use app::i18n::Lang;
use app::server::service::catalog;
use app::server::state::AppState;
use axum::extract::State;
use serde::{Deserialize, Serialize};

use super::error::{ApiError, ApiResult, OrApi};
use super::extract::{ApiJson, ApiQuery, ReqLang};

#[derive(Deserialize)]
pub struct CentersQuery {
    pub kind: Option<String>,
    pub city: Option<String>,
}

#[derive(Serialize)]
pub struct CenterOut {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub city: String,
    pub address: String,
    pub timezone: String,
}

/// `GET /centers?kind=Psc|AutoPsc&city=…`
pub async fn centers(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ApiQuery(q): ApiQuery<CentersQuery>,
) -> ApiResult<ApiJson<Vec<CenterOut>>> {
    let kind = parse_kind(q.kind.as_deref(), "kind", lang)?;
    let city = q.city.as_deref().filter(|c| !c.trim().is_empty());
    let list = catalog::list_centers(&state.db, kind, city, lang)
        .await
        .or_api(lang)?;
    Ok(ApiJson(
        list.into_iter()
            .map(|c| CenterOut {
                id: c.id.to_string(),
                kind: c.kind,
                name: c.name,
                city: c.city,
                address: c.address,
                timezone: c.timezone,
            })
            .collect(),
    ))
}

#[derive(Deserialize)]
pub struct ServicesQuery {
    pub center_kind: Option<String>,
}

#[derive(Serialize)]
pub struct ServiceOut {
    pub code: String,
    pub name: String,
    pub center_kind: String,
    pub group: String,
    pub online_available: bool,
    pub requires_vehicle: bool,
    pub duration_min: i32,
}

/// `GET /services?center_kind=Psc|AutoPsc`
pub async fn services(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ApiQuery(q): ApiQuery<ServicesQuery>,
) -> ApiResult<ApiJson<Vec<ServiceOut>>> {
    let kind = parse_kind(q.center_kind.as_deref(), "center_kind", lang)?;
    let list = catalog::list_services(&state.db, kind, lang)
        .await
        .or_api(lang)?;
    Ok(ApiJson(
        list.into_iter()
            .map(|s| ServiceOut {
                code: s.code,
                name: s.name,
                center_kind: s.center_kind,
                group: s.group,
                online_available: s.online_available,
                requires_vehicle: s.requires_vehicle,
                duration_min: s.duration_min,
            })
            .collect(),
    ))
}

/// `Psc` / `AutoPsc`, absent or empty = any; else 422 `bad_request`.
fn parse_kind(raw: Option<&str>, param: &str, lang: Lang) -> Result<Option<CenterKind>, ApiError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => CenterKind::from_str(s).map(Some).map_err(|_| {
            ApiError::bad_request(match lang {
                Lang::Kk => format!("{param}: Psc немесе AutoPsc болуы керек."),
                Lang::Ru => format!("{param}: допустимо Psc или AutoPsc."),
                Lang::En => format!("{param} must be Psc or AutoPsc."),
            })
        }),
    }
}
