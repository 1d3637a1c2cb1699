//! Use case: the visitor did not check in by start + grace
//! (`Booked → NoShow`; earlier is `too_early`, from the state machine); the
//! window-slots are released.
use crate::api::types::BookingView;
use crate::domain::lifecycle::Event;
use crate::i18n::Lang;
use crate::server::error::ServiceError;
use crate::server::service::staff::StaffActor;
use crate::server::state::AppState;

use super::common::step;

/// Marks booking `booking_id` a no-show; staff of its center only.
pub async fn no_show(
    state: &AppState,
    actor: &StaffActor,
    booking_id: i64,
    lang: Lang,
) -> Result<BookingView, ServiceError> {
    step(state, actor, booking_id, Event::MarkNoShow, lang).await
}
