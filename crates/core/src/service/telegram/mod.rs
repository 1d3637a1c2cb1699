//! The Telegram channel's core side; the dialogue (a way in) lives in the
//! server crate, `server::telegram`.
//!
//! - [`api`] — a small typed Bot API client (reqwest), base URL
//!   configurable so tests run it against a fake server; also used by the
//!   outbox's Telegram gateway.
//! - [`chats`] — the dialogue state per chat (`telegram_chats`, JSON, with
//!   the last update id handled, so a restart neither loses a dialogue nor
//!   handles an update twice) and the one write use case, linking a chat to
//!   a citizen.
//! - [`TelegramSettings`] — token, API URL, polling or webhook.
pub mod api;
pub mod chats;

use api::BotApi;

/// Bot settings (`Config::telegram`). `Debug` hides the token.
#[derive(Clone)]
pub struct TelegramSettings {
    pub api_url: String,
    pub token: String,
    /// Long-poll timeout passed to `getUpdates`, seconds.
    pub poll_timeout_secs: u32,
    /// Webhook mode: this server's public base URL (`https://host`). Set:
    /// no polling; Telegram posts updates to
    /// `<base>/telegram/webhook/<secret>` (see [`TelegramSettings::webhook_secret`]).
    pub webhook_base: Option<String>,
}

impl std::fmt::Debug for TelegramSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TelegramSettings")
            .field("api_url", &self.api_url)
            .field("token", &"***")
            .field("poll_timeout_secs", &self.poll_timeout_secs)
            .field("webhook_base", &self.webhook_base)
            .finish()
    }
}

impl TelegramSettings {
    pub fn api(&self) -> Result<BotApi, api::TgError> {
        BotApi::new(&self.api_url, &self.token)
    }

    /// The webhook path secret (and `secret_token` header value), derived
    /// from the bot token so it needs no extra configuration and is never
    /// the token itself.
    pub fn webhook_secret(&self) -> String {
        crate::service::util::sha256_hex(&["kezek-telegram-webhook", &self.token])[..40].to_owned()
    }

    /// The full webhook URL, in webhook mode.
    pub fn webhook_url(&self) -> Option<String> {
        self.webhook_base.as_ref().map(|b| {
            format!(
                "{}/telegram/webhook/{}",
                b.trim_end_matches('/'),
                self.webhook_secret()
            )
        })
    }
}
