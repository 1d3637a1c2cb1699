//! The booking use cases against a real database (SQLite, or PostgreSQL when
//! KEZEK_TEST_DATABASE_URL is set): every rule refusal, the lifecycle of a
//! booking through book → reschedule → cancel, idempotency, and the
//! concurrency guarantees of DOMAIN.md.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;

use common::{TestApp, center_id, iin_n};
use kezek_core::entity::{booking_slots, bookings};
use kezek_core::error::ServiceError;
use kezek_core::service::booking::{
    availability::availability,
    cancel::{Canceller, cancel},
    create::{BookInput, book},
    reschedule::{RescheduleInput, reschedule},
};
use kezek_domain::ids::{BookingId, CenterId, CitizenId};
use kezek_domain::iin::Iin;
use kezek_i18n::Lang;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// Valid test IINs (from iin-vectors.txt).
const IINS: &[&str] = &[
    "710313311868",
    "980212383137",
    "570103468518",
    "380403409682",
    "020208594550",
];

async fn citizen(app: &TestApp, iin: &str) -> (i64, Iin) {
    common::insert_citizen(app, iin, "+77011234567", "ru").await
}

fn input(c: &(i64, Iin), center: i64, service: &str, start: &str) -> BookInput {
    BookInput {
        citizen_id: CitizenId::new(c.0),
        iin: c.1,
        center_id: CenterId::new(center),
        service: service.into(),
        start: start.into(),
        vehicle: None,
        idempotency_key: None,
    }
}

fn code_of(r: Result<impl Sized, ServiceError>) -> String {
    match r {
        Ok(_) => "ok".into(),
        Err(ServiceError::Refused(r)) => r.code().into(),
        Err(ServiceError::Invalid(c)) => c.as_str().into(),
        Err(e) => format!("{e:?}"),
    }
}

/// Checks the stored invariants: every Booked booking holds exactly its
/// run of window-slots; no other booking holds any.
async fn assert_consistent(app: &TestApp) {
    let all = bookings::Entity::find().all(&app.state.db).await.unwrap();
    for b in all {
        let held = booking_slots::Entity::find()
            .filter(booking_slots::Column::BookingId.eq(b.id))
            .count(&app.state.db)
            .await
            .unwrap();
        let expected = if b.status == "Booked" {
            ((b.end_at - b.start_at) as u64).div_ceil(15 * 60)
        } else {
            0
        };
        assert_eq!(
            held, expected,
            "booking {} ({}) holds {held} slots",
            b.id, b.status
        );
    }
}

// The clock stands at Tuesday 2026-12-01 09:00 in Astana.
const WED_10: &str = "2026-12-02T10:00:00+05:00";
const WED_11: &str = "2026-12-02T11:00:00+05:00";
const THU_10: &str = "2026-12-03T10:00:00+05:00";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn book_reschedule_cancel_keeps_id_code_and_history() {
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    let c = citizen(&app, IINS[0]).await;
    let b = book(&app.state, input(&c, psc, "ID_CARD", WED_10), Lang::En)
        .await
        .unwrap()
        .booking;
    assert_eq!(b.status, "Booked");
    assert_eq!(b.start, WED_10);
    assert!(b.window.is_some());
    let moved = reschedule(
        &app.state,
        RescheduleInput {
            citizen_id: CitizenId::new(c.0),
            booking_id: b.id.parse().unwrap(),
            start: THU_10.into(),
            center_id: None,
        },
        Lang::En,
    )
    .await
    .unwrap();
    assert_eq!(
        (moved.id.clone(), moved.code.clone()),
        (b.id.clone(), b.code.clone())
    );
    assert_eq!(moved.start, THU_10);
    assert_eq!(moved.reschedule_count, 1);
    let cancelled = cancel(
        &app.state,
        b.id.parse().unwrap(),
        Canceller::Citizen(CitizenId::new(c.0)),
        Lang::En,
    )
    .await
    .unwrap();
    assert_eq!(cancelled.status, "Cancelled");
    let statuses: Vec<_> = cancelled
        .history
        .unwrap()
        .into_iter()
        .map(|h| h.status)
        .collect();
    assert_eq!(statuses, ["Booked", "Rescheduled", "Cancelled"]);
    assert_consistent(&app).await;
    // The freed slot is offered again.
    let free = availability(
        &app.state,
        CenterId::new(psc),
        "ID_CARD",
        "2026-12-03".parse().unwrap(),
        "2026-12-03".parse().unwrap(),
    )
    .await
    .unwrap();
    let at10 = free.iter().find(|s| s.start == THU_10).unwrap();
    assert_eq!(at10.free, 3);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_booking_rule_refuses_with_its_code() {
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    let auto = center_id(&app, "ast-auto").await;
    let a = citizen(&app, IINS[0]).await; // owns 123ABC01 / XTA21700080123456
    let b = citizen(&app, IINS[3]).await; // owns nothing
    let st = &app.state;

    // R7: online service.
    assert_eq!(
        code_of(book(st, input(&a, psc, "ADDRESS_REG", WED_10), Lang::Ru).await),
        "service_online"
    );
    // Kind: an AutoPsc service at a Psc.
    assert_eq!(
        code_of(book(st, input(&a, psc, "VEH_REG", WED_10), Lang::Ru).await),
        "wrong_center_kind"
    );
    // Time: in the past, beyond the horizon, off the grid, a holiday, a Sunday.
    assert_eq!(
        code_of(
            book(
                st,
                input(&a, psc, "ID_CARD", "2026-11-30T10:00:00+05:00"),
                Lang::Ru
            )
            .await
        ),
        "too_late"
    );
    assert_eq!(
        code_of(
            book(
                st,
                input(&a, psc, "ID_CARD", "2027-03-01T10:00:00+05:00"),
                Lang::Ru
            )
            .await
        ),
        "outside_horizon"
    );
    assert_eq!(
        code_of(
            book(
                st,
                input(&a, psc, "ID_CARD", "2026-12-02T10:07:00+05:00"),
                Lang::Ru
            )
            .await
        ),
        "outside_hours"
    );
    assert_eq!(
        code_of(
            book(
                st,
                input(&a, psc, "ID_CARD", "2026-12-02T21:00:00+05:00"),
                Lang::Ru
            )
            .await
        ),
        "outside_hours"
    );
    assert_eq!(
        code_of(
            book(
                st,
                input(&a, psc, "ID_CARD", "2026-12-16T10:00:00+05:00"),
                Lang::Ru
            )
            .await
        ),
        "center_closed"
    );
    assert_eq!(
        code_of(
            book(
                st,
                input(&a, psc, "ID_CARD", "2026-12-06T10:00:00+05:00"),
                Lang::Ru
            )
            .await
        ),
        "center_closed"
    );
    // R6: vehicle named, owner, one active booking per vehicle.
    assert_eq!(
        code_of(book(st, input(&a, auto, "VEH_REREG", WED_10), Lang::Ru).await),
        "vehicle_required"
    );
    let mut buyer = input(&b, auto, "VEH_REREG", WED_10);
    buyer.vehicle = Some("123 ABC 01".into());
    assert_eq!(
        code_of(book(st, buyer, Lang::Ru).await),
        "not_vehicle_owner"
    );
    let mut bad = input(&a, auto, "VEH_REREG", WED_10);
    bad.vehicle = Some("??".into());
    assert_eq!(code_of(book(st, bad, Lang::Ru).await), "invalid_vehicle");
    let mut seller = input(&a, auto, "VEH_REREG", WED_10);
    seller.vehicle = Some("123abc01".into());
    assert_eq!(code_of(book(st, seller, Lang::Ru).await), "ok");
    // Same vehicle by VIN, by another owner's... the seller again (R3 first).
    let mut again = input(&a, auto, "VEH_REREG", THU_10);
    again.vehicle = Some("XTA21700080123456".into());
    assert_eq!(
        code_of(book(st, again, Lang::Ru).await),
        "one_active_booking"
    );

    // R3: one active booking per kind and group.
    assert_eq!(
        code_of(book(st, input(&a, psc, "ID_CARD", WED_10), Lang::Ru).await),
        "ok"
    );
    assert_eq!(
        code_of(book(st, input(&a, psc, "PASSPORT", THU_10), Lang::Ru).await),
        "one_active_booking"
    );
    // R5: documentation + another PSC service on the same day is fine; a
    // third, or two of one group, is not (AutoPsc Other already that day).
    assert_eq!(
        code_of(book(st, input(&a, psc, "BIRTH_REG", WED_11), Lang::Ru).await),
        "same_group_same_day"
    );
    // R4: cancel and rebook within ten days.
    let c = citizen(&app, IINS[1]).await;
    let first = book(st, input(&c, psc, "ID_CARD", WED_10), Lang::Ru)
        .await
        .unwrap()
        .booking;
    cancel(
        st,
        first.id.parse().unwrap(),
        Canceller::Citizen(CitizenId::new(c.0)),
        Lang::Ru,
    )
    .await
    .unwrap();
    assert_eq!(
        code_of(book(st, input(&c, psc, "ID_CARD", THU_10), Lang::Ru).await),
        "ten_day_rule"
    );
    // … but a booking cancelled by the center does not count.
    let d = citizen(&app, IINS[2]).await;
    let first = book(st, input(&d, psc, "ID_CARD", WED_10), Lang::Ru)
        .await
        .unwrap()
        .booking;
    cancel(
        st,
        first.id.parse().unwrap(),
        Canceller::Center {
            actor: "staff:1".into(),
            reason: "closure".into(),
        },
        Lang::Ru,
    )
    .await
    .unwrap();
    assert_eq!(
        code_of(book(st, input(&d, psc, "ID_CARD", THU_10), Lang::Ru).await),
        "ok"
    );

    // R1: reschedule limit.
    let e = citizen(&app, IINS[4]).await;
    let eb = book(st, input(&e, psc, "PASSPORT", WED_10), Lang::Ru)
        .await
        .unwrap()
        .booking;
    let id: i64 = eb.id.parse().unwrap();
    for (i, t) in [
        "2026-12-02T12:00:00+05:00",
        "2026-12-02T12:15:00+05:00",
        "2026-12-02T12:30:00+05:00",
        "2026-12-02T12:45:00+05:00",
    ]
    .iter()
    .enumerate()
    {
        let r = reschedule(
            st,
            RescheduleInput {
                citizen_id: CitizenId::new(e.0),
                booking_id: BookingId::new(id),
                start: (*t).into(),
                center_id: None,
            },
            Lang::Ru,
        )
        .await;
        assert_eq!(
            code_of(r),
            if i < 3 { "ok" } else { "reschedule_limit" },
            "reschedule {i}"
        );
    }
    // Another citizen's booking is not found.
    let r = reschedule(
        st,
        RescheduleInput {
            citizen_id: CitizenId::new(a.0),
            booking_id: BookingId::new(id),
            start: THU_10.into(),
            center_id: None,
        },
        Lang::Ru,
    )
    .await;
    assert!(matches!(r, Err(ServiceError::NotFound)));
    assert!(matches!(
        cancel(
            st,
            BookingId::new(id),
            Canceller::Citizen(CitizenId::new(a.0)),
            Lang::Ru
        )
        .await,
        Err(ServiceError::NotFound)
    ));
    // R2: cancel twice.
    cancel(
        st,
        BookingId::new(id),
        Canceller::Citizen(CitizenId::new(e.0)),
        Lang::Ru,
    )
    .await
    .unwrap();
    assert_eq!(
        code_of(
            cancel(
                st,
                BookingId::new(id),
                Canceller::Citizen(CitizenId::new(e.0)),
                Lang::Ru
            )
            .await
        ),
        "illegal_transition"
    );
    assert_consistent(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_retried_request_with_the_same_key_books_once() {
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    let c = citizen(&app, IINS[0]).await;
    let mut i = input(&c, psc, "ID_CARD", WED_10);
    i.idempotency_key = Some("k-1".into());
    let first = book(&app.state, i.clone(), Lang::Ru).await.unwrap();
    let second = book(&app.state, i.clone(), Lang::Ru).await.unwrap();
    assert!(!first.replayed && second.replayed);
    assert_eq!(first.booking.id, second.booking.id);
    i.start = THU_10.into();
    assert_eq!(
        code_of(book(&app.state, i, Lang::Ru).await),
        "idempotency_key_reused"
    );
    assert_eq!(
        bookings::Entity::find().count(&app.state.db).await.unwrap(),
        1
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_citizens_race_for_one_slot_of_capacity_three() {
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    let mut people = Vec::new();
    for n in 0..200 {
        people.push(citizen(&app, &iin_n(n)).await);
    }
    let tasks: Vec<_> = people
        .into_iter()
        .map(|c| {
            let st = app.state.clone();
            tokio::spawn(async move {
                code_of(book(&st, input(&c, psc, "ID_CARD", WED_10), Lang::Ru).await)
            })
        })
        .collect();
    let mut ok = 0;
    let mut full = 0;
    for t in tasks {
        match t.await.unwrap().as_str() {
            "ok" => ok += 1,
            "slot_full" => full += 1,
            other => panic!("unexpected answer {other}"),
        }
    }
    assert_eq!((ok, full), (3, 197));
    assert_consistent(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_citizen_firing_fifty_bookings_gets_exactly_one() {
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    let c = citizen(&app, IINS[0]).await;
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let st = app.state.clone();
            // Different services and times: every rule must still hold.
            let service = ["ID_CARD", "PASSPORT"][i % 2];
            let start = format!(
                "2026-12-{:02}T{:02}:{:02}:00+05:00",
                2 + (i % 3),
                9 + (i % 8),
                15 * (i % 4)
            );
            tokio::spawn(async move {
                code_of(book(&st, input(&c, psc, service, &start), Lang::Ru).await)
            })
        })
        .collect();
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    assert_eq!(
        answers.iter().filter(|a| *a == "ok").count(),
        1,
        "{answers:?}"
    );
    assert!(
        answers
            .iter()
            .all(|a| a == "ok" || a == "one_active_booking"),
        "{answers:?}"
    );
    assert_eq!(
        bookings::Entity::find().count(&app.state.db).await.unwrap(),
        1
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reschedule_racing_cancel_ends_consistent() {
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    for round in 0..10u32 {
        let c = citizen(&app, &iin_n(1000 + round)).await;
        let b = book(&app.state, input(&c, psc, "ID_CARD", WED_10), Lang::Ru)
            .await
            .unwrap()
            .booking;
        let id: i64 = b.id.parse().unwrap();
        let (s1, s2) = (app.state.clone(), app.state.clone());
        let cid = c.0;
        let r = tokio::spawn(async move {
            code_of(
                reschedule(
                    &s1,
                    RescheduleInput {
                        citizen_id: CitizenId::new(cid),
                        booking_id: BookingId::new(id),
                        start: THU_10.into(),
                        center_id: None,
                    },
                    Lang::Ru,
                )
                .await,
            )
        });
        let k = tokio::spawn(async move {
            code_of(
                cancel(
                    &s2,
                    BookingId::new(id),
                    Canceller::Citizen(CitizenId::new(cid)),
                    Lang::Ru,
                )
                .await,
            )
        });
        let (r, k) = (r.await.unwrap(), k.await.unwrap());
        let row = bookings::Entity::find_by_id(id)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        // The cancel always wins in the end (it is allowed after a reschedule);
        // the reschedule either happened first or found it cancelled.
        assert_eq!(k, "ok", "round {round}: cancel said {k}");
        assert!(
            r == "ok" || r == "illegal_transition",
            "round {round}: reschedule said {r}"
        );
        assert_eq!(row.status, "Cancelled");
        assert_consistent(&app).await;
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn closing_a_day_moves_or_cancels_every_booking_with_notice() {
    use kezek_core::entity::outbox;
    use kezek_core::service::booking::close_day::{CloseAction, affected, close_day};
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    let st = &app.state;
    let mut ids = Vec::new();
    for n in 0..4u32 {
        let c = citizen(&app, &iin_n(2000 + n)).await;
        let b = book(st, input(&c, psc, "ID_CARD", WED_10), Lang::Ru).await;
        if let Ok(b) = b {
            ids.push(b.booking.id.parse::<i64>().unwrap());
        }
    }
    assert_eq!(ids.len(), 3, "capacity 3 at 10:00");
    let day: chrono::NaiveDate = "2026-12-02".parse().unwrap();
    assert_eq!(affected(st, psc, day).await.unwrap().len(), 3);
    let report = close_day(
        st,
        psc,
        day,
        "Water outage",
        CloseAction::MoveOrCancel,
        "staff:1",
    )
    .await
    .unwrap();
    assert_eq!(report.moved.len(), 3, "{report:?}");
    assert!(report.cancelled.is_empty());
    for (_, start) in &report.moved {
        assert_eq!(
            start, "2026-12-03T10:00:00+05:00",
            "same time, next working day"
        );
    }
    for id in &ids {
        let b = bookings::Entity::find_by_id(*id)
            .one(&st.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((b.status.as_str(), b.reschedule_count), ("Booked", 0));
    }
    // The day is closed now, and nobody can book it.
    let c = citizen(&app, &iin_n(2100)).await;
    assert_eq!(
        code_of(book(st, input(&c, psc, "PASSPORT", WED_10), Lang::Ru).await),
        "center_closed"
    );
    // Cancel mode on the next day cancels by the center (R4 does not count it).
    let report = close_day(
        st,
        psc,
        "2026-12-03".parse().unwrap(),
        "Strike",
        CloseAction::Cancel,
        "staff:1",
    )
    .await
    .unwrap();
    assert_eq!(report.cancelled.len(), 3);
    let notices = outbox::Entity::find()
        .filter(outbox::Column::Kind.is_in(["rescheduled", "cancelled_by_center"]))
        .count(&st.db)
        .await
        .unwrap();
    assert_eq!(notices, 6);
    assert_consistent(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_generator_adds_bookable_centers() {
    let app = TestApp::spawn().await;
    let total = kezek_core::seed::seed_load(&app.state.db, 30)
        .await
        .unwrap();
    assert_eq!(total, 38);
    let c = center_id(&app, "load-31").await; // every third is an autoPSC
    let free = availability(
        &app.state,
        CenterId::new(c),
        "ID_CARD",
        "2026-12-02".parse().unwrap(),
        "2026-12-02".parse().unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(free.len(), 36, "09:00–18:00 in 15-minute starts");
    app.stop().await;
}
