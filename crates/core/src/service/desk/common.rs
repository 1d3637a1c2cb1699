//! Helpers shared by the desk use cases: the schedule facts a step needs,
//! and writing one lifecycle transition.
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, sea_query::Expr};

use crate::entity::{booking_slots, bookings};
use crate::error::ServiceError;
use crate::service::booking::facts::parse_status;
use crate::service::booking::query::get_one;
use crate::service::booking::schedule::{
    CenterCtx, load_center, load_center_any, load_national, load_policy,
};
use crate::service::booking::txn::{Owner, lock_owner, write_txn};
use crate::service::staff::{Need, StaffActor, allows};
use crate::state::Core;
use kezek_domain::calendar::utc_to_local;
use kezek_domain::ids::{BookingId, CenterId};
use kezek_domain::lifecycle::{BookingStatus, Event, Timing, apply};
use kezek_i18n::Lang;
use kezek_wire::types::BookingView;

/// How often a step re-reads a booking that moved (rescheduled to another
/// center or day) between the first read and the transaction.
pub(super) const ATTEMPTS: usize = 3;

/// `staff:<id>`, the history actor.
pub(super) fn actor_name(actor: &StaffActor) -> String {
    format!("staff:{}", actor.id)
}

/// The schedule facts of one center-day, read before the transaction
/// (schedules change rarely; see `booking::schedule`).
#[derive(Clone, Debug)]
pub(super) struct Sched {
    pub ctx: CenterCtx,
    pub grace_min: u32,
    /// The center-local date these facts are for.
    pub date: NaiveDate,
    /// The center's first opening on `date` (`None`: closed that day).
    pub day_opening: Option<NaiveTime>,
}

impl Sched {
    async fn build(state: &Core, ctx: CenterCtx, date: NaiveDate) -> Result<Self, ServiceError> {
        let policy = load_policy(&state.db).await?;
        let national = load_national(&state.db, date, date).await?;
        let day_opening = ctx
            .day(&national, date, Vec::new())
            .open
            .first()
            .map(|(open, _)| *open);
        Ok(Self {
            ctx,
            grace_min: policy.no_show_grace_min,
            date,
            day_opening,
        })
    }

    /// For the day of booking `b` (also at a center deactivated since: its
    /// bookings still end, e.g. as no-shows).
    pub async fn for_booking(state: &Core, b: &bookings::Model) -> Result<Self, ServiceError> {
        let ctx = load_center_any(&state.db, b.center_id).await?;
        let date = ctx.to_local(b.start_at).date();
        Self::build(state, ctx, date).await
    }

    /// For the center's current local day.
    pub async fn for_today(
        state: &Core,
        center_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Self, ServiceError> {
        let ctx = load_center(&state.db, center_id).await?;
        let date = utc_to_local(ctx.tz, now).date();
        Self::build(state, ctx, date).await
    }

    /// Are these the facts of `b`'s center and day?
    pub fn fits(&self, b: &bookings::Model) -> bool {
        b.center_id == self.ctx.center.id && self.ctx.to_local(b.start_at).date() == self.date
    }

    /// `date` as stored in `bookings.local_date`.
    pub fn date_str(&self) -> String {
        self.date.format("%Y-%m-%d").to_string()
    }

    /// The lifecycle's timing facts for `b` at `now`.
    pub fn timing(&self, b: &bookings::Model, now: DateTime<Utc>) -> Timing {
        Timing {
            now: utc_to_local(self.ctx.tz, now),
            start: self.ctx.to_local(b.start_at),
            day_opening: self.day_opening,
            grace_min: self.grace_min,
        }
    }
}

/// Columns a transition writes besides status and timestamps.
#[derive(Clone, Debug, Default)]
pub(super) struct Extra {
    pub ticket: Option<String>,
    pub called_window: Option<i32>,
}

fn note(to: BookingStatus, b: &bookings::Model, extra: &Extra, grace_min: u32) -> Option<String> {
    match to {
        BookingStatus::CheckedIn => extra.ticket.as_ref().map(|t| format!("ticket {t}")),
        BookingStatus::Called => match (extra.called_window, b.called_window) {
            (Some(n), _) => Some(format!("window {n}")),
            // A recall: the same window again.
            (None, Some(n)) => Some(format!("window {n} (recall)")),
            (None, None) => None,
        },
        BookingStatus::InService => b.called_window.map(|n| format!("window {n}")),
        BookingStatus::NoShow => Some(format!("not checked in by start + {grace_min} min")),
        _ => None,
    }
}

/// Applies `event` to the (re-read, locked) booking `b` and writes the new
/// status, its timestamp, `extra`, `updated_at` and a history row; releases
/// the window-slots when the visit ends. The update is conditional on the
/// status read: `Ok(None)` when it matched nothing (someone else moved the
/// booking first). A refused event is `Err(Refused)`.
pub(super) async fn transition(
    txn: &DatabaseTransaction,
    b: &bookings::Model,
    event: &Event,
    sched: &Sched,
    now: DateTime<Utc>,
    actor: &str,
    extra: &Extra,
) -> Result<Option<BookingStatus>, ServiceError> {
    let from = parse_status(&b.status)?;
    let to = apply(from, event, &sched.timing(b, now))?;
    let at = now.timestamp();
    let mut q = bookings::Entity::update_many()
        .col_expr(bookings::Column::Status, Expr::value(to.as_str()))
        .col_expr(bookings::Column::UpdatedAt, Expr::value(at));
    let stamp = match to {
        BookingStatus::CheckedIn => Some(bookings::Column::CheckedInAt),
        BookingStatus::Called => Some(bookings::Column::CalledAt),
        BookingStatus::InService => Some(bookings::Column::StartedAt),
        BookingStatus::Served => Some(bookings::Column::FinishedAt),
        _ => None,
    };
    if let Some(col) = stamp {
        q = q.col_expr(col, Expr::value(Some(at)));
    }
    if let Some(t) = &extra.ticket {
        q = q.col_expr(bookings::Column::Ticket, Expr::value(Some(t.clone())));
    }
    if let Some(n) = extra.called_window {
        q = q.col_expr(bookings::Column::CalledWindow, Expr::value(Some(n)));
    }
    let n = q
        .filter(bookings::Column::Id.eq(b.id))
        .filter(bookings::Column::Status.eq(from.as_str()))
        .exec(txn)
        .await?;
    if n.rows_affected != 1 {
        return Ok(None);
    }
    if to.is_terminal() {
        booking_slots::Entity::delete_many()
            .filter(booking_slots::Column::BookingId.eq(b.id))
            .exec(txn)
            .await?;
    }
    crate::service::booking::history::record(
        txn,
        crate::service::booking::history::Entry {
            booking_id: b.id,
            citizen_id: b.citizen_id,
            center_id: b.center_id,
            status: to.as_str(),
            at,
            actor,
            note: note(to, b, extra, sched.grace_min),
        },
    )
    .await?;
    Ok(Some(to))
}

/// A step on one booking by id (start, served, no-show): any staff of the
/// booking's center; one transaction; the booking view afterwards.
pub(super) async fn step(
    state: &Core,
    actor: &StaffActor,
    booking_id: i64,
    event: Event,
    lang: Lang,
) -> Result<BookingView, ServiceError> {
    let who = actor_name(actor);
    for _ in 0..ATTEMPTS {
        let first = bookings::Entity::find_by_id(booking_id)
            .one(&state.db)
            .await?
            .ok_or(ServiceError::NotFound)?;
        if !allows(actor, Need::Operator(CenterId::new(first.center_id))) {
            return Err(ServiceError::Forbidden);
        }
        let sched = Sched::for_booking(state, &first).await?;
        let owner = Owner::of(&first);
        let now = state.now();
        let done = write_txn(state, |txn| {
            let (sched, event, who) = (sched.clone(), event.clone(), who.clone());
            Box::pin(async move {
                lock_owner(txn, owner).await?;
                let b = bookings::Entity::find_by_id(booking_id)
                    .one(txn)
                    .await?
                    .ok_or(ServiceError::NotFound)?;
                if !sched.fits(&b) {
                    return Ok(false);
                }
                match transition(txn, &b, &event, &sched, now, &who, &Extra::default()).await? {
                    Some(_) => Ok(true),
                    None => Err(ServiceError::Internal(format!(
                        "booking {booking_id} changed under lock"
                    ))),
                }
            })
        })
        .await?;
        if done {
            return get_one(&state.db, BookingId::new(booking_id), None, lang).await;
        }
    }
    Err(ServiceError::Internal(format!(
        "booking {booking_id} kept moving during a desk step"
    )))
}
