//! Entity for the `draws` table (see migrations): one fair release (R12).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "draws")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub center_kind: String,
    pub opens_at: i64,
    pub closes_at: i64,
    /// `open`, `running` (closed, requests being served), `done`.
    pub status: String,
    /// 64 lower-case hex characters; published only once `done`.
    pub seed: String,
    /// SHA-256 of the seed's 32 bytes, lower-case hex; public from the
    /// opening.
    pub commitment: String,
    /// `admin` (ad hoc) or `release` (a center in draw mode).
    pub origin: String,
    pub created_at: i64,
    pub ran_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
