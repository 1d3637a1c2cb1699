//! Use case: service of a called visitor starts (`Called → InService`).
use crate::api::types::BookingView;
use crate::domain::lifecycle::Event;
use crate::i18n::Lang;
use crate::server::error::ServiceError;
use crate::server::service::staff::StaffActor;
use crate::server::state::AppState;

use super::common::step;

/// Starts serving booking `booking_id`; staff of its center only.
pub async fn start(
    state: &AppState,
    actor: &StaffActor,
    booking_id: i64,
    lang: Lang,
) -> Result<BookingView, ServiceError> {
    step(state, actor, booking_id, Event::Start, lang).await
}
