//! JSON API sign-in over a real socket: `/api/v1/auth/*`, the dev outbox,
//! the per-address sign-in limit, and bad input of every kind.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;

use common::{TestApp, client};
use serde_json::{Value, json};

const IIN: &str = "710313311868";
const PHONE: &str = "+77011234567";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn citizen_signs_in_and_out_with_a_code() {
    let app = TestApp::spawn().await;
    let r = client()
        .post(app.url("/api/v1/auth/otp"))
        .json(&json!({"iin": IIN, "phone": "8 (701) 123-45-67"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body.as_object().unwrap().len(), 1, "{body}");
    let challenge = body["challenge_id"].as_str().unwrap().to_owned();
    let code = app.last_code(PHONE).await;

    let r = client()
        .post(app.url("/api/v1/auth/verify"))
        .json(&json!({"challenge_id": challenge, "code": code}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    let body: Value = r.json().await.unwrap();
    let token = body["token"].as_str().unwrap().to_owned();
    assert_eq!(body["iin"], IIN);
    assert!(
        cookie.starts_with(&format!("kezek_session={token};")),
        "{cookie}"
    );
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));

    // The code is single-use.
    let (st, body) = app
        .post_json(
            "/api/v1/auth/verify",
            &json!({"challenge_id": challenge, "code": code}),
            None,
        )
        .await;
    assert_eq!((st, body["error"].as_str()), (422, Some("code_expired")));

    // Sign-out ends the session; the token no longer works.
    let r = client()
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert!(
        r.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let (st, body) = app
        .post_json("/api/v1/auth/logout", &json!({}), Some(&token))
        .await;
    assert_eq!((st, body["error"].as_str()), (401, Some("unauthorized")));

    // The cookie alone also authenticates.
    let token2 = app.citizen_token(IIN, PHONE).await;
    let r = client()
        .post(app.url("/api/v1/auth/logout"))
        .header("cookie", format!("kezek_session={token2}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_refusals_have_codes_and_languages() {
    let app = TestApp::spawn().await;
    for (iin, phone, code) in [
        ("710313311869", PHONE, "invalid_iin"),
        ("71031331186", PHONE, "invalid_iin"),
        ("7103133118\u{0}8", PHONE, "invalid_iin"),
        (IIN, "+77271234567", "invalid_phone"),
        (IIN, "+7701\u{0}1234567", "invalid_phone"),
    ] {
        let (st, body) = app
            .post_json(
                "/api/v1/auth/otp",
                &json!({"iin": iin, "phone": phone}),
                None,
            )
            .await;
        assert_eq!(
            (st, body["error"].as_str()),
            (422, Some(code)),
            "{iin:?} {phone:?}"
        );
    }
    // Messages follow Accept-Language.
    let mut messages = Vec::new();
    for lang in ["kk", "ru", "en"] {
        let r = client()
            .post(app.url("/api/v1/auth/otp"))
            .header("accept-language", lang)
            .json(&json!({"iin": "710313311869", "phone": PHONE}))
            .send()
            .await
            .unwrap();
        let body: Value = r.json().await.unwrap();
        messages.push(body["message"].as_str().unwrap().to_owned());
    }
    assert!(
        messages[0] != messages[1] && messages[1] != messages[2],
        "{messages:?}"
    );

    // Wrong and malformed codes.
    let (_, body) = app
        .post_json(
            "/api/v1/auth/otp",
            &json!({"iin": IIN, "phone": PHONE}),
            None,
        )
        .await;
    let challenge = body["challenge_id"].as_str().unwrap().to_owned();
    let good = app.last_code(PHONE).await;
    let wrong = if good == "000000" { "111111" } else { "000000" };
    for (code, err) in [
        (wrong, "invalid_code"),
        ("12ab56", "invalid_code"),
        ("", "invalid_code"),
    ] {
        let (st, body) = app
            .post_json(
                "/api/v1/auth/verify",
                &json!({"challenge_id": challenge, "code": code}),
                None,
            )
            .await;
        assert_eq!((st, body["error"].as_str()), (422, Some(err)), "{code:?}");
    }
    let (st, body) = app
        .post_json(
            "/api/v1/auth/verify",
            &json!({"challenge_id": "no-such", "code": "123456"}),
            None,
        )
        .await;
    assert_eq!((st, body["error"].as_str()), (422, Some("code_expired")));
    app.stop().await;
}

/// Sends a raw body; returns (status, JSON body).
async fn raw(app: &TestApp, path: &str, ctype: Option<&str>, body: Vec<u8>) -> (u16, Value) {
    let mut req = client().post(app.url(path)).body(body);
    if let Some(c) = ctype {
        req = req.header("content-type", c);
    }
    let r = req.send().await.unwrap();
    let st = r.status().as_u16();
    let text = r.text().await.unwrap();
    let v: Value =
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("{path}: not JSON ({st}): {text:?}"));
    (st, v)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_4xx_json_never_500() {
    let app = TestApp::spawn().await;
    let huge = "7".repeat(1_000_000);
    let cases: Vec<(&str, Option<&str>, Vec<u8>, u16)> = vec![
        (
            "/api/v1/auth/otp",
            Some("application/json"),
            b"{\"iin\":".to_vec(),
            400,
        ),
        (
            "/api/v1/auth/otp",
            Some("application/json"),
            b"not json".to_vec(),
            400,
        ),
        (
            "/api/v1/auth/otp",
            Some("application/json"),
            b"".to_vec(),
            400,
        ),
        (
            "/api/v1/auth/otp",
            Some("application/json"),
            b"{}".to_vec(),
            422,
        ),
        (
            "/api/v1/auth/otp",
            Some("application/json"),
            b"[1,2]".to_vec(),
            422,
        ),
        (
            "/api/v1/auth/otp",
            Some("application/json"),
            br#"{"iin": 710313311868, "phone": "+77011234567"}"#.to_vec(),
            422,
        ),
        (
            "/api/v1/auth/otp",
            Some("application/json"),
            br#"{"iin": null, "phone": ["+77011234567"]}"#.to_vec(),
            422,
        ),
        (
            "/api/v1/auth/otp",
            Some("application/json"),
            format!(r#"{{"iin": "{huge}", "phone": "{huge}"}}"#).into_bytes(),
            422,
        ),
        (
            "/api/v1/auth/otp",
            Some("application/json"),
            b"{\"iin\": \"7103133118\\u0000\", \"phone\": \"\\u0000\"}".to_vec(),
            422,
        ),
        (
            "/api/v1/auth/otp",
            Some("application/json"),
            b"{\"iin\": \"\xff\xfe\", \"phone\": \"x\"}".to_vec(),
            400,
        ),
        (
            "/api/v1/auth/otp",
            None,
            br#"{"iin":"1","phone":"2"}"#.to_vec(),
            415,
        ),
        (
            "/api/v1/auth/otp",
            Some("text/plain"),
            br#"{"iin":"1"}"#.to_vec(),
            415,
        ),
        (
            "/api/v1/auth/otp",
            Some("application/json"),
            format!(r#"{{"iin": "{}"}}"#, "1".repeat(3_000_000)).into_bytes(),
            413,
        ),
        (
            "/api/v1/auth/verify",
            Some("application/json"),
            format!(r#"{{"challenge_id": "{huge}", "code": "{huge}"}}"#).into_bytes(),
            422,
        ),
        (
            "/api/v1/auth/verify",
            Some("application/json"),
            br#"{"challenge_id": 1, "code": 123456}"#.to_vec(),
            422,
        ),
        (
            "/api/v1/staff/login",
            Some("application/json"),
            format!(r#"{{"username": "{huge}", "password": "{huge}"}}"#).into_bytes(),
            401,
        ),
        (
            "/api/v1/staff/login",
            Some("application/json"),
            b"{\"username\": \"admin\\u0000\", \"password\": \"\\u0000\"}".to_vec(),
            401,
        ),
        (
            "/api/v1/staff/login",
            Some("application/json"),
            b"{".to_vec(),
            400,
        ),
    ];
    for (path, ctype, body, want) in cases {
        let len = body.len();
        let (st, v) = raw(&app, path, ctype, body).await;
        assert_eq!(st, want, "{path} {ctype:?} ({len} bytes): {v}");
        let code = v["error"].as_str().unwrap();
        assert!(
            matches!(
                code,
                "bad_request"
                    | "malformed_request"
                    | "unsupported_media_type"
                    | "payload_too_large"
                    | "invalid_iin"
                    | "invalid_phone"
                    | "invalid_code"
                    | "code_expired"
                    | "unauthorized"
            ),
            "{code}"
        );
        // One status table: the answer's status is its code's.
        let parsed: app::api::error::ErrorCode = code.parse().unwrap();
        assert_eq!(parsed.status(), st, "{path}: {code}");
        assert!(!v["message"].as_str().unwrap().is_empty());
    }
    // NUL inside an id (PostgreSQL refuses NUL in text): a refusal, not a 500.
    let (st, v) = raw(
        &app,
        "/api/v1/auth/verify",
        Some("application/json"),
        br#"{"challenge_id": "ab\u0000cd", "code": "123456"}"#.to_vec(),
    )
    .await;
    assert_eq!((st, v["error"].as_str()), (422, Some("code_expired")));
    // Nothing was stored by any of them.
    use app::server::entity::{otp_challenges, sessions};
    assert_eq!(
        kezek_core::testing::count::<otp_challenges::Entity>(&app.state.db).await,
        0
    );
    assert_eq!(
        kezek_core::testing::count::<sessions::Entity>(&app.state.db).await,
        0
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_paths_and_methods_answer_json() {
    let app = TestApp::spawn().await;
    let (st, body) = app.get_json("/api/v1/no-such-thing", "en").await;
    assert_eq!((st, body["error"].as_str()), (404, Some("not_found")));
    let (st, body) = app.get_json("/api/v1/auth/otp", "en").await;
    assert_eq!(st, 405, "{body}");
    assert_eq!(body["error"], "method_not_allowed");
    let r = client()
        .delete(app.url("/api/v1/centers"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_is_limited_per_address_with_retry_after() {
    let app = TestApp::spawn_served(&["--dev", "--seed-demo", "--auth-rate-per-minute", "3"]).await;
    let otp = json!({"iin": IIN, "phone": PHONE});
    for _ in 0..2 {
        let (st, _) = app.post_json("/api/v1/auth/otp", &otp, None).await;
        assert_eq!(st, 202);
    }
    // Staff sign-in counts against the same address.
    let (st, _) = app.staff_login("admin", "wrong").await;
    assert_eq!(st, 401);
    let r = client()
        .post(app.url("/api/v1/auth/otp"))
        .header("accept-language", "kk")
        .json(&otp)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "rate_limited");
    let (st, _) = app.staff_login("admin", "test-admin-pw").await;
    assert_eq!(st, 429);
    // Reading the catalog is not a sign-in: never limited here.
    for _ in 0..5 {
        let (st, _) = app.get_json("/api/v1/centers", "en").await;
        assert_eq!(st, 200);
    }
    // A minute later the address may try again.
    app.clock
        .set(common::default_now() + chrono::Duration::seconds(61));
    let (st, _) = app.staff_login("admin", "test-admin-pw").await;
    assert_eq!(st, 200);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_sends_per_phone_are_limited_with_retry_after() {
    let app = TestApp::spawn_with(&["--seed-demo"]).await; // not dev: 5 per hour
    app.register_phone("570103468518", "+77051234567").await;
    let mut last = None;
    for _ in 0..6 {
        let r = client()
            .post(app.url("/api/v1/auth/otp"))
            .json(&json!({"iin": "570103468518", "phone": "+77051234567"}))
            .send()
            .await
            .unwrap();
        last = Some((
            r.status().as_u16(),
            r.headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().to_owned()),
            r.json::<Value>().await.unwrap(),
        ));
    }
    let (st, retry, body) = last.unwrap();
    assert_eq!((st, body["error"].as_str()), (429, Some("rate_limited")));
    // The hour's window opened with the first send (the clock stands still).
    assert_eq!(retry.as_deref(), Some("3600"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_outbox_exists_only_in_dev_mode() {
    let app = TestApp::spawn().await;
    for _ in 0..2 {
        let (st, _) = app
            .post_json(
                "/api/v1/auth/otp",
                &json!({"iin": IIN, "phone": PHONE}),
                None,
            )
            .await;
        assert_eq!(st, 202);
    }
    // `+` unescaped in the query arrives as a space: still found.
    let (st, list) = app
        .get_json("/api/v1/dev/outbox?to=+77011234567", "en")
        .await;
    assert_eq!(st, 200);
    let list = list.as_array().unwrap().clone();
    assert_eq!(list.len(), 2);
    for m in &list {
        assert_eq!(m["to"], PHONE);
        assert_eq!(m["channel"], "sms");
        let at = m["created_at"].as_str().unwrap();
        assert!(chrono::DateTime::parse_from_rfc3339(at).is_ok(), "{at}");
        assert!(at.ends_with("+05:00"), "{at}");
    }
    let (st, list) = app
        .get_json("/api/v1/dev/outbox?to=%2B77019999999", "en")
        .await;
    assert_eq!((st, list.as_array().map(Vec::len)), (200, Some(0)));
    for q in ["", "?to=", "?to=%2B7701%00"] {
        let (st, body) = app.get_json(&format!("/api/v1/dev/outbox{q}"), "en").await;
        assert_eq!(
            (st, body["error"].as_str()),
            (422, Some("bad_request")),
            "{q}"
        );
    }
    app.stop().await;

    let app = TestApp::spawn_with(&["--seed-demo"]).await;
    let (st, body) = app
        .get_json("/api/v1/dev/outbox?to=%2B77011234567", "en")
        .await;
    assert_eq!((st, body["error"].as_str()), (404, Some("not_found")));
    app.stop().await;
}
