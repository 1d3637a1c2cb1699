//! The fairness figures (issue 15), on SQLite and — with
//! KEZEK_TEST_DATABASE_URL — PostgreSQL: calendar looks are counted and
//! added up by the looks job; bookings are split by who gave them (draw,
//! waiting list, first come); the waiting list's speed, no-shows among
//! past visits and the draws run are reported per center and region.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;

use chrono::{Duration, NaiveDate};
use common::{TestApp, center_id, iin_n};
use kezek_core::entity::{bookings, centers, look_stats};
use kezek_core::service::booking::availability::availability;
use kezek_core::service::booking::cancel::{Canceller, cancel};
use kezek_core::service::booking::create::{BookInput, book};
use kezek_core::service::draws::{admin, requests, run};
use kezek_core::service::reports::{fairness, looks};
use kezek_core::service::waitlist::{self, JoinInput};
use kezek_domain::ids::{BookingId, CenterId, CitizenId};
use kezek_i18n::Lang;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

type Citizen = (i64, kezek_domain::iin::Iin);

const THU: &str = "2026-12-03";
const THU_10: &str = "2026-12-03T10:00:00+05:00";
const FRI: &str = "2026-12-04";

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
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

async fn citizen(app: &TestApp, n: u32) -> Citizen {
    common::insert_citizen(app, &iin_n(n), "+77011234567", "ru").await
}

/// A visit on a past day, as the desk left it.
async fn past_visit(app: &TestApp, c: &Citizen, center: i64, status: &str, code: &str) {
    let created = chrono::DateTime::parse_from_rfc3339("2026-11-25T12:00:00+05:00")
        .unwrap()
        .timestamp();
    let start = chrono::DateTime::parse_from_rfc3339("2026-12-01T10:00:00+05:00")
        .unwrap()
        .timestamp();
    bookings::ActiveModel {
        code: Set(code.into()),
        citizen_id: Set(c.0),
        center_id: Set(center),
        center_kind: Set("Psc".into()),
        service_code: Set("ID_CARD".into()),
        grp: Set("Documentation".into()),
        window_id: Set(common::window_id(app, center, 1).await),
        start_at: Set(start),
        end_at: Set(start + 900),
        local_date: Set("2026-12-01".into()),
        status: Set(status.into()),
        reschedule_count: Set(0),
        priority: Set(false),
        walk_in: Set(false),
        created_at: Set(created),
        updated_at: Set(created),
        ..Default::default()
    }
    .insert(&app.state.db)
    .await
    .unwrap();
}

#[tokio::test]
async fn looks_bookings_waiting_list_no_shows_and_draws_add_up_per_center_and_region() {
    let app = TestApp::spawn().await;
    // Wednesday 2 December, 09:00.
    app.clock.set(common::default_now() + Duration::days(1));
    let psc = center_id(&app, "ast-psc-yesil").await;
    let center = CenterId::new(psc);
    let today = day("2026-12-02");
    let last = today + Duration::days(30);

    // Looks: only answers that say where the first free start is count.
    availability(&app.state, center, "ID_CARD", today, last)
        .await
        .unwrap();
    availability(&app.state, center, "ID_CARD", today, today)
        .await
        .unwrap();
    availability(&app.state, center, "ID_CARD", day(THU), day(FRI))
        .await
        .unwrap();
    assert_eq!(looks::flush(&app.state).await.unwrap(), 2);
    assert_eq!(looks::flush(&app.state).await.unwrap(), 0, "nothing left");
    availability(&app.state, center, "ID_CARD", today, last)
        .await
        .unwrap();
    assert_eq!(looks::flush(&app.state).await.unwrap(), 1);
    let stored = look_stats::Entity::find()
        .filter(look_stats::Column::CenterId.eq(psc))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(
        (
            stored[0].local_date.as_str(),
            stored[0].days_ahead,
            stored[0].looks
        ),
        ("2026-12-02", 0, 3),
        "a second flush adds to the same row"
    );

    // First come: every place at Thursday 10:00.
    let free = availability(&app.state, center, "ID_CARD", day(THU), day(THU))
        .await
        .unwrap()
        .iter()
        .find(|s| s.start == THU_10)
        .map(|s| s.free)
        .unwrap();
    let mut holders = Vec::new();
    for i in 0..free {
        let c = citizen(&app, 300 + i).await;
        let b = book(&app.state, book_input(&c, psc, THU_10), Lang::Ru)
            .await
            .unwrap();
        holders.push((c, b.booking.id.parse::<i64>().unwrap()));
    }
    // The waiting list: one entry for Thursday 10:00, served 90 minutes
    // later when a holder cancels.
    let w = citizen(&app, 400).await;
    waitlist::join(
        &app.state,
        JoinInput {
            citizen_id: CitizenId::new(w.0),
            iin: w.1,
            service: "ID_CARD".into(),
            center_id: Some(center),
            city: None,
            from: THU.into(),
            to: THU.into(),
            time_from: Some("10:00".into()),
            time_to: Some("10:00".into()),
            booking_id: None,
            vehicle: None,
        },
        Lang::Ru,
    )
    .await
    .unwrap();
    // A draw over Friday with one request.
    let draw = admin::create(&app.state, &[psc], &[day(FRI)], Some(30))
        .await
        .unwrap();
    let d = citizen(&app, 401).await;
    requests::submit(
        &app.state,
        requests::RequestInput {
            citizen_id: CitizenId::new(d.0),
            iin: d.1,
            draw_id: draw.id.parse().unwrap(),
            service: "ID_CARD".into(),
            choices: vec![requests::ChoiceInput {
                center_id: Some(psc),
                date: FRI.into(),
                time_from: None,
                time_to: None,
            }],
            vehicle: None,
        },
        Lang::Ru,
    )
    .await
    .unwrap();
    app.clock
        .set(common::default_now() + Duration::days(1) + Duration::minutes(90));
    let (h, bid) = &holders[0];
    cancel(
        &app.state,
        BookingId::new(*bid),
        Canceller::Citizen(CitizenId::new(h.0)),
        Lang::Ru,
    )
    .await
    .unwrap();
    assert_eq!(run::run_due(&app.state).await.unwrap().matched, 1);
    // Past visits: one served, one no-show.
    let p = citizen(&app, 402).await;
    past_visit(&app, &p, psc, "Served", "PASTA1").await;
    let q = citizen(&app, 403).await;
    past_visit(&app, &q, psc, "NoShow", "PASTB2").await;

    let f = fairness::compute(&app.state, None, day("2026-11-03"), today, Lang::En)
        .await
        .unwrap();
    assert_eq!(
        (f.from.as_str(), f.to.as_str()),
        ("2026-11-03", "2026-12-02")
    );
    let row = f
        .centers
        .iter()
        .find(|r| r.center_id.as_deref() == Some(psc.to_string().as_str()))
        .unwrap();
    let booked = free + 1 + 1 + 2;
    assert_eq!(row.looks, 3);
    assert_eq!((row.days_median, row.days_p90), (Some(0), Some(0)));
    assert_eq!(row.booked, booked, "the cancelled booking still counts");
    assert_eq!((row.via_draw, row.via_waitlist), (1, 1));
    assert_eq!(row.first_come, booked - 2);
    assert_eq!(row.waitlist_served, 1);
    assert_eq!(row.waitlist_median_min, Some(90));
    assert_eq!((row.past_visits, row.no_shows), (2, 1));
    assert_eq!(row.no_show_pct(), Some(50.0));
    assert_eq!(row.draws, 1);
    // The region adds its centers up.
    let region = centers::Entity::find_by_id(psc)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .region;
    let reg = f.regions.iter().find(|r| r.name == region).unwrap();
    assert_eq!(reg.center_id, None);
    assert_eq!((reg.booked, reg.via_draw, reg.via_waitlist), (booked, 1, 1));
    assert_eq!(reg.looks, 3);
    // Names read in the page's language; the region key stays as stored.
    let ru = fairness::compute(&app.state, None, day("2026-11-03"), today, Lang::Ru)
        .await
        .unwrap();
    let reg_ru = ru.regions.iter().find(|r| r.region == region).unwrap();
    assert_eq!(
        (region.as_str(), reg_ru.name.as_str()),
        ("Astana", "Астана")
    );
    assert!(ru.centers.iter().all(|c| c.city != "Astana"));
    // Other centers: nothing yet, and no figure without looks.
    let other = f
        .centers
        .iter()
        .find(|r| r.center_id.as_deref() != Some(psc.to_string().as_str()))
        .unwrap();
    assert_eq!((other.looks, other.days_median, other.booked), (0, None, 0));
    // The draw's record: no personal data, its tallies.
    assert_eq!(f.draws.len(), 1);
    assert_eq!(f.draws[0].id, draw.id);
    assert_eq!(f.draws[0].dates, vec![FRI.to_owned()]);
    assert_eq!((f.draws[0].requests, f.draws[0].matched), (1, 1));
    assert_eq!(f.draws[0].centers, vec![row.name.clone()]);

    // One center only (the staff report's row), and a period before any
    // of it: all zero.
    let one = fairness::compute(&app.state, Some(psc), day("2026-11-03"), today, Lang::Ru)
        .await
        .unwrap();
    assert_eq!(one.centers.len(), 1);
    assert_eq!(one.centers[0].booked, booked);
    let before = fairness::compute(
        &app.state,
        Some(psc),
        day("2026-10-01"),
        day("2026-10-30"),
        Lang::Ru,
    )
    .await
    .unwrap();
    assert_eq!(before.centers[0].booked, 0);
    assert_eq!(before.centers[0].looks, 0);
    assert!(before.draws.is_empty());

    // The public figures: the last 30 days, cached.
    let a = fairness::public(&app.state, Lang::Ru).await.unwrap();
    assert_eq!(
        (a.from.as_str(), a.to.as_str()),
        ("2026-11-03", "2026-12-02")
    );
    let b = fairness::public(&app.state, Lang::Ru).await.unwrap();
    assert!(std::sync::Arc::ptr_eq(&a, &b), "reused within the TTL");
    app.stop().await;
}
