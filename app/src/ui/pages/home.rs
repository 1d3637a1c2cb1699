//! The landing page.
use leptos::prelude::*;

#[component]
pub fn Home() -> impl IntoView {
    view! {
        <section class="hero">
            <h1>"Бронирование очереди в ЦОН"</h1>
            <p>"ХҚО-ға кезек брондау · Book a visit to a Public Service Center"</p>
            <a class="button primary" href="/sign-in">"Войти и забронировать"</a>
        </section>
    }
}
