//! Request bodies given as JSON (by the C, Python and Node bindings, and the test vectors).

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// Decodes a request body or parameter object from JSON text, naming the offending
/// field in the error (`participants[0].userId`, `metadata.plan`).
pub fn from_str<T: DeserializeOwned>(what: &str, text: &str) -> Result<T> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| to_validation(what, e))
}

/// Decodes a request body or parameter object from a JSON value, naming the offending field.
pub fn from_value<T: DeserializeOwned>(what: &str, value: serde_json::Value) -> Result<T> {
    serde_path_to_error::deserialize(value).map_err(|e| to_validation(what, e))
}

fn to_validation<E: std::fmt::Display>(what: &str, e: serde_path_to_error::Error<E>) -> Error {
    let path = e.path().to_string();
    let field = if path == "." || path == "?" {
        what.to_owned()
    } else {
        path
    };
    let inner = e.inner().to_string();
    let rule = if inner.contains("untagged enum MetadataValue") {
        "metadata values must be strings, numbers or booleans (metadata is flat)".to_owned()
    } else {
        // serde_json appends " at line L column C"; the field name says more.
        match inner.find(" at line ") {
            Some(i) => inner[..i].to_owned(),
            None => inner,
        }
    };
    Error::Validation { field, rule }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{CreateConversation, ListConversations, UpdateConversation};
    use crate::patch::Patch;
    use serde_json::json;

    fn field(e: Error) -> (String, String) {
        match e {
            Error::Validation { field, rule } => (field, rule),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn names_nested_fields() {
        let e = from_value::<CreateConversation>(
            "body",
            json!({"type": "personal", "participants": [{"userId": 5}]}),
        )
        .unwrap_err();
        assert_eq!(field(e).0, "participants[0].userId");
        let e = from_value::<CreateConversation>(
            "body",
            json!({"type": "personal", "metadata": {"a": [1]}}),
        )
        .unwrap_err();
        let (f, r) = field(e);
        assert_eq!(f, "metadata.a");
        assert!(r.contains("flat"), "{r}");
        let e = from_value::<CreateConversation>("body", json!({"participants": []})).unwrap_err();
        assert!(field(e).1.contains("type"));
        let e =
            from_value::<ListConversations>("params", json!({"page": {"size": -1}})).unwrap_err();
        assert_eq!(field(e).0, "page.size");
        let e = from_value::<UpdateConversation>("body", json!({"displayname": "x"})).unwrap_err();
        assert!(field(e).1.contains("displayname"));
        let e = from_str::<UpdateConversation>("body", "{not json").unwrap_err();
        assert_eq!(field(e).0, "body");
    }

    #[test]
    fn tri_state_from_json() {
        let u: UpdateConversation = from_str("body", r#"{"displayName": null}"#).unwrap();
        assert_eq!(u.display_name, Patch::Clear);
        assert_eq!(u.description, Patch::Unchanged);
    }
}
