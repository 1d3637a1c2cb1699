//! The national calendar's horizon (review L11): each year is generated
//! once, for the dates nobody entered — a decree day an administrator
//! enters for a future year does not keep that year's holidays out, and a
//! generated day the administrator removes stays removed; a process that
//! runs across New Year generates the year after by its periodic pass.
use crate::common;

use chrono::TimeZone;
use common::TestApp;
use kezek_core::service::admin::closure::Decision;
use kezek_core::service::admin::system::{national, save_national};
use kezek_core::service::booking::schedule::ensure_national_calendar_now;
use kezek_core::service::staff::{StaffActor, roles::StaffRole};

fn administrator() -> StaffActor {
    StaffActor {
        id: 1,
        role: StaffRole::Administrator,
        center_id: None,
        window_id: None,
    }
}

async fn days(app: &TestApp, year: i32) -> Vec<(String, String, String)> {
    national(&app.state, year)
        .await
        .unwrap()
        .into_iter()
        .map(|d| (d.date, d.kind, d.name))
        .collect()
}

async fn set(app: &TestApp, date: &str, kind: &str, name: &str) {
    save_national(
        &app.state,
        &administrator(),
        date,
        kind,
        name,
        Decision::None,
        "",
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn the_year_after_is_generated_when_the_year_turns_and_admin_entries_stay() {
    // Started 2026-12-01: 2026 and 2027 are there, 2028 is not.
    let app = TestApp::spawn().await;
    assert!(!days(&app, 2027).await.is_empty());
    assert!(days(&app, 2028).await.is_empty());

    // A decree day for 2028 entered before 2028 was generated.
    set(&app, "2028-05-04", "day_off", "Decree").await;
    assert_eq!(days(&app, 2028).await.len(), 1);

    // Still running on 1 January 2027: the periodic pass adds 2028.
    app.clock.set(
        chrono::Utc
            .with_ymd_and_hms(2026, 12, 31, 19, 30, 0)
            .unwrap(),
    );
    ensure_national_calendar_now(&app.state).await.unwrap();
    let y2028 = days(&app, 2028).await;
    let has = |date: &str, kind: &str, name: &str| {
        y2028
            .iter()
            .any(|(d, k, n)| d == date && k == kind && n == name)
    };
    assert!(
        has("2028-03-08", "day_off", "International Women's Day"),
        "{y2028:?}"
    );
    assert!(
        has("2028-12-16", "day_off", "Independence Day"),
        "{y2028:?}"
    );
    assert!(
        has("2028-05-04", "day_off", "Decree"),
        "the administrator's entry stays: {y2028:?}"
    );
    assert!(y2028.len() > 10, "{y2028:?}");

    // A generated day the administrator removes is not generated again.
    set(&app, "2028-03-08", "remove", "").await;
    ensure_national_calendar_now(&app.state).await.unwrap();
    let again = days(&app, 2028).await;
    assert!(!again.iter().any(|(d, ..)| d == "2028-03-08"), "{again:?}");
    assert_eq!(again.len(), y2028.len() - 1);
    app.stop().await;
}
