//! Black-box tests of the Webhooks routes under a custom integration: create (with its secret),
//! list, get, update, delete; `me` for integration credentials; the app's limit of 10.

mod common;

use common::{Api, Emu, basic, id, is_hex24};
use serde_json::{Value, json};

const INTEGRATIONS: &str = "/v2/apps/demo-app/integrations";

/// A custom integration without webhooks (its one initial webhook is deleted).
async fn bare_custom(api: &Api) -> Value {
    let reply = api
        .post(
            INTEGRATIONS,
            &json!({"type": "custom", "webhooks": [
                {"target": "https://example.com/first", "triggers": ["conversation:message"]}]}),
        )
        .await;
    let integration = reply.assert_status(201)["integration"].clone();
    let first = id(&integration["webhooks"][0]);
    api.delete(&format!("{}/{first}", hooks(&integration)))
        .await
        .assert_status(200);
    integration
}

fn hooks(integration: &Value) -> String {
    format!("{INTEGRATIONS}/{}/webhooks", id(integration))
}

fn hook_body() -> Value {
    json!({"target": "https://example.com/callback",
           "triggers": ["conversation:read", "conversation:message"]})
}

async fn create_hook(api: &Api, path: &str, body: &Value) -> Value {
    let reply = api.post(path, body).await;
    reply.assert_status(201)["webhook"].clone()
}

#[tokio::test]
async fn create_list_get_update_delete() {
    let emu = Emu::start();
    let api = emu.api();
    let integration = bare_custom(&api).await;
    let path = hooks(&integration);
    let reply = api.get(&path).await;
    assert_eq!(reply.assert_status(200), &json!({"webhooks": []}));
    let hook = create_hook(&api, &path, &hook_body()).await;
    assert!(is_hex24(&id(&hook)));
    let secret = hook["secret"].as_str().unwrap().to_owned();
    assert_eq!(secret.len(), 32);
    assert_eq!(
        hook,
        json!({"id": id(&hook), "version": "v2", "target": "https://example.com/callback",
               "triggers": ["conversation:read", "conversation:message"], "secret": secret,
               "includeFullUser": false, "includeFullSource": false})
    );
    let full = create_hook(
        &api,
        &path,
        &json!({"target": "http://localhost:9000/hook", "triggers": ["switchboard:passControl"],
                "includeFullUser": true, "includeFullSource": true}),
    )
    .await;
    assert_ne!(full["secret"], hook["secret"]);
    let reply = api.get(&path).await;
    assert_eq!(reply.assert_status(200), &json!({"webhooks": [hook, full]}));
    let one = format!("{path}/{}", id(&hook));
    let reply = api.get(&one).await;
    assert_eq!(reply.assert_status(200), &json!({"webhook": hook}));
    // The integration shows them too.
    let reply = api
        .get(&format!("{INTEGRATIONS}/{}", id(&integration)))
        .await;
    assert_eq!(
        reply.assert_status(200)["integration"]["webhooks"],
        json!([hook, full])
    );

    let reply = api
        .patch(
            &one,
            &json!({"triggers": ["user:remove"], "includeFullUser": true}),
        )
        .await;
    let updated = reply.assert_status(200)["webhook"].clone();
    assert_eq!(updated["triggers"], json!(["user:remove"]));
    assert_eq!(updated["includeFullUser"], true);
    assert_eq!(updated["target"], hook["target"]);
    assert_eq!(updated["secret"], hook["secret"]);
    let reply = api
        .patch(&one, &json!({"target": "https://example.org/new"}))
        .await;
    assert_eq!(
        reply.assert_status(200)["webhook"]["target"],
        "https://example.org/new"
    );

    let reply = api.delete(&one).await;
    assert_eq!(reply.assert_status(200), &json!({}));
    api.get(&one)
        .await
        .assert_error(404, "not_found", "Webhook not found");
    api.patch(&one, &json!({"includeFullUser": false}))
        .await
        .assert_error(404, "not_found", "");
    api.delete(&one).await.assert_error(404, "not_found", "");
}

#[tokio::test]
async fn webhook_bodies_are_checked() {
    let emu = Emu::start();
    let api = emu.api();
    let integration = bare_custom(&api).await;
    let path = hooks(&integration);
    for (body, title) in [
        (
            json!({"triggers": ["conversation:message"]}),
            "target is required",
        ),
        (json!({"target": "https://x.io"}), "triggers is required"),
        (
            json!({"target": "mailto:a@b.c", "triggers": ["conversation:message"]}),
            "target must be an http or https URL",
        ),
        (
            json!({"target": "https://x.io", "triggers": "conversation:message"}),
            "triggers must be an array",
        ),
        (
            json!({"target": "https://x.io", "triggers": []}),
            "triggers must contain at least 1 items",
        ),
        (
            json!({"target": "https://x.io", "triggers": ["conversation:message", "*"]}),
            "triggers[1] \"*\" is not a webhook trigger",
        ),
        (
            json!({"target": "https://x.io", "triggers": [3]}),
            "triggers[0] must be a string",
        ),
        (
            json!({"target": "https://x.io", "triggers": ["user:merge"], "includeFullUser": "yes"}),
            "includeFullUser must be a boolean",
        ),
    ] {
        api.post(&path, &body)
            .await
            .assert_error(400, "bad_request", title);
    }
    let hook = create_hook(&api, &path, &hook_body()).await;
    let one = format!("{path}/{}", id(&hook));
    for (body, title) in [
        (json!({"target": null}), "target must be a string"),
        (json!({"triggers": ["nope"]}), "is not a webhook trigger"),
        (
            json!({"includeFullSource": null}),
            "includeFullSource must be a boolean",
        ),
    ] {
        api.patch(&one, &body)
            .await
            .assert_error(400, "bad_request", title);
    }
    // Channels have no webhooks; unknown integrations are 404.
    let web = api
        .post(INTEGRATIONS, &json!({"type": "web"}))
        .await
        .assert_status(201)["integration"]
        .clone();
    api.post(&hooks(&web), &hook_body()).await.assert_error(
        400,
        "bad_request",
        "not to a web channel",
    );
    api.get(&format!("{INTEGRATIONS}/5e4af71a81966cfff3ef6550/webhooks"))
        .await
        .assert_error(404, "integration_not_found", "");
    // `me` means nothing to an app key.
    api.get(&format!("{INTEGRATIONS}/me/webhooks"))
        .await
        .assert_error(404, "integration_not_found", "");
    api.with_auth(Some(basic("other-key", "other-secret")))
        .get(&path)
        .await
        .assert_error(403, "forbidden", "");
}

#[tokio::test]
async fn integration_keys_manage_their_own_webhooks_through_me() {
    let emu = Emu::start();
    let api = emu.api();
    let mine = bare_custom(&api).await;
    let theirs = bare_custom(&api).await;
    let key = api
        .post(
            &format!("{INTEGRATIONS}/{}/keys", id(&mine)),
            &json!({"displayName": "k"}),
        )
        .await
        .assert_status(201)["key"]
        .clone();
    let as_key = api.with_auth(Some(basic(
        key["id"].as_str().unwrap(),
        key["secret"].as_str().unwrap(),
    )));
    let me = format!("{INTEGRATIONS}/me/webhooks");
    let hook = create_hook(&as_key, &me, &hook_body()).await;
    // The same webhook, seen by the app under the integration's id.
    let reply = api.get(&hooks(&mine)).await;
    assert_eq!(reply.assert_status(200), &json!({"webhooks": [hook]}));
    let reply = as_key.get(&format!("{me}/{}", id(&hook))).await;
    assert_eq!(reply.assert_status(200)["webhook"], hook);
    as_key.get(&hooks(&mine)).await.assert_status(200);
    // Another integration's webhooks are out of reach.
    as_key
        .get(&hooks(&theirs))
        .await
        .assert_error(403, "forbidden", "its own webhooks");
    as_key
        .post(&hooks(&theirs), &hook_body())
        .await
        .assert_error(403, "forbidden", "");
    as_key
        .delete(&format!("{me}/{}", id(&hook)))
        .await
        .assert_status(200);
}

#[tokio::test]
async fn an_app_holds_ten_webhooks_and_deleting_an_integration_frees_its_own() {
    let emu = Emu::start();
    let api = emu.api();
    let first = bare_custom(&api).await;
    let second = bare_custom(&api).await;
    for _ in 0..6 {
        create_hook(&api, &hooks(&first), &hook_body()).await;
    }
    let mut on_second = Vec::new();
    for _ in 0..4 {
        on_second.push(create_hook(&api, &hooks(&second), &hook_body()).await);
    }
    api.post(&hooks(&first), &hook_body()).await.assert_error(
        400,
        "bad_request",
        "An app is limited to 10 webhooks",
    );
    // Deleting the second integration takes its webhooks with it.
    api.delete(&format!("{INTEGRATIONS}/{}", id(&second)))
        .await
        .assert_status(200);
    api.get(&format!("{}/{}", hooks(&second), id(&on_second[0])))
        .await
        .assert_error(404, "integration_not_found", "");
    for _ in 0..4 {
        create_hook(&api, &hooks(&first), &hook_body()).await;
    }
    let reply = api.get(&hooks(&first)).await;
    assert_eq!(
        reply.assert_status(200)["webhooks"]
            .as_array()
            .unwrap()
            .len(),
        10
    );
}
