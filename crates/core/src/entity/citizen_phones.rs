//! Entity for the `citizen_phones` table: the mobile-citizens registry kept
//! in Kezek's own database (DOMAIN.md R11; see migrations).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "citizen_phones")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub iin: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub phone: String,
    /// `import` or `tofu` (dev mode's trust on first use).
    pub source: String,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
