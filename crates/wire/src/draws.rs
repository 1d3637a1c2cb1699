//! Draws (DOMAIN.md R12) and the waiting list (R13) on the wire: the JSON
//! API's bodies (API.md "Draws", "Waiting list") and the views the pages
//! show. Ids are strings; times RFC 3339 with offset; dates `YYYY-MM-DD`;
//! times of day `HH:MM`.
use serde::{Deserialize, Serialize};

use crate::api::IdIn;
#[cfg(feature = "openapi")]
use crate::api::schema;

/// A draw's public record: no personal data (requests are named by their
/// random `public_id` only). `seed` and positions appear once it has run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = Draw))]
pub struct DrawView {
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = schema::center_kind))]
    pub center_kind: String,
    pub center_ids: Vec<String>,
    /// `YYYY-MM-DD`.
    pub dates: Vec<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = schema::date_time))]
    pub opens_at: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = schema::date_time))]
    pub closes_at: String,
    /// `open` (taking requests), `running` (closed, being served), `done`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(open|running|done)$"))]
    pub status: String,
    /// SHA-256 of the seed's 32 bytes, lower-case hex.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9a-f]{64}$"))]
    pub commitment: String,
    /// 32 random bytes as 64 lower-case hex characters, once `done`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9a-f]{64}$"))]
    pub seed: Option<String>,
    /// Requests in the draw's order once it has run (before: in the order
    /// made).
    pub requests: Vec<DrawEntry>,
}

/// One request in a draw's public record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DrawEntry {
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9a-f]{32}$"))]
    pub public_id: String,
    /// 1-based place in the order, once the draw has run.
    pub position: Option<u32>,
    /// `pending`, `matched`, `unmatched`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(pending|matched|unmatched)$"))]
    pub outcome: String,
}

/// `GET /draws` query.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct DrawsQuery {
    /// Only draws covering this center.
    pub center_id: Option<String>,
    /// Only draws covering this date (`YYYY-MM-DD`).
    #[cfg_attr(feature = "openapi", param(format = Date))]
    pub date: Option<String>,
}

/// One ranked choice of a draw request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChoiceIn {
    pub center_id: IdIn,
    /// `YYYY-MM-DD`, a date of the draw.
    #[cfg_attr(feature = "openapi", schema(format = Date, example = "2026-12-12"))]
    pub date: String,
    /// Earliest acceptable start, `HH:MM` (inclusive).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "09:00"))]
    pub time_from: Option<String>,
    /// Latest acceptable start, `HH:MM` (inclusive).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "12:00"))]
    pub time_to: Option<String>,
}

/// `POST /draw-requests`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewDrawRequest {
    pub draw_id: IdIn,
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[A-Z0-9_]{2,32}$", example = "ID_CARD")
    )]
    pub service: String,
    /// 1–5 ranked choices, best first.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 5))]
    pub choices: Vec<ChoiceIn>,
    /// Plate number or VIN (services that require a vehicle, R6).
    #[serde(default)]
    pub vehicle: Option<String>,
}

/// A choice as stored and shown back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChoiceView {
    pub center_id: String,
    /// The center's name in the caller's language.
    pub center_name: String,
    pub date: String,
    pub time_from: Option<String>,
    pub time_to: Option<String>,
}

/// A citizen's draw request (their own view).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = DrawRequest))]
pub struct DrawRequestView {
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9a-f]{32}$"))]
    pub public_id: String,
    pub draw_id: String,
    /// `pending`, `matched`, `unmatched`, `withdrawn`.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^(pending|matched|unmatched|withdrawn)$")
    )]
    pub status: String,
    pub service: String,
    pub service_name: String,
    pub choices: Vec<ChoiceView>,
    /// When `matched`: the booking made.
    pub booking_id: Option<String>,
    /// Place in the draw's order, once it has run.
    pub position: Option<u32>,
    /// When `unmatched`: why (a refusal code, or `no_free_start`).
    pub note: Option<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = schema::date_time))]
    pub closes_at: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = schema::date_time))]
    pub created_at: String,
}

/// `POST /admin/draws`: an ad hoc draw over centers × dates, opening now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewDraw {
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 50))]
    pub center_ids: Vec<IdIn>,
    /// `YYYY-MM-DD`, inside the horizon.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 31))]
    pub dates: Vec<String>,
    /// Minutes the draw stays open (default 30).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1440))]
    pub window_minutes: Option<i64>,
}

/// `PUT /admin/centers/{id}/release`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReleaseBody {
    /// `first_come` or `draw`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(first_come|draw)$"))]
    pub mode: String,
    /// `HH:MM`, center-local (default 09:00).
    #[serde(default)]
    pub release_time: Option<String>,
    /// Minutes each draw stays open (default 30).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1440))]
    pub window_minutes: Option<i64>,
}

/// A center's release mode.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = Release))]
pub struct ReleaseView {
    pub center_id: String,
    pub mode: String,
    pub release_time: String,
    pub window_minutes: u32,
    /// The first date released by draws (`draw` mode).
    pub draw_from: Option<String>,
}

/// `POST /waitlist`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewWaitEntry {
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[A-Z0-9_]{2,32}$", example = "ID_CARD")
    )]
    pub service: String,
    /// One center, or …
    #[serde(default)]
    pub center_id: Option<IdIn>,
    /// … any center of the service's kind in this city.
    #[serde(default)]
    pub city: Option<String>,
    /// `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub from: String,
    /// `YYYY-MM-DD`, inside the horizon.
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub to: String,
    #[serde(default)]
    pub time_from: Option<String>,
    #[serde(default)]
    pub time_to: Option<String>,
    /// The citizen's active booking of this kind and group to move
    /// earlier (same id and code; not counted by R1).
    #[serde(default)]
    pub booking_id: Option<IdIn>,
    #[serde(default)]
    pub vehicle: Option<String>,
}

/// A waiting-list entry (the citizen's own view).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = WaitEntry))]
pub struct WaitEntryView {
    pub id: String,
    /// `waiting`, `served`, `left`, `expired`.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^(waiting|served|left|expired)$")
    )]
    pub status: String,
    pub service: String,
    pub service_name: String,
    pub center_id: Option<String>,
    pub center_name: Option<String>,
    pub city: Option<String>,
    pub from: String,
    pub to: String,
    pub time_from: Option<String>,
    pub time_to: Option<String>,
    /// The booking this entry moves, if tied.
    pub booking_id: Option<String>,
    /// When `served`: the booking made or moved.
    pub served_booking_id: Option<String>,
    /// Entries of the same service waiting longer (rough position − 1).
    pub ahead: Option<u32>,
    #[cfg_attr(feature = "openapi", schema(schema_with = schema::date_time))]
    pub created_at: String,
}
