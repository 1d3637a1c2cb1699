//! [`Refusal`]: the contract between the rules, the server and the UI.
//!
//! Every refusal names its rule by a stable snake_case [`Refusal::code`]
//! (DOMAIN.md) and carries the parameters a message needs; the citizen's
//! text comes from `kezek_i18n::refusal_message`. It serializes with the
//! code as tag, e.g. `{"code":"two_per_day","date":"2026-12-03","limit":2}`,
//! so it can cross the server → browser boundary unchanged. `Display` is a
//! short English text for logs, not for citizens.
//!
//! Error types: parsers have their own small errors
//! ([`IinError`], [`VehicleError`]) that convert into a `Refusal`; rule
//! functions return `Result<_, Refusal>`; the server maps a unique-index
//! violation on (window, slot) to [`Refusal::SlotFull`].

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::catalog::CenterKind;
use crate::ids::{BookingCode, BookingId};
use crate::iin::IinError;
use crate::lifecycle::{BookingStatus, EventKind};
use crate::vehicle::VehicleError;

/// Why a request was refused. Times are center-local wall-clock times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Refusal {
    /// Capacity / R9: no window free for the whole run, or the admin cap is
    /// reached (also: the unique (window, slot) index fired).
    #[error("slot full")]
    SlotFull,
    /// R3: the citizen already holds an active booking of this center kind
    /// and service group.
    #[error("one active booking per kind and group")]
    OneActiveBooking {
        /// The existing booking.
        booking: BookingId,
        /// Its code, to quote.
        booking_code: BookingCode,
        /// Its start.
        start: NaiveDateTime,
    },
    /// R4: a booking of this kind and group was created less than
    /// `window_days` ago.
    #[error("ten-day rule")]
    TenDayRule {
        /// The policy window (10 by default).
        window_days: u32,
        /// When the counting booking was created.
        created: NaiveDateTime,
        /// From when a new booking can be created.
        next_possible: NaiveDateTime,
    },
    /// R5: `limit` bookings already held on `date`.
    #[error("per-day limit")]
    TwoPerDay {
        /// The date asked for.
        date: NaiveDate,
        /// `Policy::per_day_limit`.
        limit: u32,
    },
    /// R5: a booking of the same group already held on `date`.
    #[error("same group on the same day")]
    SameGroupSameDay {
        /// The date asked for.
        date: NaiveDate,
    },
    /// R6: the registry does not list the booking IIN as the owner (the
    /// buyer tried to book; the seller must).
    #[error("not the vehicle owner")]
    NotVehicleOwner,
    /// R6: the vehicle (by plate or VIN) already has an active booking.
    #[error("vehicle already booked")]
    VehicleAlreadyBooked,
    /// R6: the registry does not know the vehicle.
    #[error("vehicle not found in registry")]
    VehicleNotFound,
    /// R6: the service needs a vehicle and none was named.
    #[error("vehicle required")]
    VehicleRequired,
    /// R6: the text is no plate number or VIN.
    #[error("invalid vehicle")]
    InvalidVehicle,
    /// R7: the service is available online; no visit is booked.
    #[error("service available online")]
    ServiceOnline,
    /// Minimum notice or a cut-off has passed: the action had to happen at
    /// least `minutes` before the start (0: before the start).
    #[error("too late")]
    TooLate {
        /// The notice or cut-off in minutes.
        minutes: u32,
    },
    /// R8: the action is possible only from `from` (check-in before the
    /// day's opening; no-show before start + grace).
    #[error("too early")]
    TooEarly {
        /// When it becomes possible.
        from: NaiveDateTime,
    },
    /// The start is beyond the bookable horizon.
    #[error("outside the booking horizon")]
    OutsideHorizon {
        /// The last bookable date.
        last_date: NaiveDate,
    },
    /// R1: the booking has been rescheduled `max` times already.
    #[error("reschedule limit")]
    RescheduleLimit {
        /// `Policy::max_reschedules`.
        max: u32,
    },
    /// R10: not an IIN.
    #[error("invalid IIN: {reason}")]
    InvalidIin {
        /// Which check failed.
        reason: IinError,
    },
    /// The start is not a slot of the center's grid inside opening hours
    /// and outside breaks, or the run does not fit.
    #[error("outside opening hours")]
    OutsideHours,
    /// The center does not open on `date` (holiday, closure).
    #[error("center closed")]
    CenterClosed {
        /// The date asked for.
        date: NaiveDate,
    },
    /// The service is offered only by the other kind of center.
    #[error("wrong center kind")]
    WrongCenterKind {
        /// The kind that offers the service.
        expected: CenterKind,
    },
    /// No window of this center serves the service.
    #[error("service not offered at this center")]
    ServiceNotOffered,
    /// R1: a reschedule must keep the service.
    #[error("a reschedule must keep the service")]
    DifferentService,
    /// R8: the event is not allowed in this status.
    #[error("illegal transition")]
    IllegalTransition {
        /// The current status.
        from: BookingStatus,
        /// The refused event.
        event: EventKind,
    },
    /// R12: the date opens by a draw that has not run yet; request a time
    /// in the draw instead (`closes_at`: when it closes, if one is open).
    #[error("date under a draw")]
    DrawPending {
        /// When the open draw closes (center-local), if one is open.
        closes_at: Option<NaiveDateTime>,
    },
    /// R12: the draw has closed; requests can no longer be made or
    /// withdrawn.
    #[error("draw closed")]
    DrawClosed,
    /// R12: the citizen already has an open request of this center kind
    /// and service group.
    #[error("request already made")]
    AlreadyRequested,
    /// R13: a matching start is free now: book it instead of waiting.
    #[error("slots available")]
    SlotsAvailable,
    /// R13: the citizen already waits for this center kind and service
    /// group.
    #[error("already waiting")]
    AlreadyWaiting,
}

impl Refusal {
    /// Every code, in declaration order.
    pub const ALL_CODES: &'static [&'static str] = &[
        "slot_full",
        "one_active_booking",
        "ten_day_rule",
        "two_per_day",
        "same_group_same_day",
        "not_vehicle_owner",
        "vehicle_already_booked",
        "vehicle_not_found",
        "vehicle_required",
        "invalid_vehicle",
        "service_online",
        "too_late",
        "too_early",
        "outside_horizon",
        "reschedule_limit",
        "invalid_iin",
        "outside_hours",
        "center_closed",
        "wrong_center_kind",
        "service_not_offered",
        "different_service",
        "illegal_transition",
        "draw_pending",
        "draw_closed",
        "already_requested",
        "slots_available",
        "already_waiting",
    ];

    /// Codes decided by the server from stored draws and waiting entries
    /// (R12, R13), not by a pure rule function; kezek-core's use-case tests
    /// trigger each.
    pub const STORED_STATE_CODES: &'static [&'static str] = &[
        "draw_pending",
        "draw_closed",
        "already_requested",
        "slots_available",
        "already_waiting",
    ];

    /// The stable machine-readable code (the serde tag).
    pub fn code(&self) -> &'static str {
        match self {
            Self::SlotFull => "slot_full",
            Self::OneActiveBooking { .. } => "one_active_booking",
            Self::TenDayRule { .. } => "ten_day_rule",
            Self::TwoPerDay { .. } => "two_per_day",
            Self::SameGroupSameDay { .. } => "same_group_same_day",
            Self::NotVehicleOwner => "not_vehicle_owner",
            Self::VehicleAlreadyBooked => "vehicle_already_booked",
            Self::VehicleNotFound => "vehicle_not_found",
            Self::VehicleRequired => "vehicle_required",
            Self::InvalidVehicle => "invalid_vehicle",
            Self::ServiceOnline => "service_online",
            Self::TooLate { .. } => "too_late",
            Self::TooEarly { .. } => "too_early",
            Self::OutsideHorizon { .. } => "outside_horizon",
            Self::RescheduleLimit { .. } => "reschedule_limit",
            Self::InvalidIin { .. } => "invalid_iin",
            Self::OutsideHours => "outside_hours",
            Self::CenterClosed { .. } => "center_closed",
            Self::WrongCenterKind { .. } => "wrong_center_kind",
            Self::ServiceNotOffered => "service_not_offered",
            Self::DifferentService => "different_service",
            Self::IllegalTransition { .. } => "illegal_transition",
            Self::DrawPending { .. } => "draw_pending",
            Self::DrawClosed => "draw_closed",
            Self::AlreadyRequested => "already_requested",
            Self::SlotsAvailable => "slots_available",
            Self::AlreadyWaiting => "already_waiting",
        }
    }

    /// HTTP status for an API: 409 Conflict for `slot_full` (retry with
    /// another slot), 422 Unprocessable Content for every other refusal.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::SlotFull => 409,
            _ => 422,
        }
    }

    /// One value of every variant, in `ALL_CODES` order (tests, i18n
    /// previews).
    pub fn samples() -> Vec<Refusal> {
        let d = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default();
        let t = d.and_hms_opt(10, 30, 0).unwrap_or_default();
        vec![
            Self::SlotFull,
            Self::OneActiveBooking {
                booking: BookingId::new(7),
                booking_code: BookingCode::from_random_bytes(&[10, 6, 11, 26, 14, 31, 21, 0]),
                start: t,
            },
            Self::TenDayRule {
                window_days: 10,
                created: t - chrono::Duration::days(2),
                next_possible: t + chrono::Duration::days(8),
            },
            Self::TwoPerDay { date: d, limit: 2 },
            Self::SameGroupSameDay { date: d },
            Self::NotVehicleOwner,
            Self::VehicleAlreadyBooked,
            Self::VehicleNotFound,
            Self::VehicleRequired,
            Self::InvalidVehicle,
            Self::ServiceOnline,
            Self::TooLate { minutes: 60 },
            Self::TooEarly { from: t },
            Self::OutsideHorizon { last_date: d },
            Self::RescheduleLimit { max: 3 },
            Self::InvalidIin {
                reason: IinError::Checksum,
            },
            Self::OutsideHours,
            Self::CenterClosed { date: d },
            Self::WrongCenterKind {
                expected: CenterKind::AutoPsc,
            },
            Self::ServiceNotOffered,
            Self::DifferentService,
            Self::IllegalTransition {
                from: BookingStatus::Served,
                event: EventKind::Cancel,
            },
            Self::DrawPending { closes_at: Some(t) },
            Self::DrawClosed,
            Self::AlreadyRequested,
            Self::SlotsAvailable,
            Self::AlreadyWaiting,
        ]
    }
}

impl From<IinError> for Refusal {
    fn from(reason: IinError) -> Self {
        Self::InvalidIin { reason }
    }
}

impl From<VehicleError> for Refusal {
    fn from(_: VehicleError) -> Self {
        Self::InvalidVehicle
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn codes_are_unique_snake_case_and_complete() {
        let set: BTreeSet<_> = Refusal::ALL_CODES.iter().collect();
        assert_eq!(set.len(), Refusal::ALL_CODES.len());
        for c in Refusal::ALL_CODES {
            assert!(
                c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{c}"
            );
        }
        let sample_codes: Vec<_> = Refusal::samples().iter().map(Refusal::code).collect();
        assert_eq!(sample_codes, Refusal::ALL_CODES);
    }

    #[test]
    fn http_status() {
        for r in Refusal::samples() {
            let want = if r.code() == "slot_full" { 409 } else { 422 };
            assert_eq!(r.http_status(), want);
        }
    }

    #[test]
    fn conversions() {
        assert_eq!(Refusal::from(IinError::Length).code(), "invalid_iin");
        assert_eq!(Refusal::from(VehicleError).code(), "invalid_vehicle");
    }
}
