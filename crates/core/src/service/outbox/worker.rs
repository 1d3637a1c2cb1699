//! The outbox worker: claim due rows with a lease, deliver, finish.
//!
//! * **Claim** — one statement per batch:
//!   `UPDATE outbox SET claimed_until = now + lease, claim_token = T,
//!   attempts = attempts + 1 WHERE id IN (due rows … LIMIT n [FOR UPDATE
//!   SKIP LOCKED]) AND <still due and unclaimed> RETURNING …`. On
//!   PostgreSQL `SKIP LOCKED` lets concurrent workers take disjoint rows,
//!   and the repeated condition outside the subquery makes a row that
//!   another worker claimed meanwhile drop out (READ COMMITTED re-checks it
//!   on the newest version). On SQLite the statement runs under the
//!   database write lock, so it is atomic as a whole.
//! * **Deliver** — the gateway of the row's channel is called with the
//!   outbox id as idempotency key, outside any transaction.
//! * **Finish** — one conditional update `… WHERE id = ? AND claim_token =
//!   T`: `sent` (with `sent_at`), or back to `pending` with `last_error` and
//!   `next_attempt_at = now + base·2^(attempts−1)` (capped), or `failed`
//!   after `max_attempts` or a permanent error. A worker that lost its claim
//!   (its lease ran out and another worker took the row) changes nothing.
//! * **Priority** — sign-in codes are claimed before anything else, so a
//!   backlog of notices never makes a code arrive after it expired.
//! * **Lease renewal** — before each delivery the worker extends the lease
//!   of the rows of its batch still to go once half of it is spent, so a
//!   slow gateway never lets another worker take (and send again) a row
//!   this one still holds.
//! * **Stale reminders** — a reminder whose booking was cancelled or moved
//!   since it was written is marked `skipped`, not sent.
//! * **Crash** — a worker killed after the claim leaves the row claimed;
//!   once the lease runs out the row is due again and the next worker
//!   delivers it (its attempt counted). So a crash costs at most one extra
//!   gateway call per row it held, which the idempotency key dedupes.
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter,
    Statement, Value, sea_query::Expr,
};

use crate::clock::Clock;
use crate::entity::outbox;
use crate::error::ServiceError;
use crate::service::util::random_hex;
use crate::state::Core;

use super::gateway::{Accepted, Gateway, GatewayError, OutboundMessage};
use super::{FAILED, PENDING, SENT, SKIPPED, WHATSAPP};

/// Tuning of the worker (`Config::outbox`).
#[derive(Clone, Debug)]
pub struct OutboxSettings {
    /// Deliveries tried before a row is `failed`.
    pub max_attempts: i32,
    /// First retry delay, seconds; doubled per attempt.
    pub backoff_base_secs: i64,
    /// Longest retry delay, seconds.
    pub backoff_max_secs: i64,
    /// How long a claim holds, seconds. Longer than any gateway call (the
    /// HTTP clients time out after 15 s).
    pub lease_secs: i64,
    /// Rows claimed at once.
    pub batch: u32,
    /// Pause when nothing is due.
    pub idle_poll: Duration,
}

impl Default for OutboxSettings {
    fn default() -> Self {
        Self {
            max_attempts: 8,
            backoff_base_secs: 30,
            backoff_max_secs: 3600,
            lease_secs: 120,
            batch: 20,
            idle_poll: Duration::from_secs(1),
        }
    }
}

impl OutboxSettings {
    /// Delay before the next try after `attempts` failed tries.
    pub fn backoff_secs(&self, attempts: i32) -> i64 {
        let exp = u32::try_from(attempts.saturating_sub(1))
            .unwrap_or(0)
            .min(30);
        self.backoff_base_secs
            .saturating_mul(1i64 << exp)
            .min(self.backoff_max_secs)
    }
}

/// A row this worker holds.
#[derive(Clone, Debug)]
pub struct Claimed {
    pub message: OutboundMessage,
    pub token: String,
    /// The lease end written with the claim (Unix seconds): the worker
    /// renews before it, counted from the claim, not from when it looks.
    pub lease_until: i64,
}

/// How a finished row ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    Retry,
    Failed,
    /// The claim had been lost; nothing was written.
    LostClaim,
}

#[derive(Clone)]
pub struct Worker {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
    gate: Arc<tokio::sync::Mutex<()>>,
    gateways: HashMap<&'static str, Arc<dyn Gateway>>,
    settings: OutboxSettings,
    jobs: Arc<crate::service::health::Jobs>,
    /// Channels paused after a configuration error, until (Unix seconds).
    paused: Arc<std::sync::Mutex<HashMap<&'static str, i64>>>,
}

/// How long a channel pauses after its gateway refused our credentials.
pub const CONFIG_PAUSE_SECS: i64 = 300;

impl Worker {
    pub fn new(state: &Core, gateways: Vec<Arc<dyn Gateway>>, settings: OutboxSettings) -> Self {
        Self {
            db: state.db.clone(),
            clock: state.clock.clone(),
            gate: state.write_gate.clone(),
            jobs: state.jobs.clone(),
            gateways: gateways.into_iter().map(|g| (g.channel(), g)).collect(),
            settings,
            paused: Arc::new(std::sync::Mutex::new(HashMap::new())),
        }
    }

    fn paused_until(&self, channel: &str) -> Option<i64> {
        let now = self.clock.now().timestamp();
        let g = match self.paused.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        g.get(channel).copied().filter(|until| *until > now)
    }

    fn pause(&self, channel: &'static str, until: i64) {
        let mut g = match self.paused.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        g.insert(channel, until);
    }

    /// Gives a held row back without counting the attempt, due at `until`.
    async fn defer(&self, c: &Claimed, until: i64, why: &str) -> Result<(), ServiceError> {
        use sea_orm::sea_query::ExprTrait as _;
        let q = released()
            .col_expr(
                outbox::Column::Attempts,
                Expr::col(outbox::Column::Attempts).sub(1),
            )
            .col_expr(outbox::Column::NextAttemptAt, Expr::value(until))
            .col_expr(outbox::Column::LastError, Expr::value(why.to_owned()));
        self.exec_held(q, c).await?;
        Ok(())
    }

    /// Runs `q` on row `c` if this worker still holds it (under the SQLite
    /// write gate); the number of rows changed (0 or 1).
    async fn exec_held(
        &self,
        q: sea_orm::UpdateMany<outbox::Entity>,
        c: &Claimed,
    ) -> Result<u64, ServiceError> {
        let _g = self.write_gate().await;
        Ok(held(q, c).exec(&self.db).await?.rows_affected)
    }

    /// The SQLite write gate (none needed on PostgreSQL).
    async fn write_gate(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        if self.sqlite() {
            Some(self.gate.lock().await)
        } else {
            None
        }
    }

    /// Runs the final update `q` of a WhatsApp row that failed for good
    /// and, in the same transaction, queues its SMS fallback.
    async fn fail_with_fallback(
        &self,
        q: sea_orm::UpdateMany<outbox::Entity>,
        c: &Claimed,
        now: i64,
    ) -> Result<u64, ServiceError> {
        use sea_orm::TransactionTrait as _;
        let _g = self.write_gate().await;
        let txn = self.db.begin().await?;
        let n = held(q, c).exec(&txn).await?.rows_affected;
        if n == 1 {
            let m = &c.message;
            super::whatsapp::fallback_to_sms(
                &txn,
                &m.recipient,
                &m.kind,
                &m.body,
                m.booking_id,
                now,
            )
            .await?;
        }
        txn.commit().await?;
        Ok(n)
    }

    pub fn settings(&self) -> &OutboxSettings {
        &self.settings
    }

    fn sqlite(&self) -> bool {
        self.db.get_database_backend() == DbBackend::Sqlite
    }

    /// Claims up to `batch` due rows of the channels this worker has a
    /// gateway for.
    pub async fn claim(&self) -> Result<Vec<Claimed>, ServiceError> {
        if self.gateways.is_empty() {
            return Ok(Vec::new());
        }
        let now = self.clock.now().timestamp();
        let token = random_hex(16);
        let backend = self.db.get_database_backend();
        let p = |i: usize| match backend {
            DbBackend::Postgres => format!("${i}"),
            _ => format!("?{i}"),
        };
        let mut channels: Vec<&'static str> = self
            .gateways
            .keys()
            .copied()
            .filter(|c| self.paused_until(c).is_none())
            .collect();
        if channels.is_empty() {
            return Ok(Vec::new());
        }
        channels.sort_unstable();
        // ?1 lease end, ?2 token, ?3 now, ?4 limit, ?5.. channels
        let chan_list: Vec<String> = (0..channels.len()).map(|i| p(5 + i)).collect();
        let lock = if backend == DbBackend::Postgres {
            " FOR UPDATE SKIP LOCKED"
        } else {
            ""
        };
        let due = format!(
            "status = '{PENDING}' AND next_attempt_at <= {now} \
             AND (claimed_until IS NULL OR claimed_until <= {now})",
            now = p(3)
        );
        let sql = format!(
            "UPDATE outbox SET claimed_until = {lease}, claim_token = {tok}, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM outbox WHERE {due} AND channel IN ({chans}) \
             ORDER BY CASE WHEN kind = 'otp' THEN 0 ELSE 1 END, id LIMIT {limit}{lock}) AND {due} \
             RETURNING id, channel, recipient, kind, body, booking_id, attempts",
            lease = p(1),
            tok = p(2),
            limit = p(4),
            chans = chan_list.join(", "),
        );
        let mut values: Vec<Value> = vec![
            Value::BigInt(Some(now + self.settings.lease_secs)),
            Value::String(Some(token.clone())),
            Value::BigInt(Some(now)),
            Value::BigInt(Some(i64::from(self.settings.batch))),
        ];
        values.extend(
            channels
                .iter()
                .map(|c| Value::String(Some((*c).to_owned()))),
        );
        let stmt = Statement::from_sql_and_values(backend, sql, values);
        let rows = {
            let _g = self.write_gate().await;
            self.db.query_all_raw(stmt).await?
        };
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(Claimed {
                message: OutboundMessage {
                    id: r.try_get("", "id")?,
                    channel: r.try_get("", "channel")?,
                    recipient: r.try_get("", "recipient")?,
                    kind: r.try_get("", "kind")?,
                    body: r.try_get("", "body")?,
                    booking_id: r.try_get("", "booking_id")?,
                    attempt: r.try_get("", "attempts")?,
                },
                token: token.clone(),
                lease_until: now + self.settings.lease_secs,
            });
        }
        out.sort_by_key(|c| (c.message.kind != "otp", c.message.id));
        Ok(out)
    }

    /// Extends the lease of `ids` (still held with `token`) to now + lease;
    /// returns the new lease end and the ids still held (a row whose lease
    /// ran out and another worker took is not this worker's to send).
    pub async fn renew(
        &self,
        ids: &[i64],
        token: &str,
    ) -> Result<(i64, std::collections::HashSet<i64>), ServiceError> {
        let end = self.clock.now().timestamp() + self.settings.lease_secs;
        if ids.is_empty() {
            return Ok((end, Default::default()));
        }
        let _g = self.write_gate().await;
        outbox::Entity::update_many()
            .col_expr(outbox::Column::ClaimedUntil, Expr::value(end))
            .filter(outbox::Column::Id.is_in(ids.to_vec()))
            .filter(outbox::Column::ClaimToken.eq(token))
            .filter(outbox::Column::Status.eq(PENDING))
            .exec(&self.db)
            .await?;
        let held = outbox::Entity::find()
            .filter(outbox::Column::Id.is_in(ids.to_vec()))
            .filter(outbox::Column::ClaimToken.eq(token))
            .filter(outbox::Column::Status.eq(PENDING))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| r.id)
            .collect();
        Ok((end, held))
    }

    /// Whether a reminder row still applies: its booking is `Booked` and
    /// the reminder recorded for it is for the booking's current start.
    async fn reminder_applies(&self, m: &OutboundMessage) -> Result<bool, ServiceError> {
        let Some(booking_id) = m.booking_id else {
            return Ok(true);
        };
        let backend = self.db.get_database_backend();
        let (p1, p2) = if backend == DbBackend::Postgres {
            ("$1", "$2")
        } else {
            ("?", "?")
        };
        let sql = format!(
            "SELECT 1 AS ok FROM bookings b JOIN booking_reminders r \
             ON r.booking_id = b.id AND r.start_at = b.start_at \
             WHERE b.id = {p1} AND r.kind = {p2} AND b.status = 'Booked'"
        );
        Ok(self
            .db
            .query_one_raw(Statement::from_sql_and_values(
                backend,
                sql,
                [
                    Value::BigInt(Some(booking_id)),
                    Value::String(Some(m.kind.clone())),
                ],
            ))
            .await?
            .is_some())
    }

    /// Marks a held row `skipped` (it no longer applies).
    async fn skip(&self, c: &Claimed) -> Result<(), ServiceError> {
        let q = released()
            .col_expr(outbox::Column::Status, Expr::value(SKIPPED))
            .col_expr(
                outbox::Column::LastError,
                Expr::value("booking cancelled or moved since"),
            );
        self.exec_held(q, c).await?;
        Ok(())
    }

    /// Calls the row's gateway.
    pub async fn send(&self, c: &Claimed) -> Result<Accepted, GatewayError> {
        match self.gateways.get(c.message.channel.as_str()) {
            Some(g) => g.send(&c.message).await,
            None => Err(GatewayError::temporary("no gateway for this channel")),
        }
    }

    /// Records the result of a delivery, if this worker still holds the row.
    pub async fn finish(
        &self,
        c: &Claimed,
        result: Result<Accepted, GatewayError>,
    ) -> Result<Outcome, ServiceError> {
        let now = self.clock.now().timestamp();
        let mut q = released();
        let outcome = match &result {
            Ok(accepted) => {
                q = q
                    .col_expr(outbox::Column::Status, Expr::value(SENT))
                    .col_expr(outbox::Column::SentAt, Expr::value(now))
                    .col_expr(
                        outbox::Column::ProviderId,
                        Expr::value(accepted.provider_id.clone()),
                    )
                    .col_expr(
                        outbox::Column::LastError,
                        Expr::value(Option::<String>::None),
                    );
                Outcome::Sent
            }
            Err(e) => {
                let give_up = e.permanent || c.message.attempt >= self.settings.max_attempts;
                let mut text = e.message.clone();
                text.truncate(500);
                q = q.col_expr(outbox::Column::LastError, Expr::value(text));
                if give_up {
                    q = q.col_expr(outbox::Column::Status, Expr::value(FAILED));
                    Outcome::Failed
                } else {
                    q = q.col_expr(
                        outbox::Column::NextAttemptAt,
                        Expr::value(now + self.settings.backoff_secs(c.message.attempt)),
                    );
                    Outcome::Retry
                }
            }
        };
        let fallback = outcome == Outcome::Failed && c.message.channel == WHATSAPP;
        let changed = if fallback {
            self.fail_with_fallback(q, c, now).await?
        } else {
            self.exec_held(q, c).await?
        };
        if changed != 1 {
            tracing::warn!(
                id = c.message.id,
                "outbox row finished by another worker; result dropped"
            );
            return Ok(Outcome::LostClaim);
        }
        match (&result, outcome) {
            (Err(e), Outcome::Failed) => {
                tracing::warn!(id = c.message.id, channel = %c.message.channel, attempt = c.message.attempt, error = %e, "notification failed for good")
            }
            (Err(e), _) => {
                tracing::info!(id = c.message.id, channel = %c.message.channel, attempt = c.message.attempt, error = %e, "notification will be retried")
            }
            _ => {}
        }
        Ok(outcome)
    }

    /// Claims one batch and delivers it. Returns how many rows it handled.
    pub async fn run_once(&self) -> Result<usize, ServiceError> {
        let claimed = self.claim().await?;
        let half = self.settings.lease_secs / 2;
        // The lease the claim wrote: the clock may have moved since.
        let mut lease_end = claimed.first().map_or(0, |c| c.lease_until);
        let mut held: Option<std::collections::HashSet<i64>> = None;
        for (i, c) in claimed.iter().enumerate() {
            if self.clock.now().timestamp() + half >= lease_end {
                let rest: Vec<i64> = claimed[i..].iter().map(|c| c.message.id).collect();
                let (end, still) = self.renew(&rest, &c.token).await?;
                lease_end = end;
                held = Some(still);
            }
            if held.as_ref().is_some_and(|h| !h.contains(&c.message.id)) {
                tracing::warn!(
                    id = c.message.id,
                    "outbox lease lost before delivery; not sent"
                );
                continue;
            }
            let channel = self
                .gateways
                .get_key_value(c.message.channel.as_str())
                .map(|(k, _)| *k);
            if let Some(until) = channel.and_then(|ch| self.paused_until(ch)) {
                self.defer(c, until, "channel paused").await?;
                continue;
            }
            if c.message.kind.starts_with("reminder") && !self.reminder_applies(&c.message).await? {
                self.skip(c).await?;
                continue;
            }
            let r = self.send(c).await;
            if let (Err(e), Some(ch)) = (&r, channel)
                && e.config
            {
                // Our credentials or URL are wrong: no message is at fault.
                let until = self.clock.now().timestamp() + CONFIG_PAUSE_SECS;
                tracing::error!(channel = ch, error = %e, pause_secs = CONFIG_PAUSE_SECS, "gateway refuses our configuration; channel paused, messages kept");
                self.pause(ch, until);
                let mut text = e.message.clone();
                text.truncate(500);
                self.defer(c, until, &text).await?;
                continue;
            }
            self.finish(c, r).await?;
        }
        Ok(claimed.len())
    }

    /// Runs until the task is dropped: a batch, or a pause when idle or on
    /// a database error.
    pub async fn run(self) {
        tracing::info!(channels = ?self.gateways.keys().collect::<Vec<_>>(), "outbox worker started");
        loop {
            let result = self.run_once().await;
            if result.is_ok() {
                self.jobs.ok("outbox", self.clock.now().timestamp());
            }
            match result {
                Ok(0) => tokio::time::sleep(self.settings.idle_poll).await,
                Ok(_) => {}
                Err(e) => {
                    tracing::error!(error = %e, "outbox worker: database error");
                    tokio::time::sleep(self.settings.idle_poll * 5).await;
                }
            }
        }
    }
}

/// `q` limited to row `c` while this worker still holds it.
fn held(
    q: sea_orm::UpdateMany<outbox::Entity>,
    c: &Claimed,
) -> sea_orm::UpdateMany<outbox::Entity> {
    q.filter(outbox::Column::Id.eq(c.message.id))
        .filter(outbox::Column::ClaimToken.eq(c.token.as_str()))
        .filter(outbox::Column::Status.eq(PENDING))
}

/// An update of outbox rows that also drops their claim.
fn released() -> sea_orm::UpdateMany<outbox::Entity> {
    outbox::Entity::update_many()
        .col_expr(
            outbox::Column::ClaimedUntil,
            Expr::value(Option::<i64>::None),
        )
        .col_expr(
            outbox::Column::ClaimToken,
            Expr::value(Option::<String>::None),
        )
}
