//! R6 across citizens (review L7): one vehicle has at most one active
//! booking even when its seller and, after a sale recorded meanwhile, its
//! buyer book at the same moment at two centers. PostgreSQL only: on
//! SQLite the write lock already decides one booking after the other.
use crate::common;

use std::time::Duration;

use common::{TestApp, center_id, insert_citizen};
use kezek_core::error::ServiceError;
use kezek_core::service::booking::create::{BookInput, book};
use kezek_core::service::vehicles::import_csv;
use kezek_domain::ids::{CenterId, CitizenId};
use kezek_domain::iin::Iin;
use kezek_domain::refusal::Refusal;
use kezek_i18n::Lang;

const SELLER: &str = "710313311868";
const BUYER: &str = "980212383137";
const START: &str = "2026-12-02T10:00:00+05:00";

fn input(citizen_id: i64, iin: &Iin, center: i64) -> BookInput {
    BookInput {
        citizen_id: CitizenId::new(citizen_id),
        iin: *iin,
        center_id: CenterId::new(center),
        service: "VEH_REREG".into(),
        start: START.into(),
        vehicle: Some("555AAA02".into()),
        idempotency_key: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seller_and_buyer_racing_book_one_vehicle_once() {
    let app = TestApp::spawn().await;
    if !app.db.is_postgres() {
        eprintln!("skipped on SQLite: its single writer cannot interleave two bookings");
        app.stop().await;
        return;
    }
    let (seller, seller_iin) = insert_citizen(&app, SELLER, "+77010000101", "ru").await;
    let (buyer, buyer_iin) = insert_citizen(&app, BUYER, "+77010000102", "ru").await;
    let vehicle =
        |owner: &str| format!("plate,vin,owner_iin\n555AAA02,1HGCM82633A004352,{owner}\n");
    import_csv(&app.state, &vehicle(SELLER)).await.unwrap();
    let (astana, almaty) = (
        center_id(&app, "ast-auto").await,
        center_id(&app, "alm-auto").await,
    );
    let start = chrono::DateTime::parse_from_rfc3339(START)
        .unwrap()
        .timestamp();

    // The seller's booking passes its checks, then waits for its window.
    let held = app.db.hold_center_start(astana, start).await.unwrap();
    let state = app.state.clone();
    let first =
        tokio::spawn(
            async move { book(&state, input(seller, &seller_iin, astana), Lang::En).await },
        );
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Meanwhile the sale is recorded and the buyer books at another center.
    import_csv(&app.state, &vehicle(BUYER)).await.unwrap();
    let state = app.state.clone();
    let second =
        tokio::spawn(async move { book(&state, input(buyer, &buyer_iin, almaty), Lang::En).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    held.release().await;

    let first = first.await.unwrap().map(|b| b.booking.id);
    let second = second.await.unwrap().map(|b| b.booking.id);
    assert!(first.is_ok(), "the seller was first: {first:?}");
    assert!(
        matches!(
            second,
            Err(ServiceError::Refused(Refusal::VehicleAlreadyBooked))
        ),
        "the buyer must see the seller's booking: {second:?}"
    );
    app.stop().await;
}
