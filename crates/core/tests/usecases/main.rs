//! The use-case test binary: kezek-core's use cases against a real database
//! (SQLite; PostgreSQL with `KEZEK_TEST_DATABASE_URL`), no HTTP — booking
//! under concurrency (many citizens on one slot, one citizen racing
//! themselves), reschedule racing cancel, idempotency, closures, and the
//! model-based property test of the booking use cases.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

mod admin_races;
mod bookings_service;
mod calendar;
mod draws;
mod fairness;
mod model_based;
mod vehicle_race;
mod waitlist;
