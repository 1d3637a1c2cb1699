//! Staff: sign-in with username and password, roles, and the authorization
//! check every staff action makes.
//!
//! Roles (`staff.role`): `operator` (one window of one center),
//! `center_admin` (one center), `administrator` (everything). Each API call
//! and server function checks the role with [`roles::require_role`]; the UI
//! hiding a button is never the check.
pub mod login;
mod me;
pub mod roles;

pub use login::{StaffSignedIn, staff_login};
pub use me::me;
pub use roles::{Need, StaffActor, StaffRole, allows, require_role, require_staff};
