//! Sign-in that proves the IIN (DOMAIN.md R11) and limits that hold across
//! processes.
//!
//! - `citizen_phones`: the mobile-citizens registry as Kezek's own table,
//!   `(iin, phone)` pairs; an IIN may have several phones. `source` is
//!   `import` (CSV, admin API, `kezek import-phones`, the demo seed) or
//!   `tofu` (dev mode only: the first phone that verified a code for an IIN
//!   nobody registered).
//! - `send_counters`: fixed-window counters keyed by text (per phone, per
//!   IIN-phone pair, the global SMS budget), bumped with one atomic
//!   upsert so parallel requests cannot all pass a check made before.
//! - `staff.failed_logins` / `staff.locked_until`: the per-account failure
//!   counter and the growing delay after wrong passwords, in the database so
//!   they hold across server processes.
//! - `sessions.user_agent` / `sessions.address`: what the cabinet shows in
//!   its list of sessions ("signed in on … from …").
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CitizenPhones::Table)
                .col(ColumnDef::new(CitizenPhones::Iin).string_len(12).not_null())
                .col(
                    ColumnDef::new(CitizenPhones::Phone)
                        .string_len(16)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(CitizenPhones::Source)
                        .string_len(8)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(CitizenPhones::CreatedAt)
                        .big_integer()
                        .not_null(),
                )
                .primary_key(
                    Index::create()
                        .col(CitizenPhones::Iin)
                        .col(CitizenPhones::Phone),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(SendCounters::Table)
                .col(
                    ColumnDef::new(SendCounters::Key)
                        .string_len(96)
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(SendCounters::WindowStart)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(SendCounters::Count).integer().not_null())
                .to_owned(),
        )
        .await?;
        // SQLite alters one column per statement.
        m.alter_table(
            Table::alter()
                .table(Staff::Table)
                .add_column(
                    ColumnDef::new(Staff::FailedLogins)
                        .integer()
                        .not_null()
                        .default(0),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Staff::Table)
                .add_column(
                    ColumnDef::new(Staff::LockedUntil)
                        .big_integer()
                        .not_null()
                        .default(0),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Sessions::Table)
                .add_column(ColumnDef::new(Sessions::UserAgent).string_len(200).null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Sessions::Table)
                .add_column(ColumnDef::new(Sessions::Address).string_len(64).null())
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (t, c) in [
            (Sessions::Table.into_iden(), Sessions::Address.into_iden()),
            (Sessions::Table.into_iden(), Sessions::UserAgent.into_iden()),
            (Staff::Table.into_iden(), Staff::LockedUntil.into_iden()),
            (Staff::Table.into_iden(), Staff::FailedLogins.into_iden()),
        ] {
            m.alter_table(Table::alter().table(t).drop_column(c).to_owned())
                .await?;
        }
        m.drop_table(Table::drop().table(SendCounters::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(CitizenPhones::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum CitizenPhones {
    Table,
    Iin,
    Phone,
    Source,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SendCounters {
    Table,
    Key,
    WindowStart,
    Count,
}

#[derive(DeriveIden)]
enum Staff {
    Table,
    FailedLogins,
    LockedUntil,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    UserAgent,
    Address,
}
