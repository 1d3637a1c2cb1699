//! Running a draw (R12), durable and exactly once.
//!
//! **Close** (one transaction, the draw row locked): a draw still `open`
//! whose time is up gets every pending request's position from the seed
//! (`order`) and becomes `running`. **Serve** (one transaction per request,
//! the draw row locked exclusively, so requests are served strictly in
//! order even with several processes): take the pending request with the
//! lowest position; for each of its choices in rank order, the earliest
//! free start in the choice's range — if the rules (R3–R7, R9) still allow
//! it, the booking is made there (`insert_with_window`, counted by R4 as
//! created now); the request becomes `matched` or `unmatched` (with the
//! reason), and the citizen is told. When no pending request is left the
//! draw is `done` and its dates are first-come. A crash between two
//! transactions loses nothing: the next pass of any process goes on
//! where the last commit left off.
use std::time::Duration;

use chrono::NaiveDate;
use rand::Rng;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    Statement, TransactionTrait, sea_query::Expr,
};

use crate::entity::{draw_requests, draws, services};
use crate::error::ServiceError;
use crate::service::booking::create::{insert_with_window, key_of, vehicle_facts};
use crate::service::booking::facts::{citizen_facts, service_info};
use crate::service::booking::schedule::held_slots;
use crate::service::booking::txn::{current_schedule, lock_citizen_row, write_txn};
use crate::state::Core;
use kezek_domain::calendar::utc_to_local;
use kezek_domain::capacity::free_starts;
use kezek_domain::draw::Choice;
use kezek_domain::ids::BookingCode;
use kezek_domain::iin::Iin;
use kezek_domain::rules::{NewBookingRequest, check_new_booking};
use kezek_domain::vehicle::VehicleRef;

use super::lock_draw;
use super::order::order;

/// What one pass did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RunReport {
    pub draws_finished: usize,
    pub matched: usize,
    pub unmatched: usize,
}

/// Runs every due draw (closed by time, not finished). A failing draw is
/// logged and left for the next pass; the others go on.
pub async fn run_due(core: &Core) -> Result<RunReport, ServiceError> {
    let now = core.now().timestamp();
    let due = draws::Entity::find()
        .filter(draws::Column::Status.is_in([super::OPEN, super::RUNNING]))
        .filter(draws::Column::ClosesAt.lte(now))
        .order_by_asc(draws::Column::ClosesAt)
        .all(&core.db)
        .await?;
    let mut total = RunReport::default();
    for d in due {
        match run_one(core, d.id).await {
            Ok(r) => {
                total.draws_finished += r.draws_finished;
                total.matched += r.matched;
                total.unmatched += r.unmatched;
            }
            Err(e) => {
                tracing::warn!(draw = d.id, error = %e, "draw run interrupted; resumes next pass")
            }
        }
    }
    Ok(total)
}

enum Step {
    Served { matched: bool },
    Finished,
    NotDue,
}

/// Closes (if due) and serves one draw to the end.
pub async fn run_one(core: &Core, draw_id: i64) -> Result<RunReport, ServiceError> {
    close(core, draw_id).await?;
    let mut report = RunReport::default();
    loop {
        match serve_next(core, draw_id).await? {
            Step::Served { matched: true } => report.matched += 1,
            Step::Served { matched: false } => report.unmatched += 1,
            Step::Finished => {
                report.draws_finished = 1;
                break;
            }
            Step::NotDue => break,
        }
    }
    if report.draws_finished > 0 {
        core.read_cache.clear();
        tracing::info!(
            draw = draw_id,
            matched = report.matched,
            unmatched = report.unmatched,
            "draw done"
        );
    }
    Ok(report)
}

/// `open` and due → positions written, `running`.
async fn close(core: &Core, draw_id: i64) -> Result<(), ServiceError> {
    let now = core.now().timestamp();
    write_txn(core, |txn| {
        Box::pin(async move {
            let Some(d) = lock_draw(txn, draw_id, true).await? else {
                return Err(ServiceError::NotFound);
            };
            if d.status != super::OPEN || d.closes_at > now {
                return Ok(());
            }
            let pending: Vec<(i64, String)> = draw_requests::Entity::find()
                .filter(draw_requests::Column::DrawId.eq(draw_id))
                .filter(draw_requests::Column::Status.eq(super::PENDING))
                .all(txn)
                .await?
                .into_iter()
                .map(|r| (r.id, r.public_id))
                .collect();
            let ordered = order(&d.seed, pending.iter().map(|(_, p)| p.as_str()));
            let id_of: std::collections::HashMap<&str, i64> =
                pending.iter().map(|(id, p)| (p.as_str(), *id)).collect();
            let positions: Vec<(i64, usize)> = ordered
                .iter()
                .enumerate()
                .filter_map(|(i, p)| id_of.get(p).map(|id| (*id, i + 1)))
                .collect();
            write_positions(txn, &positions).await?;
            draws::Entity::update_many()
                .col_expr(draws::Column::Status, Expr::value(super::RUNNING))
                .filter(draws::Column::Id.eq(draw_id))
                .exec(txn)
                .await?;
            Ok(())
        })
    })
    .await
}

/// Writes positions 500 rows per statement (`CASE id WHEN … THEN …`).
async fn write_positions(
    txn: &DatabaseTransaction,
    positions: &[(i64, usize)],
) -> Result<(), ServiceError> {
    let backend = txn.get_database_backend();
    for chunk in positions.chunks(500) {
        let mut sql = String::from("UPDATE draw_requests SET position = CASE id");
        for (id, p) in chunk {
            sql.push_str(&format!(" WHEN {id} THEN {p}"));
        }
        sql.push_str(" END WHERE id IN (");
        let ids: Vec<String> = chunk.iter().map(|(id, _)| id.to_string()).collect();
        sql.push_str(&ids.join(","));
        sql.push(')');
        txn.execute_raw(Statement::from_string(backend, sql))
            .await?;
    }
    Ok(())
}

/// Serves the next request of a running draw, or finishes it.
async fn serve_next(core: &Core, draw_id: i64) -> Result<Step, ServiceError> {
    let mut collisions = 0;
    loop {
        let mut code_bytes = [0u8; 8];
        rand::rng().fill(&mut code_bytes);
        let code = BookingCode::from_random_bytes(&code_bytes);
        let attempt = write_txn(core, |txn| {
            let core = core.clone();
            Box::pin(async move { serve_in(&core, txn, draw_id, &code).await })
        })
        .await;
        match attempt {
            Err(ServiceError::Db(e))
                if collisions < 3
                    && crate::error::db_code(&e)
                        .is_some_and(|c| crate::error::unique_violation(&c)) =>
            {
                collisions += 1;
            }
            other => return other,
        }
    }
}

async fn serve_in(
    core: &Core,
    txn: &DatabaseTransaction,
    draw_id: i64,
    code: &BookingCode,
) -> Result<Step, ServiceError> {
    let now = core.now();
    let Some(d) = lock_draw(txn, draw_id, true).await? else {
        return Err(ServiceError::NotFound);
    };
    if d.status != super::RUNNING {
        return Ok(if d.status == super::DONE {
            Step::Finished
        } else {
            Step::NotDue
        });
    }
    let next = draw_requests::Entity::find()
        .filter(draw_requests::Column::DrawId.eq(draw_id))
        .filter(draw_requests::Column::Status.eq(super::PENDING))
        .order_by_asc(draw_requests::Column::Position)
        .one(txn)
        .await?;
    let Some(r) = next else {
        draws::Entity::update_many()
            .col_expr(draws::Column::Status, Expr::value(super::DONE))
            .col_expr(draws::Column::RanAt, Expr::value(now.timestamp()))
            .filter(draws::Column::Id.eq(draw_id))
            .exec(txn)
            .await?;
        // R13: what the draw left free goes to the waiting list before the
        // dates turn first-come (same transaction).
        for (center, date) in super::views::pairs(txn, draw_id).await? {
            crate::service::waitlist::serve::serve_freed(core, txn, center, date).await?;
        }
        return Ok(Step::Finished);
    };
    let outcome = match serve_request(core, txn, &d, &r, code).await {
        Ok(o) => o,
        // A request that cannot be read (a stored service or choice gone
        // bad) must not stop the draw: it ends unmatched, logged.
        Err(ServiceError::Db(e)) => return Err(ServiceError::Db(e)),
        Err(e) => {
            tracing::warn!(draw = draw_id, request = r.id, error = %e, "draw request failed");
            Served::Unmatched("internal".to_owned())
        }
    };
    let (status, booking, note) = match &outcome {
        Served::Matched(b) => (super::MATCHED, Some(*b), None),
        Served::Unmatched(why) => (super::UNMATCHED, None, Some(why.clone())),
    };
    let n = draw_requests::Entity::update_many()
        .col_expr(draw_requests::Column::Status, Expr::value(status))
        .col_expr(draw_requests::Column::BookingId, Expr::value(booking))
        .col_expr(draw_requests::Column::Note, Expr::value(note))
        .col_expr(
            draw_requests::Column::DecidedAt,
            Expr::value(now.timestamp()),
        )
        .filter(draw_requests::Column::Id.eq(r.id))
        .filter(draw_requests::Column::Status.eq(super::PENDING))
        .exec(txn)
        .await?;
    if n.rows_affected != 1 {
        return Err(ServiceError::Internal(
            "draw request changed under lock".into(),
        ));
    }
    if let Served::Unmatched(_) = outcome
        && let Some(citizen) = crate::entity::citizens::Entity::find_by_id(r.citizen_id)
            .one(txn)
            .await?
    {
        crate::service::outbox::enqueue_for_citizen(
            txn,
            &citizen,
            None,
            |lang| kezek_i18n::notices::draw_unmatched(draw_id, lang),
            now.timestamp(),
        )
        .await?;
    }
    Ok(Step::Served {
        matched: matches!(outcome, Served::Matched(_)),
    })
}

enum Served {
    Matched(i64),
    Unmatched(String),
}

/// The request's first choice with a free start the rules allow, booked.
async fn serve_request(
    core: &Core,
    txn: &DatabaseTransaction,
    d: &draws::Model,
    r: &draw_requests::Model,
    code: &BookingCode,
) -> Result<Served, ServiceError> {
    let now = core.now();
    let Some(citizen) = lock_citizen_row(txn, r.citizen_id).await? else {
        return Ok(Served::Unmatched("citizen_gone".into()));
    };
    let iin = Iin::parse(&citizen.iin).map_err(|_| ServiceError::Internal("stored iin".into()))?;
    let service_row = services::Entity::find_by_id(r.service_code.clone())
        .one(txn)
        .await?
        .ok_or_else(|| ServiceError::Internal("service gone".into()))?;
    let service = service_info(&service_row)?;
    let choices: Vec<Choice> = serde_json::from_str(&r.choices)
        .map_err(|e| ServiceError::Internal(format!("stored choices: {e}")))?;
    let vehicle = r.vehicle.as_deref().and_then(|v| VehicleRef::parse(v).ok());
    let record = match &vehicle {
        Some(v) => core.registry.lookup(v).await?,
        None => None,
    };
    let policy = crate::service::booking::schedule::load_policy(txn).await?;
    let dates: Vec<NaiveDate> = choices.iter().map(|c| c.date).collect();
    let mut why = "no_free_start".to_owned();
    for c in &choices {
        let ctx = match core.read_cache.center(&core.db, c.center_id).await {
            Ok(ctx) => ctx,
            Err(ServiceError::NotFound) => {
                why = "center_closed".into();
                continue;
            }
            Err(e) => return Err(e),
        };
        let national = core.read_cache.national(&core.db, c.date, c.date).await?;
        let (ctx, national) = match current_schedule(core, txn, ctx, national, c.date, c.date).await
        {
            Ok(x) => x,
            Err(ServiceError::NotFound) => {
                why = "center_closed".into();
                continue;
            }
            Err(e) => return Err(e),
        };
        let (from, to) = ctx.day_bounds_utc(c.date);
        let held = held_slots(txn, &ctx, from, to, None).await?;
        let mut day = ctx.day(
            &national,
            c.date,
            held.iter().map(|(w, _, l)| (*w, *l)).collect(),
        );
        let bounds = policy.bounds(utc_to_local(ctx.tz, now));
        let Some(start) = free_starts(&day, &service.code, service.duration_min, &bounds)
            .into_iter()
            .filter(|s| s.free > 0)
            .map(|s| s.start)
            .find(|s| c.range.fits(s.time()))
        else {
            continue;
        };
        let existing = citizen_facts(txn, r.citizen_id, &policy, now, &dates, ctx.tz).await?;
        let vfacts = match &vehicle {
            Some(v) => Some(vehicle_facts(txn, v, record.clone()).await?),
            None => None,
        };
        let req = NewBookingRequest {
            iin,
            service: service.clone(),
            center_kind: ctx.kind,
            center_tz: ctx.tz,
            start_local: start,
            vehicle: vehicle.clone(),
        };
        if let Err(refusal) = check_new_booking(&req, &existing, vfacts.as_ref(), &policy, now) {
            why = refusal.code().to_owned();
            continue;
        }
        let vehicle_key = vfacts
            .as_ref()
            .and_then(|f| f.record.as_ref().map(|r| r.key.clone()))
            .or_else(|| vehicle.as_ref().map(key_of));
        // In a savepoint: a refusal after the row was written leaves
        // nothing behind before the next choice is tried.
        let sp = txn.begin().await?;
        match insert_with_window(
            &sp,
            &mut day,
            &ctx,
            &req,
            &policy,
            now,
            &citizen,
            code,
            vehicle_key,
            ("draw", Some(format!("draw {}", d.id))),
        )
        .await
        {
            Ok(row) => {
                sp.commit().await?;
                return Ok(Served::Matched(row.id));
            }
            Err(ServiceError::Refused(refusal)) => {
                sp.rollback().await?;
                why = refusal.code().to_owned();
            }
            Err(e) => return Err(e),
        }
    }
    Ok(Served::Unmatched(why))
}

/// The draw job: every `every`, opens release draws that are due and runs
/// the draws whose time is up, in whichever process gets there first.
pub async fn job(core: Core, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = super::admin::release_pass(&core).await {
            tracing::warn!(error = %e, "release pass failed");
        }
        match run_due(&core).await {
            Ok(_) => core.jobs.ok("draws", core.now().timestamp()),
            Err(e) => tracing::warn!(error = %e, "draw pass failed"),
        }
    }
}
