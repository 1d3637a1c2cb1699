//! The Telegram bot: a citizen channel over the same use cases as the web
//! app (catalog, availability, book, reschedule, cancel, sign-in codes).
//!
//! - [`api`] — a small typed Bot API client (reqwest), base URL
//!   configurable so tests run it against a fake server.
//! - [`bot`] — the dialogue: `/start` → language → link the chat to a
//!   citizen by IIN + phone + SMS code (`request_otp` + `verify_otp`; the
//!   chat id is stored on the citizen) → menu: book (center kind → service
//!   → city → center → day → time → [plate] → confirm), my bookings,
//!   reschedule, cancel. Every refusal is the rule's message
//!   (`i18n::refusal_message`) in the chat's language.
//! - Dialogue state lives in the database (`telegram_chats`, JSON per chat)
//!   with the last update id handled, so a restart neither loses a dialogue
//!   nor handles an update twice.
//! - [`run_polling`] — long polling (`getUpdates`). Telegram allows one
//!   poller per token: run the bot in one server process. Webhook mode is
//!   not built yet (docs/NOTIFICATIONS.md).
pub mod api;
pub mod bot;
pub mod texts;

use std::time::Duration;

use crate::server::state::AppState;

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
        crate::server::service::util::sha256_hex(&["kezek-telegram-webhook", &self.token])[..40]
            .to_owned()
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

/// Long polling until the task is dropped. Each update is handled to the
/// end before the next `getUpdates` confirms it (offset = last id + 1).
pub async fn run_polling(state: AppState, api: BotApi, poll_timeout_secs: u32) {
    tracing::info!("telegram bot: long polling started");
    let mut offset = 0i64;
    let mut failures = 0u32;
    loop {
        match api.get_updates(offset, poll_timeout_secs).await {
            Ok(updates) => {
                failures = 0;
                for u in updates {
                    offset = offset.max(u.update_id + 1);
                    if let Err(e) = bot::handle_update(&state, &api, &u).await {
                        tracing::error!(update = u.update_id, error = %e, "telegram bot: update failed");
                    }
                }
            }
            Err(e) => {
                failures = failures.saturating_add(1);
                tracing::warn!(error = %e, "telegram bot: getUpdates failed");
                let secs = 1u64 << failures.min(5);
                tokio::time::sleep(Duration::from_secs(secs)).await;
            }
        }
    }
}
