//! The control endpoints under `/_emulator/`: request log, fault queue and reset. No auth.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::body;
use crate::error::{ApiError, ApiResult, json};
use crate::faults::{self, FaultRule};
use crate::log::EntryView;
use crate::state::Shared;

fn empty() -> Response {
    json(StatusCode::OK, &Map::new())
}

#[derive(Serialize)]
struct RequestsBody<'a> {
    requests: Vec<EntryView<'a>>,
    /// Entries dropped because the log was full.
    dropped: u64,
}

/// `GET /_emulator/requests`: the logged API requests in arrival order.
pub(crate) async fn requests(State(state): State<Arc<Shared>>) -> Response {
    let (entries, dropped) = state.log.snapshot();
    json(
        StatusCode::OK,
        &RequestsBody {
            requests: entries.iter().map(EntryView::from).collect(),
            dropped,
        },
    )
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
