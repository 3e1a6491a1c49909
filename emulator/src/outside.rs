//! Control endpoints that play the world outside the API, under `/_emulator/apps/{appId}/`:
//! a user signing in through the Help Center (read-only user fields), core Zendesk user
//! records for `SyncUser`, and end users writing on a channel. No auth.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::content::Obj;
use crate::error::{ApiError, ApiResult, json};
use crate::query::path_segment;
use crate::state::{AppSlot, Shared};
use crate::store::{Client, Device, User, ZendeskUser};
use crate::{body, events, timestamp, validate};

/// The app named in segment 3 of `path` (`/_emulator/apps/{appId}/..`); 404 `app_not_found`.
fn app(state: &Shared, path: &str) -> Result<Arc<AppSlot>, ApiError> {
    state.app(&path_segment(path, 3))
}

/// A control body: a JSON object, whatever the content type (so `curl -d` works).
async fn object(body: Body) -> Result<Map<String, Value>, ApiError> {
    let bytes = body::read(body).await?;
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::bad_request("Request body must be a JSON object")),
        Err(e) => Err(ApiError::bad_request(format!(
            "Malformed JSON in request body: {e}"
        ))),
    }
}

/// A nullable string field of a control body: `None` when absent, `Some(None)` for `null`.
fn nullable_text(
    body: &Map<String, Value>,
    field: &str,
) -> Result<Option<Option<String>>, ApiError> {
    match body.get(field) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(value) => Ok(Some(Some(validate::bounded_text(field, value, 1024)?))),
    }
}

#[derive(Serialize)]
struct UserBody<'a> {
    user: &'a User,
}

/// `PATCH /_emulator/apps/{appId}/users/{userIdOrExternalId}`: sets the fields the API only
/// reads, as a Help Center sign-in or a channel would. `zendeskId` (string, unique in the app,
/// or `null`), `identities` (array of `{type, value, verification?}`, replacing the current
/// ones) and `authenticated` (boolean or `null`); left-out fields stay. Answers `{user}`.
pub(crate) async fn patch_user(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let app = app(&state, path)?;
    let body = object(body).await?;
    let zendesk_id = nullable_text(&body, "zendeskId")?;
    let identities = match body.get("identities") {
        None => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .map(validate::identity)
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Some(_) => return Err(ApiError::bad_request("identities must be an array")),
    };
    let authenticated = match body.get("authenticated") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(Value::Bool(b)) => Some(Some(*b)),
        Some(_) => return Err(ApiError::bad_request("authenticated must be a boolean")),
    };

    let mut data = app.write();
    let id = data
        .find_user(&path_segment(path, 5))
        .ok_or_else(ApiError::user_not_found)?
        .id
        .clone();
    if let Some(Some(zendesk_id)) = &zendesk_id
        && data
            .users_sorted()
            .iter()
            .any(|u| u.id != id && u.zendesk_id.as_ref() == Some(zendesk_id))
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            "zendeskId is already linked to another user",
        ));
    }
    let user = data.user_mut(&id).expect("just found");
    if let Some(zendesk_id) = zendesk_id {
        user.zendesk_id = zendesk_id;
    }
    if let Some(identities) = identities {
        user.identities = identities;
    }
    if let Some(authenticated) = authenticated {
        user.authenticated = authenticated;
    }
    Ok(json(StatusCode::OK, &UserBody { user }))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ZendeskUserBody<'a> {
    zendesk_user: &'a ZendeskUser,
}

/// `PUT /_emulator/apps/{appId}/zendesk-users/{zendeskId}`: defines (or replaces) the core
/// Zendesk user that `SyncUser` copies from: `externalId`, `givenName`, `surname` and `email`,
/// each an optional string. Answers `{zendeskUser}`.
pub(crate) async fn put_zendesk_user(
    State(state): State<Arc<Shared>>,
    request: Request,
) -> ApiResult {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let app = app(&state, path)?;
    let body = object(body).await?;
    let text = |field: &str, max: usize| {
        validate::present(&body, field)
            .map(|v| validate::bounded_text(field, v, max))
            .transpose()
    };
    let core = ZendeskUser {
        id: path_segment(path, 5),
        external_id: text("externalId", 1024)?,
        given_name: text("givenName", 128)?,
        surname: text("surname", 128)?,
        email: text("email", 128)?,
    };
    if let Some(email) = &core.email
        && !validate::is_email(email)
    {
        return Err(ApiError::bad_request("email must be an email address"));
    }
    let mut data = app.write();
    data.zendesk_users.insert(core.id.clone(), core.clone());
    Ok(json(
        StatusCode::OK,
        &ZendeskUserBody {
            zendesk_user: &core,
        },
    ))
}

#[derive(Serialize)]
struct DeviceBody<'a> {
    device: &'a Device,
}

/// `POST /_emulator/apps/{appId}/users/{userIdOrExternalId}/devices`: a device the user's SDK
/// client was seen on, as an SDK would register it. `type` (`android`, `ios` or `web`) is
/// required; `guid` (default: 32 random-looking hex digits), `status` (`active` or `inactive`,
/// default `active`), `integrationId`, `pushNotificationToken`, `appVersion`, `info` (an object)
/// and `lastSeen` (an ISO 8601 date-time, default now) are optional. The user's SDK client is
/// created if it has none. Answers 201 `{device}`.
pub(crate) async fn post_device(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let app = app(&state, path)?;
    let body = object(body).await?;
    let o = Obj::root(&body);
    let kind = o
        .one_of("type", true, &["android", "ios", "web"])?
        .expect("required")
        .to_owned();
    let guid = o.string("guid", false, 1, Some(128))?.map(str::to_owned);
    let status = o
        .one_of("status", false, &["active", "inactive"])?
        .unwrap_or("active")
        .to_owned();
    let text = |key: &str| o.string(key, false, 1, None).map(|v| v.map(str::to_owned));
    let integration_id = text("integrationId")?;
    let push_notification_token = text("pushNotificationToken")?;
    let app_version = text("appVersion")?;
    let info = o.object("info", false)?.map(|info| info.map.clone());
    let last_seen = match o.string("lastSeen", false, 1, None)? {
        None => timestamp::now_millis(),
        Some(s) => timestamp::parse_date_time(s)
            .ok_or_else(|| ApiError::bad_request("lastSeen must be an ISO 8601 date-time"))?,
    };
    let last_seen = timestamp::format_millis(last_seen);

    let mut data = app.write();
    let user_id = data
        .find_user(&path_segment(path, 5))
        .ok_or_else(ApiError::user_not_found)?
        .id
        .clone();
    let client_id = data
        .sdk_client(&user_id, || state.ids.next_record_id())
        .expect("the user exists");
    let id = state.ids.next_record_id();
    let device = Device {
        guid: guid.unwrap_or_else(|| {
            let salt = crate::ids::mix(crate::ids::fnv(&[&id]));
            format!("{salt:016x}{:016x}", crate::ids::mix(salt))
        }),
        id,
        kind,
        client_id: client_id.clone(),
        status,
        integration_id,
        last_seen: last_seen.clone(),
        push_notification_token,
        info,
        app_version,
    };
    let response = json(StatusCode::CREATED, &DeviceBody { device: &device });
    let user = data.user_mut(&user_id).expect("just found");
    if let Some(client) = user.clients.get_mut(&client_id)
        && client
            .last_seen
            .as_ref()
            .is_none_or(|seen| *seen < last_seen)
    {
        client.last_seen = Some(last_seen);
    }
    user.devices.insert(device.id.clone(), device);
    Ok(response)
}

#[derive(Serialize)]
struct ClientBody<'a> {
    client: &'a Client,
}

/// `PATCH /_emulator/apps/{appId}/users/{userIdOrExternalId}/clients/{clientId}`: what the
/// channel reports about a client. `status` (`active`, `blocked`, `inactive` or `pending`),
/// `externalId`, `displayName`, `avatarUrl`, `lastSeen` (ISO 8601), `info` and `raw` (objects)
/// are optional. A pending client that becomes `active` is linked: `linkedAt` is set and the
/// client is associated with the user's participant in the conversation its creation targeted.
/// Answers 200 `{client}`; 404 `client_not_found`.
pub(crate) async fn patch_client(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let app = app(&state, path)?;
    let body = object(body).await?;
    let o = Obj::root(&body);
    let status = o
        .one_of(
            "status",
            false,
            &["active", "blocked", "inactive", "pending"],
        )?
        .map(str::to_owned);
    let text = |key: &str| o.string(key, false, 1, None).map(|v| v.map(str::to_owned));
    let external_id = text("externalId")?;
    let display_name = text("displayName")?;
    let avatar_url = o.uri("avatarUrl", false, Some(2048))?.map(str::to_owned);
    let last_seen = o
        .string("lastSeen", false, 1, None)?
        .map(|s| {
            timestamp::parse_date_time(s)
                .map(timestamp::format_millis)
                .ok_or_else(|| ApiError::bad_request("lastSeen must be an ISO 8601 date-time"))
        })
        .transpose()?;
    let info = o.object("info", false)?.map(|v| v.map.clone());
    let raw = o.object("raw", false)?.map(|v| v.map.clone());

    let mut data = app.write();
    let user_id = data
        .find_user(&path_segment(path, 5))
        .ok_or_else(ApiError::user_not_found)?
        .id
        .clone();
    let client_id = path_segment(path, 7);
    let user = data.user_mut(&user_id).expect("just found");
    let client = user
        .clients
        .get_mut(&client_id)
        .ok_or_else(|| ApiError::not_found("client_not_found", "Client not found"))?;
    let activated = status.as_deref() == Some("active") && client.status != "active";
    // The reason of the `client:update` a change of status sends.
    let reason = match (client.status.as_str(), status.as_deref()) {
        ("blocked", Some("active")) => Some("unblocked"),
        (_, Some("active")) if activated => Some("confirmed"),
        (old, Some("blocked")) if old != "blocked" => Some("blocked"),
        _ => None,
    };
    if let Some(status) = status {
        client.status = status;
    }
    for (target, value) in [
        (&mut client.external_id, external_id),
        (&mut client.display_name, display_name),
        (&mut client.avatar_url, avatar_url),
        (&mut client.last_seen, last_seen),
    ] {
        if value.is_some() {
            *target = value;
        }
    }
    if info.is_some() {
        client.info = info;
    }
    if raw.is_some() {
        client.raw = raw;
    }
    if activated {
        client
            .linked_at
            .get_or_insert_with(|| timestamp::format_millis(timestamp::now_millis()));
        data.complete_link(&user_id, &client_id);
    }
    let client = &data.user(&user_id).expect("just found").clients[&client_id];
    if let Some(reason) = reason {
        events::emit_client(&state, &data, &user_id, client, "client:update", reason);
    }
    Ok(json(StatusCode::OK, &ClientBody { client }))
}
