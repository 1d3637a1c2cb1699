//! Catalog server functions (no sign-in needed).
use leptos::prelude::*;

use crate::api::error::AppError;
use crate::api::types::{CenterView, ServiceView};

/// Services offered by one kind of center.
#[server(prefix = "/sfn", endpoint = "services")]
pub async fn services(kind: String) -> Result<Vec<ServiceView>, AppError> {
    use crate::api::ctx;
    use crate::server::error::ServiceError;
    let state = ctx::state()?;
    let lang = ctx::lang_of(&ctx::headers().await);
    let kind = kind.parse().map_err(|_| {
        ctx::fail(
            ServiceError::BadRequest(crate::domain::input::BadInput::OneOf {
                field: "kind",
                allowed: &["Psc", "AutoPsc"],
            }),
            lang,
        )
    })?;
    let rows = crate::server::service::catalog::list_services(&state.db, Some(kind), lang)
        .await
        .map_err(|e| ctx::fail(e, lang))?;
    Ok(rows
        .into_iter()
        .map(|s| ServiceView {
            code: s.code,
            name: s.name,
            center_kind: s.center_kind,
            group: s.group,
            online_available: s.online_available,
            requires_vehicle: s.requires_vehicle,
            duration_min: u32::try_from(s.duration_min).unwrap_or(15),
        })
        .collect())
}

/// Centers of one kind, sorted by city then name.
#[server(prefix = "/sfn", endpoint = "centers")]
pub async fn centers(kind: String) -> Result<Vec<CenterView>, AppError> {
    use crate::api::ctx;
    use crate::server::error::ServiceError;
    let state = ctx::state()?;
    let lang = ctx::lang_of(&ctx::headers().await);
    let kind = kind.parse().map_err(|_| {
        ctx::fail(
            ServiceError::BadRequest(crate::domain::input::BadInput::OneOf {
                field: "kind",
                allowed: &["Psc", "AutoPsc"],
            }),
            lang,
        )
    })?;
    let rows = crate::server::service::catalog::list_centers(&state.db, Some(kind), None, lang)
        .await
        .map_err(|e| ctx::fail(e, lang))?;
    Ok(rows
        .into_iter()
        .map(|c| CenterView {
            id: c.id.to_string(),
            kind: c.kind,
            name: c.name,
            city: c.city,
            address: c.address,
        })
        .collect())
}

/// The booking's QR code (SVG markup) for the booking page. It carries the
/// check-in link (`…/staff?checkin=CODE`): an operator's phone camera opens
/// the console with the code filled in; a hand scanner typing the link into
/// the check-in field works too. The origin is this request's host.
#[server(prefix = "/sfn", endpoint = "booking_qr")]
pub async fn booking_qr(code: String) -> Result<String, AppError> {
    use crate::domain::ids::BookingCode;
    use crate::domain::input::BadInput;
    use crate::server::error::ServiceError;
    use qrcode::{QrCode, render::svg};
    let state = crate::api::ctx::state()?;
    let headers = crate::api::ctx::headers().await;
    let lang = crate::api::ctx::lang_of(&headers);
    let bad_code = || crate::api::ctx::fail(ServiceError::BadRequest(BadInput::BookingCode), lang);
    let code = BookingCode::parse(&code).map_err(|_| bad_code())?;
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    let scheme = if state.config.secure_cookies {
        "https"
    } else {
        "http"
    };
    let link = code.check_in_link(&format!("{scheme}://{host}"));
    let qr = QrCode::new(link.as_bytes()).map_err(|_| bad_code())?;
    Ok(qr
        .render::<svg::Color<'_>>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build())
}

/// The public fairness figures (no sign-in; cached for two minutes).
#[server(prefix = "/sfn", endpoint = "public_fairness")]
pub async fn public_fairness() -> Result<kezek_wire::fairness::Fairness, AppError> {
    use crate::api::ctx;
    let state = ctx::state()?;
    let lang = ctx::lang_of(&ctx::headers().await);
    crate::server::service::reports::fairness::public(&state, lang)
        .await
        .map(|f| (*f).clone())
        .map_err(|e| ctx::fail(e, lang))
}
