//! `look_stats`: how far ahead the first free start was when people looked
//! (issue 15, the public fairness page's "time to appointment"). One row
//! per center, local date of the look and days ahead (`-1`: nothing free
//! within the horizon), with the number of looks; written in batches by
//! the looks job, never on the availability path itself.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(LookStats::Table)
                .if_not_exists()
                .col(ColumnDef::new(LookStats::CenterId).big_integer().not_null())
                .col(
                    ColumnDef::new(LookStats::LocalDate)
                        .string_len(10)
                        .not_null(),
                )
                .col(ColumnDef::new(LookStats::DaysAhead).integer().not_null())
                .col(
                    ColumnDef::new(LookStats::Looks)
                        .big_integer()
                        .not_null()
                        .default(0),
                )
                .primary_key(
                    Index::create()
                        .col(LookStats::CenterId)
                        .col(LookStats::LocalDate)
                        .col(LookStats::DaysAhead),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_look_stats_date")
                .table(LookStats::Table)
                .col(LookStats::LocalDate)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(LookStats::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum LookStats {
    Table,
    CenterId,
    LocalDate,
    DaysAhead,
    Looks,
}
