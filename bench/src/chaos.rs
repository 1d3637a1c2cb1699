//! `kezek-bench chaos`: a booking storm through the app nodes' load
//! balancer while something is killed (scripts/chaos.sh passes the
//! command: the primary PostgreSQL, an app process, a pooler), then the
//! reckoning from the database: acknowledged bookings lost, duplicates,
//! the bench's invariants, the longest time without a successful booking
//! after the kill, and every error clients saw, by code.
//!
//! Each citizen books once, with an `Idempotency-Key`; on 503, a broken
//! connection or a timeout it waits (`Retry-After`, else 1 s) and sends the
//! same request with the same key again, as API.md tells clients to, for
//! at most `--patience` seconds. `slot_full` takes another place (new key).
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use rand::seq::SliceRandom;
use sea_orm::{ConnectionTrait, Database, Statement};
use serde::Serialize;

use crate::api::{Api, Citizen};
use crate::invariants::{self, Check};
use crate::scenarios::{Ledger, day, service_for, sign_in_pool};
use crate::stats::{Recorder, Summary};

#[derive(clap::Args, Clone, Serialize)]
pub struct ChaosArgs {
    /// The app nodes' load balancer.
    #[arg(long, default_value = "http://127.0.0.1:8100")]
    base: String,
    /// The database, for the checks afterwards (through the primary's router).
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5440/kezek")]
    db_url: String,
    /// Citizens in the storm (each books once).
    #[arg(long, default_value_t = 3000)]
    citizens: usize,
    /// First bench citizen number [default: from the clock, so runs differ].
    #[arg(long)]
    first_citizen: Option<u64>,
    /// New bookings started per second.
    #[arg(long, default_value_t = 50.0)]
    rate: f64,
    /// Seconds during which new bookings start.
    #[arg(long, default_value_t = 60.0)]
    secs: f64,
    /// Seconds after the storm's start to run --kill.
    #[arg(long, default_value_t = 15.0)]
    kill_after: f64,
    /// Shell command run at --kill-after (e.g. `kill -9 <pid>`).
    #[arg(long)]
    kill: Option<String>,
    /// What is killed, for the report.
    #[arg(long, default_value = "nothing")]
    label: String,
    /// Seconds one client keeps retrying one booking before giving up.
    #[arg(long, default_value_t = 120.0)]
    patience: f64,
    /// Where to write the results (JSON).
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Serialize)]
struct ChaosResult {
    label: String,
    citizens: usize,
    acknowledged: usize,
    lost: usize,
    duplicates: usize,
    gave_up: u64,
    kill_at_secs: Option<f64>,
    longest_write_gap_secs: f64,
    errors_by_code: BTreeMap<String, u64>,
    refusals_by_code: BTreeMap<String, u64>,
    /// Every booking request (retries included): latency and outcomes.
    requests: Summary,
    checks: Vec<Check>,
}

type Place = (i64, &'static str, String);

struct Storm {
    t0: Instant,
    places: Mutex<Vec<Place>>,
    /// (seconds since t0, booking id, IIN, start) of every 201.
    acks: Mutex<Vec<(f64, String, String, String)>>,
    /// Answers that a retry may fix (503, broken connection, …), by code.
    errors: Mutex<BTreeMap<String, u64>>,
    /// Final answers other than 201 (`slot_full`, rule refusals), by code.
    refusals: Mutex<BTreeMap<String, u64>>,
    gave_up: AtomicU64,
    rec: Recorder,
}

/// The guarded value, also after a task holding it panicked.
fn locked<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn bump(m: &Mutex<BTreeMap<String, u64>>, k: String) {
    *locked(m).entry(k).or_default() += 1;
}

impl Storm {
    fn take_place(&self) -> Option<Place> {
        locked(&self.places).pop()
    }
}

/// One citizen's booking, retried as a client should.
async fn one(api: Api, c: Citizen, st: Arc<Storm>, patience: Duration) {
    let Some(mut place) = st.take_place() else {
        bump(&st.refusals, "no place left".into());
        return;
    };
    let mut attempt = 1u32;
    let mut key = format!("chaos-{attempt}");
    let give_up = Instant::now() + patience;
    loop {
        let sent = Instant::now();
        let a = api.book_keyed(&c, place.0, place.1, &place.2, &key).await;
        st.rec.record(sent, &a.outcome());
        match a.status {
            200 | 201 => {
                let id = a.body["id"].as_str().unwrap_or_default().to_owned();
                let start = a.body["start"].as_str().unwrap_or_default().to_owned();
                let t = st.t0.elapsed().as_secs_f64();
                locked(&st.acks).push((t, id, c.iin.clone(), start));
                return;
            }
            409 if attempt < 6 => {
                bump(&st.refusals, a.outcome());
                let Some(next) = st.take_place() else { return };
                place = next;
                attempt += 1;
                key = format!("chaos-{attempt}");
            }
            0 | 500..=599 => {
                bump(&st.errors, a.outcome());
                if Instant::now() >= give_up {
                    st.gave_up.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                let wait = a.retry_after.unwrap_or(1).clamp(1, 5);
                tokio::time::sleep(Duration::from_secs(wait)).await;
            }
            _ => {
                bump(&st.refusals, a.outcome());
                return;
            }
        }
    }
}

pub async fn run(a: ChaosArgs) -> anyhow::Result<()> {
    let api = Api::new(&a.base)?;
    let centers = api.centers().await.context("reading the centers")?;
    let mut places: Vec<Place> = Vec::new();
    for (center, kind) in centers.iter().filter(|(_, k)| k == "Psc") {
        let service = service_for(kind);
        if let Ok(slots) = api.free_slots(*center, service, &day(1), &day(12)).await {
            for s in slots {
                places.extend(std::iter::repeat_n(
                    (*center, service, s.start),
                    s.free as usize,
                ));
            }
        }
        if places.len() >= a.citizens * 3 {
            break;
        }
    }
    places.shuffle(&mut rand::rng());
    eprintln!("{} free places at {} centers", places.len(), centers.len());

    let first = a.first_citizen.unwrap_or_else(|| {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        10_000_000 + (secs % 100_000) * 1_000
    });
    let rec = Recorder::new()?;
    let citizens = sign_in_pool(&api, first, a.citizens, 16, &rec).await?;
    eprintln!("{} citizens signed in", citizens.len());

    let st = Arc::new(Storm {
        t0: Instant::now(),
        places: Mutex::new(places),
        acks: Mutex::new(Vec::new()),
        errors: Mutex::new(BTreeMap::new()),
        refusals: Mutex::new(BTreeMap::new()),
        gave_up: AtomicU64::new(0),
        rec: Recorder::new()?,
    });
    let killer = a.kill.clone().map(|cmd| {
        let (t0, after) = (st.t0, a.kill_after);
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs_f64(after)).await;
            let at = t0.elapsed().as_secs_f64();
            eprintln!("{at:.1} s: {cmd}");
            let ok = tokio::process::Command::new("sh")
                .args(["-c", &cmd])
                .status()
                .await
                .is_ok_and(|s| s.success());
            if !ok {
                eprintln!("the kill command failed");
            }
            at
        })
    });
    let patience = Duration::from_secs_f64(a.patience);
    let gap = Duration::from_secs_f64(1.0 / a.rate.max(0.1));
    let mut tasks = Vec::new();
    for (i, c) in citizens.into_iter().enumerate() {
        let due = st.t0 + gap * u32::try_from(i).unwrap_or(u32::MAX);
        if due.duration_since(st.t0).as_secs_f64() > a.secs {
            break;
        }
        tokio::time::sleep_until(due.into()).await;
        tasks.push(tokio::spawn(one(api.clone(), c, st.clone(), patience)));
    }
    for t in tasks {
        let _ = t.await;
    }
    let kill_at = match killer {
        Some(k) => k.await.ok(),
        None => None,
    };

    // What the clients were told, against what the database holds.
    let acks = std::mem::take(&mut *locked(&st.acks));
    let mut ledger = Ledger::default();
    let mut seen = HashSet::new();
    for (_, id, iin, start) in &acks {
        if !seen.insert(id.clone()) {
            ledger.duplicate_201.push(id.clone());
        }
        ledger
            .acked
            .insert(id.clone(), (iin.clone(), start.clone(), 0));
    }
    ledger.unknown_writes = st.gave_up.load(Ordering::Relaxed);
    let db = Database::connect(&a.db_url).await?;
    let booked: HashSet<String> = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT CAST(id AS BIGINT) FROM bookings WHERE status = 'Booked'",
        ))
        .await?
        .iter()
        .filter_map(|r| r.try_get_by_index::<i64>(0).ok().map(|v| v.to_string()))
        .collect();
    db.close().await.ok();
    let lost = ledger
        .acked
        .keys()
        .filter(|id| !booked.contains(*id))
        .count();
    let checks = invariants::run(&a.db_url, &ledger, None).await?;
    let r34_bad = checks
        .iter()
        .filter(|c| !c.ok && (c.name.starts_with("R3") || c.name.starts_with("R4")))
        .count();
    let duplicates = ledger.duplicate_201.len() + r34_bad;

    // The longest stretch without a 201 from the kill on.
    let mut times: Vec<f64> = acks.iter().map(|(t, ..)| *t).collect();
    times.sort_by(f64::total_cmp);
    let from = kill_at.unwrap_or(0.0);
    let mut longest = 0.0f64;
    let mut prev = from;
    for t in times.iter().copied().filter(|t| *t >= from) {
        longest = longest.max(t - prev);
        prev = t;
    }

    let result = ChaosResult {
        label: a.label.clone(),
        citizens: a.citizens,
        acknowledged: acks.len(),
        lost,
        duplicates,
        gave_up: ledger.unknown_writes,
        kill_at_secs: kill_at,
        longest_write_gap_secs: longest,
        errors_by_code: std::mem::take(&mut *locked(&st.errors)),
        refusals_by_code: std::mem::take(&mut *locked(&st.refusals)),
        requests: st.rec.summary("chaos: bookings"),
        checks,
    };
    print_result(&result);
    if let Some(out) = &a.out {
        std::fs::write(out, serde_json::to_string_pretty(&result)?)?;
    }
    let after_kill = kill_at.map_or(result.acknowledged, |k| {
        times.iter().filter(|t| **t > k).count()
    });
    anyhow::ensure!(
        result.acknowledged > 0 && after_kill > 0,
        "{}: {} bookings acknowledged, {after_kill} after the kill — the drill proved nothing",
        a.label,
        result.acknowledged
    );
    let bad = result.lost > 0 || result.duplicates > 0 || result.checks.iter().any(|c| !c.ok);
    anyhow::ensure!(
        !bad,
        "{}: acknowledged bookings lost or invariants broken",
        a.label
    );
    Ok(())
}

fn print_result(r: &ChaosResult) {
    let kill = r
        .kill_at_secs
        .map_or("—".to_owned(), |t| format!("{t:.1} s into the storm"));
    println!("chaos: {} (killed at {kill})", r.label);
    println!("  bookings acknowledged:          {}", r.acknowledged);
    println!("  acknowledged bookings lost:     {}", r.lost);
    println!("  duplicates:                     {}", r.duplicates);
    println!("  clients that gave up:           {}", r.gave_up);
    println!(
        "  longest time without a booking: {:.1} s",
        r.longest_write_gap_secs
    );
    let list = |m: &BTreeMap<String, u64>| {
        if m.is_empty() {
            "none".to_owned()
        } else {
            m.iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    println!(
        "  errors seen (retried):          {}",
        list(&r.errors_by_code)
    );
    println!(
        "  final refusals:                 {}",
        list(&r.refusals_by_code)
    );
    let q = &r.requests;
    println!(
        "  booking requests:               {} in {:.1} s, p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.0} ms",
        q.requests, q.seconds, q.p50_ms, q.p95_ms, q.p99_ms, q.max_ms
    );
    for c in &r.checks {
        println!(
            "  [{}] {} — {}",
            if c.ok { "ok" } else { "FAIL" },
            c.name,
            c.detail
        );
    }
}
