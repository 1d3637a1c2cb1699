//! The WebAssembly entry point: hydrates the server-rendered page.
//!
//! Built only for `wasm32-unknown-unknown` with `app/hydrate`; it must never
//! link a database or server crate (CI checks this with `cargo tree`).

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // The pages are lazy routes (issue 16): hydration waits for the
    // module that holds the shown page, so it runs as a task.
    wasm_bindgen_futures::spawn_local(async {
        let Some(body) = leptos::prelude::document().body() else {
            return;
        };
        leptos::mount::hydrate_from_async(body.clone(), app::App)
            .await
            .forget();
        // A marker for browser tests (and styles): the page is interactive now.
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
