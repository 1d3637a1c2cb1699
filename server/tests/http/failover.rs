//! The database going away under a running server, as a failover looks from
//! an app node (PostgreSQL only; SQLite has no connection to lose):
//! requests in flight and new ones are answered 503 `unavailable` with
//! `Retry-After`, never a 500 or a wrong answer; `/healthz` says 503; the
//! pool recovers by itself once the database answers again; a client that
//! retries with its `Idempotency-Key` ends with exactly one booking.
//! scripts/chaos.sh does the same against a real Patroni cluster.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::common;
use common::{TestApp, TestDb, client, sign_in};
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// A TCP relay in front of PostgreSQL that can drop every connection at
/// once and refuse new ones (a dead primary), then let them through again.
struct Relay {
    addr: String,
    up: Arc<AtomicBool>,
    cuts: Arc<watch::Sender<u64>>,
    task: tokio::task::JoinHandle<()>,
}

impl Relay {
    async fn start(upstream: String) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let up = Arc::new(AtomicBool::new(true));
        let cuts = Arc::new(watch::channel(0u64).0);
        let (up2, cuts2) = (up.clone(), cuts.clone());
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else {
                    continue;
                };
                // Subscribe before looking at `up`: a cut after this
                // point reaches the connection.
                let mut cut = cuts2.subscribe();
                if !up2.load(Ordering::SeqCst) {
                    continue; // dropped: the client sees the connection close
                }
                let upstream = upstream.clone();
                tokio::spawn(async move {
                    let Ok(mut outbound) = TcpStream::connect(&upstream).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                        _ = cut.changed() => {}
                    }
                });
            }
        });
        Relay {
            addr,
            up,
            cuts,
            task,
        }
    }

    /// Every open connection dies; new ones are closed at once.
    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        self.cuts.send_modify(|n| *n += 1);
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// (status, body, Retry-After) of a booking request with an idempotency key.
async fn book(app: &TestApp, token: &str, key: &str, start: &str) -> (u16, Value, Option<String>) {
    let r = client()
        .post(app.url("/api/v1/bookings"))
        .header("accept-language", "en")
        .header("idempotency-key", key)
        .bearer_auth(token)
        .json(&json!({"center_id": "1", "service": "ID_CARD", "start": start}))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let retry = r
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, r.json().await.unwrap_or(Value::Null), retry)
}

async fn status_of(app: &TestApp, path: &str) -> u16 {
    client()
        .get(app.url(path))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// `unavailable` as API.md says it: 503, the code, `Retry-After: 5`.
fn assert_unavailable(what: &str, (status, body, retry): &(u16, Value, Option<String>)) {
    assert_eq!(
        (*status, body["error"].as_str(), retry.as_deref()),
        (503, Some("unavailable"), Some("5")),
        "{what}: {body}"
    );
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{what}: {body}"
    );
}

/// The free starts of center 1's ID cards on Wednesday and Thursday, one
/// entry per free place.
async fn places(app: &TestApp) -> Vec<String> {
    let (st, slots) = app
        .get_json(
            "/api/v1/availability?center_id=1&service=ID_CARD&from=2026-12-02&to=2026-12-03",
            "en",
        )
        .await;
    assert_eq!(st, 200, "{slots}");
    slots
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| {
            let n = s["free"].as_u64().unwrap_or(0) as usize;
            std::iter::repeat_n(s["start"].as_str().unwrap().to_owned(), n)
        })
        .collect()
}

/// The citizen's active bookings (ids).
async fn active_ids(app: &TestApp, token: &str) -> Vec<String> {
    let (st, list) = app.get_auth("/api/v1/bookings", token).await;
    assert_eq!(st, 200, "{list}");
    list.as_array()
        .unwrap()
        .iter()
        .filter(|b| matches!(b["status"].as_str(), Some("Booked" | "CheckedIn")))
        .map(|b| b["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_lost_mid_request_is_503_then_the_pool_recovers() {
    let db = TestDb::new().await;
    let Some(pg) = db.pg_addr() else {
        eprintln!("skipped on SQLite: there is no database connection to lose");
        db.cleanup().await;
        return;
    };
    let relay = Relay::start(pg).await;
    let url = db.url_via(&relay.addr).unwrap();
    let app = TestApp::spawn_via(
        db,
        &url,
        &["--dev", "--seed-demo", "--db-acquire-timeout", "2"],
    )
    .await;
    const N: u32 = 12;
    let mut tokens = Vec::new();
    for n in 0..N {
        tokens.push(sign_in(&app.base, 700 + n).await);
    }
    let places = places(&app).await;
    assert!(places.len() >= N as usize, "{places:?}");
    assert_eq!(status_of(&app, "/healthz").await, 200);

    // A burst of bookings; the database goes away while they run. Citizen
    // 0's booking is made to wait inside its transaction (its row is
    // locked), so at least one request is mid-transaction at the cut.
    let held = app.db.lock_citizen(&common::iin_n(700)).await.unwrap();
    let app = Arc::new(app);
    let mut burst = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let (app, token, start) = (app.clone(), token.clone(), places[i].clone());
        burst.push(tokio::spawn(async move {
            book(&app, &token, &format!("failover-{i}"), &start).await
        }));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    relay.cut();
    let mut first = Vec::new();
    for (i, t) in burst.into_iter().enumerate() {
        let answer = t.await.unwrap();
        match answer.0 {
            201 => {}
            _ => assert_unavailable(&format!("booking {i} in the burst"), &answer),
        }
        first.push(answer);
    }
    held.release().await;
    assert_eq!(
        first[0].0, 503,
        "the booking cut mid-transaction: {}",
        first[0].1
    );
    let booked = first.iter().filter(|a| a.0 == 201).count();
    eprintln!(
        "burst: {booked} booked before the cut, {} told unavailable",
        first.len() - booked
    );

    // While it is away: writes, reads and the health check all say so, in
    // about the acquire timeout (2 s here), not the client's patience.
    let t = Instant::now();
    let after = book(&app, &tokens[0], "failover-late", &places[N as usize - 1]).await;
    assert_unavailable("a booking while the database is away", &after);
    assert!(t.elapsed() < Duration::from_secs(8), "{:?}", t.elapsed());
    let (st, body) = app
        .get_json(
            "/api/v1/availability?center_id=1&service=ID_CARD&from=2026-12-02&to=2026-12-02",
            "en",
        )
        .await;
    assert_eq!(
        (st, body["error"].as_str()),
        (503, Some("unavailable")),
        "{body}"
    );
    assert_eq!(status_of(&app, "/healthz").await, 503);

    // Back: the same pool serves again without a restart.
    relay.restore();
    let deadline = Instant::now() + Duration::from_secs(20);
    while status_of(&app, "/healthz").await != 200 {
        assert!(
            Instant::now() < deadline,
            "the pool did not recover in 20 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Every client retries with its key: one booking each, the one a 201
    // already named where there was one.
    for (i, token) in tokens.iter().enumerate() {
        let again = book(&app, token, &format!("failover-{i}"), &places[i]).await;
        assert_eq!(again.0, 201, "retry {i}: {}", again.1);
        let id = again.1["id"].as_str().unwrap().to_owned();
        if first[i].0 == 201 {
            assert_eq!(first[i].1["id"].as_str(), Some(id.as_str()), "retry {i}");
        }
        assert_eq!(active_ids(&app, token).await, vec![id], "citizen {i}");
    }
    let app = Arc::try_unwrap(app).ok().unwrap();
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_database_refuses_writes_with_503_and_still_reads() {
    let app = TestApp::spawn_with(&["--dev", "--seed-demo", "--db-acquire-timeout", "2"]).await;
    if !app.db.is_postgres() {
        eprintln!("skipped on SQLite: it has no standby to fail over to");
        app.stop().await;
        return;
    }
    let token = sign_in(&app.base, 720).await;
    let start = places(&app).await.remove(0);

    // A demoted primary (or a standby the router still points at).
    app.db.fail_over_to(true).await;
    let refused = book(&app, &token, "ro-1", &start).await;
    assert_unavailable("a booking on a read-only database", &refused);
    assert_eq!(places(&app).await.first(), Some(&start), "reads go on");

    // The new primary takes writes; the retry books once.
    app.db.fail_over_to(false).await;
    let booked = book(&app, &token, "ro-1", &start).await;
    assert_eq!(booked.0, 201, "{}", booked.1);
    let id = booked.1["id"].as_str().unwrap().to_owned();
    assert_eq!(active_ids(&app, &token).await, vec![id]);
    app.stop().await;
}
