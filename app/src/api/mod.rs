//! Server functions and the wire types they exchange with the browser.
//!
//! Thin by design: parse → authorize → call a use case in `server::service`
//! → map the error to [`error::AppError`]. The JSON API of the server crate
//! calls the same use cases.
pub mod admin;
pub mod auth;
pub mod bookings;
pub mod catalog;
pub mod error;
pub mod staff;
pub mod types;

#[cfg(feature = "ssr")]
pub mod ctx;
