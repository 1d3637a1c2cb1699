//! Policy values an administrator can change, in one place, with the
//! DOMAIN.md defaults. Rules take a `&Policy` argument; nothing reads a
//! global.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// The tunable numbers of the rules. Missing fields deserialize to the
/// defaults, so stored policies survive new fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Policy {
    /// R4: length of the rolling window, from creation time (default 10).
    pub ten_day_window_days: u32,
    /// R5: bookings per IIN per local date, across both kinds (default 2).
    pub per_day_limit: u32,
    /// The group split (default on). On: R3 and R4 count per center kind
    /// **and** service group, and R5 allows one booking per group per day.
    /// Off: R3 and R4 count per center kind only; R5 applies only
    /// `per_day_limit`.
    pub one_per_group_per_day: bool,
    /// R1: reschedules per booking (default 3).
    pub max_reschedules: u32,
    /// R1: minutes before the start after which rescheduling is refused
    /// (default 0: until the slot starts).
    pub reschedule_cutoff_min: u32,
    /// R2: the same for a citizen's cancellation (default 0).
    pub cancel_cutoff_min: u32,
    /// Minimum notice for a new start, in minutes (default 60).
    pub min_notice_min: u32,
    /// Last bookable date = today (center-local) + this (default 30).
    pub horizon_days: u32,
    /// R8: a visitor not checked in by start + grace is a no-show (default 15).
    pub no_show_grace_min: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            ten_day_window_days: 10,
            per_day_limit: 2,
            one_per_group_per_day: true,
            max_reschedules: 3,
            reschedule_cutoff_min: 0,
            cancel_cutoff_min: 0,
            min_notice_min: 60,
            horizon_days: 30,
            no_show_grace_min: 15,
        }
    }
}

/// Which starts may be offered now: `start >= earliest` and
/// `start.date() <= last_date`, both center-local.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingBounds {
    /// now + minimum notice, center-local.
    pub earliest: NaiveDateTime,
    /// today + horizon, center-local.
    pub last_date: NaiveDate,
    /// `Policy::min_notice_min`, for the `too_late` refusal.
    pub min_notice_min: u32,
}

impl Policy {
    /// The bounds for a new start (or the new start of a reschedule), given
    /// the center-local `now`.
    pub fn bounds(&self, now_local: NaiveDateTime) -> BookingBounds {
        BookingBounds {
            earliest: now_local + Duration::minutes(i64::from(self.min_notice_min)),
            last_date: now_local.date() + Duration::days(i64::from(self.horizon_days)),
            min_notice_min: self.min_notice_min,
        }
    }
}

impl BookingBounds {
    /// Is `start` inside the bounds?
    pub fn admits(&self, start: NaiveDateTime) -> bool {
        start >= self.earliest && start.date() <= self.last_date
    }

    /// `too_late` / `outside_horizon` when `start` is outside the bounds.
    pub fn check(&self, start: NaiveDateTime) -> Result<(), crate::refusal::Refusal> {
        use crate::refusal::Refusal;
        if start < self.earliest {
            Err(Refusal::TooLate {
                minutes: self.min_notice_min,
            })
        } else if start.date() > self.last_date {
            Err(Refusal::OutsideHorizon {
                last_date: self.last_date,
            })
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_domain() {
        let p = Policy::default();
        assert_eq!(
            (p.ten_day_window_days, p.per_day_limit, p.max_reschedules),
            (10, 2, 3)
        );
        assert!(p.one_per_group_per_day);
        assert_eq!(
            (p.min_notice_min, p.horizon_days, p.no_show_grace_min),
            (60, 30, 15)
        );
        assert_eq!((p.reschedule_cutoff_min, p.cancel_cutoff_min), (0, 0));
    }
}
