//! Staff pages: sign-in, the operator console, the hall display, center
//! administration (closing a day) and reports. Every page reads through
//! server functions that check the session and role on the server
//! (`api::staff`); these pages only show what those allow.
pub mod admin;
pub mod center;
pub mod console;
pub mod display;
pub mod reports;
pub mod schedule;
pub mod sign_in;

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::api::error::AppError;
use crate::i18n::staff::S;
use crate::ui::lang::use_lang;
use crate::ui::resource::resource;

/// A staff text in the page language.
pub fn st(key: S) -> &'static str {
    key.get(use_lang())
}

/// What to show when a staff server function refused: back to sign-in
/// when the session is missing or over, a note for non-staff, else the
/// message.
pub fn refused(e: AppError) -> AnyView {
    match e.error.as_str() {
        "unauthorized" => view! {
            <p class="error" role="alert" data-testid="session-over">{st(S::SessionOver)}</p>
            <p><a class="button primary" href="/staff/sign-in">{st(S::SignIn)}</a></p>
            <Redirect path="/staff/sign-in"/>
        }
        .into_any(),
        "forbidden" => {
            view! { <p class="error" role="alert" data-testid="forbidden">{st(S::NotStaff)}</p> }
                .into_any()
        }
        _ => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
    }
}

/// The staff bar: who is signed in, links, sign-out.
#[component]
pub fn StaffBar(me: crate::api::staff::StaffInfo) -> impl IntoView {
    let sign_out = ServerAction::<crate::api::staff::StaffSignOut>::new();
    let admin = me.role != "operator";
    let system = me.role == "administrator";
    let display = me.center_id.clone().map(|c| format!("/display/{c}"));
    view! {
        <nav class="staffbar" aria-label="staff">
            <span data-testid="staff-name">
                <strong>{me.display_name.clone()}</strong>
                {me.center_name.clone().map(|c| view! { " · " {c} })}
                {me.window_number.map(|n| view! { " · " {st(S::Window)} " " {n} })}
            </span>
            <a href="/staff">{st(S::Console)}</a>
            {admin.then(|| view! {
                <a href="/staff/center">{st(S::CenterAdmin)}</a>
                <a href="/staff/reports">{st(S::Reports)}</a>
            })}
            {system.then(|| view! { <a href="/staff/admin">{st(S::Administration)}</a> })}
            {display.map(|d| view! { <a href=d target="_blank">{st(S::Display)}</a> })}
            <leptos::form::ActionForm action=sign_out attr:class="inline">
                <button type="submit" data-testid="sign-out">{st(S::SignOut)}</button>
            </leptos::form::ActionForm>
        </nav>
    }
}

/// For the administrator (no center of their own): choose the center a
/// page acts on (`?center=ID`, a plain GET form).
#[component]
pub fn CenterPicker(action: &'static str, current: Option<i64>) -> impl IntoView {
    let centers = resource(|| (), |_| crate::api::admin::admin_centers());
    view! {
        <form method="get" action=action class="row" data-testid="center-picker">
            <label for="center-pick">{st(S::Center)}</label>
            <select id="center-pick" name="center">
                <Suspense fallback=|| ()>
                    {move || centers.get().map(|r| r.map(|list| list.into_iter().map(|c| {
                        let selected = current == Some(c.id);
                        view! { <option value=c.id.to_string() selected=selected>{c.name} " · " {c.city}</option> }
                    }).collect_view()).ok())}
                </Suspense>
            </select>
            <button type="submit" class="button">{st(S::Open)}</button>
        </form>
    }
}
