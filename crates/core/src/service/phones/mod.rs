//! The mobile-citizens registry (DOMAIN.md R11): which phones belong to an
//! IIN. A sign-in code goes only to a phone the registry lists.
//!
//! - [`registry`] — the [`CitizenRegistry`] adapter trait held by `Core`;
//!   [`DbCitizenRegistry`] over Kezek's own `citizen_phones` table (the
//!   default) and [`HttpCitizenRegistry`] for a registry's HTTP API
//!   (docs/REGISTRIES.md gives the JSON contract).
//! - [`import`] — CSV import into the table (`iin,phone`): the admin API,
//!   the administrator's page and `kezek import-phones FILE`.
pub mod import;
pub mod registry;

pub use import::{PhonesImport, import_csv, import_csv_alone};
pub use registry::{
    CitizenRegistry, DbCitizenRegistry, HttpCitizenRegistry, PhoneCheck, phones_of,
};
