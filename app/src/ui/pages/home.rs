//! The landing page.
use leptos::prelude::*;

use crate::i18n::ui::T;
use crate::ui::lang::t;

#[component]
pub fn Home() -> impl IntoView {
    view! {
        <section class="hero">
            <h1>{t(T::Title)}</h1>
            <p class="lead">{t(T::Tagline)}</p>
            <div class="choices">
                <a class="choice" href="/book?kind=Psc">
                    <strong>{t(T::Psc)}</strong>
                    <span>{t(T::PscHint)}</span>
                </a>
                <a class="choice" href="/book?kind=AutoPsc">
                    <strong>{t(T::AutoPsc)}</strong>
                    <span>{t(T::AutoPscHint)}</span>
                </a>
            </div>
            <p>
                <a class="button" href="/my">{t(T::MyBookings)}</a>
            </p>
            <p class="note">
                <a href="/fairness" data-testid="fairness-link">{t(T::FairLink)}</a>
            </p>
        </section>
    }
}
