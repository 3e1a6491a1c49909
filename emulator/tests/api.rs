//! Black-box tests of the API routes: auth, users, conversations, validation, pagination.

mod common;

use std::collections::HashSet;

use common::{Api, Emu, Reply, basic, is_hex24, is_timestamp, jwt};
use reqwest::Method;
use serde_json::{Value, json};

const CONVERSATIONS: &str = "/v2/apps/demo-app/conversations";

async fn alice_personal(api: &Api) -> Value {
    api.create_conversation(
        &json!({"type": "personal", "participants": [{"userExternalId": "alice"}]}),
    )
    .await
}

async fn alice_group(api: &Api) -> Value {
    api.create_conversation(
        &json!({"type": "sdkGroup", "participants": [{"userExternalId": "alice"}]}),
    )
    .await
}

// ---------------------------------------------------------------- auth

#[tokio::test]
async fn basic_auth_succeeds() {
    let emu = Emu::start();
    emu.api()
        .get("/v2/apps/demo-app/users/alice")
        .await
        .assert_status(200);
}

#[tokio::test]
async fn basic_auth_with_wrong_secret_is_401() {
    let emu = Emu::start();
    let api = emu.api().with_auth(Some(basic("demo-key", "wrong")));
    api.get("/v2/apps/demo-app/users/alice")
        .await
        .assert_error(401, "unauthorized", "");
}

#[tokio::test]
async fn basic_auth_with_unknown_key_is_401() {
    let emu = Emu::start();
    let api = emu.api().with_auth(Some(basic("nobody", "demo-secret")));
    api.get("/v2/apps/demo-app/users/alice")
        .await
        .assert_error(401, "unauthorized", "");
}

#[tokio::test]
async fn missing_authorization_is_401() {
    let emu = Emu::start();
    let api = emu.api().with_auth(None);
    api.get("/v2/apps/demo-app/users/alice").await.assert_error(
        401,
        "unauthorized",
        "Authorization",
    );
}

#[tokio::test]
async fn garbage_authorization_is_401() {
    let emu = Emu::start();
    for auth in [
        "Basic !!!notbase64",
        "Digest abc",
        "Bearer not.a.jwt",
        "Basic",
    ] {
        let api = emu.api().with_auth(Some(auth.to_owned()));
        api.get("/v2/apps/demo-app/users/alice")
            .await
            .assert_error(401, "unauthorized", "");
    }
}

#[tokio::test]
async fn jwt_with_app_or_account_scope_succeeds() {
    let emu = Emu::start();
    for scope in ["app", "account"] {
        let api = emu.api().with_auth(Some(jwt(
            "demo-key",
            "demo-secret",
            json!({"scope": scope}),
        )));
        api.get("/v2/apps/demo-app/users/alice")
            .await
            .assert_status(200);
    }
}

#[tokio::test]
async fn jwt_with_bad_signature_is_401() {
    let emu = Emu::start();
    let api = emu.api().with_auth(Some(jwt(
        "demo-key",
        "not-the-secret",
        json!({"scope": "app"}),
    )));
    api.get("/v2/apps/demo-app/users/alice")
        .await
        .assert_error(401, "unauthorized", "");
}

#[tokio::test]
async fn jwt_with_unknown_kid_is_401() {
    let emu = Emu::start();
    let api = emu.api().with_auth(Some(jwt(
        "no-such-key",
        "demo-secret",
        json!({"scope": "app"}),
    )));
    api.get("/v2/apps/demo-app/users/alice")
        .await
        .assert_error(401, "unauthorized", "");
}

#[tokio::test]
async fn jwt_with_wrong_or_missing_scope_is_401() {
    let emu = Emu::start();
    for claims in [json!({"scope": "user"}), json!({}), json!({"scope": 1})] {
        let api = emu
            .api()
            .with_auth(Some(jwt("demo-key", "demo-secret", claims)));
        api.get("/v2/apps/demo-app/users/alice")
            .await
            .assert_error(401, "unauthorized", "");
    }
}

#[tokio::test]
async fn expired_jwt_is_401() {
    let emu = Emu::start();
    let api = emu.api().with_auth(Some(jwt(
        "demo-key",
        "demo-secret",
        json!({"scope": "app", "exp": 1000}),
    )));
    api.get("/v2/apps/demo-app/users/alice")
        .await
        .assert_error(401, "unauthorized", "");
}

#[tokio::test]
async fn another_apps_key_is_403() {
    let emu = Emu::start();
    let api = emu
        .api()
        .with_auth(Some(basic("other-key", "other-secret")));
    api.get("/v2/apps/demo-app/users/alice")
        .await
        .assert_error(403, "forbidden", "");
    api.get("/v2/apps/other-app/users/alice")
        .await
        .assert_error(404, "user_not_found", "");
    let api = emu.api().with_auth(Some(jwt(
        "other-key",
        "other-secret",
        json!({"scope": "app"}),
    )));
    api.get(CONVERSATIONS)
        .await
        .assert_error(403, "forbidden", "");
}

#[tokio::test]
async fn unknown_app_is_404_after_auth() {
    let emu = Emu::start();
    emu.api()
        .get("/v2/apps/no-app/users/alice")
        .await
        .assert_error(404, "app_not_found", "App");
    let anonymous = emu.api().with_auth(None);
    anonymous
        .get("/v2/apps/no-app/users/alice")
        .await
        .assert_error(401, "unauthorized", "");
}

#[tokio::test]
async fn auth_is_checked_before_validation() {
    let emu = Emu::start();
    let api = emu.api().with_auth(None);
    api.post(CONVERSATIONS, &json!({"type": "bogus"}))
        .await
        .assert_error(401, "unauthorized", "");
    let api = emu
        .api()
        .with_auth(Some(basic("other-key", "other-secret")));
    api.post(CONVERSATIONS, &json!({"type": "bogus"}))
        .await
        .assert_error(403, "forbidden", "");
}

// ---------------------------------------------------------------- users

#[tokio::test]
async fn users_are_created_and_fetched() {
    let emu = Emu::start();
    let api = emu.api();
    let reply = api
        .post(
            "/v2/apps/demo-app/users",
            &json!({"externalId": "dave", "profile": {"givenName": "Dave"}, "metadata": {"tier": 2}}),
        )
        .await;
    let user = reply.assert_status(201)["user"].clone();
    let id = user["id"].as_str().unwrap();
    assert!(is_hex24(id), "{id}");
    assert_eq!(user["externalId"], "dave");
    assert_eq!(user["profile"]["givenName"], "Dave");
    assert_eq!(user["metadata"]["tier"], 2);
    assert_eq!(user["identities"], json!([]));
    assert!(is_timestamp(user["signedUpAt"].as_str().unwrap()));

    let by_id = api.get(&format!("/v2/apps/demo-app/users/{id}")).await;
    assert_eq!(by_id.assert_status(200)["user"], user);
    let by_external = api.get("/v2/apps/demo-app/users/dave").await;
    assert_eq!(by_external.assert_status(200)["user"], user);

    let anonymous = api.post("/v2/apps/demo-app/users", &json!({})).await;
    assert!(is_hex24(
        anonymous.assert_status(201)["user"]["id"].as_str().unwrap()
    ));
}

#[tokio::test]
async fn duplicate_external_id_is_409() {
    let emu = Emu::start();
    let api = emu.api();
    api.post("/v2/apps/demo-app/users", &json!({"externalId": "alice"}))
        .await
        .assert_error(409, "conflict", "exists");
}

#[tokio::test]
async fn user_validation_and_not_found() {
    let emu = Emu::start();
    let api = emu.api();
    api.get("/v2/apps/demo-app/users/nobody")
        .await
        .assert_error(404, "user_not_found", "User");
    for (body, field) in [
        (json!({"externalId": ""}), "externalId"),
        (json!({"externalId": 5}), "externalId"),
        (json!({"profile": "x"}), "profile"),
        (json!({"metadata": {"a": [1]}}), "metadata"),
    ] {
        api.post("/v2/apps/demo-app/users", &body)
            .await
            .assert_error(400, "bad_request", field);
    }
}

#[tokio::test]
async fn user_create_refuses_what_the_spec_forbids() {
    let emu = Emu::start();
    let api = emu.api();
    let long = |n: usize| "x".repeat(n);
    let cases = [
        (json!({"externalId": null}), "externalId must be a string"),
        (
            json!({"externalId": long(1025)}),
            "externalId must be between 1 and 1024",
        ),
        (
            json!({"signedUpAt": "yesterday"}),
            "signedUpAt must be an ISO 8601 date-time",
        ),
        (
            json!({"signedUpAt": "2020-02-30T10:00:00Z"}),
            "signedUpAt must be an ISO 8601",
        ),
        (
            json!({"signedUpAt": "2020-05-21"}),
            "signedUpAt must be an ISO 8601",
        ),
        (
            json!({"signedUpAt": 1590076410197_u64}),
            "signedUpAt must be a string",
        ),
        (json!({"signedUpAt": null}), "signedUpAt must be a string"),
        (json!({"profile": null}), "profile must be an object"),
        (json!({"profile": ["Jane"]}), "profile must be an object"),
        (
            json!({"profile": {"email": false}}),
            "profile.email must be a string",
        ),
        (
            json!({"profile": {"email": "jane"}}),
            "profile.email must be an email address",
        ),
        (
            json!({"profile": {"email": format!("{}@example.com", long(120))}}),
            "profile.email must be between 1 and 128",
        ),
        (
            json!({"profile": {"givenName": [1]}}),
            "profile.givenName must be a string",
        ),
        (
            json!({"profile": {"givenName": ""}}),
            "profile.givenName must be between 1 and 128",
        ),
        (
            json!({"profile": {"surname": long(129)}}),
            "profile.surname must be between 1 and 128",
        ),
        (
            json!({"profile": {"surname": {"a": 1}}}),
            "profile.surname must be a string",
        ),
        (
            json!({"profile": {"avatarUrl": "avatar.png"}}),
            "profile.avatarUrl must be an absolute URI",
        ),
        (
            json!({"profile": {"avatarUrl": format!("https://e.com/{}", long(2040))}}),
            "profile.avatarUrl must be between 1 and 2048",
        ),
        (
            json!({"profile": {"locale": 5}}),
            "profile.locale must be a string",
        ),
        (
            json!({"profile": {"locale": "fr_CA"}}),
            "profile.locale must be a BCP 47 language tag",
        ),
        (
            json!({"profile": {"locale": long(65)}}),
            "profile.locale must be between 1 and 64",
        ),
        (json!({"metadata": {"a": null}}), "metadata must be flat"),
        (json!({"metadata": [1]}), "metadata must be an object"),
        (
            json!({"metadata": {"a": long(4100)}}),
            "metadata must not exceed 4096 bytes",
        ),
        (
            json!({"brandId": 9477922990333_u64}),
            "brandId must be a string",
        ),
        (
            json!({"brandId": long(25)}),
            "brandId must be between 1 and 24",
        ),
        (
            json!({"toBeRetained": "yes"}),
            "toBeRetained must be a boolean",
        ),
        (
            json!({"toBeRetained": null}),
            "toBeRetained must be a boolean",
        ),
    ];
    for (mut body, title) in cases {
        // Each refused body would otherwise create "ghost" (or fail as a duplicate).
        let fields = body.as_object_mut().unwrap();
        fields.entry("externalId").or_insert(json!("ghost"));
        let reply = api.post("/v2/apps/demo-app/users", &body).await;
        reply.assert_error(400, "bad_request", title);
    }
    api.get("/v2/apps/demo-app/users/ghost")
        .await
        .assert_error(404, "user_not_found", "");
}

#[tokio::test]
async fn user_create_keeps_valid_spec_fields_and_normalises_signed_up_at() {
    let emu = Emu::start();
    let api = emu.api();
    let body = json!({
        "externalId": "erin",
        "brandId": "9477922990333",
        "toBeRetained": true,
        "signedUpAt": "2020-05-21T17:53:30.1974+02:00",
        "profile": {
            "givenName": "Erin",
            "surname": null,
            "email": "erin@example.com",
            "avatarUrl": "https://example.com/erin.png",
            "locale": "fr-CA",
            "custom": {"kept": true}
        },
        "metadata": null,
        "unknownTopLevel": [1, 2]
    });
    let reply = api.post("/v2/apps/demo-app/users", &body).await;
    let user = reply.assert_status(201)["user"].clone();
    assert_eq!(user["externalId"], "erin");
    assert_eq!(user["brandId"], "9477922990333");
    assert_eq!(user["toBeRetained"], true);
    assert_eq!(user["signedUpAt"], "2020-05-21T15:53:30.197Z");
    assert_eq!(
        user["profile"],
        json!({
            "givenName": "Erin",
            "email": "erin@example.com",
            "avatarUrl": "https://example.com/erin.png",
            "locale": "fr-CA",
            "custom": {"kept": true}
        })
    );
    assert_eq!(user["metadata"], json!({}));
    assert!(user.get("unknownTopLevel").is_none());
    let fetched = api.get("/v2/apps/demo-app/users/erin").await;
    assert_eq!(fetched.assert_status(200)["user"], user);
}

#[tokio::test]
async fn seeded_users_are_isolated_per_app() {
    let emu = Emu::start();
    let other = emu
        .api()
        .with_auth(Some(basic("other-key", "other-secret")));
    other
        .get("/v2/apps/other-app/users/alice")
        .await
        .assert_error(404, "user_not_found", "");
}

// ---------------------------------------------------------------- conversations

#[tokio::test]
async fn created_conversation_has_the_api_shape() {
    let emu = Emu::start();
    let api = emu.api();
    let conversation = api
        .create_conversation(&json!({
            "type": "personal",
            "participants": [{"userExternalId": "alice", "subscribeSDKClient": false}],
            "displayName": "Support",
            "description": "A chat",
            "iconUrl": "https://example.com/icon.png",
            "metadata": {"lang": "en", "n": 1.5, "vip": true},
            "futureField": "ignored"
        }))
        .await;
    assert!(is_hex24(conversation["id"].as_str().unwrap()));
    assert_eq!(conversation["type"], "personal");
    assert_eq!(conversation["isDefault"], true);
    assert_eq!(conversation["displayName"], "Support");
    assert_eq!(conversation["description"], "A chat");
    assert_eq!(conversation["iconUrl"], "https://example.com/icon.png");
    assert_eq!(
        conversation["metadata"],
        json!({"lang": "en", "n": 1.5, "vip": true})
    );
    assert_eq!(conversation["businessLastRead"], Value::Null);
    assert!(is_timestamp(conversation["createdAt"].as_str().unwrap()));
    assert!(is_timestamp(
        conversation["lastUpdatedAt"].as_str().unwrap()
    ));
    assert!(conversation.get("activeSwitchboardIntegration").is_none());

    let id = conversation["id"].as_str().unwrap();
    let fetched = api.get(&format!("{CONVERSATIONS}/{id}")).await;
    assert_eq!(fetched.assert_status(200)["conversation"], conversation);
}

#[tokio::test]
async fn unset_optional_fields_are_left_out() {
    let emu = Emu::start();
    let conversation = alice_group(&emu.api()).await;
    for field in ["displayName", "description", "iconUrl", "metadata"] {
        assert!(
            conversation.get(field).is_none(),
            "{field} in {conversation}"
        );
    }
    assert_eq!(conversation["isDefault"], false);
}

#[tokio::test]
async fn only_the_first_personal_conversation_is_default() {
    let emu = Emu::start();
    let api = emu.api();
    assert_eq!(alice_group(&api).await["isDefault"], false);
    assert_eq!(alice_personal(&api).await["isDefault"], true);
    assert_eq!(alice_personal(&api).await["isDefault"], false);
    let bob = api.user_id("bob").await;
    let c = api
        .create_conversation(&json!({"type": "personal", "participants": [{"userId": bob}]}))
        .await;
    assert_eq!(c["isDefault"], true);
    let empty_group = api.create_conversation(&json!({"type": "sdkGroup"})).await;
    assert_eq!(empty_group["isDefault"], false);
}

#[tokio::test]
async fn create_validation_failures_are_400_naming_the_field() {
    let emu = Emu::start();
    let api = emu.api();
    let alice = json!({"userExternalId": "alice"});
    let eleven: Vec<Value> = (0..11).map(|_| alice.clone()).collect();
    let cases = [
        (json!({}), "type"),
        (json!({"type": "bogus", "participants": [alice]}), "type"),
        (json!({"type": 3}), "type"),
        (
            json!({"type": "sdkGroup", "participants": "alice"}),
            "participants",
        ),
        (
            json!({"type": "sdkGroup", "participants": eleven}),
            "participants",
        ),
        (json!({"type": "personal"}), "participants"),
        (
            json!({"type": "personal", "participants": []}),
            "participants",
        ),
        (
            json!({"type": "personal", "participants": [alice, {"userExternalId": "bob"}]}),
            "participants",
        ),
        (
            json!({"type": "sdkGroup", "participants": [{}]}),
            "participants[0]",
        ),
        (
            json!({"type": "sdkGroup", "participants": [alice, {"userId": "x", "userExternalId": "alice"}]}),
            "participants[1]",
        ),
        (
            json!({"type": "sdkGroup", "participants": ["alice"]}),
            "participants[0]",
        ),
        (
            json!({"type": "sdkGroup", "participants": [{"userId": 7}]}),
            "participants[0].userId",
        ),
        (
            json!({"type": "sdkGroup", "displayName": ""}),
            "displayName",
        ),
        (
            json!({"type": "sdkGroup", "displayName": "x".repeat(101)}),
            "displayName",
        ),
        (json!({"type": "sdkGroup", "displayName": 5}), "displayName"),
        (
            json!({"type": "sdkGroup", "description": ""}),
            "description",
        ),
        (
            json!({"type": "sdkGroup", "description": "é".repeat(101)}),
            "description",
        ),
        (
            json!({"type": "sdkGroup", "iconUrl": "not a url"}),
            "iconUrl",
        ),
        (
            json!({"type": "sdkGroup", "iconUrl": "/relative/icon.png"}),
            "iconUrl",
        ),
        (
            json!({"type": "sdkGroup", "iconUrl": format!("https://e.com/{}", "a".repeat(2040))}),
            "iconUrl",
        ),
        (json!({"type": "sdkGroup", "metadata": "x"}), "metadata"),
        (json!({"type": "sdkGroup", "metadata": [1]}), "metadata"),
        (
            json!({"type": "sdkGroup", "metadata": {"a": {"b": 1}}}),
            "metadata must be flat",
        ),
        (
            json!({"type": "sdkGroup", "metadata": {"a": [1]}}),
            "metadata must be flat",
        ),
        (
            json!({"type": "sdkGroup", "metadata": {"a": null}}),
            "metadata must be flat",
        ),
        (
            json!({"type": "sdkGroup", "metadata": {"a": "x".repeat(4090)}}),
            "metadata",
        ),
    ];
    for (body, field) in cases {
        let reply = api.post(CONVERSATIONS, &body).await;
        reply.assert_error(400, "bad_request", field);
    }
}

#[tokio::test]
async fn conversation_fields_the_spec_does_not_make_nullable_refuse_null() {
    let emu = Emu::start();
    let api = emu.api();
    let cases = [
        (json!({"type": null}), "type must be one of"),
        (
            json!({"type": "sdkGroup", "participants": null}),
            "participants must be an array",
        ),
        (
            json!({"type": "sdkGroup", "participants": [{"userExternalId": "alice", "subscribeSDKClient": null}]}),
            "participants[0].subscribeSDKClient must be a boolean",
        ),
        (
            json!({"type": "sdkGroup", "participants": [{"userId": null, "userExternalId": "alice"}]}),
            "participants[0].userId must be a string",
        ),
        (
            json!({"type": "sdkGroup", "participants": [{"userExternalId": null}]}),
            "participants[0].userExternalId must be a string",
        ),
    ];
    for (body, title) in cases {
        api.post(CONVERSATIONS, &body)
            .await
            .assert_error(400, "bad_request", title);
    }
    // Nullable fields still mean "not set" when null on creation.
    let c = api
        .create_conversation(&json!({"type": "sdkGroup", "displayName": null, "metadata": null}))
        .await;
    assert!(c.get("displayName").is_none() && c.get("metadata").is_none());

    let alice = api.user_id("alice").await;
    let download = format!("{CONVERSATIONS}/{}/download", c["id"].as_str().unwrap());
    api.post(&download, &json!({"userId": alice, "apple": null}))
        .await
        .assert_error(400, "bad_request", "apple must be an object");
}

#[tokio::test]
async fn text_limits_count_characters_not_bytes() {
    let emu = Emu::start();
    let api = emu.api();
    let name = "é".repeat(100); // 200 bytes, 100 characters
    let c = api
        .create_conversation(&json!({"type": "sdkGroup", "displayName": name, "description": "d"}))
        .await;
    assert_eq!(c["displayName"], name);
    let url = format!("https://e.com/{}", "a".repeat(2048 - 14));
    let c = api
        .create_conversation(&json!({"type": "sdkGroup", "iconUrl": url}))
        .await;
    assert_eq!(c["iconUrl"].as_str().unwrap().len(), 2048);
}

#[tokio::test]
async fn unknown_participant_is_404() {
    let emu = Emu::start();
    let api = emu.api();
    for participant in [
        json!({"userExternalId": "nobody"}),
        json!({"userId": "0123456789abcdef01234567"}),
    ] {
        api.post(
            CONVERSATIONS,
            &json!({"type": "personal", "participants": [participant]}),
        )
        .await
        .assert_error(404, "user_not_found", "");
    }
}

#[tokio::test]
async fn missing_resources_are_404_of_their_kind() {
    let emu = Emu::start();
    let api = emu.api();
    let missing = format!("{CONVERSATIONS}/0123456789abcdef01234567");
    api.get(&missing)
        .await
        .assert_error(404, "conversation_not_found", "Conversation");
    api.patch(&missing, &json!({"displayName": "x"}))
        .await
        .assert_error(404, "conversation_not_found", "");
    api.delete(&missing)
        .await
        .assert_error(404, "conversation_not_found", "");
    let alice = api.user_id("alice").await;
    api.post(&format!("{missing}/download"), &json!({"userId": alice}))
        .await
        .assert_error(404, "conversation_not_found", "");
    api.get("/v2/apps/demo-app/users/ghost")
        .await
        .assert_error(404, "user_not_found", "");
    api.get("/v2/apps/ghost-app/conversations/x")
        .await
        .assert_error(404, "app_not_found", "");
    api.get("/v2/apps/demo-app/nothing-here")
        .await
        .assert_error(404, "not_found", "");
    api.get("/totally/unknown")
        .await
        .assert_error(404, "not_found", "");
}

#[tokio::test]
async fn wrong_method_is_json_405() {
    let emu = Emu::start();
    let reply = emu
        .api()
        .send(Method::PUT, &format!("{CONVERSATIONS}/abc"), None)
        .await;
    reply.assert_error(405, "method_not_allowed", "");
}

#[tokio::test]
async fn patch_is_tri_state() {
    let emu = Emu::start();
    let api = emu.api();
    let c = api
        .create_conversation(&json!({
            "type": "sdkGroup", "displayName": "Name", "description": "Desc",
            "iconUrl": "https://e.com/i.png", "metadata": {"a": "1"}
        }))
        .await;
    let path = format!("{CONVERSATIONS}/{}", c["id"].as_str().unwrap());

    // null clears, absent keeps, a value sets; unknown fields are ignored.
    let reply = api
        .patch(
            &path,
            &json!({"displayName": null, "description": "New", "somethingElse": 1}),
        )
        .await;
    let updated = reply.assert_status(200)["conversation"].clone();
    assert!(updated.get("displayName").is_none(), "{updated}");
    assert_eq!(updated["description"], "New");
    assert_eq!(updated["iconUrl"], "https://e.com/i.png");
    assert_eq!(updated["metadata"], json!({"a": "1"}));
    assert_eq!(updated["createdAt"], c["createdAt"]);
    assert!(updated["lastUpdatedAt"].as_str().unwrap() >= c["lastUpdatedAt"].as_str().unwrap());

    let reply = api
        .patch(
            &path,
            &json!({"iconUrl": null, "metadata": null, "displayName": "Back"}),
        )
        .await;
    let updated = reply.assert_status(200)["conversation"].clone();
    assert!(
        updated.get("iconUrl").is_none() && updated.get("metadata").is_none(),
        "{updated}"
    );
    assert_eq!(updated["displayName"], "Back");
    assert_eq!(updated["description"], "New");

    let reply = api.patch(&path, &json!({})).await;
    assert_eq!(
        reply.assert_status(200)["conversation"]["displayName"],
        "Back"
    );

    let fetched = api.get(&path).await;
    assert_eq!(
        fetched.assert_status(200)["conversation"]["description"],
        "New"
    );
}

#[tokio::test]
async fn patch_validation_failures_are_400() {
    let emu = Emu::start();
    let api = emu.api();
    let c = alice_group(&api).await;
    let path = format!("{CONVERSATIONS}/{}", c["id"].as_str().unwrap());
    for (body, field) in [
        (json!({"displayName": ""}), "displayName"),
        (json!({"description": "x".repeat(101)}), "description"),
        (json!({"iconUrl": "nope"}), "iconUrl"),
        (json!({"metadata": {"a": {}}}), "metadata must be flat"),
        (json!({"metadata": 3}), "metadata"),
        (json!([1, 2]), "object"),
        (json!("text"), "object"),
    ] {
        api.patch(&path, &body)
            .await
            .assert_error(400, "bad_request", field);
    }
}

#[tokio::test]
async fn default_conversation_cannot_be_deleted_others_can() {
    let emu = Emu::start();
    let api = emu.api();
    let default = alice_personal(&api).await;
    let id = default["id"].as_str().unwrap();
    api.delete(&format!("{CONVERSATIONS}/{id}"))
        .await
        .assert_error(
            400,
            "bad_request",
            &format!("Conversation {id} cannot be deleted because it is the default."),
        );

    let other = alice_personal(&api).await;
    let path = format!("{CONVERSATIONS}/{}", other["id"].as_str().unwrap());
    let reply = api.delete(&path).await;
    assert_eq!(reply.assert_status(200), &json!({}));
    api.get(&path)
        .await
        .assert_error(404, "conversation_not_found", "");
    api.delete(&path)
        .await
        .assert_error(404, "conversation_not_found", "");
    api.get(&format!("{CONVERSATIONS}/{id}"))
        .await
        .assert_status(200);
}

#[tokio::test]
async fn deleting_a_conversation_takes_its_messages_and_participants_and_leaves_the_rest() {
    let emu = Emu::start();
    let api = emu.api();
    let group = api
        .create_conversation(&json!({"type": "sdkGroup", "participants": [
            {"userExternalId": "alice"}, {"userExternalId": "bob"}]}))
        .await;
    let other = alice_group(&api).await;
    let path = format!("{CONVERSATIONS}/{}", group["id"].as_str().unwrap());
    let other_path = format!("{CONVERSATIONS}/{}", other["id"].as_str().unwrap());
    for target in [&path, &other_path] {
        api.post(
            &format!("{target}/messages"),
            &json!({"author": {"type": "user", "userExternalId": "alice"},
                    "content": {"type": "text", "text": "hi"}}),
        )
        .await
        .assert_status(201);
    }
    api.delete(&path).await.assert_status(200);
    // Every route under the deleted conversation is 404 conversation_not_found.
    for (method, sub, body) in [
        (Method::GET, "/messages", None),
        (Method::DELETE, "/messages", None),
        (Method::GET, "/participants", None),
        (
            Method::POST,
            "/join",
            Some(json!({"userExternalId": "carol"})),
        ),
        (
            Method::POST,
            "/activity",
            Some(json!({"author": {"type": "business"}, "type": "conversation:read"})),
        ),
    ] {
        api.send(method, &format!("{path}{sub}"), body.as_ref())
            .await
            .assert_error(404, "conversation_not_found", "");
    }
    // The users and their other conversation, with its message and participants, remain.
    for user in ["alice", "bob"] {
        api.get(&format!("/v2/apps/demo-app/users/{user}"))
            .await
            .assert_status(200);
    }
    let reply = api.get(&format!("{other_path}/messages")).await;
    assert_eq!(
        reply.assert_status(200)["messages"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let reply = api.get(&format!("{other_path}/participants")).await;
    assert_eq!(
        reply.assert_status(200)["participants"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let alice = api.user_id("alice").await;
    let reply = api
        .get(&format!("{CONVERSATIONS}?filter[userId]={alice}"))
        .await;
    assert_eq!(
        common::ids_of(reply.assert_status(200), "conversations"),
        [other["id"].as_str().unwrap()]
    );
}

#[tokio::test]
async fn download_message_ref() {
    let emu = Emu::start();
    let api = emu.api();
    let c = alice_group(&api).await;
    let path = format!("{CONVERSATIONS}/{}/download", c["id"].as_str().unwrap());
    let alice = api.user_id("alice").await;
    let reference =
        json!({"url": "https://x/y", "bid": "b", "key": "k", "signature": "s", "owner": "o"});

    let reply = api.post(&path, &json!({"userId": alice})).await;
    assert_eq!(reply.assert_status(200), &json!({}));
    let reply = api
        .post(
            &path,
            &json!({"userId": alice, "apple": {"interactiveDataRef": reference}}),
        )
        .await;
    assert_eq!(
        reply.assert_status(200)["interactiveData"]["url"],
        "https://x/y"
    );

    api.post(&path, &json!({}))
        .await
        .assert_error(400, "bad_request", "userId");
    api.post(&path, &json!({"userId": 5}))
        .await
        .assert_error(400, "bad_request", "userId");
    api.post(&path, &json!({"userId": "0123456789abcdef01234567"}))
        .await
        .assert_error(404, "user_not_found", "");
    let mut incomplete = reference.clone();
    incomplete.as_object_mut().unwrap().remove("signature");
    api.post(
        &path,
        &json!({"userId": alice, "apple": {"interactiveDataRef": incomplete}}),
    )
    .await
    .assert_error(400, "bad_request", "signature");
    api.post(&path, &json!({"userId": alice, "apple": {}}))
        .await
        .assert_error(400, "bad_request", "interactiveDataRef");
}

// ---------------------------------------------------------------- bodies

#[tokio::test]
async fn body_over_100_kb_is_413() {
    let emu = Emu::start();
    let api = emu.api();
    let big = json!({"type": "sdkGroup", "padding": "x".repeat(102_400)});
    api.post(CONVERSATIONS, &big)
        .await
        .assert_error(413, "payload_too_large", "");
    // Exactly at the limit is fine (then it fails only on validation).
    let prefix = r#"{"type":"sdkGroup","padding":""#;
    let text = format!("{prefix}{}\"}}", "x".repeat(102_400 - prefix.len() - 2));
    assert_eq!(text.len(), 102_400);
    let reply = Reply::read(
        api.request(Method::POST, CONVERSATIONS)
            .header("content-type", "application/json")
            .body(text)
            .send()
            .await
            .unwrap(),
    )
    .await;
    reply.assert_status(201);
}

#[tokio::test]
async fn malformed_json_and_wrong_content_type_are_400() {
    let emu = Emu::start();
    let api = emu.api();
    let send = |body: &'static str, content_type: &'static str| {
        let api = api.clone();
        async move {
            Reply::read(
                api.request(Method::POST, CONVERSATIONS)
                    .header("content-type", content_type)
                    .body(body)
                    .send()
                    .await
                    .unwrap(),
            )
            .await
        }
    };
    send("{\"type\": ", "application/json")
        .await
        .assert_error(400, "bad_request", "JSON");
    send("", "application/json")
        .await
        .assert_error(400, "bad_request", "body");
    send("[]", "application/json")
        .await
        .assert_error(400, "bad_request", "object");
    send(r#"{"type":"sdkGroup"}"#, "text/plain")
        .await
        .assert_error(400, "bad_request", "Content-Type");
    send(r#"{"type":"sdkGroup"}"#, "application/json; charset=utf-8")
        .await
        .assert_status(201);
}

#[tokio::test]
async fn every_response_has_a_fresh_request_id() {
    let emu = Emu::start();
    let api = emu.api();
    let mut seen = HashSet::new();
    for path in [
        "/v2/apps/demo-app/users/alice",
        "/v2/apps/demo-app/users/alice",
        "/nope",
        "/_emulator/faults",
    ] {
        let reply = api.get(path).await;
        let id = reply
            .headers
            .get("x-request-id")
            .expect("x-request-id")
            .to_str()
            .unwrap()
            .to_owned();
        assert!(id.len() >= 16, "{id}");
        assert!(seen.insert(id));
    }
    let anonymous = api
        .with_auth(None)
        .get("/v2/apps/demo-app/users/alice")
        .await;
    assert!(anonymous.headers.contains_key("x-request-id"));
}

// ---------------------------------------------------------------- listing

fn ids(reply: &Value) -> Vec<String> {
    reply["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn pagination_walks_forward_and_backward() {
    let emu = Emu::start();
    let api = emu.api();
    let alice = api.user_id("alice").await;
    let mut created = Vec::new();
    for _ in 0..7 {
        created.push(alice_group(&api).await["id"].as_str().unwrap().to_owned());
    }
    // Someone else's conversation is not listed.
    api.create_conversation(
        &json!({"type": "sdkGroup", "participants": [{"userExternalId": "bob"}]}),
    )
    .await;

    // Forward with afterCursor, size 3.
    let mut seen = Vec::new();
    let mut query = format!("filter[userId]={alice}&page[size]=3");
    let mut pages = 0;
    loop {
        let reply = api.get(&format!("{CONVERSATIONS}?{query}")).await;
        let body = reply.assert_status(200).clone();
        pages += 1;
        let page = ids(&body);
        seen.extend(page.clone());
        let meta = &body["meta"];
        if pages > 1 {
            assert_eq!(meta["beforeCursor"], page[0].as_str(), "{body}");
            assert!(body["links"]["prev"].as_str().is_some());
        } else {
            assert!(meta.get("beforeCursor").is_none() && body["links"].get("prev").is_none());
        }
        if meta["hasMore"] == false {
            assert!(
                meta.get("afterCursor").is_none() && body["links"].get("next").is_none(),
                "{body}"
            );
            break;
        }
        let cursor = meta["afterCursor"].as_str().unwrap();
        assert_eq!(cursor, page.last().unwrap());
        query = format!("filter[userId]={alice}&page[size]=3&page[after]={cursor}");
        assert!(pages < 10);
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, created);

    // Backward from the last one.
    let reply = api
        .get(&format!(
            "{CONVERSATIONS}?filter[userId]={alice}&page[size]=3&page[before]={}",
            created[6]
        ))
        .await;
    let body = reply.assert_status(200).clone();
    assert_eq!(ids(&body), created[3..6].to_vec());
    assert_eq!(body["meta"]["hasMore"], true);
    assert_eq!(body["meta"]["beforeCursor"], created[3].as_str());
    assert_eq!(body["meta"]["afterCursor"], created[5].as_str());
    let reply = api
        .get(&format!(
            "{CONVERSATIONS}?filter[userId]={alice}&page[size]=3&page[before]={}",
            created[3]
        ))
        .await;
    let body = reply.assert_status(200).clone();
    assert_eq!(ids(&body), created[0..3].to_vec());
    assert_eq!(body["meta"]["hasMore"], false);
    assert!(body["meta"].get("beforeCursor").is_none());

    // Default size and the external-id filter.
    let reply = api
        .get(&format!("{CONVERSATIONS}?filter[userExternalId]=alice"))
        .await;
    let body = reply.assert_status(200).clone();
    assert_eq!(ids(&body), created);
    assert_eq!(body["meta"]["hasMore"], false);
}

#[tokio::test]
async fn cursors_survive_deletion_of_their_record() {
    let emu = Emu::start();
    let api = emu.api();
    let mut created = Vec::new();
    for _ in 0..5 {
        created.push(alice_group(&api).await["id"].as_str().unwrap().to_owned());
    }
    api.delete(&format!("{CONVERSATIONS}/{}", created[1]))
        .await
        .assert_status(200);
    let reply = api
        .get(&format!(
            "{CONVERSATIONS}?filter[userExternalId]=alice&page[size]=2&page[after]={}",
            created[1]
        ))
        .await;
    assert_eq!(ids(reply.assert_status(200)), created[2..4].to_vec());
}

#[tokio::test]
async fn links_next_is_absolute_and_works() {
    let emu = Emu::start();
    let api = emu.api();
    for _ in 0..3 {
        alice_group(&api).await;
    }
    // Brackets percent-encoded by the client are understood too.
    let reply = api
        .get(&format!(
            "{CONVERSATIONS}?filter%5BuserExternalId%5D=alice&page%5Bsize%5D=2"
        ))
        .await;
    let body = reply.assert_status(200).clone();
    let next = body["links"]["next"].as_str().unwrap();
    assert!(
        next.starts_with(&format!("{}/v2/apps/demo-app/conversations?", emu.url)),
        "{next}"
    );
    assert!(next.contains("page[size]=2"), "{next}");
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
    assert_eq!(ids(&second).len(), 1);
    assert_eq!(second["meta"]["hasMore"], false);
    let prev = second["links"]["prev"].as_str().unwrap();
    let reply = Reply::read(
        api.http
            .get(prev)
            .header("authorization", api.auth.clone().unwrap())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(ids(reply.assert_status(200)), ids(&body));
}

#[tokio::test]
async fn list_query_errors() {
    let emu = Emu::start();
    let api = emu.api();
    let alice = api.user_id("alice").await;
    let id = "0123456789abcdef01234567";
    let cases = [
        (String::new(), "filter"),
        ("page[size]=3".to_owned(), "filter"),
        (
            format!("filter[userId]={alice}&filter[userExternalId]=alice"),
            "filter",
        ),
        ("filter[userId]=".to_owned(), "filter"),
        (format!("filter[userId]={alice}&page[size]=0"), "page"),
        (format!("filter[userId]={alice}&page[size]=101"), "page"),
        (format!("filter[userId]={alice}&page[size]=abc"), "page"),
        (format!("filter[userId]={alice}&page[size]=-1"), "page"),
        (
            format!("filter[userId]={alice}&page[after]={id}&page[before]={id}"),
            "page",
        ),
        (
            format!("filter[userId]={alice}&page[after]=short"),
            "page[after]",
        ),
        (
            format!("filter[userId]={alice}&page[before]={id}0"),
            "page[before]",
        ),
    ];
    for (query, field) in cases {
        let reply = api.get(&format!("{CONVERSATIONS}?{query}")).await;
        reply.assert_error(400, "bad_request", field);
    }
    api.get(&format!("{CONVERSATIONS}?filter[userId]={id}"))
        .await
        .assert_error(404, "user_not_found", "");
    api.get(&format!("{CONVERSATIONS}?filter[userExternalId]=ghost"))
        .await
        .assert_error(404, "user_not_found", "");
    let reply = api
        .get(&format!(
            "{CONVERSATIONS}?filter[userId]={alice}&page[size]=100"
        ))
        .await;
    assert_eq!(reply.assert_status(200)["conversations"], json!([]));
    assert_eq!(reply.json["meta"]["hasMore"], false);
}
