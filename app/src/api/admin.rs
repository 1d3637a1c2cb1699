//! Center and system administration: server functions and wire types.
//!
//! Schedule editing (center admin of that center, or the administrator):
//! every change is first *previewed* — the server applies it inside a
//! transaction, lists the active bookings that would no longer fit (outside
//! the new hours, in a new break, on a window that no longer serves the
//! service, over a lowered cap) and rolls back. Applying a change that
//! leaves bookings out requires a decision (`move` or `cancel`) and a
//! reason sent to each citizen; without one the server refuses and nothing
//! changes. Never a silent drop.
//!
//! A change travels as JSON text (`change`), one [`ScheduleChange`].
use leptos::prelude::*;
#[allow(unused_imports)]
use serde::{Deserialize, Serialize};

pub use kezek_wire::admin::*;

use crate::api::error::AppError;
use crate::api::staff::{ClosureOutcome, DeskRow};

#[cfg(feature = "ssr")]
fn parse_change(s: &str, lang: crate::i18n::Lang) -> Result<ScheduleChange, AppError> {
    serde_json::from_str(s).map_err(|e| {
        crate::api::ctx::fail(
            crate::server::error::ServiceError::BadRequest(crate::server::error::json_arg(
                "change", &e,
            )),
            lang,
        )
    })
}

/// The schedule of a center (center admin; the administrator names it).
#[server(prefix = "/sfn", endpoint = "admin_schedule")]
pub async fn admin_schedule(
    #[server(default)] center_id: Option<i64>,
) -> Result<ScheduleView, AppError> {
    use crate::api::staff::guard;
    use crate::server::service::staff::Need;
    let (state, actor, center, lang) = guard::at_center(center_id, Need::CenterAdmin).await?;
    crate::server::service::admin::schedule::view(&state, &actor, center, lang)
        .await
        .map_err(|e| crate::api::ctx::fail(e, lang))
}

/// The active bookings a change would leave outside the schedule.
#[server(prefix = "/sfn", endpoint = "admin_schedule_preview")]
pub async fn admin_schedule_preview(
    change: String,
    #[server(default)] center_id: Option<i64>,
) -> Result<Vec<DeskRow>, AppError> {
    use crate::api::staff::guard;
    use crate::server::service::staff::Need;
    let (state, actor, center, lang) = guard::at_center(center_id, Need::CenterAdmin).await?;
    let change = parse_change(&change, lang)?;
    crate::server::service::admin::schedule::preview(&state, &actor, center, &change, lang)
        .await
        .map_err(|e| crate::api::ctx::fail(e, lang))
}

/// Applies a change; `decision` (`move` / `cancel`) and `reason` are
/// required when bookings would be left outside the schedule.
#[server(prefix = "/sfn", endpoint = "admin_schedule_apply")]
pub async fn admin_schedule_apply(
    change: String,
    #[server(default)] decision: String,
    #[server(default)] reason: String,
    #[server(default)] center_id: Option<i64>,
) -> Result<ClosureOutcome, AppError> {
    use crate::api::staff::guard;
    use crate::server::error::ServiceError;
    use crate::server::service::admin::closure::Decision;
    use crate::server::service::staff::Need;
    let (state, actor, center, lang) = guard::at_center(center_id, Need::CenterAdmin).await?;
    let change = parse_change(&change, lang)?;
    let decision = Decision::parse(decision.trim()).ok_or_else(|| {
        crate::api::ctx::fail(
            ServiceError::BadRequest(crate::domain::input::BadInput::OneOf {
                field: "decision",
                allowed: &["move", "cancel"],
            }),
            lang,
        )
    })?;
    crate::server::service::admin::schedule::apply(
        &state, &actor, center, &change, decision, &reason, lang,
    )
    .await
    .map_err(|e| crate::api::ctx::fail(e, lang))
}

// ---- The administrator: centers, services, policy, staff, national
// calendar, vehicle registry. ----

#[cfg(feature = "ssr")]
macro_rules! admin_fail {
    ($lang:expr) => {
        |e| crate::api::ctx::fail(e, $lang)
    };
}

#[cfg(feature = "ssr")]
async fn administrator() -> Result<
    (
        crate::server::Core,
        crate::server::service::staff::StaffActor,
        crate::i18n::Lang,
    ),
    AppError,
> {
    use crate::api::staff::guard;
    use crate::server::service::staff::{Need, require_role};
    let (state, p, lang) = guard::principal().await?;
    let actor = require_role(&p, Need::Administrator).map_err(admin_fail!(lang))?;
    Ok((state, actor, lang))
}

/// Every center, active or not (administrator).
#[server(prefix = "/sfn", endpoint = "admin_centers")]
pub async fn admin_centers() -> Result<Vec<CenterRow>, AppError> {
    let (state, _, lang) = administrator().await?;
    crate::server::service::admin::system::centers(&state, lang)
        .await
        .map_err(admin_fail!(lang))
}

/// Creates a center (JSON [`NewCenter`]); returns its id.
#[server(prefix = "/sfn", endpoint = "admin_center_create")]
pub async fn admin_center_create(center: String) -> Result<i64, AppError> {
    let (state, actor, lang) = administrator().await?;
    let center: NewCenter = serde_json::from_str(&center).map_err(|e| {
        crate::api::ctx::fail(
            crate::server::error::ServiceError::BadRequest(crate::server::error::json_arg(
                "center", &e,
            )),
            lang,
        )
    })?;
    crate::server::service::admin::system::create_center(&state, &actor, center)
        .await
        .map_err(admin_fail!(lang))
}

/// Opens or closes a center for booking.
#[server(prefix = "/sfn", endpoint = "admin_center_active")]
pub async fn admin_center_active(id: i64, active: bool) -> Result<(), AppError> {
    let (state, actor, lang) = administrator().await?;
    crate::server::service::admin::system::set_center_active(&state, &actor, id, active)
        .await
        .map_err(admin_fail!(lang))
}

/// Every service.
#[server(prefix = "/sfn", endpoint = "admin_services")]
pub async fn admin_services() -> Result<Vec<ServiceRow>, AppError> {
    let (state, _, lang) = administrator().await?;
    crate::server::service::admin::system::services(&state, lang)
        .await
        .map_err(admin_fail!(lang))
}

/// Changes a service's duration and whether it is bookable.
#[server(prefix = "/sfn", endpoint = "admin_service_save")]
pub async fn admin_service_save(
    code: String,
    duration_min: i32,
    #[server(default)] active: bool,
) -> Result<(), AppError> {
    let (state, actor, lang) = administrator().await?;
    crate::server::service::admin::system::save_service(&state, &actor, &code, duration_min, active)
        .await
        .map_err(admin_fail!(lang))
}

/// The policy values (JSON of `domain::policy::Policy`).
#[server(prefix = "/sfn", endpoint = "admin_policy")]
pub async fn admin_policy() -> Result<crate::domain::policy::Policy, AppError> {
    let (state, _, lang) = administrator().await?;
    crate::server::service::booking::schedule::load_policy(&state.db)
        .await
        .map_err(admin_fail!(lang))
}

/// Stores new policy values (JSON); they apply to actions from now on.
#[server(prefix = "/sfn", endpoint = "admin_policy_save")]
pub async fn admin_policy_save(policy: String) -> Result<(), AppError> {
    let (state, actor, lang) = administrator().await?;
    let policy: crate::domain::policy::Policy = serde_json::from_str(&policy).map_err(|e| {
        crate::api::ctx::fail(
            crate::server::error::ServiceError::BadRequest(crate::server::error::json_arg(
                "policy", &e,
            )),
            lang,
        )
    })?;
    crate::server::service::admin::system::save_policy(&state, &actor, &policy)
        .await
        .map_err(admin_fail!(lang))
}

/// Every staff account.
#[server(prefix = "/sfn", endpoint = "admin_staff")]
pub async fn admin_staff() -> Result<Vec<StaffRow>, AppError> {
    let (state, _, lang) = administrator().await?;
    crate::server::service::admin::system::staff(&state)
        .await
        .map_err(admin_fail!(lang))
}

/// Creates a staff account; returns its id.
#[server(prefix = "/sfn", endpoint = "admin_staff_create")]
pub async fn admin_staff_create(
    username: String,
    display_name: String,
    role: String,
    #[server(default)] center_id: Option<i64>,
    #[server(default)] window_number: Option<i32>,
    password: String,
) -> Result<i64, AppError> {
    let (state, actor, lang) = administrator().await?;
    crate::server::service::admin::system::create_staff(
        &state,
        &actor,
        crate::server::service::admin::system::NewStaff {
            username,
            display_name,
            role,
            center_id,
            window_number,
            password,
        },
    )
    .await
    .map_err(admin_fail!(lang))
}

/// Enables or disables a staff account (disabling ends its sessions).
#[server(prefix = "/sfn", endpoint = "admin_staff_active")]
pub async fn admin_staff_active(id: i64, active: bool) -> Result<(), AppError> {
    let (state, actor, lang) = administrator().await?;
    crate::server::service::admin::system::set_staff_active(&state, &actor, id, active)
        .await
        .map_err(admin_fail!(lang))
}

/// Sets a new password (ends the account's sessions).
#[server(prefix = "/sfn", endpoint = "admin_staff_password")]
pub async fn admin_staff_password(id: i64, password: String) -> Result<(), AppError> {
    let (state, actor, lang) = administrator().await?;
    crate::server::service::admin::system::set_staff_password(&state, &actor, id, &password)
        .await
        .map_err(admin_fail!(lang))
}

/// The national calendar of `year`.
#[server(prefix = "/sfn", endpoint = "admin_national")]
pub async fn admin_national(year: i32) -> Result<Vec<NationalDayRow>, AppError> {
    let (state, _, lang) = administrator().await?;
    crate::server::service::admin::system::national(&state, year)
        .await
        .map_err(admin_fail!(lang))
}

/// Adds or changes a national calendar entry (`kind` = `day_off` /
/// `working_day`) or removes it (`kind` = `remove`). A new day off with
/// bookings needs `decision` = `move` / `cancel` and a `reason`.
#[server(prefix = "/sfn", endpoint = "admin_national_save")]
pub async fn admin_national_save(
    date: String,
    kind: String,
    #[server(default)] name: String,
    #[server(default)] decision: String,
    #[server(default)] reason: String,
) -> Result<crate::api::staff::ClosureOutcome, AppError> {
    use crate::server::service::admin::closure::Decision;
    let (state, actor, lang) = administrator().await?;
    let decision = Decision::parse(decision.trim()).ok_or_else(|| {
        crate::api::ctx::fail(
            crate::server::error::ServiceError::BadRequest(crate::domain::input::BadInput::OneOf {
                field: "decision",
                allowed: &["move", "cancel"],
            }),
            lang,
        )
    })?;
    crate::server::service::admin::system::save_national(
        &state, &actor, &date, &kind, &name, decision, &reason,
    )
    .await
    .map_err(admin_fail!(lang))
}

/// The newest draws (administrator's tab).
#[server(prefix = "/sfn", endpoint = "admin_draws")]
pub async fn admin_draws() -> Result<Vec<kezek_wire::draws::DrawView>, AppError> {
    let (state, _, lang) = administrator().await?;
    crate::server::service::draws::views::list(&state, None, None)
        .await
        .map_err(admin_fail!(lang))
}

/// Opens an ad hoc draw at one center over `dates` (`YYYY-MM-DD`, comma-
/// or space-separated).
#[server(prefix = "/sfn", endpoint = "admin_open_draw")]
pub async fn admin_open_draw(
    center_id: i64,
    dates: String,
    window_minutes: i64,
) -> Result<kezek_wire::draws::DrawView, AppError> {
    use crate::server::error::ServiceError;
    let (state, _, lang) = administrator().await?;
    let mut days = Vec::new();
    for d in dates
        .split([',', ' ', ';'])
        .filter(|d| !d.trim().is_empty())
    {
        days.push(
            chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| {
                crate::api::ctx::fail(
                    ServiceError::BadRequest(crate::domain::input::BadInput::DateFormat {
                        field: "dates",
                    }),
                    lang,
                )
            })?,
        );
    }
    crate::server::service::draws::admin::create(&state, &[center_id], &days, Some(window_minutes))
        .await
        .map_err(admin_fail!(lang))
}

/// Sets a center's release mode (`first_come` or `draw`).
#[server(prefix = "/sfn", endpoint = "admin_set_release")]
pub async fn admin_set_release(
    center_id: i64,
    mode: String,
    release_time: String,
    window_minutes: i64,
) -> Result<kezek_wire::draws::ReleaseView, AppError> {
    let (state, _, lang) = administrator().await?;
    crate::server::service::draws::admin::set_release(
        &state,
        center_id,
        &mode,
        Some(&release_time),
        Some(window_minutes),
    )
    .await
    .map_err(admin_fail!(lang))
}

/// The notification backlog (administrator).
#[server(prefix = "/sfn", endpoint = "admin_outbox")]
pub async fn admin_outbox() -> Result<OutboxState, AppError> {
    let (state, _, lang) = administrator().await?;
    let h = crate::server::service::health::report(&state)
        .await
        .map_err(admin_fail!(lang))?;
    Ok(OutboxState {
        pending: h.outbox_pending,
        oldest_pending_secs: h.outbox_oldest_pending_secs,
        failed: h.outbox_failed,
        relocation_pending: h.relocation_backlog,
    })
}

/// The relocations of the last seven days' admin changes, newest first
/// (administrator).
#[server(prefix = "/sfn", endpoint = "admin_relocations")]
pub async fn admin_relocations() -> Result<Vec<RelocationRow>, AppError> {
    let (state, _, lang) = administrator().await?;
    let since = state.now().timestamp() - 7 * 86_400;
    crate::server::service::booking::relocation::recent_changes(&state, since, 20, lang)
        .await
        .map_err(admin_fail!(lang))
}

/// Queues every failed notification again; returns how many.
#[server(prefix = "/sfn", endpoint = "admin_outbox_requeue")]
pub async fn admin_outbox_requeue() -> Result<u64, AppError> {
    let (state, _, lang) = administrator().await?;
    crate::server::service::health::requeue_failed(&state)
        .await
        .map_err(admin_fail!(lang))
}

/// Imports the mobile-citizens registry from CSV text (`iin,phone`);
/// returns the number of pairs. `replace` empties the table first. A bad
/// line rejects the whole file.
#[server(prefix = "/sfn", endpoint = "admin_phones_import")]
pub async fn admin_phones_import(csv: String, replace: bool) -> Result<u32, AppError> {
    let (state, _, lang) = administrator().await?;
    crate::server::service::phones::import_csv(&state, &csv, replace)
        .await
        .map(|r| r.pairs)
        .map_err(admin_fail!(lang))
}

/// Imports the vehicle registry from CSV text (`plate,vin,owner_iin`);
/// returns the number of rows. A bad line rejects the whole file.
#[server(prefix = "/sfn", endpoint = "admin_vehicles_import")]
pub async fn admin_vehicles_import(csv: String) -> Result<u32, AppError> {
    let (state, _, lang) = administrator().await?;
    crate::server::service::vehicles::import_csv(&state, &csv)
        .await
        .map(|r| r.imported)
        .map_err(admin_fail!(lang))
}
