//! Use case: send a citizen a one-time sign-in code.
//!
//! R11: the code goes only to a phone the mobile-citizens registry
//! (`Core::phones`) lists for the IIN; otherwise `phone_not_registered`,
//! the same answer for an unknown IIN and a wrong phone. In dev mode an IIN
//! with no phone at all may get a code: the first phone that verifies is
//! bound to it (`verify_otp`).
//!
//! The code (6 digits) is stored only as a hash salted with the challenge id;
//! it expires after `Config::otp_ttl_secs`. Sends are limited per (IIN,
//! phone) pair and per phone per hour, and by the SMS budget per minute,
//! with counters bumped atomically ([`super::limits`]). The SMS is written
//! to the outbox in the same transaction; in dev mode the outbox is readable
//! over the dev API.
use rand::Rng;
use sea_orm::{ActiveValue::Set, EntityTrait, TransactionTrait};

use crate::entity::{otp_challenges, outbox};
use crate::error::ServiceError;
use crate::service::phones::PhoneCheck;
use crate::service::util::{mask_phone, random_hex, sha256_hex};
use crate::state::Core;

use super::limits::bump;
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

    // R11: only a phone the registry lists for the IIN gets a code. One
    // answer whether the IIN is unknown or the phone differs.
    match state.phones.check(&iin, &phone).await? {
        PhoneCheck::Listed => {}
        PhoneCheck::NoPhones if may_bind_first_phone(state) => {}
        PhoneCheck::NoPhones | PhoneCheck::NotListed => {
            tracing::info!(phone = %mask_phone(&phone), "sign-in refused: phone not registered");
            return Err(ServiceError::Invalid(ErrorCode::PhoneNotRegistered));
        }
    }

    // Send limits, each counted atomically: per (IIN, phone) pair, per
    // phone (several IINs may share a family phone) and the deployment's
    // SMS budget per minute. Only someone who holds the pair can spend the
    // pair's limit, and every code it sends goes to the owner's phone.
    let per_pair = state.config.otp_sends_per_hour;
    let limits = [
        (format!("otp:pair:{}:{phone}", iin.as_str()), per_pair, 3600),
        (
            format!("otp:phone:{phone}"),
            per_pair.saturating_mul(2),
            3600,
        ),
        (
            "otp:budget".to_owned(),
            state.config.sms_codes_per_minute,
            60,
        ),
    ];
    for (key, limit, window) in limits {
        if let Err(wait) = bump(&state.db, &key, limit, window, now).await? {
            tracing::info!(phone = %mask_phone(&phone), key = key.split(':').nth(1).unwrap_or(""), "sign-in code limit hit");
            return Err(ServiceError::RateLimited(wait));
        }
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

/// Dev mode with Kezek's own registry table: an IIN nobody registered binds
/// the first phone that verifies a code (trust on first use).
pub(crate) fn may_bind_first_phone(state: &Core) -> bool {
    state.config.dev_mode && state.phones.binds_on_first_use()
}
