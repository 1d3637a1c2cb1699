//! One test per refusal code, each triggering the code through the public
//! rule, capacity, lifecycle or parser functions; and a check that the
//! triggers cover `Refusal::ALL_CODES`.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use chrono_tz::Tz;

use super::*;
use crate::calendar::{NationalCalendar, WeeklyHours, local_to_utc, opening_intervals};
use crate::capacity::{DaySchedule, WindowDay, choose_window};
use crate::ids::WindowId;
use crate::lifecycle::{Event, Timing, apply};
use crate::vehicle::{Plate, RegistryRecord, VehicleKey};

const TZ: Tz = chrono_tz::Asia::Almaty;

fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(h, min, 0))
        .unwrap_or_default()
}

fn utc(l: NaiveDateTime) -> DateTime<Utc> {
    local_to_utc(TZ, l).unwrap_or_default()
}

/// Tuesday 1 December 2026, 10:00 in Almaty.
fn now() -> DateTime<Utc> {
    utc(local(2026, 12, 1, 10, 0))
}

/// Thursday 3 December 2026 at `h:m`.
fn dec3(h: u32, m: u32) -> NaiveDateTime {
    local(2026, 12, 3, h, m)
}

fn code(s: &str) -> ServiceCode {
    ServiceCode::parse(s).unwrap_or_else(|_| panic!("{s}"))
}

fn service(c: &str) -> ServiceInfo {
    use CenterKind::*;
    use ServiceGroup::*;
    let (kind, group, online, vehicle, dur) = match c {
        "ID_CARD" | "PASSPORT" => (Psc, Documentation, false, false, 15),
        "BIRTH_REG" => (Psc, Other, false, false, 15),
        "REAL_ESTATE_REG" => (Psc, Other, false, false, 30),
        "ADDRESS_REG" => (Psc, Other, true, false, 15),
        "VEH_REG" => (AutoPsc, Other, false, false, 30),
        "VEH_REREG" => (AutoPsc, Other, false, true, 30),
        other => panic!("unknown {other}"),
    };
    ServiceInfo {
        code: code(c),
        kind,
        group,
        online_available: online,
        requires_vehicle: vehicle,
        duration_min: dur,
    }
}

fn iin() -> Iin {
    Iin::parse("710313311868").unwrap_or_else(|e| panic!("{e}"))
}

fn other_iin() -> Iin {
    Iin::parse("980212383137").unwrap_or_else(|e| panic!("{e}"))
}

fn existing(id: i64, svc: &str, start: NaiveDateTime, created_days_ago: i64) -> BookingFacts {
    let s = service(svc);
    BookingFacts {
        id: BookingId::new(id),
        code: BookingCode::from_random_bytes(&[id as u8, 1, 2, 3, 4, 5, 6, 7]),
        center_kind: s.kind,
        group: s.group,
        service: s.code,
        status: BookingStatus::Booked,
        start_local: start,
        start_utc: utc(start),
        created_at: now() - Duration::days(created_days_ago),
        cancelled_by: None,
        reschedule_count: 0,
        vehicle: None,
    }
}

fn request(svc: &str, start: NaiveDateTime) -> NewBookingRequest {
    let s = service(svc);
    NewBookingRequest {
        iin: iin(),
        center_kind: s.kind,
        service: s,
        center_tz: TZ,
        start_local: start,
        vehicle: None,
    }
}

fn new_booking(req: &NewBookingRequest, ex: &[BookingFacts]) -> Result<(), Refusal> {
    check_new_booking(req, ex, None, &Policy::default(), now())
}

fn refused(r: Result<(), Refusal>) -> Refusal {
    match r {
        Err(e) => e,
        Ok(()) => panic!("expected a refusal"),
    }
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

fn day(date: NaiveDate) -> DaySchedule {
    let national = NationalCalendar::generate(2026, &[]);
    DaySchedule {
        date,
        slot_min: 15,
        open: opening_intervals(&WeeklyHours::typical_psc(), &[], &national, date),
        breaks: vec![],
        windows: vec![WindowDay {
            id: WindowId::new(1),
            services: vec![code("ID_CARD")],
            intervals: None,
        }],
        held: vec![],
        cap: None,
    }
}

fn choose(d: &DaySchedule, svc: &str, start: NaiveDateTime) -> Result<(), Refusal> {
    let bounds = Policy::default().bounds(local(2026, 12, 1, 10, 0));
    choose_window(d, &code(svc), 15, start, &bounds).map(|_| ())
}

fn rereg(vehicle: Option<&str>, facts: &VehicleFacts) -> Result<(), Refusal> {
    let mut req = request("VEH_REREG", dec3(11, 0));
    req.vehicle = vehicle.map(|v| VehicleRef::parse(v).unwrap_or_else(|e| panic!("{e}")));
    check_new_booking(&req, &[], Some(facts), &Policy::default(), now())
}

fn registry(owner: Iin, active: &[i64]) -> VehicleFacts {
    VehicleFacts {
        record: Some(RegistryRecord {
            key: VehicleKey {
                plate: Plate::parse("123ABC02").ok(),
                vin: None,
            },
            owner_iin: owner,
        }),
        active_bookings: active.iter().map(|&i| BookingId::new(i)).collect(),
    }
}

// ---- one trigger per code -------------------------------------------------

fn t_slot_full() -> Refusal {
    let mut d = day(dec3(0, 0).date());
    d.held.push((WindowId::new(1), dec3(11, 0)));
    refused(choose(&d, "ID_CARD", dec3(11, 0)))
}

fn t_one_active_booking() -> Refusal {
    let ex = [existing(5, "ID_CARD", dec3(9, 0), 12)];
    refused(new_booking(
        &request("PASSPORT", local(2026, 12, 4, 9, 0)),
        &ex,
    ))
}

fn t_ten_day_rule() -> Refusal {
    let mut b = existing(5, "ID_CARD", dec3(9, 0), 2);
    b.status = BookingStatus::Cancelled;
    b.cancelled_by = Some(CancelledBy::Citizen);
    refused(new_booking(
        &request("PASSPORT", local(2026, 12, 4, 9, 0)),
        &[b],
    ))
}

fn t_two_per_day() -> Refusal {
    // Group split off: R3/R4 per kind, R5 only the limit.
    let policy = Policy {
        one_per_group_per_day: false,
        ..Policy::default()
    };
    let mut a = existing(5, "ID_CARD", local(2026, 12, 1, 9, 0), 12);
    a.status = BookingStatus::Served;
    let mut b = existing(6, "VEH_REG", local(2026, 12, 1, 9, 30), 12);
    b.status = BookingStatus::InService;
    let req = request("BIRTH_REG", local(2026, 12, 1, 15, 0));
    refused(check_new_booking(&req, &[a, b], None, &policy, now()))
}

fn t_same_group_same_day() -> Refusal {
    let ex = [existing(5, "VEH_REG", dec3(9, 0), 12)];
    refused(new_booking(&request("BIRTH_REG", dec3(15, 0)), &ex))
}

fn t_not_vehicle_owner() -> Refusal {
    refused(rereg(Some("123 ABC 02"), &registry(other_iin(), &[])))
}

fn t_vehicle_already_booked() -> Refusal {
    refused(rereg(Some("123ABC02"), &registry(iin(), &[77])))
}

fn t_vehicle_not_found() -> Refusal {
    refused(rereg(Some("999ZZZ01"), &VehicleFacts::default()))
}

fn t_vehicle_required() -> Refusal {
    refused(rereg(None, &registry(iin(), &[])))
}

fn t_invalid_vehicle() -> Refusal {
    refused(VehicleRef::parse("ЖЖЖ").map(|_| ()).map_err(Refusal::from))
}

fn t_service_online() -> Refusal {
    refused(new_booking(&request("ADDRESS_REG", dec3(11, 0)), &[]))
}

fn t_too_late() -> Refusal {
    refused(new_booking(
        &request("ID_CARD", local(2026, 12, 1, 10, 30)),
        &[],
    ))
}

fn t_too_early() -> Refusal {
    let t = Timing {
        now: local(2026, 12, 3, 8, 0),
        start: dec3(11, 0),
        day_opening: Some(hm(9, 0)),
        grace_min: 15,
    };
    match apply(BookingStatus::Booked, &Event::CheckIn, &t) {
        Err(r) => r,
        Ok(s) => panic!("checked in: {s:?}"),
    }
}

fn t_outside_horizon() -> Refusal {
    refused(new_booking(
        &request("ID_CARD", local(2027, 1, 4, 10, 0)),
        &[],
    ))
}

fn t_reschedule_limit() -> Refusal {
    let mut b = existing(5, "ID_CARD", dec3(9, 0), 12);
    b.reschedule_count = 3;
    let req = RescheduleRequest {
        service: b.service.clone(),
        center_kind: b.center_kind,
        center_tz: TZ,
        new_start_local: dec3(10, 0),
        booking: b,
    };
    refused(check_reschedule(&req, &[], &Policy::default(), now()))
}

fn t_invalid_iin() -> Refusal {
    refused(
        Iin::parse("710313311869")
            .map(|_| ())
            .map_err(Refusal::from),
    )
}

fn t_outside_hours() -> Refusal {
    refused(choose(&day(dec3(0, 0).date()), "ID_CARD", dec3(18, 0)))
}

fn t_center_closed() -> Refusal {
    // 16 December 2026, Independence Day.
    let date = local(2026, 12, 16, 0, 0).date();
    refused(choose(&day(date), "ID_CARD", local(2026, 12, 16, 10, 0)))
}

fn t_wrong_center_kind() -> Refusal {
    let mut req = request("ID_CARD", dec3(11, 0));
    req.center_kind = CenterKind::AutoPsc;
    refused(new_booking(&req, &[]))
}

fn t_service_not_offered() -> Refusal {
    refused(choose(&day(dec3(0, 0).date()), "PASSPORT", dec3(11, 0)))
}

fn t_different_service() -> Refusal {
    let b = existing(5, "ID_CARD", dec3(9, 0), 12);
    let req = RescheduleRequest {
        service: code("PASSPORT"),
        center_kind: b.center_kind,
        center_tz: TZ,
        new_start_local: dec3(10, 0),
        booking: b,
    };
    refused(check_reschedule(&req, &[], &Policy::default(), now()))
}

fn t_illegal_transition() -> Refusal {
    let mut b = existing(5, "ID_CARD", dec3(9, 0), 12);
    b.status = BookingStatus::Served;
    refused(check_cancel(
        &b,
        CancelledBy::Citizen,
        &Policy::default(),
        now(),
    ))
}

type Trigger = fn() -> Refusal;

const TRIGGERS: &[(&str, Trigger)] = &[
    ("slot_full", t_slot_full),
    ("one_active_booking", t_one_active_booking),
    ("ten_day_rule", t_ten_day_rule),
    ("two_per_day", t_two_per_day),
    ("same_group_same_day", t_same_group_same_day),
    ("not_vehicle_owner", t_not_vehicle_owner),
    ("vehicle_already_booked", t_vehicle_already_booked),
    ("vehicle_not_found", t_vehicle_not_found),
    ("vehicle_required", t_vehicle_required),
    ("invalid_vehicle", t_invalid_vehicle),
    ("service_online", t_service_online),
    ("too_late", t_too_late),
    ("too_early", t_too_early),
    ("outside_horizon", t_outside_horizon),
    ("reschedule_limit", t_reschedule_limit),
    ("invalid_iin", t_invalid_iin),
    ("outside_hours", t_outside_hours),
    ("center_closed", t_center_closed),
    ("wrong_center_kind", t_wrong_center_kind),
    ("service_not_offered", t_service_not_offered),
    ("different_service", t_different_service),
    ("illegal_transition", t_illegal_transition),
];

#[test]
fn triggers_cover_all_codes() {
    let names: Vec<&str> = TRIGGERS.iter().map(|(c, _)| *c).collect();
    let pure: Vec<&str> = Refusal::ALL_CODES
        .iter()
        .copied()
        .filter(|c| !Refusal::STORED_STATE_CODES.contains(c))
        .collect();
    assert_eq!(names, pure);
}

macro_rules! code_tests {
    ($($name:ident => $trigger:ident, $code:literal;)*) => {$(
        #[test]
        fn $name() {
            assert_eq!($trigger().code(), $code);
        }
    )*};
}

code_tests! {
    code_slot_full => t_slot_full, "slot_full";
    code_one_active_booking => t_one_active_booking, "one_active_booking";
    code_ten_day_rule => t_ten_day_rule, "ten_day_rule";
    code_two_per_day => t_two_per_day, "two_per_day";
    code_same_group_same_day => t_same_group_same_day, "same_group_same_day";
    code_not_vehicle_owner => t_not_vehicle_owner, "not_vehicle_owner";
    code_vehicle_already_booked => t_vehicle_already_booked, "vehicle_already_booked";
    code_vehicle_not_found => t_vehicle_not_found, "vehicle_not_found";
    code_vehicle_required => t_vehicle_required, "vehicle_required";
    code_invalid_vehicle => t_invalid_vehicle, "invalid_vehicle";
    code_service_online => t_service_online, "service_online";
    code_too_late => t_too_late, "too_late";
    code_too_early => t_too_early, "too_early";
    code_outside_horizon => t_outside_horizon, "outside_horizon";
    code_reschedule_limit => t_reschedule_limit, "reschedule_limit";
    code_invalid_iin => t_invalid_iin, "invalid_iin";
    code_outside_hours => t_outside_hours, "outside_hours";
    code_center_closed => t_center_closed, "center_closed";
    code_wrong_center_kind => t_wrong_center_kind, "wrong_center_kind";
    code_service_not_offered => t_service_not_offered, "service_not_offered";
    code_different_service => t_different_service, "different_service";
    code_illegal_transition => t_illegal_transition, "illegal_transition";
}

// ---- parameters and the edges of each rule -----------------------------

#[test]
fn one_active_names_the_booking() {
    let ex = [existing(5, "ID_CARD", dec3(9, 0), 12)];
    let r = t_one_active_booking();
    assert_eq!(
        r,
        Refusal::OneActiveBooking {
            booking: ex[0].id,
            booking_code: ex[0].code,
            start: dec3(9, 0)
        }
    );
    // Another kind or another group is fine (R3 per kind and group).
    assert_eq!(
        new_booking(&request("BIRTH_REG", local(2026, 12, 4, 9, 0)), &ex),
        Ok(())
    );
}

#[test]
fn ten_day_rule_counts_and_exemptions() {
    let r = t_ten_day_rule();
    assert_eq!(
        r,
        Refusal::TenDayRule {
            window_days: 10,
            created: local(2026, 11, 29, 10, 0),
            next_possible: local(2026, 12, 9, 10, 0),
        }
    );
    let req = request("PASSPORT", local(2026, 12, 4, 9, 0));
    // Cancelled by the center: does not count.
    let mut b = existing(5, "ID_CARD", dec3(9, 0), 2);
    b.status = BookingStatus::Cancelled;
    b.cancelled_by = Some(CancelledBy::Center);
    assert_eq!(new_booking(&req, &[b.clone()]), Ok(()));
    // Created exactly 10 days ago: the window has passed.
    b.cancelled_by = Some(CancelledBy::Citizen);
    b.created_at = now() - Duration::days(10);
    assert_eq!(new_booking(&req, &[b.clone()]), Ok(()));
    b.created_at += Duration::seconds(1);
    assert!(new_booking(&req, &[b.clone()]).is_err());
    // The other kind counts separately.
    assert_eq!(
        new_booking(&request("VEH_REG", local(2026, 12, 4, 9, 0)), &[b]),
        Ok(())
    );
}

#[test]
fn reschedule_allowed_then_limited() {
    let b = existing(5, "ID_CARD", dec3(9, 0), 2);
    let mut req = RescheduleRequest {
        service: b.service.clone(),
        center_kind: b.center_kind,
        center_tz: TZ,
        new_start_local: dec3(10, 0),
        booking: b.clone(),
    };
    // R3 and R4 do not apply to the booking itself; R5 excludes it.
    assert_eq!(
        check_reschedule(&req, std::slice::from_ref(&b), &Policy::default(), now()),
        Ok(())
    );
    // Cut-off: at the start it is too late.
    let at_start = utc(dec3(9, 0));
    assert_eq!(
        check_reschedule(&req, &[], &Policy::default(), at_start),
        Err(Refusal::TooLate { minutes: 0 })
    );
    // Another kind of center.
    req.center_kind = CenterKind::AutoPsc;
    assert_eq!(
        check_reschedule(&req, &[], &Policy::default(), now()),
        Err(Refusal::WrongCenterKind {
            expected: CenterKind::Psc
        })
    );
}

#[test]
fn cancel_cutoffs() {
    let b = existing(5, "ID_CARD", dec3(9, 0), 2);
    let p = Policy::default();
    assert_eq!(check_cancel(&b, CancelledBy::Citizen, &p, now()), Ok(()));
    let late = utc(dec3(9, 0));
    assert_eq!(
        check_cancel(&b, CancelledBy::Citizen, &p, late),
        Err(Refusal::TooLate { minutes: 0 })
    );
    assert_eq!(check_cancel(&b, CancelledBy::Center, &p, late), Ok(()));
}

#[test]
fn vehicle_rules() {
    assert_eq!(rereg(Some("123ABC02"), &registry(iin(), &[])), Ok(()));
    // A booking can exclude itself from the active ones.
    let facts = registry(iin(), &[5]);
    let s = service("VEH_REREG");
    assert_eq!(
        r6_vehicle::check_registry(&iin(), &s, Some(&facts), Some(BookingId::new(5))),
        Ok(())
    );
    // Services without a vehicle ignore it.
    assert_eq!(
        r6_vehicle::check_registry(&iin(), &service("VEH_REG"), None, None),
        Ok(())
    );
}

#[test]
fn horizon_edges() {
    // Today + 30 = 31 December 2026 is bookable, 1 January 2027 is not.
    assert_eq!(
        new_booking(&request("ID_CARD", local(2026, 12, 31, 9, 0)), &[]),
        Ok(())
    );
    assert_eq!(
        new_booking(&request("ID_CARD", local(2027, 1, 1, 9, 0)), &[]),
        Err(Refusal::OutsideHorizon {
            last_date: local(2026, 12, 31, 0, 0).date()
        })
    );
    // Exactly the minimum notice is fine.
    assert_eq!(
        new_booking(&request("ID_CARD", local(2026, 12, 1, 11, 0)), &[]),
        Ok(())
    );
    assert_eq!(
        new_booking(&request("ID_CARD", local(2026, 12, 1, 10, 59)), &[]),
        Err(Refusal::TooLate { minutes: 60 })
    );
}

#[test]
fn cap_rule() {
    assert_eq!(r9_cap::check(1, 3, None), Ok(()));
    assert_eq!(r9_cap::check(3, 3, None), Err(Refusal::SlotFull));
    assert_eq!(r9_cap::check(1, 3, Some(1)), Err(Refusal::SlotFull));
    assert_eq!(r9_cap::check(0, 0, Some(5)), Err(Refusal::SlotFull));
}
