//! A citizen's draw requests (R12): make one (1–5 ranked choices, every
//! rule checked now and again when served), withdraw it while the draw is
//! open, list their own.
use chrono::NaiveDate;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    sea_query::Expr,
};

use crate::entity::{draw_requests, draws};
use crate::error::ServiceError;
use crate::service::booking::create::vehicle_facts;
use crate::service::booking::facts::{citizen_facts, rfc3339_in, service_info};
use crate::service::booking::txn::{current_schedule, lock_citizen, write_txn};
use crate::state::Core;
use kezek_domain::calendar::utc_to_local;
use kezek_domain::capacity::free_starts;
use kezek_domain::draw::{Choice, TimeRange, check_choices};
use kezek_domain::ids::CitizenId;
use kezek_domain::iin::Iin;
use kezek_domain::input::BadInput;
use kezek_domain::refusal::Refusal;
use kezek_domain::rules::{NewBookingRequest, check_new_booking};
use kezek_domain::vehicle::VehicleRef;
use kezek_i18n::Lang;
use kezek_wire::draws::{ChoiceView, DrawRequestView};

use super::lock_draw;
use super::order::new_public_id;

/// A choice as the caller sent it.
#[derive(Clone, Debug)]
pub struct ChoiceInput {
    pub center_id: Option<i64>,
    pub date: String,
    pub time_from: Option<String>,
    pub time_to: Option<String>,
}

#[derive(Clone, Debug)]
pub struct RequestInput {
    pub citizen_id: CitizenId,
    pub iin: Iin,
    pub draw_id: i64,
    pub service: String,
    pub choices: Vec<ChoiceInput>,
    pub vehicle: Option<String>,
}

/// Parses the choices (`BadInput` naming what is wrong).
pub fn parse_choices(input: &[ChoiceInput]) -> Result<Vec<Choice>, ServiceError> {
    input
        .iter()
        .map(|c| {
            let center_id =
                c.center_id
                    .ok_or(ServiceError::BadRequest(BadInput::InvalidField {
                        field: "choices.center_id".into(),
                    }))?;
            let date = NaiveDate::parse_from_str(c.date.trim(), "%Y-%m-%d")
                .map_err(|_| ServiceError::BadRequest(BadInput::DateFormat { field: "date" }))?;
            let range = TimeRange::parse(c.time_from.as_deref(), c.time_to.as_deref())
                .map_err(ServiceError::BadRequest)?;
            Ok(Choice {
                center_id,
                date,
                range,
            })
        })
        .collect()
}

/// Makes a request. Refusals: `draw_closed`, `already_requested`, any
/// rule's code for any choice (checked at the choice's earliest start in
/// its range), `bad_request` for malformed choices; nothing is stored then.
pub async fn submit(
    core: &Core,
    input: RequestInput,
    lang: Lang,
) -> Result<DrawRequestView, ServiceError> {
    crate::service::booking::rate::count(core, input.citizen_id.get())?;
    let now = core.now();
    let draw = draws::Entity::find_by_id(input.draw_id)
        .one(&core.db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if draw.status != super::OPEN || draw.closes_at <= now.timestamp() {
        return Err(ServiceError::Refused(Refusal::DrawClosed));
    }
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
    let choices = parse_choices(&input.choices)?;
    let pairs = super::views::pairs(&core.db, draw.id).await?;
    check_choices(&choices, &pairs).map_err(ServiceError::BadRequest)?;
    let vehicle = match input.vehicle.as_deref().map(str::trim) {
        Some(v) if !v.is_empty() => Some(VehicleRef::parse(v).map_err(Refusal::from)?),
        _ => None,
    };
    let record = match &vehicle {
        Some(v) => core.registry.lookup(v).await?,
        None => None,
    };
    let policy = core.read_cache.policy(&core.db).await?;
    // Each choice's center schedule, read before the transaction (checked
    // against its version inside).
    let mut ctxs = Vec::new();
    for c in &choices {
        let ctx = core.read_cache.center(&core.db, c.center_id).await?;
        let national = core.read_cache.national(&core.db, c.date, c.date).await?;
        ctxs.push((ctx, national));
    }
    let public_id = new_public_id();
    let stored_choices = serde_json::to_string(&choices)
        .map_err(|e| ServiceError::Internal(format!("choices: {e}")))?;
    let id = write_txn(core, |txn| {
        let (core, input, choices, ctxs, service, policy, vehicle, record, public_id, stored) = (
            core.clone(),
            input.clone(),
            choices.clone(),
            ctxs.clone(),
            service.clone(),
            policy.clone(),
            vehicle.clone(),
            record.clone(),
            public_id.clone(),
            stored_choices.clone(),
        );
        Box::pin(async move {
            let d = lock_draw(txn, input.draw_id, false)
                .await?
                .ok_or(ServiceError::NotFound)?;
            if d.status != super::OPEN || d.closes_at <= now.timestamp() {
                return Err(ServiceError::Refused(Refusal::DrawClosed));
            }
            if !lock_citizen(txn, input.citizen_id.get()).await? {
                return Err(ServiceError::Unauthorized);
            }
            if service.kind.as_str() != d.center_kind {
                return Err(ServiceError::Refused(Refusal::WrongCenterKind {
                    expected: service.kind,
                }));
            }
            let open = draw_requests::Entity::find()
                .filter(draw_requests::Column::CitizenId.eq(input.citizen_id.get()))
                .filter(draw_requests::Column::CenterKind.eq(service.kind.as_str()))
                .filter(draw_requests::Column::Grp.eq(service.group.as_str()))
                .filter(draw_requests::Column::Status.eq(super::PENDING))
                .one(txn)
                .await?;
            if open.is_some() {
                return Err(ServiceError::Refused(Refusal::AlreadyRequested));
            }
            let dates: Vec<NaiveDate> = choices.iter().map(|c| c.date).collect();
            let vfacts = match &vehicle {
                Some(v) => Some(vehicle_facts(txn, v, record.clone()).await?),
                None => None,
            };
            for (c, (ctx, national)) in choices.iter().zip(ctxs) {
                let (ctx, national) =
                    current_schedule(&core, txn, ctx, national, c.date, c.date).await?;
                let existing =
                    citizen_facts(txn, input.citizen_id.get(), &policy, now, &dates, ctx.tz)
                        .await?;
                let bounds = policy.bounds(utc_to_local(ctx.tz, now));
                // The earliest start of the choice's range the day offers
                // (taken or not: places may free before the close).
                let day = ctx.day(&national, c.date, Vec::new());
                if day.open.is_empty() {
                    return Err(ServiceError::Refused(Refusal::CenterClosed {
                        date: c.date,
                    }));
                }
                let start = free_starts(&day, &service.code, service.duration_min, &bounds)
                    .into_iter()
                    .map(|s| s.start)
                    .find(|s| c.range.fits(s.time()))
                    .ok_or(ServiceError::Refused(Refusal::OutsideHours))?;
                let req = NewBookingRequest {
                    iin: input.iin,
                    service: service.clone(),
                    center_kind: ctx.kind,
                    center_tz: ctx.tz,
                    start_local: start,
                    vehicle: vehicle.clone(),
                };
                check_new_booking(&req, &existing, vfacts.as_ref(), &policy, now)?;
            }
            let row = draw_requests::ActiveModel {
                id: NotSet,
                public_id: Set(public_id),
                draw_id: Set(input.draw_id),
                citizen_id: Set(input.citizen_id.get()),
                service_code: Set(service.code.as_str().to_owned()),
                center_kind: Set(service.kind.as_str().to_owned()),
                grp: Set(service.group.as_str().to_owned()),
                choices: Set(stored),
                vehicle: Set(vehicle.as_ref().map(|v| v.to_string())),
                status: Set(super::PENDING.to_owned()),
                position: Set(None),
                booking_id: Set(None),
                note: Set(None),
                created_at: Set(now.timestamp()),
                decided_at: Set(None),
            };
            match draw_requests::Entity::insert(row).exec(txn).await {
                Ok(r) => {
                    crate::events::note(crate::events::Change::citizen(input.citizen_id.get()));
                    Ok(r.last_insert_id)
                }
                // The partial unique index: a twin request won the race.
                Err(e)
                    if crate::error::db_code(&e)
                        .is_some_and(|c| crate::error::unique_violation(&c)) =>
                {
                    Err(ServiceError::Refused(Refusal::AlreadyRequested))
                }
                Err(e) => Err(e.into()),
            }
        })
    })
    .await?;
    one(core, input.citizen_id, id, lang).await
}

/// Withdraws a pending request while its draw is open (`draw_closed`
/// after); withdrawing twice answers the same.
pub async fn withdraw(
    core: &Core,
    citizen: CitizenId,
    request_id: i64,
    lang: Lang,
) -> Result<DrawRequestView, ServiceError> {
    let citizen_id = citizen.get();
    let now = core.now().timestamp();
    let r = draw_requests::Entity::find_by_id(request_id)
        .one(&core.db)
        .await?
        .filter(|r| r.citizen_id == citizen_id)
        .ok_or(ServiceError::NotFound)?;
    write_txn(core, |txn| {
        Box::pin(async move {
            let d = lock_draw(txn, r.draw_id, false)
                .await?
                .ok_or(ServiceError::NotFound)?;
            let cur = draw_requests::Entity::find_by_id(request_id)
                .one(txn)
                .await?
                .ok_or(ServiceError::NotFound)?;
            if cur.status == super::WITHDRAWN {
                return Ok(());
            }
            if d.status != super::OPEN || d.closes_at <= now || cur.status != super::PENDING {
                return Err(ServiceError::Refused(Refusal::DrawClosed));
            }
            draw_requests::Entity::update_many()
                .col_expr(draw_requests::Column::Status, Expr::value(super::WITHDRAWN))
                .col_expr(draw_requests::Column::DecidedAt, Expr::value(now))
                .filter(draw_requests::Column::Id.eq(request_id))
                .filter(draw_requests::Column::Status.eq(super::PENDING))
                .exec(txn)
                .await?;
            crate::events::note(crate::events::Change::citizen(citizen_id));
            Ok(())
        })
    })
    .await?;
    one(core, citizen, request_id, lang).await
}

/// The citizen's requests, newest first.
pub async fn list_mine(
    core: &Core,
    citizen: CitizenId,
    lang: Lang,
) -> Result<Vec<DrawRequestView>, ServiceError> {
    let citizen_id = citizen.get();
    let rows = draw_requests::Entity::find()
        .filter(draw_requests::Column::CitizenId.eq(citizen_id))
        .order_by_desc(draw_requests::Column::Id)
        .all(&core.db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(view(core, r, lang).await?);
    }
    Ok(out)
}

/// One of the citizen's requests (another's is `NotFound`).
pub async fn one(
    core: &Core,
    citizen: CitizenId,
    id: i64,
    lang: Lang,
) -> Result<DrawRequestView, ServiceError> {
    let citizen_id = citizen.get();
    let r = draw_requests::Entity::find_by_id(id)
        .one(&core.db)
        .await?
        .filter(|r| r.citizen_id == citizen_id)
        .ok_or(ServiceError::NotFound)?;
    view(core, r, lang).await
}

async fn view(
    core: &Core,
    r: draw_requests::Model,
    lang: Lang,
) -> Result<DrawRequestView, ServiceError> {
    let draw = draws::Entity::find_by_id(r.draw_id)
        .one(&core.db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let choices: Vec<Choice> = serde_json::from_str(&r.choices).unwrap_or_default();
    let tz = super::views::zone_of(&core.db, choices.first().map(|c| c.center_id)).await?;
    let mut views = Vec::with_capacity(choices.len());
    for c in &choices {
        let name = super::views::center_name(core, c.center_id, lang).await;
        views.push(ChoiceView {
            center_id: c.center_id.to_string(),
            center_name: name,
            date: c.date.format("%Y-%m-%d").to_string(),
            time_from: c.range.from.map(|t| t.format("%H:%M").to_string()),
            time_to: c.range.to.map(|t| t.format("%H:%M").to_string()),
        });
    }
    let service_name = super::views::service_name(core, &r.service_code, lang).await?;
    Ok(DrawRequestView {
        id: r.id.to_string(),
        public_id: r.public_id,
        draw_id: r.draw_id.to_string(),
        status: r.status,
        service: r.service_code,
        service_name,
        choices: views,
        booking_id: r.booking_id.map(|b| b.to_string()),
        position: r
            .position
            .filter(|_| draw.status != super::OPEN)
            .and_then(|p| u32::try_from(p).ok()),
        note: r.note,
        closes_at: rfc3339_in(tz, draw.closes_at),
        created_at: rfc3339_in(tz, r.created_at),
    })
}
