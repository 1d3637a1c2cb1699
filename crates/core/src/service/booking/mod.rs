//! Booking use cases: book, reschedule, cancel (citizen and center), the
//! center's bulk cancel-or-move, availability and reading bookings.
//!
//! Every write runs in [`txn::write_txn`]: on SQLite one writer at a time
//! (an in-process gate, and the first statement is a write so the
//! transaction holds the database's write lock before it reads); on
//! PostgreSQL READ COMMITTED with the citizen's row locked first
//! (`UPDATE citizens … WHERE id = $1`), so one citizen's requests are
//! serialized and every later read sees the latest commits. Deadlocks and
//! serialization failures are retried in one place. See ARCHITECTURE.md.
pub mod availability;
pub mod cancel;
pub mod close_day;
pub mod create;
pub mod facts;
pub(crate) mod history;
pub mod notify;
pub mod query;
pub mod rate;
pub mod read_cache;
pub mod relocation;
pub mod reschedule;
pub mod schedule;
pub mod txn;
