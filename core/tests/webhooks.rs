//! Receiving webhooks: the secret check, the body limit, and every event type the spec lists,
//! read from the spec's own example bodies (`tests/webhooks/spec_examples.json`).

use proptest::prelude::*;
use serde_json::{Value, json};
use sunco::webhooks::{self, EVENT_TYPES, MAX_BODY_BYTES, Receiver, WebhookEvent, WebhookPayload};
use sunco::{Error, WebhookError};

const SECRET: &str = "5f4eaef81e3dcc117c7ba48a-secret";

fn examples() -> serde_json::Map<String, Value> {
    let doc: Value =
        serde_json::from_str(include_str!("../../tests/webhooks/spec_examples.json")).unwrap();
    doc["examples"].as_object().unwrap().clone()
}

fn headers() -> Vec<(String, String)> {
    vec![
        ("Content-Type".into(), "application/json".into()),
        ("X-API-Key".into(), SECRET.into()),
        ("User-Agent".into(), "Zendesk-Webhooks".into()),
    ]
}

fn refused(r: sunco::Result<impl std::fmt::Debug>) -> WebhookError {
    match r {
        Err(Error::Webhook(w)) => w,
        other => panic!("expected a webhook error, got {other:?}"),
    }
}

/// The variant each listed type must become (the name, to compare without a wildcard arm).
fn variant(e: &WebhookEvent) -> &'static str {
    match e {
        WebhookEvent::ClientAdd(_) => "client:add",
        WebhookEvent::ClientRemove(_) => "client:remove",
        WebhookEvent::ClientUpdate(_) => "client:update",
        WebhookEvent::ConversationCreate(_) => "conversation:create",
        WebhookEvent::ConversationJoin(_) => "conversation:join",
        WebhookEvent::ConversationLeave(_) => "conversation:leave",
        WebhookEvent::ConversationRemove(_) => "conversation:remove",
        WebhookEvent::ConversationMessage(_) => "conversation:message",
        WebhookEvent::ConversationMessageDeliveryChannel(_) => {
            "conversation:message:delivery:channel"
        }
        WebhookEvent::ConversationMessageDeliveryFailure(_) => {
            "conversation:message:delivery:failure"
        }
        WebhookEvent::ConversationMessageDeliveryUser(_) => "conversation:message:delivery:user",
        WebhookEvent::ConversationPostback(_) => "conversation:postback",
        WebhookEvent::ConversationRead(_) => "conversation:read",
        WebhookEvent::ConversationReferral(_) => "conversation:referral",
        WebhookEvent::ConversationTyping(_) => "conversation:typing",
        WebhookEvent::SwitchboardAcceptControl(_) => "switchboard:acceptControl",
        WebhookEvent::SwitchboardAcceptControlFailure(_) => "switchboard:acceptControl:failure",
        WebhookEvent::SwitchboardOfferControl(_) => "switchboard:offerControl",
        WebhookEvent::SwitchboardOfferControlFailure(_) => "switchboard:offerControl:failure",
        WebhookEvent::SwitchboardPassControl(_) => "switchboard:passControl",
        WebhookEvent::SwitchboardPassControlFailure(_) => "switchboard:passControl:failure",
        WebhookEvent::SwitchboardReleaseControl(_) => "switchboard:releaseControl",
        WebhookEvent::UserMerge(_) => "user:merge",
        WebhookEvent::UserUpdate(_) => "user:update",
        WebhookEvent::UserRemove(_) => "user:remove",
        WebhookEvent::Unknown(_) => "unknown",
    }
}

#[test]
fn every_listed_event_type_parses_into_its_variant_and_back() {
    let examples = examples();
    assert_eq!(
        examples.keys().collect::<Vec<_>>().len(),
        EVENT_TYPES.len(),
        "one spec example per listed type"
    );
    for t in EVENT_TYPES {
        let body = serde_json::to_vec(&examples[*t]).unwrap();
        let payload = webhooks::parse(&body, headers(), SECRET).unwrap();
        let events = payload.events.as_deref().unwrap();
        assert_eq!(events.len(), 1, "{t}");
        assert_eq!(variant(&events[0]), *t);
        assert_eq!(events[0].tag(), Some(*t));
        assert_eq!(events[0].id(), examples[*t]["events"][0]["id"].as_str());
        assert_eq!(
            events[0].created_at(),
            examples[*t]["events"][0]["createdAt"].as_str()
        );
        assert!(payload.app.as_ref().unwrap().id.is_some(), "{t}");
        assert_eq!(
            payload.webhook.as_ref().unwrap().version.as_deref(),
            Some("v2")
        );
        // Written back, the payload is the body as sent: nothing dropped, nothing added.
        assert_eq!(serde_json::to_value(&payload).unwrap(), examples[*t], "{t}");
    }
}

#[test]
fn typed_fields_of_the_common_events() {
    let examples = examples();
    let parse = |t: &str| {
        let body = serde_json::to_vec(&examples[t]).unwrap();
        let mut p = webhooks::parse(&body, headers(), SECRET).unwrap();
        p.events.take().unwrap().remove(0)
    };
    let WebhookEvent::ConversationMessage(m) = parse("conversation:message") else {
        panic!()
    };
    let p = m.payload.unwrap();
    assert_eq!(
        p.conversation.unwrap().id.as_deref(),
        Some("f52b01137aa6c250bc7251fa")
    );
    let message = p.message.unwrap();
    let Some(sunco::types::Content::Text(text)) = message.content else {
        panic!("{:?}", message.content)
    };
    assert_eq!(text.text.as_deref(), Some("hello"));
    let WebhookEvent::ConversationPostback(pb) = parse("conversation:postback") else {
        panic!()
    };
    assert!(pb.payload.unwrap().postback.unwrap().payload.is_some());
    let WebhookEvent::SwitchboardPassControl(sb) = parse("switchboard:passControl") else {
        panic!()
    };
    assert!(sb.payload.unwrap().conversation.is_some());
}

#[test]
fn a_batch_keeps_order_and_unknown_types_round_trip() {
    let examples = examples();
    let mut events: Vec<Value> = EVENT_TYPES
        .iter()
        .map(|t| examples[*t]["events"][0].clone())
        .collect();
    let passthrough = json!({
        "id": "6500aa0e1f5e2f0001c2d3e4",
        "createdAt": "2023-09-12T18:04:30.123Z",
        "type": "passthrough:messaging",
        "payload": {"conversation": {"id": "c1", "type": "personal"}, "data": {"nested": [1, 2.5, null, true]}}
    });
    let untyped = json!({"id": "no-type", "payload": {}});
    events.insert(3, passthrough.clone());
    events.push(untyped.clone());
    let body = json!({
        "app": {"id": "app_1", "futureField": 1},
        "webhook": {"id": "wh_1", "version": "v2"},
        "events": events,
        "later": "kept"
    });
    let payload =
        webhooks::parse(body.to_string().as_bytes(), headers(), SECRET).expect("batch parses");
    let got = payload.events.as_deref().unwrap();
    assert_eq!(got.len(), EVENT_TYPES.len() + 2);
    assert_eq!(got[3], WebhookEvent::Unknown(passthrough));
    assert_eq!(got[3].tag(), Some("passthrough:messaging"));
    assert_eq!(got[3].id(), Some("6500aa0e1f5e2f0001c2d3e4"));
    assert_eq!(*got.last().unwrap(), WebhookEvent::Unknown(untyped));
    let tags: Vec<_> = got.iter().filter_map(WebhookEvent::tag).collect();
    let mut expected: Vec<_> = EVENT_TYPES.to_vec();
    expected.insert(3, "passthrough:messaging");
    assert_eq!(tags, expected);
    assert_eq!(payload.extra["later"], "kept");
    // Round trip: written back and read again, the same payload and the same JSON, in order.
    let written = serde_json::to_string(&payload).unwrap();
    assert_eq!(serde_json::from_str::<Value>(&written).unwrap(), body);
    assert_eq!(
        webhooks::parse_unverified(written.as_bytes()).unwrap(),
        payload
    );
}

#[test]
fn the_spec_referral_example_as_written_is_refused_by_name() {
    // The spec's YAML has `externalId: 912382197` unquoted; the schema says string (see
    // tests/webhooks/extract.py). A misfit in a known event type is an error naming the field.
    let mut body = examples()["conversation:referral"].clone();
    body["events"][0]["payload"]["user"]["externalId"] = json!(912382197);
    let (path, message) = malformed(&body.to_string());
    assert_eq!(path, "events[0].payload.user.externalId");
    assert!(message.contains("expected a string"), "{message}");
}

#[test]
fn empty_and_missing_events() {
    let p = webhooks::parse(br#"{"app":{"id":"a"},"events":[]}"#, headers(), SECRET).unwrap();
    assert_eq!(p.events, Some(vec![]));
    let p = webhooks::parse(b"{}", headers(), SECRET).unwrap();
    assert_eq!(p, WebhookPayload::default());
    let p = webhooks::parse(br#"{"events": null}"#, headers(), SECRET).unwrap();
    assert_eq!(p.events, None);
}

#[test]
fn secret_checks() {
    let body = br#"{"events":[]}"#;
    // Any case of the header name.
    for name in ["X-API-Key", "x-api-key", "X-API-KEY", "x-Api-kEY"] {
        webhooks::parse(body, [(name, SECRET)], SECRET).unwrap();
    }
    // A server's own header map works as it is.
    let mut map = axum::http::HeaderMap::new();
    map.insert("x-api-key", SECRET.parse().unwrap());
    webhooks::parse(body, &map, SECRET).unwrap();
    webhooks::verify(&map, SECRET).unwrap();

    let wrong = refused(webhooks::parse(body, [("X-API-Key", "guess")], SECRET));
    assert_eq!(wrong, WebhookError::WrongSecret);
    assert_eq!(wrong.status(), 401);
    let prefix = &SECRET[..SECRET.len() - 1];
    assert_eq!(
        refused(webhooks::parse(body, [("X-API-Key", prefix)], SECRET)),
        WebhookError::WrongSecret
    );
    let longer = format!("{SECRET}x");
    assert_eq!(
        refused(webhooks::parse(
            body,
            [("X-API-Key", longer.as_str())],
            SECRET
        )),
        WebhookError::WrongSecret
    );
    assert_eq!(
        refused(webhooks::parse(body, [("X-API-Key", "")], SECRET)),
        WebhookError::WrongSecret
    );
    let missing = refused(webhooks::parse(body, [("Authorization", SECRET)], SECRET));
    assert_eq!(missing, WebhookError::MissingSecret);
    assert_eq!(missing.status(), 401);
    let none: [(&str, &str); 0] = [];
    assert_eq!(
        refused(webhooks::parse(body, none, SECRET)),
        WebhookError::MissingSecret
    );
    // The secret is checked before the body is looked at.
    assert_eq!(
        refused(webhooks::parse(
            b"not json",
            [("X-API-Key", "guess")],
            SECRET
        )),
        WebhookError::WrongSecret
    );
    // Header values need not be UTF-8.
    let bytes: [(&[u8], &[u8]); 1] = [(b"x-api-key", b"\xff\xfe")];
    assert_eq!(
        refused(webhooks::parse(body, bytes, SECRET)),
        WebhookError::WrongSecret
    );
    // An empty secret is a mistake of the receiver, never a match.
    let e = webhooks::parse(body, [("X-API-Key", "")], "").unwrap_err();
    assert!(matches!(e, Error::Config(_)), "{e:?}");
}

#[test]
fn errors_never_show_the_secret() {
    let receiver = Receiver::new(SECRET);
    assert!(!format!("{receiver:?}").contains(SECRET));
    let sent = format!("{SECRET}-not");
    let cases = [
        receiver.parse(b"{}", [("X-API-Key", sent.as_str())]),
        receiver.parse(b"{}", [("X-API-Keys", SECRET)]),
        receiver.parse(b"{", [("X-API-Key", SECRET)]),
        receiver.parse(
            br#"{"events":[{"type":"user:update","payload":7}]}"#,
            [("X-API-Key", SECRET)],
        ),
        Receiver::new(SECRET)
            .max_body_bytes(1)
            .parse(b"{}", [("X-API-Key", SECRET)]),
    ];
    for case in cases {
        let e = case.unwrap_err();
        for shown in [format!("{e}"), format!("{e:?}")] {
            assert!(!shown.contains(SECRET), "{shown}");
            assert!(!shown.contains(&sent), "{shown}");
        }
    }
}

#[test]
fn body_limit() {
    let h = [("X-API-Key", SECRET)];
    // Exactly at the limit: accepted (JSON padded with spaces).
    let mut at = br#"{"events":[]}"#.to_vec();
    at.resize(MAX_BODY_BYTES, b' ');
    webhooks::parse(&at, h, SECRET).unwrap();
    // One byte over: refused before parsing (it is not even JSON).
    let over = vec![b'x'; MAX_BODY_BYTES + 1];
    let e = refused(webhooks::parse(&over, h, SECRET));
    assert_eq!(
        e,
        WebhookError::TooLarge {
            size: MAX_BODY_BYTES + 1,
            limit: MAX_BODY_BYTES
        }
    );
    assert_eq!(e.status(), 413);
    assert!(e.to_string().contains("1048577"), "{e}");
    // A receiver's own limit.
    let small = Receiver::new(SECRET).max_body_bytes(16);
    assert_eq!(small.body_limit(), 16);
    small.parse(br#"{"events":[]}"#, h).unwrap();
    let over_small = br#"{"events": [ ]}  "#;
    assert_eq!(
        refused(small.parse(over_small, h)),
        WebhookError::TooLarge {
            size: over_small.len(),
            limit: 16
        }
    );
    // Without verifying, the default limit still holds.
    assert!(matches!(
        refused(webhooks::parse_unverified(&over)),
        WebhookError::TooLarge { .. }
    ));
}

fn malformed(body: &str) -> (String, String) {
    match refused(webhooks::parse(body.as_bytes(), headers(), SECRET)) {
        e @ WebhookError::Malformed { .. } => {
            assert_eq!(e.status(), 400);
            let WebhookError::Malformed { path, message } = e else {
                unreachable!()
            };
            (path, message)
        }
        other => panic!("{body}: {other:?}"),
    }
}

#[test]
fn malformed_bodies_say_where() {
    let (path, message) = malformed("{\"events\": [\n  {\"type\": \"x\",}\n]}");
    assert_eq!(path, "");
    assert!(message.contains("line 2 column"), "{message}");
    let (path, message) = malformed("");
    assert_eq!(path, "");
    assert!(message.contains("EOF"), "{message}");
    assert_eq!(
        malformed("[]"),
        ("".into(), "expected a JSON object".into())
    );
    assert_eq!(malformed(r#""hi""#).0, "");
    assert_eq!(malformed(r#"{"events": {}}"#).0, "events");
    assert_eq!(malformed(r#"{"app": {"id": 5}, "events": []}"#).0, "app.id");
    assert_eq!(malformed(r#"{"webhook": [], "events": []}"#).0, "webhook");
    let (path, message) = malformed(
        r#"{"events": [{"type": "client:add"}, {"type": "conversation:message", "payload": {"conversation": "c1"}}]}"#,
    );
    assert_eq!(path, "events[1].payload.conversation");
    assert!(
        message.contains("`conversation:message` event"),
        "{message}"
    );
    let (path, _) = malformed(
        r#"{"events": [{"type": "conversation:message", "payload": {"recentNotifications": [{}, {"id": 1}]}}]}"#,
    );
    assert_eq!(path, "events[0].payload.recentNotifications[1].id");
    assert_eq!(
        malformed(r#"{"events": [{"type": "user:merge", "id": []}]}"#).0,
        "events[0].id"
    );
    let e = webhooks::parse(b"{", headers(), SECRET).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("webhook refused: malformed body: "),
        "{e}"
    );
    let e = webhooks::parse(br#"{"events": 1}"#, headers(), SECRET).unwrap_err();
    assert_eq!(
        e.to_string(),
        "webhook refused: malformed body at `events`: expected an array"
    );
    assert_eq!(e.webhook().map(WebhookError::status), Some(400));
}

#[test]
fn deep_nesting_is_refused_not_a_crash() {
    let deep = format!(
        r#"{{"events": [{{"type": "zz", "payload": {}1{}}}]}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert_eq!(malformed(&deep).0, "");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any bytes give a payload or a typed error; nothing panics.
    #[test]
    fn arbitrary_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..512)) {
        match webhooks::parse(&body, headers(), SECRET) {
            Ok(_) | Err(Error::Webhook(WebhookError::Malformed { .. })) => {}
            Err(other) => prop_assert!(false, "{other:?}"),
        }
    }

    /// JSON-shaped bodies made of webhook words reach the typed readers; nothing panics.
    #[test]
    fn webhook_shaped_bodies_never_panic(
        types in proptest::collection::vec(
            prop_oneof![
                proptest::sample::select(EVENT_TYPES).prop_map(str::to_owned),
                "[a-z:]{0,12}",
            ],
            0..4,
        ),
        payload in prop_oneof![
            Just(json!(null)), Just(json!({})), Just(json!([])), Just(json!("s")), Just(json!(1)),
            Just(json!({"conversation": {"id": 1}})),
            Just(json!({"message": {"content": {"type": "text", "text": 5}}})),
            Just(json!({"user": {"id": "u", "profile": []}})),
        ],
    ) {
        let events: Vec<Value> =
            types.iter().map(|t| json!({"id": "e", "type": t, "payload": payload})).collect();
        let body = json!({"app": {"id": "a"}, "events": events}).to_string();
        match webhooks::parse(body.as_bytes(), headers(), SECRET) {
            Ok(p) => prop_assert_eq!(p.events.map(|e| e.len()), Some(types.len())),
            Err(Error::Webhook(WebhookError::Malformed { path, .. })) => {
                prop_assert!(path.starts_with("events["), "{}", path)
            }
            Err(other) => prop_assert!(false, "{other:?}"),
        }
    }

    /// A wrong secret never passes, whatever the body and however close the guess.
    #[test]
    fn a_wrong_secret_never_passes(
        secret in "[ -~]{1,40}",
        guess in proptest::collection::vec(any::<u8>(), 0..48),
        flip in any::<prop::sample::Index>(),
        body in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        prop_assume!(guess != secret.as_bytes());
        let header: [(&[u8], &[u8]); 1] = [(b"X-API-Key", &guess)];
        let e = refused(webhooks::parse(&body, header, &secret));
        prop_assert_eq!(e, WebhookError::WrongSecret);
        // One byte off the real secret.
        let mut near = secret.clone().into_bytes();
        let i = flip.index(near.len());
        near[i] ^= 1;
        let header: [(&[u8], &[u8]); 1] = [(b"x-api-key", &near)];
        prop_assert_eq!(refused(webhooks::verify(header, &secret)), WebhookError::WrongSecret);
    }
}

/// The parse cost per event, on the spec's example bodies (one event each, 500-1,600 bytes) and
/// on one batch of all of them. Run in release:
/// `cargo test --release -p sunco --test webhooks -- --ignored --nocapture parse_cost`
#[test]
#[ignore = "a measurement; run in release"]
fn parse_cost() {
    use std::time::Instant;
    let examples = examples();
    let bodies: Vec<Vec<u8>> = EVENT_TYPES
        .iter()
        .map(|t| serde_json::to_vec(&examples[*t]).unwrap())
        .collect();
    let h = [("X-API-Key", SECRET)];
    let rounds = 2_000;
    let start = Instant::now();
    for _ in 0..rounds {
        for b in &bodies {
            std::hint::black_box(webhooks::parse(std::hint::black_box(b), h, SECRET).unwrap());
        }
    }
    let n = rounds * bodies.len();
    let per = start.elapsed() / n as u32;
    let bytes: usize = bodies.iter().map(Vec::len).sum();
    println!(
        "one event per body: {per:?} per event ({n} bodies, mean body {} bytes)",
        bytes / bodies.len()
    );
    let batch = json!({
        "app": {"id": "a"},
        "webhook": {"id": "w", "version": "v2"},
        "events": EVENT_TYPES.iter().map(|t| examples[*t]["events"][0].clone()).collect::<Vec<_>>(),
    })
    .to_string();
    let start = Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(webhooks::parse(batch.as_bytes(), h, SECRET).unwrap());
    }
    let per = start.elapsed() / (rounds * EVENT_TYPES.len()) as u32;
    println!(
        "batch of {}: {per:?} per event ({} bytes per batch)",
        EVENT_TYPES.len(),
        batch.len()
    );
}
