//! Sessions the citizen controls (review M4, L2): the cabinet lists them
//! ("signed in on … from …") and ends all others; the retention job
//! removes expired sessions and challenges and blanks sign-in codes.
use chrono::Duration;
use serde_json::{Value, json};

use crate::common::{TestApp, client, iin_n};
use kezek_core::testing::last_code_sms_in;

async fn sfn_json(app: &TestApp, name: &str, token: &str) -> (u16, Value) {
    let r = client()
        .post(app.url(&format!("/sfn/{name}")))
        .header("accept", "application/json")
        .header("accept-language", "en")
        .header("cookie", format!("kezek_session={token}"))
        .send()
        .await
        .unwrap();
    let st = r.status().as_u16();
    (st, r.json().await.unwrap_or(Value::Null))
}

/// Signs in over the API with a given User-Agent.
async fn sign_in_as(app: &TestApp, iin: &str, phone: &str, agent: &str) -> String {
    let r: Value = client()
        .post(app.url("/api/v1/auth/otp"))
        .json(&json!({"iin": iin, "phone": phone}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let code = app.last_code(phone).await;
    let r: Value = client()
        .post(app.url("/api/v1/auth/verify"))
        .header("user-agent", agent)
        .json(&json!({"challenge_id": r["challenge_id"], "code": code}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["token"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cabinet_lists_sessions_and_ends_all_others() {
    let app = TestApp::spawn_served(&["--dev", "--seed-demo"]).await;
    let (iin, phone) = (iin_n(7601), "+77017601001");
    let phone_ua =
        "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36";
    let laptop = sign_in_as(
        &app,
        &iin,
        phone,
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
    )
    .await;
    app.clock.set(app.state.now() + Duration::minutes(5));
    let mobile = sign_in_as(&app, &iin, phone, phone_ua).await;
    let other = sign_in_as(&app, &iin_n(7602), "+77017602001", phone_ua).await;

    let (st, rows) = sfn_json(&app, "my_sessions", &mobile).await;
    assert_eq!(st, 200, "{rows}");
    let rows = rows.as_array().unwrap().clone();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0]["current"], true);
    assert_eq!(rows[0]["device"], "Chrome · Android");
    assert_eq!(rows[1]["device"], "Firefox · Windows");
    assert_eq!(rows[0]["address"], "127.0.0.1");
    assert!(rows[1]["since"].as_str().unwrap().ends_with("+05:00"));
    assert!(
        rows.iter()
            .all(|r| r["handle"].as_str().unwrap().len() == 16)
    );

    let (st, ended) = sfn_json(&app, "end_other_sessions", &mobile).await;
    assert_eq!((st, ended), (200, json!(1)));
    assert_eq!(app.get_auth("/api/v1/bookings", &laptop).await.0, 401);
    assert_eq!(app.get_auth("/api/v1/bookings", &mobile).await.0, 200);
    // Another citizen's sessions are untouched.
    assert_eq!(app.get_auth("/api/v1/bookings", &other).await.0, 200);
    let (_, rows) = sfn_json(&app, "my_sessions", &mobile).await;
    assert_eq!(rows.as_array().map(Vec::len), Some(1));
    // Without a session: 401.
    assert_eq!(sfn_json(&app, "my_sessions", "nope").await.0, 401);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retention_removes_what_is_no_longer_needed() {
    use app::server::service::retention::{REDACTED, run_once};
    let app = TestApp::spawn().await; // dev mode: codes stay readable until they expire
    let phone = "+77017701001";
    let token = app.citizen_token(&iin_n(7701), phone).await;
    let fresh = run_once(&app.state).await.unwrap();
    assert_eq!(fresh.codes_redacted, 0);
    assert!(
        last_code_sms_in(&app.state.db, phone)
            .await
            .unwrap()
            .contains(char::is_numeric)
    );

    // After the code's lifetime the SMS body no longer holds the code.
    app.clock.set(app.state.now() + Duration::minutes(6));
    let p = run_once(&app.state).await.unwrap();
    assert_eq!(p.codes_redacted, 1);
    assert_eq!(
        last_code_sms_in(&app.state.db, phone).await.as_deref(),
        Some(REDACTED)
    );
    assert_eq!(app.get_auth("/api/v1/bookings", &token).await.0, 200);

    // After the session's 12 hours it is gone, and a day later the challenge.
    app.clock.set(app.state.now() + Duration::hours(13));
    let p = run_once(&app.state).await.unwrap();
    assert_eq!(p.sessions, 1);
    assert_eq!(app.get_auth("/api/v1/bookings", &token).await.0, 401);
    app.clock.set(app.state.now() + Duration::days(1));
    let p = run_once(&app.state).await.unwrap();
    assert!(p.challenges >= 1, "{p:?}");
    assert!(p.counters >= 1, "{p:?}");
    // A second pass finds nothing left to do.
    assert_eq!(run_once(&app.state).await.unwrap(), Default::default());
    app.stop().await;
}
