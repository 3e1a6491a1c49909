//! The native half of the npm package `sunco`.
//!
//! This crate is deliberately thin: JavaScript hands it request bodies and list parameters as
//! JSON text (made by `lib/index.js`, so a property left `undefined` is simply absent), it
//! decodes them with [`sunco::json::from_str`] (which names the offending field), calls the core
//! on the tokio runtime, and hands back the server's answer as JSON text, exactly as it was sent
//! (the core's `*_json` operations: key order, `null`s and unknown fields kept). Every
//! `sunco::Error` becomes a JavaScript error in exactly one function, `to_js_error`; the JS
//! layer (`lib/index.js`) turns that into the package's own `Error` subclasses.
//!
//! Every operation of the API is reachable through one generic entry, [`NativeClient::call`]
//! (an `operationId` plus `{"path", "query", "body"}` as JSON text, answered with the response
//! body as sent), [`NativeClient::operation_pages`] for the cursor-paginated lists, and
//! [`NativeClient::authorize_url`]; [`operations`] lists the core's descriptors.
//!
//! What this crate adds is conversion and lifetime, never rules:
//! - ids and options are read as UTF-16 (`JsText` in `text.rs`) so that a lone surrogate is refused
//!   instead of silently becoming U+FFFD (another id, another app);
//! - every call races its `AbortSignal` ([`NativeSignal`]) and `client.close()`: the
//!   losing native future is dropped, and with it the request in flight.
//!
//! Nothing here validates, retries or paginates: that all lives in the core.

mod cancel;
mod text;

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::sync::{Arc, Mutex, PoisonError, RwLock, Weak};
use std::task::Poll;
use std::time::Duration;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde::Serialize;
use serde_json::{Value, json};
use sunco::{
    BodyKind, CallArgs, Client, CreateConversation, Direction, DownloadMessageRef, JsonObject,
    KeyType, ListConversations, Operation, OperationPages, Paginator, QueryStyle,
    UpdateConversation, Upload,
};

pub use cancel::NativeSignal;
use cancel::Token;
use text::JsText;

/// What the client appends to its `User-Agent`: the runtime and its version, e.g.
/// `node/20.20.2` (the same as `process.versions.node`), so `sunco/<core> node/<version>`.
fn user_agent_extra(env: &Env) -> String {
    match env.get_node_version() {
        Ok(v) => format!("node/{}.{}.{}", v.major, v.minor, v.patch),
        Err(_) => "node".to_owned(),
    }
}

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

// ------------------------------------------------------------------------------------- errors

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
        sunco::Error::Webhook(w) => {
            p["status"] = json!(w.status());
            p["reason"] = json!(match w {
                sunco::WebhookError::MissingSecret => "missingSecret",
                sunco::WebhookError::WrongSecret => "wrongSecret",
                sunco::WebhookError::TooLarge { .. } => "tooLarge",
                sunco::WebhookError::Malformed { .. } => "malformed",
                _ => "unknown",
            });
            match w {
                sunco::WebhookError::TooLarge { size, limit } => {
                    p["size"] = json!(size);
                    p["limit"] = json!(limit);
                }
                sunco::WebhookError::Malformed { path, .. } => p["path"] = json!(path),
                _ => {}
            }
            "webhook"
        }
        _ => "unknown",
    };
    p["sunco"] = json!(kind);
    payload_error(p)
}

/// A call ended by its `AbortSignal` (the JS layer makes it an `AbortError`).
fn aborted() -> napi::Error {
    payload_error(json!({
        "sunco": "aborted",
        "message": "the call was aborted by its AbortSignal",
        "retryable": false,
    }))
}

/// A call on a closed client (the JS layer makes it a `ClosedError`).
fn closed() -> napi::Error {
    payload_error(json!({
        "sunco": "closed",
        "message": "this client was closed (client.close()); make a new Client",
        "retryable": false,
    }))
}

fn payload_error(p: Value) -> napi::Error {
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

/// The `conversation` of a `{"conversation": {...}}` answer, as JSON text exactly as sent.
fn conversation_of(mut answer: JsonObject) -> Result<String> {
    match answer.remove("conversation") {
        Some(conversation @ Value::Object(_)) => to_json(&conversation),
        _ => Err(to_js_error(sunco::Error::Decode {
            status: 200,
            message: "the answer has no `conversation` object".into(),
            excerpt: String::new(),
        })),
    }
}

/// An id argument (`appId`, `conversationId`) exactly as given, or a validation error naming it.
fn id_arg(field: &str, text: JsText) -> sunco::Result<String> {
    text.into_result()
        .map_err(|bad| sunco::Error::validation(field, bad.rule()))
}

/// An option exactly as given, or a configuration error naming it (never echoing its value).
fn option_text(name: &str, text: Option<JsText>) -> sunco::Result<Option<String>> {
    text.map(|t| {
        t.into_result()
            .map_err(|bad| config(format!("option {name} {}", bad.rule())))
    })
    .transpose()
}

// ------------------------------------------------------------------------------------- limits

/// The JSON nesting limit of the core, for the JS layer's own conversion of bodies.
#[napi(object)]
pub struct JsonLimits {
    /// Deepest nesting of arrays and objects accepted (`sunco::json::MAX_DEPTH`).
    pub max_depth: u32,
    /// The rule stated when it is exceeded (`sunco::json::too_deep_rule()`).
    pub too_deep_rule: String,
}

/// The core's JSON limits.
#[napi]
pub fn json_limits() -> JsonLimits {
    JsonLimits {
        max_depth: u32::try_from(sunco::json::MAX_DEPTH).unwrap_or(u32::MAX),
        too_deep_rule: sunco::json::too_deep_rule(),
    }
}

// ------------------------------------------------------------------------------------ options

/// Options of `new Client(...)`, as passed by `lib/index.js` (only the properties the user set).
/// Strings are read as UTF-16, so a lone surrogate is refused rather than changed.
#[napi(object, object_to_js = false)]
pub struct ClientOptions {
    /// Any base URL (`https`, or `http` on loopback such as the emulator).
    #[napi(ts_type = "string")]
    pub base_url: Option<JsText>,
    /// `"us"` or `"eu"`.
    #[napi(ts_type = "string")]
    pub region: Option<JsText>,
    /// A Zendesk subdomain: `https://{subdomain}.zendesk.com/sc`.
    #[napi(ts_type = "string")]
    pub subdomain: Option<JsText>,
    /// API key id.
    #[napi(ts_type = "string")]
    pub key_id: Option<JsText>,
    /// API key secret.
    #[napi(ts_type = "string")]
    pub key_secret: Option<JsText>,
    /// `"basic"` (default) or `"jwt"`: how the key is used.
    #[napi(ts_type = "string")]
    pub auth: Option<JsText>,
    /// A bearer token, instead of a key.
    #[napi(ts_type = "string")]
    pub token: Option<JsText>,
    /// An HTTPS proxy, `http://[user:pass@]host:port` (never used for a loopback base URL).
    #[napi(ts_type = "string")]
    pub proxy: Option<JsText>,
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

fn builder(options: ClientOptions, from_env: bool, user_agent: String) -> sunco::Result<Client> {
    let mut b = Client::builder().user_agent_extra(user_agent);
    if from_env {
        b = b.from_env()?;
    }
    let region = option_text("region", options.region)?;
    let auth = option_text("auth", options.auth)?;
    b = b
        .target(
            option_text("baseUrl", options.base_url)?,
            region.as_deref(),
            option_text("subdomain", options.subdomain)?,
        )?
        .credentials(
            option_text("keyId", options.key_id)?,
            option_text("keySecret", options.key_secret)?,
            auth.as_deref(),
            option_text("token", options.token)?,
        )?;
    if let Some(proxy) = option_text("proxy", options.proxy)? {
        b = b.proxy(proxy);
    }
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

// ------------------------------------------------------------------------------------- client

/// What a [`NativePages`] walks: the typed conversation list, or any list operation.
enum Walk {
    Conversations(Paginator),
    Operation(OperationPages),
}

impl Walk {
    async fn next_page(&mut self) -> sunco::Result<Option<JsonObject>> {
        match self {
            Walk::Conversations(pages) => pages.next_page_json().await,
            Walk::Operation(pages) => pages.next_page().await,
        }
    }
}

type PagerSlot = tokio::sync::Mutex<Option<Walk>>;

/// What a client and every handle and iterator made from it share: the core client (gone once
/// closed, so its connection pool goes too), the closed switch, and the live iterators (whose
/// paginators hold the pool as well, and are emptied by `close()`).
struct Shared {
    client: RwLock<Option<Client>>,
    closed: Token,
    pagers: Mutex<Vec<Weak<PagerSlot>>>,
}

impl Shared {
    /// The core client, or the closed error.
    fn client(&self) -> Result<Client> {
        if self.closed.is_cancelled() {
            return Err(closed());
        }
        self.client
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
            .ok_or_else(closed)
    }

    /// Runs one call of the core until it ends, its signal is cancelled or the client is closed,
    /// whichever comes first; the losers' futures (the request in flight) are dropped.
    async fn run<T>(
        &self,
        signal: &Token,
        call: impl Future<Output = sunco::Result<T>>,
    ) -> Result<T> {
        let mut closed_now = pin!(self.closed.cancelled());
        let mut aborted_now = pin!(signal.cancelled());
        let mut call = pin!(call);
        // Polled in this order, so a call on a closed client or with an aborted signal never
        // starts (nothing is sent).
        poll_fn(|cx| {
            if closed_now.as_mut().poll(cx).is_ready() {
                return Poll::Ready(Err(closed()));
            }
            if aborted_now.as_mut().poll(cx).is_ready() {
                return Poll::Ready(Err(aborted()));
            }
            call.as_mut()
                .poll(cx)
                .map(|outcome| outcome.map_err(to_js_error))
        })
        .await
    }

    fn close(&self) {
        self.closed.cancel();
        let client = self
            .client
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        drop(client);
        let pagers =
            std::mem::take(&mut *self.pagers.lock().unwrap_or_else(PoisonError::into_inner));
        for slot in pagers.iter().filter_map(Weak::upgrade) {
            // One in flight is busy; its call ends with the closed error and empties it then.
            if let Ok(mut pager) = slot.try_lock() {
                *pager = None;
            }
        }
    }

    /// A pages object over `walk`, emptied by `close()` like every other.
    fn pages(self: &Arc<Self>, walk: Walk, items: &str, direction: Direction) -> NativePages {
        let slot = Arc::new(tokio::sync::Mutex::new(Some(walk)));
        let mut pagers = self.pagers.lock().unwrap_or_else(PoisonError::into_inner);
        pagers.retain(|w| w.strong_count() > 0);
        pagers.push(Arc::downgrade(&slot));
        NativePages {
            shared: Arc::clone(self),
            pager: slot,
            items: items.to_owned(),
            direction: direction_name(direction).to_owned(),
        }
    }
}

fn direction_name(direction: Direction) -> &'static str {
    match direction {
        Direction::Forward => "forward",
        Direction::Backward => "backward",
    }
}

/// A configured client: one connection pool, shared by every `conversations()` handle.
#[napi]
pub struct NativeClient {
    shared: Arc<Shared>,
    base_url: String,
}

#[napi]
impl NativeClient {
    /// Builds a client from `options`, after reading `SUNCO_*` variables when `fromEnv` is true
    /// (explicit options win over the environment, field by field).
    #[napi(factory)]
    pub fn create(env: Env, options: ClientOptions, from_env: bool) -> Result<NativeClient> {
        let client = builder(options, from_env, user_agent_extra(&env)).map_err(to_js_error)?;
        Ok(NativeClient {
            base_url: client.base_url().to_owned(),
            shared: Arc::new(Shared {
                client: RwLock::new(Some(client)),
                closed: Token::default(),
                pagers: Mutex::new(Vec::new()),
            }),
        })
    }

    /// The base URL requests go to.
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// Whether `close()` was called.
    #[napi(getter)]
    pub fn closed(&self) -> bool {
        self.shared.closed.is_cancelled()
    }

    /// The conversations of one app. An app id that is not well-formed Unicode is reported by
    /// each call (like an empty one), as a validation error naming `appId`.
    #[napi]
    pub fn conversations(
        &self,
        #[napi(ts_arg_type = "string")] app_id: JsText,
    ) -> NativeConversations {
        NativeConversations {
            shared: Arc::clone(&self.shared),
            app_id: app_id.into_result(),
        }
    }

    /// Closes the client: calls in flight and every later call (iterators included) reject with
    /// the closed error, and the connection pool is released. Idempotent.
    #[napi]
    pub fn close(&self) {
        self.shared.close();
    }

    /// Any operation by its `operationId`: `args` is the JSON text of `{"path": {...},
    /// "query": {...}, "body": ...}` (each part optional, wire spelling). Resolves to the
    /// response body as JSON text, exactly as sent (`{}` for an empty one). The core checks
    /// everything against the operation's descriptor; nothing is sent when it refuses.
    #[napi]
    pub async fn call(
        &self,
        #[napi(ts_arg_type = "string")] operation_id: JsText,
        args: String,
        signal: &NativeSignal,
    ) -> Result<String> {
        let client = self.shared.client()?;
        let id = id_arg("operationId", operation_id).map_err(to_js_error)?;
        let args: CallArgs = sunco::json::from_str("args", &args).map_err(to_js_error)?;
        to_json(
            &self
                .shared
                .run(&signal.token, client.call(&id, &args))
                .await?,
        )
    }

    /// The pages of a cursor-paginated list operation (`ListMessages`, ...), fetched one at a
    /// time by `NativePages.next()`. The arguments are checked now, so a bad one fails here.
    #[napi]
    pub fn operation_pages(
        &self,
        #[napi(ts_arg_type = "string")] operation_id: JsText,
        args: String,
    ) -> Result<NativePages> {
        let client = self.shared.client()?;
        let id = id_arg("operationId", operation_id).map_err(to_js_error)?;
        let args: CallArgs = sunco::json::from_str("args", &args).map_err(to_js_error)?;
        let pages = client.operation_pages(&id, args).map_err(to_js_error)?;
        let items = pages.items();
        let direction = pages.direction();
        Ok(self.shared.pages(Walk::Operation(pages), items, direction))
    }

    /// `UploadAttachment` of the file at `path` (streamed from disk by the core): `query` is the
    /// JSON text of its query parameters (`access`, `for`, `conversationId`). Resolves to the
    /// response body as JSON text, as sent. Files over 50 MB are refused by the core.
    #[napi]
    pub async fn upload_path(
        &self,
        #[napi(ts_arg_type = "string")] app_id: JsText,
        query: String,
        path: String,
        file: UploadFile,
        signal: &NativeSignal,
    ) -> Result<String> {
        let upload = file.apply(Upload::path(path));
        self.upload(app_id, query, upload, signal).await
    }

    /// `UploadAttachment` of bytes in memory (a copy is taken when the call starts); as
    /// [`upload_path`](Self::upload_path) otherwise.
    #[napi]
    pub async fn upload_bytes(
        &self,
        #[napi(ts_arg_type = "string")] app_id: JsText,
        query: String,
        data: Buffer,
        file: UploadFile,
        signal: &NativeSignal,
    ) -> Result<String> {
        let data: Vec<u8> = data.to_vec();
        let name = file.file_name.clone().unwrap_or_else(|| "file".to_owned());
        let upload = file.apply(Upload::bytes(data, name));
        self.upload(app_id, query, upload, signal).await
    }

    /// The URL of the `Authorize` browser redirect; `query` is the JSON text of its query
    /// parameters (`client_id`, `response_type`, ...), checked by the core.
    #[napi]
    pub fn authorize_url(&self, query: String) -> Result<String> {
        let client = self.shared.client()?;
        let query: JsonObject = sunco::json::from_str("query", &query).map_err(to_js_error)?;
        client.authorize_url(&query).map_err(to_js_error)
    }
}

impl NativeClient {
    async fn upload(
        &self,
        app_id: JsText,
        query: String,
        upload: Upload,
        signal: &NativeSignal,
    ) -> Result<String> {
        let client = self.shared.client()?;
        let app_id = id_arg("appId", app_id).map_err(to_js_error)?;
        let query: JsonObject = sunco::json::from_str("query", &query).map_err(to_js_error)?;
        to_json(
            &self
                .shared
                .run(
                    &signal.token,
                    client.upload_attachment(&app_id, &query, upload),
                )
                .await?,
        )
    }
}

/// The name and type sent with an uploaded file (each optional).
#[napi(object, object_to_js = false)]
pub struct UploadFile {
    /// The file name sent with the file (else the path's file name, or `file`).
    pub file_name: Option<String>,
    /// The MIME type (else guessed from the file name).
    pub content_type: Option<String>,
}

impl UploadFile {
    fn apply(self, mut upload: Upload) -> Upload {
        if let Some(name) = self.file_name {
            upload = upload.file_name(name);
        }
        if let Some(mime) = self.content_type {
            upload = upload.content_type(mime);
        }
        upload
    }
}

// ----------------------------------------------------------------------------------- webhooks

/// Checks a webhook request's `X-API-Key` header against `secret` (in constant time, by the
/// core) and parses its body into events: resolves to the payload as JSON text, each event as
/// sent (unknown types kept). `headerNames[i]` goes with `headerValues[i]`. Refused with the
/// webhook error (status 401, 413 or 400) as `sunco::webhooks::parse` refuses it.
#[napi]
pub fn webhook_parse(
    body: &[u8],
    header_names: Vec<String>,
    header_values: Vec<String>,
    secret: String,
) -> Result<String> {
    let headers = header_names.iter().zip(header_values.iter());
    let payload = sunco::webhooks::parse(body, headers, &secret).map_err(to_js_error)?;
    to_json(&payload)
}

/// The webhook limits of the core.
#[napi(object, object_from_js = false)]
pub struct WebhookLimits {
    /// The largest body `webhookParse` accepts, in bytes (`sunco::webhooks::MAX_BODY_BYTES`).
    pub max_body_bytes: u32,
    /// The largest file an upload accepts, in bytes (`sunco::UPLOAD_MAX_BYTES`).
    pub upload_max_bytes: f64,
    /// Every event type the core reads into a typed event (`sunco::webhooks::EVENT_TYPES`).
    pub event_types: Vec<String>,
}

/// The core's webhook and upload limits.
#[napi]
pub fn webhook_limits() -> WebhookLimits {
    WebhookLimits {
        max_body_bytes: u32::try_from(sunco::webhooks::MAX_BODY_BYTES).unwrap_or(u32::MAX),
        upload_max_bytes: sunco::UPLOAD_MAX_BYTES as f64,
        event_types: sunco::webhooks::EVENT_TYPES
            .iter()
            .map(|t| (*t).to_owned())
            .collect(),
    }
}

// --------------------------------------------------------------------------------- operations

/// One operation of the API as the core describes it (`sunco::Operation`).
#[napi(object, object_from_js = false)]
pub struct OperationInfo {
    /// The spec's `operationId` (`PostMessage`).
    pub id: String,
    /// The spec's tag (`Messages`).
    pub group: String,
    /// The HTTP method, upper case.
    pub method: String,
    /// The path template (`/v2/apps/{appId}/conversations/{conversationId}/messages`).
    pub path: String,
    /// The path parameters, in template order.
    pub path_params: Vec<String>,
    /// The query parameters.
    pub query: Vec<QueryInfo>,
    /// The request body, when the operation takes one.
    pub body: Option<BodyInfo>,
    /// The documented success status.
    pub success: u32,
    /// For a cursor-paginated list: the array field of its pages (`messages`).
    pub items: Option<String>,
    /// `"forward"` or `"backward"`: the way a walk without a cursor goes.
    #[napi(ts_type = "'forward' | 'backward'")]
    pub direction: String,
    /// The credential scopes the spec accepts (`app`, `account`, `integration`).
    pub scopes: Vec<String>,
    /// A browser redirect (`Authorize`), not a call.
    pub redirect: bool,
    /// Whether the request carries the client's credentials (all but `GetToken`).
    pub sends_auth: bool,
}

/// A query parameter of an operation.
#[napi(object, object_from_js = false)]
pub struct QueryInfo {
    /// Its name on the wire (`page`, `filter`, `brandId`).
    pub name: String,
    /// `"form"` (`name=value`) or `"deepObject"` (`name[key]=value`).
    #[napi(ts_type = "'form' | 'deepObject'")]
    pub style: String,
    /// The keys of a `deepObject` parameter (empty for `form`).
    pub keys: Vec<KeyInfo>,
    /// Whether the spec requires it.
    pub required: bool,
}

/// One key of a `deepObject` query parameter.
#[napi(object, object_from_js = false)]
pub struct KeyInfo {
    /// The key (`size`, `identities.email`).
    pub name: String,
    /// `"string"` or `"integer"`.
    #[napi(js_name = "type", ts_type = "'string' | 'integer'")]
    pub kind: String,
}

/// The request body of an operation.
#[napi(object, object_from_js = false)]
pub struct BodyInfo {
    /// `application/json` or `multipart/form-data`.
    pub content_type: String,
    /// The spec's schema name (`messagePost`).
    pub schema: String,
    /// Whether the spec requires it.
    pub required: bool,
}

fn operation_info(op: &Operation) -> OperationInfo {
    let strings = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect();
    OperationInfo {
        id: op.id.to_owned(),
        group: op.group.to_owned(),
        method: op.method.to_owned(),
        path: op.path.to_owned(),
        path_params: strings(op.path_params),
        query: op
            .query
            .iter()
            .map(|q| {
                let (style, keys) = match &q.style {
                    QueryStyle::DeepObject(keys) => (
                        "deepObject",
                        keys.iter()
                            .map(|k| KeyInfo {
                                name: k.name.to_owned(),
                                kind: match k.kind {
                                    KeyType::Integer => "integer",
                                    _ => "string",
                                }
                                .to_owned(),
                            })
                            .collect(),
                    ),
                    _ => ("form", Vec::new()),
                };
                QueryInfo {
                    name: q.name.to_owned(),
                    style: style.to_owned(),
                    keys,
                    required: q.required,
                }
            })
            .collect(),
        body: op.body.as_ref().map(|b| BodyInfo {
            content_type: match b.kind {
                BodyKind::Multipart => "multipart/form-data",
                _ => "application/json",
            }
            .to_owned(),
            schema: b.schema.to_owned(),
            required: b.required,
        }),
        success: u32::from(op.success),
        items: op.items.map(str::to_owned),
        direction: direction_name(op.direction).to_owned(),
        scopes: strings(op.scopes),
        redirect: op.redirect,
        sends_auth: op.sends_auth,
    }
}

/// Every operation of the API, in the spec's order (the core's descriptors).
#[napi]
pub fn operations() -> Vec<OperationInfo> {
    Operation::all().iter().map(operation_info).collect()
}

/// The six operations of the Conversations API for one app. Bodies, parameters and results are
/// JSON text in wire form; every call takes the `NativeSignal` that can cancel it.
#[napi]
pub struct NativeConversations {
    shared: Arc<Shared>,
    app_id: std::result::Result<String, text::LoneSurrogate>,
}

impl NativeConversations {
    fn handle(&self) -> Result<sunco::Conversations> {
        let client = self.shared.client()?;
        let app_id = self
            .app_id
            .clone()
            .map_err(|bad| to_js_error(sunco::Error::validation("appId", bad.rule())))?;
        Ok(client.conversations(app_id))
    }
}

#[napi]
impl NativeConversations {
    /// `createConversation`; resolves to the conversation as sent.
    #[napi]
    pub async fn create(&self, body: String, signal: &NativeSignal) -> Result<String> {
        let convs = self.handle()?;
        let body: CreateConversation = sunco::json::from_str("body", &body).map_err(to_js_error)?;
        conversation_of(
            self.shared
                .run(&signal.token, convs.create_json(&body))
                .await?,
        )
    }

    /// `getConversation`.
    #[napi]
    pub async fn get(
        &self,
        #[napi(ts_arg_type = "string")] conversation_id: JsText,
        signal: &NativeSignal,
    ) -> Result<String> {
        let convs = self.handle()?;
        let id = id_arg("conversationId", conversation_id).map_err(to_js_error)?;
        conversation_of(self.shared.run(&signal.token, convs.get_json(&id)).await?)
    }

    /// `listConversations`: one page as sent; `params` is `{"filter": {...}, "page": {...}}`.
    #[napi]
    pub async fn list(&self, params: String, signal: &NativeSignal) -> Result<String> {
        let convs = self.handle()?;
        let params: ListConversations =
            sunco::json::from_str("params", &params).map_err(to_js_error)?;
        to_json(
            &self
                .shared
                .run(&signal.token, convs.list_json(&params))
                .await?,
        )
    }

    /// `updateConversation`: absent fields are unchanged, `null` clears.
    #[napi]
    pub async fn update(
        &self,
        #[napi(ts_arg_type = "string")] conversation_id: JsText,
        body: String,
        signal: &NativeSignal,
    ) -> Result<String> {
        let convs = self.handle()?;
        let id = id_arg("conversationId", conversation_id).map_err(to_js_error)?;
        let body: UpdateConversation = sunco::json::from_str("body", &body).map_err(to_js_error)?;
        conversation_of(
            self.shared
                .run(&signal.token, convs.update_json(&id, &body))
                .await?,
        )
    }

    /// `deleteConversation`.
    #[napi]
    pub async fn delete(
        &self,
        #[napi(ts_arg_type = "string")] conversation_id: JsText,
        signal: &NativeSignal,
    ) -> Result<()> {
        let convs = self.handle()?;
        let id = id_arg("conversationId", conversation_id).map_err(to_js_error)?;
        self.shared.run(&signal.token, convs.delete(&id)).await
    }

    /// `downloadMessageRef`; resolves to the free-form JSON the server answered.
    #[napi]
    pub async fn download_message_ref(
        &self,
        #[napi(ts_arg_type = "string")] conversation_id: JsText,
        body: String,
        signal: &NativeSignal,
    ) -> Result<String> {
        let convs = self.handle()?;
        let id = id_arg("conversationId", conversation_id).map_err(to_js_error)?;
        let body: DownloadMessageRef = sunco::json::from_str("body", &body).map_err(to_js_error)?;
        to_json(
            &self
                .shared
                .run(&signal.token, convs.download_message_ref(&id, &body))
                .await?,
        )
    }

    /// The pages of `listConversations`, fetched one at a time by `NativePages.next()`.
    #[napi]
    pub fn pages(&self, params: String) -> Result<NativePages> {
        let convs = self.handle()?;
        let params: ListConversations =
            sunco::json::from_str("params", &params).map_err(to_js_error)?;
        let pages = convs.pages(params);
        let direction = pages.direction();
        Ok(self
            .shared
            .pages(Walk::Conversations(pages), "conversations", direction))
    }
}

/// The core's paginator: forward along `meta.afterCursor`, or backward along
/// `meta.beforeCursor` when the walk starts from `before` (or, without a cursor, the
/// operation's own way), until `meta.hasMore` is false.
#[napi]
pub struct NativePages {
    shared: Arc<Shared>,
    pager: Arc<PagerSlot>,
    items: String,
    direction: String,
}

#[napi]
impl NativePages {
    /// The array field of each page that holds the records (`conversations`, `messages`).
    #[napi(getter)]
    pub fn items(&self) -> String {
        self.items.clone()
    }

    /// `"forward"` or `"backward"`: the way this walk goes.
    #[napi(getter, ts_return_type = "'forward' | 'backward'")]
    pub fn direction(&self) -> String {
        self.direction.clone()
    }

    /// The next page as JSON text (as sent), or `null` after the last one. A failed or aborted
    /// page can be asked for again.
    #[napi]
    pub async fn next(&self, signal: &NativeSignal) -> Result<Option<String>> {
        let walk = async {
            let mut pager = self.pager.lock().await;
            match pager.as_mut() {
                Some(pager) => pager.next_page().await,
                // Emptied by close(), which the select below reports first.
                None => Ok(None),
            }
        };
        let page = self.shared.run(&signal.token, walk).await;
        if self.shared.closed.is_cancelled() {
            // Drop the paginator (and the connection pool it holds) now, not at GC time.
            *self.pager.lock().await = None;
            return Err(closed());
        }
        match page? {
            Some(page) => to_json(&page).map(Some),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(e: napi::Error) -> Value {
        serde_json::from_str(&e.reason).unwrap()
    }

    #[test]
    fn errors_carry_what_callers_branch_on() {
        let p = payload(to_js_error(sunco::Error::validation(
            "page.size",
            "must be 1..100",
        )));
        assert_eq!(p["sunco"], "validation");
        assert_eq!(p["field"], "page.size");
        let p = payload(to_js_error(sunco::Error::Api(Box::new(sunco::ApiError {
            status: 429,
            errors: vec![sunco::ApiErrorDetail {
                code: "too_many_requests".into(),
                title: "Slow down".into(),
            }],
            request_id: Some("rid".into()),
            retry_after: Some(Duration::from_millis(1500)),
        }))));
        assert_eq!(p["sunco"], "api");
        assert_eq!(p["status"], 429);
        assert_eq!(p["errors"][0]["code"], "too_many_requests");
        assert_eq!(p["retryAfter"], 1.5);
        assert_eq!(p["retryable"], true);
        assert_eq!(payload(aborted())["sunco"], "aborted");
        assert_eq!(payload(closed())["sunco"], "closed");
    }

    #[test]
    fn webhook_refusals_carry_their_status_and_reason() {
        let p = payload(to_js_error(sunco::Error::Webhook(
            sunco::WebhookError::TooLarge { size: 9, limit: 4 },
        )));
        assert_eq!(p["sunco"], "webhook");
        assert_eq!(
            (p["status"].clone(), p["reason"].clone()),
            (json!(413), json!("tooLarge"))
        );
        assert_eq!(
            (p["size"].clone(), p["limit"].clone()),
            (json!(9), json!(4))
        );
        let names = vec!["X-Api-Key".to_owned()];
        let e =
            webhook_parse(b"{}", names.clone(), vec!["nope".into()], "hush".into()).unwrap_err();
        let p = payload(e);
        assert_eq!(
            (p["status"].clone(), p["reason"].clone()),
            (json!(401), json!("wrongSecret"))
        );
        assert!(!p.to_string().contains("hush") && !p.to_string().contains("nope"));
        let e = webhook_parse(b"{", names.clone(), vec!["hush".into()], "hush".into()).unwrap_err();
        assert_eq!(payload(e)["reason"], "malformed");
        let body = br#"{"events":[{"type":"conversation:hologram","x":1}]}"#;
        let ok = webhook_parse(body, names, vec!["hush".into()], "hush".into()).unwrap();
        assert_eq!(ok, r#"{"events":[{"type":"conversation:hologram","x":1}]}"#);
    }

    #[test]
    fn conversation_answers_are_kept_as_sent() {
        let answer: JsonObject = serde_json::from_str(
            r#"{"conversation":{"id":"x","zeta":1,"businessLastRead":null,"alpha":[]}}"#,
        )
        .unwrap();
        assert_eq!(
            conversation_of(answer).unwrap(),
            r#"{"id":"x","zeta":1,"businessLastRead":null,"alpha":[]}"#
        );
        let e = conversation_of(serde_json::from_str(r#"{"other":{}}"#).unwrap()).unwrap_err();
        assert_eq!(payload(e)["sunco"], "decode");
    }

    fn text(s: &str) -> JsText {
        let units: Vec<u16> = s.encode_utf16().collect();
        JsText::from_units(&units)
    }

    #[test]
    fn options_are_checked_without_leaking_secrets() {
        let opts = |token: Option<&str>, key: Option<&str>| ClientOptions {
            base_url: Some(text("http://127.0.0.1:9")),
            region: None,
            subdomain: None,
            key_id: key.map(text),
            key_secret: Some(text("hush-hush")),
            auth: None,
            token: token.map(text),
            proxy: None,
            timeout_ms: Some(-1.0),
            connect_timeout_ms: None,
            max_retries: None,
        };
        let ua = || "node/0.0.0".to_owned();
        let e = builder(opts(Some("t"), Some("k")), false, ua()).unwrap_err();
        assert!(e.to_string().contains("not both"), "{e}");
        let e = builder(opts(None, Some("k")), false, ua()).unwrap_err();
        assert!(e.to_string().contains("timeoutMs"), "{e}");
        assert!(!e.to_string().contains("hush"));

        let mut lone = opts(None, Some("k"));
        lone.timeout_ms = None;
        lone.key_secret = Some(JsText::from_units(&[0x68, 0xD800]));
        let e = builder(lone, false, ua()).unwrap_err();
        assert!(matches!(e, sunco::Error::Config(_)), "{e:?}");
        assert!(
            e.to_string().contains("keySecret") && e.to_string().contains("surrogate"),
            "{e}"
        );
    }

    #[test]
    fn descriptors_say_what_the_core_says() {
        let all = operations();
        assert_eq!(all.len(), Operation::all().len());
        let list = all.iter().find(|o| o.id == "ListMessages").unwrap();
        assert_eq!(list.path_params, ["appId", "conversationId"]);
        assert_eq!(list.items.as_deref(), Some("messages"));
        assert_eq!(list.direction, "backward");
        assert!(list.body.is_none());
        let page = &list.query[0];
        assert_eq!(
            (page.name.as_str(), page.style.as_str()),
            ("page", "deepObject")
        );
        let size = page.keys.iter().find(|k| k.name == "size").unwrap();
        assert_eq!(size.kind, "integer");
        let upload = all.iter().find(|o| o.id == "UploadAttachment").unwrap();
        assert_eq!(
            upload.body.as_ref().unwrap().content_type,
            "multipart/form-data"
        );
        let brand = &all.iter().find(|o| o.id == "GetUser").unwrap().query[0];
        assert_eq!((brand.style.as_str(), brand.keys.len()), ("form", 0));
    }

    #[test]
    fn ids_are_refused_when_ill_formed() {
        let e = id_arg("conversationId", JsText::from_units(&[0xD800])).unwrap_err();
        match e {
            sunco::Error::Validation { field, rule } => {
                assert_eq!(field, "conversationId");
                assert!(rule.contains("lone surrogate"), "{rule}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(id_arg("appId", text("a/b é")).unwrap(), "a/b é");
    }
}
