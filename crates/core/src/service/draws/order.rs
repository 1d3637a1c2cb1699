//! The draw's randomness, made checkable (R12): a 32-byte seed drawn when
//! the draw opens, its commitment `SHA-256(seed bytes)` published at once,
//! the seed itself once the draw has run; requests are served in ascending
//! order of `SHA-256(seed_hex ‖ public_id)` (lower-case hex, compared as
//! text). Anyone holding the public record can recompute the order
//! ([`verify`]; `kezek verify-draw`).
use rand::Rng;
use sha2::{Digest, Sha256};

use kezek_wire::draws::DrawView;

/// A fresh seed: 32 random bytes as 64 lower-case hex characters.
pub fn new_seed() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill(&mut b);
    hex::encode(b)
}

/// A request's public id: 16 random bytes as 32 lower-case hex characters.
pub fn new_public_id() -> String {
    let mut b = [0u8; 16];
    rand::rng().fill(&mut b);
    hex::encode(b)
}

/// `SHA-256` of the seed's 32 bytes, lower-case hex; `None` when the seed
/// is not 64 hex characters.
pub fn commitment(seed_hex: &str) -> Option<String> {
    let bytes = hex::decode(seed_hex).ok().filter(|b| b.len() == 32)?;
    Some(hex::encode(Sha256::digest(&bytes)))
}

/// The sort key of a request: `SHA-256(seed_hex ‖ public_id)`, hex.
pub fn sort_key(seed_hex: &str, public_id: &str) -> String {
    let mut h = Sha256::new();
    h.update(seed_hex.as_bytes());
    h.update(public_id.as_bytes());
    hex::encode(h.finalize())
}

/// `ids` in the draw's order.
pub fn order<'a>(seed_hex: &str, ids: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut keyed: Vec<(String, &str)> = ids
        .into_iter()
        .map(|id| (sort_key(seed_hex, id), id))
        .collect();
    keyed.sort();
    keyed.into_iter().map(|(_, id)| id).collect()
}

/// What a public record proved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub requests: usize,
    pub matched: usize,
}

/// Why a public record does not check out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("the draw has not run yet: no seed is published")]
    NotRun,
    #[error("the seed is not 64 hexadecimal characters")]
    BadSeed,
    #[error("SHA-256 of the seed is {computed}, the commitment published was {published}")]
    Commitment { computed: String, published: String },
    #[error("request {public_id} has no position")]
    NoPosition { public_id: String },
    #[error("position {position}: the seed orders {expected} there, the record shows {found}")]
    Order {
        position: usize,
        expected: String,
        found: String,
    },
    #[error("request {public_id} is still pending in a finished draw")]
    Pending { public_id: String },
}

/// Checks a draw's public record: the seed matches the commitment, and the
/// positions are exactly the order the seed gives.
pub fn verify(record: &DrawView) -> Result<Verified, VerifyError> {
    let seed = record.seed.as_deref().ok_or(VerifyError::NotRun)?;
    let computed = commitment(seed).ok_or(VerifyError::BadSeed)?;
    if computed != record.commitment {
        return Err(VerifyError::Commitment {
            computed,
            published: record.commitment.clone(),
        });
    }
    let mut by_position = Vec::with_capacity(record.requests.len());
    for r in &record.requests {
        let p = r.position.ok_or_else(|| VerifyError::NoPosition {
            public_id: r.public_id.clone(),
        })?;
        if r.outcome == super::PENDING {
            return Err(VerifyError::Pending {
                public_id: r.public_id.clone(),
            });
        }
        by_position.push((p, r.public_id.as_str()));
    }
    by_position.sort();
    let expected = order(seed, record.requests.iter().map(|r| r.public_id.as_str()));
    for (i, (want, (p, found))) in expected.iter().zip(&by_position).enumerate() {
        if *p as usize != i + 1 || want != found {
            return Err(VerifyError::Order {
                position: i + 1,
                expected: (*want).to_owned(),
                found: (*found).to_owned(),
            });
        }
    }
    Ok(Verified {
        requests: record.requests.len(),
        matched: record
            .requests
            .iter()
            .filter(|r| r.outcome == super::MATCHED)
            .count(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use kezek_wire::draws::DrawEntry;

    const ZERO: &str = "0000000000000000000000000000000000000000000000000000000000000000";

    #[test]
    fn known_vectors() {
        // sha256 of 32 zero bytes.
        assert_eq!(
            commitment(ZERO).as_deref(),
            Some("66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925")
        );
        // Computed independently: sorted(ids, key=sha256(seed + id)).
        assert_eq!(order(ZERO, ["a", "b", "c", "d"]), ["c", "d", "a", "b"]);
        assert_eq!(commitment("00"), None);
        assert_eq!(commitment(&"zz".repeat(32)), None);
        let s = new_seed();
        assert_eq!(s.len(), 64);
        assert!(commitment(&s).is_some());
        assert_eq!(new_public_id().len(), 32);
    }

    fn record(seed: Option<&str>, ids: &[(&str, u32)]) -> DrawView {
        DrawView {
            id: "1".into(),
            center_kind: "Psc".into(),
            center_ids: vec!["1".into()],
            dates: vec!["2026-12-12".into()],
            opens_at: String::new(),
            closes_at: String::new(),
            status: "done".into(),
            commitment: commitment(ZERO).unwrap_or_default(),
            seed: seed.map(str::to_owned),
            requests: ids
                .iter()
                .map(|(id, p)| DrawEntry {
                    public_id: (*id).into(),
                    position: Some(*p),
                    outcome: "matched".into(),
                })
                .collect(),
        }
    }

    #[test]
    fn verify_accepts_the_true_order_and_names_a_wrong_one() {
        let good = record(Some(ZERO), &[("a", 3), ("b", 4), ("c", 1), ("d", 2)]);
        assert_eq!(
            verify(&good),
            Ok(Verified {
                requests: 4,
                matched: 4
            })
        );
        let swapped = record(Some(ZERO), &[("a", 4), ("b", 3), ("c", 1), ("d", 2)]);
        assert!(matches!(
            verify(&swapped),
            Err(VerifyError::Order { position: 3, .. })
        ));
        let other_seed = "11".repeat(32);
        assert!(matches!(
            verify(&record(Some(&other_seed), &[("a", 1)])),
            Err(VerifyError::Commitment { .. })
        ));
        assert_eq!(verify(&record(None, &[])), Err(VerifyError::NotRun));
    }
}
