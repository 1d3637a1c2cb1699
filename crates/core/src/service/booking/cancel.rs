//! Use case: cancel a booking (by the citizen, or by the center with a
//! reason). Frees the window-slots in the same commit (R2).
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

use crate::entity::{booking_slots, bookings};
use crate::error::ServiceError;
use crate::state::Core;
use kezek_domain::ids::{BookingId, CitizenId};
use kezek_domain::lifecycle::{BookingStatus, CancelledBy};
use kezek_domain::rules::check_cancel;
use kezek_i18n::Lang;
use kezek_wire::types::BookingView;

use super::facts::{booking_facts, cancelled_by_str};
use super::notify::{Notice, NoticeFacts, enqueue};
use super::schedule::{load_center_any, load_policy};
use super::txn::{lock_citizen, write_txn};

/// Who cancels.
#[derive(Clone, Debug)]
pub enum Canceller {
    /// The citizen; only their own booking (else `NotFound`).
    Citizen(CitizenId),
    /// Center staff (authorization checked by the caller), with a reason.
    Center { actor: String, reason: String },
    /// The system (e.g. a new holiday), with a reason.
    System { reason: String },
}

pub async fn cancel(
    state: &Core,
    booking_id: BookingId,
    by: Canceller,
    lang: Lang,
) -> Result<BookingView, ServiceError> {
    cancel_inner(state, booking_id.get(), None, by).await?;
    super::query::get_one(&state.db, booking_id, None, lang).await
}

/// [`cancel`] only while the booking is still `Booked` at `expected_start`
/// (what a relocation decided on): false, and nothing changed, when the
/// citizen cancelled or moved it since (review M2).
pub async fn cancel_if_unchanged(
    state: &Core,
    booking_id: BookingId,
    expected_start: i64,
    by: Canceller,
    _lang: Lang,
) -> Result<bool, ServiceError> {
    cancel_inner(state, booking_id.get(), Some(expected_start), by).await
}

async fn cancel_inner(
    state: &Core,
    booking_id: i64,
    expected_start: Option<i64>,
    by: Canceller,
) -> Result<bool, ServiceError> {
    if let Canceller::Citizen(c) = &by {
        super::rate::count(state, c.get())?;
    }
    let now = state.now();
    let first = bookings::Entity::find_by_id(booking_id)
        .one(&state.db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if let Canceller::Citizen(c) = &by
        && c.get() != first.citizen_id
    {
        return Err(ServiceError::NotFound);
    }
    let owner = first.citizen_id;
    // A booking at a center deactivated since can still be cancelled.
    let ctx = load_center_any(&state.db, first.center_id).await?;
    let policy = load_policy(&state.db).await?;
    let (who, reason, actor) = match &by {
        Canceller::Citizen(_) => (CancelledBy::Citizen, None, "citizen".to_owned()),
        Canceller::Center { actor, reason } => {
            (CancelledBy::Center, Some(reason.clone()), actor.clone())
        }
        Canceller::System { reason } => (
            CancelledBy::System,
            Some(reason.clone()),
            "system".to_owned(),
        ),
    };
    write_txn(state, |txn| {
        let core = state.clone();
        let (ctx, policy, reason, actor) =
            (ctx.clone(), policy.clone(), reason.clone(), actor.clone());
        Box::pin(async move {
            let (ctx, policy, reason, actor) = (&ctx, &policy, &reason, &actor);
            lock_citizen(txn, owner).await?;
            let b = bookings::Entity::find_by_id(booking_id)
                .one(txn)
                .await?
                .ok_or(ServiceError::NotFound)?;
            if let Some(start) = expected_start
                && (b.start_at != start || b.status != BookingStatus::Booked.as_str())
            {
                return Ok(false);
            }
            let facts = booking_facts(&b, ctx.tz)?;
            check_cancel(&facts, who, policy, now)?;
            let n = bookings::Entity::update_many()
                .col_expr(
                    bookings::Column::Status,
                    Expr::value(BookingStatus::Cancelled.as_str()),
                )
                .col_expr(
                    bookings::Column::CancelledBy,
                    Expr::value(cancelled_by_str(who)),
                )
                .col_expr(bookings::Column::CancelReason, Expr::value(reason.clone()))
                .col_expr(bookings::Column::UpdatedAt, Expr::value(now.timestamp()))
                .filter(bookings::Column::Id.eq(booking_id))
                .filter(bookings::Column::Status.eq(BookingStatus::Booked.as_str()))
                .exec(txn)
                .await?;
            if n.rows_affected != 1 {
                return Err(ServiceError::Internal("booking changed under lock".into()));
            }
            booking_slots::Entity::delete_many()
                .filter(booking_slots::Column::BookingId.eq(booking_id))
                .exec(txn)
                .await?;
            super::history::record(
                txn,
                super::history::Entry {
                    booking_id,
                    citizen_id: b.citizen_id,
                    center_id: b.center_id,
                    status: BookingStatus::Cancelled.as_str(),
                    at: now.timestamp(),
                    actor,
                    note: reason.clone(),
                },
            )
            .await?;
            let when = facts.start_local.format("%d.%m.%Y %H:%M").to_string();
            let notice = if who == CancelledBy::Citizen {
                Notice::Cancelled
            } else {
                Notice::CancelledByCenter
            };
            enqueue(
                txn,
                owner,
                booking_id,
                notice,
                &NoticeFacts {
                    code: &b.code,
                    center: &ctx.center,
                    when: &when,
                    reason: reason.as_deref(),
                },
                now.timestamp(),
            )
            .await?;
            // R13: the freed start goes to the waiting list first, in this
            // transaction.
            crate::service::waitlist::serve::serve_freed(
                &core,
                txn,
                b.center_id,
                facts.start_local.date(),
            )
            .await?;
            Ok(true)
        })
    })
    .await
}
