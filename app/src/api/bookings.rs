//! Booking server functions for the web app. Each one: parse → authorize
//! (the citizen's session) → call the same use case as the JSON API.
use leptos::prelude::*;

use crate::api::error::AppError;
use crate::api::types::{BookingView, FreeSlot, Upcoming};

/// The signed-in citizen (their core, id, IIN and language), or
/// `unauthorized` / `forbidden`.
#[cfg(feature = "ssr")]
pub(crate) async fn citizen() -> Result<
    (
        crate::server::Core,
        crate::domain::ids::CitizenId,
        crate::domain::iin::Iin,
        crate::i18n::Lang,
    ),
    AppError,
> {
    use crate::api::ctx;
    use crate::server::error::ServiceError;
    use crate::server::service::auth::session::Principal;
    let state = ctx::state()?;
    let headers = ctx::headers().await;
    let lang = ctx::lang_of(&headers);
    match ctx::principal(&state, &headers).await {
        Ok(Principal::Citizen { id, iin }) => {
            let iin = crate::domain::iin::Iin::parse(&iin)
                .map_err(|_| ctx::fail(ServiceError::Unauthorized, lang))?;
            Ok((state, id, iin, lang))
        }
        Ok(_) => Err(ctx::fail(ServiceError::Forbidden, lang)),
        Err(_) => Err(ctx::fail(ServiceError::Unauthorized, lang)),
    }
}

/// Free starts for a service at a center between two dates (YYYY-MM-DD).
#[server(prefix = "/sfn", endpoint = "free_slots")]
pub async fn free_slots(
    center_id: i64,
    service: String,
    from: String,
    to: String,
) -> Result<Vec<FreeSlot>, AppError> {
    use crate::api::ctx;
    use crate::server::error::ServiceError;
    let state = ctx::state()?;
    let lang = ctx::lang_of(&ctx::headers().await);
    let parse = |s: &str, field: &'static str| {
        chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
            ctx::fail(
                ServiceError::BadRequest(crate::domain::input::BadInput::DateFormat { field }),
                lang,
            )
        })
    };
    let (from, to) = (parse(&from, "from")?, parse(&to, "to")?);
    crate::server::service::booking::availability::availability(
        &state,
        crate::domain::ids::CenterId::new(center_id),
        &service,
        from,
        to,
    )
    .await
    .map_err(|e| ctx::fail(e, lang))
}

/// Free starts from today to the end of the booking horizon.
#[server(prefix = "/sfn", endpoint = "upcoming_slots")]
pub async fn upcoming_slots(center_id: i64, service: String) -> Result<Upcoming, AppError> {
    use crate::api::ctx;
    let state = ctx::state()?;
    let lang = ctx::lang_of(&ctx::headers().await);
    let fail = |e| ctx::fail(e, lang);
    let ctx_c = state
        .read_cache
        .center(&state.db, center_id)
        .await
        .map_err(fail)?;
    let policy = state.read_cache.policy(&state.db).await.map_err(fail)?;
    let today = state.now().with_timezone(&ctx_c.tz).date_naive();
    let last = today + chrono::Days::new(u64::from(policy.horizon_days));
    let slots = crate::server::service::booking::availability::availability(
        &state,
        crate::domain::ids::CenterId::new(center_id),
        &service,
        today,
        last,
    )
    .await
    .map_err(fail)?;
    let draws =
        crate::server::service::draws::gate::open_draw_days(&state.db, center_id, today, last)
            .await
            .map_err(fail)?
            .into_iter()
            .map(|(d, id, closes)| crate::api::types::DrawDay {
                date: d.format("%Y-%m-%d").to_string(),
                draw_id: id.to_string(),
                closes_at: crate::server::service::booking::facts::rfc3339_in(ctx_c.tz, closes),
            })
            .collect();
    Ok(Upcoming {
        today: today.format("%Y-%m-%d").to_string(),
        last: last.format("%Y-%m-%d").to_string(),
        slots,
        draws,
    })
}

/// Books a visit for the signed-in citizen.
#[server(prefix = "/sfn", endpoint = "book_visit")]
pub async fn book_visit(
    center_id: i64,
    service: String,
    start: String,
    vehicle: Option<String>,
    idempotency_key: Option<String>,
) -> Result<BookingView, AppError> {
    use crate::server::service::booking::create::{BookInput, book};
    let (state, citizen_id, iin, lang) = citizen().await?;
    book(
        &state,
        BookInput {
            citizen_id,
            iin,
            center_id: crate::domain::ids::CenterId::new(center_id),
            service,
            start,
            vehicle,
            idempotency_key,
        },
        lang,
    )
    .await
    .map(|b| {
        leptos_axum::redirect(&format!("/my/{}?new=1", b.booking.id));
        b.booking
    })
    .map_err(|e| crate::api::ctx::fail(e, lang))
}

/// The signed-in citizen's bookings, newest first.
#[server(prefix = "/sfn", endpoint = "my_bookings")]
pub async fn my_bookings() -> Result<Vec<BookingView>, AppError> {
    let (state, citizen_id, _, lang) = citizen().await?;
    crate::server::service::booking::query::list_mine(&state.db, citizen_id, lang)
        .await
        .map_err(|e| crate::api::ctx::fail(e, lang))
}

/// One of the citizen's bookings with its history.
#[server(prefix = "/sfn", endpoint = "my_booking")]
pub async fn my_booking(id: i64) -> Result<BookingView, AppError> {
    use crate::server::service::booking::query::{explain_actions, get_one};
    let (state, citizen_id, _, lang) = citizen().await?;
    let mut view = get_one(
        &state.db,
        crate::domain::ids::BookingId::new(id),
        Some(citizen_id),
        lang,
    )
    .await
    .map_err(|e| crate::api::ctx::fail(e, lang))?;
    explain_actions(&state, &mut view, lang)
        .await
        .map_err(|e| crate::api::ctx::fail(e, lang))?;
    Ok(view)
}

/// Moves one of the citizen's bookings (R1).
#[server(prefix = "/sfn", endpoint = "reschedule_visit")]
pub async fn reschedule_visit(
    id: i64,
    start: String,
    center_id: Option<i64>,
) -> Result<BookingView, AppError> {
    use crate::server::service::booking::reschedule::{RescheduleInput, reschedule};
    let (state, citizen_id, _, lang) = citizen().await?;
    reschedule(
        &state,
        RescheduleInput {
            citizen_id,
            booking_id: crate::domain::ids::BookingId::new(id),
            start,
            center_id: center_id.map(crate::domain::ids::CenterId::new),
        },
        lang,
    )
    .await
    .inspect(|b| leptos_axum::redirect(&format!("/my/{}?moved=1", b.id)))
    .map_err(|e| crate::api::ctx::fail(e, lang))
}

/// Cancels one of the citizen's bookings (R2).
#[server(prefix = "/sfn", endpoint = "cancel_visit")]
pub async fn cancel_visit(id: i64) -> Result<BookingView, AppError> {
    use crate::server::service::booking::cancel::{Canceller, cancel};
    let (state, citizen_id, _, lang) = citizen().await?;
    cancel(
        &state,
        crate::domain::ids::BookingId::new(id),
        Canceller::Citizen(citizen_id),
        lang,
    )
    .await
    .inspect(|b| leptos_axum::redirect(&format!("/my/{}", b.id)))
    .map_err(|e| crate::api::ctx::fail(e, lang))
}
