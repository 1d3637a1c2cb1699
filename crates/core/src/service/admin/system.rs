//! The administrator's use cases: centers, services, policy values, staff
//! accounts, the national calendar. Every function here requires the
//! `administrator` role (checked again here, not only by the caller).
//!
//! Changes that could leave bookings outside a schedule are decided like
//! a center's schedule changes (`super::schedule`): closing a center for
//! booking is refused while it has active bookings; a new national day off
//! lists the bookings on it and needs a decision (move / cancel).
use chrono::{Datelike, NaiveDate};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    sea_query::Expr, sea_query::ExprTrait, sea_query::OnConflict,
};

use crate::entity::{bookings, centers, national_days, policy, services, sessions, staff, windows};
use crate::error::ServiceError;
use crate::service::booking::close_day::CloseAction;
use crate::service::booking::relocation;
use crate::service::booking::schedule::load_center;
use crate::service::booking::txn::{bump_schedule, write_txn};
use crate::service::staff::{Need, StaffActor, StaffRole, allows};
use crate::state::Core;
use kezek_domain::catalog::CenterKind;
use kezek_domain::input::BadInput;
use kezek_domain::lifecycle::BookingStatus;
use kezek_domain::policy::Policy;
use kezek_i18n::Lang;
use kezek_wire::admin::{CenterRow, NationalDayRow, NewCenter, ServiceRow, StaffRow};
use kezek_wire::staff::ClosureOutcome;

use super::closure::Decision;
use super::schedule::misfits;

fn authorize(actor: &StaffActor) -> Result<(), ServiceError> {
    if allows(actor, Need::Administrator) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

fn bad(b: BadInput) -> ServiceError {
    ServiceError::BadRequest(b)
}

fn text(field: &'static str, v: &str, max: u32) -> Result<String, ServiceError> {
    let v = v.trim();
    if v.is_empty() || v.chars().count() > max as usize {
        return Err(bad(BadInput::FieldLength { field, max }));
    }
    if kezek_domain::input::has_control(v) {
        return Err(bad(BadInput::ControlCharacters { field }));
    }
    Ok(v.to_owned())
}

pub async fn centers(state: &Core, lang: Lang) -> Result<Vec<CenterRow>, ServiceError> {
    Ok(centers::Entity::find()
        .order_by_asc(centers::Column::Id)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| CenterRow {
            id: c.id,
            name: lang.pick(&c.name_kk, &c.name_ru, &c.name_en).to_owned(),
            address: lang
                .pick(&c.address_kk, &c.address_ru, &c.address_en)
                .to_owned(),
            slug: c.slug,
            kind: c.kind,
            city: c.city,
            slot_minutes: c.slot_minutes,
            cap: c.capacity_cap,
            active: c.active,
        })
        .collect())
}

pub async fn create_center(
    state: &Core,
    actor: &StaffActor,
    c: NewCenter,
) -> Result<i64, ServiceError> {
    authorize(actor)?;
    let slug = c.slug.trim().to_ascii_lowercase();
    if slug.is_empty()
        || slug.len() > 40
        || !slug
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
    {
        return Err(bad(BadInput::SlugFormat { max: 40 }));
    }
    let kind = match c.kind.trim() {
        "psc" | "Psc" => CenterKind::Psc,
        "auto" | "AutoPsc" => CenterKind::AutoPsc,
        _ => {
            return Err(bad(BadInput::OneOf {
                field: "kind",
                allowed: &["Psc", "AutoPsc"],
            }));
        }
    };
    if c.timezone.parse::<chrono_tz::Tz>().is_err() {
        return Err(bad(BadInput::Timezone));
    }
    if ![5, 10, 15, 20, 30, 60].contains(&c.slot_minutes) {
        return Err(bad(BadInput::OneOf {
            field: "slot_minutes",
            allowed: &["5", "10", "15", "20", "30", "60"],
        }));
    }
    let taken = centers::Entity::find()
        .filter(centers::Column::Slug.eq(slug.clone()))
        .count(&state.db)
        .await?;
    if taken > 0 {
        return Err(bad(BadInput::SlugTaken { slug }));
    }
    let row = centers::ActiveModel {
        slug: Set(slug),
        kind: Set(kind.as_str().to_owned()),
        name_kk: Set(text("name_kk", &c.name_kk, 200)?),
        name_ru: Set(text("name_ru", &c.name_ru, 200)?),
        name_en: Set(text("name_en", &c.name_en, 200)?),
        region: Set(text("region", &c.region, 100)?),
        city: Set(text("city", &c.city, 100)?),
        address_kk: Set(text("address_kk", &c.address_kk, 300)?),
        address_ru: Set(text("address_ru", &c.address_ru, 300)?),
        address_en: Set(text("address_en", &c.address_en, 300)?),
        timezone: Set(c.timezone),
        slot_minutes: Set(c.slot_minutes),
        capacity_cap: Set(None),
        active: Set(true),
        ..Default::default()
    };
    let id = centers::Entity::insert(row)
        .exec(&state.db)
        .await?
        .last_insert_id;
    state.read_cache.clear();
    tracing::info!(actor = actor.id, center = id, "center created");
    Ok(id)
}

/// Closing a center for booking is refused while it has active bookings
/// (close its days with a decision first); reopening is always allowed.
pub async fn set_center_active(
    state: &Core,
    actor: &StaffActor,
    id: i64,
    active: bool,
) -> Result<(), ServiceError> {
    authorize(actor)?;
    // From the start of today (UTC-day margin): a visit earlier today may
    // still be checked in or served.
    let since = state.now().timestamp() - 24 * 3600;
    let today = kezek_domain::calendar::utc_to_local(chrono_tz::Asia::Almaty, state.now()).date();
    write_txn(state, |txn| {
        let core = state.clone();
        Box::pin(async move {
            // The lock first (M1): bookings in flight finish, later ones see
            // the center inactive; then the count sees every booking.
            let r = centers::Entity::update_many()
                .col_expr(centers::Column::Active, Expr::value(active))
                .col_expr(
                    centers::Column::ScheduleVersion,
                    Expr::col(centers::Column::ScheduleVersion).add(1),
                )
                .filter(centers::Column::Id.eq(id))
                .exec(txn)
                .await?;
            if r.rows_affected == 0 {
                return Err(ServiceError::NotFound);
            }
            if !active {
                let open = bookings::Entity::find()
                    .filter(bookings::Column::CenterId.eq(id))
                    .filter(bookings::Column::Status.is_in([
                        BookingStatus::Booked.as_str(),
                        BookingStatus::CheckedIn.as_str(),
                        BookingStatus::Called.as_str(),
                        BookingStatus::InService.as_str(),
                    ]))
                    .filter(bookings::Column::StartAt.gte(since))
                    .count(txn)
                    .await?;
                if open > 0 {
                    return Err(bad(BadInput::CenterHasBookings { count: open }));
                }
            } else {
                // R13: the reopened center's starts go to the waiting list
                // in this transaction, before anyone else can see them.
                crate::service::waitlist::serve::serve_added(&core, txn, id, today).await?;
            }
            Ok(())
        })
    })
    .await?;
    state.read_cache.clear();
    tracing::info!(
        actor = actor.id,
        center = id,
        active,
        "center active changed"
    );
    Ok(())
}

pub async fn services(state: &Core, lang: Lang) -> Result<Vec<ServiceRow>, ServiceError> {
    Ok(services::Entity::find()
        .order_by_asc(services::Column::CenterKind)
        .order_by_asc(services::Column::Code)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|s| ServiceRow {
            name: lang.pick(&s.name_kk, &s.name_ru, &s.name_en).to_owned(),
            code: s.code,
            center_kind: s.center_kind,
            group: s.grp,
            duration_min: s.duration_min,
            online_available: s.online_available,
            requires_vehicle: s.requires_vehicle,
            active: s.active,
        })
        .collect())
}

/// A new duration applies to new bookings; existing ones keep theirs. An
/// inactive service cannot be booked; existing bookings stay.
pub async fn save_service(
    state: &Core,
    actor: &StaffActor,
    code: &str,
    duration_min: i32,
    active: bool,
) -> Result<(), ServiceError> {
    authorize(actor)?;
    if !(5..=240).contains(&duration_min) {
        return Err(bad(BadInput::OutOfRange {
            field: "duration_min",
            min: 5,
            max: 240,
        }));
    }
    let r = services::Entity::update_many()
        .col_expr(services::Column::DurationMin, Expr::value(duration_min))
        .col_expr(services::Column::Active, Expr::value(active))
        .filter(services::Column::Code.eq(code.trim()))
        .exec(&state.db)
        .await?;
    if r.rows_affected == 0 {
        return Err(ServiceError::NotFound);
    }
    state.read_cache.clear();
    tracing::info!(
        actor = actor.id,
        code,
        duration_min,
        active,
        "service changed"
    );
    Ok(())
}

/// Checks policy values for sense (the rules would accept anything).
pub fn check_policy(p: &Policy) -> Result<(), ServiceError> {
    let limits: [(&'static str, u32, u32, u32); 8] = [
        ("ten_day_window_days", p.ten_day_window_days, 0, 365),
        ("per_day_limit", p.per_day_limit, 1, 20),
        ("max_reschedules", p.max_reschedules, 0, 20),
        (
            "reschedule_cutoff_min",
            p.reschedule_cutoff_min,
            0,
            7 * 24 * 60,
        ),
        ("cancel_cutoff_min", p.cancel_cutoff_min, 0, 7 * 24 * 60),
        ("min_notice_min", p.min_notice_min, 0, 7 * 24 * 60),
        ("horizon_days", p.horizon_days, 1, 365),
        ("no_show_grace_min", p.no_show_grace_min, 0, 240),
    ];
    for (name, v, lo, hi) in limits {
        if v < lo || v > hi {
            return Err(bad(BadInput::OutOfRange {
                field: name,
                min: i64::from(lo),
                max: i64::from(hi),
            }));
        }
    }
    Ok(())
}

/// New values apply to actions from now on; existing bookings stay.
pub async fn save_policy(state: &Core, actor: &StaffActor, p: &Policy) -> Result<(), ServiceError> {
    authorize(actor)?;
    check_policy(p)?;
    let value = serde_json::to_string(p).map_err(|e| ServiceError::Internal(e.to_string()))?;
    policy::Entity::insert(policy::ActiveModel {
        id: Set(1),
        value: Set(value),
        updated_at: Set(state.now().timestamp()),
    })
    .on_conflict(
        OnConflict::column(policy::Column::Id)
            .update_columns([policy::Column::Value, policy::Column::UpdatedAt])
            .to_owned(),
    )
    .exec_without_returning(&state.db)
    .await?;
    state.read_cache.clear();
    tracing::info!(actor = actor.id, ?p, "policy changed");
    Ok(())
}

pub async fn staff(state: &Core) -> Result<Vec<StaffRow>, ServiceError> {
    Ok(staff::Entity::find()
        .order_by_asc(staff::Column::Username)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|s| StaffRow {
            id: s.id,
            username: s.username,
            display_name: s.display_name,
            role: s.role,
            center_id: s.center_id,
            window_id: s.window_id,
            active: s.active,
        })
        .collect())
}

/// A staff account to create.
pub struct NewStaff {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub center_id: Option<i64>,
    /// Operators work at one window of their center.
    pub window_number: Option<i32>,
    pub password: String,
}

fn check_password(p: &str) -> Result<(), ServiceError> {
    if p.chars().count() < 10 || p.len() > 200 {
        return Err(bad(BadInput::PasswordLength { min: 10 }));
    }
    Ok(())
}

async fn hash(password: &str) -> Result<String, ServiceError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || crate::seed::hash_password(&password))
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))?
}

pub async fn create_staff(
    state: &Core,
    actor: &StaffActor,
    n: NewStaff,
) -> Result<i64, ServiceError> {
    authorize(actor)?;
    let username = n.username.trim().to_ascii_lowercase();
    if username.len() < 3
        || username.len() > 40
        || !username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
    {
        return Err(bad(BadInput::UsernameFormat { min: 3, max: 40 }));
    }
    let role = StaffRole::parse(n.role.trim()).ok_or_else(|| {
        bad(BadInput::OneOf {
            field: "role",
            allowed: &["operator", "center_admin", "administrator"],
        })
    })?;
    let display_name = text("display_name", &n.display_name, 100)?;
    check_password(&n.password)?;
    let (center_id, window_id) = match role {
        StaffRole::Administrator => (None, None),
        _ => {
            let cid = n
                .center_id
                .ok_or_else(|| bad(BadInput::Required { field: "center_id" }))?;
            centers::Entity::find_by_id(cid)
                .one(&state.db)
                .await?
                .ok_or_else(|| bad(BadInput::UnknownCenter { id: cid }))?;
            let wid = match (role, n.window_number) {
                (StaffRole::Operator, Some(num)) => Some(
                    windows::Entity::find()
                        .filter(windows::Column::CenterId.eq(cid))
                        .filter(windows::Column::Number.eq(num))
                        .one(&state.db)
                        .await?
                        .ok_or_else(|| bad(BadInput::UnknownWindow { number: num }))?
                        .id,
                ),
                (StaffRole::Operator, None) => return Err(bad(BadInput::OperatorNeedsWindow)),
                _ => None,
            };
            (Some(cid), wid)
        }
    };
    let taken = staff::Entity::find()
        .filter(staff::Column::Username.eq(username.clone()))
        .count(&state.db)
        .await?;
    if taken > 0 {
        return Err(bad(BadInput::UsernameTaken { username }));
    }
    let hash = hash(&n.password).await?;
    let id = staff::Entity::insert(staff::ActiveModel {
        username: Set(username.clone()),
        password_hash: Set(hash),
        role: Set(role.as_str().to_owned()),
        center_id: Set(center_id),
        window_id: Set(window_id),
        display_name: Set(display_name),
        active: Set(true),
        created_at: Set(state.now().timestamp()),
        ..Default::default()
    })
    .exec(&state.db)
    .await?
    .last_insert_id;
    tracing::info!(actor = actor.id, staff = id, %username, "staff account created");
    Ok(id)
}

async fn end_sessions(state: &Core, staff_id: i64) -> Result<(), ServiceError> {
    sessions::Entity::delete_many()
        .filter(sessions::Column::StaffId.eq(staff_id))
        .exec(&state.db)
        .await?;
    Ok(())
}

/// Disabling an account ends its sessions at once; an administrator
/// cannot disable themself (someone must remain).
pub async fn set_staff_active(
    state: &Core,
    actor: &StaffActor,
    id: i64,
    active: bool,
) -> Result<(), ServiceError> {
    authorize(actor)?;
    if !active && id == actor.id {
        return Err(bad(BadInput::DisableOwnAccount));
    }
    let r = staff::Entity::update_many()
        .col_expr(staff::Column::Active, Expr::value(active))
        .filter(staff::Column::Id.eq(id))
        .exec(&state.db)
        .await?;
    if r.rows_affected == 0 {
        return Err(ServiceError::NotFound);
    }
    if !active {
        end_sessions(state, id).await?;
    }
    tracing::info!(
        actor = actor.id,
        staff = id,
        active,
        "staff account active changed"
    );
    Ok(())
}

/// A new password ends the account's sessions.
pub async fn set_staff_password(
    state: &Core,
    actor: &StaffActor,
    id: i64,
    password: &str,
) -> Result<(), ServiceError> {
    authorize(actor)?;
    check_password(password)?;
    let hash = hash(password).await?;
    let r = staff::Entity::update_many()
        .col_expr(staff::Column::PasswordHash, Expr::value(hash))
        .filter(staff::Column::Id.eq(id))
        .exec(&state.db)
        .await?;
    if r.rows_affected == 0 {
        return Err(ServiceError::NotFound);
    }
    end_sessions(state, id).await?;
    tracing::info!(actor = actor.id, staff = id, "staff password set");
    Ok(())
}

pub async fn national(state: &Core, year: i32) -> Result<Vec<NationalDayRow>, ServiceError> {
    Ok(national_days::Entity::find()
        .filter(national_days::Column::Date.gte(format!("{year:04}-01-01")))
        .filter(national_days::Column::Date.lte(format!("{year:04}-12-31")))
        .order_by_asc(national_days::Column::Date)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|d| NationalDayRow {
            date: d.date,
            kind: d.kind,
            name: d.name,
        })
        .collect())
}

/// Adds, changes (`day_off` / `working_day`) or removes (`remove`) a
/// national calendar entry. Bookings the change leaves outside a center's
/// schedule (a new day off, a removed working Saturday) are listed in the
/// refusal unless a decision is given; then they are moved or cancelled
/// center by center. The check and the write share one transaction.
pub async fn save_national(
    state: &Core,
    actor: &StaffActor,
    date: &str,
    kind: &str,
    name: &str,
    decision: Decision,
    reason: &str,
) -> Result<ClosureOutcome, ServiceError> {
    authorize(actor)?;
    let d = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
        .map_err(|_| bad(BadInput::DateFormat { field: "date" }))?;
    if !(2000..=2100).contains(&d.year()) {
        return Err(bad(BadInput::YearRange {
            min: 2000,
            max: 2100,
        }));
    }
    let kind = kind.trim().to_owned();
    let name = name.trim().to_owned();
    if kind != "remove" {
        if kind != "day_off" && kind != "working_day" {
            return Err(bad(BadInput::OneOf {
                field: "kind",
                allowed: &["day_off", "working_day", "remove"],
            }));
        }
        text("name", &name, 200)?;
    }
    let reason = reason.trim().to_owned();
    if kezek_domain::input::has_control(&reason) {
        return Err(bad(BadInput::ControlCharacters { field: "reason" }));
    }
    let date_s = d.format("%Y-%m-%d").to_string();
    let now = state.now().timestamp();
    let action = if decision == Decision::Cancel {
        CloseAction::Cancel
    } else {
        CloseAction::MoveOrCancel
    };
    let who = format!("staff:{}", actor.id);
    let items = write_txn(state, |txn| {
        let core = state.clone();
        let (date_s, kind, name, reason, who) = (
            date_s.clone(),
            kind.clone(),
            name.clone(),
            reason.clone(),
            who.clone(),
        );
        Box::pin(async move {
            // Every center's schedule changes with the national calendar.
            bump_schedule(txn, None).await?;
            if kind == "remove" {
                national_days::Entity::delete_many()
                    .filter(national_days::Column::Date.eq(date_s.clone()))
                    .exec(txn)
                    .await?;
            } else {
                national_days::Entity::insert(national_days::ActiveModel {
                    date: Set(date_s.clone()),
                    kind: Set(kind.clone()),
                    name: Set(name.clone()),
                })
                .on_conflict(
                    OnConflict::column(national_days::Column::Date)
                        .update_columns([national_days::Column::Kind, national_days::Column::Name])
                        .to_owned(),
                )
                .exec_without_returning(txn)
                .await?;
            }
            let center_ids: Vec<i64> = bookings::Entity::find()
                .filter(bookings::Column::LocalDate.eq(date_s.clone()))
                .filter(bookings::Column::Status.eq(BookingStatus::Booked.as_str()))
                .filter(bookings::Column::StartAt.gte(now))
                .all(txn)
                .await?
                .into_iter()
                .map(|b| b.center_id)
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let mut out = Vec::new();
            for cid in center_ids {
                let ctx = load_center(txn, cid).await?;
                let list: Vec<_> = misfits(txn, &ctx, now)
                    .await?
                    .into_iter()
                    .filter(|b| b.local_date == date_s)
                    .collect();
                if !list.is_empty() {
                    out.push((cid, list));
                }
            }
            let n: usize = out.iter().map(|(_, l)| l.len()).sum();
            if n > 0 && decision == Decision::None {
                return Err(bad(BadInput::DecisionRequired {
                    count: u32::try_from(n).unwrap_or(u32::MAX),
                    date: Some(d),
                }));
            }
            if n > 0 && (reason.is_empty() || reason.chars().count() > 500) {
                return Err(bad(BadInput::ReasonRequired { max: 500 }));
            }
            // The decision is recorded with the change (M2).
            let mut items = Vec::new();
            for (_, list) in &out {
                items.extend(relocation::record(txn, list, action, &reason, &who, now).await?);
            }
            // R13: a day that opens (a day off removed, a working day
            // added) goes to the waiting list in this transaction.
            if kind != "day_off" {
                crate::service::waitlist::serve::serve_date(&core, txn, d).await?;
            }
            Ok(items)
        })
    })
    .await?;
    state.read_cache.clear();
    tracing::info!(actor = actor.id, %date_s, %kind, "national calendar changed");
    let report = relocation::drain(state, relocation::Which::Ids(items)).await?;
    let outcome = report.outcome();
    Ok(outcome)
}
