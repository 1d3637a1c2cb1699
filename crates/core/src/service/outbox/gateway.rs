//! Channel gateways behind one trait, so tests and deployments swap them.
//!
//! Every call carries [`OutboundMessage::idempotency_key`] (derived from the
//! outbox id): a gateway that can dedupe (an SMS provider honouring the
//! `Idempotency-Key` header, a test double) turns the worker's
//! at-least-once delivery into exactly-once. The Telegram Bot API has no
//! such key; see docs/NOTIFICATIONS.md for what that leaves.
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::service::telegram::api::BotApi;

use super::{SMS, TELEGRAM};

/// One outbox row on its way out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboundMessage {
    pub id: i64,
    pub channel: String,
    pub recipient: String,
    pub kind: String,
    pub body: String,
    pub booking_id: Option<i64>,
    /// This delivery's attempt number (1 = first).
    pub attempt: i32,
}

impl OutboundMessage {
    /// Stable across retries of the same row: `kezek-outbox-<id>`.
    pub fn idempotency_key(&self) -> String {
        format!("kezek-outbox-{}", self.id)
    }
}

/// Why a delivery failed. `permanent` failures are not retried (a blocked
/// bot, a malformed number); the message never holds the recipient.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct GatewayError {
    pub message: String,
    pub permanent: bool,
    /// The gateway refuses *us* (401/403/404: wrong credentials or URL),
    /// not this message: the channel pauses and the message waits,
    /// instead of failing every message for good.
    pub config: bool,
}

impl GatewayError {
    pub fn temporary(m: impl Into<String>) -> Self {
        Self {
            message: m.into(),
            permanent: false,
            config: false,
        }
    }
    pub fn permanent(m: impl Into<String>) -> Self {
        Self {
            message: m.into(),
            permanent: true,
            config: false,
        }
    }
    /// See [`GatewayError::config`].
    pub fn config(m: impl Into<String>) -> Self {
        Self {
            message: m.into(),
            permanent: false,
            config: true,
        }
    }
}

/// What a provider answers when it accepts a message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Accepted {
    /// The provider's id for the message, when it gives one (WhatsApp's
    /// `wamid…`, which its delivery receipts name).
    pub provider_id: Option<String>,
}

pub type GatewayFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Accepted, GatewayError>> + Send + 'a>>;

/// A delivery channel.
pub trait Gateway: Send + Sync + 'static {
    /// The `outbox.channel` it delivers (`sms`, `telegram`, `whatsapp`).
    fn channel(&self) -> &'static str;
    /// Delivers one message; `Ok` means the provider accepted it.
    fn send<'a>(&'a self, msg: &'a OutboundMessage) -> GatewayFuture<'a>;
}

/// Dev mode: accepts everything (the dev outbox API shows the rows).
pub struct DevGateway {
    channel: &'static str,
}

impl DevGateway {
    pub fn new(channel: &'static str) -> Self {
        Self { channel }
    }
}

impl Gateway for DevGateway {
    fn channel(&self) -> &'static str {
        self.channel
    }
    fn send<'a>(&'a self, msg: &'a OutboundMessage) -> GatewayFuture<'a> {
        Box::pin(async move {
            tracing::debug!(id = msg.id, channel = self.channel, kind = %msg.kind, "dev gateway: delivered");
            Ok(Accepted::default())
        })
    }
}

/// An SMS provider over HTTP: `POST {url}` with JSON
/// `{"id": "<idempotency key>", "to": "+7…", "text": "…"}` and the header
/// `Idempotency-Key`. 2xx = accepted; 408, 429 and 5xx are retried; other
/// 4xx are permanent.
pub struct HttpSmsGateway {
    url: String,
    client: reqwest::Client,
}

impl HttpSmsGateway {
    pub fn new(url: String) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .build()?;
        Ok(Self { url, client })
    }
}

impl Gateway for HttpSmsGateway {
    fn channel(&self) -> &'static str {
        SMS
    }
    fn send<'a>(&'a self, msg: &'a OutboundMessage) -> GatewayFuture<'a> {
        Box::pin(async move {
            let key = msg.idempotency_key();
            let r = self
                .client
                .post(&self.url)
                .header("Idempotency-Key", &key)
                .json(&serde_json::json!({"id": key, "to": msg.recipient, "text": msg.body}))
                .send()
                .await
                .map_err(|e| {
                    GatewayError::temporary(format!("sms gateway: {}", e.without_url()))
                })?;
            let status = r.status();
            if status.is_success() {
                Ok(Accepted::default())
            } else if matches!(status.as_u16(), 401 | 403 | 404) {
                Err(GatewayError::config(format!(
                    "sms gateway: HTTP {status} (credentials or URL)"
                )))
            } else if status.as_u16() == 408 || status.as_u16() == 429 || status.is_server_error() {
                Err(GatewayError::temporary(format!(
                    "sms gateway: HTTP {status}"
                )))
            } else {
                Err(GatewayError::permanent(format!(
                    "sms gateway: HTTP {status}"
                )))
            }
        })
    }
}

/// Telegram: `sendMessage` to the linked chat.
pub struct TelegramGateway {
    api: BotApi,
}

impl TelegramGateway {
    pub fn new(api: BotApi) -> Self {
        Self { api }
    }
}

impl Gateway for TelegramGateway {
    fn channel(&self) -> &'static str {
        TELEGRAM
    }
    fn send<'a>(&'a self, msg: &'a OutboundMessage) -> GatewayFuture<'a> {
        Box::pin(async move {
            let chat: i64 = msg
                .recipient
                .parse()
                .map_err(|_| GatewayError::permanent("telegram: bad chat id"))?;
            match self.api.send_message(chat, &msg.body, None).await {
                Ok(_) => Ok(Accepted::default()),
                Err(e) if e.is_permanent() => {
                    Err(GatewayError::permanent(format!("telegram: {e}")))
                }
                Err(e) if e.is_config() => Err(GatewayError::config(format!("telegram: {e}"))),
                Err(e) => Err(GatewayError::temporary(format!("telegram: {e}"))),
            }
        })
    }
}
