//! The notification outbox against a real database (SQLite, or PostgreSQL
//! when KEZEK_TEST_DATABASE_URL is set): a notification written with a
//! booking is delivered exactly once per channel even when a worker dies
//! mid-delivery; a failing gateway is retried with backoff and then marked
//! failed with its error; two workers never deliver one row twice; the
//! reminders are enqueued once. The clock is moved, never waited for.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use app::domain::ids::{BookingId, CenterId, CitizenId};
use app::domain::iin::Iin;
use app::i18n::Lang;
use app::server::entity::{citizens, outbox};
use app::server::service::booking::create::{BookInput, book};
use app::server::service::outbox::worker::Outcome;
use app::server::service::outbox::{
    self as ob, Gateway, GatewayError, GatewayFuture, OutboundMessage, OutboxSettings, Worker,
};
use chrono::Duration;
use common::{TestApp, center_id, default_now, iin_n};

/// A gateway that records every call and dedupes deliveries by the
/// idempotency key, like a provider honouring `Idempotency-Key`.
struct Recording {
    channel: &'static str,
    fail_with: Option<GatewayError>,
    calls: Mutex<Vec<i64>>,
    delivered: Mutex<HashSet<String>>,
}

impl Recording {
    fn new(channel: &'static str) -> Arc<Self> {
        Arc::new(Self {
            channel,
            fail_with: None,
            calls: Mutex::new(Vec::new()),
            delivered: Mutex::new(HashSet::new()),
        })
    }
    fn failing(channel: &'static str, e: GatewayError) -> Arc<Self> {
        Arc::new(Self {
            channel,
            fail_with: Some(e),
            calls: Mutex::new(Vec::new()),
            delivered: Mutex::new(HashSet::new()),
        })
    }
    fn calls(&self) -> Vec<i64> {
        self.calls.lock().unwrap().clone()
    }
    fn delivered(&self) -> usize {
        self.delivered.lock().unwrap().len()
    }
}

impl Gateway for Recording {
    fn channel(&self) -> &'static str {
        self.channel
    }
    fn send<'a>(&'a self, msg: &'a OutboundMessage) -> GatewayFuture<'a> {
        Box::pin(async move {
            self.calls.lock().unwrap().push(msg.id);
            if let Some(e) = &self.fail_with {
                return Err(e.clone());
            }
            self.delivered.lock().unwrap().insert(msg.idempotency_key());
            Ok(ob::Accepted::default())
        })
    }
}

fn settings() -> OutboxSettings {
    OutboxSettings {
        max_attempts: 3,
        backoff_base_secs: 30,
        backoff_max_secs: 3600,
        lease_secs: 120,
        batch: 5,
        idle_poll: std::time::Duration::from_millis(10),
    }
}

async fn citizen(app: &TestApp, n: u32, chat: Option<i64>) -> citizens::Model {
    let iin = iin_n(n);
    let chat = chat.map_or_else(|| "NULL".to_owned(), |c| c.to_string());
    kezek_core::testing::execute(
        &app.state.db,
        &format!(
            "INSERT INTO citizens (iin, phone, lang, telegram_chat_id, created_at) \
             VALUES ('{iin}', '+7701{n:07}', 'ru', {chat}, 0)"
        ),
    )
    .await;
    let id = kezek_core::testing::rows::<citizens::Entity>(&app.state.db)
        .await
        .into_iter()
        .find(|c| c.iin == iin)
        .unwrap()
        .id;
    kezek_core::testing::row::<citizens::Entity, _>(&app.state.db, id)
        .await
        .unwrap()
}

/// Books ID_CARD on Wednesday 10:00 for `c`; returns the booking id.
async fn book_wed(app: &TestApp, c: &citizens::Model) -> i64 {
    let center = center_id(app, "ast-psc-yesil").await;
    let b = book(
        &app.state,
        BookInput {
            citizen_id: CitizenId::new(c.id),
            iin: Iin::parse(&c.iin).unwrap(),
            center_id: CenterId::new(center),
            service: "ID_CARD".into(),
            start: "2026-12-02T10:00:00+05:00".into(),
            vehicle: None,
            idempotency_key: None,
        },
        Lang::Ru,
    )
    .await
    .unwrap();
    b.booking.id.parse().unwrap()
}

async fn rows_of(app: &TestApp, booking: i64) -> Vec<outbox::Model> {
    kezek_core::testing::rows::<outbox::Entity>(&app.state.db)
        .await
        .into_iter()
        .filter(|r| r.booking_id == Some(booking))
        .collect::<Vec<_>>()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn booking_notice_goes_to_each_channel_once_even_if_a_worker_dies() {
    let app = TestApp::spawn().await;
    let c = citizen(&app, 1, Some(555_000_001)).await;
    let booking = book_wed(&app, &c).await;
    // Written in the booking's transaction: one row per channel.
    let rows = rows_of(&app, booking).await;
    let mut channels: Vec<&str> = rows.iter().map(|r| r.channel.as_str()).collect();
    channels.sort();
    assert_eq!(channels, ["sms", "telegram"]);
    assert!(
        rows.iter()
            .all(|r| r.status == "pending" && r.kind == "booked")
    );
    let tg_row = rows.iter().find(|r| r.channel == "telegram").unwrap();
    assert_eq!(tg_row.recipient, "555000001");
    assert!(tg_row.body.contains("Бронь") || tg_row.body.contains("бронь"));

    let sms = Recording::new(ob::SMS);
    let tg = Recording::new(ob::TELEGRAM);
    let gws = || -> Vec<Arc<dyn Gateway>> { vec![sms.clone(), tg.clone()] };
    let a = Worker::new(&app.state, gws(), settings());
    let b = Worker::new(&app.state, gws(), settings());

    // Worker A claims both rows, hands the SMS to the gateway and dies
    // before recording it (and before touching the Telegram row).
    let claimed = a.claim().await.unwrap();
    assert_eq!(claimed.len(), 2);
    let sms_claim = claimed.iter().find(|c| c.message.channel == "sms").unwrap();
    a.send(sms_claim).await.unwrap();
    assert_eq!(sms.calls().len(), 1);

    // While A's lease holds, nobody else takes the rows.
    assert_eq!(b.run_once().await.unwrap(), 0);

    // After the lease, worker B (a restarted process) delivers both.
    app.clock
        .set(default_now() + Duration::seconds(settings().lease_secs + 1));
    assert_eq!(b.run_once().await.unwrap(), 2);
    let rows = rows_of(&app, booking).await;
    for r in &rows {
        assert_eq!(r.status, "sent", "{r:?}");
        assert_eq!(r.attempts, 2);
        assert!(r.claim_token.is_none() && r.claimed_until.is_none());
        assert!(r.sent_at.is_some());
    }
    // The SMS gateway was called twice with one key: delivered once.
    assert_eq!(sms.calls(), vec![sms_claim.message.id; 2]);
    assert_eq!(sms.delivered(), 1);
    assert_eq!(tg.calls().len(), 1);
    assert_eq!(tg.delivered(), 1);

    // A wakes up: its stale claim changes nothing.
    assert_eq!(
        a.finish(sms_claim, Ok(ob::Accepted::default()))
            .await
            .unwrap(),
        Outcome::LostClaim
    );
    // Nothing is due any more.
    app.clock.set(default_now() + Duration::hours(5));
    assert_eq!(a.run_once().await.unwrap(), 0);
    assert_eq!(b.run_once().await.unwrap(), 0);
    assert_eq!(sms.calls().len(), 2);
    assert_eq!(tg.calls().len(), 1);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_gateway_is_retried_with_backoff_then_marked_failed() {
    let app = TestApp::spawn().await;
    let c = citizen(&app, 2, None).await;
    let booking = book_wed(&app, &c).await;
    let sms = Recording::failing(ob::SMS, GatewayError::temporary("sms gateway: HTTP 503"));
    let w = Worker::new(&app.state, vec![sms.clone()], settings());
    let t0 = default_now();

    assert_eq!(w.run_once().await.unwrap(), 1);
    let r = &rows_of(&app, booking).await[0];
    assert_eq!((r.status.as_str(), r.attempts), ("pending", 1));
    assert_eq!(r.last_error.as_deref(), Some("sms gateway: HTTP 503"));
    assert_eq!(r.next_attempt_at, t0.timestamp() + 30);

    // Not due before the backoff has passed.
    app.clock.set(t0 + Duration::seconds(29));
    assert_eq!(w.run_once().await.unwrap(), 0);
    app.clock.set(t0 + Duration::seconds(30));
    assert_eq!(w.run_once().await.unwrap(), 1);
    let r = &rows_of(&app, booking).await[0];
    assert_eq!((r.status.as_str(), r.attempts), ("pending", 2));
    // Doubled: 60 s after the second try.
    assert_eq!(r.next_attempt_at, t0.timestamp() + 30 + 60);

    app.clock.set(t0 + Duration::seconds(89));
    assert_eq!(w.run_once().await.unwrap(), 0);
    app.clock.set(t0 + Duration::seconds(90));
    assert_eq!(w.run_once().await.unwrap(), 1);
    let r = &rows_of(&app, booking).await[0];
    assert_eq!((r.status.as_str(), r.attempts), ("failed", 3));
    assert_eq!(r.last_error.as_deref(), Some("sms gateway: HTTP 503"));
    assert!(r.sent_at.is_none());

    // A failed row is never tried again.
    app.clock.set(t0 + Duration::days(1));
    assert_eq!(w.run_once().await.unwrap(), 0);
    assert_eq!(sms.calls().len(), 3);

    // A permanent error fails at once.
    let c2 = citizen(&app, 3, None).await;
    let b2 = book_wed(&app, &c2).await;
    let perm = Recording::failing(ob::SMS, GatewayError::permanent("sms gateway: HTTP 400"));
    let w2 = Worker::new(&app.state, vec![perm.clone()], settings());
    assert_eq!(w2.run_once().await.unwrap(), 1);
    let r = &rows_of(&app, b2).await[0];
    assert_eq!((r.status.as_str(), r.attempts), ("failed", 1));
    assert_eq!(r.last_error.as_deref(), Some("sms gateway: HTTP 400"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_never_deliver_one_row_twice() {
    let app = TestApp::spawn().await;
    let mut expected = HashSet::new();
    for n in 0..40u32 {
        let c = citizen(&app, 100 + n, Some(700_000 + i64::from(n))).await;
        ob::enqueue_for_citizen(
            &app.state.db,
            &c,
            None,
            |l| app::i18n::notices::draw_unmatched(i64::from(n), l),
            default_now().timestamp(),
        )
        .await
        .unwrap();
    }
    for r in kezek_core::testing::rows::<outbox::Entity>(&app.state.db)
        .await
        .into_iter()
        .collect::<Vec<_>>()
    {
        expected.insert(r.id);
    }
    assert_eq!(expected.len(), 80);
    let sms = Recording::new(ob::SMS);
    let tg = Recording::new(ob::TELEGRAM);
    let mut tasks = Vec::new();
    for _ in 0..2 {
        let w = Worker::new(
            &app.state,
            vec![sms.clone() as Arc<dyn Gateway>, tg.clone()],
            settings(),
        );
        tasks.push(tokio::spawn(async move {
            let mut handled = 0;
            loop {
                let n = w.run_once().await.unwrap();
                if n == 0 {
                    break handled;
                }
                handled += n;
            }
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.unwrap();
    }
    assert_eq!(total, 80);
    let mut per_id: HashMap<i64, usize> = HashMap::new();
    for id in sms.calls().into_iter().chain(tg.calls()) {
        *per_id.entry(id).or_default() += 1;
    }
    assert_eq!(per_id.len(), 80);
    assert!(per_id.values().all(|&n| n == 1), "{per_id:?}");
    assert!(
        kezek_core::testing::rows::<outbox::Entity>(&app.state.db)
            .await
            .into_iter()
            .collect::<Vec<_>>()
            .iter()
            .all(|r| r.status == "sent" && r.attempts == 1)
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reminders_are_enqueued_once_per_booking_and_kind() {
    let app = TestApp::spawn().await;
    let c = citizen(&app, 4, Some(555_000_004)).await;
    // Booked Tuesday 09:00 for Wednesday 10:00 (25 h ahead).
    let booking = book_wed(&app, &c).await;
    let kinds = |rows: Vec<outbox::Model>| -> Vec<String> {
        rows.into_iter()
            .filter(|r| r.kind.starts_with("reminder"))
            .map(|r| format!("{}:{}", r.kind, r.channel))
            .collect()
    };
    assert_eq!(ob::reminders::enqueue_due(&app.state).await.unwrap(), 0);
    // Tuesday 10:00: 24 h before. Several runs (as from several processes).
    app.clock.set(default_now() + Duration::hours(1));
    let (x, y) = tokio::join!(
        ob::reminders::enqueue_due(&app.state),
        ob::reminders::enqueue_due(&app.state)
    );
    assert_eq!(x.unwrap() + y.unwrap(), 1);
    assert_eq!(ob::reminders::enqueue_due(&app.state).await.unwrap(), 0);
    let mut k = kinds(rows_of(&app, booking).await);
    k.sort();
    assert_eq!(k, ["reminder_24h:sms", "reminder_24h:telegram"]);
    let body = &rows_of(&app, booking)
        .await
        .into_iter()
        .find(|r| r.kind == "reminder_24h")
        .unwrap()
        .body;
    assert!(body.contains("02.12.2026 10:00"), "{body}");
    // Wednesday 08:00: the 2 h reminder, once.
    app.clock.set(default_now() + Duration::hours(23));
    assert_eq!(ob::reminders::enqueue_due(&app.state).await.unwrap(), 1);
    assert_eq!(ob::reminders::enqueue_due(&app.state).await.unwrap(), 0);
    let k = kinds(rows_of(&app, booking).await);
    assert_eq!(k.len(), 4);
    assert_eq!(k.iter().filter(|s| s.starts_with("reminder_2h")).count(), 2);
    app.stop().await;
}

/// Review L9: a change that does not move the booking (the desk's priority
/// mark) must not cost it its reminder. The job was not running at the
/// 24 h moment (Tuesday 10:00: a restart, say); at 10:30 the desk marks
/// the visitor; the pass at 10:31 still sends the 24 h reminder — the
/// booking got its start on Tuesday 09:00, before the moment.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_priority_mark_does_not_cost_the_reminder() {
    use app::server::service::desk::priority::set_priority;
    use app::server::service::staff::roles::{StaffActor, StaffRole};
    let app = TestApp::spawn().await;
    let c = citizen(&app, 6, None).await;
    let booking = book_wed(&app, &c).await;
    let center = center_id(&app, "ast-psc-yesil").await;
    let admin = StaffActor {
        id: common::staff_id(&app, "ast-psc-yesil-admin").await,
        role: StaffRole::CenterAdmin,
        center_id: Some(CenterId::new(center)),
        window_id: None,
    };
    app.clock.set(default_now() + Duration::minutes(90));
    set_priority(&app.state, &admin, BookingId::new(booking), true, Lang::En)
        .await
        .unwrap();
    app.clock.set(default_now() + Duration::minutes(91));
    assert_eq!(ob::reminders::enqueue_due(&app.state).await.unwrap(), 1);
    let kinds: Vec<String> = rows_of(&app, booking)
        .await
        .into_iter()
        .map(|r| r.kind)
        .filter(|k| k.starts_with("reminder"))
        .collect();
    assert_eq!(kinds, ["reminder_24h"]);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_gateways_mark_sent_and_the_dev_outbox_still_lists_them() {
    let app = TestApp::spawn().await;
    let c = citizen(&app, 5, None).await;
    let booking = book_wed(&app, &c).await;
    let w = Worker::new(
        &app.state,
        server::gateways(&app.state).unwrap(),
        settings(),
    );
    assert_eq!(w.run_once().await.unwrap(), 1);
    assert_eq!(rows_of(&app, booking).await[0].status, "sent");
    let (st, list) = app
        .get_json(
            &format!("/api/v1/dev/outbox?to={}", c.phone.clone().unwrap()),
            "ru",
        )
        .await;
    assert_eq!(st, 200);
    assert!(list[0]["body"].as_str().unwrap().contains("Kezek"));
    app.stop().await;
}

/// A gateway that takes `step` seconds of the app clock per message (the
/// clock is moved, never waited for), one message at a time: otherwise
/// the other worker's calls would move the shared clock during this one,
/// and a single call could "last" longer than the whole lease, which no
/// renewal can cover (docs/NOTIFICATIONS.md).
struct Slow {
    inner: Arc<Recording>,
    clock: app::server::clock::FixedClock,
    step: i64,
    one_at_a_time: tokio::sync::Mutex<()>,
}

impl Gateway for Slow {
    fn channel(&self) -> &'static str {
        self.inner.channel
    }
    fn send<'a>(&'a self, msg: &'a OutboundMessage) -> GatewayFuture<'a> {
        Box::pin(async move {
            use app::server::clock::Clock;
            let _one = self.one_at_a_time.lock().await;
            self.clock
                .set(self.clock.now() + Duration::seconds(self.step));
            tokio::task::yield_now().await;
            self.inner.send(msg).await
        })
    }
}

/// Review M3: with a slow gateway a batch outlives its lease; the worker
/// renews it, so a second worker never sends a row the first still holds.
///
/// One runtime thread: the two workers still interleave at every database
/// call, but a worker's lease check and its place in the gateway's queue
/// are not split by the OS. On several threads a worker descheduled right
/// after its check let the other one send several messages meanwhile:
/// this test's clock moves with every message, so its lease ran out in a
/// pause of a millisecond (a flake seen on a loaded 2-core machine).
#[tokio::test]
async fn a_slow_gateway_never_makes_two_workers_send_a_row_twice() {
    let app = TestApp::spawn().await;
    for n in 0..30u32 {
        let c = citizen(&app, 200 + n, None).await;
        ob::enqueue_for_citizen(
            &app.state.db,
            &c,
            None,
            |l| app::i18n::notices::draw_unmatched(i64::from(n), l),
            default_now().timestamp(),
        )
        .await
        .unwrap();
    }
    let sms = Recording::new(ob::SMS);
    let slow = Arc::new(Slow {
        inner: sms.clone(),
        clock: app.clock.clone(),
        // A batch of ten outlasts a 120 s lease by far: it runs out after
        // six messages of the two workers.
        step: 20,
        one_at_a_time: tokio::sync::Mutex::new(()),
    });
    let mut tasks = Vec::new();
    // One worker holds a batch of ten through many sends while the other
    // claims a row at a time: without the renewal, the second claims the
    // first one's rows as soon as their lease runs out.
    for batch in [10, 1] {
        let w = Worker::new(
            &app.state,
            vec![slow.clone() as Arc<dyn Gateway>],
            OutboxSettings {
                batch,
                ..settings()
            },
        );
        let sms = sms.clone();
        tasks.push(tokio::spawn(async move {
            // Until every row is sent: a claim comes back empty while the
            // other worker holds the rest (on PostgreSQL the two first
            // claims race for the same rows, and one of them gets none).
            for _ in 0..10_000 {
                if w.run_once().await.unwrap() == 0 {
                    let sent: std::collections::HashSet<i64> = sms.calls().into_iter().collect();
                    if sent.len() == 30 {
                        break;
                    }
                    tokio::task::yield_now().await;
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let mut per_id: HashMap<i64, usize> = HashMap::new();
    for id in sms.calls() {
        *per_id.entry(id).or_default() += 1;
    }
    assert_eq!(per_id.len(), 30);
    assert!(per_id.values().all(|&n| n == 1), "{per_id:?}");
    app.stop().await;
}

/// Review M3: a reminder written before the booking was cancelled is not
/// sent; sign-in codes are claimed before a backlog of notices.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_reminder_after_a_cancellation_and_codes_go_first() {
    use app::server::service::booking::cancel::{Canceller, cancel};
    let app = TestApp::spawn().await;
    let c = citizen(&app, 9, None).await;
    let booking = book_wed(&app, &c).await;
    app.clock.set(default_now() + Duration::hours(1));
    assert_eq!(ob::reminders::enqueue_due(&app.state).await.unwrap(), 1);
    cancel(
        &app.state,
        BookingId::new(booking),
        Canceller::Citizen(CitizenId::new(c.id)),
        Lang::Ru,
    )
    .await
    .unwrap();
    // A backlog of notices, then a sign-in code.
    for n in 0..12u32 {
        let other = citizen(&app, 300 + n, None).await;
        ob::enqueue_for_citizen(
            &app.state.db,
            &other,
            None,
            |l| app::i18n::notices::draw_unmatched(i64::from(n), l),
            default_now().timestamp(),
        )
        .await
        .unwrap();
    }
    app.register_phone(&iin_n(9), "+77010000009").await;
    let sent = app::server::service::auth::request_otp::request_otp(
        &app.state,
        &iin_n(9),
        "+77010000009",
        Lang::Ru,
    )
    .await
    .unwrap();
    assert!(!sent.challenge_id.is_empty());
    let sms = Recording::new(ob::SMS);
    let w = Worker::new(
        &app.state,
        vec![sms.clone() as Arc<dyn Gateway>],
        settings(),
    );
    // The first batch starts with the code.
    let first = w.claim().await.unwrap();
    assert_eq!(first[0].message.kind, "otp");
    drop(first);
    app.clock.set(default_now() + Duration::hours(2));
    while w.run_once().await.unwrap() > 0 {}
    let reminders: Vec<outbox::Model> = rows_of(&app, booking)
        .await
        .into_iter()
        .filter(|r| r.kind.starts_with("reminder"))
        .collect();
    assert!(!reminders.is_empty());
    assert!(
        reminders.iter().all(|r| r.status == "skipped"),
        "{reminders:?}"
    );
    assert!(
        sms.calls()
            .iter()
            .all(|id| reminders.iter().all(|r| r.id != *id))
    );
    app.stop().await;
}

/// Review M3: a gateway that refuses our credentials (401/403/404) pauses
/// its channel; no message is failed for it, and none is lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_refusing_our_credentials_pauses_the_channel() {
    let app = TestApp::spawn().await;
    for n in 0..3u32 {
        let c = citizen(&app, 400 + n, None).await;
        ob::enqueue_for_citizen(
            &app.state.db,
            &c,
            None,
            |l| app::i18n::notices::draw_unmatched(i64::from(n), l),
            default_now().timestamp(),
        )
        .await
        .unwrap();
    }
    let refusing = Recording::failing(ob::SMS, GatewayError::config("sms gateway: HTTP 401"));
    let w = Worker::new(
        &app.state,
        vec![refusing.clone() as Arc<dyn Gateway>],
        settings(),
    );
    assert_eq!(w.run_once().await.unwrap(), 3);
    // One call reached the gateway; the channel paused; every row waits.
    assert_eq!(refusing.calls().len(), 1);
    let rows = kezek_core::testing::rows::<outbox::Entity>(&app.state.db)
        .await
        .into_iter()
        .collect::<Vec<_>>();
    assert!(
        rows.iter()
            .all(|r| r.status == "pending" && r.attempts == 0),
        "{rows:?}"
    );
    assert_eq!(w.run_once().await.unwrap(), 0, "paused");
    // After the pause the channel is tried again (still refusing here).
    app.clock.set(default_now() + Duration::seconds(301));
    assert_eq!(w.run_once().await.unwrap(), 3);
    assert_eq!(refusing.calls().len(), 2);
    let rows = kezek_core::testing::rows::<outbox::Entity>(&app.state.db)
        .await
        .into_iter()
        .collect::<Vec<_>>();
    assert!(rows.iter().all(|r| r.status == "pending"), "{rows:?}");
    // The health report counts them.
    let h = app::server::service::health::report(&app.state)
        .await
        .unwrap();
    assert_eq!((h.outbox_pending, h.outbox_failed), (3, 0));
    app.stop().await;
}

/// Failed notifications are listed for the administrator and can be
/// queued again; `/healthz/detail` shows the backlog.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_notifications_can_be_queued_again() {
    let app = TestApp::spawn().await;
    let c = citizen(&app, 410, None).await;
    ob::enqueue_for_citizen(
        &app.state.db,
        &c,
        None,
        |l| app::i18n::notices::draw_unmatched(1, l),
        0,
    )
    .await
    .unwrap();
    let broken = Recording::failing(ob::SMS, GatewayError::permanent("sms gateway: HTTP 400"));
    let w = Worker::new(&app.state, vec![broken as Arc<dyn Gateway>], settings());
    assert_eq!(w.run_once().await.unwrap(), 1);
    let detail: serde_json::Value = common::client()
        .get(app.url("/healthz/detail"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(detail["database"], "ok");
    assert_eq!(detail["outbox"]["failed"], 1);
    assert_eq!(detail["outbox"]["pending"], 0);
    let admin = app.staff_token("admin", "test-admin-pw").await;
    let r = common::client()
        .post(app.url("/sfn/admin_outbox_requeue"))
        .header("accept", "application/json")
        .header("cookie", format!("kezek_session={admin}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap(),
        serde_json::json!(1)
    );
    let row = kezek_core::testing::rows::<outbox::Entity>(&app.state.db)
        .await
        .into_iter()
        .next()
        .unwrap();
    assert_eq!((row.status.as_str(), row.attempts), ("pending", 0));
    // Operators only.
    let operator = app.staff_token("ast-psc-yesil-op1", "kezek-demo").await;
    let r = common::client()
        .post(app.url("/sfn/admin_outbox_requeue"))
        .header("accept", "application/json")
        .header("cookie", format!("kezek_session={operator}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    app.stop().await;
}
