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
#[allow(unused_imports)]
use serde::{Deserialize, Serialize};

pub use kezek_wire::staff::*;

use crate::api::error::AppError;
use crate::api::types::BookingView;

#[cfg(feature = "ssr")]
pub(crate) mod guard {
    use crate::api::ctx;
    use crate::api::error::AppError;
    use crate::domain::input::BadInput;
    use crate::i18n::Lang;
    use crate::server::Core;
    use crate::server::error::ServiceError;
    use crate::server::service::auth::session::Principal;
    use crate::server::service::staff::{Need, StaffActor, require_role, require_staff};

    /// The caller's state, principal and language; `unauthorized` without
    /// a valid session.
    pub async fn principal() -> Result<(Core, Principal, Lang), AppError> {
        let state = ctx::state()?;
        let headers = ctx::headers().await;
        let lang = ctx::lang_of(&headers);
        let p = ctx::principal(&state, &headers)
            .await
            .map_err(|_| ctx::fail(ServiceError::Unauthorized, lang))?;
        Ok((state, p, lang))
    }

    /// Any staff member (a citizen is `forbidden`).
    pub async fn staff() -> Result<(Core, StaffActor, Lang), AppError> {
        let (state, p, lang) = principal().await?;
        let actor = require_staff(&p).map_err(|e| ctx::fail(e, lang))?;
        Ok((state, actor, lang))
    }

    /// Staff allowed `need(center)` where the center is `requested` or the
    /// staff member's own (the administrator must name one).
    pub async fn at_center(
        requested: Option<i64>,
        need: fn(crate::domain::ids::CenterId) -> Need,
    ) -> Result<(Core, StaffActor, crate::domain::ids::CenterId, Lang), AppError> {
        let (state, p, lang) = principal().await?;
        let own = require_staff(&p).map_err(|e| ctx::fail(e, lang))?;
        let center = requested
            .map(crate::domain::ids::CenterId::new)
            .or(own.center_id)
            .ok_or_else(|| {
                ctx::fail(
                    ServiceError::BadRequest(BadInput::Required { field: "center_id" }),
                    lang,
                )
            })?;
        let actor = require_role(&p, need(center)).map_err(|e| ctx::fail(e, lang))?;
        Ok((state, actor, center, lang))
    }

    /// A `YYYY-MM-DD` argument named `field`.
    pub fn date(s: &str, field: &'static str, lang: Lang) -> Result<chrono::NaiveDate, AppError> {
        chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
            ctx::fail(
                ServiceError::BadRequest(BadInput::DateFormat { field }),
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
    let meta = ctx::session_meta(&state).await;
    let signed = crate::server::service::staff::staff_login(&state, &username, &password, &meta)
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
    let me = crate::server::service::staff::me(
        &state,
        &Principal::Staff {
            id: signed.staff_id,
            role: signed.role,
            center_id: signed.center_id.map(crate::domain::ids::CenterId::new),
            window_id: signed.window_id.map(crate::domain::ids::WindowId::new),
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
    crate::api::ctx::end_session_and_redirect("/staff/sign-in").await
}

/// The signed-in staff member (`unauthorized` when the session is missing
/// or expired, `forbidden` for a citizen).
#[server(prefix = "/sfn", endpoint = "staff_me")]
pub async fn staff_me() -> Result<StaffInfo, AppError> {
    let (state, p, lang) = guard::principal().await?;
    crate::server::service::staff::me(&state, &p, lang)
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
            iin_masked: c.iin_masked,
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
            iin_masked: None,
        })
        .map_err(|e| crate::api::ctx::fail(e, lang))
}

/// Marks (or unmarks) a waiting visitor as a priority visitor.
#[server(prefix = "/sfn", endpoint = "staff_priority")]
pub async fn staff_priority(id: i64, on: bool) -> Result<BookingView, AppError> {
    let (state, actor, lang) = guard::staff().await?;
    crate::server::service::desk::priority::set_priority(
        &state,
        &actor,
        crate::domain::ids::BookingId::new(id),
        on,
        lang,
    )
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
    let window = window_id
        .map(crate::domain::ids::WindowId::new)
        .or(actor.window_id)
        .ok_or_else(|| {
            crate::api::ctx::fail(
                ServiceError::BadRequest(crate::domain::input::BadInput::Required {
                    field: "window_id",
                }),
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
    let id = crate::domain::ids::BookingId::new(id);
    let r = match action.as_str() {
        "start" => desk::start(&state, &actor, id, lang).await,
        "served" => desk::served(&state, &actor, id, lang).await,
        "no_show" => desk::no_show(&state, &actor, id, lang).await,
        "recall" => desk::recall::recall(&state, &actor, id, lang).await,
        _ => Err(ServiceError::BadRequest(
            crate::domain::input::BadInput::OneOf {
                field: "action",
                allowed: &["start", "served", "no_show", "recall"],
            },
        )),
    };
    r.map_err(|e| crate::api::ctx::fail(e, lang))
}

/// The hall display of a center (no sign-in: ticket numbers and windows
/// only).
#[server(prefix = "/sfn", endpoint = "hall_board")]
pub async fn hall_board(center_id: i64) -> Result<HallCalls, AppError> {
    use crate::api::ctx;
    let state = ctx::state()?;
    let lang = ctx::lang_of(&ctx::headers().await);
    crate::server::service::desk::board::display(
        &state,
        crate::domain::ids::CenterId::new(center_id),
    )
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
    let date = guard::date(&date, "date", lang)?;
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
    let date = guard::date(&date, "date", lang)?;
    let decision = Decision::parse(decision.trim()).ok_or_else(|| {
        crate::api::ctx::fail(
            ServiceError::BadRequest(crate::domain::input::BadInput::OneOf {
                field: "decision",
                allowed: &["move", "cancel"],
            }),
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
    // No range asked: the last 30 days, today included.
    let (from, to) = if from.trim().is_empty() && to.trim().is_empty() {
        crate::server::service::reports::last_days(&state, 30)
    } else {
        (
            guard::date(&from, "from", lang)?,
            guard::date(&to, "to", lang)?,
        )
    };
    crate::server::service::reports::center_report(&state, &actor, center, from, to, lang)
        .await
        .map_err(|e| crate::api::ctx::fail(e, lang))
}
