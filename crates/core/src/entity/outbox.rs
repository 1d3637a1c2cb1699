//! Entity for the `outbox` table (see migrations).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub channel: String,
    pub recipient: String,
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub booking_id: Option<i64>,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    /// Lease of the worker that claimed the row (Unix seconds); a row whose
    /// lease ran out may be claimed again (its worker died).
    pub claimed_until: Option<i64>,
    /// Random token of the current claim; only its holder finishes the row.
    pub claim_token: Option<String>,
    /// The provider's id of the accepted message (WhatsApp `wamid…`).
    pub provider_id: Option<String>,
    /// When the provider reported the message delivered.
    pub delivered_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
