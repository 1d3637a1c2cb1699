//! Draws and the waiting list for the web app (DOMAIN.md R12, R13): the
//! citizen's requests and entries, requesting a time in a draw, joining
//! and leaving the list, and a draw's public record. Each server function
//! calls the same use case as the JSON API; the forms post without
//! WebAssembly and land back in the cabinet.
// A form posts one field per argument; the macro-generated code carries
// the same argument lists, so the allowance is module-wide.
#![allow(clippy::too_many_arguments)]
use leptos::prelude::*;

use crate::api::error::AppError;
use kezek_wire::draws::{DrawRequestView, DrawView, WaitEntryView};

/// The signed-in citizen's draw requests, newest first.
#[server(prefix = "/sfn", endpoint = "my_draw_requests")]
pub async fn my_draw_requests() -> Result<Vec<DrawRequestView>, AppError> {
    let (state, citizen_id, _, lang) = crate::api::bookings::citizen().await?;
    crate::server::service::draws::requests::list_mine(&state, citizen_id, lang)
        .await
        .map_err(|e| crate::api::ctx::fail(e, lang))
}

/// The signed-in citizen's waiting-list entries, newest first.
#[server(prefix = "/sfn", endpoint = "my_waitlist")]
pub async fn my_waitlist() -> Result<Vec<WaitEntryView>, AppError> {
    let (state, citizen_id, _, lang) = crate::api::bookings::citizen().await?;
    crate::server::service::waitlist::list_mine(&state, citizen_id, lang)
        .await
        .map_err(|e| crate::api::ctx::fail(e, lang))
}

/// Withdraws one of the citizen's requests while its draw is open.
#[server(prefix = "/sfn", endpoint = "withdraw_draw_request")]
pub async fn withdraw_draw_request(id: i64) -> Result<DrawRequestView, AppError> {
    let (state, citizen_id, _, lang) = crate::api::bookings::citizen().await?;
    crate::server::service::draws::requests::withdraw(&state, citizen_id, id, lang)
        .await
        .inspect(|_| leptos_axum::redirect("/my"))
        .map_err(|e| crate::api::ctx::fail(e, lang))
}

/// Leaves the waiting list.
#[server(prefix = "/sfn", endpoint = "leave_waitlist")]
pub async fn leave_waitlist(id: i64) -> Result<WaitEntryView, AppError> {
    let (state, citizen_id, _, lang) = crate::api::bookings::citizen().await?;
    crate::server::service::waitlist::leave(&state, citizen_id, id, lang)
        .await
        .inspect(|_| leptos_axum::redirect("/my"))
        .map_err(|e| crate::api::ctx::fail(e, lang))
}

/// Requests a time in a draw: up to five ranked choices of the form's rows
/// (a row without a date is left out).
#[server(prefix = "/sfn", endpoint = "request_in_draw")]
pub async fn request_in_draw(
    draw_id: i64,
    service: String,
    center_id: i64,
    date1: String,
    from1: Option<String>,
    to1: Option<String>,
    date2: Option<String>,
    from2: Option<String>,
    to2: Option<String>,
    date3: Option<String>,
    from3: Option<String>,
    to3: Option<String>,
    date4: Option<String>,
    from4: Option<String>,
    to4: Option<String>,
    date5: Option<String>,
    from5: Option<String>,
    to5: Option<String>,
    vehicle: Option<String>,
) -> Result<DrawRequestView, AppError> {
    use crate::server::service::draws::requests::{ChoiceInput, RequestInput, submit};
    let (state, citizen_id, iin, lang) = crate::api::bookings::citizen().await?;
    let rows = [
        (Some(date1), from1, to1),
        (date2, from2, to2),
        (date3, from3, to3),
        (date4, from4, to4),
        (date5, from5, to5),
    ];
    let choices = rows
        .into_iter()
        .filter_map(|(d, f, t)| {
            d.filter(|d| !d.trim().is_empty()).map(|date| ChoiceInput {
                center_id: Some(center_id),
                date,
                time_from: f,
                time_to: t,
            })
        })
        .collect();
    submit(
        &state,
        RequestInput {
            citizen_id,
            iin,
            draw_id,
            service,
            choices,
            vehicle,
        },
        lang,
    )
    .await
    .inspect(|_| leptos_axum::redirect("/my?requested=1"))
    .map_err(|e| crate::api::ctx::fail(e, lang))
}

/// Joins the waiting list for a service at a center.
#[server(prefix = "/sfn", endpoint = "join_waitlist")]
pub async fn join_waitlist(
    service: String,
    center_id: i64,
    from: String,
    to: String,
    time_from: Option<String>,
    time_to: Option<String>,
    booking_id: Option<i64>,
    vehicle: Option<String>,
) -> Result<WaitEntryView, AppError> {
    use crate::server::service::waitlist::{JoinInput, join};
    let (state, citizen_id, iin, lang) = crate::api::bookings::citizen().await?;
    join(
        &state,
        JoinInput {
            citizen_id,
            iin,
            service,
            center_id: Some(crate::domain::ids::CenterId::new(center_id)),
            city: None,
            from,
            to,
            time_from,
            time_to,
            booking_id,
            vehicle,
        },
        lang,
    )
    .await
    .inspect(|_| leptos_axum::redirect("/my?waiting=1"))
    .map_err(|e| crate::api::ctx::fail(e, lang))
}

/// A draw's public record (no sign-in).
#[server(prefix = "/sfn", endpoint = "public_draw")]
pub async fn public_draw(id: i64) -> Result<DrawView, AppError> {
    use crate::api::ctx;
    let state = ctx::state()?;
    let lang = ctx::lang_of(&ctx::headers().await);
    crate::server::service::draws::views::get(&state, id)
        .await
        .map_err(|e| ctx::fail(e, lang))
}
