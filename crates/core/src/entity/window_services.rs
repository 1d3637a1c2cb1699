//! Entity for the `window_services` table (see migrations).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "window_services")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub window_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub service_code: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
