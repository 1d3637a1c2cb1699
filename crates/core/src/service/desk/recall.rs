//! Use case: call a called visitor again (`Called → Called`, new
//! `called_at`), so the hall display shows the ticket on top once more.
use crate::error::ServiceError;
use crate::service::staff::StaffActor;
use crate::state::Core;
use kezek_domain::ids::BookingId;
use kezek_domain::lifecycle::Event;
use kezek_i18n::Lang;
use kezek_wire::types::BookingView;

use super::common::step;

/// Recalls booking `booking_id`; staff of its center only.
pub async fn recall(
    state: &Core,
    actor: &StaffActor,
    booking_id: BookingId,
    lang: Lang,
) -> Result<BookingView, ServiceError> {
    step(state, actor, booking_id.get(), Event::Recall, lang).await
}
