//! A small in-process rate limiter: fixed windows per key, counted against
//! the app clock (so tests can move time).
//!
//! Used for sign-in per client address (every door: the JSON API, the
//! server functions, staff sign-in) and for bookings per citizen. One
//! process keeps its own counts: with several server processes the
//! effective limit is the sum. Limits that must hold across processes
//! (sign-in codes per phone, staff password failures) live in the
//! database.
//!
//! Memory is bounded: at most [`MAX_KEYS`] keys; past it, expired windows
//! are swept, and if every window is still live the oldest half is dropped
//! (those callers start a fresh window — a bounded leniency, never an
//! unbounded map).
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

/// Keys kept at most.
pub const MAX_KEYS: usize = 100_000;

/// Counts per key in the current window: (window start, count, window).
#[derive(Default)]
pub struct KeyedLimiter {
    windows: Mutex<HashMap<String, (i64, u32)>>,
}

impl KeyedLimiter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one request for `key` in windows of `window` seconds;
    /// `Err(seconds to wait)` when `limit` requests were already made in
    /// the current window.
    pub fn check(&self, key: &str, limit: u32, window: i64, now: i64) -> Result<(), u64> {
        let mut map = match self.windows.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        if map.len() >= MAX_KEYS && !map.contains_key(key) {
            map.retain(|_, (start, _)| now - *start < window);
            if map.len() >= MAX_KEYS {
                let mut starts: Vec<i64> = map.values().map(|(s, _)| *s).collect();
                starts.sort_unstable();
                let cut = starts[starts.len() / 2];
                map.retain(|_, (start, _)| *start > cut);
            }
        }
        let entry = map.entry(key.to_owned()).or_insert((now, 0));
        if now - entry.0 >= window || now < entry.0 {
            *entry = (now, 0);
        }
        if entry.1 >= limit {
            let wait = (entry.0 + window - now).max(1);
            return Err(u64::try_from(wait).unwrap_or(1));
        }
        entry.1 += 1;
        Ok(())
    }

    /// Keys held now (for tests and metrics).
    pub fn len(&self) -> usize {
        match self.windows.lock() {
            Ok(g) => g.len(),
            Err(p) => p.into_inner().len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The client's address: the TCP peer, or — when the peer is one of the
/// `trusted` reverse proxies — the rightmost `X-Forwarded-For` address
/// (`forwarded_for`: the header's values in order) that is not itself a
/// trusted proxy. Garbage in the header stops the walk.
pub fn client_ip(
    peer: Option<IpAddr>,
    forwarded_for: &[&str],
    trusted: &[IpAddr],
) -> Option<IpAddr> {
    let mut ip = peer;
    if peer.is_some_and(|p| trusted.contains(&p)) {
        let hops: Vec<&str> = forwarded_for.iter().flat_map(|v| v.split(',')).collect();
        for hop in hops.iter().rev() {
            match hop.trim().parse::<IpAddr>() {
                Ok(a) if trusted.contains(&a) => continue,
                Ok(a) => {
                    ip = Some(a);
                    break;
                }
                Err(_) => break,
            }
        }
    }
    ip
}

/// The key a client is counted (and shown) under: IPv4 as is, IPv6 by its
/// /64 (one subscriber's prefix; a /128 each would give one client
/// unlimited keys), IPv4-mapped IPv6 as IPv4; `unknown` without one.
pub fn client_key(ip: Option<IpAddr>) -> String {
    match ip {
        None => "unknown".to_owned(),
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    #[test]
    fn keys_by_peer_forwarded_only_from_trusted_proxies_and_ipv6_by_64() {
        let xff = ["203.0.113.9, 10.0.0.2"];
        let trusted = [ip("10.0.0.1"), ip("10.0.0.2")];
        let key =
            |peer: &str, fwd: &[&str], t: &[IpAddr]| client_key(client_ip(Some(ip(peer)), fwd, t));
        // An untrusted peer's header is ignored.
        assert_eq!(key("198.51.100.7", &xff, &trusted), "198.51.100.7");
        // A trusted proxy: the rightmost address that is not a proxy.
        assert_eq!(key("10.0.0.1", &xff, &trusted), "203.0.113.9");
        assert_eq!(
            key("10.0.0.1", &["1.1.1.1", "203.0.113.9"], &trusted),
            "203.0.113.9"
        );
        // A proxy with no header: the proxy itself.
        assert_eq!(key("10.0.0.1", &[], &trusted), "10.0.0.1");
        // Garbage stops the walk at the last trusted hop.
        assert_eq!(
            key("10.0.0.1", &["1.2.3.4, nonsense"], &trusted),
            "10.0.0.1"
        );
        // IPv6: one key per /64; mapped IPv4 as IPv4.
        let a = key("2001:db8:1:2:aaaa::1", &xff, &[]);
        assert_eq!(a, "2001:db8:1:2::/64");
        assert_eq!(a, key("2001:db8:1:2:bbbb::9", &xff, &[]));
        assert_eq!(key("::ffff:192.0.2.1", &xff, &[]), "192.0.2.1");
        assert_eq!(client_key(client_ip(None, &xff, &trusted)), "unknown");
    }

    #[test]
    fn limits_per_key_and_window() {
        let l = KeyedLimiter::new();
        assert_eq!(l.check("a", 2, 60, 100), Ok(()));
        assert_eq!(l.check("a", 2, 60, 110), Ok(()));
        assert_eq!(l.check("a", 2, 60, 130), Err(30));
        assert_eq!(l.check("b", 2, 60, 130), Ok(()));
        assert_eq!(l.check("a", 2, 60, 160), Ok(()));
        assert_eq!(l.check("z", 0, 60, 160), Err(60));
    }

    #[test]
    fn memory_stays_bounded() {
        let l = KeyedLimiter::new();
        for i in 0..(MAX_KEYS + 10) {
            let _ = l.check(
                &format!("k{i}"),
                5,
                60,
                i64::try_from(i / 1000).unwrap_or(0),
            );
        }
        assert!(l.len() <= MAX_KEYS);
    }
}
