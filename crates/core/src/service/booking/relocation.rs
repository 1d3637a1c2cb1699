//! Durable relocation (review M2). An admin change that leaves bookings
//! outside the schedule (a day closure, a schedule change, a national day)
//! [`record`]s them in `relocation_items` in its own transaction, with the
//! decision (move-or-cancel or cancel), the reason and the actor. Then
//! [`drain`] works through pending items, one booking per transaction
//! ([`super::close_day::relocate`]): the admin's request drains its own
//! items at once (so the page shows the outcome), and the relocation job
//! ([`run`], every server process) drains whatever a request left behind
//! when it died. Each item ends `moved`, `cancelled` (by the center, with
//! notice), `changed` (the citizen moved or cancelled the booking after
//! the decision: left as the citizen made it) or `failed` (logged; it
//! needs a decision). Two processes draining the same item cannot act
//! twice: the move and the cancellation are conditional on the booking
//! being still as decided.
use std::collections::BTreeMap;
use std::time::Duration;

use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, sea_query::Expr,
};

use crate::entity::{bookings, relocation_items};
use crate::error::ServiceError;
use crate::state::Core;
use kezek_wire::admin::RelocationRow;

use super::close_day::{CloseAction, CloseReport, relocate};
use super::schedule::load_center_any;

pub const PENDING: &str = "pending";

fn action_str(a: CloseAction) -> &'static str {
    match a {
        CloseAction::MoveOrCancel => "move_or_cancel",
        CloseAction::Cancel => "cancel",
    }
}

fn action_of(s: &str) -> CloseAction {
    if s == "cancel" {
        CloseAction::Cancel
    } else {
        CloseAction::MoveOrCancel
    }
}

/// Records the decision about `list` in the change's transaction; the new
/// items' ids.
pub async fn record(
    txn: &DatabaseTransaction,
    list: &[bookings::Model],
    action: CloseAction,
    reason: &str,
    actor: &str,
    now: i64,
) -> Result<Vec<i64>, ServiceError> {
    let mut ids = Vec::with_capacity(list.len());
    for b in list {
        let r = relocation_items::Entity::insert(relocation_items::ActiveModel {
            center_id: Set(b.center_id),
            booking_id: Set(b.id),
            decided_start: Set(b.start_at),
            action: Set(action_str(action).to_owned()),
            reason: Set(reason.chars().take(500).collect()),
            actor: Set(actor.chars().take(100).collect()),
            state: Set(PENDING.to_owned()),
            created_at: Set(now),
            done_at: Set(None),
            ..Default::default()
        })
        .exec(txn)
        .await?;
        ids.push(r.last_insert_id);
    }
    Ok(ids)
}

/// Which pending items to work on.
pub enum Which {
    /// These (a request's own).
    Ids(Vec<i64>),
    /// Any recorded at or before this instant (the job), at most `limit`.
    OlderThan { at: i64, limit: u64 },
}

/// Works through pending items; the report of what happened to them.
pub async fn drain(state: &Core, which: Which) -> Result<CloseReport, ServiceError> {
    let q = relocation_items::Entity::find().filter(relocation_items::Column::State.eq(PENDING));
    let items = match which {
        Which::Ids(ids) if ids.is_empty() => Vec::new(),
        Which::Ids(ids) => {
            q.filter(relocation_items::Column::Id.is_in(ids))
                .all(&state.db)
                .await?
        }
        Which::OlderThan { at, limit } => {
            q.filter(relocation_items::Column::CreatedAt.lte(at))
                .order_by_asc(relocation_items::Column::Id)
                .limit(limit)
                .all(&state.db)
                .await?
        }
    };
    // One relocation run per (center, decision, reason, actor).
    let mut groups: BTreeMap<(i64, String, String, String), Vec<relocation_items::Model>> =
        BTreeMap::new();
    for it in items {
        groups
            .entry((
                it.center_id,
                it.action.clone(),
                it.reason.clone(),
                it.actor.clone(),
            ))
            .or_default()
            .push(it);
    }
    let mut all = CloseReport::default();
    for ((center_id, action, reason, actor), items) in groups {
        let ctx = load_center_any(&state.db, center_id).await?;
        let by_booking: BTreeMap<i64, i64> =
            items.iter().map(|it| (it.booking_id, it.id)).collect();
        // The bookings of the group in one query.
        let mut rows: BTreeMap<i64, bookings::Model> = bookings::Entity::find()
            .filter(bookings::Column::Id.is_in(by_booking.keys().copied().collect::<Vec<_>>()))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|b| (b.id, b))
            .collect();
        let mut list = Vec::with_capacity(items.len());
        for it in &items {
            match rows.remove(&it.booking_id) {
                // As decided: relocate compares the current row with it.
                Some(mut b) => {
                    b.start_at = it.decided_start;
                    list.push(b);
                }
                None => all.failed.push(it.booking_id),
            }
        }
        let report = relocate(state, &ctx, list, &reason, action_of(&action), &actor).await?;
        let now = state.now().timestamp();
        let marks = report
            .moved
            .iter()
            .map(|(id, _)| (*id, "moved"))
            .chain(report.cancelled.iter().map(|id| (*id, "cancelled")))
            .chain(report.changed.iter().map(|id| (*id, "changed")))
            .chain(report.failed.iter().map(|id| (*id, "failed")));
        for (booking, mark) in marks {
            if let Some(item) = by_booking.get(&booking) {
                relocation_items::Entity::update_many()
                    .col_expr(relocation_items::Column::State, Expr::value(mark))
                    .col_expr(relocation_items::Column::DoneAt, Expr::value(now))
                    .filter(relocation_items::Column::Id.eq(*item))
                    .filter(relocation_items::Column::State.eq(PENDING))
                    .exec(&state.db)
                    .await?;
            }
        }
        all.moved.extend(report.moved);
        all.cancelled.extend(report.cancelled);
        all.changed.extend(report.changed);
        all.failed.extend(report.failed);
    }
    Ok(all)
}

/// Pending items (the relocation backlog).
pub async fn backlog(state: &Core) -> Result<u64, ServiceError> {
    Ok(relocation_items::Entity::find()
        .filter(relocation_items::Column::State.eq(PENDING))
        .count(&state.db)
        .await?)
}

/// The relocation job: every `every`, drains items a request left behind
/// (recorded more than a minute ago), 200 at a time.
pub async fn run(core: Core, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let at = core.now().timestamp() - 60;
        match drain(&core, Which::OlderThan { at, limit: 200 }).await {
            Ok(r) => {
                let n = r.moved.len() + r.cancelled.len() + r.changed.len() + r.failed.len();
                if n > 0 {
                    tracing::info!(
                        moved = r.moved.len(),
                        cancelled = r.cancelled.len(),
                        changed = r.changed.len(),
                        failed = r.failed.len(),
                        "relocation job resumed left-over bookings"
                    );
                }
                core.jobs.ok("relocation", core.now().timestamp());
            }
            Err(e) => tracing::warn!(error = %e, "relocation job failed"),
        }
    }
}

/// The relocations of the admin changes made since `since`, newest first,
/// at most `limit` changes, as the administrator's page shows them
/// ("handled 44 / 57, moved 41, changed by the citizen 2"). A change is
/// the items one admin change recorded: one center, reason, actor and
/// instant.
pub async fn recent_changes(
    state: &Core,
    since: i64,
    limit: usize,
    lang: kezek_i18n::Lang,
) -> Result<Vec<RelocationRow>, ServiceError> {
    use relocation_items::Column as C;
    let rows: Vec<(i64, String, String, i64, String, i64)> = relocation_items::Entity::find()
        .select_only()
        .column(C::CenterId)
        .column(C::Reason)
        .column(C::Actor)
        .column(C::CreatedAt)
        .column(C::State)
        .column_as(C::Id.count(), "n")
        .filter(C::CreatedAt.gte(since))
        .group_by(C::CenterId)
        .group_by(C::Reason)
        .group_by(C::Actor)
        .group_by(C::CreatedAt)
        .group_by(C::State)
        .into_tuple()
        .all(&state.db)
        .await?;
    // (instant, center, reason, actor) → its row.
    let mut changes: BTreeMap<(i64, i64, String, String), RelocationRow> = BTreeMap::new();
    for (center_id, reason, actor, at, st, n) in rows {
        let n = u64::try_from(n).unwrap_or(0);
        let c = changes
            .entry((at, center_id, reason.clone(), actor))
            .or_insert_with(|| RelocationRow {
                at: super::facts::rfc3339_in(chrono_tz::Asia::Almaty, at),
                center: String::new(),
                reason,
                total: 0,
                moved: 0,
                cancelled: 0,
                changed: 0,
                failed: 0,
                pending: 0,
                needs_decision: Vec::new(),
            });
        c.total += n;
        match st.as_str() {
            "moved" => c.moved += n,
            "cancelled" => c.cancelled += n,
            "changed" => c.changed += n,
            "failed" => c.failed += n,
            _ => c.pending += n,
        }
    }
    let newest: Vec<_> = changes.into_iter().rev().take(limit).collect();
    // The centers' names, in one read.
    let names: std::collections::HashMap<i64, String> = crate::entity::centers::Entity::find()
        .filter(crate::entity::centers::Column::Id.is_in(newest.iter().map(|((_, c, _, _), _)| *c)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| {
            let name = lang.choose(&c.name_kk, &c.name_ru, &c.name_en).to_string();
            (c.id, name)
        })
        .collect();
    let mut out = Vec::new();
    for ((at, center_id, reason, actor), mut c) in newest {
        c.center = names.get(&center_id).cloned().unwrap_or_default();
        if c.failed > 0 {
            let ids: Vec<i64> = relocation_items::Entity::find()
                .select_only()
                .column(C::BookingId)
                .filter(C::CenterId.eq(center_id))
                .filter(C::CreatedAt.eq(at))
                .filter(C::Reason.eq(reason.as_str()))
                .filter(C::Actor.eq(actor.as_str()))
                .filter(C::State.eq("failed"))
                .order_by_asc(C::Id)
                .limit(20)
                .into_tuple()
                .all(&state.db)
                .await?;
            c.needs_decision = bookings::Entity::find()
                .select_only()
                .column(bookings::Column::Code)
                .filter(bookings::Column::Id.is_in(ids))
                .order_by_asc(bookings::Column::Code)
                .into_tuple()
                .all(&state.db)
                .await?;
        }
        out.push(c);
    }
    Ok(out)
}
