//! 404 page.
use leptos::prelude::*;

use crate::i18n::ui::T;
use crate::ui::lang::t;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
            resp.set_status(axum::http::StatusCode::NOT_FOUND);
        }
    }
    view! {
        <section class="card">
            <h1>{t(T::NotFound)}</h1>
            <p>
                <a href="/">{t(T::Home)}</a>
            </p>
        </section>
    }
}
