//! Fair release (DOMAIN.md R12) and the waiting list (R13): the pure parts.
//!
//! A draw request names 1–5 ranked [`Choice`]s (a center and date of the
//! draw, optionally a time-of-day range); a waiting-list entry names a date
//! range and an optional [`TimeRange`]. This module checks their shape
//! ([`check_choices`], [`check_window`]) and says which starts fit
//! ([`TimeRange::fits`]). The order of a draw (SHA-256 of the seed and each
//! request's public id) is computed where hashing lives, in kezek-core
//! (`service::draws::order`), and re-computed by `kezek verify-draw`.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::input::BadInput;

/// The most choices one draw request may rank.
pub const MAX_CHOICES: usize = 5;

/// How long a draw stays open, in minutes (DOMAIN.md: default 30, at least
/// 1; at most a day).
pub const WINDOW_MINUTES: (u32, u32) = (1, 1440);

/// Default draw window.
pub const DEFAULT_WINDOW_MINUTES: u32 = 30;

/// A time-of-day range: a start `s` fits when `from ≤ s ≤ to` (either end
/// may be open).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct TimeRange {
    /// Earliest start, center-local.
    pub from: Option<NaiveTime>,
    /// Latest start, center-local.
    pub to: Option<NaiveTime>,
}

impl TimeRange {
    /// Parses `HH:MM` ends (empty or absent = open); a reversed range is
    /// refused.
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<Self, BadInput> {
        let from = parse_opt_time(from)?;
        let to = parse_opt_time(to)?;
        let r = Self { from, to };
        r.check()?;
        Ok(r)
    }

    /// `TimeOrder` when `from` is after `to`.
    pub fn check(&self) -> Result<(), BadInput> {
        if let (Some(f), Some(t)) = (self.from, self.to)
            && f > t
        {
            return Err(BadInput::TimeOrder {
                open: f.format("%H:%M").to_string(),
                close: t.format("%H:%M").to_string(),
            });
        }
        Ok(())
    }

    /// Does a start at `t` fit?
    pub fn fits(&self, t: NaiveTime) -> bool {
        self.from.is_none_or(|f| f <= t) && self.to.is_none_or(|e| t <= e)
    }

    /// `HH:MM`–`HH:MM` for texts (open ends as `…`).
    pub fn label(&self) -> String {
        let f =
            |t: Option<NaiveTime>| t.map_or("…".to_owned(), |t| t.format("%H:%M").to_string());
        format!("{}–{}", f(self.from), f(self.to))
    }
}

/// `HH:MM` (or `H:MM`), `None` for absent or blank.
pub fn parse_opt_time(s: Option<&str>) -> Result<Option<NaiveTime>, BadInput> {
    match s.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => NaiveTime::parse_from_str(v, "%H:%M")
            .map(Some)
            .map_err(|_| BadInput::TimeFormat {
                value: v.chars().take(20).collect(),
            }),
    }
}

/// One ranked choice of a draw request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Choice {
    /// A center of the draw.
    pub center_id: i64,
    /// A date of the draw.
    pub date: NaiveDate,
    /// Which starts of that day will do.
    #[serde(default)]
    pub range: TimeRange,
}

/// Checks a request's choices against the draw's (center, date) pairs:
/// 1–5 choices, no two alike, each range in order, each pair in the draw.
pub fn check_choices(choices: &[Choice], draw: &[(i64, NaiveDate)]) -> Result<(), BadInput> {
    if choices.is_empty() || choices.len() > MAX_CHOICES {
        return Err(BadInput::OutOfRange {
            field: "choices",
            min: 1,
            max: MAX_CHOICES as i64,
        });
    }
    for (i, c) in choices.iter().enumerate() {
        c.range.check()?;
        if !draw.contains(&(c.center_id, c.date)) {
            return Err(BadInput::NotInDraw {
                center_id: c.center_id,
                date: c.date,
            });
        }
        if choices[..i].contains(c) {
            return Err(BadInput::DuplicateChoice { position: i + 1 });
        }
    }
    Ok(())
}

/// Checks a waiting-list date range: `from ≤ to`, from today
/// (`today ≤ from`) to the last bookable date.
pub fn check_window(
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    last_date: NaiveDate,
) -> Result<(), BadInput> {
    if from > to {
        return Err(BadInput::DateRangeOrder);
    }
    if to < today {
        return Err(BadInput::DatePassed);
    }
    if to > last_date {
        return Err(BadInput::DateBeyond { last_date });
    }
    Ok(())
}

/// A center's release mode (R12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseMode {
    /// A day becomes bookable when it enters the horizon.
    FirstCome,
    /// A day entering the horizon opens by a draw at the release time.
    Draw,
}

impl ReleaseMode {
    /// The stored and wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FirstCome => "first_come",
            Self::Draw => "draw",
        }
    }

    /// From [`Self::as_str`]'s spelling.
    pub fn parse(s: &str) -> Result<Self, BadInput> {
        match s.trim() {
            "first_come" => Ok(Self::FirstCome),
            "draw" => Ok(Self::Draw),
            _ => Err(BadInput::OneOf {
                field: "mode",
                allowed: &["first_come", "draw"],
            }),
        }
    }
}

/// Checks a draw window in minutes.
pub fn check_window_minutes(m: i64) -> Result<u32, BadInput> {
    let (lo, hi) = WINDOW_MINUTES;
    u32::try_from(m)
        .ok()
        .filter(|m| (lo..=hi).contains(m))
        .ok_or(BadInput::OutOfRange {
            field: "window_minutes",
            min: i64::from(lo),
            max: i64::from(hi),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(n: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, n).unwrap_or_default()
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
    }

    fn choice(center: i64, day: u32) -> Choice {
        Choice {
            center_id: center,
            date: d(day),
            range: TimeRange::default(),
        }
    }

    #[test]
    fn ranges_parse_and_fit_inclusively() {
        let r = TimeRange::parse(Some("09:00"), Some("10:30")).unwrap_or_default();
        assert!(r.fits(t(9, 0)) && r.fits(t(10, 30)) && r.fits(t(10, 0)));
        assert!(!r.fits(t(8, 59)) && !r.fits(t(10, 31)));
        let open = TimeRange::parse(None, Some(" ")).unwrap_or_default();
        assert_eq!(open, TimeRange::default());
        assert!(open.fits(t(0, 0)) && open.fits(t(23, 59)));
        assert!(matches!(
            TimeRange::parse(Some("11:00"), Some("10:00")),
            Err(BadInput::TimeOrder { .. })
        ));
        assert!(matches!(
            TimeRange::parse(Some("25:00"), None),
            Err(BadInput::TimeFormat { .. })
        ));
        // Equal ends: one start.
        let one = TimeRange::parse(Some("10:00"), Some("10:00")).unwrap_or_default();
        assert!(one.fits(t(10, 0)) && !one.fits(t(10, 15)));
        assert_eq!(one.label(), "10:00–10:00");
    }

    #[test]
    fn choices_are_checked() {
        let draw = [(1, d(5)), (1, d(6)), (2, d(5))];
        assert!(check_choices(&[choice(1, 5), choice(2, 5)], &draw).is_ok());
        assert!(matches!(
            check_choices(&[], &draw),
            Err(BadInput::OutOfRange {
                field: "choices",
                ..
            })
        ));
        let six = [choice(1, 5); 6];
        assert!(matches!(
            check_choices(&six, &draw),
            Err(BadInput::OutOfRange { .. })
        ));
        assert_eq!(
            check_choices(&[choice(1, 5), choice(1, 5)], &draw),
            Err(BadInput::DuplicateChoice { position: 2 })
        );
        assert_eq!(
            check_choices(&[choice(2, 6)], &draw),
            Err(BadInput::NotInDraw {
                center_id: 2,
                date: d(6)
            })
        );
        // The same day with two different ranges is two choices.
        let mut a = choice(1, 5);
        a.range.from = Some(t(9, 0));
        assert!(check_choices(&[a, choice(1, 5)], &draw).is_ok());
        a.range.to = Some(t(8, 0));
        assert!(matches!(
            check_choices(&[a], &draw),
            Err(BadInput::TimeOrder { .. })
        ));
    }

    #[test]
    fn waiting_windows() {
        assert!(check_window(d(3), d(5), d(2), d(30)).is_ok());
        assert_eq!(
            check_window(d(5), d(3), d(2), d(30)),
            Err(BadInput::DateRangeOrder)
        );
        assert_eq!(
            check_window(d(1), d(1), d(2), d(30)),
            Err(BadInput::DatePassed)
        );
        assert_eq!(
            check_window(d(3), d(31), d(2), d(30)),
            Err(BadInput::DateBeyond { last_date: d(30) })
        );
    }

    #[test]
    fn modes_and_windows() {
        assert_eq!(ReleaseMode::parse("draw"), Ok(ReleaseMode::Draw));
        assert_eq!(
            ReleaseMode::parse(ReleaseMode::FirstCome.as_str()),
            Ok(ReleaseMode::FirstCome)
        );
        assert!(ReleaseMode::parse("lottery").is_err());
        assert_eq!(check_window_minutes(30), Ok(30));
        assert!(check_window_minutes(0).is_err() && check_window_minutes(1441).is_err());
    }
}
