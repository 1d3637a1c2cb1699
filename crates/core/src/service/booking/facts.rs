//! Rows → domain facts, and the citizen's bookings the rules look at.
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

use crate::entity::{bookings, services};
use crate::error::ServiceError;
use kezek_domain::catalog::{CenterKind, ServiceGroup, ServiceInfo};
use kezek_domain::ids::{BookingCode, BookingId, ServiceCode};
use kezek_domain::input::BadInput;
use kezek_domain::lifecycle::{BookingStatus, CancelledBy};
use kezek_domain::policy::Policy;
use kezek_domain::rules::BookingFacts;
use kezek_domain::vehicle::{Plate, VehicleKey, Vin};

pub fn ts(unix: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(unix, 0).single().unwrap_or_default()
}

/// RFC 3339 in the center's offset (UTC+5 for all of Kazakhstan).
pub fn rfc3339_in(tz: chrono_tz::Tz, unix: i64) -> String {
    ts(unix).with_timezone(&tz).to_rfc3339()
}

pub fn parse_status(s: &str) -> Result<BookingStatus, ServiceError> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|_| ServiceError::Internal(format!("bad status {s}")))
}

pub fn parse_cancelled_by(s: &str) -> Option<CancelledBy> {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
}

pub fn cancelled_by_str(by: CancelledBy) -> &'static str {
    match by {
        CancelledBy::Citizen => "Citizen",
        CancelledBy::Center => "Center",
        CancelledBy::System => "System",
    }
}

pub fn service_info(row: &services::Model) -> Result<ServiceInfo, ServiceError> {
    let bad = |what: &str| ServiceError::Internal(format!("service {}: bad {what}", row.code));
    Ok(ServiceInfo {
        code: ServiceCode::parse(&row.code).map_err(|_| bad("code"))?,
        kind: row.center_kind.parse().map_err(|_| bad("kind"))?,
        group: row.grp.parse().map_err(|_| bad("group"))?,
        online_available: row.online_available,
        requires_vehicle: row.requires_vehicle,
        duration_min: u32::try_from(row.duration_min).unwrap_or(15),
    })
}

pub fn vehicle_key(plate: Option<&str>, vin: Option<&str>) -> Option<VehicleKey> {
    let key = VehicleKey {
        plate: plate.and_then(|p| Plate::parse(p).ok()),
        vin: vin.and_then(|v| Vin::parse(v).ok()),
    };
    (key.plate.is_some() || key.vin.is_some()).then_some(key)
}

pub fn booking_facts(b: &bookings::Model, tz: chrono_tz::Tz) -> Result<BookingFacts, ServiceError> {
    let bad = |what: &str| ServiceError::Internal(format!("booking {}: bad {what}", b.id));
    let kind: CenterKind = b.center_kind.parse().map_err(|_| bad("kind"))?;
    let group: ServiceGroup = b.grp.parse().map_err(|_| bad("group"))?;
    let start_utc = ts(b.start_at);
    Ok(BookingFacts {
        id: BookingId::new(b.id),
        code: BookingCode::parse(&b.code).map_err(|_| bad("code"))?,
        center_kind: kind,
        group,
        service: ServiceCode::parse(&b.service_code).map_err(|_| bad("service"))?,
        status: parse_status(&b.status)?,
        start_local: start_utc.with_timezone(&tz).naive_local(),
        start_utc,
        created_at: ts(b.created_at),
        cancelled_by: b.cancelled_by.as_deref().and_then(parse_cancelled_by),
        reschedule_count: u32::try_from(b.reschedule_count).unwrap_or(0),
        vehicle: vehicle_key(b.vehicle_plate.as_deref(), b.vehicle_vin.as_deref()),
    })
}

/// The citizen's bookings that any rule can care about: active ones, those
/// created within the ten-day window, and those on `dates`.
pub async fn citizen_facts(
    db: &impl ConnectionTrait,
    citizen_id: i64,
    policy: &Policy,
    now: DateTime<Utc>,
    dates: &[NaiveDate],
    tz: chrono_tz::Tz,
) -> Result<Vec<BookingFacts>, ServiceError> {
    let window_start = now.timestamp() - i64::from(policy.ten_day_window_days) * 86_400 - 86_400;
    let mut any = Condition::any()
        .add(bookings::Column::Status.eq(BookingStatus::Booked.as_str()))
        .add(bookings::Column::CreatedAt.gte(window_start));
    for d in dates {
        any = any.add(bookings::Column::LocalDate.eq(d.format("%Y-%m-%d").to_string()));
    }
    bookings::Entity::find()
        .filter(bookings::Column::CitizenId.eq(citizen_id))
        .filter(any)
        .all(db)
        .await?
        .iter()
        .map(|b| booking_facts(b, tz))
        .collect()
}

/// Parses an RFC 3339 start time.
///
/// A `+` of the offset that arrived as a space (an unencoded `+` in a query
/// string) is taken back as `+`.
pub fn parse_start(s: &str) -> Result<DateTime<FixedOffset>, ServiceError> {
    let s = s.trim();
    let fixed;
    let s = if s.len() > 6 && s.is_char_boundary(s.len() - 6) && s[s.len() - 6..].starts_with(' ') {
        fixed = format!("{}+{}", &s[..s.len() - 6], &s[s.len() - 5..]);
        fixed.as_str()
    } else {
        s
    };
    DateTime::parse_from_rfc3339(s)
        .map_err(|_| ServiceError::BadRequest(BadInput::DateTimeFormat { field: "start" }))
}
