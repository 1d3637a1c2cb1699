//! Editing a center's schedule: weekly hours, breaks, dated exceptions,
//! windows and their services, the R9 cap.
//!
//! A change is written inside a transaction; the center is then reloaded
//! from that transaction and every active future booking is re-placed, in
//! booking order, with the pure [`capacity::fits`]: those that no longer
//! fit are the *affected* ones. [`preview`] rolls back and returns them;
//! [`apply`] refuses (`bad_request`, nothing changed) when there are some
//! and no decision, else commits and moves or cancels them through
//! `booking::close_day::relocate` — each citizen notified, each booking's
//! history naming the admin. The check and the write are one transaction,
//! so a booking made meanwhile cannot slip past the decision.
use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{NaiveDate, NaiveTime, Timelike};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, sea_query::Expr, sea_query::OnConflict,
};

use crate::entity::{
    bookings, breaks, center_exceptions, centers, opening_hours, services, window_services, windows,
};
use crate::error::ServiceError;
use crate::service::booking::close_day::CloseAction;
use crate::service::booking::facts::rfc3339_in;
use crate::service::booking::relocation;
use crate::service::booking::schedule::{CenterCtx, load_center, load_national};
use crate::service::booking::txn::{Outcome, bump_schedule, write_txn_outcome};
use crate::service::staff::{Need, StaffActor, allows};
use crate::state::Core;
use kezek_domain::calendar::utc_to_local;
use kezek_domain::capacity::{fits, slots_needed};
use kezek_domain::ids::{CenterId, ServiceCode, WindowId};
use kezek_domain::input::BadInput;
use kezek_domain::lifecycle::BookingStatus;
use kezek_i18n::Lang;
use kezek_wire::admin::{
    BreakView, DayHours, ExceptionView, ScheduleChange, ScheduleView, WindowView,
};
use kezek_wire::staff::{ClosureOutcome, DeskRow, NamedItem};

use super::closure::Decision;

fn authorize(actor: &StaffActor, center: CenterId) -> Result<(), ServiceError> {
    if allows(actor, Need::CenterAdmin(center)) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

fn bad(b: BadInput) -> ServiceError {
    ServiceError::BadRequest(b)
}

/// `HH:MM` → minutes after midnight (24:00 allowed as a closing time).
fn minutes_of(s: &str) -> Result<i32, ServiceError> {
    let s = s.trim();
    if s == "24:00" {
        return Ok(24 * 60);
    }
    let t = NaiveTime::parse_from_str(s, "%H:%M").map_err(|_| {
        bad(BadInput::TimeFormat {
            value: s.chars().take(20).collect(),
        })
    })?;
    Ok(i32::try_from(t.hour() * 60 + t.minute()).unwrap_or(0))
}

fn hhmm(m: i32) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

fn span(open: &str, close: &str) -> Result<(i32, i32), ServiceError> {
    let (o, c) = (minutes_of(open)?, minutes_of(close)?);
    if o >= c {
        return Err(bad(BadInput::TimeOrder {
            open: open.trim().to_owned(),
            close: close.trim().to_owned(),
        }));
    }
    Ok((o, c))
}

fn weekday_ok(d: i32) -> Result<i32, ServiceError> {
    if (0..7).contains(&d) {
        Ok(d)
    } else {
        Err(bad(BadInput::Weekday))
    }
}

fn date_of(s: &str) -> Result<NaiveDate, ServiceError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| bad(BadInput::DateFormat { field: "date" }))
}

/// Writes `change` for `center` in `txn` after validating it.
async fn write(
    txn: &DatabaseTransaction,
    center: &centers::Model,
    today: NaiveDate,
    change: &ScheduleChange,
) -> Result<(), ServiceError> {
    let cid = center.id;
    match change {
        ScheduleChange::Hours {
            weekday,
            open,
            close,
        } => {
            let wd = weekday_ok(*weekday)?;
            let interval = match (open.as_deref(), close.as_deref()) {
                (Some(o), Some(c)) if !o.trim().is_empty() && !c.trim().is_empty() => {
                    Some(span(o, c)?)
                }
                _ => None,
            };
            opening_hours::Entity::delete_many()
                .filter(opening_hours::Column::CenterId.eq(cid))
                .filter(opening_hours::Column::WindowId.is_null())
                .filter(opening_hours::Column::Weekday.eq(wd))
                .exec(txn)
                .await?;
            if let Some((o, c)) = interval {
                opening_hours::Entity::insert(opening_hours::ActiveModel {
                    center_id: Set(cid),
                    window_id: Set(None),
                    weekday: Set(wd),
                    open_min: Set(o),
                    close_min: Set(c),
                    ..Default::default()
                })
                .exec_without_returning(txn)
                .await?;
            }
        }
        ScheduleChange::AddBreak {
            weekday,
            start,
            end,
        } => {
            let wd = weekday.map(weekday_ok).transpose()?;
            let (s, e) = span(start, end)?;
            breaks::Entity::insert(breaks::ActiveModel {
                center_id: Set(cid),
                weekday: Set(wd),
                start_min: Set(s),
                end_min: Set(e),
                ..Default::default()
            })
            .exec_without_returning(txn)
            .await?;
        }
        ScheduleChange::RemoveBreak { id } => {
            let r = breaks::Entity::delete_many()
                .filter(breaks::Column::Id.eq(*id))
                .filter(breaks::Column::CenterId.eq(cid))
                .exec(txn)
                .await?;
            if r.rows_affected == 0 {
                return Err(ServiceError::NotFound);
            }
        }
        ScheduleChange::Exception {
            date,
            kind,
            open,
            close,
            note,
        } => {
            let d = date_of(date)?;
            if d < today {
                return Err(bad(BadInput::DatePassed));
            }
            let t = |v: &Option<String>| -> Result<Option<i32>, ServiceError> {
                match v.as_deref().map(str::trim) {
                    Some(s) if !s.is_empty() => minutes_of(s).map(Some),
                    _ => Ok(None),
                }
            };
            let (o, c) = (t(open)?, t(close)?);
            let (o, c) = match (kind.as_str(), o, c) {
                ("closed", _, _) => (None, None),
                ("shortened", _, Some(c)) => (None, Some(c)),
                ("hours", Some(o), Some(c)) if o < c => (Some(o), Some(c)),
                ("shortened", ..) => return Err(bad(BadInput::ShortenedNeedsClose)),
                ("hours", ..) => {
                    return Err(bad(BadInput::HoursNeedOpenAndClose));
                }
                _ => {
                    return Err(bad(BadInput::OneOf {
                        field: "kind",
                        allowed: &["closed", "shortened", "hours"],
                    }));
                }
            };
            let note = note
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(|n| n.chars().take(500).collect::<String>());
            center_exceptions::Entity::insert(center_exceptions::ActiveModel {
                center_id: Set(cid),
                date: Set(d.format("%Y-%m-%d").to_string()),
                kind: Set(kind.clone()),
                open_min: Set(o),
                close_min: Set(c),
                note: Set(note),
                ..Default::default()
            })
            .on_conflict(
                OnConflict::columns([
                    center_exceptions::Column::CenterId,
                    center_exceptions::Column::Date,
                ])
                .update_columns([
                    center_exceptions::Column::Kind,
                    center_exceptions::Column::OpenMin,
                    center_exceptions::Column::CloseMin,
                    center_exceptions::Column::Note,
                ])
                .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
        }
        ScheduleChange::RemoveException { date } => {
            let d = date_of(date)?;
            let r = center_exceptions::Entity::delete_many()
                .filter(center_exceptions::Column::CenterId.eq(cid))
                .filter(center_exceptions::Column::Date.eq(d.format("%Y-%m-%d").to_string()))
                .exec(txn)
                .await?;
            if r.rows_affected == 0 {
                return Err(ServiceError::NotFound);
            }
        }
        ScheduleChange::Window {
            id,
            number,
            active,
            services: codes,
        } => {
            if !(1..=999).contains(number) {
                return Err(bad(BadInput::OutOfRange {
                    field: "number",
                    min: 1,
                    max: 999,
                }));
            }
            let mut codes: Vec<String> = codes.iter().map(|c| c.trim().to_owned()).collect();
            codes.sort();
            codes.dedup();
            let known = services::Entity::find()
                .filter(services::Column::Code.is_in(codes.clone()))
                .all(txn)
                .await?;
            for c in &codes {
                match known.iter().find(|s| &s.code == c) {
                    None => return Err(bad(BadInput::UnknownService { code: c.clone() })),
                    Some(s) if s.center_kind != center.kind => {
                        return Err(bad(BadInput::ServiceWrongKind { code: c.clone() }));
                    }
                    Some(s) if s.online_available => {
                        return Err(bad(BadInput::ServiceOnlineOnly { code: c.clone() }));
                    }
                    Some(_) => {}
                }
            }
            let clash = windows::Entity::find()
                .filter(windows::Column::CenterId.eq(cid))
                .filter(windows::Column::Number.eq(*number))
                .all(txn)
                .await?
                .into_iter()
                .any(|w| Some(w.id) != *id);
            if clash {
                return Err(bad(BadInput::WindowTaken { number: *number }));
            }
            let wid = match id {
                Some(wid) => {
                    let r = windows::Entity::update_many()
                        .col_expr(windows::Column::Number, Expr::value(*number))
                        .col_expr(windows::Column::Active, Expr::value(*active))
                        .filter(windows::Column::Id.eq(*wid))
                        .filter(windows::Column::CenterId.eq(cid))
                        .exec(txn)
                        .await?;
                    if r.rows_affected == 0 {
                        return Err(ServiceError::NotFound);
                    }
                    window_services::Entity::delete_many()
                        .filter(window_services::Column::WindowId.eq(*wid))
                        .exec(txn)
                        .await?;
                    *wid
                }
                None => {
                    windows::Entity::insert(windows::ActiveModel {
                        center_id: Set(cid),
                        number: Set(*number),
                        active: Set(*active),
                        ..Default::default()
                    })
                    .exec(txn)
                    .await?
                    .last_insert_id
                }
            };
            if !codes.is_empty() {
                window_services::Entity::insert_many(codes.into_iter().map(|c| {
                    window_services::ActiveModel {
                        window_id: Set(wid),
                        service_code: Set(c),
                    }
                }))
                .exec_without_returning(txn)
                .await?;
            }
        }
        ScheduleChange::Cap { cap } => {
            if cap.is_some_and(|c| !(1..=999).contains(&c)) {
                return Err(bad(BadInput::CapRange { min: 1, max: 999 }));
            }
            centers::Entity::update_many()
                .col_expr(centers::Column::CapacityCap, Expr::value(*cap))
                .filter(centers::Column::Id.eq(cid))
                .exec(txn)
                .await?;
        }
    }
    Ok(())
}

/// The active bookings from `now` on that no longer fit `ctx`: each day's
/// bookings are re-placed in booking order; a booking keeps its place if
/// it still fits there with the ones placed before it.
pub async fn misfits(
    db: &impl ConnectionTrait,
    ctx: &CenterCtx,
    now: i64,
) -> Result<Vec<bookings::Model>, ServiceError> {
    let rows = bookings::Entity::find()
        .filter(bookings::Column::CenterId.eq(ctx.center.id))
        .filter(bookings::Column::Status.eq(BookingStatus::Booked.as_str()))
        .filter(bookings::Column::StartAt.gte(now))
        .order_by_asc(bookings::Column::Id)
        .all(db)
        .await?;
    let mut by_day: BTreeMap<NaiveDate, Vec<bookings::Model>> = BTreeMap::new();
    for b in rows {
        by_day
            .entry(ctx.to_local(b.start_at).date())
            .or_default()
            .push(b);
    }
    let (Some(first), Some(last)) = (by_day.keys().next(), by_day.keys().next_back()) else {
        return Ok(Vec::new());
    };
    let national = load_national(db, *first, *last).await?;
    let mut out = Vec::new();
    for (date, day_rows) in by_day {
        let mut day = ctx.day(&national, date, Vec::new());
        for b in day_rows {
            let start = ctx.to_local(b.start_at);
            let duration = u32::try_from((b.end_at - b.start_at) / 60).unwrap_or(0);
            let window = WindowId::new(b.window_id);
            let ok = ServiceCode::parse(&b.service_code)
                .is_ok_and(|code| fits(&day, &code, duration, window, start));
            if ok {
                let run = slots_needed(duration, day.slot_min);
                for j in 0..run {
                    let at = start + chrono::Duration::minutes(i64::from(j * day.slot_min));
                    day.held.push((window, at));
                }
            } else {
                out.push(b);
            }
        }
    }
    out.sort_by_key(|b| b.start_at);
    Ok(out)
}

/// Decides, given the affected bookings, whether to keep a change (`Ok(false)`
/// rolls back).
type Keep = Arc<dyn Fn(&[bookings::Model]) -> Result<bool, ServiceError> + Send + Sync>;

/// Runs `change` in a transaction and returns the affected bookings;
/// `commit` decides on them whether to keep the change (else it is rolled
/// back and the bookings are still returned).
async fn trial(
    state: &Core,
    ctx: &CenterCtx,
    change: &ScheduleChange,
    commit: Keep,
    relocation: Option<(CloseAction, String, String)>,
) -> Result<(Vec<bookings::Model>, Vec<i64>), ServiceError> {
    let now = state.now();
    let today = utc_to_local(ctx.tz, now).date();
    let center = ctx.center.clone();
    write_txn_outcome(state, |txn| {
        let (center, change, commit, relocation, core) = (
            center.clone(),
            change.clone(),
            commit.clone(),
            relocation.clone(),
            state.clone(),
        );
        Box::pin(async move {
            // First: wait for bookings in flight at this center, and make
            // every later one read the new schedule (M1).
            bump_schedule(txn, Some(center.id)).await?;
            write(txn, &center, today, &change).await?;
            let fresh = load_center(txn, center.id).await?;
            let affected = misfits(txn, &fresh, now.timestamp()).await?;
            if commit(&affected)? {
                // The decision is recorded with the change (M2).
                let items = match &relocation {
                    Some((action, reason, actor)) if !affected.is_empty() => {
                        relocation::record(txn, &affected, *action, reason, actor, now.timestamp())
                            .await?
                    }
                    _ => Vec::new(),
                };
                // R13: starts the change adds go to the waiting list in
                // this transaction, before anyone else can see them.
                crate::service::waitlist::serve::serve_added(&core, txn, center.id, today).await?;
                Ok(Outcome::Commit((affected, items)))
            } else {
                Ok(Outcome::Rollback((affected, Vec::new())))
            }
        })
    })
    .await
}

fn rows(ctx: &CenterCtx, list: Vec<bookings::Model>) -> Vec<DeskRow> {
    list.into_iter()
        .map(|b| DeskRow {
            id: b.id.to_string(),
            code: b.code.clone(),
            ticket: b.ticket.clone(),
            status: b.status.clone(),
            start: rfc3339_in(ctx.tz, b.start_at),
            service: b.service_code.clone(),
            service_name: b.service_code.clone(),
            window: ctx
                .windows
                .iter()
                .find(|(w, _, _)| w.get() == b.window_id)
                .map(|(_, n, _)| *n),
            called_window: None,
            priority: b.priority,
            walk_in: b.walk_in,
            iin_masked: None,
        })
        .collect()
}

/// The bookings `change` would leave outside the schedule (nothing is
/// stored).
pub async fn preview(
    state: &Core,
    actor: &StaffActor,
    center: CenterId,
    change: &ScheduleChange,
    _lang: Lang,
) -> Result<Vec<DeskRow>, ServiceError> {
    authorize(actor, center)?;
    let center_id = center.get();
    let ctx = load_center(&state.db, center_id).await?;
    let (list, _) = trial(state, &ctx, change, Arc::new(|_| Ok(false)), None).await?;
    Ok(rows(&ctx, list))
}

/// Applies `change`. With affected bookings a decision and a reason are
/// required (`bad_request` otherwise, nothing stored); they are then moved
/// or cancelled by the center, each citizen notified.
pub async fn apply(
    state: &Core,
    actor: &StaffActor,
    center: CenterId,
    change: &ScheduleChange,
    decision: Decision,
    reason: &str,
    _lang: Lang,
) -> Result<ClosureOutcome, ServiceError> {
    authorize(actor, center)?;
    let center_id = center.get();
    let reason = reason.trim().to_owned();
    if kezek_domain::input::has_control(&reason) {
        return Err(bad(BadInput::ControlCharacters { field: "reason" }));
    }
    let why = reason.clone();
    let keep: Keep = Arc::new(move |affected| {
        if affected.is_empty() {
            return Ok(true);
        }
        if decision == Decision::None {
            return Err(bad(BadInput::DecisionRequired {
                count: u32::try_from(affected.len()).unwrap_or(u32::MAX),
                date: None,
            }));
        }
        if why.is_empty() || why.chars().count() > 500 {
            return Err(bad(BadInput::ReasonRequired { max: 500 }));
        }
        Ok(true)
    });
    let action = if decision == Decision::Cancel {
        CloseAction::Cancel
    } else {
        CloseAction::MoveOrCancel
    };
    let before = load_center(&state.db, center_id).await?;
    let (affected, items) = trial(
        state,
        &before,
        change,
        keep,
        Some((action, reason.clone(), format!("staff:{}", actor.id))),
    )
    .await?;
    state.read_cache.clear();
    tracing::info!(
        actor = actor.id,
        center_id,
        ?change,
        affected = affected.len(),
        "schedule changed"
    );
    let report = relocation::drain(state, relocation::Which::Ids(items)).await?;
    Ok(report.outcome())
}

/// The schedule of a center as the editor shows it.
pub async fn view(
    state: &Core,
    actor: &StaffActor,
    center: CenterId,
    lang: Lang,
) -> Result<ScheduleView, ServiceError> {
    authorize(actor, center)?;
    let center_id = center.get();
    let center = centers::Entity::find_by_id(center_id)
        .one(&state.db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let tz: chrono_tz::Tz = center.timezone.parse().unwrap_or(chrono_tz::Asia::Almaty);
    let today = utc_to_local(tz, state.now()).date();
    let hours_rows = opening_hours::Entity::find()
        .filter(opening_hours::Column::CenterId.eq(center_id))
        .filter(opening_hours::Column::WindowId.is_null())
        .order_by_asc(opening_hours::Column::OpenMin)
        .all(&state.db)
        .await?;
    let hours = (0..7)
        .map(|wd| DayHours {
            weekday: wd,
            intervals: hours_rows
                .iter()
                .filter(|h| h.weekday == wd)
                .map(|h| (hhmm(h.open_min), hhmm(h.close_min)))
                .collect(),
        })
        .collect();
    let breaks = breaks::Entity::find()
        .filter(breaks::Column::CenterId.eq(center_id))
        .order_by_asc(breaks::Column::StartMin)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|b| BreakView {
            id: b.id,
            weekday: b.weekday,
            start: hhmm(b.start_min),
            end: hhmm(b.end_min),
        })
        .collect();
    let exceptions = center_exceptions::Entity::find()
        .filter(center_exceptions::Column::CenterId.eq(center_id))
        .filter(center_exceptions::Column::Date.gte(today.format("%Y-%m-%d").to_string()))
        .order_by_asc(center_exceptions::Column::Date)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|e| ExceptionView {
            date: e.date,
            kind: e.kind,
            open: e.open_min.map(hhmm),
            close: e.close_min.map(hhmm),
            note: e.note,
        })
        .collect();
    let wins = windows::Entity::find()
        .filter(windows::Column::CenterId.eq(center_id))
        .order_by_asc(windows::Column::Number)
        .all(&state.db)
        .await?;
    let served = window_services::Entity::find()
        .filter(window_services::Column::WindowId.is_in(wins.iter().map(|w| w.id)))
        .all(&state.db)
        .await?;
    let windows = wins
        .iter()
        .map(|w| WindowView {
            id: w.id,
            number: w.number,
            active: w.active,
            services: served
                .iter()
                .filter(|s| s.window_id == w.id)
                .map(|s| s.service_code.clone())
                .collect(),
        })
        .collect();
    let services = services::Entity::find()
        .filter(services::Column::CenterKind.eq(center.kind.clone()))
        .filter(services::Column::OnlineAvailable.eq(false))
        .filter(services::Column::Active.eq(true))
        .order_by_asc(services::Column::Code)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|s| NamedItem {
            name: lang.pick(&s.name_kk, &s.name_ru, &s.name_en).to_owned(),
            code: s.code,
        })
        .collect();
    Ok(ScheduleView {
        center_id,
        center_name: lang
            .pick(&center.name_kk, &center.name_ru, &center.name_en)
            .to_owned(),
        slot_minutes: center.slot_minutes,
        cap: center.capacity_cap,
        hours,
        breaks,
        exceptions,
        windows,
        services,
    })
}
