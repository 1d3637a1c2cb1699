//! One module per page.
pub mod book;
pub mod booking;
pub mod draw;
pub mod fairness;
pub mod home;
pub mod my;
pub mod not_found;
pub mod sign_in;
pub mod staff;
