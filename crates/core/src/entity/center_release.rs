//! Entity for the `center_release` table: a center's release mode (R12);
//! no row = `first_come`.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "center_release")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub center_id: i64,
    /// `first_come` or `draw`.
    pub mode: String,
    /// `HH:MM`, center-local.
    pub release_time: String,
    pub window_minutes: i32,
    /// The first date released by draws (`YYYY-MM-DD`): the dates already
    /// in the horizon when draw mode was chosen stay first-come.
    pub draw_from: String,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
