//! The Switchboard Actions: pass, offer, accept and release control of a conversation, a state
//! machine on its `activeSwitchboardIntegration` and `pendingSwitchboardIntegration`.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use serde_json::{Map, Value};

use crate::auth::{ANY, Principal, forbidden};
use crate::content::Obj;
use crate::error::{ApiError, ApiResult, json};
use crate::query::path_segment;
use crate::state::Shared;
use crate::store::{AppData, SwitchboardIntegration, SwitchboardIntegrationRef};
use crate::switchboards::{switchboard_integration_not_found, switchboard_not_found};
use crate::{body, events, validate};

/// The four actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Pass,
    Offer,
    Accept,
    Release,
}

impl Action {
    /// The webhook event the action sends.
    fn event(self) -> &'static str {
        match self {
            Action::Pass => "switchboard:passControl",
            Action::Offer => "switchboard:offerControl",
            Action::Accept => "switchboard:acceptControl",
            Action::Release => "switchboard:releaseControl",
        }
    }
}

/// The switchboard integration `wanted` names, for a conversation whose active one is
/// `active`.
///
/// `next` is the `nextSwitchboardIntegrationId` of the active switchboard integration (of the
/// switchboard's default when none is active). Anything else is matched against the ids, then
/// the names, then the integration types: the first kind that matches decides, and two
/// matches of one kind are ambiguous (400). 404 `switchboard_not_found` without a switchboard,
/// `switchboard_integration_not_found` when nothing matches.
fn target<'a>(
    data: &'a AppData,
    active: Option<&SwitchboardIntegrationRef>,
    wanted: &str,
) -> Result<&'a SwitchboardIntegration, ApiError> {
    let switchboard = data
        .switchboard
        .as_ref()
        .ok_or_else(switchboard_not_found)?;
    let all = &switchboard.integrations;
    if wanted == "next" {
        let from = active
            .map(|a| a.id.as_str())
            .or(switchboard.default_switchboard_integration_id.as_deref())
            .and_then(|id| all.get(id))
            .ok_or_else(|| {
                ApiError::bad_request(
                    "next cannot be resolved: no switchboard integration is in control of the conversation and the switchboard has no default",
                )
            })?;
        let next = from.next_switchboard_integration_id.as_ref().ok_or_else(|| {
            ApiError::bad_request(format!(
                "next cannot be resolved: switchboard integration {} has no nextSwitchboardIntegrationId",
                from.name
            ))
        })?;
        return all.get(next).ok_or_else(switchboard_integration_not_found);
    }
    if let Some(found) = all.get(wanted) {
        return Ok(found);
    }
    for (what, key) in [
        (
            "name",
            (|s: &SwitchboardIntegration| &s.name) as fn(&_) -> &String,
        ),
        ("integrationType", |s: &SwitchboardIntegration| {
            &s.integration_type
        }),
    ] {
        let matches: Vec<&SwitchboardIntegration> =
            all.values().filter(|s| key(s) == wanted).collect();
        match matches.as_slice() {
            [] => continue,
            [one] => return Ok(one),
            _ => {
                return Err(ApiError::bad_request(format!(
                    "switchboardIntegration {wanted:?} is ambiguous: {} switchboard integrations have that {what}",
                    matches.len()
                )));
            }
        }
    }
    Err(switchboard_integration_not_found())
}

/// Runs `action` on the conversation in `request`'s path.
async fn act(state: Arc<Shared>, request: Request, action: Action) -> ApiResult {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let (app, principal) = state.authorize_as(&parts.headers, &path_segment(path, 3), ANY)?;
    let bytes = body::read(body).await?;
    let body = match action {
        Action::Pass | Action::Offer => validate::json_object(&parts.headers, &bytes)?,
        Action::Accept | Action::Release => validate::optional_json_object(&parts.headers, &bytes)?,
    };
    let root = Obj::root(&body);
    let wanted = match action {
        Action::Pass | Action::Offer => Some(
            root.string("switchboardIntegration", true, 1, None)?
                .expect("required")
                .to_owned(),
        ),
        Action::Accept | Action::Release => None,
    };
    // Carried by the webhook event.
    let metadata = root.metadata("metadata")?;

    let conversation_id = path_segment(path, 5);
    let mut data = app.write();
    let conversation = data
        .conversation(&conversation_id)
        .ok_or_else(ApiError::conversation_not_found)?;
    let active = conversation.active_switchboard_integration.clone();
    let pending = conversation.pending_switchboard_integration.clone();
    let own = |shown: Option<&SwitchboardIntegrationRef>| match &principal {
        Principal::Integration { integration, .. } => {
            shown.is_some_and(|s| &s.integration_id == integration)
        }
        _ => true,
    };
    let (new_active, new_pending) = match action {
        Action::Pass => {
            let to = target(&data, active.as_ref(), wanted.as_deref().expect("read"))?;
            (Some(to.to_ref()), None)
        }
        Action::Offer => {
            let to = target(&data, active.as_ref(), wanted.as_deref().expect("read"))?;
            if active.as_ref().is_some_and(|a| a.id == to.id) {
                return Err(ApiError::bad_request(format!(
                    "Switchboard integration {} is already in control of the conversation",
                    to.name
                )));
            }
            (active, Some(to.to_ref()))
        }
        Action::Accept => {
            let Some(pending) = pending else {
                return Err(ApiError::bad_request(
                    "No switchboard integration has been offered control of the conversation",
                ));
            };
            if !own(Some(&pending)) {
                return Err(forbidden(
                    "The pending switchboard integration is not the authenticated integration",
                ));
            }
            (Some(pending), None)
        }
        Action::Release => {
            if !own(active.as_ref()) {
                return Err(forbidden(
                    "The authenticated integration is not in control of the conversation",
                ));
            }
            (None, None)
        }
    };
    let conversation = data
        .conversation_mut(&conversation_id)
        .expect("checked above");
    conversation.active_switchboard_integration = new_active;
    conversation.pending_switchboard_integration = new_pending;
    events::emit_conversation(&state, &data, &conversation_id, action.event(), |_| {
        let mut extra = Map::new();
        if let Some(metadata) = &metadata {
            extra.insert("metadata".into(), Value::Object(metadata.clone()));
        }
        extra
    });
    Ok(json(StatusCode::OK, &Map::<String, Value>::new()))
}

/// `POST /v2/apps/{appId}/conversations/{conversationId}/passControl` (`passControlBody`):
/// the switchboard integration named becomes active; none stays pending.
pub(crate) async fn pass(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    act(state, request, Action::Pass).await
}

/// `POST /v2/apps/{appId}/conversations/{conversationId}/offerControl` (`offerControlBody`):
/// the switchboard integration named (not the active one) becomes pending, replacing an
/// earlier offer.
pub(crate) async fn offer(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    act(state, request, Action::Offer).await
}

/// `POST /v2/apps/{appId}/conversations/{conversationId}/acceptControl` (`acceptControlBody`):
/// the pending switchboard integration becomes active (400 when none is pending; 403 for an
/// integration key of another integration).
pub(crate) async fn accept(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    act(state, request, Action::Accept).await
}

/// `POST /v2/apps/{appId}/conversations/{conversationId}/releaseControl`
/// (`releaseControlBody`, optional): the conversation has no active and no pending switchboard
/// integration until its next message (403 for an integration key of an integration not in
/// control).
pub(crate) async fn release(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    act(state, request, Action::Release).await
}
