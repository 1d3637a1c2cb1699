//! Looks at a center's calendar: how many days ahead the first free start
//! was when someone asked (the fairness page's "time to appointment").
//!
//! Availability records a look only when its answer says where the first
//! free start is: the range starts today and either offers a start or
//! reaches the horizon's last day (then "nothing free", `-1`). The counts
//! gather in memory (a bounded map: at most [`MAX_KEYS`] center × date ×
//! days-ahead keys, further new keys are dropped and counted) and the looks
//! job adds them to `look_stats` every minute in one transaction, so the
//! availability path never writes. A crash loses at most a minute of
//! looks — statistics, not bookings.
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, EntityTrait};

use crate::entity::look_stats;
use crate::error::ServiceError;
use crate::service::booking::txn::write_txn;
use crate::state::Core;

/// The most keys kept between two flushes (300 centers × 2 dates × 32
/// distances is under 20,000).
pub const MAX_KEYS: usize = 50_000;

/// `days_ahead` stored when nothing was free within the horizon.
pub const NONE_FREE: i32 = -1;

type Key = (i64, NaiveDate, i32);

#[derive(Default)]
pub struct Looks {
    pending: Mutex<HashMap<Key, i64>>,
    dropped: AtomicU64,
}

impl Looks {
    /// Counts one look at `center_id` on its local date `today` whose first
    /// free start was `days_ahead` days away (`None`: nothing free).
    pub fn record(&self, center_id: i64, today: NaiveDate, days_ahead: Option<i64>) {
        let d = days_ahead
            .and_then(|d| i32::try_from(d).ok())
            .filter(|d| *d >= 0)
            .unwrap_or(NONE_FREE);
        let mut g = match self.pending.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        let key = (center_id, today, d);
        if let Some(n) = g.get_mut(&key) {
            *n += 1;
        } else if g.len() < MAX_KEYS {
            g.insert(key, 1);
        } else {
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Looks not recorded because the map was full, since the start.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    fn take(&self) -> HashMap<Key, i64> {
        let mut g = match self.pending.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        std::mem::take(&mut *g)
    }

    /// Puts counts back after a failed flush (keys over the bound dropped).
    fn restore(&self, rows: HashMap<Key, i64>) {
        let mut g = match self.pending.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        for (k, n) in rows {
            if let Some(m) = g.get_mut(&k) {
                *m += n;
            } else if g.len() < MAX_KEYS {
                g.insert(k, n);
            } else {
                self.dropped.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

/// Adds the gathered looks to `look_stats` in one transaction; returns the
/// number of looks written. On failure the counts go back to the map.
pub async fn flush(core: &Core) -> Result<i64, ServiceError> {
    let rows = core.looks.take();
    if rows.is_empty() {
        return Ok(0);
    }
    let batch: Vec<(Key, i64)> = rows.iter().map(|(k, n)| (*k, *n)).collect();
    let total: i64 = batch.iter().map(|(_, n)| n).sum();
    let batch = std::sync::Arc::new(batch);
    let res = write_txn(core, |txn| {
        let batch = batch.clone();
        Box::pin(async move {
            for chunk in batch.chunks(500) {
                let models = chunk.iter().map(|((c, d, a), n)| look_stats::ActiveModel {
                    center_id: Set(*c),
                    local_date: Set(d.format("%Y-%m-%d").to_string()),
                    days_ahead: Set(*a),
                    looks: Set(*n),
                });
                look_stats::Entity::insert_many(models)
                    .on_conflict(
                        OnConflict::columns([
                            look_stats::Column::CenterId,
                            look_stats::Column::LocalDate,
                            look_stats::Column::DaysAhead,
                        ])
                        .value(
                            look_stats::Column::Looks,
                            Expr::col((look_stats::Entity, look_stats::Column::Looks)).add(
                                Expr::col((Alias::new("excluded"), look_stats::Column::Looks)),
                            ),
                        )
                        .to_owned(),
                    )
                    .exec_without_returning(txn)
                    .await?;
            }
            Ok(())
        })
    })
    .await;
    match res {
        Ok(()) => Ok(total),
        Err(e) => {
            core.looks.restore(rows);
            Err(e)
        }
    }
}

/// The looks job: flushes every `every`.
pub async fn job(core: Core, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match flush(&core).await {
            Ok(_) => core.jobs.ok("looks", core.now().timestamp()),
            Err(e) => tracing::warn!(error = %e, "writing calendar looks failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_counts_per_key_and_bounds_the_map() {
        let l = Looks::default();
        let d = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap_or_default();
        l.record(1, d, Some(3));
        l.record(1, d, Some(3));
        l.record(1, d, None);
        l.record(1, d, Some(-5));
        let m = l.take();
        assert_eq!(m.get(&(1, d, 3)), Some(&2));
        assert_eq!(m.get(&(1, d, NONE_FREE)), Some(&2));
        assert!(l.take().is_empty());
        for c in 0..(MAX_KEYS as i64 + 10) {
            l.record(c, d, Some(0));
        }
        assert_eq!(l.dropped(), 10);
        l.restore(HashMap::from([((0, d, 0), 5)]));
        assert_eq!(l.take().get(&(0, d, 0)), Some(&6));
    }
}
