//! The one place where a [`sunco::Error`] becomes a Python exception.
//!
//! The exception classes are plain Python (`sunco/_errors.py`). The exception is built lazily,
//! the first time Python looks at it, so an error raised inside an asyncio task (on a tokio
//! thread, without the GIL) costs nothing until it reaches Python.

use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule};
use pyo3::{PyErrArguments, intern};

/// Turns a core error into the matching `sunco.*Error`. See the table in py/README.md.
pub(crate) fn to_py_err(err: sunco::Error) -> PyErr {
    // The "arguments" are a ready exception instance; CPython raises an instance as itself,
    // with its own (more specific) class.
    PyErr::new::<PyException, _>(Mapped(err))
}

struct Mapped(sunco::Error);

impl PyErrArguments for Mapped {
    fn arguments(self, py: Python<'_>) -> Py<PyAny> {
        match exception(py, self.0) {
            Ok(exc) => exc.unbind(),
            // Only if `sunco._errors` cannot be imported: raise that problem instead.
            Err(e) => e.into_value(py).into_any(),
        }
    }
}

fn exception(py: Python<'_>, err: sunco::Error) -> PyResult<Bound<'_, PyAny>> {
    static MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    let module = MODULE.get_or_try_init(py, || py.import("sunco._errors").map(Bound::unbind))?;
    let message = err.to_string();
    let kw = PyDict::new(py);
    let class = match err {
        sunco::Error::Validation { field, rule } => {
            kw.set_item(intern!(py, "field"), field)?;
            kw.set_item(intern!(py, "rule"), rule)?;
            "ValidationError"
        }
        sunco::Error::Api(api) => {
            let errors = api
                .errors
                .iter()
                .map(|d| {
                    let entry = PyDict::new(py);
                    entry.set_item(intern!(py, "code"), &d.code)?;
                    entry.set_item(intern!(py, "title"), &d.title)?;
                    Ok(entry)
                })
                .collect::<PyResult<Vec<_>>>()?;
            kw.set_item(intern!(py, "status"), api.status)?;
            kw.set_item(intern!(py, "errors"), errors)?;
            kw.set_item(intern!(py, "request_id"), api.request_id.as_deref())?;
            kw.set_item(
                intern!(py, "retry_after"),
                api.retry_after.map(|d| d.as_secs_f64()),
            )?;
            match api.status {
                400 => "BadRequestError",
                401 => "AuthenticationError",
                403 => "PermissionDeniedError",
                404 => "NotFoundError",
                429 => "RateLimitError",
                500..=599 => "ServerError",
                _ => "ApiError",
            }
        }
        sunco::Error::Timeout { after } => {
            kw.set_item(intern!(py, "after"), after.as_secs_f64())?;
            "TimeoutError"
        }
        sunco::Error::Transport { kind, .. } => {
            kw.set_item(intern!(py, "kind"), kind.to_string())?;
            "TransportError"
        }
        sunco::Error::Decode {
            status, excerpt, ..
        } => {
            kw.set_item(intern!(py, "status"), status)?;
            kw.set_item(intern!(py, "excerpt"), excerpt)?;
            "DecodeError"
        }
        sunco::Error::Config(_) => "ConfigError",
        // A variant added to the core later still reaches Python, as the base class.
        _ => "SuncoError",
    };
    module.bind(py).getattr(class)?.call((message,), Some(&kw))
}
