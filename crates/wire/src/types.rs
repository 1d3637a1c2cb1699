//! Views shared by server functions, the JSON API and the browser.
//! Ids are strings and integers fixed-width (wasm32 is 32-bit).
use serde::{Deserialize, Serialize};

/// A booking as the citizen (or staff) sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = Booking))]
pub struct BookingView {
    pub id: String,
    pub code: String,
    pub center_id: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::api::schema::center_kind))]
    pub center_kind: String,
    pub center_name: String,
    pub center_address: String,
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[A-Z0-9_]{2,32}$", example = "ID_CARD")
    )]
    pub service: String,
    pub service_name: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::api::schema::service_group))]
    pub group: String,
    /// RFC 3339 with the center's offset, e.g. `2026-12-01T09:15:00+05:00`.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::api::schema::date_time))]
    pub start: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::api::schema::date_time))]
    pub end: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::api::schema::booking_status))]
    pub status: String,
    /// The window number assigned at booking.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub window: Option<i32>,
    pub reschedule_count: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub vehicle: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub ticket: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub called_window: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub cancel_reason: Option<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::api::schema::date_time))]
    pub created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub history: Option<Vec<HistoryItem>>,
    /// Why the citizen can no longer reschedule, if so (their language).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub reschedule_blocked: Option<String>,
    /// Why the citizen can no longer cancel, if so (their language).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub cancel_blocked: Option<String>,
}

/// Free starts ahead for a service at a center, with the bookable range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Upcoming {
    /// The center's local date today, `YYYY-MM-DD`.
    pub today: String,
    /// The last bookable date.
    pub last: String,
    pub slots: Vec<FreeSlot>,
    /// Days under an open draw (R12): requested, not booked.
    #[serde(default)]
    pub draws: Vec<DrawDay>,
}

/// A day of a center under an open draw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawDay {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub draw_id: String,
    /// RFC 3339.
    pub closes_at: String,
}

/// One step of a booking's history (R8).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryItem {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::api::schema::history_status))]
    pub status: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::api::schema::date_time))]
    pub at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub note: Option<String>,
}

/// A free start for a service at a center.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FreeSlot {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::api::schema::date_time))]
    pub start: String,
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub free: u32,
}

/// A center in the catalog, names in the caller's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CenterView {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub city: String,
    pub address: String,
}

/// A service in the catalog, name in the caller's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceView {
    pub code: String,
    pub name: String,
    pub center_kind: String,
    pub group: String,
    pub online_available: bool,
    pub requires_vehicle: bool,
    pub duration_min: u32,
}
