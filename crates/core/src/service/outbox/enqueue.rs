//! Writing notifications: one outbox row per channel the citizen can be
//! reached on, in the caller's transaction.
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};

use crate::entity::{bookings, centers, citizens, outbox};
use crate::error::ServiceError;
use kezek_i18n::Lang;

use kezek_i18n::notices::Message;

use super::texts::{Reminder, called_text};
use super::{PENDING, SMS, TELEGRAM, WHATSAPP, whatsapp};

/// Queues a notice for `citizen`, one row per channel they can be reached
/// on: WhatsApp when they opted in (else SMS) to their phone, and Telegram
/// when a chat is linked. `message` gives the notice in a language (the
/// citizen's); the row's kind is the template's. Returns the number of
/// rows written.
pub async fn enqueue_for_citizen(
    db: &impl ConnectionTrait,
    citizen: &citizens::Model,
    booking_id: Option<i64>,
    message: impl Fn(Lang) -> Message,
    now: i64,
) -> Result<usize, ServiceError> {
    // What the citizen is told about also changes what their cabinet shows.
    crate::events::note(crate::events::Change::citizen(citizen.id));
    let lang = Lang::parse(&citizen.lang).unwrap_or_default();
    let message = message(lang);
    let text = message.text();
    let mut targets: Vec<(&str, String, String)> = Vec::new();
    if let Some(phone) = &citizen.phone {
        if citizen.whatsapp_since.is_some() {
            targets.push((WHATSAPP, phone.clone(), whatsapp::body(&message)));
        } else {
            targets.push((SMS, phone.clone(), text.clone()));
        }
    }
    if let Some(chat) = citizen.telegram_chat_id {
        targets.push((TELEGRAM, chat.to_string(), text.clone()));
    }
    for (channel, recipient, body) in &targets {
        insert_row(
            db,
            channel,
            recipient,
            message.template.kind(),
            body,
            booking_id,
            now,
        )
        .await?;
    }
    Ok(targets.len())
}

/// Writes one pending outbox row.
pub(crate) async fn insert_row(
    db: &impl ConnectionTrait,
    channel: &str,
    recipient: &str,
    kind: &str,
    body: &str,
    booking_id: Option<i64>,
    now: i64,
) -> Result<(), ServiceError> {
    outbox::Entity::insert(outbox::ActiveModel {
        channel: Set(channel.to_owned()),
        recipient: Set(recipient.to_owned()),
        kind: Set(kind.to_owned()),
        body: Set(body.to_owned()),
        booking_id: Set(booking_id),
        status: Set(PENDING.to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        claimed_until: Set(None),
        claim_token: Set(None),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(())
}

/// The booking's facts as the texts need them: its center and its start in
/// the center's zone (`dd.mm.yyyy HH:MM`).
pub(crate) async fn booking_context(
    db: &impl ConnectionTrait,
    booking: &bookings::Model,
) -> Result<(centers::Model, String), ServiceError> {
    let center = centers::Entity::find_by_id(booking.center_id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let tz: chrono_tz::Tz = center.timezone.parse().unwrap_or(chrono_tz::Asia::Almaty);
    let when = chrono::DateTime::from_timestamp(booking.start_at, 0)
        .map(|t| t.with_timezone(&tz).format("%d.%m.%Y %H:%M").to_string())
        .unwrap_or_default();
    Ok((center, when))
}

/// "Called to a window": for the desk's call-next use case, to be called in
/// its transaction once the booking is `Called`.
pub async fn notify_called(
    db: &impl ConnectionTrait,
    booking_id: i64,
    ticket: &str,
    window_number: i32,
    now: i64,
) -> Result<(), ServiceError> {
    let Some(b) = bookings::Entity::find_by_id(booking_id).one(db).await? else {
        return Ok(());
    };
    let Some(citizen) = citizens::Entity::find_by_id(b.citizen_id).one(db).await? else {
        return Ok(());
    };
    enqueue_for_citizen(
        db,
        &citizen,
        Some(booking_id),
        |lang| called_text(ticket, window_number, lang),
        now,
    )
    .await?;
    Ok(())
}

/// Queues a reminder (used by [`super::reminders`]).
pub(crate) async fn enqueue_reminder(
    db: &impl ConnectionTrait,
    citizen: &citizens::Model,
    booking: &bookings::Model,
    which: Reminder,
    now: i64,
) -> Result<usize, ServiceError> {
    let (center, when) = booking_context(db, booking).await?;
    enqueue_for_citizen(
        db,
        citizen,
        Some(booking.id),
        |lang| which.text(&booking.code, &center, &when, lang),
        now,
    )
    .await
}
