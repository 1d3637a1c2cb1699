//! Use case: call a called visitor again (`Called → Called`, new
//! `called_at`), so the hall display shows the ticket on top once more.
use crate::api::types::BookingView;
use crate::domain::lifecycle::Event;
use crate::i18n::Lang;
use crate::server::error::ServiceError;
use crate::server::service::staff::StaffActor;
use crate::server::state::AppState;

use super::common::step;

/// Recalls booking `booking_id`; staff of its center only.
pub async fn recall(
    state: &AppState,
    actor: &StaffActor,
    booking_id: i64,
    lang: Lang,
) -> Result<BookingView, ServiceError> {
    step(state, actor, booking_id, Event::Recall, lang).await
}
