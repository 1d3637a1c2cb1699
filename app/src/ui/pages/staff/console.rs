//! `/staff`: the operator console for today at the operator's center
//! (`?center=<id>` for the administrator): check-in by booking code, walk-in
//! tickets, call-next for my window, then recall / start / served for the
//! called visitor, no-show and priority marks, and the day's list with live
//! states (polled like the citizen cabinet).
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::staff::{
    DeskRow, StaffCallNext, StaffCheckIn, StaffPriority, StaffStep, StaffWalkIn, staff_me,
    staff_today,
};
use crate::i18n::staff::S;
use crate::i18n::ui::status;
use crate::ui::components::when::hhmm;
use crate::ui::lang::use_lang;
use crate::ui::live::live;
use crate::ui::resource::resource;

use super::{StaffBar, refused, st};

/// A step button on a visit (`start`, `served`, `no_show`, `recall`).
fn step_form(
    step: ServerAction<StaffStep>,
    id: String,
    action: &'static str,
    label: S,
    class: &'static str,
) -> impl IntoView {
    view! {
        <ActionForm action=step attr:class="inline">
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="action" value=action/>
            <button type="submit" class=class data-testid=format!("btn-{action}")>{st(label)}</button>
        </ActionForm>
    }
}

#[component]
pub fn Console() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let center = move || {
        query
            .read()
            .get("center")
            .and_then(|s| s.parse::<i64>().ok())
    };
    // `?checkin=CODE`: the link in a booking's QR code, opened by the
    // operator's phone camera, fills the check-in field.
    let scanned = query.read_untracked().get("checkin").unwrap_or_default();
    let focus = !scanned.is_empty();
    let check_in = ServerAction::<StaffCheckIn>::new();
    let walk_in = ServerAction::<StaffWalkIn>::new();
    let call = ServerAction::<StaffCallNext>::new();
    let step = ServerAction::<StaffStep>::new();
    let prio = ServerAction::<StaffPriority>::new();
    let me = resource(|| (), |_| staff_me());
    let day = resource(
        move || {
            (
                center(),
                check_in.version().get(),
                walk_in.version().get(),
                call.version().get(),
                step.version().get(),
                prio.version().get(),
            )
        },
        |(c, ..)| staff_today(c),
    );
    // The center's stream: the one asked for, else the one the day is of
    // (an operator's own); a memo, so re-reading the day keeps the stream.
    let stream_center = Memo::new(move |_| {
        center()
            .map(|c| c.to_string())
            .or_else(|| day.get().and_then(Result::ok).map(|d| d.center_id))
    });
    live(
        day,
        move || stream_center.get().map(|c| format!("/live/center/{c}")),
        5,
    );
    let center_field = move || {
        center().map(|c| view! { <input type="hidden" name="center_id" value=c.to_string()/> })
    };

    view! {
        <section class="card staff">
            <Suspense fallback=|| view! { <p aria-busy="true">"…"</p> }>
                {move || me.get().map(|r| match r {
                    Err(e) => refused(e),
                    Ok(me) => view! { <StaffBar me=me/> }.into_any(),
                })}
            </Suspense>
            <h1>{st(S::Console)}</h1>
            <div class="desk-forms">
                <ActionForm action=check_in attr:class="stack">
                    <h2>{st(S::CheckIn)}</h2>
                    <label for="code">{st(S::BookingCode)}</label>
                    <input id="code" name="code" autocomplete="off" autocapitalize="characters" required maxlength="300"
                        value=scanned autofocus=focus data-testid="checkin-code"/>
                    <button type="submit" class="button primary" data-testid="checkin-submit">{st(S::IssueTicket)}</button>
                    {move || check_in.value().get().map(|r| match r {
                        Ok(t) => view! {
                            <p class="issued" role="status">{st(S::TicketIssued)} ": " <b data-testid="issued-ticket">{t.ticket}</b></p>
                            {t.iin_masked.map(|iin| view! {
                                <p class="issued-iin" data-testid="issued-iin">
                                    {st(S::Iin)} " " <b class="iin">{iin}</b> " — " {st(S::CompareIdCard)}
                                </p>
                            })}
                        }.into_any(),
                        Err(e) => view! { <p class="error" role="alert" data-testid="checkin-error">{e.message}</p> }.into_any(),
                    })}
                </ActionForm>
                <ActionForm action=walk_in attr:class="stack">
                    <h2>{st(S::WalkIn)}</h2>
                    {center_field}
                    <label for="walkin-service">{st(S::Service)}</label>
                    <select id="walkin-service" name="service" required data-testid="walkin-service">
                        <Suspense fallback=|| ()>
                            {move || day.get().and_then(Result::ok).map(|d| d.services.into_iter().map(|s| view! {
                                <option value=s.code.clone()>{s.name}</option>
                            }).collect_view())}
                        </Suspense>
                    </select>
                    <label class="check">
                        <input type="checkbox" name="priority" value="on"/>
                        " " {st(S::Priority)}
                    </label>
                    <button type="submit" class="button" data-testid="walkin-submit">{st(S::IssueTicket)}</button>
                    {move || walk_in.value().get().map(|r| match r {
                        Ok(t) => view! {
                            <p class="issued" role="status">{st(S::TicketIssued)} ": " <b data-testid="walkin-ticket">{t.ticket}</b></p>
                        }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                    })}
                </ActionForm>
            </div>
            <div class="at-window">
                <h2>{st(S::AtWindow)}</h2>
                <Suspense fallback=|| ()>
                    {move || {
                        let my_window = me.get().and_then(Result::ok).and_then(|m| m.window_number);
                        let my_window_id = me.get().and_then(Result::ok).and_then(|m| m.window_id);
                        day.get().and_then(Result::ok).map(|d| {
                            let current: Vec<DeskRow> = d.rows.iter()
                                .filter(|r| (r.status == "Called" || r.status == "InService")
                                    && (my_window.is_none() || r.called_window == my_window))
                                .cloned()
                                .collect();
                            let windows = d.windows.clone();
                            view! {
                                <ActionForm action=call attr:class="row">
                                    {match my_window_id {
                                        Some(w) => view! { <input type="hidden" name="window_id" value=w/> }.into_any(),
                                        None => view! {
                                            <label for="call-window">{st(S::Window)}</label>
                                            <select id="call-window" name="window_id">
                                                {windows.into_iter().map(|w| view! { <option value=w.id>{w.number}</option> }).collect_view()}
                                            </select>
                                        }.into_any(),
                                    }}
                                    <button type="submit" class="button primary big" data-testid="call-next">{st(S::CallNext)}</button>
                                </ActionForm>
                                {move || call.value().get().map(|r| match r {
                                    Ok(None) => view! { <p class="note" role="status" data-testid="nobody">{st(S::NobodyWaits)}</p> }.into_any(),
                                    Ok(Some(_)) => ().into_any(),
                                    Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                                })}
                                <ul class="list">
                                    {current.into_iter().map(|r| {
                                        let called = r.status == "Called";
                                        view! {
                                            <li class="item current" data-testid="current">
                                                <span class="bigticket" data-testid="called-ticket">{r.ticket.clone().unwrap_or_default()}</span>
                                                <span>
                                                    <span class=format!("status st-{}", r.status.to_lowercase()) data-testid="current-status">{status(&r.status, lang)}</span>
                                                    " · " {r.service_name.clone()}
                                                    {r.called_window.map(|w| view! { " · " {st(S::Window)} " " {w} })}
                                                    {r.iin_masked.clone().map(|iin| view! { " · " {st(S::Iin)} " " <span class="iin" data-testid="current-iin">{iin}</span> })}
                                                </span>
                                                <span class="row">
                                                    {called.then(|| view! {
                                                        {step_form(step, r.id.clone(), "recall", S::Recall, "button")}
                                                        {step_form(step, r.id.clone(), "start", S::Start, "button primary")}
                                                    })}
                                                    {(!called).then(|| step_form(step, r.id.clone(), "served", S::Served, "button primary"))}
                                                </span>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }
                        })
                    }}
                </Suspense>
                {move || step.value().get().and_then(Result::err).map(|e| view! { <p class="error" role="alert" data-testid="step-error">{e.message}</p> })}
                {move || prio.value().get().and_then(Result::err).map(|e| view! { <p class="error" role="alert">{e.message}</p> })}
            </div>
            <h2>{st(S::Queue)}</h2>
            <p class="note">{st(S::LiveUpdates)}</p>
            <Suspense fallback=|| view! { <p aria-busy="true">"…"</p> }>
                {move || day.get().map(|r| match r {
                    Err(e) => refused(e),
                    Ok(d) if d.rows.is_empty() => view! {
                        <p class="note">{d.center_name} " · " {d.date}</p>
                        <p class="empty">{st(S::Empty)}</p>
                    }.into_any(),
                    Ok(d) => view! {
                        <p class="note" data-testid="desk-center">{d.center_name.clone()} " · " {d.date.clone()}</p>
                        <div class="table-wrap" tabindex="0" role="region" aria-label=st(S::Queue)>
                        <table class="desk" data-testid="desk-table">
                            <thead><tr>
                                <th scope="col">{st(S::Ticket)}</th>
                                <th scope="col">{st(S::Time)}</th>
                                <th scope="col">{st(S::BookingCode)}</th>
                                <th scope="col">{st(S::Iin)}</th>
                                <th scope="col">{st(S::Service)}</th>
                                <th scope="col">{st(S::Status)}</th>
                                <th scope="col">{st(S::Actions)}</th>
                            </tr></thead>
                            <tbody>
                                {d.rows.into_iter().map(|r| {
                                    let waiting = r.status == "Booked" || r.status == "CheckedIn";
                                    let booked = r.status == "Booked";
                                    let (id1, id2) = (r.id.clone(), r.id.clone());
                                    let prio_on = r.priority;
                                    view! {
                                        <tr data-testid=format!("row-{}", r.code) class:priority=r.priority>
                                            <td><b>{r.ticket.clone().unwrap_or_default()}</b></td>
                                            <td>{hhmm(&r.start)}</td>
                                            <td><code>{r.code.clone()}</code></td>
                                            <td class="iin" data-testid="row-iin">{r.iin_masked.clone().unwrap_or_default()}</td>
                                            <td>{r.service_name.clone()}</td>
                                            <td>
                                                <span class=format!("status st-{}", r.status.to_lowercase()) data-testid="row-status">{status(&r.status, lang)}</span>
                                                {r.called_window.map(|w| view! { " · " {st(S::Window)} " " {w} })}
                                                {r.priority.then(|| view! { " " <span class="tag">{st(S::PriorityTag)}</span> })}
                                                {r.walk_in.then(|| view! { " " <span class="tag">{st(S::WalkInTag)}</span> })}
                                            </td>
                                            <td class="row">
                                                {waiting.then(|| view! {
                                                    <ActionForm action=prio attr:class="inline">
                                                        <input type="hidden" name="id" value=id1/>
                                                        <input type="hidden" name="on" value=if prio_on { "false" } else { "true" }/>
                                                        <button type="submit" class="button small" data-testid="btn-priority">{st(if prio_on { S::UnmarkPriority } else { S::MarkPriority })}</button>
                                                    </ActionForm>
                                                })}
                                                {booked.then(|| step_form(step, id2, "no_show", S::NoShow, "button small danger"))}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
