//! Opaque session tokens: 32 random bytes shown once, stored as SHA-256.
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbBackend, EntityTrait, Statement, Value};

use kezek_domain::ids::{CenterId, CitizenId, WindowId};

use crate::entity::sessions;
use crate::error::ServiceError;
use crate::service::staff::roles::StaffRole;
use crate::service::util::{random_hex, sha256_hex};

pub enum NewSession {
    Citizen(i64),
    Staff(i64),
}

/// Where a session was opened from, for the citizen's list of sessions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SessionMeta {
    /// The client's `User-Agent` (trimmed to 200 characters, control
    /// characters dropped).
    pub user_agent: Option<String>,
    /// The client address as counted by the limits (IPv6 by /64).
    pub address: Option<String>,
}

impl SessionMeta {
    pub fn new(user_agent: Option<&str>, address: Option<String>) -> Self {
        let user_agent = user_agent
            .map(|u| {
                u.chars()
                    .filter(|c| !c.is_control())
                    .take(200)
                    .collect::<String>()
            })
            .filter(|u| !u.trim().is_empty());
        Self {
            user_agent,
            address: address.filter(|a| a.len() <= 64 && a != "unknown"),
        }
    }
}

/// One of a citizen's sessions, as the cabinet lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionInfo {
    /// A short public handle (the first 16 hex characters of the token's
    /// hash): enough to tell sessions apart, useless to sign in.
    pub handle: String,
    pub created_at: i64,
    pub user_agent: Option<String>,
    pub address: Option<String>,
    /// The session this request came with.
    pub current: bool,
}

/// Who a valid token belongs to.
///
/// `Debug` masks the IIN (personal data, see docs/LOGGING.md).
#[derive(Clone, PartialEq, Eq)]
pub enum Principal {
    Citizen {
        id: CitizenId,
        iin: String,
    },
    /// A staff member, as the `staff` row says at the time of the request
    /// (a deactivated account's sessions stop working at once).
    Staff {
        id: i64,
        role: StaffRole,
        center_id: Option<CenterId>,
        window_id: Option<WindowId>,
    },
}

impl std::fmt::Debug for Principal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Citizen { id, iin } => f
                .debug_struct("Citizen")
                .field("id", id)
                .field("iin", &kezek_domain::iin::masked(iin))
                .finish(),
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
    meta: &SessionMeta,
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
        user_agent: Set(meta.user_agent.clone()),
        address: Set(meta.address.clone()),
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
            Ok(Principal::Citizen {
                id: CitizenId::new(id),
                iin,
            })
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
                center_id: row
                    .try_get::<Option<i64>>("", "center_id")?
                    .map(CenterId::new),
                window_id: row
                    .try_get::<Option<i64>>("", "window_id")?
                    .map(WindowId::new),
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

/// The citizen's live sessions, newest first; `current_token` marks the
/// caller's own.
pub async fn citizen_sessions(
    db: &impl ConnectionTrait,
    citizen: CitizenId,
    current_token: &str,
    now: i64,
) -> Result<Vec<SessionInfo>, ServiceError> {
    let citizen_id = citizen.get();
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    let current = sha256_hex(&[current_token]);
    let rows = sessions::Entity::find()
        .filter(sessions::Column::CitizenId.eq(citizen_id))
        .filter(sessions::Column::ExpiresAt.gt(now))
        .order_by_desc(sessions::Column::CreatedAt)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| SessionInfo {
            handle: r.token_hash.chars().take(16).collect(),
            created_at: r.created_at,
            user_agent: r.user_agent,
            address: r.address,
            current: r.token_hash == current,
        })
        .collect())
}

/// Ends every session of the citizen but the caller's; how many ended.
pub async fn end_other_sessions(
    db: &impl ConnectionTrait,
    citizen: CitizenId,
    current_token: &str,
) -> Result<u64, ServiceError> {
    let citizen_id = citizen.get();
    use sea_orm::{ColumnTrait, QueryFilter};
    let n = sessions::Entity::delete_many()
        .filter(sessions::Column::CitizenId.eq(citizen_id))
        .filter(sessions::Column::TokenHash.ne(sha256_hex(&[current_token])))
        .exec(db)
        .await?
        .rows_affected;
    tracing::info!(citizen_id, ended = n, "other sessions ended");
    Ok(n)
}

/// A short name of the browser and system in a `User-Agent`
/// ("Chrome · Android"), for the list of sessions.
pub fn device_of(user_agent: &str) -> String {
    let browser = [
        ("Telegram", "Telegram"),
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("YaBrowser", "Yandex Browser"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ]
    .iter()
    .find(|(needle, _)| user_agent.contains(needle))
    .map(|(_, name)| *name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(needle, _)| user_agent.contains(needle))
    .map(|(_, name)| *name);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} · {s}"),
        (Some(x), None) | (None, Some(x)) => x.to_owned(),
        (None, None) => user_agent.chars().take(40).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_read_from_user_agents() {
        let android = "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36";
        assert_eq!(device_of(android), "Chrome · Android");
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
        assert_eq!(device_of(iphone), "Safari · iPhone");
        assert_eq!(device_of("curl/8.5.0"), "curl");
        assert_eq!(device_of("Telegram"), "Telegram");
    }

    #[test]
    fn meta_is_trimmed_and_cleaned() {
        let m = SessionMeta::new(
            Some(&format!("a\u{0}b{}", "x".repeat(300))),
            Some("unknown".into()),
        );
        assert_eq!(m.user_agent.as_deref().map(str::len), Some(200));
        assert!(!m.user_agent.unwrap_or_default().contains('\u{0}'));
        assert_eq!(m.address, None);
        assert_eq!(SessionMeta::new(Some("  "), None).user_agent, None);
    }
}
