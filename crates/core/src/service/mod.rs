//! Use cases, one per file. Each one is a transaction that loads fresh rows,
//! calls the shared rule functions of `domain`, and writes.
pub mod admin;
pub mod auth;
pub mod booking;
pub mod catalog;
pub mod desk;
pub mod draws;
pub mod health;
pub mod outbox;
pub mod phones;
pub mod reports;
pub mod retention;
pub mod staff;
pub mod telegram;
pub mod util;
pub mod vehicles;
pub mod waitlist;
