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
    // Its update takes a displayName, not the fields of custom or channel integrations.
    let path = format!(
        "/v2/apps/demo-app/integrations/{}",
        installed[0]["id"].as_str().unwrap()
    );
    for field in ["webhooks", "showAIDisclaimer", "defaultResponderId"] {
        api.patch(&path, &json!({ field: null }))
            .await
            .assert_error(400, "bad_request", "is not a field of demo-oauth-client");
    }
    let reply = api.patch(&path, &json!({"displayName": "Partner"})).await;
    assert_eq!(
        reply.assert_status(200)["integration"]["displayName"],
        "Partner"
    );

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

const CALLBACK: &str = "https://partner.example/oauth/callback";

/// GETs `/oauth/authorize?{query}` without credentials and without following the redirect.
async fn authorize(emu: &Emu, query: &str) -> Reply {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = http
        .get(format!("{}/oauth/authorize?{query}", emu.url))
        .send()
        .await
        .unwrap();
    Reply::read(response).await
}

/// The `Location` of a 302, split into the URI before `?` and its decoded query pairs.
fn location(reply: &Reply) -> (String, Vec<(String, String)>) {
    assert_eq!(reply.status.as_u16(), 302, "body: {}", reply.text);
    let location = reply.headers["location"].to_str().unwrap().to_owned();
    assert_eq!(reply.text, format!("Found. Redirecting to {location}"));
    assert!(
        reply.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain"),
        "{:?}",
        reply.headers
    );
    let (base, query) = location.split_once('?').unwrap();
    let url = reqwest::Url::parse(&format!("http://x/?{query}")).unwrap();
    let pairs = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    (base.to_owned(), pairs)
}

#[tokio::test]
async fn authorize_redirects_with_a_code_that_get_token_exchanges_once() {
    let emu = Emu::start();
    let reply = authorize(
        &emu,
        &format!("response_type=code&client_id={CLIENT}&state=a%20b%26c"),
    )
    .await;
    // No redirect_uri: the client's first.
    let (base, pairs) = location(&reply);
    assert_eq!(base, CALLBACK);
    assert_eq!(pairs.len(), 2, "{pairs:?}");
    assert_eq!(pairs[0].0, "code");
    assert_eq!(pairs[1], ("state".to_owned(), "a b&c".to_owned()));
    let code = pairs[0].1.clone();
    // The code is for the seed's first app (demo-app) and this client.
    let token = bearer(&emu, &code).await;
    let info = token.get("/v2/tokenInfo").await;
    assert_eq!(info.assert_status(200)["app"]["id"], "demo-app");
    get_token(&emu, &token_body(&code))
        .await
        .assert_error(400, "invalid_grant", "");
    // A redirect_uri from the client's list is used; no state, no state back.
    let reply = authorize(
        &emu,
        &format!(
            "client_id={CLIENT}&response_type=code&redirect_uri=https%3A%2F%2Fpartner.example%2Fother"
        ),
    )
    .await;
    let (base, pairs) = location(&reply);
    assert_eq!(base, "https://partner.example/other");
    assert_eq!(pairs.len(), 1);
    assert_eq!(pairs[0].0, "code");
    assert_ne!(pairs[0].1, code, "a fresh code each time");
}

#[tokio::test]
async fn authorize_refuses_a_bad_client_or_redirect_without_redirecting() {
    let emu = Emu::start();
    let cases = [
        ("response_type=code", 400, "invalid_request", "client_id"),
        (
            "response_type=code&client_id=",
            400,
            "invalid_request",
            "client_id",
        ),
        (
            "response_type=code&client_id=nobody",
            400,
            "invalid_client",
            "client_id",
        ),
        (
            "response_type=code&client_id=demo-oauth-client&client_id=demo-oauth-client",
            400,
            "invalid_request",
            "twice",
        ),
        (
            "response_type=code&client_id=demo-oauth-client&redirect_uri=https%3A%2F%2Fevil.example%2F",
            400,
            "invalid_request",
            "redirect_uri",
        ),
        (
            // A prefix of a configured URI is not that URI.
            "response_type=code&client_id=demo-oauth-client&redirect_uri=https%3A%2F%2Fpartner.example%2Foauth",
            400,
            "invalid_request",
            "redirect_uri",
        ),
    ];
    for (query, status, code, title) in cases {
        authorize(&emu, query)
            .await
            .assert_error(status, code, title);
    }
}

#[tokio::test]
async fn authorize_redirects_response_type_errors_with_the_state() {
    let emu = Emu::start();
    for (query, error) in [
        ("client_id=demo-oauth-client&state=s1", "invalid_request"),
        (
            "client_id=demo-oauth-client&response_type=token&state=s1",
            "unsupported_response_type",
        ),
    ] {
        let (base, pairs) = location(&authorize(&emu, query).await);
        assert_eq!(base, CALLBACK);
        assert_eq!(
            pairs,
            vec![
                ("error".to_owned(), error.to_owned()),
                ("state".to_owned(), "s1".to_owned())
            ]
        );
    }
    // Once the app the user would allow the client on is gone: access_denied.
    emu.account()
        .delete("/v2/apps/demo-app")
        .await
        .assert_status(200);
    let (_, pairs) =
        location(&authorize(&emu, "client_id=demo-oauth-client&response_type=code").await);
    assert_eq!(
        pairs,
        vec![("error".to_owned(), "access_denied".to_owned())]
    );
}

#[tokio::test]
async fn authorize_uses_the_seeds_authorize_app_and_redirect_uris() {
    let dir = std::env::temp_dir().join(format!("sunco-authorize-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let seed = dir.join("seed.json");
    std::fs::write(
        &seed,
        r#"{"oauthClients":[
             {"clientId":"p","clientSecret":"ps","redirectUris":["http://127.0.0.1:1/cb?x=1"],
              "authorizeAppId":"second"},
             {"clientId":"q","clientSecret":"qs"}],
           "apps":[{"id":"first","keys":[{"id":"k1","secret":"s1"}]},
                   {"id":"second","keys":[{"id":"k2","secret":"s2"}]}]}"#,
    )
    .unwrap();
    let emu = Emu::start_with(&["--seed", seed.to_str().unwrap()]);
    let (base, pairs) = location(&authorize(&emu, "client_id=p&response_type=code").await);
    // The configured URI keeps its own query; the code is appended to it.
    assert_eq!(base, "http://127.0.0.1:1/cb");
    assert_eq!(pairs[0], ("x".to_owned(), "1".to_owned()));
    assert_eq!(pairs[1].0, "code");
    let body = json!({"code": pairs[1].1, "grant_type": "authorization_code",
                      "client_id": "p", "client_secret": "ps"});
    let reply = get_token(&emu, &body).await;
    let token = reply.assert_status(200)["access_token"].as_str().unwrap();
    let info = emu
        .api()
        .with_auth(Some(format!("Bearer {token}")))
        .get("/v2/tokenInfo")
        .await;
    assert_eq!(info.assert_status(200)["app"]["id"], "second");
    // A client without redirect URIs cannot be authorized.
    authorize(&emu, "client_id=q&response_type=code")
        .await
        .assert_error(400, "invalid_request", "redirect URI");
    std::fs::remove_dir_all(&dir).unwrap();
}
