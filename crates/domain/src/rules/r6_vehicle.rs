//! R6: for a service with `requires_vehicle` the citizen names the vehicle
//! (plate or VIN); only the owner listed by the registry — the seller —
//! may book, and a vehicle has at most one active booking, whatever plate
//! or VIN it is named by.
//!
//! Split in two: [`check_named`] needs no IO (the browser runs it);
//! [`check_registry`] judges the registry's answer, which the server
//! fetches through its registry adapter: the record for the named plate or
//! VIN, and the active bookings whose vehicle matches the record's plate
//! **or** VIN. Services without `requires_vehicle` ignore any vehicle.

use crate::catalog::ServiceInfo;
use crate::ids::BookingId;
use crate::iin::Iin;
use crate::refusal::Refusal;
use crate::vehicle::{VehicleFacts, VehicleRef};

/// `vehicle_required` when the service needs a vehicle and none is named.
pub fn check_named(service: &ServiceInfo, vehicle: Option<&VehicleRef>) -> Result<(), Refusal> {
    if service.requires_vehicle && vehicle.is_none() {
        Err(Refusal::VehicleRequired)
    } else {
        Ok(())
    }
}

/// `vehicle_not_found`, `not_vehicle_owner`, `vehicle_already_booked`.
/// `exclude` leaves one booking out of the active ones (the booking being
/// changed).
pub fn check_registry(
    iin: &Iin,
    service: &ServiceInfo,
    facts: Option<&VehicleFacts>,
    exclude: Option<BookingId>,
) -> Result<(), Refusal> {
    if !service.requires_vehicle {
        return Ok(());
    }
    let Some(record) = facts.and_then(|f| f.record.as_ref()) else {
        return Err(Refusal::VehicleNotFound);
    };
    if record.owner_iin != *iin {
        return Err(Refusal::NotVehicleOwner);
    }
    let others = facts
        .map(|f| f.active_bookings.iter().any(|&b| Some(b) != exclude))
        .unwrap_or(false);
    if others {
        return Err(Refusal::VehicleAlreadyBooked);
    }
    Ok(())
}
