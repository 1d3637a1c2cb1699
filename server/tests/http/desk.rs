//! The staff desk over a real socket (`/api/v1/staff/…`): check-in with
//! tickets, call-next, start, served, no-show; roles; and the concurrency
//! guarantees (unique tickets, one visitor never called to two windows).
//! SQLite by default, PostgreSQL when KEZEK_TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;

use std::collections::{HashMap, HashSet};

use app::api::types::BookingView;
use app::domain::ids::{CenterId, CitizenId};
use app::domain::iin::Iin;
use app::i18n::Lang;
use app::server::entity::{booking_history, booking_slots, bookings};
use app::server::error::ServiceError;
use app::server::service::booking::create::{BookInput, book};
use chrono::{DateTime, Utc};
use common::{TestApp, center_id, iin_n, staff_id, window_id};
use serde_json::{Value, json};

const DEMO_PW: &str = app::server::seed::DEMO_STAFF_PASSWORD;
/// The appointment day (the harness clock stands at Tue 2026-12-01 09:00).
const WED: &str = "2026-12-02";

async fn citizen(app: &TestApp, n: u32) -> (i64, Iin) {
    common::insert_citizen(app, &iin_n(n), &format!("+7702{n:07}"), "en").await
}

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .with_timezone(&Utc)
}

fn wed(hh_mm: &str) -> String {
    format!("{WED}T{hh_mm}:00+05:00")
}

async fn book_at(
    app: &TestApp,
    c: &(i64, Iin),
    center: i64,
    service: &str,
    start: &str,
) -> BookingView {
    book(
        &app.state,
        BookInput {
            citizen_id: CitizenId::new(c.0),
            iin: c.1,
            center_id: CenterId::new(center),
            service: service.into(),
            start: start.into(),
            vehicle: None,
            idempotency_key: None,
        },
        Lang::En,
    )
    .await
    .unwrap()
    .booking
}

/// Books the first free start from 10:00 on Wednesday.
async fn book_any(app: &TestApp, c: &(i64, Iin), center: i64, service: &str) -> BookingView {
    for m in (10 * 60..17 * 60 + 45).step_by(15) {
        let start = wed(&format!("{:02}:{:02}", m / 60, m % 60));
        let r = book(
            &app.state,
            BookInput {
                citizen_id: CitizenId::new(c.0),
                iin: c.1,
                center_id: CenterId::new(center),
                service: service.into(),
                start,
                vehicle: None,
                idempotency_key: None,
            },
            Lang::En,
        )
        .await;
        match r {
            Ok(b) => return b.booking,
            Err(ServiceError::Refused(r)) if r.code() == "slot_full" => continue,
            Err(e) => panic!("booking failed: {e:?}"),
        }
    }
    panic!("no free start on {WED}");
}

async fn post(app: &TestApp, path: &str, body: Value, token: Option<&str>) -> (u16, Value) {
    app.post_json(&format!("/api/v1{path}"), &body, token).await
}

async fn check_in(app: &TestApp, code: &str, token: &str) -> (u16, Value) {
    post(app, "/staff/checkin", json!({ "code": code }), Some(token)).await
}

async fn call_next(app: &TestApp, window: i64, token: &str) -> (u16, Value) {
    post(
        app,
        &format!("/staff/windows/{window}/call-next"),
        json!({}),
        Some(token),
    )
    .await
}

async fn step(app: &TestApp, id: &str, what: &str, token: &str) -> (u16, Value) {
    post(
        app,
        &format!("/staff/bookings/{id}/{what}"),
        json!({}),
        Some(token),
    )
    .await
}

async fn row(app: &TestApp, id: &str) -> bookings::Model {
    kezek_core::testing::row::<bookings::Entity, _>(&app.state.db, id.parse::<i64>().unwrap())
        .await
        .unwrap()
}

async fn history(app: &TestApp, id: &str) -> Vec<booking_history::Model> {
    kezek_core::testing::rows::<booking_history::Entity>(&app.state.db)
        .await
        .into_iter()
        .filter(|r| r.booking_id == id.parse::<i64>().unwrap())
        .collect::<Vec<_>>()
}

async fn slots_held(app: &TestApp, id: &str) -> usize {
    kezek_core::testing::rows::<booking_slots::Entity>(&app.state.db)
        .await
        .into_iter()
        .filter(|r| r.booking_id == id.parse::<i64>().unwrap())
        .count()
}

fn is_ticket(t: &str, letter: char) -> bool {
    let b = t.as_bytes();
    b.len() == 5 && b[0] == letter as u8 && b[1] == b'-' && b[2..].iter().all(u8::is_ascii_digit)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn journey_check_in_call_start_served_with_history() {
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    let w1 = window_id(&app, psc, 1).await;
    let holder = citizen(&app, 1).await;
    let id_card = book_at(&app, &holder, psc, "ID_CARD", &wed("10:00")).await;
    let birth = book_at(
        &app,
        &citizen(&app, 2).await,
        psc,
        "BIRTH_REG",
        &wed("10:00"),
    )
    .await;
    assert!(slots_held(&app, &id_card.id).await > 0);

    app.clock.set(at(&wed("09:30")));
    let op = app.staff_token("ast-psc-yesil-op1", DEMO_PW).await;
    let op_id = staff_id(&app, "ast-psc-yesil-op1").await;

    // The code is accepted in any case and with a dash.
    let c = id_card.code.to_lowercase();
    let (st, body) = check_in(&app, &format!("{}-{}", &c[..4], &c[4..]), &op).await;
    assert_eq!(st, 200, "{body}");
    // The desk sees the holder's IIN masked, to compare with the ID card
    // (review L15).
    let shown = format!("••••••••{}", &holder.1.as_str()[8..]);
    assert_eq!(
        body,
        json!({ "booking_id": id_card.id, "ticket": "D-001", "iin_masked": shown })
    );
    let (st, body) = check_in(&app, &birth.code, &op).await;
    assert_eq!(st, 200, "{body}");
    assert_eq!(body["ticket"], "O-001");

    // Window 1 serves ID cards, not birth registration.
    let (st, called) = call_next(&app, w1, &op).await;
    assert_eq!(st, 200, "{called}");
    assert_eq!(called["id"], json!(id_card.id));
    assert_eq!(called["status"], "Called");
    assert_eq!(called["called_window"], 1);
    assert_eq!(called["ticket"], "D-001");
    let (st, _) = call_next(&app, w1, &op).await;
    assert_eq!(st, 204, "the birth registration waits for another window");

    app.clock.set(at(&wed("09:32")));
    let (st, v) = step(&app, &id_card.id, "start", &op).await;
    assert_eq!((st, v["status"].as_str()), (200, Some("InService")), "{v}");
    app.clock.set(at(&wed("09:45")));
    let (st, v) = step(&app, &id_card.id, "served", &op).await;
    assert_eq!((st, v["status"].as_str()), (200, Some("Served")), "{v}");
    let statuses: Vec<&str> = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["Booked", "CheckedIn", "Called", "InService", "Served"]
    );

    let h = history(&app, &id_card.id).await;
    let actor = format!("staff:{op_id}");
    assert!(h[1..].iter().all(|e| e.actor == actor), "{h:?}");
    assert_eq!(h[1].note.as_deref(), Some("ticket D-001"));
    assert_eq!(h[2].note.as_deref(), Some("window 1"));
    let r = row(&app, &id_card.id).await;
    assert_eq!(r.status, "Served");
    assert_eq!(r.ticket.as_deref(), Some("D-001"));
    assert_eq!(r.called_window, Some(1));
    assert_eq!(r.checked_in_at, Some(at(&wed("09:30")).timestamp()));
    assert_eq!(r.called_at, Some(at(&wed("09:30")).timestamp()));
    assert_eq!(r.started_at, Some(at(&wed("09:32")).timestamp()));
    assert_eq!(r.finished_at, Some(at(&wed("09:45")).timestamp()));
    assert_eq!(r.updated_at, at(&wed("09:45")).timestamp());
    assert_eq!(
        slots_held(&app, &id_card.id).await,
        0,
        "a finished visit frees its slots"
    );
    // Still waiting: holds its slot.
    assert_eq!(row(&app, &birth.id).await.status, "CheckedIn");
    assert!(slots_held(&app, &birth.id).await > 0);
    // The call was announced to the citizen through the outbox.
    {
        use app::server::entity::outbox;
        let called = kezek_core::testing::rows::<outbox::Entity>(&app.state.db)
            .await
            .into_iter()
            .filter(|r| r.booking_id == Some(id_card.id.parse::<i64>().unwrap()))
            .collect::<Vec<_>>();
        assert!(
            called
                .iter()
                .any(|m| m.kind == "called" && m.body.contains("D-001")),
            "no called notice: {:?}",
            called.iter().map(|m| &m.kind).collect::<Vec<_>>()
        );
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_check_ins_get_distinct_tickets() {
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    let mut codes = Vec::new();
    for n in 0..20u32 {
        let service = if n % 4 == 3 { "BIRTH_REG" } else { "ID_CARD" };
        let b = book_any(&app, &citizen(&app, 100 + n).await, psc, service).await;
        codes.push(b.code);
    }
    app.clock.set(at(&wed("09:30")));
    let tokens = [
        app.staff_token("ast-psc-yesil-op1", DEMO_PW).await,
        app.staff_token("ast-psc-yesil-op2", DEMO_PW).await,
        app.staff_token("ast-psc-yesil-admin", DEMO_PW).await,
    ];
    let url = app.url("/api/v1/staff/checkin");
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(codes.len()));
    let tasks: Vec<_> = codes
        .iter()
        .enumerate()
        .map(|(i, code)| {
            let (url, token, code, barrier) = (
                url.clone(),
                tokens[i % tokens.len()].clone(),
                code.clone(),
                barrier.clone(),
            );
            tokio::spawn(async move {
                let c = common::client();
                barrier.wait().await;
                let r = c
                    .post(url)
                    .bearer_auth(token)
                    .json(&json!({ "code": code }))
                    .send()
                    .await
                    .unwrap();
                let st = r.status().as_u16();
                (st, r.json::<Value>().await.unwrap())
            })
        })
        .collect();
    let mut tickets = Vec::new();
    for t in tasks {
        let (st, body) = t.await.unwrap();
        assert_eq!(st, 200, "{body}");
        tickets.push(body["ticket"].as_str().unwrap().to_owned());
    }
    let unique: HashSet<&String> = tickets.iter().collect();
    assert_eq!(unique.len(), 20, "duplicate tickets: {tickets:?}");
    let mut d: Vec<&String> = tickets.iter().filter(|t| is_ticket(t, 'D')).collect();
    let mut o: Vec<&String> = tickets.iter().filter(|t| is_ticket(t, 'O')).collect();
    d.sort();
    o.sort();
    let expect = |letter: char, n: usize| -> Vec<String> {
        (1..=n).map(|i| format!("{letter}-{i:03}")).collect()
    };
    assert_eq!(d.into_iter().cloned().collect::<Vec<_>>(), expect('D', 15));
    assert_eq!(o.into_iter().cloned().collect::<Vec<_>>(), expect('O', 5));
    // Stored as issued.
    let stored: HashSet<String> = kezek_core::testing::rows::<bookings::Entity>(&app.state.db)
        .await
        .into_iter()
        .filter(|r| r.center_id == psc)
        .collect::<Vec<_>>()
        .into_iter()
        .filter_map(|b| b.ticket)
        .collect();
    assert_eq!(stored.len(), 20);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_windows_calling_at_once_never_share_a_visitor() {
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    let (w1, w2) = (window_id(&app, psc, 1).await, window_id(&app, psc, 2).await);
    let mut ids = HashSet::new();
    let mut codes = Vec::new();
    for n in 0..16u32 {
        let b = book_any(&app, &citizen(&app, 200 + n).await, psc, "ID_CARD").await;
        ids.insert(b.id.clone());
        codes.push(b.code);
    }
    app.clock.set(at(&wed("09:30")));
    let admin = app.staff_token("admin", "test-admin-pw").await;
    for code in &codes {
        let (st, body) = check_in(&app, code, &admin).await;
        assert_eq!(st, 200, "{body}");
    }
    let op1 = app.staff_token("ast-psc-yesil-op1", DEMO_PW).await;
    let op2 = app.staff_token("ast-psc-yesil-op2", DEMO_PW).await;
    const CALLS: usize = 24;
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(CALLS));
    let tasks: Vec<_> = (0..CALLS)
        .map(|i| {
            let (window, token) = if i % 2 == 0 {
                (w1, op1.clone())
            } else {
                (w2, op2.clone())
            };
            let url = app.url(&format!("/api/v1/staff/windows/{window}/call-next"));
            let barrier = barrier.clone();
            tokio::spawn(async move {
                let c = common::client();
                barrier.wait().await;
                let r = c.post(url).bearer_auth(token).send().await.unwrap();
                let st = r.status().as_u16();
                let body = if st == 204 {
                    Value::Null
                } else {
                    r.json::<Value>().await.unwrap()
                };
                (window, st, body)
            })
        })
        .collect();
    let mut called: HashMap<String, i64> = HashMap::new();
    let mut empty = 0;
    for t in tasks {
        let (window, st, body) = t.await.unwrap();
        match st {
            200 => {
                let id = body["id"].as_str().unwrap().to_owned();
                let number = if window == w1 { 1 } else { 2 };
                assert_eq!(body["called_window"], number, "{body}");
                assert!(
                    called.insert(id.clone(), window).is_none(),
                    "booking {id} was called twice"
                );
            }
            204 => empty += 1,
            _ => panic!("call-next answered {st}: {body}"),
        }
    }
    assert_eq!(called.len(), 16, "every waiting visitor is called once");
    assert_eq!(empty, CALLS - 16);
    assert_eq!(called.keys().cloned().collect::<HashSet<_>>(), ids);
    for (id, window) in &called {
        let r = row(&app, id).await;
        assert_eq!(r.status, "Called");
        assert_eq!(r.called_window, Some(if *window == w1 { 1 } else { 2 }));
        let calls = history(&app, id)
            .await
            .iter()
            .filter(|h| h.status == "Called")
            .count();
        assert_eq!(calls, 1, "booking {id} has {calls} Called entries");
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn call_next_order_priority_then_booked_then_walk_ins() {
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    let w1 = window_id(&app, psc, 1).await;
    let a = book_at(&app, &citizen(&app, 1).await, psc, "ID_CARD", &wed("10:30")).await;
    let b = book_at(&app, &citizen(&app, 2).await, psc, "ID_CARD", &wed("10:00")).await;
    let c = book_at(&app, &citizen(&app, 3).await, psc, "ID_CARD", &wed("10:15")).await;
    let d = book_at(&app, &citizen(&app, 4).await, psc, "ID_CARD", &wed("10:45")).await;
    let e = book_at(&app, &citizen(&app, 5).await, psc, "ID_CARD", &wed("10:00")).await;
    app.clock.set(at(&wed("09:20")));
    let op = app.staff_token("ast-psc-yesil-op1", DEMO_PW).await;
    // e arrives before b for the same start: b waits after e.
    for (x, t) in [
        (&a, "09:20"),
        (&c, "09:21"),
        (&d, "09:22"),
        (&e, "09:23"),
        (&b, "09:24"),
    ] {
        app.clock.set(at(&wed(t)));
        let (st, body) = check_in(&app, &x.code, &op).await;
        assert_eq!(st, 200, "{body}");
    }
    // c is a walk-in, d has priority.
    let set = |id: &str, col: &str| {
        let sql = format!("UPDATE bookings SET {col} = true WHERE id = {id}");
        let db = app.state.db.clone();
        async move { kezek_core::testing::execute(&db, &sql).await }
    };
    set(&c.id, "walk_in").await;
    set(&d.id, "priority").await;
    let mut order = Vec::new();
    loop {
        let (st, body) = call_next(&app, w1, &op).await;
        if st == 204 {
            break;
        }
        assert_eq!(st, 200, "{body}");
        order.push(body["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(
        order,
        [&d.id, &e.id, &b.id, &a.id, &c.id].map(String::clone)
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn check_in_window_and_no_show_after_grace() {
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    let late = book_at(&app, &citizen(&app, 1).await, psc, "ID_CARD", &wed("10:00")).await;
    let missed = book_at(
        &app,
        &citizen(&app, 2).await,
        psc,
        "PASSPORT",
        &wed("10:00"),
    )
    .await;
    let op = app.staff_token("ast-psc-yesil-op1", DEMO_PW).await;

    // The day before (the clock stands at Tuesday 09:00).
    let (st, body) = check_in(&app, &late.code, &op).await;
    assert_eq!(
        (st, body["error"].as_str()),
        (422, Some("too_early")),
        "{body}"
    );
    // Appointment day, before opening.
    app.clock.set(at(&wed("08:59")));
    let op = app.staff_token("ast-psc-yesil-op1", DEMO_PW).await;
    let (st, body) = check_in(&app, &late.code, &op).await;
    assert_eq!(
        (st, body["error"].as_str()),
        (422, Some("too_early")),
        "{body}"
    );

    // No-show only after start + grace (15 min).
    app.clock.set(at(&wed("10:15")));
    let (st, body) = step(&app, &missed.id, "no-show", &op).await;
    assert_eq!(
        (st, body["error"].as_str()),
        (422, Some("too_early")),
        "{body}"
    );
    assert_eq!(row(&app, &missed.id).await.status, "Booked");
    // Check-in still accepted at start + grace …
    let (st, body) = check_in(&app, &late.code, &op).await;
    assert_eq!(st, 200, "{body}");

    app.clock.set(at(&wed("10:16")));
    // … but not after.
    let (st, body) = check_in(&app, &missed.code, &op).await;
    assert_eq!(
        (st, body["error"].as_str()),
        (422, Some("too_late")),
        "{body}"
    );
    let (st, body) = step(&app, &missed.id, "no-show", &op).await;
    assert_eq!(st, 200, "{body}");
    assert_eq!(body["status"], "NoShow");
    assert_eq!(
        body["history"].as_array().unwrap().last().unwrap()["status"],
        "NoShow"
    );
    assert_eq!(slots_held(&app, &missed.id).await, 0);
    let h = history(&app, &missed.id).await;
    assert_eq!(
        h.last().unwrap().actor,
        format!("staff:{}", staff_id(&app, "ast-psc-yesil-op1").await)
    );
    // Terminal now; a checked-in visitor is no no-show.
    let (st, body) = step(&app, &missed.id, "no-show", &op).await;
    assert_eq!(
        (st, body["error"].as_str()),
        (422, Some("illegal_transition")),
        "{body}"
    );
    let (st, body) = step(&app, &late.id, "no-show", &op).await;
    assert_eq!(
        (st, body["error"].as_str()),
        (422, Some("illegal_transition")),
        "{body}"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn roles_are_checked_and_unknown_ids_are_404() {
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    let other = center_id(&app, "ast-psc-saryarka").await;
    let w1 = window_id(&app, psc, 1).await;
    let other_w1 = window_id(&app, other, 1).await;
    let b = book_at(&app, &citizen(&app, 1).await, psc, "ID_CARD", &wed("10:00")).await;
    app.clock.set(at(&wed("09:30")));

    // No token: 401 everywhere.
    let (st, _) = post(&app, "/staff/checkin", json!({ "code": b.code }), None).await;
    assert_eq!(st, 401);
    let (st, _) = post(
        &app,
        &format!("/staff/windows/{w1}/call-next"),
        json!({}),
        None,
    )
    .await;
    assert_eq!(st, 401);
    for what in ["start", "served", "no-show"] {
        let (st, _) = post(
            &app,
            &format!("/staff/bookings/{}/{what}", b.id),
            json!({}),
            None,
        )
        .await;
        assert_eq!(st, 401, "{what}");
    }

    // A citizen: 403 everywhere (even the booking's owner).
    let citizen_token = app.citizen_token(&iin_n(1), "+77020000001").await;
    let (st, body) = check_in(&app, &b.code, &citizen_token).await;
    assert_eq!(
        (st, body["error"].as_str()),
        (403, Some("forbidden")),
        "{body}"
    );
    let (st, _) = call_next(&app, w1, &citizen_token).await;
    assert_eq!(st, 403);
    for what in ["start", "served", "no-show"] {
        let (st, _) = step(&app, &b.id, what, &citizen_token).await;
        assert_eq!(st, 403, "{what}");
    }

    // Staff of another center: 403.
    let foreign = app.staff_token("ast-psc-saryarka-op1", DEMO_PW).await;
    let (st, _) = check_in(&app, &b.code, &foreign).await;
    assert_eq!(st, 403);
    let (st, _) = call_next(&app, w1, &foreign).await;
    assert_eq!(st, 403);
    let foreign_admin = app.staff_token("ast-psc-saryarka-admin", DEMO_PW).await;
    for what in ["start", "served", "no-show"] {
        let (st, _) = step(&app, &b.id, what, &foreign_admin).await;
        assert_eq!(st, 403, "{what}");
    }
    assert_eq!(row(&app, &b.id).await.status, "Booked");

    // The operator of window 2 may not call to window 1; admins may.
    let op2 = app.staff_token("ast-psc-yesil-op2", DEMO_PW).await;
    let (st, _) = call_next(&app, w1, &op2).await;
    assert_eq!(st, 403);
    let cadmin = app.staff_token("ast-psc-yesil-admin", DEMO_PW).await;
    let (st, _) = call_next(&app, w1, &cadmin).await;
    assert_eq!(st, 204);
    let (st, _) = call_next(&app, other_w1, &cadmin).await;
    assert_eq!(st, 403);
    let admin = app.staff_token("admin", "test-admin-pw").await;
    let (st, _) = call_next(&app, other_w1, &admin).await;
    assert_eq!(st, 204);

    // Unknown things: 404.
    let op1 = app.staff_token("ast-psc-yesil-op1", DEMO_PW).await;
    for code in ["ZZZZ-ZZZZ", "not a code", ""] {
        let (st, body) = check_in(&app, code, &op1).await;
        assert_eq!(
            (st, body["error"].as_str()),
            (404, Some("not_found")),
            "{code}: {body}"
        );
    }
    let (st, _) = call_next(&app, 999_999, &op1).await;
    assert_eq!(st, 404);
    let (st, _) = call_next(&app, 999_999, &citizen_token).await;
    assert_eq!(st, 403);
    for id in ["999999", "abc"] {
        for what in ["start", "served", "no-show"] {
            let (st, _) = step(&app, id, what, &op1).await;
            assert_eq!(st, 404, "{id}/{what}");
        }
    }
    // Malformed body: 4xx bad_request, not 500.
    let (st, body) = post(&app, "/staff/checkin", json!({ "nope": 1 }), Some(&op1)).await;
    assert_eq!(
        (st, body["error"].as_str()),
        (422, Some("bad_request")),
        "{body}"
    );

    // The right operator gets through, the center admin too.
    let (st, body) = check_in(&app, &b.code, &op1).await;
    assert_eq!(st, 200, "{body}");
    let (st, body) = call_next(&app, w1, &cadmin).await;
    assert_eq!(st, 200, "{body}");
    let (st, body) = step(&app, &b.id, "start", &op2).await;
    assert_eq!(st, 200, "staff of the center may start: {body}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn illegal_transitions_are_422() {
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    let w1 = window_id(&app, psc, 1).await;
    let b = book_at(&app, &citizen(&app, 1).await, psc, "ID_CARD", &wed("10:00")).await;
    app.clock.set(at(&wed("09:30")));
    let op = app.staff_token("ast-psc-yesil-op1", DEMO_PW).await;
    let illegal = |(st, body): (u16, Value)| {
        assert_eq!(
            (st, body["error"].as_str()),
            (422, Some("illegal_transition")),
            "{body}"
        );
    };
    // Booked
    illegal(step(&app, &b.id, "start", &op).await);
    illegal(step(&app, &b.id, "served", &op).await);
    // CheckedIn
    assert_eq!(check_in(&app, &b.code, &op).await.0, 200);
    illegal(check_in(&app, &b.code, &op).await);
    illegal(step(&app, &b.id, "start", &op).await);
    illegal(step(&app, &b.id, "served", &op).await);
    illegal(step(&app, &b.id, "no-show", &op).await);
    // Called
    assert_eq!(call_next(&app, w1, &op).await.0, 200);
    illegal(step(&app, &b.id, "served", &op).await);
    illegal(check_in(&app, &b.code, &op).await);
    // InService
    assert_eq!(step(&app, &b.id, "start", &op).await.0, 200);
    illegal(step(&app, &b.id, "start", &op).await);
    // Served (terminal)
    assert_eq!(step(&app, &b.id, "served", &op).await.0, 200);
    for what in ["start", "served", "no-show"] {
        illegal(step(&app, &b.id, what, &op).await);
    }
    // Nothing was written by the refused steps.
    let statuses: Vec<String> = history(&app, &b.id)
        .await
        .into_iter()
        .map(|h| h.status)
        .collect();
    assert_eq!(
        statuses,
        ["Booked", "CheckedIn", "Called", "InService", "Served"]
    );
    let r = row(&app, &b.id).await;
    assert_eq!(
        (r.ticket.as_deref(), r.called_window),
        (Some("D-001"), Some(1))
    );
    app.stop().await;
}
