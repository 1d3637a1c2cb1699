//! R5: on one (center-local) date an IIN holds at most `per_day_limit`
//! bookings across both center kinds, and with the group split at most one
//! per service group (a documentation service plus one other).
//!
//! Counted: the citizen's bookings on that date in any status but
//! `Cancelled` (a served or missed visit still used the day). A reschedule
//! leaves the booking being moved out (`exclude`).

use chrono::NaiveDate;

use crate::catalog::ServiceGroup;
use crate::ids::BookingId;
use crate::policy::Policy;
use crate::refusal::Refusal;
use crate::rules::BookingFacts;

/// `same_group_same_day` first (the more specific), then `two_per_day`.
pub fn check(
    date: NaiveDate,
    group: ServiceGroup,
    existing: &[BookingFacts],
    policy: &Policy,
    exclude: Option<BookingId>,
) -> Result<(), Refusal> {
    let mut count = 0u32;
    let mut same_group = false;
    for b in existing {
        if b.status.holds_day() && b.start_local.date() == date && Some(b.id) != exclude {
            count += 1;
            same_group |= b.group == group;
        }
    }
    if policy.one_per_group_per_day && same_group {
        return Err(Refusal::SameGroupSameDay { date });
    }
    if count >= policy.per_day_limit {
        return Err(Refusal::TwoPerDay {
            date,
            limit: policy.per_day_limit,
        });
    }
    Ok(())
}
