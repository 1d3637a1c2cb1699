//! The real `kezek` binary as separate processes: two servers on one
//! database under the same booking storm, and a `kill -9` in the middle of a
//! storm followed by a restart. Runs on SQLite, or on PostgreSQL when
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

#[allow(clippy::zombie_processes)] // killed and waited for in `kill9`
async fn start(db: &TestDb, seed: bool) -> Proc {
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

async fn count_booked(db_url: &str, start_unix: i64) -> u64 {
    use app::server::entity::bookings;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let db = app::server::db::connect(db_url).await.unwrap();
    let n = bookings::Entity::find()
        .filter(bookings::Column::Status.eq("Booked"))
        .filter(bookings::Column::StartAt.eq(start_unix))
        .count(&db)
        .await
        .unwrap();
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
    use sea_orm::{EntityTrait, PaginatorTrait};
    let conn = app::server::db::connect(&db.url).await.unwrap();
    for id in &acked {
        let b = bookings::Entity::find_by_id(id.parse::<i64>().unwrap())
            .one(&conn)
            .await
            .unwrap()
            .expect("acknowledged booking lost");
        assert_eq!(b.status, "Booked");
    }
    // No slot over capacity: 3 windows serve ID_CARD, the key holds.
    let all = bookings::Entity::find().all(&conn).await.unwrap();
    let mut per_start = std::collections::HashMap::new();
    for b in all.iter().filter(|b| b.status == "Booked") {
        *per_start.entry(b.start_at).or_insert(0) += 1;
    }
    assert!(per_start.values().all(|n| *n <= 3), "{per_start:?}");
    // Every stored booking holds its slot and nothing else is held.
    let held = booking_slots::Entity::find().count(&conn).await.unwrap();
    assert_eq!(
        held as usize,
        all.iter().filter(|b| b.status == "Booked").count()
    );
    conn.close().await.ok();
    server.stop();
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
