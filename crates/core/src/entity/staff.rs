//! Entity for the `staff` table (see migrations).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "staff")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub role: String,
    pub center_id: Option<i64>,
    pub window_id: Option<i64>,
    pub display_name: String,
    pub active: bool,
    pub created_at: i64,
    /// Wrong passwords since the last successful sign-in.
    pub failed_logins: i32,
    /// No password is checked before this instant (Unix seconds).
    pub locked_until: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
