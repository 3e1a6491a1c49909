//! Sending one logical request: attempts, retries, the body cap, and error mapping.

use std::error::Error as _;
use std::time::SystemTime;

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use serde::de::DeserializeOwned;

use crate::client::Inner;
use crate::error::{ApiError, ApiErrorDetail, Error, Result, TransportKind};
use crate::retry::parse_retry_after;

const EXCERPT_BYTES: usize = 200;

/// One API call, before it is sent.
pub(crate) struct Call {
    pub(crate) method: Method,
    /// Already percent-encoded path, starting with `/v2/`.
    pub(crate) path: String,
    /// Already encoded query, without `?`.
    pub(crate) query: Option<String>,
    pub(crate) body: Option<Bytes>,
    /// Whether the request carries the client's credentials (all but OAuth `GetToken`).
    pub(crate) sends_auth: bool,
    /// A `multipart/form-data` body, made anew for each attempt (instead of `body`).
    pub(crate) form: Option<FormSource>,
}

/// Makes the multipart body of each attempt.
pub(crate) struct FormSource {
    /// `None` when the source cannot be read again (a reader used by an earlier attempt).
    pub(crate) make: Box<dyn Fn() -> Option<Result<reqwest::multipart::Form>> + Send + Sync>,
    /// Whether the source can be read only once (then the call is never retried).
    pub(crate) once: bool,
}

impl Call {
    /// Whether repeating the call cannot do harm (GET, PATCH with the same body, DELETE).
    fn idempotent(&self) -> bool {
        self.method != Method::POST
    }
}

/// Whether `err`, raised by an attempt of `call`, is worth another attempt.
fn should_retry(err: &Error, idempotent: bool) -> bool {
    match err {
        Error::Api(e) => e.status == 429 || (idempotent && matches!(e.status, 502..=504)),
        Error::Transport { kind, .. } => *kind == TransportKind::Connect || idempotent,
        _ => false,
    }
}

impl Inner {
    /// Sends `call`, retrying per the policy; returns the body of the successful response.
    pub(crate) async fn execute(&self, call: &Call) -> Result<Bytes> {
        let mut attempt = 0;
        loop {
            let err = match self.attempt(call).await {
                Ok(body) => return Ok(body),
                Err(e) => e,
            };
            let once = call.form.as_ref().is_some_and(|f| f.once);
            if once || attempt >= self.retry.max_retries || !should_retry(&err, call.idempotent()) {
                return Err(err);
            }
            let wait = self
                .retry
                .delay(attempt, err.retry_after(), fastrand::f64());
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// Sends `call` and decodes the success body as JSON into `T`.
    pub(crate) async fn execute_json<T: DeserializeOwned>(&self, call: &Call) -> Result<T> {
        let body = self.execute(call).await?;
        serde_json::from_slice(&body).map_err(|e| decode_error(200, e.to_string(), &body))
    }

    async fn attempt(&self, call: &Call) -> Result<Bytes> {
        let mut url = String::with_capacity(self.base.len() + call.path.len() + 64);
        url.push_str(&self.base);
        url.push_str(&call.path);
        if let Some(q) = &call.query {
            url.push('?');
            url.push_str(q);
        }
        let mut req = self
            .http
            .request(call.method.clone(), url)
            .header(ACCEPT, "application/json");
        if call.sends_auth {
            req = req.header(AUTHORIZATION, self.authorization.clone());
        }
        if let Some(body) = &call.body {
            req = req
                .header(CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        if let Some(source) = &call.form {
            match (source.make)() {
                Some(form) => req = req.multipart(form?),
                None => {
                    return Err(Error::Transport {
                        kind: TransportKind::Request,
                        message: "the upload's reader was used up by an earlier attempt, so it \
                                  was not sent again"
                            .into(),
                    });
                }
            }
        }
        let resp = req.send().await.map_err(|e| self.transport_error(&e))?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = self.read_body(resp, status).await?;
        if (200..300).contains(&status) {
            Ok(body)
        } else {
            Err(api_error(status, &headers, &body))
        }
    }

    async fn read_body(&self, mut resp: reqwest::Response, status: u16) -> Result<Bytes> {
        let limit = self.max_response_bytes;
        let too_large = |n: String| Error::Decode {
            status,
            message: format!("the response body ({n} bytes) exceeds the limit of {limit} bytes"),
            excerpt: String::new(),
        };
        if let Some(len) = resp.content_length()
            && len > limit as u64
        {
            return Err(too_large(len.to_string()));
        }
        let mut buf = Vec::with_capacity(resp.content_length().unwrap_or(0) as usize);
        while let Some(chunk) = resp.chunk().await.map_err(|e| self.transport_error(&e))? {
            if buf.len() + chunk.len() > limit {
                return Err(too_large(format!("more than {limit}")));
            }
            buf.extend_from_slice(&chunk);
        }
        Ok(Bytes::from(buf))
    }

    fn transport_error(&self, e: &reqwest::Error) -> Error {
        if e.is_timeout() {
            return Error::Timeout {
                after: self.timeout,
            };
        }
        let kind = if e.is_connect() {
            TransportKind::Connect
        } else if e.is_body() || e.is_decode() {
            TransportKind::Body
        } else {
            TransportKind::Request
        };
        // The innermost causes say what really happened ("connection refused", "reset by peer").
        let mut message = message_without_url(e);
        let mut source = e.source();
        while let Some(s) = source {
            message.push_str(": ");
            message.push_str(&s.to_string());
            source = s.source();
        }
        Error::Transport { kind, message }
    }
}

/// reqwest's message without the URL it appends (it adds nothing the caller does not know).
fn message_without_url(e: &reqwest::Error) -> String {
    let s = e.to_string();
    match s.find(" for url (") {
        Some(i) => s[..i].to_owned(),
        None => s,
    }
}

fn excerpt(body: &[u8]) -> String {
    let end = body.len().min(EXCERPT_BYTES);
    String::from_utf8_lossy(&body[..end]).into_owned()
}

pub(crate) fn decode_error(status: u16, message: String, body: &[u8]) -> Error {
    Error::Decode {
        status,
        message,
        excerpt: excerpt(body),
    }
}

#[derive(serde::Deserialize)]
struct ErrorBody {
    #[serde(default)]
    errors: Vec<ApiErrorDetail>,
}

fn api_error(status: u16, headers: &HeaderMap, body: &[u8]) -> Error {
    let errors = serde_json::from_slice::<ErrorBody>(body)
        .map(|b| b.errors)
        .unwrap_or_default();
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    Error::Api(Box::new(ApiError {
        status,
        errors,
        request_id: header("x-request-id"),
        retry_after: header(RETRY_AFTER.as_str())
            .and_then(|v| parse_retry_after(&v, SystemTime::now())),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_rules_by_method() {
        let api = |s| {
            Error::Api(Box::new(ApiError {
                status: s,
                errors: vec![],
                request_id: None,
                retry_after: None,
            }))
        };
        let t = |kind| Error::Transport {
            kind,
            message: String::new(),
        };
        // Idempotent calls: 429, 502-504 and any transport failure.
        for e in [
            api(429),
            api(502),
            api(503),
            api(504),
            t(TransportKind::Connect),
            t(TransportKind::Request),
        ] {
            assert!(should_retry(&e, true), "{e}");
        }
        // POST: only when the server cannot have acted.
        assert!(should_retry(&api(429), false));
        assert!(should_retry(&t(TransportKind::Connect), false));
        for e in [
            api(502),
            api(503),
            api(504),
            t(TransportKind::Request),
            t(TransportKind::Body),
        ] {
            assert!(!should_retry(&e, false), "{e}");
        }
        for e in [
            api(400),
            api(401),
            api(404),
            api(500),
            Error::validation("a", "b"),
        ] {
            assert!(!should_retry(&e, true), "{e}");
        }
    }

    #[test]
    fn api_errors_parse_every_entry_and_headers() {
        let mut h = HeaderMap::new();
        h.insert("x-request-id", "req-1".parse().unwrap());
        h.insert(RETRY_AFTER, "4".parse().unwrap());
        let body = br#"{"errors":[{"code":"bad_request","title":"A"},{"code":"x","title":"B"}]}"#;
        let Error::Api(e) = api_error(400, &h, body) else {
            panic!()
        };
        assert_eq!(e.errors.len(), 2);
        assert_eq!(e.code(), Some("bad_request"));
        assert_eq!(e.request_id.as_deref(), Some("req-1"));
        assert_eq!(e.retry_after, Some(std::time::Duration::from_secs(4)));
        let Error::Api(e) = api_error(502, &HeaderMap::new(), b"<html>bad gateway</html>") else {
            panic!()
        };
        assert!(e.errors.is_empty());
    }

    #[test]
    fn excerpt_is_short_and_lossy() {
        let e = decode_error(200, "m".into(), &[b'x'; 1000]);
        let Error::Decode { excerpt, .. } = e else {
            panic!()
        };
        assert_eq!(excerpt.len(), EXCERPT_BYTES);
        assert_eq!(super::excerpt(&[0xff, b'a']), "\u{fffd}a");
    }
}
