//! The load scenarios. Every loop is bounded by a request count and a
//! deadline; every request has a 30 s client timeout.
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{Days, NaiveDate};
use rand::Rng;
use rand::seq::SliceRandom;
use serde_json::Value;
use tokio::sync::{Barrier, Semaphore};

use crate::api::{Api, Citizen, FreeSlot};
use crate::stats::{Recorder, Summary, bounded_secs, sleep_until};

/// Requests in flight at most in open-loop scenarios.
const MAX_IN_FLIGHT: usize = 2048;

/// What the server acknowledged, to compare with the database afterwards.
#[derive(Default)]
pub struct Ledger {
    /// booking id → (citizen IIN, start of the last acknowledged write,
    /// acknowledged reschedules).
    pub acked: HashMap<String, (String, String, u32)>,
    /// Ids returned by a 201 more than once (must stay empty).
    pub duplicate_201: Vec<String>,
    /// Writes whose outcome is unknown (timeouts, broken connections).
    pub unknown_writes: u64,
    /// Bookings whose latest reschedule outcome is unknown.
    pub unknown_booking: Vec<String>,
}

pub type SharedLedger = Arc<Mutex<Ledger>>;

fn with<T>(l: &SharedLedger, f: impl FnOnce(&mut Ledger) -> T) -> T {
    let mut g = match l.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    };
    f(&mut g)
}

fn note_book(ledger: &SharedLedger, c: &Citizen, status: u16, body: &Value) {
    with(ledger, |l| match status {
        201 => {
            let id = body["id"].as_str().unwrap_or_default().to_owned();
            let start = body["start"].as_str().unwrap_or_default().to_owned();
            if l.acked
                .insert(id.clone(), (c.iin.clone(), start, 0))
                .is_some()
            {
                l.duplicate_201.push(id);
            }
        }
        0 => l.unknown_writes += 1,
        _ => {}
    });
}

/// Center-local (UTC+5) today.
pub fn today_kz() -> NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(5)).date_naive()
}

pub fn day(offset: u64) -> String {
    (today_kz() + Days::new(offset)).to_string()
}

/// The service the bench books / reads at a center of `kind`.
pub fn service_for(kind: &str) -> &'static str {
    if kind == "AutoPsc" {
        "DL_ISSUE"
    } else {
        "ID_CARD"
    }
}

/// Signs citizens `from..from+n` in, `conc` at a time.
pub async fn sign_in_pool(
    api: &Api,
    from: u64,
    n: usize,
    conc: usize,
    rec: &Recorder,
) -> anyhow::Result<Vec<Citizen>> {
    let next = Arc::new(AtomicUsize::new(0));
    let out = Arc::new(Mutex::new(Vec::with_capacity(n)));
    let mut tasks = Vec::new();
    for _ in 0..conc.max(1) {
        let (api, next, out, rec) = (api.clone(), next.clone(), out.clone(), rec.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    return Ok::<(), anyhow::Error>(());
                }
                let t = Instant::now();
                let c = api.sign_in(from + i as u64).await?;
                rec.record(t, "signed in");
                with_vec(&out, |v| v.push(c));
            }
        }));
    }
    for t in tasks {
        t.await.context("sign-in task")??;
    }
    let v = with_vec(&out, std::mem::take);
    Ok(v)
}

fn with_vec<T, R>(v: &Arc<Mutex<Vec<T>>>, f: impl FnOnce(&mut Vec<T>) -> R) -> R {
    let mut g = match v.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    };
    f(&mut g)
}

/// Flash crowd: every citizen fires at once at one center-day; on
/// `slot_full` a citizen re-reads the day and tries another free start
/// (at most 5 tries). Returns (booking summary, re-read summary, capacity
/// offered at the start, bookings made).
pub async fn flash(
    api: &Api,
    citizens: Vec<Citizen>,
    center: i64,
    service: &str,
    date: &str,
    ledger: &SharedLedger,
) -> anyhow::Result<(Summary, Summary, u64, u64)> {
    let initial = api.free_slots(center, service, date, date).await?;
    let capacity: u64 = initial.iter().map(|s| u64::from(s.free)).sum();
    let initial = Arc::new(initial);
    let (rec, reread) = (Recorder::new()?, Recorder::new()?);
    let barrier = Arc::new(Barrier::new(citizens.len()));
    let mut tasks = Vec::new();
    for c in citizens {
        let (api, rec, reread, barrier, initial, ledger) = (
            api.clone(),
            rec.clone(),
            reread.clone(),
            barrier.clone(),
            initial.clone(),
            ledger.clone(),
        );
        let (service, date) = (service.to_owned(), date.to_owned());
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            let mut slots: Vec<FreeSlot> = initial.as_ref().clone();
            for _ in 0..5 {
                if slots.is_empty() {
                    break;
                }
                let pick = rand::rng().random_range(0..slots.len());
                let start = slots[pick].start.clone();
                let t = Instant::now();
                let a = api.book(&c, center, &service, &start).await;
                rec.record(t, &a.outcome());
                note_book(&ledger, &c, a.status, &a.body);
                if a.status != 409 {
                    break;
                }
                let t = Instant::now();
                let r = api.availability(center, &service, &date, &date).await;
                reread.record(t, &r.outcome());
                slots = serde_json::from_value(r.body).unwrap_or_default();
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let s = rec.summary("flash: book");
    let made = s.codes.get("201").copied().unwrap_or(0);
    Ok((s, reread.summary("flash: re-read day"), capacity, made))
}

/// Bookable (center, service, start) units, one per free place.
pub async fn units(
    api: &Api,
    centers: &[(i64, String)],
    skip: &[i64],
    days: u64,
) -> anyhow::Result<Vec<(i64, &'static str, String)>> {
    let mut out = Vec::new();
    let (from, to) = (day(1), day(days));
    for (id, kind) in centers {
        if skip.contains(id) || kind != "Psc" {
            continue;
        }
        let service = service_for(kind);
        for s in api.free_slots(*id, service, &from, &to).await? {
            for _ in 0..s.free {
                out.push((*id, service, s.start.clone()));
            }
        }
    }
    out.shuffle(&mut rand::rng());
    Ok(out)
}

type Units = Arc<Vec<(i64, &'static str, String)>>;

/// Closed loop: `conc` workers book distinct places with distinct citizens
/// until the deadline or the citizens run out.
pub async fn saturate(
    api: &Api,
    citizens: Vec<Citizen>,
    units: Units,
    next_unit: Arc<AtomicUsize>,
    conc: usize,
    secs: f64,
    ledger: &SharedLedger,
) -> anyhow::Result<Summary> {
    let rec = Recorder::new()?;
    let citizens = Arc::new(citizens);
    let next = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + bounded_secs(secs);
    let mut tasks = Vec::new();
    for _ in 0..conc.max(1) {
        let (api, rec, citizens, next, units, next_unit, ledger) = (
            api.clone(),
            rec.clone(),
            citizens.clone(),
            next.clone(),
            units.clone(),
            next_unit.clone(),
            ledger.clone(),
        );
        tasks.push(tokio::spawn(async move {
            while Instant::now() < deadline {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let u = next_unit.fetch_add(1, Ordering::Relaxed);
                let (Some(c), Some((center, service, start))) = (citizens.get(i), units.get(u))
                else {
                    break;
                };
                let t = Instant::now();
                let a = api.book(c, *center, service, start).await;
                rec.record(t, &a.outcome());
                note_book(&ledger, c, a.status, &a.body);
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    Ok(rec.summary("bookings, closed loop"))
}

/// Open loop: request `i` is due at `t0 + i / rate`; latency counts from
/// the due time (no coordinated omission). `kind(i)` picks the request.
async fn open_loop<F, Fut>(rate: f64, secs: f64, f: F) -> anyhow::Result<()>
where
    F: Fn(usize, Instant) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let rate = rate.clamp(1.0, 20_000.0);
    let n = (rate * bounded_secs(secs).as_secs_f64()) as usize;
    let sem = Arc::new(Semaphore::new(MAX_IN_FLIGHT));
    let t0 = Instant::now();
    let hard_stop = t0 + bounded_secs(secs) + Duration::from_secs(60);
    let mut tasks = Vec::with_capacity(n);
    for i in 0..n {
        let due = t0 + Duration::from_secs_f64(i as f64 / rate);
        sleep_until(due).await;
        if Instant::now() > hard_stop {
            break;
        }
        let permit = sem.clone().acquire_owned().await?;
        let fut = f(i, due);
        tasks.push(tokio::spawn(async move {
            fut.await;
            drop(permit);
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    Ok(())
}

/// Bookings at a fixed rate (distinct citizens and places).
pub async fn paced_bookings(
    api: &Api,
    citizens: Vec<Citizen>,
    units: Units,
    next_unit: Arc<AtomicUsize>,
    rate: f64,
    secs: f64,
    ledger: &SharedLedger,
) -> anyhow::Result<Summary> {
    let rec = Recorder::new()?;
    let citizens = Arc::new(citizens);
    let secs = secs.min(citizens.len() as f64 / rate.max(1.0));
    open_loop(rate, secs, |i, due| {
        let (api, rec, citizens, units, next_unit, ledger) = (
            api.clone(),
            rec.clone(),
            citizens.clone(),
            units.clone(),
            next_unit.clone(),
            ledger.clone(),
        );
        async move {
            let u = next_unit.fetch_add(1, Ordering::Relaxed);
            if let (Some(c), Some((center, service, start))) = (citizens.get(i), units.get(u)) {
                let a = api.book(c, *center, service, start).await;
                rec.record(due, &a.outcome());
                note_book(&ledger, c, a.status, &a.body);
            }
        }
    })
    .await?;
    Ok(rec.summary("bookings, open loop"))
}

/// Availability of one random center and one random day (of the next 30)
/// at `rate`; with `citizens`, every tenth request is a booking instead.
#[allow(clippy::too_many_arguments)]
pub async fn mix(
    api: &Api,
    centers: Arc<Vec<(i64, String)>>,
    citizens: Vec<Citizen>,
    units: Units,
    next_unit: Arc<AtomicUsize>,
    rate: f64,
    secs: f64,
    ledger: &SharedLedger,
) -> anyhow::Result<(Summary, Summary)> {
    let (reads, books) = (Recorder::new()?, Recorder::new()?);
    let citizens = Arc::new(citizens);
    let next_citizen = Arc::new(AtomicUsize::new(0));
    let days: Arc<Vec<String>> = Arc::new((1..=30).map(day).collect());
    let with_bookings = !citizens.is_empty();
    open_loop(rate, secs, |i, due| {
        let (api, reads, books, centers, citizens, units, next_unit, next_citizen, days, ledger) = (
            api.clone(),
            reads.clone(),
            books.clone(),
            centers.clone(),
            citizens.clone(),
            units.clone(),
            next_unit.clone(),
            next_citizen.clone(),
            days.clone(),
            ledger.clone(),
        );
        async move {
            if with_bookings && i % 10 == 9 {
                let ci = next_citizen.fetch_add(1, Ordering::Relaxed);
                let u = next_unit.fetch_add(1, Ordering::Relaxed);
                if let (Some(c), Some((center, service, start))) = (citizens.get(ci), units.get(u))
                {
                    let a = api.book(c, *center, service, start).await;
                    books.record(due, &a.outcome());
                    note_book(&ledger, c, a.status, &a.body);
                }
                return;
            }
            let (ci, di) = {
                let mut r = rand::rng();
                (
                    r.random_range(0..centers.len().max(1)),
                    r.random_range(0..days.len()),
                )
            };
            if let (Some((center, kind)), Some(d)) = (centers.get(ci), days.get(di)) {
                let a = api.availability(*center, service_for(kind), d, d).await;
                reads.record(due, &a.outcome());
            }
        }
    })
    .await?;
    Ok((
        reads.summary("availability (1 day)"),
        books.summary("bookings in the mix"),
    ))
}

/// Reschedule storm: each citizen books a place at `center` on the next
/// `days` working days, then all at once move their booking `moves` times
/// to random starts of those days (taken or not).
pub async fn storm(
    api: &Api,
    citizens: Vec<Citizen>,
    center: i64,
    moves: u32,
    ledger: &SharedLedger,
) -> anyhow::Result<(Summary, Summary)> {
    let (from, to) = (day(1), day(4));
    let slots = api.free_slots(center, "ID_CARD", &from, &to).await?;
    let starts: Arc<Vec<String>> = Arc::new(slots.iter().map(|s| s.start.clone()).collect());
    let mut places: Vec<String> = slots
        .iter()
        .flat_map(|s| std::iter::repeat_n(s.start.clone(), s.free as usize))
        .collect();
    places.shuffle(&mut rand::rng());
    let book_rec = Recorder::new()?;
    let mut booked: Vec<(Citizen, String)> = Vec::new();
    for (c, start) in citizens.into_iter().zip(places) {
        let t = Instant::now();
        let a = api.book(&c, center, "ID_CARD", &start).await;
        book_rec.record(t, &a.outcome());
        note_book(ledger, &c, a.status, &a.body);
        if a.status == 201
            && let Some(id) = a.body["id"].as_str()
        {
            booked.push((c, id.to_owned()));
        }
    }
    let rec = Recorder::new()?;
    let barrier = Arc::new(Barrier::new(booked.len().max(1)));
    let mut tasks = Vec::new();
    for (c, id) in booked {
        let (api, rec, barrier, starts, ledger) = (
            api.clone(),
            rec.clone(),
            barrier.clone(),
            starts.clone(),
            ledger.clone(),
        );
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            for _ in 0..moves {
                let pick = rand::rng().random_range(0..starts.len().max(1));
                let Some(start) = starts.get(pick) else { break };
                let t = Instant::now();
                let a = api.reschedule(&c, &id, start).await;
                rec.record(t, &a.outcome());
                with(&ledger, |l| match a.status {
                    200 => {
                        if let Some(e) = l.acked.get_mut(&id) {
                            e.1 = a.body["start"].as_str().unwrap_or_default().to_owned();
                            e.2 += 1;
                        }
                    }
                    0 => {
                        l.unknown_writes += 1;
                        l.unknown_booking.push(id.clone());
                    }
                    _ => {}
                });
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    Ok((
        book_rec.summary("storm: initial bookings"),
        rec.summary("storm: reschedules"),
    ))
}
