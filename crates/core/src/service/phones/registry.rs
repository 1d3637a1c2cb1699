//! The citizen registry adapter: "does the registry list this phone for this
//! IIN?"
//!
//! - [`DbCitizenRegistry`] reads the `citizen_phones` table (imported pairs,
//!   and in dev mode the phones bound on first use).
//! - [`HttpCitizenRegistry`] asks an external registry over HTTP:
//!   `POST {base}/v1/phone-check` with `{"iin","phone"}` (phone as
//!   `+77XXXXXXXXX`) → 200 `{"registered": bool, "iin_known": bool}`;
//!   an optional bearer token; any other answer, a timeout or a refused
//!   connection is `unavailable` (503), never a sign-in let through.
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};

use crate::entity::citizen_phones;
use crate::error::ServiceError;
use kezek_domain::iin::Iin;

/// The registry's answer for one (IIN, phone) pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhoneCheck {
    /// The phone is registered to the IIN.
    Listed,
    /// The IIN has phones, this is not one of them.
    NotListed,
    /// The registry lists no phone for the IIN.
    NoPhones,
}

/// What [`CitizenRegistry::check`] returns.
pub type CheckFuture<'a> =
    Pin<Box<dyn Future<Output = Result<PhoneCheck, ServiceError>> + Send + 'a>>;

/// A source of truth for "whose phone is this".
pub trait CitizenRegistry: Send + Sync + 'static {
    /// Whether `phone` (normalized, `+77XXXXXXXXX`) is registered to `iin`.
    fn check<'a>(&'a self, iin: &'a Iin, phone: &'a str) -> CheckFuture<'a>;

    /// True when the registry is Kezek's own table, so dev mode may bind a
    /// first phone to an IIN nobody registered (trust on first use).
    fn binds_on_first_use(&self) -> bool;

    /// A short name for logs and health output.
    fn name(&self) -> &'static str;
}

/// The `citizen_phones` table as the registry.
#[derive(Clone)]
pub struct DbCitizenRegistry {
    db: DatabaseConnection,
}

impl DbCitizenRegistry {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

impl CitizenRegistry for DbCitizenRegistry {
    fn check<'a>(&'a self, iin: &'a Iin, phone: &'a str) -> CheckFuture<'a> {
        Box::pin(async move { Ok(check_in(&phones_of(&self.db, iin.as_str()).await?, phone)) })
    }

    fn binds_on_first_use(&self) -> bool {
        true
    }

    fn name(&self) -> &'static str {
        "database"
    }
}

/// The phones the table lists for `iin` (on a connection or inside a
/// transaction).
pub async fn phones_of(db: &impl ConnectionTrait, iin: &str) -> Result<Vec<String>, ServiceError> {
    Ok(citizen_phones::Entity::find()
        .filter(citizen_phones::Column::Iin.eq(iin))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.phone)
        .collect())
}

/// The answer for `phone` given the IIN's listed phones.
pub fn check_in(listed: &[String], phone: &str) -> PhoneCheck {
    if listed.is_empty() {
        PhoneCheck::NoPhones
    } else if listed.iter().any(|p| p == phone) {
        PhoneCheck::Listed
    } else {
        PhoneCheck::NotListed
    }
}

/// The request body of the HTTP contract.
#[derive(Serialize)]
struct CheckRequest<'a> {
    iin: &'a str,
    phone: &'a str,
}

/// The answer body of the HTTP contract.
#[derive(Deserialize)]
struct CheckAnswer {
    registered: bool,
    #[serde(default = "yes")]
    iin_known: bool,
}

fn yes() -> bool {
    true
}

/// An external registry over HTTP (see the module doc for the contract).
#[derive(Clone, Debug)]
pub struct HttpCitizenRegistry {
    base_url: String,
    token: Option<String>,
    client: reqwest::Client,
}

impl HttpCitizenRegistry {
    /// A client with a 5-second timeout. `Err` only when the TLS stack
    /// cannot be set up.
    pub fn new(base_url: impl Into<String>, token: Option<String>) -> Result<Self, ServiceError> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .connect_timeout(Duration::from_secs(3))
            .build()
            .map_err(|e| ServiceError::Internal(format!("registry client: {e}")))?;
        Ok(Self {
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            token,
            client,
        })
    }

    async fn ask(&self, iin: &Iin, phone: &str) -> Result<PhoneCheck, ServiceError> {
        let unavailable =
            |what: String| ServiceError::Unavailable(format!("citizen registry: {what}"));
        let mut req = self
            .client
            .post(format!("{}/v1/phone-check", self.base_url))
            .json(&CheckRequest {
                iin: iin.as_str(),
                phone,
            });
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        // The error text may carry the URL, never the IIN (it is in the body).
        let answer = req
            .send()
            .await
            .map_err(|e| unavailable(e.without_url().to_string()))?;
        let status = answer.status();
        if !status.is_success() {
            return Err(unavailable(format!("answered {status}")));
        }
        let a: CheckAnswer = answer
            .json()
            .await
            .map_err(|e| unavailable(format!("unreadable answer: {}", e.without_url())))?;
        Ok(match (a.registered, a.iin_known) {
            (true, _) => PhoneCheck::Listed,
            (false, true) => PhoneCheck::NotListed,
            (false, false) => PhoneCheck::NoPhones,
        })
    }
}

impl CitizenRegistry for HttpCitizenRegistry {
    fn check<'a>(&'a self, iin: &'a Iin, phone: &'a str) -> CheckFuture<'a> {
        Box::pin(self.ask(iin, phone))
    }

    fn binds_on_first_use(&self) -> bool {
        false
    }

    fn name(&self) -> &'static str {
        "http"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_not_listed_and_none() {
        let l = vec!["+77010000001".to_owned(), "+77010000002".to_owned()];
        assert_eq!(check_in(&l, "+77010000002"), PhoneCheck::Listed);
        assert_eq!(check_in(&l, "+77010000003"), PhoneCheck::NotListed);
        assert_eq!(check_in(&[], "+77010000003"), PhoneCheck::NoPhones);
    }
}
