//! Use case: the visit is done (`InService → Served`); the window-slots
//! are released.
use crate::error::ServiceError;
use crate::service::staff::StaffActor;
use crate::state::Core;
use kezek_domain::ids::BookingId;
use kezek_domain::lifecycle::Event;
use kezek_i18n::Lang;
use kezek_wire::types::BookingView;

use super::common::step;

/// Marks booking `booking_id` served; staff of its center only.
pub async fn served(
    state: &Core,
    actor: &StaffActor,
    booking_id: BookingId,
    lang: Lang,
) -> Result<BookingView, ServiceError> {
    step(state, actor, booking_id.get(), Event::Serve, lang).await
}
