//! Admin changes racing bookings (review H2, M1), on SQLite and — with
//! KEZEK_TEST_DATABASE_URL — PostgreSQL: the per-center cap (R9) holds when
//! bookings land on different windows at once, and a day closed while
//! bookings are in flight ends with none of them left on the closed day.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;

use chrono::NaiveDate;
use common::{TestApp, center_id, iin_n};
use kezek_core::entity::bookings;
use kezek_core::error::ServiceError;
use kezek_core::service::booking::close_day::{CloseAction, close_day};
use kezek_core::service::booking::create::{BookInput, book};
use kezek_domain::ids::{BookingId, CenterId, CitizenId};
use kezek_i18n::Lang;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Statement};

fn input(c: &(i64, kezek_domain::iin::Iin), center: i64, start: &str) -> BookInput {
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

fn code_of(r: Result<impl Sized, ServiceError>) -> String {
    match r {
        Ok(_) => "ok".into(),
        Err(ServiceError::Refused(r)) => r.code().into(),
        Err(e) => format!("{e:?}"),
    }
}

/// Sets the center's cap the way an admin change does (version bumped).
async fn set_cap(app: &TestApp, center: i64, cap: i32) {
    let db = &app.state.db;
    let sql = format!(
        "UPDATE centers SET capacity_cap = {cap}, schedule_version = schedule_version + 1 \
         WHERE id = {center}"
    );
    db.execute_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_bookings_at_different_windows_never_pass_the_cap() {
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    // Three windows serve ID_CARD at 10:00; the center allows two at once.
    set_cap(&app, psc, 2).await;
    let mut people = Vec::new();
    for n in 0..50 {
        people.push(common::insert_citizen(&app, &iin_n(300 + n), "+77011234567", "ru").await);
    }
    let start = "2026-12-02T10:00:00+05:00";
    let tasks: Vec<_> = people
        .into_iter()
        .map(|c| {
            let st = app.state.clone();
            tokio::spawn(async move { code_of(book(&st, input(&c, psc, start), Lang::Ru).await) })
        })
        .collect();
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    let ok = answers.iter().filter(|a| *a == "ok").count();
    assert_eq!(ok, 2, "{answers:?}");
    assert!(
        answers.iter().all(|a| a == "ok" || a == "slot_full"),
        "{answers:?}"
    );
    let held = bookings::Entity::find()
        .filter(bookings::Column::CenterId.eq(psc))
        .filter(bookings::Column::Status.eq("Booked"))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(held, 2);
    app.stop().await;
}

/// The same, decided by construction rather than by luck: one booking holds
/// 10:00, a second is in flight at another window (its start locked, its
/// window-slot written, not committed), and a third arrives. The third must
/// wait for the second and then see the cap reached; without the start lock
/// in `create::assign_and_hold` it sees one held window, books a third and
/// the center ends over its cap.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booking_at_a_capped_start_waits_for_the_one_in_flight() {
    use kezek_core::entity::{booking_slots, window_services, windows};
    let app = TestApp::spawn().await;
    if !app.db.is_postgres() {
        eprintln!("skipped on SQLite: its single writer cannot interleave two bookings");
        app.stop().await;
        return;
    }
    let psc = center_id(&app, "ast-psc-yesil").await;
    set_cap(&app, psc, 2).await;
    let first = common::insert_citizen(&app, &iin_n(360), "+77011234567", "ru").await;
    let third = common::insert_citizen(&app, &iin_n(361), "+77011234567", "ru").await;
    let start = "2026-12-02T10:00:00+05:00";
    let at = chrono::DateTime::parse_from_rfc3339(start)
        .unwrap()
        .timestamp();
    let booked = book(&app.state, input(&first, psc, start), Lang::Ru)
        .await
        .unwrap();
    let taken: i32 = booked.booking.window.unwrap();
    // The last window of the center that serves ID_CARD: a booking that
    // did not wait would take a lower one and never touch this row.
    let serving: Vec<i64> = kezek_core::testing::rows::<window_services::Entity>(&app.state.db)
        .await
        .into_iter()
        .filter(|s| s.service_code == "ID_CARD")
        .map(|s| s.window_id)
        .collect();
    let other = kezek_core::testing::rows::<windows::Entity>(&app.state.db)
        .await
        .into_iter()
        .filter(|w| w.center_id == psc && w.number != taken && serving.contains(&w.id))
        .max_by_key(|w| w.number)
        .unwrap();
    let in_flight = app.db.book_in_flight(psc, other.id, at).await.unwrap();

    let state = app.state.clone();
    let late = tokio::spawn(async move { book(&state, input(&third, psc, start), Lang::Ru).await });
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(
        !late.is_finished(),
        "the third booking did not wait for the one in flight"
    );
    in_flight.commit().await;
    assert_eq!(code_of(late.await.unwrap()), "slot_full");
    let held = kezek_core::testing::rows::<booking_slots::Entity>(&app.state.db)
        .await
        .into_iter()
        .filter(|s| s.center_id == psc && s.slot_start == at)
        .count();
    assert_eq!(held, 2, "the cap is 2 windows at 10:00");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_day_closed_during_a_storm_keeps_no_booking_on_it() {
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    let mut people = Vec::new();
    for n in 0..120 {
        people.push(common::insert_citizen(&app, &iin_n(400 + n), "+77011234567", "ru").await);
    }
    let day = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    // Warm the read cache with the open day, as a busy server would have.
    let warm = people.pop().unwrap();
    assert_eq!(
        code_of(
            book(
                &app.state,
                input(&warm, psc, "2026-12-02T09:00:00+05:00"),
                Lang::Ru
            )
            .await
        ),
        "ok"
    );
    let tasks: Vec<_> = people
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let st = app.state.clone();
            let start = format!(
                "2026-12-02T{:02}:{:02}:00+05:00",
                10 + (i % 7),
                15 * (i % 4)
            );
            tokio::spawn(async move { code_of(book(&st, input(&c, psc, &start), Lang::Ru).await) })
        })
        .collect();
    // Close the day while the bookings are in flight.
    tokio::task::yield_now().await;
    let report = close_day(&app.state, psc, day, "Авария", CloseAction::Cancel, "test")
        .await
        .unwrap();
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    assert!(
        answers
            .iter()
            .all(|a| matches!(a.as_str(), "ok" | "slot_full" | "center_closed")),
        "{answers:?}"
    );
    let left = bookings::Entity::find()
        .filter(bookings::Column::CenterId.eq(psc))
        .filter(bookings::Column::LocalDate.eq("2026-12-02"))
        .filter(bookings::Column::Status.eq("Booked"))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(left, 0, "report {report:?}; answers {answers:?}");
    app.stop().await;
}

/// Another server process keeps its own read cache (5 s): it decided on the
/// schedule before an admin change made by this one. Its booking must not
/// land on the day just closed, nor past the cap just set (the version
/// check re-reads the schedule inside the booking transaction).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_process_with_a_stale_schedule_cannot_book_past_a_change() {
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    let mut other = app.state.clone();
    other.read_cache = std::sync::Arc::default();
    let mut people = Vec::new();
    for n in 0..6 {
        people.push(common::insert_citizen(&app, &iin_n(500 + n), "+77011234567", "ru").await);
    }
    // The other process has the open Wednesday and the uncapped center in
    // its cache.
    assert_eq!(
        code_of(
            book(
                &other,
                input(&people[0], psc, "2026-12-02T09:00:00+05:00"),
                Lang::Ru
            )
            .await
        ),
        "ok"
    );
    // This process closes Wednesday.
    let day = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    close_day(&app.state, psc, day, "Авария", CloseAction::Cancel, "test")
        .await
        .unwrap();
    assert_eq!(
        code_of(
            book(
                &other,
                input(&people[1], psc, "2026-12-02T10:00:00+05:00"),
                Lang::Ru
            )
            .await
        ),
        "center_closed"
    );
    // Thursday in the other process's cache, then a cap of 1 set here.
    assert_eq!(
        code_of(
            book(
                &other,
                input(&people[2], psc, "2026-12-03T10:00:00+05:00"),
                Lang::Ru
            )
            .await
        ),
        "ok"
    );
    set_cap(&app, psc, 1).await;
    assert_eq!(
        code_of(
            book(
                &other,
                input(&people[3], psc, "2026-12-03T10:00:00+05:00"),
                Lang::Ru
            )
            .await
        ),
        "slot_full"
    );
    let on_closed_day = bookings::Entity::find()
        .filter(bookings::Column::CenterId.eq(psc))
        .filter(bookings::Column::LocalDate.eq("2026-12-02"))
        .filter(bookings::Column::Status.eq("Booked"))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(on_closed_day, 0);
    app.stop().await;
}

async fn exec(app: &TestApp, sql: &str) {
    let db = &app.state.db;
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        sql.to_owned(),
    ))
    .await
    .unwrap();
}

/// Review H3: one booking the job cannot handle (its center's data is
/// broken) is logged and skipped; every other overdue booking — also one at
/// a center deactivated since — becomes a no-show in the same pass.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_poisoned_booking_never_stops_the_no_show_job() {
    use kezek_core::service::desk::auto_no_show::run_once;
    let app = TestApp::spawn().await;
    let poisoned = center_id(&app, "ast-psc-yesil").await;
    let closed = center_id(&app, "ast-psc-saryarka").await;
    let fine = center_id(&app, "alm-psc-almaly").await;
    let mut ids = Vec::new();
    for (n, (center, start)) in [
        (poisoned, "2026-12-02T09:00:00+05:00"),
        (closed, "2026-12-02T09:15:00+05:00"),
        (fine, "2026-12-02T09:30:00+05:00"),
    ]
    .into_iter()
    .enumerate()
    {
        let c = common::insert_citizen(&app, &iin_n(600 + n as u32), "+77011234567", "ru").await;
        let b = book(&app.state, input(&c, center, start), Lang::Ru)
            .await
            .unwrap();
        ids.push(b.booking.id.parse::<i64>().unwrap());
    }
    exec(
        &app,
        &format!("UPDATE centers SET timezone = 'Not/AZone' WHERE id = {poisoned}"),
    )
    .await;
    exec(
        &app,
        &format!("UPDATE centers SET active = false WHERE id = {closed}"),
    )
    .await;
    app.clock.set(
        chrono::DateTime::parse_from_rfc3339("2026-12-02T11:00:00+05:00")
            .unwrap()
            .into(),
    );
    let marked = run_once(&app.state).await.unwrap();
    assert_eq!(marked, 2);
    let status = |id: i64| {
        let db = app.state.db.clone();
        async move {
            bookings::Entity::find_by_id(id)
                .one(&db)
                .await
                .unwrap()
                .unwrap()
                .status
        }
    };
    assert_eq!(status(ids[0]).await, "Booked");
    assert_eq!(status(ids[1]).await, "NoShow");
    assert_eq!(status(ids[2]).await, "NoShow");
    app.stop().await;
}

/// A center with visits today or later cannot be deactivated (its
/// bookings would be stranded); the check and the change are one
/// transaction that holds the center row.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_center_with_bookings_cannot_be_deactivated() {
    use kezek_core::service::admin::system::set_center_active;
    use kezek_core::service::staff::{StaffActor, roles::StaffRole};
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    let admin = StaffActor {
        id: 1,
        role: StaffRole::Administrator,
        center_id: None,
        window_id: None,
    };
    let c = common::insert_citizen(&app, &iin_n(700), "+77011234567", "ru").await;
    book(
        &app.state,
        input(&c, psc, "2026-12-02T10:00:00+05:00"),
        Lang::Ru,
    )
    .await
    .unwrap();
    let r = set_center_active(&app.state, &admin, psc, false).await;
    assert!(matches!(r, Err(ServiceError::BadRequest(_))), "{r:?}");
    let other = center_id(&app, "shy-auto").await;
    set_center_active(&app.state, &admin, other, false)
        .await
        .unwrap();
    // The refused change left the center active: it still books.
    let c2 = common::insert_citizen(&app, &iin_n(701), "+77011234567", "ru").await;
    assert_eq!(
        code_of(
            book(
                &app.state,
                input(&c2, psc, "2026-12-02T11:00:00+05:00"),
                Lang::Ru
            )
            .await
        ),
        "ok"
    );
    app.stop().await;
}

/// Review M2: a relocation works on the bookings as decided; one the
/// citizen moved or cancelled since is left as the citizen made it and
/// reported, and the others are still handled.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_relocation_never_overrides_what_the_citizen_changed_since() {
    use kezek_core::service::booking::cancel::{Canceller, cancel};
    use kezek_core::service::booking::close_day::{affected, relocate};
    use kezek_core::service::booking::reschedule::{RescheduleInput, reschedule};
    use kezek_core::service::booking::schedule::load_center;
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    let mut ids = Vec::new();
    let mut people = Vec::new();
    for n in 0..3u32 {
        let c = common::insert_citizen(&app, &iin_n(800 + n), "+77011234567", "ru").await;
        let start = format!("2026-12-02T1{n}:00:00+05:00");
        let b = book(&app.state, input(&c, psc, &start), Lang::Ru)
            .await
            .unwrap();
        ids.push(b.booking.id.parse::<i64>().unwrap());
        people.push(c);
    }
    let day = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    let decided = affected(&app.state, psc, day).await.unwrap();
    assert_eq!(decided.len(), 3);
    // Meanwhile the first citizen moves to Thursday, the second cancels.
    reschedule(
        &app.state,
        RescheduleInput {
            citizen_id: CitizenId::new(people[0].0),
            booking_id: BookingId::new(ids[0]),
            start: "2026-12-03T10:00:00+05:00".into(),
            center_id: None,
        },
        Lang::Ru,
    )
    .await
    .unwrap();
    cancel(
        &app.state,
        BookingId::new(ids[1]),
        Canceller::Citizen(CitizenId::new(people[1].0)),
        Lang::Ru,
    )
    .await
    .unwrap();
    let ctx = load_center(&app.state.db, psc).await.unwrap();
    let report = relocate(
        &app.state,
        &ctx,
        decided,
        "Авария",
        CloseAction::Cancel,
        "test",
    )
    .await
    .unwrap();
    assert_eq!(report.cancelled, [ids[2]]);
    let mut changed = report.changed.clone();
    changed.sort_unstable();
    assert_eq!(changed, [ids[0], ids[1]]);
    assert!(report.failed.is_empty());
    let row = |id: i64| {
        let db = app.state.db.clone();
        async move {
            bookings::Entity::find_by_id(id)
                .one(&db)
                .await
                .unwrap()
                .unwrap()
        }
    };
    let moved = row(ids[0]).await;
    assert_eq!(
        (moved.status.as_str(), moved.local_date.as_str()),
        ("Booked", "2026-12-03")
    );
    assert_eq!(row(ids[1]).await.cancelled_by.as_deref(), Some("Citizen"));
    assert_eq!(row(ids[2]).await.cancelled_by.as_deref(), Some("Center"));
    app.stop().await;
}

/// Review M2: the decision is recorded with the change; a request that dies
/// midway leaves the rest pending, and the relocation job finishes them —
/// each booking handled exactly once, a booking the citizen cancelled
/// meanwhile left as the citizen made it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_relocation_cut_off_midway_is_finished_once_per_booking() {
    use kezek_core::entity::{booking_history, relocation_items};
    use kezek_core::service::booking::cancel::{Canceller, cancel};
    use kezek_core::service::booking::relocation::{self, Which, backlog};
    use sea_orm::TransactionTrait;
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    let mut people = Vec::new();
    for n in 0..40u32 {
        let c = common::insert_citizen(&app, &iin_n(900 + n), "+77011234567", "ru").await;
        let start = format!(
            "2026-12-02T{:02}:{:02}:00+05:00",
            9 + n / 4 % 9,
            15 * (n % 4)
        );
        book(&app.state, input(&c, psc, &start), Lang::Ru)
            .await
            .unwrap();
        people.push(c);
    }
    let list = bookings::Entity::find()
        .filter(bookings::Column::CenterId.eq(psc))
        .filter(bookings::Column::Status.eq("Booked"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(list.len(), 40);
    // The admin's change records its decision in its own transaction.
    let txn = app.state.db.begin().await.unwrap();
    let now = app.state.now().timestamp();
    let items = relocation::record(&txn, &list, CloseAction::Cancel, "Авария", "staff:1", now)
        .await
        .unwrap();
    txn.commit().await.unwrap();
    // The request handles 15, then dies.
    let first = relocation::drain(&app.state, Which::Ids(items[..15].to_vec()))
        .await
        .unwrap();
    assert_eq!(first.cancelled.len(), 15);
    assert_eq!(backlog(&app.state).await.unwrap(), 25);
    // The administrator's page: this change, 15 of 40 handled.
    let progress = |app: &TestApp| {
        let state = app.state.clone();
        async move {
            relocation::recent_changes(&state, now - 60, 20, Lang::Ru)
                .await
                .unwrap()
        }
    };
    let p = progress(&app).await;
    assert_eq!(p.len(), 1);
    assert_eq!(
        (
            p[0].total,
            p[0].cancelled,
            p[0].pending,
            p[0].changed,
            p[0].failed
        ),
        (40, 15, 25, 0, 0)
    );
    assert_eq!(
        (p[0].reason.as_str(), p[0].at.as_str()),
        ("Авария", "2026-12-01T09:00:00+05:00")
    );
    assert!(p[0].center.contains("Есиль"), "{}", p[0].center);
    // Meanwhile a citizen whose booking is still pending cancels it.
    let theirs = list[20].clone();
    let owner = people.iter().find(|c| c.0 == theirs.citizen_id).unwrap();
    cancel(
        &app.state,
        BookingId::new(theirs.id),
        Canceller::Citizen(CitizenId::new(owner.0)),
        Lang::Ru,
    )
    .await
    .unwrap();
    // The job picks up the rest.
    let rest = relocation::drain(
        &app.state,
        Which::OlderThan {
            at: now,
            limit: 500,
        },
    )
    .await
    .unwrap();
    assert_eq!(
        (rest.cancelled.len(), rest.changed, rest.failed.len()),
        (24, vec![theirs.id], 0)
    );
    assert_eq!(backlog(&app.state).await.unwrap(), 0);
    let p = progress(&app).await;
    assert_eq!(
        (
            p[0].total,
            p[0].cancelled,
            p[0].pending,
            p[0].changed,
            p[0].failed
        ),
        (40, 39, 0, 1, 0)
    );
    // Changes older than asked for are not listed.
    assert!(
        relocation::recent_changes(&app.state, now + 1, 20, Lang::Ru)
            .await
            .unwrap()
            .is_empty()
    );
    // Nothing left to do, and nothing done twice.
    let again = relocation::drain(
        &app.state,
        Which::OlderThan {
            at: now,
            limit: 500,
        },
    )
    .await
    .unwrap();
    assert_eq!(again, Default::default());
    for b in &list {
        let cancels = booking_history::Entity::find()
            .filter(booking_history::Column::BookingId.eq(b.id))
            .filter(booking_history::Column::Status.eq("Cancelled"))
            .count(&app.state.db)
            .await
            .unwrap();
        assert_eq!(cancels, 1, "booking {}", b.id);
    }
    let changed = relocation_items::Entity::find()
        .filter(relocation_items::Column::State.eq("changed"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].booking_id, theirs.id);
    app.stop().await;
}
