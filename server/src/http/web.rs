//! Plain routes for the web app that are not pages: the language switch and
//! the calendar file of a booking, the fairness figures as CSV.
use crate::AppState;
use app::api::ctx::{LANG_COOKIE, lang_of, token_of};
use app::domain::ids::BookingId;
use app::server::service::auth::session::{Principal, authenticate};
use app::server::service::booking::query::get_one;
use axum::{
    Router,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/lang/{code}", get(switch_lang))
        .route("/my/{id}/booking.ics", get(ics))
        .route("/fairness.csv", get(fairness_csv))
        .route(
            "/telegram/webhook/{secret}",
            axum::routing::post(telegram_webhook),
        )
        .route(
            "/whatsapp/webhook",
            get(whatsapp_verify).post(whatsapp_webhook),
        )
}

/// Meta's webhook registration: `GET ?hub.mode=subscribe&hub.verify_token=
/// T&hub.challenge=C` answers `C` when `T` is ours; else 403 (404 when
/// WhatsApp is not configured).
async fn whatsapp_verify(
    State(state): State<AppState>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Response {
    use app::server::service::util::constant_time_eq;
    let Some(w) = state.config.whatsapp.clone() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (Some(mode), Some(token), Some(challenge)) = (
        q.get("hub.mode"),
        q.get("hub.verify_token"),
        q.get("hub.challenge"),
    ) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    match w.verify_token {
        Some(ours) if mode == "subscribe" && constant_time_eq(token, &ours.0) => {
            (StatusCode::OK, challenge.clone()).into_response()
        }
        _ => StatusCode::FORBIDDEN.into_response(),
    }
}

/// Delivery receipts from WhatsApp: accepted only with a valid
/// `X-Hub-Signature-256` over the raw body (401 otherwise, nothing
/// changed); a database failure is 503 so Meta delivers again (applying a
/// receipt twice changes nothing).
async fn whatsapp_webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    use app::server::service::outbox::whatsapp;
    let Some(w) = state.config.whatsapp.clone() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let signature = headers
        .get("x-hub-signature-256")
        .and_then(|v| v.to_str().ok());
    let signed = w
        .app_secret
        .as_ref()
        .is_some_and(|s| whatsapp::signature_ok(s.0.as_bytes(), &body, signature));
    if !signed {
        tracing::warn!("whatsapp webhook: bad or missing signature; refused");
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let Ok(payload) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    match whatsapp::apply_receipts(&state, &payload).await {
        Ok(r) => {
            tracing::info!(
                delivered = r.delivered,
                failed = r.failed,
                ignored = r.ignored,
                "whatsapp receipts"
            );
            StatusCode::OK.into_response()
        }
        Err(e) => {
            tracing::warn!(error = %e, "whatsapp receipts failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// Sets the language cookie and goes back to the page the link was on
/// (same-site paths only).
async fn switch_lang(Path(code): Path<String>, headers: HeaderMap) -> Response {
    let Some(lang) = app::i18n::Lang::parse(&code) else {
        return (StatusCode::NOT_FOUND, "unknown language").into_response();
    };
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| {
            let host = headers.get(header::HOST)?.to_str().ok()?;
            let rest = r
                .strip_prefix("http://")
                .or_else(|| r.strip_prefix("https://"))?;
            rest.strip_prefix(host).map(str::to_owned)
        })
        .filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .unwrap_or_else(|| "/".to_owned());
    let mut resp = Redirect::to(&back).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    )) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    resp
}

fn ics_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

fn ics_time(rfc3339: &str) -> Option<String> {
    chrono::DateTime::parse_from_rfc3339(rfc3339).ok().map(|t| {
        t.with_timezone(&chrono::Utc)
            .format("%Y%m%dT%H%M%SZ")
            .to_string()
    })
}

/// The booking as an iCalendar file (the owner only; others get 404).
async fn ics(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let lang = lang_of(&headers);
    let Ok(id) = id.parse::<i64>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Some(token) = token_of(&headers, state.config.secure_cookies) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let Ok(Principal::Citizen { id: citizen, .. }) =
        authenticate(&state.db, &token, state.now().timestamp()).await
    else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let Ok(b) = get_one(&state.db, BookingId::new(id), Some(citizen), lang).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (Some(start), Some(end)) = (ics_time(&b.start), ics_time(&b.end)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let stamp = state.now().format("%Y%m%dT%H%M%SZ");
    let body = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Kezek//Kezek//EN".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:kezek-{}@kezek", b.code),
        format!("DTSTAMP:{stamp}"),
        format!("DTSTART:{start}"),
        format!("DTEND:{end}"),
        format!(
            "SUMMARY:{}",
            ics_text(&format!("{} ({})", b.service_name, b.code))
        ),
        format!(
            "LOCATION:{}",
            ics_text(&format!("{}, {}", b.center_name, b.center_address))
        ),
        format!("DESCRIPTION:{}", ics_text(&format!("Kezek: {}", b.code))),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
        String::new(),
    ]
    .join("\r\n");
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"kezek.ics\"",
            ),
        ],
        body,
    )
        .into_response()
}

/// The public fairness figures as CSV (no sign-in; names in the page's
/// language).
async fn fairness_csv(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let lang = lang_of(&headers);
    match app::server::service::reports::fairness::public(&state, lang).await {
        Ok(f) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"kezek-fairness.csv\"",
                ),
            ],
            f.to_csv(),
        )
            .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "fairness figures failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// Telegram webhook mode: one update per POST, handled to the end before
/// answering (Telegram retries on errors). Unknown secret or no bot → 404.
async fn telegram_webhook(
    State(state): State<AppState>,
    Path(secret): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    use crate::telegram::dialogue::handle_update;
    use app::server::service::telegram::api::Update;
    use app::server::service::util::constant_time_eq;
    let Some(t) = state.config.telegram.clone() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let expected = t.webhook_secret();
    let header_ok = headers
        .get("x-telegram-bot-api-secret-token")
        .and_then(|v| v.to_str().ok())
        .is_none_or(|h| constant_time_eq(h, &expected));
    if t.webhook_base.is_none() || !constant_time_eq(&secret, &expected) || !header_ok {
        return StatusCode::NOT_FOUND.into_response();
    }
    let Ok(update) = serde_json::from_slice::<Update>(&body) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let Ok(api) = t.api() else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    match handle_update(&state, &api, &update).await {
        Ok(()) => StatusCode::OK.into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "telegram webhook update failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
