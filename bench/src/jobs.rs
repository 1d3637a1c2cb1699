//! `kezek-bench jobs`: the background jobs' hidden costs, in process
//! (kezek-core against a fresh database, no HTTP):
//!
//! - **Sign-in codes behind a backlog** — N notices are pending when the
//!   outbox worker starts (a gateway that takes `--gateway-ms` per message,
//!   like a real provider); meanwhile a sign-in code is queued every 50 ms.
//!   Prints enqueue→send of the codes (p50/p99/max) and how long the
//!   backlog took: codes must not wait behind notices.
//! - **Reminders at scale** — M upcoming bookings over the next 30 days;
//!   one pass of the reminder job when ~1/30 of them are due (each writes
//!   its reminder once), then a pass with nothing new: the time of each
//!   and the statements it ran (the pass's query, then one transaction per
//!   reminder written).
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use kezek_core::boot::{Options, open};
use kezek_core::clock::SystemClock;
use kezek_core::config::Config;
use kezek_core::service::outbox::{
    self, Accepted, Gateway, GatewayFuture, OutboundMessage, OutboxSettings, Worker,
};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::server::{DbKind, FreshDb};

#[derive(clap::Args, Clone)]
pub struct JobsArgs {
    /// Database to run on.
    #[arg(long, value_enum)]
    db: DbKind,
    /// PostgreSQL server (a database kezek_bench_<pid> is created there).
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432")]
    pg_url: String,
    /// Notices pending when the worker starts.
    #[arg(long, default_value_t = 10_000)]
    backlog: u32,
    /// Sign-in codes queued during the drain (one every 50 ms).
    #[arg(long, default_value_t = 100)]
    codes: u32,
    /// Milliseconds the fake gateway takes per message.
    #[arg(long, default_value_t = 2)]
    gateway_ms: u64,
    /// Outbox workers (as processes would run them).
    #[arg(long, default_value_t = 2)]
    workers: u32,
    /// Upcoming bookings for the reminder pass.
    #[arg(long, default_value_t = 100_000)]
    bookings: u32,
}

/// A provider that takes a fixed time per message and notes when each
/// sign-in code went out.
struct SlowGateway {
    delay: Duration,
    sent_codes: Arc<Mutex<Vec<(i64, Instant)>>>,
}

impl Gateway for SlowGateway {
    fn channel(&self) -> &'static str {
        outbox::SMS
    }
    fn send<'a>(&'a self, msg: &'a OutboundMessage) -> GatewayFuture<'a> {
        Box::pin(async move {
            tokio::time::sleep(self.delay).await;
            if msg.kind == "otp"
                && let Ok(mut g) = self.sent_codes.lock()
            {
                g.push((msg.id, Instant::now()));
            }
            Ok(Accepted::default())
        })
    }
}

async fn exec(db: &impl ConnectionTrait, sql: String) -> anyhow::Result<u64> {
    Ok(db
        .execute_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?
        .rows_affected())
}

/// Inserts `n` pending rows of `kind` (in statements of 500 rows); the id
/// of the last one.
async fn queue(db: &impl ConnectionTrait, kind: &str, n: u32, now: i64) -> anyhow::Result<i64> {
    let mut left = n;
    while left > 0 {
        let k = left.min(500);
        let rows: Vec<String> = (0..k)
            .map(|i| {
                format!(
                    "('sms', '+7701{:07}', '{kind}', 'Kezek: bench', 'pending', 0, {now}, {now})",
                    i
                )
            })
            .collect();
        exec(
            db,
            format!(
                "INSERT INTO outbox (channel, recipient, kind, body, status, attempts, next_attempt_at, created_at) VALUES {}",
                rows.join(", ")
            ),
        )
        .await?;
        left -= k;
    }
    let r = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT MAX(id) AS id FROM outbox".to_owned(),
        ))
        .await?
        .context("no outbox row")?;
    Ok(r.try_get("", "id")?)
}

pub async fn run(a: JobsArgs) -> anyhow::Result<()> {
    let work = std::env::temp_dir().join(format!("kezek-bench-jobs-{}", std::process::id()));
    std::fs::create_dir_all(&work)?;
    let fresh = FreshDb::create(a.db, &a.pg_url, &work).await?;
    let result = run_on(&a, &fresh.url).await;
    fresh.drop_db().await;
    let _ = std::fs::remove_dir_all(&work);
    result
}

async fn run_on(a: &JobsArgs, url: &str) -> anyhow::Result<()> {
    let opened = open(
        Options {
            database_url: url.to_owned(),
            config: Config::default(),
            seed_demo: true,
            admin_password: Some("bench-admin-pw".into()),
        },
        Arc::new(SystemClock),
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let core = opened.core;
    let db = core.db.clone();
    let now = chrono::Utc::now().timestamp();
    println!("# Background jobs on {} (kezek-bench jobs)\n", a.db.label());

    // --- sign-in codes behind a backlog -------------------------------
    queue(&db, "booked", a.backlog, now).await?;
    let sent_codes = Arc::new(Mutex::new(Vec::new()));
    let settings = OutboxSettings {
        idle_poll: Duration::from_millis(20),
        ..OutboxSettings::default()
    };
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..a.workers {
        let gw: Arc<dyn Gateway> = Arc::new(SlowGateway {
            delay: Duration::from_millis(a.gateway_ms),
            sent_codes: sent_codes.clone(),
        });
        tasks.push(tokio::spawn(
            Worker::new(&core, vec![gw], settings.clone()).run(),
        ));
    }
    let mut queued: Vec<(i64, Instant)> = Vec::new();
    for _ in 0..a.codes {
        let id = {
            let _g = if db.get_database_backend() == DbBackend::Sqlite {
                Some(core.write_gate.lock().await)
            } else {
                None
            };
            queue(&db, "otp", 1, chrono::Utc::now().timestamp()).await?
        };
        queued.push((id, Instant::now()));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Until the backlog is gone.
    let drained = loop {
        let r = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'".to_owned(),
            ))
            .await?
            .context("count")?;
        let n: i64 = r.try_get("", "n")?;
        if n == 0 {
            break started.elapsed();
        }
        if started.elapsed() > Duration::from_secs(600) {
            anyhow::bail!("backlog not drained in 600 s ({n} left)");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    for t in tasks {
        t.abort();
    }
    let sent = sent_codes.lock().map(|g| g.clone()).unwrap_or_default();
    let mut lat: Vec<f64> = queued
        .iter()
        .filter_map(|(id, at)| {
            sent.iter()
                .find(|(s, _)| s == id)
                .map(|(_, out)| out.saturating_duration_since(*at).as_secs_f64() * 1000.0)
        })
        .collect();
    lat.sort_by(f64::total_cmp);
    let q = |p: f64| -> f64 {
        if lat.is_empty() {
            return f64::NAN;
        }
        let i = ((lat.len() as f64 * p).ceil() as usize).clamp(1, lat.len()) - 1;
        lat[i]
    };
    println!(
        "| scenario | backlog | workers | gateway ms/msg | codes | p50 ms | p99 ms | max ms | backlog drained |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    println!(
        "| codes behind notices | {} | {} | {} | {}/{} | {:.1} | {:.1} | {:.1} | {:.1} s ({:.0} msg/s) |",
        a.backlog,
        a.workers,
        a.gateway_ms,
        lat.len(),
        a.codes,
        q(0.50),
        q(0.99),
        q(1.0),
        drained.as_secs_f64(),
        f64::from(a.backlog + a.codes) / drained.as_secs_f64()
    );

    // --- reminders at scale ---------------------------------------------
    let made = seed_bookings(&db, a.bookings, now).await?;
    let t = Instant::now();
    let first = outbox::reminders::enqueue_due(&core).await?;
    let first_t = t.elapsed();
    let t = Instant::now();
    let second = outbox::reminders::enqueue_due(&core).await?;
    let second_t = t.elapsed();
    println!();
    println!("| reminder pass | upcoming bookings | reminders written | statements | time |");
    println!("|---|---|---|---|---|");
    println!(
        "| first (due ones written) | {made} | {first} | 1 query + {first} transactions | {:.0} ms |",
        first_t.as_secs_f64() * 1000.0
    );
    println!(
        "| next (nothing new) | {made} | {second} | 1 query | {:.1} ms |",
        second_t.as_secs_f64() * 1000.0
    );
    Ok(())
}

/// `n` booked visits spread over the next 30 days (one citizen each, at
/// the demo center 1, 15-minute starts, booked 40 days ago so their
/// reminders are due), inserted in statements of 500.
async fn seed_bookings(db: &impl ConnectionTrait, n: u32, now: i64) -> anyhow::Result<u32> {
    let span = 30 * 86_400_i64;
    let mut i = 0u32;
    while i < n {
        let k = (n - i).min(500);
        let citizens: Vec<String> = (i..i + k)
            .map(|j| format!("('9{j:011}', '+7702{j:07}', 'ru', {now})"))
            .collect();
        exec(
            db,
            format!(
                "INSERT INTO citizens (iin, phone, lang, created_at) VALUES {}",
                citizens.join(", ")
            ),
        )
        .await?;
        let rows: Vec<String> = (i..i + k)
            .map(|j| {
                let start = now + 3600 + (i64::from(j) * span / i64::from(n)) / 900 * 900;
                format!(
                    "((SELECT id FROM citizens WHERE iin = '9{j:011}'), 1, 'Psc', 'ID_CARD', 'DOC', 1, {start}, {end}, '{date}', 'Booked', 0, 'B{j:07}', {made}, {made})",
                    made = now - 40 * 86_400,
                    end = start + 900,
                    date = chrono::DateTime::from_timestamp(start, 0)
                        .map(|d| d.format("%Y-%m-%d").to_string())
                        .unwrap_or_default(),
                )
            })
            .collect();
        exec(
            db,
            format!(
                "INSERT INTO bookings (citizen_id, center_id, center_kind, service_code, grp, window_id, start_at, end_at, local_date, status, reschedule_count, code, created_at, updated_at) VALUES {}",
                rows.join(", ")
            ),
        )
        .await?;
        i += k;
    }
    Ok(n)
}
