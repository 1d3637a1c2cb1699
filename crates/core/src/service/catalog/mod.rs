//! Read-only catalog use cases: centers and services, with names in the
//! caller's language. No sign-in needed; inactive rows are not listed.
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entity::{centers, services};
use crate::error::ServiceError;
use kezek_domain::catalog::CenterKind;
use kezek_i18n::Lang;

/// A center as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CenterItem {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub region: String,
    pub city: String,
    pub address: String,
    pub timezone: String,
    pub slot_minutes: i32,
}

/// A catalog service as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceItem {
    pub code: String,
    pub name: String,
    pub center_kind: String,
    pub group: String,
    pub online_available: bool,
    pub requires_vehicle: bool,
    pub duration_min: i32,
}

/// Active centers, optionally of one kind and in one city (the city
/// compared without regard to case), ordered by id.
pub async fn list_centers(
    db: &impl ConnectionTrait,
    kind: Option<CenterKind>,
    city: Option<&str>,
    lang: Lang,
) -> Result<Vec<CenterItem>, ServiceError> {
    let mut q = centers::Entity::find().filter(centers::Column::Active.eq(true));
    if let Some(k) = kind {
        q = q.filter(centers::Column::Kind.eq(k.as_str()));
    }
    let city = city.map(|c| c.trim().to_lowercase());
    let rows = q.order_by_asc(centers::Column::Id).all(db).await?;
    Ok(rows
        .into_iter()
        .filter(|c| city.as_deref().is_none_or(|w| c.city.to_lowercase() == w))
        .map(|c| {
            let (name, address) = lang.choose(
                (c.name_kk, c.address_kk),
                (c.name_ru, c.address_ru),
                (c.name_en, c.address_en),
            );
            CenterItem {
                id: c.id,
                kind: c.kind,
                name,
                region: c.region,
                city: c.city,
                address,
                timezone: c.timezone,
                slot_minutes: c.slot_minutes,
            }
        })
        .collect())
}

/// Active services, optionally of one center kind, ordered by code.
pub async fn list_services(
    db: &impl ConnectionTrait,
    center_kind: Option<CenterKind>,
    lang: Lang,
) -> Result<Vec<ServiceItem>, ServiceError> {
    let mut q = services::Entity::find().filter(services::Column::Active.eq(true));
    if let Some(k) = center_kind {
        q = q.filter(services::Column::CenterKind.eq(k.as_str()));
    }
    let rows = q.order_by_asc(services::Column::Code).all(db).await?;
    Ok(rows
        .into_iter()
        .map(|s| ServiceItem {
            name: lang.choose(s.name_kk, s.name_ru, s.name_en),
            code: s.code,
            center_kind: s.center_kind,
            group: s.grp,
            online_available: s.online_available,
            requires_vehicle: s.requires_vehicle,
            duration_min: s.duration_min,
        })
        .collect())
}
