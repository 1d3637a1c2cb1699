//! Center schedule editing and the administrator's functions
//! (`/sfn/admin_*`) over a real socket: every change that leaves bookings
//! outside the schedule is listed and needs a decision (nothing changes
//! without one), moves keep the time where they can, cancellations are by
//! the center with the reason, and every function checks its role.
//! SQLite by default, PostgreSQL when KEZEK_TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;
use app::domain::ids::{CenterId, CitizenId};

use app::api::admin::ScheduleChange;
use app::api::types::BookingView;
use app::i18n::Lang;
use app::server::entity::{bookings, opening_hours, outbox, staff};
use app::server::service::admin::schedule::misfits;
use app::server::service::booking::create::{BookInput, book};
use app::server::service::booking::schedule::load_center;
use common::{TestApp, center_id, iin_n, sfn, staff_id, window_id};
use serde_json::Value;

const PW: &str = app::server::seed::DEMO_STAFF_PASSWORD;
/// Wednesday after the harness clock (Tue 2026-12-01 09:00, Asia/Almaty).
const WED: &str = "2026-12-02";

fn s(v: impl ToString) -> String {
    v.to_string()
}

async fn book_at(app: &TestApp, n: u32, center: i64, service: &str, hh_mm: &str) -> BookingView {
    common::book_for(app, n, center, service, &format!("{WED}T{hh_mm}:00+05:00")).await
}

async fn row(app: &TestApp, id: &str) -> bookings::Model {
    common::booking_row(app, id).await
}

async fn call(app: &TestApp, name: &str, form: &[(&str, String)], token: &str) -> (u16, Value) {
    let (st, body, _) = sfn(app, name, form, Some(token)).await;
    (st, body)
}

fn change(c: &ScheduleChange) -> (&'static str, String) {
    ("change", serde_json::to_string(c).unwrap())
}

fn codes(rows: &Value) -> Vec<String> {
    rows.as_array()
        .unwrap_or_else(|| panic!("{rows}"))
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_owned())
        .collect()
}

fn wed_hours(close: &str) -> ScheduleChange {
    ScheduleChange::Hours {
        weekday: 2,
        open: Some("09:00".into()),
        close: Some(close.into()),
    }
}

/// Local "HH:MM" of a stored instant at an Asia/Almaty (UTC+5) center.
fn local_hm(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix + 5 * 3600, 0)
        .unwrap()
        .format("%H:%M")
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn shorter_hours_list_the_bookings_left_out_and_need_a_decision() {
    let app = TestApp::spawn().await;
    let a = center_id(&app, "ast-psc-yesil").await;
    let b1 = book_at(&app, 1, a, "ID_CARD", "10:00").await;
    let b2 = book_at(&app, 2, a, "BIRTH_REG", "16:30").await;
    let b3 = book_at(&app, 3, a, "ID_CARD", "17:30").await;
    let b2_start = row(&app, &b2.id).await.start_at;
    let admin = app.staff_token("ast-psc-yesil-admin", PW).await;
    let admin_id = staff_id(&app, "ast-psc-yesil-admin").await;

    // The preview lists exactly the bookings after the new closing time
    // and stores nothing.
    let (st, rows) = call(
        &app,
        "admin_schedule_preview",
        &[change(&wed_hours("16:00"))],
        &admin,
    )
    .await;
    assert_eq!(st, 200, "{rows}");
    assert_eq!(codes(&rows), [b2.code.clone(), b3.code.clone()]);
    let close_of_wed = || async {
        kezek_core::testing::rows::<opening_hours::Entity>(&app.state.db)
            .await
            .into_iter()
            .filter(|r| r.center_id == a)
            .filter(|r| r.window_id.is_none())
            .find(|r| r.weekday == 2)
            .unwrap()
            .close_min
    };
    let was = close_of_wed().await;
    assert!(was > 18 * 60, "the demo center closes after 18:00 ({was})");

    // No decision, or no reason: refused, nothing changes.
    for form in [
        vec![change(&wed_hours("16:00"))],
        vec![change(&wed_hours("16:00")), ("decision", s("move"))],
    ] {
        let (st, body) = call(&app, "admin_schedule_apply", &form, &admin).await;
        assert_eq!(
            (st, body["error"].as_str()),
            (422, Some("bad_request")),
            "{body}"
        );
    }
    assert_eq!(close_of_wed().await, was);
    assert_eq!(row(&app, &b2.id).await.start_at, b2_start);
    assert_eq!(row(&app, &b3.id).await.status, "Booked");

    // Move: both land inside the new hours, b1 is untouched, each citizen
    // is notified and the history names the admin and the reason.
    let before = kezek_core::testing::count::<outbox::Entity>(&app.state.db).await;
    let b1_start = row(&app, &b1.id).await.start_at;
    let (st, out) = call(
        &app,
        "admin_schedule_apply",
        &[
            change(&wed_hours("16:00")),
            ("decision", s("move")),
            ("reason", s("Short Wednesdays")),
        ],
        &admin,
    )
    .await;
    assert_eq!(st, 200, "{out}");
    assert_eq!(out["moved"].as_array().unwrap().len(), 2, "{out}");
    assert_eq!(close_of_wed().await, 16 * 60);
    for b in [&b2, &b3] {
        let r = row(&app, &b.id).await;
        assert_eq!(r.status, "Booked");
        assert!(
            local_hm(r.end_at).as_str() <= "16:00" || r.local_date != WED,
            "{r:?}"
        );
        let h = common::booking_history(&app, &b.id).await;
        let last = h.last().unwrap();
        assert_eq!(
            (last.status.as_str(), last.actor.clone()),
            ("Rescheduled", format!("staff:{admin_id}"))
        );
        assert!(last.note.as_deref().unwrap().contains("Short Wednesdays"));
    }
    // Same day where there is room: b3 (17:30) keeps Wednesday.
    assert_eq!(row(&app, &b3.id).await.local_date, WED);
    assert_eq!(row(&app, &b1.id).await.start_at, b1_start);
    assert!(kezek_core::testing::count::<outbox::Entity>(&app.state.db).await >= before + 2);
    let ctx = load_center(&app.state.db, a).await.unwrap();
    assert!(misfits(&app.state.db, &ctx, 0).await.unwrap().is_empty());

    // A change that leaves nothing out applies without a decision.
    let (st, out) = call(
        &app,
        "admin_schedule_apply",
        &[change(&wed_hours("17:00"))],
        &admin,
    )
    .await;
    assert_eq!(
        (st, out["moved"].as_array().map(Vec::len)),
        (200, Some(0)),
        "{out}"
    );
    assert_eq!(close_of_wed().await, 17 * 60);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn windows_breaks_special_days_and_the_cap_find_their_bookings() {
    let app = TestApp::spawn().await;
    let a = center_id(&app, "ast-psc-yesil").await;
    let admin = app.staff_token("ast-psc-yesil-admin", PW).await;
    let w1 = window_id(&app, a, 1).await;
    let w2 = window_id(&app, a, 2).await;

    // Window 1 stops serving ID_CARD: its booking moves to window 2 at the
    // same time.
    let b1 = book_at(&app, 1, a, "ID_CARD", "10:00").await;
    assert_eq!(row(&app, &b1.id).await.window_id, w1);
    let no_id_card = ScheduleChange::Window {
        id: Some(w1),
        number: 1,
        active: true,
        services: vec!["PASSPORT".into(), "FOREIGNER_DOCS".into()],
    };
    let (st, rows) = call(
        &app,
        "admin_schedule_preview",
        &[change(&no_id_card)],
        &admin,
    )
    .await;
    assert_eq!((st, codes(&rows)), (200, vec![b1.code.clone()]));
    let start = row(&app, &b1.id).await.start_at;
    let (st, out) = call(
        &app,
        "admin_schedule_apply",
        &[
            change(&no_id_card),
            ("decision", s("move")),
            ("reason", s("Window 1 repaired")),
        ],
        &admin,
    )
    .await;
    assert_eq!(st, 200, "{out}");
    let r = row(&app, &b1.id).await;
    assert_eq!(
        (r.window_id, r.start_at, r.status.as_str()),
        (w2, start, "Booked")
    );

    // A break over a booking; cancel decision: cancelled by the center.
    let b2 = book_at(&app, 2, a, "BIRTH_REG", "12:15").await;
    let lunch = ScheduleChange::AddBreak {
        weekday: None,
        start: "12:00".into(),
        end: "13:00".into(),
    };
    let (st, rows) = call(&app, "admin_schedule_preview", &[change(&lunch)], &admin).await;
    assert_eq!((st, codes(&rows)), (200, vec![b2.code.clone()]));
    let (st, out) = call(
        &app,
        "admin_schedule_apply",
        &[
            change(&lunch),
            ("decision", s("cancel")),
            ("reason", s("Lunch break")),
        ],
        &admin,
    )
    .await;
    assert_eq!(
        (st, out["cancelled"].as_array().map(Vec::len)),
        (200, Some(1)),
        "{out}"
    );
    let r = row(&app, &b2.id).await;
    assert_eq!(
        (r.status.as_str(), r.cancelled_by.as_deref()),
        ("Cancelled", Some("Center"))
    );

    // The cap: two bookings at 11:00, cap 1 → the later one is affected.
    let c1 = book_at(&app, 3, a, "ID_CARD", "11:00").await;
    let c2 = book_at(&app, 4, a, "PASSPORT", "11:00").await;
    let cap1 = ScheduleChange::Cap { cap: Some(1) };
    let (st, rows) = call(&app, "admin_schedule_preview", &[change(&cap1)], &admin).await;
    assert_eq!((st, codes(&rows)), (200, vec![c2.code.clone()]));
    let _ = c1;

    // A shortened special day: bookings after the early close.
    let b5 = book_at(&app, 5, a, "ID_CARD", "15:00").await;
    let short = ScheduleChange::Exception {
        date: WED.into(),
        kind: "shortened".into(),
        open: None,
        close: Some("14:00".into()),
        note: Some("Pre-holiday".into()),
    };
    let (st, rows) = call(&app, "admin_schedule_preview", &[change(&short)], &admin).await;
    assert_eq!((st, codes(&rows)), (200, vec![b5.code.clone()]));

    // The view reflects what was applied.
    let (st, v) = call(&app, "admin_schedule", &[], &admin).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["breaks"][0]["start"], "12:00");
    let w = v["windows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["id"] == w1)
        .unwrap()
        .clone();
    assert!(
        !w["services"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == "ID_CARD"),
        "{w}"
    );

    // Bad input: a clear refusal, nothing stored.
    for bad in [
        r#"{"op":"hours","weekday":9,"open":"09:00","close":"18:00"}"#,
        r#"{"op":"hours","weekday":1,"open":"18:00","close":"09:00"}"#,
        r#"{"op":"add_break","weekday":null,"start":"25:00","end":"26:00"}"#,
        r#"{"op":"exception","date":"2020-01-01","kind":"closed","open":null,"close":null,"note":null}"#,
        r#"{"op":"window","id":null,"number":2,"active":true,"services":[]}"#,
        r#"{"op":"window","id":null,"number":40,"active":true,"services":["VEHICLE_REREG"]}"#,
        r#"{"op":"cap","cap":0}"#,
        r#"{"op":"nonsense"}"#,
        "not json",
    ] {
        let (st, body) = call(&app, "admin_schedule_apply", &[("change", s(bad))], &admin).await;
        assert_eq!(
            (st, body["error"].as_str()),
            (422, Some("bad_request")),
            "{bad}: {body}"
        );
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn schedule_and_administration_functions_check_roles() {
    let app = TestApp::spawn().await;
    let a = center_id(&app, "ast-psc-yesil").await;
    let op = app.staff_token("ast-psc-yesil-op1", PW).await;
    let own = app.staff_token("ast-psc-yesil-admin", PW).await;
    let other = app.staff_token("alm-psc-almaly-admin", PW).await;
    let root = app.staff_token("admin", "test-admin-pw").await;
    let citizen = app.citizen_token(&iin_n(7), "+77050000007").await;
    let cap = ScheduleChange::Cap { cap: Some(5) };

    // Schedule editing: the center's admin or the administrator.
    for (token, want) in [
        (&op, 403),
        (&other, 403),
        (&citizen, 403),
        (&own, 200),
        (&root, 200),
    ] {
        let (st, body) = call(&app, "admin_schedule", &[("center_id", s(a))], token).await;
        assert_eq!(st, want, "{body}");
        let (st, body) = call(
            &app,
            "admin_schedule_apply",
            &[change(&cap), ("center_id", s(a))],
            token,
        )
        .await;
        assert_eq!(st, want, "{body}");
    }
    let (st, _, _) = sfn(&app, "admin_schedule", &[("center_id", s(a))], None).await;
    assert_eq!(st, 401);
    let (st, body) = call(&app, "admin_schedule", &[], &root).await;
    assert_eq!(
        (st, body["error"].as_str()),
        (422, Some("bad_request")),
        "{body}"
    );

    // Administration: the administrator only.
    let all: [(&str, Vec<(&str, String)>); 14] = [
        ("admin_centers", vec![]),
        ("admin_center_create", vec![("center", s("{}"))]),
        (
            "admin_center_active",
            vec![("id", s(a)), ("active", s(true))],
        ),
        ("admin_services", vec![]),
        (
            "admin_service_save",
            vec![
                ("code", s("ID_CARD")),
                ("duration_min", s(15)),
                ("active", s(true)),
            ],
        ),
        ("admin_policy", vec![]),
        ("admin_policy_save", vec![("policy", s("{}"))]),
        ("admin_staff", vec![]),
        (
            "admin_staff_create",
            vec![
                ("username", s("x-op")),
                ("display_name", s("X")),
                ("role", s("administrator")),
                ("password", s("0123456789ab")),
            ],
        ),
        (
            "admin_staff_active",
            vec![("id", s(1)), ("active", s(false))],
        ),
        (
            "admin_staff_password",
            vec![("id", s(1)), ("password", s("0123456789ab"))],
        ),
        ("admin_national", vec![("year", s(2026))]),
        (
            "admin_national_save",
            vec![
                ("date", s("2026-12-30")),
                ("kind", s("day_off")),
                ("name", s("X")),
            ],
        ),
        (
            "admin_vehicles_import",
            vec![("csv", s("plate,vin,owner_iin\n"))],
        ),
    ];
    for (name, form) in &all {
        for token in [&op, &own, &citizen] {
            let (st, body) = call(&app, name, form, token).await;
            assert_eq!(
                (st, body["error"].as_str()),
                (403, Some("forbidden")),
                "{name}: {body}"
            );
        }
        let (st, _, _) = sfn(&app, name, form, None).await;
        assert_eq!(st, 401, "{name}");
    }
    // Nothing was created by the refused calls.
    assert_eq!(
        kezek_core::testing::rows::<staff::Entity>(&app.state.db)
            .await
            .into_iter()
            .filter(|r| r.username == "x-op")
            .count(),
        0
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_administrator_manages_staff_policy_calendar_centers_and_vehicles() {
    let app = TestApp::spawn().await;
    let a = center_id(&app, "ast-psc-yesil").await;
    let root = app.staff_token("admin", "test-admin-pw").await;

    // Staff: create an operator at window 3; they can sign in; a new
    // password and disabling end their sessions.
    let form = |user: &str, pw: &str| {
        vec![
            ("username", s(user)),
            ("display_name", s("Aigerim S.")),
            ("role", s("operator")),
            ("center_id", s(a)),
            ("window_number", s(3)),
            ("password", s(pw)),
        ]
    };
    let (st, body) = call(
        &app,
        "admin_staff_create",
        &form("yesil-op3", "short"),
        &root,
    )
    .await;
    assert_eq!(
        (st, body["error"].as_str()),
        (422, Some("bad_request")),
        "{body}"
    );
    let (st, id) = call(
        &app,
        "admin_staff_create",
        &form("yesil-op3", "op3-password-1"),
        &root,
    )
    .await;
    assert_eq!(st, 200, "{id}");
    let (st, body) = call(
        &app,
        "admin_staff_create",
        &form("yesil-op3", "op3-password-1"),
        &root,
    )
    .await;
    assert_eq!(
        (st, body["error"].as_str()),
        (422, Some("bad_request")),
        "taken: {body}"
    );
    let op3 = app.staff_token("yesil-op3", "op3-password-1").await;
    let (st, me) = call(&app, "staff_me", &[], &op3).await;
    assert_eq!((st, me["window_number"].as_i64()), (200, Some(3)), "{me}");
    let (st, _) = call(
        &app,
        "admin_staff_password",
        &[("id", id.to_string()), ("password", s("op3-password-2"))],
        &root,
    )
    .await;
    assert_eq!(st, 200);
    let (st, _) = call(&app, "staff_me", &[], &op3).await;
    assert_eq!(st, 401, "a new password ends the sessions");
    let op3 = app.staff_token("yesil-op3", "op3-password-2").await;
    let (st, _) = call(
        &app,
        "admin_staff_active",
        &[("id", id.to_string()), ("active", s(false))],
        &root,
    )
    .await;
    assert_eq!(st, 200);
    let (st, _) = call(&app, "staff_me", &[], &op3).await;
    assert_eq!(st, 401, "disabling ends the sessions");
    let (st, _) = app.staff_login("yesil-op3", "op3-password-2").await;
    assert_eq!(st, 401, "a disabled account cannot sign in");
    let root_id = staff_id(&app, "admin").await;
    let (st, body) = call(
        &app,
        "admin_staff_active",
        &[("id", s(root_id)), ("active", s(false))],
        &root,
    )
    .await;
    assert_eq!(
        (st, body["error"].as_str()),
        (422, Some("bad_request")),
        "{body}"
    );

    // Policy: out-of-range refused; a valid change applies to new bookings.
    let (st, p) = call(&app, "admin_policy", &[], &root).await;
    assert_eq!((st, p["per_day_limit"].as_i64()), (200, Some(2)), "{p}");
    let mut bad = p.clone();
    bad["horizon_days"] = Value::from(0);
    let (st, body) = call(
        &app,
        "admin_policy_save",
        &[("policy", bad.to_string())],
        &root,
    )
    .await;
    assert_eq!(
        (st, body["error"].as_str()),
        (422, Some("bad_request")),
        "{body}"
    );
    let mut p2 = p.clone();
    p2["horizon_days"] = Value::from(7);
    let (st, body) = call(
        &app,
        "admin_policy_save",
        &[("policy", p2.to_string())],
        &root,
    )
    .await;
    assert_eq!(st, 200, "{body}");
    let (_, p3) = call(&app, "admin_policy", &[], &root).await;
    assert_eq!(p3["horizon_days"], 7);
    let (cid, iin) = common::insert_citizen(&app, &iin_n(9), "+77050000009", "en").await;
    let far = book(
        &app.state,
        BookInput {
            citizen_id: CitizenId::new(cid),
            iin,
            center_id: CenterId::new(a),
            service: "ID_CARD".into(),
            start: "2026-12-15T10:00:00+05:00".into(),
            vehicle: None,
            idempotency_key: None,
        },
        Lang::En,
    )
    .await;
    let far = far.err();
    assert!(
        matches!(
            far,
            Some(app::server::error::ServiceError::Refused(
                app::domain::refusal::Refusal::OutsideHorizon { .. }
            ))
        ),
        "{far:?}"
    );

    // National calendar: a new day off with a booking needs a decision.
    let b = book_at(&app, 10, a, "ID_CARD", "10:00").await;
    let day_off = |decision: &str| {
        vec![
            ("date", s(WED)),
            ("kind", s("day_off")),
            ("name", s("Special holiday")),
            ("decision", s(decision)),
            ("reason", s("New holiday")),
        ]
    };
    let (st, body) = call(&app, "admin_national_save", &day_off(""), &root).await;
    assert_eq!(
        (st, body["error"].as_str()),
        (422, Some("bad_request")),
        "{body}"
    );
    let (_, days) = call(&app, "admin_national", &[("year", s(2026))], &root).await;
    assert!(
        !days.as_array().unwrap().iter().any(|d| d["date"] == WED),
        "nothing stored"
    );
    let (st, out) = call(&app, "admin_national_save", &day_off("move"), &root).await;
    assert_eq!(
        (st, out["moved"].as_array().map(Vec::len)),
        (200, Some(1)),
        "{out}"
    );
    let r = row(&app, &b.id).await;
    assert_ne!(r.local_date, WED);
    assert_eq!(r.status, "Booked");
    let (_, days) = call(&app, "admin_national", &[("year", s(2026))], &root).await;
    assert!(
        days.as_array()
            .unwrap()
            .iter()
            .any(|d| d["date"] == WED && d["kind"] == "day_off")
    );

    // Centers: a center with active bookings cannot be closed for booking.
    let (st, body) = call(
        &app,
        "admin_center_active",
        &[("id", s(a)), ("active", s(false))],
        &root,
    )
    .await;
    assert_eq!(
        (st, body["error"].as_str()),
        (422, Some("bad_request")),
        "{body}"
    );
    let new_center = serde_json::json!({
        "slug": "kst-psc-1", "kind": "psc",
        "name_kk": "Қостанай ХҚО", "name_ru": "ЦОН Костанай", "name_en": "Kostanay PSC",
        "region": "Kostanay", "city": "Kostanay",
        "address_kk": "Әл-Фараби 1", "address_ru": "Аль-Фараби 1", "address_en": "Al-Farabi 1",
        "timezone": "Asia/Qostanay", "slot_minutes": 15
    });
    let (st, id) = call(
        &app,
        "admin_center_create",
        &[("center", new_center.to_string())],
        &root,
    )
    .await;
    assert_eq!(st, 200, "{id}");
    let (st, body) = call(
        &app,
        "admin_center_create",
        &[("center", new_center.to_string())],
        &root,
    )
    .await;
    assert_eq!(
        (st, body["error"].as_str()),
        (422, Some("bad_request")),
        "slug taken: {body}"
    );
    let (_, list) = call(&app, "admin_centers", &[], &root).await;
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|c| c["slug"] == "kst-psc-1")
    );
    // The new center gets hours and a window through the schedule editor.
    let (st, body) = call(
        &app,
        "admin_schedule_apply",
        &[change(&wed_hours("18:00")), ("center_id", id.to_string())],
        &root,
    )
    .await;
    assert_eq!(st, 200, "{body}");
    let (st, body) = call(
        &app,
        "admin_schedule_apply",
        &[
            change(&ScheduleChange::Window {
                id: None,
                number: 1,
                active: true,
                services: vec!["ID_CARD".into()],
            }),
            ("center_id", id.to_string()),
        ],
        &root,
    )
    .await;
    assert_eq!(st, 200, "{body}");

    // Services: duration change; out of range refused.
    let (st, _) = call(
        &app,
        "admin_service_save",
        &[
            ("code", s("ID_CARD")),
            ("duration_min", s(30)),
            ("active", s(true)),
        ],
        &root,
    )
    .await;
    assert_eq!(st, 200);
    let (_, list) = call(&app, "admin_services", &[], &root).await;
    let idc = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == "ID_CARD")
        .unwrap()
        .clone();
    assert_eq!(idc["duration_min"], 30);
    let (st, _) = call(
        &app,
        "admin_service_save",
        &[
            ("code", s("ID_CARD")),
            ("duration_min", s(0)),
            ("active", s(true)),
        ],
        &root,
    )
    .await;
    assert_eq!(st, 422);

    // Vehicles: a good file imports; a bad line rejects the whole file.
    let (st, n) = call(
        &app,
        "admin_vehicles_import",
        &[(
            "csv",
            format!(
                "plate,vin,owner_iin\n123ABC01,WVWZZZ1JZXW000001,{}\n",
                iin_n(11)
            ),
        )],
        &root,
    )
    .await;
    assert_eq!((st, n.as_i64()), (200, Some(1)), "{n}");
    let (st, body) = call(
        &app,
        "admin_vehicles_import",
        &[("csv", s("plate,vin,owner_iin\nbad,bad,bad\n"))],
        &root,
    )
    .await;
    assert_eq!(
        (st, body["error"].as_str()),
        (422, Some("bad_request")),
        "{body}"
    );
    app.stop().await;
}
