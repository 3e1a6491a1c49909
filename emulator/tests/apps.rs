//! Black-box tests of the Apps and App Keys routes (account provisioning): list (paged),
//! create, get, update, delete apps; create, list, get, delete app keys; and what account and
//! app keys may each do.

mod common;

use common::{Api, Emu, basic, id, ids_of, is_hex24, jwt};
use serde_json::{Value, json};

async fn create_app(account: &Api, body: Value) -> Value {
    let reply = account.post("/v2/apps", &body).await;
    reply.assert_status(201)["app"].clone()
}

fn as_key(api: &Api, key: &Value) -> Api {
    api.with_auth(Some(basic(
        key["id"].as_str().unwrap(),
        key["secret"].as_str().unwrap(),
    )))
}

// ---------------------------------------------------------------- apps

#[tokio::test]
async fn create_get_update_delete_an_app() {
    let emu = Emu::start();
    let account = emu.account();
    let app = create_app(
        &account,
        json!({"displayName": "My Test App", "metadata": {"tier": "gold"},
               "settings": {"conversationRetentionSeconds": 3600, "useAnimalNames": true}}),
    )
    .await;
    let app_id = id(&app);
    assert!(is_hex24(&app_id));
    assert_eq!(
        app,
        json!({"id": app_id, "displayName": "My Test App",
               "settings": {"appLocalizationEnabled": true, "echoPostback": false,
                            "maskCreditCardNumbers": true, "multiConvoEnabled": false,
                            "useAnimalNames": true, "conversationRetentionSeconds": 3600},
               "metadata": {"tier": "gold"}})
    );
    let path = format!("/v2/apps/{app_id}");
    let reply = account.get(&path).await;
    let mut with_subdomain = app.clone();
    with_subdomain["subdomain"] = json!(app_id);
    assert_eq!(reply.assert_status(200), &json!({"app": with_subdomain}));

    let reply = account
        .patch(
            &path,
            &json!({"displayName": "Renamed", "metadata": null,
                    "settings": {"multiConvoEnabled": true, "endSessionEnabled": true}}),
        )
        .await;
    let updated = reply.assert_status(200)["app"].clone();
    assert_eq!(updated["displayName"], "Renamed");
    assert!(updated.get("metadata").is_none());
    assert!(updated.get("subdomain").is_none());
    assert_eq!(updated["settings"]["useAnimalNames"], true);
    assert_eq!(updated["settings"]["endSessionEnabled"], true);
    account
        .patch(&path, &json!({"settings": {"multiConvoEnabled": false}}))
        .await
        .assert_error(400, "bad_request", "enabling multiConvo is irreversible");

    // The new app works like a seeded one for account keys.
    account
        .post(&format!("{path}/users"), &json!({"externalId": "zoe"}))
        .await
        .assert_status(201);
    let reply = account.delete(&path).await;
    assert_eq!(reply.assert_status(200), &json!({}));
    account
        .get(&path)
        .await
        .assert_error(404, "app_not_found", "App not found");
    account
        .delete(&path)
        .await
        .assert_error(404, "app_not_found", "");
    account
        .get(&format!("{path}/users/zoe"))
        .await
        .assert_error(404, "app_not_found", "");
}

#[tokio::test]
async fn app_bodies_are_checked() {
    let emu = Emu::start();
    let account = emu.account();
    for (body, title) in [
        (json!({}), "displayName is required"),
        (json!({"displayName": null}), "displayName must be a string"),
        (
            json!({"displayName": ""}),
            "displayName must be between 1 and 100",
        ),
        (
            json!({"displayName": "x".repeat(101)}),
            "displayName must be between 1 and 100",
        ),
        (
            json!({"displayName": "a", "settings": []}),
            "settings must be an object",
        ),
        (
            json!({"displayName": "a", "settings": {"echoPostback": "yes"}}),
            "settings.echoPostback must be a boolean",
        ),
        (
            json!({"displayName": "a", "settings": {"conversationRetentionSeconds": -1}}),
            "settings.conversationRetentionSeconds must be between 0",
        ),
        (
            json!({"displayName": "a", "settings": {"disableConversationReopen": true}}),
            "settings.disableConversationReopen needs settings.multiConvoEnabled",
        ),
        (
            json!({"displayName": "a", "metadata": {"a": [1]}}),
            "metadata must be flat",
        ),
        (
            json!({"displayName": "a", "metadata": {"a": "x".repeat(5000)}}),
            "metadata must not exceed 4096 bytes",
        ),
    ] {
        account
            .post("/v2/apps", &body)
            .await
            .assert_error(400, "bad_request", title);
    }
    account
        .patch("/v2/apps/demo-app", &json!({"displayName": ""}))
        .await
        .assert_error(400, "bad_request", "displayName");
    account
        .patch("/v2/apps/nope", &json!({"displayName": "x"}))
        .await
        .assert_error(404, "app_not_found", "");
}

#[tokio::test]
async fn list_apps_pages_in_id_order() {
    let emu = Emu::start();
    let account = emu.account();
    let reply = account.get("/v2/apps").await;
    let seeded = reply.assert_status(200);
    assert_eq!(ids_of(seeded, "apps"), ["demo-app", "other-app"]);
    assert_eq!(
        seeded["apps"][0],
        json!({"id": "demo-app", "displayName": "demo-app",
               "settings": {"appLocalizationEnabled": true, "echoPostback": false,
                            "maskCreditCardNumbers": true, "multiConvoEnabled": false,
                            "useAnimalNames": false}})
    );
    let made: Vec<String> = [
        create_app(&account, json!({"displayName": "A"})).await,
        create_app(&account, json!({"displayName": "B"})).await,
    ]
    .iter()
    .map(id)
    .collect();
    // Created ids (hex, from the clock) sort before the seeded names.
    let reply = account.get("/v2/apps?page[size]=3").await;
    let first = reply.assert_status(200);
    assert_eq!(
        ids_of(first, "apps"),
        [made[0].clone(), made[1].clone(), "demo-app".to_owned()]
    );
    assert_eq!(first["meta"]["hasMore"], true);
    assert_eq!(first["meta"]["afterCursor"], "demo-app");
    let next = first["links"]["next"].as_str().unwrap();
    assert!(
        next.ends_with("/v2/apps?page[after]=demo-app&page[size]=3"),
        "{next}"
    );
    let reply = account
        .get("/v2/apps?page[after]=demo-app&page[size]=3")
        .await;
    let rest = reply.assert_status(200);
    assert_eq!(ids_of(rest, "apps"), ["other-app"]);
    assert_eq!(rest["meta"]["hasMore"], false);
    let reply = account.get("/v2/apps?page[before]=demo-app").await;
    assert_eq!(ids_of(reply.assert_status(200), "apps"), made);
    // A cursor is 24 characters (the spec's page schema) or a seeded app's id, even once that
    // app is deleted.
    for query in [
        "page[after]=",
        "page[size]=101",
        "page[before]=nope",
        "page[after]=5e1606762556d93e9c176f6",
    ] {
        account
            .get(&format!("/v2/apps?{query}"))
            .await
            .assert_error(400, "bad_request", "Invalid page query parameters");
    }
    let reply = account
        .get("/v2/apps?page[after]=5e1606762556d93e9c176f69")
        .await;
    let mut all = made.clone();
    all.extend(["demo-app".to_owned(), "other-app".to_owned()]);
    assert_eq!(ids_of(reply.assert_status(200), "apps"), all);
    account
        .delete("/v2/apps/other-app")
        .await
        .assert_status(200);
    let reply = account.get("/v2/apps?page[before]=other-app").await;
    assert_eq!(
        reply.assert_status(200)["apps"].as_array().unwrap().len(),
        3
    );
    account
        .get("/v2/apps?filter[serviceAccountId]=svc_1")
        .await
        .assert_error(
            403,
            "forbidden",
            "The serviceAccountId provided does not match supplied credentials",
        );
}

#[tokio::test]
async fn app_keys_reach_their_own_app_and_not_account_provisioning() {
    let emu = Emu::start();
    let app_key = emu.api();
    for reply in [
        app_key.get("/v2/apps").await,
        app_key.post("/v2/apps", &json!({"displayName": "x"})).await,
        app_key.delete("/v2/apps/demo-app").await,
        app_key.get("/v2/apps/demo-app/keys").await,
        app_key
            .post("/v2/apps/demo-app/keys", &json!({"displayName": "k"}))
            .await,
    ] {
        reply.assert_error(403, "forbidden", "This operation needs an account key");
    }
    let reply = app_key.get("/v2/apps/demo-app").await;
    assert_eq!(reply.assert_status(200)["app"]["subdomain"], "demo-app");
    app_key
        .patch("/v2/apps/demo-app", &json!({"displayName": "Demo"}))
        .await
        .assert_status(200);
    app_key
        .get("/v2/apps/other-app")
        .await
        .assert_error(403, "forbidden", "");
    // A JWT claiming account scope gets what its app key may do, no more.
    let claims_account = app_key.with_auth(Some(jwt(
        "demo-key",
        "demo-secret",
        json!({"scope": "account"}),
    )));
    claims_account
        .get("/v2/apps")
        .await
        .assert_error(403, "forbidden", "");
    // An account key's JWT is an account key.
    let account_jwt = app_key.with_auth(Some(jwt(
        "demo-account-key",
        "demo-account-secret",
        json!({"scope": "account"}),
    )));
    account_jwt.get("/v2/apps").await.assert_status(200);
    account_jwt
        .get("/v2/apps/other-app/switchboards")
        .await
        .assert_status(200);
    emu.account()
        .with_auth(Some(basic("demo-account-key", "wrong")))
        .get("/v2/apps")
        .await
        .assert_error(401, "unauthorized", "");
}

// ---------------------------------------------------------------- app keys

#[tokio::test]
async fn create_list_get_delete_app_keys() {
    let emu = Emu::start();
    let account = emu.account();
    let keys = "/v2/apps/demo-app/keys";
    let reply = account.get(keys).await;
    assert_eq!(
        reply.assert_status(200),
        &json!({"keys": [{"id": "demo-key", "displayName": "demo-key", "secret": "demo-secret"}]})
    );
    let reply = account.post(keys, &json!({"displayName": "Key 1"})).await;
    let key = reply.assert_status(201)["key"].clone();
    let key_id = id(&key);
    assert!(
        key_id.starts_with("app_") && is_hex24(&key_id[4..]),
        "{key_id}"
    );
    assert_eq!(key["displayName"], "Key 1");
    // It works at once, with app scope.
    let as_new = as_key(&account, &key);
    as_new
        .get("/v2/apps/demo-app/users/alice")
        .await
        .assert_status(200);
    as_new
        .get("/v2/apps")
        .await
        .assert_error(403, "forbidden", "");
    let reply = account.get(&format!("{keys}/{key_id}")).await;
    assert_eq!(reply.assert_status(200), &json!({"key": key}));
    account
        .get("/v2/apps/other-app/keys/demo-key")
        .await
        .assert_error(404, "not_found", "API key not found");
    for (body, title) in [
        (json!({}), "displayName is required"),
        (
            json!({"displayName": ""}),
            "displayName must be between 1 and 100",
        ),
    ] {
        account
            .post(keys, &body)
            .await
            .assert_error(400, "bad_request", title);
    }
    // Ten per app: the seed's one and nine more.
    for i in 0..8 {
        account
            .post(keys, &json!({"displayName": format!("k{i}")}))
            .await
            .assert_status(201);
    }
    account
        .post(keys, &json!({"displayName": "eleventh"}))
        .await
        .assert_error(400, "bad_request", "An app can have a maximum of 10 keys");
    // Deleting a key (even a seeded one) revokes it.
    account
        .delete(&format!("{keys}/{key_id}"))
        .await
        .assert_status(200);
    as_new
        .get("/v2/apps/demo-app/users/alice")
        .await
        .assert_error(401, "unauthorized", "");
    account
        .delete(&format!("{keys}/demo-key"))
        .await
        .assert_status(200);
    emu.api()
        .get("/v2/apps/demo-app/users/alice")
        .await
        .assert_error(401, "unauthorized", "");
    account
        .delete(&format!("{keys}/demo-key"))
        .await
        .assert_error(404, "not_found", "");
    account
        .get("/v2/apps/nope/keys")
        .await
        .assert_error(404, "app_not_found", "");
    // Reset brings the seeded key back.
    emu.control()
        .send(reqwest::Method::POST, "/_emulator/reset")
        .await
        .assert_status(200);
    emu.api()
        .get("/v2/apps/demo-app/users/alice")
        .await
        .assert_status(200);
}

// ---------------------------------------------------------------- across resources

#[tokio::test]
async fn deleting_an_app_revokes_its_keys_and_its_integrations_keys() {
    let emu = Emu::start();
    let account = emu.account();
    let app = create_app(&account, json!({"displayName": "Short-lived"})).await;
    let base = format!("/v2/apps/{}", id(&app));
    let key = account
        .post(&format!("{base}/keys"), &json!({"displayName": "k"}))
        .await
        .assert_status(201)["key"]
        .clone();
    let app_key = as_key(&account, &key);
    let integration = app_key
        .post(
            &format!("{base}/integrations"),
            &json!({"type": "custom", "webhooks": [
                {"target": "https://example.com/h", "triggers": ["conversation:message"]}]}),
        )
        .await
        .assert_status(201)["integration"]
        .clone();
    let int_key = app_key
        .post(
            &format!("{base}/integrations/{}/keys", id(&integration)),
            &json!({"displayName": "k"}),
        )
        .await
        .assert_status(201)["key"]
        .clone();
    let int_key = as_key(&account, &int_key);
    int_key
        .get(&format!("{base}/integrations/me/webhooks"))
        .await
        .assert_status(200);
    // The app key cannot delete its own app.
    app_key
        .delete(&base)
        .await
        .assert_error(403, "forbidden", "");
    account.delete(&base).await.assert_status(200);
    for client in [&app_key, &int_key] {
        client.get(&format!("{base}/users/x")).await.assert_error(
            401,
            "unauthorized",
            "Unknown API key id",
        );
    }
    let reply = account.get("/v2/apps").await;
    assert_eq!(
        ids_of(reply.assert_status(200), "apps"),
        ["demo-app", "other-app"]
    );
}
