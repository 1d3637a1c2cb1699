//! Reminders 24 h and 2 h before a visit, enqueued once per booking and
//! start time.
//!
//! A periodic job ([`enqueue_due`]) looks at active bookings starting within
//! the next 24 hours. The reminder due is the 2-hour one when the start is
//! at most 2 hours away, else the 24-hour one; a reminder is skipped when the
//! booking was made (or last moved) after its moment, since the
//! confirmation just said the same. For each, one transaction locks the
//! citizen (like every booking write), re-reads the booking, inserts
//! `(booking_id, kind, start_at)` into `booking_reminders` with `ON
//! CONFLICT DO NOTHING` and — only when that inserted a row — writes the
//! outbox rows. The key makes the job safe with several processes and
//! across restarts; a rescheduled booking has a new `start_at`, so it is
//! reminded of the new time. The candidates are found by one statement that
//! leaves out bookings whose due reminder is recorded already, so a pass
//! costs one read plus one transaction per reminder actually due (review
//! M8), not one per upcoming booking.
use std::time::Duration;

use sea_orm::{ActiveValue::Set, DbBackend, EntityTrait, Statement, Value, sea_query::OnConflict};

use crate::entity::{booking_reminders, bookings, citizens};
use crate::error::ServiceError;
use crate::service::booking::txn::{lock_citizen, write_txn};
use crate::state::Core;
use kezek_domain::lifecycle::BookingStatus;

use super::enqueue::enqueue_reminder;
use super::texts::Reminder;

/// Which reminder is due for a booking at `now`, if any; `moved_at` is
/// when it got its start (made or last moved), not any later change.
pub fn due_reminder(start_at: i64, moved_at: i64, now: i64) -> Option<Reminder> {
    if start_at <= now {
        return None;
    }
    let left = start_at - now;
    let which = if left <= Reminder::TwoHours.lead_secs() {
        Reminder::TwoHours
    } else if left <= Reminder::Day.lead_secs() {
        Reminder::Day
    } else {
        return None;
    };
    (moved_at <= start_at - which.lead_secs()).then_some(which)
}

/// Enqueues the reminders due at the clock's now. Returns how many
/// reminders were enqueued (not rows: one reminder may go to two channels).
pub async fn enqueue_due(state: &Core) -> Result<usize, ServiceError> {
    let now = state.now().timestamp();
    // One statement (review M8): the active bookings of the next 24 h whose
    // due reminder (2 h when the start is at most 2 h away, else 24 h) is
    // not recorded yet. At steady state it returns nothing, and no
    // transaction is opened.
    let backend = state.db.get_database_backend();
    let (p1, p2, p3) = if backend == DbBackend::Postgres {
        ("$1", "$2", "$3")
    } else {
        ("?1", "?2", "?3")
    };
    let sql = format!(
        "SELECT b.* FROM bookings b WHERE b.status = 'Booked' \
         AND b.start_at > {p1} AND b.start_at <= {p2} \
         AND NOT EXISTS (SELECT 1 FROM booking_reminders r \
           WHERE r.booking_id = b.id AND r.start_at = b.start_at \
           AND r.kind = CASE WHEN b.start_at - {p1} <= {p3} \
             THEN 'reminder_2h' ELSE 'reminder_24h' END)"
    );
    let candidates = bookings::Entity::find()
        .from_raw_sql(Statement::from_sql_and_values(
            backend,
            sql,
            [
                Value::BigInt(Some(now)),
                Value::BigInt(Some(now + Reminder::Day.lead_secs())),
                Value::BigInt(Some(Reminder::TwoHours.lead_secs())),
            ],
        ))
        .all(&state.db)
        .await?;
    let mut sent = 0;
    for b in candidates {
        let Some(which) = due_reminder(b.start_at, b.moved_at, now) else {
            continue;
        };
        let (id, citizen_id, start_at) = (b.id, b.citizen_id, b.start_at);
        let done = write_txn(state, |txn| {
            Box::pin(async move {
                lock_citizen(txn, citizen_id).await?;
                let Some(b) = bookings::Entity::find_by_id(id).one(txn).await? else {
                    return Ok(false);
                };
                if b.status != BookingStatus::Booked.as_str() || b.start_at != start_at {
                    return Ok(false);
                }
                let inserted = booking_reminders::Entity::insert(booking_reminders::ActiveModel {
                    booking_id: Set(id),
                    kind: Set(which.kind().to_owned()),
                    start_at: Set(start_at),
                    created_at: Set(now),
                })
                .on_conflict(
                    OnConflict::columns([
                        booking_reminders::Column::BookingId,
                        booking_reminders::Column::Kind,
                        booking_reminders::Column::StartAt,
                    ])
                    .do_nothing()
                    .to_owned(),
                )
                .exec_without_returning(txn)
                .await?;
                if inserted != 1 {
                    return Ok(false);
                }
                let Some(c) = citizens::Entity::find_by_id(citizen_id).one(txn).await? else {
                    return Ok(true);
                };
                enqueue_reminder(txn, &c, &b, which, now).await?;
                Ok(true)
            })
        })
        .await;
        match done {
            Ok(true) => sent += 1,
            Ok(false) => {}
            // One booking never stops the pass; it is met again next pass.
            Err(e) => tracing::warn!(booking = id, error = %e, "reminder not enqueued"),
        }
    }
    Ok(sent)
}

/// Runs [`enqueue_due`] every `every` until the task is dropped.
pub async fn run(state: Core, every: Duration) {
    loop {
        let result = enqueue_due(&state).await;
        if result.is_ok() {
            state.jobs.ok("reminders", state.now().timestamp());
        }
        match result {
            Ok(n) if n > 0 => tracing::info!(reminders = n, "reminders enqueued"),
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "reminder job failed"),
        }
        tokio::time::sleep(every).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_reminder_is_due() {
        let start = 100_000;
        let h = 3600;
        assert_eq!(due_reminder(start, 0, start - 25 * h), None);
        assert_eq!(due_reminder(start, 0, start - 24 * h), Some(Reminder::Day));
        assert_eq!(due_reminder(start, 0, start - 3 * h), Some(Reminder::Day));
        assert_eq!(
            due_reminder(start, 0, start - 2 * h),
            Some(Reminder::TwoHours)
        );
        assert_eq!(due_reminder(start, 0, start), None);
        // Booked 5 h before: no 24 h reminder, but the 2 h one.
        assert_eq!(due_reminder(start, start - 5 * h, start - 4 * h), None);
        assert_eq!(
            due_reminder(start, start - 5 * h, start - h),
            Some(Reminder::TwoHours)
        );
    }
}
