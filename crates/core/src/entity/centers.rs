//! Entity for the `centers` table (see migrations).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "centers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub slug: String,
    pub kind: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub region: String,
    pub city: String,
    pub address_kk: String,
    pub address_ru: String,
    pub address_en: String,
    pub timezone: String,
    pub slot_minutes: i32,
    pub capacity_cap: Option<i32>,
    pub active: bool,
    /// Bumped by every schedule-deciding change (see migrations).
    pub schedule_version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
