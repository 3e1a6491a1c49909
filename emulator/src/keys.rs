//! API keys made through the API: an app's keys (app scope; account provisioning) and a
//! custom integration's keys (integration scope).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::auth::{ACCOUNT, APP, Principal};
use crate::content::Obj;
use crate::error::{ApiError, ApiResult, json};
use crate::integrations::integration_not_found;
use crate::query::path_segment;
use crate::state::Shared;
use crate::store::{ApiKey, AppData, Integration};
use crate::{body, validate};

/// Most keys an app or an integration has.
pub(crate) const MAX_KEYS: usize = 10;
/// Length of a generated secret.
const SECRET_LEN: usize = 64;

#[derive(Serialize)]
struct KeyBody<'a> {
    key: &'a ApiKey,
}

#[derive(Serialize)]
struct KeyListBody<'a> {
    keys: &'a [ApiKey],
}

/// 404 `not_found` for a key the app or integration does not have.
fn key_not_found() -> ApiError {
    ApiError::not_found("not_found", "API key not found")
}

/// The `displayName` of a key creation body: required, 1 to 100 characters.
async fn display_name(request: Request) -> Result<String, ApiError> {
    let (parts, body) = request.into_parts();
    let bytes = body::read(body).await?;
    let body = validate::json_object(&parts.headers, &bytes)?;
    Ok(Obj::root(&body)
        .string("displayName", true, 1, Some(100))?
        .expect("required")
        .to_owned())
}

/// A new key with a fresh `prefix`ed id and secret.
fn new_key(state: &Shared, prefix: &str, display_name: String) -> ApiKey {
    ApiKey {
        id: format!("{prefix}{}", state.ids.next_record_id()),
        display_name,
        secret: state.ids.next_secret(SECRET_LEN),
    }
}

/// The custom integration in segment 5 of `path`: 404 `integration_not_found`, 400 for
/// another type.
fn custom<'a>(data: &'a AppData, path: &str) -> Result<&'a Integration, ApiError> {
    let integration = data
        .integration(&path_segment(path, 5))
        .ok_or_else(integration_not_found)?;
    if integration.kind != "custom" {
        return Err(ApiError::bad_request(
            "API keys are available only for custom integrations",
        ));
    }
    Ok(integration)
}

/// `POST /v2/apps/{appId}/integrations/{integrationId}/keys` (`displayName` required, 1 to 100
/// characters): a key of a custom integration, `int_` and 24 hex digits, with its secret. It
/// authenticates at once, with integration scope. At most 10 per integration (400).
pub(crate) async fn create_integration_key(
    State(state): State<Arc<Shared>>,
    request: Request,
) -> ApiResult {
    let path = request.uri().path().to_owned();
    let app_id = path_segment(&path, 3);
    let (app, _) = state.authorize_as(request.headers(), &app_id, APP)?;
    let display_name = display_name(request).await?;
    let mut data = app.write();
    let integration = custom(&data, &path)?;
    if integration.keys.len() >= MAX_KEYS {
        return Err(ApiError::bad_request(format!(
            "An integration can have a maximum of {MAX_KEYS} keys"
        )));
    }
    let integration_id = integration.id.clone();
    let key = new_key(&state, "int_", display_name);
    state.keys.insert(
        &key.id,
        &key.secret,
        Principal::Integration {
            app: app_id,
            integration: integration_id.clone(),
        },
    );
    let response = json(StatusCode::CREATED, &KeyBody { key: &key });
    data.integration_mut(&integration_id)
        .expect("found above")
        .keys
        .push(key);
    Ok(response)
}

/// `GET /v2/apps/{appId}/integrations/{integrationId}/keys`: `{keys}`, oldest first, secrets
/// included.
pub(crate) async fn list_integration_keys(
    State(state): State<Arc<Shared>>,
    request: Request,
) -> ApiResult {
    let path = request.uri().path();
    let (app, _) = state.authorize_as(request.headers(), &path_segment(path, 3), APP)?;
    let data = app.read();
    let integration = custom(&data, path)?;
    Ok(json(
        StatusCode::OK,
        &KeyListBody {
            keys: &integration.keys,
        },
    ))
}

/// `GET /v2/apps/{appId}/integrations/{integrationId}/keys/{keyId}`; 404 `not_found`.
pub(crate) async fn get_integration_key(
    State(state): State<Arc<Shared>>,
    request: Request,
) -> ApiResult {
    let path = request.uri().path();
    let (app, _) = state.authorize_as(request.headers(), &path_segment(path, 3), APP)?;
    let data = app.read();
    let key_id = path_segment(path, 7);
    let key = custom(&data, path)?
        .keys
        .iter()
        .find(|k| k.id == key_id)
        .ok_or_else(key_not_found)?;
    Ok(json(StatusCode::OK, &KeyBody { key }))
}

/// `DELETE /v2/apps/{appId}/integrations/{integrationId}/keys/{keyId}`: the key stops
/// authenticating at once. 404 `not_found`.
pub(crate) async fn delete_integration_key(
    State(state): State<Arc<Shared>>,
    request: Request,
) -> ApiResult {
    let path = request.uri().path();
    let (app, _) = state.authorize_as(request.headers(), &path_segment(path, 3), APP)?;
    let mut data = app.write();
    let key_id = path_segment(path, 7);
    let integration_id = custom(&data, path)?.id.clone();
    let keys = &mut data
        .integration_mut(&integration_id)
        .expect("found above")
        .keys;
    let index = keys
        .iter()
        .position(|k| k.id == key_id)
        .ok_or_else(key_not_found)?;
    keys.remove(index);
    state.keys.remove(&key_id);
    Ok(json(StatusCode::OK, &Map::<String, Value>::new()))
}

/// `POST /v2/apps/{appId}/keys` (account scope; `displayName` required, 1 to 100 characters):
/// a key of the app, `app_` and 24 hex digits, with its secret. It authenticates at once, with
/// app scope. At most 10 per app (400).
pub(crate) async fn create_app_key(
    State(state): State<Arc<Shared>>,
    request: Request,
) -> ApiResult {
    let app_id = path_segment(request.uri().path(), 3);
    let (app, _) = state.authorize_as(request.headers(), &app_id, ACCOUNT)?;
    let display_name = display_name(request).await?;
    let mut data = app.write();
    if data.keys.len() >= MAX_KEYS {
        return Err(ApiError::bad_request(format!(
            "An app can have a maximum of {MAX_KEYS} keys"
        )));
    }
    let key = new_key(&state, "app_", display_name);
    state
        .keys
        .insert(&key.id, &key.secret, Principal::App(app_id));
    let response = json(StatusCode::CREATED, &KeyBody { key: &key });
    data.keys.push(key);
    Ok(response)
}

/// `GET /v2/apps/{appId}/keys` (account scope): `{keys}`, the seed's first, secrets included.
pub(crate) async fn list_app_keys(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (app, _) = state.authorize_as(
        request.headers(),
        &path_segment(request.uri().path(), 3),
        ACCOUNT,
    )?;
    let data = app.read();
    Ok(json(StatusCode::OK, &KeyListBody { keys: &data.keys }))
}

/// `GET /v2/apps/{appId}/keys/{keyId}` (account scope); 404 `not_found`.
pub(crate) async fn get_app_key(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let path = request.uri().path();
    let (app, _) = state.authorize_as(request.headers(), &path_segment(path, 3), ACCOUNT)?;
    let data = app.read();
    let key_id = path_segment(path, 5);
    let key = data
        .keys
        .iter()
        .find(|k| k.id == key_id)
        .ok_or_else(key_not_found)?;
    Ok(json(StatusCode::OK, &KeyBody { key }))
}

/// `DELETE /v2/apps/{appId}/keys/{keyId}` (account scope): the key stops authenticating at
/// once. 404 `not_found`.
pub(crate) async fn delete_app_key(
    State(state): State<Arc<Shared>>,
    request: Request,
) -> ApiResult {
    let path = request.uri().path();
    let (app, _) = state.authorize_as(request.headers(), &path_segment(path, 3), ACCOUNT)?;
    let mut data = app.write();
    let key_id = path_segment(path, 5);
    let index = data
        .keys
        .iter()
        .position(|k| k.id == key_id)
        .ok_or_else(key_not_found)?;
    data.keys.remove(index);
    state.keys.remove(&key_id);
    Ok(json(StatusCode::OK, &Map::<String, Value>::new()))
}
