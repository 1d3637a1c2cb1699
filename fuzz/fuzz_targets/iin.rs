//! `Iin::parse` on arbitrary text: never panics; what it accepts is 12
//! digits with a valid check digit, survives a round trip, and masks to
//! its last four digits.
#![no_main]
use app::domain::iin::Iin;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(iin) = Iin::parse(s) {
        let digits = iin.as_str();
        assert_eq!(digits.len(), 12);
        assert!(digits.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(digits, s.trim());
        assert_eq!(Iin::parse(digits).ok(), Some(iin));
        let masked = iin.masked();
        assert!(masked.ends_with(&digits[8..]) && !masked.contains(&digits[..8]));
        let _ = iin.hints();
    }
});
