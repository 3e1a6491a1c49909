//! Black-box tests of the Messages routes (post, list backward, delete all, delete one) and of
//! the control endpoint through which an end user writes.

mod common;

use common::{Api, Control, Emu, Reply, id, ids_of, is_hex24, is_timestamp};
use reqwest::Method;
use serde_json::{Value, json};

const CONVERSATIONS: &str = "/v2/apps/demo-app/conversations";

fn messages_path(conversation: &Value) -> String {
    format!(
        "{CONVERSATIONS}/{}/messages",
        conversation["id"].as_str().unwrap()
    )
}

async fn personal(api: &Api, user: &str) -> Value {
    api.create_conversation(
        &json!({"type": "personal", "participants": [{"userExternalId": user}]}),
    )
    .await
}

async fn group(api: &Api, users: &[&str]) -> Value {
    let participants: Vec<Value> = users.iter().map(|u| json!({"userExternalId": u})).collect();
    api.create_conversation(&json!({"type": "sdkGroup", "participants": participants}))
        .await
}

fn business_text(text: &str) -> Value {
    json!({"author": {"type": "business"}, "content": {"type": "text", "text": text}})
}

/// Posts and returns the one message created.
async fn post(api: &Api, conversation: &Value, body: &Value) -> Value {
    let reply = api.post(&messages_path(conversation), body).await;
    let messages = reply.assert_status(201)["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 1, "{}", reply.text);
    messages[0].clone()
}

// ---------------------------------------------------------------- post

#[tokio::test]
async fn posted_message_has_the_api_shape() {
    let emu = Emu::start();
    let api = emu.api();
    let conversation = personal(&api, "alice").await;
    let message = post(
        &api,
        &conversation,
        &json!({
            "author": {"type": "business", "displayName": "Steve", "subtypes": ["AI"],
                       "avatarUrl": "https://www.gravatar.com/image.jpg"},
            "content": {"type": "text", "text": "Hello!", "blockChatInput": true},
            "metadata": {"lang": "en-ca"},
        }),
    )
    .await;
    assert!(is_hex24(&id(&message)), "{message}");
    assert!(is_timestamp(message["received"].as_str().unwrap()));
    assert_eq!(
        message["author"],
        json!({"type": "business", "subtypes": ["AI"], "displayName": "Steve",
               "avatarUrl": "https://www.gravatar.com/image.jpg"})
    );
    assert_eq!(
        message["content"],
        json!({"type": "text", "text": "Hello!", "blockChatInput": true})
    );
    assert_eq!(message["source"], json!({"type": "api:conversations"}));
    assert_eq!(message["metadata"], json!({"lang": "en-ca"}));
    assert!(message.get("quotedMessage").is_none());

    // The conversation's lastUpdatedAt is the message's arrival.
    let reply = api
        .get(&format!("{CONVERSATIONS}/{}", id(&conversation)))
        .await;
    assert_eq!(
        reply.assert_status(200)["conversation"]["lastUpdatedAt"],
        message["received"]
    );
    // And it is listed.
    let reply = api.get(&messages_path(&conversation)).await;
    assert_eq!(reply.assert_status(200)["messages"], json!([message]));
}

#[tokio::test]
async fn every_content_type_of_the_spec_is_accepted() {
    let emu = Emu::start();
    let api = emu.api();
    let conversation = personal(&api, "alice").await;
    let link = json!({"type": "link", "text": "More", "uri": "https://example.org"});
    let postback = json!({"type": "postback", "text": "Select", "payload": "TACOS"});
    let contents = [
        json!({"type": "text", "text": "Hi", "actions": [
            {"type": "reply", "text": "Yes", "payload": "Y", "iconUrl": "https://example.org/y.png"},
            {"type": "locationRequest", "text": "Where?"},
            {"type": "buy", "text": "Buy", "amount": 999, "currency": "cad"},
            {"type": "webview", "text": "Open", "uri": "https://example.org", "fallback": "https://example.org",
             "size": "tall", "openOnReceive": true},
            link, postback]}),
        json!({"type": "text", "actions": [postback]}),
        json!({"type": "text", "htmlText": "<b>Hi</b>"}),
        json!({"type": "text", "markdownText": "**Hi**"}),
        json!({"type": "carousel", "displaySettings": {"imageAspectRatio": "square"}, "items": [
            {"title": "Tacos", "description": "Get your tacos today!", "mediaUrl": "https://example.org/t.jpg",
             "altText": "A taco", "size": "compact", "actions": [postback, link]},
            {"title": "Ramen", "actions": [link]}]}),
        json!({"type": "file", "mediaUrl": "https://example.org/a.pdf", "altText": "A file", "text": "See"}),
        json!({"type": "image", "mediaUrl": "https://example.org/a.png", "actions": [link]}),
        json!({"type": "form", "blockChatInput": true, "fields": [
            {"type": "text", "name": "full_name", "label": "Your name?", "placeholder": "Type your name...",
             "minSize": 1, "maxSize": 30},
            {"type": "email", "name": "email_address", "label": "Your email?"},
            {"type": "select", "name": "meal", "label": "Meal?",
             "options": [{"name": "tacos", "label": "Tacos"}, {"name": "ramen", "label": "Ramen"}]}]}),
        json!({"type": "list", "items": [{"title": "Tacos", "actions": [postback]}], "actions": [link]}),
        json!({"type": "location", "coordinates": {"lat": 45.5261583, "long": -73.595346},
               "location": {"address": "5333 avenue Casgrain", "name": "Zendesk Montréal"}}),
    ];
    for content in contents {
        let message = post(
            &api,
            &conversation,
            &json!({"author": {"type": "business"}, "content": content}),
        )
        .await;
        assert_eq!(message["content"]["type"], content["type"], "{message}");
    }
    let template = post(
        &api,
        &conversation,
        &json!({"author": {"type": "business"}, "schema": "whatsapp",
                "content": {"type": "template", "template": {"name": "hello_world",
                            "language": {"policy": "deterministic", "code": "en_US"}}}}),
    )
    .await;
    assert_eq!(template["content"]["template"]["name"], "hello_world");

    // What the service derives on reception.
    let reply = api.get(&messages_path(&conversation)).await;
    let messages = reply.assert_status(200)["messages"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(messages.len(), 11);
    assert_eq!(messages[2]["content"]["text"], "Hi");
    assert_eq!(messages[3]["content"]["htmlText"], "<p>**Hi**</p>");
    assert_eq!(messages[3]["content"]["text"], "**Hi**");
    assert!(messages[3]["content"].get("markdownText").is_none());
    assert_eq!(messages[7]["content"]["submitted"], false);
    assert_eq!(
        messages[9]["content"]["text"],
        "Location shared:\nhttps://maps.google.com/maps?q=45.5261583,-73.595346"
    );
}

#[tokio::test]
async fn user_authors_must_exist_and_take_part() {
    let emu = Emu::start();
    let api = emu.api();
    let alice = api.user_id("alice").await;
    let conversation = personal(&api, "alice").await;
    let text = json!({"type": "text", "text": "Hi"});

    let by_id = post(
        &api,
        &conversation,
        &json!({"author": {"type": "user", "userId": alice}, "content": text}),
    )
    .await;
    assert_eq!(by_id["author"], json!({"type": "user", "userId": alice}));
    let by_external = post(
        &api,
        &conversation,
        &json!({"author": {"type": "user", "userExternalId": "alice", "displayName": "Al"},
                "content": text}),
    )
    .await;
    // userExternalId is write-only: the message names the user by id.
    assert_eq!(
        by_external["author"],
        json!({"type": "user", "userId": alice, "displayName": "Al"})
    );

    let path = messages_path(&conversation);
    for (author, status, code) in [
        (
            json!({"type": "user", "userExternalId": "bob"}),
            404,
            "not_found",
        ),
        (
            json!({"type": "user", "userExternalId": "ghost"}),
            404,
            "user_not_found",
        ),
        (
            json!({"type": "user", "userId": "0123456789abcdef01234567"}),
            404,
            "user_not_found",
        ),
        (
            json!({"type": "user", "userExternalId": "alice", "brandId": "9"}),
            404,
            "user_not_found",
        ),
    ] {
        let reply = api
            .post(&path, &json!({"author": author, "content": text}))
            .await;
        reply.assert_error(status, code, "");
    }
    api.post(
        &path,
        &json!({"author": {"type": "user", "userExternalId": "bob"}, "content": text}),
    )
    .await
    .assert_error(404, "not_found", "User is not a member of the conversation");
}

#[tokio::test]
async fn post_validation_failures_are_400_naming_the_field() {
    let emu = Emu::start();
    let api = emu.api();
    let conversation = personal(&api, "alice").await;
    let groupchat = group(&api, &["alice"]).await;
    let business = json!({"type": "business"});
    let text = json!({"type": "text", "text": "Hi"});
    let link = json!({"type": "link", "text": "More", "uri": "https://example.org"});
    let with = |content: Value| json!({"author": business, "content": content});
    let long = |n: usize| "x".repeat(n);
    let cases = [
        (json!({"content": text}), "author is required"),
        (json!({"author": business}), "content is required"),
        (
            json!({"author": "business", "content": text}),
            "author must be an object",
        ),
        (
            json!({"author": {}, "content": text}),
            "author.type is required",
        ),
        (
            json!({"author": {"type": "bot"}, "content": text}),
            "author.type must be one of: business, user",
        ),
        (
            json!({"author": {"type": "business", "userId": "x"}, "content": text}),
            "author.userId",
        ),
        (
            json!({"author": {"type": "user"}, "content": text}),
            "author must have exactly one of userId or userExternalId",
        ),
        (
            json!({"author": {"type": "user", "userId": "a", "userExternalId": "b"}, "content": text}),
            "exactly one",
        ),
        (
            json!({"author": {"type": "user", "userId": 5}, "content": text}),
            "author.userId must be a string",
        ),
        (
            json!({"author": {"type": "business", "subtypes": ["agent"]}, "content": text}),
            "author.subtypes[0]",
        ),
        (
            json!({"author": {"type": "business", "subtypes": ["AI", "activity"]}, "content": text}),
            "author.subtypes must contain exactly 1 item",
        ),
        (
            json!({"author": {"type": "business", "avatarUrl": "a.png"}, "content": text}),
            "author.avatarUrl must be an absolute URI",
        ),
        (
            json!({"author": {"type": "business", "avatarUrl": null}, "content": text}),
            "author.avatarUrl must be a string",
        ),
        (
            json!({"author": {"type": "user", "userExternalId": "alice", "brandId": long(25)}, "content": text}),
            "author.brandId must be between 1 and 24",
        ),
        (with(json!("hi")), "content must be an object"),
        (with(json!({"text": "x"})), "content.type is required"),
        (
            with(json!({"type": "video"})),
            "content.type must be one of: text, carousel",
        ),
        (
            with(json!({"type": "text"})),
            "content.text is required unless",
        ),
        (
            with(json!({"type": "text", "actions": []})),
            "content.text is required unless",
        ),
        (
            with(json!({"type": "text", "text": 5})),
            "content.text must be a string",
        ),
        (
            with(json!({"type": "text", "text": long(4097)})),
            "content.text must be at most 4096 characters long",
        ),
        (
            with(json!({"type": "text", "htmlText": long(4097)})),
            "content.htmlText must be at most 4096",
        ),
        (
            with(json!({"type": "text", "markdownText": long(4097)})),
            "content.markdownText must be at most 4096",
        ),
        (
            with(json!({"type": "text", "markdownText": "<".repeat(2000)})),
            "content.markdownText converts to more than 4096",
        ),
        (
            with(json!({"type": "text", "htmlText": "a", "markdownText": "b"})),
            "cannot be combined",
        ),
        (
            with(json!({"type": "text", "text": "x", "blockChatInput": "yes"})),
            "content.blockChatInput must be a boolean",
        ),
        (
            with(json!({"type": "text", "text": "x", "actions": {}})),
            "content.actions must be an array",
        ),
        (
            with(json!({"type": "text", "actions": [{"text": "x"}]})),
            "content.actions[0].type is required",
        ),
        (
            with(json!({"type": "text", "actions": [{"type": "share", "text": "x"}]})),
            "content.actions[0].type must be one of",
        ),
        (
            with(json!({"type": "text", "actions": [{"type": "link", "uri": "u"}]})),
            "content.actions[0].text is required",
        ),
        (
            with(json!({"type": "text", "actions": [{"type": "link", "text": "x"}]})),
            "content.actions[0].uri is required",
        ),
        (
            with(
                json!({"type": "text", "actions": [{"type": "buy", "text": "x", "amount": 9.99}]}),
            ),
            "content.actions[0].amount must be an integer",
        ),
        (
            with(json!({"type": "text", "actions": [{"type": "postback", "text": "x"}]})),
            "content.actions[0].payload is required",
        ),
        (
            with(
                json!({"type": "text", "actions": [{"type": "webview", "text": "x", "uri": "u"}]}),
            ),
            "content.actions[0].fallback is required",
        ),
        (
            with(
                json!({"type": "text", "actions": [{"type": "webview", "text": "x", "uri": "u", "fallback": "f", "size": "huge"}]}),
            ),
            "content.actions[0].size must be one of: compact, tall, full",
        ),
        (
            with(json!({"type": "text", "actions": [
            {"type": "webview", "text": "x", "uri": "u", "fallback": "f", "openOnReceive": true},
            {"type": "webview", "text": "y", "uri": "u", "fallback": "f", "openOnReceive": true}]})),
            "only one action may have openOnReceive",
        ),
        (
            with(
                json!({"type": "text", "actions": [{"type": "link", "text": "x", "uri": "u", "metadata": {"a": [1]}}]}),
            ),
            "content.actions[0].metadata must be flat",
        ),
        (
            with(json!({"type": "carousel"})),
            "content.items is required",
        ),
        (
            with(json!({"type": "carousel", "items": []})),
            "content.items must contain between 1 and 10 items",
        ),
        (
            with(
                json!({"type": "carousel", "items": vec![json!({"title": "t", "actions": [link]}); 11]}),
            ),
            "content.items must contain between 1 and 10",
        ),
        (
            with(json!({"type": "carousel", "items": [{"actions": [link]}]})),
            "content.items[0].title is required",
        ),
        (
            with(json!({"type": "carousel", "items": [{"title": long(129), "actions": [link]}]})),
            "content.items[0].title must be between 1 and 128",
        ),
        (
            with(json!({"type": "carousel", "items": [{"title": "t"}]})),
            "content.items[0].actions is required",
        ),
        (
            with(
                json!({"type": "carousel", "items": [{"title": "t", "actions": vec![link.clone(); 4]}]}),
            ),
            "content.items[0].actions must contain between 1 and 3",
        ),
        (
            with(
                json!({"type": "carousel", "items": [{"title": "t", "actions": [{"type": "reply", "text": "x", "payload": "p"}]}]}),
            ),
            "content.items[0].actions[0].type must be one of: buy, link, postback, webview",
        ),
        (
            with(
                json!({"type": "carousel", "items": [{"title": "t", "size": "big", "actions": [link]}]}),
            ),
            "content.items[0].size",
        ),
        (
            with(
                json!({"type": "carousel", "items": [{"title": "t", "mediaUrl": "t.png", "actions": [link]}]}),
            ),
            "content.items[0].mediaUrl must be an absolute URI",
        ),
        (
            with(
                json!({"type": "carousel", "displaySettings": {"imageAspectRatio": "round"}, "items": [{"title": "t", "actions": [link]}]}),
            ),
            "content.displaySettings.imageAspectRatio",
        ),
        (
            with(json!({"type": "image"})),
            "content.mediaUrl is required",
        ),
        (
            with(json!({"type": "image", "mediaUrl": "a.png"})),
            "content.mediaUrl must be an absolute URI",
        ),
        (
            with(json!({"type": "file", "mediaUrl": "https://e.org/a", "altText": long(129)})),
            "content.altText must be at most 128",
        ),
        (with(json!({"type": "form"})), "content.fields is required"),
        (
            with(
                json!({"type": "form", "fields": vec![json!({"type": "text", "name": "n", "label": "l"}); 21]}),
            ),
            "content.fields must contain between 1 and 20",
        ),
        (
            with(json!({"type": "form", "fields": [{"type": "date", "name": "n", "label": "l"}]})),
            "content.fields[0].type must be one of: email, select, text",
        ),
        (
            with(json!({"type": "form", "fields": [{"type": "text", "label": "l"}]})),
            "content.fields[0].name is required",
        ),
        (
            with(json!({"type": "form", "fields": [{"type": "text", "name": "n"}]})),
            "content.fields[0].label is required",
        ),
        (
            with(
                json!({"type": "form", "fields": [{"type": "text", "name": "n", "label": "l"}, {"type": "email", "name": "n", "label": "m"}]}),
            ),
            "content.fields[1].name must be unique",
        ),
        (
            with(
                json!({"type": "form", "fields": [{"type": "text", "name": "n", "label": "l", "maxSize": 257}]}),
            ),
            "content.fields[0].maxSize must be between 1 and 256",
        ),
        (
            with(
                json!({"type": "form", "fields": [{"type": "text", "name": "n", "label": "l", "minSize": 10, "maxSize": 5}]}),
            ),
            "content.fields[0].minSize must not exceed",
        ),
        (
            with(
                json!({"type": "form", "fields": [{"type": "select", "name": "n", "label": "l", "options": [{"name": ""}]}]}),
            ),
            "content.fields[0].options[0].name must be between 1 and 128",
        ),
        (
            with(
                json!({"type": "list", "items": [{"title": "t", "actions": [link]}], "actions": []}),
            ),
            "content.actions must contain between 1 and 10",
        ),
        (
            with(json!({"type": "location"})),
            "content.coordinates is required",
        ),
        (
            with(json!({"type": "location", "coordinates": {"lat": 1}})),
            "content.coordinates.long is required",
        ),
        (
            with(json!({"type": "location", "coordinates": {"lat": "1", "long": 2}})),
            "content.coordinates.lat must be a number",
        ),
        (
            with(
                json!({"type": "location", "coordinates": {"lat": 1, "long": 2}, "location": {"name": 5}}),
            ),
            "content.location.name must be a string",
        ),
        (
            with(json!({"type": "template", "template": {}})),
            "schema must be whatsapp",
        ),
        (
            json!({"author": business, "schema": "whatsapp", "content": {"type": "template"}}),
            "content.template is required",
        ),
        (
            json!({"author": business, "schema": "whatsapp", "content": text}),
            "content.type must be template when schema is whatsapp",
        ),
        (
            json!({"author": business, "schema": "line", "content": text}),
            "schema must be whatsapp",
        ),
        (
            with(
                json!({"type": "formResponse", "fields": [{"type": "text", "name": "n", "label": "l", "text": "t"}]}),
            ),
            "formResponse cannot be sent through the API",
        ),
        (
            json!({"author": business, "content": text, "metadata": {"a": {"b": 1}}}),
            "metadata must be flat",
        ),
        (
            json!({"author": business, "content": text, "metadata": "x"}),
            "metadata must be an object",
        ),
        (
            json!({"author": business, "content": text, "override": []}),
            "override must be an object",
        ),
        (
            json!({"author": business, "content": text, "override": {"whatsapp": 1}}),
            "override.whatsapp must be an object",
        ),
        (
            json!({"author": business, "content": text, "destination": {}}),
            "destination must have exactly one",
        ),
        (
            json!({"author": business, "content": text, "destination": {"integrationId": "a", "integrationType": "b"}}),
            "destination must have exactly one",
        ),
        (
            json!({"author": {"type": "user", "userExternalId": "alice"}, "content": text, "destination": {"integrationType": "none"}}),
            "destination applies only to a business author",
        ),
    ];
    let path = messages_path(&conversation);
    for (body, title) in cases {
        api.post(&path, &body)
            .await
            .assert_error(400, "bad_request", title);
    }
    // A destination is for personal conversations.
    api.post(
        &messages_path(&groupchat),
        &json!({"author": business, "content": text, "destination": {"integrationType": "none"}}),
    )
    .await
    .assert_error(400, "bad_request", "personal conversation");
    // None of the refused messages was stored; a silent message is fine.
    post(
        &api,
        &conversation,
        &json!({"author": business, "content": text, "destination": {"integrationType": "none"},
                "metadata": null, "override": {"whatsapp": {"payload": {}}}}),
    )
    .await;
    let reply = api.get(&path).await;
    assert_eq!(
        reply.assert_status(200)["messages"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn text_limit_counts_characters() {
    let emu = Emu::start();
    let api = emu.api();
    let conversation = personal(&api, "alice").await;
    post(&api, &conversation, &business_text(&"é".repeat(4096))).await;
    api.post(
        &messages_path(&conversation),
        &business_text(&"é".repeat(4097)),
    )
    .await
    .assert_error(400, "bad_request", "content.text");
}

#[tokio::test]
async fn message_routes_answer_404_for_a_missing_conversation() {
    let emu = Emu::start();
    let api = emu.api();
    let path = format!("{CONVERSATIONS}/0123456789abcdef01234567/messages");
    api.post(&path, &business_text("x")).await.assert_error(
        404,
        "conversation_not_found",
        "Conversation not found",
    );
    api.get(&path)
        .await
        .assert_error(404, "conversation_not_found", "");
    api.delete(&path)
        .await
        .assert_error(404, "conversation_not_found", "");
    api.delete(&format!("{path}/0123456789abcdef01234567"))
        .await
        .assert_error(404, "conversation_not_found", "");
}

// ---------------------------------------------------------------- list

#[tokio::test]
async fn list_messages_pages_backward_from_the_newest_and_forward_on_request() {
    let emu = Emu::start();
    let api = emu.api();
    let conversation = personal(&api, "alice").await;
    let path = messages_path(&conversation);
    let mut posted = Vec::new();
    for i in 0..250 {
        posted.push(id(&post(
            &api,
            &conversation,
            &business_text(&i.to_string()),
        )
        .await));
    }

    // No cursor: the most recent 100, oldest first; older ones exist.
    let reply = api.get(&path).await;
    let body = reply.assert_status(200).clone();
    assert_eq!(ids_of(&body, "messages"), posted[150..].to_vec());
    assert_eq!(body["meta"]["hasMore"], true);
    assert_eq!(body["meta"]["beforeCursor"], posted[150].as_str());
    assert!(body["meta"].get("afterCursor").is_none());
    assert!(body["links"].get("next").is_none());
    let prev = body["links"]["prev"].as_str().unwrap();
    assert_eq!(
        prev,
        format!("{}{path}?page[before]={}", emu.url, posted[150])
    );

    // Follow links.prev back to the start.
    let mut seen = ids_of(&body, "messages");
    let mut link = prev.to_owned();
    let mut pages = 1;
    loop {
        let reply = Reply::read(
            api.http
                .get(&link)
                .header("authorization", api.auth.clone().unwrap())
                .send()
                .await
                .unwrap(),
        )
        .await;
        let body = reply.assert_status(200).clone();
        pages += 1;
        let mut page = ids_of(&body, "messages");
        // Later messages exist: a page walked back to has a next cursor.
        assert_eq!(body["meta"]["afterCursor"], page.last().unwrap().as_str());
        assert!(body["links"]["next"].as_str().is_some());
        page.extend(seen);
        seen = page;
        if body["meta"]["hasMore"] == false {
            assert!(body["meta"].get("beforeCursor").is_none());
            assert!(body["links"].get("prev").is_none());
            break;
        }
        link = body["links"]["prev"].as_str().unwrap().to_owned();
        assert!(pages < 5);
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, posted);

    // page[before] and page[after] by hand; hasMore follows the direction of travel.
    let reply = api
        .get(&format!("{path}?page[before]={}", posted[50]))
        .await;
    let body = reply.assert_status(200).clone();
    assert_eq!(ids_of(&body, "messages"), posted[..50].to_vec());
    assert_eq!(body["meta"]["hasMore"], false);
    let reply = api.get(&format!("{path}?page[after]={}", posted[49])).await;
    let body = reply.assert_status(200).clone();
    assert_eq!(ids_of(&body, "messages"), posted[50..150].to_vec());
    assert_eq!(body["meta"]["hasMore"], true);
    assert_eq!(body["meta"]["afterCursor"], posted[149].as_str());
    assert_eq!(body["meta"]["beforeCursor"], posted[50].as_str());
    let next = body["links"]["next"].as_str().unwrap();
    assert!(
        next.ends_with(&format!("?page[after]={}", posted[149])),
        "{next}"
    );
    let reply = api
        .get(&format!("{path}?page[after]={}", posted[149]))
        .await;
    let body = reply.assert_status(200).clone();
    assert_eq!(ids_of(&body, "messages"), posted[150..].to_vec());
    assert_eq!(body["meta"]["hasMore"], false);

    // page[size] does not apply to this list (the spec's page.size says so): ignored.
    for size in ["10", "0", "abc"] {
        let reply = api.get(&format!("{path}?page[size]={size}")).await;
        let body = reply.assert_status(200).clone();
        assert_eq!(ids_of(&body, "messages"), posted[150..].to_vec());
        assert_eq!(
            body["links"]["prev"],
            format!("{}{path}?page[before]={}", emu.url, posted[150])
        );
    }
}

#[tokio::test]
async fn list_messages_of_an_empty_conversation_and_bad_pages() {
    let emu = Emu::start();
    let api = emu.api();
    let conversation = personal(&api, "alice").await;
    let path = messages_path(&conversation);
    let reply = api.get(&path).await;
    assert_eq!(
        reply.assert_status(200),
        &json!({"messages": [], "meta": {"hasMore": false}, "links": {}})
    );
    let id = "0123456789abcdef01234567";
    for query in [
        format!("page[after]={id}&page[before]={id}"),
        "page[before]=short".to_owned(),
    ] {
        api.get(&format!("{path}?{query}")).await.assert_error(
            400,
            "bad_request",
            "Invalid page query parameters",
        );
    }
}

// ---------------------------------------------------------------- delete

#[tokio::test]
async fn delete_one_message_then_all() {
    let emu = Emu::start();
    let api = emu.api();
    let conversation = personal(&api, "alice").await;
    let other = personal(&api, "bob").await;
    let path = messages_path(&conversation);
    let first = post(&api, &conversation, &business_text("1")).await;
    let second = post(&api, &conversation, &business_text("2")).await;
    let third = post(&api, &conversation, &business_text("3")).await;
    let elsewhere = post(&api, &other, &business_text("x")).await;

    let reply = api.delete(&format!("{path}/{}", id(&second))).await;
    assert_eq!(reply.assert_status(200), &json!({}));
    let reply = api.get(&path).await;
    assert_eq!(
        ids_of(reply.assert_status(200), "messages"),
        vec![id(&first), id(&third)]
    );
    api.delete(&format!("{path}/{}", id(&second)))
        .await
        .assert_error(404, "not_found", "Message not found");
    // A message of another conversation is not found here.
    api.delete(&format!("{path}/{}", id(&elsewhere)))
        .await
        .assert_error(404, "not_found", "");

    let reply = api.delete(&path).await;
    assert_eq!(reply.assert_status(200), &json!({}));
    let reply = api.get(&path).await;
    assert_eq!(reply.assert_status(200)["messages"], json!([]));
    // The conversation stays, and so do other conversations' messages.
    api.get(&format!("{CONVERSATIONS}/{}", id(&conversation)))
        .await
        .assert_status(200);
    let reply = api.get(&messages_path(&other)).await;
    assert_eq!(
        ids_of(reply.assert_status(200), "messages"),
        vec![id(&elsewhere)]
    );
    post(&api, &conversation, &business_text("again")).await;
}

#[tokio::test]
async fn a_full_conversation_is_423_until_emptied() {
    let emu = Emu::start_with(&["--max-messages", "3"]);
    let api = emu.api();
    let control = emu.control();
    let conversation = personal(&api, "alice").await;
    for i in 0..3 {
        post(&api, &conversation, &business_text(&i.to_string())).await;
    }
    let path = messages_path(&conversation);
    api.post(&path, &business_text("one too many"))
        .await
        .assert_error(
            423,
            "locked",
            "Message limit of 3 per conversation reached.",
        );
    control
        .send_json(
            Method::POST,
            &format!(
                "/_emulator/apps/demo-app/conversations/{}/user-messages",
                id(&conversation)
            ),
            &json!({"userExternalId": "alice", "content": {"type": "text", "text": "hi"}}),
        )
        .await
        .assert_error(423, "locked", "");
    // Another conversation is not affected.
    post(&api, &personal(&api, "bob").await, &business_text("fine")).await;
    api.delete(&path).await.assert_status(200);
    post(&api, &conversation, &business_text("room again")).await;
}

// ---------------------------------------------------------------- end users

fn user_messages(conversation: &Value) -> String {
    format!(
        "/_emulator/apps/demo-app/conversations/{}/user-messages",
        id(conversation)
    )
}

#[tokio::test]
async fn an_end_user_writes_and_answers_a_form() {
    let emu = Emu::start();
    let api = emu.api();
    let control = emu.control();
    let alice = api.user_id("alice").await;
    api.patch(
        "/v2/apps/demo-app/users/alice",
        &json!({"profile": {"givenName": "Alice", "surname": "Liddell",
                            "avatarUrl": "https://example.org/a.png"}}),
    )
    .await
    .assert_status(200);
    let conversation = personal(&api, "alice").await;

    let message = control
        .user_message(
            &id(&conversation),
            json!({"userExternalId": "alice", "content": {"type": "text", "text": "Hello"},
                   "metadata": {"k": "v"}}),
        )
        .await;
    assert!(is_hex24(&id(&message)));
    assert_eq!(
        message["author"],
        json!({"type": "user", "userId": alice, "displayName": "Alice Liddell",
               "avatarUrl": "https://example.org/a.png"})
    );
    assert_eq!(message["source"], json!({"type": "web"}));
    assert_eq!(message["metadata"], json!({"k": "v"}));

    let form = post(
        &api,
        &conversation,
        &json!({"author": {"type": "business"}, "content": {"type": "form", "fields": [
            {"type": "text", "name": "name", "label": "Name"},
            {"type": "select", "name": "meal", "label": "Meal",
             "options": [{"name": "tacos", "label": "Tacos"}]}]}}),
    )
    .await;
    let answer = control
        .user_message(
            &id(&conversation),
            json!({"userId": alice, "source": {"type": "whatsapp", "integrationId": "abc"},
                   "content": {"type": "formResponse", "fields": [
                       {"type": "text", "name": "name", "label": "Name", "text": "Sue",
                        "quotedMessageId": id(&form)},
                       {"type": "select", "name": "meal", "label": "Meal",
                        "select": [{"name": "tacos", "label": "Tacos"}]}]}}),
        )
        .await;
    assert_eq!(
        answer["source"],
        json!({"type": "whatsapp", "integrationId": "abc"})
    );
    assert_eq!(answer["content"]["textFallback"], "Name: Sue\nMeal: Tacos");
    assert!(
        answer["content"]["fields"][0]
            .get("quotedMessageId")
            .is_none()
    );
    assert_eq!(answer["quotedMessage"]["type"], "message");
    assert_eq!(answer["quotedMessage"]["message"]["id"], form["id"]);
    assert_eq!(
        answer["quotedMessage"]["message"]["content"]["submitted"],
        true
    );

    let reply = api.get(&messages_path(&conversation)).await;
    let listed = reply.assert_status(200)["messages"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(listed.len(), 3);
    assert_eq!(listed[1]["content"]["submitted"], true);
    // None of this was logged.
    assert!(
        control
            .requests()
            .await
            .iter()
            .all(|r| !r["path"].as_str().unwrap().starts_with("/_emulator"))
    );
}

#[tokio::test]
async fn end_user_message_errors() {
    let emu = Emu::start();
    let api = emu.api();
    let control = emu.control();
    let conversation = personal(&api, "alice").await;
    let path = user_messages(&conversation);
    let text = json!({"type": "text", "text": "hi"});
    let cases = [
        (
            json!({"content": text}),
            400,
            "bad_request",
            "exactly one of userId or userExternalId",
        ),
        (
            json!({"userExternalId": "alice"}),
            400,
            "bad_request",
            "content is required",
        ),
        (
            json!({"userExternalId": "alice", "content": {"type": "template", "template": {}}}),
            400,
            "bad_request",
            "only be sent by the business",
        ),
        (
            json!({"userExternalId": "alice", "content": {"type": "formResponse", "fields": [
            {"type": "text", "name": "n", "label": "l"}]}}),
            400,
            "bad_request",
            "content.fields[0].text is required",
        ),
        (
            json!({"userExternalId": "alice", "content": {"type": "formResponse", "fields": [
            {"type": "text", "name": "n", "label": "l", "text": "t", "quotedMessageId": "0123456789abcdef01234567"}]}}),
            400,
            "bad_request",
            "quotedMessageId",
        ),
        (
            json!({"userExternalId": "alice", "content": text, "source": {"type": ""}}),
            400,
            "bad_request",
            "source.type",
        ),
        (
            json!({"userExternalId": "bob", "content": text}),
            404,
            "not_found",
            "not a member",
        ),
        (
            json!({"userExternalId": "ghost", "content": text}),
            404,
            "user_not_found",
            "",
        ),
    ];
    for (body, status, code, title) in cases {
        control
            .send_json(Method::POST, &path, &body)
            .await
            .assert_error(status, code, title);
    }
    control
        .send_json(
            Method::POST,
            "/_emulator/apps/demo-app/conversations/0123456789abcdef01234567/user-messages",
            &json!({"userExternalId": "alice", "content": text}),
        )
        .await
        .assert_error(404, "conversation_not_found", "");
    control
        .send_json(
            Method::POST,
            &path.replace("demo-app", "nope"),
            &json!({"userExternalId": "alice", "content": text}),
        )
        .await
        .assert_error(404, "app_not_found", "");
    let reply = api.get(&messages_path(&conversation)).await;
    assert_eq!(reply.assert_status(200)["messages"], json!([]));
}

// ---------------------------------------------------------------- across resources

#[tokio::test]
async fn deleting_a_user_takes_its_messages_and_leaves_the_others() {
    let emu = Emu::start();
    let api = emu.api();
    let control: Control = emu.control();
    let alices = personal(&api, "alice").await;
    let bobs = personal(&api, "bob").await;
    let shared = group(&api, &["alice", "bob"]).await;
    post(&api, &alices, &business_text("to alice")).await;
    control
        .user_message(
            &id(&alices),
            json!({"userExternalId": "alice", "content": {"type": "text", "text": "a"}}),
        )
        .await;
    let bob_personal = control
        .user_message(
            &id(&bobs),
            json!({"userExternalId": "bob", "content": {"type": "text", "text": "b"}}),
        )
        .await;
    control
        .user_message(
            &id(&shared),
            json!({"userExternalId": "alice", "content": {"type": "text", "text": "a"}}),
        )
        .await;
    let bob_in_group = control
        .user_message(
            &id(&shared),
            json!({"userExternalId": "bob", "content": {"type": "text", "text": "b"}}),
        )
        .await;
    let business_in_group = post(&api, &shared, &business_text("all")).await;

    api.delete("/v2/apps/demo-app/users/alice")
        .await
        .assert_status(200);

    api.get(&messages_path(&alices))
        .await
        .assert_error(404, "conversation_not_found", "");
    let reply = api.get(&messages_path(&shared)).await;
    assert_eq!(
        ids_of(reply.assert_status(200), "messages"),
        vec![id(&bob_in_group), id(&business_in_group)]
    );
    let reply = api.get(&messages_path(&bobs)).await;
    assert_eq!(
        ids_of(reply.assert_status(200), "messages"),
        vec![id(&bob_personal)]
    );
}

#[tokio::test]
async fn message_routes_check_auth_and_take_faults() {
    let emu = Emu::start();
    let api = emu.api();
    let conversation = personal(&api, "alice").await;
    let path = messages_path(&conversation);
    let anonymous = api.with_auth(None);
    anonymous
        .post(&path, &business_text("x"))
        .await
        .assert_error(401, "unauthorized", "");
    anonymous
        .get(&path)
        .await
        .assert_error(401, "unauthorized", "");
    anonymous
        .delete(&path)
        .await
        .assert_error(401, "unauthorized", "");
    anonymous
        .delete(&format!("{path}/0123456789abcdef01234567"))
        .await
        .assert_error(401, "unauthorized", "");
    api.post(&path.replace("demo-app", "nope"), &business_text("x"))
        .await
        .assert_error(404, "app_not_found", "");

    emu.control()
        .faults(
            json!({"method": "POST", "path": "/v2/apps/*/conversations/*/messages",
                       "action": {"type": "status", "status": 429, "retryAfter": "2"}}),
        )
        .await
        .assert_status(200);
    let reply = api.post(&path, &business_text("x")).await;
    reply.assert_error(429, "too_many_requests", "");
    assert_eq!(reply.headers["retry-after"], "2");
    let reply = api.get(&path).await;
    assert_eq!(reply.assert_status(200)["messages"], json!([]));
    post(&api, &conversation, &business_text("x")).await;
}
