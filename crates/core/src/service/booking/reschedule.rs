//! Use case: move a booking to another free start (R1) — same booking (id,
//! code, history), same service, same or another center of the same kind.
//! The old window-slots are released and the new ones held in one commit.
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

use crate::entity::{booking_slots, bookings};
use crate::error::ServiceError;
use crate::state::Core;
use kezek_domain::calendar::utc_to_local;
use kezek_domain::ids::{BookingId, CenterId, CitizenId, ServiceCode};
use kezek_domain::lifecycle::BookingStatus;
use kezek_domain::rules::{RescheduleRequest, check_reschedule};
use kezek_i18n::Lang;
use kezek_wire::types::BookingView;

use super::create::assign_and_hold;
use super::facts::{booking_facts, citizen_facts, parse_start, service_info};
use super::notify::{Notice, NoticeFacts, enqueue_to};
use super::schedule::held_slots;
use super::txn::{lock_citizen_row, write_txn};

pub struct RescheduleInput {
    pub citizen_id: CitizenId,
    pub booking_id: BookingId,
    /// RFC 3339.
    pub start: String,
    /// Another center of the same kind, if given.
    pub center_id: Option<CenterId>,
}

pub async fn reschedule(
    state: &Core,
    input: RescheduleInput,
    lang: Lang,
) -> Result<BookingView, ServiceError> {
    super::rate::count(state, input.citizen_id.get())?;
    let now = state.now();
    let first = bookings::Entity::find_by_id(input.booking_id.get())
        .one(&state.db)
        .await?
        .filter(|b| b.citizen_id == input.citizen_id.get())
        .ok_or(ServiceError::NotFound)?;
    // Reference data from the per-process cache (read_cache.rs says why a
    // stale entry cannot make a booking wrong).
    let ctx = state
        .read_cache
        .center(
            &state.db,
            input.center_id.map_or(first.center_id, CenterId::get),
        )
        .await?;
    let service_row = state
        .read_cache
        .service(&state.db, &first.service_code)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let service = service_info(&service_row)?;
    let start = parse_start(&input.start)?;
    let new_local = start.with_timezone(&ctx.tz).naive_local();
    let date = new_local.date();
    let policy = state.read_cache.policy(&state.db).await?;
    let national = state.read_cache.national(&state.db, date, date).await?;
    let (booking, citizen) = (input.booking_id, input.citizen_id);
    let (booking_id, citizen_id) = (booking.get(), citizen.get());

    write_txn(state, |txn| {
        let core = state.clone();
        let (ctx, policy, national, service) = (
            ctx.clone(),
            policy.clone(),
            national.clone(),
            service.clone(),
        );
        Box::pin(async move {
            let (policy, service) = (&policy, &service);
            let Some(citizen) = lock_citizen_row(txn, citizen_id).await? else {
                return Err(ServiceError::NotFound);
            };
            // The target center's schedule as of its lock (M1, H2).
            let (ctx, national) =
                super::txn::current_schedule(&core, txn, ctx, national, date, date).await?;
            let (ctx, national) = (&*ctx, &*national);
            let b = bookings::Entity::find_by_id(booking_id)
                .one(txn)
                .await?
                .filter(|b| b.citizen_id == citizen_id)
                .ok_or(ServiceError::NotFound)?;
            let old_ctx_tz: chrono_tz::Tz = ctx.tz;
            let facts = booking_facts(&b, old_ctx_tz)?;
            let old_local = facts.start_local;
            let existing = citizen_facts(txn, citizen_id, policy, now, &[date], ctx.tz).await?;
            let req = RescheduleRequest {
                booking: facts,
                service: service.code.clone(),
                center_kind: ctx.kind,
                center_tz: ctx.tz,
                new_start_local: new_local,
            };
            check_reschedule(&req, &existing, policy, now)?;
            // R12: a date under a draw is not open to moves either.
            crate::service::draws::gate::check(txn, ctx.center.id, ctx.tz, date).await?;
            let (from, to) = ctx.day_bounds_utc(date);
            let held = held_slots(txn, ctx, from, to, Some(booking_id)).await?;
            let mut day = ctx.day(
                national,
                date,
                held.iter().map(|(w, _, l)| (*w, *l)).collect(),
            );
            booking_slots::Entity::delete_many()
                .filter(booking_slots::Column::BookingId.eq(booking_id))
                .exec(txn)
                .await?;
            let bounds = policy.bounds(utc_to_local(ctx.tz, now));
            let code = ServiceCode::parse(&b.service_code)
                .map_err(|_| ServiceError::Internal("bad service code".into()))?;
            let (window, instants) = assign_and_hold(
                txn,
                &mut day,
                ctx,
                &code,
                service.duration_min,
                new_local,
                &bounds,
                booking_id,
            )
            .await?;
            let start_at = instants.first().copied().unwrap_or_default();
            record_move(
                txn,
                &Move {
                    booking: &b,
                    ctx,
                    citizen: &citizen,
                    window,
                    start_at,
                    duration_min: service.duration_min,
                    old_local,
                    new_local,
                    reschedule_count: b.reschedule_count + 1,
                    actor: "citizen",
                    note_suffix: "",
                },
                now.timestamp(),
            )
            .await?;
            // R13: the start left behind goes to the waiting list first.
            crate::service::waitlist::serve::serve_freed(&core, txn, b.center_id, old_local.date())
                .await?;
            Ok(())
        })
    })
    .await?;
    super::query::get_one(&state.db, booking, Some(citizen), lang).await
}

/// A booking moved within a transaction that already holds its new
/// window-slots: what the row, the history and the citizen are told.
pub(crate) struct Move<'a> {
    pub booking: &'a bookings::Model,
    pub ctx: &'a super::schedule::CenterCtx,
    pub citizen: &'a crate::entity::citizens::Model,
    pub window: kezek_domain::ids::WindowId,
    pub start_at: i64,
    pub duration_min: u32,
    pub old_local: chrono::NaiveDateTime,
    pub new_local: chrono::NaiveDateTime,
    /// The count after the move (a waiting-list move keeps it: R13).
    pub reschedule_count: i32,
    pub actor: &'a str,
    /// Appended to the history note, e.g. " (waiting list)".
    pub note_suffix: &'a str,
}

/// Writes a move: the booking row (only while still `Booked`), a
/// `Rescheduled` history step and the notice (used by `reschedule` and by
/// the waiting list's move of a tied booking).
pub(crate) async fn record_move(
    txn: &sea_orm::DatabaseTransaction,
    m: &Move<'_>,
    now: i64,
) -> Result<(), ServiceError> {
    let id = m.booking.id;
    let n = bookings::Entity::update_many()
        .col_expr(bookings::Column::CenterId, Expr::value(m.ctx.center.id))
        .col_expr(bookings::Column::WindowId, Expr::value(m.window.get()))
        .col_expr(bookings::Column::StartAt, Expr::value(m.start_at))
        .col_expr(
            bookings::Column::EndAt,
            Expr::value(m.start_at + i64::from(m.duration_min) * 60),
        )
        .col_expr(
            bookings::Column::LocalDate,
            Expr::value(m.new_local.date().format("%Y-%m-%d").to_string()),
        )
        .col_expr(
            bookings::Column::RescheduleCount,
            Expr::value(m.reschedule_count),
        )
        .col_expr(bookings::Column::UpdatedAt, Expr::value(now))
        .col_expr(bookings::Column::MovedAt, Expr::value(now))
        .filter(bookings::Column::Id.eq(id))
        .filter(bookings::Column::Status.eq(BookingStatus::Booked.as_str()))
        .exec(txn)
        .await?;
    if n.rows_affected != 1 {
        return Err(ServiceError::Internal("booking changed under lock".into()));
    }
    let note = format!(
        "{} → {}{}",
        m.old_local.format("%d.%m.%Y %H:%M"),
        m.new_local.format("%d.%m.%Y %H:%M"),
        m.note_suffix
    );
    // The old center's day changes too (the history row notes the new
    // one's).
    crate::events::note(crate::events::Change::booking(
        m.booking.citizen_id,
        m.booking.center_id,
    ));
    super::history::record(
        txn,
        super::history::Entry {
            booking_id: id,
            citizen_id: m.booking.citizen_id,
            center_id: m.ctx.center.id,
            status: "Rescheduled",
            at: now,
            actor: m.actor,
            note: Some(note),
        },
    )
    .await?;
    let when = m.new_local.format("%d.%m.%Y %H:%M").to_string();
    enqueue_to(
        txn,
        m.citizen,
        id,
        Notice::Rescheduled,
        &NoticeFacts {
            code: &m.booking.code,
            center: &m.ctx.center,
            when: &when,
            reason: None,
        },
        now,
    )
    .await
}
