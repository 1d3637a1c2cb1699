//! Draws as the public sees them (no personal data) and as lists.
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entity::{centers, draw_dates, draw_requests, draws};
use crate::error::ServiceError;
use crate::service::booking::facts::rfc3339_in;
use crate::state::Core;
use kezek_wire::draws::{DrawEntry, DrawView};

/// The zone of a draw's times: its first center's (all of Kazakhstan is
/// UTC+5 since 2024; the zone is stored per center anyway).
pub(crate) async fn zone_of(
    db: &impl ConnectionTrait,
    center_id: Option<i64>,
) -> Result<chrono_tz::Tz, ServiceError> {
    let Some(id) = center_id else {
        return Ok(chrono_tz::Asia::Almaty);
    };
    Ok(centers::Entity::find_by_id(id)
        .one(db)
        .await?
        .and_then(|c| c.timezone.parse().ok())
        .unwrap_or(chrono_tz::Asia::Almaty))
}

/// The draw's (center, date) pairs, sorted.
pub(crate) async fn pairs(
    db: &impl ConnectionTrait,
    draw_id: i64,
) -> Result<Vec<(i64, NaiveDate)>, ServiceError> {
    let mut out: Vec<(i64, NaiveDate)> = draw_dates::Entity::find()
        .filter(draw_dates::Column::DrawId.eq(draw_id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| {
            NaiveDate::parse_from_str(&r.local_date, "%Y-%m-%d")
                .ok()
                .map(|d| (r.center_id, d))
        })
        .collect();
    out.sort();
    Ok(out)
}

/// The public record of a draw; `with_requests` adds every request
/// (public id, position once run, outcome).
pub async fn view(
    db: &impl ConnectionTrait,
    d: &draws::Model,
    with_requests: bool,
) -> Result<DrawView, ServiceError> {
    let pairs = pairs(db, d.id).await?;
    let mut center_ids: Vec<i64> = pairs.iter().map(|(c, _)| *c).collect();
    center_ids.sort_unstable();
    center_ids.dedup();
    let mut dates: Vec<NaiveDate> = pairs.iter().map(|(_, d)| *d).collect();
    dates.sort_unstable();
    dates.dedup();
    let tz = zone_of(db, center_ids.first().copied()).await?;
    let done = d.status == super::DONE;
    let requests = if with_requests {
        let rows = draw_requests::Entity::find()
            .filter(draw_requests::Column::DrawId.eq(d.id))
            .filter(draw_requests::Column::Status.ne(super::WITHDRAWN))
            .order_by_asc(draw_requests::Column::Position)
            .order_by_asc(draw_requests::Column::Id)
            .all(db)
            .await?;
        rows.into_iter()
            .map(|r| DrawEntry {
                position: r
                    .position
                    .filter(|_| d.status != super::OPEN)
                    .and_then(|p| u32::try_from(p).ok()),
                outcome: r.status,
                public_id: r.public_id,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(DrawView {
        id: d.id.to_string(),
        center_kind: d.center_kind.clone(),
        center_ids: center_ids.iter().map(i64::to_string).collect(),
        dates: dates
            .iter()
            .map(|d| d.format("%Y-%m-%d").to_string())
            .collect(),
        opens_at: rfc3339_in(tz, d.opens_at),
        closes_at: rfc3339_in(tz, d.closes_at),
        status: d.status.clone(),
        commitment: d.commitment.clone(),
        seed: done.then(|| d.seed.clone()),
        requests,
    })
}

/// `GET /draws/{id}`: `NotFound` for an unknown id.
pub async fn get(core: &Core, id: i64) -> Result<DrawView, ServiceError> {
    let d = draws::Entity::find_by_id(id)
        .one(&core.db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    view(&core.db, &d, true).await
}

/// `GET /draws`: the newest 100 draws covering the center and/or date
/// (without their request lists; `GET /draws/{id}` has them).
pub async fn list(
    core: &Core,
    center_id: Option<i64>,
    date: Option<NaiveDate>,
) -> Result<Vec<DrawView>, ServiceError> {
    let mut q = draws::Entity::find()
        .order_by_desc(draws::Column::Id)
        .limit(100);
    if center_id.is_some() || date.is_some() {
        let mut dq = draw_dates::Entity::find()
            .select_only()
            .column(draw_dates::Column::DrawId);
        if let Some(c) = center_id {
            dq = dq.filter(draw_dates::Column::CenterId.eq(c));
        }
        if let Some(d) = date {
            dq = dq.filter(draw_dates::Column::LocalDate.eq(d.format("%Y-%m-%d").to_string()));
        }
        let ids: Vec<i64> = dq.into_tuple().all(&core.db).await?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        q = q.filter(draws::Column::Id.is_in(ids));
    }
    let mut out = Vec::new();
    for d in q.all(&core.db).await? {
        out.push(view(&core.db, &d, false).await?);
    }
    Ok(out)
}

/// A center's name in `lang` (its id when it is gone or inactive).
pub(crate) async fn center_name(core: &Core, id: i64, lang: kezek_i18n::Lang) -> String {
    match core.read_cache.center(&core.db, id).await {
        Ok(ctx) => crate::service::booking::create::names(&ctx, lang)
            .0
            .to_owned(),
        Err(_) => id.to_string(),
    }
}

/// A service's name in `lang` (its code when unknown).
pub(crate) async fn service_name(
    core: &Core,
    code: &str,
    lang: kezek_i18n::Lang,
) -> Result<String, ServiceError> {
    Ok(match core.read_cache.service(&core.db, code).await? {
        Some(s) => lang.choose(&s.name_kk, &s.name_ru, &s.name_en).clone(),
        None => code.to_owned(),
    })
}
