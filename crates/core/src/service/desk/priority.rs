//! Use case: mark a waiting visitor as a priority visitor (people with
//! disabilities, pregnant women, …) so call-next takes them first, or take
//! the mark off. Only a visitor who still waits (`Booked` or `CheckedIn`)
//! can be marked; others are `illegal_transition`-like `bad_request`.
//!
//! The history gets a row with the unchanged status and the note
//! `priority on` / `priority off`, actor `staff:<id>`.
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

use crate::entity::bookings;
use crate::error::ServiceError;
use crate::service::booking::query::get_one;
use crate::service::booking::txn::{Owner, lock_owner, write_txn};
use crate::service::staff::{Need, StaffActor, allows};
use crate::state::Core;
use kezek_domain::ids::{BookingId, CenterId};
use kezek_domain::input::BadInput;
use kezek_domain::lifecycle::BookingStatus;
use kezek_i18n::Lang;
use kezek_wire::types::BookingView;

use super::common::actor_name;

/// Sets or clears the priority mark of booking `booking_id`; staff of its
/// center only.
pub async fn set_priority(
    state: &Core,
    actor: &StaffActor,
    booking: BookingId,
    on: bool,
    lang: Lang,
) -> Result<BookingView, ServiceError> {
    let booking_id = booking.get();
    let first = bookings::Entity::find_by_id(booking_id)
        .one(&state.db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !allows(actor, Need::Operator(CenterId::new(first.center_id))) {
        return Err(ServiceError::Forbidden);
    }
    let who = actor_name(actor);
    let now = state.now().timestamp();
    let owner = Owner::of(&first);
    write_txn(state, |txn| {
        let who = who.clone();
        Box::pin(async move {
            lock_owner(txn, owner).await?;
            let b = bookings::Entity::find_by_id(booking_id)
                .one(txn)
                .await?
                .ok_or(ServiceError::NotFound)?;
            let waiting = [BookingStatus::Booked, BookingStatus::CheckedIn]
                .iter()
                .any(|s| s.as_str() == b.status);
            if !waiting {
                return Err(ServiceError::BadRequest(BadInput::NotWaiting));
            }
            if b.priority == on {
                return Ok(());
            }
            let n = bookings::Entity::update_many()
                .col_expr(bookings::Column::Priority, Expr::value(on))
                .col_expr(bookings::Column::UpdatedAt, Expr::value(now))
                .filter(bookings::Column::Id.eq(booking_id))
                .filter(bookings::Column::Status.eq(b.status.clone()))
                .exec(txn)
                .await?;
            if n.rows_affected != 1 {
                return Err(ServiceError::Internal("booking changed under lock".into()));
            }
            crate::service::booking::history::record(
                txn,
                crate::service::booking::history::Entry {
                    booking_id,
                    citizen_id: b.citizen_id,
                    center_id: b.center_id,
                    status: &b.status,
                    at: now,
                    actor: &who,
                    note: Some(if on { "priority on" } else { "priority off" }.to_owned()),
                },
            )
            .await?;
            Ok(())
        })
    })
    .await?;
    get_one(&state.db, booking, None, lang).await
}
