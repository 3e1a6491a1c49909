//! The generated typed handles and models against the emulator: one realistic flow per group,
//! the models reading every answer strictly, and the failure paths.

mod common;

use common::Emulator;
use futures_util::TryStreamExt;
use serde_json::{Value, json};
use sunco::types::{
    AcceptControlBody, Action, ActionSubset, ActivityPost, ActivityPostType, AppCreateBody,
    AppKeyCreateBody, AppUpdateBody, Author, AuthorType, Content, Custom, Integration,
    IntegrationApiKey, IntegrationUpdate, Item, ListMessagesParams, ListUsersParams, MessagePost,
    OfferControlBody, Page, ParticipantSubSchema, ParticipantWithUserExternalId, PassControlBody,
    SwitchboardIntegrationCreateBody, SwitchboardUpdateBody, UserCreateBody, UserListFilter,
    UserUpdateBody, Webhook, WebhookBody, WebhookCreateBody,
};
use sunco::{Auth, CreateConversation, Error, Participant, Patch};

/// The JSON body of a request in the emulator's log (kept there as text).
fn sent_body(entry: &Value) -> Value {
    serde_json::from_str(entry["body"].as_str().expect("a body")).expect("a JSON body")
}

async fn personal_conversation(client: &sunco::Client, external_id: &str) -> String {
    client
        .app("demo-app")
        .conversations()
        .create(&CreateConversation::personal(
            Participant::user_external_id(external_id),
        ))
        .await
        .unwrap()
        .id
}

#[tokio::test]
async fn users_are_created_read_updated_with_patch_fields_listed_and_deleted() {
    let emu = Emulator::start().await;
    let users = emu.client().app("demo-app").users();

    let mut body = UserCreateBody {
        external_id: Some("tess".into()),
        ..Default::default()
    };
    body.metadata = Some([("plan".to_owned(), "pro".into())].into_iter().collect());
    let created = users.create(&body).await.unwrap().user.unwrap();
    assert_eq!(created.external_id.as_deref(), Some("tess"));

    // Tri-state: `metadata: null` clears, an unset field is not sent at all.
    let update = UserUpdateBody {
        metadata: Patch::Clear,
        ..Default::default()
    };
    users
        .update("tess", &update, &Default::default())
        .await
        .unwrap();
    let log = emu.requests().await;
    let sent = log.last().unwrap();
    assert_eq!(sent["method"], "PATCH");
    assert_eq!(sent_body(sent), json!({"metadata": null}));

    let got = users.get("tess", &Default::default()).await.unwrap();
    // `null` empties the user's metadata.
    assert!(got.user.unwrap().metadata.unwrap_or_default().is_empty());

    // ListUsers needs its filter: the typed params make it a required field.
    let page = users
        .list(&ListUsersParams {
            filter: UserListFilter {
                identities_email: Some("nobody@example.org".into()),
                ..Default::default()
            },
            brand_id: None,
        })
        .await
        .unwrap();
    assert_eq!(page.users.map(|u| u.len()), Some(0));

    users.delete("tess", &Default::default()).await.unwrap();
    match users.get("tess", &Default::default()).await {
        Err(Error::Api(e)) => assert_eq!(e.status, 404),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn messages_post_text_and_carousel_then_walk_back_and_delete() {
    let emu = Emulator::start().await;
    let client = emu.client();
    let conv = personal_conversation(&client, "alice").await;
    let messages = client.app("demo-app").messages(&conv);

    let text = MessagePost::business(
        Content::text("How can we help?").with_action(Action::reply("An agent", "agent")),
    );
    let sent = messages.post(&text).await.unwrap();
    let first = &sent.messages.unwrap()[0];
    match first.content.as_ref().unwrap() {
        Content::Text(t) => {
            assert_eq!(t.text.as_deref(), Some("How can we help?"));
            assert!(
                matches!(t.actions.as_deref(), Some([Action::Reply(r)]) if r.payload == "agent")
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(first.author.as_ref().unwrap().r#type, AuthorType::Business);

    let carousel = MessagePost::business(Content::carousel([
        Item::new(
            "Basic".into(),
            vec![ActionSubset::postback("Choose", "basic")],
        ),
        Item::new("Pro".into(), vec![ActionSubset::postback("Choose", "pro")]),
    ]));
    messages.post(&carousel).await.unwrap();
    let log = emu.requests().await;
    let body = &sent_body(log.last().unwrap());
    assert_eq!(body["content"]["type"], "carousel");
    assert_eq!(
        body["content"]["items"][1]["actions"][0]["type"],
        "postback"
    );
    // The tag is written first, as a human would write it.
    assert_eq!(
        body["content"].as_object().unwrap().keys().next().unwrap(),
        "type"
    );

    // ListMessages pages backward: the stream yields the latest page first.
    let all: Vec<_> = messages
        .stream(&ListMessagesParams::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    assert!(matches!(all[1].content, Some(Content::Carousel(_))));

    let id = all[0].id.clone().unwrap();
    messages.delete(&id).await.unwrap();
    messages.delete_all().await.unwrap();
    let left = messages.list(&Default::default()).await.unwrap();
    assert_eq!(left.messages.unwrap().len(), 0);
}

#[tokio::test]
async fn a_typed_body_that_breaks_the_schema_is_refused_before_sending() {
    let emu = Emulator::start().await;
    let client = emu.client();
    let conv = personal_conversation(&client, "alice").await;
    emu.clear_requests().await;
    let messages = client.app("demo-app").messages(&conv);

    // A text over the 4096-character limit.
    let long = MessagePost::business(Content::text("x".repeat(4097)));
    match messages.post(&long).await {
        Err(Error::Validation { field, .. }) => assert_eq!(field, "content.text"),
        other => panic!("{other:?}"),
    }
    // A page cursor that is not a record id.
    let params = ListMessagesParams {
        page: Some(Page {
            before: Some("nope".into()),
            ..Default::default()
        }),
    };
    match messages.list(&params).await {
        Err(Error::Validation { field, .. }) => assert_eq!(field, "page.before"),
        other => panic!("{other:?}"),
    }
    // A broken path segment.
    match client.app("demo-app").messages("..").delete_all().await {
        Err(Error::Validation { field, .. }) => assert_eq!(field, "conversationId"),
        other => panic!("{other:?}"),
    }
    assert!(emu.requests().await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn unknown_content_types_and_enum_values_round_trip() {
    let raw = json!({"type": "hologram", "depth": 3, "text": "hi"});
    let content: Content = serde_json::from_value(raw.clone()).unwrap();
    assert!(matches!(content, Content::Unknown(_)));
    assert_eq!(content.tag(), Some("hologram"));
    assert_eq!(serde_json::to_value(&content).unwrap(), raw);

    let author: Author = serde_json::from_value(json!({"type": "robot", "mood": "fine"})).unwrap();
    assert_eq!(author.r#type, AuthorType::Unknown("robot".into()));
    assert_eq!(author.extra["mood"], "fine");
    assert_eq!(
        serde_json::to_value(&author).unwrap(),
        json!({"type": "robot", "mood": "fine"})
    );

    // A known type with a field this crate does not know keeps it.
    let text: Content =
        serde_json::from_value(json!({"type": "text", "text": "a", "sparkle": true})).unwrap();
    assert_eq!(
        serde_json::to_value(&text).unwrap(),
        json!({"type": "text", "text": "a", "sparkle": true})
    );
    // A known type whose fields are of the wrong type is an error naming the tag.
    let err = serde_json::from_value::<Content>(json!({"type": "image", "mediaUrl": 5}))
        .unwrap_err()
        .to_string();
    assert!(err.contains("type image"), "{err}");
}

#[tokio::test]
async fn participants_join_list_and_leave() {
    let emu = Emulator::start().await;
    let client = emu.client();
    emu.create_user("zoe").await;
    let conv = client
        .app("demo-app")
        .conversations()
        .create(
            &CreateConversation::sdk_group().participant(Participant::user_external_id("alice")),
        )
        .await
        .unwrap()
        .id;
    let participants = client.app("demo-app").participants(&conv);
    let join = ParticipantSubSchema::ParticipantWithUserExternalId(ParticipantWithUserExternalId {
        user_external_id: Some("zoe".into()),
        ..Default::default()
    });
    let joined = participants.join(&join).await.unwrap();
    assert!(joined.participant.is_some());
    let all: Vec<_> = participants
        .stream(&Default::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    let leave: sunco::types::ParticipantLeaveBody =
        serde_json::from_value(json!({"userExternalId": "zoe"})).unwrap();
    participants.leave(&leave).await.unwrap();
    assert_eq!(
        participants
            .list(&Default::default())
            .await
            .unwrap()
            .participants
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn integrations_webhooks_and_keys_of_a_custom_integration() {
    let emu = Emulator::start().await;
    let app = emu.client().app("demo-app");

    let hook = Webhook::new(
        "http://127.0.0.1:9/hook".into(),
        vec!["conversation:message".into()],
    );
    let created = app
        .integrations()
        .create(&Integration::Custom(Custom::new(vec![hook])))
        .await
        .unwrap();
    let Some(Integration::Custom(custom)) = created.integration else {
        panic!("a custom integration");
    };
    let integration_id = custom.id.clone().unwrap();
    assert_eq!(custom.webhooks.len(), 1);
    // The secret of a new webhook is returned once; it never shows in Debug of the client.
    let webhooks = app.webhooks(&integration_id);
    let listed = webhooks.list().await.unwrap().webhooks.unwrap();
    assert_eq!(listed.len(), 1);

    let more = webhooks
        .create(&WebhookCreateBody::new(
            "http://127.0.0.1:9/other".into(),
            vec!["conversation:postback".into()],
        ))
        .await
        .unwrap()
        .webhook
        .unwrap();
    let changed = webhooks
        .update(
            more.id.as_deref().unwrap(),
            &WebhookBody {
                include_full_user: Some(true),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .webhook
        .unwrap();
    assert_eq!(changed.include_full_user, Some(true));
    webhooks.delete(more.id.as_deref().unwrap()).await.unwrap();

    let keys = app.integration_keys(&integration_id);
    let key = keys
        .create(&IntegrationApiKey::new("bot key".into()))
        .await
        .unwrap()
        .key
        .unwrap();
    let key_id = key.id.clone().unwrap();
    assert_eq!(
        keys.get(&key_id).await.unwrap().key.unwrap().id,
        Some(key_id.clone())
    );
    keys.delete(&key_id).await.unwrap();

    let update: IntegrationUpdate = serde_json::from_value(json!({"displayName": "Bot"})).unwrap();
    let updated = app
        .integrations()
        .update(&integration_id, &update)
        .await
        .unwrap();
    assert!(
        matches!(updated.integration, Some(Integration::Custom(c)) if c.display_name.as_deref() == Some("Bot"))
    );

    let all: Vec<_> = app
        .integrations()
        .stream(&Default::default())
        .try_collect()
        .await
        .unwrap();
    assert!(all.iter().any(
        |i| matches!(i, Integration::Custom(c) if c.id.as_deref() == Some(integration_id.as_str()))
    ));
    app.integrations().delete(&integration_id).await.unwrap();
    match app.integrations().get(&integration_id).await {
        Err(Error::Api(e)) => assert_eq!(e.status, 404),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn control_passes_to_an_agent_and_back_through_switchboard_actions() {
    let emu = Emulator::start().await;
    let client = emu.client();
    let app = client.app("demo-app");

    let integration = |target: &str| {
        Integration::Custom(Custom::new(vec![Webhook::new(
            target.into(),
            vec!["conversation:message".into()],
        )]))
    };
    let id_of = |i: Option<Integration>| match i {
        Some(Integration::Custom(c)) => c.id.unwrap(),
        other => panic!("{other:?}"),
    };
    let bot = id_of(
        app.integrations()
            .create(&integration("http://127.0.0.1:9/bot"))
            .await
            .unwrap()
            .integration,
    );
    let desk = id_of(
        app.integrations()
            .create(&integration("http://127.0.0.1:9/desk"))
            .await
            .unwrap()
            .integration,
    );

    let board = app
        .switchboards()
        .create()
        .await
        .unwrap()
        .switchboard
        .unwrap();
    let board_id = board.id;
    let members = app.switchboard_integrations(&board_id);
    let mut bot_body = SwitchboardIntegrationCreateBody::new("bot".into());
    bot_body.integration_id = Some(bot);
    let bot_si = members
        .create(&bot_body)
        .await
        .unwrap()
        .switchboard_integration
        .unwrap();
    let mut agent_body = SwitchboardIntegrationCreateBody::new("agent".into());
    agent_body.integration_id = Some(desk);
    members.create(&agent_body).await.unwrap();
    app.switchboards()
        .update(
            &board_id,
            &SwitchboardUpdateBody {
                enabled: Some(true),
                default_switchboard_integration_id: Some(bot_si.id.clone()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        members
            .list()
            .await
            .unwrap()
            .switchboard_integrations
            .unwrap()
            .len(),
        2
    );

    let conv = personal_conversation(&client, "alice").await;
    let actions = app.switchboard_actions(&conv);
    actions
        .pass_control(&PassControlBody::new("agent".into()))
        .await
        .unwrap();
    let now = app.conversations().get(&conv).await.unwrap();
    assert_eq!(
        now.active_switchboard_integration
            .and_then(|s| s.name)
            .as_deref(),
        Some("agent")
    );
    actions
        .offer_control(&OfferControlBody::new("bot".into()))
        .await
        .unwrap();
    actions
        .accept_control(&AcceptControlBody::default())
        .await
        .unwrap();
    actions.release_control(&Default::default()).await.unwrap();

    // Typing, as the business.
    app.activities(&conv)
        .post(&ActivityPost::new(
            Author::new(AuthorType::Business),
            ActivityPostType::TypingStart,
        ))
        .await
        .unwrap();
    let log = emu.requests().await;
    assert_eq!(sent_body(log.last().unwrap())["type"], "typing:start");

    // Passing control to a name no switchboard integration has is the API's error.
    match actions
        .pass_control(&PassControlBody::new("nobody".into()))
        .await
    {
        Err(Error::Api(e)) => assert!(e.status == 400 || e.status == 404, "{e:?}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn apps_and_app_keys_with_an_account_key() {
    let emu = Emulator::start().await;
    let account = emu
        .builder()
        .auth(Auth::basic("demo-account-key", "demo-account-secret"))
        .build()
        .unwrap();
    let made = account
        .apps()
        .create(&AppCreateBody::new("Typed".into()))
        .await
        .unwrap()
        .app
        .unwrap();
    let app_id = made.id.unwrap();
    let renamed = account
        .apps()
        .update(
            &app_id,
            &AppUpdateBody {
                display_name: Some("Renamed".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .app
        .unwrap();
    assert_eq!(renamed.display_name.as_deref(), Some("Renamed"));
    let listed: Vec<_> = account
        .apps()
        .stream(&Default::default())
        .try_collect()
        .await
        .unwrap();
    assert!(
        listed
            .iter()
            .any(|a| a.id.as_deref() == Some(app_id.as_str()))
    );

    let keys = account.app(&app_id).keys();
    let key = keys
        .create(&AppKeyCreateBody::new("typed".into()))
        .await
        .unwrap()
        .key
        .unwrap();
    let secret = key.secret.clone().unwrap();
    // The new key authenticates for its app.
    let with_key = emu
        .builder()
        .auth(Auth::basic(key.id.clone().unwrap(), secret))
        .build()
        .unwrap();
    with_key.apps().get(&app_id).await.unwrap();
    assert_eq!(keys.list().await.unwrap().keys.unwrap().len(), 1);
    keys.delete(key.id.as_deref().unwrap()).await.unwrap();
    account.apps().delete(&app_id).await.unwrap();

    // An app key cannot make apps: the API's 401/403, decoded as such.
    match emu
        .client()
        .apps()
        .create(&AppCreateBody::new("No".into()))
        .await
    {
        Err(Error::Api(e)) => assert!(e.status == 401 || e.status == 403, "{e:?}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_answer_that_breaks_the_model_is_a_decode_error_naming_where() {
    let body = json!({"user": {"id": "5f1c6e4b3a2d1c0b9a8f7e6d", "externalId": 7}});
    let Value::Object(body) = body else {
        unreachable!()
    };
    match sunco::reencode_response("GetUser", body) {
        Some(Err(e @ Error::Decode { .. })) => {
            let text = e.to_string();
            assert!(text.contains("user.externalId"), "{text}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_operation_has_a_typed_model_for_its_answer_or_answers_an_empty_object() {
    let manifest: Value =
        serde_json::from_str(include_str!("../../api.json")).expect("api.json is JSON");
    for op in manifest["operations"].as_array().unwrap() {
        let id = op["operationId"].as_str().unwrap();
        let typed = sunco::reencode_response(id, serde_json::Map::new()).is_some();
        let schema = &op["success"]["schema"];
        if schema.is_string() {
            assert!(typed, "{id} answers {schema} but has no model");
        }
    }
}

#[tokio::test]
async fn upload_an_image_then_send_it_then_remove_it() {
    let emu = Emulator::start().await;
    let client = emu.client();
    let conv = personal_conversation(&client, "alice").await;
    let app = client.app("demo-app");
    let params = sunco::types::UploadAttachmentParams {
        access: "public".into(),
        r#for: None,
        conversation_id: None,
    };
    let png = b"\x89PNG\r\n\x1a\nnot really a picture".to_vec();
    let uploaded = app
        .attachments()
        .upload(&params, sunco::Upload::bytes(png.clone(), "dot.png"))
        .await
        .unwrap();
    let url = uploaded.attachment.unwrap().media_url.unwrap();
    let sent = app
        .messages(&conv)
        .post(&MessagePost::business(Content::image(url.clone())))
        .await
        .unwrap();
    assert!(matches!(
        sent.messages.unwrap()[0].content.as_ref(),
        Some(Content::Image(i)) if i.media_url == url
    ));
    app.attachments()
        .delete(&sunco::types::AttachmentDeleteBody::new(url))
        .await
        .unwrap();

    // `access` is required: a params value without it cannot be written, and a bad value
    // is the API's to refuse.
    let bad = sunco::types::UploadAttachmentParams {
        access: "secret".into(),
        r#for: None,
        conversation_id: None,
    };
    assert!(
        app.attachments()
            .upload(&bad, sunco::Upload::bytes(png, "dot.png"))
            .await
            .is_err()
    );
}
