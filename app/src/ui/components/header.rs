//! The top bar: name, main links, who is signed in with a sign-out button,
//! language switch.
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::api::auth::{SignOut, my_account};
use crate::i18n::ui::T;
use crate::ui::lang::{LangSwitch, t};
use crate::ui::resource::resource;

#[component]
pub fn Header() -> impl IntoView {
    // Asked again on every navigation, so signing in or out shows at once.
    let path = use_location().pathname;
    let account = resource(move || path.get(), |_| my_account());
    let sign_out = ServerAction::<SignOut>::new();
    // Staff pages have their own bar (who is signed in, sign-out, the
    // console's links): no citizen links or citizen account there.
    let staff = move || path.with(|p| p.starts_with("/staff"));
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Kezek"</a>
            <Show when=move || !staff()>
                <nav aria-label="main">
                    <a href="/book">{t(T::StartBooking)}</a>
                    <a href="/my">{t(T::MyBookings)}</a>
                </nav>
            </Show>
            <div class="topbar-end">
            <Transition fallback=|| ()>
                {move || account.get().and_then(Result::ok).flatten().filter(|_| !staff()).map(|a| view! {
                    <span class="who" data-testid="signed-in-as">{a.iin_masked}</span>
                    <leptos::form::ActionForm action=sign_out attr:class="inline">
                        <button type="submit" class="link" data-testid="citizen-sign-out">{t(T::SignOut)}</button>
                    </leptos::form::ActionForm>
                })}
            </Transition>
            <LangSwitch/>
            </div>
        </header>
    }
}
