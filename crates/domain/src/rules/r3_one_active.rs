//! R3: a citizen holds at most one active (`Booked`) booking per center
//! kind and service group (per kind only when the group split is off).
//!
//! Because "active" is exactly `status = Booked`, the server can back this
//! rule with a partial unique index on (citizen, kind, group) where the
//! status is `Booked`.

use crate::catalog::{CenterKind, ServiceGroup};
use crate::ids::BookingId;
use crate::policy::Policy;
use crate::refusal::Refusal;
use crate::rules::BookingFacts;

/// `one_active_booking` naming the conflicting booking. `exclude` leaves
/// one booking out (the one being changed).
pub fn check(
    kind: CenterKind,
    group: ServiceGroup,
    existing: &[BookingFacts],
    policy: &Policy,
    exclude: Option<BookingId>,
) -> Result<(), Refusal> {
    let conflict = existing.iter().find(|b| {
        b.status.is_active()
            && b.center_kind == kind
            && (!policy.one_per_group_per_day || b.group == group)
            && Some(b.id) != exclude
    });
    match conflict {
        Some(b) => Err(Refusal::OneActiveBooking {
            booking: b.id,
            booking_code: b.code,
            start: b.start_local,
        }),
        None => Ok(()),
    }
}
