//! The fairness figures (issue 15, docs/FAIRNESS.md): per region and
//! center over a date range (the public page: the last 30 days), no
//! personal data.
//!
//! Definitions:
//! * **time to appointment**: for each look at a center's calendar that
//!   showed where the first free start was ([`super::looks`]), the days from
//!   the look to that start; median and 90th percentile (nearest rank), a
//!   look that found nothing free within the horizon counting as longer
//!   than any other.
//! * **booked / via draw / via waiting list / first come**: bookings made
//!   in the period (walk-ins apart, later cancellations included: the
//!   question is how slots were given out), split by who gave them — a
//!   draw's matched request, a waiting-list entry served with a new booking
//!   (a move of a tied booking is counted under "served", not here), or
//!   the citizen booking first come.
//! * **waiting list served**: entries served in the period and the median
//!   minutes from joining to being served.
//! * **no-shows**: among booked visits whose day in the period has passed
//!   (not cancelled), the share marked no-show.
//! * **draws**: draws run in the period.
//!
//! A handful of grouped queries for all centers at once (never one per
//! center); the public figures are cached for [`TTL`] per language.
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use chrono_tz::Tz;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect};

use crate::entity::{
    bookings, centers, draw_dates, draw_requests, draws, look_stats, waitlist_entries,
};
use crate::error::ServiceError;
use crate::service::booking::facts::rfc3339_in;
use crate::state::Core;
use kezek_i18n::Lang;
use kezek_wire::fairness::{DrawRecord, Fairness, FairnessRow};

/// Days the public page covers (today included).
pub const DAYS: u64 = 30;
/// How long the public figures are reused.
pub const TTL: Duration = Duration::from_secs(120);
/// Draws listed at most.
const MAX_DRAWS: u64 = 50;

/// The public figures per language, recomputed after [`TTL`].
#[derive(Default)]
pub struct Cache {
    slot: tokio::sync::Mutex<HashMap<Lang, (Instant, Arc<Fairness>)>>,
}

/// The zone dates are counted in when no center says otherwise.
fn home_tz() -> Tz {
    chrono_tz::Asia::Almaty
}

/// The public figures: the last [`DAYS`] days, every active center,
/// cached.
pub async fn public(core: &Core, lang: Lang) -> Result<Arc<Fairness>, ServiceError> {
    let mut g = core.fairness.slot.lock().await;
    if let Some((at, f)) = g.get(&lang)
        && at.elapsed() < TTL
    {
        return Ok(f.clone());
    }
    let today = core.now().with_timezone(&home_tz()).date_naive();
    let from = today.checked_sub_days(Days::new(DAYS - 1)).unwrap_or(today);
    let f = Arc::new(compute(core, None, from, today, lang).await?);
    g.insert(lang, (Instant::now(), f.clone()));
    Ok(f)
}

/// Nearest-rank percentile `q` (0 < q ≤ 1) of a histogram of days ahead
/// (`NONE_FREE` = beyond the horizon, larger than any day); `None` when
/// empty or when the rank falls beyond the horizon.
pub fn percentile(hist: &BTreeMap<i32, u64>, q: f64) -> Option<u32> {
    let total: u64 = hist.values().sum();
    if total == 0 {
        return None;
    }
    let rank = ((q * total as f64).ceil() as u64).clamp(1, total);
    let mut cum = 0u64;
    for (&d, &n) in hist.iter().filter(|(d, _)| **d >= 0) {
        cum += n;
        if cum >= rank {
            return u32::try_from(d).ok();
        }
    }
    None
}

fn median_of(mut v: Vec<i64>) -> Option<i64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    Some(v[(v.len() - 1) / 2])
}

#[derive(Default)]
struct Acc {
    hist: BTreeMap<i32, u64>,
    waits: Vec<i64>,
    /// Draws covering the center (or the region's centers), counted once.
    draws: BTreeSet<i64>,
    row: FairnessRow,
}

impl Acc {
    fn add(&mut self, o: &Acc) {
        for (d, n) in &o.hist {
            *self.hist.entry(*d).or_default() += n;
        }
        self.waits.extend_from_slice(&o.waits);
        self.draws.extend(o.draws.iter().copied());
        let (r, s) = (&mut self.row, &o.row);
        r.booked += s.booked;
        r.via_draw += s.via_draw;
        r.via_waitlist += s.via_waitlist;
        r.waitlist_served += s.waitlist_served;
        r.past_visits += s.past_visits;
        r.no_shows += s.no_shows;
    }

    fn finish(mut self) -> FairnessRow {
        let r = &mut self.row;
        r.looks = self.hist.values().sum();
        r.looks_none_free = self
            .hist
            .get(&super::looks::NONE_FREE)
            .copied()
            .unwrap_or(0);
        r.days_median = percentile(&self.hist, 0.5);
        r.days_p90 = percentile(&self.hist, 0.9);
        r.first_come = r.booked.saturating_sub(r.via_draw + r.via_waitlist);
        r.waitlist_median_min = median_of(std::mem::take(&mut self.waits)).map(|s| s / 60);
        r.draws = u32::try_from(self.draws.len()).unwrap_or(u32::MAX);
        self.row
    }
}

/// bookings.id = draw_requests.booking_id
fn matched_request() -> sea_orm::RelationDef {
    bookings::Entity::belongs_to(draw_requests::Entity)
        .from(bookings::Column::Id)
        .to(draw_requests::Column::BookingId)
        .into()
}

/// bookings.id = waitlist_entries.served_booking_id
fn served_entry() -> sea_orm::RelationDef {
    bookings::Entity::belongs_to(waitlist_entries::Entity)
        .from(bookings::Column::Id)
        .to(waitlist_entries::Column::ServedBookingId)
        .into()
}

fn count(n: i64) -> u32 {
    u32::try_from(Ord::max(n, 0)).unwrap_or(u32::MAX)
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The figures over `[from, to]` for one center or every active one.
pub async fn compute(
    core: &Core,
    center: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
    lang: Lang,
) -> Result<Fairness, ServiceError> {
    let db = &core.db;
    let tz = home_tz();
    let start_of = |d: NaiveDate| {
        d.and_hms_opt(0, 0, 0)
            .and_then(|t| kezek_domain::calendar::local_to_utc(tz, t))
            .map(|t| t.timestamp())
            .unwrap_or_default()
    };
    let (t0, t1) = (
        start_of(from),
        start_of(to.checked_add_days(Days::new(1)).unwrap_or(to)),
    );
    let today = core.now().with_timezone(&tz).date_naive();
    let (f, t) = (ymd(from), ymd(to));

    let mut cq = centers::Entity::find()
        .filter(centers::Column::Active.eq(true))
        .order_by_asc(centers::Column::Region)
        .order_by_asc(centers::Column::City)
        .order_by_asc(centers::Column::Id);
    if let Some(c) = center {
        cq = centers::Entity::find().filter(centers::Column::Id.eq(c));
    }
    let center_rows = cq.all(db).await?;
    let mut acc: BTreeMap<i64, Acc> = center_rows.iter().map(|c| (c.id, Acc::default())).collect();
    let only = |q: sea_orm::Select<bookings::Entity>| match center {
        Some(c) => q.filter(bookings::Column::CenterId.eq(c)),
        None => q,
    };

    // Looks.
    let mut lq = look_stats::Entity::find()
        .select_only()
        .column(look_stats::Column::CenterId)
        .column(look_stats::Column::DaysAhead)
        .column_as(Expr::cust("CAST(SUM(looks) AS BIGINT)"), "n")
        .filter(look_stats::Column::LocalDate.gte(f.clone()))
        .filter(look_stats::Column::LocalDate.lte(t.clone()))
        .group_by(look_stats::Column::CenterId)
        .group_by(look_stats::Column::DaysAhead);
    if let Some(c) = center {
        lq = lq.filter(look_stats::Column::CenterId.eq(c));
    }
    for (c, d, n) in lq.into_tuple::<(i64, i32, i64)>().all(db).await? {
        if let Some(a) = acc.get_mut(&c) {
            *a.hist.entry(d).or_default() += u64::try_from(n).unwrap_or(0);
        }
    }

    // Bookings made in the period, and by whom.
    let made = || {
        only(bookings::Entity::find())
            .filter(bookings::Column::WalkIn.eq(false))
            .filter(bookings::Column::CreatedAt.gte(t0))
            .filter(bookings::Column::CreatedAt.lt(t1))
            .select_only()
            .column(bookings::Column::CenterId)
            .column_as(
                Expr::col((bookings::Entity, bookings::Column::Id)).count(),
                "n",
            )
            .group_by(bookings::Column::CenterId)
    };
    let by_draw = made()
        .join(JoinType::InnerJoin, matched_request())
        .filter(draw_requests::Column::Status.eq(crate::service::draws::MATCHED));
    let by_list = made()
        .join(JoinType::InnerJoin, served_entry())
        .filter(waitlist_entries::Column::Status.eq(crate::service::waitlist::SERVED))
        .filter(waitlist_entries::Column::BookingId.is_null());
    type Set = fn(&mut FairnessRow, u32);
    let counts: [(sea_orm::Select<bookings::Entity>, Set); 3] = [
        (made(), |r, n| r.booked = n),
        (by_draw, |r, n| r.via_draw = n),
        (by_list, |r, n| r.via_waitlist = n),
    ];
    for (q, set) in counts {
        for (c, n) in q.into_tuple::<(i64, i64)>().all(db).await? {
            if let Some(a) = acc.get_mut(&c) {
                set(&mut a.row, count(n));
            }
        }
    }

    // Waiting-list entries served in the period, at the booking's center.
    let served = only(bookings::Entity::find())
        .select_only()
        .column(bookings::Column::CenterId)
        .column(waitlist_entries::Column::CreatedAt)
        .column(waitlist_entries::Column::EndedAt)
        .join(JoinType::InnerJoin, served_entry())
        .filter(waitlist_entries::Column::Status.eq(crate::service::waitlist::SERVED))
        .filter(waitlist_entries::Column::EndedAt.gte(t0))
        .filter(waitlist_entries::Column::EndedAt.lt(t1));
    for (c, joined, ended) in served
        .into_tuple::<(i64, i64, Option<i64>)>()
        .all(db)
        .await?
    {
        if let Some(a) = acc.get_mut(&c) {
            a.row.waitlist_served += 1;
            if let Some(e) = ended {
                a.waits.push(Ord::max(e - joined, 0));
            }
        }
    }

    // No-shows among past visits.
    let past_to = Ord::min(t.clone(), ymd(today.pred_opt().unwrap_or(today)));
    let past = only(bookings::Entity::find())
        .filter(bookings::Column::WalkIn.eq(false))
        .filter(bookings::Column::Status.ne("Cancelled"))
        .filter(bookings::Column::LocalDate.gte(f.clone()))
        .filter(bookings::Column::LocalDate.lte(past_to))
        .select_only()
        .column(bookings::Column::CenterId)
        .column(bookings::Column::Status)
        .column_as(
            Expr::col((bookings::Entity, bookings::Column::Id)).count(),
            "n",
        )
        .group_by(bookings::Column::CenterId)
        .group_by(bookings::Column::Status);
    for (c, status, n) in past.into_tuple::<(i64, String, i64)>().all(db).await? {
        if let Some(a) = acc.get_mut(&c) {
            a.row.past_visits += count(n);
            if status == "NoShow" {
                a.row.no_shows += count(n);
            }
        }
    }

    // Draws run in the period.
    let mut dq = draws::Entity::find()
        .filter(draws::Column::Status.eq(crate::service::draws::DONE))
        .filter(draws::Column::RanAt.gte(t0))
        .filter(draws::Column::RanAt.lt(t1))
        .order_by_desc(draws::Column::RanAt)
        .limit(MAX_DRAWS);
    if let Some(c) = center {
        dq = dq.filter(
            draws::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(draw_dates::Column::DrawId)
                    .from(draw_dates::Entity)
                    .and_where(draw_dates::Column::CenterId.eq(c))
                    .to_owned(),
            ),
        );
    }
    let draw_rows = dq.all(db).await?;
    let ids: Vec<i64> = draw_rows.iter().map(|d| d.id).collect();
    let dates = if ids.is_empty() {
        Vec::new()
    } else {
        draw_dates::Entity::find()
            .filter(draw_dates::Column::DrawId.is_in(ids.clone()))
            .order_by_asc(draw_dates::Column::LocalDate)
            .all(db)
            .await?
    };
    let tallies: Vec<(i64, String, i64)> = if ids.is_empty() {
        Vec::new()
    } else {
        draw_requests::Entity::find()
            .select_only()
            .column(draw_requests::Column::DrawId)
            .column(draw_requests::Column::Status)
            .column_as(
                Expr::col((draw_requests::Entity, draw_requests::Column::Id)).count(),
                "n",
            )
            .filter(draw_requests::Column::DrawId.is_in(ids))
            .group_by(draw_requests::Column::DrawId)
            .group_by(draw_requests::Column::Status)
            .into_tuple()
            .all(db)
            .await?
    };
    let names: HashMap<i64, String> = center_rows
        .iter()
        .map(|c| {
            (
                c.id,
                lang.choose(&c.name_kk, &c.name_ru, &c.name_en).clone(),
            )
        })
        .collect();
    let mut records = Vec::new();
    for d in &draw_rows {
        let mine: Vec<&draw_dates::Model> = dates.iter().filter(|x| x.draw_id == d.id).collect();
        let mut cs: Vec<i64> = mine.iter().map(|x| x.center_id).collect();
        cs.sort_unstable();
        cs.dedup();
        for c in &cs {
            if let Some(a) = acc.get_mut(c) {
                a.draws.insert(d.id);
            }
        }
        let mut ds: Vec<String> = mine.iter().map(|x| x.local_date.clone()).collect();
        ds.dedup();
        let (mut requests, mut matched) = (0u32, 0u32);
        for (_, status, n) in tallies.iter().filter(|(id, _, _)| *id == d.id) {
            requests += count(*n);
            if status == crate::service::draws::MATCHED {
                matched += count(*n);
            }
        }
        records.push(DrawRecord {
            id: d.id.to_string(),
            ran_at: rfc3339_in(tz, d.ran_at.unwrap_or(d.closes_at)),
            centers: cs
                .iter()
                .map(|c| names.get(c).cloned().unwrap_or_else(|| c.to_string()))
                .collect(),
            dates: ds,
            requests,
            matched,
        });
    }

    // Rows per center and per region.
    let mut regions: BTreeMap<String, Acc> = BTreeMap::new();
    let mut rows = Vec::new();
    for c in &center_rows {
        let Some(mut a) = acc.remove(&c.id) else {
            continue;
        };
        a.row.region = c.region.clone();
        a.row.city = kezek_i18n::place_name(&c.city, lang);
        a.row.center_id = Some(c.id.to_string());
        a.row.name = names.get(&c.id).cloned().unwrap_or_default();
        let r = regions.entry(c.region.clone()).or_default();
        r.add(&a);
        rows.push(a.finish());
    }
    let regions = regions
        .into_iter()
        .map(|(name, mut a)| {
            a.row.name = kezek_i18n::place_name(&name, lang);
            a.row.region = name;
            a.finish()
        })
        .collect();
    let policy = core.read_cache.policy(db).await?;
    Ok(Fairness {
        from: f,
        to: t,
        computed_at: rfc3339_in(tz, core.now().timestamp()),
        horizon_days: policy.horizon_days,
        regions,
        centers: rows,
        draws: records,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank_with_nothing_free_last() {
        let h = BTreeMap::from([(0, 2u64), (3, 5), (10, 2), (-1, 1)]);
        // 10 looks: ranks 5 and 9.
        assert_eq!(percentile(&h, 0.5), Some(3));
        assert_eq!(percentile(&h, 0.9), Some(10));
        let mostly_none = BTreeMap::from([(1, 1u64), (-1, 3)]);
        assert_eq!(percentile(&mostly_none, 0.5), None);
        assert_eq!(percentile(&BTreeMap::new(), 0.5), None);
        assert_eq!(percentile(&BTreeMap::from([(4, 1u64)]), 0.9), Some(4));
        assert_eq!(median_of(vec![30, 10, 20, 40]), Some(20));
        assert_eq!(median_of(Vec::new()), None);
    }
}
