//! The HTTP test binary: the server's behaviour over real sockets (JSON API,
//! server functions, pages, the Telegram bot against a fake Bot API), and
//! the use cases it drives, on SQLite and — with `KEZEK_TEST_DATABASE_URL`
//! — PostgreSQL. One binary instead of one per file: one link step.
//! (`processes.rs` stays apart: it spawns the `kezek` binary.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

mod admin_app;
mod api_admin_vehicles;
mod api_auth;
mod api_bookings;
mod api_catalog;
mod api_draws;
mod api_staff;
mod api_waitlist;
mod desk;
mod failover;
mod foundation;
mod live;
mod outbox;
mod security;
mod sessions;
mod sign_in_limits;
mod sign_in_proof;
mod smaller_doors;
mod staff_app;
mod telegram_bot;
mod whatsapp;
