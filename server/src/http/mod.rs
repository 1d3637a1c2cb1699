//! The JSON API (`/api/v1`), health check and security headers.
use crate::AppState;
use app::server::db;
use axum::{
    Router,
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::IntoResponse,
    routing::get,
};
use tower_http::set_header::SetResponseHeaderLayer;

pub mod csrf;
pub mod live;
pub mod v1;
pub mod web;

/// Health check plus the JSON API nested at `/api/v1`.
pub fn api_router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/healthz/detail", get(healthz_detail))
        .nest("/api/v1", v1::router())
        .merge(web::routes())
        .merge(live::routes())
}

/// 200 when the database answers, 503 otherwise.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    if db::ping(&state.db).await {
        (StatusCode::OK, "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
    }
}

/// `GET /healthz/detail`: the database, the outbox backlog and the jobs'
/// last good passes, as JSON, for operators and monitoring (no personal
/// data). 503 when the database cannot be reached.
async fn healthz_detail(State(state): State<AppState>) -> axum::response::Response {
    use axum::response::IntoResponse;
    match app::server::service::health::report(&state).await {
        Ok(h) => axum::Json(serde_json::json!({
            "database": "ok",
            "outbox": {
                "pending": h.outbox_pending,
                "oldest_pending_secs": h.outbox_oldest_pending_secs,
                "failed": h.outbox_failed,
            },
            "relocation": {"pending": h.relocation_backlog},
            "live": {
                "streams": state.events.open_streams(),
                "changes_delivered": state.events.delivered(),
            },
            "jobs_last_ok": h.jobs,
        }))
        .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "health report failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(serde_json::json!({"database": "unavailable"})),
            )
                .into_response()
        }
    }
}

/// The tracing span of a request: method and path only, never the query
/// string (it can carry personal data, e.g. the dev outbox's `?to=` phone;
/// see docs/LOGGING.md).
pub fn request_span<B>(req: &axum::http::Request<B>) -> tracing::Span {
    tracing::debug_span!("request", method = %req.method(), path = %req.uri().path())
}

/// What every Content-Security-Policy of the server says after its
/// `script-src` (pages and everything else differ only in scripts).
macro_rules! csp_after_scripts {
    () => {
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
    };
}

/// The Content-Security-Policy of a page: inline scripts only with the
/// nonce Leptos put on this response's scripts (the shell leaves it in the
/// request's [`app::ui::PageNonce`]), no `'unsafe-inline'` for scripts.
/// Responses without a page (API answers, files, error pages) keep the
/// default of [`with_security_headers`], which allows no inline script.
pub async fn page_csp(
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let slot = app::ui::PageNonce::default();
    req.extensions_mut().insert(slot.clone());
    let mut resp = next.run(req).await;
    if let Some(nonce) = slot.0.get() {
        let policy = format!(
            concat!(
                "default-src 'self'; script-src 'self' 'nonce-{}' 'wasm-unsafe-eval'; ",
                csp_after_scripts!()
            ),
            nonce
        );
        if let Ok(v) = HeaderValue::from_str(&policy) {
            resp.headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    resp
}

/// Security headers for every response.
///
/// CSP: pages get a stricter policy with a per-response nonce
/// ([`page_csp`]: inline scripts only with that nonce). This
/// default covers everything else (API answers, files, error pages) and
/// allows no inline script at all.
pub fn with_security_headers(router: Router, tls: bool) -> Router {
    let csp = HeaderValue::from_static(concat!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; ",
        csp_after_scripts!()
    ));
    let hsts = tls.then(|| HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            csp,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            hsts,
        ))
}

/// Server functions answer every `Err` with 500, including arguments that
/// failed to deserialize before our code ran. This gives such answers the
/// status of their error code from the one table, `ErrorCode::status`
/// (`malformed_request` → 400, rule refusals → 422), so only real internal
/// errors are 500.
pub async fn server_fn_status(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let is_sfn = req.uri().path().starts_with("/sfn/");
    let resp = next.run(req).await;
    if !is_sfn || resp.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "internal").into_response();
    };
    if let Ok(err) = serde_json::from_slice::<app::api::error::AppError>(&bytes)
        && let Ok(s) = StatusCode::from_u16(err.status())
    {
        parts.status = s;
    }
    axum::response::Response::from_parts(parts, axum::body::Body::from(bytes))
}
