//! Reading bookings: the citizen's list and one booking with its history.
use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entity::{booking_history, bookings, centers, services, windows};
use crate::error::ServiceError;
use kezek_domain::ids::{BookingId, CitizenId};
use kezek_i18n::Lang;
use kezek_wire::types::{BookingView, HistoryItem};

use super::facts::rfc3339_in;

fn pick<'a>(lang: Lang, kk: &'a str, ru: &'a str, en: &'a str) -> &'a str {
    lang.choose(kk, ru, en)
}

/// Builds views for `rows`, loading centers, services and windows once.
pub async fn views(
    db: &impl ConnectionTrait,
    rows: Vec<bookings::Model>,
    lang: Lang,
) -> Result<Vec<BookingView>, ServiceError> {
    let center_ids: Vec<i64> = rows.iter().map(|b| b.center_id).collect();
    let window_ids: Vec<i64> = rows.iter().map(|b| b.window_id).collect();
    let codes: Vec<String> = rows.iter().map(|b| b.service_code.clone()).collect();
    let centers: HashMap<i64, centers::Model> = centers::Entity::find()
        .filter(centers::Column::Id.is_in(center_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let services: HashMap<String, services::Model> = services::Entity::find()
        .filter(services::Column::Code.is_in(codes))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.code.clone(), s))
        .collect();
    let windows: HashMap<i64, i32> = windows::Entity::find()
        .filter(windows::Column::Id.is_in(window_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|w| (w.id, w.number))
        .collect();
    Ok(rows
        .iter()
        .map(|b| {
            view_of(
                b,
                centers.get(&b.center_id),
                services.get(&b.service_code),
                windows.get(&b.window_id).copied(),
                lang,
            )
        })
        .collect())
}

/// One booking's view (without history) from its row, its center, its
/// service and its window's number — shared by [`views`] and the booking
/// use case's reply, so both are the same JSON.
pub fn view_of(
    b: &bookings::Model,
    c: Option<&centers::Model>,
    s: Option<&services::Model>,
    window: Option<i32>,
    lang: Lang,
) -> BookingView {
    let tz: chrono_tz::Tz = c
        .and_then(|c| c.timezone.parse().ok())
        .unwrap_or(chrono_tz::Asia::Almaty);
    BookingView {
        id: b.id.to_string(),
        code: b.code.clone(),
        center_id: b.center_id.to_string(),
        center_kind: b.center_kind.clone(),
        center_name: c
            .map(|c| pick(lang, &c.name_kk, &c.name_ru, &c.name_en).to_owned())
            .unwrap_or_default(),
        center_address: c
            .map(|c| pick(lang, &c.address_kk, &c.address_ru, &c.address_en).to_owned())
            .unwrap_or_default(),
        service: b.service_code.clone(),
        service_name: s
            .map(|s| pick(lang, &s.name_kk, &s.name_ru, &s.name_en).to_owned())
            .unwrap_or_default(),
        group: b.grp.clone(),
        start: rfc3339_in(tz, b.start_at),
        end: rfc3339_in(tz, b.end_at),
        status: b.status.clone(),
        window,
        reschedule_count: u32::try_from(b.reschedule_count).unwrap_or(0),
        vehicle: b.vehicle_plate.clone().or(b.vehicle_vin.clone()),
        ticket: b.ticket.clone(),
        called_window: b.called_window,
        cancel_reason: b.cancel_reason.clone(),
        created_at: rfc3339_in(tz, b.created_at),
        history: None,
        reschedule_blocked: None,
        cancel_blocked: None,
    }
}

/// The citizen's bookings, newest first.
pub async fn list_mine(
    db: &impl ConnectionTrait,
    citizen_id: CitizenId,
    lang: Lang,
) -> Result<Vec<BookingView>, ServiceError> {
    let rows = bookings::Entity::find()
        .filter(bookings::Column::CitizenId.eq(citizen_id.get()))
        .order_by_desc(bookings::Column::CreatedAt)
        .order_by_desc(bookings::Column::Id)
        .all(db)
        .await?;
    views(db, rows, lang).await
}

/// One booking with its history. `citizen_id` = Some → only the owner's
/// (another citizen's booking is `NotFound`, never `Forbidden`).
pub async fn get_one(
    db: &impl ConnectionTrait,
    booking_id: BookingId,
    citizen_id: Option<CitizenId>,
    lang: Lang,
) -> Result<BookingView, ServiceError> {
    let booking_id = booking_id.get();
    let b = bookings::Entity::find_by_id(booking_id)
        .one(db)
        .await?
        .filter(|b| citizen_id.is_none_or(|c| c.get() == b.citizen_id))
        .ok_or(ServiceError::NotFound)?;
    let tz: chrono_tz::Tz = centers::Entity::find_by_id(b.center_id)
        .one(db)
        .await?
        .and_then(|c| c.timezone.parse().ok())
        .unwrap_or(chrono_tz::Asia::Almaty);
    let history = booking_history::Entity::find()
        .filter(booking_history::Column::BookingId.eq(booking_id))
        .order_by_asc(booking_history::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|h| HistoryItem {
            status: h.status,
            at: rfc3339_in(tz, h.at),
            note: h.note,
        })
        .collect();
    let mut v = views(db, vec![b], lang)
        .await?
        .pop()
        .ok_or(ServiceError::NotFound)?;
    v.history = Some(history);
    Ok(v)
}

/// Fills `reschedule_blocked` / `cancel_blocked` with the rule's own message
/// when the citizen may no longer do that (the same rule functions the write
/// paths use), so the page can explain instead of offering a dead button.
pub async fn explain_actions(
    state: &crate::state::Core,
    view: &mut BookingView,
    lang: Lang,
) -> Result<(), ServiceError> {
    use kezek_domain::lifecycle::CancelledBy;
    use kezek_domain::rules::{r1_reschedule, r2_cancel};
    let Ok(id) = view.id.parse::<i64>() else {
        return Ok(());
    };
    let Some(b) = bookings::Entity::find_by_id(id).one(&state.db).await? else {
        return Ok(());
    };
    if b.status != "Booked" {
        return Ok(());
    }
    let tz: chrono_tz::Tz = centers::Entity::find_by_id(b.center_id)
        .one(&state.db)
        .await?
        .and_then(|c| c.timezone.parse().ok())
        .unwrap_or(chrono_tz::Asia::Almaty);
    let facts = super::facts::booking_facts(&b, tz)?;
    let policy = super::schedule::load_policy(&state.db).await?;
    let now = state.now();
    view.reschedule_blocked =
        r1_reschedule::check(&facts, &facts.service, facts.center_kind, &policy, now)
            .err()
            .map(|r| kezek_i18n::refusal_message(&r, lang));
    view.cancel_blocked = r2_cancel::check(&facts, CancelledBy::Citizen, &policy, now)
        .err()
        .map(|r| kezek_i18n::refusal_message(&r, lang));
    Ok(())
}
