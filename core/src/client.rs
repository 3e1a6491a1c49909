//! [`Client`]: the entry point, cheap to clone and share between tasks and threads.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use crate::config::ClientBuilder;
use crate::conversations::Conversations;
use crate::error::Result;
use crate::retry::RetryPolicy;

/// A Sunshine Conversations client: one connection pool, shared by every clone.
///
/// `Client` is `Clone + Send + Sync`; clone it freely instead of wrapping it in an `Arc`.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    /// Base URL without a trailing slash.
    pub(crate) base: String,
    /// The precomputed, sensitive `Authorization` value (a JWT is signed once, here).
    pub(crate) authorization: HeaderValue,
    /// `Debug` text of the credentials, secrets redacted.
    pub(crate) auth_debug: String,
    /// The API key id, when authenticating with a key (not a secret: it names the key).
    pub(crate) key_id: Option<String>,
    pub(crate) retry: RetryPolicy,
    pub(crate) timeout: Duration,
    pub(crate) max_response_bytes: usize,
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from `SUNCO_*` environment variables (see [`ClientBuilder::from_env`]).
    pub fn from_env() -> Result<Client> {
        ClientBuilder::new().from_env()?.build()
    }

    /// The Conversations API of one app.
    pub fn conversations(&self, app_id: impl Into<String>) -> Conversations {
        Conversations::new(self.clone(), app_id.into())
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    /// The id of the API key this client authenticates with (`None` with a bearer token).
    pub fn key_id(&self) -> Option<&str> {
        self.inner.key_id.as_deref()
    }

    /// The retry policy in force.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base)
            .field("auth", &format_args!("{}", self.inner.auth_debug))
            .field("retry", &self.inner.retry)
            .field("timeout", &self.inner.timeout)
            .finish()
    }
}
