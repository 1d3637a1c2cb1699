//! The waiting list (DOMAIN.md R13).
//!
//! - [`join`], [`leave`], [`list_mine`] — a citizen's entries: a service at
//!   one center or at any center of its kind in a city, over dates inside
//!   the horizon and an optional time-of-day range, optionally tied to
//!   their booking ("move me earlier"). Joining while a matching start is
//!   free is `slots_available`; a second entry of the kind and group is
//!   `already_waiting` (also a partial unique index).
//! - [`serve`] — a freed start goes to the earliest-joined entry whose rules
//!   allow it **in the transaction that frees it** (cancellation,
//!   reschedule away, a draw's leftovers), so no one else can book it
//!   first; the sweep job serves what schedule changes free and ends
//!   entries whose dates have passed.
pub mod serve;

use chrono::{NaiveDate, NaiveTime};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    sea_query::Expr,
};

use crate::entity::{bookings, centers, waitlist_entries};
use crate::error::ServiceError;
use crate::service::booking::facts::{citizen_facts, rfc3339_in, service_info};
use crate::service::booking::txn::{lock_citizen, write_txn};
use crate::state::Core;
use kezek_domain::calendar::utc_to_local;
use kezek_domain::catalog::CenterKind;
use kezek_domain::draw::{TimeRange, check_window};
use kezek_domain::ids::{CenterId, CitizenId};
use kezek_domain::iin::Iin;
use kezek_domain::input::BadInput;
use kezek_domain::lifecycle::BookingStatus;
use kezek_domain::refusal::Refusal;
use kezek_domain::rules::{NewBookingRequest, check_new_booking};
use kezek_domain::vehicle::VehicleRef;
use kezek_i18n::Lang;
use kezek_wire::draws::WaitEntryView;

/// Entry status.
pub const WAITING: &str = "waiting";
/// Entry status.
pub const SERVED: &str = "served";
/// Entry status.
pub const LEFT: &str = "left";
/// Entry status.
pub const EXPIRED: &str = "expired";

#[derive(Clone, Debug)]
pub struct JoinInput {
    pub citizen_id: CitizenId,
    pub iin: Iin,
    pub service: String,
    pub center_id: Option<CenterId>,
    pub city: Option<String>,
    pub from: String,
    pub to: String,
    pub time_from: Option<String>,
    pub time_to: Option<String>,
    pub booking_id: Option<i64>,
    pub vehicle: Option<String>,
}

fn parse_day(s: &str, field: &'static str) -> Result<NaiveDate, ServiceError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| ServiceError::BadRequest(BadInput::DateFormat { field }))
}

/// The active centers an entry covers.
pub(crate) async fn centers_of(
    core: &Core,
    kind: CenterKind,
    center_id: Option<i64>,
    city: Option<&str>,
) -> Result<Vec<centers::Model>, ServiceError> {
    let rows = centers::Entity::find()
        .filter(centers::Column::Active.eq(true))
        .filter(centers::Column::Kind.eq(kind.as_str()))
        .order_by_asc(centers::Column::Id)
        .all(&core.db)
        .await?;
    Ok(rows
        .into_iter()
        .filter(|c| match (center_id, city) {
            (Some(id), _) => c.id == id,
            (None, Some(city)) => c.city.trim().to_lowercase() == city.trim().to_lowercase(),
            (None, None) => false,
        })
        .collect())
}

/// Joins the waiting list. Refusals: `slots_available` (book it now),
/// `already_waiting`, the rules' codes (R3–R7 as for a booking; a tied
/// entry only needs its booking to be active), `bad_request`.
pub async fn join(
    core: &Core,
    input: JoinInput,
    lang: Lang,
) -> Result<WaitEntryView, ServiceError> {
    crate::service::booking::rate::count(core, input.citizen_id.get())?;
    let now = core.now();
    let code = kezek_domain::ids::ServiceCode::parse(input.service.trim()).map_err(|_| {
        ServiceError::BadRequest(BadInput::UnknownService {
            code: input.service.trim().chars().take(40).collect(),
        })
    })?;
    let service_row = core
        .read_cache
        .service(&core.db, code.as_str())
        .await?
        .filter(|s| s.active)
        .ok_or(ServiceError::NotFound)?;
    let service = service_info(&service_row)?;
    let city = input
        .city
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned);
    match (&input.center_id.map(CenterId::get), &city) {
        (None, None) => {
            return Err(ServiceError::BadRequest(BadInput::Required {
                field: "center_id",
            }));
        }
        (Some(_), Some(_)) => {
            return Err(ServiceError::BadRequest(BadInput::InvalidField {
                field: "city".into(),
            }));
        }
        _ => {}
    }
    if let Some(c) = &city
        && (c.chars().count() > 100 || kezek_domain::input::has_control(c))
    {
        return Err(ServiceError::BadRequest(BadInput::FieldLength {
            field: "city",
            max: 100,
        }));
    }
    let from = parse_day(&input.from, "from")?;
    let to = parse_day(&input.to, "to")?;
    let range = TimeRange::parse(input.time_from.as_deref(), input.time_to.as_deref())
        .map_err(ServiceError::BadRequest)?;
    if let Some(id) = input.center_id.map(CenterId::get) {
        let c = centers::Entity::find_by_id(id)
            .one(&core.db)
            .await?
            .filter(|c| c.active)
            .ok_or(ServiceError::NotFound)?;
        if c.kind != service.kind.as_str() {
            return Err(ServiceError::Refused(Refusal::WrongCenterKind {
                expected: service.kind,
            }));
        }
    }
    let covered = centers_of(
        core,
        service.kind,
        input.center_id.map(CenterId::get),
        city.as_deref(),
    )
    .await?;
    let Some(first) = covered.first() else {
        return Err(ServiceError::NotFound);
    };
    let tz: chrono_tz::Tz = first.timezone.parse().unwrap_or(chrono_tz::Asia::Almaty);
    let policy = core.read_cache.policy(&core.db).await?;
    let local_now = utc_to_local(tz, now);
    let bounds = policy.bounds(local_now);
    check_window(from, to, local_now.date(), bounds.last_date).map_err(ServiceError::BadRequest)?;
    if service.online_available {
        return Err(ServiceError::Refused(Refusal::ServiceOnline));
    }
    let vehicle = match input.vehicle.as_deref().map(str::trim) {
        Some(v) if !v.is_empty() => Some(VehicleRef::parse(v).map_err(Refusal::from)?),
        _ => None,
    };
    // A range no day of the window ever offers: refused, not kept forever.
    if serve::first_start(core, &service, &covered, from, to, &range, None, false)
        .await?
        .is_none()
    {
        return Err(ServiceError::Refused(Refusal::OutsideHours));
    }
    // A matching free start now: book it instead.
    if serve::first_start(core, &service, &covered, from, to, &range, None, true)
        .await?
        .is_some()
    {
        return Err(ServiceError::Refused(Refusal::SlotsAvailable));
    }
    let id = write_txn(core, |txn| {
        let (input, service, policy, vehicle, city) = (
            input.clone(),
            service.clone(),
            policy.clone(),
            vehicle.clone(),
            city.clone(),
        );
        Box::pin(async move {
            if !lock_citizen(txn, input.citizen_id.get()).await? {
                return Err(ServiceError::Unauthorized);
            }
            let open = waitlist_entries::Entity::find()
                .filter(waitlist_entries::Column::CitizenId.eq(input.citizen_id.get()))
                .filter(waitlist_entries::Column::CenterKind.eq(service.kind.as_str()))
                .filter(waitlist_entries::Column::Grp.eq(service.group.as_str()))
                .filter(waitlist_entries::Column::Status.eq(WAITING))
                .count(txn)
                .await?;
            if open > 0 {
                return Err(ServiceError::Refused(Refusal::AlreadyWaiting));
            }
            match input.booking_id {
                Some(bid) => {
                    // Tied: the citizen's active booking of this service.
                    let b = bookings::Entity::find_by_id(bid)
                        .one(txn)
                        .await?
                        .filter(|b| b.citizen_id == input.citizen_id.get())
                        .ok_or(ServiceError::NotFound)?;
                    if b.status != BookingStatus::Booked.as_str() {
                        return Err(ServiceError::Refused(Refusal::IllegalTransition {
                            from: crate::service::booking::facts::parse_status(&b.status)?,
                            event: kezek_domain::lifecycle::EventKind::Reschedule,
                        }));
                    }
                    if b.service_code != service.code.as_str() {
                        return Err(ServiceError::Refused(Refusal::DifferentService));
                    }
                }
                None => {
                    // The rules as for a booking on the first day of the
                    // range (R3, R4, R6, R7; R5 again when served).
                    let existing =
                        citizen_facts(txn, input.citizen_id.get(), &policy, now, &[from], tz)
                            .await?;
                    {
                        let start = from
                            .and_time(NaiveTime::from_hms_opt(23, 59, 0).unwrap_or_default())
                            .max(bounds.earliest);
                        let req = NewBookingRequest {
                            iin: input.iin,
                            service: service.clone(),
                            center_kind: service.kind,
                            center_tz: tz,
                            start_local: start,
                            vehicle: vehicle.clone(),
                        };
                        match check_new_booking(&req, &existing, None, &policy, now) {
                            // Day-specific and registry checks wait for
                            // the day served.
                            Err(
                                Refusal::TwoPerDay { .. }
                                | Refusal::SameGroupSameDay { .. }
                                | Refusal::VehicleNotFound
                                | Refusal::NotVehicleOwner
                                | Refusal::VehicleAlreadyBooked
                                | Refusal::TooLate { .. }
                                | Refusal::OutsideHorizon { .. },
                            )
                            | Ok(()) => {}
                            Err(r) => return Err(ServiceError::Refused(r)),
                        }
                    }
                }
            }
            crate::events::note(crate::events::Change::citizen(input.citizen_id.get()));
            let row = waitlist_entries::ActiveModel {
                id: NotSet,
                citizen_id: Set(input.citizen_id.get()),
                service_code: Set(service.code.as_str().to_owned()),
                center_kind: Set(service.kind.as_str().to_owned()),
                grp: Set(service.group.as_str().to_owned()),
                center_id: Set(input.center_id.map(CenterId::get)),
                city: Set(if input.center_id.map(CenterId::get).is_some() {
                    None
                } else {
                    city
                }),
                date_from: Set(from.format("%Y-%m-%d").to_string()),
                date_to: Set(to.format("%Y-%m-%d").to_string()),
                time_from: Set(range.from.map(|t| t.format("%H:%M").to_string())),
                time_to: Set(range.to.map(|t| t.format("%H:%M").to_string())),
                booking_id: Set(input.booking_id),
                vehicle: Set(vehicle.as_ref().map(|v| v.to_string())),
                status: Set(WAITING.to_owned()),
                served_booking_id: Set(None),
                created_at: Set(now.timestamp()),
                ended_at: Set(None),
            };
            match waitlist_entries::Entity::insert(row).exec(txn).await {
                Ok(r) => Ok(r.last_insert_id),
                Err(e)
                    if crate::error::db_code(&e)
                        .is_some_and(|c| crate::error::unique_violation(&c)) =>
                {
                    Err(ServiceError::Refused(Refusal::AlreadyWaiting))
                }
                Err(e) => Err(e.into()),
            }
        })
    })
    .await?;
    one(core, input.citizen_id, id, lang).await
}

/// Leaves the list (a served or ended entry answers as it is).
pub async fn leave(
    core: &Core,
    citizen: CitizenId,
    id: i64,
    lang: Lang,
) -> Result<WaitEntryView, ServiceError> {
    let citizen_id = citizen.get();
    let now = core.now().timestamp();
    waitlist_entries::Entity::find_by_id(id)
        .one(&core.db)
        .await?
        .filter(|e| e.citizen_id == citizen_id)
        .ok_or(ServiceError::NotFound)?;
    write_txn(core, |txn| {
        Box::pin(async move {
            lock_citizen(txn, citizen_id).await?;
            waitlist_entries::Entity::update_many()
                .col_expr(waitlist_entries::Column::Status, Expr::value(LEFT))
                .col_expr(waitlist_entries::Column::EndedAt, Expr::value(now))
                .filter(waitlist_entries::Column::Id.eq(id))
                .filter(waitlist_entries::Column::Status.eq(WAITING))
                .exec(txn)
                .await?;
            crate::events::note(crate::events::Change::citizen(citizen_id));
            Ok(())
        })
    })
    .await?;
    one(core, citizen, id, lang).await
}

/// Does the schedule offer `service` at `center_id` on some day of
/// `[from, to]` (free or not, within the booking bounds)? An entry over
/// those days could be served some day; without any, joining is refused
/// (`outside_hours`), so a client offers the waiting list only when this
/// holds.
pub async fn servable(
    core: &Core,
    service: &str,
    center_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<bool, ServiceError> {
    let Some(row) = core
        .read_cache
        .service(&core.db, service)
        .await?
        .filter(|s| s.active)
    else {
        return Ok(false);
    };
    let info = service_info(&row)?;
    let covered = centers_of(core, info.kind, Some(center_id), None).await?;
    Ok(serve::first_start(
        core,
        &info,
        &covered,
        from,
        to,
        &TimeRange::default(),
        None,
        false,
    )
    .await?
    .is_some())
}

/// The citizen's entries, newest first.
pub async fn list_mine(
    core: &Core,
    citizen: CitizenId,
    lang: Lang,
) -> Result<Vec<WaitEntryView>, ServiceError> {
    let citizen_id = citizen.get();
    let rows = waitlist_entries::Entity::find()
        .filter(waitlist_entries::Column::CitizenId.eq(citizen_id))
        .order_by_desc(waitlist_entries::Column::Id)
        .all(&core.db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(view(core, r, lang).await?);
    }
    Ok(out)
}

/// One of the citizen's entries (another's is `NotFound`).
pub async fn one(
    core: &Core,
    citizen: CitizenId,
    id: i64,
    lang: Lang,
) -> Result<WaitEntryView, ServiceError> {
    let citizen_id = citizen.get();
    let r = waitlist_entries::Entity::find_by_id(id)
        .one(&core.db)
        .await?
        .filter(|e| e.citizen_id == citizen_id)
        .ok_or(ServiceError::NotFound)?;
    view(core, r, lang).await
}

async fn view(
    core: &Core,
    r: waitlist_entries::Model,
    lang: Lang,
) -> Result<WaitEntryView, ServiceError> {
    let ahead = if r.status == WAITING {
        let n = waitlist_entries::Entity::find()
            .filter(waitlist_entries::Column::Status.eq(WAITING))
            .filter(waitlist_entries::Column::ServiceCode.eq(r.service_code.clone()))
            .filter(waitlist_entries::Column::Id.lt(r.id))
            .count(&core.db)
            .await?;
        Some(u32::try_from(n).unwrap_or(u32::MAX))
    } else {
        None
    };
    let center_name = match r.center_id {
        Some(id) => Some(crate::service::draws::views::center_name(core, id, lang).await),
        None => None,
    };
    let service_name =
        crate::service::draws::views::service_name(core, &r.service_code, lang).await?;
    Ok(WaitEntryView {
        id: r.id.to_string(),
        status: r.status,
        service: r.service_code,
        service_name,
        center_id: r.center_id.map(|c| c.to_string()),
        center_name,
        city: r.city,
        from: r.date_from,
        to: r.date_to,
        time_from: r.time_from,
        time_to: r.time_to,
        booking_id: r.booking_id.map(|b| b.to_string()),
        served_booking_id: r.served_booking_id.map(|b| b.to_string()),
        ahead,
        created_at: rfc3339_in(chrono_tz::Asia::Almaty, r.created_at),
    })
}
