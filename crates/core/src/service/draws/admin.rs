//! Administrators' side of R12: ad hoc draws, a center's release mode, and
//! the release job that opens a draw for each day entering the horizon of
//! a center in `draw` mode.
use std::collections::BTreeSet;

use chrono::{Days, NaiveDate, NaiveTime};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    sea_query::OnConflict,
};

use crate::entity::{center_release, centers, draw_dates, draws};
use crate::error::ServiceError;
use crate::service::booking::txn::{bump_schedule, write_txn};
use crate::state::Core;
use kezek_domain::calendar::utc_to_local;
use kezek_domain::draw::{DEFAULT_WINDOW_MINUTES, ReleaseMode, check_window_minutes};
use kezek_domain::input::BadInput;
use kezek_wire::draws::{DrawView, ReleaseView};

use super::order::{commitment, new_seed};

/// Inserts a draw over `pairs` opening at `opens_at`; `DrawExists` when a
/// pair is covered already (the primary key of `draw_dates` decides under
/// concurrency).
async fn insert_draw(
    txn: &DatabaseTransaction,
    kind: &str,
    pairs: &[(i64, NaiveDate)],
    opens_at: i64,
    window_min: u32,
    origin: &str,
) -> Result<draws::Model, ServiceError> {
    for (c, d) in pairs {
        if draw_dates::Entity::find_by_id((*c, d.format("%Y-%m-%d").to_string()))
            .one(txn)
            .await?
            .is_some()
        {
            return Err(ServiceError::BadRequest(BadInput::DrawExists {
                center_id: *c,
                date: *d,
            }));
        }
    }
    let seed = new_seed();
    let commit = commitment(&seed).ok_or_else(|| ServiceError::Internal("seed".into()))?;
    let row = draws::ActiveModel {
        id: NotSet,
        center_kind: Set(kind.to_owned()),
        opens_at: Set(opens_at),
        closes_at: Set(opens_at + i64::from(window_min) * 60),
        status: Set(super::OPEN.to_owned()),
        seed: Set(seed),
        commitment: Set(commit),
        origin: Set(origin.to_owned()),
        created_at: Set(opens_at),
        ran_at: Set(None),
    };
    let id = draws::Entity::insert(row).exec(txn).await?.last_insert_id;
    let n = draw_dates::Entity::insert_many(pairs.iter().map(|(c, d)| draw_dates::ActiveModel {
        draw_id: Set(id),
        center_id: Set(*c),
        local_date: Set(d.format("%Y-%m-%d").to_string()),
    }))
    .on_conflict(
        OnConflict::columns([draw_dates::Column::CenterId, draw_dates::Column::LocalDate])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    if n != pairs.len() as u64 {
        // Another transaction covered a pair meanwhile: the caller rolls
        // back.
        let (c, d) = pairs[0];
        return Err(ServiceError::BadRequest(BadInput::DrawExists {
            center_id: c,
            date: d,
        }));
    }
    draws::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// An ad hoc draw over `center_ids × dates`, opening now for
/// `window_minutes` (default 30). The centers must be active and of one
/// kind; the dates inside the horizon and not under another draw.
pub async fn create(
    core: &Core,
    center_ids: &[i64],
    dates: &[NaiveDate],
    window_minutes: Option<i64>,
) -> Result<DrawView, ServiceError> {
    let window = match window_minutes {
        Some(m) => check_window_minutes(m).map_err(ServiceError::BadRequest)?,
        None => DEFAULT_WINDOW_MINUTES,
    };
    let centers: BTreeSet<i64> = center_ids.iter().copied().collect();
    let dates: BTreeSet<NaiveDate> = dates.iter().copied().collect();
    if centers.is_empty() || centers.len() > 50 {
        return Err(ServiceError::BadRequest(BadInput::OutOfRange {
            field: "center_ids",
            min: 1,
            max: 50,
        }));
    }
    if dates.is_empty() || dates.len() > 31 {
        return Err(ServiceError::BadRequest(BadInput::OutOfRange {
            field: "dates",
            min: 1,
            max: 31,
        }));
    }
    let now = core.now();
    let policy = core.read_cache.policy(&core.db).await?;
    let mut kind: Option<String> = None;
    for c in &centers {
        let row = centers::Entity::find_by_id(*c)
            .one(&core.db)
            .await?
            .filter(|r| r.active)
            .ok_or(ServiceError::BadRequest(BadInput::UnknownCenter { id: *c }))?;
        match &kind {
            Some(k) if *k != row.kind => {
                return Err(ServiceError::BadRequest(BadInput::MixedKinds));
            }
            _ => kind = Some(row.kind.clone()),
        }
        let tz: chrono_tz::Tz = row.timezone.parse().unwrap_or(chrono_tz::Asia::Almaty);
        let bounds = policy.bounds(utc_to_local(tz, now));
        for d in &dates {
            if *d < utc_to_local(tz, now).date() {
                return Err(ServiceError::BadRequest(BadInput::DatePassed));
            }
            if *d > bounds.last_date {
                return Err(ServiceError::BadRequest(BadInput::DateBeyond {
                    last_date: bounds.last_date,
                }));
            }
        }
    }
    let kind = kind.unwrap_or_default();
    let pairs: Vec<(i64, NaiveDate)> = centers
        .iter()
        .flat_map(|c| dates.iter().map(move |d| (*c, *d)))
        .collect();
    let row = write_txn(core, |txn| {
        let (kind, pairs) = (kind.clone(), pairs.clone());
        Box::pin(async move {
            // First: bookings holding a center row commit before the draw
            // opens; later ones see it (the gate).
            for c in pairs.iter().map(|(c, _)| *c).collect::<BTreeSet<_>>() {
                bump_schedule(txn, Some(c)).await?;
            }
            insert_draw(txn, &kind, &pairs, now.timestamp(), window, "admin").await
        })
    })
    .await?;
    core.read_cache.clear();
    tracing::info!(draw = row.id, pairs = pairs.len(), "draw opened");
    super::views::view(&core.db, &row, true).await
}

fn release_view(center_id: i64, r: Option<&center_release::Model>) -> ReleaseView {
    match r {
        Some(r) => ReleaseView {
            center_id: center_id.to_string(),
            mode: r.mode.clone(),
            release_time: r.release_time.clone(),
            window_minutes: u32::try_from(r.window_minutes).unwrap_or(DEFAULT_WINDOW_MINUTES),
            draw_from: (r.mode == "draw").then(|| r.draw_from.clone()),
        },
        None => ReleaseView {
            center_id: center_id.to_string(),
            mode: ReleaseMode::FirstCome.as_str().to_owned(),
            release_time: "09:00".to_owned(),
            window_minutes: DEFAULT_WINDOW_MINUTES,
            draw_from: None,
        },
    }
}

/// A center's release mode (no row = first-come at 09:00, 30 minutes).
pub async fn release(core: &Core, center_id: i64) -> Result<ReleaseView, ServiceError> {
    centers::Entity::find_by_id(center_id)
        .one(&core.db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let r = center_release::Entity::find_by_id(center_id)
        .one(&core.db)
        .await?;
    Ok(release_view(center_id, r.as_ref()))
}

/// Sets a center's release mode. Turning `draw` on leaves the dates
/// already in the horizon first-come: draws start with the next day that
/// enters it (`draw_from`). Turning it off frees the dates no draw covers.
pub async fn set_release(
    core: &Core,
    center_id: i64,
    mode: &str,
    release_time: Option<&str>,
    window_minutes: Option<i64>,
) -> Result<ReleaseView, ServiceError> {
    let mode = ReleaseMode::parse(mode).map_err(ServiceError::BadRequest)?;
    let time = kezek_domain::draw::parse_opt_time(release_time)
        .map_err(ServiceError::BadRequest)?
        .unwrap_or(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN));
    let window = match window_minutes {
        Some(m) => check_window_minutes(m).map_err(ServiceError::BadRequest)?,
        None => DEFAULT_WINDOW_MINUTES,
    };
    let center = centers::Entity::find_by_id(center_id)
        .one(&core.db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let tz: chrono_tz::Tz = center.timezone.parse().unwrap_or(chrono_tz::Asia::Almaty);
    let now = core.now();
    let policy = core.read_cache.policy(&core.db).await?;
    let first_new =
        utc_to_local(tz, now).date() + chrono::Duration::days(i64::from(policy.horizon_days) + 1);
    let row = write_txn(core, |_txn| {
        Box::pin(async move {
            let txn = _txn;
            bump_schedule(txn, Some(center_id)).await?;
            let old = center_release::Entity::find_by_id(center_id)
                .one(txn)
                .await?;
            let draw_from = match (&old, mode) {
                (Some(o), ReleaseMode::Draw) if o.mode == "draw" => o.draw_from.clone(),
                _ => first_new.format("%Y-%m-%d").to_string(),
            };
            let m = center_release::ActiveModel {
                center_id: Set(center_id),
                mode: Set(mode.as_str().to_owned()),
                release_time: Set(time.format("%H:%M").to_string()),
                window_minutes: Set(i32::try_from(window).unwrap_or(30)),
                draw_from: Set(draw_from),
                updated_at: Set(now.timestamp()),
            };
            center_release::Entity::insert(m)
                .on_conflict(
                    OnConflict::column(center_release::Column::CenterId)
                        .update_columns([
                            center_release::Column::Mode,
                            center_release::Column::ReleaseTime,
                            center_release::Column::WindowMinutes,
                            center_release::Column::DrawFrom,
                            center_release::Column::UpdatedAt,
                        ])
                        .to_owned(),
                )
                .exec_without_returning(txn)
                .await?;
            Ok(center_release::Entity::find_by_id(center_id)
                .one(txn)
                .await?)
        })
    })
    .await?;
    core.read_cache.clear();
    Ok(release_view(center_id, row.as_ref()))
}

/// One pass of the release job: for every center in `draw` mode, the dates
/// from `draw_from` up to the newest released one (today + horizon once
/// the release time has passed today, else the day before) that no draw
/// covers get one draw, opening now. Idempotent across processes: the
/// primary key of `draw_dates` lets one of two racing passes win.
pub async fn release_pass(core: &Core) -> Result<usize, ServiceError> {
    let now = core.now();
    let policy = core.read_cache.policy(&core.db).await?;
    let rows = center_release::Entity::find()
        .filter(center_release::Column::Mode.eq("draw"))
        .all(&core.db)
        .await?;
    let mut opened = 0;
    for r in rows {
        let Some(center) = centers::Entity::find_by_id(r.center_id)
            .one(&core.db)
            .await?
            .filter(|c| c.active)
        else {
            continue;
        };
        let tz: chrono_tz::Tz = center.timezone.parse().unwrap_or(chrono_tz::Asia::Almaty);
        let local = utc_to_local(tz, now);
        let release_at = NaiveTime::parse_from_str(&r.release_time, "%H:%M")
            .unwrap_or(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN));
        let mut last = local.date() + chrono::Duration::days(i64::from(policy.horizon_days));
        if local.time() < release_at {
            last -= chrono::Duration::days(1);
        }
        let Ok(draw_from) = NaiveDate::parse_from_str(&r.draw_from, "%Y-%m-%d") else {
            continue;
        };
        let first = draw_from.max(local.date());
        if first > last {
            continue;
        }
        let done_or_open: BTreeSet<NaiveDate> = crate::entity::draw_dates::Entity::find()
            .filter(draw_dates::Column::CenterId.eq(r.center_id))
            .filter(draw_dates::Column::LocalDate.gte(first.format("%Y-%m-%d").to_string()))
            .filter(draw_dates::Column::LocalDate.lte(last.format("%Y-%m-%d").to_string()))
            .all(&core.db)
            .await?
            .iter()
            .filter_map(|d| NaiveDate::parse_from_str(&d.local_date, "%Y-%m-%d").ok())
            .collect();
        let mut missing = Vec::new();
        let mut d = first;
        while d <= last {
            if !done_or_open.contains(&d) {
                missing.push((r.center_id, d));
            }
            d = match d.checked_add_days(Days::new(1)) {
                Some(n) => n,
                None => break,
            };
        }
        if missing.is_empty() {
            continue;
        }
        let window = u32::try_from(r.window_minutes).unwrap_or(DEFAULT_WINDOW_MINUTES);
        let kind = center.kind.clone();
        let result = write_txn(core, |txn| {
            let (kind, missing) = (kind.clone(), missing.clone());
            Box::pin(async move {
                insert_draw(txn, &kind, &missing, now.timestamp(), window, "release").await
            })
        })
        .await;
        match result {
            Ok(d) => {
                opened += 1;
                tracing::info!(draw = d.id, center = r.center_id, "release draw opened");
            }
            // Another process opened it first.
            Err(ServiceError::BadRequest(BadInput::DrawExists { .. })) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(opened)
}
