//! Request-body checks shared by the handlers, each failing with a 400 whose title names the field.

use axum::http::{HeaderMap, header};
use serde_json::{Map, Value};

use crate::error::ApiError;

/// Largest serialised metadata object, in bytes.
pub(crate) const METADATA_MAX_BYTES: usize = 4096;

/// Parses a request body that must be a JSON object.
///
/// A non-empty body must be sent as `application/json` (any `+json` type and parameters such as
/// `charset` are accepted too).
pub(crate) fn json_object(
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request(
            "Request body is required and must be a JSON object",
        ));
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence != "application/json"
        && !(essence.starts_with("application/") && essence.ends_with("+json"))
    {
        return Err(ApiError::bad_request(
            "Content-Type must be application/json for a request with a body",
        ));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::bad_request("Request body must be a JSON object")),
        Err(e) => Err(ApiError::bad_request(format!(
            "Malformed JSON in request body: {e}"
        ))),
    }
}

/// Like [`json_object`], but an empty body (or one of whitespace only) is an empty object, for
/// operations whose body is optional.
pub(crate) fn optional_json_object(
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    json_object(headers, body)
}

/// True for `local@domain` with both parts non-empty, one `@`, and no whitespace or control
/// characters: the shape of an address, not a full RFC 5322 parse.
pub(crate) fn is_email(s: &str) -> bool {
    s.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && !domain.is_empty() && !domain.contains('@')
    }) && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// An identity (`{"type", "value", "verification"?}`, the spec's `identity`): `type` a
/// non-empty string, `value` 1 to 128 characters (an address when `type` is `email`),
/// `verification` a string.
pub(crate) fn identity(value: &Value) -> Result<Value, ApiError> {
    let Value::Object(fields) = value else {
        return Err(ApiError::bad_request("identities[] must be an object"));
    };
    let kind = match fields.get("type") {
        Some(Value::String(s)) if !s.is_empty() => s,
        _ => {
            return Err(ApiError::bad_request(
                "identities[].type is required and must be a non-empty string",
            ));
        }
    };
    let text = match fields.get("value") {
        Some(v) => bounded_text("identities[].value", v, 128)?,
        None => return Err(ApiError::bad_request("identities[].value is required")),
    };
    if kind == "email" && !is_email(&text) {
        return Err(ApiError::bad_request(
            "identities[].value must be an email address when type is email",
        ));
    }
    if fields.get("verification").is_some_and(|v| !v.is_string()) {
        return Err(ApiError::bad_request(
            "identities[].verification must be a string",
        ));
    }
    Ok(value.clone())
}

/// A string of 1..=`max` characters (counted as Unicode scalar values, not bytes).
pub(crate) fn bounded_text(field: &str, value: &Value, max: usize) -> Result<String, ApiError> {
    match value {
        Value::String(s) if !s.is_empty() && s.chars().count() <= max => Ok(s.clone()),
        Value::String(_) => Err(ApiError::bad_request(format!(
            "{field} must be between 1 and {max} characters long"
        ))),
        _ => Err(ApiError::bad_request(format!("{field} must be a string"))),
    }
}

/// True for an absolute URI: a scheme (`ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`), a colon,
/// then a non-empty remainder without whitespace or control characters.
pub(crate) fn is_absolute_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    let scheme_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    scheme_ok && !rest.is_empty() && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// An `iconUrl`: an absolute URI of at most 2048 characters.
pub(crate) fn icon_url(value: &Value) -> Result<String, ApiError> {
    match value {
        Value::String(s) if s.chars().count() > 2048 => Err(ApiError::bad_request(
            "iconUrl must be at most 2048 characters long",
        )),
        Value::String(s) if is_absolute_uri(s) => Ok(s.clone()),
        Value::String(_) => Err(ApiError::bad_request(
            "iconUrl must be an absolute URI with a scheme (e.g. https://example.com/icon.png)",
        )),
        _ => Err(ApiError::bad_request("iconUrl must be a string")),
    }
}

/// Checks that `map` is flat (string, number and boolean values only) and at most 4 KB.
pub(crate) fn check_metadata_map(map: &Map<String, Value>) -> Result<(), ApiError> {
    if let Some((key, _)) = map
        .iter()
        .find(|(_, v)| !matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_)))
    {
        return Err(ApiError::bad_request(format!(
            "metadata must be flat: the value of {key:?} is not a string, number or boolean"
        )));
    }
    let size = serde_json::to_vec(map).map_or(usize::MAX, |v| v.len());
    if size > METADATA_MAX_BYTES {
        return Err(ApiError::bad_request(format!(
            "metadata must not exceed {METADATA_MAX_BYTES} bytes (got {size})"
        )));
    }
    Ok(())
}

/// A `metadata` value: a flat object of at most 4 KB.
pub(crate) fn metadata(value: &Value) -> Result<Map<String, Value>, ApiError> {
    match value {
        Value::Object(map) => {
            check_metadata_map(map)?;
            Ok(map.clone())
        }
        _ => Err(ApiError::bad_request("metadata must be an object")),
    }
}

/// A field of a body: `None` when absent or `null`, so creation treats both as "not set".
pub(crate) fn present<'a>(body: &'a Map<String, Value>, field: &str) -> Option<&'a Value> {
    body.get(field).filter(|v| !v.is_null())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn uris() {
        assert!(is_absolute_uri("https://example.com/a.png"));
        assert!(is_absolute_uri("data:image/png;base64,AAAA"));
        assert!(!is_absolute_uri("example.com/a.png"));
        assert!(!is_absolute_uri("/relative"));
        assert!(!is_absolute_uri("1http://x"));
        assert!(!is_absolute_uri("https://exa mple.com"));
        assert!(!is_absolute_uri("https:"));
    }

    #[test]
    fn text_counts_chars() {
        let s = "é".repeat(100);
        assert!(bounded_text("displayName", &json!(s), 100).is_ok());
        let s = "é".repeat(101);
        assert!(bounded_text("displayName", &json!(s), 100).is_err());
        assert!(bounded_text("displayName", &json!(""), 100).is_err());
    }

    #[test]
    fn metadata_rules() {
        assert!(metadata(&json!({"a": 1, "b": "x", "c": true})).is_ok());
        let e = metadata(&json!({"a": {"b": 1}})).unwrap_err();
        assert!(e.title.contains("metadata must be flat"));
        assert!(metadata(&json!({"a": null})).is_err());
        assert!(metadata(&json!([1])).is_err());
        assert!(metadata(&json!({"a": "x".repeat(5000)})).is_err());
    }
}
