//! A tour of the typed API, one realistic step per group, against the emulator:
//! a user, a conversation, a text with quick replies, a carousel, an image uploaded then sent,
//! the message history walked backward, then control passed to an agent.
//!
//! `make demo` runs it; alone: start `sunco-emulator`, then
//! `SUNCO_BASE_URL=http://127.0.0.1:8080 cargo run -p sunco --example whole_api`.

use futures_util::TryStreamExt;
use sunco::types::{
    Action, ActionSubset, Content, Custom, Integration, Item, MessagePost, PassControlBody,
    SwitchboardIntegrationCreateBody, SwitchboardUpdateBody, UploadAttachmentParams,
    UserCreateBody, Webhook,
};
use sunco::{Auth, Client, CreateConversation, Participant, Upload};

#[tokio::main]
async fn main() -> sunco::Result<()> {
    let base = std::env::var("SUNCO_BASE_URL").unwrap_or_else(|_| "http://127.0.0.1:8080".into());
    let client = Client::builder()
        .base_url(base)
        .auth(Auth::basic("demo-key", "demo-secret"))
        .build()?;
    let app = client.app("demo-app");

    // Users: create one by its external id.
    let user = app
        .users()
        .create(&UserCreateBody {
            external_id: Some("tour-user".into()),
            ..Default::default()
        })
        .await?
        .user
        .expect("the created user");
    println!("user {}", user.id.as_deref().unwrap_or("?"));

    // Conversations: the user's personal conversation.
    let conv = app
        .conversations()
        .create(&CreateConversation::personal(
            Participant::user_external_id("tour-user"),
        ))
        .await?;
    let messages = app.messages(&conv.id);

    // Messages: a text with two quick replies, then a carousel.
    messages
        .post(&MessagePost::business(
            Content::text("Hi! What can we do for you?")
                .with_action(Action::reply("Plans", "plans"))
                .with_action(Action::reply("An agent", "agent")),
        ))
        .await?;
    messages
        .post(&MessagePost::business(Content::carousel([
            Item::new(
                "Basic".into(),
                vec![ActionSubset::postback("Choose", "plan:basic")],
            )
            .with_description("For one person"),
            Item::new(
                "Pro".into(),
                vec![ActionSubset::postback("Choose", "plan:pro")],
            )
            .with_description("For teams"),
        ])))
        .await?;

    // Attachments: upload an image, then send it.
    let params = UploadAttachmentParams {
        access: "public".into(),
        r#for: None,
        conversation_id: None,
    };
    let uploaded = app
        .attachments()
        .upload(
            &params,
            Upload::bytes(&b"\x89PNG\r\n\x1a\n"[..], "logo.png"),
        )
        .await?;
    let url = uploaded
        .attachment
        .and_then(|a| a.media_url)
        .expect("a mediaUrl");
    messages
        .post(&MessagePost::business(Content::image(url)))
        .await?;

    // The history, latest page first (ListMessages pages backward).
    let history: Vec<_> = messages.stream(&Default::default()).try_collect().await?;
    for m in &history {
        let kind = m.content.as_ref().and_then(|c| c.tag()).unwrap_or("?");
        println!("message {} ({kind})", m.id.as_deref().unwrap_or("?"));
    }

    // Switchboards: a bot in control by default, an agent desk to pass control to.
    let integration = |target: &str| {
        Integration::Custom(Custom::new(vec![Webhook::new(
            target.into(),
            vec!["conversation:message".into()],
        )]))
    };
    let id_of = |i: Option<Integration>| match i {
        Some(Integration::Custom(c)) => c.id.unwrap_or_default(),
        _ => String::new(),
    };
    let bot = id_of(
        app.integrations()
            .create(&integration("http://127.0.0.1:9/bot"))
            .await?
            .integration,
    );
    let desk = id_of(
        app.integrations()
            .create(&integration("http://127.0.0.1:9/desk"))
            .await?
            .integration,
    );
    let board = app
        .switchboards()
        .create()
        .await?
        .switchboard
        .expect("a switchboard");
    let members = app.switchboard_integrations(&board.id);
    let mut bot_member = SwitchboardIntegrationCreateBody::new("bot".into());
    bot_member.integration_id = Some(bot);
    let bot_member = members
        .create(&bot_member)
        .await?
        .switchboard_integration
        .expect("bot");
    let mut agent_member = SwitchboardIntegrationCreateBody::new("agent".into());
    agent_member.integration_id = Some(desk);
    members.create(&agent_member).await?;
    app.switchboards()
        .update(
            &board.id,
            &SwitchboardUpdateBody {
                enabled: Some(true),
                default_switchboard_integration_id: Some(bot_member.id),
                ..Default::default()
            },
        )
        .await?;

    // Switchboard actions: the user asked for an agent.
    app.switchboard_actions(&conv.id)
        .pass_control(&PassControlBody::new("agent".into()))
        .await?;
    let now = app.conversations().get(&conv.id).await?;
    println!(
        "in control: {}",
        now.active_switchboard_integration
            .and_then(|s| s.name)
            .unwrap_or_default()
    );
    Ok(())
}
