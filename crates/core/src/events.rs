//! Change events for live pages (DOMAIN.md R8: status shown live).
//!
//! A use case that changes what a citizen's cabinet or a center's console
//! and hall display show calls [`note`] inside its write transaction
//! (every booking history row does, through
//! `service::booking::history::record`);
//! [`crate::service::booking::txn::write_txn`] publishes the noted changes
//! only after the commit (a rolled-back or retried attempt publishes
//! nothing). A change carries ids only — never personal data: each live
//! stream re-reads what its viewer may see.
//!
//! Delivery: an in-process broadcast channel, which every open stream of
//! this process subscribes to. On PostgreSQL the changes also go out
//! through `NOTIFY kezek_events` to the other processes, whose `LISTEN`
//! connection ([`listen`]) hands them to their own channel (a process
//! skips its own), so a check-in done through one process reaches a
//! cabinet streaming from another. Publishing never blocks a writer: the
//! channel drops what a slow stream has not read (the stream then asks its
//! page to re-read everything), and a failed `NOTIFY` is logged, not
//! retried.
use std::cell::RefCell;
use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, mpsc};

/// The PostgreSQL channel.
pub const CHANNEL: &str = "kezek_events";

/// What changed: the citizen whose cabinet and the center whose console
/// and display show it. Both `None`: everything may have changed (a
/// stream lagged, the listener reconnected).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    #[serde(default, rename = "u", skip_serializing_if = "Option::is_none")]
    pub citizen: Option<i64>,
    #[serde(default, rename = "c", skip_serializing_if = "Option::is_none")]
    pub center: Option<i64>,
}

impl Change {
    /// Everything may have changed.
    pub const ALL: Change = Change {
        citizen: None,
        center: None,
    };

    /// A booking's change: its citizen and its center.
    pub fn booking(citizen: i64, center: i64) -> Self {
        Self {
            citizen: Some(citizen),
            center: Some(center),
        }
    }

    /// A change only the citizen's cabinet shows (draw requests, waiting
    /// entries).
    pub fn citizen(citizen: i64) -> Self {
        Self {
            citizen: Some(citizen),
            center: None,
        }
    }

    /// Does a viewer of `citizen`'s cabinet or `center`'s day need it?
    pub fn concerns(&self, citizen: Option<i64>, center: Option<i64>) -> bool {
        *self == Self::ALL
            || (citizen.is_some() && self.citizen == citizen)
            || (center.is_some() && self.center == center)
    }
}

/// How many commits' changes the channel keeps for a stream that has not
/// read them yet; a stream further behind is told to re-read everything.
const BACKLOG: usize = 1024;

/// What one commit changed, as the channel carries it (one message per
/// commit, so a stream announces a commit once).
pub type Changes = Arc<[Change]>;

/// Commits waiting for the `NOTIFY` sender; a commit that finds the queue
/// full makes the next `NOTIFY` say "everything changed".
const NOTIFY_QUEUE: usize = 4096;

/// The most changes one `NOTIFY` batch gathers from the queue.
const MAX_BATCH: usize = 1_000;

/// The largest `NOTIFY` payload sent (PostgreSQL refuses 8,000 bytes and
/// more); a larger batch goes out as "everything changed".
const MAX_PAYLOAD: usize = 7_000;

/// The process's change hub.
pub struct Events {
    tx: broadcast::Sender<Changes>,
    streams: AtomicUsize,
    delivered: AtomicUsize,
    /// This process, in `NOTIFY` payloads: its listener skips its own
    /// (already delivered in process).
    origin: u64,
    /// To the task that sends `NOTIFY` (set by [`listen`], PostgreSQL).
    notify: OnceLock<mpsc::Sender<Vec<Change>>>,
    /// A commit found the queue full: the next `NOTIFY` says everything.
    notify_lost: AtomicBool,
    /// Streams open now per client (a citizen, an address), for the
    /// per-client cap.
    per_client: std::sync::Mutex<std::collections::HashMap<String, usize>>,
}

impl Default for Events {
    fn default() -> Self {
        Self {
            tx: broadcast::channel(BACKLOG).0,
            streams: AtomicUsize::new(0),
            delivered: AtomicUsize::new(0),
            origin: rand::random(),
            notify: OnceLock::new(),
            notify_lost: AtomicBool::new(false),
            per_client: Default::default(),
        }
    }
}

/// A `NOTIFY` payload: the publishing process and its changes.
#[derive(Serialize, Deserialize)]
struct Payload {
    o: u64,
    c: Vec<Change>,
}

impl Events {
    /// A receiver of every change from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Changes> {
        self.tx.subscribe()
    }

    /// Counts an open stream of `client` until the guard is dropped;
    /// `None` when that client already has `max` streams open (one
    /// client must not hold the memory of thousands).
    pub fn open_stream_for(self: &Arc<Self>, client: String, max: usize) -> Option<StreamGuard> {
        {
            let mut g = match self.per_client.lock() {
                Ok(g) => g,
                Err(p) => p.into_inner(),
            };
            let n = g.entry(client.clone()).or_insert(0);
            if *n >= max {
                return None;
            }
            *n += 1;
        }
        self.streams.fetch_add(1, Ordering::Relaxed);
        Some(StreamGuard(self.clone(), client))
    }

    /// Streams `client` has open now.
    pub fn open_streams_of(&self, client: &str) -> usize {
        let g = match self.per_client.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        g.get(client).copied().unwrap_or(0)
    }

    /// Live streams open now.
    pub fn open_streams(&self) -> usize {
        self.streams.load(Ordering::Relaxed)
    }

    /// Changes delivered to this process's streams so far.
    pub fn delivered(&self) -> usize {
        self.delivered.load(Ordering::Relaxed)
    }

    /// Hands one commit's changes to this process's streams.
    pub fn deliver(&self, changes: &[Change]) {
        self.delivered.fetch_add(changes.len(), Ordering::Relaxed);
        // No receiver is fine: nobody is watching.
        let _ = self.tx.send(changes.into());
    }

    /// Publishes committed changes: to this process's streams at once,
    /// and on PostgreSQL to the other processes through the `NOTIFY`
    /// sender [`listen`] starts (the writer never waits for it: the queue
    /// is bounded, and a commit that finds it full turns the next
    /// `NOTIFY` into "everything changed").
    pub fn publish(&self, mut changes: Vec<Change>) {
        if changes.is_empty() {
            return;
        }
        changes.sort_by_key(|c| (c.citizen, c.center));
        changes.dedup();
        self.deliver(&changes);
        if let Some(tx) = self.notify.get()
            && tx.try_send(changes).is_err()
        {
            self.notify_lost.store(true, Ordering::Relaxed);
        }
    }
}

/// The `NOTIFY` payload for a batch of changes: the batch itself, or
/// "everything changed" when it would not fit PostgreSQL's limit.
fn notify_payload(origin: u64, mut changes: Vec<Change>) -> String {
    changes.sort_by_key(|c| (c.citizen, c.center));
    changes.dedup();
    let all = || serde_json::json!({"o": origin, "c": [Change::ALL]}).to_string();
    match serde_json::to_string(&Payload {
        o: origin,
        c: changes,
    }) {
        Ok(p) if p.len() <= MAX_PAYLOAD => p,
        _ => all(),
    }
}

/// Sends the queued changes as `NOTIFY`s, one per batch of what queued up
/// while the previous one was being sent.
async fn send_notifies(
    db: DatabaseConnection,
    events: Arc<Events>,
    mut rx: mpsc::Receiver<Vec<Change>>,
) {
    while let Some(mut batch) = rx.recv().await {
        while let Ok(more) = rx.try_recv() {
            batch.extend(more);
            // Past this, the batch goes out as "everything changed" anyway.
            if batch.len() > MAX_BATCH {
                break;
            }
        }
        if events.notify_lost.swap(false, Ordering::Relaxed) {
            batch = vec![Change::ALL];
        }
        let stmt = Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [CHANNEL.into(), notify_payload(events.origin, batch).into()],
        );
        if let Err(e) = db.execute_raw(stmt).await {
            // Other processes' pages fall back to polling: nothing is lost
            // but promptness.
            tracing::warn!(error = %e, "change events not published");
        }
    }
}

/// An open stream, counted while it lives, in all and for its client.
pub struct StreamGuard(Arc<Events>, String);

impl Drop for StreamGuard {
    fn drop(&mut self) {
        self.0.streams.fetch_sub(1, Ordering::Relaxed);
        let mut g = match self.0.per_client.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        if let Some(n) = g.get_mut(&self.1) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                g.remove(&self.1);
            }
        }
    }
}

tokio::task_local! {
    static PENDING: RefCell<Vec<Change>>;
}

/// Notes a change made by the current write transaction; published after
/// its commit. Outside a write transaction it is dropped (and logged):
/// every change to what a live page shows goes through one.
pub fn note(change: Change) {
    if PENDING.try_with(|p| p.borrow_mut().push(change)).is_err() {
        tracing::debug!(?change, "change noted outside a write transaction");
    }
}

/// Runs one transaction attempt collecting the changes it notes.
pub async fn collecting<F: std::future::Future>(f: F) -> (F::Output, Vec<Change>) {
    PENDING
        .scope(RefCell::new(Vec::new()), async move {
            let out = f.await;
            let changes = PENDING.with(|p| std::mem::take(&mut *p.borrow_mut()));
            (out, changes)
        })
        .await
}

/// On PostgreSQL: listens on [`CHANNEL`] and delivers what arrives to this
/// process's streams, reconnecting after a lost connection (and then
/// telling every stream to re-read, as changes may have been missed).
pub async fn listen(db: DatabaseConnection, events: Arc<Events>) {
    use sea_orm::sqlx::postgres::PgListener;
    if db.get_database_backend() != DbBackend::Postgres {
        return;
    }
    let (tx, rx) = mpsc::channel(NOTIFY_QUEUE);
    if events.notify.set(tx).is_err() {
        // Already listening for this hub.
        return;
    }
    tokio::spawn(send_notifies(db.clone(), events.clone(), rx));
    let pool = db.get_postgres_connection_pool().clone();
    let mut first = true;
    loop {
        let mut listener = match PgListener::connect_with(&pool).await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "change listener: no connection");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        if let Err(e) = listener.listen(CHANNEL).await {
            tracing::warn!(error = %e, "change listener: LISTEN failed");
            tokio::time::sleep(Duration::from_secs(1)).await;
            continue;
        }
        if !first {
            events.deliver(&[Change::ALL]);
        }
        first = false;
        loop {
            match listener.recv().await {
                Ok(n) => match serde_json::from_str::<Payload>(n.payload()) {
                    Ok(p) if p.o == events.origin => {}
                    Ok(p) => events.deliver(&p.c),
                    Err(e) => tracing::warn!(error = %e, "change listener: bad payload"),
                },
                Err(e) => {
                    tracing::warn!(error = %e, "change listener: connection lost");
                    break;
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_change_concerns_its_citizen_and_its_center() {
        let c = Change::booking(7, 3);
        assert!(c.concerns(Some(7), None));
        assert!(c.concerns(None, Some(3)));
        assert!(!c.concerns(Some(8), None));
        assert!(!c.concerns(None, Some(4)));
        assert!(!c.concerns(None, None));
        assert!(Change::ALL.concerns(Some(8), None));
        assert!(!Change::citizen(7).concerns(None, Some(3)));
    }

    #[test]
    fn the_payload_carries_ids_only() {
        let p = Payload {
            o: 5,
            c: vec![Change::booking(7, 3), Change::citizen(9)],
        };
        let s = serde_json::to_string(&p).unwrap();
        assert_eq!(s, r#"{"o":5,"c":[{"u":7,"c":3},{"u":9}]}"#);
        let back: Payload = serde_json::from_str(&s).unwrap();
        assert_eq!(back.c, vec![Change::booking(7, 3), Change::citizen(9)]);
    }

    #[test]
    fn a_batch_too_big_for_one_notify_says_everything_changed() {
        let small = notify_payload(5, vec![Change::citizen(2), Change::citizen(2)]);
        assert_eq!(small, r#"{"o":5,"c":[{"u":2}]}"#);
        let many: Vec<Change> = (0..2_000).map(|i| Change::booking(i, i)).collect();
        let big = notify_payload(5, many);
        assert!(big.len() < 8_000);
        let back: Payload = serde_json::from_str(&big).unwrap();
        assert_eq!(back.c, vec![Change::ALL]);
    }

    #[tokio::test]
    async fn changes_noted_in_an_attempt_are_collected_and_outside_dropped() {
        note(Change::citizen(1));
        let ((), got) = collecting(async {
            note(Change::citizen(2));
            tokio::task::yield_now().await;
            note(Change::booking(3, 4));
        })
        .await;
        assert_eq!(got, vec![Change::citizen(2), Change::booking(3, 4)]);
    }

    #[tokio::test]
    async fn a_slow_stream_lags_instead_of_blocking_the_writer() {
        let ev = Arc::new(Events::default());
        let mut rx = ev.subscribe();
        for i in 0..(BACKLOG as i64 + 10) {
            ev.deliver(&[Change::citizen(i), Change::booking(i, 1)]);
        }
        assert!(matches!(
            rx.recv().await,
            Err(broadcast::error::RecvError::Lagged(10))
        ));
        let g = ev.open_stream_for("citizen:1".into(), 1).unwrap();
        assert_eq!(ev.open_streams(), 1);
        drop(g);
        assert_eq!(ev.open_streams(), 0);
    }

    #[test]
    fn one_client_holds_at_most_its_cap_and_gets_it_back_when_streams_close() {
        let ev = Arc::new(Events::default());
        let held: Vec<StreamGuard> = (0..3)
            .map(|_| ev.open_stream_for("citizen:7".into(), 3).unwrap())
            .collect();
        assert!(ev.open_stream_for("citizen:7".into(), 3).is_none());
        // Another client is not affected.
        let other = ev.open_stream_for("citizen:8".into(), 3).unwrap();
        assert_eq!((ev.open_streams(), ev.open_streams_of("citizen:7")), (4, 3));
        drop(held);
        drop(other);
        assert_eq!((ev.open_streams(), ev.open_streams_of("citizen:7")), (0, 0));
        assert!(ev.open_stream_for("citizen:7".into(), 3).is_some());
    }
}
