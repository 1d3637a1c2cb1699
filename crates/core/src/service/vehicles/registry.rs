//! The vehicle registry adapter.
//!
//! The booking use case asks "who owns the vehicle the citizen named?"
//! through [`VehicleRegistry`], kept in `Core::registry` so tests and
//! deployments can swap it:
//! - [`DbRegistry`] (the default) reads Kezek's own `vehicles` table, filled
//!   by the CSV import. A VIN names at most one row (primary key). A plate
//!   can, after re-plating, appear on more than one VIN; the most recently
//!   updated row wins.
//! - [`HttpRegistry`] is the place for the national registry's HTTP API in
//!   production. It is a stub: every lookup fails with an internal error
//!   (so a booking that needs a vehicle is refused with `internal`, never
//!   accepted unchecked). The intended protocol is
//!   `GET {base_url}/vehicles/{plate-or-VIN}` → 200
//!   `{"plate","vin","owner_iin"}` or 404.
use std::future::Future;
use std::pin::Pin;

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};

use crate::entity::vehicles;
use crate::error::ServiceError;
use kezek_domain::iin::Iin;
use kezek_domain::vehicle::{Plate, RegistryRecord, VehicleKey, VehicleRef, Vin};

/// What [`VehicleRegistry::lookup`] returns.
pub type RegistryFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Option<RegistryRecord>, ServiceError>> + Send + 'a>>;

/// A source of truth for vehicle ownership.
pub trait VehicleRegistry: Send + Sync + 'static {
    /// The registry's record for the vehicle, or `None` when it does not
    /// know it. Errors are the registry being unreachable or broken.
    fn lookup<'a>(&'a self, vehicle: &'a VehicleRef) -> RegistryFuture<'a>;

    /// A short name for logs and health output.
    fn name(&self) -> &'static str;
}

/// The `vehicles` table as the registry.
#[derive(Clone)]
pub struct DbRegistry {
    db: DatabaseConnection,
}

impl DbRegistry {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

impl VehicleRegistry for DbRegistry {
    fn lookup<'a>(&'a self, vehicle: &'a VehicleRef) -> RegistryFuture<'a> {
        Box::pin(lookup_in(&self.db, vehicle))
    }

    fn name(&self) -> &'static str {
        "database"
    }
}

/// Looks a vehicle up in the `vehicles` table on `db` (a connection or an
/// open transaction).
pub async fn lookup_in(
    db: &impl ConnectionTrait,
    vehicle: &VehicleRef,
) -> Result<Option<RegistryRecord>, ServiceError> {
    let q = vehicles::Entity::find();
    let q = match vehicle {
        VehicleRef::Vin(v) => q.filter(vehicles::Column::Vin.eq(v.as_str())),
        VehicleRef::Plate(p) => q.filter(vehicles::Column::Plate.eq(p.as_str())),
    };
    let row = q
        .order_by_desc(vehicles::Column::UpdatedAt)
        .order_by_asc(vehicles::Column::Vin)
        .one(db)
        .await?;
    row.map(record_of).transpose()
}

fn record_of(row: vehicles::Model) -> Result<RegistryRecord, ServiceError> {
    let owner_iin = Iin::parse(&row.owner_iin)
        .map_err(|e| ServiceError::Internal(format!("vehicle registry row has a bad IIN: {e}")))?;
    Ok(RegistryRecord {
        key: VehicleKey {
            plate: Plate::parse(&row.plate).ok(),
            vin: Vin::parse(&row.vin).ok(),
        },
        owner_iin,
    })
}

/// An external registry over HTTP — **not implemented yet** (see the
/// module doc): every lookup returns `ServiceError::Internal`.
#[derive(Clone, Debug)]
pub struct HttpRegistry {
    base_url: String,
}

impl HttpRegistry {
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
        }
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

impl VehicleRegistry for HttpRegistry {
    fn lookup<'a>(&'a self, _vehicle: &'a VehicleRef) -> RegistryFuture<'a> {
        Box::pin(async move {
            Err(ServiceError::Internal(format!(
                "HTTP vehicle registry at {} is not implemented",
                self.base_url
            )))
        })
    }

    fn name(&self) -> &'static str {
        "http"
    }
}
