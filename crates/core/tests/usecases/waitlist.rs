//! The waiting list (DOMAIN.md R13), on SQLite and — with
//! KEZEK_TEST_DATABASE_URL — PostgreSQL: a freed start goes to the
//! earliest-joined entry in the transaction that frees it, even while a
//! storm of citizens polls and books that start; a tied entry moves the
//! same booking without counting toward R1; a draw's leftovers reach the
//! list; bad input is refused with a code and stores nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;

use chrono::{Duration, NaiveDate};
use common::{TestApp, center_id, iin_n};
use kezek_core::entity::{bookings, waitlist_entries};
use kezek_core::error::ServiceError;
use kezek_core::service::booking::availability::availability;
use kezek_core::service::booking::cancel::{Canceller, cancel};
use kezek_core::service::booking::create::{BookInput, book};
use kezek_core::service::waitlist::{self, JoinInput};
use kezek_domain::ids::{BookingId, CenterId, CitizenId};
use kezek_i18n::Lang;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

const WED: &str = "2026-12-02";
const WED_10: &str = "2026-12-02T10:00:00+05:00";

type Citizen = (i64, kezek_domain::iin::Iin);

fn code_of<T>(r: Result<T, ServiceError>) -> String {
    match r {
        Ok(_) => "ok".into(),
        Err(ServiceError::Refused(r)) => r.code().into(),
        Err(ServiceError::BadRequest(b)) => format!("bad:{b:?}"),
        Err(e) => format!("{e:?}"),
    }
}

fn book_input(c: &Citizen, center: i64, start: &str) -> BookInput {
    BookInput {
        citizen_id: CitizenId::new(c.0),
        iin: c.1,
        center_id: CenterId::new(center),
        service: "ID_CARD".into(),
        start: start.into(),
        vehicle: None,
        idempotency_key: None,
    }
}

fn wait_at_10(c: &Citizen, center: i64) -> JoinInput {
    JoinInput {
        citizen_id: CitizenId::new(c.0),
        iin: c.1,
        service: "ID_CARD".into(),
        center_id: Some(CenterId::new(center)),
        city: None,
        from: WED.into(),
        to: WED.into(),
        time_from: Some("10:00".into()),
        time_to: Some("10:00".into()),
        booking_id: None,
        vehicle: None,
    }
}

async fn citizens(app: &TestApp, from: u32, n: u32) -> Vec<Citizen> {
    let mut out = Vec::new();
    for i in from..from + n {
        out.push(common::insert_citizen(app, &iin_n(i), "+77011234567", "ru").await);
    }
    out
}

/// Books every place at Wednesday 10:00; returns the holders' booking ids.
async fn fill_10(app: &TestApp, psc: i64, from: u32) -> Vec<(Citizen, i64)> {
    fill_at(app, psc, WED_10, from).await
}

/// Books every place at `start` (RFC 3339, +05:00) with citizens from
/// number `from` on; returns them with their booking ids.
async fn fill_at(app: &TestApp, psc: i64, start: &str, from: u32) -> Vec<(Citizen, i64)> {
    let day: NaiveDate = start[..10].parse().unwrap();
    let free = availability(&app.state, CenterId::new(psc), "ID_CARD", day, day)
        .await
        .unwrap()
        .iter()
        .find(|s| s.start == start)
        .map(|s| s.free)
        .unwrap();
    let mut out = Vec::new();
    for c in citizens(app, from, free).await {
        let b = book(&app.state, book_input(&c, psc, start), Lang::Ru)
            .await
            .unwrap();
        out.push((c, b.booking.id.parse().unwrap()));
    }
    out
}

/// One of the holders of [`fill_at`] cancels their booking.
async fn holder_cancels(app: &TestApp, (holder, bid): &(Citizen, i64)) {
    cancel(
        &app.state,
        BookingId::new(*bid),
        Canceller::Citizen(CitizenId::new(holder.0)),
        Lang::Ru,
    )
    .await
    .unwrap();
}

async fn holders_at_10(app: &TestApp, psc: i64) -> Vec<i64> {
    let at = chrono::DateTime::parse_from_rfc3339(WED_10)
        .unwrap()
        .timestamp();
    bookings::Entity::find()
        .filter(bookings::Column::CenterId.eq(psc))
        .filter(bookings::Column::StartAt.eq(at))
        .filter(bookings::Column::Status.eq("Booked"))
        .all(&app.state.db)
        .await
        .unwrap()
        .iter()
        .map(|b| b.citizen_id)
        .collect()
}

#[tokio::test]
async fn a_freed_start_goes_to_the_earliest_waiting_entry_first() {
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    // While 10:00 has a free place, waiting is refused: book it.
    let w = citizens(&app, 700, 3).await;
    assert_eq!(
        code_of(waitlist::join(&app.state, wait_at_10(&w[0], psc), Lang::Ru).await),
        "slots_available"
    );
    let holders = fill_10(&app, psc, 710).await;
    let first = waitlist::join(&app.state, wait_at_10(&w[0], psc), Lang::Ru)
        .await
        .unwrap();
    assert_eq!((first.status.as_str(), first.ahead), ("waiting", Some(0)));
    let second = waitlist::join(&app.state, wait_at_10(&w[1], psc), Lang::Ru)
        .await
        .unwrap();
    assert_eq!(second.ahead, Some(1));
    // One holder cancels: the place goes to the first entry, in that
    // transaction; nobody else sees it free.
    holder_cancels(&app, &holders[0]).await;
    let mine = waitlist::list_mine(&app.state, CitizenId::new(w[0].0), Lang::Ru)
        .await
        .unwrap();
    assert_eq!(mine[0].status, "served");
    let served: i64 = mine[0].served_booking_id.as_ref().unwrap().parse().unwrap();
    let b = bookings::Entity::find_by_id(served)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((b.citizen_id, b.status.as_str()), (w[0].0, "Booked"));
    assert!(holders_at_10(&app, psc).await.contains(&w[0].0));
    let theirs = waitlist::list_mine(&app.state, CitizenId::new(w[1].0), Lang::Ru)
        .await
        .unwrap();
    assert_eq!(
        (theirs[0].status.as_str(), theirs[0].ahead),
        ("waiting", Some(0))
    );
    let r = book(&app.state, book_input(&w[2], psc, WED_10), Lang::Ru).await;
    assert_eq!(code_of(r), "slot_full");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_storm_of_bookers_never_takes_a_start_the_list_waits_for() {
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    let holders = fill_10(&app, psc, 800).await;
    let waiter = common::insert_citizen(&app, &iin_n(850), "+77011234567", "ru").await;
    waitlist::join(&app.state, wait_at_10(&waiter, psc), Lang::Ru)
        .await
        .unwrap();
    let storm = citizens(&app, 1000, 200).await;
    let wed = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    let tasks: Vec<_> = storm
        .into_iter()
        .map(|c| {
            let st = app.state.clone();
            tokio::spawn(async move {
                // Poll the day, book 10:00 whenever it shows free.
                for _ in 0..5 {
                    let free = availability(&st, CenterId::new(psc), "ID_CARD", wed, wed)
                        .await
                        .unwrap();
                    if free.iter().any(|s| s.start == WED_10) {
                        return code_of(book(&st, book_input(&c, psc, WED_10), Lang::Ru).await);
                    }
                    tokio::task::yield_now().await;
                }
                "never free".to_owned()
            })
        })
        .collect();
    holder_cancels(&app, &holders[0]).await;
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    assert!(answers.iter().all(|a| a != "ok"), "{answers:?}");
    let at_10 = holders_at_10(&app, psc).await;
    assert!(at_10.contains(&waiter.0), "the waiting citizen holds 10:00");
    assert_eq!(at_10.len(), holders.len(), "never more than the places");
    app.stop().await;
}

#[tokio::test]
async fn a_tied_entry_moves_the_same_booking_without_counting_a_reschedule() {
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    let holders = fill_10(&app, psc, 900).await;
    let t = common::insert_citizen(&app, &iin_n(950), "+77011234567", "ru").await;
    let later = book(
        &app.state,
        book_input(&t, psc, "2026-12-02T15:00:00+05:00"),
        Lang::Ru,
    )
    .await
    .unwrap()
    .booking;
    // Untied, R3 refuses (they hold a booking of that kind and group).
    assert_eq!(
        code_of(waitlist::join(&app.state, wait_at_10(&t, psc), Lang::Ru).await),
        "one_active_booking"
    );
    let mut tied = wait_at_10(&t, psc);
    tied.booking_id = Some(later.id.parse().unwrap());
    let entry = waitlist::join(&app.state, tied, Lang::Ru).await.unwrap();
    assert_eq!(entry.booking_id.as_deref(), Some(later.id.as_str()));
    holder_cancels(&app, &holders[1]).await;
    let b = bookings::Entity::find_by_id(later.id.parse::<i64>().unwrap())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(b.code, later.code, "same booking, same code");
    assert_eq!(b.reschedule_count, 0, "not counted by R1");
    assert_eq!(
        b.start_at,
        chrono::DateTime::parse_from_rfc3339(WED_10)
            .unwrap()
            .timestamp()
    );
    let mine = waitlist::list_mine(&app.state, CitizenId::new(t.0), Lang::Ru)
        .await
        .unwrap();
    assert_eq!(
        mine[0].served_booking_id.as_deref(),
        Some(later.id.as_str())
    );
    app.stop().await;
}

#[tokio::test]
async fn a_draws_leftovers_reach_the_waiting_list() {
    use kezek_core::service::draws::{admin, run};
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    let wed = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    admin::create(&app.state, &[psc], &[wed], Some(1))
        .await
        .unwrap();
    // The drawn day offers nothing now, so waiting is allowed.
    let w = common::insert_citizen(&app, &iin_n(960), "+77011234567", "ru").await;
    let e = waitlist::join(&app.state, wait_at_10(&w, psc), Lang::Ru)
        .await
        .unwrap();
    assert_eq!(e.status, "waiting");
    app.clock.set(common::default_now() + Duration::minutes(2));
    run::run_due(&app.state).await.unwrap();
    let mine = waitlist::list_mine(&app.state, CitizenId::new(w.0), Lang::Ru)
        .await
        .unwrap();
    assert_eq!(mine[0].status, "served");
    app.stop().await;
}

#[tokio::test]
async fn bad_entries_are_refused_and_entries_end() {
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    fill_10(&app, psc, 1300).await;
    let c = common::insert_citizen(&app, &iin_n(1400), "+77011234567", "ru").await;
    let mut cases: Vec<(JoinInput, &str)> = Vec::new();
    let mut j = wait_at_10(&c, psc);
    j.center_id = None;
    cases.push((j, "bad:Required"));
    let mut j = wait_at_10(&c, psc);
    j.city = Some("Astana".into());
    cases.push((j, "bad:InvalidField"));
    let mut j = wait_at_10(&c, psc);
    j.from = "2026-12-05".into();
    cases.push((j, "bad:DateRangeOrder"));
    let mut j = wait_at_10(&c, psc);
    j.to = "2027-03-01".into();
    cases.push((j, "bad:DateBeyond"));
    let mut j = wait_at_10(&c, psc);
    j.from = "2026-11-20".into();
    j.to = "2026-11-21".into();
    cases.push((j, "bad:DatePassed"));
    let mut j = wait_at_10(&c, psc);
    j.time_from = Some("11:00".into());
    cases.push((j, "bad:TimeOrder"));
    let mut j = wait_at_10(&c, psc);
    j.time_from = Some("22:00".into());
    j.time_to = Some("23:00".into());
    cases.push((j, "outside_hours"));
    let mut j = wait_at_10(&c, psc);
    j.from = "tomorrow".into();
    cases.push((j, "bad:DateFormat"));
    let mut j = wait_at_10(&c, psc);
    j.service = "VEH_REG".into();
    cases.push((j, "wrong_center_kind"));
    let mut j = wait_at_10(&c, psc);
    j.booking_id = Some(999_999);
    cases.push((j, "NotFound"));
    for (input, want) in cases {
        let got = code_of(waitlist::join(&app.state, input, Lang::En).await);
        assert!(got.starts_with(want), "{want}: {got}");
    }
    assert_eq!(
        waitlist_entries::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        0
    );
    // By city: any center of the kind in Astana.
    let mut by_city = wait_at_10(&c, psc);
    by_city.center_id = None;
    by_city.city = Some("Astana".into());
    let got = code_of(waitlist::join(&app.state, by_city, Lang::En).await);
    // Another Astana center still has 10:00 free.
    assert_eq!(got, "slots_available");
    let e = waitlist::join(&app.state, wait_at_10(&c, psc), Lang::En)
        .await
        .unwrap();
    assert_eq!(
        code_of(waitlist::join(&app.state, wait_at_10(&c, psc), Lang::En).await),
        "already_waiting"
    );
    let id: i64 = e.id.parse().unwrap();
    let stranger = common::insert_citizen(&app, &iin_n(1401), "+77011234567", "ru").await;
    assert_eq!(
        code_of(waitlist::leave(&app.state, CitizenId::new(stranger.0), id, Lang::En).await),
        "NotFound"
    );
    let left = waitlist::leave(&app.state, CitizenId::new(c.0), id, Lang::En)
        .await
        .unwrap();
    assert_eq!(left.status, "left");
    // A new entry ends `expired` once its dates pass.
    waitlist::join(&app.state, wait_at_10(&c, psc), Lang::En)
        .await
        .unwrap();
    app.clock.set(common::default_now() + Duration::days(2));
    let (_, expired) = waitlist::serve::sweep(&app.state).await.unwrap();
    assert_eq!(expired, 1);
    let mine = waitlist::list_mine(&app.state, CitizenId::new(c.0), Lang::En)
        .await
        .unwrap();
    assert_eq!(mine[0].status, "expired");
    app.stop().await;
}

/// R13 for added capacity: a window added by a schedule change serves the
/// waiting entry inside the change's transaction — no sweep needed, and
/// nobody sees the new place free in between.
#[tokio::test]
async fn a_window_added_by_a_schedule_change_goes_to_the_waiting_list_at_once() {
    use kezek_core::service::admin::{closure::Decision, schedule};
    use kezek_core::service::staff::{StaffActor, roles::StaffRole};
    use kezek_wire::admin::ScheduleChange;
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    fill_10(&app, psc, 760).await;
    let w = citizens(&app, 770, 1).await;
    let entry = waitlist::join(&app.state, wait_at_10(&w[0], psc), Lang::Ru)
        .await
        .unwrap();
    assert_eq!(entry.status, "waiting");
    let admin = StaffActor {
        id: 1,
        role: StaffRole::Administrator,
        center_id: None,
        window_id: None,
    };
    schedule::apply(
        &app.state,
        &admin,
        CenterId::new(psc),
        &ScheduleChange::Window {
            id: None,
            number: 99,
            active: true,
            services: vec!["ID_CARD".into()],
        },
        Decision::None,
        "one more window",
        Lang::Ru,
    )
    .await
    .unwrap();
    // Served by the change itself: no sweep ran.
    let mine = waitlist::list_mine(&app.state, CitizenId::new(w[0].0), Lang::Ru)
        .await
        .unwrap();
    assert_eq!(mine[0].status, "served");
    assert!(holders_at_10(&app, psc).await.contains(&w[0].0));
    let wed = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    let at_10 = availability(&app.state, CenterId::new(psc), "ID_CARD", wed, wed)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.start == WED_10)
        .map(|s| s.free);
    assert_eq!(
        at_10, None,
        "the added place went to the list, not the public (full: not offered)"
    );
    app.stop().await;
}

fn administrator() -> kezek_core::service::staff::StaffActor {
    use kezek_core::service::staff::{StaffActor, roles::StaffRole};
    StaffActor {
        id: 1,
        role: StaffRole::Administrator,
        center_id: None,
        window_id: None,
    }
}

/// The citizen's bookings (center, start) with status Booked.
async fn booked_by(app: &TestApp, citizen: i64) -> Vec<(i64, i64)> {
    bookings::Entity::find()
        .filter(bookings::Column::CitizenId.eq(citizen))
        .filter(bookings::Column::Status.eq("Booked"))
        .all(&app.state.db)
        .await
        .unwrap()
        .iter()
        .map(|b| (b.center_id, b.start_at))
        .collect()
}

/// R13 for a day that opens: removing a national day off serves an entry
/// waiting over that day inside the change's transaction (no sweep).
#[tokio::test]
async fn a_national_day_off_removed_goes_to_the_waiting_list_at_once() {
    use kezek_core::service::admin::{closure::Decision, system};
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    // Tuesday 15 Dec at 10:00 full; Wednesday 16 Dec is a day off.
    fill_at(&app, psc, "2026-12-15T10:00:00+05:00", 780).await;
    let w = citizens(&app, 790, 1).await;
    let entry = waitlist::join(
        &app.state,
        JoinInput {
            from: "2026-12-15".into(),
            to: "2026-12-16".into(),
            ..wait_at_10(&w[0], psc)
        },
        Lang::Ru,
    )
    .await
    .unwrap();
    assert_eq!(entry.status, "waiting");
    system::save_national(
        &app.state,
        &administrator(),
        "2026-12-16",
        "remove",
        "",
        Decision::None,
        "",
    )
    .await
    .unwrap();
    let mine = waitlist::list_mine(&app.state, CitizenId::new(w[0].0), Lang::Ru)
        .await
        .unwrap();
    assert_eq!(mine[0].status, "served", "served by the change itself");
    let wed_16_10 = chrono::DateTime::parse_from_rfc3339("2026-12-16T10:00:00+05:00")
        .unwrap()
        .timestamp();
    assert_eq!(booked_by(&app, w[0].0).await, vec![(psc, wed_16_10)]);
    app.stop().await;
}

/// R13 for a center that reopens: an entry waiting for any center of the
/// city is served at the reactivated center inside the change's
/// transaction, before the public can see its starts.
#[tokio::test]
async fn a_reactivated_center_goes_to_the_waiting_list_at_once() {
    use kezek_core::service::admin::system;
    let app = TestApp::spawn().await;
    let yesil = center_id(&app, "ast-psc-yesil").await;
    let saryarka = center_id(&app, "ast-psc-saryarka").await;
    system::set_center_active(&app.state, &administrator(), saryarka, false)
        .await
        .unwrap();
    fill_10(&app, yesil, 800).await;
    let w = citizens(&app, 810, 1).await;
    let entry = waitlist::join(
        &app.state,
        JoinInput {
            center_id: None,
            city: Some("Astana".into()),
            ..wait_at_10(&w[0], yesil)
        },
        Lang::Ru,
    )
    .await
    .unwrap();
    assert_eq!(entry.status, "waiting");
    system::set_center_active(&app.state, &administrator(), saryarka, true)
        .await
        .unwrap();
    let mine = waitlist::list_mine(&app.state, CitizenId::new(w[0].0), Lang::Ru)
        .await
        .unwrap();
    assert_eq!(mine[0].status, "served", "served by the change itself");
    let at = chrono::DateTime::parse_from_rfc3339(WED_10)
        .unwrap()
        .timestamp();
    assert_eq!(booked_by(&app, w[0].0).await, vec![(saryarka, at)]);
    app.stop().await;
}
