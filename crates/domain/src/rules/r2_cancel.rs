//! R2: cancelling frees the slot at once. Only a `Booked` booking can be
//! cancelled; a citizen until the cut-off before the start (default: until
//! the slot starts); center staff and the system at any time (closures,
//! new holidays).

use chrono::{DateTime, Duration, Utc};

use crate::lifecycle::{CancelledBy, EventKind};
use crate::policy::Policy;
use crate::refusal::Refusal;
use crate::rules::BookingFacts;

/// `illegal_transition` unless `Booked`; `too_late` for a citizen at or
/// after start − cut-off.
pub fn check(
    booking: &BookingFacts,
    by: CancelledBy,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    if !booking.status.is_active() {
        return Err(Refusal::IllegalTransition {
            from: booking.status,
            event: EventKind::Cancel,
        });
    }
    if by == CancelledBy::Citizen {
        let cutoff = booking.start_utc - Duration::minutes(i64::from(policy.cancel_cutoff_min));
        if now >= cutoff {
            return Err(Refusal::TooLate {
                minutes: policy.cancel_cutoff_min,
            });
        }
    }
    Ok(())
}
