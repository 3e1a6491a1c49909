//! The native client, the conversations handle and the page walker. Every method takes and
//! returns JSON in wire form (camelCase); the Python layer (`sunco/_client.py`) builds the
//! request JSON from keyword arguments and wraps results in `Conversation` objects.
//!
//! Results are the response bodies exactly as the server sent them (the core's `*_json`
//! calls: key order, `null`s and unknown fields kept), after checking that they have the
//! documented shape, so `to_dict()` in Python gives back what came over the wire.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pyo3::prelude::*;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use sunco::{ClientBuilder, JsonObject};

use crate::convert::{Json, string_arg, to_json};
use crate::error::{Naming, client_closed, to_py_err, to_py_err_named};
use crate::generic::{self, NativeOperationPages};
use crate::runtime::{awaitable, block_on};

fn config(message: impl Into<String>) -> PyErr {
    to_py_err(sunco::Error::Config(message.into()))
}

/// Seconds (a Python float, already checked to be finite and positive by the Python layer)
/// as a `Duration`.
fn seconds(name: &str, value: f64) -> PyResult<Duration> {
    match Duration::try_from_secs_f64(value) {
        Ok(d) if !d.is_zero() => Ok(d),
        _ => Err(config(format!(
            "{name} must be a finite number of seconds greater than 0, not {value}"
        ))),
    }
}

/// The built client, re-built in a forked child (a connection pool does not survive `fork()`).
pub(crate) struct Shared {
    builder: ClientBuilder,
    state: Mutex<Option<(u32, sunco::Client)>>,
}

impl Shared {
    pub(crate) fn client(&self) -> PyResult<sunco::Client> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let Some((owner, client)) = state.as_mut() else {
            return Err(client_closed());
        };
        let pid = std::process::id();
        if *owner != pid {
            *client = self.builder.clone().build().map_err(to_py_err)?;
            *owner = pid;
        }
        Ok(client.clone())
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_none()
    }
}

/// A configured connection to the API (wrapped by `sunco.Client` and `sunco.AsyncClient`).
#[pyclass(frozen, module = "sunco._native")]
pub(crate) struct NativeClient {
    shared: Arc<Shared>,
    base_url: String,
    key_id: Option<String>,
}

#[pymethods]
impl NativeClient {
    /// With `from_env`, the `SUNCO_*` variables are read first and every option given here
    /// wins over them, field by field (e.g. only `key_secret`).
    #[new]
    #[pyo3(signature = (
        *, from_env = false, base_url = None, region = None, subdomain = None, key_id = None,
        key_secret = None, auth = None, token = None, proxy = None, timeout = 30.0,
        connect_timeout = 10.0, max_retries = 3
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        from_env: bool,
        base_url: Option<String>,
        region: Option<String>,
        subdomain: Option<String>,
        key_id: Option<String>,
        key_secret: Option<String>,
        auth: Option<String>,
        token: Option<String>,
        proxy: Option<String>,
        timeout: f64,
        connect_timeout: f64,
        max_retries: u32,
        py: Python<'_>,
    ) -> PyResult<Self> {
        let mut builder = ClientBuilder::new();
        if from_env {
            builder = builder.from_env().map_err(to_py_err)?;
        }
        builder = builder
            .target(base_url, region.as_deref(), subdomain)
            .and_then(|b| b.credentials(key_id, key_secret, auth.as_deref(), token))
            .map_err(to_py_err)?;
        if let Some(proxy) = proxy {
            builder = builder.proxy(proxy);
        }
        // The runtime, not this package: `sunco/<core> python/3.11.7`.
        let v = py.version_info();
        builder = builder
            .timeout(seconds("timeout", timeout)?)
            .connect_timeout(seconds("connect_timeout", connect_timeout)?)
            .max_retries(max_retries)
            .user_agent_extra(format!("python/{}.{}.{}", v.major, v.minor, v.patch));
        // Building signs a JWT and sets up TLS: no I/O, but release the GIL all the same.
        let built = py.detach(|| builder.clone().build()).map_err(to_py_err)?;
        Ok(NativeClient {
            base_url: built.base_url().to_owned(),
            key_id: built.key_id().map(str::to_owned),
            shared: Arc::new(Shared {
                builder,
                state: Mutex::new(Some((std::process::id(), built))),
            }),
        })
    }

    /// The base URL requests go to.
    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The key id, if the client authenticates with a key.
    #[getter]
    fn key_id(&self) -> Option<&str> {
        self.key_id.as_deref()
    }

    /// Whether `close()` was called.
    #[getter]
    fn closed(&self) -> bool {
        self.shared.is_closed()
    }

    /// Drops the connection pool; calls made afterwards (also through iterators made
    /// before) raise `ClientClosedError`.
    fn close(&self) {
        let old = self
            .shared
            .state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        drop(old);
    }

    /// The conversations of one app.
    fn conversations(&self, app_id: &Bound<'_, PyAny>) -> PyResult<NativeConversations> {
        Ok(NativeConversations {
            shared: self.shared.clone(),
            app_id: string_arg(app_id, "appId")?,
        })
    }

    /// Any operation by its `operationId`; arguments and result in wire form (the response
    /// body as sent, `{}` when empty). Errors name arguments in wire spelling.
    #[pyo3(signature = (operation_id, path = None, query = None, body = None))]
    fn call<'py>(
        &self,
        py: Python<'py>,
        operation_id: &Bound<'py, PyAny>,
        path: Option<&Bound<'py, PyAny>>,
        query: Option<&Bound<'py, PyAny>>,
        body: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let args = generic::call_args(path, query, body)?;
        generic::call(&self.shared, py, operation_id, args, false)
    }

    /// `call`, as an asyncio awaitable.
    #[pyo3(signature = (operation_id, path = None, query = None, body = None))]
    fn call_async<'py>(
        &self,
        py: Python<'py>,
        operation_id: &Bound<'py, PyAny>,
        path: Option<&Bound<'py, PyAny>>,
        query: Option<&Bound<'py, PyAny>>,
        body: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let args = generic::call_args(path, query, body)?;
        generic::call(&self.shared, py, operation_id, args, true)
    }

    /// The pages of a cursor-paginated list operation; the arguments are checked now.
    #[pyo3(signature = (operation_id, path = None, query = None))]
    fn operation_pages(
        &self,
        operation_id: &Bound<'_, PyAny>,
        path: Option<&Bound<'_, PyAny>>,
        query: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<NativeOperationPages> {
        let args = generic::call_args(path, query, None)?;
        generic::pages(&self.shared, operation_id, args)
    }

    /// `UploadAttachment`: `source` is a path (`str` or `os.PathLike`) or `bytes`; `query`
    /// holds `access`, `for` and `conversationId` in wire spelling.
    #[pyo3(signature = (app_id, query, source, file_name = None, content_type = None))]
    fn upload<'py>(
        &self,
        py: Python<'py>,
        app_id: &Bound<'py, PyAny>,
        query: Option<&Bound<'py, PyAny>>,
        source: &Bound<'py, PyAny>,
        file_name: Option<String>,
        content_type: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let file = generic::upload_source(source, file_name, content_type)?;
        generic::upload(&self.shared, py, app_id, query, file, false)
    }

    /// `upload`, as an asyncio awaitable.
    #[pyo3(signature = (app_id, query, source, file_name = None, content_type = None))]
    fn upload_async<'py>(
        &self,
        py: Python<'py>,
        app_id: &Bound<'py, PyAny>,
        query: Option<&Bound<'py, PyAny>>,
        source: &Bound<'py, PyAny>,
        file_name: Option<String>,
        content_type: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let file = generic::upload_source(source, file_name, content_type)?;
        generic::upload(&self.shared, py, app_id, query, file, true)
    }

    /// The URL of the `Authorize` browser redirect, with its query parameters.
    #[pyo3(signature = (query = None))]
    fn authorize_url(&self, query: Option<&Bound<'_, PyAny>>) -> PyResult<String> {
        generic::authorize_url(&self.shared, query)
    }
}

/// Decodes a request body given as Python values, naming the offending field on failure.
fn decode<T: DeserializeOwned>(what: &str, obj: &Bound<'_, PyAny>) -> PyResult<T> {
    let value = to_json(obj, "")?;
    sunco::json::from_value(what, value).map_err(to_py_err)
}

/// A success body that is not what the API documents (the core's typed calls say the same).
fn shape_error(what: &str, value: &Value, e: serde_json::Error) -> sunco::Error {
    let text = value.to_string();
    let mut end = text.len().min(200);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    sunco::Error::Decode {
        status: 200,
        message: format!("the response is not {what} as the API documents it: {e}"),
        excerpt: text[..end].to_owned(),
    }
}

/// The `conversation` of a `{"conversation": {...}}` body, exactly as sent.
fn conversation_of(mut body: JsonObject) -> sunco::Result<Value> {
    let conv = body.remove("conversation").unwrap_or(Value::Null);
    match sunco::Conversation::deserialize(&conv) {
        Ok(_) => Ok(conv),
        Err(e) => Err(shape_error("a conversation", &Value::Object(body), e)),
    }
}

/// A page (`conversations`, `meta`, `links`, and whatever else), exactly as sent.
fn page_of(page: JsonObject) -> sunco::Result<Value> {
    let page = Value::Object(page);
    match sunco::ConversationPage::deserialize(&page) {
        Ok(_) => Ok(page),
        Err(e) => Err(shape_error("a page of conversations", &page, e)),
    }
}

/// Runs a core call either to completion (GIL released) or as an asyncio awaitable.
fn run<'py, F>(py: Python<'py>, is_async: bool, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = sunco::Result<Value>> + Send + 'static,
{
    run_named(py, is_async, Naming::Python, fut)
}

/// [`run`], with validation errors naming the argument as `naming` says.
pub(crate) fn run_named<'py, F>(
    py: Python<'py>,
    is_async: bool,
    naming: Naming,
    fut: F,
) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = sunco::Result<Value>> + Send + 'static,
{
    let map_err = move |e| to_py_err_named(e, naming);
    if is_async {
        awaitable(py, async move { fut.await.map(Json).map_err(map_err) })
    } else {
        let value = block_on(py, fut)?.map_err(map_err)?;
        Json(value).into_pyobject(py)
    }
}

/// The Conversations API of one app; every operation has a blocking and an `_async` form.
#[pyclass(frozen, module = "sunco._native")]
pub(crate) struct NativeConversations {
    shared: Arc<Shared>,
    app_id: String,
}

impl NativeConversations {
    fn handle(&self) -> PyResult<sunco::Conversations> {
        Ok(self.shared.client()?.conversations(self.app_id.clone()))
    }

    fn create_impl<'py>(
        &self,
        py: Python<'py>,
        body: &Bound<'py, PyAny>,
        is_async: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let body: sunco::CreateConversation = decode("body", body)?;
        let convs = self.handle()?;
        run(py, is_async, async move {
            conversation_of(convs.create_json(&body).await?)
        })
    }

    fn get_impl<'py>(
        &self,
        py: Python<'py>,
        id: &Bound<'py, PyAny>,
        is_async: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let id = string_arg(id, "conversationId")?;
        let convs = self.handle()?;
        run(py, is_async, async move {
            conversation_of(convs.get_json(&id).await?)
        })
    }

    fn list_impl<'py>(
        &self,
        py: Python<'py>,
        params: &Bound<'py, PyAny>,
        is_async: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let params: sunco::ListConversations = decode("params", params)?;
        let convs = self.handle()?;
        run(py, is_async, async move {
            page_of(convs.list_json(&params).await?)
        })
    }

    fn update_impl<'py>(
        &self,
        py: Python<'py>,
        id: &Bound<'py, PyAny>,
        body: &Bound<'py, PyAny>,
        is_async: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let id = string_arg(id, "conversationId")?;
        let body: sunco::UpdateConversation = decode("body", body)?;
        let convs = self.handle()?;
        run(py, is_async, async move {
            conversation_of(convs.update_json(&id, &body).await?)
        })
    }

    fn delete_impl<'py>(
        &self,
        py: Python<'py>,
        id: &Bound<'py, PyAny>,
        is_async: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let id = string_arg(id, "conversationId")?;
        let convs = self.handle()?;
        run(py, is_async, async move {
            convs.delete(&id).await.map(|()| Value::Null)
        })
    }

    fn download_impl<'py>(
        &self,
        py: Python<'py>,
        id: &Bound<'py, PyAny>,
        body: &Bound<'py, PyAny>,
        is_async: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let id = string_arg(id, "conversationId")?;
        let body: sunco::DownloadMessageRef = decode("body", body)?;
        let convs = self.handle()?;
        run(py, is_async, async move {
            convs
                .download_message_ref(&id, &body)
                .await
                .map(Value::Object)
        })
    }
}

#[pymethods]
impl NativeConversations {
    /// The app id.
    #[getter]
    fn app_id(&self) -> &str {
        &self.app_id
    }

    fn create<'py>(
        &self,
        py: Python<'py>,
        body: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.create_impl(py, body, false)
    }

    fn create_async<'py>(
        &self,
        py: Python<'py>,
        body: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.create_impl(py, body, true)
    }

    fn get<'py>(
        &self,
        py: Python<'py>,
        conversation_id: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.get_impl(py, conversation_id, false)
    }

    fn get_async<'py>(
        &self,
        py: Python<'py>,
        conversation_id: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.get_impl(py, conversation_id, true)
    }

    fn list<'py>(
        &self,
        py: Python<'py>,
        params: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.list_impl(py, params, false)
    }

    fn list_async<'py>(
        &self,
        py: Python<'py>,
        params: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.list_impl(py, params, true)
    }

    fn update<'py>(
        &self,
        py: Python<'py>,
        conversation_id: &Bound<'py, PyAny>,
        body: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.update_impl(py, conversation_id, body, false)
    }

    fn update_async<'py>(
        &self,
        py: Python<'py>,
        conversation_id: &Bound<'py, PyAny>,
        body: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.update_impl(py, conversation_id, body, true)
    }

    fn delete<'py>(
        &self,
        py: Python<'py>,
        conversation_id: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.delete_impl(py, conversation_id, false)
    }

    fn delete_async<'py>(
        &self,
        py: Python<'py>,
        conversation_id: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.delete_impl(py, conversation_id, true)
    }

    fn download_message_ref<'py>(
        &self,
        py: Python<'py>,
        conversation_id: &Bound<'py, PyAny>,
        body: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.download_impl(py, conversation_id, body, false)
    }

    fn download_message_ref_async<'py>(
        &self,
        py: Python<'py>,
        conversation_id: &Bound<'py, PyAny>,
        body: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.download_impl(py, conversation_id, body, true)
    }

    /// Pages of a list, fetched one at a time by the core's paginator.
    fn pages(&self, params: &Bound<'_, PyAny>) -> PyResult<NativePages> {
        let params: sunco::ListConversations = decode("params", params)?;
        Ok(NativePages {
            pager: Arc::new(tokio::sync::Mutex::new(self.handle()?.pages(params))),
            shared: self.shared.clone(),
        })
    }
}

/// Walks the pages of a list (the core follows the cursors); `None` after the last page.
/// Closing the client stops the walk: the next fetch raises `ClientClosedError`.
#[pyclass(frozen, module = "sunco._native")]
pub(crate) struct NativePages {
    pager: Arc<tokio::sync::Mutex<sunco::Paginator>>,
    shared: Arc<Shared>,
}

impl NativePages {
    fn next_impl<'py>(&self, py: Python<'py>, is_async: bool) -> PyResult<Bound<'py, PyAny>> {
        if self.shared.is_closed() {
            return Err(client_closed());
        }
        let pager = self.pager.clone();
        run(py, is_async, async move {
            match pager.lock().await.next_page_json().await? {
                Some(page) => page_of(page),
                None => Ok(Value::Null),
            }
        })
    }
}

#[pymethods]
impl NativePages {
    fn next_page<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.next_impl(py, false)
    }

    fn next_page_async<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.next_impl(py, true)
    }
}
