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
use serde_json::{Map, Value};

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
    let bytes = body::read(request.into_body()).await?;
    // Any content type is accepted here, so `curl -d` works without `-H`.
    let value: Value = serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::bad_request(format!("Malformed JSON in request body: {e}")))?;
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
