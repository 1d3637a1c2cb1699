//! The bot's storage and its one write use case: a chat's dialogue state
//! (`telegram_chats`, JSON per chat, with the last update handled) and the
//! link between a chat and a citizen. The dialogue itself is a way in and
//! lives in the server crate (`server::telegram`).
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, sea_query::Expr,
    sea_query::OnConflict,
};

use kezek_i18n::Lang;

use crate::entity::{citizens, services, telegram_chats};
use crate::error::ServiceError;
use crate::service::booking::txn::write_txn;
use crate::state::Core;

/// What is stored about a chat, and the citizen linked to it.
#[derive(Clone, Debug)]
pub struct StoredChat {
    pub row: Option<telegram_chats::Model>,
    pub citizen: Option<citizens::Model>,
}

/// The chat's stored state and linked citizen.
pub async fn load(db: &DatabaseConnection, chat_id: i64) -> Result<StoredChat, ServiceError> {
    let row = telegram_chats::Entity::find_by_id(chat_id).one(db).await?;
    let citizen = citizens::Entity::find()
        .filter(citizens::Column::TelegramChatId.eq(chat_id))
        .one(db)
        .await?;
    Ok(StoredChat { row, citizen })
}

/// Stores the chat's language, dialogue state (JSON) and the update just
/// handled.
pub async fn save(
    core: &Core,
    chat_id: i64,
    lang: Lang,
    state_json: String,
    update_id: i64,
) -> Result<(), ServiceError> {
    let now = core.now().timestamp();
    telegram_chats::Entity::insert(telegram_chats::ActiveModel {
        chat_id: Set(chat_id),
        lang: Set(Some(lang.code().to_owned())),
        state: Set(state_json),
        last_update_id: Set(update_id),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(telegram_chats::Column::ChatId)
            .update_columns([
                telegram_chats::Column::Lang,
                telegram_chats::Column::State,
                telegram_chats::Column::LastUpdateId,
                telegram_chats::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(&core.db)
    .await?;
    Ok(())
}

/// Stores the chat on the citizen (taking it from any other citizen) and
/// the chat's language as the citizen's, in one write transaction.
pub async fn link(
    core: &Core,
    chat_id: i64,
    citizen_id: i64,
    lang: Lang,
) -> Result<citizens::Model, ServiceError> {
    let c = write_txn(core, |txn| {
        Box::pin(async move {
            citizens::Entity::update_many()
                .col_expr(
                    citizens::Column::TelegramChatId,
                    Expr::value(Option::<i64>::None),
                )
                .filter(citizens::Column::TelegramChatId.eq(chat_id))
                .filter(citizens::Column::Id.ne(citizen_id))
                .exec(txn)
                .await?;
            citizens::Entity::update_many()
                .col_expr(citizens::Column::TelegramChatId, Expr::value(chat_id))
                .col_expr(citizens::Column::Lang, Expr::value(lang.code()))
                .filter(citizens::Column::Id.eq(citizen_id))
                .exec(txn)
                .await?;
            citizens::Entity::find_by_id(citizen_id)
                .one(txn)
                .await?
                .ok_or(ServiceError::NotFound)
        })
    })
    .await?;
    tracing::info!(citizen = citizen_id, "telegram chat linked");
    Ok(c)
}

/// Signs the chat out: it no longer acts for, or notifies, any citizen.
pub async fn unlink(core: &Core, chat_id: i64) -> Result<(), ServiceError> {
    write_txn(core, |txn| {
        Box::pin(async move {
            citizens::Entity::update_many()
                .col_expr(
                    citizens::Column::TelegramChatId,
                    Expr::value(Option::<i64>::None),
                )
                .filter(citizens::Column::TelegramChatId.eq(chat_id))
                .exec(txn)
                .await?;
            Ok(())
        })
    })
    .await?;
    tracing::info!("telegram chat signed out");
    Ok(())
}

/// The citizen's language, as chosen in the chat.
pub async fn set_citizen_lang(
    db: &DatabaseConnection,
    citizen_id: i64,
    lang: Lang,
) -> Result<(), ServiceError> {
    citizens::Entity::update_many()
        .col_expr(citizens::Column::Lang, Expr::value(lang.code()))
        .filter(citizens::Column::Id.eq(citizen_id))
        .exec(db)
        .await?;
    Ok(())
}

/// A service by code (active or not).
pub async fn service(
    db: &DatabaseConnection,
    code: &str,
) -> Result<Option<services::Model>, ServiceError> {
    Ok(services::Entity::find_by_id(code.to_owned())
        .one(db)
        .await?)
}
