//! Every door rate-limited alike (review H1, M7): the sign-in server
//! functions share the JSON API's per-address bucket; staff passwords are
//! counted per account in the database with a growing wait; booking writes
//! are limited per citizen.
use chrono::Duration;
use serde_json::{Value, json};

use crate::common::{TestApp, client, iin_n};
use kezek_core::testing::staff_failures_in;

async fn sfn_status(app: &TestApp, name: &str, form: &[(&str, &str)]) -> (u16, Option<String>) {
    let r = client()
        .post(app.url(&format!("/sfn/{name}")))
        .header("accept", "application/json")
        .header("accept-language", "en")
        .form(form)
        .send()
        .await
        .unwrap();
    let retry = r
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (r.status().as_u16(), retry)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_wrong_staff_passwords_meet_429_and_a_growing_wait() {
    // Not dev mode: 30 sign-in requests per address per minute.
    let app = TestApp::spawn_served(&["--seed-demo"]).await;
    let now = app.state.now().timestamp();
    let mut statuses = Vec::new();
    for i in 0..1000 {
        let pw = format!("guess-{i}");
        let (st, _) = if i % 2 == 0 {
            sfn_status(
                &app,
                "staff_sign_in",
                &[("username", "admin"), ("password", &pw)],
            )
            .await
        } else {
            let (st, _) = app.staff_login("admin", &pw).await;
            (st, None)
        };
        statuses.push(st);
    }
    // Four free failures and the fifth; then the account waits (its
    // password is not even checked) and the address runs out.
    assert_eq!(statuses[..5], [401; 5]);
    assert!(statuses[5..].iter().all(|s| *s == 429), "{statuses:?}");
    assert_eq!(
        staff_failures_in(&app.state.db, "admin").await,
        (5, now + 1)
    );

    // The wait doubles with each further failure; the right password
    // while waiting is refused too, and afterwards resets the count.
    let app2 = TestApp::spawn_with(&["--seed-demo"]).await;
    let t0 = app2.state.now();
    let mut waits: Vec<i64> = Vec::new();
    for i in 0..8 {
        // Wait out the previous failure's delay, then fail again.
        let wait = waits.last().copied().unwrap_or(0);
        app2.clock.set(app2.state.now() + Duration::seconds(wait));
        let (st, _) = app2.staff_login("admin", &format!("wrong-{i}")).await;
        assert_eq!(st, 401, "failure {i}");
        let (n, until) = staff_failures_in(&app2.state.db, "admin").await;
        assert_eq!(n, i + 1);
        waits.push((until - app2.state.now().timestamp()).max(0));
    }
    assert_eq!(waits, [0, 0, 0, 0, 1, 2, 4, 8]);
    let (st, body) = app2.staff_login("admin", "test-admin-pw").await;
    assert_eq!((st, body["error"].as_str()), (429, Some("rate_limited")));
    let (st, retry) = sfn_status(
        &app2,
        "staff_sign_in",
        &[("username", "admin"), ("password", "test-admin-pw")],
    )
    .await;
    assert_eq!((st, retry.as_deref()), (429, Some("8")));
    app2.clock.set(app2.state.now() + Duration::seconds(8));
    assert_eq!(app2.staff_login("admin", "test-admin-pw").await.0, 200);
    assert_eq!(staff_failures_in(&app2.state.db, "admin").await.0, 0);
    assert!(app2.state.now() > t0);
    app.stop().await;
    app2.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_server_functions_share_the_address_limit_of_the_api() {
    let app = TestApp::spawn_served(&["--seed-demo", "--auth-rate-per-minute", "10"]).await;
    // Ten requests, mixed doors (unregistered pairs: 422, still counted).
    for n in 0..10u32 {
        let iin = iin_n(7200 + n);
        let phone = format!("+7701720{n:04}");
        let st = if n % 2 == 0 {
            sfn_status(&app, "request_code", &[("iin", &iin), ("phone", &phone)])
                .await
                .0
        } else {
            app.post_json(
                "/api/v1/auth/otp",
                &json!({"iin": iin, "phone": phone}),
                None,
            )
            .await
            .0
        };
        assert_eq!(st, 422, "request {n}");
    }
    for (name, form) in [
        (
            "request_code",
            vec![("iin", "710313311868"), ("phone", "+77011234567")],
        ),
        (
            "verify_code",
            vec![("challenge_id", "ab"), ("code", "123456")],
        ),
        (
            "staff_sign_in",
            vec![("username", "admin"), ("password", "test-admin-pw")],
        ),
    ] {
        let (st, retry) = sfn_status(&app, name, &form).await;
        assert_eq!(st, 429, "{name}");
        assert!(retry.is_some_and(|s| (1..=60).contains(&s.parse::<u64>().unwrap())));
    }
    let (st, body) = app.staff_login("admin", "test-admin-pw").await;
    assert_eq!((st, body["error"].as_str()), (429, Some("rate_limited")));
    // Another door's bucket is not the sign-in one: the catalog answers.
    assert_eq!(app.get_json("/api/v1/centers", "en").await.0, 200);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn booking_writes_are_limited_per_citizen_not_per_address() {
    let app =
        TestApp::spawn_with(&["--dev", "--seed-demo", "--booking-rate-per-minute", "3"]).await;
    let a = app.citizen_token(&iin_n(7301), "+77017301001").await;
    let b = app.citizen_token(&iin_n(7302), "+77017302001").await;
    let body =
        json!({"center_id": "1", "service": "ID_CARD", "start": "2030-01-01T10:00:00+05:00"});
    for _ in 0..3 {
        let (st, v) = app.post_json("/api/v1/bookings", &body, Some(&a)).await;
        assert_ne!(st, 429, "{v}");
    }
    let r = client()
        .post(app.url("/api/v1/bookings"))
        .bearer_auth(&a)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], "rate_limited");
    // Cancel and reschedule count too.
    let (st, _) = app
        .post_json("/api/v1/bookings/1/cancel", &json!({}), Some(&a))
        .await;
    assert_eq!(st, 429);
    // Another citizen from the same address is not affected.
    let (st, v) = app.post_json("/api/v1/bookings", &body, Some(&b)).await;
    assert_ne!(st, 429, "{v}");
    app.stop().await;
}
