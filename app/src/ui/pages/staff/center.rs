//! `/staff/center`: center administration. Closing a day that has
//! bookings: the admin first sees the affected bookings, then must decide
//! — move them to the nearest free time or cancel them on behalf of the
//! center; each citizen is notified (`booking::close_day`). Never silent:
//! the server refuses a closure without a decision when bookings exist.
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::staff::{StaffCloseDay, StaffClosurePreview, staff_me};
use crate::i18n::staff::S;
use crate::ui::components::when::long;
use crate::ui::lang::use_lang;
use crate::ui::resource::resource;

use super::schedule::ScheduleEditor;
use super::{CenterPicker, StaffBar, refused, st};

#[component]
pub fn CenterAdmin() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    // The administrator picks the center (`?center=ID`); center admins
    // act on their own.
    let center = query
        .read_untracked()
        .get("center")
        .and_then(|c| c.parse::<i64>().ok());
    let me = resource(|| (), |_| staff_me());
    let (date, set_date) = signal(String::new());
    let (reason, set_reason) = signal(String::new());
    let preview = ServerAction::<StaffClosurePreview>::new();
    let close = ServerAction::<StaffCloseDay>::new();
    let decide = move |decision: &'static str| {
        close.dispatch(StaffCloseDay {
            date: date.get_untracked(),
            reason: reason.get_untracked(),
            decision: decision.to_owned(),
            center_id: center,
        });
    };
    view! {
        <section class="card staff">
            <Suspense fallback=|| ()>
                {move || me.get().map(|r| match r {
                    Err(e) => refused(e),
                    Ok(me) => {
                        let pick = me.center_id.is_none();
                        view! {
                            <StaffBar me=me/>
                            {pick.then(|| view! { <CenterPicker action="/staff/center" current=center/> })}
                        }.into_any()
                    }
                })}
            </Suspense>
            <h1>{st(S::CenterAdmin)}</h1>
            <h2>{st(S::CloseDay)}</h2>
            <div class="stack">
                <label for="close-date">{st(S::Date)}</label>
                <input id="close-date" type="date" data-testid="close-date"
                    on:input=move |ev| set_date.set(event_target_value(&ev))/>
                <label for="close-reason">{st(S::Reason)}</label>
                <input id="close-reason" maxlength="500" data-testid="close-reason"
                    on:input=move |ev| set_reason.set(event_target_value(&ev))/>
                <button type="button" class="button" data-testid="close-preview"
                    on:click=move |_| {
                        preview.dispatch(StaffClosurePreview { date: date.get_untracked(), center_id: center });
                    }>
                    {st(S::ShowAffected)}
                </button>
            </div>
            {move || preview.value().get().map(|r| match r {
                Err(e) => refused(e),
                Ok(rows) if rows.is_empty() => view! {
                    <p class="note">{st(S::NoAffected)}</p>
                    <button type="button" class="button danger" on:click=move |_| decide("none")>{st(S::CloseEmpty)}</button>
                }.into_any(),
                Ok(rows) => view! {
                    <div class="warning" role="alertdialog" aria-labelledby="affected-h">
                        <p id="affected-h"><strong>{st(S::Affected)}</strong> " (" {rows.len()} ")"</p>
                        <ul class="list" data-testid="affected">
                            {rows.into_iter().map(|r| view! {
                                <li><code>{r.code}</code> " · " {long(&r.start, lang)} " · " {r.service}</li>
                            }).collect_view()}
                        </ul>
                        <div class="row">
                            <button type="button" class="button primary" data-testid="close-move" on:click=move |_| decide("move")>{st(S::MoveAll)}</button>
                            <button type="button" class="button danger" data-testid="close-cancel" on:click=move |_| decide("cancel")>{st(S::CancelAll)}</button>
                        </div>
                    </div>
                }.into_any(),
            })}
            {move || close.value().get().map(|r| match r {
                Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                Ok(o) => view! {
                    <p class="success" role="status" data-testid="closed">
                        {st(S::Closed)} ". " {st(S::MovedN)} ": " {o.moved.len()} "; " {st(S::CancelledN)} ": " {o.cancelled.len()}
                    </p>
                }.into_any(),
            })}
            <ScheduleEditor center=center/>
        </section>
    }
}
