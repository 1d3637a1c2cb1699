//! Notifications about a booking, written to the outbox in the same
//! transaction as the change (delivered by the outbox worker).
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::entity::citizens;
use crate::error::ServiceError;
use kezek_i18n::Lang;
use kezek_i18n::notices::{self, Message, Template};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    Booked,
    Rescheduled,
    Cancelled,
    CancelledByCenter,
}

/// What the message says about the booking (already in the center's zone).
pub struct NoticeFacts<'a> {
    pub code: &'a str,
    pub center: &'a crate::entity::centers::Model,
    /// `dd.mm.yyyy HH:MM`
    pub when: &'a str,
    pub reason: Option<&'a str>,
}

/// The notice in `lang` (texts: `kezek_i18n::notices`).
pub fn message(n: Notice, f: &NoticeFacts<'_>, lang: Lang) -> Message {
    let c = f.center;
    let (center_name, address) = lang.choose(
        (&c.name_kk, &c.address_kk),
        (&c.name_ru, &c.address_ru),
        (&c.name_en, &c.address_en),
    );
    let template = match n {
        Notice::Booked => Template::Booked,
        Notice::Rescheduled => Template::Rescheduled,
        Notice::Cancelled => Template::Cancelled,
        Notice::CancelledByCenter => Template::CancelledByCenter,
    };
    notices::booking(
        template,
        f.code,
        center_name,
        address,
        f.when,
        f.reason,
        lang,
    )
}

/// Queues the notice to the booking's citizen: to the phone (SMS, or
/// WhatsApp when they opted in) and to a linked Telegram chat (one outbox
/// row per channel, see `service::outbox`).
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
        |lang| message(notice, facts, lang),
        now,
    )
    .await?;
    Ok(())
}
