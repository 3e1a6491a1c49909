//! The control endpoints under `/_emulator/`: request log, fault queue and reset. No auth.

use std::convert::Infallible;
use std::ops::Range;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use hyper::body::Frame;
use serde::Serialize;
use serde_json::Map;

use crate::error::{ApiError, ApiResult, json, json_bytes};
use crate::faults::{self, FaultRule};
use crate::state::Shared;
use crate::{body, query};

fn empty() -> Response {
    json(StatusCode::OK, &Map::new())
}

/// Entries serialised per chunk of a `GET /_emulator/requests` answer, in bytes (roughly:
/// a chunk ends after the entry that reaches it).
const CHUNK_BYTES: usize = 32 * 1024;

/// `GET /_emulator/requests[?offset=M][&limit=N]`: the logged API requests in arrival order,
/// `{"requests":[..],"dropped":D}`, skipping the first `offset` kept and giving at most `limit`.
///
/// The body is streamed a chunk at a time, each taken from the log as hyper is ready to send
/// it, so the whole log never sits in one buffer. The answer covers the entries kept when the
/// request arrived, less any dropped or cleared while it is sent; `dropped` is read at the end.
pub(crate) async fn requests(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (mut offset, mut limit) = (0u64, u64::MAX);
    for (key, value) in query::pairs(request.uri().query().unwrap_or("")) {
        let target = match key.as_str() {
            "offset" => &mut offset,
            "limit" => &mut limit,
            _ => continue,
        };
        *target = value.parse().map_err(|_| {
            ApiError::bad_request(format!(
                "{key} must be a non-negative integer, got {value:?}"
            ))
        })?;
    }
    let range = state.log.window(offset, limit);
    Ok(json_bytes(
        StatusCode::OK,
        Body::new(LogBody {
            state,
            range,
            first: true,
            stage: Stage::Start,
        }),
    ))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Start,
    Entries,
    End,
    Done,
}

/// The streamed body of `GET /_emulator/requests`.
struct LogBody {
    state: Arc<Shared>,
    /// Sequence numbers of the entries still to send.
    range: Range<u64>,
    /// No entry sent yet (no comma before the next).
    first: bool,
    stage: Stage,
}

impl HttpBody for LogBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        loop {
            let chunk = match this.stage {
                Stage::Start => {
                    this.stage = Stage::Entries;
                    Bytes::from_static(b"{\"requests\":[")
                }
                Stage::Entries => {
                    let mut out = Vec::with_capacity(CHUNK_BYTES + 1024);
                    let log = &this.state.log;
                    log.write_json(&mut this.range, &mut this.first, &mut out, CHUNK_BYTES);
                    if this.range.is_empty() {
                        this.stage = Stage::End;
                    }
                    if out.is_empty() {
                        continue;
                    }
                    Bytes::from(out)
                }
                Stage::End => {
                    this.stage = Stage::Done;
                    Bytes::from(format!("],\"dropped\":{}}}", this.state.log.dropped()))
                }
                Stage::Done => return Poll::Ready(None),
            };
            return Poll::Ready(Some(Ok(Frame::data(chunk))));
        }
    }

    fn is_end_stream(&self) -> bool {
        self.stage == Stage::Done
    }
}

/// `DELETE /_emulator/requests`.
pub(crate) async fn clear_requests(State(state): State<Arc<Shared>>) -> Response {
    state.log.clear();
    empty()
}

/// `POST /_emulator/faults`: queue one rule or an array of rules.
pub(crate) async fn add_faults(
    State(state): State<Arc<Shared>>,
    request: Request<Body>,
) -> ApiResult {
    let value = body::read_json(request.into_body()).await?;
    let rules = faults::parse_rules(value).map_err(ApiError::bad_request)?;
    let queued = state.faults.push(rules);
    Ok(json(
        StatusCode::OK,
        &serde_json::json!({ "queued": queued }),
    ))
}

#[derive(Serialize)]
struct FaultsBody {
    faults: Vec<FaultRule>,
}

/// `GET /_emulator/faults`: pending rules with their remaining `times`.
pub(crate) async fn list_faults(State(state): State<Arc<Shared>>) -> Response {
    json(
        StatusCode::OK,
        &FaultsBody {
            faults: state.faults.list(),
        },
    )
}

/// `DELETE /_emulator/faults`.
pub(crate) async fn clear_faults(State(state): State<Arc<Shared>>) -> Response {
    state.faults.clear();
    empty()
}

/// `POST /_emulator/reset`: back to the seed, with an empty log and no faults.
pub(crate) async fn reset(State(state): State<Arc<Shared>>) -> Response {
    state.reset();
    empty()
}

/// Longest `idle` wait of `GET /_emulator/deliveries`, in milliseconds.
const MAX_IDLE_WAIT_MS: u64 = 60_000;

/// `GET /_emulator/deliveries[?offset=M][&limit=N][&idle=MS]`: every webhook delivery attempt
/// in order, `{"deliveries": [{webhookId, target, eventId, eventTypes, conversationId,
/// attempt, status | error, outcome, fault?, at}], "dropped": D, "pending": P}`. With `idle`,
/// first waits up to MS milliseconds (at most 60000) for every queued event to be delivered,
/// failed or dropped (`pending` then says whether that happened).
pub(crate) async fn deliveries(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (mut offset, mut limit, mut idle) = (0u64, u64::MAX, None);
    for (key, value) in query::pairs(request.uri().query().unwrap_or("")) {
        let parsed: u64 = match key.as_str() {
            "offset" | "limit" | "idle" => value.parse().map_err(|_| {
                ApiError::bad_request(format!(
                    "{key} must be a non-negative integer, got {value:?}"
                ))
            })?,
            _ => continue,
        };
        match key.as_str() {
            "offset" => offset = parsed,
            "limit" => limit = parsed,
            _ if parsed > MAX_IDLE_WAIT_MS => {
                return Err(ApiError::bad_request(format!(
                    "idle must be at most {MAX_IDLE_WAIT_MS} (milliseconds), got {parsed}"
                )));
            }
            _ => idle = Some(parsed),
        }
    }
    if let Some(ms) = idle {
        state
            .delivery
            .wait_idle(std::time::Duration::from_millis(ms))
            .await;
    }
    let offset = usize::try_from(offset).unwrap_or(usize::MAX);
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    Ok(json(
        StatusCode::OK,
        &state.delivery.log_json(offset, limit),
    ))
}

/// `DELETE /_emulator/deliveries`: empties the delivery log (queued events still go out).
pub(crate) async fn clear_deliveries(State(state): State<Arc<Shared>>) -> Response {
    state.delivery.clear_log();
    empty()
}

/// `POST /_emulator/webhook-faults`: queue one delivery fault or an array of them,
/// `{"action": {"type": "drop" | "delay" (with "ms") | "wrongSecret" | "noSecret" |
/// "malformed" | "duplicate" | "fail"}, "eventType"?, "webhookId"?, "times"? (default 1)}`;
/// each applies to the next matching attempts.
pub(crate) async fn add_webhook_faults(
    State(state): State<Arc<Shared>>,
    request: Request<Body>,
) -> ApiResult {
    let value = body::read_json(request.into_body()).await?;
    let faults = crate::delivery::parse_faults(value).map_err(ApiError::bad_request)?;
    let queued = state.delivery.push_faults(faults);
    Ok(json(
        StatusCode::OK,
        &serde_json::json!({ "queued": queued }),
    ))
}

/// `GET /_emulator/webhook-faults`: pending delivery faults with their remaining `times`.
pub(crate) async fn list_webhook_faults(State(state): State<Arc<Shared>>) -> Response {
    json(
        StatusCode::OK,
        &serde_json::json!({ "faults": state.delivery.list_faults() }),
    )
}

/// `DELETE /_emulator/webhook-faults`.
pub(crate) async fn clear_webhook_faults(State(state): State<Arc<Shared>>) -> Response {
    state.delivery.clear_faults();
    empty()
}

/// `GET /_emulator/webhook-settings`: `{"backoffMs", "maxAttempts", "timeoutMs"}`.
pub(crate) async fn webhook_settings(State(state): State<Arc<Shared>>) -> Response {
    json(StatusCode::OK, &state.delivery.settings())
}

/// `PATCH /_emulator/webhook-settings`: changes any of `backoffMs` (0 to 600000),
/// `maxAttempts` (1 to 100) and `timeoutMs` (1 to 600000) until the next reset; answers the
/// settings.
pub(crate) async fn patch_webhook_settings(
    State(state): State<Arc<Shared>>,
    request: Request<Body>,
) -> ApiResult {
    let value = body::read_json(request.into_body()).await?;
    let settings = state
        .delivery
        .patch_settings(&value)
        .map_err(ApiError::bad_request)?;
    Ok(json(StatusCode::OK, &settings))
}
