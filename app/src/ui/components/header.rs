//! The top bar: name and main links.
use leptos::prelude::*;

#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Kezek"</a>
            <nav aria-label="main">
                <a href="/sign-in">"Войти"</a>
            </nav>
        </header>
    }
}
