//! WhatsApp through the WhatsApp Business Cloud API (Meta's Graph API).
//!
//! * **Sending** — a business may start a WhatsApp conversation only with a
//!   template registered (and approved) in advance. Every notice is a
//!   [`kezek_i18n::notices::Template`]; its row in the outbox holds the
//!   template's name, language and parameters ([`body`]), and the
//!   [`WhatsAppGateway`] posts them to `{api}/{phone number id}/messages`.
//!   The texts to register are listed in docs/NOTIFICATIONS.md.
//! * **Receipts** — Meta posts delivery statuses to our webhook, signed
//!   with the app secret (`X-Hub-Signature-256: sha256=<HMAC-SHA256 of the
//!   raw body>`, checked by [`signature_ok`]). [`apply_receipts`] records
//!   `delivered`/`read` (`outbox.delivered_at`) and turns a `failed` status
//!   into a failed row plus an SMS with the same text, so the notice still
//!   reaches the phone.
//! * **Fallback** — a row that fails for good at sending (the number has
//!   no WhatsApp, the last retry) also falls back to SMS
//!   ([`fallback_to_sms`], used by the worker).
use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde::{Deserialize, Serialize};

use crate::config::Secret;
use crate::entity::outbox;
use crate::error::ServiceError;
use crate::state::Core;
use kezek_i18n::notices::Message;

use super::gateway::{Accepted, Gateway, GatewayError, GatewayFuture, OutboundMessage};
use super::{FAILED, SENT, SMS, WHATSAPP};

/// How Kezek reaches the Cloud API and checks its webhook.
#[derive(Clone, Debug)]
pub struct WhatsAppSettings {
    /// Graph API base with its version, e.g. `https://graph.facebook.com/v21.0`
    /// (tests point it at a fake server).
    pub api_url: String,
    /// The sending number's id in the WhatsApp Business account.
    pub phone_number_id: String,
    /// A system user's access token.
    pub token: Secret,
    /// The Meta app's secret: webhook signatures are checked with it.
    /// `None`: the webhook refuses every receipt.
    pub app_secret: Option<Secret>,
    /// The token Meta echoes when the webhook is registered
    /// (`hub.verify_token`).
    pub verify_token: Option<Secret>,
}

/// What an outbox row of the WhatsApp channel holds in `body`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stored {
    /// Registered template name (`kezek_booked`).
    pub template: String,
    /// Template language code (`kk`, `ru`, `en`).
    pub lang: String,
    /// Body parameters, in order (`{{1}}`, `{{2}}`, …).
    pub params: Vec<String>,
    /// The same notice as plain text, for the SMS fallback.
    pub text: String,
}

/// The `body` of a WhatsApp row for `m`.
pub fn body(m: &Message) -> String {
    let stored = Stored {
        template: m.template.whatsapp_name(),
        lang: m.lang.code().to_owned(),
        params: m.params(),
        text: m.text(),
    };
    serde_json::to_string(&stored).unwrap_or_default()
}

/// `+77011234567` → `77011234567` (the Cloud API takes digits only).
fn wa_number(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

/// Posts template messages to the Cloud API.
pub struct WhatsAppGateway {
    url: String,
    token: Secret,
    client: reqwest::Client,
}

impl WhatsAppGateway {
    pub fn new(s: &WhatsAppSettings) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .build()?;
        Ok(Self {
            url: format!(
                "{}/{}/messages",
                s.api_url.trim_end_matches('/'),
                s.phone_number_id
            ),
            token: s.token.clone(),
            client,
        })
    }
}

/// How an error answer of the Graph API is treated: its HTTP status and
/// `error.code` decide.
pub fn classify(status: u16, code: Option<i64>, message: &str) -> GatewayError {
    let text = format!(
        "whatsapp: HTTP {status} code {} {message}",
        code.unwrap_or(0)
    );
    match (status, code) {
        // Token, permissions, a template not registered in this language or
        // its parameters not matching what was registered: our setup is
        // wrong, not the message; the channel pauses.
        (401 | 403 | 404, _) => GatewayError::config(text),
        (_, Some(0 | 3 | 10 | 190 | 200..=299 | 132_000..=132_015)) => GatewayError::config(text),
        // Throttling and Meta's own trouble: retried.
        (_, Some(4 | 80_007 | 130_429 | 131_000 | 131_016 | 131_056 | 133_004)) => {
            GatewayError::temporary(text)
        }
        (408 | 429, _) => GatewayError::temporary(text),
        (s, _) if s >= 500 => GatewayError::temporary(text),
        // The recipient cannot be reached this way (no WhatsApp, a bad
        // number): for good; the SMS fallback takes over.
        _ => GatewayError::permanent(text),
    }
}

impl Gateway for WhatsAppGateway {
    fn channel(&self) -> &'static str {
        WHATSAPP
    }
    fn send<'a>(&'a self, msg: &'a OutboundMessage) -> GatewayFuture<'a> {
        Box::pin(async move {
            let stored: Stored = serde_json::from_str(&msg.body)
                .map_err(|_| GatewayError::permanent("whatsapp: unreadable outbox body"))?;
            let parameters: Vec<serde_json::Value> = stored
                .params
                .iter()
                .map(|p| serde_json::json!({"type": "text", "text": p}))
                .collect();
            let payload = serde_json::json!({
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": wa_number(&msg.recipient),
                "type": "template",
                "biz_opaque_callback_data": msg.idempotency_key(),
                "template": {
                    "name": stored.template,
                    "language": {"policy": "deterministic", "code": stored.lang},
                    "components": [{"type": "body", "parameters": parameters}],
                },
            });
            let r = self
                .client
                .post(&self.url)
                .bearer_auth(&self.token.0)
                .json(&payload)
                .send()
                .await
                .map_err(|e| GatewayError::temporary(format!("whatsapp: {}", e.without_url())))?;
            let status = r.status().as_u16();
            let answer: serde_json::Value = r.json().await.unwrap_or_default();
            if (200..300).contains(&status) {
                let id = answer["messages"][0]["id"].as_str().map(str::to_owned);
                return Ok(Accepted { provider_id: id });
            }
            let err = &answer["error"];
            Err(classify(
                status,
                err["code"].as_i64(),
                err["message"].as_str().unwrap_or(""),
            ))
        })
    }
}

/// Whether `header` (`sha256=<hex>`) is the HMAC-SHA256 of `body` under
/// `secret` (compared in constant time).
pub fn signature_ok(secret: &[u8], body: &[u8], header: Option<&str>) -> bool {
    let Some(hex_sig) = header.and_then(|h| h.strip_prefix("sha256=")) else {
        return false;
    };
    let Ok(sig) = hex::decode(hex_sig.trim()) else {
        return false;
    };
    mac_of(secret, body).is_some_and(|m| m.verify_slice(&sig).is_ok())
}

/// HMAC-SHA256 of `body` under `secret`, not yet finalized.
fn mac_of(secret: &[u8], body: &[u8]) -> Option<Hmac<sha2_v11::Sha256>> {
    let mut mac = <Hmac<sha2_v11::Sha256> as KeyInit>::new_from_slice(secret).ok()?;
    mac.update(body);
    Some(mac)
}

/// The signature Meta would send for `body` (for tests and the dev tools).
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    mac_of(secret, body)
        .map(|m| format!("sha256={}", hex::encode(m.finalize().into_bytes())))
        .unwrap_or_default()
}

/// What a webhook delivery changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Receipts {
    /// Rows newly marked delivered.
    pub delivered: u64,
    /// Rows newly failed (each with an SMS fallback queued).
    pub failed: u64,
    /// Statuses naming no row of ours (or repeated).
    pub ignored: u64,
}

/// Applies the `statuses` of a webhook payload (`entry[].changes[].value
/// .statuses[]`). Repeated deliveries change nothing more.
pub async fn apply_receipts(
    core: &Core,
    payload: &serde_json::Value,
) -> Result<Receipts, ServiceError> {
    let mut out = Receipts::default();
    let statuses = payload["entry"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|e| e["changes"].as_array().into_iter().flatten())
        .flat_map(|c| c["value"]["statuses"].as_array().into_iter().flatten());
    for st in statuses {
        let (Some(id), Some(status)) = (st["id"].as_str(), st["status"].as_str()) else {
            out.ignored += 1;
            continue;
        };
        let at = st["timestamp"]
            .as_str()
            .and_then(|t| t.parse::<i64>().ok())
            .unwrap_or_else(|| core.now().timestamp());
        let id = id.to_owned();
        match status {
            "delivered" | "read" => {
                let n = crate::service::booking::txn::write_txn(core, |txn| {
                    let id = id.clone();
                    Box::pin(async move {
                        Ok(outbox::Entity::update_many()
                            .col_expr(outbox::Column::DeliveredAt, Expr::value(at))
                            .filter(outbox::Column::Channel.eq(WHATSAPP))
                            .filter(outbox::Column::ProviderId.eq(id))
                            .filter(outbox::Column::DeliveredAt.is_null())
                            .exec(txn)
                            .await?
                            .rows_affected)
                    })
                })
                .await?;
                if n > 0 {
                    out.delivered += n;
                } else {
                    out.ignored += 1;
                }
            }
            "failed" => {
                let why = st["errors"][0]
                    .as_object()
                    .map(|e| {
                        format!(
                            "whatsapp: failed after acceptance: code {} {}",
                            e.get("code").and_then(|c| c.as_i64()).unwrap_or(0),
                            e.get("title").and_then(|t| t.as_str()).unwrap_or("")
                        )
                    })
                    .unwrap_or_else(|| "whatsapp: failed after acceptance".to_owned());
                let now = core.now().timestamp();
                let n = crate::service::booking::txn::write_txn(core, |txn| {
                    let (id, why) = (id.clone(), why.clone());
                    Box::pin(async move {
                        let Some(row) = outbox::Entity::find()
                            .filter(outbox::Column::Channel.eq(WHATSAPP))
                            .filter(outbox::Column::ProviderId.eq(id))
                            .filter(outbox::Column::Status.eq(SENT))
                            .one(txn)
                            .await?
                        else {
                            return Ok(0);
                        };
                        let n = outbox::Entity::update_many()
                            .col_expr(outbox::Column::Status, Expr::value(FAILED))
                            .col_expr(outbox::Column::LastError, Expr::value(why))
                            .filter(outbox::Column::Id.eq(row.id))
                            .filter(outbox::Column::Status.eq(SENT))
                            .exec(txn)
                            .await?
                            .rows_affected;
                        if n == 1 {
                            fallback_to_sms(
                                txn,
                                &row.recipient,
                                &row.kind,
                                &row.body,
                                row.booking_id,
                                now,
                            )
                            .await?;
                        }
                        Ok(n)
                    })
                })
                .await?;
                if n > 0 {
                    out.failed += n;
                } else {
                    out.ignored += 1;
                }
            }
            // `sent` (left Meta's servers): nothing to record.
            _ => out.ignored += 1,
        }
    }
    Ok(out)
}

/// Queues the SMS that replaces a WhatsApp message which failed for good:
/// the same text (from its stored `body`) to the same phone.
pub async fn fallback_to_sms(
    db: &impl ConnectionTrait,
    recipient: &str,
    kind: &str,
    body: &str,
    booking_id: Option<i64>,
    now: i64,
) -> Result<(), ServiceError> {
    let text = serde_json::from_str::<Stored>(body)
        .map(|s| s.text)
        .unwrap_or_default();
    if text.is_empty() {
        return Ok(());
    }
    super::enqueue::insert_row(db, SMS, recipient, kind, &text, booking_id, now).await
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn signatures_check_the_whole_body_with_the_secret() {
        let body = br#"{"object":"whatsapp_business_account"}"#;
        let sig = sign(b"app-secret", body);
        assert!(signature_ok(b"app-secret", body, Some(&sig)));
        assert!(!signature_ok(b"other", body, Some(&sig)));
        assert!(!signature_ok(b"app-secret", b"{}", Some(&sig)));
        assert!(!signature_ok(b"app-secret", body, None));
        assert!(!signature_ok(
            b"app-secret",
            body,
            Some(sig.trim_start_matches("sha256="))
        ));
        assert!(!signature_ok(b"app-secret", body, Some("sha256=zz")));
        // Known vector (RFC 4231 test case 2).
        assert_eq!(
            sign(b"Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn errors_split_into_setup_retry_and_recipient() {
        assert!(classify(401, Some(190), "").config);
        assert!(classify(400, Some(132_001), "template").config);
        let t = classify(400, Some(131_056), "pair rate");
        assert!(!t.permanent && !t.config);
        let t = classify(503, None, "");
        assert!(!t.permanent && !t.config);
        assert!(classify(400, Some(131_026), "undeliverable").permanent);
    }

    #[test]
    fn numbers_are_digits_and_bodies_round_trip() {
        assert_eq!(wa_number("+77011234567"), "77011234567");
        let m = kezek_i18n::notices::called("A012", 3, kezek_i18n::Lang::Kk);
        let s: Stored = serde_json::from_str(&body(&m)).unwrap();
        assert_eq!(s.template, "kezek_called");
        assert_eq!(s.lang, "kk");
        assert_eq!(s.params, ["A012", "3"]);
        assert_eq!(s.text, m.text());
    }
}
