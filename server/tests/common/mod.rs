//! Test harness shared by the database and HTTP tests.
//!
//! `KEZEK_TEST_DATABASE_URL` unset or empty → a SQLite file in a temp dir;
//! set to a PostgreSQL server URL (without a database name) → a fresh
//! database `kezek_t_<run>_<n>` per test, dropped by [`TestDb::cleanup`] (and
//! by the test script's sweep if a test dies). Always the real migrations.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use app::domain::ids::{CenterId, CitizenId};
use std::sync::Arc;

use app::server::clock::FixedClock;
use clap::Parser;
use server::AppState;

pub use kezek_core::testing::{TestDb, default_now, iin_n};

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
        let url = db.url.clone();
        Self::spawn_via(db, &url, flags).await
    }

    /// Like [`TestApp::spawn_with`] on `db`, but the server connects
    /// through `url` (e.g. a proxy in front of `db`).
    pub async fn spawn_via(db: TestDb, url: &str, flags: &[&str]) -> Self {
        let mut args = vec![
            "kezek",
            "--database-url",
            url,
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

/// A client for the test server. A request that gets no answer within a
/// minute fails (its error names the URL) instead of holding the test run.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .unwrap()
}

// ---- Helpers for the JSON API tests (api_*.rs) ----

impl TestApp {
    /// Like [`TestApp::spawn_with`], but served the way `kezek` serves
    /// (with the client address), so per-address limits see 127.0.0.1.
    pub async fn spawn_served(flags: &[&str]) -> Self {
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
        let svc = server::router(state.clone())
            .into_make_service_with_connect_info::<std::net::SocketAddr>();
        let server = tokio::spawn(async move {
            axum::serve(listener, svc).await.unwrap();
        });
        Self {
            base: format!("http://{addr}"),
            state,
            clock,
            db,
            server,
        }
    }

    /// `GET {path}` with `Accept-Language: lang`: (status, JSON body or Null).
    pub async fn get_json(&self, path: &str, lang: &str) -> (u16, serde_json::Value) {
        let r = client()
            .get(self.url(path))
            .header("accept-language", lang)
            .send()
            .await
            .unwrap();
        let st = r.status().as_u16();
        (st, r.json().await.unwrap_or(serde_json::Value::Null))
    }

    /// `POST {path}` with a JSON body and an optional bearer token.
    pub async fn post_json(
        &self,
        path: &str,
        body: &serde_json::Value,
        token: Option<&str>,
    ) -> (u16, serde_json::Value) {
        let mut req = client()
            .post(self.url(path))
            .header("accept-language", "en")
            .json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let r = req.send().await.unwrap();
        let st = r.status().as_u16();
        (st, r.json().await.unwrap_or(serde_json::Value::Null))
    }

    /// Registers `(iin, phone)` in the mobile-citizens registry (R11), as
    /// the administrator's import does.
    pub async fn register_phone(&self, iin: &str, phone: &str) {
        let csv = format!("iin,phone\n{iin},{phone}\n");
        app::server::service::phones::import_csv(&self.state, &csv, false)
            .await
            .unwrap();
    }

    /// `GET {path}` with a bearer token: (status, JSON body or Null).
    pub async fn get_auth(&self, path: &str, token: &str) -> (u16, serde_json::Value) {
        let r = client()
            .get(self.url(path))
            .header("accept-language", "en")
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        let st = r.status().as_u16();
        (st, r.json().await.unwrap_or(serde_json::Value::Null))
    }

    /// Signs a citizen in over the JSON API (dev mode: the code is read
    /// from the dev outbox). Returns the bearer token.
    pub async fn citizen_token(&self, iin: &str, phone: &str) -> String {
        let (st, body) = self
            .post_json(
                "/api/v1/auth/otp",
                &serde_json::json!({"iin": iin, "phone": phone}),
                None,
            )
            .await;
        assert_eq!(st, 202, "{body}");
        let challenge = body["challenge_id"].as_str().unwrap().to_owned();
        let code = self.last_code(phone).await;
        let (st, body) = self
            .post_json(
                "/api/v1/auth/verify",
                &serde_json::json!({"challenge_id": challenge, "code": code}),
                None,
            )
            .await;
        assert_eq!(st, 200, "{body}");
        body["token"].as_str().unwrap().to_owned()
    }

    /// The newest 6-digit code in the dev outbox for `phone`.
    pub async fn last_code(&self, phone: &str) -> String {
        let r = client()
            .get(self.url("/api/v1/dev/outbox"))
            .query(&[("to", phone)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let list: serde_json::Value = r.json().await.unwrap();
        let body = list[0]["body"].as_str().unwrap().to_owned();
        body.split(|c: char| !c.is_ascii_digit())
            .find(|w| w.len() == 6)
            .unwrap()
            .to_owned()
    }

    /// Signs a staff member in; returns the whole answer.
    pub async fn staff_login(&self, username: &str, password: &str) -> (u16, serde_json::Value) {
        self.post_json(
            "/api/v1/staff/login",
            &serde_json::json!({"username": username, "password": password}),
            None,
        )
        .await
    }

    /// A staff bearer token (panics when the sign-in fails).
    pub async fn staff_token(&self, username: &str, password: &str) -> String {
        let (st, body) = self.staff_login(username, password).await;
        assert_eq!(st, 200, "{body}");
        body["token"].as_str().unwrap().to_owned()
    }
}

/// Signs in citizen `n` over the API (dev outbox gives the code).
pub async fn sign_in(base: &str, n: u32) -> String {
    let iin = iin_n(n);
    let phone = format!("+7701{:07}", n);
    let c = client();
    let r: serde_json::Value = c
        .post(format!("{base}/api/v1/auth/otp"))
        .json(&serde_json::json!({"iin": iin, "phone": phone}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let challenge = r["challenge_id"].as_str().unwrap().to_owned();
    let out: serde_json::Value = c
        .get(format!("{base}/api/v1/dev/outbox"))
        .query(&[("to", phone.as_str())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let body = out[0]["body"].as_str().unwrap();
    let code: String = body
        .split(|ch: char| !ch.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap()
        .to_owned();
    let r: serde_json::Value = c
        .post(format!("{base}/api/v1/auth/verify"))
        .json(&serde_json::json!({"challenge_id": challenge, "code": code}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["token"].as_str().unwrap().to_owned()
}

/// The id of a seeded center by slug.
pub async fn center_id(app: &TestApp, slug: &str) -> i64 {
    kezek_core::testing::center_id_in(&app.state.db, slug).await
}

/// The id of window `number` of a center.
pub async fn window_id(app: &TestApp, center: i64, number: i32) -> i64 {
    kezek_core::testing::window_id_in(&app.state.db, center, number).await
}

/// The id of a staff account by username.
pub async fn staff_id(app: &TestApp, username: &str) -> i64 {
    use app::server::entity::staff;
    kezek_core::testing::rows::<staff::Entity>(&app.state.db)
        .await
        .into_iter()
        .find(|s| s.username == username)
        .unwrap()
        .id
}

/// Inserts a citizen row directly (no sign-in) and returns its id and IIN.
pub async fn insert_citizen(
    app: &TestApp,
    iin: &str,
    phone: &str,
    lang: &str,
) -> (i64, app::domain::iin::Iin) {
    kezek_core::testing::insert_citizen_in(&app.state.db, iin, phone, lang).await
}

/// POSTs form data to the server function `/sfn/{name}` (English) with an
/// optional bearer token: (status, JSON body, Set-Cookie).
pub async fn sfn(
    app: &TestApp,
    name: &str,
    form: &[(&str, String)],
    token: Option<&str>,
) -> (u16, serde_json::Value, Option<String>) {
    let mut req = client()
        .post(app.url(&format!("/sfn/{name}")))
        .header("accept", "application/json")
        .header("accept-language", "en")
        .form(form);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let cookie = r
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().to_owned());
    (
        status,
        r.json().await.unwrap_or(serde_json::Value::Null),
        cookie,
    )
}

/// Books `service` at `center` from `start` (RFC 3339) for test citizen
/// `n` (inserted directly) through the booking use case; panics if refused.
pub async fn book_for(
    app: &TestApp,
    n: u32,
    center: i64,
    service: &str,
    start: &str,
) -> app::api::types::BookingView {
    use app::server::service::booking::create::{BookInput, book};
    let (citizen_id, iin) = insert_citizen(app, &iin_n(n), &format!("+7703{n:07}"), "en").await;
    book(
        &app.state,
        BookInput {
            citizen_id: CitizenId::new(citizen_id),
            iin,
            center_id: CenterId::new(center),
            service: service.into(),
            start: start.into(),
            vehicle: None,
            idempotency_key: None,
        },
        app::i18n::Lang::En,
    )
    .await
    .unwrap()
    .booking
}

/// The stored booking row by its id (as the API gives it).
pub async fn booking_row(app: &TestApp, id: &str) -> app::server::entity::bookings::Model {
    kezek_core::testing::row::<app::server::entity::bookings::Entity, i64>(
        &app.state.db,
        id.parse().unwrap(),
    )
    .await
    .unwrap()
}

/// A booking's history rows, oldest first.
pub async fn booking_history(
    app: &TestApp,
    id: &str,
) -> Vec<app::server::entity::booking_history::Model> {
    use app::server::entity::booking_history;
    let id: i64 = id.parse().unwrap();
    kezek_core::testing::rows::<booking_history::Entity>(&app.state.db)
        .await
        .into_iter()
        .filter(|h| h.booking_id == id)
        .collect()
}

/// A live page's server-sent event stream, read block by block over a real
/// socket (`/live/...`).
pub struct EventStream {
    resp: reqwest::Response,
    buf: String,
}

impl EventStream {
    /// Opens `url` (with a bearer `token`), checks the answer is an event
    /// stream and that it opens with `ready`.
    pub async fn open(url: &str, token: Option<&str>) -> EventStream {
        let mut req = client().get(url).header("accept", "text/event-stream");
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), 200, "{url}");
        assert_eq!(
            resp.headers()["content-type"].to_str().unwrap(),
            "text/event-stream",
            "{url}"
        );
        let mut s = EventStream {
            resp,
            buf: String::new(),
        };
        assert_eq!(
            s.next(std::time::Duration::from_secs(5)).await.as_deref(),
            Some("ready"),
            "{url} opens with `ready`"
        );
        s
    }

    /// The next event's name within `wait` (see [`EventStream::next_by`]).
    pub async fn next(&mut self, wait: std::time::Duration) -> Option<String> {
        self.next_by(tokio::time::Instant::now() + wait).await
    }

    /// The next event's name (keep-alive comments skipped), or `None` when
    /// nothing arrives by `deadline`. Every event's data is its name (no
    /// ids, nothing personal; browsers drop an event without data).
    pub async fn next_by(&mut self, deadline: tokio::time::Instant) -> Option<String> {
        loop {
            if let Some(i) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..i + 2).collect();
                let mut name = None;
                let mut data = None;
                for line in block.lines() {
                    if let Some(n) = line.strip_prefix("event:") {
                        name = Some(n.trim().to_owned());
                    }
                    if let Some(d) = line.strip_prefix("data:") {
                        data = Some(d.trim().to_owned());
                    }
                }
                match name {
                    Some(n) => {
                        assert_eq!(data.as_ref(), Some(&n), "a live event's data: {block:?}");
                        return Some(n);
                    }
                    None => continue,
                }
            }
            match tokio::time::timeout_at(deadline, self.resp.chunk()).await {
                Ok(Ok(Some(bytes))) => self.buf.push_str(&String::from_utf8_lossy(&bytes)),
                _ => return None,
            }
        }
    }
}
