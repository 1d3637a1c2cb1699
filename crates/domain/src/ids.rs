//! Identifier newtypes: database ids, service codes and booking codes.
//!
//! Database ids ([`CenterId`], [`WindowId`], [`BookingId`], [`CitizenId`])
//! wrap an `i64` (never `usize`: the value crosses to wasm32) and serialize
//! as a plain number. [`ServiceCode`] and [`BookingCode`] can only hold valid
//! values and serialize as strings.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

macro_rules! int_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            /// Wraps a raw database id.
            pub const fn new(raw: i64) -> Self {
                Self(raw)
            }

            /// The raw database id.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        /// Parses the decimal form (what `Display` writes).
        impl FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map(Self)
            }
        }
    };
}

int_id!(
    /// A Public Service Center (`Psc` or `AutoPsc`).
    CenterId
);
int_id!(
    /// A window (desk) of a center.
    WindowId
);
int_id!(
    /// A booking; stays the same across reschedules (R1).
    BookingId
);
int_id!(
    /// A citizen account (identified by IIN).
    CitizenId
);

/// Why a [`ServiceCode`] or [`BookingCode`] was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// Too short or too long.
    #[error("wrong length")]
    Length,
    /// A character outside the allowed alphabet.
    #[error("character not allowed")]
    Character,
}

/// A service code from the catalog, e.g. `ID_CARD`: 2..=32 characters of
/// `A-Z`, `0-9` and `_`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ServiceCode(String);

impl ServiceCode {
    /// Parses a catalog code (exact: no trimming, no case folding).
    pub fn parse(s: &str) -> Result<Self, IdError> {
        if !(2..=32).contains(&s.len()) {
            return Err(IdError::Length);
        }
        if !s
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(IdError::Character);
        }
        Ok(Self(s.to_owned()))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ServiceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for ServiceCode {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for ServiceCode {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<ServiceCode> for String {
    fn from(c: ServiceCode) -> Self {
        c.0
    }
}

/// The alphabet of booking codes: no `0 O 1 I` to avoid misreading.
pub const BOOKING_CODE_ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// The code a citizen quotes for a booking: 8 characters of
/// [`BOOKING_CODE_ALPHABET`]. Stays the same across reschedules.
///
/// Displayed and serialized as the 8 plain characters (`K7M2Q9XA`); a UI may
/// group it with [`BookingCode::grouped`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BookingCode([u8; 8]);

impl BookingCode {
    /// Builds a code from 8 random bytes supplied by the caller (the domain
    /// has no random source). 256 is a multiple of 32, so the mapping keeps
    /// the distribution uniform: 40 bits of entropy.
    pub fn from_random_bytes(bytes: &[u8; 8]) -> Self {
        let mut out = [0u8; 8];
        for (o, b) in out.iter_mut().zip(bytes) {
            *o = BOOKING_CODE_ALPHABET[usize::from(b & 31)];
        }
        Self(out)
    }

    /// Parses user input: case-insensitive, spaces and dashes ignored.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let mut out = [0u8; 8];
        let mut n = 0usize;
        for c in s.chars() {
            if c == ' ' || c == '-' || c == '\u{2010}' || c == '\u{2011}' {
                continue;
            }
            let up = c.to_ascii_uppercase();
            if !up.is_ascii() || !BOOKING_CODE_ALPHABET.contains(&(up as u8)) {
                return Err(IdError::Character);
            }
            if n == 8 {
                return Err(IdError::Length);
            }
            out[n] = up as u8;
            n += 1;
        }
        if n != 8 {
            return Err(IdError::Length);
        }
        Ok(Self(out))
    }

    /// Parses what a scanner delivers: the code itself, or the check-in
    /// link printed as the booking's QR code (`…/staff?checkin=CODE`).
    pub fn from_scan(s: &str) -> Result<Self, IdError> {
        let s = s.trim();
        match s.split_once("checkin=") {
            Some((_, rest)) => Self::parse(rest.split(['&', '#']).next().unwrap_or("")),
            None => Self::parse(s),
        }
    }

    /// The link a booking's QR code carries: a phone's camera opens the
    /// operator console with the code filled in (`origin` without a
    /// trailing slash, e.g. `https://kezek.kz`).
    pub fn check_in_link(&self, origin: &str) -> String {
        format!(
            "{}/staff?checkin={}",
            origin.trim_end_matches('/'),
            self.as_str()
        )
    }

    /// The 8 characters.
    pub fn as_str(&self) -> &str {
        // The bytes are always ASCII from the alphabet.
        std::str::from_utf8(&self.0).unwrap_or("")
    }

    /// `ABCD-EFGH`, easier to read aloud.
    pub fn grouped(&self) -> String {
        let s = self.as_str();
        format!("{}-{}", s.get(..4).unwrap_or(""), s.get(4..).unwrap_or(""))
    }
}

impl fmt::Debug for BookingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BookingCode({})", self.as_str())
    }
}

impl fmt::Display for BookingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for BookingCode {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for BookingCode {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<BookingCode> for String {
    fn from(c: BookingCode) -> Self {
        c.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_code_parse() {
        assert!(ServiceCode::parse("ID_CARD").is_ok());
        assert!(ServiceCode::parse("A1").is_ok());
        assert_eq!(ServiceCode::parse("A"), Err(IdError::Length));
        assert_eq!(ServiceCode::parse(&"A".repeat(33)), Err(IdError::Length));
        assert_eq!(ServiceCode::parse("id_card"), Err(IdError::Character));
        assert_eq!(ServiceCode::parse("ID-CARD"), Err(IdError::Character));
    }

    #[test]
    fn booking_code_from_bytes_and_parse() {
        let c = BookingCode::from_random_bytes(&[0, 1, 31, 32, 255, 8, 9, 100]);
        assert_eq!(c.as_str(), "AB9A9JKE");
        assert_eq!(c.grouped(), "AB9A-9JKE");
        assert_eq!(BookingCode::parse("ab9a-9jke"), Ok(c));
        assert_eq!(BookingCode::parse(" AB9A 9JKE "), Ok(c));
        assert_eq!(BookingCode::parse("AB9A9JK"), Err(IdError::Length));
        assert_eq!(BookingCode::parse("AB9A9JKE6"), Err(IdError::Length));
        assert_eq!(BookingCode::parse("AB9A9JK0"), Err(IdError::Character));
        assert_eq!(BookingCode::parse("AB9A9JKÖ"), Err(IdError::Character));
    }

    #[test]
    fn serde_from_strings() {
        use serde::de::value::{Error, StrDeserializer};
        let c = BookingCode::deserialize(StrDeserializer::<Error>::new("k7m2-q9xa"));
        assert_eq!(c.map(|c| c.to_string()).ok().as_deref(), Some("K7M2Q9XA"));
        let bad = ServiceCode::deserialize(StrDeserializer::<Error>::new("bad code"));
        assert!(bad.is_err());
    }

    #[test]
    fn a_scanned_check_in_link_or_code_gives_the_code() {
        let c = BookingCode::parse("ABCD2345").unwrap_or_else(|e| panic!("{e:?}"));
        let link = c.check_in_link("https://kezek.kz/");
        assert_eq!(link, "https://kezek.kz/staff?checkin=ABCD2345");
        assert_eq!(BookingCode::from_scan(&link), Ok(c));
        assert_eq!(BookingCode::from_scan(" abcd-2345 "), Ok(c));
        assert_eq!(
            BookingCode::from_scan("http://x/staff?checkin=abcd2345&x=1"),
            Ok(c)
        );
        assert!(BookingCode::from_scan("http://x/staff?checkin=").is_err());
        assert!(BookingCode::from_scan("http://x/other").is_err());
    }
}
