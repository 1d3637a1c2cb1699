//! DOMAIN.md R11 over real sockets: a sign-in code goes only to a phone the
//! mobile-citizens registry lists for the IIN — the table (imported by the
//! admin API, the `import-phones` command and the demo seed; bound on first
//! use in dev mode only) or an external registry over HTTP (a local fake
//! server here). The takeover of review C1 is refused and changes nothing.
use std::sync::{Arc, Mutex};

use axum::{Json, Router, extract::State, http::HeaderMap, routing::post};
use clap::Parser;
use serde_json::{Value, json};

use crate::common::{self, TestApp, client, iin_n};
use kezek_core::testing::{last_code_sms_in, notice_phone_in, registered_phones_in};

async fn otp(app: &TestApp, iin: &str, phone: &str) -> (u16, Value) {
    app.post_json(
        "/api/v1/auth/otp",
        &json!({"iin": iin, "phone": phone}),
        None,
    )
    .await
}

fn code_in(sms: &str) -> String {
    sms.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap()
        .to_owned()
}

/// Signs in in any mode (the code is read from the outbox table).
async fn sign_in(app: &TestApp, iin: &str, phone: &str) -> (u16, Value) {
    let (st, body) = otp(app, iin, phone).await;
    assert_eq!(st, 202, "{body}");
    let normalized = app::domain::phone::normalize_phone(phone).unwrap();
    let sms = last_code_sms_in(&app.state.db, &normalized).await.unwrap();
    app.post_json(
        "/api/v1/auth/verify",
        &json!({"challenge_id": body["challenge_id"], "code": code_in(&sms)}),
        None,
    )
    .await
}

async fn import(app: &TestApp, token: &str, query: &str, csv: &str) -> (u16, Value) {
    let r = client()
        .post(app.url(&format!("/api/v1/admin/phones{query}")))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .header("accept-language", "en")
        .body(csv.to_owned())
        .send()
        .await
        .unwrap();
    let st = r.status().as_u16();
    (st, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_phone_cannot_take_an_iin_over() {
    let app = TestApp::spawn().await; // dev mode: first phone binds
    let x = iin_n(7001);
    let (a, b) = ("+77017001001", "+77017001002");
    let token_a = app.citizen_token(&x, a).await;
    assert_eq!(registered_phones_in(&app.state.db, &x).await, [a]);

    // The attacker's phone B for X: refused, and no code goes anywhere.
    let (st, body) = otp(&app, &x, b).await;
    assert_eq!(
        (st, body["error"].as_str()),
        (422, Some("phone_not_registered")),
        "{body}"
    );
    assert!(body["message"].as_str().unwrap().contains("PSC"), "{body}");
    assert_eq!(last_code_sms_in(&app.state.db, b).await, None);
    // Nothing about X changed: notices still go to A, A's session works.
    assert_eq!(notice_phone_in(&app.state.db, &x).await.as_deref(), Some(a));
    assert_eq!(registered_phones_in(&app.state.db, &x).await, [a]);
    let (st, _) = app.get_auth("/api/v1/bookings", &token_a).await;
    assert_eq!(st, 200);

    // Two phones racing for a fresh IIN: both get a code (nobody is
    // registered yet); the first to verify binds, the other is refused.
    let y = iin_n(7002);
    let (c, d) = ("+77017002001", "+77017002002");
    let (_, ch_c) = otp(&app, &y, c).await;
    let (_, ch_d) = otp(&app, &y, d).await;
    let code_c = app.last_code(c).await;
    let code_d = app.last_code(d).await;
    let (st, body) = app
        .post_json(
            "/api/v1/auth/verify",
            &json!({"challenge_id": ch_d["challenge_id"], "code": code_d}),
            None,
        )
        .await;
    assert_eq!(st, 200, "{body}");
    let (st, body) = app
        .post_json(
            "/api/v1/auth/verify",
            &json!({"challenge_id": ch_c["challenge_id"], "code": code_c}),
            None,
        )
        .await;
    assert_eq!(
        (st, body["error"].as_str()),
        (422, Some("phone_not_registered")),
        "{body}"
    );
    assert_eq!(registered_phones_in(&app.state.db, &y).await, [d]);
    assert_eq!(notice_phone_in(&app.state.db, &y).await.as_deref(), Some(d));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_registered_pairs_sign_in_outside_dev_mode() {
    let app = TestApp::spawn_with(&["--seed-demo"]).await; // not dev: no binding on first use
    // Without --dev the seed registers nobody (review H4).
    assert!(
        registered_phones_in(&app.state.db, "710313311868")
            .await
            .is_empty()
    );
    app.register_phone("710313311868", "+77011234567").await;
    let (st, body) = sign_in(&app, "710313311868", "+7 701 123 45 67").await;
    assert_eq!(st, 200, "{body}");
    // The same answer for a wrong phone and an unknown IIN.
    let (st1, wrong_phone) = otp(&app, "710313311868", "+77019990000").await;
    let (st2, unknown_iin) = otp(&app, &iin_n(7010), "+77019990000").await;
    assert_eq!((st1, st2), (422, 422));
    assert_eq!(wrong_phone, unknown_iin);
    assert_eq!(wrong_phone["error"], "phone_not_registered");
    assert!(
        !wrong_phone.to_string().contains("4567"),
        "never hints at the number"
    );

    let admin = app.staff_token("admin", "test-admin-pw").await;
    let new = iin_n(7011);
    let csv = format!("iin,phone\n{new},8 701 701 10 11\n{new},+77017011012\n");
    let (st, body) = import(&app, &admin, "", &csv).await;
    assert_eq!(
        (st, &body),
        (200, &json!({"imported": 2, "replaced": false}))
    );
    let (st, body) = sign_in(&app, &new, "+77017011012").await;
    assert_eq!(st, 200, "{body}");
    assert_eq!(
        notice_phone_in(&app.state.db, &new).await.as_deref(),
        Some("+77017011012")
    );

    // A bad line rejects the file, naming the line; nothing changes.
    let bad = format!("iin,phone\n{},+77017011013\n{new},+7727\n", iin_n(7012));
    let (st, body) = import(&app, &admin, "", &bad).await;
    assert_eq!(
        (st, body["error"].as_str()),
        (422, Some("bad_request")),
        "{body}"
    );
    assert!(
        body["message"].as_str().unwrap().starts_with("Line 3:"),
        "{body}"
    );
    assert!(
        registered_phones_in(&app.state.db, &iin_n(7012))
            .await
            .is_empty()
    );

    // Replace: the table becomes the file.
    let only = format!("iin,phone\n{},+77017011014\n", iin_n(7013));
    let (st, body) = import(&app, &admin, "?replace=true", &only).await;
    assert_eq!(
        (st, &body),
        (200, &json!({"imported": 1, "replaced": true}))
    );
    assert!(registered_phones_in(&app.state.db, &new).await.is_empty());
    assert_eq!(otp(&app, &new, "+77017011012").await.0, 422);
    assert_eq!(otp(&app, &iin_n(7013), "+77017011014").await.0, 202);

    // Who may import, and how.
    let citizen = sign_in(&app, &iin_n(7013), "+77017011014").await.1["token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(import(&app, &citizen, "", &only).await.0, 403);
    assert_eq!(import(&app, "nope", "", &only).await.0, 401);
    let r = client()
        .post(app.url("/api/v1/admin/phones"))
        .bearer_auth(&admin)
        .json(&json!({"iin": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
    let (st, _) = import(&app, &admin, "?replace=maybe", &only).await;
    assert_eq!(st, 422);
    assert_eq!(
        registered_phones_in(&app.state.db, &iin_n(7013)).await,
        ["+77017011014"]
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_import_phones_command_adds_or_replaces() {
    let db = common::TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("phones.csv");
    let run = |replace: bool| {
        let mut args = vec!["kezek", "--database-url", &db.url, "import-phones"];
        let path = file.to_str().unwrap().to_owned();
        let cli = server::cli::Cli::parse_from(
            args.drain(..)
                .chain([path.as_str()])
                .chain(replace.then_some("--replace")),
        );
        async move {
            let Some(server::cli::Command::ImportPhones { file, replace }) = cli.command.clone()
            else {
                panic!("not parsed as import-phones");
            };
            server::import_phones(&cli, &file, replace).await
        }
    };
    let (a, b) = (iin_n(7020), iin_n(7021));
    std::fs::write(&file, format!("iin,phone\n{a},+77017020001\n")).unwrap();
    run(false).await.unwrap();
    std::fs::write(&file, format!("iin,phone\n{b},+77017021001\n")).unwrap();
    run(false).await.unwrap();
    let conn = kezek_core::db::connect(&db.url).await.unwrap();
    assert_eq!(registered_phones_in(&conn, &a).await, ["+77017020001"]);
    assert_eq!(registered_phones_in(&conn, &b).await, ["+77017021001"]);
    std::fs::write(&file, format!("iin,phone\n{b},+77017021002\n{a},12\n")).unwrap();
    let err = run(true).await.unwrap_err().to_string();
    assert!(err.starts_with("Line 3:"), "{err}");
    assert_eq!(registered_phones_in(&conn, &a).await, ["+77017020001"]);
    std::fs::write(&file, format!("iin,phone\n{b},+77017021002\n")).unwrap();
    run(true).await.unwrap();
    assert!(registered_phones_in(&conn, &a).await.is_empty());
    assert_eq!(registered_phones_in(&conn, &b).await, ["+77017021002"]);
    conn.close().await.ok();
    db.cleanup().await;
}

/// One question the fake registry was asked: its `Authorization` header
/// and body.
type Call = (Option<String>, Value);

/// What the fake registry saw.
#[derive(Clone, Default)]
struct Seen {
    calls: Arc<Mutex<Vec<Call>>>,
}

/// The fake external registry: the documented contract
/// (docs/REGISTRIES.md) over real HTTP.
async fn phone_check(
    State(seen): State<Seen>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    seen.calls
        .lock()
        .unwrap()
        .push((auth.clone(), body.clone()));
    if auth.as_deref() != Some("Bearer reg-token") {
        return axum::http::StatusCode::UNAUTHORIZED.into_response();
    }
    let iin = body["iin"].as_str().unwrap_or("");
    let phone = body["phone"].as_str().unwrap_or("");
    match (iin, phone) {
        (i, _) if i == iin_n(7031) => axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        (i, "+77017030001") if i == iin_n(7030) => {
            Json(json!({"registered": true, "iin_known": true})).into_response()
        }
        (i, _) if i == iin_n(7030) => {
            Json(json!({"registered": false, "iin_known": true})).into_response()
        }
        _ => Json(json!({"registered": false, "iin_known": false})).into_response(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_external_registry_over_http_decides() {
    let seen = Seen::default();
    let router = Router::new()
        .route("/v1/phone-check", post(phone_check))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let fake = tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    // Dev mode, yet no binding on first use: the external registry decides.
    let app = TestApp::spawn_with(&[
        "--dev",
        "--seed-demo",
        "--citizen-registry-url",
        &url,
        "--citizen-registry-token",
        "reg-token",
    ])
    .await;
    let listed = iin_n(7030);
    let (st, body) = sign_in(&app, &listed, "8 701 703 00 01").await;
    assert_eq!(st, 200, "{body}");
    let (st, body) = otp(&app, &listed, "+77017030002").await;
    assert_eq!(
        (st, body["error"].as_str()),
        (422, Some("phone_not_registered"))
    );
    let (st, body) = otp(&app, &iin_n(7032), "+77017030002").await;
    assert_eq!(
        (st, body["error"].as_str()),
        (422, Some("phone_not_registered"))
    );
    assert!(
        registered_phones_in(&app.state.db, &iin_n(7032))
            .await
            .is_empty()
    );
    // The registry failing is a clear 503 with Retry-After, never a code.
    let r = client()
        .post(app.url("/api/v1/auth/otp"))
        .json(&json!({"iin": iin_n(7031), "phone": "+77017031001"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    assert!(r.headers().contains_key("retry-after"));
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "unavailable");
    assert_eq!(last_code_sms_in(&app.state.db, "+77017031001").await, None);

    let calls = seen.calls.lock().unwrap().clone();
    // otp + verify for the sign-in, then three more questions.
    assert_eq!(calls.len(), 5, "{calls:?}");
    assert!(
        calls
            .iter()
            .all(|(auth, _)| auth.as_deref() == Some("Bearer reg-token"))
    );
    assert_eq!(calls[0].1, json!({"iin": listed, "phone": "+77017030001"}));
    app.stop().await;
    fake.abort();
}

/// The web sign-out: the session ends at once, the cookie is cleared; the
/// cabinet's account box shows where notices go, masked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn web_sign_out_ends_the_session_and_the_account_shows_the_masked_phone() {
    let app = TestApp::spawn().await;
    let sfn = |name: &str, form: Vec<(&str, String)>, cookie: Option<String>| {
        let mut r = client()
            .post(app.url(&format!("/sfn/{name}")))
            .header("accept", "application/json")
            .header("accept-language", "en")
            .form(&form);
        if let Some(c) = cookie {
            r = r.header("cookie", format!("kezek_session={c}"));
        }
        r.send()
    };
    let r = sfn(
        "request_code",
        vec![
            ("iin", "710313311868".into()),
            ("phone", "+77011234567".into()),
        ],
        None,
    )
    .await
    .unwrap();
    let body: Value = r.json().await.unwrap();
    let r = sfn(
        "verify_code",
        vec![
            (
                "challenge_id",
                body["challenge_id"].as_str().unwrap().into(),
            ),
            ("code", body["dev_code"].as_str().unwrap().into()),
        ],
        None,
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    let token = cookie
        .trim_start_matches("kezek_session=")
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let r = sfn("my_account", vec![], Some(token.clone()))
        .await
        .unwrap();
    assert_eq!(r.headers()["cache-control"], "no-store");
    let account: Value = r.json().await.unwrap();
    assert_eq!(
        account,
        json!({"iin_masked": "••••••••1868", "notice_phone": "+7 701 *** ** 67",
            "whatsapp": false, "telegram": false, "whatsapp_offered": true})
    );
    let r = sfn("sign_out", vec![], Some(token.clone())).await.unwrap();
    assert!(
        r.status().is_success() || r.status().is_redirection(),
        "{}",
        r.status()
    );
    let cleared = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cleared.starts_with("kezek_session=;"), "{cleared}");
    let r = sfn("my_account", vec![], Some(token.clone()))
        .await
        .unwrap();
    assert_eq!(r.json::<Value>().await.unwrap(), Value::Null);
    let (st, _) = app.get_auth("/api/v1/bookings", &token).await;
    assert_eq!(st, 401);
    app.stop().await;
}

/// The administrator's page imports through its server function: the same
/// use case, the same refusals, administrators only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_administrators_page_imports_phones() {
    let app = TestApp::spawn().await;
    let post = |token: String, csv: String, replace: &'static str| {
        client()
            .post(app.url("/sfn/admin_phones_import"))
            .header("accept", "application/json")
            .header("accept-language", "en")
            .header("cookie", format!("kezek_session={token}"))
            .form(&[("csv", csv.as_str()), ("replace", replace)])
            .send()
    };
    let admin = app.staff_token("admin", "test-admin-pw").await;
    let who = iin_n(7040);
    let r = post(
        admin.clone(),
        format!("iin,phone\n{who},+77017040001\n"),
        "false",
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap(), json!(1));
    assert_eq!(
        registered_phones_in(&app.state.db, &who).await,
        ["+77017040001"]
    );
    let r = post(admin, format!("iin,phone\n{who},+7701\n"), "true")
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "bad_request");
    assert!(
        body["message"].as_str().unwrap().starts_with("Line 2:"),
        "{body}"
    );
    assert_eq!(
        registered_phones_in(&app.state.db, &who).await,
        ["+77017040001"]
    );
    let operator = app.staff_token("ast-psc-yesil-op1", "kezek-demo").await;
    let r = post(operator, format!("iin,phone\n{who},+77017040002\n"), "true")
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(
        registered_phones_in(&app.state.db, &who).await,
        ["+77017040001"]
    );
    app.stop().await;
}
