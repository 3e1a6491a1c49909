//! A webhook target for the tests: a local server on 127.0.0.1 that hands every request it
//! gets to the test through a channel, and answers the statuses the test queued (200 when none
//! is queued), optionally holding an answer until the test releases it.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;
use tokio::sync::{mpsc, oneshot};

/// One request the target got.
#[derive(Debug)]
pub struct Hit {
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Hit {
    /// The body as JSON (panics when it is not).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// The first event of the body.
    pub fn event(&self) -> Value {
        self.json()["events"][0].clone()
    }

    /// `X-API-Key`, if sent.
    pub fn api_key(&self) -> Option<&str> {
        self.headers.get("x-api-key").and_then(|v| v.to_str().ok())
    }
}

/// What the target answers next.
enum Answer {
    Status(u16),
    /// Wait for the sender to fire (or be dropped), then answer 200.
    Hold(oneshot::Receiver<()>),
}

#[derive(Default)]
struct Shared {
    answers: Mutex<VecDeque<Answer>>,
}

/// A running target.
pub struct Target {
    pub url: String,
    hits: mpsc::UnboundedReceiver<Hit>,
    shared: Arc<Shared>,
    _server: tokio::task::JoinHandle<()>,
}

/// Longest wait for a request the test expects (a bound, not a synchronisation).
const WAIT: Duration = Duration::from_secs(20);

impl Target {
    /// Starts a target on 127.0.0.1 at a free port.
    pub async fn start() -> Target {
        let (tx, hits) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared::default());
        let state = (tx, shared.clone());
        let router = Router::new()
            .fallback(
                |State((tx, shared)): State<(mpsc::UnboundedSender<Hit>, Arc<Shared>)>,
                 headers: HeaderMap,
                 body: Bytes| async move {
                    let answer = shared.answers.lock().unwrap().pop_front();
                    let _ = tx.send(Hit { headers, body });
                    match answer {
                        None => StatusCode::OK,
                        Some(Answer::Status(s)) => StatusCode::from_u16(s).unwrap(),
                        Some(Answer::Hold(release)) => {
                            let _ = release.await;
                            StatusCode::OK
                        }
                    }
                },
            )
            .with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });
        Target {
            url,
            hits,
            shared,
            _server: server,
        }
    }

    /// The next requests are answered with these statuses, in order.
    pub fn answer(&self, statuses: &[u16]) {
        let mut answers = self.shared.answers.lock().unwrap();
        answers.extend(statuses.iter().map(|s| Answer::Status(*s)));
    }

    /// The next request is answered only once the returned sender fires or is dropped.
    pub fn hold_next(&self) -> oneshot::Sender<()> {
        let (release, held) = oneshot::channel();
        self.shared
            .answers
            .lock()
            .unwrap()
            .push_back(Answer::Hold(held));
        release
    }

    /// The next request (panics after 20 s without one).
    pub async fn next(&mut self) -> Hit {
        tokio::time::timeout(WAIT, self.hits.recv())
            .await
            .expect("the target got no request within 20 s")
            .expect("the target stopped")
    }

    /// A request already received, if any (does not wait).
    pub fn try_next(&mut self) -> Option<Hit> {
        self.hits.try_recv().ok()
    }
}

/// A loopback URL nobody listens on (a port bound, then released).
pub fn dead_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}/hook")
}
