//! `AppState`: everything a request needs, given to axum handlers and (via
//! context) to server functions.
use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sea_orm::DatabaseConnection;

use super::{clock::Clock, config::Config, service::vehicles::VehicleRegistry};

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<Config>,
    /// Serializes write transactions on SQLite (one writer at a time inside
    /// this process, instead of connections spinning on the busy handler).
    /// Unused on PostgreSQL, where row locks do the work.
    pub write_gate: Arc<tokio::sync::Mutex<()>>,
    /// Short-lived cache of reference data for the availability read path.
    pub read_cache: Arc<crate::server::service::booking::read_cache::ReadCache>,
    /// The vehicle registry (R6): `DbRegistry` over the `vehicles` table by
    /// default; swapped in tests or for an external registry.
    pub registry: Arc<dyn VehicleRegistry>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos_options.clone()
    }
}

impl AppState {
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }
}
