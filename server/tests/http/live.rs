//! Live pages over real sockets (DOMAIN.md R8): the server-sent event
//! streams `/live/my` and `/live/center/{id}` announce a change to the
//! viewers it concerns — the citizen whose booking changed, the center
//! where it is — and to nobody else, carry no data, and are counted in
//! `/healthz/detail`. On SQLite and PostgreSQL (on PostgreSQL the change
//! also goes out through NOTIFY; processes.rs checks that a second
//! process hears it).
use std::time::Duration;

use serde_json::json;

use crate::common::{EventStream, TestApp, client, iin_n};

/// An open event stream on `path` of `app`.
async fn open(app: &TestApp, path: &str, token: Option<&str>) -> EventStream {
    EventStream::open(&app.url(path), token).await
}

const WAIT: Duration = Duration::from_secs(2);
const QUIET: Duration = Duration::from_millis(400);

async fn book(app: &TestApp, token: &str, start: &str) -> String {
    let (st, body) = app
        .post_json(
            "/api/v1/bookings",
            &json!({"center_id": "1", "service": "ID_CARD", "start": start}),
            Some(token),
        )
        .await;
    assert_eq!(st, 201, "{body}");
    body["id"].as_str().unwrap().to_owned()
}

async fn cancel(app: &TestApp, token: &str, id: &str) -> (u16, serde_json::Value) {
    app.post_json(
        &format!("/api/v1/bookings/{id}/cancel"),
        &json!({}),
        Some(token),
    )
    .await
}

#[tokio::test]
async fn a_citizens_stream_hears_their_own_changes_and_nobody_elses() {
    let app = TestApp::spawn().await;
    let ann = app.citizen_token(&iin_n(910), "+77015550910").await;
    let ben = app.citizen_token(&iin_n(911), "+77015550911").await;
    let mut ann_s = open(&app, "/live/my", Some(&ann)).await;
    let mut ben_s = open(&app, "/live/my", Some(&ben)).await;
    let mut center_s = open(&app, "/live/center/1", None).await;
    let mut other_center = open(&app, "/live/center/2", None).await;

    let id = book(&app, &ann, "2026-12-02T10:00:00+05:00").await;
    assert_eq!(ann_s.next(WAIT).await.as_deref(), Some("change"));
    assert_eq!(center_s.next(WAIT).await.as_deref(), Some("change"));
    assert_eq!(
        ben_s.next(QUIET).await,
        None,
        "another citizen hears nothing"
    );
    assert_eq!(
        other_center.next(QUIET).await,
        None,
        "another center hears nothing"
    );

    let (st, body) = cancel(&app, &ann, &id).await;
    assert_eq!(st, 200, "{body}");
    assert_eq!(ann_s.next(WAIT).await.as_deref(), Some("change"));
    assert_eq!(center_s.next(WAIT).await.as_deref(), Some("change"));
    assert_eq!(ben_s.next(QUIET).await, None);

    // A refused request changes nothing and announces nothing.
    let (st, body) = cancel(&app, &ann, &id).await;
    assert_eq!(
        (st, body["error"].as_str()),
        (422, Some("illegal_transition"))
    );
    assert_eq!(ann_s.next(QUIET).await, None, "a refusal announces nothing");

    // The open streams are counted (a stream's count drops once the
    // server notices its client has gone).
    let (st, h) = app.get_json("/healthz/detail", "en").await;
    assert_eq!(st, 200);
    assert_eq!(h["live"]["streams"], 4, "{h}");
    drop((ann_s, ben_s, center_s, other_center));
    app.stop().await;
}

#[tokio::test]
async fn a_check_in_reaches_the_centers_stream_and_the_citizens() {
    let app = TestApp::spawn().await;
    // Today (the test clock: Tue 1 Dec 09:00) at 10:15, so the visitor
    // can be checked in.
    let ann = app.citizen_token(&iin_n(920), "+77015550920").await;
    let (st, b) = app
        .post_json(
            "/api/v1/bookings",
            &json!({"center_id": "1", "service": "ID_CARD", "start": "2026-12-01T10:15:00+05:00"}),
            Some(&ann),
        )
        .await;
    assert_eq!(st, 201, "{b}");
    let mut ann_s = open(&app, "/live/my", Some(&ann)).await;
    let mut center_s = open(&app, "/live/center/1", None).await;
    let staff = app.staff_token("ast-psc-yesil-op1", "kezek-demo").await;
    let (st, body) = app
        .post_json(
            "/api/v1/staff/checkin",
            &json!({"code": b["code"]}),
            Some(&staff),
        )
        .await;
    assert_eq!(st, 200, "{body}");
    assert_eq!(center_s.next(WAIT).await.as_deref(), Some("change"));
    assert_eq!(ann_s.next(WAIT).await.as_deref(), Some("change"));
    app.stop().await;
}

#[tokio::test]
async fn streams_refuse_what_they_cannot_serve() {
    let app = TestApp::spawn().await;
    let r = client().get(app.url("/live/my")).send().await.unwrap();
    assert_eq!(
        r.status(),
        401,
        "the cabinet's stream needs a signed-in citizen"
    );
    let staff = app.staff_token("ast-psc-yesil-op1", "kezek-demo").await;
    let r = client()
        .get(app.url("/live/my"))
        .bearer_auth(&staff)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = client()
        .get(app.url("/live/center/not-a-number"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"], "not_found");
    app.stop().await;
}

#[tokio::test]
async fn one_citizen_holds_at_most_ten_streams_and_the_server_ends_old_ones() {
    let app = TestApp::spawn_with(&["--dev", "--seed-demo", "--live-max-secs", "2"]).await;
    let token = crate::common::sign_in(&app.base, 77).await;
    let mut held = Vec::new();
    for _ in 0..10 {
        held.push(open(&app, "/live/my", Some(&token)).await);
    }
    // The eleventh: refused, with when to try again; nothing else changed.
    let r = client()
        .get(app.url("/live/my"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "30");
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"], "rate_limited");
    // Another citizen is not affected.
    let other = crate::common::sign_in(&app.base, 78).await;
    let mut theirs = open(&app, "/live/my", Some(&other)).await;
    // One closed: room for one more.
    held.pop();
    tokio::time::sleep(Duration::from_millis(100)).await;
    held.push(open(&app, "/live/my", Some(&token)).await);
    // After --live-max-secs the server ends the streams (the browser
    // reconnects by itself), and their places are free again.
    let started = tokio::time::Instant::now();
    assert_eq!(theirs.next(Duration::from_secs(5)).await, None);
    assert!(started.elapsed() < Duration::from_secs(4));
    drop(held);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(app.state.core.events.open_streams(), 0);
    let _again = open(&app, "/live/my", Some(&token)).await;
    app.stop().await;
}
