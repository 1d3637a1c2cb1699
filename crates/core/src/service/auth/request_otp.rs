//! Use case: send a citizen a one-time sign-in code.
//!
//! The code (6 digits) is stored only as a hash salted with the challenge id;
//! it expires after `Config::otp_ttl_secs`. Sends are limited per phone and
//! per IIN per hour. The SMS is written to the outbox in the same
//! transaction; in dev mode the outbox is readable over the dev API.
use rand::Rng;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait,
};

use crate::entity::{otp_challenges, outbox};
use crate::error::ServiceError;
use crate::service::util::{mask_phone, random_hex, sha256_hex};
use crate::state::Core;
use kezek_domain::iin::Iin;
use kezek_domain::refusal::Refusal;
use kezek_i18n::Lang;
use kezek_wire::ErrorCode;

use kezek_domain::phone::normalize_phone;

pub struct OtpSent {
    pub challenge_id: String,
    /// The code itself, only in dev mode (for the demo page and tests).
    pub dev_code: Option<String>,
}

pub async fn request_otp(
    state: &Core,
    iin: &str,
    phone: &str,
    lang: Lang,
) -> Result<OtpSent, ServiceError> {
    let iin = Iin::parse(iin).map_err(Refusal::from)?;
    let phone = normalize_phone(phone).ok_or(ServiceError::Invalid(ErrorCode::InvalidPhone))?;
    let now = state.now().timestamp();
    let hour_ago = now - 3600;
    let limit = u64::from(state.config.otp_sends_per_hour);

    let by_phone = otp_challenges::Entity::find()
        .filter(otp_challenges::Column::Phone.eq(&phone))
        .filter(otp_challenges::Column::CreatedAt.gt(hour_ago))
        .count(&state.db)
        .await?;
    let by_iin = otp_challenges::Entity::find()
        .filter(otp_challenges::Column::Iin.eq(iin.as_str()))
        .filter(otp_challenges::Column::CreatedAt.gt(hour_ago))
        .count(&state.db)
        .await?;
    if by_phone >= limit || by_iin >= limit {
        return Err(ServiceError::RateLimited(600));
    }

    let code = format!("{:06}", rand::rng().random_range(0..1_000_000u32));
    let challenge_id = random_hex(16);
    let body = sms_text(&code, lang);
    let txn = state.db.begin().await?;
    otp_challenges::Entity::insert(otp_challenges::ActiveModel {
        id: Set(challenge_id.clone()),
        iin: Set(iin.as_str().to_owned()),
        phone: Set(phone.clone()),
        code_hash: Set(sha256_hex(&[&challenge_id, &code])),
        created_at: Set(now),
        expires_at: Set(now + state.config.otp_ttl_secs),
        attempts: Set(0),
        consumed: Set(false),
    })
    .exec(&txn)
    .await?;
    outbox::Entity::insert(outbox::ActiveModel {
        channel: Set("sms".to_owned()),
        recipient: Set(phone.clone()),
        kind: Set("otp".to_owned()),
        body: Set(body),
        booking_id: Set(None),
        status: Set("pending".to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    txn.commit().await?;
    tracing::info!(phone = %mask_phone(&phone), "sign-in code sent");
    Ok(OtpSent {
        challenge_id,
        dev_code: state.config.dev_mode.then_some(code),
    })
}

fn sms_text(code: &str, lang: Lang) -> String {
    kezek_i18n::notices::sign_in_code(code, lang)
}
