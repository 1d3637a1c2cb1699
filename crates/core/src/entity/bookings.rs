//! Entity for the `bookings` table (see migrations).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bookings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub code: String,
    pub citizen_id: i64,
    pub center_id: i64,
    pub center_kind: String,
    pub service_code: String,
    pub grp: String,
    pub window_id: i64,
    pub start_at: i64,
    pub end_at: i64,
    pub local_date: String,
    pub status: String,
    pub reschedule_count: i32,
    pub cancelled_by: Option<String>,
    pub cancel_reason: Option<String>,
    pub vehicle_plate: Option<String>,
    pub vehicle_vin: Option<String>,
    pub ticket: Option<String>,
    pub called_window: Option<i32>,
    pub priority: bool,
    pub walk_in: bool,
    pub created_at: i64,
    pub updated_at: i64,
    /// When the booking got its current start (made or last moved).
    pub moved_at: i64,
    pub checked_in_at: Option<i64>,
    pub called_at: Option<i64>,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
