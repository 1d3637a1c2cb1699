//! Use case: check a one-time code and open a citizen session.
//!
//! Each try is counted with a conditional update before the code is
//! compared, so parallel guesses cannot exceed the limit; a challenge is
//! consumed at most once.
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, TransactionTrait,
    sea_query::{Expr, ExprTrait, OnConflict},
};

use crate::entity::{citizen_phones, citizens, otp_challenges};
use crate::error::ServiceError;
use crate::service::phones::PhoneCheck;
use crate::service::phones::registry::{check_in, phones_of};
use crate::service::util::{constant_time_eq, sha256_hex};
use crate::state::Core;
use kezek_wire::ErrorCode;

use super::request_otp::may_bind_first_phone;
use super::session::{NewSession, SessionMeta, create_session};
use kezek_domain::iin::Iin;

pub struct CitizenSignedIn {
    pub token: String,
    pub citizen_id: i64,
    pub iin: String,
}

pub async fn verify_otp(
    state: &Core,
    challenge_id: &str,
    code: &str,
    meta: &SessionMeta,
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
    // R11 again (the registry may have changed since the code was sent),
    // asked before the transaction: an external registry is a network call.
    // Kezek's own table in dev mode is read inside it instead (binding).
    let bind_first = may_bind_first_phone(state);
    if !bind_first {
        let iin = Iin::parse(&ch.iin).map_err(|_| not_registered())?;
        if state.phones.check(&iin, &ch.phone).await? != PhoneCheck::Listed {
            return Err(not_registered());
        }
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
    // The citizen row, created on the first sign-in with this phone for
    // notices. A later sign-in never changes where notices go (R11), and
    // the upsert locks the row, so two first sign-ins of one IIN are
    // decided one after the other below.
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
            .value(
                citizens::Column::Phone,
                Expr::cust("COALESCE(citizens.phone, excluded.phone)"),
            )
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    if bind_first {
        bind_or_check_phone(&txn, &ch.iin, &ch.phone, now).await?;
    }
    let citizen = citizens::Entity::find()
        .filter(citizens::Column::Iin.eq(&ch.iin))
        .one(&txn)
        .await?
        .ok_or_else(|| ServiceError::Internal("citizen vanished after upsert".into()))?;
    let token = create_session(
        &txn,
        NewSession::Citizen(citizen.id),
        meta,
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

fn not_registered() -> ServiceError {
    ServiceError::Invalid(ErrorCode::PhoneNotRegistered)
}

/// Dev mode with Kezek's own table: an IIN with no phone binds this one
/// (trust on first use); a different phone is refused from then on. Read
/// inside the transaction that holds the citizen row, so two first
/// sign-ins of one IIN are decided one after the other.
async fn bind_or_check_phone(
    txn: &DatabaseTransaction,
    iin: &str,
    phone: &str,
    now: i64,
) -> Result<(), ServiceError> {
    match check_in(&phones_of(txn, iin).await?, phone) {
        PhoneCheck::Listed => Ok(()),
        PhoneCheck::NotListed => Err(not_registered()),
        PhoneCheck::NoPhones => {
            citizen_phones::Entity::insert(citizen_phones::ActiveModel {
                iin: Set(iin.to_owned()),
                phone: Set(phone.to_owned()),
                source: Set("tofu".to_owned()),
                created_at: Set(now),
            })
            .on_conflict(
                OnConflict::columns([citizen_phones::Column::Iin, citizen_phones::Column::Phone])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
            tracing::info!("dev mode: first phone bound to an IIN");
            Ok(())
        }
    }
}
