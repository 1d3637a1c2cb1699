//! Draws over real sockets (API.md "Draws", DOMAIN.md R12): the public
//! record without sign-in, requests and withdrawals by citizens, ad hoc
//! draws and release modes by the administrator only, refusals with their
//! codes, and `kezek verify-draw` agreeing with the published record.
use chrono::Duration;
use serde_json::{Value, json};

use crate::common::{self, TestApp, client, iin_n};

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    body: Option<&Value>,
    token: Option<&str>,
) -> (u16, Value) {
    let mut r = client()
        .request(method, app.url(path))
        .header("accept-language", "en");
    if let Some(b) = body {
        r = r.json(b);
    }
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    let r = r.send().await.unwrap();
    let st = r.status().as_u16();
    (st, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draw_from_opening_to_its_verified_record() {
    let app = TestApp::spawn().await;
    let psc = common::center_id(&app, "ast-psc-yesil").await;
    let admin = app.staff_token("admin", "test-admin-pw").await;
    let citizen = app.citizen_token(&iin_n(41), "+77010000041").await;
    let other = app.citizen_token(&iin_n(42), "+77010000042").await;
    let post = reqwest::Method::POST;
    let get = reqwest::Method::GET;

    // Only the administrator opens draws.
    let body =
        json!({"center_ids": [psc.to_string()], "dates": ["2026-12-02"], "window_minutes": 30});
    let (st, _) = send(&app, post.clone(), "/api/v1/admin/draws", Some(&body), None).await;
    assert_eq!(st, 401);
    let (st, e) = send(
        &app,
        post.clone(),
        "/api/v1/admin/draws",
        Some(&body),
        Some(&citizen),
    )
    .await;
    assert_eq!((st, e["error"].as_str()), (403, Some("forbidden")));
    for (bad, field) in [
        (
            json!({"center_ids": [psc], "dates": ["2026-12-02"], "window_minutes": 0}),
            "window_minutes",
        ),
        (
            json!({"center_ids": [psc], "dates": ["02.12.2026"]}),
            "dates",
        ),
        (
            json!({"center_ids": [psc], "dates": ["2027-06-01"]}),
            "last",
        ),
        (
            json!({"center_ids": [], "dates": ["2026-12-02"]}),
            "center_ids",
        ),
    ] {
        let (st, e) = send(
            &app,
            post.clone(),
            "/api/v1/admin/draws",
            Some(&bad),
            Some(&admin),
        )
        .await;
        assert_eq!(
            (st, e["error"].as_str()),
            (422, Some("bad_request")),
            "{bad}: {e}"
        );
        let _ = field;
    }
    let (st, draw) = send(
        &app,
        post.clone(),
        "/api/v1/admin/draws",
        Some(&body),
        Some(&admin),
    )
    .await;
    assert_eq!(st, 201, "{draw}");
    let id = draw["id"].as_str().unwrap().to_owned();
    assert_eq!(draw["status"], "open");
    assert!(draw["seed"].is_null());
    assert_eq!(draw["commitment"].as_str().unwrap().len(), 64);
    // The same center and date cannot be drawn twice.
    let (st, e) = send(
        &app,
        post.clone(),
        "/api/v1/admin/draws",
        Some(&body),
        Some(&admin),
    )
    .await;
    assert_eq!((st, e["error"].as_str()), (422, Some("bad_request")), "{e}");

    // Public, no sign-in: the list and the record.
    let (st, list) = app
        .get_json(
            &format!("/api/v1/draws?center_id={psc}&date=2026-12-02"),
            "en",
        )
        .await;
    assert_eq!(st, 200);
    assert_eq!(list.as_array().unwrap().len(), 1);
    let (st, _) = app.get_json("/api/v1/draws?date=tomorrow", "en").await;
    assert_eq!(st, 422);
    for missing in ["/api/v1/draws/999999", "/api/v1/draws/abc"] {
        let (st, e) = app.get_json(missing, "en").await;
        assert_eq!((st, e["error"].as_str()), (404, Some("not_found")));
    }

    // Booking the drawn date directly: draw_pending, with when it closes.
    let (st, e) = send(
        &app,
        post.clone(),
        "/api/v1/bookings",
        Some(&json!({"center_id": psc.to_string(), "service": "ID_CARD", "start": "2026-12-02T10:00:00+05:00"})),
        Some(&citizen),
    )
    .await;
    assert_eq!(
        (st, e["error"].as_str()),
        (422, Some("draw_pending")),
        "{e}"
    );
    assert!(
        e["message"].as_str().unwrap().contains("01.12.2026, 09:30"),
        "{e}"
    );

    // Requests: refusals first, nothing stored; then one each.
    let choice = json!({"center_id": psc.to_string(), "date": "2026-12-02", "time_from": "10:00", "time_to": "10:00"});
    for (bad, code) in [
        (
            json!({"draw_id": id, "service": "ID_CARD", "choices": []}),
            "bad_request",
        ),
        (
            json!({"draw_id": id, "service": "ID_CARD", "choices": [choice, choice]}),
            "bad_request",
        ),
        (
            json!({"draw_id": id, "service": "ID_CARD", "choices": [{"center_id": psc, "date": "2026-12-02", "time_from": "12:00", "time_to": "10:00"}]}),
            "bad_request",
        ),
        (
            json!({"draw_id": id, "service": "VEH_REG", "choices": [choice]}),
            "wrong_center_kind",
        ),
        (
            json!({"draw_id": "999999", "service": "ID_CARD", "choices": [choice]}),
            "not_found",
        ),
        (json!({"draw_id": id, "service": "ID_CARD"}), "bad_request"),
    ] {
        let (st, e) = send(
            &app,
            post.clone(),
            "/api/v1/draw-requests",
            Some(&bad),
            Some(&citizen),
        )
        .await;
        assert_eq!(e["error"].as_str(), Some(code), "{bad}: {e}");
        assert!(st == 422 || st == 404 || st == 400, "{st}");
    }
    let (_, mine) = app.get_auth("/api/v1/draw-requests", &citizen).await;
    assert_eq!(mine, json!([]));
    let req = json!({"draw_id": id, "service": "ID_CARD", "choices": [choice]});
    let (st, mine) = send(
        &app,
        post.clone(),
        "/api/v1/draw-requests",
        Some(&req),
        Some(&citizen),
    )
    .await;
    assert_eq!(st, 201, "{mine}");
    assert_eq!(mine["status"], "pending");
    let (st, e) = send(
        &app,
        post.clone(),
        "/api/v1/draw-requests",
        Some(&req),
        Some(&citizen),
    )
    .await;
    assert_eq!((st, e["error"].as_str()), (422, Some("already_requested")));
    let (st, theirs) = send(
        &app,
        post.clone(),
        "/api/v1/draw-requests",
        Some(&req),
        Some(&other),
    )
    .await;
    assert_eq!(st, 201);
    // Another citizen's request cannot be withdrawn by me.
    let path = format!(
        "/api/v1/draw-requests/{}/withdraw",
        theirs["id"].as_str().unwrap()
    );
    let (st, _) = send(&app, post.clone(), &path, None, Some(&citizen)).await;
    assert_eq!(st, 404);

    // The close: the draw runs (here: the job's pass, called directly).
    app.clock.set(common::default_now() + Duration::minutes(31));
    let (st, e) = send(&app, post.clone(), &path, None, Some(&other)).await;
    assert_eq!((st, e["error"].as_str()), (422, Some("draw_closed")));
    let report = app::server::service::draws::run::run_due(&app.state)
        .await
        .unwrap();
    assert_eq!(report.matched + report.unmatched, 2);
    let (st, record) = send(
        &app,
        get.clone(),
        &format!("/api/v1/draws/{id}"),
        None,
        None,
    )
    .await;
    assert_eq!(st, 200);
    assert_eq!(record["status"], "done");
    assert_eq!(record["seed"].as_str().unwrap().len(), 64);
    let requests = record["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r["position"].is_u64()));
    // No personal data in the public record.
    let text = record.to_string();
    assert!(!text.contains(&iin_n(41)) && !text.contains("+7701"));
    // My request now shows its outcome and booking.
    let (_, mine) = app.get_auth("/api/v1/draw-requests", &citizen).await;
    let mine = &mine[0];
    assert!(mine["status"] == "matched" || mine["status"] == "unmatched");
    if mine["status"] == "matched" {
        let (st, b) = app
            .get_auth(
                &format!("/api/v1/bookings/{}", mine["booking_id"].as_str().unwrap()),
                &citizen,
            )
            .await;
        assert_eq!((st, b["status"].as_str()), (200, Some("Booked")));
    }

    // `kezek verify-draw` agrees: from a file, and from the URL itself.
    let file = std::env::temp_dir().join(format!("kezek-draw-{}.json", std::process::id()));
    std::fs::write(&file, record.to_string()).unwrap();
    server::verify_draw(file.to_str().unwrap()).await.unwrap();
    server::verify_draw(&app.url(&format!("/api/v1/draws/{id}")))
        .await
        .unwrap();
    // A tampered record does not.
    let mut forged = record.clone();
    let (a, b) = (
        forged["requests"][0]["position"].clone(),
        forged["requests"][1]["position"].clone(),
    );
    forged["requests"][0]["position"] = b;
    forged["requests"][1]["position"] = a;
    std::fs::write(&file, forged.to_string()).unwrap();
    let err = server::verify_draw(file.to_str().unwrap())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("NOT VERIFIED"), "{err}");
    std::fs::remove_file(&file).ok();
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn release_modes_are_the_administrators() {
    let app = TestApp::spawn().await;
    let psc = common::center_id(&app, "ast-psc-yesil").await;
    let admin = app.staff_token("admin", "test-admin-pw").await;
    let center_admin = app
        .staff_token(
            "ast-psc-yesil-admin",
            app::server::seed::DEMO_STAFF_PASSWORD,
        )
        .await;
    let path = format!("/api/v1/admin/centers/{psc}/release");
    let (st, r) = app.get_auth(&path, &admin).await;
    assert_eq!((st, r["mode"].as_str()), (200, Some("first_come")));
    let put = reqwest::Method::PUT;
    let (st, _) = send(
        &app,
        put.clone(),
        &path,
        Some(&json!({"mode": "draw"})),
        Some(&center_admin),
    )
    .await;
    assert_eq!(st, 403);
    for bad in [
        json!({"mode": "lottery"}),
        json!({"mode": "draw", "release_time": "25:00"}),
        json!({"mode": "draw", "window_minutes": 5000}),
    ] {
        let (st, e) = send(&app, put.clone(), &path, Some(&bad), Some(&admin)).await;
        assert_eq!(
            (st, e["error"].as_str()),
            (422, Some("bad_request")),
            "{bad}"
        );
    }
    let (st, r) = send(
        &app,
        put.clone(),
        &path,
        Some(&json!({"mode": "draw", "release_time": "10:00", "window_minutes": 45})),
        Some(&admin),
    )
    .await;
    assert_eq!(st, 200, "{r}");
    assert_eq!(
        r,
        json!({"center_id": psc.to_string(), "mode": "draw", "release_time": "10:00", "window_minutes": 45, "draw_from": "2027-01-01"})
    );
    let (st, _) = send(
        &app,
        put,
        "/api/v1/admin/centers/999999/release",
        Some(&json!({"mode": "draw"})),
        Some(&admin),
    )
    .await;
    assert_eq!(st, 404);
    app.stop().await;
}
