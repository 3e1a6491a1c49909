//! The generic entry: any operation of the API by its `operationId` (`client.call`), the pages
//! of any cursor-paginated list, the `Authorize` URL, and the operation descriptors.
//!
//! Arguments arrive in the API's (wire) spelling, as the core takes them, so every error names
//! them that way too ([`Naming::Wire`]: `conversationId`, `page.size`, `body`, `operationId`).
//! This layer only converts Python values to JSON: which parameters an operation takes, their
//! types and rules are the core's (`sunco::Operation`, `Client::call`).

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use serde_json::{Map, Value};
use sunco::{CallArgs, Direction, JsonObject, Operation, QueryStyle};

use crate::client::{Shared, run_named};
use crate::convert::{string_arg_named, to_json_named, type_name};
use crate::error::{Naming, Problem, argument_error, client_closed, to_py_err_named};

const WIRE: Naming = Naming::Wire;

fn type_error(field: &str, rule: String) -> PyErr {
    argument_error(Problem::Type, field.to_owned(), rule, WIRE)
}

/// A `dict` of parameters (or `None`), each value converted by `value`; `what` (`path`,
/// `query`) names the whole in errors, each key names its own value.
fn params(
    obj: Option<&Bound<'_, PyAny>>,
    what: &str,
    value: impl Fn(&Bound<'_, PyAny>, &str) -> PyResult<Value>,
) -> PyResult<JsonObject> {
    let mut out = Map::new();
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(out);
    };
    let Ok(dict) = obj.cast::<PyDict>() else {
        let name = type_name(obj);
        return Err(type_error(
            what,
            format!("must be a dict or None, not {name}"),
        ));
    };
    for (k, v) in dict.iter() {
        let Ok(key) = k.cast::<PyString>() else {
            let name = type_name(&k);
            return Err(type_error(what, format!("keys must be str, not {name}")));
        };
        let key = string_arg_named(key.as_any(), what, WIRE)?;
        let converted = value(&v, &key)?;
        out.insert(key, converted);
    }
    Ok(out)
}

/// A parameter's name in errors; an empty one (which the core refuses) is named by its group.
fn named<'a>(key: &'a str, what: &'a str) -> &'a str {
    if key.is_empty() { what } else { key }
}

/// Path parameters: every value a `str` (a path parameter is one segment of text).
fn path_params(obj: Option<&Bound<'_, PyAny>>) -> PyResult<JsonObject> {
    params(obj, "path", |v, key| {
        string_arg_named(v, named(key, "path"), WIRE).map(Value::String)
    })
}

/// Query parameters: any JSON value; the core checks each against the operation.
fn query_params(obj: Option<&Bound<'_, PyAny>>) -> PyResult<JsonObject> {
    params(obj, "query", |v, key| {
        to_json_named(v, named(key, "query"), WIRE)
    })
}

/// The arguments of a call, in the core's form.
pub(crate) fn call_args(
    path: Option<&Bound<'_, PyAny>>,
    query: Option<&Bound<'_, PyAny>>,
    body: Option<&Bound<'_, PyAny>>,
) -> PyResult<CallArgs> {
    let mut args = CallArgs::new();
    args.path = path_params(path)?;
    args.query = query_params(query)?;
    args.body = match body {
        // Body fields name themselves (`content.text`), as the core's schema check names them.
        Some(b) if !b.is_none() => Some(to_json_named(b, "", WIRE)?),
        _ => None,
    };
    Ok(args)
}

/// `client.call(operation_id, ...)`, blocking or as an asyncio awaitable.
pub(crate) fn call<'py>(
    shared: &Shared,
    py: Python<'py>,
    operation_id: &Bound<'py, PyAny>,
    args: CallArgs,
    is_async: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let operation_id = string_arg_named(operation_id, "operationId", WIRE)?;
    let client = shared.client()?;
    run_named(py, is_async, WIRE, async move {
        client.call(&operation_id, &args).await.map(Value::Object)
    })
}

/// The pages of a cursor-paginated list, for `NativeClient.operation_pages`.
pub(crate) fn pages(
    shared: &Arc<Shared>,
    operation_id: &Bound<'_, PyAny>,
    args: CallArgs,
) -> PyResult<NativeOperationPages> {
    let operation_id = string_arg_named(operation_id, "operationId", WIRE)?;
    let pages = shared
        .client()?
        .operation_pages(&operation_id, args)
        .map_err(|e| to_py_err_named(e, WIRE))?;
    let items = pages.items();
    Ok(NativeOperationPages {
        direction: direction_name(pages.direction()),
        pages: Arc::new(tokio::sync::Mutex::new(pages)),
        shared: shared.clone(),
        items,
    })
}

/// The URL of the `Authorize` redirect.
pub(crate) fn authorize_url(shared: &Shared, query: Option<&Bound<'_, PyAny>>) -> PyResult<String> {
    let query = query_params(query)?;
    shared
        .client()?
        .authorize_url(&query)
        .map_err(|e| to_py_err_named(e, WIRE))
}

fn direction_name(direction: Direction) -> &'static str {
    match direction {
        Direction::Forward => "forward",
        Direction::Backward => "backward",
    }
}

/// Walks the pages of one list operation (the core follows the cursors, either way); `None`
/// after the last page. Closing the client stops the walk: the next fetch raises
/// `ClientClosedError`.
#[pyclass(frozen, module = "sunco._native")]
pub(crate) struct NativeOperationPages {
    pages: Arc<tokio::sync::Mutex<sunco::OperationPages>>,
    shared: Arc<Shared>,
    items: &'static str,
    direction: &'static str,
}

impl NativeOperationPages {
    fn next_impl<'py>(&self, py: Python<'py>, is_async: bool) -> PyResult<Bound<'py, PyAny>> {
        if self.shared.is_closed() {
            return Err(client_closed());
        }
        let pages = self.pages.clone();
        run_named(py, is_async, WIRE, async move {
            Ok(match pages.lock().await.next_page().await? {
                Some(page) => Value::Object(page),
                None => Value::Null,
            })
        })
    }
}

#[pymethods]
impl NativeOperationPages {
    /// The array field of each page that holds its records (`messages`, `conversations`).
    #[getter]
    fn items(&self) -> &'static str {
        self.items
    }

    /// The way this walk goes: `"forward"` (along `meta.afterCursor`) or `"backward"`.
    #[getter]
    fn direction(&self) -> &'static str {
        self.direction
    }

    /// The next page as the server sent it, or `None` after the last one.
    fn next_page<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.next_impl(py, false)
    }

    /// `next_page`, as an asyncio awaitable.
    fn next_page_async<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.next_impl(py, true)
    }
}

fn strings<'py>(
    py: Python<'py>,
    items: impl IntoIterator<Item = &'static str>,
) -> PyResult<Bound<'py, PyTuple>> {
    PyTuple::new(py, items.into_iter().collect::<Vec<_>>())
}

/// Every operation of the API, as dicts of the descriptor's fields (spec order): what
/// `sunco.operations()` lists.
#[pyfunction]
pub(crate) fn operations(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
    let out = PyList::empty(py);
    for op in Operation::all() {
        let d = PyDict::new(py);
        d.set_item("id", op.id)?;
        d.set_item("group", op.group)?;
        d.set_item("method", op.method)?;
        d.set_item("path", op.path)?;
        d.set_item("path_params", strings(py, op.path_params.iter().copied())?)?;
        d.set_item("query", strings(py, op.query.iter().map(|q| q.name))?)?;
        let required = op.query.iter().filter(|q| q.required).map(|q| q.name);
        d.set_item("required_query", strings(py, required)?)?;
        let keys = PyDict::new(py);
        for q in op.query {
            if let QueryStyle::DeepObject(k) = &q.style {
                keys.set_item(q.name, strings(py, k.iter().map(|k| k.name))?)?;
            }
        }
        d.set_item("query_keys", keys)?;
        d.set_item("body", op.body.as_ref().map(|b| b.schema))?;
        d.set_item(
            "body_required",
            op.body.as_ref().is_some_and(|b| b.required),
        )?;
        d.set_item("items", op.items)?;
        d.set_item("direction", direction_name(op.direction))?;
        d.set_item("scopes", strings(py, op.scopes.iter().copied())?)?;
        d.set_item("redirect", op.redirect)?;
        out.append(d)?;
    }
    Ok(out)
}

/// The file of an upload, as the Python layer hands it over: a path on disk (streamed by the
/// core) or bytes in memory (a `bytes` value, or what was read from a binary file object).
pub(crate) fn upload_source(
    source: &Bound<'_, PyAny>,
    file_name: Option<String>,
    content_type: Option<String>,
) -> PyResult<sunco::Upload> {
    let upload = if let Ok(data) = source.cast::<pyo3::types::PyBytes>() {
        let name = file_name.clone().unwrap_or_else(|| "file".to_owned());
        sunco::Upload::bytes(data.as_bytes().to_vec(), name)
    } else if let Ok(path) = source.extract::<std::path::PathBuf>() {
        sunco::Upload::path(path)
    } else {
        let name = type_name(source);
        return Err(type_error(
            "source",
            format!("must be a path, bytes or a binary file object, not {name}"),
        ));
    };
    let upload = match file_name {
        Some(n) => upload.file_name(n),
        None => upload,
    };
    Ok(match content_type {
        Some(t) => upload.content_type(t),
        None => upload,
    })
}

/// `UploadAttachment` through the core's multipart upload (`Client::upload_attachment`),
/// blocking or as an asyncio awaitable; the answer as sent.
pub(crate) fn upload<'py>(
    shared: &Shared,
    py: Python<'py>,
    app_id: &Bound<'py, PyAny>,
    query: Option<&Bound<'py, PyAny>>,
    file: sunco::Upload,
    is_async: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let app_id = string_arg_named(app_id, "appId", WIRE)?;
    let query = query_params(query)?;
    let client = shared.client()?;
    run_named(py, is_async, WIRE, async move {
        client
            .upload_attachment(&app_id, &query, file)
            .await
            .map(Value::Object)
    })
}
