//! The IIN (ЖСН / ИИН), DOMAIN.md R10.
//!
//! An [`Iin`] can only hold 12 ASCII digits with a valid check digit. The
//! date and the century-and-sex digit are decoded only as [`IinHints`]: since
//! 2013 the law no longer guarantees them, so they never decide eligibility.
//! `Debug` masks all but the last 4 digits, so an `Iin` can appear in logs
//! and panics without leaking personal data; [`Iin::as_str`] gives the full
//! value for storage and the registry.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Why a text is not an IIN. Every variant becomes the refusal `invalid_iin`
/// with this value as its `reason` (serialized `length`, `not_digits`,
/// `checksum`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum IinError {
    /// Not 12 characters after trimming (digits only).
    #[error("an IIN has 12 digits")]
    Length,
    /// A character that is not an ASCII digit (full-width digits included).
    #[error("an IIN has only digits")]
    NotDigits,
    /// The check digit does not match, or no check digit exists.
    #[error("the IIN check digit does not match")]
    Checksum,
}

impl IinError {
    /// `length`, `not_digits` or `checksum`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Length => "length",
            Self::NotDigits => "not_digits",
            Self::Checksum => "checksum",
        }
    }
}

/// Sex as hinted by digit 7 (odd = male). A hint only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sex {
    /// Odd century digit.
    Male,
    /// Even century digit.
    Female,
}

/// What digits 1–7 suggest. Never use for eligibility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IinHints {
    /// The birth date, when digit 7 is 1–6 and YYMMDD is a real date.
    pub birth_date: Option<NaiveDate>,
    /// From digit 7 when it is 1–6.
    pub sex: Option<Sex>,
    /// MMDD (or YYMMDD with the century) is no calendar date.
    pub date_warning: bool,
    /// Digit 7 is not 1–6.
    pub century_warning: bool,
}

/// A valid IIN: 12 ASCII digits with a correct check digit.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Iin([u8; 12]);

const W1: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const W2: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/// The check digit for 11 digits, or `None` when both passes give 10.
fn check_digit(d: &[u8; 12]) -> Option<u8> {
    let pass = |w: &[u32; 11]| -> u32 {
        d.iter()
            .zip(w)
            .map(|(&x, &w)| u32::from(x - b'0') * w)
            .sum::<u32>()
            % 11
    };
    let first = pass(&W1);
    let c = if first == 10 { pass(&W2) } else { first };
    if c == 10 { None } else { u8::try_from(c).ok() }
}

impl Iin {
    /// Parses user input: surrounding (Unicode) whitespace is trimmed; then
    /// any non-ASCII-digit gives `NotDigits`, a length other than 12 gives
    /// `Length`, a wrong check digit gives `Checksum`.
    pub fn parse(s: &str) -> Result<Self, IinError> {
        let t = s.trim();
        if !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IinError::NotDigits);
        }
        let bytes: [u8; 12] = t.as_bytes().try_into().map_err(|_| IinError::Length)?;
        match check_digit(&bytes) {
            Some(c) if c == bytes[11] - b'0' => Ok(Self(bytes)),
            _ => Err(IinError::Checksum),
        }
    }

    /// The full 12 digits (personal data: never log it).
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("")
    }

    /// `********1868`, safe for logs ([`masked`]).
    pub fn masked(&self) -> String {
        masked(self.as_str())
    }

    /// `••••••••1868`, for screens ([`shown`]).
    pub fn shown(&self) -> String {
        shown(self.as_str())
    }

    fn num(&self, i: usize) -> u32 {
        u32::from(self.0[i] - b'0')
    }

    /// Birth date and sex as hinted by digits 1–7.
    pub fn hints(&self) -> IinHints {
        let yy = self.num(0) * 10 + self.num(1);
        let mm = self.num(2) * 10 + self.num(3);
        let dd = self.num(4) * 10 + self.num(5);
        let c = self.num(6);
        let century = match c {
            1 | 2 => Some(1800),
            3 | 4 => Some(1900),
            5 | 6 => Some(2000),
            _ => None,
        };
        match century {
            Some(base) => {
                let y = i32::try_from(base + yy).unwrap_or(0);
                let birth_date = NaiveDate::from_ymd_opt(y, mm, dd);
                IinHints {
                    birth_date,
                    sex: Some(if c % 2 == 1 { Sex::Male } else { Sex::Female }),
                    date_warning: birth_date.is_none(),
                    century_warning: false,
                }
            }
            None => IinHints {
                birth_date: None,
                sex: None,
                // Without a century, accept 29 February (leap year 2000).
                date_warning: NaiveDate::from_ymd_opt(2000, mm, dd).is_none(),
                century_warning: true,
            },
        }
    }
}

impl fmt::Debug for Iin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Iin({})", self.masked())
    }
}

impl FromStr for Iin {
    type Err = IinError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Iin {
    type Error = IinError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Iin> for String {
    fn from(i: Iin) -> Self {
        i.as_str().to_owned()
    }
}

/// An IIN as screens show it (the cabinet, the staff desk): all but the
/// last four characters as `•` (`••••••••1868`) — enough to compare with
/// an ID card, not enough to book as its holder.
pub fn shown(iin: &str) -> String {
    hide_all_but_last_four(iin, '•')
}

/// An IIN for `Debug` output and logs: all but the last four characters as
/// `*` (`********1868`). Takes any string (a session's stored IIN, a
/// request's field), valid or not.
pub fn masked(iin: &str) -> String {
    hide_all_but_last_four(iin, '*')
}

fn hide_all_but_last_four(s: &str, mark: char) -> String {
    let n = s.chars().count();
    s.chars()
        .enumerate()
        .map(|(i, c)| if i + 4 < n { mark } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const VECTORS: &str = include_str!("../data/iin-vectors.txt");

    fn check(line_no: usize, iin: &str, expected: &str, note: &str) {
        let got = Iin::parse(iin);
        let ctx = format!("line {line_no}: {iin:?} ({note})");
        match expected {
            "ok" | "ok_warn_date" | "ok_warn_century" => {
                let Ok(v) = got else {
                    panic!("{ctx}: expected {expected}, got {got:?}");
                };
                let h = v.hints();
                assert_eq!(h.date_warning, expected == "ok_warn_date", "{ctx}: {h:?}");
                assert_eq!(
                    h.century_warning,
                    expected == "ok_warn_century",
                    "{ctx}: {h:?}"
                );
                if expected == "ok" {
                    assert!(h.birth_date.is_some() && h.sex.is_some(), "{ctx}");
                }
                assert_eq!(v.as_str(), iin.trim(), "{ctx}");
            }
            "length" => assert_eq!(got, Err(IinError::Length), "{ctx}"),
            "not_digits" => assert_eq!(got, Err(IinError::NotDigits), "{ctx}"),
            "checksum" => assert_eq!(got, Err(IinError::Checksum), "{ctx}"),
            other => panic!("{ctx}: unknown expectation {other}"),
        }
    }

    #[test]
    fn vectors_table() {
        let mut n = 0;
        for (i, line) in VECTORS.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() && !line.contains('\t') {
                continue;
            }
            // Do not trim the line: the IIN column may be empty or padded.
            let mut cols = line.split('\t');
            let (Some(iin), Some(expected)) = (cols.next(), cols.next()) else {
                panic!("line {}: malformed {line:?}", i + 1);
            };
            check(i + 1, iin, expected, cols.next().unwrap_or(""));
            n += 1;
        }
        assert!(n >= 39, "only {n} vectors read");
    }

    #[test]
    fn hints_decode() {
        let Ok(i) = Iin::parse("710313311868") else {
            panic!("valid")
        };
        let h = i.hints();
        assert_eq!(h.birth_date, NaiveDate::from_ymd_opt(1971, 3, 13));
        assert_eq!(h.sex, Some(Sex::Male));
        let Ok(i) = Iin::parse("000229501234") else {
            panic!("valid")
        };
        assert_eq!(i.hints().birth_date, NaiveDate::from_ymd_opt(2000, 2, 29));
        let Ok(i) = Iin::parse("851231100429") else {
            panic!("valid")
        };
        assert_eq!(i.hints().birth_date, NaiveDate::from_ymd_opt(1885, 12, 31));
    }

    #[test]
    fn debug_masks() {
        let Ok(i) = Iin::parse("710313311868") else {
            panic!("valid")
        };
        assert_eq!(format!("{i:?}"), "Iin(********1868)");
        assert!(!format!("{:?}", Some(i)).contains("7103"));
        assert_eq!(i.as_str(), "710313311868");
        assert_eq!(i.to_owned().masked(), "********1868");
        assert_eq!(i.to_owned().shown(), "••••••••1868");
    }
}
