//! Use case: the visit is done (`InService → Served`); the window-slots
//! are released.
use crate::api::types::BookingView;
use crate::domain::lifecycle::Event;
use crate::i18n::Lang;
use crate::server::error::ServiceError;
use crate::server::service::staff::StaffActor;
use crate::server::state::AppState;

use super::common::step;

/// Marks booking `booking_id` served; staff of its center only.
pub async fn served(
    state: &AppState,
    actor: &StaffActor,
    booking_id: i64,
    lang: Lang,
) -> Result<BookingView, ServiceError> {
    step(state, actor, booking_id, Event::Serve, lang).await
}
