//! Sign-in: citizen one-time codes and sessions.
pub use kezek_domain::phone;
pub mod account;
pub mod limits;
pub mod request_otp;
pub mod session;
pub mod verify_otp;
