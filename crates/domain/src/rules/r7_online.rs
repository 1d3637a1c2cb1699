//! R7: a service the portal offers online is not booked; paper-only
//! services need a booking.

use crate::catalog::ServiceInfo;
use crate::refusal::Refusal;

/// `service_online` for an `online_available` service.
pub fn check(service: &ServiceInfo) -> Result<(), Refusal> {
    if service.online_available {
        Err(Refusal::ServiceOnline)
    } else {
        Ok(())
    }
}
