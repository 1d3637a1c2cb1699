//! The Telegram bot against a fake Bot API server on 127.0.0.1 (axum on
//! port 0, real HTTP): the bot long-polls it, the test queues updates
//! (typed messages and button presses) and reads the bot's calls. A full
//! booking by buttons, a refusal (a second documentation booking →
//! `one_active_booking`), an online service explained, and a cancel —
//! checked in the database and in the messages sent.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;
use app::domain::ids::{BookingId, CenterId, CitizenId};

use std::sync::{Arc, Mutex};
use std::time::Duration;

use app::server::entity::{bookings, citizens, outbox};
use app::server::service::telegram::api::BotApi;
use axum::{
    Json, Router,
    extract::{Path, State},
    routing::post,
};
use common::{TestApp, iin_n};
use kezek_core::testing::{last_code_sms_in, notice_phone_in};
use serde_json::{Value, json};
use server::telegram::run_polling;

const CHAT: i64 = 4_242_001;

#[derive(Default)]
struct Inner {
    queue: Vec<Value>,
    /// (method, body, message id the call created or edited)
    calls: Vec<(String, Value, i64)>,
    next_message_id: i64,
    /// Highest update id the bot confirmed (offset − 1).
    confirmed: i64,
}

#[derive(Clone, Default)]
struct Fake {
    inner: Arc<Mutex<Inner>>,
    notify: Arc<tokio::sync::Notify>,
}

async fn bot_api(
    State(fake): State<Fake>,
    Path((token, method)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Json<Value> {
    assert_eq!(token, "botTEST-TOKEN");
    if method == "getUpdates" {
        let offset = body["offset"].as_i64().unwrap_or(0);
        for _ in 0..2 {
            {
                let mut g = fake.inner.lock().unwrap();
                g.confirmed = g.confirmed.max(offset - 1);
                g.queue
                    .retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
                if !g.queue.is_empty() {
                    return Json(json!({"ok": true, "result": g.queue.clone()}));
                }
            }
            let _ = tokio::time::timeout(Duration::from_millis(500), fake.notify.notified()).await;
        }
        return Json(json!({"ok": true, "result": []}));
    }
    let mut g = fake.inner.lock().unwrap();
    match method.as_str() {
        "sendMessage" => {
            g.next_message_id += 1;
            let id = g.next_message_id;
            g.calls.push((method, body.clone(), id));
            Json(json!({"ok": true, "result": {
                "message_id": id, "chat": {"id": body["chat_id"]}, "text": body["text"]
            }}))
        }
        "editMessageText" => {
            let id = body["message_id"].as_i64().unwrap_or(0);
            g.calls.push((method, body, id));
            Json(json!({"ok": true, "result": true}))
        }
        "answerCallbackQuery" => {
            g.calls.push((method, body, 0));
            Json(json!({"ok": true, "result": true}))
        }
        _ => Json(json!({"ok": false, "error_code": 404, "description": "Not Found"})),
    }
}

struct Driver {
    fake: Fake,
    next_update: i64,
}

impl Driver {
    async fn push(&mut self, mut update: Value) {
        self.next_update += 1;
        let id = self.next_update;
        update["update_id"] = json!(id);
        self.fake.inner.lock().unwrap().queue.push(update);
        self.fake.notify.notify_waiters();
        // Wait until the bot has handled it (it confirms with the next
        // getUpdates). Bounded, so a broken bot fails instead of hanging.
        for _ in 0..3000 {
            if self.fake.inner.lock().unwrap().confirmed >= id {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("the bot did not handle update {id}");
    }

    async fn say(&mut self, text: &str) {
        let n = self.next_update + 1;
        self.push(json!({"message": {
            "message_id": 10_000 + n,
            "chat": {"id": CHAT},
            "from": {"id": CHAT, "language_code": "ru"},
            "text": text,
        }}))
        .await;
    }

    /// Presses the newest button whose data satisfies `pick`; returns its
    /// data.
    async fn press(&mut self, pick: impl Fn(&str, &str) -> bool) -> String {
        let (data, message_id) = {
            let g = self.fake.inner.lock().unwrap();
            let (_, body, mid) = g
                .calls
                .iter()
                .rev()
                .find(|(m, _, _)| m != "answerCallbackQuery")
                .expect("no screen yet");
            let rows = body["reply_markup"]["inline_keyboard"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let found = rows
                .iter()
                .flat_map(|r| r.as_array().cloned().unwrap_or_default())
                .find(|b| {
                    pick(
                        b["text"].as_str().unwrap_or(""),
                        b["callback_data"].as_str().unwrap_or(""),
                    )
                })
                .unwrap_or_else(|| panic!("no such button on screen: {body}"));
            (found["callback_data"].as_str().unwrap().to_owned(), *mid)
        };
        let n = self.next_update + 1;
        self.push(json!({"callback_query": {
            "id": format!("cb{n}"),
            "from": {"id": CHAT},
            "message": {"message_id": message_id, "chat": {"id": CHAT}},
            "data": data,
        }}))
        .await;
        data
    }

    async fn press_data(&mut self, data: &str) {
        let d = data.to_owned();
        self.press(move |_, x| x == d).await;
    }

    /// The text of the newest screen.
    fn screen(&self) -> String {
        let g = self.fake.inner.lock().unwrap();
        g.calls
            .iter()
            .rev()
            .find(|(m, _, _)| m != "answerCallbackQuery")
            .map(|(_, b, _)| b["text"].as_str().unwrap_or("").to_owned())
            .unwrap_or_default()
    }

    fn methods(&self) -> Vec<String> {
        let g = self.fake.inner.lock().unwrap();
        g.calls.iter().map(|(m, _, _)| m.clone()).collect()
    }
}

async fn start() -> (
    TestApp,
    Driver,
    tokio::task::JoinHandle<()>,
    tokio::task::JoinHandle<()>,
) {
    let app = TestApp::spawn().await;
    let fake = Fake::default();
    let router = Router::new()
        .route("/{token}/{method}", post(bot_api))
        .with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    let api = BotApi::new(&format!("http://{addr}"), "TEST-TOKEN").unwrap();
    let bot = tokio::spawn(run_polling(app.state.clone(), api, 1));
    (
        app,
        Driver {
            fake,
            next_update: 0,
        },
        server,
        bot,
    )
}

/// /start → English → IIN → phone → SMS code → linked.
async fn link(app: &TestApp, d: &mut Driver, n: u32) -> i64 {
    d.say("/start").await;
    assert!(d.screen().contains("Choose a language"));
    d.press_data("l:en").await;
    assert!(d.screen().contains("Enter your IIN"), "{}", d.screen());
    d.say("123").await;
    assert!(d.screen().contains("IIN"), "{}", d.screen());
    d.say(&iin_n(n)).await;
    assert!(d.screen().contains("phone number"), "{}", d.screen());
    let phone = format!("+7701{n:07}");
    d.say(&phone).await;
    assert!(d.screen().contains("code from the SMS"), "{}", d.screen());
    let sms = kezek_core::testing::rows::<outbox::Entity>(&app.state.db)
        .await
        .into_iter()
        .rev()
        .filter(|r| r.recipient == phone)
        .find(|r| r.kind == "otp")
        .unwrap();
    let code: String = sms
        .body
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap()
        .to_owned();
    d.say("000000").await;
    assert!(d.screen().contains("Wrong code"), "{}", d.screen());
    d.say(&code).await;
    assert!(d.screen().contains("linked"), "{}", d.screen());
    let c = kezek_core::testing::rows::<citizens::Entity>(&app.state.db)
        .await
        .into_iter()
        .find(|r| r.telegram_chat_id == Some(CHAT))
        .expect("chat linked");
    assert_eq!(c.iin, iin_n(n));
    assert_eq!(c.lang, "en");
    c.id
}

/// Menu → book → Psc → ID card → Astana → first center → day → first time.
async fn choose_id_card(d: &mut Driver, day_index: usize) {
    d.press_data("m:book").await;
    d.press_data("k:Psc").await;
    assert!(d.screen().contains("Choose a service"));
    d.press_data("s:ID_CARD").await;
    assert!(d.screen().contains("Choose a city"));
    d.press(|t, _| t == "Astana").await;
    assert!(d.screen().contains("Choose a center"));
    d.press(|_, x| x.starts_with("ce:")).await;
    assert!(d.screen().contains("Choose a date"), "{}", d.screen());
    let days: Vec<String> = buttons(d)
        .into_iter()
        .filter(|x| x.starts_with("d:"))
        .collect();
    d.press_data(&days[day_index]).await;
    assert!(d.screen().contains("Choose a time"), "{}", d.screen());
    d.press(|_, x| x.starts_with("t:")).await;
    assert!(d.screen().contains("check the booking"), "{}", d.screen());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn book_refuse_and_cancel_by_buttons() {
    let (app, mut d, server, bot) = start().await;
    let citizen_id = link(&app, &mut d, 31).await;

    // An online service is explained, not booked.
    d.press_data("m:book").await;
    d.press_data("k:Psc").await;
    let online = d.press(|t, _| t.ends_with("(online)")).await;
    assert!(online.starts_with("s:"));
    assert!(d.screen().contains("available online"), "{}", d.screen());
    d.press_data("m:menu").await;

    // A full booking by buttons.
    choose_id_card(&mut d, 0).await;
    d.press_data("ok").await;
    let confirmed = d.screen();
    assert!(confirmed.starts_with("Booking confirmed."), "{confirmed}");
    let mine = kezek_core::testing::rows::<bookings::Entity>(&app.state.db)
        .await
        .into_iter()
        .filter(|r| r.citizen_id == citizen_id)
        .collect::<Vec<_>>();
    assert_eq!(mine.len(), 1);
    let b = &mine[0];
    assert_eq!(
        (b.status.as_str(), b.service_code.as_str()),
        ("Booked", "ID_CARD")
    );
    assert!(confirmed.contains(&format!("Booking number: {}", b.code)));
    // The notification went to both channels, in English.
    let notes = kezek_core::testing::rows::<outbox::Entity>(&app.state.db)
        .await
        .into_iter()
        .filter(|r| r.booking_id == Some(b.id))
        .collect::<Vec<_>>();
    let mut ch: Vec<&str> = notes.iter().map(|r| r.channel.as_str()).collect();
    ch.sort();
    assert_eq!(ch, ["sms", "telegram"]);
    assert!(notes.iter().all(|r| r.body.contains("confirmed")));

    // A second documentation booking: refused with the rule's message.
    choose_id_card(&mut d, 1).await;
    d.press_data("ok").await;
    let refusal = d.screen();
    assert!(
        refusal.starts_with("You already have an active booking of this type."),
        "{refusal}"
    );
    assert!(refusal.contains(&b.code));
    assert_eq!(
        kezek_core::testing::rows::<bookings::Entity>(&app.state.db)
            .await
            .into_iter()
            .filter(|r| r.citizen_id == citizen_id)
            .collect::<Vec<_>>()
            .len(),
        1
    );

    // My bookings → cancel.
    d.press_data("m:my").await;
    assert!(d.screen().contains(&b.code) && d.screen().contains("Active"));
    d.press_data(&format!("x:{}", b.id)).await;
    assert!(d.screen().starts_with("Cancel this booking?"));
    d.press_data(&format!("xy:{}", b.id)).await;
    assert!(
        d.screen().starts_with("Booking cancelled."),
        "{}",
        d.screen()
    );
    let after = kezek_core::testing::row::<bookings::Entity, _>(&app.state.db, b.id)
        .await
        .unwrap();
    assert_eq!(after.status, "Cancelled");
    assert_eq!(after.cancelled_by.as_deref(), Some("Citizen"));
    d.press_data("m:my").await;
    assert!(d.screen().contains("Cancelled"));

    // Every button press was answered; screens were edited in place.
    let m = d.methods();
    assert!(m.iter().filter(|x| *x == "answerCallbackQuery").count() >= 20);
    assert!(m.iter().any(|x| x == "editMessageText"));

    bot.abort();
    server.abort();
    app.stop().await;
}

/// Webhook mode: Telegram posts updates to /telegram/webhook/<secret>; a
/// wrong secret or header is 404, a good update is handled before 200.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_mode_handles_posted_updates() {
    let fake = Fake::default();
    let router = Router::new()
        .route("/{token}/{method}", post(bot_api))
        .with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    let fake_url = format!("http://{addr}");
    let app = TestApp::spawn_with(&[
        "--dev",
        "--seed-demo",
        "--telegram-token",
        "TEST-TOKEN",
        "--telegram-api-url",
        &fake_url,
        "--telegram-webhook-url",
        "https://kezek.example/",
    ])
    .await;
    let t = app.state.config.telegram.clone().unwrap();
    let secret = t.webhook_secret();
    assert!(!secret.contains("TEST-TOKEN"));
    assert_eq!(
        t.webhook_url().unwrap(),
        format!("https://kezek.example/telegram/webhook/{secret}")
    );
    let update = json!({"update_id": 1, "message": {
        "message_id": 1,
        "chat": {"id": CHAT},
        "from": {"id": CHAT, "language_code": "ru"},
        "text": "/start",
    }});
    let post_to = |path: String, header: &str| {
        common::client()
            .post(app.url(&path))
            .header("x-telegram-bot-api-secret-token", header.to_owned())
            .json(&update)
            .send()
    };
    let r = post_to("/telegram/webhook/wrong".into(), &secret)
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = post_to(format!("/telegram/webhook/{secret}"), "forged")
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert!(
        fake.inner.lock().unwrap().calls.is_empty(),
        "nothing handled yet"
    );
    let r = post_to(format!("/telegram/webhook/{secret}"), &secret)
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    {
        let g = fake.inner.lock().unwrap();
        assert!(
            g.calls.iter().any(|(m, b, _)| m == "sendMessage"
                && b["text"]
                    .as_str()
                    .unwrap_or("")
                    .contains("Choose a language")),
            "{:?}",
            g.calls
        );
    }
    server.abort();
    app.stop().await;
}

/// R11 in the bot: a chat links only through a phone registered to the IIN
/// (here a demo citizen's); the bot never acts in a group chat (review L12).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn linking_needs_the_registered_phone_and_a_private_chat() {
    let (app, mut d, server, bot) = start().await;
    // A group: one fixed answer, nothing stored, no link.
    d.push(json!({"message": {
        "message_id": 1,
        "chat": {"id": -100_777, "type": "group"},
        "from": {"id": 5, "language_code": "en"},
        "text": "/start",
    }}))
    .await;
    assert!(d.screen().contains("private chat"), "{}", d.screen());
    assert_eq!(d.methods(), ["sendMessage"]);

    d.say("/start").await;
    d.press_data("l:en").await;
    d.say("710313311868").await;
    assert!(d.screen().contains("phone number"), "{}", d.screen());
    d.say("+77019998877").await;
    assert!(d.screen().contains("not registered"), "{}", d.screen());
    let none = last_code_sms_in(&app.state.db, "+77019998877").await;
    assert_eq!(
        none, None,
        "no code goes to a phone the registry does not list"
    );
    // The registered phone works.
    d.say("/start").await;
    d.press_data("l:en").await;
    d.say("710313311868").await;
    d.say("+7 701 123 45 67").await;
    assert!(d.screen().contains("code from the SMS"), "{}", d.screen());
    let sms = last_code_sms_in(&app.state.db, "+77011234567")
        .await
        .unwrap();
    let code: String = sms
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap()
        .to_owned();
    d.say(&code).await;
    assert!(d.screen().contains("linked"), "{}", d.screen());
    assert_eq!(
        notice_phone_in(&app.state.db, "710313311868")
            .await
            .as_deref(),
        Some("+77011234567")
    );
    // Sign out from the bot: the chat no longer speaks for the citizen.
    d.press_data("m:signout").await;
    assert!(d.screen().contains("Signed out"), "{}", d.screen());
    let linked = kezek_core::testing::rows::<citizens::Entity>(&app.state.db)
        .await
        .into_iter()
        .find(|r| r.telegram_chat_id == Some(CHAT));
    assert!(linked.is_none());
    // The menu offers linking again (no "my bookings" without a citizen).
    d.press_data("m:link").await;
    assert!(d.screen().contains("Enter your IIN"), "{}", d.screen());
    bot.abort();
    server.abort();
    app.stop().await;
}

/// Menu → book → Psc → ID card → Astana → the center `psc`.
async fn to_center(d: &mut Driver, psc: i64) {
    d.press_data("m:book").await;
    d.press_data("k:Psc").await;
    d.press_data("s:ID_CARD").await;
    d.press(|t, _| t == "Astana").await;
    d.press_data(&format!("ce:{psc}")).await;
}

/// The buttons on the newest screen (callback data).
fn buttons(d: &Driver) -> Vec<String> {
    let g = d.fake.inner.lock().unwrap();
    let body = &g
        .calls
        .iter()
        .rev()
        .find(|(m, _, _)| m != "answerCallbackQuery")
        .unwrap()
        .1;
    body["reply_markup"]["inline_keyboard"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .flat_map(|r| r.as_array().cloned().unwrap_or_default())
        .filter_map(|b| b["callback_data"].as_str().map(str::to_owned))
        .collect()
}

/// Draws and the waiting list by buttons (R12, R13): a day under a draw is
/// offered as a request (withdrawn from "my bookings"); when nothing is
/// free before a day, the bot offers the waiting list, which a
/// cancellation then serves.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn draw_requests_and_the_waiting_list_by_buttons() {
    use app::server::entity::{draw_requests, waitlist_entries};
    use app::server::service::booking::cancel::{Canceller, cancel};
    use app::server::service::booking::create::{BookInput, book};
    use app::server::service::draws::admin;

    let (app, mut d, server, bot) = start().await;
    // Wednesday 2 December, 09:00.
    app.clock
        .set(kezek_core::testing::default_now() + chrono::Duration::days(1));
    let citizen_id = link(&app, &mut d, 35).await;
    let psc = common::center_id(&app, "ast-psc-yesil").await;
    // Today closed; Thursday open 10:00-10:15 only, and full; Friday under
    // a draw.
    for (date, kind, open, close) in [
        ("2026-12-02", "closed", None, None),
        ("2026-12-03", "hours", Some(600), Some(615)),
    ] {
        let min = |m: Option<i32>| m.map_or_else(|| "NULL".to_owned(), |m| m.to_string());
        kezek_core::testing::execute(
            &app.state.db,
            &format!(
                "INSERT INTO center_exceptions (center_id, date, kind, open_min, close_min) \
                 VALUES ({psc}, '{date}', '{kind}', {}, {})",
                min(open),
                min(close)
            ),
        )
        .await;
    }
    let fri = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    let draw = admin::create(&app.state, &[psc], &[fri], Some(30))
        .await
        .unwrap();
    let mut holders = Vec::new();
    for n in 600..620 {
        let c = common::insert_citizen(&app, &iin_n(n), "+77011234567", "en").await;
        match book(
            &app.state,
            BookInput {
                citizen_id: CitizenId::new(c.0),
                iin: c.1,
                center_id: CenterId::new(psc),
                service: "ID_CARD".into(),
                start: "2026-12-03T10:00:00+05:00".into(),
                vehicle: None,
                idempotency_key: None,
            },
            app::i18n::Lang::En,
        )
        .await
        {
            Ok(b) => holders.push((c.0, b.booking.id.parse::<i64>().unwrap())),
            Err(_) => break,
        }
    }
    assert!(!holders.is_empty());

    // The days screen offers Friday's draw and the waiting list.
    to_center(&mut d, psc).await;
    assert!(d.screen().contains("Choose a date"), "{}", d.screen());
    let dq = format!("dq:{}:2026-12-04", draw.id);
    let here = buttons(&d);
    assert!(here.contains(&dq), "{here:?}");
    assert!(!here.iter().any(|b| b == "d:2026-12-04"), "{here:?}");
    d.press_data(&dq).await;
    assert!(d.screen().contains("given out by a draw"), "{}", d.screen());
    assert!(
        d.screen().contains("Requests close: 02.12.2026 09:30"),
        "{}",
        d.screen()
    );
    d.press_data("dr:m").await;
    assert!(d.screen().starts_with("Request sent."), "{}", d.screen());
    let req = kezek_core::testing::rows::<draw_requests::Entity>(&app.state.db)
        .await
        .into_iter()
        .find(|r| r.citizen_id == citizen_id)
        .expect("request stored");
    assert_eq!(req.status, "pending");
    assert!(req.choices.contains("11:59"), "{}", req.choices);
    assert!(d.screen().contains(&req.public_id));

    // My bookings lists it; withdraw.
    d.press_data("m:my").await;
    assert!(d.screen().contains("Draw requests"), "{}", d.screen());
    d.press_data(&format!("dw:{}", req.id)).await;
    assert!(
        d.screen().starts_with("Request withdrawn."),
        "{}",
        d.screen()
    );
    let req = kezek_core::testing::row::<draw_requests::Entity, _>(&app.state.db, req.id)
        .await
        .unwrap();
    assert_eq!(req.status, "withdrawn");

    // Nothing free today or Thursday: wait for a freed time.
    to_center(&mut d, psc).await;
    let wj = buttons(&d)
        .into_iter()
        .find(|b| b.starts_with("wj:"))
        .expect("a wait button");
    d.press_data(&wj).await;
    assert!(
        d.screen().starts_with("You are on the waiting list."),
        "{}",
        d.screen()
    );
    let entry = kezek_core::testing::rows::<waitlist_entries::Entity>(&app.state.db)
        .await
        .into_iter()
        .find(|r| r.citizen_id == citizen_id)
        .expect("entry stored");
    assert_eq!(
        (entry.status.as_str(), entry.date_from.as_str()),
        ("waiting", "2026-12-02")
    );
    // Listed with "leave"; leaving ends it, joining again works.
    d.press_data("m:my").await;
    assert!(d.screen().contains("Waiting list"), "{}", d.screen());
    d.press_data(&format!("wl:{}", entry.id)).await;
    assert!(
        d.screen().starts_with("You left the waiting list."),
        "{}",
        d.screen()
    );
    to_center(&mut d, psc).await;
    d.press_data(&wj).await;
    assert!(
        d.screen().starts_with("You are on the waiting list."),
        "{}",
        d.screen()
    );

    // A holder cancels: the freed start goes to the waiting citizen.
    let (holder, bid) = holders[0];
    cancel(
        &app.state,
        BookingId::new(bid),
        Canceller::Citizen(CitizenId::new(holder)),
        app::i18n::Lang::En,
    )
    .await
    .unwrap();
    let mine = kezek_core::testing::rows::<bookings::Entity>(&app.state.db)
        .await
        .into_iter()
        .filter(|r| r.citizen_id == citizen_id)
        .collect::<Vec<_>>();
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(
        (mine[0].status.as_str(), mine[0].local_date.as_str()),
        ("Booked", "2026-12-03")
    );

    bot.abort();
    server.abort();
    app.stop().await;
}
