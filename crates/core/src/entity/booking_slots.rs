//! Entity for the `booking_slots` table (see migrations).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "booking_slots")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub window_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub slot_start: i64,
    pub booking_id: i64,
    pub center_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
