//! Entity for the `waitlist_entries` table (R13).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "waitlist_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub citizen_id: i64,
    pub service_code: String,
    pub center_kind: String,
    pub grp: String,
    /// One center, or …
    pub center_id: Option<i64>,
    /// … any center of the kind in this city.
    pub city: Option<String>,
    pub date_from: String,
    pub date_to: String,
    pub time_from: Option<String>,
    pub time_to: Option<String>,
    /// Tied to this booking of the citizen: serving moves it.
    pub booking_id: Option<i64>,
    pub vehicle: Option<String>,
    /// `waiting`, `served`, `left`, `expired`.
    pub status: String,
    pub served_booking_id: Option<i64>,
    pub created_at: i64,
    pub ended_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
