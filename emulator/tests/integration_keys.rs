//! Black-box tests of the Custom Integration API Keys routes, and of what the keys they make
//! may do: call the integration-scoped operations of their app, nothing else.

mod common;

use common::{Api, Emu, basic, id, jwt};
use serde_json::{Value, json};

const INTEGRATIONS: &str = "/v2/apps/demo-app/integrations";
const CONVERSATIONS: &str = "/v2/apps/demo-app/conversations";
const SWITCHBOARDS: &str = "/v2/apps/demo-app/switchboards";

async fn custom(api: &Api) -> Value {
    let reply = api
        .post(
            INTEGRATIONS,
            &json!({"type": "custom", "webhooks": [
                {"target": "https://example.com/hook", "triggers": ["conversation:message"]}]}),
        )
        .await;
    reply.assert_status(201)["integration"].clone()
}

fn keys_path(integration: &Value) -> String {
    format!("{INTEGRATIONS}/{}/keys", id(integration))
}

async fn create_key(api: &Api, integration: &Value) -> Value {
    let reply = api
        .post(&keys_path(integration), &json!({"displayName": "My key"}))
        .await;
    reply.assert_status(201)["key"].clone()
}

/// A client authenticated with `key` (Basic).
fn as_key(api: &Api, key: &Value) -> Api {
    api.with_auth(Some(basic(
        key["id"].as_str().unwrap(),
        key["secret"].as_str().unwrap(),
    )))
}

#[tokio::test]
async fn create_list_get_delete_keys() {
    let emu = Emu::start();
    let api = emu.api();
    let integration = custom(&api).await;
    let key = create_key(&api, &integration).await;
    let key_id = id(&key);
    assert!(key_id.starts_with("int_") && key_id.len() == 28, "{key_id}");
    assert_eq!(key["displayName"], "My key");
    assert!(key["secret"].as_str().unwrap().len() >= 32);
    let second = create_key(&api, &integration).await;
    assert_ne!(key["secret"], second["secret"]);
    let reply = api.get(&keys_path(&integration)).await;
    assert_eq!(reply.assert_status(200), &json!({"keys": [key, second]}));
    let path = format!("{}/{key_id}", keys_path(&integration));
    let reply = api.get(&path).await;
    assert_eq!(reply.assert_status(200), &json!({"key": key}));
    let reply = api.delete(&path).await;
    assert_eq!(reply.assert_status(200), &json!({}));
    api.get(&path)
        .await
        .assert_error(404, "not_found", "API key not found");
    api.delete(&path).await.assert_error(404, "not_found", "");
}

#[tokio::test]
async fn key_errors() {
    let emu = Emu::start();
    let api = emu.api();
    let integration = custom(&api).await;
    let path = keys_path(&integration);
    for (body, title) in [
        (json!({}), "displayName is required"),
        (
            json!({"displayName": ""}),
            "displayName must be between 1 and 100",
        ),
        (json!({"displayName": 7}), "displayName must be a string"),
    ] {
        api.post(&path, &body)
            .await
            .assert_error(400, "bad_request", title);
    }
    let web = api
        .post(INTEGRATIONS, &json!({"type": "web"}))
        .await
        .assert_status(201)["integration"]
        .clone();
    api.post(&keys_path(&web), &json!({"displayName": "k"}))
        .await
        .assert_error(
            400,
            "bad_request",
            "API keys are available only for custom integrations",
        );
    api.get(&keys_path(&web)).await.assert_error(
        400,
        "bad_request",
        "only for custom integrations",
    );
    api.get(&format!("{INTEGRATIONS}/5e4af71a81966cfff3ef6550/keys"))
        .await
        .assert_error(404, "integration_not_found", "");
    // A key of another integration is not found under this one.
    let other = custom(&api).await;
    let key = create_key(&api, &other).await;
    api.get(&format!("{path}/{}", id(&key)))
        .await
        .assert_error(404, "not_found", "");
    // Ten keys at most.
    for _ in 0..10 {
        create_key(&api, &integration).await;
    }
    api.post(&path, &json!({"displayName": "eleventh"}))
        .await
        .assert_error(
            400,
            "bad_request",
            "An integration can have a maximum of 10 keys",
        );
    // The key routes need app or account scope.
    as_key(&api, &key)
        .get(&path)
        .await
        .assert_error(403, "forbidden", "");
}

#[tokio::test]
async fn integration_keys_authenticate_with_integration_scope() {
    let emu = Emu::start();
    let api = emu.api();
    let integration = custom(&api).await;
    let key = create_key(&api, &integration).await;
    let basic_key = as_key(&api, &key);
    let bearer_key = api.with_auth(Some(jwt(
        key["id"].as_str().unwrap(),
        key["secret"].as_str().unwrap(),
        json!({"scope": "integration"}),
    )));
    for client in [&basic_key, &bearer_key] {
        // Users and conversations: yes.
        client
            .get("/v2/apps/demo-app/users/alice")
            .await
            .assert_status(200);
        client
            .post(
                CONVERSATIONS,
                &json!({"type": "sdkGroup", "participants": [{"userExternalId": "bob"}]}),
            )
            .await
            .assert_status(201);
        // Integrations and switchboards: no.
        client.get(INTEGRATIONS).await.assert_error(
            403,
            "forbidden",
            "Integration keys and OAuth tokens",
        );
        client
            .send(reqwest::Method::POST, SWITCHBOARDS, None)
            .await
            .assert_error(403, "forbidden", "");
        // Another app: no.
        client.get("/v2/apps/other-app/users/x").await.assert_error(
            403,
            "forbidden",
            "does not have access to this app",
        );
    }
    // A wrong secret is 401.
    api.with_auth(Some(basic(key["id"].as_str().unwrap(), "nope")))
        .get("/v2/apps/demo-app/users/alice")
        .await
        .assert_error(401, "unauthorized", "");
}

// ---------------------------------------------------------------- across resources

#[tokio::test]
async fn deleting_a_key_or_its_integration_revokes_it() {
    let emu = Emu::start();
    let api = emu.api();
    let integration = custom(&api).await;
    let first = create_key(&api, &integration).await;
    let second = create_key(&api, &integration).await;
    api.delete(&format!("{}/{}", keys_path(&integration), id(&first)))
        .await
        .assert_status(200);
    as_key(&api, &first)
        .get("/v2/apps/demo-app/users/alice")
        .await
        .assert_error(401, "unauthorized", "Unknown API key id");
    as_key(&api, &second)
        .get("/v2/apps/demo-app/users/alice")
        .await
        .assert_status(200);
    api.delete(&format!("{INTEGRATIONS}/{}", id(&integration)))
        .await
        .assert_status(200);
    as_key(&api, &second)
        .get("/v2/apps/demo-app/users/alice")
        .await
        .assert_error(401, "unauthorized", "");
}

#[tokio::test]
async fn integration_scope_accepts_and_releases_only_its_own_control() {
    let emu = Emu::start();
    let api = emu.api();
    let bot = custom(&api).await;
    let desk = custom(&api).await;
    let bot_key = as_key(&api, &create_key(&api, &bot).await);
    let desk_key = as_key(&api, &create_key(&api, &desk).await);
    let switchboard = api
        .send(reqwest::Method::POST, SWITCHBOARDS, None)
        .await
        .assert_status(201)["switchboard"]
        .clone();
    let sbis = format!(
        "{SWITCHBOARDS}/{}/switchboardIntegrations",
        id(&switchboard)
    );
    for (name, integration) in [("bot", &bot), ("desk", &desk)] {
        api.post(
            &sbis,
            &json!({"name": name, "integrationId": id(integration)}),
        )
        .await
        .assert_status(201);
    }
    let conversation = api
        .create_conversation(
            &json!({"type": "personal", "participants": [{"userExternalId": "alice"}]}),
        )
        .await;
    let act = |name: &str| format!("{CONVERSATIONS}/{}/{name}", id(&conversation));
    // Any integration may pass and offer.
    bot_key
        .post(
            &act("passControl"),
            &json!({"switchboardIntegration": "bot"}),
        )
        .await
        .assert_status(200);
    bot_key
        .post(
            &act("offerControl"),
            &json!({"switchboardIntegration": "desk"}),
        )
        .await
        .assert_status(200);
    // Only the one offered control may accept it.
    bot_key
        .post(&act("acceptControl"), &json!({}))
        .await
        .assert_error(
            403,
            "forbidden",
            "The pending switchboard integration is not the authenticated integration",
        );
    desk_key
        .post(&act("acceptControl"), &json!({}))
        .await
        .assert_status(200);
    // Only the one in control may release it.
    bot_key
        .post(&act("releaseControl"), &json!({}))
        .await
        .assert_error(
            403,
            "forbidden",
            "The authenticated integration is not in control of the conversation",
        );
    desk_key
        .post(&act("releaseControl"), &json!({}))
        .await
        .assert_status(200);
    // With nobody in control, no integration may release.
    desk_key
        .post(&act("releaseControl"), &json!({}))
        .await
        .assert_error(403, "forbidden", "");
    // App scope may always.
    api.post(&act("releaseControl"), &json!({}))
        .await
        .assert_status(200);
}
