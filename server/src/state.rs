//! `AppState`: what the ways in share — the Leptos options for the pages and
//! the [`Core`] every use case takes. Handlers reach the core's fields
//! through `Deref` (`state.db`, `state.now()`), and pass `&state` where a
//! use case wants `&Core`. Server functions get the `Core` from Leptos
//! context.
use std::ops::Deref;

use app::server::Core;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub core: Core,
}

impl Deref for AppState {
    type Target = Core;

    fn deref(&self) -> &Core {
        &self.core
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos_options.clone()
    }
}

impl FromRef<AppState> for Core {
    fn from_ref(s: &AppState) -> Self {
        s.core.clone()
    }
}
