//! The JSON bodies of `/api/v1` on arbitrary bytes. The request structs of
//! `server::http::v1` are mirrored here field for field (the server crate
//! is too heavy to build under the fuzzer); every body that deserializes is
//! pushed through the same pure steps the handlers take before the
//! database: id parsing, `Iin::parse`, `ServiceCode::parse`, the RFC 3339
//! start, `VehicleRef::parse`, `BookingCode::parse`. Nothing may panic, and
//! what deserializes must serialize back to a value that deserializes the
//! same way.
#![no_main]
use app::domain::ids::{BookingCode, ServiceCode};
use app::domain::iin::Iin;
use app::domain::vehicle::VehicleRef;
use libfuzzer_sys::fuzz_target;
use serde::{Deserialize, Serialize};

/// `server::http::v1::bookings::IdIn`.
#[derive(Deserialize, Serialize, Debug, Clone, PartialEq)]
#[serde(untagged)]
enum IdIn {
    Text(String),
    Num(i64),
}

impl IdIn {
    fn get(&self) -> Option<i64> {
        match self {
            IdIn::Text(s) => s.trim().parse().ok(),
            IdIn::Num(n) => Some(*n),
        }
    }
}

#[derive(Deserialize, Serialize, Debug, PartialEq)]
struct OtpRequest {
    iin: String,
    phone: String,
}

#[derive(Deserialize, Serialize, Debug, PartialEq)]
struct VerifyRequest {
    challenge_id: String,
    code: String,
}

#[derive(Deserialize, Serialize, Debug, PartialEq)]
struct NewBooking {
    center_id: IdIn,
    service: String,
    start: String,
    #[serde(default)]
    vehicle: Option<String>,
}

#[derive(Deserialize, Serialize, Debug, PartialEq)]
struct MoveBody {
    start: String,
    #[serde(default)]
    center_id: Option<IdIn>,
}

#[derive(Deserialize, Serialize, Debug, PartialEq)]
struct StaffLoginRequest {
    username: String,
    password: String,
}

#[derive(Deserialize, Serialize, Debug, PartialEq)]
struct CheckinBody {
    code: String,
}

fn roundtrip<T>(v: &T)
where
    T: Serialize + for<'de> Deserialize<'de> + PartialEq + std::fmt::Debug,
{
    let text = serde_json::to_string(v).unwrap_or_default();
    let back: T = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
    assert_eq!(&back, v);
}

fn start(s: &str) {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s.trim()) {
        let _ = t.timestamp();
        let _ = t.naive_local();
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(r) = serde_json::from_slice::<OtpRequest>(data) {
        let _ = Iin::parse(&r.iin).map(|i| i.masked());
        roundtrip(&r);
    }
    if let Ok(r) = serde_json::from_slice::<VerifyRequest>(data) {
        let _ = r.challenge_id.chars().any(char::is_control);
        roundtrip(&r);
    }
    if let Ok(r) = serde_json::from_slice::<NewBooking>(data) {
        let _ = r.center_id.get();
        let _ = ServiceCode::parse(r.service.trim());
        start(&r.start);
        if let Some(v) = r.vehicle.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            let _ = VehicleRef::parse(v);
        }
        roundtrip(&r);
    }
    if let Ok(r) = serde_json::from_slice::<MoveBody>(data) {
        let _ = r.center_id.as_ref().map(IdIn::get);
        start(&r.start);
        roundtrip(&r);
    }
    if let Ok(r) = serde_json::from_slice::<StaffLoginRequest>(data) {
        roundtrip(&r);
    }
    if let Ok(r) = serde_json::from_slice::<CheckinBody>(data) {
        let _ = BookingCode::parse(&r.code);
        roundtrip(&r);
    }
});
