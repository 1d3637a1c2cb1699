//! The WhatsApp channel against a fake Graph API on 127.0.0.1 (axum on
//! port 0, real HTTP): a citizen opts in over the API; a booking, its
//! reminder and its cancellation reach the fake once each as templates in
//! the citizen's language (the first call answered 500 and retried); the
//! webhook takes only signed receipts; a failed delivery falls back to SMS.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;
use app::domain::ids::CitizenId;

use std::sync::{Arc, Mutex};

use app::server::entity::{citizens, outbox};
use app::server::service::outbox::{self as ob, Worker, whatsapp};
use axum::{
    Json, Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    routing::post,
};
use chrono::Duration;
use common::{TestApp, client, default_now, iin_n};
use serde_json::{Value, json};

const SECRET: &str = "test-app-secret";

#[derive(Default)]
struct Inner {
    /// Every call: (phone number id, Authorization header, body).
    calls: Vec<(String, String, Value)>,
    /// Answers to give first (status, error code), then 200.
    fail_next: Vec<(u16, i64)>,
    accepted: u64,
}

#[derive(Clone, Default)]
struct Fake(Arc<Mutex<Inner>>);

async fn messages(
    State(fake): State<Fake>,
    Path(number): Path<String>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let mut g = fake.0.lock().unwrap();
    g.calls.push((number, auth, body.clone()));
    if !g.fail_next.is_empty() {
        let (status, code) = g.fail_next.remove(0);
        return (
            StatusCode::from_u16(status).unwrap(),
            Json(
                json!({"error": {"message": "fake failure", "type": "OAuthException", "code": code}}),
            ),
        );
    }
    g.accepted += 1;
    let id = format!("wamid.TEST{}", g.accepted);
    (
        StatusCode::OK,
        Json(json!({
            "messaging_product": "whatsapp",
            "contacts": [{"input": body["to"], "wa_id": body["to"]}],
            "messages": [{"id": id}],
        })),
    )
}

/// The fake Graph API and an app configured to use it.
async fn setup() -> (TestApp, Fake, tokio::task::JoinHandle<()>) {
    let fake = Fake::default();
    let router = Router::new()
        .route("/v21.0/{number}/messages", post(messages))
        .with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    let api = format!("http://{addr}/v21.0");
    let app = TestApp::spawn_with(&[
        "--dev",
        "--seed-demo",
        "--whatsapp-phone-number-id",
        "1234567890",
        "--whatsapp-token",
        "WA-TOKEN",
        "--whatsapp-api-url",
        &api,
        "--whatsapp-app-secret",
        SECRET,
        "--whatsapp-verify-token",
        "verify-me",
    ])
    .await;
    (app, fake, server)
}

fn worker(app: &TestApp) -> Worker {
    let settings = ob::OutboxSettings {
        idle_poll: std::time::Duration::from_millis(10),
        ..Default::default()
    };
    Worker::new(&app.state, server::gateways(&app.state).unwrap(), settings)
}

/// Runs the worker until nothing is due now.
async fn drain(w: &Worker) {
    for _ in 0..20 {
        if w.run_once().await.unwrap() == 0 {
            return;
        }
    }
    panic!("outbox never drained");
}

async fn rows(app: &TestApp, channel: &str) -> Vec<outbox::Model> {
    kezek_core::testing::rows::<outbox::Entity>(&app.state.db)
        .await
        .into_iter()
        .filter(|r| r.channel == channel)
        .filter(|r| r.kind != "otp")
        .collect::<Vec<_>>()
}

/// A citizen signed in over the API, speaking `lang`, opted in to
/// WhatsApp; returns (token, phone).
async fn opted_in(app: &TestApp, n: u32, lang: &str) -> (String, String) {
    let iin = iin_n(n);
    let phone = format!("+7707{n:07}");
    app.register_phone(&iin, &phone).await;
    let token = app.citizen_token(&iin, &phone).await;
    kezek_core::testing::execute(
        &app.state.db,
        &format!("UPDATE citizens SET lang = '{lang}' WHERE iin = '{iin}'"),
    )
    .await;
    let (s, b) = app
        .post_json(
            "/api/v1/account/whatsapp",
            &json!({"enabled": true}),
            Some(&token),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["whatsapp"], true);
    (token, phone)
}

async fn book_wed_10(app: &TestApp, token: &str) -> (String, String) {
    let (s, b) = app
        .post_json(
            "/api/v1/bookings",
            &json!({"center_id": "1", "service": "ID_CARD", "start": "2026-12-02T10:00:00+05:00"}),
            Some(token),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    (
        b["id"].as_str().unwrap().to_owned(),
        b["code"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booking_its_reminder_and_its_cancellation_reach_whatsapp_once_each_in_kazakh() {
    let (app, fake, fake_server) = setup().await;
    let (token, phone) = opted_in(&app, 1, "kk").await;
    let (id, code) = book_wed_10(&app, &token).await;
    // WhatsApp instead of SMS: one row, holding the template.
    assert!(rows(&app, ob::SMS).await.is_empty());
    let wa = rows(&app, ob::WHATSAPP).await;
    assert_eq!(wa.len(), 1);
    assert_eq!(
        (wa[0].kind.as_str(), wa[0].recipient.as_str()),
        ("booked", phone.as_str())
    );

    // The first call fails (Meta's trouble): retried like any channel.
    fake.0.lock().unwrap().fail_next.push((500, 131_000));
    let w = worker(&app);
    drain(&w).await;
    let row = &rows(&app, ob::WHATSAPP).await[0];
    assert_eq!((row.status.as_str(), row.attempts), ("pending", 1));
    assert!(
        row.last_error.as_deref().unwrap().contains("HTTP 500"),
        "{row:?}"
    );
    app.clock.set(default_now() + Duration::seconds(31));
    drain(&w).await;
    let row = &rows(&app, ob::WHATSAPP).await[0];
    assert_eq!((row.status.as_str(), row.attempts), ("sent", 2));
    assert_eq!(row.provider_id.as_deref(), Some("wamid.TEST1"));

    // The 24 h reminder (Tuesday 10:00 for Wednesday 10:00).
    app.clock.set(default_now() + Duration::hours(1));
    assert_eq!(ob::reminders::enqueue_due(&app.state).await.unwrap(), 1);
    drain(&w).await;
    // Cancelled by the citizen.
    let (s, b) = app
        .post_json(
            &format!("/api/v1/bookings/{id}/cancel"),
            &json!({}),
            Some(&token),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    drain(&w).await;
    drain(&w).await;

    let calls = fake.0.lock().unwrap().calls.clone();
    let accepted: Vec<&Value> = calls.iter().skip(1).map(|(_, _, b)| b).collect();
    let names: Vec<&str> = accepted
        .iter()
        .map(|b| b["template"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["kezek_booked", "kezek_reminder_24h", "kezek_cancelled"]
    );
    assert_eq!(calls.len(), 4, "one retry, then once each");
    for (number, auth, b) in &calls {
        assert_eq!(number, "1234567890");
        assert_eq!(auth, "Bearer WA-TOKEN");
        assert_eq!(b["messaging_product"], "whatsapp");
        assert_eq!(b["type"], "template");
        assert_eq!(b["to"], phone.trim_start_matches('+'));
        assert_eq!(b["template"]["language"]["code"], "kk");
    }
    let params = |b: &Value| -> Vec<String> {
        b["template"]["components"][0]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["text"].as_str().unwrap().to_owned())
            .collect()
    };
    // kezek_booked (kk): code, center, address, time.
    let p = params(accepted[0]);
    assert_eq!(p.len(), 4);
    assert_eq!(p[0], code);
    assert_eq!(p[3], "02.12.2026 10:00");
    assert!(p[1].contains("ХҚО"), "{p:?}");
    // kezek_cancelled (kk) names the time before the code.
    assert_eq!(params(accepted[2]), ["02.12.2026 10:00", code.as_str()]);
    // The registered Kazakh text with these parameters is the SMS text.
    let text = app::i18n::notices::Template::Cancelled
        .whatsapp_body(app::i18n::Lang::Kk)
        .replace("{{1}}", "02.12.2026 10:00")
        .replace("{{2}}", &code);
    assert_eq!(
        text,
        format!("Kezek: 02.12.2026 10:00 уақытына {code} броны болдырылмады.")
    );
    // Nothing went by SMS but the sign-in code.
    assert!(rows(&app, ob::SMS).await.is_empty());
    app.stop().await;
    fake_server.abort();
}

fn receipt(wamid: &str, status: &str, errors: Option<Value>) -> String {
    let mut st = json!({
        "id": wamid, "status": status, "timestamp": "1764648000",
        "recipient_id": "77070000002",
    });
    if let Some(e) = errors {
        st["errors"] = e;
    }
    json!({"object": "whatsapp_business_account", "entry": [{
        "id": "WABA", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "77000000000", "phone_number_id": "1234567890"},
            "statuses": [st],
        }}],
    }]})
    .to_string()
}

async fn post_receipt(app: &TestApp, body: &str, signature: Option<String>) -> u16 {
    let mut req = client()
        .post(app.url("/whatsapp/webhook"))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(s) = signature {
        req = req.header("x-hub-signature-256", s);
    }
    req.send().await.unwrap().status().as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn receipts_need_meta_s_signature_and_a_failed_delivery_falls_back_to_sms() {
    let (app, fake, fake_server) = setup().await;
    let (token, phone) = opted_in(&app, 2, "ru").await;
    book_wed_10(&app, &token).await;
    let w = worker(&app);
    drain(&w).await;
    let sent = rows(&app, ob::WHATSAPP).await;
    assert_eq!(sent[0].provider_id.as_deref(), Some("wamid.TEST1"));

    // Unsigned, signed with another secret, or a body changed after
    // signing: refused, nothing changed.
    let delivered = receipt("wamid.TEST1", "delivered", None);
    assert_eq!(post_receipt(&app, &delivered, None).await, 401);
    let wrong = whatsapp::sign(b"other-secret", delivered.as_bytes());
    assert_eq!(post_receipt(&app, &delivered, Some(wrong)).await, 401);
    let tampered = delivered.replace("delivered", "failed");
    let sig = whatsapp::sign(SECRET.as_bytes(), delivered.as_bytes());
    assert_eq!(post_receipt(&app, &tampered, Some(sig.clone())).await, 401);
    let row = &rows(&app, ob::WHATSAPP).await[0];
    assert_eq!((row.status.as_str(), row.delivered_at), ("sent", None));
    assert!(rows(&app, ob::SMS).await.is_empty());

    // Signed: recorded, once.
    assert_eq!(post_receipt(&app, &delivered, Some(sig.clone())).await, 200);
    assert_eq!(post_receipt(&app, &delivered, Some(sig)).await, 200);
    let row = &rows(&app, ob::WHATSAPP).await[0];
    assert_eq!(row.delivered_at, Some(1_764_648_000));

    // A later notice that WhatsApp accepted but could not deliver: failed,
    // and the same text goes by SMS (once, however often Meta repeats).
    app.clock.set(default_now() + Duration::hours(1));
    assert_eq!(ob::reminders::enqueue_due(&app.state).await.unwrap(), 1);
    drain(&w).await;
    let failed = receipt(
        "wamid.TEST2",
        "failed",
        Some(json!([{"code": 131_026, "title": "Message undeliverable"}])),
    );
    let sig = whatsapp::sign(SECRET.as_bytes(), failed.as_bytes());
    assert_eq!(post_receipt(&app, &failed, Some(sig.clone())).await, 200);
    assert_eq!(post_receipt(&app, &failed, Some(sig)).await, 200);
    let wa = rows(&app, ob::WHATSAPP).await;
    assert_eq!(wa[1].status, "failed");
    assert!(
        wa[1].last_error.as_deref().unwrap().contains("131026"),
        "{:?}",
        wa[1]
    );
    let sms = rows(&app, ob::SMS).await;
    assert_eq!(sms.len(), 1, "{sms:?}");
    assert_eq!(
        (sms[0].kind.as_str(), sms[0].recipient.as_str()),
        ("reminder_24h", phone.as_str())
    );
    assert!(
        sms[0].body.starts_with("Kezek: напоминаем о визите"),
        "{}",
        sms[0].body
    );

    // Refused at sending for good (no WhatsApp on the number): SMS too.
    fake.0.lock().unwrap().fail_next.push((400, 131_026));
    let (s, _) = app
        .post_json(
            &format!("/api/v1/bookings/{}/cancel", sent[0].booking_id.unwrap()),
            &json!({}),
            Some(&token),
        )
        .await;
    assert_eq!(s, 200);
    drain(&w).await;
    let wa = rows(&app, ob::WHATSAPP).await;
    assert_eq!(
        (wa[2].kind.as_str(), wa[2].status.as_str()),
        ("cancelled", "failed")
    );
    let sms = rows(&app, ob::SMS).await;
    assert_eq!(sms.len(), 2);
    assert!(sms[1].body.contains("отменена"), "{}", sms[1].body);

    // Meta's webhook registration handshake.
    let verify = |token: &str| {
        app.url(&format!(
            "/whatsapp/webhook?hub.mode=subscribe&hub.verify_token={token}&hub.challenge=1158201444"
        ))
    };
    let r = client().get(verify("verify-me")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap(), "1158201444");
    let r = client().get(verify("guess")).send().await.unwrap();
    assert_eq!(r.status(), 403);
    app.stop().await;
    fake_server.abort();
}

#[tokio::test]
async fn the_choice_is_the_citizen_s_own_and_back_to_sms_works() {
    let (app, _fake, fake_server) = setup().await;
    // Signed out: 401; malformed: 422 `bad_request`.
    let (s, b) = app
        .post_json("/api/v1/account/whatsapp", &json!({"enabled": true}), None)
        .await;
    assert_eq!((s, b["error"].as_str()), (401, Some("unauthorized")));
    let (token, _) = opted_in(&app, 3, "en").await;
    for bad in [
        json!({"enabled": "yes"}),
        json!({}),
        json!({"enabled": true, "x": 1}),
    ] {
        let (s, b) = app
            .post_json("/api/v1/account/whatsapp", &bad, Some(&token))
            .await;
        assert_eq!(
            (s, b["error"].as_str()),
            (422, Some("bad_request")),
            "{bad}"
        );
    }
    let (s, b) = app.get_auth("/api/v1/account", &token).await;
    assert_eq!(s, 200);
    assert_eq!(
        b,
        json!({"notice_phone": "+7 707 *** ** 03", "whatsapp": true, "telegram": false, "whatsapp_offered": true})
    );
    // Back to SMS: the next notice is an SMS.
    let (s, b) = app
        .post_json(
            "/api/v1/account/whatsapp",
            &json!({"enabled": false}),
            Some(&token),
        )
        .await;
    assert_eq!((s, &b["whatsapp"]), (200, &json!(false)));
    book_wed_10(&app, &token).await;
    assert!(rows(&app, ob::WHATSAPP).await.is_empty());
    assert_eq!(rows(&app, ob::SMS).await.len(), 1);
    app.stop().await;
    fake_server.abort();
}

#[tokio::test]
async fn without_a_whatsapp_account_it_is_not_offered() {
    let app = TestApp::spawn_with(&["--seed-demo"]).await;
    let iin = iin_n(4);
    let (id, _) = common::insert_citizen(&app, &iin, "+77070000004", "ru").await;
    let ch = app::server::service::auth::account::channels(&app.state, CitizenId::new(id))
        .await
        .unwrap();
    assert!(!ch.whatsapp_offered && !ch.whatsapp);
    let e = app::server::service::auth::account::set_whatsapp(&app.state, CitizenId::new(id), true)
        .await
        .unwrap_err();
    assert!(
        matches!(e, app::server::error::ServiceError::NotFound),
        "{e:?}"
    );
    // The webhook does not exist either.
    assert_eq!(post_receipt(&app, "{}", None).await, 404);
    let c = kezek_core::testing::row::<citizens::Entity, _>(&app.state.db, id)
        .await
        .unwrap();
    assert_eq!(c.whatsapp_since, None);
    app.stop().await;
}
