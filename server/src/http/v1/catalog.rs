//! The catalog (no sign-in): `GET /centers`, `GET /services`.
use std::str::FromStr;

use crate::AppState;
use app::domain::catalog::CenterKind;
use app::domain::input::BadInput;
use app::i18n::Lang;
use app::server::service::catalog;
use axum::extract::State;
use kezek_wire::api::{CenterOut, CentersQuery, ServiceOut, ServicesQuery};

use super::error::{ApiError, ApiResult, OrApi};
use super::extract::{ApiJson, ApiQuery, ReqLang};

/// `GET /centers?kind=Psc|AutoPsc&city=…`
#[utoipa::path(
    get,
    path = "/centers",
    tag = "catalog",
    operation_id = "list_centers",
    summary = "Active centers",
    params(
        CentersQuery,
    ),
    responses(
        (status = 200, description = "Active centers", body = [CenterOut]),
        (status = 422, response = super::openapi::r::Unprocessable),
    )
)]
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

/// `GET /services?center_kind=Psc|AutoPsc`
#[utoipa::path(
    get,
    path = "/services",
    tag = "catalog",
    operation_id = "list_services",
    summary = "Catalog services",
    params(
        ServicesQuery,
    ),
    responses(
        (status = 200, description = "Active services", body = [ServiceOut]),
        (status = 422, response = super::openapi::r::Unprocessable),
    )
)]
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
fn parse_kind(
    raw: Option<&str>,
    param: &'static str,
    lang: Lang,
) -> Result<Option<CenterKind>, ApiError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => CenterKind::from_str(s).map(Some).map_err(|_| {
            ApiError::bad_request(
                BadInput::OneOf {
                    field: param,
                    allowed: &["Psc", "AutoPsc"],
                },
                lang,
            )
        }),
    }
}

/// `GET /fairness`
#[utoipa::path(
    get,
    path = "/fairness",
    tag = "catalog",
    operation_id = "fairness",
    summary = "The public fairness figures (no sign-in)",
    description = "Per region and center over the last 30 days: days from a look at the calendar to the first free start (median, 90th percentile), how bookings were given (draw, waiting list, first come), the waiting list's speed, no-shows, and the draws run. The same figures as the page `/fairness` and `/fairness.csv`; recomputed at most every two minutes. Definitions: docs/FAIRNESS.md.",
    responses(
        (status = 200, description = "The figures", body = kezek_wire::fairness::Fairness),
    )
)]
pub async fn fairness(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
) -> ApiResult<ApiJson<kezek_wire::fairness::Fairness>> {
    app::server::service::reports::fairness::public(&state, lang)
        .await
        .or_api(lang)
        .map(|f| ApiJson((*f).clone()))
}
