//! Use case: an operator calls the next visitor to a window
//! (`CheckedIn → Called`, `called_window` = the window's number).
//!
//! The queue: today's (center-local) `CheckedIn` bookings of the window's
//! center whose service the window serves, `priority` first, booked visitors
//! before walk-ins, then appointment start, check-in time and id. Each
//! candidate in turn: lock its citizen, re-read it, and update it only if it
//! is still `CheckedIn`; a candidate another window took meanwhile is
//! skipped. So two windows pressing at once never get the same visitor.
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entity::{bookings, window_services, windows};
use crate::error::ServiceError;
use crate::service::booking::query::get_one;
use crate::service::booking::txn::{Owner, lock_owner, write_txn};
use crate::service::staff::{Need, StaffActor, allows};
use crate::state::Core;
use kezek_domain::ids::{BookingId, CenterId, WindowId};
use kezek_domain::lifecycle::{BookingStatus, Event};
use kezek_i18n::Lang;
use kezek_wire::types::BookingView;

use super::common::{Extra, Sched, actor_name, transition};

/// Calls the next waiting visitor to window `window_id`: the called
/// booking, or `None` when nobody waits. Unknown or inactive window:
/// `NotFound`; not that window's operator nor an admin of its center:
/// `Forbidden`.
pub async fn call_next(
    state: &Core,
    actor: &StaffActor,
    window: WindowId,
    lang: Lang,
) -> Result<Option<BookingView>, ServiceError> {
    let window_id = window.get();
    let window = windows::Entity::find_by_id(window_id)
        .one(&state.db)
        .await?
        .filter(|w| w.active)
        .ok_or(ServiceError::NotFound)?;
    if !allows(
        actor,
        Need::Window {
            center_id: CenterId::new(window.center_id),
            window_id: WindowId::new(window_id),
        },
    ) {
        return Err(ServiceError::Forbidden);
    }
    let services: Vec<String> = window_services::Entity::find()
        .select_only()
        .column(window_services::Column::ServiceCode)
        .filter(window_services::Column::WindowId.eq(window_id))
        .into_tuple()
        .all(&state.db)
        .await?;
    if services.is_empty() {
        return Ok(None);
    }
    let now = state.now();
    let sched = Sched::for_today(state, window.center_id, now).await?;
    let who = actor_name(actor);
    let number = window.number;
    let called = write_txn(state, |txn| {
        let (sched, who, services) = (sched.clone(), who.clone(), services.clone());
        Box::pin(async move {
            let queue = bookings::Entity::find()
                .filter(bookings::Column::CenterId.eq(sched.ctx.center.id))
                .filter(bookings::Column::LocalDate.eq(sched.date_str()))
                .filter(bookings::Column::Status.eq(BookingStatus::CheckedIn.as_str()))
                .filter(bookings::Column::ServiceCode.is_in(services))
                .order_by_desc(bookings::Column::Priority)
                .order_by_asc(bookings::Column::WalkIn)
                .order_by_asc(bookings::Column::StartAt)
                .order_by_asc(bookings::Column::CheckedInAt)
                .order_by_asc(bookings::Column::Id)
                .all(txn)
                .await?;
            let event = Event::Call {
                window: WindowId::new(window_id),
            };
            let extra = Extra {
                ticket: None,
                called_window: Some(number),
            };
            for candidate in queue {
                lock_owner(txn, Owner::of(&candidate)).await?;
                let Some(b) = bookings::Entity::find_by_id(candidate.id).one(txn).await? else {
                    continue;
                };
                if b.status != BookingStatus::CheckedIn.as_str() || !sched.fits(&b) {
                    continue;
                }
                if transition(txn, &b, &event, &sched, now, &who, &extra)
                    .await?
                    .is_some()
                {
                    // "Ticket D-042 — window 3" to the citizen's channels,
                    // in the same transaction (outbox).
                    crate::service::outbox::enqueue::notify_called(
                        txn,
                        b.id,
                        b.ticket.as_deref().unwrap_or(""),
                        number,
                        now.timestamp(),
                    )
                    .await?;
                    return Ok(Some(b.id));
                }
            }
            Ok(None)
        })
    })
    .await?;
    match called {
        Some(id) => get_one(&state.db, BookingId::new(id), None, lang)
            .await
            .map(Some),
        None => Ok(None),
    }
}
