//! The write-transaction wrapper shared by every booking use case.
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use rand::Rng;
use sea_orm::{
    ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, Statement, TransactionTrait,
    Value,
};

use crate::entity::citizens;
use crate::error::ServiceError;
use crate::state::Core;

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
        let result: Result<T, ServiceError> = async {
            let txn = state.db.begin().await?;
            match f(&txn).await? {
                Outcome::Commit(value) => {
                    txn.commit().await?;
                    Ok(value)
                }
                Outcome::Rollback(value) => {
                    txn.rollback().await?;
                    Ok(value)
                }
            }
        }
        .await;
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
             RETURNING id, iin, phone, lang, telegram_chat_id, created_at"
        }
        _ => {
            "UPDATE citizens SET id = id WHERE id = ? \
             RETURNING id, iin, phone, lang, telegram_chat_id, created_at"
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
