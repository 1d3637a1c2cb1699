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
use app::api::error::{AppError, ErrorCode};
use app::domain::input::BadInput;
use app::i18n::Lang;
use app::server::error::ServiceError;
use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

/// An error response of the JSON API. Its status is its code's
/// ([`ErrorCode::status`], the one table all doors use).
#[derive(Debug, Clone)]
pub struct ApiError {
    pub body: AppError,
    /// Seconds for `Retry-After` (set for 429 and 503).
    pub retry_after: Option<u64>,
}

/// What handlers return.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// A use-case error in `lang`, with the status of its code.
    /// `RateLimited(secs)` becomes 429 with `Retry-After: secs`; a database
    /// that is away, 503 `unavailable` with `Retry-After: 5`.
    pub fn from_service(e: ServiceError, lang: Lang) -> Self {
        let retry_after = e.retry_after();
        Self {
            body: AppError::from_service(e, lang),
            retry_after,
        }
    }

    /// A code with a specific message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            body: AppError::new(code, message),
            retry_after: None,
        }
    }

    /// A code with its generic message in `lang`.
    pub fn generic(code: ErrorCode, lang: Lang) -> Self {
        Self {
            body: AppError::generic(code, lang),
            retry_after: None,
        }
    }

    /// The HTTP status (of the code).
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.body.error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// 422 `bad_request` saying what is wrong (`b`), in `lang`.
    pub fn bad_request(b: BadInput, lang: Lang) -> Self {
        Self::from_service(ServiceError::BadRequest(b), lang)
    }

    /// 422 `bad_request` with the generic message in `lang`.
    pub fn bad_request_generic(lang: Lang) -> Self {
        Self::generic(ErrorCode::BadRequest, lang)
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
    pub fn code(&self) -> ErrorCode {
        self.body.error
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = (self.status(), Json(self.body)).into_response();
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
