//! The booking rules R1–R7 and R9 as pure decision functions, and the three
//! entry points the server (inside its write transaction) and the browser
//! (instant feedback) call: [`check_new_booking`], [`check_reschedule`],
//! [`check_cancel`].
//!
//! Each rule lives in its own module and returns `Result<(), Refusal>`.
//! Inputs are plain facts ([`BookingFacts`] for the citizen's bookings,
//! [`VehicleFacts`] from the registry), the [`Policy`] and `now`.
//!
//! # Order of checks
//!
//! New booking ([`check_new_booking`]), first refusal wins:
//! 1. R7 `service_online` — the service is not bookable at all;
//! 2. `wrong_center_kind` — the service belongs to the other kind;
//! 3. R6 `vehicle_required` — a vehicle service without a vehicle;
//! 4. time — `too_late` (before now + minimum notice, or a start that does
//!    not exist in the zone), `outside_horizon`;
//! 5. R3 `one_active_booking` (more helpful than R4: it names the booking
//!    to reschedule);
//! 6. R4 `ten_day_rule`;
//! 7. R5 `same_group_same_day`, then `two_per_day`;
//! 8. R6 registry — `vehicle_not_found`, `not_vehicle_owner`,
//!    `vehicle_already_booked`.
//!
//! Then the server runs `capacity::choose_window` (`center_closed`,
//! `service_not_offered`, `outside_hours`, `slot_full`) and inserts the
//! (window, slot) rows; a unique-index violation there is `slot_full` too.
//!
//! Reschedule ([`check_reschedule`]): R1 (status `Booked`, same service,
//! same center kind, cut-off on the **old** start, `reschedule_limit`),
//! then time on the new start, then R5 on the new date excluding the booking
//! itself. R3 and R4 do not apply (same booking, nothing is created); R6 is
//! not re-checked (same service, same vehicle). Capacity follows, with the
//! booking's own held pairs left out.
//!
//! Cancel ([`check_cancel`]): R2 (status `Booked`; a citizen only until the
//! cut-off before the start; center and system at any time).
//!
//! # Which bookings to pass
//!
//! `existing` must contain every booking of the citizen (by IIN) that is
//! `Booked`, or was created within the last `ten_day_window_days`, or
//! starts on the requested date; passing more is harmless.

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::catalog::{CenterKind, ServiceGroup, ServiceInfo};
use crate::ids::{BookingCode, BookingId, ServiceCode};
use crate::iin::Iin;
use crate::lifecycle::{BookingStatus, CancelledBy};
use crate::policy::Policy;
use crate::refusal::Refusal;
use crate::vehicle::{VehicleFacts, VehicleKey, VehicleRef};

pub mod kind;
pub mod r1_reschedule;
pub mod r2_cancel;
pub mod r3_one_active;
pub mod r4_ten_day;
pub mod r5_two_per_day;
pub mod r6_vehicle;
pub mod r7_online;
pub mod r9_cap;
pub mod time;

#[cfg(test)]
mod tests;

/// What the rules need to know about one of the citizen's bookings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingFacts {
    /// The booking.
    pub id: BookingId,
    /// Its code.
    pub code: BookingCode,
    /// Kind of its center.
    pub center_kind: CenterKind,
    /// Group of its service.
    pub group: ServiceGroup,
    /// Its service.
    pub service: ServiceCode,
    /// Current status.
    pub status: BookingStatus,
    /// Start, center-local.
    pub start_local: NaiveDateTime,
    /// Start, UTC.
    pub start_utc: DateTime<Utc>,
    /// When it was created (not changed by reschedules).
    pub created_at: DateTime<Utc>,
    /// Who cancelled, when `Cancelled` (`None` counts as the citizen).
    pub cancelled_by: Option<CancelledBy>,
    /// Reschedules so far.
    pub reschedule_count: u32,
    /// The vehicle, for vehicle services.
    pub vehicle: Option<VehicleKey>,
}

/// A citizen asks for a new booking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewBookingRequest {
    /// The booking IIN (signed-in citizen).
    pub iin: Iin,
    /// The service asked for.
    pub service: ServiceInfo,
    /// Kind of the chosen center.
    pub center_kind: CenterKind,
    /// Zone of the chosen center.
    pub center_tz: Tz,
    /// The chosen start, center-local.
    pub start_local: NaiveDateTime,
    /// The vehicle named, for vehicle services.
    pub vehicle: Option<VehicleRef>,
}

/// A citizen asks to move a booking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RescheduleRequest {
    /// The booking as it is now.
    pub booking: BookingFacts,
    /// The service at the new slot (must be the same).
    pub service: ServiceCode,
    /// Kind of the new center (must be the same).
    pub center_kind: CenterKind,
    /// Zone of the new center.
    pub center_tz: Tz,
    /// The new start, center-local.
    pub new_start_local: NaiveDateTime,
}

/// Checks a new booking against every rule except capacity (see the module
/// doc for the order). `vehicle` is the registry's answer for
/// `req.vehicle` (`None` when no vehicle was named or none is needed).
pub fn check_new_booking(
    req: &NewBookingRequest,
    existing: &[BookingFacts],
    vehicle: Option<&VehicleFacts>,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    r7_online::check(&req.service)?;
    kind::check(&req.service, req.center_kind)?;
    r6_vehicle::check_named(&req.service, req.vehicle.as_ref())?;
    time::check_start(req.center_tz, req.start_local, policy, now)?;
    let (k, g) = (req.service.kind, req.service.group);
    r3_one_active::check(k, g, existing, policy, None)?;
    r4_ten_day::check(k, g, existing, policy, req.center_tz, now)?;
    r5_two_per_day::check(req.start_local.date(), g, existing, policy, None)?;
    r6_vehicle::check_registry(&req.iin, &req.service, vehicle, None)?;
    Ok(())
}

/// Checks a reschedule (R1, time, R5); capacity follows.
pub fn check_reschedule(
    req: &RescheduleRequest,
    existing: &[BookingFacts],
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    r1_reschedule::check(&req.booking, &req.service, req.center_kind, policy, now)?;
    time::check_start(req.center_tz, req.new_start_local, policy, now)?;
    r5_two_per_day::check(
        req.new_start_local.date(),
        req.booking.group,
        existing,
        policy,
        Some(req.booking.id),
    )?;
    Ok(())
}

/// Checks a cancellation (R2).
pub fn check_cancel(
    booking: &BookingFacts,
    by: CancelledBy,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    r2_cancel::check(booking, by, policy, now)
}
