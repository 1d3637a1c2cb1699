//! Vehicle registry import over a real socket (`POST /api/v1/admin/vehicles`)
//! and the `import-vehicles` command; the registry adapter reads what was
//! imported.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;

use app::domain::vehicle::VehicleRef;
use app::server::entity::vehicles;
use clap::Parser;
use common::{TestApp, client};
use serde_json::Value;

const SELLER: &str = "710313311868";
const BUYER: &str = "980212383137";

async fn post_csv(app: &TestApp, token: Option<&str>, ctype: &str, body: &str) -> (u16, Value) {
    let mut req = client()
        .post(app.url("/api/v1/admin/vehicles"))
        .header("content-type", ctype)
        .header("accept-language", "en")
        .body(body.to_owned());
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.unwrap();
    let st = r.status().as_u16();
    (st, r.json().await.unwrap_or(Value::Null))
}

async fn table(app: &TestApp) -> Vec<vehicles::Model> {
    {
        let mut v: Vec<_> = kezek_core::testing::rows::<vehicles::Entity>(&app.state.db)
            .await
            .into_iter()
            .collect();
        v.sort_by(|a, b| a.vin.cmp(&b.vin));
        v
    }
    .into_iter()
    .collect::<Vec<_>>()
}

async fn owner(app: &TestApp, named: &str) -> Option<String> {
    let v = VehicleRef::parse(named).unwrap();
    app.state
        .registry
        .lookup(&v)
        .await
        .unwrap()
        .map(|r| r.owner_iin.as_str().to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_upserts_by_vin_so_a_sale_changes_the_owner() {
    let app = TestApp::spawn().await;
    let admin = app.staff_token("admin", "test-admin-pw").await;
    let before = table(&app).await.len();
    let csv = "plate,vin,owner_iin\n\
               555 ааа 02,1hgcm82633a004352,710313311868\r\n\
               \n\
               321KZ01,JH4KA7561PC008269,980212383137\n";
    let (st, body) = post_csv(&app, Some(&admin), "text/csv; charset=utf-8", csv).await;
    assert_eq!(st, 200, "{body}");
    assert_eq!(body, serde_json::json!({"imported": 2}));
    assert_eq!(table(&app).await.len(), before + 2);
    // Normalized, and found by plate or VIN through the registry adapter.
    assert_eq!(owner(&app, "555AAA02").await.as_deref(), Some(SELLER));
    assert_eq!(
        owner(&app, "1HGCM82633A004352").await.as_deref(),
        Some(SELLER)
    );
    assert_eq!(owner(&app, "999ZZZ99").await, None);

    // A recorded sale: same VIN, new owner.
    let sale = format!("plate,vin,owner_iin\n555AAA02,1HGCM82633A004352,{BUYER}\n");
    let (st, body) = post_csv(&app, Some(&admin), "text/csv", &sale).await;
    assert_eq!((st, body["imported"].as_u64()), (200, Some(1)));
    assert_eq!(owner(&app, "555 AAA 02").await.as_deref(), Some(BUYER));
    assert_eq!(table(&app).await.len(), before + 2);

    // Header only: nothing to do.
    let (st, body) = post_csv(&app, Some(&admin), "text/csv", "plate,vin,owner_iin\n").await;
    assert_eq!((st, body["imported"].as_u64()), (200, Some(0)));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_row_rejects_the_whole_file_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.staff_token("admin", "test-admin-pw").await;
    let before = table(&app).await;
    let good = format!("111ABC02,1HGCM82633A004352,{SELLER}\n123ABC01,XTA21700080123456,{BUYER}\n");
    for (bad_line, line) in [
        ("12,JH4KA7561PC008269,710313311868", 4),
        ("321KZ01,JH4KA7561PC00826O,710313311868", 4),
        ("321KZ01,JH4KA7561PC008269,710313311869", 4),
        ("321KZ01,JH4KA7561PC008269", 4),
        ("321KZ01,JH4KA7561PC008269,7103133118\u{0}8", 4),
        ("321KZ01,JH4KA7561PC008269,710313311868,extra", 4),
    ] {
        let csv = format!("plate,vin,owner_iin\n{good}{bad_line}\n");
        let (st, body) = post_csv(&app, Some(&admin), "text/csv", &csv).await;
        assert_eq!(
            (st, body["error"].as_str()),
            (422, Some("bad_request")),
            "{bad_line:?}"
        );
        let msg = body["message"].as_str().unwrap();
        assert!(msg.contains(&format!("Line {line}")), "{msg}");
    }
    for (csv, what) in [
        ("", "empty"),
        ("vin,plate,owner_iin\n", "header"),
        (&"x".repeat(10_000), "garbage"),
    ] {
        let (st, body) = post_csv(&app, Some(&admin), "text/csv", csv).await;
        assert_eq!(
            (st, body["error"].as_str()),
            (422, Some("bad_request")),
            "{what}"
        );
        assert!(
            body["message"].as_str().unwrap().contains("Line 1"),
            "{what}"
        );
    }
    // Not UTF-8.
    let r = client()
        .post(app.url("/api/v1/admin/vehicles"))
        .bearer_auth(&admin)
        .header("content-type", "text/csv")
        .body(b"plate,vin,owner_iin\n\xff\xfe,\x00,\x01\n".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    // Wrong content type.
    let (st, body) = post_csv(&app, Some(&admin), "application/json", "{}").await;
    assert_eq!(
        (st, body["error"].as_str()),
        (415, Some("unsupported_media_type"))
    );
    // Too large (the limit is 32 MiB).
    let big = format!("plate,vin,owner_iin\n{}", "a".repeat(33 * 1024 * 1024));
    let (st, body) = post_csv(&app, Some(&admin), "text/csv", &big).await;
    assert_eq!(
        (st, body["error"].as_str()),
        (413, Some("payload_too_large"))
    );

    assert_eq!(
        table(&app).await,
        before,
        "a rejected file changed the registry"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_administrator_may_import() {
    let app = TestApp::spawn().await;
    let csv = format!("plate,vin,owner_iin\n111ABC02,1HGCM82633A004352,{SELLER}\n");
    let before = table(&app).await;
    let (st, body) = post_csv(&app, None, "text/csv", &csv).await;
    assert_eq!((st, body["error"].as_str()), (401, Some("unauthorized")));
    let citizen = app.citizen_token(SELLER, "+77011234567").await;
    let (st, body) = post_csv(&app, Some(&citizen), "text/csv", &csv).await;
    assert_eq!((st, body["error"].as_str()), (403, Some("forbidden")));
    for user in ["ast-psc-yesil-admin", "ast-psc-yesil-op1"] {
        let t = app
            .staff_token(user, app::server::seed::DEMO_STAFF_PASSWORD)
            .await;
        let (st, body) = post_csv(&app, Some(&t), "text/csv", &csv).await;
        assert_eq!(
            (st, body["error"].as_str()),
            (403, Some("forbidden")),
            "{user}"
        );
    }
    assert_eq!(table(&app).await, before);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_imports_with_the_same_use_case() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        format!("plate,vin,owner_iin\n001AAA02,KMHCT41BP7U123456,{BUYER}\n"),
    )
    .unwrap();
    let cli = |file: &std::path::Path| {
        server::cli::Cli::parse_from([
            "kezek",
            "--database-url",
            &app.db.url,
            "import-vehicles",
            file.to_str().unwrap(),
        ])
    };
    let c = cli(&good);
    let Some(server::cli::Command::ImportVehicles { file }) = c.command.clone() else {
        panic!("subcommand not parsed")
    };
    server::import_vehicles(&c, &file).await.unwrap();
    assert_eq!(owner(&app, "001AAA02").await.as_deref(), Some(BUYER));

    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "plate,vin,owner_iin\n001AAA02,KMHCT41BP7U123456,1\n").unwrap();
    let before = table(&app).await;
    let err = server::import_vehicles(&cli(&bad), &bad).await.unwrap_err();
    assert!(err.to_string().contains("Line 2"), "{err}");
    assert_eq!(table(&app).await, before);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_http_registry_stub_fails_loudly() {
    use app::server::service::vehicles::{HttpRegistry, VehicleRegistry};
    let r = HttpRegistry::new("http://registry.invalid");
    let v = VehicleRef::parse("123ABC01").unwrap();
    assert!(r.lookup(&v).await.is_err());
    assert_eq!(r.name(), "http");
}
