//! The personal cabinet: the citizen's bookings with their live status.
use leptos::prelude::*;

use crate::api::auth::{ChooseWhatsapp, EndOtherSessions, my_account, my_sessions};
use crate::api::bookings::my_bookings;
use crate::i18n::ui::{T, status};
use crate::ui::components::when::long;
use crate::ui::lang::{t, use_lang};
use crate::ui::live::live;
use crate::ui::resource::resource;

/// The signed-in citizen's live stream (bookings, draw requests, waiting
/// entries).
pub const MY_STREAM: &str = "/live/my";

#[component]
pub fn MyBookings() -> impl IntoView {
    let lang = use_lang();
    let query = leptos_router::hooks::use_query_map();
    let list = resource(|| (), |_| my_bookings());
    live(list, || Some(MY_STREAM.to_owned()), 15);
    let choose = ServerAction::<ChooseWhatsapp>::new();
    let account = resource(move || choose.version().get(), |_| my_account());
    view! {
        <section class="card">
            <h1>{t(T::MyBookings)}</h1>
            <p class="note">{t(T::LiveStatus)}</p>
            {move || {
                let q = query.read();
                if q.get("requested").is_some() {
                    Some(view! { <p class="success" role="status">{t(T::Requested)}</p> }.into_any())
                } else if q.get("waiting").is_some() {
                    Some(view! { <p class="success" role="status">{t(T::WaitingJoined)}</p> }.into_any())
                } else {
                    None
                }
            }}
            <Suspense fallback=|| ()>
                {move || account.get().and_then(Result::ok).flatten().map(|a| {
                    // Offered when this deployment sends WhatsApp; turning
                    // it off stays possible whatever happens.
                    let has_phone = a.notice_phone.is_some() && (a.whatsapp_offered || a.whatsapp);
                    let channel = match (a.whatsapp, a.telegram) {
                        (true, true) => "WhatsApp, Telegram",
                        (true, false) => "WhatsApp",
                        (false, true) => "SMS, Telegram",
                        (false, false) => "SMS",
                    };
                    view! {
                        <div data-testid="notices">
                            <p class="note" data-testid="notice-phone">
                                {t(T::NoticesGoTo)} ": "
                                <strong class="nowrap">{a.notice_phone.unwrap_or_else(|| "—".to_owned())}</strong>
                                " · " {t(T::NoticesBy)} ": "
                                <strong data-testid="notice-channel">{channel}</strong>
                            </p>
                            {has_phone.then(|| view! {
                                <leptos::form::ActionForm action=choose attr:class="inline">
                                    <input type="hidden" name="enabled" value=if a.whatsapp { "false" } else { "true" }/>
                                    <button type="submit" class="button" data-testid="whatsapp-toggle">
                                        {if a.whatsapp { t(T::WhatsAppOff) } else { t(T::WhatsAppOn) }}
                                    </button>
                                </leptos::form::ActionForm>
                                <p class="note">{t(T::WhatsAppNote)}</p>
                            })}
                        </div>
                    }
                })}
            </Suspense>
            <Suspense fallback=|| view! { <p aria-busy="true">{t(T::Loading)}</p> }>
                {move || {
                    list.get()
                        .map(|r| match r {
                            Err(e) if e.error == "unauthorized" => {
                                view! {
                                    <p>
                                        <a class="button primary" href="/sign-in?next=/my">{t(T::SignIn)}</a>
                                    </p>
                                }
                                    .into_any()
                            }
                            Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                            Ok(items) if items.is_empty() => {
                                view! {
                                    <p class="empty">{t(T::NoBookings)}</p>
                                    <a class="button primary" href="/book">{t(T::StartBooking)}</a>
                                }
                                    .into_any()
                            }
                            Ok(items) => {
                                view! {
                                    <ul class="list bookings">
                                        {items
                                            .into_iter()
                                            .map(|b| {
                                                view! {
                                                    <li>
                                                        <a class="item" href=format!("/my/{}", b.id) data-testid=format!("booking-{}", b.code)>
                                                            <span class=format!("status st-{}", b.status.to_lowercase()) data-testid="status">
                                                                {status(&b.status, lang)}
                                                            </span>
                                                            <strong>{b.service_name.clone()}</strong>
                                                            <span>{long(&b.start, lang)}</span>
                                                            <small class="note">{b.center_name.clone()} " · " {b.code.clone()}</small>
                                                        </a>
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Suspense>
        </section>
        <FairAccess/>
        <Sessions/>
    }
}

/// The citizen's sessions ("signed in on … from …") and "end all others".
#[component]
fn Sessions() -> impl IntoView {
    let lang = use_lang();
    let end = ServerAction::<EndOtherSessions>::new();
    let list = resource(move || end.version().get(), |_| my_sessions());
    view! {
        <Suspense fallback=|| ()>
            {move || list.get().and_then(Result::ok).filter(|l| !l.is_empty()).map(|rows| {
                let others = rows.iter().any(|s| !s.current);
                view! {
                    <section class="card" data-testid="sessions">
                        <h2>{t(T::Sessions)}</h2>
                        <ul class="list">
                            {rows.into_iter().map(|s| view! {
                                <li data-testid=if s.current { "session-current" } else { "session" }>
                                    <span>{long(&s.since, lang)}</span>
                                    {s.device.map(|d| view! { " · " <span>{d}</span> })}
                                    {s.address.map(|a| view! { " · " {t(T::SignedInFrom)} ": " <span>{a}</span> })}
                                    {s.current.then(|| view! { " · " <strong>{t(T::ThisDevice)}</strong> })}
                                </li>
                            }).collect_view()}
                        </ul>
                        {others.then(|| view! {
                            <leptos::form::ActionForm action=end attr:class="inline">
                                <button type="submit" class="button" data-testid="end-other-sessions">{t(T::EndOtherSessions)}</button>
                            </leptos::form::ActionForm>
                        })}
                        {move || end.value().get().and_then(Result::ok).map(|_| view! {
                            <p class="success" role="status">{t(T::OtherSessionsEnded)}</p>
                        })}
                    </section>
                }
            })}
        </Suspense>
    }
}

/// The citizen's draw requests and waiting-list entries (R12, R13), with
/// withdraw / leave; shown only when there is something to show.
#[component]
fn FairAccess() -> impl IntoView {
    use crate::api::draws::{LeaveWaitlist, WithdrawDrawRequest, my_draw_requests, my_waitlist};
    use crate::ui::pages::draw::{request_status, wait_status};
    let lang = use_lang();
    let withdraw = ServerAction::<WithdrawDrawRequest>::new();
    let leave = ServerAction::<LeaveWaitlist>::new();
    let reqs = resource(move || withdraw.version().get(), |_| my_draw_requests());
    let waits = resource(move || leave.version().get(), |_| my_waitlist());
    live(reqs, || Some(MY_STREAM.to_owned()), 60);
    live(waits, || Some(MY_STREAM.to_owned()), 60);
    view! {
        <Suspense fallback=|| ()>
            {move || reqs.get().and_then(Result::ok).filter(|l| !l.is_empty()).map(|rows| view! {
                <section class="card" data-testid="draw-requests">
                    <h2>{t(T::DrawRequests)}</h2>
                    {move || withdraw.value().get().and_then(Result::err).map(|e| view! {
                        <p class="error" role="alert">{e.message}</p>
                    })}
                    <ul class="list">
                        {rows.into_iter().map(|r| {
                            let pending = r.status == "pending";
                            let choices = r
                                .choices
                                .iter()
                                .map(|c| {
                                    let range = match (&c.time_from, &c.time_to) {
                                        (None, None) => String::new(),
                                        (f, to) => format!(
                                            " {}–{}",
                                            f.as_deref().unwrap_or("…"),
                                            to.as_deref().unwrap_or("…")
                                        ),
                                    };
                                    let day = crate::ui::components::when::parse_ymd(&c.date)
                                        .map(|d| crate::ui::components::when::day_title(d, lang))
                                        .unwrap_or_else(|_| c.date.clone());
                                    format!("{}, {}{}", c.center_name, day, range)
                                })
                                .collect::<Vec<_>>()
                                .join("; ");
                            view! {
                                <li class="item" data-testid="draw-request">
                                    <span><span class=format!("status st-{}", r.status) data-testid="status">
                                        {t(request_status(&r.status))}
                                    </span></span>
                                    <strong>{r.service_name.clone()}</strong>
                                    <span>{choices}</span>
                                    <small class="note">
                                        {t(T::DrawClosesAt)} ": " {long(&r.closes_at, lang)}
                                        {r.position.map(|p| view! { " · " {t(T::PositionInDraw)} ": " {p} })}
                                        " · "
                                        <a href=format!("/draws/{}", r.draw_id)>{t(T::PublicRecord)}</a>
                                    </small>
                                    {r.booking_id.clone().map(|b| view! {
                                        <a class="button" href=format!("/my/{b}")>{t(T::MyBookings)}</a>
                                    })}
                                    {pending.then(|| view! {
                                        <leptos::form::ActionForm action=withdraw attr:class="inline">
                                            <input type="hidden" name="id" value=r.id.clone()/>
                                            <button type="submit" class="button" data-testid="withdraw">{t(T::Withdraw)}</button>
                                        </leptos::form::ActionForm>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            })}
        </Suspense>
        <Suspense fallback=|| ()>
            {move || waits.get().and_then(Result::ok).filter(|l| !l.is_empty()).map(|rows| view! {
                <section class="card" data-testid="waitlist">
                    <h2>{t(T::WaitingList)}</h2>
                    <ul class="list">
                        {rows.into_iter().map(|w| {
                            let waiting = w.status == "waiting";
                            let range = match (&w.time_from, &w.time_to) {
                                (None, None) => String::new(),
                                (f, to) => format!(
                                    ", {}–{}",
                                    f.as_deref().unwrap_or("…"),
                                    to.as_deref().unwrap_or("…")
                                ),
                            };
                            let place = w.center_name.clone().or(w.city.clone()).unwrap_or_default();
                            let day = |d: &str| {
                                crate::ui::components::when::parse_ymd(d)
                                    .map(|x| crate::ui::components::when::day_title(x, lang))
                                    .unwrap_or_else(|_| d.to_owned())
                            };
                            view! {
                                <li class="item" data-testid="wait-entry">
                                    <span><span class=format!("status st-{}", w.status) data-testid="status">
                                        {t(wait_status(&w.status))}
                                    </span></span>
                                    <strong>{w.service_name.clone()}</strong>
                                    <span>{place} ", " {day(&w.from)} " – " {day(&w.to)} {range}</span>
                                    {w.ahead.map(|n| view! { <small class="note">{t(T::AheadInList)} ": " {n}</small> })}
                                    {w.served_booking_id.clone().map(|b| view! {
                                        <a class="button" href=format!("/my/{b}")>{t(T::MyBookings)}</a>
                                    })}
                                    {waiting.then(|| view! {
                                        <leptos::form::ActionForm action=leave attr:class="inline">
                                            <input type="hidden" name="id" value=w.id.clone()/>
                                            <button type="submit" class="button" data-testid="leave">{t(T::LeaveList)}</button>
                                        </leptos::form::ActionForm>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            })}
        </Suspense>
    }
}
