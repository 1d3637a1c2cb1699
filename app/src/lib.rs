//! The Kezek application: pages, server functions and the pure booking rules
//! shared by the browser and the server.
//!
//! - [`domain`] — pure rules (no IO, no clock), compiled for wasm32 and the server.
//! - [`i18n`] — kk/ru/en messages keyed by refusal code, date formatting.
//! - [`api`] — server functions and wire types (thin: parse → authorize → use case).
//! - [`ui`] — pages and components.
//! - `server` — (`ssr` only) kezek-core re-exported: state, database, use cases.
#![recursion_limit = "256"]

pub mod api;
pub mod ui;

/// The use cases live in their own crate (`crates/core`, server only).
#[cfg(feature = "ssr")]
pub use kezek_core as server;

/// The pure rules live in their own crate (`crates/domain`); the old path stays.
pub use kezek_domain as domain;
/// Every text a person reads (`crates/i18n`).
pub use kezek_i18n as i18n;
pub use ui::{App, shell};
