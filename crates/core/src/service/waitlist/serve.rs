//! Serving the waiting list (R13): a freed start goes to the earliest-joined
//! matching entry whose rules allow it, inside the transaction that freed
//! it — a cancellation, a reschedule away, a draw's leftovers — so the
//! start is never visible to anyone else in between. The sweep job serves
//! starts that schedule changes add (more hours or windows) and ends
//! entries whose dates have passed.
use std::time::Duration;

use chrono::{Days, NaiveDate, NaiveDateTime};
use sea_orm::{
    ColumnTrait, Condition, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait, sea_query::Expr,
};

use crate::entity::{booking_slots, bookings, centers, waitlist_entries};
use crate::error::ServiceError;
use crate::service::booking::create::{assign_and_hold, insert_with_window};
use crate::service::booking::facts::{booking_facts, citizen_facts, service_info};
use crate::service::booking::reschedule::{Move, record_move};
use crate::service::booking::schedule::{CenterCtx, held_slots, load_center};
use crate::service::booking::txn::{current_schedule, lock_citizen_row, write_txn};
use crate::state::Core;
use kezek_domain::calendar::utc_to_local;
use kezek_domain::capacity::free_starts;
use kezek_domain::catalog::ServiceInfo;
use kezek_domain::draw::TimeRange;
use kezek_domain::ids::BookingCode;
use kezek_domain::iin::Iin;
use kezek_domain::lifecycle::BookingStatus;
use kezek_domain::rules::{
    NewBookingRequest, RescheduleRequest, check_new_booking, check_reschedule,
};
use kezek_domain::vehicle::VehicleRef;

use super::{EXPIRED, SERVED, WAITING};

fn range_of(e: &waitlist_entries::Model) -> TimeRange {
    TimeRange::parse(e.time_from.as_deref(), e.time_to.as_deref()).unwrap_or_default()
}

fn day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// The first free start for `service` at one of `centers` in `[from, to]`
/// within `range` (outside draws), read outside any transaction; with
/// `only_free` false, the first start the schedule offers at all, taken or
/// not, draws included (is the entry servable ever?).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn first_start(
    core: &Core,
    service: &ServiceInfo,
    centers: &[centers::Model],
    from: NaiveDate,
    to: NaiveDate,
    range: &TimeRange,
    exclude_booking: Option<i64>,
    only_free: bool,
) -> Result<Option<(i64, NaiveDateTime)>, ServiceError> {
    let now = core.now();
    let policy = core.read_cache.policy(&core.db).await?;
    let national = core.read_cache.national(&core.db, from, to).await?;
    for c in centers {
        let ctx = match core.read_cache.center(&core.db, c.id).await {
            Ok(ctx) => ctx,
            Err(ServiceError::NotFound) => continue,
            Err(e) => return Err(e),
        };
        let bounds = policy.bounds(utc_to_local(ctx.tz, now));
        let drawn = crate::service::draws::gate::blocked_dates(&core.db, c.id, from, to).await?;
        let (a, _) = ctx.day_bounds_utc(from);
        let (_, b) = ctx.day_bounds_utc(to);
        let held = held_slots(&core.db, &ctx, a, b, exclude_booking).await?;
        let mut d = from;
        while d <= to {
            if !only_free || !drawn.contains_key(&d) {
                let day = ctx.day(
                    &national,
                    d,
                    held.iter()
                        .filter(|(_, _, l)| l.date() == d)
                        .map(|(w, _, l)| (*w, *l))
                        .collect(),
                );
                if let Some(s) = free_starts(&day, &service.code, service.duration_min, &bounds)
                    .into_iter()
                    .find(|s| (s.free > 0 || !only_free) && range.fits(s.start.time()))
                {
                    return Ok(Some((c.id, s.start)));
                }
            }
            d = match d.checked_add_days(Days::new(1)) {
                Some(n) => n,
                None => break,
            };
        }
    }
    Ok(None)
}

/// Serves the waiting list for starts freed at `center_id` on `date`,
/// inside the caller's transaction (which has already written what freed
/// them). A served tied entry frees its old start, which is served in
/// turn (bounded). Returns how many entries were served.
pub async fn serve_freed(
    core: &Core,
    txn: &DatabaseTransaction,
    center_id: i64,
    date: NaiveDate,
) -> Result<usize, ServiceError> {
    let mut queue = vec![(center_id, date)];
    let mut served = 0;
    let mut rounds = 0;
    while let Some((c, d)) = queue.pop() {
        rounds += 1;
        if rounds > 20 {
            break;
        }
        served += serve_day(core, txn, c, d, &mut queue).await?;
    }
    Ok(served)
}

async fn serve_day(
    core: &Core,
    txn: &DatabaseTransaction,
    center_id: i64,
    date: NaiveDate,
    queue: &mut Vec<(i64, NaiveDate)>,
) -> Result<usize, ServiceError> {
    let now = core.now();
    let ds = date.format("%Y-%m-%d").to_string();
    // Cheap first: is anyone waiting for this center's kind on that day?
    let Some(center) = centers::Entity::find_by_id(center_id).one(txn).await? else {
        return Ok(0);
    };
    let entries = waitlist_entries::Entity::find()
        .filter(waitlist_entries::Column::Status.eq(WAITING))
        .filter(waitlist_entries::Column::CenterKind.eq(center.kind.clone()))
        .filter(waitlist_entries::Column::DateFrom.lte(ds.clone()))
        .filter(waitlist_entries::Column::DateTo.gte(ds.clone()))
        .filter(
            Condition::any()
                .add(waitlist_entries::Column::CenterId.eq(center_id))
                .add(
                    Condition::all()
                        .add(waitlist_entries::Column::CenterId.is_null())
                        .add(waitlist_entries::Column::City.is_not_null()),
                ),
        )
        .order_by_asc(waitlist_entries::Column::Id)
        .limit(200)
        .all(txn)
        .await?;
    let city = center.city.trim().to_lowercase();
    let entries: Vec<_> = entries
        .into_iter()
        .filter(|e| {
            e.center_id == Some(center_id)
                || e.city
                    .as_deref()
                    .is_some_and(|c| c.trim().to_lowercase() == city)
        })
        .collect();
    if entries.is_empty() || !center.active {
        return Ok(0);
    }
    // A date under a draw is the draw's.
    if crate::service::draws::gate::draw_block(txn, center_id, date)
        .await?
        .is_some()
    {
        return Ok(0);
    }
    // A center reactivated by the caller's transaction is inactive outside
    // it (the cache's view): read it here then.
    let ctx = match core.read_cache.center(&core.db, center_id).await {
        Ok(ctx) => ctx,
        Err(ServiceError::NotFound) => std::sync::Arc::new(load_center(txn, center_id).await?),
        Err(e) => return Err(e),
    };
    let national = core.read_cache.national(&core.db, date, date).await?;
    let (ctx, national) = current_schedule(core, txn, ctx, national, date, date).await?;
    let policy = crate::service::booking::schedule::load_policy(txn).await?;
    let bounds = policy.bounds(utc_to_local(ctx.tz, now));
    let (from, to) = ctx.day_bounds_utc(date);
    // The day's holds, read once and again only after an entry is served
    // (a tied entry reads its own: its booking's holds do not count against
    // it); services from the read cache. Hundreds of entries may wait for
    // one day.
    let mut held_all = held_slots(txn, &ctx, from, to, None).await?;
    let mut served = 0;
    for e in entries {
        let Some(srow) = core.read_cache.service(&core.db, &e.service_code).await? else {
            continue;
        };
        let service = service_info(&srow)?;
        let held = match e.booking_id {
            Some(_) => held_slots(txn, &ctx, from, to, e.booking_id).await?,
            None => held_all.clone(),
        };
        let mut day = ctx.day(
            &national,
            date,
            held.iter().map(|(w, _, l)| (*w, *l)).collect(),
        );
        let range = range_of(&e);
        let Some(start) = free_starts(&day, &service.code, service.duration_min, &bounds)
            .into_iter()
            .find(|s| s.free > 0 && range.fits(s.start.time()))
            .map(|s| s.start)
        else {
            continue;
        };
        let Some(citizen) = lock_citizen_row(txn, e.citizen_id).await? else {
            continue;
        };
        let got = match e.booking_id {
            Some(bid) => move_tied(
                core, txn, &ctx, &mut day, &service, &e, bid, start, &citizen,
            )
            .await?
            .map(|old| {
                queue.push(old);
                bid
            }),
            None => book_new(core, txn, &ctx, &mut day, &service, &e, start, &citizen).await?,
        };
        let Some(booking_id) = got else {
            continue;
        };
        held_all = held_slots(txn, &ctx, from, to, None).await?;
        waitlist_entries::Entity::update_many()
            .col_expr(waitlist_entries::Column::Status, Expr::value(SERVED))
            .col_expr(
                waitlist_entries::Column::ServedBookingId,
                Expr::value(booking_id),
            )
            .col_expr(
                waitlist_entries::Column::EndedAt,
                Expr::value(now.timestamp()),
            )
            .filter(waitlist_entries::Column::Id.eq(e.id))
            .filter(waitlist_entries::Column::Status.eq(WAITING))
            .exec(txn)
            .await?;
        served += 1;
        tracing::info!(entry = e.id, booking = booking_id, "waiting list served");
    }
    Ok(served)
}

/// A new booking for an untied entry, if the rules allow it now.
#[allow(clippy::too_many_arguments)]
async fn book_new(
    core: &Core,
    txn: &DatabaseTransaction,
    ctx: &CenterCtx,
    day: &mut kezek_domain::capacity::DaySchedule,
    service: &ServiceInfo,
    e: &waitlist_entries::Model,
    start: NaiveDateTime,
    citizen: &crate::entity::citizens::Model,
) -> Result<Option<i64>, ServiceError> {
    let now = core.now();
    let policy = crate::service::booking::schedule::load_policy(txn).await?;
    let Ok(iin) = Iin::parse(&citizen.iin) else {
        return Ok(None);
    };
    let vehicle = e.vehicle.as_deref().and_then(|v| VehicleRef::parse(v).ok());
    let record = match &vehicle {
        Some(v) => core.registry.lookup(v).await?,
        None => None,
    };
    let vfacts = match &vehicle {
        Some(v) => Some(crate::service::booking::create::vehicle_facts(txn, v, record).await?),
        None => None,
    };
    let existing = citizen_facts(txn, e.citizen_id, &policy, now, &[start.date()], ctx.tz).await?;
    let req = NewBookingRequest {
        iin,
        service: service.clone(),
        center_kind: ctx.kind,
        center_tz: ctx.tz,
        start_local: start,
        vehicle: vehicle.clone(),
    };
    if check_new_booking(&req, &existing, vfacts.as_ref(), &policy, now).is_err() {
        // Skipped, not dropped: the entry waits on.
        return Ok(None);
    }
    let mut code_bytes = [0u8; 8];
    rand::Rng::fill(&mut rand::rng(), &mut code_bytes);
    let code = BookingCode::from_random_bytes(&code_bytes);
    let key = vfacts
        .as_ref()
        .and_then(|f| f.record.as_ref().map(|r| r.key.clone()))
        .or_else(|| {
            vehicle
                .as_ref()
                .map(crate::service::booking::create::key_of)
        });
    // In a savepoint: a refusal after the row was written (its start taken
    // by a concurrent booking meanwhile) leaves nothing behind.
    let sp = txn.begin().await?;
    match insert_with_window(
        &sp,
        day,
        ctx,
        &req,
        &policy,
        now,
        citizen,
        &code,
        key,
        ("waitlist", Some(format!("waiting list {}", e.id))),
    )
    .await
    {
        Ok(row) => {
            sp.commit().await?;
            Ok(Some(row.id))
        }
        Err(ServiceError::Refused(_)) => {
            sp.rollback().await?;
            Ok(None)
        }
        Err(err) => Err(err),
    }
}

/// Moves a tied entry's booking (same id and code) to `start`, not counted
/// by R1's limit. Returns the old (center, date), freed now.
#[allow(clippy::too_many_arguments)]
async fn move_tied(
    core: &Core,
    txn: &DatabaseTransaction,
    ctx: &CenterCtx,
    day: &mut kezek_domain::capacity::DaySchedule,
    service: &ServiceInfo,
    e: &waitlist_entries::Model,
    booking_id: i64,
    start: NaiveDateTime,
    citizen: &crate::entity::citizens::Model,
) -> Result<Option<(i64, NaiveDate)>, ServiceError> {
    let now = core.now();
    let Some(b) = bookings::Entity::find_by_id(booking_id).one(txn).await? else {
        return Ok(None);
    };
    if b.status != BookingStatus::Booked.as_str() || b.citizen_id != e.citizen_id {
        return Ok(None);
    }
    let old_ctx_tz: chrono_tz::Tz = centers::Entity::find_by_id(b.center_id)
        .one(txn)
        .await?
        .and_then(|c| c.timezone.parse().ok())
        .unwrap_or(ctx.tz);
    let facts = booking_facts(&b, old_ctx_tz)?;
    let old_local = facts.start_local;
    if old_local == start && b.center_id == ctx.center.id {
        return Ok(None);
    }
    let mut policy = crate::service::booking::schedule::load_policy(txn).await?;
    // The move asked for by the entry does not count toward R1's limit.
    policy.max_reschedules = u32::MAX;
    let existing = citizen_facts(txn, e.citizen_id, &policy, now, &[start.date()], ctx.tz).await?;
    let req = RescheduleRequest {
        booking: facts,
        service: service.code.clone(),
        center_kind: ctx.kind,
        center_tz: ctx.tz,
        new_start_local: start,
    };
    if check_reschedule(&req, &existing, &policy, now).is_err() {
        return Ok(None);
    }
    booking_slots::Entity::delete_many()
        .filter(booking_slots::Column::BookingId.eq(booking_id))
        .exec(txn)
        .await?;
    let bounds = policy.bounds(utc_to_local(ctx.tz, now));
    let (window, instants) = match assign_and_hold(
        txn,
        day,
        ctx,
        &service.code,
        service.duration_min,
        start,
        &bounds,
        booking_id,
    )
    .await
    {
        Ok(x) => x,
        Err(ServiceError::Refused(_)) => {
            return Err(ServiceError::Internal(
                "waiting-list move lost its start".into(),
            ));
        }
        Err(err) => return Err(err),
    };
    let start_at = instants.first().copied().unwrap_or_default();
    record_move(
        txn,
        &Move {
            booking: &b,
            ctx,
            citizen,
            window,
            start_at,
            duration_min: service.duration_min,
            old_local,
            new_local: start,
            // Not counted toward R1's limit (R13).
            reschedule_count: b.reschedule_count,
            actor: "waitlist",
            note_suffix: " (waiting list)",
        },
        now.timestamp(),
    )
    .await?;
    Ok(Some((b.center_id, old_local.date())))
}

/// Serves the waiting list for starts a schedule change at `center_id` may
/// have added (more hours, more windows, a higher cap), inside the
/// change's transaction, so nobody else can see them first (R13): every
/// day from `today` that an entry waiting for this center — or for its
/// city — covers (at most [`MAX_ADDED_DAYS`] days). Returns how many
/// entries were served.
pub async fn serve_added(
    core: &Core,
    txn: &DatabaseTransaction,
    center_id: i64,
    today: NaiveDate,
) -> Result<usize, ServiceError> {
    let Some(center) = centers::Entity::find_by_id(center_id).one(txn).await? else {
        return Ok(0);
    };
    let entries = waitlist_entries::Entity::find()
        .filter(waitlist_entries::Column::Status.eq(WAITING))
        .filter(waitlist_entries::Column::CenterKind.eq(center.kind.clone()))
        .filter(waitlist_entries::Column::DateTo.gte(today.format("%Y-%m-%d").to_string()))
        .filter(
            Condition::any()
                .add(waitlist_entries::Column::CenterId.eq(center_id))
                .add(
                    Condition::all()
                        .add(waitlist_entries::Column::CenterId.is_null())
                        .add(waitlist_entries::Column::City.is_not_null()),
                ),
        )
        .all(txn)
        .await?;
    let city = center.city.trim().to_lowercase();
    let mut dates = std::collections::BTreeSet::new();
    for e in entries.iter().filter(|e| {
        e.center_id == Some(center_id)
            || e.city
                .as_deref()
                .is_some_and(|c| c.trim().to_lowercase() == city)
    }) {
        let (Some(from), Some(to)) = (day(&e.date_from), day(&e.date_to)) else {
            continue;
        };
        let mut d = from.max(today);
        while d <= to && dates.len() < MAX_ADDED_DAYS {
            dates.insert(d);
            d = match d.succ_opt() {
                Some(n) => n,
                None => break,
            };
        }
    }
    let mut served = 0;
    for d in dates {
        served += serve_freed(core, txn, center_id, d).await?;
    }
    Ok(served)
}

/// Serves the waiting list for `date` at every active center someone waits
/// for on that day (by the center or by its city), inside the caller's
/// transaction: a national day off removed or a working day added opens
/// the day everywhere at once. Returns how many entries were served.
pub async fn serve_date(
    core: &Core,
    txn: &DatabaseTransaction,
    date: NaiveDate,
) -> Result<usize, ServiceError> {
    let ds = date.format("%Y-%m-%d").to_string();
    let entries = waitlist_entries::Entity::find()
        .filter(waitlist_entries::Column::Status.eq(WAITING))
        .filter(waitlist_entries::Column::DateFrom.lte(ds.clone()))
        .filter(waitlist_entries::Column::DateTo.gte(ds))
        .all(txn)
        .await?;
    if entries.is_empty() {
        return Ok(0);
    }
    let active = centers::Entity::find()
        .filter(centers::Column::Active.eq(true))
        .all(txn)
        .await?;
    let mut ids = std::collections::BTreeSet::new();
    for e in &entries {
        let city = e.city.as_deref().map(|c| c.trim().to_lowercase());
        for c in &active {
            let same_city = city
                .as_deref()
                .is_some_and(|x| c.city.trim().to_lowercase() == x);
            if c.kind == e.center_kind && (e.center_id == Some(c.id) || same_city) {
                ids.insert(c.id);
            }
        }
    }
    let mut served = 0;
    for id in ids {
        served += serve_freed(core, txn, id, date).await?;
    }
    Ok(served)
}

/// The most days one schedule change serves the list for (the horizon).
pub const MAX_ADDED_DAYS: usize = 62;

/// One sweep: entries whose dates have passed end `expired`; for the rest,
/// a matching free start (one that a schedule change added) is served in a
/// transaction of its own. Returns (served, expired).
pub async fn sweep(core: &Core) -> Result<(usize, usize), ServiceError> {
    let today = utc_to_local(chrono_tz::Asia::Almaty, core.now()).date();
    let expired = waitlist_entries::Entity::update_many()
        .col_expr(waitlist_entries::Column::Status, Expr::value(EXPIRED))
        .col_expr(
            waitlist_entries::Column::EndedAt,
            Expr::value(core.now().timestamp()),
        )
        .filter(waitlist_entries::Column::Status.eq(WAITING))
        .filter(waitlist_entries::Column::DateTo.lt(today.format("%Y-%m-%d").to_string()))
        .exec(&core.db)
        .await?
        .rows_affected;
    let waiting = waitlist_entries::Entity::find()
        .filter(waitlist_entries::Column::Status.eq(WAITING))
        .order_by_asc(waitlist_entries::Column::Id)
        .limit(500)
        .all(&core.db)
        .await?;
    let mut served = 0;
    for e in waiting {
        let Some(srow) = core.read_cache.service(&core.db, &e.service_code).await? else {
            continue;
        };
        let service = service_info(&srow)?;
        let (Some(from), Some(to)) = (day(&e.date_from), day(&e.date_to)) else {
            continue;
        };
        let centers = super::centers_of(core, service.kind, e.center_id, e.city.as_deref()).await?;
        if let Some((center, start)) = first_start(
            core,
            &service,
            &centers,
            from.max(today),
            to,
            &range_of(&e),
            e.booking_id,
            true,
        )
        .await?
        {
            let n = write_txn(core, |txn| {
                let core = core.clone();
                Box::pin(async move { serve_freed(&core, txn, center, start.date()).await })
            })
            .await?;
            served += n;
        }
    }
    Ok((served, usize::try_from(expired).unwrap_or(0)))
}

/// The sweep job.
pub async fn job(core: Core, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match sweep(&core).await {
            Ok(_) => core.jobs.ok("waitlist", core.now().timestamp()),
            Err(e) => tracing::warn!(error = %e, "waiting-list sweep failed"),
        }
    }
}
