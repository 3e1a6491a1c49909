//! Black-box tests of the Switchboards and Switchboard Integrations routes, and of the
//! Switchboard Actions (pass, offer, accept, release control) on conversations.

mod common;

use common::{Api, Emu, basic, id, is_hex24};
use serde_json::{Value, json};

const SWITCHBOARDS: &str = "/v2/apps/demo-app/switchboards";
const CONVERSATIONS: &str = "/v2/apps/demo-app/conversations";

async fn create_switchboard(api: &Api) -> Value {
    let reply = api.send(reqwest::Method::POST, SWITCHBOARDS, None).await;
    reply.assert_status(201)["switchboard"].clone()
}

fn integrations_path(switchboard: &Value) -> String {
    format!("{SWITCHBOARDS}/{}/switchboardIntegrations", id(switchboard))
}

async fn create_sbi(api: &Api, switchboard: &Value, body: Value) -> Value {
    let reply = api.post(&integrations_path(switchboard), &body).await;
    reply.assert_status(201)["switchboardIntegration"].clone()
}

/// A switchboard with `bot` (linked to `bot-type`) and `agent` (zd:agentWorkspace); `bot`
/// passes to `agent` by default, `bot` is the default; enabled.
async fn bot_and_agent(api: &Api) -> (Value, Value, Value) {
    let switchboard = create_switchboard(api).await;
    let agent = create_sbi(
        api,
        &switchboard,
        json!({"name": "agent", "integrationType": "zd:agentWorkspace"}),
    )
    .await;
    let bot = create_sbi(
        api,
        &switchboard,
        json!({"name": "bot", "integrationType": "bot-type", "nextSwitchboardIntegrationId": id(&agent),
               "deliverStandbyEvents": false, "messageHistoryCount": 5}),
    )
    .await;
    let reply = api
        .patch(
            &format!("{SWITCHBOARDS}/{}", id(&switchboard)),
            &json!({"enabled": true, "defaultSwitchboardIntegrationId": id(&bot)}),
        )
        .await;
    let switchboard = reply.assert_status(200)["switchboard"].clone();
    (switchboard, bot, agent)
}

async fn personal(api: &Api, user: &str) -> Value {
    api.create_conversation(
        &json!({"type": "personal", "participants": [{"userExternalId": user}]}),
    )
    .await
}

async fn conversation(api: &Api, conversation: &Value) -> Value {
    let reply = api
        .get(&format!("{CONVERSATIONS}/{}", id(conversation)))
        .await;
    reply.assert_status(200)["conversation"].clone()
}

fn action(conversation: &Value, name: &str) -> String {
    format!("{CONVERSATIONS}/{}/{name}", id(conversation))
}

/// The `{id, name, integrationId, integrationType}` a conversation shows of `sbi`.
fn shown(sbi: &Value) -> Value {
    json!({"id": sbi["id"], "name": sbi["name"], "integrationId": sbi["integrationId"],
           "integrationType": sbi["integrationType"]})
}

// ---------------------------------------------------------------- switchboards

#[tokio::test]
async fn one_switchboard_per_app_created_disabled() {
    let emu = Emu::start();
    let api = emu.api();
    let reply = api.get(SWITCHBOARDS).await;
    assert_eq!(reply.assert_status(200), &json!({"switchboards": []}));
    let switchboard = create_switchboard(&api).await;
    assert!(is_hex24(&id(&switchboard)));
    assert_eq!(
        switchboard,
        json!({"id": id(&switchboard), "enabled": false})
    );
    api.send(reqwest::Method::POST, SWITCHBOARDS, None)
        .await
        .assert_error(
            400,
            "bad_request",
            "Only one switchboard can be created per app",
        );
    let reply = api.get(SWITCHBOARDS).await;
    assert_eq!(
        reply.assert_status(200),
        &json!({"switchboards": [switchboard]})
    );
    // Another app has its own.
    let other = Api::new(&emu.url, basic("other-key", "other-secret"));
    let reply = other
        .send(
            reqwest::Method::POST,
            "/v2/apps/other-app/switchboards",
            None,
        )
        .await;
    reply.assert_status(201);
}

#[tokio::test]
async fn update_switchboard_needs_a_default_to_enable() {
    let emu = Emu::start();
    let api = emu.api();
    let switchboard = create_switchboard(&api).await;
    let path = format!("{SWITCHBOARDS}/{}", id(&switchboard));
    api.patch(&path, &json!({"enabled": true}))
        .await
        .assert_error(
            400,
            "bad_request",
            "Enabled switchboard must have an associated default switchboardIntegration",
        );
    api.patch(
        &path,
        &json!({"defaultSwitchboardIntegrationId": "5ef21b86e933b7355c11c604"}),
    )
    .await
    .assert_error(400, "bad_request", "defaultSwitchboardIntegrationId");
    api.patch(&path, &json!({"enabled": "yes"}))
        .await
        .assert_error(400, "bad_request", "enabled must be a boolean");
    let sbi = create_sbi(
        &api,
        &switchboard,
        json!({"name": "agent", "integrationType": "zd:agentWorkspace"}),
    )
    .await;
    let reply = api
        .patch(
            &path,
            &json!({"enabled": true, "defaultSwitchboardIntegrationId": id(&sbi)}),
        )
        .await;
    assert_eq!(
        reply.assert_status(200)["switchboard"],
        json!({"id": id(&switchboard), "enabled": true, "defaultSwitchboardIntegrationId": id(&sbi)})
    );
    let reply = api.patch(&path, &json!({"enabled": false})).await;
    assert_eq!(reply.assert_status(200)["switchboard"]["enabled"], false);
    // Unknown switchboards.
    let wrong = format!("{SWITCHBOARDS}/5ef21b132f21af34f088530d");
    api.patch(&wrong, &json!({"enabled": false}))
        .await
        .assert_error(404, "switchboard_not_found", "Switchboard not found");
    api.delete(&wrong)
        .await
        .assert_error(404, "switchboard_not_found", "");
    api.get(&format!("{wrong}/switchboardIntegrations"))
        .await
        .assert_error(404, "switchboard_not_found", "");
}

#[tokio::test]
async fn switchboards_need_app_or_account_scope_of_the_app() {
    let emu = Emu::start();
    let api = emu.api();
    let other = api.with_auth(Some(basic("other-key", "other-secret")));
    other
        .get(SWITCHBOARDS)
        .await
        .assert_error(403, "forbidden", "");
    api.with_auth(None)
        .get(SWITCHBOARDS)
        .await
        .assert_error(401, "unauthorized", "");
    api.get("/v2/apps/no-such-app/switchboards")
        .await
        .assert_error(404, "app_not_found", "");
}

// ---------------------------------------------------------------- switchboard integrations

#[tokio::test]
async fn create_list_update_switchboard_integrations() {
    let emu = Emu::start();
    let api = emu.api();
    let switchboard = create_switchboard(&api).await;
    let agent = create_sbi(
        &api,
        &switchboard,
        json!({"name": "zd-agentWorkspace", "integrationType": "zd:agentWorkspace"}),
    )
    .await;
    assert!(is_hex24(&id(&agent)));
    assert!(is_hex24(agent["integrationId"].as_str().unwrap()));
    assert_eq!(
        agent,
        json!({"id": id(&agent), "name": "zd-agentWorkspace", "integrationId": agent["integrationId"],
               "integrationType": "zd:agentWorkspace", "deliverStandbyEvents": true})
    );
    let bot = create_sbi(
        &api,
        &switchboard,
        json!({"name": "bot", "integrationType": "answer-bot", "deliverStandbyEvents": false,
               "nextSwitchboardIntegrationId": id(&agent), "messageHistoryCount": 10}),
    )
    .await;
    assert_eq!(bot["nextSwitchboardIntegrationId"], id(&agent));
    assert_eq!(bot["messageHistoryCount"], 10);
    assert_eq!(bot["deliverStandbyEvents"], false);
    let reply = api.get(&integrations_path(&switchboard)).await;
    assert_eq!(
        reply.assert_status(200),
        &json!({"switchboardIntegrations": [agent, bot]})
    );

    // Update: a rename, null clears the optional fields, the link can change.
    let path = format!("{}/{}", integrations_path(&switchboard), id(&bot));
    let reply = api
        .patch(
            &path,
            &json!({"name": "bot_2", "nextSwitchboardIntegrationId": null,
                    "messageHistoryCount": null, "integrationType": "other-bot"}),
        )
        .await;
    let updated = reply.assert_status(200)["switchboardIntegration"].clone();
    assert_eq!(
        updated,
        json!({"id": id(&bot), "name": "bot_2", "integrationId": updated["integrationId"],
               "integrationType": "other-bot", "deliverStandbyEvents": false})
    );
    assert_ne!(updated["integrationId"], bot["integrationId"]);
    api.patch(
        &format!(
            "{}/5ef21b86e933b7355c11c604",
            integrations_path(&switchboard)
        ),
        &json!({"name": "x"}),
    )
    .await
    .assert_error(
        404,
        "switchboard_integration_not_found",
        "Switchboard integration not found",
    );
    // Checked as on create, against the others.
    for (body, title) in [
        (json!({"name": "zd-agentWorkspace"}), "already exists"),
        (
            json!({"integrationType": "zd:agentWorkspace"}),
            "already linked",
        ),
        (
            json!({"nextSwitchboardIntegrationId": id(&bot)}),
            "nextSwitchboardIntegrationId",
        ),
        (
            json!({"integrationId": "a", "integrationType": "b"}),
            "Can't provide both integrationId and integrationType",
        ),
        (json!({"deliverStandbyEvents": null}), "must be a boolean"),
    ] {
        api.patch(&path, &body)
            .await
            .assert_error(400, "bad_request", title);
    }
}

#[tokio::test]
async fn switchboard_integration_bodies_are_checked() {
    let emu = Emu::start();
    let api = emu.api();
    let switchboard = create_switchboard(&api).await;
    let path = integrations_path(&switchboard);
    for (body, title) in [
        (json!({"integrationType": "x"}), "name is required"),
        (
            json!({"name": "a b", "integrationType": "x"}),
            "name is restricted to alphanumeric characters, - and _",
        ),
        (
            json!({"name": "a".repeat(129), "integrationType": "x"}),
            "name must be between 1 and 128 characters long",
        ),
        (
            json!({"name": "a"}),
            "One of integrationId or integrationType must be provided",
        ),
        (
            json!({"name": "a", "integrationId": "a", "integrationType": "b"}),
            "Can't provide both",
        ),
        (
            json!({"name": "a", "integrationType": "custom"}),
            "link a custom integration by its integrationId",
        ),
        (
            json!({"name": "a", "integrationType": "web"}),
            "integrationType web is a channel",
        ),
        (
            json!({"name": "a", "integrationType": "x", "messageHistoryCount": 0}),
            "messageHistoryCount must be between 1 and 10",
        ),
        (
            json!({"name": "a", "integrationType": "x", "messageHistoryCount": 11}),
            "messageHistoryCount must be between 1 and 10",
        ),
        (
            json!({"name": "a", "integrationType": "x", "deliverStandbyEvents": "no"}),
            "deliverStandbyEvents must be a boolean",
        ),
        (
            json!({"name": "a", "integrationType": "x", "nextSwitchboardIntegrationId": "5ef21b86e933b7355c11c604"}),
            "nextSwitchboardIntegrationId 5ef21b86e933b7355c11c604 is not another switchboard integration",
        ),
    ] {
        api.post(&path, &body)
            .await
            .assert_error(400, "bad_request", title);
    }
    api.post(
        &path,
        &json!({"name": "a", "integrationId": "5ef21b86e933b7355c11c605"}),
    )
    .await
    .assert_error(404, "integration_not_found", "Integration not found");
    api.post(
        &format!("{SWITCHBOARDS}/5ef21b132f21af34f088530d/switchboardIntegrations"),
        &json!({"name": "a", "integrationType": "x"}),
    )
    .await
    .assert_error(404, "switchboard_not_found", "");
}

#[tokio::test]
async fn names_and_links_are_unique_and_a_switchboard_holds_ten() {
    let emu = Emu::start();
    let api = emu.api();
    let switchboard = create_switchboard(&api).await;
    let path = integrations_path(&switchboard);
    create_sbi(
        &api,
        &switchboard,
        json!({"name": "bot-0", "integrationType": "type-0"}),
    )
    .await;
    api.post(
        &path,
        &json!({"name": "bot-0", "integrationType": "type-x"}),
    )
    .await
    .assert_error(400, "bad_request", "named bot-0 already exists");
    api.post(
        &path,
        &json!({"name": "bot-x", "integrationType": "type-0"}),
    )
    .await
    .assert_error(
        400,
        "bad_request",
        "is already linked to switchboard integration bot-0",
    );
    for i in 1..10 {
        create_sbi(
            &api,
            &switchboard,
            json!({"name": format!("bot-{i}"), "integrationType": format!("type-{i}")}),
        )
        .await;
    }
    api.post(
        &path,
        &json!({"name": "bot-10", "integrationType": "type-10"}),
    )
    .await
    .assert_error(
        400,
        "too_many_switchboard_integrations",
        "Switchboard has reached the max number of switchboard integrations (10)",
    );
}

#[tokio::test]
async fn the_default_and_a_next_target_cannot_be_deleted() {
    let emu = Emu::start();
    let api = emu.api();
    let (switchboard, bot, agent) = bot_and_agent(&api).await;
    let path = integrations_path(&switchboard);
    api.delete(&format!("{path}/{}", id(&bot)))
        .await
        .assert_error(400, "bad_request", "is the switchboard's default");
    api.delete(&format!("{path}/{}", id(&agent)))
        .await
        .assert_error(
            400,
            "bad_request",
            "is the nextSwitchboardIntegrationId of bot",
        );
    api.delete(&format!("{path}/5ef21b86e933b7355c11c604"))
        .await
        .assert_error(404, "switchboard_integration_not_found", "");
    // Once bot no longer passes to agent, agent can go.
    api.patch(
        &format!("{path}/{}", id(&bot)),
        &json!({"nextSwitchboardIntegrationId": null}),
    )
    .await
    .assert_status(200);
    let reply = api.delete(&format!("{path}/{}", id(&agent))).await;
    assert_eq!(reply.assert_status(200), &json!({}));
    let reply = api.get(&path).await;
    assert_eq!(
        reply.assert_status(200)["switchboardIntegrations"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

// ---------------------------------------------------------------- actions

#[tokio::test]
async fn the_default_takes_control_of_new_conversations_and_of_old_ones_at_their_next_message() {
    let emu = Emu::start();
    let api = emu.api();
    let before = personal(&api, "alice").await;
    assert!(before.get("activeSwitchboardIntegration").is_none());
    let (_, bot, _) = bot_and_agent(&api).await;
    let after = api
        .create_conversation(
            &json!({"type": "sdkGroup", "participants": [{"userExternalId": "bob"}]}),
        )
        .await;
    assert_eq!(after["activeSwitchboardIntegration"], shown(&bot));
    assert!(after.get("pendingSwitchboardIntegration").is_none());
    // The older conversation gets the default at its next message.
    assert!(
        conversation(&api, &before)
            .await
            .get("activeSwitchboardIntegration")
            .is_none()
    );
    api.post(
        &action(&before, "messages"),
        &json!({"author": {"type": "business"}, "content": {"type": "text", "text": "Hi"}}),
    )
    .await
    .assert_status(201);
    assert_eq!(
        conversation(&api, &before).await["activeSwitchboardIntegration"],
        shown(&bot)
    );
}

#[tokio::test]
async fn pass_offer_accept_release() {
    let emu = Emu::start();
    let api = emu.api();
    let (_, bot, agent) = bot_and_agent(&api).await;
    let conv = personal(&api, "alice").await;
    assert_eq!(conv["activeSwitchboardIntegration"], shown(&bot));

    // Pass by `next`: bot passes to agent.
    let reply = api
        .post(
            &action(&conv, "passControl"),
            &json!({"switchboardIntegration": "next", "metadata": {"reason": "escalate"}}),
        )
        .await;
    assert_eq!(reply.assert_status(200), &json!({}));
    let now = conversation(&api, &conv).await;
    assert_eq!(now["activeSwitchboardIntegration"], shown(&agent));
    // Offer to bot by name: pending, agent still active.
    api.post(
        &action(&conv, "offerControl"),
        &json!({"switchboardIntegration": "bot"}),
    )
    .await
    .assert_status(200);
    let now = conversation(&api, &conv).await;
    assert_eq!(now["activeSwitchboardIntegration"], shown(&agent));
    assert_eq!(now["pendingSwitchboardIntegration"], shown(&bot));
    // Accept: bot takes over.
    api.post(&action(&conv, "acceptControl"), &json!({}))
        .await
        .assert_status(200);
    let now = conversation(&api, &conv).await;
    assert_eq!(now["activeSwitchboardIntegration"], shown(&bot));
    assert!(now.get("pendingSwitchboardIntegration").is_none());
    // Offer by integration type, then pass by id: the offer is dropped.
    api.post(
        &action(&conv, "offerControl"),
        &json!({"switchboardIntegration": "zd:agentWorkspace"}),
    )
    .await
    .assert_status(200);
    api.post(
        &action(&conv, "passControl"),
        &json!({"switchboardIntegration": id(&bot)}),
    )
    .await
    .assert_status(200);
    let now = conversation(&api, &conv).await;
    assert_eq!(now["activeSwitchboardIntegration"], shown(&bot));
    assert!(now.get("pendingSwitchboardIntegration").is_none());
    // Release, without a body: nobody is in control until the next message.
    let reply = api
        .send(
            reqwest::Method::POST,
            &action(&conv, "releaseControl"),
            None,
        )
        .await;
    assert_eq!(reply.assert_status(200), &json!({}));
    let now = conversation(&api, &conv).await;
    assert!(now.get("activeSwitchboardIntegration").is_none());
    emu.control()
        .user_message(
            &id(&conv),
            json!({"userExternalId": "alice", "content": {"type": "text", "text": "Hello?"}}),
        )
        .await;
    assert_eq!(
        conversation(&api, &conv).await["activeSwitchboardIntegration"],
        shown(&bot)
    );
}

#[tokio::test]
async fn action_errors() {
    let emu = Emu::start();
    let api = emu.api();
    let conv = personal(&api, "alice").await;
    // No switchboard yet.
    api.post(
        &action(&conv, "passControl"),
        &json!({"switchboardIntegration": "bot"}),
    )
    .await
    .assert_error(404, "switchboard_not_found", "");
    let (_, bot, agent) = bot_and_agent(&api).await;
    for name in [
        "passControl",
        "offerControl",
        "acceptControl",
        "releaseControl",
    ] {
        api.post(
            &format!("{CONVERSATIONS}/5f7c6b0a1d2e3f4a5b6c7d8e/{name}"),
            &json!({"switchboardIntegration": "bot"}),
        )
        .await
        .assert_error(404, "conversation_not_found", "Conversation not found");
    }
    for name in ["passControl", "offerControl"] {
        let path = action(&conv, name);
        api.post(&path, &json!({})).await.assert_error(
            400,
            "bad_request",
            "switchboardIntegration is required",
        );
        api.post(&path, &json!({"switchboardIntegration": 1}))
            .await
            .assert_error(
                400,
                "bad_request",
                "switchboardIntegration must be a string",
            );
        api.post(&path, &json!({"switchboardIntegration": "nobody"}))
            .await
            .assert_error(404, "switchboard_integration_not_found", "");
        api.post(
            &path,
            &json!({"switchboardIntegration": "bot", "metadata": {"a": {"b": 1}}}),
        )
        .await
        .assert_error(400, "bad_request", "metadata must be flat");
        api.send(reqwest::Method::POST, &path, None)
            .await
            .assert_error(400, "bad_request", "Request body is required");
    }
    // The conversation has no active one: `next` comes from the default (bot -> agent).
    api.post(
        &action(&conv, "passControl"),
        &json!({"switchboardIntegration": "next"}),
    )
    .await
    .assert_status(200);
    assert_eq!(
        conversation(&api, &conv).await["activeSwitchboardIntegration"],
        shown(&agent)
    );
    // agent has no next.
    api.post(
        &action(&conv, "offerControl"),
        &json!({"switchboardIntegration": "next"}),
    )
    .await
    .assert_error(
        400,
        "bad_request",
        "agent has no nextSwitchboardIntegrationId",
    );
    // Offering control to the one in control.
    api.post(
        &action(&conv, "offerControl"),
        &json!({"switchboardIntegration": "agent"}),
    )
    .await
    .assert_error(400, "bad_request", "already in control");
    // Nothing pending.
    api.post(&action(&conv, "acceptControl"), &json!({}))
        .await
        .assert_error(
            400,
            "bad_request",
            "No switchboard integration has been offered",
        );
    api.post(&action(&conv, "releaseControl"), &json!({"metadata": "x"}))
        .await
        .assert_error(400, "bad_request", "metadata must be an object");
    let _ = bot;
}

// ---------------------------------------------------------------- across resources

#[tokio::test]
async fn deleting_an_active_switchboard_integration_hands_control_back_to_the_default() {
    let emu = Emu::start();
    let api = emu.api();
    let (switchboard, bot, agent) = bot_and_agent(&api).await;
    let conv = personal(&api, "alice").await;
    let other = personal(&api, "bob").await;
    api.post(
        &action(&conv, "passControl"),
        &json!({"switchboardIntegration": "agent"}),
    )
    .await
    .assert_status(200);
    api.post(
        &action(&other, "offerControl"),
        &json!({"switchboardIntegration": "agent"}),
    )
    .await
    .assert_status(200);
    // A rename shows in the conversations at once.
    let path = format!("{}/{}", integrations_path(&switchboard), id(&agent));
    let renamed = api
        .patch(&path, &json!({"name": "desk"}))
        .await
        .assert_status(200)["switchboardIntegration"]
        .clone();
    assert_eq!(
        conversation(&api, &conv).await["activeSwitchboardIntegration"],
        shown(&renamed)
    );
    assert_eq!(
        conversation(&api, &other).await["pendingSwitchboardIntegration"],
        shown(&renamed)
    );
    api.patch(
        &format!("{}/{}", integrations_path(&switchboard), id(&bot)),
        &json!({"nextSwitchboardIntegrationId": null}),
    )
    .await
    .assert_status(200);
    api.delete(&path).await.assert_status(200);
    // Neither active nor pending any more; the default takes over at the next message.
    let now = conversation(&api, &conv).await;
    assert!(now.get("activeSwitchboardIntegration").is_none());
    let now = conversation(&api, &other).await;
    assert!(now.get("pendingSwitchboardIntegration").is_none());
    assert_eq!(now["activeSwitchboardIntegration"], shown(&bot));
    api.post(
        &action(&conv, "messages"),
        &json!({"author": {"type": "business"}, "content": {"type": "text", "text": "Back"}}),
    )
    .await
    .assert_status(201);
    assert_eq!(
        conversation(&api, &conv).await["activeSwitchboardIntegration"],
        shown(&bot)
    );
    // Deleting the switchboard clears every conversation's switchboard state.
    let reply = api
        .delete(&format!("{SWITCHBOARDS}/{}", id(&switchboard)))
        .await;
    assert_eq!(reply.assert_status(200), &json!({}));
    assert!(
        conversation(&api, &conv)
            .await
            .get("activeSwitchboardIntegration")
            .is_none()
    );
    let reply = api.get(SWITCHBOARDS).await;
    assert_eq!(reply.assert_status(200), &json!({"switchboards": []}));
}
