//! Use case: a center closes a day that already has bookings (a new
//! holiday, an emergency). The day becomes a `closed` exception and every
//! active booking on it is moved by the center to the nearest free start of
//! the same service at the same center (within the horizon) or, if there is
//! none or the admin chose so, cancelled by the center — each with a
//! notification and a history entry. Never a silent drop.
//!
//! Moves by the center do not count toward the citizen's reschedule limit.
use chrono::{Days, NaiveDate};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr,
    sea_query::OnConflict,
};

use crate::entity::{booking_slots, bookings, center_exceptions, services};
use crate::error::ServiceError;
use crate::state::Core;
use kezek_domain::calendar::utc_to_local;
use kezek_domain::capacity::free_starts;
use kezek_domain::ids::{BookingId, ServiceCode};
use kezek_domain::input::BadInput;
use kezek_domain::lifecycle::BookingStatus;
use kezek_i18n::Lang;

use super::cancel::{Canceller, cancel_if_unchanged};
use super::create::assign_and_hold;
use super::facts::service_info;
use super::notify::{Notice, NoticeFacts, enqueue};
use super::schedule::{CenterCtx, held_slots, load_center, load_national, load_policy};
use super::txn::{bump_schedule, lock_citizen, write_txn};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CloseAction {
    /// Move each booking to the nearest free start; cancel if there is none.
    MoveOrCancel,
    /// Cancel every booking of the day.
    Cancel,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CloseReport {
    /// (booking id, new start RFC 3339)
    pub moved: Vec<(i64, String)>,
    pub cancelled: Vec<i64>,
    /// Changed by the citizen (cancelled or moved) after the decision: left
    /// as the citizen made them.
    pub changed: Vec<i64>,
    /// Could not be handled (logged); they still need a decision.
    pub failed: Vec<i64>,
}

impl CloseReport {
    /// What the administrator's page shows: the moved bookings with their
    /// new start and the cancelled ones.
    pub fn outcome(self) -> kezek_wire::staff::ClosureOutcome {
        kezek_wire::staff::ClosureOutcome {
            moved: self
                .moved
                .into_iter()
                .map(|(id, at)| (id.to_string(), at))
                .collect(),
            cancelled: self.cancelled.iter().map(i64::to_string).collect(),
        }
    }
}

/// The active bookings on `date` at the center (what the admin must decide
/// about before closing).
pub async fn affected(
    state: &Core,
    center_id: i64,
    date: NaiveDate,
) -> Result<Vec<bookings::Model>, ServiceError> {
    Ok(bookings::Entity::find()
        .filter(bookings::Column::CenterId.eq(center_id))
        .filter(bookings::Column::LocalDate.eq(date.format("%Y-%m-%d").to_string()))
        .filter(bookings::Column::Status.eq(BookingStatus::Booked.as_str()))
        .order_by_asc(bookings::Column::StartAt)
        .all(&state.db)
        .await?)
}

pub async fn close_day(
    state: &Core,
    center_id: i64,
    date: NaiveDate,
    reason: &str,
    action: CloseAction,
    actor: &str,
) -> Result<CloseReport, ServiceError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.len() > 500 {
        return Err(ServiceError::BadRequest(BadInput::ReasonRequired {
            max: 500,
        }));
    }
    if kezek_domain::input::has_control(reason) {
        return Err(ServiceError::BadRequest(BadInput::ControlCharacters {
            field: "reason",
        }));
    }
    load_center(&state.db, center_id).await?;
    let date_s = date.format("%Y-%m-%d").to_string();
    let note = reason.to_owned();
    let now = state.now().timestamp();
    // In one transaction that first takes the center row (M1): bookings in
    // flight commit before and are found below; later ones see the closure.
    // The bookings of the day are recorded for relocation in it (M2).
    let items = write_txn(state, |txn| {
        let (date_s, note, actor) = (date_s.clone(), note.clone(), actor.to_owned());
        Box::pin(async move {
            bump_schedule(txn, Some(center_id)).await?;
            center_exceptions::Entity::insert(center_exceptions::ActiveModel {
                center_id: Set(center_id),
                date: Set(date_s.clone()),
                kind: Set("closed".into()),
                open_min: Set(None),
                close_min: Set(None),
                note: Set(Some(note.clone())),
                ..Default::default()
            })
            .on_conflict(
                OnConflict::columns([
                    center_exceptions::Column::CenterId,
                    center_exceptions::Column::Date,
                ])
                .update_columns([
                    center_exceptions::Column::Kind,
                    center_exceptions::Column::Note,
                ])
                .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
            let list = bookings::Entity::find()
                .filter(bookings::Column::CenterId.eq(center_id))
                .filter(bookings::Column::LocalDate.eq(date_s.clone()))
                .filter(bookings::Column::Status.eq(BookingStatus::Booked.as_str()))
                .order_by_asc(bookings::Column::StartAt)
                .all(txn)
                .await?;
            super::relocation::record(txn, &list, action, &note, &actor, now).await
        })
    })
    .await?;
    // The schedule now has the closure (and availability must see it).
    state.read_cache.clear();
    super::relocation::drain(state, super::relocation::Which::Ids(items)).await
}

/// Moves each of `bookings` (active bookings of `ctx`'s center that no
/// longer fit its schedule, which `ctx` already reflects) to the nearest
/// free start of the same service at the same center — from its own day
/// forward, the time of day kept where possible — or cancels it by the
/// center when there is none or `action` says so. Each citizen gets a
/// notice and each booking a history row naming `actor`. A booking changed
/// meanwhile (cancelled by the citizen) is left alone.
pub async fn relocate(
    state: &Core,
    ctx: &CenterCtx,
    bookings: Vec<bookings::Model>,
    reason: &str,
    action: CloseAction,
    actor: &str,
) -> Result<CloseReport, ServiceError> {
    let mut report = CloseReport::default();
    if bookings.is_empty() {
        return Ok(report);
    }
    let policy = load_policy(&state.db).await?;
    let now = state.now();
    let bounds = policy.bounds(utc_to_local(ctx.tz, now));
    let last = bounds.last_date;
    let first = bookings
        .iter()
        .map(|b| ctx.to_local(b.start_at).date())
        .min()
        .unwrap_or(last)
        .min(bounds.earliest.date());
    let national = load_national(&state.db, first, last).await?;

    for b in bookings {
        let date = ctx.to_local(b.start_at).date();
        let target = if action == CloseAction::MoveOrCancel {
            let row = services::Entity::find_by_id(b.service_code.clone())
                .one(&state.db)
                .await?
                .ok_or(ServiceError::NotFound)?;
            let info = service_info(&row)?;
            let mut found = None;
            let mut next = Some(date);
            while found.is_none() {
                let d = match next {
                    Some(d) if d <= last => d,
                    _ => break,
                };
                next = d.checked_add_days(Days::new(1));
                let (from, to) = ctx.day_bounds_utc(d);
                let held = held_slots(&state.db, ctx, from, to, Some(b.id)).await?;
                let day = ctx.day(
                    &national,
                    d,
                    held.iter().map(|(w, _, l)| (*w, *l)).collect(),
                );
                // Keep the time of day if possible, else the first free start.
                let starts = free_starts(&day, &info.code, info.duration_min, &bounds);
                let old_local = ctx.to_local(b.start_at).time();
                found = starts
                    .iter()
                    .filter(|s| s.free > 0)
                    .min_by_key(|s| (s.start.time() - old_local).num_minutes().abs())
                    .map(|s| (d, s.start, info.duration_min));
            }
            found
        } else {
            None
        };
        let moved = match target {
            Some((d, start_local, duration)) => {
                let ok = write_txn(state, |txn| {
                    let (ctx, national, b, bounds) =
                        (ctx.clone(), national.clone(), b.clone(), bounds);
                    let reason = reason.to_owned();
                    let actor = actor.to_owned();
                    Box::pin(async move {
                        let (ctx, national, b, bounds) = (&ctx, &national, &b, &bounds);
                        lock_citizen(txn, b.citizen_id).await?;
                        // Only the booking as decided on: one the citizen
                        // cancelled or moved since is theirs (review M2).
                        let fresh =
                            bookings::Entity::find_by_id(b.id)
                                .one(txn)
                                .await?
                                .filter(|x| {
                                    x.status == BookingStatus::Booked.as_str()
                                        && x.start_at == b.start_at
                                });
                        if fresh.is_none() {
                            return Ok(false);
                        }
                        let (from, to) = ctx.day_bounds_utc(d);
                        let held = held_slots(txn, ctx, from, to, Some(b.id)).await?;
                        let mut day =
                            ctx.day(national, d, held.iter().map(|(w, _, l)| (*w, *l)).collect());
                        booking_slots::Entity::delete_many()
                            .filter(booking_slots::Column::BookingId.eq(b.id))
                            .exec(txn)
                            .await?;
                        let code = ServiceCode::parse(&b.service_code)
                            .map_err(|_| ServiceError::Internal("bad service code".into()))?;
                        let Ok((window, instants)) = assign_and_hold(
                            txn,
                            &mut day,
                            ctx,
                            &code,
                            duration,
                            start_local,
                            bounds,
                            b.id,
                        )
                        .await
                        else {
                            return Err(ServiceError::Refused(
                                kezek_domain::refusal::Refusal::SlotFull,
                            ));
                        };
                        let start_at = instants.first().copied().unwrap_or_default();
                        bookings::Entity::update_many()
                            .col_expr(bookings::Column::WindowId, Expr::value(window.get()))
                            .col_expr(bookings::Column::StartAt, Expr::value(start_at))
                            .col_expr(
                                bookings::Column::EndAt,
                                Expr::value(start_at + i64::from(duration) * 60),
                            )
                            .col_expr(
                                bookings::Column::LocalDate,
                                Expr::value(d.format("%Y-%m-%d").to_string()),
                            )
                            .col_expr(bookings::Column::UpdatedAt, Expr::value(now.timestamp()))
                            .col_expr(bookings::Column::MovedAt, Expr::value(now.timestamp()))
                            .filter(bookings::Column::Id.eq(b.id))
                            .exec(txn)
                            .await?;
                        super::history::record(
                            txn,
                            super::history::Entry {
                                booking_id: b.id,
                                citizen_id: b.citizen_id,
                                center_id: b.center_id,
                                status: "Rescheduled",
                                at: now.timestamp(),
                                actor: &actor,
                                note: Some(format!(
                                    "{} → {} ({reason})",
                                    ctx.to_local(b.start_at).format("%d.%m.%Y %H:%M"),
                                    start_local.format("%d.%m.%Y %H:%M")
                                )),
                            },
                        )
                        .await?;
                        let when = start_local.format("%d.%m.%Y %H:%M").to_string();
                        enqueue(
                            txn,
                            b.citizen_id,
                            b.id,
                            Notice::Rescheduled,
                            &NoticeFacts {
                                code: &b.code,
                                center: &ctx.center,
                                when: &when,
                                reason: Some(&reason),
                            },
                            now.timestamp(),
                        )
                        .await?;
                        Ok(true)
                    })
                })
                .await;
                match ok {
                    Ok(true) => {
                        report.moved.push((
                            b.id,
                            super::facts::rfc3339_in(
                                ctx.tz,
                                kezek_domain::calendar::local_to_utc(ctx.tz, start_local)
                                    .map(|t| t.timestamp())
                                    .unwrap_or_default(),
                            ),
                        ));
                        true
                    }
                    Ok(false) => {
                        // Changed meanwhile by the citizen.
                        report.changed.push(b.id);
                        continue;
                    }
                    Err(ServiceError::Refused(_)) => false, // taken meanwhile: cancel below
                    Err(e) => {
                        // One booking never stops the others.
                        tracing::warn!(booking = b.id, error = %e, "relocation: booking not moved");
                        report.failed.push(b.id);
                        continue;
                    }
                }
            }
            None => false,
        };
        if !moved {
            let done = cancel_if_unchanged(
                state,
                BookingId::new(b.id),
                b.start_at,
                Canceller::Center {
                    actor: actor.to_owned(),
                    reason: reason.to_owned(),
                },
                Lang::Ru,
            )
            .await;
            match done {
                Ok(true) => report.cancelled.push(b.id),
                Ok(false) => report.changed.push(b.id),
                Err(e) => {
                    tracing::warn!(booking = b.id, error = %e, "relocation: booking not cancelled");
                    report.failed.push(b.id);
                }
            }
        }
    }
    Ok(report)
}
