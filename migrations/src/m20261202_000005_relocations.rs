//! `relocation_items`: the bookings an admin change (day closure, schedule
//! change, national day) decided to move or cancel, written in the change's
//! own transaction, then worked through one booking per transaction — by
//! the admin's request at once and, should that die, by the relocation job
//! of any server process (review M2).
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RelocationItems::Table)
                .col(
                    ColumnDef::new(RelocationItems::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(RelocationItems::CenterId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(RelocationItems::BookingId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(RelocationItems::DecidedStart)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(RelocationItems::Action)
                        .string_len(16)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(RelocationItems::Reason)
                        .string_len(500)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(RelocationItems::Actor)
                        .string_len(100)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(RelocationItems::State)
                        .string_len(16)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(RelocationItems::CreatedAt)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(RelocationItems::DoneAt).big_integer().null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_relocation_items_state")
                .table(RelocationItems::Table)
                .col(RelocationItems::State)
                .col(RelocationItems::CreatedAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RelocationItems::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum RelocationItems {
    Table,
    Id,
    CenterId,
    BookingId,
    DecidedStart,
    Action,
    Reason,
    Actor,
    State,
    CreatedAt,
    DoneAt,
}
