//! Request bodies on their way out: JSON encoding, fields given in `extra`, and the size rule.

use bytes::Bytes;
use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::models::{CreateConversation, DownloadMessageRef, UpdateConversation};
use crate::validation;

/// A JSON request body whose `extra` map is sent as top-level fields.
pub(crate) trait Body: Serialize {
    /// The wire names of the fields this crate models (an `extra` field may not reuse one).
    const FIELDS: &'static [&'static str];
}

impl Body for CreateConversation {
    const FIELDS: &'static [&'static str] = &[
        "type",
        "participants",
        "displayName",
        "description",
        "iconUrl",
        "metadata",
    ];
}

impl Body for UpdateConversation {
    const FIELDS: &'static [&'static str] = &["displayName", "description", "iconUrl", "metadata"];
}

impl Body for DownloadMessageRef {
    const FIELDS: &'static [&'static str] = &["userId", "apple"];
}

/// Encodes `body`, moving its `extra` fields to the top level, and checks the size limit.
pub(crate) fn encode<T: Body>(body: &T) -> Result<Bytes> {
    let unencodable =
        |e: serde_json::Error| Error::validation("body", format!("cannot be encoded as JSON: {e}"));
    let mut value = serde_json::to_value(body).map_err(unencodable)?;
    if let Value::Object(map) = &mut value
        && let Some(Value::Object(extra)) = map.remove("extra")
    {
        for (name, v) in extra {
            if T::FIELDS.contains(&name.as_str()) || name == "extra" {
                return Err(Error::validation(
                    format!("extra.{name}"),
                    "is a field of this body: set it directly, not through extra",
                ));
            }
            map.insert(name, v);
        }
    }
    let bytes = serde_json::to_vec(&value).map_err(unencodable)?;
    validation::body_size(&bytes)?;
    Ok(Bytes::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{ConversationType, Participant};
    use serde_json::json;

    #[test]
    fn extra_fields_go_to_the_top_level_in_order() {
        let body = CreateConversation::personal(Participant::user_external_id("a"))
            .extra("newField", json!({"x": 1}))
            .extra("another", 2);
        let sent: Value = serde_json::from_slice(&encode(&body).unwrap()).unwrap();
        assert_eq!(
            sent,
            json!({"type": "personal", "participants": [{"userExternalId": "a"}],
                   "newField": {"x": 1}, "another": 2})
        );
        let keys: Vec<_> = sent.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["type", "participants", "newField", "another"]);
    }

    #[test]
    fn extra_may_not_shadow_a_modelled_field() {
        let body = CreateConversation::new(ConversationType::SdkGroup).extra("displayName", "x");
        match encode(&body) {
            Err(Error::Validation { field, .. }) => assert_eq!(field, "extra.displayName"),
            other => panic!("{other:?}"),
        }
        let body = UpdateConversation::new().extra("metadata", json!(null));
        assert!(encode(&body).is_err());
    }

    #[test]
    fn no_extra_no_change() {
        let body = UpdateConversation::new().display_name(crate::Patch::Clear);
        assert_eq!(&encode(&body).unwrap()[..], br#"{"displayName":null}"#);
    }
}
