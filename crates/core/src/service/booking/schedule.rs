//! Loading what the rules need from the database: a center's schedule, the
//! national calendar, the policy, the window-slots held on a day.
//!
//! Schedules are read outside the write transaction (they change rarely and
//! an admin change re-checks bookings itself); held slots are read inside it.
use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entity::{
    booking_slots, breaks, center_exceptions, centers, national_days, national_years,
    opening_hours, policy, window_services, windows,
};
use crate::error::ServiceError;
use crate::state::Core;
use kezek_domain::calendar::{
    DateException, DayKind, ExceptionKind, NationalCalendar, NationalEntry, WeeklyHours,
    opening_intervals, utc_to_local, window_intervals,
};
use kezek_domain::capacity::{DaySchedule, WindowDay};
use kezek_domain::catalog::CenterKind;
use kezek_domain::ids::{ServiceCode, WindowId};
use kezek_domain::policy::Policy;

/// A center with everything needed to build any day's [`DaySchedule`].
#[derive(Clone, Debug)]
pub struct CenterCtx {
    pub center: centers::Model,
    pub kind: CenterKind,
    pub tz: Tz,
    weekly: WeeklyHours,
    window_weekly: HashMap<i64, WeeklyHours>,
    breaks: Vec<breaks::Model>,
    exceptions: Vec<DateException>,
    /// Active windows and the services each serves.
    pub windows: Vec<(WindowId, i32, Vec<ServiceCode>)>,
}

fn minutes(m: i32) -> NaiveTime {
    let m = m.clamp(0, 24 * 60 - 1);
    let m = u32::try_from(m).unwrap_or(0);
    NaiveTime::from_hms_opt(m / 60, m % 60, 0).unwrap_or(NaiveTime::MIN)
}

fn weekday(n: i32) -> Option<Weekday> {
    u8::try_from(n).ok().and_then(|n| Weekday::try_from(n).ok())
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn weekly_from(rows: &[&opening_hours::Model]) -> WeeklyHours {
    let mut w = WeeklyHours::closed();
    let mut by_day: HashMap<i32, Vec<(NaiveTime, NaiveTime)>> = HashMap::new();
    for r in rows {
        by_day
            .entry(r.weekday)
            .or_default()
            .push((minutes(r.open_min), minutes(r.close_min)));
    }
    for (d, iv) in by_day {
        if let Some(wd) = weekday(d) {
            // Invalid intervals were refused when saved; skip defensively.
            let _ = w.set(wd, iv);
        }
    }
    w
}

/// Loads an active center and its schedule; `NotFound` if there is none.
pub async fn load_center(
    db: &impl ConnectionTrait,
    center_id: i64,
) -> Result<CenterCtx, ServiceError> {
    load_center_with(db, center_id, true).await
}

/// [`load_center`] also for an inactive center: what existing bookings
/// there still need (their no-show, their cancellation).
pub async fn load_center_any(
    db: &impl ConnectionTrait,
    center_id: i64,
) -> Result<CenterCtx, ServiceError> {
    load_center_with(db, center_id, false).await
}

async fn load_center_with(
    db: &impl ConnectionTrait,
    center_id: i64,
    active_only: bool,
) -> Result<CenterCtx, ServiceError> {
    let center = centers::Entity::find_by_id(center_id)
        .one(db)
        .await?
        .filter(|c| c.active || !active_only)
        .ok_or(ServiceError::NotFound)?;
    let kind: CenterKind = center
        .kind
        .parse()
        .map_err(|_| ServiceError::Internal(format!("center {center_id}: bad kind")))?;
    let tz: Tz = center
        .timezone
        .parse()
        .map_err(|_| ServiceError::Internal(format!("center {center_id}: bad time zone")))?;
    let hours = opening_hours::Entity::find()
        .filter(opening_hours::Column::CenterId.eq(center_id))
        .all(db)
        .await?;
    let center_rows: Vec<_> = hours.iter().filter(|h| h.window_id.is_none()).collect();
    let weekly = weekly_from(&center_rows);
    let mut per_window: HashMap<i64, Vec<&opening_hours::Model>> = HashMap::new();
    for h in hours.iter() {
        if let Some(w) = h.window_id {
            per_window.entry(w).or_default().push(h);
        }
    }
    let window_weekly = per_window
        .into_iter()
        .map(|(w, rows)| (w, weekly_from(&rows)))
        .collect();
    let brks = breaks::Entity::find()
        .filter(breaks::Column::CenterId.eq(center_id))
        .all(db)
        .await?;
    let exceptions = center_exceptions::Entity::find()
        .filter(center_exceptions::Column::CenterId.eq(center_id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|e| {
            let date = parse_date(&e.date)?;
            let kind = match (e.kind.as_str(), e.open_min, e.close_min) {
                ("closed", _, _) => ExceptionKind::Closed,
                ("shortened", _, Some(c)) => ExceptionKind::Shortened { close: minutes(c) },
                ("hours", Some(o), Some(c)) => ExceptionKind::Hours(vec![(minutes(o), minutes(c))]),
                _ => return None,
            };
            Some(DateException { date, kind })
        })
        .collect();
    let wins = windows::Entity::find()
        .filter(windows::Column::CenterId.eq(center_id))
        .filter(windows::Column::Active.eq(true))
        .order_by_asc(windows::Column::Number)
        .all(db)
        .await?;
    let ids: Vec<i64> = wins.iter().map(|w| w.id).collect();
    let served = window_services::Entity::find()
        .filter(window_services::Column::WindowId.is_in(ids))
        .all(db)
        .await?;
    let windows = wins
        .iter()
        .map(|w| {
            let services = served
                .iter()
                .filter(|s| s.window_id == w.id)
                .filter_map(|s| ServiceCode::parse(&s.service_code).ok())
                .collect();
            (WindowId::new(w.id), w.number, services)
        })
        .collect();
    Ok(CenterCtx {
        center,
        kind,
        tz,
        weekly,
        window_weekly,
        breaks: brks,
        exceptions,
        windows,
    })
}

impl CenterCtx {
    /// The center's day: open intervals, breaks, windows; `held` as given.
    pub fn day(
        &self,
        national: &NationalCalendar,
        date: NaiveDate,
        held: Vec<(WindowId, NaiveDateTime)>,
    ) -> DaySchedule {
        let open = opening_intervals(&self.weekly, &self.exceptions, national, date);
        let wd = i32::try_from(date.weekday().num_days_from_monday()).unwrap_or(0);
        let breaks = self
            .breaks
            .iter()
            .filter(|b| b.weekday.is_none_or(|d| d == wd))
            .map(|b| (minutes(b.start_min), minutes(b.end_min)))
            .collect();
        let windows =
            self.windows
                .iter()
                .map(|(id, _, services)| WindowDay {
                    id: *id,
                    services: services.clone(),
                    intervals: self.window_weekly.get(&id.get()).map(|w| {
                        window_intervals(&open, Some(w), &self.exceptions, national, date)
                    }),
                })
                .collect();
        DaySchedule {
            date,
            slot_min: u32::try_from(self.center.slot_minutes).unwrap_or(15).max(1),
            open,
            breaks,
            windows,
            held,
            cap: self.center.capacity_cap.and_then(|c| u32::try_from(c).ok()),
        }
    }

    /// UTC bounds [start, end) of a local date.
    pub fn day_bounds_utc(&self, date: NaiveDate) -> (i64, i64) {
        let start = self
            .tz
            .from_local_datetime(&date.and_time(NaiveTime::MIN))
            .earliest()
            .map(|t| t.timestamp())
            .unwrap_or_else(|| date.and_time(NaiveTime::MIN).and_utc().timestamp());
        (start, start + 24 * 3600)
    }

    pub fn to_local(&self, unix: i64) -> NaiveDateTime {
        utc_to_local(
            self.tz,
            Utc.timestamp_opt(unix, 0).single().unwrap_or_default(),
        )
    }
}

/// The national calendar entries in `[from, to]`.
pub async fn load_national(
    db: &impl ConnectionTrait,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<NationalCalendar, ServiceError> {
    let rows = national_days::Entity::find()
        .filter(national_days::Column::Date.gte(from.format("%Y-%m-%d").to_string()))
        .filter(national_days::Column::Date.lte(to.format("%Y-%m-%d").to_string()))
        .all(db)
        .await?;
    Ok(NationalCalendar::new(
        rows.into_iter()
            .filter_map(|r| {
                Some(NationalEntry {
                    date: parse_date(&r.date)?,
                    kind: if r.kind == "working_day" {
                        DayKind::WorkingDay { replaces: None }
                    } else {
                        DayKind::DayOff
                    },
                    name: r.name,
                })
            })
            .collect(),
    ))
}

/// The policy values (row 1 of `policy`), or the DOMAIN.md defaults.
pub async fn load_policy(db: &impl ConnectionTrait) -> Result<Policy, ServiceError> {
    Ok(policy::Entity::find_by_id(1)
        .one(db)
        .await?
        .and_then(|row| serde_json::from_str(&row.value).ok())
        .unwrap_or_default())
}

/// Window-slots held at a center in `[from, to)` (Unix seconds), as local
/// times, leaving out those of `exclude` (the booking being rescheduled).
pub async fn held_slots(
    db: &impl ConnectionTrait,
    ctx: &CenterCtx,
    from: i64,
    to: i64,
    exclude: Option<i64>,
) -> Result<Vec<(WindowId, i64, NaiveDateTime)>, ServiceError> {
    let mut q = booking_slots::Entity::find()
        .filter(booking_slots::Column::CenterId.eq(ctx.center.id))
        .filter(booking_slots::Column::SlotStart.gte(from))
        .filter(booking_slots::Column::SlotStart.lt(to));
    if let Some(id) = exclude {
        q = q.filter(booking_slots::Column::BookingId.ne(id));
    }
    Ok(q.all(db)
        .await?
        .into_iter()
        .map(|s| {
            (
                WindowId::new(s.window_id),
                s.slot_start,
                ctx.to_local(s.slot_start),
            )
        })
        .collect())
}

/// Writes the generated national calendar of each of `years` not generated
/// yet: its entries for the dates that have none (an administrator's entry
/// for a date wins), then the year is recorded in `national_years`, so it
/// is generated once and an administrator's later edits stay (review L11).
/// Safe to run from several processes at once.
pub async fn ensure_national_calendar(
    db: &impl ConnectionTrait,
    years: &[i32],
    now: i64,
) -> Result<(), ServiceError> {
    use sea_orm::ActiveValue::Set;
    use sea_orm::sea_query::OnConflict;
    for &year in years {
        if national_years::Entity::find_by_id(year)
            .one(db)
            .await?
            .is_some()
        {
            continue;
        }
        let cal = NationalCalendar::generate(year, &[]);
        let mut seen = std::collections::HashSet::new();
        let rows: Vec<_> = cal
            .entries
            .into_iter()
            .filter(|e| seen.insert(e.date))
            .map(|e| national_days::ActiveModel {
                date: Set(e.date.format("%Y-%m-%d").to_string()),
                kind: Set(match e.kind {
                    DayKind::DayOff => "day_off".to_owned(),
                    DayKind::WorkingDay { .. } => "working_day".to_owned(),
                }),
                name: Set(e.name),
            })
            .collect();
        if !rows.is_empty() {
            national_days::Entity::insert_many(rows)
                .on_conflict(
                    OnConflict::column(national_days::Column::Date)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(db)
                .await?;
        }
        national_years::Entity::insert(national_years::ActiveModel {
            year: Set(year),
            generated_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(national_years::Column::Year)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
        tracing::info!(year, "national calendar generated");
    }
    Ok(())
}

/// The national calendar of the clock's year and the next, generated where
/// missing: at start-up and by [`keep_national_calendar`], so a process
/// running across New Year never offers next year's holidays as working
/// days.
pub async fn ensure_national_calendar_now(state: &Core) -> Result<(), ServiceError> {
    let now = state.now();
    ensure_national_calendar(&state.db, &calendar_years(now), now.timestamp()).await
}

/// The years whose national calendar must exist at `now`: Kazakhstan's
/// current year (one time zone, UTC+5, since 2024) and the next.
pub fn calendar_years(now: chrono::DateTime<Utc>) -> [i32; 2] {
    let year = now.with_timezone(&chrono_tz::Asia::Almaty).year();
    [year, year + 1]
}

/// Runs [`ensure_national_calendar_now`] every `every` until dropped.
pub async fn keep_national_calendar(state: Core, every: std::time::Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match ensure_national_calendar_now(&state).await {
            Ok(()) => state.jobs.ok("calendar", state.now().timestamp()),
            Err(e) => tracing::warn!(error = %e, "national calendar pass failed"),
        }
    }
}
