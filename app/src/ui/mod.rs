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
    #[cfg(feature = "ssr")]
    let options = client_for_request(options);
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

/// The name of the client bundle for staff pages (`pkg/kezek-staff.js`,
/// `pkg/kezek-staff.wasm`); citizens' pages load `kezek` (issue 16).
pub const STAFF_CLIENT: &str = "kezek-staff";

/// Whether a page of this path belongs to the staff client: the staff
/// console, sign-in, center administration, administration and reports
/// (`/staff…`) and the hall display (`/display/…`). Everything else —
/// every citizen page and the not-found page — is the citizen client's.
/// Must agree with the routes in [`App`] and with [`route_views`].
pub fn is_staff_path(path: &str) -> bool {
    path == "/staff" || path.starts_with("/staff/") || path.starts_with("/display/")
}

/// Points the hydration scripts at the client bundle that has this
/// request's page.
#[cfg(feature = "ssr")]
fn client_for_request(mut options: LeptosOptions) -> LeptosOptions {
    let staff = use_context::<axum::http::request::Parts>()
        .is_some_and(|parts| is_staff_path(parts.uri.path()));
    if staff {
        options.output_name = STAFF_CLIENT.into();
    }
    options
}

/// The view of each route. The server renders every page; each client
/// bundle compiles only its own pages (features `citizen-pages`,
/// `staff-pages` of this crate) and puts [`OtherClient`] where the other
/// bundle's pages would be, so the citizen's WebAssembly carries no staff
/// or administration code and the other way round. The route table itself
/// is the same in every build, so hydration matches.
mod route_views {
    macro_rules! pages {
        ($feature:literal: $($($seg:ident)::+ as $name:ident),* $(,)?) => {$(
            #[cfg(any(feature = "ssr", feature = $feature))]
            pub use crate::ui::pages::$($seg)::+ as $name;
            #[cfg(not(any(feature = "ssr", feature = $feature)))]
            pub use crate::ui::OtherClient as $name;
        )*};
    }
    pages!("citizen-pages":
        home::Home as Home,
        sign_in::SignIn as SignIn,
        book::Book as Book,
        my::MyBookings as MyBookings,
        draw::DrawPage as DrawPage,
        fairness::FairnessPage as FairnessPage,
        booking::BookingPage as BookingPage,
    );
    pages!("staff-pages":
        staff::console::Console as Console,
        staff::sign_in::StaffSignInPage as StaffSignInPage,
        staff::center::CenterAdmin as CenterAdmin,
        staff::admin::AdminPage as AdminPage,
        staff::reports::Reports as Reports,
        staff::display::Display as Display,
    );
}

/// Stands for a page of the other client bundle. The server never renders
/// it (it has every page); a client reaches it only by navigating in the
/// browser — a link from a citizen page to a staff one, or back — and then
/// loads that page from the server, which sends the bundle that has it.
/// `replace`, so the back button skips this stop.
#[allow(non_snake_case)]
pub fn OtherClient() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        let location = leptos_router::hooks::use_location();
        let href = format!(
            "{}{}{}",
            location.pathname.get_untracked(),
            // The router keeps the query without its `?`.
            location.search.with_untracked(|s| if s.is_empty() {
                String::new()
            } else {
                format!("?{s}")
            }),
            location.hash.get_untracked()
        );
        Effect::new(move || {
            let _ = window().location().replace(&href);
        });
    }
    view! { <p class="loading" aria-busy="true">"…"</p> }
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
                    <Route path=StaticSegment("") view=route_views::Home/>
                    <Route path=StaticSegment("sign-in") view=route_views::SignIn/>
                    <Route path=StaticSegment("book") view=route_views::Book/>
                    <Route path=StaticSegment("my") view=route_views::MyBookings/>
                    <Route path=(StaticSegment("draws"), ParamSegment("id")) view=route_views::DrawPage/>
                    <Route path=StaticSegment("fairness") view=route_views::FairnessPage/>
                    <Route
                        path=(StaticSegment("my"), ParamSegment("id"))
                        view=route_views::BookingPage
                    />
                    <Route path=StaticSegment("staff") view=route_views::Console ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("staff"), StaticSegment("sign-in")) view=route_views::StaffSignInPage/>
                    <Route path=(StaticSegment("staff"), StaticSegment("center")) view=route_views::CenterAdmin ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("staff"), StaticSegment("admin")) view=route_views::AdminPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("staff"), StaticSegment("reports")) view=route_views::Reports ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("display"), ParamSegment("center_id")) view=route_views::Display/>
                </Routes>
            </main>
        </Router>
    }
}
