//! Security checks over real sockets: IDOR on every id-taking endpoint,
//! role escalation, CSRF (server functions and cookie-authenticated POSTs),
//! OTP brute force and send flooding, session fixation, cookie flags,
//! security headers, and no IIN or phone number in the logs. Runs on
//! SQLite, or on PostgreSQL when KEZEK_TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::{TestApp, TestDb, client, iin_n};
use reqwest::header::{COOKIE, SET_COOKIE};
use serde_json::{Value, json};

/// Wednesday 2 December 2026, 10:00 in Astana (the test clock is Tuesday).
const WED_10: &str = "2026-12-02T10:00:00+05:00";
const WED_11: &str = "2026-12-02T11:00:00+05:00";
const STAFF_PW: &str = "kezek-demo";

fn phone(n: u32) -> String {
    format!("+7701{:07}", 5_000_000 + n)
}

async fn citizen(app: &TestApp, n: u32) -> String {
    app.citizen_token(&iin_n(n), &phone(n)).await
}

/// Books center 1 / ID_CARD at `start`; returns the booking.
async fn book(app: &TestApp, token: &str, start: &str) -> Value {
    let (st, b) = app
        .post_json(
            "/api/v1/bookings",
            &json!({"center_id": "1", "service": "ID_CARD", "start": start}),
            Some(token),
        )
        .await;
    assert_eq!(st, 201, "{b}");
    b
}

/// (status, body) of a request with a bearer token.
async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut r = client()
        .request(method, app.url(path))
        .header("accept-language", "en")
        .bearer_auth(token);
    if let Some(b) = body {
        r = r.json(&b);
    }
    let r = r.send().await.unwrap();
    let st = r.status().as_u16();
    (st, r.json().await.unwrap_or(Value::Null))
}

async fn status_of_booking(app: &TestApp, token: &str, id: &str) -> (String, String) {
    let (st, b) = send(
        app,
        reqwest::Method::GET,
        &format!("/api/v1/bookings/{id}"),
        token,
        None,
    )
    .await;
    assert_eq!(st, 200, "{b}");
    (
        b["status"].as_str().unwrap().to_owned(),
        b["start"].as_str().unwrap().to_owned(),
    )
}

/// A server function call as an HTML form would make it.
async fn sfn_form(
    app: &TestApp,
    endpoint: &str,
    form: &[(&str, &str)],
    cookie: Option<&str>,
    site: Option<(&str, &str)>,
) -> u16 {
    let mut r = client()
        .post(app.url(&format!("/sfn/{endpoint}")))
        .header("accept-language", "en")
        .form(form);
    if let Some(c) = cookie {
        r = r.header(COOKIE, format!("kezek_session={c}"));
    }
    if let Some((origin, fetch_site)) = site {
        r = r
            .header("origin", origin)
            .header("sec-fetch-site", fetch_site);
    }
    r.send().await.unwrap().status().as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idor_another_citizens_booking_is_404_on_every_endpoint() {
    let app = TestApp::spawn().await;
    let owner = citizen(&app, 1).await;
    let other = citizen(&app, 2).await;
    let b = book(&app, &owner, WED_10).await;
    let id = b["id"].as_str().unwrap();
    use reqwest::Method;
    for (method, path, body) in [
        (Method::GET, format!("/api/v1/bookings/{id}"), None),
        (
            Method::POST,
            format!("/api/v1/bookings/{id}/reschedule"),
            Some(json!({"start": WED_11})),
        ),
        (Method::POST, format!("/api/v1/bookings/{id}/cancel"), None),
        (Method::GET, format!("/my/{id}/booking.ics"), None),
    ] {
        let (st, body) = send(&app, method.clone(), &path, &other, body).await;
        assert_eq!(st, 404, "{method} {path}: {body}");
    }
    // The same through the web app's server functions (cookie session).
    for (endpoint, form) in [
        ("my_booking", vec![("id", id)]),
        ("cancel_visit", vec![("id", id)]),
        ("reschedule_visit", vec![("id", id), ("start", WED_11)]),
    ] {
        let st = sfn_form(&app, endpoint, &form, Some(&other), None).await;
        assert_eq!(st, 404, "/sfn/{endpoint}");
    }
    // The other citizen's list does not show it; the owner's booking is
    // untouched.
    let (st, list) = send(&app, Method::GET, "/api/v1/bookings", &other, None).await;
    assert_eq!((st, list.as_array().map(Vec::len)), (200, Some(0)));
    assert_eq!(
        status_of_booking(&app, &owner, id).await,
        ("Booked".to_owned(), WED_10.to_owned())
    );
    // Ids that name nothing are 404 too, never 500.
    for bad in ["999999", "-1", "abc", "1%00"] {
        let (st, _) = send(
            &app,
            Method::GET,
            &format!("/api/v1/bookings/{bad}"),
            &other,
            None,
        )
        .await;
        assert_eq!(st, 404, "{bad}");
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_of_another_center_is_403_on_its_bookings_and_windows() {
    let app = TestApp::spawn().await;
    let owner = citizen(&app, 3).await;
    let b = book(&app, &owner, WED_10).await;
    let (id, code) = (b["id"].as_str().unwrap(), b["code"].as_str().unwrap());
    // Center 2's operator and admin against center 1.
    for who in ["ast-psc-saryarka-op1", "ast-psc-saryarka-admin"] {
        let staff = app.staff_token(who, STAFF_PW).await;
        use reqwest::Method;
        let (st, body) = send(
            &app,
            Method::POST,
            "/api/v1/staff/checkin",
            &staff,
            Some(json!({"code": code})),
        )
        .await;
        assert_eq!(st, 403, "{who} checkin: {body}");
        for action in ["start", "served", "no-show"] {
            let path = format!("/api/v1/staff/bookings/{id}/{action}");
            let (st, body) = send(&app, Method::POST, &path, &staff, None).await;
            assert_eq!(st, 403, "{who} {path}: {body}");
        }
        // Window 1 belongs to center 1.
        let (st, body) = send(
            &app,
            Method::POST,
            "/api/v1/staff/windows/1/call-next",
            &staff,
            None,
        )
        .await;
        assert_eq!(st, 403, "{who} call-next: {body}");
    }
    assert_eq!(status_of_booking(&app, &owner, id).await.0, "Booked");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_cannot_be_escalated() {
    let app = TestApp::spawn().await;
    let owner = citizen(&app, 4).await;
    let b = book(&app, &owner, WED_10).await;
    let id = b["id"].as_str().unwrap();
    let operator = app.staff_token("ast-psc-yesil-op1", STAFF_PW).await;
    let center_admin = app.staff_token("ast-psc-yesil-admin", STAFF_PW).await;
    use reqwest::Method;
    // A citizen on staff and admin endpoints.
    for (path, body) in [
        (
            "/api/v1/staff/checkin".to_owned(),
            Some(json!({"code": b["code"]})),
        ),
        ("/api/v1/staff/windows/1/call-next".to_owned(), None),
        (format!("/api/v1/staff/bookings/{id}/start"), None),
        (format!("/api/v1/staff/bookings/{id}/served"), None),
        (format!("/api/v1/staff/bookings/{id}/no-show"), None),
    ] {
        let (st, body) = send(&app, Method::POST, &path, &owner, body).await;
        assert_eq!(st, 403, "citizen {path}: {body}");
        assert_eq!(body["error"], "forbidden");
    }
    let csv = "plate,vin,owner_iin\n999ZZZ01,XTA21700080999999,710313311868\n";
    for (who, token) in [
        ("citizen", &owner),
        ("operator", &operator),
        ("center admin", &center_admin),
    ] {
        let r = client()
            .post(app.url("/api/v1/admin/vehicles"))
            .bearer_auth(token)
            .header("content-type", "text/csv")
            .body(csv)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{who} on admin import");
    }
    // Staff tokens are not citizen sessions.
    for token in [&operator, &center_admin] {
        let (st, _) = send(
            &app,
            Method::POST,
            "/api/v1/bookings",
            token,
            Some(json!({"center_id": "1", "service": "ID_CARD", "start": WED_11})),
        )
        .await;
        assert_eq!(st, 403);
        let (st, _) = send(
            &app,
            Method::GET,
            &format!("/api/v1/bookings/{id}"),
            token,
            None,
        )
        .await;
        assert_eq!(st, 403);
    }
    // An operator of window 1 cannot drive window 2's queue.
    let (st, body) = send(
        &app,
        Method::POST,
        "/api/v1/staff/windows/2/call-next",
        &operator,
        None,
    )
    .await;
    assert_eq!(st, 403, "operator of window 1 on window 2: {body}");
    app.stop().await;
}

/// Signs in over the API; returns (token, Set-Cookie header).
async fn sign_in_with_cookie(app: &TestApp, n: u32, planted: Option<&str>) -> (String, String) {
    let (iin, phone) = (iin_n(n), phone(n));
    let (st, body) = app
        .post_json(
            "/api/v1/auth/otp",
            &json!({"iin": iin, "phone": phone}),
            None,
        )
        .await;
    assert_eq!(st, 202, "{body}");
    let challenge = body["challenge_id"].as_str().unwrap().to_owned();
    let code = app.last_code(&phone).await;
    let mut r = client()
        .post(app.url("/api/v1/auth/verify"))
        .json(&json!({"challenge_id": challenge, "code": code}));
    if let Some(p) = planted {
        r = r.header(COOKIE, format!("kezek_session={p}"));
    }
    let r = r.send().await.unwrap();
    assert_eq!(r.status(), 200);
    let cookie = r.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    let body: Value = r.json().await.unwrap();
    (body["token"].as_str().unwrap().to_owned(), cookie)
}

/// `POST /api/v1/bookings` authenticated by the session cookie only.
async fn cookie_book(
    app: &TestApp,
    token: &str,
    site: Option<(&str, &str)>,
    start: &str,
) -> reqwest::Response {
    let mut r = client()
        .post(app.url("/api/v1/bookings"))
        .header(COOKIE, format!("kezek_session={token}"))
        .json(&json!({"center_id": "1", "service": "ID_CARD", "start": start}));
    if let Some((o, s)) = site {
        r = r.header("origin", o).header("sec-fetch-site", s);
    }
    r.send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csrf_cross_site_posts_with_the_session_cookie_are_refused() {
    let app = TestApp::spawn().await;
    let (token, set_cookie) = sign_in_with_cookie(&app, 5, None).await;
    // The cookie: HttpOnly, SameSite=Lax, whole site, not Secure without TLS.
    let attrs: Vec<&str> = set_cookie.split(';').map(str::trim).collect();
    assert_eq!(attrs[0], format!("kezek_session={token}"));
    for want in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(attrs.contains(&want), "{set_cookie}");
    }
    assert!(!attrs.contains(&"Secure"), "{set_cookie}");
    let evil = Some(("https://evil.example", "cross-site"));
    // Cookie-authenticated JSON POST from another site: 403 forbidden.
    let r = cookie_book(&app, &token, evil, WED_10).await;
    assert_eq!(r.status(), 403);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "forbidden");
    // Without Sec-Fetch-Site (older browsers), the Origin decides.
    let r = cookie_book(
        &app,
        &token,
        Some(("https://evil.example", "same-site")),
        WED_10,
    )
    .await;
    assert_eq!(r.status(), 403);
    // A form POST to a state-changing server function from another site.
    let st = sfn_form(
        &app,
        "book_visit",
        &[
            ("center_id", "1"),
            ("service", "ID_CARD"),
            ("start", WED_10),
        ],
        Some(&token),
        evil,
    )
    .await;
    assert_eq!(st, 403, "cross-site /sfn/book_visit");
    // Nothing was booked.
    let (st, list) = send(&app, reqwest::Method::GET, "/api/v1/bookings", &token, None).await;
    assert_eq!((st, list.as_array().map(Vec::len)), (200, Some(0)));
    // Login CSRF: a cross-site server-function sign-in is refused too.
    let st = sfn_form(
        &app,
        "verify_code",
        &[("challenge_id", "x"), ("code", "123456")],
        None,
        evil,
    )
    .await;
    assert_eq!(st, 403, "cross-site /sfn/verify_code");

    // Positive controls: the same requests from the site itself pass.
    let same = app.base.as_str();
    let r = cookie_book(&app, &token, Some((same, "same-origin")), WED_10).await;
    assert_eq!(r.status(), 201);
    let booked: Value = r.json().await.unwrap();
    let id = booked["id"].as_str().unwrap().to_owned();
    // Bearer-token API calls are allowed from any origin (no cookie).
    let r = client()
        .post(app.url(&format!("/api/v1/bookings/{id}/reschedule")))
        .bearer_auth(&token)
        .header("origin", "https://other-client.example")
        .header("sec-fetch-site", "cross-site")
        .json(&json!({"start": WED_11}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // A cross-site cancel through the server function is refused; the
    // booking stays.
    let st = sfn_form(&app, "cancel_visit", &[("id", &id)], Some(&token), evil).await;
    assert_eq!(st, 403);
    assert_eq!(status_of_booking(&app, &token, &id).await.0, "Booked");
    let st = sfn_form(
        &app,
        "cancel_visit",
        &[("id", &id)],
        Some(&token),
        Some((same, "same-origin")),
    )
    .await;
    assert!(st < 400, "same-origin /sfn/cancel_visit: {st}");
    assert_eq!(status_of_booking(&app, &token, &id).await.0, "Cancelled");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_wrong_codes_burn_the_challenge() {
    let app = TestApp::spawn().await;
    let (iin, phone) = (iin_n(6), phone(6));
    let (_, body) = app
        .post_json(
            "/api/v1/auth/otp",
            &json!({"iin": iin, "phone": phone}),
            None,
        )
        .await;
    let challenge = body["challenge_id"].as_str().unwrap().to_owned();
    let good = app.last_code(&phone).await;
    let wrong = if good == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        let (st, body) = app
            .post_json(
                "/api/v1/auth/verify",
                &json!({"challenge_id": challenge, "code": wrong}),
                None,
            )
            .await;
        assert_eq!((st, body["error"].as_str()), (422, Some("invalid_code")));
    }
    // The right code no longer works: the challenge is spent.
    let (st, body) = app
        .post_json(
            "/api/v1/auth/verify",
            &json!({"challenge_id": challenge, "code": good}),
            None,
        )
        .await;
    assert_eq!(
        (st, body["error"].as_str()),
        (422, Some("code_expired")),
        "{body}"
    );
    assert!(body.get("token").is_none());
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_flooding_is_429_with_retry_after() {
    // Not dev mode: 5 codes per phone per hour, 10 sign-in requests per
    // address per minute.
    let app = TestApp::spawn_served(&["--seed-demo", "--auth-rate-per-minute", "10"]).await;
    // R11: the pair must be registered (no binding on first use here).
    let csv = format!("iin,phone\n{},{}\n", iin_n(7), phone(7));
    app::server::service::phones::import_csv(&app.state, &csv, false)
        .await
        .unwrap();
    let mut statuses = Vec::new();
    let mut retry = None;
    for _ in 0..6 {
        let r = client()
            .post(app.url("/api/v1/auth/otp"))
            .json(&json!({"iin": iin_n(7), "phone": phone(7)}))
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
        retry = r
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_owned());
    }
    assert_eq!(statuses, [202, 202, 202, 202, 202, 429]);
    assert!(retry.is_some_and(|s| s.parse::<u64>().unwrap() > 0));
    // Other pairs from the same address (unregistered: 422, still
    // counted): the per-address limit (10/min).
    let mut last = 0;
    for n in 0..5 {
        let r = client()
            .post(app.url("/api/v1/auth/otp"))
            .json(&json!({"iin": iin_n(100 + n), "phone": phone(100 + n)}))
            .send()
            .await
            .unwrap();
        last = r.status().as_u16();
        if last == 429 {
            let secs: u64 = r.headers()["retry-after"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!((1..=60).contains(&secs));
            break;
        }
    }
    assert_eq!(last, 429, "the address limit did not hold");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_fixation_planted_cookies_are_never_accepted() {
    let app = TestApp::spawn().await;
    // A cookie value the server never issued is not a session.
    let planted = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    for path in ["/api/v1/bookings"] {
        let r = client()
            .get(app.url(path))
            .header(COOKIE, format!("kezek_session={planted}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "{path}");
    }
    // Signing in while carrying the planted value issues a fresh token,
    // and the planted value still authenticates nothing.
    let (token, set_cookie) = sign_in_with_cookie(&app, 8, Some(planted)).await;
    assert_ne!(token, planted);
    assert!(set_cookie.starts_with(&format!("kezek_session={token};")));
    assert!(token.len() >= 32);
    let r = client()
        .get(app.url("/api/v1/bookings"))
        .header(COOKIE, format!("kezek_session={planted}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    // Each sign-in gets its own token; signing out ends only that one.
    let (token2, _) = sign_in_with_cookie(&app, 8, Some(&token)).await;
    assert_ne!(token, token2);
    let r = client()
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let (st, _) = send(&app, reqwest::Method::GET, "/api/v1/bookings", &token, None).await;
    assert_eq!(st, 401);
    let (st, _) = send(
        &app,
        reqwest::Method::GET,
        "/api/v1/bookings",
        &token2,
        None,
    )
    .await;
    assert_eq!(st, 200);
    app.stop().await;
}

async fn headers_of(app: &TestApp, path: &str) -> reqwest::header::HeaderMap {
    client()
        .get(app.url(path))
        .send()
        .await
        .unwrap()
        .headers()
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_headers_and_hsts_only_with_tls() {
    let app = TestApp::spawn().await;
    for path in ["/", "/api/v1/centers", "/healthz", "/api/v1/no-such"] {
        let h = headers_of(&app, path).await;
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("object-src 'none'"), "{path}: {csp}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert!(h.get("strict-transport-security").is_none(), "{path}");
        assert!(!csp.contains("'unsafe-inline' 'wasm"), "{path}: {csp}");
        let scripts = csp
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap();
        assert!(!scripts.contains("unsafe-inline"), "{path}: {csp}");
    }
    // Pages: inline scripts only with this response's nonce, a new one
    // every time.
    let mut seen = Vec::new();
    for path in ["/", "/book?kind=Psc", "/staff/sign-in", "/"] {
        let r = client().get(app.url(path)).send().await.unwrap();
        let csp = r.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        let body = r.text().await.unwrap();
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|t| t.split('\'').next())
            .unwrap_or_else(|| panic!("{path}: no nonce in {csp}"))
            .to_owned();
        let inline = body.matches("<script").count();
        assert!(inline > 0, "{path}");
        assert_eq!(
            body.matches(&format!("nonce=\"{nonce}\"")).count(),
            inline,
            "{path}: every <script> carries the nonce"
        );
        assert!(!seen.contains(&nonce), "{path}: nonce reused");
        seen.push(nonce);
    }
    app.stop().await;

    let app = TestApp::spawn_with(&["--dev", "--seed-demo", "--tls"]).await;
    for path in ["/", "/api/v1/centers"] {
        let h = headers_of(&app, path).await;
        let hsts = h["strict-transport-security"].to_str().unwrap();
        assert!(hsts.contains("max-age=31536000"), "{path}: {hsts}");
    }
    let (token, set_cookie) = sign_in_with_cookie(&app, 9, None).await;
    let attrs: Vec<&str> = set_cookie.split(';').map(str::trim).collect();
    assert!(
        set_cookie.starts_with("__Host-kezek_session="),
        "{set_cookie}"
    );
    for want in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
        assert!(attrs.contains(&want), "{set_cookie}");
    }
    // Over TLS only the __Host- cookie is a session: a plain one (which a
    // sibling subdomain could plant) is not.
    for (name, want) in [("__Host-kezek_session", 200), ("kezek_session", 401)] {
        let r = client()
            .get(app.url("/api/v1/bookings"))
            .header(COOKIE, format!("{name}={token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), want, "{name}");
    }
    app.stop().await;
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_iin_or_phone_in_the_logs() {
    let db = TestDb::new().await;
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("server.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kezek"))
        .args([
            "--database-url",
            &db.url,
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--dev",
            "--seed-demo",
            "--admin-password",
            "log-test-pw",
            "--site-root",
            "target/site",
        ])
        .env("RUST_LOG", "debug")
        .stdout(Stdio::from(log.try_clone().unwrap()))
        .stderr(Stdio::from(log))
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let mut up = false;
    for _ in 0..300 {
        if let Ok(r) = client().get(format!("{base}/healthz")).send().await
            && r.status() == 200
        {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(up, "server did not start");
    let (iin, phone) = (iin_n(4242), "+77019876543");
    let c = client();
    // Sign in (with one wrong code), book, read, move, cancel; then a
    // refused sign-in with a bad IIN and a bad phone.
    let r: Value = c
        .post(format!("{base}/api/v1/auth/otp"))
        .json(&json!({"iin": iin, "phone": phone}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let challenge = r["challenge_id"].as_str().unwrap().to_owned();
    let out: Value = c
        .get(format!("{base}/api/v1/dev/outbox"))
        .query(&[("to", phone)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let code: String = out[0]["body"]
        .as_str()
        .unwrap()
        .split(|ch: char| !ch.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap()
        .to_owned();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let _ = c
        .post(format!("{base}/api/v1/auth/verify"))
        .json(&json!({"challenge_id": challenge, "code": wrong}))
        .send()
        .await
        .unwrap();
    let r: Value = c
        .post(format!("{base}/api/v1/auth/verify"))
        .json(&json!({"challenge_id": challenge, "code": code}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = r["token"].as_str().unwrap().to_owned();
    // A start three working days ahead at 10:00 (real clock).
    let avail: Value = c
        .get(format!("{base}/api/v1/availability"))
        .query(&[
            ("center_id", "1"),
            ("service", "ID_CARD"),
            (
                "from",
                &(chrono::Utc::now() + chrono::Duration::days(2))
                    .date_naive()
                    .to_string(),
            ),
            (
                "to",
                &(chrono::Utc::now() + chrono::Duration::days(9))
                    .date_naive()
                    .to_string(),
            ),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let starts: Vec<String> = avail
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["start"].as_str().unwrap().to_owned())
        .collect();
    assert!(starts.len() >= 2, "{avail}");
    let b: Value = c
        .post(format!("{base}/api/v1/bookings"))
        .bearer_auth(&token)
        .json(&json!({"center_id": "1", "service": "ID_CARD", "start": starts[0]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = b["id"].as_str().unwrap().to_owned();
    for (path, body) in [
        (
            format!("/api/v1/bookings/{id}/reschedule"),
            json!({"start": starts[1]}),
        ),
        (format!("/api/v1/bookings/{id}/cancel"), json!({})),
    ] {
        let r = c
            .post(format!("{base}{path}"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{path}");
    }
    let r = c
        .get(format!("{base}/api/v1/bookings/{id}"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    for bad in [
        json!({"iin": &iin[..11], "phone": phone}),
        json!({"iin": iin, "phone": "+7701987654"}),
    ] {
        let _ = c
            .post(format!("{base}/api/v1/auth/otp"))
            .json(&bad)
            .send()
            .await
            .unwrap();
    }
    // Let the outbox worker deliver the notices (dev gateway), then stop.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    child.kill().unwrap();
    child.wait().unwrap();
    let text = std::fs::read_to_string(&log_path).unwrap();
    assert!(text.contains("DEBUG"), "debug logging was not on");
    let digits = phone.trim_start_matches('+');
    for (what, needle) in [
        ("IIN", iin.as_str()),
        ("IIN (first 11 digits)", &iin[..11]),
        ("phone", digits),
        ("phone (national)", &digits[1..]),
    ] {
        let hits: Vec<&str> = text
            .lines()
            .filter(|l| l.contains(needle))
            .take(3)
            .collect();
        assert!(hits.is_empty(), "{what} in the log:\n{}", hits.join("\n"));
    }
    db.cleanup().await;
}
