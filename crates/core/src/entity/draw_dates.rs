//! Entity for the `draw_dates` table: the (center, date) pairs of a draw.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "draw_dates")]
pub struct Model {
    pub draw_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub center_id: i64,
    /// `YYYY-MM-DD`, center-local.
    #[sea_orm(primary_key, auto_increment = false)]
    pub local_date: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
