//! Use case: a visitor without a booking gets a walk-in ticket at the desk
//! (DOMAIN.md R8: walk-ins join the same queue, after booked visitors).
//!
//! Design (DOMAIN.md is silent; decided here):
//! * A walk-in is a `bookings` row with `walk_in = true`, created directly
//!   in `CheckedIn` with a ticket from the center's daily sequence
//!   ([`next_ticket`], the same letters as booked visitors), `start_at` =
//!   `checked_in_at` = now, `end_at` = now + the service's duration.
//! * It holds **no window-slots** (`window_id = 0`, no `booking_slots`
//!   rows): the hall serves it when a window is free; online capacity is
//!   never taken away from citizens who book.
//! * Queue order is [`super::call_next`]'s: priority first, then booked
//!   visitors before walk-ins, then start time.
//! * The citizen is one shared placeholder row (`citizens.iin =
//!   "walk-in"`, not a valid IIN, so nobody can sign in as it). The visitor's
//!   IIN is not asked for: a walk-in must not count toward that person's
//!   R3–R5 limits, and nothing else needs it. The placeholder's row is
//!   never locked: a walk-in takes its center's ticket lock, and the desk
//!   steps lock the walk-in's own booking row (`txn::lock_owner`), so the
//!   walk-ins of different centers never wait for each other (review L8).
//! * The history row's actor is the staff member (`staff:<id>`), note
//!   `walk-in, ticket D-001`.
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    sea_query::OnConflict,
};

use crate::entity::{bookings, citizens, services};
use crate::error::ServiceError;
use crate::service::booking::schedule::load_center;
use crate::service::booking::txn::write_txn;
use crate::service::staff::{Need, StaffActor, allows};
use crate::state::Core;
use kezek_domain::calendar::utc_to_local;
use kezek_domain::catalog::ServiceGroup;
use kezek_domain::ids::{BookingCode, CenterId};
use kezek_domain::lifecycle::BookingStatus;
use kezek_domain::refusal::Refusal;

use super::check_in::{CheckedIn, lock_center_tickets, next_ticket, ticket_letter};
use super::common::actor_name;

/// The placeholder citizen's `iin` value.
pub const WALK_IN_CITIZEN: &str = "walk-in";

/// The placeholder citizen's id (created on first use). Read first: an
/// insert that meets the existing row would wait for any transaction
/// holding it.
pub async fn walk_in_citizen(txn: &DatabaseTransaction, now: i64) -> Result<i64, ServiceError> {
    let find = || {
        citizens::Entity::find()
            .filter(citizens::Column::Iin.eq(WALK_IN_CITIZEN))
            .one(txn)
    };
    if let Some(c) = find().await? {
        return Ok(c.id);
    }
    citizens::Entity::insert(citizens::ActiveModel {
        iin: Set(WALK_IN_CITIZEN.to_owned()),
        phone: Set(None),
        lang: Set("ru".to_owned()),
        telegram_chat_id: Set(None),
        created_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(citizens::Column::Iin)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    find()
        .await?
        .map(|c| c.id)
        .ok_or_else(|| ServiceError::Internal("walk-in citizen missing".into()))
}

/// Issues a walk-in ticket for `service` at `center_id` today. Staff of
/// that center only (`Forbidden`); an unknown service or one the center
/// does not offer: `service_not_offered`; an online-only service:
/// `service_online` (R7).
pub async fn walk_in(
    state: &Core,
    actor: &StaffActor,
    center: CenterId,
    service: &str,
    priority: bool,
) -> Result<CheckedIn, ServiceError> {
    if !allows(actor, Need::Operator(center)) {
        return Err(ServiceError::Forbidden);
    }
    let center_id = center.get();
    let ctx = load_center(&state.db, center_id).await?;
    let svc = services::Entity::find_by_id(service.trim().to_owned())
        .one(&state.db)
        .await?
        .filter(|s| s.active && s.center_kind == ctx.kind.as_str())
        .ok_or(ServiceError::Refused(Refusal::ServiceNotOffered))?;
    if svc.online_available {
        return Err(ServiceError::Refused(Refusal::ServiceOnline));
    }
    let group: ServiceGroup = svc
        .grp
        .parse()
        .map_err(|_| ServiceError::Internal(format!("service {}: bad group", svc.code)))?;
    let now = state.now();
    let date = utc_to_local(ctx.tz, now)
        .date()
        .format("%Y-%m-%d")
        .to_string();
    let who = actor_name(actor);
    let mut code_bytes = [0u8; 8];
    rand::Rng::fill(&mut rand::rng(), &mut code_bytes);
    let code = BookingCode::from_random_bytes(&code_bytes);
    write_txn(state, |txn| {
        let (svc, date, who, code, kind) = (
            svc.clone(),
            date.clone(),
            who.clone(),
            code,
            ctx.kind.as_str().to_owned(),
        );
        Box::pin(async move {
            let at = now.timestamp();
            // No citizen lock: the placeholder is everyone's (review L8);
            // the center's ticket lock orders this center's walk-ins.
            let citizen = walk_in_citizen(txn, at).await?;
            lock_center_tickets(txn, center_id).await?;
            let ticket = next_ticket(txn, center_id, &date, ticket_letter(group)).await?;
            let id = bookings::Entity::insert(bookings::ActiveModel {
                code: Set(code.as_str().to_owned()),
                citizen_id: Set(citizen),
                center_id: Set(center_id),
                center_kind: Set(kind),
                service_code: Set(svc.code.clone()),
                grp: Set(svc.grp.clone()),
                window_id: Set(0),
                start_at: Set(at),
                end_at: Set(at + i64::from(svc.duration_min.max(1)) * 60),
                local_date: Set(date.clone()),
                status: Set(BookingStatus::CheckedIn.as_str().to_owned()),
                reschedule_count: Set(0),
                cancelled_by: Set(None),
                cancel_reason: Set(None),
                vehicle_plate: Set(None),
                vehicle_vin: Set(None),
                ticket: Set(Some(ticket.clone())),
                called_window: Set(None),
                priority: Set(priority),
                walk_in: Set(true),
                created_at: Set(at),
                updated_at: Set(at),
                moved_at: Set(at),
                checked_in_at: Set(Some(at)),
                called_at: Set(None),
                started_at: Set(None),
                finished_at: Set(None),
                ..Default::default()
            })
            .exec(txn)
            .await?
            .last_insert_id;
            crate::service::booking::history::record(
                txn,
                crate::service::booking::history::Entry {
                    booking_id: id,
                    citizen_id: citizen,
                    center_id,
                    status: BookingStatus::CheckedIn.as_str(),
                    at,
                    actor: &who,
                    note: Some(format!(
                        "walk-in, ticket {ticket}{}",
                        if priority { ", priority" } else { "" }
                    )),
                },
            )
            .await?;
            Ok(CheckedIn {
                booking_id: id,
                ticket,
                iin_masked: None,
            })
        })
    })
    .await
}
