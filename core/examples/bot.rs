//! An offline bot: receives `conversation:message` webhooks, answers the user with a text and
//! two quick replies, and passes control to an agent when the user writes "agent".
//!
//! The bot contract (shared with the C, Python and Node bots; `scripts/bot-demo.py` runs it):
//! the environment gives the API (`SUNCO_BASE_URL`, `SUNCO_KEY_ID`, `SUNCO_KEY_SECRET`,
//! `SUNCO_APP_ID`), where to listen (`BOT_PORT`, on 127.0.0.1, `POST` on any path), the
//! webhook's secret (`BOT_WEBHOOK_SECRET`: a wrong or missing `X-API-Key` is answered 401, a
//! malformed body 400, a body over 1 MiB 413) and the switchboard integration to pass control
//! to (`BOT_AGENT`). Once listening it prints `bot: listening on 127.0.0.1:<port>`; it answers
//! each webhook 200 at once and handles the events in order on a task of its own, printing
//! `bot: <conversationId> replied` or `bot: <conversationId> passed control`. SIGTERM or
//! SIGINT stops it (exit 0).
//!
//! ```sh
//! make demo-rust        # runs it through scripts/bot-demo.py against a fresh emulator
//! python3 scripts/bot-demo.py --emulator target/$(rustc -vV | sed -n 's/^host: //p')/debug/sunco-emulator \
//!     -- target/$(rustc -vV | sed -n 's/^host: //p')/debug/examples/bot
//! ```

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use sunco::types::{Action, AuthorWebhookType, Content, MessagePost, PassControlBody};
use sunco::webhooks::{MAX_BODY_BYTES, Receiver, WebhookEvent};
use sunco::{App, Client};
use tokio::sync::mpsc;

/// What the bot does for one event.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Reply {
    /// Echo the text with the two quick replies.
    Echo { conversation: String, text: String },
    /// Say so, then pass control to the agent.
    Handoff { conversation: String },
}

/// The bot's decision for `event`: only a user's text message gets an answer; every other
/// event (other types, business messages, other content) is ignored.
fn decide(event: &WebhookEvent) -> Option<Reply> {
    let WebhookEvent::ConversationMessage(event) = event else {
        return None;
    };
    let payload = event.payload.as_ref()?;
    let conversation = payload.conversation.as_ref()?.id.clone()?;
    let message = payload.message.as_ref()?;
    if message.author.as_ref()?.r#type != AuthorWebhookType::User {
        return None;
    }
    let Some(Content::Text(text)) = &message.content else {
        return None;
    };
    let text = text.text.clone().unwrap_or_default();
    Some(if text.trim().to_lowercase() == "agent" {
        Reply::Handoff { conversation }
    } else {
        Reply::Echo { conversation, text }
    })
}

/// The business message that echoes `text`, with the quick replies "Talk to an agent" and
/// "Thanks".
fn echo(text: &str) -> MessagePost {
    MessagePost::business(
        Content::text(format!("You said: {text}"))
            .with_action(Action::reply("Talk to an agent", "agent"))
            .with_action(Action::reply("Thanks", "thanks")),
    )
}

/// Carries out `reply` through the API; the line to print.
async fn act(app: &App, agent: &str, reply: Reply) -> Result<String, sunco::Error> {
    match reply {
        Reply::Echo { conversation, text } => {
            app.messages(&conversation).post(&echo(&text)).await?;
            Ok(format!("bot: {conversation} replied"))
        }
        Reply::Handoff { conversation } => {
            let say = MessagePost::business(Content::text("Passing you to an agent."));
            app.messages(&conversation).post(&say).await?;
            app.switchboard_actions(&conversation)
                .pass_control(&PassControlBody::new(agent.to_owned()))
                .await?;
            Ok(format!("bot: {conversation} passed control"))
        }
    }
}

/// What the webhook handler shares: the secret check and the queue to the worker.
struct Inbox {
    receiver: Receiver,
    events: mpsc::UnboundedSender<WebhookEvent>,
}

/// `POST` on any path: check and parse, queue the events, answer at once.
async fn webhook(State(inbox): State<Arc<Inbox>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    match inbox.receiver.parse(&body, &headers) {
        Ok(payload) => {
            for event in payload.events.into_iter().flatten() {
                // The worker only stops at shutdown, when nobody needs the event any more.
                let _ = inbox.events.send(event);
            }
            StatusCode::OK
        }
        Err(e) => {
            eprintln!("bot: refused a webhook: {e}");
            e.webhook()
                .and_then(|w| StatusCode::from_u16(w.status()).ok())
                .unwrap_or(StatusCode::BAD_REQUEST)
        }
    }
}

/// Handles events one after the other (so a conversation's replies keep their order),
/// skipping an event id already seen (a webhook retried after a timeout comes again).
async fn work(app: App, agent: String, mut events: mpsc::UnboundedReceiver<WebhookEvent>) {
    const REMEMBERED: usize = 1024;
    let mut seen: (HashSet<String>, VecDeque<String>) = Default::default();
    while let Some(event) = events.recv().await {
        if let Some(id) = event.id().map(str::to_owned) {
            if !seen.0.insert(id.clone()) {
                continue;
            }
            seen.1.push_back(id);
            if seen.1.len() > REMEMBERED
                && let Some(old) = seen.1.pop_front()
            {
                seen.0.remove(&old);
            }
        }
        let Some(reply) = decide(&event) else {
            continue;
        };
        let conversation = match &reply {
            Reply::Echo { conversation, .. } | Reply::Handoff { conversation } => {
                conversation.clone()
            }
        };
        match act(&app, &agent, reply).await {
            Ok(line) => println!("{line}"),
            Err(e) => eprintln!("bot: {conversation} failed: {e}"),
        }
    }
}

/// Resolves on SIGTERM or SIGINT.
async fn stop_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) {
        (Ok(mut term), Ok(mut int)) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = int.recv() => {}
            }
        }
        _ => std::future::pending().await,
    }
}

fn required(name: &str) -> Result<String, Box<dyn std::error::Error>> {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| format!("{name} must be set (see the bot contract in this file)").into())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port: u16 = required("BOT_PORT")?
        .parse()
        .map_err(|_| "BOT_PORT must be a port number (0 to 65535)")?;
    let secret = required("BOT_WEBHOOK_SECRET")?;
    let agent = required("BOT_AGENT")?;
    let app = Client::builder()
        .from_env()?
        .user_agent_extra("bot-example")
        .build()?
        .app(required("SUNCO_APP_ID")?);

    let (events, queue) = mpsc::unbounded_channel();
    let inbox = Arc::new(Inbox {
        receiver: Receiver::new(secret),
        events,
    });
    let router = Router::new()
        .fallback(axum::routing::post(webhook))
        // Refuse a larger body while reading it (413), not only once it is all in.
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(inbox);
    // Signal handlers first, so a signal sent once the line is read already stops gracefully.
    let stop = stop_signal();
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let worker = tokio::spawn(work(app, agent, queue));
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        writeln!(out, "bot: listening on {}", listener.local_addr()?)?;
        out.flush()?;
    }
    axum::serve(listener, router)
        .with_graceful_shutdown(stop)
        .await?;
    worker.abort();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spec's example body for `event_type` (tests/webhooks/spec_examples.json).
    fn example(event_type: &str) -> serde_json::Value {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/webhooks/spec_examples.json"
        );
        let all: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        all["examples"][event_type].clone()
    }

    fn first_event(body: &serde_json::Value) -> WebhookEvent {
        let bytes = serde_json::to_vec(body).unwrap();
        let payload = sunco::webhooks::parse_unverified(&bytes).unwrap();
        payload.events.unwrap().remove(0)
    }

    #[test]
    fn a_user_text_is_echoed() {
        let body = example("conversation:message");
        assert_eq!(
            decide(&first_event(&body)),
            Some(Reply::Echo {
                conversation: "f52b01137aa6c250bc7251fa".into(),
                text: "hello".into()
            })
        );
    }

    #[test]
    fn agent_in_any_case_and_spacing_hands_off() {
        let mut body = example("conversation:message");
        body["events"][0]["payload"]["message"]["content"]["text"] = "  AgEnt \n".into();
        assert_eq!(
            decide(&first_event(&body)),
            Some(Reply::Handoff {
                conversation: "f52b01137aa6c250bc7251fa".into()
            })
        );
    }

    #[test]
    fn business_messages_and_other_events_are_ignored() {
        let mut body = example("conversation:message");
        body["events"][0]["payload"]["message"]["author"]["type"] = "business".into();
        assert_eq!(decide(&first_event(&body)), None);
        let mut image = example("conversation:message");
        image["events"][0]["payload"]["message"]["content"] =
            serde_json::json!({"type": "image", "mediaUrl": "https://example.com/a.png"});
        assert_eq!(decide(&first_event(&image)), None);
        for other in [
            "conversation:postback",
            "switchboard:passControl",
            "user:update",
        ] {
            assert_eq!(decide(&first_event(&example(other))), None, "{other}");
        }
    }

    #[test]
    fn the_echo_has_two_quick_replies() {
        let body = serde_json::to_value(echo("hi")).unwrap();
        assert_eq!(body["author"]["type"], "business");
        assert_eq!(body["content"]["text"], "You said: hi");
        let actions: Vec<(&str, &str, &str)> = body["content"]["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["type"].as_str().unwrap(),
                    a["text"].as_str().unwrap(),
                    a["payload"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            actions,
            [
                ("reply", "Talk to an agent", "agent"),
                ("reply", "Thanks", "thanks")
            ]
        );
    }
}
