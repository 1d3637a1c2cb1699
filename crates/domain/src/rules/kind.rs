//! The service must be offered by the chosen kind of center
//! (`wrong_center_kind`). A reschedule keeps the kind (R1).

use crate::catalog::{CenterKind, ServiceInfo};
use crate::refusal::Refusal;

/// `wrong_center_kind` unless `service.kind == center_kind`.
pub fn check(service: &ServiceInfo, center_kind: CenterKind) -> Result<(), Refusal> {
    if service.kind == center_kind {
        Ok(())
    } else {
        Err(Refusal::WrongCenterKind {
            expected: service.kind,
        })
    }
}
