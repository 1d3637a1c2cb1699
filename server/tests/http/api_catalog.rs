//! The catalog over a real socket (`/api/v1/centers`, `/api/v1/services`)
//! and a snapshot of the OpenAPI document.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;

use std::collections::BTreeSet;

use common::TestApp;
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn centers_are_listed_by_kind_and_city_in_the_callers_language() {
    let app = TestApp::spawn().await;
    let (st, all) = app.get_json("/api/v1/centers", "en").await;
    assert_eq!(st, 200);
    let all = all.as_array().unwrap().clone();
    assert_eq!(all.len(), 8);
    for c in &all {
        let keys: BTreeSet<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            BTreeSet::from(["id", "kind", "name", "city", "address", "timezone"]),
            "{c}"
        );
        assert!(c["id"].is_string());
        assert!(matches!(c["kind"].as_str(), Some("Psc" | "AutoPsc")));
    }
    let (_, auto) = app.get_json("/api/v1/centers?kind=AutoPsc", "en").await;
    let auto = auto.as_array().unwrap();
    assert!(!auto.is_empty() && auto.iter().all(|c| c["kind"] == "AutoPsc"));
    let (_, astana) = app
        .get_json("/api/v1/centers?city=astana&kind=Psc", "en")
        .await;
    let astana = astana.as_array().unwrap();
    assert_eq!(astana.len(), 2, "{astana:?}");
    assert!(
        astana
            .iter()
            .all(|c| c["city"] == "Astana" && c["kind"] == "Psc")
    );
    let (_, none) = app.get_json("/api/v1/centers?city=Paris", "en").await;
    assert_eq!(none.as_array().map(Vec::len), Some(0));

    // Names and addresses by Accept-Language; default Russian.
    let first = |v: &Value| v[0]["name"].as_str().unwrap().to_owned();
    let (_, kk) = app.get_json("/api/v1/centers", "kk-KZ,kk;q=0.9").await;
    let (_, ru) = app.get_json("/api/v1/centers", "de").await;
    assert_eq!(first(&all.clone().into()), "PSC of Yesil district");
    assert_eq!(first(&kk), "Есіл ауданының ХҚО");
    assert_eq!(first(&ru), "ЦОН района Есиль");

    for bad in ["psc", "Bank", "%00"] {
        let (st, body) = app
            .get_json(&format!("/api/v1/centers?kind={bad}"), "en")
            .await;
        assert_eq!(
            (st, body["error"].as_str()),
            (422, Some("bad_request")),
            "{bad}"
        );
    }
    let (st, _) = app
        .get_json(&format!("/api/v1/centers?city={}", "x".repeat(8_000)), "en")
        .await;
    assert!((200..500).contains(&st) && st != 500, "{st}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn services_are_listed_with_their_flags() {
    let app = TestApp::spawn().await;
    let (st, all) = app.get_json("/api/v1/services", "ru").await;
    assert_eq!(st, 200);
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 23);
    for s in all {
        for k in ["code", "name", "center_kind", "group"] {
            assert!(s[k].is_string(), "{k}: {s}");
        }
        assert!(s["online_available"].is_boolean() && s["requires_vehicle"].is_boolean());
        assert!(matches!(
            s["group"].as_str(),
            Some("Documentation" | "Other")
        ));
    }
    assert!(all.iter().any(|s| s["online_available"] == true));
    let (_, auto) = app
        .get_json("/api/v1/services?center_kind=AutoPsc", "en")
        .await;
    let auto = auto.as_array().unwrap();
    assert!(!auto.is_empty());
    assert!(auto.iter().all(|s| s["center_kind"] == "AutoPsc"));
    assert!(auto.iter().any(|s| s["requires_vehicle"] == true));
    let (_, psc) = app.get_json("/api/v1/services?center_kind=Psc", "en").await;
    assert_eq!(psc.as_array().unwrap().len() + auto.len(), all.len());
    let (_, kk) = app.get_json("/api/v1/services?center_kind=Psc", "kk").await;
    assert_ne!(kk[0]["name"], psc[0]["name"]);
    let (st, body) = app
        .get_json("/api/v1/services?center_kind=Both", "en")
        .await;
    assert_eq!((st, body["error"].as_str()), (422, Some("bad_request")));
    app.stop().await;
}

/// The public fairness figures: JSON and CSV without sign-in, the page
/// links both; a calendar look shows up once the looks job has run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fairness_figures_are_public_as_json_csv_and_a_page() {
    let app = TestApp::spawn().await;
    // Wednesday 2 December.
    app.clock
        .set(kezek_core::testing::default_now() + chrono::Duration::days(1));
    let psc = common::center_id(&app, "ast-psc-yesil").await;
    let (st, _) = app
        .get_json(
            &format!(
                "/api/v1/availability?center_id={psc}&service=ID_CARD&from=2026-12-02&to=2026-12-31"
            ),
            "en",
        )
        .await;
    assert_eq!(st, 200);
    app::server::service::reports::looks::flush(&app.state)
        .await
        .unwrap();
    let (st, f) = app.get_json("/api/v1/fairness", "en").await;
    assert_eq!(st, 200, "{f}");
    assert_eq!(f["to"], "2026-12-02");
    assert_eq!(f["from"], "2026-11-03");
    let centers = f["centers"].as_array().unwrap();
    let pid = psc.to_string();
    let row = centers
        .iter()
        .find(|r| r["center_id"] == pid.as_str())
        .unwrap();
    assert_eq!(row["looks"], 1);
    assert_eq!(row["days_median"], 0);
    assert!(!f["regions"].as_array().unwrap().is_empty());
    for r in centers {
        assert!(r.get("citizen_id").is_none() && r.get("iin").is_none());
    }

    let r = common::client()
        .get(app.url("/fairness.csv"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = r.text().await.unwrap();
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("scope,region,city,center_id,name,")
    );
    let n = csv.lines().count();
    assert_eq!(
        n,
        1 + f["regions"].as_array().unwrap().len() + centers.len(),
        "{csv}"
    );

    let r = common::client()
        .get(app.url("/fairness"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("Fair access"), "{html}");
    assert!(html.contains("href=\"/fairness.csv\""));
    assert!(html.contains("data-testid=\"fair-days-chart\""));
    app.stop().await;
}

/// Every `$ref` in `v` names something in `doc`.
fn check_refs(doc: &Value, v: &Value) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                let ptr = r.strip_prefix('#').unwrap();
                assert!(doc.pointer(ptr).is_some(), "dangling $ref {r}");
            }
            m.values().for_each(|x| check_refs(doc, x));
        }
        Value::Array(a) => a.iter().for_each(|x| check_refs(doc, x)),
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_lists_every_endpoint() {
    let app = TestApp::spawn().await;
    let (st, doc) = app.get_json("/api/v1/openapi.json", "en").await;
    assert_eq!(st, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert_eq!(doc["servers"][0]["url"], "/api/v1");
    let mut ops = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{method} {path} has no responses"
            );
            ops.insert(format!("{} {path}", method.to_uppercase()));
        }
    }
    let expected: BTreeSet<String> = [
        "POST /auth/otp",
        "POST /auth/verify",
        "POST /auth/logout",
        "GET /account",
        "POST /account/whatsapp",
        "GET /dev/outbox",
        "GET /centers",
        "GET /services",
        "GET /fairness",
        "GET /availability",
        "POST /bookings",
        "GET /bookings",
        "GET /bookings/{id}",
        "POST /bookings/{id}/reschedule",
        "POST /bookings/{id}/cancel",
        "POST /staff/login",
        "POST /staff/checkin",
        "POST /staff/windows/{window_id}/call-next",
        "POST /staff/bookings/{id}/start",
        "POST /staff/bookings/{id}/served",
        "POST /staff/bookings/{id}/no-show",
        "POST /admin/vehicles",
        "POST /admin/phones",
        "GET /draws",
        "GET /draws/{id}",
        "POST /draw-requests",
        "GET /draw-requests",
        "POST /draw-requests/{id}/withdraw",
        "POST /admin/draws",
        "GET /admin/centers/{id}/release",
        "PUT /admin/centers/{id}/release",
        "POST /waitlist",
        "GET /waitlist",
        "POST /waitlist/{id}/leave",
        "GET /openapi.json",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(ops, expected);
    check_refs(&doc, &doc);
    let codes: BTreeSet<&str> =
        doc["components"]["schemas"]["Error"]["properties"]["error"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
    for c in [
        "slot_full",
        "ten_day_rule",
        "not_vehicle_owner",
        "unauthorized",
        "forbidden",
        "not_found",
        "bad_request",
        "rate_limited",
    ] {
        assert!(codes.contains(c), "{c}");
    }
    let too_many = &doc["components"]["responses"]["TooManyRequests"];
    assert!(too_many["headers"]["Retry-After"].is_object());
    app.stop().await;
}

/// The document equals the checked-in `docs/openapi.json` (pretty JSON, a
/// trailing newline). `KEZEK_UPDATE_OPENAPI=1` rewrites the file instead.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_document_is_checked_in() {
    let app = TestApp::spawn().await;
    let (st, doc) = app.get_json("/api/v1/openapi.json", "en").await;
    app.stop().await;
    assert_eq!(st, 200);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/openapi.json");
    let pretty = format!("{}\n", serde_json::to_string_pretty(&doc).unwrap());
    if std::env::var("KEZEK_UPDATE_OPENAPI").is_ok_and(|v| v == "1") {
        std::fs::write(&path, pretty).unwrap();
        return;
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == pretty,
        "docs/openapi.json is not the served document; rerun with KEZEK_UPDATE_OPENAPI=1 \
         and review the diff"
    );
}

/// The `Error` schema names every code, and every operation with a JSON
/// body documents its body failures (400, 413, 415, 422); every error
/// answer is a reusable response.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_documents_every_error_code_and_body_failure() {
    let app = TestApp::spawn().await;
    let (_, doc) = app.get_json("/api/v1/openapi.json", "en").await;
    app.stop().await;
    let codes: BTreeSet<&str> =
        doc["components"]["schemas"]["Error"]["properties"]["error"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
    let all: BTreeSet<&str> = kezek_wire::ErrorCode::ALL
        .iter()
        .map(|c| c.as_str())
        .collect();
    assert_eq!(codes, all);
    let mut with_body = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let responses = op["responses"].as_object().unwrap();
            for (status, r) in responses {
                if status.starts_with('4') {
                    assert!(
                        r["$ref"]
                            .as_str()
                            .is_some_and(|r| r.starts_with("#/components/responses/")),
                        "{method} {path} {status} is not a reusable response"
                    );
                }
            }
            if op["requestBody"]["content"]["application/json"].is_object() {
                with_body += 1;
                for status in ["400", "413", "415", "422"] {
                    assert!(
                        responses.contains_key(status),
                        "{method} {path} has a JSON body but no {status}"
                    );
                }
            }
        }
    }
    assert_eq!(with_body, 11);
}
