//! Staff server functions (sign-in, the operator console, the hall display,
//! closures, reports) and their wire types.
//!
//! Every function except [`display_board`] checks the session on the
//! server: no or expired session → `unauthorized` (401), a citizen →
//! `forbidden` (403), staff of another center or without the role →
//! `forbidden`. The role is checked here with `staff::require_role` when the
//! center is known up front, and again by the use case (which knows the
//! booking's or window's center). The UI hiding a button is never the check.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::error::AppError;
use crate::api::types::BookingView;

/// The signed-in staff member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffInfo {
    pub id: String,
    pub username: String,
    pub display_name: String,
    /// `operator`, `center_admin` or `administrator`.
    pub role: String,
    pub center_id: Option<String>,
    pub center_name: Option<String>,
    pub window_id: Option<String>,
    pub window_number: Option<i32>,
}

/// One booking in the console's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskRow {
    pub id: String,
    pub code: String,
    pub ticket: Option<String>,
    pub status: String,
    /// RFC 3339 in the center's offset.
    pub start: String,
    pub service: String,
    pub service_name: String,
    /// The window assigned at booking.
    pub window: Option<i32>,
    pub called_window: Option<i32>,
    pub priority: bool,
    pub walk_in: bool,
}

/// A window of the center.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskWindow {
    pub id: String,
    pub number: i32,
}

/// A code with a name in the caller's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedItem {
    pub code: String,
    pub name: String,
}

/// Today at a center, for the operator console.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskDay {
    pub center_id: String,
    pub center_name: String,
    /// `YYYY-MM-DD`, center-local.
    pub date: String,
    /// Open visits first (called, in service, waiting), then the rest.
    pub rows: Vec<DeskRow>,
    pub windows: Vec<DeskWindow>,
    /// Services a walk-in ticket may be issued for.
    pub services: Vec<NamedItem>,
}

/// A ticket just issued (check-in or walk-in).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketIssued {
    pub booking_id: String,
    pub ticket: String,
    pub walk_in: bool,
}

/// One call on the hall display.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayCall {
    pub ticket: String,
    pub window: i32,
    /// Still called (not yet at the window).
    pub waiting: bool,
}

/// The hall display: the last calls, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HallCalls {
    pub center_kk: String,
    pub center_ru: String,
    pub calls: Vec<DisplayCall>,
}

/// What closing a day did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosureOutcome {
    /// (booking id, new start RFC 3339)
    pub moved: Vec<(String, String)>,
    pub cancelled: Vec<String>,
}

/// One day (or the total) of a report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportDay {
    /// `YYYY-MM-DD`, or `total`.
    pub date: String,
    pub bookings: u32,
    pub cancelled: u32,
    pub check_ins: u32,
    pub no_shows: u32,
    pub walk_ins: u32,
    pub served: u32,
    /// Average seconds from check-in to call.
    pub avg_wait_s: Option<i64>,
    /// Average seconds from start to end of service.
    pub avg_service_s: Option<i64>,
    pub booked_slots: u32,
    pub capacity_slots: u32,
}

impl ReportDay {
    /// No-shows per booking, in percent (one decimal), if any bookings.
    pub fn no_show_pct(&self) -> Option<f64> {
        (self.bookings > 0)
            .then(|| (f64::from(self.no_shows) * 1000.0 / f64::from(self.bookings)).round() / 10.0)
    }

    /// Booked slots per offered slot, in percent (one decimal).
    pub fn utilization_pct(&self) -> Option<f64> {
        (self.capacity_slots > 0).then(|| {
            (f64::from(self.booked_slots) * 1000.0 / f64::from(self.capacity_slots)).round() / 10.0
        })
    }
}

/// A center's report over a date range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub center_id: String,
    pub center_name: String,
    pub from: String,
    pub to: String,
    pub days: Vec<ReportDay>,
    pub total: ReportDay,
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

impl Report {
    /// The report as CSV (RFC 4180, comma, header line, one line per day
    /// and a `total` line; minutes with one decimal).
    pub fn to_csv(&self) -> String {
        let mins = |s: Option<i64>| s.map(|s| format!("{:.1}", s as f64 / 60.0));
        let mut out = String::from(
            "date,bookings,cancelled,check_ins,no_shows,no_show_pct,walk_ins,served,\
             avg_wait_min,avg_service_min,booked_slots,capacity_slots,utilization_pct\r\n",
        );
        for d in self.days.iter().chain(std::iter::once(&self.total)) {
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n",
                d.date,
                d.bookings,
                d.cancelled,
                d.check_ins,
                d.no_shows,
                opt(d.no_show_pct()),
                d.walk_ins,
                d.served,
                opt(mins(d.avg_wait_s)),
                opt(mins(d.avg_service_s)),
                d.booked_slots,
                d.capacity_slots,
                opt(d.utilization_pct()),
            ));
        }
        out
    }
}

#[cfg(feature = "ssr")]
pub(crate) mod guard {
    use crate::api::ctx;
    use crate::api::error::AppError;
    use crate::i18n::Lang;
    use crate::server::error::ServiceError;
    use crate::server::service::auth::session::Principal;
    use crate::server::service::staff::{Need, StaffActor, require_role, require_staff};
    use crate::server::state::AppState;

    /// The caller's state, principal and language; `unauthorized` without
    /// a valid session.
    pub async fn principal() -> Result<(AppState, Principal, Lang), AppError> {
        let state = ctx::state()?;
        let headers = ctx::headers().await;
        let lang = ctx::lang_of(&headers);
        let p = ctx::principal(&state, &headers)
            .await
            .map_err(|_| ctx::fail(ServiceError::Unauthorized, lang))?;
        Ok((state, p, lang))
    }

    /// Any staff member (a citizen is `forbidden`).
    pub async fn staff() -> Result<(AppState, StaffActor, Lang), AppError> {
        let (state, p, lang) = principal().await?;
        let actor = require_staff(&p).map_err(|e| ctx::fail(e, lang))?;
        Ok((state, actor, lang))
    }

    /// Staff allowed `need(center)` where the center is `requested` or the
    /// staff member's own (the administrator must name one).
    pub async fn at_center(
        requested: Option<i64>,
        need: fn(i64) -> Need,
    ) -> Result<(AppState, StaffActor, i64, Lang), AppError> {
        let (state, p, lang) = principal().await?;
        let own = require_staff(&p).map_err(|e| ctx::fail(e, lang))?;
        let center = requested.or(own.center_id).ok_or_else(|| {
            ctx::fail(
                ServiceError::BadRequest("center_id is required".into()),
                lang,
            )
        })?;
        let actor = require_role(&p, need(center)).map_err(|e| ctx::fail(e, lang))?;
        Ok((state, actor, center, lang))
    }

    pub fn date(s: &str, lang: Lang) -> Result<chrono::NaiveDate, AppError> {
        chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
            ctx::fail(
                ServiceError::BadRequest("dates are YYYY-MM-DD".into()),
                lang,
            )
        })
    }
}

/// Staff sign-in: sets the session cookie and goes to the console.
#[server(prefix = "/sfn", endpoint = "staff_sign_in")]
pub async fn staff_sign_in(username: String, password: String) -> Result<StaffInfo, AppError> {
    use crate::api::ctx;
    use crate::server::service::auth::session::Principal;
    let state = ctx::state()?;
    let headers = ctx::headers().await;
    let lang = ctx::lang_of(&headers);
    let signed = crate::server::service::staff::staff_login(&state, &username, &password)
        .await
        .map_err(|e| ctx::fail(e, lang))?;
    ctx::set_response_header(
        axum::http::header::SET_COOKIE,
        &ctx::session_cookie(
            &signed.token,
            state.config.session_ttl_secs,
            state.config.secure_cookies,
        ),
    );
    let me = me_of(
        &state,
        &Principal::Staff {
            id: signed.staff_id,
            role: signed.role,
            center_id: signed.center_id,
            window_id: signed.window_id,
        },
        lang,
    )
    .await
    .map_err(|e| ctx::fail(e, lang))?;
    let home = match signed.role {
        crate::server::service::staff::StaffRole::Operator => "/staff",
        crate::server::service::staff::StaffRole::CenterAdmin => "/staff/center",
        crate::server::service::staff::StaffRole::Administrator => "/staff/admin",
    };
    leptos_axum::redirect(home);
    Ok(me)
}

/// Ends the staff session and clears the cookie.
#[server(prefix = "/sfn", endpoint = "staff_sign_out")]
pub async fn staff_sign_out() -> Result<(), AppError> {
    use crate::api::ctx;
    let state = ctx::state()?;
    let headers = ctx::headers().await;
    let lang = ctx::lang_of(&headers);
    if let Some(token) = ctx::token_of(&headers) {
        crate::server::service::auth::session::end_session(&state.db, &token)
            .await
            .map_err(|e| ctx::fail(e, lang))?;
    }
    ctx::set_response_header(
        axum::http::header::SET_COOKIE,
        &ctx::session_cookie("", 0, state.config.secure_cookies),
    );
    leptos_axum::redirect("/staff/sign-in");
    Ok(())
}

#[cfg(feature = "ssr")]
async fn me_of(
    state: &crate::server::state::AppState,
    p: &crate::server::service::auth::session::Principal,
    lang: crate::i18n::Lang,
) -> Result<StaffInfo, crate::server::error::ServiceError> {
    use crate::server::entity::{centers, staff, windows};
    use crate::server::error::ServiceError;
    use sea_orm::EntityTrait;
    let actor = crate::server::service::staff::require_staff(p)?;
    let row = staff::Entity::find_by_id(actor.id)
        .one(&state.db)
        .await?
        .ok_or(ServiceError::Unauthorized)?;
    let center_name = match actor.center_id {
        Some(c) => centers::Entity::find_by_id(c)
            .one(&state.db)
            .await?
            .map(|c| match lang {
                crate::i18n::Lang::Kk => c.name_kk,
                crate::i18n::Lang::Ru => c.name_ru,
                crate::i18n::Lang::En => c.name_en,
            }),
        None => None,
    };
    let window_number = match actor.window_id {
        Some(w) => windows::Entity::find_by_id(w)
            .one(&state.db)
            .await?
            .map(|w| w.number),
        None => None,
    };
    Ok(StaffInfo {
        id: actor.id.to_string(),
        username: row.username,
        display_name: row.display_name,
        role: actor.role.as_str().to_owned(),
        center_id: actor.center_id.map(|c| c.to_string()),
        center_name,
        window_id: actor.window_id.map(|w| w.to_string()),
        window_number,
    })
}

/// The signed-in staff member (`unauthorized` when the session is missing
/// or expired, `forbidden` for a citizen).
#[server(prefix = "/sfn", endpoint = "staff_me")]
pub async fn staff_me() -> Result<StaffInfo, AppError> {
    let (state, p, lang) = guard::principal().await?;
    me_of(&state, &p, lang)
        .await
        .map_err(|e| crate::api::ctx::fail(e, lang))
}

/// Today's bookings at the caller's center (the administrator names one).
#[server(prefix = "/sfn", endpoint = "staff_today")]
pub async fn staff_today(#[server(default)] center_id: Option<i64>) -> Result<DeskDay, AppError> {
    use crate::server::service::staff::Need;
    let (state, actor, center, lang) = guard::at_center(center_id, Need::Operator).await?;
    crate::server::service::desk::board::today(&state, &actor, center, lang)
        .await
        .map_err(|e| crate::api::ctx::fail(e, lang))
}

/// Checks a booked visitor in by booking code; the ticket.
#[server(prefix = "/sfn", endpoint = "staff_check_in")]
pub async fn staff_check_in(code: String) -> Result<TicketIssued, AppError> {
    let (state, actor, lang) = guard::staff().await?;
    crate::server::service::desk::check_in(&state, &actor, &code)
        .await
        .map(|c| TicketIssued {
            booking_id: c.booking_id.to_string(),
            ticket: c.ticket,
            walk_in: false,
        })
        .map_err(|e| crate::api::ctx::fail(e, lang))
}

/// Issues a walk-in ticket at the caller's center (`priority` is a
/// checkbox: present = on).
#[server(prefix = "/sfn", endpoint = "staff_walk_in")]
pub async fn staff_walk_in(
    service: String,
    #[server(default)] priority: Option<String>,
    #[server(default)] center_id: Option<i64>,
) -> Result<TicketIssued, AppError> {
    use crate::server::service::staff::Need;
    let (state, actor, center, lang) = guard::at_center(center_id, Need::Operator).await?;
    let priority = priority.is_some_and(|p| !p.is_empty() && p != "false");
    crate::server::service::desk::walk_in(&state, &actor, center, &service, priority)
        .await
        .map(|c| TicketIssued {
            booking_id: c.booking_id.to_string(),
            ticket: c.ticket,
            walk_in: true,
        })
        .map_err(|e| crate::api::ctx::fail(e, lang))
}

/// Marks (or unmarks) a waiting visitor as a priority visitor.
#[server(prefix = "/sfn", endpoint = "staff_priority")]
pub async fn staff_priority(id: i64, on: bool) -> Result<BookingView, AppError> {
    let (state, actor, lang) = guard::staff().await?;
    crate::server::service::desk::priority::set_priority(&state, &actor, id, on, lang)
        .await
        .map_err(|e| crate::api::ctx::fail(e, lang))
}

/// Calls the next visitor to a window (default: the operator's own);
/// `None` when nobody waits.
#[server(prefix = "/sfn", endpoint = "staff_call_next")]
pub async fn staff_call_next(
    #[server(default)] window_id: Option<i64>,
) -> Result<Option<BookingView>, AppError> {
    use crate::server::error::ServiceError;
    let (state, actor, lang) = guard::staff().await?;
    let window = window_id.or(actor.window_id).ok_or_else(|| {
        crate::api::ctx::fail(
            ServiceError::BadRequest("window_id is required".into()),
            lang,
        )
    })?;
    crate::server::service::desk::call_next(&state, &actor, window, lang)
        .await
        .map_err(|e| crate::api::ctx::fail(e, lang))
}

/// A step on a visit: `start`, `served`, `no_show` or `recall`.
#[server(prefix = "/sfn", endpoint = "staff_step")]
pub async fn staff_step(id: i64, action: String) -> Result<BookingView, AppError> {
    use crate::server::error::ServiceError;
    use crate::server::service::desk;
    let (state, actor, lang) = guard::staff().await?;
    let r = match action.as_str() {
        "start" => desk::start(&state, &actor, id, lang).await,
        "served" => desk::served(&state, &actor, id, lang).await,
        "no_show" => desk::no_show(&state, &actor, id, lang).await,
        "recall" => desk::recall::recall(&state, &actor, id, lang).await,
        _ => Err(ServiceError::BadRequest("unknown action".into())),
    };
    r.map_err(|e| crate::api::ctx::fail(e, lang))
}

/// The hall display of a center (no sign-in: ticket numbers and windows
/// only).
#[server(prefix = "/sfn", endpoint = "display_board")]
pub async fn hall_board(center_id: i64) -> Result<HallCalls, AppError> {
    use crate::api::ctx;
    let state = ctx::state()?;
    let lang = ctx::lang_of(&ctx::headers().await);
    crate::server::service::desk::board::display(&state, center_id)
        .await
        .map_err(|e| ctx::fail(e, lang))
}

/// The bookings a closure of `date` would affect (center admin).
#[server(prefix = "/sfn", endpoint = "staff_closure_preview")]
pub async fn staff_closure_preview(
    date: String,
    #[server(default)] center_id: Option<i64>,
) -> Result<Vec<DeskRow>, AppError> {
    use crate::server::service::staff::Need;
    let (state, actor, center, lang) = guard::at_center(center_id, Need::CenterAdmin).await?;
    let date = guard::date(&date, lang)?;
    crate::server::service::admin::closure::preview(&state, &actor, center, date)
        .await
        .map_err(|e| crate::api::ctx::fail(e, lang))
}

/// Closes `date`: `decision` = `move` or `cancel` (required when the day
/// has bookings), with a reason sent to the citizens.
#[server(prefix = "/sfn", endpoint = "staff_close_day")]
pub async fn staff_close_day(
    date: String,
    reason: String,
    #[server(default)] decision: String,
    #[server(default)] center_id: Option<i64>,
) -> Result<ClosureOutcome, AppError> {
    use crate::server::error::ServiceError;
    use crate::server::service::admin::closure::{Decision, close};
    use crate::server::service::staff::Need;
    let (state, actor, center, lang) = guard::at_center(center_id, Need::CenterAdmin).await?;
    let date = guard::date(&date, lang)?;
    let decision = Decision::parse(decision.trim()).ok_or_else(|| {
        crate::api::ctx::fail(
            ServiceError::BadRequest("decision: move or cancel".into()),
            lang,
        )
    })?;
    close(&state, &actor, center, date, &reason, decision, lang)
        .await
        .map_err(|e| crate::api::ctx::fail(e, lang))
}

/// The report of a center over `[from, to]` (center admin).
#[server(prefix = "/sfn", endpoint = "staff_report")]
pub async fn staff_report(
    from: String,
    to: String,
    #[server(default)] center_id: Option<i64>,
) -> Result<Report, AppError> {
    use crate::server::service::staff::Need;
    let (state, actor, center, lang) = guard::at_center(center_id, Need::CenterAdmin).await?;
    let (from, to) = (guard::date(&from, lang)?, guard::date(&to, lang)?);
    crate::server::service::reports::center_report(&state, &actor, center, from, to, lang)
        .await
        .map_err(|e| crate::api::ctx::fail(e, lang))
}
