//! Sign-in: citizen one-time codes and sessions.
pub use kezek_domain::phone;
pub mod request_otp;
pub mod session;
pub mod verify_otp;
