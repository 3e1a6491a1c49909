//! The native half of the npm package `sunco`.
//!
//! This crate is deliberately thin: JavaScript hands it request bodies and list parameters as
//! JSON text (made by `JSON.stringify`, so a property left `undefined` is simply absent), it
//! decodes them with [`sunco::json::from_str`] (which names the offending field), calls the core
//! on the tokio runtime, and hands results back as JSON text in the wire's camelCase. Every
//! `sunco::Error` becomes a JavaScript error in exactly one function, `to_js_error`; the JS
//! layer (`lib/index.js`) turns that into the package's own `Error` subclasses.
//!
//! Nothing here validates, retries or paginates: that all lives in the core.

use std::sync::Arc;
use std::time::Duration;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde::Serialize;
use serde_json::json;
use sunco::{
    Client, CreateConversation, DownloadMessageRef, ListConversations, UpdateConversation,
};

/// What the client appends to its `User-Agent`: `sunco/<core> node/<this package>`.
const USER_AGENT_EXTRA: &str = concat!("node/", env!("CARGO_PKG_VERSION"));

/// Installs the runtime every `async fn` below runs on: one multi-threaded tokio runtime per
/// process with 2 workers (napi's default would start one worker per core). Node never forks a
/// process that has loaded an addon (`child_process.fork` starts a fresh one), so there is no
/// fork to survive here, and napi keeps the runtime in its own `OnceLock`.
#[napi_derive::module_init]
fn init() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("sunco-node")
        .enable_all()
        .build()
        .expect("sunco: cannot start the tokio runtime");
    napi::bindgen_prelude::create_custom_tokio_runtime(rt);
}

/// The one place where a `sunco::Error` becomes a JavaScript error.
///
/// The error's message is a JSON object `{"sunco": kind, "message": ..., ...}` holding every
/// field a caller can branch on; `lib/index.js` (`fromNative`) parses it into `ValidationError`,
/// `ApiError`, ... so users never see this raw form. The `message` inside is the core's
/// `Display`, which never contains a secret.
fn to_js_error(e: sunco::Error) -> napi::Error {
    let mut p = json!({ "message": e.to_string(), "retryable": e.is_retryable() });
    let kind = match &e {
        sunco::Error::Validation { field, rule } => {
            p["field"] = json!(field);
            p["rule"] = json!(rule);
            "validation"
        }
        sunco::Error::Api(api) => {
            p["status"] = json!(api.status);
            p["errors"] = json!(api.errors);
            p["requestId"] = json!(api.request_id);
            p["retryAfter"] = json!(api.retry_after.map(|d| d.as_secs_f64()));
            "api"
        }
        sunco::Error::Timeout { after } => {
            p["afterMs"] = json!(after.as_secs_f64() * 1000.0);
            "timeout"
        }
        sunco::Error::Transport { kind, .. } => {
            p["kind"] = json!(kind.to_string());
            "transport"
        }
        sunco::Error::Decode {
            status, excerpt, ..
        } => {
            p["status"] = json!(status);
            p["excerpt"] = json!(excerpt);
            "decode"
        }
        sunco::Error::Config(_) => "config",
        _ => "unknown",
    };
    p["sunco"] = json!(kind);
    napi::Error::new(Status::GenericFailure, p.to_string())
}

fn to_json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| {
        to_js_error(sunco::Error::Decode {
            status: 200,
            message: format!("cannot re-encode the result: {e}"),
            excerpt: String::new(),
        })
    })
}

/// Options of `new Client(...)`, as passed by `lib/index.js` (only the properties the user set).
#[napi(object)]
pub struct ClientOptions {
    /// Any base URL (`https`, or `http` on loopback such as the emulator).
    pub base_url: Option<String>,
    /// `"us"` or `"eu"`.
    pub region: Option<String>,
    /// A Zendesk subdomain: `https://{subdomain}.zendesk.com/sc`.
    pub subdomain: Option<String>,
    /// API key id.
    pub key_id: Option<String>,
    /// API key secret.
    pub key_secret: Option<String>,
    /// `"basic"` (default) or `"jwt"`: how the key is used.
    pub auth: Option<String>,
    /// A bearer token, instead of a key.
    pub token: Option<String>,
    /// Timeout of one whole attempt, in milliseconds.
    pub timeout_ms: Option<f64>,
    /// Timeout for opening a connection, in milliseconds.
    pub connect_timeout_ms: Option<f64>,
    /// Retries after the first attempt.
    pub max_retries: Option<f64>,
}

fn config(msg: impl Into<String>) -> sunco::Error {
    sunco::Error::Config(msg.into())
}

fn millis(name: &str, ms: f64) -> sunco::Result<Duration> {
    if ms.is_nan() || ms <= 0.0 {
        return Err(config(format!(
            "{name} must be a positive number of milliseconds"
        )));
    }
    Duration::try_from_secs_f64(ms / 1000.0).map_err(|_| config(format!("{name} is out of range")))
}

fn builder(options: ClientOptions, from_env: bool) -> sunco::Result<Client> {
    let mut b = Client::builder().user_agent_extra(USER_AGENT_EXTRA);
    if from_env {
        b = b.from_env()?;
    }
    b = b
        .target(
            options.base_url,
            options.region.as_deref(),
            options.subdomain,
        )?
        .credentials(
            options.key_id,
            options.key_secret,
            options.auth.as_deref(),
            options.token,
        )?;
    if let Some(ms) = options.timeout_ms {
        b = b.timeout(millis("timeoutMs", ms)?);
    }
    if let Some(ms) = options.connect_timeout_ms {
        b = b.connect_timeout(millis("connectTimeoutMs", ms)?);
    }
    if let Some(n) = options.max_retries {
        if n.fract() != 0.0 || !(0.0..=f64::from(u32::MAX)).contains(&n) {
            return Err(config("maxRetries must be a whole number >= 0"));
        }
        b = b.max_retries(n as u32);
    }
    b.build()
}

/// A configured client: one connection pool, shared by every `conversations()` handle.
#[napi]
pub struct NativeClient {
    client: Client,
}

#[napi]
impl NativeClient {
    /// Builds a client from `options`, after reading `SUNCO_*` variables when `fromEnv` is true
    /// (explicit options win over the environment).
    #[napi(factory)]
    pub fn create(options: ClientOptions, from_env: bool) -> Result<NativeClient> {
        builder(options, from_env)
            .map(|client| NativeClient { client })
            .map_err(to_js_error)
    }

    /// The base URL requests go to.
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.client.base_url().to_owned()
    }

    /// The conversations of one app.
    #[napi]
    pub fn conversations(&self, app_id: String) -> NativeConversations {
        NativeConversations {
            inner: self.client.conversations(app_id),
        }
    }
}

/// The six operations of the Conversations API for one app. Bodies, parameters and results are
/// JSON text in wire form.
#[napi]
pub struct NativeConversations {
    inner: sunco::Conversations,
}

#[napi]
impl NativeConversations {
    /// `createConversation`; resolves to the conversation.
    #[napi]
    pub async fn create(&self, body: String) -> Result<String> {
        let body: CreateConversation = sunco::json::from_str("body", &body).map_err(to_js_error)?;
        to_json(&self.inner.create(&body).await.map_err(to_js_error)?)
    }

    /// `getConversation`.
    #[napi]
    pub async fn get(&self, conversation_id: String) -> Result<String> {
        to_json(
            &self
                .inner
                .get(&conversation_id)
                .await
                .map_err(to_js_error)?,
        )
    }

    /// `listConversations`: one page; `params` is `{"filter": {...}, "page": {...}}`.
    #[napi]
    pub async fn list(&self, params: String) -> Result<String> {
        let params: ListConversations =
            sunco::json::from_str("params", &params).map_err(to_js_error)?;
        to_json(&self.inner.list(&params).await.map_err(to_js_error)?)
    }

    /// `updateConversation`: absent fields are unchanged, `null` clears.
    #[napi]
    pub async fn update(&self, conversation_id: String, body: String) -> Result<String> {
        let body: UpdateConversation = sunco::json::from_str("body", &body).map_err(to_js_error)?;
        to_json(
            &self
                .inner
                .update(&conversation_id, &body)
                .await
                .map_err(to_js_error)?,
        )
    }

    /// `deleteConversation`.
    #[napi]
    pub async fn delete(&self, conversation_id: String) -> Result<()> {
        self.inner
            .delete(&conversation_id)
            .await
            .map_err(to_js_error)
    }

    /// `downloadMessageRef`; resolves to the free-form JSON the server answered.
    #[napi]
    pub async fn download_message_ref(
        &self,
        conversation_id: String,
        body: String,
    ) -> Result<String> {
        let body: DownloadMessageRef = sunco::json::from_str("body", &body).map_err(to_js_error)?;
        to_json(
            &self
                .inner
                .download_message_ref(&conversation_id, &body)
                .await
                .map_err(to_js_error)?,
        )
    }

    /// The pages of `listConversations`, fetched one at a time by `NativePages.next()`.
    #[napi]
    pub fn pages(&self, params: String) -> Result<NativePages> {
        let params: ListConversations =
            sunco::json::from_str("params", &params).map_err(to_js_error)?;
        Ok(NativePages {
            inner: Arc::new(tokio::sync::Mutex::new(self.inner.pages(params))),
        })
    }
}

/// The core's paginator: follows `meta.afterCursor` until `meta.hasMore` is false.
#[napi]
pub struct NativePages {
    inner: Arc<tokio::sync::Mutex<sunco::Paginator>>,
}

#[napi]
impl NativePages {
    /// The next page as JSON text, or `null` after the last one.
    #[napi]
    pub async fn next(&self) -> Result<Option<String>> {
        let mut pager = self.inner.lock().await;
        match pager.next_page().await.map_err(to_js_error)? {
            Some(page) => to_json(&page).map(Some),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn payload(e: sunco::Error) -> Value {
        serde_json::from_str(&to_js_error(e).reason).unwrap()
    }

    #[test]
    fn errors_carry_what_callers_branch_on() {
        let p = payload(sunco::Error::validation("page.size", "must be 1..100"));
        assert_eq!(p["sunco"], "validation");
        assert_eq!(p["field"], "page.size");
        let p = payload(sunco::Error::Api(Box::new(sunco::ApiError {
            status: 429,
            errors: vec![sunco::ApiErrorDetail {
                code: "too_many_requests".into(),
                title: "Slow down".into(),
            }],
            request_id: Some("rid".into()),
            retry_after: Some(Duration::from_millis(1500)),
        })));
        assert_eq!(p["sunco"], "api");
        assert_eq!(p["status"], 429);
        assert_eq!(p["errors"][0]["code"], "too_many_requests");
        assert_eq!(p["retryAfter"], 1.5);
        assert_eq!(p["retryable"], true);
    }

    #[test]
    fn options_are_checked_without_leaking_secrets() {
        let opts = |token: Option<&str>, key: Option<&str>| ClientOptions {
            base_url: Some("http://127.0.0.1:9".into()),
            region: None,
            subdomain: None,
            key_id: key.map(str::to_owned),
            key_secret: Some("hush-hush".into()),
            auth: None,
            token: token.map(str::to_owned),
            timeout_ms: Some(-1.0),
            connect_timeout_ms: None,
            max_retries: None,
        };
        let e = builder(opts(Some("t"), Some("k")), false).unwrap_err();
        assert!(e.to_string().contains("not both"), "{e}");
        let e = builder(opts(None, Some("k")), false).unwrap_err();
        assert!(e.to_string().contains("timeoutMs"), "{e}");
        assert!(!e.to_string().contains("hush"));
    }
}
