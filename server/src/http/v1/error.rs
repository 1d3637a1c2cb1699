//! `ApiError`: how every `/api/v1` handler fails.
//!
//! The body is [`AppError`] — `{"error": "<code>", "message": "<text in the
//! caller's language>"}` — with the HTTP status of its code (API.md: 409
//! `slot_full`, 422 rule refusals and invalid input, 401/403/404, 429 with
//! `Retry-After`). Database text never reaches it: `ServiceError::Internal`
//! is logged by `AppError::from_service` and answered with a generic
//! `internal`.
//!
//! In a handler:
//! ```ignore
//! async fn h(ReqLang(lang): ReqLang, State(s): State<AppState>) -> ApiResult<Json<X>> {
//!     let x = some_use_case(&s).await.or_api(lang)?;
//!     Ok(Json(x))
//! }
//! ```
use app::api::error::AppError;
use app::i18n::Lang;
use app::server::error::ServiceError;
use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

/// An error response of the JSON API.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: AppError,
    /// Seconds for `Retry-After` (set for 429).
    pub retry_after: Option<u64>,
}

/// What handlers return.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// A use-case error in `lang`, with the status of its code.
    /// `RateLimited(secs)` becomes 429 with `Retry-After: secs`.
    pub fn from_service(e: ServiceError, lang: Lang) -> Self {
        let retry_after = match &e {
            ServiceError::RateLimited(secs) => Some((*secs).max(1)),
            _ => None,
        };
        let body = AppError::from_service(e, lang);
        let status =
            StatusCode::from_u16(body.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        Self {
            status,
            body,
            retry_after,
        }
    }

    /// Any status, code and message.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            body: AppError::new(code, message),
            retry_after: None,
        }
    }

    /// The same error with another status (e.g. 400 instead of 422 for
    /// unparseable JSON).
    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    /// 422 `bad_request` with a specific message.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "bad_request", message)
    }

    /// 422 `bad_request` with the generic message in `lang`.
    pub fn bad_request_generic(lang: Lang) -> Self {
        Self::bad_request(app::api::error::generic("bad_request", lang))
    }

    /// 401 `unauthorized`.
    pub fn unauthorized(lang: Lang) -> Self {
        Self::from_service(ServiceError::Unauthorized, lang)
    }

    /// 403 `forbidden`.
    pub fn forbidden(lang: Lang) -> Self {
        Self::from_service(ServiceError::Forbidden, lang)
    }

    /// 404 `not_found`.
    pub fn not_found(lang: Lang) -> Self {
        Self::from_service(ServiceError::NotFound, lang)
    }

    /// 429 `rate_limited` with `Retry-After: secs`.
    pub fn rate_limited(secs: u64, lang: Lang) -> Self {
        Self::from_service(ServiceError::RateLimited(secs), lang)
    }

    /// The machine-readable code.
    pub fn code(&self) -> &str {
        &self.body.error
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = (self.status, Json(self.body)).into_response();
        if let Some(secs) = self.retry_after {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        resp.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        resp
    }
}

/// `result.or_api(lang)?` — maps a use case's error to an [`ApiError`].
pub trait OrApi<T> {
    fn or_api(self, lang: Lang) -> Result<T, ApiError>;
}

impl<T> OrApi<T> for Result<T, ServiceError> {
    fn or_api(self, lang: Lang) -> Result<T, ApiError> {
        self.map_err(|e| ApiError::from_service(e, lang))
    }
}
