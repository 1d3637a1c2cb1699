//! `AppError`: the error every server function returns, and the JSON API's
//! error body — `{"error": "<code>", "message": "<text>"}` (the shape of
//! `kezek_wire::ErrorBody`; a type of its own because server functions need
//! Leptos's `FromServerFnError` on it).
//!
//! Database text never reaches it: internal errors become `internal` with a
//! generic message (the detail is logged on the server). The HTTP status of
//! every code comes from one table, [`ErrorCode::status`].
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::i18n::errors::ErrorText;
pub use kezek_wire::{ErrorBody, ErrorCode};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{error}: {message}")]
pub struct AppError {
    /// Stable machine-readable code.
    pub error: ErrorCode,
    /// Human text in the caller's language.
    pub message: String,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            error: code,
            message: message.into(),
        }
    }

    /// `code` with its generic text in `lang` (request-level codes; a rule
    /// refusal has a text of its own, `i18n::refusal_message`).
    pub fn generic(code: ErrorCode, lang: Lang) -> Self {
        Self::new(code, generic(code, lang))
    }

    /// The HTTP status for this error's code.
    pub fn status(&self) -> u16 {
        self.error.status()
    }
}

impl From<AppError> for ErrorBody {
    fn from(e: AppError) -> Self {
        ErrorBody {
            error: e.error,
            message: e.message,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        // The page language is not known here; the browser shows the text
        // only when its own checks let malformed arguments through.
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::Deserialization(_) => {
                AppError::generic(ErrorCode::MalformedRequest, Lang::default())
            }
            _ => AppError::generic(ErrorCode::Internal, Lang::default()),
        }
    }
}

/// The text of a request-level code in `lang`. A rule refusal's code given
/// here (without its parameters) reads as a generic `bad_request`.
pub fn generic(code: ErrorCode, lang: Lang) -> &'static str {
    text_of(code).unwrap_or(ErrorText::BadRequest).get(lang)
}

/// The i18n text of a request-level code; `None` for rule refusals.
pub fn text_of(code: ErrorCode) -> Option<ErrorText> {
    use ErrorCode as C;
    use ErrorText as T;
    Some(match code {
        C::SlotFull
        | C::OneActiveBooking
        | C::TenDayRule
        | C::TwoPerDay
        | C::SameGroupSameDay
        | C::NotVehicleOwner
        | C::VehicleAlreadyBooked
        | C::VehicleNotFound
        | C::VehicleRequired
        | C::InvalidVehicle
        | C::ServiceOnline
        | C::TooLate
        | C::TooEarly
        | C::OutsideHorizon
        | C::RescheduleLimit
        | C::InvalidIin
        | C::OutsideHours
        | C::CenterClosed
        | C::WrongCenterKind
        | C::ServiceNotOffered
        | C::DifferentService
        | C::IllegalTransition
        | C::DrawPending
        | C::DrawClosed
        | C::AlreadyRequested
        | C::SlotsAvailable
        | C::AlreadyWaiting => return None,
        C::InvalidPhone => T::InvalidPhone,
        C::PhoneNotRegistered => T::PhoneNotRegistered,
        C::InvalidCode => T::InvalidCode,
        C::CodeExpired => T::CodeExpired,
        C::IdempotencyKeyReused => T::IdempotencyKeyReused,
        C::BadRequest => T::BadRequest,
        C::MalformedRequest => T::MalformedRequest,
        C::UnsupportedMediaType => T::UnsupportedMediaType,
        C::PayloadTooLarge => T::PayloadTooLarge,
        C::MethodNotAllowed => T::MethodNotAllowed,
        C::Unauthorized => T::Unauthorized,
        C::Forbidden => T::Forbidden,
        C::NotFound => T::NotFound,
        C::RateLimited => T::RateLimited,
        C::Internal => T::Internal,
        C::Unavailable => T::Unavailable,
    })
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::{AppError, ErrorCode};
    use crate::i18n::Lang;
    use crate::server::error::ServiceError;

    impl AppError {
        /// Maps a use-case error to its wire form, in `lang`.
        pub fn from_service(e: ServiceError, lang: Lang) -> Self {
            match e {
                ServiceError::Refused(r) => AppError::new(
                    ErrorCode::of_refusal(&r),
                    crate::i18n::refusal_message(&r, lang),
                ),
                ServiceError::Invalid(code) => AppError::generic(code, lang),
                ServiceError::BadRequest(b) => AppError::new(
                    ErrorCode::BadRequest,
                    crate::i18n::bad_input_message(&b, lang),
                ),
                ServiceError::Unauthorized => AppError::generic(ErrorCode::Unauthorized, lang),
                ServiceError::Forbidden => AppError::generic(ErrorCode::Forbidden, lang),
                ServiceError::NotFound => AppError::generic(ErrorCode::NotFound, lang),
                ServiceError::RateLimited(_) => AppError::generic(ErrorCode::RateLimited, lang),
                ServiceError::Db(e) if crate::server::error::db_unavailable(&e) => {
                    tracing::warn!(error = %e, "the database is unavailable");
                    AppError::generic(ErrorCode::Unavailable, lang)
                }
                ServiceError::Db(e) => {
                    tracing::error!(error = %e, "database error");
                    AppError::generic(ErrorCode::Internal, lang)
                }
                ServiceError::Unavailable(detail) => {
                    tracing::warn!(%detail, "a dependency is unavailable");
                    AppError::generic(ErrorCode::Unavailable, lang)
                }
                ServiceError::Internal(detail) => {
                    tracing::error!(%detail, "internal error");
                    AppError::generic(ErrorCode::Internal, lang)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_request_level_code_has_a_text_and_every_refusal_none() {
        for &c in ErrorCode::ALL {
            let is_rule = crate::domain::refusal::Refusal::ALL_CODES.contains(&c.as_str());
            assert_eq!(text_of(c).is_none(), is_rule, "{c}");
        }
    }

    #[test]
    fn wire_shape_is_the_error_body() {
        let e = AppError::generic(ErrorCode::NotFound, Lang::En);
        let json = serde_json::to_value(&e).unwrap_or_default();
        assert_eq!(
            json,
            serde_json::json!({"error": "not_found", "message": "Not found."})
        );
        let body: ErrorBody = serde_json::from_value(json).unwrap_or_else(|_| ErrorBody {
            error: ErrorCode::Internal,
            message: String::new(),
        });
        assert_eq!(body, ErrorBody::from(e));
    }
}
