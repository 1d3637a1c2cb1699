//! The WhatsApp channel (docs/NOTIFICATIONS.md):
//! - `citizens.whatsapp_since`: when the citizen opted in from the cabinet
//!   (Unix seconds; `NULL` = not opted in). WhatsApp then carries what SMS
//!   carried (sign-in codes stay SMS), with SMS as the fallback.
//! - `outbox.provider_id`: the id the provider gave the accepted message
//!   (WhatsApp's `wamid…`), which its delivery receipts name.
//! - `outbox.delivered_at`: when the provider reported it delivered.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        m.alter_table(
            Table::alter()
                .table(Citizens::Table)
                .add_column(ColumnDef::new(Citizens::WhatsappSince).big_integer().null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Outbox::Table)
                .add_column(ColumnDef::new(Outbox::ProviderId).string().null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Outbox::Table)
                .add_column(ColumnDef::new(Outbox::DeliveredAt).big_integer().null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("outbox_provider_id")
                .table(Outbox::Table)
                .col(Outbox::ProviderId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("outbox_provider_id")
                .table(Outbox::Table)
                .to_owned(),
        )
        .await?;
        for col in [Outbox::DeliveredAt, Outbox::ProviderId] {
            m.alter_table(
                Table::alter()
                    .table(Outbox::Table)
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table(Citizens::Table)
                .drop_column(Citizens::WhatsappSince)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum Citizens {
    Table,
    WhatsappSince,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    ProviderId,
    DeliveredAt,
}
