//! [`Client`]: the entry point, cheap to clone and share between tasks and threads.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use crate::auth::Auth;
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
    /// The credentials, kept for `key_id()` and a redacted `Debug`.
    pub(crate) auth: Auth,
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
        match &self.inner.auth {
            Auth::Basic { key_id, .. } | Auth::Jwt { key_id, .. } => Some(key_id),
            Auth::Bearer(_) => None,
        }
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
            .field("auth", &self.inner.auth)
            .field("retry", &self.inner.retry)
            .field("timeout", &self.inner.timeout)
            .finish()
    }
}
