//! The smaller doors of the security review: `?next=` (M5), demo people
//! only in dev mode (H4), control characters in free text (L3), the dev
//! mode's loopback interlock and the `__Host-` session cookie over TLS (L6).
use clap::Parser;
use serde_json::{Value, json};

use crate::common::{TestApp, client, iin_n};
use kezek_core::testing::{registered_phones_in, staff_usernames_in};

/// Signs in through the server functions the way a browser without
/// JavaScript does (`Accept: text/html`), asking to return to `next`.
/// Returns (status, Location).
async fn sign_in_to(app: &TestApp, n: u32, next: &str) -> (u16, Option<String>) {
    let (iin, phone) = (iin_n(n), format!("+7701{n:07}"));
    let r = client()
        .post(app.url("/sfn/request_code"))
        .header("accept", "application/json")
        .form(&[("iin", iin.as_str()), ("phone", phone.as_str())])
        .send()
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    let r = client()
        .post(app.url("/sfn/verify_code"))
        .header("accept", "text/html")
        .form(&[
            ("challenge_id", body["challenge_id"].as_str().unwrap()),
            ("code", body["dev_code"].as_str().unwrap()),
            ("next", next),
        ])
        .send()
        .await
        .unwrap();
    let location = r
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned());
    (r.status().as_u16(), location)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn next_only_leads_to_a_page_of_kezek() {
    let app = TestApp::spawn().await;
    let (st, location) = sign_in_to(&app, 7401, "/book?kind=Psc").await;
    assert!(st < 400, "{st}");
    assert_eq!(location.as_deref(), Some("/book?kind=Psc"));
    let hostile = [
        "//evil.example",
        "/\\evil.example",
        "/\t/evil.example",
        "/\n",
        "/\r\nSet-Cookie: x=1",
        "https://evil.example/",
        "/книга",
        "/\u{0}",
    ];
    for (i, next) in hostile.into_iter().enumerate() {
        let n = 7410 + u32::try_from(i).unwrap();
        let (st, location) = sign_in_to(&app, n, next).await;
        assert!(st < 500, "{next:?}: {st}");
        if let Some(l) = &location {
            assert!(
                l.starts_with('/') && !l.starts_with("//") && !l.contains('\\'),
                "{next:?} → {l:?}"
            );
            assert_ne!(l, next, "{next:?} was followed");
        }
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_people_come_only_with_dev_mode() {
    let app = TestApp::spawn_with(&["--seed-demo"]).await;
    let (st, centers) = app.get_json("/api/v1/centers", "en").await;
    assert_eq!(st, 200);
    assert!(
        centers.as_array().is_some_and(|c| c.len() >= 8),
        "{centers}"
    );
    let (st, _) = app.staff_login("ast-psc-yesil-admin", "kezek-demo").await;
    assert_eq!(st, 401);
    assert_eq!(staff_usernames_in(&app.state.db).await, ["admin"]);
    assert!(
        registered_phones_in(&app.state.db, "710313311868")
            .await
            .is_empty()
    );
    app.stop().await;

    // With --dev the demo staff exist (and the public password works).
    let app = TestApp::spawn().await;
    assert_eq!(
        app.staff_login("ast-psc-yesil-admin", "kezek-demo").await.0,
        200
    );
    app.stop().await;

    // `kezek seed-catalog`: catalog and centers, no account at all.
    let db = crate::common::TestDb::new().await;
    let cli = server::cli::Cli::parse_from(["kezek", "--database-url", &db.url, "seed-catalog"]);
    assert!(matches!(
        cli.command,
        Some(server::cli::Command::SeedCatalog)
    ));
    server::seed_catalog(&cli).await.unwrap();
    server::seed_catalog(&cli).await.unwrap(); // a second run changes nothing
    let conn = kezek_core::db::connect(&db.url).await.unwrap();
    assert_eq!(kezek_core::seed::count_centers(&conn).await.unwrap(), 8);
    assert!(staff_usernames_in(&conn).await.is_empty());
    conn.close().await.ok();
    db.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn control_characters_in_free_text_are_refused_not_stored() {
    let app = TestApp::spawn().await;
    let token = app.citizen_token(&iin_n(7501), "+77017501001").await;
    let r = client()
        .post(app.url("/sfn/book_visit"))
        .header("accept", "application/json")
        .header("accept-language", "en")
        .header("cookie", format!("kezek_session={token}"))
        .form(&[
            ("center_id", "1"),
            ("service", "ID_CARD"),
            ("start", "2026-12-03T10:00:00+05:00"),
            ("idempotency_key", "key\u{0}1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "bad_request");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("idempotency_key"),
        "{body}"
    );
    let (_, list) = app.get_auth("/api/v1/bookings", &token).await;
    assert_eq!(list, json!([]));

    let admin = app.staff_token("admin", "test-admin-pw").await;
    let r = client()
        .post(app.url("/sfn/admin_national_save"))
        .header("accept", "application/json")
        .header("accept-language", "en")
        .header("cookie", format!("kezek_session={admin}"))
        .form(&[
            ("date", "2026-12-21"),
            ("kind", "day_off"),
            ("name", "Day\u{0}off"),
            ("decision", "move"),
            ("reason", "why"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "bad_request", "{body}");
    app.stop().await;
}

#[test]
fn dev_mode_listens_on_loopback_unless_told_otherwise() {
    let parse = |args: &[&str]| {
        let mut all = vec!["kezek"];
        all.extend_from_slice(args);
        server::cli::Cli::parse_from(all)
    };
    assert!(server::check_dev_listen(&parse(&["--dev", "--listen", "0.0.0.0:3000"])).is_err());
    assert!(server::check_dev_listen(&parse(&["--dev", "--listen", "[::]:3000"])).is_err());
    assert!(server::check_dev_listen(&parse(&["--dev", "--listen", "127.0.0.1:3000"])).is_ok());
    assert!(server::check_dev_listen(&parse(&["--dev", "--listen", "[::1]:3000"])).is_ok());
    assert!(
        server::check_dev_listen(&parse(&[
            "--dev",
            "--dev-public",
            "--listen",
            "0.0.0.0:3000"
        ]))
        .is_ok()
    );
    assert!(server::check_dev_listen(&parse(&["--listen", "0.0.0.0:3000"])).is_ok());
}

/// Review L13: the administrator's password follows the staff rule.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_administrator_password_is_refused_at_start() {
    let db = crate::common::TestDb::new().await;
    let cli = server::cli::Cli::parse_from([
        "kezek",
        "--database-url",
        &db.url,
        "--admin-password",
        "short",
    ]);
    let clock = std::sync::Arc::new(app::server::clock::FixedClock::new(
        crate::common::default_now(),
    ));
    let err = server::build_state(&cli, clock)
        .await
        .err()
        .map(|e| e.to_string());
    assert!(
        err.as_deref().is_some_and(|e| e.contains("10 to 200")),
        "{err:?}"
    );
    db.cleanup().await;
}
