//! Fair release and the waiting list (DOMAIN.md R12, R13).
//!
//! - `draws`: one draw (its seed stays private until it has run; the
//!   commitment is public from the opening), `draw_dates` the (center,
//!   date) pairs it covers — a pair is covered by at most one draw, which
//!   also makes the automatic release idempotent across processes;
//! - `draw_requests`: a citizen's ranked choices; at most one open
//!   (`pending`) request per citizen, center kind and service group;
//! - `center_release`: a center's release mode (absent = `first_come`);
//! - `waitlist_entries`: at most one `waiting` entry per citizen, center
//!   kind and service group.
//!
//! The two "at most one open" rules are partial unique indexes (SQLite and
//! PostgreSQL both have them), so a citizen racing themselves cannot get
//! two.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn id<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Draws::Table)
                .col(id(Draws::Id))
                .col(ColumnDef::new(Draws::CenterKind).string_len(16).not_null())
                .col(ColumnDef::new(Draws::OpensAt).big_integer().not_null())
                .col(ColumnDef::new(Draws::ClosesAt).big_integer().not_null())
                .col(ColumnDef::new(Draws::Status).string_len(16).not_null())
                .col(ColumnDef::new(Draws::Seed).string_len(64).not_null())
                .col(ColumnDef::new(Draws::Commitment).string_len(64).not_null())
                .col(ColumnDef::new(Draws::Origin).string_len(16).not_null())
                .col(ColumnDef::new(Draws::CreatedAt).big_integer().not_null())
                .col(ColumnDef::new(Draws::RanAt).big_integer().null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_draws_status_closes")
                .table(Draws::Table)
                .col(Draws::Status)
                .col(Draws::ClosesAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(DrawDates::Table)
                .col(ColumnDef::new(DrawDates::DrawId).big_integer().not_null())
                .col(ColumnDef::new(DrawDates::CenterId).big_integer().not_null())
                .col(
                    ColumnDef::new(DrawDates::LocalDate)
                        .string_len(10)
                        .not_null(),
                )
                .primary_key(
                    Index::create()
                        .col(DrawDates::CenterId)
                        .col(DrawDates::LocalDate),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_draw_dates_draw")
                .table(DrawDates::Table)
                .col(DrawDates::DrawId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(DrawRequests::Table)
                .col(id(DrawRequests::Id))
                .col(
                    ColumnDef::new(DrawRequests::PublicId)
                        .string_len(32)
                        .not_null()
                        .unique_key(),
                )
                .col(
                    ColumnDef::new(DrawRequests::DrawId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(DrawRequests::CitizenId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(DrawRequests::ServiceCode)
                        .string_len(32)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(DrawRequests::CenterKind)
                        .string_len(16)
                        .not_null(),
                )
                .col(ColumnDef::new(DrawRequests::Grp).string_len(32).not_null())
                .col(ColumnDef::new(DrawRequests::Choices).text().not_null())
                .col(ColumnDef::new(DrawRequests::Vehicle).string_len(40).null())
                .col(
                    ColumnDef::new(DrawRequests::Status)
                        .string_len(16)
                        .not_null(),
                )
                .col(ColumnDef::new(DrawRequests::Position).integer().null())
                .col(ColumnDef::new(DrawRequests::BookingId).big_integer().null())
                .col(ColumnDef::new(DrawRequests::Note).string_len(40).null())
                .col(
                    ColumnDef::new(DrawRequests::CreatedAt)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(DrawRequests::DecidedAt).big_integer().null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_draw_requests_draw")
                .table(DrawRequests::Table)
                .col(DrawRequests::DrawId)
                .col(DrawRequests::Status)
                .col(DrawRequests::Position)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_draw_requests_citizen")
                .table(DrawRequests::Table)
                .col(DrawRequests::CitizenId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CenterRelease::Table)
                .col(
                    ColumnDef::new(CenterRelease::CenterId)
                        .big_integer()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(CenterRelease::Mode)
                        .string_len(16)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(CenterRelease::ReleaseTime)
                        .string_len(5)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(CenterRelease::WindowMinutes)
                        .integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(CenterRelease::DrawFrom)
                        .string_len(10)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(CenterRelease::UpdatedAt)
                        .big_integer()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(WaitlistEntries::Table)
                .col(id(WaitlistEntries::Id))
                .col(
                    ColumnDef::new(WaitlistEntries::CitizenId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(WaitlistEntries::ServiceCode)
                        .string_len(32)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(WaitlistEntries::CenterKind)
                        .string_len(16)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(WaitlistEntries::Grp)
                        .string_len(32)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(WaitlistEntries::CenterId)
                        .big_integer()
                        .null(),
                )
                .col(ColumnDef::new(WaitlistEntries::City).string_len(100).null())
                .col(
                    ColumnDef::new(WaitlistEntries::DateFrom)
                        .string_len(10)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(WaitlistEntries::DateTo)
                        .string_len(10)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(WaitlistEntries::TimeFrom)
                        .string_len(5)
                        .null(),
                )
                .col(ColumnDef::new(WaitlistEntries::TimeTo).string_len(5).null())
                .col(
                    ColumnDef::new(WaitlistEntries::BookingId)
                        .big_integer()
                        .null(),
                )
                .col(
                    ColumnDef::new(WaitlistEntries::Vehicle)
                        .string_len(40)
                        .null(),
                )
                .col(
                    ColumnDef::new(WaitlistEntries::Status)
                        .string_len(16)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(WaitlistEntries::ServedBookingId)
                        .big_integer()
                        .null(),
                )
                .col(
                    ColumnDef::new(WaitlistEntries::CreatedAt)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(WaitlistEntries::EndedAt)
                        .big_integer()
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_waitlist_status_service")
                .table(WaitlistEntries::Table)
                .col(WaitlistEntries::Status)
                .col(WaitlistEntries::ServiceCode)
                .col(WaitlistEntries::Id)
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        db.execute_unprepared(
            "CREATE UNIQUE INDEX uq_draw_requests_open ON draw_requests \
             (citizen_id, center_kind, grp) WHERE status = 'pending'",
        )
        .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX uq_waitlist_waiting ON waitlist_entries \
             (citizen_id, center_kind, grp) WHERE status = 'waiting'",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            WaitlistEntries::Table.into_iden(),
            CenterRelease::Table.into_iden(),
            DrawRequests::Table.into_iden(),
            DrawDates::Table.into_iden(),
            Draws::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Draws {
    Table,
    Id,
    CenterKind,
    OpensAt,
    ClosesAt,
    Status,
    Seed,
    Commitment,
    Origin,
    CreatedAt,
    RanAt,
}

#[derive(DeriveIden)]
enum DrawDates {
    Table,
    DrawId,
    CenterId,
    LocalDate,
}

#[derive(DeriveIden)]
enum DrawRequests {
    Table,
    Id,
    PublicId,
    DrawId,
    CitizenId,
    ServiceCode,
    CenterKind,
    Grp,
    Choices,
    Vehicle,
    Status,
    Position,
    BookingId,
    Note,
    CreatedAt,
    DecidedAt,
}

#[derive(DeriveIden)]
enum CenterRelease {
    Table,
    CenterId,
    Mode,
    ReleaseTime,
    WindowMinutes,
    DrawFrom,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WaitlistEntries {
    Table,
    Id,
    CitizenId,
    ServiceCode,
    CenterKind,
    Grp,
    CenterId,
    City,
    DateFrom,
    DateTo,
    TimeFrom,
    TimeTo,
    BookingId,
    Vehicle,
    Status,
    ServedBookingId,
    CreatedAt,
    EndedAt,
}
