//! Reads for the staff console and the hall display: today's bookings of
//! a center, and the last calls.
use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entity::{bookings, citizens, services};
use crate::error::ServiceError;
use crate::service::booking::facts::rfc3339_in;
use crate::service::booking::schedule::load_center;
use crate::service::staff::{Need, StaffActor, allows};
use crate::state::Core;
use kezek_domain::calendar::utc_to_local;
use kezek_domain::ids::CenterId;
use kezek_domain::iin::Iin;
use kezek_domain::lifecycle::BookingStatus;
use kezek_i18n::Lang;
use kezek_wire::staff::{DeskDay, DeskRow, DeskWindow, DisplayCall, HallCalls, NamedItem};

fn pick(lang: Lang, kk: &str, ru: &str, en: &str) -> String {
    lang.choose(kk, ru, en).to_owned()
}

/// How many calls the display shows.
pub const DISPLAY_CALLS: u64 = 8;

/// Today's (center-local) bookings of `center_id` in queue order (waiting
/// first), the center's windows and the services a walk-in may get. Any
/// staff of the center.
pub async fn today(
    state: &Core,
    actor: &StaffActor,
    center: CenterId,
    lang: Lang,
) -> Result<DeskDay, ServiceError> {
    if !allows(actor, Need::Operator(center)) {
        return Err(ServiceError::Forbidden);
    }
    let center_id = center.get();
    let ctx = load_center(&state.db, center_id).await?;
    let date = utc_to_local(ctx.tz, state.now()).date();
    let date_s = date.format("%Y-%m-%d").to_string();
    let rows = bookings::Entity::find()
        .filter(bookings::Column::CenterId.eq(center_id))
        .filter(bookings::Column::LocalDate.eq(date_s.clone()))
        .order_by_asc(bookings::Column::StartAt)
        .order_by_asc(bookings::Column::Id)
        .all(&state.db)
        .await?;
    let svcs = services::Entity::find()
        .filter(services::Column::CenterKind.eq(ctx.kind.as_str()))
        .filter(services::Column::Active.eq(true))
        .order_by_asc(services::Column::Code)
        .all(&state.db)
        .await?;
    let name_of = |code: &str| {
        svcs.iter()
            .find(|s| s.code == code)
            .map(|s| pick(lang, &s.name_kk, &s.name_ru, &s.name_en))
            .unwrap_or_else(|| code.to_owned())
    };
    let numbers: Vec<(i64, i32)> = ctx
        .windows
        .iter()
        .map(|(id, n, _)| (id.get(), *n))
        .collect();
    // The holders' IINs as the desk shows them (review L15); walk-ins have
    // none (their placeholder citizen is no IIN).
    let holders: Vec<i64> = rows
        .iter()
        .filter(|b| !b.walk_in)
        .map(|b| b.citizen_id)
        .collect();
    let shown: HashMap<i64, String> = citizens::Entity::find()
        .select_only()
        .column(citizens::Column::Id)
        .column(citizens::Column::Iin)
        .filter(citizens::Column::Id.is_in(holders))
        .into_tuple::<(i64, String)>()
        .all(&state.db)
        .await?
        .into_iter()
        .filter_map(|(id, iin)| Some((id, Iin::parse(&iin).ok()?.shown())))
        .collect();
    let mut out: Vec<DeskRow> = rows
        .iter()
        .map(|b| DeskRow {
            id: b.id.to_string(),
            code: b.code.clone(),
            ticket: b.ticket.clone(),
            status: b.status.clone(),
            start: rfc3339_in(ctx.tz, b.start_at),
            service: b.service_code.clone(),
            service_name: name_of(&b.service_code),
            window: numbers
                .iter()
                .find(|(id, _)| *id == b.window_id)
                .map(|(_, n)| *n),
            called_window: b.called_window,
            priority: b.priority,
            walk_in: b.walk_in,
            iin_masked: (!b.walk_in)
                .then(|| shown.get(&b.citizen_id).cloned())
                .flatten(),
        })
        .collect();
    // Open visits first (called, in service, waiting), then the rest.
    let rank = |s: &str| match s {
        "Called" => 0,
        "InService" => 1,
        "CheckedIn" => 2,
        "Booked" => 3,
        _ => 4,
    };
    out.sort_by_key(|r| (rank(&r.status), !r.priority, r.walk_in));
    Ok(DeskDay {
        center_id: center_id.to_string(),
        center_name: pick(
            lang,
            &ctx.center.name_kk,
            &ctx.center.name_ru,
            &ctx.center.name_en,
        ),
        date: date_s,
        rows: out,
        windows: numbers
            .iter()
            .map(|(id, n)| DeskWindow {
                id: id.to_string(),
                number: *n,
            })
            .collect(),
        services: svcs
            .iter()
            .filter(|s| !s.online_available)
            .map(|s| NamedItem {
                code: s.code.clone(),
                name: pick(lang, &s.name_kk, &s.name_ru, &s.name_en),
            })
            .collect(),
    })
}

/// The last calls at a center today, newest first (public: the hall
/// screen shows only ticket numbers and windows, no personal data).
pub async fn display(state: &Core, center: CenterId) -> Result<HallCalls, ServiceError> {
    let center_id = center.get();
    let ctx = load_center(&state.db, center_id).await?;
    let date = utc_to_local(ctx.tz, state.now())
        .date()
        .format("%Y-%m-%d")
        .to_string();
    let rows = bookings::Entity::find()
        .filter(bookings::Column::CenterId.eq(center_id))
        .filter(bookings::Column::LocalDate.eq(date))
        .filter(bookings::Column::CalledAt.is_not_null())
        .filter(bookings::Column::CalledWindow.is_not_null())
        .order_by_desc(bookings::Column::CalledAt)
        .order_by_desc(bookings::Column::Id)
        .limit(DISPLAY_CALLS)
        .all(&state.db)
        .await?;
    Ok(HallCalls {
        center_kk: ctx.center.name_kk.clone(),
        center_ru: ctx.center.name_ru.clone(),
        calls: rows
            .into_iter()
            .filter_map(|b| {
                Some(DisplayCall {
                    ticket: b.ticket.clone()?,
                    window: b.called_window?,
                    waiting: b.status == BookingStatus::Called.as_str(),
                })
            })
            .collect(),
    })
}
