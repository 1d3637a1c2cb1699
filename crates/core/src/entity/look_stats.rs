//! Entity for the `look_stats` table: looks at a center's calendar per
//! local date and days ahead of the first free start (`-1`: none within
//! the horizon).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "look_stats")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub center_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub local_date: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub days_ahead: i32,
    pub looks: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
