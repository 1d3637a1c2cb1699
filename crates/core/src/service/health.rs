//! How the background work is doing, for operators: the outbox backlog
//! (pending rows and the age of the oldest, failed rows) and when each job
//! last finished a pass without error. Served as JSON at `/healthz/detail`
//! and on the administrator's page, where failed notifications can be
//! queued again.
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, sea_query::Expr};

use crate::entity::outbox;
use crate::error::ServiceError;
use crate::service::outbox::{FAILED, PENDING};
use crate::state::Core;

/// When each job of this process last completed a pass (Unix seconds).
#[derive(Default)]
pub struct Jobs {
    last_ok: Mutex<HashMap<&'static str, i64>>,
}

impl Jobs {
    /// Records a pass of `job` that ended without error.
    pub fn ok(&self, job: &'static str, at: i64) {
        let mut g = match self.last_ok.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        g.insert(job, at);
    }

    pub fn snapshot(&self) -> BTreeMap<String, i64> {
        let g = match self.last_ok.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        g.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
    }
}

/// The outbox's state and the jobs' last passes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Health {
    pub outbox_pending: u64,
    /// Age of the oldest pending row, seconds.
    pub outbox_oldest_pending_secs: Option<i64>,
    pub outbox_failed: u64,
    /// Bookings recorded for relocation and not handled yet.
    pub relocation_backlog: u64,
    /// Job name → Unix seconds of its last good pass (this process).
    pub jobs: BTreeMap<String, i64>,
}

pub async fn report(core: &Core) -> Result<Health, ServiceError> {
    let now = core.now().timestamp();
    let pending = outbox::Entity::find()
        .filter(outbox::Column::Status.eq(PENDING))
        .count(&core.db)
        .await?;
    let oldest = outbox::Entity::find()
        .filter(outbox::Column::Status.eq(PENDING))
        .order_by_asc(outbox::Column::CreatedAt)
        .one(&core.db)
        .await?
        .map(|r| (now - r.created_at).max(0));
    let failed = outbox::Entity::find()
        .filter(outbox::Column::Status.eq(FAILED))
        .count(&core.db)
        .await?;
    Ok(Health {
        outbox_pending: pending,
        outbox_oldest_pending_secs: oldest,
        outbox_failed: failed,
        relocation_backlog: crate::service::booking::relocation::backlog(core).await?,
        jobs: core.jobs.snapshot(),
    })
}

/// Queues every failed notification again (attempts from zero, due now);
/// how many. Sign-in codes are left failed: theirs expired long ago.
pub async fn requeue_failed(core: &Core) -> Result<u64, ServiceError> {
    let now = core.now().timestamp();
    let r = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(PENDING))
        .col_expr(outbox::Column::Attempts, Expr::value(0))
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(now))
        .filter(outbox::Column::Status.eq(FAILED))
        .filter(outbox::Column::Kind.ne("otp"))
        .exec(&core.db)
        .await?;
    tracing::info!(rows = r.rows_affected, "failed notifications queued again");
    Ok(r.rows_affected)
}
