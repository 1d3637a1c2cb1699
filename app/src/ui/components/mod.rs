//! Reusable components.
pub mod header;
pub mod when;
