//! Entity for the `sessions` table (see migrations).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub token_hash: String,
    pub kind: String,
    pub citizen_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub created_at: i64,
    pub expires_at: i64,
    /// The browser or client that signed in (trimmed), for the cabinet.
    pub user_agent: Option<String>,
    /// The client address at sign-in (IPv6 cut to /64).
    pub address: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
