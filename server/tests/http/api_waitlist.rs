//! The waiting list over real sockets (API.md "Waiting list", DOMAIN.md
//! R13): join with its refusals, list with the rough position, the freed
//! place served in the cancelling request's transaction, leave.
use serde_json::{Value, json};

use crate::common::{self, TestApp, client, iin_n};

async fn post(app: &TestApp, path: &str, body: Option<&Value>, token: &str) -> (u16, Value) {
    let mut r = client()
        .post(app.url(path))
        .header("accept-language", "en")
        .bearer_auth(token);
    if let Some(b) = body {
        r = r.json(b);
    }
    let r = r.send().await.unwrap();
    let st = r.status().as_u16();
    (st, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_for_a_full_time_and_get_it_when_it_frees() {
    let app = TestApp::spawn().await;
    let psc = common::center_id(&app, "ast-psc-yesil").await;
    let start = "2026-12-02T10:00:00+05:00";
    let (_, slots) = app
        .get_json(
            &format!(
                "/api/v1/availability?center_id={psc}&service=ID_CARD&from=2026-12-02&to=2026-12-02"
            ),
            "en",
        )
        .await;
    let places = slots
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["start"] == start)
        .unwrap()["free"]
        .as_u64()
        .unwrap();
    let waiter = app.citizen_token(&iin_n(61), "+77010000061").await;
    let entry = json!({"service": "ID_CARD", "center_id": psc.to_string(), "from": "2026-12-02", "to": "2026-12-02", "time_from": "10:00", "time_to": "10:00"});
    // Free now: book it instead.
    let (st, e) = post(&app, "/api/v1/waitlist", Some(&entry), &waiter).await;
    assert_eq!(
        (st, e["error"].as_str()),
        (422, Some("slots_available")),
        "{e}"
    );
    let mut holders = Vec::new();
    for n in 0..places {
        let n = u32::try_from(n).unwrap();
        let t = app
            .citizen_token(&iin_n(70 + n), &format!("+7701{:07}", 70 + n))
            .await;
        let (st, b) = post(
            &app,
            "/api/v1/bookings",
            Some(&json!({"center_id": psc.to_string(), "service": "ID_CARD", "start": start})),
            &t,
        )
        .await;
        assert_eq!(st, 201, "{b}");
        holders.push((t, b["id"].as_str().unwrap().to_owned()));
    }
    // Refusals, nothing stored.
    for (bad, code) in [
        (
            json!({"service": "ID_CARD", "from": "2026-12-02", "to": "2026-12-02"}),
            "bad_request",
        ),
        (
            json!({"service": "ID_CARD", "center_id": psc, "from": "2026-12-05", "to": "2026-12-02"}),
            "bad_request",
        ),
        (
            json!({"service": "ID_CARD", "center_id": psc, "from": "2026-12-02", "to": "2027-05-01"}),
            "bad_request",
        ),
        (
            json!({"service": "ID_CARD", "center_id": psc, "from": "2026-12-02", "to": "2026-12-02", "time_from": "11:00", "time_to": "10:00"}),
            "bad_request",
        ),
        (
            json!({"service": "ID_CARD", "center_id": psc, "from": "2026-12-02", "to": "2026-12-02", "time_from": "22:00", "time_to": "23:00"}),
            "outside_hours",
        ),
        (
            json!({"service": "VEH_REG", "center_id": psc, "from": "2026-12-02", "to": "2026-12-02"}),
            "wrong_center_kind",
        ),
        (
            json!({"service": "ID_CARD", "center_id": "999999", "from": "2026-12-02", "to": "2026-12-02"}),
            "not_found",
        ),
    ] {
        let (st, e) = post(&app, "/api/v1/waitlist", Some(&bad), &waiter).await;
        assert_eq!(e["error"].as_str(), Some(code), "{bad}: {e}");
        assert!(st == 422 || st == 404, "{st}");
    }
    let (_, mine) = app.get_auth("/api/v1/waitlist", &waiter).await;
    assert_eq!(mine, json!([]));
    let (st, joined) = post(&app, "/api/v1/waitlist", Some(&entry), &waiter).await;
    assert_eq!(st, 201, "{joined}");
    assert_eq!(
        (joined["status"].as_str(), joined["ahead"].as_u64()),
        (Some("waiting"), Some(0))
    );
    let (st, e) = post(&app, "/api/v1/waitlist", Some(&entry), &waiter).await;
    assert_eq!((st, e["error"].as_str()), (422, Some("already_waiting")));
    // A staff token is not a citizen.
    let admin = app.staff_token("admin", "test-admin-pw").await;
    let (st, _) = post(&app, "/api/v1/waitlist", Some(&entry), &admin).await;
    assert_eq!(st, 403);

    // A holder cancels: the waiting citizen has the place at once.
    let (t, id) = &holders[0];
    let (st, _) = post(&app, &format!("/api/v1/bookings/{id}/cancel"), None, t).await;
    assert_eq!(st, 200);
    let (_, mine) = app.get_auth("/api/v1/waitlist", &waiter).await;
    assert_eq!(mine[0]["status"], "served", "{mine}");
    let booking = mine[0]["served_booking_id"].as_str().unwrap();
    let (st, b) = app
        .get_auth(&format!("/api/v1/bookings/{booking}"), &waiter)
        .await;
    assert_eq!((st, b["start"].as_str()), (200, Some(start)));
    // Leaving a served entry answers it as it is; another's is 404.
    let path = format!("/api/v1/waitlist/{}/leave", mine[0]["id"].as_str().unwrap());
    let (st, left) = post(&app, &path, None, &waiter).await;
    assert_eq!((st, left["status"].as_str()), (200, Some("served")));
    let (st, _) = post(&app, &path, None, &holders[1].0).await;
    assert_eq!(st, 404);
    app.stop().await;
}
