//! The vehicle registry (R6): who owns a vehicle named by plate or VIN.
//!
//! - [`registry`] — the [`registry::VehicleRegistry`] adapter trait, the
//!   default implementation over Kezek's own `vehicles` table, and a stub
//!   for an external HTTP registry.
//! - [`import`] — CSV import into the table (admin API and
//!   `kezek import-vehicles FILE`).
pub mod import;
pub mod registry;

pub use import::{ImportReport, import_csv, import_csv_alone};
pub use registry::{DbRegistry, HttpRegistry, VehicleRegistry, lookup_in};
