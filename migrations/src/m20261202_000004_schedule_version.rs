//! `centers.schedule_version`: bumped by every change that decides where
//! bookings may land (hours, exceptions, breaks, windows, the cap, closures,
//! the national calendar, deactivation), in the change's own transaction.
//! Booking transactions lock the center row (shared; exclusive when the
//! center has a cap) and compare the version with the schedule they were
//! decided on, so a booking either sees the new schedule or commits before
//! the change, which then sees it (review M1, H2).
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Centers::Table)
                .add_column(
                    ColumnDef::new(Centers::ScheduleVersion)
                        .big_integer()
                        .not_null()
                        .default(0),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Centers::Table)
                .drop_column(Centers::ScheduleVersion)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum Centers {
    Table,
    ScheduleVersion,
}
