//! Receive Sunshine Conversations webhooks with axum and print each event.
//!
//! The handler passes the raw body and the headers to `sunco::webhooks`, which checks the
//! `X-API-Key` secret (in constant time), the body limit, and reads the typed events; a refused
//! request gets the status the error names (401, 413 or 400).
//!
//! ```sh
//! # listen on 127.0.0.1:8092 for the webhook whose secret is $SUNCO_WEBHOOK_SECRET
//! SUNCO_WEBHOOK_SECRET=... cargo run -p sunco --example webhook_receiver -- 127.0.0.1:8092
//! # or: listen on a free port, POST the spec's conversation:message example to itself, and exit
//! cargo run -p sunco --example webhook_receiver -- --self-test
//! ```

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use sunco::types::Content;
use sunco::webhooks::{MAX_BODY_BYTES, Receiver, WebhookEvent};

async fn receive(
    State(receiver): State<Arc<Receiver>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let payload = match receiver.parse(&body, &headers) {
        Ok(payload) => payload,
        Err(e) => {
            eprintln!("refused: {e}");
            let status = e.webhook().map_or(500, |w| w.status());
            return StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
        }
    };
    let app = payload.app.as_ref().and_then(|a| a.id.as_deref());
    for event in payload.events.iter().flatten() {
        let kind = event.tag().unwrap_or("(no type)");
        let id = event.id().unwrap_or("-");
        match event {
            WebhookEvent::ConversationMessage(m) => {
                let p = m.payload.as_ref();
                let conversation = p.and_then(|p| p.conversation.as_ref()?.id.as_deref());
                match p.and_then(|p| p.message.as_ref()?.content.as_ref()) {
                    Some(Content::Text(t)) => println!(
                        "{kind} {id} app={app:?} conversation={conversation:?} text={:?}",
                        t.text
                    ),
                    other => println!(
                        "{kind} {id} app={app:?} conversation={conversation:?} content={:?}",
                        other.and_then(Content::tag)
                    ),
                }
            }
            WebhookEvent::ConversationPostback(p) => {
                let postback = p.payload.as_ref().and_then(|p| p.postback.as_ref());
                println!("{kind} {id} postback={postback:?}");
            }
            WebhookEvent::Unknown(raw) => {
                println!("{kind} {id} (a type this crate does not know): {raw}")
            }
            _ => println!("{kind} {id}"),
        }
    }
    StatusCode::OK
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let arg = std::env::args().nth(1);
    let self_test = arg.as_deref() == Some("--self-test");
    let secret =
        std::env::var("SUNCO_WEBHOOK_SECRET").unwrap_or_else(|_| "demo-webhook-secret".into());
    let receiver = Arc::new(Receiver::new(secret.clone()));
    let app = Router::new()
        .route("/webhooks", post(receive))
        // Refuse a larger body while reading it, not only after (the same limit as the core's).
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(receiver);
    let addr = match arg.as_deref() {
        Some(a) if !self_test => a.to_owned(),
        _ => "127.0.0.1:0".to_owned(),
    };
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    let url = format!("http://{}/webhooks", listener.local_addr()?);
    println!("listening on {url}");
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    if !self_test {
        return Ok(server.await??);
    }

    let body = r#"{"app":{"id":"5ebee0975ac5304b664a12fa"},"webhook":{"id":"5f4eaef81e3dcc117c7ba48a","version":"v2"},
        "events":[{"id":"5f74a0d52b5315fc007e798a","createdAt":"2020-09-30T15:14:29.834Z","type":"conversation:message",
        "payload":{"conversation":{"id":"f52b01137aa6c250bc7251fa","type":"personal"},
        "message":{"id":"5f74c7d84a146f3abd72af1d","received":"2020-09-30T18:00:56.820Z",
        "author":{"userId":"26508c10541a4b0ff472e5e2","displayName":"Steve Rogers","type":"user"},
        "content":{"type":"text","text":"hello"},"source":{"type":"telegram"}}}},
        {"id":"6500aa0e1f5e2f0001c2d3e4","type":"passthrough:messaging","payload":{}}]}"#;
    let http = reqwest::Client::new();
    for key in [secret.as_str(), "wrong"] {
        let answer = http
            .post(&url)
            .header("X-API-Key", key)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await?;
        println!(
            "POST with {} secret: {}",
            if key == "wrong" { "a wrong" } else { "the" },
            answer.status()
        );
    }
    server.abort();
    Ok(())
}
