//! Fixed-window counters in the database (`send_counters`), bumped by one
//! atomic upsert: parallel requests each get their own count, so a burst
//! cannot pass a check that all of them made before any wrote (review M6).
//! They hold across server processes.
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

use crate::error::ServiceError;

/// Counts one event for `key` in its current window of `window_secs`
/// (a window starts with its first event); `Err(seconds until the window
/// ends)` when the count passes `limit`.
pub async fn bump(
    db: &impl ConnectionTrait,
    key: &str,
    limit: u32,
    window_secs: i64,
    now: i64,
) -> Result<Result<(), u64>, ServiceError> {
    let backend = db.get_database_backend();
    let (p1, p2, p3) = if backend == DbBackend::Postgres {
        ("$1", "$2", "$3")
    } else {
        ("?", "?", "?")
    };
    // Every SET expression reads the old row, so both CASEs agree.
    let sql = format!(
        "INSERT INTO send_counters (key, window_start, count) VALUES ({p1}, {p2}, 1) \
         ON CONFLICT (key) DO UPDATE SET \
         count = CASE WHEN send_counters.window_start <= {p3} THEN 1 \
                      ELSE send_counters.count + 1 END, \
         window_start = CASE WHEN send_counters.window_start <= {p3} THEN excluded.window_start \
                             ELSE send_counters.window_start END \
         RETURNING count, window_start"
    );
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [
                Value::String(Some(key.to_owned())),
                Value::BigInt(Some(now)),
                Value::BigInt(Some(now - window_secs)),
            ],
        ))
        .await?
        .ok_or_else(|| ServiceError::Internal("counter upsert returned no row".into()))?;
    let count: i32 = row.try_get("", "count")?;
    let start: i64 = row.try_get("", "window_start")?;
    if i64::from(count) > i64::from(limit) {
        let wait = (start + window_secs - now).max(1);
        return Ok(Err(u64::try_from(wait).unwrap_or(1)));
    }
    Ok(Ok(()))
}
