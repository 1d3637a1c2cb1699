//! `Core`: everything a use case needs — the database, the clock, the
//! configuration, the SQLite write gate, the read cache and the ports
//! (registries). Every way in (axum handlers, server functions, the bot,
//! the CLI) holds one and passes `&Core` to the use cases.
use std::sync::Arc;

use sea_orm::DatabaseConnection;

use super::{
    clock::Clock, config::Config, service::phones::CitizenRegistry,
    service::vehicles::VehicleRegistry,
};

#[derive(Clone)]
pub struct Core {
    pub db: DatabaseConnection,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<Config>,
    /// Serializes write transactions on SQLite (one writer at a time inside
    /// this process, instead of connections spinning on the busy handler).
    /// Unused on PostgreSQL, where row locks do the work.
    pub write_gate: Arc<tokio::sync::Mutex<()>>,
    /// Short-lived cache of reference data for the availability read path.
    pub read_cache: Arc<crate::service::booking::read_cache::ReadCache>,
    /// The vehicle registry (R6): `DbRegistry` over the `vehicles` table by
    /// default; swapped in tests or for an external registry.
    pub registry: Arc<dyn VehicleRegistry>,
    /// The mobile-citizens registry (R11): `DbCitizenRegistry` over the
    /// `citizen_phones` table by default, or an external HTTP registry.
    pub phones: Arc<dyn CitizenRegistry>,
    /// In-process rate limits: sign-in per client address, booking writes
    /// per citizen.
    pub limiter: Arc<crate::limiter::KeyedLimiter>,
    /// When each background job last completed a pass.
    pub jobs: Arc<crate::service::health::Jobs>,
    /// Looks at calendars gathered for the fairness figures, written by
    /// the looks job.
    pub looks: Arc<crate::service::reports::looks::Looks>,
    /// The public fairness figures, computed at most every few minutes.
    pub fairness: Arc<crate::service::reports::fairness::Cache>,
    /// Changes for live pages, published after each commit.
    pub events: Arc<crate::events::Events>,
}

impl Core {
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }
}
