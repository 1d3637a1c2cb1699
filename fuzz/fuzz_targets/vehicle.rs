//! `VehicleRef::parse` (plate or VIN): never panics; the normalized form
//! parses to itself.
#![no_main]
use app::domain::vehicle::VehicleRef;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(v) = VehicleRef::parse(s) {
        let n = v.as_str();
        assert!(!n.is_empty() && n.len() <= 17);
        assert!(n.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
        assert_eq!(VehicleRef::parse(n).ok(), Some(v.clone()));
    }
});
