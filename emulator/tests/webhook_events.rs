//! Every event type the spec's `Webhook Event` lists, produced by the emulator and delivered
//! to a local target: each payload parses into its typed `sunco::webhooks::WebhookEvent`
//! variant (not `Unknown`), and one payload per type is kept in
//! `tests/webhooks/emulated_events.json`, the fixture every binding's webhook tests read.
//!
//! The fixture's ids and times are normalised (ids numbered in order of appearance, every time
//! the same), so it changes only when a payload's shape does. The test fails when the file is
//! stale; `SUNCO_REGEN=1 cargo test -p sunco-emulator --test webhook_events` rewrites it.

mod common;

use std::collections::{BTreeMap, HashMap};

use common::receiver::Target;
use common::{Api, Control, Emu, id};
use reqwest::Method;
use serde_json::{Map, Value, json};
use sunco::webhooks::{EVENT_TYPES, WebhookEvent};

const APP: &str = "/v2/apps/demo-app";
const CONTROL: &str = "/_emulator/apps/demo-app";
const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/webhooks/emulated_events.json"
);
/// The seed's WhatsApp integration.
const WHATSAPP: &str = "582dedf230e788746891281a";

async fn post(api: &Api, path: &str, body: Value) -> Value {
    let reply = api.post(&format!("{APP}{path}"), &body).await;
    assert!(reply.status.is_success(), "POST {path}: {}", reply.text);
    reply.json
}

async fn control(control: &Control, method: Method, path: &str, body: Value) -> Value {
    let reply = control
        .send_json(method, &format!("{CONTROL}{path}"), &body)
        .await;
    assert!(reply.status.is_success(), "{path}: {}", reply.text);
    reply.json
}

/// Drives the emulator through every event type, in an order where each has what it needs.
async fn produce_every_event(emu: &Emu, target: &str) {
    let api = emu.api();
    let ctl = emu.control();
    let everything: Vec<&str> = EVENT_TYPES.to_vec();
    let integration = post(
        &api,
        "/integrations",
        json!({"type": "custom", "displayName": "Every event", "webhooks": [{
            "target": target, "triggers": everything,
            "includeFullUser": true, "includeFullSource": true}]}),
    )
    .await;
    let integration = &integration["integration"];
    let switchboard = post(&api, "/switchboards", json!({})).await["switchboard"].clone();
    let sbis = format!("/switchboards/{}/switchboardIntegrations", id(&switchboard));
    let bot = post(
        &api,
        &sbis,
        json!({"name": "bot", "integrationId": id(integration)}),
    )
    .await["switchboardIntegration"]
        .clone();
    post(
        &api,
        &sbis,
        json!({"name": "agent", "integrationType": "zd:agentWorkspace"}),
    )
    .await;
    api.patch(
        &format!("{APP}/switchboards/{}", id(&switchboard)),
        &json!({"enabled": true, "defaultSwitchboardIntegrationId": id(&bot)}),
    )
    .await
    .assert_status(200);

    let alice = api.user_id("alice").await;
    // conversation:create
    let group = api
        .create_conversation(&json!({"type": "sdkGroup", "displayName": "Support",
            "participants": [{"userId": alice}], "metadata": {"lang": "en"}}))
        .await;
    let cid = id(&group);
    let conv = format!("/conversations/{cid}");
    // conversation:join, conversation:leave
    post(
        &api,
        &format!("{conv}/join"),
        json!({"userExternalId": "bob"}),
    )
    .await;
    post(
        &api,
        &format!("{conv}/leave"),
        json!({"userExternalId": "bob"}),
    )
    .await;
    // client:add, client:update (confirmed): a WhatsApp client linked for this conversation.
    let client = post(
        &api,
        &format!("/users/{alice}/clients"),
        json!({"matchCriteria": {"type": "whatsapp", "integrationId": WHATSAPP,
                                 "phoneNumber": "+1 212-555-2368"},
               "confirmation": {"type": "immediate"},
               "target": {"conversationId": cid}}),
    )
    .await["client"]
        .clone();
    control(
        &ctl,
        Method::PATCH,
        &format!("/users/{alice}/clients/{}", id(&client)),
        json!({"status": "active", "externalId": "12125552368", "displayName": "Alice"}),
    )
    .await;
    let source = json!({"type": "whatsapp", "integrationId": WHATSAPP});
    // conversation:message (from the user, on WhatsApp)
    let user_path = format!("/conversations/{cid}");
    control(
        &ctl,
        Method::POST,
        &format!("{user_path}/user-messages"),
        json!({"userId": alice, "text": "hello", "source": source}),
    )
    .await;
    // conversation:postback, conversation:typing, conversation:read, conversation:referral
    control(
        &ctl,
        Method::POST,
        &format!("{user_path}/user-postbacks"),
        json!({"userId": alice, "payload": "plan:basic", "source": source}),
    )
    .await;
    control(
        &ctl,
        Method::POST,
        &format!("{user_path}/user-activity"),
        json!({"userId": alice, "type": "typing:start", "source": source}),
    )
    .await;
    control(
        &ctl,
        Method::POST,
        &format!("{user_path}/user-activity"),
        json!({"userId": alice, "type": "conversation:read", "source": source}),
    )
    .await;
    control(
        &ctl,
        Method::POST,
        &format!("{user_path}/user-referrals"),
        json!({"userId": alice, "source": source,
               "referral": {"code": "spring-sale", "details": {"source": "ADS", "type": "OPEN-THREAD"}}}),
    )
    .await;
    // conversation:message:delivery:channel / :user / :failure, for a business message
    let business = post(
        &api,
        &format!("{conv}/messages"),
        json!({"author": {"type": "business"}, "content": {"type": "text", "text": "Hi Alice"}}),
    )
    .await["messages"][0]
        .clone();
    for (status, extra) in [
        ("channel", json!({})),
        ("user", json!({})),
        (
            "failure",
            json!({"error": {"code": "uncategorized_error", "message": "Unsupported message type"}}),
        ),
    ] {
        let mut body = json!({"status": status, "userId": alice,
            "destination": {"type": "whatsapp", "integrationId": WHATSAPP},
            "externalMessageId": "wamid.1"});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        control(
            &ctl,
            Method::POST,
            &format!("{user_path}/messages/{}/delivery", id(&business)),
            body,
        )
        .await;
    }
    // switchboard:offerControl, :acceptControl, :passControl, :releaseControl
    post(
        &api,
        &format!("{conv}/offerControl"),
        json!({"switchboardIntegration": "agent", "metadata": {"reason": "billing"}}),
    )
    .await;
    post(&api, &format!("{conv}/acceptControl"), json!({})).await;
    post(
        &api,
        &format!("{conv}/passControl"),
        json!({"switchboardIntegration": "bot"}),
    )
    .await;
    post(&api, &format!("{conv}/releaseControl"), json!({})).await;
    // switchboard:*:failure
    for action in ["passControl", "offerControl", "acceptControl"] {
        control(
            &ctl,
            Method::POST,
            &format!("{user_path}/switchboard-failures"),
            json!({"action": action}),
        )
        .await;
    }
    // client:remove
    api.delete(&format!("{APP}/users/{alice}/clients/{}", id(&client)))
        .await
        .assert_status(200);
    // user:update
    api.patch(
        &format!("{APP}/users/{alice}"),
        &json!({"profile": {"givenName": "Alice", "surname": "Liddell"}}),
    )
    .await
    .assert_status(200);
    // user:merge: syncing alice's Zendesk user takes bob's external id, so bob merges into her.
    ctl.patch_user("alice", json!({"zendeskId": "1001"})).await;
    ctl.send_json(
        Method::PUT,
        &format!("{CONTROL}/zendesk-users/1001"),
        &json!({"externalId": "bob"}),
    )
    .await
    .assert_status(200);
    post(&api, "/users/1001/sync", json!({})).await;
    // user:remove
    api.delete(&format!("{APP}/users/carol"))
        .await
        .assert_status(200);
    // conversation:remove
    api.delete(&format!("{APP}{conv}")).await.assert_status(200);
}

/// Ids numbered in order of first appearance and every time the same, so the fixture only
/// changes with the shape of a payload.
struct Normaliser {
    ids: HashMap<String, String>,
}

impl Normaliser {
    fn value(&mut self, key: &str, value: &Value) -> Value {
        match value {
            Value::String(s) if is_record_id(s) => {
                let n = self.ids.len() + 1;
                Value::String(
                    self.ids
                        .entry(s.clone())
                        .or_insert_with(|| format!("5e0000000000000000{n:06x}"))
                        .clone(),
                )
            }
            Value::String(_) if is_time(key) => Value::String("2026-01-01T00:00:00.000Z".into()),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), self.value(k, v)))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(|v| self.value(key, v)).collect()),
            other => other.clone(),
        }
    }
}

fn is_record_id(s: &str) -> bool {
    s.len() == 24 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn is_time(key: &str) -> bool {
    matches!(
        key,
        "createdAt"
            | "received"
            | "signedUpAt"
            | "lastSeen"
            | "linkedAt"
            | "lastUpdatedAt"
            | "businessLastRead"
            | "lastRead"
    )
}

#[tokio::test]
async fn every_event_type_is_delivered_parsed_and_kept_in_the_fixture() {
    let emu = Emu::start_with(&["--webhook-backoff", "0"]);
    let mut target = Target::start().await;
    produce_every_event(&emu, &target.url).await;

    let log = emu
        .control()
        .send(Method::GET, "/_emulator/deliveries?idle=20000")
        .await;
    let log = log.assert_status(200).clone();
    assert_eq!(log["pending"], 0, "{log}");
    let deliveries = log["deliveries"].as_array().unwrap();
    assert!(
        deliveries.iter().all(|d| d["outcome"] == "delivered"),
        "{log:#}"
    );

    // The first payload of each type, as delivered.
    let mut first: BTreeMap<String, Value> = BTreeMap::new();
    for _ in 0..deliveries.len() {
        let hit = target.next().await;
        let body = hit.json();
        let event = &body["events"][0];
        let kind = event["type"].as_str().unwrap().to_owned();

        // Every payload parses into its own typed variant, never Unknown.
        let secret_ok = hit.api_key().is_some();
        assert!(secret_ok, "no X-API-Key on {kind}");
        let parsed = sunco::webhooks::parse_unverified(&hit.body)
            .unwrap_or_else(|e| panic!("{kind} does not parse: {e}\n{body:#}"));
        let events = parsed.events.unwrap();
        assert_eq!(events.len(), 1);
        assert!(
            !matches!(events[0], WebhookEvent::Unknown(_)),
            "{kind} parsed as Unknown"
        );
        assert_eq!(events[0].tag(), Some(kind.as_str()));
        // Read back unchanged: nothing the typed model dropped or renamed.
        assert_eq!(serde_json::to_value(&events[0]).unwrap(), *event, "{kind}");

        first.entry(kind).or_insert(body);
    }
    assert!(target.try_next().is_none(), "more requests than deliveries");
    let missing: Vec<&&str> = EVENT_TYPES
        .iter()
        .filter(|t| !first.contains_key(**t))
        .collect();
    assert!(missing.is_empty(), "never delivered: {missing:?}");

    // The fixture: one delivered body per type, in the spec's order (not the order of
    // arrival, which varies between conversations and users), normalised.
    let mut normaliser = Normaliser {
        ids: HashMap::new(),
    };
    let mut sorted = Map::new();
    for kind in EVENT_TYPES {
        sorted.insert((*kind).to_owned(), normaliser.value("", &first[*kind]));
    }
    let fixture = json!({
        "_source": "produced by the emulator (emulator/tests/webhook_events.rs): one delivered webhook body per event type, for a webhook with includeFullUser and includeFullSource; ids numbered in order of appearance and times fixed. Regenerate with SUNCO_REGEN=1 cargo test -p sunco-emulator --test webhook_events",
        "examples": sorted,
    });
    let text = serde_json::to_string_pretty(&fixture).unwrap() + "\n";
    if std::env::var_os("SUNCO_REGEN").is_some_and(|v| v == "1") {
        std::fs::write(FIXTURE, &text).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(FIXTURE).unwrap_or_default();
    assert!(
        committed == text,
        "tests/webhooks/emulated_events.json is stale: rerun with SUNCO_REGEN=1 and commit it"
    );
}
