//! Staff sign-in and roles over a real socket (`/api/v1/staff/login`).
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;
use app::domain::ids::{CenterId, WindowId};

use app::server::entity::staff;
use common::{TestApp, client};
use serde_json::json;

const DEMO_PW: &str = app::server::seed::DEMO_STAFF_PASSWORD;

async fn row(app: &TestApp, username: &str) -> staff::Model {
    kezek_core::testing::rows::<staff::Entity>(&app.state.db)
        .await
        .into_iter()
        .find(|r| r.username == username)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_signs_in_and_gets_its_scope() {
    let app = TestApp::spawn().await;
    let (st, admin) = app.staff_login("admin", "test-admin-pw").await;
    assert_eq!(st, 200, "{admin}");
    assert_eq!(admin["role"], "administrator");
    assert!(admin.get("center_id").is_none() && admin["token"].as_str().unwrap().len() >= 32);

    let cadmin_row = row(&app, "ast-psc-yesil-admin").await;
    let (st, cadmin) = app.staff_login("ast-psc-yesil-admin", DEMO_PW).await;
    assert_eq!(st, 200, "{cadmin}");
    assert_eq!(cadmin["role"], "center_admin");
    assert_eq!(
        cadmin["center_id"],
        cadmin_row.center_id.unwrap().to_string()
    );
    assert!(cadmin.get("window_id").is_none());

    let op_row = row(&app, "ast-psc-yesil-op1").await;
    let (st, op) = app.staff_login(" ast-psc-yesil-op1 ", DEMO_PW).await;
    assert_eq!(st, 200, "{op}");
    assert_eq!(op["role"], "operator");
    assert_eq!(op["center_id"], op_row.center_id.unwrap().to_string());
    assert_eq!(op["window_id"], op_row.window_id.unwrap().to_string());

    // The session resolves to the staff principal with its scope.
    use app::server::service::auth::session::{Principal, authenticate};
    use app::server::service::staff::{Need, StaffRole, require_role};
    let now = app.state.now().timestamp();
    let p = authenticate(&app.state.db, op["token"].as_str().unwrap(), now)
        .await
        .unwrap();
    assert_eq!(
        p,
        Principal::Staff {
            id: op_row.id,
            role: StaffRole::Operator,
            center_id: op_row.center_id.map(CenterId::new),
            window_id: op_row.window_id.map(WindowId::new),
        }
    );
    assert!(require_role(&p, Need::Operator(CenterId::new(op_row.center_id.unwrap()))).is_ok());
    assert!(
        require_role(
            &p,
            Need::CenterAdmin(CenterId::new(op_row.center_id.unwrap()))
        )
        .is_err()
    );

    // Staff sign out like citizens.
    let (st, _) = app
        .post_json("/api/v1/auth/logout", &json!({}), op["token"].as_str())
        .await;
    assert_eq!(st, 204);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_credentials_are_one_401() {
    let app = TestApp::spawn().await;
    let (st, wrong_pw) = app.staff_login("admin", "not-the-password").await;
    let (st2, no_user) = app.staff_login("nobody-here", "not-the-password").await;
    assert_eq!((st, st2), (401, 401));
    assert_eq!(wrong_pw["error"], "unauthorized");
    assert_eq!(
        wrong_pw, no_user,
        "the answer must not tell which usernames exist"
    );
    for (u, p) in [("", "x"), ("admin", ""), ("ADMIN", "test-admin-pw")] {
        let (st, body) = app.staff_login(u, p).await;
        assert_eq!(
            (st, body["error"].as_str()),
            (401, Some("unauthorized")),
            "{u:?}"
        );
    }
    for body in [
        json!({"username": "admin"}),
        json!({"username": 1, "password": 2}),
        json!([]),
    ] {
        let (st, b) = app.post_json("/api/v1/staff/login", &body, None).await;
        assert_eq!(
            (st, b["error"].as_str()),
            (422, Some("bad_request")),
            "{body}"
        );
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deactivated_account_cannot_sign_in_and_its_sessions_end() {
    let app = TestApp::spawn().await;
    let token = app.staff_token("ast-psc-yesil-admin", DEMO_PW).await;
    let m = row(&app, "ast-psc-yesil-admin").await;
    kezek_core::testing::execute(
        &app.state.db,
        &format!("UPDATE staff SET active = false WHERE id = {}", m.id),
    )
    .await;

    let (st, body) = app.staff_login("ast-psc-yesil-admin", DEMO_PW).await;
    assert_eq!((st, body["error"].as_str()), (401, Some("unauthorized")));
    let r = client()
        .post(app.url("/api/v1/admin/vehicles"))
        .bearer_auth(&token)
        .header("content-type", "text/csv")
        .body("plate,vin,owner_iin\n")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_are_checked_on_every_call() {
    let app = TestApp::spawn().await;
    for auth in [
        "Bearer ",
        "Bearer nonsense",
        "Basic YWRtaW46eA==",
        "Bearer \u{7f}",
    ] {
        let r = client()
            .post(app.url("/api/v1/auth/logout"))
            .header("authorization", auth)
            .send()
            .await;
        let Ok(r) = r else { continue }; // the client refuses some headers
        assert_eq!(r.status(), 401, "{auth:?}");
    }
    // Expired sessions are refused.
    let token = app.staff_token("admin", "test-admin-pw").await;
    app.clock
        .set(common::default_now() + chrono::Duration::seconds(13 * 3600));
    let (st, body) = app
        .post_json("/api/v1/auth/logout", &json!({}), Some(&token))
        .await;
    assert_eq!((st, body["error"].as_str()), (401, Some("unauthorized")));
    app.stop().await;
}
