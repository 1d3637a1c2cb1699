//! Latency histograms and outcome counts of one scenario (or one request
//! class of it).
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use serde::Serialize;

/// A shared recorder (cheap to clone).
#[derive(Clone)]
pub struct Recorder {
    inner: Arc<Mutex<Inner>>,
}

struct Inner {
    hist: Histogram<u64>,
    codes: BTreeMap<String, u64>,
    first: Option<Instant>,
    last: Option<Instant>,
}

/// A finished class of requests.
#[derive(Clone, Debug, Serialize, serde::Deserialize, Default)]
pub struct Summary {
    pub name: String,
    pub requests: u64,
    /// First send to last answer, seconds.
    pub seconds: f64,
    pub rps: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// Outcomes: `201`, `409 slot_full`, `timeout`, …
    pub codes: BTreeMap<String, u64>,
}

impl Recorder {
    pub fn new() -> anyhow::Result<Self> {
        // 1 µs … 120 s, 3 significant digits.
        let hist = Histogram::new_with_bounds(1, 120_000_000, 3)
            .map_err(|e| anyhow::anyhow!("histogram: {e}"))?;
        Ok(Self {
            inner: Arc::new(Mutex::new(Inner {
                hist,
                codes: BTreeMap::new(),
                first: None,
                last: None,
            })),
        })
    }

    /// One answer: `outcome` like `201` or `409 slot_full`; `started` is
    /// when the request was due (open loop) or sent (closed loop).
    pub fn record(&self, started: Instant, outcome: &str) {
        let now = Instant::now();
        let us = u64::try_from(now.duration_since(started).as_micros()).unwrap_or(u64::MAX);
        let mut g = match self.inner.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        let _ = g.hist.record(us.clamp(1, 120_000_000));
        *g.codes.entry(outcome.to_owned()).or_default() += 1;
        g.first = Some(g.first.map_or(started, |f| f.min(started)));
        g.last = Some(g.last.map_or(now, |l| l.max(now)));
    }

    pub fn summary(&self, name: &str) -> Summary {
        let g = match self.inner.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        let seconds = match (g.first, g.last) {
            (Some(f), Some(l)) => l.duration_since(f).as_secs_f64(),
            _ => 0.0,
        };
        let requests = g.hist.len();
        let ms = |q: f64| g.hist.value_at_quantile(q) as f64 / 1000.0;
        Summary {
            name: name.to_owned(),
            requests,
            seconds,
            rps: if seconds > 0.0 {
                requests as f64 / seconds
            } else {
                0.0
            },
            p50_ms: ms(0.50),
            p95_ms: ms(0.95),
            p99_ms: ms(0.99),
            max_ms: g.hist.max() as f64 / 1000.0,
            codes: g.codes.clone(),
        }
    }
}

impl Summary {
    pub fn ok(&self) -> u64 {
        self.codes
            .iter()
            .filter(|(k, _)| k.starts_with('2'))
            .map(|(_, v)| v)
            .sum()
    }

    pub fn print(&self) {
        let codes: Vec<String> = self
            .codes
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        println!(
            "  {:<28} {:>7} req in {:>6.2} s = {:>8.1}/s  p50 {:>7.2} ms  p95 {:>7.2} ms  p99 {:>7.2} ms  max {:>8.2} ms  [{}]",
            self.name,
            self.requests,
            self.seconds,
            self.rps,
            self.p50_ms,
            self.p95_ms,
            self.p99_ms,
            self.max_ms,
            codes.join(", ")
        );
    }
}

/// Sleeps until `at` (no-op if past).
pub async fn sleep_until(at: Instant) {
    let now = Instant::now();
    if at > now {
        tokio::time::sleep(at - now).await;
    }
}

/// `secs` as a Duration, bounded to [0.1 s, 600 s].
pub fn bounded_secs(secs: f64) -> Duration {
    Duration::from_secs_f64(secs.clamp(0.1, 600.0))
}
