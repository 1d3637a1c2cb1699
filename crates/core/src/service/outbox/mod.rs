//! Notifications that are never lost: the transactional outbox, its worker,
//! the channel gateways and the reminder job. Guarantees and trade-offs:
//! `docs/NOTIFICATIONS.md`.
//!
//! - [`enqueue`] — rows are written in the transaction of the change, one
//!   per channel the citizen can be reached on (SMS to the phone — or
//!   WhatsApp when they opted in —, Telegram to a linked chat).
//! - [`worker`] — claims due rows with a lease (conditional update; `FOR
//!   UPDATE SKIP LOCKED` on PostgreSQL), calls the channel's [`Gateway`]
//!   with the outbox id as the idempotency key, and marks the row `sent`,
//!   or schedules a retry with exponential backoff, or marks it `failed`
//!   after the last attempt.
//! - [`reminders`] — enqueues the 24 h and 2 h reminders once per booking
//!   and start time (a unique key in `booking_reminders`).
//! - [`whatsapp`] — the WhatsApp Cloud API gateway (template messages),
//!   its signed delivery receipts and the SMS fallback.
//! - [`texts`] — reminder and "called to a window" texts in kk/ru/en (the
//!   booked/rescheduled/cancelled texts live in `booking::notify`).
pub mod enqueue;
pub mod gateway;
pub mod reminders;
pub mod sent;
pub mod texts;
pub mod whatsapp;
pub mod worker;

pub use enqueue::{enqueue_for_citizen, notify_called};
pub use gateway::{
    Accepted, DevGateway, Gateway, GatewayError, GatewayFuture, HttpSmsGateway, OutboundMessage,
    TelegramGateway,
};
pub use whatsapp::{WhatsAppGateway, WhatsAppSettings};
pub use worker::{Claimed, OutboxSettings, Worker};

/// Channel names stored in `outbox.channel`.
pub const SMS: &str = "sms";
pub const TELEGRAM: &str = "telegram";
pub const WHATSAPP: &str = "whatsapp";

/// Row statuses stored in `outbox.status`.
pub const PENDING: &str = "pending";
pub const SENT: &str = "sent";
pub const FAILED: &str = "failed";
/// Not sent because it no longer applies (a reminder of a booking
/// cancelled or moved since it was written).
pub const SKIPPED: &str = "skipped";
