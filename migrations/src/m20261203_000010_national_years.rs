//! `national_years`: the years whose generated national calendar has been
//! written (review L11). Generation used to run only for a year without any
//! entry, so one decree day an administrator entered for a future year kept
//! that year's holidays from ever being generated. Now each year is
//! generated once — for the dates nobody entered — and recorded here, so
//! an administrator's later removal of a generated day stays removed.
//! Years that have entries today count as generated (as they were treated).
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(NationalYears::Table)
                .if_not_exists()
                .col(
                    ColumnDef::new(NationalYears::Year)
                        .integer()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(NationalYears::GeneratedAt)
                        .big_integer()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO national_years (year, generated_at) \
                 SELECT DISTINCT CAST(substr(date, 1, 4) AS INTEGER), 0 FROM national_days",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(NationalYears::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum NationalYears {
    Table,
    Year,
    GeneratedAt,
}
