//! A small load loop: 64 concurrent tasks fetching one conversation for ~5 seconds.
//!
//! ```text
//! cargo run --release -p sunco-emulator --example load            # emulator in-process
//! cargo run --release -p sunco-emulator --example load -- URL     # an emulator already running
//! ```
//! Options after `--`: `URL`, `--tasks N` (default 64), `--seconds S` (default 5).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sunco_emulator::{Config, Emulator};

fn main() {
    let mut url = None;
    let (mut tasks, mut seconds) = (64usize, 5u64);
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
    client_runtime.block_on(run(url, tasks, Duration::from_secs(seconds)));
}

async fn run(url: String, tasks: usize, duration: Duration) {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(tasks)
        .build()
        .unwrap();
    let auth = "Basic ZGVtby1rZXk6ZGVtby1zZWNyZXQ="; // demo-key:demo-secret
    let created: serde_json::Value = http
        .post(format!("{url}/v2/apps/demo-app/conversations"))
        .header("authorization", auth)
        .json(
            &serde_json::json!({"type": "personal", "participants": [{"userExternalId": "alice"}]}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["conversation"]["id"]
        .as_str()
        .expect("created a conversation")
        .to_owned();
    let target = Arc::new(format!("{url}/v2/apps/demo-app/conversations/{id}"));
    // The emulator logs every API request; keep the log from growing during the run.
    let _ = http
        .delete(format!("{url}/_emulator/requests"))
        .send()
        .await;

    let ok = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let workers: Vec<_> = (0..tasks)
        .map(|_| {
            let (http, target, ok, failed, stop) = (
                http.clone(),
                target.clone(),
                ok.clone(),
                failed.clone(),
                stop.clone(),
            );
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let result = http
                        .get(target.as_str())
                        .header("authorization", auth)
                        .send()
                        .await;
                    let good = match result {
                        Ok(response) => response.status() == 200 && response.bytes().await.is_ok(),
                        Err(_) => false,
                    };
                    let counter = if good { &ok } else { &failed };
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    tokio::time::sleep(duration).await;
    stop.store(true, Ordering::Relaxed);
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
