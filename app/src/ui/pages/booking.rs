//! One booking: code, QR, time and place, live status with history, and the
//! actions the rules still allow (reschedule, cancel with confirmation) —
//! or the rule's explanation when they don't.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::bookings::{CancelVisit, my_booking};
use crate::api::catalog::booking_qr;
use crate::i18n::ui::{T, status};
use crate::ui::components::when::long;
use crate::ui::lang::{t, use_lang};
use crate::ui::live::live;
use crate::ui::pages::my::MY_STREAM;
use crate::ui::resource::resource;

#[component]
pub fn BookingPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let cancel = ServerAction::<CancelVisit>::new();
    // Refetched after a cancel (the page URL may stay the same).
    let booking = resource(
        move || (id(), cancel.version().get()),
        |(id, _)| my_booking(id),
    );
    live(booking, || Some(MY_STREAM.to_owned()), 15);
    let is_new = move || query.read().get("new").is_some();
    let moved = move || query.read().get("moved").is_some();
    let confirm_cancel = move || query.read().get("confirm").as_deref() == Some("cancel");

    view! {
        <section class="card">
            <Suspense fallback=|| view! { <p aria-busy="true">{t(T::Loading)}</p> }>
                {move || {
                    booking
                        .get()
                        .map(|r| match r {
                            Err(e) if e.error == "unauthorized" => {
                                view! {
                                    <p>
                                        <a class="button primary" href=format!("/sign-in?next=/my/{}", id())>{t(T::SignIn)}</a>
                                    </p>
                                }
                                    .into_any()
                            }
                            Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                            Ok(b) => {
                                let qr = resource({
                                    let code = b.code.clone();
                                    move || code.clone()
                                }, booking_qr);
                                let history = b.history.clone().unwrap_or_default();
                                let active = b.status == "Booked";
                                let resched_href = format!(
                                    "/book?kind={}&service={}&center={}&reschedule={}",
                                    b.center_kind, b.service, b.center_id, b.id
                                );
                                view! {
                                    {is_new().then(|| view! { <p class="success banner" role="status" data-testid="booked-banner">{t(T::Booked)}</p> })}
                                    {moved().then(|| view! { <p class="success banner" role="status">{t(T::Rescheduled)}</p> })}
                                    <h1>{b.service_name.clone()}</h1>
                                    <div class="ticket">
                                        <div>
                                            <p class="label">{t(T::BookingCode)}</p>
                                            <p class="code" data-testid="booking-code">{b.code.clone()}</p>
                                            <p>
                                                <span class=format!("status st-{}", b.status.to_lowercase()) data-testid="status">
                                                    {status(&b.status, lang)}
                                                </span>
                                            </p>
                                        </div>
                                        <Suspense fallback=|| ()>
                                            {move || qr.get().and_then(Result::ok).map(|svg| view! { <div class="qr" aria-hidden="true" inner_html=svg></div> })}
                                        </Suspense>
                                    </div>
                                    <dl class="summary">
                                        <dt>{t(T::DateTime)}</dt>
                                        <dd data-testid="when">{long(&b.start, lang)}</dd>
                                        <dt>{t(T::Center)}</dt>
                                        <dd>{b.center_name.clone()}</dd>
                                        <dt>{t(T::Address)}</dt>
                                        <dd>{b.center_address.clone()}</dd>
                                        {b.window.map(|w| view! { <dt>{t(T::Window)}</dt><dd>{w}</dd> })}
                                        {b.ticket.clone().map(|tk| view! { <dt>{t(T::Ticket)}</dt><dd>{tk}</dd> })}
                                        {b.vehicle.clone().map(|v| view! { <dt>{t(T::Vehicle)}</dt><dd>{v}</dd> })}
                                    </dl>
                                    {active.then(|| view! { <p class="note">{t(T::WhatToBring)}</p> })}
                                    <p>
                                        <a class="button" href=format!("/my/{}/booking.ics", b.id) rel="external" download="kezek.ics">
                                            {t(T::AddToCalendar)}
                                        </a>
                                    </p>
                                    {active
                                        .then(|| {
                                            view! {
                                                <div class="actions">
                                                    {match b.reschedule_blocked.clone() {
                                                        None => view! { <a class="button" href=resched_href.clone() data-testid="reschedule">{t(T::Reschedule)}</a> }.into_any(),
                                                        Some(why) => view! { <p class="note" data-testid="reschedule-blocked">{why}</p> }.into_any(),
                                                    }}
                                                    {match b.cancel_blocked.clone() {
                                                        Some(why) => view! { <p class="note">{why}</p> }.into_any(),
                                                        None if confirm_cancel() => {
                                                            view! {
                                                                <div class="warning" role="alertdialog" aria-labelledby="cancel-q">
                                                                    <p id="cancel-q">{t(T::CancelSure)}</p>
                                                                    <ActionForm action=cancel attr:class="row">
                                                                        <input type="hidden" name="id" value=b.id.clone()/>
                                                                        <button type="submit" class="button danger" data-testid="cancel-yes">{t(T::YesCancel)}</button>
                                                                        <a class="button" href=format!("/my/{}", b.id)>{t(T::Keep)}</a>
                                                                    </ActionForm>
                                                                </div>
                                                            }
                                                                .into_any()
                                                        }
                                                        None => view! { <a class="button danger" href=format!("/my/{}?confirm=cancel", b.id) data-testid="cancel">{t(T::Cancel)}</a> }.into_any(),
                                                    }}
                                                </div>
                                            }
                                        })}
                                    <h2>{t(T::History)}</h2>
                                    <ol class="history" data-testid="history">
                                        {history
                                            .into_iter()
                                            .map(|h| {
                                                view! {
                                                    <li>
                                                        <strong>{status(&h.status, lang)}</strong>
                                                        " · "
                                                        <span>{long(&h.at, lang)}</span>
                                                        {h.note.map(|n| view! { " · " <small>{n}</small> })}
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ol>
                                    <p>
                                        <a href="/my">{"← "}{t(T::MyBookings)}</a>
                                    </p>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Suspense>
            {move || cancel.value().get().and_then(Result::err).map(|e| view! { <p class="error" role="alert">{e.message}</p> })}
        </section>
    }
}
