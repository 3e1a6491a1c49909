//! The request log behind `/_emulator/requests`.
//!
//! Bounded two ways: by entry count (`--log-limit`) and by bytes (`--log-bytes`); the oldest
//! entries go first. Each entry owns exact-size copies of what it shows and at most
//! [`BODY_EXCERPT_BYTES`] of the body: hyper hands out headers, URIs and bodies as slices of the
//! connection's read buffer, and keeping such a slice would keep the whole buffer alive.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::ops::Range;
use std::sync::Mutex;

use axum::http::{HeaderMap, Method, Uri, header};
use serde::Serialize;

/// Most bytes of a body an entry keeps; `bodyTruncated` and `bodySize` tell when there were more.
pub(crate) const BODY_EXCERPT_BYTES: usize = 8 * 1024;

/// How a request authenticated, judged from the `Authorization` scheme only.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum AuthKind {
    Basic,
    Bearer,
    None,
    Other,
}

impl AuthKind {
    fn of(headers: &HeaderMap) -> Self {
        let Some(value) = headers.get(header::AUTHORIZATION) else {
            return AuthKind::None;
        };
        let scheme = value
            .as_bytes()
            .split(|&b| b == b' ')
            .next()
            .unwrap_or_default();
        if scheme.eq_ignore_ascii_case(b"basic") {
            AuthKind::Basic
        } else if scheme.eq_ignore_ascii_case(b"bearer") {
            AuthKind::Bearer
        } else {
            AuthKind::Other
        }
    }
}

/// The body of a request as far as it was read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BodySeen<'a> {
    /// The bytes kept from it: all of it, or at least its first [`BODY_EXCERPT_BYTES`].
    pub(crate) start: &'a [u8],
    /// How many bytes were received.
    pub(crate) size: usize,
    /// The client stopped sending before the body was complete.
    pub(crate) timed_out: bool,
}

/// One logged request; it shares no storage with the request it was made from.
#[derive(Debug)]
pub(crate) struct Entry {
    method: Method,
    path: Box<str>,
    query: Box<str>,
    content_type: Option<Box<[u8]>>,
    auth: AuthKind,
    user_agent: Option<Box<[u8]>>,
    /// The body, or its first [`BODY_EXCERPT_BYTES`] (cut back to a UTF-8 boundary).
    body: Box<[u8]>,
    /// Bytes of body received.
    body_size: usize,
    timed_out: bool,
}

/// The first `BODY_EXCERPT_BYTES` of `body`, not splitting a UTF-8 sequence.
fn excerpt(body: &[u8]) -> &[u8] {
    if body.len() <= BODY_EXCERPT_BYTES {
        return body;
    }
    let start = &body[..BODY_EXCERPT_BYTES];
    match std::str::from_utf8(start) {
        // Only an incomplete sequence at the very end: drop it.
        Err(e) if e.error_len().is_none() => &start[..e.valid_up_to()],
        _ => start,
    }
}

fn header_copy(headers: &HeaderMap, name: header::HeaderName) -> Option<Box<[u8]>> {
    headers.get(name).map(|v| v.as_bytes().into())
}

impl Entry {
    pub(crate) fn new(method: &Method, uri: &Uri, headers: &HeaderMap, body: BodySeen<'_>) -> Self {
        Entry {
            method: method.clone(),
            path: uri.path().into(),
            query: uri.query().unwrap_or("").into(),
            content_type: header_copy(headers, header::CONTENT_TYPE),
            auth: AuthKind::of(headers),
            user_agent: header_copy(headers, header::USER_AGENT),
            body: excerpt(body.start).into(),
            body_size: body.size,
            timed_out: body.timed_out,
        }
    }

    /// What the entry costs in memory, as counted against `--log-bytes`.
    fn cost(&self) -> usize {
        size_of::<Entry>()
            + self.method.as_str().len()
            + self.path.len()
            + self.query.len()
            + self.content_type.as_ref().map_or(0, |v| v.len())
            + self.user_agent.as_ref().map_or(0, |v| v.len())
            + self.body.len()
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// How an entry is shown by `GET /_emulator/requests`. The last three fields only appear when
/// they say something: a body longer than the excerpt, or one that never arrived in full.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EntryView<'a> {
    method: &'a str,
    path: &'a str,
    query: &'a str,
    content_type: Option<Cow<'a, str>>,
    auth: AuthKind,
    user_agent: Option<Cow<'a, str>>,
    body: Cow<'a, str>,
    #[serde(skip_serializing_if = "is_false")]
    body_truncated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    body_size: Option<usize>,
    #[serde(skip_serializing_if = "is_false")]
    timed_out: bool,
}

impl<'a> From<&'a Entry> for EntryView<'a> {
    fn from(e: &'a Entry) -> Self {
        let text = |v: &'a Option<Box<[u8]>>| v.as_deref().map(String::from_utf8_lossy);
        let truncated = e.body.len() < e.body_size;
        EntryView {
            method: e.method.as_str(),
            path: &e.path,
            query: &e.query,
            content_type: text(&e.content_type),
            auth: e.auth,
            user_agent: text(&e.user_agent),
            body: String::from_utf8_lossy(&e.body),
            body_truncated: truncated,
            body_size: truncated.then_some(e.body_size),
            timed_out: e.timed_out,
        }
    }
}

/// Requests in arrival order, bounded by count and by bytes.
#[derive(Debug)]
pub(crate) struct RequestLog {
    inner: Mutex<Inner>,
    max_entries: usize,
    max_bytes: usize,
}

#[derive(Debug, Default)]
struct Inner {
    entries: VecDeque<Entry>,
    /// Sum of the entries' [`Entry::cost`].
    bytes: usize,
    /// Sequence number of `entries[0]`; entries are numbered consecutively and numbers are
    /// never reused, so a reader can continue where it was even while entries come and go.
    first_seq: u64,
    dropped: u64,
}

impl Inner {
    fn end_seq(&self) -> u64 {
        self.first_seq + self.entries.len() as u64
    }
}

impl RequestLog {
    /// A log keeping at most `max_entries` entries costing at most `max_bytes` together
    /// (0 keeps none).
    pub(crate) fn new(max_entries: usize, max_bytes: usize) -> Self {
        RequestLog {
            inner: Mutex::default(),
            max_entries,
            max_bytes,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Appends `entry`, dropping the oldest entries while either limit would be exceeded.
    pub(crate) fn push(&self, entry: Entry) {
        let cost = entry.cost();
        let mut inner = self.lock();
        if self.max_entries == 0 || cost > self.max_bytes {
            inner.dropped += 1;
            return;
        }
        while inner.entries.len() >= self.max_entries || inner.bytes + cost > self.max_bytes {
            let Some(old) = inner.entries.pop_front() else {
                break;
            };
            inner.bytes -= old.cost();
            inner.first_seq += 1;
            inner.dropped += 1;
        }
        inner.entries.push_back(entry);
        inner.bytes += cost;
    }

    /// Sequence numbers of the entries a read of `limit` entries from `offset` covers: the
    /// entries kept right now, skipping `offset` of them.
    pub(crate) fn window(&self, offset: u64, limit: u64) -> Range<u64> {
        let inner = self.lock();
        let start = inner.first_seq.saturating_add(offset).min(inner.end_seq());
        start..start.saturating_add(limit).min(inner.end_seq())
    }

    /// Appends the JSON of the entries in `range` that are still kept to `out`, each preceded
    /// by a comma unless `*first`, until `out` holds at least `budget` bytes; advances
    /// `range.start` past what was written or is gone.
    pub(crate) fn write_json(
        &self,
        range: &mut Range<u64>,
        first: &mut bool,
        out: &mut Vec<u8>,
        budget: usize,
    ) {
        let inner = self.lock();
        range.start = range.start.max(inner.first_seq).min(range.end);
        while range.start < range.end && out.len() < budget {
            let Some(entry) = inner.entries.get((range.start - inner.first_seq) as usize) else {
                // Cleared meanwhile: nothing left of the range.
                range.start = range.end;
                break;
            };
            if !std::mem::take(first) {
                out.push(b',');
            }
            serde_json::to_writer(&mut *out, &EntryView::from(entry))
                .expect("serialising strings and numbers into a Vec cannot fail");
            range.start += 1;
        }
    }

    /// Entries dropped so far because a limit was reached.
    pub(crate) fn dropped(&self) -> u64 {
        self.lock().dropped
    }

    /// Forgets every entry and gives the memory they held back to the operating system.
    pub(crate) fn clear(&self) {
        let old = {
            let mut inner = self.lock();
            let first_seq = inner.end_seq();
            // A fresh deque: `clear()` would keep the old one's capacity for good.
            std::mem::replace(
                &mut *inner,
                Inner {
                    first_seq,
                    ..Inner::default()
                },
            )
        };
        drop(old);
        release_free_memory();
    }
}

/// Asks the allocator to return freed memory to the operating system. glibc keeps freed heap
/// memory for reuse and rarely shrinks the heaps of its per-thread arenas on its own, so without
/// this a cleared log would still count in the process's resident size.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn release_free_memory() {
    unsafe extern "C" {
        fn malloc_trim(pad: usize) -> std::ffi::c_int;
    }
    // SAFETY: `malloc_trim` takes the allocator's own locks and may be called from any thread
    // at any time; it only releases memory that is already free.
    unsafe {
        malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn release_free_memory() {}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(body: &[u8]) -> Entry {
        Entry::new(
            &Method::POST,
            &Uri::from_static("/v2/x?a=1"),
            &HeaderMap::new(),
            BodySeen {
                start: body,
                size: body.len(),
                timed_out: false,
            },
        )
    }

    fn read_all(log: &RequestLog) -> serde_json::Value {
        let mut range = log.window(0, u64::MAX);
        let (mut first, mut out) = (true, b"[".to_vec());
        log.write_json(&mut range, &mut first, &mut out, usize::MAX);
        out.push(b']');
        serde_json::from_slice(&out).unwrap()
    }

    #[test]
    fn excerpts_stop_at_a_character_boundary() {
        let mut body = vec![b'a'; BODY_EXCERPT_BYTES - 1];
        body.extend_from_slice("é and more".as_bytes());
        let e = entry(&body);
        assert_eq!(e.body.len(), BODY_EXCERPT_BYTES - 1);
        let view = serde_json::to_value(EntryView::from(&e)).unwrap();
        assert_eq!(view["bodyTruncated"], true);
        assert_eq!(view["bodySize"], body.len());
        assert!(!view["body"].as_str().unwrap().contains('\u{fffd}'));
        let small = serde_json::to_value(EntryView::from(&entry(b"{}"))).unwrap();
        assert!(small.get("bodyTruncated").is_none() && small.get("bodySize").is_none());
    }

    #[test]
    fn bytes_limit_evicts_the_oldest() {
        let one = entry(&[b'x'; 1000]).cost();
        let log = RequestLog::new(100, one * 3);
        for _ in 0..5 {
            log.push(entry(&[b'x'; 1000]));
        }
        assert_eq!(read_all(&log).as_array().unwrap().len(), 3);
        assert_eq!(log.dropped(), 2);
        // Larger than the whole budget: dropped at once, the others stay.
        log.push(entry(&[b'x'; 8000]));
        assert_eq!(read_all(&log).as_array().unwrap().len(), 3);
        assert_eq!(log.dropped(), 3);
    }

    #[test]
    fn windows_survive_eviction_and_clearing() {
        let log = RequestLog::new(3, usize::MAX);
        for _ in 0..3 {
            log.push(entry(b"a"));
        }
        let mut range = log.window(1, 10);
        assert_eq!(range.end - range.start, 2);
        log.push(entry(b"b")); // evicts the first; the window still has two entries
        let (mut first, mut out) = (true, Vec::new());
        log.write_json(&mut range, &mut first, &mut out, 1);
        assert_eq!(range.end - range.start, 1);
        log.clear();
        log.push(entry(b"c"));
        log.write_json(&mut range, &mut first, &mut out, usize::MAX);
        assert!(range.is_empty());
        assert_eq!(out.iter().filter(|&&b| b == b'{').count(), 1);
    }
}
