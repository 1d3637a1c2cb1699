//! Use case: a staff member signs in with username and password.
//!
//! Passwords are argon2id hashes, verified on a blocking thread (argon2 is
//! slow on purpose and would stall the async workers). Unknown usernames,
//! wrong passwords and deactivated accounts all get the same
//! `Unauthorized`, and an unknown username still costs one verification
//! against a dummy hash, so neither the answer nor its timing tells which
//! usernames exist.
//!
//! Wrong passwords are counted per account in the database (so the count
//! holds across server processes): from the 5th failure in a row the
//! account waits 1 s before the next password is even checked, doubling
//! with every further failure up to 15 minutes (429 `rate_limited` with
//! `Retry-After`); a successful sign-in resets it. Password checks run
//! behind a semaphore of one permit per core, with at most
//! [`MAX_WAITING`] logins queued; past that, 429 at once — memory stays
//! bounded (argon2 takes ~19 MiB per check) however many logins arrive.
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::Semaphore;

use argon2::PasswordHash;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter,
    Statement, Value, sea_query::Expr,
};

use crate::entity::staff;
use crate::error::ServiceError;
use crate::seed::hash_password;
use crate::service::auth::session::{NewSession, SessionMeta, create_session};
use crate::state::Core;

use super::roles::StaffRole;

/// Longest username and password looked at (longer ones are refused
/// before any hashing, so huge inputs cost nothing). Usernames with control
/// characters are refused before the query too (PostgreSQL rejects NUL in
/// text, which would otherwise surface as an internal error).
const MAX_USERNAME: usize = 64;
const MAX_PASSWORD: usize = 256;

/// Failures in a row before the account starts waiting.
const FREE_FAILURES: i32 = 4;
/// Longest wait after failures, seconds.
const MAX_DELAY: i64 = 15 * 60;
/// Largest argon2 memory cost accepted from a stored hash, KiB.
const MAX_KIB: u32 = 256 * 1024;
/// Logins that may queue for a password check; more get 429 at once.
pub const MAX_WAITING: usize = 64;

/// How long the account waits after its `failures`-th failure in a row.
pub fn delay_after(failures: i32) -> i64 {
    let over = failures - FREE_FAILURES;
    if over <= 0 {
        return 0;
    }
    let exp = u32::try_from(over - 1).unwrap_or(0).min(20);
    (1i64 << exp).min(MAX_DELAY)
}

/// Password checks run on a fixed set of threads, one per core (at most
/// 16), fed one job at a time through a semaphore: argon2's ~19 MiB is then
/// allocated by these threads only, so the memory it keeps is bounded by
/// their number (with the blocking pool, every one of hundreds of threads
/// would keep its own allocator arena).
struct PasswordGate {
    permits: Semaphore,
    waiting: AtomicUsize,
    jobs: std::sync::Mutex<std::sync::mpsc::Sender<Job>>,
}

type Job = Box<dyn FnOnce() + Send>;

fn password_gate() -> &'static PasswordGate {
    static GATE: OnceLock<PasswordGate> = OnceLock::new();
    GATE.get_or_init(|| {
        let threads = std::thread::available_parallelism()
            .map_or(2, std::num::NonZero::get)
            .clamp(1, 16);
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        for i in 0..threads {
            let rx = rx.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("password-{i}"))
                .spawn(move || {
                    loop {
                        let job = match rx.lock() {
                            Ok(r) => r.recv(),
                            Err(p) => p.into_inner().recv(),
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => break,
                        }
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "password thread not started");
            }
        }
        PasswordGate {
            permits: Semaphore::new(threads),
            waiting: AtomicUsize::new(0),
            jobs: std::sync::Mutex::new(tx),
        }
    })
}

/// Runs `check` on a password thread behind the gate; `RateLimited` when
/// [`MAX_WAITING`] are queued already.
async fn gated<T: Send + 'static>(
    check: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ServiceError> {
    let gate = password_gate();
    if gate.waiting.fetch_add(1, Ordering::SeqCst) >= MAX_WAITING {
        gate.waiting.fetch_sub(1, Ordering::SeqCst);
        tracing::warn!("too many staff sign-ins at once");
        return Err(ServiceError::RateLimited(1));
    }
    let permit = gate.permits.acquire().await;
    gate.waiting.fetch_sub(1, Ordering::SeqCst);
    let _permit = permit.map_err(|e| ServiceError::Internal(format!("password gate: {e}")))?;
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = tx.send(check());
    });
    let sent = match gate.jobs.lock() {
        Ok(j) => j.send(job),
        Err(p) => p.into_inner().send(job),
    };
    sent.map_err(|_| ServiceError::Internal("password threads are gone".into()))?;
    rx.await
        .map_err(|_| ServiceError::Internal("password check dropped".into()))
}

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
    meta: &SessionMeta,
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
    let now = state.now().timestamp();
    if let Some(m) = &row
        && m.locked_until > now
    {
        tracing::info!(
            staff_id = m.id,
            "staff sign-in refused: account waiting after failures"
        );
        return Err(ServiceError::RateLimited(
            u64::try_from(m.locked_until - now).unwrap_or(1),
        ));
    }
    let stored = match &row {
        Some(m) => m.password_hash.clone(),
        None => dummy_hash().await?,
    };
    let password = password.to_owned();
    let ok = gated(move || verify(&stored, &password)).await?;
    if let Some(m) = &row {
        if ok {
            if m.failed_logins > 0 {
                reset_failures(&state.db, m.id).await?;
            }
        } else {
            count_failure(&state.db, m.id, now).await?;
        }
    }
    let Some(m) = row.filter(|m| ok && m.active) else {
        tracing::info!("staff sign-in refused");
        return Err(ServiceError::Unauthorized);
    };
    let role = StaffRole::parse(&m.role)
        .ok_or_else(|| ServiceError::Internal(format!("staff {} has unknown role", m.id)))?;
    let token = create_session(
        &state.db,
        NewSession::Staff(m.id),
        meta,
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

/// Counts a wrong password (atomically) and sets the account's wait.
async fn count_failure(db: &DatabaseConnection, id: i64, now: i64) -> Result<(), ServiceError> {
    let backend = db.get_database_backend();
    let (p1, p2) = if backend == DbBackend::Postgres {
        ("$1", "$2")
    } else {
        ("?", "?")
    };
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            format!("UPDATE staff SET failed_logins = failed_logins + 1 WHERE id = {p1} RETURNING failed_logins"),
            [Value::BigInt(Some(id))],
        ))
        .await?;
    let failures: i32 = match row {
        Some(r) => r.try_get("", "failed_logins")?,
        None => return Ok(()),
    };
    let delay = delay_after(failures);
    if delay > 0 {
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            format!("UPDATE staff SET locked_until = {p1} WHERE id = {p2}"),
            [Value::BigInt(Some(now + delay)), Value::BigInt(Some(id))],
        ))
        .await?;
        tracing::warn!(
            staff_id = id,
            failures,
            delay,
            "staff account waits after wrong passwords"
        );
    }
    Ok(())
}

async fn reset_failures(db: &DatabaseConnection, id: i64) -> Result<(), ServiceError> {
    staff::Entity::update_many()
        .col_expr(staff::Column::FailedLogins, Expr::value(0))
        .col_expr(staff::Column::LockedUntil, Expr::value(0i64))
        .filter(staff::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Checks `password` against an argon2 PHC string. The working memory
/// (~19 MiB for the default parameters) is a buffer kept by the password
/// thread and reused, so the process holds one per password thread however
/// many sign-ins it serves; hashes asking for more than [`MAX_KIB`] are
/// refused.
fn verify(stored: &str, password: &str) -> bool {
    use argon2::{Algorithm, Argon2, Block, Params, Version};
    use std::cell::RefCell;
    thread_local! {
        static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
    }
    let Ok(hash) = PasswordHash::new(stored) else {
        return false;
    };
    let (Ok(alg), Ok(params)) = (Algorithm::try_from(hash.algorithm), Params::try_from(&hash))
    else {
        return false;
    };
    if params.m_cost() > MAX_KIB {
        return false;
    }
    let version = match hash.version.map(Version::try_from) {
        Some(Ok(v)) => v,
        Some(Err(_)) => return false,
        None => Version::default(),
    };
    let (Some(salt), Some(expected)) = (hash.salt, hash.hash) else {
        return false;
    };
    let mut salt_buf = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    let expected = expected.as_bytes();
    let mut out = vec![0u8; expected.len()];
    let blocks = params.block_count();
    let argon = Argon2::new(alg, version, params);
    MEMORY.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() < blocks {
            m.resize(blocks, Block::default());
        }
        argon
            .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut m[..blocks])
            .is_ok()
            && crate::service::util::constant_time_eq_bytes(&out, expected)
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

#[cfg(test)]
mod tests {
    use super::{delay_after, verify};

    #[test]
    fn verifies_argon2_hashes_with_a_reused_buffer() {
        let Ok(h) = crate::seed::hash_password("correct horse") else {
            panic!("hashing failed");
        };
        for _ in 0..2 {
            assert!(verify(&h, "correct horse"));
            assert!(!verify(&h, "correct horsE"));
        }
        assert!(!verify("not a hash", "x"));
        assert!(!verify(
            "$argon2id$v=19$m=999999999,t=2,p=1$c2FsdHNhbHQ$aGFzaA",
            "x"
        ));
    }

    #[test]
    fn the_wait_grows_after_four_failures_up_to_a_cap() {
        let waits: Vec<i64> = (1..=8).map(delay_after).collect();
        assert_eq!(waits, [0, 0, 0, 0, 1, 2, 4, 8]);
        assert_eq!(delay_after(14), 512);
        assert_eq!(delay_after(15), 900);
        assert_eq!(delay_after(1000), 900);
        assert_eq!(delay_after(-3), 0);
    }
}
