//! Use case: free starts for a service at a center over a date range.
//!
//! One load of the center's schedule, one query for the national calendar
//! and one for the held window-slots of the whole range (indexed by
//! `(center_id, slot_start)`), then the pure grid per day — no N+1.
use chrono::{Days, NaiveDate};

use crate::error::ServiceError;
use crate::state::Core;
use kezek_domain::calendar::utc_to_local;
use kezek_domain::capacity::free_starts;
use kezek_domain::ids::{CenterId, ServiceCode};
use kezek_domain::input::BadInput;
use kezek_wire::types::FreeSlot;

use super::facts::{rfc3339_in, service_info};
use super::schedule::held_slots;

pub async fn availability(
    state: &Core,
    center_id: CenterId,
    service: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<FreeSlot>, ServiceError> {
    if from > to {
        return Err(ServiceError::BadRequest(BadInput::DateRangeOrder));
    }
    let policy = state.read_cache.policy(&state.db).await?;
    let span = (to - from).num_days();
    if span > i64::from(policy.horizon_days) + 1 {
        return Err(ServiceError::BadRequest(BadInput::DateRangeTooLong {
            max_days: policy.horizon_days,
        }));
    }
    let code = ServiceCode::parse(service.trim()).map_err(|_| {
        ServiceError::BadRequest(BadInput::UnknownService {
            code: service.trim().chars().take(40).collect(),
        })
    })?;
    let row = state
        .read_cache
        .service(&state.db, code.as_str())
        .await?
        .filter(|s| s.active)
        .ok_or(ServiceError::NotFound)?;
    let info = service_info(&row)?;
    let ctx = state.read_cache.center(&state.db, center_id.get()).await?;
    if info.online_available || info.kind != ctx.kind {
        return Ok(Vec::new());
    }
    let now = state.now();
    let bounds = policy.bounds(utc_to_local(ctx.tz, now));
    let national = state.read_cache.national(&state.db, from, to).await?;
    let (range_from, _) = ctx.day_bounds_utc(from);
    let (_, range_to) = ctx.day_bounds_utc(to);
    let held = held_slots(&state.db, &ctx, range_from, range_to, None).await?;
    // R12: dates under a draw offer nothing to book directly.
    let drawn =
        crate::service::draws::gate::blocked_dates(&state.db, center_id.get(), from, to).await?;
    let mut out = Vec::new();
    // The date of the first free start offered, for the looks below.
    let mut first_free: Option<NaiveDate> = None;
    let mut date = from;
    while date <= to {
        if drawn.contains_key(&date) {
            date = match date.checked_add_days(Days::new(1)) {
                Some(d) => d,
                None => break,
            };
            continue;
        }
        let held_today = held
            .iter()
            .filter(|(_, _, l)| l.date() == date)
            .map(|(w, _, l)| (*w, *l))
            .collect();
        let day = ctx.day(&national, date, held_today);
        for s in free_starts(&day, &code, info.duration_min, &bounds) {
            if s.free > 0
                && let Some(t) = kezek_domain::calendar::local_to_utc(ctx.tz, s.start)
            {
                first_free.get_or_insert(date);
                out.push(FreeSlot {
                    start: rfc3339_in(ctx.tz, t.timestamp()),
                    free: s.free,
                });
            }
        }
        date = match date.checked_add_days(Days::new(1)) {
            Some(d) => d,
            None => break,
        };
    }
    // A look that says where the first free start is (the fairness
    // page's "time to appointment"): from today, and either a start or
    // the whole horizon.
    let today = utc_to_local(ctx.tz, now).date();
    if from <= today {
        let first = first_free.map(|d| (d - today).num_days());
        if first.is_some() || to >= bounds.last_date {
            state.looks.record(center_id.get(), today, first);
        }
    }
    Ok(out)
}
