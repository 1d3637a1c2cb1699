//! The booking lifecycle, DOMAIN.md R8, as a state machine.
//!
//! ```text
//! Booked ─CheckIn→ CheckedIn ─Call→ Called ─Start→ InService ─Serve→ Served
//!    │                                 └─Recall→ Called (called again)
//!    ├─Cancel{by, reason}→ Cancelled
//!    └─MarkNoShow→ NoShow          (only after start + grace)
//! ```
//!
//! Every other (status, event) pair is refused with `illegal_transition`.
//! Check-in is accepted on the appointment's (center-local) day from the
//! center's opening until start + grace; earlier gives `too_early`, later
//! `too_late`. `MarkNoShow` before start + grace gives `too_early`.
//! Cut-offs for a citizen's own cancel or reschedule are rules R1/R2
//! (`crate::rules`), not part of the machine; staff and system may
//! cancel a `Booked` booking at any time.
//!
//! Terms used by the rules:
//! * **active** ([`BookingStatus::is_active`]) = `Booked`: holds its slot,
//!   not started, may be rescheduled or cancelled; R3 and R6 count these.
//! * **open** ([`BookingStatus::is_open`]) = not terminal (`Booked`,
//!   `CheckedIn`, `Called`, `InService`).
//! * **holds the day** ([`BookingStatus::holds_day`]) = anything but
//!   `Cancelled`; R5 counts these (a served or missed visit still used
//!   the day).

use chrono::{Duration, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::ids::WindowId;
use crate::refusal::Refusal;

/// Where a booking is in its life (serialized as the variant name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum BookingStatus {
    /// Holds a slot; the visit has not started.
    Booked,
    /// Arrived, ticket issued, waiting in the queue.
    CheckedIn,
    /// Called to a window.
    Called,
    /// At the window.
    InService,
    /// Done (terminal).
    Served,
    /// Cancelled by citizen, center or system (terminal).
    Cancelled,
    /// Not checked in by start + grace (terminal).
    NoShow,
}

impl BookingStatus {
    /// All statuses.
    pub const ALL: [BookingStatus; 7] = [
        Self::Booked,
        Self::CheckedIn,
        Self::Called,
        Self::InService,
        Self::Served,
        Self::Cancelled,
        Self::NoShow,
    ];

    /// Active = `Booked` (R3, R6, reschedule and cancel apply).
    pub fn is_active(self) -> bool {
        self == Self::Booked
    }

    /// Not terminal.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Self::Booked | Self::CheckedIn | Self::Called | Self::InService
        )
    }

    /// Counts for R5 (everything but `Cancelled`).
    pub fn holds_day(self) -> bool {
        self != Self::Cancelled
    }

    /// Terminal: no event applies.
    pub fn is_terminal(self) -> bool {
        !self.is_open()
    }

    /// The variant name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Booked => "Booked",
            Self::CheckedIn => "CheckedIn",
            Self::Called => "Called",
            Self::InService => "InService",
            Self::Served => "Served",
            Self::Cancelled => "Cancelled",
            Self::NoShow => "NoShow",
        }
    }
}

/// Who cancelled. Only citizen cancellations count for R4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CancelledBy {
    /// The citizen (counts for R4).
    Citizen,
    /// Center staff, e.g. a closure (does not count for R4).
    Center,
    /// The system, e.g. a new holiday (does not count for R4).
    System,
}

/// Something that happens to a booking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    /// The visitor arrived; a ticket is issued.
    CheckIn,
    /// An operator calls the visitor to a window.
    Call {
        /// The calling window.
        window: WindowId,
    },
    /// Call again (the visitor did not come yet).
    Recall,
    /// Service at the window starts.
    Start,
    /// Service done.
    Serve,
    /// Cancelled.
    Cancel {
        /// Who.
        by: CancelledBy,
        /// Free text for the history.
        reason: String,
    },
    /// Not checked in by start + grace.
    MarkNoShow,
}

/// The kind of an [`Event`] (plus `Reschedule`, which is not a transition
/// but is refused in the same way), for `illegal_transition`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventKind {
    /// [`Event::CheckIn`].
    CheckIn,
    /// [`Event::Call`].
    Call,
    /// [`Event::Recall`].
    Recall,
    /// [`Event::Start`].
    Start,
    /// [`Event::Serve`].
    Serve,
    /// [`Event::Cancel`].
    Cancel,
    /// [`Event::MarkNoShow`].
    MarkNoShow,
    /// R1 (only from `Booked`).
    Reschedule,
}

impl Event {
    /// The event's kind.
    pub fn kind(&self) -> EventKind {
        match self {
            Self::CheckIn => EventKind::CheckIn,
            Self::Call { .. } => EventKind::Call,
            Self::Recall => EventKind::Recall,
            Self::Start => EventKind::Start,
            Self::Serve => EventKind::Serve,
            Self::Cancel { .. } => EventKind::Cancel,
            Self::MarkNoShow => EventKind::MarkNoShow,
        }
    }
}

/// Timing facts for [`apply`]; all center-local.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// The current time.
    pub now: NaiveDateTime,
    /// The booking's start.
    pub start: NaiveDateTime,
    /// When the center opens on the start's date (first interval's open);
    /// `None` (closed day, unusual) means from midnight.
    pub day_opening: Option<NaiveTime>,
    /// `Policy::no_show_grace_min`.
    pub grace_min: u32,
}

impl Timing {
    fn grace_end(&self) -> NaiveDateTime {
        self.start + Duration::minutes(i64::from(self.grace_min))
    }
}

/// Applies `event` to `status`: the new status, or why not.
pub fn apply(status: BookingStatus, event: &Event, t: &Timing) -> Result<BookingStatus, Refusal> {
    use BookingStatus as S;
    let illegal = || Refusal::IllegalTransition {
        from: status,
        event: event.kind(),
    };
    match (status, event) {
        (S::Booked, Event::CheckIn) => {
            let opens = t
                .start
                .date()
                .and_time(t.day_opening.unwrap_or(NaiveTime::MIN));
            if t.now < opens {
                Err(Refusal::TooEarly { from: opens })
            } else if t.now > t.grace_end() {
                Err(Refusal::TooLate { minutes: 0 })
            } else {
                Ok(S::CheckedIn)
            }
        }
        (S::CheckedIn, Event::Call { .. }) => Ok(S::Called),
        (S::Called, Event::Recall) => Ok(S::Called),
        (S::Called, Event::Start) => Ok(S::InService),
        (S::InService, Event::Serve) => Ok(S::Served),
        (S::Booked, Event::Cancel { .. }) => Ok(S::Cancelled),
        (S::Booked, Event::MarkNoShow) => {
            if t.now > t.grace_end() {
                Ok(S::NoShow)
            } else {
                Err(Refusal::TooEarly {
                    from: t.grace_end() + Duration::minutes(1),
                })
            }
        }
        _ => Err(illegal()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use BookingStatus as S;
    use chrono::NaiveDate;

    fn at(h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 3)
            .and_then(|d| d.and_hms_opt(h, m, 0))
            .unwrap_or_default()
    }

    fn timing(now: NaiveDateTime) -> Timing {
        Timing {
            now,
            start: at(10, 0),
            day_opening: NaiveTime::from_hms_opt(9, 0, 0),
            grace_min: 15,
        }
    }

    fn events() -> Vec<Event> {
        vec![
            Event::CheckIn,
            Event::Call {
                window: WindowId::new(1),
            },
            Event::Recall,
            Event::Start,
            Event::Serve,
            Event::Cancel {
                by: CancelledBy::Citizen,
                reason: String::new(),
            },
            Event::MarkNoShow,
        ]
    }

    /// The allowed table; timing chosen so that time never refuses
    /// (check-in at 09:30, no-show at 10:20 — both need their own time, so
    /// each pair is checked at the moment that suits its event).
    fn allowed(s: S, e: EventKind) -> Option<S> {
        match (s, e) {
            (S::Booked, EventKind::CheckIn) => Some(S::CheckedIn),
            (S::CheckedIn, EventKind::Call) => Some(S::Called),
            (S::Called, EventKind::Recall) => Some(S::Called),
            (S::Called, EventKind::Start) => Some(S::InService),
            (S::InService, EventKind::Serve) => Some(S::Served),
            (S::Booked, EventKind::Cancel) => Some(S::Cancelled),
            (S::Booked, EventKind::MarkNoShow) => Some(S::NoShow),
            _ => None,
        }
    }

    #[test]
    fn exhaustive_status_event_table() {
        let mut allowed_count = 0;
        for s in S::ALL {
            for e in events() {
                let now = if e.kind() == EventKind::MarkNoShow {
                    at(10, 20)
                } else {
                    at(9, 30)
                };
                let got = apply(s, &e, &timing(now));
                match allowed(s, e.kind()) {
                    Some(next) => {
                        allowed_count += 1;
                        assert_eq!(got, Ok(next), "{s:?} + {e:?}");
                    }
                    None => assert_eq!(
                        got,
                        Err(Refusal::IllegalTransition {
                            from: s,
                            event: e.kind()
                        }),
                        "{s:?} + {e:?}"
                    ),
                }
            }
        }
        assert_eq!(allowed_count, 7);
    }

    #[test]
    fn terminal_states_refuse_everything() {
        for s in [S::Served, S::Cancelled, S::NoShow] {
            assert!(s.is_terminal());
            for e in events() {
                assert_eq!(
                    apply(s, &e, &timing(at(9, 30))).map_err(|r| r.code()),
                    Err("illegal_transition")
                );
            }
        }
    }

    #[test]
    fn check_in_window() {
        let ci = |now| apply(S::Booked, &Event::CheckIn, &timing(now));
        assert_eq!(ci(at(8, 59)), Err(Refusal::TooEarly { from: at(9, 0) }));
        assert_eq!(ci(at(9, 0)), Ok(S::CheckedIn));
        assert_eq!(ci(at(10, 15)), Ok(S::CheckedIn));
        assert_eq!(ci(at(10, 16)), Err(Refusal::TooLate { minutes: 0 }));
        // The day before: too early even after opening time.
        let yesterday = at(9, 30) - Duration::days(1);
        assert!(matches!(ci(yesterday), Err(Refusal::TooEarly { .. })));
        // The day after: too late.
        let tomorrow = at(9, 30) + Duration::days(1);
        assert_eq!(ci(tomorrow), Err(Refusal::TooLate { minutes: 0 }));
    }

    #[test]
    fn no_show_only_after_grace() {
        let ns = |now| apply(S::Booked, &Event::MarkNoShow, &timing(now));
        assert!(matches!(ns(at(10, 15)), Err(Refusal::TooEarly { .. })));
        assert_eq!(ns(at(10, 16)), Ok(S::NoShow));
        assert_eq!(
            apply(S::CheckedIn, &Event::MarkNoShow, &timing(at(11, 0))),
            Err(Refusal::IllegalTransition {
                from: S::CheckedIn,
                event: EventKind::MarkNoShow
            })
        );
    }

    #[test]
    fn status_predicates() {
        assert_eq!(S::ALL.iter().filter(|s| s.is_active()).count(), 1);
        assert_eq!(S::ALL.iter().filter(|s| s.is_open()).count(), 4);
        assert!(!S::Cancelled.holds_day() && S::NoShow.holds_day() && S::Served.holds_day());
    }
}
