//! A small typed client for the Telegram Bot API methods Kezek uses:
//! `getUpdates`, `sendMessage` (with inline keyboards), `editMessageText`,
//! `answerCallbackQuery`. The base URL is configurable so tests point it at
//! a fake server. The token is part of every URL, so errors are stripped of
//! their URL before they are shown or logged.
use std::time::Duration;

use serde::{Deserialize, Serialize, de::DeserializeOwned};

#[derive(Clone)]
pub struct BotApi {
    client: reqwest::Client,
    /// `{api_url}/bot{token}`
    base: String,
}

impl std::fmt::Debug for BotApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BotApi { .. }")
    }
}

/// A failed call.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{description}")]
pub struct TgError {
    /// Telegram's `error_code` (HTTP-like), when it answered.
    pub code: Option<i64>,
    pub description: String,
}

impl TgError {
    /// The chat is gone or blocked the bot: retrying will not help.
    pub fn is_permanent(&self) -> bool {
        matches!(self.code, Some(400 | 403))
    }

    /// The bot's token is wrong or revoked (401, 404 on the method URL).
    pub fn is_config(&self) -> bool {
        matches!(self.code, Some(401 | 404))
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Update {
    pub update_id: i64,
    #[serde(default)]
    pub message: Option<Message>,
    #[serde(default)]
    pub callback_query: Option<CallbackQuery>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Message {
    pub message_id: i64,
    pub chat: Chat,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub from: Option<User>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Chat {
    pub id: i64,
    /// `private`, `group`, `supergroup` or `channel`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct User {
    pub id: i64,
    #[serde(default)]
    pub language_code: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct CallbackQuery {
    pub id: String,
    pub from: User,
    #[serde(default)]
    pub message: Option<Message>,
    #[serde(default)]
    pub data: Option<String>,
}

/// One button that sends `callback_data` (at most 64 bytes) back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    pub text: String,
    pub callback_data: String,
}

impl Button {
    pub fn new(text: impl Into<String>, data: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            callback_data: data.into(),
        }
    }
}

/// Rows of inline buttons.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keyboard {
    pub inline_keyboard: Vec<Vec<Button>>,
}

#[derive(Deserialize)]
struct Envelope<T> {
    ok: bool,
    #[serde(default = "none")]
    result: Option<T>,
    #[serde(default)]
    error_code: Option<i64>,
    #[serde(default)]
    description: Option<String>,
}

fn none<T>() -> Option<T> {
    None
}

impl BotApi {
    pub fn new(api_url: &str, token: &str) -> Result<Self, TgError> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(90))
            .build()
            .map_err(|e| TgError {
                code: None,
                description: format!("http client: {}", e.without_url()),
            })?;
        Ok(Self {
            client,
            base: format!("{}/bot{}", api_url.trim_end_matches('/'), token),
        })
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: &str,
        body: &serde_json::Value,
    ) -> Result<T, TgError> {
        let r = self
            .client
            .post(format!("{}/{method}", self.base))
            .json(body)
            .send()
            .await
            .map_err(|e| TgError {
                code: None,
                description: format!("{method}: {}", e.without_url()),
            })?;
        let status = r.status().as_u16();
        let env: Envelope<T> = r.json().await.map_err(|e| TgError {
            code: Some(i64::from(status)),
            description: format!("{method}: bad answer: {}", e.without_url()),
        })?;
        match (env.ok, env.result) {
            (true, Some(v)) => Ok(v),
            _ => Err(TgError {
                code: env.error_code.or(Some(i64::from(status))),
                description: format!(
                    "{method}: {}",
                    env.description.unwrap_or_else(|| "failed".into())
                ),
            }),
        }
    }

    /// Registers the webhook (webhook mode); Telegram then posts updates
    /// with the `X-Telegram-Bot-Api-Secret-Token` header set to `secret`.
    pub async fn set_webhook(&self, url: &str, secret: &str) -> Result<bool, TgError> {
        self.call(
            "setWebhook",
            &serde_json::json!({
                "url": url,
                "secret_token": secret,
                "allowed_updates": ["message", "callback_query"],
            }),
        )
        .await
    }

    pub async fn get_updates(
        &self,
        offset: i64,
        timeout_secs: u32,
    ) -> Result<Vec<Update>, TgError> {
        self.call(
            "getUpdates",
            &serde_json::json!({
                "offset": offset,
                "timeout": timeout_secs,
                "allowed_updates": ["message", "callback_query"],
            }),
        )
        .await
    }

    pub async fn send_message(
        &self,
        chat_id: i64,
        text: &str,
        keyboard: Option<&Keyboard>,
    ) -> Result<Message, TgError> {
        let mut body = serde_json::json!({"chat_id": chat_id, "text": text});
        if let Some(k) = keyboard {
            body["reply_markup"] = serde_json::to_value(k).unwrap_or_default();
        }
        self.call("sendMessage", &body).await
    }

    pub async fn edit_message_text(
        &self,
        chat_id: i64,
        message_id: i64,
        text: &str,
        keyboard: Option<&Keyboard>,
    ) -> Result<(), TgError> {
        let mut body =
            serde_json::json!({"chat_id": chat_id, "message_id": message_id, "text": text});
        if let Some(k) = keyboard {
            body["reply_markup"] = serde_json::to_value(k).unwrap_or_default();
        }
        // Telegram answers the edited Message, or `true` for inline messages.
        self.call::<serde_json::Value>("editMessageText", &body)
            .await
            .map(|_| ())
    }

    pub async fn answer_callback_query(&self, id: &str, text: Option<&str>) -> Result<(), TgError> {
        let mut body = serde_json::json!({"callback_query_id": id});
        if let Some(t) = text {
            body["text"] = serde_json::Value::from(t);
        }
        self.call::<serde_json::Value>("answerCallbackQuery", &body)
            .await
            .map(|_| ())
    }
}
