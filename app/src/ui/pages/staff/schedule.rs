//! The schedule editor on `/staff/center`: weekly hours, breaks, special
//! days, windows and their services, the R9 cap.
//!
//! Every save is previewed first (`admin_schedule_preview`): with no
//! affected bookings the change is applied at once; otherwise the affected
//! bookings are listed and the admin must choose to move them to the
//! nearest free time or cancel them on behalf of the center, with a reason
//! the citizens receive — or discard the change.
use chrono::Weekday;
use leptos::prelude::*;

use crate::api::admin::{
    AdminScheduleApply, AdminSchedulePreview, ScheduleChange, ScheduleView, WindowView,
    admin_schedule,
};
use crate::api::staff::NamedItem;
use crate::i18n::dates::weekday_name;
use crate::i18n::staff::S;
use crate::ui::components::when::{long, time_field};
use crate::ui::lang::use_lang;
use crate::ui::resource::resource;

use super::{refused, st};

fn day_name(d: i32) -> &'static str {
    let w = u8::try_from(d)
        .ok()
        .and_then(|d| Weekday::try_from(d).ok())
        .unwrap_or(Weekday::Mon);
    weekday_name(w, use_lang())
}

fn opt(s: String) -> Option<String> {
    let s = s.trim().to_owned();
    (!s.is_empty()).then_some(s)
}

#[component]
pub fn ScheduleEditor(center: Option<i64>) -> impl IntoView {
    let lang = use_lang();
    let version = RwSignal::new(0u32);
    let sched = resource(move || version.get(), move |_| admin_schedule(center));
    let preview = ServerAction::<AdminSchedulePreview>::new();
    let apply = ServerAction::<AdminScheduleApply>::new();
    let pending = RwSignal::new(None::<String>);
    let reason = RwSignal::new(String::new());
    let propose = Callback::new(move |change: ScheduleChange| {
        let Ok(json) = serde_json::to_string(&change) else {
            return;
        };
        apply.value().set(None);
        pending.set(Some(json.clone()));
        preview.dispatch(AdminSchedulePreview {
            change: json,
            center_id: center,
        });
    });
    let decide = move |decision: &'static str| {
        if let Some(change) = pending.get_untracked() {
            apply.dispatch(AdminScheduleApply {
                change,
                decision: decision.to_owned(),
                reason: reason.get_untracked(),
                center_id: center,
            });
        }
    };
    // Nothing affected: apply right away.
    Effect::new(move |_| {
        if let Some(Ok(rows)) = preview.value().get()
            && rows.is_empty()
        {
            decide("none");
        }
    });
    // Applied: close the decision panel and reload the schedule.
    Effect::new(move |_| {
        if let Some(Ok(_)) = apply.value().get() {
            pending.set(None);
            preview.value().set(None);
            version.update(|v| *v += 1);
        }
    });
    view! {
        <h2>{st(S::Schedule)}</h2>
        <Suspense fallback=|| view! { <p aria-busy="true">"…"</p> }>
            {move || sched.get().map(|r| match r {
                Err(e) => refused(e),
                Ok(v) => view! { <Editors v=v propose=propose/> }.into_any(),
            })}
        </Suspense>
        <div class="decision-bar">
        {move || preview.value().get().map(|r| match r {
            Err(e) => refused(e),
            Ok(rows) if rows.is_empty() => ().into_any(),
            Ok(rows) => view! {
                <div class="warning" role="alertdialog" aria-labelledby="change-h" data-testid="change-affects">
                    <p id="change-h"><strong>{st(S::ChangeAffects)}</strong> " (" {rows.len()} ")"</p>
                    <ul class="list">
                        {rows.into_iter().map(|r| view! {
                            <li><code>{r.code}</code> " · " {long(&r.start, lang)} " · " {r.service}
                                {r.window.map(|w| view! { " · " {st(S::Window)} " " {w} })}</li>
                        }).collect_view()}
                    </ul>
                    <label for="change-reason">{st(S::Reason)}</label>
                    <input id="change-reason" maxlength="500" data-testid="change-reason"
                        on:input=move |ev| reason.set(event_target_value(&ev))/>
                    <div class="row">
                        <button type="button" class="button primary" data-testid="change-move" on:click=move |_| decide("move")>{st(S::MoveThem)}</button>
                        <button type="button" class="button danger" data-testid="change-cancel" on:click=move |_| decide("cancel")>{st(S::CancelThem)}</button>
                        <button type="button" class="button" on:click=move |_| { pending.set(None); preview.value().set(None); }>{st(S::Discard)}</button>
                    </div>
                </div>
            }.into_any(),
        })}
        {move || apply.value().get().map(|r| match r {
            Err(e) => view! { <p class="error" role="alert" data-testid="change-error">{e.message}</p> }.into_any(),
            Ok(o) => view! {
                <p class="success" role="status" data-testid="change-saved">
                    {st(S::Saved)} ". "
                    {(!o.moved.is_empty() || !o.cancelled.is_empty()).then(|| view! {
                        {st(S::MovedN)} ": " {o.moved.len()} "; " {st(S::CancelledN)} ": " {o.cancelled.len()}
                    })}
                </p>
            }.into_any(),
        })}
        </div>
    }
}

#[component]
fn Editors(v: ScheduleView, propose: Callback<ScheduleChange>) -> impl IntoView {
    let ScheduleView {
        center_name,
        cap,
        hours,
        breaks,
        exceptions,
        windows,
        services,
        ..
    } = v;
    view! {
        <p class="note" data-testid="schedule-center">{center_name}</p>
        <HoursEditor hours=hours propose=propose/>
        <BreaksEditor breaks=breaks propose=propose/>
        <ExceptionsEditor exceptions=exceptions propose=propose/>
        <h3>{st(S::Windows)}</h3>
        <div class="windows" data-testid="windows">
            {windows.into_iter().map(|w| {
                let summary = format!(
                    "{} {} · {}: {}",
                    st(S::Window),
                    w.number,
                    st(S::TabServices),
                    w.services.len()
                );
                let off = (!w.active).then(|| view! { " · " <span class="badge">{st(S::Inactive)}</span> });
                view! {
                    <details class="window">
                        <summary>{summary} {off}</summary>
                        <WindowEditor w=Some(w) services=services.clone() propose=propose/>
                    </details>
                }.into_any()
            }).collect_view()}
            <details class="window">
                <summary>{st(S::AddWindow)}</summary>
                <WindowEditor w=None services=services.clone() propose=propose/>
            </details>
        </div>
        <CapEditor cap=cap propose=propose/>
    }
}

#[component]
fn HoursEditor(
    hours: Vec<crate::api::admin::DayHours>,
    propose: Callback<ScheduleChange>,
) -> impl IntoView {
    view! {
        <h3>{st(S::WeeklyHours)}</h3>
        <div class="table-wrap" tabindex="0" role="region" aria-label=st(S::WeeklyHours)>
        <table class="desk" data-testid="hours">
            <thead><tr>
                <th scope="col">{st(S::Weekday)}</th>
                <th scope="col">{st(S::Opens)}</th>
                <th scope="col">{st(S::Closes)}</th>
                <th scope="col"><span class="sr-only">{st(S::Save)}</span></th>
            </tr></thead>
            <tbody>
                {hours.into_iter().map(|d| {
                    let first = d.intervals.first().cloned();
                    let open = RwSignal::new(first.clone().map(|i| i.0).unwrap_or_default());
                    let close = RwSignal::new(first.map(|i| i.1).unwrap_or_default());
                    let wd = d.weekday;
                    let id_o = format!("open-{wd}");
                    let id_c = format!("close-{wd}");
                    view! {
                        <tr data-testid=format!("hours-{wd}")>
                            <th scope="row">{day_name(wd)}
                                {move || (open.get().is_empty() || close.get().is_empty()).then(|| view! { " · " <span class="badge">{st(S::DayOff)}</span> })}
                            </th>
                            <td><label class="sr-only" for=id_o.clone()>{st(S::Opens)}</label>
                                <input {..time_field()} id=id_o prop:value=open on:input=move |ev| open.set(event_target_value(&ev))/></td>
                            <td><label class="sr-only" for=id_c.clone()>{st(S::Closes)}</label>
                                <input {..time_field()} id=id_c prop:value=close on:input=move |ev| close.set(event_target_value(&ev))/></td>
                            <td><button type="button" class="button" data-testid=format!("save-hours-{wd}")
                                on:click=move |_| propose.run(ScheduleChange::Hours {
                                    weekday: wd,
                                    open: opt(open.get_untracked()),
                                    close: opt(close.get_untracked()),
                                })>{st(S::Save)}</button></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
    .into_any()
}

#[component]
fn BreaksEditor(
    breaks: Vec<crate::api::admin::BreakView>,
    propose: Callback<ScheduleChange>,
) -> impl IntoView {
    let weekday = RwSignal::new(String::new());
    let start = RwSignal::new(String::new());
    let end = RwSignal::new(String::new());
    view! {
        <h3>{st(S::Breaks)}</h3>
        <ul class="list" data-testid="breaks">
            {breaks.into_iter().map(|b| {
                let id = b.id;
                view! {
                    <li>{b.weekday.map(day_name).unwrap_or(st(S::EveryDay))} " · " {b.start} "–" {b.end} " "
                        <button type="button" class="button small" on:click=move |_| propose.run(ScheduleChange::RemoveBreak { id })>{st(S::Remove)}</button>
                    </li>
                }
            }).collect_view()}
        </ul>
        <div class="row">
            <label>{st(S::Weekday)} " "
                <select on:change=move |ev| weekday.set(event_target_value(&ev))>
                    <option value="">{st(S::EveryDay)}</option>
                    {(0..7).map(|d| view! { <option value=d.to_string()>{day_name(d)}</option> }).collect_view()}
                </select>
            </label>
            <label>{st(S::From)} " " <input {..time_field()} data-testid="break-start" on:input=move |ev| start.set(event_target_value(&ev))/></label>
            <label>{st(S::To)} " " <input {..time_field()} data-testid="break-end" on:input=move |ev| end.set(event_target_value(&ev))/></label>
            <button type="button" class="button" data-testid="add-break" on:click=move |_| propose.run(ScheduleChange::AddBreak {
                weekday: weekday.get_untracked().parse().ok(),
                start: start.get_untracked(),
                end: end.get_untracked(),
            })>{st(S::AddBreak)}</button>
        </div>
    }
    .into_any()
}

#[component]
fn ExceptionsEditor(
    exceptions: Vec<crate::api::admin::ExceptionView>,
    propose: Callback<ScheduleChange>,
) -> impl IntoView {
    let date = RwSignal::new(String::new());
    let kind = RwSignal::new("closed".to_owned());
    let open = RwSignal::new(String::new());
    let close = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let kind_name = |k: &str| match k {
        "closed" => st(S::KindClosed),
        "shortened" => st(S::KindShortened),
        _ => st(S::KindHours),
    };
    view! {
        <h3>{st(S::Exceptions)}</h3>
        <ul class="list" data-testid="exceptions">
            {exceptions.into_iter().map(|e| {
                let d = e.date.clone();
                view! {
                    <li>{e.date.clone()} " · " {kind_name(&e.kind)}
                        {e.open.map(|o| view! { " " {o} })}
                        {e.close.map(|c| view! { "–" {c} })}
                        {e.note.map(|n| view! { " · " {n} })} " "
                        <button type="button" class="button small" on:click=move |_| propose.run(ScheduleChange::RemoveException { date: d.clone() })>{st(S::Remove)}</button>
                    </li>
                }
            }).collect_view()}
        </ul>
        <div class="row">
            <label>{st(S::Date)} " " <input type="date" data-testid="exc-date" on:input=move |ev| date.set(event_target_value(&ev))/></label>
            <label>{st(S::Kind)} " "
                <select data-testid="exc-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                    <option value="closed">{st(S::KindClosed)}</option>
                    <option value="shortened">{st(S::KindShortened)}</option>
                    <option value="hours">{st(S::KindHours)}</option>
                </select>
            </label>
            <label>{st(S::Opens)} " " <input {..time_field()} data-testid="exc-open" on:input=move |ev| open.set(event_target_value(&ev))/></label>
            <label>{st(S::Closes)} " " <input {..time_field()} data-testid="exc-close" on:input=move |ev| close.set(event_target_value(&ev))/></label>
            <label>{st(S::Note)} " " <input maxlength="500" on:input=move |ev| note.set(event_target_value(&ev))/></label>
            <button type="button" class="button" data-testid="add-exception" on:click=move |_| propose.run(ScheduleChange::Exception {
                date: date.get_untracked(),
                kind: kind.get_untracked(),
                open: opt(open.get_untracked()),
                close: opt(close.get_untracked()),
                note: opt(note.get_untracked()),
            })>{st(S::AddException)}</button>
        </div>
    }
    .into_any()
}

#[component]
fn WindowEditor(
    w: Option<WindowView>,
    services: Vec<NamedItem>,
    propose: Callback<ScheduleChange>,
) -> impl IntoView {
    let id = w.as_ref().map(|w| w.id);
    let key = id.map(|i| i.to_string()).unwrap_or_else(|| "new".into());
    let number = RwSignal::new(w.as_ref().map(|w| w.number.to_string()).unwrap_or_default());
    let active = RwSignal::new(w.as_ref().is_none_or(|w| w.active));
    let chosen = RwSignal::new(w.map(|w| w.services).unwrap_or_default());
    let num_id = format!("win-num-{key}");
    let act_id = format!("win-act-{key}");
    view! {
        <fieldset class="window-edit" data-testid=format!("window-{key}")>
            <legend>{st(S::Window)} " " {move || number.get()}</legend>
            <div class="row">
                <label for=num_id.clone()>{st(S::Window)}</label>
                <input id=num_id type="number" min="1" max="999" class="short" prop:value=number
                    on:input=move |ev| number.set(event_target_value(&ev))/>
                <input id=act_id.clone() type="checkbox" prop:checked=active
                    on:change=move |ev| active.set(event_target_checked(&ev))/>
                <label for=act_id>{st(S::Active)}</label>
            </div>
            <div class="checks">
                {services.into_iter().map(|s| {
                    let code = s.code.clone();
                    let c2 = s.code.clone();
                    let cid = format!("win-{key}-{}", s.code);
                    view! {
                        <span class="check">
                            <input id=cid.clone() type="checkbox"
                                prop:checked=move || chosen.with(|c| c.contains(&code))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    chosen.update(|c| {
                                        c.retain(|x| x != &c2);
                                        if on { c.push(c2.clone()); }
                                    });
                                }/>
                            <label for=cid>{s.name}</label>
                        </span>
                    }
                }).collect_view()}
            </div>
            <button type="button" class="button" data-testid=format!("save-window-{key}") on:click=move |_| propose.run(ScheduleChange::Window {
                id,
                number: number.get_untracked().trim().parse().unwrap_or(0),
                active: active.get_untracked(),
                services: chosen.get_untracked(),
            })>{st(S::Save)}</button>
        </fieldset>
    }
    .into_any()
}

#[component]
fn CapEditor(cap: Option<i32>, propose: Callback<ScheduleChange>) -> impl IntoView {
    let value = RwSignal::new(cap.map(|c| c.to_string()).unwrap_or_default());
    view! {
        <h3><label for="cap">{st(S::Cap)}</label></h3>
        <div class="row">
            <input id="cap" type="number" min="1" max="999" class="short" data-testid="cap" prop:value=value
                aria-describedby="cap-help" on:input=move |ev| value.set(event_target_value(&ev))/>
            <span id="cap-help" class="note">{st(S::CapHelp)}</span>
            <button type="button" class="button" data-testid="save-cap" on:click=move |_| propose.run(ScheduleChange::Cap {
                cap: value.get_untracked().trim().parse().ok(),
            })>{st(S::Save)}</button>
        </div>
    }
    .into_any()
}
