//! Sign-in: citizen one-time codes and sessions.
pub use crate::domain::phone;
pub mod request_otp;
pub mod session;
pub mod verify_otp;
