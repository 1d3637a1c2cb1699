//! Small helpers shared by the use cases: randomness, hashing, timestamps.
use rand::Rng;
use sha2::{Digest, Sha256};

/// `n` random bytes from the OS-seeded thread RNG, hex encoded.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    rand::rng().fill(bytes.as_mut_slice());
    hex::encode(bytes)
}

/// SHA-256 of the parts joined by `:`, hex encoded.
pub fn sha256_hex(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h.update(b":");
        }
        h.update(p.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Compares two strings in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    constant_time_eq_bytes(a.as_bytes(), b.as_bytes())
}

/// [`constant_time_eq`] for bytes.
pub fn constant_time_eq_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Masks a phone number for logs: `+7701*****67`.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() <= 6 {
        return "*".repeat(chars.len());
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < 5 || i + 2 >= chars.len() {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

/// One line of the simple CSV the registry imports take: comma-separated
/// fields, trimmed, a `"…"` around a field removed (no quoted commas).
pub fn csv_fields(line: &str) -> Vec<&str> {
    line.split(',')
        .map(|f| {
            let f = f.trim();
            f.strip_prefix('"')
                .and_then(|g| g.strip_suffix('"'))
                .unwrap_or(f)
                .trim()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashing_and_masking() {
        assert_eq!(sha256_hex(&["a", "b"]).len(), 64);
        assert_ne!(sha256_hex(&["a", "b"]), sha256_hex(&["ab"]));
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "ab"));
        assert_eq!(mask_phone("+77011234567"), "+7701*****67");
        assert_eq!(random_hex(16).len(), 32);
    }
}
