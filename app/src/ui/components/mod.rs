//! Reusable components.
pub mod fairness;
pub mod header;
pub mod when;
