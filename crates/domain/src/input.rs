//! [`BadInput`]: why a request was malformed (`bad_request`), as a typed
//! value instead of an English sentence.
//!
//! A `BadInput` is not a booking rule ([`crate::refusal::Refusal`] is): it
//! says that a field is missing, has the wrong form or is out of range, or
//! that the request itself (body, headers, query string) could not be read.
//! Its text, in Kazakh, Russian and English, comes from
//! `kezek_i18n::bad_input_message`; the HTTP code is always `bad_request`.
//!
//! Variable parts are typed fields. Field names (`field`, `header`) are the
//! API's own names (JSON keys, query parameters, server-function arguments,
//! header names): they are shown as they are, never translated.
//!
//! [`BadInput::from_deserialize`] turns the text of a serde error (serde's
//! fixed wording, optionally prefixed by the `serde_path_to_error` path)
//! into a variant, so no English parser text reaches a client.
use chrono::NaiveDate;

use crate::iin::IinError;

/// Why a request was malformed. One variant per distinct problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadInput {
    // ── Fields ────────────────────────────────────────────────────────
    /// A required value is missing (`center_id`, `window_id`, …).
    Required { field: &'static str },
    /// A text is empty (after trimming) or longer than `max` characters.
    FieldLength { field: &'static str, max: u32 },
    /// A text holds control characters (NUL, newline, …), which no field
    /// of Kezek takes (PostgreSQL refuses NUL outright).
    ControlCharacters { field: &'static str },
    /// A number outside `min..=max`.
    OutOfRange {
        field: &'static str,
        min: i64,
        max: i64,
    },
    /// A value that is not one of the listed codes (`kind`, `role`,
    /// `decision`, `action`, …).
    OneOf {
        field: &'static str,
        allowed: &'static [&'static str],
    },
    /// A date that is not `YYYY-MM-DD`.
    DateFormat { field: &'static str },
    /// A date and time that is not RFC 3339
    /// (`2026-12-01T09:15:00+05:00`).
    DateTimeFormat { field: &'static str },
    /// A time of day that is not `HH:MM` (`value` as given).
    TimeFormat { value: String },
    /// An interval whose end is not after its start (`HH:MM` values).
    TimeOrder { open: String, close: String },
    /// A date range whose `from` is after its `to`.
    DateRangeOrder,
    /// A date range longer than `max_days` days.
    DateRangeTooLong { max_days: u32 },
    /// A date in the past where only today or later makes sense.
    DatePassed,
    /// A date whose year is outside `min..=max`.
    YearRange { min: i32, max: i32 },
    /// A weekday that is not 0 (Monday) … 6 (Sunday).
    Weekday,

    // ── Centers, services and staff (administration) ─────────────────
    /// A center slug that is not 1…`max` of `a-z`, `0-9` and `-`.
    SlugFormat { max: u32 },
    /// Another center has this slug.
    SlugTaken { slug: String },
    /// Not an IANA time zone name (`Asia/Almaty`).
    Timezone,
    /// A username that is not `min`…`max` of `a-z`, `0-9`, `-`, `_`, `.`.
    UsernameFormat { min: u32, max: u32 },
    /// Another staff account has this username.
    UsernameTaken { username: String },
    /// A password shorter than `min` characters (or absurdly long).
    PasswordLength { min: u32 },
    /// No center with this id.
    UnknownCenter { id: i64 },
    /// The center has no window with this number.
    UnknownWindow { number: i32 },
    /// An operator account needs a window.
    OperatorNeedsWindow,
    /// An administrator cannot disable their own account.
    DisableOwnAccount,
    /// A center with active bookings cannot be closed for booking.
    CenterHasBookings { count: u64 },
    /// A shortened day needs its closing time.
    ShortenedNeedsClose,
    /// Special hours need an opening and a later closing time.
    HoursNeedOpenAndClose,
    /// The center has a window with this number already.
    WindowTaken { number: i32 },
    /// A capacity cap outside `min..=max` (empty means no cap).
    CapRange { min: u32, max: u32 },
    /// No service with this code.
    UnknownService { code: String },
    /// The service is offered at the other kind of center.
    ServiceWrongKind { code: String },
    /// The service is available online only (never at a window).
    ServiceOnlineOnly { code: String },
    /// A change would leave `count` bookings outside the schedule (on
    /// `date` when it is one day): the admin must choose to move or to
    /// cancel them.
    DecisionRequired { count: u32, date: Option<NaiveDate> },
    /// A reason for the citizens (1…`max` characters) is required.
    ReasonRequired { max: u32 },

    // ── Desk and bookings ─────────────────────────────────────────────
    /// Only a visitor still waiting (booked or checked in) can be marked.
    NotWaiting,
    /// Not a booking code.
    BookingCode,

    // ── Draws and the waiting list (R12, R13) ─────────────────────────
    /// A draw request names the same choice twice (`position`, 1-based, is
    /// the repeat).
    DuplicateChoice { position: usize },
    /// A choice names a center and date the draw does not cover.
    NotInDraw { center_id: i64, date: NaiveDate },
    /// A date after the last bookable date.
    DateBeyond { last_date: NaiveDate },
    /// A draw already covers that center and date.
    DrawExists { center_id: i64, date: NaiveDate },
    /// The centers of a draw are not all of one kind.
    MixedKinds,

    // ── The request itself ────────────────────────────────────────────
    /// A header value that is not 1…`max` ASCII characters.
    HeaderValue { header: &'static str, max: u32 },
    /// The body has the wrong `Content-Type` (`expected` is the media type).
    ContentType { expected: &'static str },
    /// The body is larger than `max_mb` MiB.
    TooLarge { max_mb: u32 },
    /// The body could not be read (broken connection, bad encoding of the
    /// transfer).
    BodyUnreadable,
    /// The text is not UTF-8.
    NotUtf8,
    /// Not syntactically valid JSON: the request body (`field` = `None`) or
    /// the JSON text of an argument.
    JsonSyntax { field: Option<&'static str> },
    /// A required field is missing (path as `a.b`).
    MissingField { field: String },
    /// A field that is not expected (path as `a.b`).
    UnknownField { field: String },
    /// A field with a wrong type or value (path as `a.b`, `list[2]`).
    InvalidField { field: String },
    /// A JSON body whose structure is not the expected one (no field can be
    /// named).
    MalformedBody,
    /// A query string that could not be read (no parameter can be named).
    MalformedQuery,
    /// A line of the vehicle registry CSV (1-based) is wrong; the file is
    /// refused as a whole.
    VehicleCsv { line: usize, problem: CsvProblem },
    /// A line of the mobile-citizens registry CSV (`iin,phone`, 1-based) is
    /// wrong; the file is refused as a whole.
    PhoneCsv {
        line: usize,
        problem: PhoneCsvProblem,
    },
}

/// What is wrong with a line of the mobile-citizens registry CSV.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhoneCsvProblem {
    /// The first line is not `iin,phone`.
    Header,
    /// Not two comma-separated fields (the count found).
    FieldCount(usize),
    /// The IIN is not valid.
    Iin(IinError),
    /// Not a Kazakh mobile number.
    Phone,
}

/// What is wrong with a line of the vehicle registry CSV.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvProblem {
    /// The first line is not `plate,vin,owner_iin`.
    Header,
    /// Not three comma-separated fields (the count found).
    FieldCount(usize),
    /// Not a Kazakhstani plate number.
    Plate,
    /// Not a VIN (17 characters without I, O, Q).
    Vin,
    /// The owner's IIN is not valid.
    Iin(IinError),
}

impl BadInput {
    /// The API field, header or parameter this is about, when one is named.
    pub fn field(&self) -> Option<&str> {
        use BadInput as B;
        match self {
            B::Required { field }
            | B::FieldLength { field, .. }
            | B::ControlCharacters { field }
            | B::OutOfRange { field, .. }
            | B::OneOf { field, .. }
            | B::DateFormat { field }
            | B::DateTimeFormat { field } => Some(field),
            B::JsonSyntax { field } => *field,
            B::HeaderValue { header, .. } => Some(header),
            B::MissingField { field } | B::UnknownField { field } | B::InvalidField { field } => {
                Some(field)
            }
            B::SlugFormat { .. } | B::SlugTaken { .. } => Some("slug"),
            B::Timezone => Some("timezone"),
            B::UsernameFormat { .. } | B::UsernameTaken { .. } => Some("username"),
            B::PasswordLength { .. } => Some("password"),
            B::UnknownCenter { .. } => Some("center_id"),
            B::UnknownWindow { .. } | B::OperatorNeedsWindow => Some("window_number"),
            B::Weekday => Some("weekday"),
            B::WindowTaken { .. } => Some("number"),
            B::CapRange { .. } => Some("cap"),
            B::DecisionRequired { .. } => Some("decision"),
            B::ReasonRequired { .. } => Some("reason"),
            B::YearRange { .. } | B::DatePassed => Some("date"),
            B::DuplicateChoice { .. } | B::NotInDraw { .. } => Some("choices"),
            B::DateBeyond { .. } => Some("to"),
            B::DrawExists { .. } => Some("dates"),
            B::MixedKinds => Some("center_ids"),
            B::TimeFormat { .. }
            | B::TimeOrder { .. }
            | B::DateRangeOrder
            | B::DateRangeTooLong { .. }
            | B::DisableOwnAccount
            | B::CenterHasBookings { .. }
            | B::ShortenedNeedsClose
            | B::HoursNeedOpenAndClose
            | B::UnknownService { .. }
            | B::ServiceWrongKind { .. }
            | B::ServiceOnlineOnly { .. }
            | B::NotWaiting
            | B::BookingCode
            | B::ContentType { .. }
            | B::TooLarge { .. }
            | B::BodyUnreadable
            | B::NotUtf8
            | B::MalformedBody
            | B::MalformedQuery
            | B::VehicleCsv { .. }
            | B::PhoneCsv { .. } => None,
        }
    }

    /// Reads the text of a deserialization error of data (not of syntax):
    /// serde's fixed wording (`missing field `x``, `unknown field `x`, …`,
    /// `invalid type: …`), optionally after a `serde_path_to_error` path
    /// (`center_id: invalid type: …`) and before serde_json's
    /// ` at line L column C`. `context` names the whole value (a
    /// server-function argument such as `change`) and prefixes the path;
    /// `query` says the value is a query string rather than a JSON body.
    ///
    /// Only serde's fixed prefixes are read; the English rest is dropped.
    pub fn from_deserialize(context: Option<&'static str>, text: &str, query: bool) -> BadInput {
        let text = text.trim();
        let (path, msg) = match text.split_once(": ") {
            Some((p, m)) if is_path(p) => (Some(p), m),
            _ => (None, text),
        };
        let join = |leaf: Option<&str>| -> Option<String> {
            let parts: Vec<&str> = [context, path, leaf].into_iter().flatten().collect();
            (!parts.is_empty()).then(|| parts.join("."))
        };
        if let Some(name) = quoted_after(msg, "missing field `")
            && let Some(field) = join(Some(name))
        {
            return BadInput::MissingField { field };
        }
        if let Some(name) = quoted_after(msg, "unknown field `")
            && let Some(field) = join(Some(name))
        {
            return BadInput::UnknownField { field };
        }
        match join(None) {
            Some(field) => BadInput::InvalidField { field },
            None if query => BadInput::MalformedQuery,
            None => BadInput::MalformedBody,
        }
    }
}

/// A `serde_path_to_error` path: keys joined by `.`, `[n]` for sequence
/// items, no spaces (`.` alone is the root, `?` an unknown segment).
fn is_path(p: &str) -> bool {
    !p.is_empty()
        && p != "."
        && !p.contains('?')
        && p.chars()
            .all(|c| c.is_alphanumeric() || "_-.[]".contains(c))
}

/// The text between `prefix` and the next backtick, when `msg` starts
/// with `prefix`.
fn quoted_after<'a>(msg: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = msg.strip_prefix(prefix)?;
    let (name, _) = rest.split_once('`')?;
    (!name.is_empty()).then_some(name)
}

/// True when `s` holds a control character (see
/// [`BadInput::ControlCharacters`]).
pub fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deserialize_texts() {
        assert_eq!(
            BadInput::from_deserialize(None, "missing field `start` at line 1 column 20", false),
            BadInput::MissingField {
                field: "start".into()
            }
        );
        assert_eq!(
            BadInput::from_deserialize(
                None,
                "center_id: invalid type: integer `5`, expected a string at line 1 column 15",
                false
            ),
            BadInput::InvalidField {
                field: "center_id".into()
            }
        );
        assert_eq!(
            BadInput::from_deserialize(
                Some("change"),
                "missing field `weekday` at line 1 column 2",
                false
            ),
            BadInput::MissingField {
                field: "change.weekday".into()
            }
        );
        assert_eq!(
            BadInput::from_deserialize(None, "hours[2]: missing field `open`", false),
            BadInput::MissingField {
                field: "hours[2].open".into()
            }
        );
        assert_eq!(
            BadInput::from_deserialize(None, "unknown field `x`, expected `a`", false),
            BadInput::UnknownField { field: "x".into() }
        );
        assert_eq!(
            BadInput::from_deserialize(None, "invalid type: integer `1`, expected a map", false),
            BadInput::MalformedBody
        );
        assert_eq!(
            BadInput::from_deserialize(None, "invalid digit found in string", true),
            BadInput::MalformedQuery
        );
        assert_eq!(
            BadInput::from_deserialize(Some("policy"), "invalid type: null", false),
            BadInput::InvalidField {
                field: "policy".into()
            }
        );
    }

    #[test]
    fn fields() {
        assert_eq!(
            BadInput::FieldLength {
                field: "name_kk",
                max: 200
            }
            .field(),
            Some("name_kk")
        );
        assert_eq!(BadInput::DateRangeOrder.field(), None);
        assert_eq!(
            BadInput::MissingField {
                field: "start".into()
            }
            .field(),
            Some("start")
        );
    }
}
