//! Request bodies: reading them under the size limit and before a deadline.

use std::future::poll_fn;
use std::pin::Pin;

use axum::body::{Body, Bytes, HttpBody};
use tokio::time::Instant;

use crate::error::ApiError;

/// Largest accepted request body (100 KB), as on the real service.
pub(crate) const MAX_BODY_BYTES: usize = 100 * 1024;
/// How much of an oversized body is still read (and thrown away) so the client gets to read the
/// 413 instead of failing on a reset connection while it is still sending.
const DRAIN_BYTES: usize = 64 * 1024 * 1024;

/// How reading a body ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The whole body, within the limit.
    Complete,
    /// The body was over the limit.
    TooLarge,
    /// The deadline passed before the body was complete.
    TimedOut,
}

/// A request body read off the wire.
pub(crate) struct Received {
    pub(crate) outcome: Outcome,
    /// The body when complete; otherwise its start (at least the first [`MAX_BODY_BYTES`] when
    /// there were that many, for the log).
    pub(crate) bytes: Bytes,
    /// Bytes received in all.
    pub(crate) size: usize,
}

/// Reads `body` up to `limit` bytes ([`MAX_BODY_BYTES`] but for uploads), giving up at
/// `deadline`; an error means the client went away mid-body.
pub(crate) async fn receive<B>(
    mut body: B,
    deadline: Option<Instant>,
    limit: usize,
) -> Result<Received, B::Error>
where
    B: HttpBody<Data = Bytes> + Unpin,
{
    let mut first: Option<Bytes> = None;
    let mut buffer: Vec<u8> = Vec::new();
    let mut total = 0usize;
    let mut outcome = Outcome::Complete;
    loop {
        let next = poll_fn(|cx| Pin::new(&mut body).poll_frame(cx));
        // Polling a frame is cancel-safe: what has arrived stays in `first`/`buffer`.
        let frame = match deadline {
            None => next.await,
            Some(deadline) => match tokio::time::timeout_at(deadline, next).await {
                Ok(frame) => frame,
                Err(_) => {
                    outcome = Outcome::TimedOut;
                    break;
                }
            },
        };
        let Some(frame) = frame else { break };
        let Ok(data) = frame?.into_data() else {
            continue; // trailers
        };
        total += data.len();
        if total > limit {
            outcome = Outcome::TooLarge;
            // Enough of it for the log; the rest is read and thrown away.
            if buffer.len() < MAX_BODY_BYTES + 1 {
                if let Some(first) = first.take() {
                    buffer.extend_from_slice(&first);
                }
                buffer.extend_from_slice(&data);
            }
            if total > DRAIN_BYTES {
                break;
            }
            continue;
        }
        // Most bodies arrive in one frame: keep it without copying.
        match first.take() {
            None if buffer.is_empty() => first = Some(data),
            prior => {
                if let Some(prior) = prior {
                    buffer.extend_from_slice(&prior);
                }
                buffer.extend_from_slice(&data);
            }
        }
    }
    Ok(Received {
        outcome,
        bytes: first.unwrap_or_else(|| Bytes::from(buffer)),
        size: total,
    })
}

/// The bytes of an already buffered body, as the handlers receive it.
pub(crate) async fn read(body: Body) -> Result<Bytes, ApiError> {
    axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| ApiError::bad_request("Request body could not be read"))
}

/// The JSON of a control request's body (`/_emulator/...`: any content type, so `curl -d`
/// works without `-H`).
pub(crate) async fn read_json(body: Body) -> Result<serde_json::Value, ApiError> {
    let bytes = read(body).await?;
    serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::bad_request(format!("Malformed JSON in request body: {e}")))
}
