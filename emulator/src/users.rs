//! The Users API: create, list, get, update and delete users, delete their personal
//! information, and synchronise them with their core Zendesk user.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{ApiError, ApiResult, json};
use crate::events::{self, View};
use crate::query::{self, path_segment};
use crate::state::Shared;
use crate::store::{AppData, User};
use crate::validate::{self, is_email, present};
use crate::{body, timestamp};

#[derive(Serialize)]
struct UserBody<'a> {
    user: &'a User,
}

/// Longest `externalId`, in characters.
const MAX_EXTERNAL_ID: usize = 1024;
/// Longest `brandId`, in characters.
const MAX_BRAND_ID: usize = 24;

/// True for a BCP 47 language tag as far as its syntax goes: subtags of 1 to 8 ASCII letters
/// and digits joined by `-`, the first made of letters only (`fr`, `fr-CA`, `zh-Hant-TW`,
/// `x-private`).
fn is_language_tag(s: &str) -> bool {
    let mut subtags = s.split('-');
    let first_ok = subtags
        .next()
        .is_some_and(|t| (1..=8).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_alphabetic()));
    first_ok
        && subtags
            .all(|t| (1..=8).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The `profile` of a create or update body. The spec's fields are checked (each a string of
/// bounded length, or `null`: unset on create, cleared on update); other fields are kept as
/// sent. `null`s are kept in the result for the caller to interpret.
fn profile(value: &Value) -> Result<Map<String, Value>, ApiError> {
    let Value::Object(fields) = value else {
        return Err(ApiError::bad_request("profile must be an object"));
    };
    let mut profile = Map::new();
    for (key, value) in fields {
        if value.is_null() {
            profile.insert(key.clone(), Value::Null);
            continue;
        }
        let field = format!("profile.{key}");
        match key.as_str() {
            "givenName" | "surname" => {
                validate::bounded_text(&field, value, 128)?;
            }
            "email" => {
                let email = validate::bounded_text(&field, value, 128)?;
                if !is_email(&email) {
                    return Err(ApiError::bad_request(format!(
                        "{field} must be an email address (e.g. jane.doe@example.com)"
                    )));
                }
            }
            "avatarUrl" => {
                let url = validate::bounded_text(&field, value, 2048)?;
                if !validate::is_absolute_uri(&url) {
                    return Err(ApiError::bad_request(format!(
                        "{field} must be an absolute URI with a scheme (e.g. https://example.com/avatar.png)"
                    )));
                }
            }
            "locale" => {
                let locale = validate::bounded_text(&field, value, 64)?;
                if !is_language_tag(&locale) {
                    return Err(ApiError::bad_request(format!(
                        "{field} must be a BCP 47 language tag (e.g. fr-CA)"
                    )));
                }
            }
            _ => {}
        }
        profile.insert(key.clone(), value.clone());
    }
    Ok(profile)
}

/// A `signedUpAt`: an ISO 8601 date-time, in milliseconds since the epoch.
fn signed_up_at(value: &Value) -> Result<i64, ApiError> {
    match value {
        Value::String(s) => timestamp::parse_date_time(s).ok_or_else(|| {
            ApiError::bad_request(
                "signedUpAt must be an ISO 8601 date-time such as 2020-05-21T15:53:30.197Z",
            )
        }),
        _ => Err(ApiError::bad_request("signedUpAt must be a string")),
    }
}

/// A `toBeRetained`: a boolean.
fn to_be_retained(value: &Value) -> Result<bool, ApiError> {
    value
        .as_bool()
        .ok_or_else(|| ApiError::bad_request("toBeRetained must be a boolean"))
}

/// Creates a user; 409 `conflict` when the external id is taken.
///
/// The body follows the spec's `userCreateBody`: every field is optional, and only those the
/// spec marks nullable (`brandId`, `metadata`, the `profile` fields) may be `null`.
pub(crate) async fn create(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (parts, body) = request.into_parts();
    let app = state.authorize(&parts.headers, &path_segment(parts.uri.path(), 3))?;
    let bytes = body::read(body).await?;
    let body = validate::json_object(&parts.headers, &bytes)?;

    let external_id = body
        .get("externalId")
        .map(|v| validate::bounded_text("externalId", v, MAX_EXTERNAL_ID))
        .transpose()?;
    let brand_id = present(&body, "brandId")
        .map(|v| validate::bounded_text("brandId", v, MAX_BRAND_ID))
        .transpose()?;
    let to_be_retained = body.get("toBeRetained").map(to_be_retained).transpose()?;
    let mut profile = body
        .get("profile")
        .map(profile)
        .transpose()?
        .unwrap_or_default();
    profile.retain(|_, v| !v.is_null());
    let metadata = present(&body, "metadata")
        .map(validate::metadata)
        .transpose()?
        .unwrap_or_default();
    let signed_up_at = body
        .get("signedUpAt")
        .map(signed_up_at)
        .transpose()?
        .unwrap_or_else(timestamp::now_millis);

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
    let mut user = User::new(
        state.ids.next_record_id(),
        timestamp::format_millis(signed_up_at),
    );
    user.external_id = external_id;
    user.brand_id = brand_id;
    user.to_be_retained = to_be_retained;
    user.profile = profile;
    user.metadata = metadata;
    let response = json(StatusCode::CREATED, &UserBody { user: &user });
    data.insert_user(user);
    Ok(response)
}

/// The `brandId` query parameter, if given; 400 when empty.
pub(crate) fn brand_query(raw_query: Option<&str>) -> Result<Option<String>, ApiError> {
    let mut brand = None;
    for (key, value) in query::pairs(raw_query.unwrap_or("")) {
        if key == "brandId" {
            if value.is_empty() {
                return Err(ApiError::bad_request("brandId must not be empty"));
            }
            brand = Some(value);
        }
    }
    Ok(brand)
}

/// The user called `id_or_external_id` in `data`, which must belong to `brand` when one is
/// given; 404 `user_not_found` otherwise.
pub(crate) fn lookup<'a>(
    data: &'a AppData,
    id_or_external_id: &str,
    brand: Option<&str>,
) -> Result<&'a User, ApiError> {
    data.find_user(id_or_external_id)
        .filter(|user| brand.is_none() || user.brand_id.as_deref() == brand)
        .ok_or_else(ApiError::user_not_found)
}

/// `GET /v2/apps/{appId}/users/{userIdOrExternalId}[?brandId=..]`; 404 `user_not_found`.
pub(crate) async fn get(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let path = request.uri().path();
    let app = state.authorize(request.headers(), &path_segment(path, 3))?;
    let brand = brand_query(request.uri().query())?;
    let data = app.read();
    let user = lookup(&data, &path_segment(path, 5), brand.as_deref())?;
    Ok(json(StatusCode::OK, &UserBody { user }))
}

#[derive(Serialize)]
struct UserListBody<'a> {
    users: Vec<&'a User>,
}

/// `GET /v2/apps/{appId}/users?filter[identities.email]=..[&brandId=..]`: the users with that
/// email among their identities (not `profile.email`), compared without regard to ASCII case.
pub(crate) async fn list(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let app = state.authorize(request.headers(), &path_segment(request.uri().path(), 3))?;
    let mut email = None;
    for (key, value) in query::pairs(request.uri().query().unwrap_or("")) {
        if key == "filter[identities.email]" {
            email = Some(value);
        }
    }
    let email = match email {
        Some(email) if !email.is_empty() => email,
        Some(_) => {
            return Err(ApiError::bad_request(
                "Invalid filter query parameters: filter[identities.email] must not be empty",
            ));
        }
        None => {
            return Err(ApiError::bad_request(
                "Invalid filter query parameters: filter[identities.email] is required",
            ));
        }
    };
    let brand = brand_query(request.uri().query())?;
    let data = app.read();
    let users = data
        .users_sorted()
        .into_iter()
        .filter(|user| brand.is_none() || user.brand_id == brand)
        .filter(|user| user.emails().any(|e| e.eq_ignore_ascii_case(&email)))
        .collect();
    Ok(json(StatusCode::OK, &UserListBody { users }))
}

/// `PATCH /v2/apps/{appId}/users/{userIdOrExternalId}` (`userUpdateBody`).
///
/// A left-out field is unchanged. `signedUpAt`, `toBeRetained` and `profile` may not be `null`;
/// `metadata: null` empties the metadata, an object replaces it. `profile` is merged field by
/// field: a value sets the field, `null` removes it.
pub(crate) async fn update(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let app = state.authorize(&parts.headers, &path_segment(path, 3))?;
    let brand = brand_query(parts.uri.query())?;
    let bytes = body::read(body).await?;
    let body = validate::json_object(&parts.headers, &bytes)?;

    let signed_up_at = body.get("signedUpAt").map(signed_up_at).transpose()?;
    let to_be_retained = body.get("toBeRetained").map(to_be_retained).transpose()?;
    let profile = body.get("profile").map(profile).transpose()?;
    let metadata = match body.get("metadata") {
        None => None,
        Some(Value::Null) => Some(Map::new()),
        Some(value) => Some(validate::metadata(value)?),
    };

    let mut data = app.write();
    let id = lookup(&data, &path_segment(path, 5), brand.as_deref())?
        .id
        .clone();
    let user = data.user_mut(&id).expect("just found");
    if let Some(ms) = signed_up_at {
        user.signed_up_at = timestamp::format_millis(ms);
    }
    if let Some(keep) = to_be_retained {
        user.to_be_retained = Some(keep);
    }
    for (key, value) in profile.into_iter().flatten() {
        if value.is_null() {
            user.profile.remove(&key);
        } else {
            user.profile.insert(key, value);
        }
    }
    if let Some(metadata) = metadata {
        user.metadata = metadata;
    }
    let user = data.user(&id).expect("just found");
    events::emit(
        &state,
        &data,
        &id,
        "user:update",
        |view| serde_json::json!({ "user": events::user(user, view) }),
    );
    Ok(json(StatusCode::OK, &UserBody { user }))
}

/// Merges user `from` into user `into` and queues `user:merge` (reason `api`).
fn merge(state: &Shared, data: &mut AppData, from: &str, into: &str) {
    let discarded = events::wanted(data, "user:merge")
        .then(|| data.user(from).cloned())
        .flatten();
    data.merge_user(from, into);
    if let (Some(discarded), Some(surviving)) = (discarded, data.user(into)) {
        events::emit(state, data, into, "user:merge", |view| {
            serde_json::json!({
                "mergedUsers": {
                    "surviving": events::user(surviving, view),
                    "discarded": events::user(&discarded, view),
                },
                "reason": "api",
            })
        });
    }
}

/// `DELETE /v2/apps/{appId}/users/{userIdOrExternalId}`: the user, its clients, its personal
/// conversations with their messages, its messages elsewhere and its participations.
pub(crate) async fn delete(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let path = request.uri().path();
    let app = state.authorize(request.headers(), &path_segment(path, 3))?;
    let brand = brand_query(request.uri().query())?;
    let mut data = app.write();
    let id = lookup(&data, &path_segment(path, 5), brand.as_deref())?
        .id
        .clone();
    // Sent before the user goes, so the event can still show it.
    let user = data.user(&id).expect("just found");
    events::emit(
        &state,
        &data,
        &id,
        "user:remove",
        |_| serde_json::json!({ "user": events::user(user, View::TRUNCATED) }),
    );
    data.remove_user(&id);
    Ok(json(StatusCode::OK, &Map::new()))
}

/// `DELETE /v2/apps/{appId}/users/{userIdOrExternalId}/personalinformation`: empties the
/// profile (`givenName`, `surname`, `email`, `avatarUrl`, `locale` and any other field) and
/// the metadata, and each client's `displayName`, `avatarUrl`, `info` and `raw`. The user,
/// its identities and its conversations stay.
pub(crate) async fn delete_personal_information(
    State(state): State<Arc<Shared>>,
    request: Request,
) -> ApiResult {
    let path = request.uri().path();
    let app = state.authorize(request.headers(), &path_segment(path, 3))?;
    let brand = brand_query(request.uri().query())?;
    let mut data = app.write();
    let id = lookup(&data, &path_segment(path, 5), brand.as_deref())?
        .id
        .clone();
    let user = data.user_mut(&id).expect("just found");
    user.profile.clear();
    user.metadata.clear();
    for client in user.clients.values_mut() {
        client.display_name = None;
        client.avatar_url = None;
        client.info = None;
        client.raw = None;
    }
    Ok(json(StatusCode::OK, &UserBody { user }))
}

/// The id of the user linked to `zendesk_id`, if any.
fn linked_user(data: &AppData, zendesk_id: &str) -> Option<String> {
    data.users_sorted()
        .into_iter()
        .find(|u| u.zendesk_id.as_deref() == Some(zendesk_id))
        .map(|u| u.id.clone())
}

/// `POST /v2/apps/{appId}/users/{zendeskId}/sync` (`syncUserBody`, optional).
///
/// The messaging user linked to `zendeskId` (404 `user_not_found` if none) is first merged
/// with the one linked to `survivingZendeskId`, when given: into that user if it exists (which
/// survives), else it is simply relinked to the surviving id. Then the fields of the core Zendesk
/// user (defined with `PUT /_emulator/apps/{appId}/zendesk-users/{zendeskId}`) are copied:
/// `givenName` and `surname` into the profile, `externalId`, and `email` as the only `email`
/// identity. A different messaging user holding that external id or email is merged into the
/// synchronised user, unless it is linked to a Zendesk user itself: then it only loses the
/// external id or identity.
pub(crate) async fn sync(State(state): State<Arc<Shared>>, request: Request) -> ApiResult {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let app = state.authorize(&parts.headers, &path_segment(path, 3))?;
    let bytes = body::read(body).await?;
    let body = validate::optional_json_object(&parts.headers, &bytes)?;
    let surviving = match body.get("survivingZendeskId") {
        None => None,
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(_) => {
            return Err(ApiError::bad_request(
                "survivingZendeskId must be a non-empty string",
            ));
        }
    };
    let zendesk_id = path_segment(path, 5);

    let mut data = app.write();
    let mut user_id = linked_user(&data, &zendesk_id).ok_or_else(ApiError::user_not_found)?;
    let mut target = zendesk_id.clone();
    if let Some(surviving) = surviving.filter(|s| *s != zendesk_id) {
        match linked_user(&data, &surviving) {
            Some(survivor) => {
                merge(&state, &mut data, &user_id, &survivor);
                user_id = survivor;
            }
            None => {
                data.user_mut(&user_id).expect("just found").zendesk_id = Some(surviving.clone());
            }
        }
        target = surviving;
    }
    if let Some(core) = data.zendesk_users.get(&target).cloned() {
        if let Some(external_id) = core.external_id {
            if let Some(holder) = data
                .user_by_external_id(&external_id)
                .filter(|u| u.id != user_id)
                .map(|u| (u.id.clone(), u.zendesk_id.is_some()))
            {
                match holder {
                    (other, true) => data.set_external_id(&other, None),
                    (other, false) => merge(&state, &mut data, &other, &user_id),
                }
            }
            data.set_external_id(&user_id, Some(external_id));
        }
        if let Some(email) = core.email {
            let holders: Vec<(String, bool)> = data
                .users_sorted()
                .into_iter()
                .filter(|u| u.id != user_id && u.emails().any(|e| e.eq_ignore_ascii_case(&email)))
                .map(|u| (u.id.clone(), u.zendesk_id.is_some()))
                .collect();
            for (other, linked) in holders {
                if linked {
                    let other = data.user_mut(&other).expect("listed above");
                    other.identities.retain(|identity| {
                        identity.get("type").and_then(Value::as_str) != Some("email")
                            || !identity
                                .get("value")
                                .and_then(Value::as_str)
                                .is_some_and(|v| v.eq_ignore_ascii_case(&email))
                    });
                } else {
                    merge(&state, &mut data, &other, &user_id);
                }
            }
            let user = data.user_mut(&user_id).expect("survives merges");
            user.identities
                .retain(|identity| identity.get("type").and_then(Value::as_str) != Some("email"));
            user.identities.push(serde_json::json!({
                "type": "email",
                "value": email,
                "verification": "sso",
            }));
        }
        let user = data.user_mut(&user_id).expect("survives merges");
        for (key, value) in [("givenName", core.given_name), ("surname", core.surname)] {
            if let Some(value) = value {
                user.profile.insert(key.into(), Value::String(value));
            }
        }
    }
    let user = data.user(&user_id).expect("survives merges");
    Ok(json(StatusCode::OK, &UserBody { user }))
}

#[cfg(test)]
mod tests {
    use super::{is_email, is_language_tag};

    #[test]
    fn emails() {
        assert!(is_email("jane.doe@example.com"));
        assert!(is_email("a@b"));
        for bad in [
            "jane",
            "@example.com",
            "jane@",
            "ja ne@example.com",
            "a@b@c",
        ] {
            assert!(!is_email(bad), "{bad:?}");
        }
    }

    #[test]
    fn language_tags() {
        for ok in [
            "en",
            "fr-CA",
            "zh-Hant-TW",
            "es-419",
            "x-klingon",
            "de-DE-1996",
        ] {
            assert!(is_language_tag(ok), "{ok:?}");
        }
        for bad in [
            "",
            "fr_CA",
            "fr-",
            "-fr",
            "123",
            "toolongtag",
            "fr-CA-abcdefghi",
            "fr CA",
        ] {
            assert!(!is_language_tag(bad), "{bad:?}");
        }
    }
}
