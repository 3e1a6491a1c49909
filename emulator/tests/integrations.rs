//! Black-box tests of the Integrations routes: create by type (custom and every channel, each
//! checked against its schema), list (filtered, paged), get, update, delete; and what an
//! integration means to switchboards.

mod common;

use common::{Api, Emu, basic, id, ids_of, is_hex24};
use serde_json::{Value, json};

const INTEGRATIONS: &str = "/v2/apps/demo-app/integrations";
const SWITCHBOARDS: &str = "/v2/apps/demo-app/switchboards";
const CONVERSATIONS: &str = "/v2/apps/demo-app/conversations";

async fn create(api: &Api, body: Value) -> Value {
    let reply = api.post(INTEGRATIONS, &body).await;
    reply.assert_status(201)["integration"].clone()
}

fn custom_body() -> Value {
    json!({"type": "custom", "displayName": "My bot", "webhooks": [
        {"target": "https://example.com/callback", "triggers": ["conversation:message"]}]})
}

/// A create body with the required fields of every type.
fn minimal(kind: &str) -> Value {
    let mut body = match kind {
        "apple" => json!({"businessId": "b", "apiSecret": "s", "mspId": "m"}),
        "custom" => custom_body(),
        "instagram" | "messenger" => {
            json!({"pageAccessToken": "t", "appId": "a", "appSecret": "s"})
        }
        "mailgun" => json!({"apiKey": "key-1", "domain": "mg.example.org",
                            "incomingAddress": "help@mg.example.org"}),
        "messagebird" => json!({"accessKey": "a", "signingKey": "s", "originator": "o"}),
        "telegram" | "viber" => json!({"token": "t"}),
        "twilio" => json!({"accountSid": "AC1", "authToken": "t", "phoneNumberSid": "PN1"}),
        "twitter" => json!({"tier": "enterprise", "consumerKey": "k", "consumerSecret": "s",
                            "accessTokenKey": "k", "accessTokenSecret": "s"}),
        _ => json!({}),
    };
    body["type"] = json!(kind);
    body
}

const TYPES: [&str; 16] = [
    "android",
    "apple",
    "custom",
    "instagram",
    "ios",
    "line",
    "mailgun",
    "messagebird",
    "messenger",
    "telegram",
    "twilio",
    "twitter",
    "unity",
    "viber",
    "web",
    "whatsapp",
];

// ---------------------------------------------------------------- create

#[tokio::test]
async fn every_type_is_created_with_its_required_fields() {
    let emu = Emu::start();
    let api = emu.api();
    for kind in TYPES {
        let integration = create(&api, minimal(kind)).await;
        assert!(is_hex24(&id(&integration)), "{integration}");
        assert_eq!(integration["type"], kind);
        assert_eq!(integration["status"], "active");
    }
    let reply = api.get(&format!("{INTEGRATIONS}?page[size]=100")).await;
    assert_eq!(
        reply.assert_status(200)["integrations"]
            .as_array()
            .unwrap()
            .len(),
        16
    );
}

#[tokio::test]
async fn write_only_fields_are_never_answered_and_defaults_are() {
    let emu = Emu::start();
    let api = emu.api();
    let messenger = create(
        &api,
        json!({"type": "messenger", "displayName": "FB", "pageAccessToken": "token", "appId": "app",
               "appSecret": "secret", "pageId": 123212323432123u64, "pageName": "An Awesome Page"}),
    )
    .await;
    assert_eq!(
        messenger,
        json!({"id": id(&messenger), "type": "messenger", "status": "active", "displayName": "FB",
               "pageAccessToken": "token", "appId": "app", "pageId": 123212323432123u64,
               "pageName": "An Awesome Page"})
    );
    let web = create(&api, json!({"type": "web", "brandColor": "ABC"})).await;
    assert_eq!(
        web,
        json!({"id": id(&web), "type": "web", "status": "active", "brandColor": "ABC",
               "fixedIntroPane": false, "conversationColor": "0099ff", "actionColor": "0099ff",
               "displayStyle": "button", "buttonWidth": "58", "buttonHeight": "58"})
    );
    let android = create(
        &api,
        json!({"type": "android", "projectId": "p", "clientEmail": "c@x.iam", "privateKey": "k",
               "senderId": "s", "showAIDisclaimer": false, "attachmentsEnabled": false}),
    )
    .await;
    assert_eq!(
        android,
        json!({"id": id(&android), "type": "android", "status": "active", "senderId": "s",
               "showAIDisclaimer": false})
    );
    let custom = create(&api, custom_body()).await;
    let hook = &custom["webhooks"][0];
    assert!(is_hex24(&id(hook)));
    assert_eq!(hook["version"], "v2");
    assert_eq!(hook["target"], "https://example.com/callback");
    assert_eq!(hook["triggers"], json!(["conversation:message"]));
    assert_eq!(hook["secret"].as_str().unwrap().len(), 32);
    assert_eq!(hook["includeFullUser"], false);
    assert_eq!(hook["includeFullSource"], false);
    assert_eq!(custom["displayName"], "My bot");
    // Instagram's story settings default to true; WhatsApp's fallback language to en_US.
    let instagram = create(&api, minimal("instagram")).await;
    assert_eq!(instagram["storyRepliesEnabled"], true);
    assert!(instagram.get("pageAccessToken").is_none());
    let whatsapp = create(&api, minimal("whatsapp")).await;
    assert_eq!(whatsapp["hsmFallbackLanguage"], "en_US");
}

#[tokio::test]
async fn create_bodies_are_checked_per_type() {
    let emu = Emu::start();
    let api = emu.api();
    let with = |kind: &str, extra: Value| {
        let mut body = minimal(kind);
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let cases = [
        (json!({}), "type is required"),
        (json!({"type": "sms"}), "Invalid integration type"),
        (json!({"type": 1}), "Invalid integration type"),
        (json!({"type": "telegram"}), "token is required"),
        (
            with("telegram", json!({"token": null})),
            "token is required",
        ),
        (
            with("telegram", json!({"token": ""})),
            "token must be at least 1 characters long",
        ),
        (
            json!({"type": "apple", "businessId": "b", "mspId": "m"}),
            "apiSecret is required",
        ),
        (
            with("apple", json!({"authenticationMessageSecret": "short"})),
            "authenticationMessageSecret must be at least 88 characters long",
        ),
        (
            with("twitter", json!({"tier": "premium"})),
            "tier must be one of: enterprise",
        ),
        (
            json!({"type": "twilio", "accountSid": "AC1", "authToken": "t"}),
            "One of messagingServiceSid or phoneNumberSid must be provided",
        ),
        (
            with("mailgun", json!({"incomingAddress": "help@elsewhere.org"})),
            "incomingAddress must have the same domain as domain (mg.example.org)",
        ),
        (
            with("mailgun", json!({"incomingAddress": "not an address"})),
            "incomingAddress must be an email address",
        ),
        (
            with("line", json!({"channelId": "1286564967"})),
            "channelId and channelSecret go together",
        ),
        (
            with("web", json!({"brandColor": "#0099ff"})),
            "brandColor must be a 3 or 6-character hexadecimal color",
        ),
        (
            with("web", json!({"displayStyle": "popup"})),
            "displayStyle must be one of: button, tab",
        ),
        (
            with("web", json!({"fixedIntroPane": "yes"})),
            "fixedIntroPane must be a boolean",
        ),
        (
            with("web", json!({"buttonIconUrl": "icon.png"})),
            "buttonIconUrl must be an absolute URI",
        ),
        (
            with(
                "web",
                json!({"originWhitelist": ["https://ok.example", "example.com"]}),
            ),
            "originWhitelist[1] must be an origin",
        ),
        (
            with("web", json!({"integrationOrder": [1]})),
            "integrationOrder[0] must be a string",
        ),
        (
            with(
                "web",
                json!({"prechatCapture": {"fields": [{"type": "text", "name": "n"}]}}),
            ),
            "prechatCapture.fields[0].label is required",
        ),
        (
            with("messenger", json!({"pageId": "123"})),
            "pageId must be a number",
        ),
        (
            with("web", json!({"displayName": "x".repeat(101)})),
            "displayName must be at most 100 characters long",
        ),
        (
            with("web", json!({"showAIDisclaimer": 1})),
            "showAIDisclaimer must be a boolean",
        ),
        (json!({"type": "custom"}), "webhooks is required"),
        (
            json!({"type": "custom", "webhooks": []}),
            "webhooks must contain exactly 1 item",
        ),
        (
            json!({"type": "custom", "webhooks": [{"triggers": ["conversation:message"]}]}),
            "webhooks[0].target is required",
        ),
        (
            json!({"type": "custom", "webhooks": [{"target": "example.com", "triggers": ["conversation:message"]}]}),
            "webhooks[0].target must be an http or https URL",
        ),
        (
            json!({"type": "custom", "webhooks": [{"target": "https://x.io", "triggers": ["conversation:Message"]}]}),
            "webhooks[0].triggers[0] \"conversation:Message\" is not a webhook trigger",
        ),
        (
            json!({"type": "custom", "webhooks": [{"target": "https://x.io", "triggers": []}]}),
            "webhooks[0].triggers must contain at least 1 items",
        ),
        (
            with(
                "web",
                json!({"defaultResponderId": "5ef21b86e933b7355c11c604"}),
            ),
            "defaultResponderId 5ef21b86e933b7355c11c604 is not a switchboard integration",
        ),
    ];
    for (body, title) in cases {
        api.post(INTEGRATIONS, &body)
            .await
            .assert_error(400, "bad_request", title);
    }
    // Nullable optional fields are "not set".
    let web = create(
        &api,
        with("web", json!({"buttonIconUrl": null, "displayName": null})),
    )
    .await;
    assert!(web.get("buttonIconUrl").is_none() && web.get("displayName").is_none());
}

#[tokio::test]
async fn integrations_need_app_or_account_scope_of_the_app() {
    let emu = Emu::start();
    let api = emu.api();
    api.with_auth(Some(basic("other-key", "other-secret")))
        .post(INTEGRATIONS, &minimal("web"))
        .await
        .assert_error(403, "forbidden", "");
    api.with_auth(None)
        .get(INTEGRATIONS)
        .await
        .assert_error(401, "unauthorized", "");
    api.get("/v2/apps/nope/integrations")
        .await
        .assert_error(404, "app_not_found", "");
}

// ---------------------------------------------------------------- list, get

#[tokio::test]
async fn list_filters_by_type_and_pages() {
    let emu = Emu::start();
    let api = emu.api();
    let mut made = Vec::new();
    for kind in ["web", "custom", "android", "web", "custom", "ios"] {
        made.push(id(&create(&api, minimal(kind)).await));
    }
    let reply = api.get(INTEGRATIONS).await;
    let all = reply.assert_status(200);
    assert_eq!(ids_of(all, "integrations"), made);
    assert_eq!(all["meta"], json!({"hasMore": false}));
    assert_eq!(all["links"], json!({}));

    let reply = api
        .get(&format!(
            "{INTEGRATIONS}?filter[types]=custom,web&page[size]=3"
        ))
        .await;
    let page = reply.assert_status(200);
    assert_eq!(
        ids_of(page, "integrations"),
        [made[0].clone(), made[1].clone(), made[3].clone()]
    );
    assert_eq!(page["meta"]["hasMore"], true);
    assert_eq!(page["meta"]["afterCursor"], made[3]);
    let next = page["links"]["next"].as_str().unwrap();
    assert!(
        next.ends_with(&format!(
            "/v2/apps/demo-app/integrations?filter[types]=custom%2Cweb&page[after]={}&page[size]=3",
            made[3]
        )),
        "{next}"
    );
    let reply = api
        .get(&format!(
            "{INTEGRATIONS}?filter[types]=custom,web&page[size]=3&page[after]={}",
            made[3]
        ))
        .await;
    let rest = reply.assert_status(200);
    assert_eq!(ids_of(rest, "integrations"), [made[4].clone()]);
    assert_eq!(rest["meta"]["hasMore"], false);
    assert_eq!(rest["meta"]["beforeCursor"], made[4]);

    for query in ["filter[types]=,", "page[size]=0", "page[after]=short"] {
        api.get(&format!("{INTEGRATIONS}?{query}"))
            .await
            .assert_error(400, "bad_request", "Invalid");
    }
    let reply = api.get(&format!("{INTEGRATIONS}/{}", made[5])).await;
    assert_eq!(reply.assert_status(200)["integration"]["type"], "ios");
    api.get(&format!("{INTEGRATIONS}/5e4af71a81966cfff3ef6550"))
        .await
        .assert_error(404, "integration_not_found", "Integration not found");
}

// ---------------------------------------------------------------- update, delete

#[tokio::test]
async fn update_changes_what_the_type_allows() {
    let emu = Emu::start();
    let api = emu.api();
    let web = create(
        &api,
        json!({"type": "web", "displayName": "Site", "businessName": "Kent Shop",
               "originWhitelist": ["https://kent.example"]}),
    )
    .await;
    let path = format!("{INTEGRATIONS}/{}", id(&web));
    let reply = api
        .patch(
            &path,
            &json!({"displayName": null, "brandColor": "112233", "originWhitelist": null,
                    "type": "web", "unknownField": 1}),
        )
        .await;
    let updated = reply.assert_status(200)["integration"].clone();
    assert!(updated.get("displayName").is_none());
    assert!(updated.get("originWhitelist").is_none());
    assert_eq!(updated["brandColor"], "112233");
    assert_eq!(updated["businessName"], "Kent Shop");
    assert!(updated.get("unknownField").is_none());
    let reply = api.get(&path).await;
    assert_eq!(reply.assert_status(200)["integration"], updated);

    for (body, title) in [
        (
            json!({"displayName": ""}),
            "displayName must be between 1 and 100 characters long",
        ),
        (json!({"type": "ios"}), "type cannot be changed"),
        (
            json!({"brandColor": "blue"}),
            "brandColor must be a 3 or 6-character hexadecimal color",
        ),
        (
            json!({"businessName": null}),
            "businessName must be a string",
        ),
    ] {
        api.patch(&path, &body)
            .await
            .assert_error(400, "bad_request", title);
    }
    // Fields of the type that its update schema leaves out cannot change.
    let twilio = create(&api, minimal("twilio")).await;
    api.patch(
        &format!("{INTEGRATIONS}/{}", id(&twilio)),
        &json!({"accountSid": "AC2"}),
    )
    .await
    .assert_error(400, "bad_request", "accountSid cannot be updated");
    let custom = create(&api, custom_body()).await;
    let path = format!("{INTEGRATIONS}/{}", id(&custom));
    api.patch(&path, &json!({"webhooks": []}))
        .await
        .assert_error(400, "bad_request", "use the Webhooks API");
    let reply = api.patch(&path, &json!({"displayName": "Renamed"})).await;
    assert_eq!(
        reply.assert_status(200)["integration"]["displayName"],
        "Renamed"
    );
    // Write-only fields may change and stay hidden.
    let android = create(&api, minimal("android")).await;
    let reply = api
        .patch(
            &format!("{INTEGRATIONS}/{}", id(&android)),
            &json!({"privateKey": "k2", "canUserSeeConversationList": false}),
        )
        .await;
    let updated = reply.assert_status(200)["integration"].clone();
    assert!(updated.get("privateKey").is_none());
    assert_eq!(updated["canUserSeeConversationList"], false);
    api.patch(
        &format!("{INTEGRATIONS}/5e4af71a81966cfff3ef6550"),
        &json!({"displayName": "x"}),
    )
    .await
    .assert_error(404, "integration_not_found", "");
}

#[tokio::test]
async fn fields_of_other_types_are_refused_and_change_nothing() {
    let emu = Emu::start();
    let api = emu.api();
    let twilio = create(&api, minimal("twilio")).await;
    let twilio_path = format!("{INTEGRATIONS}/{}", id(&twilio));
    let custom = create(&api, custom_body()).await;
    let custom_path = format!("{INTEGRATIONS}/{}", id(&custom));
    let web = create(&api, minimal("web")).await;
    let web_path = format!("{INTEGRATIONS}/{}", id(&web));
    let cases = [
        // A web field on twilio, even next to a valid change.
        (
            &twilio_path,
            json!({"displayName": "New", "brandColor": "112233"}),
            "brandColor is not a field of twilio integrations",
        ),
        // A field another channel has (telegram's token) on twilio.
        (
            &twilio_path,
            json!({"token": "t"}),
            "token is not a field of twilio integrations",
        ),
        (
            &twilio_path,
            json!({"webhooks": []}),
            "webhooks is not a field of twilio integrations",
        ),
        // Channel-only fields on a custom integration.
        (
            &custom_path,
            json!({"showAIDisclaimer": true}),
            "showAIDisclaimer is not a field of custom integrations",
        ),
        (
            &custom_path,
            json!({"defaultResponderId": null}),
            "defaultResponderId is not a field of custom integrations",
        ),
        (
            &web_path,
            json!({"hsmFallbackLanguage": "de"}),
            "hsmFallbackLanguage is not a field of web integrations",
        ),
    ];
    for (path, body, title) in cases {
        api.patch(path, &body)
            .await
            .assert_error(400, "bad_request", title);
    }
    // Nothing was applied, not even the valid displayName next to the foreign field.
    for (path, before) in [
        (&twilio_path, &twilio),
        (&custom_path, &custom),
        (&web_path, &web),
    ] {
        let reply = api.get(path).await;
        assert_eq!(&reply.assert_status(200)["integration"], before);
    }
    // Fields no type has stay ignored, as on every other resource.
    let reply = api.patch(&twilio_path, &json!({"nickname": "x"})).await;
    assert!(
        reply.assert_status(200)["integration"]
            .get("nickname")
            .is_none()
    );
    // Create refuses them too, and creates nothing.
    let mut body = minimal("telegram");
    body["originWhitelist"] = json!(["https://kent.example"]);
    api.post(INTEGRATIONS, &body).await.assert_error(
        400,
        "bad_request",
        "originWhitelist is not a field of telegram integrations",
    );
    let mut body = custom_body();
    body["pageAccessToken"] = json!("t");
    api.post(INTEGRATIONS, &body).await.assert_error(
        400,
        "bad_request",
        "pageAccessToken is not a field of custom integrations",
    );
    let reply = api.get(&format!("{INTEGRATIONS}?page[size]=100")).await;
    assert_eq!(
        ids_of(reply.assert_status(200), "integrations"),
        vec![id(&twilio), id(&custom), id(&web)]
    );
}

#[tokio::test]
async fn delete_removes_the_integration() {
    let emu = Emu::start();
    let api = emu.api();
    let web = create(&api, minimal("web")).await;
    let path = format!("{INTEGRATIONS}/{}", id(&web));
    let reply = api.delete(&path).await;
    assert_eq!(reply.assert_status(200), &json!({}));
    api.get(&path)
        .await
        .assert_error(404, "integration_not_found", "");
    api.delete(&path)
        .await
        .assert_error(404, "integration_not_found", "");
}

#[tokio::test]
async fn an_app_holds_ten_webhooks() {
    let emu = Emu::start();
    let api = emu.api();
    for _ in 0..10 {
        create(&api, custom_body()).await;
    }
    api.post(INTEGRATIONS, &custom_body()).await.assert_error(
        400,
        "bad_request",
        "An app is limited to 10 webhooks",
    );
}

// ---------------------------------------------------------------- across resources

async fn switchboard_with(api: &Api, links: &[(&str, Value)]) -> (Value, Vec<Value>) {
    let reply = api.send(reqwest::Method::POST, SWITCHBOARDS, None).await;
    let switchboard = reply.assert_status(201)["switchboard"].clone();
    let path = format!(
        "{SWITCHBOARDS}/{}/switchboardIntegrations",
        id(&switchboard)
    );
    let mut made = Vec::new();
    for (name, link) in links {
        let mut body = link.clone();
        body["name"] = json!(name);
        let reply = api.post(&path, &body).await;
        made.push(reply.assert_status(201)["switchboardIntegration"].clone());
    }
    (switchboard, made)
}

#[tokio::test]
async fn switchboard_integrations_link_custom_integrations_by_id() {
    let emu = Emu::start();
    let api = emu.api();
    let bot = create(&api, custom_body()).await;
    let other_bot = create(&api, custom_body()).await;
    let web = create(&api, minimal("web")).await;
    let (switchboard, made) = switchboard_with(
        &api,
        &[
            ("bot", json!({"integrationId": id(&bot)})),
            ("bot2", json!({"integrationId": id(&other_bot)})),
        ],
    )
    .await;
    assert_eq!(made[0]["integrationId"], id(&bot));
    assert_eq!(made[0]["integrationType"], "custom");
    let path = format!(
        "{SWITCHBOARDS}/{}/switchboardIntegrations",
        id(&switchboard)
    );
    api.post(&path, &json!({"name": "web", "integrationId": id(&web)}))
        .await
        .assert_error(400, "bad_request", "is a web channel");
    api.post(&path, &json!({"name": "again", "integrationId": id(&bot)}))
        .await
        .assert_error(
            400,
            "bad_request",
            "already linked to switchboard integration bot",
        );
    // Two custom ones: the type is ambiguous, names are not.
    let conversation = api
        .create_conversation(
            &json!({"type": "personal", "participants": [{"userExternalId": "alice"}]}),
        )
        .await;
    let pass = format!("{CONVERSATIONS}/{}/passControl", id(&conversation));
    api.post(&pass, &json!({"switchboardIntegration": "custom"}))
        .await
        .assert_error(400, "bad_request", "ambiguous");
    api.post(&pass, &json!({"switchboardIntegration": "bot2"}))
        .await
        .assert_status(200);

    // The channel's default responder: chosen, or inherited from the switchboard.
    api.patch(
        &format!("{SWITCHBOARDS}/{}", id(&switchboard)),
        &json!({"enabled": true, "defaultSwitchboardIntegrationId": id(&made[0])}),
    )
    .await
    .assert_status(200);
    let reply = api.get(&format!("{INTEGRATIONS}/{}", id(&web))).await;
    assert_eq!(
        reply.assert_status(200)["integration"]["defaultResponder"],
        json!({"name": "bot", "integrationId": id(&bot), "integrationType": "custom",
               "deliverStandbyEvents": true, "nextSwitchboardIntegrationId": null, "inherited": true})
    );
    let reply = api
        .patch(
            &format!("{INTEGRATIONS}/{}", id(&web)),
            &json!({"defaultResponderId": id(&made[1])}),
        )
        .await;
    let responder = &reply.assert_status(200)["integration"]["defaultResponder"];
    assert_eq!(responder["name"], "bot2");
    assert_eq!(responder["inherited"], false);
    assert!(
        reply.json["integration"]
            .get("defaultResponderId")
            .is_none(),
        "write-only"
    );
}

#[tokio::test]
async fn deleting_an_integration_removes_its_switchboard_integrations() {
    let emu = Emu::start();
    let api = emu.api();
    let bot = create(&api, custom_body()).await;
    let (switchboard, made) = switchboard_with(
        &api,
        &[
            ("agent", json!({"integrationType": "zd:agentWorkspace"})),
            ("bot", json!({"integrationId": id(&bot)})),
        ],
    )
    .await;
    let sb_path = format!("{SWITCHBOARDS}/{}", id(&switchboard));
    api.patch(
        &format!("{sb_path}/switchboardIntegrations/{}", id(&made[0])),
        &json!({"nextSwitchboardIntegrationId": id(&made[1])}),
    )
    .await
    .assert_status(200);
    api.patch(
        &sb_path,
        &json!({"enabled": true, "defaultSwitchboardIntegrationId": id(&made[1])}),
    )
    .await
    .assert_status(200);
    let conversation = api
        .create_conversation(
            &json!({"type": "personal", "participants": [{"userExternalId": "alice"}]}),
        )
        .await;
    assert_eq!(conversation["activeSwitchboardIntegration"]["name"], "bot");
    let web = create(
        &api,
        json!({"type": "web", "defaultResponderId": id(&made[1])}),
    )
    .await;
    assert_eq!(web["defaultResponder"]["inherited"], false);

    api.delete(&format!("{INTEGRATIONS}/{}", id(&bot)))
        .await
        .assert_status(200);
    // The switchboard integration went; agent no longer passes to it; the switchboard lost
    // its default and was disabled; the conversation and the channel forgot it.
    let reply = api.get(&format!("{sb_path}/switchboardIntegrations")).await;
    let left = reply.assert_status(200)["switchboardIntegrations"].clone();
    assert_eq!(ids_of(&json!({"s": left}), "s"), [id(&made[0])]);
    assert!(left[0].get("nextSwitchboardIntegrationId").is_none());
    let reply = api.get(SWITCHBOARDS).await;
    assert_eq!(
        reply.assert_status(200)["switchboards"][0],
        json!({"id": id(&switchboard), "enabled": false})
    );
    let reply = api
        .get(&format!("{CONVERSATIONS}/{}", id(&conversation)))
        .await;
    assert!(
        reply.assert_status(200)["conversation"]
            .get("activeSwitchboardIntegration")
            .is_none()
    );
    let reply = api.get(&format!("{INTEGRATIONS}/{}", id(&web))).await;
    assert!(
        reply.assert_status(200)["integration"]
            .get("defaultResponder")
            .is_none()
    );
}
