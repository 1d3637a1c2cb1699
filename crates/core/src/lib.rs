//! kezek-core: the use cases, queries, jobs, adapters, entities and the
//! transaction helper — server only, and the only crate that imports
//! `sea_orm`. It knows no page and no transport: it depends on no Leptos,
//! no axum and not on `app` (its Cargo.toml; `scripts/test.sh` checks the
//! tree).
//!
//! Error types, by layer:
//! - `kezek_domain::refusal::Refusal` — a rule said no; carries the
//!   DOMAIN.md code.
//! - [`error::ServiceError`] — what a use case returns: a refusal, a lookup
//!   miss, an auth failure, a database error (logged, never shown).
//! - `app::api::error::AppError` / `kezek_wire::ErrorBody` — the wire form
//!   (`{"error","message"}`) for server functions and the JSON API.

pub mod boot;
pub mod clock;
pub mod config;
pub mod db;
pub mod entity;
pub mod error;
pub mod events;
pub mod limiter;
pub mod seed;
pub mod service;
pub mod state;
#[cfg(feature = "test-support")]
pub mod testing;

pub use state::Core;
