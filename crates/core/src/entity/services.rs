//! Entity for the `services` table (see migrations).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "services")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub center_kind: String,
    pub grp: String,
    pub online_available: bool,
    pub requires_vehicle: bool,
    pub duration_min: i32,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub active: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
