//! Pages and components. One module per page.
pub mod components;
pub mod lang;
pub mod live;
pub mod pages;
pub mod resource;

use leptos::prelude::*;
use leptos_meta::{Link, Meta, MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    Lazy, ParamSegment, SsrMode, StaticSegment,
    components::{Route, Router, Routes},
};

use crate::i18n::ui::T;

/// The HTML document around the app (server-rendered).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = lang::request_lang();
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

/// Where the shell leaves the nonce Leptos put on this page's inline
/// scripts (the hydration bootstrap and the scripts that carry resolved
/// resources). The server's page layer (`server::http::page_csp`) puts an
/// empty slot into each request's extensions and, when the shell filled
/// it, answers with a Content-Security-Policy that allows inline scripts
/// only with that nonce.
///
/// Not through `leptos_axum::ResponseOptions`: a header inserted there
/// from the shell was missing from about half of the responses of an
/// `SsrMode::Async` page opened right after a client-side navigation
/// (`/staff/admin?tab=draws` after signing in) — the page then carried
/// the server's default policy, which forbids every inline script, and
/// never hydrated. The request's extensions travel with the request.
#[cfg(feature = "ssr")]
#[derive(Clone, Default)]
pub struct PageNonce(pub std::sync::Arc<std::sync::OnceLock<String>>);

/// The client bundle for staff pages, under the site's `pkg/`
/// (`pkg/staff/kezek-staff.js`, `.wasm` and its split modules); citizens'
/// pages load `pkg/kezek.js` (issue 16). Each bundle has a directory of its
/// own because its split modules and loader have fixed names.
pub const STAFF_CLIENT: &str = "staff/kezek-staff";

/// Whether a page of this path belongs to the staff client: the staff
/// console, sign-in, center administration, administration and reports
/// (`/staff…`) and the hall display (`/display/…`). Everything else —
/// every citizen page and the not-found page — is the citizen client's.
/// Must agree with the routes in [`App`] and with [`route_views`].
pub fn is_staff_path(path: &str) -> bool {
    path == "/staff" || path.starts_with("/staff/") || path.starts_with("/display/")
}

/// Points the hydration scripts at the client bundle that has this
/// request's page, provides that bundle's split manifest for the page's
/// preloads, and leaves the scripts' nonce for the page's CSP.
#[cfg(feature = "ssr")]
fn client_for_request(mut options: LeptosOptions) -> LeptosOptions {
    let parts = use_context::<axum::http::request::Parts>();
    let staff = parts
        .as_ref()
        .is_some_and(|parts| is_staff_path(parts.uri.path()));
    // The nonce Leptos puts on this page's inline scripts, for the page's
    // Content-Security-Policy (see `PageNonce`).
    if let (Some(nonce), Some(slot)) = (
        leptos::nonce::use_nonce(),
        parts.and_then(|p| p.extensions.get::<PageNonce>().cloned()),
    ) {
        let _ = slot.0.set(nonce.to_string());
    }
    // Before the name changes: `options.output_name` is the citizen's.
    split_manifest::provide(&options, staff);
    if staff {
        options.output_name = STAFF_CLIENT.into();
    }
    options
}

/// Preloads of a page's own modules of the client: the response names them
/// (`<link rel="preload">` in the head) so the browser fetches them with
/// the main module instead of after it. `scripts/build.sh` writes each
/// bundle's `split-manifest.json` (a lazy route's key → its modules)
/// beside the bundle's main module; both are read once, at the first page.
///
/// Leptos has the same feature (a `WasmSplitManifest` context read by
/// leptos_integration_utils when the response starts), but it looks the
/// context up outside the request's reactive owner — in whichever owner
/// the thread last left current — so it found the manifest or not
/// depending on how the render's tasks happened to be scheduled (an
/// unrelated middleware turned it off for every page). Here the page's
/// view registers its own preloads while it renders, inside its request.
#[cfg(feature = "ssr")]
pub(crate) mod split_manifest {
    use std::{collections::HashMap, sync::Arc, sync::OnceLock};

    use leptos::{
        config::LeptosOptions,
        prelude::{IntoView, RenderHtml, provide_context, use_context, view},
    };
    use leptos_meta::Link;

    /// One bundle's manifest and where its files are served from.
    struct Bundle {
        /// `/pkg` or `/pkg/staff`.
        dir: String,
        modules: HashMap<String, Vec<String>>,
    }

    /// The manifest of the bundle that has this request's page.
    #[derive(Clone)]
    struct PageBundle(Arc<Bundle>);

    /// The citizen's bundle's, then the staff bundle's.
    static BUNDLES: OnceLock<[Option<Arc<Bundle>>; 2]> = OnceLock::new();

    /// The manifest of the bundle whose main module is `pkg/<name>`
    /// (`name` may have a directory: `staff/kezek-staff`).
    fn load(options: &LeptosOptions, name: &str) -> Option<Arc<Bundle>> {
        let main = format!("{}/{name}", options.site_pkg_dir);
        let (dir, _) = main.rsplit_once('/')?;
        let path = format!("{}/{dir}/split-manifest.json", options.site_root);
        let text = std::fs::read_to_string(path).ok()?;
        let modules = serde_json::from_str(&text).ok()?;
        Some(Arc::new(Bundle {
            dir: format!("/{dir}"),
            modules,
        }))
    }

    /// `options` as configured (`output_name` names the citizen's bundle).
    pub(in crate::ui) fn provide(options: &LeptosOptions, staff: bool) {
        let bundles = BUNDLES.get_or_init(|| {
            [
                load(options, &options.output_name),
                load(options, super::STAFF_CLIENT),
            ]
        });
        if let Some(bundle) = &bundles[usize::from(staff)] {
            provide_context(PageBundle(bundle.clone()));
        }
    }

    /// The key `#[lazy_route]` gives the route type `name` in the
    /// manifest: `__<name in snake case>_view_<build hash>`.
    fn key_prefix(name: &str) -> String {
        let mut key = String::from("__");
        for (i, c) in name.chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                key.push('_');
            }
            key.push(c.to_ascii_lowercase());
        }
        key.push_str("_view_");
        key
    }

    /// Called by the view of the lazy route type `name` while the server
    /// renders it: registers its modules with the page's head.
    pub(crate) fn preload_page(name: &str) {
        let Some(PageBundle(bundle)) = use_context::<PageBundle>() else {
            return;
        };
        let prefix = key_prefix(name);
        let Some(modules) = bundle
            .modules
            .iter()
            .find_map(|(key, modules)| key.starts_with(&prefix).then_some(modules))
        else {
            return;
        };
        for module in modules {
            // Rendering a leptos_meta tag registers it with the head.
            let _ = view! {
                <Link
                    rel="preload"
                    href=format!("{}/{module}.wasm", bundle.dir)
                    as_="fetch"
                    type_="application/wasm"
                    crossorigin="anonymous"
                />
            }
            .into_view()
            .to_html();
        }
        let _ =
            view! { <Link rel="modulepreload" href=format!("{}/__wasm_split.js", bundle.dir)/> }
                .into_view()
                .to_html();
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn the_key_of_a_route_type_is_its_snake_case_name() {
            assert_eq!(super::key_prefix("FairnessPage"), "__fairness_page_view_");
            assert_eq!(
                super::key_prefix("StaffSignInPage"),
                "__staff_sign_in_page_view_"
            );
            assert_eq!(super::key_prefix("Home"), "__home_view_");
        }
    }
}

/// The view of each route. The server renders every page; each client
/// bundle compiles only its own pages (features `citizen-pages`,
/// `staff-pages` of this crate) and puts [`OtherClient`] where the other
/// bundle's pages would be, so the citizen's WebAssembly carries no staff
/// or administration code and the other way round. The route table itself
/// is the same in every build, so hydration matches.
///
/// Every page but `/book` is a lazy route (issue 16): in the client,
/// `#[lazy_route]` marks its view as a split point, and `scripts/build.sh`
/// cuts the bundle there after linking (`kezek-wasm-split`), so a page's
/// code is a module of its own, fetched when the page is first shown — the
/// main module holds the router, the header, `/book` and what the pages
/// share. On the server a lazy route is an ordinary call.
mod route_views {
    use leptos::prelude::{AnyView, IntoAny};
    use leptos_router::{LazyRoute, lazy_route};

    macro_rules! pages {
        ($feature:literal: $($($seg:ident)::+ as $name:ident),* $(,)?) => {$(
            pub struct $name;

            #[cfg(any(feature = "ssr", feature = $feature))]
            #[lazy_route]
            impl LazyRoute for $name {
                fn data() -> Self {
                    $name
                }
                fn view(_this: Self) -> AnyView {
                    #[cfg(feature = "ssr")]
                    crate::ui::split_manifest::preload_page(stringify!($name));
                    crate::ui::pages::$($seg)::+().into_any()
                }
            }

            #[cfg(not(any(feature = "ssr", feature = $feature)))]
            impl LazyRoute for $name {
                fn data() -> Self {
                    $name
                }
                async fn view(_this: Self) -> AnyView {
                    crate::ui::OtherClient().into_any()
                }
            }
        )*};
    }
    // The booking page is the one most citizens open first, from a link or
    // a search, often on a phone: it stays in the main module, which it
    // needs whole anyway (loading it as ~30 split modules was slower).
    #[cfg(not(any(feature = "ssr", feature = "citizen-pages")))]
    pub use crate::ui::OtherClient as Book;
    #[cfg(any(feature = "ssr", feature = "citizen-pages"))]
    pub use crate::ui::pages::book::Book;
    pages!("citizen-pages":
        home::Home as Home,
        sign_in::SignIn as SignIn,
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
        // The router keeps the query without its `?`.
        let path = location.pathname.get_untracked()
            + &location.search.with_untracked(|s| {
                if s.is_empty() {
                    String::new()
                } else {
                    format!("?{s}")
                }
            });
        let href = format!("{path}{}", location.hash.get_untracked());
        Effect::new(move || leave_for(path.clone(), href.clone(), 50));
    }
    view! { <p class="loading" aria-busy="true">"…"</p> }
}

/// Loads `href` (whose path and query are `path`) from the server in place
/// of the history entry the router made for it. The router may write that
/// entry after this page is shown: replacing before it did replaced the
/// page the citizen came from instead (Back then skipped it — seen in
/// `hydration.spec.ts`), so this waits for the address bar to show `path`,
/// up to half a second, then goes there as a new entry.
#[cfg(feature = "hydrate")]
fn leave_for(path: String, href: String, tries: u32) {
    let location = window().location();
    let here = location.pathname().unwrap_or_default() + &location.search().unwrap_or_default();
    if here == path {
        let _ = location.replace(&href);
    } else if tries == 0 {
        let _ = location.assign(&href);
    } else {
        set_timeout(
            move || leave_for(path, href, tries - 1),
            std::time::Duration::from_millis(10),
        );
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
                    <Route path=StaticSegment("") view={Lazy::<route_views::Home>::new()}/>
                    <Route path=StaticSegment("sign-in") view={Lazy::<route_views::SignIn>::new()}/>
                    <Route path=StaticSegment("book") view=route_views::Book/>
                    <Route path=StaticSegment("my") view={Lazy::<route_views::MyBookings>::new()}/>
                    <Route path=(StaticSegment("draws"), ParamSegment("id")) view={Lazy::<route_views::DrawPage>::new()}/>
                    <Route path=StaticSegment("fairness") view={Lazy::<route_views::FairnessPage>::new()}/>
                    <Route
                        path=(StaticSegment("my"), ParamSegment("id"))
                        view={Lazy::<route_views::BookingPage>::new()}
                    />
                    <Route path=StaticSegment("staff") view={Lazy::<route_views::Console>::new()} ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("staff"), StaticSegment("sign-in")) view={Lazy::<route_views::StaffSignInPage>::new()}/>
                    <Route path=(StaticSegment("staff"), StaticSegment("center")) view={Lazy::<route_views::CenterAdmin>::new()} ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("staff"), StaticSegment("admin")) view={Lazy::<route_views::AdminPage>::new()} ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("staff"), StaticSegment("reports")) view={Lazy::<route_views::Reports>::new()} ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("display"), ParamSegment("center_id")) view={Lazy::<route_views::Display>::new()}/>
                </Routes>
            </main>
        </Router>
    }
}
