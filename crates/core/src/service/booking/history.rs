//! A booking's history row. Every step a visitor or a console sees writes
//! one, so writing it also notes the change for live pages
//! ([`crate::events`]): a new way to change a booking cannot forget to.
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};

use crate::entity::booking_history;
use crate::error::ServiceError;
use crate::events::{Change, note};

/// One history row of a booking of `citizen_id` at `center_id`.
pub(crate) struct Entry<'a> {
    pub booking_id: i64,
    pub citizen_id: i64,
    pub center_id: i64,
    pub status: &'a str,
    pub at: i64,
    pub actor: &'a str,
    pub note: Option<String>,
}

/// Writes the row and notes the change (published after the commit).
pub(crate) async fn record(db: &impl ConnectionTrait, e: Entry<'_>) -> Result<(), ServiceError> {
    note(Change::booking(e.citizen_id, e.center_id));
    booking_history::Entity::insert(booking_history::ActiveModel {
        booking_id: Set(e.booking_id),
        status: Set(e.status.to_owned()),
        at: Set(e.at),
        actor: Set(e.actor.to_owned()),
        note: Set(e.note),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(())
}
