//! Entity for the `relocation_items` table (see migrations).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "relocation_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub center_id: i64,
    pub booking_id: i64,
    /// The booking's start when the change decided about it.
    pub decided_start: i64,
    /// `move_or_cancel` or `cancel`.
    pub action: String,
    pub reason: String,
    pub actor: String,
    /// `pending`, `moved`, `cancelled`, `changed` (by the citizen since),
    /// `failed` (needs a decision).
    pub state: String,
    pub created_at: i64,
    pub done_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
