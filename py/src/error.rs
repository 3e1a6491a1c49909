//! The one place where an error becomes a Python exception: core errors ([`sunco::Error`]),
//! problems with an argument found while converting it ([`argument_error`]) and the closed
//! client ([`client_closed`]).
//!
//! The exception classes are plain Python (`sunco/_errors.py`), and so is the wording of
//! argument errors (`_errors._argument_error`), which names the argument as the caller wrote it
//! in Python (`size`, `display_name`) next to the API's field (`page.size`, `displayName`).
//! Exceptions are built lazily, the first time Python looks at them, so an error raised inside
//! an asyncio task (on a tokio thread, without the GIL) costs nothing until it reaches Python.

use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule};
use pyo3::{PyErrArguments, intern};

/// What kind of exception an argument problem is.
#[derive(Clone, Copy)]
pub(crate) enum Problem {
    /// A value breaks a rule: `sunco.ValidationError` (a `ValueError`).
    Value,
    /// A value of the wrong Python type: `TypeError`.
    Type,
}

/// How an argument error names the argument.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Naming {
    /// As the typed methods' keyword arguments spell it (`page.size` is `size`).
    Python,
    /// In wire spelling, as the core reports it (`conversationId`, `page.size`): the generic
    /// entry (`client.call`) takes its arguments in that spelling.
    Wire,
}

/// Turns a core error into the matching `sunco.*Error`. See the table in README.md.
pub(crate) fn to_py_err(err: sunco::Error) -> PyErr {
    to_py_err_named(err, Naming::Python)
}

/// [`to_py_err`], with validation errors naming the argument as `naming` says.
pub(crate) fn to_py_err_named(err: sunco::Error, naming: Naming) -> PyErr {
    lazy(Pending::Core(err, naming))
}

/// An argument (named by its API `field`, e.g. `metadata.plan`) that cannot be sent; `naming`
/// says how the message names it.
pub(crate) fn argument_error(
    problem: Problem,
    field: String,
    rule: String,
    naming: Naming,
) -> PyErr {
    lazy(Pending::Argument {
        problem,
        field,
        rule,
        naming,
    })
}

/// `sunco.ClientClosedError`: the client was closed before this call.
pub(crate) fn client_closed() -> PyErr {
    lazy(Pending::Closed)
}

fn lazy(pending: Pending) -> PyErr {
    // The "arguments" are a ready exception instance; CPython raises an instance as itself,
    // with its own (more specific) class.
    PyErr::new::<PyException, _>(pending)
}

enum Pending {
    Core(sunco::Error, Naming),
    Argument {
        problem: Problem,
        field: String,
        rule: String,
        naming: Naming,
    },
    Closed,
}

impl PyErrArguments for Pending {
    fn arguments(self, py: Python<'_>) -> Py<PyAny> {
        match exception(py, self) {
            Ok(exc) => exc.unbind(),
            // Only if `sunco._errors` cannot be imported: raise that problem instead.
            Err(e) => e.into_value(py).into_any(),
        }
    }
}

fn errors_module(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    static MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    Ok(MODULE
        .get_or_try_init(py, || py.import("sunco._errors").map(Bound::unbind))?
        .bind(py))
}

fn exception(py: Python<'_>, pending: Pending) -> PyResult<Bound<'_, PyAny>> {
    let module = errors_module(py)?;
    let argument = |problem: Problem, field: String, rule: String, naming: Naming| {
        let kind = match problem {
            Problem::Value => "value",
            Problem::Type => "type",
        };
        let kw = PyDict::new(py);
        kw.set_item(intern!(py, "wire"), naming == Naming::Wire)?;
        module.call_method(
            intern!(py, "_argument_error"),
            (kind, field, rule),
            Some(&kw),
        )
    };
    let (err, naming) = match pending {
        Pending::Core(err, naming) => (err, naming),
        Pending::Argument {
            problem,
            field,
            rule,
            naming,
        } => return argument(problem, field, rule, naming),
        Pending::Closed => {
            return module
                .getattr(intern!(py, "ClientClosedError"))?
                .call1(("this sunco client is closed",));
        }
    };
    let message = err.to_string();
    let kw = PyDict::new(py);
    let class = match err {
        sunco::Error::Validation { field, rule } => {
            return argument(Problem::Value, field, rule, naming);
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
        sunco::Error::Webhook(w) => {
            kw.set_item(intern!(py, "status"), w.status())?;
            match w {
                sunco::WebhookError::MissingSecret => {
                    kw.set_item(intern!(py, "missing"), true)?;
                    "WebhookSecretError"
                }
                sunco::WebhookError::WrongSecret => {
                    kw.set_item(intern!(py, "missing"), false)?;
                    "WebhookSecretError"
                }
                sunco::WebhookError::TooLarge { size, limit } => {
                    kw.set_item(intern!(py, "size"), size)?;
                    kw.set_item(intern!(py, "limit"), limit)?;
                    "WebhookTooLargeError"
                }
                sunco::WebhookError::Malformed { path, .. } => {
                    kw.set_item(intern!(py, "path"), path)?;
                    "WebhookMalformedError"
                }
                // A refusal added to the core later: the base class, with its status.
                _ => "WebhookError",
            }
        }
        // A variant added to the core later still reaches Python, as the base class.
        _ => "SuncoError",
    };
    module.getattr(class)?.call((message,), Some(&kw))
}
