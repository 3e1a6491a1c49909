//! Black-box tests of PostConversionEvents.

mod common;

use common::Emu;
use serde_json::{Value, json};

const CONVERSATIONS: &str = "/v2/apps/demo-app/conversations";

fn events(n: usize) -> Value {
    let data: Vec<Value> = (0..n)
        .map(|i| {
            json!({"action_source": "business_messaging", "event_name": format!("Event{i}"),
                   "event_time": 1752161233, "messaging_channel": "instagram"})
        })
        .collect();
    json!({"payload": {"data": data}})
}

#[tokio::test]
async fn conversion_events_are_counted_per_channel() {
    let emu = Emu::start();
    let api = emu.api();
    let conversation = api
        .create_conversation(
            &json!({"type": "personal", "participants": [{"userExternalId": "alice"}]}),
        )
        .await;
    let path = format!(
        "{CONVERSATIONS}/{}/conversionEvents",
        conversation["id"].as_str().unwrap()
    );
    let mut datasets = Vec::new();
    for (channel, n) in [("instagram", 1), ("messenger", 3), ("whatsapp", 0)] {
        let reply = api.post(&path, &json!({channel: events(n)})).await;
        let body = reply.assert_status(200)["conversionEvents"].clone();
        assert_eq!(body["eventsReceived"], n, "{body}");
        let dataset = body["datasetId"].as_str().unwrap().to_owned();
        assert!(
            dataset.len() == 16 && dataset.bytes().all(|b| b.is_ascii_digit()),
            "{dataset}"
        );
        datasets.push(dataset);
    }
    assert_ne!(datasets[0], datasets[1]);
    // The dataset of a channel is stable.
    let reply = api.post(&path, &json!({"instagram": events(2)})).await;
    assert_eq!(
        reply.assert_status(200)["conversionEvents"]["datasetId"],
        datasets[0].as_str()
    );
}

#[tokio::test]
async fn conversion_event_errors() {
    let emu = Emu::start();
    let api = emu.api();
    let conversation = api
        .create_conversation(
            &json!({"type": "personal", "participants": [{"userExternalId": "alice"}]}),
        )
        .await;
    let path = format!(
        "{CONVERSATIONS}/{}/conversionEvents",
        conversation["id"].as_str().unwrap()
    );
    let cases = [
        (json!({}), "exactly one of messenger, instagram or whatsapp"),
        (
            json!({"telegram": events(1)}),
            "exactly one of messenger, instagram or whatsapp",
        ),
        (
            json!({"instagram": events(1), "whatsapp": events(1)}),
            "exactly one of",
        ),
        (json!({"instagram": []}), "instagram must be an object"),
        (json!({"instagram": {}}), "instagram.payload is required"),
        (
            json!({"instagram": {"payload": []}}),
            "instagram.payload must be an object",
        ),
        (
            json!({"messenger": {"payload": {}}}),
            "messenger.payload.data is required",
        ),
        (
            json!({"messenger": {"payload": {"data": {}}}}),
            "messenger.payload.data must be an array",
        ),
        (
            json!({"whatsapp": {"payload": {"data": [{}, 5]}}}),
            "whatsapp.payload.data[1] must be an object",
        ),
    ];
    for (body, title) in cases {
        api.post(&path, &body)
            .await
            .assert_error(400, "bad_request", title);
    }
    api.post(
        &format!("{CONVERSATIONS}/0123456789abcdef01234567/conversionEvents"),
        &json!({"instagram": events(1)}),
    )
    .await
    .assert_error(404, "conversation_not_found", "");
    api.with_auth(None)
        .post(&path, &json!({"instagram": events(1)}))
        .await
        .assert_error(401, "unauthorized", "");
    api.post(
        &path.replace("demo-app", "nope"),
        &json!({"instagram": events(1)}),
    )
    .await
    .assert_error(404, "app_not_found", "");
}

#[tokio::test]
async fn conversion_events_store_nothing_and_end_with_their_conversation() {
    let emu = Emu::start();
    let api = emu.api();
    let conversation = api
        .create_conversation(
            &json!({"type": "personal", "participants": [{"userExternalId": "alice"}]}),
        )
        .await;
    let base = format!("{CONVERSATIONS}/{}", conversation["id"].as_str().unwrap());
    let path = format!("{base}/conversionEvents");
    api.post(&path, &json!({"messenger": events(2)}))
        .await
        .assert_status(200);
    // No message, no change to the conversation.
    let reply = api.get(&format!("{base}/messages")).await;
    assert_eq!(reply.assert_status(200)["messages"], json!([]));
    let reply = api.get(&base).await;
    assert_eq!(reply.assert_status(200)["conversation"], conversation);
    // Deleting the user takes its personal conversation, and the events route with it.
    api.delete("/v2/apps/demo-app/users/alice")
        .await
        .assert_status(200);
    api.post(&path, &json!({"messenger": events(1)}))
        .await
        .assert_error(404, "conversation_not_found", "");
}
