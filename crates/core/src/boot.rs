//! Opening a [`Core`]: connect, migrate, make sure the national calendar
//! has this year and the next, seed the demo data when asked, make sure the
//! administrator account exists. The server builds its `AppState` around
//! the result; the use-case tests open one the same way, without HTTP.
use std::sync::Arc;

use crate::clock::Clock;
use crate::config::Config;
use crate::service::phones::{CitizenRegistry, DbCitizenRegistry, HttpCitizenRegistry};
use crate::service::vehicles::{DbRegistry, HttpRegistry, VehicleRegistry};
use crate::state::Core;
use crate::{db, seed};

/// What to open.
#[derive(Clone, Debug)]
pub struct Options {
    pub database_url: String,
    pub config: Config,
    /// Seed the demo catalog, centers and staff into an empty database.
    pub seed_demo: bool,
    /// The administrator's password; `None` generates one on the first start.
    pub admin_password: Option<String>,
}

/// An opened core, and the administrator password if one was generated now
/// (to show once).
pub struct Opened {
    pub core: Core,
    pub generated_admin_password: Option<String>,
}

/// Why opening failed (each step names itself).
#[derive(Debug, thiserror::Error)]
#[error("{step}: {detail}")]
pub struct OpenError {
    pub step: &'static str,
    pub detail: String,
}

fn fail(step: &'static str) -> impl Fn(String) -> OpenError {
    move |detail| OpenError { step, detail }
}

/// Connects, migrates, seeds (if asked) and builds the [`Core`].
pub async fn open(opts: Options, clock: Arc<dyn Clock>) -> Result<Opened, OpenError> {
    let conn = db::connect_with(&opts.database_url, opts.config.db_acquire_timeout)
        .await
        .map_err(|e| fail("connecting to the database")(e.to_string()))?;
    db::migrate(&conn)
        .await
        .map_err(|e| fail("running migrations")(e.to_string()))?;
    let registry: Arc<dyn VehicleRegistry> = match &opts.config.vehicle_registry_url {
        Some(url) => {
            tracing::warn!(%url, "external vehicle registry configured; its adapter is a stub");
            Arc::new(HttpRegistry::new(url.clone()))
        }
        None => Arc::new(DbRegistry::new(conn.clone())),
    };
    let phones: Arc<dyn CitizenRegistry> = match &opts.config.citizen_registry_url {
        Some(url) => Arc::new(
            HttpCitizenRegistry::new(
                url.clone(),
                opts.config
                    .citizen_registry_token
                    .as_ref()
                    .map(|s| s.0.clone()),
            )
            .map_err(|e| fail("citizen registry client")(e.to_string()))?,
        ),
        None => Arc::new(DbCitizenRegistry::new(conn.clone())),
    };
    let now = clock.now();
    crate::service::booking::schedule::ensure_national_calendar(
        &conn,
        &crate::service::booking::schedule::calendar_years(now),
        now.timestamp(),
    )
    .await
    .map_err(|e| fail("national calendar")(e.to_string()))?;
    if opts.seed_demo {
        // Demo people (staff with a public password, vehicles, phone
        // registrations) only in dev mode; otherwise the catalog alone.
        let parts = if opts.config.dev_mode {
            seed::SeedParts::Demo
        } else {
            tracing::warn!(
                "--seed-demo without --dev seeds the catalog only: demo staff accounts, \
                 vehicles and phone registrations come with --dev"
            );
            seed::SeedParts::Catalog
        };
        match seed::seed(&conn, now.timestamp(), parts).await {
            Ok(Some(s)) => tracing::info!(
                centers = s.centers,
                services = s.services,
                staff = s.staff_usernames.len(),
                "demo data seeded"
            ),
            Ok(None) => tracing::info!("database already has data; demo seed skipped"),
            Err(e) => return Err(fail("seeding demo data")(e.to_string())),
        }
    }
    let generated_admin_password =
        seed::ensure_admin(&conn, opts.admin_password.as_deref(), now.timestamp())
            .await
            .map_err(|e| fail("creating the administrator")(e.to_string()))?;
    Ok(Opened {
        core: Core {
            db: conn,
            clock,
            config: Arc::new(opts.config),
            write_gate: Arc::new(tokio::sync::Mutex::new(())),
            read_cache: Arc::default(),
            registry,
            phones,
            limiter: Arc::default(),
            jobs: Arc::default(),
            looks: Arc::default(),
            fairness: Arc::default(),
            events: Arc::default(),
        },
        generated_admin_password,
    })
}
