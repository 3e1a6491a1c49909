//! Black-box tests of the OAuth endpoints: GetToken (codes from the seed or the control
//! endpoint), the token as a Bearer credential with integration scope, GetTokenInfo and
//! RevokeAccess; and what a token's integration is to integrations, webhooks and switchboards.

mod common;

use common::{Api, Emu, Reply, basic};
use reqwest::Method;
use serde_json::{Value, json};

const CLIENT: &str = "demo-oauth-client";
const SECRET: &str = "demo-oauth-secret";

fn token_body(code: &str) -> Value {
    json!({"code": code, "grant_type": "authorization_code", "client_id": CLIENT,
           "client_secret": SECRET})
}

/// POSTs `/oauth/token` without credentials.
async fn get_token(emu: &Emu, body: &Value) -> Reply {
    emu.api().with_auth(None).post("/oauth/token", body).await
}

/// A client using the access token that `code` is exchanged for.
async fn bearer(emu: &Emu, code: &str) -> Api {
    let reply = get_token(emu, &token_body(code)).await;
    let body = reply.assert_status(200);
    assert_eq!(body["token_type"], "Bearer");
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(token.split('.').count(), 3, "a JWT: {token}");
    emu.api().with_auth(Some(format!("Bearer {token}")))
}

async fn new_code(emu: &Emu, app: &str, client: &str) -> Reply {
    emu.control()
        .send_json(
            Method::POST,
            &format!("/_emulator/apps/{app}/oauth-codes"),
            &json!({ "clientId": client }),
        )
        .await
}

async fn oauth_integrations(api: &Api) -> Vec<Value> {
    let reply = api
        .get(&format!(
            "/v2/apps/demo-app/integrations?filter[types]={CLIENT}"
        ))
        .await;
    reply.assert_status(200)["integrations"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn a_code_becomes_a_token_with_integration_scope() {
    let emu = Emu::start();
    let api = emu.api();
    let token = bearer(&emu, "demo-code").await;
    // Users and conversations: yes; integrations, apps: no.
    token
        .get("/v2/apps/demo-app/users/alice")
        .await
        .assert_status(200);
    token
        .get("/v2/apps/demo-app/integrations")
        .await
        .assert_error(403, "forbidden", "");
    token
        .get("/v2/apps/other-app/users/x")
        .await
        .assert_error(403, "forbidden", "");
    // The exchange installed the client's integration in the app.
    let installed = oauth_integrations(&api).await;
    assert_eq!(installed.len(), 1);
    assert_eq!(installed[0]["type"], CLIENT);
    assert_eq!(installed[0]["displayName"], "Demo partner");
    assert_eq!(installed[0]["status"], "active");
    // Its webhooks, through `me`.
    let hook = token
        .post(
            "/v2/apps/demo-app/integrations/me/webhooks",
            &json!({"target": "https://partner.example/hook", "triggers": ["conversation:message"]}),
        )
        .await
        .assert_status(201)["webhook"]
        .clone();
    let reply = api
        .get(&format!(
            "/v2/apps/demo-app/integrations/{}/webhooks",
            installed[0]["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(reply.assert_status(200)["webhooks"], json!([hook]));
    // The integration has no API keys: it is not custom.
    api.post(
        &format!(
            "/v2/apps/demo-app/integrations/{}/keys",
            installed[0]["id"].as_str().unwrap()
        ),
        &json!({"displayName": "k"}),
    )
    .await
    .assert_error(400, "bad_request", "only for custom integrations");

    // A code is exchanged once; a fresh one gives another token for the same integration.
    get_token(&emu, &token_body("demo-code"))
        .await
        .assert_error(400, "invalid_grant", "already used");
    let code = new_code(&emu, "demo-app", CLIENT).await.assert_status(201)["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let second = bearer(&emu, &code).await;
    let reply = second
        .get("/v2/apps/demo-app/integrations/me/webhooks")
        .await;
    assert_eq!(reply.assert_status(200)["webhooks"], json!([hook]));
    assert_eq!(oauth_integrations(&api).await.len(), 1);
    // Reset restores the seed's code.
    emu.control()
        .send(Method::POST, "/_emulator/reset")
        .await
        .assert_status(200);
    bearer(&emu, "demo-code").await;
}

#[tokio::test]
async fn get_token_errors() {
    let emu = Emu::start();
    let mut body = token_body("demo-code");
    for field in ["code", "grant_type", "client_id", "client_secret"] {
        let mut missing = body.clone();
        missing.as_object_mut().unwrap().remove(field);
        get_token(&emu, &missing).await.assert_error(
            400,
            "bad_request",
            &format!("{field} is required"),
        );
    }
    body["grant_type"] = json!("client_credentials");
    get_token(&emu, &body)
        .await
        .assert_error(400, "unsupported_grant_type", "authorization_code");
    body["grant_type"] = json!("authorization_code");
    body["client_secret"] = json!("wrong");
    get_token(&emu, &body)
        .await
        .assert_error(401, "invalid_client", "");
    body["client_secret"] = json!(SECRET);
    body["client_id"] = json!("someone-else");
    get_token(&emu, &body)
        .await
        .assert_error(401, "invalid_client", "");
    get_token(&emu, &token_body("no-such-code"))
        .await
        .assert_error(400, "invalid_grant", "");
    // Codes granted by the control endpoint need a known client and app.
    new_code(&emu, "demo-app", "nobody").await.assert_error(
        400,
        "bad_request",
        "Unknown OAuth clientId",
    );
    new_code(&emu, "nope", CLIENT)
        .await
        .assert_error(404, "app_not_found", "");
    // A code of a deleted app is no good.
    let account = emu.account();
    let app = account
        .post("/v2/apps", &json!({"displayName": "Gone"}))
        .await
        .assert_status(201)["app"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let code = new_code(&emu, &app, CLIENT).await.assert_status(201)["code"]
        .as_str()
        .unwrap()
        .to_owned();
    account
        .delete(&format!("/v2/apps/{app}"))
        .await
        .assert_status(200);
    get_token(&emu, &token_body(&code))
        .await
        .assert_error(400, "invalid_grant", "");
}

#[tokio::test]
async fn codes_belong_to_their_client() {
    let dir = std::env::temp_dir().join(format!("sunco-oauth-seed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let seed = dir.join("seed.json");
    std::fs::write(
        &seed,
        r#"{"oauthClients":[
             {"clientId":"a-client","clientSecret":"a-secret","codes":[{"code":"code-a","appId":"app"}]},
             {"clientId":"b-client","clientSecret":"b-secret"}],
            "apps":[{"id":"app","keys":[{"id":"k","secret":"s"}]}]}"#,
    )
    .unwrap();
    let emu = Emu::start_with(&["--seed", seed.to_str().unwrap()]);
    let reply = emu
        .api()
        .with_auth(None)
        .post(
            "/oauth/token",
            &json!({"code": "code-a", "grant_type": "authorization_code",
                    "client_id": "b-client", "client_secret": "b-secret"}),
        )
        .await;
    reply.assert_error(400, "invalid_grant", "another client");
    let reply = emu
        .api()
        .with_auth(None)
        .post(
            "/oauth/token",
            &json!({"code": "code-a", "grant_type": "authorization_code",
                    "client_id": "a-client", "client_secret": "a-secret"}),
        )
        .await;
    reply.assert_status(200);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_switchboard_integration_named_by_client_id_links_the_installed_integration() {
    let emu = Emu::start();
    let api = emu.api();
    let switchboard = api
        .send(Method::POST, "/v2/apps/demo-app/switchboards", None)
        .await
        .assert_status(201)["switchboard"]
        .clone();
    let sbis = format!(
        "/v2/apps/demo-app/switchboards/{}/switchboardIntegrations",
        switchboard["id"].as_str().unwrap()
    );
    let before = api
        .post(
            &sbis,
            &json!({"name": "partner", "integrationType": CLIENT}),
        )
        .await
        .assert_status(201)["switchboardIntegration"]
        .clone();
    bearer(&emu, "demo-code").await;
    let installed = oauth_integrations(&api).await[0]["id"].clone();
    assert_ne!(before["integrationId"], installed);
    let reply = api.get(&sbis).await;
    assert_eq!(
        reply.assert_status(200)["switchboardIntegrations"][0]["integrationId"],
        installed
    );
}

#[tokio::test]
async fn token_info_answers_for_the_credentials_used() {
    let emu = Emu::start();
    let token = bearer(&emu, "demo-code").await;
    let reply = token.get("/v2/tokenInfo").await;
    let app = reply.assert_status(200)["app"].clone();
    assert_eq!(app["id"], "demo-app");
    assert_eq!(app["subdomain"], "demo-app");
    assert_eq!(app["displayName"], "demo-app");
    assert!(app["settings"].is_object());
    let reply = emu
        .api()
        .with_auth(Some(basic("other-key", "other-secret")))
        .get("/v2/tokenInfo")
        .await;
    assert_eq!(reply.assert_status(200)["app"]["id"], "other-app");
    emu.account()
        .get("/v2/tokenInfo")
        .await
        .assert_error(403, "forbidden", "not bound to one app");
    emu.api()
        .with_auth(None)
        .get("/v2/tokenInfo")
        .await
        .assert_error(401, "unauthorized", "");
    emu.api()
        .with_auth(Some("Bearer not.a.token".into()))
        .get("/v2/tokenInfo")
        .await
        .assert_error(401, "unauthorized", "");
}

// ---------------------------------------------------------------- across resources

#[tokio::test]
async fn revoking_access_removes_the_integration_its_webhooks_and_its_tokens() {
    let emu = Emu::start();
    let api = emu.api();
    let token = bearer(&emu, "demo-code").await;
    let code = new_code(&emu, "demo-app", CLIENT).await.assert_status(201)["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let second = bearer(&emu, &code).await;
    token
        .post(
            "/v2/apps/demo-app/integrations/me/webhooks",
            &json!({"target": "https://partner.example/hook", "triggers": ["user:remove"]}),
        )
        .await
        .assert_status(201);
    let installed = oauth_integrations(&api).await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // The switchboard links the partner by its client id; the token may accept control.
    let switchboard = api
        .send(Method::POST, "/v2/apps/demo-app/switchboards", None)
        .await
        .assert_status(201)["switchboard"]
        .clone();
    let sbis = format!(
        "/v2/apps/demo-app/switchboards/{}/switchboardIntegrations",
        switchboard["id"].as_str().unwrap()
    );
    let partner = api
        .post(
            &sbis,
            &json!({"name": "partner", "integrationType": CLIENT}),
        )
        .await
        .assert_status(201)["switchboardIntegration"]
        .clone();
    assert_eq!(partner["integrationId"], installed);
    let conversation = api
        .create_conversation(
            &json!({"type": "personal", "participants": [{"userExternalId": "alice"}]}),
        )
        .await;
    let act = |name: &str| {
        format!(
            "/v2/apps/demo-app/conversations/{}/{name}",
            conversation["id"].as_str().unwrap()
        )
    };
    api.post(
        &act("offerControl"),
        &json!({"switchboardIntegration": CLIENT}),
    )
    .await
    .assert_status(200);
    token
        .post(&act("acceptControl"), &json!({}))
        .await
        .assert_status(200);

    // Other credentials cannot revoke.
    api.send(Method::DELETE, "/oauth/authorization", None)
        .await
        .assert_error(
            403,
            "forbidden",
            "Only an OAuth access token can revoke access",
        );
    emu.account()
        .send(Method::DELETE, "/oauth/authorization", None)
        .await
        .assert_error(403, "forbidden", "");
    api.with_auth(None)
        .send(Method::DELETE, "/oauth/authorization", None)
        .await
        .assert_error(401, "unauthorized", "");

    let reply = token
        .send(Method::DELETE, "/oauth/authorization", None)
        .await;
    assert_eq!(reply.assert_status(200), &json!({}));
    for client in [&token, &second] {
        client
            .get("/v2/apps/demo-app/users/alice")
            .await
            .assert_error(401, "unauthorized", "");
    }
    assert!(oauth_integrations(&api).await.is_empty());
    api.get(&format!(
        "/v2/apps/demo-app/integrations/{installed}/webhooks"
    ))
    .await
    .assert_error(404, "integration_not_found", "");
    let reply = api.get(&sbis).await;
    assert_eq!(
        reply.assert_status(200)["switchboardIntegrations"],
        json!([])
    );
    let reply = api
        .get(&format!(
            "/v2/apps/demo-app/conversations/{}",
            conversation["id"].as_str().unwrap()
        ))
        .await;
    assert!(
        reply.assert_status(200)["conversation"]
            .get("activeSwitchboardIntegration")
            .is_none()
    );
    // The user can allow the partner again.
    let code = new_code(&emu, "demo-app", CLIENT).await.assert_status(201)["code"]
        .as_str()
        .unwrap()
        .to_owned();
    bearer(&emu, &code)
        .await
        .get("/v2/tokenInfo")
        .await
        .assert_status(200);
}
