//! Webhook delivery, black box: the secret header and the body's shape, triggers, the full
//! user and source, order per conversation under concurrency, retries after a failing or
//! absent target, the delivery log, the delivery faults, the settings, the end-user controls,
//! and that delivery never holds up the API call that caused it.
//!
//! Targets are local servers (tests/common/receiver.rs) that hand each request to the test
//! through a channel; waits are bounded and wake on the request or on the emulator's
//! `?idle=` answer, never on a sleep.

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use common::receiver::{Target, dead_url};
use common::{Api, Control, Emu, id};
use proptest::prelude::*;
use reqwest::Method;
use serde_json::{Value, json};

const APP: &str = "/v2/apps/demo-app";
const CONTROL: &str = "/_emulator/apps/demo-app";

/// A custom integration with one webhook; answers the webhook (with its secret).
async fn hook(api: &Api, target: &str, triggers: &[&str], extra: Value) -> Value {
    let mut webhook = json!({"target": target, "triggers": triggers});
    webhook
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let reply = api
        .post(
            &format!("{APP}/integrations"),
            &json!({"type": "custom", "webhooks": [webhook]}),
        )
        .await;
    reply.assert_status(201)["integration"]["webhooks"][0].clone()
}

/// A new personal conversation of a new user; (user id, conversation id).
async fn conversation(api: &Api, external_id: &str) -> (String, String) {
    let user = api
        .post(
            &format!("{APP}/users"),
            &json!({"externalId": external_id, "profile": {"givenName": "Ada", "surname": "L"}}),
        )
        .await;
    let user = id(&user.assert_status(201)["user"]);
    let c = api
        .create_conversation(&json!({"type": "personal", "participants": [{"userId": user}]}))
        .await;
    (user, id(&c))
}

async fn say(control: &Control, user: &str, conversation: &str, text: &str) {
    control
        .send_json(
            Method::POST,
            &format!("{CONTROL}/conversations/{conversation}/user-messages"),
            &json!({"userId": user, "text": text}),
        )
        .await
        .assert_status(201);
}

/// The delivery log once every queued event is done (or 20 s have passed).
async fn settled(control: &Control) -> Value {
    let reply = control
        .send(Method::GET, "/_emulator/deliveries?idle=20000")
        .await;
    let log = reply.assert_status(200).clone();
    assert_eq!(log["pending"], 0, "deliveries still pending: {log:#}");
    log
}

fn attempts(log: &Value) -> Vec<Value> {
    log["deliveries"].as_array().unwrap().clone()
}

async fn settings(control: &Control, body: Value) -> Value {
    control
        .send_json(Method::PATCH, "/_emulator/webhook-settings", &body)
        .await
        .assert_status(200)
        .clone()
}

async fn webhook_faults(control: &Control, body: Value) {
    control
        .send_json(Method::POST, "/_emulator/webhook-faults", &body)
        .await
        .assert_status(200);
}

#[tokio::test]
async fn the_secret_header_and_the_body_follow_the_spec() {
    let emu = Emu::start();
    let (api, control) = (emu.api(), emu.control());
    let mut target = Target::start().await;
    let webhook = hook(&api, &target.url, &["conversation:message"], json!({})).await;
    let (user, cid) = conversation(&api, "ada").await;
    say(&control, &user, &cid, "hello").await;

    let hit = target.next().await;
    assert_eq!(hit.api_key(), webhook["secret"].as_str());
    assert_eq!(hit.headers.get("content-type").unwrap(), "application/json");
    let body = hit.json();
    assert_eq!(body["app"], json!({"id": "demo-app"}));
    assert_eq!(
        body["webhook"],
        json!({"id": webhook["id"], "version": "v2"})
    );
    let events = body["events"].as_array().unwrap();
    assert_eq!(events.len(), 1);
    let event = &events[0];
    assert_eq!(event["type"], "conversation:message");
    assert!(common::is_hex24(event["id"].as_str().unwrap()));
    assert!(common::is_timestamp(event["createdAt"].as_str().unwrap()));
    let payload = &event["payload"];
    assert_eq!(payload["conversation"]["id"], cid.as_str());
    assert_eq!(payload["conversation"]["type"], "personal");
    let message = &payload["message"];
    assert_eq!(message["content"], json!({"type": "text", "text": "hello"}));
    assert_eq!(message["author"]["type"], "user");
    assert_eq!(message["author"]["displayName"], "Ada L");
    // Without includeFullUser, the user is its ids; without includeFullSource, no client.
    assert_eq!(
        message["author"]["user"],
        json!({"id": user, "externalId": "ada", "authenticated": false})
    );
    assert_eq!(message["source"], json!({"type": "web"}));
    // The typed parser of the client crate accepts it with the secret, refuses it without.
    let secret = webhook["secret"].as_str().unwrap();
    assert!(sunco::webhooks::parse(&hit.body, &hit.headers, secret).is_ok());
    assert!(sunco::webhooks::parse(&hit.body, &hit.headers, "another").is_err());

    let log = settled(&control).await;
    let entry = &attempts(&log)[0];
    assert_eq!(entry["webhookId"], webhook["id"]);
    assert_eq!(entry["target"], target.url.as_str());
    assert_eq!(entry["eventId"], event["id"]);
    assert_eq!(entry["eventTypes"], json!(["conversation:message"]));
    assert_eq!(entry["conversationId"], cid.as_str());
    assert_eq!(
        (&entry["attempt"], &entry["status"], &entry["outcome"]),
        (&json!(1), &json!(200), &json!("delivered"))
    );
}

#[tokio::test]
async fn include_full_user_and_full_source() {
    let emu = Emu::start();
    let (api, control) = (emu.api(), emu.control());
    let mut target = Target::start().await;
    hook(
        &api,
        &target.url,
        &["conversation:message"],
        json!({"includeFullUser": true, "includeFullSource": true}),
    )
    .await;
    let (user, cid) = conversation(&api, "ada").await;
    // A WhatsApp client, linked: the message written from WhatsApp names it.
    let client = api
        .post(
            &format!("{APP}/users/{user}/clients"),
            &json!({"matchCriteria": {"type": "whatsapp", "integrationId": "582dedf230e788746891281a",
                                      "phoneNumber": "+1 212-555-2368"},
                    "confirmation": {"type": "immediate"}, "target": {"conversationId": cid}}),
        )
        .await;
    let client = id(&client.assert_status(201)["client"]);
    control
        .send_json(
            Method::POST,
            &format!("{CONTROL}/conversations/{cid}/user-messages"),
            &json!({"userId": user, "text": "hi",
                    "source": {"type": "whatsapp", "integrationId": "582dedf230e788746891281a"}}),
        )
        .await
        .assert_status(201);
    let event = target.next().await.event();
    let message = &event["payload"]["message"];
    let full = &message["author"]["user"];
    assert_eq!(full["id"], user.as_str());
    assert_eq!(full["profile"], json!({"givenName": "Ada", "surname": "L"}));
    assert!(full["signedUpAt"].is_string() && full["identities"].is_array());
    assert_eq!(message["source"]["client"]["id"], client.as_str());
    assert_eq!(message["source"]["client"]["type"], "whatsapp");
}

#[tokio::test]
async fn triggers_choose_the_events_and_the_webhooks() {
    let emu = Emu::start();
    let (api, control) = (emu.api(), emu.control());
    let mut postbacks = Target::start().await;
    let mut messages = Target::start().await;
    hook(&api, &postbacks.url, &["conversation:postback"], json!({})).await;
    hook(&api, &messages.url, &["conversation:message"], json!({})).await;
    let (user, cid) = conversation(&api, "ada").await;
    say(&control, &user, &cid, "one").await;
    control
        .send_json(
            Method::POST,
            &format!("{CONTROL}/conversations/{cid}/user-postbacks"),
            &json!({"userId": user, "payload": "plan:pro", "metadata": {"k": 1}}),
        )
        .await
        .assert_status(200);
    say(&control, &user, &cid, "two").await;

    let postback = postbacks.next().await.event();
    assert_eq!(postback["type"], "conversation:postback");
    assert_eq!(
        postback["payload"]["postback"],
        json!({"payload": "plan:pro", "metadata": {"k": 1}})
    );
    assert_eq!(postback["payload"]["user"]["id"], user.as_str());
    for text in ["one", "two"] {
        let event = messages.next().await.event();
        assert_eq!(event["payload"]["message"]["content"]["text"], text);
    }
    let log = settled(&control).await;
    assert_eq!(attempts(&log).len(), 3, "{log:#}");
    assert!(postbacks.try_next().is_none() && messages.try_next().is_none());
}

#[tokio::test]
async fn standby_events_go_only_to_the_integration_in_control_unless_asked() {
    let emu = Emu::start();
    let (api, control) = (emu.api(), emu.control());
    let (mut bot, mut agent, mut watcher) = (
        Target::start().await,
        Target::start().await,
        Target::start().await,
    );
    let mut ids = Vec::new();
    for target in [&bot, &agent, &watcher] {
        let reply = api
            .post(
                &format!("{APP}/integrations"),
                &json!({"type": "custom", "webhooks": [
                    {"target": target.url, "triggers": ["conversation:message"]}]}),
            )
            .await;
        ids.push(id(&reply.assert_status(201)["integration"]));
    }
    let switchboard = api.post(&format!("{APP}/switchboards"), &json!({})).await;
    let switchboard = id(&switchboard.assert_status(201)["switchboard"]);
    let sbis = format!("{APP}/switchboards/{switchboard}/switchboardIntegrations");
    let mut default = String::new();
    for (name, integration, standby) in [
        ("bot", &ids[0], false),
        ("agent", &ids[1], false),
        ("watcher", &ids[2], true),
    ] {
        let reply = api
            .post(
                &sbis,
                &json!({"name": name, "integrationId": integration,
                        "deliverStandbyEvents": standby}),
            )
            .await;
        let made = id(&reply.assert_status(201)["switchboardIntegration"]);
        if name == "bot" {
            default = made;
        }
    }
    api.patch(
        &format!("{APP}/switchboards/{switchboard}"),
        &json!({"enabled": true, "defaultSwitchboardIntegrationId": default}),
    )
    .await
    .assert_status(200);
    let (user, cid) = conversation(&api, "ada").await;
    say(&control, &user, &cid, "to the bot").await;
    api.post(
        &format!("{APP}/conversations/{cid}/passControl"),
        &json!({"switchboardIntegration": "agent"}),
    )
    .await
    .assert_status(200);
    say(&control, &user, &cid, "to the agent").await;
    settled(&control).await;
    let text = |hit: common::receiver::Hit| {
        hit.event()["payload"]["message"]["content"]["text"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(text(bot.next().await), "to the bot");
    assert!(bot.try_next().is_none(), "the bot is on standby");
    assert_eq!(text(agent.next().await), "to the agent");
    assert!(agent.try_next().is_none(), "the agent was on standby");
    // deliverStandbyEvents: true gets both.
    assert_eq!(text(watcher.next().await), "to the bot");
    assert_eq!(text(watcher.next().await), "to the agent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn order_is_kept_per_conversation_under_concurrency_and_retries() {
    let emu = Emu::start_with(&["--webhook-backoff", "5"]);
    let api = emu.api();
    let mut target = Target::start().await;
    hook(&api, &target.url, &["conversation:message"], json!({})).await;
    let mut conversations = Vec::new();
    for name in ["a", "b", "c"] {
        conversations.push((name, conversation(&api, name).await));
    }
    // The first few requests fail: their conversations wait, in order, for the retries.
    target.answer(&[500, 503, 500]);
    const N: usize = 15;
    let mut writers = tokio::task::JoinSet::new();
    for (name, (user, cid)) in conversations.clone() {
        let control = emu.control();
        writers.spawn(async move {
            for i in 0..N {
                say(&control, &user, &cid, &format!("{name}{i}")).await;
            }
        });
    }
    writers.join_all().await;

    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut ids: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for _ in 0..(3 * N + 3) {
        let event = target.next().await.event();
        let cid = event["payload"]["conversation"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let text = event["payload"]["message"]["content"]["text"]
            .as_str()
            .unwrap()
            .to_owned();
        let event_id = event["id"].as_str().unwrap().to_owned();
        // A retried event comes again with its id; it is not a new message.
        if ids.entry(cid.clone()).or_default().last() == Some(&event_id) {
            continue;
        }
        ids.get_mut(&cid).unwrap().push(event_id);
        seen.entry(cid).or_default().push(text);
    }
    for (name, (_, cid)) in &conversations {
        let expected: Vec<String> = (0..N).map(|i| format!("{name}{i}")).collect();
        assert_eq!(seen.get(cid), Some(&expected), "conversation {name}");
    }
    let log = settled(&emu.control()).await;
    let retried = attempts(&log)
        .iter()
        .filter(|a| a["outcome"] == "retrying")
        .count();
    assert_eq!(retried, 3, "{log:#}");
}

#[tokio::test]
async fn a_failing_target_is_retried_with_backoff_until_it_answers() {
    let emu = Emu::start_with(&["--webhook-backoff", "20"]);
    let (api, control) = (emu.api(), emu.control());
    let mut target = Target::start().await;
    hook(&api, &target.url, &["conversation:message"], json!({})).await;
    let (user, cid) = conversation(&api, "ada").await;
    target.answer(&[500, 429]);
    say(&control, &user, &cid, "hello").await;
    let first = target.next().await;
    let start = Instant::now();
    let second = target.next().await;
    let third = target.next().await;
    // 20 ms, then 40 ms: the backoff doubles.
    assert!(start.elapsed() >= Duration::from_millis(60));
    let ids: Vec<Value> = [&first, &second, &third]
        .iter()
        .map(|h| h.event()["id"].clone())
        .collect();
    assert!(ids.iter().all(|i| *i == ids[0]), "one event, sent again");
    let log = settled(&control).await;
    let summary: Vec<(Value, Value, Value)> = attempts(&log)
        .iter()
        .map(|a| {
            (
                a["attempt"].clone(),
                a["status"].clone(),
                a["outcome"].clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (json!(1), json!(500), json!("retrying")),
            (json!(2), json!(429), json!("retrying")),
            (json!(3), json!(200), json!("delivered")),
        ]
    );
}

#[tokio::test]
async fn a_target_that_is_down_is_given_up_after_the_last_attempt() {
    let emu = Emu::start_with(&["--webhook-backoff", "0", "--webhook-attempts", "3"]);
    let (api, control) = (emu.api(), emu.control());
    hook(&api, &dead_url(), &["conversation:message"], json!({})).await;
    let (user, cid) = conversation(&api, "ada").await;
    say(&control, &user, &cid, "anyone?").await;
    let log = settled(&control).await;
    let all = attempts(&log);
    assert_eq!(all.len(), 3, "{log:#}");
    for (i, attempt) in all.iter().enumerate() {
        assert_eq!(attempt["attempt"], i + 1);
        assert!(attempt.get("status").is_none());
        assert!(
            attempt["error"]
                .as_str()
                .unwrap()
                .starts_with("connection failed"),
            "{attempt}"
        );
    }
    assert_eq!(all[0]["outcome"], "retrying");
    assert_eq!(all[2]["outcome"], "failed");
    // The log can be emptied; the settings say what applies.
    control
        .send(Method::DELETE, "/_emulator/deliveries")
        .await
        .assert_status(200);
    assert_eq!(attempts(&settled(&control).await).len(), 0);
    let reply = control
        .send(Method::GET, "/_emulator/webhook-settings")
        .await;
    assert_eq!(
        reply.assert_status(200),
        &json!({"backoffMs": 0, "maxAttempts": 3, "timeoutMs": 10000, "anyHost": false})
    );
}

#[tokio::test]
async fn targets_off_loopback_are_not_sent_to_unless_allowed() {
    let emu = Emu::start();
    let (api, control) = (emu.api(), emu.control());
    // Never contacted: the emulator skips it (and would only try with anyHost).
    hook(
        &api,
        "https://example.invalid/hook",
        &["conversation:message"],
        json!({}),
    )
    .await;
    let (user, cid) = conversation(&api, "ada").await;
    say(&control, &user, &cid, "hello").await;
    let all = attempts(&settled(&control).await);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["outcome"], "skipped");
    assert!(all[0]["error"].as_str().unwrap().contains("loopback"));
}

#[tokio::test]
async fn delivery_never_holds_up_the_api_call() {
    let emu = Emu::start_with(&["--webhook-timeout", "60000"]);
    let (api, control) = (emu.api(), emu.control());
    let mut target = Target::start().await;
    hook(&api, &target.url, &["conversation:message"], json!({})).await;
    let (user, cid) = conversation(&api, "ada").await;
    let release = target.hold_next();
    // The target holds its answer; the API answers anyway, and so does the next message.
    say(&control, &user, &cid, "one").await;
    let held = target.next().await;
    assert_eq!(held.event()["payload"]["message"]["content"]["text"], "one");
    say(&control, &user, &cid, "two").await;
    let reply = control
        .send(Method::GET, "/_emulator/deliveries?idle=0")
        .await;
    assert_eq!(reply.assert_status(200)["pending"], 2);
    // "two" waits behind "one" in its conversation.
    assert!(target.try_next().is_none());
    release.send(()).unwrap();
    let next = target.next().await;
    assert_eq!(next.event()["payload"]["message"]["content"]["text"], "two");
    settled(&control).await;
}

#[tokio::test]
async fn delivery_faults_do_what_they_say() {
    let emu = Emu::start_with(&["--webhook-backoff", "0"]);
    let (api, control) = (emu.api(), emu.control());
    let mut target = Target::start().await;
    let webhook = hook(&api, &target.url, &["conversation:message"], json!({})).await;
    let secret = webhook["secret"].as_str().unwrap().to_owned();
    let (user, cid) = conversation(&api, "ada").await;
    webhook_faults(
        &control,
        json!([
            {"action": {"type": "wrongSecret"}, "eventType": "conversation:message"},
            {"action": {"type": "noSecret"}, "webhookId": webhook["id"]},
            {"action": {"type": "malformed"}},
            {"action": {"type": "duplicate"}},
            {"action": {"type": "drop"}},
            {"action": {"type": "fail"}},
            {"action": {"type": "delay", "ms": 1}},
            // Matches nothing: stays queued.
            {"action": {"type": "drop"}, "eventType": "conversation:postback"},
        ]),
    )
    .await;
    for i in 0..7 {
        say(&control, &user, &cid, &format!("m{i}")).await;
    }
    let hit = target.next().await;
    assert_eq!(hit.api_key(), Some("not-the-webhook-secret"));
    assert!(sunco::webhooks::parse(&hit.body, &hit.headers, &secret).is_err());
    assert_eq!(target.next().await.api_key(), None);
    let malformed = target.next().await;
    assert!(serde_json::from_slice::<Value>(&malformed.body).is_err());
    let (a, b) = (target.next().await.event(), target.next().await.event());
    assert_eq!(a, b, "duplicate: the same event twice");
    assert_eq!(a["payload"]["message"]["content"]["text"], "m3");
    // m4 was dropped; m5 failed once before sending, then went (delayed by the next
    // fault); m6 had none left.
    for text in ["m5", "m6"] {
        let hit = target.next().await;
        assert_eq!(hit.api_key(), Some(secret.as_str()));
        assert_eq!(hit.event()["payload"]["message"]["content"]["text"], text);
    }
    let log = settled(&control).await;
    let faults: Vec<(Value, Value)> = attempts(&log)
        .iter()
        .map(|a| (a["fault"].clone(), a["outcome"].clone()))
        .collect();
    assert_eq!(
        faults,
        [
            (json!("wrongSecret"), json!("delivered")),
            (json!("noSecret"), json!("delivered")),
            (json!("malformed"), json!("delivered")),
            (json!("duplicate"), json!("delivered")),
            (json!("duplicate"), json!("delivered")),
            (json!("drop"), json!("dropped")),
            (json!("fail"), json!("retrying")),
            (json!("delay"), json!("delivered")),
            (Value::Null, json!("delivered")),
        ]
    );
    let left = control.send(Method::GET, "/_emulator/webhook-faults").await;
    let left = left.assert_status(200)["faults"].clone();
    assert_eq!(left.as_array().unwrap().len(), 1);
    assert_eq!(left[0]["eventType"], "conversation:postback");
    control
        .send(Method::DELETE, "/_emulator/webhook-faults")
        .await
        .assert_status(200);
}

#[tokio::test]
async fn control_bodies_are_checked_and_name_the_field() {
    let emu = Emu::start();
    let (api, control) = (emu.api(), emu.control());
    let (user, cid) = conversation(&api, "ada").await;
    for (body, field) in [
        (json!({"maxAttempts": 0}), "maxAttempts"),
        (json!({"backoffMs": "1"}), "backoffMs"),
        (json!({"timeoutMs": 0}), "timeoutMs"),
        (json!({"anyHost": "yes"}), "anyHost"),
        (json!({"retries": 2}), "retries"),
    ] {
        control
            .send_json(Method::PATCH, "/_emulator/webhook-settings", &body)
            .await
            .assert_error(400, "bad_request", field);
    }
    for (body, part) in [
        (json!({"action": {"type": "explode"}}), "explode"),
        (json!({"action": {"type": "drop"}, "times": 0}), "times"),
        (
            json!({"action": {"type": "drop"}, "eventType": "nope"}),
            "eventType",
        ),
        (json!([{"action": {"type": "drop"}}, {}]), "fault 1"),
    ] {
        control
            .send_json(Method::POST, "/_emulator/webhook-faults", &body)
            .await
            .assert_error(400, "bad_request", part);
    }
    let conv = format!("{CONTROL}/conversations/{cid}");
    for (path, body, part) in [
        ("user-postbacks", json!({"userId": user}), "payload"),
        (
            "user-activity",
            json!({"userId": user, "type": "typing"}),
            "type",
        ),
        ("user-activity", json!({"type": "typing:start"}), "userId"),
        ("user-referrals", json!({"userId": user}), "referral"),
        (
            "user-messages",
            json!({"userId": user, "text": "a", "content": {"type": "text", "text": "b"}}),
            "either content or text",
        ),
        (
            "user-messages",
            json!({"userId": user, "payload": "p"}),
            "payload",
        ),
        (
            "switchboard-failures",
            json!({"action": "takeControl"}),
            "action",
        ),
        (
            "messages/nope/delivery",
            json!({"status": "read"}),
            "status",
        ),
    ] {
        control
            .send_json(Method::POST, &format!("{conv}/{path}"), &body)
            .await
            .assert_error(400, "bad_request", part);
    }
    control
        .send_json(
            Method::POST,
            &format!("{conv}/messages/nope/delivery"),
            &json!({"status": "user"}),
        )
        .await
        .assert_error(404, "not_found", "Message");
    control
        .send_json(
            Method::POST,
            &format!("{CONTROL}/conversations/nope/user-postbacks"),
            &json!({"userId": user, "payload": "x"}),
        )
        .await
        .assert_error(404, "conversation_not_found", "");
    control
        .send(Method::GET, "/_emulator/deliveries?idle=60001")
        .await
        .assert_error(400, "bad_request", "idle");
}

#[tokio::test]
async fn reset_forgets_queued_events_settings_and_faults() {
    let emu = Emu::start_with(&["--webhook-backoff", "0"]);
    let (api, control) = (emu.api(), emu.control());
    settings(&control, json!({"backoffMs": 600000, "maxAttempts": 9})).await;
    webhook_faults(&control, json!({"action": {"type": "fail"}, "times": 5})).await;
    let mut target = Target::start().await;
    hook(&api, &target.url, &["conversation:message"], json!({})).await;
    let (user, cid) = conversation(&api, "ada").await;
    say(&control, &user, &cid, "lost").await;
    // The event failed once and now waits 10 minutes before its next attempt.
    control
        .send(Method::POST, "/_emulator/reset")
        .await
        .assert_status(200);
    let log = settled(&control).await;
    assert_eq!(attempts(&log).len(), 0);
    let reply = control
        .send(Method::GET, "/_emulator/webhook-settings")
        .await;
    assert_eq!(reply.assert_status(200)["backoffMs"], 0);
    let reply = control.send(Method::GET, "/_emulator/webhook-faults").await;
    assert_eq!(reply.assert_status(200)["faults"], json!([]));
    assert!(target.try_next().is_none());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Any settings body is either applied exactly or refused with a 400 naming a field.
    #[test]
    fn settings_are_applied_or_refused(
        backoff in prop_oneof![Just(json!(null)), (0u64..700_000).prop_map(|n| json!(n)), Just(json!(-1)), Just(json!("5"))],
        attempts in prop_oneof![Just(json!(null)), (0u64..120).prop_map(|n| json!(n))],
        timeout in prop_oneof![Just(json!(null)), (0u64..700_000).prop_map(|n| json!(n))],
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let emu = Emu::start();
            let control = emu.control();
            let before = control.send(Method::GET, "/_emulator/webhook-settings").await.json;
            let mut body = serde_json::Map::new();
            for (key, value) in [("backoffMs", &backoff), ("maxAttempts", &attempts), ("timeoutMs", &timeout)] {
                if !value.is_null() {
                    body.insert(key.into(), value.clone());
                }
            }
            let valid = |key: &str, v: &Value| match (key, v.as_u64()) {
                ("backoffMs", Some(n)) => n <= 600_000,
                ("maxAttempts", Some(n)) => (1..=100).contains(&n),
                ("timeoutMs", Some(n)) => (1..=600_000).contains(&n),
                _ => false,
            };
            let ok = body.iter().all(|(k, v)| valid(k, v));
            let reply = control
                .send_json(Method::PATCH, "/_emulator/webhook-settings", &Value::Object(body.clone()))
                .await;
            let after = control.send(Method::GET, "/_emulator/webhook-settings").await.json;
            if ok {
                let mut expected = before.clone();
                for (k, v) in &body {
                    expected[k] = v.clone();
                }
                assert_eq!(reply.assert_status(200), &expected);
                assert_eq!(after, expected);
            } else {
                assert_eq!(reply.status.as_u16(), 400, "{}", reply.text);
                assert_eq!(after, before, "a refused body changes nothing");
            }
        });
    }
}
