//! Entity for the `telegram_chats` table (see migrations): the bot's
//! dialogue state per chat (JSON), and the last update handled.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "telegram_chats")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub chat_id: i64,
    pub lang: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub state: String,
    pub last_update_id: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
