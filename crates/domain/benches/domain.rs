//! Criterion benchmarks of the pure domain: a full new-booking rule check,
//! IIN parsing, and a month's slot grid for one center.
//! Targets (issue 3): rule check < 2 µs, month grid < 100 µs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use criterion::{Criterion, criterion_group, criterion_main};
use kezek_domain::calendar::{NationalCalendar, WeeklyHours, local_to_utc, opening_intervals};
use kezek_domain::capacity::{DaySchedule, WindowDay, free_starts};
use kezek_domain::catalog::{CenterKind, ServiceGroup, ServiceInfo};
use kezek_domain::ids::{BookingCode, BookingId, ServiceCode, WindowId};
use kezek_domain::iin::Iin;
use kezek_domain::lifecycle::BookingStatus;
use kezek_domain::policy::Policy;
use kezek_domain::rules::{BookingFacts, NewBookingRequest, check_new_booking};

const TZ: chrono_tz::Tz = chrono_tz::Asia::Almaty;

fn code(s: &str) -> ServiceCode {
    ServiceCode::parse(s).unwrap()
}

fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(h, min, 0)
        .unwrap()
}

fn bench_rules(c: &mut Criterion) {
    let now_local = local(2026, 12, 1, 10, 0);
    let now = local_to_utc(TZ, now_local).unwrap();
    let services = ["ID_CARD", "BIRTH_REG", "VEH_REG", "PASSPORT", "DL_ISSUE"];
    // Ten past bookings of mixed kinds and groups, none blocking, so every
    // rule runs to the end.
    let existing: Vec<BookingFacts> = (0..10)
        .map(|i| {
            let start = now_local - Duration::days(12 + i);
            let (kind, group) = match i % 3 {
                0 => (CenterKind::Psc, ServiceGroup::Documentation),
                1 => (CenterKind::Psc, ServiceGroup::Other),
                _ => (CenterKind::AutoPsc, ServiceGroup::Other),
            };
            BookingFacts {
                id: BookingId::new(i),
                code: BookingCode::from_random_bytes(&[i as u8; 8]),
                center_kind: kind,
                group,
                service: code(services[i as usize % 5]),
                status: BookingStatus::Served,
                start_local: start,
                start_utc: local_to_utc(TZ, start).unwrap(),
                created_at: now - Duration::days(20 + i),
                cancelled_by: None,
                reschedule_count: 0,
                vehicle: None,
            }
        })
        .collect();
    let req = NewBookingRequest {
        iin: Iin::parse("710313311868").unwrap(),
        service: ServiceInfo {
            code: code("ID_CARD"),
            kind: CenterKind::Psc,
            group: ServiceGroup::Documentation,
            online_available: false,
            requires_vehicle: false,
            duration_min: 15,
        },
        center_kind: CenterKind::Psc,
        center_tz: TZ,
        start_local: local(2026, 12, 3, 11, 0),
        vehicle: None,
    };
    let policy = Policy::default();
    assert_eq!(
        check_new_booking(&req, &existing, None, &policy, now),
        Ok(())
    );
    c.bench_function("check_new_booking/10_existing", |b| {
        b.iter(|| check_new_booking(black_box(&req), black_box(&existing), None, &policy, now))
    });
}

fn bench_iin(c: &mut Criterion) {
    c.bench_function("iin_parse", |b| {
        b.iter(|| Iin::parse(black_box(" 710313311868 ")))
    });
}

struct Month {
    days: Vec<DaySchedule>,
}

fn month() -> Month {
    let hm = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    let national = NationalCalendar::generate(2026, &[]);
    let weekly = WeeklyHours::typical_psc(); // 09:00–18:00
    let all = [
        "ID_CARD",
        "PASSPORT",
        "BIRTH_REG",
        "MARRIAGE_REG",
        "REAL_ESTATE_REG",
        "APOSTILLE",
    ];
    let windows: Vec<WindowDay> = (0..10)
        .map(|i| WindowDay {
            id: WindowId::new(i + 1),
            // Windows serve 2–6 services; 7 of 10 serve ID_CARD.
            services: all
                .iter()
                .cycle()
                .skip(i as usize % 3)
                .take(2 + i as usize % 5)
                .map(|s| code(s))
                .collect(),
            intervals: if i == 9 {
                Some(vec![(hm(10, 0), hm(16, 0))])
            } else {
                None
            },
        })
        .collect();
    let first = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let days = (0..30)
        .map(|d| {
            let date = first + Duration::days(d);
            let open = opening_intervals(&weekly, &[], &national, date);
            // About a third of the window-slots are held.
            let held = (0..120)
                .map(|k| {
                    (
                        WindowId::new(k % 10 + 1),
                        date.and_time(hm(9, 0)) + Duration::minutes(15 * (k * 7 % 36)),
                    )
                })
                .collect();
            DaySchedule {
                date,
                slot_min: 15,
                open,
                breaks: vec![(hm(13, 0), hm(14, 0))],
                windows: windows.clone(),
                held,
                cap: Some(8),
            }
        })
        .collect();
    Month { days }
}

fn bench_grid(c: &mut Criterion) {
    let m = month();
    let bounds = Policy::default().bounds(local(2026, 11, 30, 8, 0));
    let id_card = code("ID_CARD");
    let real_estate = code("REAL_ESTATE_REG");
    let offered: usize = m
        .days
        .iter()
        .map(|d| free_starts(d, &id_card, 15, &bounds).len())
        .sum();
    assert!(offered > 500, "{offered}");
    c.bench_function("free_starts/month_10_windows_15min", |b| {
        b.iter(|| {
            let mut n = 0;
            for d in &m.days {
                n += free_starts(black_box(d), &id_card, 15, &bounds).len();
            }
            n
        })
    });
    c.bench_function("free_starts/month_10_windows_30min_service", |b| {
        b.iter(|| {
            let mut n = 0;
            for d in &m.days {
                n += free_starts(black_box(d), &real_estate, 30, &bounds).len();
            }
            n
        })
    });
}

criterion_group!(benches, bench_rules, bench_iin, bench_grid);
criterion_main!(benches);
