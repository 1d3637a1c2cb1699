//! A short-lived, per-process cache of reference data: center schedules,
//! services, the policy and the national calendar.
//!
//! Used by availability, the booking calendar, and the book / reschedule
//! use cases for the data they read *before* their write transaction (the
//! schedule was always read outside it). What decides whether a booking is
//! allowed and fits is read inside the transaction, after the citizen's
//! lock: the citizen's bookings (R3–R6), the vehicle's bookings, the day's
//! held window-slots, and the slot primary key as the last line of defence;
//! so a stale entry cannot cause overbooking or a rule breach. The schedule
//! itself is checked too: every admin change bumps the center's
//! `schedule_version` and the booking transaction compares it under the
//! center row's lock (`txn::current_schedule`), re-reading the schedule
//! when it changed — so no process, whatever its cache holds, books under
//! an old schedule. A change clears this cache in its own process at once.
//! Entries live `ttl` (5 s by default). This takes 9 queries
//! out of a booking and ~9 of ~10 out of an availability request
//! (docs/benchmarks.md).
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use sea_orm::{DatabaseConnection, EntityTrait};

use crate::entity::services;
use crate::error::ServiceError;
use kezek_domain::calendar::NationalCalendar;
use kezek_domain::policy::Policy;

use super::schedule::{CenterCtx, load_center, load_national, load_policy};

type Entry<T> = (Instant, T);
type NationalMap = HashMap<(NaiveDate, NaiveDate), Entry<Arc<NationalCalendar>>>;

pub struct ReadCache {
    ttl: Duration,
    centers: Mutex<HashMap<i64, Entry<Arc<CenterCtx>>>>,
    services: Mutex<HashMap<String, Entry<Option<Arc<services::Model>>>>>,
    policy: Mutex<Option<Entry<Policy>>>,
    national: Mutex<NationalMap>,
}

impl Default for ReadCache {
    fn default() -> Self {
        Self::new(Duration::from_secs(5))
    }
}

impl ReadCache {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            centers: Mutex::new(HashMap::new()),
            services: Mutex::new(HashMap::new()),
            policy: Mutex::new(None),
            national: Mutex::new(HashMap::new()),
        }
    }

    fn fresh(&self, at: Instant) -> bool {
        at.elapsed() < self.ttl
    }

    /// Forgets everything (called after admin changes).
    pub fn clear(&self) {
        if let Ok(mut m) = self.centers.lock() {
            m.clear();
        }
        if let Ok(mut m) = self.services.lock() {
            m.clear();
        }
        if let Ok(mut p) = self.policy.lock() {
            *p = None;
        }
        if let Ok(mut n) = self.national.lock() {
            n.clear();
        }
    }

    pub async fn center(
        &self,
        db: &DatabaseConnection,
        id: i64,
    ) -> Result<Arc<CenterCtx>, ServiceError> {
        if let Ok(m) = self.centers.lock()
            && let Some((at, c)) = m.get(&id)
            && self.fresh(*at)
        {
            return Ok(c.clone());
        }
        let c = Arc::new(load_center(db, id).await?);
        if let Ok(mut m) = self.centers.lock() {
            if m.len() > 10_000 {
                m.clear();
            }
            m.insert(id, (Instant::now(), c.clone()));
        }
        Ok(c)
    }

    /// The `services` row for `code` (active or not), `None` if unknown.
    pub async fn service(
        &self,
        db: &DatabaseConnection,
        code: &str,
    ) -> Result<Option<Arc<services::Model>>, ServiceError> {
        if let Ok(m) = self.services.lock()
            && let Some((at, s)) = m.get(code)
            && self.fresh(*at)
        {
            return Ok(s.clone());
        }
        let s = services::Entity::find_by_id(code.to_owned())
            .one(db)
            .await?
            .map(Arc::new);
        if let Ok(mut m) = self.services.lock() {
            if m.len() > 1_000 {
                m.clear();
            }
            m.insert(code.to_owned(), (Instant::now(), s.clone()));
        }
        Ok(s)
    }

    pub async fn policy(&self, db: &DatabaseConnection) -> Result<Policy, ServiceError> {
        if let Ok(p) = self.policy.lock()
            && let Some((at, p)) = p.as_ref()
            && self.fresh(*at)
        {
            return Ok(p.clone());
        }
        let p = load_policy(db).await?;
        if let Ok(mut slot) = self.policy.lock() {
            *slot = Some((Instant::now(), p.clone()));
        }
        Ok(p)
    }

    pub async fn national(
        &self,
        db: &DatabaseConnection,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Arc<NationalCalendar>, ServiceError> {
        if let Ok(m) = self.national.lock()
            && let Some((at, n)) = m.get(&(from, to))
            && self.fresh(*at)
        {
            return Ok(n.clone());
        }
        let n = Arc::new(load_national(db, from, to).await?);
        if let Ok(mut m) = self.national.lock() {
            if m.len() > 1_000 {
                m.clear();
            }
            m.insert((from, to), (Instant::now(), n.clone()));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_after_the_ttl_and_clear_forgets_all() {
        let c = ReadCache::new(Duration::from_millis(0));
        assert!(
            !c.fresh(Instant::now()),
            "a zero TTL never serves from cache"
        );
        let c = ReadCache::default();
        assert!(c.fresh(Instant::now()));
        if let Ok(mut p) = c.policy.lock() {
            *p = Some((Instant::now(), Policy::default()));
        }
        c.clear();
        assert!(c.policy.lock().map(|p| p.is_none()).unwrap_or(false));
    }
}
