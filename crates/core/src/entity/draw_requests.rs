//! Entity for the `draw_requests` table: a citizen's ranked choices in a
//! draw.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "draw_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Random, 32 lower-case hex characters: the only name the public
    /// record uses.
    pub public_id: String,
    pub draw_id: i64,
    pub citizen_id: i64,
    pub service_code: String,
    pub center_kind: String,
    pub grp: String,
    /// JSON array of `kezek_domain::draw::Choice`.
    #[sea_orm(column_type = "Text")]
    pub choices: String,
    pub vehicle: Option<String>,
    /// `pending`, `matched`, `unmatched`, `withdrawn`.
    pub status: String,
    /// 1-based place in the draw's order, once it has run.
    pub position: Option<i32>,
    pub booking_id: Option<i64>,
    /// Why unmatched (a refusal code, or `no_free_start`).
    pub note: Option<String>,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
