//! Vehicles named by a citizen (R6): a Kazakh plate number or a VIN.
//!
//! Input is normalized before it is judged: upper case, spaces and dashes
//! removed, Cyrillic letters that look like Latin ones (А В Е К М Н О Р С Т Х
//! У) replaced by the Latin letter, as plates use only those. Plates are
//! accepted leniently (5–9 letters and digits with at least one of each:
//! `123ABC02`, `123AB02`, `A123BCD`, old and special formats); a VIN is 17
//! characters of `A-Z0-9` without `I`, `O`, `Q`. Whether the vehicle exists is
//! the registry's question, not the parser's.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ids::BookingId;
use crate::iin::Iin;

/// The text names no plausible plate or VIN (refusal `invalid_vehicle`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a plate number or VIN")]
pub struct VehicleError;

/// A normalized plate number, e.g. `123ABC02`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Plate(String);

/// A normalized VIN (17 characters).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Vin(String);

/// What the citizen typed, parsed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum VehicleRef {
    /// A plate number.
    Plate(Plate),
    /// A VIN.
    Vin(Vin),
}

/// The identity of a vehicle as stored with a booking: plate and/or VIN,
/// as the registry gave them. Two keys name the same vehicle when their
/// plates or their VINs are equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct VehicleKey {
    /// Plate number, if known.
    pub plate: Option<Plate>,
    /// VIN, if known.
    pub vin: Option<Vin>,
}

/// The registry's answer for a named vehicle (R6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryRecord {
    /// Plate and VIN of the vehicle.
    pub key: VehicleKey,
    /// The current owner.
    pub owner_iin: Iin,
}

/// Everything R6 needs about a named vehicle, gathered by the server.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct VehicleFacts {
    /// `None`: the registry does not know the vehicle.
    pub record: Option<RegistryRecord>,
    /// Active (`Booked`) bookings, of any citizen, whose vehicle matches the
    /// record's plate **or** VIN.
    pub active_bookings: Vec<BookingId>,
}

fn normalize(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let m = match c {
            ' ' | '-' | '\u{a0}' | '\t' => continue,
            'А' | 'а' => 'A',
            'В' | 'в' => 'B',
            'Е' | 'е' => 'E',
            'К' | 'к' => 'K',
            'М' | 'м' => 'M',
            'Н' | 'н' => 'H',
            'О' | 'о' => 'O',
            'Р' | 'р' => 'P',
            'С' | 'с' => 'C',
            'Т' | 'т' => 'T',
            'Х' | 'х' => 'X',
            'У' | 'у' => 'Y',
            c if c.is_ascii_alphanumeric() => c.to_ascii_uppercase(),
            _ => return None,
        };
        out.push(m);
    }
    Some(out)
}

fn is_vin(s: &str) -> bool {
    s.len() == 17
        && s.bytes().all(|b| {
            (b.is_ascii_uppercase() && !matches!(b, b'I' | b'O' | b'Q')) || b.is_ascii_digit()
        })
}

fn is_plate(s: &str) -> bool {
    (5..=9).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && s.bytes().any(|b| b.is_ascii_digit())
        && s.bytes().any(|b| b.is_ascii_uppercase())
}

impl Plate {
    /// Parses and normalizes a plate number.
    pub fn parse(s: &str) -> Result<Self, VehicleError> {
        let n = normalize(s).ok_or(VehicleError)?;
        if is_plate(&n) {
            Ok(Self(n))
        } else {
            Err(VehicleError)
        }
    }
    /// The normalized plate.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Vin {
    /// Parses and normalizes a VIN.
    pub fn parse(s: &str) -> Result<Self, VehicleError> {
        let n = normalize(s).ok_or(VehicleError)?;
        if is_vin(&n) {
            Ok(Self(n))
        } else {
            Err(VehicleError)
        }
    }
    /// The normalized VIN.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl VehicleRef {
    /// Parses what a citizen typed: a VIN if it has 17 characters, else a
    /// plate.
    pub fn parse(s: &str) -> Result<Self, VehicleError> {
        let n = normalize(s).ok_or(VehicleError)?;
        if n.len() == 17 {
            if is_vin(&n) {
                return Ok(Self::Vin(Vin(n)));
            }
            return Err(VehicleError);
        }
        if is_plate(&n) {
            Ok(Self::Plate(Plate(n)))
        } else {
            Err(VehicleError)
        }
    }

    /// The normalized text.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Plate(p) => p.as_str(),
            Self::Vin(v) => v.as_str(),
        }
    }

    /// Does this reference name the vehicle with `key`?
    pub fn matches(&self, key: &VehicleKey) -> bool {
        match self {
            Self::Plate(p) => key.plate.as_ref() == Some(p),
            Self::Vin(v) => key.vin.as_ref() == Some(v),
        }
    }
}

impl VehicleKey {
    /// Same vehicle: equal plates or equal VINs.
    pub fn same_vehicle(&self, other: &VehicleKey) -> bool {
        (self.plate.is_some() && self.plate == other.plate)
            || (self.vin.is_some() && self.vin == other.vin)
    }
}

impl fmt::Display for VehicleRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for Plate {
    type Error = VehicleError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}
impl From<Plate> for String {
    fn from(p: Plate) -> Self {
        p.0
    }
}
impl TryFrom<String> for Vin {
    type Error = VehicleError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}
impl From<Vin> for String {
    fn from(v: Vin) -> Self {
        v.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plate(s: &str) -> Option<String> {
        match VehicleRef::parse(s) {
            Ok(VehicleRef::Plate(p)) => Some(p.0),
            _ => None,
        }
    }

    #[test]
    fn plates_normalize() {
        assert_eq!(plate("123 ABC 02").as_deref(), Some("123ABC02"));
        assert_eq!(plate("123-ab-02").as_deref(), Some("123AB02"));
        // Cyrillic lookalikes typed on a Russian keyboard.
        assert_eq!(plate("777 ОКР 01").as_deref(), Some("777OKP01"));
        assert_eq!(plate("а123вс").as_deref(), Some("A123BC"));
        assert_eq!(plate("A123BCD").as_deref(), Some("A123BCD"));
    }

    #[test]
    fn garbage_refused() {
        for s in [
            "",
            "12",
            "ABCDEFG",
            "1234567",
            "123ЖЖЖ02",
            "123ABC02!",
            "1234567890ABCDEFGHIJ",
        ] {
            assert_eq!(VehicleRef::parse(s), Err(VehicleError), "{s}");
        }
        // 17 characters with I/O/Q: not a VIN, and too long for a plate.
        assert_eq!(VehicleRef::parse("1HGCM82633A00435O"), Err(VehicleError));
    }

    #[test]
    fn vins() {
        let Ok(VehicleRef::Vin(v)) = VehicleRef::parse("1hgcm82633a004352") else {
            panic!("a VIN")
        };
        assert_eq!(v.as_str(), "1HGCM82633A004352");
    }

    #[test]
    fn same_vehicle_by_plate_or_vin() {
        let (Ok(p), Ok(v)) = (Plate::parse("123ABC02"), Vin::parse("1HGCM82633A004352")) else {
            panic!("valid")
        };
        let full = VehicleKey {
            plate: Some(p.clone()),
            vin: Some(v.clone()),
        };
        let by_vin = VehicleKey {
            plate: None,
            vin: Some(v),
        };
        let by_plate = VehicleKey {
            plate: Some(p),
            vin: None,
        };
        assert!(full.same_vehicle(&by_vin) && full.same_vehicle(&by_plate));
        assert!(!by_vin.same_vehicle(&by_plate));
        assert!(!VehicleKey::default().same_vehicle(&VehicleKey::default()));
    }
}
