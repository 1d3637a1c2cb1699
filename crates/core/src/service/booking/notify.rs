//! Notifications about a booking, written to the outbox in the same
//! transaction as the change (delivered by the outbox worker).
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::entity::citizens;
use crate::error::ServiceError;
use kezek_i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    Booked,
    Rescheduled,
    Cancelled,
    CancelledByCenter,
}

impl Notice {
    pub fn kind(self) -> &'static str {
        match self {
            Notice::Booked => "booked",
            Notice::Rescheduled => "rescheduled",
            Notice::Cancelled => "cancelled",
            Notice::CancelledByCenter => "cancelled_by_center",
        }
    }
}

/// What the message says about the booking (already in the center's zone).
pub struct NoticeFacts<'a> {
    pub code: &'a str,
    pub center: &'a crate::entity::centers::Model,
    /// `dd.mm.yyyy HH:MM`
    pub when: &'a str,
    pub reason: Option<&'a str>,
}

pub fn text(n: Notice, f: &NoticeFacts<'_>, lang: Lang) -> String {
    let reason = f.reason.unwrap_or("");
    let c = f.center;
    let (center_name, address) = lang.choose(
        (&c.name_kk, &c.address_kk),
        (&c.name_ru, &c.address_ru),
        (&c.name_en, &c.address_en),
    );
    match (n, lang) {
        (Notice::Booked, Lang::Ru) => format!(
            "Kezek: бронь {} оформлена. {}, {}. Время: {}. Приходите с удостоверением личности.",
            f.code, center_name, address, f.when
        ),
        (Notice::Booked, Lang::Kk) => format!(
            "Kezek: бронь {} рәсімделді. {}, {}. Уақыты: {}. Жеке куәлігіңізбен келіңіз.",
            f.code, center_name, address, f.when
        ),
        (Notice::Booked, Lang::En) => format!(
            "Kezek: booking {} confirmed. {}, {}. Time: {}. Bring your ID card.",
            f.code, center_name, address, f.when
        ),
        (Notice::Rescheduled, Lang::Ru) => format!(
            "Kezek: бронь {} перенесена. {}, {}. Новое время: {}.",
            f.code, center_name, address, f.when
        ),
        (Notice::Rescheduled, Lang::Kk) => format!(
            "Kezek: бронь {} ауыстырылды. {}, {}. Жаңа уақыты: {}.",
            f.code, center_name, address, f.when
        ),
        (Notice::Rescheduled, Lang::En) => format!(
            "Kezek: booking {} moved. {}, {}. New time: {}.",
            f.code, center_name, address, f.when
        ),
        (Notice::Cancelled, Lang::Ru) => {
            format!("Kezek: бронь {} на {} отменена.", f.code, f.when)
        }
        (Notice::Cancelled, Lang::Kk) => {
            format!("Kezek: {} уақытына {} броны болдырылмады.", f.when, f.code)
        }
        (Notice::Cancelled, Lang::En) => {
            format!("Kezek: booking {} for {} cancelled.", f.code, f.when)
        }
        (Notice::CancelledByCenter, Lang::Ru) => format!(
            "Kezek: ЦОН отменил бронь {} на {}. Причина: {}. Запишитесь на другое время.",
            f.code, f.when, reason
        ),
        (Notice::CancelledByCenter, Lang::Kk) => format!(
            "Kezek: ХҚО {} уақытына {} броның болдырмады. Себебі: {}. Басқа уақытқа жазылыңыз.",
            f.when, f.code, reason
        ),
        (Notice::CancelledByCenter, Lang::En) => format!(
            "Kezek: the center cancelled booking {} for {}. Reason: {}. Please book another time.",
            f.code, f.when, reason
        ),
    }
}

/// Queues the notice to the booking's citizen: an SMS to the phone and a
/// Telegram message when a chat is linked (one outbox row per channel, see
/// `service::outbox`).
pub async fn enqueue(
    db: &impl ConnectionTrait,
    citizen_id: i64,
    booking_id: i64,
    notice: Notice,
    facts: &NoticeFacts<'_>,
    now: i64,
) -> Result<(), ServiceError> {
    let Some(citizen) = citizens::Entity::find_by_id(citizen_id).one(db).await? else {
        return Ok(());
    };
    enqueue_to(db, &citizen, booking_id, notice, facts, now).await
}

/// [`enqueue`] to a citizen row already read in this transaction (e.g. by
/// `txn::lock_citizen_row`).
pub async fn enqueue_to(
    db: &impl ConnectionTrait,
    citizen: &citizens::Model,
    booking_id: i64,
    notice: Notice,
    facts: &NoticeFacts<'_>,
    now: i64,
) -> Result<(), ServiceError> {
    crate::service::outbox::enqueue_for_citizen(
        db,
        citizen,
        Some(booking_id),
        notice.kind(),
        |lang| text(notice, facts, lang),
        now,
    )
    .await?;
    Ok(())
}
