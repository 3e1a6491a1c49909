//! Control endpoints that play the world outside the API, under `/_emulator/apps/{appId}/`:
//! a user signing in through the Help Center (read-only user fields), core Zendesk user
//! records for `SyncUser`, and end users writing on a channel. No auth.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{ApiError, ApiResult, json};
use crate::query::path_segment;
use crate::state::{AppSlot, Shared};
use crate::store::{User, ZendeskUser};
use crate::{body, validate};

/// The app named in segment 3 of `path` (`/_emulator/apps/{appId}/..`); 404 `app_not_found`.
fn app<'a>(state: &'a Shared, path: &str) -> Result<&'a AppSlot, ApiError> {
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
