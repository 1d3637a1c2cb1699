//! The slot grid and capacity (DOMAIN.md "Capacity", R9).
//!
//! A **slot** starts on the center's grid: an opening time of one of the
//! day's intervals plus k × `slot_min`, with the whole slot inside that
//! interval. A service of `duration_min` needs
//! [`slots_needed`] = ⌈duration / slot⌉ consecutive slots (a **run**) of
//! **one** window; the run must lie inside one opening interval and touch
//! no break. A window can take the run when it serves the service, its own
//! intervals cover the run, and no held (window, slot) pair overlaps it.
//!
//! Capacity of a start = windows that serve the service and work the whole
//! run (capped by the admin cap, R9); **free** = those windows whose run is
//! not held, and, with a cap, at most `cap` − the most held pairs (any
//! window, any service) at one slot of the run.
//!
//! [`choose_window`] assigns the window when booking: among the free
//! candidates the one serving the fewest services (scarce windows stay
//! free), ties by lowest id. The server stores one (window, slot) row per
//! slot of [`Assignment::slots`] under a unique index, which makes "never
//! overbooked" a database fact; when rescheduling it must leave the
//! booking's own pairs out of [`DaySchedule::held`].
//!
//! The computation works on minutes of the day with small flat arrays (no
//! hashing, no strings in the loop): a day costs about a microsecond.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

use crate::calendar::Interval;
use crate::ids::{ServiceCode, WindowId};
use crate::policy::BookingBounds;
use crate::refusal::Refusal;

/// One window on one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowDay {
    /// The window.
    pub id: WindowId,
    /// The services it serves.
    pub services: Vec<ServiceCode>,
    /// Its own intervals on this date (`calendar::window_intervals`);
    /// `None` = the center's.
    pub intervals: Option<Vec<Interval>>,
}

/// Everything capacity needs for one center on one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaySchedule {
    /// The center-local date.
    pub date: NaiveDate,
    /// The center's slot length in minutes (default 15).
    pub slot_min: u32,
    /// The center's opening intervals (`calendar::opening_intervals`).
    pub open: Vec<Interval>,
    /// Breaks: no run may touch them.
    pub breaks: Vec<Interval>,
    /// The center's windows.
    pub windows: Vec<WindowDay>,
    /// (window, slot start) pairs held by active bookings (any service);
    /// pairs of other dates are ignored.
    pub held: Vec<(WindowId, NaiveDateTime)>,
    /// R9: admin cap on concurrent bookings per slot at the center.
    pub cap: Option<u32>,
}

/// A start offered to citizens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotFree {
    /// Center-local start.
    pub start: NaiveDateTime,
    /// Bookings that can still start here (0 = full).
    pub free: u32,
    /// Windows serving the service for the whole run (capped by R9).
    pub capacity: u32,
}

/// The window and slots a new booking holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// The chosen window.
    pub window: WindowId,
    /// The consecutive slot starts held (center-local), first = start.
    pub slots: Vec<NaiveDateTime>,
}

/// ⌈duration / slot⌉, at least 1.
pub fn slots_needed(duration_min: u32, slot_min: u32) -> u32 {
    if slot_min == 0 {
        return 1;
    }
    duration_min.div_ceil(slot_min).max(1)
}

fn minute(t: NaiveTime) -> u32 {
    t.num_seconds_from_midnight() / 60
}

/// The day's grid and per-window state for one service.
struct Grid {
    slot: u32,
    run: usize,
    /// Slot starts in minutes, ascending.
    starts: Vec<u32>,
    /// Whether a run of `run` slots may start at each slot (hours, breaks).
    run_ok: Vec<bool>,
    /// Serving windows: (index into `day.windows`, services served).
    serving: Vec<(usize, usize)>,
    /// `works[k * n + i]`: serving window k covers slot i.
    works: Vec<bool>,
    /// `free[k * n + i]`: serving window k works slot i and it is not held.
    free: Vec<bool>,
    /// Held pairs (any window) overlapping slot i.
    held_count: Vec<u32>,
}

impl Grid {
    fn build(day: &DaySchedule, service: &ServiceCode, duration_min: u32) -> Self {
        let slot = day.slot_min.max(1);
        let run = slots_needed(duration_min, slot) as usize;
        let mut starts = Vec::with_capacity(48);
        let mut ends = Vec::with_capacity(48);
        let mut open: Vec<(u32, u32)> = day
            .open
            .iter()
            .map(|&(o, c)| (minute(o), minute(c)))
            .collect();
        open.sort_unstable();
        for &(o, c) in &open {
            let mut s = o;
            while s + slot <= c {
                // Overlapping intervals (not normalized) must not repeat slots.
                if starts.last().is_none_or(|&l| s >= l + slot) {
                    starts.push(s);
                    ends.push(c);
                }
                s += slot;
            }
        }
        let n = starts.len();
        let breaks: Vec<(u32, u32)> = day
            .breaks
            .iter()
            .map(|&(o, c)| (minute(o), minute(c)))
            .collect();
        let run_len = slot * run as u32;
        let run_ok: Vec<bool> = (0..n)
            .map(|i| {
                let (s, e) = (starts[i], starts[i] + run_len);
                e <= ends[i] && !breaks.iter().any(|&(bo, bc)| bo < e && s < bc)
            })
            .collect();

        let serving: Vec<(usize, usize)> = day
            .windows
            .iter()
            .enumerate()
            .filter(|(_, w)| w.services.contains(service))
            .map(|(k, w)| (k, w.services.len()))
            .collect();
        let mut works = vec![false; serving.len() * n];
        for (k, &(wi, _)) in serving.iter().enumerate() {
            let row = &mut works[k * n..(k + 1) * n];
            match &day.windows[wi].intervals {
                None => row.iter_mut().for_each(|x| *x = true),
                Some(iv) => {
                    for &(o, c) in iv {
                        let (o, c) = (minute(o), minute(c));
                        for (i, x) in row.iter_mut().enumerate() {
                            if starts[i] >= o && starts[i] + slot <= c {
                                *x = true;
                            }
                        }
                    }
                }
            }
        }
        let mut free = works.clone();
        let mut held_count = vec![0u32; n];
        for &(wid, t) in &day.held {
            if t.date() != day.date {
                continue;
            }
            let tm = minute(t.time());
            // Slots overlapping [tm, tm + slot).
            let first = starts.partition_point(|&s| s + slot <= tm);
            let k = serving
                .iter()
                .position(|&(wi, _)| day.windows[wi].id == wid);
            for i in first..n {
                if starts[i] >= tm + slot {
                    break;
                }
                held_count[i] += 1;
                if let Some(k) = k {
                    free[k * n + i] = false;
                }
            }
        }
        Self {
            slot,
            run,
            starts,
            run_ok,
            serving,
            works,
            free,
            held_count,
        }
    }

    fn n(&self) -> usize {
        self.starts.len()
    }

    fn all(&self, v: &[bool], k: usize, i: usize) -> bool {
        let n = self.n();
        (i..i + self.run).all(|j| j < n && v[k * n + j])
    }

    /// (capacity, free) at start index i, before the cap.
    fn counts(&self, i: usize) -> (u32, u32) {
        let mut cap = 0;
        let mut free = 0;
        for k in 0..self.serving.len() {
            if self.all(&self.works, k, i) {
                cap += 1;
                if self.all(&self.free, k, i) {
                    free += 1;
                }
            }
        }
        (cap, free)
    }

    fn cap_left(&self, cap: Option<u32>, i: usize) -> u32 {
        match cap {
            None => u32::MAX,
            Some(c) => {
                let end = (i + self.run).min(self.n());
                let used = self.held_count[i..end].iter().copied().max().unwrap_or(0);
                c.saturating_sub(used)
            }
        }
    }

    fn time(&self, date: NaiveDate, m: u32) -> NaiveDateTime {
        date.and_time(NaiveTime::from_hms_opt(m / 60, m % 60, 0).unwrap_or(NaiveTime::MIN))
    }
}

/// The starts offered for `service` on this day, with free counts (0 =
/// full). Starts outside `bounds`, and starts no serving window works, are
/// left out.
pub fn free_starts(
    day: &DaySchedule,
    service: &ServiceCode,
    duration_min: u32,
    bounds: &BookingBounds,
) -> Vec<SlotFree> {
    if day.date > bounds.last_date || day.date < bounds.earliest.date() || day.open.is_empty() {
        return Vec::new();
    }
    let g = Grid::build(day, service, duration_min);
    let mut out = Vec::with_capacity(g.n());
    for i in 0..g.n() {
        if !g.run_ok[i] {
            continue;
        }
        let start = g.time(day.date, g.starts[i]);
        if !bounds.admits(start) {
            continue;
        }
        let (capacity, free) = g.counts(i);
        if capacity == 0 {
            continue;
        }
        let capped = day.cap.unwrap_or(u32::MAX);
        out.push(SlotFree {
            start,
            free: free.min(g.cap_left(day.cap, i)),
            capacity: capacity.min(capped),
        });
    }
    out
}

/// Picks the window for a booking of `service` starting at `start`, or
/// refuses: `center_closed`, `service_not_offered`, `too_late` /
/// `outside_horizon` (bounds), `outside_hours` (not a start of the grid, the
/// run does not fit, or no serving window works then), `slot_full`.
pub fn choose_window(
    day: &DaySchedule,
    service: &ServiceCode,
    duration_min: u32,
    start: NaiveDateTime,
    bounds: &BookingBounds,
) -> Result<Assignment, Refusal> {
    if day.open.is_empty() {
        return Err(Refusal::CenterClosed { date: day.date });
    }
    if !day.windows.iter().any(|w| w.services.contains(service)) {
        return Err(Refusal::ServiceNotOffered);
    }
    bounds.check(start)?;
    if start.date() != day.date || start.time().second() != 0 || start.time().nanosecond() != 0 {
        return Err(Refusal::OutsideHours);
    }
    let g = Grid::build(day, service, duration_min);
    let m = minute(start.time());
    let i = match g.starts.binary_search(&m) {
        Ok(i) if g.run_ok[i] => i,
        _ => return Err(Refusal::OutsideHours),
    };
    let (capacity, _) = g.counts(i);
    if capacity == 0 {
        return Err(Refusal::OutsideHours);
    }
    if g.cap_left(day.cap, i) == 0 {
        return Err(Refusal::SlotFull);
    }
    let best = (0..g.serving.len())
        .filter(|&k| g.all(&g.free, k, i))
        .min_by_key(|&k| {
            let (wi, count) = g.serving[k];
            (count, day.windows[wi].id)
        })
        .ok_or(Refusal::SlotFull)?;
    let window = day.windows[g.serving[best].0].id;
    let slots = (0..g.run)
        .map(|j| g.time(day.date, g.starts[i] + j as u32 * g.slot))
        .collect();
    Ok(Assignment { window, slots })
}

/// Whether an existing booking of `service` still fits where it is: at
/// `window` from `start` for its whole run — the center is open, the run
/// is a start of the grid and touches no break, the window still serves
/// the service and works those slots, none of them is held by another
/// booking in `day.held`, and the R9 cap leaves room. Used when an admin
/// changes a schedule: bookings that no longer fit must be moved or
/// cancelled, never dropped silently. Bounds (notice, horizon) are not
/// checked: the booking exists already.
pub fn fits(
    day: &DaySchedule,
    service: &ServiceCode,
    duration_min: u32,
    window: WindowId,
    start: NaiveDateTime,
) -> bool {
    if day.open.is_empty() || start.date() != day.date {
        return false;
    }
    let g = Grid::build(day, service, duration_min);
    let Ok(i) = g.starts.binary_search(&minute(start.time())) else {
        return false;
    };
    if !g.run_ok[i] || g.cap_left(day.cap, i) == 0 {
        return false;
    }
    g.serving
        .iter()
        .position(|&(wi, _)| day.windows[wi].id == window)
        .is_some_and(|k| g.all(&g.free, k, i))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
    }
    fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default()
    }
    fn at(h: u32, m: u32) -> NaiveDateTime {
        date().and_time(hm(h, m))
    }
    fn code(s: &str) -> ServiceCode {
        ServiceCode::parse(s).unwrap_or_else(|_| panic!("{s}"))
    }
    fn bounds() -> BookingBounds {
        Policy::default().bounds(at(0, 0) - chrono::Duration::days(1))
    }
    fn window(id: i64, services: &[&str]) -> WindowDay {
        WindowDay {
            id: WindowId::new(id),
            services: services.iter().map(|s| code(s)).collect(),
            intervals: None,
        }
    }
    fn day() -> DaySchedule {
        DaySchedule {
            date: date(),
            slot_min: 15,
            open: vec![(hm(9, 0), hm(18, 0))],
            breaks: vec![(hm(13, 0), hm(14, 0))],
            windows: vec![
                window(1, &["ID_CARD", "PASSPORT", "BIRTH_REG"]),
                window(2, &["ID_CARD"]),
                window(3, &["BIRTH_REG", "REAL_ESTATE"]),
            ],
            held: vec![],
            cap: None,
        }
    }

    #[test]
    fn grid_skips_breaks_and_closing() {
        let s = free_starts(&day(), &code("ID_CARD"), 15, &bounds());
        // 9:00–13:00 and 14:00–18:00: 16 + 16 slots.
        assert_eq!(s.len(), 32);
        assert_eq!(
            s[0],
            SlotFree {
                start: at(9, 0),
                free: 2,
                capacity: 2
            }
        );
        assert!(
            s.iter()
                .all(|x| x.start.time() < hm(13, 0) || x.start.time() >= hm(14, 0))
        );
        assert_eq!(s.last().map(|x| x.start), Some(at(17, 45)));
    }

    #[test]
    fn long_service_needs_whole_run() {
        let s = free_starts(&day(), &code("REAL_ESTATE"), 30, &bounds());
        // A 30-minute run may not cross the 13:00 break or 18:00 closing.
        assert!(s.iter().any(|x| x.start == at(12, 30)));
        assert!(!s.iter().any(|x| x.start == at(12, 45)));
        assert!(!s.iter().any(|x| x.start == at(17, 45)));
        let mut d = day();
        d.held.push((WindowId::new(3), at(10, 15)));
        let s = free_starts(&d, &code("REAL_ESTATE"), 30, &bounds());
        let f = |t| s.iter().find(|x| x.start == t).map(|x| x.free);
        assert_eq!(f(at(9, 45)), Some(1));
        assert_eq!(f(at(10, 0)), Some(0));
        assert_eq!(f(at(10, 15)), Some(0));
        assert_eq!(f(at(10, 30)), Some(1));
        assert_eq!(
            choose_window(&d, &code("REAL_ESTATE"), 30, at(10, 30), &bounds()),
            Ok(Assignment {
                window: WindowId::new(3),
                slots: vec![at(10, 30), at(10, 45)]
            })
        );
        assert_eq!(
            choose_window(&d, &code("REAL_ESTATE"), 30, at(10, 0), &bounds()),
            Err(Refusal::SlotFull)
        );
    }

    #[test]
    fn prefers_window_with_fewest_services() {
        let mut d = day();
        let pick = |d: &DaySchedule| {
            choose_window(d, &code("ID_CARD"), 15, at(9, 0), &bounds()).map(|a| a.window.get())
        };
        assert_eq!(pick(&d), Ok(2));
        d.held.push((WindowId::new(2), at(9, 0)));
        assert_eq!(pick(&d), Ok(1));
        d.held.push((WindowId::new(1), at(9, 0)));
        assert_eq!(pick(&d), Err(Refusal::SlotFull));
        // Tie on service count → lowest id.
        let mut d = day();
        d.windows = vec![window(9, &["ID_CARD"]), window(4, &["ID_CARD"])];
        assert_eq!(pick(&d), Ok(4));
    }

    #[test]
    fn window_hours_and_off_grid() {
        let mut d = day();
        d.windows[1].intervals = Some(vec![(hm(9, 0), hm(12, 0))]);
        let s = free_starts(&d, &code("ID_CARD"), 15, &bounds());
        let at15 = s
            .iter()
            .find(|x| x.start == at(15, 0))
            .map(|x| (x.free, x.capacity));
        assert_eq!(at15, Some((1, 1)));
        assert_eq!(
            choose_window(&d, &code("ID_CARD"), 15, at(9, 5), &bounds()),
            Err(Refusal::OutsideHours)
        );
        assert_eq!(
            choose_window(&d, &code("ID_CARD"), 15, at(13, 15), &bounds()),
            Err(Refusal::OutsideHours)
        );
        assert_eq!(
            choose_window(&d, &code("ID_CARD"), 15, at(18, 0), &bounds()),
            Err(Refusal::OutsideHours)
        );
        assert_eq!(
            choose_window(&d, &code("DL_ISSUE"), 15, at(9, 0), &bounds()),
            Err(Refusal::ServiceNotOffered)
        );
        d.open.clear();
        assert_eq!(
            choose_window(&d, &code("ID_CARD"), 15, at(9, 0), &bounds()),
            Err(Refusal::CenterClosed { date: date() })
        );
        assert!(free_starts(&d, &code("ID_CARD"), 15, &bounds()).is_empty());
    }

    #[test]
    fn admin_cap_counts_all_windows() {
        let mut d = day();
        d.cap = Some(1);
        d.held.push((WindowId::new(3), at(9, 0))); // another service's window
        let s = free_starts(&d, &code("ID_CARD"), 15, &bounds());
        assert_eq!(
            s[0],
            SlotFree {
                start: at(9, 0),
                free: 0,
                capacity: 1
            }
        );
        assert_eq!(
            s[1],
            SlotFree {
                start: at(9, 15),
                free: 1,
                capacity: 1
            }
        );
        assert_eq!(
            choose_window(&d, &code("ID_CARD"), 15, at(9, 0), &bounds()),
            Err(Refusal::SlotFull)
        );
    }

    #[test]
    fn bounds_apply() {
        let now = at(9, 10);
        let b = Policy::default().bounds(now);
        let s = free_starts(&day(), &code("ID_CARD"), 15, &b);
        assert_eq!(s.first().map(|x| x.start), Some(at(10, 15)));
        assert_eq!(
            choose_window(&day(), &code("ID_CARD"), 15, at(10, 0), &b),
            Err(Refusal::TooLate { minutes: 60 })
        );
        let far = Policy::default().bounds(now - chrono::Duration::days(31));
        assert!(free_starts(&day(), &code("ID_CARD"), 15, &far).is_empty());
        assert!(matches!(
            choose_window(&day(), &code("ID_CARD"), 15, at(10, 0), &far),
            Err(Refusal::OutsideHorizon { .. })
        ));
    }

    #[test]
    fn slots_needed_rounds_up() {
        assert_eq!(slots_needed(15, 15), 1);
        assert_eq!(slots_needed(20, 15), 2);
        assert_eq!(slots_needed(30, 15), 2);
        assert_eq!(slots_needed(0, 15), 1);
        assert_eq!(slots_needed(31, 15), 3);
    }

    #[test]
    fn fits_follows_hours_windows_breaks_holds_and_cap() {
        let mut d = DaySchedule {
            date: date(),
            slot_min: 15,
            open: vec![(hm(9, 0), hm(18, 0))],
            breaks: vec![(hm(13, 0), hm(14, 0))],
            windows: vec![window(1, &["ID_CARD"]), window(2, &["ID_CARD", "PASSPORT"])],
            held: vec![],
            cap: None,
        };
        let a = code("ID_CARD");
        let w1 = WindowId::new(1);
        assert!(fits(&d, &a, 15, w1, at(9, 0)));
        assert!(fits(&d, &a, 30, w1, at(17, 30)));
        assert!(!fits(&d, &a, 30, w1, at(17, 45)), "run past closing");
        assert!(!fits(&d, &a, 30, w1, at(12, 45)), "run into the break");
        assert!(!fits(&d, &a, 15, w1, at(9, 5)), "not a grid start");
        assert!(
            !fits(&d, &code("PASSPORT"), 15, w1, at(9, 0)),
            "window 1 does not serve PASSPORT"
        );
        assert!(
            !fits(&d, &a, 15, WindowId::new(9), at(9, 0)),
            "no such window"
        );
        d.held.push((w1, at(9, 0)));
        assert!(!fits(&d, &a, 15, w1, at(9, 0)), "held by another booking");
        assert!(fits(&d, &a, 15, WindowId::new(2), at(9, 0)));
        d.cap = Some(1);
        assert!(
            !fits(&d, &a, 15, WindowId::new(2), at(9, 0)),
            "R9 cap reached"
        );
        d.open = vec![(hm(9, 0), hm(12, 0))];
        d.cap = None;
        assert!(
            !fits(&d, &a, 15, w1, at(16, 0)),
            "after the new closing time"
        );
        d.open.clear();
        assert!(!fits(&d, &a, 15, WindowId::new(2), at(10, 0)), "closed day");
    }
}
