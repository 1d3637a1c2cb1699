//! A model-based property test of the booking use cases (issue 8).
//!
//! Seeded random sequences of operations run against the real use cases —
//! `service::booking::{create::book, reschedule::reschedule, cancel::cancel}`,
//! the functions the JSON API and the server functions call — and, side by
//! side, against an in-memory model of DOMAIN.md written independently here
//! (its own bookings, window-slot holds and counters; it shares no rule code
//! with `kezek_domain`).
//!
//! Operations: book (16 citizens × 11 services — documentation and other,
//! one online-only, one needing a vehicle (named by plate or VIN, owned or
//! not, unknown, malformed) — × 3 centers of both kinds, one with an admin
//! cap (R9) × starts on working days, a Saturday, a Sunday, holidays, the
//! horizon's edge and beyond, before/after hours, off the grid, with
//! seconds, too soon; over half aimed at hot slots of the next working day
//! so capacity runs out; a quarter with an `Idempotency-Key`, some of them
//! retried verbatim), reschedule (own or someone else's booking, same or
//! another center, either kind), cancel by the citizen, cancel by the
//! center, joining the waiting list (R13: a service at a center on one
//! day, at one time of day or any; mostly the hot day, so that freed
//! starts meet waiting entries) and leaving it, and moving the clock
//! forward (cut-offs, the ten-day window, the horizon). The model serves
//! its waiting list itself: a start freed by a cancellation or a
//! reschedule away goes to the earliest-joined entry for that center and
//! day whose rules (R3, R4, R5) allow it, before anyone else can book it.
//! Draws (R12): the administrator opens an ad hoc draw over a center's
//! next working day or two (sometimes a date passed, beyond the horizon or
//! drawn before); while it is open those dates refuse bookings and moves
//! (`draw_pending`) and citizens send requests of 1–3 ranked choices (a
//! time range or the whole day; sometimes a date outside the draw, a
//! repeated choice, a service of the other kind, a second request) and
//! withdraw them; when the clock passes the close the draw job runs, and
//! the model serves the requests itself in the order `SHA-256(seed ‖
//! public id)` computed here from the seed the database published: each
//! gets its first choice with a free start its rules allow, and what is
//! left goes to the waiting list. Each sequence runs under one of three policies (the defaults;
//! a strict one: one booking a day, one reschedule, 90/30-minute cut-offs,
//! no notice, a 5-day horizon, a 2-day "ten-day" window; one without the
//! group split).
//!
//! Checked: every operation's outcome — ok, or the exact refusal code —
//! equals the model's; a returned booking is where the model put it (id,
//! center, start, window, status, reschedule count; `replayed` for a
//! retry); every few operations and at the end of each sequence the
//! database equals the model (every booking's row, the `booking_slots`
//! rows = the Booked bookings' (window, slot) runs), no slot of a center
//! holds more than its windows or its cap, every waiting entry and draw
//! request is in the model's state (the booking that served it, the
//! request's place in the draw), and R3/R5 hold over the stored rows.
//!
//! Not modelled: concurrency (bookings_service.rs, processes.rs), the
//! center's bulk close-day, desk transitions (check-in … served, no-show),
//! notifications, windows with their own hours, breaks; waiting entries
//! for a city's centers, over several days, tied to a booking, or for a
//! vehicle service (waitlist.rs tests those); draws over several centers,
//! release-mode draws, requests for a vehicle service (draws.rs).
//!
//! Runs on whatever database the harness selects (SQLite; PostgreSQL with
//! `KEZEK_TEST_DATABASE_URL`). One app per run; the booking tables are
//! emptied between sequences. On a mismatch the failure names the seed and
//! prints the operations so far; reproduce one sequence with
//! `KEZEK_MODEL_SEED=<seed> cargo test -p kezek-core --test usecases model_based`
//! (`KEZEK_MODEL_SEQS` / `KEZEK_MODEL_OPS` change the amount).
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday,
};
use common::{TestApp, center_id, default_now, iin_n, window_id};
use kezek_core::entity::{
    booking_slots, bookings, breaks, center_exceptions, centers, draw_requests, draws,
    national_days, opening_hours, policy, services, waitlist_entries, window_services,
};
use kezek_core::error::ServiceError;
use kezek_core::service::booking::{
    cancel::{Canceller, cancel},
    create::{BookInput, book},
    reschedule::{RescheduleInput, reschedule},
};
use kezek_core::service::draws::{
    admin as draw_admin,
    requests::{self as draw_uc, ChoiceInput, RequestInput},
    run as draw_run,
};
use kezek_core::service::waitlist::{self, JoinInput};
use kezek_domain::ids::{BookingId, CenterId, CitizenId};
use kezek_domain::iin::Iin;
use kezek_domain::policy::Policy;
use kezek_i18n::Lang;
use kezek_wire::types::BookingView;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr,
};
use sha2::{Digest, Sha256};

const DEFAULT_SEQS: u64 = 32;
const DEFAULT_OPS: usize = 60;
/// The database is compared with the model every this many operations
/// (and at the end of every sequence).
const CHECK_EVERY: usize = 9;

// ---------------------------------------------------------------- fixture
//
// What the model knows about the demo seed (the seed is the fixture; the
// test checks at start-up that the database really has it).

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Psc,
    Auto,
}

impl Kind {
    fn db(self) -> &'static str {
        match self {
            Kind::Psc => "Psc",
            Kind::Auto => "AutoPsc",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Group {
    Doc,
    Other,
}

impl Group {
    fn db(self) -> &'static str {
        match self {
            Group::Doc => "Documentation",
            Group::Other => "Other",
        }
    }
}

struct Svc {
    code: &'static str,
    kind: Kind,
    group: Group,
    minutes: u32,
    online: bool,
    vehicle: bool,
}

const fn svc(code: &'static str, kind: Kind, group: Group, minutes: u32) -> Svc {
    Svc {
        code,
        kind,
        group,
        minutes,
        online: false,
        vehicle: false,
    }
}

const SERVICES: &[Svc] = &[
    svc("ID_CARD", Kind::Psc, Group::Doc, 15),
    svc("PASSPORT", Kind::Psc, Group::Doc, 15),
    svc("FOREIGNER_DOCS", Kind::Psc, Group::Doc, 20),
    svc("BIRTH_REG", Kind::Psc, Group::Other, 15),
    svc("REAL_ESTATE_REG", Kind::Psc, Group::Other, 30),
    svc("APOSTILLE", Kind::Psc, Group::Other, 15),
    Svc {
        online: true,
        ..svc("ADDRESS_REG", Kind::Psc, Group::Other, 15)
    },
    svc("VEH_REG", Kind::Auto, Group::Other, 30),
    Svc {
        vehicle: true,
        ..svc("VEH_REREG", Kind::Auto, Group::Other, 30)
    },
    svc("DL_THEORY", Kind::Auto, Group::Other, 30),
    svc("DL_ISSUE", Kind::Auto, Group::Other, 15),
];

struct CenterSpec {
    slug: &'static str,
    kind: Kind,
    /// Duty centers: Mon–Fri 09:00–20:00 and Sat 09:00–13:00; others
    /// Mon–Fri 09:00–18:00.
    duty: bool,
    /// R9 admin cap, set by this test.
    cap: Option<u32>,
}

const CENTERS: &[CenterSpec] = &[
    CenterSpec {
        slug: "ast-psc-yesil",
        kind: Kind::Psc,
        duty: true,
        cap: None,
    },
    CenterSpec {
        slug: "ast-psc-saryarka",
        kind: Kind::Psc,
        duty: false,
        cap: Some(2),
    },
    CenterSpec {
        slug: "ast-auto",
        kind: Kind::Auto,
        duty: true,
        cap: None,
    },
];

/// Window layouts of the demo seed: the services of window 1, 2, ….
const PSC_WINDOWS: &[&[&str]] = &[
    &["ID_CARD", "PASSPORT", "FOREIGNER_DOCS"],
    &["ID_CARD", "PASSPORT", "FOREIGNER_DOCS"],
    &[
        "BIRTH_REG",
        "MARRIAGE_REG",
        "DIVORCE_REG",
        "DEATH_REG",
        "CIVIL_DUPLICATE",
    ],
    &["APOSTILLE", "IIN_FOREIGNER", "CIVIL_DUPLICATE"],
    &[
        "PENSION_AGE",
        "BENEFIT_BIRTH",
        "BENEFIT_DISABILITY",
        "REAL_ESTATE_REG",
    ],
    &[
        "ID_CARD",
        "PASSPORT",
        "BIRTH_REG",
        "MARRIAGE_REG",
        "DIVORCE_REG",
        "DEATH_REG",
        "CIVIL_DUPLICATE",
        "REAL_ESTATE_REG",
        "PENSION_AGE",
        "BENEFIT_BIRTH",
        "BENEFIT_DISABILITY",
        "APOSTILLE",
        "IIN_FOREIGNER",
    ],
];
const AUTO_WINDOWS: &[&[&str]] = &[
    &["VEH_REG", "VEH_REREG", "VEH_DEREG", "VEH_DUPLICATE"],
    &["VEH_REG", "VEH_REREG", "VEH_DEREG", "VEH_DUPLICATE"],
    &["DL_ISSUE", "DL_REPLACE"],
    &["DL_THEORY"],
    &["DL_PRACTICE"],
];

/// National days off from 2026-12-01 to 2027-01-31 (DOMAIN.md: 16 Dec;
/// 1–2 Jan, the Saturday 2 Jan moving to Monday 4 Jan; 7 Jan).
const DAYS_OFF: &[&str] = &[
    "2026-12-16",
    "2027-01-01",
    "2027-01-02",
    "2027-01-04",
    "2027-01-07",
];

/// The demo vehicle registry: (plate, VIN, owning citizen index).
const REGISTRY: &[(&str, &str, usize)] = &[
    ("123ABC01", "XTA21700080123456", 0),
    ("777KZ02", "WVWZZZ1JZXW000001", 0),
    ("456DEF17", "JTDBR32E720012345", 1),
    ("001AAA02", "KMHCT41BP7U123456", 2),
];

#[derive(Clone, Copy, Debug)]
enum VehIn {
    Known(usize),
    Unknown,
    Invalid,
}

/// What a citizen may type as the vehicle.
const VEHICLE_INPUTS: &[(&str, VehIn)] = &[
    ("123 ABC 01", VehIn::Known(0)),
    ("xta21700080123456", VehIn::Known(0)),
    ("777KZ02", VehIn::Known(1)),
    ("456-DEF-17", VehIn::Known(2)),
    ("KMHCT41BP7U123456", VehIn::Known(3)),
    ("999ZZZ01", VehIn::Unknown),
    ("12#", VehIn::Invalid),
];

/// Citizens 0–2 own the registry's vehicles; the rest own nothing.
const CITIZENS: usize = 16;
const OWNER_IINS: &[&str] = &["710313311868", "980212383137", "570103468518"];

fn citizen_iin(n: usize) -> String {
    match OWNER_IINS.get(n) {
        Some(iin) => (*iin).to_owned(),
        None => iin_n(700 + n as u32),
    }
}

/// Kazakhstan is UTC+5 (since 2024-03-01).
const OFFSET: i64 = 5 * 3600;
const SLOT_MIN: u32 = 15;

fn to_local(unix: i64) -> NaiveDateTime {
    DateTime::from_timestamp(unix + OFFSET, 0)
        .unwrap()
        .naive_utc()
}

fn to_unix(local: NaiveDateTime) -> i64 {
    local.and_utc().timestamp() - OFFSET
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Opening hours of a center on a date in minutes of the day, `None` when
/// closed.
fn hours(c: &CenterSpec, d: NaiveDate) -> Option<(u32, u32)> {
    if DAYS_OFF.iter().any(|s| date(s) == d) {
        return None;
    }
    match d.weekday() {
        Weekday::Sun => None,
        Weekday::Sat => c.duty.then_some((9 * 60, 13 * 60)),
        _ => Some((9 * 60, if c.duty { 20 * 60 } else { 18 * 60 })),
    }
}

// ------------------------------------------------------------- policies

fn policy_for(seed: u64) -> (&'static str, Policy) {
    match seed % 4 {
        2 => (
            "strict",
            Policy {
                ten_day_window_days: 2,
                per_day_limit: 1,
                one_per_group_per_day: true,
                max_reschedules: 1,
                reschedule_cutoff_min: 90,
                cancel_cutoff_min: 30,
                min_notice_min: 0,
                horizon_days: 5,
                no_show_grace_min: 15,
            },
        ),
        3 => (
            "no-group-split",
            Policy {
                ten_day_window_days: 10,
                per_day_limit: 2,
                one_per_group_per_day: false,
                max_reschedules: 2,
                reschedule_cutoff_min: 0,
                cancel_cutoff_min: 0,
                min_notice_min: 120,
                horizon_days: 30,
                no_show_grace_min: 15,
            },
        ),
        _ => ("default", Policy::default()),
    }
}

// ------------------------------------------------------------------ rng

/// SplitMix64: tiny, seeded, and stable across crate versions, so a seed
/// reproduces forever.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed ^ 0x6b65_7a65_6b5f_6d62)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn percent(&mut self, p: usize) -> bool {
        self.below(100) < p
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }
}

// ------------------------------------------------------------------ ops

#[derive(Clone, Debug)]
enum Op {
    Book {
        citizen: usize,
        center: usize,
        svc: usize,
        start: NaiveDateTime,
        /// Send the start as UTC (`…Z`) instead of `+05:00`.
        utc: bool,
        vehicle: Option<usize>,
        /// An `Idempotency-Key` (`k0`…`k2`).
        key: Option<u8>,
    },
    /// `booking`: index into the model's bookings; `None` = an id that
    /// does not exist.
    Reschedule {
        citizen: usize,
        booking: Option<usize>,
        center: Option<usize>,
        start: NaiveDateTime,
    },
    Cancel {
        citizen: usize,
        booking: Option<usize>,
    },
    CenterCancel {
        booking: Option<usize>,
    },
    /// R13: wait for `svc` at `center` on `date`, at `time` exactly or any
    /// time of day.
    Join {
        citizen: usize,
        center: usize,
        svc: usize,
        date: NaiveDate,
        time: Option<NaiveTime>,
    },
    /// `entry`: index into the model's entries; `None` = an id that does
    /// not exist.
    Leave {
        citizen: usize,
        entry: Option<usize>,
    },
    Advance {
        minutes: i64,
    },
    /// R12: an ad hoc draw at `center` over `dates`, open `minutes`.
    OpenDraw {
        center: usize,
        dates: Vec<NaiveDate>,
        minutes: i64,
    },
    /// A draw request; `draw`: index into the model's draws.
    Request {
        citizen: usize,
        draw: usize,
        svc: usize,
        choices: Vec<ReqChoice>,
    },
    /// `request`: index into the model's requests; `None` = an id that
    /// does not exist.
    Withdraw {
        citizen: usize,
        request: Option<usize>,
    },
}

/// A ranked choice: the date at the draw's center, and a time-of-day range
/// (`from`, `to`, both ends included) or the whole day.
type ReqChoice = (NaiveDate, Option<(NaiveTime, NaiveTime)>);

/// An hour and minute.
type Hm = (u32, u32);

/// Time ranges a request picks from (from, to).
const RANGES: &[Option<(Hm, Hm)>] = &[
    None,
    Some(((10, 0), (10, 0))),
    Some(((10, 0), (10, 30))),
    Some(((9, 0), (12, 0))),
    Some(((14, 0), (17, 45))),
    Some(((19, 0), (19, 45))),
];

fn fits(range: Option<(NaiveTime, NaiveTime)>, t: NaiveTime) -> bool {
    range.is_none_or(|(a, b)| a <= t && t <= b)
}

fn fmt_choice(c: &ReqChoice) -> String {
    match c.1 {
        Some((a, b)) => format!("{} {}–{}", c.0, a.format("%H:%M"), b.format("%H:%M")),
        None => format!("{} any time", c.0),
    }
}

const MISSING_ID: i64 = 9_000_000_000;

fn fmt_start(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

fn fmt_booking(m: &Model, b: Option<usize>) -> String {
    match b {
        Some(i) => format!("#{i}(id {})", m.bookings[i].db_id),
        None => "#missing".into(),
    }
}

fn describe(m: &Model, op: &Op) -> String {
    match op {
        Op::Book {
            citizen,
            center,
            svc,
            start,
            utc,
            vehicle,
            key,
        } => format!(
            "book c{citizen} {} at {} {}{}{}{}",
            SERVICES[*svc].code,
            CENTERS[*center].slug,
            fmt_start(*start),
            if *utc { " (sent as UTC)" } else { "" },
            vehicle
                .map(|v| format!(" vehicle {:?}", VEHICLE_INPUTS[v].0))
                .unwrap_or_default(),
            key.map(|k| format!(" key k{k}")).unwrap_or_default()
        ),
        Op::Reschedule {
            citizen,
            booking,
            center,
            start,
        } => format!(
            "reschedule c{citizen} {} to {}{}",
            fmt_booking(m, *booking),
            fmt_start(*start),
            center
                .map(|c| format!(" at {}", CENTERS[c].slug))
                .unwrap_or_default()
        ),
        Op::Cancel { citizen, booking } => {
            format!("cancel c{citizen} {}", fmt_booking(m, *booking))
        }
        Op::CenterCancel { booking } => {
            format!("center-cancel {}", fmt_booking(m, *booking))
        }
        Op::Join {
            citizen,
            center,
            svc,
            date,
            time,
        } => format!(
            "join c{citizen} {} at {} on {date} {}",
            SERVICES[*svc].code,
            CENTERS[*center].slug,
            time.map_or("any time".to_owned(), |t| t.format("%H:%M").to_string())
        ),
        Op::Leave { citizen, entry } => format!(
            "leave c{citizen} {}",
            match entry {
                Some(k) => format!("entry {k}(id {})", m.entries[*k].db_id),
                None => "entry #missing".into(),
            }
        ),
        Op::Advance { minutes } => format!("advance clock {minutes} min (draws due run)"),
        Op::OpenDraw {
            center,
            dates,
            minutes,
        } => format!(
            "open draw at {} over {dates:?} for {minutes} min",
            CENTERS[*center].slug
        ),
        Op::Request {
            citizen,
            draw,
            svc,
            choices,
        } => format!(
            "request c{citizen} {} in draw {draw}(id {}): {}",
            SERVICES[*svc].code,
            m.draws[*draw].db_id,
            choices
                .iter()
                .map(fmt_choice)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Op::Withdraw { citizen, request } => format!(
            "withdraw c{citizen} {}",
            match request {
                Some(k) => format!("request {k}(id {})", m.requests[*k].db_id),
                None => "request #missing".into(),
            }
        ),
    }
}

/// Dates the generator picks from: today (Tue), Wed, Thu, Sat, Sun, a
/// Friday, the 16 Dec holiday, the horizon's last day, 4 Jan (moved day
/// off), 5 Jan (beyond the horizon until the clock moves).
const DATES: &[&str] = &[
    "2026-12-01",
    "2026-12-02",
    "2026-12-03",
    "2026-12-05",
    "2026-12-06",
    "2026-12-11",
    "2026-12-16",
    "2026-12-31",
    "2027-01-04",
    "2027-01-05",
];
/// Start times (h, m, s): before opening, on the grid, off the grid, at a
/// closing time, the last slot of a long day, with seconds.
const TIMES: &[(u32, u32, u32)] = &[
    (8, 45, 0),
    (9, 0, 0),
    (9, 45, 0),
    (10, 0, 0),
    (10, 15, 0),
    (10, 7, 0),
    (12, 45, 0),
    (13, 0, 0),
    (17, 45, 0),
    (18, 0, 0),
    (19, 30, 0),
    (19, 45, 0),
    (20, 0, 0),
    (10, 0, 30),
];

/// The next date after `d` the first center is open (the hot date).
fn next_open(d: NaiveDate) -> NaiveDate {
    let mut d = d.succ_opt().unwrap();
    while hours(&CENTERS[0], d).is_none() || d.weekday() == Weekday::Sat {
        d = d.succ_opt().unwrap();
    }
    d
}

fn gen_start(rng: &mut Rng, m: &Model) -> NaiveDateTime {
    let today = m.now_local().date();
    if rng.percent(55) {
        // Hot slots on the next working day, so that capacity runs out.
        let hot = next_open(today);
        let (d, (h, min)) = match rng.below(20) {
            0..16 => (hot, (10, 0)),
            16..18 => (hot, (10, 15)),
            _ => (next_open(hot), (12, 45)),
        };
        return d.and_hms_opt(h, min, 0).unwrap();
    }
    let d = if rng.percent(50) {
        today + Duration::days(rng.pick(&[0, 1, 2, 3, 4, 5, 6, 7, 30, 31]))
    } else {
        date(rng.pick(DATES))
    };
    let (h, min, sec) = rng.pick(TIMES);
    d.and_hms_opt(h, min, sec).unwrap()
}

fn gen_target(rng: &mut Rng, m: &Model) -> Option<usize> {
    if m.bookings.is_empty() || rng.percent(6) {
        return None;
    }
    let active: Vec<usize> = (0..m.bookings.len())
        .filter(|&i| m.bookings[i].st == St::Booked)
        .collect();
    if !active.is_empty() && rng.percent(88) {
        Some(rng.pick(&active))
    } else {
        Some(rng.below(m.bookings.len()))
    }
}

fn gen_op(rng: &mut Rng, m: &Model, advanced_min: i64) -> Op {
    let d = rng.below(100);
    match m.draws.iter().position(|x| x.open) {
        None if d < 4 => return gen_open_draw(rng, m),
        None if d < 6 && !m.draws.is_empty() => {
            // A request too late: the draw has run.
            let k = rng.below(m.draws.len());
            return gen_request(rng, m, k);
        }
        Some(k) if d < 15 => return gen_request(rng, m, k),
        // Let open draws run within a sequence.
        Some(_) if d < 19 => {
            return Op::Advance {
                minutes: rng.pick(&[15, 60, 600]),
            };
        }
        _ if (19..22).contains(&d) && !m.requests.is_empty() => {
            let pending: Vec<usize> = (0..m.requests.len())
                .filter(|&k| m.requests[k].st == RSt::Pending)
                .collect();
            let request = if !pending.is_empty() && rng.percent(75) {
                Some(rng.pick(&pending))
            } else {
                (!rng.percent(6)).then(|| rng.below(m.requests.len()))
            };
            let citizen = match request {
                Some(k) if !rng.percent(10) => m.requests[k].citizen,
                _ => rng.below(CITIZENS),
            };
            return Op::Withdraw { citizen, request };
        }
        _ => {}
    }
    let r = rng.below(100);
    if r < 4 && !m.keyed_ops.is_empty() {
        // A client retrying a keyed request that succeeded (the instant
        // may be written the other way).
        let mut op = m.keyed_ops[rng.below(m.keyed_ops.len())].clone();
        if let Op::Book { utc, .. } = &mut op {
            *utc = rng.percent(50);
        }
        return op;
    }
    if (44..54).contains(&r) {
        // Mostly a start that is full now (where an entry can wait and a
        // freed start meets it), else the hot day's hot times.
        let full: Vec<(usize, NaiveDateTime, Option<usize>)> = m
            .bookings
            .iter()
            .filter(|b| {
                b.st == St::Booked && m.place(b.center, &SERVICES[b.svc], b.start, None).is_err()
            })
            .filter(|b| !SERVICES[b.svc].vehicle)
            .map(|b| (b.center, b.start, Some(b.svc)))
            .collect();
        let (center, start, full_svc) = if !full.is_empty() && rng.percent(85) {
            full[rng.below(full.len())]
        } else {
            let c = if rng.percent(70) {
                0
            } else {
                rng.below(CENTERS.len())
            };
            (c, gen_start(rng, m), None)
        };
        let waiting: Vec<usize> = m
            .entries
            .iter()
            .filter(|e| e.st == ESt::Waiting)
            .map(|e| e.citizen)
            .collect();
        let citizen = if !waiting.is_empty() && rng.percent(25) {
            rng.pick(&waiting)
        } else {
            rng.below(CITIZENS)
        };
        let own: Vec<usize> = (0..SERVICES.len())
            .filter(|&s| {
                SERVICES[s].kind == CENTERS[center].kind
                    && !SERVICES[s].online
                    && !SERVICES[s].vehicle
            })
            .collect();
        let svc = match full_svc {
            Some(s) if rng.percent(90) => s,
            _ if !own.is_empty() && rng.percent(90) => rng.pick(&own),
            _ => rng.below(SERVICES.len()),
        };
        return Op::Join {
            citizen,
            center,
            svc,
            date: start.date(),
            time: rng
                .percent(60)
                .then(|| NaiveTime::from_hms_opt(start.hour(), start.minute(), 0).unwrap()),
        };
    }
    if (54..57).contains(&r) && !m.entries.is_empty() {
        let entry = (!rng.percent(6)).then(|| rng.below(m.entries.len()));
        let citizen = match entry {
            Some(k) if !rng.percent(10) => m.entries[k].citizen,
            _ => rng.below(CITIZENS),
        };
        return Op::Leave { citizen, entry };
    }
    if r < 57 || m.bookings.is_empty() {
        let citizen = rng.below(CITIZENS);
        let center = match rng.below(20) {
            0..8 => 0,
            8..15 => 1,
            _ => 2,
        };
        let svc = if rng.percent(85) {
            let own: Vec<usize> = (0..SERVICES.len())
                .filter(|&s| SERVICES[s].kind == CENTERS[center].kind && !SERVICES[s].online)
                .collect();
            rng.pick(&own)
        } else {
            rng.below(SERVICES.len())
        };
        let vehicle = if SERVICES[svc].vehicle && !rng.percent(10) {
            let owned: Vec<usize> = (0..VEHICLE_INPUTS.len())
                .filter(
                    |&v| matches!(VEHICLE_INPUTS[v].1, VehIn::Known(k) if REGISTRY[k].2 == citizen),
                )
                .collect();
            if !owned.is_empty() && rng.percent(60) {
                Some(rng.pick(&owned))
            } else {
                Some(rng.below(VEHICLE_INPUTS.len()))
            }
        } else {
            None
        };
        return Op::Book {
            citizen,
            center,
            svc,
            start: gen_start(rng, m),
            utc: rng.percent(20),
            vehicle,
            key: rng.percent(25).then(|| rng.below(3) as u8),
        };
    }
    if r < 72 {
        let booking = gen_target(rng, m);
        return Op::Reschedule {
            citizen: owner_or_other(rng, m, booking),
            booking,
            center: rng.percent(30).then(|| rng.below(CENTERS.len())),
            start: gen_start(rng, m),
        };
    }
    if r < 87 {
        let booking = gen_target(rng, m);
        return Op::Cancel {
            citizen: owner_or_other(rng, m, booking),
            booking,
        };
    }
    if r < 95 || advanced_min >= 12 * 24 * 60 {
        return Op::CenterCancel {
            booking: gen_target(rng, m),
        };
    }
    Op::Advance {
        minutes: rng.pick(&[15, 60, 6 * 60, 24 * 60, 3 * 24 * 60, 10 * 24 * 60]),
    }
}

fn gen_open_draw(rng: &mut Rng, m: &Model) -> Op {
    let today = m.now_local().date();
    let hot = next_open(today);
    let center = match rng.below(10) {
        0..5 => 0,
        5..8 => 1,
        _ => 2,
    };
    let dates = match rng.below(20) {
        0..12 => vec![hot],
        12..16 => vec![next_open(hot)],
        16..19 => vec![hot, next_open(hot)],
        _ if rng.percent(50) => vec![today + Duration::days(40)],
        _ => vec![today - Duration::days(1)],
    };
    Op::OpenDraw {
        center,
        dates,
        minutes: rng.pick(&[30, 90, 600]),
    }
}

fn gen_request(rng: &mut Rng, m: &Model, draw: usize) -> Op {
    let d = &m.draws[draw];
    let kind = CENTERS[d.center].kind;
    let requestable = |k: Kind| -> Vec<usize> {
        (0..SERVICES.len())
            .filter(|&s| SERVICES[s].kind == k && !SERVICES[s].online && !SERVICES[s].vehicle)
            .collect()
    };
    let svc = if rng.percent(92) {
        rng.pick(&requestable(kind))
    } else {
        let other = if kind == Kind::Psc {
            Kind::Auto
        } else {
            Kind::Psc
        };
        rng.pick(&requestable(other))
    };
    let at = |h: u32, mi: u32| NaiveTime::from_hms_opt(h, mi, 0).unwrap();
    let mut choices: Vec<ReqChoice> = Vec::new();
    for _ in 0..1 + rng.below(3) {
        let date = if rng.percent(4) {
            d.dates[0] + Duration::days(7)
        } else {
            d.dates[rng.below(d.dates.len())]
        };
        let c = (
            date,
            rng.pick(RANGES)
                .map(|((h1, m1), (h2, m2))| (at(h1, m1), at(h2, m2))),
        );
        // Mostly distinct choices; a repeated one is refused.
        if !choices.contains(&c) || rng.percent(15) {
            choices.push(c);
        }
    }
    Op::Request {
        citizen: rng.below(CITIZENS),
        draw,
        svc,
        choices,
    }
}

fn owner_or_other(rng: &mut Rng, m: &Model, booking: Option<usize>) -> usize {
    match booking {
        Some(i) if !rng.percent(8) => m.bookings[i].citizen,
        _ => rng.below(CITIZENS),
    }
}

// ---------------------------------------------------------------- model

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum St {
    Booked,
    CancelledByCitizen,
    CancelledByCenter,
}

#[derive(Clone, Debug)]
struct MBooking {
    db_id: i64,
    citizen: usize,
    center: usize,
    svc: usize,
    start: NaiveDateTime,
    window: i64,
    slots: Vec<i64>,
    st: St,
    reschedules: u32,
    created: i64,
    vehicle: Option<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum ESt {
    Waiting,
    Left,
    Served,
}

#[derive(Clone, Debug)]
struct MEntry {
    db_id: i64,
    citizen: usize,
    center: usize,
    svc: usize,
    date: NaiveDate,
    time: Option<NaiveTime>,
    st: ESt,
    /// The booking (model index) that served it.
    served: Option<usize>,
}

#[derive(Clone, Debug)]
struct MDraw {
    db_id: i64,
    center: usize,
    dates: Vec<NaiveDate>,
    /// Unix seconds.
    closes: i64,
    /// Taking requests (the model runs it when the clock passes `closes`).
    open: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum RSt {
    Pending,
    Matched,
    Unmatched,
    Withdrawn,
}

#[derive(Clone, Debug)]
struct MRequest {
    db_id: i64,
    public_id: String,
    citizen: usize,
    draw: usize,
    svc: usize,
    choices: Vec<ReqChoice>,
    st: RSt,
    /// The booking (model index) a match made.
    booking: Option<usize>,
    /// 1-based place in the draw's order, once run.
    position: Option<usize>,
}

#[derive(Clone, Debug)]
struct Win {
    id: i64,
    number: i32,
    services: Vec<&'static str>,
}

struct Model {
    policy: Policy,
    now: i64,
    bookings: Vec<MBooking>,
    /// (window id, slot start, Unix s) → booking index: the holds of Booked
    /// bookings.
    held: BTreeMap<(i64, i64), usize>,
    /// Per center, its windows.
    windows: Vec<Vec<Win>>,
    /// (citizen, key) → the request a successful keyed booking made, and
    /// the booking.
    keys: HashMap<(usize, u8), (Keyed, usize)>,
    /// The keyed book operations that succeeded (for retries).
    keyed_ops: Vec<Op>,
    /// Waiting-list entries, in the order joined.
    entries: Vec<MEntry>,
    /// Bookings the waiting list made in the last operation, whose
    /// database ids the harness reads from the entries they served.
    served_now: Vec<usize>,
    draws: Vec<MDraw>,
    /// Draw requests, in the order made.
    requests: Vec<MRequest>,
    /// Requests matched by the last draw run, whose bookings' database ids
    /// the harness reads from the requests.
    drawn_now: Vec<usize>,
}

/// What an idempotency record remembers of a request: center, service,
/// start instant, vehicle text as sent (two spellings differ).
type Keyed = (usize, usize, i64, Option<&'static str>);

fn keyed(center: usize, svc: usize, start: NaiveDateTime, vehicle: Option<usize>) -> Keyed {
    (
        center,
        svc,
        to_unix(start),
        vehicle.map(|v| VEHICLE_INPUTS[v].0),
    )
}

/// What the model says an operation does.
#[derive(Debug)]
enum Effect {
    Book {
        window: i64,
        slots: Vec<i64>,
    },
    /// An idempotent retry: the stored booking, as it is now.
    Replay(usize),
    Move {
        center: usize,
        window: i64,
        slots: Vec<i64>,
    },
    Cancel {
        by_center: bool,
    },
    Join,
    Leave,
    Clock,
    OpenDraw,
    Request,
    Withdraw,
}

type Expect = Result<Effect, &'static str>;

impl Model {
    fn now_local(&self) -> NaiveDateTime {
        to_local(self.now)
    }

    /// Is `date` at `center` under a draw that has not run?
    fn drawn_open(&self, center: usize, date: NaiveDate) -> bool {
        self.draws
            .iter()
            .any(|d| d.open && d.center == center && d.dates.contains(&date))
    }

    /// A booking the waiting list or a draw made now (its database id is
    /// learnt afterwards).
    fn new_booking(
        &mut self,
        citizen: usize,
        center: usize,
        svc: usize,
        start: NaiveDateTime,
        window: i64,
        slots: Vec<i64>,
    ) -> usize {
        let i = self.bookings.len();
        self.bookings.push(MBooking {
            db_id: -1,
            citizen,
            center,
            svc,
            start,
            window,
            slots: Vec::new(),
            st: St::Booked,
            reschedules: 0,
            created: self.now,
            vehicle: None,
        });
        self.hold(i, window, slots);
        i
    }

    /// R12: runs draw `k` with its pending requests in `order`: each gets
    /// its first choice with a free start its rules allow (R3, R4, R5 as
    /// of now), then the waiting list takes what is left.
    fn run_draw(&mut self, k: usize, order: &[usize]) {
        let center = self.draws[k].center;
        for (pos, &ri) in order.iter().enumerate() {
            let r = self.requests[ri].clone();
            let s = &SERVICES[r.svc];
            let mut got = None;
            for c in &r.choices {
                let Some((start, (window, slots))) = self
                    .offered(center, r.svc, c.0, None)
                    .into_iter()
                    .filter(|t| fits(c.1, t.time()))
                    .find_map(|t| self.place(center, s, t, None).ok().map(|p| (t, p)))
                else {
                    continue;
                };
                if self.check_r3_r4(r.citizen, r.svc).is_err()
                    || self.check_day(r.citizen, c.0, s.group, None).is_err()
                {
                    continue;
                }
                got = Some(self.new_booking(r.citizen, center, r.svc, start, window, slots));
                break;
            }
            let req = &mut self.requests[ri];
            req.position = Some(pos + 1);
            req.booking = got;
            req.st = if got.is_some() {
                self.drawn_now.push(ri);
                RSt::Matched
            } else {
                RSt::Unmatched
            };
        }
        self.draws[k].open = false;
        for d in self.draws[k].dates.clone() {
            self.serve(center, d);
        }
    }

    fn window_center(&self, w: i64) -> usize {
        (0..self.windows.len())
            .find(|&c| self.windows[c].iter().any(|x| x.id == w))
            .unwrap()
    }

    /// Minimum notice and horizon for a new start.
    fn check_time(&self, start: NaiveDateTime) -> Result<(), &'static str> {
        let now = self.now_local();
        if start < now + Duration::minutes(i64::from(self.policy.min_notice_min)) {
            return Err("too_late");
        }
        if start.date() > now.date() + Duration::days(i64::from(self.policy.horizon_days)) {
            return Err("outside_horizon");
        }
        Ok(())
    }

    fn same_bucket(&self, a: &Svc, b: &Svc) -> bool {
        a.kind == b.kind && (!self.policy.one_per_group_per_day || a.group == b.group)
    }

    /// R5 for `citizen` on `day` in group `g`, not counting `exclude`.
    fn check_day(
        &self,
        citizen: usize,
        day: NaiveDate,
        g: Group,
        exclude: Option<usize>,
    ) -> Result<(), &'static str> {
        let on_day: Vec<&MBooking> = self
            .bookings
            .iter()
            .enumerate()
            .filter(|(i, b)| {
                Some(*i) != exclude
                    && b.citizen == citizen
                    && b.st == St::Booked
                    && b.start.date() == day
            })
            .map(|(_, b)| b)
            .collect();
        if self.policy.one_per_group_per_day && on_day.iter().any(|b| SERVICES[b.svc].group == g) {
            return Err("same_group_same_day");
        }
        if on_day.len() as u32 >= self.policy.per_day_limit {
            return Err("two_per_day");
        }
        Ok(())
    }

    /// The window and slots a start gets, or the capacity refusal; the
    /// holds of `exclude` (the booking being moved) do not count.
    fn place(
        &self,
        center: usize,
        s: &Svc,
        start: NaiveDateTime,
        exclude: Option<usize>,
    ) -> Result<(i64, Vec<i64>), &'static str> {
        let c = &CENTERS[center];
        let Some((open, close)) = hours(c, start.date()) else {
            return Err("center_closed");
        };
        let serving: Vec<&Win> = self.windows[center]
            .iter()
            .filter(|w| w.services.contains(&s.code))
            .collect();
        if serving.is_empty() {
            return Err("service_not_offered");
        }
        if start.second() != 0 {
            return Err("outside_hours");
        }
        let m = start.hour() * 60 + start.minute();
        let run = s.minutes.div_ceil(SLOT_MIN).max(1);
        if m < open || !(m - open).is_multiple_of(SLOT_MIN) || m + run * SLOT_MIN > close {
            return Err("outside_hours");
        }
        let slots: Vec<i64> = (0..run)
            .map(|j| to_unix(start) + i64::from(j * SLOT_MIN) * 60)
            .collect();
        let holder = |w: i64, t: i64| {
            self.held
                .get(&(w, t))
                .copied()
                .filter(|&b| Some(b) != exclude)
        };
        if let Some(cap) = c.cap {
            let used = slots
                .iter()
                .map(|&t| {
                    self.windows[center]
                        .iter()
                        .filter(|w| holder(w.id, t).is_some())
                        .count() as u32
                })
                .max()
                .unwrap_or(0);
            if used >= cap {
                return Err("slot_full");
            }
        }
        // Prefer the window serving the fewest services (DOMAIN.md), then
        // the lowest id.
        serving
            .iter()
            .filter(|w| slots.iter().all(|&t| holder(w.id, t).is_none()))
            .min_by_key(|w| (w.services.len(), w.id))
            .map(|w| (w.id, slots.clone()))
            .ok_or("slot_full")
    }

    /// The starts the schedule offers for `svc` at `center` on `date`
    /// (full or not) that the bounds admit and `time` (exact) fits, in
    /// order.
    fn offered(
        &self,
        center: usize,
        svc: usize,
        date: NaiveDate,
        time: Option<NaiveTime>,
    ) -> Vec<NaiveDateTime> {
        let s = &SERVICES[svc];
        let Some((open, close)) = hours(&CENTERS[center], date) else {
            return Vec::new();
        };
        if !self.windows[center]
            .iter()
            .any(|w| w.services.contains(&s.code))
        {
            return Vec::new();
        }
        let run = s.minutes.div_ceil(SLOT_MIN).max(1);
        let mut out = Vec::new();
        let mut m = open;
        while m + run * SLOT_MIN <= close {
            let start = date.and_hms_opt(m / 60, m % 60, 0).unwrap();
            if self.check_time(start).is_ok() && time.is_none_or(|t| t == start.time()) {
                out.push(start);
            }
            m += SLOT_MIN;
        }
        out
    }

    /// R3 and R4 for a new booking of `svc` by `citizen` (the checks a
    /// waiting entry must pass when made and when served).
    fn check_r3_r4(&self, citizen: usize, svc: usize) -> Result<(), &'static str> {
        let s = &SERVICES[svc];
        if self.bookings.iter().any(|b| {
            b.citizen == citizen && b.st == St::Booked && self.same_bucket(&SERVICES[b.svc], s)
        }) {
            return Err("one_active_booking");
        }
        let window = i64::from(self.policy.ten_day_window_days) * 86_400;
        if self.bookings.iter().any(|b| {
            b.citizen == citizen
                && b.st != St::CancelledByCenter
                && self.same_bucket(&SERVICES[b.svc], s)
                && self.now < b.created + window
        }) {
            return Err("ten_day_rule");
        }
        Ok(())
    }

    /// R13: the waiting list takes what is free at `center` on `date`:
    /// each waiting entry for that center and day, in the order joined,
    /// gets its first free start if its rules allow a booking there now
    /// (else it is skipped and waits on).
    fn serve(&mut self, center: usize, date: NaiveDate) {
        // A date under a draw is the draw's.
        if self.drawn_open(center, date) {
            return;
        }
        for k in 0..self.entries.len() {
            let e = self.entries[k].clone();
            if e.st != ESt::Waiting || e.center != center || e.date != date {
                continue;
            }
            let s = &SERVICES[e.svc];
            let Some((start, (window, slots))) = self
                .offered(center, e.svc, date, e.time)
                .into_iter()
                .find_map(|t| self.place(center, s, t, None).ok().map(|p| (t, p)))
            else {
                continue;
            };
            if self.check_r3_r4(e.citizen, e.svc).is_err()
                || self.check_day(e.citizen, date, s.group, None).is_err()
            {
                continue;
            }
            let i = self.new_booking(e.citizen, center, e.svc, start, window, slots);
            self.entries[k].st = ESt::Served;
            self.entries[k].served = Some(i);
            self.served_now.push(i);
        }
    }

    fn expect(&self, op: &Op) -> Expect {
        let p = &self.policy;
        match op {
            Op::Advance { .. } => Ok(Effect::Clock),
            Op::OpenDraw { center, dates, .. } => {
                let today = self.now_local().date();
                for d in dates {
                    if *d < today {
                        return Err("date_passed");
                    }
                    if *d > today + Duration::days(i64::from(p.horizon_days)) {
                        return Err("date_beyond");
                    }
                }
                // A center's date is drawn once.
                if self
                    .draws
                    .iter()
                    .any(|x| x.center == *center && dates.iter().any(|d| x.dates.contains(d)))
                {
                    return Err("draw_exists");
                }
                Ok(Effect::OpenDraw)
            }
            Op::Request {
                citizen,
                draw,
                svc,
                choices,
            } => {
                let d = &self.draws[*draw];
                if !d.open {
                    return Err("draw_closed");
                }
                for (i, c) in choices.iter().enumerate() {
                    if !d.dates.contains(&c.0) || choices[..i].contains(c) {
                        return Err("bad_request");
                    }
                }
                let s = &SERVICES[*svc];
                if s.kind != CENTERS[d.center].kind {
                    return Err("wrong_center_kind");
                }
                if self.requests.iter().any(|r| {
                    r.citizen == *citizen
                        && r.st == RSt::Pending
                        && SERVICES[r.svc].kind == s.kind
                        && SERVICES[r.svc].group == s.group
                }) {
                    return Err("already_requested");
                }
                // Every choice as if booked at its earliest start (taken or
                // not: places may free before the close).
                for c in choices {
                    let Some(start) = self
                        .offered(d.center, *svc, c.0, None)
                        .into_iter()
                        .find(|t| fits(c.1, t.time()))
                    else {
                        return Err("outside_hours");
                    };
                    self.check_r3_r4(*citizen, *svc)?;
                    self.check_day(*citizen, start.date(), s.group, None)?;
                }
                Ok(Effect::Request)
            }
            Op::Withdraw { citizen, request } => {
                let Some(k) = *request else {
                    return Err("not_found");
                };
                let r = &self.requests[k];
                if r.citizen != *citizen {
                    return Err("not_found");
                }
                if r.st == RSt::Withdrawn {
                    return Ok(Effect::Withdraw);
                }
                if !self.draws[r.draw].open || r.st != RSt::Pending {
                    return Err("draw_closed");
                }
                Ok(Effect::Withdraw)
            }
            Op::Join {
                citizen,
                center,
                svc,
                date,
                time,
            } => {
                let s = &SERVICES[*svc];
                if s.kind != CENTERS[*center].kind {
                    return Err("wrong_center_kind");
                }
                let today = self.now_local().date();
                if *date < today {
                    return Err("date_passed");
                }
                if *date > today + Duration::days(i64::from(p.horizon_days)) {
                    return Err("date_beyond");
                }
                if s.online {
                    return Err("service_online");
                }
                let offered = self.offered(*center, *svc, *date, *time);
                if offered.is_empty() {
                    return Err("outside_hours");
                }
                // A drawn day's free starts are the draw's, not free.
                if !self.drawn_open(*center, *date)
                    && offered
                        .iter()
                        .any(|t| self.place(*center, s, *t, None).is_ok())
                {
                    return Err("slots_available");
                }
                if self.entries.iter().any(|e| {
                    e.citizen == *citizen
                        && e.st == ESt::Waiting
                        && SERVICES[e.svc].kind == s.kind
                        && SERVICES[e.svc].group == s.group
                }) {
                    return Err("already_waiting");
                }
                if s.vehicle {
                    return Err("vehicle_required");
                }
                self.check_r3_r4(*citizen, *svc)?;
                Ok(Effect::Join)
            }
            Op::Leave { citizen, entry } => match entry {
                Some(k) if self.entries[*k].citizen == *citizen => Ok(Effect::Leave),
                _ => Err("not_found"),
            },
            Op::Book {
                citizen,
                center,
                svc,
                start,
                vehicle,
                key,
                ..
            } => {
                let s = &SERVICES[*svc];
                let c = &CENTERS[*center];
                let veh = vehicle.map(|v| VEHICLE_INPUTS[v].1);
                if matches!(veh, Some(VehIn::Invalid)) {
                    return Err("invalid_vehicle");
                }
                // A retry with a seen key replays (same request) or is
                // refused (another request), before any rule.
                if let Some(k) = key
                    && let Some((req, i)) = self.keys.get(&(*citizen, *k))
                {
                    return if *req == keyed(*center, *svc, *start, *vehicle) {
                        Ok(Effect::Replay(*i))
                    } else {
                        Err("idempotency_key_reused")
                    };
                }
                // R12: a date under a draw is requested, not booked.
                if self.drawn_open(*center, start.date()) {
                    return Err("draw_pending");
                }
                if s.online {
                    return Err("service_online");
                }
                if s.kind != c.kind {
                    return Err("wrong_center_kind");
                }
                if s.vehicle && veh.is_none() {
                    return Err("vehicle_required");
                }
                self.check_time(*start)?;
                // R3: one active booking per kind (and group).
                if self.bookings.iter().any(|b| {
                    b.citizen == *citizen
                        && b.st == St::Booked
                        && self.same_bucket(&SERVICES[b.svc], s)
                }) {
                    return Err("one_active_booking");
                }
                // R4: one creation per kind (and group) in the window;
                // the center's cancellations do not count.
                let window = i64::from(p.ten_day_window_days) * 86_400;
                if self.bookings.iter().any(|b| {
                    b.citizen == *citizen
                        && b.st != St::CancelledByCenter
                        && self.same_bucket(&SERVICES[b.svc], s)
                        && self.now < b.created + window
                }) {
                    return Err("ten_day_rule");
                }
                self.check_day(*citizen, start.date(), s.group, None)?;
                if s.vehicle {
                    match veh {
                        Some(VehIn::Known(k)) => {
                            if REGISTRY[k].2 != *citizen {
                                return Err("not_vehicle_owner");
                            }
                            if self
                                .bookings
                                .iter()
                                .any(|b| b.st == St::Booked && b.vehicle == Some(k))
                            {
                                return Err("vehicle_already_booked");
                            }
                        }
                        _ => return Err("vehicle_not_found"),
                    }
                }
                let (window, slots) = self.place(*center, s, *start, None)?;
                Ok(Effect::Book { window, slots })
            }
            Op::Reschedule {
                citizen,
                booking,
                center,
                start,
            } => {
                let Some(i) = *booking else {
                    return Err("not_found");
                };
                let b = &self.bookings[i];
                if b.citizen != *citizen {
                    return Err("not_found");
                }
                if b.st != St::Booked {
                    return Err("illegal_transition");
                }
                let to = center.unwrap_or(b.center);
                let s = &SERVICES[b.svc];
                if CENTERS[to].kind != s.kind {
                    return Err("wrong_center_kind");
                }
                if self.now >= to_unix(b.start) - i64::from(p.reschedule_cutoff_min) * 60 {
                    return Err("too_late");
                }
                if b.reschedules >= p.max_reschedules {
                    return Err("reschedule_limit");
                }
                self.check_time(*start)?;
                self.check_day(*citizen, start.date(), s.group, Some(i))?;
                if self.drawn_open(to, start.date()) {
                    return Err("draw_pending");
                }
                let (window, slots) = self.place(to, s, *start, Some(i))?;
                Ok(Effect::Move {
                    center: to,
                    window,
                    slots,
                })
            }
            Op::Cancel { citizen, booking } => {
                let Some(i) = *booking else {
                    return Err("not_found");
                };
                let b = &self.bookings[i];
                if b.citizen != *citizen {
                    return Err("not_found");
                }
                if b.st != St::Booked {
                    return Err("illegal_transition");
                }
                if self.now >= to_unix(b.start) - i64::from(p.cancel_cutoff_min) * 60 {
                    return Err("too_late");
                }
                Ok(Effect::Cancel { by_center: false })
            }
            Op::CenterCancel { booking } => {
                let Some(i) = *booking else {
                    return Err("not_found");
                };
                if self.bookings[i].st != St::Booked {
                    return Err("illegal_transition");
                }
                Ok(Effect::Cancel { by_center: true })
            }
        }
    }

    fn release(&mut self, i: usize) {
        for t in std::mem::take(&mut self.bookings[i].slots) {
            let w = self.bookings[i].window;
            assert_eq!(self.held.remove(&(w, t)), Some(i), "model: lost hold");
        }
    }

    fn hold(&mut self, i: usize, window: i64, slots: Vec<i64>) {
        for &t in &slots {
            assert!(
                self.held.insert((window, t), i).is_none(),
                "model: double hold"
            );
        }
        self.bookings[i].window = window;
        self.bookings[i].slots = slots;
    }

    /// Applies a successful operation; returns the affected booking index.
    fn apply(&mut self, op: &Op, effect: Effect, db_id: Option<i64>) -> Option<usize> {
        match (op, effect) {
            (Op::Advance { minutes }, Effect::Clock) => {
                self.now += minutes * 60;
                None
            }
            (
                Op::Join {
                    citizen,
                    center,
                    svc,
                    date,
                    time,
                },
                Effect::Join,
            ) => {
                self.entries.push(MEntry {
                    db_id: db_id.unwrap(),
                    citizen: *citizen,
                    center: *center,
                    svc: *svc,
                    date: *date,
                    time: *time,
                    st: ESt::Waiting,
                    served: None,
                });
                None
            }
            (
                Op::OpenDraw {
                    center,
                    dates,
                    minutes,
                },
                Effect::OpenDraw,
            ) => {
                self.draws.push(MDraw {
                    db_id: db_id.unwrap(),
                    center: *center,
                    dates: dates.clone(),
                    closes: self.now + minutes * 60,
                    open: true,
                });
                None
            }
            (
                Op::Request {
                    citizen,
                    draw,
                    svc,
                    choices,
                },
                Effect::Request,
            ) => {
                self.requests.push(MRequest {
                    db_id: db_id.unwrap(),
                    public_id: String::new(),
                    citizen: *citizen,
                    draw: *draw,
                    svc: *svc,
                    choices: choices.clone(),
                    st: RSt::Pending,
                    booking: None,
                    position: None,
                });
                None
            }
            (Op::Withdraw { request, .. }, Effect::Withdraw) => {
                let k = request.unwrap();
                if self.requests[k].st == RSt::Pending {
                    self.requests[k].st = RSt::Withdrawn;
                }
                None
            }
            (Op::Leave { entry, .. }, Effect::Leave) => {
                let k = entry.unwrap();
                if self.entries[k].st == ESt::Waiting {
                    self.entries[k].st = ESt::Left;
                }
                None
            }
            (
                Op::Book {
                    citizen,
                    center,
                    svc,
                    start,
                    vehicle,
                    key,
                    ..
                },
                Effect::Book { window, slots },
            ) => {
                let i = self.bookings.len();
                if let Some(k) = key {
                    self.keyed_ops.push(op.clone());
                    self.keys
                        .insert((*citizen, *k), (keyed(*center, *svc, *start, *vehicle), i));
                }
                self.bookings.push(MBooking {
                    db_id: db_id.unwrap(),
                    citizen: *citizen,
                    center: *center,
                    svc: *svc,
                    start: *start,
                    window,
                    slots: Vec::new(),
                    st: St::Booked,
                    reschedules: 0,
                    created: self.now,
                    vehicle: vehicle.and_then(|v| match VEHICLE_INPUTS[v].1 {
                        VehIn::Known(k) => Some(k),
                        _ => None,
                    }),
                });
                self.hold(i, window, slots);
                Some(i)
            }
            (
                Op::Reschedule { booking, start, .. },
                Effect::Move {
                    center,
                    window,
                    slots,
                },
            ) => {
                let i = booking.unwrap();
                let (old_center, old_date) =
                    (self.bookings[i].center, self.bookings[i].start.date());
                self.release(i);
                self.hold(i, window, slots);
                let b = &mut self.bookings[i];
                b.center = center;
                b.start = *start;
                b.reschedules += 1;
                self.serve(old_center, old_date);
                Some(i)
            }
            (
                Op::Cancel { booking, .. } | Op::CenterCancel { booking },
                Effect::Cancel { by_center },
            ) => {
                let i = booking.unwrap();
                self.release(i);
                self.bookings[i].st = if by_center {
                    St::CancelledByCenter
                } else {
                    St::CancelledByCitizen
                };
                let (center, date) = (self.bookings[i].center, self.bookings[i].start.date());
                self.serve(center, date);
                Some(i)
            }
            (Op::Book { .. }, Effect::Replay(i)) => Some(i),
            (op, e) => panic!("model: {op:?} cannot have {e:?}"),
        }
    }
}

// --------------------------------------------------------------- harness

struct World {
    app: TestApp,
    centers: Vec<i64>,
    citizens: Vec<(i64, Iin)>,
    windows: Vec<Vec<Win>>,
}

fn outcome_code(e: &ServiceError) -> String {
    match e {
        ServiceError::Refused(r) => r.code().to_owned(),
        ServiceError::NotFound => "not_found".into(),
        ServiceError::Invalid(c) => c.as_str().to_owned(),
        ServiceError::BadRequest(kezek_domain::input::BadInput::DatePassed) => "date_passed".into(),
        ServiceError::BadRequest(kezek_domain::input::BadInput::DateBeyond { .. }) => {
            "date_beyond".into()
        }
        ServiceError::BadRequest(kezek_domain::input::BadInput::DrawExists { .. }) => {
            "draw_exists".into()
        }
        ServiceError::BadRequest(_) => "bad_request".into(),
        other => format!("{other:?}"),
    }
}

async fn setup() -> World {
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    // The fixture is what the model assumes.
    let mut centers = Vec::new();
    let mut windows = Vec::new();
    for c in CENTERS {
        let id = center_id(&app, c.slug).await;
        centers::Entity::update_many()
            .col_expr(
                centers::Column::CapacityCap,
                Expr::value(c.cap.map(|x| x as i32)),
            )
            .filter(centers::Column::Id.eq(id))
            .exec(db)
            .await
            .unwrap();
        let row = centers::Entity::find_by_id(id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (row.kind.as_str(), row.slot_minutes, row.timezone.as_str()),
            (c.kind.db(), SLOT_MIN as i32, "Asia/Almaty"),
            "{}",
            c.slug
        );
        // Weekly hours as `hours` says, no window hours, breaks or dated
        // exceptions.
        let weekly: BTreeSet<(Option<i64>, i32, i32, i32)> = opening_hours::Entity::find()
            .filter(opening_hours::Column::CenterId.eq(id))
            .all(db)
            .await
            .unwrap()
            .into_iter()
            .map(|h| (h.window_id, h.weekday, h.open_min, h.close_min))
            .collect();
        let monday = date("2026-11-30");
        let want: BTreeSet<(Option<i64>, i32, i32, i32)> = (0..7)
            .filter_map(|k| {
                hours(c, monday + Duration::days(k))
                    .map(|(o, cl)| (None, k as i32, o as i32, cl as i32))
            })
            .collect();
        assert_eq!(weekly, want, "{} opening hours", c.slug);
        let brk = breaks::Entity::find()
            .filter(breaks::Column::CenterId.eq(id))
            .all(db)
            .await
            .unwrap();
        let exc = center_exceptions::Entity::find()
            .filter(center_exceptions::Column::CenterId.eq(id))
            .all(db)
            .await
            .unwrap();
        assert!(brk.is_empty() && exc.is_empty(), "{}", c.slug);
        let layout = match c.kind {
            Kind::Psc => PSC_WINDOWS,
            Kind::Auto => AUTO_WINDOWS,
        };
        let mut wins = Vec::new();
        for (k, served) in layout.iter().enumerate() {
            let number = k as i32 + 1;
            let wid = window_id(&app, id, number).await;
            let stored: BTreeSet<String> = window_services::Entity::find()
                .filter(window_services::Column::WindowId.eq(wid))
                .all(db)
                .await
                .unwrap()
                .into_iter()
                .map(|r| r.service_code)
                .collect();
            let want: BTreeSet<String> = served.iter().map(|s| (*s).to_owned()).collect();
            assert_eq!(stored, want, "{} window {number}", c.slug);
            wins.push(Win {
                id: wid,
                number,
                services: served.to_vec(),
            });
        }
        centers.push(id);
        windows.push(wins);
    }
    for s in SERVICES {
        let row = services::Entity::find_by_id(s.code.to_owned())
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (
                row.center_kind.as_str(),
                row.grp.as_str(),
                row.duration_min,
                row.online_available,
                row.requires_vehicle,
                row.active
            ),
            (
                s.kind.db(),
                s.group.db(),
                s.minutes as i32,
                s.online,
                s.vehicle,
                true
            ),
            "service {}",
            s.code
        );
    }
    let off: BTreeSet<String> = national_days::Entity::find()
        .filter(national_days::Column::Date.gte("2026-12-01"))
        .filter(national_days::Column::Date.lte("2027-01-31"))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            assert_eq!(r.kind, "day_off", "{}", r.date);
            r.date
        })
        .collect();
    let want: BTreeSet<String> = DAYS_OFF.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(off, want, "national days off");
    let mut citizens = Vec::new();
    for n in 0..CITIZENS {
        let phone = format!("+770155{:05}", n);
        citizens.push(common::insert_citizen(&app, &citizen_iin(n), &phone, "en").await);
    }
    World {
        app,
        centers,
        citizens,
        windows,
    }
}

/// Empties the booking tables and sets the clock and the policy.
async fn reset(w: &World, p: &Policy) {
    let db = &w.app.state.db;
    for t in [
        "booking_reminders",
        "booking_history",
        "booking_slots",
        "outbox",
        "idempotency_keys",
        "waitlist_entries",
        "draw_requests",
        "draw_dates",
        "draws",
        "bookings",
    ] {
        db.execute_unprepared(&format!("DELETE FROM {t}"))
            .await
            .unwrap();
    }
    policy::Entity::delete_many().exec(db).await.unwrap();
    policy::Entity::insert(policy::ActiveModel {
        id: Set(1),
        value: Set(serde_json::to_string(p).unwrap()),
        updated_at: Set(0),
    })
    .exec(db)
    .await
    .unwrap();
    // As the admin path does after a policy change.
    w.app.state.read_cache.clear();
    w.app.clock.set(default_now());
}

fn rfc3339(t: NaiveDateTime, utc: bool) -> String {
    if utc {
        format!("{}Z", (t - Duration::hours(5)).format("%Y-%m-%dT%H:%M:%S"))
    } else {
        format!("{}+05:00", t.format("%Y-%m-%dT%H:%M:%S"))
    }
}

/// Runs `op` on the real use cases: the booking returned (and whether it
/// was an idempotent replay), or the outcome code.
async fn run_op(w: &World, m: &Model, op: &Op) -> Result<Option<(BookingView, bool)>, String> {
    let st = &w.app.state;
    let id_of = |b: &Option<usize>| b.map_or(MISSING_ID, |i| m.bookings[i].db_id);
    let r = match op {
        Op::Advance { minutes } => {
            w.app
                .clock
                .set(DateTime::from_timestamp(m.now + minutes * 60, 0).unwrap());
            // The draw job's pass, as the server runs it every few seconds.
            return draw_run::run_due(st)
                .await
                .map(|_| None)
                .map_err(|e| outcome_code(&e));
        }
        Op::Book {
            citizen,
            center,
            svc,
            start,
            utc,
            vehicle,
            key,
        } => book(
            st,
            BookInput {
                citizen_id: CitizenId::new(w.citizens[*citizen].0),
                iin: w.citizens[*citizen].1,
                center_id: CenterId::new(w.centers[*center]),
                service: SERVICES[*svc].code.into(),
                start: rfc3339(*start, *utc),
                vehicle: vehicle.map(|v| VEHICLE_INPUTS[v].0.to_owned()),
                idempotency_key: key.map(|k| format!("k{k}")),
            },
            Lang::En,
        )
        .await
        .map(|b| (b.booking, b.replayed)),
        Op::Reschedule {
            citizen,
            booking,
            center,
            start,
        } => reschedule(
            st,
            RescheduleInput {
                citizen_id: CitizenId::new(w.citizens[*citizen].0),
                booking_id: BookingId::new(id_of(booking)),
                start: rfc3339(*start, false),
                center_id: center.map(|c| CenterId::new(w.centers[c])),
            },
            Lang::En,
        )
        .await
        .map(|v| (v, false)),
        Op::Cancel { citizen, booking } => cancel(
            st,
            BookingId::new(id_of(booking)),
            Canceller::Citizen(CitizenId::new(w.citizens[*citizen].0)),
            Lang::En,
        )
        .await
        .map(|v| (v, false)),
        Op::Join { .. }
        | Op::Leave { .. }
        | Op::OpenDraw { .. }
        | Op::Request { .. }
        | Op::Withdraw { .. } => return Err("run_wait_op".into()),
        Op::CenterCancel { booking } => cancel(
            st,
            BookingId::new(id_of(booking)),
            Canceller::Center {
                actor: "model-test".into(),
                reason: "model-based test".into(),
            },
            Lang::En,
        )
        .await
        .map(|v| (v, false)),
    };
    r.map(Some).map_err(|e| outcome_code(&e))
}

/// Runs a waiting-list operation: the entry's database id, or the outcome
/// code.
async fn run_wait_op(w: &World, m: &Model, op: &Op) -> Result<Option<i64>, String> {
    let st = &w.app.state;
    let r = match op {
        Op::Join {
            citizen,
            center,
            svc,
            date,
            time,
        } => {
            let day = date.format("%Y-%m-%d").to_string();
            let t = time.map(|t| t.format("%H:%M").to_string());
            waitlist::join(
                st,
                JoinInput {
                    citizen_id: CitizenId::new(w.citizens[*citizen].0),
                    iin: w.citizens[*citizen].1,
                    service: SERVICES[*svc].code.into(),
                    center_id: Some(CenterId::new(w.centers[*center])),
                    city: None,
                    from: day.clone(),
                    to: day,
                    time_from: t.clone(),
                    time_to: t,
                    booking_id: None,
                    vehicle: None,
                },
                Lang::En,
            )
            .await
        }
        Op::Leave { citizen, entry } => {
            waitlist::leave(
                st,
                CitizenId::new(w.citizens[*citizen].0),
                entry.map_or(MISSING_ID, |k| m.entries[k].db_id),
                Lang::En,
            )
            .await
        }
        _ => return Err("not a waiting-list operation".into()),
    };
    r.map(|v| v.id.parse().ok()).map_err(|e| outcome_code(&e))
}

/// Runs a draw operation: the draw's or request's database id and the
/// request's public id, or the outcome code.
async fn run_draw_op(w: &World, m: &Model, op: &Op) -> Result<(i64, String), String> {
    let st = &w.app.state;
    let day = |d: &NaiveDate| d.format("%Y-%m-%d").to_string();
    let id = |s: &str| s.parse::<i64>().map_err(|e| format!("id {s:?}: {e}"));
    match op {
        Op::OpenDraw {
            center,
            dates,
            minutes,
        } => {
            let v = draw_admin::create(st, &[w.centers[*center]], dates, Some(*minutes))
                .await
                .map_err(|e| outcome_code(&e))?;
            Ok((id(&v.id)?, String::new()))
        }
        Op::Request {
            citizen,
            draw,
            svc,
            choices,
        } => {
            let center = m.draws[*draw].center;
            let v = draw_uc::submit(
                st,
                RequestInput {
                    citizen_id: CitizenId::new(w.citizens[*citizen].0),
                    iin: w.citizens[*citizen].1,
                    draw_id: m.draws[*draw].db_id,
                    service: SERVICES[*svc].code.into(),
                    choices: choices
                        .iter()
                        .map(|c| ChoiceInput {
                            center_id: Some(w.centers[center]),
                            date: day(&c.0),
                            time_from: c.1.map(|r| r.0.format("%H:%M").to_string()),
                            time_to: c.1.map(|r| r.1.format("%H:%M").to_string()),
                        })
                        .collect(),
                    vehicle: None,
                },
                Lang::En,
            )
            .await
            .map_err(|e| outcome_code(&e))?;
            Ok((id(&v.id)?, v.public_id))
        }
        Op::Withdraw { citizen, request } => {
            let v = draw_uc::withdraw(
                st,
                CitizenId::new(w.citizens[*citizen].0),
                request.map_or(MISSING_ID, |k| m.requests[k].db_id),
                Lang::En,
            )
            .await
            .map_err(|e| outcome_code(&e))?;
            Ok((id(&v.id)?, v.public_id))
        }
        _ => Err("not a draw operation".into()),
    }
}

/// After the clock moved: every draw the model holds open whose close has
/// passed must have run in the database; the model runs it too, in the
/// order computed here from the seed the database published, and learns
/// the database ids of the bookings it made.
async fn run_model_draws(w: &World, m: &mut Model, stats: &mut Stats) -> Result<(), String> {
    let db = &w.app.state.db;
    for k in 0..m.draws.len() {
        if !m.draws[k].open || m.draws[k].closes > m.now {
            continue;
        }
        let row = draws::Entity::find_by_id(m.draws[k].db_id)
            .one(db)
            .await
            .map_err(|e| e.to_string())?
            .ok_or("a draw row is missing")?;
        if row.status != "done" {
            return Err(format!(
                "draw {k} (id {}) is {:?} after its close passed and the job ran",
                row.id, row.status
            ));
        }
        let mut keyed: Vec<(String, usize)> = (0..m.requests.len())
            .filter(|&i| m.requests[i].draw == k && m.requests[i].st == RSt::Pending)
            .map(|i| {
                let mut h = Sha256::new();
                h.update(row.seed.as_bytes());
                h.update(m.requests[i].public_id.as_bytes());
                (hex::encode(h.finalize()), i)
            })
            .collect();
        keyed.sort();
        let order: Vec<usize> = keyed.into_iter().map(|(_, i)| i).collect();
        m.run_draw(k, &order);
        for &i in &order {
            let what = if m.requests[i].st == RSt::Matched {
                "draw:matched"
            } else {
                "draw:unmatched"
            };
            *stats.by_op.entry(what.into()).or_default() += 1;
        }
        for i in std::mem::take(&mut m.drawn_now) {
            let r = draw_requests::Entity::find_by_id(m.requests[i].db_id)
                .one(db)
                .await
                .map_err(|e| e.to_string())?;
            let b = m.requests[i]
                .booking
                .ok_or("model: matched without a booking")?;
            m.bookings[b].db_id = r.and_then(|r| r.booking_id).unwrap_or(-1);
        }
    }
    Ok(())
}

/// The database ids of the bookings the waiting list made in the last
/// operation, read from the entries they served (-1 when the database
/// did not serve it: `check_db` then reports the difference).
async fn learn_served(w: &World, m: &mut Model) -> Result<(), String> {
    for i in std::mem::take(&mut m.served_now) {
        let k = m
            .entries
            .iter()
            .position(|e| e.served == Some(i))
            .ok_or("model: a served booking without its entry")?;
        let row = waitlist_entries::Entity::find_by_id(m.entries[k].db_id)
            .one(&w.app.state.db)
            .await
            .map_err(|e| e.to_string())?;
        m.bookings[i].db_id = row.and_then(|r| r.served_booking_id).unwrap_or(-1);
    }
    Ok(())
}

/// The returned booking is the model's booking `i`.
fn check_view(w: &World, m: &Model, i: usize, v: &BookingView) -> Result<(), String> {
    let b = &m.bookings[i];
    let win = w.windows[b.center]
        .iter()
        .find(|x| x.id == b.window)
        .map(|x| x.number);
    let want = (
        b.db_id.to_string(),
        w.centers[b.center].to_string(),
        SERVICES[b.svc].code.to_owned(),
        rfc3339(b.start, false),
        if b.st == St::Booked {
            "Booked"
        } else {
            "Cancelled"
        }
        .to_owned(),
        win,
        b.reschedules,
    );
    let got = (
        v.id.clone(),
        v.center_id.clone(),
        v.service.clone(),
        v.start.clone(),
        v.status.clone(),
        v.window,
        v.reschedule_count,
    );
    if want == got {
        Ok(())
    } else {
        Err(format!(
            "returned booking differs\n  model (id, center, service, start, status, window, reschedules): {want:?}\n  returned: {got:?}"
        ))
    }
}

/// The database equals the model, and the stored rows keep the
/// invariants.
async fn check_db(w: &World, m: &Model) -> Result<(), String> {
    let db = &w.app.state.db;
    let rows: HashMap<i64, bookings::Model> = bookings::Entity::find()
        .all(db)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|b| (b.id, b))
        .collect();
    let mut errs = Vec::new();
    if rows.len() != m.bookings.len() {
        errs.push(format!(
            "{} booking rows, the model has {}",
            rows.len(),
            m.bookings.len()
        ));
    }
    for (i, b) in m.bookings.iter().enumerate() {
        let Some(r) = rows.get(&b.db_id) else {
            errs.push(format!("booking #{i} (id {}) is missing", b.db_id));
            continue;
        };
        let s = &SERVICES[b.svc];
        let (status, by) = match b.st {
            St::Booked => ("Booked", None),
            St::CancelledByCitizen => ("Cancelled", Some("Citizen")),
            St::CancelledByCenter => ("Cancelled", Some("Center")),
        };
        let start = to_unix(b.start);
        let want = (
            (
                w.citizens[b.citizen].0,
                w.centers[b.center],
                s.code,
                s.kind.db(),
                s.group.db(),
                b.window,
            ),
            (
                start,
                start + i64::from(s.minutes) * 60,
                b.start.date().format("%Y-%m-%d").to_string(),
                status,
                by,
            ),
            (
                b.reschedules as i32,
                b.created,
                b.vehicle.map(|k| REGISTRY[k].0),
                b.vehicle.map(|k| REGISTRY[k].1),
            ),
        );
        let got = (
            (
                r.citizen_id,
                r.center_id,
                r.service_code.as_str(),
                r.center_kind.as_str(),
                r.grp.as_str(),
                r.window_id,
            ),
            (
                r.start_at,
                r.end_at,
                r.local_date.clone(),
                r.status.as_str(),
                r.cancelled_by.as_deref(),
            ),
            (
                r.reschedule_count,
                r.created_at,
                r.vehicle_plate.as_deref(),
                r.vehicle_vin.as_deref(),
            ),
        );
        if want != got {
            errs.push(format!(
                "booking #{i} differs\n    model: {want:?}\n    db:    {got:?}"
            ));
        }
    }
    let slots = booking_slots::Entity::find()
        .all(db)
        .await
        .map_err(|e| e.to_string())?;
    let db_held: BTreeSet<(i64, i64, i64, i64)> = slots
        .iter()
        .map(|s| (s.window_id, s.slot_start, s.booking_id, s.center_id))
        .collect();
    let model_held: BTreeSet<(i64, i64, i64, i64)> = m
        .held
        .iter()
        .map(|(&(wid, t), &i)| (wid, t, m.bookings[i].db_id, w.centers[m.window_center(wid)]))
        .collect();
    if db_held != model_held || slots.len() != db_held.len() {
        errs.push(format!(
            "booking_slots differ\n    only in db:    {:?}\n    only in model: {:?}",
            db_held.difference(&model_held).collect::<Vec<_>>(),
            model_held.difference(&db_held).collect::<Vec<_>>()
        ));
    }
    // No slot of a center over its windows or its cap.
    let mut per_slot: HashMap<(i64, i64), u32> = HashMap::new();
    for s in &slots {
        *per_slot.entry((s.center_id, s.slot_start)).or_default() += 1;
    }
    for ((center, t), n) in per_slot {
        let c = w.centers.iter().position(|&x| x == center).unwrap();
        let limit = CENTERS[c]
            .cap
            .unwrap_or(u32::MAX)
            .min(w.windows[c].len() as u32);
        if n > limit {
            errs.push(format!(
                "{} holds {n} window-slots at {} (limit {limit})",
                CENTERS[c].slug,
                to_local(t)
            ));
        }
    }
    // The waiting list: every entry's state, and the booking that served it.
    let entries: HashMap<i64, waitlist_entries::Model> = waitlist_entries::Entity::find()
        .all(db)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    if entries.len() != m.entries.len() {
        errs.push(format!(
            "{} waiting entries, the model has {}",
            entries.len(),
            m.entries.len()
        ));
    }
    for (k, e) in m.entries.iter().enumerate() {
        let want = (
            match e.st {
                ESt::Waiting => "waiting",
                ESt::Left => "left",
                ESt::Served => "served",
            },
            e.served.map(|i| m.bookings[i].db_id),
        );
        let got = entries
            .get(&e.db_id)
            .map(|r| (r.status.as_str(), r.served_booking_id));
        if got != Some(want) {
            errs.push(format!(
                "entry {k} (id {}) differs\n    model: {want:?}\n    db:    {got:?}",
                e.db_id
            ));
        }
    }
    // Draw requests: state, the booking a match made, the place in the
    // order.
    let reqs: HashMap<i64, draw_requests::Model> = draw_requests::Entity::find()
        .all(db)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    if reqs.len() != m.requests.len() {
        errs.push(format!(
            "{} draw requests, the model has {}",
            reqs.len(),
            m.requests.len()
        ));
    }
    for (k, r) in m.requests.iter().enumerate() {
        let want = (
            match r.st {
                RSt::Pending => "pending",
                RSt::Matched => "matched",
                RSt::Unmatched => "unmatched",
                RSt::Withdrawn => "withdrawn",
            },
            r.booking.map(|i| m.bookings[i].db_id),
            r.position.map(|p| p as i32),
        );
        let got = reqs
            .get(&r.db_id)
            .map(|x| (x.status.as_str(), x.booking_id, x.position));
        if got != Some(want) {
            errs.push(format!(
                "request {k} (id {}) differs\n    model: {want:?}\n    db:    {got:?}",
                r.db_id
            ));
        }
    }
    // R3 and R5 over the stored rows.
    let mut active: HashMap<(i64, &str, &str), u32> = HashMap::new();
    let mut per_day: HashMap<(i64, &str), u32> = HashMap::new();
    for r in rows.values().filter(|r| r.status == "Booked") {
        let g = if m.policy.one_per_group_per_day {
            r.grp.as_str()
        } else {
            "*"
        };
        *active
            .entry((r.citizen_id, r.center_kind.as_str(), g))
            .or_default() += 1;
        *per_day
            .entry((r.citizen_id, r.local_date.as_str()))
            .or_default() += 1;
    }
    if let Some(x) = active.iter().find(|(_, n)| **n > 1) {
        errs.push(format!("R3 broken in the database: {x:?}"));
    }
    if let Some(x) = per_day.iter().find(|(_, n)| **n > m.policy.per_day_limit) {
        errs.push(format!("R5 broken in the database: {x:?}"));
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs.join("\n  "))
    }
}

/// Runs one seeded sequence; `Err` carries the report.
async fn run_sequence(w: &World, seed: u64, ops: usize, stats: &mut Stats) -> Result<(), String> {
    let (pname, p) = policy_for(seed);
    reset(w, &p).await;
    let mut rng = Rng::new(seed);
    let mut m = Model {
        policy: p,
        now: default_now().timestamp(),
        bookings: Vec::new(),
        held: BTreeMap::new(),
        windows: w.windows.clone(),
        keys: HashMap::new(),
        keyed_ops: Vec::new(),
        entries: Vec::new(),
        served_now: Vec::new(),
        draws: Vec::new(),
        requests: Vec::new(),
        drawn_now: Vec::new(),
    };
    let mut log = String::new();
    let mut advanced = 0;
    let fail = |log: &str, n: usize, what: String| {
        format!(
            "model-based test: mismatch in sequence seed={seed} (policy {pname}) at op {n}\n\
             reproduce: KEZEK_MODEL_SEED={seed} cargo test -p kezek-core --test usecases model_based\n\
             operations (model index #i, database id):\n{log}  {what}"
        )
    };
    for n in 0..ops {
        let op = gen_op(&mut rng, &m, advanced);
        if let Op::Advance { minutes } = op {
            advanced += minutes;
        }
        let text = describe(&m, &op);
        let expected = m.expect(&op);
        let mut entry_id = None;
        let mut public_id = String::new();
        let actual = if matches!(op, Op::Join { .. } | Op::Leave { .. }) {
            run_wait_op(w, &m, &op).await.map(|id| {
                entry_id = id;
                None
            })
        } else if matches!(
            op,
            Op::OpenDraw { .. } | Op::Request { .. } | Op::Withdraw { .. }
        ) {
            run_draw_op(w, &m, &op).await.map(|(id, p)| {
                entry_id = Some(id);
                public_id = p;
                None
            })
        } else {
            run_op(w, &m, &op).await
        };
        let want_code = match &expected {
            Ok(_) => "ok".to_owned(),
            Err(c) => (*c).to_owned(),
        };
        let got_code = match &actual {
            Ok(_) => "ok".to_owned(),
            Err(c) => c.clone(),
        };
        *stats.outcomes.entry(got_code.clone()).or_default() += 1;
        *stats
            .by_op
            .entry(format!("{}:{got_code}", op_name(&op)))
            .or_default() += 1;
        let _ = writeln!(
            log,
            "  {n:>3}. [{}] {text} -> {got_code}",
            to_local(m.now).format("%m-%d %H:%M")
        );
        if want_code != got_code {
            return Err(fail(
                &log,
                n,
                format!("expected {want_code}, got {got_code}"),
            ));
        }
        if let (Ok(effect), Ok(view)) = (expected, actual) {
            let replay = matches!(effect, Effect::Replay(_));
            if replay {
                *stats.by_op.entry("book:replayed".into()).or_default() += 1;
            }
            let db_id = view
                .as_ref()
                .and_then(|(v, _)| v.id.parse().ok())
                .or(entry_id);
            let applied = m.apply(&op, effect, db_id);
            if let Op::Request { .. } = op
                && let Some(r) = m.requests.last_mut()
            {
                r.public_id = std::mem::take(&mut public_id);
            }
            if let Op::Advance { .. } = op {
                run_model_draws(w, &mut m, stats)
                    .await
                    .map_err(|e| fail(&log, n, e))?;
            }
            if !m.served_now.is_empty() {
                *stats.by_op.entry("waitlist:served".into()).or_default() +=
                    m.served_now.len() as u32;
                learn_served(w, &mut m)
                    .await
                    .map_err(|e| fail(&log, n, e))?;
            }
            if let Some(i) = applied
                && let Some((v, replayed)) = &view
            {
                if *replayed != replay {
                    return Err(fail(
                        &log,
                        n,
                        format!("replayed: expected {replay}, got {replayed}"),
                    ));
                }
                check_view(w, &m, i, v).map_err(|e| fail(&log, n, e))?;
            }
        }
        if (n + 1) % CHECK_EVERY == 0 || n + 1 == ops {
            check_db(w, &m)
                .await
                .map_err(|e| fail(&log, n, format!("database differs from the model:\n  {e}")))?;
        }
    }
    Ok(())
}

#[derive(Default)]
struct Stats {
    outcomes: BTreeMap<String, u32>,
    by_op: BTreeMap<String, u32>,
}

fn op_name(op: &Op) -> &'static str {
    match op {
        Op::Book { .. } => "book",
        Op::Reschedule { .. } => "reschedule",
        Op::Cancel { .. } => "cancel",
        Op::CenterCancel { .. } => "center-cancel",
        Op::Join { .. } => "join",
        Op::Leave { .. } => "leave",
        Op::Advance { .. } => "advance",
        Op::OpenDraw { .. } => "open-draw",
        Op::Request { .. } => "request",
        Op::Withdraw { .. } => "withdraw",
    }
}

fn env_num(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_operation_sequences_match_the_model() {
    let started = std::time::Instant::now();
    let w = setup().await;
    let seeds: Vec<u64> = match env_num("KEZEK_MODEL_SEED") {
        Some(s) => vec![s],
        None => (0..env_num("KEZEK_MODEL_SEQS").unwrap_or(DEFAULT_SEQS)).collect(),
    };
    let ops = env_num("KEZEK_MODEL_OPS").map_or(DEFAULT_OPS, |n| n as usize);
    let mut stats = Stats::default();
    let mut failure = None;
    for &seed in &seeds {
        if let Err(report) = run_sequence(&w, seed, ops, &mut stats).await {
            failure = Some(report);
            break;
        }
    }
    let backend = if w.app.db.is_postgres() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    w.app.stop().await;
    if let Some(report) = failure {
        panic!("{report}");
    }
    eprintln!(
        "model-based: {} sequences × {ops} ops on {backend} in {:.1} s; outcomes: {:?}",
        seeds.len(),
        started.elapsed().as_secs_f64(),
        stats.by_op
    );
    // The generator must reach the interesting outcomes, or the test
    // proves little.
    if seeds.len() as u64 >= DEFAULT_SEQS {
        for code in [
            "ok",
            "slot_full",
            "one_active_booking",
            "ten_day_rule",
            "same_group_same_day",
            "two_per_day",
            "too_late",
            "outside_horizon",
            "outside_hours",
            "center_closed",
            "wrong_center_kind",
            "service_online",
            "reschedule_limit",
            "illegal_transition",
            "not_found",
            "not_vehicle_owner",
            "vehicle_not_found",
            "vehicle_required",
            "invalid_vehicle",
            "idempotency_key_reused",
            "slots_available",
            "already_waiting",
            "draw_pending",
            "draw_closed",
            "already_requested",
        ] {
            assert!(
                stats.outcomes.get(code).copied().unwrap_or(0) > 0,
                "the generator never produced {code}: {:?}",
                stats.outcomes
            );
        }
        assert!(
            stats.by_op.get("book:replayed").copied().unwrap_or(0) > 0,
            "the generator never replayed a keyed request"
        );
        for what in [
            "join:ok",
            "leave:ok",
            "waitlist:served",
            "open-draw:ok",
            "request:ok",
            "withdraw:ok",
            "draw:matched",
            "draw:unmatched",
        ] {
            assert!(
                stats.by_op.get(what).copied().unwrap_or(0) > 0,
                "the generator never reached {what}: {:?}",
                stats.by_op
            );
        }
    }
}
