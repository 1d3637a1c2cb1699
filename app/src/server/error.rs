//! `ServiceError`: what every use case returns.
use crate::domain::refusal::Refusal;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// A booking rule refused (DOMAIN.md code with message parameters).
    #[error("refused: {}", .0.code())]
    Refused(Refusal),
    /// Input that is not a rule refusal but still the caller's fault, with a
    /// stable code (`invalid_phone`, `invalid_code`, `code_expired`); the
    /// message comes from the API layer in the caller's language.
    #[error("invalid: {0}")]
    Invalid(&'static str),
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("unauthorized")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("rate limited, retry after {0} s")]
    RateLimited(u64),
    /// Anything else. The text is logged, never sent to a client.
    #[error("internal: {0}")]
    Internal(String),
}

impl From<Refusal> for ServiceError {
    fn from(r: Refusal) -> Self {
        ServiceError::Refused(r)
    }
}

impl From<sea_orm::DbErr> for ServiceError {
    fn from(e: sea_orm::DbErr) -> Self {
        ServiceError::Internal(e.to_string())
    }
}

impl From<sea_orm::TransactionError<ServiceError>> for ServiceError {
    fn from(e: sea_orm::TransactionError<ServiceError>) -> Self {
        match e {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(inner) => inner,
        }
    }
}
