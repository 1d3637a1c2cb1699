//! `/staff/sign-in`: username + password → session cookie → the console
//! (operators) or center administration (admins). An `ActionForm`, so it
//! submits without WebAssembly too.
use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::api::staff::StaffSignIn;
use crate::i18n::staff::S;

use super::st;

#[component]
pub fn StaffSignInPage() -> impl IntoView {
    let action = ServerAction::<StaffSignIn>::new();
    view! {
        <section class="card narrow">
            <h1>{st(S::StaffSignIn)}</h1>
            <ActionForm action=action attr:class="stack">
                <label for="username">{st(S::Username)}</label>
                <input id="username" name="username" autocomplete="username" required maxlength="64"/>
                <label for="password">{st(S::Password)}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256"/>
                <button type="submit" class="button primary" data-testid="staff-sign-in" disabled=move || action.pending().get()>
                    {st(S::SignIn)}
                </button>
            </ActionForm>
            {move || action.value().get().and_then(Result::err).map(|e| view! {
                <p class="error" role="alert" data-testid="error">{e.message}</p>
            })}
        </section>
    }
}
