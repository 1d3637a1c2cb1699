//! Staff roles and the one authorization helper staff actions call.
//!
//! ```text
//! Need::Administrator            administrator
//! Need::CenterAdmin(c)           administrator | center_admin of c
//! Need::Operator(c)              administrator | center_admin of c | operator of c
//! Need::Window { center, window } administrator | center_admin of center
//!                                 | operator of that window
//! ```
//! A citizen is always `Forbidden` (they are signed in, just not allowed).
use kezek_domain::ids::{CenterId, WindowId};

use crate::error::ServiceError;
use crate::service::auth::session::Principal;

/// A staff account's role (`staff.role` column).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StaffRole {
    /// Works one window of one center.
    Operator,
    /// Manages one center.
    CenterAdmin,
    /// Manages everything.
    Administrator,
}

impl StaffRole {
    /// `operator`, `center_admin` or `administrator` (stored and on the wire).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Operator => "operator",
            Self::CenterAdmin => "center_admin",
            Self::Administrator => "administrator",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "operator" => Some(Self::Operator),
            "center_admin" => Some(Self::CenterAdmin),
            "administrator" => Some(Self::Administrator),
            _ => None,
        }
    }
}

/// What an action needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// The administrator only.
    Administrator,
    /// An admin of this center (or the administrator).
    CenterAdmin(CenterId),
    /// Any staff of this center: operator, center admin (or the
    /// administrator).
    Operator(CenterId),
    /// The operator of this window, an admin of its center (or the
    /// administrator).
    Window {
        center_id: CenterId,
        window_id: WindowId,
    },
}

/// The staff member an authorized action runs as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StaffActor {
    pub id: i64,
    pub role: StaffRole,
    pub center_id: Option<CenterId>,
    pub window_id: Option<WindowId>,
}

/// The staff member behind `who`, if allowed to do what `need` says.
///
/// Citizens and staff without the right role or center get `Forbidden`.
pub fn require_role(who: &Principal, need: Need) -> Result<StaffActor, ServiceError> {
    let Principal::Staff {
        id,
        role,
        center_id,
        window_id,
    } = who
    else {
        return Err(ServiceError::Forbidden);
    };
    let actor = StaffActor {
        id: *id,
        role: *role,
        center_id: *center_id,
        window_id: *window_id,
    };
    if allows(&actor, need) {
        Ok(actor)
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// Any signed-in staff member (no role check): for reading one's own
/// account, or when the center is known only after a lookup — then call
/// [`allows`] with the actor.
pub fn require_staff(who: &Principal) -> Result<StaffActor, ServiceError> {
    match who {
        Principal::Staff {
            id,
            role,
            center_id,
            window_id,
        } => Ok(StaffActor {
            id: *id,
            role: *role,
            center_id: *center_id,
            window_id: *window_id,
        }),
        Principal::Citizen { .. } => Err(ServiceError::Forbidden),
    }
}

/// Does `actor` satisfy `need`?
pub fn allows(actor: &StaffActor, need: Need) -> bool {
    let at = |c: CenterId| actor.center_id == Some(c);
    match (actor.role, need) {
        (StaffRole::Administrator, _) => true,
        (_, Need::Administrator) => false,
        (StaffRole::CenterAdmin, Need::CenterAdmin(c) | Need::Operator(c)) => at(c),
        (StaffRole::CenterAdmin, Need::Window { center_id, .. }) => at(center_id),
        (StaffRole::Operator, Need::CenterAdmin(_)) => false,
        (StaffRole::Operator, Need::Operator(c)) => at(c),
        (
            StaffRole::Operator,
            Need::Window {
                center_id,
                window_id,
            },
        ) => at(center_id) && actor.window_id == Some(window_id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kezek_domain::ids::CitizenId;

    fn staff(role: StaffRole, center: Option<i64>, window: Option<i64>) -> Principal {
        Principal::Staff {
            id: 1,
            role,
            center_id: center.map(CenterId::new),
            window_id: window.map(WindowId::new),
        }
    }

    #[test]
    fn roles_round_trip() {
        for r in [
            StaffRole::Operator,
            StaffRole::CenterAdmin,
            StaffRole::Administrator,
        ] {
            assert_eq!(StaffRole::parse(r.as_str()), Some(r));
        }
        assert_eq!(StaffRole::parse("root"), None);
    }

    #[test]
    fn who_may_do_what() {
        let admin = staff(StaffRole::Administrator, None, None);
        let cadmin = staff(StaffRole::CenterAdmin, Some(7), None);
        let op = staff(StaffRole::Operator, Some(7), Some(70));
        let citizen = Principal::Citizen {
            id: CitizenId::new(1),
            iin: "710313311868".into(),
        };
        let w = |c, w| Need::Window {
            center_id: CenterId::new(c),
            window_id: WindowId::new(w),
        };
        let c = CenterId::new;
        let table: &[(&Principal, Need, bool)] = &[
            (&admin, Need::Administrator, true),
            (&admin, Need::CenterAdmin(c(9)), true),
            (&admin, w(9, 90), true),
            (&cadmin, Need::Administrator, false),
            (&cadmin, Need::CenterAdmin(c(7)), true),
            (&cadmin, Need::CenterAdmin(c(8)), false),
            (&cadmin, Need::Operator(c(7)), true),
            (&cadmin, w(7, 71), true),
            (&cadmin, w(8, 80), false),
            (&op, Need::Administrator, false),
            (&op, Need::CenterAdmin(c(7)), false),
            (&op, Need::Operator(c(7)), true),
            (&op, Need::Operator(c(8)), false),
            (&op, w(7, 70), true),
            (&op, w(7, 71), false),
            (&citizen, Need::Operator(c(7)), false),
        ];
        for (who, need, ok) in table {
            let got = require_role(who, *need);
            assert_eq!(got.is_ok(), *ok, "{who:?} {need:?}");
            if !ok {
                assert!(matches!(got, Err(ServiceError::Forbidden)));
            }
        }
    }
}
