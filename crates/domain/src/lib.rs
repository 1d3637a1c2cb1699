//! The booking rules of DOMAIN.md as pure code, shared by the server and the
//! browser (wasm32).
//!
//! # Purity invariant
//!
//! Nothing under `domain` does IO, reads the clock, spawns threads, sleeps or
//! touches a database. The current time (`now`), the [`policy::Policy`]
//! values and every fact a rule needs (the citizen's bookings, the registry's
//! answer, the windows and held slots of a day) are passed in as arguments.
//! The same functions therefore give the same answer in the browser (instant
//! feedback) and on the server, which re-checks everything inside the
//! transaction that writes.
//!
//! # Errors
//!
//! Parsers return small typed errors ([`iin::IinError`],
//! [`vehicle::VehicleError`], [`ids::IdError`], [`calendar::CalendarError`]);
//! every rule returns [`refusal::Refusal`], whose `code()` is the stable
//! DOMAIN.md code and whose text comes from `kezek_i18n`. Parser errors that
//! a citizen can cause convert into a `Refusal` with `From`. A malformed
//! request (a field out of range, an unreadable body) is an
//! [`input::BadInput`], also typed and worded by `kezek_i18n`.
//!
//! Only fixed-width integers cross serde boundaries (wasm32 is 32-bit).

pub mod calendar;
pub mod capacity;
pub mod catalog;
pub mod draw;
pub mod ids;
pub mod iin;
pub mod input;
pub mod lifecycle;
pub mod phone;
pub mod policy;
pub mod redirect;
pub mod refusal;
pub mod rules;
pub mod vehicle;

#[cfg(test)]
mod proptests;
