//! The bookings part of the public API over a real socket: status codes,
//! error bodies, ownership (another citizen's booking is 404), idempotency,
//! availability ranges, and bad input that must never be a 500.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;

use common::{TestApp, client, sign_in};
use serde_json::{Value, json};

const WED_10: &str = "2026-12-02T10:00:00+05:00";
const THU_10: &str = "2026-12-03T10:00:00+05:00";

async fn post(app: &TestApp, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
    let mut r = client()
        .post(app.url(path))
        .header("accept-language", "en")
        .json(&body);
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    let r = r.send().await.unwrap();
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

async fn get(app: &TestApp, path: &str, token: Option<&str>) -> (u16, Value) {
    let mut r = client().get(app.url(path)).header("accept-language", "ru");
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    let r = r.send().await.unwrap();
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn citizen_books_sees_reschedules_and_cancels_over_http() {
    let app = TestApp::spawn().await;
    let token = sign_in(&app.base, 1).await;
    let other = sign_in(&app.base, 2).await;

    // Without a token: 401.
    let (s, body) = post(&app, "/api/v1/bookings", None, json!({})).await;
    assert_eq!((s, body["error"].as_str()), (401, Some("unauthorized")));

    let (s, free) = get(
        &app,
        "/api/v1/availability?center_id=1&service=ID_CARD&from=2026-12-02&to=2026-12-02",
        None,
    )
    .await;
    assert_eq!(s, 200);
    let first = &free.as_array().unwrap()[0];
    assert_eq!(first["start"], "2026-12-02T09:00:00+05:00");
    assert_eq!(first["free"], 3);

    let (s, b) = post(
        &app,
        "/api/v1/bookings",
        Some(&token),
        json!({"center_id": "1", "service": "ID_CARD", "start": WED_10}),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["status"], "Booked");
    assert_eq!(b["start"], WED_10);
    let id = b["id"].as_str().unwrap().to_owned();
    let code = b["code"].as_str().unwrap().to_owned();

    // The slot now shows 2 free.
    let (_, free) = get(
        &app,
        "/api/v1/availability?center_id=1&service=ID_CARD&from=2026-12-02&to=2026-12-02",
        None,
    )
    .await;
    let at10 = free
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["start"] == WED_10)
        .unwrap();
    assert_eq!(at10["free"], 2);

    // Listed, and readable with history; another citizen gets 404.
    let (s, list) = get(&app, "/api/v1/bookings", Some(&token)).await;
    assert_eq!((s, list.as_array().unwrap().len()), (200, 1));
    let (s, one) = get(&app, &format!("/api/v1/bookings/{id}"), Some(&token)).await;
    assert_eq!(s, 200);
    assert_eq!(one["history"][0]["status"], "Booked");
    let (s, body) = get(&app, &format!("/api/v1/bookings/{id}"), Some(&other)).await;
    assert_eq!((s, body["error"].as_str()), (404, Some("not_found")));
    let (s, _) = post(
        &app,
        &format!("/api/v1/bookings/{id}/cancel"),
        Some(&other),
        json!({}),
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = get(&app, "/api/v1/bookings/not-a-number", Some(&token)).await;
    assert_eq!(s, 404);

    // A second documentation booking: 422 one_active_booking, message in English.
    let (s, body) = post(
        &app,
        "/api/v1/bookings",
        Some(&token),
        json!({"center_id": "1", "service": "PASSPORT", "start": THU_10}),
    )
    .await;
    assert_eq!(
        (s, body["error"].as_str()),
        (422, Some("one_active_booking"))
    );
    assert!(!body["message"].as_str().unwrap().is_empty());

    // Reschedule: same id and code.
    let (s, moved) = post(
        &app,
        &format!("/api/v1/bookings/{id}/reschedule"),
        Some(&token),
        json!({"start": THU_10}),
    )
    .await;
    assert_eq!(s, 200, "{moved}");
    assert_eq!(
        (moved["id"].as_str(), moved["code"].as_str()),
        (Some(id.as_str()), Some(code.as_str()))
    );
    assert_eq!(moved["start"], THU_10);

    let (s, c) = post(
        &app,
        &format!("/api/v1/bookings/{id}/cancel"),
        Some(&token),
        json!({}),
    )
    .await;
    assert_eq!((s, c["status"].as_str()), (200, Some("Cancelled")));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slot_full_is_409_and_idempotent_retries_book_once() {
    let app = TestApp::spawn().await;
    let mut tokens = Vec::new();
    for n in 10..14 {
        tokens.push(sign_in(&app.base, n).await);
    }
    let body = json!({"center_id": "1", "service": "ID_CARD", "start": WED_10});
    // Idempotency-Key: the same request twice books once.
    let send = |t: &str| {
        client()
            .post(app.url("/api/v1/bookings"))
            .bearer_auth(t)
            .header("idempotency-key", "retry-1")
            .json(&body)
    };
    let r1 = send(&tokens[0]).send().await.unwrap();
    let r2 = send(&tokens[0]).send().await.unwrap();
    assert_eq!((r1.status().as_u16(), r2.status().as_u16()), (201, 201));
    let (b1, b2): (Value, Value) = (r1.json().await.unwrap(), r2.json().await.unwrap());
    assert_eq!(b1["id"], b2["id"]);
    for t in &tokens[1..3] {
        let (s, _) = post(&app, "/api/v1/bookings", Some(t), body.clone()).await;
        assert_eq!(s, 201);
    }
    let (s, b) = post(&app, "/api/v1/bookings", Some(&tokens[3]), body.clone()).await;
    assert_eq!((s, b["error"].as_str()), (409, Some("slot_full")));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_a_code_never_a_500_and_changes_nothing() {
    use app::server::entity::bookings;
    let app = TestApp::spawn().await;
    let token = sign_in(&app.base, 20).await;
    let cases: Vec<(&str, String)> = vec![
        ("malformed", "{\"center_id\": ".into()),
        (
            "wrong types",
            json!({"center_id": [1], "service": 5, "start": true}).to_string(),
        ),
        ("missing fields", json!({"service": "ID_CARD"}).to_string()),
        (
            "huge string",
            json!({"center_id": "1", "service": "X".repeat(100_000), "start": WED_10}).to_string(),
        ),
        (
            "nul bytes",
            json!({"center_id": "1\u{0}", "service": "ID_\u{0}CARD", "start": WED_10}).to_string(),
        ),
        (
            "bad time",
            json!({"center_id": "1", "service": "ID_CARD", "start": "tomorrow at ten"}).to_string(),
        ),
        (
            "unknown service",
            json!({"center_id": "1", "service": "NO_SUCH", "start": WED_10}).to_string(),
        ),
        (
            "unknown center",
            json!({"center_id": "99999", "service": "ID_CARD", "start": WED_10}).to_string(),
        ),
        (
            "bad vehicle",
            json!({"center_id": "3", "service": "VEH_REREG", "start": WED_10, "vehicle": "💥"})
                .to_string(),
        ),
    ];
    for (name, raw) in cases {
        let r = client()
            .post(app.url("/api/v1/bookings"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(raw)
            .send()
            .await
            .unwrap();
        let s = r.status().as_u16();
        let body: Value = r.json().await.unwrap_or(Value::Null);
        assert!((400..500).contains(&s), "{name}: {s} {body}");
        assert!(body["error"].is_string(), "{name}: no code in {body}");
    }
    // Availability: reversed and overlong ranges are 422 bad_request.
    for q in [
        "center_id=1&service=ID_CARD&from=2026-12-10&to=2026-12-02",
        "center_id=1&service=ID_CARD&from=2026-12-01&to=2027-06-01",
        "center_id=1&service=ID_CARD&from=yesterday&to=2026-12-02",
    ] {
        let (s, body) = get(&app, &format!("/api/v1/availability?{q}"), None).await;
        assert_eq!(
            (s, body["error"].as_str()),
            (422, Some("bad_request")),
            "{q}"
        );
    }
    assert_eq!(
        kezek_core::testing::count::<bookings::Entity>(&app.state.db).await,
        0
    );
    app.stop().await;
}
