//! Use case: check a one-time code and open a citizen session.
//!
//! Each try is counted with a conditional update before the code is
//! compared, so parallel guesses cannot exceed the limit; a challenge is
//! consumed at most once.
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, EntityTrait, QueryFilter, TransactionTrait,
    sea_query::{Expr, ExprTrait, OnConflict},
};

use crate::entity::{citizens, otp_challenges};
use crate::error::ServiceError;
use crate::service::util::{constant_time_eq, sha256_hex};
use crate::state::Core;
use kezek_wire::ErrorCode;

use super::session::{NewSession, create_session};

pub struct CitizenSignedIn {
    pub token: String,
    pub citizen_id: i64,
    pub iin: String,
}

pub async fn verify_otp(
    state: &Core,
    challenge_id: &str,
    code: &str,
) -> Result<CitizenSignedIn, ServiceError> {
    let now = state.now().timestamp();
    let code = code.trim();
    // An id we could never have issued is an unknown (expired) challenge;
    // it must not reach the database (PostgreSQL refuses NUL bytes).
    if challenge_id.is_empty()
        || challenge_id.len() > 64
        || !challenge_id.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return Err(ServiceError::Invalid(ErrorCode::CodeExpired));
    }
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ServiceError::Invalid(ErrorCode::InvalidCode));
    }
    let max = state.config.otp_max_attempts;
    // Count the try first (atomically), then compare.
    let counted = otp_challenges::Entity::update_many()
        .col_expr(
            otp_challenges::Column::Attempts,
            Expr::col(otp_challenges::Column::Attempts).add(1),
        )
        .filter(otp_challenges::Column::Id.eq(challenge_id))
        .filter(otp_challenges::Column::Consumed.eq(false))
        .filter(otp_challenges::Column::ExpiresAt.gt(now))
        .filter(otp_challenges::Column::Attempts.lt(max))
        .exec(&state.db)
        .await?;
    if counted.rows_affected != 1 {
        return Err(ServiceError::Invalid(ErrorCode::CodeExpired));
    }
    let ch = otp_challenges::Entity::find_by_id(challenge_id.to_owned())
        .one(&state.db)
        .await?
        .ok_or(ServiceError::Invalid(ErrorCode::CodeExpired))?;
    if !constant_time_eq(&ch.code_hash, &sha256_hex(&[challenge_id, code])) {
        return Err(ServiceError::Invalid(ErrorCode::InvalidCode));
    }

    let txn = state.db.begin().await?;
    let consumed = otp_challenges::Entity::update_many()
        .col_expr(otp_challenges::Column::Consumed, Expr::value(true))
        .filter(otp_challenges::Column::Id.eq(challenge_id))
        .filter(otp_challenges::Column::Consumed.eq(false))
        .exec(&txn)
        .await?;
    if consumed.rows_affected != 1 {
        return Err(ServiceError::Invalid(ErrorCode::CodeExpired));
    }
    citizens::Entity::insert(citizens::ActiveModel {
        iin: Set(ch.iin.clone()),
        phone: Set(Some(ch.phone.clone())),
        lang: Set("ru".to_owned()),
        telegram_chat_id: Set(None),
        created_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(citizens::Column::Iin)
            .update_column(citizens::Column::Phone)
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    let citizen = citizens::Entity::find()
        .filter(citizens::Column::Iin.eq(&ch.iin))
        .one(&txn)
        .await?
        .ok_or_else(|| ServiceError::Internal("citizen vanished after upsert".into()))?;
    let token = create_session(
        &txn,
        NewSession::Citizen(citizen.id),
        now,
        state.config.session_ttl_secs,
    )
    .await?;
    txn.commit().await?;
    Ok(CitizenSignedIn {
        token,
        citizen_id: citizen.id,
        iin: ch.iin,
    })
}
