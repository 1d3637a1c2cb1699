//! The WebAssembly entry point: hydrates the server-rendered page.
//!
//! Built only for `wasm32-unknown-unknown` with `app/hydrate`; it must never
//! link a database or server crate (CI checks this with `cargo tree`).

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // A marker for browser tests (and styles): the page is interactive now.
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
