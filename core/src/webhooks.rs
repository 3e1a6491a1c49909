//! Receiving webhooks: check the secret, bound the body, and parse it into typed events.
//!
//! Sunshine Conversations POSTs a JSON body (`app`, `webhook`, `events[]`) to the webhook's
//! target, with the webhook's secret in the `X-API-Key` header. [`parse`] takes the raw body
//! bytes and the request headers from any server (no web framework is needed) and returns a
//! [`WebhookPayload`] whose events are told apart by their `type`:
//!
//! ```
//! use sunco::webhooks::WebhookEvent;
//!
//! let body = br#"{"app": {"id": "app_1"}, "webhook": {"id": "wh_1", "version": "v2"},
//!     "events": [{"id": "ev_1", "createdAt": "2020-09-30T15:14:29.834Z",
//!                 "type": "conversation:message",
//!                 "payload": {"message": {"content": {"type": "text", "text": "hello"}}}}]}"#;
//! let headers = [("x-api-key", "whsec")]; // e.g. `&axum::http::HeaderMap` works as it is
//!
//! let payload = sunco::webhooks::parse(body, headers, "whsec")?;
//! for event in payload.events.iter().flatten() {
//!     match event {
//!         WebhookEvent::ConversationMessage(m) => println!("message {:?}", m.id),
//!         other => println!("{} (not handled)", other.tag().unwrap_or("?")),
//!     }
//! }
//!
//! let refused = sunco::webhooks::parse(body, [("X-API-Key", "guess")], "whsec").unwrap_err();
//! assert_eq!(refused.webhook().map(|w| w.status()), Some(401));
//! # Ok::<(), sunco::Error>(())
//! ```
//!
//! In order, a request is refused ([`Error::Webhook`]) when:
//! 1. it has no `X-API-Key` header ([`WebhookError::MissingSecret`]), or one that is not the
//!    secret, or more than one ([`WebhookError::WrongSecret`]); the header name is matched
//!    without regard to case and the value is compared in constant time;
//! 2. the body is over [`MAX_BODY_BYTES`] ([`WebhookError::TooLarge`]), checked before any parsing;
//! 3. the body is not JSON, not an object, or a field has the wrong shape for its event type
//!    ([`WebhookError::Malformed`], naming the place: `events[2].payload.conversation`).
//!
//! [`WebhookError::status`] is the status to answer with. Events of a type this crate does
//! not know, events without a string `type`, and events that are not objects are kept as
//! [`WebhookEvent::Unknown`], as sent.
//!
//! Each event is read as the generated [`WebhookEvent`]'s own `Deserialize` reads it (a test
//! holds the two together), but here a misfit is named down to the field
//! (`events[0].payload.conversation`), not only by event.

use serde::de::DeserializeOwned;
use serde_json::Value;
use subtle::ConstantTimeEq;

use crate::auth::Secret;
pub use crate::error::WebhookError;
use crate::error::{Error, Result};
pub use crate::types::{WebhookEvent, WebhookPayload};

/// The header that carries the webhook's secret.
pub const SECRET_HEADER: &str = "X-API-Key";

/// The largest body [`parse`] accepts: 1 MiB.
///
/// The spec bounds what makes an event big (message text at most 4096 characters, metadata at
/// most 4 KB per object), so one event, even with `includeFullUser` and `includeFullSource`,
/// stays within tens of KB; 1 MiB leaves room for a batch of dozens of those while bounding what
/// one request can cost to parse (a few MB of JSON tree, a few milliseconds). Use
/// [`Receiver::max_body_bytes`] for another limit, and set your server's own body limit to the
/// same figure so that a larger body is not even read.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Every event type the spec's `x-webhooks` lists, each read into its own variant of
/// [`WebhookEvent`]; other types become [`WebhookEvent::Unknown`].
pub const EVENT_TYPES: &[&str] = &[
    "client:add",
    "client:remove",
    "client:update",
    "conversation:create",
    "conversation:join",
    "conversation:leave",
    "conversation:remove",
    "conversation:message",
    "conversation:message:delivery:channel",
    "conversation:message:delivery:failure",
    "conversation:message:delivery:user",
    "conversation:postback",
    "conversation:read",
    "conversation:referral",
    "conversation:typing",
    "switchboard:acceptControl",
    "switchboard:acceptControl:failure",
    "switchboard:offerControl",
    "switchboard:offerControl:failure",
    "switchboard:passControl",
    "switchboard:passControl:failure",
    "switchboard:releaseControl",
    "user:merge",
    "user:update",
    "user:remove",
];

/// Checks a webhook request's secret and parses its body, with the default limit
/// ([`MAX_BODY_BYTES`]). See the [module](self) for what is refused.
///
/// `headers` is any sequence of `(name, value)` pairs: `&http::HeaderMap` (axum, hyper,
/// actix), `[("x-api-key", "...")]`, `Vec<(String, String)>`, `&HashMap<String, String>`.
pub fn parse<H, K, V>(body: &[u8], headers: H, secret: &str) -> Result<WebhookPayload>
where
    H: IntoIterator<Item = (K, V)>,
    K: AsRef<[u8]>,
    V: AsRef<[u8]>,
{
    verify(headers, secret)?;
    decode(body, MAX_BODY_BYTES)
}

/// Checks only a webhook request's secret: `Ok` when exactly one `X-API-Key` header (any
/// case) holds `secret`. An empty `secret` is a [`Error::Config`] error, never a match.
pub fn verify<H, K, V>(headers: H, secret: &str) -> Result<()>
where
    H: IntoIterator<Item = (K, V)>,
    K: AsRef<[u8]>,
    V: AsRef<[u8]>,
{
    check_secret(headers, secret.as_bytes())
}

/// Parses a body without checking any secret (tests, or a receiver behind a gateway that
/// checked it), with the default limit ([`MAX_BODY_BYTES`]).
pub fn parse_unverified(body: &[u8]) -> Result<WebhookPayload> {
    decode(body, MAX_BODY_BYTES)
}

/// A webhook's secret and body limit, kept to check each request: `Debug` never shows the
/// secret. Cheap to clone.
///
/// ```
/// let receiver = sunco::webhooks::Receiver::new("whsec").max_body_bytes(256 * 1024);
/// assert!(!format!("{receiver:?}").contains("whsec"));
/// let payload = receiver.parse(br#"{"events": []}"#, [("X-API-Key", "whsec")])?;
/// assert_eq!(payload.events, Some(vec![]));
/// # Ok::<(), sunco::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Receiver {
    secret: Secret,
    max_body_bytes: usize,
}

impl Receiver {
    /// A receiver for the webhook with this secret (the `secret` of the created webhook),
    /// accepting bodies up to [`MAX_BODY_BYTES`].
    pub fn new(secret: impl Into<Secret>) -> Self {
        Receiver {
            secret: secret.into(),
            max_body_bytes: MAX_BODY_BYTES,
        }
    }

    /// Sets the largest body accepted, in bytes.
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// The largest body accepted, in bytes.
    pub fn body_limit(&self) -> usize {
        self.max_body_bytes
    }

    /// Checks the request's secret, as [`verify`] does.
    pub fn verify<H, K, V>(&self, headers: H) -> Result<()>
    where
        H: IntoIterator<Item = (K, V)>,
        K: AsRef<[u8]>,
        V: AsRef<[u8]>,
    {
        check_secret(headers, self.secret.expose().as_bytes())
    }

    /// Checks the request's secret and parses its body, as [`parse`] does, with this
    /// receiver's limit.
    pub fn parse<H, K, V>(&self, body: &[u8], headers: H) -> Result<WebhookPayload>
    where
        H: IntoIterator<Item = (K, V)>,
        K: AsRef<[u8]>,
        V: AsRef<[u8]>,
    {
        self.verify(headers)?;
        decode(body, self.max_body_bytes)
    }
}

fn check_secret<H, K, V>(headers: H, expected: &[u8]) -> Result<()>
where
    H: IntoIterator<Item = (K, V)>,
    K: AsRef<[u8]>,
    V: AsRef<[u8]>,
{
    if expected.is_empty() {
        return Err(Error::Config(
            "the webhook secret is empty; pass the `secret` of the webhook".into(),
        ));
    }
    let mut found = 0usize;
    let mut matched = false;
    for (name, value) in headers {
        if name.as_ref().eq_ignore_ascii_case(SECRET_HEADER.as_bytes()) {
            found += 1;
            matched = secret_matches(value.as_ref(), expected);
        }
    }
    match (found, matched) {
        (0, _) => Err(Error::Webhook(WebhookError::MissingSecret)),
        (1, true) => Ok(()),
        _ => Err(Error::Webhook(WebhookError::WrongSecret)),
    }
}

/// Whether `given` equals `expected`. The time taken depends on the length of `expected` only,
/// not on the contents of either, nor on where they first differ.
fn secret_matches(given: &[u8], expected: &[u8]) -> bool {
    let mut same = (given.len() as u64).ct_eq(&(expected.len() as u64));
    for (i, e) in expected.iter().enumerate() {
        same &= given.get(i).copied().unwrap_or(0).ct_eq(e);
    }
    same.into()
}

/// Serde messages quote values from the body; keep an error short enough for a log line.
const MESSAGE_MAX_CHARS: usize = 300;

fn malformed(path: impl Into<String>, message: impl std::fmt::Display) -> WebhookError {
    let mut message = message.to_string();
    if let Some((cut, _)) = message.char_indices().nth(MESSAGE_MAX_CHARS) {
        message.truncate(cut);
        message.push('…');
    }
    WebhookError::Malformed {
        path: path.into(),
        message,
    }
}

fn decode(body: &[u8], limit: usize) -> Result<WebhookPayload> {
    if body.len() > limit {
        return Err(Error::Webhook(WebhookError::TooLarge {
            size: body.len(),
            limit,
        }));
    }
    let value: Value =
        serde_json::from_slice(body).map_err(|e| Error::Webhook(malformed("", e)))?;
    let Value::Object(mut fields) = value else {
        return Err(Error::Webhook(malformed("", "expected a JSON object")));
    };
    let events = match fields.shift_remove("events") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => Some(
            items
                .into_iter()
                .enumerate()
                .map(|(i, event)| decode_event(i, event))
                .collect::<Result<Vec<_>, _>>()
                .map_err(Error::Webhook)?,
        ),
        Some(_) => {
            return Err(Error::Webhook(malformed("events", "expected an array")));
        }
    };
    let mut payload: WebhookPayload =
        typed(String::new(), Value::Object(fields), None).map_err(Error::Webhook)?;
    payload.events = events;
    Ok(payload)
}

/// Reads `value` into `T`, naming the place of a misfit below `at`.
fn typed<T: DeserializeOwned>(
    at: String,
    value: Value,
    event_type: Option<&str>,
) -> Result<T, WebhookError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let inner = e.path().to_string();
        let path = match (at.is_empty(), inner.as_str()) {
            (_, "." | "?") => at,
            (true, _) => inner,
            (false, _) => format!("{at}.{inner}"),
        };
        match event_type {
            Some(t) => malformed(path, format_args!("{} (a `{t}` event)", e.inner())),
            None => malformed(path, e.inner()),
        }
    })
}

type DecodeEvent = fn(usize, Value, &str) -> Result<WebhookEvent, WebhookError>;

macro_rules! known_events {
    ($($wire:literal => $variant:ident,)*) => {
        /// How to read an event of type `event_type` (its `type` already removed), if it is
        /// one this crate knows.
        fn decoder(event_type: &str) -> Option<DecodeEvent> {
            match event_type {
                $($wire => Some(|i, v, t| {
                    typed(format!("events[{i}]"), v, Some(t)).map(WebhookEvent::$variant)
                }),)*
                _ => None,
            }
        }

        impl WebhookEvent {
            /// The event's unique `id`: the same when a delivery is retried, so a receiver can
            /// skip an event it has already handled. The `type` is [`tag`](Self::tag).
            pub fn id(&self) -> Option<&str> {
                match self {
                    $(Self::$variant(e) => e.id.as_deref(),)*
                    Self::Unknown(v) => v.get("id").and_then(Value::as_str),
                }
            }

            /// When the event was generated (`YYYY-MM-DDThh:mm:ss.SSSZ`), as sent.
            pub fn created_at(&self) -> Option<&str> {
                match self {
                    $(Self::$variant(e) => e.created_at.as_deref(),)*
                    Self::Unknown(v) => v.get("createdAt").and_then(Value::as_str),
                }
            }
        }

        #[cfg(test)]
        const DISPATCH: &[&str] = &[$($wire,)*];
    };
}

known_events! {
    "client:add" => ClientAdd,
    "client:remove" => ClientRemove,
    "client:update" => ClientUpdate,
    "conversation:create" => ConversationCreate,
    "conversation:join" => ConversationJoin,
    "conversation:leave" => ConversationLeave,
    "conversation:remove" => ConversationRemove,
    "conversation:message" => ConversationMessage,
    "conversation:message:delivery:channel" => ConversationMessageDeliveryChannel,
    "conversation:message:delivery:failure" => ConversationMessageDeliveryFailure,
    "conversation:message:delivery:user" => ConversationMessageDeliveryUser,
    "conversation:postback" => ConversationPostback,
    "conversation:read" => ConversationRead,
    "conversation:referral" => ConversationReferral,
    "conversation:typing" => ConversationTyping,
    "switchboard:acceptControl" => SwitchboardAcceptControl,
    "switchboard:acceptControl:failure" => SwitchboardAcceptControlFailure,
    "switchboard:offerControl" => SwitchboardOfferControl,
    "switchboard:offerControl:failure" => SwitchboardOfferControlFailure,
    "switchboard:passControl" => SwitchboardPassControl,
    "switchboard:passControl:failure" => SwitchboardPassControlFailure,
    "switchboard:releaseControl" => SwitchboardReleaseControl,
    "user:merge" => UserMerge,
    "user:update" => UserUpdate,
    "user:remove" => UserRemove,
}

fn decode_event(i: usize, event: Value) -> Result<WebhookEvent, WebhookError> {
    let decode = match event.get("type").and_then(Value::as_str).map(decoder) {
        Some(Some(decode)) => decode,
        _ => return Ok(WebhookEvent::Unknown(event)),
    };
    let Value::Object(mut fields) = event else {
        unreachable!("only an object has a `type`")
    };
    // The variants' structs do not hold the tag (the union writes it back first).
    let Some(Value::String(event_type)) = fields.shift_remove("type") else {
        unreachable!("checked above")
    };
    decode(i, Value::Object(fields), &event_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_type_has_a_variant() {
        assert_eq!(DISPATCH, EVENT_TYPES);
    }

    #[test]
    fn secret_comparison() {
        assert!(secret_matches(b"abc", b"abc"));
        for given in [&b""[..], b"ab", b"abd", b"abcd", b"ABC", b"abc\0"] {
            assert!(!secret_matches(given, b"abc"), "{given:?}");
        }
    }

    #[test]
    fn header_rules() {
        let ok = |h: &[(&str, &str)]| check_secret(h.iter().copied(), b"s3cret");
        assert!(ok(&[("X-API-Key", "s3cret")]).is_ok());
        assert!(ok(&[("x-api-key", "s3cret"), ("other", "x")]).is_ok());
        assert!(ok(&[("X-Api-KEY", "s3cret")]).is_ok());
        let kind = |r: Result<()>| r.unwrap_err().webhook().cloned();
        assert_eq!(kind(ok(&[])), Some(WebhookError::MissingSecret));
        assert_eq!(
            kind(ok(&[("x-api-keys", "s3cret")])),
            Some(WebhookError::MissingSecret)
        );
        assert_eq!(
            kind(ok(&[("x-api-key", "S3CRET")])),
            Some(WebhookError::WrongSecret)
        );
        assert_eq!(
            kind(ok(&[("x-api-key", " s3cret")])),
            Some(WebhookError::WrongSecret)
        );
        assert_eq!(
            kind(ok(&[("x-api-key", "s3cret"), ("X-API-Key", "s3cret")])),
            Some(WebhookError::WrongSecret),
            "a repeated header is refused"
        );
        assert_eq!(
            kind(ok(&[("x-api-key", "nope"), ("X-API-Key", "s3cret")])),
            Some(WebhookError::WrongSecret)
        );
        let empty = check_secret([("x-api-key", "")], b"").unwrap_err();
        assert!(matches!(empty, Error::Config(_)), "{empty:?}");
    }

    #[test]
    fn long_messages_are_cut() {
        let long = "x".repeat(10_000);
        let WebhookError::Malformed { message, .. } = malformed("p", &long) else {
            unreachable!()
        };
        assert_eq!(message.chars().count(), MESSAGE_MAX_CHARS + 1);
    }

    #[test]
    fn reads_events_as_the_generated_union_does() {
        let examples: Value =
            serde_json::from_str(include_str!("../../tests/webhooks/spec_examples.json")).unwrap();
        let examples = examples["examples"].as_object().unwrap();
        assert_eq!(examples.len(), EVENT_TYPES.len());
        for t in EVENT_TYPES {
            let event = examples[*t]["events"][0].clone();
            let ours = decode_event(0, event.clone()).unwrap();
            let generated: WebhookEvent = serde_json::from_value(event).unwrap();
            assert_eq!(ours, generated, "{t}");
            assert_eq!(ours.tag(), Some(*t));
            assert!(!matches!(ours, WebhookEvent::Unknown(_)), "{t}");
        }
        for odd in [
            serde_json::json!({"type": "passthrough:messaging", "id": "e"}),
            serde_json::json!({"id": "no type"}),
            serde_json::json!({"type": 7}),
            serde_json::json!("not an object"),
            serde_json::json!([{"type": "client:add"}]),
        ] {
            let generated: WebhookEvent = serde_json::from_value(odd.clone()).unwrap();
            assert_eq!(decode_event(0, odd.clone()).unwrap(), generated, "{odd}");
            assert_eq!(generated, WebhookEvent::Unknown(odd));
        }
    }
}
