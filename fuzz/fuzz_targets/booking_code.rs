//! `BookingCode::parse` and `ServiceCode::parse`: never panic; accepted
//! codes round-trip, grouped or not.
#![no_main]
use app::domain::ids::{BookingCode, ServiceCode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() == 8 {
        let bytes: [u8; 8] = data.try_into().unwrap_or_default();
        let c = BookingCode::from_random_bytes(&bytes);
        assert_eq!(BookingCode::parse(c.as_str()).ok(), Some(c));
        assert_eq!(BookingCode::parse(&c.as_str().to_lowercase()).ok(), Some(c));
    }
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(c) = BookingCode::parse(s) {
        assert_eq!(c.as_str().len(), 8);
        assert_eq!(BookingCode::parse(c.as_str()).ok(), Some(c));
        assert_eq!(BookingCode::parse(&c.grouped()).ok(), Some(c));
    }
    if let Ok(code) = ServiceCode::parse(s) {
        assert_eq!(ServiceCode::parse(code.as_str()).ok(), Some(code.clone()));
    }
});
