//! The top bar: name, main links, language switch.
use leptos::prelude::*;

use crate::i18n::ui::T;
use crate::ui::lang::{LangSwitch, t};

#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Kezek"</a>
            <nav aria-label="main">
                <a href="/book">{t(T::StartBooking)}</a>
                <a href="/my">{t(T::MyBookings)}</a>
            </nav>
            <LangSwitch/>
        </header>
    }
}
