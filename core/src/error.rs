//! The one error type of the crate, and what a caller can ask of it.

use std::fmt;
use std::time::Duration;

/// Shorthand for `std::result::Result<T, sunco::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when talking to Sunshine Conversations.
///
/// Each variant carries what a caller branches on. No variant ever contains a
/// secret: key secrets and tokens are never formatted into an error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input was refused before any request was sent.
    #[error("invalid `{field}`: {rule}")]
    Validation {
        /// The offending field, in wire spelling (`displayName`, `participants[1].userId`, `page.size`).
        field: String,
        /// The rule it broke, in plain words.
        rule: String,
    },
    /// The server answered with a non-success HTTP status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// No complete answer arrived within the configured request timeout.
    #[error("request timed out after {after:?}")]
    Timeout {
        /// The timeout that elapsed.
        after: Duration,
    },
    /// The connection failed: DNS, connect, TLS, reset, or a dropped response.
    #[error("transport error ({kind}): {message}")]
    Transport {
        /// Which stage failed.
        kind: TransportKind,
        /// What the network stack reported.
        message: String,
    },
    /// The server answered, but not with the JSON the API promises.
    #[error(
        "could not decode the response (HTTP {status}): {message}; body starts with {excerpt:?}"
    )]
    Decode {
        /// The HTTP status of the response.
        status: u16,
        /// What was wrong.
        message: String,
        /// The first bytes of the body (at most 200), lossily decoded.
        excerpt: String,
    },
    /// The client configuration is unusable (bad base URL, missing credentials, ...).
    #[error("configuration error: {0}")]
    Config(String),
    /// A webhook request was refused by [`webhooks`](crate::webhooks): wrong or missing
    /// secret, a body over the size limit, or a body that is not a webhook payload.
    #[error("webhook refused: {0}")]
    Webhook(WebhookError),
}

/// Why a webhook request was refused; [`status`](Self::status) is the HTTP status to answer.
///
/// No variant ever holds the secret or the `X-API-Key` value that was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The request has no `X-API-Key` header.
    #[error("no `X-API-Key` header")]
    MissingSecret,
    /// The `X-API-Key` header is not the webhook's secret (or was sent more than once).
    #[error("the `X-API-Key` header does not match the webhook secret")]
    WrongSecret,
    /// The body is longer than the limit; it was not parsed.
    #[error("the body is {size} bytes, over the limit of {limit}")]
    TooLarge {
        /// The length of the body, in bytes.
        size: usize,
        /// The limit it broke, in bytes.
        limit: usize,
    },
    /// The body is not a webhook payload: not JSON, not an object, or a field of the wrong shape.
    #[error("malformed body{}: {message}", if path.is_empty() { String::new() } else { format!(" at `{path}`") })]
    Malformed {
        /// Where, in wire spelling (`events[0].payload.conversation`); empty for the body as a
        /// whole (then `message` gives the line and column of a JSON syntax error).
        path: String,
        /// What was wrong.
        message: String,
    },
}

impl WebhookError {
    /// The HTTP status a receiver should answer with: 401 for a missing or wrong secret
    /// (Sunshine Conversations does not retry it), 413 for a body over the limit, 400 for a
    /// malformed body (not retried either).
    pub fn status(&self) -> u16 {
        match self {
            WebhookError::MissingSecret | WebhookError::WrongSecret => 401,
            WebhookError::TooLarge { .. } => 413,
            WebhookError::Malformed { .. } => 400,
        }
    }
}

/// The stage at which a transport error happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// The connection could not be opened (DNS, refused, TLS handshake). The request was never sent.
    Connect,
    /// The connection broke after the request may have been sent (reset, closed without answer).
    Request,
    /// The response body could not be read to its end.
    Body,
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportKind::Connect => "connect",
            TransportKind::Request => "request",
            TransportKind::Body => "body",
        })
    }
}

/// One `{code, title}` entry of an API error response.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct ApiErrorDetail {
    /// Machine-readable code, e.g. `conversation_not_found`.
    #[serde(default)]
    pub code: String,
    /// Human-readable description.
    #[serde(default)]
    pub title: String,
}

/// A non-success answer of the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status code.
    pub status: u16,
    /// Every `{code, title}` the server sent, in order (may be empty for a non-JSON body).
    pub errors: Vec<ApiErrorDetail>,
    /// The `x-request-id` response header, if present: quote it to support.
    pub request_id: Option<String>,
    /// The `Retry-After` response header, if present, as a duration from when it was received.
    pub retry_after: Option<Duration>,
}

impl ApiError {
    /// The code of the first error entry, if any.
    pub fn code(&self) -> Option<&str> {
        self.errors.first().map(|e| e.code.as_str())
    }

    /// The title of the first error entry, if any.
    pub fn title(&self) -> Option<&str> {
        self.errors.first().map(|e| e.title.as_str())
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "API error (HTTP {})", self.status)?;
        for (i, e) in self.errors.iter().enumerate() {
            let sep = if i == 0 { ": " } else { "; " };
            write!(f, "{sep}{} ({})", e.title, e.code)?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        if let Some(after) = self.retry_after {
            write!(f, " [retry after {}s]", after.as_secs_f64())?;
        }
        Ok(())
    }
}

impl Error {
    /// A validation error for `field` breaking `rule`.
    pub fn validation(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Error::Validation {
            field: field.into(),
            rule: rule.into(),
        }
    }

    /// The HTTP status, for API errors and decode errors.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The first API error code (`conversation_not_found`, ...), for API errors.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.code(),
            _ => None,
        }
    }

    /// The API error details, for API errors.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// `Retry-After` sent by the server, for API errors that carried it.
    pub fn retry_after(&self) -> Option<Duration> {
        self.api().and_then(|e| e.retry_after)
    }

    /// Whether trying the same call again later may succeed: rate limiting (429),
    /// 502/503/504, and connections that failed before the request was sent.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) => matches!(e.status, 429 | 502 | 503 | 504),
            Error::Transport { kind, .. } => *kind == TransportKind::Connect,
            _ => false,
        }
    }

    /// Why a webhook request was refused, for webhook errors.
    pub fn webhook(&self) -> Option<&WebhookError> {
        match self {
            Error::Webhook(e) => Some(e),
            _ => None,
        }
    }

    /// Whether this is a validation error (nothing was sent).
    pub fn is_validation(&self) -> bool {
        matches!(self, Error::Validation { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16) -> Error {
        Error::Api(Box::new(ApiError {
            status,
            errors: vec![ApiErrorDetail {
                code: "c".into(),
                title: "t".into(),
            }],
            request_id: Some("rid".into()),
            retry_after: Some(Duration::from_secs(2)),
        }))
    }

    #[test]
    fn retryable_statuses() {
        for s in [429, 502, 503, 504] {
            assert!(api(s).is_retryable(), "{s}");
        }
        for s in [400, 401, 403, 404, 409, 500, 501] {
            assert!(!api(s).is_retryable(), "{s}");
        }
        let connect = Error::Transport {
            kind: TransportKind::Connect,
            message: "refused".into(),
        };
        assert!(connect.is_retryable());
        let reset = Error::Transport {
            kind: TransportKind::Request,
            message: "reset".into(),
        };
        assert!(!reset.is_retryable());
        assert!(!Error::validation("a", "b").is_retryable());
    }

    #[test]
    fn accessors_and_display() {
        let e = api(404);
        assert_eq!(e.status(), Some(404));
        assert_eq!(e.code(), Some("c"));
        assert_eq!(e.retry_after(), Some(Duration::from_secs(2)));
        let s = e.to_string();
        assert!(
            s.contains("HTTP 404") && s.contains("t (c)") && s.contains("rid"),
            "{s}"
        );
        let v = Error::validation("page.size", "must be between 1 and 100");
        assert_eq!(
            v.to_string(),
            "invalid `page.size`: must be between 1 and 100"
        );
        assert_eq!(v.status(), None);
    }
}
