//! The write-transaction wrapper shared by every booking use case.
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use kezek_domain::calendar::NationalCalendar;

use rand::Rng;
use sea_orm::{
    ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, Statement, TransactionTrait,
    Value,
};

use crate::entity::citizens;
use crate::error::ServiceError;
use crate::state::Core;

use super::schedule::{CenterCtx, load_center, load_national};

pub type TxnFuture<'c, T> = Pin<Box<dyn Future<Output = Result<T, ServiceError>> + Send + 'c>>;

const MAX_ATTEMPTS: u32 = 6;

/// What a transaction body decided: keep its writes or roll them back
/// (a preview), with its value either way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome<T> {
    Commit(T),
    Rollback(T),
}

/// Runs `f` in a write transaction, committing on `Ok`. Retries (bounded,
/// jittered) when the database reports a deadlock, a serialization failure
/// or a busy SQLite file.
pub async fn write_txn<T, F>(state: &Core, f: F) -> Result<T, ServiceError>
where
    F: for<'c> Fn(&'c DatabaseTransaction) -> TxnFuture<'c, T> + Send + Sync,
    T: Send + 'static,
{
    write_txn_outcome(state, |txn| {
        let fut = f(txn);
        Box::pin(async move { fut.await.map(Outcome::Commit) })
    })
    .await
}

/// [`write_txn`] whose body decides to commit or roll back
/// ([`Outcome::Rollback`] ends the transaction without its writes and
/// returns the value).
pub async fn write_txn_outcome<T, F>(state: &Core, f: F) -> Result<T, ServiceError>
where
    F: for<'c> Fn(&'c DatabaseTransaction) -> TxnFuture<'c, Outcome<T>> + Send + Sync,
    T: Send,
{
    let sqlite = state.db.get_database_backend() == DbBackend::Sqlite;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let _gate = if sqlite {
            Some(state.write_gate.lock().await)
        } else {
            None
        };
        // The changes the attempt notes for live pages are published only
        // after its commit.
        let (result, changes) = crate::events::collecting(async {
            let txn = state.db.begin().await?;
            match f(&txn).await? {
                Outcome::Commit(value) => {
                    txn.commit().await?;
                    Ok::<_, ServiceError>((value, true))
                }
                Outcome::Rollback(value) => {
                    txn.rollback().await?;
                    Ok((value, false))
                }
            }
        })
        .await;
        let result = result.map(|(value, committed)| {
            if committed {
                state.events.publish(changes);
            }
            value
        });
        match result {
            Err(e) if attempt < MAX_ATTEMPTS && e.is_retryable() => {
                drop(_gate);
                let base = 5u64 << attempt.min(6);
                let jitter = rand::rng().random_range(0..base);
                tracing::debug!(attempt, "retrying write transaction");
                tokio::time::sleep(Duration::from_millis(base + jitter)).await;
            }
            other => return other,
        }
    }
}

/// Takes the citizen's lock for the rest of the transaction (a no-op
/// update: a row lock on PostgreSQL, the write lock on SQLite). Returns
/// false if the citizen does not exist.
pub async fn lock_citizen(
    txn: &DatabaseTransaction,
    citizen_id: i64,
) -> Result<bool, ServiceError> {
    let backend = txn.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "UPDATE citizens SET id = id WHERE id = $1",
        _ => "UPDATE citizens SET id = id WHERE id = ?",
    };
    let r = txn
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [Value::BigInt(Some(citizen_id))],
        ))
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Whose lock serializes writes to a booking (see [`lock_owner`]): taken
/// from the booking as read before the transaction (`walk_in` never
/// changes).
#[derive(Clone, Copy, Debug)]
pub struct Owner {
    pub booking_id: i64,
    pub citizen_id: i64,
    pub walk_in: bool,
}

impl Owner {
    pub fn of(booking: &crate::entity::bookings::Model) -> Self {
        Self {
            booking_id: booking.id,
            citizen_id: booking.citizen_id,
            walk_in: booking.walk_in,
        }
    }
}

/// Takes the lock that serializes writes to a booking: its citizen's
/// ([`lock_citizen_row`], returning the citizen as of the lock), as every
/// booking write does first, or for a walk-in the booking row itself
/// (`None`). All walk-ins share one placeholder citizen, whose row would
/// otherwise serialize the walk-ins of every center (review L8); nothing
/// but the desk writes a walk-in, so its own row is lock enough.
pub async fn lock_owner(
    txn: &DatabaseTransaction,
    owner: Owner,
) -> Result<Option<citizens::Model>, ServiceError> {
    if !owner.walk_in {
        return lock_citizen_row(txn, owner.citizen_id).await;
    }
    let backend = txn.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "UPDATE bookings SET id = id WHERE id = $1",
        _ => "UPDATE bookings SET id = id WHERE id = ?",
    };
    txn.execute_raw(Statement::from_sql_and_values(
        backend,
        sql,
        [Value::BigInt(Some(owner.booking_id))],
    ))
    .await?;
    Ok(None)
}

/// [`lock_citizen`] that also returns the citizen's row as of the lock, in
/// one statement (`UPDATE … RETURNING`, PostgreSQL and SQLite ≥ 3.35);
/// `None` if the citizen does not exist.
pub async fn lock_citizen_row(
    txn: &DatabaseTransaction,
    citizen_id: i64,
) -> Result<Option<citizens::Model>, ServiceError> {
    let backend = txn.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "UPDATE citizens SET id = id WHERE id = $1 \
             RETURNING id, iin, phone, lang, telegram_chat_id, whatsapp_since, created_at"
        }
        _ => {
            "UPDATE citizens SET id = id WHERE id = ? \
             RETURNING id, iin, phone, lang, telegram_chat_id, whatsapp_since, created_at"
        }
    };
    Ok(citizens::Entity::find()
        .from_raw_sql(Statement::from_sql_and_values(
            backend,
            sql,
            [Value::BigInt(Some(citizen_id))],
        ))
        .one(txn)
        .await?)
}

/// Bumps the schedule version of one center (`Some`) or of every center
/// (`None`, a national-calendar change). Call it first in an admin change's
/// transaction: the update waits for booking transactions holding the
/// center row, and every booking after it sees the new version and
/// decides on the new schedule (review M1).
pub async fn bump_schedule(
    txn: &DatabaseTransaction,
    center_id: Option<i64>,
) -> Result<(), ServiceError> {
    let backend = txn.get_database_backend();
    let p = if backend == DbBackend::Postgres {
        "$1"
    } else {
        "?"
    };
    let (sql, values) = match center_id {
        Some(id) => (
            format!("UPDATE centers SET schedule_version = schedule_version + 1 WHERE id = {p}"),
            vec![Value::BigInt(Some(id))],
        ),
        None => (
            "UPDATE centers SET schedule_version = schedule_version + 1".to_owned(),
            Vec::new(),
        ),
    };
    txn.execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    Ok(())
}

/// Share-locks the (active) center row for the rest of a booking
/// transaction — an administrator's change waits for it — and returns its
/// schedule version. `NotFound` when the center is gone or inactive. On
/// SQLite the transaction's write lock already serializes everything, so
/// this is a plain read.
pub async fn hold_center(txn: &DatabaseTransaction, center_id: i64) -> Result<i64, ServiceError> {
    let backend = txn.get_database_backend();
    let sql = if backend == DbBackend::Postgres {
        "SELECT schedule_version FROM centers WHERE id = $1 AND active FOR SHARE"
    } else {
        "SELECT schedule_version FROM centers WHERE id = ? AND active"
    };
    let row = txn
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [Value::BigInt(Some(center_id))],
        ))
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok(row.try_get("", "schedule_version")?)
}

/// PostgreSQL: locks the starts (Unix seconds) of one center for the rest
/// of the transaction, in ascending order (so two runs that overlap never
/// wait on each other in a cycle). A transaction-level advisory lock on the
/// pair (center, start minute), in the two-key space that the one-key
/// locks (vehicles) do not share. No-op on SQLite.
pub async fn lock_starts(
    txn: &DatabaseTransaction,
    center_id: i64,
    starts: &[i64],
) -> Result<(), ServiceError> {
    if txn.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let center = i32::try_from(center_id)
        .map_err(|_| ServiceError::Internal("center id beyond the lock key".into()))?;
    let mut minutes: Vec<i32> = starts
        .iter()
        .map(|s| i32::try_from(s.div_euclid(60)))
        .collect::<Result<_, _>>()
        .map_err(|_| ServiceError::Internal("start beyond the lock key".into()))?;
    minutes.sort_unstable();
    minutes.dedup();
    for m in minutes {
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1, $2)",
            [Value::Int(Some(center)), Value::Int(Some(m))],
        ))
        .await?;
    }
    Ok(())
}

/// The center schedule and national calendar a booking transaction must
/// decide on: `ctx` and `national` (read before the transaction, maybe
/// from the cache) when the center's version is still theirs, else both
/// read again inside the transaction (and the process's cache dropped).
/// Takes the center lock of [`hold_center`].
pub async fn current_schedule(
    core: &Core,
    txn: &DatabaseTransaction,
    ctx: Arc<CenterCtx>,
    national: Arc<NationalCalendar>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(Arc<CenterCtx>, Arc<NationalCalendar>), ServiceError> {
    let version = hold_center(txn, ctx.center.id).await?;
    if version == ctx.center.schedule_version {
        return Ok((ctx, national));
    }
    tracing::debug!(
        center = ctx.center.id,
        "schedule changed since read; reloading"
    );
    core.read_cache.clear();
    let fresh = load_center(txn, ctx.center.id).await?;
    let national = load_national(txn, from, to).await?;
    Ok((Arc::new(fresh), Arc::new(national)))
}
