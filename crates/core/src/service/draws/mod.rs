//! Fair release by draw (DOMAIN.md R12).
//!
//! - [`order`] — the seed, its commitment, the order
//!   `SHA-256(seed ‖ public_id)` and the check of a public record (also
//!   `kezek verify-draw`);
//! - [`gate`] — whether a center's date is still under a draw
//!   (`draw_pending`), asked by bookings and reschedules inside their
//!   transaction and by availability;
//! - [`admin`] — ad hoc draws, a center's release mode, and the release
//!   job that opens a draw for each day entering a draw-mode center's
//!   horizon;
//! - [`requests`] — a citizen's request (1–5 ranked choices, every rule
//!   checked), withdrawal, their list;
//! - [`run`] — the durable run: any process closes a due draw (positions
//!   written once, in one transaction) and serves its requests in order,
//!   one transaction per request under the draw row's lock, so two
//!   processes or a restart after a crash serve each request exactly once;
//! - [`views`] — the public record (`/draws/{id}`) and lists.
//!
//! Lock order: draw row → citizen row → center row; bookings take citizen
//! → center and only read draws.
pub mod admin;
pub mod gate;
pub mod order;
pub mod requests;
pub mod run;
pub mod views;

/// Draw status: taking requests.
pub const OPEN: &str = "open";
/// Draw status: closed, its requests being served.
pub const RUNNING: &str = "running";
/// Draw status: every request served; what is left is first-come.
pub const DONE: &str = "done";

/// Request status.
pub const PENDING: &str = "pending";
/// Request status.
pub const MATCHED: &str = "matched";
/// Request status.
pub const UNMATCHED: &str = "unmatched";
/// Request status.
pub const WITHDRAWN: &str = "withdrawn";

use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, Statement, Value};

use crate::entity::draws;
use crate::error::ServiceError;

/// Locks the draw row for the rest of the transaction and returns it:
/// exclusive (closing, serving) or shared (a request or withdrawal, which
/// must see the draw still open when it commits). SQLite: the write lock.
pub(crate) async fn lock_draw(
    txn: &DatabaseTransaction,
    draw_id: i64,
    exclusive: bool,
) -> Result<Option<draws::Model>, ServiceError> {
    use sea_orm::EntityTrait;
    let backend = txn.get_database_backend();
    let sql = match (backend, exclusive) {
        (DbBackend::Postgres, true) => "SELECT * FROM draws WHERE id = $1 FOR UPDATE",
        (DbBackend::Postgres, false) => "SELECT * FROM draws WHERE id = $1 FOR SHARE",
        _ => {
            // Take SQLite's write lock before reading.
            txn.execute_raw(Statement::from_sql_and_values(
                backend,
                "UPDATE draws SET id = id WHERE id = ?",
                [Value::BigInt(Some(draw_id))],
            ))
            .await?;
            "SELECT * FROM draws WHERE id = ?"
        }
    };
    Ok(draws::Entity::find()
        .from_raw_sql(Statement::from_sql_and_values(
            backend,
            sql,
            [Value::BigInt(Some(draw_id))],
        ))
        .one(txn)
        .await?)
}
