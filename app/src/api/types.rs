//! The wire types live in `kezek-wire`; this path stays for the pages.
pub use kezek_wire::types::*;
