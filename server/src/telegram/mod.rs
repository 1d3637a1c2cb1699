//! The Telegram bot, a way in: a citizen channel over the same use cases as
//! the web app (catalog, availability, book, reschedule, cancel, sign-in
//! codes).
//!
//! - [`dialogue`] — `/start` → language → link the chat to a citizen by
//!   IIN + phone + SMS code (`request_otp` + `verify_otp`, then
//!   `telegram::chats::link` in kezek-core) → menu: book (center kind →
//!   service → city → center → day → time → [plate] → confirm), my
//!   bookings, reschedule, cancel. Every refusal is the rule's message
//!   (`i18n::refusal_message`) in the chat's language.
//! - The bot's texts are in `kezek_i18n::bot`.
//! - Two entry points: [`run_polling`] (long polling, `getUpdates`;
//!   Telegram allows one poller per token) and the webhook route
//!   (`http::web`, `POST /telegram/webhook/<secret>`), both calling
//!   [`dialogue::handle_update`].
pub mod dialogue;

use std::time::Duration;

use app::server::service::telegram::api::BotApi;

use crate::AppState;

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
                    if let Err(e) = dialogue::handle_update(&state, &api, &u).await {
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
