//! Use case: a visitor arrives; staff check them in by booking code and a
//! ticket is issued (`Booked → CheckedIn`). Accepted on the appointment's
//! day from the center's opening until start + grace (`too_early` /
//! `too_late` otherwise, from the state machine).
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, QueryFilter,
    QuerySelect, Statement, Value,
};
use serde::Serialize;

use crate::entity::bookings;
use crate::error::ServiceError;
use crate::service::booking::facts::parse_status;
use crate::service::booking::txn::{Owner, lock_owner, write_txn};
use crate::service::staff::{Need, StaffActor, allows};
use crate::state::Core;
use kezek_domain::catalog::ServiceGroup;
use kezek_domain::ids::{BookingCode, CenterId};
use kezek_domain::iin::Iin;
use kezek_domain::lifecycle::{Event, apply};

use super::common::{ATTEMPTS, Extra, Sched, actor_name, transition};

/// The answer of a check-in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckedIn {
    pub booking_id: i64,
    /// `D-042`: group letter and the center's daily sequence.
    pub ticket: String,
    /// The holder's IIN as staff see it (`••••••••1868`, review L15: the
    /// desk compares it with the ID card); `None` for a walk-in.
    pub iin_masked: Option<String>,
}

/// The ticket letter of a service group: `D` Documentation, `O` Other.
pub fn ticket_letter(group: ServiceGroup) -> char {
    match group {
        ServiceGroup::Documentation => 'D',
        ServiceGroup::Other => 'O',
    }
}

/// Locks the center for ticket numbering until the transaction ends. On
/// PostgreSQL a row lock on the center (`FOR NO KEY UPDATE`, which does not
/// block foreign-key checks of new bookings); on SQLite the transaction
/// already holds the database's write lock (its first statement wrote).
pub async fn lock_center_tickets(
    txn: &DatabaseTransaction,
    center_id: i64,
) -> Result<(), ServiceError> {
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT id FROM centers WHERE id = $1 FOR NO KEY UPDATE",
            [Value::BigInt(Some(center_id))],
        ))
        .await?;
    }
    Ok(())
}

/// The next ticket of `letter` at a center on a local date (`YYYY-MM-DD`):
/// one more than the highest issued. Call it with the center locked
/// ([`lock_center_tickets`]) so two check-ins never compute the same one.
pub async fn next_ticket(
    db: &impl ConnectionTrait,
    center_id: i64,
    local_date: &str,
    letter: char,
) -> Result<String, ServiceError> {
    let prefix = format!("{letter}-");
    let issued: Vec<Option<String>> = bookings::Entity::find()
        .select_only()
        .column(bookings::Column::Ticket)
        .filter(bookings::Column::CenterId.eq(center_id))
        .filter(bookings::Column::LocalDate.eq(local_date))
        .filter(bookings::Column::Ticket.starts_with(prefix.as_str()))
        .into_tuple()
        .all(db)
        .await?;
    let max = issued
        .iter()
        .flatten()
        .filter_map(|t| t.strip_prefix(prefix.as_str())?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    Ok(format!("{prefix}{:03}", max.saturating_add(1)))
}

/// Checks in the booking with `code` (case-insensitive, spaces and dashes
/// ignored). Unknown or malformed code: `NotFound`; staff of another
/// center: `Forbidden`.
pub async fn check_in(
    state: &Core,
    actor: &StaffActor,
    code: &str,
) -> Result<CheckedIn, ServiceError> {
    let code = BookingCode::from_scan(code).map_err(|_| ServiceError::NotFound)?;
    let who = actor_name(actor);
    for _ in 0..ATTEMPTS {
        let first = bookings::Entity::find()
            .filter(bookings::Column::Code.eq(code.as_str()))
            .one(&state.db)
            .await?
            .ok_or(ServiceError::NotFound)?;
        if !allows(actor, Need::Operator(CenterId::new(first.center_id))) {
            return Err(ServiceError::Forbidden);
        }
        let sched = Sched::for_booking(state, &first).await?;
        let (booking_id, owner) = (first.id, Owner::of(&first));
        let now = state.now();
        let done = write_txn(state, |txn| {
            let (sched, who) = (sched.clone(), who.clone());
            Box::pin(async move {
                let holder = lock_owner(txn, owner).await?;
                let b = bookings::Entity::find_by_id(booking_id)
                    .one(txn)
                    .await?
                    .ok_or(ServiceError::NotFound)?;
                if !sched.fits(&b) {
                    return Ok(None);
                }
                // Refuse before numbering (and before locking the center).
                apply(
                    parse_status(&b.status)?,
                    &Event::CheckIn,
                    &sched.timing(&b, now),
                )?;
                let group: ServiceGroup = b.grp.parse().map_err(|_| {
                    ServiceError::Internal(format!("booking {booking_id}: bad group"))
                })?;
                lock_center_tickets(txn, b.center_id).await?;
                let ticket =
                    next_ticket(txn, b.center_id, &sched.date_str(), ticket_letter(group)).await?;
                let extra = Extra {
                    ticket: Some(ticket.clone()),
                    called_window: None,
                };
                match transition(txn, &b, &Event::CheckIn, &sched, now, &who, &extra).await? {
                    Some(_) => Ok(Some(CheckedIn {
                        booking_id,
                        ticket,
                        iin_masked: holder
                            .and_then(|c| Iin::parse(&c.iin).ok())
                            .map(|iin| iin.shown()),
                    })),
                    None => Err(ServiceError::Internal(format!(
                        "booking {booking_id} changed under lock"
                    ))),
                }
            })
        })
        .await?;
        if let Some(done) = done {
            return Ok(done);
        }
    }
    Err(ServiceError::Internal(
        "booking kept moving during check-in".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(ticket_letter(ServiceGroup::Documentation), 'D');
        assert_eq!(ticket_letter(ServiceGroup::Other), 'O');
    }
}
