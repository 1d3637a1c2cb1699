//! The error contract of every door (JSON API, server functions, bot):
//! [`ErrorBody`] `{"error": "<code>", "message": "<text>"}` with an
//! exhaustive [`ErrorCode`] and its one HTTP status table, [`ErrorCode::status`].
//!
//! The codes are DOMAIN.md's rule codes (one per [`Refusal`]) plus the
//! request-level ones below. A new code is a new variant: the compiler then
//! asks for its status here and its message in `kezek-i18n`.
use std::fmt;
use std::str::FromStr;

use kezek_domain::refusal::Refusal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! error_codes {
    ($( $(#[$doc:meta])* $variant:ident => $code:literal, )*) => {
        /// A stable, machine-readable error code (serialized as its
        /// snake_case string).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $( $(#[$doc])* $variant, )*
        }

        impl ErrorCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The wire string, e.g. `"slot_full"`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( ErrorCode::$variant => $code, )*
                }
            }
        }

        impl FromStr for ErrorCode {
            type Err = UnknownErrorCode;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $( $code => Ok(ErrorCode::$variant), )*
                    _ => Err(UnknownErrorCode),
                }
            }
        }
    };
}

error_codes! {
    // --- DOMAIN.md rule refusals (one per `Refusal` variant) ---
    /// Capacity / R9: no window free at that start.
    SlotFull => "slot_full",
    /// R3.
    OneActiveBooking => "one_active_booking",
    /// R4.
    TenDayRule => "ten_day_rule",
    /// R5.
    TwoPerDay => "two_per_day",
    /// R5 (same service group twice on one day).
    SameGroupSameDay => "same_group_same_day",
    /// R6: only the seller books a re-registration.
    NotVehicleOwner => "not_vehicle_owner",
    /// R6.
    VehicleAlreadyBooked => "vehicle_already_booked",
    /// R6.
    VehicleNotFound => "vehicle_not_found",
    /// R6.
    VehicleRequired => "vehicle_required",
    /// R6: the plate or VIN does not parse.
    InvalidVehicle => "invalid_vehicle",
    /// R7.
    ServiceOnline => "service_online",
    /// R1/R2/R10.
    TooLate => "too_late",
    /// R10.
    TooEarly => "too_early",
    /// R10.
    OutsideHorizon => "outside_horizon",
    /// R1.
    RescheduleLimit => "reschedule_limit",
    /// The IIN fails its checksum or date.
    InvalidIin => "invalid_iin",
    /// The start is outside the center's hours.
    OutsideHours => "outside_hours",
    /// The center is closed that day.
    CenterClosed => "center_closed",
    /// The service belongs to the other center kind.
    WrongCenterKind => "wrong_center_kind",
    /// The center does not offer the service.
    ServiceNotOffered => "service_not_offered",
    /// A reschedule may not change the service.
    DifferentService => "different_service",
    /// R8: the status does not allow that step.
    IllegalTransition => "illegal_transition",
    /// R12: the date opens by a draw that has not run yet.
    DrawPending => "draw_pending",
    /// R12: the draw is closed.
    DrawClosed => "draw_closed",
    /// R12: one open request per center kind and service group.
    AlreadyRequested => "already_requested",
    /// R13: a matching start is free now.
    SlotsAvailable => "slots_available",
    /// R13: one waiting entry per center kind and service group.
    AlreadyWaiting => "already_waiting",
    // --- sign-in ---
    /// The phone is not a Kazakh mobile number.
    InvalidPhone => "invalid_phone",
    /// R11: the mobile-citizens registry does not list this phone for the
    /// IIN (one answer whether the IIN is unknown or the phone differs).
    PhoneNotRegistered => "phone_not_registered",
    /// The one-time code is wrong.
    InvalidCode => "invalid_code",
    /// The one-time code expired or its tries are used up.
    CodeExpired => "code_expired",
    // --- requests ---
    /// An `Idempotency-Key` was reused with a different request.
    IdempotencyKeyReused => "idempotency_key_reused",
    /// Well-formed input that is still wrong (a field out of range, an
    /// unknown service, …); the message says what.
    BadRequest => "bad_request",
    /// The body or arguments are not valid JSON / form data.
    MalformedRequest => "malformed_request",
    /// The body's `Content-Type` is not the one the endpoint takes.
    UnsupportedMediaType => "unsupported_media_type",
    /// The body is larger than the endpoint takes.
    PayloadTooLarge => "payload_too_large",
    /// The path exists, the method does not.
    MethodNotAllowed => "method_not_allowed",
    /// No valid session or token.
    Unauthorized => "unauthorized",
    /// Signed in, but not allowed to do this.
    Forbidden => "forbidden",
    /// Nothing by that id (or not yours).
    NotFound => "not_found",
    /// Too many requests; `Retry-After` says when to try again.
    RateLimited => "rate_limited",
    /// A fault on our side; the detail is logged, never sent.
    Internal => "internal",
    /// The database is unreachable or read-only for a moment (failover);
    /// retry after `Retry-After`.
    Unavailable => "unavailable",
}

impl ErrorCode {
    /// The HTTP status of this code: the one table all doors use
    /// (API.md: 409 `slot_full`, 422 rule refusals and invalid input).
    pub const fn status(self) -> u16 {
        use ErrorCode as C;
        match self {
            C::SlotFull => 409,
            C::OneActiveBooking
            | C::TenDayRule
            | C::TwoPerDay
            | C::SameGroupSameDay
            | C::NotVehicleOwner
            | C::VehicleAlreadyBooked
            | C::VehicleNotFound
            | C::VehicleRequired
            | C::InvalidVehicle
            | C::ServiceOnline
            | C::TooLate
            | C::TooEarly
            | C::OutsideHorizon
            | C::RescheduleLimit
            | C::InvalidIin
            | C::OutsideHours
            | C::CenterClosed
            | C::WrongCenterKind
            | C::ServiceNotOffered
            | C::DifferentService
            | C::IllegalTransition
            | C::DrawPending
            | C::DrawClosed
            | C::AlreadyRequested
            | C::SlotsAvailable
            | C::AlreadyWaiting
            | C::InvalidPhone
            | C::PhoneNotRegistered
            | C::InvalidCode
            | C::CodeExpired
            | C::IdempotencyKeyReused
            | C::BadRequest => 422,
            C::MalformedRequest => 400,
            C::UnsupportedMediaType => 415,
            C::PayloadTooLarge => 413,
            C::MethodNotAllowed => 405,
            C::Unauthorized => 401,
            C::Forbidden => 403,
            C::NotFound => 404,
            C::RateLimited => 429,
            C::Internal => 500,
            C::Unavailable => 503,
        }
    }

    /// The code of a rule refusal.
    pub const fn of_refusal(r: &Refusal) -> Self {
        use ErrorCode as C;
        match r {
            Refusal::SlotFull => C::SlotFull,
            Refusal::OneActiveBooking { .. } => C::OneActiveBooking,
            Refusal::TenDayRule { .. } => C::TenDayRule,
            Refusal::TwoPerDay { .. } => C::TwoPerDay,
            Refusal::SameGroupSameDay { .. } => C::SameGroupSameDay,
            Refusal::NotVehicleOwner => C::NotVehicleOwner,
            Refusal::VehicleAlreadyBooked => C::VehicleAlreadyBooked,
            Refusal::VehicleNotFound => C::VehicleNotFound,
            Refusal::VehicleRequired => C::VehicleRequired,
            Refusal::InvalidVehicle => C::InvalidVehicle,
            Refusal::ServiceOnline => C::ServiceOnline,
            Refusal::TooLate { .. } => C::TooLate,
            Refusal::TooEarly { .. } => C::TooEarly,
            Refusal::OutsideHorizon { .. } => C::OutsideHorizon,
            Refusal::RescheduleLimit { .. } => C::RescheduleLimit,
            Refusal::InvalidIin { .. } => C::InvalidIin,
            Refusal::OutsideHours => C::OutsideHours,
            Refusal::CenterClosed { .. } => C::CenterClosed,
            Refusal::WrongCenterKind { .. } => C::WrongCenterKind,
            Refusal::ServiceNotOffered => C::ServiceNotOffered,
            Refusal::DifferentService => C::DifferentService,
            Refusal::IllegalTransition { .. } => C::IllegalTransition,
            Refusal::DrawPending { .. } => C::DrawPending,
            Refusal::DrawClosed => C::DrawClosed,
            Refusal::AlreadyRequested => C::AlreadyRequested,
            Refusal::SlotsAvailable => C::SlotsAvailable,
            Refusal::AlreadyWaiting => C::AlreadyWaiting,
        }
    }

    /// A client error (4xx): the caller can fix the request.
    pub const fn is_client_error(self) -> bool {
        let s = self.status();
        s >= 400 && s < 500
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&Refusal> for ErrorCode {
    fn from(r: &Refusal) -> Self {
        Self::of_refusal(r)
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// A string that names no [`ErrorCode`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownErrorCode;

impl fmt::Display for UnknownErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown error code")
    }
}

impl std::error::Error for UnknownErrorCode {}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    /// An unknown code (a newer server) reads as `internal`, so an old
    /// client still shows the message it came with.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(s.parse().unwrap_or(ErrorCode::Internal))
    }
}

/// The body of every error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = Error))]
pub struct ErrorBody {
    /// The machine-readable code (schema: a string enum of every
    /// `ErrorCode`, hand-written in `api::schema::error_code`).
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::api::schema::error_code))]
    pub error: ErrorCode,
    /// Human text in the caller's language (`Accept-Language`).
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_has_its_code_with_the_same_string() {
        let samples = Refusal::samples();
        assert_eq!(samples.len(), Refusal::ALL_CODES.len());
        for r in &samples {
            let c = ErrorCode::of_refusal(r);
            assert_eq!(c.as_str(), r.code());
            assert_eq!(c.status(), if c == ErrorCode::SlotFull { 409 } else { 422 });
        }
    }

    #[test]
    fn codes_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for &c in ErrorCode::ALL {
            assert!(seen.insert(c.as_str()), "duplicate {c}");
            assert_eq!(c.as_str().parse::<ErrorCode>(), Ok(c));
            let json = serde_json::to_string(&c).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
            assert_eq!(serde_json::from_str::<ErrorCode>(&json).ok(), Some(c));
        }
        assert_eq!(
            serde_json::from_str::<ErrorCode>("\"from_the_future\"").ok(),
            Some(ErrorCode::Internal)
        );
    }

    #[test]
    fn status_table() {
        use ErrorCode as C;
        let table = [
            (C::SlotFull, 409),
            (C::TenDayRule, 422),
            (C::BadRequest, 422),
            (C::IdempotencyKeyReused, 422),
            (C::MalformedRequest, 400),
            (C::UnsupportedMediaType, 415),
            (C::PayloadTooLarge, 413),
            (C::MethodNotAllowed, 405),
            (C::Unauthorized, 401),
            (C::Forbidden, 403),
            (C::NotFound, 404),
            (C::RateLimited, 429),
            (C::Internal, 500),
            (C::Unavailable, 503),
        ];
        for (c, s) in table {
            assert_eq!(c.status(), s, "{c}");
        }
        // Only `internal` and `unavailable` are server errors.
        let server: Vec<_> = ErrorCode::ALL
            .iter()
            .filter(|c| !c.is_client_error())
            .collect();
        assert_eq!(server, [&C::Internal, &C::Unavailable]);
    }

    #[test]
    fn body_shape() {
        let b = ErrorBody {
            error: ErrorCode::SlotFull,
            message: "x".into(),
        };
        assert_eq!(
            serde_json::to_value(&b).unwrap_or_default(),
            serde_json::json!({"error": "slot_full", "message": "x"})
        );
    }
}
