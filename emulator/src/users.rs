//! `POST /v2/apps/{appId}/users` and `GET /v2/apps/{appId}/users/{userIdOrExternalId}`.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::Value;

use crate::error::{ApiError, ApiResult, json};
use crate::query::path_segment;
use crate::state::Shared;
use crate::store::User;
use crate::validate::{self, present};
use crate::{body, timestamp};

#[derive(Serialize)]
struct UserBody<'a> {
    user: &'a User,
}

/// Creates a user; 409 `conflict` when the external id is taken.
pub(crate) async fn create(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (parts, body) = request.into_parts();
    let app = state.authorize(&parts.headers, &path_segment(parts.uri.path(), 3))?;
    let bytes = body::read(body).await?;
    let body = validate::json_object(&parts.headers, &bytes)?;

    let external_id = present(&body, "externalId")
        .map(|v| validate::bounded_text("externalId", v, 1024))
        .transpose()?;
    let profile = match present(&body, "profile") {
        None => Default::default(),
        Some(Value::Object(profile)) => profile.clone(),
        Some(_) => return Err(ApiError::bad_request("profile must be an object")),
    };
    let metadata = present(&body, "metadata")
        .map(validate::metadata)
        .transpose()?
        .unwrap_or_default();
    let signed_up_at = match present(&body, "signedUpAt") {
        None => timestamp::format_millis(timestamp::now_millis()),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(ApiError::bad_request("signedUpAt must be a string")),
    };

    let mut data = app.write();
    if let Some(ext) = &external_id
        && data.user_by_external_id(ext).is_some()
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            "User already exists",
        ));
    }
    let user = User {
        id: state.ids.next_record_id(),
        external_id,
        signed_up_at,
        profile,
        metadata,
        identities: Vec::new(),
        default_conversation: None,
    };
    let response = json(StatusCode::CREATED, &UserBody { user: &user });
    data.insert_user(user);
    Ok(response)
}

/// Fetches a user by id or external id; 404 `user_not_found`.
pub(crate) async fn get(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let path = request.uri().path();
    let app = state.authorize(request.headers(), &path_segment(path, 3))?;
    let data = app.read();
    let user = data
        .find_user(&path_segment(path, 5))
        .ok_or_else(ApiError::user_not_found)?;
    Ok(json(StatusCode::OK, &UserBody { user }))
}
