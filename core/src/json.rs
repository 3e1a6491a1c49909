//! Request bodies given as JSON (by the C, Python and Node bindings, and the test vectors).

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// The deepest nesting of arrays and objects accepted in any JSON that crosses into the core
/// (the limit of the JSON parser itself). Bindings that convert their own values (Python
/// dicts, ...) stop at this depth too, so a circular or absurdly deep value is refused with a
/// validation error instead of exhausting the stack.
pub const MAX_DEPTH: usize = 128;

/// The rule given when [`MAX_DEPTH`] is exceeded.
pub fn too_deep_rule() -> String {
    format!("must nest fewer than {MAX_DEPTH} levels of arrays and objects (or contains itself)")
}

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
    let at_root = path == "." || path == "?";
    let inner = e.inner().to_string();
    // serde_json appends " at line L column C"; the field name says more.
    let inner = match inner.find(" at line ") {
        Some(i) => inner[..i].to_owned(),
        None => inner,
    };
    let join = |name: &str| {
        if at_root {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        }
    };
    // A missing or unknown field is named itself, in wire spelling, not by its parent.
    for (prefix, rule) in [
        ("missing field `", "is required"),
        ("unknown field `", "is not a field of this object"),
    ] {
        if let Some(rest) = inner.strip_prefix(prefix)
            && let Some(end) = rest.find('`')
        {
            let name = &rest[..end];
            // serde_path_to_error already ends the path with an unknown key.
            let field = if !at_root && (path == name || path.ends_with(&format!(".{name}"))) {
                path.clone()
            } else {
                join(name)
            };
            let expected = rest[end + 1..].trim_start_matches(", ");
            let rule = if expected.is_empty() || prefix.starts_with("missing") {
                rule.to_owned()
            } else if at_root || path == name {
                // Only a body's top level has `extra`.
                format!("{rule} ({expected}; pass fields the API added later in `extra`)")
            } else {
                format!("{rule} ({expected})")
            };
            return Error::Validation { field, rule };
        }
    }
    let field = if at_root { what.to_owned() } else { path };
    let rule = if inner.contains("untagged enum MetadataValue") {
        "metadata values must be strings, numbers or booleans (metadata is flat)".to_owned()
    } else if inner.contains("recursion limit exceeded") {
        // Name the top-level field the deep value sits in, not a path of 100 `[0]`s.
        let top = field.split(['.', '[']).next().unwrap_or_default();
        let field = if top.is_empty() { what } else { top };
        return Error::Validation {
            field: field.to_owned(),
            rule: too_deep_rule(),
        };
    } else {
        inner
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
        assert_eq!(field(e), ("type".to_owned(), "is required".to_owned()));
        let e = from_value::<CreateConversation>(
            "body",
            json!({"type": "personal", "participants": [{"userId": "u", "bogus": 1}]}),
        )
        .unwrap_err();
        assert_eq!(field(e).0, "participants[0].bogus");
        let e = from_value::<crate::models::DownloadMessageRef>("body", json!({})).unwrap_err();
        assert_eq!(field(e).0, "userId");
        let e =
            from_value::<ListConversations>("params", json!({"page": {"size": -1}})).unwrap_err();
        assert_eq!(field(e).0, "page.size");
        let e = from_value::<UpdateConversation>("body", json!({"displayname": "x"})).unwrap_err();
        let (f, r) = field(e);
        assert_eq!(f, "displayname");
        assert!(r.contains("displayName") && r.contains("extra"), "{r}");
        let e = from_str::<UpdateConversation>("body", "{not json").unwrap_err();
        assert_eq!(field(e).0, "body");
    }

    #[test]
    fn deep_json_is_refused_by_name() {
        let deep = format!(
            "{{\"extra\": {{\"x\": {}1{}}}}}",
            "[".repeat(500),
            "]".repeat(500)
        );
        let (f, r) = field(from_str::<UpdateConversation>("body", &deep).unwrap_err());
        assert_eq!(f, "extra");
        let root = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let (f, _) = field(from_str::<serde_json::Value>("body", &root).unwrap_err());
        assert_eq!(f, "body");
        assert!(r.contains("128"), "{r}");
    }

    /// Arbitrary JSON values (within the depth rule), as small trees.
    fn any_json() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_map(serde_json::Value::from),
            "\\PC{0,12}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(6, 64, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
                proptest::collection::btree_map(
                    prop_oneof![
                        Just("type".to_owned()),
                        Just("participants".to_owned()),
                        Just("userId".to_owned()),
                        Just("userExternalId".to_owned()),
                        Just("displayName".to_owned()),
                        Just("metadata".to_owned()),
                        Just("extra".to_owned()),
                        Just("apple".to_owned()),
                        "[a-zA-Z]{1,8}",
                    ],
                    inner,
                    0..6
                )
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Any JSON body decodes, or fails with a validation error naming a field; then
        /// validation and encoding give a typed answer too. Nothing panics.
        #[test]
        fn any_body_gives_a_typed_answer(v in any_json()) {
            let text = v.to_string();
            for result in [
                from_str::<CreateConversation>("body", &text)
                    .and_then(|b| crate::validation::create(&b).map(|_| b))
                    .and_then(|b| crate::body::encode(&b).map(drop)),
                from_str::<UpdateConversation>("body", &text)
                    .and_then(|b| crate::validation::update(&b).map(|_| b))
                    .and_then(|b| crate::body::encode(&b).map(drop)),
                from_str::<crate::models::DownloadMessageRef>("body", &text)
                    .and_then(|b| crate::validation::download(&b).map(|_| b))
                    .and_then(|b| crate::body::encode(&b).map(drop)),
                from_str::<ListConversations>("params", &text)
                    .and_then(|p| crate::validation::list(&p)),
            ] {
                match result {
                    Ok(()) => {}
                    Err(Error::Validation { field, rule }) => {
                        proptest::prop_assert!(!field.is_empty() && !rule.is_empty());
                    }
                    Err(other) => proptest::prop_assert!(false, "{other:?}"),
                }
            }
        }
    }

    #[test]
    fn tri_state_from_json() {
        let u: UpdateConversation = from_str("body", r#"{"displayName": null}"#).unwrap();
        assert_eq!(u.display_name, Patch::Clear);
        assert_eq!(u.description, Patch::Unchanged);
    }
}
