//! The initial schema: catalog, calendar, policy, citizens and sign-in,
//! bookings with the window-slots they hold, history, staff, vehicle
//! registry, notification outbox and idempotency keys.
//!
//! "Never overbooked" is the database's fact: `booking_slots` has a primary
//! key on `(window_id, slot_start)`, and a row exists only while the booking
//! holding it is active (cancel and reschedule delete or move the rows in the
//! same transaction).
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn id(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}
fn text(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).string().not_null().to_owned()
}
fn text_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).string().null().to_owned()
}
fn int(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).integer().not_null().to_owned()
}
fn int_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).integer().null().to_owned()
}
fn big(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).big_integer().not_null().to_owned()
}
fn big_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).big_integer().null().to_owned()
}
fn flag(col: impl IntoIden, default: bool) -> ColumnDef {
    ColumnDef::new(col)
        .boolean()
        .not_null()
        .default(default)
        .to_owned()
}
fn fk(
    from_tbl: impl IntoIden,
    from_col: impl IntoIden,
    to_tbl: impl IntoIden,
    to_col: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from_tbl, from_col)
        .to(to_tbl, to_col)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Centers::Table)
                .col(id(Centers::Id))
                .col(text(Centers::Slug).unique_key())
                .col(text(Centers::Kind))
                .col(text(Centers::NameKk))
                .col(text(Centers::NameRu))
                .col(text(Centers::NameEn))
                .col(text(Centers::Region))
                .col(text(Centers::City))
                .col(text(Centers::AddressKk))
                .col(text(Centers::AddressRu))
                .col(text(Centers::AddressEn))
                .col(text(Centers::Timezone))
                .col(int(Centers::SlotMinutes))
                .col(int_null(Centers::CapacityCap))
                .col(flag(Centers::Active, true))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_centers_kind_city")
                .table(Centers::Table)
                .col(Centers::Kind)
                .col(Centers::City)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Services::Table)
                .col(text(Services::Code).primary_key())
                .col(text(Services::CenterKind))
                .col(text(Services::Grp))
                .col(flag(Services::OnlineAvailable, false))
                .col(flag(Services::RequiresVehicle, false))
                .col(int(Services::DurationMin))
                .col(text(Services::NameKk))
                .col(text(Services::NameRu))
                .col(text(Services::NameEn))
                .col(flag(Services::Active, true))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Windows::Table)
                .col(id(Windows::Id))
                .col(big(Windows::CenterId))
                .col(int(Windows::Number))
                .col(flag(Windows::Active, true))
                .foreign_key(&mut fk(
                    Windows::Table,
                    Windows::CenterId,
                    Centers::Table,
                    Centers::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_windows_center_number")
                .table(Windows::Table)
                .col(Windows::CenterId)
                .col(Windows::Number)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(WindowServices::Table)
                .col(big(WindowServices::WindowId))
                .col(text(WindowServices::ServiceCode))
                .primary_key(
                    Index::create()
                        .col(WindowServices::WindowId)
                        .col(WindowServices::ServiceCode),
                )
                .foreign_key(&mut fk(
                    WindowServices::Table,
                    WindowServices::WindowId,
                    Windows::Table,
                    Windows::Id,
                ))
                .foreign_key(&mut fk(
                    WindowServices::Table,
                    WindowServices::ServiceCode,
                    Services::Table,
                    Services::Code,
                ))
                .to_owned(),
        )
        .await?;

        // Weekly hours of a center (window_id NULL) or of one window.
        m.create_table(
            Table::create()
                .table(OpeningHours::Table)
                .col(id(OpeningHours::Id))
                .col(big(OpeningHours::CenterId))
                .col(big_null(OpeningHours::WindowId))
                .col(int(OpeningHours::Weekday))
                .col(int(OpeningHours::OpenMin))
                .col(int(OpeningHours::CloseMin))
                .foreign_key(&mut fk(
                    OpeningHours::Table,
                    OpeningHours::CenterId,
                    Centers::Table,
                    Centers::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_hours_center")
                .table(OpeningHours::Table)
                .col(OpeningHours::CenterId)
                .to_owned(),
        )
        .await?;

        // Daily breaks; weekday NULL means every working day.
        m.create_table(
            Table::create()
                .table(Breaks::Table)
                .col(id(Breaks::Id))
                .col(big(Breaks::CenterId))
                .col(int_null(Breaks::Weekday))
                .col(int(Breaks::StartMin))
                .col(int(Breaks::EndMin))
                .foreign_key(&mut fk(
                    Breaks::Table,
                    Breaks::CenterId,
                    Centers::Table,
                    Centers::Id,
                ))
                .to_owned(),
        )
        .await?;

        // Dated exceptions: kind = closed | hours (custom or shortened hours,
        // also used to open on a day the national calendar closes).
        m.create_table(
            Table::create()
                .table(CenterExceptions::Table)
                .col(id(CenterExceptions::Id))
                .col(big(CenterExceptions::CenterId))
                .col(text(CenterExceptions::Date))
                .col(text(CenterExceptions::Kind))
                .col(int_null(CenterExceptions::OpenMin))
                .col(int_null(CenterExceptions::CloseMin))
                .col(text_null(CenterExceptions::Note))
                .foreign_key(&mut fk(
                    CenterExceptions::Table,
                    CenterExceptions::CenterId,
                    Centers::Table,
                    Centers::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_exceptions_center_date")
                .table(CenterExceptions::Table)
                .col(CenterExceptions::CenterId)
                .col(CenterExceptions::Date)
                .unique()
                .to_owned(),
        )
        .await?;

        // The national calendar: kind = day_off | working_day.
        m.create_table(
            Table::create()
                .table(NationalDays::Table)
                .col(text(NationalDays::Date).primary_key())
                .col(text(NationalDays::Kind))
                .col(text(NationalDays::Name))
                .to_owned(),
        )
        .await?;

        // Policy values as one JSON document (row id 1).
        m.create_table(
            Table::create()
                .table(Policy::Table)
                .col(
                    ColumnDef::new(Policy::Id)
                        .integer()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(Policy::Value).text().not_null())
                .col(big(Policy::UpdatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Citizens::Table)
                .col(id(Citizens::Id))
                .col(text(Citizens::Iin).unique_key())
                .col(text_null(Citizens::Phone))
                .col(text(Citizens::Lang))
                .col(big_null(Citizens::TelegramChatId))
                .col(big(Citizens::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(OtpChallenges::Table)
                .col(text(OtpChallenges::Id).primary_key())
                .col(text(OtpChallenges::Iin))
                .col(text(OtpChallenges::Phone))
                .col(text(OtpChallenges::CodeHash))
                .col(big(OtpChallenges::CreatedAt))
                .col(big(OtpChallenges::ExpiresAt))
                .col(int(OtpChallenges::Attempts))
                .col(flag(OtpChallenges::Consumed, false))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_otp_iin_created")
                .table(OtpChallenges::Table)
                .col(OtpChallenges::Iin)
                .col(OtpChallenges::CreatedAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_otp_phone_created")
                .table(OtpChallenges::Table)
                .col(OtpChallenges::Phone)
                .col(OtpChallenges::CreatedAt)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Staff::Table)
                .col(id(Staff::Id))
                .col(text(Staff::Username).unique_key())
                .col(text(Staff::PasswordHash))
                .col(text(Staff::Role))
                .col(big_null(Staff::CenterId))
                .col(big_null(Staff::WindowId))
                .col(text(Staff::DisplayName))
                .col(flag(Staff::Active, true))
                .col(big(Staff::CreatedAt))
                .to_owned(),
        )
        .await?;

        // Opaque session tokens, stored as SHA-256 hashes.
        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(text(Sessions::TokenHash).primary_key())
                .col(text(Sessions::Kind))
                .col(big_null(Sessions::CitizenId))
                .col(big_null(Sessions::StaffId))
                .col(big(Sessions::CreatedAt))
                .col(big(Sessions::ExpiresAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Bookings::Table)
                .col(id(Bookings::Id))
                .col(text(Bookings::Code).unique_key())
                .col(big(Bookings::CitizenId))
                .col(big(Bookings::CenterId))
                .col(text(Bookings::CenterKind))
                .col(text(Bookings::ServiceCode))
                .col(text(Bookings::Grp))
                .col(big(Bookings::WindowId))
                .col(big(Bookings::StartAt))
                .col(big(Bookings::EndAt))
                .col(text(Bookings::LocalDate))
                .col(text(Bookings::Status))
                .col(int(Bookings::RescheduleCount))
                .col(text_null(Bookings::CancelledBy))
                .col(text_null(Bookings::CancelReason))
                .col(text_null(Bookings::VehiclePlate))
                .col(text_null(Bookings::VehicleVin))
                .col(text_null(Bookings::Ticket))
                .col(int_null(Bookings::CalledWindow))
                .col(flag(Bookings::Priority, false))
                .col(flag(Bookings::WalkIn, false))
                .col(big(Bookings::CreatedAt))
                .col(big(Bookings::UpdatedAt))
                .col(big_null(Bookings::CheckedInAt))
                .col(big_null(Bookings::CalledAt))
                .col(big_null(Bookings::StartedAt))
                .col(big_null(Bookings::FinishedAt))
                .foreign_key(&mut fk(
                    Bookings::Table,
                    Bookings::CitizenId,
                    Citizens::Table,
                    Citizens::Id,
                ))
                .foreign_key(&mut fk(
                    Bookings::Table,
                    Bookings::CenterId,
                    Centers::Table,
                    Centers::Id,
                ))
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            (
                "idx_bookings_citizen",
                vec![Bookings::CitizenId, Bookings::CreatedAt],
            ),
            (
                "idx_bookings_center_start",
                vec![Bookings::CenterId, Bookings::StartAt],
            ),
            (
                "idx_bookings_status_start",
                vec![Bookings::Status, Bookings::StartAt],
            ),
            ("idx_bookings_vin", vec![Bookings::VehicleVin]),
        ] {
            let mut idx = Index::create().name(name).table(Bookings::Table).to_owned();
            for c in cols {
                idx.col(c);
            }
            m.create_index(idx).await?;
        }

        // The window-slots held by active bookings. The primary key is the
        // "never overbooked" guarantee.
        m.create_table(
            Table::create()
                .table(BookingSlots::Table)
                .col(big(BookingSlots::WindowId))
                .col(big(BookingSlots::SlotStart))
                .col(big(BookingSlots::BookingId))
                .col(big(BookingSlots::CenterId))
                .primary_key(
                    Index::create()
                        .col(BookingSlots::WindowId)
                        .col(BookingSlots::SlotStart),
                )
                .foreign_key(&mut fk(
                    BookingSlots::Table,
                    BookingSlots::BookingId,
                    Bookings::Table,
                    Bookings::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_slots_center_start")
                .table(BookingSlots::Table)
                .col(BookingSlots::CenterId)
                .col(BookingSlots::SlotStart)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_slots_booking")
                .table(BookingSlots::Table)
                .col(BookingSlots::BookingId)
                .to_owned(),
        )
        .await?;

        // Append-only: rows are inserted, never updated or deleted.
        m.create_table(
            Table::create()
                .table(BookingHistory::Table)
                .col(id(BookingHistory::Id))
                .col(big(BookingHistory::BookingId))
                .col(text(BookingHistory::Status))
                .col(big(BookingHistory::At))
                .col(text(BookingHistory::Actor))
                .col(text_null(BookingHistory::Note))
                .foreign_key(&mut fk(
                    BookingHistory::Table,
                    BookingHistory::BookingId,
                    Bookings::Table,
                    Bookings::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_history_booking")
                .table(BookingHistory::Table)
                .col(BookingHistory::BookingId)
                .col(BookingHistory::Id)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Vehicles::Table)
                .col(text(Vehicles::Vin).primary_key())
                .col(text(Vehicles::Plate))
                .col(text(Vehicles::OwnerIin))
                .col(big(Vehicles::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_vehicles_plate")
                .table(Vehicles::Table)
                .col(Vehicles::Plate)
                .to_owned(),
        )
        .await?;

        // Transactional outbox: written in the same transaction as the change.
        m.create_table(
            Table::create()
                .table(Outbox::Table)
                .col(id(Outbox::Id))
                .col(text(Outbox::Channel))
                .col(text(Outbox::Recipient))
                .col(text(Outbox::Kind))
                .col(ColumnDef::new(Outbox::Body).text().not_null())
                .col(big_null(Outbox::BookingId))
                .col(text(Outbox::Status))
                .col(int(Outbox::Attempts))
                .col(big(Outbox::NextAttemptAt))
                .col(text_null(Outbox::LastError))
                .col(big(Outbox::CreatedAt))
                .col(big_null(Outbox::SentAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_outbox_due")
                .table(Outbox::Table)
                .col(Outbox::Status)
                .col(Outbox::NextAttemptAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_outbox_recipient")
                .table(Outbox::Table)
                .col(Outbox::Recipient)
                .col(Outbox::Id)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(IdempotencyKeys::Table)
                .col(big(IdempotencyKeys::CitizenId))
                .col(text(IdempotencyKeys::Key))
                .col(text(IdempotencyKeys::RequestHash))
                .col(int(IdempotencyKeys::Status))
                .col(ColumnDef::new(IdempotencyKeys::Body).text().not_null())
                .col(big(IdempotencyKeys::CreatedAt))
                .primary_key(
                    Index::create()
                        .col(IdempotencyKeys::CitizenId)
                        .col(IdempotencyKeys::Key),
                )
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            IdempotencyKeys::Table.into_iden(),
            Outbox::Table.into_iden(),
            Vehicles::Table.into_iden(),
            BookingHistory::Table.into_iden(),
            BookingSlots::Table.into_iden(),
            Bookings::Table.into_iden(),
            Sessions::Table.into_iden(),
            Staff::Table.into_iden(),
            OtpChallenges::Table.into_iden(),
            Citizens::Table.into_iden(),
            Policy::Table.into_iden(),
            NationalDays::Table.into_iden(),
            CenterExceptions::Table.into_iden(),
            Breaks::Table.into_iden(),
            OpeningHours::Table.into_iden(),
            WindowServices::Table.into_iden(),
            Windows::Table.into_iden(),
            Services::Table.into_iden(),
            Centers::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Centers {
    Table,
    Id,
    Slug,
    Kind,
    NameKk,
    NameRu,
    NameEn,
    Region,
    City,
    AddressKk,
    AddressRu,
    AddressEn,
    Timezone,
    SlotMinutes,
    CapacityCap,
    Active,
}
#[derive(DeriveIden)]
enum Services {
    Table,
    Code,
    CenterKind,
    Grp,
    OnlineAvailable,
    RequiresVehicle,
    DurationMin,
    NameKk,
    NameRu,
    NameEn,
    Active,
}
#[derive(DeriveIden)]
enum Windows {
    Table,
    Id,
    CenterId,
    Number,
    Active,
}
#[derive(DeriveIden)]
enum WindowServices {
    Table,
    WindowId,
    ServiceCode,
}
#[derive(DeriveIden)]
enum OpeningHours {
    Table,
    Id,
    CenterId,
    WindowId,
    Weekday,
    OpenMin,
    CloseMin,
}
#[derive(DeriveIden)]
enum Breaks {
    Table,
    Id,
    CenterId,
    Weekday,
    StartMin,
    EndMin,
}
#[derive(DeriveIden)]
enum CenterExceptions {
    Table,
    Id,
    CenterId,
    Date,
    Kind,
    OpenMin,
    CloseMin,
    Note,
}
#[derive(DeriveIden)]
enum NationalDays {
    Table,
    Date,
    Kind,
    Name,
}
#[derive(DeriveIden)]
enum Policy {
    Table,
    Id,
    Value,
    UpdatedAt,
}
#[derive(DeriveIden)]
enum Citizens {
    Table,
    Id,
    Iin,
    Phone,
    Lang,
    TelegramChatId,
    CreatedAt,
}
#[derive(DeriveIden)]
enum OtpChallenges {
    Table,
    Id,
    Iin,
    Phone,
    CodeHash,
    CreatedAt,
    ExpiresAt,
    Attempts,
    Consumed,
}
#[derive(DeriveIden)]
enum Staff {
    Table,
    Id,
    Username,
    PasswordHash,
    Role,
    CenterId,
    WindowId,
    DisplayName,
    Active,
    CreatedAt,
}
#[derive(DeriveIden)]
enum Sessions {
    Table,
    TokenHash,
    Kind,
    CitizenId,
    StaffId,
    CreatedAt,
    ExpiresAt,
}
#[derive(DeriveIden, Clone, Copy)]
enum Bookings {
    Table,
    Id,
    Code,
    CitizenId,
    CenterId,
    CenterKind,
    ServiceCode,
    Grp,
    WindowId,
    StartAt,
    EndAt,
    LocalDate,
    Status,
    RescheduleCount,
    CancelledBy,
    CancelReason,
    VehiclePlate,
    VehicleVin,
    Ticket,
    CalledWindow,
    Priority,
    WalkIn,
    CreatedAt,
    UpdatedAt,
    CheckedInAt,
    CalledAt,
    StartedAt,
    FinishedAt,
}
#[derive(DeriveIden)]
enum BookingSlots {
    Table,
    WindowId,
    SlotStart,
    BookingId,
    CenterId,
}
#[derive(DeriveIden)]
enum BookingHistory {
    Table,
    Id,
    BookingId,
    Status,
    At,
    Actor,
    Note,
}
#[derive(DeriveIden)]
enum Vehicles {
    Table,
    Vin,
    Plate,
    OwnerIin,
    UpdatedAt,
}
#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    Channel,
    Recipient,
    Kind,
    Body,
    BookingId,
    Status,
    Attempts,
    NextAttemptAt,
    LastError,
    CreatedAt,
    SentAt,
}
#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    CitizenId,
    Key,
    RequestHash,
    Status,
    Body,
    CreatedAt,
}
