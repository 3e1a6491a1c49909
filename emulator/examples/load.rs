//! A small load loop: 64 concurrent tasks hitting the emulator for ~5 seconds.
//!
//! ```text
//! cargo run --release -p sunco-emulator --example load            # emulator in-process
//! cargo run --release -p sunco-emulator --example load -- URL     # an emulator already running
//! ```
//! Options after `--`: `URL`, `--tasks N` (default 64), `--seconds S` (default 5),
//! `--mode M` and `--count N`. Modes:
//! - `get` (default): GetConversation on one conversation;
//! - `post`: PostMessage (a text message from the business), each task on a conversation of
//!   its own so no conversation reaches the 30,000-message limit;
//! - `list`: ListMessages (first page, 100 messages) of a conversation holding 1,000 messages.
//!
//! `--count N` stops once N requests have succeeded instead of after `--seconds` (e.g.
//! `--mode post --count 100000` to post 100,000 messages).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sunco_emulator::{Config, Emulator};

fn main() {
    let mut url = None;
    let (mut tasks, mut seconds) = (64usize, 5u64);
    let (mut mode, mut count) = (Mode::Get, None);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--tasks" => tasks = args.next().and_then(|v| v.parse().ok()).expect("--tasks N"),
            "--seconds" => {
                seconds = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--seconds S")
            }
            "--mode" => {
                mode = match args.next().as_deref() {
                    Some("get") => Mode::Get,
                    Some("post") => Mode::Post,
                    Some("list") => Mode::List,
                    _ => panic!("--mode get|post|list"),
                }
            }
            "--count" => count = Some(args.next().and_then(|v| v.parse().ok()).expect("--count N")),
            _ => url = Some(arg.trim_end_matches('/').to_owned()),
        }
    }

    // In-process server on its own small runtime, so it does not share workers with the client.
    let server_runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let _emulator;
    let url = match url {
        Some(url) => url,
        None => {
            _emulator = server_runtime
                .block_on(Emulator::start(Config::default()))
                .unwrap();
            _emulator.url().to_owned()
        }
    };

    let client_runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    client_runtime.block_on(run(url, mode, tasks, Duration::from_secs(seconds), count));
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Get,
    Post,
    List,
}

/// Creates a personal conversation for a new user and answers its id.
async fn create_conversation(http: &reqwest::Client, url: &str, auth: &str, name: &str) -> String {
    // A user of this run only: a personal conversation per user, and runs may share an emulator.
    let user = format!("load-{}-{name}", std::process::id());
    let response = http
        .post(format!("{url}/v2/apps/demo-app/users"))
        .header("authorization", auth)
        .json(&serde_json::json!({"externalId": user}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "created a user");
    let created: serde_json::Value = http
        .post(format!("{url}/v2/apps/demo-app/conversations"))
        .header("authorization", auth)
        .json(&serde_json::json!({"type": "personal", "participants": [{"userExternalId": user}]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    created["conversation"]["id"]
        .as_str()
        .expect("created a conversation")
        .to_owned()
}

async fn run(url: String, mode: Mode, tasks: usize, duration: Duration, count: Option<u64>) {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(tasks)
        .build()
        .unwrap();
    let auth = "Basic ZGVtby1rZXk6ZGVtby1zZWNyZXQ="; // demo-key:demo-secret
    let message = serde_json::json!({
        "author": {"type": "business"},
        "content": {"type": "text", "text": "load"}
    });
    // One target per task: the conversation (get), its messages (post, list).
    let mut targets = Vec::with_capacity(tasks);
    match mode {
        Mode::Get => {
            let id = create_conversation(&http, &url, auth, "one").await;
            targets.resize(tasks, format!("{url}/v2/apps/demo-app/conversations/{id}"));
        }
        Mode::Post => {
            for task in 0..tasks {
                let id = create_conversation(&http, &url, auth, &task.to_string()).await;
                targets.push(format!(
                    "{url}/v2/apps/demo-app/conversations/{id}/messages"
                ));
            }
        }
        Mode::List => {
            let id = create_conversation(&http, &url, auth, "one").await;
            let messages = format!("{url}/v2/apps/demo-app/conversations/{id}/messages");
            for _ in 0..1000 {
                let response = http
                    .post(&messages)
                    .header("authorization", auth)
                    .json(&message)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 201, "posting the messages to list");
            }
            targets.resize(tasks, messages);
        }
    }
    // The emulator logs every API request; keep the log from growing during the run.
    let _ = http
        .delete(format!("{url}/_emulator/requests"))
        .send()
        .await;

    let ok = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let limit = count.unwrap_or(u64::MAX);
    let workers: Vec<_> = targets
        .into_iter()
        .map(|target| {
            let (http, message, ok, failed, stop) = (
                http.clone(),
                message.clone(),
                ok.clone(),
                failed.clone(),
                stop.clone(),
            );
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let request = match mode {
                        Mode::Get | Mode::List => http.get(target.as_str()),
                        Mode::Post => http.post(target.as_str()).json(&message),
                    };
                    let expected = if mode == Mode::Post { 201 } else { 200 };
                    let result = request.header("authorization", auth).send().await;
                    let good = match result {
                        Ok(response) => {
                            response.status() == expected && response.bytes().await.is_ok()
                        }
                        Err(_) => false,
                    };
                    if good {
                        if ok.fetch_add(1, Ordering::Relaxed) + 1 >= limit {
                            stop.store(true, Ordering::Relaxed);
                        }
                    } else {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    if count.is_none() {
        tokio::time::sleep(duration).await;
        stop.store(true, Ordering::Relaxed);
    }
    for worker in workers {
        let _ = worker.await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let ok = ok.load(Ordering::Relaxed);
    println!(
        "{ok} ok, {} failed in {elapsed:.2} s with {tasks} tasks: {:.0} requests/s",
        failed.load(Ordering::Relaxed),
        ok as f64 / elapsed
    );
}
