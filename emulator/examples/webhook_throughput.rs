//! Webhook delivery throughput: events per second the emulator delivers to a local receiver.
//!
//! ```text
//! cargo run --release -p sunco-emulator --example webhook_throughput
//! cargo run --release -p sunco-emulator --example webhook_throughput -- --events 50000 --conversations 1
//! ```
//! An in-process emulator (its own runtime, 2 workers) with one webhook subscribed to
//! `conversation:message` whose target is a receiver in this process (answers 200, counts).
//! `--tasks T` writers (default 32) post `--events N` end-user messages (default 20,000)
//! through the control endpoint, spread over `--conversations C` conversations (default 64).
//! Prints the rate at which the API took the messages and the rate at which their events
//! arrived at the receiver (from the first message posted to the last event received), and
//! checks that each conversation's events arrived in the order its messages were posted.
//!
//! With `--burst`, the receiver holds every request until all messages are posted, so the
//! events pile up in the emulator's queues; then it lets them through and the rate is
//! measured from that moment to the last event: delivery alone, not bounded by the API.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};
use sunco_emulator::{Config, DeliverySettings, Emulator};
use tokio::sync::Notify;

/// What the receiver saw: the last sequence number per conversation, the count, disorder.
#[derive(Default)]
struct Seen {
    last: HashMap<String, u64>,
    count: u64,
    out_of_order: u64,
}

struct Receiver {
    /// False while requests are held (`--burst`).
    open: tokio::sync::watch::Receiver<bool>,
    seen: Mutex<Seen>,
    expected: u64,
    done: Notify,
}

async fn receive(State(receiver): State<Arc<Receiver>>, body: Bytes) -> StatusCode {
    let mut open = receiver.open.clone();
    let _ = open.wait_for(|open| *open).await;
    let body: Value = match serde_json::from_slice(&body) {
        Ok(body) => body,
        Err(_) => return StatusCode::BAD_REQUEST,
    };
    let payload = &body["events"][0]["payload"];
    let conversation = payload["conversation"]["id"].as_str().unwrap_or_default();
    let seq: u64 = payload["message"]["content"]["text"]
        .as_str()
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    let mut seen = receiver.seen.lock().unwrap();
    let last = seen.last.entry(conversation.to_owned()).or_insert(0);
    let in_order = seq > *last;
    *last = seq;
    if !in_order {
        seen.out_of_order += 1;
    }
    seen.count += 1;
    if seen.count == receiver.expected {
        receiver.done.notify_one();
    }
    StatusCode::OK
}

fn main() {
    let (mut events, mut conversations, mut tasks) = (20_000u64, 64usize, 32usize);
    let mut burst = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().and_then(|v| v.parse::<u64>().ok());
        match arg.as_str() {
            "--burst" => burst = true,
            "--events" => events = value().expect("--events N"),
            "--conversations" => conversations = value().expect("--conversations C") as usize,
            "--tasks" => tasks = value().expect("--tasks T") as usize,
            other => panic!("unknown argument {other} (--events N, --conversations C, --tasks T)"),
        }
    }
    assert!(events > 0 && conversations > 0 && tasks > 0);
    // Each conversation is written by one task only (so its messages go in order): no more
    // tasks than conversations.
    let tasks = tasks.min(conversations);

    let server_runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let emulator = server_runtime
        .block_on(Emulator::start(Config {
            webhooks: DeliverySettings {
                backoff_ms: 10,
                ..DeliverySettings::default()
            },
            ..Config::default()
        }))
        .unwrap();
    let url = emulator.url().to_owned();

    let client_runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    client_runtime.block_on(async move {
        let (gate, open) = tokio::sync::watch::channel(!burst);
        let receiver = Arc::new(Receiver {
            open,
            seen: Mutex::new(Seen::default()),
            expected: events,
            done: Notify::new(),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let target = format!("http://{}/", listener.local_addr().unwrap());
        let router = Router::new()
            .fallback(axum::routing::post(receive))
            .with_state(receiver.clone());
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });

        let http = reqwest::Client::new();
        let api = |path: &str| format!("{url}/v2/apps/demo-app{path}");
        let call = |method: reqwest::Method, path: String, body: Value| {
            let http = http.clone();
            async move {
                let response = http
                    .request(method, path)
                    .basic_auth("demo-key", Some("demo-secret"))
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                assert!(response.status().is_success(), "{}", response.status());
                response.json::<Value>().await.unwrap()
            }
        };
        call(
            reqwest::Method::POST,
            api("/integrations"),
            json!({"type": "custom", "webhooks": [
                {"target": target, "triggers": ["conversation:message"]}]}),
        )
        .await;
        let mut pairs = Vec::new();
        for i in 0..conversations {
            let user = call(
                reqwest::Method::POST,
                api("/users"),
                json!({"externalId": format!("load-{i}")}),
            )
            .await["user"]["id"]
                .as_str()
                .unwrap()
                .to_owned();
            let conversation = call(
                reqwest::Method::POST,
                api("/conversations"),
                json!({"type": "personal", "participants": [{"userId": user}]}),
            )
            .await["conversation"]["id"]
                .as_str()
                .unwrap()
                .to_owned();
            pairs.push((user, conversation));
        }
        let pairs = Arc::new(pairs);

        // Each conversation is written by one task only, so its messages are posted in order.
        let start = Instant::now();
        let mut writers = tokio::task::JoinSet::new();
        for t in 0..tasks {
            let (http, url, pairs) = (http.clone(), url.clone(), pairs.clone());
            writers.spawn(async move {
                let mine: Vec<usize> = (0..pairs.len()).filter(|c| c % tasks == t).collect();
                let share = events / tasks as u64 + u64::from((t as u64) < events % tasks as u64);
                for n in 0..share {
                    let (user, conversation) = &pairs[mine[n as usize % mine.len()]];
                    let response = http
                        .post(format!(
                            "{url}/_emulator/apps/demo-app/conversations/{conversation}/user-messages"
                        ))
                        .json(&json!({"userId": user, "text": (n + 1).to_string()}))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(response.status(), 201);
                }
            });
        }
        writers.join_all().await;
        let posted = start.elapsed();
        let start = if burst {
            let _ = gate.send(true);
            Instant::now()
        } else {
            start
        };
        let done = receiver.done.notified();
        tokio::pin!(done);
        done.as_mut().enable();
        if receiver.seen.lock().unwrap().count < events {
            done.await;
        }
        let delivered = start.elapsed();
        let seen = receiver.seen.lock().unwrap();
        println!(
            "{} events over {conversations} conversations, {tasks} writers",
            seen.count
        );
        println!(
            "API: {:.0} messages/s (all posted in {:.2} s)",
            events as f64 / posted.as_secs_f64(),
            posted.as_secs_f64()
        );
        println!(
            "delivered: {:.0} events/s (last one received {:.2} s after {})",
            seen.count as f64 / delivered.as_secs_f64(),
            delivered.as_secs_f64(),
            if burst {
                "the receiver let the queued events through"
            } else {
                "the first message"
            }
        );
        println!("out of order within a conversation: {}", seen.out_of_order);
        assert_eq!(seen.out_of_order, 0);
    });
    drop(emulator);
}
