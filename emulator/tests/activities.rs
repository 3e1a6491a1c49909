//! Black-box tests of PostActivity: typing indicators and read receipts, and how a read moves
//! a participant's `lastRead` / `unreadCount` or the conversation's `businessLastRead`.

mod common;

use common::{Api, Emu, id, is_timestamp};
use serde_json::{Value, json};

const CONVERSATIONS: &str = "/v2/apps/demo-app/conversations";

fn path(conversation: &Value, tail: &str) -> String {
    format!("{CONVERSATIONS}/{}/{tail}", id(conversation))
}

async fn group(api: &Api, users: &[&str]) -> Value {
    let participants: Vec<Value> = users.iter().map(|u| json!({"userExternalId": u})).collect();
    api.create_conversation(&json!({"type": "sdkGroup", "participants": participants}))
        .await
}

async fn participants(api: &Api, conversation: &Value) -> Vec<Value> {
    let reply = api.get(&path(conversation, "participants")).await;
    reply.assert_status(200)["participants"]
        .as_array()
        .unwrap()
        .clone()
}

async fn business_says(api: &Api, conversation: &Value, text: &str) {
    api.post(
        &path(conversation, "messages"),
        &json!({"author": {"type": "business"}, "content": {"type": "text", "text": text}}),
    )
    .await
    .assert_status(201);
}

#[tokio::test]
async fn a_user_read_clears_its_unread_count_and_sets_last_read() {
    let emu = Emu::start();
    let api = emu.api();
    let control = emu.control();
    let conversation = group(&api, &["alice", "bob"]).await;
    business_says(&api, &conversation, "one").await;
    control
        .user_message(
            &id(&conversation),
            json!({"userExternalId": "bob", "content": {"type": "text", "text": "two"}}),
        )
        .await;
    let before = participants(&api, &conversation).await;
    assert_eq!(before[0]["unreadCount"], 2);
    assert_eq!(before[1]["unreadCount"], 1);

    let reply = api
        .post(
            &path(&conversation, "activity"),
            &json!({"author": {"type": "user", "userExternalId": "alice"}, "type": "conversation:read"}),
        )
        .await;
    assert_eq!(reply.assert_status(200), &json!({}));
    let after = participants(&api, &conversation).await;
    assert_eq!(after[0]["unreadCount"], 0);
    assert!(
        is_timestamp(after[0]["lastRead"].as_str().unwrap()),
        "{}",
        after[0]
    );
    // Bob's state is his own.
    assert_eq!(after[1], before[1]);

    // Later messages are unread again; the business's read marker is untouched.
    business_says(&api, &conversation, "three").await;
    let later = participants(&api, &conversation).await;
    assert_eq!(later[0]["unreadCount"], 1);
    assert_eq!(later[0]["lastRead"], after[0]["lastRead"]);
    let reply = api
        .get(&format!("{CONVERSATIONS}/{}", id(&conversation)))
        .await;
    assert_eq!(
        reply.assert_status(200)["conversation"]["businessLastRead"],
        Value::Null
    );
}

#[tokio::test]
async fn a_business_read_sets_business_last_read() {
    let emu = Emu::start();
    let api = emu.api();
    let conversation = api
        .create_conversation(
            &json!({"type": "personal", "participants": [{"userExternalId": "alice"}]}),
        )
        .await;
    assert_eq!(conversation["businessLastRead"], Value::Null);
    business_says(&api, &conversation, "hi").await;
    api.post(
        &path(&conversation, "activity"),
        &json!({"author": {"type": "business", "displayName": "Agent"}, "type": "conversation:read"}),
    )
    .await
    .assert_status(200);
    let reply = api
        .get(&format!("{CONVERSATIONS}/{}", id(&conversation)))
        .await;
    let read = reply.assert_status(200)["conversation"]["businessLastRead"].clone();
    assert!(is_timestamp(read.as_str().unwrap()), "{read}");
    // Participants' counts are theirs, not the business's.
    assert_eq!(participants(&api, &conversation).await[0]["unreadCount"], 1);
}

#[tokio::test]
async fn typing_activities_are_accepted_and_change_nothing() {
    let emu = Emu::start();
    let api = emu.api();
    let conversation = group(&api, &["alice"]).await;
    let before = api
        .get(&format!("{CONVERSATIONS}/{}", id(&conversation)))
        .await;
    for kind in ["typing:start", "typing:stop"] {
        let reply = api
            .post(
                &path(&conversation, "activity"),
                &json!({"author": {"type": "business", "avatarUrl": "https://example.org/a.png"}, "type": kind}),
            )
            .await;
        assert_eq!(reply.assert_status(200), &json!({}));
    }
    let after = api
        .get(&format!("{CONVERSATIONS}/{}", id(&conversation)))
        .await;
    assert_eq!(after.json, before.json);
    let listed = participants(&api, &conversation).await;
    assert!(listed[0].get("lastRead").is_none());
}

#[tokio::test]
async fn activity_errors() {
    let emu = Emu::start();
    let api = emu.api();
    let conversation = group(&api, &["alice"]).await;
    let activity = path(&conversation, "activity");
    let business = json!({"type": "business"});
    let cases = [
        (json!({"type": "typing:start"}), "author is required"),
        (json!({"author": business}), "type is required"),
        (
            json!({"author": business, "type": "typing"}),
            "type must be one of: conversation:read, typing:start, typing:stop",
        ),
        (
            json!({"author": business, "type": 1}),
            "type must be one of",
        ),
        (
            json!({"author": {"type": "user", "userExternalId": "alice"}, "type": "typing:start"}),
            "If the author type is user, only conversation:read is supported",
        ),
        (
            json!({"author": {"type": "user"}, "type": "conversation:read"}),
            "author must have exactly one of userId or userExternalId",
        ),
        (
            json!({"author": {"type": "business", "userId": "x"}, "type": "conversation:read"}),
            "author.userId",
        ),
        (
            json!({"author": {"type": "robot"}, "type": "conversation:read"}),
            "author.type",
        ),
        (
            json!({"author": {"type": "business", "avatarUrl": "x"}, "type": "typing:stop"}),
            "author.avatarUrl",
        ),
    ];
    for (body, title) in cases {
        api.post(&activity, &body)
            .await
            .assert_error(400, "bad_request", title);
    }
    let read = |user: &str| json!({"author": {"type": "user", "userExternalId": user}, "type": "conversation:read"});
    api.post(&activity, &read("ghost"))
        .await
        .assert_error(404, "user_not_found", "");
    api.post(&activity, &read("bob")).await.assert_error(
        404,
        "not_found",
        "User is not a member of the conversation",
    );
    api.post(
        &format!("{CONVERSATIONS}/0123456789abcdef01234567/activity"),
        &read("alice"),
    )
    .await
    .assert_error(404, "conversation_not_found", "");
    api.with_auth(None)
        .post(&activity, &read("alice"))
        .await
        .assert_error(401, "unauthorized", "");
    // Nothing was marked read by the refused requests.
    assert!(
        participants(&api, &conversation).await[0]
            .get("lastRead")
            .is_none()
    );
}

#[tokio::test]
async fn a_read_in_one_conversation_leaves_the_others_and_ends_with_the_participation() {
    let emu = Emu::start();
    let api = emu.api();
    let first = group(&api, &["alice", "bob"]).await;
    let second = group(&api, &["alice"]).await;
    business_says(&api, &first, "a").await;
    business_says(&api, &second, "b").await;
    let read =
        json!({"author": {"type": "user", "userExternalId": "alice"}, "type": "conversation:read"});
    api.post(&path(&first, "activity"), &read)
        .await
        .assert_status(200);
    assert_eq!(participants(&api, &first).await[0]["unreadCount"], 0);
    assert_eq!(participants(&api, &second).await[0]["unreadCount"], 1);
    // Once alice leaves, she can no longer mark the conversation read.
    api.post(&path(&first, "leave"), &json!({"userExternalId": "alice"}))
        .await
        .assert_status(200);
    api.post(&path(&first, "activity"), &read)
        .await
        .assert_error(404, "not_found", "");
    emu.control()
        .faults(json!({"path": "/v2/apps/*/conversations/*/activity", "action": {"type": "status", "status": 503}}))
        .await
        .assert_status(200);
    api.post(&path(&second, "activity"), &read)
        .await
        .assert_error(503, "service_unavailable", "");
    assert_eq!(participants(&api, &second).await[0]["unreadCount"], 1);
}
