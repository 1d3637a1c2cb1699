//! Closing a day at a center that already has bookings: first the admin
//! sees the affected bookings ([`preview`]), then decides for all of them
//! ([`close`]): move each to the nearest free time of the same service at
//! the same center, or cancel them by the center — with a reason, a
//! notification to each citizen and a history row naming the admin.
//! Never silent: [`close`] refuses (`bad_request`) when bookings exist and
//! no decision was given.
use chrono::NaiveDate;

use crate::error::ServiceError;
use crate::service::booking::close_day::{CloseAction, affected, close_day};
use crate::service::booking::facts::rfc3339_in;
use crate::service::booking::schedule::load_center;
use crate::service::staff::{Need, StaffActor, allows};
use crate::state::Core;
use kezek_domain::ids::CenterId;
use kezek_domain::input::BadInput;
use kezek_i18n::Lang;
use kezek_wire::staff::{ClosureOutcome, DeskRow};

/// The admin's decision about the bookings of a day being closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// No decision: allowed only when the day has no active bookings.
    None,
    /// Move each to the nearest free time (cancel when there is none).
    Move,
    /// Cancel them all, by the center.
    Cancel,
}

impl Decision {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "" | "none" => Some(Self::None),
            "move" => Some(Self::Move),
            "cancel" => Some(Self::Cancel),
            _ => None,
        }
    }
}

fn authorize(actor: &StaffActor, center: CenterId) -> Result<(), ServiceError> {
    if allows(actor, Need::CenterAdmin(center)) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// The active bookings on `date` that a closure would affect.
pub async fn preview(
    state: &Core,
    actor: &StaffActor,
    center: CenterId,
    date: NaiveDate,
) -> Result<Vec<DeskRow>, ServiceError> {
    authorize(actor, center)?;
    let center_id = center.get();
    let ctx = load_center(&state.db, center_id).await?;
    Ok(affected(state, center_id, date)
        .await?
        .into_iter()
        .map(|b| DeskRow {
            id: b.id.to_string(),
            code: b.code.clone(),
            ticket: b.ticket.clone(),
            status: b.status.clone(),
            start: rfc3339_in(ctx.tz, b.start_at),
            service: b.service_code.clone(),
            service_name: b.service_code.clone(),
            window: None,
            called_window: None,
            priority: b.priority,
            walk_in: b.walk_in,
            iin_masked: None,
        })
        .collect())
}

/// Closes `date` at the center with `reason`. With bookings on that day a
/// decision is required (`bad_request` otherwise, and nothing changes).
pub async fn close(
    state: &Core,
    actor: &StaffActor,
    center: CenterId,
    date: NaiveDate,
    reason: &str,
    decision: Decision,
    _lang: Lang,
) -> Result<ClosureOutcome, ServiceError> {
    authorize(actor, center)?;
    let center_id = center.get();
    let action = match decision {
        Decision::Move => CloseAction::MoveOrCancel,
        Decision::Cancel => CloseAction::Cancel,
        Decision::None => {
            let n = affected(state, center_id, date).await?.len();
            if n > 0 {
                return Err(ServiceError::BadRequest(BadInput::DecisionRequired {
                    count: u32::try_from(n).unwrap_or(u32::MAX),
                    date: Some(date),
                }));
            }
            CloseAction::Cancel
        }
    };
    let report = close_day(
        state,
        center_id,
        date,
        reason,
        action,
        &format!("staff:{}", actor.id),
    )
    .await?;
    Ok(report.outcome())
}
