//! The request log behind `/_emulator/requests`.

use std::collections::VecDeque;
use std::sync::Mutex;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, Method, Uri, header};
use serde::Serialize;

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

/// One logged request. Cheap to record: `Uri`, `HeaderValue` and `Bytes` clones share storage.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    method: Method,
    uri: Uri,
    content_type: Option<HeaderValue>,
    auth: AuthKind,
    user_agent: Option<HeaderValue>,
    body: Bytes,
}

impl Entry {
    pub(crate) fn new(method: &Method, uri: &Uri, headers: &HeaderMap, body: Bytes) -> Self {
        Entry {
            method: method.clone(),
            uri: uri.clone(),
            content_type: headers.get(header::CONTENT_TYPE).cloned(),
            auth: AuthKind::of(headers),
            user_agent: headers.get(header::USER_AGENT).cloned(),
            body,
        }
    }
}

/// How an entry is shown by `GET /_emulator/requests`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EntryView<'a> {
    method: &'a str,
    path: &'a str,
    query: &'a str,
    content_type: Option<String>,
    auth: AuthKind,
    user_agent: Option<String>,
    body: String,
}

fn header_text(value: &Option<HeaderValue>) -> Option<String> {
    value
        .as_ref()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

impl<'a> From<&'a Entry> for EntryView<'a> {
    fn from(e: &'a Entry) -> Self {
        EntryView {
            method: e.method.as_str(),
            path: e.uri.path(),
            query: e.uri.query().unwrap_or(""),
            content_type: header_text(&e.content_type),
            auth: e.auth,
            user_agent: header_text(&e.user_agent),
            body: String::from_utf8_lossy(&e.body).into_owned(),
        }
    }
}

/// Requests in arrival order; the oldest are dropped beyond `limit`.
#[derive(Debug)]
pub(crate) struct RequestLog {
    inner: Mutex<Inner>,
    limit: usize,
}

#[derive(Debug, Default)]
struct Inner {
    entries: VecDeque<Entry>,
    dropped: u64,
}

impl RequestLog {
    /// A log keeping at most `limit` entries (0 keeps none).
    pub(crate) fn new(limit: usize) -> Self {
        RequestLog {
            inner: Mutex::default(),
            limit,
        }
    }

    pub(crate) fn push(&self, entry: Entry) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.entries.len() >= self.limit {
            if inner.entries.pop_front().is_none() {
                inner.dropped += 1;
                return;
            }
            inner.dropped += 1;
        }
        inner.entries.push_back(entry);
    }

    /// A copy of the entries and the number dropped so far.
    pub(crate) fn snapshot(&self) -> (Vec<Entry>, u64) {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        (inner.entries.iter().cloned().collect(), inner.dropped)
    }

    pub(crate) fn clear(&self) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.entries.clear();
        inner.dropped = 0;
    }
}
