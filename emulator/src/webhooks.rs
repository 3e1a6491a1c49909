//! The Webhooks API: where an integration wants events sent (`target`), which ones
//! (`triggers`), and the secret sent with them. `crate::events` builds the events and
//! `crate::delivery` sends them.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::auth::{ANY, forbidden};
use crate::content::Obj;
use crate::error::{ApiError, ApiResult, json};
use crate::integrations::{integration_not_found, is_channel};
use crate::query::path_segment;
use crate::state::{AppSlot, Shared};
use crate::store::AppData;
use crate::{body, validate};

/// Most webhooks an app holds, across its integrations.
pub(crate) const MAX_PER_APP: usize = 10;

/// The triggers of the spec's Webhook Triggers table.
pub(crate) const TRIGGERS: [&str; 26] = [
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
    "passthrough:messaging",
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

/// A webhook (the spec's `webhook`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Webhook {
    pub(crate) id: String,
    pub(crate) version: &'static str,
    pub(crate) target: String,
    pub(crate) triggers: Vec<String>,
    pub(crate) secret: String,
    pub(crate) include_full_user: bool,
    pub(crate) include_full_source: bool,
}

/// A `target`: an absolute `http` or `https` URL.
fn target(o: &Obj<'_>, required: bool) -> Result<Option<String>, ApiError> {
    let Some(target) = o.string("target", required, 1, None)? else {
        return Ok(None);
    };
    let scheme = target
        .split_once("://")
        .map(|(s, _)| s.to_ascii_lowercase());
    if !validate::is_absolute_uri(target) || !matches!(scheme.as_deref(), Some("http" | "https")) {
        return Err(ApiError::bad_request(format!(
            "{} must be an http or https URL",
            o.name("target")
        )));
    }
    Ok(Some(target.to_owned()))
}

/// `triggers`: at least one, each a trigger of the spec's table (case sensitive).
fn triggers(o: &Obj<'_>, required: bool) -> Result<Option<Vec<String>>, ApiError> {
    let Some(items) = o.array("triggers", required, 1, None)? else {
        return Ok(None);
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| match item.as_str() {
            Some(t) if TRIGGERS.contains(&t) => Ok(t.to_owned()),
            Some(t) => Err(ApiError::bad_request(format!(
                "{}[{i}] {t:?} is not a webhook trigger (they are case sensitive, e.g. conversation:message)",
                o.name("triggers")
            ))),
            None => Err(ApiError::bad_request(format!(
                "{}[{i}] must be a string",
                o.name("triggers")
            ))),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// A new webhook from a `webhookCreateBody` (`target` and `triggers` required,
/// `includeFullUser` and `includeFullSource` false by default), with a fresh id and secret.
pub(crate) fn create(state: &Shared, o: &Obj<'_>) -> Result<Webhook, ApiError> {
    build(o, state.ids.next_record_id(), state.ids.next_hex_secret())
}

/// The webhook `o` describes (checked as for `create`), with `id` and `secret`.
pub(crate) fn build(o: &Obj<'_>, id: String, secret: String) -> Result<Webhook, ApiError> {
    let target = target(o, true)?.expect("required");
    let triggers = triggers(o, true)?.expect("required");
    let include_full_user = o.boolean("includeFullUser")?.unwrap_or(false);
    let include_full_source = o.boolean("includeFullSource")?.unwrap_or(false);
    Ok(Webhook {
        id,
        version: "v2",
        target,
        triggers,
        secret,
        include_full_user,
        include_full_source,
    })
}

/// 400 when an app holding `count` webhooks cannot take `adding` more.
pub(crate) fn check_room(count: usize, adding: usize) -> Result<(), ApiError> {
    if count + adding > MAX_PER_APP {
        return Err(ApiError::bad_request(format!(
            "An app is limited to {MAX_PER_APP} webhooks"
        )));
    }
    Ok(())
}

#[derive(Serialize)]
struct WebhookBody<'a> {
    webhook: &'a Webhook,
}

#[derive(Serialize)]
struct WebhookListBody<'a> {
    webhooks: Vec<&'a Webhook>,
}

fn webhook_not_found() -> ApiError {
    ApiError::not_found("not_found", "Webhook not found")
}

/// The app and the id of the integration in `path` (segments 3 and 5), as the credentials
/// may reach it: `me` is the integration of an integration key or OAuth token; such
/// credentials may only reach their own integration (403).
fn integration_in_path(
    state: &Shared,
    request: &Request,
) -> Result<(Arc<AppSlot>, String), ApiError> {
    let path = request.uri().path();
    let (app, principal) = state.authorize_as(request.headers(), &path_segment(path, 3), ANY)?;
    let named = path_segment(path, 5);
    let id = match (principal.integration(), named.as_str()) {
        (Some(own), "me") => own.to_owned(),
        (_, "me") => return Err(integration_not_found()),
        (Some(own), other) if own != other => {
            return Err(forbidden(
                "An integration can only manage its own webhooks (use integrations/me/webhooks)",
            ));
        }
        (_, other) => other.to_owned(),
    };
    Ok((app, id))
}

/// 404 `integration_not_found`, or 400 for a channel, which has no webhooks.
fn check_integration(data: &AppData, id: &str) -> Result<(), ApiError> {
    let integration = data.integration(id).ok_or_else(integration_not_found)?;
    if is_channel(&integration.kind) {
        return Err(ApiError::bad_request(format!(
            "Webhooks belong to custom and OAuth integrations, not to a {} channel",
            integration.kind
        )));
    }
    Ok(())
}

/// `POST /v2/apps/{appId}/integrations/{integrationId}/webhooks` (`webhookCreateBody`):
/// `target` (an http or https URL) and `triggers` (at least one of the spec's triggers) are
/// required, `includeFullUser` and `includeFullSource` default to false. Answers 201
/// `{webhook}` with its `secret`. At most 10 webhooks per app (400).
pub(crate) async fn create_webhook(
    State(state): State<Arc<Shared>>,
    request: Request,
) -> ApiResult {
    let (app, integration_id) = integration_in_path(&state, &request)?;
    let (parts, body) = request.into_parts();
    let bytes = body::read(body).await?;
    let body = validate::json_object(&parts.headers, &bytes)?;
    let webhook = create(&state, &Obj::root(&body))?;
    let mut data = app.write();
    check_integration(&data, &integration_id)?;
    check_room(data.webhook_count(), 1)?;
    let response = json(StatusCode::CREATED, &WebhookBody { webhook: &webhook });
    data.integration_mut(&integration_id)
        .expect("checked above")
        .webhooks
        .insert(webhook.id.clone(), webhook);
    Ok(response)
}

/// `GET /v2/apps/{appId}/integrations/{integrationId}/webhooks`: `{webhooks}`, oldest first,
/// secrets included.
pub(crate) async fn list_webhooks(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (app, integration_id) = integration_in_path(&state, &request)?;
    let data = app.read();
    check_integration(&data, &integration_id)?;
    let integration = data.integration(&integration_id).expect("checked above");
    Ok(json(
        StatusCode::OK,
        &WebhookListBody {
            webhooks: integration.webhooks.values().collect(),
        },
    ))
}

/// `GET /v2/apps/{appId}/integrations/{integrationId}/webhooks/{webhookId}`; 404 `not_found`.
pub(crate) async fn get_webhook(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (app, integration_id) = integration_in_path(&state, &request)?;
    let data = app.read();
    check_integration(&data, &integration_id)?;
    let webhook = data
        .integration(&integration_id)
        .expect("checked above")
        .webhooks
        .get(&path_segment(request.uri().path(), 7))
        .ok_or_else(webhook_not_found)?;
    Ok(json(StatusCode::OK, &WebhookBody { webhook }))
}

/// `PATCH /v2/apps/{appId}/integrations/{integrationId}/webhooks/{webhookId}` (`webhookBody`):
/// `target`, `triggers`, `includeFullUser` and `includeFullSource`, each optional and checked
/// as on create (`null` is a 400); the secret stays.
pub(crate) async fn update_webhook(
    State(state): State<Arc<Shared>>,
    request: Request,
) -> ApiResult {
    let (app, integration_id) = integration_in_path(&state, &request)?;
    let webhook_id = path_segment(request.uri().path(), 7);
    let (parts, body) = request.into_parts();
    let bytes = body::read(body).await?;
    let body = validate::json_object(&parts.headers, &bytes)?;
    let o = Obj::root(&body);
    let new_target = target(&o, false)?;
    let new_triggers = triggers(&o, false)?;
    let full_user = o.boolean("includeFullUser")?;
    let full_source = o.boolean("includeFullSource")?;

    let mut data = app.write();
    check_integration(&data, &integration_id)?;
    let webhook = data
        .integration_mut(&integration_id)
        .expect("checked above")
        .webhooks
        .get_mut(&webhook_id)
        .ok_or_else(webhook_not_found)?;
    if let Some(target) = new_target {
        webhook.target = target;
    }
    if let Some(triggers) = new_triggers {
        webhook.triggers = triggers;
    }
    if let Some(full_user) = full_user {
        webhook.include_full_user = full_user;
    }
    if let Some(full_source) = full_source {
        webhook.include_full_source = full_source;
    }
    Ok(json(StatusCode::OK, &WebhookBody { webhook }))
}

/// `DELETE /v2/apps/{appId}/integrations/{integrationId}/webhooks/{webhookId}`; 404
/// `not_found`.
pub(crate) async fn delete_webhook(
    State(state): State<Arc<Shared>>,
    request: Request,
) -> ApiResult {
    let (app, integration_id) = integration_in_path(&state, &request)?;
    let mut data = app.write();
    check_integration(&data, &integration_id)?;
    data.integration_mut(&integration_id)
        .expect("checked above")
        .webhooks
        .remove(&path_segment(request.uri().path(), 7))
        .ok_or_else(webhook_not_found)?;
    Ok(json(StatusCode::OK, &Map::<String, Value>::new()))
}
