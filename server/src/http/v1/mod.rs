//! The public JSON API, version 1 (`../shared/API.md`), nested at `/api/v1`.
//!
//! - [`error`] — `ApiError`, the `{"error","message"}` response of every
//!   failure, with the status of its code and `Retry-After` for 429.
//! - [`extract`] — language, session (citizen / staff), JSON body, query and
//!   path extractors whose rejections are `ApiError`s.
//! - [`ratelimit`] — the per-address sign-in limit (also applied to the
//!   sign-in server functions).
//! - [`account`], [`auth`], [`catalog`], [`admin`], [`dev`], [`bookings`], [`draws`] — handlers,
//!   thin: parse → authorize → call a use case in `app::server::service` →
//!   map the error.
//! - [`openapi`] — the OpenAPI 3 document at `/api/v1/openapi.json`.
//!
//! Unknown paths under `/api/v1` answer 404 `not_found` and wrong methods
//! 405, both as JSON.
use crate::AppState;
use axum::{
    Router,
    routing::{get, post},
};

pub mod account;
pub mod admin;
pub mod auth;
pub mod bookings;
pub mod catalog;
pub mod desk;
pub mod dev;
pub mod draws;
pub mod error;
pub mod extract;
pub mod openapi;
pub mod ratelimit;
pub mod waitlist;

use error::ApiError;
use extract::ReqLang;

/// The `/api/v1` routes (paths relative to `/api/v1`).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/otp", post(auth::request_otp))
        .route("/auth/verify", post(auth::verify))
        .route("/auth/logout", post(auth::logout))
        .route("/staff/login", post(auth::staff_login))
        .route("/dev/outbox", get(dev::outbox))
        .route("/centers", get(catalog::centers))
        .route("/services", get(catalog::services))
        .route("/fairness", get(catalog::fairness))
        .route("/admin/vehicles", post(admin::import_vehicles))
        .route("/admin/phones", post(admin::import_phones))
        .route("/openapi.json", get(openapi::document))
        .merge(account::routes())
        .merge(bookings::routes())
        .merge(desk::routes())
        .merge(draws::routes())
        .merge(waitlist::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

async fn not_found(ReqLang(lang): ReqLang) -> ApiError {
    ApiError::not_found(lang)
}

async fn method_not_allowed(ReqLang(lang): ReqLang) -> ApiError {
    ApiError::generic(app::api::error::ErrorCode::MethodNotAllowed, lang)
}
