//! Catalog value types: center kind, service group and the facts about a
//! service that the rules need.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ids::ServiceCode;

/// The kind of a center (serialized `Psc` / `AutoPsc`). R3 and R4 count
/// each kind separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CenterKind {
    /// Public Service Center (ХҚО / ЦОН).
    Psc,
    /// Vehicle service center (автоХҚО / спецЦОН).
    AutoPsc,
}

/// The group of a service (serialized `Documentation` / `Other`). R3, R4
/// and R5 count per group when `Policy::one_per_group_per_day` is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ServiceGroup {
    /// ID card, passport, foreigners' documents.
    Documentation,
    /// Everything else.
    Other,
}

/// An unknown center kind or service group name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown value {0:?}")]
pub struct UnknownName(pub String);

impl CenterKind {
    /// Both kinds.
    pub const ALL: [CenterKind; 2] = [Self::Psc, Self::AutoPsc];
    /// `Psc` or `AutoPsc`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Psc => "Psc",
            Self::AutoPsc => "AutoPsc",
        }
    }
}

impl ServiceGroup {
    /// Both groups.
    pub const ALL: [ServiceGroup; 2] = [Self::Documentation, Self::Other];
    /// `Documentation` or `Other`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Documentation => "Documentation",
            Self::Other => "Other",
        }
    }
}

impl FromStr for CenterKind {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownName(s.to_owned()))
    }
}

impl FromStr for ServiceGroup {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownName(s.to_owned()))
    }
}

impl fmt::Display for CenterKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for ServiceGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the rules need to know about a catalog service.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ServiceInfo {
    /// Catalog code.
    pub code: ServiceCode,
    /// The kind of center that offers it.
    pub kind: CenterKind,
    /// Documentation or other.
    pub group: ServiceGroup,
    /// The portal offers it without a visit: not bookable (R7).
    pub online_available: bool,
    /// The citizen must name a vehicle; only its owner may book (R6).
    pub requires_vehicle: bool,
    /// Minutes at the window; longer than a slot → consecutive slots.
    pub duration_min: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for k in CenterKind::ALL {
            assert_eq!(k.as_str().parse::<CenterKind>(), Ok(k));
        }
        for g in ServiceGroup::ALL {
            assert_eq!(g.to_string().parse::<ServiceGroup>(), Ok(g));
        }
        assert!("psc".parse::<CenterKind>().is_err());
    }
}
