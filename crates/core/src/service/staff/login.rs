//! Use case: a staff member signs in with username and password.
//!
//! Passwords are argon2id hashes, verified on a blocking thread (argon2 is
//! slow on purpose and would stall the async workers). Unknown usernames,
//! wrong passwords and deactivated accounts all get the same
//! `Unauthorized`, and an unknown username still costs one verification
//! against a dummy hash, so neither the answer nor its timing tells which
//! usernames exist.
use std::sync::OnceLock;

use argon2::{PasswordHash, PasswordVerifier};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::entity::staff;
use crate::error::ServiceError;
use crate::seed::hash_password;
use crate::service::auth::session::{NewSession, create_session};
use crate::state::Core;

use super::roles::StaffRole;

/// Longest username and password looked at (longer ones are refused
/// before any hashing, so huge inputs cost nothing). Usernames with control
/// characters are refused before the query too (PostgreSQL rejects NUL in
/// text, which would otherwise surface as an internal error).
const MAX_USERNAME: usize = 64;
const MAX_PASSWORD: usize = 256;

/// A staff session just opened.
#[derive(Debug)]
pub struct StaffSignedIn {
    /// Shown once; stored only as a hash.
    pub token: String,
    pub staff_id: i64,
    pub role: StaffRole,
    pub center_id: Option<i64>,
    pub window_id: Option<i64>,
}

pub async fn staff_login(
    state: &Core,
    username: &str,
    password: &str,
) -> Result<StaffSignedIn, ServiceError> {
    let username = username.trim();
    if username.is_empty()
        || username.len() > MAX_USERNAME
        || password.is_empty()
        || password.len() > MAX_PASSWORD
        || username.chars().any(char::is_control)
    {
        return Err(ServiceError::Unauthorized);
    }
    let row = staff::Entity::find()
        .filter(staff::Column::Username.eq(username))
        .one(&state.db)
        .await?;
    let stored = match &row {
        Some(m) => m.password_hash.clone(),
        None => dummy_hash().await?,
    };
    let password = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || verify(&stored, &password))
        .await
        .map_err(|e| ServiceError::Internal(format!("password check: {e}")))?;
    let Some(m) = row.filter(|m| ok && m.active) else {
        tracing::info!("staff sign-in refused");
        return Err(ServiceError::Unauthorized);
    };
    let role = StaffRole::parse(&m.role)
        .ok_or_else(|| ServiceError::Internal(format!("staff {} has unknown role", m.id)))?;
    let now = state.now().timestamp();
    let token = create_session(
        &state.db,
        NewSession::Staff(m.id),
        now,
        state.config.session_ttl_secs,
    )
    .await?;
    tracing::info!(staff_id = m.id, role = role.as_str(), "staff signed in");
    Ok(StaffSignedIn {
        token,
        staff_id: m.id,
        role,
        center_id: m.center_id,
        window_id: m.window_id,
    })
}

fn verify(stored: &str, password: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| {
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A valid hash of a random password, made once per process, verified
/// against when the username is unknown.
async fn dummy_hash() -> Result<String, ServiceError> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(h) = DUMMY.get() {
        return Ok(h.clone());
    }
    let h = tokio::task::spawn_blocking(|| hash_password(&crate::service::util::random_hex(16)))
        .await
        .map_err(|e| ServiceError::Internal(format!("password hash: {e}")))??;
    Ok(DUMMY.get_or_init(|| h).clone())
}
