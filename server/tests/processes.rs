//! The real `kezek` binary as separate processes: two servers on one
//! database under the same booking storm, a `kill -9` in the middle of a
//! storm followed by a restart, and a `kill -9` of both servers while a
//! draw is being run (R12: every request is still served exactly once), and
//! a change made through one process reaching a live page streaming from
//! the other (R8). Runs on SQLite, or on PostgreSQL when
//! KEZEK_TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::{Datelike, Days, NaiveDate, Utc, Weekday};
use common::{TestDb, client};
use serde_json::{Value, json};

struct Proc {
    child: Child,
    base: String,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn start(db: &TestDb, seed: bool) -> Proc {
    start_with(db, seed, &[]).await
}

#[allow(clippy::zombie_processes)] // killed and waited for in `kill9`
async fn start_with(db: &TestDb, seed: bool, env: &[(&str, &str)]) -> Proc {
    let port = free_port();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kezek"));
    cmd.args([
        "--database-url",
        &db.url,
        "--listen",
        &format!("127.0.0.1:{port}"),
        "--dev",
        "--admin-password",
        "proc-test-pw",
        "--site-root",
        "target/site",
    ]);
    if seed {
        cmd.arg("--seed-demo");
    }
    let child = cmd
        .envs(env.iter().copied())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..300 {
        if let Ok(r) = client().get(format!("{base}/healthz")).send().await
            && r.status() == 200
        {
            return Proc { child, base };
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("server did not start");
}

impl Proc {
    fn kill9(&mut self) {
        self.child.kill().unwrap(); // SIGKILL on Unix
        self.child.wait().unwrap();
    }
    fn stop(mut self) {
        self.kill9();
    }
}

/// The first working weekday at least two days ahead (real clock: the
/// binary uses the system clock).
fn booking_day() -> NaiveDate {
    let mut d = Utc::now().date_naive() + Days::new(2);
    loop {
        let off = matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
            || app::domain::calendar::NationalCalendar::generate(d.year(), &[]).is_day_off(d);
        if !off {
            return d;
        }
        d = d + Days::new(1);
    }
}

async fn book(base: &str, token: &str, start: &str) -> (u16, Value) {
    let r = client()
        .post(format!("{base}/api/v1/bookings"))
        .bearer_auth(token)
        .json(&json!({"center_id": "1", "service": "ID_CARD", "start": start}))
        .timeout(Duration::from_secs(60))
        .send()
        .await;
    match r {
        Ok(r) => {
            let s = r.status().as_u16();
            (s, r.json().await.unwrap_or(Value::Null))
        }
        Err(_) => (0, Value::Null),
    }
}

async fn count_booked(db_url: &str, start_unix: i64) -> usize {
    use app::server::entity::bookings;
    let db = app::server::db::connect(db_url).await.unwrap();
    let n = kezek_core::testing::rows::<bookings::Entity>(&db)
        .await
        .into_iter()
        .filter(|r| r.status == "Booked")
        .filter(|r| r.start_at == start_unix)
        .count();
    db.close().await.ok();
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_server_processes_never_overbook_one_slot() {
    let db = TestDb::new().await;
    let a = start(&db, true).await;
    let b = start(&db, false).await;
    let day = booking_day();
    let start_s = format!("{day}T10:00:00+05:00");
    let mut tokens = Vec::new();
    for n in 0..60 {
        let base = if n % 2 == 0 { &a.base } else { &b.base };
        tokens.push((base.clone(), common::sign_in(base, n).await));
    }
    let tasks: Vec<_> = tokens
        .into_iter()
        .map(|(base, t)| {
            let s = start_s.clone();
            tokio::spawn(async move { book(&base, &t, &s).await })
        })
        .collect();
    let mut created = 0;
    let mut full = 0;
    for t in tasks {
        let (st, body) = t.await.unwrap();
        match st {
            201 => created += 1,
            409 => {
                assert_eq!(body["error"], "slot_full");
                full += 1
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!((created, full), (3, 57));
    let unix = chrono::DateTime::parse_from_rfc3339(&start_s)
        .unwrap()
        .timestamp();
    assert_eq!(count_booked(&db.url, unix).await, 3);
    a.stop();
    b.stop();
    db.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_bookings_survive_kill_9() {
    let db = TestDb::new().await;
    let mut server = start(&db, true).await;
    let day = booking_day();
    let mut tokens = Vec::new();
    for n in 100..160 {
        tokens.push(common::sign_in(&server.base, n).await);
    }
    // 60 citizens over 10 slots of capacity 3: at most 30 can succeed. The
    // server is killed once a few bookings have been acknowledged.
    let acks = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let tasks: Vec<_> = tokens
        .into_iter()
        .enumerate()
        .map(|(i, t)| {
            let base = server.base.clone();
            let s = format!(
                "{day}T{:02}:{:02}:00+05:00",
                10 + (i % 10) / 4,
                15 * ((i % 10) % 4)
            );
            let acks = acks.clone();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(i as u64 * 4)).await;
                let r = book(&base, &t, &s).await;
                if r.0 == 201 {
                    acks.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
                r
            })
        })
        .collect();
    for _ in 0..2000 {
        if acks.load(std::sync::atomic::Ordering::SeqCst) >= 5 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    server.kill9();
    let mut acked = Vec::new();
    let mut cut_off = 0;
    for t in tasks {
        let (st, body) = t.await.unwrap();
        match st {
            201 => acked.push(body["id"].as_str().unwrap().to_owned()),
            0 => cut_off += 1,
            _ => {}
        }
    }
    eprintln!(
        "kill -9 storm: {} acknowledged, {cut_off} cut off",
        acked.len()
    );
    // The kill really happened in the middle of the storm.
    assert!(cut_off > 0, "no request was cut off by the kill");
    let server = start(&db, false).await;
    // Every acknowledged booking is there, once, and Booked.
    use app::server::entity::{booking_slots, bookings};
    let conn = app::server::db::connect(&db.url).await.unwrap();
    for id in &acked {
        let b = kezek_core::testing::row::<bookings::Entity, _>(&conn, id.parse::<i64>().unwrap())
            .await
            .expect("acknowledged booking lost");
        assert_eq!(b.status, "Booked");
    }
    // No slot over capacity: 3 windows serve ID_CARD, the key holds.
    let all = kezek_core::testing::rows::<bookings::Entity>(&conn)
        .await
        .into_iter()
        .collect::<Vec<_>>();
    let mut per_start = std::collections::HashMap::new();
    for b in all.iter().filter(|b| b.status == "Booked") {
        *per_start.entry(b.start_at).or_insert(0) += 1;
    }
    assert!(per_start.values().all(|n| *n <= 3), "{per_start:?}");
    // Every stored booking holds its slot and nothing else is held.
    let held = kezek_core::testing::count::<booking_slots::Entity>(&conn).await;
    assert_eq!(
        held as usize,
        all.iter().filter(|b| b.status == "Booked").count()
    );
    conn.close().await.ok();
    server.stop();
    db.cleanup().await;
}

/// R12 under crashes: two servers run the draw job; both are killed with
/// SIGKILL while a draw is being served, one is restarted and finishes it.
/// Every request ends matched or unmatched exactly once, with one booking
/// per match and one outcome notice per request, and the public record
/// still verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_draw_run_killed_midway_serves_each_request_exactly_once() {
    use app::server::entity::{booking_history, bookings, draw_requests, draws, outbox};
    const N: u32 = 120;
    let db = TestDb::new().await;
    let mut a = start(&db, true).await;
    let mut b = start(&db, false).await;
    let day = booking_day();
    let admin: Value = client()
        .post(format!("{}/api/v1/staff/login", a.base))
        .json(&json!({"username": "admin", "password": "proc-test-pw"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let admin = admin["token"].as_str().unwrap().to_owned();
    let draw: Value = client()
        .post(format!("{}/api/v1/admin/draws", a.base))
        .bearer_auth(&admin)
        .json(&json!({"center_ids": ["1"], "dates": [day.to_string()], "window_minutes": 30}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let draw_id = draw["id"].as_str().expect("draw opened").to_owned();
    // N citizens, half through each server, one request each for the
    // morning of that day (fewer places than requests).
    let mut tasks = Vec::new();
    for n in 0..N {
        let base = if n % 2 == 0 {
            a.base.clone()
        } else {
            b.base.clone()
        };
        let draw_id = draw_id.clone();
        tasks.push(tokio::spawn(async move {
            let t = common::sign_in(&base, 400 + n).await;
            let choice = json!({"center_id": "1", "date": day.to_string(), "time_from": "09:00", "time_to": "11:00"});
            client()
                .post(format!("{base}/api/v1/draw-requests"))
                .bearer_auth(&t)
                .json(&json!({"draw_id": draw_id, "service": "ID_CARD", "choices": [choice]}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 201);
    }
    // Close it now (instead of waiting 30 minutes); both servers' draw
    // jobs pick it up within one interval.
    let conn = app::server::db::connect(&db.url).await.unwrap();
    let id: i64 = draw_id.parse().unwrap();
    kezek_core::testing::execute(
        &conn,
        &format!(
            "UPDATE draws SET closes_at = {} WHERE id = {id}",
            Utc::now().timestamp() - 1
        ),
    )
    .await;
    let decided = |conn| async move {
        kezek_core::testing::rows::<draw_requests::Entity>(&conn)
            .await
            .into_iter()
            .filter(|r| r.draw_id == id)
            .filter(|r| ["matched", "unmatched"].contains(&r.status.as_str()))
            .count()
    };
    let mut at_kill = 0;
    for _ in 0..30_000 {
        at_kill = decided(conn.clone()).await;
        if at_kill > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    a.kill9();
    b.kill9();
    let after_kill = decided(conn.clone()).await;
    eprintln!("draw run killed with {at_kill}..{after_kill} of {N} requests decided");
    assert!(at_kill > 0, "the run never started");
    assert!(
        after_kill < usize::try_from(N).unwrap(),
        "the run finished before the kill; nothing was proven"
    );
    // A restart finishes the run.
    let c = start(&db, false).await;
    let mut done = false;
    for _ in 0..600 {
        let d = kezek_core::testing::row::<draws::Entity, _>(&conn, id)
            .await
            .unwrap();
        if d.status == "done" {
            done = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(done, "the restarted server did not finish the draw");
    let reqs = kezek_core::testing::rows::<draw_requests::Entity>(&conn)
        .await
        .into_iter()
        .filter(|r| r.draw_id == id)
        .collect::<Vec<_>>();
    assert_eq!(reqs.len(), N as usize);
    assert!(
        reqs.iter()
            .all(|r| r.status == "matched" || r.status == "unmatched")
    );
    let matched: Vec<_> = reqs.iter().filter(|r| r.status == "matched").collect();
    assert!(!matched.is_empty() && matched.len() < N as usize);
    // One booking per match, none without one, each the requester's.
    let mut ids: Vec<i64> = matched.iter().map(|r| r.booking_id.unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), matched.len());
    let by_draw = kezek_core::testing::rows::<booking_history::Entity>(&conn)
        .await
        .into_iter()
        .filter(|r| r.actor == "draw")
        .count();
    assert_eq!(by_draw as usize, matched.len(), "a request served twice");
    for r in &matched {
        let bk = kezek_core::testing::row::<bookings::Entity, _>(&conn, r.booking_id.unwrap())
            .await
            .unwrap();
        assert_eq!(
            (bk.citizen_id, bk.status.as_str()),
            (r.citizen_id, "Booked")
        );
    }
    // One outcome notice per request (by SMS): the booking's notice for a
    // match, "no time this time" otherwise.
    for r in &reqs {
        let told = match r.booking_id {
            Some(bid) => kezek_core::testing::rows::<outbox::Entity>(&conn)
                .await
                .into_iter()
                .filter(|r| r.booking_id == Some(bid))
                .filter(|r| r.channel == "sms")
                .count(),
            None => {
                let c = kezek_core::testing::row::<app::server::entity::citizens::Entity, _>(
                    &conn,
                    r.citizen_id,
                )
                .await
                .unwrap();
                kezek_core::testing::rows::<outbox::Entity>(&conn)
                    .await
                    .into_iter()
                    .filter(|r| r.kind == "draw_unmatched")
                    .filter(|r| r.channel == "sms")
                    .filter(|r| Some(&r.recipient) == c.phone.as_ref())
                    .count()
            }
        };
        assert_eq!(told, 1, "request {} told {told} times", r.public_id);
    }
    // The public record verifies, and the matches are its first places.
    let record: kezek_wire::draws::DrawView = client()
        .get(format!("{}/api/v1/draws/{id}", c.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let checked = app::server::service::draws::order::verify(&record).unwrap();
    assert_eq!(checked.matched, matched.len());
    conn.close().await.ok();
    c.stop();
    db.cleanup().await;
}

/// The peak resident memory of `pid` (kB), from /proc.
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap()
}

/// 200 staff sign-ins at once: argon2 (~19 MiB a check) runs behind a gate
/// of one permit per core with a bounded queue, so the process's peak
/// memory stays bounded: about one argon2 buffer (19 MiB) per core (200
/// unbounded checks would take ~3.8 GiB).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_staff_logins_at_once_keep_memory_bounded() {
    let db = TestDb::new().await;
    let p = start(&db, false).await; // dev mode: no address limit to speak of
    let pid = p.child.id();
    let before = peak_rss_kib(pid);
    let logins = (0..200).map(|_| {
        let base = p.base.clone();
        async move {
            client()
                .post(format!("{base}/api/v1/staff/login"))
                .json(&json!({"username": "admin", "password": "proc-test-pw"}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    });
    let statuses = futures::future::join_all(logins).await;
    let peak = peak_rss_kib(pid);
    let ok = statuses.iter().filter(|s| **s == 200).count();
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 429),
        "{statuses:?}"
    );
    assert!(ok >= 2, "{ok} signed in");
    println!(
        "200 concurrent staff logins: {ok} × 200, {} × 429; peak RSS {} MiB (was {} MiB before)",
        200 - ok,
        peak / 1024,
        before / 1024
    );
    assert!(
        peak.saturating_sub(before) < 100 * 1024,
        "peak RSS grew by {} MiB",
        (peak - before) / 1024
    );
    p.stop();
    db.cleanup().await;
}

/// R8 across processes: a check-in done through process A reaches the
/// citizen's cabinet streaming from process B in under a second
/// (PostgreSQL's NOTIFY/LISTEN carries it; on SQLite each process has its
/// own in-process channel and a second process is not a deployment we
/// support for live pages, so the test needs PostgreSQL).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_check_in_through_one_process_reaches_a_cabinet_streaming_from_another() {
    let db = TestDb::new().await;
    if !db.url.starts_with("postgres") {
        eprintln!("skipped: live pages across processes need PostgreSQL");
        db.cleanup().await;
        return;
    }
    // Both processes on a dev clock at Wed 2 Dec 2026 09:30 (+05), so a
    // visit at 11:00 that day can be checked in.
    let now = [("KEZEK_DEV_NOW", "2026-12-02T09:30:00+05:00")];
    let a = start_with(&db, true, &now).await;
    let b = start_with(&db, false, &now).await;
    let token = common::sign_in(&b.base, 940).await;
    let made = client()
        .post(format!("{}/api/v1/bookings", a.base))
        .bearer_auth(&token)
        .json(
            &json!({"center_id": "1", "service": "ID_CARD", "start": "2026-12-02T11:00:00+05:00"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), 201);
    let booking: Value = made.json().await.unwrap();
    let mut stream = common::EventStream::open(&format!("{}/live/my", b.base), Some(&token)).await;
    let staff: Value = client()
        .post(format!("{}/api/v1/staff/login", a.base))
        .json(&json!({"username": "ast-psc-yesil-op1", "password": "kezek-demo"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let staff = staff["token"].as_str().unwrap().to_owned();
    let started = tokio::time::Instant::now();
    let r = client()
        .post(format!("{}/api/v1/staff/checkin", a.base))
        .bearer_auth(&staff)
        .json(&json!({"code": booking["code"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap_or_default());
    let heard = stream.next_by(started + Duration::from_secs(1)).await;
    assert_eq!(
        heard.as_deref(),
        Some("change"),
        "the other process's stream hears the check-in within 1 s"
    );
    eprintln!(
        "check-in through A → cabinet stream on B: {} ms",
        started.elapsed().as_millis()
    );
    drop(stream);
    a.stop();
    b.stop();
    db.cleanup().await;
}
