//! The contract between Kezek's processes: every type that crosses a
//! process boundary (server-function arguments and results, JSON API bodies)
//! and [`error::ErrorCode`], the one list of error codes with the one table
//! of their HTTP statuses.
//!
//! Pure and wasm-safe: it depends on `kezek-domain` and serde only; the
//! `openapi` feature (server only) adds utoipa schemas.
//! Ids are strings and integers fixed-width (wasm32 is 32-bit).

pub mod admin;
pub mod api;
pub mod auth;
pub mod draws;
pub mod error;
pub mod fairness;
pub mod staff;
pub mod types;

pub use error::{ErrorBody, ErrorCode};
