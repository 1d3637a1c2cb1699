//! Reading back what was "sent": the dev outbox of `GET /api/v1/dev/outbox`.
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entity::outbox;
use crate::error::ServiceError;

/// The newest `limit` messages to `recipient` (canonical phone or chat id),
/// newest first. Dev mode only: the caller checks.
pub async fn messages_to(
    db: &DatabaseConnection,
    recipient: &str,
    limit: u64,
) -> Result<Vec<outbox::Model>, ServiceError> {
    Ok(outbox::Entity::find()
        .filter(outbox::Column::Recipient.eq(recipient))
        .order_by_desc(outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}
