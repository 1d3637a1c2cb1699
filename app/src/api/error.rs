//! `AppError`: the error every server function returns, and the JSON API's
//! error body — `{"error": "<code>", "message": "<text>"}`.
//!
//! Database text never reaches it: internal errors become `internal` with a
//! generic message (the detail is logged on the server).
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{error}: {message}")]
pub struct AppError {
    /// Stable machine-readable code (DOMAIN.md rule codes plus
    /// `unauthorized`, `forbidden`, `not_found`, `bad_request`,
    /// `rate_limited`, `internal`).
    pub error: String,
    /// Human text in the caller's language.
    pub message: String,
}

impl AppError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            error: code.to_owned(),
            message: message.into(),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::Deserialization(m) => {
                AppError::new("bad_request", m)
            }
            other => AppError::new("internal", other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;
    use crate::i18n::Lang;
    use crate::server::error::ServiceError;

    impl AppError {
        /// Maps a use-case error to its wire form, in `lang`.
        pub fn from_service(e: ServiceError, lang: Lang) -> Self {
            match e {
                ServiceError::Refused(r) => {
                    AppError::new(r.code(), crate::i18n::refusal_message(&r, lang))
                }
                ServiceError::Invalid(code) => AppError::new(code, generic(code, lang)),
                ServiceError::BadRequest(m) => AppError::new("bad_request", m),
                ServiceError::Unauthorized => {
                    AppError::new("unauthorized", generic("unauthorized", lang))
                }
                ServiceError::Forbidden => AppError::new("forbidden", generic("forbidden", lang)),
                ServiceError::NotFound => AppError::new("not_found", generic("not_found", lang)),
                ServiceError::RateLimited(_) => {
                    AppError::new("rate_limited", generic("rate_limited", lang))
                }
                ServiceError::Internal(detail) => {
                    tracing::error!(%detail, "internal error");
                    AppError::new("internal", generic("internal", lang))
                }
            }
        }

        /// The HTTP status for this error's code.
        pub fn status(&self) -> u16 {
            status_of(&self.error)
        }
    }

    /// HTTP status by code (API.md: 409 slot_full, 422 rule refusals).
    pub fn status_of(code: &str) -> u16 {
        match code {
            "slot_full" => 409,
            "unauthorized" => 401,
            "forbidden" => 403,
            "not_found" => 404,
            "rate_limited" => 429,
            "internal" => 500,
            "unavailable" => 503,
            _ => 422,
        }
    }

    pub fn generic(code: &str, lang: Lang) -> &'static str {
        match (code, lang) {
            ("unauthorized", Lang::Kk) => "Жүйеге кіріңіз.",
            ("unauthorized", Lang::Ru) => "Войдите в систему.",
            ("unauthorized", Lang::En) => "Please sign in.",
            ("forbidden", Lang::Kk) => "Бұл әрекетке рұқсат жоқ.",
            ("forbidden", Lang::Ru) => "Это действие вам недоступно.",
            ("forbidden", Lang::En) => "You are not allowed to do this.",
            ("not_found", Lang::Kk) => "Табылмады.",
            ("not_found", Lang::Ru) => "Не найдено.",
            ("not_found", Lang::En) => "Not found.",
            ("rate_limited", Lang::Kk) => "Сұраулар тым көп. Сәлден кейін қайталаңыз.",
            ("rate_limited", Lang::Ru) => "Слишком много запросов. Повторите чуть позже.",
            ("rate_limited", Lang::En) => "Too many requests. Please try again shortly.",
            ("invalid_phone", Lang::Kk) => "Телефон нөмірін +7 7XX XXX XX XX түрінде енгізіңіз.",
            ("invalid_phone", Lang::Ru) => "Введите номер телефона в формате +7 7XX XXX XX XX.",
            ("invalid_phone", Lang::En) => "Enter the phone number as +7 7XX XXX XX XX.",
            ("invalid_code", Lang::Kk) => "Код қате. Қайта тексеріп енгізіңіз.",
            ("invalid_code", Lang::Ru) => "Неверный код. Проверьте и введите ещё раз.",
            ("invalid_code", Lang::En) => "Wrong code. Check it and try again.",
            ("code_expired", Lang::Kk) => {
                "Кодтың мерзімі өтті немесе әрекеттер таусылды. Жаңа код сұраңыз."
            }
            ("code_expired", Lang::Ru) => "Код истёк или попытки исчерпаны. Запросите новый код.",
            ("code_expired", Lang::En) => {
                "The code has expired or too many tries were made. Request a new code."
            }
            ("bad_request", Lang::Kk) => "Сұрау қате құрылған.",
            ("bad_request", Lang::Ru) => "Некорректный запрос.",
            ("bad_request", Lang::En) => "Malformed request.",
            (_, Lang::Kk) => "Ішкі қате. Кейінірек қайталап көріңіз.",
            (_, Lang::Ru) => "Внутренняя ошибка. Попробуйте позже.",
            (_, Lang::En) => "Internal error. Please try again later.",
        }
    }
}
#[cfg(feature = "ssr")]
pub use ssr::{generic, status_of};
