//! Use case: a citizen books a visit.
//!
//! One transaction: lock the citizen, replay an idempotent retry if this key
//! was seen, load the citizen's relevant bookings and the vehicle's facts,
//! run `rules::check_new_booking`, read the day's held window-slots, choose a
//! window, and insert the booking, its window-slots (the primary key
//! `(window_id, slot_start)` makes a double hold impossible; on a conflict
//! the next window is tried, and when none is left the answer is
//! `slot_full`), its history, the notification and the idempotency record.
use chrono::{DateTime, Utc};
use rand::Rng;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, IntoActiveModel,
    QueryFilter,
    sea_query::OnConflict,
};

use crate::entity::{booking_slots, bookings, citizens, idempotency_keys};
use crate::error::ServiceError;
use crate::service::util::sha256_hex;
use crate::state::Core;
use kezek_domain::calendar::local_to_utc;
use kezek_domain::capacity::{DaySchedule, choose_window, slots_needed};
use kezek_domain::ids::{BookingCode, BookingId, CenterId, CitizenId, ServiceCode, WindowId};
use kezek_domain::iin::Iin;
use kezek_domain::input::BadInput;
use kezek_domain::lifecycle::BookingStatus;
use kezek_domain::refusal::Refusal;
use kezek_domain::rules::{NewBookingRequest, check_new_booking};
use kezek_domain::vehicle::{RegistryRecord, VehicleFacts, VehicleKey, VehicleRef};
use kezek_i18n::Lang;
use kezek_wire::ErrorCode;
use kezek_wire::types::{BookingView, HistoryItem};

use super::facts::{citizen_facts, parse_start, rfc3339_in, service_info};
use super::notify::{Notice, NoticeFacts, enqueue_to};
use super::query::view_of;
use super::schedule::{CenterCtx, held_slots};
use super::txn::{lock_citizen_row, write_txn};

#[derive(Clone, Debug)]
pub struct BookInput {
    pub citizen_id: CitizenId,
    pub iin: Iin,
    pub center_id: CenterId,
    pub service: String,
    /// RFC 3339.
    pub start: String,
    pub vehicle: Option<String>,
    pub idempotency_key: Option<String>,
}

/// The outcome; `replayed` when an idempotent retry returned the stored one.
pub struct Booked {
    pub booking: BookingView,
    pub replayed: bool,
}

pub async fn book(state: &Core, input: BookInput, lang: Lang) -> Result<Booked, ServiceError> {
    super::rate::count(state, input.citizen_id.get())?;
    // Refused before anything is read: PostgreSQL cannot store NUL.
    if let Some(k) = &input.idempotency_key
        && kezek_domain::input::has_control(k)
    {
        return Err(ServiceError::BadRequest(BadInput::ControlCharacters {
            field: "idempotency_key",
        }));
    }
    let now = state.now();
    let code = ServiceCode::parse(input.service.trim()).map_err(|_| {
        ServiceError::BadRequest(BadInput::UnknownService {
            code: input.service.trim().chars().take(40).collect(),
        })
    })?;
    // Reference data from the per-process cache (read_cache.rs says why a
    // stale entry cannot make a booking wrong).
    let service_row = state
        .read_cache
        .service(&state.db, code.as_str())
        .await?
        .filter(|s| s.active)
        .ok_or(ServiceError::NotFound)?;
    let service = service_info(&service_row)?;
    let ctx = state
        .read_cache
        .center(&state.db, input.center_id.get())
        .await?;
    let start = parse_start(&input.start)?;
    let start_local = start.with_timezone(&ctx.tz).naive_local();
    let vehicle = match input.vehicle.as_deref().map(str::trim) {
        Some(v) if !v.is_empty() => Some(VehicleRef::parse(v).map_err(Refusal::from)?),
        _ => None,
    };
    if let Some(k) = &input.idempotency_key
        && (k.is_empty() || k.len() > 200)
    {
        return Err(ServiceError::BadRequest(BadInput::HeaderValue {
            header: "Idempotency-Key",
            max: 200,
        }));
    }
    let request_hash = sha256_hex(&[
        &input.center_id.get().to_string(),
        code.as_str(),
        &start.timestamp().to_string(),
        input.vehicle.as_deref().unwrap_or(""),
    ]);
    let policy = state.read_cache.policy(&state.db).await?;
    let date = start_local.date();
    let national = state.read_cache.national(&state.db, date, date).await?;
    let req = NewBookingRequest {
        iin: input.iin,
        service: service.clone(),
        center_kind: ctx.kind,
        center_tz: ctx.tz,
        start_local,
        vehicle: vehicle.clone(),
    };
    // The registry (a table here, an external service in production) is
    // asked outside the write transaction; the vehicle's active bookings are
    // read inside it.
    let record = match &vehicle {
        Some(v) => state.registry.lookup(v).await?,
        None => None,
    };
    // A fresh code per try: 40 random bits can collide with a stored code
    // (unique index); that try is run again with another code (review L10).
    let mut collisions = 0;
    let outcome = loop {
        let mut code_bytes = [0u8; 8];
        rand::rng().fill(&mut code_bytes);
        let booking_code = BookingCode::from_random_bytes(&code_bytes);
        let attempt = write_txn(state, |txn| {
            let core = state.clone();
            let (input, ctx, req, policy, national, request_hash, booking_code, record) = (
                input.clone(),
                ctx.clone(),
                req.clone(),
                policy.clone(),
                national.clone(),
                request_hash.clone(),
                booking_code,
                record.clone(),
            );
            Box::pin(async move {
                let (ctx_arc, national_arc) = (ctx, national);
                let (input, req, policy, request_hash, booking_code, record) =
                    (&input, &req, &policy, &request_hash, &booking_code, record);
                // The lock also returns the citizen's row (phone, language,
                // Telegram chat) for the notice.
                let Some(citizen) = lock_citizen_row(txn, input.citizen_id.get()).await? else {
                    return Err(ServiceError::Unauthorized);
                };
                if let Some(key) = &input.idempotency_key
                    && let Some(prev) =
                        idempotency_keys::Entity::find_by_id((input.citizen_id.get(), key.clone()))
                            .one(txn)
                            .await?
                {
                    if &prev.request_hash != request_hash {
                        return Err(ServiceError::Invalid(ErrorCode::IdempotencyKeyReused));
                    }
                    let id: i64 = prev
                        .body
                        .parse()
                        .map_err(|_| ServiceError::Internal("bad idempotency record".into()))?;
                    return Ok(Outcome::Replayed(id));
                }
                // The schedule as of the center lock (M1), not as cached.
                let (ctx_now, national_now) = super::txn::current_schedule(
                    &core,
                    txn,
                    ctx_arc.clone(),
                    national_arc.clone(),
                    date,
                    date,
                )
                .await?;
                let (ctx, national) = (&*ctx_now, &*national_now);
                // R12: a date under a draw is requested, not booked.
                crate::service::draws::gate::check(txn, ctx.center.id, ctx.tz, date).await?;
                let existing =
                    citizen_facts(txn, input.citizen_id.get(), policy, now, &[date], ctx.tz)
                        .await?;
                let vfacts = match &req.vehicle {
                    Some(v) => Some(vehicle_facts(txn, v, record.clone()).await?),
                    None => None,
                };
                check_new_booking(req, &existing, vfacts.as_ref(), policy, now)?;
                let (day_from, day_to) = ctx.day_bounds_utc(date);
                let held = held_slots(txn, ctx, day_from, day_to, None).await?;
                let mut day = ctx.day(
                    national,
                    date,
                    held.iter().map(|(w, _, l)| (*w, *l)).collect(),
                );
                let vehicle_key = vfacts
                    .as_ref()
                    .and_then(|f| f.record.as_ref().map(|r| r.key.clone()))
                    .or_else(|| req.vehicle.as_ref().map(key_of));
                let row = insert_with_window(
                    txn,
                    &mut day,
                    ctx,
                    req,
                    policy,
                    now,
                    &citizen,
                    booking_code,
                    vehicle_key,
                    ("citizen", None),
                )
                .await?;
                if let Some(key) = &input.idempotency_key {
                    idempotency_keys::Entity::insert(idempotency_keys::ActiveModel {
                        citizen_id: Set(input.citizen_id.get()),
                        key: Set(key.clone()),
                        request_hash: Set(request_hash.clone()),
                        status: Set(201),
                        body: Set(row.id.to_string()),
                        created_at: Set(now.timestamp()),
                    })
                    .exec(txn)
                    .await?;
                }
                Ok(Outcome::Created(Box::new(row)))
            })
        })
        .await;
        match attempt {
            Err(ServiceError::Db(e))
                if collisions < 3
                    && crate::error::db_code(&e)
                        .is_some_and(|c| crate::error::unique_violation(&c)) =>
            {
                collisions += 1;
                tracing::warn!(collisions, "booking code collision; trying another code");
            }
            other => break other?,
        }
    };
    match outcome {
        Outcome::Replayed(id) => {
            let booking =
                super::query::get_one(&state.db, BookingId::new(id), Some(input.citizen_id), lang)
                    .await?;
            Ok(Booked {
                booking,
                replayed: true,
            })
        }
        Outcome::Created(row) => {
            // The reply is built from the rows this request wrote (the same
            // view `query::get_one` builds from the database).
            let window = ctx
                .windows
                .iter()
                .find(|(w, _, _)| w.get() == row.window_id)
                .map(|(_, n, _)| *n);
            let tz = ctx.tz;
            let mut booking = view_of(&row, Some(&ctx.center), Some(&service_row), window, lang);
            booking.history = Some(vec![HistoryItem {
                status: BookingStatus::Booked.as_str().to_owned(),
                at: rfc3339_in(tz, now.timestamp()),
                note: None,
            }]);
            Ok(Booked {
                booking,
                replayed: false,
            })
        }
    }
}

enum Outcome {
    Replayed(i64),
    Created(Box<bookings::Model>),
}

pub(crate) fn key_of(v: &VehicleRef) -> VehicleKey {
    match v {
        VehicleRef::Plate(p) => VehicleKey {
            plate: Some(p.clone()),
            vin: None,
        },
        VehicleRef::Vin(v) => VehicleKey {
            plate: None,
            vin: Some(v.clone()),
        },
    }
}

/// The registry's record for the vehicle and its active bookings (by plate
/// or VIN). Inside a booking transaction on PostgreSQL it first takes the
/// vehicle's transaction lock ([`lock_vehicle`]), so two citizens booking
/// one vehicle at once (a seller and, after a recorded sale, the buyer)
/// are decided one after the other: the second sees the first's booking
/// (R6, review L7). On SQLite the write lock serializes them already.
pub async fn vehicle_facts(
    db: &impl ConnectionTrait,
    v: &VehicleRef,
    record: Option<RegistryRecord>,
) -> Result<VehicleFacts, ServiceError> {
    let key = record
        .as_ref()
        .map(|r| r.key.clone())
        .unwrap_or_else(|| key_of(v));
    lock_vehicle(db, &key).await?;
    let mut any = Condition::any();
    if let Some(p) = &key.plate {
        any = any.add(bookings::Column::VehiclePlate.eq(p.as_str()));
    }
    if let Some(vin) = &key.vin {
        any = any.add(bookings::Column::VehicleVin.eq(vin.as_str()));
    }
    let active_bookings = bookings::Entity::find()
        .filter(bookings::Column::Status.eq(BookingStatus::Booked.as_str()))
        .filter(any)
        .all(db)
        .await?
        .into_iter()
        .map(|b| BookingId::new(b.id))
        .collect();
    Ok(VehicleFacts {
        record,
        active_bookings,
    })
}

/// PostgreSQL: a transaction-scoped advisory lock per plate and per VIN of
/// `key` (in one order, so two lockers never deadlock). Bookings are the
/// only rows that say a vehicle is taken and there is no row per vehicle
/// to lock (the registry may be remote), hence an advisory lock; a hash
/// collision between two vehicles only makes them wait for each other.
/// A no-op on SQLite.
async fn lock_vehicle(db: &impl ConnectionTrait, key: &VehicleKey) -> Result<(), ServiceError> {
    if db.get_database_backend() != sea_orm::DbBackend::Postgres {
        return Ok(());
    }
    let mut names: Vec<String> = key
        .plate
        .iter()
        .map(|p| format!("vehicle plate {}", p.as_str()))
        .chain(
            key.vin
                .iter()
                .map(|v| format!("vehicle vin {}", v.as_str())),
        )
        .collect();
    names.sort();
    for name in names {
        db.execute_raw(sea_orm::Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
            [name.into()],
        ))
        .await?;
    }
    Ok(())
}

/// Tries to hold `slots` of `window` for `booking_id`; false (and nothing
/// held) if any is taken.
pub async fn hold_slots(
    txn: &DatabaseTransaction,
    ctx: &CenterCtx,
    booking_id: i64,
    window: WindowId,
    slots: &[i64],
) -> Result<bool, ServiceError> {
    if slots.is_empty() {
        return Ok(true);
    }
    // One statement for the whole run; every row or none of it is kept.
    let n = booking_slots::Entity::insert_many(slots.iter().map(|s| booking_slots::ActiveModel {
        window_id: Set(window.get()),
        slot_start: Set(*s),
        booking_id: Set(booking_id),
        center_id: Set(ctx.center.id),
    }))
    .on_conflict(
        OnConflict::columns([
            booking_slots::Column::WindowId,
            booking_slots::Column::SlotStart,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    if n != slots.len() as u64 {
        // Release what this attempt took.
        if n > 0 {
            booking_slots::Entity::delete_many()
                .filter(booking_slots::Column::BookingId.eq(booking_id))
                .filter(booking_slots::Column::WindowId.eq(window.get()))
                .filter(booking_slots::Column::SlotStart.is_in(slots.to_vec()))
                .exec(txn)
                .await?;
        }
        return Ok(false);
    }
    Ok(true)
}

/// Converts an assignment's local slot starts to Unix seconds.
pub fn slot_instants(
    ctx: &CenterCtx,
    slots: &[chrono::NaiveDateTime],
) -> Result<Vec<i64>, ServiceError> {
    slots
        .iter()
        .map(|s| {
            local_to_utc(ctx.tz, *s)
                .map(|t| t.timestamp())
                .ok_or(ServiceError::Refused(Refusal::OutsideHours))
        })
        .collect()
}

/// Chooses a window for the run starting at `start_local` and holds its
/// window-slots for `booking_id`. When another transaction took a window
/// meanwhile, marks it held and tries the next; `slot_full` when none is
/// left. Returns the window and the held slot instants.
#[allow(clippy::too_many_arguments)]
pub async fn assign_and_hold(
    txn: &DatabaseTransaction,
    day: &mut DaySchedule,
    ctx: &CenterCtx,
    service: &ServiceCode,
    duration: u32,
    start_local: chrono::NaiveDateTime,
    bounds: &kezek_domain::policy::BookingBounds,
    booking_id: i64,
) -> Result<(WindowId, Vec<i64>), ServiceError> {
    guard_cap(txn, day, ctx, duration, start_local, booking_id).await?;
    for _ in 0..=day.windows.len() {
        let a = choose_window(day, service, duration, start_local, bounds)?;
        let instants = slot_instants(ctx, &a.slots)?;
        if hold_slots(txn, ctx, booking_id, a.window, &instants).await? {
            return Ok((a.window, instants));
        }
        for s in &a.slots {
            day.held.push((a.window, *s));
        }
    }
    Err(ServiceError::Refused(Refusal::SlotFull))
}

/// R9 under concurrency: at a capped center on PostgreSQL, locks the
/// starts the run covers (`txn::lock_starts`, in order) and reads their
/// held window-slots again, so two bookings at different windows of one
/// start are decided one after the other, while the center's other starts
/// go on in parallel (`kezek-bench cap` measured the center-row lock this
/// replaces at about 0.56 of the uncapped rate, this guard at 1.00). Every
/// path that holds window-slots — book, reschedule, a draw, the waiting
/// list, relocation — comes through [`assign_and_hold`]. SQLite's write
/// lock already serializes them.
async fn guard_cap(
    txn: &DatabaseTransaction,
    day: &mut DaySchedule,
    ctx: &CenterCtx,
    duration: u32,
    start_local: chrono::NaiveDateTime,
    booking_id: i64,
) -> Result<(), ServiceError> {
    if day.cap.is_none() || txn.get_database_backend() != sea_orm::DbBackend::Postgres {
        return Ok(());
    }
    let run: Vec<chrono::NaiveDateTime> = (0..slots_needed(duration, day.slot_min))
        .map(|k| start_local + chrono::Duration::minutes(i64::from(k * day.slot_min)))
        .collect();
    let instants = slot_instants(ctx, &run)?;
    let (Some(&first), Some(&last)) = (instants.first(), instants.last()) else {
        return Ok(());
    };
    super::txn::lock_starts(txn, ctx.center.id, &instants).await?;
    // The run's starts are consecutive slots: [first, last] holds no other.
    let fresh = held_slots(txn, ctx, first, last + 1, Some(booking_id)).await?;
    day.held.retain(|(_, t)| !run.contains(t));
    day.held
        .extend(fresh.into_iter().map(|(w, _, local)| (w, local)));
    Ok(())
}

/// Inserts a checked booking (the rules already passed) with its window,
/// window-slots, history (`actor`, `note`) and notice. Used by `book` and
/// by a draw serving a request.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_with_window(
    txn: &DatabaseTransaction,
    day: &mut DaySchedule,
    ctx: &CenterCtx,
    req: &NewBookingRequest,
    policy: &kezek_domain::policy::Policy,
    now: DateTime<Utc>,
    citizen: &citizens::Model,
    code: &BookingCode,
    vehicle: Option<VehicleKey>,
    (actor, note): (&str, Option<String>),
) -> Result<bookings::Model, ServiceError> {
    let bounds = policy.bounds(kezek_domain::calendar::utc_to_local(ctx.tz, now));
    let duration = req.service.duration_min;
    let start_at = slot_instants(ctx, &[req.start_local])?
        .first()
        .copied()
        .unwrap_or_default();
    // The window the booking will most likely get (`assign_and_hold` makes
    // the same choice first); stored with the insert, corrected only when
    // another transaction took it meanwhile. A refusal here is the one
    // `assign_and_hold` would give.
    let first = choose_window(day, &req.service.code, duration, req.start_local, &bounds)?;
    let mut row = bookings::Model {
        id: 0,
        code: code.as_str().to_owned(),
        citizen_id: citizen.id,
        center_id: ctx.center.id,
        center_kind: ctx.kind.as_str().to_owned(),
        service_code: req.service.code.as_str().to_owned(),
        grp: req.service.group.as_str().to_owned(),
        window_id: first.window.get(),
        start_at,
        end_at: start_at + i64::from(duration) * 60,
        local_date: req.start_local.date().format("%Y-%m-%d").to_string(),
        status: BookingStatus::Booked.as_str().to_owned(),
        reschedule_count: 0,
        cancelled_by: None,
        cancel_reason: None,
        vehicle_plate: vehicle
            .as_ref()
            .and_then(|k| k.plate.as_ref().map(|p| p.as_str().to_owned())),
        vehicle_vin: vehicle
            .as_ref()
            .and_then(|k| k.vin.as_ref().map(|v| v.as_str().to_owned())),
        ticket: None,
        called_window: None,
        priority: false,
        walk_in: false,
        created_at: now.timestamp(),
        updated_at: now.timestamp(),
        moved_at: now.timestamp(),
        checked_in_at: None,
        called_at: None,
        started_at: None,
        finished_at: None,
    };
    let mut active = row.clone().into_active_model();
    active.id = NotSet;
    let id = bookings::Entity::insert(active)
        .exec(txn)
        .await?
        .last_insert_id;
    row.id = id;
    let (window, _) = assign_and_hold(
        txn,
        day,
        ctx,
        &req.service.code,
        duration,
        req.start_local,
        &bounds,
        id,
    )
    .await?;
    if window != first.window {
        bookings::Entity::update_many()
            .col_expr(
                bookings::Column::WindowId,
                sea_orm::sea_query::Expr::value(window.get()),
            )
            .filter(bookings::Column::Id.eq(id))
            .exec(txn)
            .await?;
        row.window_id = window.get();
    }
    super::history::record(
        txn,
        super::history::Entry {
            booking_id: id,
            citizen_id: row.citizen_id,
            center_id: row.center_id,
            status: BookingStatus::Booked.as_str(),
            at: now.timestamp(),
            actor,
            note,
        },
    )
    .await?;
    let when = req.start_local.format("%d.%m.%Y %H:%M").to_string();
    enqueue_to(
        txn,
        citizen,
        id,
        Notice::Booked,
        &NoticeFacts {
            code: code.as_str(),
            center: &ctx.center,
            when: &when,
            reason: None,
        },
        now.timestamp(),
    )
    .await?;
    Ok(row)
}

/// The center's name and address in `lang`.
pub fn names(ctx: &CenterCtx, lang: Lang) -> (&str, &str) {
    let c = &ctx.center;
    lang.choose(
        (&c.name_kk, &c.address_kk),
        (&c.name_ru, &c.address_ru),
        (&c.name_en, &c.address_en),
    )
}
