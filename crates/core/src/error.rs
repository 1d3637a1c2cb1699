//! `ServiceError`: what every use case returns.
use kezek_domain::input::BadInput;
use kezek_domain::refusal::Refusal;
use kezek_wire::ErrorCode;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// A booking rule refused (DOMAIN.md code with message parameters).
    #[error("refused: {}", .0.code())]
    Refused(Refusal),
    /// Input that is not a rule refusal but still the caller's fault, with a
    /// stable code (`invalid_phone`, `invalid_code`, `code_expired`,
    /// `idempotency_key_reused`); the message comes from the API layer in
    /// the caller's language.
    #[error("invalid: {0}")]
    Invalid(ErrorCode),
    /// A malformed request (`bad_request`): which field or part, and why.
    /// The text comes from `i18n::bad_input_message` in the caller's
    /// language.
    #[error("bad request: {0:?}")]
    BadRequest(BadInput),
    #[error("unauthorized")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("rate limited, retry after {0} s")]
    RateLimited(u64),
    /// A database error. Logged, never sent to a client; retried by
    /// `write_txn` when [`retryable`] says so; answered `unavailable`
    /// (503, `Retry-After`) when [`db_unavailable`] says the database is
    /// away, else `internal`.
    #[error("database: {0}")]
    Db(#[from] sea_orm::DbErr),
    /// An outside system this answer depends on (the citizen registry)
    /// cannot be reached; the caller may retry shortly (`unavailable`, 503
    /// with `Retry-After`). The text is logged, never sent to a client.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// Anything else. The text is logged, never sent to a client.
    #[error("internal: {0}")]
    Internal(String),
}

impl ServiceError {
    /// True when the transaction that failed with this error may simply be
    /// run again: a deadlock or serialization failure on PostgreSQL, a busy
    /// or locked file on SQLite. Decided from the database's error code.
    pub fn is_retryable(&self) -> bool {
        match self {
            ServiceError::Db(e) => db_code(e).is_some_and(|c| retryable(&c)),
            _ => false,
        }
    }

    /// True when the answer is "not now, retry shortly" (`unavailable`):
    /// an outside system is down, or the database cannot be reached or
    /// cannot take writes at the moment ([`db_unavailable`]).
    pub fn is_unavailable(&self) -> bool {
        match self {
            ServiceError::Unavailable(_) => true,
            ServiceError::Db(e) => db_unavailable(e),
            _ => false,
        }
    }

    /// The `Retry-After` seconds of this error, for every door: a rate
    /// limit's own wait (at least 1), five seconds for `unavailable`.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            ServiceError::RateLimited(secs) => Some((*secs).max(1)),
            e if e.is_unavailable() => Some(UNAVAILABLE_RETRY_SECS),
            _ => None,
        }
    }
}

/// `Retry-After` of an `unavailable` answer.
pub const UNAVAILABLE_RETRY_SECS: u64 = 5;

/// Whether a database error means the database is away rather than the
/// request wrong: no pooled connection in time, a connection broken under
/// the request (I/O error, closed pool), or a server that is going away,
/// starting, refusing connections or read-only — what a restart or a
/// failover looks like from here. The request may not have taken effect
/// (or may have: a commit whose answer was lost); clients retry with their
/// `Idempotency-Key`, so such errors are answered `unavailable`, never
/// retried blindly here.
pub fn db_unavailable(e: &sea_orm::DbErr) -> bool {
    use sea_orm::{DbErr, RuntimeErr, error::SqlxError};
    let x = match e {
        DbErr::ConnectionAcquire(_) => return true,
        DbErr::Exec(RuntimeErr::SqlxError(x))
        | DbErr::Query(RuntimeErr::SqlxError(x))
        | DbErr::Conn(RuntimeErr::SqlxError(x)) => x.as_ref(),
        _ => return false,
    };
    match x {
        SqlxError::Io(_)
        | SqlxError::Tls(_)
        | SqlxError::PoolTimedOut
        | SqlxError::PoolClosed
        | SqlxError::WorkerCrashed => true,
        // A connection attempt cut off in its handshake: what a router
        // with no primary behind it does (accepts, then closes).
        SqlxError::Protocol(_) => matches!(e, DbErr::Conn(_)),
        SqlxError::Database(d) => d.code().is_some_and(|c| unavailable_code(&c)),
        _ => false,
    }
}

/// PostgreSQL SQLSTATEs of a database that is away: class `08`
/// (connection exception, also what PgBouncer sends when its server is
/// gone), `57P01` admin shutdown, `57P02` crash shutdown, `57P03` cannot
/// connect now (starting or in recovery), `25006` read-only transaction (a
/// demoted primary or a standby), `53300` too many connections.
pub fn unavailable_code(code: &str) -> bool {
    code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03" | "25006" | "53300")
}

/// The database's own error code (PostgreSQL SQLSTATE, SQLite extended
/// result code as a number) of `e`, if it carries one.
pub fn db_code(e: &sea_orm::DbErr) -> Option<String> {
    use sea_orm::{DbErr, RuntimeErr, error::SqlxError};
    match e {
        DbErr::Exec(RuntimeErr::SqlxError(x))
        | DbErr::Query(RuntimeErr::SqlxError(x))
        | DbErr::Conn(RuntimeErr::SqlxError(x)) => match x.as_ref() {
            SqlxError::Database(d) => d.code().map(|c| c.into_owned()),
            _ => None,
        },
        _ => None,
    }
}

/// Whether a database error code means "run the transaction again":
/// PostgreSQL `40P01` (deadlock detected) and `40001` (serialization
/// failure); SQLite `SQLITE_BUSY` (5) and `SQLITE_LOCKED` (6) with any
/// extended code (the low byte is the primary code).
pub fn retryable(code: &str) -> bool {
    match code {
        "40P01" | "40001" => true,
        _ => code.parse::<u32>().is_ok_and(|n| matches!(n & 0xff, 5 | 6)),
    }
}

/// Whether a database error code is a unique-constraint violation:
/// PostgreSQL `23505`; SQLite `SQLITE_CONSTRAINT_UNIQUE` (2067) and
/// `SQLITE_CONSTRAINT_PRIMARYKEY` (1555).
pub fn unique_violation(code: &str) -> bool {
    matches!(code, "23505" | "2067" | "1555")
}

impl From<Refusal> for ServiceError {
    fn from(r: Refusal) -> Self {
        ServiceError::Refused(r)
    }
}

impl From<BadInput> for ServiceError {
    fn from(b: BadInput) -> Self {
        ServiceError::BadRequest(b)
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

/// A JSON argument of a server function (`change`, `center`, `policy`)
/// that does not parse: which field is missing or wrong, never serde's
/// English sentence.
pub fn json_arg(field: &'static str, e: &serde_json::Error) -> BadInput {
    match e.classify() {
        serde_json::error::Category::Data => {
            BadInput::from_deserialize(Some(field), &e.to_string(), false)
        }
        serde_json::error::Category::Syntax
        | serde_json::error::Category::Eof
        | serde_json::error::Category::Io => BadInput::JsonSyntax { field: Some(field) },
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn unique_violations_by_code() {
        for c in ["23505", "2067", "1555"] {
            assert!(super::unique_violation(c), "{c}");
        }
        for c in ["40001", "5", "19", "787", "23503"] {
            assert!(!super::unique_violation(c), "{c}");
        }
    }

    use super::*;

    #[test]
    fn unavailable_codes() {
        for c in [
            "08000", "08006", "08P01", "57P01", "57P02", "57P03", "25006", "53300",
        ] {
            assert!(super::unavailable_code(c), "{c}");
        }
        for c in ["40001", "40P01", "23505", "5", "2067", "42P01", "57014"] {
            assert!(!super::unavailable_code(c), "{c}");
        }
    }

    #[test]
    fn unavailable_errors_and_their_retry_after() {
        use sea_orm::{DbErr, RuntimeErr, error::ConnAcquireErr};
        use std::sync::Arc;
        let io = |k| {
            DbErr::Exec(RuntimeErr::SqlxError(Arc::new(sea_orm::sqlx::Error::Io(
                std::io::Error::from(k),
            ))))
        };
        let away = [
            DbErr::ConnectionAcquire(ConnAcquireErr::Timeout),
            DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed),
            io(std::io::ErrorKind::ConnectionReset),
            io(std::io::ErrorKind::UnexpectedEof),
            DbErr::Query(RuntimeErr::SqlxError(Arc::new(
                sea_orm::sqlx::Error::PoolClosed,
            ))),
        ];
        for e in away {
            let e = ServiceError::Db(e);
            assert!(e.is_unavailable(), "{e}");
            assert_eq!(e.retry_after(), Some(UNAVAILABLE_RETRY_SECS), "{e}");
        }
        for e in [
            // A protocol error on an open connection is not a lost database.
            DbErr::Exec(RuntimeErr::SqlxError(Arc::new(
                sea_orm::sqlx::Error::Protocol("x".into()),
            ))),
            DbErr::Custom("x".into()),
            DbErr::RecordNotFound("x".into()),
            DbErr::Exec(RuntimeErr::Internal("x".into())),
        ] {
            let e = ServiceError::Db(e);
            assert!(!e.is_unavailable(), "{e}");
            assert_eq!(e.retry_after(), None, "{e}");
        }
        assert_eq!(ServiceError::RateLimited(0).retry_after(), Some(1));
        assert_eq!(ServiceError::RateLimited(30).retry_after(), Some(30));
        assert_eq!(
            ServiceError::Unavailable("registry".into()).retry_after(),
            Some(5)
        );
        assert_eq!(ServiceError::NotFound.retry_after(), None);
    }

    #[test]
    fn retryable_codes() {
        // PostgreSQL: deadlock, serialization failure.
        assert!(retryable("40P01"));
        assert!(retryable("40001"));
        // SQLite: BUSY, BUSY_RECOVERY, BUSY_SNAPSHOT, BUSY_TIMEOUT, LOCKED,
        // LOCKED_SHAREDCACHE.
        for c in ["5", "261", "517", "773", "6", "262"] {
            assert!(retryable(c), "{c}");
        }
        // Not retryable: unique violation (23505, SQLite 2067), check
        // violation, syntax error, constraint (19), I/O (10), read-only (8).
        for c in ["23505", "23514", "42601", "2067", "19", "10", "8", "", "xx"] {
            assert!(!retryable(c), "{c}");
        }
    }

    #[test]
    fn only_database_errors_are_retried() {
        assert!(!ServiceError::Internal("deadlock detected 40P01".into()).is_retryable());
        assert!(
            !ServiceError::Db(sea_orm::DbErr::Custom("database is locked".into())).is_retryable()
        );
    }
}
