//! Use case: the visitor did not check in by start + grace
//! (`Booked → NoShow`; earlier is `too_early`, from the state machine); the
//! window-slots are released.
use crate::error::ServiceError;
use crate::service::staff::StaffActor;
use crate::state::Core;
use kezek_domain::ids::BookingId;
use kezek_domain::lifecycle::Event;
use kezek_i18n::Lang;
use kezek_wire::types::BookingView;

use super::common::step;

/// Marks booking `booking_id` a no-show; staff of its center only.
pub async fn no_show(
    state: &Core,
    actor: &StaffActor,
    booking_id: BookingId,
    lang: Lang,
) -> Result<BookingView, ServiceError> {
    step(state, actor, booking_id.get(), Event::MarkNoShow, lang).await
}
