//! When a new start (or the new start of a reschedule) may be: not before
//! now + minimum notice (`too_late`), not after today + horizon in the
//! center's zone (`outside_horizon`). A local time that does not exist in
//! the zone (skipped by a clock change) is `outside_hours`.
//!
//! Comparisons use center-local wall-clock time; Kazakhstan has no daylight
//! saving time, so this equals comparing instants.

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;

use crate::calendar::{local_to_utc, utc_to_local};
use crate::policy::Policy;
use crate::refusal::Refusal;

/// Checks `start_local` against minimum notice and horizon.
pub fn check_start(
    tz: Tz,
    start_local: NaiveDateTime,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    if local_to_utc(tz, start_local).is_none() {
        return Err(Refusal::OutsideHours);
    }
    policy.bounds(utc_to_local(tz, now)).check(start_local)
}
