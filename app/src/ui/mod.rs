//! Pages and components. One module per page.
pub mod components;
pub mod lang;
pub mod live;
pub mod pages;
pub mod resource;

use leptos::prelude::*;
use leptos_meta::{Link, Meta, MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    ParamSegment, SsrMode, StaticSegment,
    components::{Route, Router, Routes},
};

use crate::i18n::ui::T;

/// The HTML document around the app (server-rendered).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = lang::request_lang();
    #[cfg(feature = "ssr")]
    strict_csp();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The page's Content-Security-Policy: inline scripts only with this
/// response's nonce (Leptos puts it on the hydration bootstrap and on the
/// scripts that stream resources), no `'unsafe-inline'` for scripts. The
/// server's default header (`server::http::with_security_headers`) applies
/// to everything else and yields to this one.
#[cfg(feature = "ssr")]
fn strict_csp() {
    let Some(nonce) = leptos::nonce::use_nonce() else {
        return;
    };
    let Some(res) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
    );
    if let Ok(v) = axum::http::HeaderValue::from_str(&policy) {
        res.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, v);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = lang::request_lang();
    provide_context(lang);
    view! {
        <Stylesheet id="leptos" href="/pkg/kezek.css"/>
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
        <Meta name="description" content=T::Tagline.get(lang)/>
        <Title text=T::Title.get(lang)/>
        <Router>
            <a class="skip" href="#main">"↓"</a>
            <components::header::Header/>
            <main id="main">
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=StaticSegment("") view=pages::home::Home/>
                    <Route path=StaticSegment("sign-in") view=pages::sign_in::SignIn/>
                    <Route path=StaticSegment("book") view=pages::book::Book/>
                    <Route path=StaticSegment("my") view=pages::my::MyBookings/>
                    <Route path=(StaticSegment("draws"), ParamSegment("id")) view=pages::draw::DrawPage/>
                    <Route path=StaticSegment("fairness") view=pages::fairness::FairnessPage/>
                    <Route
                        path=(StaticSegment("my"), ParamSegment("id"))
                        view=pages::booking::BookingPage
                    />
                    <Route path=StaticSegment("staff") view=pages::staff::console::Console ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("staff"), StaticSegment("sign-in")) view=pages::staff::sign_in::StaffSignInPage/>
                    <Route path=(StaticSegment("staff"), StaticSegment("center")) view=pages::staff::center::CenterAdmin ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("staff"), StaticSegment("admin")) view=pages::staff::admin::AdminPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("staff"), StaticSegment("reports")) view=pages::staff::reports::Reports ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("display"), ParamSegment("center_id")) view=pages::staff::display::Display/>
                </Routes>
            </main>
        </Router>
    }
}
