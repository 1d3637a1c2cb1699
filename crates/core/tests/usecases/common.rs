//! The use-case harness: a [`Core`] opened on a fresh database (SQLite, or
//! PostgreSQL with `KEZEK_TEST_DATABASE_URL`) the way the server opens one,
//! migrated and demo-seeded, with a fixed clock — no HTTP.
#![allow(dead_code)]

use std::sync::Arc;

use kezek_core::Core;
use kezek_core::boot;
use kezek_core::clock::FixedClock;
use kezek_core::config::Config;

pub use kezek_core::testing::{TestDb, default_now, iin_n};

/// A core on its own database. (Named like the server tests' harness so a
/// test reads the same in both places: `app.state` is the `Core`.)
pub struct TestApp {
    pub state: Core,
    pub clock: FixedClock,
    pub db: TestDb,
}

impl TestApp {
    /// Migrated, demo-seeded, dev mode, clock at [`default_now`].
    pub async fn spawn() -> Self {
        let db = TestDb::new().await;
        let clock = FixedClock::new(default_now());
        let opened = boot::open(
            boot::Options {
                database_url: db.url.clone(),
                config: Config {
                    dev_mode: true,
                    otp_sends_per_hour: 1000,
                    auth_requests_per_minute: 100_000,
                    booking_writes_per_minute: 100_000,
                    ..Config::default()
                },
                seed_demo: true,
                admin_password: Some("test-admin-pw".into()),
            },
            Arc::new(clock.clone()),
        )
        .await
        .expect("open the core");
        Self {
            state: opened.core,
            clock,
            db,
        }
    }

    pub async fn stop(self) {
        self.state.db.clone().close().await.ok();
        self.db.cleanup().await;
    }
}

pub async fn center_id(app: &TestApp, slug: &str) -> i64 {
    kezek_core::testing::center_id_in(&app.state.db, slug).await
}

pub async fn window_id(app: &TestApp, center: i64, number: i32) -> i64 {
    kezek_core::testing::window_id_in(&app.state.db, center, number).await
}

pub async fn insert_citizen(
    app: &TestApp,
    iin: &str,
    phone: &str,
    lang: &str,
) -> (i64, kezek_domain::iin::Iin) {
    kezek_core::testing::insert_citizen_in(&app.state.db, iin, phone, lang).await
}
