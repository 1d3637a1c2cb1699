//! Opaque session tokens: 32 random bytes shown once, stored as SHA-256.
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbBackend, EntityTrait, Statement, Value};

use crate::entity::sessions;
use crate::error::ServiceError;
use crate::service::staff::roles::StaffRole;
use crate::service::util::{random_hex, sha256_hex};

pub enum NewSession {
    Citizen(i64),
    Staff(i64),
}

/// Who a valid token belongs to.
///
/// `Debug` masks the IIN (personal data, see docs/LOGGING.md).
#[derive(Clone, PartialEq, Eq)]
pub enum Principal {
    Citizen {
        id: i64,
        iin: String,
    },
    /// A staff member, as the `staff` row says at the time of the request
    /// (a deactivated account's sessions stop working at once).
    Staff {
        id: i64,
        role: StaffRole,
        center_id: Option<i64>,
        window_id: Option<i64>,
    },
}

impl std::fmt::Debug for Principal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Citizen { id, iin } => {
                let n = iin.chars().count();
                let masked: String = iin
                    .chars()
                    .enumerate()
                    .map(|(i, c)| if i + 4 < n { '*' } else { c })
                    .collect();
                f.debug_struct("Citizen")
                    .field("id", id)
                    .field("iin", &masked)
                    .finish()
            }
            Self::Staff {
                id,
                role,
                center_id,
                window_id,
            } => f
                .debug_struct("Staff")
                .field("id", id)
                .field("role", role)
                .field("center_id", center_id)
                .field("window_id", window_id)
                .finish(),
        }
    }
}

pub async fn create_session(
    db: &impl ConnectionTrait,
    who: NewSession,
    now: i64,
    ttl: i64,
) -> Result<String, ServiceError> {
    let token = random_hex(32);
    let (kind, citizen_id, staff_id) = match who {
        NewSession::Citizen(id) => ("citizen", Some(id), None),
        NewSession::Staff(id) => ("staff", None, Some(id)),
    };
    sessions::Entity::insert(sessions::ActiveModel {
        token_hash: Set(sha256_hex(&[&token])),
        kind: Set(kind.to_owned()),
        citizen_id: Set(citizen_id),
        staff_id: Set(staff_id),
        created_at: Set(now),
        expires_at: Set(now + ttl),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(token)
}

/// Resolves a token; `Unauthorized` when unknown or expired.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    token: &str,
    now: i64,
) -> Result<Principal, ServiceError> {
    if token.is_empty() || token.len() > 128 {
        return Err(ServiceError::Unauthorized);
    }
    // One statement: the session with its citizen or staff row.
    let backend = db.get_database_backend();
    let p = if backend == DbBackend::Postgres {
        "$1"
    } else {
        "?"
    };
    let sql = format!(
        "SELECT s.expires_at, s.citizen_id, s.staff_id, c.iin, \
         m.active AS staff_active, m.role, m.center_id, m.window_id \
         FROM sessions s \
         LEFT JOIN citizens c ON c.id = s.citizen_id \
         LEFT JOIN staff m ON m.id = s.staff_id \
         WHERE s.token_hash = {p}"
    );
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [Value::String(Some(sha256_hex(&[token])))],
        ))
        .await?
        .ok_or(ServiceError::Unauthorized)?;
    let expires_at: i64 = row.try_get("", "expires_at")?;
    if expires_at <= now {
        return Err(ServiceError::Unauthorized);
    }
    let citizen_id: Option<i64> = row.try_get("", "citizen_id")?;
    let staff_id: Option<i64> = row.try_get("", "staff_id")?;
    match (citizen_id, staff_id) {
        (Some(id), _) => {
            let iin: Option<String> = row.try_get("", "iin")?;
            let iin = iin.ok_or(ServiceError::Unauthorized)?;
            Ok(Principal::Citizen { id, iin })
        }
        (None, Some(id)) => {
            let active: Option<bool> = row.try_get("", "staff_active")?;
            if active != Some(true) {
                return Err(ServiceError::Unauthorized);
            }
            let role: Option<String> = row.try_get("", "role")?;
            let role = role
                .as_deref()
                .and_then(StaffRole::parse)
                .ok_or(ServiceError::Unauthorized)?;
            Ok(Principal::Staff {
                id,
                role,
                center_id: row.try_get("", "center_id")?,
                window_id: row.try_get("", "window_id")?,
            })
        }
        _ => Err(ServiceError::Unauthorized),
    }
}

/// Ends a session (sign-out). Unknown tokens are ignored.
pub async fn end_session(db: &impl ConnectionTrait, token: &str) -> Result<(), ServiceError> {
    sessions::Entity::delete_by_id(sha256_hex(&[token]))
        .exec(db)
        .await?;
    Ok(())
}
