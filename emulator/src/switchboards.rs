//! The Switchboards and Switchboard Integrations APIs: an app's one switchboard, and the
//! switchboard integrations (bots, agent desks) between which it passes control of
//! conversations.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::auth::APP;
use crate::content::Obj;
use crate::error::{ApiError, ApiResult, json};
use crate::query::path_segment;
use crate::state::Shared;
use crate::store::{AppData, Switchboard, SwitchboardIntegration};
use crate::{body, ids, integrations, validate};

/// Most switchboard integrations a switchboard holds.
pub(crate) const MAX_SWITCHBOARD_INTEGRATIONS: usize = 10;

pub(crate) fn switchboard_not_found() -> ApiError {
    ApiError::not_found("switchboard_not_found", "Switchboard not found")
}

pub(crate) fn switchboard_integration_not_found() -> ApiError {
    ApiError::not_found(
        "switchboard_integration_not_found",
        "Switchboard integration not found",
    )
}

/// The app's switchboard if its id is `id`; 404 `switchboard_not_found`.
fn switchboard<'a>(data: &'a AppData, id: &str) -> Result<&'a Switchboard, ApiError> {
    data.switchboard
        .as_ref()
        .filter(|s| s.id == id)
        .ok_or_else(switchboard_not_found)
}

fn switchboard_mut<'a>(data: &'a mut AppData, id: &str) -> Result<&'a mut Switchboard, ApiError> {
    data.switchboard
        .as_mut()
        .filter(|s| s.id == id)
        .ok_or_else(switchboard_not_found)
}

#[derive(Serialize)]
struct SwitchboardBody<'a> {
    switchboard: &'a Switchboard,
}

#[derive(Serialize)]
struct SwitchboardListBody<'a> {
    switchboards: Vec<&'a Switchboard>,
}

/// `POST /v2/apps/{appId}/switchboards`: the app's switchboard, created disabled and without a
/// default (no body). 400 when the app has one already.
pub(crate) async fn create(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (app, _) = state.authorize_as(
        request.headers(),
        &path_segment(request.uri().path(), 3),
        APP,
    )?;
    let mut data = app.write();
    if data.switchboard.is_some() {
        return Err(ApiError::bad_request(
            "Only one switchboard can be created per app",
        ));
    }
    let switchboard = data.switchboard.insert(Switchboard {
        id: state.ids.next_record_id(),
        enabled: false,
        default_switchboard_integration_id: None,
        integrations: BTreeMap::new(),
    });
    Ok(json(StatusCode::CREATED, &SwitchboardBody { switchboard }))
}

/// `GET /v2/apps/{appId}/switchboards`: the app's switchboard, if it has one.
pub(crate) async fn list(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (app, _) = state.authorize_as(
        request.headers(),
        &path_segment(request.uri().path(), 3),
        APP,
    )?;
    let data = app.read();
    Ok(json(
        StatusCode::OK,
        &SwitchboardListBody {
            switchboards: data.switchboard.iter().collect(),
        },
    ))
}

/// `PATCH /v2/apps/{appId}/switchboards/{switchboardId}` (`switchboardUpdateBody`): `enabled`
/// and `defaultSwitchboardIntegrationId` (a switchboard integration of this switchboard), each
/// optional. An enabled switchboard must have a default (400).
pub(crate) async fn update(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let (app, _) = state.authorize_as(&parts.headers, &path_segment(path, 3), APP)?;
    let bytes = body::read(body).await?;
    let body = validate::json_object(&parts.headers, &bytes)?;
    let root = Obj::root(&body);
    let enabled = root.boolean("enabled")?;
    let default = root
        .string("defaultSwitchboardIntegrationId", false, 1, None)?
        .map(str::to_owned);

    let mut data = app.write();
    let switchboard = switchboard_mut(&mut data, &path_segment(path, 5))?;
    if let Some(default) = &default
        && !switchboard.integrations.contains_key(default)
    {
        return Err(ApiError::bad_request(format!(
            "defaultSwitchboardIntegrationId {default} is not a switchboard integration of this switchboard"
        )));
    }
    let will_be_enabled = enabled.unwrap_or(switchboard.enabled);
    let will_have_default =
        default.is_some() || switchboard.default_switchboard_integration_id.is_some();
    if will_be_enabled && !will_have_default {
        return Err(ApiError::bad_request(
            "Enabled switchboard must have an associated default switchboardIntegration",
        ));
    }
    if let Some(enabled) = enabled {
        switchboard.enabled = enabled;
    }
    if default.is_some() {
        switchboard.default_switchboard_integration_id = default;
    }
    Ok(json(StatusCode::OK, &SwitchboardBody { switchboard }))
}

/// `DELETE /v2/apps/{appId}/switchboards/{switchboardId}`: the switchboard with its switchboard
/// integrations; conversations lose their active and pending ones. The linked integrations
/// stay.
pub(crate) async fn delete(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let path = request.uri().path();
    let (app, _) = state.authorize_as(request.headers(), &path_segment(path, 3), APP)?;
    let mut data = app.write();
    switchboard(&data, &path_segment(path, 5))?;
    let gone = data.switchboard.take().expect("checked above");
    let ids: Vec<String> = gone.integrations.into_keys().collect();
    data.forget_switchboard_integrations(&ids);
    Ok(json(StatusCode::OK, &Map::<String, Value>::new()))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SwitchboardIntegrationBody<'a> {
    switchboard_integration: &'a SwitchboardIntegration,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SwitchboardIntegrationListBody<'a> {
    switchboard_integrations: Vec<&'a SwitchboardIntegration>,
}

/// How a body names the integration a switchboard integration links.
enum Link {
    /// `integrationId`: an integration of the app.
    Id(String),
    /// `integrationType`: an OAuth integration's client id, or a built-in responder such as
    /// `zd:agentWorkspace`.
    Type(String),
}

/// The `name` of a switchboard integration: 1 to 128 letters, digits, `-` and `_`.
fn name<'a>(o: &Obj<'a>, required: bool) -> Result<Option<&'a str>, ApiError> {
    let name = o.string("name", required, 1, Some(128))?;
    if let Some(name) = name
        && !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(ApiError::bad_request(
            "name is restricted to alphanumeric characters, - and _",
        ));
    }
    Ok(name)
}

/// `integrationId` or `integrationType` of a body; `required`: exactly one, else at most one.
fn link(o: &Obj<'_>, required: bool) -> Result<Option<Link>, ApiError> {
    let id = o.string("integrationId", false, 1, None)?;
    let kind = o.string("integrationType", false, 1, None)?;
    match (id, kind) {
        (Some(_), Some(_)) => Err(ApiError::bad_request(
            "Can't provide both integrationId and integrationType",
        )),
        (Some(id), None) => Ok(Some(Link::Id(id.to_owned()))),
        (None, Some(kind)) => Ok(Some(Link::Type(kind.to_owned()))),
        (None, None) if required => Err(ApiError::bad_request(
            "One of integrationId or integrationType must be provided",
        )),
        (None, None) => Ok(None),
    }
}

/// The integration id and type `link` names in app `app_id`.
///
/// An `integrationId` must be an integration of the app (404 `integration_not_found`) that
/// can respond: a custom or an OAuth one (400 for a channel). An `integrationType` must not be
/// `custom` or a channel type (400); it links the app's OAuth integration of that type if there
/// is one, else a built-in responder that every app has (`zd:agentWorkspace`, ...), whose id is
/// derived from the app and the type.
fn resolve_link(app_id: &str, data: &AppData, link: &Link) -> Result<(String, String), ApiError> {
    match link {
        Link::Id(id) => {
            let integration = data
                .integration(id)
                .ok_or_else(integrations::integration_not_found)?;
            if integrations::is_channel(&integration.kind) {
                return Err(ApiError::bad_request(format!(
                    "integrationId {id} is a {} channel: a switchboard integration links a custom or OAuth integration",
                    integration.kind
                )));
            }
            Ok((integration.id.clone(), integration.kind.clone()))
        }
        Link::Type(kind) if kind == "custom" => Err(ApiError::bad_request(
            "integrationType custom is not allowed: link a custom integration by its integrationId",
        )),
        Link::Type(kind) if integrations::is_channel(kind) => Err(ApiError::bad_request(format!(
            "integrationType {kind} is a channel: a switchboard integration links a custom or OAuth integration"
        ))),
        Link::Type(kind) => {
            let id = data
                .integrations()
                .find(|i| &i.kind == kind)
                .map(|i| i.id.clone())
                .unwrap_or_else(|| ids::deterministic_id(&[app_id, "integrationType", kind]));
            Ok((id, kind.clone()))
        }
    }
}

/// A `nextSwitchboardIntegrationId` of a body: absent, `null` (none), or an id.
fn next_id(o: &Obj<'_>) -> Result<Option<Option<String>>, ApiError> {
    match o.map.get("nextSwitchboardIntegrationId") {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(_) => Ok(Some(
            o.string("nextSwitchboardIntegrationId", false, 1, None)?
                .map(str::to_owned),
        )),
    }
}

/// A `messageHistoryCount` of a body: absent, `null` (none), or 1 to 10.
fn history_count(o: &Obj<'_>) -> Result<Option<Option<i64>>, ApiError> {
    match o.map.get("messageHistoryCount") {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(_) => Ok(Some(o.integer("messageHistoryCount", false, 1..=10)?)),
    }
}

/// Checks a switchboard integration about to be stored in `switchboard` against the others:
/// unique name, unique integration, and a `nextSwitchboardIntegrationId` naming another one.
fn check_against_others(
    switchboard: &Switchboard,
    candidate: &SwitchboardIntegration,
) -> Result<(), ApiError> {
    let others = || {
        switchboard
            .integrations
            .values()
            .filter(|other| other.id != candidate.id)
    };
    if others().any(|other| other.name == candidate.name) {
        return Err(ApiError::bad_request(format!(
            "A switchboard integration named {} already exists in this switchboard",
            candidate.name
        )));
    }
    if let Some(other) = others().find(|other| other.integration_id == candidate.integration_id) {
        return Err(ApiError::bad_request(format!(
            "Integration {} is already linked to switchboard integration {}",
            candidate.integration_id, other.name
        )));
    }
    if let Some(next) = &candidate.next_switchboard_integration_id
        && !others().any(|other| &other.id == next)
    {
        return Err(ApiError::bad_request(format!(
            "nextSwitchboardIntegrationId {next} is not another switchboard integration of this switchboard"
        )));
    }
    Ok(())
}

/// `POST /v2/apps/{appId}/switchboards/{switchboardId}/switchboardIntegrations`
/// (`switchboardIntegrationCreateBody`).
///
/// `name` (unique in the switchboard) and one of `integrationId` or `integrationType` are
/// required; `deliverStandbyEvents` defaults to true; `nextSwitchboardIntegrationId` names
/// another switchboard integration; `messageHistoryCount` is 1 to 10. At most 10 per
/// switchboard (400 `too_many_switchboard_integrations`). Answers 201
/// `{switchboardIntegration}`.
pub(crate) async fn create_integration(
    State(state): State<Arc<Shared>>,
    request: Request,
) -> ApiResult {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let app_id = path_segment(path, 3);
    let (app, _) = state.authorize_as(&parts.headers, &app_id, APP)?;
    let bytes = body::read(body).await?;
    let body = validate::json_object(&parts.headers, &bytes)?;
    let root = Obj::root(&body);
    let name = name(&root, true)?.expect("required").to_owned();
    let link = link(&root, true)?.expect("required");
    let deliver_standby_events = root.boolean("deliverStandbyEvents")?.unwrap_or(true);
    let next = next_id(&root)?.flatten();
    let history = history_count(&root)?.flatten();

    let mut data = app.write();
    let count = switchboard(&data, &path_segment(path, 5))?
        .integrations
        .len();
    if count >= MAX_SWITCHBOARD_INTEGRATIONS {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "too_many_switchboard_integrations",
            format!(
                "Switchboard has reached the max number of switchboard integrations ({MAX_SWITCHBOARD_INTEGRATIONS})"
            ),
        ));
    }
    let (integration_id, integration_type) = resolve_link(&app_id, &data, &link)?;
    let created = SwitchboardIntegration {
        id: state.ids.next_record_id(),
        name,
        integration_id,
        integration_type,
        deliver_standby_events,
        next_switchboard_integration_id: next,
        message_history_count: history,
    };
    let switchboard = data.switchboard.as_mut().expect("checked above");
    check_against_others(switchboard, &created)?;
    let response = json(
        StatusCode::CREATED,
        &SwitchboardIntegrationBody {
            switchboard_integration: &created,
        },
    );
    switchboard.integrations.insert(created.id.clone(), created);
    Ok(response)
}

/// `GET /v2/apps/{appId}/switchboards/{switchboardId}/switchboardIntegrations`, oldest first.
pub(crate) async fn list_integrations(
    State(state): State<Arc<Shared>>,
    request: Request,
) -> ApiResult {
    let path = request.uri().path();
    let (app, _) = state.authorize_as(request.headers(), &path_segment(path, 3), APP)?;
    let data = app.read();
    let switchboard = switchboard(&data, &path_segment(path, 5))?;
    Ok(json(
        StatusCode::OK,
        &SwitchboardIntegrationListBody {
            switchboard_integrations: switchboard.integrations.values().collect(),
        },
    ))
}

/// `PATCH /v2/apps/{appId}/switchboards/{switchboardId}/switchboardIntegrations/{id}`
/// (`switchboardIntegrationUpdateBody`): each field optional, checked as on create;
/// `nextSwitchboardIntegrationId` and `messageHistoryCount` are cleared by `null`.
/// Conversations show the new name and link at once.
pub(crate) async fn update_integration(
    State(state): State<Arc<Shared>>,
    request: Request,
) -> ApiResult {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let app_id = path_segment(path, 3);
    let (app, _) = state.authorize_as(&parts.headers, &app_id, APP)?;
    let bytes = body::read(body).await?;
    let body = validate::json_object(&parts.headers, &bytes)?;
    let root = Obj::root(&body);
    let name = name(&root, false)?.map(str::to_owned);
    let link = link(&root, false)?;
    let deliver_standby_events = root.boolean("deliverStandbyEvents")?;
    let next = next_id(&root)?;
    let history = history_count(&root)?;

    let mut data = app.write();
    let id = path_segment(path, 7);
    let mut updated = switchboard(&data, &path_segment(path, 5))?
        .integrations
        .get(&id)
        .ok_or_else(switchboard_integration_not_found)?
        .clone();
    if let Some(link) = &link {
        (updated.integration_id, updated.integration_type) = resolve_link(&app_id, &data, link)?;
    }
    if let Some(name) = name {
        updated.name = name;
    }
    if let Some(deliver) = deliver_standby_events {
        updated.deliver_standby_events = deliver;
    }
    if let Some(next) = next {
        updated.next_switchboard_integration_id = next;
    }
    if let Some(history) = history {
        updated.message_history_count = history;
    }
    let switchboard = data.switchboard.as_mut().expect("checked above");
    check_against_others(switchboard, &updated)?;
    switchboard.integrations.insert(id, updated.clone());
    data.refresh_switchboard_refs(&updated);
    Ok(json(
        StatusCode::OK,
        &SwitchboardIntegrationBody {
            switchboard_integration: &updated,
        },
    ))
}

/// `DELETE /v2/apps/{appId}/switchboards/{switchboardId}/switchboardIntegrations/{id}`.
///
/// Refused (400) for the switchboard's default and for one another's
/// `nextSwitchboardIntegrationId` names. Conversations it controlled (or was offered) have
/// none until their next message, when the default takes control.
pub(crate) async fn delete_integration(
    State(state): State<Arc<Shared>>,
    request: Request,
) -> ApiResult {
    let path = request.uri().path();
    let (app, _) = state.authorize_as(request.headers(), &path_segment(path, 3), APP)?;
    let mut data = app.write();
    let id = path_segment(path, 7);
    let switchboard = switchboard_mut(&mut data, &path_segment(path, 5))?;
    let gone = switchboard
        .integrations
        .get(&id)
        .ok_or_else(switchboard_integration_not_found)?;
    if switchboard.default_switchboard_integration_id.as_ref() == Some(&id) {
        return Err(ApiError::bad_request(format!(
            "Switchboard integration {} is the switchboard's default: choose another default first",
            gone.name
        )));
    }
    if let Some(other) = switchboard
        .integrations
        .values()
        .find(|other| other.next_switchboard_integration_id.as_ref() == Some(&id))
    {
        return Err(ApiError::bad_request(format!(
            "Switchboard integration {} is the nextSwitchboardIntegrationId of {}",
            gone.name, other.name
        )));
    }
    switchboard.integrations.remove(&id);
    data.forget_switchboard_integrations(&[id]);
    Ok(json(StatusCode::OK, &Map::<String, Value>::new()))
}
