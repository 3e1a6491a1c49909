//! Property tests of the generated models: whatever JSON a server sends, a model either reads
//! it and writes back the same JSON, or refuses it with an error. Nothing is lost silently.

mod common;

use common::same_json;
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use sunco::types::{Content, Integration, Message, User, WebhookPayload};

/// Keys the models know (so the generator reaches typed fields) and some they do not.
const KEYS: &[&str] = &[
    "type",
    "text",
    "mediaUrl",
    "actions",
    "payload",
    "id",
    "items",
    "title",
    "uri",
    "author",
    "content",
    "metadata",
    "webhooks",
    "target",
    "triggers",
    "events",
    "displayName",
    "userId",
    "externalId",
    "profile",
    "received",
    "source",
    "quotedMessage",
    "message",
    "fields",
    "zz-unknown",
    "extra",
];
/// Tags of the unions: known ones and a few that are not.
const TAGS: &[&str] = &[
    "text",
    "image",
    "file",
    "carousel",
    "list",
    "location",
    "form",
    "formResponse",
    "template",
    "reply",
    "postback",
    "link",
    "webview",
    "buy",
    "locationRequest",
    "custom",
    "android",
    "whatsapp",
    "business",
    "user",
    "conversation:message",
    "user:merge",
    "client:add",
    "hologram",
    "",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| json!(n)),
        (-1e6f64..1e6).prop_map(|f| json!(f)),
        prop::sample::select(TAGS).prop_map(|s| json!(s)),
        "[a-z]{0,6}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(|pairs| {
                Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            }),
        ]
    })
}

/// An object with a union tag most of the time, so the typed branches are reached.
fn tagged_object() -> impl Strategy<Value = Value> {
    (
        prop::option::weighted(0.9, prop::sample::select(TAGS)),
        prop::collection::vec((prop::sample::select(KEYS), json_value()), 0..6),
    )
        .prop_map(|(tag, pairs)| {
            let mut map: Map<String, Value> =
                pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            if let Some(tag) = tag {
                map.insert("type".into(), json!(tag));
            }
            Value::Object(map)
        })
}

fn reads_back_or_refuses<T: DeserializeOwned + Serialize>(value: &Value) -> Result<(), String> {
    match serde_json::from_value::<T>(value.clone()) {
        Err(_) => Ok(()),
        Ok(model) => {
            let back =
                serde_json::to_value(&model).map_err(|e| format!("cannot write back: {e}"))?;
            if same_json(value, &back) {
                Ok(())
            } else {
                Err(format!(
                    "lost or changed data:\n in:   {value}\n back: {back}"
                ))
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn message_content_reads_back_or_refuses(v in tagged_object()) {
        reads_back_or_refuses::<Content>(&v).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn integrations_read_back_or_refuse(v in tagged_object()) {
        reads_back_or_refuses::<Integration>(&v).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn messages_read_back_or_refuse(content in tagged_object(), rest in json_value()) {
        let mut v = match rest { Value::Object(m) => m, _ => Map::new() };
        v.insert("content".into(), content);
        reads_back_or_refuses::<Message>(&Value::Object(v)).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn users_read_back_or_refuse(v in json_value()) {
        reads_back_or_refuses::<User>(&v).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn webhook_payloads_read_back_or_refuse(events in prop::collection::vec(tagged_object(), 0..4)) {
        let v = json!({"app": {"id": "demo-app"}, "events": events});
        reads_back_or_refuses::<WebhookPayload>(&v).map_err(TestCaseError::fail)?;
    }
}

#[test]
fn an_unknown_event_type_is_kept_whole() {
    let v = json!({"events": [{"type": "conversation:teleport", "id": "e1", "payload": {"x": 1}}]});
    let payload: WebhookPayload = serde_json::from_value(v.clone()).unwrap();
    let event = &payload.events.as_ref().unwrap()[0];
    assert_eq!(event.tag(), Some("conversation:teleport"));
    assert_eq!(serde_json::to_value(&payload).unwrap(), v);
}

#[test]
fn a_known_event_type_is_typed() {
    let v = json!({"events": [{"type": "conversation:message", "id": "e2",
        "payload": {"message": {"id": "m1", "content": {"type": "text", "text": "hi"}}}}]});
    let payload: WebhookPayload = serde_json::from_value(v.clone()).unwrap();
    match &payload.events.as_ref().unwrap()[0] {
        sunco::types::WebhookEvent::ConversationMessage(e) => {
            let text = e
                .payload
                .as_ref()
                .and_then(|p| p.message.as_ref())
                .and_then(|m| m.content.as_ref());
            assert!(matches!(text, Some(Content::Text(t)) if t.text.as_deref() == Some("hi")));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(serde_json::to_value(&payload).unwrap(), v);
}
