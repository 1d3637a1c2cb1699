//! Property tests: random sequences of book / reschedule / cancel requests
//! (and time passing, with no-shows marked) from a few citizens at two
//! centers are decided by the rule functions and `capacity::choose_window`
//! and applied to an in-memory model when allowed. After every step the
//! model must satisfy:
//!
//! * R3: at most one `Booked` booking per citizen, center kind and group;
//! * R4: creations that count (all but center/system-cancelled) of one
//!   citizen, kind and group are at least 10 days apart;
//! * R5: per citizen and date at most 2 day-holding bookings, one per group;
//! * capacity: no (window, slot) pair held twice; every held run lies on
//!   the grid inside the center's and the window's hours, outside breaks;
//!   the admin cap is never exceeded.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

use crate::calendar::{
    Interval, NationalCalendar, WeeklyHours, local_to_utc, opening_intervals, utc_to_local,
    window_intervals,
};
use crate::capacity::{DaySchedule, WindowDay, choose_window};
use crate::catalog::{CenterKind, ServiceGroup, ServiceInfo};
use crate::ids::{BookingCode, BookingId, ServiceCode, WindowId};
use crate::iin::Iin;
use crate::lifecycle::{BookingStatus, CancelledBy, Event, Timing, apply};
use crate::policy::Policy;
use crate::rules::{
    BookingFacts, NewBookingRequest, RescheduleRequest, check_cancel, check_new_booking,
    check_reschedule,
};

const TZ: Tz = chrono_tz::Asia::Almaty;
const IINS: [&str; 6] = [
    "710313311868",
    "980212383137",
    "570103468518",
    "380403409682",
    "020208594550",
    "040702507638",
];

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

fn code(s: &str) -> ServiceCode {
    ServiceCode::parse(s).unwrap_or_else(|_| panic!("{s}"))
}

fn services() -> Vec<ServiceInfo> {
    use CenterKind::*;
    use ServiceGroup::*;
    [
        ("ID_CARD", Psc, Documentation, 15),
        ("PASSPORT", Psc, Documentation, 15),
        ("BIRTH_REG", Psc, Other, 15),
        ("REAL_ESTATE_REG", Psc, Other, 30),
        ("VEH_REG", AutoPsc, Other, 30),
        ("DL_ISSUE", AutoPsc, Other, 15),
    ]
    .into_iter()
    .map(|(c, kind, group, duration_min)| ServiceInfo {
        code: code(c),
        kind,
        group,
        online_available: false,
        requires_vehicle: false,
        duration_min,
    })
    .collect()
}

struct Window {
    id: WindowId,
    services: Vec<ServiceCode>,
    weekly: Option<WeeklyHours>,
}

struct Center {
    kind: CenterKind,
    weekly: WeeklyHours,
    breaks: Vec<Interval>,
    windows: Vec<Window>,
    cap: Option<u32>,
}

fn centers() -> Vec<Center> {
    let w = |id, s: &[&str], weekly| Window {
        id: WindowId::new(id),
        services: s.iter().map(|c| code(c)).collect(),
        weekly,
    };
    let mut short = WeeklyHours::closed();
    for d in [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ] {
        let _ = short.set(d, vec![(hm(10, 0), hm(16, 0))]);
    }
    vec![
        Center {
            kind: CenterKind::Psc,
            weekly: WeeklyHours::typical_psc(),
            breaks: vec![(hm(13, 0), hm(14, 0))],
            windows: vec![
                w(1, &["ID_CARD", "PASSPORT"], None),
                w(
                    2,
                    &["ID_CARD", "PASSPORT", "BIRTH_REG", "REAL_ESTATE_REG"],
                    None,
                ),
                w(3, &["BIRTH_REG", "REAL_ESTATE_REG"], Some(short)),
            ],
            cap: Some(2),
        },
        Center {
            kind: CenterKind::AutoPsc,
            weekly: WeeklyHours::typical_duty(),
            breaks: vec![],
            windows: vec![
                w(11, &["VEH_REG", "DL_ISSUE"], None),
                w(12, &["DL_ISSUE"], None),
            ],
            cap: None,
        },
    ]
}

#[derive(Debug, Clone)]
struct Booking {
    facts: BookingFacts,
    citizen: usize,
    center: usize,
    window: WindowId,
    slots: Vec<NaiveDateTime>,
}

struct Model {
    centers: Vec<Center>,
    services: Vec<ServiceInfo>,
    national: NationalCalendar,
    policy: Policy,
    now: DateTime<Utc>,
    bookings: Vec<Booking>,
}

#[derive(Debug, Clone)]
enum Op {
    /// `day` counts from today (center-local), `slot` quarter-hours from
    /// 08:00 (some fall outside the hours on purpose).
    Book {
        citizen: usize,
        service: usize,
        day: i64,
        slot: i64,
    },
    /// Moves the citizen's `nth` booking (any status).
    Reschedule {
        citizen: usize,
        nth: usize,
        day: i64,
        slot: i64,
    },
    Cancel {
        citizen: usize,
        nth: usize,
        by_center: bool,
    },
    Advance {
        hours: i64,
    },
}

/// Quarter-hours from 08:00: mostly a crowded morning, so capacity and the
/// cap are contended, sometimes anywhere in the day.
fn slot() -> impl Strategy<Value = i64> {
    prop_oneof![3 => 4..10i64, 1 => 2..42i64]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..6usize, 0..6usize, 0..4i64, slot())
            .prop_map(|(citizen, service, day, slot)| Op::Book { citizen, service, day, slot }),
        3 => (0..6usize, 0..3usize, 0..4i64, slot())
            .prop_map(|(citizen, nth, day, slot)| Op::Reschedule { citizen, nth, day, slot }),
        2 => (0..6usize, 0..3usize, any::<bool>())
            .prop_map(|(citizen, nth, by_center)| Op::Cancel { citizen, nth, by_center }),
        1 => (1..72i64).prop_map(|hours| Op::Advance { hours }),
    ]
}

fn iin(c: usize) -> Iin {
    Iin::parse(IINS[c]).unwrap_or_else(|e| panic!("{e}"))
}

impl Model {
    fn new() -> Self {
        Self {
            centers: centers(),
            services: services(),
            national: NationalCalendar::generate(2026, &[]),
            policy: Policy::default(),
            // Monday 2 March 2026, 08:00 in Almaty.
            now: local_to_utc(TZ, local_day(0).and_time(hm(8, 0))).unwrap_or_default(),
            bookings: Vec::new(),
        }
    }

    fn now_local(&self) -> NaiveDateTime {
        utc_to_local(TZ, self.now)
    }

    fn open(&self, c: usize, date: NaiveDate) -> Vec<Interval> {
        opening_intervals(&self.centers[c].weekly, &[], &self.national, date)
    }

    fn window_open(&self, c: usize, w: &Window, date: NaiveDate) -> Vec<Interval> {
        window_intervals(
            &self.open(c, date),
            w.weekly.as_ref(),
            &[],
            &self.national,
            date,
        )
    }

    fn day(&self, c: usize, date: NaiveDate, exclude: Option<BookingId>) -> DaySchedule {
        let center = &self.centers[c];
        DaySchedule {
            date,
            slot_min: 15,
            open: self.open(c, date),
            breaks: center.breaks.clone(),
            windows: center
                .windows
                .iter()
                .map(|w| WindowDay {
                    id: w.id,
                    services: w.services.clone(),
                    intervals: Some(self.window_open(c, w, date)),
                })
                .collect(),
            held: self
                .bookings
                .iter()
                .filter(|b| b.center == c && b.facts.status != BookingStatus::Cancelled)
                .filter(|b| Some(b.facts.id) != exclude)
                .flat_map(|b| b.slots.iter().map(move |&s| (b.window, s)))
                .collect(),
            cap: center.cap,
        }
    }

    fn facts_of(&self, citizen: usize) -> Vec<BookingFacts> {
        self.bookings
            .iter()
            .filter(|b| b.citizen == citizen)
            .map(|b| b.facts.clone())
            .collect()
    }

    fn step(&mut self, op: &Op) {
        match *op {
            Op::Book {
                citizen,
                service,
                day,
                slot,
            } => {
                let s = self.services[service].clone();
                let c = self
                    .centers
                    .iter()
                    .position(|c| c.kind == s.kind)
                    .unwrap_or(0);
                let start = self.start(day, slot);
                let req = NewBookingRequest {
                    iin: iin(citizen),
                    service: s.clone(),
                    center_kind: s.kind,
                    center_tz: TZ,
                    start_local: start,
                    vehicle: None,
                };
                let facts = self.facts_of(citizen);
                if check_new_booking(&req, &facts, None, &self.policy, self.now).is_err() {
                    return;
                }
                let bounds = self.policy.bounds(self.now_local());
                let Ok(a) = choose_window(
                    &self.day(c, start.date(), None),
                    &s.code,
                    s.duration_min,
                    start,
                    &bounds,
                ) else {
                    return;
                };
                let id = self.bookings.len() as i64 + 1;
                self.bookings.push(Booking {
                    facts: BookingFacts {
                        id: BookingId::new(id),
                        code: BookingCode::from_random_bytes(&[id as u8; 8]),
                        center_kind: s.kind,
                        group: s.group,
                        service: s.code,
                        status: BookingStatus::Booked,
                        start_local: start,
                        start_utc: local_to_utc(TZ, start).unwrap_or_default(),
                        created_at: self.now,
                        cancelled_by: None,
                        reschedule_count: 0,
                        vehicle: None,
                    },
                    citizen,
                    center: c,
                    window: a.window,
                    slots: a.slots,
                });
            }
            Op::Reschedule {
                citizen,
                nth,
                day,
                slot,
            } => {
                let Some(i) = self.nth_of(citizen, nth) else {
                    return;
                };
                let b = self.bookings[i].clone();
                let start = self.start(day, slot);
                let req = RescheduleRequest {
                    booking: b.facts.clone(),
                    service: b.facts.service.clone(),
                    center_kind: b.facts.center_kind,
                    center_tz: TZ,
                    new_start_local: start,
                };
                let facts = self.facts_of(citizen);
                if check_reschedule(&req, &facts, &self.policy, self.now).is_err() {
                    return;
                }
                let s = self
                    .services
                    .iter()
                    .find(|s| s.code == b.facts.service)
                    .cloned();
                let Some(s) = s else { return };
                let bounds = self.policy.bounds(self.now_local());
                let day = self.day(b.center, start.date(), Some(b.facts.id));
                let Ok(a) = choose_window(&day, &s.code, s.duration_min, start, &bounds) else {
                    return;
                };
                let nb = &mut self.bookings[i];
                nb.facts.start_local = start;
                nb.facts.start_utc = local_to_utc(TZ, start).unwrap_or_default();
                nb.facts.reschedule_count += 1;
                nb.window = a.window;
                nb.slots = a.slots;
            }
            Op::Cancel {
                citizen,
                nth,
                by_center,
            } => {
                let Some(i) = self.nth_of(citizen, nth) else {
                    return;
                };
                let by = if by_center {
                    CancelledBy::Center
                } else {
                    CancelledBy::Citizen
                };
                if check_cancel(&self.bookings[i].facts, by, &self.policy, self.now).is_ok() {
                    let f = &mut self.bookings[i].facts;
                    f.status = BookingStatus::Cancelled;
                    f.cancelled_by = Some(by);
                }
            }
            Op::Advance { hours } => {
                self.now += Duration::hours(hours);
                let now = self.now_local();
                let grace = self.policy.no_show_grace_min;
                for b in &mut self.bookings {
                    let t = Timing {
                        now,
                        start: b.facts.start_local,
                        day_opening: None,
                        grace_min: grace,
                    };
                    if b.facts.status == BookingStatus::Booked
                        && let Ok(s) = apply(b.facts.status, &Event::MarkNoShow, &t)
                    {
                        b.facts.status = s;
                    }
                }
            }
        }
    }

    fn start(&self, day: i64, slot: i64) -> NaiveDateTime {
        let date = self.now_local().date() + Duration::days(day);
        date.and_time(hm(8, 0)) + Duration::minutes(15 * slot)
    }

    fn nth_of(&self, citizen: usize, nth: usize) -> Option<usize> {
        self.bookings
            .iter()
            .enumerate()
            .filter(|(_, b)| b.citizen == citizen)
            .map(|(i, _)| i)
            .nth(nth)
    }

    fn check_invariants(&self) -> Result<(), TestCaseError> {
        // R3.
        let mut active: BTreeMap<(usize, CenterKind, ServiceGroup), u32> = BTreeMap::new();
        for b in self.bookings.iter().filter(|b| b.facts.status.is_active()) {
            *active
                .entry((b.citizen, b.facts.center_kind, b.facts.group))
                .or_default() += 1;
        }
        prop_assert!(active.values().all(|&n| n <= 1), "R3 broken: {active:?}");
        // R4.
        let mut created: BTreeMap<(usize, CenterKind, ServiceGroup), Vec<DateTime<Utc>>> =
            BTreeMap::new();
        for b in &self.bookings {
            let center_cancelled = b.facts.status == BookingStatus::Cancelled
                && b.facts.cancelled_by == Some(CancelledBy::Center);
            if !center_cancelled {
                created
                    .entry((b.citizen, b.facts.center_kind, b.facts.group))
                    .or_default()
                    .push(b.facts.created_at);
            }
        }
        for (k, mut v) in created {
            v.sort();
            for w in v.windows(2) {
                prop_assert!(
                    w[1] - w[0] >= Duration::days(10),
                    "R4 broken for {k:?}: {w:?}"
                );
            }
        }
        // R5.
        let mut per_day: BTreeMap<(usize, NaiveDate), Vec<ServiceGroup>> = BTreeMap::new();
        for b in self.bookings.iter().filter(|b| b.facts.status.holds_day()) {
            per_day
                .entry((b.citizen, b.facts.start_local.date()))
                .or_default()
                .push(b.facts.group);
        }
        for (k, groups) in per_day {
            let distinct: BTreeSet<_> = groups.iter().collect();
            prop_assert!(
                groups.len() <= 2 && distinct.len() == groups.len(),
                "R5 broken {k:?}: {groups:?}"
            );
        }
        // Capacity.
        let mut held: BTreeSet<(WindowId, NaiveDateTime)> = BTreeSet::new();
        let mut per_slot: BTreeMap<(usize, NaiveDateTime), u32> = BTreeMap::new();
        for b in self
            .bookings
            .iter()
            .filter(|b| b.facts.status != BookingStatus::Cancelled)
        {
            prop_assert_eq!(b.slots.first().copied(), Some(b.facts.start_local));
            let date = b.facts.start_local.date();
            let center = &self.centers[b.center];
            let open = self.open(b.center, date);
            let Some(w) = center.windows.iter().find(|w| w.id == b.window) else {
                return Err(TestCaseError::fail("unknown window"));
            };
            prop_assert!(w.services.contains(&b.facts.service));
            let wopen = self.window_open(b.center, w, date);
            let first = b.facts.start_local.time();
            let end = first + Duration::minutes(15 * b.slots.len() as i64);
            // The whole run inside one center interval, on its grid.
            let iv = open.iter().find(|(o, c)| *o <= first && end <= *c);
            let Some((o, _)) = iv else {
                return Err(TestCaseError::fail(format!("outside hours: {b:?}")));
            };
            prop_assert_eq!((first - *o).num_minutes() % 15, 0, "off grid");
            prop_assert!(
                !center
                    .breaks
                    .iter()
                    .any(|(bo, bc)| *bo < end && first < *bc),
                "in a break"
            );
            for (j, s) in b.slots.iter().enumerate() {
                prop_assert_eq!(*s, b.facts.start_local + Duration::minutes(15 * j as i64));
                let st = s.time();
                prop_assert!(
                    wopen
                        .iter()
                        .any(|(o, c)| *o <= st && st + Duration::minutes(15) <= *c)
                );
                prop_assert!(
                    held.insert((b.window, *s)),
                    "window {} held twice at {s}",
                    b.window
                );
                *per_slot.entry((b.center, *s)).or_default() += 1;
            }
        }
        for ((c, s), n) in per_slot {
            if let Some(cap) = self.centers[c].cap {
                prop_assert!(n <= cap, "cap exceeded at {s}: {n}");
            }
        }
        Ok(())
    }
}

fn local_day(offset: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default() + Duration::days(offset)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn sequences_keep_invariants(ops in prop::collection::vec(op(), 1..80)) {
        let mut m = Model::new();
        for op in &ops {
            m.step(op);
            m.check_invariants()?;
        }
    }
}

/// The random sequences do reach the interesting states (not a vacuous
/// property): a fixed busy sequence books, reschedules and cancels.
#[test]
fn model_makes_progress() {
    let mut m = Model::new();
    let mut ops = Vec::new();
    for citizen in 0..3 {
        for service in 0..6 {
            let day = 1 + service as i64 % 3;
            ops.push(Op::Book {
                citizen,
                service,
                day,
                slot: 8 + citizen as i64,
            });
        }
    }
    ops.push(Op::Reschedule {
        citizen: 0,
        nth: 0,
        day: 2,
        slot: 4,
    });
    ops.push(Op::Cancel {
        citizen: 1,
        nth: 0,
        by_center: false,
    });
    for op in &ops {
        m.step(op);
        assert!(m.check_invariants().is_ok());
    }
    assert!(m.bookings.len() >= 6, "{}", m.bookings.len());
    assert!(m.bookings.iter().any(|b| b.facts.reschedule_count == 1));
    assert!(
        m.bookings
            .iter()
            .any(|b| b.facts.status == BookingStatus::Cancelled)
    );
    assert!(local_day(1).weekday() == Weekday::Tue);
}
