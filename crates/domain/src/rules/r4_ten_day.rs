//! R4: at most one booking **created** per center kind and service group
//! (per kind only when the group split is off) within any rolling
//! `ten_day_window_days`, measured from creation time.
//!
//! Counted: every booking created less than the window ago, whatever its
//! status, including those the citizen cancelled (cancel-and-rebook is what
//! rescheduling is for). Not counted: bookings cancelled by the center or
//! the system. `Psc` and `AutoPsc` count separately. Rescheduling keeps
//! `created_at`, so it never counts as creating.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use crate::calendar::utc_to_local;
use crate::catalog::{CenterKind, ServiceGroup};
use crate::lifecycle::{BookingStatus, CancelledBy};
use crate::policy::Policy;
use crate::refusal::Refusal;
use crate::rules::BookingFacts;

/// Does this booking count for R4?
pub fn counts(b: &BookingFacts) -> bool {
    !(b.status == BookingStatus::Cancelled
        && matches!(
            b.cancelled_by,
            Some(CancelledBy::Center | CancelledBy::System)
        ))
}

/// `ten_day_rule` with the latest counting creation (local in `tz`) and
/// the moment a new booking becomes possible.
pub fn check(
    kind: CenterKind,
    group: ServiceGroup,
    existing: &[BookingFacts],
    policy: &Policy,
    tz: Tz,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    let window = Duration::days(i64::from(policy.ten_day_window_days));
    let latest = existing
        .iter()
        .filter(|b| {
            b.center_kind == kind
                && (!policy.one_per_group_per_day || b.group == group)
                && counts(b)
                && now < b.created_at + window
        })
        .map(|b| b.created_at)
        .max();
    match latest {
        Some(created) => Err(Refusal::TenDayRule {
            window_days: policy.ten_day_window_days,
            created: utc_to_local(tz, created),
            next_possible: utc_to_local(tz, created + window),
        }),
        None => Ok(()),
    }
}
