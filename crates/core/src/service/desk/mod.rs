//! The staff desk: check a visitor in, call the next one to a window, start,
//! finish or mark a no-show (DOMAIN.md R8). One use case per file.
//!
//! Every step is one [`write_txn`](super::booking::txn::write_txn): the
//! booking's citizen is locked first ([`lock_owner`]; for a walk-in, its
//! own row), the booking is re-read, `domain::lifecycle::apply` decides
//! with a [`Timing`] in the center's local time (policy
//! `no_show_grace_min`, the day's first opening from the center's
//! calendar), and the new status, its timestamp and a
//! `booking_history` row (actor `staff:<id>`) are written. The update is
//! conditional on the status that was read (`… AND status = <old>`).
//!
//! Authorization (`staff::allows`): check-in, start, served and no-show need
//! any staff of the booking's center (`Need::Operator`); call-next needs the
//! operator of that window or an admin of its center (`Need::Window`). The
//! administrator may do everything.
//!
//! Decisions where DOMAIN.md is silent:
//! * **Tickets** are `<letter>-<nnn>`: `D` for the Documentation group, `O`
//!   for Other, and a daily sequence per center, day and letter (`D-001`,
//!   `D-002`, `O-001`, …; a fourth digit appears after 999). The next number
//!   is computed inside the check-in transaction from the tickets already
//!   issued; on PostgreSQL the center row is locked first
//!   (`SELECT … FOR NO KEY UPDATE`), on SQLite the write lock taken by the
//!   first statement serializes check-ins. [`check_in::next_ticket`] is
//!   public so walk-in tickets can share the sequence.
//! * **Queue order** for call-next: CheckedIn bookings of the window's center
//!   for today (center-local date) whose service the window serves;
//!   `priority` first, booked visitors before walk-ins, then appointment
//!   start, check-in time and id. Selection + update is atomic per candidate
//!   (conditional update); a candidate taken by another window meanwhile is
//!   skipped, so two windows never get the same visitor.
//! * **Window-slots** stay held while the visit is open (checked in, called,
//!   in service: the visitor still needs the window's time) and are released
//!   when it ends (`Served`, `NoShow`).
//! * `finished_at` is set for `Served` only (a no-show never started).
//!
//! [`lock_owner`]: super::booking::txn::lock_owner
//! [`Timing`]: kezek_domain::lifecycle::Timing
pub mod auto_no_show;
pub mod board;
pub mod call_next;
pub mod check_in;
mod common;
pub mod no_show;
pub mod priority;
pub mod recall;
pub mod served;
pub mod start;
pub mod walk_in;

pub use call_next::call_next;
pub use check_in::{CheckedIn, check_in};
pub use no_show::no_show;
pub use served::served;
pub use start::start;
pub use walk_in::walk_in;
