//! `POST /v2/apps/{appId}/users` and `GET /v2/apps/{appId}/users/{userIdOrExternalId}`.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Map, Value};

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

/// Longest `externalId`, in characters.
const MAX_EXTERNAL_ID: usize = 1024;
/// Longest `brandId`, in characters.
const MAX_BRAND_ID: usize = 24;

/// True for `local@domain` with both parts non-empty, one `@`, and no whitespace or control
/// characters: the shape of an address, not a full RFC 5322 parse.
fn is_email(s: &str) -> bool {
    s.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && !domain.is_empty() && !domain.contains('@')
    }) && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

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

/// The `profile` of a create body. The spec's fields are checked (each a string of bounded
/// length, or `null`, which leaves it unset); other fields are kept as sent.
fn profile(value: &Value) -> Result<Map<String, Value>, ApiError> {
    let Value::Object(fields) = value else {
        return Err(ApiError::bad_request("profile must be an object"));
    };
    let mut profile = Map::new();
    for (key, value) in fields {
        if value.is_null() {
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
    let to_be_retained = match body.get("toBeRetained") {
        None => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => return Err(ApiError::bad_request("toBeRetained must be a boolean")),
    };
    let profile = body
        .get("profile")
        .map(profile)
        .transpose()?
        .unwrap_or_default();
    let metadata = present(&body, "metadata")
        .map(validate::metadata)
        .transpose()?
        .unwrap_or_default();
    let signed_up_at = match body.get("signedUpAt") {
        None => timestamp::now_millis(),
        Some(Value::String(s)) => timestamp::parse_date_time(s).ok_or_else(|| {
            ApiError::bad_request(
                "signedUpAt must be an ISO 8601 date-time such as 2020-05-21T15:53:30.197Z",
            )
        })?,
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
        brand_id,
        signed_up_at: timestamp::format_millis(signed_up_at),
        to_be_retained,
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
