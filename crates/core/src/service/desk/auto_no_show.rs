//! Background job: bookings still `Booked` after start + grace (policy
//! `no_show_grace_min`, default 15) become `NoShow` (R8), their
//! window-slots are released, and the history says `system`.
//!
//! Safe with several server processes against one database: every process
//! may run the job; each booking is changed in its own write transaction
//! (citizen locked first, like every booking write) by the shared desk
//! [`transition`](super::common::transition), whose update is conditional
//! on the status read (`… AND status = 'Booked'`). A booking another
//! process (or an operator, or a late check-in) changed first matches
//! nothing and is skipped — never marked twice, never over a check-in.
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entity::bookings;
use crate::error::ServiceError;
use crate::service::booking::schedule::load_policy;
use crate::service::booking::txn::{Owner, lock_owner, write_txn};
use crate::state::Core;
use kezek_domain::lifecycle::{BookingStatus, Event};

use super::common::{Extra, Sched, transition};

/// The history actor of automatic no-shows.
pub const SYSTEM_ACTOR: &str = "system";

/// Bookings looked at per run (the rest wait for the next run).
const BATCH: u64 = 500;

/// One pass: marks every overdue `Booked` booking (up to [`BATCH`]) as
/// `NoShow`. Returns how many this process marked.
pub async fn run_once(state: &Core) -> Result<u32, ServiceError> {
    let now = state.now();
    let policy = load_policy(&state.db).await?;
    let cutoff = now.timestamp() - i64::from(policy.no_show_grace_min) * 60;
    let overdue = bookings::Entity::find()
        .filter(bookings::Column::Status.eq(BookingStatus::Booked.as_str()))
        .filter(bookings::Column::StartAt.lt(cutoff))
        .order_by_asc(bookings::Column::StartAt)
        .limit(BATCH)
        .all(&state.db)
        .await?;
    let mut marked = 0u32;
    let mut failed = 0u32;
    for b in overdue {
        match mark(state, &b, now).await {
            Ok(true) => marked += 1,
            Ok(false) => {}
            // Not yet overdue by the center's clock, or moved meanwhile.
            Err(ServiceError::Refused(_)) => {}
            // One bad row never stops the pass (review H3): it is logged,
            // counted and met again next pass.
            Err(e) => {
                failed += 1;
                tracing::warn!(booking = b.id, error = %e, "automatic no-show failed for a booking");
            }
        }
    }
    if marked > 0 || failed > 0 {
        tracing::info!(marked, failed, "automatic no-shows");
    }
    Ok(marked)
}

async fn mark(
    state: &Core,
    first: &bookings::Model,
    now: DateTime<Utc>,
) -> Result<bool, ServiceError> {
    let sched = Sched::for_booking(state, first).await?;
    let (id, owner) = (first.id, Owner::of(first));
    write_txn(state, |txn| {
        let sched = sched.clone();
        Box::pin(async move {
            lock_owner(txn, owner).await?;
            let Some(b) = bookings::Entity::find_by_id(id).one(txn).await? else {
                return Ok(false);
            };
            if b.status != BookingStatus::Booked.as_str() || !sched.fits(&b) {
                return Ok(false);
            }
            Ok(transition(
                txn,
                &b,
                &Event::MarkNoShow,
                &sched,
                now,
                SYSTEM_ACTOR,
                &Extra::default(),
            )
            .await?
            .is_some())
        })
    })
    .await
}

/// Runs [`run_once`] every `every` until the task is aborted. Errors are
/// logged and the next run tries again.
pub async fn run(state: Core, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match run_once(&state).await {
            Ok(_) => state.jobs.ok("no_show", state.now().timestamp()),
            Err(e) => tracing::warn!(error = %e, "automatic no-show run failed"),
        }
    }
}
