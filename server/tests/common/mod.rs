//! Test harness shared by the database and HTTP tests.
//!
//! `KEZEK_TEST_DATABASE_URL` unset or empty → a SQLite file in a temp dir;
//! set to a PostgreSQL server URL (without a database name) → a fresh
//! database `kezek_t_<run>_<n>` per test, dropped by [`TestDb::cleanup`] (and
//! by the test script's sweep if a test dies). Always the real migrations.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use app::server::{clock::FixedClock, state::AppState};
use chrono::{DateTime, TimeZone, Utc};
use clap::Parser;
use sea_orm::{ConnectionTrait, Database};

static COUNTER: AtomicU32 = AtomicU32::new(0);

pub struct TestDb {
    pub url: String,
    pg: Option<(String, String)>, // (server url, database name)
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub async fn new() -> Self {
        match std::env::var("KEZEK_TEST_DATABASE_URL") {
            Ok(server) if !server.trim().is_empty() => {
                let server = server.trim_end_matches('/').to_owned();
                let run = std::env::var("KEZEK_TEST_RUN_ID").unwrap_or_else(|_| "0".into());
                let name = format!(
                    "kezek_t_{run}_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::SeqCst)
                );
                let admin = Database::connect(format!("{server}/postgres"))
                    .await
                    .unwrap();
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .unwrap();
                admin.close().await.ok();
                Self {
                    url: format!("{server}/{name}"),
                    pg: Some((server, name)),
                    _dir: None,
                }
            }
            _ => {
                let dir = tempfile::tempdir().unwrap();
                let url = format!("sqlite://{}/kezek.db", dir.path().display());
                Self {
                    url,
                    pg: None,
                    _dir: Some(dir),
                }
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.pg.is_some()
    }

    /// Drops the PostgreSQL database (SQLite's temp dir goes with `self`).
    pub async fn cleanup(self) {
        if let Some((server, name)) = &self.pg
            && let Ok(admin) = Database::connect(format!("{server}/postgres")).await
        {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .await;
            admin.close().await.ok();
        }
    }
}

/// 2026-12-01 09:00 in Astana (UTC+5), a Tuesday.
pub fn default_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 4, 0, 0).unwrap()
}

/// A running app on a real socket (port 0).
pub struct TestApp {
    pub base: String,
    pub state: AppState,
    pub clock: FixedClock,
    pub db: TestDb,
    server: tokio::task::JoinHandle<()>,
}

impl TestApp {
    /// Migrated, demo-seeded, dev mode, clock at [`default_now`].
    pub async fn spawn() -> Self {
        Self::spawn_with(&["--dev", "--seed-demo"]).await
    }

    pub async fn spawn_with(flags: &[&str]) -> Self {
        let db = TestDb::new().await;
        let mut args = vec![
            "kezek",
            "--database-url",
            &db.url,
            "--listen",
            "127.0.0.1:0",
            "--admin-password",
            "test-admin-pw",
            "--site-root",
            "target/site",
        ];
        args.extend_from_slice(flags);
        let cli = server::cli::Cli::parse_from(args);
        let clock = FixedClock::new(default_now());
        let state = server::build_state(&cli, Arc::new(clock.clone()))
            .await
            .expect("state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let router = server::router(state.clone());
        let server = tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });
        Self {
            base: format!("http://{addr}"),
            state,
            clock,
            db,
            server,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn stop(self) {
        self.server.abort();
        let _ = self.server.await;
        self.state.db.clone().close().await.ok();
        self.db.cleanup().await;
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}
