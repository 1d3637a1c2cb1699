//! The bodies and query strings of the public JSON API (`/api/v1`, shared
//! API.md). The server deserializes the requests and serializes the
//! answers with exactly these types; with the `openapi` feature they also
//! describe themselves (utoipa) for `/api/v1/openapi.json`.
//!
//! The schemas say what the server accepts, never less: a pattern that
//! refused a spelling the server takes would be a lie (the phone has none
//! stricter than its normalizer's alphabet for that reason).
use serde::{Deserialize, Serialize};

/// Schema pieces shared by several types (server only).
#[cfg(feature = "openapi")]
pub mod schema {
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
    use utoipa::openapi::{Object, OneOfBuilder, RefOr, Schema};

    use crate::ErrorCode;

    fn string() -> ObjectBuilder {
        ObjectBuilder::new().schema_type(Type::String)
    }

    /// `Psc` | `AutoPsc`.
    pub fn center_kind() -> Object {
        string()
            .enum_values(Some(["Psc", "AutoPsc"]))
            .description(Some(
                "Center kind: `Psc` (public service center) or `AutoPsc` (vehicle center)",
            ))
            .build()
    }

    /// A booking's status (DOMAIN.md R8).
    pub fn booking_status() -> Object {
        string()
            .enum_values(Some([
                "Booked",
                "CheckedIn",
                "Called",
                "InService",
                "Served",
                "Cancelled",
                "NoShow",
            ]))
            .build()
    }

    /// A step of a booking's history: a status, or `Rescheduled` (a move
    /// that kept the status).
    pub fn history_status() -> Object {
        string()
            .enum_values(Some([
                "Booked",
                "CheckedIn",
                "Called",
                "InService",
                "Served",
                "Cancelled",
                "NoShow",
                "Rescheduled",
            ]))
            .build()
    }

    /// `Documentation` | `Other`.
    pub fn service_group() -> Object {
        string()
            .enum_values(Some(["Documentation", "Other"]))
            .build()
    }

    /// `operator` | `center_admin` | `administrator`.
    pub fn staff_role() -> Object {
        string()
            .enum_values(Some(["operator", "center_admin", "administrator"]))
            .build()
    }

    /// Every [`ErrorCode`] as a string enum.
    pub fn error_code() -> Object {
        string()
            .enum_values(Some(ErrorCode::ALL.iter().map(|c| c.as_str())))
            .description(Some("The machine-readable code"))
            .examples(["slot_full"])
            .build()
    }

    /// An RFC 3339 time with offset.
    pub fn date_time() -> Object {
        string()
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .examples(["2026-12-01T09:15:00+05:00"])
            .build()
    }

    /// An id: a string of digits (API.md) or, leniently, a JSON number.
    pub fn id_in() -> Schema {
        Schema::OneOf(
            OneOfBuilder::new()
                .item(string().examples(["1"]).build())
                .item(
                    ObjectBuilder::new()
                        .schema_type(Type::Integer)
                        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                        .build(),
                )
                .description(Some(
                    "An id, as a string (`\"1\"`) or a number; one that names nothing is 404",
                ))
                .build(),
        )
    }

    impl utoipa::PartialSchema for ErrorCode {
        fn schema() -> RefOr<Schema> {
            RefOr::T(Schema::Object(error_code()))
        }
    }

    impl utoipa::ToSchema for ErrorCode {}

    impl utoipa::PartialSchema for super::IdIn {
        fn schema() -> RefOr<Schema> {
            RefOr::T(id_in())
        }
    }

    impl utoipa::ToSchema for super::IdIn {}
}

// --- citizen sign-in ---

/// `POST /auth/otp`: send a sign-in code to the phone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OtpRequest {
    /// The citizen's IIN (12 digits with a valid checksum).
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[0-9]{12}$", example = "710313311868")
    )]
    pub iin: String,
    /// A Kazakh mobile number, canonically `+77XXXXXXXXX`; spaces, dashes,
    /// brackets and a leading `8` or `7` are accepted (`+7 701 123 45 67`,
    /// `87011234567`). Other numbers are 422 `invalid_phone`.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = r"^\s*\+?[-0-9 ()]{10,32}\s*$", example = "+77011234567")
    )]
    pub phone: String,
}

/// Answer to `POST /auth/otp` (202).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OtpSent {
    /// Names the code for `/auth/verify`.
    pub challenge_id: String,
}

/// `POST /auth/verify`: exchange the code for a session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifyRequest {
    /// From `/auth/otp`.
    pub challenge_id: String,
    /// The 6-digit code (anything else is 422 `invalid_code`).
    #[cfg_attr(feature = "openapi", schema(example = "123456"))]
    pub code: String,
}

/// Answer to `POST /auth/verify`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CitizenToken {
    /// Bearer token (`Authorization: Bearer …`); also set as the cookie.
    pub token: String,
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{12}$"))]
    pub iin: String,
}

// --- staff sign-in ---

/// `POST /staff/login`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffLoginRequest {
    pub username: String,
    #[cfg_attr(feature = "openapi", schema(format = Password))]
    pub password: String,
}

/// Answer to `POST /staff/login`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffToken {
    /// Bearer token.
    pub token: String,
    /// `operator`, `center_admin` or `administrator`.
    #[cfg_attr(feature = "openapi", schema(schema_with = schema::staff_role))]
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub center_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub window_id: Option<String>,
}

// --- dev ---

/// `GET /dev/outbox?to=…`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct OutboxQuery {
    /// The address: a phone in any spelling `/auth/otp` takes, or another
    /// address (Telegram chat id, …). Absent or blank is 422 `bad_request`.
    #[cfg_attr(
        feature = "openapi",
        param(
            required = true,
            min_length = 1,
            max_length = 128,
            example = "+77011234567"
        )
    )]
    pub to: Option<String>,
}

/// A message "sent" by the server (dev mode).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxMessage {
    pub to: String,
    #[cfg_attr(feature = "openapi", schema(example = "sms"))]
    pub channel: String,
    pub body: String,
    /// RFC 3339 in Kazakhstan time (+05:00).
    #[cfg_attr(feature = "openapi", schema(schema_with = schema::date_time))]
    pub created_at: String,
}

// --- catalog ---

/// `GET /centers?kind=…&city=…`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct CentersQuery {
    /// Only centers of this kind (absent = any).
    #[cfg_attr(feature = "openapi", param(schema_with = schema::center_kind, required = false))]
    pub kind: Option<String>,
    /// Only centers in this city (case-insensitive; absent or blank = any).
    pub city: Option<String>,
}

/// A center of the catalog, names in the caller's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = Center))]
pub struct CenterOut {
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = schema::center_kind))]
    pub kind: String,
    pub name: String,
    pub city: String,
    pub address: String,
    /// IANA time zone of the center.
    #[cfg_attr(feature = "openapi", schema(example = "Asia/Almaty"))]
    pub timezone: String,
}

/// `GET /services?center_kind=…`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ServicesQuery {
    /// Only services of this center kind (absent = any).
    #[cfg_attr(feature = "openapi", param(schema_with = schema::center_kind, required = false))]
    pub center_kind: Option<String>,
}

/// A service of the catalog, name in the caller's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = Service))]
pub struct ServiceOut {
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[A-Z0-9_]{2,32}$", example = "ID_CARD")
    )]
    pub code: String,
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = schema::center_kind))]
    pub center_kind: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = schema::service_group))]
    pub group: String,
    /// Offered online: not bookable (R7).
    pub online_available: bool,
    /// Name a vehicle; only its owner may book (R6).
    pub requires_vehicle: bool,
    /// Minutes a visit takes.
    pub duration_min: i32,
}

/// `GET /availability?center_id=…&service=…&from=…&to=…`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AvailabilityQuery {
    /// The center's id (one that names no center is 404).
    #[cfg_attr(feature = "openapi", param(example = "1"))]
    pub center_id: String,
    /// A service code of the catalog.
    #[cfg_attr(
        feature = "openapi",
        param(pattern = "^[A-Z0-9_]{2,32}$", example = "ID_CARD")
    )]
    pub service: String,
    /// First day, `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", param(format = Date, example = "2026-12-01"))]
    pub from: String,
    /// Last day, `YYYY-MM-DD` (not before `from`; within the horizon).
    #[cfg_attr(feature = "openapi", param(format = Date, example = "2026-12-03"))]
    pub to: String,
}

// --- bookings ---

/// An id given as a JSON string (API.md) or, leniently, a number.
#[derive(Deserialize, Serialize, Debug, Clone, PartialEq, Eq)]
#[serde(untagged)]
pub enum IdIn {
    Text(String),
    Num(i64),
}

impl IdIn {
    /// The id, if it is one (surrounding spaces are ignored).
    pub fn get(&self) -> Option<i64> {
        match self {
            IdIn::Text(s) => s.trim().parse().ok(),
            IdIn::Num(n) => Some(*n),
        }
    }
}

/// `POST /bookings`.
#[derive(Deserialize, Serialize, Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = BookingRequest))]
pub struct NewBooking {
    pub center_id: IdIn,
    /// A service code of the catalog.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[A-Z0-9_]{2,32}$", example = "ID_CARD")
    )]
    pub service: String,
    /// RFC 3339 with offset.
    #[cfg_attr(feature = "openapi", schema(schema_with = schema::date_time))]
    pub start: String,
    /// Plate number or VIN (services that require a vehicle, R6).
    #[serde(default)]
    pub vehicle: Option<String>,
}

/// `POST /bookings/{id}/reschedule`.
#[derive(Deserialize, Serialize, Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = RescheduleRequest))]
pub struct MoveBody {
    /// The new start, RFC 3339 with offset.
    #[cfg_attr(feature = "openapi", schema(schema_with = schema::date_time))]
    pub start: String,
    /// Another center of the same kind (absent = the same center).
    #[serde(default)]
    pub center_id: Option<IdIn>,
}

// --- staff desk ---

/// `POST /staff/checkin`.
#[derive(Deserialize, Serialize, Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = CheckinRequest))]
pub struct CheckinBody {
    /// The booking's code, as the citizen shows it.
    pub code: String,
}

/// Answer to `POST /staff/checkin`: `{"booking_id","ticket","iin_masked"}`
/// (the id as a string, like every id in API.md).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckinResult {
    pub booking_id: String,
    /// The queue ticket, e.g. `D-012`.
    pub ticket: String,
    /// The holder's IIN with all but the last four digits hidden
    /// (`••••••••1868`): compare it with the visitor's ID card.
    #[serde(default)]
    pub iin_masked: Option<String>,
}

// --- admin ---

/// Answer to `POST /admin/vehicles`.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Imported {
    /// Rows written.
    pub imported: u32,
}

/// `POST /admin/phones?replace=…`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct PhonesImportQuery {
    /// `true`: the file replaces the whole table; absent or `false`: its
    /// pairs are added.
    #[serde(default)]
    pub replace: bool,
}

/// Answer to `POST /admin/phones`.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhonesImported {
    /// Distinct `(iin, phone)` pairs in the file.
    pub imported: u32,
    /// Whether the table was replaced.
    pub replaced: bool,
}

/// `GET /account`, `POST /account/whatsapp`: where the signed-in
/// citizen's notices go.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeChannels {
    /// The phone on file, masked (`+7 701 *** ** 67`); `null` when none.
    pub notice_phone: Option<String>,
    /// Notices go to WhatsApp on that phone (SMS when WhatsApp fails)
    /// instead of SMS. Sign-in codes always come by SMS.
    pub whatsapp: bool,
    /// A Telegram chat is linked (through the bot): notices go there too.
    pub telegram: bool,
    /// This deployment can send WhatsApp (else `POST /account/whatsapp`
    /// with `enabled: true` is 404).
    pub whatsapp_offered: bool,
}

/// `POST /account/whatsapp`.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WhatsAppChoice {
    /// `true`: notices to WhatsApp; `false`: back to SMS.
    pub enabled: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn id_in_takes_strings_and_numbers() {
        let b: NewBooking =
            serde_json::from_value(json!({"center_id": " 7 ", "service": "X", "start": "s"}))
                .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(b.center_id.get(), Some(7));
        assert_eq!(b.vehicle, None);
        let m: MoveBody = serde_json::from_value(json!({"start": "s", "center_id": 3}))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(m.center_id.and_then(|c| c.get()), Some(3));
        assert_eq!(IdIn::Text("x".into()).get(), None);
    }

    #[test]
    fn staff_token_skips_absent_ids() {
        let t = StaffToken {
            token: "t".into(),
            role: "operator".into(),
            center_id: None,
            window_id: Some("2".into()),
        };
        assert_eq!(
            serde_json::to_value(&t).unwrap_or_default(),
            json!({"token": "t", "role": "operator", "window_id": "2"})
        );
    }
}
