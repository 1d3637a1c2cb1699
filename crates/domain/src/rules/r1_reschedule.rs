//! R1: a citizen moves an active booking to another slot of the same
//! service at a center of the same kind, until the cut-off before the old
//! start (default: until it starts), at most `max_reschedules` times. It
//! stays the same booking (id, code, creation time), so R3 and R4 do not
//! apply to it.

use chrono::{DateTime, Duration, Utc};

use crate::catalog::CenterKind;
use crate::ids::ServiceCode;
use crate::lifecycle::EventKind;
use crate::policy::Policy;
use crate::refusal::Refusal;
use crate::rules::BookingFacts;

/// `illegal_transition` unless `Booked`; `different_service`;
/// `wrong_center_kind`; `too_late` at or after start − cut-off;
/// `reschedule_limit`.
pub fn check(
    booking: &BookingFacts,
    new_service: &ServiceCode,
    new_kind: CenterKind,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    if !booking.status.is_active() {
        return Err(Refusal::IllegalTransition {
            from: booking.status,
            event: EventKind::Reschedule,
        });
    }
    if *new_service != booking.service {
        return Err(Refusal::DifferentService);
    }
    if new_kind != booking.center_kind {
        return Err(Refusal::WrongCenterKind {
            expected: booking.center_kind,
        });
    }
    let cutoff = booking.start_utc - Duration::minutes(i64::from(policy.reschedule_cutoff_min));
    if now >= cutoff {
        return Err(Refusal::TooLate {
            minutes: policy.reschedule_cutoff_min,
        });
    }
    if booking.reschedule_count >= policy.max_reschedules {
        return Err(Refusal::RescheduleLimit {
            max: policy.max_reschedules,
        });
    }
    Ok(())
}
