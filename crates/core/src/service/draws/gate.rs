//! Is a center's date still under a draw (R12)? A date covered by a draw
//! that has not finished, or — at a center in `draw` mode — a date from its
//! `draw_from` on that no finished draw covers yet, cannot be booked
//! directly (`draw_pending`). Bookings and reschedules ask inside their
//! transaction, after the center lock: an ad hoc draw bumps the center's
//! schedule version first, so a booking either commits before the draw
//! opens or sees it.
use std::collections::{BTreeSet, HashMap};

use chrono::{Days, NaiveDate};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::entity::{center_release, draw_dates, draws};
use crate::error::ServiceError;
use crate::service::booking::facts::ts;
use kezek_domain::refusal::Refusal;

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// `Some(closes_at)` when the date is under a draw (`closes_at`: Unix
/// seconds, when an open draw closes; `None` while the draw is being run
/// or not opened yet).
pub async fn draw_block(
    db: &impl ConnectionTrait,
    center_id: i64,
    date: NaiveDate,
) -> Result<Option<Option<i64>>, ServiceError> {
    let d = day(date);
    if let Some(dd) = draw_dates::Entity::find_by_id((center_id, d.clone()))
        .one(db)
        .await?
    {
        let draw = draws::Entity::find_by_id(dd.draw_id).one(db).await?;
        return Ok(match draw {
            Some(x) if x.status == super::OPEN => Some(Some(x.closes_at)),
            Some(x) if x.status == super::RUNNING => Some(None),
            _ => None,
        });
    }
    let rel = center_release::Entity::find_by_id(center_id)
        .one(db)
        .await?;
    Ok(match rel {
        Some(r) if r.mode == "draw" && d >= r.draw_from => Some(None),
        _ => None,
    })
}

/// `draw_pending` for the center's zone.
pub fn refusal(tz: chrono_tz::Tz, closes_at: Option<i64>) -> Refusal {
    Refusal::DrawPending {
        closes_at: closes_at.map(|t| ts(t).with_timezone(&tz).naive_local()),
    }
}

/// Refuses with `draw_pending` when the date is under a draw.
pub async fn check(
    db: &impl ConnectionTrait,
    center_id: i64,
    tz: chrono_tz::Tz,
    date: NaiveDate,
) -> Result<(), ServiceError> {
    match draw_block(db, center_id, date).await? {
        Some(closes) => Err(ServiceError::Refused(refusal(tz, closes))),
        None => Ok(()),
    }
}

/// The dates in `[from, to]` under a draw at the center, with when their
/// open draw closes (Unix seconds), for availability and the calendar.
pub async fn blocked_dates(
    db: &impl ConnectionTrait,
    center_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<NaiveDate, Option<i64>>, ServiceError> {
    let covered = draw_dates::Entity::find()
        .filter(draw_dates::Column::CenterId.eq(center_id))
        .filter(draw_dates::Column::LocalDate.gte(day(from)))
        .filter(draw_dates::Column::LocalDate.lte(day(to)))
        .all(db)
        .await?;
    let ids: BTreeSet<i64> = covered.iter().map(|c| c.draw_id).collect();
    let status: HashMap<i64, draws::Model> = if ids.is_empty() {
        HashMap::new()
    } else {
        draws::Entity::find()
            .filter(draws::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|d| (d.id, d))
            .collect()
    };
    let mut out = HashMap::new();
    let mut seen = BTreeSet::new();
    for c in &covered {
        let Ok(date) = NaiveDate::parse_from_str(&c.local_date, "%Y-%m-%d") else {
            continue;
        };
        seen.insert(date);
        match status.get(&c.draw_id) {
            Some(d) if d.status == super::OPEN => {
                out.insert(date, Some(d.closes_at));
            }
            Some(d) if d.status == super::RUNNING => {
                out.insert(date, None);
            }
            _ => {}
        }
    }
    if let Some(r) = center_release::Entity::find_by_id(center_id)
        .one(db)
        .await?
        && r.mode == "draw"
        && let Ok(draw_from) = NaiveDate::parse_from_str(&r.draw_from, "%Y-%m-%d")
    {
        let mut d = from.max(draw_from);
        while d <= to {
            if !seen.contains(&d) {
                out.insert(d, None);
            }
            d = match d.checked_add_days(Days::new(1)) {
                Some(n) => n,
                None => break,
            };
        }
    }
    Ok(out)
}

/// The center's dates in `[from, to]` under an **open** draw, with the
/// draw's id and closing time (Unix seconds): the calendar's "request a
/// time" days.
pub async fn open_draw_days(
    db: &impl ConnectionTrait,
    center_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(NaiveDate, i64, i64)>, ServiceError> {
    let covered = draw_dates::Entity::find()
        .filter(draw_dates::Column::CenterId.eq(center_id))
        .filter(draw_dates::Column::LocalDate.gte(day(from)))
        .filter(draw_dates::Column::LocalDate.lte(day(to)))
        .all(db)
        .await?;
    let ids: BTreeSet<i64> = covered.iter().map(|c| c.draw_id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let open: HashMap<i64, i64> = draws::Entity::find()
        .filter(draws::Column::Id.is_in(ids))
        .filter(draws::Column::Status.eq(super::OPEN))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.closes_at))
        .collect();
    let mut out: Vec<(NaiveDate, i64, i64)> = covered
        .iter()
        .filter_map(|c| {
            let closes = open.get(&c.draw_id)?;
            let d = NaiveDate::parse_from_str(&c.local_date, "%Y-%m-%d").ok()?;
            Some((d, c.draw_id, *closes))
        })
        .collect();
    out.sort();
    Ok(out)
}
