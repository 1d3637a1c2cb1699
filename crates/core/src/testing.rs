//! Test support (feature `test-support`, for test code only): a fresh
//! database per test and small helpers shared by the use-case tests of this
//! crate and the server's HTTP tests.
//!
//! `KEZEK_TEST_DATABASE_URL` unset or empty → a SQLite file in a temp dir;
//! set to a PostgreSQL server URL (without a database name) → a fresh
//! database `kezek_t_<run>_<pid>_<n>` per test, dropped by
//! [`TestDb::cleanup`] (and by the test script's sweep if a test dies).
//! Always the real migrations.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{DateTime, TimeZone, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, Database, DatabaseConnection, EntityTrait,
    QueryFilter,
};

use crate::entity::{centers, citizens, windows};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fresh database for one test.
pub struct TestDb {
    pub url: String,
    pg: Option<(String, String)>, // (server url, database name)
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub async fn new() -> Self {
        match std::env::var("KEZEK_TEST_DATABASE_URL") {
            Ok(server) if !server.trim().is_empty() => {
                let server = server.trim_end_matches('/').to_owned();
                let run = std::env::var("KEZEK_TEST_RUN_ID").unwrap_or_else(|_| "0".into());
                let name = format!(
                    "kezek_t_{run}_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::SeqCst)
                );
                let admin = Database::connect(format!("{server}/postgres"))
                    .await
                    .unwrap();
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .unwrap();
                admin.close().await.ok();
                Self {
                    url: format!("{server}/{name}"),
                    pg: Some((server, name)),
                    _dir: None,
                }
            }
            _ => {
                let dir = tempfile::tempdir().unwrap();
                let url = format!("sqlite://{}/kezek.db", dir.path().display());
                Self {
                    url,
                    pg: None,
                    _dir: Some(dir),
                }
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.pg.is_some()
    }

    /// PostgreSQL only: the database's server address (`host:port`).
    pub fn pg_addr(&self) -> Option<String> {
        let (server, _) = self.pg.as_ref()?;
        let rest = server.split("://").nth(1)?;
        let hostport = rest.rsplit('@').next()?;
        Some(hostport.split('/').next()?.to_owned())
    }

    /// PostgreSQL only: this database's URL with its server address
    /// replaced by `addr` (e.g. a proxy in front of it).
    pub fn url_via(&self, addr: &str) -> Option<String> {
        let (server, name) = self.pg.as_ref()?;
        let old = self.pg_addr()?;
        Some(format!("{}/{name}", server.replacen(&old, addr, 1)))
    }

    /// PostgreSQL only: locks the citizen with `iin` the way a booking does
    /// first (`UPDATE … SET id = id`: a `FOR NO KEY UPDATE` row lock, which
    /// does not block foreign-key checks of rows that refer to it) in a
    /// transaction of its own, held until [`HeldLock::release`]: a booking
    /// for that citizen waits inside its own transaction meanwhile. `None`
    /// on SQLite.
    pub async fn lock_citizen(&self, iin: &str) -> Option<HeldLock> {
        let held = self.hold().await?;
        held.txn
            .execute_unprepared(&format!(
                "UPDATE citizens SET id = id WHERE iin = '{}'",
                iin.replace('\'', "")
            ))
            .await
            .unwrap();
        Some(held)
    }

    /// PostgreSQL only: a booking in flight at a capped center — a
    /// transaction that has taken the start's R9 lock (as
    /// `create::assign_and_hold` does) and holds `window_id` at
    /// `slot_start` for a placeholder booking, uncommitted until
    /// [`HeldLock::commit`] or [`HeldLock::release`]. `None` on SQLite.
    pub async fn book_in_flight(
        &self,
        center_id: i64,
        window_id: i64,
        slot_start: i64,
    ) -> Option<HeldLock> {
        let held = self.hold().await?;
        crate::service::booking::txn::lock_starts(&held.txn, center_id, &[slot_start])
            .await
            .unwrap();
        let code = format!("FLIGHT{slot_start}");
        let span = (slot_start, slot_start + 900);
        held.txn
            .execute_unprepared(&placeholder(&code, center_id, window_id, span, "Booked"))
            .await
            .unwrap();
        held.txn
            .execute_unprepared(&format!(
                "INSERT INTO booking_slots (window_id, slot_start, booking_id, center_id) \
                 SELECT {window_id}, {slot_start}, b.id, {center_id} FROM bookings b \
                 WHERE b.code = 'FLIGHT{slot_start}'"
            ))
            .await
            .unwrap();
        Some(held)
    }

    /// PostgreSQL only: an open transaction on a connection of its own.
    async fn hold(&self) -> Option<HeldLock> {
        use sea_orm::TransactionTrait;
        self.pg.as_ref()?;
        let db = Database::connect(&self.url).await.unwrap();
        let txn = db.begin().await.unwrap();
        Some(HeldLock { txn, db })
    }

    /// PostgreSQL only: takes every window of `center_id` at `slot_start`
    /// (slot rows of no booking) in a transaction held until
    /// [`HeldLock::release`], which then takes them back: a booking at that
    /// start passes its rule checks, then waits for the release. `None` on
    /// SQLite.
    pub async fn hold_center_start(&self, center_id: i64, slot_start: i64) -> Option<HeldLock> {
        let held = self.hold().await?;
        // The slot rows need a booking: a cancelled placeholder, which no
        // rule counts.
        let code = format!("HOLD{slot_start}");
        held.txn
            .execute_unprepared(&placeholder(&code, center_id, 0, (0, 60), "Cancelled"))
            .await
            .unwrap();
        held.txn
            .execute_unprepared(&format!(
                "INSERT INTO booking_slots (window_id, slot_start, booking_id, center_id) \
             SELECT w.id, {slot_start}, b.id, {center_id} FROM windows w, bookings b \
             WHERE w.center_id = {center_id} AND b.code = 'HOLD{slot_start}'"
            ))
            .await
            .unwrap();
        Some(held)
    }

    /// PostgreSQL only: makes the database answer like a demoted primary or
    /// a standby (`read_only`: every new transaction read-only) or like a
    /// primary again, and ends every session open on it, as a failover
    /// does. No-op on SQLite.
    pub async fn fail_over_to(&self, read_only: bool) {
        let Some((server, name)) = &self.pg else {
            return;
        };
        let admin = Database::connect(format!("{server}/postgres"))
            .await
            .unwrap();
        admin
            .execute_unprepared(&format!(
                "ALTER DATABASE \"{name}\" SET default_transaction_read_only = {}",
                if read_only { "on" } else { "off" }
            ))
            .await
            .unwrap();
        admin
            .execute_unprepared(&format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = '{name}' AND pid <> pg_backend_pid()"
            ))
            .await
            .unwrap();
        admin.close().await.ok();
    }

    /// Drops the PostgreSQL database (SQLite's temp dir goes with `self`).
    pub async fn cleanup(self) {
        if let Some((server, name)) = &self.pg
            && let Ok(admin) = Database::connect(format!("{server}/postgres")).await
        {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .await;
            admin.close().await.ok();
        }
    }
}

/// Locks held by [`TestDb::lock_citizen`] or [`TestDb::hold_center_start`].
pub struct HeldLock {
    txn: sea_orm::DatabaseTransaction,
    db: DatabaseConnection,
}

impl HeldLock {
    /// Commits the holding transaction and closes its connection.
    pub async fn commit(self) {
        self.txn.commit().await.unwrap();
        self.db.close().await.ok();
    }

    /// Rolls the holding transaction back and closes its connection.
    pub async fn release(self) {
        self.txn.rollback().await.ok();
        self.db.close().await.ok();
    }
}

/// SQL inserting a placeholder booking `code` of the first citizen at
/// `center_id` (window `window_id`, `[start, end)` Unix seconds, `status`):
/// the booking the window-slot rows of a held transaction belong to.
fn placeholder(
    code: &str,
    center_id: i64,
    window_id: i64,
    span: (i64, i64),
    status: &str,
) -> String {
    let (start, end) = span;
    format!(
        "INSERT INTO bookings (code, citizen_id, center_id, center_kind, service_code, grp, \
           window_id, start_at, end_at, local_date, status, reschedule_count, priority, \
           walk_in, created_at, updated_at) \
         SELECT '{code}', MIN(c.id), {center_id}, 'Psc', 'ID_CARD', 'Documentation', \
           {window_id}, {start}, {end}, '2000-01-01', '{status}', 0, false, false, 0, 0 \
         FROM citizens c"
    )
}

/// 2026-12-01 09:00 in Astana (UTC+5), a Tuesday.
pub fn default_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 4, 0, 0).unwrap()
}

/// A valid, distinct IIN for test citizen `n` (computed with the checksum).
pub fn iin_n(n: u32) -> String {
    for serial in 0..10_000u32 {
        let base = format!("9001013{:04}", (n * 7 + serial) % 10_000);
        let d: Vec<u32> = base.bytes().map(|b| u32::from(b - b'0')).collect();
        let s1: u32 = d
            .iter()
            .enumerate()
            .map(|(i, x)| (i as u32 + 1) * x)
            .sum::<u32>()
            % 11;
        let check = if s1 == 10 {
            let w = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
            let s2: u32 = d.iter().zip(w).map(|(x, w)| x * w).sum::<u32>() % 11;
            if s2 == 10 {
                continue;
            }
            s2
        } else {
            s1
        };
        let iin = format!("{base}{check}");
        if kezek_domain::iin::Iin::parse(&iin).is_ok() {
            return iin;
        }
    }
    panic!("no IIN for {n}");
}

/// Every stored row of entity `E`, in primary-key order: how the server's
/// tests look at what is stored (they filter in Rust, so they name no
/// query builder and import no `sea_orm`).
pub async fn rows<E: EntityTrait>(db: &DatabaseConnection) -> Vec<E::Model> {
    use sea_orm::{Iterable, PrimaryKeyToColumn, QueryOrder};
    let mut q = E::find();
    for pk in E::PrimaryKey::iter() {
        q = q.order_by_asc(pk.into_column());
    }
    q.all(db).await.unwrap()
}

/// The row of entity `E` with primary key `id`, if stored.
pub async fn row<E, V>(db: &DatabaseConnection, id: V) -> Option<E::Model>
where
    E: EntityTrait,
    V: Into<<E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType>,
{
    E::find_by_id(id).one(db).await.unwrap()
}

/// How many rows entity `E` has.
pub async fn count<E: EntityTrait>(db: &DatabaseConnection) -> usize {
    rows::<E>(db).await.len()
}

/// Runs one SQL statement (the same text on SQLite and PostgreSQL) for a
/// test's setup — moving a row's time, breaking a row on purpose — and
/// returns the rows it changed.
pub async fn execute(db: &DatabaseConnection, sql: &str) -> u64 {
    db.execute_unprepared(sql).await.unwrap().rows_affected()
}

/// The id of the center with `slug`.
pub async fn center_id_in(db: &DatabaseConnection, slug: &str) -> i64 {
    centers::Entity::find()
        .filter(centers::Column::Slug.eq(slug))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// The id of window `number` of a center.
pub async fn window_id_in(db: &DatabaseConnection, center: i64, number: i32) -> i64 {
    windows::Entity::find()
        .filter(windows::Column::CenterId.eq(center))
        .filter(windows::Column::Number.eq(number))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// A citizen row (as a first sign-in would make it).
pub async fn insert_citizen_in(
    db: &DatabaseConnection,
    iin: &str,
    phone: &str,
    lang: &str,
) -> (i64, kezek_domain::iin::Iin) {
    let iin = kezek_domain::iin::Iin::parse(iin).unwrap();
    let id = citizens::Entity::insert(citizens::ActiveModel {
        iin: Set(iin.as_str().to_owned()),
        phone: Set(Some(phone.to_owned())),
        lang: Set(lang.to_owned()),
        telegram_chat_id: Set(None),
        created_at: Set(0),
        ..Default::default()
    })
    .exec(db)
    .await
    .unwrap()
    .last_insert_id;
    (id, iin)
}

/// The body of the newest sign-in SMS written for `phone` (any mode; the
/// dev outbox API exists only in dev mode).
pub async fn last_code_sms_in(db: &DatabaseConnection, phone: &str) -> Option<String> {
    use sea_orm::QueryOrder;
    crate::entity::outbox::Entity::find()
        .filter(crate::entity::outbox::Column::Recipient.eq(phone))
        .filter(crate::entity::outbox::Column::Kind.eq("otp"))
        .order_by_desc(crate::entity::outbox::Column::Id)
        .one(db)
        .await
        .expect("outbox query")
        .map(|m| m.body)
}

/// The phone on file for notices of the citizen with `iin`, if any.
pub async fn notice_phone_in(db: &DatabaseConnection, iin: &str) -> Option<String> {
    citizens::Entity::find()
        .filter(citizens::Column::Iin.eq(iin))
        .one(db)
        .await
        .expect("citizen query")
        .and_then(|c| c.phone)
}

/// The phones the `citizen_phones` table lists for `iin`, sorted.
pub async fn registered_phones_in(db: &DatabaseConnection, iin: &str) -> Vec<String> {
    let mut v = crate::service::phones::phones_of(db, iin)
        .await
        .expect("registry query");
    v.sort();
    v
}

/// Every staff username, sorted.
pub async fn staff_usernames_in(db: &DatabaseConnection) -> Vec<String> {
    let mut v: Vec<String> = crate::entity::staff::Entity::find()
        .all(db)
        .await
        .expect("staff query")
        .into_iter()
        .map(|s| s.username)
        .collect();
    v.sort();
    v
}

/// A staff account's (failed sign-ins in a row, waits until) by username.
pub async fn staff_failures_in(db: &DatabaseConnection, username: &str) -> (i32, i64) {
    let s = crate::entity::staff::Entity::find()
        .filter(crate::entity::staff::Column::Username.eq(username))
        .one(db)
        .await
        .expect("staff query")
        .expect("no such staff member");
    (s.failed_logins, s.locked_until)
}
