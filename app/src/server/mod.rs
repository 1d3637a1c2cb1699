//! Server-only code (`ssr` feature): the only place that imports `sea_orm`.
//!
//! Error types, by layer:
//! - `domain::Refusal` — a rule said no; carries the DOMAIN.md code.
//! - [`error::ServiceError`] — what a use case returns: a refusal, a lookup
//!   miss, an auth failure, or an internal failure (database text is logged,
//!   never shown).
//! - `api::AppError` — the wire form (`{"error","message"}`) for server
//!   functions and the JSON API.

pub mod clock;
pub mod config;
pub mod db;
pub mod entity;
pub mod error;
pub mod seed;
pub mod service;
pub mod state;
