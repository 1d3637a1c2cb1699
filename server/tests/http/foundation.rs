//! The foundation over a real socket: health, migrations + seed, security
//! headers, and citizen sign-in through the server functions.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;

use common::{TestApp, client};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_answers_only_while_the_database_does() {
    let app = TestApp::spawn().await;
    let r = client().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap(), "ok");

    app.state.db.clone().close().await.unwrap();
    let r = client().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 503);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_security_headers_and_render_on_the_server() {
    let app = TestApp::spawn().await;
    let r = client().get(app.url("/sign-in")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let h = r.headers().clone();
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(h.get("strict-transport-security").is_none());
    let body = r.text().await.unwrap();
    assert!(body.contains("/pkg/kezek.js"), "hydration script missing");
    assert!(body.contains("name=\"iin\""));

    let r = client().get(app.url("/no-such-page")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    app.stop().await;
}

/// Issue 16: citizens' pages hydrate with `kezek`, staff pages and the hall
/// display with `staff/kezek-staff`; a page names exactly one client.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_page_names_the_client_bundle_that_has_it() {
    let app = TestApp::spawn().await;
    for (path, client_name) in [
        ("/", "kezek"),
        ("/book", "kezek"),
        ("/sign-in", "kezek"),
        ("/fairness", "kezek"),
        ("/no-such-page", "kezek"),
        ("/staffroom", "kezek"),
        ("/staff", "staff/kezek-staff"),
        ("/staff/sign-in", "staff/kezek-staff"),
        ("/staff/admin", "staff/kezek-staff"),
        ("/display/1", "staff/kezek-staff"),
    ] {
        let body = client()
            .get(app.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let named: Vec<&str> = ["kezek", "staff/kezek-staff"]
            .into_iter()
            .filter(|n| body.contains(&format!("/pkg/{n}.js")))
            .collect();
        assert_eq!(named, [client_name], "{path}");
        assert!(body.contains(&format!("/pkg/{client_name}.wasm")), "{path}");
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seed_is_idempotent_and_creates_the_catalog() {
    use app::server::entity::{centers, services, staff};
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    assert_eq!(kezek_core::testing::count::<centers::Entity>(db).await, 8);
    assert_eq!(kezek_core::testing::count::<services::Entity>(db).await, 23);
    let n_staff = kezek_core::testing::count::<staff::Entity>(db).await;
    // Seeding again changes nothing.
    let again = app::server::seed::seed_demo(db, 0).await.unwrap();
    assert!(again.is_none());
    assert_eq!(
        kezek_core::testing::count::<staff::Entity>(db).await,
        n_staff
    );
    app.stop().await;
}

async fn sfn(app: &TestApp, name: &str, form: &[(&str, &str)]) -> (u16, Value, Option<String>) {
    let r = client()
        .post(app.url(&format!("/sfn/{name}")))
        .header("accept", "application/json")
        .header("accept-language", "en")
        .form(form)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let cookie = r
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().to_owned());
    let body: Value = r.json().await.unwrap_or(Value::Null);
    (status, body, cookie)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn citizen_signs_in_with_a_one_time_code() {
    let app = TestApp::spawn().await;
    let (st, body, _) = sfn(
        &app,
        "request_code",
        &[("iin", " 710313311868 "), ("phone", "8 (701) 123-45-67")],
    )
    .await;
    assert_eq!(st, 200, "{body}");
    let challenge = body["challenge_id"].as_str().unwrap().to_owned();
    let code = body["dev_code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 6);

    // The code is stored hashed, never in clear.
    use app::server::entity::otp_challenges;
    let row =
        kezek_core::testing::row::<otp_challenges::Entity, _>(&app.state.db, challenge.clone())
            .await
            .unwrap();
    assert_ne!(row.code_hash, code);
    assert_eq!(row.phone, "+77011234567");

    let (st, body, cookie) = sfn(
        &app,
        "verify_code",
        &[("challenge_id", &challenge), ("code", &code)],
    )
    .await;
    assert_eq!(st, 200, "{body}");
    assert_eq!(body["iin_masked"], "••••••••1868");
    let cookie = cookie.expect("session cookie");
    assert!(cookie.starts_with("kezek_session="));
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));

    // A consumed code cannot be used twice.
    let (st, body, _) = sfn(
        &app,
        "verify_code",
        &[("challenge_id", &challenge), ("code", &code)],
    )
    .await;
    assert_eq!((st, body["error"].as_str()), (422, Some("code_expired")));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_refusals_have_codes_not_500s() {
    let app = TestApp::spawn().await;
    for (iin, phone, code) in [
        ("710313311869", "+77011234567", "invalid_iin"),
        ("71031331186", "+77011234567", "invalid_iin"),
        ("71031331186a", "+77011234567", "invalid_iin"),
        ("710313311868", "+77271234567", "invalid_phone"),
        ("710313311868", "not a phone\u{0}", "invalid_phone"),
    ] {
        let (st, body, _) = sfn(&app, "request_code", &[("iin", iin), ("phone", phone)]).await;
        assert_eq!(st, 422, "{iin} {phone}: {body}");
        assert_eq!(body["error"], code, "{iin} {phone}");
        assert!(!body["message"].as_str().unwrap().is_empty());
    }
    // Missing fields are a bad request, not a crash.
    let (st, body, _) = sfn(&app, "request_code", &[("iin", "710313311868")]).await;
    assert!((400..500).contains(&st), "{st} {body}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_wrong_codes_burn_the_challenge() {
    let app = TestApp::spawn().await;
    let (_, body, _) = sfn(
        &app,
        "request_code",
        &[("iin", "980212383137"), ("phone", "+77021234567")],
    )
    .await;
    let challenge = body["challenge_id"].as_str().unwrap().to_owned();
    let good = body["dev_code"].as_str().unwrap().to_owned();
    let wrong = if good == "000000" { "111111" } else { "000000" };
    // Five wrong tries fired at once: each is counted.
    let tries = (0..5).map(|_| {
        let app = &app;
        let challenge = challenge.clone();
        async move {
            sfn(
                app,
                "verify_code",
                &[("challenge_id", &challenge), ("code", wrong)],
            )
            .await
        }
    });
    for (st, body, _) in futures::future::join_all(tries).await {
        assert_eq!((st, body["error"].as_str()), (422, Some("invalid_code")));
    }
    // Even the right code is refused now.
    let (st, body, _) = sfn(
        &app,
        "verify_code",
        &[("challenge_id", &challenge), ("code", &good)],
    )
    .await;
    assert_eq!((st, body["error"].as_str()), (422, Some("code_expired")));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_sends_are_rate_limited_per_phone() {
    let app = TestApp::spawn_with(&["--seed-demo"]).await; // not dev: limit 5/hour
    app.register_phone("570103468518", "+77051234567").await;
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let (st, body, _) = sfn(
            &app,
            "request_code",
            &[("iin", "570103468518"), ("phone", "+77051234567")],
        )
        .await;
        assert!(
            body.get("dev_code").is_none_or(Value::is_null),
            "code leaked outside dev mode"
        );
        statuses.push(st);
    }
    assert_eq!(statuses, vec![200, 200, 200, 200, 200, 429]);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn booking_server_functions_use_the_same_rules_and_need_a_session() {
    let app = TestApp::spawn().await;
    // Without a session: 401.
    let (st, body, _) = sfn(&app, "my_bookings", &[]).await;
    assert_eq!((st, body["error"].as_str()), (401, Some("unauthorized")));
    let (_, body, _) = sfn(
        &app,
        "request_code",
        &[("iin", "710313311868"), ("phone", "+77011234567")],
    )
    .await;
    let (challenge, code) = (
        body["challenge_id"].as_str().unwrap().to_owned(),
        body["dev_code"].as_str().unwrap().to_owned(),
    );
    let (_, _, cookie) = sfn(
        &app,
        "verify_code",
        &[("challenge_id", &challenge), ("code", &code)],
    )
    .await;
    let cookie = cookie.unwrap();
    let session = cookie.split(';').next().unwrap().to_owned();
    let call = |name: &'static str, form: Vec<(&'static str, String)>| {
        let session = session.clone();
        let url = app.url(&format!("/sfn/{name}"));
        async move {
            let r = client()
                .post(url)
                .header("cookie", session)
                .header("accept", "application/json")
                .header("accept-language", "en")
                .form(&form)
                .send()
                .await
                .unwrap();
            let st = r.status().as_u16();
            (st, r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let (st, b) = call(
        "book_visit",
        vec![
            ("center_id", "1".into()),
            ("service", "ID_CARD".into()),
            ("start", "2026-12-02T10:00:00+05:00".into()),
        ],
    )
    .await;
    assert_eq!(st, 200, "{b}");
    let (st, again) = call(
        "book_visit",
        vec![
            ("center_id", "1".into()),
            ("service", "PASSPORT".into()),
            ("start", "2026-12-03T10:00:00+05:00".into()),
        ],
    )
    .await;
    assert_eq!(
        (st, again["error"].as_str()),
        (422, Some("one_active_booking"))
    );
    let (st, list) = call("my_bookings", vec![]).await;
    assert_eq!((st, list.as_array().map(Vec::len)), (200, Some(1)));
    let (st, c) = call(
        "cancel_visit",
        vec![("id", b["id"].as_str().unwrap().to_owned())],
    )
    .await;
    assert_eq!((st, c["status"].as_str()), (200, Some("Cancelled")));
    app.stop().await;
}
