//! The calendar on arbitrary data: `NationalCalendar::generate` for any
//! year and extra religious dates, then `opening_intervals` /
//! `window_intervals` with arbitrary weekly hours and exceptions. Never
//! panics; the intervals are well formed (each opens before it closes,
//! sorted, not overlapping) and a day the calendar marks off is closed
//! unless an exception opens it.
#![no_main]
use app::domain::calendar::{
    DateException, ExceptionKind, Interval, NationalCalendar, WeeklyHours, opening_intervals,
    window_intervals,
};
use chrono::{Datelike, Days, NaiveDate, NaiveTime, Weekday};
use libfuzzer_sys::fuzz_target;

struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn u8(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }
    fn u16(&mut self) -> u16 {
        u16::from(self.u8()) << 8 | u16::from(self.u8())
    }
    fn time(&mut self) -> NaiveTime {
        // Minutes of the day, with the odd out-of-range value clamped.
        let m = u32::from(self.u16()) % (24 * 60);
        NaiveTime::from_hms_opt(m / 60, m % 60, 0).unwrap_or(NaiveTime::MIN)
    }
    fn intervals(&mut self) -> Vec<Interval> {
        (0..self.u8() % 4).map(|_| (self.time(), self.time())).collect()
    }
    fn weekday(&mut self) -> Weekday {
        Weekday::try_from(self.u8() % 7).unwrap_or(Weekday::Mon)
    }
}

fn well_formed(v: &[Interval]) {
    for (o, c) in v {
        assert!(o < c, "empty interval {o}–{c}");
    }
    for w in v.windows(2) {
        assert!(w[0].1 < w[1].0, "overlapping or touching {:?}", w);
    }
}

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes(data);
    // Mostly plausible years, sometimes extreme ones.
    let year = match b.u8() % 8 {
        0 => i32::from(b.u16() as i16) * 16,
        _ => 1990 + i32::from(b.u8() % 80),
    };
    let Some(jan1) = NaiveDate::from_ymd_opt(year, 1, 1) else {
        return;
    };
    let extra: Vec<NaiveDate> = (0..b.u8() % 4)
        .filter_map(|_| jan1.checked_add_days(Days::new(u64::from(b.u16() % 400))))
        .collect();
    let national = NationalCalendar::generate(year, &extra);
    for e in &national.entries {
        assert_eq!(e.date.year(), year, "entry outside the year: {e:?}");
    }

    let mut weekly = WeeklyHours::closed();
    for _ in 0..b.u8() % 8 {
        let day = b.weekday();
        let _ = weekly.set(day, b.intervals());
    }
    let mut window_weekly = WeeklyHours::closed();
    for _ in 0..b.u8() % 3 {
        let day = b.weekday();
        let _ = window_weekly.set(day, b.intervals());
    }
    let mut exceptions = Vec::new();
    for _ in 0..b.u8() % 4 {
        let Some(date) = jan1.checked_add_days(Days::new(u64::from(b.u16() % 370))) else {
            continue;
        };
        let kind = match b.u8() % 4 {
            0 => ExceptionKind::Closed,
            1 => ExceptionKind::Hours(b.intervals()),
            2 => ExceptionKind::WorkAs(b.weekday()),
            _ => ExceptionKind::Shortened { close: b.time() },
        };
        exceptions.push(DateException { date, kind });
    }
    let start = jan1
        .checked_add_days(Days::new(u64::from(b.u16() % 366)))
        .unwrap_or(jan1);
    for date in start.iter_days().take(usize::from(b.u8() % 32) + 1) {
        let day = opening_intervals(&weekly, &exceptions, &national, date);
        well_formed(&day);
        let has_exception = exceptions.iter().any(|e| e.date == date);
        if national.is_day_off(date) && !has_exception {
            assert!(day.is_empty(), "{date} is a day off but open: {day:?}");
        }
        let win = window_intervals(&day, Some(&window_weekly), &exceptions, &national, date);
        well_formed(&win);
        for (o, c) in &win {
            assert!(
                day.iter().any(|(do_, dc)| do_ <= o && c <= dc),
                "window interval {o}–{c} outside the center's day {day:?}"
            );
        }
    }
});
