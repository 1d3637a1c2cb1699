//! Kezek's schema as SeaORM migrations: one set for SQLite and PostgreSQL.
//!
//! Never edit a migration that has been applied anywhere; add a new one.
//! Conventions (see `migrations/README.md`): instants are `BIGINT` Unix
//! seconds (UTC), local calendar dates are `TEXT` `YYYY-MM-DD`, times of day
//! are `INTEGER` minutes after midnight.

pub use sea_orm_migration::prelude::*;

mod m20261125_000001_init;
mod m20261125_000002_notifications;
mod m20261202_000003_sign_in;
mod m20261202_000004_schedule_version;
mod m20261202_000005_relocations;
mod m20261202_000006_draws;
mod m20261202_000007_look_stats;
mod m20261202_000008_whatsapp;
mod m20261203_000009_moved_at;
mod m20261203_000010_national_years;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_init::Migration),
            Box::new(m20261125_000002_notifications::Migration),
            Box::new(m20261202_000003_sign_in::Migration),
            Box::new(m20261202_000004_schedule_version::Migration),
            Box::new(m20261202_000005_relocations::Migration),
            Box::new(m20261202_000006_draws::Migration),
            Box::new(m20261202_000007_look_stats::Migration),
            Box::new(m20261202_000008_whatsapp::Migration),
            Box::new(m20261203_000009_moved_at::Migration),
            Box::new(m20261203_000010_national_years::Migration),
        ]
    }
}
