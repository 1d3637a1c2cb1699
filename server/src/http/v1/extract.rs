//! Extractors for `/api/v1` handlers. Every rejection is an [`ApiError`]
//! (JSON `{"error","message"}`), never axum's plain-text one and never 500.
//!
//! - [`ReqLang`] — the caller's language (`kezek_lang` cookie, else
//!   `Accept-Language`, else Russian). Never fails.
//! - [`Auth`] — any signed-in principal (bearer token or session cookie);
//!   401 without a valid one.
//! - [`CitizenAuth`] — a signed-in citizen; 401 without a session, 403 for a
//!   staff session.
//! - [`StaffAuth`] — a signed-in staff member (role not yet checked: call
//!   `app::server::service::staff::require_role` or `allows`); 401 / 403
//!   for a citizen.
//! - [`ApiJson`] — a JSON body: syntax errors 400, wrong types / missing
//!   fields 422, wrong content type 415, too large 413, all `bad_request`
//!   with a [`BadInput`] text in the caller's language (the field path is
//!   kept, axum's and serde's English sentences are not).
//!   Also a response wrapper (serializes like `axum::Json`).
//! - [`ApiQuery`] — query string; 422 `bad_request` when it does not parse.
//! - [`ApiPath`] — path parameters; 404 `not_found` when they do not parse
//!   (a path that names nothing).
use crate::AppState;
use app::api::ctx::{lang_of, token_of};
use app::api::error::ErrorCode;
use app::domain::ids::CitizenId;
use app::domain::input::BadInput;
use app::i18n::Lang;
use app::server::service::auth::session::{Principal, authenticate};
use app::server::service::staff::{StaffActor, require_staff};
use axum::{
    extract::{
        FromRequest, FromRequestParts, Path, Query, Request,
        rejection::{BytesRejection, FailedToBufferBody, JsonRejection, QueryRejection},
    },
    http::{StatusCode, request::Parts},
    response::{IntoResponse, Response},
};
use serde::{Serialize, de::DeserializeOwned};

use super::error::{ApiError, OrApi};

/// The caller's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReqLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for ReqLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(lang_of(&parts.headers)))
    }
}

/// A signed-in principal with the token it used. `Debug` shows neither
/// the token nor the IIN in clear (docs/LOGGING.md).
#[derive(Clone)]
pub struct Auth {
    pub principal: Principal,
    /// The raw token (to end the session on sign-out). Never log it.
    pub token: String,
    pub lang: Lang,
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let lang = lang_of(&parts.headers);
        let token = token_of(&parts.headers, state.config.secure_cookies)
            .ok_or_else(|| ApiError::unauthorized(lang))?;
        let principal = authenticate(&state.db, &token, state.now().timestamp())
            .await
            .or_api(lang)?;
        Ok(Self {
            principal,
            token,
            lang,
        })
    }
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Auth")
            .field("principal", &self.principal)
            .field("token", &"***")
            .field("lang", &self.lang)
            .finish()
    }
}

/// A signed-in citizen. `Debug` masks the IIN.
#[derive(Clone)]
pub struct CitizenAuth {
    pub citizen_id: CitizenId,
    /// Personal data: never log it in clear.
    pub iin: String,
    pub lang: Lang,
}

impl std::fmt::Debug for CitizenAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CitizenAuth")
            .field("citizen_id", &self.citizen_id)
            .field("iin", &app::domain::iin::masked(&self.iin))
            .field("lang", &self.lang)
            .finish()
    }
}

impl FromRequestParts<AppState> for CitizenAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let a = Auth::from_request_parts(parts, state).await?;
        match a.principal {
            Principal::Citizen { id, iin } => Ok(Self {
                citizen_id: id,
                iin,
                lang: a.lang,
            }),
            Principal::Staff { .. } => Err(ApiError::forbidden(a.lang)),
        }
    }
}

/// A signed-in staff member; check the role with `require_role` /
/// `allows` before acting.
#[derive(Clone, Debug)]
pub struct StaffAuth {
    pub actor: StaffActor,
    /// The same, as a principal (for `require_role`).
    pub principal: Principal,
    pub lang: Lang,
}

impl FromRequestParts<AppState> for StaffAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let a = Auth::from_request_parts(parts, state).await?;
        let actor = require_staff(&a.principal).or_api(a.lang)?;
        Ok(Self {
            actor,
            principal: a.principal,
            lang: a.lang,
        })
    }
}

/// A JSON request body (or response).
#[derive(Clone, Copy, Debug, Default)]
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let lang = lang_of(req.headers());
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Self(v)),
            Err(rej) => {
                let code = match rej.status() {
                    StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::UnsupportedMediaType,
                    StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
                    // Valid JSON of the wrong shape (missing field, wrong type).
                    StatusCode::UNPROCESSABLE_ENTITY => ErrorCode::BadRequest,
                    _ => ErrorCode::MalformedRequest,
                };
                Err(ApiError::new(
                    code,
                    app::i18n::bad_input_message(&json_problem(&rej), lang),
                ))
            }
        }
    }
}

impl<T: Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// Query parameters.
#[derive(Clone, Copy, Debug, Default)]
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let lang = lang_of(&parts.headers);
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(Self(v)),
            Err(rej) => Err(ApiError::bad_request(query_problem(&rej), lang)),
        }
    }
}

/// Path parameters.
#[derive(Clone, Copy, Debug, Default)]
pub struct ApiPath<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let lang = lang_of(&parts.headers);
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(v)) => Ok(Self(v)),
            Err(_) => Err(ApiError::not_found(lang)),
        }
    }
}

/// The body limit of JSON requests in MiB (axum's `DefaultBodyLimit`,
/// which the router leaves as it is).
const JSON_LIMIT_MB: u32 = 2;

/// The text of the serde error under an axum rejection (its `source`):
/// `path: message` from `serde_path_to_error`. axum's own English sentence
/// (the rejection's `Display`) is not part of it.
fn serde_text(e: &dyn std::error::Error) -> String {
    e.source().map(ToString::to_string).unwrap_or_default()
}

/// What is wrong with a JSON body, by rejection kind. Only the field path
/// of the serde error is kept, never a parser's English text.
fn json_problem(rej: &JsonRejection) -> BadInput {
    match rej {
        JsonRejection::JsonDataError(e) => BadInput::from_deserialize(None, &serde_text(e), false),
        JsonRejection::JsonSyntaxError(_) => BadInput::JsonSyntax { field: None },
        JsonRejection::MissingJsonContentType(_) => BadInput::ContentType {
            expected: "application/json",
        },
        JsonRejection::BytesRejection(BytesRejection::FailedToBufferBody(
            FailedToBufferBody::LengthLimitError(_),
        )) => BadInput::TooLarge {
            max_mb: JSON_LIMIT_MB,
        },
        JsonRejection::BytesRejection(_) => BadInput::BodyUnreadable,
        // `JsonRejection` is non-exhaustive.
        _ => BadInput::MalformedBody,
    }
}

/// What is wrong with a query string: the parameter when one can be named.
fn query_problem(rej: &QueryRejection) -> BadInput {
    match rej {
        QueryRejection::FailedToDeserializeQueryString(e) => {
            BadInput::from_deserialize(None, &serde_text(e), true)
        }
        // `QueryRejection` is non-exhaustive.
        _ => BadInput::MalformedQuery,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_tokens_and_iins() {
        let auth = Auth {
            principal: Principal::Citizen {
                id: CitizenId::new(7),
                iin: "710313311868".into(),
            },
            token: "secret-token-value".into(),
            lang: Lang::En,
        };
        let citizen = CitizenAuth {
            citizen_id: CitizenId::new(7),
            iin: "710313311868".into(),
            lang: Lang::En,
        };
        for text in [format!("{auth:?}"), format!("{citizen:?}")] {
            assert!(!text.contains("secret-token-value"), "{text}");
            assert!(!text.contains("710313311868"), "{text}");
            assert!(text.contains("1868"), "{text}");
        }
    }
}
