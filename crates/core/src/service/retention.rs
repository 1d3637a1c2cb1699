//! The retention job: personal data is kept only as long as it serves
//! (review L2). Each pass is a few bounded statements, safe to run in
//! several processes at once (deleting or blanking twice is harmless).
//!
//! | What | Kept until |
//! |---|---|
//! | sessions | they expire (12 h after sign-in) |
//! | one-time code challenges | 1 day after they expire |
//! | the code in a sign-in SMS (`outbox.body`) | the code expires, or it is delivered (outside dev mode) — then the body is replaced by [`REDACTED`] |
//! | delivered or failed outbox rows (phones, booking codes) | 90 days |
//! | idempotency keys | 7 days |
//! | the bot's dialogue state (may hold a half-typed IIN) | 1 day without a message |
//! | send counters | 1 day after their window |
//!
//! docs/LOGGING.md repeats the table.
use std::time::Duration;

use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, sea_query::Expr};

use crate::entity::{
    idempotency_keys, otp_challenges, outbox, send_counters, sessions, telegram_chats,
};
use crate::error::ServiceError;
use crate::state::Core;

/// What a sign-in SMS body becomes once its code is no longer needed.
pub const REDACTED: &str = "[sign-in code removed]";

const DAY: i64 = 24 * 3600;

/// Rows touched by one pass, per kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub sessions: u64,
    pub challenges: u64,
    pub codes_redacted: u64,
    pub outbox: u64,
    pub idempotency_keys: u64,
    pub dialogues: u64,
    pub counters: u64,
}

/// One pass at the app clock's now.
pub async fn run_once(core: &Core) -> Result<Purged, ServiceError> {
    let now = core.now().timestamp();
    let db = &core.db;
    let sessions = sessions::Entity::delete_many()
        .filter(sessions::Column::ExpiresAt.lte(now))
        .exec(db)
        .await?
        .rows_affected;
    let challenges = otp_challenges::Entity::delete_many()
        .filter(otp_challenges::Column::ExpiresAt.lte(now - DAY))
        .exec(db)
        .await?
        .rows_affected;
    let mut no_longer_needed =
        Condition::any().add(outbox::Column::CreatedAt.lte(now - core.config.otp_ttl_secs));
    if !core.config.dev_mode {
        no_longer_needed = no_longer_needed.add(outbox::Column::Status.eq("sent"));
    }
    let codes_redacted = outbox::Entity::update_many()
        .col_expr(outbox::Column::Body, Expr::value(REDACTED))
        .filter(outbox::Column::Kind.eq("otp"))
        .filter(outbox::Column::Body.ne(REDACTED))
        .filter(no_longer_needed)
        .exec(db)
        .await?
        .rows_affected;
    let outbox = outbox::Entity::delete_many()
        .filter(outbox::Column::Status.is_in(["sent", "failed"]))
        .filter(outbox::Column::CreatedAt.lte(now - 90 * DAY))
        .exec(db)
        .await?
        .rows_affected;
    let idempotency_keys = idempotency_keys::Entity::delete_many()
        .filter(idempotency_keys::Column::CreatedAt.lte(now - 7 * DAY))
        .exec(db)
        .await?
        .rows_affected;
    let dialogues = telegram_chats::Entity::update_many()
        .col_expr(telegram_chats::Column::State, Expr::value("{}"))
        .filter(telegram_chats::Column::State.ne("{}"))
        .filter(telegram_chats::Column::UpdatedAt.lte(now - DAY))
        .exec(db)
        .await?
        .rows_affected;
    let counters = send_counters::Entity::delete_many()
        .filter(send_counters::Column::WindowStart.lte(now - DAY))
        .exec(db)
        .await?
        .rows_affected;
    let p = Purged {
        sessions,
        challenges,
        codes_redacted,
        outbox,
        idempotency_keys,
        dialogues,
        counters,
    };
    if p != Purged::default() {
        tracing::info!(?p, "retention pass");
    }
    Ok(p)
}

/// Runs [`run_once`] every `every` until the task is dropped.
pub async fn run(core: Core, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match run_once(&core).await {
            Ok(_) => core.jobs.ok("retention", core.now().timestamp()),
            Err(e) => tracing::warn!(error = %e, "retention pass failed"),
        }
    }
}
