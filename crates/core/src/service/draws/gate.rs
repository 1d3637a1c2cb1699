//! Is a center's date still under a draw (R12)? A date covered by a draw
//! that has not finished, or — at a center in `draw` mode — a date from its
//! `draw_from` on that no finished draw covers yet, cannot be booked
//! directly (`draw_pending`). Bookings and reschedules ask inside their
//! transaction, after the center lock: an ad hoc draw bumps the center's
//! schedule version first, so a booking either commits before the draw
//! opens or sees it.
use std::collections::{BTreeSet, HashMap};

use chrono::{Days, NaiveDate};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Statement, Value,
};

use crate::entity::{center_release, draw_dates, draws};
use crate::error::ServiceError;
use crate::service::booking::facts::ts;
use kezek_domain::refusal::Refusal;

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// `Some(closes_at)` when the date is under a draw (`closes_at`: Unix
/// seconds, when an open draw closes; `None` while the draw is being run
/// or not opened yet). One statement (every booking and reschedule asks):
/// the date's draw, if any, and the center's release mode.
pub async fn draw_block(
    db: &impl ConnectionTrait,
    center_id: i64,
    date: NaiveDate,
) -> Result<Option<Option<i64>>, ServiceError> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "SELECT dd.draw_id, d.status, d.closes_at, r.mode, r.draw_from \
             FROM (SELECT 1 AS one) k \
             LEFT JOIN draw_dates dd ON dd.center_id = $1 AND dd.local_date = $2 \
             LEFT JOIN draws d ON d.id = dd.draw_id \
             LEFT JOIN center_release r ON r.center_id = $3"
        }
        _ => {
            "SELECT dd.draw_id, d.status, d.closes_at, r.mode, r.draw_from \
             FROM (SELECT 1 AS one) k \
             LEFT JOIN draw_dates dd ON dd.center_id = ? AND dd.local_date = ? \
             LEFT JOIN draws d ON d.id = dd.draw_id \
             LEFT JOIN center_release r ON r.center_id = ?"
        }
    };
    let d = day(date);
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [
                Value::BigInt(Some(center_id)),
                Value::String(Some(d.clone())),
                Value::BigInt(Some(center_id)),
            ],
        ))
        .await?
        .ok_or_else(|| ServiceError::Internal("draw gate: no row".into()))?;
    let covered: Option<i64> = row.try_get("", "draw_id")?;
    if covered.is_some() {
        let status: Option<String> = row.try_get("", "status")?;
        let closes_at: Option<i64> = row.try_get("", "closes_at")?;
        return Ok(match (status.as_deref(), closes_at) {
            (Some(super::OPEN), Some(closes)) => Some(Some(closes)),
            (Some(super::RUNNING), _) => Some(None),
            _ => None,
        });
    }
    let mode: Option<String> = row.try_get("", "mode")?;
    let draw_from: Option<String> = row.try_get("", "draw_from")?;
    Ok(match (mode.as_deref(), draw_from) {
        (Some("draw"), Some(from)) if d >= from => Some(None),
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
