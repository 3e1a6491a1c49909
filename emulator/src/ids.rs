//! Identifiers: record ids (24 lowercase hex digits, like the real service) and request ids.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Mixes 64 bits (the splitmix64 finaliser); used wherever ids should look random.
pub(crate) fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A 64-bit FNV-1a hash of `parts`, each followed by a zero byte so `["ab","c"]` and
/// `["a","bc"]` differ.
pub(crate) fn fnv(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in part.as_bytes().iter().chain(std::iter::once(&0u8)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// A record id derived only from `parts`, so re-seeding yields the same id every time.
pub(crate) fn deterministic_id(parts: &[&str]) -> String {
    let h = fnv(parts);
    let hi = mix(h);
    let lo = mix(h ^ 0x5bd1_e995);
    format!("{:016x}{:08x}", hi, lo as u32)
}

/// True when `s` is 24 lowercase hexadecimal digits.
pub(crate) fn is_record_id(s: &str) -> bool {
    s.len() == 24 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Hands out ids for new records and requests.
///
/// Record ids are 24 hex digits: 8 for the process start time, 6 random per process and a
/// 10-digit counter, so ids created later always sort after earlier ones (pagination cursors
/// rely on that).
#[derive(Debug)]
pub(crate) struct IdGen {
    prefix: String,
    counter: AtomicU64,
    requests: AtomicU64,
    request_salt: u64,
    secrets: AtomicU64,
}

/// The characters of a secret: the URL-safe base64 alphabet, as the real service's key secrets.
const SECRET_CHARS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

impl IdGen {
    /// A generator whose prefix comes from the clock and the process id.
    pub(crate) fn new() -> Self {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let entropy = mix(now.as_nanos() as u64 ^ (u64::from(std::process::id()) << 32));
        Self {
            prefix: format!("{:08x}{:06x}", now.as_secs() as u32, entropy & 0xff_ffff),
            counter: AtomicU64::new(1),
            requests: AtomicU64::new(0),
            request_salt: mix(entropy),
            secrets: AtomicU64::new(0),
        }
    }

    /// The next record id; strictly greater (as a string) than every id handed out before.
    pub(crate) fn next_record_id(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed) & 0xff_ffff_ffff;
        format!("{}{:010x}", self.prefix, n)
    }

    /// A fresh, random-looking secret of `len` URL-safe base64 characters (for API keys and
    /// OAuth tokens). Not cryptographically strong: this is a local fake.
    pub(crate) fn next_secret(&self, len: usize) -> String {
        let n = self.secrets.fetch_add(1, Ordering::Relaxed);
        let mut state = mix(n ^ self.request_salt.rotate_left(29));
        (0..len)
            .map(|i| {
                if i % 10 == 0 {
                    state = mix(state ^ (i as u64));
                }
                let c = SECRET_CHARS[(state & 63) as usize] as char;
                state >>= 6;
                c
            })
            .collect()
    }

    /// A fresh, random-looking secret of 32 lowercase hex digits (for webhooks).
    pub(crate) fn next_hex_secret(&self) -> String {
        let n = self.secrets.fetch_add(1, Ordering::Relaxed);
        let a = mix(n ^ self.request_salt.rotate_left(41));
        format!("{a:016x}{:016x}", mix(a))
    }

    /// A fresh, random-looking id for the `x-request-id` header (32 hex digits).
    pub(crate) fn next_request_id(&self) -> String {
        let n = self.requests.fetch_add(1, Ordering::Relaxed);
        let a = mix(n ^ self.request_salt);
        let b = mix(a ^ n.rotate_left(17));
        format!("{a:016x}{b:016x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_ids_are_hex_and_increasing() {
        let g = IdGen::new();
        let a = g.next_record_id();
        let b = g.next_record_id();
        assert!(is_record_id(&a) && is_record_id(&b), "{a} {b}");
        assert!(b > a);
    }

    #[test]
    fn deterministic_ids_repeat() {
        let a = deterministic_id(&["demo-app", "alice"]);
        assert_eq!(a, deterministic_id(&["demo-app", "alice"]));
        assert_ne!(a, deterministic_id(&["demo-app", "bob"]));
        assert!(is_record_id(&a));
    }

    #[test]
    fn secrets_differ() {
        let g = IdGen::new();
        let a = g.next_secret(64);
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|b| SECRET_CHARS.contains(&b)));
        assert_ne!(a, g.next_secret(64));
        let h = g.next_hex_secret();
        assert_eq!(h.len(), 32);
        assert_ne!(h, g.next_hex_secret());
    }

    #[test]
    fn request_ids_differ() {
        let g = IdGen::new();
        let a = g.next_request_id();
        assert_eq!(a.len(), 32);
        assert_ne!(a, g.next_request_id());
    }
}
