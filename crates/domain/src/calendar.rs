//! Opening hours, closures, the national calendar of Kazakhstan and time
//! zones.
//!
//! # How a day's hours are decided ([`opening_intervals`])
//!
//! 1. A center exception for the date wins: `Closed` → closed; `Hours` →
//!    exactly those hours (this is also how a center opens on a national
//!    day off); `WorkAs(weekday)` → that weekday's weekly hours;
//!    `Shortened { close }` → the hours steps 2–3 give, cut at `close`.
//! 2. National calendar: a `DayOff` → closed. A `WorkingDay` (a Saturday
//!    or Sunday declared working by decree) → the center works the hours of
//!    the weekday of the date it `replaces` if that is Monday–Friday, else
//!    its Monday hours. *Decision:* a transferred working day is a full
//!    working day for everyone, so the center works weekday hours even if
//!    it has (shorter) Saturday hours.
//! 3. Otherwise the weekly hours of the date's weekday.
//!
//! Intervals are `[open, close)` pairs of center-local times, normalized
//! (sorted, empty ones dropped, overlaps merged). Midnight cannot be a
//! closing time: a center open until midnight closes at 23:59. Breaks
//! (e.g. lunch) are kept apart from the hours: the slot grid starts at each
//! opening time and skips slots touching a break (`crate::capacity`).
//!
//! Windows may have their own weekly hours ([`window_intervals`]); the
//! center's exceptions and the national calendar apply to them too, and a
//! window never works outside the center's hours.
//!
//! # National calendar
//!
//! [`NationalCalendar`] is editable data (decrees change it late);
//! [`NationalCalendar::generate`] proposes a year per DOMAIN.md: fixed days
//! off, secular ones on a Saturday or Sunday moved to the next working day
//! (a weekday that is not already a day off, so 21–23 March over a weekend
//! cascade correctly), religious ones (7 January, Kurban Ait) never moved.
//!
//! # Time zones
//!
//! Each center carries a [`Tz`]; bookings are stored in UTC and shown in
//! the center's zone. All of Kazakhstan is UTC+5 since 2024-03-01 (tzdata
//! 2024a+); the bundled chrono-tz data is checked by a test.

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// A `[open, close)` pair of center-local times.
pub type Interval = (NaiveTime, NaiveTime);

/// Invalid calendar input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// An interval whose close is not after its open.
    #[error("an interval must close after it opens")]
    EmptyInterval,
}

/// Sorts, drops empty intervals and merges overlapping or touching ones.
pub fn normalize(mut v: Vec<Interval>) -> Vec<Interval> {
    v.retain(|(o, c)| o < c);
    v.sort_unstable();
    let mut out: Vec<Interval> = Vec::with_capacity(v.len());
    for (o, c) in v {
        match out.last_mut() {
            Some(last) if o <= last.1 => last.1 = last.1.max(c),
            _ => out.push((o, c)),
        }
    }
    out
}

/// The intersection of two normalized interval lists.
pub fn intersect(a: &[Interval], b: &[Interval]) -> Vec<Interval> {
    let mut out = Vec::new();
    for &(ao, ac) in a {
        for &(bo, bc) in b {
            let (o, c) = (ao.max(bo), ac.min(bc));
            if o < c {
                out.push((o, c));
            }
        }
    }
    normalize(out)
}

/// Opening hours for each weekday.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct WeeklyHours {
    /// Index 0 = Monday … 6 = Sunday.
    days: [Vec<Interval>; 7],
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

impl WeeklyHours {
    /// Closed every day.
    pub fn closed() -> Self {
        Self::default()
    }

    /// Sets one weekday's hours (validated, then normalized).
    pub fn set(&mut self, day: Weekday, intervals: Vec<Interval>) -> Result<(), CalendarError> {
        if intervals.iter().any(|(o, c)| o >= c) {
            return Err(CalendarError::EmptyInterval);
        }
        self.days[day.num_days_from_monday() as usize] = normalize(intervals);
        Ok(())
    }

    /// Builder form of [`WeeklyHours::set`].
    pub fn with(mut self, day: Weekday, intervals: Vec<Interval>) -> Result<Self, CalendarError> {
        self.set(day, intervals)?;
        Ok(self)
    }

    /// One weekday's hours.
    pub fn get(&self, day: Weekday) -> &[Interval] {
        &self.days[day.num_days_from_monday() as usize]
    }

    /// Typical PSC: Monday–Friday 09:00–18:00, no lunch break.
    pub fn typical_psc() -> Self {
        let mut w = Self::default();
        for d in 0..5 {
            w.days[d] = vec![(hm(9, 0), hm(18, 0))];
        }
        w
    }

    /// Typical duty PSC / autoPSC: Monday–Friday 09:00–20:00, Saturday
    /// 09:00–13:00.
    pub fn typical_duty() -> Self {
        let mut w = Self::default();
        for d in 0..5 {
            w.days[d] = vec![(hm(9, 0), hm(20, 0))];
        }
        w.days[5] = vec![(hm(9, 0), hm(13, 0))];
        w
    }
}

/// A center's dated exception.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExceptionKind {
    /// Closed all day.
    Closed,
    /// The normal hours, cut at `close`.
    Shortened {
        /// New closing time.
        close: NaiveTime,
    },
    /// Exactly these hours (also opens a national day off).
    Hours(Vec<Interval>),
    /// Works the weekly hours of this weekday (a center-level transferred
    /// working day).
    WorkAs(Weekday),
}

/// A center's exception for one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateException {
    /// The date.
    pub date: NaiveDate,
    /// What happens.
    pub kind: ExceptionKind,
}

/// The kind of a national calendar entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DayKind {
    /// A public holiday or a moved day off: centers close.
    DayOff,
    /// A weekend day declared working (transferred).
    WorkingDay {
        /// The day off it was swapped with, if any: its weekday's hours are
        /// worked.
        replaces: Option<NaiveDate>,
    },
}

/// One entry of the national calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NationalEntry {
    /// The date.
    pub date: NaiveDate,
    /// Day off or working day.
    pub kind: DayKind,
    /// Human name, e.g. `Nauryz` or `Nauryz (moved day off)`.
    pub name: String,
}

/// The national calendar: editable data, one list of entries (any years).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NationalCalendar {
    /// The entries; at most one per date is expected (the first wins).
    pub entries: Vec<NationalEntry>,
}

/// First day of Kurban Ait (lunar; set by decree each year). Extend with
/// `extra_religious` in [`NationalCalendar::generate`] for other years.
pub const KURBAN_AIT: &[(i32, u32, u32)] = &[(2025, 6, 6), (2026, 5, 27), (2027, 5, 16)];

const SECULAR: &[(u32, u32, &str)] = &[
    (1, 1, "New Year"),
    (1, 2, "New Year"),
    (3, 8, "International Women's Day"),
    (3, 21, "Nauryz"),
    (3, 22, "Nauryz"),
    (3, 23, "Nauryz"),
    (5, 1, "Unity Day"),
    (5, 7, "Defender of the Fatherland Day"),
    (5, 9, "Victory Day"),
    (7, 6, "Capital Day"),
    (8, 30, "Constitution Day"),
    (10, 25, "Republic Day"),
    (12, 16, "Independence Day"),
];

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

impl NationalCalendar {
    /// Builds a calendar from entries.
    pub fn new(entries: Vec<NationalEntry>) -> Self {
        Self { entries }
    }

    /// Proposes `year`'s days off per DOMAIN.md (see the module doc).
    /// `extra_religious` adds lunar religious days off (never moved) for
    /// years not in [`KURBAN_AIT`]; dates outside `year` are ignored.
    pub fn generate(year: i32, extra_religious: &[NaiveDate]) -> Self {
        let mut entries: Vec<NationalEntry> = Vec::new();
        let mut off: Vec<NaiveDate> = Vec::new();
        let mut secular: Vec<(NaiveDate, &str)> = Vec::new();
        for &(m, d, name) in SECULAR {
            if let Some(date) = NaiveDate::from_ymd_opt(year, m, d) {
                secular.push((date, name));
                off.push(date);
                entries.push(NationalEntry {
                    date,
                    kind: DayKind::DayOff,
                    name: name.to_owned(),
                });
            }
        }
        let mut religious: Vec<(NaiveDate, &str)> = Vec::new();
        if let Some(d) = NaiveDate::from_ymd_opt(year, 1, 7) {
            religious.push((d, "Orthodox Christmas"));
        }
        for &(y, m, d) in KURBAN_AIT {
            if y == year
                && let Some(date) = NaiveDate::from_ymd_opt(y, m, d)
            {
                religious.push((date, "Kurban Ait"));
            }
        }
        for &date in extra_religious {
            if date.year() == year {
                religious.push((date, "Kurban Ait"));
            }
        }
        for (date, name) in religious {
            if !off.contains(&date) {
                off.push(date);
                entries.push(NationalEntry {
                    date,
                    kind: DayKind::DayOff,
                    name: name.to_owned(),
                });
            }
        }
        // Move secular holidays on a weekend, in date order, to the next
        // weekday that is not already off.
        secular.sort();
        for (date, name) in secular {
            if !is_weekend(date) {
                continue;
            }
            let mut d = date;
            loop {
                d += Duration::days(1);
                if !is_weekend(d) && !off.contains(&d) {
                    break;
                }
            }
            off.push(d);
            entries.push(NationalEntry {
                date: d,
                kind: DayKind::DayOff,
                name: format!("{name} (moved day off)"),
            });
        }
        entries.sort_by_key(|e| e.date);
        Self { entries }
    }

    /// The entry for `date`, if any.
    pub fn entry(&self, date: NaiveDate) -> Option<&NationalEntry> {
        self.entries.iter().find(|e| e.date == date)
    }

    /// Is `date` a national day off (holiday or moved day off)?
    pub fn is_day_off(&self, date: NaiveDate) -> bool {
        matches!(self.entry(date).map(|e| e.kind), Some(DayKind::DayOff))
    }

    /// Adds or replaces the entry for a date (e.g. a decree).
    pub fn upsert(&mut self, entry: NationalEntry) {
        self.entries.retain(|e| e.date != entry.date);
        self.entries.push(entry);
        self.entries.sort_by_key(|e| e.date);
    }
}

fn base_hours(weekly: &WeeklyHours, national: &NationalCalendar, date: NaiveDate) -> Vec<Interval> {
    match national.entry(date).map(|e| e.kind) {
        Some(DayKind::DayOff) => Vec::new(),
        Some(DayKind::WorkingDay { replaces }) => {
            let wd = replaces
                .map(|r| r.weekday())
                .filter(|w| !matches!(w, Weekday::Sat | Weekday::Sun))
                .unwrap_or(Weekday::Mon);
            weekly.get(wd).to_vec()
        }
        None => weekly.get(date.weekday()).to_vec(),
    }
}

/// The center's opening intervals on `date` (see the module doc for the
/// order of precedence). Empty = closed.
pub fn opening_intervals(
    weekly: &WeeklyHours,
    exceptions: &[DateException],
    national: &NationalCalendar,
    date: NaiveDate,
) -> Vec<Interval> {
    match exceptions.iter().find(|e| e.date == date).map(|e| &e.kind) {
        Some(ExceptionKind::Closed) => Vec::new(),
        Some(ExceptionKind::Hours(h)) => normalize(h.clone()),
        Some(ExceptionKind::WorkAs(wd)) => normalize(weekly.get(*wd).to_vec()),
        Some(ExceptionKind::Shortened { close }) => intersect(
            &base_hours(weekly, national, date),
            &[(NaiveTime::MIN, *close)],
        ),
        None => normalize(base_hours(weekly, national, date)),
    }
}

/// A window's intervals on `date`: its own weekly hours decided like the
/// center's (same exceptions and national calendar), within the center's
/// `center_day`. A window without own hours simply uses `center_day`.
pub fn window_intervals(
    center_day: &[Interval],
    window_weekly: Option<&WeeklyHours>,
    exceptions: &[DateException],
    national: &NationalCalendar,
    date: NaiveDate,
) -> Vec<Interval> {
    match window_weekly {
        None => center_day.to_vec(),
        Some(w) => intersect(
            &opening_intervals(w, exceptions, national, date),
            center_day,
        ),
    }
}

/// A center-local wall-clock time to UTC. `None` for a time skipped by a
/// clock change; the earlier instant for an ambiguous one.
pub fn local_to_utc(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    tz.from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// A UTC instant as center-local wall-clock time.
pub fn utc_to_local(tz: Tz, t: DateTime<Utc>) -> NaiveDateTime {
    t.with_timezone(&tz).naive_local()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap_or_default()
    }

    fn days_off(cal: &NationalCalendar) -> Vec<NaiveDate> {
        cal.entries
            .iter()
            .filter(|e| e.kind == DayKind::DayOff)
            .map(|e| e.date)
            .collect()
    }

    #[test]
    fn sunday_holidays_move_2026() {
        let cal = NationalCalendar::generate(2026, &[]);
        // 8 March 2026 is a Sunday → Monday 9 March off.
        assert_eq!(d(2026, 3, 8).weekday(), Weekday::Sun);
        assert!(cal.is_day_off(d(2026, 3, 9)));
        // 30 August and 25 October 2026 are Sundays → the Mondays after.
        assert!(cal.is_day_off(d(2026, 8, 31)));
        assert!(cal.is_day_off(d(2026, 10, 26)));
        assert!(!cal.is_day_off(d(2026, 10, 27)));
    }

    #[test]
    fn nauryz_cascade_over_weekend() {
        // 2026: 21 Sat, 22 Sun, 23 Mon → 24 Tue and 25 Wed off as well.
        let cal = NationalCalendar::generate(2026, &[]);
        for day in 21..=25 {
            assert!(cal.is_day_off(d(2026, 3, day)), "{day} March");
        }
        assert!(!cal.is_day_off(d(2026, 3, 26)));
        // 2027: 21 Sun, 22 Mon, 23 Tue → 24 Wed.
        let cal = NationalCalendar::generate(2027, &[]);
        assert!(cal.is_day_off(d(2027, 3, 24)));
        assert!(!cal.is_day_off(d(2027, 3, 25)));
    }

    #[test]
    fn new_year_cascade() {
        // 2022: 1 Jan Sat, 2 Jan Sun → 3 and 4 Jan off; 7 Jan a Friday.
        let cal = NationalCalendar::generate(2022, &[]);
        let off = days_off(&cal);
        for day in [1, 2, 3, 4, 7] {
            assert!(off.contains(&d(2022, 1, day)), "{day} Jan");
        }
        assert!(!off.contains(&d(2022, 1, 5)));
    }

    #[test]
    fn religious_days_never_move() {
        // Kurban Ait 2027-05-16 is a Sunday: no Monday off for it
        // (9 May 2027 is a Sunday too → Monday 10 May is off, not 17 May).
        let cal = NationalCalendar::generate(2027, &[]);
        assert_eq!(d(2027, 5, 16).weekday(), Weekday::Sun);
        assert!(cal.is_day_off(d(2027, 5, 16)));
        assert!(!cal.is_day_off(d(2027, 5, 17)));
        // 7 January 2024 is a Sunday: 8 January stays a working day.
        let cal = NationalCalendar::generate(2024, &[]);
        assert!(cal.is_day_off(d(2024, 1, 7)));
        assert!(!cal.is_day_off(d(2024, 1, 8)));
        // Known Kurban Ait dates and extra ones.
        assert!(NationalCalendar::generate(2025, &[]).is_day_off(d(2025, 6, 6)));
        assert!(NationalCalendar::generate(2026, &[]).is_day_off(d(2026, 5, 27)));
        let cal = NationalCalendar::generate(2028, &[d(2028, 5, 5), d(2027, 1, 1)]);
        assert!(cal.is_day_off(d(2028, 5, 5)));
        assert!(cal.entry(d(2027, 1, 1)).is_none());
    }

    #[test]
    fn closed_on_holiday_unless_exception() {
        let cal = NationalCalendar::generate(2026, &[]);
        let w = WeeklyHours::typical_psc();
        assert!(opening_intervals(&w, &[], &cal, d(2026, 3, 9)).is_empty());
        let duty = vec![DateException {
            date: d(2026, 3, 9),
            kind: ExceptionKind::Hours(vec![(hm(10, 0), hm(14, 0))]),
        }];
        assert_eq!(
            opening_intervals(&w, &duty, &cal, d(2026, 3, 9)),
            vec![(hm(10, 0), hm(14, 0))]
        );
        // Ordinary Tuesday.
        assert_eq!(
            opening_intervals(&w, &[], &cal, d(2026, 3, 10)),
            vec![(hm(9, 0), hm(18, 0))]
        );
    }

    #[test]
    fn transferred_saturday_works_weekday_hours() {
        let mut cal = NationalCalendar::default();
        // A decree: Saturday 2026-11-14 works in exchange for Wednesday
        // 2026-11-18 (made up; a Wednesday shows which hours are used).
        cal.upsert(NationalEntry {
            date: d(2026, 11, 14),
            kind: DayKind::WorkingDay {
                replaces: Some(d(2026, 11, 18)),
            },
            name: "transferred".into(),
        });
        cal.upsert(NationalEntry {
            date: d(2026, 11, 18),
            kind: DayKind::DayOff,
            name: "transferred".into(),
        });
        let Ok(w) = WeeklyHours::typical_psc().with(Weekday::Wed, vec![(hm(10, 0), hm(17, 0))])
        else {
            panic!("valid")
        };
        assert_eq!(
            opening_intervals(&w, &[], &cal, d(2026, 11, 14)),
            vec![(hm(10, 0), hm(17, 0))]
        );
        assert!(opening_intervals(&w, &[], &cal, d(2026, 11, 18)).is_empty());
        // Without `replaces`: Monday's hours, even for a center with
        // Saturday hours.
        cal.upsert(NationalEntry {
            date: d(2026, 11, 21),
            kind: DayKind::WorkingDay { replaces: None },
            name: "transferred".into(),
        });
        let duty = WeeklyHours::typical_duty();
        assert_eq!(
            opening_intervals(&duty, &[], &cal, d(2026, 11, 21)),
            vec![(hm(9, 0), hm(20, 0))]
        );
        // An ordinary Saturday: Saturday hours / closed.
        assert_eq!(
            opening_intervals(&duty, &[], &cal, d(2026, 11, 28)),
            vec![(hm(9, 0), hm(13, 0))]
        );
        assert!(opening_intervals(&w, &[], &cal, d(2026, 11, 28)).is_empty());
    }

    #[test]
    fn exceptions() {
        let cal = NationalCalendar::default();
        let w = WeeklyHours::typical_psc();
        let day = d(2026, 12, 3);
        let ex = |kind| vec![DateException { date: day, kind }];
        assert!(opening_intervals(&w, &ex(ExceptionKind::Closed), &cal, day).is_empty());
        assert_eq!(
            opening_intervals(
                &w,
                &ex(ExceptionKind::Shortened { close: hm(15, 0) }),
                &cal,
                day
            ),
            vec![(hm(9, 0), hm(15, 0))]
        );
        let sunday = d(2026, 12, 6);
        assert_eq!(
            opening_intervals(
                &w,
                &[DateException {
                    date: sunday,
                    kind: ExceptionKind::WorkAs(Weekday::Mon)
                }],
                &cal,
                sunday
            ),
            vec![(hm(9, 0), hm(18, 0))]
        );
    }

    #[test]
    fn window_hours_within_center() {
        let cal = NationalCalendar::default();
        let day = d(2026, 12, 3);
        let center = vec![(hm(9, 0), hm(18, 0))];
        let Ok(own) = WeeklyHours::closed().with(
            Weekday::Thu,
            vec![(hm(8, 0), hm(12, 0)), (hm(14, 0), hm(20, 0))],
        ) else {
            panic!("valid")
        };
        assert_eq!(
            window_intervals(&center, Some(&own), &[], &cal, day),
            vec![(hm(9, 0), hm(12, 0)), (hm(14, 0), hm(18, 0))]
        );
        assert_eq!(window_intervals(&center, None, &[], &cal, day), center);
    }

    #[test]
    fn february_29() {
        // 2028 is a leap year, 2100 is not; 29 Feb 2028 is a Tuesday.
        let day = d(2028, 2, 29);
        assert_eq!(day.weekday(), Weekday::Tue);
        assert!(NaiveDate::from_ymd_opt(2100, 2, 29).is_none());
        let cal = NationalCalendar::generate(2028, &[]);
        let w = WeeklyHours::typical_psc();
        assert_eq!(
            opening_intervals(&w, &[], &cal, day),
            vec![(hm(9, 0), hm(18, 0))]
        );
        // The bookable horizon counts 29 Feb as a day.
        let p = crate::policy::Policy::default();
        let b = p.bounds(d(2028, 2, 28).and_hms_opt(12, 0, 0).unwrap_or_default());
        assert_eq!(b.last_date, d(2028, 3, 29));
    }

    #[test]
    fn almaty_zone_change_2024_03_01() {
        let tz = chrono_tz::Asia::Almaty;
        let noon = |day: NaiveDate| day.and_hms_opt(12, 0, 0).unwrap_or_default();
        let before = local_to_utc(tz, noon(d(2024, 2, 29))).map(|t| t.hour());
        let after = local_to_utc(tz, noon(d(2024, 3, 2))).map(|t| t.hour());
        assert_eq!(
            before,
            Some(6),
            "Asia/Almaty must be UTC+6 on 2024-02-29: tz data too old"
        );
        assert_eq!(
            after,
            Some(7),
            "Asia/Almaty must be UTC+5 on 2024-03-02: tz data too old"
        );
        // Round trip.
        let Some(u) = local_to_utc(tz, noon(d(2026, 12, 3))) else {
            panic!("exists")
        };
        assert_eq!(utc_to_local(tz, u), noon(d(2026, 12, 3)));
        // Every other zone of Kazakhstan is UTC+5 too.
        for tz in [
            chrono_tz::Asia::Qostanay,
            chrono_tz::Asia::Aqtobe,
            chrono_tz::Asia::Oral,
        ] {
            assert_eq!(
                local_to_utc(tz, noon(d(2026, 12, 3))).map(|t| t.hour()),
                Some(7),
                "{tz}"
            );
        }
    }

    #[test]
    fn normalize_merges() {
        let v = normalize(vec![
            (hm(13, 0), hm(14, 0)),
            (hm(9, 0), hm(13, 0)),
            (hm(15, 0), hm(15, 0)),
        ]);
        assert_eq!(v, vec![(hm(9, 0), hm(14, 0))]);
        assert_eq!(
            WeeklyHours::closed().set(Weekday::Mon, vec![(hm(10, 0), hm(9, 0))]),
            Err(CalendarError::EmptyInterval)
        );
    }
}
