//! Reports per center and date range (center-local dates, at most
//! [`MAX_DAYS`]): bookings, cancellations, check-ins, no-shows (and their
//! rate), walk-ins, served visits, average wait (`checked_in_at →
//! called_at`), average service time (`started_at → finished_at`) and
//! utilization (window-slots booked / window-slots offered).
//!
//! Definitions (DOMAIN.md is silent):
//! * **bookings**: booked visits (not walk-ins) on the day, except those
//!   cancelled; **cancelled** counts the cancelled ones separately.
//! * **no-show rate**: no-shows / bookings.
//! * **wait** and **service time** are averaged over the visits that have
//!   both timestamps (booked and walk-in alike).
//! * **capacity**: for every slot of the day's grid (opening hours, minus
//!   breaks and closures), the windows working then, capped by the center's
//!   R9 cap; **booked slots**: the slots each counted booking holds (its
//!   duration in slots). Walk-ins hold no slots.
//!
//! Who may read: the center's admin and the administrator
//! (`Need::CenterAdmin`).
pub mod fairness;
pub mod looks;

use chrono::{Days, NaiveDate, NaiveTime, Timelike};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::entity::bookings;
use crate::error::ServiceError;
use crate::service::booking::schedule::{load_center, load_national};
use crate::service::staff::{Need, StaffActor, allows};
use crate::state::Core;
use kezek_domain::capacity::{DaySchedule, slots_needed};
use kezek_domain::ids::CenterId;
use kezek_domain::input::BadInput;
use kezek_i18n::Lang;
use kezek_wire::staff::{Report, ReportDay};

/// The longest range one report covers.
pub const MAX_DAYS: u64 = 92;

fn minute(t: NaiveTime) -> u32 {
    t.hour() * 60 + t.minute()
}

/// Window-slots offered on a day: for each slot of the grid, the windows
/// working for the whole slot, capped by R9.
pub fn slot_capacity(day: &DaySchedule) -> u32 {
    let slot = day.slot_min.max(1);
    let mut total = 0u32;
    for &(open, close) in &day.open {
        let (o, c) = (minute(open), minute(close));
        let mut s = o;
        while s + slot <= c {
            let e = s + slot;
            let in_break = day.breaks.iter().any(|&(bs, be)| {
                let (bs, be) = (minute(bs), minute(be));
                s < be && bs < e
            });
            if !in_break {
                let working = day
                    .windows
                    .iter()
                    .filter(|w| match &w.intervals {
                        None => true,
                        Some(iv) => iv
                            .iter()
                            .any(|&(wo, wc)| minute(wo) <= s && e <= minute(wc)),
                    })
                    .count();
                let working = u32::try_from(working).unwrap_or(u32::MAX);
                total = total.saturating_add(working.min(day.cap.unwrap_or(u32::MAX)));
            }
            s = e;
        }
    }
    total
}

fn avg(sum: i64, n: i64) -> Option<i64> {
    (n > 0).then(|| sum / n)
}

/// The last `days` days up to today (Asia/Almaty), today included: what a
/// report shows when no range is asked.
pub fn last_days(core: &Core, days: u64) -> (NaiveDate, NaiveDate) {
    let today = kezek_domain::calendar::utc_to_local(chrono_tz::Asia::Almaty, core.now()).date();
    let from = today
        .checked_sub_days(Days::new(days.saturating_sub(1)))
        .unwrap_or(today);
    (from, today)
}

/// The report for `center_id` over `[from, to]`.
pub async fn center_report(
    state: &Core,
    actor: &StaffActor,
    center: CenterId,
    from: NaiveDate,
    to: NaiveDate,
    lang: Lang,
) -> Result<Report, ServiceError> {
    if !allows(actor, Need::CenterAdmin(center)) {
        return Err(ServiceError::Forbidden);
    }
    let center_id = center.get();
    if from > to {
        return Err(ServiceError::BadRequest(BadInput::DateRangeOrder));
    }
    if to.signed_duration_since(from).num_days() >= MAX_DAYS as i64 {
        return Err(ServiceError::BadRequest(BadInput::DateRangeTooLong {
            max_days: u32::try_from(MAX_DAYS).unwrap_or(u32::MAX),
        }));
    }
    let ctx = load_center(&state.db, center_id).await?;
    let national = load_national(&state.db, from, to).await?;
    let rows = bookings::Entity::find()
        .filter(bookings::Column::CenterId.eq(center_id))
        .filter(bookings::Column::LocalDate.gte(from.format("%Y-%m-%d").to_string()))
        .filter(bookings::Column::LocalDate.lte(to.format("%Y-%m-%d").to_string()))
        .all(&state.db)
        .await?;
    let slot_min = u32::try_from(ctx.center.slot_minutes).unwrap_or(15).max(1);
    let mut days = Vec::new();
    let mut d = from;
    let mut total = ReportDay {
        date: "total".into(),
        ..ReportDay::default()
    };
    let (mut tw, mut tnw, mut ts, mut tns) = (0i64, 0i64, 0i64, 0i64);
    loop {
        let ds = d.format("%Y-%m-%d").to_string();
        let mut r = ReportDay {
            date: ds.clone(),
            capacity_slots: slot_capacity(&ctx.day(&national, d, Vec::new())),
            ..ReportDay::default()
        };
        let (mut w, mut nw, mut s, mut ns) = (0i64, 0i64, 0i64, 0i64);
        for b in rows.iter().filter(|b| b.local_date == ds) {
            let cancelled = b.status == "Cancelled";
            if b.walk_in {
                r.walk_ins += 1;
            } else if cancelled {
                r.cancelled += 1;
            } else {
                r.bookings += 1;
                let minutes = u32::try_from((b.end_at - b.start_at).max(0) / 60).unwrap_or(0);
                r.booked_slots += slots_needed(minutes, slot_min);
                if b.checked_in_at.is_some() {
                    r.check_ins += 1;
                }
                if b.status == "NoShow" {
                    r.no_shows += 1;
                }
            }
            if b.status == "Served" {
                r.served += 1;
            }
            if let (Some(c), Some(k)) = (b.checked_in_at, b.called_at) {
                w += (k - c).max(0);
                nw += 1;
            }
            if let (Some(a), Some(f)) = (b.started_at, b.finished_at) {
                s += (f - a).max(0);
                ns += 1;
            }
        }
        r.avg_wait_s = avg(w, nw);
        r.avg_service_s = avg(s, ns);
        (tw, tnw, ts, tns) = (tw + w, tnw + nw, ts + s, tns + ns);
        total.bookings += r.bookings;
        total.cancelled += r.cancelled;
        total.check_ins += r.check_ins;
        total.no_shows += r.no_shows;
        total.walk_ins += r.walk_ins;
        total.served += r.served;
        total.booked_slots += r.booked_slots;
        total.capacity_slots += r.capacity_slots;
        days.push(r);
        d = match d.checked_add_days(Days::new(1)) {
            Some(n) if n <= to => n,
            _ => break,
        };
    }
    total.avg_wait_s = avg(tw, tnw);
    total.avg_service_s = avg(ts, tns);
    let name = lang.choose(
        &ctx.center.name_kk,
        &ctx.center.name_ru,
        &ctx.center.name_en,
    );
    // The public fairness figures for this center over the same range.
    let fair = fairness::compute(state, Some(center_id), from, to, lang)
        .await?
        .centers
        .into_iter()
        .next();
    Ok(Report {
        center_id: center_id.to_string(),
        center_name: name.clone(),
        from: from.format("%Y-%m-%d").to_string(),
        to: to.format("%Y-%m-%d").to_string(),
        days,
        total,
        fairness: fair,
    })
}
