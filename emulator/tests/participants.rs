//! Black-box tests of the Participants routes: join, leave and list (paged), with the
//! participants' unread counts and client associations.

mod common;

use common::{Api, Emu, Reply, id, ids_of, is_hex24};
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
    let reply = api
        .get(&format!(
            "{}?page[size]=100",
            path(conversation, "participants")
        ))
        .await;
    reply.assert_status(200)["participants"]
        .as_array()
        .unwrap()
        .clone()
}

fn user_ids(participants: &[Value]) -> Vec<String> {
    participants
        .iter()
        .map(|p| p["userId"].as_str().unwrap().to_owned())
        .collect()
}

async fn join(api: &Api, conversation: &Value, body: Value) -> Value {
    let reply = api.post(&path(conversation, "join"), &body).await;
    reply.assert_status(201)["participant"].clone()
}

// ---------------------------------------------------------------- join

#[tokio::test]
async fn join_by_id_or_external_id_answers_the_participant() {
    let emu = Emu::start();
    let api = emu.api();
    let (alice, bob, carol) = (
        api.user_id("alice").await,
        api.user_id("bob").await,
        api.user_id("carol").await,
    );
    let conversation = group(&api, &["alice"]).await;

    let joined = join(
        &api,
        &conversation,
        json!({"userExternalId": "bob", "subscribeSDKClient": true}),
    )
    .await;
    assert!(is_hex24(&id(&joined)));
    assert_eq!(joined["userId"], bob.as_str());
    assert_eq!(joined["userExternalId"], "bob");
    assert_eq!(joined["unreadCount"], 0);
    let associations = joined["clientAssociations"].as_array().unwrap();
    assert_eq!(associations.len(), 1, "{joined}");
    assert_eq!(associations[0]["type"], "sdk");
    assert!(is_hex24(associations[0]["clientId"].as_str().unwrap()));
    assert!(joined.get("lastRead").is_none());

    let plain = join(&api, &conversation, json!({"userId": carol})).await;
    assert_eq!(plain["clientAssociations"], json!([]));

    let listed = participants(&api, &conversation).await;
    assert_eq!(
        user_ids(&listed),
        vec![alice.clone(), bob.clone(), carol.clone()]
    );
    assert_eq!(listed[1], joined);
    // The joined user's conversations include it.
    let reply = api
        .get(&format!("{CONVERSATIONS}?filter[userExternalId]=bob"))
        .await;
    assert_eq!(
        ids_of(reply.assert_status(200), "conversations"),
        vec![id(&conversation)]
    );
}

#[tokio::test]
async fn joining_again_answers_the_same_participant() {
    let emu = Emu::start();
    let api = emu.api();
    let conversation = group(&api, &["alice"]).await;
    let first = join(&api, &conversation, json!({"userExternalId": "bob"})).await;
    let again = join(&api, &conversation, json!({"userExternalId": "bob"})).await;
    assert_eq!(again, first);
    // Asking again with subscribeSDKClient subscribes the SDK client.
    let subscribed = join(
        &api,
        &conversation,
        json!({"userExternalId": "bob", "subscribeSDKClient": true}),
    )
    .await;
    assert_eq!(subscribed["id"], first["id"]);
    assert_eq!(subscribed["clientAssociations"][0]["type"], "sdk");
    assert_eq!(participants(&api, &conversation).await.len(), 2);
    // The same SDK client serves every conversation of the user.
    let other = group(&api, &["alice"]).await;
    let elsewhere = join(
        &api,
        &other,
        json!({"userExternalId": "bob", "subscribeSDKClient": true}),
    )
    .await;
    assert_eq!(
        elsewhere["clientAssociations"][0]["clientId"],
        subscribed["clientAssociations"][0]["clientId"]
    );
}

#[tokio::test]
async fn join_errors() {
    let emu = Emu::start();
    let api = emu.api();
    let conversation = group(&api, &["alice"]).await;
    let personal = api
        .create_conversation(
            &json!({"type": "personal", "participants": [{"userExternalId": "alice"}]}),
        )
        .await;
    let join_path = path(&conversation, "join");
    for (body, title) in [
        (
            json!({}),
            "body must have exactly one of userId or userExternalId",
        ),
        (
            json!({"userId": "a", "userExternalId": "b"}),
            "exactly one of userId or userExternalId",
        ),
        (json!({"userId": 5}), "userId must be a string"),
        (
            json!({"userExternalId": null}),
            "userExternalId must be a string",
        ),
        (
            json!({"userExternalId": "bob", "subscribeSDKClient": "yes"}),
            "subscribeSDKClient must be a boolean",
        ),
    ] {
        api.post(&join_path, &body)
            .await
            .assert_error(400, "bad_request", title);
    }
    api.post(&join_path, &json!({"userExternalId": "ghost"}))
        .await
        .assert_error(404, "user_not_found", "");
    api.post(
        &format!("{CONVERSATIONS}/0123456789abcdef01234567/join"),
        &json!({"userExternalId": "bob"}),
    )
    .await
    .assert_error(404, "conversation_not_found", "Conversation not found");
    // A personal conversation has exactly one participant: nobody joins it.
    for user in ["bob", "alice"] {
        api.post(&path(&personal, "join"), &json!({"userExternalId": user}))
            .await
            .assert_error(
                400,
                "bad_request",
                "Only sdkGroup conversations can be joined",
            );
    }
    assert_eq!(participants(&api, &personal).await.len(), 1);
    assert_eq!(participants(&api, &conversation).await.len(), 1);
}

#[tokio::test]
async fn an_sdk_group_holds_at_most_ten_participants() {
    let emu = Emu::start();
    let api = emu.api();
    let mut names = vec!["alice", "bob", "carol"];
    let extra: Vec<String> = (0..8).map(|i| format!("user{i}")).collect();
    for name in &extra {
        api.post("/v2/apps/demo-app/users", &json!({"externalId": name}))
            .await
            .assert_status(201);
    }
    names.extend(extra.iter().map(String::as_str));
    let conversation = group(&api, &names[..9]).await;
    join(&api, &conversation, json!({"userExternalId": names[9]})).await;
    api.post(
        &path(&conversation, "join"),
        &json!({"userExternalId": names[10]}),
    )
    .await
    .assert_error(400, "bad_request", "Too many participants");
    // One leaves: there is room again.
    api.post(
        &path(&conversation, "leave"),
        &json!({"userExternalId": "alice"}),
    )
    .await
    .assert_status(200);
    join(&api, &conversation, json!({"userExternalId": names[10]})).await;
    assert_eq!(participants(&api, &conversation).await.len(), 10);
}

// ---------------------------------------------------------------- leave

#[tokio::test]
async fn leave_by_user_id_external_id_or_participant_id() {
    let emu = Emu::start();
    let api = emu.api();
    let (alice, bob) = (api.user_id("alice").await, api.user_id("bob").await);
    let conversation = group(&api, &["alice", "bob", "carol"]).await;
    let listed = participants(&api, &conversation).await;
    let leave = path(&conversation, "leave");

    let reply = api.post(&leave, &json!({"userId": alice})).await;
    assert_eq!(reply.assert_status(200), &json!({}));
    api.post(&leave, &json!({"userExternalId": "carol"}))
        .await
        .assert_status(200);
    assert_eq!(
        user_ids(&participants(&api, &conversation).await),
        vec![bob.clone()]
    );
    api.post(&leave, &json!({"participantId": id(&listed[1])}))
        .await
        .assert_status(200);
    assert!(participants(&api, &conversation).await.is_empty());

    // The conversation stays, and is no longer among the users' conversations.
    api.get(&format!("{CONVERSATIONS}/{}", id(&conversation)))
        .await
        .assert_status(200);
    let reply = api
        .get(&format!("{CONVERSATIONS}?filter[userId]={alice}"))
        .await;
    assert_eq!(reply.assert_status(200)["conversations"], json!([]));
    // A user who left may join again.
    join(&api, &conversation, json!({"userId": alice})).await;
}

#[tokio::test]
async fn leave_errors() {
    let emu = Emu::start();
    let api = emu.api();
    let conversation = group(&api, &["alice"]).await;
    let personal = api
        .create_conversation(
            &json!({"type": "personal", "participants": [{"userExternalId": "bob"}]}),
        )
        .await;
    let leave = path(&conversation, "leave");
    for body in [
        json!({}),
        json!({"userId": "a", "participantId": "b"}),
        json!({"userExternalId": "a", "userId": "b"}),
    ] {
        api.post(&leave, &body).await.assert_error(
            400,
            "bad_request",
            "exactly one of userId, userExternalId or participantId",
        );
    }
    api.post(&leave, &json!({"participantId": 5}))
        .await
        .assert_error(400, "bad_request", "participantId must be a string");
    api.post(&leave, &json!({"userExternalId": "ghost"}))
        .await
        .assert_error(404, "user_not_found", "");
    for body in [
        json!({"userExternalId": "bob"}),
        json!({"participantId": "0123456789abcdef01234567"}),
    ] {
        api.post(&leave, &body).await.assert_error(
            404,
            "not_found",
            "User is not a member of the conversation",
        );
    }
    api.post(
        &format!("{CONVERSATIONS}/0123456789abcdef01234567/leave"),
        &json!({"userExternalId": "alice"}),
    )
    .await
    .assert_error(404, "conversation_not_found", "");
    api.post(&path(&personal, "leave"), &json!({"userExternalId": "bob"}))
        .await
        .assert_error(
            400,
            "bad_request",
            "Only sdkGroup conversations can be left",
        );
    assert_eq!(participants(&api, &personal).await.len(), 1);
    assert_eq!(participants(&api, &conversation).await.len(), 1);
}

// ---------------------------------------------------------------- list

#[tokio::test]
async fn list_participants_pages_both_ways() {
    let emu = Emu::start();
    let api = emu.api();
    let extra: Vec<String> = (0..7).map(|i| format!("user{i}")).collect();
    for name in &extra {
        api.post("/v2/apps/demo-app/users", &json!({"externalId": name}))
            .await
            .assert_status(201);
    }
    let mut names = vec!["alice", "bob", "carol"];
    names.extend(extra.iter().map(String::as_str));
    let conversation = group(&api, &names).await;
    let all = ids_of(
        &json!({"participants": participants(&api, &conversation).await}),
        "participants",
    );
    assert_eq!(all.len(), 10);
    let list = path(&conversation, "participants");

    // Default size 25: everything, no cursors.
    let reply = api.get(&list).await;
    let body = reply.assert_status(200).clone();
    assert_eq!(ids_of(&body, "participants"), all);
    assert_eq!(body["meta"], json!({"hasMore": false}));
    assert_eq!(body["links"], json!({}));

    // Forward by 4, following links.next.
    let reply = api.get(&format!("{list}?page[size]=4")).await;
    let first = reply.assert_status(200).clone();
    assert_eq!(ids_of(&first, "participants"), all[..4].to_vec());
    assert_eq!(first["meta"]["hasMore"], true);
    assert_eq!(first["meta"]["afterCursor"], all[3].as_str());
    let next = first["links"]["next"].as_str().unwrap();
    assert_eq!(
        next,
        format!("{}{list}?page[after]={}&page[size]=4", emu.url, all[3])
    );
    let reply = Reply::read(
        api.http
            .get(next)
            .header("authorization", api.auth.clone().unwrap())
            .send()
            .await
            .unwrap(),
    )
    .await;
    let second = reply.assert_status(200).clone();
    assert_eq!(ids_of(&second, "participants"), all[4..8].to_vec());
    assert_eq!(second["meta"]["beforeCursor"], all[4].as_str());

    // Backward from the end.
    let reply = api
        .get(&format!("{list}?page[size]=4&page[before]={}", all[8]))
        .await;
    let back = reply.assert_status(200).clone();
    assert_eq!(ids_of(&back, "participants"), all[4..8].to_vec());
    assert_eq!(back["meta"]["hasMore"], true);
    let reply = api
        .get(&format!("{list}?page[size]=4&page[before]={}", all[4]))
        .await;
    let start = reply.assert_status(200).clone();
    assert_eq!(ids_of(&start, "participants"), all[..4].to_vec());
    assert_eq!(start["meta"]["hasMore"], false);
    assert!(start["links"].get("prev").is_none());

    for query in ["page[size]=0", "page[size]=101", "page[after]=short"] {
        api.get(&format!("{list}?{query}")).await.assert_error(
            400,
            "bad_request",
            "Invalid page query parameters",
        );
    }
    api.get(&format!(
        "{CONVERSATIONS}/0123456789abcdef01234567/participants"
    ))
    .await
    .assert_error(404, "conversation_not_found", "");
}

#[tokio::test]
async fn unread_counts_follow_messages_from_others() {
    let emu = Emu::start();
    let api = emu.api();
    let control = emu.control();
    let conversation = group(&api, &["alice", "bob"]).await;
    let messages = path(&conversation, "messages");
    api.post(
        &messages,
        &json!({"author": {"type": "business"}, "content": {"type": "text", "text": "hi"}}),
    )
    .await
    .assert_status(201);
    control
        .user_message(
            &id(&conversation),
            json!({"userExternalId": "alice", "content": {"type": "text", "text": "hello"}}),
        )
        .await;
    let listed = participants(&api, &conversation).await;
    assert_eq!(listed[0]["unreadCount"], 1, "alice: {}", listed[0]);
    assert_eq!(listed[1]["unreadCount"], 2, "bob: {}", listed[1]);
    api.delete(&messages).await.assert_status(200);
    let listed = participants(&api, &conversation).await;
    assert_eq!(listed[1]["unreadCount"], 0);
}

#[tokio::test]
async fn create_with_subscribe_sdk_client_associates_the_sdk_client() {
    let emu = Emu::start();
    let api = emu.api();
    let conversation = api
        .create_conversation(&json!({"type": "sdkGroup", "participants": [
            {"userExternalId": "alice", "subscribeSDKClient": true}, {"userExternalId": "bob"}]}))
        .await;
    let listed = participants(&api, &conversation).await;
    assert_eq!(listed[0]["clientAssociations"][0]["type"], "sdk");
    assert_eq!(listed[1]["clientAssociations"], json!([]));
}

// ---------------------------------------------------------------- across resources

#[tokio::test]
async fn deleting_a_user_removes_its_participations_only() {
    let emu = Emu::start();
    let api = emu.api();
    let alice = api.user_id("alice").await;
    let conversation = group(&api, &["alice", "bob"]).await;
    let other = group(&api, &["bob", "carol"]).await;
    let before = participants(&api, &other).await;
    api.delete("/v2/apps/demo-app/users/bob")
        .await
        .assert_status(200);
    assert_eq!(
        user_ids(&participants(&api, &conversation).await),
        vec![alice]
    );
    let after = participants(&api, &other).await;
    assert_eq!(after, before[1..].to_vec());
    // Leaving keeps what the user wrote.
    emu.control()
        .user_message(
            &id(&conversation),
            json!({"userExternalId": "alice", "content": {"type": "text", "text": "bye"}}),
        )
        .await;
    api.post(
        &path(&conversation, "leave"),
        &json!({"userExternalId": "alice"}),
    )
    .await
    .assert_status(200);
    let reply = api.get(&path(&conversation, "messages")).await;
    assert_eq!(
        reply.assert_status(200)["messages"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn participant_routes_check_auth_and_take_faults() {
    let emu = Emu::start();
    let api = emu.api();
    let conversation = group(&api, &["alice"]).await;
    let anonymous = api.with_auth(None);
    anonymous
        .post(
            &path(&conversation, "join"),
            &json!({"userExternalId": "bob"}),
        )
        .await
        .assert_error(401, "unauthorized", "");
    anonymous
        .post(
            &path(&conversation, "leave"),
            &json!({"userExternalId": "alice"}),
        )
        .await
        .assert_error(401, "unauthorized", "");
    anonymous
        .get(&path(&conversation, "participants"))
        .await
        .assert_error(401, "unauthorized", "");
    emu.control()
        .faults(json!({"path": "/v2/apps/*/conversations/*/join", "action": {"type": "status", "status": 500}}))
        .await
        .assert_status(200);
    api.post(
        &path(&conversation, "join"),
        &json!({"userExternalId": "bob"}),
    )
    .await
    .assert_error(500, "internal_error", "");
    assert_eq!(participants(&api, &conversation).await.len(), 1);
    join(&api, &conversation, json!({"userExternalId": "bob"})).await;
}
