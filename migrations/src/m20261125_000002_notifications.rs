//! Notifications that are never lost, and the Telegram bot.
//!
//! - `outbox.claimed_until` / `outbox.claim_token`: a worker claims a row
//!   with a lease (conditional update); a row whose worker died is claimed
//!   again once the lease has run out. Only the holder of the token may
//!   finish the row.
//! - `citizens.telegram_chat_id` becomes unique (a chat speaks for one
//!   citizen; NULLs are not compared).
//! - `booking_reminders`: one row per (booking, reminder kind, start), so
//!   each reminder is enqueued once even with several server processes; a
//!   rescheduled booking (new start) is reminded again.
//! - `telegram_chats`: the bot's dialogue state per chat, so the dialogue
//!   survives restarts.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        m.alter_table(
            Table::alter()
                .table(Outbox::Table)
                .add_column(ColumnDef::new(Outbox::ClaimedUntil).big_integer().null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Outbox::Table)
                .add_column(ColumnDef::new(Outbox::ClaimToken).string().null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_citizens_telegram_chat")
                .table(Citizens::Table)
                .col(Citizens::TelegramChatId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(BookingReminders::Table)
                .col(
                    ColumnDef::new(BookingReminders::BookingId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(BookingReminders::Kind).string().not_null())
                .col(
                    ColumnDef::new(BookingReminders::StartAt)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(BookingReminders::CreatedAt)
                        .big_integer()
                        .not_null(),
                )
                .primary_key(
                    Index::create()
                        .col(BookingReminders::BookingId)
                        .col(BookingReminders::Kind)
                        .col(BookingReminders::StartAt),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TelegramChats::Table)
                .col(
                    ColumnDef::new(TelegramChats::ChatId)
                        .big_integer()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(TelegramChats::Lang).string().null())
                .col(ColumnDef::new(TelegramChats::State).text().not_null())
                .col(
                    ColumnDef::new(TelegramChats::LastUpdateId)
                        .big_integer()
                        .not_null()
                        .default(0),
                )
                .col(
                    ColumnDef::new(TelegramChats::UpdatedAt)
                        .big_integer()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(TelegramChats::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(BookingReminders::Table).to_owned())
            .await?;
        m.drop_index(
            Index::drop()
                .name("idx_citizens_telegram_chat")
                .table(Citizens::Table)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Outbox::Table)
                .drop_column(Outbox::ClaimToken)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Outbox::Table)
                .drop_column(Outbox::ClaimedUntil)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    ClaimedUntil,
    ClaimToken,
}
#[derive(DeriveIden)]
enum Citizens {
    Table,
    TelegramChatId,
}
#[derive(DeriveIden)]
enum BookingReminders {
    Table,
    BookingId,
    Kind,
    StartAt,
    CreatedAt,
}
#[derive(DeriveIden)]
enum TelegramChats {
    Table,
    ChatId,
    Lang,
    State,
    LastUpdateId,
    UpdatedAt,
}
