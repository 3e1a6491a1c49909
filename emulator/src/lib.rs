//! `sunco-emulator`: a local, stateful, in-memory fake of the Sunshine Conversations v2 API
//! (users, conversations, messages, participants and the rest), with a request log, fault
//! injection, webhook delivery (to loopback targets unless [`DeliverySettings::any_host`]) and
//! stand-ins for the outside world under `/_emulator/` (among them an end user acting on a
//! channel).
//!
//! The binary prints its base URL and serves until SIGINT/SIGTERM; [`Emulator::start`] runs the
//! same server inside a tokio runtime of your own.

#![warn(missing_docs)]

mod activity;
mod apps;
mod attachments;
mod auth;
mod body;
pub mod cli;
mod clients;
mod content;
mod control;
mod conversations;
mod delivery;
mod end_user;
mod error;
mod events;
mod faults;
mod ids;
mod integrations;
mod keys;
mod log;
mod messages;
mod multipart;
mod oauth;
mod outside;
mod pages;
mod participants;
mod query;
pub mod seed;
mod server;
mod state;
mod store;
mod switchboard_actions;
mod switchboards;
mod timestamp;
mod users;
mod validate;
mod webhooks;

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use delivery::DeliverySettings;
pub use seed::Seed;

/// How to run an emulator.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to bind, e.g. `127.0.0.1`.
    pub host: String,
    /// Port to bind; 0 picks a free one.
    pub port: u16,
    /// Apps, keys and users to start with (and to return to on reset).
    pub seed: Seed,
    /// Most requests kept in the request log.
    pub log_limit: usize,
    /// Most bytes the request log may hold; the oldest entries are dropped beyond it.
    pub log_bytes: usize,
    /// Longest wait for a request's headers (also how long an idle keep-alive connection
    /// stays open); `None` waits forever.
    pub header_timeout: Option<Duration>,
    /// Longest wait for a request's body once its headers are in; the request is then
    /// answered 408 and its connection closed. `None` waits forever.
    pub body_timeout: Option<Duration>,
    /// Most messages a conversation may hold; posting one more is answered 423 `locked`
    /// (the real service's limit is 30,000).
    pub max_messages: usize,
    /// How webhook deliveries are retried (backoff, attempts, timeout).
    pub webhooks: DeliverySettings,
}

impl Default for Config {
    /// `127.0.0.1`, a free port, the built-in seed, and the defaults of the command-line flags.
    fn default() -> Self {
        Config {
            host: "127.0.0.1".into(),
            port: 0,
            seed: Seed::default(),
            log_limit: cli::DEFAULT_LOG_LIMIT,
            log_bytes: cli::DEFAULT_LOG_BYTES,
            header_timeout: Some(cli::DEFAULT_HEADER_TIMEOUT),
            body_timeout: Some(cli::DEFAULT_BODY_TIMEOUT),
            max_messages: cli::DEFAULT_MAX_MESSAGES,
            webhooks: DeliverySettings::default(),
        }
    }
}

/// A running emulator. Dropping it stops accepting connections.
#[derive(Debug)]
pub struct Emulator {
    url: String,
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Emulator {
    /// Binds and starts serving on the current tokio runtime.
    pub async fn start(config: Config) -> io::Result<Emulator> {
        let listener = TcpListener::bind((config.host.as_str(), config.port)).await?;
        let addr = listener.local_addr()?;
        let log = log::RequestLog::new(config.log_limit, config.log_bytes);
        let state = Arc::new(state::Shared::new(
            config.seed,
            log,
            config.body_timeout,
            addr,
            config.max_messages,
            config.webhooks,
        ));
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(server::serve(
            listener,
            state,
            config.header_timeout,
            stopped,
        ));
        Ok(Emulator {
            url: format!("http://{addr}"),
            addr,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The base URL, e.g. `http://127.0.0.1:43123`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, lets in-flight requests finish (up to 5 s) and waits for that.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
