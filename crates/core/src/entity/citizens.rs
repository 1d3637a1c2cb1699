//! Entity for the `citizens` table (see migrations).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "citizens")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub iin: String,
    pub phone: Option<String>,
    pub lang: String,
    pub telegram_chat_id: Option<i64>,
    /// Opted in to WhatsApp notices at (Unix seconds); `None`: not.
    pub whatsapp_since: Option<i64>,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
