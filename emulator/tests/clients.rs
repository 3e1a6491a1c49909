//! Black-box tests of the Clients routes (create a pending link, list paged, remove) and the
//! Devices routes (list, get), with the control endpoints that play the channel and the SDK.

mod common;

use common::{Api, Control, Emu, Reply, id, ids_of, is_hex24, is_timestamp};
use reqwest::Method;
use serde_json::{Value, json};

const USERS: &str = "/v2/apps/demo-app/users";
const CONVERSATIONS: &str = "/v2/apps/demo-app/conversations";

async fn personal(api: &Api, user: &str) -> Value {
    api.create_conversation(
        &json!({"type": "personal", "participants": [{"userExternalId": user}]}),
    )
    .await
}

fn link_body(conversation: &Value) -> Value {
    json!({
        "matchCriteria": {"type": "whatsapp", "integrationId": "582dedf230e788746891281a",
                          "primary": true, "phoneNumber": "+1 212-555-2368"},
        "confirmation": {"type": "immediate"},
        "target": {"conversationId": id(conversation)},
    })
}

async fn create_client(api: &Api, user: &str, body: &Value) -> Value {
    let reply = api.post(&format!("{USERS}/{user}/clients"), body).await;
    reply.assert_status(201)["client"].clone()
}

async fn clients(api: &Api, user: &str) -> Vec<Value> {
    let reply = api
        .get(&format!("{USERS}/{user}/clients?page[size]=100"))
        .await;
    reply.assert_status(200)["clients"]
        .as_array()
        .unwrap()
        .clone()
}

async fn participant(api: &Api, conversation: &Value) -> Value {
    let reply = api
        .get(&format!(
            "{CONVERSATIONS}/{}/participants",
            id(conversation)
        ))
        .await;
    reply.assert_status(200)["participants"][0].clone()
}

async fn patch_client(control: &Control, user: &str, client: &str, body: Value) -> Reply {
    control
        .send_json(
            Method::PATCH,
            &format!("/_emulator/apps/demo-app/users/{user}/clients/{client}"),
            &body,
        )
        .await
}

async fn post_device(control: &Control, user: &str, body: Value) -> Reply {
    control
        .send_json(
            Method::POST,
            &format!("/_emulator/apps/demo-app/users/{user}/devices"),
            &body,
        )
        .await
}

// ---------------------------------------------------------------- clients

#[tokio::test]
async fn a_created_client_is_pending_until_the_channel_links_it() {
    let emu = Emu::start();
    let api = emu.api();
    let control = emu.control();
    let conversation = api
        .create_conversation(&json!({"type": "personal", "participants": [
            {"userExternalId": "alice", "subscribeSDKClient": true}]}))
        .await;
    let client = create_client(&api, "alice", &link_body(&conversation)).await;
    assert!(is_hex24(&id(&client)));
    assert_eq!(
        client,
        json!({"id": id(&client), "type": "whatsapp", "status": "pending",
               "integrationId": "582dedf230e788746891281a"})
    );
    let listed = clients(&api, "alice").await;
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["type"], "sdk");
    assert_eq!(listed[0]["status"], "active");
    assert!(is_timestamp(listed[0]["linkedAt"].as_str().unwrap()));
    assert_eq!(listed[1], client);
    // Still pending: the conversation only knows the SDK client.
    let before = participant(&api, &conversation).await;
    assert_eq!(before["clientAssociations"].as_array().unwrap().len(), 1);

    // The channel confirms: the client becomes the conversation's primary one.
    let reply = patch_client(
        &control,
        "alice",
        &id(&client),
        json!({"status": "active", "externalId": "+12125552368", "displayName": "Alice W"}),
    )
    .await;
    let linked = reply.assert_status(200)["client"].clone();
    assert_eq!(linked["status"], "active");
    assert_eq!(linked["externalId"], "+12125552368");
    assert!(is_timestamp(linked["linkedAt"].as_str().unwrap()));
    let after = participant(&api, &conversation).await;
    assert_eq!(
        after["clientAssociations"][0],
        json!({"type": "whatsapp", "clientId": id(&client)})
    );
    assert_eq!(after["clientAssociations"][1]["type"], "sdk");

    // Removing it unsubscribes it from the conversation.
    let reply = api
        .delete(&format!("{USERS}/alice/clients/{}", id(&client)))
        .await;
    assert_eq!(reply.assert_status(200), &json!({}));
    assert_eq!(participant(&api, &conversation).await, before);
    assert_eq!(clients(&api, "alice").await.len(), 1);
}

#[tokio::test]
async fn every_linkable_channel_and_a_secondary_client() {
    let emu = Emu::start();
    let api = emu.api();
    let control = emu.control();
    let alice = api.user_id("alice").await;
    let conversation = api
        .create_conversation(&json!({"type": "personal", "participants": [
            {"userExternalId": "alice", "subscribeSDKClient": true}]}))
        .await;
    let target = json!({"conversationId": id(&conversation)});
    let confirmation = json!({"type": "prompt", "message": {
        "author": {"type": "business"},
        "content": {"type": "text", "text": "Link?", "actions": [
            {"type": "link", "text": "Yes", "uri": "https://example.org"}]}}});
    let mut made = Vec::new();
    for criteria in [
        json!({"type": "mailgun", "integrationId": "i1", "address": "alice@example.org", "subject": "Hi"}),
        json!({"type": "messagebird", "integrationId": "i2", "phoneNumber": "+12125552368"}),
        json!({"type": "twilio", "integrationId": "i3", "phoneNumber": "+1 212 555 2368", "primary": false}),
    ] {
        let client = create_client(
            &api,
            &alice,
            &json!({"matchCriteria": criteria, "confirmation": confirmation, "target": target}),
        )
        .await;
        assert_eq!(client["type"], criteria["type"]);
        made.push(client);
    }
    // A secondary client goes after the SDK client.
    patch_client(
        &control,
        "alice",
        &id(&made[2]),
        json!({"status": "active"}),
    )
    .await
    .assert_status(200);
    let associations = participant(&api, &conversation).await["clientAssociations"].clone();
    assert_eq!(associations[0]["type"], "sdk");
    assert_eq!(associations[1]["type"], "twilio");
}

#[tokio::test]
async fn create_client_errors() {
    let emu = Emu::start();
    let api = emu.api();
    let conversation = personal(&api, "alice").await;
    let bobs = personal(&api, "bob").await;
    let good = link_body(&conversation);
    let with = |key: &str, value: Value| {
        let mut body = good.clone();
        body[key] = value;
        body
    };
    let criteria = |extra: Value| {
        let mut c = good["matchCriteria"].clone();
        for (k, v) in extra.as_object().unwrap() {
            if v.is_null() {
                c.as_object_mut().unwrap().remove(k);
            } else {
                c[k] = v.clone();
            }
        }
        with("matchCriteria", c)
    };
    let message = |content: Value| {
        with(
            "confirmation",
            json!({"type": "prompt", "message": {"author": {"type": "business"}, "content": content}}),
        )
    };
    let mut missing = good.clone();
    missing.as_object_mut().unwrap().remove("matchCriteria");
    let mut no_confirmation = good.clone();
    no_confirmation
        .as_object_mut()
        .unwrap()
        .remove("confirmation");
    let mut no_target = good.clone();
    no_target.as_object_mut().unwrap().remove("target");
    let cases = [
        (missing, "matchCriteria is required"),
        (
            criteria(json!({"type": "telegram"})),
            "matchCriteria.type must be one of: mailgun, messagebird, twilio, whatsapp",
        ),
        (
            criteria(json!({"integrationId": null})),
            "matchCriteria.integrationId is required",
        ),
        (
            criteria(json!({"phoneNumber": null})),
            "matchCriteria.phoneNumber is required",
        ),
        (
            criteria(json!({"phoneNumber": "212 555 2368"})),
            "matchCriteria.phoneNumber must start with +",
        ),
        (
            criteria(json!({"primary": "yes"})),
            "matchCriteria.primary must be a boolean",
        ),
        (
            criteria(json!({"type": "mailgun"})),
            "matchCriteria.address is required",
        ),
        (
            criteria(json!({"type": "mailgun", "address": "nope"})),
            "matchCriteria.address must be an email",
        ),
        (no_confirmation, "confirmation is required"),
        (
            with("confirmation", json!({})),
            "confirmation.type is required",
        ),
        (
            with("confirmation", json!({"type": "later"})),
            "confirmation.type must be one of: immediate, userActivity, prompt",
        ),
        (
            message(json!({"type": "location", "coordinates": {"lat": 1, "long": 2}})),
            "confirmation.message.content.type must be text or image",
        ),
        (
            message(
                json!({"type": "text", "actions": [{"type": "postback", "text": "x", "payload": "p"}]}),
            ),
            "may only be of type link",
        ),
        (
            message(json!({"type": "text", "text": "x".repeat(4097)})),
            "confirmation.message.content.text must be at most 4096",
        ),
        (
            with(
                "confirmation",
                json!({"type": "prompt", "message": {"content": {"type": "text", "text": "x"}}}),
            ),
            "confirmation.message.author is required",
        ),
        (no_target, "target is required"),
        (
            with("target", json!({})),
            "target.conversationId is required",
        ),
    ];
    for (body, title) in cases {
        api.post(&format!("{USERS}/alice/clients"), &body)
            .await
            .assert_error(400, "bad_request", title);
    }
    api.post(&format!("{USERS}/ghost/clients"), &good)
        .await
        .assert_error(404, "user_not_found", "");
    api.post(
        &format!("{USERS}/alice/clients"),
        &with(
            "target",
            json!({"conversationId": "0123456789abcdef01234567"}),
        ),
    )
    .await
    .assert_error(404, "conversation_not_found", "");
    api.post(
        &format!("{USERS}/alice/clients"),
        &with("target", json!({"conversationId": id(&bobs)})),
    )
    .await
    .assert_error(404, "not_found", "not a member");
    api.post(&format!("{USERS}/alice/clients?brandId=7"), &good)
        .await
        .assert_error(404, "user_not_found", "");
    assert!(clients(&api, "alice").await.is_empty());
}

#[tokio::test]
async fn list_clients_pages_and_remove_client_errors() {
    let emu = Emu::start();
    let api = emu.api();
    let conversation = api
        .create_conversation(&json!({"type": "personal", "participants": [
            {"userExternalId": "alice", "subscribeSDKClient": true}]}))
        .await;
    for _ in 0..4 {
        create_client(&api, "alice", &link_body(&conversation)).await;
    }
    let all = ids_of(&json!({"clients": clients(&api, "alice").await}), "clients");
    assert_eq!(all.len(), 5);
    let list = format!("{USERS}/alice/clients");

    let reply = api.get(&format!("{list}?page[size]=2")).await;
    let first = reply.assert_status(200).clone();
    assert_eq!(ids_of(&first, "clients"), all[..2].to_vec());
    assert_eq!(first["meta"]["hasMore"], true);
    assert_eq!(
        first["links"]["next"],
        format!("{}{list}?page[after]={}&page[size]=2", emu.url, all[1])
    );
    let reply = api
        .get(&format!("{list}?page[size]=2&page[after]={}", all[3]))
        .await;
    let last = reply.assert_status(200).clone();
    assert_eq!(ids_of(&last, "clients"), all[4..].to_vec());
    assert_eq!(last["meta"]["hasMore"], false);
    let reply = api
        .get(&format!("{list}?page[size]=2&page[before]={}", all[2]))
        .await;
    let back = reply.assert_status(200).clone();
    assert_eq!(ids_of(&back, "clients"), all[..2].to_vec());
    assert_eq!(back["meta"]["hasMore"], false);
    let reply = api.get(&list).await;
    assert_eq!(ids_of(reply.assert_status(200), "clients"), all);
    for query in ["page[size]=0", "page[before]=x"] {
        api.get(&format!("{list}?{query}")).await.assert_error(
            400,
            "bad_request",
            "Invalid page query parameters",
        );
    }
    api.get(&format!("{USERS}/ghost/clients"))
        .await
        .assert_error(404, "user_not_found", "");

    // Remove: the SDK client stays, unknown clients are 404.
    api.delete(&format!("{list}/{}", all[0]))
        .await
        .assert_error(400, "bad_request", "Cannot remove a client of type 'sdk'");
    api.delete(&format!("{list}/{}", all[1]))
        .await
        .assert_status(200);
    api.delete(&format!("{list}/{}", all[1]))
        .await
        .assert_error(404, "client_not_found", "Client not found");
    api.delete(&format!("{USERS}/bob/clients/{}", all[2]))
        .await
        .assert_error(404, "client_not_found", "");
    api.delete(&format!("{USERS}/ghost/clients/{}", all[2]))
        .await
        .assert_error(404, "user_not_found", "");
    assert_eq!(clients(&api, "alice").await.len(), 4);
}

#[tokio::test]
async fn client_controls_validate() {
    let emu = Emu::start();
    let api = emu.api();
    let control = emu.control();
    let conversation = personal(&api, "alice").await;
    let client = create_client(&api, "alice", &link_body(&conversation)).await;
    for (body, field) in [
        (json!({"status": "gone"}), "status"),
        (json!({"avatarUrl": "a.png"}), "avatarUrl"),
        (json!({"lastSeen": "yesterday"}), "lastSeen"),
        (json!({"info": 1}), "info"),
    ] {
        patch_client(&control, "alice", &id(&client), body)
            .await
            .assert_error(400, "bad_request", field);
    }
    patch_client(&control, "alice", "0123456789abcdef01234567", json!({}))
        .await
        .assert_error(404, "client_not_found", "");
    patch_client(&control, "ghost", &id(&client), json!({}))
        .await
        .assert_error(404, "user_not_found", "");
    let reply = patch_client(
        &control,
        "alice",
        &id(&client),
        json!({"status": "blocked", "lastSeen": "2024-01-02T03:04:05Z", "info": {"a": 1}}),
    )
    .await;
    let blocked = reply.assert_status(200)["client"].clone();
    assert_eq!(blocked["status"], "blocked");
    assert_eq!(blocked["lastSeen"], "2024-01-02T03:04:05.000Z");
    assert!(blocked.get("linkedAt").is_none());
}

// ---------------------------------------------------------------- devices

#[tokio::test]
async fn devices_are_listed_by_last_seen_and_fetched() {
    let emu = Emu::start();
    let api = emu.api();
    let control = emu.control();
    let old = post_device(
        &control,
        "alice",
        json!({"type": "ios", "lastSeen": "2024-01-01T00:00:00Z", "appVersion": "1.2",
               "pushNotificationToken": "tok", "integrationId": "5d83a25d9916b64a83ed25e8"}),
    )
    .await
    .assert_status(201)["device"]
        .clone();
    let web = post_device(
        &control,
        "alice",
        json!({"type": "web", "guid": "f1c7abea2d49429db10094be820d5f80",
               "info": {"currentUrl": "https://example.com", "browserLanguage": "en-US"}}),
    )
    .await
    .assert_status(201)["device"]
        .clone();
    assert!(is_hex24(&id(&web)));
    assert_eq!(web["guid"], "f1c7abea2d49429db10094be820d5f80");
    assert_eq!(web["status"], "active");
    assert!(is_timestamp(web["lastSeen"].as_str().unwrap()));
    assert_eq!(old["lastSeen"], "2024-01-01T00:00:00.000Z");
    assert_eq!(old["guid"].as_str().unwrap().len(), 32);
    // Both belong to the user's one SDK client.
    assert_eq!(web["clientId"], old["clientId"]);
    let listed = clients(&api, "alice").await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], web["clientId"]);
    assert_eq!(listed[0]["type"], "sdk");
    assert_eq!(listed[0]["lastSeen"], web["lastSeen"]);

    let reply = api.get(&format!("{USERS}/alice/devices")).await;
    assert_eq!(reply.assert_status(200)["devices"], json!([web, old]));
    let reply = api
        .get(&format!("{USERS}/alice/devices/{}", id(&old)))
        .await;
    assert_eq!(reply.assert_status(200)["device"], old);
    api.get(&format!("{USERS}/alice/devices/0123456789abcdef01234567"))
        .await
        .assert_error(404, "device_not_found", "Device not found");
    api.get(&format!("{USERS}/bob/devices/{}", id(&old)))
        .await
        .assert_error(404, "device_not_found", "");
    let reply = api.get(&format!("{USERS}/bob/devices")).await;
    assert_eq!(reply.assert_status(200), &json!({"devices": []}));
    api.get(&format!("{USERS}/ghost/devices"))
        .await
        .assert_error(404, "user_not_found", "");
    api.get(&format!("{USERS}/ghost/devices/{}", id(&old)))
        .await
        .assert_error(404, "user_not_found", "");
}

#[tokio::test]
async fn device_control_validates() {
    let emu = Emu::start();
    let control = emu.control();
    for (body, field) in [
        (json!({}), "type is required"),
        (
            json!({"type": "tv"}),
            "type must be one of: android, ios, web",
        ),
        (json!({"type": "web", "status": "on"}), "status"),
        (json!({"type": "web", "lastSeen": "now"}), "lastSeen"),
        (json!({"type": "web", "info": []}), "info"),
    ] {
        post_device(&control, "alice", body)
            .await
            .assert_error(400, "bad_request", field);
    }
    post_device(&control, "ghost", json!({"type": "web"}))
        .await
        .assert_error(404, "user_not_found", "");
    control
        .send_json(
            Method::POST,
            "/_emulator/apps/nope/users/alice/devices",
            &json!({"type": "web"}),
        )
        .await
        .assert_error(404, "app_not_found", "");
}

// ---------------------------------------------------------------- across resources

#[tokio::test]
async fn personal_information_and_user_deletion_reach_clients_and_devices() {
    let emu = Emu::start();
    let api = emu.api();
    let control = emu.control();
    let conversation = personal(&api, "alice").await;
    let client = create_client(&api, "alice", &link_body(&conversation)).await;
    patch_client(
        &control,
        "alice",
        &id(&client),
        json!({"displayName": "Alice W", "avatarUrl": "https://example.org/a.png",
               "info": {"phone": "+1"}, "raw": {"x": 1}, "externalId": "+12125552368"}),
    )
    .await
    .assert_status(200);
    post_device(&control, "alice", json!({"type": "web"}))
        .await
        .assert_status(201);
    post_device(&control, "bob", json!({"type": "android"}))
        .await
        .assert_status(201);

    api.delete(&format!("{USERS}/alice/personalinformation"))
        .await
        .assert_status(200);
    let listed = clients(&api, "alice").await;
    let whatsapp = listed.iter().find(|c| c["type"] == "whatsapp").unwrap();
    assert_eq!(
        whatsapp,
        &json!({"id": id(&client), "type": "whatsapp", "status": "pending",
                "integrationId": "582dedf230e788746891281a", "externalId": "+12125552368"})
    );

    // Re-created under the same external id, the user starts without clients or devices.
    api.delete(&format!("{USERS}/alice"))
        .await
        .assert_status(200);
    api.post(USERS, &json!({"externalId": "alice"}))
        .await
        .assert_status(201);
    assert!(clients(&api, "alice").await.is_empty());
    let reply = api.get(&format!("{USERS}/alice/devices")).await;
    assert_eq!(reply.assert_status(200)["devices"], json!([]));
    // Bob's are untouched.
    let reply = api.get(&format!("{USERS}/bob/devices")).await;
    assert_eq!(
        reply.assert_status(200)["devices"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(clients(&api, "bob").await.len(), 1);
}

#[tokio::test]
async fn client_and_device_routes_check_auth() {
    let emu = Emu::start();
    let api = emu.api();
    let anonymous = api.with_auth(None);
    let id = "0123456789abcdef01234567";
    for (method, path) in [
        (Method::POST, format!("{USERS}/alice/clients")),
        (Method::GET, format!("{USERS}/alice/clients")),
        (Method::DELETE, format!("{USERS}/alice/clients/{id}")),
        (Method::GET, format!("{USERS}/alice/devices")),
        (Method::GET, format!("{USERS}/alice/devices/{id}")),
    ] {
        let body = (method == Method::POST).then(|| json!({}));
        anonymous
            .send(method.clone(), &path, body.as_ref())
            .await
            .assert_error(401, "unauthorized", "");
        api.send(method, &path.replace("demo-app", "nope"), body.as_ref())
            .await
            .assert_error(404, "app_not_found", "");
    }
}
