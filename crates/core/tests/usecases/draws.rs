//! Fair release by draw (DOMAIN.md R12), on SQLite and — with
//! KEZEK_TEST_DATABASE_URL — PostgreSQL: a date under a draw is not
//! bookable (`draw_pending`), requests are checked and stored once, the run
//! fills exactly the first places of the published order (recomputed from
//! the public record), several runners serve each request exactly once,
//! and a center in draw mode opens a draw for each day entering its
//! horizon.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;

use chrono::{Duration, NaiveDate};
use common::{TestApp, center_id, iin_n};
use kezek_core::entity::{bookings, draw_requests, outbox};
use kezek_core::error::ServiceError;
use kezek_core::service::booking::availability::availability;
use kezek_core::service::booking::create::{BookInput, book};
use kezek_core::service::draws::{admin, order, requests, run, views};
use kezek_domain::ids::{CenterId, CitizenId};
use kezek_domain::input::BadInput;
use kezek_i18n::Lang;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

const WED: &str = "2026-12-02";
const WED_10: &str = "2026-12-02T10:00:00+05:00";

fn wed() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
}

fn code_of<T>(r: Result<T, ServiceError>) -> String {
    match r {
        Ok(_) => "ok".into(),
        Err(ServiceError::Refused(r)) => r.code().into(),
        Err(ServiceError::BadRequest(b)) => format!("bad:{b:?}"),
        Err(e) => format!("{e:?}"),
    }
}

fn choice(center: i64, date: &str, from: Option<&str>, to: Option<&str>) -> requests::ChoiceInput {
    requests::ChoiceInput {
        center_id: Some(center),
        date: date.into(),
        time_from: from.map(str::to_owned),
        time_to: to.map(str::to_owned),
    }
}

fn request(
    c: &(i64, kezek_domain::iin::Iin),
    draw: i64,
    choices: Vec<requests::ChoiceInput>,
) -> requests::RequestInput {
    requests::RequestInput {
        citizen_id: CitizenId::new(c.0),
        iin: c.1,
        draw_id: draw,
        service: "ID_CARD".into(),
        choices,
        vehicle: None,
    }
}

fn book_input(c: &(i64, kezek_domain::iin::Iin), center: i64, start: &str) -> BookInput {
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

async fn free_at_10(app: &TestApp, psc: i64) -> u32 {
    availability(&app.state, CenterId::new(psc), "ID_CARD", wed(), wed())
        .await
        .unwrap()
        .iter()
        .find(|s| s.start == WED_10)
        .map(|s| s.free)
        .unwrap_or(0)
}

async fn citizens(app: &TestApp, from: u32, n: u32) -> Vec<(i64, kezek_domain::iin::Iin)> {
    let mut out = Vec::new();
    for i in from..from + n {
        out.push(common::insert_citizen(app, &iin_n(i), "+77011234567", "ru").await);
    }
    out
}

#[tokio::test]
async fn a_draw_fills_exactly_the_first_places_of_its_published_order() {
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    let places = free_at_10(&app, psc).await;
    assert!(places >= 2, "the demo center has several windows at 10:00");
    let draw = admin::create(&app.state, &[psc], &[wed()], Some(30))
        .await
        .unwrap();
    let draw_id: i64 = draw.id.parse().unwrap();
    assert_eq!(draw.status, "open");
    assert_eq!(draw.seed, None, "the seed stays secret until the run");
    assert_eq!(draw.commitment.len(), 64);

    // While open: no direct booking, nothing offered on that date.
    let people = citizens(&app, 500, places + 4).await;
    let r = book(&app.state, book_input(&people[0], psc, WED_10), Lang::Ru).await;
    assert_eq!(code_of(r), "draw_pending");
    assert!(
        availability(&app.state, CenterId::new(psc), "ID_CARD", wed(), wed())
            .await
            .unwrap()
            .is_empty()
    );
    // The public list names the draw for that center and date.
    let listed = views::list(&app.state, Some(psc), Some(wed()))
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);

    for c in &people {
        let v = requests::submit(
            &app.state,
            request(
                c,
                draw_id,
                vec![choice(psc, WED, Some("10:00"), Some("10:00"))],
            ),
            Lang::Ru,
        )
        .await
        .unwrap();
        assert_eq!(v.status, "pending");
        assert_eq!(v.public_id.len(), 32);
    }
    // Not due yet: nothing happens.
    assert_eq!(
        run::run_due(&app.state).await.unwrap(),
        run::RunReport::default()
    );

    app.clock.set(common::default_now() + Duration::minutes(31));
    let report = run::run_due(&app.state).await.unwrap();
    assert_eq!(report.draws_finished, 1);
    assert_eq!(report.matched, places as usize);
    assert_eq!(report.unmatched, people.len() - places as usize);

    let record = views::get(&app.state, draw_id).await.unwrap();
    assert_eq!(record.status, "done");
    let seed = record.seed.clone().expect("published after the run");
    assert_eq!(order::commitment(&seed).unwrap(), record.commitment);
    // Anyone can recompute the order from the public record…
    let checked = order::verify(&record).unwrap();
    assert_eq!(checked.requests, people.len());
    assert_eq!(checked.matched, places as usize);
    // …and the matched requests are exactly the first `places` of it.
    let expected = order::order(&seed, record.requests.iter().map(|r| r.public_id.as_str()));
    for r in &record.requests {
        let pos = expected.iter().position(|p| *p == r.public_id).unwrap() + 1;
        assert_eq!(r.position, Some(pos as u32));
        let want = if pos <= places as usize {
            "matched"
        } else {
            "unmatched"
        };
        assert_eq!(r.outcome, want, "position {pos}");
    }
    // Matched requests are ordinary bookings at 10:00.
    let rows = draw_requests::Entity::find()
        .filter(draw_requests::Column::DrawId.eq(draw_id))
        .all(&app.state.db)
        .await
        .unwrap();
    for r in rows.iter().filter(|r| r.status == "matched") {
        let b = bookings::Entity::find_by_id(r.booking_id.unwrap())
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((b.status.as_str(), b.citizen_id), ("Booked", r.citizen_id));
        assert_eq!(b.local_date, WED);
    }
    // Every loser is told, in their language.
    for r in rows.iter().filter(|r| r.status == "unmatched") {
        assert_eq!(r.note.as_deref(), Some("no_free_start"));
    }
    let told = outbox::Entity::find()
        .filter(outbox::Column::Kind.eq("draw_unmatched"))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(told, (people.len() - places as usize) as u64);
    // After the draw the date is first-come: 10:00 is full, 11:00 is free.
    let late = common::insert_citizen(&app, &iin_n(900), "+77011234567", "ru").await;
    let r = book(&app.state, book_input(&late, psc, WED_10), Lang::Ru).await;
    assert_eq!(code_of(r), "slot_full");
    let r = book(
        &app.state,
        book_input(&late, psc, "2026-12-02T11:00:00+05:00"),
        Lang::Ru,
    )
    .await;
    assert_eq!(code_of(r), "ok");
    app.stop().await;
}

#[tokio::test]
async fn bad_requests_are_refused_with_a_code_and_store_nothing() {
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    let other = center_id(&app, "ast-psc-saryarka").await;
    let draw = admin::create(&app.state, &[psc], &[wed()], None)
        .await
        .unwrap();
    let id: i64 = draw.id.parse().unwrap();
    let c = common::insert_citizen(&app, &iin_n(1), "+77011234567", "ru").await;
    let ok = || choice(psc, WED, None, None);
    let cases: Vec<(Vec<requests::ChoiceInput>, &str)> = vec![
        (vec![], "bad:OutOfRange"),
        (vec![ok(), ok()], "bad:DuplicateChoice"),
        (
            (0..6)
                .map(|h| choice(psc, WED, Some(&format!("{:02}:00", 9 + h)), None))
                .collect(),
            "bad:OutOfRange",
        ),
        (vec![choice(other, WED, None, None)], "bad:NotInDraw"),
        (vec![choice(psc, "2026-12-03", None, None)], "bad:NotInDraw"),
        (
            vec![choice(psc, WED, Some("12:00"), Some("10:00"))],
            "bad:TimeOrder",
        ),
        (vec![choice(psc, WED, Some("9h"), None)], "bad:TimeFormat"),
        (
            vec![choice(psc, "02.12.2026", None, None)],
            "bad:DateFormat",
        ),
        // A range with no start of the day in it.
        (
            vec![choice(psc, WED, Some("22:00"), Some("23:00"))],
            "outside_hours",
        ),
    ];
    for (choices, want) in cases {
        let r = requests::submit(&app.state, request(&c, id, choices), Lang::En).await;
        let got = code_of(r);
        assert!(got.starts_with(want), "{want}: {got}");
    }
    // A service of the other kind.
    let mut wrong = request(&c, id, vec![ok()]);
    wrong.service = "VEH_REG".into();
    assert_eq!(
        code_of(requests::submit(&app.state, wrong, Lang::En).await),
        "wrong_center_kind"
    );
    let n = draw_requests::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(n, 0, "nothing stored");

    // One open request per kind and group.
    let first = requests::submit(&app.state, request(&c, id, vec![ok()]), Lang::En)
        .await
        .unwrap();
    let r = requests::submit(&app.state, request(&c, id, vec![ok()]), Lang::En).await;
    assert_eq!(code_of(r), "already_requested");
    // Withdrawn: a new one may be made; withdrawing twice answers the same.
    let rid: i64 = first.id.parse().unwrap();
    let w = requests::withdraw(&app.state, CitizenId::new(c.0), rid, Lang::En)
        .await
        .unwrap();
    assert_eq!(w.status, "withdrawn");
    let w = requests::withdraw(&app.state, CitizenId::new(c.0), rid, Lang::En)
        .await
        .unwrap();
    assert_eq!(w.status, "withdrawn");
    let again = requests::submit(&app.state, request(&c, id, vec![ok()]), Lang::En)
        .await
        .unwrap();
    // Someone else's request is not found.
    let stranger = common::insert_citizen(&app, &iin_n(2), "+77011234567", "ru").await;
    let again_id: i64 = again.id.parse().unwrap();
    assert_eq!(
        code_of(
            requests::withdraw(&app.state, CitizenId::new(stranger.0), again_id, Lang::En).await
        ),
        "NotFound"
    );
    // After the close: no request, no withdrawal.
    app.clock.set(common::default_now() + Duration::minutes(30));
    let late = requests::submit(&app.state, request(&stranger, id, vec![ok()]), Lang::En).await;
    assert_eq!(code_of(late), "draw_closed");
    assert_eq!(
        code_of(requests::withdraw(&app.state, CitizenId::new(c.0), again_id, Lang::En).await),
        "draw_closed"
    );
    let mine = requests::list_mine(&app.state, CitizenId::new(c.0), Lang::En)
        .await
        .unwrap();
    assert_eq!(mine.len(), 2);
    assert_eq!(mine[0].status, "pending");
    // Ad hoc draws: bad input.
    let beyond = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
    assert!(
        code_of(admin::create(&app.state, &[psc], &[beyond], None).await)
            .starts_with("bad:DateBeyond")
    );
    assert!(
        code_of(admin::create(&app.state, &[psc], &[wed()], None).await)
            .starts_with("bad:DrawExists")
    );
    assert!(
        code_of(admin::create(&app.state, &[psc], &[wed()], Some(0)).await)
            .starts_with("bad:OutOfRange")
    );
    let auto = center_id(&app, "ast-auto").await;
    let thu = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
    assert!(
        code_of(admin::create(&app.state, &[other, auto], &[thu], None).await)
            .starts_with("bad:MixedKinds")
    );
    assert!(matches!(
        admin::create(&app.state, &[], &[thu], None).await,
        Err(ServiceError::BadRequest(BadInput::OutOfRange {
            field: "center_ids",
            ..
        }))
    ));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_citizen_racing_themselves_gets_one_request() {
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    let draw = admin::create(&app.state, &[psc], &[wed()], None)
        .await
        .unwrap();
    let id: i64 = draw.id.parse().unwrap();
    let c = common::insert_citizen(&app, &iin_n(7), "+77011234567", "ru").await;
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let st = app.state.clone();
            let input = request(&c, id, vec![choice(psc, WED, None, None)]);
            tokio::spawn(async move { code_of(requests::submit(&st, input, Lang::Ru).await) })
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
            .all(|a| a == "ok" || a == "already_requested"),
        "{answers:?}"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn several_runners_serve_each_request_exactly_once() {
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    let places = free_at_10(&app, psc).await;
    let draw = admin::create(&app.state, &[psc], &[wed()], Some(1))
        .await
        .unwrap();
    let id: i64 = draw.id.parse().unwrap();
    let people = citizens(&app, 600, 12).await;
    for c in &people {
        // Two choices: 10:00 first, then anything on the day.
        requests::submit(
            &app.state,
            request(
                c,
                id,
                vec![
                    choice(psc, WED, Some("10:00"), Some("10:00")),
                    choice(psc, WED, Some("14:00"), None),
                ],
            ),
            Lang::Ru,
        )
        .await
        .unwrap();
    }
    app.clock.set(common::default_now() + Duration::minutes(2));
    // Four runners at once (as four processes would).
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let st = app.state.clone();
            tokio::spawn(async move { run::run_one(&st, id).await })
        })
        .collect();
    let mut matched = 0;
    let mut finished = 0;
    for t in tasks {
        let r = t.await.unwrap().unwrap();
        matched += r.matched;
        finished += r.draws_finished;
    }
    assert!(finished >= 1);
    assert_eq!(
        matched,
        people.len(),
        "every request served once, all matched"
    );
    let rows = draw_requests::Entity::find()
        .filter(draw_requests::Column::DrawId.eq(id))
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(
        rows.iter()
            .all(|r| r.status == "matched" && r.booking_id.is_some())
    );
    let booked = bookings::Entity::find()
        .filter(bookings::Column::LocalDate.eq(WED))
        .filter(bookings::Column::Status.eq("Booked"))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(
        booked,
        people.len() as u64,
        "one booking per request, no twins"
    );
    // The first `places` positions got 10:00, the rest 14:00 or later.
    let record = views::get(&app.state, id).await.unwrap();
    order::verify(&record).unwrap();
    for r in rows {
        let b = bookings::Entity::find_by_id(r.booking_id.unwrap())
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        let at_10 = b.start_at
            == chrono::DateTime::parse_from_rfc3339(WED_10)
                .unwrap()
                .timestamp();
        assert_eq!(
            at_10,
            r.position.unwrap() <= places as i32,
            "position {:?}",
            r.position
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn a_center_in_draw_mode_opens_a_draw_for_each_day_entering_its_horizon() {
    let app = TestApp::spawn().await;
    let psc = center_id(&app, "ast-psc-yesil").await;
    // Tuesday 2026-12-01 09:00; horizon 30 days → last bookable 2026-12-31.
    let rel = admin::set_release(&app.state, psc, "draw", Some("10:00"), Some(30))
        .await
        .unwrap();
    assert_eq!(rel.draw_from.as_deref(), Some("2027-01-01"));
    assert_eq!(
        code_of(admin::set_release(&app.state, psc, "lottery", None, None).await).get(..4),
        Some("bad:")
    );
    assert_eq!(admin::release_pass(&app.state).await.unwrap(), 0);
    // Wednesday 08:00: 2027-01-01 has entered the horizon, but the release
    // time has not come: no draw yet, and the day is not bookable.
    app.clock.set(common::default_now() + Duration::hours(23));
    assert_eq!(admin::release_pass(&app.state).await.unwrap(), 0);
    // Monday 2026-12-07 11:00: the days up to Wednesday 2027-01-06 are
    // released; until the pass opens their draw they are pending.
    app.clock
        .set(common::default_now() + Duration::days(6) + Duration::hours(2));
    let c = common::insert_citizen(&app, &iin_n(11), "+77011234567", "ru").await;
    let jan6 = NaiveDate::from_ymd_opt(2027, 1, 6).unwrap();
    let at = "2027-01-06T10:00:00+05:00";
    let r = book(&app.state, book_input(&c, psc, at), Lang::Ru).await;
    assert_eq!(code_of(r), "draw_pending");
    // One draw opens for the days not yet covered, once, however many
    // passes run.
    assert_eq!(admin::release_pass(&app.state).await.unwrap(), 1);
    assert_eq!(admin::release_pass(&app.state).await.unwrap(), 0);
    let listed = views::list(&app.state, Some(psc), Some(jan6))
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    let draw_id: i64 = listed[0].id.parse().unwrap();
    assert_eq!(
        listed[0].dates.first().map(String::as_str),
        Some("2027-01-01")
    );
    assert_eq!(
        listed[0].dates.last().map(String::as_str),
        Some("2027-01-06")
    );
    requests::submit(
        &app.state,
        request(
            &c,
            draw_id,
            vec![choice(psc, "2027-01-06", Some("10:00"), Some("10:00"))],
        ),
        Lang::Ru,
    )
    .await
    .unwrap();
    app.clock
        .set(common::default_now() + Duration::days(6) + Duration::hours(3));
    let report = run::run_due(&app.state).await.unwrap();
    assert_eq!((report.draws_finished, report.matched), (1, 1));
    // Drawn days are first-come afterwards.
    let d = common::insert_citizen(&app, &iin_n(12), "+77011234567", "ru").await;
    let r = book(
        &app.state,
        book_input(&d, psc, "2027-01-06T11:00:00+05:00"),
        Lang::Ru,
    )
    .await;
    assert_eq!(code_of(r), "ok");
    // Back to first-come: nothing is pending any more.
    admin::set_release(&app.state, psc, "first_come", None, None)
        .await
        .unwrap();
    assert!(
        kezek_core::service::draws::gate::draw_block(
            &app.state.db,
            psc,
            NaiveDate::from_ymd_opt(2027, 1, 8).unwrap()
        )
        .await
        .unwrap()
        .is_none()
    );
    app.stop().await;
}
