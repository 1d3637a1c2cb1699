//! `bookings.moved_at`: when the booking got its current start (made or
//! last moved, Unix seconds). The reminder job skips a reminder whose
//! moment passed before that — the confirmation said the same — and used to
//! read `updated_at` for it, which any change (a priority mark at the desk)
//! bumps, so such a booking lost its reminder (review L9). Existing rows
//! start from `updated_at`, the best that is known.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Bookings::Table)
                .add_column(
                    ColumnDef::new(Bookings::MovedAt)
                        .big_integer()
                        .not_null()
                        .default(0),
                )
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::update()
                .table(Bookings::Table)
                .value(Bookings::MovedAt, Expr::col(Bookings::UpdatedAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Bookings::Table)
                .drop_column(Bookings::MovedAt)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum Bookings {
    Table,
    MovedAt,
    UpdatedAt,
}
